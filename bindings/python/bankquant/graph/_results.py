"""Result types of the graph algorithms: thin views of the C++ results, with node ids and pandas."""
from __future__ import annotations

from typing import List, Optional

import numpy as np
import pandas as pd

from .. import _core

_g = _core.graph


class _Wrapped:
    """Attributes of the wrapped C++ result are the result's own (``status``, ``modularity``, ...)."""

    def __init__(self, raw):
        self._raw = raw

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    @property
    def raw(self):
        """The C++ result record."""
        return self._raw


class CommunityResult(_Wrapped):
    """Communities found by :meth:`TransactionGraph.louvain` or :meth:`TransactionGraph.leiden`.

    Every community is connected. Further attributes of the C++ result (``n_communities``,
    ``status``, ...) are the result's own.

    Attributes
    ----------
    labels : numpy.ndarray
        A community per node (in ``node_ids`` order, numbered by first node).
    modularity : float
        Newman's modularity at resolution 1 (comparable across runs and with igraph).
    quality : float
        The objective that was optimised (modularity at the given resolution, or the constant
        Potts model).
    method, objective, resolution
        How it was found.
    sizes : numpy.ndarray
        Nodes per community.

    Examples
    --------
    >>> import bankquant as bq
    >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
    ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
    >>> c = g.louvain(seed=0)
    >>> c.labels.tolist(), c.sizes.tolist()
    ([0, 0, 1, 1], [2, 2])
    >>> c.to_series().to_dict()
    {'a': 0, 'b': 0, 'c': 1, 'd': 1}
    """

    def __init__(self, raw, options, node_ids: np.ndarray):
        super().__init__(raw)
        self.method = options.method
        self.objective = options.objective
        self.resolution = options.resolution
        self.node_ids = node_ids

    def __repr__(self) -> str:
        return (f"CommunityResult(method={self.method!r}, objective={self.objective!r}, n_communities={self.n_communities}, "
                f"modularity={self.modularity:.4f})")

    @property
    def sizes(self) -> np.ndarray:
        """Number of nodes in each community."""
        return np.bincount(self._raw.labels, minlength=self._raw.n_communities)

    def to_series(self) -> pd.Series:
        """Community label indexed by node id.

        Returns
        -------
        pandas.Series
            Named "community", indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.louvain(seed=0).to_series().tolist()
        [0, 0, 1, 1]
        """
        return pd.Series(self._raw.labels, index=pd.Index(self.node_ids, name="node"), name="community")


class CycleResult(_Wrapped):
    """Cycles found by :meth:`TransactionGraph.temporal_cycles`.

    Attributes
    ----------
    cycles : list of list
        Each cycle as node ids in travel order, starting at the payer of its first transfer
        (time-respecting mode) or at its smallest node (no window).
    edge_ids : list of numpy.ndarray
        With a window, the transfers of each cycle.
    count : int
    truncated : bool
        A cap or the time limit stopped the search (``status`` says which).

    Examples
    --------
    >>> import bankquant as bq
    >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
    ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
    >>> cycles = g.temporal_cycles(max_length=3, window=10)
    >>> cycles
    CycleResult(count=1, truncated=False, status='converged')
    >>> cycles.to_frame()[["nodes", "first_amount", "returned_amount", "returned_share"]]
           nodes  first_amount  returned_amount  returned_share
    0  [a, b, c]           5.0              4.8            0.96
    """

    def __init__(self, raw, window: Optional[int], graph):
        super().__init__(raw)
        self.window = window
        self.graph = graph

    def __repr__(self) -> str:
        return f"CycleResult(count={self.count}, truncated={self.truncated}, status={self.status.code!r})"

    @property
    def cycles(self) -> List[list]:
        offsets, ids = self._raw.offsets, self.graph.node_ids[self._raw.nodes]
        return [ids[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:])]

    @property
    def edge_ids(self) -> List[np.ndarray]:
        edges, offsets = self._raw.edges, self._raw.offsets
        return [edges[a:b] for a, b in zip(offsets[:-1], offsets[1:])] if len(edges) else []

    def participation(self) -> np.ndarray:
        """Number of cycles each node lies on (per node, ``node_ids`` order).

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.temporal_cycles(max_length=3, window=10).participation().tolist()
        [1, 1, 1, 0]
        """
        return np.bincount(self._raw.nodes, minlength=self.graph.n_nodes)

    def to_frame(self) -> pd.DataFrame:
        """One row per cycle: length, nodes and, with a window, edges, start/end time, first and
        returned amount and the returned share.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.temporal_cycles(max_length=3, window=10).to_frame()[["length", "nodes", "returned_share"]]
           length      nodes  returned_share
        0       3  [a, b, c]            0.96
        """
        offsets = self._raw.offsets
        frame = pd.DataFrame({"cycle": np.arange(self.count), "length": np.diff(offsets), "nodes": self.cycles})
        edges = self._raw.edges
        if self.window is not None and len(edges):
            first = self.graph._edge_table(edges[offsets[:-1]])
            last = self.graph._edge_table(edges[offsets[1:] - 1])
            frame["edges"] = [list(e) for e in self.edge_ids]
            frame["start"] = self.graph._to_time(first.timestamp)
            frame["end"] = self.graph._to_time(last.timestamp)
            frame["first_amount"] = first.amount
            frame["returned_amount"] = last.amount
            with np.errstate(all="ignore"):
                frame["returned_share"] = np.where(first.amount > 0, last.amount / first.amount, np.nan)
        return frame

    def to_alerts(self) -> pd.DataFrame:
        """The time-respecting cycles as alerts (typology ``"cycle"``), in the layout of
        :meth:`TransactionGraph.detect_patterns`, so they can be evaluated and plotted alike.

        Returns
        -------
        pandas.DataFrame

        Raises
        ------
        InvalidArgumentError
            Cycles found without a window.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.temporal_cycles(max_length=3, window=10).to_alerts()[["typology", "account", "n_edges"]]
          typology account  n_edges
        0    cycle       a        3
        """
        if self.window is None:
            from ..exceptions import InvalidArgumentError

            raise InvalidArgumentError("argument 'window': to_alerts needs time-respecting cycles (call temporal_cycles "
                                       "with a window)")
        return self.graph._alert_frame(_g.cycle_alerts(self.graph._core, self._raw))


