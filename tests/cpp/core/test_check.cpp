#include "bankquant/core/check.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace bq = bankquant;
namespace check = bankquant::check;

// Runs f, expects InvalidArgument, and returns its message.
template <typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const bq::InvalidArgument& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected InvalidArgument";
  return {};
}

TEST(Check, EmptyAndSizes) {
  EXPECT_NO_THROW(check::not_empty("x", 1));
  EXPECT_EQ(message_of([] { check::not_empty("returns", 0); }),
            "argument 'returns': expected at least one element, got an empty input");
  EXPECT_EQ(message_of([] { check::min_size("returns", 3, 10); }),
            "argument 'returns': expected at least 10 elements, got 3");
  EXPECT_EQ(message_of([] { check::same_size("src", 3, "dst", 4); }),
            "arguments 'src' and 'dst': expected the same length, got 3 and 4");
}

TEST(Check, Shape) {
  EXPECT_NO_THROW(check::shape("cov", 3, 3, 3, -1));
  EXPECT_EQ(message_of([] { check::shape("cov", 3, 2, 3, 3); }), "argument 'cov': expected shape (3, 3), got (3, 2)");
  EXPECT_EQ(message_of([] { check::shape("w", 4, 1, -1, 2); }), "argument 'w': expected shape (any, 2), got (4, 1)");
  EXPECT_EQ(message_of([] { check::square("cov", 2, 3); }), "argument 'cov': expected a square matrix, got shape (2, 3)");
}

TEST(Check, FiniteNamesTheFirstBadIndex) {
  const std::vector<double> v{1.0, 2.0, std::numeric_limits<double>::quiet_NaN(), INFINITY};
  EXPECT_EQ(message_of([&] { check::all_finite("returns", v); }),
            "argument 'returns': expected finite values, found nan at index 2");
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(2, 3);
  m(1, 2) = -INFINITY;
  EXPECT_EQ(message_of([&] { check::all_finite("cov", m); }),
            "argument 'cov': expected finite values, found -inf at row 1, column 2");
  EXPECT_NO_THROW(check::all_finite("ok", std::vector<double>{0.0, -1e300}));
  EXPECT_EQ(message_of([] { check::finite("x", NAN); }), "argument 'x': expected a finite number, got nan");
}

TEST(Check, Ranges) {
  EXPECT_NO_THROW(check::open_unit_interval("level", 0.99));
  EXPECT_EQ(message_of([] { check::open_unit_interval("level", 1.0); }), "argument 'level': expected a value in (0, 1), got 1");
  EXPECT_EQ(message_of([] { check::open_unit_interval("level", NAN); }), "argument 'level': expected a value in (0, 1), got nan");
  EXPECT_NO_THROW(check::probability("p", 0.0));
  EXPECT_NO_THROW(check::probability("p", 1.0));
  EXPECT_EQ(message_of([] { check::probability("p", -0.1); }), "argument 'p': expected a value in [0, 1], got -0.1");
  EXPECT_EQ(message_of([] { check::positive("pdo", 0.0); }), "argument 'pdo': expected a positive number, got 0");
  EXPECT_EQ(message_of([] { check::non_negative("amount", -2.5); }),
            "argument 'amount': expected a non-negative number, got -2.5");
  EXPECT_EQ(message_of([] { check::all_non_negative("weights", std::vector<double>{1.0, -1.0}); }),
            "argument 'weights': expected non-negative finite values, found -1 at index 1");
  EXPECT_EQ(message_of([] { check::integer_at_least("max_bins", 1, 2); }),
            "argument 'max_bins': expected an integer >= 2, got 1");
}

TEST(Check, SortedTimestampsAndBinaryTarget) {
  const std::vector<long> ts{1, 2, 2, 5};
  EXPECT_NO_THROW(check::sorted<long>("timestamp", ts));
  EXPECT_EQ(message_of([&] { check::sorted<long>("timestamp", ts, true); }),
            "argument 'timestamp': expected strictly increasing values, but element 2 (2) follows 2");
  const std::vector<double> back{1.0, 3.0, 2.0};
  EXPECT_EQ(message_of([&] { check::sorted<double>("t", back); }),
            "argument 't': expected non-decreasing values, but element 2 (2) follows 3");
  EXPECT_NO_THROW(check::binary("y", std::vector<double>{0, 1, 1, 0}));
  EXPECT_EQ(message_of([] { check::binary("y", std::vector<double>{0, 1, 2}); }),
            "argument 'y': expected 0/1 values, found 2 at index 2");
}
