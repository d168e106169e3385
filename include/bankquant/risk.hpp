// bankquant/risk.hpp — market risk: volatility models, VaR and ES, Monte Carlo, backtests.
#pragma once

#include "bankquant/core/errors.hpp"
#include "bankquant/risk/backtest.hpp"
#include "bankquant/risk/delta_gamma.hpp"
#include "bankquant/risk/monte_carlo.hpp"
#include "bankquant/risk/pricing.hpp"
#include "bankquant/risk/revaluation.hpp"
#include "bankquant/risk/var.hpp"
#include "bankquant/risk/volatility.hpp"
