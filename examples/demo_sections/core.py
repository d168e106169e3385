"""Demo section: core."""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import bankquant as bq

from .common import markdown_table, median_seconds


def section(out: Path) -> str:
    lines = ["## Core", ""]
    info = bq.config()
    keep = ["bankquant", "build type", "compiler", "SIMD", "threads", "Eigen", "oneTBB", "numpy", "pandas"]
    lines += ["Build:", "", markdown_table(pd.DataFrame({"value": [info[k] for k in keep]}, index=pd.Index(keep, name="item"))), ""]

    # The bundled data
    table = bq.datasets.describe().set_index("loader")[["rows", "columns", "first", "last"]]
    lines += ["### Bundled real data", "", markdown_table(table), ""]

    prices = bq.datasets.dow_jones_30()
    calls = bq.datasets.bank_call_centre()
    bikes = bq.datasets.bike_sharing_hourly()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    (prices / prices.iloc[0])[["IBM", "MSFT", "KO", "JPM", "GE"]].plot(ax=axes[0], logy=True)
    axes[0].set_title("Dow Jones stocks: growth of 1 (log scale)")
    days = calls["timestamp"].dt.day_name()
    for day in ["Monday", "Wednesday", "Friday"]:
        sub = calls[days == day]
        axes[1].plot(sub.groupby(sub["timestamp"].dt.strftime("%H:%M"))["calls"].mean().to_numpy(), label=day)
    axes[1].set_xticks(range(0, 169, 24), [f"{7 + h // 12:02d}:00" for h in range(0, 169, 24)])
    axes[1].set_title("Bank call centre: mean calls per 5 min")
    axes[1].legend()
    bikes.groupby(["workingday", "hr"])["cnt"].mean().unstack(0).rename(
        columns={0: "weekend/holiday", 1: "working day"}).plot(ax=axes[2])
    axes[2].set_title("Bike rentals (branch-flow stand-in): mean per hour")
    fig.tight_layout()
    fig.savefig(out / "core_data.png", dpi=90)
    plt.close(fig)
    lines += ["![bundled data](core_data.png)", ""]

    # Reproducible parallel random numbers
    n = 10_000_000
    with bq.num_threads(1):
        one = bq.random.standard_normal(n, seed=2024, progress=False)
        t_one = median_seconds(lambda: bq.random.standard_normal(n, seed=2024, progress=False))
    t_all = median_seconds(lambda: bq.random.standard_normal(n, seed=2024, progress=False))
    same = np.array_equal(one, bq.random.standard_normal(n, seed=2024, progress=False))
    rng = np.random.default_rng(2024)
    t_numpy = median_seconds(lambda: rng.standard_normal(n))
    lines += [
        "### Reproducible parallel random numbers", "",
        f"{n:,} standard normals with seed 2024 (Philox4x32-10 streams, one per fixed chunk):", "",
        f"- identical on 1 and {bq.get_num_threads()} threads: **{same}**",
        f"- median time: {t_one:.3f} s on 1 thread, {t_all:.3f} s on {bq.get_num_threads()} threads; "
        f"numpy's default_rng (PCG64, ziggurat, 1 thread): {t_numpy:.3f} s",
        "",
    ]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    grid = np.linspace(-4.5, 4.5, 300)
    axes[0].hist(one[:1_000_000], bins=200, density=True, alpha=0.6, label="bankquant")
    axes[0].plot(grid, np.exp(-grid ** 2 / 2) / np.sqrt(2 * np.pi), "k", lw=1, label="N(0,1) density")
    axes[0].legend()
    axes[0].set_title("1,000,000 normals")
    probs = (np.arange(1, 2001) - 0.5) / 2000
    from scipy import stats

    axes[1].plot(stats.norm.ppf(probs), np.quantile(one, probs), ".", ms=2)
    axes[1].plot([-4, 4], [-4, 4], "k", lw=1)
    axes[1].set_title("Q-Q plot against N(0,1)")
    fig.tight_layout()
    fig.savefig(out / "core_random.png", dpi=90)
    plt.close(fig)
    lines += ["![normals](core_random.png)", ""]

    # Shared statistics on real returns
    returns = np.diff(np.log(prices.to_numpy()), axis=0)
    levels = [0.01, 0.05]
    rows = []
    for j, name in enumerate(prices.columns):
        q = bq.stats.quantile(returns[:, j], levels)
        rows.append({"asset": name, "1% quantile": q[0], "5% quantile": q[1],
                     "equals numpy": bool(np.array_equal(q, np.quantile(returns[:, j], levels)))})
    q_table = pd.DataFrame(rows).set_index("asset").sort_values("1% quantile").head(8)
    lines += ["### Daily log-return quantiles (Dow Jones 30, 1991–2000), the 8 widest left tails", "",
              markdown_table(q_table), ""]
    return "\n".join(lines)
