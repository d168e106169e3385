"""The QP solver and the allocation methods against cvxopt 1.3.0 (solvers.qp / solvers.lp, dense G as
PyPortfolioOpt calls it), scipy 1.10.1 and independent numpy implementations, on random problems and on
the Dow Jones 30 data. Objectives and weights to 1e-6 (the issue's bar); ours never worse."""
import numpy as np
import pandas as pd
import pytest
from cvxopt import matrix, solvers

import bankquant as bq

pf = bq.portfolio
solvers.options.update({"show_progress": False, "abstol": 1e-10, "reltol": 1e-10, "feastol": 1e-10,
                        "maxiters": 200})


@pytest.fixture(scope="module")
def dow():
    r = pf.returns_from_prices(bq.datasets.dow_jones_30())
    return r, pf.expected_returns(r), pf.covariance(r)


def cvx_qp(P, q, G=None, h=None, A=None, b=None):
    args = [matrix(np.asarray(P, float)), matrix(np.asarray(q, float))]
    if G is not None:
        args += [matrix(np.asarray(G, float)), matrix(np.asarray(h, float))]
    else:
        args += [None, None]
    if A is not None:
        args += [matrix(np.asarray(A, float)), matrix(np.asarray(b, float))]
    return np.array(_tightest(solvers.qp, *args)["x"]).ravel()


def _tightest(solve, *args):
    """cvxopt at the tightest tolerances it still reaches 'optimal' at (1e-12, else 1e-10, 1e-8, its default 1e-7)."""
    for tol in (1e-12, 1e-10, 1e-8, 1e-7):
        solvers.options.update({"abstol": tol, "reltol": tol, "feastol": tol})
        sol = solve(*args)
        if sol["status"] == "optimal":
            return sol
    raise AssertionError(f"cvxopt did not reach optimal: {sol['status']}")


def long_only(n, upper=1.0):
    G = np.vstack([-np.eye(n), np.eye(n)])
    h = np.concatenate([np.zeros(n), np.full(n, upper)])
    return G, h


def test_random_qps_equal_cvxopt():
    rng = np.random.default_rng(42)
    for trial in range(25):
        n = int(rng.integers(5, 40))
        k = int(rng.integers(2, n + 10))  # singular when k < n
        A = rng.standard_normal((k, n)) * 0.1
        H = A.T @ A / k + (1e-10 if trial % 3 else 0.0) * np.eye(n)
        c = -rng.random(n) * 0.05
        groups = rng.integers(0, 3, n)
        G_rows, h_rows = [], []
        for g in range(3):
            if (groups == g).any():
                G_rows.append((groups == g).astype(float))
                h_rows.append(0.5)
        Gg, hg = np.array(G_rows), np.array(h_rows)
        ub = 0.3
        r = pf.solve_qp(H, c, A_eq=np.ones((1, n)), b_eq=[1.0], A=Gg, upper_rows=hg, bounds=(0.0, ub),
                        method="active_set")
        if r.status.code == "infeasible":
            continue
        assert r.status.code == "converged", r.status.message
        Gl, hl = long_only(n, ub)
        x = cvx_qp(H, c, np.vstack([Gl, Gg]), np.concatenate([hl, hg]), np.ones((1, n)), [1.0])
        f_cvx = 0.5 * x @ H @ x + c @ x
        assert r.objective <= f_cvx + 1e-10 * max(1.0, abs(f_cvx)), trial
        assert r.objective == pytest.approx(f_cvx, rel=1e-6, abs=1e-9)
        if k > n:  # unique optimum: the weights agree too
            np.testing.assert_allclose(r.x, x, atol=1e-6)
        ri = pf.solve_qp(H, c, A_eq=np.ones((1, n)), b_eq=[1.0], A=Gg, upper_rows=hg, bounds=(0.0, ub),
                         method="interior_point")
        assert ri.objective == pytest.approx(f_cvx, rel=1e-6, abs=1e-9)


