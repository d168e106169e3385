# Stubs of bankquant._core.portfolio, written by scripts/make_stubs.py from the module itself.
from typing import Any, Callable, Optional, overload

import numpy as np
import numpy.typing as npt

from .core import Status

_Array = npt.NDArray[Any]

class Advice:
    """Advice for one client."""
    id: str
    assessment: RiskAssessment
    portfolio: PortfolioResult
    explanation: str
    version: str
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class AdviserView:
    """An adviser's Black-Litterman view."""
    weights: _Array
    expected_return: float
    confidence: float
    description: str
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class Advisor:
    def __init__(self, expected_returns: _Array, cov: _Array, asset_names: list[str], asset_classes: list[str], table: RiskProfileTable, risk_free: float) -> None: ...
    def advise(self, client: ClientRequest, views: list[AdviserView]) -> Advice: ...
    def advise_many(self, clients: list[ClientRequest], views: list[AdviserView], progress: Any) -> list[Advice]: ...
    def assess(self, answers: list[int], horizon_years: float) -> RiskAssessment: ...
    @property
    def asset_names(self) -> list[str]: ...
    def expected_returns(self, views: list[AdviserView]) -> _Array: ...
    def model_portfolio(self, profile: int) -> PortfolioResult: ...
    @property
    def table(self) -> RiskProfileTable: ...

class AssetGroup:
    """A group constraint: lower <= total weight of the members <= upper."""
    name: str
    members: _Array
    lower: float
    upper: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class BacktestOptions:
    """Options of run_backtest (bankquant/portfolio/backtest.hpp)."""
    rebalance_every: int
    rebalance_rows: _Array
    drift_band: float
    start: int
    proportional_cost: float
    spread: float
    impact: float
    adv: _Array
    initial_capital: float
    cash_rate: float
    max_position: float
    max_gross: float
    stop_loss: float
    target_volatility: float
    volatility_window: int
    max_leverage: float
    var_limit: float
    var_level: float
    var_window: int
    periods_per_year: float
    keep_paths: bool
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class BacktestResult:
    """A backtest: paths, trades and statistics."""
    strategy: str
    equity: _Array
    returns: _Array
    gross_returns: _Array
    turnover: _Array
    costs: _Array
    cash: _Array
    gross_exposure: _Array
    weights: _Array
    trades: _Array
    start: int
    stops: int
    volatility_scalings: int
    var_scalings: int
    failed_rebalances: int
    first_failure: str
    stats: PerformanceStats
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class BindingConstraint:
    """A constraint that binds, with its shadow price."""
    name: str
    multiplier: float
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class BlackLittermanOptions:
    """Options of black_litterman."""
    delta: float
    tau: float
    risk_free: float
    weights: str
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class BlackLittermanResult:
    """The Black-Litterman posterior."""
    pi: _Array
    posterior_returns: _Array
    posterior_cov: _Array
    weights: _Array
    omega: _Array
    omega_source: str
    weights_convention: str
    views_used: int
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class ClassLimit:
    """Limits on an asset class."""
    asset_class: str
    lower: float
    upper: float
    max_asset_weight: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class ClientRequest:
    """One client's request for advice."""
    id: str
    answers: _Array
    profile: int
    horizon_years: float
    max_weights: _Array
    excluded: _Array
    current_weights: _Array
    previous_profile: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class CointegrationResult:
    """The Engle-Granger test."""
    statistic: float
    p_value: float
    critical_1: float
    critical_5: float
    critical_10: float
    lags: int
    hedge_ratio: float
    intercept: float
    residual_sd: float
    half_life: float
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class CovarianceOptions:
    """Options of estimate_covariance (bankquant/portfolio/covariance.hpp)."""
    method: str
    missing: str
    target: str
    half_life: float
    warm_up: int
    n_factors: int
    periods_per_year: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class CovarianceResult:
    """A covariance estimate."""
    covariance: _Array
    method: str
    missing: str
    n_observations: int
    rows_dropped: int
    min_pair_observations: int
    shrinkage: float
    target: str
    min_eigenvalue: float
    loadings: _Array
    factor_covariance: _Array
    specific_variance: _Array
    explained_variance: float
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class CvarOptions:
    """Options of min_cvar."""
    level: float
    lower: _Array
    upper: _Array
    budget: float
    groups: list[Any]
    target_return: float
    periods_per_year: float
    risk_free: float
    time_limit: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class CvarResult:
    """A minimum-CVaR allocation."""
    portfolio: PortfolioResult
    cvar: float
    var: float
    scenarios: int
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class DiscreteAllocation:
    """Whole lots for target weights."""
    lots: _Array
    shares: _Array
    values: _Array
    weights: _Array
    leftover: float
    deviation: float
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class ExpectedReturnsOptions:
    """Options of estimate_expected_returns."""
    method: str
    missing: str
    compounding: bool
    half_life: float
    risk_free: float
    periods_per_year: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class ExpectedReturnsResult:
    """Expected-return estimates."""
    expected_returns: _Array
    method: str
    missing: str
    n_observations: int
    rows_dropped: int
    shrinkage: float
    betas: _Array
    market_return: float
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class FeasibilityReport:
    """Whether constraints admit a point, and which conflict."""
    feasible: bool
    message: str
    conflicting: list[Any]
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class FrontierBreakpoint:
    """A corner portfolio of the exact frontier."""
    t: float
    weights: _Array
    expected_return: float
    volatility: float
    event: str
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class FrontierResult:
    """The exact efficient frontier."""
    breakpoints: list[Any]
    unbounded: bool
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def points(self, n: int) -> list[_Array]: ...
    def to_dict(self) -> dict: ...
    def weights_at_return(self, target_return: float) -> _Array: ...

