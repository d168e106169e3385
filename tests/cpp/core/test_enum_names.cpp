#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/core/status.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>

namespace bq = bankquant;

namespace demo {
enum class Colour { red, dark_green };
BANKQUANT_ENUM_NAMES(Colour, {red, "red"}, {dark_green, "green"})

struct Options {
  Colour colour = Colour::red;
  int size = 3;
  static constexpr auto fields() {
    return std::tuple{bq::field("colour", &Options::colour, "what colour"), bq::field("size", &Options::size, "how big")};
  }
};
}  // namespace demo

TEST(EnumNames, RoundTrip) {
  static_assert(bq::NamedEnum<demo::Colour>);
  static_assert(!bq::NamedEnum<int>);
  EXPECT_EQ(bq::enum_name(demo::Colour::dark_green), "green");
  EXPECT_EQ(bq::enum_from_name<demo::Colour>("green", "colour"), demo::Colour::dark_green);
  EXPECT_EQ(bq::enum_choices<demo::Colour>(), "'red', 'green'");
  EXPECT_EQ(bq::enum_names<demo::Colour>(), (std::vector<std::string>{"red", "green"}));
}

TEST(EnumNames, UnknownNameIsAnErrorNamingTheArgument) {
  try {
    (void)bq::enum_from_name<demo::Colour>("dark_green", "colour");
    FAIL() << "expected InvalidArgument";
  } catch (const bq::InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "argument 'colour': expected one of 'red', 'green'; got 'dark_green'");
  }
}

TEST(Record, FieldsListedInOrder) {
  static_assert(bq::Record<demo::Options>);
  static_assert(bq::field_count<demo::Options>() == 2);
  demo::Options o;
  std::string seen;
  bq::for_each_field<demo::Options>([&](const auto& f) {
    seen += std::string(f.name) + "=" + std::string(f.doc) + ";";
    if constexpr (std::is_same_v<typename std::decay_t<decltype(f)>::value_type, int>) o.*f.member = 7;
  });
  EXPECT_EQ(seen, "colour=what colour;size=how big;");
  EXPECT_EQ(o.size, 7);
}

TEST(Status, UsableAndNames) {
  bq::Status s;
  EXPECT_EQ(s.code, bq::StatusCode::not_run);
  EXPECT_FALSE(s.usable());
  s = bq::Status::make(bq::StatusCode::iteration_limit, "no convergence", 10, 20);
  EXPECT_TRUE(s.usable());
  EXPECT_FALSE(s.converged());
  EXPECT_FALSE(bq::Status::make(bq::StatusCode::infeasible, "x").usable());
  EXPECT_EQ(bq::enum_name(bq::StatusCode::numerical_failure), "numerical_failure");
  EXPECT_EQ(bq::enum_from_name<bq::StatusCode>("boundary", "code"), bq::StatusCode::boundary);
}
