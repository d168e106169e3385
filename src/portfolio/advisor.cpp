#include "bankquant/portfolio/advisor.hpp"

#include <algorithm>
#include <optional>
#include <cmath>
#include <numeric>

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/portfolio/black_litterman.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/portfolio/lp.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::portfolio {

using Eigen::Index;
using Eigen::VectorXd;

namespace {
using bankquant::detail::kInf;

std::string percent(double v) { return fmt::format("{:.1f}%", 100.0 * v); }
}  // namespace

// ---------------------------------------------------------------- the table

RiskProfileTable RiskProfileTable::standard() {
  RiskProfileTable t;
  using D = RiskDimension;
  const std::vector<double> s{0, 1, 2, 3, 4};
  t.questions = {
      {"horizon", "In how many years will you need most of this money?", D::capacity,
       {"less than 2", "2 to 5", "5 to 10", "10 to 20", "more than 20"}, s, 1.5},
      {"income", "How stable is your income over the next years?", D::capacity,
       {"very unstable", "unstable", "fairly stable", "stable", "very stable"}, s, 1.0},
      {"wealth_share", "What share of your liquid wealth is this investment?", D::capacity,
       {"over 75%", "50 to 75%", "25 to 50%", "10 to 25%", "under 10%"}, s, 1.0},
      {"reserves", "How many months of expenses do you keep as a cash reserve?", D::capacity,
       {"under 1", "1 to 3", "3 to 6", "6 to 12", "over 12"}, s, 1.0},
      {"loss_reaction", "If your investments fell 20% in a year, what would you do?", D::willingness,
       {"sell everything", "sell some", "hold", "buy a little more", "buy much more"}, s, 1.5},
      {"goal", "Which matters more to you?", D::willingness,
       {"avoiding any loss", "mostly avoiding losses", "a balance", "mostly growth", "maximum growth"}, s, 1.0},
      {"experience", "How much experience do you have with shares or funds?", D::willingness,
       {"none", "a little", "some", "good", "extensive"}, s, 0.5},
      {"outcomes", "Which one-year range of outcomes would you accept?", D::willingness,
       {"-5% to +8%", "-10% to +15%", "-20% to +25%", "-30% to +40%", "-40% to +60%"}, s, 1.0}};
  t.bands = {20, 40, 60, 80};
  const char* names[] = {"conservative", "moderately conservative", "balanced", "growth", "aggressive"};
  const double volatility[] = {0.04, 0.07, 0.10, 0.13, 0.16};
  const double equity[] = {0.2, 0.4, 0.6, 0.8, 1.0};
  for (int level = 1; level <= 5; ++level) {
    RiskProfile p;
    p.level = level;
    p.name = names[level - 1];
    p.target_volatility = volatility[level - 1];
    p.max_asset_weight = 1.0;
    p.class_limits = {{"equity", 0.0, equity[level - 1], 0.10}};
    t.profiles.push_back(p);
  }
  t.glide_path = {{2.0, 2}, {5.0, 3}, {10.0, 4}};
  return t;
}

void RiskProfileTable::validate() const {
  check::not_empty("questions", questions.size());
  for (const auto& q : questions) {
    if (q.scores.empty()) check::fail("questions", fmt::format("question '{}' has no answer scores", q.id));
    if (!q.options.empty() && q.options.size() != q.scores.size()) {
      check::fail("questions", fmt::format("question '{}' has {} options but {} scores", q.id, q.options.size(), q.scores.size()));
    }
    for (double v : q.scores) {
      if (!std::isfinite(v)) check::fail("questions", fmt::format("question '{}' has a non-finite score", q.id));
    }
    if (!(q.weight > 0) || !std::isfinite(q.weight)) check::fail("questions", fmt::format("question '{}': weight must be positive", q.id));
    const double lo = *std::min_element(q.scores.begin(), q.scores.end());
    const double hi = *std::max_element(q.scores.begin(), q.scores.end());
    if (!(hi > lo)) check::fail("questions", fmt::format("question '{}': its scores are all equal", q.id));
  }
  for (RiskDimension d : {RiskDimension::capacity, RiskDimension::willingness}) {
    bool any = false;
    for (const auto& q : questions) any = any || q.dimension == d;
    if (!any) check::fail("questions", fmt::format("no question scores the '{}' dimension", enum_name(d)));
  }
  if (bands.size() != 4) check::fail("bands", fmt::format("expected 4 cut points for 5 profiles, got {}", bands.size()));
  for (std::size_t i = 0; i < bands.size(); ++i) {
    if (!(bands[i] > 0 && bands[i] < 100) || (i > 0 && !(bands[i] > bands[i - 1]))) {
      check::fail("bands", "expected 4 increasing cut points strictly between 0 and 100");
    }
  }
  if (profiles.size() != 5) check::fail("profiles", fmt::format("expected 5 profiles, got {}", profiles.size()));
  for (std::size_t i = 0; i < profiles.size(); ++i) {
    const auto& p = profiles[i];
    if (p.level != static_cast<int>(i) + 1) check::fail("profiles", fmt::format("profile {} has level {}; expected levels 1 to 5 in order", i, p.level));
    if (!(p.target_volatility > 0) || !std::isfinite(p.target_volatility)) {
      check::fail("profiles", fmt::format("profile {}: target volatility must be positive", p.level));
    }
    if (!(p.max_asset_weight > 0 && p.max_asset_weight <= 1)) check::fail("profiles", fmt::format("profile {}: max_asset_weight in (0, 1]", p.level));
    for (const auto& c : p.class_limits) {
      if (!(c.lower >= 0 && c.lower <= c.upper)) {
        check::fail("profiles", fmt::format("profile {}: class '{}' limits [{}, {}] are not 0 <= lower <= upper", p.level, c.asset_class, c.lower, c.upper));
      }
      if (!(c.max_asset_weight > 0 && c.max_asset_weight <= 1)) {
        check::fail("profiles", fmt::format("profile {}: class '{}' max_asset_weight must be in (0, 1]", p.level, c.asset_class));
      }
    }
  }
  for (std::size_t i = 0; i < glide_path.size(); ++i) {
    const auto& g = glide_path[i];
    if (!(g.years > 0) || g.max_profile < 1 || g.max_profile > 5) check::fail("glide_path", "expected positive years and profiles 1 to 5");
    if (i > 0 && !(g.years > glide_path[i - 1].years && g.max_profile >= glide_path[i - 1].max_profile)) {
      check::fail("glide_path", "expected increasing years with non-decreasing profile caps");
    }
  }
}

const RiskProfile& RiskProfileTable::profile(int level) const {
  if (level < 1 || level > static_cast<int>(profiles.size())) {
    check::fail("profile", fmt::format("expected a profile from 1 to {}, got {}", profiles.size(), level));
  }
  return profiles[static_cast<std::size_t>(level - 1)];
}

io::Json RiskProfileTable::to_json() const {
  io::Json j;
  j["version"] = version;
  j["bands"] = bands;
  for (const auto& q : questions) {
    j["questions"].push_back({{"id", q.id}, {"text", q.text}, {"dimension", std::string(enum_name(q.dimension))},
                              {"options", q.options}, {"scores", q.scores}, {"weight", q.weight}});
  }
  for (const auto& p : profiles) {
    io::Json limits = io::Json::array();
    for (const auto& c : p.class_limits) {
      limits.push_back({{"asset_class", c.asset_class}, {"lower", c.lower}, {"upper", c.upper},
                        {"max_asset_weight", c.max_asset_weight}});
    }
    j["profiles"].push_back({{"level", p.level}, {"name", p.name}, {"target_volatility", p.target_volatility},
                             {"max_asset_weight", p.max_asset_weight}, {"class_limits", limits}});
  }
  j["glide_path"] = io::Json::array();
  for (const auto& g : glide_path) j["glide_path"].push_back({{"years", g.years}, {"max_profile", g.max_profile}});
  return j;
}

RiskProfileTable RiskProfileTable::from_json(const io::Json& j) {
  RiskProfileTable t;
  try {
    t.version = io::require_field(j, "version", "risk_profile_table").get<std::string>();
    t.bands = io::require_field(j, "bands", "risk_profile_table").get<std::vector<double>>();
    for (const auto& q : io::require_field(j, "questions", "risk_profile_table")) {
      Question x;
      x.id = q.at("id").get<std::string>();
      x.text = q.at("text").get<std::string>();
      x.dimension = enum_from_name<RiskDimension>(q.at("dimension").get<std::string>(), "dimension");
      x.options = q.at("options").get<std::vector<std::string>>();
      x.scores = q.at("scores").get<std::vector<double>>();
      x.weight = q.at("weight").get<double>();
      t.questions.push_back(x);
    }
    for (const auto& p : io::require_field(j, "profiles", "risk_profile_table")) {
      RiskProfile x;
      x.level = p.at("level").get<int>();
      x.name = p.at("name").get<std::string>();
      x.target_volatility = p.at("target_volatility").get<double>();
      x.max_asset_weight = p.at("max_asset_weight").get<double>();
      for (const auto& c : p.at("class_limits")) {
        x.class_limits.push_back({c.at("asset_class").get<std::string>(), c.at("lower").get<double>(),
                                  c.at("upper").get<double>(), c.value("max_asset_weight", 1.0)});
      }
      t.profiles.push_back(x);
    }
    for (const auto& g : io::require_field(j, "glide_path", "risk_profile_table")) {
      t.glide_path.push_back({g.at("years").get<double>(), g.at("max_profile").get<int>()});
    }
  } catch (const io::Json::exception& e) {
    throw ModelFormatError(fmt::format("risk_profile_table: {}", e.what()));
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(fmt::format("risk_profile_table: {}", e.what()));
  }
  try {
    t.validate();
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(fmt::format("risk_profile_table: {}", e.what()));
  }
  return t;
}

// ---------------------------------------------------------------- assessment

RiskAssessment assess_risk(const RiskProfileTable& table, const std::vector<int>& answers, double horizon_years) {
  table.validate();
  if (answers.size() != table.questions.size()) {
    check::fail("answers", fmt::format("expected one answer per question ({}), got {}", table.questions.size(), answers.size()));
  }
  if (!(horizon_years > 0)) check::fail("horizon_years", fmt::format("expected a positive number of years, got {}", horizon_years));
  double got[2] = {0, 0}, top[2] = {0, 0};
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const Question& q = table.questions[i];
    const int a = answers[i];
    if (a < 0 || a >= static_cast<int>(q.scores.size())) {
      check::fail("answers", fmt::format("question '{}': answer {} is outside 0..{}", q.id, a, q.scores.size() - 1));
    }
    const double lo = *std::min_element(q.scores.begin(), q.scores.end());
    const double hi = *std::max_element(q.scores.begin(), q.scores.end());
    const int d = q.dimension == RiskDimension::capacity ? 0 : 1;
    got[d] += q.weight * (q.scores[static_cast<std::size_t>(a)] - lo);
    top[d] += q.weight * (hi - lo);
  }
  auto level = [&](double score) {
    int p = 1;
    for (double b : table.bands) p += score >= b ? 1 : 0;
    return p;
  };
  RiskAssessment r;
  r.version = table.version;
  r.capacity_score = 100.0 * got[0] / top[0];
  r.willingness_score = 100.0 * got[1] / top[1];
  r.capacity_profile = level(r.capacity_score);
  r.willingness_profile = level(r.willingness_score);
  r.profile = std::min(r.capacity_profile, r.willingness_profile);
  r.binding = r.capacity_profile <= r.willingness_profile ? "capacity" : "willingness";
  r.horizon_cap = 5;
  for (const auto& g : table.glide_path) {
    if (horizon_years < g.years) {
      r.horizon_cap = g.max_profile;
      break;
    }
  }
  if (r.horizon_cap < r.profile) {
    r.profile = r.horizon_cap;
    r.binding = "horizon";
  }
  return r;
}

