#include "bankquant/scorecard/bin_editing.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "binning_internal.hpp"

namespace bankquant::scorecard {
namespace {

// A copy with the regular bins replaced; missing and special bins kept.
VariableBinning rebuilt(const VariableBinning& b, std::vector<Bin> regular) {
  VariableBinning out = b;
  out.bins = std::move(regular);
  for (const Bin& bin : b.bins) {
    if (bin.kind != BinKind::regular) out.bins.push_back(bin);
  }
  out.method = "manual (edited)";
  out.status.clear();
  out.refresh();
  out.index();
  detail::note_purity(out);
  return out;
}

std::string nearest_grid(const std::vector<double>& grid, double v) {
  const auto it = std::lower_bound(grid.begin(), grid.end(), v);
  std::vector<double> near;
  if (it != grid.begin()) near.push_back(*(it - 1));
  if (it != grid.end()) near.push_back(*it);
  return near.empty() ? "none" : fmt::format("{}", fmt::join(near, " or "));
}

void require_regular(const VariableBinning& b, std::size_t bin, std::string_view argument) {
  if (bin >= b.regular_bins()) {
    check::fail(argument, fmt::format("expected a regular bin index in [0, {}), got {}", b.regular_bins(), bin));
  }
}

std::vector<std::vector<std::string>> current_groups(const VariableBinning& b) {
  std::vector<std::vector<std::string>> groups;
  for (const Bin& bin : b.bins) {
    if (bin.kind == BinKind::regular && !bin.categories.empty()) groups.push_back(bin.categories);
  }
  return groups;
}

}  // namespace

VariableBinning with_breaks(const VariableBinning& b, std::span<const double> breaks) {
  if (b.categorical) check::fail("breaks", fmt::format("'{}' is categorical: edit it with groups", b.name));
  check::all_finite("breaks", breaks);
  check::sorted<double>("breaks", breaks, true);
  if (b.fine_counts.empty()) check::fail("breaks", fmt::format("'{}' has no fine grid to edit (no regular values)", b.name));
  for (double v : breaks) {
    if (!std::binary_search(b.fine_cuts.begin(), b.fine_cuts.end(), v)) {
      check::fail("breaks", fmt::format("{} is not on the fine grid of '{}' (nearest: {}); pass the data to place a "
                                        "break anywhere",
                                        v, b.name, nearest_grid(b.fine_cuts, v)));
    }
  }
  const std::vector<double> cuts(breaks.begin(), breaks.end());
  const auto counts = detail::merge_fine(b.fine_cuts, b.fine_counts, cuts);
  std::vector<std::size_t> starts(counts.size());
  for (std::size_t k = 0; k < starts.size(); ++k) starts[k] = k;
  VariableBinning shell = b;
  shell.bins.clear();
  detail::numeric_bins_from_grouping(shell, cuts, counts, starts);
  return rebuilt(b, shell.bins);
}

VariableBinning with_groups(const VariableBinning& b, const std::vector<std::vector<std::string>>& groups) {
  if (!b.categorical) check::fail("groups", fmt::format("'{}' is numeric: edit it with breaks", b.name));
  std::map<std::string, std::size_t> fine_of;
  for (std::size_t f = 0; f < b.fine_categories.size(); ++f) fine_of[b.fine_categories[f]] = f;
  std::map<std::string, std::size_t> group_of;
  std::vector<Bin> regular(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].empty()) check::fail("groups", fmt::format("group {} is empty", g));
    for (const auto& c : groups[g]) {
      if (!fine_of.count(c)) {
        check::fail("groups", fmt::format("'{}' is not a category of '{}' seen at fit time", c, b.name));
      }
      if (!group_of.emplace(c, g).second) check::fail("groups", fmt::format("'{}' is in two groups", c));
      regular[g].categories.push_back(c);
      regular[g].counts.merge(b.fine_counts[fine_of[c]]);
    }
    std::sort(regular[g].categories.begin(), regular[g].categories.end());
  }
  for (std::size_t f = 0; f < b.fine_categories.size(); ++f) {
    if (group_of.count(b.fine_categories[f])) continue;
    Bin own;
    own.categories = {b.fine_categories[f]};
    own.counts = b.fine_counts[f];
    regular.push_back(std::move(own));
  }
  return rebuilt(b, std::move(regular));
}

VariableBinning merge_bins(const VariableBinning& b, std::size_t bin) {
  require_regular(b, bin, "bin");
  if (bin + 1 >= b.regular_bins()) check::fail("bin", fmt::format("bin {} is the last regular bin: nothing to merge with", bin));
  if (b.categorical) {
    auto groups = current_groups(b);
    groups[bin].insert(groups[bin].end(), groups[bin + 1].begin(), groups[bin + 1].end());
    groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(bin) + 1);
    return with_groups(b, groups);
  }
  auto cuts = b.cut_points();
  cuts.erase(cuts.begin() + static_cast<std::ptrdiff_t>(bin));
  return with_breaks(b, cuts);
}

VariableBinning split_bin(const VariableBinning& b, std::size_t bin, double at) {
  require_regular(b, bin, "bin");
  if (b.categorical) check::fail("at", fmt::format("'{}' is categorical: split it by categories", b.name));
  const Bin& target = b.bins[bin];
  if (!(at > target.lower && at < target.upper)) {
    check::fail("at", fmt::format("expected a value inside bin {} [{}, {}), got {}", bin, target.lower, target.upper, at));
  }
  auto cuts = b.cut_points();
  cuts.insert(std::upper_bound(cuts.begin(), cuts.end(), at), at);
  return with_breaks(b, cuts);
}

VariableBinning split_bin(const VariableBinning& b, std::size_t bin, const std::vector<std::string>& categories) {
  require_regular(b, bin, "bin");
  if (!b.categorical) check::fail("categories", fmt::format("'{}' is numeric: split it at a value", b.name));
  auto groups = current_groups(b);
  std::vector<std::string> rest;
  for (const auto& c : groups[bin]) {
    if (std::find(categories.begin(), categories.end(), c) == categories.end()) rest.push_back(c);
  }
  for (const auto& c : categories) {
    if (std::find(groups[bin].begin(), groups[bin].end(), c) == groups[bin].end()) {
      check::fail("categories", fmt::format("'{}' is not in bin {}", c, bin));
    }
  }
  if (categories.empty() || rest.empty()) check::fail("categories", "expected a proper, non-empty part of the bin");
  groups[bin] = categories;
  groups.insert(groups.begin() + static_cast<std::ptrdiff_t>(bin) + 1, rest);
  return with_groups(b, groups);
}

}  // namespace bankquant::scorecard
