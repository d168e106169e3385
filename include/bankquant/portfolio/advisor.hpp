// bankquant/portfolio/advisor.hpp — the robo-advisor: risk profiling, model portfolios, adviser
// views, suitability explanations, whole-lot orders, and many clients at once.
//
// Risk profile. A questionnaire (configurable questions, per-option scores, question weights)
// scores two dimensions separately on 0..100: capacity for loss (horizon, income, wealth share,
// reserves) and willingness to take risk (reaction to losses, goals, experience, accepted
// outcomes). Each score maps to a profile 1..5 through the bands (four cut points); the profile
// is the stricter (lower) of the two, as suitability rules ask (ESMA 2018 guidelines on MiFID II
// suitability). A glide path caps the profile by the years to the client's goal.
//
// Profile table. Each profile fixes a target volatility and limits per asset class (e.g. equity
// at most 60%) and per asset; the table, the questionnaire and the glide path carry a version
// and save to one model file (model_io.hpp, kind "risk_profile_table"), so every piece of advice
// can be traced to the table that produced it. The defaults are illustrative (five bands with
// 4/7/10/13/16% volatility, 20/40/60/80/100% equity and at most 10% in any one equity), not a
// regulatory standard: a bank supplies its own table.
//
// Advice. The model portfolio of a profile is the efficient portfolio at the profile's target
// volatility under its limits (mean_variance.hpp, exact on the frontier); with a target below the
// least volatile admissible portfolio, that portfolio. Adviser overrides enter as
// Black-Litterman views with confidences (black_litterman.hpp, Idzorek), whose posterior returns
// replace the estimates. explain() writes a plain-words suitability note: the profile and why,
// the volatility against the target, the largest risk contributors, and what changed since the
// last rebalance and why (a view, a profile change, or new market estimates). Whole lots:
// discrete_allocation() turns weights into integer lots for given prices and cash, minimising
// the total absolute deviation from the target values plus the leftover cash (an integer
// program, CBC through lp.hpp), and reports the cash left.
//
// Batch: advise_many() runs independent clients in parallel (deterministic; one MeanVariance per
// client, about O(n^3) each for n assets).
#pragma once

#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/core/model_io.hpp"
#include "bankquant/core/progress.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/portfolio/mean_variance.hpp"

namespace bankquant::portfolio {

enum class RiskDimension { capacity, willingness };
BANKQUANT_ENUM_NAMES(RiskDimension, {capacity, "capacity"}, {willingness, "willingness"})

struct Question {
  std::string id;
  std::string text;
  RiskDimension dimension = RiskDimension::willingness;
  std::vector<std::string> options;
  std::vector<double> scores;
  double weight = 1.0;

  static constexpr auto fields() {
    return std::tuple{field("id", &Question::id, "short identifier (used in messages)"),
                      field("text", &Question::text, "the question as the client reads it"),
                      field("dimension", &Question::dimension, "'capacity' (for loss) or 'willingness' (to take risk)"),
                      field("options", &Question::options, "the answers offered, in order"),
                      field("scores", &Question::scores, "score of each answer (higher: more risk)"),
                      field("weight", &Question::weight, "weight of the question within its dimension")};
  }
};

struct ClassLimit {
  std::string asset_class;
  double lower = 0.0;
  double upper = 1.0;
  double max_asset_weight = 1.0;

  static constexpr auto fields() {
    return std::tuple{field("asset_class", &ClassLimit::asset_class, "asset class label, e.g. 'equity'"),
                      field("lower", &ClassLimit::lower, "lowest total weight of the class"),
                      field("upper", &ClassLimit::upper, "highest total weight of the class"),
                      field("max_asset_weight", &ClassLimit::max_asset_weight,
                            "largest weight of any one asset of the class")};
  }
};

struct RiskProfile {
  int level = 3;
  std::string name;
  double target_volatility = 0.10;
  double max_asset_weight = 1.0;
  std::vector<ClassLimit> class_limits;

  static constexpr auto fields() {
    return std::tuple{field("level", &RiskProfile::level, "1 (most cautious) to 5"),
                      field("name", &RiskProfile::name, "name shown to clients"),
                      field("target_volatility", &RiskProfile::target_volatility, "annual volatility aimed at"),
                      field("max_asset_weight", &RiskProfile::max_asset_weight, "largest weight of any one asset"),
                      field("class_limits", &RiskProfile::class_limits, "limits per asset class")};
  }
};

/// Years to the goal below which the profile is capped.
struct GlideStep {
  double years = 0.0;
  int max_profile = 5;

