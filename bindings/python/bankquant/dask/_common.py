"""What the scale-out functions share: running tasks on the caller's Dask scheduler, splitting work
into parts, and accepting pandas where Dask is expected. Nothing here computes."""
from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from .._validation import as_int, describe, fail


def check_client(client) -> None:
    """Fails naming 'client' unless it is None or looks like a distributed.Client."""
    if client is not None and not all(hasattr(client, a) for a in ("compute", "gather", "nthreads")):
        fail("client", f"expected a distributed.Client or None, got {describe(client)}")


def compute(tasks: Sequence[Any], client=None) -> List[Any]:
    """Computes delayed tasks on ``client`` (a ``distributed.Client``), or on Dask's current
    scheduler: the default client when one exists, else Dask's local threads."""
    check_client(client)
    if client is not None:
        return list(client.gather(client.compute(list(tasks))))
    return list(dask.compute(*tasks))


def n_parts_of(n_parts, items: int, client=None, name: str = "n_parts") -> int:
    """How many parts to cut ``items`` into: ``n_parts``, or by default one per worker thread of the
    client (or of the default client), else 4; never more than the items."""
    check_client(client)
    if n_parts is None:
        workers = 0
        try:
            from distributed import get_client

            c = client if client is not None else get_client()
            workers = sum(c.nthreads().values())
        except (ImportError, ValueError):
            workers = 0
        n = workers if workers > 0 else 4
    else:
        n = as_int(n_parts, name, minimum=1, maximum=1_000_000)
    return max(1, min(n, max(items, 1)))


def split_evenly(n: int, parts: int) -> List[range]:
    """[0, n) cut into `parts` consecutive ranges whose sizes differ by at most one."""
    edges = [n * p // parts for p in range(parts + 1)]
    return [range(edges[p], edges[p + 1]) for p in range(parts)]


def as_dask_frame(data, name: str, npartitions: Optional[int] = None) -> dd.DataFrame:
    """A Dask DataFrame from a Dask or pandas DataFrame (a pandas frame is cut into ``npartitions``)."""
    if isinstance(data, dd.DataFrame):
        return data
    if isinstance(data, pd.DataFrame):
        return dd.from_pandas(data, npartitions=max(1, npartitions or 1), sort=False)
    fail(name, f"expected a Dask or pandas DataFrame, got {describe(data)}")
    raise AssertionError  # unreachable: fail raises


def require_columns(columns, wanted: Sequence[str], name: str) -> None:
    """Fails naming ``name`` when a column of ``wanted`` is missing."""
    missing = [c for c in wanted if c not in list(columns)]
    if missing:
        fail(name, f"missing column(s) {missing}; has {list(columns)}")


def delayed_call(function: Callable, *args, **kwargs):
    """dask.delayed(function)(...) with pure=False: every call runs (no deduplication by hash)."""
    return dask.delayed(function, pure=False)(*args, **kwargs)


def shared(value):
    """One task holding ``value``, so parts that read it share one copy in the graph."""
    return dask.delayed(value, traverse=False)


def tree_reduce(parts: List[Any], combine: Callable, fan_in: int = 8):
    """Combines delayed parts by ``combine(list)`` in a fixed tree of ``fan_in`` (the same tree, so
    the same order of additions, for a given number of parts)."""
    level = list(parts)
    while len(level) > 1:
        level = [delayed_call(combine, level[i:i + fan_in]) for i in range(0, len(level), fan_in)]
    return level[0]


def as_float_array_1d(values, name: str) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(values, dtype=float).ravel())
