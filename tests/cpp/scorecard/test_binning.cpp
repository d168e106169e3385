#include "bankquant/scorecard/binning.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

namespace {

// Brute force: every grouping of m pre-bins (2^(m-1) of them) that meets the constraints.
double brute_force_best_iv(const std::vector<sc::BinCounts>& pre, const sc::BinningOptions& o, sc::MonotonicTrend t) {
  sc::BinCounts total;
  for (const auto& p : pre) total.merge(p);
  const std::size_t m = pre.size();
  double best = -1.0;
  for (std::uint32_t mask = 0; mask < (1u << (m - 1)); ++mask) {
    std::vector<sc::BinCounts> groups(1);
    for (std::size_t i = 0; i < m; ++i) {
      if (i > 0 && (mask >> (i - 1) & 1u)) groups.emplace_back();
      groups.back().merge(pre[i]);
    }
    if (groups.size() > static_cast<std::size_t>(o.max_bins)) continue;
    bool ok = true;
    for (const auto& g : groups) {
      ok &= g.count >= o.min_bin_share * total.count * (1 - 1e-12) && g.events >= o.min_bin_events &&
            g.non_events >= o.min_bin_non_events;
    }
    // trend: count the direction changes of the event rate
    int ups = 0, downs = 0, turns_down_after_up = 0, turns_up_after_down = 0;
    for (std::size_t g = 1; g < groups.size(); ++g) {
      const double a = groups[g - 1].event_rate(), b = groups[g].event_rate();
      if (b > a) {
        if (downs) ++turns_up_after_down;
        ++ups;
      } else if (b < a) {
        if (ups) ++turns_down_after_up;
        ++downs;
      } else {
        ok = t == sc::MonotonicTrend::none ? ok : false;  // equal rates are not strictly monotone
      }
    }
    switch (t) {
      case sc::MonotonicTrend::ascending: ok &= downs == 0; break;
      case sc::MonotonicTrend::descending: ok &= ups == 0; break;
      case sc::MonotonicTrend::peak: ok &= turns_up_after_down == 0; break;
      case sc::MonotonicTrend::valley: ok &= turns_down_after_up == 0; break;
      default: break;
    }
    if (!ok) continue;
    double iv = 0;
    for (const auto& g : groups) iv += sc::information_value(g, total.events, total.non_events);
    best = std::max(best, iv);
  }
  return best;
}

double grouping_iv(const std::vector<sc::BinCounts>& pre, const std::vector<std::size_t>& starts) {
  sc::BinCounts total;
  for (const auto& p : pre) total.merge(p);
  double iv = 0;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    sc::BinCounts g;
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : pre.size();
    for (std::size_t i = starts[k]; i < end; ++i) g.merge(pre[i]);
    iv += sc::information_value(g, total.events, total.non_events);
  }
  return iv;
}

struct BinningSample {
  std::vector<double> x, y;
};

// Default probability rising with x, plus noise: a typical numeric characteristic.
BinningSample logistic_sample(std::size_t n, std::uint64_t seed) {
  bq::RandomStream s(seed);
  BinningSample out;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = std::round(s.normal() * 100) / 10;  // rounded: many ties
    const double p = 1 / (1 + std::exp(-(x * 0.3 - 1)));
    out.x.push_back(x);
    out.y.push_back(s.uniform() < p ? 1.0 : 0.0);
  }
  return out;
}

}  // namespace

TEST(OptimalBinning, DynamicProgramIsExactAgainstBruteForce) {
  bq::RandomStream s(3);
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<sc::BinCounts> pre(11);
    for (auto& p : pre) {
      p.events = static_cast<double>(s.uniform_int(40) + 1);
      p.non_events = static_cast<double>(s.uniform_int(120) + 1);
      p.count = p.events + p.non_events;
      p.rows = p.count;
      p.event_rows = p.events;
    }
    sc::BinningOptions o;
    o.max_bins = 2 + static_cast<int>(s.uniform_int(5));
    o.min_bin_share = 0.05;
    o.min_bin_events = 1;
    o.min_bin_non_events = 1;
    for (auto t : {sc::MonotonicTrend::ascending, sc::MonotonicTrend::descending, sc::MonotonicTrend::peak,
                   sc::MonotonicTrend::valley, sc::MonotonicTrend::none}) {
      const double expected = brute_force_best_iv(pre, o, t);
      const auto starts = sc::optimal_grouping(pre, o, t);
      if (expected < 0) {
        EXPECT_TRUE(starts.empty());
        continue;
      }
      ASSERT_FALSE(starts.empty()) << "trial " << trial << " trend " << bq::enum_name(t);
      EXPECT_NEAR(grouping_iv(pre, starts), expected, 1e-12) << "trial " << trial << " trend " << bq::enum_name(t);
      EXPECT_LE(starts.size(), static_cast<std::size_t>(o.max_bins));
    }
  }
}

