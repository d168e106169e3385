"""TransactionGraph: any node ids in, dense ids inside, original ids in every result.

Each method converts its arguments (``_inputs``, ``_validation``), builds the C++ Options record
from keyword arguments (fields, defaults and checks come from C++), calls C++ with the GIL
released and wraps the C++ result; the algorithms are in ``include/bankquant/graph``.
"""
from __future__ import annotations

from collections.abc import Hashable
from typing import Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_bool, as_choice, as_float, as_int, as_int_vector, as_seed, describe, fail
from ..exceptions import InvalidArgumentError, warn_if_not_converged
from . import _inputs
from ._inputs import WindowLike
from ._investigation import InvestigationMixin
from ._results import CommunityResult, CycleCounts, CycleResult, DenseBlock

_g = _core.graph
TYPOLOGIES = tuple(_g.TYPOLOGIES)
# the windowed typologies (detect_patterns); the default list leaves out pass_through
PATTERN_TYPOLOGIES = TYPOLOGIES[:TYPOLOGIES.index("structuring") + 1]
_PAGERANK = _g.PageRankOptions()
_COMMUNITY = _g.CommunityOptions()
_CYCLES = _g.CycleOptions()
_BLOCKS = _g.DenseBlockOptions()
_RINGS = _g.RingOptions()
_RING_SEARCH = _g.RingSearchOptions()
_STREAMING = _g.StreamingOptions()
_SCREENING = _g.ScreeningOptions()


def _options(options_type, what: str, **fields):
    """The C++ Options record from keyword arguments (None keeps the C++ default); its keyword
    constructor checks each field and names it."""
    return options_type(**{k: v for k, v in fields.items() if v is not None})


def _frame_columns(frame: pd.DataFrame, dst, amount, timestamp, attrs: Mapping, default_attrs: Mapping):
    """The columns of an edge DataFrame: ``dst``/``amount``/``timestamp`` and attribute values name
    columns (defaults "dst", and "amount"/"timestamp" when present; ``default_attrs`` when present)."""
    names = {"dst": dst or "dst", "amount": amount, "timestamp": timestamp}
    for key in ("amount", "timestamp"):
        if names[key] is None and key in frame:
            names[key] = key
    for key, column in [("src", "src"), ("dst", names["dst"]), ("amount", names["amount"]),
                        ("timestamp", names["timestamp"])]:
        if column is not None and not isinstance(column, Hashable):
            fail(key, f"with a DataFrame as 'src', expected a column name, got {describe(column)}")
        if column is not None and column not in frame:
            fail(key, f"no column '{column}' in the DataFrame")
    columns = {}
    for key, value in {**{k: v for k, v in default_attrs.items() if v in frame}, **dict(attrs)}.items():
        if isinstance(value, str):  # attributes named by column: channel="channel"
            if value not in frame:
                fail(key, f"no column '{value}' in the DataFrame")
            value = frame[value]
        columns[key] = value
    return (frame["src"], frame[names["dst"]],
            frame[names["amount"]] if names["amount"] is not None else None,
            frame[names["timestamp"]] if names["timestamp"] is not None else None, columns)


