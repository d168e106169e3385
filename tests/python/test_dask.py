"""bankquant.dask on a LocalCluster of worker processes (loopback): every scale-out result equals
the single-machine call's, to the bit where the issue says identical."""
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import bankquant as bq  # noqa: E402


def _start(n_workers):
    cluster = distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None, protocol="tcp")
    client = distributed.Client(cluster, set_as_default=False)
    client.run(bq.set_num_threads, 1)  # one bankquant thread per worker process: no oversubscription
    return cluster, client


@pytest.fixture(scope="module")
def client():
    cluster, c = _start(4)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def credit():
    df = bq.datasets.german_credit()
    y = (df.pop("creditability") == "bad").astype(int)
    return df, y


def test_import_bankquant_does_not_import_dask():
    code = "import sys, bankquant as bq; assert 'dask' not in sys.modules, 'dask imported'; bq.dask; " \
           "assert 'dask' in sys.modules; print(bq.dask.__name__)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "bankquant.dask"


# ---- scoring and binning --------------------------------------------------------------------------

def test_scores_by_partition_equal_the_single_machine_call(client, credit):
    df, y = credit
    card = bq.scorecard.Scorecard().fit(df, y)
    ddf = dd.from_pandas(df, npartitions=5)
    scores = client.compute(bq.dask.score(card, ddf)).result()
    pd.testing.assert_series_equal(scores, card.score(df), check_exact=True)
    p = client.compute(bq.dask.score(card, ddf, method="probability")).result()
    np.testing.assert_array_equal(p.to_numpy(), card.predict_proba(df)[:, 1])
    woe = client.compute(bq.dask.score(card.binner_, ddf, method="transform")).result()
    pd.testing.assert_frame_equal(woe, card.binner_.transform(df), check_exact=True)
    # a pandas frame where a Dask one is expected just works
    pd.testing.assert_series_equal(client.compute(bq.dask.score(card, df, npartitions=3)).result(), card.score(df),
                                   check_exact=True)
    with pytest.raises(bq.InvalidArgumentError, match="'data'"):
        bq.dask.score(card, df.to_numpy())
    with pytest.raises(bq.InvalidArgumentError, match="'model'"):
        bq.dask.score("card", ddf)


def test_scores_with_empty_partitions_and_an_unfitted_card(credit):
    """Tryout: a filter that empties partitions failed the whole compute; an unfitted card was
    accepted until a worker ran it."""
    df, y = credit
    card = bq.scorecard.Scorecard().fit(df, y)
    ddf = dd.from_pandas(df.assign(k=np.arange(len(df))), npartitions=4)
    kept = ddf[ddf["k"] < 200].drop(columns="k")  # partitions 1..3 are empty now
    with dask.config.set(scheduler="sync"):
        scores = bq.dask.score(card, kept).compute()
        woe = bq.dask.score(card.binner_, kept, method="transform").compute()
    pd.testing.assert_series_equal(scores, card.score(df.iloc[:200]), check_exact=True)
    pd.testing.assert_frame_equal(woe, card.binner_.transform(df.iloc[:200]), check_exact=True)
    with pytest.raises(bq.NotFittedError):
        bq.dask.score(bq.scorecard.Scorecard(), ddf)


