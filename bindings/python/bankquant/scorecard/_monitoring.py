"""Stability monitoring: PSI of scores and CSI of characteristics between two samples."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_vector
from ..exceptions import InvalidArgumentError

_sc = _core.scorecard


def psi(expected, actual, bins: int = 10) -> float:
    """Population stability index of ``actual`` against ``expected`` over ``bins`` quantile bins
    of ``expected`` (< 0.1 stable, 0.1–0.25 a shift to look at, >= 0.25 a significant shift).

    >>> import bankquant as bq, numpy as np
    >>> round(bq.scorecard.psi(np.arange(1000.0), np.arange(1000.0)), 6)
    0.0
    """
    return float(stability_table(expected, actual, bins).attrs["psi"])


def stability_table(expected, actual, bins: int = 10) -> pd.DataFrame:
    """Per-bin shares and contributions of the PSI; ``attrs`` hold ``psi`` and its ``flag``."""
    r = _sc.population_stability(as_float_vector(expected, "expected"), as_float_vector(actual, "actual"), int(bins))
    df = pd.DataFrame(r["bins"])
    df.attrs["psi"] = r["index"]
    df.attrs["flag"] = r["flag"]
    return df


def csi(binner, X_expected: pd.DataFrame, X_actual: pd.DataFrame, columns=None) -> pd.DataFrame:
    """Characteristic stability index of each characteristic over its fitted bins.

    Returns one row per characteristic: csi, flag, and the bin whose share moved most.
    """
    binner._check_fitted()
    columns = list(columns) if columns is not None else list(binner.binnings_)
    e_idx = binner.bin_indices(X_expected, columns)
    a_idx = binner.bin_indices(X_actual, columns)
    rows = []
    for c in columns:
        n_bins = len(binner.binnings_[c].bins())
        e = np.bincount(e_idx[c][e_idx[c] >= 0], minlength=n_bins).astype(float)
        a = np.bincount(a_idx[c][a_idx[c] >= 0], minlength=n_bins).astype(float)
        r = _sc.stability_from_counts(e, a)
        contributions = [b["contribution"] for b in r["bins"]]
        worst = int(np.argmax(contributions))
        rows.append({"variable": c, "csi": r["index"], "flag": r["flag"],
                     "largest_shift_bin": binner.binnings_[c].bins()[worst]["label"]})
    return pd.DataFrame(rows).set_index("variable")


def stability_report(card, X_expected: pd.DataFrame, X_actual: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """PSI of the score and CSI of every characteristic of a fitted Scorecard, flagged at 0.1 / 0.25."""
    score_e, score_a = card.score(X_expected), card.score(X_actual)
    table = stability_table(score_e, score_a, bins)
    rows = [{"item": "score (PSI)", "index": table.attrs["psi"], "flag": table.attrs["flag"]}]
    c = csi(card.binner_, X_expected, X_actual, card.variables_)
    for name, row in c.iterrows():
        rows.append({"item": f"{name} (CSI)", "index": row["csi"], "flag": row["flag"]})
    if not len(X_expected) or not len(X_actual):
        raise InvalidArgumentError("stability_report: both samples need rows")
    return pd.DataFrame(rows).set_index("item")
