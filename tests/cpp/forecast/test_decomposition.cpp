// Decompositions against R 4.2.2's stats::decompose and stats::stl, and forecast 8.20's mstl
// (golden values from tests/data/forecast/make_golden.R).
#include "bankquant/forecast/decomposition.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"
#include "golden.hpp"

namespace fc = bankquant::forecast;
using bankquant::testing::doubles;

namespace {

const nlohmann::json& decomposition_golden() {
  static const nlohmann::json j = bankquant::testing::load_golden("golden_decomposition.json");
  return j;
}

void expect_close(const std::vector<double>& ours, const std::vector<double>& r, double tol, const std::string& what) {
  ASSERT_EQ(ours.size(), r.size()) << what;
  double scale = 0;
  for (double v : r) {
    if (std::isfinite(v)) scale = std::max(scale, std::abs(v));
  }
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (std::isnan(r[i])) {
      EXPECT_TRUE(std::isnan(ours[i])) << what << " at " << i;
    } else {
      EXPECT_NEAR(ours[i], r[i], tol * std::max(scale, 1.0)) << what << " at " << i;
    }
  }
}

}  // namespace

TEST(Decomposition, ClassicalEqualsRsDecompose) {
  int n = 0;
  for (const auto& c : decomposition_golden()["cases"]) {
    if (c["kind"] != "decompose") continue;
    const auto y = doubles(decomposition_golden()["series"][c["series"].get<std::string>()]);
    const auto d = fc::classical_decomposition(y, c["m"].get<int>(), c["type"] == "multiplicative");
    expect_close(d.trend, doubles(c["trend"]), 1e-12, "trend");
    expect_close(d.seasonal, doubles(c["seasonal"]), 1e-12, "seasonal");
    expect_close(d.figure, doubles(c["figure"]), 1e-12, "figure");
    ++n;
  }
  EXPECT_EQ(n, 2);
}

TEST(Decomposition, StlEqualsRsStl) {
  int n = 0;
  for (const auto& c : decomposition_golden()["cases"]) {
    if (c["kind"] != "stl") continue;
    const auto y = doubles(decomposition_golden()["series"][c["series"].get<std::string>()]);
    fc::StlOptions o;
    o.periodic = c["periodic"].get<bool>();
    o.seasonal_window = c["s_window"].get<int>();
    o.robust = c["robust"].get<bool>();
    const auto d = fc::stl(y, c["m"].get<int>(), o);
    const std::string what = c["series"].get<std::string>();
    // R's Fortran mixes single-precision constants into double arithmetic; agreement to 1e-9 of
    // the series' scale.
    expect_close(d.seasonal, doubles(c["seasonal"]), 1e-9, what + " seasonal");
    expect_close(d.trend, doubles(c["trend"]), 1e-9, what + " trend");
    expect_close(d.weights, doubles(c["weights"]), 1e-9, what + " weights");
    ++n;
  }
  EXPECT_EQ(n, 5);
}

TEST(Decomposition, MstlEqualsRsMstl) {
  int n = 0;
  for (const auto& c : decomposition_golden()["cases"]) {
    if (c["kind"] != "mstl") continue;
    const auto y = doubles(decomposition_golden()["series"][c["series"].get<std::string>()]);
    std::vector<int> periods;
    for (double p : doubles(c["periods"])) periods.push_back(static_cast<int>(p));
    const auto d = fc::mstl(y, periods);
    ASSERT_EQ(d.seasonal.size(), c["seasonal"].size());
    for (std::size_t i = 0; i < d.seasonal.size(); ++i) expect_close(d.seasonal[i], doubles(c["seasonal"][i]), 1e-9, "seasonal");
    expect_close(d.trend, doubles(c["trend"]), 1e-9, "trend");
    expect_close(d.remainder, doubles(c["remainder"]), 1e-9, "remainder");
    ++n;
  }
  EXPECT_EQ(n, 2);
}

TEST(Decomposition, SeasonalStrengthSeparatesSeasonalFromNoise) {
  const auto y = doubles(decomposition_golden()["series"]["air_passengers"]);
  fc::StlOptions o;
  o.seasonal_window = 13;
  EXPECT_GT(fc::seasonal_strength(fc::stl(y, 12, o)), 0.64);  // R's nsdiffs threshold
  std::vector<double> noise(144);
  unsigned state = 12345;
  for (double& v : noise) {
    state = state * 1103515245u + 12345u;
    v = static_cast<double>((state >> 16) & 0x7fff) / 32768.0;
  }
  EXPECT_LT(fc::seasonal_strength(fc::stl(noise, 12, o)), 0.64);
}

TEST(Decomposition, BadInputIsRefusedByName) {
  const std::vector<double> short_series(20, 1.0);
  EXPECT_THROW((void)fc::stl(short_series, 12), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::classical_decomposition(short_series, 12), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::stl(std::vector<double>(100, 1.0), 1), bankquant::InvalidArgument);
  std::vector<double> with_nan(100, 1.0);
  with_nan[3] = std::nan("");
  EXPECT_THROW((void)fc::stl(with_nan, 12), bankquant::InvalidArgument);
  fc::StlOptions bad;
  bad.seasonal_degree = 2;
  EXPECT_THROW((void)fc::stl(std::vector<double>(100, 1.0), 12, bad), bankquant::InvalidArgument);
  // MSTL interpolates missing values (R's na.interp) and drops periods with fewer than two cycles.
  const auto d = fc::mstl(with_nan, std::vector<int>{12, 60});
  EXPECT_EQ(d.periods, std::vector<int>{12});
}
