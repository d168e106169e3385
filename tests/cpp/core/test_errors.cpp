#include "bankquant/core/errors.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace bq = bankquant;

template <typename E, typename StdBase>
void expect_catchable_as_both(const std::string& message) {
  try {
    throw E(message);
  } catch (const bq::Error& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
  try {
    throw E(message);
  } catch (const StdBase& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
  try {
    throw E(message);
  } catch (const std::exception& e) {  // one std::exception base: no ambiguity
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(Errors, EachTypeIsAnErrorAndItsStandardBase) {
  expect_catchable_as_both<bq::InvalidArgument, std::invalid_argument>("argument 'x': bad");
  expect_catchable_as_both<bq::NotFitted, std::logic_error>("call fit() first");
  expect_catchable_as_both<bq::ModelFormatError, std::runtime_error>("corrupted");
  expect_catchable_as_both<bq::ConvergenceError, std::runtime_error>("no convergence");
  expect_catchable_as_both<bq::NumericalError, std::runtime_error>("singular");
  expect_catchable_as_both<bq::Cancelled, std::runtime_error>("cancelled");
}

TEST(Errors, InvalidArgumentIsNotARuntimeError) {
  bool caught_as_runtime = false;
  try {
    throw bq::InvalidArgument("x");
  } catch (const std::runtime_error&) {
    caught_as_runtime = true;
  } catch (const std::logic_error&) {
  }
  EXPECT_FALSE(caught_as_runtime);
}
