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

    Parameters
    ----------
    option_type : {"call", "put"} or array of them
    spot, strike : float or array-like
    expiry : float or array-like
        Years.
    rate : float or array-like
        Continuously compounded risk-free rate.
    volatility : float or array-like
        Annual.
    dividend_yield : float or array-like, default 0
        Continuous.

    Returns
    -------
    dict of float for scalar inputs, else a pandas.DataFrame with columns price, delta, gamma,
    vega, theta, rho (vega and rho per unit of volatility and rate; theta per year).

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.risk.black_scholes("call", 42, 40, 0.5, 0.10, 0.20)["price"], 4)   # Hull, example 15.6
    4.7594
    >>> bq.risk.black_scholes("call", 100, [90, 110], 1.0, 0.03, 0.2).round(4)
         price   delta   gamma     vega   theta      rho
    0  15.4292  0.7814  0.0148  29.5038 -4.8316  62.7070
    1   5.2934  0.4104  0.0194  38.8835 -4.9607  35.7453
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

    Parameters
    ----------
    option_type : {"call", "put"} or array of them
    price : float or array-like
        Option prices.
    spot, strike, expiry, rate, dividend_yield
        As :func:`black_scholes`.
    tolerance : float, default 1e-12
        Relative price tolerance.

    Returns
    -------
    float for scalar inputs, else a numpy.ndarray.

    Examples
    --------
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

    Build it from zero rates, or with :meth:`bootstrap` from deposits and coupon bonds.

    Parameters
    ----------
    times : 1-D array-like
        Pillar times in years, increasing.
    zero_rates : 1-D array-like
        Continuously compounded zero rates at the pillars.
    interpolation : {"linear_zero", "log_linear_discount"}, default "linear_zero"

    Examples
    --------
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
        simple rate).

        Parameters
        ----------
        instruments : list of (maturity, coupon, frequency, price) tuples
            Zero-coupon bonds (coupon 0), coupon bonds and par instruments (price 100).
        deposits : list of (maturity, simple rate) tuples, optional
        interpolation : {"linear_zero", "log_linear_discount"}, default "linear_zero"

        Returns
        -------
        ZeroCurve

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve.bootstrap([(0.5, 0, 1, 98.0), (1.0, 0, 1, 96.0)])
        >>> [round(z, 6) for z in c.zero_rates]
        [0.040405, 0.040822]
        """
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
        """Zero rate(s) at t (years): a float for a number, an array of t's shape for an array.

        Parameters
        ----------
        t : float or array-like
            Years.

        Returns
        -------
        float or numpy.ndarray

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve([1.0, 2.0], [0.03, 0.04])
        >>> c.zero_rate(1.5)
        0.035
        """
        return _at(self._curve.zero_rates_at, t)

    def discount(self, t) -> Union[float, np.ndarray]:
        """Discount factor(s) exp(-z(t) t).

        Parameters
        ----------
        t : float or array-like
            Years.

        Returns
        -------
        float or numpy.ndarray
            exp(-z(t) t).

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve([1.0, 2.0], [0.03, 0.04])
        >>> round(c.discount(2.0), 6)
        0.923116
        """
        return _at(self._curve.discounts_at, t)

    def forward_rate(self, t1: float, t2: float) -> float:
        """Parameters
        ----------
        t1, t2 : float
            Years, t1 < t2.

        Returns
        -------
        float
            The continuously compounded forward rate between them.

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve([1.0, 2.0], [0.03, 0.04])
        >>> round(c.forward_rate(1.0, 2.0), 6)
        0.05
        """
        return self._curve.forward_rate(as_float(t1, "t1"), as_float(t2, "t2"))

    def shifted(self, shift: float) -> "ZeroCurve":
        """The curve with every zero rate moved by ``shift`` (0.0001 = one basis point).

        Parameters
        ----------
        shift : float
            Added to every zero rate (0.01 = 100 bp).

        Returns
        -------
        ZeroCurve

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve([1.0, 2.0], [0.03, 0.04])
        >>> c.shifted(0.01).zero_rates
        [0.04, 0.05]
        """
        return ZeroCurve._wrap(self._curve.shifted(as_float(shift, "shift")))

    def __reduce__(self):
        return (ZeroCurve._wrap, (self._curve,))

    def to_frame(self) -> pd.DataFrame:
        """Returns
        -------
        pandas.DataFrame
            Index ``years``; ``zero_rate`` and ``discount`` at the pillars.

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve([1.0, 2.0], [0.03, 0.04])
        >>> c.to_frame()
               zero_rate  discount
        years
        1.0         0.03  0.970446
        2.0         0.04  0.923116
        """
        return pd.DataFrame({"zero_rate": self.zero_rates, "discount": [self.discount(t) for t in self.times]},
                            index=pd.Index(self.times, name="years"))


def _at(f, t):
    values = as_float_array(t, "t")
    out = np.asarray(f(np.ascontiguousarray(values.ravel())))
    return float(out[0]) if values.ndim == 0 else out.reshape(values.shape)


class FixedRateBond:
    """A bullet bond: ``coupon`` (annual rate) paid ``frequency`` times a year until ``maturity``
    (years); a view of the C++ ``FixedRateBond`` record (``raw``).

    Parameters
    ----------
    coupon : float, default 0.05
        Annual coupon rate.
    maturity : float, default 5
        Years.
    frequency : int, default 2
        Coupons a year.
    face : float, default 100

    Examples
    --------
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
        """Returns
        -------
        pandas.DataFrame
            ``time`` (years) and ``amount`` of each payment.

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve([1.0, 2.0], [0.03, 0.04])
        >>> b = bq.risk.FixedRateBond(coupon=0.05, maturity=2.0, frequency=1)
        >>> b.cash_flows()
           time  amount
        0   1.0     5.0
        1   2.0   105.0
        """
        return pd.DataFrame(self.raw.cash_flows(), columns=["time", "amount"])

    def price(self, curve: Union[ZeroCurve, float]) -> float:
        """Price from a ZeroCurve, or from a (continuously compounded) yield.

        Parameters
        ----------
        curve : ZeroCurve or float
            A discount curve, or a yield (continuously compounded).

        Returns
        -------
        float

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve([1.0, 2.0], [0.03, 0.04])
        >>> b = bq.risk.FixedRateBond(coupon=0.05, maturity=2.0, frequency=1)
        >>> round(b.price(c), 4), round(b.price(0.04), 4)
        (101.7794, 101.7312)
        """
        if isinstance(curve, ZeroCurve):
            return _risk.bond_price(self.raw, curve._curve)
        return _risk.bond_price_from_yield(self.raw, as_float(curve, "curve"))

    def yield_to_maturity(self, price: float) -> float:
        """Parameters
        ----------
        price : float

        Returns
        -------
        float
            The continuously compounded yield that reprices the bond.

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve([1.0, 2.0], [0.03, 0.04])
        >>> b = bq.risk.FixedRateBond(coupon=0.05, maturity=2.0, frequency=1)
        >>> round(b.yield_to_maturity(101.0), 6)
        0.043694
        """
        return _risk.bond_yield(self.raw, as_float(price, "price"))

    def analytics(self, yield_: float) -> dict:
        """price, yield, duration (years), convexity and DV01 at a yield.

        Parameters
        ----------
        yield_ : float

        Returns
        -------
        dict
            price, yield, duration, convexity, dv01.

        Examples
        --------
        >>> import bankquant as bq
        >>> c = bq.risk.ZeroCurve([1.0, 2.0], [0.03, 0.04])
        >>> b = bq.risk.FixedRateBond(coupon=0.05, maturity=2.0, frequency=1)
        >>> {k: round(v, 4) for k, v in b.analytics(0.04).items()}
        {'price': 101.7312, 'yield': 0.04, 'duration': 1.9528, 'convexity': 3.8583, 'dv01': 0.0199}
        """
        return _risk.bond_analytics(self.raw, as_float(yield_, "yield_")).to_dict()


