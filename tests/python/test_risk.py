"""Market risk against scipy (distributions, optimiser), numpy and pandas, on the bundled Dow Jones data."""
import numpy as np
import pandas as pd
import pytest
from scipy import integrate, optimize, stats

import bankquant as bq

LEVELS = [0.95, 0.975, 0.99, 0.999]


@pytest.fixture(scope="module")
def ibm():
    prices = bq.datasets.dow_jones_30()["IBM"]
    return pd.Series(np.diff(np.log(prices.to_numpy())), index=prices.index[1:], name="IBM")


def test_normal_and_t_closed_forms_equal_scipy():
    for a in LEVELS:
        z = stats.norm.ppf(a)
        row = bq.risk.var_es(np.array([-1.0, 1.0]), a, method="normal")  # mean 0, sd sqrt(2)
        sd = np.sqrt(2.0)
        assert row["var"].iloc[0] == pytest.approx(sd * z, abs=1e-10)
        assert row["es"].iloc[0] == pytest.approx(sd * stats.norm.pdf(z) / (1 - a), abs=1e-10)


@pytest.mark.parametrize("nu", [3.0, 4.5, 10.0, 30.0])
def test_t_closed_forms_are_exact(nu):
    # Ground truth: mpmath at 40 digits (t CDF by the regularised incomplete beta function). Our
    # quantiles (Boost.Math) agree to 1e-13; scipy 1.10's t.ppf is off by up to 4.6e-9 relative here
    # (measured against the same mpmath values), so scipy is only checked at 1e-8.
    import mpmath as mp

    mp.mp.dps = 40
    n = mp.mpf(nu)
    cdf = lambda t: 1 - mp.betainc(n / 2, mp.mpf(1) / 2, 0, n / (n + t ** 2), regularized=True) / 2
    pdf = lambda t: mp.gamma((n + 1) / 2) / (mp.sqrt(n * mp.pi) * mp.gamma(n / 2)) * (1 + t ** 2 / n) ** (-(n + 1) / 2)
    for a in LEVELS:
        t = bq._core.risk.student_t_var_es(0.0, 1.0, nu, [a])
        v, es = t.var[0], t.es[0]
        q = mp.findroot(lambda t: cdf(t) - mp.mpf(a), stats.t.ppf(a, nu))
        exact_es = pdf(q) * (n + q ** 2) / ((n - 1) * (1 - mp.mpf(a)))
        assert v == pytest.approx(float(q), rel=1e-13)
        assert es == pytest.approx(float(exact_es), rel=1e-13)
        assert v == pytest.approx(stats.t.ppf(a, nu), rel=1e-8)
        # ES is the mean loss beyond VaR: the integral of the quantile function (scipy quad)
        tail = integrate.quad(lambda u: stats.t.ppf(u, nu), a, 1, limit=200)[0] / (1 - a)
        assert es == pytest.approx(tail, rel=1e-7)


def test_t_quantile_is_exact():
    # For nu = 3 the t CDF has a closed form; mpmath (40 digits) solves F(t) = 0.99: 4.54070285856813355...
    import mpmath as mp

    mp.mp.dps = 40
    F = lambda t: mp.mpf(1) / 2 + (t / (mp.sqrt(3) * (1 + t ** 2 / 3)) + mp.atan(t / mp.sqrt(3))) / mp.pi
    exact = float(mp.findroot(lambda t: F(t) - mp.mpf("0.99"), 4.54))
    v = bq._core.risk.student_t_var_es(0.0, 1.0, 3.0, [0.99]).var[0]
    assert v == pytest.approx(exact, abs=1e-14)


def test_historical_equals_numpy(ibm):
    x = ibm.to_numpy()
    table = bq.risk.var_es(x, LEVELS)
    np.testing.assert_allclose(table["var"], np.quantile(-x, LEVELS), rtol=0, atol=1e-15)
    worst = np.sort(-x)[::-1]
    m = int(round(0.01 * x.size * 1000)) / 1000  # 25.28 observations beyond the 99% VaR
    k = int(np.floor(0.01 * x.size))
    expected = (worst[:k].sum() + (0.01 * x.size - k) * worst[k]) / (0.01 * x.size)
    assert table.loc[0.99, "es"] == pytest.approx(expected, abs=1e-15)
    assert (table["es"] >= table["var"]).all()
    assert bq.risk.var(x, 0.99, horizon=10) == pytest.approx(np.sqrt(10) * table.loc[0.99, "var"], rel=1e-15)
    assert m > 0


