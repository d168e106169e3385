#include "bankquant/scorecard/bin_editing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

namespace {
struct EditingSample {
  std::vector<double> x, y;
};
EditingSample sample(std::size_t n, std::uint64_t seed) {
  bq::RandomStream s(seed);
  EditingSample out;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = std::round(s.normal() * 100) / 10;
    out.x.push_back(x);
    out.y.push_back(s.uniform() < 1 / (1 + std::exp(-(x * 0.3 - 1))) ? 1.0 : 0.0);
  }
  return out;
}
}  // namespace

TEST(BinEditing, BreaksOnTheFineGridEqualARefitWithManualBreaks) {
  const auto d = sample(5000, 1);
  const auto b = sc::bin_numeric("x", d.x, d.y, {}, {});
  const std::vector<double> breaks{b.fine_cuts[10], b.fine_cuts[40], b.fine_cuts[70]};
  const auto edited = sc::with_breaks(b, breaks);
  sc::BinningOptions manual;
  manual.method = sc::BinningMethod::manual;
  manual.breaks = breaks;
  const auto refit = sc::bin_numeric("x", d.x, d.y, {}, manual);
  ASSERT_EQ(edited.cut_points(), refit.cut_points());
  for (std::size_t k = 0; k < edited.bins.size(); ++k) {
    EXPECT_EQ(edited.bins[k].counts.count, refit.bins[k].counts.count);
    EXPECT_NEAR(edited.bins[k].woe, refit.bins[k].woe, 1e-12);
  }
  EXPECT_NEAR(edited.total_iv, refit.total_iv, 1e-12);
  EXPECT_EQ(edited.method, "manual (edited)");
  EXPECT_THROW((void)sc::with_breaks(b, std::vector<double>{b.fine_cuts[10] + 1e-3}), bq::InvalidArgument);
}

TEST(BinEditing, MergeAndSplitAreInverse) {
  const auto d = sample(5000, 2);
  const auto b = sc::bin_numeric("x", d.x, d.y, {}, {});
  ASSERT_GE(b.regular_bins(), 3u);
  const auto merged = sc::merge_bins(b, 1);
  EXPECT_EQ(merged.regular_bins(), b.regular_bins() - 1);
  EXPECT_EQ(merged.bins[1].counts.count, b.bins[1].counts.count + b.bins[2].counts.count);
  const auto back = sc::split_bin(merged, 1, b.bins[1].upper);
  EXPECT_EQ(back.cut_points(), b.cut_points());
  EXPECT_NEAR(back.total_iv, b.total_iv, 1e-12);
  EXPECT_THROW((void)sc::merge_bins(b, b.regular_bins() - 1), bq::InvalidArgument);
  EXPECT_THROW((void)sc::split_bin(b, 0, b.bins[0].upper + 1.0), bq::InvalidArgument);
}

TEST(BinEditing, CategoricalGroups) {
  std::vector<std::int32_t> codes;
  std::vector<double> y;
  bq::RandomStream s(3);
  for (int i = 0; i < 4000; ++i) {
    const auto c = static_cast<std::int32_t>(s.uniform_int(4));
    codes.push_back(c);
    y.push_back(s.uniform() < 0.1 + 0.1 * c ? 1.0 : 0.0);
  }
  const std::vector<std::string> keys{"a", "b", "c", "d"};
  const auto b = sc::bin_categorical("k", codes, keys, sc::CategoryType::text, y, {}, {});
  const auto g = sc::with_groups(b, {{"a", "d"}, {"b"}});
  ASSERT_EQ(g.regular_bins(), 3u);  // {a, d}, {b}, and c on its own
  EXPECT_EQ(g.bin_of("a"), g.bin_of("d"));
  double total = 0;
  for (const auto& bin : g.bins) total += bin.counts.count;
  EXPECT_EQ(total, 4000.0);
  const auto split = sc::split_bin(g, g.bin_of("a"), std::vector<std::string>{"d"});
  EXPECT_NE(split.bin_of("a"), split.bin_of("d"));
  EXPECT_THROW((void)sc::with_groups(b, {{"a"}, {"a"}}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::with_groups(b, {{"zzz"}}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::with_breaks(b, std::vector<double>{1.0}), bq::InvalidArgument);
}