def fx_forward_rate(spot: float, rate_domestic: float, rate_foreign: float, expiry: float) -> float:
    """Covered interest parity: F = S exp((r_d - r_f) T).

    Parameters
    ----------
    spot : float
        Domestic units per foreign unit.
    rate_domestic, rate_foreign : float
        Continuously compounded rates.
    expiry : float
        Years.

    Returns
    -------
    float

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.risk.fx_forward_rate(1.10, 0.05, 0.02, 1.0), 6)       # 1.10 exp(0.03)
    1.1335
    """
    return _risk.fx_forward_rate(as_float(spot, "spot"), as_float(rate_domestic, "rate_domestic"),
                                 as_float(rate_foreign, "rate_foreign"), as_float(expiry, "expiry"))


def fx_forward_value(spot: float, strike: float, rate_domestic: float, rate_foreign: float, expiry: float,
                     notional: float = 1.0) -> float:
    """Value (domestic currency) of a contract to buy ``notional`` foreign units at ``strike``.

    Parameters
    ----------
    spot : float
        Domestic units per foreign unit.
    strike : float
        The contract's forward rate.
    rate_domestic, rate_foreign : float
        Continuously compounded rates.
    expiry : float
        Years.
    notional : float, default 1
        Foreign units bought.

    Returns
    -------
    float
        notional × (F - strike) discounted at the domestic rate, F the forward rate.

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.risk.fx_forward_value(1.10, 1.12, 0.05, 0.02, 1.0, notional=1e6), 2)
    12841.59
    """
    return _risk.fx_forward_value(as_float(spot, "spot"), as_float(strike, "strike"),
                                  as_float(rate_domestic, "rate_domestic"), as_float(rate_foreign, "rate_foreign"),
                                  as_float(expiry, "expiry"), as_float(notional, "notional"))


