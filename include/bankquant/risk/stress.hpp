// bankquant/risk/stress.hpp — stress tests of a linear portfolio: worst historical windows,
// historical replays and the reverse stress test.
//
//   worst_windows   the n worst non-overlapping windows of h days, greedy from the worst,
//                   O(T log T) after the window P&L: of a daily P&L series, the sum of its days;
//                   of a book (positions w, factor simple returns R), the buy-and-hold P&L
//                   sum_i w_i (prod_t (1 + R_ti) - 1), as compound_moves replays a period (summing
//                   the days overstated the 1998-08-27 to 09-10 loss of an equal-weighted Dow 30
//                   book by 9%: 599,009 against 547,084), O(T h k)
//   compound_moves  the compounded simple return of each factor over a period, prod(1 + r) - 1
//   reverse_stress  the most plausible shock (smallest Mahalanobis distance sqrt(s' C^-1 s) under
//                   the factor covariance C) that makes the book lose `loss`: s* = -loss C w /
//                   (w' C w), at distance loss / sqrt(w' C w) (a Lagrange-multiplier solution;
//                   McNeil, Frey and Embrechts, Quantitative Risk Management, sec. 8.4), and the
//                   probability of a loss at least that large under normal factors, Phi(-distance)
#pragma once

#include <cstddef>
#include <span>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::risk {

struct WorstWindowsResult {
  std::vector<std::size_t> start;  ///< first day of each window (0-based), worst first
  std::vector<double> pnl;         ///< the window's P&L

  static constexpr auto fields() {
    return std::tuple{field("start", &WorstWindowsResult::start, "first day of each window, worst first"),
                      field("pnl", &WorstWindowsResult::pnl,
                            "P&L of each window (a P&L series: the sum of its days; a book: held through it)")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT WorstWindowsResult worst_windows(std::span<const double> daily_pnl, std::size_t window,
                                                                std::size_t n);
/// The book's version: positions w (currency, one per column) held through each window of R.
[[nodiscard]] BANKQUANT_EXPORT WorstWindowsResult worst_windows(const Eigen::Ref<const RowMatrix>& returns,
                                                                std::span<const double> positions, std::size_t window,
                                                                std::size_t n);

/// prod(1 + R[:, j]) - 1 for each column j of the simple returns R (days x factors).
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> compound_moves(const Eigen::Ref<const RowMatrix>& returns);

struct ReverseStressResult {
  std::vector<double> shock;  ///< per factor
  double distance = 0.0;      ///< Mahalanobis distance of the shock
  double probability = 0.0;   ///< Phi(-distance)
  double pnl = 0.0;           ///< the book's P&L under the shock (= -loss)

  static constexpr auto fields() {
    return std::tuple{field("shock", &ReverseStressResult::shock, "the shock per factor"),
                      field("distance", &ReverseStressResult::distance,
                            "its Mahalanobis distance (standard deviations of the factor distribution)"),
                      field("probability", &ReverseStressResult::probability,
                            "Phi(-distance): a loss at least this large under normal factors"),
                      field("pnl", &ReverseStressResult::pnl, "the book's P&L under the shock")};
  }
};

[[nodiscard]] BANKQUANT_EXPORT ReverseStressResult reverse_stress(std::span<const double> positions,
                                                                  const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                                                  double loss);

}  // namespace bankquant::risk
