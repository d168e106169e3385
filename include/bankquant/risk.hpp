// bankquant/risk.hpp — market risk: volatility models, VaR and ES, attribution, Monte Carlo,
// backtests, pricing.
#pragma once

#include "bankquant/core/errors.hpp"
#include "bankquant/risk/attribution.hpp"
#include "bankquant/risk/backtest.hpp"
#include "bankquant/risk/backtest_runner.hpp"
#include "bankquant/risk/bootstrap.hpp"
#include "bankquant/risk/delta_gamma.hpp"
#include "bankquant/risk/distributions.hpp"
#include "bankquant/risk/es_backtest.hpp"
#include "bankquant/risk/monte_carlo.hpp"
#include "bankquant/risk/pricing.hpp"
#include "bankquant/risk/revaluation.hpp"
#include "bankquant/risk/stress.hpp"
#include "bankquant/risk/tail.hpp"
#include "bankquant/risk/var.hpp"
#include "bankquant/risk/volatility.hpp"
