"""Black-Litterman, risk budgeting, HRP/HERC, minimum CVaR, naive weights and the raw QP solver."""
from __future__ import annotations

import math
from typing import Optional

import numpy as np
import pandas as pd

from .._options import defaults
from .._validation import as_choice, as_float, as_float_matrix, as_float_vector, as_int, describe, fail
from ..exceptions import warn_if_not_converged
from ._common import (INF, PortfolioResult, _pf, asset_vector, bounds_of, covariance_matrix, groups_of, labels,
                      options, returns_matrix, series, solver_options, wrap)

_BL = defaults(_pf.BlackLittermanOptions)
_RB = defaults(_pf.RiskBudgetOptions)
_H = defaults(_pf.HierarchicalOptions)
_CV = defaults(_pf.CvarOptions)

LINKAGES = ("single", "complete", "average", "ward")
DISTANCES = ("distance_of_distances", "correlation", "absolute_correlation")


def _cov_and_mu(cov, expected_returns):
    values, names = covariance_matrix(cov, "cov")
    n = values.shape[0]
    names = names if names is not None else (labels(expected_returns) or list(range(n)))
    mu = np.zeros(0) if expected_returns is None else asset_vector(expected_returns, "expected_returns", n, names)
    return values, list(names), mu


class BlackLittermanResult:
    """The Black-Litterman posterior (He and Litterman 1999).

    Attributes
    ----------
    pi : Series
        Equilibrium returns delta S w_mkt + rf.
    posterior_returns : Series
    posterior_cov : DataFrame
        S + M, the posterior covariance of He and Litterman.
    weights : Series
        The unconstrained optimal weights (see ``weights_convention``).
    omega : DataFrame
        The view uncertainty used (``omega_source`` says where it came from).



    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> cov = bq.portfolio.covariance(r)
    >>> bl = bq.portfolio.black_litterman(cov, pd.Series(1 / 30, index=cov.index), views={"IBM": 0.12}, confidences=[0.5])
    >>> bl
    BlackLittermanResult(30 assets, 1 views, omega from idzorek, weights he_litterman)
    >>> round(bl.pi["IBM"], 4), round(bl.posterior_returns["IBM"], 4)    # the view pulls IBM up
    (0.059, 0.0895)
    """

    def __init__(self, raw, names):
        self._raw = raw
        self._names = names

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    @property
    def pi(self) -> pd.Series:
        return series(self._raw.pi, self._names, "pi")

    @property
    def posterior_returns(self) -> pd.Series:
        return series(self._raw.posterior_returns, self._names, "posterior_return")

    @property
    def posterior_cov(self) -> pd.DataFrame:
        return pd.DataFrame(np.asarray(self._raw.posterior_cov), index=self._names, columns=self._names)

    @property
    def weights(self) -> pd.Series:
        return series(self._raw.weights, self._names, "weight")

    @property
    def omega(self) -> pd.DataFrame:
        return pd.DataFrame(np.asarray(self._raw.omega))

    def __repr__(self) -> str:
        return (f"BlackLittermanResult({len(self._names)} assets, {self._raw.views_used} views, omega from "
                f"{self._raw.omega_source}, weights {self._raw.weights_convention})")


