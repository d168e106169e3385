#include "bankquant/graph/edge_features.hpp"

#include <gtest/gtest.h>

#include "with_threads.hpp"

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/graph/temporal_cycles.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace bq = bankquant;
namespace gr = bankquant::graph;

namespace {

struct Transfers {
  std::vector<std::int32_t> src, dst;
  std::vector<double> amount;
  std::vector<std::int64_t> time;
};

Transfers random_transfers(std::uint64_t seed, int n_nodes, int n_edges, int horizon) {
  bq::RandomStream rng(seed);
  Transfers r;
  for (int k = 0; k < n_edges; ++k) {
    r.src.push_back(static_cast<std::int32_t>(rng.uniform_int(static_cast<std::uint64_t>(n_nodes))));
    r.dst.push_back(static_cast<std::int32_t>(rng.uniform_int(static_cast<std::uint64_t>(n_nodes))));
    r.amount.push_back(k % 7 == 0 ? 100.0 : rng.uniform(1, 500));  // some repeated amounts
    r.time.push_back(static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(horizon))));
  }
  return r;
}

double column(const gr::EdgeFeatures& f, std::size_t row, const std::string& name) {
  const auto it = std::find(f.names.begin(), f.names.end(), name);
  EXPECT_NE(it, f.names.end()) << name;
  return f.values(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(it - f.names.begin()));
}

void expect_same(double got, double expected, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": " << got;
  } else {
    EXPECT_NEAR(got, expected, 1e-9 * std::max(1.0, std::abs(expected))) << what;
  }
}

}  // namespace

TEST(EdgeFeatures, CountsFromTheTransfersBefore) {
  // 0 pays 1 twice and 2 once, then 1 and 2 pay 3, then 0 pays 3: two intermediates
  const std::vector<std::int32_t> s{0, 0, 0, 1, 2, 0}, d{1, 1, 2, 3, 3, 3};
  const std::vector<double> a{10, 20, 30, 5, 6, 40};
  const std::vector<std::int64_t> t{1, 2, 3, 4, 5, 6};
  const auto g = gr::TransactionGraph::from_edges(4, s, d, a, t);
  gr::EdgeFeatureOptions o;
  o.windows = {10, 2};
  const auto f = gr::edge_features(g, o);
  ASSERT_EQ(f.values.rows(), 6);
  EXPECT_EQ(column(f, 5, "src_out_degree_w0"), 3);
  EXPECT_EQ(column(f, 5, "src_fan_out_w0"), 2);
  EXPECT_EQ(column(f, 5, "dst_in_degree_w0"), 2);
  EXPECT_EQ(column(f, 5, "dst_fan_in_w0"), 2);
  EXPECT_EQ(column(f, 5, "scatter_gather_w0"), 2);
  EXPECT_DOUBLE_EQ(column(f, 5, "src_amount_mean_w0"), 20);
  EXPECT_DOUBLE_EQ(column(f, 5, "src_amount_median_w0"), 20);
  EXPECT_DOUBLE_EQ(column(f, 5, "src_amount_var_w0"), 100);
  EXPECT_DOUBLE_EQ(column(f, 5, "src_amount_skew_w0"), 0);
  EXPECT_TRUE(std::isnan(column(f, 5, "src_amount_kurt_w0")));  // 3 values
  EXPECT_DOUBLE_EQ(column(f, 5, "amount_to_src_median_w0"), 2);
  EXPECT_EQ(column(f, 5, "src_out_degree_w1"), 0);  // [4, 6): nothing sent by 0
  EXPECT_TRUE(std::isnan(column(f, 5, "amount_to_src_median_w1")));
  EXPECT_EQ(column(f, 5, "scatter_gather_w1"), 0);
  EXPECT_EQ(column(f, 0, "src_out_degree_w0"), 0);
  gr::EdgeFeatureOptions bad;
  EXPECT_EQ(gr::edge_features(g, bad).values.cols(), 0);  // no window, no cycle window: no column
  bad.windows = {0};
  EXPECT_THROW((void)gr::edge_features(g, bad), bq::InvalidArgument);
  bad.windows = {1};
  bad.cycle_windows = {-1};
  EXPECT_THROW((void)gr::edge_features(g, bad), bq::InvalidArgument);
  bad.cycle_windows = {};
  EXPECT_THROW((void)gr::edge_features(g, bad, std::vector<std::int32_t>{6}), bq::InvalidArgument);
}

