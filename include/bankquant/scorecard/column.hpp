// bankquant/scorecard/column.hpp — one input column of a table, by name, as the scorecard reads it.
//
// A numeric characteristic arrives as numbers (NaN = missing). A categorical one arrives either as
// strings (an empty string = missing), or as codes into a table of distinct keys (code -1 =
// missing), which is what pandas.factorize gives: the per-row work is then an integer lookup and
// each distinct key is matched once.
//
// Category keys are typed. Text keys are used as they are; number keys are written in their
// shortest round-trip decimal form ("1" for both 1 and 1.0, "2.5", "1e+20"), and boolean keys as
// "false" / "true", so a characteristic fitted on the integer 1 matches the float 1.0 later, and
// a boolean column is never confused with the text "True".
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/export.hpp"

namespace bankquant::scorecard {

enum class CategoryType { text, number, boolean };
BANKQUANT_ENUM_NAMES(CategoryType, {text, "text"}, {number, "number"}, {boolean, "boolean"})

struct ColumnView {
  std::string_view name{};
  bool categorical = false;
  CategoryType type = CategoryType::text;   ///< of a categorical column's keys
  std::span<const double> numbers{};        ///< numeric values (NaN = missing), or number/boolean categories
  std::span<const std::string> strings{};    ///< text categories ("" = missing)
  std::span<const std::int32_t> codes{};    ///< codes into keys / number_keys (-1 = missing)
  std::span<const std::string> keys{};      ///< text keys of the codes
  std::span<const double> number_keys{};    ///< number or boolean (0/1) keys of the codes

  /// Rows of the column (whichever representation it has).
  [[nodiscard]] std::size_t size() const noexcept {
    return !codes.empty() ? codes.size() : !strings.empty() ? strings.size() : numbers.size();
  }
};

/// The canonical key of a number or boolean category (see the top of this file).
[[nodiscard]] BANKQUANT_EXPORT std::string category_key(double value, CategoryType type);

/// The canonical key of a category given as text: numbers and booleans are parsed and rewritten
/// ("1.0" -> "1", "True" -> "true"); text is returned as it is. Returns false when the text does
/// not parse as the type.
[[nodiscard]] BANKQUANT_EXPORT bool canonical_key(std::string_view text, CategoryType type, std::string& key);

/// Checks that a column has one representation consistent with `categorical`; throws
/// InvalidArgument naming the column otherwise.
BANKQUANT_EXPORT void check_column(const ColumnView& column);

}  // namespace bankquant::scorecard
