"""Result types of the graph algorithms: communities, cycles, dense blocks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np
import pandas as pd


@dataclass
class CommunityResult:
    """Communities found by :meth:`TransactionGraph.louvain` or :meth:`TransactionGraph.leiden`.

    ``labels`` holds a community per node (in ``node_ids`` order, numbered by first node);
    ``modularity`` is Newman's modularity at resolution 1 (comparable across runs and with
    igraph), ``quality`` the objective that was optimised (modularity at the given resolution,
    or the constant Potts model). Every community is connected.
    """

    labels: np.ndarray
    modularity: float
    quality: float
    method: str
    objective: str
    resolution: float
    node_ids: np.ndarray = field(repr=False)

    @property
    def n_communities(self) -> int:
        return int(self.labels.max()) + 1 if len(self.labels) else 0

    @property
    def sizes(self) -> np.ndarray:
        """Number of nodes in each community."""
        return np.bincount(self.labels, minlength=self.n_communities)

    def to_series(self) -> pd.Series:
        """Community label indexed by node id."""
        return pd.Series(self.labels, index=pd.Index(self.node_ids, name="node"), name="community")


@dataclass
class CycleResult:
    """Cycles found by :meth:`TransactionGraph.temporal_cycles`.

    ``cycles`` lists each cycle as node ids in travel order, starting at the payer of its first
    transfer (time-respecting mode) or at its smallest node (no window). With a window,
    ``edge_ids`` gives the transfers of each cycle and :meth:`to_frame` the share of the first
    amount that came back.
    """

    count: int
    cycles: List[list]
    truncated: bool
    window: Optional[int]
    offsets: np.ndarray = field(repr=False)
    nodes: np.ndarray = field(repr=False)
    edges: np.ndarray = field(repr=False)
    graph: object = field(repr=False)

    @property
    def edge_ids(self) -> List[np.ndarray]:
        return [self.edges[a:b] for a, b in zip(self.offsets[:-1], self.offsets[1:])] if len(self.edges) else []

    def participation(self) -> np.ndarray:
        """Number of cycles each node lies on (per node, ``node_ids`` order)."""
        return np.bincount(self.nodes, minlength=self.graph.n_nodes)

    def to_frame(self) -> pd.DataFrame:
        """One row per cycle: length, nodes and, with a window, edges, start/end time, first and
        returned amount and the returned share."""
        lengths = np.diff(self.offsets)
        frame = pd.DataFrame({"cycle": np.arange(self.count), "length": lengths, "nodes": self.cycles})
        if self.window is not None and len(self.edges):
            first, last = self.edges[self.offsets[:-1]], self.edges[self.offsets[1:] - 1]
            _, _, amount_first, time_first = self.graph._edges_at(first)
            _, _, amount_last, time_last = self.graph._edges_at(last)
            frame["edges"] = [list(e) for e in self.edge_ids]
            frame["start"] = self.graph._to_time(time_first)
            frame["end"] = self.graph._to_time(time_last)
            frame["first_amount"] = amount_first
            frame["returned_amount"] = amount_last
            with np.errstate(divide="ignore", invalid="ignore"):
                frame["returned_share"] = np.where(amount_first > 0, amount_last / amount_first, np.nan)
        return frame

    def to_alerts(self) -> pd.DataFrame:
        """The time-respecting cycles as alerts (typology ``"cycle"``), in the layout of
        :meth:`TransactionGraph.detect_patterns`, so they can be evaluated and plotted alike."""
        if self.window is None:
            raise ValueError("to_alerts needs time-respecting cycles (call temporal_cycles with a window)")
        frame = self.to_frame()
        return self.graph._alert_frame(
            typology=np.full(self.count, "cycle", dtype=object),
            node=self.nodes[self.offsets[:-1]] if self.count else np.zeros(0, dtype=np.int32),
            offsets=self.offsets, edges=self.edges, start=frame.get("start"), end=frame.get("end"))


@dataclass
class DenseBlock:
    """A dense payer→payee block (FRAUDAR): node ids of both sides, density f(S)/|S|, the
    camouflage-resistant weight f(S), the number of distinct links inside and the lift: how many
    times denser the block is than all the links it was peeled from."""

    payers: np.ndarray
    payees: np.ndarray
    density: float
    weight: float
    links: int
    lift: float
