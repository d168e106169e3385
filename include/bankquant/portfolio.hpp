// bankquant/portfolio.hpp — portfolio optimisation, the robo-advisor and strategy backtests:
// estimators, a QP solver of our own, allocation methods, walk-forward backtests.
#pragma once

#include "bankquant/core/errors.hpp"
#include "bankquant/portfolio/advisor.hpp"
#include "bankquant/portfolio/backtest.hpp"
#include "bankquant/portfolio/black_litterman.hpp"
#include "bankquant/portfolio/clustering.hpp"
#include "bankquant/portfolio/cointegration.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/portfolio/cvar.hpp"
#include "bankquant/portfolio/expected_returns.hpp"
#include "bankquant/portfolio/hrp.hpp"
#include "bankquant/portfolio/lp.hpp"
#include "bankquant/portfolio/mean_variance.hpp"
#include "bankquant/portfolio/naive.hpp"
#include "bankquant/portfolio/performance.hpp"
#include "bankquant/portfolio/qp.hpp"
#include "bankquant/portfolio/risk_parity.hpp"
#include "bankquant/portfolio/strategies.hpp"
