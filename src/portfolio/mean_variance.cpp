#include "bankquant/portfolio/mean_variance.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <set>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/portfolio/lp.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "active_set.hpp"
#include "frontier.hpp"
#include "model.hpp"

namespace bankquant::portfolio {
namespace {

using detail::Index;
using detail::Model;
using detail::Restriction;
using Eigen::MatrixXd;
using Eigen::VectorXd;

using bankquant::detail::kInf;

std::string num(double v) { return fmt::format("{:.6g}", v); }

// sqrt(max(v, 0)) element by element (a scalar loop: GCC 12 warns falsely on the AVX-512 form).
VectorXd volatilities(const VectorXd& variances) {
  VectorXd out(variances.size());
  for (Index i = 0; i < variances.size(); ++i) out(i) = std::sqrt(std::max(variances(i), 0.0));
  return out;
}

// The user's argument behind a constraint name (for "argument 'x'" messages).
std::string argument_of(const std::string& constraint) {
  if (constraint.rfind("budget", 0) == 0) return "budget";
  if (constraint.rfind("group", 0) == 0) return "groups";
  if (constraint.rfind("gross", 0) == 0 || constraint.rfind("|w|", 0) == 0) return "max_gross_exposure";
  if (constraint.rfind("turnover", 0) == 0) return "max_turnover";
  if (constraint.rfind("target return", 0) == 0) return "target_return";
  if (constraint.find("(held") != std::string::npos || constraint.find("not held") != std::string::npos) return "max_assets";
  return "bounds";
}

[[noreturn]] void infeasible(const FeasibilityReport& report, const std::string& message) {
  std::set<std::string> args;
  for (const auto& c : report.conflicting) args.insert(argument_of(c));
  if (args.empty()) args.insert("bounds");
  std::string list;
  std::size_t k = 0;
  for (const auto& a : args) {
    list += (k == 0 ? "" : k + 1 == args.size() ? " and " : ", ") + fmt::format("'{}'", a);
    ++k;
  }
  throw InvalidArgument(fmt::format("argument{} {}: the constraints admit no portfolio: {}", args.size() > 1 ? "s" : "",
                                    list, message));
}

// Friendlier words for the common conflicts, before the general check.
void check_simple_conflicts(const Model& m, const MeanVarianceOptions& o) {
  const Index n = m.n;
  const VectorXd lower = o.lower.size() ? o.lower : VectorXd::Zero(n);
  const VectorXd upper = o.upper.size() ? o.upper : VectorXd::Ones(n);
  if (std::isfinite(o.budget)) {
    const double lo = lower.sum(), hi = upper.sum();
    const double tol = 1e-9 * (1 + std::abs(o.budget));
    if (hi < o.budget - tol) {
      check::fail("bounds", fmt::format("the upper bounds sum to at most {} but the budget is {}", num(hi), num(o.budget)));
    }
    if (lo > o.budget + tol) {
      check::fail("bounds", fmt::format("the lower bounds sum to {}, above the budget {}", num(lo), num(o.budget)));
    }
  }
  for (const auto& g : o.groups) {
    double lo = 0.0, hi = 0.0;
    for (int i : g.members) {
      lo += lower(i);
      hi += upper(i);
    }
    if (g.lower > g.upper) {
      check::fail("groups", fmt::format("group '{}': lower {} is above upper {}", g.name, num(g.lower), num(g.upper)));
    }
    if (g.lower > hi + 1e-9 * (1 + std::abs(g.lower))) {
      check::fail("groups", fmt::format("group '{}' needs at least {} but its members' upper bounds sum to {}", g.name,
                                        num(g.lower), num(hi)));
    }
    if (g.upper < lo - 1e-9 * (1 + std::abs(g.upper))) {
      check::fail("groups", fmt::format("group '{}' allows at most {} but its members' lower bounds sum to {}", g.name,
                                        num(g.upper), num(lo)));
    }
  }
}

struct Solved {
  QpProblem qp;
  QpResult r;
  VectorXd x;  // model variables
  bool ok = false;
  double objective = kInf;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

void MeanVarianceOptions::validate() const {
  if (std::isinf(budget)) check::fail("budget", "expected a finite budget or NaN for none");
  for (Index i = 0; i < lower.size(); ++i) {
    if (std::isnan(lower(i)) || lower(i) == kInf) check::fail("lower", fmt::format("expected a number or -inf, got {} at {}", lower(i), i));
  }
  for (Index i = 0; i < upper.size(); ++i) {
    if (std::isnan(upper(i)) || upper(i) == -kInf) check::fail("upper", fmt::format("expected a number or inf, got {} at {}", upper(i), i));
  }
  for (const auto& g : groups) {
    if (std::isnan(g.lower) || std::isnan(g.upper)) check::fail("groups", fmt::format("group '{}': bounds must not be NaN", g.name));
    if (g.members.empty()) check::fail("groups", fmt::format("group '{}' has no members", g.name));
  }
  if (!(max_gross_exposure > 0)) check::fail("max_gross_exposure", fmt::format("expected a positive number, got {}", max_gross_exposure));
  if (!(l2_gamma >= 0) || !std::isfinite(l2_gamma)) check::fail("l2_gamma", fmt::format("expected a non-negative number, got {}", l2_gamma));
  check::all_finite("current_weights", current_weights);
  check::all_finite("benchmark", benchmark);
  for (Index i = 0; i < transaction_costs.size(); ++i) {
    if (!(transaction_costs(i) >= 0) || !std::isfinite(transaction_costs(i))) {
      check::fail("transaction_costs", fmt::format("expected non-negative finite costs, got {} at {}", transaction_costs(i), i));
    }
  }
  if (!(max_turnover >= 0)) check::fail("max_turnover", fmt::format("expected a non-negative number, got {}", max_turnover));
  check::integer_at_least("max_assets", max_assets, 0);
  if (!(min_weight >= 0) || !std::isfinite(min_weight)) check::fail("min_weight", fmt::format("expected a non-negative number, got {}", min_weight));
  check::finite("risk_free", risk_free);
  check::integer_at_least("max_nodes", max_nodes, 1);
  check::non_negative("time_limit", time_limit);
  solver.validate();
}

// ---------------------------------------------------------------- construction

namespace detail {
struct MeanVarianceState {
  VectorXd mu;
  MatrixXd cov;
  FactorHessian factor;
  MeanVarianceOptions options;
  Model model;
};
}  // namespace detail

namespace {

std::shared_ptr<const detail::MeanVarianceState> make_state(VectorXd mu, MatrixXd cov, FactorHessian factor,
                                                            MeanVarianceOptions options) {
  auto state = std::make_shared<detail::MeanVarianceState>();
  state->mu = std::move(mu);
  state->cov = std::move(cov);
  state->factor = std::move(factor);
  state->options = std::move(options);
  state->options.validate();
  const bool dense = state->cov.size() > 0;
  state->model = detail::build_model(state->mu, dense ? &state->cov : nullptr, dense ? nullptr : &state->factor,
                                     state->options);
  const Model& model = state->model;
  const MeanVarianceOptions& o = state->options;
  check_simple_conflicts(model, o);
  const QpProblem qp = model.risk_problem(2.0, VectorXd());
  const FeasibilityReport report = check_feasibility(qp, o.solver.feasibility_tolerance);
  if (!report.feasible) infeasible(report, report.message);
  if (o.max_assets > 0 && std::isfinite(o.budget) && o.budget > 0) {
    // Quick necessary condition: K assets at their upper bounds must reach the budget.
    VectorXd upper = o.upper.size() ? o.upper : VectorXd::Ones(state->mu.size());
    std::sort(upper.data(), upper.data() + upper.size(), std::greater<>());
    const double reach = upper.head(std::min<Index>(o.max_assets, upper.size())).sum();
    if (reach < o.budget - 1e-9) {
      check::fail("max_assets", fmt::format("{} assets at their upper bounds hold at most {}, below the budget {}",
                                            o.max_assets, num(reach), num(o.budget)));
    }
  }
  return state;
}

}  // namespace

MeanVariance::MeanVariance(Eigen::VectorXd mu, Eigen::MatrixXd cov, MeanVarianceOptions options) {
  check::not_empty("expected_returns", static_cast<std::size_t>(mu.size()));
  check::all_finite("expected_returns", mu);
  check_covariance("cov", cov, mu.size());
  state_ = make_state(std::move(mu), std::move(cov), FactorHessian{}, std::move(options));
}

MeanVariance::MeanVariance(Eigen::VectorXd mu, FactorHessian cov, MeanVarianceOptions options) {
  check::not_empty("expected_returns", static_cast<std::size_t>(mu.size()));
  check::all_finite("expected_returns", mu);
  const Index n = mu.size();
  check::shape("loadings", cov.loadings.rows(), cov.loadings.cols(), n, -1);
  check::all_finite("loadings", cov.loadings);
  check_covariance("factor_covariance", cov.factor_covariance, cov.loadings.cols());
  check::shape("specific_variance", cov.specific.size(), 1, n, 1);
  check::all_non_negative("specific_variance", std::span<const double>(cov.specific.data(), static_cast<std::size_t>(n)));
  state_ = make_state(std::move(mu), MatrixXd(), std::move(cov), std::move(options));
}

MeanVariance::~MeanVariance() = default;
MeanVariance::MeanVariance(const MeanVariance&) = default;
MeanVariance& MeanVariance::operator=(const MeanVariance&) = default;

Eigen::Index MeanVariance::size() const { return state_->mu.size(); }
const MeanVarianceOptions& MeanVariance::options() const { return state_->options; }
const Eigen::VectorXd& MeanVariance::expected_returns() const { return state_->mu; }

// ---------------------------------------------------------------- reports

PortfolioResult MeanVariance::evaluate(const Eigen::Ref<const Eigen::VectorXd>& weights, const std::string& method) const {
  const Index n = state_->mu.size();
  check::shape("weights", weights.size(), 1, n, 1);
  check::all_finite("weights", weights);
  const Model& m = state_->model;
  PortfolioResult r;
  r.method = method;
  r.weights = weights;
  const VectorXd sw = m.cov_times(r.weights);
  const double var = std::max(r.weights.dot(sw), 0.0);
  r.volatility = std::sqrt(var);
  double cost = 0.0;
  if (state_->options.current_weights.size() == n) {
    const VectorXd trade = (r.weights - state_->options.current_weights).cwiseAbs();
    r.turnover = trade.sum();
    if (state_->options.transaction_costs.size() == n) cost = state_->options.transaction_costs.dot(trade);
  }
  r.transaction_cost = cost;
  r.expected_return = state_->mu.dot(r.weights) - cost;
  r.sharpe = r.volatility > 0 ? (r.expected_return - state_->options.risk_free) / r.volatility
                              : (r.expected_return > state_->options.risk_free ? kInf : r.expected_return < state_->options.risk_free ? -kInf : 0.0);
  r.risk_contributions = r.volatility > 0 ? VectorXd(r.weights.cwiseProduct(sw) / r.volatility) : VectorXd::Zero(n);
  r.diversification_ratio =
      r.volatility > 0 ? r.weights.dot(volatilities(m.asset_variances())) / r.volatility : 0.0;
  if (state_->options.benchmark.size() == n) {
    const VectorXd a = r.weights - state_->options.benchmark;
    r.tracking_error = std::sqrt(std::max(a.dot(m.cov_times(a)), 0.0));
  }
  r.status = Status::make(StatusCode::converged, "evaluated");
  return r;
}

namespace {

PortfolioResult from_solution(const MeanVariance& mv, const Model& m, const QpProblem& qp, const QpResult& qr,
                              const VectorXd& weights, const std::string& method) {
  PortfolioResult r = mv.evaluate(weights, method);
  r.binding = m.binding(qp, qr);
  r.solver = qr.method;
  r.iterations = qr.status.iterations;
  r.primal_residual = qr.primal_residual;
  r.dual_residual = qr.dual_residual;
  r.status = qr.status;
  return r;
}

// Solves a QP that must be feasible (checked at construction); infeasible or unbounded outcomes
// become errors naming the user's argument.
QpResult solve_checked(const QpProblem& qp, const QpOptions& o, const VectorXd& start, const char* unbounded_hint) {
  QpOptions options = o;
  options.check_convexity = false;  // the covariance was checked once, at construction
  QpResult r = solve_qp(qp, options, start);
  if (r.status.code == StatusCode::infeasible) {
    const FeasibilityReport report = check_feasibility(qp);
    infeasible(report, r.status.message);
  }
  if (r.status.code == StatusCode::unbounded) check::fail(unbounded_hint, r.status.message);
  return r;
}

}  // namespace

// ---------------------------------------------------------------- branch and bound

namespace {

struct Node {
  std::vector<Restriction> restrictions;
  double bound = -kInf;
  VectorXd start;
};

struct NodeOrder {
  bool operator()(const Node& a, const Node& b) const { return a.bound > b.bound; }
};

}  // namespace

namespace {

// Solves `make(restrictions)` to optimality under cardinality and minimum-holding rules.
// make returns a feasible-or-not QP in model variables and a map from its solution to weights.
struct CardinalitySearch {
  const Model& m;
  const MeanVarianceOptions& o;
  std::function<QpProblem(const std::vector<Restriction>&)> make;
  std::function<VectorXd(const VectorXd&)> weights_of;  // QP solution -> weights
  int qp_iterations = 0;

