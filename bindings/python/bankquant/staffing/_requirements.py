"""Staff per interval from a forecast frame of the agreed shape (issue 11's output).

The frame is long: ``unique_id``, ``ds``, one mean column per model, optionally interval columns
``<model>-lo-<level>`` / ``<model>-hi-<level>`` and, for count-aware forecasts, ``<model>-size``
(negative-binomial size per row; absent or inf means Poisson). Each row's predictive distribution is
then core's CountDistribution, which the C++ requirements consume.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_choice, as_float, as_str, fail
from ._queues import _queue, _target

_st = _core.staffing

_SUFFIXES = ("-lo-", "-hi-")


def forecast_models(forecast: pd.DataFrame) -> list:
    """The model (mean) columns of a forecast frame: not unique_id/ds, interval or size columns.

    Parameters
    ----------
    forecast : DataFrame
        A frame as :func:`bankquant.forecast.forecast` returns.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import pandas as pd, bankquant as bq
    >>> f = pd.DataFrame({"unique_id": ["a"], "ds": [0], "ETS": [3.0], "ETS-lo-90": [1.0], "ETS-size": [5.0]})
    >>> bq.staffing.forecast_models(f)
    ['ETS']
    """
    if not isinstance(forecast, pd.DataFrame):
        fail("forecast", f"expected a DataFrame with unique_id, ds and a mean column per model, got "
                         f"{type(forecast).__name__}")
    return [c for c in forecast.columns if isinstance(c, str) and c not in ("unique_id", "ds")
            and not any(s in c for s in _SUFFIXES) and not c.endswith("-size")]


def _period_starts(ids: np.ndarray, ds: pd.Series) -> np.ndarray:
    """Rows where a new period (the queue starts empty) begins: a new series or a new day."""
    new = np.ones(len(ids), dtype=bool)
    if len(ids) > 1:
        same_id = ids[1:] == ids[:-1]
        if pd.api.types.is_datetime64_any_dtype(ds):
            days = ds.dt.normalize().to_numpy()
            same_id &= days[1:] == days[:-1]
        new[1:] = ~same_id
    return np.flatnonzero(new).astype(np.uint64)


def _interval_length(ds: pd.Series, ids: np.ndarray) -> float:
    """The forecast's step in minutes, from the most common spacing within a series and day."""
    if not pd.api.types.is_datetime64_any_dtype(ds):
        fail("interval_length", "ds is not a datetime column: give interval_length in the time unit of "
                                "service_time")
    steps = np.diff(ds.to_numpy().astype("datetime64[ns]").astype(np.int64)) / 6e10
    steps = steps[(ids[1:] == ids[:-1]) & (steps > 0)]
    if steps.size == 0:
        fail("interval_length", "one interval per series: give interval_length (minutes) explicitly")
    values, counts = np.unique(steps, return_counts=True)
    return float(values[np.argmax(counts)])