def black_litterman(cov, market_weights, delta: float = _BL["delta"], tau: float = _BL["tau"], P=None, Q=None,
                    omega=None, confidences=None, *, views=None, risk_free: float = _BL["risk_free"],
                    weights: str = _BL["weights"]) -> BlackLittermanResult:
    """Black-Litterman posterior returns from market equilibrium and views.

    Parameters
    ----------
    cov : DataFrame or array
        Annual covariance (n x n).
    market_weights : Series or array
        Market-capitalisation weights (their equilibrium returns are the prior).
    delta, tau : float
        Market risk aversion and the prior's uncertainty scale (He and Litterman's 2.5 and 0.05).
    P, Q : array-like, optional
        Views: rows of P (k x n; a DataFrame aligns by asset) with expected returns Q (k).
        Absolute views may instead be given as ``views={"IBM": 0.12}``.
    omega : array-like, optional
        The views' covariance (k x k); else from ``confidences`` (Idzorek, each in [0, 1]) or
        He and Litterman's diag(P tau S P').
    confidences : array-like, optional
        One confidence in [0, 1] per view, turned into ``omega`` by Idzorek's method.
    views : dict of str to float, optional
        Absolute views by asset, instead of ``P`` and ``Q``.
    risk_free : float, default 0
        Added to the equilibrium returns (0: excess returns).
    weights : {"he_litterman", "prior_normalised"}
        How ``.weights`` is computed: (delta S_BL)^-1 mu_BL as He and Litterman report it, or
        (delta S)^-1 mu_BL normalised to one (PyPortfolioOpt's convention).

    Returns
    -------
    BlackLittermanResult

    Examples
    --------
    He and Litterman's (1999) example: Germany outperforms the rest of Europe by 5%.

    >>> import numpy as np, bankquant as bq
    >>> vol = np.array([.160, .203, .248, .271, .210, .200, .187])
    >>> corr = np.array([[1, .488, .478, .515, .439, .512, .491], [.488, 1, .664, .655, .310, .608, .779],
    ...                  [.478, .664, 1, .861, .355, .783, .668], [.515, .655, .861, 1, .354, .777, .653],
    ...                  [.439, .310, .355, .354, 1, .405, .306], [.512, .608, .783, .777, .405, 1, .652],
    ...                  [.491, .779, .668, .653, .306, .652, 1]])
    >>> w = np.array([.016, .022, .052, .055, .116, .124, .615])
    >>> bl = bq.portfolio.black_litterman(np.outer(vol, vol) * corr, w, P=[[0, 0, -.295, 1, 0, -.705, 0]], Q=[.05])
    >>> np.round(bl.weights.to_numpy() * 100, 1)        # their Table 4
    array([ 1.5,  2.1, -3.9, 35.4, 11. , -9.5, 58.6])
    """
    values, names = covariance_matrix(cov, "cov")
    n = values.shape[0]
    names = list(names) if names is not None else (labels(market_weights) or list(range(n)))
    w = asset_vector(market_weights, "market_weights", n, names)
    if views is not None:
        if P is not None or Q is not None:
            fail("views", "give views either as P and Q or as a dict, not both")
        if not isinstance(views, dict) or not views:
            fail("views", f"expected a non-empty dict {{asset: expected return}}, got {describe(views)}")
        from ._common import asset_index

        rows = np.zeros((len(views), n))
        q = []
        for k, (asset, value) in enumerate(views.items()):
            rows[k, asset_index(asset, names, "views")] = 1.0
            q.append(as_float(value, f"views[{asset!r}]"))
        Pm, Qv = rows, np.asarray(q)
    elif P is None and Q is None:
        Pm, Qv = np.zeros((0, n)), np.zeros(0)
    else:
        if P is None or Q is None:
            fail("P" if P is None else "Q", "views need both P and Q")
        if isinstance(P, pd.DataFrame):
            unknown = [c for c in P.columns if c not in names]
            if unknown:
                fail("P", f"names assets that are not in the universe: {describe(unknown)}")
            P = P.reindex(columns=names).fillna(0.0)
        Pm = as_float_matrix(P if isinstance(P, pd.DataFrame) or np.ndim(P) != 1 else [list(P)], "P")
        Qv = as_float_vector(np.atleast_1d(Q) if np.ndim(Q) == 0 else Q, "Q")
    om = np.zeros((0, 0)) if omega is None else as_float_matrix(np.atleast_2d(omega), "omega")
    cf = np.zeros(0) if confidences is None else as_float_vector(np.atleast_1d(confidences), "confidences")
    o = options(_pf.BlackLittermanOptions, delta=as_float(delta, "delta"), tau=as_float(tau, "tau"),
                risk_free=as_float(risk_free, "risk_free"),
                weights=as_choice(weights, "weights", ("he_litterman", "prior_normalised")))
    return BlackLittermanResult(_pf.black_litterman(values, w, Pm, Qv, om, cf, o), names)