TEST(BinNumeric, MonotoneBinsRespectConstraintsAndKeepTiesTogether) {
  const auto data = logistic_sample(5000, 1);
  sc::BinningOptions o;  // optimal, auto trend, max 8 bins, 5% each
  const auto b = sc::bin_numeric("x", data.x, data.y, {}, o);
  EXPECT_EQ(b.method, "optimal (ascending)");
  // the top bin is all events (p > 0.98 there): kept and noted, nothing else to report
  EXPECT_TRUE(b.status.empty() || b.status.rfind("pure bins:", 0) == 0) << b.status;
  std::size_t regular = 0;
  double previous_rate = -1, iv = 0;
  for (const auto& bin : b.bins) {
    iv += bin.iv;
    if (bin.kind != sc::BinKind::regular) continue;
    ++regular;
    EXPECT_GE(bin.counts.count, 0.05 * 5000 - 1e-9);
    EXPECT_GT(bin.counts.event_rate(), previous_rate);
    previous_rate = bin.counts.event_rate();
  }
  EXPECT_GE(regular, 2u);
  EXPECT_LE(regular, 8u);
  EXPECT_NEAR(iv, b.total_iv, 1e-12);
  // Every occurrence of a value falls into the same bin, and bin_of agrees with the edges.
  for (std::size_t i = 0; i < data.x.size(); ++i) {
    const auto k = b.bin_of(data.x[i]);
    ASSERT_LT(k, b.bins.size());
    EXPECT_GE(data.x[i], b.bins[k].lower);
    EXPECT_LT(data.x[i], b.bins[k].upper);
  }
  // Counts add up to the sample.
  double total = 0;
  for (const auto& bin : b.bins) total += bin.counts.count;
  EXPECT_EQ(total, 5000.0);
}

TEST(BinNumeric, MissingAndSpecialValuesGetTheirOwnBins) {
  auto data = logistic_sample(3000, 2);
  for (std::size_t i = 0; i < 300; ++i) data.x[i] = NAN;
  for (std::size_t i = 300; i < 500; ++i) data.x[i] = -999;
  sc::BinningOptions o;
  o.special_values = {{-999}, {-998}};  // -998 never occurs in the sample
  const auto b = sc::bin_numeric("x", data.x, data.y, {}, o);
  const auto& missing = b.bins[b.missing_bin()];
  EXPECT_EQ(missing.kind, sc::BinKind::missing);
  EXPECT_EQ(missing.counts.count, 300.0);
  const auto special = b.bin_of(-999.0);
  EXPECT_EQ(b.bins[special].kind, sc::BinKind::special);
  EXPECT_EQ(b.bins[special].counts.count, 200.0);
  const auto empty_special = b.bin_of(-998.0);
  EXPECT_EQ(b.bins[empty_special].counts.count, 0.0);
  EXPECT_EQ(b.bins[empty_special].woe, 0.0);  // unseen at fit time: population average
  EXPECT_EQ(b.bin_of(std::numeric_limits<double>::quiet_NaN()), b.missing_bin());
  // the table's derived columns, recounted from the sample
  const auto rates = sc::bin_rates(b);
  ASSERT_EQ(rates.size(), b.bins.size());
  EXPECT_DOUBLE_EQ(rates[b.missing_bin()].share, 300.0 / 3000.0);
  double missing_events = 0;
  for (std::size_t i = 0; i < 300; ++i) missing_events += data.y[i];
  EXPECT_DOUBLE_EQ(rates[b.missing_bin()].event_rate, missing_events / 300.0);
  EXPECT_TRUE(std::isnan(rates[empty_special].event_rate));  // an empty bin has no rate
  EXPECT_EQ(rates[empty_special].share, 0.0);
  EXPECT_TRUE(std::isnan(rates[special].mean));  // binary target: no mean column
}

