"""Graph fraud mining (in progress): the transaction graph, connected components, PageRank.

>>> import bankquant as bq
>>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c"], ["b", "c", "a"], amount=[5.0, 5.0, 5.0])
>>> g.strongly_connected_components().tolist()
[0, 0, 0]
"""
from ._graph import TransactionGraph

__all__ = ["TransactionGraph"]
