#include "bankquant/scorecard/selection.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "logistic_internal.hpp"

namespace bankquant::scorecard {
namespace {

using bankquant::detail::kInf;

// Weighted covariance of the rows of `values` (k x n), summed over fixed column chunks in a
// deterministic tree, so it is the same on any thread count.
Eigen::MatrixXd row_covariance(const Eigen::Ref<const RowMatrix>& values, std::span<const double> w) {
  const Eigen::Index k = values.rows(), n = values.cols();
  if (!w.empty()) check::same_size("values", static_cast<std::size_t>(n), "weights", w.size());
  struct Sums {
    Eigen::MatrixXd cross;
    Eigen::VectorXd sum;
    double weight = 0.0;
  };
  Sums zero{Eigen::MatrixXd::Zero(k, k), Eigen::VectorXd::Zero(k), 0.0};
  const Sums s = deterministic_reduce(
      static_cast<std::size_t>(n), 8192, zero,
      [&](std::size_t begin, std::size_t end) {
        Sums out = zero;
        const auto cols = static_cast<Eigen::Index>(end - begin);
        Eigen::MatrixXd block = values.middleCols(static_cast<Eigen::Index>(begin), cols);
        if (!w.empty()) {
          const Eigen::Map<const Eigen::VectorXd> ww(w.data() + begin, cols);
          out.sum = block * ww;
          out.weight = ww.sum();
          out.cross = block * ww.asDiagonal() * block.transpose();
        } else {
          out.sum = block.rowwise().sum();
          out.weight = static_cast<double>(cols);
          out.cross = block * block.transpose();
        }
        return out;
      },
      [](Sums a, const Sums& b) {
        a.cross += b.cross;
        a.sum += b.sum;
        a.weight += b.weight;
        return a;
      });
  if (!(s.weight > 0)) check::fail("weights", "expected a positive sum of weights");
  const Eigen::VectorXd mean = s.sum / s.weight;
  return s.cross / s.weight - mean * mean.transpose();
}

Eigen::MatrixXd correlation_of(const Eigen::MatrixXd& cov) {
  const Eigen::Index k = cov.rows();
  Eigen::MatrixXd c(k, k);
  for (Eigen::Index a = 0; a < k; ++a) {
    for (Eigen::Index b = 0; b < k; ++b) {
      const double d = std::sqrt(cov(a, a) * cov(b, b));
      c(a, b) = a == b ? 1.0 : (d > 0 ? cov(a, b) / d : 0.0);
    }
  }
  return c;
}

std::vector<double> vif_of(const Eigen::MatrixXd& corr) {
  const Eigen::Index k = corr.rows();
  std::vector<double> out(static_cast<std::size_t>(k), kInf);
  if (k == 1) return {1.0};
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(corr);
  if (!lu.isInvertible()) return out;
  const Eigen::MatrixXd inv = lu.inverse();
  for (Eigen::Index j = 0; j < k; ++j) out[static_cast<std::size_t>(j)] = inv(j, j) > 0 ? inv(j, j) : kInf;
  return out;
}

}  // namespace

void ScreeningOptions::validate() const {
  check::non_negative("min_iv", min_iv);
  check::finite("min_iv", min_iv);
  if (!(max_iv >= min_iv)) check::fail("max_iv", fmt::format("expected at least min_iv ({}), got {}", min_iv, max_iv));
  check::in_closed_range("max_missing_rate", max_missing_rate, 0.0, 1.0);
  check::in_closed_range("max_single_value_share", max_single_value_share, 0.0, 1.0);
  check::in_closed_range("max_correlation", max_correlation, 0.0, 1.0);
  if (!(max_vif >= 1.0)) check::fail("max_vif", fmt::format("expected a number >= 1, got {}", max_vif));
}

Eigen::MatrixXd row_correlation(const Eigen::Ref<const RowMatrix>& values, std::span<const double> weights) {
  check::all_finite("values", values);
  return correlation_of(row_covariance(values, weights));
}

std::vector<double> variance_inflation(const Eigen::Ref<const RowMatrix>& values, std::span<const double> weights) {
  check::not_empty("values", static_cast<std::size_t>(values.rows()));
  return vif_of(row_correlation(values, weights));
}

ScreeningResult screen(const std::vector<VariableBinning>& binnings, const Eigen::Ref<const RowMatrix>& values,
                       std::span<const double> weights, const ScreeningOptions& o) {
  o.validate();
  const std::size_t k = binnings.size();
  check::shape("values", values.rows(), values.cols(), static_cast<Eigen::Index>(k), -1);
  ScreeningResult r;
  r.kept.assign(k, true);
  r.reasons.assign(k, "");
  for (const auto& b : binnings) {
    r.names.push_back(b.name);
    r.iv.push_back(b.total_iv);
    r.missing_rate.push_back(b.missing_share);
    r.single_value_share.push_back(b.largest_value_share);
  }
  auto drop = [&](std::size_t j, std::string reason) {
    r.kept[j] = false;
    r.reasons[j] = std::move(reason);
  };
  for (std::size_t j = 0; j < k; ++j) {
    if (binnings[j].separates) {
      drop(j, "separates the classes perfectly (a leak of the target?)");
    } else if (r.missing_rate[j] > o.max_missing_rate) {
      drop(j, fmt::format("missing rate {:.3f} > max_missing_rate {}", r.missing_rate[j], o.max_missing_rate));
    } else if (r.single_value_share[j] > o.max_single_value_share) {
      drop(j, fmt::format("one value holds {:.3f} > max_single_value_share {}", r.single_value_share[j], o.max_single_value_share));
    } else if (!(r.iv[j] >= o.min_iv)) {
      drop(j, fmt::format("IV {:.4f} < min_iv {}", r.iv[j], o.min_iv));
    } else if (r.iv[j] > o.max_iv) {
      drop(j, fmt::format("IV {:.4f} > max_iv {}", r.iv[j], o.max_iv));
    }
  }
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return r.iv[a] > r.iv[b]; });
  std::vector<std::size_t> candidates;
  for (std::size_t j : order) {
    if (r.kept[j]) candidates.push_back(j);
  }
  if (candidates.empty()) return r;
  RowMatrix sub(static_cast<Eigen::Index>(candidates.size()), values.cols());
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    sub.row(static_cast<Eigen::Index>(c)) = values.row(static_cast<Eigen::Index>(candidates[c]));
  }
  const Eigen::MatrixXd corr = correlation_of(row_covariance(sub, weights));
  // Correlation: walk from the strongest; drop any later one too close to a kept one.
  std::vector<std::size_t> chosen;  // positions in candidates
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    std::size_t clash = candidates.size();
    for (std::size_t q : chosen) {
      if (std::abs(corr(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(q))) > o.max_correlation) {
        clash = q;
        break;
      }
    }
    if (clash < candidates.size()) {
      drop(candidates[c], fmt::format("|corr| {:.3f} with {} (higher IV) > max_correlation {}",
                                      std::abs(corr(static_cast<Eigen::Index>(c), static_cast<Eigen::Index>(clash))),
                                      r.names[candidates[clash]], o.max_correlation));
    } else {
      chosen.push_back(c);
    }
  }
  // VIF: drop the largest until all are below the limit.
  while (chosen.size() > 1) {
    Eigen::MatrixXd c(static_cast<Eigen::Index>(chosen.size()), static_cast<Eigen::Index>(chosen.size()));
    for (std::size_t a = 0; a < chosen.size(); ++a) {
      for (std::size_t b = 0; b < chosen.size(); ++b) {
        c(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) =
            corr(static_cast<Eigen::Index>(chosen[a]), static_cast<Eigen::Index>(chosen[b]));
      }
    }
    const auto vif = vif_of(c);
    const auto worst = static_cast<std::size_t>(std::max_element(vif.begin(), vif.end()) - vif.begin());
    if (vif[worst] <= o.max_vif) break;
    drop(candidates[chosen[worst]], fmt::format("VIF {:.2f} > max_vif {}", vif[worst], o.max_vif));
    chosen.erase(chosen.begin() + static_cast<std::ptrdiff_t>(worst));
  }
  for (std::size_t c : chosen) r.selected.push_back(candidates[c]);
  return r;
}