  struct Leaf {
    bool ok = false;
    double objective = kInf;
    QpProblem qp;
    QpResult r;
    VectorXd w;
  };

  Leaf solve(const std::vector<Restriction>& rs, const VectorXd& start) {
    Leaf leaf;
    leaf.qp = make(rs);
    QpOptions so = o.solver;
    so.check_convexity = false;
    so.method = QpMethod::active_set;
    const VectorXd warm = start.size() == leaf.qp.size() ? start : VectorXd();
    leaf.r = solve_qp(leaf.qp, so, warm);
    qp_iterations += leaf.r.status.iterations;
    if (!leaf.r.status.usable()) return leaf;
    leaf.ok = true;
    leaf.objective = leaf.r.objective;
    leaf.w = weights_of(leaf.r.x);
    return leaf;
  }

  [[nodiscard]] double zero_tolerance() const { return 1e-9; }

  // Whether w obeys the rules; else the asset to branch on.
  Index violation(const VectorXd& w, const std::vector<Restriction>& rs) const {
    std::vector<char> decided(static_cast<std::size_t>(m.n), 0);
    for (const auto& r : rs) decided[static_cast<std::size_t>(r.asset)] = 1;
    Index held = 0;
    Index smallest = -1, ambiguous = -1;
    double smallest_abs = kInf, ambiguous_score = kInf;
    for (Index i = 0; i < m.n; ++i) {
      const double a = std::abs(w(i));
      if (a <= zero_tolerance()) continue;
      ++held;
      if (decided[static_cast<std::size_t>(i)]) continue;
      if (a < smallest_abs) {
        smallest_abs = a;
        smallest = i;
      }
      if (o.min_weight > 0 && a < o.min_weight - 1e-12) {
        const double score = std::abs(a - 0.5 * o.min_weight);
        if (score < ambiguous_score) {
          ambiguous_score = score;
          ambiguous = i;
        }
      }
    }
    if (ambiguous >= 0) return ambiguous;
    if (o.max_assets > 0 && held > o.max_assets) return smallest;
    return -1;
  }

