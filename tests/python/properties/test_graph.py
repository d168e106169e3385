"""Property tests of the graph module: awkward edge tables and arguments give a valid result or a
bankquant error naming the argument; a refused call leaves the graph as it was."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bankquant as bq

from .support import BAD_SCALARS, FAST, check, covers, integer_forms, scalar_forms

G = bq.graph.TransactionGraph
covers(*(f"graph.{name}" for name in ["TransactionGraph", "CommunityResult", "CycleCounts", "CycleResult", "DenseBlock",
                                        "DenseBlockDetector", "EntityResolution", "resolve_entities",
                                        "synthetic_transactions", "SyntheticTransactions", "evaluate", "plot_alert",
                                        "plot_ego_network"]))

EDGE_ARGUMENTS = ["src", "dst", "amount", "timestamp"]


def id_forms(codes):
    """The forms node ids arrive in: ints, strings, numpy integers, nullable Int64, categoricals."""
    codes = np.asarray(codes, dtype=np.int64)
    return [codes.tolist(), codes, codes.astype(np.int32), [f"acct{c}" for c in codes],
            pd.Series(codes, dtype="Int64"), pd.Series([f"c{c}" for c in codes], dtype="category"),
            np.array([f"n{c}" for c in codes], dtype=object)]


@st.composite
def edge_tables(draw, min_edges=0, max_edges=30):
    """Small random transfer tables: a few accounts (self-loops and parallel transfers included),
    amounts from 0 and subnormal to 1e12, times with ties."""
    m = draw(st.integers(min_edges, max_edges))
    n = draw(st.integers(1, 8))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    scale = draw(st.sampled_from([0.0, 5e-324, 1e-3, 1.0, 1e3, 1e12]))
    amount = np.round(rng.lognormal(0, 2, m) * scale, 2) if scale >= 1e-3 else np.full(m, scale)
    return rng.integers(0, n, m), rng.integers(0, n, m), amount, rng.integers(0, draw(st.sampled_from([1, 50, 10_000])), m)


def assert_valid_graph(g, m):
    assert g.n_edges == m and len(g.node_ids) == g.n_nodes
    assert g.out_degree().sum() == m and g.in_degree().sum() == m


@FAST
@given(edge_tables(), st.sampled_from(range(7)), st.sampled_from(range(4)))
def test_from_edges_every_id_and_time_form(table, id_form, time_form):
    src, dst, amount, time = table
    times = [time, time.astype(np.float64), pd.Series(time, dtype="Int64"),
             pd.to_datetime(time, unit="s").tz_localize("Europe/London")][time_form]
    g = check(lambda: G.from_edges(id_forms(src)[id_form], id_forms(dst)[id_form], amount, times), EDGE_ARGUMENTS)
    if len(src) == 0:  # an empty graph is a graph (a stream starts empty)
        assert g.n_nodes == 0 and g.n_edges == 0 and g.edges().empty
        return
    assert_valid_graph(g, len(src))
    # amounts and timestamps come back as given
    edges = g.edges()
    np.testing.assert_array_equal(edges["amount"].to_numpy(), amount)


BAD_AMOUNTS = [[np.nan, 1.0], [1.0, -2.0], [np.inf, 1.0], ["a", "b"], pd.Series([1.0, None], dtype="Float64"),
               [[1.0], [2.0]], [1.0], np.array([True, False])]
BAD_TIMES = [[1.5, 2.0], [None, 1], ["x", "y"], [[1], [2]], [1], pd.Series([1, pd.NA], dtype="Int64"),
             [pd.Timestamp("2024-01-01", tz="UTC"), pd.Timestamp("2024-01-01")]]
BAD_IDS = [[1, "1"], [None, "a"], [[1, 2], [3, 4]], "ab", None, 5, pd.DataFrame({"a": [1, 2]}),
           pd.Series([1, pd.NA], dtype="Int64"), np.array([[1, 2]])]


@pytest.mark.parametrize("bad", BAD_AMOUNTS, ids=repr)
def test_bad_amounts_are_named(bad):
    assert check(lambda: G.from_edges(["a", "b"], ["b", "a"], bad, [1, 2]), ["amount"]) is None


@pytest.mark.parametrize("bad", BAD_TIMES, ids=repr)
def test_bad_timestamps_are_named(bad):
    assert check(lambda: G.from_edges(["a", "b"], ["b", "a"], [1.0, 2.0], bad), ["timestamp"]) is None


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_bad_ids_are_named(bad):
    assert check(lambda: G.from_edges(bad, ["b", "a"]), ["src", "dst"]) is None
    assert check(lambda: G.from_edges(["b", "a"], bad), ["src", "dst"]) is None


def small_graph():
    return G.from_edges(["a", "b", "c", "a", "d", "a"], ["b", "c", "a", "d", "a", "c"],
                        [100.0, 95.0, 90.0, 10.0, 9.5, 50.0], [0, 60, 120, 200, 260, 300])


WINDOW_FORMS = [10_000, np.int64(10_000), np.int32(500), np.array(10_000), 1e4, "7D", -1, 0, 1.5, "x", None, True,
                np.nan, [10]]


@pytest.mark.parametrize("window", WINDOW_FORMS, ids=repr)
def test_every_windowed_method_takes_or_names_the_window(window):
    g = small_graph()
    calls = [lambda: g.detect_patterns(window=window), lambda: g.alerts(window=window),
             lambda: g.temporal_cycles(3, window=window), lambda: g.node_features(window=window),
             lambda: g.cycle_counts(3, window=window), lambda: g.edge_features(windows=[window], cycle_windows=[window])]
    for call in calls:
        out = check(call, ["window", "windows", "cycle_windows"])
        if out is not None:
            if isinstance(out, pd.DataFrame) and out.index.name == "edge":  # edge features: NaN where undefined
                assert (out.filter(regex="degree|fan|scatter|cycles") >= 0).all().all()
            elif isinstance(out, pd.DataFrame):
                assert not out.select_dtypes("number").isna().any().any()
            elif isinstance(out, bq.graph.CycleCounts):
                assert out.total >= 0
            else:
                assert out.count >= 0


@pytest.mark.parametrize("bad", BAD_SCALARS, ids=repr)
def test_numeric_options_take_or_name_bad_scalars(bad):
    g = small_graph()
    calls = [
        (lambda: g.pagerank(damping=bad), "damping"), (lambda: g.pagerank(tolerance=bad), "tolerance"),
        (lambda: g.pagerank(max_iterations=bad), "max_iterations"), (lambda: g.louvain(resolution=bad), "resolution"),
        (lambda: g.leiden(seed=bad), "seed"), (lambda: g.leiden(randomness=bad), "randomness"),
        (lambda: g.leiden(max_passes=bad), "max_passes"), (lambda: g.temporal_cycles(max_length=bad), "max_length"),
        (lambda: g.temporal_cycles(max_cycles=bad), "max_cycles"),
        (lambda: g.temporal_cycles(time_limit=bad), "time_limit"),
        (lambda: g.dense_blocks(n_blocks=bad), "n_blocks"), (lambda: g.dense_blocks(log_offset=bad), "log_offset"),
        (lambda: g.dense_blocks(min_lift=bad), "min_lift"), (lambda: g.dense_blocks(max_degree=bad), "max_degree"),
        (lambda: g.detect_patterns(window=100, min_counterparties=bad), "min_counterparties"),
        (lambda: g.detect_patterns(window=100, amount_tolerance=bad), "amount_tolerance"),
        (lambda: g.detect_patterns(window=100, min_amount=bad), "min_amount"),
        (lambda: g.alerts(window=100, budget=bad), "budget"),
        (lambda: g.community_alerts(np.zeros(g.n_nodes), min_size=bad), "min_size"),
        (lambda: g.fraud_rings(span=100, resolution=bad), "resolution"), (lambda: g.fraud_rings(span=bad), "span"),
        (lambda: g.fraud_rings(span=100, hub_degree=bad), "hub_degree"),
        (lambda: g.ego_network(g.node_ids[0], max_degree=bad), "max_degree"),
        (lambda: g.modularity(np.zeros(g.n_nodes), resolution=bad), "resolution"),
        (lambda: g.node_features(window=100, max_cycle_length=bad), "max_cycle_length"),
        (lambda: g.node_features(window=100, max_cycles=bad), "max_cycles"),
        (lambda: g.node_features(window=100, time_limit=bad), "time_limit"),
        (lambda: g.cycle_counts(window=100, max_length=bad), "max_length"),
        (lambda: g.cycle_counts(window=100, max_cycles=bad), "max_cycles"),
        (lambda: g.cycle_counts(window=100, time_limit=bad), "time_limit"),
        (lambda: g.cycle_counts(window=100, min_returned_share=bad), "min_returned_share"),
        (lambda: g.edge_features(windows=[100], max_cycle_length=bad), "max_cycle_length"),
        (lambda: g.edge_features(windows=[100], time_limit=bad), "time_limit"),
        (lambda: bq.graph.resolve_entities(pd.DataFrame({"customer": ["a"], "phone": ["1"]}), max_customers=bad),
         "max_customers"),
    ]
    for call, name in calls:
        out = check(call, [name])
        if isinstance(out, np.ndarray):
            assert np.all(np.isfinite(out))


@pytest.mark.parametrize("form", scalar_forms(0.85) + [np.float32(0.5)], ids=repr)
def test_numpy_scalars_are_accepted(form):
    g = small_graph()
    assert g.pagerank(damping=form).sum() == pytest.approx(1.0)
    for n in integer_forms(3):
        assert g.temporal_cycles(max_length=n, window=np.int64(1000)).count >= 1
        assert len(g.alerts(window=1000, budget=n)) <= 3


@pytest.mark.parametrize("labels", [np.zeros(4), [0.0, 1.0, 1.0, 0.0], ["x", "y", "y", "x"],
                                    pd.Series([1, 2, 2, 1], dtype="Int64"), [True, False, True, False]], ids=repr)
def test_community_labels_in_any_form(labels):
    g = small_graph()
    for f in (g.community_alerts, g.community_summary, g.modularity):
        out = check(lambda: f(labels), ["communities", "labels"])
        assert out is not None


@pytest.mark.parametrize("labels", [[0, 1], [np.nan, 0, 0, 0], pd.Series([1, pd.NA, 2, 2], dtype="Int64"), "abcd",
                                    np.zeros((2, 2))], ids=repr)
def test_bad_community_labels_are_named(labels):
    g = small_graph()
    for f in (g.community_alerts, g.community_summary, g.modularity):
        assert check(lambda: f(labels), ["communities", "labels"]) is None


@FAST
@given(edge_tables(1, 20), st.sampled_from([[1.0, np.nan], [-1.0, 2.0], [1.0]]), st.sampled_from([0, 1, 2, 3, 4]))
def test_a_refused_append_changes_nothing(table, bad_amount, what):
    src, dst, amount, time = table
    g = G.from_edges(src, dst, amount, time)
    before = (g.n_edges, g.n_nodes, g.node_ids.tolist())
    bad = [
        lambda: g.append_edges([0, 99], [1, 98], bad_amount, [1, 2], window=100),
        lambda: g.append_edges([0], [1], [1.0], [5], window=100, min_counterparties=1),
        lambda: g.append_edges([0], [1], [1.0], [5], window=100, max_cycle_length=100),
        lambda: g.append_edges([0], ["x"], [1.0], [5], window=100),
        lambda: g.append_edges([0], [1], [1.0], pd.to_datetime([5], unit="s"), window=100),
    ][what]
    assert check(bad, ["amount", "min_counterparties", "max_cycle_length", "src", "dst", "timestamp"]) is None
    assert (g.n_edges, g.n_nodes, g.node_ids.tolist()) == before


@settings(FAST, suppress_health_check=list(FAST.suppress_health_check) + [HealthCheck.data_too_large])
@given(edge_tables(1, 30))
def test_every_method_on_arbitrary_small_graphs(table):
    src, dst, amount, time = table
    g = G.from_edges(src, dst, amount, time)
    n = g.n_nodes
    assert g.pagerank().sum() == pytest.approx(1.0)
    assert g.pagerank(weighted=True).sum() == pytest.approx(1.0)  # amounts may be 0 or subnormal
    assert len(g.weakly_connected_components()) == n and len(g.strongly_connected_components()) == n
    assert len(g.core_numbers()) == n
    communities = g.leiden(objective="cpm", resolution=0.5)
    assert len(communities.labels) == n and communities.sizes.sum() == n
    g.community_summary(communities)
    g.community_alerts(communities)
    cycles = g.temporal_cycles(4, window=5000)
    assert cycles.participation().sum() == sum(len(c) for c in cycles.cycles)
    counts = g.cycle_counts(4, window=5000)  # the sums over the listed cycles
    assert counts.total == cycles.count and not counts.truncated
    np.testing.assert_array_equal(counts.nodes.to_numpy(), cycles.participation())
    assert counts.edges.sum() == counts.nodes.sum() and counts.closing.sum() == counts.total
    features = g.edge_features(windows=[50, 5000], cycle_windows=[5000], max_cycle_length=4)
    assert len(features) == g.n_edges and (features.filter(regex="degree|fan|scatter") >= 0).all().all()
    np.testing.assert_array_equal(features["cycles_closed_5000"].to_numpy(), counts.closing.to_numpy())
    assert (features["src_fan_out_5000"] <= features["src_out_degree_5000"]).all()
    assert (features["src_out_degree_50"] <= features["src_out_degree_5000"]).all()
    cycles.to_frame()
    alerts = g.alerts(window=5000)
    assert (alerts["case"].diff().dropna() >= 0).all()  # ranked case by case, best case first
    assert (alerts.groupby("case", sort=False)["score"].max().diff().dropna() <= 0).all()
    assert np.isfinite(alerts["score"]).all()
    g.detect_patterns(window=5000, typologies=["fan_in", "stack"])
    blocks = g.dense_blocks(min_lift=0)
    g.block_alerts(blocks)
    features = g.node_features(window=5000)
    assert not features.isna().any().any() and len(features) == n
    g.aggregated()
    g.edges([0])


def test_typology_names_are_checked_by_name():
    g = small_graph()
    for bad in ([], ["smurfing"], ["cycle"], "", [1]):
        assert check(lambda: g.detect_patterns(window=100, typologies=bad), ["typologies"]) is None


def test_personalization_and_seeds_are_unambiguous():
    g = G.from_edges([0, 1, 2], [1, 2, 0])
    assert check(lambda: g.pagerank(personalization=[0, 1, 2]), ["personalization"]) is None
    seeded = g.pagerank(seeds=[0])
    weighted = g.pagerank(personalization={0: 1.0})
    np.testing.assert_array_equal(seeded, weighted)
    assert check(lambda: g.pagerank(personalization={0: -1.0}), ["personalization"]) is None
    assert check(lambda: g.pagerank(personalization={0: np.nan}), ["personalization"]) is None
    assert check(lambda: g.pagerank(seeds=[7]), ["seeds"]) is None


def test_entities_detector_synthetic_evaluate_and_plot(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    for bad in [None, [["a"]], pd.DataFrame({"customer": [1, None], "phone": ["1", "1"]})]:
        assert check(lambda: bq.graph.resolve_entities(bad), ["links"]) is None
    records = pd.DataFrame({"customer": ["a", "b"], "phone": ["1", "1"]})
    result = bq.graph.resolve_entities(records)
    assert isinstance(result, bq.graph.EntityResolution) and result.n_entities == 1
    detector = bq.graph.DenseBlockDetector()
    assert check(lambda: detector.add(["a", None], ["b", "c"]), ["payers"]) is None
    assert check(lambda: detector.add(["a"], ["b", "c"]), ["payers", "payees"]) is None
    block = detector.add(np.array(["a", "b"]), pd.Series(["x", "x"]))
    assert isinstance(block, bq.graph.DenseBlock) and detector.n_links == 2
    for bad in [-1, 50, "x", None, 2.5]:
        assert check(lambda: bq.graph.synthetic_transactions(n_accounts=bad), ["n_accounts"]) is None
    data = bq.graph.synthetic_transactions(n_accounts=2000, days=30, n_patterns=1, seed=np.int64(1))
    assert isinstance(data, bq.graph.SyntheticTransactions)
    g = G.from_edges(data.edges)
    assert isinstance(g.temporal_cycles(4, "3D"), bq.graph.CycleResult)
    assert isinstance(g.leiden(), bq.graph.CommunityResult)
    scores = bq.graph.evaluate(g.alerts(), data.truth)
    assert scores["recall"].dropna().between(0, 1).all()  # NaN: no pattern of that typology
    for bad in [None, pd.DataFrame(), 5]:
        assert check(lambda: bq.graph.evaluate(bad, data.truth), ["alerts"]) is None
    assert check(lambda: bq.graph.evaluate(g.alerts(), data.truth, min_overlap=2), ["min_overlap"]) is None
    assert check(lambda: bq.graph.plot_alert(g, []), ["alert"]) is None
    ax = bq.graph.plot_alert(g, g.alerts().iloc[0])
    ax.figure.savefig(tmp_path / "a.png")


# ------------------------------------------------------------------- investigation tools
INVESTIGATION_ARGUMENTS = ["node", "radius", "direction", "start", "end", "window", "nodes", "edges", "source",
                           "target", "max_hops", "min_amount", "strictly_increasing", "directed", "normalized",
                           "samples", "seed", "wf_improved", "weighted", "tolerance", "max_iterations"]


def graph_state(g):
    return g.n_nodes, g.n_edges, g.node_ids.tolist(), g.edges().to_dict("list")


@settings(FAST, suppress_health_check=list(FAST.suppress_health_check) + [HealthCheck.data_too_large])
@given(edge_tables(1, 25), st.integers(0, 3), st.sampled_from(["out", "in", "both"]), st.integers(0, 60))
def test_investigation_tools_on_arbitrary_small_graphs(table, radius, direction, start):
    src, dst, amount, time = table
    g = G.from_edges(src, dst, amount, time, ref=np.arange(len(src)))
    n, before = g.n_nodes, graph_state(g)
    ids = g.node_ids
    for node in ids[:3]:
        ego = g.ego_network(node, radius=radius, direction=direction, start=start)
        assert set(ego.node_ids) <= set(ids) and node in set(ego.node_ids)
        frame = ego.edges()
        assert frame["original_edge"].is_monotonic_increasing and (frame["timestamp"] >= start).all()
        assert (frame["ref"] == frame["original_edge"]).all()  # attributes follow their transfer
    sub = g.subgraph(nodes=ids[: max(1, n // 2)], start=start, end=start + 5000)
    assert sub.n_nodes == max(1, n // 2)
    assert g.subgraph(edges=[0]).n_edges == 1
    for a, b in [(ids[0], ids[-1]), (ids[-1], ids[0])]:
        path = g.money_path(a, b, start=start, max_hops=radius or None, min_amount=amount.min())
        assert path.attrs["found"] == (len(path) > 0 or a == b)
        assert path["timestamp"].is_monotonic_increasing and (path["amount"] >= amount.min()).all()
    arrival = g.earliest_arrival(ids[0], start=start)
    assert len(arrival) == n and arrival["hops"].iloc[0] == 0
    for scores in [g.betweenness(), g.betweenness(directed=False, normalized=False), g.betweenness(samples=1),
                   g.closeness(direction=direction), g.triangles(), g.clustering()]:
        assert len(scores) == n and np.isfinite(scores).all() and (scores >= 0).all()
        assert (scores.index == ids).all()
    assert (g.clustering() <= 1).all() and 0 <= g.transitivity() <= 1 and 0 <= g.average_clustering() <= 1
    eigen = check(lambda: g.eigenvector_centrality(weighted=True), [])  # may warn: power iteration on any graph
    assert np.isfinite(eigen).all() and eigen.to_numpy() @ eigen.to_numpy() == pytest.approx(1.0)
    hits = check(lambda: g.hits(), [])
    assert np.isfinite(hits.to_numpy()).all() and (hits >= 0).all().all()
    labels = g.label_propagation(seed=1)
    assert len(labels) == n and labels.iloc[0] == 0
    assert graph_state(g) == before  # nothing changed the graph


BAD_INVESTIGATION_CALLS = [
    (lambda g: g.ego_network("nobody"), "node"), (lambda g: g.ego_network(["a", "b"]), "node"),
    (lambda g: g.ego_network("a", radius=-1), "radius"), (lambda g: g.ego_network("a", radius=1.5), "radius"),
    (lambda g: g.ego_network("a", direction="up"), "direction"),
    (lambda g: g.ego_network("a", start="2024-01-01"), "start"),
    (lambda g: g.ego_network("a", start=5, end=4), "end"), (lambda g: g.ego_network("a", window=10), "window"),
    (lambda g: g.ego_network("a", start=1, end=9, window=3), "window"),
    (lambda g: g.ego_network("a", window="1D"), "window"),
    (lambda g: g.subgraph(nodes=["zz"]), "nodes"), (lambda g: g.subgraph(edges=[-1]), "edges"),
    (lambda g: g.subgraph(edges=[0.5]), "edges"), (lambda g: g.subgraph(start=np.nan), "start"),
    (lambda g: g.money_path("a", "zz"), "target"), (lambda g: g.money_path(None, "a"), "source"),
    (lambda g: g.money_path("a", "b", max_hops=0), "max_hops"),
    (lambda g: g.money_path("a", "b", min_amount=np.nan), "min_amount"),
    (lambda g: g.money_path("a", "b", strictly_increasing=1), "strictly_increasing"),
    (lambda g: g.earliest_arrival("zz"), "source"), (lambda g: g.earliest_arrival("a", max_hops=-2), "max_hops"),
    (lambda g: g.betweenness(samples=0), "samples"), (lambda g: g.betweenness(seed=-1), "seed"),
    (lambda g: g.betweenness(directed="yes"), "directed"), (lambda g: g.closeness(direction="sideways"), "direction"),
    (lambda g: g.eigenvector_centrality(tolerance=0), "tolerance"),
    (lambda g: g.eigenvector_centrality(max_iterations=0), "max_iterations"),
    (lambda g: g.hits(tolerance=-1.0), "tolerance"), (lambda g: g.hits(max_iterations=2.5), "max_iterations"),
    (lambda g: g.label_propagation(seed=1.5), "seed"), (lambda g: g.label_propagation(weighted=None), "weighted"),
]


@pytest.mark.parametrize("call,name", BAD_INVESTIGATION_CALLS, ids=lambda x: x if isinstance(x, str) else "")
def test_refused_investigation_calls_name_the_argument_and_change_nothing(call, name):
    g = small_graph()
    before = graph_state(g)
    assert check(lambda: call(g), [name]) is None
    assert graph_state(g) == before


@pytest.mark.parametrize("bad", BAD_SCALARS, ids=repr)
def test_investigation_options_take_or_name_bad_scalars(bad):
    g = small_graph()
    calls = [(lambda: g.ego_network("a", radius=bad), "radius"), (lambda: g.betweenness(samples=bad), "samples"),
             (lambda: g.money_path("a", "c", max_hops=bad), "max_hops"),
             (lambda: g.money_path("a", "c", min_amount=bad), "min_amount"),
             (lambda: g.money_path("a", "c", start=bad), "start"),
             (lambda: g.eigenvector_centrality(tolerance=bad), "tolerance"),
             (lambda: g.hits(max_iterations=bad), "max_iterations"), (lambda: g.label_propagation(seed=bad), "seed")]
    for call, name in calls:
        out = check(call, [name])
        if isinstance(out, (pd.Series, pd.DataFrame)):
            assert not out.select_dtypes("number").isna().any().any() if isinstance(out, pd.DataFrame) \
                else np.isfinite(out).all()


def test_plot_ego_network_draws_or_names_the_centre():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    g = small_graph()
    ego = g.ego_network("a", radius=2)
    ax = bq.graph.plot_ego_network(ego, "a", path=g.money_path("a", "c"), max_accounts=2)
    assert ax.get_title().startswith("ego network of a")
    assert check(lambda: bq.graph.plot_ego_network(ego, "zz"), ["centre"]) is None
    plt.close("all")
