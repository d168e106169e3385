"""The volatility family against R's fGarch (golden values: tests/data/risk/make_golden.R, fGarch
4022.89 on R 4.2.2), the published DEM/GBP benchmark, scipy MLEs of the same likelihoods written
independently here, and an independent Hessian; and the Python API on real data."""
import math
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special, stats

import bankquant as bq
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "risk"
GOLDEN = pd.read_csv(DATA / "golden_fgarch.csv", comment="#")
DEM = pd.read_csv(DATA / "dem2gbp.csv")["return"].to_numpy()
CASES = {"garch11": ("garch", 1, 1), "garch11_zero_mean": ("garch", 1, 1), "garch21": ("garch", 2, 1),
         "garch12": ("garch", 1, 2), "gjr11": ("gjr", 1, 1)}
DISTS = {"norm": "normal", "std": "t", "ged": "ged"}


@pytest.fixture(scope="module")
def ibm():
    prices = bq.datasets.dow_jones_30()["IBM"]
    return pd.Series(np.diff(np.log(prices.to_numpy())), index=prices.index[1:], name="IBM")


def _our_name(fgarch_name, p, q):
    if fgarch_name == "shape":
        return "nu"
    base = fgarch_name.rstrip("0123456789")
    if base in ("alpha", "gamma"):
        return base if p == 1 else fgarch_name
    if base == "beta":
        return base if q == 1 else fgarch_name
    return fgarch_name


def _fit_quietly(model, x):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bq.ConvergenceWarning)
        return model.fit(x)


@pytest.mark.parametrize("key", sorted(GOLDEN.groupby(["series", "case", "dist"]).groups), ids=lambda k: "-".join(k))
def test_fits_equal_fgarch(key, ibm):
    series, case, dist = key
    rows = GOLDEN[(GOLDEN.series == series) & (GOLDEN.case == case) & (GOLDEN.dist == dist)]
    model_name, p, q = CASES[case]
    model = bq.risk.VolatilityModel(model_name, p=p, q=q, dist=DISTS[dist],
                                    mean="constant" if rows["mean"].iloc[0] else "zero")
    x = DEM if series == "dem2gbp" else ibm.to_numpy()
    fit = _fit_quietly(model, x)
    reference = rows["log_likelihood_recomputed"].iloc[0]
    # the maximum: at least fGarch's, and the same to rounding where the estimates are interior
    assert fit.log_likelihood >= reference - 1e-7 * abs(reference)
    estimates = {_our_name(r.parameter, p, q): r.estimate for r in rows.itertuples()}
    at_bound = any(abs(v) <= 1e-8 for v in estimates.values())  # fGarch's alpha2 = 1e-8 in GARCH(2,1): a bound
    if not at_bound:
        assert fit.log_likelihood == pytest.approx(reference, abs=2e-3 if case == "gjr11" else 1e-7)
    # our likelihood at fGarch's estimates is fGarch's likelihood there (the same function)
    assert model.log_likelihood(x, estimates) == pytest.approx(reference, rel=1e-11)
    # GARCH estimates to 1e-4 (fGarch's nlminb stops a little before the optimum); GJR to 5e-3
    # (fGarch's APARCH ends further from the optimum, which is below its reported value)
    tol = 5e-3 if case == "gjr11" else 1e-4
    for name, value in estimates.items():
        if abs(value) <= 1e-8:
            assert fit.params[name] == pytest.approx(0.0, abs=1e-6)
            continue
        assert fit.params[name] == pytest.approx(value, rel=tol), name


def test_dem2gbp_equals_the_published_benchmark():
    # Fiorentini, Calzolari and Panattoni (1996) / McCullough and Renfro (1999), GARCH(1,1) on the
    # Bollerslev-Ghysels DEM/GBP returns: mu -0.00619041, omega 0.0107613, alpha 0.153134,
    # beta 0.805974, log-likelihood -1106.608
    fit = bq.risk.Garch11().fit(DEM)
    assert fit.params["mu"] == pytest.approx(-0.00619041, abs=5e-8)
    assert fit.params["omega"] == pytest.approx(0.0107613, abs=1e-7)
    assert fit.params["alpha"] == pytest.approx(0.153134, abs=1e-6)
    assert fit.params["beta"] == pytest.approx(0.805974, abs=1e-6)
    assert fit.log_likelihood == pytest.approx(-1106.608, abs=5e-4)


def _value_hessian(f, x, rel=1e-4, scale=None):
    """Central-difference Hessian of a function of values only (an independent check). Steps are
    ``rel`` times each parameter's size, or its ``scale`` where given: a mean near zero needs the
    data's scale, since a step of 1e-4 |mu| (5.6e-9 on IBM) is noise against the GED density's
    kink at a zero residual (mu's standard error then moved 3.07e-4 to 3.51e-4 with the step)."""
    k = x.size
    size = np.abs(x) if scale is None else np.maximum(np.abs(x), scale)
    h = rel * np.maximum(size, 1e-8)
    H = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            ei, ej = np.eye(k)[i] * h[i], np.eye(k)[j] * h[j]
            H[i, j] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * h[i] * h[j])
    return H


