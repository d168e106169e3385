#include "bankquant/scorecard/column.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::scorecard {

std::string category_key(double value, CategoryType type) {
  if (type == CategoryType::boolean) return value != 0.0 ? "true" : "false";
  if (value == 0.0) return "0";  // 0 and -0 are one category
  return fmt::format("{}", value);  // shortest round-trip form: 1.0 -> "1", 2.5 -> "2.5"
}

bool canonical_key(std::string_view text, CategoryType type, std::string& key) {
  if (type == CategoryType::text) {
    key = std::string(text);
    return true;
  }
  std::string_view t = text;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r')) t.remove_suffix(1);
  if (type == CategoryType::boolean) {
    if (t == "true" || t == "True" || t == "TRUE" || t == "1") {
      key = "true";
      return true;
    }
    if (t == "false" || t == "False" || t == "FALSE" || t == "0") {
      key = "false";
      return true;
    }
    return false;
  }
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  double v = 0.0;
  const auto [end, error] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (error != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) return false;
  key = category_key(v, type);
  return true;
}

void check_column(const ColumnView& c) {
  const int forms = !c.numbers.empty() + !c.strings.empty() + !c.codes.empty();
  if (forms > 1) check::fail(c.name, "expected exactly one of numbers, strings or codes");
  if (!c.categorical && (!c.strings.empty() || !c.codes.empty())) {
    check::fail(c.name, "a numeric column must be given as numbers");
  }
  if (!c.codes.empty()) {
    if (c.type == CategoryType::text && !c.number_keys.empty()) check::fail(c.name, "text codes need text keys");
    if (c.type != CategoryType::text && !c.keys.empty()) check::fail(c.name, "number codes need number keys");
  }
  if (!c.strings.empty() && c.type != CategoryType::text) {
    // strings of numbers or booleans are parsed (canonical_key); nothing to check here
  }
}

}  // namespace bankquant::scorecard
