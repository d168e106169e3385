"""Market risk: EWMA and GARCH volatility, VaR and expected shortfall by every method, Monte Carlo,
and the regulator's backtests.

VaR and ES are reported as positive losses.

>>> import bankquant as bq, numpy as np
>>> r = np.diff(np.log(bq.datasets.dow_jones_30()["IBM"].to_numpy()))
>>> table = bq.risk.var_es(r, [0.99, 0.975], method="historical")
"""
from ._backtest import (ChristoffersenResult, TestResult, TrafficLightResult, binomial_test, christoffersen,
                        exceptions, kupiec, traffic_light, tuff)
from ._var import METHODS, MonteCarloResult, expected_shortfall, monte_carlo_var_es, nearest_psd, var, var_es
from ._volatility import Garch11, GarchResult, ewma_covariance, ewma_variance

__all__ = [
    "ewma_variance", "ewma_covariance", "Garch11", "GarchResult",
    "var", "expected_shortfall", "var_es", "monte_carlo_var_es", "MonteCarloResult", "nearest_psd", "METHODS",
    "exceptions", "kupiec", "binomial_test", "tuff", "christoffersen", "traffic_light",
    "TestResult", "ChristoffersenResult", "TrafficLightResult",
]