def test_min_volatility_and_utility_equal_cvxopt(dow):
    r, mu, S = dow
    n = len(mu)
    mv = pf.MeanVariance(mu, S)
    low = mv.min_volatility()
    G, h = long_only(n)
    x = cvx_qp(2 * S.to_numpy(), np.zeros(n), G, h, np.ones((1, n)), [1.0])
    np.testing.assert_allclose(low.weights.to_numpy(), x, atol=1e-6)
    assert low.volatility ** 2 <= x @ S.to_numpy() @ x * (1 + 1e-10)
    u = mv.max_quadratic_utility(3.0)
    x = cvx_qp(3.0 * S.to_numpy(), -mu.to_numpy(), G, h, np.ones((1, n)), [1.0])
    np.testing.assert_allclose(u.weights.to_numpy(), x, atol=1e-6)
    # Efficient return with a 10% cap on each asset.
    mv10 = pf.MeanVariance(mu, S, bounds=(0, 0.1))
    target = 0.5 * (mv10.min_volatility().expected_return + mv10.max_return())
    e = mv10.efficient_return(target)
    G, h = long_only(n, 0.1)
    G = np.vstack([G, -mu.to_numpy()[None, :]])
    h = np.concatenate([h, [-target]])
    x = cvx_qp(2 * S.to_numpy(), np.zeros(n), G, h, np.ones((1, n)), [1.0])
    np.testing.assert_allclose(e.weights.to_numpy(), x, atol=1e-6)
    assert e.expected_return == pytest.approx(target, rel=1e-9)


def test_max_sharpe_equals_cvxopt_homogenised(dow):
    r, mu, S = dow
    n = len(mu)
    rf = 0.05
    best = pf.MeanVariance(mu, S, bounds=(0, 0.15)).max_sharpe(rf)
    # cvxopt on the same homogenisation: min y'Sy s.t. (mu - rf)'y = 1, 0 <= y <= 0.15 k, 1'y = k.
    P = np.zeros((n + 1, n + 1))
    P[:n, :n] = 2 * S.to_numpy()
    G = np.vstack([np.hstack([-np.eye(n), np.zeros((n, 1))]), np.hstack([np.eye(n), -0.15 * np.ones((n, 1))]),
                   np.hstack([np.zeros((1, n)), -np.ones((1, 1))])])
    h = np.zeros(2 * n + 1)
    A = np.vstack([np.concatenate([mu.to_numpy() - rf, [0.0]]), np.concatenate([np.ones(n), [-1.0]])])
    z = cvx_qp(P, np.zeros(n + 1), G, h, A, [1.0, 0.0])
    w = z[:n] / z[n]
    np.testing.assert_allclose(best.weights.to_numpy(), w, atol=1e-6)
    assert best.sharpe >= (mu.to_numpy() @ w - rf) / np.sqrt(w @ S.to_numpy() @ w) - 1e-12


def test_long_short_gross_exposure_equals_cvxopt(dow):
    r, mu, S = dow
    n = len(mu)
    mv = pf.MeanVariance(mu, S, bounds=(-0.2, 0.3), max_gross_exposure=1.5)
    u = mv.max_quadratic_utility(4.0)
    # cvxopt with w = p - q, p, q >= 0.
    Sm = S.to_numpy()
    P = np.block([[Sm, -Sm], [-Sm, Sm]]) * 4.0 + 1e-12 * np.eye(2 * n)
    q = np.concatenate([-mu.to_numpy(), mu.to_numpy()])
    G = np.vstack([-np.eye(2 * n), np.hstack([np.eye(n), np.zeros((n, n))]), np.hstack([np.zeros((n, n)), np.eye(n)]),
                   np.ones((1, 2 * n))])
    h = np.concatenate([np.zeros(2 * n), np.full(n, 0.3), np.full(n, 0.2), [1.5]])
    A = np.concatenate([np.ones(n), -np.ones(n)])[None, :]
    z = cvx_qp(P, q, G, h, A, [1.0])
    w = z[:n] - z[n:]
    np.testing.assert_allclose(u.weights.to_numpy(), w, atol=1e-6)
    assert np.abs(u.weights).sum() <= 1.5 + 1e-9


