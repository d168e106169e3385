"""Demo section: forecast."""
from __future__ import annotations

import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import bankquant as bq

from .common import markdown_table


def section(out: Path) -> str:
    """The call centre's last week held out (5-minute intervals) and bike rentals next week."""
    calls = bq.datasets.bank_call_centre()
    df = pd.DataFrame({"unique_id": "calls", "ds": np.arange(len(calls)), "y": calls["calls"]})
    train, test = df.iloc[:-845], df.iloc[-845:]
    start = time.perf_counter()
    held = bq.forecast.forecast(train, models=["snaive", "mstl"], h=845, level=[95], season_length=[169, 845])
    seconds = time.perf_counter() - start
    scores = pd.DataFrame({m: {"MASE": bq.forecast.mase(test.y, held[m], train.y, season_length=169),
                               "coverage 95%": bq.forecast.coverage(test.y, held[f"{m}-lo-95"], held[f"{m}-hi-95"])}
                           for m in ["snaive", "mstl"]}).T
    b = bq.datasets.bike_sharing_hourly()
    bikes = pd.DataFrame({"unique_id": "bikes", "ds": b["timestamp"], "y": b["cnt"]})
    history = bikes[bikes.ds >= bikes.ds.max() - pd.Timedelta(weeks=12)]
    nxt = bq.forecast.forecast(history, models=["mstl"], h=168, level=[80, 95], season_length=[24, 168])
    fig, ax = plt.subplots(figsize=(10, 3))
    ax.plot(history.ds.tail(168), history.y.tail(168), "k", lw=1, label="last week")
    ax.fill_between(nxt.ds, nxt["mstl-lo-95"], nxt["mstl-hi-95"], alpha=0.3, label="95% (whole customers)")
    ax.plot(nxt.ds, nxt["mstl"], lw=1, label="MSTL + ETS")
    ax.legend(fontsize=8)
    fig.savefig(out / "forecast_next_week.png", dpi=85, bbox_inches="tight")
    plt.close(fig)
    return "\n".join([
        "## Customer-flow forecasting (bank call centre, bike rentals)", "",
        f"Last week of the call centre held out (845 five-minute intervals, {len(train):,} in training): seasonal "
        f"naive and MSTL(169, 845) + ETS, both in {seconds:.1f} s.", "",
        markdown_table(scores.round(3)), "",
        "Bike rentals, next 168 hours with negative-binomial intervals (whole customers):", "",
        "![next week](forecast_next_week.png)"])
