"""Customer-flow forecasting: ETS, ARIMA, MSTL, Theta, baselines and intermittent-demand models
for many series at once, with calibrated and count-aware (whole-customer) intervals, rolling-origin
cross-validation and accuracy measures.

>>> import bankquant as bq, pandas as pd
>>> bikes = bq.datasets.bike_sharing_hourly()
>>> df = pd.DataFrame({"unique_id": "bikes", "ds": bikes["timestamp"], "y": bikes["cnt"]}).tail(24 * 21)
>>> fc = bq.forecast.forecast(df, models=["snaive", "theta"], h=24, level=[95], season_length=24)
>>> fc.attrs["count"]          # integer data: Poisson / negative-binomial intervals and sizes
True
"""
from ._ets import ETS, ForecastResult
from ._frame import MODELS, cross_validation, evaluate, forecast
from ._metrics import coverage, fourier_terms, mae, mase, pinball_loss, rmse, smape, winkler_score

__all__ = ["ETS", "ForecastResult", "MODELS", "forecast", "cross_validation", "evaluate", "fourier_terms",
           "mae", "rmse", "smape", "mase", "coverage", "winkler_score", "pinball_loss"]
