"""Expected returns, covariance estimators, factor models, PSD repair and annualisation."""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from .._options import defaults
from .._validation import as_bool, as_choice, as_float, as_float_matrix, as_float_vector, as_int, fail
from ._common import _pf, covariance_matrix, labels, options, returns_matrix

_COV = defaults(_pf.CovarianceOptions)
_MU = defaults(_pf.ExpectedReturnsOptions)
_PSD = defaults(_pf.NearestPsdOptions)

COVARIANCE_METHODS = ("sample", "ewma", "ledoit_wolf", "oas", "factor")
RETURN_METHODS = ("mean", "ewma", "capm", "james_stein")
MISSING = ("complete", "pairwise", "fill_mean", "fill_zero")


def returns_from_prices(prices, log: bool = False) -> pd.DataFrame:
    """Period returns from prices: simple P_t / P_{t-1} - 1, or log returns.

    The first row is dropped; a gap (NaN) in the prices gives NaN returns next to it, which the
    estimators handle by their ``missing`` policy.

    Parameters
    ----------
    prices : DataFrame or 2-D array-like
        Positive prices, rows in time order.
    log : bool, default False
        Log returns ln(P_t / P_{t-1}) instead of simple ones.

    Returns
    -------
    pandas.DataFrame
        One row fewer than ``prices``, same columns.

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> r.shape
    (2528, 30)
    """
    frame = prices if isinstance(prices, pd.DataFrame) else pd.DataFrame(
        as_float_matrix(prices, "prices", allow_nan=True) if np.ndim(prices) == 2 else
        as_float_vector(prices, "prices", allow_nan=True))
    values = as_float_matrix(frame, "prices", allow_nan=True)
    if values.shape[0] < 2:
        fail("prices", f"expected at least 2 rows, got {values.shape[0]}")
    observed = values[~np.isnan(values)]
    if (observed <= 0).any():
        fail("prices", f"expected positive prices, found {observed[observed <= 0][0]:g}")
    ratio = values[1:] / values[:-1]
    out = np.log(ratio) if as_bool(log, "log") else ratio - 1.0
    return pd.DataFrame(out, index=frame.index[1:], columns=frame.columns)


def expected_returns(returns, method: str = _MU["method"], *, missing: str = _MU["missing"],
                     compounding: bool = _MU["compounding"], half_life: float = _MU["half_life"],
                     risk_free: float = _MU["risk_free"], periods_per_year: float = _MU["periods_per_year"],
                     market=None) -> pd.Series:
    """Annualised expected returns of the columns of a returns table (rows are periods).

    Parameters
    ----------
    returns : DataFrame or 2-D array
        Simple returns, NaN for missing values.
    method : {"mean", "ewma", "capm", "james_stein"}
        Historical mean, exponentially weighted mean (``half_life`` periods), CAPM-implied
        (betas against ``market`` or the equally weighted average), or James-Stein shrinkage of
        the means toward their grand mean.
    missing : {"complete", "pairwise", "fill_mean", "fill_zero"}
        The missing-data policy (stated again in ``.attrs["missing"]``).
    compounding : bool
        Geometric (compounded) annual rates instead of mean x periods_per_year.
    half_life : float, default 62.4
        ewma: half-life in periods (62.4 = PyPortfolioOpt's span of 180 days).
    risk_free : float, default 0
        capm: annual risk-free rate.
    periods_per_year : float
        252 for daily data, 12 monthly; 1 keeps the per-period scale.
    market : Series or 1-D array, optional
        capm: the market's returns, aligned with the rows (default: the equally weighted
        average of the columns).

    Returns
    -------
    pandas.Series
        With ``attrs``: method, missing, n_observations, rows_dropped, shrinkage (James-Stein),
        betas and market_return (CAPM).

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> mu = bq.portfolio.expected_returns(r)                  # arithmetic mean x 252
    >>> js = bq.portfolio.expected_returns(r, "james_stein")
    >>> bool(js.std() < mu.std())                              # shrunk toward the grand mean
    True
    """
    values, names, _ = returns_matrix(returns)
    o = options(_pf.ExpectedReturnsOptions, method=as_choice(method, "method", RETURN_METHODS),
                missing=as_choice(missing, "missing", MISSING), compounding=as_bool(compounding, "compounding"),
                half_life=as_float(half_life, "half_life"), risk_free=as_float(risk_free, "risk_free"),
                periods_per_year=as_float(periods_per_year, "periods_per_year"))
    m = np.zeros(0) if market is None else as_float_vector(market, "market")
    raw = _pf.estimate_expected_returns(values, o, m)
    out = pd.Series(np.asarray(raw.expected_returns), index=names, name="expected_return")
    out.attrs.update({"method": raw.method, "missing": raw.missing, "n_observations": raw.n_observations,
                      "rows_dropped": raw.rows_dropped, "shrinkage": raw.shrinkage,
                      "market_return": raw.market_return})
    if raw.method == "capm":
        out.attrs["betas"] = pd.Series(np.asarray(raw.betas), index=names, name="beta")
    return out


