"""ETS estimator (the issue's API contract) and the forecast result every model returns."""
from __future__ import annotations

from typing import Dict, Optional

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_float_array, as_float_matrix, as_float_vector, as_int, fail
from ..exceptions import NotFittedError, warn_if_not_converged

_fc = _core.forecast
_ETS_DEFAULTS = _fc.EtsOptions()


def percent_levels(level) -> list:
    """Interval levels in percent (a number or a list; None: none), each in [1, 100): a fraction such as
    0.95 is refused rather than read as a 0.95% interval."""
    if level is None:
        return []
    arr = np.atleast_1d(as_float_array(level, "level"))
    if arr.ndim != 1:
        fail("level", f"expected a level or a 1-D list of levels in percent, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any((arr <= 0) | (arr >= 100)):
        fail("level", f"expected levels in percent, each in (0, 100), got {list(arr)}")
    if np.any(arr < 1):
        # 0.95 is almost always a 95% interval written as a fraction; a 0.95% one is never wanted.
        fail("level", f"expected levels in percent (80, 95, as statsforecast and R), got {list(arr)}: a level below 1 "
                      f"would be an interval of under 1%; for a 95% interval give 95")
    return [float(v) for v in arr]


class ForecastResult:
    """Point forecasts and central intervals for steps 1..h: a view of the C++ ``Forecast``.

    Returned by :meth:`ETS.forecast`.

    Attributes
    ----------
    model : str
        The fitted model, e.g. "ETS(M,N,A)".
    mean : numpy.ndarray
        Point forecasts of steps 1..h.
    levels : list of float
        Interval levels in percent.
    lower, upper : dict of float to numpy.ndarray
        Interval bounds per level.
    interval_method : str
        How the intervals were made ("analytic", "simulated", ...).
    raw : bankquant._core.forecast.Forecast
        The C++ record.

    Examples
    --------
    >>> import bankquant as bq
    >>> daily = bq.datasets.bank_call_centre().groupby("date")["calls"].sum().to_numpy()
    >>> f = bq.forecast.ETS(season_length=5).fit(daily).forecast(5, level=[80, 95])
    >>> f
    ForecastResult(model='ETS(M,N,A)', h=5, levels=[80.0, 95.0])
    >>> f.to_frame().round(0).head(2)
             mean    lo-95    lo-80    hi-80    hi-95
    step
    1     31578.0  27159.0  28689.0  34467.0  35997.0
    2     33345.0  28365.0  30089.0  36602.0  38326.0
    """

    def __init__(self, raw):
        self._raw = raw

    @property
    def raw(self):
        """The C++ record (``bankquant._core.forecast.Forecast``)."""
        return self._raw

    @property
    def model(self) -> str:
        return self._raw.model

    @property
    def mean(self) -> np.ndarray:
        return np.asarray(self._raw.mean)

    @property
    def levels(self) -> list:
        return [float(v) for v in self._raw.levels]

    @property
    def lower(self) -> Dict[float, np.ndarray]:
        return {float(l): np.asarray(v) for l, v in zip(self._raw.levels, self._raw.lower)}

    @property
    def upper(self) -> Dict[float, np.ndarray]:
        return {float(l): np.asarray(v) for l, v in zip(self._raw.levels, self._raw.upper)}

    @property
    def interval_method(self) -> str:
        return self._raw.interval_method

    def quantiles(self, p) -> pd.DataFrame:
        """Predictive quantiles at probabilities ``p`` (rows: steps, columns: p).

        Parameters
        ----------
        p : float or list of float
            Probabilities in (0, 1).

        Returns
        -------
        pandas.DataFrame
            Index ``step``, one column per probability.

        Examples
        --------
        >>> import bankquant as bq
        >>> daily = bq.datasets.bank_call_centre().groupby("date")["calls"].sum().to_numpy()
        >>> bq.forecast.ETS(season_length=5).fit(daily).forecast(2).quantiles([0.1, 0.9]).round(0)
                  0.1      0.9
        step
        1     28689.0  34467.0
        2     30089.0  36602.0
        """
        probs = as_float_vector(p, "p", min_size=1)
        q = np.asarray(self._raw.quantiles(list(probs)))
        return pd.DataFrame(q.T, columns=list(probs), index=pd.RangeIndex(1, len(self.mean) + 1, name="step"))

    def to_frame(self) -> pd.DataFrame:
        """Returns
        -------
        pandas.DataFrame
            Index ``step``; ``mean``, then ``lo-<level>`` and ``hi-<level>`` columns.

        Examples
        --------
        >>> import bankquant as bq
        >>> daily = bq.datasets.bank_call_centre().groupby("date")["calls"].sum().to_numpy()
        >>> bq.forecast.ETS(season_length=5).fit(daily).forecast(2, level=[90]).to_frame().round(0)
                 mean    lo-90    hi-90
        step
        1     31578.0  27869.0  35286.0
        2     33345.0  29165.0  37526.0
        """
        out = {"mean": self.mean}
        for l in sorted(self.levels, reverse=True):
            out[f"lo-{l:g}"] = self.lower[l]
        for l in sorted(self.levels):
            out[f"hi-{l:g}"] = self.upper[l]
        return pd.DataFrame(out, index=pd.RangeIndex(1, len(self.mean) + 1, name="step"))

    def __repr__(self) -> str:
        return f"ForecastResult(model={self.model!r}, h={len(self.mean)}, levels={self.levels})"


class ETS:
    """Exponential smoothing state-space model (Hyndman et al. 2008) fitted as R's ``forecast::ets``.

    Parameters
    ----------
    season_length : int, default 1
        Observations per seasonal cycle (24 for hourly data with a daily cycle).
    model : str, default "ZZZ"
        R's three-letter code (error, trend, season; "Z" chooses by AICc), e.g. "MAM".
    damped : bool or None, default None
        Damped trend; None tries both (R's default).

    Examples
    --------
    >>> import bankquant as bq
    >>> calls = bq.datasets.bank_call_centre()
    >>> daily = calls.groupby("date")["calls"].sum().to_numpy()
    >>> m = bq.forecast.ETS(season_length=5).fit(daily)
    >>> m.model_name.startswith("ETS(")
    True
    >>> f = m.forecast(10, level=[80, 95])
    >>> bool((f.lower[95] <= f.mean).all())
    True
    """

    def __init__(self, *, season_length: int = _ETS_DEFAULTS.season_length, model: str = _ETS_DEFAULTS.model,
                 damped: Optional[bool] = None):
        self.season_length = season_length
        self.model = model
        self.damped = damped
        self._fit = None

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
        >>> bq.forecast.ETS(season_length=5).get_params()
        {'season_length': 5, 'model': 'ZZZ', 'damped': None}
        """
        return {"season_length": self.season_length, "model": self.model, "damped": self.damped}

    def set_params(self, **params) -> "ETS":
        """Parameters
        ----------
        **params
            season_length, model, damped.

        Returns
        -------
        ETS
            Itself (refit to use them).

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.forecast.ETS().set_params(model="ANA", season_length=5).model
        'ANA'
        """
        for k, v in params.items():
            if k not in self.get_params():
                raise TypeError(f"ETS has no parameter {k!r}")
            setattr(self, k, v)
        return self

    def fit(self, y, xreg=None) -> "ETS":
        """Fits to ``y`` (NaN marks a missing observation); ``xreg`` optional (n x k) regressors.

        Parameters
        ----------
        y : 1-D array-like
            The series, oldest first.
        xreg : 2-D array-like, optional
            Regressors (one row per observation).

        Returns
        -------
        ETS
            Itself: ``model_name``, ``params``, ``aicc``, ``aic``, ``bic``, ``log_likelihood``.

        Examples
        --------
        >>> import bankquant as bq
        >>> daily = bq.datasets.bank_call_centre().groupby("date")["calls"].sum().to_numpy()
        >>> m = bq.forecast.ETS(season_length=5).fit(daily)
        >>> m.model_name
        'ETS(M,N,A)'
        """
        values = as_float_vector(y, "y", allow_nan=True, min_size=1)
        options = build(_fc.EtsOptions, season_length=as_int(self.season_length, "season_length", minimum=1, maximum=10_000_000),
                        model=self.model, damped=self.damped)
        x = None if xreg is None else as_float_matrix(xreg, "xreg")
        fit = _fc.fit_ets(values, options, x)
        warn_if_not_converged(fit, "ETS")
        self._fit = fit
        return self

    def _fitted(self):
        if self._fit is None:
            raise NotFittedError("this ETS is not fitted yet: call fit(y) first")
        return self._fit

    @property
    def raw(self):
        """The C++ fit record (``bankquant._core.forecast.EtsFit``)."""
        return self._fitted()

    @property
    def model_name(self) -> str:
        return self._fitted().model_name

    @property
    def aicc(self) -> float:
        return float(self._fitted().aicc)

    @property
    def aic(self) -> float:
        return float(self._fitted().aic)

    @property
    def bic(self) -> float:
        return float(self._fitted().bic)

    @property
    def log_likelihood(self) -> float:
        return float(self._fitted().log_likelihood)

    @property
    def params(self) -> Dict[str, float]:
        """Smoothing parameters and initial states by R's names (alpha, beta, gamma, phi, l, b, s0, ...)."""
        f = self._fitted()
        return dict(zip(f.names, (float(v) for v in f.params)))

    def forecast(self, h: int, level=None, xreg=None) -> ForecastResult:
        """Forecasts ``h`` steps ahead with central intervals at ``level`` (percent).

        Parameters
        ----------
        h : int
            Steps ahead.
        level : list of float, optional
            Interval levels in percent.
        xreg : 2-D array-like, optional
            Future regressors (h rows).

        Returns
        -------
        ForecastResult

        Examples
        --------
        >>> import bankquant as bq
        >>> daily = bq.datasets.bank_call_centre().groupby("date")["calls"].sum().to_numpy()
        >>> m = bq.forecast.ETS(season_length=5).fit(daily)
        >>> m.forecast(3).mean.round(0)
        array([31578., 33345., 30386.])
        """
        steps = as_int(h, "h", minimum=1, maximum=10_000_000)
        levels = percent_levels(level)
        x = None if xreg is None else as_float_matrix(xreg, "xreg")
        return ForecastResult(self._fitted().forecast(steps, levels, x))

    def to_json(self) -> str:
        """Returns
        -------
        str
            The fitted model as JSON (parameters, states, information criteria).

        Examples
        --------
        >>> import bankquant as bq
        >>> daily = bq.datasets.bank_call_centre().groupby("date")["calls"].sum().to_numpy()
        >>> m = bq.forecast.ETS(season_length=5).fit(daily)
        >>> m.to_json()[:7]
        '{"aic":'
        """
        return self._fitted().to_json()

    def __repr__(self) -> str:
        name = self._fit.model_name if self._fit is not None else "not fitted"
        return f"ETS(season_length={self.season_length!r}, model={self.model!r}, damped={self.damped!r}) [{name}]"
