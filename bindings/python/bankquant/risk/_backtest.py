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

    Parameters
    ----------
    pnl : 1-D array-like or Series
        Realised P&L of each day.
    var : 1-D array-like
        That day's VaR forecast (a positive loss).

    Returns
    -------
    numpy.ndarray of int, or a Series named "exception" on ``pnl``'s index.

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

    Parameters
    ----------
    exceptions : int or 1-D array-like of 0/1
        A count (with ``n``) or one flag per day (``n`` is its length).
    n : int, optional
        Days tested.
    level : float, default 0.99
        The VaR's confidence level.

    Returns
    -------
    TestResult
        ``statistic`` (the likelihood ratio, chi2(1)), ``p_value`` and ``p_value_exact``.

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

    Parameters
    ----------
    exceptions : int or 1-D array-like of 0/1
        A count (with ``n``) or one flag per day (``n`` is its length).
    n : int, optional
        Days tested.
    level : float, default 0.99
        The VaR's confidence level.

    Returns
    -------
    TestResult

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.risk.binomial_test(6, 250).p_value, 4)
    0.0412
    """
    x, n = _count_or_series(exceptions, n)
    return _risk.binomial_test(x, n, _level(level)) if n is not None else _risk.binomial_test_series(x, _level(level))


def tuff(exception_series, level: float = 0.99) -> TestResult:
    """Time until first failure (Kupiec 1995) on a 0/1 series.

    Parameters
    ----------
    exception_series : 1-D array-like of 0/1
        One flag per day, in time order.
    level : float, default 0.99
        The VaR's confidence level.

    Returns
    -------
    TestResult
        The likelihood ratio of the day of the first exception, chi2(1).

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> e = np.zeros(250, int); e[[10, 11, 100, 200]] = 1          # four exceptions, two in a row
    >>> round(bq.risk.tuff(e).p_value, 4)
    0.0998
    """
    return _risk.tuff_series(_series(exception_series, "exception_series"), _level(level))


def christoffersen(exception_series, level: float = 0.99) -> ChristoffersenResult:
    """Christoffersen's independence (CCI) and conditional-coverage (CC) tests on a 0/1 series;
    ``statistic`` and ``p_value`` are those of CC.

    Parameters
    ----------
    exception_series : 1-D array-like of 0/1
        One flag per day, in time order.
    level : float, default 0.99
        The VaR's confidence level.

    Returns
    -------
    ChristoffersenResult
        ``independence`` (CCI, chi2(1)) and ``conditional_coverage`` (CC = POF + CCI, chi2(2)) test
        results, and the transition counts ``n00``, ``n01``, ``n10``, ``n11``.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> e = np.zeros(250, int); e[[10, 11, 100, 200]] = 1          # four exceptions, two in a row
    >>> c = bq.risk.christoffersen(e)
    >>> round(c.independence.p_value, 4), round(c.conditional_coverage.p_value, 4), c.n11
    (0.0427, 0.0873, 1)
    """
    return _risk.christoffersen(_series(exception_series, "exception_series"), _level(level))


def time_between_failures(exception_series, level: float = 0.99) -> TimeBetweenFailuresResult:
    """Haas's (2001) time-between-failures tests: TBFI (independence, chi2(x)) and TBF (with POF).

    Parameters
    ----------
    exception_series : 1-D array-like of 0/1
        One flag per day, in time order.
    level : float, default 0.99
        The VaR's confidence level.

    Returns
    -------
    TimeBetweenFailuresResult
        ``independence`` (TBFI), ``combined`` (TBF) and the ``durations``: the day of the first
        exception, then the days between consecutive ones.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> e = np.zeros(250, int); e[[10, 11, 100, 200]] = 1          # four exceptions, two in a row
    >>> t = bq.risk.time_between_failures(e)
    >>> t.durations.tolist(), round(t.independence.p_value, 4)
    ([11, 1, 89, 100], 0.0179)
    """
    return _risk.time_between_failures(_series(exception_series, "exception_series"), _level(level))


def traffic_light(exceptions, n: Optional[int] = None, level: float = 0.99) -> TrafficLightResult:
    """Basel traffic light for the sample's own n: green while P(X <= exceptions) < 95%, yellow
    below 99.99%, red above; the plus factor of the Basel table for 250 days at 99%.
    ``exceptions`` is a 0/1 series (n is its length) or a count (n defaults to Basel's 250 days).

    Parameters
    ----------
    exceptions : int or 1-D array-like of 0/1
        A count or one flag per day.
    n : int, optional
        Days tested (default: the series' length, or 250 for a count).
    level : float, default 0.99

    Returns
    -------
    TrafficLightResult
        ``zone``, ``cumulative_probability``, ``green_limit``, ``yellow_limit`` and
        ``plus_factor`` (None unless n = 250 at 99 %).

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

    Parameters
    ----------
    pnl : 1-D array-like
        Realised P&L per day.
    var, es : 1-D array-like
        That day's VaR and ES forecasts (positive losses).
    level : float, default 0.975
        The forecasts' level (FRTB's ES level by default).
    dist : {"normal", "t", ...}, default "normal"
        The family matched to each day's VaR and ES.
    nu, skew : float
        Shape of that family.
    n_simulations : int, default 10,000
    seed : int, default 0
    lags : int, default 1
        Autocorrelation lags of the conditional Du–Escanciano test.
    ranks : 1-D array-like, optional
        The forecasts' own u_t = P_t(pnl_t), used instead of the ``dist`` family.

    Returns
    -------
    EsBacktestResult
        One TestResult per test (``z1``, ``z2``, ``z3``, ``minimally_biased_absolute``,
        ``minimally_biased_relative``, ``du_escanciano_unconditional``,
        ``du_escanciano_conditional``), with ``n`` and ``n_exceptions``.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> f = bq.risk.rolling_forecasts(r, {"hist": "historical"}, 0.99, test_days=250)
    >>> t = bq.risk.es_backtest(f.pnl, f.var[("hist", 0.99)], f.es[("hist", 0.99)], level=0.99, n_simulations=1000)
    >>> t.n_exceptions, round(t.z2.statistic, 4), round(t.z2.p_value, 3)
    (5, -0.8954, 0.098)
    """
    p = as_float_vector(pnl, "pnl")
    u = np.empty(0) if ranks is None else as_float_vector(ranks, "ranks")
    options = _risk.EsBacktestOptions(dist=dist, nu=as_float(nu, "nu"), skew=as_float(skew, "skew"),
                                      n_simulations=as_int(n_simulations, "n_simulations"), seed=as_seed(seed),
                                      lags=as_int(lags, "lags"))
    return _risk.es_backtest(p, as_float_vector(var, "var"), as_float_vector(es, "es"), _level(level), options, u)