// ---------------------------------------------------------------- the advisor

Advisor::Advisor(VectorXd mu, Eigen::MatrixXd cov, std::vector<std::string> names, std::vector<std::string> classes,
                 RiskProfileTable table, double risk_free)
    : mu_(std::move(mu)), cov_(std::move(cov)), names_(std::move(names)), classes_(std::move(classes)),
      table_(std::move(table)), risk_free_(risk_free) {
  const Index n = mu_.size();
  check::not_empty("expected_returns", static_cast<std::size_t>(n));
  check::all_finite("expected_returns", mu_);
  check_covariance("cov", cov_, n);
  if (names_.empty()) {
    for (Index i = 0; i < n; ++i) names_.push_back(fmt::format("asset {}", i));
  }
  check::same_size("asset_names", names_.size(), "expected_returns", static_cast<std::size_t>(n));
  if (classes_.empty()) classes_.assign(static_cast<std::size_t>(n), "unclassified");
  check::same_size("asset_classes", classes_.size(), "expected_returns", static_cast<std::size_t>(n));
  check::finite("risk_free", risk_free_);
  table_.validate();
}

RiskAssessment Advisor::assess(const std::vector<int>& answers, double horizon_years) const {
  return assess_risk(table_, answers, horizon_years);
}

MeanVarianceOptions Advisor::constraints(const RiskProfile& p, const ClientRequest* client) const {
  const Index n = mu_.size();
  MeanVarianceOptions o;
  o.lower = VectorXd::Zero(n);
  o.upper = VectorXd::Constant(n, p.max_asset_weight);
  o.asset_names = names_;
  o.risk_free = risk_free_;
  for (const auto& c : p.class_limits) {
    AssetGroup g{c.asset_class, {}, c.lower, c.upper};
    for (Index i = 0; i < n; ++i) {
      if (classes_[static_cast<std::size_t>(i)] != c.asset_class) continue;
      g.members.push_back(static_cast<int>(i));
      o.upper(i) = std::min(o.upper(i), c.max_asset_weight);
    }
    if (!g.members.empty()) o.groups.push_back(g);
  }
  if (client) {
    if (client->max_weights.size() != 0) {
      check::shape("max_weights", client->max_weights.size(), 1, n, 1);
      for (Index i = 0; i < n; ++i) {
        if (!(client->max_weights(i) >= 0)) check::fail("max_weights", fmt::format("expected non-negative bounds, got {} for '{}'", client->max_weights(i), names_[static_cast<std::size_t>(i)]));
        o.upper(i) = std::min(o.upper(i), client->max_weights(i));
      }
    }
    for (int i : client->excluded) {
      if (i < 0 || i >= n) check::fail("excluded", fmt::format("asset index {} outside [0, {})", i, n));
      o.upper(i) = 0.0;
    }
  }
  return o;
}

