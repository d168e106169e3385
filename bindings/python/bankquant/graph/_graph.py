"""TransactionGraph: any node ids in, dense ids inside, original ids in every result."""
from __future__ import annotations

import datetime as _dt
import itertools
import warnings
from typing import Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _core
from ..exceptions import ConvergenceWarning, InvalidArgumentError
from ._results import CommunityResult, CycleResult, DenseBlock

_g = _core.graph
TYPOLOGIES = tuple(_g.TYPOLOGIES)
WindowLike = Union[None, int, str, pd.Timedelta, _dt.timedelta, np.timedelta64]


def _as_id_series(values, name: str) -> pd.Series:
    series = pd.Series(np.asarray(values) if not isinstance(values, pd.Series) else values.to_numpy())
    if series.isna().any():
        raise InvalidArgumentError(f"argument '{name}': missing node ids")
    return series


def _timestamps(timestamp, m: int):
    """int64 timestamps and whether they came from datetimes (kept as nanoseconds)."""
    ts = pd.Series(timestamp.to_numpy() if isinstance(timestamp, pd.Series) else np.asarray(timestamp))
    if len(ts) != m:
        raise InvalidArgumentError(f"argument 'timestamp': expected {m} timestamps, got {len(ts)}")
    if ts.isna().any():
        raise InvalidArgumentError("argument 'timestamp': missing timestamps")
    if isinstance(ts.dtype, pd.DatetimeTZDtype):  # aware times: kept as UTC
        ts = ts.dt.tz_convert("UTC").dt.tz_localize(None)
    if np.issubdtype(ts.dtype, np.datetime64):
        return ts.astype("datetime64[ns]").astype("int64").to_numpy(), True
    if not np.issubdtype(ts.dtype, np.integer):
        if np.issubdtype(ts.dtype, np.floating) and np.all(np.isfinite(ts)) and np.all(ts == np.round(ts)):
            return ts.to_numpy(dtype=np.int64), False
        raise InvalidArgumentError(f"argument 'timestamp': expected integers or datetimes, got {ts.dtype}")
    return ts.to_numpy(dtype=np.int64), False


