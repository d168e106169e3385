#include "bankquant/portfolio/strategies.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/portfolio/cointegration.hpp"
#include "bankquant/portfolio/cvar.hpp"
#include "bankquant/portfolio/naive.hpp"
#include "bankquant/portfolio/risk_parity.hpp"

namespace bankquant::portfolio {

using Eigen::Index;
using Eigen::VectorXd;

void StrategySpec::validate() const {
  check::integer_at_least("lookback", lookback, 2);
  covariance.validate();
  expected_returns.validate();
  constraints.validate();
  hierarchical.validate();
  if (!(risk_aversion > 0) || !std::isfinite(risk_aversion)) check::fail("risk_aversion", fmt::format("expected a positive number, got {}", risk_aversion));
  check::finite("risk_free", risk_free);
  check::open_unit_interval("cvar_level", cvar_level);
  if ((method == AllocationMethod::efficient_risk || method == AllocationMethod::efficient_return) && kind == StrategyKind::allocation &&
      !std::isfinite(target)) {
    check::fail("target", fmt::format("method '{}' needs a target", enum_name(method)));
  }
  check::integer_at_least("fast", fast, 1);
  check::integer_at_least("slow", slow, 2);
  if (kind == StrategyKind::moving_average && fast >= slow) {
    throw InvalidArgument(fmt::format("arguments 'fast' and 'slow': expected fast < slow, got {} and {}", fast, slow));
  }
  check::integer_at_least("volatility_window", volatility_window, 2);
  check::integer_at_least("skip", skip, 0);
  if (kind == StrategyKind::cross_sectional_momentum && skip >= lookback) {
    throw InvalidArgument(fmt::format("arguments 'skip' and 'lookback': expected skip < lookback, got {} and {}", skip, lookback));
  }
  if (!(quantile > 0 && quantile <= 0.5)) check::fail("quantile", fmt::format("expected a share in (0, 0.5], got {}", quantile));
  check::integer_at_least("window", window, 2);
  if (!(entry_z > 0) || !std::isfinite(entry_z)) check::fail("entry_z", fmt::format("expected a positive number, got {}", entry_z));
  if (!(exit_z >= 0) || !(exit_z < entry_z)) {
    throw InvalidArgument(fmt::format("arguments 'exit_z' and 'entry_z': expected 0 <= exit_z < entry_z, got {} and {}", exit_z, entry_z));
  }
  if (!(stop_z >= 0) || (stop_z > 0 && stop_z <= entry_z)) {
    throw InvalidArgument(fmt::format("arguments 'stop_z' and 'entry_z': expected stop_z = 0 or above entry_z, got {} and {}", stop_z, entry_z));
  }
  check::integer_at_least("formation", formation, 30);
  check::integer_at_least("max_pairs", max_pairs, 1);
  check::in_open_range("max_p_value", max_p_value, 0.0, 1.0);
}

namespace {

// Prefix sums of prices and squared prices (row-major, (T+1) x n), for O(1) moving windows.
struct PrefixSums {
  RowMatrix sum, square;
  void build(const Eigen::Ref<const RowMatrix>& P) {
    sum = RowMatrix::Zero(P.rows() + 1, P.cols());
    square = RowMatrix::Zero(P.rows() + 1, P.cols());
    for (Index t = 0; t < P.rows(); ++t) {
      sum.row(t + 1) = sum.row(t) + P.row(t);
      square.row(t + 1) = square.row(t) + P.row(t).cwiseProduct(P.row(t));
    }
  }
  // Mean of rows [t - w + 1, t].
  [[nodiscard]] double mean(Index t, Index w, Index j) const { return (sum(t + 1, j) - sum(t + 1 - w, j)) / static_cast<double>(w); }
  [[nodiscard]] double sd(Index t, Index w, Index j) const {
    const double m = mean(t, w, j);
    const double s2 = (square(t + 1, j) - square(t + 1 - w, j)) / static_cast<double>(w) - m * m;
    return std::sqrt(std::max(s2, 0.0) * static_cast<double>(w) / static_cast<double>(w - 1));
  }
};

// Volatility of each asset's simple returns over the last w rows (O(w n)).
VectorXd asset_volatility(const Eigen::Ref<const RowMatrix>& P, Index t, Index w) {
  const Index n = P.cols();
  VectorXd out(n);
  for (Index j = 0; j < n; ++j) {
    double s = 0.0, s2 = 0.0;
    for (Index k = t - w + 1; k <= t; ++k) {
      const double r = P(k, j) / P(k - 1, j) - 1.0;
      s += r;
      s2 += r * r;
    }
    const double m = s / static_cast<double>(w);
    out(j) = std::sqrt(std::max(s2 / static_cast<double>(w) - m * m, 0.0) * static_cast<double>(w) / static_cast<double>(w - 1));
  }
  return out;
}

// Signals s in {-1, 0, 1} to weights: 1/n each, or in proportion to 1/sigma with gross 1.
void signal_weights(const StrategySpec& s, const Eigen::Ref<const RowMatrix>& P, Index t, const VectorXd& signal,
                    VectorXd& out) {
  const Index n = P.cols();
  if (!s.volatility_scaling) {
    out = signal / static_cast<double>(n);
    return;
  }
  const VectorXd vol = asset_volatility(P, t, s.volatility_window);
  double total = 0.0;
  for (Index j = 0; j < n; ++j) total += vol(j) > 0 ? 1.0 / vol(j) : 0.0;
  for (Index j = 0; j < n; ++j) out(j) = vol(j) > 0 && total > 0 ? signal(j) / vol(j) / total : 0.0;
}

class SpecStrategy : public Strategy {
 public:
  explicit SpecStrategy(StrategySpec s) : s_(std::move(s)) {
    if (s_.name.empty()) s_.name = default_name();
  }
  [[nodiscard]] std::string name() const override { return s_.name; }