def test_ewma_equals_pandas(ibm):
    r = ibm.to_numpy()
    v = bq.risk.ewma_variance(ibm, 0.94)
    start = np.mean(r[:30] ** 2)
    ref = pd.Series(np.r_[start, r ** 2]).ewm(alpha=0.06, adjust=False).mean().to_numpy()
    np.testing.assert_allclose(v.to_numpy(), ref[:-1], rtol=1e-12)
    assert v.attrs["forecast"] == pytest.approx(ref[-1], rel=1e-12)
    assert v.index.equals(ibm.index)
    cov = bq.risk.ewma_covariance(pd.DataFrame({"a": r, "b": -r}))
    assert cov.loc["a", "a"] == pytest.approx(ref[-1], rel=1e-12) and cov.loc["a", "b"] == pytest.approx(-ref[-1])


def _garch_negloglik(theta, r, dist):
    mu, omega, alpha, beta = theta[:4]
    e = r - mu
    h = np.empty_like(r)
    h[0] = omega + (alpha + beta) * np.mean(e ** 2)  # fGarch's start (arch's backcast for one lag)
    for t in range(1, r.size):
        h[t] = omega + alpha * e[t - 1] ** 2 + beta * h[t - 1]
    if dist == "normal":
        return 0.5 * np.sum(np.log(2 * np.pi) + np.log(h) + e ** 2 / h)
    nu = theta[4]
    c = stats.t.logpdf(0, nu) if False else (np.log(np.math.gamma((nu + 1) / 2)) - np.log(np.math.gamma(nu / 2))
                                               - 0.5 * np.log(np.pi * (nu - 2)))
    return -np.sum(c - 0.5 * np.log(h) - (nu + 1) / 2 * np.log1p(e ** 2 / (h * (nu - 2))))


@pytest.mark.parametrize("dist", ["normal", "t"])
def test_garch_reaches_the_maximum_scipy_finds(ibm, dist):
    r = ibm.to_numpy()[-1500:]
    fit = bq.risk.Garch11(dist=dist).fit(r)
    assert fit.converged
    # scipy's L-BFGS-B on the same likelihood (returns in percent, as arch advises), from our start
    s = 100.0
    x0 = [r.mean() * s, 0.05 * r.var() * s * s, 0.05, 0.9] + ([8.0] if dist == "t" else [])
    bounds = [(None, None), (1e-8, None), (0, 1), (0, 1)] + ([(2.05, 200)] if dist == "t" else [])
    cons_ok = lambda th: th[2] + th[3] < 1
    ref = optimize.minimize(_garch_negloglik, x0, args=(r * s, dist), method="L-BFGS-B", bounds=bounds)
    assert cons_ok(ref.x)
    ref_ll = -ref.fun - r.size * np.log(s)
    assert fit.log_likelihood >= ref_ll - 1e-6 * abs(ref_ll)  # at least as good as scipy's optimum
    assert fit.params["alpha"] == pytest.approx(ref.x[2], abs=5e-3)
    assert fit.params["beta"] == pytest.approx(ref.x[3], abs=5e-3)
    ours = bq.risk.Garch11(dist=dist).log_likelihood(r, fit.params)
    assert ours == pytest.approx(fit.log_likelihood, rel=1e-10)
    f = fit.forecast(250)
    assert f["variance"].iloc[0] == pytest.approx(fit.next_variance)
    assert set(fit.summary().index) == set(fit.params)


def test_garch_not_converging_warns(ibm):
    with pytest.warns(bq.ConvergenceWarning, match="GARCH"):
        bq.risk.Garch11(max_evaluations=2).fit(ibm.to_numpy())


