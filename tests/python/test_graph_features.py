"""Cycle counts and per-transfer features (issue 15), checked on data the library did not generate
(tests/python/independent_transfers.py) against the listed cycles and a plain pandas computation."""
import warnings

import numpy as np
import pandas as pd
import pytest

import bankquant as bq
import independent_transfers

G = bq.graph.TransactionGraph


@pytest.fixture(scope="module")
def realistic():
    edges, _ = independent_transfers.transfers(n_people=1_500, days=28, n_patterns=6, seed=4)
    return edges.reset_index(drop=True)


def listed_sums(graph, cycles):
    """Per edge, per closing edge and per node, the sums over the listed cycles."""
    through = np.zeros(graph.n_edges, dtype=np.int64)
    closing = np.zeros(graph.n_edges, dtype=np.int64)
    for e in cycles.edge_ids:
        np.add.at(through, e, 1)
        closing[e[-1]] += 1
    return through, closing, cycles.participation()


@pytest.mark.parametrize("bounds", [dict(max_length=6, window="3D"),
                                    dict(max_length=5, window="2D", min_length=3, min_returned_share=0.5),
                                    dict(max_length=4, window="7D", amount_tolerance=0.2)], ids=repr)
def test_counts_are_the_sums_over_the_listed_cycles(realistic, bounds):
    g = G.from_edges(realistic)
    cycles = g.temporal_cycles(**bounds)
    counts = g.cycle_counts(**bounds)
    assert not counts.truncated and not cycles.truncated
    assert counts.total == cycles.count > 0
    through, closing, nodes = listed_sums(g, cycles)
    np.testing.assert_array_equal(counts.edges.to_numpy(), through)
    np.testing.assert_array_equal(counts.closing.to_numpy(), closing)
    np.testing.assert_array_equal(counts.nodes.to_numpy(), nodes)
    assert counts.nodes.index.equals(pd.Index(g.node_ids, name="node"))
    assert counts.edges.index.equals(pd.RangeIndex(g.n_edges, name="edge"))


def test_counts_without_hubs_and_node_features_use_them(realistic):
    g = G.from_edges(realistic)
    hubs = g.node_ids[np.argsort(g.in_degree())[-20:]]
    cycles = g.temporal_cycles(6, "3D", exclude=hubs)
    counts = g.cycle_counts(6, "3D", exclude=hubs)
    assert counts.total == cycles.count
    np.testing.assert_array_equal(counts.nodes.to_numpy(), cycles.participation())
    features = g.node_features(window="3D", max_cycle_length=6)
    full = g.cycle_counts(6, "3D")
    np.testing.assert_array_equal(features["cycles"].to_numpy(), full.nodes.to_numpy())
    assert features.attrs["truncated"] is False


def brute_force_cycles(src, dst, time, max_length, window):
    """Every time-respecting cycle as a tuple of edge ids, by trying every sequence of transfers."""
    found = []

    def extend(path):
        first, last = path[0], path[-1]
        if dst[last] == src[first]:
            found.append(tuple(path))
            return
        if len(path) == max_length:
            return
        on_path = {src[p] for p in path} | {dst[last]}
        for e in range(len(src)):
            if src[e] == dst[last] and time[last] < time[e] <= time[first] + window and \
                    (dst[e] == src[first] or dst[e] not in on_path):
                extend(path + [e])

    for e in range(len(src)):
        extend([e])
    return found


def test_counts_by_brute_force_on_tiny_graphs():
    rng = np.random.default_rng(8)
    for _ in range(5):
        src, dst, time = rng.integers(0, 5, 30), rng.integers(0, 5, 30), rng.integers(0, 20, 30)
        g = G.from_edges(src, dst, np.ones(30), time)
        counts = g.cycle_counts(4, window=8)
        found = brute_force_cycles(src.tolist(), dst.tolist(), time.tolist(), 4, 8)
        expected = np.zeros(30, dtype=np.int64)
        for c in found:
            expected[list(c)] += 1
        assert counts.total == len(found)
        np.testing.assert_array_equal(counts.edges.to_numpy(), expected)


