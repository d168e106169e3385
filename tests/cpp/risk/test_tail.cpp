#include "bankquant/risk/tail.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/random.hpp"

namespace bq = bankquant;
namespace risk = bankquant::risk;

namespace {

std::vector<double> heavy_tailed(std::size_t n, std::uint64_t seed) {
  bq::RandomStream s(seed);
  std::vector<double> x(n);
  for (auto& v : x) v = s.normal() / std::sqrt(s.uniform(0.05, 1.0));  // a scale mixture: heavy tails
  return x;
}

}  // namespace

TEST(LossTail, MergedTailsGiveHistoricalVarEsToTheBit) {
  const std::vector<double> levels{0.99, 0.975, 0.95, 0.999};
  for (std::size_t n : {1000u, 1001u, 4099u, 123457u}) {
    const auto x = heavy_tailed(n, n);
    const auto whole = risk::historical_var_es(x, levels);
    const std::size_t k = risk::tail_size(n, levels);
    EXPECT_LE(k, static_cast<std::size_t>(0.05 * static_cast<double>(n)) + 3);
    for (std::size_t parts : {1u, 2u, 3u, 7u}) {
      std::vector<risk::LossTail> tails;
      for (std::size_t p = 0; p < parts; ++p) {
        const std::size_t begin = n * p / parts, end = n * (p + 1) / parts;
        tails.push_back(risk::loss_tail(std::span<const double>(x).subspan(begin, end - begin), k));
      }
      const auto merged = risk::merge_tails(tails, k);
      EXPECT_EQ(merged.observations, n);
      const auto t = risk::tail_var_es(merged, levels);
      EXPECT_EQ(t.level, whole.level);
      EXPECT_EQ(t.var, whole.var) << n << " in " << parts;
      EXPECT_EQ(t.es, whole.es) << n << " in " << parts;
    }
  }
}

TEST(LossTail, PartsSmallerThanTheTailMergeToo) {
  const auto x = heavy_tailed(1000, 9);
  const std::vector<double> levels{0.99, 0.95};
  const std::size_t k = risk::tail_size(x.size(), levels);
  std::vector<risk::LossTail> tails;
  std::size_t begin = 0;
  for (std::size_t size : {1u, 2u, 3u, 994u}) {  // three parts hold fewer losses than the tail keeps
    tails.push_back(risk::loss_tail(std::span<const double>(x).subspan(begin, size), k));
    begin += size;
  }
  EXPECT_EQ(tails[0].losses.size(), 1u);
  const auto t = risk::tail_var_es(risk::merge_tails(tails, k), levels);
  const auto whole = risk::historical_var_es(x, levels);
  EXPECT_EQ(t.var, whole.var);
  EXPECT_EQ(t.es, whole.es);
}

TEST(LossTail, TiesAndTinySamples) {
  std::vector<double> x(200, -1.0);  // every loss ties
  x[3] = -5.0;
  const std::vector<double> levels{0.99};
  const auto k = risk::tail_size(x.size(), levels);
  const auto t = risk::tail_var_es(risk::loss_tail(x, k), levels);
  const auto whole = risk::historical_var_es(x, levels);
  EXPECT_EQ(t.var, whole.var);
  EXPECT_EQ(t.es, whole.es);
}

TEST(LossTail, ShortOrUnsortedTailsAreNamedErrors) {
  const auto x = heavy_tailed(1000, 1);
  const std::vector<double> levels{0.99};
  const std::size_t k = risk::tail_size(x.size(), levels);
  auto tail = risk::loss_tail(x, k - 1);
  EXPECT_THROW((void)risk::tail_var_es(tail, levels), bq::InvalidArgument);
  try {
    (void)risk::tail_var_es(tail, levels);
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'tail'"), std::string::npos) << e.what();
  }
  tail = risk::loss_tail(x, k);
  std::swap(tail.losses[0], tail.losses[1]);
  EXPECT_THROW((void)risk::tail_var_es(tail, levels), bq::InvalidArgument);
  const std::vector<risk::LossTail> parts{risk::loss_tail(x, 3)};
  EXPECT_THROW((void)risk::merge_tails(parts, k), bq::InvalidArgument);  // a part kept fewer than asked
  EXPECT_THROW((void)risk::tail_size(50, levels), bq::InvalidArgument);  // 99% needs 100 observations
}
