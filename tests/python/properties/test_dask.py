"""Property tests of bankquant.dask: every public callable, on Dask's synchronous scheduler (the
cluster tests are in tests/python/test_dask.py). Generated Monte Carlo problems give the
one-machine figures for any number of blocks; awkward inputs give a valid result or bankquant's
own error naming the user's argument (support.check)."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

import bankquant as bq  # noqa: E402

from .support import BAD_SCALARS, BAD_VECTORS, FAST, check, covers  # noqa: E402

covers("dask.score", "dask.fit_binner", "dask.monte_carlo_var_es", "dask.forecast", "dask.solve_rosters",
       "dask.advise_many", "dask.grid_backtest", "dask.map_windows", "dask.map_edge_groups")

FEW = settings(FAST, max_examples=10)


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="sync"):
        yield


@FEW
@given(st.integers(1, 6), st.integers(100, 30_000), st.integers(1, 9), st.sampled_from(["normal", "t"]),
       st.booleans(), st.integers(0, 2**32), st.sampled_from([[0.99], [0.95, 0.999], [0.975, 0.99]]))
def test_monte_carlo_blocks_give_the_one_machine_figures(d, n, blocks, dist, antithetic, seed, levels):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((d, d))
    cov = a @ a.T / d + 0.01 * np.eye(d)
    w = rng.standard_normal(d)
    kw = dict(level=levels, n_scenarios=n, dist=dist, antithetic=antithetic, seed=seed)
    one = check(lambda: bq.risk.monte_carlo_var_es(w, cov, **kw), ["level"])
    many = check(lambda: bq.dask.monte_carlo_var_es(w, cov, **kw, n_blocks=blocks), ["level"])
    assert (one is None) == (many is None)
    if one is not None:
        pd.testing.assert_frame_equal(many.table, one.table, check_exact=True)


@pytest.mark.parametrize("bad", BAD_SCALARS, ids=repr)
def test_monte_carlo_bad_scalars_are_named(bad):
    cov = np.eye(2)
    for name in ("level", "n_scenarios", "seed", "nu", "n_blocks"):
        kw = {"level": 0.99, "n_scenarios": 1000, "dist": "t", name: bad}
        out = check(lambda: bq.dask.monte_carlo_var_es([1.0, 1.0], cov, **kw), [name])
        if out is not None:  # a value that is valid after all (nu = 1e308)
            assert np.isfinite(out.var) and np.isfinite(out.es)


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
def test_monte_carlo_bad_weights_are_named(bad):
    assert check(lambda: bq.dask.monte_carlo_var_es(bad, np.eye(2), n_scenarios=1000), ["weights", "cov"]) is None


def _card():
    df = bq.datasets.german_credit()
    y = (df.pop("creditability") == "bad").astype(int)
    return bq.scorecard.Scorecard().fit(df, y), df


CARD = None


def card():
    global CARD
    if CARD is None:
        CARD = _card()
    return CARD


@FEW
@given(st.integers(1, 12), st.sampled_from(["score", "probability", "transform"]))
def test_score_any_partitioning_is_the_one_machine_call(parts, method):
    model, df = card()
    if method == "transform":
        model = model.binner_
    out = bq.dask.score(model, dd.from_pandas(df, npartitions=parts), method=method).compute()
    expected = {"score": lambda: model.score(df), "probability": lambda: model.predict_proba(df)[:, 1],
                "transform": lambda: model.transform(df)}[method]()
    np.testing.assert_array_equal(np.asarray(out), np.asarray(expected))


@pytest.mark.parametrize("data, kw, names", [
    (None, {}, ["data"]), ([1, 2], {}, ["data"]), ("frame", {"method": "woe"}, ["method"]),
    ("frame", {"npartitions": 0}, ["npartitions"]), ("frame", {"npartitions": "two"}, ["npartitions"])])
def test_score_bad_arguments_are_named(data, kw, names):
    model, df = card()
    frame = df if data == "frame" else data
    assert check(lambda: bq.dask.score(model, frame, **kw), names) is None
    assert check(lambda: bq.dask.score(None, df), ["model"]) is None


@FEW
@given(st.integers(200, 3000), st.integers(1, 8), st.integers(2, 30), st.integers(0, 2**32))
def test_fit_binner_any_partitioning_gives_the_same_bins(n, parts, n_cuts, seed):
    rng = np.random.default_rng(seed)
    x = np.round(rng.standard_t(2, n), 1)
    x[rng.random(n) < 0.05] = np.nan
    y = (rng.random(n) < 0.3).astype(int)
    frame = pd.DataFrame({"x": x, "y": y})
    cuts = {"x": np.unique(np.round(rng.normal(0, 2, n_cuts), 2))}
    one = check(lambda: bq.dask.fit_binner(frame, "y", prebin_cuts=cuts, min_bin_share=0.02), ["y"])
    many = check(lambda: bq.dask.fit_binner(dd.from_pandas(frame, npartitions=parts), "y", prebin_cuts=cuts,
                                            min_bin_share=0.02), ["y"])
    assert (one is None) == (many is None)
    if one is not None:
        pd.testing.assert_frame_equal(many.table("x"), one.table("x"), check_exact=True)


@pytest.mark.parametrize("kw, names", [
    ({"y": 3}, ["y"]), ({"y": "missing"}, ["data"]), ({"columns": ["nope"]}, ["columns"]),
    ({"columns": []}, ["columns"]), ({"prebin_cuts": {"x": [np.nan]}}, ["prebin_cuts"]),
    ({"prebin_cuts": {"z": [1.0]}}, ["prebin_cuts"]), ({"max_bins": 0}, ["max_bins"]),
    ({"sample_weight": "w"}, ["data"]), ({"method": "manual"}, ["method"]), ({"frobnicate": 1}, ["params"])])
def test_fit_binner_bad_arguments_are_named(kw, names):
    frame = pd.DataFrame({"x": np.arange(200.0), "y": np.arange(200) % 3 == 0})
    args = {"y": "y", **kw}
    assert check(lambda: bq.dask.fit_binner(frame, **args), names) is None


def _long(k=3, n=40):
    return pd.concat([pd.DataFrame({"unique_id": f"s{i}", "ds": np.arange(n), "y": (np.arange(n) % 5 + i) * 1.0})
                      for i in range(k)], ignore_index=True)


@FEW
@given(st.integers(1, 6), st.integers(1, 6), st.integers(12, 40))
def test_forecast_any_split_is_the_one_machine_call(k, parts, n):
    df = _long(k, n)
    one = bq.forecast.forecast(df, models=["snaive", "mean"], h=3, season_length=5)
    many = bq.dask.forecast(df, models=["snaive", "mean"], h=3, season_length=5, n_parts=parts)
    pd.testing.assert_frame_equal(many, one, check_exact=True)
    assert many.attrs == one.attrs


@pytest.mark.parametrize("df, kw, names", [
    (None, {}, ["df"]), ("drop:unique_id", {}, ["df"]), ("drop:y", {}, ["df"]), ("long", {"h": 0}, ["h"]),
    ("long", {"models": ["magic"]}, ["models"]), ("long", {"n_parts": 0}, ["n_parts"]),
    ("long", {"level": [120]}, ["level"]), ("empty", {}, ["df"])])
def test_forecast_bad_arguments_are_named(df, kw, names):
    frame = _long()
    if df == "long":
        data = frame
    elif df == "empty":
        data = frame.iloc[:0]
    elif isinstance(df, str):
        data = frame.drop(columns=df.split(":")[1])
    else:
        data = df
    assert check(lambda: bq.dask.forecast(data, **kw), names) is None


def test_rosters_valid_or_named():
    t = [bq.staffing.ShiftTemplate(name="s", length=2, earliest_start=0, latest_start=2)]
    out = bq.dask.solve_rosters({"a": np.array([[1, 2, 2, 1]]), 7: np.array([[0, 1, 1, 0]])}, t)
    assert out["a"].cost == bq.staffing.solve_roster(np.array([[1, 2, 2, 1]]), t).cost and 7 in out
    for bad, names in [({}, ["requirements"]), ([1, 2], ["requirements"]),
                       ({"a": np.array([[-1, 2]])}, ["requirement"]), ({"a": "grid"}, ["requirement"])]:
        assert check(lambda: bq.dask.solve_rosters(bad, t), names) is None
    assert check(lambda: bq.dask.solve_rosters({"a": np.ones((1, 4))}, {"b": t}), ["templates"]) is None


def test_portfolios_valid_or_named():
    prices = bq.datasets.dow_jones_30().iloc[:400, :5]
    grid = {"fast": [5, 10], "slow": [30]}
    one = bq.portfolio.grid_backtest(prices, "moving_average", grid, rebalance=5)
    pd.testing.assert_frame_equal(bq.dask.grid_backtest(prices, "moving_average", grid, rebalance=5, n_parts=2).table,
                                  one.table, check_exact=True)
    for args, names in [(("nope", grid), ["strategies"]), (("moving_average", None), ["params"]),
                        (("moving_average", {"fast": []}), ["params"]), (("moving_average", 3), ["params"]),
                        (([], None), ["strategies"]), ((["x"], None), ["strategies"]),
                        (("moving_average", {"fast": [5], "speed": [1]}), ["params"])]:
        assert check(lambda: bq.dask.grid_backtest(prices, *args), names) is None
    r = bq.portfolio.returns_from_prices(prices)
    mu, S = bq.portfolio.expected_returns(r), bq.portfolio.covariance(r)
    mu["CASH"] = 0.03
    S["CASH"] = 0.0
    S.loc["CASH"] = 0.0
    adv = bq.portfolio.Advisor(mu, S, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.03)
    clients = [{"id": "a", "answers": [3] * 8}, {"id": "b", "answers": [4] * 8}]
    pd.testing.assert_frame_equal(bq.dask.advise_many(adv, clients, n_parts=2), adv.advise_many(clients),
                                  check_exact=True)
    for bad, names in [(None, ["clients"]), ([], ["clients"]), ("c", ["clients"]),
                       ([{"id": "a", "answers": [9] * 8}], ["answers", "client", "clients"])]:
        assert check(lambda: bq.dask.advise_many(adv, bad), names) is None
    assert check(lambda: bq.dask.advise_many("adviser", clients), ["advisor"]) is None


def test_graph_groups_valid_or_named():
    e = pd.DataFrame({"src": [1, 2, 3, 4], "dst": [2, 3, 4, 1], "amount": 1.0,
                      "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-09", "2024-01-10"])})
    assert bq.dask.map_windows(e, lambda g: g.n_edges, window="7D") == {pd.Timestamp("2023-12-28"): 2,
                                                                       pd.Timestamp("2024-01-04"): 2}
    assert bq.dask.map_windows(e.assign(timestamp=np.arange(4)), lambda g: g.n_nodes, window=2) == {0: 3, 2: 3}
    for kw, names in [({"window": "fortnight"}, ["window"]), ({"time_col": "t"}, ["time_col"]),
                      ({"window": 0}, ["window"])]:
        data = e.assign(timestamp=np.arange(4)) if kw.get("window") == 0 else e
        assert check(lambda: bq.dask.map_windows(data, len, **kw), names) is None
    for args, names in [((None, "src", len), ["edges"]), ((e, "bank", len), ["by"]), ((e, [1, 2], len), ["by"]),
                        ((e, [None] * 4, len), ["by"]), ((e, "src", 3), ["function"]),
                        ((e.drop(columns="dst"), "src", len), ["edges"])]:
        assert check(lambda: bq.dask.map_edge_groups(*args), names) is None


@FEW
@given(st.integers(300, 4000), st.integers(1, 8), st.sampled_from([0, 1, 2]), st.integers(0, 2**32))
def test_fit_binner_default_prebins_are_the_single_machine_ones(n, parts, decimals, seed):
    rng = np.random.default_rng(seed)
    x = np.round(rng.standard_t(2, n) * 3, decimals)  # heavy tails, and ties when rounded coarsely
    x[rng.random(n) < 0.05] = np.nan
    x[rng.random(n) < 0.03] = -999.0
    y = (rng.random(n) < 1 / (1 + np.exp(1 - np.nan_to_num(x).clip(-5, 5) / 3))).astype(int)
    frame = pd.DataFrame({"x": x, "y": y})
    kw = dict(prebins=10, max_bins=5, special_values=[-999.0], min_bin_share=0.02)
    one = check(lambda: bq.scorecard.Binner(**kw).fit(frame[["x"]], frame["y"]), ["y"])
    many = check(lambda: bq.dask.fit_binner(dd.from_pandas(frame, npartitions=parts), "y", **kw), ["y"])
    assert (one is None) == (many is None)
    if one is not None:
        # a cut at zero may be -0.0 on one side and 0.0 on the other (equal numbers; the labels differ)
        pd.testing.assert_frame_equal(many.table("x").drop(columns="bin"), one.table("x").drop(columns="bin"),
                                      check_exact=True)
        a, b = many.binnings_["x"].bins, one.binnings_["x"].bins
        assert [(u.lower, u.upper) for u in a] == [(u.lower, u.upper) for u in b]
