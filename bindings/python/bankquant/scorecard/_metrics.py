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

    Parameters
    ----------
    y : 1-D array-like of 0/1
        Outcomes; 1 is the event (bad).
    score : 1-D array-like
        Scores, probabilities or log-odds of the same rows.
    higher_is_safer : bool, optional
        True for scorecard points, False for a probability or log-odds of the event; None infers
        False only when every score lies in [0, 1], else it is an error.
    sample_weight : 1-D array-like, optional
        Row weights.

    Returns
    -------
    float
        In [0, 1]: the probability that a random event row is riskier than a random non-event row.

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
    """Gini coefficient (accuracy ratio) = 2 AUC - 1.

    Parameters
    ----------
    y : 1-D array-like of 0/1
        Outcomes; 1 is the event (bad).
    score : 1-D array-like
        Scores, probabilities or log-odds of the same rows.
    higher_is_safer : bool, optional
        True for scorecard points, False for a probability or log-odds of the event; None infers
        False only when every score lies in [0, 1], else it is an error.
    sample_weight : 1-D array-like, optional
        Row weights.

    Returns
    -------
    float
        In [-1, 1]; 0 for a random score.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.scorecard.gini([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.5
    """
    return _sc.gini(*_inputs(y, score, sample_weight, higher_is_safer))


def ks(y, score, *, higher_is_safer: Optional[bool] = None, sample_weight=None) -> float:
    """Kolmogorov–Smirnov statistic: the largest gap between the events' and non-events' score CDFs.

    Parameters
    ----------
    y : 1-D array-like of 0/1
        Outcomes; 1 is the event (bad).
    score : 1-D array-like
        Scores, probabilities or log-odds of the same rows.
    higher_is_safer : bool, optional
        True for scorecard points, False for a probability or log-odds of the event; None infers
        False only when every score lies in [0, 1], else it is an error.
    sample_weight : 1-D array-like, optional
        Row weights.

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.scorecard.ks([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.5
    """
    return _sc.ks(*_inputs(y, score, sample_weight, higher_is_safer))


