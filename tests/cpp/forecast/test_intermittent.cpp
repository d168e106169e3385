// Croston against R's forecast 8.20 croston; SBA and TSB against their published recursions.
#include "bankquant/forecast/intermittent.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"
#include "golden.hpp"

namespace fc = bankquant::forecast;
using bankquant::testing::doubles;
using bankquant::testing::number;

TEST(Intermittent, CrostonEqualsRs) {
  const auto golden = bankquant::testing::load_golden("golden_baselines.json");
  int n = 0;
  for (const auto& c : golden["cases"]) {
    if (c["kind"] != "croston") continue;
    const auto y = doubles(golden["series"][c["series"].get<std::string>()]);
    fc::IntermittentOptions o;
    o.alpha = number(c["alpha"]);
    const auto f = fc::fit_intermittent(y, o);
    const auto mean = doubles(c["mean"]);
    EXPECT_NEAR(f.forecast(5).mean[0], mean[0], 1e-12 * std::abs(mean[0])) << c["series"];
    const auto fitted = doubles(c["fitted"]);
    for (std::size_t t = 0; t < fitted.size(); ++t) {
      if (std::isnan(fitted[t])) {
        EXPECT_TRUE(std::isnan(f.fitted[t]));
      } else {
        EXPECT_NEAR(f.fitted[t], fitted[t], 1e-12 * std::max(1.0, std::abs(fitted[t]))) << c["series"] << " t=" << t;
      }
    }
    ++n;
  }
  EXPECT_EQ(n, 4);
}

TEST(Intermittent, SbaAndTsbFollowTheirRecursions) {
  const std::vector<double> y{0, 0, 3, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0};
  fc::IntermittentOptions o;
  o.alpha = 0.2;
  const auto croston = fc::fit_intermittent(y, o);
  o.method = fc::IntermittentMethod::sba;
  EXPECT_DOUBLE_EQ(fc::fit_intermittent(y, o).point, croston.point * (1 - 0.2 / 2));
  // TSB by hand (Teunter, Syntetos and Babai 2011): d, z started at their sample values.
  o.method = fc::IntermittentMethod::tsb;
  o.beta = 0.3;
  double d = 3.0 / 15, z = 2.0;
  for (double v : y) {
    d += 0.3 * ((v > 0) - d);
    if (v > 0) z += 0.2 * (v - z);
  }
  const auto tsb = fc::fit_intermittent(y, o);
  EXPECT_NEAR(tsb.point, d * z, 1e-14);
  EXPECT_LT(tsb.point, croston.point);  // six empty periods at the end: TSB decays, Croston does not
  o.optimized = true;
  const auto best = fc::fit_intermittent(y, o);
  EXPECT_LE(best.mse, tsb.mse + 1e-12);
}

TEST(Intermittent, BadInputIsRefusedByName) {
  EXPECT_THROW((void)fc::fit_intermittent(std::vector<double>{1, -1, 0}, {}), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::fit_intermittent(std::vector<double>{1, std::nan(""), 0}, {}), bankquant::InvalidArgument);
  fc::IntermittentOptions o;
  o.alpha = 1.5;
  EXPECT_THROW((void)fc::fit_intermittent(std::vector<double>{1, 0, 0}, o), bankquant::InvalidArgument);
  const auto zeros = fc::fit_intermittent(std::vector<double>(20, 0.0), {});
  EXPECT_EQ(zeros.point, 0.0);
}
