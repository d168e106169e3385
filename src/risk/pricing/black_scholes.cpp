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

namespace {

// erfcx(u) = exp(u^2) erfc(u), u >= 0. Below 3 directly; above, by Laplace's continued fraction
// erfcx(u) = (1 / sqrt(pi)) / (u + (1/2) / (u + 1 / (u + (3/2) / (u + 2 / (u + ...))))), evaluated
// from the 80th term up, which converges to a few ulps there; exp(u^2) erfc(u) would carry
// exp's relative error 2 u^2 eps (1e-13 at u = 25) into prices deep out of the money.
double erfcx(double u) {
  if (u < 3.0) return std::exp(u * u) * std::erfc(u);
  double tail = u;
  for (int k = 80; k >= 1; --k) tail = u + (0.5 * k) / tail;
  return 1.0 / (tail * std::sqrt(std::numbers::pi));
}

// Y(z) = N(z) / phi(z); for z > 0 from N(z) directly (no cancellation there).
double mills(double z) {
  if (z <= 0) return std::sqrt(std::numbers::pi / 2) * erfcx(-z / std::numbers::sqrt2);
  return norm_cdf(z) / norm_pdf(z);
}

// Normalised out-of-the-money call price b(x, s), x <= 0, d ln b / ds, and the cancellation
// factor (sum of the magnitudes of the two terms) / b, which bounds b's relative rounding error.
// Deep out of the money (h + t <= 0: both normal CDFs in their lower tail) by the Mills-ratio
// form; otherwise directly, where the first term dominates.
struct OtmPrice {
  double b, slope, cancellation;
};

OtmPrice normalised_otm(double x, double s) {
  const double h = x / s, t = s / 2;
  if (h + t <= 0) {
    const double up = mills(h + t), down = mills(h - t), gap = up - down;
    const double log_phi = -0.5 * (h * h + t * t) - 0.5 * std::log(2 * std::numbers::pi);
    return {std::exp(log_phi) * gap, 1.0 / gap, (up + down) / gap};
  }
  const double first = std::exp(x / 2) * norm_cdf(h + t), second = std::exp(-x / 2) * norm_cdf(h - t);
  const double b = first - second;
  return {b, std::exp(x / 2) * norm_pdf(h + t) / b, (first + second) / b};
}

struct Normalised {
  double x;       // ln(F / K) of the out-of-the-money option, <= 0
  double target;  // its normalised price
  double sqrt_t;
};

// The out-of-the-money normalised problem of one quote; throws for a price beyond its bounds.
Normalised normalise(OptionType type, double price, double S, double K, double T, double r, double q) {
  check_inputs(S, K, T, r, q, 0.2);
  check::finite("price", price);
  const double df_q = std::exp(-q * T), df_r = std::exp(-r * T);
  const double lower = type == OptionType::call ? std::max(S * df_q - K * df_r, 0.0) : std::max(K * df_r - S * df_q, 0.0);
  const double upper = type == OptionType::call ? S * df_q : K * df_r;
  // A price on a bound is a quote whose time value double precision cannot hold (no volatility
  // found, not an error); one beyond a bound is an arbitrage.
  if (!(price >= lower && price <= upper)) {
    check::fail("price", fmt::format("expected a price within the no-arbitrage bounds {:.6g} and {:.6g}, "
                                     "got {:.6g}",
                                     lower, upper, price));
  }
  const double F = S * df_q / df_r, x = std::log(F / K);
  // undiscounted, per sqrt(F K); the in-the-money side becomes out of the money by parity
  const double forward_price = price / df_r / std::sqrt(F * K);
  const bool call = type == OptionType::call;
  const double intrinsic = call ? std::max(std::exp(x / 2) - std::exp(-x / 2), 0.0)
                                : std::max(std::exp(-x / 2) - std::exp(x / 2), 0.0);
  double otm = forward_price - intrinsic;
  // a time value within the rounding of the in-the-money price is no time value at all
  if (intrinsic > 0 && otm <= 8 * std::numeric_limits<double>::epsilon() * forward_price) otm = 0;
  // a call with x > 0 is a put with -x, and the put of ln(F/K) = x is the call of -x
  const double xs = call ? (x > 0 ? -x : x) : (x < 0 ? x : -x);
  return {xs, otm, std::sqrt(T)};
}

std::pair<double, ImpliedVolatilityStatus> solve(const Normalised& p, const ImpliedVolatilityOptions& o) {
  const double log_target = std::log(p.target);
  const double bound = std::exp(p.x / 2);  // b -> e^(x/2) as s -> infinity
  if (!(p.target > 0) || p.target >= bound * (1 - 1e-15)) {
    return {std::numeric_limits<double>::quiet_NaN(), ImpliedVolatilityStatus::not_converged};
  }
  // Bracket [lo, hi] with b(lo) < target <= b(hi): double hi from a moderate s.
  double lo = 0.0, hi = std::max(1.0, 2 * std::abs(p.x));
  int it = 0;
  while (normalised_otm(p.x, hi).b < p.target) {
    lo = hi;
    hi *= 2;
    if (++it >= o.max_iterations || !std::isfinite(hi)) return {std::numeric_limits<double>::quiet_NaN(), ImpliedVolatilityStatus::not_converged};
  }
  // Newton on ln b from the upper end (ln b is concave in s for an out-of-the-money option, so
  // steps from above overshoot less); bisection whenever a step leaves the bracket. Done when
  // the price is matched to `tolerance`, or to what double precision can resolve there: the
  // rounding of b (its cancellation factor) and of s (one ulp moves ln b by s d ln b / ds).
  constexpr double eps = std::numeric_limits<double>::epsilon();
  double s = hi;
  for (; it < o.max_iterations; ++it) {
    const OtmPrice v = normalised_otm(p.x, s);
    const double f = std::log(v.b) - log_target;
    const double resolvable = 8 * eps * (1 + v.cancellation + s * v.slope);
    if (std::abs(v.b - p.target) <= std::max(o.tolerance, resolvable) * p.target) {
      return {s / p.sqrt_t, ImpliedVolatilityStatus::found};
    }
    (f > 0 ? hi : lo) = s;
    const double next = s - f / v.slope;
    s = (next > lo && next < hi) ? next : 0.5 * (lo + hi);
    if (hi - lo <= 4 * eps * hi) break;
  }
  return {std::numeric_limits<double>::quiet_NaN(), ImpliedVolatilityStatus::not_converged};
}

}  // namespace

