// Fourier terms against R 4.2.2 / forecast 8.20's fourier(): the K = 4 daily terms of the hourly
// bike series (golden_arima.json, make_golden.R) and the names and values of a two-period
// (24, 168) set with K = (12, 10), printed by
//   Rscript -e 'f <- forecast::fourier(forecast::msts(1:400, seasonal.periods = c(24, 168)), K = c(12, 10))'
#include "bankquant/forecast/fourier.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"
#include "golden.hpp"

namespace fc = bankquant::forecast;
using bankquant::testing::doubles;

TEST(Fourier, EqualsRsDailyTermsOfTheHourlySeries) {
  const auto golden = bankquant::testing::load_golden("golden_arima.json");
  int checked = 0;
  for (const auto& c : golden["cases"]) {
    if (c["kind"] != "auto_xreg") continue;
    const int n = static_cast<int>(doubles(golden["series"]["bikes_hourly"]).size());
    const std::vector<double> periods{24};
    const std::vector<int> k{4};
    const auto history = fc::fourier_terms(periods, k, n);
    const auto future = fc::fourier_terms(periods, k, 24, n + 1.0);
    ASSERT_EQ(history.values.cols(), 8);
    EXPECT_EQ(history.names[0], "S1-24");
    EXPECT_EQ(history.names[7], "C4-24");
    for (int j = 0; j < 8; ++j) {
      const auto col = doubles(c["xreg"][static_cast<std::size_t>(j)]);
      const auto fut = doubles(c["xreg_future"][static_cast<std::size_t>(j)]);
      ASSERT_EQ(static_cast<int>(col.size()), n);
      for (int t = 0; t < n; ++t) EXPECT_NEAR(history.values(t, j), col[static_cast<std::size_t>(t)], 1e-12);
      for (int t = 0; t < 24; ++t) EXPECT_NEAR(future.values(t, j), fut[static_cast<std::size_t>(t)], 1e-12);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 1);
}

TEST(Fourier, DropsRepeatedFrequenciesAndZeroSinesAsR) {
  const std::vector<double> periods{24, 168};
  const std::vector<int> k{12, 10};
  const auto f = fc::fourier_terms(periods, k, 400);
  const std::vector<std::string> r_names{
      "S1-24",  "C1-24",  "S2-24",  "C2-24",  "S3-24",  "C3-24",  "S4-24",  "C4-24",  "S5-24",  "C5-24",  "S6-24",
      "C6-24",  "S7-24",  "C7-24",  "S8-24",  "C8-24",  "S9-24",  "C9-24",  "S10-24", "C10-24", "S11-24", "C11-24",
      "C12-24", "S1-168", "C1-168", "S2-168", "C2-168", "S3-168", "C3-168", "S4-168", "C4-168", "S5-168", "C5-168",
      "S6-168", "C6-168", "S8-168", "C8-168", "S9-168", "C9-168", "S10-168", "C10-168"};
  EXPECT_EQ(f.names, r_names);
  ASSERT_EQ(f.values.cols(), 41);
  // R's row 400, columns 1, 23, 24, 41
  EXPECT_NEAR(f.values(399, 0), -0.86602540378443116, 1e-13);
  EXPECT_NEAR(f.values(399, 22), 1.0, 1e-13);
  EXPECT_NEAR(f.values(399, 23), 0.68017273777091969, 1e-13);
  EXPECT_NEAR(f.values(399, 40), 0.365341024366378, 1e-13);
  // R's fourier(..., h = 3), row 3
  const auto g = fc::fourier_terms(periods, k, 3, 401.0);
  EXPECT_NEAR(g.values(2, 0), -0.9659258262890722, 1e-13);
  EXPECT_NEAR(g.values(2, 22), -1.0, 1e-13);
  EXPECT_NEAR(g.values(2, 23), 0.59382018557350225, 1e-13);
  EXPECT_NEAR(g.values(2, 40), 0.99720379718117969, 1e-13);
}

TEST(Fourier, BadInputNamesTheArgument) {
  const std::vector<double> p{24};
  const std::vector<int> k_big{13}, k_neg{-1}, k_two{1, 2};
  const std::vector<double> p_one{1.0}, p_nan{std::nan("")};
  const std::vector<int> k1{1};
  EXPECT_THROW((void)fc::fourier_terms(p, k_big, 10), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::fourier_terms(p, k_neg, 10), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::fourier_terms(p, k_two, 10), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::fourier_terms(p_one, k1, 10), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::fourier_terms(p_nan, k1, 10), bankquant::InvalidArgument);
  EXPECT_THROW((void)fc::fourier_terms(p, k1, -1), bankquant::InvalidArgument);
  try {
    (void)fc::fourier_terms(p, k_big, 10);
  } catch (const bankquant::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("harmonics"), std::string::npos);
  }
}
