"""EWMA and the GARCH family (GARCH(p, q), GJR, EGARCH, EWMA with lambda fixed or estimated; constant,
zero or AR(1) mean; normal, t, Hansen skew-t or GED innovations), on one C++ likelihood engine
(``bankquant/risk/volatility.hpp``, which documents the models, the start of the recursion, the
bounds and the standard errors)."""
from __future__ import annotations

import math
from typing import Dict, Optional

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_bool, as_choice, as_float, as_float_matrix, as_float_vector, as_int, as_seed, columns_of, \
    fail, index_of
from ..exceptions import warn_if_not_converged
from ._common import estimates_frame, levels_of, time_ordered

_risk = _core.risk
_DEFAULTS = _risk.VolatilityOptions()


def ewma_variance(returns, lambda_: float = 0.94):
    """RiskMetrics EWMA conditional variance of each day (from the days before it).

    Returns a Series aligned with ``returns``; ``attrs["forecast"]`` holds tomorrow's variance.

    Parameters
    ----------
    returns : 1-D array-like or Series
        Daily returns, oldest first.
    lambda_ : float, default 0.94
        The decay (RiskMetrics 1996, daily data).

    Returns
    -------
    pandas.Series
        sigma2_t = lambda sigma2_{t-1} + (1 - lambda) r_{t-1}^2 for each day (the first from the
        start of ``bankquant/risk/volatility.hpp``), named "ewma_variance", aligned with
        ``returns``; ``attrs["forecast"]`` holds tomorrow's variance.

    Examples
    --------
    >>> import bankquant as bq
    >>> v = bq.risk.ewma_variance([0.01, -0.02, 0.03])
    >>> v.round(6).tolist()
    [0.000467, 0.000445, 0.000442]
    >>> round(float(v.attrs["forecast"]), 8)   # 0.94^3 s0 + 0.06 (0.94^2 r0^2 + 0.94 r1^2 + r2^2)
    0.00046947
    """
    time_ordered(returns, "returns")
    values = _risk.ewma_variance(as_float_vector(returns, "returns"),
                                 as_float(lambda_, "lambda_", minimum=0, maximum=1, strict_minimum=True,
                                          strict_maximum=True))
    out = pd.Series(values[:-1], index=index_of(returns), name="ewma_variance")
    out.attrs["forecast"] = float(values[-1])
    return out


def ewma_covariance(returns: pd.DataFrame, lambda_: float = 0.94) -> pd.DataFrame:
    """Tomorrow's EWMA covariance matrix of the columns of ``returns`` (rows are days).

    Parameters
    ----------
    returns : DataFrame or 2-D array-like
        Daily returns, one column per asset, oldest first.
    lambda_ : float, default 0.94
        The decay (RiskMetrics).

    Returns
    -------
    pandas.DataFrame
        The covariance forecast for tomorrow, labelled by the columns.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> bq.risk.ewma_covariance(pd.DataFrame({"a": [0.01, -0.02, 0.01], "b": [0.0, 0.01, -0.01]}))
            a         b
    a  0.0002 -0.000100
    b -0.0001  0.000067
    """
    time_ordered(returns, "returns")
    arr = as_float_matrix(returns, "returns")
    cov = _risk.ewma_covariance(arr, as_float(lambda_, "lambda_", minimum=0, maximum=1, strict_minimum=True,
                                              strict_maximum=True))
    names = columns_of(returns)
    return pd.DataFrame(cov, index=names, columns=names)