@pytest.mark.parametrize("dist", ["normal", "t", "ged"])
def test_standard_errors_equal_an_independent_hessian_and_fgarch(dist, ibm):
    # Ours come from differences of the exact gradient; the reference differentiates the
    # likelihood values only. fGarch's numerical Hessian (a larger step) gives standard errors 20
    # to 30% smaller than both for IBM's t and GED fits (persistence 0.994, a strongly curved
    # likelihood): it is only compared where it agrees with the independent Hessian.
    x = ibm.to_numpy()
    model = bq.risk.Garch11(dist=dist)
    fit = model.fit(x)
    params = np.array(fit.raw.params)
    scale = np.zeros(params.size)
    scale[0] = x.std()  # the constant mean, on the returns' scale
    H = _value_hessian(lambda v: model.log_likelihood(x, v), params, scale=scale)
    independent = np.sqrt(np.diag(np.linalg.inv(-H)))
    np.testing.assert_allclose(fit.raw.standard_errors, independent, rtol=5e-3)
    rows = GOLDEN[(GOLDEN.series == "dem2gbp") & (GOLDEN.case == "garch11") & (GOLDEN.dist == {"normal": "norm", "t": "std", "ged": "ged"}[dist])]
    dem = _fit_quietly(bq.risk.Garch11(dist=dist), DEM)  # t: persistence 1.009, a boundary fit (as fGarch)
    if dist != "ged":  # fGarch's GED standard errors are 10% off the independent Hessian too
        for r in rows.itertuples():
            assert dem.std_errors[_our_name(r.parameter, 1, 1)] == pytest.approx(r.std_error, rel=0.02)


# --- models fGarch does not have (with this start): against a scipy MLE written independently ------

def _nll(theta, x, model, dist, mean):
    """Minus the log-likelihood, numpy: the recursion and densities of volatility.hpp, written again."""
    k = 0
    mu = phi = 0.0
    if mean != "zero":
        mu = theta[k]; k += 1
    if mean == "ar1":
        phi = theta[k]; k += 1
        e = x[1:] - mu - phi * x[:-1]
    else:
        e = x - mu
    bc = np.mean(e ** 2)
    h = np.empty_like(e)
    if model == "egarch":
        omega, alpha, gamma, beta = theta[k:k + 4]; k += 4
        lh = omega + beta * np.log(bc)
        for t in range(e.size):
            if t > 0:
                z = e[t - 1] / math.sqrt(h[t - 1])
                lh = omega + alpha * (abs(z) - math.sqrt(2 / math.pi)) + gamma * z + beta * lh
            if lh > 700:  # Nelder-Mead wanders: an explosive variance is an infinite objective
                return np.inf
            h[t] = math.exp(lh)
    elif model == "ewma":
        lam = theta[k]; k += 1
        h[0] = np.mean(e[:30] ** 2)
        for t in range(1, e.size):
            h[t] = lam * h[t - 1] + (1 - lam) * e[t - 1] ** 2
    else:
        omega, alpha, beta = theta[k:k + 3]; k += 3
        h[0] = omega + (alpha + beta) * bc
        for t in range(1, e.size):
            h[t] = omega + alpha * e[t - 1] ** 2 + beta * h[t - 1]
    z = e / np.sqrt(h)
    if dist == "normal":
        logf = -0.5 * (np.log(2 * np.pi) + z ** 2)
    else:  # Hansen's skewed t
        nu, lam = theta[k], theta[k + 1]
        c = math.exp(special.gammaln((nu + 1) / 2) - special.gammaln(nu / 2)) / math.sqrt(math.pi * (nu - 2))
        a = 4 * lam * c * (nu - 2) / (nu - 1)
        b = math.sqrt(1 + 3 * lam ** 2 - a ** 2)
        side = np.where(z < -a / b, 1 - lam, 1 + lam)
        logf = math.log(b * c) - (nu + 1) / 2 * np.log1p(((b * z + a) / side) ** 2 / (nu - 2))
    return -np.sum(logf - 0.5 * np.log(h))


@pytest.mark.parametrize("model, dist, mean", [("egarch", "normal", "constant"), ("garch", "skew_t", "constant"),
                                               ("garch", "normal", "ar1"), ("ewma", "normal", "zero")])
def test_other_models_reach_the_maximum_scipy_finds(model, dist, mean, ibm):
    x = ibm.to_numpy()[-1500:] * 100  # percent, as arch advises for scipy's optimisers
    spec = bq.risk.VolatilityModel(model, dist=dist, mean=mean, estimate_lambda=model == "ewma")
    fit = _fit_quietly(spec, x)
    start = np.array(fit.raw.params) * (1 + 0.05 * np.sign(np.array(fit.raw.params)))  # off the optimum
    bounds = [(0.5, 0.99999)] if model == "ewma" else None  # lambda's range, as in volatility.hpp
    if model == "ewma":
        start = np.array([0.94])
    ref = optimize.minimize(_nll, start, args=(x, model, dist, mean), method="Nelder-Mead", bounds=bounds,
                            options={"maxiter": 20000, "maxfev": 20000, "xatol": 1e-9, "fatol": 1e-10})
    # our log-likelihood is this likelihood, and its maximum
    assert fit.log_likelihood == pytest.approx(-_nll(np.array(fit.raw.params), x, model, dist, mean), rel=1e-10)
    assert fit.log_likelihood >= -ref.fun - 1e-6
    np.testing.assert_allclose(fit.raw.params, ref.x, rtol=2e-3, atol=2e-4)


