#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/graph/edge_batch.hpp"

namespace bankquant::graph {
namespace {

// Splits text into records of fields (RFC 4180: quoted fields may hold commas, newlines and "").
class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}

  /// The next record's fields; false at the end of the text.
  bool next(std::vector<std::string>& fields) {
    fields.clear();
    if (at_ >= text_.size()) return false;
    ++row_;
    std::string field;
    bool quoted = false, was_quoted = false;
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (quoted) {
        if (c == '"') {
          if (at_ < text_.size() && text_[at_] == '"') {
            field += '"';
            ++at_;
          } else {
            quoted = false;
          }
        } else {
          field += c;
        }
      } else if (c == '"' && field.empty() && !was_quoted) {
        quoted = was_quoted = true;
      } else if (c == ',') {
        fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else if (c == '\n') {
        break;
      } else if (c != '\r') {
        field += c;
      }
    }
    if (quoted) throw InvalidArgument(fmt::format("argument 'text': row {}: a quoted field is not closed", row_));
    fields.push_back(std::move(field));
    return true;
  }
  [[nodiscard]] std::size_t row() const { return row_; }

 private:
  std::string_view text_;
  std::size_t at_ = 0, row_ = 0;
};

[[noreturn]] void bad_field(std::size_t row, std::string_view column, std::string_view what, std::string_view value) {
  std::string shown(value.substr(0, 40));
  if (value.size() > 40) shown += "...";
  throw InvalidArgument(fmt::format("argument 'text': row {}, column '{}': {}, got '{}'", row, column, what, shown));
}

}  // namespace

void EdgeCsvOptions::validate() const {
  if (src.empty()) check::fail("src", "expected a column name");
  if (dst.empty()) check::fail("dst", "expected a column name");
  check::integer_at_least("max_rows", max_rows, 1);
}

EdgeRecords read_edge_csv(std::string_view text, const EdgeCsvOptions& o) {
  o.validate();
  CsvReader reader(text);
  std::vector<std::string> header, fields;
  if (!reader.next(header)) check::fail("text", "expected a header row, got no text");
  auto column = [&](const std::string& name, const char* argument, bool required) -> std::ptrdiff_t {
    if (name.empty() && !required) return -1;
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) check::fail(argument, fmt::format("no column '{}' in the header", name));
    return it - header.begin();
  };
  const auto c_src = column(o.src, "src", true), c_dst = column(o.dst, "dst", true);
  const auto c_amount = column(o.amount, "amount", false), c_time = column(o.timestamp, "timestamp", false);
  EdgeRecords r;
  while (reader.next(fields)) {
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    const std::size_t row = reader.row() - 1;  // data rows from 1, after the header
    if (fields.size() != header.size()) {
      throw InvalidArgument(fmt::format("argument 'text': row {} has {} fields, the header {}", row, fields.size(), header.size()));
    }
    if (static_cast<std::int64_t>(r.size()) >= o.max_rows) {
      check::fail("max_rows", fmt::format("the batch has more than {} rows", o.max_rows));
    }
    const std::string& s = fields[static_cast<std::size_t>(c_src)];
    const std::string& d = fields[static_cast<std::size_t>(c_dst)];
    if (s.empty()) bad_field(row, o.src, "expected an account id", s);
    if (d.empty()) bad_field(row, o.dst, "expected an account id", d);
    if (c_amount >= 0) {
      const std::string& f = fields[static_cast<std::size_t>(c_amount)];
      double a = 0;
      const auto [end, error] = std::from_chars(f.data(), f.data() + f.size(), a);
      if (error != std::errc() || end != f.data() + f.size() || f.empty()) bad_field(row, o.amount, "expected a number", f);
      if (!std::isfinite(a) || a < 0) bad_field(row, o.amount, "expected a finite amount >= 0", f);
      r.amount.push_back(a);
    }
    if (c_time >= 0) {
      const std::string& f = fields[static_cast<std::size_t>(c_time)];
      std::int64_t t = 0;
      const auto [end, error] = std::from_chars(f.data(), f.data() + f.size(), t);
      if (error != std::errc() || end != f.data() + f.size() || f.empty()) bad_field(row, o.timestamp, "expected an integer", f);
      r.timestamp.push_back(t);
    }
    r.src.push_back(s);
    r.dst.push_back(d);
  }
  return r;
}

NodeIndex NodeIndex::sorted(const EdgeRecords& records) {
  std::vector<std::string> names(records.src);
  names.insert(names.end(), records.dst.begin(), records.dst.end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (names.size() > static_cast<std::size_t>(INT32_MAX)) check::fail("records", "more than 2^31 accounts");
  NodeIndex index;
  index.code_.reserve(names.size());
  for (std::size_t k = 0; k < names.size(); ++k) index.code_.emplace(names[k], static_cast<std::int32_t>(k));
  index.names_ = std::move(names);
  return index;
}

std::vector<std::int32_t> NodeIndex::encode(std::span<const std::string> names) {
  std::vector<std::int32_t> out;
  out.reserve(names.size());
  for (const std::string& name : names) {
    if (names_.size() >= static_cast<std::size_t>(INT32_MAX)) check::fail("names", "more than 2^31 accounts");
    auto [it, fresh] = code_.try_emplace(name, static_cast<std::int32_t>(names_.size()));
    if (fresh) names_.push_back(name);
    out.push_back(it->second);
  }
  return out;
}

std::int32_t NodeIndex::find(std::string_view name) const {
  const auto it = code_.find(std::string(name));
  return it == code_.end() ? -1 : it->second;
}

}  // namespace bankquant::graph
