"""Discrimination and calibration: AUC, Gini, KS, ROC and KS curves, gains table, Hosmer–Lemeshow.

``score`` arguments rank risk: higher means the event is more likely (a probability of default).
For scorecard points, where higher is safer, pass ``-points`` or use ``higher_is_safer=True``
where offered.
"""
from __future__ import annotations

from typing import Optional, Tuple

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_vector
from ..exceptions import InvalidArgumentError

_sc = _core.scorecard


def _inputs(y, score, sample_weight):
    yv = as_float_vector(y, "y")
    sv = as_float_vector(score, "score")
    w = None if sample_weight is None else as_float_vector(sample_weight, "sample_weight")
    return yv, sv, w


def auc(y, score, sample_weight=None) -> float:
    """Area under the ROC curve (ties count one half; equals sklearn's roc_auc_score).

    >>> import bankquant as bq
    >>> bq.scorecard.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    return _sc.auc(*_inputs(y, score, sample_weight))


def gini(y, score, sample_weight=None) -> float:
    """Gini coefficient (accuracy ratio) = 2 AUC - 1."""
    return _sc.gini(*_inputs(y, score, sample_weight))


def ks(y, score, sample_weight=None) -> float:
    """Kolmogorov–Smirnov statistic: the largest gap between the events' and non-events' score CDFs.

    >>> import bankquant as bq
    >>> bq.scorecard.ks([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.5
    """
    return _sc.ks(*_inputs(y, score, sample_weight))


def roc_curve(y, score, sample_weight=None) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fpr, tpr, thresholds) at every distinct score, thresholds descending (the first is +inf)."""
    fpr, tpr, thr = _sc.roc_curve(*_inputs(y, score, sample_weight))
    return np.asarray(fpr), np.asarray(tpr), np.asarray(thr)


def ks_curve(y, score, sample_weight=None) -> pd.DataFrame:
    """Cumulative shares of events and non-events by descending score, and their gap (max = KS)."""
    fpr, tpr, thr = roc_curve(y, score, sample_weight)
    return pd.DataFrame({"threshold": thr, "cum_events": tpr, "cum_non_events": fpr, "gap": np.abs(tpr - fpr)})


def _bands(score: np.ndarray, bands: int) -> np.ndarray:
    """Quantile band of each score, 0 = riskiest (highest score); ties stay in one band."""
    ranks = pd.Series(-score).rank(method="min").to_numpy()
    return np.minimum(((ranks - 1) * bands // len(score)).astype(int), bands - 1)


def gains_table(y, score, bands: int = 10, sample_weight=None) -> pd.DataFrame:
    """Gains and lift by score band (band 1 = the riskiest tenth with 10 bands).

    Columns: min/max score, count, events, event rate, cumulative share of events captured,
    cumulative share of non-events, lift (band event rate / overall), cumulative lift, and the KS
    gap at the band's lower edge.
    """
    yv, sv, w = _inputs(y, score, sample_weight)
    if bands < 2 or bands > len(yv):
        raise InvalidArgumentError(f"argument 'bands': expected 2 to {len(yv)}, got {bands}")
    w = np.ones_like(yv) if w is None else w
    band = _bands(sv, bands)
    df = pd.DataFrame({"band": band + 1, "score": sv, "w": w, "e": w * yv, "n": w * (1 - yv)})
    g = df.groupby("band").agg(min_score=("score", "min"), max_score=("score", "max"), count=("w", "sum"),
                               events=("e", "sum"), non_events=("n", "sum"))
    total_e, total_n = g["events"].sum(), g["non_events"].sum()
    overall = total_e / (total_e + total_n)
    g["event_rate"] = g["events"] / g["count"]
    g["cum_events_share"] = g["events"].cumsum() / total_e
    g["cum_non_events_share"] = g["non_events"].cumsum() / total_n
    g["lift"] = g["event_rate"] / overall
    g["cum_lift"] = (g["events"].cumsum() / g["count"].cumsum()) / overall
    g["ks"] = (g["cum_events_share"] - g["cum_non_events_share"]).abs()
    return g


def hosmer_lemeshow(y, probability, groups: int = 10, sample_weight=None):
    """Hosmer–Lemeshow calibration test over ``groups`` bands of predicted probability.

    Returns (statistic, p_value, table); the statistic is chi-square with groups - 2 degrees of
    freedom under good calibration (Hosmer and Lemeshow, Applied Logistic Regression, 2000).
    """
    from scipy import stats

    yv, pv, w = _inputs(y, probability, sample_weight)
    if not ((pv >= 0) & (pv <= 1)).all():
        raise InvalidArgumentError("argument 'probability': expected values in [0, 1]")
    if groups < 3:
        raise InvalidArgumentError(f"argument 'groups': expected at least 3, got {groups}")
    w = np.ones_like(yv) if w is None else w
    band = _bands(pv, groups)
    df = pd.DataFrame({"band": band + 1, "w": w, "observed": w * yv, "expected": w * pv, "p": pv})
    t = df.groupby("band").agg(count=("w", "sum"), observed=("observed", "sum"), expected=("expected", "sum"),
                               mean_probability=("p", "mean"))
    denom = t["expected"] * (1 - t["expected"] / t["count"])
    statistic = float((((t["observed"] - t["expected"]) ** 2) / denom.where(denom > 0, np.nan)).sum())
    dof = len(t) - 2
    return statistic, float(stats.chi2.sf(statistic, dof)), t
