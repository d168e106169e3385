"""Walk-forward backtests of allocation and trading strategies, their statistics and grids."""
from __future__ import annotations

import itertools
import math
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .._options import defaults
from .._progress import resolve as resolve_progress
from .._validation import as_bool, as_choice, as_float, as_float_matrix, as_float_vector, as_int, describe, fail
from ..exceptions import ConvergenceWarning
from ._common import _pf, asset_vector, bounds_of, groups_of, labels

_BT = defaults(_pf.BacktestOptions)
_SPEC = defaults(_pf.StrategySpec)
_PERF = defaults(_pf.PerformanceOptions)

ALLOCATION_METHODS = ("equal_weight", "inverse_volatility", "min_volatility", "max_sharpe", "max_quadratic_utility",
                      "efficient_risk", "efficient_return", "max_diversification", "risk_parity", "hrp", "herc",
                      "min_cvar")
FREQUENCIES = {"W": "week", "M": "month", "Q": "quarter", "Y": "year", "A": "year"}


class Strategy:
    """A strategy by parameters (the C++ ``StrategySpec``), for :func:`backtest` and :func:`grid_backtest`.

    Build one with :func:`allocation_strategy`, :func:`trend_strategy`,
    :func:`cross_sectional_momentum_strategy`, :func:`mean_reversion_strategy` or
    :func:`pairs_strategy`; ``params`` shows every parameter.

    Parameters
    ----------
    spec : bankquant._core.portfolio.StrategySpec
        The C++ parameters (the builders above fill them).
    bounds : (lower, upper), optional
        allocation: scalar bounds, expanded to every asset when the backtest runs.

    Examples
    --------
    >>> import bankquant as bq
    >>> s = bq.portfolio.trend_strategy("moving_average", 50, 200)
    >>> s
    Strategy(moving_average, name='moving average 50/200')
    >>> s.params["fast"], s.params["slow"]
    (50, 200)
    """

    def __init__(self, spec, bounds=None):
        _pf.validate_strategy(spec)
        self.spec = spec
        self._bounds = bounds  # allocation: scalar (lower, upper), expanded per asset at run time

    @property
    def name(self) -> str:
        return self.spec.name or self.spec.kind

    @property
    def params(self) -> dict:
        d = self.spec.to_dict()
        return {k: v for k, v in d.items() if not hasattr(v, "to_dict")}

    def __repr__(self) -> str:
        return f"Strategy({self.spec.kind}, name={self.spec.name!r})"

    def __reduce__(self):
        return (Strategy, (self.spec, self._bounds))

    def for_assets(self, n: int):
        """The C++ spec with scalar bounds expanded to n assets.

        Parameters
        ----------
        n : int
            The number of assets the backtest trades.

        Returns
        -------
        bankquant._core.portfolio.StrategySpec
            The C++ parameters with the bounds expanded to ``n`` assets.

        Examples
        --------
        >>> import bankquant as bq
        >>> spec = bq.portfolio.allocation_strategy("min_volatility", 252, bounds=(0, 0.2)).for_assets(3)
        >>> list(spec.constraints.upper)
        [0.2, 0.2, 0.2]
        """
        if self.spec.kind != "allocation" or self._bounds is None:
            return self.spec
        spec = _pf.StrategySpec(**self.spec.to_dict())
        spec.constraints.lower = np.full(n, self._bounds[0])
        spec.constraints.upper = np.full(n, self._bounds[1])
        return spec


def _spec(**fields) -> Any:
    spec = _pf.StrategySpec()
    for key, value in fields.items():
        if value is not None:
            setattr(spec, key, value)
    return spec


