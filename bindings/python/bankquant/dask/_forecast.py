"""Many-series forecasting and staffing across Dask workers: the long frame split by series."""
from __future__ import annotations

import warnings
from typing import Any, Dict, Hashable, Mapping, Optional, Sequence

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from .. import forecast as _forecast_module
from .. import staffing as _staffing
from .._validation import describe, fail
from ..exceptions import ModelWarning
from ..forecast._frame import _warn_notes
from ._common import compute, delayed_call, n_parts_of, require_columns, shared, split_evenly

_LARGEST_COUNT = 2.0 ** 53


def _series_facts(part: pd.DataFrame, id_col: str, time_col: str, target_col: str):
    """On a worker: the steps between consecutive timestamps of each series (value -> how often),
    whether every observed value is a count, and the time column's kind."""
    data = part[[id_col, time_col, target_col]].sort_values([id_col, time_col], kind="stable")
    ds = data[time_col]
    datetime = pd.api.types.is_datetime64_any_dtype(ds)
    t = ds.astype("int64").to_numpy() if datetime else (ds.to_numpy(dtype=np.int64) if
                                                         pd.api.types.is_integer_dtype(ds) else None)
    steps: Dict[int, int] = {}
    if t is not None and len(t) > 1:
        ids = data[id_col].to_numpy()
        diffs = np.diff(t)[ids[1:] == ids[:-1]]
        values, counts = np.unique(diffs, return_counts=True)
        steps = {int(v): int(c) for v, c in zip(values, counts)}
    y = pd.to_numeric(data[target_col], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    observed = y[~np.isnan(y)]
    integers = bool(np.all((observed >= 0) & (observed == np.floor(observed)) & (observed <= _LARGEST_COUNT)))
    return steps, integers, datetime


def _forecast_part(part: pd.DataFrame, kwargs: Mapping[str, Any]):
    """On a worker: the one-machine forecast of these series, its notes kept for the client."""
    if len(part) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelWarning)
        out = _forecast_module.forecast(part, **kwargs)
    return out, dict(out.attrs)


def _split_by_series(df, id_col: str, n_parts: int, client=None):
    """Parts holding whole series: a pandas frame cut into consecutive groups of its sorted ids, a
    Dask frame shuffled on the id column."""
    if isinstance(df, pd.DataFrame):
        ids = np.sort(df[id_col].unique())
        groups = split_evenly(len(ids), n_parts)
        return [df[df[id_col].isin(ids[g.start:g.stop])] for g in groups if len(g)]
    shuffled = df.shuffle(on=id_col, npartitions=n_parts)
    # persisted: the parts are read twice (the frame-wide facts, then the forecasts)
    shuffled = client.persist(shuffled) if client is not None else dask.persist(shuffled)[0]
    return list(shuffled.to_delayed())