@dataclass
class RevaluationResult:
    """Monte Carlo VaR/ES of a book by full revaluation (:func:`full_revaluation_var_es`).

    Attributes
    ----------
    var, es : float or pandas.Series
        Positive losses: floats for one level, Series by level for several.
    base_value : float
        The book's value today.
    pnl : numpy.ndarray or None
        The scenario P&L, with ``return_pnl=True``.

    Examples
    --------
    >>> import bankquant as bq, numpy as np, pandas as pd
    >>> book = bq.risk.Book(spots=pd.Series({"SPX": 100.0}), curve=bq.risk.ZeroCurve([1.0], [0.03]),
    ...                     stocks=pd.Series({"SPX": 10.0}))
    >>> r = bq.risk.full_revaluation_var_es(book, np.diag([0.01 ** 2, 0.0]), n_scenarios=10_000)
    >>> r.base_value, round(r.var, 2)
    (1000.0, 23.01)
    """
    var: Union[float, pd.Series]
    es: Union[float, pd.Series]
    base_value: float
    pnl: Union[np.ndarray, None]


def _names_of(spots):
    return list(spots.index) if isinstance(spots, pd.Series) else list(range(len(np.atleast_1d(spots))))


def _check_names(argument: str, names, known) -> None:
    """A position on a name that is not among the spots is an error, never dropped (issue 14)."""
    unknown = [n for n in dict.fromkeys(names) if n not in known]
    if unknown:
        fail(argument, f"positions on names without a spot: {unknown[:5]!r}; the spots are {list(known)[:10]!r}")


def _positions(spots, options, bonds, stocks, fx_forwards):
    """The positions as the C++ Book takes them (indices into the spots)."""
    names = _names_of(spots)
    position = {n: i for i, n in enumerate(names)}
    opts = []
    if options is not None and len(options):
        missing = {"underlying", "type", "strike", "expiry", "volatility", "quantity"} - set(options.columns)
        if missing:
            fail("options", f"missing columns {sorted(missing)}")
        for u in options["underlying"]:
            if u not in position:
                fail("options", f"unknown underlying {u!r}")
        codes = _type_codes(options["type"].to_numpy())
        q = options["dividend_yield"] if "dividend_yield" in options else pd.Series(0.0, index=options.index)
        cols = [as_float_vector(options[c], f"options.{c}") for c in ("strike", "expiry", "volatility")]
        qty = as_float_vector(options["quantity"], "options.quantity")
        qv = as_float_vector(q, "options.dividend_yield")
        opts = [(position[u], bool(c), float(k), float(t), float(v), float(d), float(n))
                for u, c, k, t, v, d, n in zip(options["underlying"], codes, *cols, qv, qty)]
    bds = []
    if bonds is not None and len(bonds):
        missing = {"coupon", "maturity", "quantity"} - set(bonds.columns)
        if missing:
            fail("bonds", f"missing columns {sorted(missing)}")
        freq = bonds["frequency"] if "frequency" in bonds else pd.Series(2, index=bonds.index)
        face = bonds["face"] if "face" in bonds else pd.Series(100.0, index=bonds.index)
        bds = [(float(c), float(m), int(f), float(fa), float(n)) for c, m, f, fa, n in
               zip(as_float_vector(bonds["coupon"], "bonds.coupon"), as_float_vector(bonds["maturity"], "bonds.maturity"),
                   freq, as_float_vector(face, "bonds.face"), as_float_vector(bonds["quantity"], "bonds.quantity"))]
    if stocks is None:
        stock_q = []
    elif isinstance(stocks, pd.Series) and isinstance(spots, pd.Series):
        _check_names("stocks", stocks.index, position)
        stock_q = [float(v) for v in as_float_vector(stocks.groupby(level=0).sum().reindex(names).fillna(0.0), "stocks")]
    else:
        stock_q = [float(v) for v in as_float_vector(stocks, "stocks")]
    fx = []
    if fx_forwards is not None and len(fx_forwards):
        missing = {"pair", "strike", "expiry", "notional", "rate_foreign"} - set(fx_forwards.columns)
        if missing:
            fail("fx_forwards", f"missing columns {sorted(missing)}")
        _check_names("fx_forwards", fx_forwards["pair"], position)
        fx = [(position[p], float(k), float(t), float(n), float(rf)) for p, k, t, n, rf in
              zip(fx_forwards["pair"], *(as_float_vector(fx_forwards[c], f"fx_forwards.{c}")
                                         for c in ("strike", "expiry", "notional", "rate_foreign")))]
    return opts, bds, stock_q, fx