class GlideStep:
    """A glide-path step."""
    years: float
    max_profile: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class HierarchicalOptions:
    """Options of HRP and HERC."""
    linkage: str
    distance: str
    n_clusters: int
    risk_free: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class HierarchicalResult:
    """A hierarchical allocation and its dendrogram."""
    portfolio: PortfolioResult
    linkage: _Array
    order: _Array
    clusters: _Array
    n_clusters: int
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class MeanVariance:
    @staticmethod
    @overload
    def __init__(self: MeanVariance, expected_returns: _Array, cov: _Array, options: MeanVarianceOptions) -> None: ...
    @staticmethod
    @overload
    def __init__(self: MeanVariance, expected_returns: _Array, loadings: _Array, factor_covariance: _Array, specific: _Array, options: MeanVarianceOptions) -> None: ...
    def efficient_return(self, target_return: float) -> PortfolioResult: ...
    def efficient_risk(self, target_volatility: float) -> PortfolioResult: ...
    def evaluate(self, weights: _Array, method: str) -> PortfolioResult: ...
    def frontier(self, t_max: float) -> FrontierResult: ...
    def max_diversification(self) -> PortfolioResult: ...
    def max_quadratic_utility(self, risk_aversion: float) -> PortfolioResult: ...
    def max_return(self) -> float: ...
    def max_sharpe(self, risk_free: float) -> PortfolioResult: ...
    def min_volatility(self) -> PortfolioResult: ...
    @property
    def size(self) -> int: ...