def allocation_strategy(method: str = "min_volatility", lookback: int = _SPEC["lookback"], *,
                        covariance: str = "sample", shrinkage_target: str = "identity",
                        expected_returns: str = "mean", bounds=(0.0, 1.0), groups=None, max_turnover=None,
                        transaction_costs=None, risk_aversion: float = _SPEC["risk_aversion"], target=None,
                        risk_free: float = _SPEC["risk_free"], linkage: str = "single",
                        distance: str = "distance_of_distances", cvar_level: float = _SPEC["cvar_level"],
                        names=None, name: str = "") -> Strategy:
    """Any allocation method of this module, re-estimated on a rolling window of ``lookback`` rows.

    ``names`` (the asset labels) is needed only to give bounds, groups or costs by label.

    Parameters
    ----------
    method : str, default "min_volatility"
        One of ``ALLOCATION_METHODS``: equal_weight, inverse_volatility, min_volatility, max_sharpe,
        max_quadratic_utility, efficient_risk, efficient_return, max_diversification, risk_parity,
        hrp, herc, min_cvar.
    lookback : int, default 252
        Estimation window in rows.
    covariance : str, default "sample"
        A method of :func:`covariance`.
    shrinkage_target : str, default "identity"
        Ledoit–Wolf's target.
    expected_returns : str, default "mean"
        A method of :func:`expected_returns`.
    bounds, groups, max_turnover, transaction_costs : optional
        Mean-variance constraints, as :class:`MeanVariance`.
    risk_aversion : float, default 1
        For max_quadratic_utility.
    target : float, optional
        Target volatility (efficient_risk) or return (efficient_return).
    risk_free : float, default 0
        Annual rate for max_sharpe.
    linkage, distance : str
        HRP/HERC clustering, as :func:`hrp`.
    cvar_level : float, default 0.95
        min_cvar's level.
    names : list, optional
        The asset labels, to give bounds, groups or costs by label.
    name : str, optional
        A label for reports (default: made from the parameters).

    Returns
    -------
    Strategy

    Examples
    --------
    >>> import bankquant as bq
    >>> s = bq.portfolio.allocation_strategy("hrp", 252)
    >>> s.spec.method, s.spec.lookback
    ('hrp', 252)
    """
    method = as_choice(method, "method", ALLOCATION_METHODS)
    spec = _spec(kind="allocation", method=method, lookback=as_int(lookback, "lookback", minimum=2),
                 risk_aversion=as_float(risk_aversion, "risk_aversion"), risk_free=as_float(risk_free, "risk_free"),
                 cvar_level=as_float(cvar_level, "cvar_level"), name=str(name))
    if target is not None:
        spec.target = as_float(target, "target")
    spec.covariance.method = as_choice(covariance, "covariance", ("sample", "ewma", "ledoit_wolf", "oas", "factor"))
    spec.covariance.target = as_choice(shrinkage_target, "shrinkage_target",
                                       ("identity", "constant_correlation", "single_factor"))
    spec.expected_returns.method = as_choice(expected_returns, "expected_returns",
                                             ("mean", "ewma", "capm", "james_stein"))
    spec.hierarchical.linkage = as_choice(linkage, "linkage", ("single", "complete", "average", "ward"))
    spec.hierarchical.distance = as_choice(distance, "distance",
                                           ("distance_of_distances", "correlation", "absolute_correlation"))
    if not (isinstance(bounds, (tuple, list)) and len(bounds) == 2):
        fail("bounds", f"expected a pair (lower, upper), got {describe(bounds)}")
    lo, hi = bounds
    scalar_bounds = None
    if np.ndim(lo) == 0 and np.ndim(hi) == 0:
        lo_v = -math.inf if lo is None else as_float(lo, "bounds", allow_inf=True)
        hi_v = math.inf if hi is None else as_float(hi, "bounds", allow_inf=True)
        if lo_v > hi_v:
            fail("bounds", f"lower bound {lo_v:g} is above upper bound {hi_v:g}")
        scalar_bounds = (lo_v, hi_v)  # expanded to one per asset by backtest(), which knows n
    else:
        if names is None:
            fail("names", "per-asset bounds need the asset names")
        spec.constraints.lower, spec.constraints.upper = bounds_of(bounds, len(names), list(names))
    if groups is not None:
        if names is None:
            fail("names", "groups need the asset names")
        spec.constraints.groups = groups_of(groups, list(names))
    if max_turnover is not None:
        spec.constraints.max_turnover = as_float(max_turnover, "max_turnover", minimum=0)
    if transaction_costs is not None:
        if np.ndim(transaction_costs) == 0:
            if names is None:
                fail("names", "transaction costs need the asset names (or pass one cost per asset)")
        n = len(names) if names is not None else len(transaction_costs)
        spec.constraints.transaction_costs = asset_vector(transaction_costs, "transaction_costs", n, names)
    return Strategy(spec, scalar_bounds)


def trend_strategy(kind: str = "moving_average", fast: int = _SPEC["fast"], slow: int = _SPEC["slow"], *,
                   lookback: int = _SPEC["lookback"], long_only: bool = _SPEC["long_only"],
                   volatility_scaling: bool = _SPEC["volatility_scaling"],
                   volatility_window: int = _SPEC["volatility_window"], name: str = "") -> Strategy:
    """Trend following: a moving-average crossover (``fast``/``slow`` rows) or time-series momentum
    (the sign of the last ``lookback`` rows' return, Moskowitz, Ooi and Pedersen 2012).

    Parameters
    ----------
    kind : {"moving_average", "momentum"}, default "moving_average"
    fast, slow : int, default 50, 200
        Moving-average windows in rows.
    lookback : int, default 252
        momentum: the return horizon in rows.
    long_only : bool, default False
        Flat instead of short.
    volatility_scaling : bool, default False
        Weights in proportion to 1/sigma instead of 1/n.
    volatility_window : int, default 63
        Rows for sigma.
    name : str, optional
        A label for reports (default: made from the parameters).

    Returns
    -------
    Strategy

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.portfolio.trend_strategy("moving_average", 50, 200).name
    'moving average 50/200'
    """
    kind = as_choice(kind, "kind", ("moving_average", "momentum"))
    spec = _spec(kind=kind, fast=as_int(fast, "fast", minimum=1), slow=as_int(slow, "slow", minimum=2),
                 lookback=as_int(lookback, "lookback", minimum=2), long_only=as_bool(long_only, "long_only"),
                 volatility_scaling=as_bool(volatility_scaling, "volatility_scaling"),
                 volatility_window=as_int(volatility_window, "volatility_window", minimum=2), name=str(name))
    s = Strategy(spec)
    if not name:
        spec.name = _pf_name(spec)
    return s


def _pf_name(spec) -> str:
    if spec.kind == "moving_average":
        return f"moving average {spec.fast}/{spec.slow}" + (" long only" if spec.long_only else "")
    if spec.kind == "momentum":
        return f"time-series momentum {spec.lookback}" + (" long only" if spec.long_only else "")
    return spec.kind


def cross_sectional_momentum_strategy(lookback: int = _SPEC["lookback"], skip: int = _SPEC["skip"], *,
                                      quantile: float = _SPEC["quantile"], long_only: bool = _SPEC["long_only"],
                                      name: str = "") -> Strategy:
    """Cross-sectional momentum (Jegadeesh and Titman 1993): long the best ``quantile`` of returns
    from t - lookback to t - skip, short the worst unless long_only (legs of +-1/2).

    Parameters
    ----------
    lookback : int, default 252
        Return horizon in rows.
    skip : int, default 21
        Most recent rows skipped (one month).
    quantile : float, default 0.2
        Share of assets in each leg.
    long_only : bool, default False
    name : str, optional
        A label for reports (default: made from the parameters).

    Returns
    -------
    Strategy

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.portfolio.cross_sectional_momentum_strategy(252, 21).spec.quantile
    0.2
    """
    return Strategy(_spec(kind="cross_sectional_momentum", lookback=as_int(lookback, "lookback", minimum=2),
                          skip=as_int(skip, "skip", minimum=0), quantile=as_float(quantile, "quantile"),
                          long_only=as_bool(long_only, "long_only"), name=str(name)))


