"""Graph fraud mining: transaction graphs, rings, dense blocks, round-tripping, mule patterns.

>>> import bankquant as bq
>>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c"], ["b", "c", "a"], amount=[5.0, 5.0, 5.0])
>>> g.strongly_connected_components().tolist()
[0, 0, 0]
"""
from ._dense import DenseBlockDetector
from ._entities import EntityResolution, resolve_entities
from ._graph import TYPOLOGIES, TransactionGraph
from ._plots import plot_alert, plot_ego_network
from ._results import CommunityResult, CycleCounts, CycleResult, DenseBlock
from ._synthetic import SYNTHETIC_TYPOLOGIES, SyntheticTransactions, evaluate, synthetic_transactions

__all__ = ["TransactionGraph", "CommunityResult", "CycleCounts", "CycleResult", "DenseBlock", "DenseBlockDetector",
           "EntityResolution", "resolve_entities", "synthetic_transactions", "SyntheticTransactions", "evaluate",
           "plot_alert", "plot_ego_network", "TYPOLOGIES",
           "SYNTHETIC_TYPOLOGIES"]
