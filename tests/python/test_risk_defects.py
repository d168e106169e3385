"""The six silently wrong answers of the market-risk issue (issue 14), one test each.

Every test here failed on the code before its fix (the commit that adds this file marks them
xfail(strict=True); each fix removes its mark). Reference values are computed by hand in the
test (closed forms), not copied from the library's output.
"""
import math

import numpy as np
import pandas as pd
import pytest

import bankquant as bq

BEFORE_FIX = pytest.mark.xfail(strict=True, reason="fails before its fix (issue 14)")


# 1. implied_volatility was capped at 5.0 and used an absolute price tolerance.
def test_implied_volatility_is_not_capped_and_solves_tiny_prices():
    price = bq.risk.black_scholes("call", 100.0, 100.0, 1.0, 0.02, 8.0)["price"]
    assert bq.risk.implied_volatility("call", price, 100.0, 100.0, 1.0, 0.02) == pytest.approx(8.0, rel=1e-8)
    # a price of 1e-13 (deep out of the money, short expiry): the answer reprices it to 1e-13,
    # not the starting guess 0.2 (whose price is 3.6e-20)
    vol = bq.risk.implied_volatility("call", 1e-13, 100.0, 150.0, 0.05, 0.0)
    assert vol != pytest.approx(0.2, rel=1e-3)
    assert bq.risk.black_scholes("call", 100.0, 150.0, 0.05, 0.0, vol)["price"] == pytest.approx(1e-13, rel=1e-8)
    # vectorised like black_scholes
    vols = np.array([0.05, 0.2, 1.5, 8.0])
    prices = bq.risk.black_scholes("put", 100.0, 90.0, 0.5, 0.01, vols)["price"].to_numpy()
    np.testing.assert_allclose(bq.risk.implied_volatility("put", prices, 100.0, 90.0, 0.5, 0.01), vols, rtol=1e-8)


# 2. traffic_light ignored the length of a 0/1 series (n = 250), kupiec took any n.
def test_backtests_take_n_from_the_series_and_scale_the_zones():
    e = np.zeros(1000, dtype=int)
    e[np.arange(15) * 60] = 1  # 15 exceptions in 1,000 days at 99%: 10 expected
    tl = bq.risk.traffic_light(e, level=0.99)
    # zones by the cumulative binomial probability for n = 1000 (Basel's 95% / 99.99% rule)
    from scipy import stats

    p = stats.binom.cdf(15, 1000, 0.01)
    assert 0.95 <= p < 0.9999
    assert tl.zone == "yellow" and tl.cumulative_probability == pytest.approx(p, rel=1e-12)
    assert bq.risk.traffic_light(15, 1000, level=0.99).zone == "yellow"
    with pytest.raises(bq.InvalidArgumentError, match="argument 'n'"):
        bq.risk.kupiec(e, n=250, level=0.99)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'n'"):
        bq.risk.traffic_light(e, n=250)


# 3. Full revaluation lost the coupons paid inside the horizon and gave bonds no carry.
def test_full_revaluation_keeps_coupons_and_carry():
    r = 0.03
    curve = bq.risk.ZeroCurve([1.0, 10.0], [r, r])
    bonds = pd.DataFrame({"coupon": [0.05], "maturity": [5.002], "quantity": [1000]})
    book = bq.risk.Book(spots=pd.Series({"A": 100.0}), curve=curve, bonds=bonds)
    out = bq.risk.full_revaluation_var_es(book, np.zeros((2, 2)), level=0.99, n_scenarios=1000, return_pnl=True)
    # A flat curve that does not move: the bond (its coupon at 0.002 years reinvested to the
    # horizon, the rest discounted from it) grows at the short rate, V0 (e^(r dt) - 1).
    dt = 1 / 252
    flows = [(t, a) for t, a in bq.risk.FixedRateBond(coupon=0.05, maturity=5.002).cash_flows().itertuples(index=False)]
    v0 = 1000 * sum(a * math.exp(-r * t) for t, a in flows)
    carry = v0 * (math.exp(r * dt) - 1)
    assert out.base_value == pytest.approx(v0, rel=1e-12)
    np.testing.assert_allclose(out.pnl, carry, rtol=1e-9)
    assert out.var == pytest.approx(-carry, rel=1e-9)  # a sure gain: VaR is minus the carry