class VolatilityFit:
    """A fitted (or filtered) volatility model: a view of the C++ ``VolatilityResult`` (``raw``)
    with pandas on top.

    Every field of the C++ result is an attribute (``log_likelihood``, ``aic``, ``bic``,
    ``next_variance``, ``persistence``, ``status``, ...); ``params``, ``std_errors`` and
    ``robust_std_errors`` are dicts by parameter name; ``conditional_volatility``,
    ``standardized_residuals`` and ``residuals`` are Series aligned with the returns.

    Returned by :meth:`VolatilityModel.fit` (and ``filter``); the constructor is internal.

    Attributes
    ----------
    params, std_errors, robust_std_errors : dict of str to float
        By parameter name (mu, omega, alpha, [gamma], beta, [nu, ...]).
    conditional_volatility, standardized_residuals, residuals : pandas.Series
        Aligned with the returns.
    log_likelihood, aic, bic, next_variance, persistence, status
        Fields of the C++ result, and every other one.
    raw
        The C++ ``VolatilityResult``.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> fit = bq.risk.Garch11().fit(r)
    >>> fit
    VolatilityFit(garch(1,1), mean='constant', dist='normal': mu=0.0009667, omega=1.876e-06, alpha=0.03398, beta=0.9596, log_likelihood=6906.31, status='converged')
    >>> round(fit.persistence, 4)
    0.9936
    """

    def __init__(self, raw, index=None):
        self._raw = raw
        self._index = index  # of the returns; the modelled observations start at raw.first

    def __getattr__(self, name):  # the C++ result's fields
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    def __repr__(self) -> str:
        p = ", ".join(f"{k}={v:.4g}" for k, v in self.params.items())
        o = self._raw.options
        return (f"VolatilityFit({o.model}({o.p},{o.q}), mean={o.mean!r}, dist={o.dist!r}: {p}, "
                f"log_likelihood={self._raw.log_likelihood:.2f}, status={self._raw.status.code!r})")

    def __reduce__(self):
        return (VolatilityFit, (self._raw, self._index))

    @property
    def raw(self):
        """The C++ result record (``bankquant._core.risk.VolatilityResult``)."""
        return self._raw

    @property
    def params(self) -> Dict[str, float]:
        """Estimates by name, in the units of the returns; ``mu`` is 0.0 when the mean is zero."""
        out = dict(zip(self._raw.names, (float(v) for v in self._raw.params)))
        return {"mu": 0.0, **out} if self._raw.options.mean == "zero" else out

    @property
    def std_errors(self) -> Dict[str, float]:
        return dict(zip(self._raw.names, (float(v) for v in self._raw.standard_errors)))

    @property
    def robust_std_errors(self) -> Dict[str, float]:
        return dict(zip(self._raw.names, (float(v) for v in self._raw.robust_standard_errors)))

    converged = property(lambda self: bool(self._raw.status.converged))
    message = property(lambda self: self._raw.status.message)
    iterations = property(lambda self: int(self._raw.status.iterations))

    def _series(self, values, name):
        index = None if self._index is None else self._index[self._raw.first:]
        return pd.Series(np.asarray(values), index=index, name=name)

    @property
    def conditional_volatility(self) -> pd.Series:
        return self._series(np.sqrt(self._raw.conditional_variance), "volatility")

    @property
    def standardized_residuals(self) -> pd.Series:
        return self._series(self._raw.standardized_residuals, "std_resid")

    @property
    def residuals(self) -> pd.Series:
        return self._series(self._raw.residuals, "resid")

    @property
    def unconditional_variance(self) -> float:
        return self._raw.unconditional_variance()

    def forecast(self, horizon: int = 10, method: str = "analytic", n_paths: int = 100_000,
                 seed: int = 0) -> pd.DataFrame:
        """Variance and volatility forecasts for 1..horizon days and the h-day cumulative variance.

        ``method``: "analytic" (garch, gjr, ewma), "simulation" (paths with the model's
        innovations; every model) or "bootstrap" (paths resampling the standardised residuals).

        Parameters
        ----------
        horizon : int, default 10
            Days.
        method : {"analytic", "simulation", "bootstrap"}, default "analytic"
        n_paths : int, default 100,000
            For the simulation methods.
        seed : int, default 0

        Returns
        -------
        pandas.DataFrame
            Index ``days_ahead``; ``variance``, ``volatility`` and ``cumulative_variance``.

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> fit = bq.risk.Garch11().fit(r)
        >>> fit.forecast(2).round(6)
                    variance  volatility  cumulative_variance
        days_ahead
        1           0.000604    0.024583             0.000604
        2           0.000602    0.024543             0.001207
        """
        h = as_int(horizon, "horizon", minimum=1)
        method = as_choice(method, "method", ("analytic", "simulation", "bootstrap"))
        if method == "analytic":
            var = np.asarray(self._raw.forecast_variance(h))
        else:
            var = np.asarray(self._paths(h, n_paths, "model" if method == "simulation" else "bootstrap", seed)
                             .mean_variance)
        return pd.DataFrame({"variance": var, "volatility": np.sqrt(var), "cumulative_variance": np.cumsum(var)},
                            index=pd.RangeIndex(1, h + 1, name="days_ahead"))

    def _paths(self, horizon, n_paths, innovations, seed):
        options = _risk.PathOptions(horizon=as_int(horizon, "horizon", minimum=1),
                                    n_paths=as_int(n_paths, "n_paths", minimum=100), innovations=innovations,
                                    seed=as_seed(seed))
        return _risk.simulate_paths(self._raw, options)

    def simulate(self, horizon: int = 10, n_paths: int = 100_000, innovations: str = "model",
                 seed: int = 0) -> np.ndarray:
        """Cumulative returns over ``horizon`` days of ``n_paths`` simulated paths (innovations
        "model" or "bootstrap": filtered historical simulation). Reproducible for a seed.

        Parameters
        ----------
        horizon : int, default 10
        n_paths : int, default 100,000
        innovations : {"model", "bootstrap"}, default "model"
        seed : int, default 0

        Returns
        -------
        numpy.ndarray
            ``n_paths`` cumulative returns over ``horizon`` days.

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> fit = bq.risk.Garch11().fit(r)
        >>> fit.simulate(5, n_paths=1000, seed=1).shape
        (1000,)
        """
        innovations = as_choice(innovations, "innovations", ("model", "bootstrap"))
        return np.asarray(self._paths(horizon, n_paths, innovations, seed).cumulative_returns)

    def filter(self, returns) -> "VolatilityFit":
        """The model, parameters fixed, applied to other returns (e.g. the days after the fit).

        Parameters
        ----------
        returns : 1-D array-like
            Returns to run the fitted recursion over (parameters kept).

        Returns
        -------
        VolatilityFit

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> fit = bq.risk.Garch11().fit(r)
        >>> round(fit.filter(r[-500:]).log_likelihood, 2)
        1169.5
        """
        time_ordered(returns, "returns")
        return VolatilityFit(_risk.filter_volatility(self._raw, as_float_vector(returns, "returns")),
                             index_of(returns))

    def var_es(self, level=0.99, method: str = "parametric") -> pd.DataFrame:
        """Next-day VaR and ES from the model: "parametric" (its innovation distribution) or "fhs"
        (its standardised residuals).

        Parameters
        ----------
        level : float or list of float, default 0.99
        method : {"parametric", "fhs"}, default "parametric"
            The model's own distribution, or filtered historical simulation.

        Returns
        -------
        pandas.DataFrame
            Tomorrow's VaR and ES by level (positive losses).

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> fit = bq.risk.Garch11().fit(r)
        >>> fit.var_es([0.99]).round(5)
                   var       es
        level
        0.99   0.05622  0.06455
        """
        method = as_choice(method, "method", ("parametric", "fhs"))
        _, levels = levels_of(level)
        return estimates_frame(_risk.conditional_var_es(self._raw, levels, method))

    def summary(self) -> pd.DataFrame:
        """Estimates, standard errors (Hessian and robust), z statistics and two-sided normal p values.

        Returns
        -------
        pandas.DataFrame
            Per parameter: coef, std_err, robust_std_err, z, p_value.

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> fit = bq.risk.Garch11().fit(r)
        >>> fit.summary()[["coef", "p_value"]].round(4)
                 coef  p_value
        mu     0.0010   0.0009
        omega  0.0000   0.0574
        alpha  0.0340   0.0000
        beta   0.9596   0.0000
        """
        df = pd.DataFrame({"coef": {k: v for k, v in self.params.items() if k in list(self._raw.names)},
                           "std_err": self.std_errors, "robust_std_err": self.robust_std_errors})
        df["z"] = df["coef"] / df["std_err"]
        df["p_value"] = [math.erfc(abs(z) / math.sqrt(2)) if np.isfinite(z) else np.nan for z in df["z"]]
        return df


