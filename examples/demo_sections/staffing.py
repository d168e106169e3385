"""Demo section: staffing (forecast frame -> requirements -> roster -> simulated check)."""
from __future__ import annotations

import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import bankquant as bq

from .common import markdown_table, median_seconds


def _forecast(calls: pd.DataFrame, week_start: pd.Timestamp):
    """A forecast frame of the agreed shape (unique_id, ds, SlotMean, SlotMean-size) from the eight
    weeks before `week_start`: weekday x 5-minute-slot means, negative-binomial sizes by moments.
    (The forecast module has not landed on main; this is a seasonal mean, not a fitted model.)"""
    days = calls["timestamp"].dt.normalize()
    history = calls[(days >= week_start - pd.Timedelta(weeks=8)) & (days < week_start)]
    actual = calls[(days >= week_start) & (days < week_start + pd.Timedelta(days=7))].reset_index(drop=True)
    key = lambda ts: ts.dt.dayofweek.astype(str) + " " + ts.dt.strftime("%H:%M")  # noqa: E731
    moments = history.groupby(key(history["timestamp"]).to_numpy())["calls"].agg(["mean", "var"])
    m = moments["mean"].reindex(key(actual["timestamp"])).to_numpy()
    v = moments["var"].reindex(key(actual["timestamp"])).to_numpy()
    size = np.where(v > m, m ** 2 / np.maximum(v - m, 1e-9), np.inf)
    return pd.DataFrame({"unique_id": "call_centre", "ds": actual["timestamp"], "SlotMean": m,
                         "SlotMean-size": size}), actual


def section(out: Path) -> str:
    """The call centre's week: requirements four ways, a CBC roster, the roster simulated on the actual calls."""
    calls = bq.datasets.bank_call_centre()
    week = pd.Timestamp("2003-06-02")
    forecast, actual = _forecast(calls, week)
    common = dict(service_time=4.0, service_level=0.8, target_time=1 / 3, shrinkage=0.3)
    ways = {"Erlang C, mean": dict(), "Erlang C, 90% quantile": dict(use="quantile", quantile=0.9),
            "Erlang C, mixture": dict(use="mixture"), "Erlang A (patience 3 min)": dict(patience=3.0)}
    reqs = {name: bq.staffing.staffing_requirements(forecast, **common, **kw) for name, kw in ways.items()}
    seconds = {name: median_seconds(lambda kw=kw: bq.staffing.staffing_requirements(forecast, **common, **kw), 3)
               for name, kw in ways.items()}
    table = pd.DataFrame({name: {"staff-hours": r["staff"].sum() * 5 / 60, "peak staff": int(r["staff"].max()),
                                 "ms": 1e3 * seconds[name]} for name, r in reqs.items()}).T
    table["staff-hours"] = table["staff-hours"].round().astype(int)
    table.index.name = "requirement"

    need = bq.staffing.requirement_grid(reqs["Erlang C, mixture"], freq="15min")
    lunch = bq.staffing.ShiftBreak(length=2, paid=False, earliest_start=12, latest_start=20)
    templates = [bq.staffing.ShiftTemplate(name="full_time", length=34, earliest_start=0,
                                           latest_start=need.shape[1] - 34, breaks=[lunch]),
                 bq.staffing.ShiftTemplate(name="part_time", length=16, earliest_start=0,
                                           latest_start=need.shape[1] - 16, cost_per_interval=1.1,
                                           contract="part_time")]
    contracts = [bq.staffing.Contract(name="full_time", max_days=5), bq.staffing.Contract(name="part_time", max_days=3)]
    start = time.perf_counter()
    roster = bq.staffing.solve_roster(need, templates, contracts=contracts, time_limit=60)
    roster_seconds = time.perf_counter() - start

    on_phones = np.floor(roster.working_grid.to_numpy() * 0.7 + 1e-9).astype(int)
    staff = np.repeat(on_phones, 3, axis=1)[:, :169].ravel()
    start = time.perf_counter()
    sim = bq.staffing.simulate(pd.Series(actual["calls"].to_numpy() / 5.0, index=actual["timestamp"]), staff,
                               service_time=4.0, interval_length=5.0, period_starts=np.arange(0, len(staff), 169),
                               target_time=1 / 3, replications=100, seed=2024)
    sim_seconds = time.perf_counter() - start

    ax = bq.staffing.plot_coverage(roster, day=0)
    ax.figure.savefig(out / "staffing_coverage.png", dpi=85, bbox_inches="tight")
    plt.close(ax.figure)
    ax = bq.staffing.plot_service_level(sim, target=0.8)
    ax.figure.savefig(out / "staffing_service_level.png", dpi=85, bbox_inches="tight")
    plt.close(ax.figure)
    lines = ["## Staffing (the bank call centre's week of 2003-06-02)", "",
             "Forecast frame of the agreed shape built from weekday x slot means of the previous eight weeks "
             "(the forecast module has not landed; negative-binomial sizes by moments). Assumed: 4-minute handling, "
             "3-minute patience for Erlang A, 80% answered in 20 s, 30% shrinkage.", "",
             markdown_table(table.round(1)), "",
             f"Roster of the mixture requirement on a 15-minute grid (full-time 8.5 h with a lunch window, part-time "
             f"4 h, day limits per contract): {len(roster.shifts)} shifts, cost {roster.cost:.0f} against LP bound "
             f"{roster.lp_bound:.1f} (gap {roster.gap:.2%}, {roster.status.code}) in {roster_seconds:.1f} s; "
             f"employees {dict(zip(roster.contract_names, (int(e) for e in roster.employees)))}.", "",
             "![coverage](staffing_coverage.png)", "",
             f"Simulated on the week's actual calls ({sim.customers / 100:,.0f} calls a replication, 100 replications, "
             f"{sim_seconds:.2f} s): service level {sim.summary_service_level:.3f} "
             f"[{sim.summary_service_level_lo:.3f}, {sim.summary_service_level_hi:.3f}], "
             f"utilisation {sim.summary_utilization:.3f}.", "",
             "![service level](staffing_service_level.png)", ""]
    return "\n".join(lines)