# ------------------------------------------------------------------------------- edge features
def pandas_features(edges: pd.DataFrame, rows, window: pd.Timedelta) -> pd.DataFrame:
    """The documented features of the given rows, computed with pandas the plain way."""
    t = edges["timestamp"]
    out = {}
    for e in rows:
        before = ((t < t[e]) | ((t == t[e]) & (edges.index < e))) & (t >= t[e] - window)
        sent = edges[before & (edges["src"] == edges.at[e, "src"])]
        received = edges[before & (edges["dst"] == edges.at[e, "dst"])]
        first_paid = sent.groupby("dst")["timestamp"].min()
        between = {x for x, when in zip(received["src"], received["timestamp"])
                   if x in first_paid.index and first_paid[x] < when and x not in (edges.at[e, "src"], edges.at[e, "dst"])}
        row = {"src_out_degree": len(sent), "src_fan_out": sent["dst"].nunique(), "dst_in_degree": len(received),
               "dst_fan_in": received["src"].nunique(), "scatter_gather": len(between)}
        for side, frame in (("src", sent), ("dst", received)):
            a = frame["amount"]
            row.update({f"{side}_amount_mean": a.mean(), f"{side}_amount_median": a.median(),
                        f"{side}_amount_var": a.var(), f"{side}_amount_skew": a.skew(), f"{side}_amount_kurt": a.kurt()})
        row["amount_to_src_median"] = edges.at[e, "amount"] / sent["amount"].median() if len(sent) else np.nan
        out[e] = row
    return pd.DataFrame.from_dict(out, orient="index")


def test_edge_features_match_pandas(realistic):
    g = G.from_edges(realistic)
    features = g.edge_features(windows=("1D", "7D"), cycle_windows=("3D",), max_cycle_length=5)
    assert features.index.equals(pd.Index(np.arange(g.n_edges), name="edge"))
    assert features.attrs["truncated"] is False
    rng = np.random.default_rng(0)
    busy = np.flatnonzero(realistic["dst"].map(realistic["dst"].value_counts()) > 40)[:20]
    rows = np.concatenate([rng.choice(len(realistic), 120, replace=False), busy])
    for label in ("1D", "7D"):
        expected = pandas_features(realistic, rows, pd.Timedelta(label))
        got = features.loc[rows, [f"{c}_{label}" for c in expected.columns]]
        got.columns = expected.columns
        for column in expected.columns:
            np.testing.assert_allclose(got[column].to_numpy(float), expected[column].to_numpy(float), rtol=1e-9,
                                       atol=1e-9, equal_nan=True, err_msg=f"{column}_{label}")
    assert features["src_amount_kurt_7D"].notna().any() and features["scatter_gather_7D"].gt(0).any()
    # cycles each transfer closes: the last transfers of the listed cycles
    cycles = g.temporal_cycles(5, "3D")
    _, closing, _ = listed_sums(g, cycles)
    np.testing.assert_array_equal(features["cycles_closed_3D"].to_numpy(), closing)
    assert closing.sum() > 0


def test_edge_features_for_a_streamed_batch_are_the_batch_rows(realistic):
    cut = int(len(realistic) * 0.85)
    batch = G.from_edges(realistic)
    expected = batch.edge_features(windows=("1D", "7D"), cycle_windows=("2D",))
    g = G.from_edges(realistic.iloc[:cut])
    late = realistic.iloc[cut:]
    g.append_edges(late["src"], late["dst"], late["amount"], late["timestamp"])
    got = g.edge_features(windows=("1D", "7D"), cycle_windows=("2D",), edge_ids=range(cut, len(realistic)))
    pd.testing.assert_frame_equal(got, expected.iloc[cut:], check_exact=True)


def test_edge_features_feed_a_classifier(realistic):
    from sklearn.linear_model import LogisticRegression

    g = G.from_edges(realistic)
    features = g.edge_features(windows=("1D", "7D"), cycle_windows=())
    assert all(pd.api.types.is_numeric_dtype(t) for t in features.dtypes)
    assert not any(c.startswith("cycles") for c in features.columns)
    with np.errstate(invalid="ignore", divide="ignore"):  # skew and kurt may be below -1
        X = np.log1p(features.fillna(0.0).to_numpy())
    X[~np.isfinite(X)] = 0.0
    y = (realistic["pattern"] >= 0).to_numpy()
    keep = np.flatnonzero(y)[:500].tolist() + np.flatnonzero(~y)[:4500].tolist()  # every laundering row is kept
    model = LogisticRegression(max_iter=500).fit(X[keep], y[keep])
    assert model.coef_.shape == (1, features.shape[1])


