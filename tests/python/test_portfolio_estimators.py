"""Estimators of bankquant.portfolio against scikit-learn 1.2.1, pandas 1.5.3, statsmodels 0.13.5 and
independent numpy implementations of the published formulas, on the Dow Jones 30 data."""
import numpy as np
import pandas as pd
import pytest

import bankquant as bq

pf = bq.portfolio


@pytest.fixture(scope="module")
def returns():
    return pf.returns_from_prices(bq.datasets.dow_jones_30())


def test_returns_from_prices(returns):
    prices = bq.datasets.dow_jones_30()
    np.testing.assert_allclose(returns.to_numpy(), prices.pct_change().dropna().to_numpy(), rtol=1e-14)
    logs = pf.returns_from_prices(prices, log=True)
    np.testing.assert_allclose(logs.to_numpy(), np.diff(np.log(prices.to_numpy()), axis=0), rtol=1e-12, atol=1e-15)
    with pytest.raises(bq.InvalidArgumentError, match="prices"):
        pf.returns_from_prices(prices.iloc[:1])
    bad = prices.copy()
    bad.iloc[3, 2] = -1.0
    with pytest.raises(bq.InvalidArgumentError, match="positive"):
        pf.returns_from_prices(bad)


def test_sample_and_pairwise_equal_pandas(returns):
    S = pf.covariance(returns, periods_per_year=1)
    np.testing.assert_allclose(S.to_numpy(), returns.cov().to_numpy(), rtol=1e-12, atol=1e-18)
    gappy = returns.copy()
    rng = np.random.default_rng(0)
    for col in gappy.columns[:10]:
        gappy.loc[gappy.index[rng.choice(len(gappy), 40, replace=False)], col] = np.nan
    pw = pf.covariance(gappy, missing="pairwise", periods_per_year=1)
    np.testing.assert_allclose(pw.to_numpy(), gappy.cov().to_numpy(), rtol=1e-10, atol=1e-16)  # pandas is pairwise
    assert pw.attrs["missing"] == "pairwise"
    complete = pf.covariance(gappy, periods_per_year=1)
    np.testing.assert_allclose(complete.to_numpy(), gappy.dropna().cov().to_numpy(), rtol=1e-12, atol=1e-18)
    assert complete.attrs["rows_dropped"] == int(gappy.isna().any(axis=1).sum())


def test_fill_zero_shrinks_ledoit_wolf_inputs(returns):
    """PyPortfolioOpt fills gaps with zeros; its variances shrink. bankquant makes the policy explicit."""
    gappy = returns.copy()
    gappy.iloc[::4, 0] = np.nan
    zero = pf.covariance(gappy, "ledoit_wolf", missing="fill_zero")
    mean = pf.covariance(gappy, "ledoit_wolf", missing="fill_mean")
    drop = pf.covariance(gappy, "ledoit_wolf", missing="complete")
    assert zero.iloc[0, 0] < drop.iloc[0, 0]
    assert zero.attrs["missing"] == "fill_zero" and mean.attrs["missing"] == "fill_mean"
    with pytest.raises(bq.InvalidArgumentError, match="'missing'"):
        pf.covariance(gappy, "ledoit_wolf", missing="pairwise")


def test_ledoit_wolf_and_oas_equal_scikit_learn(returns):
    from sklearn.covariance import OAS, LedoitWolf

    head = returns.iloc[:150]
    lw = LedoitWolf().fit(head.to_numpy())
    ours = pf.covariance(head, "ledoit_wolf", periods_per_year=1)
    np.testing.assert_allclose(ours.to_numpy(), lw.covariance_, rtol=1e-11, atol=1e-18)
    assert ours.attrs["shrinkage"] == pytest.approx(lw.shrinkage_, rel=1e-11)
    oas = OAS().fit(head.to_numpy())
    ours = pf.covariance(head, "oas", periods_per_year=1)
    np.testing.assert_allclose(ours.to_numpy(), oas.covariance_, rtol=1e-11, atol=1e-18)