def _amounts(amount, m: int) -> Optional[np.ndarray]:
    if amount is None:
        return None
    try:
        a = np.asarray(amount.to_numpy() if isinstance(amount, pd.Series) else amount, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidArgumentError(f"argument 'amount': expected numbers ({error})") from None
    if a.shape != (m,):
        raise InvalidArgumentError(f"argument 'amount': expected {m} amounts, got shape {a.shape}")
    return a


def _attributes(attrs: Mapping, m: int) -> pd.DataFrame:
    """Extra edge attributes as a DataFrame of m rows (a named error for a wrong length)."""
    columns = {}
    for name, values in attrs.items():
        values = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        if values.shape != (m,):
            raise InvalidArgumentError(f"argument '{name}': expected {m} values (one per edge), got shape {values.shape}")
        columns[name] = values
    return pd.DataFrame(columns, index=pd.RangeIndex(m))


class TransactionGraph:
    """A directed multigraph of transfers (C++: ``bankquant/graph/transaction_graph.hpp``).

    Build it with :meth:`from_edges`. ``node_ids`` holds the original id of each node, in the
    order every per-node array uses (sorted ids at build; ids first seen in :meth:`append_edges`
    follow in order of appearance). Edge ids are row positions of the input, continued by appends.

    >>> import bankquant as bq
    >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c"], ["b", "c", "a"], amount=[5.0, 4.9, 4.8],
    ...                                          timestamp=[1, 2, 3])
    >>> g.temporal_cycles(max_length=3, window=10).cycles
    [['a', 'b', 'c']]
    """

    def __init__(self, core, node_ids: np.ndarray, datetime_timestamps: bool = False, has_time: bool = False,
                 attrs: Optional[pd.DataFrame] = None):
        self._core = core
        self._attrs = attrs if attrs is not None else pd.DataFrame(index=pd.RangeIndex(core.n_edges))
        self.node_ids = node_ids
        self._datetime = datetime_timestamps
        self._has_time = has_time
        self._index: Optional[pd.Index] = None
        self._edges_cache = None

    # ----------------------------------------------------------------------------- building
    @classmethod
    def from_edges(cls, src, dst=None, amount=None, timestamp=None, **attrs) -> "TransactionGraph":
        """Edges from arrays (or Series) of any hashable ids, or one DataFrame.

        ``src``/``dst``: payer and payee ids (integers, strings, ...); ``amount`` >= 0 (default 1
        per transfer); ``timestamp`` integers or datetimes (kept as nanoseconds). With a DataFrame
        as ``src``, the other arguments name its columns (defaults ``"src"``, ``"dst"``, and
        ``"amount"``/``"timestamp"`` when present). Further keyword arrays (channel, currency,
        reference, ...) are kept as edge attributes and shown in :meth:`edges` (witness tables).
        """
        if isinstance(src, pd.DataFrame):
            frame = src
            names = {"dst": dst or "dst", "amount": amount, "timestamp": timestamp}
            if names["amount"] is None and "amount" in frame:
                names["amount"] = "amount"
            if names["timestamp"] is None and "timestamp" in frame:
                names["timestamp"] = "timestamp"
            for key, column in [("src", "src"), ("dst", names["dst"]), ("amount", names["amount"]),
                                ("timestamp", names["timestamp"])]:
                if column is not None and column not in frame:
                    raise InvalidArgumentError(f"argument '{key}': no column '{column}' in the DataFrame")
            src, dst = frame["src"], frame[names["dst"]]
            amount = frame[names["amount"]] if names["amount"] is not None else None
            timestamp = frame[names["timestamp"]] if names["timestamp"] is not None else None
        if dst is None:
            raise InvalidArgumentError("argument 'dst': missing (give dst ids, or a DataFrame as src)")
        s, d = _as_id_series(src, "src"), _as_id_series(dst, "dst")
        if len(s) != len(d):
            raise InvalidArgumentError(f"arguments 'src' and 'dst': expected the same length, got {len(s)} and {len(d)}")
        if len(s) == 0:
            raise InvalidArgumentError("arguments 'src' and 'dst': expected at least one edge, got an empty graph")
        codes, uniques = pd.factorize(pd.concat([s, d], ignore_index=True), sort=True)
        a = _amounts(amount, len(s))
        t, is_datetime = (None, False) if timestamp is None else _timestamps(timestamp, len(s))
        extra = _attributes(attrs, len(s))
        core = _g.TransactionGraph.from_edges(len(uniques), codes[:len(s)].astype(np.int32),
                                              codes[len(s):].astype(np.int32), a, t)
        return cls(core, np.asarray(uniques), is_datetime, timestamp is not None, extra)

    @property
    def n_nodes(self) -> int:
        return self._core.n_nodes

    @property
    def n_edges(self) -> int:
        return self._core.n_edges

    def memory_bytes(self) -> int:
        """Bytes held by the C++ graph (edges, both compressed directions)."""
        return self._core.memory_bytes()

    def __repr__(self) -> str:
        return f"TransactionGraph(n_nodes={self.n_nodes}, n_edges={self.n_edges})"

    # ------------------------------------------------------------------------------ helpers
    @property
    def _node_index(self) -> pd.Index:
        if self._index is None:
            self._index = pd.Index(self.node_ids)
        return self._index

    def _edge_arrays(self):
        if self._edges_cache is None:
            self._edges_cache = self._core.edge_arrays()
        return self._edges_cache

    def _edges_at(self, ids):
        """src, dst, amount, time of the given edge ids (without copying the whole graph)."""
        return self._core.edges_at(np.asarray(ids, dtype=np.int64))

    def _codes(self, ids, name: str) -> np.ndarray:
        values = list(ids) if not isinstance(ids, (np.ndarray, pd.Index, pd.Series)) else ids
        codes = self._node_index.get_indexer(values)
        if (codes < 0).any():
            unknown = list(pd.Index(values)[codes < 0][:5])
            raise InvalidArgumentError(f"argument '{name}': unknown node ids {unknown}")
        return codes.astype(np.int32)

    def _to_time(self, values):
        values = np.asarray(values, dtype=np.int64)
        return pd.to_datetime(values, unit="ns").to_numpy() if self._datetime else values

    def _window(self, window: WindowLike, name: str = "window") -> Optional[int]:
        if window is None:
            return None
        if isinstance(window, (str, pd.Timedelta, _dt.timedelta, np.timedelta64)):
            if not self._datetime:
                raise InvalidArgumentError(
                    f"argument '{name}': a duration needs datetime timestamps; these are integers, give {name} in their units")
            try:
                value = pd.Timedelta(window).value
            except ValueError as error:
                raise InvalidArgumentError(f"argument '{name}': {error}") from None
        elif isinstance(window, (int, np.integer)) and not isinstance(window, bool):
            value = int(window)
        elif isinstance(window, float) and window.is_integer():
            value = int(window)
        else:
            raise InvalidArgumentError(f"argument '{name}': expected an integer or a duration, got {window!r}")
        if value <= 0:
            raise InvalidArgumentError(f"argument '{name}': expected a positive window, got {window!r}")
        return value

    def _require_time(self, what: str) -> None:
        if not self._has_time:
            raise InvalidArgumentError(f"{what} needs timestamps: build the graph with timestamp=...")

    # ------------------------------------------------------------------------------- views
    def edges(self, edge_ids: Optional[Iterable[int]] = None) -> pd.DataFrame:
        """Transfers as a DataFrame (edge id, src, dst, amount, timestamp), all or the given ids —
        the witness table of an alert."""
        if edge_ids is None:
            ids = np.arange(self.n_edges)
            src, dst, amount, time = self._edge_arrays()
        else:
            ids = np.asarray(list(edge_ids), dtype=np.int64)
            if ids.size and (ids.min() < 0 or ids.max() >= self.n_edges):
                raise InvalidArgumentError(f"argument 'edge_ids': ids must lie in [0, {self.n_edges})")
            src, dst, amount, time = self._edges_at(ids)
        frame = pd.DataFrame({"edge": ids, "src": self.node_ids[src], "dst": self.node_ids[dst], "amount": amount})
        if self._has_time:
            frame["timestamp"] = self._to_time(time)
        for name in self._attrs.columns:
            frame[name] = self._attrs[name].to_numpy()[ids]
        return frame

    def aggregated(self) -> pd.DataFrame:
        """One row per ordered pair (src, dst): summed amount, number of transfers and, with
        timestamps, the first and last transfer time."""
        src, dst, amount, time = self._edge_arrays()
        frame = pd.DataFrame({"s": src, "d": dst, "amount": amount, "t": time})
        agg = frame.groupby(["s", "d"], sort=True).agg(amount=("amount", "sum"), count=("amount", "size"),
                                                       first=("t", "min"), last=("t", "max")).reset_index()
        out = pd.DataFrame({"src": self.node_ids[agg["s"].to_numpy()], "dst": self.node_ids[agg["d"].to_numpy()],
                            "amount": agg["amount"].to_numpy(), "count": agg["count"].to_numpy()})
        if self._has_time:
            out["first"] = self._to_time(agg["first"].to_numpy())
            out["last"] = self._to_time(agg["last"].to_numpy())
        return out

    def out_degree(self) -> np.ndarray:
        return self._core.out_degree()

    def in_degree(self) -> np.ndarray:
        return self._core.in_degree()

    # --------------------------------------------------------------------------- streaming
    def append_edges(self, src, dst, amount=None, timestamp=None, *, window: WindowLike = None, max_cycle_length: int = 6,
                     typologies: Optional[Sequence[str]] = None, attrs: Optional[Mapping] = None,
                     **pattern_options) -> pd.DataFrame:
        """Adds a batch of transfers and returns the alerts that the batch creates.

        Only the neighbourhood of the batch is re-examined: typologies are evaluated for the
        touched accounts (and, for scatter-gather, the payers one hop back), keeping alerts whose
        witness holds a new transfer; time-respecting cycles are searched only from transfers that
        can start a cycle through a new one (walking back from each new payer within the window).
        The result has the layout of :meth:`detect_patterns`, with typology ``"cycle"`` rows for
        new round trips. ``window`` defaults to 7 days (datetime timestamps) and is required for
        integer timestamps; ``max_cycle_length=0`` skips cycles; ``attrs``: the new edges'
        attributes ({name: array}), the same names as the graph's.
        """
        s, d = _as_id_series(src, "src"), _as_id_series(dst, "dst")
        if len(s) != len(d):
            raise InvalidArgumentError(f"arguments 'src' and 'dst': expected the same length, got {len(s)} and {len(d)}")
        if len(s) == 0:
            return self._alert_frame(np.zeros(0, dtype=object), np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64),
                                     np.zeros(0, dtype=np.int32))
        if self._has_time and timestamp is None:
            raise InvalidArgumentError("argument 'timestamp': this graph has timestamps; give them for the new edges too")
        if not self._has_time and timestamp is not None:
            raise InvalidArgumentError("argument 'timestamp': this graph was built without timestamps")
        a = _amounts(amount, len(s))
        extra = _attributes(dict(attrs or {}), len(s))
        if sorted(extra.columns) != sorted(self._attrs.columns):
            raise InvalidArgumentError(f"argument 'attrs': expected the graph's edge attributes {list(self._attrs.columns)}, "
                                       f"got {list(extra.columns)}")
        t = None
        if timestamp is not None:
            t, is_datetime = _timestamps(timestamp, len(s))
            if is_datetime != self._datetime:
                raise InvalidArgumentError("argument 'timestamp': use the same kind (datetime or integer) as the graph")
        if window is None and self._has_time:
            window = pd.Timedelta(days=7) if self._datetime else None
        w = self._window(window) if window is not None else None
        if self._has_time and w is None:
            raise InvalidArgumentError("argument 'window': required for integer timestamps (in their units)")
        if self._has_time:  # the pattern options are checked before anything changes (no edge can match)
            self.detect_patterns(window=w, typologies=typologies, _focal=[0], _min_edge_id=self.n_edges,
                                 _since=np.iinfo(np.int64).max, **pattern_options)
        if not isinstance(max_cycle_length, (int, np.integer)) or max_cycle_length < 0:
            raise InvalidArgumentError(f"argument 'max_cycle_length': expected an integer >= 0, got {max_cycle_length!r}")
        ids = pd.concat([s, d], ignore_index=True)
        codes = self._node_index.get_indexer(ids)
        new_mask = codes < 0
        new_ids = pd.unique(ids[new_mask])
        if len(new_ids):
            codes[new_mask] = self.n_nodes + pd.Index(new_ids).get_indexer(ids[new_mask])
        n_total = self.n_nodes + len(new_ids)
        first_new = self.n_edges
        # mixed id types (ints then strings) become an object array; prepared before anything changes
        node_ids = pd.Index(self.node_ids).append(pd.Index(new_ids)).to_numpy() if len(new_ids) else self.node_ids
        self._core.append_edges(n_total, codes[:len(s)].astype(np.int32), codes[len(s):].astype(np.int32), a, t)
        if len(new_ids):
            self.node_ids = node_ids
            self._index = None
        self._edges_cache = None
        if len(self._attrs.columns):
            self._attrs = pd.concat([self._attrs, extra[self._attrs.columns]], ignore_index=True)
        else:
            self._attrs = pd.DataFrame(index=pd.RangeIndex(self.n_edges))
        if not self._has_time:
            return self._alert_frame(np.zeros(0, dtype=object), np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64),
                                     np.zeros(0, dtype=np.int32))
        touched = np.unique(codes).astype(np.int32)
        # a new transfer m -> d can be the second hop of a scatter-gather from a recent payer of m
        payers = np.unique(codes[:len(s)]).astype(np.int32)
        focal = np.union1d(touched, self._core.recent_payers(payers, int(t.min()) - w)).astype(np.int32)
        # a pattern through a new transfer spans at most 2 windows (scatter-gather, gather-scatter)
        alerts = self.detect_patterns(window=w, typologies=typologies, _focal=focal, _min_edge_id=first_new,
                                      _since=int(t.min()) - 2 * w, **pattern_options)
        if max_cycle_length > 0:
            new_edges = np.arange(first_new, self.n_edges, dtype=np.int32)
            starts = _g.cycle_start_candidates(self._core, new_edges.tolist(), w, int(max_cycle_length))
            cycles = self._cycles(int(max_cycle_length), w, 1_000_000, 0.0, starts, first_new) if starts else None
            if cycles is not None and cycles.count:
                alerts = pd.concat([alerts, cycles.to_alerts()], ignore_index=True)
                alerts["alert"] = np.arange(len(alerts))
        return alerts

    # -------------------------------------------------------------------------- components
    def weakly_connected_components(self) -> np.ndarray:
        """Component label of each node (0.. in order of each component's first node)."""
        return _g.weakly_connected_components(self._core)

    def strongly_connected_components(self) -> np.ndarray:
        """Strong component of each node (Tarjan; labels in order of each component's first node)."""
        return _g.strongly_connected_components(self._core)

    def core_numbers(self) -> np.ndarray:
        """k-core number of each node on the simple undirected graph (networkx ``core_number``)."""
        return _g.core_numbers(self._core)

    # ----------------------------------------------------------------------------- ranking
    def pagerank(self, damping: float = 0.85, personalization: Union[None, Mapping, Sequence, np.ndarray] = None,
                 weighted: bool = False, tolerance: float = 1e-13, max_iterations: int = 10_000) -> np.ndarray:
        """PageRank of each node (sums to 1); igraph/networkx semantics.

        ``personalization``: {node id: weight} (e.g. known fraud seeds), a list of seed ids
        (equal weights), or one weight per node; ``weighted`` uses amounts as edge weights.
        """
        p = None
        if personalization is not None:
            if isinstance(personalization, Mapping):
                p = np.zeros(self.n_nodes)
                p[self._codes(list(personalization), "personalization")] = list(personalization.values())
            else:
                arr = np.asarray(personalization)
                if arr.dtype.kind in "fiu" and arr.shape == (self.n_nodes,) and arr.dtype != object:
                    p = arr.astype(np.float64)
                else:
                    p = np.zeros(self.n_nodes)
                    p[self._codes(list(personalization), "personalization")] = 1.0
        scores, _, converged = _g.pagerank(self._core, float(damping), bool(weighted), p, float(tolerance),
                                           int(max_iterations))
        if not converged:
            warnings.warn(f"pagerank: no convergence in {max_iterations} iterations", ConvergenceWarning, stacklevel=2)
        return scores

    # ------------------------------------------------------------------------- communities
    def louvain(self, resolution: float = 1.0, seed: int = 0, weighted: bool = False,
                max_levels: int = 50) -> CommunityResult:
        """Louvain communities (Blondel et al. 2008) maximising modularity at ``resolution``, on
        the undirected view (weights: transfer counts, or amounts when ``weighted``).

        Deterministic for a seed on any thread count; communities are connected.
        """
        return self._communities("louvain", "modularity", resolution, seed, weighted, max_levels)

    def leiden(self, resolution: float = 1.0, objective: str = "modularity", seed: int = 0, weighted: bool = False,
               max_levels: int = 50) -> CommunityResult:
        """Leiden communities (Traag et al. 2019): ``objective="modularity"`` or ``"cpm"`` (constant
        Potts model: a community is worth keeping when its internal density exceeds
        ``resolution``, so small fraud rings are not absorbed by large communities)."""
        return self._communities("leiden", objective, resolution, seed, weighted, max_levels)

    def _communities(self, method, objective, resolution, seed, weighted, max_levels) -> CommunityResult:
        if not isinstance(seed, (int, np.integer)) or seed < 0:
            raise InvalidArgumentError(f"argument 'seed': expected a non-negative integer, got {seed!r}")
        labels, q, quality, _ = _g.communities(self._core, method, objective, float(resolution), bool(weighted), int(seed),
                                               int(max_levels))
        return CommunityResult(labels, q, quality, method, objective, float(resolution), self.node_ids)

    def modularity(self, labels, resolution: float = 1.0, weighted: bool = False) -> float:
        """Modularity of a partition (one label per node) on the undirected view, as igraph's."""
        labels = np.asarray(labels)
        if labels.shape != (self.n_nodes,):
            raise InvalidArgumentError(f"argument 'labels': expected {self.n_nodes} labels, got shape {labels.shape}")
        if pd.isna(labels).any():
            raise InvalidArgumentError("argument 'labels': missing labels (every node needs a community)")
        codes, _ = pd.factorize(labels)
        return _g.modularity(self._core, codes.astype(np.int32).tolist(), float(resolution), bool(weighted))

    def community_summary(self, communities: Union[CommunityResult, np.ndarray], fraud=None) -> pd.DataFrame:
        """Per community: size, transfers and amount inside, amount crossing its border and, with
        ``fraud`` (known fraud node ids), the number and share of fraud members; sorted by size."""
        labels = communities.labels if isinstance(communities, CommunityResult) else np.asarray(communities)
        if labels.shape != (self.n_nodes,):
            raise InvalidArgumentError(f"argument 'communities': expected {self.n_nodes} labels, got shape {labels.shape}")
        src, dst, amount, _ = self._edge_arrays()
        ls, ld = labels[src], labels[dst]
        inside = ls == ld
        k = int(labels.max()) + 1
        size = np.bincount(labels, minlength=k)
        frame = pd.DataFrame({"community": np.arange(k), "size": size,
                              "internal_transfers": np.bincount(ls[inside], minlength=k),
                              "internal_amount": np.bincount(ls[inside], weights=amount[inside], minlength=k),
                              "amount_out": np.bincount(ls[~inside], weights=amount[~inside], minlength=k),
                              "amount_in": np.bincount(ld[~inside], weights=amount[~inside], minlength=k)})
        if fraud is not None:
            flag = np.zeros(self.n_nodes, dtype=bool)
            flag[self._codes(list(fraud), "fraud")] = True
            frame["fraud_members"] = np.bincount(labels, weights=flag, minlength=k).astype(np.int64)
            frame["fraud_share"] = frame["fraud_members"] / np.maximum(size, 1)
        return frame.sort_values(["size", "community"], ascending=[False, True], ignore_index=True)

    def community_alerts(self, communities: Union[CommunityResult, np.ndarray], min_size: int = 5,
                         max_size: int = 100, min_links_per_member: float = 2.0) -> pd.DataFrame:
        """Small, tightly knit communities as fraud-ring alerts (typology ``"fraud_ring"``; witness:
        the transfers inside). A community qualifies with ``min_size``..``max_size`` members and at
        least ``min_links_per_member`` distinct internal counterparty pairs (either direction) per
        member: ordinary small communities are trees (under one pair per member), rings of mules
        trade among themselves. Use CPM communities (``leiden(objective="cpm")``), which modularity's
        resolution limit does not merge into large ones."""
        labels = communities.labels if isinstance(communities, CommunityResult) else np.asarray(communities)
        if labels.shape != (self.n_nodes,):
            raise InvalidArgumentError(f"argument 'communities': expected {self.n_nodes} labels, got shape {labels.shape}")
        if not 2 <= min_size <= max_size:
            raise InvalidArgumentError(f"arguments 'min_size' and 'max_size': expected 2 <= min_size <= max_size, got "
                                       f"{min_size} and {max_size}")
        src, dst, _, _ = self._edge_arrays()
        size = np.bincount(labels)
        inside = np.flatnonzero((labels[src] == labels[dst]) & (src != dst))
        com = labels[src[inside]]
        lo, hi = np.minimum(src[inside], dst[inside]), np.maximum(src[inside], dst[inside])
        pairs = np.unique(lo.astype(np.int64) * self.n_nodes + hi)
        distinct = np.bincount(labels[pairs // self.n_nodes], minlength=len(size))
        per_member = distinct / np.maximum(size, 1)
        chosen = np.flatnonzero((size >= min_size) & (size <= max_size) & (per_member >= min_links_per_member))
        order = np.argsort(com, kind="stable")
        starts = np.searchsorted(com[order], chosen)
        ends = np.searchsorted(com[order], chosen, side="right")
        witness = [np.sort(inside[order[a:b]]) for a, b in zip(starts, ends)]
        offsets = np.concatenate([[0], np.cumsum([len(w) for w in witness])]).astype(np.int64)
        first_member = np.array([np.flatnonzero(labels == c)[0] for c in chosen], dtype=np.int64)
        edges = np.concatenate(witness) if witness else np.zeros(0, dtype=np.int64)
        return self._alert_frame(np.full(len(chosen), "fraud_ring", dtype=object), first_member, offsets, edges)

    # ------------------------------------------------------------------------------ cycles
    def temporal_cycles(self, max_length: int = 6, window: WindowLike = None, *, max_cycles: int = 1_000_000,
                        time_limit: Optional[float] = None) -> CycleResult:
        """Round trips: cycles of at most ``max_length`` transfers.

        With ``window`` (an integer in timestamp units, or a duration such as ``"7D"`` for datetime
        timestamps) each hop is strictly later than the one before and the whole cycle lies within
        the window; parallel transfers give distinct cycles. ``window=None``: no time constraint,
        the simple cycles of the simple digraph (networkx ``simple_cycles``, length-bounded).
        ``max_cycles`` and ``time_limit`` (seconds) stop a search that a hub would blow up;
        ``truncated`` says so.
        """
        if not isinstance(max_length, (int, np.integer)) or max_length < 1:
            raise InvalidArgumentError(f"argument 'max_length': expected an integer >= 1, got {max_length!r}")
        w = self._window(window)
        if w is not None:
            self._require_time("a time window")
        if not isinstance(max_cycles, (int, np.integer)) or max_cycles < 1:
            raise InvalidArgumentError(f"argument 'max_cycles': expected an integer >= 1, got {max_cycles!r}")
        if time_limit is not None and not (np.isfinite(time_limit) and time_limit > 0):
            raise InvalidArgumentError(f"argument 'time_limit': expected a positive number of seconds, got {time_limit!r}")
        result = self._cycles(int(max_length), w, int(max_cycles), float(time_limit or 0.0), [], 0)
        if result.truncated:
            warnings.warn(f"temporal_cycles: search stopped early (max_cycles={max_cycles}, time_limit={time_limit}); "
                          "the result is partial", RuntimeWarning, stacklevel=2)
        return result

    def _cycles(self, max_length, window, max_cycles, time_limit, starts, min_edge_id) -> CycleResult:
        offsets, nodes, edges, truncated = _g.temporal_cycles(self._core, max_length, window, max_cycles, time_limit,
                                                              list(starts), int(min_edge_id))
        ids = self.node_ids[nodes]
        cycles = [ids[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:])]
        return CycleResult(len(offsets) - 1, cycles, bool(truncated), window, offsets.astype(np.int64), nodes, edges, self)

    # ------------------------------------------------------------------------ dense blocks
    def dense_blocks(self, n_blocks: int = 3, log_offset: float = 5.0, min_size: int = 2,
                     max_degree: Optional[int] = None, min_lift: float = 2.0) -> list:
        """FRAUDAR dense payer→payee blocks (Hooi et al. 2016), densest first, each found after
        removing the links of the ones before; ``log_offset`` c weighs a link to a payee of degree
        d by 1/log(c + d) (camouflage resistance; 0 switches it off). ``max_degree`` leaves out
        accounts with more distinct counterparties on their side (payroll payers, big merchants):
        in a heavy-tailed graph their busy core is the densest block of all, and rarely the fraud.
        The search stops early once a block is less than ``min_lift`` times denser than all the
        links that remain (``lift`` on each block)."""
        core = self._core
        if max_degree is not None:
            if not isinstance(max_degree, (int, np.integer)) or max_degree < 1:
                raise InvalidArgumentError(f"argument 'max_degree': expected an integer >= 1, got {max_degree!r}")
            src, dst, _, _ = self._edge_arrays()
            n = self.n_nodes
            pairs = np.unique(src.astype(np.int64) * n + dst)
            payees_per_payer = np.bincount(pairs // n, minlength=n)
            payers_per_payee = np.bincount(pairs % n, minlength=n)
            keep = (payees_per_payer[src] <= max_degree) & (payers_per_payee[dst] <= max_degree)
            if not keep.any():
                return []
            core = _g.TransactionGraph.from_edges(n, src[keep], dst[keep], None, None)
        blocks = _g.dense_blocks(core, int(n_blocks), float(log_offset), int(min_size), float(min_lift))
        return [DenseBlock(self.node_ids[p], self.node_ids[q], density, weight, links, lift)
                for p, q, density, weight, links, lift in blocks]

    def block_alerts(self, blocks) -> pd.DataFrame:
        """Dense blocks as alerts (typology ``"dense_block"``; witness: the transfers from the
        block's payers to its payees), in the layout of :meth:`detect_patterns`."""
        src, dst, _, _ = self._edge_arrays()
        offsets, witness, node = [0], [], []
        for b in blocks:
            inside = np.flatnonzero(np.isin(src, self._codes(b.payers, "blocks"))
                                    & np.isin(dst, self._codes(b.payees, "blocks")))
            witness.append(inside)
            offsets.append(offsets[-1] + len(inside))
            node.append(self._codes(b.payers[:1], "blocks")[0] if len(b.payers) else 0)
        edges = np.concatenate(witness) if witness else np.zeros(0, dtype=np.int64)
        return self._alert_frame(np.full(len(blocks), "dense_block", dtype=object), np.asarray(node, dtype=np.int64),
                                 np.asarray(offsets), edges)

    # --------------------------------------------------------------------------- patterns
    def detect_patterns(self, window: WindowLike = None, typologies: Optional[Sequence[str]] = None, *,
                        min_counterparties: int = 5, min_stack_length: int = 3, amount_tolerance: float = 0.1,
                        min_amount: float = 0.0, min_burst: float = 0.0, reporting_threshold: float = 10_000.0,
                        structuring_margin: float = 0.1, min_structuring_count: int = 3, exclude=None,
                        _focal=None, _min_edge_id: int = 0, _since: Optional[int] = None) -> pd.DataFrame:
        """Money-laundering typologies within time windows (see ``bankquant/graph/typologies.hpp``):
        ``fan_in``, ``fan_out``, ``scatter_gather``, ``gather_scatter``, ``stack`` (layering chains),
        ``pass_through`` and ``structuring``.

        Returns one row per alert: typology, focal account, start and end time, total amount,
        number of witness transfers and their edge ids (``edges``; see :meth:`edges` for the
        witness table). ``window`` defaults to 7 days for datetime timestamps. ``min_burst``: fan-in/out
        windows must hold this many times the account's usual transfers per window (0: off), which
        quiets busy merchants and payroll accounts doing what they always do. ``exclude``: account
        ids never alerted as the focal account (known merchants, payroll, the bank's own accounts);
        layering chains are found from every origin regardless.
        """
        self._require_time("detect_patterns")
        if window is None:
            if not self._datetime:
                raise InvalidArgumentError("argument 'window': required for integer timestamps (in their units)")
            window = pd.Timedelta(days=7)
        w = self._window(window)
        names = list(TYPOLOGIES) if typologies is None else [typologies] if isinstance(typologies, str) else list(typologies)
        unknown = [t for t in names if t not in TYPOLOGIES]
        if unknown:
            raise InvalidArgumentError(f"argument 'typologies': unknown {unknown}; choose from {list(TYPOLOGIES)}")
        focal = np.arange(self.n_nodes, dtype=np.int32) if _focal is None and exclude is not None else _focal
        if exclude is not None:
            focal = np.setdiff1d(np.asarray(focal, dtype=np.int32), self._codes(list(exclude), "exclude"))
            if len(focal) == 0:
                return self._alert_frame(np.zeros(0, dtype=object), np.zeros(0, dtype=np.int32), np.zeros(1), np.zeros(0))
        focal = [] if focal is None else np.asarray(focal, dtype=np.int32).tolist()
        typ, node, start, end, amount, offsets, edges = _g.detect_patterns(
            self._core, names, w, int(min_counterparties), int(min_stack_length), float(amount_tolerance), float(min_amount),
            float(min_burst),
            float(reporting_threshold), float(structuring_margin), int(min_structuring_count), focal, int(_min_edge_id),
            np.iinfo(np.int64).min if _since is None else int(_since))
        return self._alert_frame(np.asarray(TYPOLOGIES, dtype=object)[typ], node, offsets, edges,
                                 self._to_time(start), self._to_time(end), amount)

    def _alert_frame(self, typology, node, offsets, edges, start=None, end=None, amount=None) -> pd.DataFrame:
        offsets = np.asarray(offsets, dtype=np.int64)
        witness = [edges[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:])]
        if amount is None or start is None:
            _, _, edge_amount, time = self._edges_at(edges)
            owner = np.repeat(np.arange(len(witness)), np.diff(offsets))
            amount = np.bincount(owner, weights=edge_amount, minlength=len(witness))
            lo = np.full(len(witness), np.iinfo(np.int64).max)
            hi = np.full(len(witness), np.iinfo(np.int64).min)
            np.minimum.at(lo, owner, time)
            np.maximum.at(hi, owner, time)
            start, end = self._to_time(lo), self._to_time(hi)
        return pd.DataFrame({"alert": np.arange(len(witness)), "typology": typology, "account": self.node_ids[node],
                             "start": np.asarray(start), "end": np.asarray(end), "amount": np.asarray(amount, dtype=float),
                             "n_edges": np.diff(offsets), "edges": witness})

    # --------------------------------------------------------------------------- features
    def node_features(self, window: WindowLike = None, seeds=None, resolution: float = 1.0,
                      max_cycle_length: int = 6, alerts: Optional[pd.DataFrame] = None, seed: int = 0,
                      communities: Optional[CommunityResult] = None,
                      cycles: Optional[CycleResult] = None) -> pd.DataFrame:
        """Features per node for machine learning, indexed by node id.

        Degrees and strengths, distinct counterparties, velocity (most transfers out/in within any
        ``window``), PageRank and, with ``seeds`` (known fraud ids), personalised PageRank from them,
        Leiden community id and size, k-core number, the number of time-respecting cycles through
        the node and the number of pattern alerts whose witness touches it (``alerts`` from
        :meth:`detect_patterns`, computed when not given). ``communities`` and ``cycles``: results
        already computed (any method or window), used instead of a fresh Leiden run and cycle search.
        """
        src, dst, amount, time = self._edge_arrays()
        n = self.n_nodes
        f = pd.DataFrame(index=pd.Index(self.node_ids, name="node"))
        f["out_degree"] = np.bincount(src, minlength=n)
        f["in_degree"] = np.bincount(dst, minlength=n)
        f["out_strength"] = np.bincount(src, weights=amount, minlength=n)
        f["in_strength"] = np.bincount(dst, weights=amount, minlength=n)
        pairs = np.unique(src.astype(np.int64) * n + dst)
        f["out_counterparties"] = np.bincount(pairs // n, minlength=n)
        f["in_counterparties"] = np.bincount(pairs % n, minlength=n)
        f["pagerank"] = self.pagerank(tolerance=1e-10)
        if seeds is not None:
            f["ppr_from_seeds"] = self.pagerank(personalization=list(seeds), tolerance=1e-10)
        com = self.leiden(resolution=resolution, seed=seed) if communities is None else communities
        if len(com.labels) != n:
            raise InvalidArgumentError(f"argument 'communities': expected labels for {n} nodes, got {len(com.labels)}")
        f["community"] = com.labels
        f["community_size"] = com.sizes[com.labels]
        f["core_number"] = self.core_numbers()
        if self._has_time:
            if window is None:
                if not self._datetime:
                    raise InvalidArgumentError("argument 'window': required for integer timestamps (in their units)")
                window = pd.Timedelta(days=7)
            w = self._window(window)
            f["out_velocity"] = _g.max_transfers_in_window(self._core, w, True)
            f["in_velocity"] = _g.max_transfers_in_window(self._core, w, False)
            if cycles is None:
                cycles = self._cycles(int(max_cycle_length), w, 10_000_000, 0.0, [], 0) if max_cycle_length else None
            f["cycles"] = cycles.participation() if cycles is not None else 0
            if alerts is None:
                alerts = self.detect_patterns(window=w)
            sizes = alerts["edges"].str.len().to_numpy() if len(alerts) else np.zeros(0, dtype=np.int64)
            flat = np.fromiter(itertools.chain.from_iterable(alerts["edges"]), dtype=np.int64, count=int(sizes.sum()))
            owner = np.repeat(np.arange(len(alerts), dtype=np.int64), sizes)
            # each alert counts once per account its witness touches
            keys = np.unique(np.concatenate([owner * n + src[flat], owner * n + dst[flat]]))
            f["pattern_alerts"] = np.bincount(keys % n, minlength=n)
        return f

    # ------------------------------------------------------------------------- conversion
    def to_networkx(self):
        """A networkx MultiDiGraph (node ids as nodes; edge keys are edge ids, with amount and timestamp)."""
        import networkx as nx

        src, dst, amount, time = self._edge_arrays()
        G = nx.MultiDiGraph()
        G.add_nodes_from(self.node_ids.tolist())
        ids = self.node_ids
        times = self._to_time(time)
        G.add_edges_from((ids[s], ids[d], e, {"amount": float(a), **({"timestamp": t} if self._has_time else {})})
                         for e, (s, d, a, t) in enumerate(zip(src, dst, amount, times)))
        return G

    def to_igraph(self):
        """A directed python-igraph Graph: vertex attribute ``name`` = node id, edge attributes
        ``amount`` (and ``timestamp``), edges in edge-id order."""
        import igraph as ig

        src, dst, amount, time = self._edge_arrays()
        h = ig.Graph(n=self.n_nodes, edges=np.column_stack([src, dst]).tolist(), directed=True)
        h.vs["name"] = self.node_ids.tolist()
        h.es["amount"] = amount.tolist()
        if self._has_time:
            h.es["timestamp"] = time.tolist()
        return h

    @classmethod
    def from_networkx(cls, G, amount: str = "amount", timestamp: Optional[str] = "timestamp") -> "TransactionGraph":
        """From a networkx (Multi)(Di)Graph; undirected edges become one transfer each way round as
        stored. Edge attributes ``amount``/``timestamp`` are used when every edge has them."""
        edges = list(G.edges(data=True))
        if not edges:
            raise InvalidArgumentError("argument 'G': expected at least one edge, got an empty graph")
        src = [u for u, _, _ in edges]
        dst = [v for _, v, _ in edges]
        a = [d[amount] for _, _, d in edges] if all(amount in d for _, _, d in edges) else None
        t = [d[timestamp] for _, _, d in edges] if timestamp and all(timestamp in d for _, _, d in edges) else None
        return cls.from_edges(src, dst, a, t)

    @classmethod
    def from_igraph(cls, h, amount: str = "amount", timestamp: Optional[str] = "timestamp") -> "TransactionGraph":
        """From a python-igraph Graph (vertex ``name`` as ids when present, else vertex indices)."""
        if h.ecount() == 0:
            raise InvalidArgumentError("argument 'h': expected at least one edge, got an empty graph")
        names = np.asarray(h.vs["name"] if "name" in h.vs.attributes() else np.arange(h.vcount()))
        e = np.asarray(h.get_edgelist())
        a = h.es[amount] if amount in h.es.attributes() else None
        t = h.es[timestamp] if timestamp and timestamp in h.es.attributes() else None
        return cls.from_edges(names[e[:, 0]], names[e[:, 1]], a, t)

