"""Staffing: Erlang C and required servers against scipy, the roster against python3-pulp + CBC on the
same integer program, and the simulator's week against the issue's target.

Data: the bundled bank call centre (5-minute calls, weekdays 07:00-21:05); forecast frame of the agreed
shape from weekday x slot means of the eight weeks before 2003-06-02 (negative-binomial sizes by
moments), 4-minute handling, 80% in 20 s.
"""
from __future__ import annotations

import time
from typing import List

import numpy as np
import pandas as pd

import bankquant as bq

from . import Case

TITLE = "Staffing"

NOTES = [
    "- Data: the bundled bank call centre (5-minute calls, weekdays 07:00-21:05); the week of 2003-06-02 forecast by "
    "weekday x slot means of the eight weeks before (negative-binomial sizes by moments); 4-minute handling, 80% in 20 s.",
    "- The scipy peers are what a Python user writes without a library: the closed form per call, and for required "
    "servers a scan up per interval in Python (most of that ratio is the Python loop).",
    "- Roster: the same integer program (two templates, no breaks or contracts, days independent) in pulp with "
    "Debian's CBC binary, both to a 1% gap; costs are equal (below).",
]


def _week():
    calls = bq.datasets.bank_call_centre()
    days = calls["timestamp"].dt.normalize()
    week = pd.Timestamp("2003-06-02")
    history = calls[(days >= week - pd.Timedelta(weeks=8)) & (days < week)]
    actual = calls[(days >= week) & (days < week + pd.Timedelta(days=7))].reset_index(drop=True)
    key = lambda ts: ts.dt.dayofweek.astype(str) + " " + ts.dt.strftime("%H:%M")  # noqa: E731
    moments = history.groupby(key(history["timestamp"]).to_numpy())["calls"].agg(["mean", "var"])
    m = moments["mean"].reindex(key(actual["timestamp"])).to_numpy()
    v = moments["var"].reindex(key(actual["timestamp"])).to_numpy()
    size = np.where(v > m, m ** 2 / np.maximum(v - m, 1e-9), np.inf)
    return pd.DataFrame({"unique_id": "cc", "ds": actual["timestamp"], "SlotMean": m, "SlotMean-size": size}), actual


def _scipy_erlang_c(lam, s, n, t):
    """Erlang C the way a Python user writes it: C = P(N = n) / (P(N = n) + (1 - rho) P(N < n)), N Poisson(a)."""
    from scipy import stats

    a = lam * s
    top = stats.poisson.pmf(n, a)
    c = top / (top + (1 - a / n) * stats.poisson.cdf(n - 1, a))
    return 1 - c * np.exp(-(n - a) * t / s)


def _scipy_required_servers(rates, s, sl, t):
    out = np.empty(len(rates), dtype=int)
    for i, lam in enumerate(rates):
        n = int(np.floor(lam * s)) + 1
        while _scipy_erlang_c(lam, s, n, t) < sl:
            n += 1
        out[i] = n
    return out


def _pulp_roster(need, length, starts, solver_path="/usr/bin/cbc"):
    import pulp

    prob = pulp.LpProblem("roster", pulp.LpMinimize)
    days, width = need.shape
    x = {(d, k, s): pulp.LpVariable(f"x_{d}_{k}_{s}", lowBound=0, cat="Integer")
         for d in range(days) for k, (L, c) in enumerate(length) for s in starts[k]}
    prob += pulp.lpSum(length[k][0] * length[k][1] * v for (d, k, s), v in x.items())
    for d in range(days):
        for t in range(width):
            prob += pulp.lpSum(v for (dd, k, s), v in x.items() if dd == d and s <= t < s + length[k][0]) >= need[d, t]
    prob.solve(pulp.COIN_CMD(path=solver_path, msg=False, gapRel=0.01))
    return pulp.value(prob.objective)


def _roster_data():
    forecast, _ = _week()
    req = bq.staffing.staffing_requirements(forecast, service_time=4.0, service_level=0.8, target_time=1 / 3)
    need = bq.staffing.requirement_grid(req, freq="15min").to_numpy()
    width = need.shape[1]
    templates = [bq.staffing.ShiftTemplate(name="eight_hours", length=32, earliest_start=0, latest_start=width - 32),
                 bq.staffing.ShiftTemplate(name="four_hours", length=16, earliest_start=0, latest_start=width - 16,
                                           cost_per_interval=1.1)]
    return need, templates


def cases() -> List[Case]:
    def erlang_setup():
        rng = np.random.default_rng(5)
        n = 1000
        lam = rng.uniform(0.5 * n, 0.97 * n, 200)
        return lam, n

    def required_setup():
        forecast, _ = _week()
        rates = np.tile(forecast["SlotMean"].to_numpy() / 5.0, 12)[:10_000]
        return rates

    def roster_ours(d):
        need, templates = d
        return bq.staffing.solve_roster(need, templates, relative_gap=0.01, time_limit=120).cost

    def roster_peer(d):
        need, templates = d
        width = need.shape[1]
        return _pulp_roster(need, [(32, 1.0), (16, 1.1)], [range(width - 31), range(width - 15)])

    return [
        Case("Erlang C service level, 1,000 servers (200 loads)", "scipy.stats.poisson closed form",
             erlang_setup, lambda d: [bq.staffing.erlang_c(x, 1.0, d[1], 0.2).service_level for x in d[0]],
             lambda d: [_scipy_erlang_c(x, 1.0, d[1], 0.2) for x in d[0]]),
        Case("required servers, 10,000 intervals (call-centre rates)", "scipy closed form, scan up per interval",
             required_setup, lambda r: bq.staffing.required_servers(r, 4.0, 0.8, 1 / 3),
             lambda r: _scipy_required_servers(r, 4.0, 0.8, 1 / 3)),
        Case("roster, call-centre week, 15-min grid, 2 templates (1% gap)", "python3-pulp 2.6 + CBC 2.10 (same model)",
             _roster_data, roster_ours, roster_peer),
    ]


def extra_sections(rows) -> str:
    """The roster costs (same model, both to a 1% gap) and the simulator's week against the issue's 1 s."""
    need, templates = _roster_data()
    ours = bq.staffing.solve_roster(need, templates, relative_gap=0.01, time_limit=120)
    width = need.shape[1]
    peer = _pulp_roster(need, [(32, 1.0), (16, 1.1)], [range(width - 31), range(width - 15)])
    forecast, actual = _week()
    req = bq.staffing.staffing_requirements(forecast, service_time=4.0)
    rates = forecast["SlotMean"].to_numpy() / 5.0
    starts = np.arange(0, len(rates), 169)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        sim = bq.staffing.simulate(rates, req["servers"].to_numpy(), service_time=4.0, interval_length=5.0,
                                   period_starts=starts, replications=100, seed=1)
        times.append(time.perf_counter() - start)
    return "\n".join([
        f"Roster cost (the same model): bankquant {ours.cost:.1f} (LP bound {ours.lp_bound:.1f}, gap {ours.gap:.2%}), "
        f"pulp + CBC {peer:.1f}.", "",
        f"Simulation, the call-centre week ({len(rates)} five-minute intervals, {sim.customers / 100:,.0f} calls) x 100 "
        f"replications: median {np.median(times):.3f} s on {bq.get_num_threads()} threads (issue's target: 1 s on 2 cores)."])
