"""Investigation tools (ego networks, subgraphs, money paths, centralities) against networkx 2.8.8
and python-igraph 0.10.2, on data the library did not generate: tests/python/independent_transfers.py
(households, wages, shops, friends and laundering, written apart from the library) and the
heavy-tailed tables of conftest.py. Money paths are checked against an exhaustive search."""
import itertools
import random

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from networkx.algorithms.link_analysis.hits_alg import _hits_python

import bankquant as bq
import independent_transfers

G = bq.graph.TransactionGraph


@pytest.fixture(scope="module")
def bank():
    """About 320 accounts and 17,500 transfers with datetimes (independent generator)."""
    edges, _ = independent_transfers.transfers(n_people=300, days=35, n_patterns=4, seed=5)
    return edges


@pytest.fixture(scope="module")
def bank_graph(bank):
    return G.from_edges(bank, channel=bank["pattern"].to_numpy())


@pytest.fixture(scope="module")
def heavy(heavy_tailed_transfers):
    """800 accounts, 3,000 transfers, Zipf-like activity (a few busy accounts), integer times."""
    return heavy_tailed_transfers(800, 3000, seed=11, prefix="a")


def simple_digraph(g, weighted=False):
    """networkx DiGraph of the simple view: nodes in the graph's order, one link per ordered pair,
    self-loops left out, weight = summed amount (in edge order)."""
    D = nx.DiGraph()
    D.add_nodes_from(g.node_ids.tolist())
    for row in g.edges().itertuples():
        if row.src == row.dst:
            continue
        if D.has_edge(row.src, row.dst):
            D[row.src][row.dst]["weight"] += row.amount
        else:
            D.add_edge(row.src, row.dst, weight=row.amount)
    if not weighted:
        for _, _, data in D.edges(data=True):
            del data["weight"]
    return D


def simple_undirected(g, weighted=False):
    """networkx Graph of the undirected simple view; weight = amounts summed over both directions."""
    U = nx.Graph()
    U.add_nodes_from(g.node_ids.tolist())
    for row in g.edges().itertuples():
        if row.src == row.dst:
            continue
        if U.has_edge(row.src, row.dst):
            U[row.src][row.dst]["weight"] += row.amount
        else:
            U.add_edge(row.src, row.dst, weight=row.amount)
    if not weighted:
        for _, _, data in U.edges(data=True):
            del data["weight"]
    return U


def to_igraph(D):
    names = list(D.nodes())
    index = {v: i for i, v in enumerate(names)}
    return ig.Graph(n=len(names), edges=[(index[u], index[v]) for u, v in D.edges()], directed=D.is_directed())


def as_series(values, g):
    return pd.Series(values).reindex(g.node_ids.tolist()).to_numpy(dtype=float)


@pytest.fixture(scope="module", params=["bank", "heavy"])
def graph(request, bank_graph, heavy):
    return bank_graph if request.param == "bank" else G.from_edges(heavy)


# ------------------------------------------------------------------------------- betweenness
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("normalized", [True, False])
def test_betweenness_equals_networkx_and_igraph(graph, directed, normalized):
    D = simple_digraph(graph) if directed else simple_undirected(graph)
    ours = graph.betweenness(directed=directed, normalized=normalized).to_numpy()
    # networkx 2.8.8 betweenness_centrality, the same algorithm (Brandes)
    want = as_series(nx.betweenness_centrality(D, normalized=normalized), graph)
    np.testing.assert_allclose(ours, want, rtol=1e-9, atol=1e-12)
    if not normalized:  # python-igraph 0.10.2 betweenness (unnormalised; undirected counts each pair once)
        np.testing.assert_allclose(ours, to_igraph(D).betweenness(directed=directed), rtol=1e-9, atol=1e-9)


