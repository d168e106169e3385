#include "bankquant/scorecard/scorecard.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
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
  std::vector<std::string> labels;
  sc::ScorecardModel model;
  std::vector<sc::ColumnView> columns() const {
    sc::ColumnView x{.name = "x", .numbers = this->x};
    sc::ColumnView home{.name = "home", .categorical = true, .strings = cat};
    return {x, home};
  }
};

Fixture make(bool round_points) {
  bq::RandomStream s(11);
  Fixture f;
  const std::vector<std::string> labels{"own", "rent", "free"};
  f.labels = labels;
  for (int i = 0; i < 4000; ++i) {
    const double x = s.normal();
    const auto c = static_cast<std::int32_t>(s.uniform_int(3));
    const double eta = -1 + 0.9 * x + (c == 1 ? 0.7 : 0.0);
    f.x.push_back(x);
    f.codes.push_back(c);
    f.cat.push_back(labels[static_cast<std::size_t>(c)]);
    f.y.push_back(s.uniform() < 1 / (1 + std::exp(-eta)) ? 1.0 : 0.0);
  }
  f.model.variables = {sc::bin_numeric("x", f.x, f.y, {}, {}),
                       sc::bin_categorical("home", f.codes, labels, sc::CategoryType::text, f.y, {}, {})};
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
  const auto r = f.model.score(f.columns());
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
  const auto rr = g.model.score(g.columns());
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
  const sc::ColumnView x{.name = "x", .numbers = f.x};
  const auto by_string = f.model.score({x, sc::ColumnView{.name = "home", .categorical = true, .strings = cat}});
  // the same column as codes into distinct keys (pandas.factorize's form)
  std::vector<std::string> keys{"own", "rent", "free", "caravan"};
  std::vector<std::int32_t> codes;
  for (const auto& c : cat) {
    const auto it = std::find(keys.begin(), keys.end(), c);
    codes.push_back(c.empty() ? -1 : static_cast<std::int32_t>(it - keys.begin()));
  }
  const auto by_codes =
      f.model.score({x, sc::ColumnView{.name = "home", .categorical = true, .codes = codes, .keys = keys}});
  EXPECT_EQ(by_string.score, by_codes.score);
  EXPECT_EQ(by_string.unseen[1], 1u);
  EXPECT_EQ(by_string.unseen[0], 0u);
}

TEST(ScorecardModel, JsonRoundTripScoresIdentically) {
  auto f = make(true);
  const auto path = (std::filesystem::temp_directory_path() / "bankquant_scorecard_test.json").string();
  f.model.save(path);
  const auto back = sc::ScorecardModel::load(path);
  const auto a = f.model.score(f.columns());
  const auto b = back.score(f.columns());
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
  auto cols = f.columns();
  EXPECT_THROW((void)f.model.score({cols[0]}), bq::InvalidArgument);  // no 'home'
  std::vector<double> short_x(f.x.begin(), f.x.begin() + 10);
  EXPECT_THROW((void)f.model.score({sc::ColumnView{.name = "x", .numbers = short_x}, cols[1]}), bq::InvalidArgument);
  sc::ScorecardModel empty;
  empty.variables = f.model.variables;
  EXPECT_THROW((void)empty.score(cols), bq::NotFitted);
}

TEST(ScorecardModel, TypedCategoriesScoreOneAndOnePointZeroAlikeAndSqlUsesLiterals) {
  bq::RandomStream s(4);
  std::vector<double> level, flag, y;
  for (int i = 0; i < 3000; ++i) {
    level.push_back(static_cast<double>(1 + s.uniform_int(3)));
    flag.push_back(s.uniform() < 0.4 ? 1.0 : 0.0);
    y.push_back(s.uniform() < 0.1 + 0.1 * level.back() + 0.1 * flag.back() ? 1.0 : 0.0);
  }
  sc::ScorecardModel m;
  m.variables = {sc::bin_column({.name = "level", .categorical = true, .type = sc::CategoryType::number, .numbers = level}, y, {}, {}),
                 sc::bin_column({.name = "flag", .categorical = true, .type = sc::CategoryType::boolean, .numbers = flag}, y, {}, {})};
  m.coefficients = {1.0, 1.0};
  m.round_points = true;
  m.compute_points();
  EXPECT_NE(m.variables[0].bin_of(1.0), sc::VariableBinning::npos);
  EXPECT_EQ(m.variables[0].bin_of(1.0), m.variables[0].bin_of_text("1.0"));
  EXPECT_EQ(m.variables[1].bin_of(1.0), m.variables[1].bin_of_text("True"));
  const std::string sql = m.to_sql();
  EXPECT_EQ(sql.find("'True'"), std::string::npos) << sql;
  EXPECT_NE(sql.find("TRUE"), std::string::npos) << sql;
  EXPECT_NE(sql.find("\"level\" IN (1"), std::string::npos) << sql;
}

TEST(ScorecardModel, ReasonCodesAndCounterfactuals) {
  auto f = make(true);
  const auto cols = f.columns();
  const auto scores = f.model.score(cols).score;
  sc::ReasonOptions ro;
  ro.n_reasons = 2;
  const auto reasons = f.model.reason_codes(cols, ro);
  ASSERT_EQ(reasons.variable.size(), 2 * f.x.size());
  for (std::size_t i = 0; i < 50; ++i) EXPECT_GE(reasons.points_lost[2 * i], reasons.points_lost[2 * i + 1]);
  // target: the median score; every counterfactual found reaches it with as few changes as possible
  std::vector<double> sorted = scores;
  std::sort(sorted.begin(), sorted.end());
  sc::CounterfactualOptions co;
  co.target_score = sorted[sorted.size() / 2];
  co.max_changes = 2;
  const auto cfs = f.model.counterfactuals(cols, co);
  ASSERT_FALSE(cfs.empty());
  const auto idx = f.model.bin_indices(cols);
  for (const auto& cf : cfs) {
    EXPECT_LT(cf.score, co.target_score);
    if (!cf.found) continue;
    EXPECT_GE(cf.new_score, co.target_score - 1e-9);
    double gained = 0;
    for (const auto& ch : cf.changes) gained += ch.points;
    EXPECT_NEAR(cf.new_score, cf.score + gained, 1e-9);
    if (cf.changes.size() == 2) {  // no single change would have done
      for (std::size_t j = 0; j < 2; ++j) {
        const double best = *std::max_element(f.model.points()[j].begin(), f.model.points()[j].begin() + static_cast<long>(f.model.variables[j].regular_bins()));
        EXPECT_LT(cf.score + best - f.model.points()[j][static_cast<std::size_t>(idx[j][cf.row])], co.target_score);
      }
    }
  }
  co.fixed = {"x"};
  for (const auto& cf : f.model.counterfactuals(cols, co)) {
    for (const auto& ch : cf.changes) EXPECT_EQ(ch.variable, 1u);
  }
  co.fixed = {"nope"};
  EXPECT_THROW((void)f.model.counterfactuals(cols, co), bq::InvalidArgument);
}