def mean_reversion_strategy(window: int = _SPEC["window"], entry_z: float = _SPEC["entry_z"],
                            exit_z: float = _SPEC["exit_z"], *, long_only: bool = _SPEC["long_only"],
                            name: str = "") -> Strategy:
    """Mean reversion on z = (P - MA) / SD over ``window`` rows: long below -entry_z (short above
    entry_z unless long_only), out inside exit_z.

    Parameters
    ----------
    window : int, default 20
        Rows of the moving mean and deviation.
    entry_z, exit_z : float, default 2, 0.5
    long_only : bool, default False
    name : str, optional
        A label for reports (default: made from the parameters).

    Returns
    -------
    Strategy

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.portfolio.mean_reversion_strategy(20, 2.0, 0.5).spec.window
    20
    """
    return Strategy(_spec(kind="mean_reversion", window=as_int(window, "window", minimum=2),
                          entry_z=as_float(entry_z, "entry_z"), exit_z=as_float(exit_z, "exit_z"),
                          long_only=as_bool(long_only, "long_only"), name=str(name)))


def pairs_strategy(formation: int = _SPEC["formation"], max_pairs: int = _SPEC["max_pairs"], *,
                   max_p_value: float = _SPEC["max_p_value"], entry_z: float = _SPEC["entry_z"],
                   exit_z: float = _SPEC["exit_z"], stop_z: float = _SPEC["stop_z"], name: str = "") -> Strategy:
    """Pairs trading on cointegrated pairs: Engle-Granger on log prices over ``formation`` rows
    (re-formed every ``formation`` rows), the ``max_pairs`` with the smallest p-values below
    ``max_p_value``, traded on the z-score of their spread (hedge ratio from the regression).

    Parameters
    ----------
    formation : int, default 252
        Rows of the formation window (and between re-formations).
    max_pairs : int, default 5
    max_p_value : float, default 0.05
        Largest Engle–Granger p value accepted.
    entry_z, exit_z : float, default 2, 0.5
    stop_z : float, default 0
        Close beyond this ``|z|`` (0: never).
    name : str, optional
        A label for reports (default: made from the parameters).

    Returns
    -------
    Strategy

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.portfolio.pairs_strategy(252, 3).spec.max_pairs
    3
    """
    return Strategy(_spec(kind="pairs", formation=as_int(formation, "formation", minimum=30),
                          max_pairs=as_int(max_pairs, "max_pairs", minimum=1),
                          max_p_value=as_float(max_p_value, "max_p_value"), entry_z=as_float(entry_z, "entry_z"),
                          exit_z=as_float(exit_z, "exit_z"), stop_z=as_float(stop_z, "stop_z"), name=str(name)))


def _prices(prices):
    if isinstance(prices, pd.Series):
        prices = prices.to_frame()
    values = as_float_matrix(prices, "prices", allow_nan=True)
    _pf.check_prices(values)
    names = labels(prices) if isinstance(prices, pd.DataFrame) else list(range(values.shape[1]))
    index = prices.index if isinstance(prices, pd.DataFrame) else pd.RangeIndex(values.shape[0])
    return values, list(names), index


def _schedule(rebalance, index) -> tuple:
    """(rebalance_every, rebalance_rows) from an int, a frequency letter or a list of dates."""
    if isinstance(rebalance, str):
        freq = as_choice(rebalance.upper(), "rebalance", list(FREQUENCIES))
        if not isinstance(index, pd.DatetimeIndex):
            fail("rebalance", f"a calendar frequency ({rebalance!r}) needs prices indexed by dates")
        if freq == "W":
            key = index.isocalendar().week.to_numpy() + 100 * index.isocalendar().year.to_numpy()
        elif freq == "M":
            key = index.year * 12 + index.month
        elif freq == "Q":
            key = index.year * 4 + (index.month - 1) // 3
        else:
            key = np.asarray(index.year)
        key = np.asarray(key)
        last = np.flatnonzero(key[:-1] != key[1:])  # the last row of each period
        return 1, [int(r) for r in last]
    if isinstance(rebalance, (list, tuple, pd.Index, np.ndarray)) and not np.ndim(rebalance) == 0:
        rows = []
        for d in rebalance:
            if isinstance(index, pd.DatetimeIndex) and not isinstance(d, (int, np.integer)):
                pos = index.searchsorted(pd.Timestamp(d))
                if pos >= len(index):
                    fail("rebalance", f"date {d} is after the last price")
                rows.append(int(pos))
            else:
                rows.append(as_int(d, "rebalance", minimum=0))
        rows = sorted(set(rows))
        return 1, rows
    return as_int(rebalance, "rebalance", minimum=1, maximum=2**31 - 1), []


