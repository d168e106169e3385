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


@dataclass
class AcerbiSzekelyResult:
    z1: float
    z1_p_value: float
    z2: float
    z2_p_value: float
    n_simulations: int


def acerbi_szekely(pnl, var, es, level: float = 0.975, dist: str = "normal", nu: float = 5.0,
                   n_simulations: int = 10_000, seed: int = 0) -> AcerbiSzekelyResult:
    """Expected-shortfall backtests Z1 and Z2 of Acerbi and Székely (Risk, 2014).

    With losses L_t = -pnl_t, exceptions I_t = [L_t > VaR_t] and N = sum I_t:
    Z1 = 1 - (1/N) sum I_t L_t / ES_t (conditional on exceptions) and
    Z2 = 1 - sum I_t L_t / (T (1 - alpha) ES_t) (unconditional). Both are 0 in expectation under a
    correct model and negative when the model underestimates the tail. p values are one-sided and
    simulated under the model's own distribution: a location-scale ``dist`` ("normal" or "t" with
    ``nu``) matched to each day's VaR and ES, with bankquant's reproducible streams.
    """
    from scipy import stats

    from .. import random as bq_random

    L = -as_float_vector(pnl, "pnl")
    v = as_float_vector(var, "var")
    e = as_float_vector(es, "es")
    if not (L.shape == v.shape == e.shape):
        raise InvalidArgumentError(f"arguments 'pnl', 'var', 'es': expected the same length, got {L.size}, {v.size}, {e.size}")
    if not (np.isfinite(L).all() and np.isfinite(v).all() and np.isfinite(e).all()):
        raise InvalidArgumentError("arguments 'pnl', 'var', 'es': expected finite values")
    if (e <= 0).any():
        raise InvalidArgumentError("argument 'es': expected positive expected shortfalls")
    if not 0 < level < 1:
        raise InvalidArgumentError(f"argument 'level': expected a value in (0, 1), got {level}")
    if dist not in ("normal", "t"):
        raise InvalidArgumentError(f"argument 'dist': expected 'normal' or 't', got {dist!r}")
    T = L.size

    def z_statistics(losses):
        hit = losses > v
        n_hit = hit.sum(axis=-1)
        ratio = np.where(hit, losses / e, 0.0).sum(axis=-1)
        z1 = np.where(n_hit > 0, 1 - ratio / np.maximum(n_hit, 1), 0.0)
        z2 = 1 - ratio / (T * (1 - level))
        return z1, z2

    z1, z2 = z_statistics(L)
    # The model's loss distribution each day: location m_t and scale s_t matched to (VaR_t, ES_t).
    if dist == "normal":
        q, tail = stats.norm.ppf(level), stats.norm.pdf(stats.norm.ppf(level)) / (1 - level)
        sample = lambda u: stats.norm.ppf(u)
    else:
        q = stats.t.ppf(level, nu)
        tail = stats.t.pdf(q, nu) * (nu + q * q) / ((nu - 1) * (1 - level))
        sample = lambda u: stats.t.ppf(u, nu)
    scale = (e - v) / (tail - q)
    loc = v - scale * q
    u = bq_random.uniform(n_simulations * T, seed=seed, progress=False).reshape(n_simulations, T)
    sim1, sim2 = z_statistics(loc + scale * sample(u))
    return AcerbiSzekelyResult(float(z1), float((sim1 <= z1).mean()), float(z2), float((sim2 <= z2).mean()),
                               n_simulations)


