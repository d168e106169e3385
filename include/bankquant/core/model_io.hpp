// bankquant/core/model_io.hpp — versioned JSON files for fitted models.
//
// Every fitted model (scorecard, binning, GARCH, ETS, ...) saves as one JSON document that C++ and
// Python read alike:
//
//   { "format": "bankquant-model", "kind": "scorecard", "schema_version": 1,
//     "library_version": "0.1.0", "model": { ...the model's own fields... } }
//
// Each kind owns its schema version and bumps it when the layout changes; a reader accepts every
// version up to its own and refuses a newer file with a clear ModelFormatError, as it refuses a
// file that is not JSON, not a bankquant model, or another kind of model.
//
// JSON has no inf/nan; doubles that may be non-finite (bin edges are +-inf) go through
// json_from_double / double_from_json, which write them as the strings "inf", "-inf", "nan".
// Finite doubles are written with the shortest representation that reads back to the same bits.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "bankquant/export.hpp"

namespace bankquant::io {

using Json = nlohmann::json;

inline constexpr std::string_view kModelFormat = "bankquant-model";

/// Wraps a model's fields in the versioned envelope.
[[nodiscard]] BANKQUANT_EXPORT Json make_model_document(std::string_view kind, int schema_version, Json model);

struct ModelDocument {
  std::string kind;
  int schema_version = 0;
  std::string library_version;
  Json model;
};

/// Checks the envelope and returns its parts. `expected_kind` empty accepts any kind;
/// `max_schema_version` is the newest layout the caller can read. Throws ModelFormatError.
[[nodiscard]] BANKQUANT_EXPORT ModelDocument read_model_document(const Json& document, std::string_view expected_kind,
                                                                 int max_schema_version);

/// Parses text as JSON; throws ModelFormatError with the parser's position on failure.
[[nodiscard]] BANKQUANT_EXPORT Json parse_json(std::string_view text, std::string_view source = "<string>");

/// Writes JSON to a file (atomically: a temporary file renamed into place, so a crash never
/// leaves half a model). Throws ModelFormatError when the file cannot be written.
BANKQUANT_EXPORT void write_json_file(const std::filesystem::path& path, const Json& document);

/// Reads and parses a JSON file; throws ModelFormatError when missing, unreadable or corrupted.
[[nodiscard]] BANKQUANT_EXPORT Json read_json_file(const std::filesystem::path& path);

/// Convenience: make_model_document + write_json_file.
BANKQUANT_EXPORT void save_model(const std::filesystem::path& path, std::string_view kind, int schema_version,
                                 Json model);

/// Convenience: read_json_file + read_model_document.
[[nodiscard]] BANKQUANT_EXPORT ModelDocument load_model(const std::filesystem::path& path,
                                                        std::string_view expected_kind, int max_schema_version);

/// A double as JSON: a number when finite, else "inf", "-inf" or "nan".
[[nodiscard]] BANKQUANT_EXPORT Json json_from_double(double value);

/// Reads what json_from_double wrote; throws ModelFormatError naming `field` otherwise.
[[nodiscard]] BANKQUANT_EXPORT double double_from_json(const Json& value, std::string_view field);

[[nodiscard]] BANKQUANT_EXPORT Json json_from_doubles(const std::vector<double>& values);
[[nodiscard]] BANKQUANT_EXPORT std::vector<double> doubles_from_json(const Json& value, std::string_view field);

/// The member `key` of object `object`; throws ModelFormatError naming the path when missing.
[[nodiscard]] BANKQUANT_EXPORT const Json& require_field(const Json& object, std::string_view key,
                                                         std::string_view context);

}  // namespace bankquant::io