def _quantile_prebin_cuts(x, prebins):
    """The single-machine Binner's own pre-bin cuts (binning.cpp, unit weights): the value at order
    statistic ceil(n j / prebins) - 1, then the next distinct value above it."""
    xs = np.sort(x[~np.isnan(x)])
    n = len(xs)
    cuts = []
    for j in range(1, prebins):
        v = xs[(n * j + prebins - 1) // prebins - 1]
        above = xs[xs > v]
        if above.size:
            cuts.append(above[0])
    cuts = np.unique(cuts)
    return cuts[(cuts > xs[0]) & (cuts <= xs[-1])]


@pytest.fixture(scope="module")
def heavy():
    rng = np.random.default_rng(7)
    n = 60_000
    z = rng.standard_t(3, n)
    frame = pd.DataFrame({"balance": np.round(np.exp(2 + z), 1),       # heavy right tail, ties
                          "utilisation": np.round(rng.standard_t(2, n), 2),
                          "y": (rng.random(n) < 1 / (1 + np.exp(2.5 - 0.7 * z))).astype(int)})
    frame.loc[rng.random(n) < 0.02, "utilisation"] = np.nan
    return frame


def test_binner_from_merged_prebin_counts_has_the_single_machine_bins(client, heavy):
    one = bq.scorecard.Binner(prebins=20, max_bins=6).fit(heavy[["balance", "utilisation"]], heavy["y"])
    cuts = {c: _quantile_prebin_cuts(heavy[c].to_numpy(), 20) for c in ("balance", "utilisation")}
    ddf = dd.from_pandas(heavy, npartitions=7)
    many = bq.dask.fit_binner(ddf, "y", prebin_cuts=cuts, prebins=20, max_bins=6, client=client)
    for c in ("balance", "utilisation"):
        pd.testing.assert_frame_equal(many.table(c), one.table(c), check_exact=True)
    pd.testing.assert_series_equal(many.iv_, one.iv_, check_exact=True)
    pd.testing.assert_frame_equal(many.transform(heavy), one.transform(heavy), check_exact=True)
    # 1 and 7 partitions: the same binning
    single = bq.dask.fit_binner(heavy, "y", prebin_cuts=cuts, prebins=20, max_bins=6, client=client)
    for c in ("balance", "utilisation"):
        pd.testing.assert_frame_equal(single.table(c), many.table(c), check_exact=True)
    # without given cuts: the single machine's quantile cuts, found exactly across the partitions
    found = bq.dask.fit_binner(ddf, "y", prebins=20, max_bins=6, client=client)
    for c in ("balance", "utilisation"):
        pd.testing.assert_frame_equal(found.table(c), one.table(c), check_exact=True)
    # with weights, Dask's approximate quantiles: near the weighted fit, not equal (a pre-bin near
    # min_bin_share can fall under it and merge)
    weighted = heavy.assign(w=np.random.default_rng(0).uniform(0.5, 2.0, len(heavy)))
    exact = bq.scorecard.Binner(prebins=20, max_bins=6).fit(weighted[["balance"]], weighted["y"],
                                                            sample_weight=weighted["w"])
    near = bq.dask.fit_binner(dd.from_pandas(weighted, npartitions=7), "y", columns=["balance"], sample_weight="w",
                              prebins=20, max_bins=6, client=client)
    assert abs(near.iv_["balance"] - exact.iv_["balance"]) < 0.1 * exact.iv_["balance"]


def test_fit_binner_names_bad_arguments(client, heavy):
    ddf = dd.from_pandas(heavy, npartitions=2)
    with pytest.raises(bq.InvalidArgumentError, match="'data'"):
        bq.dask.fit_binner(ddf, "target", client=client)
    with pytest.raises(bq.InvalidArgumentError, match="'columns'"):
        bq.dask.fit_binner(ddf.assign(kind="a"), "y", columns=["kind"], client=client)
    with pytest.raises(bq.InvalidArgumentError, match="'method'"):
        bq.dask.fit_binner(ddf, "y", method="quantile", client=client)
    with pytest.raises(bq.InvalidArgumentError, match="'prebin_cuts'"):
        bq.dask.fit_binner(ddf, "y", prebin_cuts={"balance": [3.0, 1.0]}, client=client)
    with pytest.raises(bq.InvalidArgumentError, match="'y'"):
        bq.dask.fit_binner(ddf.assign(y=ddf["y"] * 2), "y", client=client)


# ---- Monte Carlo VaR/ES ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def book():
    prices = bq.datasets.dow_jones_30()
    r = np.log(prices).diff().dropna()
    return np.full(r.shape[1], 1e6 / r.shape[1]), r.cov().to_numpy()


def test_monte_carlo_on_1_and_4_workers_gives_the_one_machine_figures(client, book):
    w, cov = book
    args = dict(level=[0.99, 0.975], n_scenarios=300_001, dist="t", nu=4, seed=42, antithetic=True)
    one = bq.risk.monte_carlo_var_es(w, cov, **args)
    four = bq.dask.monte_carlo_var_es(w, cov, **args, n_blocks=4, client=client)
    pd.testing.assert_frame_equal(four.table, one.table, check_exact=True)
    assert four.pnl is None and four.repaired is False
    cluster, solo = _start(1)
    try:
        on_one_worker = bq.dask.monte_carlo_var_es(w, cov, **args, client=solo)
        many_blocks = bq.dask.monte_carlo_var_es(w, cov, **args, n_blocks=13, client=solo)
    finally:
        solo.close()
        cluster.close()
    pd.testing.assert_frame_equal(on_one_worker.table, one.table, check_exact=True)
    pd.testing.assert_frame_equal(many_blocks.table, one.table, check_exact=True)
    # full-factor scenarios (tiles as streams) and a scalar level
    ff = dict(level=0.99, n_scenarios=20_000, full_factor=True, tile=512, seed=3)
    assert bq.dask.monte_carlo_var_es(w, cov, **ff, n_blocks=3, client=client).es == \
        bq.risk.monte_carlo_var_es(w, cov, **ff).es


def test_monte_carlo_errors_name_the_argument(client, book):
    w, cov = book
    with pytest.raises(bq.InvalidArgumentError, match="'level'"):
        bq.dask.monte_carlo_var_es(w, cov, level=0.999, n_scenarios=500, client=client)
    with pytest.raises(bq.InvalidArgumentError, match="'cov'"):
        bq.dask.monte_carlo_var_es(w, -cov, client=client, n_scenarios=1000)
    with pytest.raises(bq.InvalidArgumentError, match="'n_blocks'"):
        bq.dask.monte_carlo_var_es(w, cov, n_scenarios=1000, n_blocks=0, client=client)
    with pytest.raises(bq.InvalidArgumentError, match="'client'"):
        bq.dask.monte_carlo_var_es(w, cov, n_scenarios=1000, client="tcp://127.0.0.1:1")


# ---- forecasting and staffing ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def branches():
    calls = bq.datasets.bank_call_centre()
    daily = calls.groupby("date", as_index=False)["calls"].sum()
    rng = np.random.default_rng(1)
    frames = [pd.DataFrame({"unique_id": f"branch-{k:02d}", "ds": pd.to_datetime(daily["date"]),
                            "y": np.round(daily["calls"] * rng.uniform(0.02, 0.2))}) for k in range(12)]
    return pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=0)  # rows in any order


