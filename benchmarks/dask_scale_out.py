"""Scale-out on Dask (issue 16): the speed-up from 1 to 2 worker processes on this machine, and how
large a transaction graph one machine holds.

    .venv/bin/python benchmarks/dask_scale_out.py [--repeats 3] [--rows 5000000] [--scenarios 2000000]
                                                  [--series 120] [--graph-edges 2000000]

Each workload runs on a LocalCluster of 1 and one of 2 worker processes (one Dask thread and one
bankquant thread each, loopback TCP), both started beforehand (start-up is not timed) and timed in
turn, median of --repeats runs after a warm-up; and, for reference, the same call in this process
without Dask on one bankquant thread:

- scoring: a scorecard fitted on 50,000 rows of five heavy-tailed (Student-t, 3 df) real-valued
  characteristics scores --rows rows held on the workers in 20 partitions (``bq.dask.score``; the
  mean score is gathered, not the scores);
- binning: ``bq.dask.fit_binner`` on the same rows (pre-bin counts merged), with given cuts and
  with the default ones (the single-machine quantile cuts, found exactly in three more passes);
- Monte Carlo VaR/ES: 30 Dow Jones stocks, multivariate t (4 df), --scenarios scenarios, 99% and
  97.5% (``bq.dask.monte_carlo_var_es``, 8 blocks);
- many series: --series daily branch series (the call centre's 164 days, rescaled) forecast by
  ETS and snaive with 80/95% intervals, 10 days ahead (``bq.dask.forecast``).

Then the graph's memory: the resident set size added by building a TransactionGraph from
--graph-edges transfers with string account ids, and the peak while screening it (``alerts``), in
bytes per edge, and what 24 GiB holds at that rate. Prints a Markdown section for RESULTS.md.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import time

import numpy as np
import pandas as pd

import bankquant as bq

COLUMNS = ["balance", "utilisation", "income", "arrears", "tenure"]


def heavy_frame(n: int, seed: int) -> pd.DataFrame:
    """Five real-valued heavy-tailed characteristics and a default flag that depends on them."""
    rng = np.random.default_rng(seed)
    z = rng.standard_t(3, size=(n, len(COLUMNS)))
    logit = -2.5 + z @ np.array([0.6, -0.4, 0.3, 0.5, -0.2])
    frame = pd.DataFrame(z * np.array([1000.0, 0.2, 5000.0, 3.0, 12.0]), columns=COLUMNS)
    frame["y"] = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    return frame


def median_time(call, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def peak_rss_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def workloads(args):
    import dask
    import dask.dataframe as dd

    card = bq.scorecard.Scorecard().fit(heavy_frame(50_000, 0)[COLUMNS], heavy_frame(50_000, 0)["y"])
    parts = 20
    rows_per_part = args.rows // parts
    meta = heavy_frame(2, 0).iloc[:0]
    ddf = dd.from_delayed([dask.delayed(heavy_frame)(rows_per_part, 100 + p) for p in range(parts)], meta=meta)
    cuts = {c: np.quantile(heavy_frame(200_000, 1)[c], np.linspace(0.05, 0.95, 19)) for c in COLUMNS}
    prices = bq.datasets.dow_jones_30()
    r = np.log(prices).diff().dropna()
    w, cov = np.full(r.shape[1], 1e6 / r.shape[1]), r.cov().to_numpy()
    calls = bq.datasets.bank_call_centre()
    daily = calls.groupby("date", as_index=False)["calls"].sum()
    rng = np.random.default_rng(2)
    long = pd.concat([pd.DataFrame({"unique_id": f"b{k:03d}", "ds": np.arange(len(daily)),  # working days
                                    "y": np.round(daily["calls"] * rng.uniform(0.02, 0.3))})
                      for k in range(args.series)], ignore_index=True)

    def local():
        """The same work in this process without Dask, one bankquant thread (a reference)."""
        with bq.num_threads(1):
            frames = [pd.concat([heavy_frame(rows_per_part, 100 + p) for p in range(parts)], ignore_index=True)]
            out = {"scoring": median_time(lambda: card.score(frames[0]).mean(), args.repeats)}
            frames.clear()
            out["monte_carlo"] = median_time(
                lambda: bq.risk.monte_carlo_var_es(w, cov, [0.99, 0.975], n_scenarios=args.scenarios, dist="t", nu=4),
                args.repeats)
            out["forecast"] = median_time(
                lambda: bq.forecast.forecast(long, models=["ets", "snaive"], h=10, level=[80, 95], season_length=5),
                args.repeats)
        return out

    def calls(client, data):
        """The four workloads on one client, as callables."""
        return {
            "scoring": lambda: client.compute(bq.dask.score(card, data).mean()).result(),
            "binning": lambda: bq.dask.fit_binner(data, "y", prebin_cuts=cuts, client=client),
            "binning_exact": lambda: bq.dask.fit_binner(data, "y", client=client),
            "monte_carlo": lambda: bq.dask.monte_carlo_var_es(w, cov, [0.99, 0.975], n_scenarios=args.scenarios,
                                                              dist="t", nu=4, n_blocks=8, client=client),
            "forecast": lambda: bq.dask.forecast(long, models=["ets", "snaive"], h=10, level=[80, 95],
                                                 season_length=5, n_parts=8, client=client)}

    def run(clients):
        """Each workload on every client in turn, --repeats rounds (so a burst of load elsewhere on the
        machine falls on both cluster sizes alike); medians per client."""
        from distributed import wait

        # the rows live on the workers, as a bank's would
        held = [c.persist(ddf) for c in clients]
        wait(held)
        work = [calls(c, h) for c, h in zip(clients, held)]
        times = [{k: [] for k in work[0]} for _ in clients]
        for key in work[0]:
            for w_ in work:
                w_[key]()  # warm-up: imports and the first pickles on the workers
            for _ in range(args.repeats):
                for t, w_ in zip(times, work):
                    start = time.perf_counter()
                    w_[key]()
                    t[key].append(time.perf_counter() - start)
        return [{k: statistics.median(v) for k, v in t.items()} for t in times]

    return run, local


def cluster_times(run):
    """A 1-worker and a 2-worker LocalCluster side by side (idle workers take no CPU)."""
    from distributed import Client, LocalCluster

    kw = dict(threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    with LocalCluster(n_workers=1, **kw) as c1, LocalCluster(n_workers=2, **kw) as c2, \
            Client(c1) as one, Client(c2) as two:
        for c in (one, two):
            c.run(bq.set_num_threads, 1)
        return run([one, two])


def graph_memory(n_edges: int):
    """Bytes per edge a TransactionGraph of string-id transfers adds to the process, and the peak
    while screening it; the alerts found and the screening time."""
    rng = np.random.default_rng(0)
    n_accounts = max(1000, n_edges // 15)
    p = 1 / np.arange(1, n_accounts + 1) ** 0.8
    p /= p.sum()
    ids = np.array([f"A{i:08d}" for i in range(n_accounts)], dtype=object)
    edges = pd.DataFrame({"src": ids[rng.choice(n_accounts, n_edges, p=p)],
                          "dst": ids[rng.choice(n_accounts, n_edges, p=rng.permutation(p))],
                          "amount": np.round(rng.lognormal(5, 1.2, n_edges), 2),
                          "timestamp": pd.Timestamp("2024-01-01")
                          + pd.to_timedelta(np.sort(rng.integers(0, 90 * 86_400, n_edges)), unit="s")})
    gc.collect()
    before = rss_bytes()
    g = bq.graph.TransactionGraph.from_edges(edges)
    gc.collect()
    built = rss_bytes() - before
    reset_peak()
    start = time.perf_counter()
    alerts = g.alerts(budget=100)
    screening = time.perf_counter() - start
    peak = peak_rss_bytes() - before
    return max(built, 1) / n_edges, max(peak, 1) / n_edges, len(alerts), screening


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--scenarios", type=int, default=2_000_000)
    parser.add_argument("--series", type=int, default=120)
    parser.add_argument("--graph-edges", type=int, default=2_000_000)
    args = parser.parse_args()
    bq.set_num_threads(1)
    run, local = workloads(args)
    load_before = os.getloadavg()[0]
    reference = local()
    one, two = cluster_times(run)
    load_after = os.getloadavg()[0]
    names = {"scoring": f"score {args.rows:,} rows x 5 heavy-tailed columns (20 partitions)",
             "binning": "fit_binner on the same rows (5 columns, 20 given pre-bins each)",
             "binning_exact": "fit_binner, default pre-bins (Binner.fit's quantile cuts, found exactly: 3 more passes)",
             "monte_carlo": f"Monte Carlo VaR/ES, 30 assets, t(4), {args.scenarios:,} scenarios (8 blocks)",
             "forecast": f"forecast {args.series} daily series x 164 days, ETS + snaive, h = 10 (8 parts)"}
    lines = ["### Scale-out on Dask: 1 and 2 worker processes", "",
             f"Written by `benchmarks/dask_scale_out.py --repeats {args.repeats}`; a LocalCluster of worker processes on "
             "this 2-core machine (one Dask thread and one bankquant thread per worker, loopback TCP), median of "
             f"{args.repeats} runs after a warm-up, the two clusters side by side and timed in turn, cluster start-up not "
             "timed; the one-process column is the same call without Dask on "
             "one bankquant thread. The results equal the one-machine calls (tests/python/test_dask.py). Load "
             f"average (1 min) {load_before:.1f} before and {load_after:.1f} after: the 2 cores are shared with other "
             "work, so ratios above 1 need both cores free.", "",
             "| workload | one process, no Dask (s) | 1 worker (s) | 2 workers (s) | speed-up 1 -> 2 |",
             "|---|---|---|---|---|"]
    for key, label in names.items():
        ref = f"{reference[key]:.2f}" if key in reference else "-"
        lines.append(f"| {label} | {ref} | {one[key]:.2f} | {two[key]:.2f} | {one[key] / two[key]:.2f}x |")
    built, peak, n_alerts, screening = graph_memory(args.graph_edges)
    gib = 24 * 2 ** 30
    lines += ["", f"Graph memory on one machine ({args.graph_edges:,} transfers, string account ids, 90 days): "
                  f"building the TransactionGraph adds {built:.0f} bytes per edge to the process, and screening it "
                  f"(`alerts(budget=100)`, {n_alerts} cases, {screening:.1f} s) peaks at {peak:.0f} bytes per edge "
                  f"above the frame: 24 GiB holds about {gib / built / 1e6:,.0f}M transfers as a graph and screens "
                  f"about {gib / peak / 1e6:,.0f}M (the input frame itself is extra)."]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