def _lw_constant_correlation(X):
    """Ledoit and Wolf (2004), 'Honey, I shrunk the sample covariance matrix', written from the paper
    with explicit loops over the asymptotic terms (an independent implementation)."""
    T, n = X.shape
    X = X - X.mean(axis=0)
    S = X.T @ X / T
    sd = np.sqrt(np.diag(S))
    R = S / np.outer(sd, sd)
    rbar = (R.sum() - n) / (n * (n - 1))
    F = rbar * np.outer(sd, sd)
    np.fill_diagonal(F, np.diag(S))
    pi = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            pi[i, j] = np.mean((X[:, i] * X[:, j] - S[i, j]) ** 2)
    rho = np.trace(pi)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            th_ii = np.mean((X[:, i] ** 2 - S[i, i]) * (X[:, i] * X[:, j] - S[i, j]))
            th_jj = np.mean((X[:, j] ** 2 - S[j, j]) * (X[:, i] * X[:, j] - S[i, j]))
            rho += rbar / 2 * (np.sqrt(S[j, j] / S[i, i]) * th_ii + np.sqrt(S[i, i] / S[j, j]) * th_jj)
    gamma = ((F - S) ** 2).sum()
    d = max(0.0, min(1.0, (pi.sum() - rho) / gamma / T))
    return d * F + (1 - d) * S, d


def test_constant_correlation_target_equals_the_paper(returns):
    X = returns.iloc[:200, :12].to_numpy()
    ref, d = _lw_constant_correlation(X)
    ours = pf.covariance(returns.iloc[:200, :12], "ledoit_wolf", target="constant_correlation", periods_per_year=1)
    assert ours.attrs["shrinkage"] == pytest.approx(d, rel=1e-10)
    np.testing.assert_allclose(ours.to_numpy(), ref, rtol=1e-10)


def test_single_factor_target_is_a_valid_shrinkage(returns):
    X = returns.iloc[:200].to_numpy()
    ours = pf.covariance(returns.iloc[:200], "ledoit_wolf", target="single_factor", periods_per_year=1)
    d = ours.attrs["shrinkage"]
    assert 0 < d < 1
    # The target is the market model with the equally weighted market: recover it and check.
    Xc = X - X.mean(axis=0)
    S = Xc.T @ Xc / len(X)
    m = Xc.mean(axis=1)
    b = Xc.T @ m / len(X)
    F = np.outer(b, b) / (m @ m / len(X))
    np.fill_diagonal(F, np.diag(S))
    np.testing.assert_allclose(ours.to_numpy(), d * F + (1 - d) * S, rtol=1e-10)


def test_ewma_equals_pandas_ewm(returns):
    r = returns.iloc[-500:, :5]
    ours = pf.covariance(r, "ewma", half_life=30, periods_per_year=1)
    lam = 0.5 ** (1 / 30)
    w = lam ** np.arange(len(r))[::-1]
    w /= w.sum()
    m = w @ r.to_numpy()
    C = (r.to_numpy() - m).T @ np.diag(w) @ (r.to_numpy() - m)
    np.testing.assert_allclose(ours.to_numpy(), C, rtol=1e-12)
    # pandas' ewm(adjust=True) mean is the same weighted mean.
    np.testing.assert_allclose(r.ewm(halflife=30).mean().iloc[-1].to_numpy(), m, rtol=1e-12)


