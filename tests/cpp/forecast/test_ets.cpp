// ETS against R's forecast::ets 8.20 (golden values from tests/data/forecast/make_golden.R on the
// bundled call-centre and bike-sharing data and R's AirPassengers and UKgas).
#include "bankquant/forecast/ets.hpp"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "../../../src/forecast/ets_kernel.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/core/optimize.hpp"
#include "golden.hpp"
#include "with_threads.hpp"

namespace fc = bankquant::forecast;
using bankquant::testing::doubles;
using bankquant::testing::number;

namespace {

struct GoldenCase {
  std::string series, model, method;
  int m = 1;
  fc::EtsComponents components;
  std::optional<bool> damped;
  nlohmann::json json;
  std::vector<double> y;
};

const nlohmann::json& ets_golden() {
  static const nlohmann::json j = bankquant::testing::load_golden("golden_ets.json");
  return j;
}

std::vector<GoldenCase> cases() {
  std::vector<GoldenCase> out;
  for (const auto& c : ets_golden()["cases"]) {
    GoldenCase g;
    g.series = c["series"].get<std::string>();
    g.model = c["model"].get<std::string>();
    g.method = c["method"].get<std::string>();
    g.m = c["m"].get<int>();
    const auto comp = c["components"];
    const bool damped = comp[3].get<std::string>() == "TRUE";
    const std::string t = comp[1].get<std::string>();
    g.components = {bankquant::enum_from_name<fc::EtsError>(comp[0].get<std::string>(), "e"),
                    t == "N" ? fc::EtsTrend::none : (damped ? fc::EtsTrend::damped : fc::EtsTrend::additive),
                    bankquant::enum_from_name<fc::EtsSeason>(comp[2].get<std::string>(), "s")};
    if (!c["damped"].is_string()) g.damped = c["damped"].get<bool>();
    g.json = c;
    g.y = doubles(ets_golden()["series"][g.series]["y"]);
    out.push_back(std::move(g));
  }
  return out;
}

double par(const GoldenCase& c, const std::string& name, double otherwise) {
  const auto names = c.json["par_names"];
  const auto values = doubles(c.json["par"]);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i].get<std::string>() == name) return values[i];
  }
  return otherwise;
}

// R's loglik omits -n/2 (1 + log(2 pi / n)); ours is the full Gaussian log-likelihood.
double r_loglik_of(double ours, std::size_t n) {
  return ours + 0.5 * static_cast<double>(n) * (1 + std::log(2 * std::numbers::pi / static_cast<double>(n)));
}

}  // namespace

TEST(Ets, ObjectiveEqualsRsAtRsParameters) {
  int checked = 0;
  for (const auto& c : cases()) {
    const double objective = fc::ets_objective(c.y, c.components, c.m, par(c, "alpha", 0), par(c, "beta", 0),
                                               par(c, "gamma", 0), par(c, "phi", 1), doubles(c.json["initstate"]));
    const double r = -2 * number(c.json["loglik"]);
    EXPECT_NEAR(objective, r, 1e-10 * std::abs(r)) << c.series << " " << c.method;
    ++checked;
  }
  EXPECT_GE(checked, 50);
}

TEST(Ets, ForecastsFromRsStateEqualRs) {
  // Point forecasts and 80/95% intervals of classes 1-3 from R's final state and parameters. R's
  // class 3 ignores the damping (its mean for ETS(M,Ad,M) is (l + b) s); ours uses l + phi b, as
  // R's own simulation and etsforecast do, so damped class-3 models are compared by simulation below.
  int checked = 0;
  for (const auto& c : cases()) {
    if (c.components.damped() && c.components.season == fc::EtsSeason::multiplicative) continue;
    fc::EtsFit f;
    f.components = c.components;
    f.model_name = c.components.name();
    f.season_length = c.components.seasonal() ? c.m : 1;
    f.alpha = par(c, "alpha", 0);
    f.beta = par(c, "beta", 0);
    f.gamma = par(c, "gamma", 0);
    f.phi = c.components.damped() ? par(c, "phi", 1) : 1.0;
    f.last_state = doubles(c.json["laststate"]);
    f.sigma2 = number(c.json["sigma2"]);
    const std::vector<double> levels{80, 95};
    const auto fc = f.forecast(2 * c.m, levels);
    const auto mean = doubles(c.json["mean"]);
    const auto lo80 = doubles(c.json["lower80"]), hi95 = doubles(c.json["upper95"]);
    ASSERT_EQ(fc.mean.size(), mean.size());
    // R's class1 (and class2, built on it) puts gamma one step early when there is no trend (its
    // G[3] is then the second seasonal state): from h = m on its variance is wrong — R's own
    // simulate() agrees with Hyndman et al. (2008, Table 6.2) and with us (checked below).
    const bool r_shifted = c.components.seasonal() && !c.components.has_trend() &&
                           c.components.season == fc::EtsSeason::additive;
    for (std::size_t h = 0; h < mean.size(); ++h) {
      EXPECT_NEAR(fc.mean[h], mean[h], 1e-9 * std::abs(mean[h])) << c.series << " " << c.method << " h=" << h;
      if (r_shifted && h + 1 >= static_cast<std::size_t>(c.m)) continue;
      EXPECT_NEAR(fc.lower[0][h], lo80[h], 1e-8 * std::abs(mean[h])) << c.series << " " << c.method << " h=" << h;
      EXPECT_NEAR(fc.upper[1][h], hi95[h], 1e-8 * std::abs(mean[h])) << c.series << " " << c.method << " h=" << h;
    }
    ++checked;
  }
  EXPECT_GE(checked, 40);
}

