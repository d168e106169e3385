#include "bankquant/scorecard/scorecard.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/errors.hpp"
#include "bankquant/core/threading.hpp"

namespace bankquant::scorecard {
namespace {

// `text` between two `quote` characters, each quote inside doubled (standard SQL for both
// identifiers, quoted with ", and string literals, quoted with ').
std::string sql_quoted(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  return out + quote;
}

std::string sql_identifier(std::string_view name) { return sql_quoted(name, '"'); }
std::string sql_number(double v) { return fmt::format("{:.17g}", v); }

std::string sql_category(const std::string& key, CategoryType type) {
  if (type == CategoryType::boolean) return key == "true" ? "TRUE" : "FALSE";
  if (type == CategoryType::number) return key;  // canonical keys are valid numeric literals
  return sql_quoted(key, '\'');
}

bool stored_points_match(double a, double b) { return std::abs(a - b) <= 1e-6 * (1 + std::abs(a)); }

io::Json vector_to_json(const Eigen::VectorXd& v) {
  return io::json_from_doubles(std::vector<double>(v.data(), v.data() + v.size()));
}

Eigen::VectorXd vector_from_json(const io::Json& j, std::string_view field) {
  const auto v = io::doubles_from_json(j, field);
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

io::Json logistic_to_json(const LogisticResult& r) {
  return {{"coefficients", vector_to_json(r.coefficients)},
          {"standard_errors", vector_to_json(r.standard_errors)},
          {"z_values", vector_to_json(r.z_values)},
          {"p_values", vector_to_json(r.p_values)},
          {"log_likelihood", r.log_likelihood},
          {"null_log_likelihood", r.null_log_likelihood},
          {"aic", r.aic},
          {"bic", r.bic},
          {"n_observations", r.n_observations},
          {"separation", std::string(enum_name(r.separation))},
          {"status", {{"code", std::string(enum_name(r.status.code))},
                      {"message", r.status.message},
                      {"iterations", r.status.iterations}}}};
}

LogisticResult logistic_from_json(const io::Json& j) {
  if (!j.is_object()) throw ModelFormatError("scorecard: 'logistic' must be an object");
  LogisticResult r;
  r.coefficients = vector_from_json(io::require_field(j, "coefficients", "logistic"), "coefficients");
  r.standard_errors = vector_from_json(io::require_field(j, "standard_errors", "logistic"), "standard_errors");
  r.z_values = vector_from_json(io::require_field(j, "z_values", "logistic"), "z_values");
  r.p_values = vector_from_json(io::require_field(j, "p_values", "logistic"), "p_values");
  const auto k = r.coefficients.size();
  if (r.standard_errors.size() != k || r.z_values.size() != k || r.p_values.size() != k) {
    throw ModelFormatError("scorecard: the logistic fit's vectors differ in length");
  }
  r.log_likelihood = io::double_from_json(io::require_field(j, "log_likelihood", "logistic"), "log_likelihood");
  r.null_log_likelihood = io::double_from_json(io::require_field(j, "null_log_likelihood", "logistic"), "null_log_likelihood");
  r.aic = io::double_from_json(io::require_field(j, "aic", "logistic"), "aic");
  r.bic = io::double_from_json(io::require_field(j, "bic", "logistic"), "bic");
  r.n_observations = io::double_from_json(io::require_field(j, "n_observations", "logistic"), "n_observations");
  try {
    r.separation = enum_from_name<Separation>(j.value("separation", "none"), "separation");
    const io::Json& s = io::require_field(j, "status", "logistic");
    r.status.code = enum_from_name<StatusCode>(s.at("code").get<std::string>(), "status");
    r.status.message = s.at("message").get<std::string>();
    r.status.iterations = s.at("iterations").get<int>();
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(fmt::format("scorecard: logistic {}", e.what()));
  } catch (const io::Json::exception&) {
    throw ModelFormatError("scorecard: the logistic status is malformed");
  }
  return r;
}

}  // namespace

void Scaling::validate() const {
  check::positive("pdo", pdo);
  check::finite("pdo", pdo);
  check::finite("base_score", base_score);
  check::positive("base_odds", base_odds);
  check::finite("base_odds", base_odds);
}

double Scaling::factor() const { return pdo / std::numbers::ln2; }
double Scaling::offset() const { return base_score - factor() * std::log(base_odds); }

std::vector<double> Scaling::event_probability(std::span<const double> score) const {
  validate();
  check::all_finite("score", score);
  std::vector<double> out(score.size());
  for (std::size_t i = 0; i < score.size(); ++i) {
    const double odds_good = base_odds * std::exp2((score[i] - base_score) / pdo);
    out[i] = 1.0 / (1.0 + odds_good);
  }
  return out;
}

void ReasonOptions::validate() const { check::integer_at_least("n_reasons", n_reasons, 1); }

void CounterfactualOptions::validate() const {
  check::finite("target_score", target_score);
  check::integer_at_least("max_changes", max_changes, 1);
  if (max_changes > 64) check::fail("max_changes", fmt::format("expected at most 64, got {}", max_changes));
}

ScorecardModel::ScorecardModel() = default;
ScorecardModel::~ScorecardModel() = default;
ScorecardModel::ScorecardModel(const ScorecardModel&) = default;
ScorecardModel::ScorecardModel(ScorecardModel&&) noexcept = default;
ScorecardModel& ScorecardModel::operator=(const ScorecardModel&) = default;
ScorecardModel& ScorecardModel::operator=(ScorecardModel&&) noexcept = default;

void ScorecardModel::compute_points() {
  scaling.validate();
  check::same_size("variables", variables.size(), "coefficients", coefficients.size());
  check::finite("intercept", intercept);
  check::all_finite("coefficients", coefficients);
  for (const auto& v : variables) {
    if (v.target != TargetType::binary) {
      check::fail("variables", fmt::format("'{}' is binned against a continuous target; a scorecard needs WoE of a "
                                           "binary target",
                                           v.name));
    }
  }
  const double factor = scaling.factor();
  auto finish = [&](double v) { return (round_points ? std::nearbyint(v) : v) + 0.0; };  // + 0.0: no "-0"
  base_points_ = finish(scaling.offset() - factor * intercept);
  points_.assign(variables.size(), {});
  for (std::size_t j = 0; j < variables.size(); ++j) {
    for (const Bin& b : variables[j].bins) points_[j].push_back(finish(-factor * coefficients[j] * b.woe));
  }
}

std::vector<std::vector<std::int32_t>> ScorecardModel::indices_checked(const std::vector<ColumnView>& columns) const {
  if (points_.size() != variables.size()) throw NotFitted("scorecard: points are not computed (call compute_points)");
  const auto matched = match_columns(variables, columns);
  const std::size_t n = variables.empty() ? 0 : matched[0]->size();
  std::vector<std::vector<std::int32_t>> idx(variables.size(), std::vector<std::int32_t>(n));
  for (std::size_t j = 0; j < variables.size(); ++j) scorecard::bin_indices(variables[j], *matched[j], idx[j]);
  return idx;
}

std::vector<std::vector<std::int32_t>> ScorecardModel::bin_indices(const std::vector<ColumnView>& columns) const {
  return indices_checked(columns);
}

ScoreResult ScorecardModel::score(const std::vector<ColumnView>& columns) const {
  const auto idx = indices_checked(columns);
  const std::size_t n = idx.empty() ? 0 : idx[0].size();
  ScoreResult out;
  out.score.assign(n, base_points_);
  out.probability.assign(n, 0.0);
  out.unseen.assign(variables.size(), 0);
  const std::size_t chunk = 16384;
  std::vector<std::vector<std::size_t>> unseen_per_chunk(chunk_count(n, chunk), std::vector<std::size_t>(variables.size(), 0));
  parallel_for_chunks(n, chunk, [&](std::size_t c, std::size_t begin, std::size_t end) {
    std::vector<double> eta(end - begin, intercept);
    for (std::size_t j = 0; j < variables.size(); ++j) {
      const VariableBinning& v = variables[j];
      const auto& pts = points_[j];
      for (std::size_t i = begin; i < end; ++i) {
        const std::int32_t b = idx[j][i];
        if (b < 0) {
          ++unseen_per_chunk[c][j];
          continue;
        }
        out.score[i] += pts[static_cast<std::size_t>(b)];
        eta[i - begin] += coefficients[j] * v.bins[static_cast<std::size_t>(b)].woe;
      }
    }
    for (std::size_t i = begin; i < end; ++i) out.probability[i] = 1.0 / (1.0 + std::exp(-eta[i - begin]));
  });
  for (const auto& counts : unseen_per_chunk) {
    for (std::size_t j = 0; j < counts.size(); ++j) out.unseen[j] += counts[j];
  }
  return out;
}

ReasonCodes ScorecardModel::reason_codes(const std::vector<ColumnView>& columns, const ReasonOptions& o) const {
  o.validate();
  const auto idx = indices_checked(columns);
  const std::size_t n = idx.empty() ? 0 : idx[0].size(), J = variables.size();
  const auto r = static_cast<std::size_t>(std::min<int>(o.n_reasons, static_cast<int>(J)));
  ReasonCodes out;
  out.n_reasons = static_cast<int>(r);
  out.variable.assign(n * r, -1);
  out.points_lost.assign(n * r, 0.0);
  std::vector<double> reference(J, 0.0);
  for (std::size_t j = 0; j < J; ++j) {
    if (o.reference == ReasonReference::max) reference[j] = *std::max_element(points_[j].begin(), points_[j].end());
  }
  parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t begin, std::size_t end) {
    std::vector<std::pair<double, std::size_t>> lost(J);
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t j = 0; j < J; ++j) {
        const double pts = idx[j][i] >= 0 ? points_[j][static_cast<std::size_t>(idx[j][i])] : 0.0;
        lost[j] = {std::max(reference[j] - pts, 0.0), j};
      }
      // largest loss first; ties by characteristic order (a stable order)
      std::stable_sort(lost.begin(), lost.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      for (std::size_t q = 0; q < r; ++q) {
        out.points_lost[i * r + q] = lost[q].first;
        out.variable[i * r + q] = lost[q].first > 0 ? static_cast<std::int32_t>(lost[q].second) : -1;
      }
    }
  });
  return out;
}

