// bankquant/risk/pricing/black_scholes.hpp — European options (Black–Scholes–Merton).
//
// Price and Greeks of a European call or put on an asset with continuous dividend (or foreign
// rate) yield q: Black and Scholes (1973), Merton (1973); formulas as in Hull, Options, Futures
// and Other Derivatives, ch. 15 and 19. Conventions: rates and vol per year, continuously
// compounded; theta per year (divide by 365 for a calendar day); vega and rho per unit (1.00 =
// 100 percentage points; divide by 100 for "per 1%").
#pragma once

#include <string_view>

#include "bankquant/export.hpp"

namespace bankquant::risk::pricing {

enum class OptionType { call, put };

[[nodiscard]] BANKQUANT_EXPORT OptionType option_type_from_string(std::string_view s);

struct OptionGreeks {
  double price = 0, delta = 0, gamma = 0, vega = 0, theta = 0, rho = 0;
};

/// Price and Greeks; spot, strike, expiry and vol > 0 (throws InvalidArgument otherwise).
[[nodiscard]] BANKQUANT_EXPORT OptionGreeks black_scholes(OptionType type, double spot, double strike, double expiry,
                                                          double rate, double dividend_yield, double volatility);

/// Price only (the hot path of full revaluation).
[[nodiscard]] BANKQUANT_EXPORT double black_scholes_price(OptionType type, double spot, double strike, double expiry,
                                                          double rate, double dividend_yield, double volatility);

/// The volatility that reproduces `price` (Newton's method safeguarded by bisection on [1e-6, 5]);
/// throws InvalidArgument for a price outside the no-arbitrage bounds.
[[nodiscard]] BANKQUANT_EXPORT double implied_volatility(OptionType type, double price, double spot, double strike,
                                                         double expiry, double rate, double dividend_yield);

}  // namespace bankquant::risk::pricing
