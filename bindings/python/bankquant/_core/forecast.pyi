# Stubs of bankquant._core.forecast, written by scripts/make_stubs.py from the module itself.
from typing import Any, Callable, Optional, overload

import numpy as np
import numpy.typing as npt

from .core import OptimizerOptions
from .core import Status

_Array = npt.NDArray[Any]

class ArimaCandidate:
    """One model tried by the automatic ARIMA search."""
    model: str
    ic: float
    status: str
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class ArimaFit:
    """A fitted ARIMA model."""
    order: ArimaOrder
    model_name: str
    include_mean: bool
    include_drift: bool
    names: list[Any]
    coefficients: _Array
    standard_errors: _Array
    sigma2: float
    log_likelihood: float
    aic: float
    aicc: float
    bic: float
    nobs: int
    n_regressors: int
    method: str
    phi: _Array
    theta: _Array
    delta: _Array
    state: _Array
    state_covariance: _Array
    series_length: int
    fitted: _Array
    residuals: _Array
    candidates: list[Any]
    note: str
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def forecast(self, h: int, levels: list[float] = ..., xreg: Any = ...) -> Forecast: ...
    @staticmethod
    def from_json(text: str) -> ArimaFit: ...
    def to_dict(self) -> dict: ...
    def to_json(self) -> str: ...

class ArimaOptions:
    """Options of fit_arima (bankquant/forecast/arima.hpp)."""
    order: Optional[Any]
    season_length: int
    seasonal: bool
    d: Optional[Any]
    D: Optional[Any]
    max_p: int
    max_q: int
    max_P: int
    max_Q: int
    max_order: int
    max_d: int
    max_D: int
    start_p: int
    start_q: int
    start_P: int
    start_Q: int
    stationary: bool
    ic: str
    stepwise: bool
    nmodels: int
    approximation: Optional[Any]
    include_mean: Optional[Any]
    include_drift: Optional[Any]
    allow_drift: bool
    allow_mean: bool
    method: str
    kappa: float
    max_evaluations: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class ArimaOrder:
    """(p,d,q)(P,D,Q)[m] of an ARIMA model."""
    p: int
    d: int
    q: int
    P: int
    D: int
    Q: int
    period: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    @property
    def name(self) -> str: ...
    def to_dict(self) -> dict: ...

class BaselineFit:
    """A fitted baseline forecast."""
    method: str
    season_length: int
    window: int
    last: _Array
    drift: float
    drift_se: float
    sigma2: float
    sd: float
    slot_sd: _Array
    nobs: int
    fitted: _Array
    residuals: _Array
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def forecast(self, h: int, levels: list[float] = ...) -> Forecast: ...
    @staticmethod
    def from_json(text: str) -> BaselineFit: ...
    @property
    def name(self) -> str: ...
    def to_dict(self) -> dict: ...
    def to_json(self) -> str: ...

class BaselineOptions:
    """Options of fit_baseline (bankquant/forecast/baselines.hpp)."""
    method: str
    season_length: int
    window: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class ClassicalDecomposition:
    """R's decompose()."""
    trend: _Array
    seasonal: _Array
    remainder: _Array
    figure: _Array
    multiplicative: bool
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class EtsCandidate:
    """One model tried by the automatic ETS search."""
    model: str
    log_likelihood: float
    aic: float
    aicc: float
    bic: float
    status: str
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class EtsComponents:
    """Error, trend and season types of an ETS model."""
    error: str
    trend: str
    season: str
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    @property
    def name(self) -> str: ...
    def to_dict(self) -> dict: ...

class EtsFit:
    """A fitted ETS model (bankquant/forecast/ets.hpp)."""
    components: EtsComponents
    model_name: str
    season_length: int
    alpha: float
    beta: float
    gamma: float
    phi: float
    names: list[Any]
    params: _Array
    initial_state: _Array
    last_state: _Array
    coefficients: _Array
    log_likelihood: float
    aic: float
    aicc: float
    bic: float
    sigma2: float
    mse: float
    nobs: int
    n_parameters: int
    fitted: _Array
    residuals: _Array
    candidates: list[Any]
    note: str
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def forecast(self, h: int, levels: list[float] = ..., xreg: Any = ..., simulation: EtsSimulation = ...) -> Forecast: ...
    @staticmethod
    def from_json(text: str) -> EtsFit: ...
    def simulate(self, h: int, simulation: EtsSimulation = ..., xreg: Any = ...) -> _Array: ...
    def to_dict(self) -> dict: ...
    def to_json(self) -> str: ...

class EtsOptions:
    """Options of fit_ets (bankquant/forecast/ets.hpp)."""
    model: str
    damped: Optional[Any]
    season_length: int
    alpha: Optional[Any]
    beta: Optional[Any]
    gamma: Optional[Any]
    phi: Optional[Any]
    lower: _Array
    upper: _Array
    bounds: str
    ic: str
    criterion: str
    restrict: bool
    initialization: str
    starts: int
    search_evaluations: int
    optimizer: OptimizerOptions
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class EtsSimulation:
    """Sample paths of an ETS forecast."""
    paths: int
    seed: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class Forecast:
    """Point forecasts, variances, intervals and count distributions (bankquant/forecast/prediction.hpp)."""
    model: str
    mean: _Array
    variance: _Array
    levels: _Array
    lower: list[Any]
    upper: list[Any]
    distribution: list[Any]
    interval_method: str
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def quantiles(self, p: list[float]) -> list[list[float]]: ...
    def to_dict(self) -> dict: ...