std::vector<Counterfactual> ScorecardModel::counterfactuals(const std::vector<ColumnView>& columns,
                                                            const CounterfactualOptions& o) const {
  o.validate();
  for (const auto& f : o.fixed) {
    if (std::none_of(variables.begin(), variables.end(), [&](const VariableBinning& v) { return v.name == f; })) {
      check::fail("fixed", fmt::format("'{}' is not a characteristic of the scorecard", f));
    }
  }
  const auto idx = indices_checked(columns);
  const auto scores = score(columns).score;
  const std::size_t n = scores.size(), J = variables.size();
  const auto C = static_cast<std::size_t>(o.max_changes);
  std::vector<char> movable(J, 1);
  std::size_t max_steps = 0;
  for (std::size_t j = 0; j < J; ++j) {
    movable[j] = std::find(o.fixed.begin(), o.fixed.end(), variables[j].name) == o.fixed.end();
    max_steps += variables[j].regular_bins();
  }
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < n; ++i) {
    if (scores[i] < o.target_score) rows.push_back(i);
  }
  std::vector<Counterfactual> out(rows.size());
  const double kNone = -std::numeric_limits<double>::infinity();
  parallel_for_chunks(rows.size(), 16, [&](std::size_t, std::size_t begin, std::size_t end) {
    // best[c][s]: the largest gain with c changes and s steps over the characteristics so far
    const std::size_t S = max_steps + 1;
    std::vector<double> best(J * 0 + (C + 1) * S), next((C + 1) * S);
    std::vector<std::int32_t> choice(J * (C + 1) * S);  // bin chosen for characteristic j (-1: none)
    std::vector<std::int32_t> from_c(J * (C + 1) * S), from_s(J * (C + 1) * S);
    for (std::size_t q = begin; q < end; ++q) {
      const std::size_t i = rows[q];
      Counterfactual& cf = out[q];
      cf.row = i;
      cf.score = cf.new_score = scores[i];
      const double deficit = o.target_score - scores[i];
      std::fill(best.begin(), best.end(), kNone);
      best[0] = 0.0;
      for (std::size_t j = 0; j < J; ++j) {
        std::fill(next.begin(), next.end(), kNone);
        const std::int32_t cur = idx[j][i];
        const double cur_points = cur >= 0 ? points_[j][static_cast<std::size_t>(cur)] : 0.0;
        for (std::size_t c = 0; c <= C; ++c) {
          for (std::size_t s = 0; s < S; ++s) {
            const double v = best[c * S + s];
            if (v == kNone) continue;
            const std::size_t at = c * S + s;
            if (v > next[at]) {  // leave j as it is
              next[at] = v;
              choice[(j * (C + 1) + c) * S + s] = -1;
              from_c[(j * (C + 1) + c) * S + s] = static_cast<std::int32_t>(c);
              from_s[(j * (C + 1) + c) * S + s] = static_cast<std::int32_t>(s);
            }
            if (!movable[j] || c == C) continue;
            const std::size_t regular = variables[j].regular_bins();
            for (std::size_t b = 0; b < regular; ++b) {
              if (static_cast<std::int32_t>(b) == cur) continue;
              const double gain = points_[j][b] - cur_points;
              if (!(gain > 0)) continue;
              std::size_t steps = 1;
              if (!variables[j].categorical && cur >= 0 && static_cast<std::size_t>(cur) < regular) {
                steps = b > static_cast<std::size_t>(cur) ? b - static_cast<std::size_t>(cur) : static_cast<std::size_t>(cur) - b;
              }
              const std::size_t ns = s + steps;
              if (ns >= S) continue;
              const std::size_t to = (c + 1) * S + ns;
              if (v + gain > next[to]) {
                next[to] = v + gain;
                choice[(j * (C + 1) + c + 1) * S + ns] = static_cast<std::int32_t>(b);
                from_c[(j * (C + 1) + c + 1) * S + ns] = static_cast<std::int32_t>(c);
                from_s[(j * (C + 1) + c + 1) * S + ns] = static_cast<std::int32_t>(s);
              }
            }
          }
        }
        std::swap(best, next);
      }
      // fewest changes, then fewest steps, that reach the deficit
      std::size_t pc = 0, ps = 0;
      bool found = false;
      for (std::size_t c = 1; c <= C && !found; ++c) {
        for (std::size_t s = 0; s < S; ++s) {
          if (best[c * S + s] != kNone && best[c * S + s] >= deficit - 1e-9) {
            pc = c;
            ps = s;
            found = true;
            break;
          }
        }
      }
      cf.found = found;
      if (!found) continue;
      cf.new_score = scores[i] + best[pc * S + ps];
      std::size_t c = pc, s = ps;
      for (std::size_t j = J; j-- > 0;) {
        const std::size_t at = (j * (C + 1) + c) * S + s;
        const std::int32_t b = choice[at];
        if (b >= 0) {
          const std::int32_t cur = idx[j][i];
          const double cur_points = cur >= 0 ? points_[j][static_cast<std::size_t>(cur)] : 0.0;
          cf.changes.push_back({j, cur, static_cast<std::size_t>(b), points_[j][static_cast<std::size_t>(b)] - cur_points});
        }
        const auto nc = static_cast<std::size_t>(from_c[at]), ns = static_cast<std::size_t>(from_s[at]);
        c = nc;
        s = ns;
      }
      std::reverse(cf.changes.begin(), cf.changes.end());
    }
  });
  return out;
}

