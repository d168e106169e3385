#include "bankquant/core/model_io.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "bankquant/core/errors.hpp"
#include "bankquant/core/version.hpp"

namespace bankquant::io {

Json make_model_document(std::string_view kind, int schema_version, Json model) {
  Json doc;
  doc["format"] = kModelFormat;
  doc["kind"] = kind;
  doc["schema_version"] = schema_version;
  doc["library_version"] = BANKQUANT_VERSION_STRING;
  doc["model"] = std::move(model);
  return doc;
}

const Json& require_field(const Json& object, std::string_view key, std::string_view context) {
  if (!object.is_object()) {
    throw ModelFormatError(fmt::format("{}: expected a JSON object, found {}", context, object.type_name()));
  }
  const auto it = object.find(key);
  if (it == object.end()) throw ModelFormatError(fmt::format("{}: missing field '{}'", context, key));
  return *it;
}

ModelDocument read_model_document(const Json& document, std::string_view expected_kind, int max_schema_version) {
  if (!document.is_object() || !document.contains("format") || document["format"] != kModelFormat) {
    throw ModelFormatError(fmt::format("not a bankquant model file: expected a JSON object with \"format\": \"{}\"",
                                       kModelFormat));
  }
  ModelDocument out;
  const Json& kind = require_field(document, "kind", "model file");
  const Json& version = require_field(document, "schema_version", "model file");
  if (!kind.is_string()) throw ModelFormatError("model file: field 'kind' must be a string");
  if (!version.is_number_integer()) throw ModelFormatError("model file: field 'schema_version' must be an integer");
  out.kind = kind.get<std::string>();
  out.schema_version = version.get<int>();
  if (!expected_kind.empty() && out.kind != expected_kind) {
    throw ModelFormatError(fmt::format("model file holds a '{}' model, expected a '{}' model", out.kind, expected_kind));
  }
  if (out.schema_version < 1) {
    throw ModelFormatError(fmt::format("model file: schema_version must be >= 1, got {}", out.schema_version));
  }
  const auto library = document.find("library_version");
  out.library_version = library != document.end() && library->is_string() ? library->get<std::string>() : "unknown";
  if (out.schema_version > max_schema_version) {
    throw ModelFormatError(fmt::format(
        "the '{}' model file has schema version {} (written by bankquant {}), but this bankquant ({}) reads "
        "versions up to {}: upgrade bankquant to load it",
        out.kind, out.schema_version, out.library_version, BANKQUANT_VERSION_STRING, max_schema_version));
  }
  out.model = require_field(document, "model", "model file");
  return out;
}

Json parse_json(std::string_view text, std::string_view source) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    // parse_error, and out_of_range for numbers beyond double (found by fuzzing: "3333333e3333333")
    throw ModelFormatError(fmt::format("{} is not valid JSON (corrupted or truncated?): {}", source, e.what()));
  }
}

void write_json_file(const std::filesystem::path& path, const Json& document) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw ModelFormatError(fmt::format("cannot open {} for writing", tmp.string()));
    out << document.dump(2) << '\n';
    out.flush();
    if (!out) throw ModelFormatError(fmt::format("failed writing {}", tmp.string()));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw ModelFormatError(fmt::format("cannot move the new file into place at {}", path.string()));
  }
}

Json read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ModelFormatError(fmt::format("cannot open model file {}: no such file or no permission", path.string()));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_json(buffer.str(), path.string());
}

void save_model(const std::filesystem::path& path, std::string_view kind, int schema_version, Json model) {
  write_json_file(path, make_model_document(kind, schema_version, std::move(model)));
}

ModelDocument load_model(const std::filesystem::path& path, std::string_view expected_kind, int max_schema_version) {
  return read_model_document(read_json_file(path), expected_kind, max_schema_version);
}

Json json_from_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return value;
}

double double_from_json(const Json& value, std::string_view field) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  }
  throw ModelFormatError(fmt::format("field '{}': expected a number (or \"inf\", \"-inf\", \"nan\"), found {}", field,
                                     value.dump()));
}

Json json_from_doubles(const std::vector<double>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(json_from_double(v));
  return out;
}

std::vector<double> doubles_from_json(const Json& value, std::string_view field) {
  if (!value.is_array()) throw ModelFormatError(fmt::format("field '{}': expected an array, found {}", field, value.type_name()));
  std::vector<double> out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) out.push_back(double_from_json(value[i], fmt::format("{}[{}]", field, i)));
  return out;
}

}  // namespace bankquant::io