class BacktestResult:
    """A backtest: equity curve, returns, weights, trades and statistics, indexed like the prices.

    Attributes
    ----------
    equity, returns, gross_returns, turnover, costs, cash, gross_exposure : Series
    weights : DataFrame
    stats : Series
        Annualised return and volatility, Sharpe, Sortino, max drawdown, Calmar, turnover, hit
        rate, PSR (performance_stats).



    Examples
    --------
    >>> import bankquant as bq
    >>> prices = bq.datasets.dow_jones_30()
    >>> res = bq.portfolio.backtest(prices, bq.portfolio.trend_strategy("moving_average", 50, 200), rebalance=5, costs=0.001)
    >>> res
    BacktestResult('moving average 50/200': annual return 6.95%, volatility 10.31%, Sharpe 0.70, max drawdown 16.58%, 466 trades)
    >>> res.weights.shape
    (2529, 30)
    """

    def __init__(self, raw, names, index):
        self._raw = raw
        self._names = list(names)
        self._index = index

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    def __reduce__(self):
        return (BacktestResult, (self._raw, self._names, self._index))

    def __repr__(self) -> str:
        s = self._raw.stats
        return (f"BacktestResult({self._raw.strategy!r}: annual return {s.annual_return:.2%}, volatility "
                f"{s.annual_volatility:.2%}, Sharpe {s.sharpe:.2f}, max drawdown {s.max_drawdown:.2%}, "
                f"{len(self._raw.trades)} trades)")

    def _series(self, values, name):
        return pd.Series(np.asarray(values), index=self._index, name=name)

    @property
    def raw(self):
        """The C++ record."""
        return self._raw

    @property
    def name(self) -> str:
        return self._raw.strategy

    @property
    def equity(self) -> pd.Series:
        return self._series(self._raw.equity, "equity")

    @property
    def returns(self) -> pd.Series:
        return self._series(self._raw.returns, "return")

    @property
    def gross_returns(self) -> pd.Series:
        return self._series(self._raw.gross_returns, "gross_return")

    @property
    def turnover(self) -> pd.Series:
        return self._series(self._raw.turnover, "turnover")

    @property
    def costs(self) -> pd.Series:
        return self._series(self._raw.costs, "cost")

    @property
    def cash(self) -> pd.Series:
        return self._series(self._raw.cash, "cash")

    @property
    def gross_exposure(self) -> pd.Series:
        return self._series(self._raw.gross_exposure, "gross_exposure")

    @property
    def weights(self) -> pd.DataFrame:
        return pd.DataFrame(np.asarray(self._raw.weights), index=self._index, columns=self._names)

    @property
    def drawdown(self) -> pd.Series:
        eq = self.equity
        return (eq / eq.cummax() - 1.0).rename("drawdown")

    @property
    def trades(self):
        return self._index[np.asarray(self._raw.trades, dtype=int)]

    @property
    def stats(self) -> pd.Series:
        return pd.Series(self._raw.stats.to_dict(), name=self._raw.strategy)

    def plot(self, ax=None):
        """Equity curve and drawdown.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import bankquant as bq
        >>> res = bq.portfolio.backtest(bq.datasets.dow_jones_30(), bq.portfolio.allocation_strategy("equal_weight", 21))
        >>> import matplotlib.axes; isinstance(res.plot(), matplotlib.axes.Axes)
        True
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from ._plots import plot_equity

        return plot_equity({self.name: self}, ax=ax)

    def plot_weights(self, ax=None):
        """Weights over time as stacked areas.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import bankquant as bq
        >>> res = bq.portfolio.backtest(bq.datasets.dow_jones_30(), bq.portfolio.allocation_strategy("equal_weight", 21))
        >>> import matplotlib.axes; isinstance(res.plot_weights(), matplotlib.axes.Axes)
        True
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from ._plots import plot_weights

        return plot_weights(self.weights.iloc[self._raw.start:], ax=ax)


def _backtest_options(index, rebalance, drift_band, start, costs, spread, impact, adv, initial_capital, cash_rate,
                      max_position, max_gross, stop_loss, target_volatility, volatility_window, max_leverage,
                      var_limit, var_level, var_window, periods_per_year, keep_paths, names):
    o = _pf.BacktestOptions()
    o.rebalance_every, o.rebalance_rows = _schedule(rebalance, index)
    o.drift_band = as_float(drift_band, "drift_band", minimum=0)
    if start is not None:
        if isinstance(index, pd.DatetimeIndex) and not isinstance(start, (int, np.integer)):
            o.start = int(index.searchsorted(pd.Timestamp(start)))
        else:
            o.start = as_int(start, "start", minimum=0)
    o.proportional_cost = as_float(costs, "costs", minimum=0)
    if not o.proportional_cost < 1:
        fail("costs", f"expected costs below 1 (a fraction of the value traded), got {o.proportional_cost}")
    o.spread = as_float(spread, "spread", minimum=0)
    if not o.spread < 1:
        fail("spread", f"expected a bid-ask spread below 1 (a fraction of the price), got {o.spread}")
    o.impact = as_float(impact, "impact", minimum=0)
    if adv is not None:
        o.adv = asset_vector(adv, "adv", len(names), names)
    o.initial_capital = as_float(initial_capital, "initial_capital", minimum=0, strict_minimum=True)
    o.cash_rate = as_float(cash_rate, "cash_rate")
    if max_position is not None:
        o.max_position = as_float(max_position, "max_position", minimum=0, strict_minimum=True, allow_inf=True)
    if max_gross is not None:
        o.max_gross = as_float(max_gross, "max_gross", minimum=0, strict_minimum=True, allow_inf=True)
    if stop_loss is not None:
        o.stop_loss = as_float(stop_loss, "stop_loss", minimum=0)
    if target_volatility is not None:
        o.target_volatility = as_float(target_volatility, "target_volatility", minimum=0)
    o.volatility_window = as_int(volatility_window, "volatility_window", minimum=2)
    o.max_leverage = as_float(max_leverage, "max_leverage", minimum=0, strict_minimum=True)
    if var_limit is not None:
        o.var_limit = as_float(var_limit, "var_limit", minimum=0)
    o.var_level = as_float(var_level, "var_level", minimum=0, maximum=1, strict_minimum=True, strict_maximum=True)
    o.var_window = as_int(var_window, "var_window", minimum=2)
    o.periods_per_year = as_float(periods_per_year, "periods_per_year", minimum=0, strict_minimum=True)
    o.keep_paths = keep_paths
    o.validate()
    return o


def _stats_options(periods_per_year, risk_free):
    return _pf.PerformanceOptions(periods_per_year=as_float(periods_per_year, "periods_per_year", minimum=0,
                                                            strict_minimum=True),
                                  risk_free=as_float(risk_free, "risk_free"))