def _factor_cov(cov, names):
    """cov as a matrix ordered like the spots, the curve shift last; a DataFrame is aligned by its labels."""
    if isinstance(cov, pd.DataFrame) and all(n in cov.index for n in names):
        other = [c for c in cov.index if c not in names]
        if len(other) != 1 or list(cov.columns.sort_values()) != list(cov.index.sort_values()):
            fail("cov", f"expected the spots {names[:10]!r} and one curve-shift factor as labels, got {list(cov.index)!r}")
        order = list(names) + other
        cov = cov.loc[order, order]
    return as_float_matrix(cov, "cov")


def full_revaluation_var_es(spots, cov, curve: ZeroCurve = None, options: pd.DataFrame = None,
                            bonds: pd.DataFrame = None, stocks=None, level=0.99, n_scenarios: int = 100_000,
                            seed: int = 0, horizon_days: int = 1, return_pnl: bool = False,
                            fx_forwards: pd.DataFrame = None) -> RevaluationResult:
    """Monte Carlo VaR/ES of a book, every position repriced in every scenario at the horizon.

    ``spots`` is a :class:`Book` (then ``curve`` and the positions come from it) or a Series of
    spots naming the underlyings. Factors: the log-returns of the spots (FX rates too) and a
    parallel shift of the curve, jointly normal with ``cov`` over the horizon (last row/column:
    the shift; a DataFrame is aligned by its labels). The curve at the horizon is today's forward
    curve plus the shift, so an unmoved book earns its carry and coupons paid inside the horizon
    are reinvested to it. ``options`` columns: underlying, type ("call"/"put"), strike, expiry
    (years), volatility, quantity [, dividend_yield]. ``bonds``: coupon, maturity, quantity [,
    frequency (2), face (100)]. ``fx_forwards``: pair, strike, expiry, notional, rate_foreign.
    ``stocks``: quantities by spot name. See ``bankquant/risk/revaluation.hpp``.

    Parameters
    ----------
    spots : Book or Series
    cov : 2-D array-like or DataFrame
        Covariance of the factors over the horizon (spots' log returns, then the curve shift).
    curve : ZeroCurve, optional
        Needed with a Series of spots.
    options, bonds, stocks, fx_forwards : optional
        The positions, with a Series of spots.
    level : float or list of float, default 0.99
    n_scenarios : int, default 100,000
    seed : int, default 0
    horizon_days : int, default 1
    return_pnl : bool, default False

    Returns
    -------
    RevaluationResult

    Examples
    --------
    >>> import bankquant as bq, numpy as np, pandas as pd
    >>> book = bq.risk.Book(spots=pd.Series({"SPX": 100.0}), curve=bq.risk.ZeroCurve([1.0], [0.03]),
    ...                     stocks=pd.Series({"SPX": 10.0}))
    >>> r = bq.risk.full_revaluation_var_es(book, np.diag([0.01 ** 2, 0.0]), n_scenarios=10_000)
    >>> round(r.var / (1000 * 0.01 * 2.326), 1)
    1.0
    """
    from ._book_stress import Book

    if isinstance(spots, Book):
        book = spots
        if curve is not None or options is not None or bonds is not None or stocks is not None or fx_forwards is not None:
            fail("curve", "expected the positions in the Book only, got a Book and positions too")
        spots, curve, options, bonds, stocks, fx_forwards = (book.spots, book.curve, book.options, book.bonds,
                                                             book.stocks, book.fx_forwards)
    if not isinstance(curve, ZeroCurve):
        fail("curve", f"expected a ZeroCurve, got {describe(curve)}")
    names = _names_of(spots)
    spot_values = [float(v) for v in as_float_vector(spots, "spots")]
    opts, bds, stock_q, fx = _positions(spots, options, bonds, stocks, fx_forwards)
    scalar = np.ndim(level) == 0
    levels = np.atleast_1d(np.asarray(level, dtype=np.float64))
    settings = _risk.RevaluationOptions(n_scenarios=n_scenarios, seed=seed, horizon_days=horizon_days)
    r = _risk.full_revaluation(spot_values, curve._curve, opts, bds, stock_q, fx, _factor_cov(cov, names), levels,
                               settings)
    table = estimates_frame(r.estimates)
    return RevaluationResult(pick(table, "var", scalar), pick(table, "es", scalar), r.base_value,
                             np.asarray(r.pnl) if return_pnl else None)
