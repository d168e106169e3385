"""Rosters: shift templates and contracts in, the cheapest covering shifts out (COIN-OR CBC in C++)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_float, as_float_matrix, as_int, as_int_vector, describe, fail
from ..exceptions import warn_if_not_converged

_st = _core.staffing

#: Input records (keyword constructors checked field by field; dicts of the same fields work too).
ShiftTemplate = _st.ShiftTemplate
ShiftBreak = _st.ShiftBreak
Contract = _st.Contract


def _grid(values, name, shape, dtype=float):
    if values is None:
        return None
    arr = as_float_matrix(values, name) if np.ndim(values) == 2 else None
    if arr is None:
        fail(name, f"expected a days x intervals_per_day matrix like the requirement {shape}")
    if arr.shape != shape:
        fail(name, f"expected shape {shape} (days x intervals_per_day, as the requirement), got {arr.shape}")
    flat = arr.ravel()
    if dtype is int:
        return as_int_vector(flat, name, minimum=0).astype(np.int32).tolist()
    return flat


def _records(values, kind, name):
    """A list of `kind` records (or dicts of their fields) from one record or a sequence of them."""
    if isinstance(values, (kind, dict)):
        return [values]
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        fail(name, f"expected a list of {kind.__name__} records or dicts of their fields, got {describe(values)}")
    values = list(values)
    for i, v in enumerate(values):
        if not isinstance(v, (kind, dict)):
            fail(name, f"expected {kind.__name__} records or dicts of their fields, got {describe(v)} at position {i}")
    return values


def requirement_grid(requirements: pd.DataFrame, column: str = "staff", freq=None) -> pd.DataFrame:
    """A requirements frame (ds and ``column``, one series) as days × time of day, for :func:`solve_roster`.

    Parameters
    ----------
    requirements : DataFrame
        Datetime ``ds`` and ``column`` (one series: filter by unique_id first), e.g. what
        :func:`staffing_requirements` returns.
    column : str, default "staff"
        The column to lay out.
    freq : str, optional
        A pandas frequency such as ``"15min"`` that coarsens the grid: each slot needs the most
        any of its intervals needs.

    Returns
    -------
    pandas.DataFrame
        One row per day (index "day"), one column per time of day ("09:00", ...); slots without
        a row are 0 (closed).

    Examples
    --------
    >>> import pandas as pd, bankquant as bq
    >>> r = pd.DataFrame({"ds": pd.date_range("2024-01-01 09:00", periods=3, freq="h"), "staff": [1, 2, 3]})
    >>> bq.staffing.requirement_grid(r).shape
    (1, 3)
    >>> bq.staffing.requirement_grid(r, freq="2h").to_numpy().tolist()
    [[1, 3]]
    """
    if not isinstance(requirements, pd.DataFrame) or "ds" not in requirements or column not in requirements:
        fail("requirements", f"expected a DataFrame with columns 'ds' and {column!r}")
    if "unique_id" in requirements and requirements["unique_id"].nunique() > 1:
        fail("requirements", "expected one series (filter by unique_id first)")
    ds = requirements["ds"]
    if not pd.api.types.is_datetime64_any_dtype(ds):
        fail("requirements", "expected a datetime 'ds' column")
    if freq is not None:
        try:
            ds = ds.dt.floor(freq)
        except (TypeError, ValueError) as error:
            fail("freq", f"expected a pandas frequency such as '15min', got {freq!r} ({error})")
    grid = requirements.assign(_day=ds.dt.normalize(), _time=ds.dt.strftime("%H:%M")).pivot_table(
        index="_day", columns="_time", values=column, aggfunc="max")
    grid.index.name, grid.columns.name = "day", "time"
    return grid.fillna(0.0)


class Roster:
    """The roster found: a view of the C++ ``RosterResult`` (``cost``, ``lp_bound``, ``best_bound``,
    ``gap``, ``status``, ...) with the shifts and the cover as DataFrames."""

    def __init__(self, raw, problem, index=None, columns=None):
        self._raw, self._problem, self._index, self._columns = raw, problem, index, columns

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    def __repr__(self) -> str:
        return (f"Roster(shifts={len(self._raw.shifts)}, cost={self._raw.cost:.6g}, gap={self._raw.gap:.3%}, "
                f"status={self._raw.status.code!r})")

    @property
    def raw(self):
        """The C++ result record (``bankquant._core.staffing.RosterResult``)."""
        return self._raw

    @property
    def shift_table(self) -> pd.DataFrame:
        """One row per person and day: day, template, contract, employee, start, end, break_starts."""
        templates = self._problem.templates
        rows = [{"day": s.day, "template": templates[s.template_index].name,
                 "contract": templates[s.template_index].contract, "employee": s.employee,
                 "start": s.start, "end": s.end, "break_starts": list(s.break_starts)} for s in self._raw.shifts]
        return pd.DataFrame(rows, columns=["day", "template", "contract", "employee", "start", "end", "break_starts"])

    def _matrix(self, values) -> pd.DataFrame:
        p = self._problem
        return pd.DataFrame(np.asarray(values, dtype=float).reshape(p.days, p.intervals_per_day),
                            index=self._index, columns=self._columns)

    @property
    def coverage(self) -> pd.DataFrame:
        """Long frame per day and interval: requirement, working, under_cover, over_cover."""
        p = self._problem
        day, interval = np.divmod(np.arange(p.days * p.intervals_per_day), p.intervals_per_day)
        return pd.DataFrame({"day": day, "interval": interval, "requirement": np.asarray(p.requirement),
                             "working": self._raw.working, "under_cover": self._raw.under_cover,
                             "over_cover": self._raw.over_cover})

    @property
    def working_grid(self) -> pd.DataFrame:
        """Staff working (not on break), days x intervals, labelled like the requirement."""
        return self._matrix(self._raw.working)


def solve_roster(requirement, templates, *, contracts=None, open=None, min_staff=None, max_staff=None,
                 under_cover_penalty=None, max_head_count=None, budget=None, relative_gap=None,
                 time_limit=None) -> Roster:
    """The cheapest shifts covering ``requirement`` (days × intervals of the day: staff wanted).

    An integer program solved by COIN-OR CBC to ``relative_gap`` or ``time_limit``; ``lp_bound``,
    ``best_bound`` and ``gap`` of the result say how close to optimal it is. Defaults from the C++
    ``RosterOptions``.

    Parameters
    ----------
    requirement : 2-D array-like or DataFrame
        Staff wanted per day and interval (>= 0); a DataFrame's labels carry to the result's grids.
    templates : ShiftTemplate, dict, or a list of them
        Shift templates (times in intervals of the day): length, start window, breaks, cost, the
        contract of whoever works it, days it may be worked.
    contracts : Contract or list, optional
        Bounds on days worked per employee and head counts per contract.
    open, min_staff, max_staff : 2-D array-like, optional
        Grids like the requirement: open intervals, floors and caps on staff working.
    under_cover_penalty : float, optional
        Cost of one interval short of its requirement (default inf: full cover or an error naming
        the cap that prevents it).
    max_head_count : int, optional
        Most employees in all.
    budget : float, optional
        Most total cost (default inf).
    relative_gap : float, optional
        Stop within this gap of the best bound (default 0.01).
    time_limit : float, optional
        Seconds (default 60).

    Returns
    -------
    Roster
        ``cost``, ``status``, ``lp_bound``, ``best_bound``, ``gap``, ``shift_table`` (one row per
        person and day), ``coverage`` and ``working_grid``.

    Warns
    -----
    ConvergenceWarning
        The solver stopped at its time limit with a usable roster.

    Examples
    --------
    >>> import numpy as np, bankquant as bq
    >>> need = np.array([[1, 2, 2, 3, 3, 2, 2, 1]])
    >>> t = [bq.staffing.ShiftTemplate(name="half", length=4, earliest_start=0, latest_start=4)]
    >>> r = bq.staffing.solve_roster(need, t)
    >>> r
    Roster(shifts=4, cost=16, gap=0.000%, status='converged')
    >>> r.shift_table[["template", "start", "end"]]
      template  start  end
    0     half      0    4
    1     half      1    5
    2     half      3    7
    3     half      4    8
    """
    index = columns = None
    if isinstance(requirement, pd.DataFrame):
        index, columns = requirement.index, requirement.columns
    need = as_float_matrix(requirement, "requirement")
    if (need < 0).any():
        fail("requirement", f"expected staff >= 0, found {need[need < 0][0]:g}")
    templates = _records(templates, ShiftTemplate, "templates")
    contracts = None if contracts is None else _records(contracts, Contract, "contracts")
    fields = dict(days=need.shape[0], intervals_per_day=need.shape[1], requirement=need.ravel(),
                  templates=templates, contracts=contracts,
                  open=_grid(open, "open", need.shape, int), min_staff=_grid(min_staff, "min_staff", need.shape, int),
                  max_staff=_grid(max_staff, "max_staff", need.shape, int))
    # The keyword constructor sets every field, then validates the whole problem.
    problem = _st.RosterProblem(**{k: v for k, v in fields.items() if v is not None})

    def num(v, name):
        return None if v is None else as_float(v, name, allow_inf=True)

    options = build(_st.RosterOptions, under_cover_penalty=num(under_cover_penalty, "under_cover_penalty"),
                    max_head_count=None if max_head_count is None else as_int(max_head_count, "max_head_count",
                                                                                     maximum=2**31 - 1),
                    budget=num(budget, "budget"), relative_gap=num(relative_gap, "relative_gap"),
                    time_limit=num(time_limit, "time_limit"))
    options.validate()
    roster = Roster(_st.solve_roster(problem, options), problem, index, columns)
    warn_if_not_converged(roster.status, "solve_roster")
    return roster