def backtest(prices, strategy, *, rebalance=21, drift_band: float = 0.0, start=None, costs: float = 0.0,
             spread: float = 0.0, impact: float = 0.0, adv=None, initial_capital: float = _BT["initial_capital"],
             cash_rate: float = 0.0, max_position=None, max_gross=None, stop_loss=None, target_volatility=None,
             volatility_window: int = _BT["volatility_window"], max_leverage: float = _BT["max_leverage"],
             var_limit=None, var_level: float = _BT["var_level"], var_window: int = _BT["var_window"],
             periods_per_year: float = _BT["periods_per_year"], risk_free: float = 0.0, warmup: int = 0,
             name: str = "") -> BacktestResult:
    """Walks a strategy forward over prices with costs and risk controls.

    Parameters
    ----------
    prices : DataFrame
        Positive prices, rows in time order, no gaps (fill or drop them first).
    strategy : Strategy or callable
        A built-in strategy, or ``f(history, current) -> weights`` called on each rebalancing with
        the prices up to that row (a DataFrame) and the current weights (a Series); it returns a
        Series/dict by asset, an array, or None to keep the holdings. ``warmup`` rows come first.
    rebalance : int, {"W", "M", "Q", "Y"} or list of dates, default 21
        Rows between rebalancings, a calendar frequency (the last trading day of each period,
        prices indexed by dates), or explicit dates/rows.
    drift_band : float, default 0
        Also trade back to the target whenever a weight drifts more than this from it.
    start : int or date, optional
        First row that may trade (at least the strategy's warm-up).
    costs, spread : float, default 0
        Commission and half bid-ask spread per unit of value traded (0.001 = 10 bp).
    impact, adv : optional
        Square-root market impact coefficient and each asset's average daily traded value.
    cash_rate : float, default 0
        Annual rate on cash (and on borrowing).
    max_position, max_gross, stop_loss, target_volatility, var_limit : optional
        Risk controls: per-position and gross-exposure limits, stop-loss per position, volatility
        targeting (capped at ``max_leverage``), a one-day VaR limit (historical, ``var_level`` over
        ``var_window`` rows, by the risk module).
    risk_free : float, default 0
        Annual rate for the Sharpe ratio of the statistics.
    initial_capital : float, default 1,000,000
        Starting value (the scale of ``impact`` and ``adv``).
    volatility_window : int, default 63
        Rows of realised volatility for ``target_volatility``.
    max_leverage : float, default 1
        Cap of the volatility-targeting scale.
    var_level : float, default 0.99
    var_window : int, default 250
    periods_per_year : float, default 252
        For the annualised statistics.
    warmup : int, default 0
        Rows a callable strategy needs before its first call.
    name : str, optional
        The result's name (default: the strategy's).

    Returns
    -------
    BacktestResult

    Examples
    --------
    >>> import bankquant as bq
    >>> prices = bq.datasets.dow_jones_30()
    >>> r = bq.portfolio.backtest(prices, bq.portfolio.allocation_strategy("min_volatility", 252),
    ...                           rebalance="M", costs=0.001)
    >>> bool(r.stats["annual_volatility"] < 0.2), len(r.trades) > 100
    (True, True)
    """
    values, names, index = _prices(prices)
    o = _backtest_options(index, rebalance, drift_band, start, costs, spread, impact, adv, initial_capital,
                          cash_rate, max_position, max_gross, stop_loss, target_volatility, volatility_window,
                          max_leverage, var_limit, var_level, var_window, periods_per_year, True, names)
    stats = _stats_options(periods_per_year, risk_free)
    if isinstance(strategy, Strategy):
        raw = _pf.run_backtest(values, strategy.for_assets(len(names)), o, stats)
    elif callable(strategy):
        frame = pd.DataFrame(values, index=index, columns=names)
        label = name or getattr(strategy, "__name__", "callable strategy")

        def target(t, current):
            out = strategy(frame.iloc[: t + 1], pd.Series(current, index=names, name="weight"))
            if out is None:
                return None
            if isinstance(out, dict):
                out = pd.Series(out, dtype=float)
            if isinstance(out, pd.Series):
                unknown = [a for a in out.index if a not in names]
                if unknown:
                    fail("strategy", f"'{label}' returned weights for unknown assets {describe(unknown)} at row {t}")
                out = out.reindex(names).fillna(0.0).to_numpy(dtype=float)
            return np.asarray(out, dtype=float)

        raw = _pf.run_backtest_callback(values, target, as_int(warmup, "warmup", minimum=0), label, o, stats)
    else:
        fail("strategy", f"expected a Strategy or a callable, got {describe(strategy)}")
    if raw.failed_rebalances:
        import warnings

        warnings.warn(f"{raw.strategy}: {raw.status.message}", ConvergenceWarning, stacklevel=2)
    return BacktestResult(raw, names, index)


