"""Staffing from forecasts: Erlang queues, staff requirements, rosters, and a simulator that checks them.

>>> import bankquant as bq
>>> r = bq.staffing.erlang_c(arrival_rate=10.0, service_time=1.0, servers=12, target_time=0.2)
>>> round(r.prob_wait, 4)
0.4494
"""
from ._plots import plot_coverage, plot_service_level, plot_shifts
from ._queues import ErlangAResult, ErlangCResult, PooledRequirement, erlang_a, erlang_b, erlang_c, \
    pooled_requirement, required_servers
from ._requirements import forecast_models, staffing_requirements
from ._roster import Contract, Roster, ShiftBreak, ShiftTemplate, requirement_grid, solve_roster
from ._simulation import Simulation, simulate

__all__ = [
    "erlang_b", "erlang_c", "erlang_a", "required_servers", "pooled_requirement",
    "forecast_models", "staffing_requirements",
    "ShiftTemplate", "ShiftBreak", "Contract", "requirement_grid", "solve_roster",
    "simulate",
    "plot_coverage", "plot_shifts", "plot_service_level",
]