PortfolioResult Advisor::allocate(const VectorXd& mu, const RiskProfile& p, const ClientRequest* client) const {
  std::optional<MeanVariance> built;
  try {
    built.emplace(mu, cov_, constraints(p, client));
  } catch (const InvalidArgument& e) {
    // The constraints come from the profile's class limits and the client's own bounds: say so.
    throw InvalidArgument(fmt::format("argument 'profile': profile {} ({}) cannot be met on this universe{}: {}", p.level,
                                      p.name, client ? " with the client's bounds" : "", e.what()));
  }
  const MeanVariance& mv = *built;
  const PortfolioResult low = mv.min_volatility();
  if (p.target_volatility <= low.volatility) {
    PortfolioResult r = low;
    r.method = "min_volatility";
    r.status.message = fmt::format("the least volatile admissible portfolio ({}) is above the target {}: it is the answer",
                                   percent(low.volatility), percent(p.target_volatility));
    return r;
  }
  PortfolioResult r = mv.efficient_risk(p.target_volatility);
  // The profile's limits can cap risk below its target (few assets, per-asset caps): then several
  // profiles share one portfolio, which the client and adviser must be told (found by a tryout: on
  // four indices plus cash, profiles 2-5 all got 5.3% volatility).
  if (r.status.converged() && r.volatility < p.target_volatility * (1.0 - 1e-6)) {
    r.status = Status::make(StatusCode::boundary,
                            fmt::format("profile {} ({}): no admissible portfolio reaches the target volatility {} under "
                                        "the profile's limits on this universe; the most volatile one ({}) is the answer",
                                        p.level, p.name, percent(p.target_volatility), percent(r.volatility)),
                            r.status.iterations);
  }
  return r;
}

