#include "bankquant/graph/transaction_graph.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

TEST(TransactionGraph, CsrInTimeOrder) {
  const std::vector<std::int32_t> src{0, 0, 1, 2, 0}, dst{1, 2, 2, 0, 1};
  const std::vector<double> amount{5, 1, 2, 3, 4};
  const std::vector<std::int64_t> t{30, 10, 5, 7, 20};
  const auto g = gr::TransactionGraph::from_edges(3, src, dst, amount, t);
  EXPECT_EQ(g.n_nodes(), 3u);
  EXPECT_EQ(g.n_edges(), 5u);
  const auto out0 = g.out_edges(0);
  EXPECT_EQ(std::vector<std::int32_t>(out0.begin(), out0.end()), (std::vector<std::int32_t>{1, 4, 0}));  // t 10, 20, 30
  EXPECT_EQ(g.in_degree(1), 2u);
  EXPECT_THROW((void)gr::TransactionGraph::from_edges(3, src, std::vector<std::int32_t>{1, 2}, {}, {}), bq::InvalidArgument);
  EXPECT_THROW((void)gr::TransactionGraph::from_edges(2, src, dst, {}, {}), bq::InvalidArgument);  // node 2 out of range
  EXPECT_THROW((void)gr::TransactionGraph::from_edges(3, src, dst, std::vector<double>{1, -1, 1, 1, 1}, {}),
               bq::InvalidArgument);
}

TEST(TransactionGraph, AppendEqualsBuildingAtOnce) {
  const std::vector<std::int32_t> s{0, 1, 2, 3, 0}, d{1, 2, 0, 0, 3};
  const std::vector<double> a{1, 2, 3, 4, 5};
  const std::vector<std::int64_t> t{5, 1, 4, 2, 3};
  const auto whole = gr::TransactionGraph::from_edges(4, s, d, a, t);
  auto part = gr::TransactionGraph::from_edges(3, std::span(s).first(3), std::span(d).first(3), std::span(a).first(3),
                                               std::span(t).first(3));
  part.append_edges(4, std::span(s).last(2), std::span(d).last(2), std::span(a).last(2), std::span(t).last(2));
  for (std::size_t v = 0; v < 4; ++v) {
    EXPECT_TRUE(std::ranges::equal(part.out_edges(v), whole.out_edges(v)));
    EXPECT_TRUE(std::ranges::equal(part.in_edges(v), whole.in_edges(v)));
  }
  // a failing append changes nothing
  EXPECT_THROW(part.append_edges(4, std::vector<std::int32_t>{9}, std::vector<std::int32_t>{0}), bq::InvalidArgument);
  EXPECT_EQ(part.n_edges(), 5u);
}

TEST(TransactionGraph, TablesDegreesAndPairs) {
  const std::vector<std::int32_t> s{0, 0, 1, 0}, d{1, 1, 2, 2};
  const std::vector<double> a{1, 2, 4, 8};
  const std::vector<std::int64_t> t{9, 3, 5, 1};
  const auto g = gr::TransactionGraph::from_edges(3, s, d, a, t);
  const auto table = gr::edge_table(g, std::vector<std::int64_t>{3, 1});
  EXPECT_EQ(table.src, (std::vector<std::int32_t>{0, 0}));
  EXPECT_EQ(table.amount, (std::vector<double>{8, 2}));
  EXPECT_EQ(table.timestamp, (std::vector<std::int64_t>{1, 3}));
  EXPECT_THROW((void)gr::edge_table(g, std::vector<std::int64_t>{4}), bq::InvalidArgument);
  EXPECT_EQ(gr::all_edges(g).dst, d);
  EXPECT_EQ(gr::out_degrees(g), (std::vector<std::int64_t>{3, 1, 0}));
  EXPECT_EQ(gr::in_degrees(g), (std::vector<std::int64_t>{0, 2, 2}));
  const auto pairs = gr::aggregate_pairs(g);
  EXPECT_EQ(pairs.src, (std::vector<std::int32_t>{0, 0, 1}));
  EXPECT_EQ(pairs.dst, (std::vector<std::int32_t>{1, 2, 2}));
  EXPECT_EQ(pairs.amount, (std::vector<double>{3, 8, 4}));
  EXPECT_EQ(pairs.count, (std::vector<std::int64_t>{2, 1, 1}));
  EXPECT_EQ(pairs.first, (std::vector<std::int64_t>{3, 1, 5}));
  EXPECT_EQ(pairs.last, (std::vector<std::int64_t>{9, 1, 5}));
}