  static constexpr auto fields() {
    return std::tuple{field("years", &GlideStep::years, "horizons below this many years ..."),
                      field("max_profile", &GlideStep::max_profile, "... get at most this profile")};
  }
};

struct RiskProfileTable {
  std::string version = "bankquant-default-1";
  std::vector<Question> questions;
  std::vector<double> bands;
  std::vector<RiskProfile> profiles;
  std::vector<GlideStep> glide_path;

  /// The illustrative default (8 questions, bands 20/40/60/80, five profiles, glide path 2/5/10 years).
  [[nodiscard]] BANKQUANT_EXPORT static RiskProfileTable standard();
  BANKQUANT_EXPORT void validate() const;
  [[nodiscard]] BANKQUANT_EXPORT io::Json to_json() const;
  [[nodiscard]] BANKQUANT_EXPORT static RiskProfileTable from_json(const io::Json& model);
  [[nodiscard]] BANKQUANT_EXPORT const RiskProfile& profile(int level) const;

  static constexpr auto fields() {
    return std::tuple{field("version", &RiskProfileTable::version, "version label, stored with every advice"),
                      field("questions", &RiskProfileTable::questions, "the questionnaire"),
                      field("bands", &RiskProfileTable::bands, "four increasing cut points on the 0..100 score"),
                      field("profiles", &RiskProfileTable::profiles, "profiles 1..5"),
                      field("glide_path", &RiskProfileTable::glide_path, "profile caps by years to the goal")};
  }
};

struct RiskAssessment {
  double capacity_score = 0.0;
  double willingness_score = 0.0;
  int capacity_profile = 0;
  int willingness_profile = 0;
  int profile = 0;
  int horizon_cap = 5;
  std::string binding;
  std::string version;

  static constexpr auto fields() {
    return std::tuple{field("capacity_score", &RiskAssessment::capacity_score, "capacity for loss, 0..100"),
                      field("willingness_score", &RiskAssessment::willingness_score, "willingness to take risk, 0..100"),
                      field("capacity_profile", &RiskAssessment::capacity_profile, "profile of the capacity score"),
                      field("willingness_profile", &RiskAssessment::willingness_profile,
                            "profile of the willingness score"),
                      field("profile", &RiskAssessment::profile, "the stricter of the two, capped by the glide path"),
                      field("horizon_cap", &RiskAssessment::horizon_cap, "the glide path's cap for the horizon"),
                      field("binding", &RiskAssessment::binding,
                            "what decided the profile: 'capacity', 'willingness' or 'horizon'"),
                      field("version", &RiskAssessment::version, "the table's version")};
  }
};

/// Scores answers (the index of the option chosen, one per question); horizon in years (inf: none).
[[nodiscard]] BANKQUANT_EXPORT RiskAssessment assess_risk(const RiskProfileTable& table, const std::vector<int>& answers,
                                                          double horizon_years = std::numeric_limits<double>::infinity());

/// An adviser's override: a Black-Litterman view on the assets with a confidence in [0, 1].
struct AdviserView {
  Eigen::VectorXd weights;  ///< P row: one asset (absolute) or a long-short combination (relative)
  double expected_return = 0.0;
  double confidence = 0.5;
  std::string description;

  static constexpr auto fields() {
    return std::tuple{field("weights", &AdviserView::weights, "the view portfolio (a row of P)"),
                      field("expected_return", &AdviserView::expected_return, "its expected return (Q)"),
                      field("confidence", &AdviserView::confidence, "Idzorek confidence in [0, 1]"),
                      field("description", &AdviserView::description, "the view in words (for the explanation)")};
  }
};

struct ClientRequest {
  std::string id;
  std::vector<int> answers;
  int profile = 0;
  double horizon_years = std::numeric_limits<double>::infinity();
  Eigen::VectorXd max_weights;
  std::vector<int> excluded;
  Eigen::VectorXd current_weights;
  int previous_profile = 0;

  static constexpr auto fields() {
    return std::tuple{field("id", &ClientRequest::id, "client identifier"),
                      field("answers", &ClientRequest::answers, "questionnaire answers (empty: use profile)"),
                      field("profile", &ClientRequest::profile, "profile 1..5 when there are no answers"),
                      field("horizon_years", &ClientRequest::horizon_years, "years to the goal (inf: none)"),
                      field("max_weights", &ClientRequest::max_weights, "the client's own upper bound per asset (empty: none)"),
                      field("excluded", &ClientRequest::excluded, "assets the client does not want"),
                      field("current_weights", &ClientRequest::current_weights,
                            "holdings at the last rebalance (empty: a new client)"),
                      field("previous_profile", &ClientRequest::previous_profile, "profile at the last rebalance (0: none)")};
  }
};

struct Advice {
  std::string id;
  RiskAssessment assessment;
  PortfolioResult portfolio;
  std::string explanation;
  std::string version;

