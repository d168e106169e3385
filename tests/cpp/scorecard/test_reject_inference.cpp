#include "bankquant/scorecard/reject_inference.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

TEST(RejectInference, FuzzyKeepsTheRejectedWeightAndParcellingIsSeeded) {
  std::vector<double> acc_score, acc_y, rej_score, rej_p;
  for (int i = 0; i < 200; ++i) {
    acc_score.push_back(500 + i);
    acc_y.push_back(i % 5 == 0 ? 1.0 : 0.0);
  }
  for (int i = 0; i < 50; ++i) {
    rej_score.push_back(450 + i);
    rej_p.push_back(0.2 + 0.01 * i);
  }
  sc::RejectInferenceOptions o;
  const auto fuzzy = sc::reject_inference(acc_score, acc_y, rej_score, rej_p, o);
  ASSERT_EQ(fuzzy.row.size(), 300u);
  const double rejected = std::accumulate(fuzzy.weight.begin() + 200, fuzzy.weight.end(), 0.0);
  EXPECT_NEAR(rejected, 50.0, 1e-12);
  o.method = sc::RejectMethod::parcelling;
  o.seed = 7;
  const auto a = sc::reject_inference(acc_score, acc_y, rej_score, rej_p, o);
  const auto b = sc::reject_inference(acc_score, acc_y, rej_score, rej_p, o);
  EXPECT_EQ(a.y, b.y);
  o.method = sc::RejectMethod::hard_cutoff;
  o.cutoff = 0.5;
  const auto h = sc::reject_inference(acc_score, acc_y, rej_score, rej_p, o);
  for (std::size_t i = 200; i < h.y.size(); ++i) EXPECT_EQ(h.y[i], rej_p[static_cast<std::size_t>(h.row[i])] >= 0.5 ? 1.0 : 0.0);
  o.bands = 0;
  EXPECT_THROW((void)sc::reject_inference(acc_score, acc_y, rej_score, rej_p, o), bq::InvalidArgument);
}
