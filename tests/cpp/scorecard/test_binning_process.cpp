#include "bankquant/scorecard/binning_process.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include <cmath>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

namespace {
struct Table {
  std::vector<double> strong, weak, leak, y;
  std::vector<std::string> cat;
  std::vector<sc::ColumnView> columns() const {
    return {{.name = "strong", .numbers = strong}, {.name = "weak", .numbers = weak},
            {.name = "leak", .numbers = leak}, {.name = "cat", .categorical = true, .strings = cat}};
  }
};
Table table(std::size_t n) {
  bq::RandomStream s(5);
  Table t;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = s.normal();
    const double yi = s.uniform() < 1 / (1 + std::exp(-(x - 1))) ? 1.0 : 0.0;
    t.strong.push_back(std::round(x * 100) / 100);
    t.weak.push_back(s.normal());
    t.leak.push_back(yi);
    t.cat.push_back(i % 7 == 0 ? "" : (s.uniform() < 0.5 ? "x" : "y"));
    t.y.push_back(yi);
  }
  return t;
}
}  // namespace

TEST(BinningProcess, PerVariableOptionsAndSelection) {
  const auto t = table(4000);
  sc::BinningProcessOptions o;
  o.variables = {{"strong", {}}};
  o.variables[0].options.max_bins = 3;
  o.selection.min_iv = 0.05;
  const auto r = sc::bin_table(t.columns(), t.y, {}, o);
  ASSERT_EQ(r.binnings.size(), 4u);
  EXPECT_LE(r.binnings[0].regular_bins(), 3u);
  EXPECT_TRUE(r.selected[0]);
  EXPECT_FALSE(r.selected[1]);
  EXPECT_NE(r.reasons[1].find("IV"), std::string::npos);
  EXPECT_FALSE(r.selected[2]);
  EXPECT_NE(r.reasons[2].find("separates"), std::string::npos);
  EXPECT_TRUE(r.binnings[3].categorical);
  for (std::size_t j = 0; j < r.binnings.size(); ++j) {
    EXPECT_LE(r.quality[j], r.binnings[j].total_iv + 1e-15);
    EXPECT_GE(r.quality[j], 0.0);
  }
  o.selection = {};
  o.selection.top_n = 1;
  o.selection.keep_separating = true;
  const auto top = sc::bin_table(t.columns(), t.y, {}, o);
  EXPECT_EQ(std::count(top.selected.begin(), top.selected.end(), true), 1);
  EXPECT_TRUE(top.selected[2]);  // the leak has the largest IV
  o.variables = {{"nope", {}}};
  EXPECT_THROW((void)sc::bin_table(t.columns(), t.y, {}, o), bq::InvalidArgument);
}

TEST(BinningProcess, TransformMatchesTheBinsAndCountsUnseen) {
  const auto t = table(3000);
  const auto r = sc::bin_table(t.columns(), t.y, {}, {});
  const auto w = sc::transform_table(r.binnings, t.columns());
  ASSERT_EQ(w.values.rows(), 4);
  ASSERT_EQ(w.values.cols(), 3000);
  for (Eigen::Index i = 0; i < 200; ++i) {
    EXPECT_EQ(w.values(0, i), r.binnings[0].bins[r.binnings[0].bin_of(t.strong[static_cast<std::size_t>(i)])].woe);
  }
  std::vector<std::string> cat = t.cat;
  cat[0] = "z";  // unseen
  auto cols = t.columns();
  cols[3].strings = cat;
  const auto u = sc::transform_table(r.binnings, cols);
  EXPECT_EQ(u.unseen[3], 1u);
  EXPECT_EQ(u.values(3, 0), 0.0);
  const auto idx = sc::transform_table(r.binnings, cols, sc::TransformMetric::index);
  EXPECT_EQ(idx.values(3, 0), -1.0);
  cols.pop_back();
  EXPECT_THROW((void)sc::transform_table(r.binnings, cols), bq::InvalidArgument);
}

TEST(BinningProcess, SameOnAnyThreadCount) {
  const auto t = table(20000);
  auto run = [&] {
    const auto r = sc::bin_table(t.columns(), t.y, {}, {});
    std::string out;
    for (const auto& b : r.binnings) out += b.to_json().dump();
    return out;
  };
  EXPECT_EQ(bq::testing::with_threads(1, run), bq::testing::with_threads(2, run));
}