void ImpliedVolatilityOptions::validate() const {
  if (!(tolerance > 0 && tolerance < 1)) check::fail("tolerance", fmt::format("expected a value in (0, 1), got {}", tolerance));
  check::integer_at_least("max_iterations", max_iterations, 1);
}

double implied_volatility(OptionType type, double price, double S, double K, double T, double r, double q,
                          const ImpliedVolatilityOptions& o) {
  o.validate();
  const auto [vol, status] = solve(normalise(type, price, S, K, T, r, q), o);
  if (status != ImpliedVolatilityStatus::found) {
    throw ConvergenceError(fmt::format("no volatility reproduces the price {:.17g} to a relative {:g} (the price is "
                                       "indistinguishable from its bound in double precision)",
                                       price, o.tolerance));
  }
  return vol;
}

ImpliedVolatilityResult implied_volatility_many(std::span<const OptionType> type, std::span<const double> price,
                                                std::span<const double> spot, std::span<const double> strike,
                                                std::span<const double> expiry, std::span<const double> rate,
                                                std::span<const double> dividend_yield,
                                                const ImpliedVolatilityOptions& o) {
  o.validate();
  const std::size_t n = type.size();
  for (auto [name, size] : {std::pair{"price", price.size()}, {"spot", spot.size()}, {"strike", strike.size()},
                            {"expiry", expiry.size()}, {"rate", rate.size()}, {"dividend_yield", dividend_yield.size()}}) {
    check::same_size("option_type", n, name, size);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (type[i] != OptionType::call && type[i] != OptionType::put) {
      check::fail("option_type", fmt::format("expected 'call' or 'put', found code {} at index {}",
                                             static_cast<int>(type[i]), i));
    }
  }
  ImpliedVolatilityResult out;
  out.volatility.resize(n);
  out.status.resize(n);
  std::vector<std::size_t> first_bad(chunk_count(n, 1024), n);
  std::vector<std::string> message(first_bad.size());
  parallel_for_chunks(n, 1024, [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      try {
        const auto [vol, status] = solve(normalise(type[i], price[i], spot[i], strike[i], expiry[i], rate[i],
                                                   dividend_yield[i]), o);
        out.volatility[i] = vol;
        out.status[i] = status;
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
  for (auto st : out.status) out.not_found += st == ImpliedVolatilityStatus::found ? 0 : 1;
  return out;
}

}  // namespace bankquant::risk::pricing
