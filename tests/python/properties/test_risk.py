"""Property tests of the market-risk module (bq.risk): every public callable.

Generated inputs (heavy-tailed returns at magnitudes from 1e-6 to 1e6, every container users
pass, NaN/inf, empty and one-element series, wrong shapes, numpy scalar types, nullable dtypes)
give a valid result or bankquant's own error naming the user's argument (support.check).
"""
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bankquant as bq

from .support import BAD_SCALARS, BAD_VECTORS, FAST, check, covers, returns_like, scalar_forms, vector_forms

covers("risk.var", "risk.expected_shortfall", "risk.var_es", "risk.var_es_many", "risk.bootstrap_var_es",
       "risk.plot_pnl_distribution")
covers("risk.ewma_variance", "risk.ewma_covariance", "risk.VolatilityModel", "risk.VolatilityFit", "risk.Garch11",
       "risk.GarchResult", "risk.multi_day_var_es", "risk.simulate_paths")
covers("risk.delta_gamma_var_es", "risk.monte_carlo_var_es", "risk.MonteCarloResult", "risk.nearest_psd")
covers("risk.exceptions", "risk.kupiec", "risk.binomial_test", "risk.tuff", "risk.christoffersen",
       "risk.time_between_failures", "risk.traffic_light", "risk.TestResult", "risk.ChristoffersenResult",
       "risk.TimeBetweenFailuresResult", "risk.TrafficLightResult", "risk.es_backtest", "risk.EsBacktestResult")
covers("risk.rolling_backtest", "risk.BacktestReport", "risk.rolling_forecasts", "risk.Forecasts", "risk.backtest",
       "risk.BacktestTable")
covers("risk.portfolio_var_es", "risk.attribution", "risk.liquidity_adjusted_es", "risk.stressed_es",
       "risk.worst_windows", "risk.historical_scenario", "risk.hypothetical", "risk.reverse_stress")
covers("risk.black_scholes", "risk.implied_volatility", "risk.ZeroCurve", "risk.FixedRateBond", "risk.fx_forward_rate",
       "risk.fx_forward_value", "risk.Book", "risk.stress_test", "risk.full_revaluation_var_es",
       "risk.RevaluationResult")

# FAST, fewer examples (a fit or a simulation each) and no complaint about the data's size.
FAST = settings(FAST, max_examples=12, suppress_health_check=list(FAST.suppress_health_check)
                + [HealthCheck.data_too_large])

LEVELS = [0.9, 0.95, 0.975, 0.99]
BAD_LEVELS = [0.0, 0.5, 1.0, 1.5, -0.1, np.nan, np.inf, None, "high", [0.99, np.nan], True]


