#include "bankquant/scorecard/scorecard.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/scorecard.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

namespace {

struct Fixture {
  std::vector<double> x;
  std::vector<std::string> cat;
  std::vector<std::int32_t> codes;
  std::vector<double> y;
  sc::ScorecardModel model;
};

Fixture make(bool round_points) {
  bq::RandomStream s(11);
  Fixture f;
  const std::vector<std::string> labels{"own", "rent", "free"};
  for (int i = 0; i < 4000; ++i) {
    const double x = s.normal();
    const auto c = static_cast<std::int32_t>(s.uniform_int(3));
    const double eta = -1 + 0.9 * x + (c == 1 ? 0.7 : 0.0);
    f.x.push_back(x);
    f.codes.push_back(c);
    f.cat.push_back(labels[static_cast<std::size_t>(c)]);
    f.y.push_back(s.uniform() < 1 / (1 + std::exp(-eta)) ? 1.0 : 0.0);
  }
  f.model.variables = {sc::bin_numeric("x", f.x, f.y, {}, {}), sc::bin_categorical("home", f.codes, labels, f.y, {}, {})};
  f.model.coefficients = {0.95, 1.05};
  f.model.intercept = -0.9;
  f.model.round_points = round_points;
  f.model.compute_points();
  return f;
}

}  // namespace

TEST(Scaling, FactorAndOffset) {
  const sc::Scaling s{20, 600, 50};
  EXPECT_NEAR(s.factor(), 20 / std::log(2.0), 1e-12);
  EXPECT_NEAR(s.offset(), 600 - 20 / std::log(2.0) * std::log(50.0), 1e-12);
  EXPECT_THROW((sc::Scaling{0, 600, 50}.validate()), bq::InvalidArgument);
  EXPECT_THROW((sc::Scaling{20, 600, -1}.validate()), bq::InvalidArgument);
}

TEST(ScorecardModel, ScoreIsBasePlusPointsAndMatchesTheModelScore) {
  auto f = make(false);
  const auto r = f.model.score({{"x", f.x, {}, {}}, {"home", {}, f.cat, {}}});
  const sc::Scaling& s = f.model.scaling;
  for (std::size_t i = 0; i < 50; ++i) {
    const auto bx = f.model.variables[0].bin_of(f.x[i]);
    const auto bh = f.model.variables[1].bin_of(f.cat[i]);
    const double logit = f.model.intercept + 0.95 * f.model.variables[0].bins[bx].woe +
                         1.05 * f.model.variables[1].bins[bh].woe;
    EXPECT_NEAR(r.score[i], s.offset() - s.factor() * logit, 1e-9);  // score = Offset + Factor ln(odds good)
    EXPECT_NEAR(r.probability[i], 1 / (1 + std::exp(-logit)), 1e-12);
  }
  // Rounded points: the score differs from the unrounded one by at most 0.5 per entry.
  auto g = make(true);
  const auto rr = g.model.score({{"x", g.x, {}, {}}, {"home", {}, g.cat, {}}});
  for (std::size_t i = 0; i < rr.score.size(); ++i) {
    EXPECT_EQ(rr.score[i], std::round(rr.score[i]));
    EXPECT_LE(std::abs(rr.score[i] - r.score[i]), 1.5 + 1e-9);
  }
}

TEST(ScorecardModel, BinIndexStringAndCodePathsAgreeAndUnseenIsCounted) {
  auto f = make(true);
  std::vector<std::string> cat = f.cat;
  cat[0] = "caravan";  // unseen
  cat[1] = "";         // missing
  const auto by_string = f.model.score({{"x", f.x, {}, {}}, {"home", {}, cat, {}}});
  std::vector<std::int32_t> bins;
  for (const auto& c : cat) {
    const auto b = c.empty() ? f.model.variables[1].missing_bin() : f.model.variables[1].bin_of(c);
    bins.push_back(b == sc::VariableBinning::npos ? -1 : static_cast<std::int32_t>(b));
  }
  const auto by_bins = f.model.score({{"x", f.x, {}, {}}, {"home", {}, {}, bins}});
  EXPECT_EQ(by_string.score, by_bins.score);
  EXPECT_EQ(by_string.unseen[1], 1u);
  EXPECT_EQ(by_string.unseen[0], 0u);
}

TEST(ScorecardModel, JsonRoundTripScoresIdentically) {
  auto f = make(true);
  const auto path = (std::filesystem::temp_directory_path() / "bankquant_scorecard_test.json").string();
  f.model.save(path);
  const auto back = sc::ScorecardModel::load(path);
  const auto a = f.model.score({{"x", f.x, {}, {}}, {"home", {}, f.cat, {}}});
  const auto b = back.score({{"x", f.x, {}, {}}, {"home", {}, f.cat, {}}});
  EXPECT_EQ(a.score, b.score);
  EXPECT_EQ(a.probability, b.probability);
  // A file whose points were edited by hand is refused.
  auto doc = bq::io::read_json_file(path);
  doc["model"]["base_points"] = 1.0;
  bq::io::write_json_file(path, doc);
  EXPECT_THROW((void)sc::ScorecardModel::load(path), bq::ModelFormatError);
}

TEST(ScorecardModel, SqlNamesEveryBinAndBadColumnsAreErrors) {
  auto f = make(true);
  const std::string sql = f.model.to_sql();
  EXPECT_NE(sql.find("CASE WHEN \"x\" IS NULL THEN"), std::string::npos);
  EXPECT_NE(sql.find("\"home\" IN ('rent')"), std::string::npos);
  EXPECT_THROW((void)f.model.score({{"x", f.x, {}, {}}}), bq::InvalidArgument);  // no 'home'
  std::vector<double> short_x(f.x.begin(), f.x.begin() + 10);
  EXPECT_THROW((void)f.model.score({{"x", short_x, {}, {}}, {"home", {}, f.cat, {}}}), bq::InvalidArgument);
  sc::ScorecardModel empty;
  empty.variables = f.model.variables;
  EXPECT_THROW((void)empty.score({{"x", f.x, {}, {}}, {"home", {}, f.cat, {}}}), bq::NotFitted);
}
