"""Transaction graph, components and PageRank against networkx 2.8 and python-igraph 0.10."""
import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
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


def test_per_node_results_are_series_indexed_by_node_id():
    g = bq.graph.TransactionGraph.from_edges(["b", "a", "c", "c"], ["a", "c", "b", "d"], timestamp=[1, 2, 3, 4])
    for name in ["out_degree", "in_degree", "weakly_connected_components", "strongly_connected_components",
                 "core_numbers", "pagerank"]:
        result = getattr(g, name)()
        assert isinstance(result, pd.Series), name
        assert result.index.tolist() == ["a", "b", "c", "d"], name
    assert g.out_degree().to_dict() == {"a": 1, "b": 1, "c": 2, "d": 0}
    assert g.in_degree()["a"] == 1 and g.pagerank().sum() == pytest.approx(1.0)
    strong = g.strongly_connected_components()
    assert strong["a"] == strong["b"] == strong["c"] != strong["d"]


def test_idle_accounts_and_empty_graphs():
    # accounts without transfers in the period are kept, with a row in every per-node result
    g = bq.graph.TransactionGraph.from_edges(["a", "b"], ["b", "c"], nodes=["z", "a"])
    assert g.node_ids.tolist() == ["a", "b", "c", "z"] and g.n_edges == 2
    assert g.out_degree()["z"] == 0 and g.pagerank()["z"] > 0
    with pytest.raises(bq.InvalidArgumentError, match="argument 'nodes'"):
        bq.graph.TransactionGraph.from_edges(["a"], ["b"], nodes=[1])
    # networkx and igraph graphs keep their isolated nodes
    D = nx.DiGraph([("a", "b")])
    D.add_node("lonely")
    assert bq.graph.TransactionGraph.from_networkx(D).node_ids.tolist() == ["a", "b", "lonely"]
    assert bq.graph.TransactionGraph.from_networkx(nx.DiGraph()).n_nodes == 0
    assert bq.graph.TransactionGraph.from_igraph(ig.Graph(n=3)).n_nodes == 3
    # a stream may start empty: appending everything gives the graph built at once, and each batch
    # the alerts that a batch run over everything so far reports with a new transfer in them
    rng = np.random.default_rng(3)
    n = 4000
    frame = pd.DataFrame({"src": rng.integers(0, 300, n), "dst": rng.integers(0, 300, n),
                          "amount": np.round(rng.lognormal(5, 1, n), 2),
                          "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 60 * 86400, n)), "s")})
    frame = frame[frame["src"] != frame["dst"]].reset_index(drop=True)
    empty = bq.graph.TransactionGraph.from_edges(frame.iloc[:0])
    assert empty.n_nodes == 0 and empty.n_edges == 0 and empty.detect_patterns().empty
    raised = 0
    for k in range(0, len(frame), 1000):
        new = empty.append_edges(frame.iloc[k:k + 1000], max_cycle_length=0)
        so_far = bq.graph.TransactionGraph.from_edges(frame.iloc[:k + 1000]).detect_patterns()
        expected = so_far.loc[np.array([max(e) >= k for e in so_far["edges"]], dtype=bool)]
        assert sorted(map(tuple, new["edges"])) == sorted(map(tuple, expected["edges"]))
        raised += len(new)
    assert raised > 0
    whole = bq.graph.TransactionGraph.from_edges(frame)
    assert sorted(empty.node_ids) == sorted(whole.node_ids) and empty.n_edges == whole.n_edges
    pd.testing.assert_series_equal(empty.in_degree().sort_index(), whole.in_degree().sort_index())


def test_append_edges_takes_a_dataframe_with_the_graph_attributes():
    first = pd.DataFrame({"src": ["a", "b"], "dst": ["b", "c"], "amount": [10.0, 9.5], "timestamp": [1, 2],
                          "channel": ["web", "app"]})
    g = bq.graph.TransactionGraph.from_edges(first, channel="channel")
    more = pd.DataFrame({"payer": ["c"], "dst": ["a"], "amount": [9.0], "timestamp": [3], "channel": ["branch"]})
    with pytest.raises(bq.InvalidArgumentError, match="argument 'src'"):
        g.append_edges(more, window=10)  # no 'src' column: named, and nothing changes
    assert g.n_edges == 2
    g.append_edges(more.rename(columns={"payer": "src"}), window=10)
    assert g.edges()["channel"].tolist() == ["web", "app", "branch"]
    assert g.edges()["src"].tolist() == ["a", "b", "c"]