class CycleCounts(_Wrapped):
    """Time-respecting cycles counted, not listed, by :meth:`TransactionGraph.cycle_counts`.

    Every count equals the matching sum over the cycles :meth:`TransactionGraph.temporal_cycles`
    lists with the same arguments.

    Attributes
    ----------
    edges : pandas.Series
        Per transfer (indexed by edge id), the cycles holding it.
    closing : pandas.Series
        Per transfer, the cycles it closes (it is their latest transfer).
    nodes : pandas.Series
        Per account (indexed by node id), the cycles through it.
    total : int
        The cycles counted.
    truncated : bool
        ``max_cycles`` or ``time_limit`` stopped the count, so the counts are lower bounds (a
        ConvergenceWarning said so; ``status`` has the details).

    Examples
    --------
    >>> import bankquant as bq
    >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
    ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
    >>> counts = g.cycle_counts(max_length=3, window=10)
    >>> counts.total, counts.edges.tolist(), counts.nodes.to_dict()
    (1, [1, 1, 1, 0], {'a': 1, 'b': 1, 'c': 1, 'd': 0})
    """

    def __init__(self, raw, window: int, graph):
        super().__init__(raw)
        self.window = window
        self.graph = graph

    def __repr__(self) -> str:
        return f"CycleCounts(total={self.total}, truncated={self.truncated}, status={self.status.code!r})"

    @property
    def edges(self) -> pd.Series:
        return pd.Series(self._raw.edge_cycles, index=pd.RangeIndex(len(self._raw.edge_cycles), name="edge"),
                         name="cycles")

    @property
    def closing(self) -> pd.Series:
        return pd.Series(self._raw.closing_cycles, index=pd.RangeIndex(len(self._raw.closing_cycles), name="edge"),
                         name="closing_cycles")

    @property
    def nodes(self) -> pd.Series:
        return pd.Series(self._raw.node_cycles, index=pd.Index(self.graph.node_ids, name="node"), name="cycles")


class DenseBlock(_Wrapped):
    """A dense payer→payee block found by FRAUDAR (Hooi et al. 2016).

    Attributes
    ----------
    payers, payees : numpy.ndarray
        Node ids of both sides.
    density : float
        f(S) / size of S, f the (camouflage-resistant) weight of the links inside.
    weight : float
        f(S).
    links : int
        Distinct payer–payee links inside.
    lift : float
        How many times denser the block is than all the links it was peeled from.

    Examples
    --------
    >>> import bankquant as bq
    >>> g = bq.graph.TransactionGraph.from_edges(["u1", "u1", "u2", "u2", "u3", "u3", "x"],
    ...                                          ["shop", "bar", "shop", "bar", "shop", "bar", "cafe"])
    >>> [block] = g.dense_blocks(n_blocks=1, log_offset=0, min_size=1, min_lift=1.0)
    >>> block
    DenseBlock(payers=3, payees=2, links=6, density=1.2, lift=1.2)
    >>> sorted(block.payers), sorted(block.payees)
    (['u1', 'u2', 'u3'], ['bar', 'shop'])
    """

    def __init__(self, raw, node_ids: np.ndarray):
        super().__init__(raw)
        self.node_ids = node_ids

    def __repr__(self) -> str:
        return (f"DenseBlock(payers={len(self._raw.payers)}, payees={len(self._raw.payees)}, links={self.links}, "
                f"density={self.density:.3g}, lift={self.lift:.3g})")

    @property
    def payers(self) -> np.ndarray:
        return self.node_ids[self._raw.payers]

    @property
    def payees(self) -> np.ndarray:
        return self.node_ids[self._raw.payees]