def market_implied_risk_aversion(market_prices, risk_free: float = 0.0, periods_per_year: float = 252.0,
                                 returns: bool = False) -> float:
    """delta = (E[r_m] - rf) / var(r_m) from a market index's prices (or returns with returns=True).

    Parameters
    ----------
    market_prices : Series or 1-D array-like
        A market index's prices (or returns with ``returns=True``).
    risk_free : float, default 0
        Annual.
    periods_per_year : float, default 252
    returns : bool, default False

    Returns
    -------
    float

    Examples
    --------
    >>> import bankquant as bq
    >>> index = bq.datasets.dow_jones_30().mean(axis=1)
    >>> round(bq.portfolio.market_implied_risk_aversion(index), 3)
    7.279
    """
    x = as_float_vector(market_prices, "market_prices", min_size=3)
    if not returns:
        if (x <= 0).any():
            fail("market_prices", "expected positive prices (pass returns=True for returns)")
        x = x[1:] / x[:-1] - 1.0
    return float(_pf.market_implied_risk_aversion(x, as_float(risk_free, "risk_free"),
                                                  as_float(periods_per_year, "periods_per_year")))


def risk_parity(cov, *, budgets=None, bounds=None, groups=None, expected_returns=None,
                risk_free: float = _RB["risk_free"], max_iterations: int = _RB["max_iterations"],
                tolerance: float = _RB["tolerance"]) -> PortfolioResult:
    """Risk budgeting: risk contributions w_i (Sw)_i in proportion to budgets (equal by default).

    ``budgets`` are the shares of the portfolio's risk, positive and summing to 1 (to within
    1e-6); another sum raises ``InvalidArgumentError`` (divide by the sum to use proportions).

    The convex formulation of Spinu (2013) with Newton steps; bounds and groups on the weights
    as cone constraints (Richard and Roncalli 2019).

    Parameters
    ----------
    cov : DataFrame, 2-D array or FactorModel
        Annual covariance.
    budgets : Series or 1-D array-like, optional
        Risk shares (default equal).
    bounds : (lower, upper), optional
        Per-asset bounds on the weights.
    groups : dict, optional
        ``{name: (members, lower, upper)}``.
    expected_returns : Series or array, optional
        For the reported expected return and Sharpe ratio.
    risk_free : float, default 0
        For the reported Sharpe ratio.
    max_iterations : int, default 100
    tolerance : float, default 1e-12

    Returns
    -------
    PortfolioResult

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> erc = bq.portfolio.risk_parity(bq.portfolio.covariance(r))
    >>> round(float(erc.risk_shares.max() - erc.risk_shares.min()), 9)
    0.0
    """
    values, names, mu = _cov_and_mu(cov, expected_returns)
    n = len(names)
    o = _pf.RiskBudgetOptions()
    if budgets is not None:
        o.budgets = asset_vector(budgets, "budgets", n, names)
    if bounds is not None:
        lower, upper = bounds_of(bounds, n, names)
        o.lower = np.where(np.isfinite(lower), lower, 0.0)
        o.upper = np.where(np.isfinite(upper), upper, 1.0)
    o.groups = groups_of(groups, names)
    o.risk_free = as_float(risk_free, "risk_free")
    o.max_iterations = as_int(max_iterations, "max_iterations", minimum=1)
    o.tolerance = as_float(tolerance, "tolerance", minimum=0, strict_minimum=True)
    o.validate()
    return wrap(_pf.risk_budgeting(values, mu, o), names, "risk_parity")