std::string ScorecardModel::to_sql() const {
  if (points_.size() != variables.size()) throw NotFitted("scorecard: points are not computed (call compute_points)");
  std::string sql = sql_number(base_points_);
  for (std::size_t j = 0; j < variables.size(); ++j) {
    const VariableBinning& v = variables[j];
    const std::string col = sql_identifier(v.name);
    std::string expr = "CASE";
    for (std::size_t i = 0; i < v.bins.size(); ++i) {
      const Bin& b = v.bins[i];
      const std::string pts = sql_number(points_[j][i]);
      if (b.kind == BinKind::missing) {
        expr += v.categorical && v.category_type == CategoryType::text
                    ? fmt::format(" WHEN {0} IS NULL OR {0} = '' THEN {1}", col, pts)
                    : fmt::format(" WHEN {} IS NULL THEN {}", col, pts);
      } else if (b.kind == BinKind::special) {
        std::string list;
        if (v.categorical) {
          for (const auto& c : b.categories) list += (list.empty() ? "" : ", ") + sql_category(c, v.category_type);
        } else {
          for (double s : b.special_values) list += (list.empty() ? "" : ", ") + sql_number(s);
        }
        expr += fmt::format(" WHEN {} IN ({}) THEN {}", col, list, pts);
      }
    }
    for (std::size_t i = 0; i < v.bins.size(); ++i) {
      const Bin& b = v.bins[i];
      if (b.kind != BinKind::regular) continue;
      const std::string pts = sql_number(points_[j][i]);
      if (v.categorical) {
        if (b.categories.empty()) continue;
        std::string list;
        for (const auto& c : b.categories) list += (list.empty() ? "" : ", ") + sql_category(c, v.category_type);
        expr += fmt::format(" WHEN {} IN ({}) THEN {}", col, list, pts);
      } else if (std::isinf(b.upper)) {
        expr += fmt::format(" WHEN {} >= {} THEN {}", col, std::isinf(b.lower) ? "-1e308" : sql_number(b.lower), pts);
      } else {
        expr += fmt::format(" WHEN {} < {} THEN {}", col, sql_number(b.upper), pts);
      }
    }
    expr += " ELSE 0 END";
    sql += fmt::format("\n  + ({})", expr);
  }
  return sql;
}