class TransactionGraph(InvestigationMixin):
    """A directed multigraph of transfers (C++: ``bankquant/graph/transaction_graph.hpp``).

    Build it with :meth:`from_edges` (or :meth:`from_networkx`, :meth:`from_igraph`); the
    constructor is internal. Edge ids are row positions of the input, continued by
    :meth:`append_edges`. Ids are of one type (numbers, or strings, ...): mixing ``1`` and ``'1'``
    is refused.

    Attributes
    ----------
    node_ids : numpy.ndarray
        The original id of each node, in the order every per-node array uses (sorted ids at
        build; ids first seen in :meth:`append_edges` follow in order of appearance).
    n_nodes, n_edges : int
        Accounts and transfers.

    Examples
    --------
    >>> import bankquant as bq
    >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
    ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
    >>> g
    TransactionGraph(n_nodes=4, n_edges=4)
    >>> g.node_ids.tolist()
    ['a', 'b', 'c', 'd']
    >>> g.temporal_cycles(max_length=3, window=10).cycles
    [['a', 'b', 'c']]
    """

    def __init__(self, core, node_ids: np.ndarray, time_kind: Optional[_inputs.TimeKind] = None,
                 attrs: Optional[pd.DataFrame] = None):
        self._core = core
        self._attrs = attrs if attrs is not None else pd.DataFrame(index=pd.RangeIndex(core.n_edges))
        self.node_ids = node_ids
        self._time = time_kind
        self._index: Optional[pd.Index] = None

    # ----------------------------------------------------------------------------- building
    @classmethod
    def from_edges(cls, src, dst=None, amount=None, timestamp=None, *, nodes=None, **attrs) -> "TransactionGraph":
        """Edges from arrays (or Series) of any hashable ids, or one DataFrame.

        ``src``/``dst``: payer and payee ids (integers, strings, ...); ``amount`` >= 0 (default 1
        per transfer); ``timestamp`` integers or datetimes (kept as nanoseconds; tz-aware ones as
        UTC). With a DataFrame as ``src``, the other arguments name its columns (defaults
        ``"src"``, ``"dst"``, and ``"amount"``/``"timestamp"`` when present). Further keyword
        arrays (channel, currency, reference, ...) are kept as edge attributes and shown in
        :meth:`edges` (witness tables); with a DataFrame they may name its columns
        (``channel="channel"``). Other columns of the DataFrame are not kept.

        Parameters
        ----------
        src : array-like, Series or DataFrame
            Payer ids, or a DataFrame of transfers.
        dst : array-like or str, optional
            Payee ids, or (with a DataFrame) the payee column's name.
        amount : array-like or str, optional
        timestamp : array-like or str, optional
        nodes : array-like, optional
            Further account ids to hold without transfers (accounts idle in the period; every
            per-node result then has a row for them).
        **attrs
            Edge attributes (arrays, or column names of the DataFrame).

        Returns
        -------
        TransactionGraph
            It may be empty, for streaming with :meth:`append_edges`; the kind of its timestamps
            comes from the dtype given (``timestamp=pd.to_datetime([])`` for datetimes).

        Examples
        --------
        >>> import bankquant as bq, pandas as pd
        >>> d = pd.DataFrame({"src": [1, 2], "dst": [2, 3], "amount": [10.0, 9.5],
        ...                   "ts": pd.to_datetime(["2025-01-01", "2025-01-02"]), "channel": ["web", "app"]})
        >>> g = bq.graph.TransactionGraph.from_edges(d, timestamp="ts", channel="channel")
        >>> g.edges()
           edge  src  dst  amount  timestamp channel
        0     0    1    2    10.0 2025-01-01     web
        1     1    2    3     9.5 2025-01-02     app
        >>> bq.graph.TransactionGraph.from_edges(d, timestamp="ts", nodes=[7]).node_ids.tolist()
        [1, 2, 3, 7]
        """
        if isinstance(src, pd.DataFrame):
            src, dst, amount, timestamp, attrs = _frame_columns(src, dst, amount, timestamp, attrs, {})
        s, d = _inputs.ids_of(src, "src"), _inputs.ids_of(dst, "dst")
        if len(s) != len(d):
            raise InvalidArgumentError(f"arguments 'src' and 'dst': expected the same length, got {len(s)} and {len(d)}")
        parts = [s, d]
        if nodes is not None:
            extra_nodes = _inputs.ids_of(nodes, "nodes")
            if len(s):
                _inputs.same_kind(np.asarray(s), extra_nodes, "nodes")
            parts.append(extra_nodes)
        both = _inputs.ids_of(pd.concat(parts, ignore_index=True), "dst")
        codes, uniques = pd.factorize(both, sort=True)
        a = _inputs.amounts(amount, len(s))
        t, kind = (None, None) if timestamp is None else _inputs.timestamps(timestamp, len(s))
        extra = _inputs.attributes(attrs, len(s))
        core = _g.TransactionGraph.from_edges(len(uniques), codes[:len(s)].astype(np.int32),
                                              codes[len(s):2 * len(s)].astype(np.int32), a, t)
        return cls(core, np.asarray(uniques), kind, extra)

    @property
    def n_nodes(self) -> int:
        return self._core.n_nodes

    @property
    def n_edges(self) -> int:
        return self._core.n_edges

    def memory_bytes(self) -> int:
        """Bytes held by the C++ graph (edges, both compressed directions).

        Returns
        -------
        int

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.memory_bytes()
        256
        """
        return self._core.memory_bytes()

    def __repr__(self) -> str:
        return f"TransactionGraph(n_nodes={self.n_nodes}, n_edges={self.n_edges})"

    # ------------------------------------------------------------------------------ helpers
    @property
    def _has_time(self) -> bool:
        return self._time is not None

    @property
    def _datetime(self) -> bool:
        return self._time is not None and self._time.is_datetime

    @property
    def _node_index(self) -> pd.Index:
        if self._index is None:
            self._index = pd.Index(self.node_ids)
        return self._index

    def _edge_table(self, ids):
        return _g.edge_table(self._core, np.asarray(ids, dtype=np.int64))

    def _codes(self, ids, name: str) -> np.ndarray:
        values = _inputs.ids_of(ids if not isinstance(ids, (str, bytes)) and np.ndim(ids) > 0 else [ids], name)
        _inputs.same_kind(self.node_ids, values, name)  # integer ids on a graph of strings would match nothing
        codes = self._node_index.get_indexer(values)
        if (codes < 0).any():
            unknown = list(values[codes < 0].iloc[:5])
            fail(name, f"unknown node ids {unknown}")
        return codes.astype(np.int32)

    def _to_time(self, values):
        values = np.asarray(values, dtype=np.int64)
        if not self._datetime:
            return values
        times = pd.to_datetime(values, unit="ns")
        if self._time.kind == "aware":
            return pd.DatetimeIndex(times).tz_localize("UTC").tz_convert(self._time.tz)
        return times.to_numpy()

    def _window(self, window: WindowLike, name: str = "window", default_days: Optional[int] = None) -> Optional[int]:
        if window is None and default_days is not None:
            if not self._datetime:
                fail(name, "required for integer timestamps (in their units)")
            window = pd.Timedelta(days=default_days)
        return _inputs.window_units(window, self._datetime, name)

    def _require_time(self, what: str) -> None:
        if not self._has_time:
            fail("timestamp", f"{what} needs timestamps: build the graph with timestamp=...")

    def _alert_frame(self, alerts, ranked: bool = False) -> pd.DataFrame:
        """A C++ AlertList as a DataFrame, one row per alert, with node ids and times."""
        offsets = np.asarray(alerts.offsets, dtype=np.int64)
        edges = np.asarray(alerts.edges)
        cases = np.asarray(alerts.case_id, dtype=np.int64)
        frame = pd.DataFrame({"alert": np.arange(len(offsets) - 1), "case": cases, "typology": alerts.typology,
                             "account": self.node_ids[np.asarray(alerts.node, dtype=np.int64)],
                             "start": self._to_time(alerts.start), "end": self._to_time(alerts.end),
                             "amount": alerts.amount, "score": alerts.score, "reason": alerts.reason,
                             "n_edges": np.diff(offsets),
                             "edges": [edges[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:])]})
        return frame if ranked else frame.drop(columns="case")

    # ------------------------------------------------------------------------------- views
    def edges(self, edge_ids: Optional[Iterable[int]] = None) -> pd.DataFrame:
        """Transfers as a DataFrame (edge id, src, dst, amount, timestamp), all or the given ids —
        the witness table of an alert.

        Parameters
        ----------
        edge_ids : iterable of int, optional
            Default: every transfer.

        Returns
        -------
        pandas.DataFrame
            edge, src, dst, amount, timestamp and any edge attributes.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.edges([0, 1])
           edge src dst  amount  timestamp
        0     0   a   b     5.0          1
        1     1   b   c     4.9          2
        """
        if edge_ids is None:
            table = _g.all_edges(self._core)
        else:
            ids = as_int_vector(list(edge_ids) if not isinstance(edge_ids, (np.ndarray, pd.Series)) else edge_ids,
                                "edge_ids")
            table = self._edge_table(ids)
        frame = pd.DataFrame({"edge": table.edge, "src": self.node_ids[table.src], "dst": self.node_ids[table.dst],
                              "amount": table.amount})
        if self._has_time:
            frame["timestamp"] = self._to_time(table.timestamp)
        for name in self._attrs.columns:
            frame[name] = self._attrs[name].to_numpy()[table.edge]
        return frame

    def aggregated(self) -> pd.DataFrame:
        """One row per ordered pair (src, dst): summed amount, number of transfers and, with
        timestamps, the first and last transfer time.

        Returns
        -------
        pandas.DataFrame
            src, dst, amount, count and, with timestamps, first and last.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.aggregated()
          src dst  amount  count  first  last
        0   a   b     5.0      1      1     1
        1   b   c     4.9      1      2     2
        2   c   a     4.8      1      3     3
        3   c   d     1.0      1      4     4
        """
        t = _g.aggregate_pairs(self._core)
        out = pd.DataFrame({"src": self.node_ids[t.src], "dst": self.node_ids[t.dst], "amount": t.amount, "count": t.count})
        if self._has_time:
            out["first"] = self._to_time(t.first)
            out["last"] = self._to_time(t.last)
        return out

    def out_degree(self) -> pd.Series:
        """Transfers sent by each node.

        Returns
        -------
        pandas.Series
            Indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.out_degree().tolist()
        [1, 1, 2, 0]
        """
        return self._per_node(np.asarray(_g.out_degrees(self._core), dtype=np.int64), "out_degree")

    def in_degree(self) -> pd.Series:
        """Transfers received by each node.

        Returns
        -------
        pandas.Series
            Indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.in_degree().tolist()
        [1, 1, 1, 1]
        """
        return self._per_node(np.asarray(_g.in_degrees(self._core), dtype=np.int64), "in_degree")

    # --------------------------------------------------------------------------- streaming
    def append_edges(self, src, dst=None, amount=None, timestamp=None, *, window: WindowLike = None,
                     max_cycle_length: int = _STREAMING.max_cycle_length,
                     min_cycle_length: int = _STREAMING.min_cycle_length, max_cycles: int = _STREAMING.max_cycles,
                     time_limit: float = _STREAMING.time_limit, typologies: Optional[Sequence[str]] = None,
                     known_hubs=None, attrs: Optional[Mapping] = None, **pattern_options) -> pd.DataFrame:
        """Adds a batch of transfers and returns the alerts that the batch creates.

        The batch is given as :meth:`from_edges` takes it: arrays, or one DataFrame as ``src``
        whose columns the other arguments name (edge attributes from its columns of the graph's
        attribute names).

        Every argument is checked before anything changes. Only the neighbourhood of the batch is
        re-examined (C++ ``bankquant/graph/streaming.hpp``): the typologies around the touched
        accounts and the round trips through a new transfer. The result is exactly what a batch
        run over everything received so far reports with a new transfer in it — the alerts of
        :meth:`detect_patterns` and the ``"cycle"`` rows of :meth:`alerts` (``min_cycle_length`` to
        ``max_cycle_length`` transfers passing the money on, hubs left out) — also when a batch
        arrives late or out of time order; an earlier alert is not withdrawn when later transfers
        make it look ordinary. ``window`` defaults to 3 days (datetime timestamps), as in
        :meth:`detect_patterns`, and is required for integer timestamps; ``max_cycle_length=0``
        skips round trips; ``attrs``:
        the new edges' attributes ({name: array}), the same names as the graph's; further keyword
        arguments are the options of :meth:`detect_patterns`. ``max_cycles`` (0: no cap) and
        ``time_limit`` (seconds) bound the cycle search; when one stops it, a ConvergenceWarning
        says so and ``frame.attrs["truncated"]`` is True (the cycle rows are then partial).

        Parameters
        ----------
        src, dst : array-like
            Payer and payee ids of the new transfers (ids of the graph's kind).
        amount, timestamp : array-like, optional
            As :meth:`from_edges` (timestamps of the graph's kind).
        window : int or duration, optional
            Default 3 days for datetime timestamps; required (in their units) for integer ones.
        max_cycle_length, min_cycle_length : int
            Round trips sought through the new transfers (``max_cycle_length=0``: none).
        max_cycles : int
            Cap of the cycle search (0: none).
        time_limit : float
            Seconds for the cycle search (0: none).
        typologies : list of str, optional
            Only these typologies.
        known_hubs : iterable of ids, optional
        attrs : dict of str to array, optional
            The new transfers' edge attributes.
        **pattern_options
            Options of :meth:`detect_patterns`.

        Returns
        -------
        pandas.DataFrame
            One row per alert: alert, typology, account, start, end, amount, score, reason, n_edges and
            edges (the witness transfers' ids).

        Examples
        --------
        >>> import bankquant as bq
        >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
        >>> cut = len(data.edges) - 1000
        >>> live = bq.graph.TransactionGraph.from_edges(data.edges.iloc[:cut])
        >>> batch = data.edges.iloc[cut:]
        >>> new = live.append_edges(batch["src"], batch["dst"], batch["amount"], batch["timestamp"])
        >>> live.n_edges, len(new)          # the last day's transfers raise no new alert here
        (7140, 0)
        """
        if isinstance(src, pd.DataFrame):
            src, dst, amount, timestamp, frame_attrs = _frame_columns(src, dst, amount, timestamp, {},
                                                                      {n: n for n in self._attrs.columns})
            attrs = {**frame_attrs, **dict(attrs or {})}
        s, d = _inputs.ids_of(src, "src"), _inputs.ids_of(dst, "dst")
        if len(s) != len(d):
            raise InvalidArgumentError(f"arguments 'src' and 'dst': expected the same length, got {len(s)} and {len(d)}")
        if self._has_time and timestamp is None:
            fail("timestamp", "this graph has timestamps; give them for the new edges too")
        if not self._has_time and timestamp is not None:
            fail("timestamp", "this graph was built without timestamps")
        a = _inputs.amounts(amount, len(s))
        extra = _inputs.attributes(dict(attrs or {}), len(s))
        if sorted(extra.columns) != sorted(self._attrs.columns):
            fail("attrs", f"expected the graph's edge attributes {list(self._attrs.columns)}, got {list(extra.columns)}")
        t = None
        if timestamp is not None:
            t, kind = _inputs.timestamps(timestamp, len(s))
            _inputs.check_time_kind(self._time, kind)
        both = pd.concat([s, d], ignore_index=True)
        if len(both):
            _inputs.ids_of(both, "dst")
            _inputs.same_kind(self.node_ids, both, "src")
        codes = self._node_index.get_indexer(both) if len(both) else np.zeros(0, dtype=np.int64)
        new_mask = codes < 0
        new_ids = pd.unique(both[new_mask]) if new_mask.any() else np.zeros(0, dtype=object)
        if len(new_ids):
            codes[new_mask] = self.n_nodes + pd.Index(new_ids).get_indexer(both[new_mask])
        n_total = self.n_nodes + len(new_ids)
        node_ids = pd.Index(self.node_ids).append(pd.Index(new_ids)).to_numpy() if len(new_ids) else self.node_ids
        src_codes, dst_codes = codes[:len(s)].astype(np.int32), codes[len(s):].astype(np.int32)
        if self._has_time:
            patterns = self._pattern_options(window, typologies, known_hubs, pattern_options)
            options = _options(_g.StreamingOptions, "append_edges", patterns=patterns,
                               max_cycle_length=max_cycle_length, min_cycle_length=min_cycle_length,
                               max_cycles=max_cycles, time_limit=time_limit)
            update = _g.append_and_detect(self._core, n_total, src_codes, dst_codes, a, t, options)
        else:
            if pattern_options or typologies is not None or known_hubs is not None:
                fail("timestamp", "pattern options need timestamps: this graph was built without them")
            self._core.append_edges(n_total, src_codes, dst_codes, a, None)
            update = None
        self.node_ids = node_ids
        self._index = None
        if len(self._attrs.columns):
            self._attrs = pd.concat([self._attrs, extra[self._attrs.columns]], ignore_index=True)
        else:
            self._attrs = pd.DataFrame(index=pd.RangeIndex(self.n_edges))
        if update is None:
            frame = self._alert_frame(_g.AlertList())
            frame.attrs["truncated"] = False
            return frame
        warn_if_not_converged(update.status, "append_edges (cycle search)")
        frame = self._alert_frame(update.alerts)
        frame.attrs["truncated"] = not update.status.converged
        return frame

    # -------------------------------------------------------------------------- components
    def weakly_connected_components(self) -> pd.Series:
        """Component label of each node (0.. in order of each component's first node).

        Returns
        -------
        pandas.Series
            Indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.weakly_connected_components().tolist()
        [0, 0, 0, 0]
        """
        return self._per_node(np.asarray(_g.weakly_connected_components(self._core), dtype=np.int32), "component")

    def strongly_connected_components(self) -> pd.Series:
        """Strong component of each node (Tarjan; labels in order of each component's first node).

        Returns
        -------
        pandas.Series
            Indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.strongly_connected_components().tolist()
        [0, 0, 0, 1]
        """
        return self._per_node(np.asarray(_g.strongly_connected_components(self._core), dtype=np.int32), "component")

    def core_numbers(self) -> pd.Series:
        """k-core number of each node on the simple undirected graph (networkx ``core_number``).

        Returns
        -------
        pandas.Series
            Indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.core_numbers().tolist()
        [2, 2, 2, 1]
        """
        return self._per_node(np.asarray(_g.core_numbers(self._core), dtype=np.int32), "core_number")

    # ----------------------------------------------------------------------------- ranking
    def pagerank(self, damping: float = _PAGERANK.damping, personalization: Union[None, Mapping, pd.Series] = None,
                 weighted: bool = _PAGERANK.weighted, tolerance: float = _PAGERANK.tolerance,
                 max_iterations: int = _PAGERANK.max_iterations, *, seeds=None) -> pd.Series:
        """PageRank of each node (sums to 1), a Series indexed by node id; igraph/networkx semantics.

        ``personalization``: restart weights by node id, a {node id: weight} dict or a Series
        indexed by node id; ``seeds``: node ids restarted from with equal weights (e.g. known
        fraud accounts) — two arguments, so an integer id is never read as a weight.
        ``weighted`` uses amounts as edge weights. Warns (ConvergenceWarning) when
        ``max_iterations`` stops the iteration.

        Parameters
        ----------
        damping : float, default 0.85
        personalization : dict or Series, optional
            Restart weights by node id.
        weighted : bool, default False
        tolerance : float, default 1e-13
        max_iterations : int, default 10,000
        seeds : iterable of node ids, optional
            Restart from these with equal weights.

        Returns
        -------
        numpy.ndarray
            One score per node, in ``node_ids`` order, summing to 1.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.pagerank().round(4).tolist()
        [0.2138, 0.2646, 0.3079, 0.2138]
        >>> g.pagerank(seeds=["a"]).round(4).tolist()
        [0.3473, 0.2952, 0.2509, 0.1066]
        """
        p = None
        if personalization is not None and seeds is not None:
            fail("seeds", "give personalization (weights by node id) or seeds (node ids), not both")
        if personalization is not None:
            if isinstance(personalization, pd.Series):
                personalization = dict(zip(personalization.index, personalization.to_numpy()))
            if not isinstance(personalization, Mapping):
                fail("personalization", "expected {node id: weight} (a dict or a Series indexed by node id); for a "
                                        f"list of seed ids use seeds=, got {describe(personalization)}")
            p = np.zeros(self.n_nodes)
            codes = self._codes(list(personalization), "personalization")
            weights = [as_float(w, "personalization", minimum=0) for w in personalization.values()]
            np.add.at(p, codes, weights)
        elif seeds is not None:
            p = np.zeros(self.n_nodes)
            p[self._codes(seeds, "seeds")] = 1.0
        options = _options(_g.PageRankOptions, "pagerank", damping=damping, weighted=weighted, tolerance=tolerance,
                           max_iterations=max_iterations, personalization=p)
        result = _g.pagerank(self._core, options)
        warn_if_not_converged(result.status, "pagerank")
        return self._per_node(result.scores, "pagerank")

    # ------------------------------------------------------------------------- communities
    def louvain(self, resolution: float = _COMMUNITY.resolution, seed: int = _COMMUNITY.seed,
                weighted: bool = _COMMUNITY.weighted, max_levels: int = _COMMUNITY.max_levels, *,
                max_passes: int = _COMMUNITY.max_passes) -> CommunityResult:
        """Louvain communities (Blondel et al. 2008) maximising modularity at ``resolution``, on
        the undirected view (weights: transfer counts, or amounts when ``weighted``).

        Deterministic for a seed on any thread count; communities are connected.

        Parameters
        ----------
        resolution : float, default 1
        seed : int, default 0
        weighted : bool, default False
            Weigh by amounts instead of transfer counts.
        max_levels : int, default 50
            Aggregation levels.
        max_passes : int, default 100
            Local-moving passes per level.

        Returns
        -------
        CommunityResult

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.louvain(seed=0).labels.tolist()
        [0, 0, 1, 1]
        """
        return self._communities("louvain", "modularity", resolution, seed, weighted, max_levels, max_passes, None)

    def leiden(self, resolution: float = _COMMUNITY.resolution, objective: str = _COMMUNITY.objective,
               seed: int = _COMMUNITY.seed, weighted: bool = _COMMUNITY.weighted,
               max_levels: int = _COMMUNITY.max_levels, *, max_passes: int = _COMMUNITY.max_passes,
               randomness: float = _COMMUNITY.randomness) -> CommunityResult:
        """Leiden communities (Traag et al. 2019): ``objective="modularity"`` or ``"cpm"`` (constant
        Potts model: a community is worth keeping when its internal density exceeds
        ``resolution``, so small fraud rings are not absorbed by large communities);
        ``randomness`` is the refinement's θ relative to the mean link weight.

        Parameters
        ----------
        resolution : float, default 1
        objective : {"modularity", "cpm"}, default "modularity"
        seed : int, default 0
        weighted : bool, default False
        max_levels : int, default 50
        max_passes : int, default 100
        randomness : float, default 0.01

        Returns
        -------
        CommunityResult

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.leiden(seed=0)
        CommunityResult(method='leiden', objective='modularity', n_communities=2, modularity=0.0000)
        """
        return self._communities("leiden", objective, resolution, seed, weighted, max_levels, max_passes, randomness)

    def _communities(self, method, objective, resolution, seed, weighted, max_levels, max_passes,
                     randomness) -> CommunityResult:
        options = _options(_g.CommunityOptions, method, method=method, objective=objective, resolution=resolution,
                           seed=as_seed(seed), weighted=weighted, max_levels=max_levels, max_passes=max_passes,
                           randomness=randomness)
        raw = _g.detect_communities(self._core, options)
        warn_if_not_converged(raw.status, method)
        return CommunityResult(raw, options, self.node_ids)

    def _labels(self, labels, name: str) -> np.ndarray:
        """Community labels (any hashable values, one per node) as codes 0..k-1."""
        if isinstance(labels, CommunityResult):
            labels = labels.labels
        if isinstance(labels, (str, bytes)) or np.ndim(labels) != 1:
            fail(name, f"expected {self.n_nodes} labels (one per node), got {describe(labels)}")
        values = pd.Series(labels).reset_index(drop=True) if isinstance(labels, (pd.Series, pd.Index)) else \
            pd.Series(list(labels) if isinstance(labels, (list, tuple)) else np.asarray(labels))
        if len(values) != self.n_nodes:
            fail(name, f"expected {self.n_nodes} labels (one per node), got shape {np.shape(labels)}")
        if values.isna().any():
            fail(name, "missing labels (every node needs a community)")
        codes, _ = pd.factorize(values)
        return codes.astype(np.int32)

    def modularity(self, labels, resolution: float = 1.0, weighted: bool = False) -> float:
        """Modularity of a partition (one label per node) on the undirected view, as igraph's.

        Parameters
        ----------
        labels : 1-D array-like of int
            One community per node.
        resolution : float, default 1
        weighted : bool, default False

        Returns
        -------
        float

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.modularity([0, 0, 0, 0])          # one community: 0 by definition
        0.0
        """
        return _g.modularity(self._core, self._labels(labels, "labels"), as_float(resolution, "resolution"),
                             as_bool(weighted, "weighted"))

    def community_summary(self, communities, fraud=None) -> pd.DataFrame:
        """Per community: size, transfers and amount inside, amount crossing its border and, with
        ``fraud`` (known fraud node ids), the number and share of fraud members; sorted by size.

        Parameters
        ----------
        communities : CommunityResult or 1-D array-like of labels
        fraud : iterable of node ids, optional
            Known fraud accounts.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.community_summary(g.louvain(seed=0))[["community", "size", "internal_amount", "amount_out"]]
           community  size  internal_amount  amount_out
        0          0     2              5.0         4.9
        1          1     2              1.0         4.8
        """
        codes = self._labels(communities, "communities")
        fraud_codes = self._codes(fraud, "fraud") if fraud is not None else np.zeros(0, dtype=np.int32)
        s = _g.community_summary(self._core, codes, fraud_codes)
        frame = pd.DataFrame({"community": s.community, "size": s.size, "internal_transfers": s.internal_transfers,
                              "internal_amount": s.internal_amount, "amount_out": s.amount_out, "amount_in": s.amount_in})
        if fraud is not None:
            frame["fraud_members"] = s.fraud_members
            frame["fraud_share"] = frame["fraud_members"] / np.maximum(frame["size"], 1)
        return frame

    def community_alerts(self, communities, min_size: int = _RINGS.min_size, max_size: int = _RINGS.max_size,
                         min_links_per_member: float = _RINGS.min_links_per_member) -> pd.DataFrame:
        """Small, tightly knit communities as fraud-ring alerts (typology ``"fraud_ring"``; witness:
        the transfers inside; C++ ``bankquant/graph/community_alerts.hpp``). A community
        qualifies with ``min_size``..``max_size`` members and at least ``min_links_per_member``
        distinct internal counterparty pairs per member: ordinary small communities are trees,
        rings of mules trade among themselves. Use CPM communities (``leiden(objective="cpm")``);
        :meth:`fraud_rings` runs the whole search (new relationships, hubs left out), as
        :meth:`alerts` does.

        Parameters
        ----------
        communities : CommunityResult or 1-D array-like of labels
        min_size : int, default 5
        max_size : int, default 100
        min_links_per_member : float, default 2

        Returns
        -------
        pandas.DataFrame
            Alerts in the layout of :meth:`detect_patterns`.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> len(g.community_alerts(g.louvain(seed=0)))       # four accounts: no ring of five
        0
        """
        codes = self._labels(communities, "communities")
        options = _options(_g.RingOptions, "community_alerts", min_size=min_size, max_size=max_size,
                           min_links_per_member=min_links_per_member)
        return self._alert_frame(_g.community_alerts(self._core, codes, options))

    def fraud_rings(self, span: WindowLike = None, resolution: float = _RING_SEARCH.resolution, *,
                    min_size: int = _RINGS.min_size, max_size: int = _RINGS.max_size,
                    min_links_per_member: float = _RINGS.min_links_per_member,
                    hub_degree: int = _RING_SEARCH.hub_degree, known_hubs=None,
                    seed: int = _RING_SEARCH.seed) -> pd.DataFrame:
        """Fraud rings: accounts that form many new relationships among themselves (C++
        ``find_rings``, ``bankquant/graph/community_alerts.hpp``; the ``"fraud_ring"`` rows of
        :meth:`alerts`).

        Friends and families trade for months; a ring is recruited for a job. So the search
        keeps the pairs of non-hub accounts whose transfers all lie within ``span``, finds
        constant Potts communities of that graph (Leiden, ``resolution``), and reports those
        that :meth:`community_alerts` judges rings. CPM communities of the whole graph (the
        other route) mostly merge rings with the hubs and households around them.

        Parameters
        ----------
        span : duration or int, optional
            A pair whose transfers all lie within this span is a new relationship (default 14
            days for datetime timestamps; required, in their units, for integer ones).
        resolution : float, default 0.1
            CPM resolution on the graph of new relationships.
        min_size, max_size, min_links_per_member
            Which communities are rings, as in :meth:`community_alerts`.
        hub_degree : int, default 100
            Distinct counterparties that make an account a hub, left out (0: none).
        known_hubs : sequence of node ids, optional
            Accounts known to be hubs (ids absent from the graph are fine).
        seed : int, default 0
            Seed of the community search.

        Returns
        -------
        pandas.DataFrame
            One alert per ring, in the layout of :meth:`detect_patterns`.

        Examples
        --------
        >>> import bankquant as bq
        >>> data = bq.graph.synthetic_transactions(n_accounts=8000, days=60, seed=1)
        >>> g = bq.graph.TransactionGraph.from_edges(data.edges)
        >>> rings = g.fraud_rings()
        >>> scores = bq.graph.evaluate(rings, data.truth).loc["fraud_ring", ["precision", "recall"]]
        >>> bool(scores["precision"] >= 0.9 and scores["recall"] >= 0.9)
        True
        """
        self._require_time("fraud_rings")
        w = self._window(span, "span", default_days=14)
        rings = _options(_g.RingOptions, "fraud_rings", min_size=min_size, max_size=max_size,
                         min_links_per_member=min_links_per_member)
        options = _options(_g.RingSearchOptions, "fraud_rings", span=w, resolution=resolution, seed=as_seed(seed),
                           rings=rings, hub_degree=hub_degree,
                           known_hubs=[] if known_hubs is None else self._known(known_hubs, "known_hubs"))
        return self._alert_frame(_g.find_rings(self._core, options))

    # ------------------------------------------------------------------------------ cycles
    def temporal_cycles(self, max_length: int = _CYCLES.max_length, window: WindowLike = None, *,
                        max_cycles: int = _CYCLES.max_cycles, time_limit: Optional[float] = None,
                        min_length: int = _CYCLES.min_length, amount_tolerance: float = _CYCLES.amount_tolerance,
                        min_returned_share: float = _CYCLES.min_returned_share, exclude=None) -> CycleResult:
        """Round trips: cycles of at most ``max_length`` transfers.

        With ``window`` (an integer in timestamp units, or a duration such as ``"7D"`` for datetime
        timestamps) each hop is strictly later than the one before and the whole cycle lies within
        the window; parallel transfers give distinct cycles. ``window=None``: no time constraint,
        the simple cycles of the simple digraph (networkx ``simple_cycles``, length-bounded).
        ``max_cycles`` (0: no cap) and ``time_limit`` (seconds) stop a search that a hub would blow
        up: ``truncated`` says so, with a ConvergenceWarning. Bounds applied inside the search, so
        the ordinary round trips of a bank are never materialised: ``min_length`` (3 leaves out
        repayments), ``amount_tolerance`` (> 0: each hop passes on at least 1 − tolerance of the one
        before and never more; needs a time window), ``min_returned_share`` (the last transfer
        returns at least this share of the first) and ``exclude`` (account ids no cycle may pass
        through: hubs).

        Parameters
        ----------
        max_length : int
            Transfers per cycle at most.
        window : int or duration, optional
            None: no time constraint.
        max_cycles : int
            Stop after this many cycles (0: no cap).
        time_limit : float, optional
            Seconds.
        min_length : int
        amount_tolerance : float
        min_returned_share : float
        exclude : iterable of node ids, optional

        Returns
        -------
        CycleResult

        Examples
        --------
        >>> import bankquant as bq
        >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
        >>> g = bq.graph.TransactionGraph.from_edges(data.edges)
        >>> g.temporal_cycles(max_length=4, window="3D")
        CycleResult(count=530, truncated=False, status='converged')
        """
        w = self._window(window)
        if w is not None:
            self._require_time("a time window")
        options = self._cycle_options(max_length, w, max_cycles, time_limit, min_length, amount_tolerance,
                                      min_returned_share, exclude)
        raw = _g.temporal_cycles(self._core, options)
        warn_if_not_converged(raw.status, "temporal_cycles")
        return CycleResult(raw, w, self)

    def _cycle_options(self, max_length, window, max_cycles, time_limit, min_length, amount_tolerance,
                       min_returned_share, exclude):
        return _options(_g.CycleOptions, "temporal_cycles", max_length=max_length, window=window, max_cycles=max_cycles,
                        time_limit=as_float(time_limit, "time_limit", minimum=0, strict_minimum=True)
                        if time_limit is not None else None, min_length=min_length,
                        amount_tolerance=amount_tolerance, min_returned_share=min_returned_share,
                        exclude=self._codes(exclude, "exclude").tolist() if exclude is not None else [])

    def cycle_counts(self, max_length: int = _CYCLES.max_length, window: WindowLike = None, *,
                     min_length: int = _CYCLES.min_length, amount_tolerance: float = _CYCLES.amount_tolerance,
                     min_returned_share: float = _CYCLES.min_returned_share, exclude=None,
                     max_cycles: int = _CYCLES.max_cycles, time_limit: Optional[float] = None) -> CycleCounts:
        """Per transfer and per account, the number of time-respecting cycles through it, without
        listing them (C++ ``temporal_cycle_counts``, ``bankquant/graph/temporal_cycles.hpp``).

        The cycles are those of :meth:`temporal_cycles` with the same arguments, so the counts are
        its sums; only the counts are kept, so a graph with millions of round trips needs no more
        memory than its edges. ``window`` defaults to 3 days for datetime timestamps and is required
        (in their units) for integer ones. ``max_cycles`` (0: no cap) and ``time_limit`` (seconds)
        stop the count early: the result is then ``truncated`` (lower bounds) and a
        ConvergenceWarning says so.

        Parameters
        ----------
        max_length, min_length : int
            Transfers per cycle at most / at least (``min_length=3`` leaves out repayments).
        window : int or duration
            Time from the first to the last transfer of a cycle at most.
        amount_tolerance, min_returned_share : float
            Bounds on the amounts along a cycle, as in :meth:`temporal_cycles`.
        exclude : node ids, optional
            Accounts no cycle may pass through (hubs).
        max_cycles : int
            Stop after counting this many cycles (0: no cap).
        time_limit : float, optional
            Stop after this many seconds.

        Returns
        -------
        CycleCounts
            ``edges`` and ``closing`` (Series by edge id), ``nodes`` (Series by node id), ``total``,
            ``truncated`` and ``status``.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "b"], ["b", "c", "a", "a"],
        ...                                          amount=[5.0, 4.9, 4.8, 5.0], timestamp=[1, 2, 3, 4])
        >>> counts = g.cycle_counts(max_length=3, window=10)
        >>> counts.edges.tolist(), counts.nodes.to_dict(), counts.truncated
        ([2, 1, 1, 1], {'a': 2, 'b': 2, 'c': 1}, False)
        """
        self._require_time("cycle_counts")
        w = self._window(window, default_days=3)
        options = self._cycle_options(max_length, w, max_cycles, time_limit, min_length, amount_tolerance,
                                      min_returned_share, exclude)
        raw = _g.temporal_cycle_counts(self._core, options)
        warn_if_not_converged(raw.status, "cycle_counts")
        return CycleCounts(raw, w, self)

    # ------------------------------------------------------------------------ dense blocks
    def dense_blocks(self, n_blocks: int = 3, log_offset: float = _BLOCKS.log_offset, min_size: int = _BLOCKS.min_size,
                     max_degree: int = _BLOCKS.max_degree, min_lift: float = _BLOCKS.min_lift,
                     split: bool = _BLOCKS.split) -> list:
        """FRAUDAR dense payer→payee blocks (Hooi et al. 2016), densest first, each found after
        removing the links of the ones before; ``log_offset`` c weighs a link to a payee of degree
        d by 1/log(c + d) (camouflage resistance; 0 switches it off). ``max_degree`` leaves out
        accounts with more distinct counterparties on their side (payroll payers, big merchants;
        default 100, the hub degree of :meth:`alerts`; 0 keeps every account): in a heavy-tailed
        graph their busy core is the densest block of all, and rarely the fraud.
        The search stops early once a block is less than ``min_lift`` times denser than all the
        links that remain (``lift`` on each block). The greedy peel returns disjoint blocks of
        similar density as one; ``split`` reports such a block as its connected parts (each with
        ``min_size`` payers and payees).

        Parameters
        ----------
        n_blocks : int, default 3
        log_offset : float
        min_size : int
            Accounts per block at least.
        max_degree : int, default 100
        min_lift : float
        split : bool, default True

        Returns
        -------
        list of DenseBlock

        Examples
        --------
        >>> import bankquant as bq
        >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
        >>> g = bq.graph.TransactionGraph.from_edges(data.edges)
        >>> g.dense_blocks(n_blocks=2)
        [DenseBlock(payers=38, payees=14, links=443, density=2.35, lift=4.29)]
        """
        max_degree = as_int(max_degree, "max_degree", minimum=0)
        options = _options(_g.DenseBlockOptions, "dense_blocks", n_blocks=n_blocks, log_offset=log_offset,
                           min_size=min_size, max_degree=max_degree, min_lift=min_lift, split=as_bool(split, "split"))
        return [DenseBlock(b, self.node_ids) for b in _g.dense_blocks(self._core, options).blocks]

    def block_alerts(self, blocks) -> pd.DataFrame:
        """Dense blocks as alerts (typology ``"dense_block"``; witness: the transfers from the
        block's payers to its payees), in the layout of :meth:`detect_patterns`.

        Parameters
        ----------
        blocks : list of DenseBlock
            From :meth:`dense_blocks`.

        Returns
        -------
        pandas.DataFrame
            One row per alert: alert, typology, account, start, end, amount, score, reason, n_edges and
            edges (the witness transfers' ids).

        Examples
        --------
        >>> import bankquant as bq
        >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
        >>> g = bq.graph.TransactionGraph.from_edges(data.edges)
        >>> g.block_alerts(g.dense_blocks(n_blocks=2))[["typology", "account", "n_edges"]]
              typology  account  n_edges
        0  dense_block  A000189      443
        """
        fields = []
        for b in blocks:
            if not isinstance(b, DenseBlock):
                fail("blocks", f"expected DenseBlock results of dense_blocks, got {describe(b)}")
            fields.append({"payers": np.sort(self._codes(b.payers, "blocks")),
                           "payees": np.sort(self._codes(b.payees, "blocks")), "density": b.density,
                           "weight": b.weight, "links": b.links, "lift": b.lift})
        return self._alert_frame(_g.block_alerts(self._core, {"blocks": fields}))

    # --------------------------------------------------------------------------- patterns
    def _known(self, ids, name: str) -> list:
        """Node codes of the ids that are in the graph; ids absent from it are allowed (an allow-list
        may name accounts that did not trade in this period)."""
        values = _inputs.ids_of(ids if not isinstance(ids, (str, bytes)) and np.ndim(ids) > 0 else [ids], name)
        _inputs.same_kind(self.node_ids, values, name)  # integer ids on a graph of strings would match nothing
        codes = self._node_index.get_indexer(values.astype(object)) if len(values) else np.zeros(0, dtype=np.int64)
        return np.unique(codes[codes >= 0]).astype(np.int32).tolist()

    def _pattern_options(self, window, typologies, known_hubs, options: dict, default_days: Optional[int] = 3):
        w = self._window(window, default_days=default_days)
        if self._datetime and "units_per_day" not in options:
            options["units_per_day"] = 86_400 * 10**9
        if typologies is not None:
            names = [typologies] if isinstance(typologies, str) else list(typologies)
            if not names:
                fail("typologies", f"expected at least one of {list(PATTERN_TYPOLOGIES)}, got none")
            options["typologies"] = [as_choice(t, "typologies", PATTERN_TYPOLOGIES) for t in names]
        if known_hubs is not None:
            options["known_hubs"] = self._known(known_hubs, "known_hubs")
        return _options(_g.PatternOptions, "detect_patterns", window=w, **options)

    def detect_patterns(self, window: WindowLike = None, typologies: Optional[Sequence[str]] = None, *,
                        known_hubs=None, **options) -> pd.DataFrame:
        """Money-laundering typologies within time windows (C++ ``bankquant/graph/typologies.hpp``):
        ``fan_in``, ``fan_out``, ``scatter_gather``, ``gather_scatter``, ``stack`` (layering chains),
        ``pass_through`` and ``structuring``.

        Returns one row per alert: typology, focal account, start and end time, total amount,
        score, reason, number of witness transfers and their edge ids (``edges``; see
        :meth:`edges` for the witness table). ``window`` defaults to 3 days for datetime
        timestamps. ``known_hubs``: accounts known to be hubs (merchants, payroll, the bank's own
        accounts; ids absent from the graph are fine), left out of every pattern like the hubs found
        in the data. Further keyword arguments are the fields of the C++
        ``PatternOptions`` (``min_counterparties``, ``min_amount``, ``min_burst``, ...; see
        ``bq._core.graph.PatternOptions.fields()``).

        Parameters
        ----------
        window : int or duration, optional
            Default 3 days for datetime timestamps; required (in their units) for integer ones.
        typologies : list of str, optional
            Only these (default: all).
        known_hubs : iterable of ids, optional
        **options
            Fields of ``PatternOptions``.

        Returns
        -------
        pandas.DataFrame
            One row per alert: alert, typology, account, start, end, amount, score, reason, n_edges and
            edges (the witness transfers' ids).

        Examples
        --------
        >>> import bankquant as bq
        >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
        >>> g = bq.graph.TransactionGraph.from_edges(data.edges)
        >>> alerts = g.detect_patterns()
        >>> sorted(alerts["typology"].unique())
        ['stack', 'structuring']
        """
        self._require_time("detect_patterns")
        result = _g.detect_patterns(self._core, self._pattern_options(window, typologies, known_hubs, dict(options)))
        return self._alert_frame(result.alerts)

    def alerts(self, window: WindowLike = None, typologies: Optional[Sequence[str]] = None, *,
               budget: int = _SCREENING.budget, known_hubs=None, max_cycle_length: int = _SCREENING.max_cycle_length,
               min_cycle_length: int = _SCREENING.min_cycle_length, max_cycles: int = _SCREENING.max_cycles,
               time_limit: float = _SCREENING.time_limit, n_blocks: int = _SCREENING.n_blocks,
               min_block_lift: float = _SCREENING.min_block_lift, rings: bool = _SCREENING.rings,
               ring_days: float = _SCREENING.ring_days, ring_resolution: float = _SCREENING.ring_resolution,
               **options) -> pd.DataFrame:
        """The ranked list an investigator works through (C++ ``bankquant/graph/screening.hpp``):
        every typology of :meth:`detect_patterns`, round trips of ``min_cycle_length`` to
        ``max_cycle_length`` transfers that pass the money on mostly intact, FRAUDAR dense blocks
        (``n_blocks``, 0: none) and fraud rings (communities of relationships that last at most
        ``ring_days``), all with the same hubs (found in the data and ``known_hubs``) left out and
        the same ``window`` (default 3 days). Alerts sharing a witness transfer form one ``case``;
        cases come most suspicious first, cut at ``budget`` cases (0: all), each alert with its
        ``score`` and ``reason``. A C++ service calling ``graph::screen`` gets the same list.
        Further keyword arguments are the options of :meth:`detect_patterns`.

        Parameters
        ----------
        window : int or duration, optional
            Default 3 days for datetime timestamps; required (in their units) for integer ones.
        typologies : list of str, optional
        budget : int, default 0
            Cases returned (0: all).
        known_hubs : iterable of ids, optional
        max_cycle_length, min_cycle_length, max_cycles, time_limit
            The round-trip search (``ScreeningOptions``: 6, 3, no cap, no limit).
        n_blocks : int, default 10
            Dense blocks sought (0: none).
        min_block_lift : float, default 2
        rings : bool, default True
        ring_days : float, default 14
        ring_resolution : float, default 0.1
        **options
            Options of :meth:`detect_patterns`.

        Returns
        -------
        pandas.DataFrame
            rank, case, then the columns of :meth:`detect_patterns`; ``attrs["truncated"]``.

        Examples
        --------
        >>> import bankquant as bq
        >>> data = bq.graph.synthetic_transactions(n_accounts=5_000, days=60, n_patterns=2, seed=3)
        >>> g = bq.graph.TransactionGraph.from_edges(data.edges)
        >>> top = g.alerts(budget=20)
        >>> top["case"].max() + 1, list(top.columns[:4])
        (20, ['rank', 'case', 'typology', 'account'])
        """
        self._require_time("alerts")
        patterns = self._pattern_options(window, typologies, known_hubs, dict(options))
        screening = _options(_g.ScreeningOptions, "alerts", patterns=patterns, budget=budget,
                             max_cycle_length=max_cycle_length, min_cycle_length=min_cycle_length,
                             max_cycles=max_cycles, time_limit=time_limit, n_blocks=n_blocks,
                             min_block_lift=min_block_lift, rings=rings, ring_days=ring_days,
                             ring_resolution=ring_resolution)
        result = _g.screen(self._core, screening)
        warn_if_not_converged(result.status, "alerts (cycle search)")
        frame = self._alert_frame(result.alerts, ranked=True)
        frame.insert(0, "rank", np.arange(len(frame)))
        frame = frame.drop(columns="alert")
        frame.attrs["truncated"] = not result.status.converged
        return frame

    # --------------------------------------------------------------------------- features
    def node_features(self, window: WindowLike = None, seeds=None, resolution: float = 1.0,
                      max_cycle_length: int = 6, alerts: Optional[pd.DataFrame] = None, seed: int = 0,
                      communities: Optional[CommunityResult] = None,
                      cycles: Optional[CycleResult] = None, *, max_cycles: int = 0,
                      time_limit: Optional[float] = None) -> pd.DataFrame:
        """Features per node for machine learning, indexed by node id (C++
        ``bankquant/graph/node_features.hpp``).

        Degrees and strengths, distinct counterparties, velocity (most transfers out/in within any
        ``window``), PageRank and, with ``seeds`` (known fraud ids), personalised PageRank from them,
        Leiden community id and size, k-core number, the number of time-respecting cycles through
        the node and the number of pattern alerts whose witness touches it (``alerts`` from
        :meth:`detect_patterns`, computed when not given). ``communities`` and ``cycles``: results
        already computed (any method or window), used instead of a fresh Leiden run and cycle search.
        The cycles are counted, not listed (:meth:`cycle_counts`); ``max_cycles`` (0: no cap) and
        ``time_limit`` (seconds) bound the count, and when one stops it a ConvergenceWarning says so
        and ``frame.attrs["truncated"]`` is True.

        Parameters
        ----------
        window : int or duration, optional
        seeds : iterable of node ids, optional
        resolution : float, default 1
            Of the Leiden run.
        max_cycle_length : int, default 6
        alerts : DataFrame, optional
        seed : int, default 0
        communities : CommunityResult, optional
        cycles : CycleResult, optional
        max_cycles : int, default 0
        time_limit : float, optional

        Returns
        -------
        pandas.DataFrame
            One row per node, indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
        >>> g = bq.graph.TransactionGraph.from_edges(data.edges)
        >>> f = g.node_features(window="7D")
        >>> f.shape, f.columns.tolist()[:3]
        ((1882, 14), ['out_degree', 'in_degree', 'out_strength'])
        """
        w = self._window(window, default_days=7) if self._has_time else self._window(window)
        if communities is not None and not isinstance(communities, CommunityResult):
            fail("communities", f"expected a CommunityResult of louvain or leiden, got {describe(communities)}")
        if cycles is not None and not isinstance(cycles, CycleResult):
            fail("cycles", f"expected a CycleResult of temporal_cycles, got {describe(cycles)}")
        if alerts is not None and (not isinstance(alerts, pd.DataFrame) or "edges" not in alerts):
            fail("alerts", "expected an alert DataFrame of detect_patterns (with an 'edges' column)")
        options = _options(_g.NodeFeatureOptions, "node_features", window=w,
                           seeds=self._codes(seeds, "seeds").tolist() if seeds is not None else None,
                           communities=_g.CommunityOptions(resolution=resolution, seed=as_seed(seed)),
                           max_cycle_length=max_cycle_length, max_cycles=max_cycles,
                           time_limit=as_float(time_limit, "time_limit", minimum=0, strict_minimum=True)
                           if time_limit is not None else None)
        f = _g.node_features(self._core, options, communities.raw if communities is not None else None,
                             cycles.raw if cycles is not None else None,
                             self._alert_fields(alerts) if alerts is not None else None)
        warn_if_not_converged(f.status, "node_features (cycle search)")
        frame = pd.DataFrame(f.values, columns=f.names, index=pd.Index(self.node_ids, name="node"))
        counts = [c for c in frame.columns if c not in ("out_strength", "in_strength", "pagerank", "ppr_from_seeds")]
        frame = frame.astype({c: np.int64 for c in counts})
        frame.attrs["truncated"] = not f.status.converged
        return frame

    def edge_features(self, windows: Sequence[WindowLike] = ("1D", "7D", "30D"), *,
                      cycle_windows: Optional[Sequence[WindowLike]] = None, max_cycle_length: int = 6,
                      time_limit: Optional[float] = None, edge_ids=None) -> pd.DataFrame:
        """Features per transfer for machine learning, indexed by edge id (C++
        ``bankquant/graph/edge_features.hpp``), in the manner of IBM's Graph Feature Preprocessor.

        Each row uses only the transfers before its own (earlier, or at the same time with a
        smaller edge id) within each window, so no row sees the future and rows never change as
        transfers arrive: after :meth:`append_edges`, ``edge_features(edge_ids=new ids)`` gives the
        rows the whole graph would. Columns per window (suffix: the window as given, e.g. ``_7D``):

        - ``src_out_degree``, ``src_fan_out``: transfers the payer sent, distinct payees;
        - ``dst_in_degree``, ``dst_fan_in``: transfers the payee received, distinct payers;
        - ``scatter_gather``: distinct accounts x paid by the payer and later paying the payee;
        - ``src_amount_{mean,median,var,skew,kurt}``: amounts the payer sent,
          ``dst_amount_...``: amounts the payee received — pandas' ``Series.mean``, ``median``,
          ``var`` (ddof 1), ``skew`` and ``kurt`` (NaN with too few values);
        - ``amount_to_src_median``: this amount over the payer's median;

        and per cycle window ``cycles_closed_<window>``: the time-respecting cycles of at most
        ``max_cycle_length`` transfers within it whose latest transfer is this one. ``cycle_windows``
        defaults to the first window (``()``: no cycle columns). ``time_limit`` (seconds) bounds each
        cycle count; when it stops one, a ConvergenceWarning says so and ``frame.attrs["truncated"]``
        is True.

        Parameters
        ----------
        windows : sequence of int or duration
            Look-back windows (durations such as ``"7D"`` for datetime timestamps, integers in the
            timestamps' units otherwise).
        cycle_windows : sequence of int or duration, optional
            Windows of the cycle counts.
        max_cycle_length : int
            Transfers per counted cycle at most.
        time_limit : float, optional
            Seconds for each cycle count.
        edge_ids : sequence of int, optional
            The rows wanted (default: every transfer).

        Returns
        -------
        pandas.DataFrame
            One row per transfer (index: edge id), the columns above.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "a", "b", "c"], ["b", "c", "d", "d"],
        ...                                          amount=[10.0, 20.0, 9.0, 19.0], timestamp=[1, 2, 3, 4])
        >>> f = g.edge_features(windows=[5], cycle_windows=[])
        >>> f.loc[3, ["dst_fan_in_5", "dst_amount_mean_5"]].tolist()
        [1.0, 9.0]
        """
        self._require_time("edge_features")
        labels, units = self._windows(windows, "windows", allow_empty=False)
        if cycle_windows is None:
            cycle_labels, cycle_units = labels[:1], units[:1]
        else:
            cycle_labels, cycle_units = self._windows(cycle_windows, "cycle_windows", allow_empty=True)
        rows = None
        if edge_ids is not None:
            rows = np.asarray(as_int_vector(list(edge_ids) if not isinstance(edge_ids, (np.ndarray, pd.Series))
                                            else edge_ids, "edge_ids"), dtype=np.int64)
            if rows.size and (rows.min() < 0 or rows.max() >= self.n_edges):
                fail("edge_ids", f"expected edge ids in [0, {self.n_edges}), got {rows.min()}..{rows.max()}")
            rows = rows.astype(np.int32)
        options = _options(_g.EdgeFeatureOptions, "edge_features", windows=units, cycle_windows=cycle_units,
                           max_cycle_length=max_cycle_length,
                           time_limit=as_float(time_limit, "time_limit", minimum=0, strict_minimum=True)
                           if time_limit is not None else None)
        f = _g.edge_features(self._core, options, rows)
        warn_if_not_converged(f.status, "edge_features (cycle counts)")
        names = []
        for name in f.names:
            stem, _, tag = name.rpartition("_")
            names.append(f"{stem}_{labels[int(tag[1:])] if tag[0] == 'w' else cycle_labels[int(tag[1:])]}")
        frame = pd.DataFrame(f.values, columns=names, index=pd.Index(np.asarray(f.edges, dtype=np.int64), name="edge"))
        counts = [c for c in names if c.startswith(("src_out_degree", "src_fan_out", "dst_in_degree", "dst_fan_in",
                                                    "scatter_gather", "cycles_closed"))]
        frame = frame.astype({c: np.int64 for c in counts})
        frame.attrs["truncated"] = not f.status.converged
        return frame

    def _windows(self, windows, name: str, allow_empty: bool):
        """Labels (as given) and timestamp units of a list of windows; duplicates are refused."""
        if isinstance(windows, (str, bytes)) or np.ndim(windows) == 0:
            windows = [windows]
        windows = list(windows)
        if not windows and not allow_empty:
            fail(name, "expected at least one window")
        units = [self._window(w, name) for w in windows]
        if any(u is None for u in units):
            fail(name, f"expected windows, got {describe(windows)}")
        labels = [w if isinstance(w, str) else str(u) if not self._datetime else str(pd.Timedelta(u)).replace(" ", "")
                  for w, u in zip(windows, units)]
        if len(set(units)) != len(units) or len(set(labels)) != len(labels):
            fail(name, f"expected distinct windows, got {describe(windows)}")
        return labels, units

    def _alert_fields(self, alerts: pd.DataFrame) -> dict:
        """The fields of a C++ AlertList from an alert DataFrame (as built by _alert_frame)."""
        n = len(alerts)
        sizes = np.fromiter((len(e) for e in alerts["edges"]), dtype=np.int64, count=n)
        flat = np.fromiter((x for e in alerts["edges"] for x in e), dtype=np.int64, count=int(sizes.sum()))
        if flat.size and (flat.min() < 0 or flat.max() >= self.n_edges):
            fail("alerts", f"witness edge ids must lie in [0, {self.n_edges})")
        node = self._codes(alerts["account"], "alerts") if n else np.zeros(0, dtype=np.int32)
        get = lambda name, default: alerts[name].to_numpy() if name in alerts else default  # noqa: E731
        return {"typology": list(get("typology", ["fan_in"] * n)), "node": node,
                "start": np.zeros(n, dtype=np.int64), "end": np.zeros(n, dtype=np.int64),
                "amount": np.asarray(get("amount", np.zeros(n)), dtype=float),
                "score": np.asarray(get("score", np.zeros(n)), dtype=float),
                "reason": [str(r) for r in get("reason", [""] * n)],
                "offsets": np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64), "edges": flat.astype(np.int32)}

    # ------------------------------------------------------------------------- conversion
    def to_networkx(self):
        """A networkx MultiDiGraph (node ids as nodes; edge keys are edge ids, with amount and timestamp).

        Returns
        -------
        networkx.MultiDiGraph

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> print(g.to_networkx())
        MultiDiGraph with 4 nodes and 4 edges
        """
        import networkx as nx

        t = _g.all_edges(self._core)
        G = nx.MultiDiGraph()
        G.add_nodes_from(self.node_ids.tolist())
        ids = self.node_ids
        times = self._to_time(t.timestamp)
        G.add_edges_from((ids[s], ids[d], e, {"amount": float(a), **({"timestamp": tt} if self._has_time else {})})
                         for e, (s, d, a, tt) in enumerate(zip(t.src, t.dst, t.amount, times)))
        return G

    def to_igraph(self):
        """A directed python-igraph Graph: vertex attribute ``name`` = node id, edge attributes
        ``amount`` (and ``timestamp``), edges in edge-id order.

        Returns
        -------
        igraph.Graph

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> g.to_igraph().vcount(), g.to_igraph().ecount()
        (4, 4)
        """
        import igraph as ig

        t = _g.all_edges(self._core)
        h = ig.Graph(n=self.n_nodes, edges=np.column_stack([t.src, t.dst]).tolist(), directed=True)
        h.vs["name"] = self.node_ids.tolist()
        h.es["amount"] = t.amount.tolist()
        if self._has_time:
            h.es["timestamp"] = t.timestamp.tolist()
        return h

    @classmethod
    def from_networkx(cls, G, amount: str = "amount", timestamp: Optional[str] = "timestamp") -> "TransactionGraph":
        """From a networkx (Multi)(Di)Graph; undirected edges become one transfer each way round as
        stored. Edge attributes ``amount``/``timestamp`` are used when every edge has them; nodes
        without edges are kept.

        Parameters
        ----------
        G : networkx graph
        amount, timestamp : str or None
            The edge attributes to read (None: none).

        Returns
        -------
        TransactionGraph

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> bq.graph.TransactionGraph.from_networkx(g.to_networkx())
        TransactionGraph(n_nodes=4, n_edges=4)
        """
        edges = list(G.edges(data=True))
        src = [u for u, _, _ in edges]
        dst = [v for _, v, _ in edges]
        a = [d[amount] for _, _, d in edges] if edges and all(amount in d for _, _, d in edges) else None
        t = [d[timestamp] for _, _, d in edges] if edges and timestamp and all(timestamp in d for _, _, d in edges) else None
        return cls.from_edges(src, dst, a, t, nodes=list(G.nodes))

    @classmethod
    def from_igraph(cls, h, amount: str = "amount", timestamp: Optional[str] = "timestamp") -> "TransactionGraph":
        """From a python-igraph Graph (vertex ``name`` as ids when present, else vertex indices).

        Parameters
        ----------
        h : igraph.Graph
        amount, timestamp : str or None
            The edge attributes to read (None: none).

        Returns
        -------
        TransactionGraph

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"],
        ...                                          amount=[5.0, 4.9, 4.8, 1.0], timestamp=[1, 2, 3, 4])
        >>> bq.graph.TransactionGraph.from_igraph(g.to_igraph())
        TransactionGraph(n_nodes=4, n_edges=4)
        """
        names = np.asarray(h.vs["name"] if "name" in h.vs.attributes() else np.arange(h.vcount()))
        e = np.asarray(h.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        a = h.es[amount] if h.ecount() and amount in h.es.attributes() else None
        t = h.es[timestamp] if h.ecount() and timestamp and timestamp in h.es.attributes() else None
        return cls.from_edges(names[e[:, 0]], names[e[:, 1]], a, t, nodes=names)