def test_forecast_split_by_unique_id_equals_the_single_machine_call(client, branches):
    kw = dict(models=["snaive", "ets"], h=10, level=[80, 95], season_length=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bq.ModelWarning)
        one = bq.forecast.forecast(branches, **kw)
        split = bq.dask.forecast(branches, **kw, n_parts=4, client=client)
        shuffled = bq.dask.forecast(dd.from_pandas(branches, npartitions=3), **kw, n_parts=3, client=client)
    pd.testing.assert_frame_equal(split, one, check_exact=True)
    pd.testing.assert_frame_equal(shuffled, one, check_exact=True)
    assert split.attrs == one.attrs and shuffled.attrs == one.attrs
    with pytest.raises(bq.InvalidArgumentError, match=r"'df'.*unique_id"):
        bq.dask.forecast(branches.drop(columns="unique_id"), client=client)
    with pytest.raises(bq.InvalidArgumentError, match=r"'df'.*unique_id"):
        bq.dask.forecast(dd.from_pandas(branches.rename(columns={"unique_id": "id"}), npartitions=2), client=client)


def test_rosters_for_many_branches(client):
    rng = np.random.default_rng(3)
    need = {f"branch-{k}": rng.integers(0, 6, size=(5, 16)) for k in range(6)}
    templates = [bq.staffing.ShiftTemplate(name="full", length=12, earliest_start=0, latest_start=4),
                 bq.staffing.ShiftTemplate(name="half", length=6, earliest_start=0, latest_start=10, cost_per_interval=0.6)]
    rosters = bq.dask.solve_rosters(need, templates, client=client)
    assert list(rosters) == list(need)
    for k, r in rosters.items():
        one = bq.staffing.solve_roster(need[k], templates)
        assert r.cost == one.cost
        pd.testing.assert_frame_equal(r.working_grid, one.working_grid)
    with pytest.raises(bq.InvalidArgumentError, match="'templates'"):
        bq.dask.solve_rosters(need, {"branch-0": templates}, client=client)


