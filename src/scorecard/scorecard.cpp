#include "bankquant/scorecard/scorecard.hpp"

#include <cmath>
#include <numbers>

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
std::string sql_string(std::string_view s) { return sql_quoted(s, '\''); }

std::string sql_number(double v) { return fmt::format("{:.17g}", v); }

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

void ScorecardModel::compute_points() {
  scaling.validate();
  check::same_size("variables", variables.size(), "coefficients", coefficients.size());
  const double factor = scaling.factor();
  auto finish = [&](double v) { return (round_points ? std::nearbyint(v) : v) + 0.0; };  // + 0.0: no "-0"
  base_points_ = finish(scaling.offset() - factor * intercept);
  points_.assign(variables.size(), {});
  for (std::size_t j = 0; j < variables.size(); ++j) {
    for (const Bin& b : variables[j].bins) points_[j].push_back(finish(-factor * coefficients[j] * b.woe));
  }
}

ScoreResult ScorecardModel::score(const std::vector<ColumnView>& columns) const {
  if (points_.size() != variables.size()) throw NotFitted("scorecard: points are not computed (call compute_points)");
  // Match each variable to its column.
  std::vector<const ColumnView*> matched(variables.size(), nullptr);
  std::size_t n = 0;
  bool have_n = false;
  for (std::size_t j = 0; j < variables.size(); ++j) {
    for (const ColumnView& c : columns) {
      if (c.name == variables[j].name) matched[j] = &c;
    }
    if (matched[j] == nullptr) check::fail("columns", fmt::format("no column named '{}', which the scorecard uses", variables[j].name));
    const ColumnView& c = *matched[j];
    const std::size_t size = c.numbers.size() + c.strings.size() + c.bins.size();
    if ((!c.numbers.empty()) + (!c.strings.empty()) + (!c.bins.empty()) > 1) {
      check::fail(variables[j].name, "expected exactly one of numbers, strings or bin indices");
    }
    if (!have_n) {
      n = size;
      have_n = true;
    } else if (size != n) {
      check::fail(variables[j].name, fmt::format("expected {} rows like the other columns, got {}", n, size));
    }
    if (!variables[j].categorical && !c.strings.empty()) {
      check::fail(variables[j].name, "the scorecard bins this characteristic as numeric, got strings");
    }
    if (c.bins.size() > 0) {
      for (std::size_t i = 0; i < c.bins.size(); ++i) {
        if (c.bins[i] < -1 || c.bins[i] >= static_cast<std::int32_t>(variables[j].bins.size())) {
          check::fail(variables[j].name, fmt::format("bin index {} at row {} is out of range", c.bins[i], i));
        }
      }
    }
  }

  ScoreResult out;
  out.score.assign(n, base_points_);
  out.probability.assign(n, 0.0);
  out.unseen.assign(variables.size(), 0);
  std::vector<double> eta(n, intercept);
  const double factor = scaling.factor();
  (void)factor;
  std::vector<std::vector<std::size_t>> unseen_per_chunk;
  const std::size_t chunk = 16384;
  unseen_per_chunk.assign(chunk_count(n, chunk), std::vector<std::size_t>(variables.size(), 0));
  parallel_for_chunks(n, chunk, [&](std::size_t c, std::size_t begin, std::size_t end) {
    for (std::size_t j = 0; j < variables.size(); ++j) {
      const VariableBinning& v = variables[j];
      const ColumnView& col = *matched[j];
      const auto& pts = points_[j];
      for (std::size_t i = begin; i < end; ++i) {
        std::size_t b;
        if (!col.bins.empty()) {
          b = col.bins[i] < 0 ? VariableBinning::npos : static_cast<std::size_t>(col.bins[i]);
        } else if (!col.strings.empty()) {
          b = col.strings[i].empty() ? v.missing_bin() : v.bin_of(col.strings[i]);
        } else {
          b = v.bin_of(col.numbers[i]);
        }
        if (b == VariableBinning::npos) {
          ++unseen_per_chunk[c][j];
          continue;
        }
        out.score[i] += pts[b];
        eta[i] += coefficients[j] * v.bins[b].woe;
      }
    }
    for (std::size_t i = begin; i < end; ++i) out.probability[i] = 1.0 / (1.0 + std::exp(-eta[i]));
  });
  for (const auto& counts : unseen_per_chunk) {
    for (std::size_t j = 0; j < counts.size(); ++j) out.unseen[j] += counts[j];
  }
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
        expr += v.categorical ? fmt::format(" WHEN {0} IS NULL OR {0} = '' THEN {1}", col, pts)
                              : fmt::format(" WHEN {} IS NULL THEN {}", col, pts);
      } else if (b.kind == BinKind::special) {
        expr += fmt::format(" WHEN {} = {} THEN {}", col, sql_number(b.special_value), pts);
      }
    }
    for (std::size_t i = 0; i < v.bins.size(); ++i) {
      const Bin& b = v.bins[i];
      if (b.kind != BinKind::regular) continue;
      const std::string pts = sql_number(points_[j][i]);
      if (v.categorical) {
        if (b.categories.empty()) continue;
        std::string list;
        for (const auto& c : b.categories) list += (list.empty() ? "" : ", ") + sql_string(c);
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
  io::Json vars = io::Json::array();
  for (std::size_t k = 0; k < variables.size(); ++k) {
    io::Json v = variables[k].to_json();
    v["coefficient"] = coefficients[k];
    v["points"] = k < points_.size() ? io::json_from_doubles(points_[k]) : io::Json::array();
    vars.push_back(std::move(v));
  }
  j["variables"] = std::move(vars);
  return j;
}

ScorecardModel ScorecardModel::from_json(const io::Json& j) {
  ScorecardModel m;
  m.intercept = io::double_from_json(io::require_field(j, "intercept", "scorecard"), "intercept");
  const io::Json& s = io::require_field(j, "scaling", "scorecard");
  m.scaling.pdo = io::double_from_json(io::require_field(s, "pdo", "scaling"), "pdo");
  m.scaling.base_score = io::double_from_json(io::require_field(s, "base_score", "scaling"), "base_score");
  m.scaling.base_odds = io::double_from_json(io::require_field(s, "base_odds", "scaling"), "base_odds");
  m.round_points = io::require_field(j, "round_points", "scorecard").get<bool>();
  for (const io::Json& v : io::require_field(j, "variables", "scorecard")) {
    m.variables.push_back(VariableBinning::from_json(v));
    m.coefficients.push_back(io::double_from_json(io::require_field(v, "coefficient", "variable"), "coefficient"));
  }
  m.compute_points();
  // The stored points must agree with the ones derived from the model: a hand-edited or corrupted
  // file would otherwise score differently from its own printed table.
  const double stored_base = io::double_from_json(io::require_field(j, "base_points", "scorecard"), "base_points");
  if (std::abs(stored_base - m.base_points_) > 1e-6 * (1 + std::abs(stored_base))) {
    throw ModelFormatError(fmt::format("scorecard: stored base points {} do not match the model's {}", stored_base,
                                       m.base_points_));
  }
  std::size_t k = 0;
  for (const io::Json& v : j["variables"]) {
    const auto stored = io::doubles_from_json(io::require_field(v, "points", "variable"), "points");
    if (stored.size() != m.points_[k].size()) {
      throw ModelFormatError(fmt::format("scorecard: variable '{}' has {} points for {} bins", m.variables[k].name,
                                         stored.size(), m.points_[k].size()));
    }
    for (std::size_t i = 0; i < stored.size(); ++i) {
      if (std::abs(stored[i] - m.points_[k][i]) > 1e-6 * (1 + std::abs(stored[i]))) {
        throw ModelFormatError(fmt::format("scorecard: stored points of '{}' bin {} ({}) do not match the model ({})",
                                           m.variables[k].name, i, stored[i], m.points_[k][i]));
      }
    }
    ++k;
  }
  return m;
}

void ScorecardModel::save(const std::string& path) const { io::save_model(path, kKind, kSchemaVersion, to_json()); }

ScorecardModel ScorecardModel::load(const std::string& path) {
  return from_json(io::load_model(path, kKind, kSchemaVersion).model);
}

}  // namespace bankquant::scorecard
