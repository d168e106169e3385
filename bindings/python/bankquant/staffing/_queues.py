"""Erlang B/C/A, required servers and pooling: keyword arguments to the C++ records and back."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_float, as_float_matrix, as_float_vector, as_int, index_of

_st = _core.staffing
_INT_MAX = 2**31 - 1  # the C++ int

#: The C++ result records, returned as they are (every field an attribute, ``to_dict()``).
ErlangCResult = _st.ErlangCResult
ErlangAResult = _st.ErlangAResult
PooledRequirement = _st.PooledRequirement


def _rate(value, name="arrival_rate"):
    return as_float(value, name, minimum=0)


def _time(value, name):
    return as_float(value, name, minimum=0, strict_minimum=True)


def erlang_b(load, servers) -> float:
    """Erlang B blocking probability of ``servers`` servers facing ``load`` Erlangs (M/M/n/n: a
    customer who finds every server busy is lost).

    Parameters
    ----------
    load : float
        Offered load in Erlangs (arrival rate × mean service time), >= 0.
    servers : int
        Servers, >= 0.

    Returns
    -------
    float
        The probability that an arriving customer finds every server busy.

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.staffing.erlang_b(10.0, 10), 6)   # the published Erlang B table
    0.214582
    """
    return _st.erlang_b(as_float(load, "load", minimum=0), as_int(servers, "servers", minimum=0, maximum=_INT_MAX))


def erlang_c(arrival_rate, service_time, servers, target_time) -> ErlangCResult:
    """Erlang C (M/M/n) measures of ``servers`` servers: customers wait in an unbounded queue and never
    abandon.

    One time unit throughout: ``arrival_rate`` per unit, ``service_time`` and ``target_time`` in
    units (minutes, say).

    Parameters
    ----------
    arrival_rate : float
        Arrivals per time unit, >= 0.
    service_time : float
        Mean handling time, > 0.
    servers : int
        Servers on duty, >= 1.
    target_time : float
        The service-level target: answered within this time.

    Returns
    -------
    ErlangCResult
        The C++ record: ``load``, ``occupancy``, ``prob_wait``, ``asa`` (average speed of answer),
        ``service_level`` (share answered within ``target_time``) and ``mean_queue``.

    Raises
    ------
    InvalidArgumentError
        A load at or above ``servers`` (an unstable queue); the message says how many servers it
        needs.

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.staffing.erlang_c(arrival_rate=100 / 30, service_time=3.0, servers=14, target_time=1 / 3)
    >>> round(r.prob_wait, 4), round(r.service_level, 4)   # pyworkforce's example: 100 calls per 30 min, AHT 3 min
    (0.1741, 0.8884)
    """
    return _st.erlang_c(_rate(arrival_rate), _time(service_time, "service_time"),
                        as_int(servers, "servers", minimum=1, maximum=_INT_MAX), as_float(target_time, "target_time", minimum=0))


def erlang_a(arrival_rate, service_time, patience, servers, target_time) -> ErlangAResult:
    """Erlang A (M/M/n+M: exponential patience) measures, exact from the birth-death chain.

    Parameters
    ----------
    arrival_rate : float
        Arrivals per time unit, >= 0.
    service_time : float
        Mean handling time, > 0.
    patience : float
        Mean time a waiting customer stays before abandoning, > 0 (inf: Erlang C).
    servers : int
        Servers on duty, >= 1. Unlike Erlang C, a load above ``servers`` is stable.
    target_time : float
        The service-level target time.

    Returns
    -------
    ErlangAResult
        The C++ record: ``occupancy``, ``prob_wait``, ``prob_abandon``, ``service_level``
        (abandoners count as not answered), ``asa``, ``mean_wait``, ``mean_queue``.

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.staffing.erlang_a(arrival_rate=10.0, service_time=1.0, patience=2.0, servers=10, target_time=0.2)
    >>> round(r.prob_abandon, 4), round(r.service_level, 4)
    (0.1039, 0.572)
    >>> 0 < r.prob_abandon < r.prob_wait < 1
    True
    """
    return _st.erlang_a(_rate(arrival_rate), _time(service_time, "service_time"),
                        as_float(patience, "patience", minimum=0, strict_minimum=True, allow_inf=True),
                        as_int(servers, "servers", minimum=1, maximum=_INT_MAX), as_float(target_time, "target_time", minimum=0))


def _queue(service_time, patience, peakedness, service_scv):
    return build(_st.QueueModel, service_time=_time(service_time, "service_time"),
                 patience=None if patience is None else as_float(patience, "patience", allow_inf=True),
                 peakedness=None if peakedness is None else as_float(peakedness, "peakedness"),
                 service_scv=None if service_scv is None else as_float(service_scv, "service_scv"))


def _target(service_level, target_time, max_asa, max_occupancy, max_abandon, shrinkage, max_servers):
    def num(v, name, inf=False):
        return None if v is None else as_float(v, name, allow_inf=inf)

    target = build(_st.StaffingTarget, service_level=num(service_level, "service_level"),
                   target_time=num(target_time, "target_time"), max_asa=num(max_asa, "max_asa", True),
                   max_occupancy=num(max_occupancy, "max_occupancy"), max_abandon=num(max_abandon, "max_abandon"),
                   shrinkage=num(shrinkage, "shrinkage"),
                   max_servers=None if max_servers is None else as_int(max_servers, "max_servers", maximum=_INT_MAX))
    target.validate()
    return target


def required_servers(arrival_rate, service_time, service_level=0.8, target_time=None, *, patience=None,
                     max_asa=None, max_occupancy=None, max_abandon=None, shrinkage=None, peakedness=None,
                     service_scv=None, max_servers=None):
    """The fewest servers meeting every target (before shrinkage).

    Erlang C by default; a finite ``patience`` gives Erlang A; ``peakedness`` (Hayward) and
    ``service_scv`` (M/G/n) adjust Erlang C. Defaults of the targets come from the C++
    ``StaffingTarget`` (``bq._core.staffing.StaffingTarget().fields()``).

    Parameters
    ----------
    arrival_rate : float or 1-D array-like
        Arrivals per time unit; a sequence staffs each rate.
    service_time : float
        Mean handling time, in the same time unit.
    service_level : float, default 0.8
        Share answered within ``target_time``; 0 for no service-level target.
    target_time : float, optional
        Default 1/3: 20 seconds in minutes (the 80/20 rule).
    patience : float, optional
        Mean patience (Erlang A); None or inf for none.
    max_asa, max_occupancy, max_abandon : float, optional
        Further ceilings that must hold (average speed of answer, occupancy, abandonment).
    shrinkage : float, optional
        Accepted for the target record; it changes staff, not servers.
    peakedness : float, optional
        Variance / mean of the offered load (1: Poisson arrivals).
    service_scv : float, optional
        Squared coefficient of variation of handling times (1: exponential).
    max_servers : int, optional
        Give up above this many (default 1,000,000): an error naming the target that cannot be met.

    Returns
    -------
    int for a scalar rate; an integer array (a Series named "servers" for a Series) otherwise.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.staffing.required_servers(100 / 30, 3.0, 0.8, 1 / 3)   # pyworkforce's example: 14 agents
    14
    >>> bq.staffing.required_servers([2.0, 20.0], 1.0, 0.8, 0.2).tolist()
    [4, 24]
    """
    model = _queue(service_time, patience, peakedness, service_scv)
    target = _target(service_level, target_time, max_asa, max_occupancy, max_abandon, shrinkage, max_servers)
    if np.ndim(arrival_rate) == 0 and not isinstance(arrival_rate, (list, tuple, pd.Series)):
        rate = _rate(arrival_rate)
        return int(_st.required_servers(np.array([rate]), model, target)[0])
    rates = as_float_vector(arrival_rate, "arrival_rate")
    if (rates < 0).any():
        as_float(rates[rates < 0][0], "arrival_rate", minimum=0)
    out = np.asarray(_st.required_servers(rates, model, target), dtype=np.int64)
    index = index_of(arrival_rate)
    return pd.Series(out, index=index, name="servers") if index is not None else out


def pooled_requirement(arrival_rates, service_times, service_scvs=None, *, service_level=0.8, target_time=None,
                       max_asa=None, max_occupancy=None, shrinkage=None, max_servers=None):
    """One pool of servers for several services: pooled servers, their split by work share, and the
    servers the services would need as separate queues.

    Erlang C with the mixture's handling-time variability (M/G/n).

    Parameters
    ----------
    arrival_rates : 1-D array-like, or 2-D array / DataFrame (intervals × services)
        Arrivals per time unit of each service.
    service_times : 1-D array-like
        Mean handling time of each service.
    service_scvs : 1-D array-like, optional
        Squared coefficients of variation of each service's handling time (default 1: exponential).
    service_level, target_time, max_asa, max_occupancy, shrinkage, max_servers
        The targets, as :func:`required_servers`.

    Returns
    -------
    PooledRequirement for one set of rates (the C++ record: ``servers``, ``staff``,
    ``servers_by_service``, ``separate_servers``, ``separate_total``, ``measures``); a DataFrame
    per interval for a matrix (``servers``, ``staff``, ``separate_total``, ``service_level`` and
    ``servers_<service>``).

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> p = bq.staffing.pooled_requirement([1.0, 0.5], [2.0, 6.0], service_level=0.8, target_time=0.5)
    >>> p.servers, p.separate_total                # pooling saves a server
    (8, 9)
    >>> rates = pd.DataFrame({"loans": [1.0, 2.0], "cash": [0.5, 1.0]})
    >>> bq.staffing.pooled_requirement(rates, [2.0, 6.0], target_time=0.5)[["servers", "separate_total"]]
       servers  separate_total
    0        8               9
    1       14              15
    """
    times = as_float_vector(service_times, "service_times", min_size=1)
    scvs = np.ones_like(times) if service_scvs is None else as_float_vector(service_scvs, "service_scvs")
    target = _target(service_level, target_time, max_asa, max_occupancy, None, shrinkage, max_servers)
    if np.ndim(arrival_rates) <= 1 and not isinstance(arrival_rates, pd.DataFrame):
        rates = as_float_vector(arrival_rates, "arrival_rates")
        return _st.pooled_requirements(rates.reshape(1, -1), times, scvs, target)[0]
    rates = as_float_matrix(arrival_rates, "arrival_rates")
    out = _st.pooled_requirements(rates, times, scvs, target)
    frame = pd.DataFrame({
        "servers": [p.servers for p in out], "staff": [p.staff for p in out],
        "separate_total": [p.separate_total for p in out],
        "service_level": [p.measures.service_level for p in out]}, index=index_of(arrival_rates))
    names = list(arrival_rates.columns) if isinstance(arrival_rates, pd.DataFrame) else list(range(times.size))
    for k, name in enumerate(names):
        frame[f"servers_{name}"] = [int(p.servers_by_service[k]) for p in out]
    return frame
