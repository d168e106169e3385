"""The pricing engine: European options, zero curves, fixed-rate bonds, FX forwards.

Conventions (Hull, Options, Futures and Other Derivatives): rates and volatilities per year,
continuously compounded; theta per year; vega and rho per unit (divide by 100 for "per 1%").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence, Tuple, Union

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_array, as_float_matrix, as_float_vector, describe, fail
from ..exceptions import InvalidArgumentError
from ._common import estimates_frame, pick

_risk = _core.risk


def _type_codes(option_type) -> np.ndarray:
    """0 (call) / 1 (put) codes of one option type or an array of them."""
    types = np.asarray(option_type)
    if types.dtype.kind not in "UO" or not np.isin(types, ("call", "put")).all():
        bad = [t for t in np.ravel(types) if t not in ("call", "put")][:1]
        fail("option_type", f"expected 'call' or 'put', got {describe(bad[0] if bad else option_type)}")
    return (types == "put").astype(np.uint8)


def black_scholes(option_type, spot, strike, expiry, rate, volatility, dividend_yield=0.0):
    """Black–Scholes–Merton prices and Greeks, vectorised: every argument broadcasts (numpy rules).

    Returns a dict of floats for scalar inputs, else a DataFrame with price, delta, gamma, vega,
    theta, rho (one row per option). ``option_type`` is "call"/"put" (or an array of them).

    >>> import bankquant as bq
    >>> round(bq.risk.black_scholes("call", 42, 40, 0.5, 0.10, 0.20)["price"], 4)   # Hull, example 15.6
    4.7594
    """
    names = ("spot", "strike", "expiry", "rate", "dividend_yield", "volatility")
    values = (spot, strike, expiry, rate, dividend_yield, volatility)
    arrays = [_type_codes(option_type)] + [as_float_array(v, n) for n, v in zip(names, values)]
    try:
        arrays = np.broadcast_arrays(*arrays)
    except ValueError:
        fail("option_type", "expected arguments that broadcast to one shape, got shapes "
                            f"{[np.shape(a) for a in arrays]}")
    scalar = arrays[0].ndim == 0
    flat = [np.ascontiguousarray(a.ravel()) for a in arrays]
    table = _risk.black_scholes_many(*flat)
    columns = ["price", "delta", "gamma", "vega", "theta", "rho"]
    if scalar:
        return {c: float(getattr(table, c)[0]) for c in columns}
    return pd.DataFrame({c: np.asarray(getattr(table, c)) for c in columns})


def implied_volatility(option_type, price, spot, strike, expiry, rate, dividend_yield=0.0, tolerance: float = 1e-12):
    """The volatility that reproduces an option's price, vectorised like ``black_scholes``.

    No cap on the volatility and a relative price tolerance, so deep out-of-the-money quotes
    (prices of 1e-13 and below) are solved; see ``bankquant/risk/pricing/black_scholes.hpp``. A
    price outside its no-arbitrage bounds is an error; one indistinguishable from its bound in
    double precision is a ConvergenceError for a single option, NaN with a ConvergenceWarning
    in an array.

    >>> import bankquant as bq
    >>> p = bq.risk.black_scholes("call", 100, 100, 1.0, 0.02, 0.35)["price"]
    >>> round(bq.risk.implied_volatility("call", p, 100, 100, 1.0, 0.02), 12)
    0.35
    """
    names = ("price", "spot", "strike", "expiry", "rate", "dividend_yield")
    values = (price, spot, strike, expiry, rate, dividend_yield)
    options = _risk.ImpliedVolatilityOptions(tolerance=as_float(tolerance, "tolerance"))
    arrays = [_type_codes(option_type)] + [as_float_array(v, n) for n, v in zip(names, values)]
    try:
        arrays = np.broadcast_arrays(*arrays)
    except ValueError:
        fail("option_type", f"expected arguments that broadcast to one shape, got shapes {[np.shape(a) for a in arrays]}")
    if arrays[0].ndim == 0:
        return _risk.implied_volatility("put" if arrays[0] else "call", *(float(a) for a in arrays[1:]), options)
    flat = [np.ascontiguousarray(a.ravel()) for a in arrays]
    result = _risk.implied_volatility_many(*flat, options)
    vol = np.asarray(result.volatility).reshape(arrays[0].shape)
    if result.not_found:
        import warnings

        from ..exceptions import ConvergenceWarning

        warnings.warn(f"implied_volatility: {result.not_found} of {vol.size} prices are indistinguishable from their "
                      "bounds in double precision; their volatility is NaN", ConvergenceWarning, stacklevel=2)
    return vol


class ZeroCurve:
    """Continuously compounded zero curve with linear-zero or log-linear-discount interpolation.

    >>> import bankquant as bq
    >>> c = bq.risk.ZeroCurve.bootstrap([(0.25, 0, 1, 97.5), (0.5, 0, 1, 94.9), (1.0, 0, 1, 90.0),
    ...                                  (1.5, 0.08, 2, 96.0), (2.0, 0.12, 2, 101.6)])   # Hull Table 4.3
    >>> [round(100 * z, 3) for z in c.zero_rates]
    [10.127, 10.469, 10.536, 10.681, 10.808]
    """

    def __init__(self, times: Sequence[float], zero_rates: Sequence[float], interpolation: str = "linear_zero"):
        self._curve = _risk.ZeroCurve(as_float_vector(times, "times"), as_float_vector(zero_rates, "zero_rates"),
                                      interpolation)

    @classmethod
    def _wrap(cls, curve) -> "ZeroCurve":
        out = cls.__new__(cls)
        out._curve = curve
        return out

    @classmethod
    def bootstrap(cls, instruments: Sequence[Tuple[float, float, int, float]], deposits: Sequence[Tuple[float, float]] = (),
                  interpolation: str = "linear_zero") -> "ZeroCurve":
        """Bootstraps from (maturity, coupon, frequency, price per 100) instruments — zero-coupon
        bonds (coupon 0), coupon bonds, par swaps/bonds (price 100) — and deposits (maturity,
        simple rate)."""
        quotes = [_risk.CurveInstrument(maturity=t, coupon=c, frequency=f, price=p) for t, c, f, p in instruments]
        quotes += [_risk.deposit(as_float(t, "deposits"), as_float(r, "deposits")) for t, r in deposits]
        return cls._wrap(_risk.bootstrap_zero_curve(quotes, interpolation))

    @property
    def times(self):
        return list(self._curve.times)

    @property
    def zero_rates(self):
        return list(self._curve.zero_rates)

    def zero_rate(self, t) -> Union[float, np.ndarray]:
        """Zero rate(s) at t (years): a float for a number, an array of t's shape for an array."""
        return _at(self._curve.zero_rates_at, t)

    def discount(self, t) -> Union[float, np.ndarray]:
        """Discount factor(s) exp(-z(t) t)."""
        return _at(self._curve.discounts_at, t)

    def forward_rate(self, t1: float, t2: float) -> float:
        return self._curve.forward_rate(as_float(t1, "t1"), as_float(t2, "t2"))

    def shifted(self, shift: float) -> "ZeroCurve":
        """The curve with every zero rate moved by ``shift`` (0.0001 = one basis point)."""
        return ZeroCurve._wrap(self._curve.shifted(as_float(shift, "shift")))

    def __reduce__(self):
        return (ZeroCurve._wrap, (self._curve,))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame({"zero_rate": self.zero_rates, "discount": [self.discount(t) for t in self.times]},
                            index=pd.Index(self.times, name="years"))


