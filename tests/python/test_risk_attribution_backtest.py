"""Portfolio VaR, Euler attribution, bootstrap, FRTB cascade, ES backtests and the backtest runner."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import bankquant as bq


@pytest.fixture(scope="module")
def book():
    prices = bq.datasets.dow_jones_30()
    R = prices.pct_change().dropna().iloc[:, :6]
    w = pd.Series([2e6, -1e6, 1.5e6, 0.5e6, 1e6, 3e6], index=R.columns)
    return w, R


@pytest.mark.parametrize("method", ["historical", "normal"])
def test_components_sum_to_the_total(book, method):
    w, R = book
    a = bq.risk.attribution(w, R, 0.99, method=method)
    assert a["component_var"].sum() == pytest.approx(a.attrs["var"], rel=1e-12)
    assert a["component_es"].sum() == pytest.approx(a.attrs["es"], rel=1e-12)
    assert a["component_var_share"].sum() == pytest.approx(1.0, rel=1e-12)
    total = bq.risk.portfolio_var_es(w, R, 0.99, method=method)
    # one portfolio VaR and ES per method, whichever function is asked (normal: with the sample mean)
    assert a.attrs["var"] == pytest.approx(total["var"].iloc[0], rel=1e-12)
    assert a.attrs["es"] == pytest.approx(total["es"].iloc[0], rel=1e-12)


def test_normal_marginal_var_is_the_derivative(book):
    w, R = book
    a = bq.risk.attribution(w, R, 0.99, method="normal")
    C = np.cov(R.to_numpy(), rowvar=False)
    m = R.to_numpy().mean(axis=0)
    var_of = lambda v: -(m @ v) + stats.norm.ppf(0.99) * math.sqrt(v @ C @ v)
    for i, name in enumerate(R.columns):
        h = 1.0
        up, down = w.to_numpy().copy(), w.to_numpy().copy()
        up[i] += h
        down[i] -= h
        assert a.loc[name, "marginal_var"] == pytest.approx((var_of(up) - var_of(down)) / (2 * h), rel=1e-6)
    assert a.attrs["var"] == pytest.approx(var_of(w.to_numpy()), rel=1e-12)


def test_historical_component_es_is_the_tail_mean(book):
    w, R = book
    a = bq.risk.attribution(w, R, 0.975)
    contributions = -(R.to_numpy() * w.to_numpy())
    loss = contributions.sum(axis=1)
    n = loss.size
    order = np.argsort(-loss, kind="stable")
    m = 0.025 * n
    k = int(math.floor(m))
    weights = np.zeros(n)
    weights[order[:k]] = 1.0
    weights[order[k]] = m - k
    np.testing.assert_allclose(a["component_es"], weights @ contributions / m, rtol=1e-12)
    # incremental: the total with and without each position
    for name in R.columns:
        without = w.copy()
        without[name] = 0.0
        ref = a.attrs["var"] - bq.risk.portfolio_var_es(without, R, 0.975)["var"].iloc[0]
        assert a.loc[name, "incremental_var"] == pytest.approx(ref, rel=1e-12)


def test_bootstrap_is_reproducible_and_covers_the_estimate(book):
    w, R = book
    pnl = R.to_numpy() @ w.to_numpy()
    a = bq.risk.bootstrap_var_es(pnl, 0.99, n_boot=300, seed=4)
    b = bq.risk.bootstrap_var_es(pnl, 0.99, n_boot=300, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert ((a["lower"] <= a["estimate"]) & (a["estimate"] <= a["upper"])).all()
    assert (a["std_error"] > 0).all()
    with pytest.raises(bq.InvalidArgumentError, match="argument 'n_boot'"):
        bq.risk.bootstrap_var_es(pnl, 0.99, n_boot=10)


def test_frtb_cascade_by_hand():
    rng = np.random.default_rng(3)
    pnl = pd.DataFrame({"rates": rng.standard_normal(2000), "equity": 2 * rng.standard_normal(2000),
                        "credit": 0.5 * rng.standard_normal(2000)})
    lh = {"rates": 10, "equity": 20, "credit": 60}
    out = bq.risk.liquidity_adjusted_es(pnl, lh)
    es = lambda cols: bq.risk.expected_shortfall(pnl[cols].sum(axis=1).to_numpy(), 0.975)
    expected = math.sqrt(es(["rates", "equity", "credit"]) ** 2 + (es(["equity", "credit"]) * 1) ** 2
                         + (es(["credit"]) * math.sqrt(2)) ** 2 + (es(["credit"]) * math.sqrt(2)) ** 2)
    assert out.attrs["es"] == pytest.approx(expected, rel=1e-12)
    assert out.loc[120, "es_t"] == 0.0
    # everything liquid in 10 days: the cascade is the plain 97.5% ES
    flat = bq.risk.liquidity_adjusted_es(pnl, {c: 10 for c in pnl})
    assert flat.attrs["es"] == pytest.approx(es(list(pnl.columns)), rel=1e-12)
    assert bq.risk.stressed_es(10.0, 8.0, 10.0) == {"es": 10.0, "ratio": 1.0}  # ratio floored at 1
    assert bq.risk.stressed_es(10.0, 12.0, 10.0)["es"] == pytest.approx(12.0)
    with pytest.raises(bq.InvalidArgumentError, match="liquidity_horizon"):
        bq.risk.liquidity_adjusted_es(pnl, {"rates": 15, "equity": 20, "credit": 60})


def test_acerbi_szekely_statistics_and_power():
    rng = np.random.default_rng(11)
    T, level = 500, 0.975
    sigma = np.exp(rng.normal(0, 0.3, T))
    pnl = sigma * rng.standard_normal(T)
    z, tail = stats.norm.ppf(level), stats.norm.pdf(stats.norm.ppf(level)) / (1 - level)
    var, es = z * sigma, tail * sigma
    good = bq.risk.es_backtest(pnl, var, es, level, n_simulations=4000, seed=1)
    hit = -pnl > var
    assert good.z2.statistic == pytest.approx(1 - np.sum((-pnl)[hit] / es[hit]) / (T * (1 - level)), rel=1e-12)
    assert good.z1.statistic == pytest.approx(1 - np.mean((-pnl)[hit] / es[hit]), rel=1e-12)
    assert good.z2.p_value > 0.05  # the true model is not rejected (fixed seeds)
    bad = bq.risk.es_backtest(pnl, 0.6 * var, 0.6 * es, level, n_simulations=4000, seed=1)
    assert bad.z2.statistic < 0 and bad.z2.p_value < 0.01  # a model that underestimates risk is


def test_rolling_backtest_runner():
    prices = bq.datasets.dow_jones_30()["KO"]
    r = np.log(prices).diff().dropna()
    rep = bq.risk.rolling_backtest(r, window=250, level=0.99, test_days=250, method="historical")
    t = rep.table
    assert len(t) == 250 and t.index[-1] == r.index[-1]
    first = bq.risk.var(r.iloc[len(r) - 250 - 250:len(r) - 250].to_numpy(), 0.99)
    assert t["var"].iloc[0] == pytest.approx(first, rel=1e-15)  # estimated on the window before the day
    assert rep.kupiec.statistic == pytest.approx(bq.risk.kupiec(int(t["exception"].sum()), 250).statistic)
    assert rep.traffic_light.zone == bq.risk.traffic_light(int(t["exception"].sum())).zone
    assert "traffic light" in rep.summary().index
    import matplotlib

    matplotlib.use("Agg")
    assert rep.plot() is not None
    with pytest.raises(bq.InvalidArgumentError, match="argument 'test_days'"):
        bq.risk.rolling_backtest(r, window=250, test_days=10**6)


def test_attribution_bad_input(book):
    w, R = book
    with pytest.raises(bq.InvalidArgumentError, match="expected 6 positions"):
        bq.risk.attribution(np.ones(3), R.to_numpy())
    with pytest.raises(bq.InvalidArgumentError, match="argument 'positions': no factor returns"):
        bq.risk.attribution(pd.Series({"XYZ": 1.0}), R)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'factor_returns': expected finite"):
        bq.risk.attribution(w, R.assign(AA=np.nan))
    with pytest.raises(bq.InvalidArgumentError, match="argument 'method'"):
        bq.risk.attribution(w, R, method="magic")


def test_runner_forecasts_equal_pandas_rolling_quantiles():
    # historical VaR of each day from the 500 days before it: pandas' rolling quantile (linear
    # interpolation, numpy's rule) of the losses, shifted one day
    r = np.log(bq.datasets.dow_jones_30()["IBM"]).diff().dropna()
    f = bq.risk.rolling_forecasts(r, {"hist": "historical", "normal": "normal"}, [0.99, 0.975], window=500)
    ref = (-r).rolling(500).quantile(0.99, interpolation="linear").shift(1).dropna()
    pd.testing.assert_series_equal(f.var[("hist", 0.99)], ref.loc[f.var.index], check_names=False, rtol=1e-12)
    sd = r.rolling(500).std().shift(1).dropna()
    mean = r.rolling(500).mean().shift(1).dropna()
    expected = -mean + stats.norm.ppf(0.975) * sd
    np.testing.assert_allclose(f.var[("normal", 0.975)], expected.loc[f.var.index], rtol=1e-10)
    assert f.var.index[0] == r.index[500] and len(f.var) == len(r) - 500


def test_backtest_table_of_many_models_and_levels():
    r = np.log(bq.datasets.dow_jones_30()["KO"]).diff().dropna()
    models = {"historical": "historical", "garch-t": bq.risk.VolatilityModel(dist="t"),
              "fhs-gjr": {"method": "fhs", "model": bq.risk.VolatilityModel("gjr")}, "ewma": "ewma_normal"}
    f = bq.risk.rolling_forecasts(r, models, [0.99, 0.975], window=500, test_days=500, refit_every=25)
    table = f.backtest(n_simulations=300)
    assert list(table.table.index) == [(m, lv) for m in models for lv in (0.99, 0.975)]
    for (model, level), row in table.table.iterrows():
        e = bq.risk.exceptions(f.pnl, f.var[(model, level)])
        assert row["exceptions"] == e.sum()
        assert row["POF stat"] == pytest.approx(bq.risk.kupiec(e, level=level).statistic, rel=1e-12)
        assert row["zone"] == bq.risk.traffic_light(e, level=level).zone
        assert row["CC p"] == pytest.approx(bq.risk.christoffersen(e, level).p_value, rel=1e-12)
        assert 0 <= row["Z2 p"] <= 1 and "TBF p" in row
    # the user's own forecasts: the same table from plain columns and a level
    own = bq.risk.backtest(f.pnl, f.var.xs(0.99, axis=1, level="level"), f.es.xs(0.99, axis=1, level="level"),
                           level=0.99, n_simulations=300)
    np.testing.assert_allclose(own.table["POF stat"], table.table.xs(0.99, level="level")["POF stat"], rtol=1e-12)
    import matplotlib

    matplotlib.use("Agg")
    assert table.plot() is not None
    with pytest.raises(bq.InvalidArgumentError, match="argument 'level'"):
        bq.risk.backtest(f.pnl, f.var.xs(0.99, axis=1, level="level"))
    with pytest.raises(bq.InvalidArgumentError, match="argument 'models'"):
        bq.risk.rolling_forecasts(r, {"x": "magic"})
