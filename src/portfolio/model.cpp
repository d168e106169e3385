#include "model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::portfolio::detail {
namespace {

using bankquant::detail::kInf;

std::string num(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

VectorXd Model::weights(const VectorXd& x) const {
  VectorXd w = offset;
  for (Index j = 0; j < nx; ++j) {
    const Index a = asset_of[static_cast<std::size_t>(j)];
    if (a >= 0) w(a) += sign(j) * x(j);
  }
  return w;
}

VectorXd Model::cov_times(const VectorXd& w) const {
  if (cov) return (*cov) * w;
  const auto& f = *cov_factor;
  VectorXd y = f.loadings * (f.factor_covariance * (f.loadings.transpose() * w));
  if (f.specific.size()) y += f.specific.cwiseProduct(w);
  return y;
}

VectorXd Model::asset_variances() const {
  if (cov) return cov->diagonal();
  const auto& f = *cov_factor;
  VectorXd v = (f.loadings * f.factor_covariance).cwiseProduct(f.loadings).rowwise().sum();
  if (f.specific.size()) v += f.specific;
  return v;
}

Model build_model(const VectorXd& mu, const MatrixXd* cov, const FactorHessian* factor,
                  const MeanVarianceOptions& o) {
  Model m;
  const Index n = mu.size();
  m.n = n;
  m.mu = mu;
  m.cov = cov;
  m.cov_factor = factor;
  m.options = &o;
  for (Index i = 0; i < n; ++i) {
    m.names.push_back(i < static_cast<Index>(o.asset_names.size()) ? o.asset_names[static_cast<std::size_t>(i)]
                                                                    : fmt::format("asset {}", i));
  }
  const VectorXd lower = o.lower.size() ? o.lower : VectorXd::Zero(n);
  const VectorXd upper = o.upper.size() ? o.upper : VectorXd::Ones(n);
  auto sized = [&](const char* name, const VectorXd& v) {
    if (v.size() != 0 && v.size() != n) {
      check::fail(name, fmt::format("expected {} values (one per asset), got {}", n, v.size()));
    }
  };
  sized("lower", o.lower);
  sized("upper", o.upper);
  sized("current_weights", o.current_weights);
  sized("transaction_costs", o.transaction_costs);
  sized("benchmark", o.benchmark);
  if (!o.asset_names.empty() && static_cast<Index>(o.asset_names.size()) != n) {
    check::fail("asset_names", fmt::format("expected {} names, got {}", n, o.asset_names.size()));
  }
  for (Index i = 0; i < n; ++i) {
    if (lower(i) > upper(i)) {
      check::fail("bounds", fmt::format("asset '{}': lower bound {} is above its upper bound {}", m.names[static_cast<std::size_t>(i)],
                                        num(lower(i)), num(upper(i))));
    }
  }
  for (const auto& g : o.groups) {
    for (int a : g.members) {
      if (a < 0 || a >= n) check::fail("groups", fmt::format("group '{}': asset index {} outside [0, {})", g.name, a, n));
    }
  }
  const bool has_w0 = o.current_weights.size() == n;
  const bool trades = has_w0 && (o.transaction_costs.size() == n || std::isfinite(o.max_turnover));
  if (!has_w0 && (o.transaction_costs.size() || std::isfinite(o.max_turnover))) {
    check::fail("current_weights", "transaction costs and a turnover limit need the current weights");
  }
  const bool gross = std::isfinite(o.max_gross_exposure);
  const bool shorts = (lower.array() < 0).any();
  m.layout = trades ? Layout::trades : (gross && shorts ? Layout::split : Layout::plain);
  m.gross_aux = trades && gross;
  m.offset = m.layout == Layout::trades ? o.current_weights : VectorXd::Zero(n);

  // Variables and their bounds.
  std::vector<double> lb, ub;
  auto add_var = [&](Index asset, double s, double l, double u) {
    m.asset_of.push_back(asset);
    lb.push_back(l);
    ub.push_back(u);
    m.sign.conservativeResize(static_cast<Index>(m.asset_of.size()));
    m.sign(static_cast<Index>(m.asset_of.size()) - 1) = s;
  };
  if (m.layout == Layout::plain) {
    for (Index i = 0; i < n; ++i) add_var(i, 1.0, lower(i), upper(i));
  } else if (m.layout == Layout::split) {
    for (Index i = 0; i < n; ++i) add_var(i, 1.0, std::max(lower(i), 0.0), std::max(upper(i), 0.0));
    for (Index i = 0; i < n; ++i) add_var(i, -1.0, std::max(-upper(i), 0.0), std::max(-lower(i), 0.0));
  } else {
    const VectorXd& w0 = o.current_weights;
    for (Index i = 0; i < n; ++i) add_var(i, 1.0, std::max(0.0, lower(i) - w0(i)), std::max(0.0, upper(i) - w0(i)));
    for (Index i = 0; i < n; ++i) add_var(i, -1.0, std::max(0.0, w0(i) - upper(i)), std::max(0.0, w0(i) - lower(i)));
    if (m.gross_aux) {
      for (Index i = 0; i < n; ++i) add_var(-1, 0.0, 0.0, kInf);
    }
  }
  m.nx = static_cast<Index>(m.asset_of.size());
  m.lb = Eigen::Map<const VectorXd>(lb.data(), m.nx);
  m.ub = Eigen::Map<const VectorXd>(ub.data(), m.nx);

  // A row on w (coefficients a over assets) as a row on x, with the offset moved to the bounds.
  auto row_on_w = [&](const VectorXd& a, Eigen::RowVectorXd& row) {
    row = Eigen::RowVectorXd::Zero(m.nx);
    for (Index j = 0; j < m.nx; ++j) {
      const Index as = m.asset_of[static_cast<std::size_t>(j)];
      if (as >= 0) row(j) = a(as) * m.sign(j);
    }
    return a.dot(m.offset);
  };
  std::vector<Eigen::RowVectorXd> eq_rows, in_rows;
  std::vector<double> eq_b, lo, hi;
  if (std::isfinite(o.budget)) {
    Eigen::RowVectorXd row;
    const double shift = row_on_w(VectorXd::Ones(n), row);
    m.budget_row = static_cast<Index>(eq_rows.size());
    eq_rows.push_back(row);
    eq_b.push_back(o.budget - shift);
    m.eq_names.push_back(fmt::format("budget (sum of weights = {})", num(o.budget)));
  }
  for (const auto& g : o.groups) {
    VectorXd a = VectorXd::Zero(n);
    for (int i : g.members) a(i) = 1.0;
    Eigen::RowVectorXd row;
    const double shift = row_on_w(a, row);
    if (g.lower == g.upper) {
      eq_rows.push_back(row);
      eq_b.push_back(g.lower - shift);
      m.eq_names.push_back(fmt::format("group '{}' = {}", g.name, num(g.lower)));
    } else {
      in_rows.push_back(row);
      lo.push_back(g.lower - shift);
      hi.push_back(g.upper - shift);
      m.in_names.push_back(fmt::format("group '{}' in [{}, {}]", g.name, num(g.lower), num(g.upper)));
    }
  }
  if (gross) {
    Eigen::RowVectorXd row = Eigen::RowVectorXd::Zero(m.nx);
    if (m.layout == Layout::split) {
      row.setOnes();
    } else if (m.layout == Layout::trades) {
      row.tail(n).setOnes();  // the a variables
      // a_i >= w_i and a_i >= -w_i: a_i - b_i + s_i >= w0_i, a_i + b_i - s_i >= -w0_i
      for (Index i = 0; i < n; ++i) {
        Eigen::RowVectorXd r1 = Eigen::RowVectorXd::Zero(m.nx), r2 = Eigen::RowVectorXd::Zero(m.nx);
        r1(2 * n + i) = 1.0;
        r1(i) = -1.0;
        r1(n + i) = 1.0;
        r2(2 * n + i) = 1.0;
        r2(i) = 1.0;
        r2(n + i) = -1.0;
        in_rows.push_back(r1);
        lo.push_back(o.current_weights(i));
        hi.push_back(kInf);
        m.in_names.push_back(fmt::format("|w| definition ({})", m.names[static_cast<std::size_t>(i)]));
        in_rows.push_back(r2);
        lo.push_back(-o.current_weights(i));
        hi.push_back(kInf);
        m.in_names.push_back(fmt::format("|w| definition ({})", m.names[static_cast<std::size_t>(i)]));
      }
    } else {
      // long only (plain): gross exposure = sum of w
      for (Index j = 0; j < m.nx; ++j) row(j) = lower(j) >= 0 ? 1.0 : 0.0;
    }
    in_rows.push_back(row);
    lo.push_back(-kInf);
    hi.push_back(o.max_gross_exposure);
    m.in_names.push_back(fmt::format("gross exposure <= {}", num(o.max_gross_exposure)));
  }
  if (m.layout == Layout::trades && std::isfinite(o.max_turnover)) {
    Eigen::RowVectorXd row = Eigen::RowVectorXd::Zero(m.nx);
    row.head(2 * n).setOnes();
    in_rows.push_back(row);
    lo.push_back(-kInf);
    hi.push_back(o.max_turnover);
    m.in_names.push_back(fmt::format("turnover <= {}", num(o.max_turnover)));
  }
  m.A_eq.resize(static_cast<Index>(eq_rows.size()), m.nx);
  m.b_eq.resize(static_cast<Index>(eq_rows.size()));
  for (std::size_t r = 0; r < eq_rows.size(); ++r) {
    m.A_eq.row(static_cast<Index>(r)) = eq_rows[r];
    m.b_eq(static_cast<Index>(r)) = eq_b[r];
  }
  m.A_in.resize(static_cast<Index>(in_rows.size()), m.nx);
  m.in_lo.resize(static_cast<Index>(in_rows.size()));
  m.in_hi.resize(static_cast<Index>(in_rows.size()));
  for (std::size_t r = 0; r < in_rows.size(); ++r) {
    m.A_in.row(static_cast<Index>(r)) = in_rows[r];
    m.in_lo(static_cast<Index>(r)) = lo[r];
    m.in_hi(static_cast<Index>(r)) = hi[r];
  }

  // Net return over x.
  m.mu_x = VectorXd::Zero(m.nx);
  for (Index j = 0; j < m.nx; ++j) {
    const Index a = m.asset_of[static_cast<std::size_t>(j)];
    if (a >= 0) m.mu_x(j) = mu(a) * m.sign(j);
    if (m.layout == Layout::trades && j < 2 * n && o.transaction_costs.size() == n) {
      m.mu_x(j) -= o.transaction_costs(a);
    }
  }
  m.mu0 = mu.dot(m.offset);

  // Risk over x, with the benchmark: R = (w - b)' S (w - b), w - b = T x + (offset - b).
  const VectorXd d0 = m.offset - (o.benchmark.size() == n ? o.benchmark : VectorXd::Zero(n));
  const VectorXd s_d0 = m.cov_times(d0);
  m.h0 = d0.dot(s_d0);
  m.h = VectorXd::Zero(m.nx);
  for (Index j = 0; j < m.nx; ++j) {
    const Index a = m.asset_of[static_cast<std::size_t>(j)];
    if (a >= 0) m.h(j) = m.sign(j) * s_d0(a);
  }
  if (factor && m.layout == Layout::plain) {
    m.factor = true;
    m.F = *factor;
  } else {
    MatrixXd S;
    if (cov) {
      S = *cov;
    } else {
      if (n > 3000) {
        check::fail("covariance", fmt::format("a factor-form covariance of {} assets with gross-exposure, cost or "
                                              "turnover constraints would need a dense {} x {} matrix; at most 3000 "
                                              "assets are supported there",
                                              n, m.nx, m.nx));
      }
      S = factor->loadings * factor->factor_covariance * factor->loadings.transpose();
      if (factor->specific.size()) S.diagonal() += factor->specific;
    }
    if (m.layout == Layout::plain) {
      m.H = std::move(S);
    } else {
      m.H = MatrixXd::Zero(m.nx, m.nx);
      for (Index j = 0; j < m.nx; ++j) {
        const Index aj = m.asset_of[static_cast<std::size_t>(j)];
        if (aj < 0) continue;
        for (Index i = 0; i < m.nx; ++i) {
          const Index ai = m.asset_of[static_cast<std::size_t>(i)];
          if (ai >= 0) m.H(i, j) = m.sign(i) * m.sign(j) * S(ai, aj);
        }
      }
    }
  }
  m.gamma = o.l2_gamma;
  m.g2 = VectorXd::Zero(m.nx);
  for (Index j = 0; j < m.nx; ++j) {
    const Index a = m.asset_of[static_cast<std::size_t>(j)];
    if (a >= 0) m.g2(j) = m.sign(j) * m.offset(a);
  }
  m.g20 = m.offset.squaredNorm();
  return m;
}

QpProblem Model::risk_problem(double scale, const VectorXd& c_extra) const {
  QpProblem qp;
  if (factor) {
    qp.factor.loadings = F.loadings;
    qp.factor.factor_covariance = scale * F.factor_covariance;
    qp.factor.specific = (F.specific.size() ? VectorXd(scale * F.specific) : VectorXd::Zero(nx)).array() + 2 * gamma;
  } else {
    qp.hessian = scale * H;
    if (gamma != 0.0) {
      for (Index i = 0; i < nx; ++i) {
        const Index ai = asset_of[static_cast<std::size_t>(i)];
        if (ai < 0) continue;
        for (Index j = 0; j < nx; ++j) {
          if (asset_of[static_cast<std::size_t>(j)] == ai) qp.hessian(i, j) += 2 * gamma * sign(i) * sign(j);
        }
      }
    }
  }
  qp.linear = scale * h + 2 * gamma * g2;
  if (c_extra.size()) qp.linear += c_extra;
  qp.equality_matrix = A_eq;
  qp.equality_rhs = b_eq;
  qp.equality_names = eq_names;
  qp.inequality_matrix = A_in;
  qp.inequality_lower = in_lo;
  qp.inequality_upper = in_hi;
  qp.inequality_names = in_names;
  qp.lower = lb;
  qp.upper = ub;
  for (Index j = 0; j < nx; ++j) {
    const Index a = asset_of[static_cast<std::size_t>(j)];
    if (layout == Layout::plain) {
      qp.variable_names.push_back(names[static_cast<std::size_t>(a)]);
    } else if (a >= 0) {
      const char* part = layout == Layout::split ? (sign(j) > 0 ? "long part" : "short part")
                                                 : (sign(j) > 0 ? "purchase" : "sale");
      qp.variable_names.push_back(fmt::format("{} of {}", part, names[static_cast<std::size_t>(a)]));
    } else {
      qp.variable_names.push_back(fmt::format("|w| of {}", names[static_cast<std::size_t>(j - 2 * n)]));
    }
  }
  return qp;
}

void Model::restrict(QpProblem& qp, const Restriction& r) const {
  const Index i = r.asset;
  if (layout == Layout::plain) {
    if (r.kind == Restriction::zero) {
      qp.lower(i) = std::max(qp.lower(i), 0.0);
      qp.upper(i) = std::min(qp.upper(i), 0.0);
    } else if (r.kind == Restriction::held_long) {
      qp.lower(i) = std::max(qp.lower(i), r.minimum);
    } else {
      qp.upper(i) = std::min(qp.upper(i), -r.minimum);
    }
    return;
  }
  // w_i = offset_i + sum of its x parts: a row.
  Eigen::RowVectorXd row = Eigen::RowVectorXd::Zero(nx);
  for (Index j = 0; j < nx; ++j) {
    if (asset_of[static_cast<std::size_t>(j)] == i) row(j) = sign(j);
  }
  const double o = offset(i);
  const Index mi = qp.inequality_matrix.rows();
  qp.inequality_matrix.conservativeResize(mi + 1, nx);
  qp.inequality_matrix.row(mi) = row;
  qp.inequality_lower.conservativeResize(mi + 1);
  qp.inequality_upper.conservativeResize(mi + 1);
  if (r.kind == Restriction::zero) {
    qp.inequality_lower(mi) = -o;
    qp.inequality_upper(mi) = -o;
    qp.inequality_names.push_back(fmt::format("{} not held", names[static_cast<std::size_t>(i)]));
  } else if (r.kind == Restriction::held_long) {
    qp.inequality_lower(mi) = r.minimum - o;
    qp.inequality_upper(mi) = kInf;
    qp.inequality_names.push_back(fmt::format("{} >= {} (held)", names[static_cast<std::size_t>(i)], num(r.minimum)));
  } else {
    qp.inequality_lower(mi) = -kInf;
    qp.inequality_upper(mi) = -r.minimum - o;
    qp.inequality_names.push_back(fmt::format("{} <= -{} (held short)", names[static_cast<std::size_t>(i)], num(r.minimum)));
  }
}

std::vector<BindingConstraint> Model::binding(const QpProblem& qp, const QpResult& r) const {
  std::vector<BindingConstraint> out;
  const MeanVarianceOptions& o = *options;
  const VectorXd lower = o.lower.size() ? o.lower : VectorXd::Zero(n);
  const VectorXd upper = o.upper.size() ? o.upper : VectorXd::Ones(n);
  auto asset_bound = [&](Index j, bool at_upper) -> std::string {
    if (j >= nx) return {};  // the homogenising scale of max_sharpe
    const Index a = asset_of[static_cast<std::size_t>(j)];
    if (a < 0) return {};
    const std::string& name = names[static_cast<std::size_t>(a)];
    const bool up = (sign(j) > 0) == at_upper;  // the upper end of a short part is the asset's lower bound
    if (layout == Layout::plain) {
      return at_upper ? fmt::format("{} <= {}", name, num(qp.upper(j))) : fmt::format("{} >= {}", name, num(qp.lower(j)));
    }
    if (!at_upper) return {};  // lower ends of the split parts (zero) are not user constraints
    return up ? fmt::format("{} <= {}", name, num(upper(a))) : fmt::format("{} >= {}", name, num(lower(a)));
  };
  for (int j : r.at_lower) {
    if (j < nx && qp.lower(j) == qp.upper(j) && layout != Layout::plain) continue;
    const std::string s = asset_bound(j, false);
    if (!s.empty()) out.push_back({s, r.bound_multipliers(j)});
  }
  for (int j : r.at_upper) {
    const std::string s = asset_bound(j, true);
    if (!s.empty()) out.push_back({s, r.bound_multipliers(j)});
  }
  for (Index i = 0; i < qp.equality_matrix.rows(); ++i) {
    if (qp.equality_name(i).rfind("normalisation", 0) == 0) continue;
    out.push_back({qp.equality_name(i), r.equality_multipliers(i)});
  }
  for (int i : r.active_inequalities) {
    const std::string name = qp.inequality_name(i);
    if (name.rfind("|w| definition", 0) == 0) continue;
    out.push_back({name, r.inequality_multipliers(i)});
  }
  return out;
}

QpProblem homogenise(const Model& m, const QpProblem& base, const VectorXd& num_x, double num0) {
  const Index nx = base.size();
  const Index nz = nx + 1;
  QpProblem z;
  // Objective: the risk quadratic in (y, kappa): [H + gamma G2, h + gamma g2; ..., h0 + gamma g20].
  // base.hessian is 2 (H + gamma G2) and base.linear 2 (h + gamma g2) (risk_problem with scale 2).
  MatrixXd Hb;
  if (base.is_factor()) {
    Hb = base.factor.loadings * base.factor.factor_covariance * base.factor.loadings.transpose();
    if (base.factor.specific.size()) Hb.diagonal() += base.factor.specific;
  } else {
    Hb = base.hessian;
  }
  z.hessian = MatrixXd::Zero(nz, nz);
  z.hessian.topLeftCorner(nx, nx) = Hb;
  const VectorXd lin = base.linear.size() ? base.linear : VectorXd::Zero(nx);
  z.hessian.topRightCorner(nx, 1) = lin;
  z.hessian.bottomLeftCorner(1, nx) = lin.transpose();
  z.hessian(nx, nx) = 2 * (m.h0 + m.gamma * m.g20);
  // Normalisation: num' y + num0 kappa = 1; equalities A y - b kappa = 0.
  const Index me = base.equality_matrix.rows();
  z.equality_matrix = RowMatrix::Zero(me + 1, nz);
  z.equality_rhs = VectorXd::Zero(me + 1);
  z.equality_matrix.row(0).head(nx) = num_x.transpose();
  z.equality_matrix(0, nx) = num0;
  z.equality_rhs(0) = 1.0;
  z.equality_names.push_back("normalisation (excess return of y = 1)");
  for (Index i = 0; i < me; ++i) {
    z.equality_matrix.row(i + 1).head(nx) = base.equality_matrix.row(i);
    z.equality_matrix(i + 1, nx) = -base.equality_rhs(i);
    z.equality_names.push_back(base.equality_name(i));
  }
  // Rows: lo kappa <= a y <= hi kappa, one row per finite side.
  std::vector<Eigen::RowVectorXd> rows;
  std::vector<double> lo, hi;
  std::vector<std::string> names;
  auto add = [&](const Eigen::RowVectorXd& a, double coefficient_of_kappa, double l, double u, const std::string& name) {
    Eigen::RowVectorXd row(nz);
    row.head(nx) = a;
    row(nx) = coefficient_of_kappa;
    rows.push_back(row);
    lo.push_back(l);
    hi.push_back(u);
    names.push_back(name);
  };
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (Index i = 0; i < base.inequality_matrix.rows(); ++i) {
    const double l = base.inequality_lower(i), u = base.inequality_upper(i);
    if (l == u) {
      add(base.inequality_matrix.row(i), -l, 0.0, 0.0, base.inequality_name(i));
      continue;
    }
    if (std::isfinite(l)) add(base.inequality_matrix.row(i), -l, 0.0, inf, base.inequality_name(i));
    if (std::isfinite(u)) add(base.inequality_matrix.row(i), -u, -inf, 0.0, base.inequality_name(i));
  }
  // Bounds: 0 and infinite ends stay bounds, others become rows (dropped when redundant: an upper
  // bound at or above a positive budget with long-only weights).
  z.lower = VectorXd::Constant(nz, -inf);
  z.upper = VectorXd::Constant(nz, inf);
  const bool plain_long_budget = m.layout == Layout::plain && m.budget_row >= 0 && (base.lower.array() >= 0).all() &&
                                 base.equality_rhs(m.budget_row) > 0;
  for (Index j = 0; j < nx; ++j) {
    const double l = base.lower(j), u = base.upper(j);
    Eigen::RowVectorXd e = Eigen::RowVectorXd::Zero(nx);
    e(j) = 1.0;
    if (l == 0.0) z.lower(j) = 0.0;
    else if (std::isfinite(l)) add(e, -l, 0.0, inf, fmt::format("{} >= {}", base.variable_name(j), l));
    if (u == 0.0) z.upper(j) = 0.0;
    else if (std::isfinite(u) && !(plain_long_budget && u >= base.equality_rhs(m.budget_row))) {
      add(e, -u, -inf, 0.0, fmt::format("{} <= {}", base.variable_name(j), u));
    }
  }
  z.lower(nx) = 0.0;  // kappa >= 0
  z.inequality_matrix.resize(static_cast<Index>(rows.size()), nz);
  z.inequality_lower.resize(static_cast<Index>(rows.size()));
  z.inequality_upper.resize(static_cast<Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    z.inequality_matrix.row(static_cast<Index>(r)) = rows[r];
    z.inequality_lower(static_cast<Index>(r)) = lo[r];
    z.inequality_upper(static_cast<Index>(r)) = hi[r];
  }
  z.inequality_names = names;
  z.variable_names = base.variable_names;
  z.variable_names.push_back("kappa (homogenising scale)");
  return z;
}

}  // namespace bankquant::portfolio::detail