#: The older name of a fitted model (GARCH(1,1) results were GarchResult).
GarchResult = VolatilityFit


class VolatilityModel:
    """A volatility model to fit by maximum likelihood: GARCH(p, q), GJR-GARCH, EGARCH or EWMA, with
    a constant, zero or AR(1) mean and normal, t, skew_t (Hansen) or GED innovations.

    See ``bankquant/risk/volatility.hpp`` for the recursions and the likelihood.

    Parameters
    ----------
    model : {"garch", "gjr", "egarch", "ewma"}, default "garch"
    p, q : int, default 1
        ARCH and GARCH lags (p >= 1, q >= 0; 1 for ewma).
    mean : {"constant", "zero", "ar1"}, default "constant" (fGarch's default)
    dist : {"normal", "t", "skew_t", "ged"}, default "normal"
    lambda_ : float, default 0.94
        ewma: the decay (RiskMetrics), or the start when ``estimate_lambda``.
    estimate_lambda : bool, default False
    max_evaluations, gradient_tolerance : optional
        Limits of the L-BFGS search (defaults from C++ ``VolatilityOptions::default_optimizer``).

    Warns
    -----
    ConvergenceWarning
        From ``fit``, when the search does not converge or lands on the edge of the parameter
        space.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["IBM"].to_numpy()))
    >>> fit = bq.risk.VolatilityModel("gjr", dist="t").fit(r)
    >>> sorted(fit.params)
    ['alpha', 'beta', 'gamma', 'mu', 'nu', 'omega']
    >>> fit.forecast(5)["volatility"].shape
    (5,)
    """

    def __init__(self, model: str = _DEFAULTS.model, *, p: int = _DEFAULTS.p, q: int = _DEFAULTS.q,
                 mean: str = _DEFAULTS.mean, dist: str = _DEFAULTS.dist, lambda_: float = _DEFAULTS.lambda_,
                 estimate_lambda: bool = _DEFAULTS.estimate_lambda,
                 max_evaluations: int = _DEFAULTS.optimizer.max_evaluations,
                 gradient_tolerance: float = _DEFAULTS.optimizer.gradient_tolerance):
        self.model, self.p, self.q, self.mean, self.dist = model, p, q, mean, dist
        self.lambda_, self.estimate_lambda = lambda_, estimate_lambda
        self.max_evaluations, self.gradient_tolerance = max_evaluations, gradient_tolerance
        self.options()  # a bad option fails here, where it was written

    def options(self):
        """The C++ ``VolatilityOptions`` of this model.

        Returns
        -------
        bankquant._core.risk.VolatilityOptions

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.risk.VolatilityModel("gjr", dist="t").options().dist
        't'
        """
        o = _risk.VolatilityOptions(model=self.model, p=self.p, q=self.q, mean=self.mean, dist=self.dist,
                                    lambda_=self.lambda_, estimate_lambda=self.estimate_lambda)
        o.optimizer.max_evaluations = self.max_evaluations
        o.optimizer.gradient_tolerance = self.gradient_tolerance
        o.validate()
        return o

    def get_params(self, deep: bool = True) -> dict:
        """Parameters
        ----------
        deep : bool, default True
            Ignored (scikit-learn's signature).

        Returns
        -------
        dict

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.risk.VolatilityModel("gjr").get_params()["model"]
        'gjr'
        """
        return {"model": self.model, "p": self.p, "q": self.q, "mean": self.mean, "dist": self.dist,
                "lambda_": self.lambda_, "estimate_lambda": self.estimate_lambda,
                "max_evaluations": self.max_evaluations, "gradient_tolerance": self.gradient_tolerance}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"

    def label(self) -> str:
        """The model as usually written: GARCH(1,1), GJR-GARCH(1,1), EGARCH(1,1), EWMA.

        Returns
        -------
        str

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.risk.VolatilityModel("gjr", dist="t").label()
        'GJR-GARCH(1,1)'
        """
        if self.model == "ewma":
            return "EWMA"
        return {"garch": "GARCH", "gjr": "GJR-GARCH", "egarch": "EGARCH"}[self.model] + f"({self.p},{self.q})"

    @property
    def parameter_names(self):
        return list(_risk.volatility_parameter_names(self.options()))

    def fit(self, returns) -> VolatilityFit:
        """Parameters
        ----------
        returns : 1-D array-like or Series
            Daily returns, oldest first.

        Returns
        -------
        VolatilityFit

        Warns
        -----
        ConvergenceWarning
            The likelihood search did not converge or ended on a boundary.

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> bq.risk.VolatilityModel("garch").fit(r).status.code
        'converged'
        """
        time_ordered(returns, "returns")
        x = as_float_vector(returns, "returns")
        raw = _risk.fit_volatility(x, self.options())
        warn_if_not_converged(raw, self.label())
        return VolatilityFit(raw, index_of(returns))

    def log_likelihood(self, returns, params) -> float:
        """The log-likelihood at given parameters (a dict by name or a sequence in parameter_names order).

        Parameters
        ----------
        returns : 1-D array-like
        params : dict
            Parameters by name (as ``VolatilityFit.params``).

        Returns
        -------
        float

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> fit = bq.risk.Garch11().fit(r)
        >>> round(bq.risk.Garch11().log_likelihood(r, fit.params), 2)
        6906.31
        """
        if isinstance(params, dict):
            names = self.parameter_names
            unknown = sorted(set(params) - set(names) - {"mu"})
            if unknown or set(names) - set(params):
                fail("params", f"expected the parameters {names}, got {sorted(params)}")
            params = [params[n] for n in names]
        return _risk.volatility_log_likelihood(as_float_vector(returns, "returns"), self.options(),
                                               as_float_vector(params, "params"))