def test_api_forecasts_filter_simulate_and_var(ibm):
    fit = bq.risk.VolatilityModel("gjr", dist="skew_t", mean="ar1").fit(ibm)
    assert fit.conditional_volatility.index.equals(ibm.index[1:])  # AR(1) conditions on the first day
    f = fit.forecast(np.int64(5))  # numpy integers are integers
    assert list(f.columns) == ["variance", "volatility", "cumulative_variance"] and len(f) == 5
    sim = fit.forecast(20, method="simulation", n_paths=50_000)
    np.testing.assert_allclose(sim["variance"], fit.forecast(20)["variance"], rtol=0.02)
    later = fit.filter(ibm.iloc[-300:])
    assert later.params == fit.params and len(later.conditional_volatility) == 299
    paths = fit.simulate(10, 20_000, seed=3)
    np.testing.assert_array_equal(paths, fit.simulate(10, 20_000, seed=3))
    table = bq.risk.var_es(fit, [0.99, 0.975])
    z = fit.raw.next_mean + math.sqrt(fit.raw.next_variance) * np.array(fit.raw.standardized_residuals)
    fhs = bq.risk.var_es(fit, 0.99, method="fhs")
    assert fhs["var"].iloc[0] == pytest.approx(np.quantile(-z, 0.99), rel=1e-12)
    assert (table["es"] > table["var"]).all()
    assert pickle.loads(pickle.dumps(fit)).params == fit.params
    egarch = bq.risk.VolatilityModel("egarch", dist="t").fit(ibm)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'horizon': egarch has no closed-form"):
        egarch.forecast(5)
    assert len(egarch.forecast(5, method="bootstrap", n_paths=5000)) == 5


def test_conditional_methods_of_var_es(ibm):
    x = ibm.iloc[-1500:]
    fit = bq.risk.VolatilityModel(dist="t").fit(x)
    by_method = bq.risk.var_es(x, 0.99, method="garch", dist="t")
    assert by_method["var"].iloc[0] == pytest.approx(bq.risk.var_es(fit, 0.99)["var"].iloc[0], rel=1e-12)
    sigma, mu, nu = math.sqrt(fit.raw.next_variance), fit.raw.next_mean, fit.params["nu"]
    expected = -mu - sigma * math.sqrt((nu - 2) / nu) * stats.t.ppf(0.01, nu)  # unit-variance t quantile
    assert by_method["var"].iloc[0] == pytest.approx(expected, rel=1e-8)
    ewma = bq.risk.var_es(x, 0.99, method="ewma_normal")
    v = bq.risk.ewma_variance(x).attrs["forecast"]
    assert ewma["var"].iloc[0] == pytest.approx(stats.norm.ppf(0.99) * math.sqrt(v), rel=1e-12)
    gjr = bq.risk.var_es(x, 0.99, method="fhs", model=bq.risk.VolatilityModel("gjr"))
    assert gjr.attrs["volatility_forecast"] > 0
    with pytest.raises(bq.InvalidArgumentError, match="argument 'dist': not used by method 'historical'"):
        bq.risk.var_es(x, 0.99, dist="t")


def test_bad_input_and_time_order(ibm):
    with pytest.raises(bq.InvalidArgumentError, match="argument 'model'"):
        bq.risk.VolatilityModel("arch")
    with pytest.raises(bq.InvalidArgumentError, match="argument 'p'"):
        bq.risk.VolatilityModel("garch", p=0)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'estimate_lambda'"):
        bq.risk.VolatilityModel("garch", estimate_lambda=True)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'returns': expected dates in increasing order"):
        bq.risk.Garch11().fit(ibm.iloc[::-1])
    doubled = pd.concat([ibm.iloc[:600], ibm.iloc[599:1200]])
    with pytest.raises(bq.InvalidArgumentError, match="argument 'x': expected one observation per date"):
        bq.risk.var_es(doubled, 0.99, method="age_weighted")
    with pytest.raises(bq.InvalidArgumentError, match="argument 'params'"):
        bq.risk.Garch11().log_likelihood(ibm, {"mu": 0.0})


def test_garch_on_20_observations_is_a_boundary_solution(ibm):
    with pytest.warns(bq.ConvergenceWarning):
        fit = bq.risk.Garch11().fit(ibm.iloc[:20])
    assert not fit.converged
    assert fit.raw.status.code in ("boundary",) and fit.message
