#include "bankquant/core/config.hpp"

#include <gtest/gtest.h>

#include <map>

#include "bankquant/core/version.hpp"

namespace bq = bankquant;

TEST(Config, VersionAndBuildInfo) {
  EXPECT_EQ(bq::version(), BANKQUANT_VERSION_STRING);
  const auto info = bq::build_info();
  std::map<std::string, std::string> by_name(info.begin(), info.end());
  for (const char* key : {"bankquant", "build type", "compiler", "threads", "Eigen", "oneTBB", "fmt", "nlohmann-json",
                          "Boost", "xtensor", "SIMD"}) {
    ASSERT_TRUE(by_name.count(key)) << key;
    EXPECT_FALSE(by_name[key].empty()) << key;
  }
  EXPECT_EQ(by_name["Eigen"].substr(0, 3), "3.4");
  const std::string report = bq::config_report();
  EXPECT_NE(report.find("oneTBB"), std::string::npos);
  EXPECT_NE(report.find(BANKQUANT_VERSION_STRING), std::string::npos);
}