class GridResult:
    """Backtests of many strategies on the same prices.

    ``table`` has one row per strategy (its parameters and statistics); ``best(metric)`` the
    winner; ``deflated_sharpe()`` the winner's deflated Sharpe ratio given all the trials (Bailey
    and Lopez de Prado 2014), the honest measure after a search over parameters.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per strategy: its parameters and statistics.

    Examples
    --------
    >>> import bankquant as bq
    >>> g = bq.portfolio.grid_backtest(bq.datasets.dow_jones_30(), "moving_average",
    ...                                {"fast": [20, 50], "slow": [100, 200]}, rebalance=5, costs=0.001)
    >>> g.table[["fast", "slow", "sharpe"]].round(3)
       fast  slow  sharpe
    0    20   100  -0.016
    1    20   200   0.638
    2    50   100   0.330
    3    50   200   0.703
    >>> g.best("sharpe")
    BacktestResult('moving average 50/200': annual return 6.95%, volatility 10.31%, Sharpe 0.70, max drawdown 16.58%, 466 trades)
    """

    def __init__(self, raws, strategies, names, index, periods_per_year):
        self._raws = raws
        self._strategies = strategies
        self._names = names
        self._index = index
        self._ppy = periods_per_year

    def __len__(self) -> int:
        return len(self._raws)

    @property
    def table(self) -> pd.DataFrame:
        rows = []
        for raw, s in zip(self._raws, self._strategies):
            row = {"strategy": raw.strategy}
            for key in ("fast", "slow", "lookback", "window", "entry_z", "exit_z", "formation", "method"):
                if key in s.params and _relevant(s.spec.kind, key):
                    row[key] = s.params[key]
            row.update(raw.stats.to_dict())
            rows.append(row)
        return pd.DataFrame(rows)

    def result(self, i: int) -> BacktestResult:
        """Parameters
        ----------
        i : int
            The row of ``table``.

        Returns
        -------
        BacktestResult

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.portfolio.grid_backtest(bq.datasets.dow_jones_30(), "moving_average",
        ...                                {"fast": [20, 50], "slow": [100, 200]}, rebalance=5, costs=0.001)
        >>> g.result(0)
        BacktestResult('moving average 20/100': annual return -0.57%, volatility 9.17%, Sharpe -0.02, max drawdown 33.43%, 486 trades)
        """
        return BacktestResult(self._raws[as_int(i, "i", minimum=0, maximum=len(self._raws) - 1)], self._names,
                              self._index)

    def best(self, metric: str = "sharpe") -> BacktestResult:
        """The strategy with the highest ``metric``.

        Parameters
        ----------
        metric : str, default "sharpe"
            A column of ``table``.

        Returns
        -------
        BacktestResult

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.portfolio.grid_backtest(bq.datasets.dow_jones_30(), "moving_average",
        ...                                {"fast": [20, 50], "slow": [100, 200]}, rebalance=5, costs=0.001)
        >>> g.best("sharpe").name
        'moving average 50/200'
        """
        t = self.table
        metric = as_choice(metric, "metric", [c for c in t.columns if c not in ("strategy", "method")])
        return self.result(int(np.nanargmax(t[metric].to_numpy(dtype=float))))

    def deflated_sharpe(self) -> float:
        """The deflated Sharpe ratio of the best Sharpe ratio among the trials.

        Returns
        -------
        float
            In [0, 1].

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.portfolio.grid_backtest(bq.datasets.dow_jones_30(), "moving_average",
        ...                                {"fast": [20, 50], "slow": [100, 200]}, rebalance=5, costs=0.001)
        >>> round(g.deflated_sharpe(), 4)
        0.8581
        """
        sr = np.array([r.stats.sharpe for r in self._raws]) / math.sqrt(self._ppy)
        if len(sr) < 2 or not np.isfinite(sr).all():
            fail("strategies", "the deflated Sharpe ratio needs at least 2 trials with finite Sharpe ratios")
        k = int(np.argmax(sr))
        best = self._raws[k].stats
        return float(_pf.deflated_sharpe_ratio(float(sr[k]), int(best.periods), float(best.skewness),
                                               float(best.kurtosis), sr))


def _relevant(kind, key):
    return {"moving_average": {"fast", "slow"}, "momentum": {"lookback"}, "cross_sectional_momentum": {"lookback"},
            "mean_reversion": {"window", "entry_z", "exit_z"}, "pairs": {"formation", "entry_z", "exit_z"},
            "allocation": {"method", "lookback"}}.get(kind, set()).__contains__(key)


def _parameter_grid(params) -> list:
    """The rows of a strategy's parameter grid: every combination of a dict of lists, or the
    records of a DataFrame (shared by grid_backtest and bankquant.dask.grid_backtest)."""
    if params is None:
        fail("params", "a strategy kind needs a parameter grid")
    if isinstance(params, dict):
        keys = list(params)
        try:
            rows = [dict(zip(keys, combo)) for combo in itertools.product(*[list(params[k]) for k in keys])]
        except TypeError:
            fail("params", f"expected a dict of lists, got {describe(params)}")
    elif isinstance(params, pd.DataFrame):
        rows = params.to_dict("records")
    else:
        fail("params", f"expected a dict of lists or a DataFrame, got {describe(params)}")
    if not rows:
        fail("params", "the parameter grid is empty")
    return rows