PortfolioResult Advisor::model_portfolio(int profile) const { return allocate(mu_, table_.profile(profile), nullptr); }

VectorXd Advisor::expected_returns(const std::vector<AdviserView>& views) const {
  if (views.empty()) return mu_;
  const Index n = mu_.size(), k = static_cast<Index>(views.size());
  RowMatrix P(k, n);
  VectorXd Q(k), conf(k);
  for (Index v = 0; v < k; ++v) {
    const auto& view = views[static_cast<std::size_t>(v)];
    if (view.weights.size() != n) check::fail("views", fmt::format("view {} has {} weights, expected {}", v, view.weights.size(), n));
    P.row(v) = view.weights.transpose();
    Q(v) = view.expected_return;
    conf(v) = view.confidence;
  }
  // The prior is the estimates themselves (pi = mu), not equilibrium returns: the posterior
  // pi + K (Q - P pi) is affine in pi with K free of pi (Omega from the confidences is too), so it
  // is mu + [the posterior at pi = 0 for the views' surprises Q - P mu]. This holds for a singular
  // covariance (a riskless asset), where no market weights reproduce mu as delta S w.
  BlackLittermanOptions o;
  o.risk_free = 0.0;
  // The user's argument here is the list of views (black_litterman names its own P or confidences).
  BlackLittermanResult bl;
  try {
    bl = black_litterman(cov_, VectorXd::Zero(n), P, Q - P * mu_, Eigen::MatrixXd(), conf, o);
  } catch (const InvalidArgument& e) {
    check::fail("views", fmt::format("the views cannot be combined with the estimates: {}", e.what()));
  }
  return mu_ + bl.posterior_returns;
}

