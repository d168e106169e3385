"""Market risk: EWMA and GARCH volatility, VaR and expected shortfall by every method, Monte Carlo,
the regulator's backtests, and the daily risk report (``report``: one self-contained HTML page).

VaR and ES are reported as positive losses.

>>> import bankquant as bq, numpy as np
>>> r = np.diff(np.log(bq.datasets.dow_jones_30()["IBM"].to_numpy()))
>>> table = bq.risk.var_es(r, [0.99, 0.975], method="historical")
"""
from ._attribution import attribution, bootstrap_var_es, portfolio_var_es
from ._book_stress import Book, stress_test
from ._backtest import (ChristoffersenResult, EsBacktestResult, TestResult, TimeBetweenFailuresResult,
                        TrafficLightResult, binomial_test, christoffersen, es_backtest, exceptions, kupiec,
                        time_between_failures, traffic_light, tuff)
from ._runner import BacktestReport, BacktestTable, Forecasts, backtest, rolling_backtest, rolling_forecasts
from ._frtb import LIQUIDITY_HORIZONS, liquidity_adjusted_es, stressed_es
from ._multiday import multi_day_var_es, simulate_paths
from ._plots import plot_pnl_distribution
from ._stress import historical_scenario, hypothetical, reverse_stress, worst_windows
from ._report import DEFAULT_METHODS as REPORT_METHODS, SECTIONS as REPORT_SECTIONS, RiskReport, report
from ._pricing import (FixedRateBond, RevaluationResult, ZeroCurve, black_scholes, full_revaluation_var_es,
                       fx_forward_rate, fx_forward_value, implied_volatility)
from ._var import (METHODS, MonteCarloResult, delta_gamma_var_es, expected_shortfall, monte_carlo_var_es, nearest_psd,
                   var, var_es, var_es_many)
from ._volatility import Garch11, GarchResult, VolatilityFit, VolatilityModel, ewma_covariance, ewma_variance

__all__ = [
    "ewma_variance", "ewma_covariance", "VolatilityModel", "VolatilityFit", "Garch11", "GarchResult",
    "var", "expected_shortfall", "var_es", "var_es_many", "delta_gamma_var_es", "monte_carlo_var_es", "MonteCarloResult", "nearest_psd", "METHODS",
    "exceptions", "kupiec", "binomial_test", "tuff", "christoffersen", "time_between_failures", "traffic_light",
    "TestResult", "ChristoffersenResult", "TimeBetweenFailuresResult", "TrafficLightResult",
    "es_backtest", "EsBacktestResult", "rolling_backtest", "BacktestReport",
    "rolling_forecasts", "Forecasts", "backtest", "BacktestTable",
    "portfolio_var_es", "attribution", "bootstrap_var_es",
    "liquidity_adjusted_es", "stressed_es", "LIQUIDITY_HORIZONS",
    "plot_pnl_distribution",
    "multi_day_var_es", "simulate_paths",
    "Book", "stress_test",
    "worst_windows", "historical_scenario", "hypothetical", "reverse_stress",
    "black_scholes", "implied_volatility", "ZeroCurve", "FixedRateBond", "fx_forward_rate", "fx_forward_value",
    "full_revaluation_var_es", "RevaluationResult",
    "report", "RiskReport", "REPORT_METHODS", "REPORT_SECTIONS",
]