def test_expected_returns(returns):
    mu = pf.expected_returns(returns)
    np.testing.assert_allclose(mu.to_numpy(), returns.mean().to_numpy() * 252, rtol=1e-13)
    g = pf.expected_returns(returns, compounding=True)
    np.testing.assert_allclose(g.to_numpy(), (1 + returns).prod() ** (252 / len(returns)) - 1, rtol=1e-11)
    capm = pf.expected_returns(returns, "capm", risk_free=0.03)
    market = returns.mean(axis=1)
    beta = returns.apply(lambda c: np.cov(c, market)[0, 1] / market.var())
    np.testing.assert_allclose(capm.attrs["betas"].to_numpy(), beta.to_numpy(), rtol=1e-11)
    np.testing.assert_allclose(capm.to_numpy(), 0.03 + beta.to_numpy() * (market.mean() * 252 - 0.03), rtol=1e-11)
    ew = pf.expected_returns(returns, "ewma", half_life=60)
    np.testing.assert_allclose(ew.to_numpy(), returns.ewm(halflife=60).mean().iloc[-1].to_numpy() * 252, rtol=1e-11)
    js = pf.expected_returns(returns, "james_stein")
    m = returns.mean().to_numpy()
    S = returns.cov().to_numpy()
    dev = m - m.mean()
    c = min(1.0, (30 - 3) / (len(returns) * dev @ np.linalg.solve(S, dev)))
    np.testing.assert_allclose(js.to_numpy(), (m.mean() + (1 - c) * dev) * 252, rtol=1e-10)
    with pytest.raises(bq.InvalidArgumentError, match="'method'"):
        pf.expected_returns(returns, "median")


def test_factor_model_and_nearest_psd(returns):
    fm = pf.factor_model(returns, n_factors=3)
    dense = pf.covariance(returns, "factor", n_factors=3)
    np.testing.assert_allclose(fm.covariance().to_numpy(), dense.to_numpy(), rtol=1e-12)
    assert 0 < fm.explained_variance < 1
    from statsmodels.stats.correlation_tools import corr_nearest

    bad = np.array([[1.0, 0.9, 0.7], [0.9, 1.0, -0.3], [0.7, -0.3, 1.0]])
    ours = pf.nearest_psd(bad, eigenvalue_floor=0.0, tolerance=1e-15, max_iterations=10_000)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns at its own iteration limit
        ref = corr_nearest(bad, threshold=1e-15, n_fact=10_000)
    np.testing.assert_allclose(ours.matrix, ref, atol=1e-5)   # statsmodels stops at its own tolerance
    assert ours.negative_eigenvalues == 1 and np.min(ours.eigenvalues_after) > -1e-12
    cov = pf.covariance(returns)
    assert not pf.nearest_psd(cov).repaired
    with pytest.raises(bq.InvalidArgumentError, match="symmetric"):
        pf.nearest_psd(np.array([[1.0, 0.5], [0.2, 1.0]]))


def test_annualisation():
    assert pf.annualize_returns(0.01, 12) == pytest.approx(0.12)
    assert pf.annualize_returns(0.01, 12, compounding=True) == pytest.approx(1.01 ** 12 - 1)
    assert pf.annualize_volatility(0.01, 252) == pytest.approx(0.01 * np.sqrt(252))
    s = pd.Series([0.001, 0.002], index=["a", "b"])
    assert list(pf.annualize_returns(s).index) == ["a", "b"]
    S = pf.annualize_covariance(pd.DataFrame(np.eye(2), index=["a", "b"], columns=["a", "b"]), 12)
    assert S.loc["a", "a"] == 12
    with pytest.raises(bq.InvalidArgumentError, match="periods_per_year"):
        pf.annualize_volatility(0.01, 0)


@pytest.mark.parametrize("method", ["sample", "ledoit_wolf", "oas", "factor"])
def test_estimators_are_exactly_homogeneous_at_extreme_scales(method):
    """Found by a new-user tryout: Ledoit-Wolf and OAS form fourth powers, which overflowed to an
    all-NaN matrix for returns scaled by 1e150. Scaling the returns by s scales every estimate by s^2."""
    r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30()).iloc[:, :8]
    base = bq.portfolio.covariance(r, method)
    for s in (1e150, 1e-150):
        scaled = bq.portfolio.covariance(r * s, method)
        assert np.isfinite(scaled.to_numpy()).all()
        np.testing.assert_allclose(scaled.to_numpy() / s**2, base.to_numpy(), rtol=1e-12)
        assert scaled.attrs.get("shrinkage") == pytest.approx(base.attrs.get("shrinkage"), rel=1e-12)