@dataclass
class BacktestReport:
    """A rolling out-of-sample backtest: the daily table and the tests on it."""

    table: pd.DataFrame
    level: float
    method: str
    window: int
    kupiec: TestResult
    christoffersen: ChristoffersenResult
    traffic_light: TrafficLightResult
    acerbi_szekely: Optional[AcerbiSzekelyResult]

    def summary(self) -> pd.DataFrame:
        rows = [("days", len(self.table)), ("exceptions", int(self.table["exception"].sum())),
                ("expected exceptions", (1 - self.level) * len(self.table)),
                ("Kupiec LR (p)", f"{self.kupiec.statistic:.3f} ({self.kupiec.p_value:.3f}, exact {self.kupiec.p_value_exact:.3f})"),
                ("Christoffersen independence (p)", f"{self.christoffersen.independence.statistic:.3f} "
                                                    f"({self.christoffersen.independence.p_value:.3f})"),
                ("conditional coverage (p)", f"{self.christoffersen.statistic:.3f} ({self.christoffersen.p_value:.3f})"),
                ("traffic light", f"{self.traffic_light.zone} (cumulative probability "
                                  f"{self.traffic_light.cumulative_probability:.4f})")]
        if self.traffic_light.plus_factor is not None:
            rows.append(("plus factor", self.traffic_light.plus_factor))
        if self.acerbi_szekely is not None:
            a = self.acerbi_szekely
            rows += [("Acerbi-Székely Z1 (p)", f"{a.z1:.3f} ({a.z1_p_value:.3f})"),
                     ("Acerbi-Székely Z2 (p)", f"{a.z2:.3f} ({a.z2_p_value:.3f})")]
        return pd.DataFrame(rows, columns=["item", "value"]).set_index("item")

    def plot(self, ax=None):
        """P&L bars, the VaR line and the exceptions marked; the zone in the title."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        t = self.table
        ax.bar(t.index, t["pnl"], color=np.where(t["pnl"] >= 0, "#9ecae1", "#fdae6b"), width=1.0, label="P&L")
        ax.plot(t.index, -t["var"], color="#d62728", lw=1.2, label=f"-VaR {self.level:.1%}")
        hits = t[t["exception"] == 1]
        ax.scatter(hits.index, hits["pnl"], color="k", zorder=3, s=18, label=f"exceptions ({len(hits)})")
        zone = self.traffic_light.zone
        ax.set_title(f"{self.method} VaR backtest, {len(t)} days: {len(hits)} exceptions, {zone} zone")
        ax.legend(loc="lower left")
        return ax


def rolling_backtest(returns, window: int = 500, level: float = 0.99, method: str = "historical",
                     test_days: Optional[int] = 250, es_test: bool = True, **kwargs) -> BacktestReport:
    """Re-estimates VaR/ES each day on the previous ``window`` days and tests it on the next day.

    ``returns`` is a Series (a DatetimeIndex is kept) or array of daily returns/P&L; the last
    ``test_days`` days (all that the window leaves when None) form the test sample. Any method of
    ``var_es`` (extra arguments pass through).
    """
    from ._var import var_es as _var_es

    x = as_float_vector(returns, "returns")
    if not isinstance(window, int) or window < 2:
        raise InvalidArgumentError(f"argument 'window': expected an integer >= 2, got {window!r}")
    available = x.size - window
    if available < 1:
        raise InvalidArgumentError(f"argument 'returns': {x.size} days leave none to test after a {window}-day window")
    days = available if test_days is None else int(test_days)
    if days < 1 or days > available:
        raise InvalidArgumentError(f"argument 'test_days': expected 1 to {available}, got {test_days!r}")
    start = x.size - days
    rows = []
    for t in range(start, x.size):
        est = _var_es(x[t - window:t], level, method, **kwargs)
        rows.append((x[t], float(est["var"].iloc[0]), float(est["es"].iloc[0])))
    index = returns.index[start:] if isinstance(returns, pd.Series) else pd.RangeIndex(start, x.size)
    table = pd.DataFrame(rows, columns=["pnl", "var", "es"], index=index)
    table["exception"] = (-table["pnl"] > table["var"]).astype(int)
    n_exc = int(table["exception"].sum())
    tl = traffic_light(n_exc, days, level)
    az = acerbi_szekely(table["pnl"], table["var"], table["es"], level, n_simulations=2000) if es_test else None
    return BacktestReport(table, level, method, window, kupiec(n_exc, days, level),
                          christoffersen(table["exception"].to_numpy(), level), tl, az)