TEST(BinNumeric, OtherMethods) {
  const auto data = logistic_sample(4000, 5);
  for (auto method : {sc::BinningMethod::chimerge, sc::BinningMethod::tree, sc::BinningMethod::quantile,
                      sc::BinningMethod::uniform}) {
    sc::BinningOptions o;
    o.method = method;
    o.max_bins = 5;
    const auto b = sc::bin_numeric("x", data.x, data.y, {}, o);
    std::size_t regular = 0;
    for (const auto& bin : b.bins) regular += bin.kind == sc::BinKind::regular;
    EXPECT_GE(regular, 2u) << bq::enum_name(method);
    EXPECT_LE(regular, 5u) << bq::enum_name(method);
    EXPECT_GT(b.total_iv, 0.1) << bq::enum_name(method);
  }
  sc::BinningOptions manual;
  manual.method = sc::BinningMethod::manual;
  manual.breaks = {-1.0, 0.0, 2.5};
  const auto b = sc::bin_numeric("x", data.x, data.y, {}, manual);
  EXPECT_EQ(b.cut_points(), (std::vector<double>{-1.0, 0.0, 2.5}));
}

TEST(BinNumeric, ExactOptimalBeatsOrMatchesEveryOtherMethodUnderTheSameConstraints) {
  const auto data = logistic_sample(4000, 9);
  sc::BinningOptions o;
  o.monotonic = sc::MonotonicTrend::none;
  const double optimal = sc::bin_numeric("x", data.x, data.y, {}, o).total_iv;
  for (auto method : {sc::BinningMethod::chimerge, sc::BinningMethod::tree}) {
    o.method = method;
    EXPECT_LE(sc::bin_numeric("x", data.x, data.y, {}, o).total_iv, optimal + 1e-12) << bq::enum_name(method);
  }
}

TEST(BinNumeric, WeightsActAsFrequencies) {
  const std::vector<double> x{1, 2, 3, 4, 5, 6}, y{0, 0, 1, 0, 1, 1}, w{2, 1, 1, 3, 1, 2};
  std::vector<double> xr, yr;
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (int k = 0; k < static_cast<int>(w[i]); ++k) {
      xr.push_back(x[i]);
      yr.push_back(y[i]);
    }
  }
  sc::BinningOptions o;
  o.min_bin_share = 0.0;
  o.prebins = 6;
  // no pure bins: their WoE adjustment is counted in mean weights (scale-free), which repetition
  // changes; everything else is a frequency weight
  o.min_bin_events = 1;
  o.min_bin_non_events = 1;
  const auto weighted = sc::bin_numeric("x", x, y, w, o);
  const auto repeated = sc::bin_numeric("x", xr, yr, {}, o);
  EXPECT_NEAR(weighted.total_iv, repeated.total_iv, 1e-12);
  EXPECT_EQ(weighted.cut_points(), repeated.cut_points());
}

TEST(BinNumeric, SameBinsOnAnyThreadCount) {
  const auto data = logistic_sample(20000, 4);
  auto binned = [&] { return sc::bin_numeric("x", data.x, data.y, {}, {}).to_json().dump(); };
  const auto a = bq::testing::with_threads(1, binned);
  const auto b = bq::testing::with_threads(2, binned);
  EXPECT_EQ(a, b);
}