class Garch11(VolatilityModel):
    """GARCH(1,1) by maximum likelihood, normal, t, skew_t or GED innovations, optional constant mean.

    h_t = omega + alpha e_{t-1}^2 + beta h_{t-1}: a ``VolatilityModel("garch")`` with p = q = 1.

    Parameters
    ----------
    dist : {"normal", "t", "skew_t", "ged"}, default "normal"
        Innovations.
    mean : bool, default True
        Estimate a constant mean mu (False: zero mean).
    max_evaluations, gradient_tolerance : optional
        Limits of the L-BFGS search (defaults from C++ ``VolatilityOptions::default_optimizer``).

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> prices = bq.datasets.dow_jones_30()["IBM"]
    >>> r = np.diff(np.log(prices.to_numpy()))
    >>> fit = bq.risk.Garch11(dist="t").fit(r)
    >>> sorted(fit.params)
    ['alpha', 'beta', 'mu', 'nu', 'omega']
    """

    def __init__(self, dist: str = "normal", mean: bool = True,
                 max_evaluations: int = _DEFAULTS.optimizer.max_evaluations,
                 gradient_tolerance: float = _DEFAULTS.optimizer.gradient_tolerance):
        self.mean_ = as_bool(mean, "mean")
        super().__init__("garch", p=1, q=1, mean="constant" if self.mean_ else "zero", dist=dist,
                         max_evaluations=max_evaluations, gradient_tolerance=gradient_tolerance)

    def get_params(self, deep: bool = True) -> dict:
        """Parameters
        ----------
        deep : bool, default True
            Ignored (scikit-learn's signature).

        Returns
        -------
        dict

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.risk.Garch11(dist="t").get_params()["dist"]
        't'
        """
        return {"dist": self.dist, "mean": self.mean_, "max_evaluations": self.max_evaluations,
                "gradient_tolerance": self.gradient_tolerance}