 protected:
  [[nodiscard]] virtual std::string default_name() const { return std::string(enum_name(s_.kind)); }
  StrategySpec s_;
};

class AllocationStrategy final : public SpecStrategy {
 public:
  using SpecStrategy::SpecStrategy;
  [[nodiscard]] Index warmup() const override { return s_.lookback; }
  [[nodiscard]] std::unique_ptr<Strategy> clone() const override { return std::make_unique<AllocationStrategy>(*this); }
  [[nodiscard]] std::string default_name() const override {
    return fmt::format("{} ({} rows)", enum_name(s_.method), s_.lookback);
  }

  bool target(const Eigen::Ref<const RowMatrix>& P, Index t, const VectorXd& current, VectorXd& out) override {
    const Index L = s_.lookback, n = P.cols();
    RowMatrix R(L, n);
    for (Index k = 0; k < L; ++k) {
      const Index row = t - L + 1 + k;
      R.row(k) = P.row(row).cwiseQuotient(P.row(row - 1)).array() - 1.0;
    }
    if (s_.method == AllocationMethod::equal_weight) {
      out = equal_weight(n);
      return true;
    }
    if (s_.method == AllocationMethod::min_cvar) {
      CvarOptions co;
      co.level = s_.cvar_level;
      co.lower = s_.constraints.lower;
      co.upper = s_.constraints.upper;
      co.budget = s_.constraints.budget;
      co.groups = s_.constraints.groups;
      out = min_cvar(R, co).portfolio.weights;
      return true;
    }
    const CovarianceResult cov = estimate_covariance(R, s_.covariance);
    if (s_.method == AllocationMethod::inverse_volatility) {
      out = inverse_volatility(cov.covariance);
      return true;
    }
    const VectorXd none;
    if (s_.method == AllocationMethod::risk_parity) {
      out = risk_budgeting(cov.covariance, none).weights;
      return true;
    }
    if (s_.method == AllocationMethod::hrp) {
      out = hierarchical_risk_parity(cov.covariance, none, s_.hierarchical).portfolio.weights;
      return true;
    }
    if (s_.method == AllocationMethod::herc) {
      out = hierarchical_equal_risk_contribution(cov.covariance, none, s_.hierarchical).portfolio.weights;
      return true;
    }
    const VectorXd mu = estimate_expected_returns(R, s_.expected_returns).expected_returns;
    MeanVarianceOptions c = s_.constraints;
    // Costs and turnover limits apply from the holdings at hand (not at the first investment).
    const bool from_holdings = c.transaction_costs.size() > 0 || std::isfinite(c.max_turnover);
    c.current_weights = from_holdings && current.cwiseAbs().sum() > 0 ? current : VectorXd();
    if (c.current_weights.size() == 0) {
      c.transaction_costs = VectorXd();
      c.max_turnover = std::numeric_limits<double>::infinity();
    }
    const MeanVariance mv(mu, cov.covariance, c);
    PortfolioResult p;
    switch (s_.method) {
      case AllocationMethod::min_volatility: p = mv.min_volatility(); break;
      case AllocationMethod::max_sharpe: p = mv.max_sharpe(s_.risk_free); break;
      case AllocationMethod::max_quadratic_utility: p = mv.max_quadratic_utility(s_.risk_aversion); break;
      case AllocationMethod::efficient_risk: p = mv.efficient_risk(s_.target); break;
      case AllocationMethod::efficient_return: p = mv.efficient_return(s_.target); break;
      case AllocationMethod::max_diversification: p = mv.max_diversification(); break;
      default: check::fail("method", fmt::format("'{}' is not a mean-variance method", enum_name(s_.method)));
    }
    if (!p.status.usable()) throw NumericalError(fmt::format("{}: {}", enum_name(s_.method), p.status.message));
    out = p.weights;
    return true;
  }
};

class MovingAverageStrategy final : public SpecStrategy {
 public:
  using SpecStrategy::SpecStrategy;
  [[nodiscard]] Index warmup() const override {
    return std::max<Index>(s_.slow - 1, s_.volatility_scaling ? s_.volatility_window : 0);
  }
  [[nodiscard]] std::unique_ptr<Strategy> clone() const override { return std::make_unique<MovingAverageStrategy>(*this); }
  [[nodiscard]] std::string default_name() const override {
    return fmt::format("moving average {}/{}{}", s_.fast, s_.slow, s_.long_only ? " long only" : "");
  }
  void prepare(const Eigen::Ref<const RowMatrix>& P) override {
    sums_.build(P);
    signal_.resize(P.cols());
  }
  bool target(const Eigen::Ref<const RowMatrix>& P, Index t, const VectorXd&, VectorXd& out) override {
    for (Index j = 0; j < P.cols(); ++j) {
      // Prices in cents make exact ties of the two averages common; within rounding it is no trend.
      const double slow = sums_.mean(t, s_.slow, j);
      const double d = sums_.mean(t, s_.fast, j) - slow;
      const double eps = 1e-12 * std::abs(slow);
      signal_(j) = d > eps ? 1.0 : (d < -eps && !s_.long_only ? -1.0 : 0.0);
    }
    signal_weights(s_, P, t, signal_, out);
    return true;
  }

