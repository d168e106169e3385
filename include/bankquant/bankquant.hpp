// bankquant/bankquant.hpp — everything. Prefer the module headers (bankquant/core.hpp, ...) in
// code that cares about build times.
#pragma once

#include "bankquant/core.hpp"
#include "bankquant/forecast.hpp"
#include "bankquant/graph.hpp"
#include "bankquant/portfolio.hpp"
#include "bankquant/risk.hpp"
#include "bankquant/scorecard.hpp"
#include "bankquant/staffing.hpp"
