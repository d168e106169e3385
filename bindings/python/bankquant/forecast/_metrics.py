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
    """Mean absolute error; pairs with a NaN are skipped.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.forecast.mae([1, 2, 3], [2, 2, 5])
    1.0
    """
    return _fc.mean_absolute_error(*_pair(actual, forecast))


def rmse(actual, forecast) -> float:
    """Root mean squared error; pairs with a NaN are skipped.

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.forecast.rmse([1, 2, 3], [2, 2, 5]), 6)
    1.290994
    """
    return _fc.root_mean_squared_error(*_pair(actual, forecast))


def smape(actual, forecast) -> float:
    """Symmetric MAPE in percent (0 where actual and forecast are both 0).

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.forecast.smape([1, 2], [1, 2]), 6)
    0.0
    """
    return _fc.symmetric_mape(*_pair(actual, forecast))


def mase(actual, forecast, insample, season_length: int = 1) -> float:
    """MAE scaled by the in-sample seasonal-naive MAE of ``insample`` (R's ``accuracy``).

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.forecast.mase([1, 2, 3], [2, 2, 5], insample=[1, 3, 2, 4]), 6)
    0.6
    """
    a, f = _pair(actual, forecast)
    return _fc.mean_absolute_scaled_error(a, f, as_float_vector(insample, "insample", allow_nan=True),
                                          as_int(season_length, "season_length", minimum=1, maximum=10_000_000))


def coverage(actual, lower, upper) -> float:
    """Share of actuals inside [lower, upper].

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.forecast.coverage([1, 5], [0, 0], [2, 2])
    0.5
    """
    a, lo = _pair(actual, lower, "lower")
    return _fc.interval_coverage(a, lo, as_float_vector(upper, "upper", allow_nan=True))


def winkler_score(actual, lower, upper, level: float) -> float:
    """Winkler (1972) interval score at ``level`` percent: width plus 2/alpha times the miss.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.forecast.winkler_score([1.0], [0.0], [2.0], level=80)
    2.0
    """
    a, lo = _pair(actual, lower, "lower")
    return _fc.winkler_score(a, lo, as_float_vector(upper, "upper", allow_nan=True), as_float(level, "level"))


def pinball_loss(actual, quantile, probability: float) -> float:
    """Pinball (quantile) loss of the ``probability``-quantile forecast.

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

    Use ``first_time = n + 1`` for the future of an n-long history. Columns "S1-24", "C1-24", ...

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.forecast.fourier_terms([24, 168], [2, 2], rows=3).shape
    (3, 8)
    """
    p = np.atleast_1d(as_float_vector(np.atleast_1d(np.asarray(periods, dtype=object)).tolist(), "periods"))
    k = as_int_vector(np.atleast_1d(np.asarray(harmonics, dtype=object)).tolist(), "harmonics")
    values, names = _fc.fourier_terms(list(p), [int(v) for v in k], as_int(rows, "rows", minimum=0, maximum=10_000_000),
                                      as_float(first_time, "first_time"))
    return pd.DataFrame(np.asarray(values).reshape(-1, len(names)), columns=list(names))