std::string Advisor::explain(const RiskAssessment& a, const PortfolioResult& r, const RiskProfile& p,
                             const ClientRequest& client, const std::vector<AdviserView>& views) const {
  const Index n = mu_.size();
  std::string s;
  s += fmt::format("Risk profile {} ({}), table version {}. ", p.level, p.name, table_.version);
  if (!client.answers.empty()) {
    s += fmt::format("Capacity for loss scores {:.0f}/100 (profile {}) and willingness to take risk {:.0f}/100 "
                     "(profile {}); ",
                     a.capacity_score, a.capacity_profile, a.willingness_score, a.willingness_profile);
    if (a.binding == "horizon") {
      s += fmt::format("the horizon of {:g} years caps the profile at {}. ", client.horizon_years, a.horizon_cap);
    } else {
      s += fmt::format("the stricter, {}, decides. ", a.binding);
    }
  } else {
    s += "The profile was given. ";
  }
  s += fmt::format("The allocation aims at {} annual volatility; its expected volatility is {} with an expected "
                   "return of {}. ",
                   percent(p.target_volatility), percent(r.volatility), percent(r.expected_return));
  if (r.method == "min_volatility") s += "No admissible portfolio is that calm, so it is the least volatile one. ";
  if (r.status.code == StatusCode::boundary) {
    s += "No admissible portfolio is that volatile under the profile's limits, so it is the most volatile one. ";
  }
  // Largest risk contributors.
  std::vector<Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  std::sort(order.begin(), order.end(), [&](Index i, Index j) { return r.risk_contributions(i) > r.risk_contributions(j); });
  s += "Largest contributors to risk: ";
  int shown = 0;
  for (Index i : order) {
    if (shown == 3 || !(r.risk_contributions(i) > 0)) break;
    s += fmt::format("{}{} ({} of the risk, weight {})", shown ? ", " : "", names_[static_cast<std::size_t>(i)],
                     percent(r.risk_contributions(i) / r.volatility), percent(r.weights(i)));
    ++shown;
  }
  s += ". ";
  if (!views.empty()) {
    s += "Adviser views in the expected returns: ";
    for (std::size_t k = 0; k < views.size(); ++k) {
      s += fmt::format("{}'{}' (confidence {})", k ? ", " : "",
                       views[k].description.empty() ? "unnamed" : views[k].description, percent(views[k].confidence));
    }
    s += ". ";
  }
  if (client.current_weights.size() == n) {
    std::vector<std::string> changes;
    std::vector<Index> by_change(static_cast<std::size_t>(n));
    std::iota(by_change.begin(), by_change.end(), Index{0});
    std::sort(by_change.begin(), by_change.end(), [&](Index i, Index j) {
      return std::abs(r.weights(i) - client.current_weights(i)) > std::abs(r.weights(j) - client.current_weights(j));
    });
    for (Index i : by_change) {
      const double d = r.weights(i) - client.current_weights(i);
      if (std::abs(d) < 0.01 || changes.size() >= 5) break;
      std::string why;
      for (const auto& v : views) {
        if (v.weights.size() == n && v.weights(i) != 0.0) {
          why = fmt::format("the adviser's view '{}' (confidence {})", v.description.empty() ? "unnamed" : v.description,
                            percent(v.confidence));
          break;
        }
      }
      if (why.empty() && client.previous_profile > 0 && client.previous_profile != p.level) {
        why = fmt::format("the profile changed from {} to {}", client.previous_profile, p.level);
      }
      if (why.empty()) why = "updated market estimates of returns and risks";
      changes.push_back(fmt::format("{} {} from {} to {} because of {}", names_[static_cast<std::size_t>(i)],
                                    d > 0 ? "up" : "down", percent(client.current_weights(i)), percent(r.weights(i)), why));
    }
    if (changes.empty()) {
      s += "No holding changes by more than 1 point since the last rebalance.";
    } else {
      s += "Since the last rebalance: ";
      for (std::size_t k = 0; k < changes.size(); ++k) s += (k ? "; " : "") + changes[k];
      s += ".";
    }
  }
  return s;
}