TEST(EdgeFeatures, AgainstAPlainScanAndTheCycleCounts) {
  const auto r = random_transfers(7, 40, 3000, 500);
  const auto g = gr::TransactionGraph::from_edges(40, r.src, r.dst, r.amount, r.time);
  gr::EdgeFeatureOptions o;
  o.windows = {30, 120};
  o.cycle_windows = {25};
  o.max_cycle_length = 4;
  const auto f = gr::edge_features(g, o);
  for (std::size_t e = 0; e < 3000; e += 37) {
    for (std::size_t k = 0; k < 2; ++k) {
      const std::int64_t w = o.windows[k];
      std::vector<double> sent, received;
      std::set<std::int32_t> payees, payers, between;
      for (std::size_t x = 0; x < 3000; ++x) {
        const bool before = r.time[x] < r.time[e] || (r.time[x] == r.time[e] && x < e);
        if (!before || r.time[x] < r.time[e] - w) continue;
        if (r.src[x] == r.src[e]) {
          sent.push_back(r.amount[x]);
          payees.insert(r.dst[x]);
        }
        if (r.dst[x] == r.dst[e]) {
          received.push_back(r.amount[x]);
          payers.insert(r.src[x]);
          for (std::size_t y = 0; y < 3000; ++y) {  // a payment src -> src[x] in the window, before x
            const bool earlier = r.time[y] < r.time[e] || (r.time[y] == r.time[e] && y < e);
            if (earlier && r.time[y] >= r.time[e] - w && r.src[y] == r.src[e] && r.dst[y] == r.src[x] &&
                r.time[y] < r.time[x] && r.src[x] != r.src[e] && r.src[x] != r.dst[e]) {
              between.insert(r.src[x]);
            }
          }
        }
      }
      const std::string suffix = "_w" + std::to_string(k);
      EXPECT_EQ(column(f, e, "src_out_degree" + suffix), static_cast<double>(sent.size()));
      EXPECT_EQ(column(f, e, "src_fan_out" + suffix), static_cast<double>(payees.size()));
      EXPECT_EQ(column(f, e, "dst_in_degree" + suffix), static_cast<double>(received.size()));
      EXPECT_EQ(column(f, e, "dst_fan_in" + suffix), static_cast<double>(payers.size()));
      EXPECT_EQ(column(f, e, "scatter_gather" + suffix), static_cast<double>(between.size()));
      double mean = 0;
      for (double x : sent) mean += x;
      mean /= static_cast<double>(sent.size());
      expect_same(column(f, e, "src_amount_mean" + suffix), sent.empty() ? NAN : mean, "mean");
      if (sent.size() >= 2) {
        double m2 = 0;
        for (double x : sent) m2 += (x - mean) * (x - mean);
        expect_same(column(f, e, "src_amount_var" + suffix), m2 / static_cast<double>(sent.size() - 1), "var");
      }
      if (!sent.empty()) {
        std::sort(sent.begin(), sent.end());
        const std::size_t n = sent.size();
        const double median = n % 2 ? sent[n / 2] : (sent[n / 2 - 1] + sent[n / 2]) / 2;
        expect_same(column(f, e, "src_amount_median" + suffix), median, "median");
        expect_same(column(f, e, "amount_to_src_median" + suffix), r.amount[e] / median, "ratio");
      }
    }
  }
  gr::CycleOptions c;
  c.max_length = 4;
  c.window = 25;
  const auto counts = gr::temporal_cycle_counts(g, c);
  ASSERT_GT(counts.total, 0);
  for (std::size_t e = 0; e < 3000; ++e) {
    ASSERT_EQ(column(f, e, "cycles_closed_c0"), static_cast<double>(counts.closing_cycles[e])) << e;
  }
  const auto one = bq::testing::with_threads(1, [&] { return gr::edge_features(g, o); });
  EXPECT_TRUE(one.values.cwiseEqual(f.values).count() + one.values.array().isNaN().count() == f.values.size());
}

TEST(EdgeFeatures, StreamingRowsEqualTheBatchRows) {
  const auto r = random_transfers(9, 60, 4000, 800);
  const auto all = gr::TransactionGraph::from_edges(60, r.src, r.dst, r.amount, r.time);
  auto part = [&](std::size_t a, std::size_t b, auto& v) { return std::vector(v.begin() + static_cast<std::ptrdiff_t>(a), v.begin() + static_cast<std::ptrdiff_t>(b)); };
  auto g = gr::TransactionGraph::from_edges(60, part(0, 3500, r.src), part(0, 3500, r.dst), part(0, 3500, r.amount), part(0, 3500, r.time));
  g.append_edges(60, part(3500, 4000, r.src), part(3500, 4000, r.dst), part(3500, 4000, r.amount), part(3500, 4000, r.time));
  gr::EdgeFeatureOptions o;
  o.windows = {20, 100};
  o.cycle_windows = {40};
  o.max_cycle_length = 5;
  std::vector<std::int32_t> fresh;
  for (std::int32_t e = 3500; e < 4000; ++e) fresh.push_back(e);
  const auto batch = gr::edge_features(all, o);
  const auto stream = gr::edge_features(g, o, fresh);
  ASSERT_EQ(stream.values.rows(), 500);
  EXPECT_EQ(stream.edges.front(), 3500);
  for (Eigen::Index i = 0; i < 500; ++i) {
    for (Eigen::Index j = 0; j < stream.values.cols(); ++j) {
      const double a = stream.values(i, j), b = batch.values(3500 + i, j);
      ASSERT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << stream.names[static_cast<std::size_t>(j)] << " row " << i;
    }
  }
}
