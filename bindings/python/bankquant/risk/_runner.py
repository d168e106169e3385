"""Rolling out-of-sample backtests (interim: the C++ runner of issue 14 replaces the loop below)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd

from .._validation import as_float_vector, as_int, fail
from ._backtest import (ChristoffersenResult, EsBacktestResult, TestResult, TrafficLightResult, christoffersen,
                        es_backtest, kupiec, traffic_light)
from ._common import time_ordered


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
    es_tests: Optional[EsBacktestResult]

    def summary(self) -> pd.DataFrame:
        k, c, tl = self.kupiec, self.christoffersen, self.traffic_light
        rows = [("days", len(self.table)), ("exceptions", int(self.table["exception"].sum())),
                ("expected exceptions", (1 - self.level) * len(self.table)),
                ("Kupiec LR (p)", f"{k.statistic:.3f} ({k.p_value:.3f}, exact {k.p_value_exact:.3f})"),
                ("Christoffersen independence (p)", f"{c.independence.statistic:.3f} ({c.independence.p_value:.3f})"),
                ("conditional coverage (p)", f"{c.statistic:.3f} ({c.p_value:.3f})"),
                ("traffic light", f"{tl.zone} (cumulative probability {tl.cumulative_probability:.4f})")]
        if tl.plus_factor is not None:
            rows.append(("plus factor", tl.plus_factor))
        if self.es_tests is not None:
            for name in ("z1", "z2", "z3"):
                t = getattr(self.es_tests, name)
                rows.append((f"Acerbi-Székely {name.upper()} (p)", f"{t.statistic:.3f} ({t.p_value:.3f})"))
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
        ax.set_title(f"{self.method} VaR backtest, {len(t)} days: {len(hits)} exceptions, {self.traffic_light.zone} zone")
        ax.legend(loc="lower left")
        return ax


def rolling_backtest(returns, window: int = 500, level: float = 0.99, method: str = "historical",
                     test_days: Optional[int] = 250, es_test: bool = True, **kwargs) -> BacktestReport:
    """Re-estimates VaR/ES each day on the previous ``window`` days and tests it on the next day."""
    from ._var import var_es as _var_es

    time_ordered(returns, "returns")
    x = as_float_vector(returns, "returns")
    window = as_int(window, "window", minimum=2)
    available = x.size - window
    if available < 1:
        fail("returns", f"{x.size} days leave none to test after a {window}-day window")
    days = available if test_days is None else as_int(test_days, "test_days")
    if days < 1 or days > available:
        fail("test_days", f"expected 1 to {available}, got {test_days!r}")
    start = x.size - days
    rows = []
    for t in range(start, x.size):
        est = _var_es(x[t - window:t], level, method, **kwargs)
        rows.append((x[t], float(est["var"].iloc[0]), float(est["es"].iloc[0])))
    index = returns.index[start:] if isinstance(returns, pd.Series) else pd.RangeIndex(start, x.size)
    table = pd.DataFrame(rows, columns=["pnl", "var", "es"], index=index)
    table["exception"] = (-table["pnl"] > table["var"]).astype(int)
    e = table["exception"].to_numpy()
    es = es_backtest(table["pnl"], np.maximum(table["var"], 0), table["es"], level, n_simulations=2000) if es_test else None
    return BacktestReport(table, level, method, window, kupiec(e, level=level), christoffersen(e, level), traffic_light(e, level=level), es)