TEST(Ets, AnalyticVarianceMatchesSimulationWhereRsDoesNot) {
  // ETS(A,N,A) with alpha 0.3, gamma 0.5 on AirPassengers: at h = 12 R's class1 gives sd 26.76,
  // its simulate() 23.79; the variance sigma^2 (1 + sum c_j^2), c_j = alpha + gamma [j mod m = 0].
  const auto y = doubles(ets_golden()["series"]["air_passengers"]["y"]);
  fc::EtsOptions o;
  o.model = "ANA";
  o.season_length = 12;
  o.alpha = 0.3;
  o.gamma = 0.5;
  const fc::EtsFit f = fc::fit_ets(y, o);
  const auto analytic = f.forecast(14, std::vector<double>{95});
  fc::EtsSimulation sim;
  sim.paths = 40000;
  sim.seed = 11;
  const auto paths = f.simulate(14, sim);
  for (int t = 0; t < 14; ++t) {
    const double mean = paths.col(t).mean();
    const double sd = std::sqrt((paths.col(t).array() - mean).square().sum() / (paths.rows() - 1));
    EXPECT_NEAR(std::sqrt(analytic.variance[static_cast<std::size_t>(t)]), sd, 0.02 * sd) << "h=" << t + 1;
  }
  const double sigma = std::sqrt(f.sigma2);
  EXPECT_NEAR(std::sqrt(analytic.variance[11]), sigma * std::sqrt(1 + 11 * 0.09), 1e-9 * sigma);
  EXPECT_NEAR(std::sqrt(analytic.variance[12]), sigma * std::sqrt(1 + 11 * 0.09 + 0.64), 1e-9 * sigma);
}

TEST(Ets, DampedClassThreeMeanMatchesSimulation) {
  for (const auto& c : cases()) {
    if (!(c.components.damped() && c.components.season == fc::EtsSeason::multiplicative)) continue;
    fc::EtsOptions o;
    o.model = "MAM";
    o.damped = true;
    o.season_length = c.m;
    const fc::EtsFit f = fc::fit_ets(c.y, o);
    // Simulated relative errors are truncated at -1 (as R's simulate.ets), which the analytic
    // moments do not do: compare where that truncation is negligible (sigma < 0.2).
    if (f.sigma2 > 0.04) continue;
    const int h = 2 * c.m;
    const auto analytic = f.forecast(h, std::vector<double>{95});
    fc::EtsSimulation sim;
    sim.paths = 20000;
    sim.seed = 7;
    const auto paths = f.simulate(h, sim);
    for (int t = 0; t < h; ++t) {
      const double mean = paths.col(t).mean();
      const double sd = std::sqrt((paths.col(t).array() - mean).square().sum() / (paths.rows() - 1));
      // Monte Carlo error of the mean is sd / sqrt(20000); allow 5 of them.
      EXPECT_NEAR(analytic.mean[t], mean, 5 * sd / std::sqrt(20000.0)) << c.series << " h=" << t;
      EXPECT_NEAR(std::sqrt(analytic.variance[t]), sd, 0.03 * sd) << c.series << " h=" << t;
    }
  }
}

