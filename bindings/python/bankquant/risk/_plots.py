"""Risk report plots."""
from __future__ import annotations

import numpy as np


def plot_pnl_distribution(pnl, level: float = 0.99, method: str = "historical", ax=None, bins: int = 80):
    """Histogram of P&L with the VaR and ES lines (as losses, drawn at -VaR and -ES)."""
    import matplotlib.pyplot as plt

    from ._var import var_es

    from .._validation import as_float_vector, as_int

    x = as_float_vector(pnl, "pnl", min_size=2)
    bins = as_int(bins, "bins", minimum=1)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    t = var_es(x, level, method)
    ax.hist(x, bins=bins, color="#9ecae1", density=True)
    ax.axvline(-t["var"].iloc[0], color="#d62728", label=f"VaR {level:.1%} = {t['var'].iloc[0]:.4g}")
    ax.axvline(-t["es"].iloc[0], color="k", ls="--", label=f"ES {level:.1%} = {t['es'].iloc[0]:.4g}")
    ax.set_xlabel("P&L")
    ax.set_ylabel("density")
    ax.legend()
    ax.set_title(f"P&L distribution ({method})")
    return ax
