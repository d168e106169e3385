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
  for (std::size_t i = 0; i < b.fx_forwards.size(); ++i) {
    const auto& f = b.fx_forwards[i];
    if (f.pair >= b.spots.size()) {
      check::fail("fx_forwards", fmt::format("position {} refers to spot {}, but there are {} spots", i, f.pair,
                                             b.spots.size()));
    }
    check::positive("fx_forwards.strike", f.strike);
    check::positive("fx_forwards.expiry", f.expiry);
    check::finite("fx_forwards.notional", f.notional);
    check::finite("fx_forwards.rate_foreign", f.rate_foreign);
  }
  for (const auto& o : b.options) {
    check::positive("options.strike", o.strike);
    check::positive("options.expiry", o.expiry);
    check::positive("options.volatility", o.volatility);
    check::finite("options.dividend_yield", o.dividend_yield);
  }
  if (!b.bonds.empty() || !b.options.empty() || !b.fx_forwards.empty()) check::not_empty("curve", b.curve.times().size());
}

// ln P(0, t) of today's curve.
double log_discount(const pricing::ZeroCurve& c, double t) { return t > 0 ? -c.zero_rate(t) * t : 0.0; }

// Cash flows of all bonds with their base log discount factors (amount x quantity, time, -z t).
struct Flow {
  double amount, time, log_discount;
};

std::vector<Flow> bond_flows(const Book& b) {
  std::vector<Flow> flows;
  for (const auto& p : b.bonds) {
    for (const auto& [t, a] : p.bond.cash_flows()) flows.push_back({a * p.quantity, t, log_discount(b.curve, t)});
  }
  return flows;
}

// The book's value at the horizon dt (0: today) with log spot moves and a parallel shift of the
// horizon curve, which is today's forward curve: the rate over (dt, t) is
// (ln P(0,dt) - ln P(0,t)) / (t - dt) + shift.
double value_at(const Book& b, const std::vector<Flow>& flows, const double* log_moves, double shift, double dt) {
  const double log_dt = log_discount(b.curve, dt);
  auto horizon_rate = [&](double t, double tau) { return (log_dt - log_discount(b.curve, t)) / tau + shift; };
  double v = 0;
  for (std::size_t i = 0; i < b.stock_quantities.size(); ++i) v += b.stock_quantities[i] * b.spots[i] * std::exp(log_moves[i]);
  for (const auto& o : b.options) {
    const double tau = o.expiry - dt;
    const double s = b.spots[o.underlying] * std::exp(log_moves[o.underlying]);
    if (tau <= 1e-10) {  // expired within the horizon: intrinsic value
      v += o.quantity * (o.type == pricing::OptionType::call ? std::max(s - o.strike, 0.0) : std::max(o.strike - s, 0.0));
      continue;
    }
    v += o.quantity * pricing::black_scholes_price(o.type, s, o.strike, tau, horizon_rate(o.expiry, tau),
                                                   o.dividend_yield, o.volatility);
  }
  for (const auto& f : flows) {
    // paid within the horizon: reinvested to it at today's forward rate; after it: discounted on
    // the shifted horizon curve
    const double tau = f.time - dt;
    v += f.amount * std::exp(f.log_discount - log_dt - (tau > 0 ? shift * tau : 0.0));
  }
  for (const auto& f : b.fx_forwards) {
    const double tau = f.expiry - dt;
    const double s = b.spots[f.pair] * std::exp(log_moves[f.pair]);
    if (tau <= 1e-10) {  // settled within the horizon
      v += f.notional * (s - f.strike);
      continue;
    }
    v += f.notional * (s * std::exp(-f.rate_foreign * tau) - f.strike * std::exp(-horizon_rate(f.expiry, tau) * tau));
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