def quiet(call):
    """Runs call with bankquant's warnings (convergence) silenced: the property is about errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bq.ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return call()


# --- VaR and ES -------------------------------------------------------------------------------

@FAST
@given(returns_like(120, 300), st.sampled_from(LEVELS),
       st.sampled_from(["historical", "normal", "t", "cornish_fisher", "ewma_normal"]))
def test_var_es_every_form_is_finite_and_ordered(x, level, method):
    ref = quiet(lambda: bq.risk.var_es(x, level, method=method))
    v, e = float(ref["var"].iloc[0]), float(ref["es"].iloc[0])
    assert np.isfinite(v) and np.isfinite(e)
    assert e >= v - 1e-9 * max(1.0, abs(v))  # ES is beyond VaR
    for form in vector_forms(x)[:6]:
        for lf in scalar_forms(level)[:2]:
            out = quiet(lambda: bq.risk.var_es(form, lf, method=method))
            if np.asarray(form).dtype != np.float32 and not isinstance(lf, np.float32):
                # the same float64 values in any container: the same answer, bit for bit
                assert float(out["var"].iloc[0]) == v and float(out["es"].iloc[0]) == e
    assert quiet(lambda: bq.risk.var(x, level, method=method)) == v
    assert quiet(lambda: bq.risk.expected_shortfall(x, level, method=method)) == e


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
@pytest.mark.parametrize("method", ["historical", "normal", "t", "cornish_fisher", "filtered_garch", "garch"])
def test_var_es_bad_series_is_named(bad, method):
    # a series too short for the level names the level: "0.99 needs at least 100 observations"
    out = check(lambda: quiet(lambda: bq.risk.var_es(bad, 0.99, method=method)), ["x", "level"])
    if out is not None:
        assert np.isfinite(out[["var", "es"]].to_numpy()).all()


@pytest.mark.parametrize("bad", BAD_LEVELS, ids=repr)
def test_var_es_bad_level_and_scalars_are_named(bad):
    x = np.random.default_rng(1).standard_t(4, 300) * 0.01
    assert check(lambda: bq.risk.var_es(x, bad), ["level"]) is None
    assert check(lambda: bq.risk.var(x, bad), ["level"]) is None
    assert check(lambda: bq.risk.expected_shortfall(x, bad), ["level"]) is None
    assert check(lambda: bq.risk.var_es(np.nan, method="normal"), ["x"]) is None


@pytest.mark.parametrize("kwargs, names", [
    (dict(method="magic"), ["method"]), (dict(horizon=0), ["horizon"]), (dict(horizon=2.5), ["horizon"]),
    (dict(method="ewma_normal", lambda_=1.5), ["lambda_"]), (dict(method="t", nu=1.0), ["nu"]),
    (dict(method="filtered_garch", dist="cauchy"), ["dist"]), (dict(horizon=np.int64(10)), []),
    (dict(level=[0.99, 0.975]), []), (dict(level=np.array([0.95])), [])])
def test_var_es_keyword_arguments(kwargs, names):
    x = pd.Series(np.random.default_rng(2).standard_t(4, 400) * 0.01)
    out = check(lambda: quiet(lambda: bq.risk.var_es(x, **{"level": 0.99, **kwargs})), names)
    if not names:
        assert out is not None and np.isfinite(out[["var", "es"]].to_numpy()).all()
    else:
        assert out is None


@FAST
@given(st.integers(1, 5), st.integers(100, 300), st.integers(0, 2**31))
def test_var_es_many_columns(k, n, seed):
    pnl = pd.DataFrame(np.random.default_rng(seed).standard_t(3, (n, k)), columns=[f"c{i}" for i in range(k)])
    out = bq.risk.var_es_many(pnl, [0.99, 0.975])
    assert np.isfinite(out.to_numpy(dtype=float)).all()
    for bad in ([], [[np.nan, 1.0]], "x"):
        assert check(lambda: bq.risk.var_es_many(bad), ["pnl"]) is None


@FAST
@given(returns_like(100, 300), st.integers(0, 2**64 - 1))
def test_bootstrap_var_es_interval_holds_the_estimate(x, seed):
    out = bq.risk.bootstrap_var_es(x, 0.99, n_boot=200, seed=np.uint64(seed))
    assert np.isfinite(out.select_dtypes("number").to_numpy()).all()
    for bad, name in [(dict(n_boot=0), "n_boot"), (dict(ci=1.0), "ci"), (dict(seed=-1), "seed"),
                      (dict(level=2.0), "level")]:
        assert check(lambda: bq.risk.bootstrap_var_es(x, **{"level": 0.99, **bad}), [name]) is None


def test_plot_pnl_distribution_and_bad_input():
    import matplotlib

    matplotlib.use("Agg")
    x = np.random.default_rng(3).standard_t(4, 500)
    ax = bq.risk.plot_pnl_distribution(x, 0.99)
    assert ax is not None
    for bad, name in [(dict(pnl=[]), "pnl"), (dict(pnl=x, level=1.2), "level"), (dict(pnl=x, bins=0), "bins")]:
        assert check(lambda: bq.risk.plot_pnl_distribution(**bad), [name]) is None
    matplotlib.pyplot.close("all")


# --- Volatility models ------------------------------------------------------------------------

@FAST
@given(returns_like(60, 400), st.sampled_from([0.9, 0.94, np.float32(0.97), np.float64(0.99)]))
def test_ewma_variance_positive_for_every_form(x, lam):
    for form in vector_forms(x)[:6]:
        v = bq.risk.ewma_variance(form, lam)
        assert np.all(np.asarray(v, dtype=float) > 0)
    for bad in (0.0, 1.0, np.nan, "x", None):
        assert check(lambda: bq.risk.ewma_variance(x, bad), ["lambda_"]) is None


def test_ewma_covariance_psd_and_bad_input():
    r = pd.DataFrame(np.random.default_rng(4).standard_t(4, (300, 3)) * 0.01, columns=list("abc"))
    cov = bq.risk.ewma_covariance(r)
    assert np.linalg.eigvalsh(cov.to_numpy()).min() >= -1e-15
    assert check(lambda: bq.risk.ewma_covariance(r.assign(a=np.nan)), ["returns"]) is None
    assert check(lambda: bq.risk.ewma_covariance(r, lambda_=2.0), ["lambda_"]) is None


@FAST
@given(returns_like(250, 600), st.sampled_from([("garch", "normal", "constant"), ("gjr", "t", "zero"),
                                               ("egarch", "normal", "ar1"), ("ewma", "normal", "zero"),
                                               ("garch", "ged", "constant"), ("garch", "skew_t", "constant")]))
def test_volatility_models_fit_or_say_why(x, spec):
    model, dist, mean = spec
    fit = check(lambda: quiet(lambda: bq.risk.VolatilityModel(model, dist=dist, mean=mean).fit(x)), ["returns"])
    if fit is None:
        return
    assert isinstance(fit, bq.risk.VolatilityFit)
    assert np.isfinite(fit.raw.log_likelihood)
    f = check(lambda: fit.forecast(np.int64(5)), ["horizon"])  # egarch: no closed form beyond a day
    assert f is None or np.all(np.asarray(f, dtype=float) > 0)
    assert np.all(np.asarray(fit.forecast(np.int64(1)), dtype=float) > 0)
    assert check(lambda: fit.forecast(0), ["horizon"]) is None


@pytest.mark.parametrize("kwargs, name", [(dict(model="arch"), "model"), (dict(dist="cauchy"), "dist"),
                                          (dict(mean="ma"), "mean"), (dict(p=0), "p"), (dict(q=-1), "q"),
                                          (dict(max_evaluations=0), "max_evaluations"),
                                          (dict(lambda_=1.0, model="ewma"), "lambda_")])
def test_volatility_model_bad_options_are_named(kwargs, name):
    x = np.random.default_rng(5).standard_t(5, 400) * 0.01
    assert check(lambda: bq.risk.VolatilityModel(**kwargs).fit(x), [name]) is None


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
def test_garch_bad_returns_are_named(bad):
    out = check(lambda: quiet(lambda: bq.risk.Garch11().fit(bad)), ["returns"])
    assert out is None or isinstance(out, bq.risk.GarchResult)


def test_garch_numpy_scalars_and_paths():
    x = np.diff(np.log(bq.datasets.dow_jones_30()["IBM"].to_numpy()))[-800:]
    fit = quiet(lambda: bq.risk.Garch11(dist="t").fit(x))
    assert isinstance(fit, bq.risk.GarchResult)
    assert np.all(np.asarray(fit.forecast(np.int64(5)), dtype=float) > 0)
    for method in ["fhs", "simulation", "bootstrap", "fhs_garch", "garch_normal"]:
        paths = quiet(lambda: bq.risk.simulate_paths(x, horizon=np.int32(3), n_paths=500, method=method, seed=1))
        assert np.isfinite(np.asarray(paths)).all()
        out = quiet(lambda: bq.risk.multi_day_var_es(x, horizon=np.int64(5), n_paths=2000, method=method))
        assert np.isfinite(out[["var", "es"]].to_numpy()).all()
    for bad, name in [(dict(horizon=0), "horizon"), (dict(n_paths=0), "n_paths"), (dict(method="x"), "method"),
                      (dict(seed=-3), "seed")]:
        assert check(lambda: bq.risk.simulate_paths(x, **{"n_paths": 100, **bad}), [name]) is None
        assert check(lambda: bq.risk.multi_day_var_es(x, **{"n_paths": 100, **bad}), [name]) is None
    assert check(lambda: bq.risk.multi_day_var_es([np.nan] * 50, n_paths=100), ["returns"]) is None


# --- Parametric and Monte Carlo ---------------------------------------------------------------

@FAST
@given(st.integers(1, 4), st.integers(0, 2**31), st.sampled_from(["normal", "cornish_fisher", "monte_carlo"]))
def test_delta_gamma_var_es(k, seed, method):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((k, k))
    cov = a @ a.T + 1e-3 * np.eye(k)
    g = rng.standard_normal((k, k))
    out = bq.risk.delta_gamma_var_es(rng.standard_normal(k), (g + g.T) / 2, cov, method=method, n_scenarios=20_000)
    assert np.isfinite(out.to_numpy(dtype=float)).all()
    assert check(lambda: bq.risk.delta_gamma_var_es(np.ones(k + 1), np.eye(k), cov), ["delta", "gamma", "cov"]) is None
    assert check(lambda: bq.risk.delta_gamma_var_es(np.ones(k), np.eye(k), -cov - np.eye(k)), ["cov"]) is None


@FAST
@given(st.integers(1, 4), st.integers(0, 2**31), st.sampled_from(["normal", "t"]), st.booleans())
def test_monte_carlo_var_es(k, seed, dist, antithetic):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((k, k)) * 0.01
    cov = a @ a.T
    r = bq.risk.monte_carlo_var_es(rng.standard_normal(k), cov, n_scenarios=np.int64(5000), dist=dist,
                                   antithetic=antithetic, seed=seed)
    assert isinstance(r, bq.risk.MonteCarloResult)
    assert np.isfinite(r.var) and r.es >= r.var
    for bad, name in [(dict(n_scenarios=10), "n_scenarios"), (dict(dist="x"), "dist"), (dict(nu=0.5, dist="t"), "nu"),
                      (dict(psd_repair="guess"), "psd_repair")]:
        assert check(lambda: bq.risk.monte_carlo_var_es(np.ones(k), cov, **bad), [name]) is None
    assert check(lambda: bq.risk.monte_carlo_var_es(np.ones(k + 1), cov, n_scenarios=1000),
                 ["weights", "cov"]) is None


@FAST
@given(st.integers(1, 5), st.integers(0, 2**31))
def test_nearest_psd_is_psd(k, seed):
    a = np.random.default_rng(seed).standard_normal((k, k))
    m = bq.risk.nearest_psd((a + a.T) / 2)
    assert np.linalg.eigvalsh(m).min() >= -1e-10
    assert check(lambda: bq.risk.nearest_psd(np.ones((k, k + 1))), ["matrix"]) is None
    assert check(lambda: bq.risk.nearest_psd(np.full((k, k), np.nan)), ["matrix"]) is None


# --- Backtests --------------------------------------------------------------------------------

@FAST
@given(st.integers(1, 1500), st.floats(0, 0.2), st.integers(0, 2**31), st.sampled_from([0.95, 0.975, 0.99]))
def test_exception_tests_on_any_series(n, rate, seed, level):
    e = (np.random.default_rng(seed).random(n) < rate).astype(int)
    for form in [e, e.astype(bool), list(e), pd.Series(e, dtype="Int64")]:
        for f in (bq.risk.kupiec, bq.risk.binomial_test, bq.risk.tuff):
            r = check(lambda: f(form, level=level), ["exceptions", "exception_series"])
            assert r is None or (isinstance(r, bq.risk.TestResult) and 0 <= r.p_value <= 1)
        c = check(lambda: bq.risk.christoffersen(form, level=level), ["exception_series"])
        assert c is None or isinstance(c, bq.risk.ChristoffersenResult)
        t = check(lambda: bq.risk.time_between_failures(form, level=level), ["exception_series"])
        assert t is None or isinstance(t, bq.risk.TimeBetweenFailuresResult)
        tl = bq.risk.traffic_light(form, level=level)
        assert isinstance(tl, bq.risk.TrafficLightResult) and tl.zone in ("green", "yellow", "red")
    count = int(e.sum())
    for cf in scalar_forms(float(count))[4:]:
        assert bq.risk.kupiec(cf, n=np.int64(n), level=level).p_value >= 0


@pytest.mark.parametrize("bad", [[], None, "x", [0, 2, 1], [0.5, 1.0], [np.nan, 1], pd.Series([1, pd.NA], dtype="Int64"),
                                 [[0, 1]]], ids=repr)
def test_exception_tests_refuse_bad_series(bad):
    for f in (bq.risk.kupiec, bq.risk.binomial_test, bq.risk.traffic_light):
        assert check(lambda: f(bad, level=0.99), ["exceptions"]) is None
    for f in (bq.risk.tuff, bq.risk.christoffersen, bq.risk.time_between_failures):
        assert check(lambda: f(bad, level=0.99), ["exception_series"]) is None
    assert check(lambda: bq.risk.kupiec(-1, n=10), ["exceptions"]) is None
    assert check(lambda: bq.risk.kupiec(5, n=0), ["n"]) is None
    assert check(lambda: bq.risk.kupiec(5), ["n"]) is None
    assert check(lambda: bq.risk.kupiec([0, 1], level=1.0), ["level"]) is None


@FAST
@given(st.integers(1, 300), st.integers(0, 2**31))
def test_exceptions_and_es_backtest(n, seed):
    rng = np.random.default_rng(seed)
    pnl = rng.standard_t(5, n)
    var = np.full(n, 2.3)
    e = bq.risk.exceptions(pnl, var)
    assert set(np.unique(e)) <= {0, 1}
    assert check(lambda: bq.risk.exceptions(pnl, var[:-1] if n > 1 else []), ["pnl", "var"]) is None
    assert check(lambda: bq.risk.exceptions(pnl, np.full(n, np.nan)), ["var"]) is None
    r = check(lambda: bq.risk.es_backtest(pnl, var, var * 1.2, n_simulations=200, seed=seed),
              ["pnl", "var", "es", "level"])
    assert r is None or isinstance(r, bq.risk.EsBacktestResult)
    assert check(lambda: bq.risk.es_backtest(pnl, var, var * 1.2, dist="x"), ["dist"]) is None


@FAST
@given(returns_like(200, 320), st.sampled_from(["historical", "normal", "filtered_garch", "ewma_normal"]))
def test_rolling_runner(x, method):
    out = check(lambda: quiet(lambda: bq.risk.rolling_backtest(x, window=np.int64(120), method=method, test_days=40,
                                                               es_test=False, refit_every=20)), ["returns"])
    if out is not None:
        assert isinstance(out, bq.risk.BacktestReport)
        assert isinstance(out.tests, bq.risk.BacktestTable) and out.traffic_light.zone in ("green", "yellow", "red")
        assert len(out.table) == 40
    f = check(lambda: quiet(lambda: bq.risk.rolling_forecasts(x, [method, "historical"], level=[0.99, 0.975],
                                                              window=120, refit_every=20)), ["returns", "models"])
    if f is not None:
        t = bq.risk.backtest(f.pnl, f.var, f.es, es_tests=False)
        assert set(t.table["zone"]) <= {"green", "yellow", "red"}
    for bad, name in [(dict(window=1), "window"), (dict(window=10_000), "window"), (dict(level=1.5), "level"),
                      (dict(method="x"), "method"), (dict(refit_every=0), "refit_every")]:
        assert check(lambda: bq.risk.rolling_backtest(x, **{"window": 120, **bad}), [name, "returns"]) is None


@FAST
@given(st.integers(30, 400), st.integers(0, 2**31))
def test_backtest_of_own_forecasts(n, seed):
    rng = np.random.default_rng(seed)
    pnl = pd.Series(rng.standard_t(4, n))
    var = pd.DataFrame({"model": np.full(n, 2.5)})
    t = bq.risk.backtest(pnl, var, level=0.99, es_tests=False)
    assert isinstance(t, bq.risk.BacktestTable)
    assert check(lambda: bq.risk.backtest(pnl, var.iloc[:-1], level=0.99), ["pnl", "var"]) is None
    assert check(lambda: bq.risk.backtest(pnl, var, level=2.0), ["level"]) is None
    assert check(lambda: bq.risk.backtest(pnl.where(pnl > 0), var, level=0.99), ["pnl"]) is None


# --- Portfolio, FRTB and stress ---------------------------------------------------------------

def factor_frame(seed, n=300, k=3):
    idx = pd.bdate_range("2020-01-01", periods=n)
    return pd.DataFrame(np.random.default_rng(seed).standard_t(4, (n, k)) * 0.01, index=idx,
                        columns=[f"f{i}" for i in range(k)])


@FAST
@given(st.integers(0, 2**31), st.sampled_from(["historical", "normal"]))
def test_portfolio_attribution_and_stress(seed, method):
    r = factor_frame(seed)
    pos = pd.Series({"f0": 1e6, "f1": -5e5, "f2": 2e5})
    out = bq.risk.portfolio_var_es(pos, r, method=method)
    assert np.isfinite(out.to_numpy(dtype=float)).all()
    a = bq.risk.attribution(pos, r, method=method)
    assert np.isfinite(a.select_dtypes("number").to_numpy()).all()
    w = bq.risk.worst_windows(pos, r, window=np.int64(5), n=3)
    assert len(w) <= 3
    h = bq.risk.historical_scenario(pos, r, r.index[10], r.index[20])
    assert len(h) > 0
    hy = bq.risk.hypothetical(pos, {"crash": {"f0": -0.2}})
    assert np.isfinite(hy.select_dtypes("number").to_numpy()).all()
    rs = bq.risk.reverse_stress(pos, r.cov(), loss=1e5)
    assert rs is not None
    for call, names in [(lambda: bq.risk.portfolio_var_es(pos.rename({"f0": "zz"}), r), ["positions"]),
                        (lambda: bq.risk.attribution(pos, r.assign(f0=np.nan)), ["factor_returns"]),
                        (lambda: bq.risk.worst_windows(pos, r, window=0), ["window"]),
                        (lambda: bq.risk.historical_scenario(pos, r, r.index[20], r.index[10]), ["start", "end"]),
                        (lambda: bq.risk.hypothetical(pos, {"x": {"nope": 0.1}}), ["shocks["]),
                        (lambda: bq.risk.reverse_stress(pos, r.cov(), loss=-1.0), ["loss"])]:
        assert check(call, names) is None


def test_frtb_liquidity_and_stressed_es():
    pnl = factor_frame(7, 400, 2).rename(columns={"f0": "equity", "f1": "rates"})
    out = bq.risk.liquidity_adjusted_es(pnl, {"equity": 20, "rates": np.int64(10)})
    assert np.isfinite(out.select_dtypes("number").to_numpy()).all()
    assert check(lambda: bq.risk.liquidity_adjusted_es(pnl, {"equity": 7, "rates": 10}), ["liquidity_horizon"]) is None
    assert check(lambda: bq.risk.liquidity_adjusted_es(pnl, {"equity": 20}), ["liquidity_horizon"]) is None
    s = bq.risk.stressed_es(np.float64(3.0), 2.0, np.float32(1.5))
    assert all(np.isfinite(v) for v in s.values() if isinstance(v, float))
    for bad in (np.nan, -1.0, None, "x"):
        assert check(lambda: bq.risk.stressed_es(bad, 2.0, 1.5), ["es_reduced_stressed"]) is None
    assert check(lambda: bq.risk.stressed_es(3.0, 2.0, 0.0), ["es_reduced_current"]) is None


# --- Pricing and the Book ---------------------------------------------------------------------

@FAST
@given(st.floats(1, 1e4), st.floats(0.5, 2), st.floats(1e-3, 30), st.floats(-0.05, 0.2), st.floats(0.01, 3),
       st.sampled_from(["call", "put"]))
def test_black_scholes_and_implied_volatility_round_trip(spot, moneyness, expiry, rate, vol, kind):
    strike = spot * moneyness
    for s in scalar_forms(spot)[:3]:
        g = bq.risk.black_scholes(kind, s, strike, expiry, rate, vol)
        assert np.isfinite(pd.Series(g, dtype=float)).all() if isinstance(g, dict) else True
    price = bq.risk.black_scholes(kind, spot, strike, expiry, rate, vol)["price"]
    try:
        iv = bq.risk.implied_volatility(kind, price, spot, strike, expiry, rate)
    except bq.ConvergenceError as error:  # documented: a price on its bound (no time value in doubles)
        assert "indistinguishable from its bound" in str(error)
        # and it is: within rounding of a no-arbitrage bound (0 once a deep out-of-the-money
        # price underflows, the discounted intrinsic value deep in the money)
        df = math.exp(-rate * expiry)
        lower = max(spot - strike * df, 0.0) if kind == "call" else max(strike * df - spot, 0.0)
        upper = spot if kind == "call" else strike * df
        assert min(abs(price - lower), abs(upper - price)) <= 1e-13 * upper
        return
    # the volatility reprices the quote (the volatility itself is ill-determined at tiny vega)
    assert bq.risk.black_scholes(kind, spot, strike, expiry, rate, iv)["price"] == pytest.approx(price, rel=1e-9)
    vols = bq.risk.implied_volatility(kind, np.array([price, price]), spot, strike, expiry, rate)
    np.testing.assert_array_equal(vols, [iv, iv])  # the array path gives the scalar's answer


# black_scholes and implied_volatility broadcast arrays (vectorised like numpy), and 1e308 is a
# valid if silly spot: the bad scalars here are the ones no pricing function can take.
NOT_NUMBERS = [None, "x", np.nan, np.inf, -np.inf, pd.NA, True, {"a": 1}]


@pytest.mark.parametrize("bad", NOT_NUMBERS, ids=repr)
def test_pricing_bad_scalars_are_named(bad):
    assert check(lambda: bq.risk.black_scholes("call", bad, 100, 1, 0.01, 0.2), ["spot"]) is None
    assert check(lambda: bq.risk.implied_volatility("call", bad, 100, 100, 1, 0.01), ["price"]) is None
    assert check(lambda: bq.risk.fx_forward_rate(bad, 0.01, 0.02, 1.0), ["spot"]) is None
    assert check(lambda: bq.risk.fx_forward_value(1.1, bad, 0.01, 0.02, 1.0), ["strike"]) is None
    assert check(lambda: bq.risk.FixedRateBond(coupon=bad).price(0.03), ["coupon"]) is None
    if bad is not True:  # in a list, True is numpy's 1.0
        assert check(lambda: bq.risk.ZeroCurve([1.0, 2.0], [0.01, bad]), ["zero_rates"]) is None


@FAST
@given(st.lists(st.floats(0.05, 30), min_size=1, max_size=8, unique=True), st.floats(-0.02, 0.1),
       st.sampled_from(["linear_zero", "log_linear_discount"]), st.floats(0.0, 0.12), st.floats(0.5, 30))
def test_curves_and_bonds(times, level, interpolation, coupon, maturity):
    times = sorted(times)
    curve = bq.risk.ZeroCurve(np.array(times), pd.Series([level] * len(times), dtype="Float64"), interpolation)
    assert curve.zero_rate(times[0]) == pytest.approx(level, abs=1e-12)
    bond = bq.risk.FixedRateBond(coupon=np.float32(coupon), maturity=maturity, frequency=np.int64(2))
    p = bond.price(curve)
    assert p > 0 and np.isfinite(p)
    assert bond.yield_to_maturity(p) == pytest.approx(bond.yield_to_maturity(np.float64(p)))
    assert check(lambda: bq.risk.ZeroCurve(times[::-1] + [0.0], [level] * (len(times) + 1)), ["times"]) is None


def small_book():
    curve = bq.risk.ZeroCurve([0.5, 1, 5, 10], [0.03, 0.031, 0.035, 0.038])
    return bq.risk.Book(
        spots=pd.Series({"SPX": 4000.0, "EURUSD": 1.1}), curve=curve,
        options=pd.DataFrame({"underlying": ["SPX"], "type": ["put"], "strike": [3800.0], "expiry": [0.5],
                              "volatility": [0.2], "quantity": [10]}),
        bonds=pd.DataFrame({"coupon": [0.04], "maturity": [7.0], "quantity": [100]}),
        fx_forwards=pd.DataFrame({"pair": ["EURUSD"], "strike": [1.12], "expiry": [1.0], "notional": [1e5],
                                  "rate_foreign": [0.02]}),
        stocks=pd.Series({"SPX": 5.0}))


@FAST
@given(st.floats(-0.3, 0.3), st.floats(-0.02, 0.02), st.floats(-0.1, 0.1), st.integers(1, 20), st.integers(0, 2**31))
def test_book_stress_and_full_revaluation(move, parallel, vol, horizon, seed):
    book = small_book()
    table = bq.risk.stress_test(book, {"s": {"spot": {"SPX": move}, "parallel": parallel, "vol": vol}})
    assert np.isfinite(table.to_numpy(dtype=float)).all()
    cov = np.diag([0.01 ** 2, 0.005 ** 2, 0.0005 ** 2])
    r = bq.risk.full_revaluation_var_es(book, cov, level=[0.99, 0.975], n_scenarios=2000, seed=seed,
                                        horizon_days=np.int64(horizon))
    assert isinstance(r, bq.risk.RevaluationResult)
    assert r.base_value == pytest.approx(book.value(), rel=1e-12)
    assert r.es[0.99] >= r.var[0.99]
    for bad, names in [(dict(n_scenarios=5), ["n_scenarios"]), (dict(horizon_days=0), ["horizon_days"]),
                       (dict(level=1.0), ["level"]), (dict(seed=-1), ["seed"])]:
        assert check(lambda: bq.risk.full_revaluation_var_es(book, cov, **bad), names) is None
    assert check(lambda: bq.risk.full_revaluation_var_es(book, np.eye(2)), ["cov"]) is None
    assert check(lambda: bq.risk.full_revaluation_var_es(book, -np.eye(3)), ["cov"]) is None
    assert check(lambda: bq.risk.stress_test(book, {"s": {"spot": {"XYZ": 0.1}}}), ["spot", "scenarios["]) is None
    assert check(lambda: bq.risk.stress_test(book, {"s": {"sopt": {}}}), ["scenarios["]) is None  # scenarios['s']


def test_book_refuses_positions_on_unknown_names():
    curve = bq.risk.ZeroCurve([1.0], [0.03])
    for kwargs, name in [(dict(stocks=pd.Series({"B": 1.0})), "stocks"),
                         (dict(fx_forwards=pd.DataFrame({"pair": ["GBPUSD"], "strike": [1.2], "expiry": [1.0],
                                                         "notional": [1.0], "rate_foreign": [0.0]})), "fx_forwards")]:
        assert check(lambda: bq.risk.Book(spots=pd.Series({"A": 1.0}), curve=curve, **kwargs), [name]) is None
