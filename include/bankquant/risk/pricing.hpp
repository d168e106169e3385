// bankquant/risk/pricing.hpp — the pricing engine for full revaluation and product pricing.
#pragma once

#include "bankquant/risk/pricing/black_scholes.hpp"
#include "bankquant/risk/pricing/bond.hpp"
#include "bankquant/risk/pricing/curve.hpp"
