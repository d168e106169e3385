"""Stress tests: worst windows against a brute-force search, historical replay, shocks, reverse stress."""
import math

import numpy as np
import pandas as pd
import pytest

import bankquant as bq


@pytest.fixture(scope="module")
def book():
    prices = bq.datasets.dow_jones_30()
    R = prices.pct_change().dropna()[["IBM", "KO", "JPM", "GE"]]
    w = pd.Series([1e6, 2e6, -0.5e6, 1.5e6], index=R.columns)
    return w, R


def test_worst_windows(book):
    w, R = book
    out = bq.risk.worst_windows(w, R, window=10, n=3)
    # the book held through each window (each factor compounded), by brute force
    held = np.array([((1 + R.iloc[i:i + 10]).prod() - 1).to_numpy() @ w.to_numpy() for i in range(len(R) - 9)])
    assert out["pnl"].iloc[0] == pytest.approx(held.min(), rel=1e-12)
    # the worst window is the historical replay of its dates (summing daily P&L overstated it)
    replay = bq.risk.historical_scenario(w, R, out["start"].iloc[0], out["end"].iloc[0])
    assert out["pnl"].iloc[0] == pytest.approx(replay.attrs["pnl"], rel=1e-12)
    assert (np.diff(out["pnl"]) >= 0).all()
    starts = [R.index.get_loc(s) for s in out["start"]]
    assert all(abs(a - b) >= 10 for i, a in enumerate(starts) for b in starts[i + 1:])  # non-overlapping
    assert out["pnl"].iloc[0] < 0


def test_historical_scenario_replays_the_period(book):
    w, R = book
    s = bq.risk.historical_scenario(w, R, "1998-08-01", "1998-09-30")
    period = R.loc["1998-08-01":"1998-09-30"]
    np.testing.assert_allclose(s["factor_move"], (1 + period).prod() - 1, rtol=1e-12)
    assert s.attrs["pnl"] == pytest.approx(float((w * ((1 + period).prod() - 1)).sum()), rel=1e-12)
    with pytest.raises(bq.InvalidArgumentError, match="no data between"):
        bq.risk.historical_scenario(w, R, "2010-01-01", "2010-02-01")


def test_hypothetical_shocks(book):
    w, _ = book
    out = bq.risk.hypothetical(w, {"equity -30%": {k: -0.30 for k in w.index}, "banks -50%": {"JPM": -0.5}})
    assert out.loc["equity -30%", "pnl"] == pytest.approx(-0.30 * w.sum())
    assert out.loc["banks -50%", "pnl"] == pytest.approx(0.25e6)  # short JPM gains
    with pytest.raises(bq.InvalidArgumentError, match="no position in"):
        bq.risk.hypothetical(w, {"x": {"MSFT": -0.1}})


def test_reverse_stress_is_the_smallest_shock(book):
    w, R = book
    C = R.cov()
    r = bq.risk.reverse_stress(w, C, loss=500_000)
    s = r["shock"].to_numpy()
    assert r["pnl"] == pytest.approx(-500_000, rel=1e-12)
    Cinv = np.linalg.inv(C.to_numpy())
    assert math.sqrt(s @ Cinv @ s) == pytest.approx(r["distance"], rel=1e-10)
    # any other shock with the same loss is farther away (sampled check of the Lagrange solution)
    rng = np.random.default_rng(2)
    wv = w.to_numpy()
    for _ in range(200):
        d = rng.standard_normal(4) * 0.01
        d -= (wv @ d) / (wv @ wv) * wv  # keep the loss unchanged
        other = s + d
        assert math.sqrt(other @ Cinv @ other) >= r["distance"] - 1e-9
    with pytest.raises(bq.InvalidArgumentError, match="argument 'loss'"):
        bq.risk.reverse_stress(w, C, loss=-1)
