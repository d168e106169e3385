"""Transaction graph, components and PageRank against networkx 2.8 and python-igraph 0.10."""
import igraph as ig
import networkx as nx
import numpy as np
import pytest

import bankquant as bq


@pytest.fixture(scope="module")
def edges(heavy_tailed_transfers):
    """A seeded heavy-tailed transfer graph: 3,000 accounts with string ids, 12,000 transfers."""
    return heavy_tailed_transfers(3000, 12_000, seed=7, prefix="acct")


def partition(labels, ids):
    groups = {}
    for node, label in zip(ids, labels):
        groups.setdefault(label, set()).add(node)
    return sorted(map(frozenset, groups.values()), key=lambda s: min(s))


def test_components_equal_networkx(edges):
    g = bq.graph.TransactionGraph.from_edges(edges["src"], edges["dst"], edges["amount"], edges["timestamp"])
    G = nx.MultiDiGraph()
    G.add_nodes_from(g.node_ids)
    G.add_edges_from(zip(edges["src"], edges["dst"]))
    ours_weak = partition(g.weakly_connected_components(), g.node_ids)
    ours_strong = partition(g.strongly_connected_components(), g.node_ids)
    assert ours_weak == sorted(map(frozenset, nx.weakly_connected_components(G)), key=lambda s: min(s))
    assert ours_strong == sorted(map(frozenset, nx.strongly_connected_components(G)), key=lambda s: min(s))
    assert g.n_edges == len(edges) and g.n_nodes == len(set(edges["src"]) | set(edges["dst"]))


@pytest.mark.parametrize("weighted", [False, True])
def test_pagerank_equals_igraph(edges, weighted):
    g = bq.graph.TransactionGraph.from_edges(edges["src"], edges["dst"], edges["amount"])
    index = {v: i for i, v in enumerate(g.node_ids)}
    h = ig.Graph(n=g.n_nodes, edges=list(zip(edges["src"].map(index), edges["dst"].map(index))), directed=True)
    w = edges["amount"].tolist() if weighted else None
    np.testing.assert_allclose(g.pagerank(weighted=weighted), h.pagerank(damping=0.85, weights=w), atol=1e-8, rtol=0)
    seeds = {g.node_ids[5]: 1.0, g.node_ids[17]: 2.0}
    reset = np.zeros(g.n_nodes)
    reset[5], reset[17] = 1.0, 2.0
    np.testing.assert_allclose(g.pagerank(personalization=seeds, weighted=weighted),
                               h.personalized_pagerank(damping=0.85, reset=reset, weights=w), atol=1e-8, rtol=0)
    assert g.pagerank().sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bq.graph.TransactionGraph.from_edges([1, 2], [3]), "expected the same length"),
        (lambda: bq.graph.TransactionGraph.from_edges([], []), "empty graph"),
        (lambda: bq.graph.TransactionGraph.from_edges([1, None], [2, 3]), "missing node ids"),
        (lambda: bq.graph.TransactionGraph.from_edges([1, 2], [2, 3], amount=[1.0, -5.0]), "argument 'amount'"),
        (lambda: bq.graph.TransactionGraph.from_edges([1, 2], [2, 3], amount=[1.0, np.nan]), "argument 'amount'"),
        (lambda: bq.graph.TransactionGraph.from_edges([1, 2], [2, 3]).pagerank(personalization={9: 1.0}),
         "unknown node ids"),
        (lambda: bq.graph.TransactionGraph.from_edges([1, 2], [2, 3]).pagerank(damping=1.5), "argument 'damping'"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(bq.InvalidArgumentError, match=message):
        call()