Advice Advisor::advise(const ClientRequest& client, const std::vector<AdviserView>& views) const {
  return advise_with(client, expected_returns(views), views);
}

Advice Advisor::advise_with(const ClientRequest& client, const VectorXd& mu, const std::vector<AdviserView>& views) const {
  Advice out;
  out.id = client.id;
  out.version = table_.version;
  if (!client.answers.empty()) {
    out.assessment = assess_risk(table_, client.answers, client.horizon_years);
  } else {
    if (client.profile < 1 || client.profile > 5) {
      check::fail("profile", fmt::format("client '{}': expected questionnaire answers or a profile from 1 to 5, got {}", client.id, client.profile));
    }
    out.assessment.profile = client.profile;
    out.assessment.binding = "given";
    out.assessment.version = table_.version;
    out.assessment.horizon_cap = 5;
    for (const auto& g : table_.glide_path) {
      if (client.horizon_years < g.years) {
        out.assessment.horizon_cap = g.max_profile;
        break;
      }
    }
    if (out.assessment.horizon_cap < out.assessment.profile) {
      out.assessment.profile = out.assessment.horizon_cap;
      out.assessment.binding = "horizon";
    }
  }
  if (client.current_weights.size() != 0) {
    check::shape("current_weights", client.current_weights.size(), 1, mu_.size(), 1);
    check::all_finite("current_weights", client.current_weights);
  }
  const RiskProfile& p = table_.profile(out.assessment.profile);
  out.portfolio = allocate(mu, p, &client);
  out.explanation = explain(out.assessment, out.portfolio, p, client, views);
  return out;
}

std::vector<Advice> Advisor::advise_many(const std::vector<ClientRequest>& clients, const std::vector<AdviserView>& views,
                                         const ProgressCallback& progress) const {
  std::vector<Advice> out(clients.size());
  std::vector<std::string> errors(clients.size());
  ProgressReporter reporter(progress, clients.size(), "clients");
  const VectorXd mu = expected_returns(views);
  parallel_for_chunks(clients.size(), 64, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (reporter.cancelled()) return;
      try {
        out[i] = advise_with(clients[i], mu, views);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    }
    reporter.advance(end - begin);
  });
  reporter.finish();
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i].empty()) {
      throw InvalidArgument(fmt::format("argument 'clients': client {} ('{}'): {}", i, clients[i].id, errors[i]));
    }
  }
  return out;
}

