"""The graph issue's scale figures: a 10M-edge transaction graph built and mined end to end.

    .venv/bin/python benchmarks/graph_scale.py [--edges 10000000] [--repeats 3]
    .venv/bin/python benchmarks/graph_scale.py --features [--accounts 125000] [--repeats 3]

Prints a Markdown section (run.py appends it to RESULTS.md): the build time and bytes per edge,
each pipeline stage (components, personalised PageRank from seeds, Louvain, time-respecting
cycles of length <= 6 within 7 days, the seven typologies, node features) and the latency of
streaming appends of 10,000 edges. Medians over --repeats runs where a stage is repeated.

--features prints the cycle-count and edge-feature section instead (issue 15): on realistic
transfers from bq.graph.synthetic_transactions (125,000 accounts over 120 days: 2.09M
transfers), cycle counts per edge (length <= 6 within 3 days) beside the listing search, and the
edge features in 1, 7 and 30-day windows with the cycles each transfer closes within 3 days.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import bankquant as bq

DAY = 86_400


def synthetic_arrays(n_nodes: int, n_edges: int, days: int, seed: int):
    """Heavy-tailed transfers (Zipf-like activity), log-normal amounts, times uniform over `days` (seconds)."""
    rng = np.random.default_rng(seed)
    p = 1 / np.arange(1, n_nodes + 1) ** 0.8
    p /= p.sum()
    src = rng.choice(n_nodes, n_edges, p=p).astype(np.int32)
    dst = rng.choice(n_nodes, n_edges, p=rng.permutation(p)).astype(np.int32)
    amount = np.round(rng.lognormal(5, 1.2, n_edges), 2)
    t = np.sort(rng.integers(0, days * DAY, n_edges))
    return src, dst, amount, t


def timed(f, repeats=1):
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def features_section(accounts: int, repeats: int, windows) -> str:
    """Cycle counts and edge features on realistic transfers (issue 15)."""
    began = time.perf_counter()
    data = bq.graph.synthetic_transactions(n_accounts=accounts, days=120, seed=7)
    generate_s = time.perf_counter() - began
    g = bq.graph.TransactionGraph.from_edges(data.edges)
    rows = []
    s, counts = timed(lambda: g.cycle_counts(6, "3D"), repeats)
    rows.append(("cycle counts per edge and node, length <= 6 within 3 days", s, f"median of {repeats}", "< 10 s"))
    s, repayment_free = timed(lambda: g.cycle_counts(6, "3D", min_length=3), repeats)
    rows.append(("the same, min_length = 3 (no repayments)", s, f"median of {repeats}", ""))
    s, listed = timed(lambda: g.temporal_cycles(6, "3D"), 1)
    rows.append(("listing the same cycles (temporal_cycles, no cap)", s, "1 run", ""))
    assert listed.count == counts.total, (listed.count, counts.total)
    # one run each: a row reads its whole window, so a busy merchant's rows cost their window's size
    for w in windows:
        s, _ = timed(lambda: g.edge_features([w], cycle_windows=()), 1)
        rows.append((f"edge features, window {w} (no cycle column)", s, "1 run", ""))
    s, features = timed(lambda: g.edge_features(windows, cycle_windows=("3D",)), 1)
    rows.append((f"edge features, windows {', '.join(windows)} + cycles closed within 3 days", s, "1 run", ""))
    cut = g.n_edges - 10_000
    stream = bq.graph.TransactionGraph.from_edges(data.edges.iloc[:cut])
    late = data.edges.iloc[cut:]
    stream.append_edges(late["src"], late["dst"], late["amount"], late["timestamp"], max_cycle_length=0)
    s, _ = timed(lambda: stream.edge_features(windows, cycle_windows=("3D",), edge_ids=range(cut, g.n_edges)), repeats)
    assert stream.edge_features(windows, cycle_windows=("3D",), edge_ids=range(cut, g.n_edges)).equals(
        features.iloc[cut:])
    rows.append(("edge features of a streamed batch of 10,000 transfers", s, f"median of {repeats}", ""))
    lines = [
        f"### Cycle counts and edge features: {g.n_edges / 1e6:.2f}M transfers, {g.n_nodes:,} accounts, 120 days",
        "",
        f"Written by `benchmarks/graph_scale.py --features`; {bq.get_num_threads()} threads; "
        f"`bq.graph.synthetic_transactions(n_accounts={accounts:,}, days=120)` ({generate_s:.0f} s to generate).",
        "",
        "| stage | seconds | runs | target |",
        "|---|---|---|---|",
        *[f"| {name} | {s:.2f} | {runs} | {target} |" for name, s, runs, target in rows],
        "",
        f"- {counts.total:,} cycles of length <= 6 within 3 days ({repayment_free.total:,} of length >= 3); "
        f"{int((counts.edges > 0).sum()):,} transfers and {int((counts.nodes > 0).sum()):,} accounts lie on one; "
        f"complete (truncated: {counts.truncated}); the listing search found the same {listed.count:,}",
        f"- edge features: {features.shape[1]} columns for {len(features):,} transfers",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--features", action="store_true", help="the cycle-count and edge-feature section")
    parser.add_argument("--accounts", type=int, default=125_000, help="accounts of the --features data")
    parser.add_argument("--feature-windows", nargs="+", default=["1D", "7D", "30D"], help="edge-feature windows")
    args = parser.parse_args()
    if args.features:
        print(features_section(args.accounts, args.repeats, tuple(args.feature_windows)))
        return
    m, n = args.edges, args.nodes
    src, dst, amount, t = synthetic_arrays(n, m, args.days, seed=1)
    core = bq._core.graph
    rows = []

    build_s, cg = timed(lambda: core.TransactionGraph.from_edges(n, src, dst, amount, t), args.repeats)
    rows.append(("build from dense ids (C++ CSR both ways)", build_s, "target < 3 s"))
    bytes_per_edge = cg.memory_bytes() / m
    id_s, g = timed(lambda: bq.graph.TransactionGraph.from_edges(src, dst, amount, t), 1)
    rows.append(("build from arbitrary ids (Python: factorize + C++)", id_s, ""))

    stages = [
        ("weak components", lambda: g.weakly_connected_components()),
        ("strong components", lambda: g.strongly_connected_components()),
        ("personalised PageRank from 100 seeds", lambda: g.pagerank(seeds=list(range(0, 100_000, 1000)),
                                                                   tolerance=1e-10)),
        ("Louvain (modularity)", lambda: g.louvain()),
        # the listing search keeps every cycle: capped here (an option, no longer a default) to bound memory
        ("time-respecting cycles, length <= 6 within 7 days", lambda: g.temporal_cycles(6, window=7 * DAY,
                                                                                        max_cycles=1_000_000)),
        ("typologies (all seven, 7-day windows)", lambda: g.detect_patterns(window=7 * DAY, min_counterparties=8)),
    ]
    pipeline = id_s  # the build a user runs: arbitrary ids mapped, then the C++ graph
    results = {}
    for name, f in stages:
        s, out = timed(f, 1)
        results[name] = out
        pipeline += s
        rows.append((name, s, ""))
    alerts = results["typologies (all seven, 7-day windows)"]
    s, _ = timed(lambda: g.node_features(window=7 * DAY, seeds=list(range(0, 100_000, 1000)), alerts=alerts,
                                         communities=results["Louvain (modularity)"],
                                         cycles=results["time-respecting cycles, length <= 6 within 7 days"]), 1)
    rows.append(("node features (reusing the stages' communities, cycles and alerts)", s, ""))
    pipeline += s
    rows.append(("**whole pipeline**", pipeline, "target < 60 s"))

    # streaming: the last 100,000 edges arrive in batches of 10,000 on top of the first 9.9M
    cut = m - 100_000
    stream = bq.graph.TransactionGraph.from_edges(src[:cut], dst[:cut], amount[:cut], t[:cut])
    latencies, new_alerts = [], 0
    for start in range(cut, m, 10_000):
        sl = slice(start, start + 10_000)
        began = time.perf_counter()
        out = stream.append_edges(src[sl], dst[sl], amount[sl], t[sl], window=7 * DAY, min_counterparties=8)
        latencies.append(time.perf_counter() - began)
        new_alerts += len(out)

    cycles = results["time-respecting cycles, length <= 6 within 7 days"]
    louvain = results["Louvain (modularity)"]
    lines = [
        f"### Graph at scale: {m / 1e6:g}M edges, {n / 1e6:g}M accounts, {args.days} days",
        "",
        f"Written by `benchmarks/graph_scale.py` (run by `make bench`); {bq.get_num_threads()} threads. "
        "Heavy-tailed synthetic transfers (Zipf-like activity, log-normal amounts). Whole-process stage "
        "timings; the build is the median of "
        f"{args.repeats} runs, the other stages single runs.",
        "",
        "| stage | seconds | target |",
        "|---|---|---|",
        *[f"| {name} | {s:.2f} | {target} |" for name, s, target in rows],
        "",
        f"- memory: {bytes_per_edge:.1f} bytes per edge (target < 40)",
        f"- found: {cycles.count:,} cycles, {len(alerts):,} typology alerts, {louvain.n_communities:,} Louvain "
        f"communities (modularity {louvain.modularity:.4f})",
        f"- streaming `append_edges` of 10,000 edges onto {cut / 1e6:.1f}M (into both CSRs, typologies around "
        f"touched accounts, cycles through new edges): median {np.median(latencies) * 1e3:.0f} ms, max "
        f"{np.max(latencies) * 1e3:.0f} ms per batch over {len(latencies)} batches (the first batch also reserves "
        f"room in the edge arrays); {new_alerts:,} new alerts; {stream.memory_bytes() / stream.n_edges:.1f} bytes "
        "per edge after the appends (edge lists grow in place with spare room)",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    pd.set_option("display.width", 200)
    main()