def test_frontier_points_equal_cvxopt(dow):
    r, mu, S = dow
    n = len(mu)
    mv = pf.MeanVariance(mu, S, bounds=(0, 0.2))
    f = mv.frontier(7)
    G, h = long_only(n, 0.2)
    for _, row in f.points.iloc[1:-1].iterrows():
        G2 = np.vstack([G, -mu.to_numpy()[None, :]])
        h2 = np.concatenate([h, [-row["expected_return"]]])
        x = cvx_qp(2 * S.to_numpy(), np.zeros(n), G2, h2, np.ones((1, n)), [1.0])
        np.testing.assert_allclose(row[mu.index].to_numpy(dtype=float), x, atol=1e-6)
        assert row["volatility"] ** 2 <= x @ S.to_numpy() @ x * (1 + 1e-9)


def test_frontier_is_fast_and_exact_at_n_500():
    rng = np.random.default_rng(5)
    n, T = 500, 1000
    F = rng.standard_t(4, (T, 5)) * 0.01
    B = rng.random((n, 5))
    R = F @ B.T + 0.015 * rng.standard_t(4, (T, n))
    S = pf.covariance(pd.DataFrame(R))
    mu = pd.Series(R.mean(axis=0) * 252)
    mv = pf.MeanVariance(mu, S, bounds=(0, 0.05))
    f = mv.frontier(100)
    assert len(f.breakpoints) > 20
    mid = f.points.iloc[50]
    direct = mv.efficient_return(mid["expected_return"])
    assert mid["volatility"] == pytest.approx(direct.volatility, rel=1e-9)


def test_cvar_equals_cvxopt_lp(dow):
    r, mu, S = dow
    R = r.iloc[-500:].to_numpy()
    T, n = R.shape
    c = pf.min_cvar(r.iloc[-500:], level=0.9, bounds=(0, 0.25))
    # cvxopt LP: variables (w, z, u): min z + sum u / (0.1 T)
    cost = np.concatenate([np.zeros(n), [1.0], np.full(T, 1 / (0.1 * T))])
    G = np.vstack([np.hstack([-R, -np.ones((T, 1)), -np.eye(T)]), np.hstack([np.zeros((T, n + 1)), -np.eye(T)]),
                   np.hstack([-np.eye(n), np.zeros((n, T + 1))]), np.hstack([np.eye(n), np.zeros((n, T + 1))])])
    h = np.concatenate([np.zeros(2 * T), np.zeros(n), np.full(n, 0.25)])
    A = np.concatenate([np.ones(n), np.zeros(T + 1)])[None, :]
    sol = _tightest(solvers.lp, matrix(cost), matrix(G), matrix(h), matrix(A), matrix([1.0]))
    assert c.cvar == pytest.approx(sol["primal objective"], rel=1e-6)
    assert c.cvar <= sol["primal objective"] * (1 + 1e-12)
    glpk = solvers.lp(matrix(cost), matrix(G), matrix(h), matrix(A), matrix([1.0]), solver="glpk",
                      options={"glpk": {"msg_lev": "GLP_MSG_OFF"}})
    assert c.cvar == pytest.approx(glpk["primal objective"], rel=1e-10)  # GLPK's simplex, another LP solver
    es = bq.risk.expected_shortfall(R @ c.weights.to_numpy(), 0.9)
    assert float(np.asarray(es).ravel()[0]) == pytest.approx(c.cvar, rel=1e-9)


