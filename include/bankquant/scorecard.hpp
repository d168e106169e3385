// bankquant/scorecard.hpp — credit scorecards: binning (binary and continuous targets), bin
// editing, WoE/IV, selection, logistic model, points, reasons and counterfactuals, discrimination
// metrics, stability and performance monitoring, decision strategy, reject inference.
#pragma once

#include "bankquant/core/errors.hpp"  // what the scorecard functions throw

#include "bankquant/scorecard/bin_editing.hpp"
#include "bankquant/scorecard/binning.hpp"
#include "bankquant/scorecard/binning_process.hpp"
#include "bankquant/scorecard/column.hpp"
#include "bankquant/scorecard/logistic.hpp"
#include "bankquant/scorecard/metrics.hpp"
#include "bankquant/scorecard/monitoring.hpp"
#include "bankquant/scorecard/reject_inference.hpp"
#include "bankquant/scorecard/scorecard.hpp"
#include "bankquant/scorecard/selection.hpp"
#include "bankquant/scorecard/strategy.hpp"
#include "bankquant/scorecard/woe.hpp"
