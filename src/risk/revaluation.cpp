#include "bankquant/risk/revaluation.hpp"

#include <cmath>

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/risk/detail/memory.hpp"

namespace bankquant::risk {
namespace {

void check_book(const Book& b) {
  check::not_empty("spots", b.spots.size());
  for (double s : b.spots) check::positive("spots", s);
  if (!b.stock_quantities.empty()) check::same_size("stock_quantities", b.stock_quantities.size(), "spots", b.spots.size());
  for (std::size_t i = 0; i < b.options.size(); ++i) {
    const auto& o = b.options[i];
    if (o.underlying >= b.spots.size()) {
      check::fail("options", fmt::format("position {} refers to underlying {}, but there are {} spots", i, o.underlying,
                                         b.spots.size()));
    }
    check::finite("options.quantity", o.quantity);
  }
  for (const auto& p : b.bonds) {
    p.bond.validate();
    check::finite("bonds.quantity", p.quantity);
  }
  if (!b.bonds.empty() || !b.options.empty()) check::not_empty("curve", b.curve.times().size());
}

// Cash flows of all bonds with their base log discount factors (amount x quantity, time, -z t).
struct Flow {
  double amount, time, log_discount;
};

std::vector<Flow> bond_flows(const Book& b) {
  std::vector<Flow> flows;
  for (const auto& p : b.bonds) {
    for (const auto& [t, a] : p.bond.cash_flows()) flows.push_back({a * p.quantity, t, -b.curve.zero_rate(t) * t});
  }
  return flows;
}

double value_at(const Book& b, const std::vector<Flow>& flows, const double* log_moves, double shift, double dt) {
  double v = 0;
  for (std::size_t i = 0; i < b.stock_quantities.size(); ++i) v += b.stock_quantities[i] * b.spots[i] * std::exp(log_moves[i]);
  for (const auto& o : b.options) {
    const double t = o.expiry - dt;
    const double s = b.spots[o.underlying] * std::exp(log_moves[o.underlying]);
    if (t <= 1e-10) {  // expired within the horizon: intrinsic value
      v += o.quantity * (o.type == pricing::OptionType::call ? std::max(s - o.strike, 0.0) : std::max(o.strike - s, 0.0));
      continue;
    }
    const double r = b.curve.zero_rate(t) + shift;
    v += o.quantity * pricing::black_scholes_price(o.type, s, o.strike, t, r, o.dividend_yield, o.volatility);
  }
  for (const auto& f : flows) {
    if (f.time - dt > 0) v += f.amount * std::exp(f.log_discount - shift * f.time);
  }
  return v;
}

}  // namespace

double book_value(const Book& b) {
  check_book(b);
  const auto flows = bond_flows(b);
  const std::vector<double> zeros(b.spots.size(), 0.0);
  return value_at(b, flows, zeros.data(), 0.0, 0.0);
}

void RevaluationOptions::validate() const {
  if (n_scenarios < 100) check::fail("n_scenarios", fmt::format("expected at least 100, got {}", n_scenarios));
  detail::check_fits_in_memory("n_scenarios", n_scenarios, sizeof(double));
  check::integer_at_least("horizon_days", horizon_days, 1);
}

RevaluationResult full_revaluation_var_es(const Book& b, const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                          std::span<const double> levels, const RevaluationOptions& o) {
  check_book(b);
  const auto k = static_cast<Eigen::Index>(b.spots.size());
  check::shape("cov", cov.rows(), cov.cols(), k + 1, k + 1);
  check::all_finite("cov", cov);
  o.validate();
  check_levels(levels, o.n_scenarios);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(0.5 * (cov + cov.transpose()));
  if (eig.eigenvalues().minCoeff() < -1e-12 * (1 + eig.eigenvalues().cwiseAbs().maxCoeff())) {
    check::fail("cov", fmt::format("expected a positive semi-definite matrix, smallest eigenvalue {:.3g}",
                                   eig.eigenvalues().minCoeff()));
  }
  const Eigen::MatrixXd L = eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
  const auto flows = bond_flows(b);
  const double dt = o.horizon_days / 252.0;
  RevaluationResult r;
  r.base_value = book_value(b);
  r.pnl.resize(o.n_scenarios);
  parallel_for_chunks(o.n_scenarios, 1024, [&](std::size_t c, std::size_t begin, std::size_t end) {
    RandomStream stream(o.seed, c);
    Eigen::VectorXd z(k + 1), x(k + 1);
    for (std::size_t s = begin; s < end; ++s) {
      stream.fill_normal({z.data(), static_cast<std::size_t>(k + 1)});
      x.noalias() = L * z;
      r.pnl[s] = value_at(b, flows, x.data(), x(k), dt) - r.base_value;
    }
  });
  r.estimates = historical_var_es(r.pnl, levels);
  return r;
}

}  // namespace bankquant::risk
