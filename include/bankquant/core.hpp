// bankquant/core.hpp — the core every module stands on: errors, argument checks, threads,
// random streams, statistics helpers, progress reports, model files and build information; the
// shared pieces of the contract (enum names, records, Status, optimize, count distributions).
#pragma once

#include "bankquant/core/check.hpp"
#include "bankquant/core/config.hpp"
#include "bankquant/core/count_distribution.hpp"
#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/model_io.hpp"
#include "bankquant/core/optimize.hpp"
#include "bankquant/core/progress.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/statistics.hpp"
#include "bankquant/core/status.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/core/version.hpp"
