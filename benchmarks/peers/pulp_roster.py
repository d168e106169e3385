"""The roster integer program as a python3-pulp user writes it, solved by Debian's CBC binary.

The peer of ``bq.staffing.solve_roster`` (benchmarks/cases/staffing.py, tests/python/test_staffing.py):
shift templates with start windows and breaks with start windows, a cost per paid interval, the
requirement as hard cover, days independent (no contracts, head counts or budget). Breaks are
modelled *explicitly* (Dantzig 1954: one column per shift start and placement of its breaks), the
textbook formulation a pulp user reaches for; bankquant models them implicitly (Bechtold and Jacobs
1990, roster.hpp). Both describe the same rosters, so the optima are equal; the explicit program has
one column per start and break placement (a template with a 9-interval lunch window: 9 times the
columns).

Written for the comparison only; it shares no code with bankquant.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import List, Sequence, Tuple

import numpy as np


@dataclass
class PeerBreak:
    length: int
    earliest_start: int   # intervals after the shift's start
    latest_start: int
    paid: bool = False


@dataclass
class PeerTemplate:
    length: int
    earliest_start: int
    latest_start: int
    cost_per_interval: float = 1.0
    breaks: List[PeerBreak] = field(default_factory=list)

    def paid_intervals(self) -> int:
        return self.length - sum(b.length for b in self.breaks if not b.paid)

    def placements(self) -> List[Tuple[int, ...]]:
        """Every placement of the breaks (offsets from the shift start), in order and not overlapping."""
        windows = [range(b.earliest_start, b.latest_start + 1) for b in self.breaks]
        out = []
        for starts in itertools.product(*windows):
            ok = all(starts[j] + self.breaks[j].length <= starts[j + 1] for j in range(len(starts) - 1))
            if ok and (not starts or starts[-1] + self.breaks[-1].length <= self.length):
                out.append(tuple(starts))
        return out


@dataclass
class PeerResult:
    cost: float
    status: str
    columns: int
    rows: int
    seconds: float          # building the model in pulp and solving it with the cbc binary
    working: np.ndarray     # days x intervals, staff working (breaks taken out)


def solve(need: np.ndarray, templates: Sequence[PeerTemplate], gap: float = 0.01, time_limit: float = 120.0,
          solver_path: str = "/usr/bin/cbc") -> PeerResult:
    """The cheapest cover of ``need`` (days x intervals) by shifts of ``templates``, to a relative gap."""
    import pulp

    start = time.perf_counter()
    need = np.asarray(need, dtype=float)
    days, width = need.shape
    prob = pulp.LpProblem("roster", pulp.LpMinimize)
    columns = []  # (day, intervals covered, variable, cost)
    for d in range(days):
        for k, tpl in enumerate(templates):
            for s in range(tpl.earliest_start, min(tpl.latest_start, width - tpl.length) + 1):
                for p, placement in enumerate(tpl.placements()):
                    covered = np.zeros(width, dtype=bool)
                    covered[s:s + tpl.length] = True
                    for b, offset in zip(tpl.breaks, placement):
                        covered[s + offset:s + offset + b.length] = False
                    var = pulp.LpVariable(f"x_{d}_{k}_{s}_{p}", lowBound=0, cat="Integer")
                    columns.append((d, np.flatnonzero(covered), var, tpl.cost_per_interval * tpl.paid_intervals()))
    prob += pulp.lpSum(c * v for _, _, v, c in columns)
    cover = [[[] for _ in range(width)] for _ in range(days)]
    for d, covered, var, _ in columns:
        for t in covered:
            cover[d][t].append(var)
    rows = 0
    for d in range(days):
        for t in range(width):
            if need[d, t] > 0:
                prob += pulp.lpSum(cover[d][t]) >= need[d, t]
                rows += 1
    status = prob.solve(pulp.COIN_CMD(path=solver_path, msg=False, gapRel=gap, timeLimit=time_limit))
    seconds = time.perf_counter() - start
    working = np.zeros((days, width))
    for d, covered, var, _ in columns:
        value = var.value() or 0.0
        working[d, covered] += round(value)
    return PeerResult(cost=float(pulp.value(prob.objective)), status=pulp.LpStatus[status], columns=len(columns),
                      rows=rows, seconds=seconds, working=working)


def from_bankquant(templates) -> List[PeerTemplate]:
    """The peer's templates from bankquant ShiftTemplate records (start_step 1, every day)."""
    out = []
    for t in templates:
        if t.start_step != 1 or list(t.days):
            raise ValueError("the pulp peer models start_step 1 on every day only")
        out.append(PeerTemplate(length=t.length, earliest_start=t.earliest_start, latest_start=t.latest_start,
                                cost_per_interval=t.cost_per_interval,
                                breaks=[PeerBreak(b.length, b.earliest_start, b.latest_start, b.paid)
                                        for b in t.breaks]))
    return out