TEST(BinNumeric, BadInput) {
  const std::vector<double> x{1, 2, 3}, y{0, 1, 0};
  EXPECT_THROW((void)sc::bin_numeric("x", std::vector<double>{}, std::vector<double>{}, {}, {}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::bin_numeric("x", x, std::vector<double>{0, 1}, {}, {}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::bin_numeric("x", x, std::vector<double>{0, 0, 0}, {}, {}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::bin_numeric("x", x, std::vector<double>{0, 2, 0}, {}, {}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::bin_numeric("x", std::vector<double>{1, INFINITY, 3}, y, {}, {}), bq::InvalidArgument);
  EXPECT_THROW((void)sc::bin_numeric("x", x, y, std::vector<double>{1, -1, 1}, {}), bq::InvalidArgument);
  sc::BinningOptions bad;
  bad.max_bins = 0;
  try {
    (void)sc::bin_numeric("x", x, y, {}, bad);
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("argument 'max_bins'"), std::string::npos);
  }
  // A constant characteristic gives one bin and says so.
  const auto b = sc::bin_numeric("c", std::vector<double>{7, 7, 7}, y, {}, {});
  EXPECT_EQ(b.cut_points().size(), 0u);
  EXPECT_FALSE(b.status.empty());
}

TEST(BinCategorical, OrderedByEventRateRarePooledUnseenIsNpos) {
  // categories: a (rate 0.1), b (0.5), c (0.3), r1 and r2 rare
  std::vector<std::int32_t> codes;
  std::vector<double> y;
  auto add = [&](std::int32_t code, int n, int events) {
    for (int i = 0; i < n; ++i) {
      codes.push_back(code);
      y.push_back(i < events ? 1.0 : 0.0);
    }
  };
  add(0, 400, 40);
  add(1, 300, 150);
  add(2, 280, 84);
  add(3, 5, 2);
  add(4, 5, 1);
  add(-1, 10, 5);
  const std::vector<std::string> labels{"a", "b", "c", "r1", "r2"};
  sc::BinningOptions o;
  o.min_category_share = 0.02;
  const auto b = sc::bin_categorical("cat", codes, labels, sc::CategoryType::text, y, {}, o);
  EXPECT_TRUE(b.categorical);
  EXPECT_EQ(b.bin_of("r1"), b.bin_of("r2"));  // pooled
  EXPECT_EQ(b.bin_of("zzz"), sc::VariableBinning::npos);
  EXPECT_EQ(b.bins[b.missing_bin()].counts.count, 10.0);
  double previous = -1;
  for (const auto& bin : b.bins) {
    if (bin.kind != sc::BinKind::regular) continue;
    EXPECT_GE(bin.counts.event_rate(), previous);
    previous = bin.counts.event_rate();
  }
  EXPECT_THROW((void)sc::bin_categorical("cat", std::vector<std::int32_t>{0, 7}, labels, sc::CategoryType::text,
                                         std::vector<double>{0, 1}, {}, o),
               bq::InvalidArgument);
}

TEST(VariableBinning, JsonRoundTrip) {
  auto data = logistic_sample(2000, 8);
  data.x[0] = NAN;
  sc::BinningOptions o;
  o.special_values = {{-999}};
  const auto b = sc::bin_numeric("x", data.x, data.y, {}, o);
  const auto back = sc::VariableBinning::from_json(bq::io::parse_json(b.to_json().dump()));
  EXPECT_EQ(back.to_json(), b.to_json());
  for (double v : {-5.0, -0.1, 0.0, 0.7, 3.0, -999.0}) EXPECT_EQ(back.bin_of(v), b.bin_of(v));
  EXPECT_EQ(back.bin_of(std::numeric_limits<double>::quiet_NaN()), b.missing_bin());
  EXPECT_EQ(bq::enum_from_name<sc::BinningMethod>("tree", "method"), sc::BinningMethod::tree);
  EXPECT_THROW((void)bq::enum_from_name<sc::MonotonicTrend>("up", "monotonic"), bq::InvalidArgument);
  // a file whose WoE was edited is refused
  auto j = b.to_json();
  j["bins"][0]["woe"] = j["bins"][0]["woe"].get<double>() + 0.5;
  EXPECT_THROW((void)sc::VariableBinning::from_json(j), bq::ModelFormatError);
}

namespace {

// Brute force for the wider constraints: every grouping, checked directly.
double brute_force(const std::vector<sc::BinCounts>& pre, const sc::BinningOptions& o, sc::MonotonicTrend t,
                   bool continuous) {
  sc::BinCounts total;
  for (const auto& p : pre) total.merge(p);
  const std::size_t m = pre.size();
  double best = -1.0;
  for (std::uint32_t mask = 0; mask < (1u << (m - 1)); ++mask) {
    std::vector<sc::BinCounts> g(1);
    for (std::size_t i = 0; i < m; ++i) {
      if (i > 0 && (mask >> (i - 1) & 1u)) g.emplace_back();
      g.back().merge(pre[i]);
    }
    if (g.size() > static_cast<std::size_t>(o.max_bins) || g.size() < static_cast<std::size_t>(o.min_bins)) continue;
    bool ok = true;
    for (const auto& b : g) ok &= b.count <= o.max_bin_share * total.count * (1 + 1e-12) && b.count >= o.min_bin_share * total.count * (1 - 1e-12);
    for (std::size_t k = 1; k < g.size() && ok; ++k) {
      ok &= std::abs(g[k].event_rate() - g[k - 1].event_rate()) >= o.min_event_rate_diff;
    }
    if (t == sc::MonotonicTrend::concave || t == sc::MonotonicTrend::convex) {
      for (std::size_t k = 2; k < g.size() && ok; ++k) {
        const double d1 = g[k - 1].event_rate() - g[k - 2].event_rate(), d2 = g[k].event_rate() - g[k - 1].event_rate();
        ok &= t == sc::MonotonicTrend::concave ? d2 <= d1 : d2 >= d1;
      }
    } else if (t == sc::MonotonicTrend::ascending) {
      for (std::size_t k = 1; k < g.size() && ok; ++k) ok &= g[k].event_rate() > g[k - 1].event_rate();
    }
    if (!ok) continue;
    double v = 0;
    for (const auto& b : g) {
      if (continuous) {
        const double d = b.mean() - total.mean();
        v += b.count * d * d;
      } else {
        v += sc::information_value(b, total.events, total.non_events);
      }
    }
    best = std::max(best, v);
  }
  return best;
}

double objective(const std::vector<sc::BinCounts>& pre, const std::vector<std::size_t>& starts, bool continuous) {
  sc::BinCounts total;
  for (const auto& p : pre) total.merge(p);
  double v = 0;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    sc::BinCounts g;
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : pre.size();
    for (std::size_t i = starts[k]; i < end; ++i) g.merge(pre[i]);
    if (continuous) {
      const double d = g.mean() - total.mean();
      v += g.count * d * d;
    } else {
      v += sc::information_value(g, total.events, total.non_events);
    }
  }
  return v;
}

std::vector<sc::BinCounts> random_prebins(bq::RandomStream& s, std::size_t m, bool continuous) {
  std::vector<sc::BinCounts> pre(m);
  for (auto& p : pre) {
    const double n = static_cast<double>(s.uniform_int(150) + 20);
    const double mean = continuous ? s.uniform() : static_cast<double>(s.uniform_int(40) + 1) / n;
    p.count = p.rows = n;
    p.events = mean * n;
    p.non_events = n - p.events;
    p.event_rows = continuous ? 0.0 : p.events;
    p.sum_squares = continuous ? n * (mean * mean + 0.04) : p.events;
  }
  return pre;
}

}  // namespace

TEST(OptimalBinning, WiderConstraintsAndCurvatureAreExactAgainstBruteForce) {
  bq::RandomStream s(21);
  for (int trial = 0; trial < 30; ++trial) {
    const bool continuous = trial % 2 == 1;
    const auto pre = random_prebins(s, 9, continuous);
    sc::BinningOptions o;
    o.target = continuous ? sc::TargetType::continuous : sc::TargetType::binary;
    o.max_bins = 3 + static_cast<int>(s.uniform_int(4));
    o.min_bins = 1 + static_cast<int>(s.uniform_int(2));
    o.min_bin_share = 0.03;
    o.max_bin_share = 0.6;
    o.min_event_rate_diff = trial % 3 == 0 ? 0.02 : 0.0;
    for (auto t : {sc::MonotonicTrend::ascending, sc::MonotonicTrend::none, sc::MonotonicTrend::concave,
                   sc::MonotonicTrend::convex}) {
      const double expected = brute_force(pre, o, t, continuous);
      const auto starts = sc::optimal_grouping(pre, o, t);
      if (expected < 0) {
        EXPECT_TRUE(starts.empty() || starts.size() < static_cast<std::size_t>(o.min_bins));
        continue;
      }
      ASSERT_FALSE(starts.empty()) << trial << " " << bq::enum_name(t);
      EXPECT_NEAR(objective(pre, starts, continuous), expected, 1e-9 * (1 + expected)) << trial << " " << bq::enum_name(t);
    }
  }
}

TEST(BinNumeric, MaxPvalueKeepsOnlySignificantlyDifferentNeighbours) {
  const auto data = logistic_sample(3000, 12);
  sc::BinningOptions o;
  o.max_pvalue = 0.01;
  const auto b = sc::bin_numeric("x", data.x, data.y, {}, o);
  std::vector<const sc::Bin*> regular;
  for (const auto& bin : b.bins) {
    if (bin.kind == sc::BinKind::regular) regular.push_back(&bin);
  }
  ASSERT_GE(regular.size(), 2u);
  for (std::size_t k = 1; k < regular.size(); ++k) {
    // chi-square of the 2x2 table of neighbours, by hand
    const auto& a = regular[k - 1]->counts;
    const auto& c = regular[k]->counts;
    const double n = a.count + c.count, e = a.events + c.events, ne = a.non_events + c.non_events;
    const double d = a.events * c.non_events - a.non_events * c.events;
    const double chi = n * d * d / (a.count * c.count * e * ne);
    EXPECT_GT(chi, 6.634896601021214);  // chi-square(1) 99% quantile
  }
}

TEST(BinNumeric, WeightsOfAnyScaleGiveTheSameBins) {
  const auto data = logistic_sample(4000, 13);
  const std::vector<double> small(data.x.size(), 1e-3), large(data.x.size(), 1e6);
  const auto a = sc::bin_numeric("x", data.x, data.y, {}, {});
  const auto b = sc::bin_numeric("x", data.x, data.y, small, {});
  const auto c = sc::bin_numeric("x", data.x, data.y, large, {});
  EXPECT_EQ(a.cut_points(), b.cut_points());
  EXPECT_EQ(a.cut_points(), c.cut_points());
  EXPECT_NEAR(a.total_iv, b.total_iv, 1e-10);
  EXPECT_NEAR(a.total_iv, c.total_iv, 1e-10);
}

TEST(BinNumeric, ALeakIsFlaggedAndKeepsItsPureBins) {
  const auto data = logistic_sample(2000, 14);
  const auto b = sc::bin_numeric("leak", data.y, data.y, {}, {});
  EXPECT_TRUE(b.separates);
  EXPECT_GT(b.total_iv, 5.0);
  EXPECT_NE(b.status.find("separates the classes"), std::string::npos);
  const auto ordinary = sc::bin_numeric("x", data.x, data.y, {}, {});
  EXPECT_FALSE(ordinary.separates);
}

TEST(BinNumeric, TreeAndChimergeEnforceTheTrend) {
  const auto data = logistic_sample(4000, 15);
  for (auto method : {sc::BinningMethod::tree, sc::BinningMethod::chimerge}) {
    sc::BinningOptions o;
    o.method = method;
    o.monotonic = sc::MonotonicTrend::descending;  // against the data: pooled down to few bins
    for (auto trend : {sc::MonotonicTrend::ascending, sc::MonotonicTrend::descending}) {
      o.monotonic = trend;
      const auto b = sc::bin_numeric("x", data.x, data.y, {}, o);
      double previous = trend == sc::MonotonicTrend::ascending ? -1.0 : 2.0;
      for (const auto& bin : b.bins) {
        if (bin.kind != sc::BinKind::regular) continue;
        if (trend == sc::MonotonicTrend::ascending) {
          EXPECT_GT(bin.counts.event_rate(), previous);
        } else {
          EXPECT_LT(bin.counts.event_rate(), previous);
        }
        previous = bin.counts.event_rate();
      }
    }
    o.monotonic = sc::MonotonicTrend::peak;
    EXPECT_THROW((void)sc::bin_numeric("x", data.x, data.y, {}, o), bq::InvalidArgument);
  }
  sc::BinningOptions q;
  q.method = sc::BinningMethod::quantile;
  q.monotonic = sc::MonotonicTrend::ascending;
  EXPECT_THROW((void)sc::bin_numeric("x", data.x, data.y, {}, q), bq::InvalidArgument);
}

TEST(BinNumeric, AutoChoosesASignificantPeak) {
  // default risk peaks in the middle of x: a peak, not a monotone trend, fits
  bq::RandomStream s(16);
  std::vector<double> x, y;
  for (int i = 0; i < 20000; ++i) {
    const double v = s.uniform(-3, 3);
    x.push_back(std::round(v * 100) / 100);
    y.push_back(s.uniform() < 0.05 + 0.3 * std::exp(-v * v) ? 1.0 : 0.0);
  }
  const auto b = sc::bin_numeric("x", x, y, {}, {});
  EXPECT_EQ(b.method, "optimal (peak)");
  // pure noise: no significant turn, so a monotone trend
  std::vector<double> noise;
  for (int i = 0; i < 20000; ++i) noise.push_back(s.uniform() < 0.2 ? 1.0 : 0.0);
  const auto n = sc::bin_numeric("x", x, noise, {}, {});
  EXPECT_TRUE(n.method == "optimal (ascending)" || n.method == "optimal (descending)") << n.method;
}

TEST(BinNumeric, ContinuousTargetBinsTheMean) {
  bq::RandomStream s(17);
  std::vector<double> x, lgd;
  for (int i = 0; i < 5000; ++i) {
    const double v = s.uniform(0, 1);
    x.push_back(std::round(v * 1000) / 1000);
    lgd.push_back(std::clamp(0.2 + 0.5 * v + 0.1 * s.normal(), 0.0, 1.0));
  }
  sc::BinningOptions o;
  o.target = sc::TargetType::continuous;
  const auto b = sc::bin_numeric("ltv", x, lgd, {}, o);
  EXPECT_EQ(b.target, sc::TargetType::continuous);
  double previous = -1, total = 0, weighted_mean = 0;
  for (const auto& bin : b.bins) {
    if (bin.kind != sc::BinKind::regular) continue;
    EXPECT_GT(bin.woe, previous);  // the bin mean, increasing
    EXPECT_NEAR(bin.woe, bin.counts.events / bin.counts.count, 1e-12);
    previous = bin.woe;
    total += bin.counts.count;
    weighted_mean += bin.counts.events;
  }
  EXPECT_GT(b.total_iv, 0.5);  // R^2 of the bins: most of the variance is the trend
  EXPECT_LT(b.total_iv, 1.0);
  EXPECT_NEAR(weighted_mean / total, b.total.mean(), 1e-12);
  o.method = sc::BinningMethod::chimerge;
  EXPECT_THROW((void)sc::bin_numeric("ltv", x, lgd, {}, o), bq::InvalidArgument);
}

TEST(BinNumeric, FineGridHoldsThePrebinCutsAndTheMostFrequentValue) {
  auto data = logistic_sample(5000, 18);
  for (std::size_t i = 0; i < 3000; ++i) data.x[i] = 0.0;  // 60% at one value
  const auto b = sc::bin_numeric("x", data.x, data.y, {}, {});
  for (double c : b.cut_points()) EXPECT_TRUE(std::binary_search(b.fine_cuts.begin(), b.fine_cuts.end(), c));
  double fine_total = 0;
  for (const auto& c : b.fine_counts) fine_total += c.count;
  EXPECT_EQ(fine_total, 5000.0);
  const double zeros = static_cast<double>(std::count(data.x.begin(), data.x.end(), 0.0));
  EXPECT_DOUBLE_EQ(b.largest_value_share, zeros / 5000.0);
}

TEST(BinNumeric, GroupedSpecialValues) {
  auto data = logistic_sample(3000, 19);
  for (std::size_t i = 0; i < 100; ++i) data.x[i] = -999;
  for (std::size_t i = 100; i < 150; ++i) data.x[i] = -998;
  sc::BinningOptions o;
  o.special_values = {{-999, -998}};
  const auto b = sc::bin_numeric("x", data.x, data.y, {}, o);
  EXPECT_EQ(b.bin_of(-999.0), b.bin_of(-998.0));
  EXPECT_EQ(b.bins[b.bin_of(-999.0)].counts.count, 150.0);
  EXPECT_EQ(b.bins[b.bin_of(-999.0)].label(), "special {-999, -998}");
  o.special_values = {{-999}, {-999}};
  EXPECT_THROW((void)sc::bin_numeric("x", data.x, data.y, {}, o), bq::InvalidArgument);
}

namespace {

// bin_numeric's quantile pre-bin cuts with unit weights (binning.cpp): the value at order statistic
// ceil(n j / prebins) - 1 of the regular values, then the next distinct value above it.
std::vector<double> quantile_prebin_cuts(std::vector<double> xs, int prebins) {
  std::sort(xs.begin(), xs.end());
  const std::size_t n = xs.size(), p = static_cast<std::size_t>(prebins);
  std::vector<double> cuts;
  for (std::size_t j = 1; j < p; ++j) {
    const double v = xs[(n * j + p - 1) / p - 1];
    const auto it = std::upper_bound(xs.begin(), xs.end(), v);
    if (it != xs.end()) cuts.push_back(*it);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::erase_if(cuts, [&](double c) { return !(c > xs.front()) || c > xs.back(); });
  return cuts;
}

}  // namespace

TEST(Binning, PrebinCountsOfPartsMergeIntoTheOneMachineBinning) {
  bq::RandomStream s(5);
  const std::size_t n = 20'000;
  std::vector<double> x(n), y(n), regular;
  for (std::size_t i = 0; i < n; ++i) {
    const double z = s.normal() / std::sqrt(s.uniform(0.1, 1.0));      // heavy tails
    x[i] = std::round(z * 20.0) / 20.0;                                 // and ties
    y[i] = s.uniform() < 1.0 / (1.0 + std::exp(1.5 - 0.8 * z)) ? 1.0 : 0.0;
    if (i % 97 == 0) x[i] = std::numeric_limits<double>::quiet_NaN();
    if (i % 89 == 0) x[i] = -999.0;
    if (!std::isnan(x[i]) && x[i] != -999.0) regular.push_back(x[i]);
  }
  for (const auto method : {sc::BinningMethod::optimal, sc::BinningMethod::chimerge, sc::BinningMethod::tree}) {
    sc::BinningOptions o;
    o.method = method;
    o.special_values = {{-999.0}};
    const auto one = sc::bin_numeric("z", x, y, {}, o);
    const auto cuts = quantile_prebin_cuts(regular, o.prebins);
    std::vector<sc::PrebinCounts> parts;
    for (std::size_t p = 0; p < 4; ++p) {  // four uneven parts, one of them empty
      const std::size_t begin = p == 3 ? n : n * p * p / 9, end = p == 3 ? n : n * (p + 1) * (p + 1) / 9;
      parts.push_back(sc::count_prebins(std::span<const double>(x).subspan(begin, end - begin),
                                        std::span<const double>(y).subspan(begin, end - begin), {}, cuts, o));
    }
    const auto merged = sc::bin_prebins("z", sc::merge_prebin_counts(parts), o);
    ASSERT_EQ(merged.bins.size(), one.bins.size()) << bq::enum_name(method);
    for (std::size_t k = 0; k < one.bins.size(); ++k) {
      EXPECT_EQ(merged.bins[k].lower, one.bins[k].lower);
      EXPECT_EQ(merged.bins[k].upper, one.bins[k].upper);
      EXPECT_EQ(merged.bins[k].counts.count, one.bins[k].counts.count);
      EXPECT_EQ(merged.bins[k].counts.events, one.bins[k].counts.events);
      EXPECT_EQ(merged.bins[k].woe, one.bins[k].woe);
    }
    EXPECT_EQ(merged.total_iv, one.total_iv);
    EXPECT_EQ(merged.method, one.method);
    EXPECT_EQ(merged.missing_share, one.missing_share);
  }
}

TEST(Binning, PrebinCountsEdgeCases) {
  sc::BinningOptions o;
  const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8}, y{0, 1, 0, 1, 0, 1, 1, 1};
  const std::vector<double> cuts{-5, 2.5, 3.5, 100};  // empty first and last pre-bins
  o.min_bin_share = 0.0;
  const auto b = sc::bin_prebins("x", sc::count_prebins(x, y, {}, cuts, o), o);
  double rows = 0;
  for (const auto& bin : b.bins) rows += bin.counts.rows;
  EXPECT_EQ(rows, 8.0);
  EXPECT_EQ(b.bins.front().lower, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(b.fine_cuts, (std::vector<double>{2.5, 3.5}));
  const std::vector<double> unsorted{3, 1};
  EXPECT_THROW((void)sc::count_prebins(x, y, {}, unsorted, o), bq::InvalidArgument);
  const std::vector<sc::PrebinCounts> mismatched{sc::count_prebins(x, y, {}, cuts, o),
                                                 sc::count_prebins(x, y, {}, std::vector<double>{2.5}, o)};
  EXPECT_THROW((void)sc::merge_prebin_counts(mismatched), bq::InvalidArgument);
  const auto one_class = sc::count_prebins(x, std::vector<double>(8, 0.0), {}, cuts, o);  // a part may hold one class
  EXPECT_THROW((void)sc::bin_prebins("x", one_class, o), bq::InvalidArgument);           // the whole may not
  o.method = sc::BinningMethod::quantile;
  EXPECT_THROW((void)sc::bin_prebins("x", sc::count_prebins(x, y, {}, cuts, o), o), bq::InvalidArgument);
}
