// bankquant/scorecard/binning_process.hpp — binning every column of a table, with per-variable
// options and selection criteria, and the transforms of a table (optbinning's BinningProcess).
//
// bin_table bins each column (binning.hpp) with the default options or its own, in parallel (one
// task per column; each binning is deterministic, so the set is too), then selects: a column
// passes when its IV is in [min_iv, max_iv], its quality is at least min_quality, it does not
// separate the classes perfectly (a leak, binning.hpp) unless keep_separating, and it is among
// the top_n by IV (0: no limit). Each refusal has a reason.
//
// Quality (bankquant's definition, a number in [0, IV]): IV x (1 - the largest p value of the
// tests of equal event rates between neighbouring regular bins), so a binning whose neighbours
// do not differ significantly scores less than its IV. A continuous target uses R^2 for the IV.
//
// transform_table writes the WoE (or the mean target, for a continuous target) of every value,
// variables in rows: values(j, i) is column j of row i, which numpy reads as a (k, n) array and
// pandas takes as one block without a copy. A value matching no bin (an unseen category, NaN
// when no missing was seen) gets 0 (binary) or the population mean (continuous), and is counted
// in `unseen` together with values that fall in bins empty at fit time. O(n k), in parallel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/matrix.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/scorecard/binning.hpp"
#include "bankquant/scorecard/column.hpp"

namespace bankquant::scorecard {

struct VariableOptions {
  std::string name;
  BinningOptions options;
  static constexpr auto fields() {
    return std::tuple{field("name", &VariableOptions::name, "the column these options are for"),
                      field("options", &VariableOptions::options, "its binning options")};
  }
};

struct SelectionOptions {
  double min_iv = 0.0;
  double max_iv = std::numeric_limits<double>::infinity();
  double min_quality = 0.0;
  int top_n = 0;
  bool keep_separating = false;
  void validate() const;
  static constexpr auto fields() {
    using O = SelectionOptions;
    return std::tuple{field("min_iv", &O::min_iv, "least IV (R^2 for a continuous target) of a selected column"),
                      field("max_iv", &O::max_iv, "largest IV (inf: none; an IV above 0.5 is often suspiciously high)"),
                      field("min_quality", &O::min_quality, "least quality score (IV x (1 - largest neighbour p value))"),
                      field("top_n", &O::top_n, "keep at most this many columns, by IV (0: all)"),
                      field("keep_separating", &O::keep_separating,
                            "select columns that separate the classes perfectly (leaks) too")};
  }
};

struct BinningProcessOptions {
  BinningOptions defaults;
  std::vector<VariableOptions> variables;
  SelectionOptions selection;
  void validate() const;
  static constexpr auto fields() {
    using O = BinningProcessOptions;
    return std::tuple{field("defaults", &O::defaults, "binning options of every column without its own"),
                      field("variables", &O::variables, "per-column binning options"),
                      field("selection", &O::selection, "which binned columns are selected")};
  }
};

struct BinningProcessResult {
  std::vector<VariableBinning> binnings;  ///< one per column, in the columns' order
  std::vector<double> quality;            ///< per column (see the top of this file)
  std::vector<bool> selected;
  std::vector<std::string> reasons;       ///< why a column was not selected ("" when it was)
  static constexpr auto fields() {
    using R = BinningProcessResult;
    return std::tuple{field("binnings", &R::binnings, "the binning of every column"),
                      field("quality", &R::quality, "quality score of every column"),
                      field("selected", &R::selected, "whether the column passed the selection"),
                      field("reasons", &R::reasons, "why a column was left out (empty when selected)")};
  }
};

/// Bins every column against y (0/1 or continuous, as options.defaults.target says).
[[nodiscard]] BANKQUANT_EXPORT BinningProcessResult bin_table(const std::vector<ColumnView>& columns,
                                                              std::span<const double> y,
                                                              std::span<const double> weights,
                                                              const BinningProcessOptions& options);

/// Quality score of one binning (see the top of this file).
[[nodiscard]] BANKQUANT_EXPORT double binning_quality(const VariableBinning& binning);

enum class TransformMetric { woe, index };
BANKQUANT_ENUM_NAMES(TransformMetric, {woe, "woe"}, {index, "index"})

struct TableTransform {
  RowMatrix values;                 ///< k x n: values(j, i) for column j, row i (WoE, mean or bin index)
  std::vector<std::size_t> unseen;  ///< per column: values that matched no bin or an empty one
  static constexpr auto fields() {
    return std::tuple{field("values", &TableTransform::values, "variables x rows"),
                      field("unseen", &TableTransform::unseen, "per variable: values unseen at fit time")};
  }
};

/// Transforms each column by the binning of the same name (columns may come in any order; extra
/// columns are ignored, a missing one is an error naming it).
[[nodiscard]] BANKQUANT_EXPORT TableTransform transform_table(const std::vector<VariableBinning>& binnings,
                                                              const std::vector<ColumnView>& columns,
                                                              TransformMetric metric = TransformMetric::woe);

/// The column each binning reads (by name); throws InvalidArgument naming a missing column.
[[nodiscard]] BANKQUANT_EXPORT std::vector<const ColumnView*> match_columns(
    const std::vector<VariableBinning>& binnings, const std::vector<ColumnView>& columns);

}  // namespace bankquant::scorecard