 private:
  PrefixSums sums_;
  VectorXd signal_;
};

class MomentumStrategy final : public SpecStrategy {
 public:
  using SpecStrategy::SpecStrategy;
  [[nodiscard]] Index warmup() const override {
    return std::max<Index>(s_.lookback, s_.volatility_scaling ? s_.volatility_window : 0);
  }
  [[nodiscard]] std::unique_ptr<Strategy> clone() const override { return std::make_unique<MomentumStrategy>(*this); }
  [[nodiscard]] std::string default_name() const override {
    return fmt::format("time-series momentum {}{}", s_.lookback, s_.long_only ? " long only" : "");
  }
  bool target(const Eigen::Ref<const RowMatrix>& P, Index t, const VectorXd&, VectorXd& out) override {
    VectorXd signal(P.cols());
    for (Index j = 0; j < P.cols(); ++j) {
      const double r = P(t, j) / P(t - s_.lookback, j) - 1.0;
      signal(j) = r > 0 ? 1.0 : (r < 0 && !s_.long_only ? -1.0 : 0.0);
    }
    signal_weights(s_, P, t, signal, out);
    return true;
  }
};

class CrossSectionalMomentumStrategy final : public SpecStrategy {
 public:
  using SpecStrategy::SpecStrategy;
  [[nodiscard]] Index warmup() const override { return s_.lookback; }
  [[nodiscard]] std::unique_ptr<Strategy> clone() const override {
    return std::make_unique<CrossSectionalMomentumStrategy>(*this);
  }
  [[nodiscard]] std::string default_name() const override {
    return fmt::format("cross-sectional momentum {}-{} top {:g}", s_.lookback, s_.skip, s_.quantile);
  }
  bool target(const Eigen::Ref<const RowMatrix>& P, Index t, const VectorXd&, VectorXd& out) override {
    const Index n = P.cols();
    std::vector<std::pair<double, Index>> score(static_cast<std::size_t>(n));
    for (Index j = 0; j < n; ++j) score[static_cast<std::size_t>(j)] = {P(t - s_.skip, j) / P(t - s_.lookback, j) - 1.0, j};
    std::stable_sort(score.begin(), score.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    const Index k = std::max<Index>(1, static_cast<Index>(std::floor(s_.quantile * static_cast<double>(n))));
    out.setZero();
    const double leg = s_.long_only ? 1.0 : 0.5;
    for (Index q = 0; q < k; ++q) out(score[static_cast<std::size_t>(q)].second) = leg / static_cast<double>(k);
    if (!s_.long_only) {
      for (Index q = 0; q < k; ++q) out(score[static_cast<std::size_t>(n - 1 - q)].second) = -leg / static_cast<double>(k);
    }
    return true;
  }
};

class MeanReversionStrategy final : public SpecStrategy {
 public:
  using SpecStrategy::SpecStrategy;
  [[nodiscard]] Index warmup() const override {
    return std::max<Index>(s_.window - 1, s_.volatility_scaling ? s_.volatility_window : 0);
  }
  [[nodiscard]] std::unique_ptr<Strategy> clone() const override { return std::make_unique<MeanReversionStrategy>(*this); }
  [[nodiscard]] std::string default_name() const override {
    return fmt::format("mean reversion {} rows, z {:g}/{:g}", s_.window, s_.entry_z, s_.exit_z);
  }
  void prepare(const Eigen::Ref<const RowMatrix>& P) override {
    sums_.build(P);
    state_ = VectorXd::Zero(P.cols());
  }
  bool target(const Eigen::Ref<const RowMatrix>& P, Index t, const VectorXd&, VectorXd& out) override {
    for (Index j = 0; j < P.cols(); ++j) {
      const double sd = sums_.sd(t, s_.window, j);
      if (!(sd > 0)) {
        state_(j) = 0.0;
        continue;
      }
      const double z = (P(t, j) - sums_.mean(t, s_.window, j)) / sd;
      double& st = state_(j);
      if (st > 0 && z >= -s_.exit_z) st = 0.0;
      if (st < 0 && z <= s_.exit_z) st = 0.0;
      if (st == 0.0) {
        if (z < -s_.entry_z) st = 1.0;
        else if (z > s_.entry_z && !s_.long_only) st = -1.0;
      }
    }
    signal_weights(s_, P, t, state_, out);
    return true;
  }