def test_black_litterman_conventions(dow):
    r, mu, S = dow
    w = pd.Series(1 / 30, index=S.index)
    P = pd.DataFrame([[1.0, -1.0]], columns=["IBM", "KO"])
    bl = pf.black_litterman(S, w, P=P, Q=[0.05], confidences=[0.5])
    # The posterior by the formula, in numpy.
    tS = 0.05 * S.to_numpy()
    Pm = P.reindex(columns=S.index).fillna(0.0).to_numpy()
    pi = 2.5 * S.to_numpy() @ w.to_numpy()
    omega = np.diag(np.diag(Pm @ tS @ Pm.T)) * (1 - 0.5) / 0.5
    M = np.linalg.inv(Pm @ tS @ Pm.T + omega)
    post = pi + tS @ Pm.T @ M @ (np.array([0.05]) - Pm @ pi)
    np.testing.assert_allclose(bl.posterior_returns.to_numpy(), post, rtol=1e-12)
    cov_bl = S.to_numpy() + tS - tS @ Pm.T @ M @ Pm @ tS
    np.testing.assert_allclose(bl.posterior_cov.to_numpy(), cov_bl, rtol=1e-10, atol=1e-16)
    np.testing.assert_allclose(bl.weights.to_numpy(), np.linalg.solve(2.5 * cov_bl, post), rtol=1e-9)
    norm = pf.black_litterman(S, w, P=P, Q=[0.05], confidences=[0.5], weights="prior_normalised")
    raw = np.linalg.solve(2.5 * S.to_numpy(), post)
    np.testing.assert_allclose(norm.weights.to_numpy(), raw / raw.sum(), rtol=1e-9)
    abs_view = pf.black_litterman(S, w, views={"IBM": 0.2})
    assert abs_view.posterior_returns["IBM"] > abs_view.pi["IBM"]
    with pytest.raises(bq.InvalidArgumentError, match="'P' and 'Q'"):
        pf.black_litterman(S, w, P=np.ones((2, 30)), Q=[0.1])
    with pytest.raises(bq.InvalidArgumentError, match="'P'"):
        pf.black_litterman(S, w, P=pd.DataFrame([[1.0]], columns=["NOPE"]), Q=[0.1])


