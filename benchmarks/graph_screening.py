"""Screening quality and speed on realistic traffic: the graph issue's done-when figures.

    .venv/bin/python benchmarks/graph_screening.py [--repeats 3] [--large-accounts 150000]

Prints a Markdown section (benchmarks/cases/graph.py appends it to RESULTS.md):

- precision and recall per typology of the ranked list (``TransactionGraph.alerts()``, defaults)
  on the library's generator (``bq.graph.synthetic_transactions``) and on a generator written
  apart from it (``tests/python/independent_transfers.py``: households, fortnightly wages, shops
  by neighbourhood, small-world friends), whose traffic the defaults were not chosen on;
- timings on about 1.8M transfers of the library's generator (salaries, rent, bills, Zipf
  merchants, contacts with repayments, weekday/daytime/month-end rhythms, heavy-tailed amounts):
  ``detect_patterns()`` and ``alerts(budget=200)`` with defaults (medians of --repeats runs) and
  streaming appends of 20,000 transfers with defaults (median of three batches).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import bankquant as bq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "python"))
import independent_transfers  # noqa: E402  (the tests' independent generator)

G = bq.graph.TransactionGraph


def median_time(f, repeats: int):
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), out


def quality_table(scores) -> str:
    scores = scores[scores["patterns"] > 0]
    lines = ["| typology | patterns | alerts | detected | recall | precision |", "|---|---|---|---|---|---|"]
    for typology, r in scores.iterrows():
        lines.append(f"| {typology} | {int(r['patterns'])} | {int(r['alerts'])} | {int(r['detected'])} | {r['recall']:.2f} | "
                     f"{r['precision']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--large-accounts", type=int, default=150_000)
    args = parser.parse_args()
    out = ["### Screening on realistic traffic (defaults)", "",
           f"Written by `benchmarks/graph_screening.py` ({time.strftime('%Y-%m-%d')}; 2 threads). An injected pattern is "
           "detected when an alert of its typology holds at least half of its transfers; an alert is correct when at "
           "least half of its witness transfers are injected (`bq.graph.evaluate`). The ranked list `alerts()` with "
           "every default (3-day windows, hubs from the data, no budget).", ""]

    lib = bq.graph.synthetic_transactions(n_accounts=40_000, days=120, n_patterns=50, seed=21)
    g = G.from_edges(lib.edges)
    seconds, ranked = median_time(lambda: g.alerts(), 1)
    out += [f"**Library generator** (`synthetic_transactions(n_accounts=40_000, days=120, n_patterns=50, seed=21)`: "
            f"{len(lib.edges):,} transfers, {len(lib.truth)} patterns of {lib.truth['typology'].nunique()} typologies): "
            f"{ranked['case'].max() + 1} cases, {len(ranked):,} alerts in {seconds:.2f} s.", "",
            quality_table(bq.graph.evaluate(ranked, lib.truth)), ""]

    edges, truth = independent_transfers.transfers(n_people=8_000, days=70, n_patterns=6, seed=1)
    g = G.from_edges(edges)
    seconds, ranked = median_time(lambda: g.alerts(), 1)
    out += [f"**Independent generator** (`independent_transfers.transfers(n_people=8_000, days=70, n_patterns=6, "
            f"seed=1)`: {len(edges):,} transfers, {len(truth)} patterns): {ranked['case'].max() + 1} cases, "
            f"{len(ranked):,} alerts in {seconds:.2f} s.", "",
            quality_table(bq.graph.evaluate(ranked, truth)), ""]

    big = bq.graph.synthetic_transactions(n_accounts=args.large_accounts, days=90, n_patterns=60, seed=11).edges
    batch, n_batches = 20_000, 3
    head = big.iloc[:len(big) - batch * n_batches]
    g = G.from_edges(head)
    detect_s, detected = median_time(lambda: g.detect_patterns(), args.repeats)
    screen_s, screened = median_time(lambda: g.alerts(budget=200), args.repeats)
    appends, new_alerts = [], 0
    for k in range(n_batches):
        b = big.iloc[len(head) + k * batch:len(head) + (k + 1) * batch]
        start = time.perf_counter()
        new_alerts += len(g.append_edges(b["src"], b["dst"], b["amount"], b["timestamp"]))
        appends.append(time.perf_counter() - start)
    out += [f"**At scale**: `synthetic_transactions(n_accounts={args.large_accounts:,}, days=90, n_patterns=60, "
            f"seed=11)`, {len(head):,} transfers before the appends, {g.n_nodes:,} accounts.", "",
            "| stage (defaults) | seconds | target |", "|---|---|---|",
            f"| `detect_patterns()` ({len(detected):,} alerts) | {detect_s:.2f} | < 5 s |",
            f"| `alerts(budget=200)` (typologies, round trips, ten dense blocks, rings; {screened['case'].max() + 1} "
            f"cases) | {screen_s:.2f} | |",
            f"| `append_edges` of 20,000 transfers (median of {n_batches}; {new_alerts:,} alerts in all) | "
            f"{float(np.median(appends)):.2f} | < 1 s |", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