 private:
  PrefixSums sums_;
  VectorXd state_;
};

class PairsStrategy final : public SpecStrategy {
 public:
  using SpecStrategy::SpecStrategy;
  [[nodiscard]] Index warmup() const override { return s_.formation; }
  [[nodiscard]] std::unique_ptr<Strategy> clone() const override { return std::make_unique<PairsStrategy>(*this); }
  [[nodiscard]] std::string default_name() const override {
    return fmt::format("pairs {} rows, z {:g}/{:g}", s_.formation, s_.entry_z, s_.exit_z);
  }
  void prepare(const Eigen::Ref<const RowMatrix>&) override {
    pairs_.clear();
    state_.clear();
    formed_at_ = -1;
  }
  bool target(const Eigen::Ref<const RowMatrix>& P, Index t, const VectorXd&, VectorXd& out) override {
    if (formed_at_ < 0 || t - formed_at_ >= s_.formation) {
      // Re-formation: keep the state of pairs selected again, close the others.
      const std::vector<SelectedPair> fresh = select_pairs(P, t, s_.formation, s_.max_pairs, s_.max_p_value);
      std::vector<double> state(fresh.size(), 0.0);
      for (std::size_t a = 0; a < fresh.size(); ++a) {
        for (std::size_t b = 0; b < pairs_.size(); ++b) {
          if (pairs_[b].first == fresh[a].first && pairs_[b].second == fresh[a].second) state[a] = state_[b];
        }
      }
      pairs_ = fresh;
      state_ = state;
      formed_at_ = t;
    }
    out.setZero();
    const double gross = 1.0 / static_cast<double>(s_.max_pairs);
    for (std::size_t k = 0; k < pairs_.size(); ++k) {
      const auto& p = pairs_[k];
      const double spread = std::log(P(t, p.first)) - p.intercept - p.hedge_ratio * std::log(P(t, p.second));
      const double z = p.spread_sd > 0 ? spread / p.spread_sd : 0.0;
      double& st = state_[k];
      if (st != 0.0 && (std::abs(z) < s_.exit_z || (st > 0 && z > 0) || (st < 0 && z < 0))) st = 0.0;
      if (st != 0.0 && s_.stop_z > 0 && std::abs(z) > s_.stop_z) st = 0.0;
      if (st == 0.0 && std::abs(z) > s_.entry_z && !(s_.stop_z > 0 && std::abs(z) > s_.stop_z)) st = z > 0 ? -1.0 : 1.0;
      if (st == 0.0) continue;
      const double scale = gross / (1.0 + std::abs(p.hedge_ratio));
      out(p.first) += st * scale;                    // long the spread: buy first ...
      out(p.second) -= st * scale * p.hedge_ratio;   // ... and sell beta of the second
    }
    return true;
  }

