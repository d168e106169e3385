"""Pricing engine: Black–Scholes against scipy's normal distribution and Hull's examples, the
curve bootstrap (Hull Tables 4.3-4.4), bonds (Hull Table 4.6), FX forwards; bad input."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import bankquant as bq


def scipy_black_scholes(kind, S, K, T, r, v, q=0.0):
    d1 = (np.log(S / K) + (r - q + 0.5 * v * v) * T) / (v * np.sqrt(T))
    d2 = d1 - v * np.sqrt(T)
    if kind == "call":
        return S * np.exp(-q * T) * stats.norm.cdf(d1) - K * np.exp(-r * T) * stats.norm.cdf(d2)
    return K * np.exp(-r * T) * stats.norm.cdf(-d2) - S * np.exp(-q * T) * stats.norm.cdf(-d1)


def test_black_scholes_equals_scipy_and_vectorises():
    rng = np.random.default_rng(0)
    n = 2000
    S, K = rng.uniform(50, 150, n), rng.uniform(50, 150, n)
    T, r, v, q = rng.uniform(0.05, 3, n), rng.uniform(-0.01, 0.08, n), rng.uniform(0.05, 0.8, n), rng.uniform(0, 0.04, n)
    kinds = np.where(rng.random(n) < 0.5, "call", "put")
    table = bq.risk.black_scholes(kinds, S, K, T, r, v, q)
    ref = np.array([scipy_black_scholes(k, *args) for k, *args in zip(kinds, S, K, T, r, v, q)])
    np.testing.assert_allclose(table["price"], ref, rtol=1e-12, atol=1e-12)
    one = bq.risk.black_scholes(kinds[7], S[7], K[7], T[7], r[7], v[7], q[7])
    assert one["delta"] == table["delta"].iloc[7] and one["vega"] == table["vega"].iloc[7]
    grid = bq.risk.black_scholes("call", 100, np.array([[90], [100], [110]]), np.array([0.5, 1.0]), 0.02, 0.2)
    assert len(grid) == 6  # strikes x expiries, broadcast
    price = table["price"].iloc[3]
    assert bq.risk.implied_volatility(kinds[3], price, S[3], K[3], T[3], r[3], q[3]) == pytest.approx(v[3], abs=1e-9)


def test_curve_bond_and_fx():
    c = bq.risk.ZeroCurve.bootstrap([(0.25, 0, 1, 97.5), (0.5, 0, 1, 94.9), (1.0, 0, 1, 90.0), (1.5, 0.08, 2, 96.0),
                                     (2.0, 0.12, 2, 101.6)])
    np.testing.assert_allclose(c.zero_rates, [0.10127, 0.10469, 0.10536, 0.10681, 0.10808], atol=5e-6)  # Hull 4.4
    assert bq.risk.FixedRateBond(coupon=0.12, maturity=2.0).price(c) == pytest.approx(101.6, abs=1e-9)
    swaps = bq.risk.ZeroCurve.bootstrap([(t, 0.03 + 0.002 * t, 1, 100.0) for t in (2, 3, 5, 10)],
                                        deposits=[(0.5, 0.025), (1.0, 0.027)], interpolation="log_linear_discount")
    for t in (2, 3, 5, 10):
        assert bq.risk.FixedRateBond(coupon=0.03 + 0.002 * t, maturity=t, frequency=1).price(swaps) == pytest.approx(100)
    bond = bq.risk.FixedRateBond(coupon=0.10, maturity=3.0)
    a = bond.analytics(0.12)
    assert (round(a["price"], 3), round(a["duration"], 3), round(a["convexity"], 3)) == (94.213, 2.653, 7.570)
    assert bond.yield_to_maturity(a["price"]) == pytest.approx(0.12, abs=1e-12)
    # duration-convexity approximation of a 50 bp move (Hull eq. 4.16) is within its third-order error
    dy = 0.005
    approx = a["price"] * (1 - a["duration"] * dy + 0.5 * a["convexity"] * dy * dy)
    assert bond.price(0.12 + dy) == pytest.approx(approx, abs=1e-3)
    assert bq.risk.fx_forward_rate(1.1, 0.04, 0.02, 1.0) == pytest.approx(1.1 * np.exp(0.02), rel=1e-15)
    assert bond.cash_flows()["amount"].sum() == pytest.approx(130.0)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bq.risk.black_scholes("straddle", 100, 100, 1, 0.01, 0.2), "argument 'option_type'"),
        (lambda: bq.risk.black_scholes("call", -100, 100, 1, 0.01, 0.2), "argument 'spot'"),
        (lambda: bq.risk.black_scholes("call", 100, 100, 0, 0.01, 0.2), "argument 'expiry'"),
        (lambda: bq.risk.black_scholes("call", 100, 100, 1, np.nan, 0.2), "argument 'rate'"),
        (lambda: bq.risk.implied_volatility("call", 150, 100, 100, 1, 0.01), "no-arbitrage bounds"),
        (lambda: bq.risk.ZeroCurve([1.0, 0.5], [0.01, 0.02]), "argument 'times'"),
        (lambda: bq.risk.ZeroCurve.bootstrap([(1, 0, 1, 100), (1, 0.05, 1, 100)]), "two instruments mature"),
        (lambda: bq.risk.ZeroCurve([1.0], [0.01], interpolation="spline"), "argument 'interpolation'"),
        (lambda: bq.risk.FixedRateBond(frequency=0).price(0.05), "argument 'frequency'"),
        (lambda: bq.risk.FixedRateBond().yield_to_maturity(-5), "argument 'price'"),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(bq.InvalidArgumentError, match=message):
        call()


def test_delta_gamma_against_full_revaluation_of_an_options_book():
    # A book short 100 at-the-money calls and long 50 puts on one stock (S = 100, daily sd 2%):
    # one-day P&L by full Black-Scholes revaluation over simulated spots, against the
    # delta-gamma approximations built from the book's Greeks.
    S, sd, T = 100.0, 0.02 * 100.0, 0.25
    book = [("call", 100.0, -100), ("put", 95.0, 50)]
    greeks = [bq.risk.black_scholes(k, S, K, T, 0.03, 0.25) for k, K, _ in book]
    delta = sum(n * g["delta"] for (_, _, n), g in zip(book, greeks))
    gamma = sum(n * g["gamma"] for (_, _, n), g in zip(book, greeks))
    dS = sd * bq.random.standard_normal(400_000, seed=5)
    value = lambda spots: sum(n * bq.risk.black_scholes(k, spots, K, T - 1 / 252, 0.03, 0.25)["price"].to_numpy()
                              for k, K, n in book)
    full = value(S + dS) - sum(n * g["price"] for (_, _, n), g in zip(book, greeks)) - \
        (value(np.full(1, S))[0] - sum(n * g["price"] for (_, _, n), g in zip(book, greeks)))  # remove theta
    full_var = bq.risk.var(full, 0.99)
    dg = {m: bq.risk.delta_gamma_var_es([delta], [[gamma]], [[sd * sd]], 0.99, method=m, n_scenarios=400_000)["var"].iloc[0]
          for m in ("normal", "cornish_fisher", "monte_carlo")}
    assert dg["monte_carlo"] == pytest.approx(full_var, rel=0.03)   # second order is close for a one-day move
    assert dg["cornish_fisher"] == pytest.approx(dg["monte_carlo"], rel=0.03)
    assert abs(dg["cornish_fisher"] - full_var) < abs(dg["normal"] - full_var)  # short gamma: skewed losses
    with pytest.raises(bq.InvalidArgumentError, match="argument 'method'"):
        bq.risk.delta_gamma_var_es([1.0], [[0.0]], [[1.0]], method="exact")


def test_full_revaluation_book_python_api():
    spots = pd.Series({"A": 100.0, "B": 50.0})
    curve = bq.risk.ZeroCurve([1.0, 10.0], [0.03, 0.04])
    options = pd.DataFrame({"underlying": ["A", "B"], "type": ["call", "put"], "strike": [100.0, 45.0],
                            "expiry": [0.5, 1.0], "volatility": [0.2, 0.3], "quantity": [-100, 200]})
    bonds = pd.DataFrame({"coupon": [0.05], "maturity": [5.0], "quantity": [1000]})
    cov = np.diag([0.01 ** 2, 0.015 ** 2, 0.0008 ** 2])
    r = bq.risk.full_revaluation_var_es(spots, cov, curve, options, bonds, level=[0.99, 0.975], n_scenarios=50_000,
                                        return_pnl=True)
    expected = (-100 * bq.risk.black_scholes("call", 100, 100, 0.5, curve.zero_rate(0.5), 0.2)["price"]
                + 200 * bq.risk.black_scholes("put", 50, 45, 1.0, curve.zero_rate(1.0), 0.3)["price"]
                + 1000 * bq.risk.FixedRateBond(coupon=0.05, maturity=5.0).price(curve))
    assert r.base_value == pytest.approx(expected, rel=1e-12)
    assert r.pnl.shape == (50_000,)
    assert r.var[0.99] == pytest.approx(bq.risk.var(r.pnl, 0.99), rel=1e-12)
    assert r.es[0.99] > r.var[0.99] > r.var[0.975] > 0
    with pytest.raises(bq.InvalidArgumentError, match="unknown underlying 'C'"):
        bq.risk.full_revaluation_var_es(spots, cov, curve, options.assign(underlying="C"))
    with pytest.raises(bq.InvalidArgumentError, match="missing columns"):
        bq.risk.full_revaluation_var_es(spots, cov, curve, options.drop(columns=["strike"]))


def test_delta_gamma_importance_sampling_deep_tail():
    from scipy import stats

    exact = 1.5 * stats.chi2.ppf(0.9999, 1)  # loss quantile of 1/2 * 3 * y^2
    t = bq.risk.delta_gamma_var_es([0.0], [[-3.0]], [[1.0]], 0.9999, method="importance_sampling", n_scenarios=20_000)
    assert t["var"].iloc[0] == pytest.approx(exact, rel=0.03)
