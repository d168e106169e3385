// bankquant/staffing.hpp — staffing from forecasts: Erlang queues, staff requirements, rosters and
// the simulator that checks them. Consumes forecasts as core's CountDistribution (no dependency on
// the forecast module's types).
#pragma once

#include "bankquant/core/errors.hpp"
#include "bankquant/staffing/erlang.hpp"
#include "bankquant/staffing/pooling.hpp"
#include "bankquant/staffing/required_servers.hpp"
#include "bankquant/staffing/requirements.hpp"
#include "bankquant/staffing/roster.hpp"
#include "bankquant/staffing/simulation.hpp"