 private:
  std::vector<SelectedPair> pairs_;
  std::vector<double> state_;
  Index formed_at_ = -1;
};

}  // namespace

std::vector<SelectedPair> select_pairs(const Eigen::Ref<const RowMatrix>& P, Index t, int formation, int max_pairs,
                                       double max_p_value) {
  check_prices(P);
  check::integer_at_least("formation", formation, 30);
  check::integer_at_least("max_pairs", max_pairs, 1);
  if (t < formation - 1 || t >= P.rows()) {
    check::fail("t", fmt::format("expected a row in [{}, {}), got {}", formation - 1, P.rows(), t));
  }
  const Index n = P.cols();
  const Index first = t - formation + 1;
  std::vector<std::vector<double>> logs(static_cast<std::size_t>(n), std::vector<double>(static_cast<std::size_t>(formation)));
  for (Index j = 0; j < n; ++j) {
    for (Index k = 0; k < formation; ++k) logs[static_cast<std::size_t>(j)][static_cast<std::size_t>(k)] = std::log(P(first + k, j));
  }
  std::vector<SelectedPair> candidates;
  for (Index i = 0; i < n; ++i) {
    for (Index j = i + 1; j < n; ++j) {
      const CointegrationResult c = engle_granger(logs[static_cast<std::size_t>(i)], logs[static_cast<std::size_t>(j)]);
      if (c.p_value <= max_p_value && c.hedge_ratio > 0) {
        candidates.push_back({static_cast<int>(i), static_cast<int>(j), c.hedge_ratio, c.intercept, c.residual_sd, c.p_value});
      }
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.p_value < b.p_value; });
  std::vector<SelectedPair> out;
  std::vector<char> used(static_cast<std::size_t>(n), 0);
  for (const auto& c : candidates) {
    if (static_cast<int>(out.size()) >= max_pairs) break;
    if (used[static_cast<std::size_t>(c.first)] || used[static_cast<std::size_t>(c.second)]) continue;
    used[static_cast<std::size_t>(c.first)] = used[static_cast<std::size_t>(c.second)] = 1;
    out.push_back(c);
  }
  return out;
}

std::unique_ptr<Strategy> make_strategy(const StrategySpec& spec) {
  spec.validate();
  switch (spec.kind) {
    case StrategyKind::allocation: return std::make_unique<AllocationStrategy>(spec);
    case StrategyKind::moving_average: return std::make_unique<MovingAverageStrategy>(spec);
    case StrategyKind::momentum: return std::make_unique<MomentumStrategy>(spec);
    case StrategyKind::cross_sectional_momentum: return std::make_unique<CrossSectionalMomentumStrategy>(spec);
    case StrategyKind::mean_reversion: return std::make_unique<MeanReversionStrategy>(spec);
    case StrategyKind::pairs: return std::make_unique<PairsStrategy>(spec);
  }
  check::fail("kind", "unknown strategy kind");
}

}  // namespace bankquant::portfolio
