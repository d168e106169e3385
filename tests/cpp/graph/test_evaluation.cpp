#include "bankquant/graph/evaluation.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(Evaluation, RecallAndPrecisionByOverlap) {
  std::vector<std::int32_t> s{0, 1, 2, 3, 4, 5}, d{1, 2, 0, 4, 5, 3};
  std::vector<double> a(6, 1.0);
  std::vector<std::int64_t> t{1, 2, 3, 4, 5, 6};
  const auto g = gr::TransactionGraph::from_edges(6, s, d, a, t);
  // truth: one cycle of edges 0..2 and one fan-in of edges 3..5
  const std::vector<gr::Typology> typ{gr::Typology::cycle, gr::Typology::fan_in};
  const std::vector<std::int64_t> off{0, 3, 6};
  const std::vector<std::int32_t> edges{0, 1, 2, 3, 4, 5};
  gr::AlertList alerts;
  alerts.add(g, gr::Typology::cycle, 0, {0, 1}, 1, "2 of 3 edges: detects it");
  alerts.add(g, gr::Typology::fan_out, 3, {3}, 1, "laundering, but not of its own typology");
  const auto r = gr::evaluate(alerts, typ, off, edges);
  ASSERT_EQ(r.typology, (std::vector<gr::Typology>{gr::Typology::fan_in, gr::Typology::fan_out, gr::Typology::cycle}));
  EXPECT_EQ(r.detected, (std::vector<std::int64_t>{0, 0, 1}));
  EXPECT_DOUBLE_EQ(r.recall[2], 1.0);
  EXPECT_DOUBLE_EQ(r.recall[0], 0.0);
  EXPECT_TRUE(std::isnan(r.recall[1]));   // no fan-out patterns
  EXPECT_DOUBLE_EQ(r.precision[1], 1.0);  // its witness is laundering
  EXPECT_TRUE(std::isnan(r.precision[0]));
  gr::EvaluationOptions strict;
  strict.min_overlap = 1.0;
  EXPECT_EQ(gr::evaluate(alerts, typ, off, edges, strict).detected[2], 0);
  strict.min_overlap = 0;
  EXPECT_THROW((void)gr::evaluate(alerts, typ, off, edges, strict), bq::InvalidArgument);
  const std::vector<std::int64_t> bad{0, 3};
  EXPECT_THROW((void)gr::evaluate(alerts, typ, bad, edges), bq::InvalidArgument);
}
