// bankquant/forecast.hpp — customer-flow forecasting: ETS, ARIMA, Theta, baselines, decompositions,
// count models, intermittent demand, many-series forecasts, evaluation and reconciliation.
#pragma once

#include "bankquant/core/errors.hpp"
#include "bankquant/forecast/accuracy.hpp"
#include "bankquant/forecast/arima.hpp"
#include "bankquant/forecast/baselines.hpp"
#include "bankquant/forecast/decomposition.hpp"
#include "bankquant/forecast/ets.hpp"
#include "bankquant/forecast/fourier.hpp"
#include "bankquant/forecast/intermittent.hpp"
#include "bankquant/forecast/panel.hpp"
#include "bankquant/forecast/prediction.hpp"
#include "bankquant/forecast/theta.hpp"
#include "bankquant/forecast/transform.hpp"
