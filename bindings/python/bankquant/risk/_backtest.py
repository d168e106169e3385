"""VaR backtests: exceptions, Kupiec, binomial, TUFF, Christoffersen, Basel traffic light."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_vector
from ..exceptions import InvalidArgumentError

_risk = _core.risk


@dataclass
class TestResult:
    name: str
    statistic: float
    p_value: float
    p_value_exact: Optional[float] = None


@dataclass
class ChristoffersenResult:
    independence: TestResult
    conditional_coverage: TestResult
    transitions: tuple  # n00, n01, n10, n11

    @property
    def statistic(self) -> float:
        return self.conditional_coverage.statistic

    @property
    def p_value(self) -> float:
        return self.conditional_coverage.p_value


@dataclass
class TrafficLightResult:
    zone: str
    cumulative_probability: float
    plus_factor: Optional[float]


def _count(exceptions) -> int:
    if np.ndim(exceptions) == 0:
        if isinstance(exceptions, bool) or not float(exceptions).is_integer() or exceptions < 0:
            raise InvalidArgumentError(f"argument 'exceptions': expected a non-negative count, got {exceptions!r}")
        return int(exceptions)
    return int(_series(exceptions).sum())


def _series(e) -> np.ndarray:
    arr = np.asarray(e)
    if arr.ndim != 1 or not np.isin(arr, (0, 1, True, False)).all():
        raise InvalidArgumentError("argument 'exception_series': expected a 1-D series of 0/1 flags")
    return arr.astype(np.int32)


def exceptions(pnl, var) -> np.ndarray:
    """1 on days whose loss (-pnl) exceeds that day's VaR (a positive number)."""
    flags = _risk_exceptions(as_float_vector(pnl, "pnl"), as_float_vector(var, "var"))
    if isinstance(pnl, pd.Series):
        return pd.Series(flags, index=pnl.index, name="exception")
    return flags


def _risk_exceptions(pnl, var):
    if pnl.shape != var.shape:
        raise InvalidArgumentError(f"arguments 'pnl' and 'var': expected the same length, got {pnl.size} and {var.size}")
    if not (np.isfinite(pnl).all() and np.isfinite(var).all()):
        raise InvalidArgumentError("arguments 'pnl' and 'var': expected finite values")
    return (-pnl > var).astype(np.int32)


def kupiec(exceptions, n: Optional[int] = None, level: float = 0.99) -> TestResult:
    """Kupiec's proportion-of-failures test; ``exceptions`` is a count (with ``n``) or a 0/1 series.

    >>> import bankquant as bq
    >>> r = bq.risk.kupiec(8, 250, level=0.99)
    >>> round(r.statistic, 4), round(r.p_value, 4)
    (7.7336, 0.0054)
    """
    if n is None:
        if np.ndim(exceptions) == 0:
            raise InvalidArgumentError("argument 'n': required when 'exceptions' is a count")
        n = len(exceptions)
    return TestResult(**_risk.kupiec(_count(exceptions), int(n), float(level)))


def binomial_test(exceptions, n: Optional[int] = None, level: float = 0.99) -> TestResult:
    """Exact one-sided test of too many exceptions, P(X >= x) under Binomial(n, 1 - level)."""
    n = len(exceptions) if n is None else n
    return TestResult(**_risk.binomial_test(_count(exceptions), int(n), float(level)))


def tuff(exception_series, level: float = 0.99) -> TestResult:
    """Time until first failure (Kupiec 1995) on a 0/1 series."""
    e = _series(exception_series)
    first = int(np.argmax(e)) + 1 if e.any() else 0
    return TestResult(**_risk.tuff(first, int(e.size), float(level)))


def christoffersen(exception_series, level: float = 0.99) -> ChristoffersenResult:
    """Christoffersen's independence and conditional-coverage tests on a 0/1 exception series."""
    r = _risk.christoffersen(_series(exception_series), float(level))
    return ChristoffersenResult(TestResult(**r["independence"]), TestResult(**r["conditional_coverage"]),
                                tuple(r["transitions"]))


def traffic_light(exceptions, n: int = 250, level: float = 0.99) -> TrafficLightResult:
    """Basel traffic light: zone from P(X <= exceptions); plus factor for 250 days at 99%.

    >>> import bankquant as bq
    >>> bq.risk.traffic_light(6).zone, bq.risk.traffic_light(6).plus_factor
    ('yellow', 0.5)
    """
    zone, prob, plus = _risk.traffic_light(_count(exceptions), int(n), float(level))
    return TrafficLightResult(zone, prob, plus)
