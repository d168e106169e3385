#include "bankquant/graph/dense_blocks.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

namespace bq = bankquant;
namespace gr = bankquant::graph;

namespace {

// 4 payers x 3 payees fully linked (0..3 -> 4..6), plus a sparse background chain 7..29
void block_and_chain(std::vector<std::int32_t>& s, std::vector<std::int32_t>& d) {
  for (int p = 0; p < 4; ++p) {
    for (int q = 4; q < 7; ++q) {
      s.push_back(p);
      d.push_back(q);
    }
  }
  for (int v = 7; v < 29; ++v) {
    s.push_back(v);
    d.push_back(v + 1);
  }
}

}  // namespace

TEST(DenseBlocks, FindsTheFullBlockAndUpdatesIncrementally) {
  std::vector<std::int32_t> s, d;
  block_and_chain(s, d);
  const auto g = gr::TransactionGraph::from_edges(30, s, d);
  gr::DenseBlockOptions o;
  o.log_offset = 0;  // plain edge density: the block has 12 links over 7 nodes
  const auto blocks = gr::dense_blocks(g, o).blocks;
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].payers, (std::vector<std::int32_t>{0, 1, 2, 3}));
  EXPECT_EQ(blocks[0].payees, (std::vector<std::int32_t>{4, 5, 6}));
  EXPECT_DOUBLE_EQ(blocks[0].density, 12.0 / 7.0);
  EXPECT_EQ(blocks[0].links, 12);
  // incremental: links far from the block re-peel only a suffix and leave the block unchanged
  gr::DenseBlockDetector detector(30, o);
  (void)detector.add_links(s, d);
  const std::vector<std::int32_t> ps{27}, qs{7};
  const auto after = detector.add_links(ps, qs);
  EXPECT_EQ(after.payers, blocks[0].payers);
  EXPECT_LT(detector.last_repeeled(), 2 * 30u);
  // as alerts: the 12 transfers of the block
  const auto alerts = gr::block_alerts(g, gr::dense_blocks(g, o));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts.typology[0], gr::Typology::dense_block);
  EXPECT_EQ(alerts.witness(0).size(), 12u);
}

TEST(DenseBlocks, MaxDegreeLeavesTheBusyCoreOut) {
  // a hub payee 40 paid by everyone (0..39) hides the small block 0..3 -> 4..6 under plain density
  std::vector<std::int32_t> s, d;
  block_and_chain(s, d);
  for (int p = 0; p < 40; ++p) {
    for (int k = 0; k < 3; ++k) {
      s.push_back(p);
      d.push_back(40 + k);  // three hubs
    }
  }
  const auto g = gr::TransactionGraph::from_edges(43, s, d);
  gr::DenseBlockOptions o;
  o.log_offset = 0;
  o.min_lift = 0;
  const auto busy = gr::dense_blocks(g, o).blocks;
  ASSERT_FALSE(busy.empty());
  EXPECT_TRUE(std::binary_search(busy[0].payees.begin(), busy[0].payees.end(), 40));
  o.max_degree = 10;  // the hubs have 40 payers each
  const auto kept = gr::dense_blocks(g, o).blocks;
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].payees, (std::vector<std::int32_t>{4, 5, 6}));
  o.max_degree = -1;
  EXPECT_THROW((void)gr::dense_blocks(g, o), bq::InvalidArgument);
}

