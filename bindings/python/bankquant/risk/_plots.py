"""Risk report plots."""
from __future__ import annotations

from typing import Optional

import numpy as np


def plot_pnl_distribution(pnl, level: float = 0.99, method: str = "historical", ax=None, bins: int = 80):
    """Histogram of P&L with the VaR and ES lines (as losses, drawn at -VaR and -ES).

    Parameters
    ----------
    pnl : 1-D array-like
    level : float, default 0.99
    method : str, default "historical"
        A method of :func:`var_es`.
    ax : matplotlib Axes, optional
    bins : int, default 80

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, numpy as np, matplotlib.pyplot as plt
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> ax = bq.risk.plot_pnl_distribution(r, 0.99)
    >>> ax.get_legend_handles_labels()[1]
    ['VaR 99.0% = 0.041', 'ES 99.0% = 0.05854']
    >>> plt.close("all")
    """
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


# The daily risk report's figures (``bq.risk.report``): matplotlib Figures made without pyplot, so
# building a report never opens a window nor touches the user's current figure.

_RAG_COLOURS = {"red": "#c62828", "amber": "#e0a100", "green": "#2e7d32"}


def _thousands(axis) -> None:
    """Tick labels as 1,250,000 rather than 1.25 with a 1e6 offset."""
    from matplotlib.ticker import StrMethodFormatter

    axis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


def _figure(width: float, height: float):
    """A report figure (see above) and its axes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    return fig, fig.add_subplot()


def _finished(fig, ax, grid: Optional[str] = None):
    """The report figures' common ending: a light grid along ``grid`` ("x" or "y"), tight layout."""
    if grid:
        ax.grid(axis=grid, alpha=0.3)
    fig.tight_layout()
    return fig


def _backtest_pnl(pnl, var, methods, level: float):
    """The backtest days' P&L as bars, each method's -VaR at ``level``, the first method's exceptions marked."""
    fig, ax = _figure(11, 3.6)
    values = pnl.to_numpy()
    ax.bar(pnl.index, values, color=np.where(values >= 0, "#9ecae1", "#fdae6b"), width=1.0, label="P&L")
    colours = ["#c62828", "#1f77b4", "#6a3d9a", "#2ca02c", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
               "#ff7f0e"]
    for i, method in enumerate(methods):
        line = var[(method, level)].to_numpy()
        ax.plot(pnl.index, -line, lw=1.3 if i == 0 else 0.9, color=colours[i % len(colours)],
                label=f"-VaR {level:.1%} {method}")
        if i == 0:
            hits = -values > line
            ax.scatter(pnl.index[hits], values[hits], color="k", s=22, zorder=3,
                       label=f"exceptions ({int(hits.sum())}, {method})")
    ax.axhline(0, color="#555", lw=0.5)
    _thousands(ax.yaxis)
    ax.set_title(f"P&L of today's book over the backtest ({len(pnl)} days) and its {level:.1%} VaR forecasts",
                 fontsize=11)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), fontsize=8, ncol=min(5, len(methods) + 2), frameon=False)
    return _finished(fig, ax, grid="y")


def _contributions(contributors):
    """Component VaR and ES of the largest contributors, horizontal bars."""
    fig, ax = _figure(5.6, 0.42 * len(contributors) + 1.2)
    names = [str(n) for n in contributors.index][::-1]
    y = np.arange(len(names))
    ax.barh(y + 0.2, contributors["component_var"].to_numpy()[::-1], height=0.4, color="#c62828", label="component VaR")
    ax.barh(y - 0.2, contributors["component_es"].to_numpy()[::-1], height=0.4, color="#fb9a99", label="component ES")
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.axvline(0, color="#555", lw=0.5)
    _thousands(ax.xaxis)
    ax.set_title("Largest contributors", fontsize=11)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.06 - 0.5 / (len(names) + 2)), ncol=2,
              frameon=False)
    return _finished(fig, ax, grid="x")


def _limit_utilisation(limits):
    """Utilisation of each limit (value / limit) as bars coloured by status, 100% marked."""
    fig, ax = _figure(5.6, 0.45 * len(limits) + 1.2)
    names = [str(n) for n in limits.index][::-1]
    util = 100 * limits["utilisation"].to_numpy()[::-1]
    colours = [_RAG_COLOURS[s] for s in limits["status"].to_numpy()[::-1]]
    y = np.arange(len(names))
    ax.barh(y, util, color=colours, height=0.6)
    for yi, u in zip(y, util):
        ax.text(u + 1, yi, f"{u:.0f}%", va="center", fontsize=8)
    ax.axvline(100, color="k", lw=1.0)
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.set_xlim(0, max(110.0, 1.12 * float(util.max())))
    ax.set_xlabel("utilisation (% of limit)")
    ax.set_title("Limit utilisation", fontsize=11)
    return _finished(fig, ax)