void StepwiseOptions::validate() const {
  check::open_unit_interval("p_enter", p_enter);
  check::open_unit_interval("p_remove", p_remove);
  check::integer_at_least("max_variables", max_variables, 0);
  logistic.validate();
}

namespace {

// Stepwise selection fits models on a few WoE columns, each with one value per bin, so the rows
// fall into few distinct combinations: a model of 5 of the benchmark's 12 columns sees 36,583 of
// its 1M rows' combinations. A logistic fit on the combinations (summed weights, event shares) is
// the fit on the rows, and stepwise selection on 1M x 12 took 4x less time with it.
constexpr std::size_t kMaxLevels = 64;     // a column with more distinct values is not grouped
constexpr double kWorthGrouping = 0.75;    // grouped only when the groups are fewer than this share of rows

struct ColumnCodes {
  std::vector<std::int32_t> code;  // the rank of each row's value among the column's distinct values
  std::int32_t levels = 0;         // 0: too many distinct values to group by
};

ColumnCodes column_codes(const Eigen::Ref<const RowMatrix>& X, Eigen::Index j) {
  ColumnCodes c;
  std::vector<double> distinct;
  c.code.resize(static_cast<std::size_t>(X.rows()));
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    const double v = X(i, j);
    auto it = std::find(distinct.begin(), distinct.end(), v);
    if (it == distinct.end()) {
      if (distinct.size() == kMaxLevels) return {};
      distinct.push_back(v);
      it = distinct.end() - 1;
    }
    c.code[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(it - distinct.begin());
  }
  c.levels = static_cast<std::int32_t>(distinct.size());
  return c;
}

struct RowGroups {
  std::vector<std::int32_t> id;  // group of each row; -1: a row of zero weight
  std::int32_t count = 0;        // -1: too many groups to be worth it
};

RowGroups all_rows(std::size_t n, std::span<const double> weights) {
  RowGroups g;
  g.id.resize(n);
  for (std::size_t i = 0; i < n; ++i) g.id[i] = (weights.empty() || weights[i] > 0) ? 0 : -1;
  g.count = 1;
  return g;
}

// The groups of `g` split by one more column, numbered in order of first row.
RowGroups refine(const RowGroups& g, const ColumnCodes& c) {
  const std::size_t n = g.id.size();
  if (g.count < 0 || c.levels == 0) return {{}, -1};
  const std::size_t limit = static_cast<std::size_t>(kWorthGrouping * static_cast<double>(n));
  std::vector<std::int32_t> number(static_cast<std::size_t>(g.count) * static_cast<std::size_t>(c.levels), -1);
  RowGroups out;
  out.id.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (g.id[i] < 0) {
      out.id[i] = -1;
      continue;
    }
    auto& k = number[static_cast<std::size_t>(g.id[i]) * static_cast<std::size_t>(c.levels) + static_cast<std::size_t>(c.code[i])];
    if (k < 0) {
      if (static_cast<std::size_t>(out.count) >= limit) return {{}, -1};
      k = out.count++;
    }
    out.id[i] = k;
  }
  return out;
}

