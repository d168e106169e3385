// Reference values from Hull, Options, Futures and Other Derivatives (8th ed.): example 15.6,
// the Greeks examples of ch. 19, the bond examples of sec. 4.4, Table 4.6 and the bootstrap of
// Tables 4.3-4.4.
#include "bankquant/risk/pricing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/risk/pricing/black_scholes.hpp"
#include "bankquant/risk/pricing/bond.hpp"
#include "bankquant/risk/pricing/curve.hpp"
#include "../with_threads.hpp"

namespace bq = bankquant;
using namespace bankquant::risk::pricing;

TEST(BlackScholes, HullExamples) {
  // Example 15.6: S 42, K 40, r 10%, sigma 20%, T 0.5: call 4.76, put 0.81.
  EXPECT_NEAR(black_scholes_price(OptionType::call, 42, 40, 0.5, 0.10, 0.0, 0.20), 4.7594, 5e-5);
  EXPECT_NEAR(black_scholes_price(OptionType::put, 42, 40, 0.5, 0.10, 0.0, 0.20), 0.8086, 5e-5);
  // Ch. 19: S 49, K 50, r 5%, sigma 20%, T 20 weeks: price 2.40, delta 0.522, gamma 0.066,
  // vega 12.1, theta -4.31 a year, rho 8.91.
  const auto g = black_scholes(OptionType::call, 49, 50, 20.0 / 52, 0.05, 0.0, 0.20);
  EXPECT_NEAR(g.price, 2.40, 5e-3);
  EXPECT_NEAR(g.delta, 0.522, 5e-4);
  EXPECT_NEAR(g.gamma, 0.066, 5e-4);
  EXPECT_NEAR(g.vega, 12.1, 0.05);
  EXPECT_NEAR(g.theta, -4.31, 5e-3);
  EXPECT_NEAR(g.rho, 8.91, 5e-3);
}

TEST(BlackScholes, ParityGreeksByFiniteDifferencesAndImpliedVol) {
  const double S = 100, K = 95, T = 0.75, r = 0.03, q = 0.01, v = 0.25;
  const auto c = black_scholes(OptionType::call, S, K, T, r, q, v);
  const auto p = black_scholes(OptionType::put, S, K, T, r, q, v);
  EXPECT_NEAR(c.price - p.price, S * std::exp(-q * T) - K * std::exp(-r * T), 1e-12);  // put-call parity
  for (auto type : {OptionType::call, OptionType::put}) {
    const auto g = black_scholes(type, S, K, T, r, q, v);
    auto price = [&](double s, double t, double rr, double vol) { return black_scholes_price(type, s, K, t, rr, q, vol); };
    const double h = 1e-4;
    EXPECT_NEAR(g.delta, (price(S + h, T, r, v) - price(S - h, T, r, v)) / (2 * h), 1e-7);
    EXPECT_NEAR(g.gamma, (price(S + 0.01, T, r, v) - 2 * g.price + price(S - 0.01, T, r, v)) / 1e-4, 1e-5);
    EXPECT_NEAR(g.vega, (price(S, T, r, v + h) - price(S, T, r, v - h)) / (2 * h), 1e-6);
    EXPECT_NEAR(g.rho, (price(S, T, r + h, v) - price(S, T, r - h, v)) / (2 * h), 1e-6);
    EXPECT_NEAR(g.theta, -(price(S, T + h, r, v) - price(S, T - h, r, v)) / (2 * h), 1e-6);
    EXPECT_NEAR(implied_volatility(type, g.price, S, K, T, r, q), v, 1e-10);
  }
  EXPECT_THROW((void)implied_volatility(OptionType::call, 200.0, S, K, T, r, q), bq::InvalidArgument);
  EXPECT_THROW((void)black_scholes_price(OptionType::call, -1, K, T, r, q, v), bq::InvalidArgument);
  EXPECT_THROW((void)black_scholes_price(OptionType::call, S, K, T, r, q, 0.0), bq::InvalidArgument);
  EXPECT_THROW((void)bq::enum_from_name<OptionType>("straddle", "option_type"), bq::InvalidArgument);
  EXPECT_EQ(bq::enum_name(OptionType::put), "put");
}

