"""VaR and expected shortfall by every method, one entry point.

VaR and ES are positive losses. ES is the mean loss beyond VaR (Acerbi–Tasche), the same
definition for every method; see ``bankquant/risk/var.hpp``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_vector
from ..exceptions import InvalidArgumentError

_risk = _core.risk

METHODS = ("historical", "age_weighted", "filtered_ewma", "filtered_garch", "normal", "t", "cornish_fisher")


def _levels(level):
    scalar = np.ndim(level) == 0
    levels = np.atleast_1d(np.asarray(level, dtype=np.float64))
    return scalar, levels


def var_es(x, level=0.99, method: str = "historical", horizon: int = 1, lambda_: Optional[float] = None,
           nu: Optional[float] = None) -> pd.DataFrame:
    """VaR and ES of P&L or returns ``x`` at one or several levels, as a DataFrame indexed by level.

    Methods: ``historical``; ``age_weighted`` (``lambda_``, default 0.98); ``filtered_ewma`` and
    ``filtered_garch`` (filtered historical simulation: past returns rescaled to today's EWMA or
    GARCH(1,1) volatility; ``lambda_`` for EWMA, default 0.94); ``normal``; ``t`` (degrees of
    freedom ``nu``, estimated from the sample kurtosis when not given); ``cornish_fisher``.
    ``horizon`` > 1 scales one-day figures by sqrt(horizon) (square-root of time; exact for i.i.d.
    normal P&L with zero mean, an approximation otherwise).

    >>> import bankquant as bq, numpy as np
    >>> x = np.linspace(-0.05, 0.05, 1001)
    >>> bq.risk.var_es(x, [0.95, 0.99], method="normal").round(4)
              var      es
    level
    0.95   0.0476  0.0596
    0.99   0.0673  0.0771
    """
    if method not in METHODS:
        raise InvalidArgumentError(f"argument 'method': expected one of {', '.join(METHODS)}, got {method!r}")
    if not isinstance(horizon, (int, np.integer)) or isinstance(horizon, bool) or horizon < 1:
        raise InvalidArgumentError(f"argument 'horizon': expected a positive integer, got {horizon!r}")
    xs = as_float_vector(x, "x")
    _, levels = _levels(level)
    if xs.size < 2:
        raise InvalidArgumentError(f"argument 'x': expected at least 2 observations, got {xs.size}")
    if method == "historical":
        rows = _risk.historical_var_es(xs, levels)
    elif method == "age_weighted":
        rows = _risk.age_weighted_var_es(xs, levels, 0.98 if lambda_ is None else float(lambda_))
    elif method in ("filtered_ewma", "filtered_garch"):
        if method == "filtered_ewma":
            v = _risk.ewma_variance(xs, 0.94 if lambda_ is None else float(lambda_))
            variance, forecast = v[:-1], v[-1]
        else:
            from ._volatility import Garch11

            g = Garch11().fit(xs)
            variance, forecast = g.conditional_volatility.to_numpy() ** 2, g.next_variance
        rows = _risk.historical_var_es(_risk.filtered_returns(xs, variance, forecast), levels)
    else:
        mean, sd = float(xs.mean()), float(xs.std(ddof=1))
        if method == "normal":
            rows = _risk.normal_var_es(mean, sd, levels)
        elif method == "t":
            if nu is None:
                excess = float(((xs - mean) ** 4).mean() / xs.var() ** 2 - 3)
                nu = 4 + 6 / excess if excess > 0.06 else 100.0  # kurtosis of t_nu is 6 / (nu - 4)
            if not nu > 2:
                raise InvalidArgumentError(f"argument 'nu': expected a value > 2, got {nu}")
            rows = _risk.student_t_var_es(mean, sd * math.sqrt((nu - 2) / nu), float(nu), levels)
        else:
            c = xs - mean
            skew = float((c ** 3).mean() / c.var() ** 1.5)
            kurt = float((c ** 4).mean() / c.var() ** 2 - 3)
            rows = _risk.cornish_fisher_var_es(mean, sd, skew, kurt, levels)
    scale = math.sqrt(horizon)
    df = pd.DataFrame([(lv, v * scale, e * scale) for lv, v, e in rows], columns=["level", "var", "es"])
    return df.set_index("level")


def var_es_many(pnl, level=0.99) -> pd.DataFrame:
    """Historical VaR and ES of many portfolios at once: ``pnl`` is days x portfolios (a DataFrame's
    columns name the portfolios). Returns one row per portfolio with var and es columns (a column
    MultiIndex by level when several levels are given). Parallel over portfolios.

    >>> import bankquant as bq, numpy as np
    >>> pnl = np.column_stack([-np.arange(1.0, 101.0), -2 * np.arange(1.0, 101.0)])
    >>> bq.risk.var_es_many(pnl, 0.99)
                var     es
    portfolio
    0         99.01  100.0
    1        198.02  200.0
    """
    scalar, levels = _levels(level)
    arr = np.asarray(pnl, dtype=np.float64)
    if arr.ndim != 2:
        raise InvalidArgumentError(f"argument 'pnl': expected a 2-D array (days x portfolios), got shape {arr.shape}")
    out = _risk.historical_var_es_many(np.ascontiguousarray(arr), levels)
    names = list(pnl.columns) if isinstance(pnl, pd.DataFrame) else list(range(arr.shape[1]))
    index = pd.Index(names, name="portfolio")
    if scalar:
        return pd.DataFrame({"var": out[:, 0, 0], "es": out[:, 0, 1]}, index=index)
    cols = pd.MultiIndex.from_product([levels, ["var", "es"]], names=["level", "measure"])
    return pd.DataFrame(out.reshape(arr.shape[1], -1), index=index, columns=cols)


def var(x, level=0.99, method: str = "historical", horizon: int = 1, **kwargs) -> Union[float, pd.Series]:
    """Value at risk (a positive loss): a float for one level, a Series for several. See var_es.

    >>> import bankquant as bq
    >>> bq.risk.var([-i for i in range(1, 101)], 0.99)
    99.01
    """
    scalar, _ = _levels(level)
    table = var_es(x, level, method, horizon, **kwargs)
    return float(table["var"].iloc[0]) if scalar else table["var"]


def expected_shortfall(x, level=0.99, method: str = "historical", horizon: int = 1, **kwargs) -> Union[float, pd.Series]:
    """Expected shortfall, the mean loss beyond VaR: a float for one level, a Series for several."""
    scalar, _ = _levels(level)
    table = var_es(x, level, method, horizon, **kwargs)
    return float(table["es"].iloc[0]) if scalar else table["es"]


@dataclass
class MonteCarloResult:
    var: Union[float, pd.Series]
    es: Union[float, pd.Series]
    pnl: Optional[np.ndarray]
    repaired: bool
    repair_distance: float


def monte_carlo_var_es(weights, cov, level=0.99, n_scenarios: int = 1_000_000, dist: str = "normal", seed: int = 0,
                       nu: float = 5.0, antithetic: bool = False, psd_repair: str = "error",
                       return_pnl: bool = False, full_factor: bool = False, tile: int = 256) -> MonteCarloResult:
    """Monte Carlo VaR/ES of the linear portfolio w'r, r ~ N(0, cov) or multivariate t(nu) with that covariance.

    Reproducible: the same seed gives the same scenarios on any thread count. ``full_factor=True``
    materialises the factor scenarios in tiles of ``tile`` (normals, one matrix product with the
    covariance root, P&L) instead of the linear shortcut; memory stays at a tile per thread. ``psd_repair="nearest"``
    replaces a covariance that is not positive semi-definite by the nearest one (else an error).

    >>> import bankquant as bq, numpy as np
    >>> r = bq.risk.monte_carlo_var_es([0.6, 0.4], np.diag([0.0004, 0.0009]), level=0.99, n_scenarios=200_000)
    >>> sd = np.sqrt(0.6**2 * 0.0004 + 0.4**2 * 0.0009)     # the closed form: VaR = 2.326 sd
    >>> bool(abs(r.var - 2.326 * sd) < 0.001)
    True
    """
    w = np.ascontiguousarray(np.asarray(weights, dtype=np.float64))
    c = np.ascontiguousarray(np.asarray(cov, dtype=np.float64))
    if w.ndim != 1:
        raise InvalidArgumentError(f"argument 'weights': expected a 1-D array, got shape {w.shape}")
    if c.ndim != 2:
        raise InvalidArgumentError(f"argument 'cov': expected a 2-D matrix, got shape {c.shape}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InvalidArgumentError(f"argument 'seed': expected a non-negative integer, got {seed!r}")
    scalar, levels = _levels(level)
    r = _risk.monte_carlo_var_es(w, c, levels, int(n_scenarios), dist, float(nu), int(seed), bool(antithetic),
                                 psd_repair, bool(return_pnl), bool(full_factor), int(tile))
    table = pd.DataFrame(r["estimates"], columns=["level", "var", "es"]).set_index("level")
    pick = (lambda col: float(table[col].iloc[0])) if scalar else (lambda col: table[col])
    return MonteCarloResult(var=pick("var"), es=pick("es"), pnl=r["pnl"], repaired=r["repaired"],
                            repair_distance=r["repair_distance"])


def nearest_psd(matrix) -> np.ndarray:
    """The nearest positive semi-definite matrix in the Frobenius norm (negative eigenvalues clipped)."""
    return _risk.nearest_psd(np.asarray(matrix, dtype=np.float64))


def delta_gamma_var_es(delta, gamma, cov, level=0.99, method: str = "cornish_fisher", n_scenarios: int = 1_000_000,
                       seed: int = 0) -> pd.DataFrame:
    """VaR/ES of a book approximated to second order in its risk factors:
    dV = delta'dx + 1/2 dx' gamma dx with dx ~ N(0, cov) (one-day factor moves in the units of
    delta and gamma, e.g. price changes).

    ``method``: "normal" (the first two cumulants), "cornish_fisher" (four cumulants of the
    quadratic form), "monte_carlo" (the diagonalised form, O(d) per scenario, reproducible) or
    "importance_sampling" (exponential twisting towards the Cornish–Fisher VaR of the deepest
    level; for 99.9% and beyond).
    See ``bankquant/risk/delta_gamma.hpp``.

    >>> import bankquant as bq
    >>> # a short straddle-like book: delta 0, negative gamma, one factor with sd 2
    >>> t = bq.risk.delta_gamma_var_es([0.0], [[-1.0]], [[4.0]], 0.99, method="monte_carlo", n_scenarios=200_000)
    >>> round(float(t["var"].iloc[0]), 1)   # -1/2 * 4 * chi2_1(0.99) = -13.3: a loss of 13.3
    13.3
    """
    if method not in ("normal", "cornish_fisher", "monte_carlo", "importance_sampling"):
        raise InvalidArgumentError(f"argument 'method': expected 'normal', 'cornish_fisher', 'monte_carlo' or "
                                   f"'importance_sampling', got {method!r}")
    d = np.ascontiguousarray(np.atleast_1d(np.asarray(delta, dtype=np.float64)))
    G = np.ascontiguousarray(np.atleast_2d(np.asarray(gamma, dtype=np.float64)))
    C = np.ascontiguousarray(np.atleast_2d(np.asarray(cov, dtype=np.float64)))
    _, levels = _levels(level)
    r = _risk.delta_gamma(d, G, C, levels, int(n_scenarios) if method == "monte_carlo" else 0, int(seed))
    k1, k2, k3, k4 = r["kappa"]
    if method == "monte_carlo":
        rows = r["monte_carlo"]
    elif method == "importance_sampling":
        if k2 <= 0:
            raise InvalidArgumentError("the book has no risk under 'cov' (zero variance)")
        guess = _risk.cornish_fisher_var_es(k1, math.sqrt(k2), k3 / k2 ** 1.5, k4 / k2 ** 2, [float(levels.max())])[0][1]
        rows = _risk.delta_gamma_importance_sampling(d, G, C, levels, int(n_scenarios), int(seed), float(guess))
    elif k2 <= 0:
        raise InvalidArgumentError("the book has no risk under 'cov' (zero variance)")
    elif method == "normal":
        rows = _risk.normal_var_es(k1, math.sqrt(k2), levels)
    else:
        rows = _risk.cornish_fisher_var_es(k1, math.sqrt(k2), k3 / k2 ** 1.5, k4 / k2 ** 2, levels)
    table = pd.DataFrame(rows, columns=["level", "var", "es"]).set_index("level")
    table.attrs.update({"mean": k1, "sd": math.sqrt(max(k2, 0.0)), "skewness": k3 / k2 ** 1.5 if k2 > 0 else 0.0,
                        "excess_kurtosis": k4 / k2 ** 2 if k2 > 0 else 0.0, "method": method})
    return table
