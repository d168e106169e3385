#include "bankquant/scorecard/binning_process.hpp"

#include <algorithm>
#include <exception>
#include <cmath>
#include <map>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "hypothesis.hpp"

namespace bankquant::scorecard {

void SelectionOptions::validate() const {
  check::non_negative("min_iv", min_iv);
  if (!(max_iv >= min_iv)) check::fail("max_iv", fmt::format("expected at least min_iv ({}), got {}", min_iv, max_iv));
  check::non_negative("min_quality", min_quality);
  check::integer_at_least("top_n", top_n, 0);
}

void BinningProcessOptions::validate() const {
  defaults.validate();
  selection.validate();
  std::vector<std::string> names;
  for (const auto& v : variables) {
    try {
      v.options.validate();
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(fmt::format("options of '{}': {}", v.name, e.what()));
    }
    if (v.options.target != defaults.target) {
      check::fail("variables", fmt::format("'{}' has target '{}', the process '{}'", v.name, enum_name(v.options.target),
                                           enum_name(defaults.target)));
    }
    names.push_back(v.name);
  }
  std::sort(names.begin(), names.end());
  const auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup != names.end()) check::fail("variables", fmt::format("'{}' has options twice", *dup));
}

double binning_quality(const VariableBinning& b) {
  double worst = 0.0;
  const double scale = b.total.count > 0 ? b.total.rows / b.total.count : 1.0;
  const Bin* previous = nullptr;
  for (const Bin& bin : b.bins) {
    if (bin.kind != BinKind::regular || !(bin.counts.count > 0)) continue;
    if (previous != nullptr) {
      double p;
      if (b.target == TargetType::binary) {
        p = detail::two_proportion_pvalue(previous->counts.events * scale, previous->counts.non_events * scale,
                                          bin.counts.events * scale, bin.counts.non_events * scale);
      } else {
        const double na = previous->counts.count * scale, nb = bin.counts.count * scale;
        p = detail::welch_pvalue(previous->counts.mean(), na > 1 ? previous->counts.variance() * na / (na - 1) : 0, na,
                                 bin.counts.mean(), nb > 1 ? bin.counts.variance() * nb / (nb - 1) : 0, nb);
      }
      worst = std::max(worst, p);
    }
    previous = &bin;
  }
  return b.total_iv * (1.0 - worst);
}

BinningProcessResult bin_table(const std::vector<ColumnView>& columns, std::span<const double> y,
                               std::span<const double> weights, const BinningProcessOptions& o) {
  o.validate();
  check::not_empty("X", columns.size());
  std::map<std::string_view, const BinningOptions*> own;
  for (const auto& v : o.variables) own[v.name] = &v.options;
  std::vector<std::string_view> names;
  for (const auto& c : columns) {
    check_column(c);
    if (c.size() != y.size()) check::same_size(c.name, c.size(), "y", y.size());
    names.push_back(c.name);
  }
  for (const auto& v : o.variables) {
    if (std::find(names.begin(), names.end(), std::string_view(v.name)) == names.end()) {
      check::fail("variables", fmt::format("options for '{}', which is not a column", v.name));
    }
  }
  std::sort(names.begin(), names.end());
  const auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup != names.end()) check::fail("X", fmt::format("the column name '{}' appears twice", *dup));

  BinningProcessResult r;
  r.binnings.resize(columns.size());
  // One column per task; the first error (in column order) is the one reported.
  std::vector<std::exception_ptr> errors(columns.size());
  parallel_for_chunks(columns.size(), 1, [&](std::size_t j, std::size_t, std::size_t) {
    try {
      const auto it = own.find(columns[j].name);
      r.binnings[j] = bin_column(columns[j], y, weights, it != own.end() ? *it->second : o.defaults);
    } catch (...) {
      errors[j] = std::current_exception();
    }
  });
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  const std::size_t k = columns.size();
  r.quality.resize(k);
  r.selected.assign(k, true);
  r.reasons.assign(k, "");
  const SelectionOptions& s = o.selection;
  for (std::size_t j = 0; j < k; ++j) {
    const VariableBinning& b = r.binnings[j];
    r.quality[j] = binning_quality(b);
    std::string reason;
    if (b.separates && !s.keep_separating) {
      reason = "separates the classes perfectly (a leak of the target?)";
    } else if (!(b.total_iv >= s.min_iv)) {
      reason = fmt::format("IV {:.4f} < min_iv {}", b.total_iv, s.min_iv);
    } else if (b.total_iv > s.max_iv) {
      reason = fmt::format("IV {:.4f} > max_iv {}", b.total_iv, s.max_iv);
    } else if (r.quality[j] < s.min_quality) {
      reason = fmt::format("quality {:.4f} < min_quality {}", r.quality[j], s.min_quality);
    }
    if (!reason.empty()) {
      r.selected[j] = false;
      r.reasons[j] = reason;
    }
  }
  if (s.top_n > 0) {
    std::vector<std::size_t> order;
    for (std::size_t j = 0; j < k; ++j) {
      if (r.selected[j]) order.push_back(j);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return r.binnings[a].total_iv > r.binnings[b].total_iv; });
    for (std::size_t rank = static_cast<std::size_t>(s.top_n); rank < order.size(); ++rank) {
      r.selected[order[rank]] = false;
      r.reasons[order[rank]] = fmt::format("not among the top {} by IV", s.top_n);
    }
  }
  return r;
}