// The logistic fit of X's columns `cols`, on the rows' groups when they are few enough.
LogisticResult fit_on_groups(const Eigen::Ref<const RowMatrix>& X, const std::vector<std::size_t>& cols,
                             std::span<const double> y, std::span<const double> weights, const RowGroups& g,
                             const LogisticOptions& o, const Eigen::VectorXd& warm) {
  if (g.count < 0) {
    std::vector<Eigen::Index> idx(cols.begin(), cols.end());
    return detail::fit_logistic_columns(X, idx, y, weights, o, warm);
  }
  const auto groups = static_cast<std::size_t>(g.count);
  RowMatrix design(static_cast<Eigen::Index>(groups), static_cast<Eigen::Index>(cols.size()));
  std::vector<double> weight(groups, 0.0), share(groups, 0.0);
  std::vector<char> seen(groups, 0);
  for (std::size_t i = 0; i < g.id.size(); ++i) {
    if (g.id[i] < 0) continue;
    const auto k = static_cast<std::size_t>(g.id[i]);
    if (!seen[k]) {
      seen[k] = 1;
      for (std::size_t c = 0; c < cols.size(); ++c) {
        design(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(c)) = X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(cols[c]));
      }
    }
    const double w = weights.empty() ? 1.0 : weights[i];
    weight[k] += w;
    share[k] += w * y[i];
  }
  for (std::size_t k = 0; k < groups; ++k) share[k] = weight[k] > 0 ? share[k] / weight[k] : 0.0;
  std::vector<Eigen::Index> idx(cols.size());
  std::iota(idx.begin(), idx.end(), Eigen::Index{0});
  return detail::fit_logistic_columns(design, idx, share, weight, o, warm, /*grouped=*/true);
}

}  // namespace