def covariance(returns, method: str = _COV["method"], *, missing: str = _COV["missing"],
               target: str = _COV["target"], half_life: float = _COV["half_life"], warm_up: int = _COV["warm_up"],
               n_factors: int = _COV["n_factors"], periods_per_year: float = _COV["periods_per_year"]) -> pd.DataFrame:
    """Annualised covariance matrix of the columns of a returns table.

    Parameters
    ----------
    returns : DataFrame or 2-D array
        Simple returns, NaN for missing values.
    method : {"sample", "ewma", "ledoit_wolf", "oas", "factor"}
        Unbiased sample covariance; EWMA with ``half_life`` (or the RiskMetrics recursion with
        ``warm_up`` > 0); Ledoit-Wolf shrinkage toward ``target`` ('identity' as scikit-learn,
        'constant_correlation', 'single_factor'); OAS; a PCA factor model (dense here: use
        :func:`factor_model` to keep the factor form for the optimiser).
    missing : {"complete", "pairwise", "fill_mean", "fill_zero"}
        The missing-data policy; 'pairwise' (sample and ewma only) may give an indefinite matrix
        (``attrs["min_eigenvalue"]`` says so), 'fill_zero' shrinks variances as PyPortfolioOpt does.
    target : {"identity", "constant_correlation", "single_factor"}, default "identity"
        ledoit_wolf: the shrinkage target ('identity' as scikit-learn's LedoitWolf).
    half_life : float, default 62.4
        ewma: half-life in periods (62.4 = PyPortfolioOpt's span of 180 days).
    warm_up : int, default 0
        ewma: 0 for normalised weights; k > 0 for the RiskMetrics recursion started from the
        first k rows.
    n_factors : int, default 0
        factor: principal components; 0 chooses by Bai and Ng's IC_p2 (at most 10).
    periods_per_year : float
        252 for daily data; 1 keeps the per-period scale.

    Returns
    -------
    pandas.DataFrame
        With ``attrs``: method, missing, n_observations, rows_dropped, min_pair_observations,
        shrinkage, target, min_eigenvalue.

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> S = bq.portfolio.covariance(r, "ledoit_wolf")
    >>> S.shape, 0 < S.attrs["shrinkage"] < 1
    ((30, 30), True)
    """
    values, names, _ = returns_matrix(returns)
    raw = _estimate(values, method, missing, target, half_life, warm_up, n_factors, periods_per_year)
    out = pd.DataFrame(np.asarray(raw.covariance), index=names, columns=names)
    out.attrs.update({"method": raw.method, "missing": raw.missing, "n_observations": raw.n_observations,
                      "rows_dropped": raw.rows_dropped, "min_pair_observations": raw.min_pair_observations,
                      "shrinkage": raw.shrinkage, "target": raw.target, "min_eigenvalue": raw.min_eigenvalue})
    return out


def _estimate(values, method, missing, target, half_life, warm_up, n_factors, periods_per_year):
    o = options(_pf.CovarianceOptions, method=as_choice(method, "method", COVARIANCE_METHODS),
                missing=as_choice(missing, "missing", MISSING),
                target=as_choice(target, "target", ("identity", "constant_correlation", "single_factor")),
                half_life=as_float(half_life, "half_life"), warm_up=as_int(warm_up, "warm_up", minimum=0),
                n_factors=as_int(n_factors, "n_factors", minimum=0),
                periods_per_year=as_float(periods_per_year, "periods_per_year"))
    return _pf.estimate_covariance(values, o)