def test_edge_feature_arguments_are_named():
    g = G.from_edges(["a", "b", "c"], ["b", "c", "a"], [1.0, 2.0, 3.0], [1, 2, 3])
    for call, name in [(lambda: g.edge_features(windows=[]), "windows"),
                       (lambda: g.edge_features(windows=[5, 5]), "windows"),
                       (lambda: g.edge_features(windows=[0]), "windows"),
                       (lambda: g.edge_features(windows=["1D"]), "windows"),
                       (lambda: g.edge_features(windows=[5], cycle_windows=[-1]), "cycle_windows"),
                       (lambda: g.edge_features(windows=[5], edge_ids=[3]), "edge_ids"),
                       (lambda: g.edge_features(windows=[5], max_cycle_length=0), "max_cycle_length"),
                       (lambda: g.edge_features(windows=[5], time_limit=-1), "time_limit"),
                       (lambda: g.cycle_counts(3), "window"),
                       (lambda: g.cycle_counts(3, window=5, max_cycles=-1), "max_cycles"),
                       (lambda: G.from_edges(["a"], ["b"]).cycle_counts(3, window=5), "timestamp")]:
        with pytest.raises(bq.InvalidArgumentError, match=f"argument[s]? '{name}'"):
            call()


# ---------------------------------------------------------------------------------- truncation
def dense_graph():
    """About 29,000 cycles of up to 9 transfers within 100 time units (about a second to count)."""
    rng = np.random.default_rng(1)
    return G.from_edges(rng.integers(0, 300, 20_000), rng.integers(0, 300, 20_000), np.ones(20_000),
                        rng.integers(0, 1000, 20_000))


def batch():
    rng = np.random.default_rng(2)
    return rng.integers(0, 300, 300), rng.integers(0, 300, 300), np.ones(300), rng.integers(400, 600, 300)


def test_no_cap_is_hard_coded():
    graph = bq._core.graph
    for options in (graph.CycleOptions(), graph.StreamingOptions(), graph.NodeFeatureOptions(),
                    graph.ScreeningOptions()):
        assert options.max_cycles == 0 and options.time_limit == 0
    assert graph.EdgeFeatureOptions().time_limit == 0


@pytest.mark.parametrize("call", [
    lambda g: g.cycle_counts(9, window=100, max_cycles=50),
    lambda g: g.cycle_counts(9, window=100, time_limit=0.01),
    lambda g: g.temporal_cycles(9, window=100, max_cycles=50),
    lambda g: g.temporal_cycles(9, window=100, time_limit=0.01),
    lambda g: g.node_features(window=100, max_cycle_length=9, max_cycles=50),
    lambda g: g.node_features(window=100, max_cycle_length=9, time_limit=0.01),
    lambda g: g.edge_features(windows=[10], cycle_windows=[100], max_cycle_length=9, time_limit=0.01),
    lambda g: g.alerts(window=100, max_cycle_length=9, min_cycle_length=3, max_cycles=50),
    lambda g: g.append_edges(*batch(), window=100, max_cycle_length=9, max_cycles=50),
    lambda g: g.append_edges(*batch(), window=100, max_cycle_length=9, time_limit=0.01),
], ids=["counts-cap", "counts-time", "cycles-cap", "cycles-time", "node-cap", "node-time", "edge-time",
        "alerts-cap", "append-cap", "append-time"])
def test_every_capped_search_warns_and_flags(call):
    g = dense_graph()
    with pytest.warns(bq.ConvergenceWarning, match="max_cycles|time_limit"):
        out = call(g)
    truncated = out.attrs["truncated"] if isinstance(out, pd.DataFrame) else out.truncated
    assert truncated is True or truncated == True  # noqa: E712 (numpy bool)


def test_a_complete_count_does_not_warn():
    g = G.from_edges(["a", "b", "c"], ["b", "c", "a"], [1.0, 1.0, 1.0], [1, 2, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        counts = g.cycle_counts(3, window=5, max_cycles=10, time_limit=60)
    assert counts.total == 1 and not counts.truncated
