"""Stress tests of a book of stocks, options, bonds and FX forwards: full revaluation next to the
sensitivity (Greeks) approximation, scenario by scenario.

A scenario moves: spots (relative moves by name; FX rates are spots too), the zero curve by a
parallel shift and a twist (a shift growing linearly with maturity around a pivot: dz(t) =
parallel + twist * (t - pivot) / 10, in rate units), and implied volatilities (an absolute shift).

Sensitivity P&L: options delta x dS + 1/2 gamma x dS^2 + vega x dvol + rho x dr; bonds per cash
flow -t PV dz(t) + 1/2 t^2 PV dz(t)^2 (duration and convexity at each cash flow's maturity); FX
forwards N e^(-r_f T) dS + N K T e^(-r_d T) dr (V = N S e^(-r_f T) - N K e^(-r_d T)); stocks
quantity x dS. The gap between the two
columns shows where second order is not enough (deep moves, short-dated options).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional

import numpy as np
import pandas as pd

from ..exceptions import InvalidArgumentError
from ._pricing import FixedRateBond, ZeroCurve, black_scholes


def _curve_move(parallel: float, twist: float, pivot: float):
    """dz(t) = parallel + twist * (t - pivot) / 10: the zero-rate change at maturity t (years)."""
    return lambda t: parallel + twist * (np.asarray(t) - pivot) / 10.0


@dataclass
class Book:
    """Positions to stress. ``spots`` names every underlying and FX rate (domestic per foreign unit).

    Parameters
    ----------
    spots : Series
        Spot of every underlying and FX rate, by name.
    curve : ZeroCurve
        The discount curve.
    options : DataFrame, optional
        Columns underlying, type, strike, expiry, volatility, quantity [, dividend_yield].
    bonds : DataFrame, optional
        Columns coupon, maturity, quantity [, frequency, face].
    fx_forwards : DataFrame, optional
        Columns pair (a spot name), strike, expiry, notional (foreign units bought), rate_foreign.
    stocks : Series, optional
        Quantities by spot name.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> book = bq.risk.Book(spots=pd.Series({"SPX": 100.0}), curve=bq.risk.ZeroCurve([1.0], [0.03]),
    ...                     stocks=pd.Series({"SPX": 10.0}))
    >>> book.value()
    1000.0
    """

    spots: pd.Series
    curve: ZeroCurve
    options: Optional[pd.DataFrame] = None
    bonds: Optional[pd.DataFrame] = None
    fx_forwards: Optional[pd.DataFrame] = None
    stocks: Optional[pd.Series] = None

    def __post_init__(self):
        from ._pricing import _check_names

        if not isinstance(self.spots, pd.Series):
            raise InvalidArgumentError("argument 'spots': expected a pandas Series of spots by name")
        known = set(self.spots.index)
        if self.stocks is not None:
            _check_names("stocks", self.stocks.index, known)
        if self.options is not None and len(self.options):
            if "underlying" not in self.options:
                raise InvalidArgumentError("argument 'options': missing column 'underlying'")
            _check_names("options", self.options["underlying"], known)
        if self.fx_forwards is not None and len(self.fx_forwards):
            if "pair" not in self.fx_forwards:
                raise InvalidArgumentError("argument 'fx_forwards': missing column 'pair'")
            _check_names("fx_forwards", self.fx_forwards["pair"], known)

    def value(self, spot_moves: Mapping[str, float] = None, parallel: float = 0.0, twist: float = 0.0,
              pivot: float = 5.0, vol_shift: float = 0.0) -> float:
        """Book value after the moves (all zero: today's value).

        Parameters
        ----------
        spot_moves, parallel, twist, pivot, vol_shift
            As :meth:`sensitivity_pnl`.

        Returns
        -------
        float

        Examples
        --------
        >>> import bankquant as bq, pandas as pd
        >>> book = bq.risk.Book(spots=pd.Series({"SPX": 100.0}), curve=bq.risk.ZeroCurve([1.0], [0.03]),
        ...                     stocks=pd.Series({"SPX": 10.0}))
        >>> book.value(), book.value({"SPX": -0.1})
        (1000.0, 900.0)
        """
        S = self._moved_spots(spot_moves or {})
        dz = _curve_move(parallel, twist, pivot)
        total = 0.0
        if self.stocks is not None:
            total += float((self.stocks * S.reindex(self.stocks.index)).sum())
        if self.options is not None and len(self.options):
            o = self.options
            T = o["expiry"].to_numpy(dtype=float)
            vol = o["volatility"].to_numpy(dtype=float) + vol_shift
            if (vol <= 0).any():
                raise InvalidArgumentError("the volatility shift makes a volatility non-positive")
            prices = self._option_greeks(S, dz(T), vol)["price"].to_numpy()
            total += float(prices @ o["quantity"].to_numpy(dtype=float))
        for t, amount in self._bond_flows():
            total += amount * np.exp(-(self.curve.zero_rate(t) + dz(t)) * t)
        if self.fx_forwards is not None and len(self.fx_forwards):
            for row in self.fx_forwards.itertuples(index=False):
                rd = self.curve.zero_rate(row.expiry) + dz(row.expiry)
                fwd = S[row.pair] * np.exp((rd - row.rate_foreign) * row.expiry)
                total += row.notional * (fwd - row.strike) * np.exp(-rd * row.expiry)
        return float(total)

    def _option_greeks(self, spots: pd.Series, rate_shift, volatility) -> pd.DataFrame:
        """Black–Scholes prices and Greeks of the options at the given spots, curve shift and vols."""
        o = self.options
        T = o["expiry"].to_numpy(dtype=float)
        r = np.array([self.curve.zero_rate(t) for t in T]) + rate_shift
        q = o["dividend_yield"].to_numpy(dtype=float) if "dividend_yield" in o else 0.0
        return black_scholes(o["type"].to_numpy(), spots.reindex(o["underlying"]).to_numpy(), o["strike"].to_numpy(),
                             T, r, volatility, q)

    def _moved_spots(self, moves: Mapping[str, float]) -> pd.Series:
        unknown = [k for k in moves if k not in self.spots.index]
        if unknown:
            raise InvalidArgumentError(f"argument 'spot': no spot named {unknown}")
        return self.spots * (1 + pd.Series(moves, dtype=float).reindex(self.spots.index).fillna(0.0))

    def _bond_flows(self):
        if self.bonds is None or not len(self.bonds):
            return []
        out = []
        for row in self.bonds.itertuples(index=False):
            bond = FixedRateBond(coupon=row.coupon, maturity=row.maturity, frequency=int(getattr(row, "frequency", 2)),
                                 face=float(getattr(row, "face", 100.0)))
            out += [(t, a * row.quantity) for t, a in bond.cash_flows().itertuples(index=False)]
        return out

    def sensitivity_pnl(self, spot_moves: Mapping[str, float] = None, parallel: float = 0.0, twist: float = 0.0,
                        pivot: float = 5.0, vol_shift: float = 0.0) -> float:
        """The Greeks' (second-order) approximation of the P&L of the same moves.

        Parameters
        ----------
        spot_moves : dict of str to float, optional
            Relative moves by spot name.
        parallel, twist : float, default 0
            Curve moves in rate units.
        pivot : float, default 5
            Years: the twist's pivot.
        vol_shift : float, default 0
            Absolute volatility shift.

        Returns
        -------
        float
            The P&L from the Greeks (see the module's docstring).

        Examples
        --------
        >>> import bankquant as bq, pandas as pd
        >>> book = bq.risk.Book(spots=pd.Series({"SPX": 100.0}), curve=bq.risk.ZeroCurve([1.0], [0.03]),
        ...                     stocks=pd.Series({"SPX": 10.0}))
        >>> book.sensitivity_pnl({"SPX": -0.1})
        -100.0
        """
        dS = self._moved_spots(spot_moves or {}) - self.spots
        dz = _curve_move(parallel, twist, pivot)
        pnl = 0.0
        if self.stocks is not None:
            pnl += float((self.stocks * dS.reindex(self.stocks.index)).sum())
        if self.options is not None and len(self.options):
            o = self.options
            T = o["expiry"].to_numpy(dtype=float)
            g = self._option_greeks(self.spots, 0.0, o["volatility"].to_numpy(dtype=float))
            ds = dS.reindex(o["underlying"]).to_numpy()
            per = (g["delta"] * ds + 0.5 * g["gamma"] * ds * ds + g["vega"] * vol_shift + g["rho"] * dz(T)).to_numpy()
            pnl += float(per @ o["quantity"].to_numpy(dtype=float))
        for t, amount in self._bond_flows():
            pv = amount * np.exp(-self.curve.zero_rate(t) * t)
            d = dz(t)
            pnl += -t * pv * d + 0.5 * t * t * pv * d * d
        if self.fx_forwards is not None and len(self.fx_forwards):
            for row in self.fx_forwards.itertuples(index=False):
                pnl += row.notional * np.exp(-row.rate_foreign * row.expiry) * dS[row.pair]
                # the domestic rate moves the discounting of the strike only: d/dr [-K e^(-r T)] = K T e^(-r T)
                rd = self.curve.zero_rate(row.expiry)
                pnl += row.notional * row.strike * row.expiry * np.exp(-rd * row.expiry) * dz(row.expiry)
        return float(pnl)


def stress_test(book: Book, scenarios: Mapping[str, Mapping[str, object]]) -> pd.DataFrame:
    """Full-revaluation and sensitivity P&L of each scenario, side by side.

    A scenario is a dict with any of: ``spot`` ({name: relative move}), ``parallel`` and ``twist``
    (curve moves in rate units, 0.01 = 100 bp), ``pivot`` (years, default 5), ``vol`` (absolute
    volatility shift, 0.05 = +5 points).

    Parameters
    ----------
    book : Book
    scenarios : dict of str to dict
        Scenario name to its moves (see above).

    Returns
    -------
    pandas.DataFrame
        One row per scenario: ``full_revaluation`` and ``sensitivities`` (the Greeks, as the module says)
        P&L, and their ``difference`` (sensitivities minus full revaluation).

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> book = bq.risk.Book(spots=pd.Series({"SPX": 100.0}), curve=bq.risk.ZeroCurve([1.0], [0.03]),
    ...                     stocks=pd.Series({"SPX": 10.0}))
    >>> bq.risk.stress_test(book, {"equity -30%": {"spot": {"SPX": -0.30}}})["full_revaluation"].round(2).tolist()
    [-300.0]
    """
    allowed = {"spot", "parallel", "twist", "pivot", "vol"}
    base = book.value()
    rows = {}
    for name, s in scenarios.items():
        unknown = set(s) - allowed
        if unknown:
            raise InvalidArgumentError(f"argument 'scenarios[{name!r}]': unknown keys {sorted(unknown)}; use {sorted(allowed)}")
        kwargs = dict(spot_moves=s.get("spot", {}), parallel=float(s.get("parallel", 0.0)),
                      twist=float(s.get("twist", 0.0)), pivot=float(s.get("pivot", 5.0)), vol_shift=float(s.get("vol", 0.0)))
        full = book.value(**kwargs) - base
        approx = book.sensitivity_pnl(**kwargs)
        rows[name] = {"full_revaluation": full, "sensitivities": approx, "difference": approx - full}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.attrs["base_value"] = base
    return out