  static constexpr auto fields() {
    return std::tuple{field("id", &Advice::id, "client identifier"),
                      field("assessment", &Advice::assessment, "the risk profile and how it was reached"),
                      field("portfolio", &Advice::portfolio, "the recommended allocation and its report"),
                      field("explanation", &Advice::explanation, "the suitability note in plain words"),
                      field("version", &Advice::version, "the profile table's version")};
  }
};

class BANKQUANT_EXPORT Advisor {
 public:
  /// mu (n) and cov (n x n) of the asset universe (annualised), its names and asset classes.
  Advisor(Eigen::VectorXd expected_returns, Eigen::MatrixXd covariance, std::vector<std::string> asset_names,
          std::vector<std::string> asset_classes, RiskProfileTable table = RiskProfileTable::standard(),
          double risk_free = 0.0);

  [[nodiscard]] RiskAssessment assess(const std::vector<int>& answers,
                                      double horizon_years = std::numeric_limits<double>::infinity()) const;
  /// The model portfolio of a profile (no client-specific limits, no views).
  [[nodiscard]] PortfolioResult model_portfolio(int profile) const;
  /// Advice for one client, with optional adviser views.
  [[nodiscard]] Advice advise(const ClientRequest& client, const std::vector<AdviserView>& views = {}) const;
  /// Advice for many clients at once, in parallel (the same views for all).
  [[nodiscard]] std::vector<Advice> advise_many(const std::vector<ClientRequest>& clients,
                                                const std::vector<AdviserView>& views = {},
                                                const ProgressCallback& progress = {}) const;
  /// The expected returns after the views (Black-Litterman posterior; the estimates without views).
  [[nodiscard]] Eigen::VectorXd expected_returns(const std::vector<AdviserView>& views) const;

  [[nodiscard]] const RiskProfileTable& table() const { return table_; }
  [[nodiscard]] const std::vector<std::string>& asset_names() const { return names_; }

 private:
  [[nodiscard]] MeanVarianceOptions constraints(const RiskProfile& p, const ClientRequest* client) const;
  [[nodiscard]] Advice advise_with(const ClientRequest& client, const Eigen::VectorXd& mu,
                                   const std::vector<AdviserView>& views) const;
  [[nodiscard]] PortfolioResult allocate(const Eigen::VectorXd& mu, const RiskProfile& p,
                                         const ClientRequest* client) const;
  [[nodiscard]] std::string explain(const RiskAssessment& a, const PortfolioResult& r, const RiskProfile& p,
                                    const ClientRequest& client, const std::vector<AdviserView>& views) const;
  Eigen::VectorXd mu_;
  Eigen::MatrixXd cov_;
  std::vector<std::string> names_;
  std::vector<std::string> classes_;
  RiskProfileTable table_;
  double risk_free_;
};

struct DiscreteAllocation {
  std::vector<long long> lots;
  std::vector<long long> shares;
  Eigen::VectorXd values;
  Eigen::VectorXd weights;
  double leftover = 0.0;
  double deviation = 0.0;
  Status status;

  static constexpr auto fields() {
    return std::tuple{field("lots", &DiscreteAllocation::lots, "lots to buy per asset"),
                      field("shares", &DiscreteAllocation::shares, "shares (lots x lot size)"),
                      field("values", &DiscreteAllocation::values, "value of each position"),
                      field("weights", &DiscreteAllocation::weights, "weights achieved (of the total value)"),
                      field("leftover", &DiscreteAllocation::leftover, "cash left over"),
                      field("deviation", &DiscreteAllocation::deviation,
                            "sum of |target value - achieved value| over the assets"),
                      field("status", &DiscreteAllocation::status, "how the integer program ended")};
  }
};

/// Whole lots for target weights (non-negative, summing to at most 1) at prices, for total_value
/// of cash; lot_sizes (empty: 1 share each).
[[nodiscard]] BANKQUANT_EXPORT DiscreteAllocation discrete_allocation(const Eigen::Ref<const Eigen::VectorXd>& weights,
                                                                      const Eigen::Ref<const Eigen::VectorXd>& prices,
                                                                      double total_value,
                                                                      const std::vector<long long>& lot_sizes = {},
                                                                      double time_limit = 10.0);

}  // namespace bankquant::portfolio