def test_backtests_equal_scipy():
    for x in [0, 2, 5, 8, 12]:
        k = bq.risk.kupiec(x, 250, level=0.99)
        assert k.p_value == pytest.approx(stats.chi2.sf(k.statistic, 1), abs=1e-12)
        lr = lambda j: (-2 * (stats.binom.logpmf(j, 250, 0.01))
                        + 2 * (stats.binom.logpmf(j, 250, j / 250) if 0 < j < 250 else 0.0))
        exact = sum(stats.binom.pmf(j, 250, 0.01) for j in range(251) if lr(j) >= lr(x) * (1 - 1e-12))
        assert k.p_value_exact == pytest.approx(exact, abs=1e-10)
        b = bq.risk.binomial_test(x, 250, 0.99)
        assert b.p_value == pytest.approx(stats.binomtest(x, 250, 0.01, alternative="greater").pvalue, abs=1e-12)
        t = bq.risk.traffic_light(x, 250, 0.99)
        assert t.cumulative_probability == pytest.approx(stats.binom.cdf(x, 250, 0.01), abs=1e-12)


def test_christoffersen_by_hand():
    rng = np.random.default_rng(0)
    e = (rng.random(1000) < 0.02).astype(int)
    e[500:505] = 1
    r = bq.risk.christoffersen(e, level=0.99)
    n00, n01, n10, n11 = r.n00, r.n01, r.n10, r.n11
    pairs = list(zip(e[:-1], e[1:]))
    assert (n00, n01, n10, n11) == (pairs.count((0, 0)), pairs.count((0, 1)), pairs.count((1, 0)), pairs.count((1, 1)))
    p0, p1, p = n01 / (n00 + n01), n11 / (n10 + n11), (n01 + n11) / len(pairs)
    ll = lambda q, a, b: a * np.log(1 - q) + b * np.log(q)
    lr_ind = -2 * (ll(p, n00 + n10, n01 + n11) - ll(p0, n00, n01) - ll(p1, n10, n11))
    assert r.independence.statistic == pytest.approx(lr_ind, rel=1e-10)
    assert r.independence.p_value == pytest.approx(stats.chi2.sf(lr_ind, 1), rel=1e-10)
    assert r.p_value == pytest.approx(stats.chi2.sf(r.statistic, 2), rel=1e-10)


def test_rolling_backtest_on_real_data(ibm):
    # One year of out-of-sample 99% historical VaR from a 500-day window: exceptions and the zone.
    r = ibm.to_numpy()
    days = range(len(r) - 250, len(r))
    var = np.array([bq.risk.var(r[t - 500:t], 0.99) for t in days])
    pnl = r[len(r) - 250:]
    e = bq.risk.exceptions(pnl, var)
    assert e.sum() == ((-pnl) > var).sum()
    zone = bq.risk.traffic_light(e.sum()).zone
    assert zone in ("green", "yellow", "red")
    assert bq.risk.kupiec(e, level=0.99).statistic >= 0