io::Json ScorecardModel::to_json() const {
  io::Json j;
  j["intercept"] = intercept;
  j["scaling"] = {{"pdo", scaling.pdo}, {"base_score", scaling.base_score}, {"base_odds", scaling.base_odds}};
  j["round_points"] = round_points;
  j["base_points"] = base_points_;
  io::Json names = io::Json::array();
  io::Json binnings = io::Json::array();
  for (std::size_t k = 0; k < variables.size(); ++k) {
    io::Json v = variables[k].to_json();
    v["coefficient"] = coefficients[k];
    v["points"] = k < points_.size() ? io::json_from_doubles(points_[k]) : io::Json::array();
    names.push_back(variables[k].name);
    binnings.push_back(std::move(v));
  }
  for (const auto& c : candidates) binnings.push_back(c.to_json());
  j["variables"] = std::move(names);
  j["binnings"] = std::move(binnings);
  if (logistic) j["logistic"] = logistic_to_json(*logistic);
  if (!metadata.empty()) j["metadata"] = metadata;
  return j;
}

ScorecardModel ScorecardModel::from_json(const io::Json& j, int schema_version) {
  if (!j.is_object()) throw ModelFormatError("scorecard: the model must be an object");
  ScorecardModel m;
  m.intercept = io::double_from_json(io::require_field(j, "intercept", "scorecard"), "intercept");
  const io::Json& s = io::require_field(j, "scaling", "scorecard");
  if (!s.is_object()) throw ModelFormatError("scorecard: 'scaling' must be an object");
  m.scaling.pdo = io::double_from_json(io::require_field(s, "pdo", "scaling"), "pdo");
  m.scaling.base_score = io::double_from_json(io::require_field(s, "base_score", "scaling"), "base_score");
  m.scaling.base_odds = io::double_from_json(io::require_field(s, "base_odds", "scaling"), "base_odds");
  const io::Json& rp = io::require_field(j, "round_points", "scorecard");
  if (!rp.is_boolean()) throw ModelFormatError("scorecard: 'round_points' must be true or false");
  m.round_points = rp.get<bool>();
  // The scored binnings with their stored coefficient and points.
  std::vector<const io::Json*> scored;
  if (schema_version >= 2) {
    const io::Json& names = io::require_field(j, "variables", "scorecard");
    const io::Json& binnings = io::require_field(j, "binnings", "scorecard");
    if (!names.is_array() || !binnings.is_array()) throw ModelFormatError("scorecard: 'variables' and 'binnings' must be lists");
    std::map<std::string, const io::Json*> by_name;
    for (const io::Json& b : binnings) {
      if (!b.is_object() || !b.contains("name") || !b["name"].is_string()) {
        throw ModelFormatError("scorecard: every binning needs a name");
      }
      if (!by_name.emplace(b["name"].get<std::string>(), &b).second) {
        throw ModelFormatError(fmt::format("scorecard: the binning '{}' appears twice", b["name"].get<std::string>()));
      }
    }
    for (const io::Json& name : names) {
      if (!name.is_string()) throw ModelFormatError("scorecard: 'variables' must hold names");
      const auto it = by_name.find(name.get<std::string>());
      if (it == by_name.end()) {
        throw ModelFormatError(fmt::format("scorecard: no binning for the variable '{}'", name.get<std::string>()));
      }
      scored.push_back(it->second);
      by_name.erase(it);
    }
    for (const io::Json& b : binnings) {
      if (by_name.count(b["name"].get<std::string>())) m.candidates.push_back(VariableBinning::from_json(b));
    }
  } else {
    const io::Json& vars = io::require_field(j, "variables", "scorecard");
    if (!vars.is_array()) throw ModelFormatError("scorecard: 'variables' must be a list");
    for (const io::Json& v : vars) scored.push_back(&v);
  }
  for (const io::Json* v : scored) {
    m.variables.push_back(VariableBinning::from_json(*v));
    m.coefficients.push_back(io::double_from_json(io::require_field(*v, "coefficient", "variable"), "coefficient"));
  }
  try {
    m.compute_points();
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(fmt::format("scorecard: {}", e.what()));
  }
  // The stored points must agree with the ones derived from the model: a hand-edited or corrupted
  // file would otherwise score differently from its own printed table.
  const double stored_base = io::double_from_json(io::require_field(j, "base_points", "scorecard"), "base_points");
  if (!stored_points_match(stored_base, m.base_points_)) {
    throw ModelFormatError(fmt::format("scorecard: stored base points {} do not match the model's {}", stored_base,
                                       m.base_points_));
  }
  for (std::size_t k = 0; k < scored.size(); ++k) {
    const auto stored = io::doubles_from_json(io::require_field(*scored[k], "points", "variable"), "points");
    if (stored.size() != m.points_[k].size()) {
      throw ModelFormatError(fmt::format("scorecard: variable '{}' has {} points for {} bins", m.variables[k].name,
                                         stored.size(), m.points_[k].size()));
    }
    for (std::size_t i = 0; i < stored.size(); ++i) {
      if (!stored_points_match(stored[i], m.points_[k][i])) {
        throw ModelFormatError(fmt::format("scorecard: stored points of '{}' bin {} ({}) do not match the model ({})",
                                           m.variables[k].name, i, stored[i], m.points_[k][i]));
      }
    }
  }
  if (j.contains("logistic")) {
    m.logistic = logistic_from_json(j["logistic"]);
    const Eigen::Index offset = m.logistic->coefficients.size() - static_cast<Eigen::Index>(m.coefficients.size());
    if (offset < 0 || offset > 1) throw ModelFormatError("scorecard: the logistic fit has the wrong number of coefficients");
    for (std::size_t k = 0; k < m.coefficients.size(); ++k) {
      if (!stored_points_match(m.logistic->coefficients(static_cast<Eigen::Index>(k) + offset), m.coefficients[k])) {
        throw ModelFormatError(fmt::format("scorecard: the logistic fit's coefficient of '{}' differs from the model's",
                                           m.variables[k].name));
      }
    }
  }
  if (j.contains("metadata")) m.metadata = j["metadata"];
  return m;
}