class HierarchicalResult(PortfolioResult):
    """A hierarchical allocation (HRP or HERC): the portfolio and its dendrogram.

    ``linkage`` is scipy's linkage matrix (scipy.cluster.hierarchy.dendrogram draws it),
    ``order`` the assets left to right, ``clusters`` (HERC) the cluster of each asset.

    Attributes
    ----------
    weights, volatility, risk_contributions, ...
        As :class:`PortfolioResult`.
    linkage : numpy.ndarray
        scipy's linkage matrix.
    order : list
        The assets left to right.
    clusters : pandas.Series
        HERC: the cluster of each asset.
    n_clusters : int

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> h = bq.portfolio.hrp(bq.portfolio.covariance(r))
    >>> h.order[:3], h.linkage.shape
    (['EK', 'MO', 'DIS'], (29, 4))
    """

    def __init__(self, raw, names):
        super().__init__(raw.portfolio, names)
        self._tree = raw

    def __reduce__(self):
        return (HierarchicalResult, (self._tree, self._names))

    @property
    def linkage(self) -> np.ndarray:
        return np.asarray(self._tree.linkage)

    @property
    def order(self) -> list:
        return [self._names[i] for i in self._tree.order]

    @property
    def clusters(self) -> Optional[pd.Series]:
        c = np.asarray(self._tree.clusters)
        return pd.Series(c, index=self._names, name="cluster") if c.size else None

    @property
    def n_clusters(self) -> int:
        return int(self._tree.n_clusters)

    def plot_dendrogram(self, ax=None):
        """The dendrogram with the weights under the leaves.

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
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> import matplotlib.axes; isinstance(bq.portfolio.hrp(bq.portfolio.covariance(r)).plot_dendrogram(), matplotlib.axes.Axes)
        True
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from ._plots import plot_dendrogram

        return plot_dendrogram(self, ax=ax)


def _hierarchical(fn, cov, expected_returns, linkage, distance, n_clusters, risk_free, what):
    values, names, mu = _cov_and_mu(cov, expected_returns)
    o = options(_pf.HierarchicalOptions, linkage=as_choice(linkage, "linkage", LINKAGES),
                distance=as_choice(distance, "distance", DISTANCES),
                n_clusters=as_int(n_clusters, "n_clusters", minimum=0), risk_free=as_float(risk_free, "risk_free"))
    raw = fn(values, mu, o)
    warn_if_not_converged(raw.portfolio, what, stacklevel=4)
    return HierarchicalResult(raw, names)


def hrp(cov, *, linkage: str = _H["linkage"], distance: str = _H["distance"], expected_returns=None,
        risk_free: float = _H["risk_free"]) -> HierarchicalResult:
    """Hierarchical risk parity (Lopez de Prado 2016).

    ``distance`` and ``linkage`` are parameters because libraries differ silently: the paper's
    distance-of-distances with single linkage is the default; PyPortfolioOpt and Riskfolio-Lib
    cluster on sqrt((1 - rho) / 2) itself (``distance="correlation"``).

    Parameters
    ----------
    cov : DataFrame, 2-D array or FactorModel
        Annual covariance.
    linkage : {"single", "complete", "average", "ward"}, default "single"
        Of the hierarchical clustering.
    distance : {"distance_of_distances", "correlation", "absolute_correlation"}, default "distance_of_distances"
        What is clustered (see above).
    expected_returns : Series or array, optional
        For the reported expected return and Sharpe ratio.
    risk_free : float, default 0
        For the reported Sharpe ratio.

    Returns
    -------
    HierarchicalResult

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> h = bq.portfolio.hrp(bq.portfolio.covariance(r))
    >>> round(float(h.weights.sum()), 12), len(h.order)
    (1.0, 30)
    """
    return _hierarchical(_pf.hierarchical_risk_parity, cov, expected_returns, linkage, distance, 0, risk_free, "hrp")


def herc(cov, *, n_clusters: int = _H["n_clusters"], linkage: str = _H["linkage"], distance: str = _H["distance"],
         expected_returns=None, risk_free: float = _H["risk_free"]) -> HierarchicalResult:
    """Hierarchical equal risk contribution (Raffinot 2017); k by the two-difference gap statistic.

    Parameters
    ----------
    cov : DataFrame, 2-D array or FactorModel
        Annual covariance.
    n_clusters : int, default 0
        Clusters (0: chosen by the gap statistic).
    linkage : {"single", "complete", "average", "ward"}, default "single"
        Of the hierarchical clustering.
    distance : {"distance_of_distances", "correlation", "absolute_correlation"}, default "distance_of_distances"
        What is clustered (see above).
    expected_returns : Series or array, optional
        For the reported expected return and Sharpe ratio.
    risk_free : float, default 0
        For the reported Sharpe ratio.

    Returns
    -------
    HierarchicalResult

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> h = bq.portfolio.herc(bq.portfolio.covariance(r), n_clusters=4)
    >>> h.n_clusters, sorted(h.clusters.unique())
    (4, [0, 1, 2, 3])
    """
    return _hierarchical(_pf.hierarchical_equal_risk_contribution, cov, expected_returns, linkage, distance,
                         n_clusters, risk_free, "herc")


def inverse_volatility(cov, *, expected_returns=None, risk_free: float = 0.0) -> PortfolioResult:
    """Weights in proportion to 1 / volatility (naive risk parity).

    Parameters
    ----------
    cov : DataFrame, 2-D array or FactorModel
        Annual covariance.
    expected_returns : Series or array, optional
        For the reported expected return and Sharpe ratio.
    risk_free : float, default 0
        For the reported Sharpe ratio.

    Returns
    -------
    PortfolioResult

    Examples
    --------
    >>> import numpy as np, bankquant as bq
    >>> w = bq.portfolio.inverse_volatility(np.diag([0.04, 0.01])).weights
    >>> [round(float(v), 4) for v in w]
    [0.3333, 0.6667]
    """
    values, names, mu = _cov_and_mu(cov, expected_returns)
    w = np.asarray(_pf.inverse_volatility(values))
    return PortfolioResult(_pf.evaluate_portfolio(w, mu, values, as_float(risk_free, "risk_free"),
                                                  "inverse_volatility"), names)


def equal_weight(cov, *, expected_returns=None, risk_free: float = 0.0) -> PortfolioResult:
    """1/n in each asset of the covariance (DeMiguel, Garlappi and Uppal 2009's benchmark).

    Parameters
    ----------
    cov : DataFrame or 2-D array
        Annual covariance (for the reported volatility; its labels name the assets).
    expected_returns : Series or array, optional
        For the reported expected return and Sharpe ratio.
    risk_free : float, default 0
        For the reported Sharpe ratio.

    Returns
    -------
    PortfolioResult

    Examples
    --------
    >>> import numpy as np, bankquant as bq
    >>> bq.portfolio.equal_weight(np.eye(4) * 0.04).weights.tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    values, names, mu = _cov_and_mu(cov, expected_returns)
    w = np.asarray(_pf.equal_weight(values.shape[0]))
    return PortfolioResult(_pf.evaluate_portfolio(w, mu, values, as_float(risk_free, "risk_free"), "equal_weight"),
                           names)


class CvarResult(PortfolioResult):
    """A minimum-CVaR allocation: ``cvar`` and ``var`` (positive losses per scenario period).

    Attributes
    ----------
    cvar, var : float
        Positive losses per scenario period.
    weights, expected_return, volatility, ...
        As :class:`PortfolioResult`.

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> c = bq.portfolio.min_cvar(r, level=0.95, bounds=(0, 0.2))
    >>> round(c.cvar, 5), round(c.var, 5)
    (0.01825, 0.01293)
    >>> round(bq.risk.expected_shortfall((r @ c.weights).to_numpy(), 0.95), 5)    # the same CVaR
    0.01825
    """

    def __init__(self, raw, names):
        super().__init__(raw.portfolio, names)
        self._cvar = raw

    def __reduce__(self):
        return (CvarResult, (self._cvar, self._names))

    @property
    def cvar(self) -> float:
        return float(self._cvar.cvar)

    @property
    def var(self) -> float:
        return float(self._cvar.var)


def min_cvar(returns, *, level: float = _CV["level"], bounds=(0.0, 1.0), budget: float = _CV["budget"],
             groups=None, target_return: Optional[float] = None, periods_per_year: float = _CV["periods_per_year"],
             risk_free: float = _CV["risk_free"]) -> CvarResult:
    """Minimum conditional value at risk on return scenarios (Rockafellar and Uryasev 2000), an LP (Clp).

    Each row of ``returns`` is an equally likely scenario (historical days, or simulated).
    ``target_return`` is a minimum mean scenario return, per period. The CVaR equals
    ``bq.risk.expected_shortfall`` of the portfolio's scenario returns.

    Parameters
    ----------
    returns : DataFrame or 2-D array
        Scenarios × assets, complete (no NaN).
    level : float, default 0.95
    bounds : (lower, upper), default (0, 1)
    budget : float, default 1
    groups : dict, optional
    target_return : float, optional
        Minimum mean scenario return, per period.
    periods_per_year : float, default 252
        For the reported annual figures.
    risk_free : float, default 0

    Returns
    -------
    CvarResult

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> c = bq.portfolio.min_cvar(r, level=0.95, bounds=(0, 0.2))
    >>> bool(0 < c.cvar < 0.02), round(float(c.weights.sum()), 9)
    (True, 1.0)
    """
    values, names, _ = returns_matrix(returns)
    if np.isnan(values).any():
        fail("returns", "expected complete scenarios (no NaN); drop or fill the missing rows first")
    if values.shape[0] < 2:
        fail("returns", f"expected at least 2 scenarios (rows), got {values.shape[0]}")
    n = values.shape[1]
    lower, upper = bounds_of(bounds, n, names)
    o = _pf.CvarOptions()
    o.level = as_float(level, "level", minimum=0, maximum=1, strict_minimum=True, strict_maximum=True)
    o.lower, o.upper = lower, upper
    o.budget = as_float(budget, "budget", allow_nan=True)
    o.groups = groups_of(groups, names)
    if target_return is not None:
        o.target_return = as_float(target_return, "target_return")
    o.periods_per_year = as_float(periods_per_year, "periods_per_year")
    o.risk_free = as_float(risk_free, "risk_free")
    o.validate()
    raw = _pf.min_cvar(values, o)
    warn_if_not_converged(raw.portfolio, "min_cvar")
    return CvarResult(raw, names)


def solve_qp(hessian, linear=None, *, A_eq=None, b_eq=None, A=None, lower_rows=None, upper_rows=None, bounds=None,
             method: str = "auto", start=None, factor=None, **solver_fields):
    """The QP solver itself: min 1/2 x'Hx + c'x s.t. A_eq x = b_eq, lower_rows <= A x <= upper_rows, bounds.

    ``hessian`` is dense (n x n) or None with ``factor=(B, F, D)`` for H = B F B' + diag(D).
    Returns the C++ ``QpResult`` (x, objective, multipliers, binding sets, KKT residuals, status);
    an infeasible problem has ``status.code == 'infeasible'`` and a message naming the conflict.

    Parameters
    ----------
    hessian : 2-D array-like or None
        H (n x n, symmetric positive semi-definite), or None with ``factor``.
    linear : 1-D array-like, optional
        c (default 0).
    A_eq, b_eq : array-like, optional
        Equality constraints.
    A, lower_rows, upper_rows : array-like, optional
        Two-sided inequality constraints on the rows of A (None or inf for an open side).
    bounds : (lower, upper) or per-variable sequences, optional
    method : {"auto", "active_set", "interior_point"}, default "auto"
    start : 1-D array-like, optional
        A warm start.
    factor : (B, F, D), optional
        H = B F B' + diag(D), kept in factor form.
    **solver_fields
        Fields of the C++ ``QpOptions`` (tolerances, iteration limits).

    Returns
    -------
    bankquant._core.portfolio.QpResult

    Examples
    --------
    >>> import numpy as np, bankquant as bq
    >>> r = bq.portfolio.solve_qp(np.eye(2), [-1.0, -1.0], A_eq=[[1.0, 1.0]], b_eq=[1.0], bounds=(0, None))
    >>> np.round(r.x, 6).tolist(), r.status.code
    ([0.5, 0.5], 'converged')
    """
    if factor is not None:
        if hessian is not None:
            fail("factor", "give the Hessian dense or in factor form, not both")
        if not isinstance(factor, (tuple, list)) or len(factor) != 3:
            fail("factor", "expected (loadings, factor_covariance, specific)")
        B = as_float_matrix(factor[0], "factor")
        F = as_float_matrix(factor[1], "factor", square=True)
        D = as_float_vector(factor[2], "factor")
        H = np.zeros((0, 0))
        n = B.shape[0]
    else:
        H = as_float_matrix(hessian, "hessian", square=True)
        B, F, D = np.zeros((0, 0)), np.zeros((0, 0)), np.zeros(0)
        n = H.shape[0]
    c = np.zeros(n) if linear is None else as_float_vector(linear, "linear")
    Ae = np.zeros((0, n)) if A_eq is None else as_float_matrix(np.atleast_2d(A_eq), "A_eq")
    be = np.zeros(0) if b_eq is None else as_float_vector(np.atleast_1d(b_eq), "b_eq")
    Ai = np.zeros((0, n)) if A is None else as_float_matrix(np.atleast_2d(A), "A")
    m = Ai.shape[0]
    lo = np.full(m, -INF) if lower_rows is None else as_float_vector(np.atleast_1d(lower_rows), "lower_rows", finite=False)
    hi = np.full(m, INF) if upper_rows is None else as_float_vector(np.atleast_1d(upper_rows), "upper_rows", finite=False)
    lower, upper = bounds_of(bounds, n, list(range(n)))
    o = solver_options(solver_fields or None)
    o.method = as_choice(method, "method", ("auto", "active_set", "interior_point"))
    x0 = np.zeros(0) if start is None else as_float_vector(start, "start")
    return _pf.solve_qp(H, B, F, D, c, Ae, be, Ai, lo, hi, lower, upper, [], [], [], o, x0)