// ---------------------------------------------------------------- whole lots

DiscreteAllocation discrete_allocation(const Eigen::Ref<const VectorXd>& w, const Eigen::Ref<const VectorXd>& prices,
                                       double total_value, const std::vector<long long>& lot_sizes, double time_limit) {
  const Index n = w.size();
  check::not_empty("weights", static_cast<std::size_t>(n));
  check::all_finite("weights", w);
  check::shape("prices", prices.size(), 1, n, 1);
  check::all_finite("prices", prices);
  for (Index i = 0; i < n; ++i) {
    if (!(prices(i) > 0)) check::fail("prices", fmt::format("expected positive prices, got {} at {}", prices(i), i));
    if (w(i) < 0) check::fail("weights", fmt::format("expected non-negative weights (long positions), got {} at {}", w(i), i));
  }
  if (w.sum() > 1.0 + 1e-9) check::fail("weights", fmt::format("expected weights summing to at most 1, got {}", w.sum()));
  if (!(total_value > 0) || !std::isfinite(total_value)) check::fail("total_value", fmt::format("expected a positive amount, got {}", total_value));
  std::vector<long long> lots = lot_sizes.empty() ? std::vector<long long>(static_cast<std::size_t>(n), 1) : lot_sizes;
  check::same_size("lot_sizes", lots.size(), "weights", static_cast<std::size_t>(n));
  for (long long l : lots) {
    if (l < 1) check::fail("lot_sizes", fmt::format("expected lot sizes of at least 1, got {}", l));
  }
  // Variables: q (n, integer lots), u (n, |deviation|), r (leftover cash).
  const Index nv = 2 * n + 1;
  LpProblem p;
  p.objective = VectorXd::Zero(nv);
  p.objective.segment(n, n).setOnes();
  p.objective(2 * n) = 1.0;
  p.matrix = RowMatrix::Zero(2 * n + 1, nv);
  p.row_lower = VectorXd::Constant(2 * n + 1, -kInf);
  p.row_upper = VectorXd::Constant(2 * n + 1, kInf);
  for (Index i = 0; i < n; ++i) {
    const double lot_value = prices(i) * static_cast<double>(lots[static_cast<std::size_t>(i)]);
    const double target = w(i) * total_value;
    p.matrix(2 * i, n + i) = 1.0;  // u - v q >= -target
    p.matrix(2 * i, i) = -lot_value;
    p.row_lower(2 * i) = -target;
    p.matrix(2 * i + 1, n + i) = 1.0;  // u + v q >= target
    p.matrix(2 * i + 1, i) = lot_value;
    p.row_lower(2 * i + 1) = target;
    p.matrix(2 * n, i) = lot_value;  // sum v q + r = total
    p.integers.push_back(static_cast<int>(i));
  }
  p.matrix(2 * n, 2 * n) = 1.0;
  p.row_lower(2 * n) = p.row_upper(2 * n) = total_value;
  p.col_lower = VectorXd::Zero(nv);
  p.col_upper = VectorXd::Constant(nv, kInf);
  const LpResult s = solve_milp(p, time_limit);
  if (!s.status.usable()) throw NumericalError(fmt::format("discrete_allocation: {}", s.status.message));
  DiscreteAllocation out;
  out.status = s.status;
  out.values = VectorXd::Zero(n);
  double spent = 0.0;
  for (Index i = 0; i < n; ++i) {
    const long long q = std::llround(s.x(i));
    out.lots.push_back(q);
    out.shares.push_back(q * lots[static_cast<std::size_t>(i)]);
    out.values(i) = static_cast<double>(out.shares.back()) * prices(i);
    spent += out.values(i);
  }
  out.leftover = total_value - spent;
  out.weights = out.values / total_value;
  out.deviation = (w * total_value - out.values).cwiseAbs().sum();
  return out;
}

}  // namespace bankquant::portfolio
