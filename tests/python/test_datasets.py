"""The bundled data sets load as documented (values checked against the published descriptions)."""
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import bankquant as bq


def test_german_credit():
    df = bq.datasets.german_credit()
    assert df.shape == (1000, 21)
    assert df["creditability"].value_counts().to_dict() == {"good": 700, "bad": 300}
    assert df["credit_amount"].between(250, 18424).all()  # UCI: amounts range 250 to 18424 DM


def test_bank_call_centre():
    df = bq.datasets.bank_call_centre()
    assert df.shape == (164 * 169, 4)
    assert df["timestamp"].iloc[0] == pd.Timestamp("2003-03-03 07:00")
    assert df["timestamp"].iloc[-1] == pd.Timestamp("2003-10-24 21:00")  # start of the 21:00-21:05 interval
    assert df.groupby("date").size().eq(169).all()
    assert (df["timestamp"].dt.dayofweek < 5).all()
    assert df["timestamp"].is_monotonic_increasing


def test_bike_sharing():
    df = bq.datasets.bike_sharing_hourly()
    assert df.shape == (17379, 18)
    assert (df["cnt"] == df["casual"] + df["registered"]).all()
    assert df["timestamp"].iloc[0] == pd.Timestamp("2011-01-01 00:00")
    assert df["timestamp"].iloc[-1] == pd.Timestamp("2012-12-31 23:00")


def test_dow_jones():
    df = bq.datasets.dow_jones_30()
    assert df.shape == (2529, 30)
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index[0] == pd.Timestamp("1990-12-31") and df.index[-1] == pd.Timestamp("2001-01-02")
    assert (df > 0).all().all()


def test_eu_stock_markets():
    df = bq.datasets.eu_stock_markets()
    assert list(df.columns) == ["DAX", "SMI", "CAC", "FTSE"]  # R's time column t is the index
    assert df.index.name == "t" and df.index[0] == pytest.approx(1991 + 129 / 260)  # R: start(EuStockMarkets)
    assert df.index.is_monotonic_increasing and np.diff(df.index.to_numpy()) == pytest.approx(1 / 260)
    assert len(df) == 1860
    assert df["DAX"].iloc[0] == 1628.75  # R datasets::EuStockMarkets, first DAX close


def test_provenance_is_shipped_and_describe_lists_all():
    readme = resources.files("bankquant.datasets").joinpath("data", "README.md").read_text()
    for name in ["german_credit.csv", "CC BY 4.0", "Weinberg", "fBasics", "EuStockMarkets"]:
        assert name in readme
    table = bq.datasets.describe()
    assert len(table) == 5 and table["rows"].sum() == 1000 + 27716 + 17379 + 2529 + 1860