TEST(DenseBlocks, DisjointBlocksComeOutApart) {
  // two random 30 x 20 blocks (link probability 0.5 and 0.45) with no link between them, in a
  // sparse background: the greedy peel sometimes returns their union; split never mixes them
  int mixed = 0;
  for (std::uint64_t seed = 0; seed < 12; ++seed) {
    bq::RandomStream rng(seed);
    std::vector<std::int32_t> s, d;
    for (auto [base, p] : {std::pair{0, 0.5}, std::pair{1000, 0.45}}) {
      for (std::int32_t a = 0; a < 30; ++a) {
        for (std::int32_t b = 0; b < 20; ++b) {
          if (rng.uniform() < p) {
            s.push_back(base + a);
            d.push_back(base + 500 + b);
          }
        }
      }
    }
    for (int k = 0; k < 3000; ++k) {
      s.push_back(static_cast<std::int32_t>(2000 + rng.uniform_int(3000)));
      d.push_back(static_cast<std::int32_t>(2000 + rng.uniform_int(3000)));
    }
    const auto g = gr::TransactionGraph::from_edges(5000, s, d);
    gr::DenseBlockOptions o;
    o.n_blocks = 2;
    const auto pure = [](const gr::DenseBlock& b) { return b.payers.front() / 1000 == b.payers.back() / 1000; };
    o.split = false;
    const auto whole = gr::dense_blocks(g, o).blocks;
    ASSERT_FALSE(whole.empty());
    mixed += pure(whole[0]) ? 0 : 1;
    o.split = true;
    const auto apart = gr::dense_blocks(g, o).blocks;
    ASSERT_EQ(apart.size(), 2u) << "seed " << seed;
    EXPECT_TRUE(pure(apart[0]) && pure(apart[1])) << "seed " << seed;
    EXPECT_NE(apart[0].payers.front() / 1000, apart[1].payers.front() / 1000) << "seed " << seed;
    EXPECT_GE(apart[0].density, apart[1].density);
    if (!pure(whole[0])) {  // the union's parts, each as dense as the union or denser on one side
      EXPECT_GE(apart[0].density, whole[0].density * (1 - 1e-12));
      EXPECT_EQ(apart[0].payers.size() + apart[1].payers.size(), whole[0].payers.size());
    }
  }
  EXPECT_GT(mixed, 0);  // the case that split is for does occur
}

class IncrementalPeel : public ::testing::TestWithParam<double> {};

TEST_P(IncrementalPeel, EqualsAFreshOne) {
  // sparse random links arriving in batches, with a planted block; with the camouflage weighting
  // a payee's new degree lowers the weight of its older links, and new accounts arrive light
  bq::RandomStream rng(5);
  std::vector<std::int32_t> s, d;
  for (int k = 0; k < 6000; ++k) {
    s.push_back(static_cast<std::int32_t>(rng.uniform_int(2000)));
    d.push_back(static_cast<std::int32_t>(rng.uniform_int(1500)));
    if (k % 7 == 0) {  // a planted block among payers 0..19 and payees 0..9
      s.push_back(static_cast<std::int32_t>(rng.uniform_int(20)));
      d.push_back(static_cast<std::int32_t>(rng.uniform_int(10)));
    }
  }
  gr::DenseBlockOptions o;
  o.min_lift = 0;
  o.log_offset = GetParam();
  gr::DenseBlockDetector incremental(0, o);
  for (std::size_t start = 0; start < s.size(); start += 200) {
    const std::size_t len = std::min<std::size_t>(200, s.size() - start);
    const auto block = incremental.add_links(std::span(s).subspan(start, len), std::span(d).subspan(start, len));
    gr::DenseBlockDetector fresh(0, o);
    const auto expected = fresh.add_links(std::span(s).first(start + len), std::span(d).first(start + len));
    EXPECT_EQ(incremental.peeling_order(), fresh.peeling_order()) << "after " << start + len << " links";
    EXPECT_EQ(block.density, expected.density);
    EXPECT_EQ(block.payers, expected.payers);
    EXPECT_EQ(block.payees, expected.payees);
  }
  std::size_t repeeled = 0, fresh_size = 0;
  // The planted block intensifies: its nodes are peeled last, so without the camouflage weighting
  // (which re-weights every payer of a payee) an update re-peels only the end of the order.
  for (int round = 0; round < 5; ++round) {
    std::vector<std::int32_t> ps, qs;
    for (int k = 0; k < 20; ++k) {
      ps.push_back(static_cast<std::int32_t>(rng.uniform_int(20)));
      qs.push_back(static_cast<std::int32_t>(rng.uniform_int(10)));
    }
    s.insert(s.end(), ps.begin(), ps.end());
    d.insert(d.end(), qs.begin(), qs.end());
    (void)incremental.add_links(ps, qs);
    gr::DenseBlockDetector fresh(0, o);
    (void)fresh.add_links(s, d);
    EXPECT_EQ(incremental.peeling_order(), fresh.peeling_order());
    repeeled += incremental.last_repeeled();
    fresh_size += fresh.peeling_order().size();
  }
  if (GetParam() == 0.0) {
    EXPECT_LT(10 * repeeled, fresh_size);
  }
}