def _pypfopt_hrp(cov):
    """PyPortfolioOpt's HRP (single linkage on sqrt((1 - rho) / 2), halving bisection), in numpy/scipy."""
    from scipy.cluster import hierarchy
    from scipy.spatial.distance import squareform

    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    dist = np.sqrt(np.clip((1 - corr) / 2, 0, 1))
    np.fill_diagonal(dist, 0)
    order = hierarchy.leaves_list(hierarchy.linkage(squareform(dist, checks=False), "single"))
    w = np.ones(len(cov))
    clusters = [list(order)]
    while clusters:
        clusters = [c[s:e] for c in clusters for s, e in ((0, len(c) // 2), (len(c) // 2, len(c))) if len(c) > 1]
        for i in range(0, len(clusters), 2):
            a, b = clusters[i], clusters[i + 1]
            va, vb = [(lambda ww: ww @ cov[np.ix_(c, c)] @ ww)(1 / np.diag(cov)[c] / (1 / np.diag(cov)[c]).sum())
                      for c in (a, b)]
            alpha = 1 - va / (va + vb)
            w[a] *= alpha
            w[b] *= 1 - alpha
    return w


def test_hrp_equals_pypfopt_algorithm_with_its_distance(dow):
    r, mu, S = dow
    ours = pf.hrp(S, distance="correlation")
    np.testing.assert_allclose(ours.weights.to_numpy(), _pypfopt_hrp(S.to_numpy()), rtol=1e-12)
    paper = pf.hrp(S)  # distance of distances: a different (documented) tree
    assert paper.order != ours.order or not np.allclose(paper.weights, ours.weights)
    h = pf.herc(S)
    assert h.n_clusters >= 2 and abs(h.weights.sum() - 1) < 1e-12


def test_risk_parity_equals_scipy(dow):
    from scipy.optimize import minimize

    r, mu, S = dow
    Sm = S.to_numpy()[:8, :8]
    erc = pf.risk_parity(Sm)
    x0 = np.ones(8) / 8
    ref = minimize(lambda x: 0.5 * x @ Sm @ x - np.log(x).sum() / 8, x0, jac=lambda x: Sm @ x - 1 / (8 * x),
                   bounds=[(1e-9, None)] * 8, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12})
    np.testing.assert_allclose(erc.weights.to_numpy(), ref.x / ref.x.sum(), atol=1e-7)
    free = pf.risk_parity(S)
    cap = 0.9 * free.weights.max()
    capped = pf.risk_parity(S, bounds=(None, cap))
    assert capped.weights.max() <= cap + 1e-10
    with pytest.raises(bq.InvalidArgumentError, match="'bounds'"):
        pf.risk_parity(S, bounds=(None, 0.03))  # 30 x 0.03 < 1


def test_max_diversification_and_naive(dow):
    r, mu, S = dow
    md = pf.MeanVariance(mu, S).max_diversification()
    sd = np.sqrt(np.diag(S))
    dr = lambda w: w @ sd / np.sqrt(w @ S.to_numpy() @ w)  # noqa: E731
    assert dr(md.weights.to_numpy()) >= dr(np.full(30, 1 / 30))
    assert md.diversification_ratio == pytest.approx(dr(md.weights.to_numpy()), rel=1e-12)
    iv = pf.inverse_volatility(S)
    np.testing.assert_allclose(iv.weights.to_numpy(), (1 / sd) / (1 / sd).sum(), rtol=1e-13)
    assert pf.equal_weight(S).weights.sum() == pytest.approx(1.0)


def test_factor_model_solve_equals_dense(dow):
    r, mu, S = dow
    fm = pf.factor_model(r, n_factors=4)
    dense = pf.MeanVariance(mu, fm.covariance(), bounds=(0, 0.1)).min_volatility()
    factor = pf.MeanVariance(mu, fm, bounds=(0, 0.1)).min_volatility()
    assert factor.solver == "interior_point"
    assert factor.volatility == pytest.approx(dense.volatility, rel=1e-9)
    np.testing.assert_allclose(factor.weights.to_numpy(), dense.weights.to_numpy(), atol=1e-6)


def test_cardinality_and_min_holding(dow):
    r, mu, S = dow
    best5 = pf.MeanVariance(mu, S, max_assets=5).min_volatility()
    assert (best5.weights.abs() > 1e-9).sum() <= 5
    free = pf.MeanVariance(mu, S).min_volatility()
    assert best5.volatility >= free.volatility
    mh = pf.MeanVariance(mu, S, min_weight=0.05).max_sharpe(0.03)
    held = mh.weights[mh.weights.abs() > 1e-9]
    assert (held >= 0.05 - 1e-9).all()


def test_bad_inputs_are_named(dow):
    r, mu, S = dow
    with pytest.raises(bq.InvalidArgumentError, match="the upper bounds sum to at most 0.6 but the budget is 1"):
        pf.MeanVariance(mu, S, bounds=(0, 0.02))
    with pytest.raises(bq.InvalidArgumentError, match="group 'tech' needs at least 0.8"):
        pf.MeanVariance(mu, S, bounds=(0, 0.1), groups={"tech": (["IBM", "MSFT", "INTC"], 0.8, 1.0)})
    with pytest.raises(bq.InvalidArgumentError, match="'groups'"):
        pf.MeanVariance(mu, S, groups={"a": (["IBM", "KO"], 0.7, 1.0), "b": (["KO", "PG", "MO"], 0.0, 0.1),
                                       "c": (list(S.index.drop(["IBM", "KO", "PG", "MO"])), 0.0, 0.25)},
                        bounds=(0, 0.3))
    mv = pf.MeanVariance(mu, S)
    with pytest.raises(bq.InvalidArgumentError, match="above the attainable maximum"):
        mv.efficient_return(mu.max() + 0.1)
    with pytest.raises(bq.InvalidArgumentError, match="below the minimum attainable"):
        mv.efficient_risk(0.01)
    with pytest.raises(bq.InvalidArgumentError, match="risk-free rate"):
        mv.max_sharpe(risk_free=5.0)
    bad = S.copy()
    bad.iloc[0, 1] = bad.iloc[1, 0] = 1.0
    with pytest.raises(bq.InvalidArgumentError, match="positive semi-definite"):
        pf.MeanVariance(mu, bad)
    nan = S.copy()
    nan.iloc[2, 2] = np.nan
    with pytest.raises(bq.InvalidArgumentError, match="'cov'"):
        pf.MeanVariance(mu, nan)
    with pytest.raises(bq.InvalidArgumentError, match="'expected_returns'"):
        pf.MeanVariance(mu.drop("IBM"), S)
    with pytest.raises(bq.InvalidArgumentError, match="'bounds'"):
        pf.MeanVariance(mu, S, bounds=(0.5, 0.1))
    with pytest.raises(bq.InvalidArgumentError, match="'groups'"):
        pf.MeanVariance(mu, S, groups={"x": (["NOPE"], 0, 1)})
    with pytest.raises(bq.InvalidArgumentError, match="expected_returns"):
        pf.MeanVariance(None, S).max_sharpe()
    assert pf.MeanVariance(None, S).min_volatility().volatility > 0


# --- issue 10: covariance scale, riskless assets (cross-checked against cvxopt 1.3.0 solvers.qp) ----------

def test_unbounded_min_volatility_at_daily_scale_equals_cvxopt():
    # The budget was lost (weights summing to 0.75, status converged) at a covariance of daily size.
    mu = pd.Series([0.000026, 0.000116], index=["A0", "A1"])
    S = np.array([[7.634213e-08, -8.304787e-09], [-8.304787e-09, 6.616328e-08]])
    res = pf.MeanVariance(mu, pd.DataFrame(S, index=mu.index, columns=mu.index), bounds=(None, None)).min_volatility()
    assert res.status.code == "converged"
    # cvxopt on the same problem, the covariance scaled to order 1 (its tolerances are absolute).
    x = cvx_qp(2 * S / S.max(), np.zeros(2), A=np.ones((1, 2)), b=[1.0])
    np.testing.assert_allclose(res.weights.to_numpy(), x, atol=1e-8)
    assert res.weights.sum() == pytest.approx(1.0, abs=1e-12)


def test_frontier_with_a_riskless_asset_equals_cvxopt():
    # A riskless asset at its upper bound: the frontier is one point, all in cash (the corner held 1.1).
    mu = pd.Series([0.000144, 0.02], index=["A0", "CASH"])
    S = np.array([[3.586161e-07, 0.0], [0.0, 0.0]])
    mv = pf.MeanVariance(mu, pd.DataFrame(S, index=mu.index, columns=mu.index), bounds=(0, [0.1, 1.0]))
    f = mv.frontier()
    G = np.vstack([-np.eye(2), np.eye(2)])
    h = np.array([0.0, 0.0, 0.1, 1.0])
    for lam in (0.0, 1e-6, 1.0):  # min w'Sw - lam mu'w, scaled to order 1
        x = cvx_qp(2 * S / S.max(), -lam * mu.to_numpy() / S.max(), G, h, np.ones((1, 2)), [1.0])
        np.testing.assert_allclose(x, [0.0, 1.0], atol=1e-6)  # cvxopt stops 4e-7 inside the bound
    for _, row in f.breakpoints.iterrows():
        assert row["A0"] + row["CASH"] == pytest.approx(1.0, abs=1e-12)
        assert row["CASH"] == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("n", [3, 8, 17, 30])
@pytest.mark.parametrize("bounds", [(None, None), (0.0, 0.3), (-0.5, 1.0)], ids=["free", "long", "short"])
def test_min_volatility_is_scale_invariant_and_equals_cvxopt(n, bounds):
    # min w'(sS)w has the same minimiser at every scale s; ours at s = 1e-8, 1, 1e6 against cvxopt at s = 1.
    rng = np.random.default_rng(n)
    f = rng.normal(size=(n, max(1, n // 2)))
    S = (f @ f.T + np.diag(rng.uniform(0.1, 1.0, n))) / n
    names = [f"A{j}" for j in range(n)]
    mu = pd.Series(rng.normal(0.08, 0.1, n), index=names)
    if bounds[0] is not None:
        bounds = (bounds[0], max(bounds[1], 2.0 / n))  # a budget of 1 reachable
    if bounds[0] is None:
        x = cvx_qp(2 * S, np.zeros(n), A=np.ones((1, n)), b=[1.0])
    else:
        G = np.vstack([-np.eye(n), np.eye(n)])
        h = np.concatenate([np.full(n, -bounds[0]), np.full(n, bounds[1])])
        x = cvx_qp(2 * S, np.zeros(n), G, h, np.ones((1, n)), [1.0])
    for s in (1.0, 1e-8, 1e6):
        res = pf.MeanVariance(mu * np.sqrt(s), pd.DataFrame(s * S, index=names, columns=names),
                              bounds=bounds).min_volatility()
        assert res.status.code == "converged", (s, res.status.message)
        w = res.weights.to_numpy()
        assert w.sum() == pytest.approx(1.0, abs=1e-9)
        np.testing.assert_allclose(w, x, atol=1e-6)  # cvxopt's own tolerance
        if s == 1.0:
            w1 = w
        else:
            np.testing.assert_allclose(w, w1, atol=1e-9)
