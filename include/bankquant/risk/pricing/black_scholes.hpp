// bankquant/risk/pricing/black_scholes.hpp — European options (Black–Scholes–Merton).
//
// Price and Greeks of a European call or put on an asset with continuous dividend (or foreign
// rate) yield q: Black and Scholes (1973), Merton (1973); formulas as in Hull, Options, Futures
// and Other Derivatives, ch. 15 and 19. Conventions: rates and vol per year, continuously
// compounded; theta per year (divide by 365 for a calendar day); vega and rho per unit (1.00 =
// 100 percentage points; divide by 100 for "per 1%").
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"

#include "bankquant/export.hpp"

namespace bankquant::risk::pricing {

/// One byte, so a numpy uint8 array of 0 (call) / 1 (put) is a span of OptionType without a copy.
enum class OptionType : std::uint8_t { call = 0, put = 1 };
BANKQUANT_ENUM_NAMES(OptionType, {call, "call"}, {put, "put"})

struct OptionGreeks {
  double price = 0, delta = 0, gamma = 0, vega = 0, theta = 0, rho = 0;

  static constexpr auto fields() {
    return std::tuple{field("price", &OptionGreeks::price, "option value"),
                      field("delta", &OptionGreeks::delta, "d price / d spot"),
                      field("gamma", &OptionGreeks::gamma, "d delta / d spot"),
                      field("vega", &OptionGreeks::vega, "d price / d volatility (per unit)"),
                      field("theta", &OptionGreeks::theta, "d price / d time, per year (negative: decay)"),
                      field("rho", &OptionGreeks::rho, "d price / d rate (per unit)")};
  }
};

/// Prices and Greeks of many options, one entry per option.
struct GreeksTable {
  std::vector<double> price, delta, gamma, vega, theta, rho;

  static constexpr auto fields() {
    return std::tuple{field("price", &GreeksTable::price, "option values"),
                      field("delta", &GreeksTable::delta, "d price / d spot"),
                      field("gamma", &GreeksTable::gamma, "d delta / d spot"),
                      field("vega", &GreeksTable::vega, "d price / d volatility (per unit)"),
                      field("theta", &GreeksTable::theta, "d price / d time, per year"),
                      field("rho", &GreeksTable::rho, "d price / d rate (per unit)")};
  }
};

/// Price and Greeks; spot, strike, expiry and vol > 0 (throws InvalidArgument otherwise).
[[nodiscard]] BANKQUANT_EXPORT OptionGreeks black_scholes(OptionType type, double spot, double strike, double expiry,
                                                          double rate, double dividend_yield, double volatility);

/// Price only (the hot path of full revaluation).
[[nodiscard]] BANKQUANT_EXPORT double black_scholes_price(OptionType type, double spot, double strike, double expiry,
                                                          double rate, double dividend_yield, double volatility);

/// Prices and Greeks of n options (every span of length n), in parallel; throws InvalidArgument
/// naming the argument and the option for a bad input.
[[nodiscard]] BANKQUANT_EXPORT GreeksTable black_scholes_many(std::span<const OptionType> type,
                                                              std::span<const double> spot,
                                                              std::span<const double> strike,
                                                              std::span<const double> expiry,
                                                              std::span<const double> rate,
                                                              std::span<const double> dividend_yield,
                                                              std::span<const double> volatility);

/// The volatility that reproduces `price` (Newton's method safeguarded by bisection on [1e-6, 5]);
/// throws InvalidArgument for a price outside the no-arbitrage bounds.
[[nodiscard]] BANKQUANT_EXPORT double implied_volatility(OptionType type, double price, double spot, double strike,
                                                         double expiry, double rate, double dividend_yield);

}  // namespace bankquant::risk::pricing
