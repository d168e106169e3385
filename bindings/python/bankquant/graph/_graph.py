"""TransactionGraph: any node ids in, dense ids inside, original ids in every result."""
from __future__ import annotations

from typing import Mapping, Optional, Union

import numpy as np
import pandas as pd

from .. import _core
from ..exceptions import InvalidArgumentError

_g = _core.graph


class TransactionGraph:
    """A directed multigraph of transfers (see ``bankquant/graph/transaction_graph.hpp``).

    Build it with :meth:`from_edges`; ``node_ids`` holds the original id of each node, in the
    order every per-node array uses.
    """

    def __init__(self, core, node_ids: np.ndarray):
        self._core = core
        self.node_ids = node_ids

    @classmethod
    def from_edges(cls, src, dst, amount=None, timestamp=None) -> "TransactionGraph":
        """Edges from arrays (or Series) of any hashable ids; ``amount`` >= 0; ``timestamp`` integers
        or datetimes (kept as nanoseconds)."""
        s, d = pd.Series(np.asarray(src)), pd.Series(np.asarray(dst))
        if len(s) != len(d):
            raise InvalidArgumentError(f"arguments 'src' and 'dst': expected the same length, got {len(s)} and {len(d)}")
        if s.isna().any() or d.isna().any():
            raise InvalidArgumentError("arguments 'src' and 'dst': missing node ids")
        codes, uniques = pd.factorize(pd.concat([s, d], ignore_index=True), sort=True)
        n = len(uniques)
        if n == 0:
            raise InvalidArgumentError("arguments 'src' and 'dst': expected at least one edge, got an empty graph")
        a = None
        if amount is not None:
            a = np.asarray(amount, dtype=np.float64)
            if a.shape != (len(s),):
                raise InvalidArgumentError(f"argument 'amount': expected {len(s)} amounts, got shape {a.shape}")
        t = None
        if timestamp is not None:
            ts = pd.Series(timestamp)
            if ts.isna().any():
                raise InvalidArgumentError("argument 'timestamp': missing timestamps")
            t = (ts.astype("int64") if np.issubdtype(ts.dtype, np.datetime64) else ts).to_numpy(dtype=np.int64)
            if t.shape != (len(s),):
                raise InvalidArgumentError(f"argument 'timestamp': expected {len(s)} timestamps, got shape {t.shape}")
        core = _g.TransactionGraph.from_edges(n, codes[:len(s)].astype(np.int32), codes[len(s):].astype(np.int32), a, t)
        return cls(core, np.asarray(uniques))

    @property
    def n_nodes(self) -> int:
        return self._core.n_nodes

    @property
    def n_edges(self) -> int:
        return self._core.n_edges

    def weakly_connected_components(self) -> np.ndarray:
        """Component label of each node (0.. in order of each component's first node)."""
        return _g.weakly_connected_components(self._core)

    def strongly_connected_components(self) -> np.ndarray:
        return _g.strongly_connected_components(self._core)

    def pagerank(self, damping: float = 0.85, personalization: Union[None, Mapping, np.ndarray] = None,
                 weighted: bool = False, tolerance: float = 1e-13, max_iterations: int = 10_000) -> np.ndarray:
        """PageRank of each node (sums to 1); ``personalization`` as {node id: weight} (e.g. known
        fraud seeds) or one weight per node; ``weighted`` uses amounts as edge weights."""
        p = None
        if personalization is not None:
            if isinstance(personalization, Mapping):
                index = pd.Index(self.node_ids)
                unknown = [k for k in personalization if k not in index]
                if unknown:
                    raise InvalidArgumentError(f"argument 'personalization': unknown node ids {unknown[:5]}")
                p = np.zeros(self.n_nodes)
                p[index.get_indexer(list(personalization))] = list(personalization.values())
            else:
                p = np.asarray(personalization, dtype=np.float64)
        scores, _, converged = _g.pagerank(self._core, float(damping), bool(weighted), p, float(tolerance),
                                           int(max_iterations))
        if not converged:
            import warnings

            from ..exceptions import ConvergenceWarning

            warnings.warn(f"pagerank: no convergence in {max_iterations} iterations", ConvergenceWarning, stacklevel=2)
        return scores
