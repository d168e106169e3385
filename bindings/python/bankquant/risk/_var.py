"""VaR and expected shortfall by every method, one entry point.

VaR and ES are positive losses. ES is the mean loss beyond VaR (Acerbi–Tasche), the same
definition for every method; levels are confidence levels in (0.5, 1). The methods, their
defaults and what they estimate are described once, in ``bankquant/risk/var.hpp``.
"""
from __future__ import annotations

from typing import Optional, Union

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_bool, as_choice, as_float, as_float_array, as_float_matrix, as_float_vector, as_int, as_seed, fail
from ._common import aligned_by_label, estimates_frame, levels_of, pick, time_ordered
from ._volatility import VolatilityFit, VolatilityModel

_risk = _core.risk

#: The methods of var_es (the names of the C++ VarMethod table).
METHODS = ("historical", "age_weighted", "filtered_ewma", "filtered_garch", "normal", "t", "cornish_fisher", "fhs",
           "garch", "ewma_normal")
_ORDERED = ("age_weighted", "filtered_ewma", "filtered_garch", "fhs", "garch", "ewma_normal")  # read x as a time series
_MODELLED = ("filtered_garch", "fhs", "garch")  # methods that fit a volatility model


def var_es(x, level=0.99, method: str = "historical", horizon: int = 1, lambda_: Optional[float] = None,
           nu: Optional[float] = None, dist: Optional[str] = None, model=None) -> pd.DataFrame:
    """VaR and ES of P&L or returns ``x`` at one or several levels, as a DataFrame indexed by level.

    Unconditional methods: ``historical``; ``age_weighted`` (``lambda_``, default 0.98);
    ``normal``; ``t`` (degrees of freedom ``nu``, from the sample kurtosis when not given);
    ``cornish_fisher``. Conditional methods, on tomorrow's volatility: ``garch`` (the fitted
    model's own distribution: GARCH-normal, GARCH-t, skewed t, GED), ``fhs`` (filtered historical
    simulation: past standardised residuals rescaled to tomorrow's volatility) and
    ``filtered_garch`` (fhs with GARCH(1,1)), each with ``model`` (a ``VolatilityModel``, default
    GARCH(1,1)) or just its ``dist``; ``ewma_normal`` and ``filtered_ewma`` (RiskMetrics EWMA,
    ``lambda_`` default 0.94). ``x`` may also be a fitted model (``VolatilityFit``): then
    ``method`` is "garch" (parametric, the default for a fit) or "fhs".
    An argument the method does not use is an error. ``horizon`` > 1 scales one-day figures by
    sqrt(horizon). ``attrs`` holds what the method estimated (``nu``, ``lambda_``,
    ``volatility_forecast``, sample moments).

    Parameters
    ----------
    x : 1-D array-like, Series or VolatilityFit
        P&L or returns (gains positive, losses negative); a Series for the time-series methods must
        have an increasing index.
    level : float or list of float, default 0.99
        Confidence levels in (0.5, 1): 0.99, not 0.01.
    method : str, default "historical"
        One of ``METHODS``.
    horizon : int, default 1
        Days; the one-day figures are scaled by sqrt(horizon).
    lambda_ : float, optional
        Decay of ``age_weighted`` (0.98), ``filtered_ewma`` and ``ewma_normal`` (0.94).
    nu : float, optional
        Degrees of freedom of ``t`` (> 2).
    dist : str, optional
        Innovations of the GARCH methods' model.
    model : VolatilityModel, optional
        The model of the conditional methods (default GARCH(1,1)).

    Returns
    -------
    pandas.DataFrame
        Index ``level``, columns ``var`` and ``es`` (positive losses).

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> x = np.linspace(-0.05, 0.05, 1001)
    >>> bq.risk.var_es(x, [0.95, 0.99], method="normal").round(4)
              var      es
    level
    0.95   0.0476  0.0596
    0.99   0.0673  0.0771
    """
    method = as_choice(method, "method", METHODS)
    _, levels = levels_of(level)
    horizon = as_int(horizon, "horizon", minimum=1)
    if isinstance(x, VolatilityFit):
        method = as_choice(method if method != "historical" else "garch", "method", ("garch", "fhs"))
        for name, value in (("lambda_", lambda_), ("nu", nu), ("dist", dist), ("model", model)):
            if value is not None:
                fail(name, "not used with a fitted model (it has its own)")
        table = estimates_frame(_risk.conditional_var_es(x.raw, levels, "parametric" if method == "garch" else "fhs"))
        return table * np.sqrt(horizon)
    if method in _ORDERED:
        time_ordered(x, "x")
    xs = as_float_vector(x, "x")
    for name, value in (("dist", dist), ("model", model)):
        if value is not None and method not in _MODELLED:
            fail(name, f"not used by method {method!r} (only by {', '.join(map(repr, _MODELLED))})")
    if model is not None and not isinstance(model, VolatilityModel):
        fail("model", f"expected a bankquant.risk.VolatilityModel, got {type(model).__name__}")
    options = _risk.VarEsOptions(method=method, horizon=horizon)
    if lambda_ is not None:
        options.lambda_ = as_float(lambda_, "lambda_")
    if nu is not None:
        options.nu = as_float(nu, "nu")
    if model is not None or dist is not None:
        volatility = model.options() if model is not None else _risk.VolatilityOptions()
        if dist is not None:
            volatility.dist = dist
        options.volatility = volatility
    result = _risk.var_es(xs, levels, options)
    table = estimates_frame(result.estimates)
    table.attrs.update({k: v for k, v in result.to_dict().items() if k not in ("estimates", "volatility")})
    return table


