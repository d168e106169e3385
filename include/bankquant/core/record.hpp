// bankquant/core/record.hpp — Options and Result structs that describe their own fields.
//
// C++ has no reflection, so each Options/Result struct lists its fields once, with their
// documentation, in a static `fields()` table. Everything else is generated from that table:
// the Python class (attributes, defaults, docs, keyword constructor, pickling), model-file JSON,
// and readable reports. A field's default is its C++ initialiser, written nowhere else.
//
//   struct GarchOptions {
//     GarchDistribution distribution = GarchDistribution::normal;
//     int max_iterations = 500;
//     static constexpr auto fields() {
//       return std::tuple{
//           field("distribution", &GarchOptions::distribution, "innovations: 'normal' or 't'"),
//           field("max_iterations", &GarchOptions::max_iterations, "optimiser iterations (limit)")};
//     }
//   };
//
//   for_each_field<GarchOptions>([&](const auto& f) { use(f.name, options.*f.member, f.doc); });
//
// Field names are the names users type (Python keyword arguments), so a message about a field
// names the user's argument.
#pragma once

#include <string_view>
#include <tuple>
#include <utility>

namespace bankquant {

/// One field of a record: its name, the member pointer and its documentation.
template <typename Class, typename T>
struct Field {
  using class_type = Class;
  using value_type = T;
  std::string_view name;
  T Class::*member;
  std::string_view doc;
};

template <typename Class, typename T>
constexpr Field<Class, T> field(std::string_view name, T Class::*member, std::string_view doc) {
  return {name, member, doc};
}

/// A struct with a static fields() table.
template <typename T>
concept Record = requires { T::fields(); };

/// Calls f(field) for every field of R, in table order.
template <Record R, typename F>
constexpr void for_each_field(F&& f) {
  std::apply([&](const auto&... fld) { (f(fld), ...); }, R::fields());
}

/// Number of fields of R.
template <Record R>
constexpr std::size_t field_count() {
  return std::tuple_size_v<decltype(R::fields())>;
}

}  // namespace bankquant
