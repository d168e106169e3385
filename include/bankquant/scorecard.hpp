// bankquant/scorecard.hpp — credit scorecards: binning, WoE/IV, logistic model, points,
// discrimination metrics, stability monitoring.
#pragma once

#include "bankquant/core/errors.hpp"  // what the scorecard functions throw

#include "bankquant/scorecard/binning.hpp"
#include "bankquant/scorecard/logistic.hpp"
#include "bankquant/scorecard/metrics.hpp"
#include "bankquant/scorecard/monitoring.hpp"
#include "bankquant/scorecard/scorecard.hpp"
#include "bankquant/scorecard/woe.hpp"
