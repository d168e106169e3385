#include "bankquant/risk/pricing/black_scholes.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"

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

GreeksTable black_scholes_many(std::span<const OptionType> type, std::span<const double> spot,
                               std::span<const double> strike, std::span<const double> expiry,
                               std::span<const double> rate, std::span<const double> dividend_yield,
                               std::span<const double> volatility) {
  const std::size_t n = type.size();
  for (auto [name, size] : {std::pair{"spot", spot.size()}, {"strike", strike.size()}, {"expiry", expiry.size()},
                            {"rate", rate.size()}, {"dividend_yield", dividend_yield.size()},
                            {"volatility", volatility.size()}}) {
    check::same_size("option_type", n, name, size);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (type[i] != OptionType::call && type[i] != OptionType::put) {
      check::fail("option_type", fmt::format("expected 'call' or 'put', found code {} at index {}",
                                             static_cast<int>(type[i]), i));
    }
  }
  GreeksTable out;
  for (auto* column : {&out.price, &out.delta, &out.gamma, &out.vega, &out.theta, &out.rho}) column->resize(n);
  // The first failing option is reported by index (each chunk notes its own; the lowest wins).
  std::vector<std::size_t> first_bad(chunk_count(n, 4096), n);
  std::vector<std::string> message(first_bad.size());
  parallel_for_chunks(n, 4096, [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      try {
        const auto g = black_scholes(type[i], spot[i], strike[i], expiry[i], rate[i], dividend_yield[i], volatility[i]);
        out.price[i] = g.price;
        out.delta[i] = g.delta;
        out.gamma[i] = g.gamma;
        out.vega[i] = g.vega;
        out.theta[i] = g.theta;
        out.rho[i] = g.rho;
      } catch (const InvalidArgument& error) {
        first_bad[c] = i;
        message[c] = error.what();
        return;
      }
    }
  });
  for (std::size_t c = 0; c < first_bad.size(); ++c) {
    if (first_bad[c] < n) throw InvalidArgument(fmt::format("{} (option {})", message[c], first_bad[c]));
  }
  return out;
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
