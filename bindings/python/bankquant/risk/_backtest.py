"""VaR and ES backtests: exceptions, Kupiec (POF), binomial, TUFF, Christoffersen (CCI/CC), time
between failures (TBFI/TBF), the Basel traffic light scaled to the sample, and the ES tests.

The tests and their references are in ``bankquant/risk/backtest.hpp`` and ``es_backtest.hpp``;
their results are the C++ records (``TestResult``, ``ChristoffersenResult``, ...), with every
field an attribute, ``to_dict()``, ``repr`` and pickling.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_bool_vector, as_float, as_float_vector, as_int, as_seed, fail

_risk = _core.risk

TestResult = _risk.TestResult
ChristoffersenResult = _risk.ChristoffersenResult
TimeBetweenFailuresResult = _risk.TimeBetweenFailuresResult
TrafficLightResult = _risk.TrafficLightResult
EsBacktestResult = _risk.EsBacktestResult


def _level(level) -> float:
    return as_float(level, "level")


def _series(values, name: str = "exceptions") -> np.ndarray:
    series = as_bool_vector(values, name)
    if series.size == 0:
        fail(name, "expected at least one day, got an empty series")
    return series


def _count_or_series(exceptions, n, default_n: Optional[int] = None):
    """(count, n) for a count, or (series, None) for a 0/1 series whose length is n."""
    if np.ndim(exceptions) == 0 and not isinstance(exceptions, (list, tuple)):
        count = as_int(exceptions, "exceptions", minimum=0)
        if n is None:
            if default_n is None:
                fail("n", "required when 'exceptions' is a count (with a 0/1 series it is the series' length)")
            n = default_n
        return count, as_int(n, "n", minimum=1)
    series = _series(exceptions)
    if n is not None and as_int(n, "n") != series.size:
        fail("n", f"expected the length of the exception series ({series.size}), got {n}; n is taken from a series "
                  "(pass it only with a count)")
    return series, None


def exceptions(pnl, var):
    """1 on days whose loss (-pnl) exceeds that day's VaR (a positive loss); a Series for a Series.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.risk.exceptions([-3.0, 1.0, -1.0], [2.0, 2.0, 2.0]).tolist()
    [1, 0, 0]
    """
    flags = _risk.exceptions(as_float_vector(pnl, "pnl"), as_float_vector(var, "var"))
    if isinstance(pnl, pd.Series):
        return pd.Series(flags, index=pnl.index, name="exception")
    return np.asarray(flags)


def kupiec(exceptions, n: Optional[int] = None, level: float = 0.99) -> TestResult:
    """Kupiec's proportion-of-failures test (POF); ``exceptions`` is a count (with ``n``) or a 0/1
    series (``n`` is its length). ``p_value_exact`` is the exact finite-sample p value.

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.risk.kupiec(8, 250, level=0.99)
    >>> round(r.statistic, 4), round(r.p_value, 4)
    (7.7336, 0.0054)
    """
    x, n = _count_or_series(exceptions, n)
    return _risk.kupiec(x, n, _level(level)) if n is not None else _risk.kupiec_series(x, _level(level))


def binomial_test(exceptions, n: Optional[int] = None, level: float = 0.99) -> TestResult:
    """Exact one-sided test of too many exceptions, P(X >= x) under Binomial(n, 1 - level).

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.risk.binomial_test(6, 250).p_value, 4)
    0.0412
    """
    x, n = _count_or_series(exceptions, n)
    return _risk.binomial_test(x, n, _level(level)) if n is not None else _risk.binomial_test_series(x, _level(level))


def tuff(exception_series, level: float = 0.99) -> TestResult:
    """Time until first failure (Kupiec 1995) on a 0/1 series."""
    return _risk.tuff_series(_series(exception_series, "exception_series"), _level(level))


def christoffersen(exception_series, level: float = 0.99) -> ChristoffersenResult:
    """Christoffersen's independence (CCI) and conditional-coverage (CC) tests on a 0/1 series;
    ``statistic`` and ``p_value`` are those of CC."""
    return _risk.christoffersen(_series(exception_series, "exception_series"), _level(level))


def time_between_failures(exception_series, level: float = 0.99) -> TimeBetweenFailuresResult:
    """Haas's (2001) time-between-failures tests: TBFI (independence, chi2(x)) and TBF (with POF)."""
    return _risk.time_between_failures(_series(exception_series, "exception_series"), _level(level))


def traffic_light(exceptions, n: Optional[int] = None, level: float = 0.99) -> TrafficLightResult:
    """Basel traffic light for the sample's own n: green while P(X <= exceptions) < 95%, yellow
    below 99.99%, red above; the plus factor of the Basel table for 250 days at 99%.
    ``exceptions`` is a 0/1 series (n is its length) or a count (n defaults to Basel's 250 days).

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.risk.traffic_light(6).zone, bq.risk.traffic_light(6).plus_factor
    ('yellow', 0.5)
    >>> bq.risk.traffic_light(15, n=1000).zone      # 10 expected in 1,000 days
    'yellow'
    """
    x, n = _count_or_series(exceptions, n, default_n=250)
    return _risk.traffic_light(x, n, _level(level)) if n is not None else _risk.traffic_light_series(x, _level(level))


def es_backtest(pnl, var, es, level: float = 0.975, dist: str = "normal", nu: float = 5.0, skew: float = 0.0,
                n_simulations: int = 10_000, seed: int = 0, lags: int = 1, ranks=None) -> EsBacktestResult:
    """Expected-shortfall backtests: Acerbi–Székely Z1, Z2, Z3, the minimally biased tests
    (absolute and relative) and Du–Escanciano's unconditional and conditional tests.

    Each day's forecast distribution is the ``dist`` family (with ``nu``, ``skew``) matched to
    that day's VaR and ES, or the forecasts' own ranks ``ranks`` (u_t = P_t(pnl_t)) when given.
    Simulated p values are one-sided (small: the model understates the tail) and reproducible
    with ``seed``. See ``bankquant/risk/es_backtest.hpp``.
    """
    p = as_float_vector(pnl, "pnl")
    u = np.empty(0) if ranks is None else as_float_vector(ranks, "ranks")
    options = _risk.EsBacktestOptions(dist=dist, nu=as_float(nu, "nu"), skew=as_float(skew, "skew"),
                                      n_simulations=as_int(n_simulations, "n_simulations"), seed=as_seed(seed),
                                      lags=as_int(lags, "lags"))
    return _risk.es_backtest(p, as_float_vector(var, "var"), as_float_vector(es, "es"), _level(level), options, u)
