#include "bankquant/scorecard/column.hpp"

#include <gtest/gtest.h>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace sc = bankquant::scorecard;

TEST(Column, CategoryKeysAreTypedAndCanonical) {
  EXPECT_EQ(sc::category_key(1.0, sc::CategoryType::number), "1");
  EXPECT_EQ(sc::category_key(-0.0, sc::CategoryType::number), "0");
  EXPECT_EQ(sc::category_key(2.5, sc::CategoryType::number), "2.5");
  EXPECT_EQ(sc::category_key(1.0, sc::CategoryType::boolean), "true");
  std::string key;
  EXPECT_TRUE(sc::canonical_key("1.0", sc::CategoryType::number, key));
  EXPECT_EQ(key, "1");
  EXPECT_TRUE(sc::canonical_key(" 1e0 ", sc::CategoryType::number, key));
  EXPECT_EQ(key, "1");
  EXPECT_TRUE(sc::canonical_key("True", sc::CategoryType::boolean, key));
  EXPECT_EQ(key, "true");
  EXPECT_FALSE(sc::canonical_key("one", sc::CategoryType::number, key));
  EXPECT_TRUE(sc::canonical_key("1.0", sc::CategoryType::text, key));
  EXPECT_EQ(key, "1.0");  // text stays as written
}

TEST(Column, OneRepresentationPerColumn) {
  const std::vector<double> x{1, 2};
  const std::vector<std::string> s{"a", "b"};
  EXPECT_THROW(sc::check_column({.name = "c", .categorical = true, .numbers = x, .strings = s}), bq::InvalidArgument);
  EXPECT_THROW(sc::check_column({.name = "c", .strings = s}), bq::InvalidArgument);
  EXPECT_NO_THROW(sc::check_column({.name = "c", .numbers = x}));
  EXPECT_EQ((sc::ColumnView{.name = "c", .categorical = true, .strings = s}).size(), 2u);
}