class MeanVarianceOptions:
    """Constraints of MeanVariance (bankquant/portfolio/mean_variance.hpp)."""
    lower: _Array
    upper: _Array
    budget: float
    groups: list[Any]
    max_gross_exposure: float
    l2_gamma: float
    current_weights: _Array
    transaction_costs: _Array
    max_turnover: float
    benchmark: _Array
    max_assets: int
    min_weight: float
    risk_free: float
    asset_names: list[Any]
    max_nodes: int
    time_limit: float
    solver: QpOptions
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class NearestPsdOptions:
    """Options of nearest_psd (Higham 2002)."""
    eigenvalue_floor: float
    tolerance: float
    max_iterations: int
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class NearestPsdResult:
    """A repaired covariance matrix."""
    matrix: _Array
    eigenvalues_before: _Array
    eigenvalues_after: _Array
    negative_eigenvalues: int
    distance: float
    repaired: bool
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class PerformanceOptions:
    """Options of performance_stats."""
    periods_per_year: float
    risk_free: float
    minimum_acceptable_return: float
    benchmark_sharpe: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class PerformanceStats:
    """Performance statistics of a return series."""
    periods: int
    total_return: float
    annual_return: float
    annual_volatility: float
    sharpe: float
    sortino: float
    max_drawdown: float
    max_drawdown_periods: int
    calmar: float
    hit_rate: float
    turnover: float
    skewness: float
    kurtosis: float
    psr: float
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class PortfolioResult:
    """An allocation and its report."""
    weights: _Array
    expected_return: float
    volatility: float
    sharpe: float
    risk_contributions: _Array
    tracking_error: float
    turnover: float
    transaction_cost: float
    diversification_ratio: float
    binding: list[Any]
    method: str
    solver: str
    iterations: int
    nodes: int
    gap: float
    primal_residual: float
    dual_residual: float
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class QpOptions:
    """Options of solve_qp (bankquant/portfolio/qp.hpp)."""
    method: str
    max_iterations: int
    optimality_tolerance: float
    feasibility_tolerance: float
    ipm_tolerance: float
    ipm_max_iterations: int
    time_limit: float
    check_convexity: bool
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class QpResult:
    """A QP solution with multipliers and KKT residuals."""
    x: _Array
    objective: float
    equality_multipliers: _Array
    inequality_multipliers: _Array
    bound_multipliers: _Array
    at_lower: _Array
    at_upper: _Array
    active_inequalities: _Array
    primal_residual: float
    dual_residual: float
    complementarity: float
    method: str
    status: Status
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class Question:
    """A questionnaire question."""
    id: str
    text: str
    dimension: str
    options: list[Any]
    scores: _Array
    weight: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class RiskAssessment:
    """A client's risk profile and how it was reached."""
    capacity_score: float
    willingness_score: float
    capacity_profile: int
    willingness_profile: int
    profile: int
    horizon_cap: int
    binding: str
    version: str
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class RiskBudgetOptions:
    """Options of risk_budgeting."""
    budgets: _Array
    lower: _Array
    upper: _Array
    groups: list[Any]
    risk_free: float
    max_iterations: int
    tolerance: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

class RiskProfile:
    """One risk profile of the table."""
    level: int
    name: str
    target_volatility: float
    max_asset_weight: float
    class_limits: list[Any]
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class RiskProfileTable:
    """The versioned questionnaire and profile table."""
    def __init__(self, **kwargs: Any) -> None: ...
    @property
    def bands(self) -> Any: ...
    @staticmethod
    def fields() -> list: ...
    @staticmethod
    def from_json_text(text: str) -> RiskProfileTable: ...
    @property
    def glide_path(self) -> Any: ...
    @property
    def profiles(self) -> Any: ...
    @property
    def questions(self) -> Any: ...
    @staticmethod
    def standard() -> RiskProfileTable: ...
    def to_dict(self) -> dict: ...
    def to_json_text(self) -> str: ...
    def validate(self) -> None: ...
    @property
    def version(self) -> Any: ...

class SelectedPair:
    """A cointegrated pair."""
    first: int
    second: int
    hedge_ratio: float
    intercept: float
    spread_sd: float
    p_value: float
    def __init__(self) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...

class StrategySpec:
    """A strategy by parameters (bankquant/portfolio/strategies.hpp)."""
    kind: str
    name: str
    method: str
    lookback: int
    covariance: CovarianceOptions
    expected_returns: ExpectedReturnsOptions
    constraints: MeanVarianceOptions
    hierarchical: HierarchicalOptions
    risk_aversion: float
    target: float
    risk_free: float
    cvar_level: float
    fast: int
    slow: int
    long_only: bool
    volatility_scaling: bool
    volatility_window: int
    skip: int
    quantile: float
    window: int
    entry_z: float
    exit_z: float
    stop_z: float
    formation: int
    max_pairs: int
    max_p_value: float
    def __init__(self, **kwargs: Any) -> None: ...
    @staticmethod
    def fields() -> list: ...
    def to_dict(self) -> dict: ...
    def validate(self) -> None: ...