TEST(Ets, FitReachesAtLeastRsOptimum) {
  // Same data and specification: our maximum of the likelihood is R's or higher (R's Nelder-Mead
  // often stops early: up to 90 log-likelihood units lower on these series).
  for (const auto& c : cases()) {
    if (c.model == "ZZZ") continue;
    fc::EtsOptions o;
    o.model = c.model;
    o.damped = c.damped;
    o.season_length = c.m;
    const fc::EtsFit f = fc::fit_ets(c.y, o);
    ASSERT_EQ(f.model_name, c.components.name());
    const double ours = r_loglik_of(f.log_likelihood, c.y.size());
    const double r = number(c.json["loglik"]);
    EXPECT_GE(ours, r - 1e-7 * std::abs(r)) << c.series << " " << c.method;
    EXPECT_TRUE(f.status.usable()) << f.status.message;
    // AICc with R's parameter count: ours differs from R's by the likelihood constant only.
    const double r_aicc_of_ours = f.aicc - 2 * (r_loglik_of(f.log_likelihood, c.y.size()) - f.log_likelihood);
    EXPECT_LE(r_aicc_of_ours, number(c.json["aicc"]) + 1e-6 * std::abs(number(c.json["aicc"])));
    // Where R found the same optimum, the parameters agree.
    if (std::abs(ours - r) < 1e-3) {
      EXPECT_NEAR(f.alpha, par(c, "alpha", 0), 2e-2) << c.series << " " << c.method;
    }
  }
}

TEST(Ets, AutomaticSelectionIsAtLeastAsGoodAsRs) {
  for (const auto& c : cases()) {
    if (c.model != "ZZZ") continue;
    fc::EtsOptions o;
    o.season_length = c.m;
    const fc::EtsFit f = fc::fit_ets(c.y, o);
    const double shift = 2 * (r_loglik_of(f.log_likelihood, c.y.size()) - f.log_likelihood);
    EXPECT_LE(f.aicc - shift, number(c.json["aicc"]) + 1e-6) << c.series << ": ours " << f.model_name << ", R "
                                                             << c.method;
    EXPECT_FALSE(f.candidates.empty());
    // Every candidate R would try on positive data: 15 (A errors with M seasons excluded).
    EXPECT_EQ(f.candidates.size(), 15U) << c.series;
  }
}

TEST(Ets, GradientEqualsCentralDifferences) {
  // The reverse sweep against numerical differentiation, for every compiled model.
  const auto& y = doubles(ets_golden()["series"]["air_passengers"]["y"]);
  const int m = 12;
  for (auto e : {fc::EtsError::additive, fc::EtsError::multiplicative}) {
    for (auto t : {fc::EtsTrend::none, fc::EtsTrend::damped}) {
      for (auto s : {fc::EtsSeason::none, fc::EtsSeason::additive, fc::EtsSeason::multiplicative}) {
        for (auto crit : {fc::EtsCriterion::likelihood, fc::EtsCriterion::mse}) {
          const fc::EtsComponents c{e, t, s};
          const int mm = c.seasonal() ? m : 1;
          fc::detail::EtsData d;
          d.y = y.data();
          d.n = static_cast<int>(y.size());
          d.m = mm;
          d.criterion = crit;
          std::vector<double> x(static_cast<std::size_t>(fc::detail::kSlot0 + (c.seasonal() ? mm : 0)));
          x[0] = 0.31;
          x[1] = 0.02;
          x[2] = 0.11;
          x[3] = 0.93;
          x[4] = 120;
          x[5] = 1.5;
          for (int j = 0; j < (c.seasonal() ? mm : 0); ++j) {
            const double wave = std::sin(2 * std::numbers::pi * j / mm);
            x[static_cast<std::size_t>(6 + j)] = s == fc::EtsSeason::multiplicative ? 1 + 0.1 * wave : 10 * wave;
          }
          if (!c.has_trend()) x[3] = 1.0;
          fc::detail::EtsWork w;
          w.reserve(d.n, mm);
          const auto pass = fc::detail::ets_pass_for(c);
          std::vector<double> g(x.size());
          pass(d, x.data(), g.data(), w, nullptr);
          for (std::size_t i = 0; i < x.size(); ++i) {
            if (!c.has_trend() && (i == 1 || i == 3 || i == 5)) continue;
            if (!c.seasonal() && i == 2) continue;
            const double step = 1e-6 * std::max(1.0, std::abs(x[i]));
            auto xp = x, xm = x;
            xp[i] += step;
            xm[i] -= step;
            const double numeric = (pass(d, xp.data(), nullptr, w, nullptr) - pass(d, xm.data(), nullptr, w, nullptr)) / (2 * step);
            EXPECT_NEAR(g[i], numeric, 1e-5 * std::max(1.0, std::abs(numeric)))
                << c.name() << " " << bankquant::enum_name(crit) << " parameter " << i;
          }
        }
      }
    }
  }
}