def _at(f, t):
    values = as_float_array(t, "t")
    out = np.asarray(f(np.ascontiguousarray(values.ravel())))
    return float(out[0]) if values.ndim == 0 else out.reshape(values.shape)


class FixedRateBond:
    """A bullet bond: ``coupon`` (annual rate) paid ``frequency`` times a year until ``maturity``
    (years); a view of the C++ ``FixedRateBond`` record (``raw``).

    >>> import bankquant as bq
    >>> a = bq.risk.FixedRateBond(coupon=0.10, maturity=3.0).analytics(0.12)    # Hull Table 4.6
    >>> round(a["price"], 3), round(a["duration"], 3)
    (94.213, 2.653)
    """

    def __init__(self, coupon: float = 0.05, maturity: float = 5.0, frequency: int = 2, face: float = 100.0):
        self.raw = _risk.FixedRateBond(coupon=coupon, maturity=maturity, frequency=frequency, face=face)

    coupon = property(lambda self: self.raw.coupon)
    maturity = property(lambda self: self.raw.maturity)
    frequency = property(lambda self: self.raw.frequency)
    face = property(lambda self: self.raw.face)

    def __repr__(self) -> str:
        return f"FixedRateBond(coupon={self.coupon}, maturity={self.maturity}, frequency={self.frequency}, face={self.face})"

    def __eq__(self, other) -> bool:
        return isinstance(other, FixedRateBond) and self.raw == other.raw

    def __reduce__(self):
        return (FixedRateBond, (self.coupon, self.maturity, self.frequency, self.face))

    def cash_flows(self) -> pd.DataFrame:
        return pd.DataFrame(self.raw.cash_flows(), columns=["time", "amount"])

    def price(self, curve: Union[ZeroCurve, float]) -> float:
        """Price from a ZeroCurve, or from a (continuously compounded) yield."""
        if isinstance(curve, ZeroCurve):
            return _risk.bond_price(self.raw, curve._curve)
        return _risk.bond_price_from_yield(self.raw, as_float(curve, "curve"))

    def yield_to_maturity(self, price: float) -> float:
        return _risk.bond_yield(self.raw, as_float(price, "price"))

    def analytics(self, yield_: float) -> dict:
        """price, yield, duration (years), convexity and DV01 at a yield."""
        return _risk.bond_analytics(self.raw, as_float(yield_, "yield_")).to_dict()


