"""Issue 10, found by a new-user tryout: singular and nearly singular covariance matrices, on the Dow
Jones 30 and the EU indices. A duplicated asset (one return column twice) or a column of near-zero
variance made min_volatility, max_sharpe and the Advisor raise ConvergenceError ("the objective
decreases without bound along a direction of zero curvature ...") although the budget and the
bounds make every problem bounded, and the frontier collapsed to copies of the minimum-risk
portfolio. References: the same problem without the copy (the copies share the original's weight
in some split), and cvxopt 1.3.0 solvers.qp (Debian's python3-cvxopt) at tight tolerances."""
import warnings

import numpy as np
import pandas as pd
import pytest
from cvxopt import matrix, solvers

import bankquant as bq

pf = bq.portfolio


def cvx_qp(P, q, G, h, A, b):
    """cvxopt at the tightest tolerance it reaches 'optimal' at."""
    for tol in (1e-12, 1e-10, 1e-8, 1e-7):
        solvers.options.update({"show_progress": False, "abstol": tol, "reltol": tol, "feastol": tol,
                                "maxiters": 200})
        sol = solvers.qp(matrix(np.asarray(P, float)), matrix(np.asarray(q, float)), matrix(np.asarray(G, float)),
                         matrix(np.asarray(h, float)), matrix(np.asarray(A, float)), matrix(np.asarray(b, float)))
        if sol["status"] == "optimal":
            return np.array(sol["x"]).ravel()
    raise AssertionError(f"cvxopt did not reach optimal: {sol['status']}")


@pytest.fixture(scope="module")
def dow():
    return pf.returns_from_prices(bq.datasets.dow_jones_30())


def with_copy(r, asset):
    out = r.copy()
    out[f"{asset} (copy)"] = r[asset]
    return out