def var_es_many(pnl, level=0.99) -> pd.DataFrame:
    """Historical VaR and ES of many portfolios at once: ``pnl`` is days x portfolios (a DataFrame's
    columns name the portfolios). Returns one row per portfolio with var and es columns (a column
    MultiIndex by level when several levels are given). Parallel over portfolios.

    Parameters
    ----------
    pnl : DataFrame or 2-D array-like
        Days × portfolios, at least 2 days.
    level : float or list of float, default 0.99

    Returns
    -------
    pandas.DataFrame
        Index ``portfolio``; columns ``var`` and ``es``, or a (level, measure) MultiIndex for
        several levels.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> pnl = np.column_stack([-np.arange(1.0, 101.0), -2 * np.arange(1.0, 101.0)])
    >>> bq.risk.var_es_many(pnl, 0.99)
                var     es
    portfolio
    0         99.01  100.0
    1        198.02  200.0
    """
    scalar, levels = levels_of(level)
    arr = as_float_array(pnl, "pnl")  # non-finite values are found (and named by day) in C++'s one pass
    if arr.ndim != 2:
        fail("pnl", f"expected a 2-D array (days x portfolios), got shape {arr.shape}")
    if arr.shape[0] < 2 or arr.shape[1] < 1:
        fail("pnl", f"expected at least 2 days and 1 portfolio, got shape {arr.shape}")
    arr = np.ascontiguousarray(arr)
    out = _risk.historical_var_es_many(arr, levels)
    names = list(pnl.columns) if isinstance(pnl, pd.DataFrame) else list(range(arr.shape[1]))
    index = pd.Index(names, name="portfolio")
    var, es = np.asarray(out.var), np.asarray(out.es)
    if scalar:
        return pd.DataFrame({"var": var[:, 0], "es": es[:, 0]}, index=index)
    cols = pd.MultiIndex.from_product([levels, ["var", "es"]], names=["level", "measure"])
    return pd.DataFrame(np.stack([var, es], axis=2).reshape(arr.shape[1], -1), index=index, columns=cols)


def var(x, level=0.99, method: str = "historical", horizon: int = 1, **kwargs) -> Union[float, pd.Series]:
    """Value at risk (a positive loss): a float for one level, a Series for several. See var_es.

    Parameters
    ----------
    x : 1-D array-like, Series or VolatilityFit
        P&L or returns (gains positive), oldest first for the time-series methods.
    level : float or list of float, default 0.99
        Confidence levels in (0.5, 1).
    method : str, default "historical"
        One of ``METHODS`` (see :func:`var_es`).
    horizon : int, default 1
        Days; one-day figures are scaled by sqrt(horizon).
    **kwargs
        The method's arguments (``lambda_``, ``nu``, ``dist``, ``model``), as :func:`var_es`.

    Returns
    -------
    float for one level, a Series indexed by level for several.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.risk.var([-i for i in range(1, 101)], 0.99)
    99.01
    >>> bq.risk.var([-i for i in range(1, 101)], [0.99, 0.95]).to_dict()
    {0.99: 99.01, 0.95: 95.05}
    """
    scalar, _ = levels_of(level)
    return pick(var_es(x, level, method, horizon, **kwargs), "var", scalar)


