"""Stress tests of a book with options, bonds, FX forwards and stocks: full revaluation vs sensitivities."""
import numpy as np
import pandas as pd
import pytest

import bankquant as bq


@pytest.fixture(scope="module")
def book():
    curve = bq.risk.ZeroCurve([0.5, 1, 2, 5, 10, 30], [0.03, 0.031, 0.033, 0.036, 0.038, 0.04])
    return bq.risk.Book(
        spots=pd.Series({"SPX": 4000.0, "EURUSD": 1.10}),
        curve=curve,
        options=pd.DataFrame({"underlying": ["SPX", "SPX"], "type": ["put", "call"], "strike": [3800.0, 4200.0],
                              "expiry": [0.5, 1.0], "volatility": [0.22, 0.18], "quantity": [100, -50]}),
        bonds=pd.DataFrame({"coupon": [0.04, 0.02], "maturity": [10.0, 2.0], "quantity": [1000, 2000]}),
        fx_forwards=pd.DataFrame({"pair": ["EURUSD"], "strike": [1.12], "expiry": [1.0], "notional": [1e6],
                                  "rate_foreign": [0.02]}),
        stocks=pd.Series({"SPX": 25.0}),
    )


def test_full_revaluation_matches_the_pricing_functions(book):
    curve = book.curve
    expected = (100 * bq.risk.black_scholes("put", 4000, 3800, 0.5, curve.zero_rate(0.5), 0.22)["price"]
                - 50 * bq.risk.black_scholes("call", 4000, 4200, 1.0, curve.zero_rate(1.0), 0.18)["price"]
                + 1000 * bq.risk.FixedRateBond(coupon=0.04, maturity=10.0).price(curve)
                + 2000 * bq.risk.FixedRateBond(coupon=0.02, maturity=2.0).price(curve)
                + bq.risk.fx_forward_value(1.10, 1.12, curve.zero_rate(1.0), 0.02, 1.0, 1e6)
                + 25 * 4000)
    assert book.value() == pytest.approx(expected, rel=1e-12)
    # a parallel shift of the curve equals pricing on the shifted curve
    shifted = bq.risk.Book(spots=book.spots, curve=curve.shifted(0.01), bonds=book.bonds)
    only_bonds = bq.risk.Book(spots=book.spots, curve=curve, bonds=book.bonds)
    assert only_bonds.value(parallel=0.01) == pytest.approx(shifted.value(), rel=1e-12)


def test_sensitivities_converge_to_full_revaluation_for_small_moves(book):
    small = bq.risk.stress_test(book, {"tiny": {"spot": {"SPX": -0.001, "EURUSD": 0.001}, "parallel": 0.0001,
                                                "twist": 0.0001, "vol": 0.001}})
    big = bq.risk.stress_test(book, {"crash": {"spot": {"SPX": -0.30}, "vol": 0.15, "parallel": -0.01}})
    rel_small = abs(small["difference"].iloc[0]) / abs(small["full_revaluation"].iloc[0])
    rel_big = abs(big["difference"].iloc[0]) / abs(big["full_revaluation"].iloc[0])
    assert rel_small < 0.01 and rel_big > rel_small  # second order is good locally, worse far away


def test_scenarios_side_by_side(book):
    table = bq.risk.stress_test(book, {
        "equity -30%": {"spot": {"SPX": -0.30}},
        "rates +100bp": {"parallel": 0.01},
        "steepener": {"twist": 0.01},
        "vol +10": {"vol": 0.10},
        "EUR -10%": {"spot": {"EURUSD": -0.10}},
    })
    assert list(table.columns) == ["full_revaluation", "sensitivities", "difference"]
    assert table.loc["rates +100bp", "full_revaluation"] < 0  # long bonds lose when rates rise
    assert table.loc["EUR -10%", "full_revaluation"] == pytest.approx(
        bq.risk.fx_forward_value(0.99, 1.12, book.curve.zero_rate(1.0), 0.02, 1.0, 1e6)
        - bq.risk.fx_forward_value(1.10, 1.12, book.curve.zero_rate(1.0), 0.02, 1.0, 1e6), rel=1e-10)
    with pytest.raises(bq.InvalidArgumentError, match="unknown keys"):
        bq.risk.stress_test(book, {"x": {"equity": -0.3}})
    with pytest.raises(bq.InvalidArgumentError, match="no spot named"):
        bq.risk.stress_test(book, {"x": {"spot": {"NDX": -0.3}}})


def test_sensitivities_reject_unknown_spot_names(book):
    with pytest.raises(bq.InvalidArgumentError, match="no spot named"):
        book.sensitivity_pnl(spot_moves={"NDX": -0.3})
