// bankquant/risk/revaluation.hpp — full-revaluation Monte Carlo of a book of options and bonds.
//
// Risk factors: the log-returns of k underlyings (FX rates are spots too) and one parallel shift
// of the zero curve, jointly normal with covariance `cov` ((k+1) x (k+1), per `horizon_days`). In
// each scenario every position is repriced at the horizon dt: the curve at the horizon is today's
// forward curve (discount P(0,t) / P(0,dt)) plus the scenario's shift, so a book nothing moves
// earns its carry; options by Black–Scholes at the moved spot with dt less to expiry (intrinsic
// value if they expire within the horizon); bonds by their cash flows after dt on the horizon
// curve, the flows paid within the horizon reinvested to it at today's forward rates (a coupon
// is never lost); FX forwards as N (S e^(-r_f tau) - K e^(-r_d tau)), tau = T - dt. The scenario
// P&L is the book's value at the horizon less its value today. Scenarios run in fixed chunks on the
// core's Philox streams (identical on any thread count); per-bond cash-flow discount factors are
// precomputed, so a bond costs one exp() per remaining cash flow per scenario.
#pragma once

#include <cstdint>
#include <span>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/risk/pricing/black_scholes.hpp"
#include "bankquant/risk/pricing/bond.hpp"
#include "bankquant/risk/pricing/curve.hpp"
#include "bankquant/risk/var.hpp"

namespace bankquant::risk {

struct OptionPosition {
  std::size_t underlying = 0;  ///< index into the spots
  pricing::OptionType type = pricing::OptionType::call;
  double strike = 100, expiry = 1, volatility = 0.2, dividend_yield = 0;
  double quantity = 1;         ///< number of options (negative: short)
};

struct BondPosition {
  pricing::FixedRateBond bond;
  double quantity = 1;         ///< number of bonds of the given face
};

struct FxForwardPosition {
  std::size_t pair = 0;        ///< index into the spots (domestic per foreign unit)
  double strike = 1, expiry = 1;
  double notional = 1;         ///< foreign units bought (negative: sold)
  double rate_foreign = 0;     ///< continuously compounded foreign rate to expiry
};

struct Book {
  std::vector<double> spots;
  pricing::ZeroCurve curve;
  std::vector<OptionPosition> options;
  std::vector<BondPosition> bonds;
  std::vector<double> stock_quantities;  ///< linear stock holdings per underlying (empty: none)
  std::vector<FxForwardPosition> fx_forwards;
};

struct RevaluationOptions {
  std::size_t n_scenarios = 100'000;
  std::uint64_t seed = 0;
  int horizon_days = 1;        ///< the options age by this many days (of 252 a year)
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("n_scenarios", &RevaluationOptions::n_scenarios, "scenarios, at least 100"),
                      field("seed", &RevaluationOptions::seed, "random seed (chunk c draws from stream c)"),
                      field("horizon_days", &RevaluationOptions::horizon_days,
                            "horizon in trading days (252 a year)")};
  }
};

struct RevaluationResult {
  double base_value = 0;
  std::vector<double> pnl;
  VarEsTable estimates;

  static constexpr auto fields() {
    return std::tuple{field("base_value", &RevaluationResult::base_value, "the book's value today"),
                      field("pnl", &RevaluationResult::pnl, "P&L per scenario over the horizon"),
                      field("estimates", &RevaluationResult::estimates, "VaR and ES by level")};
  }
};

/// Value of the book today.
[[nodiscard]] BANKQUANT_EXPORT double book_value(const Book& book);

[[nodiscard]] BANKQUANT_EXPORT RevaluationResult full_revaluation_var_es(const Book& book,
                                                                         const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                                                         std::span<const double> levels,
                                                                         const RevaluationOptions& options = {});

}  // namespace bankquant::risk