  std::vector<std::vector<Restriction>> children(const std::vector<Restriction>& rs, Index i, const VectorXd& w) const {
    const VectorXd lower = o.lower.size() ? o.lower : VectorXd::Zero(m.n);
    const VectorXd upper = o.upper.size() ? o.upper : VectorXd::Ones(m.n);
    const double minimum = std::max(o.min_weight, 0.0);
    std::vector<std::vector<Restriction>> out;
    auto zero = rs;
    zero.push_back({Restriction::zero, i, 0.0});
    out.push_back(zero);
    std::vector<Restriction::Kind> signs;
    if (w(i) > 0) {
      signs.push_back(Restriction::held_long);
      if (lower(i) < 0) signs.push_back(Restriction::held_short);
    } else {
      signs.push_back(Restriction::held_short);
      if (upper(i) > 0) signs.push_back(Restriction::held_long);
    }
    for (auto kind : signs) {
      if (kind == Restriction::held_long && upper(i) <= 0) continue;
      if (kind == Restriction::held_short && lower(i) >= 0) continue;
      auto held = rs;
      held.push_back({kind, i, minimum});
      Index count = 0;
      for (const auto& r : held) count += r.kind != Restriction::zero;
      if (o.max_assets > 0 && count >= o.max_assets) {
        // Every other undecided asset is then out.
        std::vector<char> decided(static_cast<std::size_t>(m.n), 0);
        for (const auto& r : held) decided[static_cast<std::size_t>(r.asset)] = 1;
        for (Index j = 0; j < m.n; ++j) {
          if (!decided[static_cast<std::size_t>(j)]) held.push_back({Restriction::zero, j, 0.0});
        }
      }
      out.push_back(held);
    }
    return out;
  }

