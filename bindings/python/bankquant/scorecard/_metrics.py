"""Discrimination and calibration (C++, bankquant/scorecard/metrics.hpp): AUC, Gini, KS, ROC and KS
curves, gains table, Hosmer–Lemeshow.

The direction of a score is explicit: ``higher_is_safer=True`` for scorecard points,
``False`` for a probability of the event or log-odds. Left at None it is inferred only when
every score lies in [0, 1] (a probability: higher is riskier); any other score must say which.
"""
from __future__ import annotations

from typing import Optional, Tuple

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_bool, as_float_vector, as_int, fail

_sc = _core.scorecard


def _direction(score: np.ndarray, higher_is_safer) -> str:
    if higher_is_safer is None:
        if score.size and (score.min() < 0 or score.max() > 1):
            fail("higher_is_safer", "scores outside [0, 1] are not probabilities: say whether a higher score is "
                                    "safer (True, scorecard points) or riskier (False, log-odds)")
        return "higher_is_riskier"
    return "higher_is_safer" if as_bool(higher_is_safer, "higher_is_safer") else "higher_is_riskier"


def _inputs(y, score, sample_weight, higher_is_safer, score_name="score"):
    yv = as_float_vector(y, "y")
    sv = as_float_vector(score, score_name)
    w = None if sample_weight is None else as_float_vector(sample_weight, "sample_weight")
    return yv, sv, w, _direction(sv, higher_is_safer)


def auc(y, score, *, higher_is_safer: Optional[bool] = None, sample_weight=None) -> float:
    """Area under the ROC curve (ties count one half; equals sklearn's roc_auc_score).

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.scorecard.auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> bq.scorecard.auc([0, 0, 1, 1], [700, 640, 660, 520], higher_is_safer=True)
    0.75
    """
    return _sc.auc(*_inputs(y, score, sample_weight, higher_is_safer))


def gini(y, score, *, higher_is_safer: Optional[bool] = None, sample_weight=None) -> float:
    """Gini coefficient (accuracy ratio) = 2 AUC - 1."""
    return _sc.gini(*_inputs(y, score, sample_weight, higher_is_safer))


def ks(y, score, *, higher_is_safer: Optional[bool] = None, sample_weight=None) -> float:
    """Kolmogorov–Smirnov statistic: the largest gap between the events' and non-events' score CDFs.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.scorecard.ks([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.5
    """
    return _sc.ks(*_inputs(y, score, sample_weight, higher_is_safer))


def roc_curve(y, score, *, higher_is_safer: Optional[bool] = None,
              sample_weight=None) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(fpr, tpr, thresholds) at every distinct score, riskiest first."""
    c = _sc.roc_curve(*_inputs(y, score, sample_weight, higher_is_safer))
    return np.asarray(c.fpr), np.asarray(c.tpr), np.asarray(c.thresholds)


def ks_curve(y, score, *, higher_is_safer: Optional[bool] = None, sample_weight=None) -> pd.DataFrame:
    """Cumulative shares of events and non-events, riskiest first, their gap (max = KS), and the
    share of the population at or above each threshold."""
    c = _sc.roc_curve(*_inputs(y, score, sample_weight, higher_is_safer))
    tpr, fpr = np.asarray(c.tpr), np.asarray(c.fpr)
    return pd.DataFrame({"threshold": np.asarray(c.thresholds), "population": np.asarray(c.population),
                         "cum_events": tpr, "cum_non_events": fpr, "gap": np.abs(tpr - fpr)})


def gains_table(y, score, bands: int = 10, *, higher_is_safer: Optional[bool] = None,
                sample_weight=None) -> pd.DataFrame:
    """Gains and lift by score band; band 1 is the riskiest.

    Columns: min/max score, count, events, non-events, event rate, cumulative share of events
    captured and of non-events, lift (band event rate / overall), cumulative lift, and the KS gap.
    """
    yv, sv, w, direction = _inputs(y, score, sample_weight, higher_is_safer)
    options = build(_sc.GainsOptions, bands=as_int(bands, "bands", minimum=2), direction=direction)
    t = _sc.gains_table(yv, sv, w, options)
    return pd.DataFrame([b.to_dict() for b in t.bands]).set_index("band")


def hosmer_lemeshow(y, probability, groups: int = 10, sample_weight=None):
    """Hosmer–Lemeshow calibration test over ``groups`` bands of predicted probability.

    Returns (statistic, p_value, table); the statistic is chi-square with groups - 2 degrees of
    freedom under good calibration (Hosmer and Lemeshow, Applied Logistic Regression, 2000).
    """
    yv = as_float_vector(y, "y")
    pv = as_float_vector(probability, "probability")
    w = None if sample_weight is None else as_float_vector(sample_weight, "sample_weight")
    r = _sc.hosmer_lemeshow(yv, pv, w, build(_sc.HosmerLemeshowOptions, groups=as_int(groups, "groups", minimum=3)))
    table = pd.DataFrame([g.to_dict() for g in r.groups]).set_index("group")
    return float(r.statistic), float(r.p_value), table
