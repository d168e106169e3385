"""EWMA and GARCH(1,1) volatility."""
from __future__ import annotations

import math
from typing import Dict

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_matrix, as_float_vector, as_int, columns_of, index_of
from ..exceptions import warn_if_not_converged
from ._common import time_ordered

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
    time_ordered(returns, "returns")
    values = _risk.ewma_variance(as_float_vector(returns, "returns"),
                                 as_float(lambda_, "lambda_", minimum=0, maximum=1, strict_minimum=True,
                                          strict_maximum=True))
    index = index_of(returns)
    out = pd.Series(values[:-1], index=index, name="ewma_variance")
    out.attrs["forecast"] = float(values[-1])
    return out


def ewma_covariance(returns: pd.DataFrame, lambda_: float = 0.94) -> pd.DataFrame:
    """Tomorrow's EWMA covariance matrix of the columns of ``returns`` (rows are days)."""
    time_ordered(returns, "returns")
    arr = as_float_matrix(returns, "returns")
    cov = _risk.ewma_covariance(arr, as_float(lambda_, "lambda_", minimum=0, maximum=1, strict_minimum=True,
                                              strict_maximum=True))
    names = columns_of(returns)
    return pd.DataFrame(cov, index=names, columns=names)


_GARCH_DEFAULTS = _risk.GarchOptions()


class GarchResult:
    """A fitted GARCH(1,1): a thin view of the C++ ``GarchResult`` with pandas on top.

    Every field of the C++ result is an attribute (``log_likelihood``, ``aic``, ``bic``,
    ``next_variance``, ``status``, ...); ``params``, ``std_errors`` and ``robust_std_errors`` are
    dicts by parameter name; ``conditional_volatility`` and ``standardized_residuals`` are Series
    aligned with the returns.
    """

    def __init__(self, raw, index=None):
        self._raw = raw
        self._index = index

    def __getattr__(self, name):  # the C++ result's fields
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    def __repr__(self) -> str:
        p = ", ".join(f"{k}={v:.4g}" for k, v in self.params.items())
        return f"GarchResult({p}, log_likelihood={self._raw.log_likelihood:.2f}, status={self._raw.status.code!r})"

    def __reduce__(self):
        return (GarchResult, (self._raw, self._index))

    @property
    def raw(self):
        """The C++ result record (``bankquant._core.risk.GarchResult``)."""
        return self._raw

    @property
    def params(self) -> Dict[str, float]:
        """Estimates by name; ``mu`` is 0.0 when the mean was not estimated."""
        out = dict(zip(self._raw.names, (float(v) for v in self._raw.params)))
        return out if "mu" in out else {"mu": 0.0, **out}

    @property
    def std_errors(self) -> Dict[str, float]:
        return dict(zip(self._raw.names, (float(v) for v in self._raw.standard_errors)))

    @property
    def robust_std_errors(self) -> Dict[str, float]:
        return dict(zip(self._raw.names, (float(v) for v in self._raw.robust_standard_errors)))

    @property
    def converged(self) -> bool:
        return bool(self._raw.status.converged)

    @property
    def message(self) -> str:
        return self._raw.status.message

    @property
    def iterations(self) -> int:
        return int(self._raw.status.iterations)

    @property
    def conditional_volatility(self) -> pd.Series:
        return pd.Series(np.sqrt(self._raw.conditional_variance), index=self._index, name="volatility")

    @property
    def standardized_residuals(self) -> pd.Series:
        return pd.Series(self._raw.standardized_residuals, index=self._index, name="std_resid")

    @property
    def persistence(self) -> float:
        return self._raw.alpha + self._raw.beta

    @property
    def unconditional_variance(self) -> float:
        return self._raw.omega / (1 - self.persistence)

    def forecast(self, horizon: int = 10) -> pd.DataFrame:
        """Variance and volatility forecasts for 1..horizon days, and the h-day cumulative variance."""
        h = as_int(horizon, "horizon", minimum=1)
        var = np.asarray(self._raw.forecast_variance(h))
        return pd.DataFrame({"variance": var, "volatility": np.sqrt(var), "cumulative_variance": np.cumsum(var)},
                            index=pd.RangeIndex(1, h + 1, name="days_ahead"))

    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors (Hessian and robust), z statistics and two-sided normal p values."""
        df = pd.DataFrame({"coef": {k: v for k, v in self.params.items() if k in self._raw.names},
                           "std_err": self.std_errors, "robust_std_err": self.robust_std_errors})
        df["z"] = df["coef"] / df["std_err"]
        df["p_value"] = [math.erfc(abs(z) / math.sqrt(2)) if np.isfinite(z) else np.nan for z in df["z"]]
        return df


class Garch11:
    """GARCH(1,1) by maximum likelihood, normal or Student-t innovations, optional constant mean.

    h_t = omega + alpha e_{t-1}^2 + beta h_{t-1}; the optimiser and standard errors are described
    in ``bankquant/risk/volatility.hpp``. A fit that does not converge, or lands on the edge of
    the parameter space, warns with ConvergenceWarning.

    Parameters
    ----------
    dist : {"normal", "t"}, default "normal"
        Innovation distribution.
    mean : bool, default True
        Estimate a constant mean (else mu = 0).
    max_evaluations, gradient_tolerance : optional
        Limits of the L-BFGS search (defaults from C++ ``GarchOptions::default_optimizer``).

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> prices = bq.datasets.dow_jones_30()["IBM"]
    >>> r = np.diff(np.log(prices.to_numpy()))
    >>> fit = bq.risk.Garch11(dist="t").fit(r)
    >>> sorted(fit.params)
    ['alpha', 'beta', 'mu', 'nu', 'omega']
    """

    def __init__(self, dist: str = _GARCH_DEFAULTS.dist, mean: bool = _GARCH_DEFAULTS.mean,
                 max_evaluations: int = _GARCH_DEFAULTS.optimizer.max_evaluations,
                 gradient_tolerance: float = _GARCH_DEFAULTS.optimizer.gradient_tolerance):
        self.dist = dist
        self.mean = mean
        self.max_evaluations = max_evaluations
        self.gradient_tolerance = gradient_tolerance
        self._options()  # a bad option fails here, where it was written

    def _options(self):
        o = _risk.GarchOptions(dist=self.dist, mean=self.mean)
        o.optimizer.max_evaluations = self.max_evaluations
        o.optimizer.gradient_tolerance = self.gradient_tolerance
        o.validate()
        return o

    def get_params(self, deep: bool = True) -> dict:
        return {"dist": self.dist, "mean": self.mean, "max_evaluations": self.max_evaluations,
                "gradient_tolerance": self.gradient_tolerance}

    def fit(self, returns) -> GarchResult:
        time_ordered(returns, "returns")
        x = as_float_vector(returns, "returns")
        raw = _risk.fit_garch11(x, self._options())
        warn_if_not_converged(raw, "GARCH(1,1)")
        return GarchResult(raw, index_of(returns))