// Issue 14 defect 1: no cap on sigma and a relative price tolerance, so very high volatilities and
// prices of 1e-13 and below are solved; the answer reprices the quote to 1e-10 relative.
TEST(ImpliedVolatility, UncappedRelativeToleranceAndArrays) {
  for (double v : {0.05, 0.2, 1.5, 5.5, 8.0, 20.0}) {
    for (auto type : {OptionType::call, OptionType::put}) {
      const double p = black_scholes_price(type, 100, 90, 0.5, 0.01, 0.0, v);
      const double vol = implied_volatility(type, p, 100, 90, 0.5, 0.01, 0.0);
      EXPECT_NEAR(black_scholes_price(type, 100, 90, 0.5, 0.01, 0.0, vol) / p, 1.0, 1e-12) << v;
      // at sigma 20 the price is within 1e-12 of its bound: the volatility is not resolvable there
      if (v <= 8) {
        EXPECT_NEAR(vol / v, 1.0, 1e-8) << v;
      }
    }
  }
  for (double price : {1e-13, 1e-50, 1e-200}) {
    const double vol = implied_volatility(OptionType::call, price, 100, 150, 0.05, 0.0, 0.0);
    EXPECT_NEAR(black_scholes_price(OptionType::call, 100, 150, 0.05, 0.0, 0.0, vol) / price, 1.0, 1e-10) << price;
  }
  // a price indistinguishable from its upper bound (S e^{-qT}) in double precision: no answer
  EXPECT_THROW((void)implied_volatility(OptionType::call, std::nextafter(100.0, 0.0), 100, 100, 1, 0.0, 0.0),
               bq::ConvergenceError);
  EXPECT_THROW((void)implied_volatility(OptionType::call, 1.0, 100, 100, 1, 0.0, 0.0, {.tolerance = 0.0}),
               bq::InvalidArgument);
  std::vector<OptionType> types;
  std::vector<double> price, S, K, T, r, q, v;
  for (int i = 0; i < 3000; ++i) {
    types.push_back(i % 2 ? OptionType::put : OptionType::call);
    S.push_back(100), K.push_back(60 + (i % 81)), T.push_back(0.05 + (i % 17) * 0.2), r.push_back(0.02);
    q.push_back(0.01), v.push_back(0.05 + (i % 29) * 0.1);
    price.push_back(black_scholes_price(types.back(), S.back(), K.back(), T.back(), r.back(), q.back(), v.back()));
  }
  auto run = [&] { return implied_volatility_many(types, price, S, K, T, r, q); };
  const auto one = bq::testing::with_threads(1, run), two = bq::testing::with_threads(2, run);
  ASSERT_EQ(one.volatility.size(), two.volatility.size());  // bit for bit on any thread count (NaN too)
  EXPECT_EQ(std::memcmp(one.volatility.data(), two.volatility.data(), one.volatility.size() * sizeof(double)), 0);
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (one.status[i] == ImpliedVolatilityStatus::found) {
      EXPECT_NEAR(black_scholes_price(types[i], S[i], K[i], T[i], r[i], q[i], one.volatility[i]) / price[i], 1.0, 1e-9);
    } else {
      EXPECT_TRUE(std::isnan(one.volatility[i]));
    }
  }
  EXPECT_LT(one.not_found, v.size() / 100);
  const auto at_bound = implied_volatility_many(std::vector{OptionType::call}, std::vector{40.0}, std::vector{100.0},
                                                std::vector{60.0}, std::vector{0.01}, std::vector{0.0},
                                                std::vector{0.0});  // the intrinsic value: no time value
  EXPECT_EQ(at_bound.not_found, 1u);
  EXPECT_TRUE(std::isnan(at_bound.volatility[0]));
  price[5] = -1.0;
  EXPECT_THROW((void)run(), bq::InvalidArgument);
}

