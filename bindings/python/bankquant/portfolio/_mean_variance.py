"""Mean-variance allocation: the MeanVariance problem and its exact frontier."""
from __future__ import annotations

import math
from typing import Optional

import numpy as np
import pandas as pd

from .._options import defaults
from .._validation import as_float, as_int, describe, fail
from ..exceptions import warn_if_not_converged
from ._common import (INF, PortfolioResult, _pf, asset_vector, bounds_of, covariance_matrix, groups_of, labels,
                      solver_options, wrap)
from ._estimators import FactorModel

_MV = defaults(_pf.MeanVarianceOptions)


class Frontier:
    """The exact efficient frontier: corner portfolios and n evenly spaced points between them.

    Attributes
    ----------
    points : DataFrame
        n frontier portfolios: expected_return, volatility, sharpe, then one column per asset.
    breakpoints : DataFrame
        The corner portfolios where the set of binding constraints changes (t, return,
        volatility, event), with their weights.



    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"))
    >>> frontier = mv.frontier(20)
    >>> frontier
    Frontier(35 corner portfolios, 20 points)
    >>> frontier.points.iloc[:2, :3].round(4)
       expected_return  volatility  sharpe
    0           0.1616      0.1337  1.2094
    1           0.1751      0.1342  1.3046
    """

    def __init__(self, raw, names, n: int, risk_free: float, assets):
        self._raw = raw
        self._names = list(names)
        self._assets = assets  # (mu, vol) per asset for plots
        self.risk_free = risk_free
        pts = raw.points(int(n)) if raw.breakpoints else []
        W = np.array([np.asarray(p) for p in pts]) if pts else np.zeros((0, len(names)))
        self._W = W
        self._n = n

    def _frame(self, W):
        mu, cov = self._assets
        ret = W @ mu
        vol = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", W, cov, W), 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            sharpe = np.where(vol > 0, (ret - self.risk_free) / vol, np.nan)
        frame = pd.DataFrame({"expected_return": ret, "volatility": vol, "sharpe": sharpe})
        return pd.concat([frame, pd.DataFrame(W, columns=self._names)], axis=1)

    @property
    def points(self) -> pd.DataFrame:
        return self._frame(self._W)

    @property
    def weights(self) -> pd.DataFrame:
        return pd.DataFrame(self._W, columns=self._names)

    @property
    def breakpoints(self) -> pd.DataFrame:
        bps = self._raw.breakpoints
        W = np.array([np.asarray(b.weights) for b in bps])
        frame = self._frame(W)
        frame.insert(0, "t", [b.t for b in bps])
        frame.insert(1, "event", [b.event for b in bps])
        return frame

    @property
    def unbounded(self) -> bool:
        return bool(self._raw.unbounded)

    def weights_at_return(self, target_return) -> pd.Series:
        """The frontier portfolio with the given expected return (exact: linear between corners).

        Parameters
        ----------
        target_return : float

        Returns
        -------
        pandas.Series
            The frontier portfolio's weights (exact: interpolated between corner portfolios).

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> mv.frontier(20).weights_at_return(0.2).round(3).nlargest(3)
        XOM    0.100
        MMM    0.096
        SBC    0.085
        Name: weight, dtype: float64
        """
        r = as_float(target_return, "target_return")
        return pd.Series(np.asarray(self._raw.weights_at_return(r)), index=self._names, name="weight")

    def plot(self, ax=None, portfolios=None, show_assets: bool = True):
        """The frontier in (volatility, return), the assets, and given portfolios (name -> result).

        Parameters
        ----------
        ax, portfolios, show_assets
            As :func:`plot_frontier`.

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> mv.frontier(20).plot().get_ylabel()
        'expected return (annual)'
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from ._plots import plot_frontier

        return plot_frontier(self, ax=ax, portfolios=portfolios, show_assets=show_assets)

    def __len__(self) -> int:
        return len(self._W)

    def __repr__(self) -> str:
        return f"Frontier({len(self._raw.breakpoints)} corner portfolios, {len(self._W)} points)"


class MeanVariance:
    """Markowitz mean-variance allocation with the constraints desks use, solved exactly.

    Parameters
    ----------
    expected_returns : Series, array or None
        Annual expected returns (None: only min_volatility and max_diversification make sense).
    cov : DataFrame, array or FactorModel
        Annual covariance (checked: symmetric, positive semi-definite), or a factor model, kept in
        factor form for the solver.
    bounds : (lower, upper), default (0.0, 1.0)
        Per-asset bounds: scalars, sequences or Series; None for no bound (PyPortfolioOpt's
        default (0, 1): long only).
    budget : float, default 1.0
        Sum of the weights (0: market neutral; NaN: no budget).
    groups : dict, optional
        ``{name: (members, lower, upper)}`` with members by label or position (sectors, regions).
    max_gross_exposure : float, optional
        Long-short leverage limit ``sum |w| <= L``.
    l2_gamma : float, default 0
        L2 regularisation ``gamma |w|^2`` added to the risk (spreads the weights).
    current_weights, transaction_costs, max_turnover : optional
        Holdings before rebalancing; proportional costs per unit traded (subtracted from the
        expected return); the turnover limit ``sum |w - current|``.
    benchmark : Series or array, optional
        With a benchmark, risk is tracking error and max_sharpe maximises the information ratio.
    max_assets, min_weight : optional
        Cardinality (at most K holdings) and minimum holding (``|w| >= m`` when held), by branch and bound.
    risk_free : float, default 0
        Rate for the reported Sharpe ratios.
    solver : dict or QpOptions, optional
        Options of the QP solver (method, tolerances).
    max_nodes : int, default 20,000
        Branch and bound (``max_assets``, ``min_weight``): node limit.
    time_limit : float, default 30
        Branch and bound: seconds.

    Notes
    -----
    Every method returns a :class:`PortfolioResult`. Infeasible constraints raise
    ``InvalidArgumentError`` naming them ("the upper bounds sum to at most 0.8 but the budget is 1").

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> mu, S = bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf")
    >>> mv = bq.portfolio.MeanVariance(mu, S, bounds=(0.0, 0.1), risk_free=0.04)
    >>> low = mv.min_volatility()
    >>> round(float(low.weights.sum()), 10), bool(low.weights.max() <= 0.1 + 1e-12)
    (1.0, True)
    >>> best = mv.max_sharpe(risk_free=0.04)
    >>> bool(best.sharpe >= mv.efficient_return(low.expected_return + 0.05).sharpe)
    True
    >>> len(mv.frontier(20).points)
    20
    """

    def __init__(self, expected_returns, cov, *, bounds=(0.0, 1.0), budget: float = _MV["budget"], groups=None,
                 max_gross_exposure: Optional[float] = None, l2_gamma: float = _MV["l2_gamma"], current_weights=None,
                 transaction_costs=None, max_turnover: Optional[float] = None, benchmark=None,
                 max_assets: Optional[int] = None, min_weight: Optional[float] = None,
                 risk_free: float = _MV["risk_free"], solver=None, max_nodes: int = _MV["max_nodes"],
                 time_limit: float = _MV["time_limit"]):
        self._factor = isinstance(cov, FactorModel)
        if self._factor:
            names = cov.names
            n = len(names)
        else:
            names = labels(cov) if isinstance(cov, pd.DataFrame) else labels(expected_returns)
            cov_values, names_c = covariance_matrix(cov, "cov", names if isinstance(cov, pd.DataFrame) else None)
            n = cov_values.shape[0]
            names = names_c if names_c is not None else (names if names is not None and len(names) == n
                                                         else list(range(n)))
        self.names = list(names)
        self._has_mu = expected_returns is not None
        mu = np.zeros(n) if expected_returns is None else asset_vector(expected_returns, "expected_returns", n,
                                                                       self.names)
        if not np.isfinite(mu).all():
            fail("expected_returns", f"expected finite values, found {mu[~np.isfinite(mu)][0]}")
        lower, upper = bounds_of(bounds, n, self.names)
        o = _pf.MeanVarianceOptions()
        o.lower, o.upper = lower, upper
        o.budget = as_float(budget, "budget", allow_nan=True)
        o.groups = groups_of(groups, self.names)
        if max_gross_exposure is not None:
            o.max_gross_exposure = as_float(max_gross_exposure, "max_gross_exposure", minimum=0, strict_minimum=True,
                                            allow_inf=True)
        o.l2_gamma = as_float(l2_gamma, "l2_gamma", minimum=0, maximum=1e100)  # larger overflows H
        if current_weights is not None:
            o.current_weights = asset_vector(current_weights, "current_weights", n, self.names, fill=0.0)
        if transaction_costs is not None:
            o.transaction_costs = asset_vector(transaction_costs, "transaction_costs", n, self.names)
        if max_turnover is not None:
            o.max_turnover = as_float(max_turnover, "max_turnover", minimum=0, allow_inf=True)
        if benchmark is not None:
            o.benchmark = asset_vector(benchmark, "benchmark", n, self.names, fill=0.0)
        if max_assets is not None:
            o.max_assets = as_int(max_assets, "max_assets", minimum=1)
        if min_weight is not None:
            o.min_weight = as_float(min_weight, "min_weight", minimum=0)
        o.risk_free = as_float(risk_free, "risk_free")
        o.asset_names = [str(a) for a in self.names]
        o.solver = solver_options(solver)
        o.max_nodes = as_int(max_nodes, "max_nodes", minimum=1)
        o.time_limit = as_float(time_limit, "time_limit", minimum=0)
        o.validate()
        self.risk_free = o.risk_free
        if self._factor:
            self._raw = _pf.MeanVariance(mu, cov._B, cov._F, cov._D, o)
            self._cov = None
            self._fm = cov
        else:
            self._raw = _pf.MeanVariance(mu, cov_values, o)
            self._cov = cov_values
        self._mu = mu
        self._options = o

    def _need_mu(self, what: str):
        if not self._has_mu:
            fail("expected_returns", f"{what} needs expected returns; MeanVariance was built with None")

    def _dense_cov(self):
        if self._cov is not None:
            return self._cov
        return self._fm._B @ self._fm._F @ self._fm._B.T + np.diag(self._fm._D)

    def min_volatility(self) -> PortfolioResult:
        """Minimum variance (plus the L2 term) under the constraints.

        Returns
        -------
        PortfolioResult

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> mv.min_volatility()
        PortfolioResult(method='min_volatility', expected_return=0.1653, volatility=0.135, sharpe=1.224, holdings=19, status='converged')
        """
        return wrap(self._raw.min_volatility(), self.names, "min_volatility")

    def max_sharpe(self, risk_free: float = 0.0) -> PortfolioResult:
        """Maximum Sharpe ratio, exactly (the homogenised problem); the information ratio with a benchmark.

        Parameters
        ----------
        risk_free : float, default 0
            Annual rate the Sharpe ratio is measured against.

        Returns
        -------
        PortfolioResult

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> mv.max_sharpe(risk_free=0.04)
        PortfolioResult(method='max_sharpe', expected_return=0.2906, volatility=0.1762, sharpe=1.423, holdings=17, status='converged')
        """
        self._need_mu("max_sharpe")
        return wrap(self._raw.max_sharpe(as_float(risk_free, "risk_free")), self.names, "max_sharpe")

    def max_quadratic_utility(self, risk_aversion: float = 1.0) -> PortfolioResult:
        """max mu'w - delta/2 w'Sw (net of costs).

        Parameters
        ----------
        risk_aversion : float, default 1
            delta in max w'mu - delta/2 w'Sw.

        Returns
        -------
        PortfolioResult

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> mv.max_quadratic_utility(2.0)
        PortfolioResult(method='max_quadratic_utility', expected_return=0.3183, volatility=0.2059, sharpe=1.546, holdings=12, status='converged')
        """
        self._need_mu("max_quadratic_utility")
        delta = as_float(risk_aversion, "risk_aversion", minimum=0, strict_minimum=True)
        return wrap(self._raw.max_quadratic_utility(delta), self.names, "max_quadratic_utility")

    def efficient_return(self, target_return: float) -> PortfolioResult:
        """Minimum volatility with an expected return of at least the target.

        Parameters
        ----------
        target_return : float
            Annual expected return to reach at the least volatility.

        Returns
        -------
        PortfolioResult

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> mv.efficient_return(0.25)
        PortfolioResult(method='efficient_return', expected_return=0.25, volatility=0.1532, sharpe=1.631, holdings=20, status='converged')
        """
        self._need_mu("efficient_return")
        return wrap(self._raw.efficient_return(as_float(target_return, "target_return")), self.names,
                    "efficient_return")

    def efficient_risk(self, target_volatility: float) -> PortfolioResult:
        """Maximum expected return with a volatility (tracking error with a benchmark) of at most the target.

        Parameters
        ----------
        target_volatility : float
            Annual volatility not to exceed, at the highest expected return.

        Returns
        -------
        PortfolioResult

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> mv.efficient_risk(0.15)
        PortfolioResult(method='efficient_risk', expected_return=0.242, volatility=0.15, sharpe=1.614, holdings=21, status='converged')
        """
        self._need_mu("efficient_risk")
        vol = as_float(target_volatility, "target_volatility", minimum=0, strict_minimum=True)
        return wrap(self._raw.efficient_risk(vol), self.names, "efficient_risk")

    def max_diversification(self) -> PortfolioResult:
        """Maximum diversification ratio w'sigma / sqrt(w'Sw) (Choueifaty and Coignard 2008).

        Returns
        -------
        PortfolioResult

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> mv.max_diversification()
        PortfolioResult(method='max_diversification', expected_return=0.1783, volatility=0.1397, sharpe=1.276, holdings=24, status='converged')
        """
        return wrap(self._raw.max_diversification(), self.names, "max_diversification")

    def frontier(self, n: int = 100, t_max: float = 0.0) -> Frontier:
        """The exact efficient frontier, with n portfolios evenly spaced in expected return.

        Traced by the parametric active-set method: every point is optimal, not one of a sweep of
        independent solves (``breakpoints`` lists the corner portfolios).

        Parameters
        ----------
        n : int, default 100
            Evenly spaced points between the corner portfolios.
        t_max : float, default 0
            Where to stop a frontier whose return grows without bound (no upper bounds).

        Returns
        -------
        Frontier

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> f = mv.frontier(20)
        >>> len(f.points), f.unbounded
        (20, False)
        """
        self._need_mu("frontier")
        count = as_int(n, "n", minimum=1, maximum=1_000_000)
        raw = self._raw.frontier(as_float(t_max, "t_max", minimum=0))
        warn_if_not_converged(raw, "frontier")
        return Frontier(raw, self.names, count, self.risk_free, (self._mu, self._dense_cov()))

    def max_return(self) -> float:
        """The largest expected return any admissible portfolio attains (inf without upper bounds).

        Returns
        -------
        float
            The highest expected return the constraints allow.

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> round(mv.max_return(), 4)          # the best ten stocks at 10 % each
        0.32
        """
        self._need_mu("max_return")
        return float(self._raw.max_return())

    def evaluate(self, weights) -> PortfolioResult:
        """The report of given weights (return, volatility, risk contributions, costs).

        Parameters
        ----------
        weights : Series or 1-D array-like

        Returns
        -------
        PortfolioResult
            Its expected return, volatility, risk contributions (method "given").

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> import pandas as pd
        >>> mv.evaluate(pd.Series(1 / 30, index=r.columns))
        PortfolioResult(method='given', expected_return=0.2227, volatility=0.1531, sharpe=1.454, holdings=30, status='converged')
        """
        w = asset_vector(weights, "weights", len(self.names), self.names, fill=0.0)
        return PortfolioResult(self._raw.evaluate(w, "given"), self.names)

    def get_params(self, deep: bool = True) -> dict:
        """Parameters
        ----------
        deep : bool, default True
            Ignored (scikit-learn's signature).

        Returns
        -------
        dict
            The constructor's arguments.

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0.0, 0.1))
        >>> mv.get_params()["budget"]
        1.0
        """
        o = self._options
        return {"bounds": (np.asarray(o.lower), np.asarray(o.upper)), "budget": o.budget,
                "groups": list(o.groups), "max_gross_exposure": o.max_gross_exposure, "l2_gamma": o.l2_gamma,
                "max_turnover": o.max_turnover, "max_assets": o.max_assets, "min_weight": o.min_weight,
                "risk_free": o.risk_free}

    def __repr__(self) -> str:
        return f"MeanVariance({len(self.names)} assets{', factor form' if self._factor else ''})"
