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

/// Implied volatility. The price is turned into the normalised out-of-the-money price b of
/// forward and strike (an in-the-money quote by put-call parity), b = e^(x/2) N(x/s + s/2) -
/// e^(-x/2) N(x/s - s/2) with x = ln(F/K) <= 0 and s = sigma sqrt(T), evaluated as
/// phi(x/s) e^(-s^2/8) (Y(x/s + s/2) - Y(x/s - s/2)), Y = N / phi through the scaled
/// complementary error function, so that prices down to 1e-300 keep their relative accuracy
/// (Jäckel, "Let's be rational", 2015, uses the same form). Newton's method on ln b (whose slope
/// is 1 / (Y(h + t) - Y(h - t))) inside a bracket that doubles until it holds the price, so there
/// is no cap on sigma; stops at a relative price error of `tolerance`.
enum class ImpliedVolatilityStatus { found, not_converged };
BANKQUANT_ENUM_NAMES(ImpliedVolatilityStatus, {found, "found"}, {not_converged, "not_converged"})

struct ImpliedVolatilityOptions {
  double tolerance = 1e-12;   ///< relative price error
  int max_iterations = 100;
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("tolerance", &ImpliedVolatilityOptions::tolerance,
                            "stop at this relative error of the price (1e-12)"),
                      field("max_iterations", &ImpliedVolatilityOptions::max_iterations,
                            "Newton and bisection steps (the bracket search included)")};
  }
};

struct ImpliedVolatilityResult {
  std::vector<double> volatility;                 ///< NaN where not found
  std::vector<ImpliedVolatilityStatus> status;
  std::size_t not_found = 0;

  static constexpr auto fields() {
    return std::tuple{field("volatility", &ImpliedVolatilityResult::volatility, "per option; NaN where not found"),
                      field("status", &ImpliedVolatilityResult::status, "'found' or 'not_converged' per option"),
                      field("not_found", &ImpliedVolatilityResult::not_found, "options without a volatility")};
  }
};

/// The volatility that reproduces `price`; throws InvalidArgument for a price outside the
/// no-arbitrage bounds and ConvergenceError when no volatility reproduces it to the tolerance
/// (a price indistinguishable from its bound in double precision).
[[nodiscard]] BANKQUANT_EXPORT double implied_volatility(OptionType type, double price, double spot, double strike,
                                                         double expiry, double rate, double dividend_yield,
                                                         const ImpliedVolatilityOptions& options = {});

/// Implied volatilities of n options (every span of length n), in parallel; a price outside its
/// no-arbitrage bounds is an InvalidArgument naming the option, one not found is NaN with status.
[[nodiscard]] BANKQUANT_EXPORT ImpliedVolatilityResult implied_volatility_many(
    std::span<const OptionType> type, std::span<const double> price, std::span<const double> spot,
    std::span<const double> strike, std::span<const double> expiry, std::span<const double> rate,
    std::span<const double> dividend_yield, const ImpliedVolatilityOptions& options = {});

}  // namespace bankquant::risk::pricing