# 4. Book dropped positions on names it did not know.
def test_book_refuses_unknown_names():
    curve = bq.risk.ZeroCurve([1.0], [0.03])
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'stocks'.*'B'"):
        bq.risk.Book(spots=pd.Series({"A": 1.0}), curve=curve, stocks=pd.Series({"B": 1.0}))
    options = pd.DataFrame({"underlying": ["B"], "type": ["call"], "strike": [1.0], "expiry": [1.0],
                            "volatility": [0.2], "quantity": [1.0]})
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'options'.*'B'"):
        bq.risk.Book(spots=pd.Series({"A": 1.0}), curve=curve, options=options)


# 5. full_revaluation_var_es could not take FX forwards or a Book, and valued a book unlike Book.value.
def test_full_revaluation_values_the_book_as_book_value_does():
    curve = bq.risk.ZeroCurve([0.5, 1, 2, 5, 10, 30], [0.03, 0.031, 0.033, 0.036, 0.038, 0.04])
    book = bq.risk.Book(
        spots=pd.Series({"SPX": 4000.0, "EURUSD": 1.10}), curve=curve,
        options=pd.DataFrame({"underlying": ["SPX", "SPX"], "type": ["put", "call"], "strike": [3800.0, 4200.0],
                              "expiry": [0.5, 1.0], "volatility": [0.22, 0.18], "quantity": [100, -50]}),
        bonds=pd.DataFrame({"coupon": [0.04, 0.02], "maturity": [10.0, 2.0], "quantity": [1000, 2000]}),
        fx_forwards=pd.DataFrame({"pair": ["EURUSD"], "strike": [1.12], "expiry": [1.0], "notional": [1e6],
                                  "rate_foreign": [0.02]}),
        stocks=pd.Series({"SPX": 25.0}))
    cov = pd.DataFrame(np.diag([0.012 ** 2, 0.006 ** 2, 0.0006 ** 2]), index=["SPX", "EURUSD", "rates"],
                       columns=["SPX", "EURUSD", "rates"])
    out = bq.risk.full_revaluation_var_es(book, cov, level=0.99, n_scenarios=20_000, seed=1)
    assert out.base_value == pytest.approx(book.value(), rel=1e-12)
    # every position type moves the P&L: the FX forward is in it (EUR/USD alone moving)
    fx_only = cov * 0
    fx_only.loc["EURUSD", "EURUSD"] = 0.006 ** 2
    moved = bq.risk.full_revaluation_var_es(book, fx_only, level=0.99, n_scenarios=20_000, seed=1)
    assert moved.var > 1000  # 1e6 EUR notional, 0.6% daily sd: a VaR near 15,000


# 6. var_es(method="filtered_garch") always used a normal GARCH and rescaled raw returns.
def test_filtered_garch_uses_the_chosen_model_and_demeaned_residuals():
    prices = bq.datasets.dow_jones_30()["IBM"]
    x = np.diff(np.log(prices.to_numpy()))[-1500:] + 0.002  # a mean that matters
    for dist in ["normal", "t"]:
        fit = bq.risk.Garch11(dist=dist).fit(x)
        mu = fit.params["mu"]
        z = fit.standardized_residuals.to_numpy()
        scenarios = mu + math.sqrt(fit.next_variance) * z  # Barone-Adesi et al.: today's sigma times past shocks
        expected = np.quantile(-scenarios, 0.99)
        got = bq.risk.var_es(x, 0.99, method="filtered_garch", dist=dist)
        assert got["var"].iloc[0] == pytest.approx(expected, rel=1e-9)
