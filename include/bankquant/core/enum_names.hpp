// bankquant/core/enum_names.hpp — every public enum converts to and from one name, in one table.
//
// The names are what users type in Python keyword arguments, what model files store and what
// error messages print, so each enum has exactly one table (ceres-solver's types.h idea, written
// once per enum instead of a pair of functions). Declare it next to the enum, in its namespace:
//
//   enum class GarchDistribution { normal, student_t };
//   BANKQUANT_ENUM_NAMES(GarchDistribution, {normal, "normal"}, {student_t, "t"})
//
// and use it anywhere:
//
//   enum_name(GarchDistribution::student_t)                        -> "t"
//   enum_from_name<GarchDistribution>("t", "distribution")         -> GarchDistribution::student_t
//   enum_from_name<GarchDistribution>("gauss", "distribution")     -> throws InvalidArgument:
//       "argument 'distribution': expected one of 'normal', 't'; got 'gauss'"
//
// An unknown name is always an error; nothing maps to a default.
#pragma once

#include <array>
#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "bankquant/core/errors.hpp"

/// Defines the name table of `Enum` (call in the enum's namespace). The entries are
/// {enumerator, "name"} pairs; enumerators are written without the `Enum::` prefix.
#define BANKQUANT_ENUM_NAMES(Enum, ...)                                                       \
  [[maybe_unused]] constexpr auto bankquant_enum_names(Enum) {                                \
    using enum Enum;                                                                          \
    return std::to_array<std::pair<Enum, std::string_view>>({__VA_ARGS__});                   \
  }

namespace bankquant {

/// An enum with a name table (found by argument-dependent lookup of bankquant_enum_names).
template <typename E>
concept NamedEnum = std::is_enum_v<E> && requires(E e) { bankquant_enum_names(e); };

/// The table of E: {value, name} pairs in declaration order.
template <NamedEnum E>
constexpr auto enum_table() {
  return bankquant_enum_names(E{});
}

/// The name of a value; "?" for a value outside the table (only reachable by casting integers).
template <NamedEnum E>
constexpr std::string_view enum_name(E value) {
  for (const auto& [v, name] : enum_table<E>()) {
    if (v == value) return name;
  }
  return "?";
}

/// The accepted names, as "'a', 'b', 'c'" for messages.
template <NamedEnum E>
std::string enum_choices() {
  std::string out;
  for (const auto& [v, name] : enum_table<E>()) {
    if (!out.empty()) out += ", ";
    out += fmt::format("'{}'", name);
  }
  return out;
}

/// Every name of E in table order.
template <NamedEnum E>
std::vector<std::string> enum_names() {
  std::vector<std::string> out;
  for (const auto& [v, name] : enum_table<E>()) out.emplace_back(name);
  return out;
}

/// The value called `name`; throws InvalidArgument naming `argument` and the accepted names.
template <NamedEnum E>
E enum_from_name(std::string_view name, std::string_view argument) {
  for (const auto& [v, n] : enum_table<E>()) {
    if (n == name) return v;
  }
  throw InvalidArgument(fmt::format("argument '{}': expected one of {}; got '{}'", argument, enum_choices<E>(), name));
}

}  // namespace bankquant