TEST(Ets, RegressorsAreEstimatedJointly) {
  // Calls on every 17th day lowered by 10000 (a holiday): ETS-X recovers the effect; plain ETS cannot.
  const auto& base = doubles(ets_golden()["series"]["calls_daily"]["y"]);
  std::vector<double> y = base;
  bankquant::RowMatrix X(static_cast<Eigen::Index>(y.size()), 1);
  for (std::size_t t = 0; t < y.size(); ++t) {
    X(static_cast<Eigen::Index>(t), 0) = t % 17 == 3 ? 1.0 : 0.0;
    y[t] -= 10000.0 * X(static_cast<Eigen::Index>(t), 0);
  }
  fc::EtsOptions o;
  o.model = "ANA";
  o.season_length = 5;
  const fc::EtsFit f = fc::fit_ets(y, o, X);
  ASSERT_EQ(f.coefficients.size(), 1U);
  EXPECT_NEAR(f.coefficients[0], -10000.0, 2000.0);  // about two standard errors (sigma ~ 2500, 10 holidays)
  const fc::EtsFit plain = fc::fit_ets(y, o);
  EXPECT_GT(f.log_likelihood, plain.log_likelihood + 10);
  bankquant::RowMatrix future = bankquant::RowMatrix::Zero(5, 1);
  future(2, 0) = 1.0;
  const auto fcst = f.forecast(5, std::vector<double>{95}, future);
  EXPECT_LT(fcst.mean[2], fcst.mean[1] - 5000);
  EXPECT_THROW((void)f.forecast(5, std::vector<double>{95}), bankquant::InvalidArgument);
}

TEST(Ets, MissingValuesAreSkipped) {
  auto y = doubles(ets_golden()["series"]["calls_daily"]["y"]);
  for (std::size_t t = 20; t < y.size(); t += 13) y[t] = std::nan("");
  fc::EtsOptions o;
  o.model = "MNM";
  o.season_length = 5;
  const fc::EtsFit f = fc::fit_ets(y, o);
  int missing = 0;
  for (double v : y) missing += std::isnan(v);
  EXPECT_EQ(f.nobs, static_cast<int>(y.size()) - missing);
  EXPECT_TRUE(std::isnan(f.residuals[20]));
  EXPECT_TRUE(std::isfinite(f.fitted[20]));
  EXPECT_TRUE(std::isfinite(f.log_likelihood));
}

TEST(Ets, FallbacksAreReported) {
  // Shorter than two seasons: the automatic search drops the season and says so; an explicit
  // seasonal model is an error naming y.
  std::vector<double> y = doubles(ets_golden()["series"]["air_passengers"]["y"]);
  y.resize(20);
  fc::EtsOptions o;
  o.season_length = 12;
  const fc::EtsFit f = fc::fit_ets(y, o);
  EXPECT_FALSE(f.components.seasonal());
  EXPECT_NE(f.note.find("season dropped"), std::string::npos);
  o.model = "MAM";
  EXPECT_THROW((void)fc::fit_ets(y, o), bankquant::InvalidArgument);
  // A constant (e.g. all-zero) series: R's simple exponential smoothing with alpha 0.99999.
  const std::vector<double> zeros(30, 0.0);
  const fc::EtsFit z = fc::fit_ets(zeros, {});
  EXPECT_EQ(z.model_name, "ETS(A,N,N)");
  EXPECT_NE(z.note.find("constant series"), std::string::npos);
  const auto zf = z.forecast(3, std::vector<double>{95});
  EXPECT_EQ(zf.mean[0], 0.0);
  EXPECT_EQ(zf.upper[0][0], 0.0);
}

