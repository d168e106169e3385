"""Screening and stepwise selection (C++, bankquant/scorecard/selection.hpp), each with a report
of why a variable went."""
from __future__ import annotations

import warnings
from typing import List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_float_matrix, fail
from ..exceptions import ConvergenceWarning, ModelWarning
from ._table import as_target, as_weights, check_frame

_sc = _core.scorecard
_SCREEN = _sc.ScreeningOptions()
_STEP = _sc.StepwiseOptions()


def screen(binner, X, *, min_iv: float = _SCREEN.min_iv, max_iv: float = _SCREEN.max_iv,
           max_missing_rate: float = _SCREEN.max_missing_rate,
           max_single_value_share: float = _SCREEN.max_single_value_share,
           max_correlation: float = _SCREEN.max_correlation, max_vif: float = _SCREEN.max_vif,
           sample_weight=None) -> Tuple[List[str], pd.DataFrame]:
    """Screens the characteristics of a fitted Binner on ``X`` and says why each one went: a leak, the
    missing rate, one dominant value, the IV, the WoE correlation with a stronger one, the VIF
    (limits and sources in ``bankquant/scorecard/selection.hpp``).

    Parameters
    ----------
    binner : Binner
        A fitted binner.
    X : DataFrame
        The sample to screen on (its WoE is computed with ``binner``).
    min_iv, max_iv : float, default 0.02, inf
        The IV must lie in [min_iv, max_iv] (0.02: Siddiqi's "unpredictive" bound).
    max_missing_rate : float, default 0.95
    max_single_value_share : float, default 0.95
        One value holding more of the rows than this drops the characteristic.
    max_correlation : float, default 0.7
        Walking from the highest IV, a characteristic whose WoE correlates above this with one
        already kept goes.
    max_vif : float, default 10
        Then the highest variance inflation factor goes until none exceeds this.
    sample_weight : 1-D array-like, optional
        Row weights.

    Returns
    -------
    kept : list of str
        Highest IV first.
    report : pandas.DataFrame
        Per characteristic (index ``variable``): ``iv``, ``missing_rate``, ``single_value_share``,
        ``kept`` and ``reason`` (empty when kept).

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
    >>> kept, report = bq.scorecard.screen(b, df)
    >>> len(kept), kept[:2]
    (12, ['status_of_existing_checking_account', 'credit_history'])
    """
    binner._check_fitted()
    X = check_frame(X)
    names = list(binner.binnings_)
    woe = binner.transform(X, columns=names)
    options = build(_sc.ScreeningOptions, min_iv=min_iv, max_iv=max_iv, max_missing_rate=max_missing_rate,
                    max_single_value_share=max_single_value_share, max_correlation=max_correlation, max_vif=max_vif)
    w = as_weights(sample_weight, len(X))
    r = _sc.screen([binner.binnings_[n] for n in names], np.ascontiguousarray(woe.to_numpy().T), w, options)
    report = pd.DataFrame({"iv": r.iv, "missing_rate": r.missing_rate, "single_value_share": r.single_value_share,
                           "kept": r.kept, "reason": r.reasons}, index=pd.Index(r.names, name="variable"))
    return [names[int(j)] for j in r.selected], report


def variance_inflation(X) -> pd.Series:
    """Variance inflation factors: VIF_j = 1 / (1 - R^2_j), the diagonal of the inverse correlation
    matrix (inf when a column is a linear combination of others).

    Parameters
    ----------
    X : DataFrame or 2-D array-like
        Columns to check (e.g. WoE features).

    Returns
    -------
    pandas.Series
        One VIF per column (indexed by the columns of a DataFrame).

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> woe = bq.scorecard.Binner(max_bins=5).fit(df, y).transform(df)
    >>> bq.scorecard.variance_inflation(woe[["duration_in_month", "credit_amount", "age_in_years"]]).round(3)
    duration_in_month    1.318
    credit_amount        1.320
    age_in_years         1.005
    dtype: float64
    """
    arr = as_float_matrix(X, "X")
    if arr.shape[1] == 0:
        fail("X", "expected at least one column")
    vif = _sc.variance_inflation(np.ascontiguousarray(arr.T), None)
    index = X.columns if isinstance(X, pd.DataFrame) else None
    return pd.Series(np.asarray(vif), index=index)


def stepwise(woe, y, *, direction: str = _STEP.direction, criterion: str = _STEP.criterion,
             p_enter: float = _STEP.p_enter, p_remove: float = _STEP.p_remove, sample_weight=None,
             max_variables: Optional[int] = None, start: Optional[Sequence[str]] = None) -> Tuple[List[str], pd.DataFrame]:
    """Forward, backward or both-ways selection by AIC, BIC or p value on a WoE matrix.

    With "aic"/"bic" a step is taken when it lowers the criterion most; with "pvalue" a variable
    enters when its p value is the smallest below ``p_enter`` and leaves when its p value is the
    largest above ``p_remove``. Candidate models are fitted in parallel in C++, warm-started.
    Defaults from the C++ ``StepwiseOptions``.

    Parameters
    ----------
    woe : DataFrame or 2-D array-like
        WoE features (columns of an array are named x0, x1, ...).
    y : 1-D array-like of 0/1
        Outcomes.
    direction : {"forward", "backward", "both"}
    criterion : {"aic", "bic", "pvalue"}
    p_enter, p_remove : float
        Thresholds of the "pvalue" criterion.
    sample_weight : 1-D array-like, optional
        Row weights.
    max_variables : int, optional
        Stop adding beyond this many.
    start : list of str, optional
        Columns in the model from the start.

    Returns
    -------
    selected : list of str
    history : pandas.DataFrame
        One row per step: ``step``, ``action`` ("enter"/"remove"), ``variable``, the criterion's
        value after the step and ``n_variables``.

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> woe = bq.scorecard.Binner(max_bins=5).fit(df, y).transform(df)
    >>> selected, history = bq.scorecard.stepwise(woe, y, criterion="bic")
    >>> len(selected)
    9
    >>> history[["action", "variable"]].head(2)
      action                             variable
    0  enter  status_of_existing_checking_account
    1  enter                    duration_in_month
    """
    names = [str(c) for c in woe.columns] if isinstance(woe, pd.DataFrame) else None
    arr = as_float_matrix(woe, "woe")
    names = names or [f"x{i}" for i in range(arr.shape[1])]
    yv = as_target(y, arr.shape[0])
    w = as_weights(sample_weight, arr.shape[0])
    options = build(_sc.StepwiseOptions, direction=direction, criterion=criterion, p_enter=p_enter, p_remove=p_remove,
                    max_variables=max_variables)
    first = []
    for s in start or []:
        if str(s) not in names:
            fail("start", f"{s!r} is not a column of woe")
        first.append(names.index(str(s)))
    r = _sc.stepwise(arr, yv, w, options, first)
    if len(r.excluded):
        left_out = "; ".join(f"{names[int(j)]!r} ({why})" for j, why in zip(r.excluded, r.excluded_reasons))
        warnings.warn(f"stepwise left out {len(r.excluded)} column(s) whose model could not be fitted: {left_out}",
                      ModelWarning, stacklevel=2)
    if r.model.separation != "none":
        warnings.warn(f"the selected model shows {r.model.separation} separation ({r.model.status.message})",
                      ConvergenceWarning, stacklevel=2)
    label = "p_value" if options.criterion == "pvalue" else options.criterion
    history = pd.DataFrame([{"step": s.step, "action": s.action, "variable": names[int(s.variable)],
                             label: s.value, "n_variables": s.n_variables} for s in r.history])
    return [names[int(j)] for j in r.selected], history