void ScorecardModel::save(const std::string& path) const { io::save_model(path, kKind, kSchemaVersion, to_json()); }

ScorecardModel ScorecardModel::load(const std::string& path) {
  const auto doc = io::load_model(path, kKind, kSchemaVersion);
  return from_json(doc.model, doc.schema_version);
}

void ScorecardOptions::validate() const {
  binning.validate();
  if (binning.defaults.target != TargetType::binary) check::fail("target", "a scorecard needs a binary target");
  screening.validate();
  logistic.validate();
  scaling.validate();
}

ScorecardFit fit_scorecard(const std::vector<ColumnView>& columns, std::span<const double> y,
                           std::span<const double> weights, const ScorecardOptions& o) {
  o.validate();
  for (const auto& v : o.variables) {
    if (std::none_of(columns.begin(), columns.end(), [&](const ColumnView& c) { return c.name == v; })) {
      check::fail("variables", fmt::format("'{}' is not a column of X", v));
    }
  }
  ScorecardFit fit;
  BinningProcessOptions process = o.binning;
  process.selection = SelectionOptions{};  // the screening below selects
  process.selection.keep_separating = true;
  fit.binning = bin_table(columns, y, weights, process);
  const auto& binnings = fit.binning.binnings;
  const TableTransform woe = transform_table(binnings, columns);

  std::vector<std::size_t> chosen;
  if (!o.variables.empty()) {
    fit.screening.kept.assign(binnings.size(), false);
    fit.screening.reasons.assign(binnings.size(), "not in 'variables'");
    for (const auto& b : binnings) {
      fit.screening.names.push_back(b.name);
      fit.screening.iv.push_back(b.total_iv);
      fit.screening.missing_rate.push_back(b.missing_share);
      fit.screening.single_value_share.push_back(b.largest_value_share);
    }
    for (const auto& v : o.variables) {
      for (std::size_t j = 0; j < binnings.size(); ++j) {
        if (binnings[j].name == v) {
          chosen.push_back(j);
          fit.screening.kept[j] = true;
          fit.screening.reasons[j].clear();
        }
      }
    }
    fit.screening.selected = chosen;
  } else {
    fit.screening = screen(binnings, woe.values, weights, o.screening);
    chosen = fit.screening.selected;
  }
  if (chosen.empty()) {
    // Name the screening limit that dropped each characteristic (the first few), so the user
    // knows which argument to relax: a leak is not cured by lowering min_iv.
    std::string why;
    const std::size_t shown = std::min<std::size_t>(binnings.size(), 5);
    for (std::size_t j = 0; j < shown; ++j) {
      why += fmt::format("{}{}: {}", j ? "; " : "", binnings[j].name, fit.screening.reasons[j]);
    }
    if (shown < binnings.size()) why += fmt::format("; and {} more", binnings.size() - shown);
    check::fail("X", fmt::format("no characteristic passed the screening ({}); relax the screening argument named "
                                 "in the reason or check the data",
                                 why));
  }
  // The design matrix of the chosen characteristics: rows x characteristics.
  RowMatrix X(woe.values.cols(), static_cast<Eigen::Index>(chosen.size()));
  for (std::size_t c = 0; c < chosen.size(); ++c) X.col(static_cast<Eigen::Index>(c)) = woe.values.row(static_cast<Eigen::Index>(chosen[c])).transpose();
  LogisticResult model;
  if (o.stepwise) {
    StepwiseOptions so;
    so.direction = *o.stepwise;
    so.criterion = o.criterion;
    so.logistic = o.logistic;
    fit.stepwise = stepwise(X, y, weights, so);
    for (auto& step : fit.stepwise.history) step.variable = chosen[step.variable];  // as binning indices
    std::vector<std::size_t> kept_order;
    for (std::size_t s : fit.stepwise.selected) kept_order.push_back(s);
    std::sort(kept_order.begin(), kept_order.end());  // keep the screening's (IV) order
    for (std::size_t c = 0; c < chosen.size(); ++c) {
      if (!std::binary_search(kept_order.begin(), kept_order.end(), c)) {
        fit.screening.kept[chosen[c]] = false;
        fit.screening.reasons[chosen[c]] = fmt::format("left out by {} stepwise selection ({})", enum_name(*o.stepwise),
                                                       enum_name(o.criterion));
      }
    }
    std::vector<std::size_t> next;
    for (std::size_t s : kept_order) next.push_back(chosen[s]);
    for (auto& s : fit.stepwise.selected) s = chosen[s];
    if (next.empty()) check::fail("stepwise", "stepwise selection kept no characteristic");
    RowMatrix Xs(X.rows(), static_cast<Eigen::Index>(kept_order.size()));
    for (std::size_t c = 0; c < kept_order.size(); ++c) Xs.col(static_cast<Eigen::Index>(c)) = X.col(static_cast<Eigen::Index>(kept_order[c]));
    chosen = next;
    fit.screening.selected = chosen;
    model = fit_logistic(Xs, y, weights, o.logistic);
  } else {
    model = fit_logistic(X, y, weights, o.logistic);
  }
  if (!model.status.usable()) throw ConvergenceError(fmt::format("logistic regression: {}", model.status.message));
  ScorecardModel& card = fit.model;
  const Eigen::Index offset = o.logistic.fit_intercept ? 1 : 0;
  card.intercept = o.logistic.fit_intercept ? model.coefficients(0) : 0.0;
  for (std::size_t c = 0; c < chosen.size(); ++c) {
    card.variables.push_back(binnings[chosen[c]]);
    card.coefficients.push_back(model.coefficients(static_cast<Eigen::Index>(c) + offset));
    if (card.coefficients.back() < 0) fit.sign_violations.push_back(binnings[chosen[c]].name);
  }
  for (std::size_t j = 0; j < binnings.size(); ++j) {
    if (std::find(chosen.begin(), chosen.end(), j) == chosen.end()) card.candidates.push_back(binnings[j]);
  }
  card.scaling = o.scaling;
  card.round_points = o.round_points;
  card.logistic = model;
  card.compute_points();
  return fit;
}

}  // namespace bankquant::scorecard
