"""EWMA and GARCH(1,1) volatility."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Dict, Optional

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float_vector
from ..exceptions import ConvergenceWarning, InvalidArgumentError

_risk = _core.risk


def ewma_variance(returns, lambda_: float = 0.94):
    """RiskMetrics EWMA conditional variance of each day (from the days before it).

    Returns a Series (or array) aligned with ``returns``; ``attrs["forecast"]`` (or the last element
    of ``ewma_variance(...)`` plus one) holds tomorrow's variance.

    >>> import bankquant as bq
    >>> v = bq.risk.ewma_variance([0.01, -0.02, 0.03])
    >>> round(float(v.attrs["forecast"]), 8)   # 0.94^3 s0 + 0.06 (0.94^2 r0^2 + 0.94 r1^2 + r2^2)
    0.00046947
    """
    values = _risk.ewma_variance(as_float_vector(returns, "returns"), float(lambda_))
    index = returns.index if isinstance(returns, pd.Series) else None
    out = pd.Series(values[:-1], index=index, name="ewma_variance")
    out.attrs["forecast"] = float(values[-1])
    return out


def ewma_covariance(returns: pd.DataFrame, lambda_: float = 0.94) -> pd.DataFrame:
    """Tomorrow's EWMA covariance matrix of the columns of ``returns`` (rows are days)."""
    arr = np.ascontiguousarray(np.asarray(returns, dtype=np.float64))
    if arr.ndim != 2:
        raise InvalidArgumentError(f"argument 'returns': expected a 2-D table (days x assets), got shape {arr.shape}")
    cov = _risk.ewma_covariance(arr, float(lambda_))
    names = list(returns.columns) if isinstance(returns, pd.DataFrame) else None
    return pd.DataFrame(cov, index=names, columns=names)


@dataclass
class GarchResult:
    """A fitted GARCH(1,1): parameters, standard errors, likelihood, conditional volatility."""

    params: Dict[str, float]
    std_errors: Dict[str, float]
    robust_std_errors: Dict[str, float]
    log_likelihood: float
    aic: float
    bic: float
    conditional_volatility: pd.Series
    standardized_residuals: pd.Series
    converged: bool
    message: str
    iterations: int
    next_variance: float
    dist: str = "normal"
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def persistence(self) -> float:
        return self.params["alpha"] + self.params["beta"]

    @property
    def unconditional_variance(self) -> float:
        return self.params["omega"] / (1 - self.persistence)

    def forecast(self, horizon: int = 10) -> pd.DataFrame:
        """Variance and volatility forecasts for 1..horizon days, and the h-day cumulative variance."""
        if not isinstance(horizon, int) or horizon < 1:
            raise InvalidArgumentError(f"argument 'horizon': expected a positive integer, got {horizon!r}")
        v, p = self.unconditional_variance, self.persistence
        var = v + p ** np.arange(horizon) * (self.next_variance - v)
        return pd.DataFrame({"variance": var, "volatility": np.sqrt(var), "cumulative_variance": np.cumsum(var)},
                            index=pd.RangeIndex(1, horizon + 1, name="days_ahead"))

    def summary(self) -> pd.DataFrame:
        from scipy import stats

        df = pd.DataFrame({"coef": self.params, "std_err": self.std_errors, "robust_std_err": self.robust_std_errors})
        df["z"] = df["coef"] / df["std_err"]
        df["p_value"] = 2 * stats.norm.sf(np.abs(df["z"]))
        return df


class Garch11:
    """GARCH(1,1) by maximum likelihood, normal or Student-t innovations, optional constant mean.

    h_t = omega + alpha e_{t-1}^2 + beta h_{t-1}; optimiser and standard errors are described in
    ``bankquant/risk/volatility.hpp``. A fit that does not converge warns with ConvergenceWarning.

    >>> import bankquant as bq, numpy as np
    >>> prices = bq.datasets.dow_jones_30()["IBM"]
    >>> r = np.diff(np.log(prices.to_numpy()))
    >>> fit = bq.risk.Garch11(dist="t").fit(r)
    >>> sorted(fit.params)
    ['alpha', 'beta', 'mu', 'nu', 'omega']
    """

    def __init__(self, dist: str = "normal", mean: bool = True, max_iterations: int = 500, tolerance: float = 1e-9):
        if dist not in ("normal", "t"):
            raise InvalidArgumentError(f"argument 'dist': expected 'normal' or 't', got {dist!r}")
        self.dist = dist
        self.mean = mean
        self.max_iterations = max_iterations
        self.tolerance = tolerance

    def fit(self, returns) -> GarchResult:
        x = as_float_vector(returns, "returns")
        r = _risk.fit_garch11(x, self.dist, bool(self.mean), int(self.max_iterations), float(self.tolerance))
        if not r["converged"]:
            warnings.warn(f"GARCH(1,1): {r['message']}", ConvergenceWarning, stacklevel=2)
        names = list(r["names"])
        index = returns.index if isinstance(returns, pd.Series) else None
        params = {n: float(v) for n, v in zip(names, r["params"])}
        if not self.mean:
            params = {"mu": 0.0, **params}
        return GarchResult(
            params=params,
            std_errors={n: float(v) for n, v in zip(names, r["standard_errors"])},
            robust_std_errors={n: float(v) for n, v in zip(names, r["robust_standard_errors"])},
            log_likelihood=r["log_likelihood"], aic=r["aic"], bic=r["bic"],
            conditional_volatility=pd.Series(np.sqrt(r["conditional_variance"]), index=index, name="volatility"),
            standardized_residuals=pd.Series(r["standardized_residuals"], index=index, name="std_resid"),
            converged=r["converged"], message=r["message"], iterations=r["iterations"],
            next_variance=r["next_variance"], dist=self.dist)
