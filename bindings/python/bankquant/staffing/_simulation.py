"""The discrete-event simulator that checks a staffing plan (C++, replications on Philox streams)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_choice, as_float, as_float_array, as_float_matrix, as_float_vector, as_int, \
    as_int_vector, as_level, as_seed, fail, index_of

_st = _core.staffing


class Simulation:
    """Simulated measures: a view of the C++ ``SimulationResult`` (every field an attribute:
    ``summary_service_level`` and its ``_lo``/``_hi`` bounds, ``customers``, ...) with ``frame``, the
    per-interval measures as a DataFrame."""

    def __init__(self, raw, index=None, quantiles=()):
        self._raw, self._index, self._quantiles = raw, index, tuple(quantiles)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    def __repr__(self) -> str:
        r = self._raw
        return (f"Simulation(service_level={r.summary_service_level:.4f} [{r.summary_service_level_lo:.4f}, "
                f"{r.summary_service_level_hi:.4f}], abandonment={r.summary_abandonment:.4f}, "
                f"customers={r.customers:.0f})")

    @property
    def raw(self):
        """The C++ result record (``bankquant._core.staffing.SimulationResult``)."""
        return self._raw

    @property
    def frame(self) -> pd.DataFrame:
        """Per interval: arrivals, service level (with bounds), ASA, abandonment, utilisation, wait quantiles."""
        r = self._raw
        out = pd.DataFrame({name: getattr(r, name) for name in (
            "arrivals", "service_level", "service_level_lo", "service_level_hi", "asa", "abandonment",
            "abandonment_lo", "abandonment_hi", "utilization", "utilization_lo", "utilization_hi")},
            index=self._index)
        waits = np.asarray(r.wait_quantiles)
        for j, q in enumerate(self._quantiles):
            out[f"wait_q{q:g}"] = waits[:, j]
        return out


def _ints(values, name):
    """Non-negative integers below 2**31 (checked before the cast, which would wrap)."""
    big = np.abs(as_float_array(values, name)) >= 2**31
    if np.any(big):
        fail(name, "expected integers below 2**31")
    return as_int_vector(values, name, minimum=0)


def _per_class(value, name, classes, minimum_exclusive=True, allow_inf=False):
    arr = np.atleast_1d(as_float_array(value, name))
    if arr.ndim != 1 or arr.size not in (1, classes):
        fail(name, f"expected one value or one per customer class ({classes}), got shape {arr.shape}")
    for v in arr:
        as_float(v, name, minimum=0, strict_minimum=minimum_exclusive, allow_inf=allow_inf)
    return np.broadcast_to(arr, (classes,))


def simulate(arrival_rates, staff, *, service_time, patience=np.inf, service_distribution="exponential",
             service_cv=1.0, interval_length=1.0, size=None, period_starts=None, replications=None, seed=None,
             target_time=None, confidence=None, wait_quantiles=None, warmup_intervals=None,
             peakedness=None) -> Simulation:
    """Simulates the queue of ``staff`` servers on duty per interval facing ``arrival_rates``.

    A discrete-event simulation (C++): customers arrive as a Poisson process per interval (or
    over-dispersed), wait first come first served, are served or abandon. Replication r runs on
    Philox stream (seed, r): the same result for any thread count. Defaults from the C++
    ``SimulationOptions``.

    Parameters
    ----------
    arrival_rates : 1-D array-like or 2-D (intervals × customer classes)
        Arrivals per time unit in each interval; a Series' index labels the result's frame.
    staff : 1-D array-like of int
        Servers on duty in each interval.
    service_time : float or one per class
        Mean handling time.
    patience : float or one per class, default inf
        Mean exponential patience (inf: nobody abandons).
    service_distribution : {"exponential", "lognormal"}
        Handling-time distribution.
    service_cv : float or one per class, default 1
        Coefficient of variation of lognormal handling times.
    interval_length : float, default 1
        Length of an interval; all times share its unit.
    size : 1-D array-like, optional
        Negative-binomial sizes per interval (over-dispersed arrivals; None: Poisson).
    period_starts : 1-D array-like of int, optional
        Intervals where a day starts (the queue starts empty).
    replications : int, optional
        Default 100.
    seed : int, optional
        Default 0.
    target_time : float, optional
        Service-level target time (default 1/3: 20 s in minutes).
    confidence : float, optional
        Level of the bounds (default 0.95).
    wait_quantiles : list of float, optional
        Wait quantiles per interval (default 0.5, 0.8, 0.95).
    warmup_intervals : int, optional
        Intervals left out of the summary (default 0).
    peakedness : float, optional
        Variance / mean of the arrivals (1: Poisson).

    Returns
    -------
    Simulation
        ``summary_service_level`` with ``_lo`` / ``_hi`` bounds, ``summary_abandonment``,
        ``summary_asa``, ``customers``, and ``frame``: per interval arrivals, service level, ASA,
        abandonment, utilisation (with bounds) and wait quantiles.

    Examples
    --------
    >>> import bankquant as bq
    >>> s = bq.staffing.simulate([10.0] * 50, [12] * 50, service_time=1.0, target_time=0.2,
    ...                          replications=20, seed=1, warmup_intervals=5)
    >>> s
    Simulation(service_level=0.7545 [0.6991, 0.8099], abandonment=0.0000, customers=9839)
    >>> round(bq.staffing.erlang_c(10.0, 1.0, 12, 0.2).service_level, 4)     # inside the band
    0.6988
    """
    index = index_of(arrival_rates)
    rates = as_float_array(arrival_rates, "arrival_rates")
    rates = as_float_matrix(rates.reshape(-1, 1) if rates.ndim == 1 else rates, "arrival_rates")
    if (rates < 0).any():
        fail("arrival_rates", f"expected rates >= 0, found {rates[rates < 0][0]:g}")
    n, classes = rates.shape
    servers = _ints(staff, "staff")
    if servers.size != n:
        fail("staff", f"expected one value per interval ({n}), got {servers.size}")
    distribution = as_choice(service_distribution, "service_distribution", ["exponential", "lognormal"])
    times = _per_class(service_time, "service_time", classes)
    patiences = _per_class(patience, "patience", classes, allow_inf=True)
    cvs = _per_class(service_cv, "service_cv", classes, minimum_exclusive=False)
    kinds = [build(_st.CustomerClass, service_time=float(times[k]), service_distribution=distribution,
                   service_cv=float(cvs[k]), patience=float(patiences[k])) for k in range(classes)]
    sizes = np.empty(0) if size is None else as_float_vector(size, "size", finite=False)
    if size is not None and sizes.size != n:
        fail("size", f"expected one size per interval ({n}), got {sizes.size}")
    if size is not None and (np.isnan(sizes) | (sizes <= 0)).any():
        fail("size", "expected sizes > 0 (inf for Poisson)")
    starts = np.zeros(1, dtype=np.uint64) if period_starts is None else \
        _ints(period_starts, "period_starts").astype(np.uint64)
    quantiles = None if wait_quantiles is None else as_level(wait_quantiles, "wait_quantiles")
    options = build(_st.SimulationOptions,
                    replications=None if replications is None else as_int(replications, "replications", minimum=1),
                    seed=None if seed is None else as_seed(seed),
                    target_time=None if target_time is None else as_float(target_time, "target_time", minimum=0),
                    confidence=None if confidence is None else as_float(confidence, "confidence"),
                    wait_quantiles=quantiles,
                    warmup_intervals=None if warmup_intervals is None else as_int(warmup_intervals, "warmup_intervals",
                                                                                  minimum=0),
                    peakedness=None if peakedness is None else as_float(peakedness, "peakedness"))
    options.validate()
    length = as_float(interval_length, "interval_length", minimum=0, strict_minimum=True)
    raw = _st.simulate(rates, servers.astype(np.int32), kinds, length, sizes, starts, options)
    return Simulation(raw, index, options.wait_quantiles)