TEST(Bonds, HullSection44AndTable46) {
  // 2-year 6% semiannual bond; zero rates 5.0, 5.8, 6.4, 6.8%: price 98.39; yield 6.76%.
  const FixedRateBond two{100, 0.06, 2.0, 2};
  const ZeroCurve curve({0.5, 1.0, 1.5, 2.0}, {0.050, 0.058, 0.064, 0.068});
  EXPECT_NEAR(bond_price(two, curve), 98.39, 5e-3);
  EXPECT_NEAR(bond_yield(two, bond_price(two, curve)), 0.0676, 5e-5);
  // Table 4.6: 3-year 10% semiannual bond at a 12% yield: price 94.213, duration 2.653 years.
  const FixedRateBond three{100, 0.10, 3.0, 2};
  const auto a = bond_analytics(three, 0.12);
  EXPECT_NEAR(a.price, 94.213, 5e-4);
  EXPECT_NEAR(a.duration, 2.653, 5e-4);
  EXPECT_NEAR(a.convexity, 7.570, 5e-3);  // Hull: the convexity of this bond is 7.570
  // DV01 is the price change for one basis point (first order), checked by repricing.
  EXPECT_NEAR(a.dv01, bond_price_from_yield(three, 0.11995) - bond_price_from_yield(three, 0.12005), 1e-8);
  // A flat curve at the yield gives the yield price.
  EXPECT_NEAR(bond_price(three, ZeroCurve({1.0}, {0.12})), a.price, 1e-10);
}

TEST(Bootstrap, HullTables43And44) {
  // Zero rates 10.127, 10.469, 10.536, 10.681, 10.808% (continuous) from these bonds.
  const std::vector<CurveInstrument> bonds{
      {0.25, 0.0, 1, 97.5}, {0.5, 0.0, 1, 94.9}, {1.0, 0.0, 1, 90.0}, {1.5, 0.08, 2, 96.0}, {2.0, 0.12, 2, 101.6}};
  const ZeroCurve curve = bootstrap_zero_curve(bonds);
  const double expected[] = {0.10127, 0.10469, 0.10536, 0.10681, 0.10808};
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(curve.zero_rates()[static_cast<std::size_t>(i)], expected[i], 5e-6) << i;
  for (const auto& b : bonds) {  // every instrument reprices
    const double p = b.coupon == 0 ? 100 * curve.discount(b.maturity)
                                   : bond_price(FixedRateBond{100, b.coupon, b.maturity, b.frequency}, curve);
    EXPECT_NEAR(p, b.price, 1e-9);
  }
}

TEST(Bootstrap, DepositsAndParSwapsRepriceWithEitherInterpolation) {
  std::vector<CurveInstrument> quotes{deposit(0.25, 0.030), deposit(0.5, 0.032), deposit(1.0, 0.034)};
  for (double t : {2.0, 3.0, 5.0, 7.0, 10.0}) quotes.push_back({t, 0.035 + 0.001 * t, 1, 100.0});  // annual par swaps
  for (auto interp : {Interpolation::linear_zero, Interpolation::log_linear_discount}) {
    const ZeroCurve c = bootstrap_zero_curve(quotes, interp);
    EXPECT_NEAR(100 * c.discount(0.5), 100 / (1 + 0.032 * 0.5), 1e-9);
    for (std::size_t i = 3; i < quotes.size(); ++i) {
      EXPECT_NEAR(bond_price(FixedRateBond{100, quotes[i].coupon, quotes[i].maturity, 1}, c), 100.0, 1e-9);
    }
    EXPECT_GT(c.forward_rate(5, 7), c.zero_rate(5));  // an upward-sloping curve has forwards above zeros
  }
  EXPECT_THROW((void)bootstrap_zero_curve({{1.0, 0.0, 1, 100}, {1.0, 0.05, 1, 100}}), bq::InvalidArgument);
  EXPECT_THROW((void)bootstrap_zero_curve({{1.0, 0.0, 1, -5}}), bq::InvalidArgument);
  EXPECT_THROW((void)ZeroCurve({1.0, 0.5}, {0.01, 0.02}), bq::InvalidArgument);
}

TEST(FxForward, CoveredInterestParity) {
  // Hull ex. 5.x style: spot 0.75 USD per AUD, USD 3%, AUD 5%, 2 years: F = 0.75 e^{-0.04}.
  EXPECT_NEAR(fx_forward_rate(0.75, 0.03, 0.05, 2.0), 0.75 * std::exp(-0.04), 1e-15);
  const double f = fx_forward_rate(1.10, 0.04, 0.02, 1.0);
  EXPECT_NEAR(fx_forward_value(1.10, f, 0.04, 0.02, 1.0, 1e6), 0.0, 1e-9);
  EXPECT_NEAR(fx_forward_value(1.10, f - 0.01, 0.04, 0.02, 1.0, 1e6), 1e6 * 0.01 * std::exp(-0.04), 1e-6);
  EXPECT_THROW((void)fx_forward_rate(-1, 0.01, 0.01, 1), bq::InvalidArgument);
}