def grid_backtest(prices, strategies, params=None, *, rebalance=21, drift_band: float = 0.0, start=None,
                  costs: float = 0.0, spread: float = 0.0, impact: float = 0.0, adv=None,
                  initial_capital: float = _BT["initial_capital"], cash_rate: float = 0.0, max_position=None,
                  max_gross=None, stop_loss=None, target_volatility=None,
                  volatility_window: int = _BT["volatility_window"], max_leverage: float = _BT["max_leverage"],
                  var_limit=None, var_level: float = _BT["var_level"], var_window: int = _BT["var_window"],
                  periods_per_year: float = _BT["periods_per_year"], risk_free: float = 0.0, keep_paths: bool = False,
                  progress=None) -> GridResult:
    """Backtests many strategies (a list, or a kind and a parameter grid) in parallel in C++.

    ``strategies`` is a list of :class:`Strategy`, or a kind ('moving_average', 'momentum',
    'cross_sectional_momentum', 'mean_reversion', 'pairs') with ``params``: a dict of lists (their
    Cartesian product) or a DataFrame with one row per parameter set. Same options as
    :func:`backtest`.

    Parameters
    ----------
    prices : DataFrame
        Positive prices, rows in time order, no gaps.
    strategies : list of Strategy, or str
        The strategies, or a kind to combine with ``params``.
    params : dict of lists or DataFrame, optional
        The parameter grid of a kind.
    rebalance, drift_band, start, costs, spread, impact, adv, initial_capital, cash_rate, max_position, max_gross, stop_loss, target_volatility, volatility_window, max_leverage, var_limit, var_level, var_window, periods_per_year, risk_free
        As :func:`backtest`.
    keep_paths : bool, default False
        Keep every strategy's equity curve and weights (else only the statistics).
    progress : None, bool or callable
        See :mod:`bankquant._progress`.

    Returns
    -------
    GridResult

    Examples
    --------
    >>> import bankquant as bq
    >>> g = bq.portfolio.grid_backtest(bq.datasets.dow_jones_30(), "moving_average",
    ...                                {"fast": [20, 50], "slow": [100, 200]}, rebalance=5, costs=0.001)
    >>> len(g), 0 <= g.deflated_sharpe() <= 1
    (4, True)
    """
    values, names, index = _prices(prices)
    if isinstance(strategies, str):
        kind = as_choice(strategies, "strategies", ("moving_average", "momentum", "cross_sectional_momentum",
                                                    "mean_reversion", "pairs"))
        rows = _parameter_grid(params)
        make = {"moving_average": lambda **k: trend_strategy("moving_average", **k),
                "momentum": lambda **k: trend_strategy("momentum", **k),
                "cross_sectional_momentum": cross_sectional_momentum_strategy,
                "mean_reversion": mean_reversion_strategy, "pairs": pairs_strategy}[kind]
        built = []
        for row in rows:
            try:
                built.append(make(**row))
            except TypeError as error:
                fail("params", f"{error}")
        strategies = built
    if not isinstance(strategies, (list, tuple)) or not strategies:
        fail("strategies", f"expected a non-empty list of Strategy objects, got {describe(strategies)}")
    for i, s in enumerate(strategies):
        if not isinstance(s, Strategy):
            fail("strategies", f"item {i} is not a Strategy ({describe(s)})")
    o = _backtest_options(index, rebalance, drift_band, start, costs, spread, impact, adv, initial_capital, cash_rate,
                          max_position, max_gross, stop_loss, target_volatility, volatility_window, max_leverage,
                          var_limit, var_level, var_window, periods_per_year, as_bool(keep_paths, "keep_paths"), names)
    stats = _stats_options(periods_per_year, risk_free)
    specs = [s.for_assets(len(names)) for s in strategies]
    raws = _pf.run_backtest_grid(values, specs, o, stats, resolve_progress(progress))
    return GridResult(list(raws), list(strategies), names, index, o.periods_per_year)


def performance(returns, *, periods_per_year: float = _PERF["periods_per_year"], risk_free: float = _PERF["risk_free"],
                minimum_acceptable_return: float = _PERF["minimum_acceptable_return"],
                benchmark_sharpe: float = _PERF["benchmark_sharpe"], turnover=None) -> pd.Series:
    """Performance statistics of periodic simple returns (see performance.hpp for the definitions).

    Parameters
    ----------
    returns : Series or 1-D array-like
        Periodic simple returns.
    periods_per_year : float, default 252
    risk_free : float, default 0
        Annual rate for the Sharpe ratio.
    minimum_acceptable_return : float, default 0
        Annual target of the Sortino ratio.
    benchmark_sharpe : float, default 0
        The annual Sharpe ratio the PSR tests against.
    turnover : 1-D array-like, optional
        Turnover per period, for the mean annual turnover.

    Returns
    -------
    pandas.Series
        periods, total_return, annual_return, annual_volatility, sharpe, sortino, max_drawdown,
        max_drawdown_periods, calmar, hit_rate, turnover, skewness, kurtosis, psr.

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> bq.portfolio.performance(r["KO"])[["annual_return", "annual_volatility", "sharpe"]].round(3)
    annual_return        0.198
    annual_volatility    0.269
    sharpe               0.806
    Name: KO, dtype: float64
    """
    r = as_float_vector(returns, "returns", min_size=2)
    o = _pf.PerformanceOptions(periods_per_year=as_float(periods_per_year, "periods_per_year"),
                               risk_free=as_float(risk_free, "risk_free"),
                               minimum_acceptable_return=as_float(minimum_acceptable_return,
                                                                  "minimum_acceptable_return"),
                               benchmark_sharpe=as_float(benchmark_sharpe, "benchmark_sharpe"))
    t = np.zeros(0) if turnover is None else as_float_vector(turnover, "turnover")
    raw = _pf.performance_stats(r, o, t)
    return pd.Series(raw.to_dict(), name=getattr(returns, "name", None))


def compare(results, **performance_options) -> pd.DataFrame:
    """A comparison table: one row of statistics per backtest (dict name -> result, list of results,
    or a DataFrame of return columns).

    Parameters
    ----------
    results : dict, list or DataFrame
        Backtest results by name, a list of them, or return columns.
    **performance_options
        Arguments of :func:`performance`.

    Returns
    -------
    pandas.DataFrame
        One row per backtest, the columns of :func:`performance`.

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> bq.portfolio.compare(r[["IBM", "KO"]])[["sharpe", "max_drawdown"]].round(3)
         sharpe  max_drawdown
    IBM   0.499         0.706
    KO    0.806         0.498
    """
    if isinstance(results, pd.DataFrame):
        return pd.DataFrame({c: performance(results[c], **performance_options) for c in results.columns}).T
    if isinstance(results, dict):
        items = list(results.items())
    elif isinstance(results, (list, tuple)):
        items = [(getattr(r, "name", str(i)), r) for i, r in enumerate(results)]
    else:
        fail("results", f"expected a dict or list of backtest results, or a DataFrame of returns, got {describe(results)}")
    rows = {}
    for name, r in items:
        if isinstance(r, BacktestResult):
            rows[name] = r.stats
        elif isinstance(r, GridResult):
            fail("results", "pass grid.table for a grid")
        elif isinstance(r, (pd.Series, np.ndarray, list, tuple)):
            rows[name] = performance(r, **performance_options)
        else:
            fail("results", f"item {name!r} is not a backtest result or a series of returns ({describe(r)})")
    return pd.DataFrame(rows).T