def staffing_requirements(forecast: pd.DataFrame, *, service_time, model=None, use="mean", quantile=None,
                          period_method="sipp", service_level=0.8, target_time=None, patience=None,
                          max_asa=None, max_occupancy=None, max_abandon=None, shrinkage=None, peakedness=None,
                          service_scv=None, interval_length=None, max_servers=None) -> pd.DataFrame:
    """Servers and staff per interval for a forecast frame (unique_id, ds, model columns).

    Each series and each day starts empty. Erlang C, or Erlang A with a finite ``patience``.

    Parameters
    ----------
    forecast : DataFrame
        ``unique_id``, ``ds`` and a mean column per model (counts per interval), as
        :func:`bankquant.forecast.forecast` returns; ``<model>-size`` for ``use="mixture"``.
    service_time : float
        Mean handling time. Times are in minutes when ``ds`` is a datetime (``interval_length`` is
        then read from it); ``service_time``, ``patience`` and ``target_time`` share that unit.
    model : str, optional
        The model column to staff for (needed when there are several).
    use : {"mean", "quantile", "mixture"}, default "mean"
        Staff for the forecast's mean, its count quantile ``quantile``, or the mixture over its
        predictive distribution (Jongbloed and Koole 2001: needs ``<model>-size``; a Poisson
        forecast mixes to the mean).
    quantile : float, optional
        The count quantile for ``use="quantile"`` (default 0.9).
    period_method : {"sipp", "lagged_sipp"}, default "sipp"
        Each interval a stationary queue (Green, Kolesar and Soares 2001), or staffed for the
        lagged offered load of the infinite-server queue (Green, Kolesar and Whitt 2007).
    service_level, target_time, patience, max_asa, max_occupancy, max_abandon, shrinkage, peakedness, service_scv, max_servers
        The queue and the targets, as :func:`required_servers` (``target_time`` 20 s = 1/3 min by
        default); ``shrinkage`` turns servers into staff: ceil(servers / (1 - shrinkage)).
    interval_length : float, optional
        Length of one interval in time units, when ``ds`` is not a datetime.

    Returns
    -------
    pandas.DataFrame
        unique_id, ds, ``arrival_rate`` (per time unit, as staffed for), ``servers``, ``staff``
        (after shrinkage), ``service_level``, ``asa``, ``prob_abandon`` and ``occupancy`` per
        interval, sorted by unique_id and ds. Under Erlang C the mixture's ``asa`` is inf: averaged
        over an unbounded rate some rates exceed any capacity (finite ``patience`` avoids it).

    Examples
    --------
    >>> import pandas as pd, bankquant as bq
    >>> f = pd.DataFrame({"unique_id": "branch", "ds": pd.date_range("2024-01-01 09:00", periods=4, freq="15min"),
    ...                   "mean": [20.0, 40.0, 60.0, 30.0], "mean-size": [10.0, 10.0, 10.0, 10.0]})
    >>> r = bq.staffing.staffing_requirements(f, service_time=4.0, use="mixture")
    >>> m = bq.staffing.staffing_requirements(f, service_time=4.0)   # the forecast mean
    >>> r["servers"].tolist(), m["servers"].tolist()   # the forecast's uncertainty costs staff
    ([10, 18, 25, 14], [8, 14, 20, 11])
    """
    models = forecast_models(forecast)
    missing = [c for c in ("unique_id", "ds") if c not in forecast.columns]
    if missing:
        fail("forecast", f"missing the column(s) {missing}: expected unique_id, ds and a mean column per model")
    if model is None:
        if len(models) != 1:
            fail("model", f"the forecast has {len(models)} model columns {models}: name one")
        model = models[0]
    elif as_str(model, "model") not in models:
        fail("model", f"expected one of the forecast's model columns {models}, got {model!r}")
    use = as_choice(use, "use", ["mean", "quantile", "mixture"])
    size_column = f"{model}-size"
    if use == "mixture" and size_column not in forecast.columns:
        fail("forecast", f"use='mixture' needs the column {size_column!r} (negative-binomial sizes); without it "
                         f"the forecast is Poisson and 'mixture' equals 'mean'")
    frame = forecast.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)
    ids = frame["unique_id"].to_numpy()
    try:
        mean = frame[model].to_numpy(dtype=np.float64, na_value=np.nan)
        size = (frame[size_column].to_numpy(dtype=np.float64, na_value=np.nan) if size_column in frame.columns
                else np.full(len(frame), np.inf))
    except (TypeError, ValueError):
        fail("forecast", f"expected numbers in the columns {model!r} and {size_column!r}")
    bad = ~np.isfinite(mean) | (mean < 0)
    if bad.any():
        i = int(np.argmax(bad))
        fail("forecast", f"column {model!r}: expected finite means >= 0, found {mean[i]} at row {i}")
    bad = np.isnan(size) | (size <= 0)
    if bad.any():
        i = int(np.argmax(bad))
        fail("forecast", f"column {size_column!r}: expected sizes > 0 (inf for Poisson), found {size[i]} at row {i}")
    length = (_interval_length(frame["ds"], ids) if interval_length is None
              else as_float(interval_length, "interval_length", minimum=0, strict_minimum=True))
    options = build(_st.RequirementOptions, interval_length=length, use=use,
                    period_method=as_choice(period_method, "period_method", ["sipp", "lagged_sipp"]),
                    quantile=None if quantile is None else as_float(quantile, "quantile"))
    options.queue = _queue(service_time, patience, peakedness, service_scv)
    options.target = _target(service_level, target_time, max_asa, max_occupancy, max_abandon, shrinkage, max_servers)
    options.validate()
    result = _st.staffing_requirements(mean, size, _period_starts(ids, frame["ds"]), options)
    out = frame[["unique_id", "ds"]].copy()
    for name in ("arrival_rate", "servers", "staff", "service_level", "asa", "prob_abandon", "occupancy"):
        out[name] = getattr(result, name)
    return out