INSTANTIATE_TEST_SUITE_P(DenseBlocks, IncrementalPeel, ::testing::Values(5.0, 0.0));

TEST(DenseBlocks, BadOptions) {
  const auto g = gr::TransactionGraph::from_edges(3, std::vector<std::int32_t>{0, 1}, std::vector<std::int32_t>{1, 2});
  gr::DenseBlockOptions blocks;
  blocks.log_offset = std::nan("");
  EXPECT_THROW((void)gr::dense_blocks(g, blocks), bq::InvalidArgument);
}

class BatchPeel : public ::testing::TestWithParam<double> {};

TEST_P(BatchPeel, EqualsTheDetectorBlockByBlock) {
  // dense_blocks peels on flat arrays; each block must be the detector's densest block of the links
  // left after removing the blocks before it (the definition), to the last bit of the density
  bq::RandomStream rng(9);
  std::vector<std::int32_t> s, d;
  for (int k = 0; k < 8000; ++k) {
    s.push_back(static_cast<std::int32_t>(rng.uniform_int(3000)));
    d.push_back(static_cast<std::int32_t>(rng.uniform_int(2000)));
    if (k % 9 == 0) {  // two planted blocks
      s.push_back(static_cast<std::int32_t>(rng.uniform_int(25)));
      d.push_back(static_cast<std::int32_t>(rng.uniform_int(12)));
      s.push_back(static_cast<std::int32_t>(100 + rng.uniform_int(15)));
      d.push_back(static_cast<std::int32_t>(100 + rng.uniform_int(30)));
    }
  }
  const auto g = gr::TransactionGraph::from_edges(3000, s, d);
  gr::DenseBlockOptions o;
  o.n_blocks = 4;
  o.min_lift = 0;
  o.max_degree = 0;  // the detector keeps every account
  o.split = false;   // and does not split
  o.log_offset = GetParam();
  const auto batch = gr::dense_blocks(g, o);
  ASSERT_GE(batch.blocks.size(), 2u);
  std::vector<std::int32_t> ps(s), qs(d);
  for (const auto& block : batch.blocks) {
    gr::DenseBlockDetector detector(3000, o);
    const auto expected = detector.add_links(ps, qs);
    EXPECT_EQ(block.payers, expected.payers);
    EXPECT_EQ(block.payees, expected.payees);
    EXPECT_EQ(block.density, expected.density);
    EXPECT_EQ(block.weight, expected.weight);
    EXPECT_EQ(block.links, expected.links);
    EXPECT_EQ(block.lift, expected.lift);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (!(std::binary_search(block.payers.begin(), block.payers.end(), ps[i]) &&
            std::binary_search(block.payees.begin(), block.payees.end(), qs[i]))) {
        ps[kept] = ps[i];
        qs[kept++] = qs[i];
      }
    }
    ps.resize(kept);
    qs.resize(kept);
  }
  if (batch.blocks.size() < 4u) {  // it stopped because the next block is too small
    gr::DenseBlockDetector detector(3000, o);
    const auto next = detector.add_links(ps, qs);
    EXPECT_TRUE(next.payers.size() < 2u || next.payees.size() < 2u);
  }
}

INSTANTIATE_TEST_SUITE_P(DenseBlocks, BatchPeel, ::testing::Values(5.0, 0.0, 0.5));