  PortfolioResult run(const MeanVariance& mv, const std::string& method) {
    const auto started = std::chrono::steady_clock::now();
    Leaf incumbent;
    double best_bound = kInf;
    int nodes = 0;
    std::priority_queue<Node, std::vector<Node>, NodeOrder> queue;
    // Root and a rounding heuristic for a first incumbent: keep the largest holdings.
    Leaf root = solve({}, VectorXd());
    ++nodes;
    if (!root.ok) {
      if (root.r.status.code == StatusCode::infeasible) infeasible(check_feasibility(root.qp), root.r.status.message);
      PortfolioResult fail = mv.evaluate(VectorXd::Zero(m.n), method);
      fail.status = root.r.status;
      return fail;
    }
    if (violation(root.w, {}) < 0) {
      incumbent = root;
    } else {
      std::vector<Index> order(static_cast<std::size_t>(m.n));
      std::iota(order.begin(), order.end(), Index{0});
      std::sort(order.begin(), order.end(), [&](Index a, Index b) { return std::abs(root.w(a)) > std::abs(root.w(b)); });
      const Index keep = o.max_assets > 0 ? std::min<Index>(o.max_assets, m.n) : m.n;
      std::vector<Restriction> rs;
      for (Index k = 0; k < m.n; ++k) {
        const Index i = order[static_cast<std::size_t>(k)];
        const bool in = k < keep && std::abs(root.w(i)) > zero_tolerance();
        if (!in) rs.push_back({Restriction::zero, i, 0.0});
        else if (o.min_weight > 0) rs.push_back({root.w(i) > 0 ? Restriction::held_long : Restriction::held_short, i, o.min_weight});
      }
      Leaf h = solve(rs, VectorXd());
      ++nodes;
      if (h.ok && violation(h.w, rs) < 0) incumbent = h;
    }
    queue.push({{}, root.objective, root.r.x});
    bool limited = false;
    std::string limit_reason;
    while (!queue.empty()) {
      Node node = queue.top();
      queue.pop();
      const double tol = 1e-10 * (1.0 + std::abs(incumbent.objective));
      if (incumbent.ok && node.bound >= incumbent.objective - tol) continue;
      Leaf leaf = node.restrictions.empty() ? root : solve(node.restrictions, node.start);
      if (!node.restrictions.empty()) ++nodes;
      if (!leaf.ok || (incumbent.ok && leaf.objective >= incumbent.objective - tol)) continue;
      const Index i = violation(leaf.w, node.restrictions);
      if (i < 0) {
        incumbent = leaf;
        continue;
      }
      for (auto& child : children(node.restrictions, i, leaf.w)) queue.push({std::move(child), leaf.objective, leaf.r.x});
      if (nodes >= o.max_nodes) {
        limited = true;
        limit_reason = "node";
        break;
      }
      if (o.time_limit > 0 && seconds_since(started) > o.time_limit) {
        limited = true;
        limit_reason = "time";
        break;
      }
    }
    best_bound = incumbent.ok ? incumbent.objective : kInf;
    if (limited) {
      while (!queue.empty()) {
        best_bound = std::min(best_bound, queue.top().bound);
        queue.pop();
      }
    }
    if (!incumbent.ok) {
      check::fail(o.max_assets > 0 ? "max_assets" : "min_weight",
                  limited ? fmt::format("no portfolio meeting the cardinality and minimum-holding rules was found "
                                        "within the {} limit ({} nodes)",
                                        limit_reason, nodes)
                          : "no portfolio meets the cardinality and minimum-holding rules with the other constraints");
    }
    PortfolioResult r = from_solution(mv, m, incumbent.qp, incumbent.r, incumbent.w, method);
    r.nodes = nodes;
    r.iterations = qp_iterations;
    const double scale = std::max(std::abs(incumbent.objective), 1e-300);
    r.gap = limited ? std::max(0.0, (incumbent.objective - best_bound) / scale) : 0.0;
    r.status = limited ? Status::make(limit_reason == "time" ? StatusCode::time_limit : StatusCode::size_limit,
                                      fmt::format("branch and bound stopped at its {} limit after {} nodes; the best "
                                                  "portfolio found is within a relative gap of {:.3g} of the optimum",
                                                  limit_reason, nodes, r.gap),
                                      nodes)
                       : Status::make(StatusCode::converged,
                                      fmt::format("optimal under the cardinality rules ({} nodes)", nodes), nodes);
    r.status.seconds = seconds_since(started);
    return r;
  }
};

bool has_integer_rules(const MeanVarianceOptions& o) { return o.max_assets > 0 || o.min_weight > 0; }

}  // namespace

// ---------------------------------------------------------------- methods

PortfolioResult MeanVariance::min_volatility() const {
  const Model& m = state_->model;
  const auto started = std::chrono::steady_clock::now();
  PortfolioResult r;
  if (has_integer_rules(state_->options)) {
    CardinalitySearch search{m, state_->options,
                             [&](const std::vector<Restriction>& rs) {
                               QpProblem qp = m.risk_problem(2.0, VectorXd());
                               for (const auto& x : rs) m.restrict(qp, x);
                               return qp;
                             },
                             [&](const VectorXd& x) { return m.weights(x); }};
    r = search.run(*this, "min_volatility");
  } else {
    const QpProblem qp = m.risk_problem(2.0, VectorXd());
    const QpResult qr = solve_checked(qp, state_->options.solver, VectorXd(), "bounds");
    r = from_solution(*this, m, qp, qr, m.weights(qr.x), "min_volatility");
  }
  r.status.seconds = seconds_since(started);
  return r;
}

PortfolioResult MeanVariance::max_quadratic_utility(double risk_aversion) const {
  if (!(risk_aversion > 0) || !std::isfinite(risk_aversion)) {
    check::fail("risk_aversion", fmt::format("expected a positive number, got {}", risk_aversion));
  }
  const Model& m = state_->model;
  const auto started = std::chrono::steady_clock::now();
  auto make = [&](const std::vector<Restriction>& rs) {
    QpProblem qp = m.risk_problem(risk_aversion, -m.mu_x);
    for (const auto& x : rs) m.restrict(qp, x);
    return qp;
  };
  PortfolioResult r;
  if (has_integer_rules(state_->options)) {
    CardinalitySearch search{m, state_->options, make, [&](const VectorXd& x) { return m.weights(x); }};
    r = search.run(*this, "max_quadratic_utility");
  } else {
    const QpProblem qp = make({});
    const QpResult qr = solve_checked(qp, state_->options.solver, VectorXd(), "bounds");
    r = from_solution(*this, m, qp, qr, m.weights(qr.x), "max_quadratic_utility");
  }
  r.status.seconds = seconds_since(started);
  return r;
}

namespace {

// The model's feasible set (equalities, two-sided rows, bounds) as an LP with the given objective.
LpProblem lp_over_feasible_set(const Model& m, const Eigen::VectorXd& objective) {
  LpProblem lp;
  lp.objective = objective;
  const Index me = m.A_eq.rows(), mi = m.A_in.rows();
  lp.matrix.resize(me + mi, m.nx);
  lp.row_lower.resize(me + mi);
  lp.row_upper.resize(me + mi);
  if (me) {
    lp.matrix.topRows(me) = m.A_eq;
    lp.row_lower.head(me) = m.b_eq;
    lp.row_upper.head(me) = m.b_eq;
  }
  if (mi) {
    lp.matrix.bottomRows(mi) = m.A_in;
    lp.row_lower.tail(mi) = m.in_lo;
    lp.row_upper.tail(mi) = m.in_hi;
  }
  lp.col_lower = m.lb;
  lp.col_upper = m.ub;
  return lp;
}

}  // namespace

double MeanVariance::max_return() const {
  const Model& m = state_->model;
  const LpProblem lp = lp_over_feasible_set(m, -m.mu_x);
  const LpResult r = solve_lp(lp);
  if (r.status.code == StatusCode::unbounded) return kInf;
  if (!r.status.usable()) throw NumericalError(fmt::format("the maximum-return LP failed: {}", r.status.message));
  return -r.objective + m.mu0;
}

PortfolioResult MeanVariance::efficient_return(double target) const {
  check::finite("target_return", target);
  const Model& m = state_->model;
  const auto started = std::chrono::steady_clock::now();
  const double attainable = max_return();
  if (target > attainable + 1e-9 * (1 + std::abs(attainable))) {
    check::fail("target_return", fmt::format("target return {} is above the attainable maximum {}", num(target),
                                             num(attainable)));
  }
  auto make = [&](const std::vector<Restriction>& rs) {
    QpProblem qp = m.risk_problem(2.0, VectorXd());
    const Index mi = qp.inequality_matrix.rows();
    qp.inequality_matrix.conservativeResize(mi + 1, m.nx);
    qp.inequality_matrix.row(mi) = m.mu_x.transpose();
    qp.inequality_lower.conservativeResize(mi + 1);
    qp.inequality_upper.conservativeResize(mi + 1);
    qp.inequality_lower(mi) = std::min(target, attainable) - m.mu0;
    qp.inequality_upper(mi) = kInf;
    qp.inequality_names.push_back(fmt::format("target return >= {}", num(target)));
    for (const auto& x : rs) m.restrict(qp, x);
    return qp;
  };
  PortfolioResult r;
  if (has_integer_rules(state_->options)) {
    CardinalitySearch search{m, state_->options, make, [&](const VectorXd& x) { return m.weights(x); }};
    r = search.run(*this, "efficient_return");
  } else {
    const QpProblem qp = make({});
    const QpResult qr = solve_checked(qp, state_->options.solver, VectorXd(), "target_return");
    r = from_solution(*this, m, qp, qr, m.weights(qr.x), "efficient_return");
  }
  r.status.seconds = seconds_since(started);
  return r;
}

PortfolioResult MeanVariance::max_sharpe(double risk_free) const {
  check::finite("risk_free", risk_free);
  {
    // A rate a million times the largest expected return is a units mistake, and overflows the
    // homogenised problem (which then looks infeasible).
    const double scale = 1.0 + (state_->mu.size() ? state_->mu.cwiseAbs().maxCoeff() : 0.0);
    if (std::abs(risk_free) > 1e6 * scale) {
      check::fail("risk_free", fmt::format("{} is out of scale with the expected returns (largest {})", num(risk_free),
                                           num(scale - 1.0)));
    }
  }
  const Model& m = state_->model;
  const auto started = std::chrono::steady_clock::now();
  // Excess return over x: mu_x'x + mu0 - rf sum(w) with a budget, i.e. per unit invested. With a
  // benchmark: the active return mu'(w - b).
  VectorXd num_x = m.mu_x;
  double num0 = m.mu0;
  const bool active = state_->options.benchmark.size() == m.n;
  if (active) {
    num0 -= m.mu.dot(state_->options.benchmark);
  } else {
    for (Index j = 0; j < m.nx; ++j) {
      const Index a = m.asset_of[static_cast<std::size_t>(j)];
      if (a >= 0) num_x(j) -= risk_free * m.sign(j);
    }
    num0 -= risk_free * m.offset.sum();
  }
  // A positive excess return must be attainable.
  {
    const LpProblem lp = lp_over_feasible_set(m, -num_x);
    const LpResult best = solve_lp(lp);
    if (best.status.code != StatusCode::unbounded && best.status.usable()) {
      const double excess = -best.objective + num0;
      if (!(excess > 1e-12)) {
        if (active) {
          check::fail("expected_returns", fmt::format("no feasible portfolio has an expected return above the "
                                                      "benchmark's: the best active return is {}",
                                                      num(excess)));
        }
        check::fail("risk_free", fmt::format("no feasible portfolio has an expected return above the risk-free rate "
                                             "{}: the best attainable is {}",
                                             num(risk_free), num(excess + risk_free)));
      }
    }
  }
  PortfolioResult r = max_ratio(num_x, num0, "max_sharpe");
  // The reported Sharpe ratio uses the rate asked for here.
  if (!active && r.volatility > 0) r.sharpe = (r.expected_return - risk_free) / r.volatility;
  r.status.seconds = seconds_since(started);
  return r;
}

PortfolioResult MeanVariance::max_ratio(const VectorXd& num_x, double num0, const std::string& method) const {
  const Model& m = state_->model;
  // The homogenised variables are y = kappa w with numerator(y) = 1, so kappa is 1 / numerator(w):
  // with returns of 1e-9 it is 1e9, and the rows y - u kappa <= 0 and 1'y = kappa are then satisfied
  // to 1e-7 absolute only (rounding at 1e9), which the final check reads as a broken budget. The
  // numerator divided by its largest coefficient keeps kappa of order 1 at every scale of the
  // returns; the ratio's maximiser is the same.
  const double scale = std::max(num_x.size() ? num_x.cwiseAbs().maxCoeff() : 0.0, std::abs(num0));
  const VectorXd num_scaled = scale > 0 ? VectorXd(num_x / scale) : num_x;
  const double num0_scaled = scale > 0 ? num0 / scale : num0;
  auto make = [&](const std::vector<Restriction>& rs) {
    QpProblem base = m.risk_problem(2.0, VectorXd());
    for (const auto& x : rs) m.restrict(base, x);
    return detail::homogenise(m, base, num_scaled, num0_scaled);
  };
  auto weights_of = [&](const VectorXd& z) {
    const double kappa = z(m.nx);
    return m.weights(z.head(m.nx) / kappa);
  };
  PortfolioResult r;
  if (has_integer_rules(state_->options)) {
    CardinalitySearch search{m, state_->options, make, weights_of};
    r = search.run(*this, method);
  } else {
    const QpProblem qp = make({});
    const QpResult qr = solve_checked(qp, state_->options.solver, VectorXd(), "bounds");
    const double kappa = qr.x(m.nx);
    if (!(kappa > 1e-14)) {
      throw NumericalError(method + ": the homogenised solution has a zero scale (the Sharpe ratio is unbounded)");
    }
    r = from_solution(*this, m, qp, qr, weights_of(qr.x), method);
  }
  return r;
}

PortfolioResult MeanVariance::max_diversification() const {
  const Model& m = state_->model;
  const auto started = std::chrono::steady_clock::now();
  const VectorXd sigma = volatilities(m.asset_variances());
  VectorXd num_x = VectorXd::Zero(m.nx);
  for (Index j = 0; j < m.nx; ++j) {
    const Index a = m.asset_of[static_cast<std::size_t>(j)];
    if (a >= 0) num_x(j) = sigma(a) * m.sign(j);
  }
  const double num0 = sigma.dot(m.offset);
  PortfolioResult r = max_ratio(num_x, num0, "max_diversification");
  r.status.seconds = seconds_since(started);
  return r;
}

FrontierResult MeanVariance::frontier(double t_max) const {
  if (has_integer_rules(state_->options)) {
    check::fail("max_assets", "the frontier under cardinality or minimum-holding rules is not a continuous path; "
                              "solve efficient_return at the returns you need instead");
  }
  if (!(t_max >= 0) || !std::isfinite(t_max)) check::fail("t_max", fmt::format("expected a non-negative number, got {}", t_max));
  const Model& m = state_->model;
  const QpProblem qp = m.risk_problem(2.0, VectorXd());
  QpOptions so = state_->options.solver;
  so.check_convexity = false;
  so.method = QpMethod::active_set;
  const QpResult start = solve_checked(qp, so, VectorXd(), "bounds");
  // Without upper bounds the return may grow for ever: stop where the volatility is 10x the
  // largest asset volatility, unless told.
  double tm = t_max;
  if (tm == 0.0 && !std::isfinite(max_return())) {
    const double vmax = std::sqrt(std::max(m.cov ? m.cov->diagonal().maxCoeff() : 1.0, 1e-300));
    tm = 200.0 * vmax / std::max(m.mu.cwiseAbs().maxCoeff(), 1e-12);
  }
  auto label = [&](Index j) { return qp.variable_name(j); };
  auto row_label = [&](Index i) { return qp.inequality_name(i); };
  const detail::PathResult path = detail::trace_path(qp, m.mu_x, start.x, so, tm, label, row_label);
  FrontierResult out;
  out.unbounded = path.unbounded;
  out.status = path.status;
  // No corner portfolio that breaks a constraint is reported as part of a converged frontier.
  for (const auto& p : path.points) {
    const detail::Violation v = detail::worst_violation(qp, p.x);
    if (out.status.converged() && v.relative > so.feasibility_tolerance) {
      out.status = Status::make(StatusCode::numerical_failure,
                                fmt::format("the frontier's corner at t = {:.6g} violates '{}' by {:.3g} (relative): "
                                            "rounding overwhelmed the path",
                                            p.t, v.name, v.relative),
                                out.status.iterations);
    }
  }
  for (const auto& p : path.points) {
    FrontierBreakpoint b;
    b.t = p.t;
    b.weights = m.weights(p.x);
    const PortfolioResult e = evaluate(b.weights, "frontier");
    b.expected_return = e.expected_return;
    b.volatility = state_->options.benchmark.size() == m.n ? e.tracking_error : e.volatility;
    b.event = p.event;
    out.breakpoints.push_back(std::move(b));
  }
  return out;
}

PortfolioResult MeanVariance::efficient_risk(double target_volatility) const {
  if (!(target_volatility > 0) || !std::isfinite(target_volatility)) {
    check::fail("target_volatility", fmt::format("expected a positive number, got {}", target_volatility));
  }
  if (has_integer_rules(state_->options)) {
    check::fail("max_assets", "efficient_risk under cardinality or minimum-holding rules is not supported; use "
                              "efficient_return or max_quadratic_utility");
  }
  const auto started = std::chrono::steady_clock::now();
  const bool active = state_->options.benchmark.size() == state_->mu.size();
  auto risk_of = [&](const PortfolioResult& p) { return active ? p.tracking_error : p.volatility; };
  const PortfolioResult low = min_volatility();
  if (target_volatility < risk_of(low) * (1 - 1e-12)) {
    check::fail("target_volatility", fmt::format("target {} {} is below the minimum attainable {}",
                                                 active ? "tracking error" : "volatility", num(target_volatility),
                                                 num(risk_of(low))));
  }
  PortfolioResult r;
  if (state_->options.l2_gamma == 0.0) {
    // Exactly, on the frontier: the variance is quadratic in the weights along each segment.
    const FrontierResult f = frontier();
    const auto& bp = f.breakpoints;
    VectorXd w = bp.back().weights;
    bool reached = false;
    const Model& m = state_->model;
    const VectorXd bench = active ? state_->options.benchmark : VectorXd::Zero(state_->mu.size());
    for (std::size_t k = 0; k + 1 < bp.size(); ++k) {
      if (bp[k + 1].volatility < target_volatility) continue;
      const VectorXd a = bp[k].weights - bench, dw = bp[k + 1].weights - bp[k].weights;
      const VectorXd sa = m.cov_times(a), sd = m.cov_times(dw);
      const double qa = dw.dot(sd), qb = 2 * a.dot(sd), qc = a.dot(sa) - target_volatility * target_volatility;
      double alpha;
      if (qa <= 1e-300) {
        alpha = qb > 0 ? -qc / qb : 1.0;
      } else {
        const double disc = std::max(qb * qb - 4 * qa * qc, 0.0);
        alpha = (-qb + std::sqrt(disc)) / (2 * qa);
      }
      alpha = std::clamp(alpha, 0.0, 1.0);
      w = bp[k].weights + alpha * dw;
      reached = true;
      break;
    }
    r = evaluate(w, "efficient_risk");
    r.status = !f.status.converged() ? f.status
               : reached ? Status::make(StatusCode::converged, "on the exact frontier")
                       : Status::make(StatusCode::converged,
                                      fmt::format("the maximum-return portfolio's {} {} is below the target: it is "
                                                  "the answer",
                                                  active ? "tracking error" : "volatility", num(risk_of(r))));
  } else {
    // With L2 regularisation: max mu_net - nu R - gamma |w|^2 over nu, a root search on the
    // multiplier of the risk constraint (bisection in log nu, warm-started solves).
    const Model& m = state_->model;
    auto solve_at = [&](double nu, const VectorXd& start) {
      const QpProblem qp = m.risk_problem(2.0 * nu, -m.mu_x);
      return std::make_pair(qp, solve_checked(qp, state_->options.solver, start, "bounds"));
    };
    double lo = -30.0, hi = 30.0;  // log nu
    auto [qp_hi, r_hi] = solve_at(std::exp(lo), VectorXd());
    const PortfolioResult most = evaluate(m.weights(r_hi.x), "efficient_risk");
    if (risk_of(most) <= target_volatility) {
      r = from_solution(*this, m, qp_hi, r_hi, m.weights(r_hi.x), "efficient_risk");
    } else {
      VectorXd start = r_hi.x;
      QpProblem qp_mid;
      QpResult r_mid;
      for (int it = 0; it < 200 && hi - lo > 1e-13; ++it) {
        const double mid = 0.5 * (lo + hi);
        std::tie(qp_mid, r_mid) = solve_at(std::exp(mid), start);
        start = r_mid.x;
        const double v = risk_of(evaluate(m.weights(r_mid.x), "efficient_risk"));
        if (v > target_volatility) lo = mid;
        else hi = mid;
        if (std::abs(v - target_volatility) <= 1e-12 * target_volatility) break;
      }
      r = from_solution(*this, m, qp_mid, r_mid, m.weights(r_mid.x), "efficient_risk");
    }
  }
  r.status.seconds = seconds_since(started);
  return r;
}

// ---------------------------------------------------------------- frontier points

Eigen::VectorXd FrontierResult::weights_at_return(double r) const {
  check::not_empty("breakpoints", breakpoints.size());
  const double lo = breakpoints.front().expected_return, hi = breakpoints.back().expected_return;
  if (!(r >= lo - 1e-12 * (1 + std::abs(lo)) && r <= hi + 1e-12 * (1 + std::abs(hi)))) {
    check::fail("target_return", fmt::format("expected a return on the frontier, in [{}, {}], got {}", num(lo), num(hi), num(r)));
  }
  for (std::size_t k = 0; k + 1 < breakpoints.size(); ++k) {
    const auto& a = breakpoints[k];
    const auto& b = breakpoints[k + 1];
    if (r <= b.expected_return || k + 2 == breakpoints.size()) {
      const double span = b.expected_return - a.expected_return;
      const double alpha = span > 0 ? std::clamp((r - a.expected_return) / span, 0.0, 1.0) : 0.0;
      return a.weights + alpha * (b.weights - a.weights);
    }
  }
  return breakpoints.front().weights;
}

std::vector<Eigen::VectorXd> FrontierResult::points(int n) const {
  check::integer_at_least("n", n, 1);
  check::not_empty("breakpoints", breakpoints.size());
  std::vector<VectorXd> out;
  const double lo = breakpoints.front().expected_return, hi = breakpoints.back().expected_return;
  for (int k = 0; k < n; ++k) {
    const double r = n == 1 ? lo : lo + (hi - lo) * k / (n - 1);
    out.push_back(weights_at_return(r));
  }
  return out;
}

}  // namespace bankquant::portfolio
