"""Held-out accuracy of the seasonal window average against snaive and MSTL on the bundled data:
the figures behind its default window (src/forecast/panel.cpp, kSeasonalWindow) and docstring.

    .venv/bin/python benchmarks/accuracy_seasonal_window.py

Call centre: 5-minute calls, the last 12 weeks held out one week (845 intervals) at a time,
seasons [169, 845]. Bikes: hourly rentals, the last 28 days held out a day at a time, seasons
[24, 168]. Accuracy, not speed: about 20 s on one core.
"""
import warnings

import numpy as np
import pandas as pd

import bankquant as bq


def scores(cv, model):
    inside = lambda level: ((cv.y >= cv[f"{model}-lo-{level}"]) & (cv.y <= cv[f"{model}-hi-{level}"])).mean()
    return {"MAE": (cv[model] - cv.y).abs().mean(), "coverage 80%": inside(80), "coverage 95%": inside(95)}


def table(df, h, windows, seasons, seasonal_windows):
    rows = {}
    for w in seasonal_windows:
        cv = bq.forecast.cross_validation(df, h=h, n_windows=windows, models=["seasonal_window_average"],
                                          level=[80, 95], season_length=seasons, window=w)
        rows[f"seasonal_window_average, {w} seasons"] = scores(cv, "seasonal_window_average")
    cv = bq.forecast.cross_validation(df, h=h, n_windows=windows, models=["snaive", "mstl"], level=[80, 95],
                                      season_length=seasons)
    rows["snaive"], rows["mstl"] = scores(cv, "snaive"), scores(cv, "mstl")
    return pd.DataFrame(rows).T.round(3)


if __name__ == "__main__":
    warnings.simplefilter("ignore", bq.ModelWarning)
    calls = bq.datasets.bank_call_centre()
    calls = pd.DataFrame({"unique_id": "calls", "ds": np.arange(len(calls)), "y": calls["calls"].to_numpy()})
    print("call centre, 12 held-out weeks\n", table(calls, 845, 12, [169, 845], [4, 6, 8, 12]), "\n")
    b = bq.datasets.bike_sharing_hourly()
    bikes = pd.DataFrame({"unique_id": "bikes", "ds": b["timestamp"], "y": b["cnt"]})
    print("bikes, 28 held-out days\n", table(bikes, 24, 28, [24, 168], [4, 6, 8]))