class FactorModel:
    """A statistical factor model of the covariance, Sigma = B F B' + diag(D).

    Pass it to :class:`MeanVariance` as the covariance to keep the factor form: the optimiser
    then never forms the n x n matrix (an interior-point method with Woodbury solves).

    Attributes
    ----------
    loadings : DataFrame (assets x factors)
    factor_covariance : DataFrame (factors x factors)
    specific_variance : Series (assets)
    explained_variance : float
        Share of the total variance the factors explain.



    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> fm = bq.portfolio.factor_model(r, n_factors=3)
    >>> fm.covariance().shape, round(fm.explained_variance, 4)
    ((30, 30), 0.3853)
    """

    def __init__(self, loadings, factor_covariance, specific_variance, names=None, explained_variance=float("nan")):
        B = as_float_matrix(loadings, "loadings")
        F = as_float_matrix(factor_covariance, "factor_covariance", square=True)
        D = as_float_vector(specific_variance, "specific_variance")
        if F.shape[0] != B.shape[1]:
            fail("factor_covariance", f"expected {B.shape[1]} x {B.shape[1]} (one row per factor), got {F.shape}")
        if D.size != B.shape[0]:
            fail("specific_variance", f"expected {B.shape[0]} values (one per asset), got {D.size}")
        if (D < 0).any():
            fail("specific_variance", "expected non-negative specific variances")
        self.names = list(names) if names is not None else (labels(loadings) if isinstance(loadings, pd.DataFrame)
                                                            else list(range(B.shape[0])))
        if isinstance(loadings, pd.DataFrame):
            self.names = list(loadings.index)
        self._B, self._F, self._D = B, F, D
        self.explained_variance = float(explained_variance)

    @property
    def loadings(self) -> pd.DataFrame:
        return pd.DataFrame(self._B, index=self.names, columns=[f"factor {k + 1}" for k in range(self._B.shape[1])])

    @property
    def factor_covariance(self) -> pd.DataFrame:
        cols = [f"factor {k + 1}" for k in range(self._F.shape[0])]
        return pd.DataFrame(self._F, index=cols, columns=cols)

    @property
    def specific_variance(self) -> pd.Series:
        return pd.Series(self._D, index=self.names, name="specific_variance")

    @property
    def n_factors(self) -> int:
        return self._B.shape[1]

    def covariance(self) -> pd.DataFrame:
        """The dense n x n matrix B F B' + diag(D).

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> bq.portfolio.factor_model(r, n_factors=3).covariance().shape
        (30, 30)
        """
        S = self._B @ self._F @ self._B.T + np.diag(self._D)
        return pd.DataFrame(S, index=self.names, columns=self.names)

    def __repr__(self) -> str:
        return f"FactorModel({len(self.names)} assets, {self.n_factors} factors, explained {self.explained_variance:.1%})"


def factor_model(returns, n_factors: int = _COV["n_factors"], *, missing: str = _COV["missing"],
                 periods_per_year: float = _COV["periods_per_year"]) -> FactorModel:
    """A PCA factor model of the returns' covariance (k by Bai and Ng's IC_p2 when n_factors is 0).

    Parameters
    ----------
    returns : DataFrame or 2-D array
        Simple returns.
    n_factors : int, default 0
        Principal components (0: Bai and Ng's IC_p2, at most 10).
    missing : {"complete", "pairwise", "fill_mean", "fill_zero"}, default "complete"
    periods_per_year : float, default 252

    Returns
    -------
    FactorModel

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> fm = bq.portfolio.factor_model(r, n_factors=3)
    >>> fm
    FactorModel(30 assets, 3 factors, explained 38.5%)
    >>> fm.loadings.shape
    (30, 3)
    """
    values, names, _ = returns_matrix(returns)
    raw = _estimate(values, "factor", missing, "identity", _COV["half_life"], 0, n_factors, periods_per_year)
    return FactorModel(np.asarray(raw.loadings), np.asarray(raw.factor_covariance), np.asarray(raw.specific_variance),
                       names, raw.explained_variance)


class PsdRepair:
    """The result of :func:`nearest_psd`: the repaired matrix and what changed.

    Attributes
    ----------
    matrix : DataFrame or numpy.ndarray
        The repaired matrix (labelled like the input).
    repaired, negative_eigenvalues, distance
        Whether anything changed, how many eigenvalues were negative, the Frobenius distance moved;
        every field of the C++ ``NearestPsdResult`` is an attribute.

    Examples
    --------
    >>> import numpy as np, bankquant as bq
    >>> fix = bq.portfolio.nearest_psd(np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]]), eigenvalue_floor=0.0)
    >>> fix
    PsdRepair(repaired=True, negative_eigenvalues=1, smallest before -0.414, after 1.36e-16, distance=0.528)
    """

    def __init__(self, raw, names):
        self._raw = raw
        self._names = names

    @property
    def matrix(self):
        m = np.asarray(self._raw.matrix)
        return pd.DataFrame(m, index=self._names, columns=self._names) if self._names is not None else m

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    def __repr__(self) -> str:
        return (f"PsdRepair(repaired={self._raw.repaired}, negative_eigenvalues={self._raw.negative_eigenvalues}, "
                f"smallest before {np.min(self._raw.eigenvalues_before):.3g}, after "
                f"{np.min(self._raw.eigenvalues_after):.3g}, distance={self._raw.distance:.3g})")