StepwiseResult stepwise(const Eigen::Ref<const RowMatrix>& X, std::span<const double> y,
                        std::span<const double> weights, const StepwiseOptions& o,
                        const std::vector<std::size_t>& start) {
  const auto started = std::chrono::steady_clock::now();
  o.validate();
  check::all_finite("X", X);
  const auto k = static_cast<std::size_t>(X.cols());
  for (std::size_t c : start) {
    if (c >= k) check::fail("start", fmt::format("column {} is outside X's {} columns", c, k));
  }
  const std::size_t limit = o.max_variables > 0 ? static_cast<std::size_t>(o.max_variables) : k;
  std::vector<std::size_t> selected = start;
  if (selected.empty() && o.direction == StepwiseDirection::backward) {
    selected.resize(k);
    std::iota(selected.begin(), selected.end(), std::size_t{0});
  }
  const bool intercept = o.logistic.fit_intercept;
  const Eigen::Index offset = intercept ? 1 : 0;
  check::binary("y", y);  // the grouped fits below take event shares
  if (!weights.empty()) {
    check::same_size("X", static_cast<std::size_t>(X.rows()), "weights", weights.size());
    check::all_finite("weights", weights);
    check::all_non_negative("weights", weights);
  }
  std::vector<ColumnCodes> codes(k);
  parallel_for_chunks(k, 1, [&](std::size_t j, std::size_t, std::size_t) { codes[j] = column_codes(X, static_cast<Eigen::Index>(j)); });
  const RowGroups everyone = all_rows(static_cast<std::size_t>(X.rows()), weights);
  auto groups_of = [&](const std::vector<std::size_t>& cols) {
    RowGroups g = everyone;
    for (std::size_t c : cols) {
      g = refine(g, codes[c]);
      if (g.count < 0) break;
    }
    return g;
  };
  auto fit = [&](const std::vector<std::size_t>& cols, const Eigen::VectorXd& warm) {
    return fit_on_groups(X, cols, y, weights, groups_of(cols), o.logistic, warm);
  };
  auto value = [&](const LogisticResult& m) {
    return o.criterion == SelectionCriterion::bic ? m.bic : m.aic;
  };
  auto usable = [](const LogisticResult& m) { return m.status.usable(); };
  // warm starts: the current coefficients with the new column at 0, or without the removed one
  auto with = [&](const Eigen::VectorXd& beta, std::size_t) {
    Eigen::VectorXd b(beta.size() + 1);
    b << beta, 0.0;
    return b;
  };
  auto without = [&](const Eigen::VectorXd& beta, std::size_t position) {
    Eigen::VectorXd b(beta.size() - 1);
    const auto p = static_cast<Eigen::Index>(position) + offset;
    b << beta.head(p), beta.tail(beta.size() - p - 1);
    return b;
  };

  StepwiseResult r;
  LogisticResult current = fit(selected, {});
  // p values need the starting model (AIC and BIC compare the fits without each column instead)
  if (!selected.empty() && !usable(current) && o.criterion == SelectionCriterion::pvalue) {
    std::vector<std::string> constant;
    for (std::size_t c : selected) {
      if (codes[c].levels == 1) constant.push_back(fmt::format("{}", c));
    }
    check::fail(start.empty() ? "X" : "start",
                fmt::format("the starting model of {} columns cannot be fitted ({}){}: drop constant, duplicate or "
                            "separating columns first",
                            selected.size(), current.status.message,
                            constant.empty() ? "" : fmt::format("; constant columns: {}", fmt::join(constant, ", "))));
  }
  std::vector<char> excluded(k, 0);
  int evaluations = 1;
  const std::size_t max_steps = 4 * k + 4;
  bool stopped_by_limit = true;
  for (std::size_t step = 0; step < max_steps; ++step) {
    struct Move {
      bool found = false;
      StepAction action = StepAction::enter;
      std::size_t variable = 0;
      double value = 0.0;
      LogisticResult model;
    } best;
    // forward candidates, fitted in parallel
    if ((o.direction != StepwiseDirection::backward) && selected.size() < limit) {
      std::vector<std::size_t> out;
      for (std::size_t c = 0; c < k; ++c) {
        if (!excluded[c] && std::find(selected.begin(), selected.end(), c) == selected.end()) out.push_back(c);
      }
      std::vector<LogisticResult> fits(out.size());
      const RowGroups now = groups_of(selected);  // each candidate splits the current model's groups once
      parallel_for_chunks(out.size(), 1, [&](std::size_t i, std::size_t, std::size_t) {
        auto cols = selected;
        cols.push_back(out[i]);
        fits[i] = fit_on_groups(X, cols, y, weights, refine(now, codes[out[i]]), o.logistic,
                                with(current.coefficients, out[i]));
      });
      evaluations += static_cast<int>(out.size());
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (!usable(fits[i])) {
          excluded[out[i]] = 1;
          r.excluded.push_back(out[i]);
          r.excluded_reasons.push_back(fits[i].status.message);
          continue;
        }
        if (o.criterion == SelectionCriterion::pvalue) {
          const double p = fits[i].p_values(fits[i].p_values.size() - 1);
          if (p < o.p_enter && (!best.found || p < best.value)) best = {true, StepAction::enter, out[i], p, fits[i]};
        } else if (value(fits[i]) < value(current) - 1e-9 && (!best.found || value(fits[i]) < best.value)) {
          best = {true, StepAction::enter, out[i], value(fits[i]), fits[i]};
        }
      }
    }
    if (o.direction != StepwiseDirection::forward && !selected.empty()) {
      if (o.criterion == SelectionCriterion::pvalue) {
        std::size_t worst = 0;
        double worst_p = -1;
        for (std::size_t s = 0; s < selected.size(); ++s) {
          const double p = current.p_values(static_cast<Eigen::Index>(s) + offset);
          if (p > worst_p) {
            worst_p = p;
            worst = s;
          }
        }
        if (worst_p > o.p_remove && (!best.found || o.direction == StepwiseDirection::backward)) {
          auto cols = selected;
          cols.erase(cols.begin() + static_cast<std::ptrdiff_t>(worst));
          best = {true, StepAction::remove, selected[worst], worst_p, fit(cols, without(current.coefficients, worst))};
          ++evaluations;
        }
      } else {
        std::vector<LogisticResult> fits(selected.size());
        parallel_for_chunks(selected.size(), 1, [&](std::size_t s, std::size_t, std::size_t) {
          auto cols = selected;
          cols.erase(cols.begin() + static_cast<std::ptrdiff_t>(s));
          fits[s] = fit(cols, without(current.coefficients, s));
        });
        evaluations += static_cast<int>(selected.size());
        for (std::size_t s = 0; s < selected.size(); ++s) {
          if (!usable(fits[s])) continue;
          const double target = best.found ? best.value : value(current) - 1e-9;
          if (value(fits[s]) < target) best = {true, StepAction::remove, selected[s], value(fits[s]), fits[s]};
        }
      }
    }
    if (!best.found) {
      stopped_by_limit = false;
      break;
    }
    if (best.action == StepAction::enter) {
      selected.push_back(best.variable);
    } else {
      selected.erase(std::find(selected.begin(), selected.end(), best.variable));
    }
    current = std::move(best.model);
    r.history.push_back({static_cast<int>(r.history.size()) + 1, best.action, best.variable, best.value,
                         static_cast<int>(selected.size())});
  }
  r.selected = selected;
  r.model = current;
  r.status = stopped_by_limit
                 ? Status::make(StatusCode::iteration_limit,
                                fmt::format("stopped after {} steps without settling", r.history.size()),
                                static_cast<int>(r.history.size()), evaluations)
                 : Status::make(StatusCode::converged,
                                fmt::format("no step improves the model after {} steps", r.history.size()),
                                static_cast<int>(r.history.size()), evaluations);
  r.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return r;
}

}  // namespace bankquant::scorecard