def test_sampled_betweenness_estimates_the_exact_one(bank_graph, restore_threads):
    exact = bank_graph.betweenness()
    n = bank_graph.n_nodes
    np.testing.assert_array_equal(bank_graph.betweenness(samples=n).to_numpy(), exact.to_numpy())
    bq.set_num_threads(1)
    one = bank_graph.betweenness(samples=n // 3, seed=4)
    bq.set_num_threads(2)
    two = bank_graph.betweenness(samples=n // 3, seed=4)
    pd.testing.assert_series_equal(one, two)
    assert not one.equals(bank_graph.betweenness(samples=n // 3, seed=5))
    # unbiased (n / samples): the total within 10%, and the busiest accounts found
    assert one.sum() == pytest.approx(exact.sum(), rel=0.1)
    assert np.corrcoef(one, exact)[0, 1] > 0.9
    assert len(set(one.nlargest(10).index) & set(exact.nlargest(10).index)) >= 6


# --------------------------------------------------------------------------------- closeness
@pytest.mark.parametrize("direction", ["in", "out", "both"])
@pytest.mark.parametrize("wf_improved", [True, False])
def test_closeness_equals_networkx_and_igraph(graph, direction, wf_improved):
    D = simple_digraph(graph)
    # networkx measures distances *to* the node on a DiGraph: 'in'; 'out' is the reversed graph
    view = {"in": D, "out": D.reverse(), "both": D.to_undirected()}[direction]
    want = as_series(nx.closeness_centrality(view, wf_improved=wf_improved), graph)
    ours = graph.closeness(direction=direction, wf_improved=wf_improved).to_numpy()
    np.testing.assert_allclose(ours, want, rtol=1e-12, atol=0)
    if not wf_improved:  # igraph 0.10.2: over the reachable nodes only, NaN where none
        theirs = np.nan_to_num(np.asarray(to_igraph(D).closeness(mode=direction.replace("both", "all")), dtype=float))
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0)


# ------------------------------------------------------------------------------- eigenvector
@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_eigenvector_centrality_equals_networkx(graph, directed, weighted):
    view = simple_digraph(graph, weighted) if directed else simple_undirected(graph, weighted)
    # networkx 2.8.8 eigenvector_centrality: the same power iteration on A' + I
    options = dict(max_iterations=2000, tolerance=1e-9)
    try:
        want = as_series(nx.eigenvector_centrality(view, max_iter=2000, tol=1e-9,
                                                   weight="weight" if weighted else None), graph)
    except nx.PowerIterationFailedConvergence:
        # the bank's wages and rents weigh its directed links so that two leading eigenvalues
        # almost tie: neither converges (ours converges at tolerance 1e-6 after ~90,000 iterations)
        with pytest.warns(bq.ConvergenceWarning, match="max_iterations"):
            graph.eigenvector_centrality(directed=directed, weighted=weighted, **options)
        assert directed and weighted
        return
    ours = graph.eigenvector_centrality(directed=directed, weighted=weighted, **options)
    np.testing.assert_allclose(ours.to_numpy(), want, rtol=1e-9, atol=1e-13)


def test_eigenvector_centrality_equals_igraph_when_converged(graph):
    U = simple_undirected(graph)
    ours = graph.eigenvector_centrality(directed=False, tolerance=1e-15, max_iterations=100_000).to_numpy()
    # python-igraph 0.10.2 eigenvector_centrality (ARPACK), scaled to max 1; compared where it
    # resolves values (ARPACK's own tolerance)
    theirs = np.asarray(to_igraph(U).eigenvector_centrality(directed=False, scale=True))
    np.testing.assert_allclose(ours / ours.max(), theirs, atol=1e-8)


def test_eigenvector_centrality_warns_at_the_iteration_limit(bank_graph):
    with pytest.warns(bq.ConvergenceWarning, match="max_iterations"):
        bank_graph.eigenvector_centrality(max_iterations=2)


# --------------------------------------------------------------------------------------- hits
@pytest.mark.parametrize("weighted", [False, True])
def test_hits_equals_networkx(graph, weighted):
    D = simple_digraph(graph, weighted)
    # networkx 2.8.8 _hits_python: the same power iteration as ours ('weight' when present)
    hubs, authorities = _hits_python(D, max_iter=1000, tol=1e-10)
    ours = graph.hits(weighted=weighted, max_iterations=1000, tolerance=1e-10)
    np.testing.assert_allclose(ours["hub"].to_numpy(), as_series(hubs, graph), rtol=1e-9, atol=1e-14)
    np.testing.assert_allclose(ours["authority"].to_numpy(), as_series(authorities, graph), rtol=1e-9, atol=1e-14)


def test_hits_equals_networkx_svd_and_igraph(graph):
    D = simple_digraph(graph)
    ours = graph.hits(max_iterations=100_000, tolerance=1e-12)
    # networkx 2.8.8 hits (scipy's svds) and igraph 0.10.2 hub/authority scores (ARPACK, max 1):
    # other algorithms, so to their own tolerance
    hubs, authorities = nx.hits(D, max_iter=10_000, tol=1e-12)
    np.testing.assert_allclose(ours["hub"].to_numpy(), as_series(hubs, graph), atol=1e-8)
    np.testing.assert_allclose(ours["authority"].to_numpy(), as_series(authorities, graph), atol=1e-8)
    h = to_igraph(D)
    np.testing.assert_allclose(ours["hub"] / ours["hub"].max(), h.hub_score(), atol=1e-6)
    np.testing.assert_allclose(ours["authority"] / ours["authority"].max(), h.authority_score(), atol=1e-6)


# ------------------------------------------------------------------------ triangles, clustering
def test_triangles_and_clustering_equal_networkx_and_igraph(graph):
    U = simple_undirected(graph)
    # networkx 2.8.8 triangles / clustering / average_clustering / transitivity
    np.testing.assert_array_equal(graph.triangles().to_numpy(), as_series(nx.triangles(U), graph))
    np.testing.assert_allclose(graph.clustering().to_numpy(), as_series(nx.clustering(U), graph), rtol=1e-15)
    assert graph.average_clustering() == pytest.approx(nx.average_clustering(U), rel=1e-14)
    assert graph.transitivity() == pytest.approx(nx.transitivity(U), rel=1e-14)
    # python-igraph 0.10.2: list_triangles, transitivity_local_undirected(mode="zero")
    h = to_igraph(U)
    counts = np.bincount(np.asarray(h.list_triangles(), dtype=np.int64).ravel(), minlength=h.vcount())
    np.testing.assert_array_equal(graph.triangles().to_numpy(), counts)
    np.testing.assert_allclose(graph.clustering().to_numpy(), h.transitivity_local_undirected(mode="zero"), rtol=1e-12)
    assert graph.transitivity() == pytest.approx(h.transitivity_undirected(), rel=1e-12)


# ------------------------------------------------------------------------- label propagation
def test_label_propagation_is_a_fixed_point_and_deterministic(graph, restore_threads):
    bq.set_num_threads(1)
    labels = graph.label_propagation(seed=3)
    bq.set_num_threads(2)
    pd.testing.assert_series_equal(labels, graph.label_propagation(seed=3))
    # asyn_lpa's stopping rule: every account holds a most frequent label of its counterparties
    U = simple_undirected(graph)
    for v in U:
        neighbours = [labels[u] for u in U[v]]
        if neighbours:
            counts = pd.Series(neighbours).value_counts()
            assert counts.get(labels[v], 0) == counts.max(), v
    assert (labels.index == graph.node_ids).all() and labels.min() == 0


def test_label_propagation_finds_what_networkx_and_igraph_find_on_clear_communities():
    # five 6-cliques of accounts, each clique joined to the next by one transfer
    rows = [(f"{c}-{i}", f"{c}-{j}") for c in range(5) for i, j in itertools.combinations(range(6), 2)]
    rows += [(f"{c}-0", f"{c + 1}-5") for c in range(4)]
    g = G.from_edges([r[0] for r in rows], [r[1] for r in rows])
    U = simple_undirected(g)
    ours = {frozenset(group.index) for _, group in g.label_propagation(seed=0).groupby(g.label_propagation(seed=0))}
    theirs = {frozenset(c) for c in nx.algorithms.community.asyn_lpa_communities(U, seed=0)}
    cliques = {frozenset(f"{c}-{i}" for i in range(6)) for c in range(5)}
    assert ours == cliques
    assert theirs == cliques  # networkx 2.8.8 asyn_lpa_communities
    h = to_igraph(U)
    random.seed(0)  # igraph draws from Python's random module
    names = list(U.nodes())
    igraph_groups = {frozenset(names[i] for i in c) for c in h.community_label_propagation()}
    assert igraph_groups == cliques  # python-igraph 0.10.2 community_label_propagation


# ------------------------------------------------------------------------------- ego network
@pytest.mark.parametrize("direction,radius", [("both", 1), ("out", 2), ("in", 2), ("both", 0)])
def test_ego_network_equals_networkx_ego_graph(bank_graph, direction, radius):
    M = bank_graph.to_networkx()  # MultiDiGraph, edge keys = edge ids
    centre = bank_graph.aggregated().groupby("src")["dst"].nunique().idxmax()
    view = {"both": M, "out": M, "in": M.reverse(copy=False)}[direction]
    want = nx.ego_graph(view, centre, radius=radius, undirected=direction == "both")
    ego = bank_graph.ego_network(centre, radius=radius, direction=direction)
    assert set(ego.node_ids) == set(want.nodes())
    # networkx's ego_graph is the induced subgraph: every transfer among its accounts
    want_edges = sorted(k for _, _, k in M.subgraph(want.nodes()).edges(keys=True))
    frame = ego.edges()
    assert frame["original_edge"].tolist() == want_edges
    original = bank_graph.edges(want_edges)
    for column in ["src", "dst", "amount", "timestamp", "channel"]:
        assert frame[column].tolist() == original[column].tolist()


def test_ego_network_in_a_time_window(bank_graph, bank):
    centre = bank["dst"].value_counts().index[0]
    start, end = pd.Timestamp("2024-03-10"), pd.Timestamp("2024-03-13")
    ego = bank_graph.ego_network(centre, radius=2, start=start, end=end)
    same = bank_graph.ego_network(centre, radius=2, start=start, window="3D")
    assert ego.edges()["original_edge"].tolist() == same.edges()["original_edge"].tolist()
    # networkx on the transfers in the window
    window = bank[(bank["timestamp"] >= start) & (bank["timestamp"] <= end)]
    M = nx.MultiDiGraph()
    M.add_edges_from((s, d, k) for k, s, d in zip(window.index, window["src"], window["dst"]))
    want = nx.ego_graph(M, centre, radius=2, undirected=True)
    assert set(ego.node_ids) == set(want.nodes())
    assert sorted(ego.edges()["original_edge"]) == sorted(k for _, _, k in M.subgraph(want.nodes()).edges(keys=True))
    assert ego.edges()["timestamp"].between(start, end).all()


def test_ego_network_reaches_hubs_without_walking_through_them(bank_graph):
    """Reference: networkx's ego_graph on the graph whose hubs have lost every transfer except
    those to accounts reached without passing through a hub (a BFS that does not expand hubs)."""
    M = nx.Graph(bank_graph.to_networkx().to_undirected())
    degree = bank_graph.out_degree() + bank_graph.in_degree()
    limit = int(degree.quantile(0.95))
    hubs = set(degree.index[degree > limit])
    centre = next(v for v in bank_graph.aggregated()["src"] if v not in hubs)
    reached, frontier = {centre: 0}, [centre]
    while frontier:
        v = frontier.pop(0)
        if reached[v] == 2 or (v != centre and v in hubs):
            continue
        for w in M.neighbors(v):
            if w not in reached:
                reached[w] = reached[v] + 1
                frontier.append(w)
    ego = bank_graph.ego_network(centre, radius=2, max_degree=limit)
    assert set(ego.node_ids) == set(reached)
    assert len(ego.node_ids) < len(bank_graph.ego_network(centre, radius=2).node_ids)  # the hubs did matter
    named = bank_graph.ego_network(centre, radius=2, stop_at=sorted(hubs - {centre}))
    assert set(named.node_ids) == set(reached)
    frame = ego.edges()  # the induced subgraph: every transfer among the accounts kept
    assert frame["src"].isin(reached).all() and frame["dst"].isin(reached).all()
    with pytest.raises(bq.InvalidArgumentError, match="argument 'stop_at'"):
        bank_graph.ego_network(centre, stop_at=["no such account"])
    with pytest.raises(bq.InvalidArgumentError, match="argument 'max_degree'"):
        bank_graph.ego_network(centre, max_degree=0)


# ---------------------------------------------------------------------------------- subgraph
def test_subgraph_by_nodes_edges_and_time(bank_graph, bank):
    accounts = sorted(bank["src"].unique())[:40]
    sub = bank_graph.subgraph(nodes=accounts)
    assert sub.node_ids.tolist() == accounts
    inside = bank[bank["src"].isin(accounts) & bank["dst"].isin(accounts)]
    assert sub.edges()["original_edge"].tolist() == inside.index.tolist()
    assert sub.edges()["amount"].tolist() == inside["amount"].tolist()
    by_edges = bank_graph.subgraph(edges=[5, 3, 3, 900])
    assert by_edges.edges()["original_edge"].tolist() == [3, 5, 900]
    start = pd.Timestamp("2024-03-20")
    late = bank_graph.subgraph(start=start)
    assert late.n_edges == (bank["timestamp"] >= start).sum()
    assert late.edges()["timestamp"].min() >= start
    nested = late.subgraph(edges=[0, 1])  # original edge ids survive nesting
    assert nested.edges()["original_edge"].tolist() == late.edges()["original_edge"].iloc[:2].tolist()


# -------------------------------------------------------------------------------- money path
def brute_force_arrival(edges, source, start=None, max_hops=None, strict=False, min_amount=0.0):
    """Every time-respecting walk from source (no transfer twice): earliest arrival per account and
    the fewest transfers among the earliest."""
    best = {}
    out = {}
    for k, r in enumerate(edges):
        out.setdefault(r[0], []).append((k, r))

    def walk(v, now, depth, used, first):
        if max_hops is not None and depth == max_hops:
            return
        for k, (s, d, a, t) in out.get(v, []):
            if k in used or a < min_amount or (t <= now if strict and not first else t < now):
                continue
            if d not in best or (t, depth + 1) < best[d]:
                best[d] = (t, depth + 1)
            walk(d, t, depth + 1, used | {k}, False)

    walk(source, -10**18 if start is None else start, 0, frozenset(), True)
    return best


@pytest.mark.parametrize("seed", range(40))
def test_money_path_equals_exhaustive_search(seed):
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 7)), int(rng.integers(1, 11))
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    amount, time = rng.integers(0, 4, m).astype(float), rng.integers(0, 6, m)
    g = G.from_edges(src, dst, amount, time)
    kwargs = dict(strictly_increasing=bool(seed % 2), max_hops=[None, 1, 2, 3][seed % 4],
                  min_amount=float(seed % 3), start=None if seed % 3 else int(rng.integers(0, 4)))
    edges = list(zip(src.tolist(), dst.tolist(), amount.tolist(), time.tolist()))
    for source in g.node_ids:
        best = brute_force_arrival(edges, source, kwargs["start"], kwargs["max_hops"], kwargs["strictly_increasing"],
                                   kwargs["min_amount"])
        arrival = g.earliest_arrival(source, **kwargs)
        for target in g.node_ids:
            if target == source:
                continue
            path = g.money_path(source, target, **kwargs)
            assert path.attrs["found"] == (target in best)
            assert arrival.loc[target, "hops"] == (best[target][1] if target in best else -1)
            if target not in best:
                assert path.empty and path.attrs["message"].startswith("no time-respecting path")
                assert pd.isna(arrival.loc[target, "arrival"])
                continue
            assert (path["timestamp"].iloc[-1], len(path)) == best[target]
            assert arrival.loc[target, "arrival"] == best[target][0]
            assert path["src"].iloc[0] == source and path["dst"].iloc[-1] == target
            assert (path["src"].iloc[1:].to_numpy() == path["dst"].iloc[:-1].to_numpy()).all()


def test_money_path_on_the_bank_is_the_earliest_arrival(bank_graph, bank):
    # reference: label correcting over all transfers until nothing improves (no hop limit)
    start = pd.Timestamp("2024-03-11")
    source = bank.loc[bank["timestamp"] >= start, "src"].value_counts().index[0]
    arrival = {source: start}
    ordered = bank.sort_values("timestamp")
    ordered = ordered[ordered["timestamp"] >= start]
    changed = True
    while changed:
        changed = False
        for s, d, t in zip(ordered["src"], ordered["dst"], ordered["timestamp"]):
            if s in arrival and t >= arrival[s] and (d not in arrival or t < arrival[d]) and d != source:
                arrival[d] = t
                changed = True
    ours = bank_graph.earliest_arrival(source, start=start)
    reached = ours["hops"] >= 0
    assert set(ours.index[reached]) == set(arrival)
    for target in list(arrival)[1:30]:
        assert ours.loc[target, "arrival"] == arrival[target]
        path = bank_graph.money_path(source, target, start=start)
        assert path["timestamp"].iloc[-1] == arrival[target]
        assert path["timestamp"].is_monotonic_increasing and path["timestamp"].iloc[0] >= start
        assert path["src"].iloc[0] == source and path["dst"].iloc[-1] == target


def test_money_path_datetimes_and_errors(bank_graph):
    a, b = bank_graph.node_ids[:2]
    frame = bank_graph.money_path(a, b, start="2024-03-05", max_hops=4)
    assert list(frame.columns[:6]) == ["hop", "edge", "src", "dst", "amount", "timestamp"]
    if frame.attrs["found"]:  # the arrival as a datetime
        assert frame.attrs["message"] == f"arrives at {frame['timestamp'].iloc[-1]} after {len(frame)} transfer" \
            + ("s" if len(frame) > 1 else "")
    for call, name in [(lambda: bank_graph.money_path("nobody", b), "source"),
                       (lambda: bank_graph.money_path(a, "nobody"), "target"),
                       (lambda: bank_graph.money_path(a, b, start=5), "start"),
                       (lambda: bank_graph.money_path(a, b, max_hops=0), "max_hops"),
                       (lambda: bank_graph.money_path(a, b, min_amount=-1), "min_amount"),
                       (lambda: bank_graph.money_path(a, b, start="2024-03-09", end="2024-03-08"), "end"),
                       (lambda: bank_graph.ego_network(a, radius=-1), "radius"),
                       (lambda: bank_graph.ego_network(a, direction="sideways"), "direction"),
                       (lambda: bank_graph.ego_network([a, b]), "node"),
                       (lambda: bank_graph.subgraph(edges=[10**9]), "edges"),
                       (lambda: bank_graph.subgraph(nodes=["nobody"]), "nodes")]:
        with pytest.raises(bq.InvalidArgumentError, match=f"'{name}'"):
            call()
