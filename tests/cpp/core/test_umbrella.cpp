// The umbrella headers compile on their own and expose the core.
#include "bankquant/bankquant.hpp"
#include "bankquant/core.hpp"

#include <gtest/gtest.h>

TEST(Umbrella, CoreIsReachable) {
  bankquant::RandomStream stream(1);
  EXPECT_GT(stream.uniform(), 0.0);
  EXPECT_FALSE(bankquant::version().empty());
}