def nearest_psd(matrix, *, eigenvalue_floor: float = _PSD["eigenvalue_floor"], tolerance: float = _PSD["tolerance"],
                max_iterations: int = _PSD["max_iterations"]) -> PsdRepair:
    """The nearest covariance matrix that is positive definite, keeping every variance.

    Higham's (2002) alternating projections on the correlation matrix, with an eigenvalue floor.
    Use it on a user-given or pairwise covariance that the optimiser refuses.

    Parameters
    ----------
    matrix : DataFrame or 2-D array-like
        Symmetric, with positive variances.
    eigenvalue_floor : float, default 1e-10
        Smallest eigenvalue of the repaired correlation matrix.
    tolerance : float, default 1e-12
    max_iterations : int, default 200

    Returns
    -------
    PsdRepair

    Examples
    --------
    >>> import numpy as np, bankquant as bq
    >>> bad = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]])   # Higham's example
    >>> fix = bq.portfolio.nearest_psd(bad, eigenvalue_floor=0.0)
    >>> round(float(fix.matrix[0, 1]), 4), fix.negative_eigenvalues
    (0.7607, 1)
    """
    values, names = covariance_matrix(matrix, "matrix")
    o = options(_pf.NearestPsdOptions, eigenvalue_floor=as_float(eigenvalue_floor, "eigenvalue_floor"),
                tolerance=as_float(tolerance, "tolerance"),
                max_iterations=as_int(max_iterations, "max_iterations", minimum=1))
    return PsdRepair(_pf.nearest_psd(values, o), names if isinstance(matrix, pd.DataFrame) else None)


def annualize_returns(per_period, periods_per_year: float = 252.0, compounding: bool = False):
    """Annual rates from per-period means: x periods_per_year, or (1 + r)^periods_per_year - 1.

    Parameters
    ----------
    per_period : float, Series or array-like
        Mean returns per period.
    periods_per_year : float, default 252
    compounding : bool, default False

    Returns
    -------
    The same type as ``per_period``.

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.portfolio.annualize_returns(0.01, 12, compounding=True), 6)
    0.126825
    """
    ppy = as_float(periods_per_year, "periods_per_year", minimum=0, strict_minimum=True)
    comp = as_bool(compounding, "compounding")
    if np.ndim(per_period) == 0 and not isinstance(per_period, pd.Series):
        return _pf.annualize_return(as_float(per_period, "per_period"), ppy, comp)
    values = as_float_vector(per_period, "per_period")
    out = np.array([_pf.annualize_return(float(v), ppy, comp) for v in values])
    return pd.Series(out, index=per_period.index, name=per_period.name) if isinstance(per_period, pd.Series) else out


def annualize_volatility(per_period, periods_per_year: float = 252.0):
    """Annual volatility: per-period volatility x sqrt(periods_per_year).

    Parameters
    ----------
    per_period : float, Series or array-like
        Volatility per period.
    periods_per_year : float, default 252

    Returns
    -------
    The same type as ``per_period``.

    Examples
    --------
    >>> import bankquant as bq
    >>> round(bq.portfolio.annualize_volatility(0.01), 6)
    0.158745
    """
    ppy = as_float(periods_per_year, "periods_per_year", minimum=0, strict_minimum=True)
    if np.ndim(per_period) == 0 and not isinstance(per_period, pd.Series):
        return _pf.annualize_volatility(as_float(per_period, "per_period", minimum=0), ppy)
    values = as_float_vector(per_period, "per_period")
    if (values < 0).any():
        fail("per_period", "expected non-negative volatilities")
    out = values * np.sqrt(ppy)
    return pd.Series(out, index=per_period.index, name=per_period.name) if isinstance(per_period, pd.Series) else out


def annualize_covariance(cov, periods_per_year: float = 252.0):
    """A per-period covariance matrix times periods_per_year (labels kept).

    Parameters
    ----------
    cov : DataFrame or 2-D array-like
    periods_per_year : float, default 252

    Returns
    -------
    The same type as ``cov``.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> bq.portfolio.annualize_covariance(pd.DataFrame([[0.0001, 0.0], [0.0, 0.0004]], index=["a", "b"], columns=["a", "b"]))
            a       b
    a  0.0252  0.0000
    b  0.0000  0.1008
    """
    values, names = covariance_matrix(cov, "cov")
    ppy = as_float(periods_per_year, "periods_per_year", minimum=0, strict_minimum=True)
    out = values * ppy
    return pd.DataFrame(out, index=names, columns=names) if isinstance(cov, pd.DataFrame) else out
