// Worst windows of a P&L series and of a held book, against brute force; compounding as the replay.
#include "bankquant/risk/stress.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bankquant/core/errors.hpp"

namespace risk = bankquant::risk;

TEST(Stress, WorstWindowsOfAHeldBookCompoundEachFactor) {
  // Two factors falling 10% a day for three days from day 2, then flat: held through days 2-4 the
  // book loses w (0.9^3 - 1) per factor, not the 30% the summed days would say.
  bankquant::RowMatrix R = bankquant::RowMatrix::Constant(8, 2, 0.001);
  for (int t = 2; t < 5; ++t) R.row(t).setConstant(-0.10);
  const std::vector<double> w{100.0, 50.0};
  const auto held = risk::worst_windows(R, w, 3, 2);
  ASSERT_EQ(held.start.size(), 2u);
  EXPECT_EQ(held.start[0], 2u);
  EXPECT_NEAR(held.pnl[0], 150.0 * (0.9 * 0.9 * 0.9 - 1.0), 1e-12);
  const auto replay = risk::compound_moves(R.middleRows(2, 3));
  EXPECT_NEAR(held.pnl[0], w[0] * replay[0] + w[1] * replay[1], 1e-12);
  // the summed daily P&L of the same book: -45, the first-order figure
  std::vector<double> daily(8);
  for (int t = 0; t < 8; ++t) daily[static_cast<std::size_t>(t)] = R(t, 0) * w[0] + R(t, 1) * w[1];
  EXPECT_NEAR(risk::worst_windows(daily, 3, 1).pnl[0], -45.0, 1e-12);
  // non-overlapping: the second window starts at least 3 days from the first
  EXPECT_GE(held.start[1] >= 2 ? held.start[1] - 2 : 2 - held.start[1], 3u);
  EXPECT_THROW((void)risk::worst_windows(R, std::vector<double>{1.0}, 3, 1), bankquant::InvalidArgument);
  EXPECT_THROW((void)risk::worst_windows(R, w, 9, 1), bankquant::InvalidArgument);
}