class IntermittentFit:
    """A fitted Croston, SBA or TSB model."""
    method: str
    alpha: float
    beta: float
    demand: float
    interval: float
    point: float
    mse: float
    nobs: int
    fitted: _Array
    residuals: _Array
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def forecast(self, h: int, levels: list[float] = ...) -> Forecast: ...
    @staticmethod
    def from_json(text: str) -> IntermittentFit: ...
    @property
    def name(self) -> str: ...
    def to_dict(self) -> dict: ...
    def to_json(self) -> str: ...

class IntermittentOptions:
    """Options of fit_intermittent (bankquant/forecast/intermittent.hpp)."""
    method: str
    alpha: float
    beta: float
    optimized: bool
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class MstlOptions:
    """Options of mstl."""
    iterations: int
    seasonal_windows: _Array
    stl: StlOptions
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class MstlResult:
    """A multiple seasonal STL decomposition."""
    periods: _Array
    seasonal: list[Any]
    trend: _Array
    remainder: _Array
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def seasonally_adjusted(self) -> list[float]: ...
    def to_dict(self) -> dict: ...

class PanelForecast:
    """Forecasts of many series and models, wide block of the long frame."""
    columns: list[Any]
    values: _Array
    notes: list[Any]
    fitted_models: list[Any]
    count: bool
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class PanelOptions:
    """Options of forecast_panel (bankquant/forecast/panel.hpp)."""
    models: list[Any]
    h: int
    level: _Array
    season_length: _Array
    distribution: str
    window: int
    transform: str
    box_cox_lambda: float
    bias_adjust: bool
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class StlOptions:
    """Options of stl (bankquant/forecast/decomposition.hpp)."""
    seasonal_window: int
    periodic: bool
    seasonal_degree: int
    trend_window: int
    trend_degree: int
    lowpass_window: int
    lowpass_degree: int
    seasonal_jump: int
    trend_jump: int
    lowpass_jump: int
    inner: int
    outer: int
    robust: bool
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class StlResult:
    """An STL decomposition."""
    seasonal: _Array
    trend: _Array
    remainder: _Array
    weights: _Array
    period: int
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class ThetaFit:
    """A fitted Theta model."""
    optimized: bool
    seasonal: bool
    season_length: int
    alpha: float
    theta: float
    level: float
    initial_level: float
    drift: float
    intercept: float
    nobs: int
    sigma2: float
    season: _Array
    fitted: _Array
    residuals: _Array
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def forecast(self, h: int, levels: list[float] = ...) -> Forecast: ...
    @staticmethod
    def from_json(text: str) -> ThetaFit: ...
    @property
    def name(self) -> str: ...
    def to_dict(self) -> dict: ...
    def to_json(self) -> str: ...

class ThetaOptions:
    """Options of fit_theta (bankquant/forecast/theta.hpp)."""
    season_length: int
    optimized: bool
    theta: Optional[Any]
    seasonal: Optional[Any]
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

def classical_decomposition(y: _Array, period: int, multiplicative: bool = ...) -> ClassicalDecomposition: ...
def ets_admissible(components: EtsComponents, season_length: int, alpha: float, beta: float, gamma: float, phi: float) -> bool: ...
def ets_components(error: str, trend: str, season: str) -> EtsComponents: ...
def ets_initial_states(y: _Array, trend: str, season: str, season_length: int) -> list[float]: ...
def ets_objective(y: _Array, components: EtsComponents, season_length: int, alpha: float, beta: float, gamma: float, phi: float, initial_state: list[float]) -> float: ...
def fit_arima(y: _Array, options: ArimaOptions = ..., xreg: Any = ...) -> ArimaFit: ...
def fit_baseline(y: _Array, options: BaselineOptions = ...) -> BaselineFit: ...
def fit_ets(y: _Array, options: EtsOptions = ...) -> EtsFit: ...
def fit_intermittent(y: _Array, options: IntermittentOptions = ...) -> IntermittentFit: ...
def fit_theta(y: _Array, options: ThetaOptions = ...) -> ThetaFit: ...
def forecast_panel(values: _Array, offsets: list[int], options: PanelOptions, series_names: list[str] = ...) -> PanelForecast: ...
def fourier_terms(periods: list[float], harmonics: list[int], rows: int, first_time: float = ...) -> tuple: ...
def interval_coverage(actual: _Array, lower: _Array, upper: _Array) -> float: ...
def kpss_statistic(y: _Array, lags: int) -> float: ...
def mean_absolute_error(actual: _Array, forecast: _Array) -> float: ...
def mean_absolute_scaled_error(actual: _Array, forecast: _Array, insample: _Array, season_length: int = ...) -> float: ...
def moment_matched_count(mean: float, variance: float) -> CountDistribution: ...
def mstl(y: _Array, periods: list[int], options: MstlOptions = ...) -> MstlResult: ...
def normal_interval_z(level: float) -> float: ...
def number_of_differences(y: _Array, max_d: int = ...) -> int: ...
def number_of_seasonal_differences(y: _Array, period: int, max_D: int = ...) -> int: ...
def pinball_loss(actual: _Array, quantile: _Array, probability: float) -> float: ...
def root_mean_squared_error(actual: _Array, forecast: _Array) -> float: ...
def seasonal_strength(decomposition: StlResult) -> float: ...
def set_count_intervals(forecast: Forecast, levels: list[float]) -> Forecast: ...
def stl(y: _Array, period: int, options: StlOptions = ...) -> StlResult: ...
def symmetric_mape(actual: _Array, forecast: _Array) -> float: ...
def theta_seasonality_test(y: _Array, season_length: int) -> bool: ...
def winkler_score(actual: _Array, lower: _Array, upper: _Array, level: float) -> float: ...