def expected_shortfall(x, level=0.99, method: str = "historical", horizon: int = 1, **kwargs) -> Union[float, pd.Series]:
    """Expected shortfall, the mean loss beyond VaR: a float for one level, a Series for several.

    Parameters
    ----------
    x : 1-D array-like, Series or VolatilityFit
        P&L or returns (gains positive), oldest first for the time-series methods.
    level : float or list of float, default 0.99
        Confidence levels in (0.5, 1).
    method : str, default "historical"
        One of ``METHODS`` (see :func:`var_es`).
    horizon : int, default 1
        Days; one-day figures are scaled by sqrt(horizon).
    **kwargs
        The method's arguments (``lambda_``, ``nu``, ``dist``, ``model``), as :func:`var_es`.

    Returns
    -------
    float for one level, a Series indexed by level for several.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.risk.expected_shortfall([-i for i in range(1, 101)], 0.99)    # the mean of the worst 1 %
    100.0
    """
    scalar, _ = levels_of(level)
    return pick(var_es(x, level, method, horizon, **kwargs), "es", scalar)


class MonteCarloResult:
    """Monte Carlo VaR/ES: a view of the C++ ``MonteCarloResult`` (``raw``).

    ``var`` and ``es`` are floats for one level asked as a scalar, else Series by level; ``pnl``
    the simulated P&L (when asked for with ``return_pnl=True``); ``repaired`` and
    ``repair_distance`` say whether the covariance was replaced by its nearest PSD matrix.

    Returned by :func:`monte_carlo_var_es`; the constructor is internal.

    Attributes
    ----------
    var, es : float or pandas.Series
        Floats for one level asked as a scalar, else Series by level.
    pnl : numpy.ndarray or None
        The simulated P&L (with ``return_pnl=True``).
    repaired : bool
    repair_distance : float
        Whether, and how far, the covariance was replaced by its nearest PSD matrix.
    raw
        The C++ ``MonteCarloResult``.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = bq.risk.monte_carlo_var_es([0.6, 0.4], np.diag([0.0004, 0.0009]), level=[0.99, 0.975], n_scenarios=100_000)
    >>> r.var.round(4)
    level
    0.990    0.0394
    0.975    0.0335
    Name: var, dtype: float64
    >>> r.repaired
    False
    """

    def __init__(self, raw, scalar: bool, keep_pnl: bool):
        self.raw, self._scalar, self._keep_pnl = raw, scalar, keep_pnl
        self.table = estimates_frame(raw.estimates)

    var = property(lambda self: pick(self.table, "var", self._scalar))
    es = property(lambda self: pick(self.table, "es", self._scalar))
    pnl = property(lambda self: np.asarray(self.raw.pnl) if self._keep_pnl else None)
    repaired = property(lambda self: bool(self.raw.repaired))
    repair_distance = property(lambda self: float(self.raw.repair_distance))

    def __repr__(self) -> str:
        return f"MonteCarloResult(var={self.var!r}, es={self.es!r}, repaired={self.repaired})"


def monte_carlo_var_es(weights, cov, level=0.99, n_scenarios: int = 1_000_000, dist: str = "normal", seed: int = 0,
                       nu: float = 5.0, antithetic: bool = False, psd_repair: str = "error",
                       return_pnl: bool = False, full_factor: bool = False, tile: int = 256) -> MonteCarloResult:
    """Monte Carlo VaR/ES of the linear portfolio w'r, r ~ N(0, cov) or multivariate t(nu) with that covariance.

    Reproducible: the same seed gives the same scenarios on any thread count. ``full_factor=True``
    materialises the factor scenarios in tiles of ``tile`` (normals, one matrix product with the
    covariance root, P&L) instead of the linear shortcut; memory stays at a tile per thread.
    ``psd_repair="nearest"`` replaces a covariance that is not positive semi-definite by the
    nearest one (else an error). See ``bankquant/risk/monte_carlo.hpp``.

    Parameters
    ----------
    weights : 1-D array-like or Series
        Positions (in currency for a P&L in currency).
    cov : 2-D array-like or DataFrame
        Covariance of the returns over the horizon.
    level : float or list of float, default 0.99
    n_scenarios : int, default 1,000,000
    dist : {"normal", "t"}, default "normal"
    seed : int, default 0
    nu : float, default 5
        Degrees of freedom of the multivariate t.
    antithetic : bool, default False
        Pair every scenario with its negative.
    psd_repair : {"error", "nearest"}, default "error"
    return_pnl : bool, default False
        Keep the simulated P&L in the result.
    full_factor : bool, default False
    tile : int, default 256
        Scenarios per tile with ``full_factor``.

    Returns
    -------
    MonteCarloResult

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = bq.risk.monte_carlo_var_es([0.6, 0.4], np.diag([0.0004, 0.0009]), level=0.99, n_scenarios=200_000)
    >>> sd = np.sqrt(0.6**2 * 0.0004 + 0.4**2 * 0.0009)     # the closed form: VaR = 2.326 sd
    >>> bool(abs(r.var - 2.326 * sd) < 0.001)
    True
    """
    weights, cov = aligned_by_label(weights, cov)
    w = as_float_vector(weights, "weights")
    c = as_float_matrix(cov, "cov", square=True)
    scalar, levels = levels_of(level)
    options = _risk.MonteCarloOptions(n_scenarios=as_int(n_scenarios, "n_scenarios", minimum=100), dist=dist,
                                      nu=as_float(nu, "nu"), seed=as_seed(seed), antithetic=as_bool(antithetic, "antithetic"),
                                      psd_repair=psd_repair, full_factor=as_bool(full_factor, "full_factor"),
                                      tile=as_int(tile, "tile", minimum=1))
    raw = _risk.monte_carlo_var_es(w, c, levels, options)
    return MonteCarloResult(raw, scalar, as_bool(return_pnl, "return_pnl"))