def roc_curve(y, score, *, higher_is_safer: Optional[bool] = None,
              sample_weight=None) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve at every distinct score, riskiest first.

    Parameters
    ----------
    y : 1-D array-like of 0/1
        Outcomes; 1 is the event (bad).
    score : 1-D array-like
        Scores, probabilities or log-odds of the same rows.
    higher_is_safer : bool, optional
        True for scorecard points, False for a probability or log-odds of the event; None infers
        False only when every score lies in [0, 1], else it is an error.
    sample_weight : 1-D array-like, optional
        Row weights.

    Returns
    -------
    fpr, tpr, thresholds : numpy.ndarray
        Cumulative shares of non-events and events at or beyond each threshold (the first
        threshold is inf: nothing flagged yet).

    Examples
    --------
    >>> import bankquant as bq
    >>> fpr, tpr, thresholds = bq.scorecard.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr, tpr
    (array([0. , 0. , 0.5, 0.5, 1. ]), array([0. , 0.5, 0.5, 1. , 1. ]))
    >>> thresholds
    array([ inf, 0.8 , 0.4 , 0.35, 0.1 ])
    """
    c = _sc.roc_curve(*_inputs(y, score, sample_weight, higher_is_safer))
    return np.asarray(c.fpr), np.asarray(c.tpr), np.asarray(c.thresholds)


def ks_curve(y, score, *, higher_is_safer: Optional[bool] = None, sample_weight=None) -> pd.DataFrame:
    """Cumulative shares of events and non-events, riskiest first, their gap (max = KS), and the share
    of the population at or beyond each threshold.

    Parameters
    ----------
    y : 1-D array-like of 0/1
        Outcomes; 1 is the event (bad).
    score : 1-D array-like
        Scores, probabilities or log-odds of the same rows.
    higher_is_safer : bool, optional
        True for scorecard points, False for a probability or log-odds of the event; None infers
        False only when every score lies in [0, 1], else it is an error.
    sample_weight : 1-D array-like, optional
        Row weights.

    Returns
    -------
    pandas.DataFrame
        Columns ``threshold``, ``population``, ``cum_events``, ``cum_non_events``, ``gap``.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.scorecard.ks_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
       threshold  population  cum_events  cum_non_events  gap
    0        inf        0.00         0.0             0.0  0.0
    1       0.80        0.25         0.5             0.0  0.5
    2       0.40        0.50         0.5             0.5  0.0
    3       0.35        0.75         1.0             0.5  0.5
    4       0.10        1.00         1.0             1.0  0.0
    """
    c = _sc.roc_curve(*_inputs(y, score, sample_weight, higher_is_safer))
    tpr, fpr = np.asarray(c.tpr), np.asarray(c.fpr)
    return pd.DataFrame({"threshold": np.asarray(c.thresholds), "population": np.asarray(c.population),
                         "cum_events": tpr, "cum_non_events": fpr, "gap": np.abs(tpr - fpr)})


def gains_table(y, score, bands: int = 10, *, higher_is_safer: Optional[bool] = None,
                sample_weight=None) -> pd.DataFrame:
    """Gains and lift by score band; band 1 is the riskiest.

    Parameters
    ----------
    y : 1-D array-like of 0/1
        Outcomes; 1 is the event (bad).
    score : 1-D array-like
        Scores, probabilities or log-odds of the same rows.
    bands : int, default 10
        Bands of (about) equal count, >= 2.
    higher_is_safer : bool, optional
        As for :func:`auc`.
    sample_weight : 1-D array-like, optional
        Row weights.

    Returns
    -------
    pandas.DataFrame
        One row per band (index ``band``): ``min_score``, ``max_score``, ``count``, ``events``,
        ``non_events``, ``event_rate``, ``cum_events_share`` (events captured so far),
        ``cum_non_events_share``, ``lift`` (band event rate / overall), ``cum_lift`` and ``ks``
        (the gap so far).

    Examples
    --------
    >>> import bankquant as bq
    >>> y = [0, 0, 1, 1] * 5
    >>> p = [0.1, 0.4, 0.35, 0.8, 0.2, 0.3, 0.7, 0.9, 0.15, 0.25, 0.6, 0.5, 0.05, 0.45, 0.55, 0.65, 0.12, 0.33, 0.66, 0.99]
    >>> bq.scorecard.gains_table(y, p, bands=2)[["events", "event_rate", "lift", "ks"]].round(2)
          events  event_rate  lift   ks
    band
    1        9.0         0.9   1.8  0.8
    2        1.0         0.1   0.2  0.0
    """
    yv, sv, w, direction = _inputs(y, score, sample_weight, higher_is_safer)
    options = build(_sc.GainsOptions, bands=as_int(bands, "bands", minimum=2), direction=direction)
    t = _sc.gains_table(yv, sv, w, options)
    return pd.DataFrame([b.to_dict() for b in t.bands]).set_index("band")


def hosmer_lemeshow(y, probability, groups: int = 10, sample_weight=None):
    """Hosmer–Lemeshow calibration test over ``groups`` bands of predicted probability.

    The statistic is chi-square with groups - 2 degrees of freedom under good calibration (Hosmer
    and Lemeshow, Applied Logistic Regression, 2000): a small p value says the probabilities do not
    match the observed event rates.

    Parameters
    ----------
    y : 1-D array-like of 0/1
        Outcomes.
    probability : 1-D array-like
        Predicted P(event) of the same rows.
    groups : int, default 10
        Bands of predicted probability, >= 3.
    sample_weight : 1-D array-like, optional
        Row weights.

    Returns
    -------
    statistic : float
    p_value : float
    table : pandas.DataFrame
        Per group (index ``group``): ``count``, ``observed`` and ``expected`` events,
        ``mean_probability``.

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> p = bq.scorecard.Scorecard().fit(df, y).predict_proba(df)[:, 1]
    >>> statistic, p_value, table = bq.scorecard.hosmer_lemeshow(y, p)
    >>> round(statistic, 3), round(p_value, 4), len(table)
    (11.421, 0.1789, 10)
    """
    yv = as_float_vector(y, "y")
    pv = as_float_vector(probability, "probability")
    w = None if sample_weight is None else as_float_vector(sample_weight, "sample_weight")
    r = _sc.hosmer_lemeshow(yv, pv, w, build(_sc.HosmerLemeshowOptions, groups=as_int(groups, "groups", minimum=3)))
    table = pd.DataFrame([g.to_dict() for g in r.groups]).set_index("group")
    return float(r.statistic), float(r.p_value), table