def forecast(df, models: Sequence[str] = ("ets",), h: int = 1, level=None, season_length=None, *,
             n_parts: Optional[int] = None, client=None, freq=None, distribution: str = "auto",
             id_col: str = "unique_id", time_col: str = "ds", target_col: str = "y", **kwargs) -> pd.DataFrame:
    """Forecasts every series of a long frame with the series split across Dask workers.

    Whole series go to each worker (a pandas frame is cut by its sorted ids, a Dask frame shuffled
    on ``id_col``), which runs :func:`bankquant.forecast.forecast` on them; the frame-wide choices of
    that call (the step ``freq`` inferred from all series, ``distribution="auto"`` reading every
    value) are made once over all series first, so the result equals the single-machine call row
    for row and to the bit, ``attrs`` included.

    Parameters
    ----------
    df : pandas.DataFrame or dask.dataframe.DataFrame
        Long format: ``unique_id``, ``ds`` (datetime64 or integer periods), ``y``.
    models, h, level, season_length, freq, distribution, id_col, time_col, target_col, **kwargs
        As :func:`bankquant.forecast.forecast` (``window``, ``transform``, ``box_cox_lambda``,
        ``bias_adjust``, ``fill_missing``).
    n_parts : int, optional
        Groups of series, one task each (default: one per worker thread, else 4).
    client : distributed.Client, optional
        Where to run (default: Dask's current scheduler).

    Returns
    -------
    pandas.DataFrame
        As :func:`bankquant.forecast.forecast`: ids in sorted order, ``h`` rows each.

    Examples
    --------
    >>> import dask, pandas as pd, bankquant as bq
    >>> calls = bq.datasets.bank_call_centre()
    >>> daily = calls.groupby("date", as_index=False)["calls"].sum()
    >>> long = pd.concat([pd.DataFrame({"unique_id": f"branch{k}", "ds": range(len(daily)),
    ...                                 "y": daily["calls"] + k}) for k in range(6)])
    >>> with dask.config.set(scheduler="sync"):
    ...     fc = bq.dask.forecast(long, models=["snaive"], h=5, season_length=5, n_parts=3)
    >>> fc.equals(bq.forecast.forecast(long, models=["snaive"], h=5, season_length=5))
    True
    """
    if isinstance(df, dd.DataFrame):
        require_columns(df.columns, [id_col, time_col, target_col], "df")
    elif isinstance(df, pd.DataFrame):
        require_columns(df.columns, [id_col, time_col, target_col], "df")
        if len(df) == 0:
            fail("df", "expected at least one row")
    else:
        fail("df", f"expected a pandas or Dask DataFrame with columns {id_col!r}, {time_col!r}, {target_col!r}, "
                   f"got {describe(df)}")
    if isinstance(df, dd.DataFrame):
        n_series = int(compute([df[id_col].nunique()], client)[0])
    else:
        n_series = int(df[id_col].nunique())
    parts = _split_by_series(df, id_col, n_parts_of(n_parts, n_series, client), client)
    # Frame-wide choices, made as the one-machine call makes them, over all series.
    facts = compute([delayed_call(_series_facts, p, id_col, time_col, target_col) for p in parts], client)
    if freq is None:
        counts: Dict[int, int] = {}
        for steps, _, _ in facts:
            for v, c in steps.items():
                counts[v] = counts.get(v, 0) + c
        if counts:  # the most common step; ties go to the smallest, as np.unique + argmax
            values = np.array(sorted(counts))
            step = int(values[np.argmax([counts[v] for v in values])])
            freq = pd.Timedelta(step, unit="ns") if any(f[2] for f in facts) else step
    if distribution == "auto":
        distribution = "count" if all(f[1] for f in facts) else "normal"
    options = dict(models=models, h=h, level=level, season_length=season_length, freq=freq,
                   distribution=distribution, id_col=id_col, time_col=time_col, target_col=target_col, **kwargs)
    if freq is None:
        # one-row series everywhere: let the one-machine call name the problem
        _forecast_module.forecast(df if isinstance(df, pd.DataFrame) else df.head(2), **options)
    done = [r for r in compute([delayed_call(_forecast_part, p, shared(options)) for p in parts], client)
            if r is not None]
    frames = [f for f, _ in done]
    out = pd.concat(frames, ignore_index=True)
    if isinstance(df, dd.DataFrame) or len(frames) > 1:
        out = out.sort_values(id_col, kind="stable").reset_index(drop=True)
    order = {str(i): k for k, i in enumerate(pd.unique(out[id_col]))}
    attrs: Dict[str, Any] = {}
    for key in ("notes", "fitted_models", "inserted"):
        merged: Dict[str, Any] = {}
        for _, a in done:
            merged.update(a.get(key, {}))
        attrs[key] = dict(sorted(merged.items(), key=lambda kv: order.get(kv[0], len(order))))
    attrs["count"] = all(bool(a.get("count", False)) for _, a in done)
    out.attrs.update(attrs)
    _warn_notes(out.attrs["notes"])
    return out


def _roster_of(requirement, templates, kwargs):
    return _staffing.solve_roster(requirement, templates, **kwargs)


def solve_rosters(requirements: Mapping[Hashable, Any], templates, *, client=None, **kwargs) -> Dict[Hashable, Any]:
    """Rosters for many branches at once, one integer program per branch on the Dask workers.

    Parameters
    ----------
    requirements : dict branch -> requirement grid
        Each a days x intervals grid of staff wanted (as :func:`bankquant.staffing.solve_roster`).
    templates : list of ShiftTemplate, or dict branch -> list
        Shift templates for every branch, or per branch.
    client : distributed.Client, optional
        Where to run (default: Dask's current scheduler).
    **kwargs
        Options of :func:`bankquant.staffing.solve_roster` (``contracts``, ``under_cover_penalty``,
        ``relative_gap``, ``time_limit``, ...), the same for every branch.

    Returns
    -------
    dict branch -> Roster
        The rosters :func:`bankquant.staffing.solve_roster` returns for each branch.

    Examples
    --------
    >>> import dask, numpy as np, bankquant as bq
    >>> t = [bq.staffing.ShiftTemplate(name="half", length=4, earliest_start=0, latest_start=4)]
    >>> need = {"north": np.array([[1, 2, 2, 3, 3, 2, 2, 1]]), "south": np.array([[2, 2, 1, 1, 1, 1, 2, 2]])}
    >>> with dask.config.set(scheduler="sync"):
    ...     rosters = bq.dask.solve_rosters(need, t)
    >>> sorted(rosters), rosters["north"].status.code
    (['north', 'south'], 'converged')
    """
    if not isinstance(requirements, Mapping) or not requirements:
        fail("requirements", f"expected a non-empty dict branch -> requirement grid, got {describe(requirements)}")
    if isinstance(templates, Mapping):
        missing = [k for k in requirements if k not in templates]
        if missing:
            fail("templates", f"no templates for branch(es) {missing}")
    keys = list(requirements)
    shared_templates = None if isinstance(templates, Mapping) else shared(templates)
    kw = shared(kwargs)
    tasks = [delayed_call(_roster_of, requirements[k], templates[k] if shared_templates is None else shared_templates,
                          kw) for k in keys]
    return dict(zip(keys, compute(tasks, client)))