def annualize_return(per_period: float, periods_per_year: float, compounding: bool) -> float: ...
def annualize_volatility(per_period: float, periods_per_year: float) -> float: ...
def assess_risk(table: RiskProfileTable, answers: list[int], horizon_years: float) -> RiskAssessment: ...
def black_litterman(cov: _Array, market_weights: _Array, P: _Array, Q: _Array, omega: _Array, confidences: _Array, options: BlackLittermanOptions) -> BlackLittermanResult: ...
def check_covariance(cov: _Array, n: int) -> None: ...
def check_prices(prices: _Array) -> None: ...
def cluster_distance(cov: _Array, distance: str) -> _Array: ...
def deflated_sharpe_ratio(sharpe: float, n: int, skewness: float, kurtosis: float, trial_sharpes: _Array) -> float: ...
def discrete_allocation(weights: _Array, prices: _Array, total_value: float, lot_sizes: list[int], time_limit: float) -> DiscreteAllocation: ...
def engle_granger(y: _Array, x: _Array, maxlag: int) -> CointegrationResult: ...
def equal_weight(n: int) -> _Array: ...
def estimate_covariance(returns: _Array, options: CovarianceOptions) -> CovarianceResult: ...
def estimate_expected_returns(returns: _Array, options: ExpectedReturnsOptions, market: _Array) -> ExpectedReturnsResult: ...
def evaluate_portfolio(weights: _Array, expected_returns: _Array, cov: _Array, risk_free: float, method: str) -> PortfolioResult: ...
def expected_maximum_sharpe(variance: float, n_trials: int) -> float: ...
def hierarchical_clustering(distance: _Array, linkage: str) -> tuple[_Array, list[int]]: ...
def hierarchical_equal_risk_contribution(cov: _Array, expected_returns: _Array, options: HierarchicalOptions) -> HierarchicalResult: ...
def hierarchical_risk_parity(cov: _Array, expected_returns: _Array, options: HierarchicalOptions) -> HierarchicalResult: ...
def inverse_volatility(cov: _Array) -> _Array: ...
def load_profile_table(path: str) -> RiskProfileTable: ...
def mackinnon_p_value(statistic: float, n_variables: int) -> float: ...
def market_implied_risk_aversion(market_returns: _Array, risk_free: float, periods_per_year: float) -> float: ...
def min_cvar(scenarios: _Array, options: CvarOptions) -> CvarResult: ...
def nearest_psd(matrix: _Array, options: NearestPsdOptions) -> NearestPsdResult: ...
def performance_stats(returns: _Array, options: PerformanceOptions, turnover: _Array) -> PerformanceStats: ...
def probabilistic_sharpe_ratio(sharpe: float, benchmark: float, n: int, skewness: float, kurtosis: float) -> float: ...
def risk_budgeting(cov: _Array, expected_returns: _Array, options: RiskBudgetOptions) -> PortfolioResult: ...
def run_backtest(prices: _Array, spec: StrategySpec, options: BacktestOptions, stats: PerformanceOptions) -> BacktestResult: ...
def run_backtest_callback(prices: _Array, target: function, warmup: int, name: str, options: BacktestOptions, stats: PerformanceOptions) -> BacktestResult: ...
def run_backtest_grid(prices: _Array, specs: list[StrategySpec], options: BacktestOptions, stats: PerformanceOptions, progress: Any) -> list[BacktestResult]: ...
def save_profile_table(path: str, table: RiskProfileTable) -> None: ...
def select_pairs(prices: _Array, t: int, formation: int, max_pairs: int, max_p_value: float) -> list[SelectedPair]: ...
def solve_qp(hessian: _Array, loadings: _Array, factor_covariance: _Array, specific: _Array, linear: _Array, equality_matrix: _Array, equality_rhs: _Array, inequality_matrix: _Array, inequality_lower: _Array, inequality_upper: _Array, lower: _Array, upper: _Array, variable_names: list[str], equality_names: list[str], inequality_names: list[str], options: QpOptions, start: _Array) -> QpResult: ...
def validate_strategy(spec: StrategySpec) -> None: ...