def test_monte_carlo_reproducible_and_close_to_closed_form(restore_threads):
    cov = np.array([[0.0004, 0.0001], [0.0001, 0.0009]])
    w = np.array([0.6, 0.4])
    sd = np.sqrt(w @ cov @ w)
    bq.set_num_threads(1)
    a = bq.risk.monte_carlo_var_es(w, cov, [0.99, 0.975], n_scenarios=500_000, seed=9, return_pnl=True)
    bq.set_num_threads(2)
    b = bq.risk.monte_carlo_var_es(w, cov, [0.99, 0.975], n_scenarios=500_000, seed=9, return_pnl=True)
    np.testing.assert_array_equal(a.pnl, b.pnl)
    assert a.var[0.99] == pytest.approx(stats.norm.ppf(0.99) * sd, rel=0.01)
    assert a.es[0.975] == pytest.approx(stats.norm.pdf(stats.norm.ppf(0.975)) / 0.025 * sd, rel=0.01)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda r: bq.risk.var(r, 1.5), bq.InvalidArgumentError, r"argument 'level': expected a confidence level in \(0.5, 1\)"),
        (lambda r: bq.risk.var(r, 0.05), bq.InvalidArgumentError, r"for a tail probability of 0.05 pass level=0.95"),
        (lambda r: bq.risk.var(r, 0.99, nu=5), bq.InvalidArgumentError, r"argument 'nu': not used by method 'historical'"),
        (lambda r: bq.risk.var(r, 0.99, method="normal", lambda_=0.9), bq.InvalidArgumentError, r"argument 'lambda_'"),
        (lambda r: bq.risk.var(np.nan, 0.99, method="normal"), bq.InvalidArgumentError, r"argument 'x'"),
        (lambda r: bq.risk.var(r[:50], 0.99), bq.InvalidArgumentError, "needs at least 100 observations"),
        (lambda r: bq.risk.var(np.r_[r, np.nan], 0.99), bq.InvalidArgumentError, "found nan at index"),
        (lambda r: bq.risk.var(r, 0.99, method="magic"), bq.InvalidArgumentError, "argument 'method'"),
        (lambda r: bq.risk.var(r, 0.99, horizon=0), bq.InvalidArgumentError, "argument 'horizon'"),
        (lambda r: bq.risk.var([], 0.99), bq.InvalidArgumentError, "argument 'x'"),
        (lambda r: bq.risk.Garch11(dist="skewt"), bq.InvalidArgumentError, "argument 'dist'"),
        (lambda r: bq.risk.Garch11().fit(r[:10]), bq.InvalidArgumentError, "at least 20"),
        (lambda r: bq.risk.monte_carlo_var_es([1, 1], np.eye(3)), bq.InvalidArgumentError, r"arguments 'weights' and 'cov'"),
        (lambda r: bq.risk.monte_carlo_var_es([1, 1, 1], [[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]], n_scenarios=1000),
         bq.InvalidArgumentError, "positive semi-definite"),
        (lambda r: bq.risk.monte_carlo_var_es([1], [[1]], dist="t", nu=2), bq.InvalidArgumentError, "argument 'nu'"),
        (lambda r: bq.risk.kupiec(300, 250), bq.InvalidArgumentError, "at most n = 250"),
        (lambda r: bq.risk.kupiec(3), bq.InvalidArgumentError, "argument 'n'"),
        (lambda r: bq.risk.christoffersen([0, 2, 1]), bq.InvalidArgumentError, "0/1 flags"),
        (lambda r: bq.risk.kupiec(2, -250), bq.InvalidArgumentError, "argument 'n'"),
        (lambda r: bq.risk.monte_carlo_var_es([1, 1], np.eye(2), n_scenarios=2**64), bq.InvalidArgumentError,
         "argument 'n_scenarios'"),
        (lambda r: bq.risk.monte_carlo_var_es([1, 1], np.eye(2), n_scenarios=1e13), bq.InvalidArgumentError,
         "argument 'n_scenarios': 10000000000000 needs"),
        (lambda r: bq.risk.monte_carlo_var_es([1, 1, 1], np.eye(2)), bq.InvalidArgumentError,
         "arguments 'weights' and 'cov'"),
        (lambda r: bq.risk.traffic_light(-1), bq.InvalidArgumentError, "argument 'exceptions'"),
    ],
)
def test_bad_input(ibm, call, error, message):
    with pytest.raises(error, match=message):
        call(ibm.to_numpy())


def test_nearest_psd_repair():
    bad = np.array([[1, .9, -.9], [.9, 1, .9], [-.9, .9, 1]])
    r = bq.risk.monte_carlo_var_es([1, 1, 1], bad, n_scenarios=1000, psd_repair="nearest")
    assert r.repaired and r.repair_distance > 0
    fixed = bq.risk.nearest_psd(bad)
    assert np.linalg.eigvalsh(fixed).min() > -1e-12
    # nothing nearer: a random PSD matrix is never closer to `bad` (Higham 1988)
    rng = np.random.default_rng(1)
    for _ in range(100):
        a = rng.standard_normal((3, 3))
        other = fixed + 0.05 * a @ a.T
        assert np.linalg.norm(other - bad) >= np.linalg.norm(fixed - bad) - 1e-12