def probabilistic_sharpe_ratio(returns, benchmark_sharpe: float = 0.0, periods_per_year: float = 252.0) -> float:
    """P(true Sharpe > benchmark) from the returns' Sharpe ratio, skewness and kurtosis
    (Bailey and Lopez de Prado 2012); benchmark annualised.

    Parameters
    ----------
    returns : Series or 1-D array-like
        Periodic simple returns.
    benchmark_sharpe : float, default 0
        Annual.
    periods_per_year : float, default 252

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> round(bq.portfolio.probabilistic_sharpe_ratio(r["KO"]), 4)
    0.9947
    """
    s = performance(returns, periods_per_year=periods_per_year,
                    benchmark_sharpe=as_float(benchmark_sharpe, "benchmark_sharpe"))
    return float(s["psr"])


def deflated_sharpe_ratio(returns, trial_sharpes, periods_per_year: float = 252.0) -> float:
    """The PSR of ``returns`` against the expected maximum Sharpe ratio of the trials (annualised
    Sharpe ratios of every strategy tried), Bailey and Lopez de Prado (2014).

    Parameters
    ----------
    returns : Series or 1-D array-like
        Periodic returns of the strategy chosen.
    trial_sharpes : list of float
        Annual Sharpe ratios of every strategy tried (the chosen one included).
    periods_per_year : float, default 252

    Returns
    -------
    float
        In [0, 1].

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> trials = [bq.portfolio.performance(r[c])["sharpe"] for c in r.columns]
    >>> round(bq.portfolio.deflated_sharpe_ratio(r["KO"], trials), 4)       # KO, the best of 30 tries
    0.854
    """
    ppy = as_float(periods_per_year, "periods_per_year", minimum=0, strict_minimum=True)
    s = performance(returns, periods_per_year=ppy)
    trials = as_float_vector(trial_sharpes, "trial_sharpes", min_size=2) / math.sqrt(ppy)
    if np.abs(trials).max() > 1e100:  # their variance would overflow
        fail("trial_sharpes", f"expected Sharpe ratios of a sensible size, got {np.abs(trials).max() * math.sqrt(ppy)}")
    return float(_pf.deflated_sharpe_ratio(float(s["sharpe"]) / math.sqrt(ppy), int(s["periods"]),
                                           float(s["skewness"]), float(s["kurtosis"]), trials))


def engle_granger(y, x, maxlag: Optional[int] = None):
    """The Engle-Granger cointegration test of y on x (statsmodels' coint): statistic, p-value,
    critical values, hedge ratio, intercept, spread volatility and half-life.

    Parameters
    ----------
    y, x : Series or 1-D array-like
        Same length (at least 20), finite; log prices, say.
    maxlag : int, optional
        Largest ADF lag (chosen by AIC; default ceil(12 (T/100)^(1/4)), Schwert 1989).

    Returns
    -------
    CointegrationResult
        ``statistic``, ``p_value`` (MacKinnon), ``critical_1``/``_5``/``_10``, ``lags``,
        ``hedge_ratio``, ``intercept``, ``residual_sd`` and ``half_life``.

    Examples
    --------
    >>> import numpy as np, bankquant as bq
    >>> p = np.log(bq.datasets.dow_jones_30())
    >>> t = bq.portfolio.engle_granger(p["KO"][:500], p["PG"][:500])
    >>> round(t.statistic, 4), round(t.p_value, 4)
    (-3.1699, 0.0751)
    """
    yv = as_float_vector(y, "y", min_size=20)
    xv = as_float_vector(x, "x", min_size=20)
    lag = -1 if maxlag is None else as_int(maxlag, "maxlag", minimum=0)
    return _pf.engle_granger(yv, xv, lag)


def select_pairs(prices, at=None, *, formation: int = _SPEC["formation"], max_pairs: int = _SPEC["max_pairs"],
                 max_p_value: float = _SPEC["max_p_value"]) -> pd.DataFrame:
    """The disjoint cointegrated pairs the pairs strategy would trade at row ``at`` (default: the last).

    Parameters
    ----------
    prices : DataFrame
    at : int or label, optional
        The row (default: the last).
    formation : int, default 252
    max_pairs : int, default 5
    max_p_value : float, default 0.05

    Returns
    -------
    pandas.DataFrame
        One row per pair: first, second, hedge_ratio, intercept, spread_sd, p_value.

    Examples
    --------
    >>> import bankquant as bq
    >>> pairs = bq.portfolio.select_pairs(bq.datasets.dow_jones_30(), max_p_value=0.2)
    >>> list(pairs.columns)[:3]
    ['first', 'second', 'hedge_ratio']
    """
    values, names, index = _prices(prices)
    if at is None:
        t = values.shape[0] - 1
    elif isinstance(index, pd.DatetimeIndex) and not isinstance(at, (int, np.integer)):
        t = int(index.searchsorted(pd.Timestamp(at), side="right")) - 1
    else:
        t = as_int(at, "at", minimum=0)
    raw = _pf.select_pairs(values, t, as_int(formation, "formation", minimum=30), as_int(max_pairs, "max_pairs", minimum=1),
                           as_float(max_p_value, "max_p_value"))
    return pd.DataFrame([{"first": names[p.first], "second": names[p.second], "hedge_ratio": p.hedge_ratio,
                          "intercept": p.intercept, "spread_sd": p.spread_sd, "p_value": p.p_value} for p in raw],
                        columns=["first", "second", "hedge_ratio", "intercept", "spread_sd", "p_value"])
