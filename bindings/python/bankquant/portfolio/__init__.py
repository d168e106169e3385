"""Portfolio optimisation, the robo-advisor and strategy backtests.

Estimators with an explicit missing-data policy, a QP solver of bankquant's own (exact, with
named infeasibility), mean-variance with the constraints desks use and the exact frontier,
Black-Litterman, risk parity, HRP/HERC, minimum CVaR, a robo-advisor, and one walk-forward
backtest engine for allocation and trading strategies.

>>> import bankquant as bq
>>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
>>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"))
>>> best = mv.max_sharpe(risk_free=0.04)
>>> bool(abs(best.weights.sum() - 1) < 1e-9)
True
"""
from ._advisor import (Advice, Advisor, LotAllocation, RiskProfileTable, adviser_view, assess_risk,
                       discrete_allocation, load_profile_table, questionnaire, save_profile_table,
                       standard_profile_table)
from ._allocation import (BlackLittermanResult, CvarResult, HierarchicalResult, black_litterman, equal_weight, herc,
                          hrp, inverse_volatility, market_implied_risk_aversion, min_cvar, risk_parity, solve_qp)
from ._backtest import (BacktestResult, GridResult, Strategy, allocation_strategy, backtest, compare,
                        cross_sectional_momentum_strategy, deflated_sharpe_ratio, engle_granger, grid_backtest,
                        mean_reversion_strategy, pairs_strategy, performance, probabilistic_sharpe_ratio,
                        select_pairs, trend_strategy)
from ._common import PortfolioResult
from ._estimators import (FactorModel, PsdRepair, annualize_covariance, annualize_returns, annualize_volatility,
                          covariance, expected_returns, factor_model, nearest_psd, returns_from_prices)
from ._mean_variance import Frontier, MeanVariance
from ._plots import plot_dendrogram, plot_equity, plot_frontier, plot_risk_contributions, plot_weights

__all__ = [
    # estimators
    "returns_from_prices", "expected_returns", "covariance", "factor_model", "FactorModel", "nearest_psd",
    "PsdRepair", "annualize_returns", "annualize_volatility", "annualize_covariance",
    # optimisation
    "MeanVariance", "Frontier", "PortfolioResult", "solve_qp", "black_litterman", "BlackLittermanResult",
    "market_implied_risk_aversion", "risk_parity", "hrp", "herc", "HierarchicalResult", "inverse_volatility",
    "equal_weight", "min_cvar", "CvarResult",
    # backtests
    "backtest", "BacktestResult", "grid_backtest", "GridResult", "Strategy", "allocation_strategy", "trend_strategy",
    "cross_sectional_momentum_strategy", "mean_reversion_strategy", "pairs_strategy", "performance", "compare",
    "probabilistic_sharpe_ratio", "deflated_sharpe_ratio", "engle_granger", "select_pairs",
    # robo-advisor
    "Advisor", "Advice", "assess_risk", "questionnaire", "standard_profile_table", "save_profile_table",
    "load_profile_table", "RiskProfileTable", "adviser_view", "discrete_allocation", "LotAllocation",
    # plots
    "plot_frontier", "plot_weights", "plot_equity", "plot_risk_contributions", "plot_dendrogram",
]