def no_warning(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("error", bq.ConvergenceWarning)
        return fn()


def merged(weights, asset):
    """Weights of the universe without the copy: the copy's weight added to the original's."""
    w = weights.copy()
    w[asset] += w.pop(f"{asset} (copy)")
    return w


@pytest.mark.parametrize("asset", ["IBM", "JNJ", "MSFT", "AA"])
@pytest.mark.parametrize("bounds", [(0.0, 1.0), (0.0, 0.3), (-0.5, 1.0), (None, None)],
                         ids=["long", "capped", "short", "free"])
def test_a_duplicated_asset_changes_no_optimum(dow, asset, bounds):
    r2 = with_copy(dow, asset)
    mu, S = pf.expected_returns(dow), pf.covariance(dow)
    mu2, S2 = pf.expected_returns(r2), pf.covariance(r2)
    assert np.linalg.matrix_rank(S2.to_numpy()) == 30  # 31 columns: singular
    # The copies are one asset with twice the bounds: the reference lets the original hold them.
    if bounds[0] is None:
        reference = bounds
    else:
        lower, upper = pd.Series(bounds[0], index=mu.index), pd.Series(bounds[1], index=mu.index)
        lower[asset], upper[asset] = 2 * bounds[0], 2 * bounds[1]
        reference = (lower, upper)
    plain = pf.MeanVariance(mu, S, bounds=reference)
    twice = pf.MeanVariance(mu2, S2, bounds=bounds)
    methods = [("min_volatility", ()), ("max_sharpe", (0.02,)), ("max_quadratic_utility", (2.0,)),
               ("efficient_return", (0.25,))]
    if bounds[0] is not None:
        methods.append(("efficient_risk", (0.2,)))
    for method, args in methods:
        a = getattr(plain, method)(*args)
        b = no_warning(lambda: getattr(twice, method)(*args))
        assert b.status.code == "converged", (method, b.status.message)
        assert b.volatility == pytest.approx(a.volatility, rel=1e-9, abs=1e-12), method
        assert b.expected_return == pytest.approx(a.expected_return, rel=1e-9, abs=1e-12), method
        np.testing.assert_allclose(merged(b.weights, asset)[mu.index].to_numpy(), a.weights.to_numpy(), atol=1e-8,
                                   err_msg=method)
        assert b.weights.sum() == pytest.approx(1.0, abs=1e-12)
        if bounds[0] is not None:
            assert b.weights.min() >= bounds[0] - 1e-15 and b.weights.max() <= bounds[1] + 1e-15
        if method in ("min_volatility", "max_quadratic_utility"):
            assert b.raw.primal_residual <= 1e-12 and b.raw.dual_residual <= 1e-12, method


def test_a_duplicated_asset_equals_cvxopt(dow):
    r2 = with_copy(dow, "IBM")
    mu, S = pf.expected_returns(r2), pf.covariance(r2)
    n = len(mu)
    G = np.vstack([-np.eye(n), np.eye(n)])
    h = np.concatenate([np.zeros(n), np.full(n, 0.1)])
    low = no_warning(lambda: pf.MeanVariance(mu, S, bounds=(0, 0.1)).min_volatility())
    x = cvx_qp(2 * S.to_numpy(), np.zeros(n), G, h, np.ones((1, n)), [1.0])
    # cvxopt splits IBM's weight evenly between the copies, the active-set method at a vertex:
    # compare everything else, the pair's sum and the variance.
    others = [a for a in mu.index if not a.startswith("IBM")]
    np.testing.assert_allclose(low.weights[others].to_numpy(), x[[mu.index.get_loc(a) for a in others]], atol=1e-6)
    assert low.weights["IBM"] + low.weights["IBM (copy)"] == pytest.approx(x[16] + x[30], abs=1e-6)
    assert low.volatility ** 2 <= x @ S.to_numpy() @ x * (1 + 1e-10)
    # max Sharpe on cvxopt's homogenisation: min y'Sy, (mu - rf)'y = 1, 1'y = k, 0 <= y <= 0.1 k.
    rf = 0.03
    best = no_warning(lambda: pf.MeanVariance(mu, S, bounds=(0, 0.1)).max_sharpe(rf))
    P = np.zeros((n + 1, n + 1))
    P[:n, :n] = 2 * S.to_numpy()
    G = np.vstack([np.hstack([-np.eye(n), np.zeros((n, 1))]), np.hstack([np.eye(n), -0.1 * np.ones((n, 1))]),
                   np.hstack([np.zeros((1, n)), -np.ones((1, 1))])])
    A = np.vstack([np.concatenate([mu.to_numpy() - rf, [0.0]]), np.concatenate([np.ones(n), [-1.0]])])
    z = cvx_qp(P, np.zeros(n + 1), G, np.zeros(2 * n + 1), A, [1.0, 0.0])
    w = z[:n] / z[n]
    sharpe = (mu.to_numpy() @ w - rf) / np.sqrt(w @ S.to_numpy() @ w)
    assert best.sharpe == pytest.approx(sharpe, rel=1e-7)
    assert best.sharpe >= sharpe - 1e-12


def test_a_near_riskless_column_equals_cvxopt(dow):
    # A column of noise of variance 1e-12 a day: nearly riskless and uncorrelated.
    r2 = dow.copy()
    r2["FLAT"] = np.random.default_rng(3).normal(0.0, 1e-6, len(dow))
    mu, S = pf.expected_returns(r2), pf.covariance(r2)
    n = len(mu)
    for hi in (1.0, 0.5, 0.1):
        mv = pf.MeanVariance(mu, S, bounds=(0, hi))
        low = no_warning(mv.min_volatility)
        assert low.status.code == "converged"
        if hi < 1:  # at 1 a little of the stocks against the noise's sample correlation lowers the risk
            assert low.weights["FLAT"] == pytest.approx(hi, abs=1e-9)
        G = np.vstack([-np.eye(n), np.eye(n)])
        h = np.concatenate([np.zeros(n), np.full(n, hi)])
        x = cvx_qp(2 * S.to_numpy() / S.to_numpy().max(), np.zeros(n), G, h, np.ones((1, n)), [1.0])
        np.testing.assert_allclose(low.weights.to_numpy(), x, atol=1e-6)
        assert low.volatility ** 2 <= x @ S.to_numpy() @ x * (1 + 1e-10)
        best = no_warning(lambda: mv.max_sharpe(0.0))
        assert best.status.code == "converged"
        assert best.sharpe >= low.sharpe - 1e-12
        f = no_warning(lambda: mv.frontier(20))
        assert f.points["volatility"].iloc[0] == pytest.approx(low.volatility, rel=1e-9)


@pytest.mark.parametrize("asset", ["IBM", "MSFT", "PG"])
@pytest.mark.parametrize("short", [False, True], ids=["long", "short"])
def test_the_frontier_with_a_duplicated_asset_is_the_frontier_without(dow, asset, short):
    r2 = with_copy(dow, asset)
    bounds, reference = (0.0, 1.0), (0.0, 1.0)
    if short:
        bounds = (-0.5, 1.0)
        lower, upper = pd.Series(-0.5, index=dow.columns), pd.Series(1.0, index=dow.columns)
        lower[asset], upper[asset] = -1.0, 2.0
        reference = (lower, upper)
    plain = pf.MeanVariance(pf.expected_returns(dow), pf.covariance(dow), bounds=reference)
    twice = pf.MeanVariance(pf.expected_returns(r2), pf.covariance(r2), bounds=bounds)
    f = plain.frontier(50)
    g = no_warning(lambda: twice.frontier(50))
    assert len(g.breakpoints) > 2
    # 50 points evenly spaced in return between the same ends: the same returns and volatilities.
    np.testing.assert_allclose(g.points["expected_return"], f.points["expected_return"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g.points["volatility"], f.points["volatility"], rtol=1e-9)
    assert g.points["volatility"].nunique() == 50  # not copies of the minimum-risk portfolio
    w = g.weights.copy()
    w[asset] += w.pop(f"{asset} (copy)")
    np.testing.assert_allclose(w[f.weights.columns].to_numpy(), f.weights.to_numpy(), atol=1e-8)


def test_the_advisor_with_a_duplicated_asset(dow):
    r2 = with_copy(dow, "JNJ")
    results = []
    for r in (dow, r2):
        mu, S = pf.expected_returns(r), pf.covariance(r, "sample")
        mu["CASH"], S["CASH"] = 0.03, 0.0
        S.loc["CASH"] = 0.0
        classes = {a: "equity" for a in r.columns} | {"CASH": "cash"}
        adv = pf.Advisor(mu, S, classes, risk_free=0.03)
        results.append(no_warning(adv.model_portfolios))
    a, b = results
    np.testing.assert_allclose(b["volatility"], a["volatility"], rtol=1e-9)
    np.testing.assert_allclose(b["expected_return"], a["expected_return"], rtol=1e-9)


def test_max_sharpe_is_scale_invariant(dow):
    mu, S = pf.expected_returns(dow), pf.covariance(dow)
    ref = pf.MeanVariance(mu, S, bounds=(0, 0.2)).max_sharpe(0.0)
    for s in (1e-8, 1e-4, 1e4):
        got = no_warning(lambda: pf.MeanVariance(mu * s, S * s * s, bounds=(0, 0.2)).max_sharpe(0.0))
        assert got.status.code == "converged"
        np.testing.assert_allclose(got.weights.to_numpy(), ref.weights.to_numpy(), atol=1e-8)
        assert got.sharpe == pytest.approx(ref.sharpe, rel=1e-9)


def test_the_eu_indices_are_indexed_by_time():
    eu = bq.datasets.eu_stock_markets()
    assert list(eu.columns) == ["DAX", "SMI", "CAC", "FTSE"]
    assert eu.index.name == "t" and eu.index.is_monotonic_increasing
    r = pf.returns_from_prices(eu)
    assert list(r.columns) == ["DAX", "SMI", "CAC", "FTSE"] and len(r) == 1859
    low = no_warning(lambda: pf.MeanVariance(pf.expected_returns(r), pf.covariance(r)).min_volatility())
    assert low.status.code == "converged"


def test_risk_budgets_must_sum_to_one(dow):
    S = pf.covariance(dow.iloc[:, :4])
    with pytest.raises(bq.InvalidArgumentError, match="'budgets'.*sum to 1"):
        pf.risk_parity(S, budgets=[0.4, 0.3, 0.2, 0.2])
    with pytest.raises(bq.InvalidArgumentError, match="'budgets'"):
        pf.risk_parity(S, budgets=[1, 1, 1, 1])
    rb = pf.risk_parity(S, budgets=[0.4, 0.3, 0.2, 0.1])
    np.testing.assert_allclose(rb.risk_shares.to_numpy(), [0.4, 0.3, 0.2, 0.1], atol=1e-8)


def test_duplicate_labels_are_refused(dow):
    r = dow.iloc[:, :3].copy()
    r.columns = ["AA", "AXP", "AA"]
    for fn in (pf.covariance, pf.expected_returns, lambda x: pf.covariance(x, "ledoit_wolf")):
        with pytest.raises(bq.InvalidArgumentError, match="'returns'.*'AA'"):
            fn(r)
    S = pf.covariance(dow.iloc[:, :3])
    S.index = S.columns = ["AA", "AXP", "AA"]
    with pytest.raises(bq.InvalidArgumentError, match="'cov'.*'AA'"):
        pf.MeanVariance(None, S)


@pytest.mark.parametrize("bounds", [(0.0, 1.0), (-0.5, 1.0), (None, None)], ids=["long", "short", "free"])
def test_the_eu_indices_with_a_duplicated_index(bounds):
    # The tryout's data: four indices, one of them twice (under another name).
    r = pf.returns_from_prices(bq.datasets.eu_stock_markets())
    r2 = with_copy(r, "DAX")
    if bounds[0] is None:
        reference = bounds
    else:
        lower, upper = pd.Series(bounds[0], index=r.columns), pd.Series(bounds[1], index=r.columns)
        lower["DAX"], upper["DAX"] = 2 * bounds[0], 2 * bounds[1]
        reference = (lower, upper)
    plain = pf.MeanVariance(pf.expected_returns(r), pf.covariance(r), bounds=reference)
    twice = pf.MeanVariance(pf.expected_returns(r2), pf.covariance(r2), bounds=bounds)
    for method, args in [("min_volatility", ()), ("max_sharpe", (0.02,)), ("max_quadratic_utility", (3.0,))]:
        a, b = getattr(plain, method)(*args), no_warning(lambda: getattr(twice, method)(*args))
        assert b.volatility == pytest.approx(a.volatility, rel=1e-9), method
        assert b.expected_return == pytest.approx(a.expected_return, rel=1e-9), method
    if bounds[0] is not None:  # without bounds the return is unbounded: the frontier stops at t_max
        f, g = plain.frontier(30), no_warning(lambda: twice.frontier(30))
        np.testing.assert_allclose(g.points["volatility"], f.points["volatility"], rtol=1e-9)
        np.testing.assert_allclose(g.points["expected_return"], f.points["expected_return"], rtol=1e-10)


def test_the_advisor_on_the_eu_indices_with_their_time_column():
    # The tryout's failure: R's time column t taken for a fifth asset (returns of variance 4e-18 a
    # day), daily scale, plus cash: model portfolio 1 raised ConvergenceError ("the objective
    # decreases without bound along a direction of zero curvature ..."). Each model portfolio is
    # efficient: cvxopt's minimum variance at its expected return under its constraints has its
    # volatility.
    eu = bq.datasets.eu_stock_markets()
    r = pf.returns_from_prices(eu.reset_index() if eu.index.name == "t" else eu)  # t as a column, as before
    assert sorted(r.columns) == ["CAC", "DAX", "FTSE", "SMI", "t"]
    mu, S = pf.expected_returns(r, periods_per_year=1), pf.covariance(r, periods_per_year=1)
    mu["CASH"], S["CASH"] = 0.02 / 252, 0.0
    S.loc["CASH"] = 0.0
    classes = {a: "equity" for a in r.columns} | {"CASH": "cash"}
    adv = pf.Advisor(mu, S, classes, risk_free=0.02 / 252)
    n = len(mu)
    equity = np.array([classes[a] == "equity" for a in mu.index], float)
    for level in range(1, 6):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", bq.ConvergenceWarning)  # targets out of reach are said
            p = adv.model_portfolio(level)
        assert p.status.code in ("converged", "boundary"), (level, p.status.message)
        limit = adv.table.profiles[level - 1].class_limits[0]
        G = np.vstack([-np.eye(n), np.diag(equity), equity[None, :]])
        h = np.concatenate([np.zeros(n), np.where(equity == 1, limit.max_asset_weight, 1.0), [limit.upper]])
        s = S.to_numpy().max()
        x = cvx_qp(S.to_numpy() / s, np.zeros(n), G, h, np.vstack([np.ones(n), mu.to_numpy() / mu.abs().max()]),
                   [1.0, p.expected_return / mu.abs().max()])
        assert p.volatility == pytest.approx(np.sqrt(x @ S.to_numpy() @ x), rel=1e-6), level
