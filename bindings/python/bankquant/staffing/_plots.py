"""Plots: requirement against roster, shifts as a Gantt chart, simulated service level with its band."""
from __future__ import annotations

import numpy as np

from .._validation import fail


def _axes(ax, size=(10, 3.5)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _roster(roster, name="roster"):
    from ._roster import Roster

    if not isinstance(roster, Roster):
        fail(name, f"expected the Roster solve_roster returns, got {type(roster).__name__}")
    return roster


def plot_coverage(roster, day=None, ax=None):
    """Requirement against staff working per interval, under-cover shaded red and over-cover blue.

    Parameters
    ----------
    roster : Roster
        What :func:`solve_roster` returns.
    day : int, optional
        One day (0-based); None draws the whole horizon end to end.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np, bankquant as bq
    >>> t = [bq.staffing.ShiftTemplate(name="half", length=4, earliest_start=0, latest_start=4)]
    >>> roster = bq.staffing.solve_roster(np.array([[1, 2, 2, 3, 3, 2, 2, 1]]), t)
    >>> bq.staffing.plot_coverage(roster, day=0).get_title()
    'Requirement against roster (day 0)'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    roster = _roster(roster)
    cover = roster.coverage
    if day is not None:
        days = sorted(cover["day"].unique())
        if day not in days:
            fail("day", f"expected a day of the roster in [0, {len(days) - 1}], got {day!r}")
        cover = cover[cover["day"] == day]
    ax = _axes(ax)
    x = np.arange(len(cover))
    need, work = cover["requirement"].to_numpy(), cover["working"].to_numpy()
    ax.step(x, need, where="post", color="k", lw=1.2, label="requirement")
    ax.step(x, work, where="post", color="#2171b5", lw=1.2, label="working")
    ax.fill_between(x, need, work, where=work < need, step="post", color="#d62728", alpha=0.4, label="under-cover")
    ax.fill_between(x, need, work, where=work > need, step="post", color="#9ecae1", alpha=0.5, label="over-cover")
    ax.set_xlabel("interval" if day is not None else "interval of the horizon")
    ax.set_ylabel("staff")
    ax.legend(loc="upper right", fontsize="small")
    ax.set_title("Requirement against roster" + (f" (day {day})" if day is not None else ""))
    return ax


def plot_shifts(roster, day=0, ax=None):
    """The shifts of one day as a Gantt chart (breaks left white), one bar per person.

    Parameters
    ----------
    roster : Roster
        What :func:`solve_roster` returns.
    day : int, default 0
        The day (0-based).
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np, bankquant as bq
    >>> t = [bq.staffing.ShiftTemplate(name="half", length=4, earliest_start=0, latest_start=4)]
    >>> roster = bq.staffing.solve_roster(np.array([[1, 2, 2, 3, 3, 2, 2, 1]]), t)
    >>> bq.staffing.plot_shifts(roster).get_title()
    'Shifts on day 0'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    roster = _roster(roster)
    table = roster.shift_table
    days = sorted(table["day"].unique())
    if day not in days:
        fail("day", f"expected a day with shifts, one of {days[:10]}, got {day!r}")
    table = table[table["day"] == day].sort_values(["start", "template"]).reset_index(drop=True)
    ax = _axes(ax, (10, max(2.5, 0.18 * len(table))))
    problem = roster._problem
    templates = {t.name: t for t in problem.templates}
    names = sorted(templates)
    colours = {n: f"C{i % 10}" for i, n in enumerate(names)}
    for row, s in table.iterrows():
        ax.broken_barh([(s["start"], s["end"] - s["start"])], (row - 0.4, 0.8), color=colours[s["template"]])
        for b, start in zip(templates[s["template"]].breaks, s["break_starts"]):
            ax.broken_barh([(s["start"] + start, b.length)], (row - 0.4, 0.8), color="white")
    for n in names:
        ax.plot([], [], color=colours[n], lw=6, label=n)
    ax.set_xlim(0, problem.intervals_per_day)
    ax.set_xlabel("interval of the day")
    ax.set_ylabel("person")
    ax.legend(loc="upper right", fontsize="small")
    ax.set_title(f"Shifts on day {day}")
    return ax


def plot_service_level(simulation, target=None, ax=None):
    """Simulated service level per interval with its confidence band (and the target as a line).

    Parameters
    ----------
    simulation : Simulation
        What :func:`simulate` returns.
    target : float, optional
        A service-level target drawn as a dashed line.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq
    >>> s = bq.staffing.simulate([10.0] * 20, [12] * 20, service_time=1.0, replications=10, seed=1)
    >>> bq.staffing.plot_service_level(s, target=0.8).get_title()
    'Simulated service level'
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    from ._simulation import Simulation

    if not isinstance(simulation, Simulation):
        fail("simulation", f"expected the Simulation simulate returns, got {type(simulation).__name__}")
    frame = simulation.frame
    ax = _axes(ax)
    x = frame.index if frame.index is not None else np.arange(len(frame))
    ax.fill_between(x, frame["service_level_lo"], frame["service_level_hi"], color="#9ecae1", alpha=0.6,
                    label="confidence band", step="post")
    ax.step(x, frame["service_level"], where="post", color="#08519c", lw=1, label="simulated service level")
    if target is not None:
        ax.axhline(target, color="#d62728", ls="--", lw=1, label=f"target {target:g}")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("service level")
    ax.legend(loc="lower right", fontsize="small")
    ax.set_title("Simulated service level")
    return ax