# ---- portfolios -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def advisor():
    r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    mu = bq.portfolio.expected_returns(r)
    S = bq.portfolio.covariance(r)
    mu["CASH"] = 0.03
    S["CASH"] = 0.0
    S.loc["CASH"] = 0.0
    return bq.portfolio.Advisor(mu, S, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.03)


def test_client_allocations_and_backtest_grids(client, advisor):
    rng = np.random.default_rng(5)
    clients = pd.DataFrame({"id": [f"c{i:04d}" for i in range(300)],
                            "answers": [list(rng.integers(0, 5, size=8)) for _ in range(300)]})
    pd.testing.assert_frame_equal(bq.dask.advise_many(advisor, clients, client=client), advisor.advise_many(clients),
                                  check_exact=True)
    prices = bq.datasets.dow_jones_30()
    grid = {"fast": [5, 10, 20, 40], "slow": [60, 120, 250]}
    one = bq.portfolio.grid_backtest(prices, "moving_average", grid, rebalance=5, costs=0.001)
    many = bq.dask.grid_backtest(prices, "moving_average", grid, rebalance=5, costs=0.001, n_parts=4, client=client)
    pd.testing.assert_frame_equal(many.table, one.table, check_exact=True)
    assert many.deflated_sharpe() == one.deflated_sharpe()
    with pytest.raises(bq.InvalidArgumentError, match="'strategies'"):
        bq.dask.grid_backtest(prices, "moving_avg", grid, client=client)
    with pytest.raises(bq.InvalidArgumentError, match="'advisor'"):
        bq.dask.advise_many(object(), clients, client=client)


# ---- graphs ---------------------------------------------------------------------------------------

def test_one_graph_per_window_on_the_workers(client):
    def _alert_count(g):  # a closure: pickled by value, so the workers need not import this file
        return len(g.alerts(budget=20))

    data = bq.graph.synthetic_transactions(n_accounts=8_000, days=28, seed=0)
    edges = data.edges
    weekly = bq.dask.map_windows(edges, _alert_count, window="7D", client=client)
    keys = edges["timestamp"].dt.floor("7D")
    expected = {k: _alert_count(bq.graph.TransactionGraph.from_edges(part)) for k, part in edges.groupby(keys)}
    assert weekly == expected
    with pytest.raises(bq.InvalidArgumentError, match="'time_col'"):
        bq.dask.map_windows(edges, _alert_count, time_col="when", client=client)
    with pytest.raises(bq.InvalidArgumentError, match="'function'"):
        bq.dask.map_edge_groups(edges, keys.to_numpy(), "alerts", client=client)


# ---- pickling -------------------------------------------------------------------------------------

def test_fitted_objects_pickle(credit, heavy, advisor):
    df, y = credit
    card = bq.scorecard.Scorecard().fit(df, y)
    back = pickle.loads(pickle.dumps(card))
    pd.testing.assert_series_equal(back.score(df), card.score(df), check_exact=True)
    binner = bq.scorecard.Binner().fit(df, y)
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(binner)).transform(df), binner.transform(df),
                                  check_exact=True)
    with __import__("dask").config.set(scheduler="sync"):
        merged = bq.dask.fit_binner(heavy, "y", prebin_cuts={"balance": [5.0, 10.0, 20.0]}, columns=["balance"])
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(merged)).table("balance"), merged.table("balance"))
    ets = bq.forecast.ETS(season_length=5).fit(np.arange(60.0) % 5 + 10 + np.sin(np.arange(60.0)))
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(ets)).forecast(5).mean, ets.forecast(5).mean)
    a = advisor.advise({"id": "x", "answers": [3] * 8})
    b = pickle.loads(pickle.dumps(advisor)).advise({"id": "x", "answers": [3] * 8})
    assert a.profile == b.profile
    np.testing.assert_array_equal(np.asarray(a.portfolio.weights), np.asarray(b.portfolio.weights))
    mc = bq.risk.monte_carlo_var_es([1.0, 0.5], np.eye(2), 0.99, n_scenarios=10_000)
    assert pickle.loads(pickle.dumps(mc)).var == mc.var
    roster = bq.staffing.solve_roster(np.array([[1, 2, 2, 1]]), [bq.staffing.ShiftTemplate(name="s", length=2,
                                                                                              earliest_start=0,
                                                                                              latest_start=2)])
    assert pickle.loads(pickle.dumps(roster)).cost == roster.cost