std::vector<const ColumnView*> match_columns(const std::vector<VariableBinning>& binnings,
                                             const std::vector<ColumnView>& columns) {
  std::map<std::string_view, const ColumnView*> by_name;
  for (const auto& c : columns) by_name[c.name] = &c;
  std::vector<const ColumnView*> out;
  std::size_t n = 0;
  bool have_n = false;
  for (const auto& b : binnings) {
    const auto it = by_name.find(b.name);
    if (it == by_name.end()) check::fail("X", fmt::format("no column named '{}', which the binning uses", b.name));
    check_column(*it->second);
    if (!have_n) {
      n = it->second->size();
      have_n = true;
    } else if (it->second->size() != n) {
      check::fail(b.name, fmt::format("expected {} rows like the other columns, got {}", n, it->second->size()));
    }
    out.push_back(it->second);
  }
  return out;
}

TableTransform transform_table(const std::vector<VariableBinning>& binnings, const std::vector<ColumnView>& columns,
                               TransformMetric metric) {
  const auto matched = match_columns(binnings, columns);
  const std::size_t k = binnings.size(), n = k ? matched[0]->size() : 0;
  TableTransform t;
  t.values.resize(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(n));
  t.unseen.assign(k, 0);
  std::vector<std::int32_t> index(n);
  for (std::size_t j = 0; j < k; ++j) {
    const VariableBinning& b = binnings[j];
    bin_indices(b, *matched[j], index);
    std::vector<double> value(b.bins.size());
    std::vector<char> empty(b.bins.size());
    for (std::size_t q = 0; q < b.bins.size(); ++q) {
      value[q] = metric == TransformMetric::woe ? b.value_of(q) : static_cast<double>(q);
      empty[q] = !(b.bins[q].counts.count > 0);
    }
    const double none = metric == TransformMetric::index ? -1.0 : (b.target == TargetType::binary ? 0.0 : b.total.mean());
    double* row = t.values.row(static_cast<Eigen::Index>(j)).data();
    std::vector<std::size_t> unseen(chunk_count(n, 1 << 16), 0);
    parallel_for_chunks(n, 1 << 16, [&](std::size_t c, std::size_t begin, std::size_t end) {
      std::size_t u = 0;
      for (std::size_t i = begin; i < end; ++i) {
        const std::int32_t q = index[i];
        if (q < 0) {
          row[i] = none;
          ++u;
        } else {
          row[i] = value[static_cast<std::size_t>(q)];
          u += empty[static_cast<std::size_t>(q)];
        }
      }
      unseen[c] = u;
    });
    t.unseen[j] = std::accumulate(unseen.begin(), unseen.end(), std::size_t{0});
  }
  return t;
}

}  // namespace bankquant::scorecard
