"""Graph work that parallelises honestly: one graph per time window or per community, each built
and mined on a worker. A single graph's algorithms (PageRank, Leiden, cycles, alerts over the whole
CSR graph) stay on one machine: they read all of it."""
from __future__ import annotations

from typing import Any, Callable, Dict, Hashable, Mapping

import numpy as np
import pandas as pd

from .. import graph as _graph
from .._validation import describe, fail
from ._common import compute, delayed_call, require_columns, shared


def _mine(edges: pd.DataFrame, function: Callable, from_edges: Mapping[str, Any]):
    """On a worker: the group's graph, and what the function makes of it."""
    return function(_graph.TransactionGraph.from_edges(edges, **from_edges))


def map_edge_groups(edges: pd.DataFrame, by, function: Callable, *, client=None, **from_edges) -> Dict[Hashable, Any]:
    """Builds one :class:`bankquant.graph.TransactionGraph` per group of edges on the Dask workers
    and applies ``function`` to each.

    Parameters
    ----------
    edges : pandas.DataFrame
        Transfers: ``src``, ``dst`` and optionally ``amount``, ``timestamp`` and attributes, as
        :meth:`TransactionGraph.from_edges` takes them.
    by : str or array-like
        A column of ``edges`` or one key per edge (NaN/None: the edge is left out).
    function : callable
        ``function(graph)`` -> anything picklable (a DataFrame of alerts, features, ...).
    client : distributed.Client, optional
        Where to run (default: Dask's current scheduler).
    **from_edges
        Further arguments of :meth:`TransactionGraph.from_edges` (column names, attributes).

    Returns
    -------
    dict key -> result
        In sorted key order.

    Examples
    --------
    >>> import dask, pandas as pd, bankquant as bq
    >>> e = pd.DataFrame({"src": [1, 2, 3, 7, 8], "dst": [2, 3, 1, 8, 7], "amount": 1.0,
    ...                   "bank": ["a", "a", "a", "b", "b"]})
    >>> with dask.config.set(scheduler="sync"):
    ...     sizes = bq.dask.map_edge_groups(e, "bank", lambda g: g.n_edges)
    >>> sizes
    {'a': 3, 'b': 2}
    """
    if not isinstance(edges, pd.DataFrame):
        fail("edges", f"expected a pandas DataFrame of transfers, got {describe(edges)}")
    require_columns(edges.columns, ["src", from_edges.get("dst") or "dst"], "edges")
    if not callable(function):
        fail("function", f"expected a callable taking a TransactionGraph, got {describe(function)}")
    if isinstance(by, str):
        require_columns(edges.columns, [by], "by")
        keys = edges[by]
    else:
        values = by.to_numpy() if isinstance(by, (pd.Series, pd.Index)) else np.asarray(by, dtype=object)
        if values.ndim != 1 or len(values) != len(edges):
            fail("by", f"expected one key per edge ({len(edges)}), got {describe(by)}")
        keys = pd.Series(values, index=edges.index)
    groups = {k: part for k, part in edges.groupby(keys.to_numpy(), sort=True, dropna=True)}
    if not groups:
        fail("by", "every key is missing: no group of edges to mine")
    f, kw = shared(function), shared(from_edges)
    names = list(groups)
    return dict(zip(names, compute([delayed_call(_mine, groups[k], f, kw) for k in names], client)))


def map_windows(edges: pd.DataFrame, function: Callable, *, window="7D", time_col: str = "timestamp", client=None,
                **from_edges) -> Dict[Hashable, Any]:
    """One graph per time window of the transfers (``timestamp`` floored to ``window``), each mined
    by ``function`` on a worker: daily or weekly screening of a history too long for one pass.

    Patterns that span two windows are not seen by either; overlap windows (run twice with shifted
    origins) when that matters.

    Parameters
    ----------
    edges : pandas.DataFrame
        Transfers with a datetime64 (or integer) ``time_col``.
    function : callable
        ``function(graph)`` -> anything picklable.
    window : str or int
        A pandas frequency for datetimes ("1D", "7D"), or a width for integer times.
    time_col : str
        The time column.
    client : distributed.Client, optional
        Where to run (default: Dask's current scheduler).
    **from_edges
        Further arguments of :meth:`TransactionGraph.from_edges`.

    Returns
    -------
    dict window start -> result
        In time order.

    Examples
    --------
    >>> import dask, pandas as pd, bankquant as bq
    >>> e = pd.DataFrame({"src": [1, 2, 3, 4], "dst": [2, 3, 4, 1], "amount": 5.0,
    ...                   "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-09", "2024-01-10"])})
    >>> with dask.config.set(scheduler="sync"):
    ...     n = bq.dask.map_windows(e, lambda g: g.n_edges, window="7D")
    >>> list(n.values())
    [2, 2]
    """
    if not isinstance(edges, pd.DataFrame):
        fail("edges", f"expected a pandas DataFrame of transfers, got {describe(edges)}")
    require_columns(edges.columns, [time_col], "time_col")
    t = edges[time_col]
    if pd.api.types.is_datetime64_any_dtype(t):
        try:
            keys = t.dt.floor(window)
        except (ValueError, TypeError) as error:
            fail("window", f"expected a pandas frequency such as '7D', got {describe(window)} ({error})")
    elif pd.api.types.is_integer_dtype(t):
        if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window <= 0:
            fail("window", f"expected a positive integer width for integer times, got {describe(window)}")
        keys = (t // int(window)) * int(window)
    else:
        fail("time_col", f"expected datetime64 or integer times in {time_col!r}, got dtype {t.dtype}")
    if time_col != "timestamp" and "timestamp" not in from_edges:
        from_edges = dict(from_edges, timestamp=time_col)
    return map_edge_groups(edges, keys, function, client=client, **from_edges)
