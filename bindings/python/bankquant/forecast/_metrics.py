"""Accuracy measures (definitions and references in bankquant/forecast/accuracy.hpp) and
Fourier terms (forecast/fourier.hpp)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_vector, as_int, as_int_vector, fail

_fc = _core.forecast


def _pair(actual, forecast, second: str = "forecast"):
    return as_float_vector(actual, "actual", allow_nan=True), as_float_vector(forecast, second, allow_nan=True)


def mae(actual, forecast) -> float:
    """Mean absolute error, mean ``|y - f|``.

    Pairs where the actual or the forecast is NaN are skipped; with no pair left the result is NaN
    (C++ ``bankquant/forecast/accuracy.hpp``).

    Parameters
    ----------
    actual : 1-D array-like
        Observed values.
    forecast : 1-D array-like
        Point forecasts, as long as ``actual``.

    Returns
    -------
    float

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> bq.forecast.mae([1, 2, 3], [2, 2, 5])
    1.0
    >>> bq.forecast.mae([1, np.nan, 3], [2, 2, 5])     # the NaN pair is skipped
    1.5
    """
    return _fc.mean_absolute_error(*_pair(actual, forecast))


def rmse(actual, forecast) -> float:
    """Root mean squared error, sqrt(mean (y - f)^2).

    Pairs where the actual or the forecast is NaN are skipped; with no pair left the result is NaN
    (C++ ``bankquant/forecast/accuracy.hpp``).

    Parameters
    ----------
    actual : 1-D array-like
        Observed values.
    forecast : 1-D array-like
        Point forecasts, as long as ``actual``.

    Returns
    -------
    float

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.forecast.rmse([1, 2, 3], [2, 2, 5]), 6)
    1.290994
    """
    return _fc.root_mean_squared_error(*_pair(actual, forecast))


def smape(actual, forecast) -> float:
    """Symmetric MAPE in percent, mean ``200 |y - f| / (|y| + |f|)`` (0 where both are 0, as statsforecast).

    Pairs where the actual or the forecast is NaN are skipped; with no pair left the result is NaN
    (C++ ``bankquant/forecast/accuracy.hpp``).

    Parameters
    ----------
    actual : 1-D array-like
        Observed values.
    forecast : 1-D array-like
        Point forecasts, as long as ``actual``.

    Returns
    -------
    float

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.forecast.smape([1, 2], [1, 2]), 6)
    0.0
    >>> round(bq.forecast.smape([100, 0], [50, 0]), 4)
    33.3333
    """
    return _fc.symmetric_mape(*_pair(actual, forecast))


def mase(actual, forecast, insample, season_length: int = 1) -> float:
    """Mean absolute scaled error: the MAE divided by the in-sample MAE of the seasonal naive forecast
    (lag ``season_length``) on ``insample``, as R's ``accuracy`` (Hyndman and Koehler 2006).

    Below 1: better than the seasonal naive method was on the history.

    Parameters
    ----------
    actual : 1-D array-like
        Observed values of the test period.
    forecast : 1-D array-like
        Point forecasts, as long as ``actual``.
    insample : 1-D array-like
        The training series whose errors y_t - y_{t-m} set the scale.
    season_length : int, default 1
        The lag m (1: the naive forecast).

    Returns
    -------
    float

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.forecast.mase([1, 2, 3], [2, 2, 5], insample=[1, 3, 2, 4]), 6)   # MAE 1 / naive MAE 5/3
    0.6
    """
    a, f = _pair(actual, forecast)
    return _fc.mean_absolute_scaled_error(a, f, as_float_vector(insample, "insample", allow_nan=True),
                                          as_int(season_length, "season_length", minimum=1, maximum=10_000_000))


def coverage(actual, lower, upper) -> float:
    """Share of actuals inside their interval [lower, upper] (bounds included).

    Parameters
    ----------
    actual : 1-D array-like
        Observed values.
    lower, upper : 1-D array-like
        Interval bounds, as long as ``actual``.

    Returns
    -------
    float
        In [0, 1]; compare it with the interval's nominal level.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.forecast.coverage([1, 5], [0, 0], [2, 2])
    0.5
    """
    a, lo = _pair(actual, lower, "lower")
    return _fc.interval_coverage(a, lo, as_float_vector(upper, "upper", allow_nan=True))


def winkler_score(actual, lower, upper, level: float) -> float:
    """Winkler (1972) interval score at ``level`` percent: the width, plus 2/alpha times the distance by
    which the actual misses the interval (alpha = 1 - level/100). Lower is better.

    Parameters
    ----------
    actual : 1-D array-like
        Observed values.
    lower, upper : 1-D array-like
        Interval bounds, as long as ``actual``.
    level : float
        The intervals' level in percent, e.g. 80 or 95.

    Returns
    -------
    float
        The mean score.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.forecast.winkler_score([1.0], [0.0], [2.0], level=80)    # inside: the width
    2.0
    >>> round(bq.forecast.winkler_score([3.0], [0.0], [2.0], level=80), 10)    # 1 above: 2 + (2 / 0.2) * 1
    12.0
    """
    a, lo = _pair(actual, lower, "lower")
    return _fc.winkler_score(a, lo, as_float_vector(upper, "upper", allow_nan=True), as_float(level, "level"))


def pinball_loss(actual, quantile, probability: float) -> float:
    """Pinball (quantile) loss of the ``probability``-quantile forecast: mean max(p (y - q), (p - 1)(y - q))
    (Gneiting and Raftery 2007).

    Parameters
    ----------
    actual : 1-D array-like
        Observed values.
    quantile : 1-D array-like
        The forecast p-quantiles, as long as ``actual``.
    probability : float
        p, in (0, 1).

    Returns
    -------
    float

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.forecast.pinball_loss([1, 2, 3], [2, 2, 5], 0.9), 6)
    0.1
    """
    a, q = _pair(actual, quantile, "quantile")
    return _fc.pinball_loss(a, q, as_float(probability, "probability"))


def fourier_terms(periods, harmonics, rows: int, first_time: float = 1.0) -> pd.DataFrame:
    """R's ``forecast::fourier``: sin/cos pairs for each period at t = first_time, first_time + 1, ...

    Column k of period m is sin(2 pi k t / m) ("Sk-m") and cos(2 pi k t / m) ("Ck-m"), as regressors
    for long or multiple seasons. Use ``first_time = n + 1`` for the future of an n-long history.

    Parameters
    ----------
    periods : float or list of float
        Season lengths in steps, e.g. [24, 168].
    harmonics : int or list of int
        Pairs per period (at most half the period).
    rows : int
        Number of time points.
    first_time : float, default 1
        The first t (R counts from 1).

    Returns
    -------
    pandas.DataFrame
        ``rows`` rows; for each period its sines and cosines, "S1-24", "C1-24", "S2-24", ...

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.forecast.fourier_terms([24], [2], rows=2).round(4)
        S1-24   C1-24  S2-24  C2-24
    0  0.2588  0.9659  0.500  0.866
    1  0.5000  0.8660  0.866  0.500
    """
    p = np.atleast_1d(as_float_vector(np.atleast_1d(np.asarray(periods, dtype=object)).tolist(), "periods"))
    k = as_int_vector(np.atleast_1d(np.asarray(harmonics, dtype=object)).tolist(), "harmonics")
    values, names = _fc.fourier_terms(list(p), [int(v) for v in k], as_int(rows, "rows", minimum=0, maximum=10_000_000),
                                      as_float(first_time, "first_time"))
    return pd.DataFrame(np.asarray(values).reshape(-1, len(names)), columns=list(names))