TEST(Ets, BadInputIsRefusedByName) {
  auto expect_named = [](auto&& call, const std::string& name) {
    try {
      call();
      ADD_FAILURE() << "no exception for " << name;
    } catch (const bankquant::InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find("'" + name + "'"), std::string::npos) << e.what();
    }
  };
  const std::vector<double> y = doubles(ets_golden()["series"]["calls_daily"]["y"]);
  auto opts = [](std::string model, std::optional<bool> damped, int m) {
    fc::EtsOptions o;
    o.model = std::move(model);
    o.damped = damped;
    o.season_length = m;
    return o;
  };
  expect_named([&] { (void)fc::fit_ets(y, opts("ZZ", std::nullopt, 1)); }, "model");
  expect_named([&] { (void)fc::fit_ets(y, opts("ZMZ", std::nullopt, 1)); }, "model");
  expect_named([&] { (void)fc::fit_ets(y, opts("NZZ", std::nullopt, 1)); }, "model");
  expect_named([&] { (void)fc::fit_ets(y, opts("ANN", true, 1)); }, "damped");
  expect_named([&] { (void)fc::fit_ets(y, opts("AAA", std::nullopt, 1)); }, "model");
  expect_named([&] { (void)fc::fit_ets(y, opts("ZZZ", std::nullopt, 0)); }, "season_length");
  expect_named([&] { (void)fc::fit_ets(std::vector<double>{1, 2, 3}, {}); }, "y");
  expect_named([&] { (void)fc::fit_ets(std::vector<double>{1, 2, INFINITY, 4, 5, 6}, {}); }, "y");
  std::vector<double> negative = y;
  negative[5] = -1;
  expect_named([&] { (void)fc::fit_ets(negative, opts("MNN", std::nullopt, 1)); }, "model");
  fc::EtsOptions bad;
  bad.alpha = 1.5;
  expect_named([&] { (void)fc::fit_ets(y, bad); }, "alpha");
  const fc::EtsFit f = fc::fit_ets(y, opts("ANN", std::nullopt, 1));
  expect_named([&] { (void)f.forecast(0); }, "h");
  expect_named([&] { (void)f.forecast(3, std::vector<double>{120}); }, "level");
}

TEST(Ets, ModelFileRoundTripForecastsIdentically) {
  const std::vector<double> y = doubles(ets_golden()["series"]["uk_gas"]["y"]);
  fc::EtsOptions o;
  o.model = "MAM";
  o.damped = false;
  o.season_length = 4;
  const fc::EtsFit f = fc::fit_ets(y, o);
  const fc::EtsFit g = fc::EtsFit::from_json(bankquant::io::parse_json(f.to_json().dump()));
  const auto a = f.forecast(8, std::vector<double>{80, 95});
  const auto b = g.forecast(8, std::vector<double>{80, 95});
  EXPECT_EQ(a.mean, b.mean);
  EXPECT_EQ(a.upper, b.upper);
  EXPECT_EQ(g.model_name, f.model_name);
  EXPECT_THROW((void)fc::EtsFit::from_json(bankquant::io::parse_json(R"({"error": "A"})")), bankquant::ModelFormatError);
}

TEST(Ets, SimulatedIntervalsAreIdenticalOnAnyThreadCount) {
  const std::vector<double> y = doubles(ets_golden()["series"]["uk_gas"]["y"]);
  fc::EtsOptions o;
  o.model = "AAM";
  o.damped = false;
  o.season_length = 4;
  o.restrict = false;
  const fc::EtsFit f = fc::fit_ets(y, o);
  const auto one = bankquant::testing::with_threads(1, [&] { return f.forecast(8, std::vector<double>{95}); });
  const auto two = bankquant::testing::with_threads(2, [&] { return f.forecast(8, std::vector<double>{95}); });
  EXPECT_EQ(one.interval_method, fc::IntervalMethod::simulated);
  EXPECT_EQ(one.upper, two.upper);
  EXPECT_EQ(one.lower, two.lower);
}

TEST(Ets, AdmissibilityMatchesRsRules) {
  const fc::EtsComponents ann{fc::EtsError::additive, fc::EtsTrend::none, fc::EtsSeason::none};
  EXPECT_TRUE(fc::ets_admissible(ann, 1, 1.5, 0, 0, 1));   // 0 < alpha < 2 without a season
  EXPECT_FALSE(fc::ets_admissible(ann, 1, 2.5, 0, 0, 1));
  const fc::EtsComponents ana{fc::EtsError::additive, fc::EtsTrend::none, fc::EtsSeason::additive};
  EXPECT_TRUE(fc::ets_admissible(ana, 12, 0.3, 0, 0.1, 1));
  EXPECT_FALSE(fc::ets_admissible(ana, 12, 0.3, 0, 1.9, 1));
}
