# Stubs of bankquant._core.staffing, written by scripts/make_stubs.py from the module itself.
from typing import Any, Callable, Optional, overload

import numpy as np
import numpy.typing as npt

from .core import Status

_Array = npt.NDArray[Any]

class AssignedShift:
    """One person's shift on one day (roster.hpp)."""
    day: int
    template_index: int
    start: int
    end: int
    break_starts: _Array
    employee: int
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class Contract:
    """An employment contract: day limits and head count (roster.hpp)."""
    name: str
    min_days: int
    max_days: int
    max_head_count: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class CustomerClass:
    """A customer class: handling and patience (simulation.hpp)."""
    service_time: float
    service_distribution: str
    service_cv: float
    patience: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class ErlangAResult:
    """Erlang A measures (bankquant/staffing/erlang.hpp)."""
    arrival_rate: float
    service_time: float
    patience: float
    servers: int
    target_time: float
    load: float
    occupancy: float
    prob_wait: float
    prob_abandon: float
    service_level: float
    asa: float
    mean_wait: float
    mean_queue: float
    queue_states: int
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class ErlangCResult:
    """Erlang C measures (bankquant/staffing/erlang.hpp)."""
    arrival_rate: float
    service_time: float
    servers: int
    target_time: float
    load: float
    occupancy: float
    prob_wait: float
    asa: float
    service_level: float
    mean_queue: float
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class PooledRequirement:
    """One pool of tellers for several services (pooling.hpp)."""
    servers: int
    staff: int
    arrival_rate: float
    service_time: float
    service_scv: float
    load_share: _Array
    servers_by_service: _Array
    separate_servers: _Array
    separate_total: int
    measures: QueueMeasures
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class QueueMeasures:
    """Every measure of one queue at one staffing level."""
    servers: int
    load: float
    occupancy: float
    prob_wait: float
    prob_abandon: float
    service_level: float
    asa: float
    stable: bool
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class QueueModel:
    """The queue the arrivals meet (bankquant/staffing/required_servers.hpp)."""
    service_time: float
    patience: float
    peakedness: float
    service_scv: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class RequirementOptions:
    """Options of staffing_requirements (requirements.hpp)."""
    queue: QueueModel
    target: StaffingTarget
    interval_length: float
    period_method: str
    use: str
    quantile: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class RequirementResult:
    """Staff per interval (requirements.hpp)."""
    arrival_rate: _Array
    servers: _Array
    staff: _Array
    service_level: _Array
    asa: _Array
    prob_abandon: _Array
    occupancy: _Array
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class RosterOptions:
    """Options of solve_roster (roster.hpp)."""
    under_cover_penalty: float
    max_head_count: int
    budget: float
    relative_gap: float
    time_limit: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class RosterProblem:
    """What a roster must cover (roster.hpp)."""
    def __init__(self, **kwargs: Any) -> None: ...
    @property
    def contracts(self) -> Any: ...
    @property
    def days(self) -> Any: ...
    @staticmethod
    def fields() -> list: ...
    @property
    def intervals_per_day(self) -> Any: ...
    @property
    def max_staff(self) -> Any: ...
    @property
    def min_staff(self) -> Any: ...
    @property
    def open(self) -> Any: ...
    @property
    def requirement(self) -> Any: ...
    @property
    def templates(self) -> Any: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class RosterResult:
    """The cheapest roster found (roster.hpp)."""
    shifts: list[Any]
    working: _Array
    under_cover: _Array
    over_cover: _Array
    contract_names: list[Any]
    employees: _Array
    cost: float
    shift_cost: float
    under_cover_cost: float
    lp_bound: float
    best_bound: float
    gap: float
    variables: int
    constraints: int
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class ShiftBreak:
    """A break within a shift (roster.hpp)."""
    length: int
    paid: bool
    earliest_start: int
    latest_start: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class ShiftTemplate:
    """A shift template (roster.hpp)."""
    name: str
    length: int
    earliest_start: int
    latest_start: int
    start_step: int
    breaks: list[Any]
    cost_per_interval: float
    contract: str
    days: _Array
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class SimulationOptions:
    """Options of simulate (simulation.hpp)."""
    replications: int
    seed: int
    target_time: float
    confidence: float
    wait_quantiles: _Array
    warmup_intervals: int
    peakedness: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class SimulationResult:
    """Per-interval simulated measures (simulation.hpp)."""
    arrivals: _Array
    service_level: _Array
    service_level_lo: _Array
    service_level_hi: _Array
    asa: _Array
    abandonment: _Array
    abandonment_lo: _Array
    abandonment_hi: _Array
    utilization: _Array
    utilization_lo: _Array
    utilization_hi: _Array
    wait_quantiles: _Array
    summary_service_level: float
    summary_service_level_lo: float
    summary_service_level_hi: float
    summary_abandonment: float
    summary_abandonment_lo: float
    summary_abandonment_hi: float
    summary_asa: float
    summary_asa_lo: float
    summary_asa_hi: float
    summary_utilization: float
    class_service_level: _Array
    class_service_level_lo: _Array
    class_service_level_hi: _Array
    replication_service_level: _Array
    customers: float
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class StaffingTarget:
    """What must hold in an interval (required_servers.hpp)."""
    service_level: float
    target_time: float
    max_asa: float
    max_occupancy: float
    max_abandon: float
    shrinkage: float
    max_servers: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

def erlang_a(arrival_rate: float, service_time: float, patience: float, servers: int, target_time: float) -> ErlangAResult: ...
def erlang_b(load: float, servers: int) -> float: ...
def erlang_b_continuous(load: float, servers: float) -> float: ...
def erlang_c(arrival_rate: float, service_time: float, servers: int, target_time: float) -> ErlangCResult: ...
def lagged_rates(arrival_rate: _Array, interval_length: float, service_time: float, period_starts: _Array) -> _Array: ...
def mixed_measures(mean_rate: float, size: float, servers: int, model: QueueModel, target_time: float) -> QueueMeasures: ...
def pooled_requirements(arrival_rates: _Array, service_times: _Array, service_scvs: _Array, target: StaffingTarget) -> list[PooledRequirement]: ...
def queue_measures(arrival_rate: float, servers: int, model: QueueModel, target_time: float) -> QueueMeasures: ...
def required_servers(arrival_rate: _Array, model: QueueModel, target: StaffingTarget) -> _Array: ...
def simulate(arrival_rates: _Array, staff: _Array, classes: list[CustomerClass], interval_length: float, size: _Array, period_starts: _Array, options: SimulationOptions) -> SimulationResult: ...
def solve_roster(problem: RosterProblem, options: RosterOptions) -> RosterResult: ...
def solve_rosters(problems: list[RosterProblem], options: RosterOptions) -> list[RosterResult]: ...
def staff_for_servers(servers: int, shrinkage: float) -> int: ...
def staffing_requirements(mean: _Array, size: _Array, period_starts: _Array, options: RequirementOptions) -> RequirementResult: ...
