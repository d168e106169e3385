#include "bankquant/risk/pricing/black_scholes.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::risk::pricing {
namespace {

double norm_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double norm_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi); }

void check_inputs(double spot, double strike, double expiry, double rate, double q, double vol) {
  check::positive("spot", spot);
  check::positive("strike", strike);
  check::positive("expiry", expiry);
  check::positive("volatility", vol);
  for (auto [name, v] : {std::pair{"spot", spot}, {"strike", strike}, {"expiry", expiry}, {"rate", rate},
                         {"dividend_yield", q}, {"volatility", vol}}) {
    check::finite(name, v);
  }
}

}  // namespace

OptionType option_type_from_string(std::string_view s) {
  if (s == "call") return OptionType::call;
  if (s == "put") return OptionType::put;
  check::fail("option_type", fmt::format("expected 'call' or 'put', got '{}'", s));
}

double black_scholes_price(OptionType type, double S, double K, double T, double r, double q, double vol) {
  check_inputs(S, K, T, r, q, vol);
  const double st = vol * std::sqrt(T);
  const double d1 = (std::log(S / K) + (r - q + 0.5 * vol * vol) * T) / st, d2 = d1 - st;
  const double df_q = std::exp(-q * T), df_r = std::exp(-r * T);
  return type == OptionType::call ? S * df_q * norm_cdf(d1) - K * df_r * norm_cdf(d2)
                                  : K * df_r * norm_cdf(-d2) - S * df_q * norm_cdf(-d1);
}

OptionGreeks black_scholes(OptionType type, double S, double K, double T, double r, double q, double vol) {
  check_inputs(S, K, T, r, q, vol);
  const double sqt = std::sqrt(T), st = vol * sqt;
  const double d1 = (std::log(S / K) + (r - q + 0.5 * vol * vol) * T) / st, d2 = d1 - st;
  const double df_q = std::exp(-q * T), df_r = std::exp(-r * T);
  OptionGreeks g;
  g.gamma = df_q * norm_pdf(d1) / (S * st);
  g.vega = S * df_q * norm_pdf(d1) * sqt;
  const double decay = -S * df_q * norm_pdf(d1) * vol / (2 * sqt);
  if (type == OptionType::call) {
    g.price = S * df_q * norm_cdf(d1) - K * df_r * norm_cdf(d2);
    g.delta = df_q * norm_cdf(d1);
    g.theta = decay - r * K * df_r * norm_cdf(d2) + q * S * df_q * norm_cdf(d1);
    g.rho = K * T * df_r * norm_cdf(d2);
  } else {
    g.price = K * df_r * norm_cdf(-d2) - S * df_q * norm_cdf(-d1);
    g.delta = -df_q * norm_cdf(-d1);
    g.theta = decay + r * K * df_r * norm_cdf(-d2) - q * S * df_q * norm_cdf(-d1);
    g.rho = -K * T * df_r * norm_cdf(-d2);
  }
  return g;
}

double implied_volatility(OptionType type, double price, double S, double K, double T, double r, double q) {
  check_inputs(S, K, T, r, q, 0.2);
  check::finite("price", price);
  const double df_q = std::exp(-q * T), df_r = std::exp(-r * T);
  const double lower = type == OptionType::call ? std::max(S * df_q - K * df_r, 0.0) : std::max(K * df_r - S * df_q, 0.0);
  const double upper = type == OptionType::call ? S * df_q : K * df_r;
  if (!(price > lower && price < upper)) {
    check::fail("price", fmt::format("expected a price strictly between the no-arbitrage bounds {:.6g} and {:.6g}, "
                                     "got {:.6g}",
                                     lower, upper, price));
  }
  double lo = 1e-6, hi = 5.0, vol = 0.2;
  for (int it = 0; it < 200; ++it) {
    const OptionGreeks g = black_scholes(type, S, K, T, r, q, vol);
    const double diff = g.price - price;
    if (std::abs(diff) < 1e-12 * std::max(1.0, price)) return vol;
    (diff > 0 ? hi : lo) = vol;
    const double newton = vol - diff / g.vega;
    vol = (g.vega > 1e-12 && newton > lo && newton < hi) ? newton : 0.5 * (lo + hi);
    if (hi - lo < 1e-15) break;
  }
  return vol;
}

}  // namespace bankquant::risk::pricing