def test_var_es_many_equals_one_at_a_time(restore_threads):
    rng = np.random.default_rng(5)
    pnl = rng.standard_t(4, size=(1000, 37))
    many = bq.risk.var_es_many(pnl, [0.99, 0.975])
    for p in range(37):
        one = bq.risk.var_es(pnl[:, p], [0.99, 0.975])
        for lv in [0.99, 0.975]:
            assert many.loc[p, (lv, "var")] == pytest.approx(one.loc[lv, "var"], rel=1e-14)
            assert many.loc[p, (lv, "es")] == pytest.approx(one.loc[lv, "es"], rel=1e-14)
    bq.set_num_threads(1)
    single = bq.risk.var_es_many(pnl, 0.99)
    bq.set_num_threads(2)
    pd.testing.assert_frame_equal(single, bq.risk.var_es_many(pnl, 0.99))
    with pytest.raises(bq.InvalidArgumentError, match="argument 'pnl'"):
        bq.risk.var_es_many(pnl[:, 0], 0.99)


def test_var_es_many_names_the_first_non_finite_value():
    pnl = np.zeros((200, 30))
    pnl[150, 7] = np.inf
    pnl[170, 2] = np.nan
    with pytest.raises(bq.InvalidArgumentError, match="found inf at day 150, portfolio 7"):
        bq.risk.var_es_many(pnl, 0.99)


def test_multi_day_simulation_matches_the_garch_forecast(ibm):
    r = ibm.to_numpy()[-2000:]
    fit = bq.risk.Garch11().fit(r)
    paths = bq.risk.simulate_paths(r, horizon=10, n_paths=200_000, method="garch_normal", seed=3)
    # the simulated 10-day variance equals the sum of GARCH's 1..10-day variance forecasts
    expected = fit.forecast(10)["cumulative_variance"].iloc[-1]
    assert paths.var() == pytest.approx(expected, rel=0.02)
    assert paths.mean() == pytest.approx(10 * fit.params["mu"], abs=4 * np.sqrt(expected / 200_000))
    fhs = bq.risk.simulate_paths(r, horizon=10, n_paths=200_000, method="fhs_garch", seed=3)
    assert fhs.var() == pytest.approx(expected, rel=0.05)  # residuals have unit variance, up to sampling
    boot = bq.risk.simulate_paths(r, horizon=10, n_paths=200_000, method="bootstrap", seed=3)
    assert boot.var() == pytest.approx(10 * r.var(), rel=0.02)  # i.i.d. sums: variance times 10
    t = bq.risk.multi_day_var_es(r, horizon=10, n_paths=50_000)
    assert (t["es"] >= t["var"]).all()
    np.testing.assert_array_equal(bq.risk.simulate_paths(r, 5, 1000, seed=9), bq.risk.simulate_paths(r, 5, 1000, seed=9))
    with pytest.raises(bq.InvalidArgumentError, match="argument 'method'"):
        bq.risk.simulate_paths(r, method="magic")


def test_monte_carlo_pairs_weights_and_covariance_by_ticker():
    """Tryout: the same book listed in another order than its covariance gave another VaR."""
    prices = bq.datasets.dow_jones_30().select_dtypes("number")
    cov = np.log(prices).diff().dropna().cov()
    w = pd.Series(np.linspace(1, 3, len(cov)) * 1e4, index=cov.columns)
    base = bq.risk.monte_carlo_var_es(w, cov, 0.99, n_scenarios=20_000, seed=1)
    shuffled = bq.risk.monte_carlo_var_es(w.iloc[::-1], cov, 0.99, n_scenarios=20_000, seed=1)
    assert shuffled.var == base.var and shuffled.es == base.es
    # a covariance in another order draws other scenarios for each ticker: the same book's VaR, within
    # Monte Carlo error of the closed form z * sqrt(w' cov w) (a wrong pairing is 1.6% off at 200k)
    analytic = stats.norm.ppf(0.99) * float(np.sqrt(w @ cov @ w))
    reordered_cov = bq.risk.monte_carlo_var_es(w, cov.iloc[::-1, ::-1], 0.99, n_scenarios=200_000, seed=1)
    assert reordered_cov.var == pytest.approx(analytic, rel=0.01)
    with pytest.raises(bq.InvalidArgumentError, match="no weight for"):
        bq.risk.monte_carlo_var_es(w.iloc[1:], cov, 0.99, n_scenarios=20_000)
    with pytest.raises(bq.InvalidArgumentError, match="no covariance for"):
        bq.risk.monte_carlo_var_es(w.rename({w.index[0]: "XYZ"}), cov, 0.99, n_scenarios=20_000)