def fx_forward_rate(spot: float, rate_domestic: float, rate_foreign: float, expiry: float) -> float:
    """Covered interest parity: F = S exp((r_d - r_f) T)."""
    return _risk.fx_forward_rate(as_float(spot, "spot"), as_float(rate_domestic, "rate_domestic"),
                                 as_float(rate_foreign, "rate_foreign"), as_float(expiry, "expiry"))


def fx_forward_value(spot: float, strike: float, rate_domestic: float, rate_foreign: float, expiry: float,
                     notional: float = 1.0) -> float:
    """Value (domestic currency) of a contract to buy ``notional`` foreign units at ``strike``."""
    return _risk.fx_forward_value(as_float(spot, "spot"), as_float(strike, "strike"),
                                  as_float(rate_domestic, "rate_domestic"), as_float(rate_foreign, "rate_foreign"),
                                  as_float(expiry, "expiry"), as_float(notional, "notional"))


@dataclass
class RevaluationResult:
    var: Union[float, pd.Series]
    es: Union[float, pd.Series]
    base_value: float
    pnl: Union[np.ndarray, None]


def full_revaluation_var_es(spots, cov, curve: ZeroCurve, options: pd.DataFrame = None, bonds: pd.DataFrame = None,
                            stocks=None, level=0.99, n_scenarios: int = 100_000, seed: int = 0, horizon_days: int = 1,
                            return_pnl: bool = False) -> RevaluationResult:
    """Monte Carlo VaR/ES of a book of options, bonds and stocks, every position repriced in every scenario.

    Factors: the log-returns of the underlyings in ``spots`` (a Series names them) and a parallel
    shift of ``curve``, jointly normal with ``cov`` over the horizon (last row/column: the shift).
    ``options`` columns: underlying (name or index), type ("call"/"put"), strike, expiry (years),
    volatility, quantity, and optionally dividend_yield. ``bonds`` columns: coupon, maturity,
    quantity, and optionally frequency (2) and face (100). ``stocks``: quantities per underlying.
    See ``bankquant/risk/revaluation.hpp``.
    """
    names = list(spots.index) if isinstance(spots, pd.Series) else list(range(len(spots)))
    spot_values = [float(v) for v in np.asarray(spots, dtype=float)]
    position = {n: i for i, n in enumerate(names)}
    opts = []
    if options is not None and len(options):
        missing = {"underlying", "type", "strike", "expiry", "volatility", "quantity"} - set(options.columns)
        if missing:
            raise InvalidArgumentError(f"argument 'options': missing columns {sorted(missing)}")
        for row in options.itertuples(index=False):
            if row.underlying not in position:
                raise InvalidArgumentError(f"argument 'options': unknown underlying {row.underlying!r}")
            if row.type not in ("call", "put"):
                raise InvalidArgumentError(f"argument 'options': type must be 'call' or 'put', got {row.type!r}")
            opts.append((position[row.underlying], row.type == "put", float(row.strike), float(row.expiry),
                         float(row.volatility), float(getattr(row, "dividend_yield", 0.0)), float(row.quantity)))
    bds = []
    if bonds is not None and len(bonds):
        missing = {"coupon", "maturity", "quantity"} - set(bonds.columns)
        if missing:
            raise InvalidArgumentError(f"argument 'bonds': missing columns {sorted(missing)}")
        for row in bonds.itertuples(index=False):
            bds.append((float(row.coupon), float(row.maturity), int(getattr(row, "frequency", 2)),
                        float(getattr(row, "face", 100.0)), float(row.quantity)))
    stock_q = [] if stocks is None else [float(v) for v in np.asarray(stocks, dtype=float)]
    scalar = np.ndim(level) == 0
    levels = np.atleast_1d(np.asarray(level, dtype=np.float64))
    options = _risk.RevaluationOptions(n_scenarios=n_scenarios, seed=seed, horizon_days=horizon_days)
    r = _risk.full_revaluation(spot_values, curve._curve, opts, bds, stock_q, as_float_matrix(cov, "cov"), levels,
                               options)
    table = estimates_frame(r.estimates)
    return RevaluationResult(pick(table, "var", scalar), pick(table, "es", scalar), r.base_value,
                             np.asarray(r.pnl) if return_pnl else None)