def nearest_psd(matrix) -> np.ndarray:
    """The nearest positive semi-definite matrix in the Frobenius norm (negative eigenvalues clipped).

    Parameters
    ----------
    matrix : 2-D array-like
        Symmetric.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.risk.nearest_psd([[1.0, 2.0], [2.0, 1.0]]).round(3).tolist()
    [[1.5, 1.5], [1.5, 1.5]]
    """
    return np.asarray(_risk.nearest_psd(as_float_matrix(matrix, "matrix", square=True)))


def delta_gamma_var_es(delta, gamma, cov, level=0.99, method: str = "cornish_fisher", n_scenarios: int = 1_000_000,
                       seed: int = 0) -> pd.DataFrame:
    """VaR/ES of a book approximated to second order in its risk factors:
    dV = delta'dx + 1/2 dx' gamma dx with dx ~ N(0, cov) (one-day factor moves in the units of
    delta and gamma, e.g. price changes).

    ``method``: "normal" (the first two cumulants), "cornish_fisher" (four cumulants of the
    quadratic form), "monte_carlo" (the diagonalised form, O(d) per scenario, reproducible) or
    "importance_sampling" (exponential twisting towards the Cornish–Fisher VaR of the deepest
    level; for 99.9% and beyond). ``attrs`` holds the moments of dV. See
    ``bankquant/risk/delta_gamma.hpp``.

    Parameters
    ----------
    delta : 1-D array-like
        First derivatives of the book's value by factor.
    gamma : 2-D array-like
        Second derivatives (symmetric).
    cov : 2-D array-like
        Covariance of the one-day factor moves, in the units of delta and gamma.
    level : float or list of float, default 0.99
    method : {"normal", "cornish_fisher", "monte_carlo", "importance_sampling"}, default "cornish_fisher"
    n_scenarios : int, default 1,000,000
        For the simulation methods.
    seed : int, default 0

    Returns
    -------
    pandas.DataFrame
        Index ``level``, columns ``var`` and ``es``; ``attrs`` hold the moments of dV.

    Examples
    --------
    >>> import bankquant as bq
    >>> # a short straddle-like book: delta 0, negative gamma, one factor with sd 2
    >>> t = bq.risk.delta_gamma_var_es([0.0], [[-1.0]], [[4.0]], 0.99, method="monte_carlo", n_scenarios=200_000)
    >>> round(float(t["var"].iloc[0]), 1)   # -1/2 * 4 * chi2_1(0.99) = -13.3: a loss of 13.3
    13.3
    """
    if isinstance(delta, pd.Series) and isinstance(gamma, pd.DataFrame) and isinstance(cov, pd.DataFrame):
        delta, cov = aligned_by_label(delta, cov, "delta")
        gamma = gamma.loc[cov.columns, cov.columns] if set(gamma.columns) == set(cov.columns) else gamma
    elif isinstance(delta, pd.Series) and isinstance(cov, pd.DataFrame):
        delta, cov = aligned_by_label(delta, cov, "delta")
    d = as_float_vector(np.atleast_1d(as_float_array(delta, "delta")), "delta")
    G = as_float_matrix(np.atleast_2d(as_float_array(gamma, "gamma")), "gamma", square=True)
    C = as_float_matrix(np.atleast_2d(as_float_array(cov, "cov")), "cov", square=True)
    _, levels = levels_of(level)
    options = _risk.DeltaGammaOptions(method=method, n_scenarios=as_int(n_scenarios, "n_scenarios", minimum=1),
                                      seed=as_seed(seed))
    result = _risk.delta_gamma_var_es(d, G, C, levels, options)
    table = estimates_frame(result.estimates)
    table.attrs.update({k: v for k, v in result.to_dict().items() if k != "estimates"})
    return table

