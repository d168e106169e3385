// VariableBinning <-> JSON (the model-file layout of one binning, schema 2 of the scorecard and
// binning files). Reading checks what a hand-edited or corrupted file could break: kinds, the
// order and contiguity of numeric bins, counts, and that the stored WoE/IV equal the ones the
// counts give, so a file cannot transform differently from its own table.
#include <cmath>

#include <fmt/format.h>

#include "bankquant/core/errors.hpp"
#include "bankquant/scorecard/binning.hpp"
#include "binning_internal.hpp"

namespace bankquant::scorecard {
namespace {

io::Json counts_to_json(const BinCounts& c) {
  return {{"count", c.count}, {"events", c.events}, {"non_events", c.non_events}, {"sum_squares", c.sum_squares},
          {"rows", c.rows}, {"event_rows", c.event_rows}};
}

BinCounts counts_from_json(const io::Json& e, const std::string& context) {
  BinCounts c;
  c.count = io::double_from_json(io::require_field(e, "count", context), "count");
  c.events = io::double_from_json(io::require_field(e, "events", context), "events");
  c.non_events = io::double_from_json(io::require_field(e, "non_events", context), "non_events");
  c.sum_squares = e.contains("sum_squares") ? io::double_from_json(e["sum_squares"], "sum_squares") : 0.0;
  c.rows = e.contains("rows") ? io::double_from_json(e["rows"], "rows") : c.count;
  c.event_rows = e.contains("event_rows") ? io::double_from_json(e["event_rows"], "event_rows") : c.events;
  for (double v : {c.count, c.rows, c.event_rows}) {
    if (!std::isfinite(v) || v < 0) throw ModelFormatError(fmt::format("{}: counts must be finite and >= 0", context));
  }
  for (double v : {c.events, c.non_events, c.sum_squares}) {
    if (!std::isfinite(v)) throw ModelFormatError(fmt::format("{}: counts must be finite", context));
  }
  if (c.event_rows > c.rows) throw ModelFormatError(fmt::format("{}: more event rows than rows", context));
  return c;
}

template <typename T>
T get_as(const io::Json& j, std::string_view key, const std::string& context) {
  const io::Json& v = io::require_field(j, key, context);
  try {
    return v.get<T>();
  } catch (const io::Json::exception&) {
    throw ModelFormatError(fmt::format("{}: field '{}' has the wrong type", context, key));
  }
}

template <typename E>
E enum_from_json(const io::Json& j, std::string_view key, const std::string& context, E fallback) {
  if (!j.contains(key)) return fallback;
  const auto name = get_as<std::string>(j, key, context);
  for (const auto& [v, n] : enum_table<E>()) {
    if (n == name) return v;
  }
  throw ModelFormatError(fmt::format("{}: unknown {} '{}' (expected one of {})", context, key, name, enum_choices<E>()));
}

bool stored_value_matches(double a, double b) { return std::abs(a - b) <= 1e-9 * (1 + std::abs(a) + std::abs(b)); }

}  // namespace

io::Json VariableBinning::to_json() const {
  io::Json j;
  j["name"] = name;
  j["categorical"] = categorical;
  j["category_type"] = std::string(enum_name(category_type));
  j["target"] = std::string(enum_name(target));
  j["method"] = method;
  j["status"] = status;
  j["woe_adjustment"] = woe_adjustment;
  j["total"] = counts_to_json(total);
  j["missing_share"] = missing_share;
  j["largest_value_share"] = largest_value_share;
  j["separates"] = separates;
  io::Json list = io::Json::array();
  for (const Bin& b : bins) {
    io::Json e = counts_to_json(b.counts);
    e["kind"] = std::string(enum_name(b.kind));
    if (b.kind == BinKind::regular && !categorical) {
      e["lower"] = io::json_from_double(b.lower);
      e["upper"] = io::json_from_double(b.upper);
    }
    if (b.kind == BinKind::special && !categorical) e["values"] = b.special_values;
    if (categorical && b.kind != BinKind::missing) e["categories"] = b.categories;
    e["woe"] = b.woe;
    e["iv"] = b.iv;
    list.push_back(std::move(e));
  }
  j["bins"] = std::move(list);
  io::Json fine = io::Json::array();
  for (const BinCounts& c : fine_counts) fine.push_back(counts_to_json(c));
  j["fine_counts"] = std::move(fine);
  if (categorical) {
    j["fine_categories"] = fine_categories;
  } else {
    j["fine_cuts"] = io::json_from_doubles(fine_cuts);
  }
  return j;
}

VariableBinning VariableBinning::from_json(const io::Json& j) {
  if (!j.is_object()) throw ModelFormatError("binning: expected an object");
  VariableBinning b;
  b.name = get_as<std::string>(j, "name", "binning");
  const std::string ctx = fmt::format("binning '{}'", b.name);
  b.categorical = get_as<bool>(j, "categorical", ctx);
  b.category_type = enum_from_json<CategoryType>(j, "category_type", ctx, CategoryType::text);
  b.target = enum_from_json<TargetType>(j, "target", ctx, TargetType::binary);
  b.method = j.contains("method") ? get_as<std::string>(j, "method", ctx) : "";
  b.status = j.contains("status") ? get_as<std::string>(j, "status", ctx) : "";
  b.woe_adjustment = j.contains("woe_adjustment") ? io::double_from_json(j["woe_adjustment"], "woe_adjustment")
                                                  : kDefaultWoeAdjustment;
  if (!(b.woe_adjustment > 0) || !std::isfinite(b.woe_adjustment)) {
    throw ModelFormatError(fmt::format("{}: woe_adjustment must be positive", ctx));
  }
  if (j.contains("total")) {
    b.total = counts_from_json(j["total"], ctx);
  } else {  // schema 1: totals only
    b.total.events = io::double_from_json(io::require_field(j, "total_events", ctx), "total_events");
    b.total.non_events = io::double_from_json(io::require_field(j, "total_non_events", ctx), "total_non_events");
    b.total.count = b.total.rows = b.total.events + b.total.non_events;
    b.total.event_rows = b.total.events;
  }
  if (b.target == TargetType::binary && (!(b.total.events > 0) || !(b.total.non_events > 0))) {
    throw ModelFormatError(fmt::format("{}: the totals need events and non-events", ctx));
  }
  if (!(b.total.count > 0)) throw ModelFormatError(fmt::format("{}: the total count must be positive", ctx));
  b.missing_share = j.contains("missing_share") ? io::double_from_json(j["missing_share"], "missing_share") : 0.0;
  b.largest_value_share =
      j.contains("largest_value_share") ? io::double_from_json(j["largest_value_share"], "largest_value_share") : 0.0;
  const io::Json& bins = io::require_field(j, "bins", ctx);
  if (!bins.is_array() || bins.empty()) throw ModelFormatError(fmt::format("{}: 'bins' must be a non-empty list", ctx));
  bool regular_done = false, have_missing = false;
  double previous_upper = -std::numeric_limits<double>::infinity();
  for (const io::Json& e : bins) {
    if (!e.is_object()) throw ModelFormatError(fmt::format("{}: a bin must be an object", ctx));
    Bin bin;
    bin.kind = enum_from_json<BinKind>(e, "kind", ctx, BinKind::regular);
    if (!e.contains("kind")) throw ModelFormatError(fmt::format("{}: a bin has no kind", ctx));
    if (bin.kind == BinKind::regular) {
      if (regular_done) throw ModelFormatError(fmt::format("{}: regular bins must come first", ctx));
      if (b.categorical) {
        bin.categories = get_as<std::vector<std::string>>(e, "categories", ctx);
      } else {
        bin.lower = io::double_from_json(io::require_field(e, "lower", ctx), "lower");
        bin.upper = io::double_from_json(io::require_field(e, "upper", ctx), "upper");
        if (bin.lower != previous_upper || !(bin.upper > bin.lower) || std::isnan(bin.upper)) {
          throw ModelFormatError(fmt::format("{}: numeric bins must be contiguous, from -inf up to +inf", ctx));
        }
        previous_upper = bin.upper;
      }
    } else {
      if (!regular_done && !b.categorical && previous_upper != std::numeric_limits<double>::infinity()) {
        throw ModelFormatError(fmt::format("{}: numeric bins must be contiguous, from -inf up to +inf", ctx));
      }
      regular_done = true;
      if (bin.kind == BinKind::missing) {
        if (have_missing) throw ModelFormatError(fmt::format("{}: two missing bins", ctx));
        have_missing = true;
      } else if (b.categorical) {
        bin.categories = get_as<std::vector<std::string>>(e, "categories", ctx);
      } else if (e.contains("values")) {
        bin.special_values = io::doubles_from_json(e["values"], "values");
      } else {
        bin.special_values = {io::double_from_json(io::require_field(e, "value", ctx), "value")};  // schema 1
      }
      for (double v : bin.special_values) {
        if (!std::isfinite(v)) throw ModelFormatError(fmt::format("{}: special values must be finite", ctx));
      }
    }
    bin.counts = counts_from_json(e, ctx);
    bin.woe = io::double_from_json(io::require_field(e, "woe", ctx), "woe");
    bin.iv = io::double_from_json(io::require_field(e, "iv", ctx), "iv");
    b.bins.push_back(std::move(bin));
  }
  if (!b.categorical && !regular_done && previous_upper != std::numeric_limits<double>::infinity()) {
    throw ModelFormatError(fmt::format("{}: numeric bins must be contiguous, from -inf up to +inf", ctx));
  }
  if (b.bins.front().kind != BinKind::regular) throw ModelFormatError(fmt::format("{}: no regular bin", ctx));
  if (!have_missing) throw ModelFormatError(fmt::format("{}: no missing bin", ctx));
  if (j.contains("fine_counts")) {
    for (const io::Json& e : j["fine_counts"]) b.fine_counts.push_back(counts_from_json(e, ctx));
    if (b.categorical) {
      b.fine_categories = get_as<std::vector<std::string>>(j, "fine_categories", ctx);
      if (b.fine_categories.size() != b.fine_counts.size()) {
        throw ModelFormatError(fmt::format("{}: fine categories and counts differ in length", ctx));
      }
    } else {
      b.fine_cuts = io::doubles_from_json(io::require_field(j, "fine_cuts", ctx), "fine_cuts");
      if (!b.fine_counts.empty() && b.fine_cuts.size() + 1 != b.fine_counts.size()) {
        throw ModelFormatError(fmt::format("{}: fine cuts and counts differ in length", ctx));
      }
      for (std::size_t i = 0; i < b.fine_cuts.size(); ++i) {
        if (!std::isfinite(b.fine_cuts[i]) || (i > 0 && !(b.fine_cuts[i] > b.fine_cuts[i - 1]))) {
          throw ModelFormatError(fmt::format("{}: fine cuts must be finite and increasing", ctx));
        }
      }
    }
  }
  // Categories: each in one bin only.
  std::vector<std::string> all;
  for (const Bin& bin : b.bins) all.insert(all.end(), bin.categories.begin(), bin.categories.end());
  std::sort(all.begin(), all.end());
  if (std::adjacent_find(all.begin(), all.end()) != all.end()) {
    throw ModelFormatError(fmt::format("{}: the category '{}' is in two bins", ctx, *std::adjacent_find(all.begin(), all.end())));
  }
  // The stored WoE/IV must be the ones the counts give.
  std::vector<std::pair<double, double>> stored;
  for (const Bin& bin : b.bins) stored.emplace_back(bin.woe, bin.iv);
  b.refresh();
  for (std::size_t k = 0; k < b.bins.size(); ++k) {
    if (!stored_value_matches(stored[k].first, b.bins[k].woe) || !stored_value_matches(stored[k].second, b.bins[k].iv)) {
      throw ModelFormatError(fmt::format("{}: bin {} stores WoE {} and IV {}, its counts give {} and {}", ctx, k,
                                         stored[k].first, stored[k].second, b.bins[k].woe, b.bins[k].iv));
    }
  }
  b.index();
  detail::note_purity(b);
  b.status = j.contains("status") ? get_as<std::string>(j, "status", ctx) : b.status;
  return b;
}

}  // namespace bankquant::scorecard
