#include "bankquant/core/config.hpp"

#include <algorithm>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <oneapi/tbb/version.h>
#include <xtensor/xtensor_config.hpp>

#include "bankquant/core/threading.hpp"

#ifndef BANKQUANT_BUILD_TYPE
#define BANKQUANT_BUILD_TYPE "unknown"
#endif

namespace bankquant {
namespace {

std::string simd_flags() {
  std::string flags;
  auto add = [&](const char* name) { flags += flags.empty() ? name : fmt::format(" {}", name); };
#if defined(__AVX512F__)
  add("avx512f");
#endif
#if defined(__AVX2__)
  add("avx2");
#endif
#if defined(__FMA__)
  add("fma");
#endif
#if defined(__AVX__)
  add("avx");
#endif
#if defined(__SSE4_2__)
  add("sse4.2");
#endif
#if defined(__SSE2__)
  add("sse2");
#endif
  return flags.empty() ? "none" : flags;
}

std::string compiler() {
#if defined(__clang__)
  return fmt::format("clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  return fmt::format("gcc {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

}  // namespace

std::string version() { return BANKQUANT_VERSION_STRING; }

std::vector<std::pair<std::string, std::string>> build_info() {
  return {
      {"bankquant", BANKQUANT_VERSION_STRING},
      {"build type", BANKQUANT_BUILD_TYPE},
      {"compiler", compiler()},
      {"C++ standard", fmt::format("{}", __cplusplus)},
      {"SIMD", simd_flags()},
      {"threads", fmt::format("{} (default {})", get_num_threads(), default_num_threads())},
      {"Eigen", fmt::format("{}.{}.{}", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION)},
      {"oneTBB", TBB_VERSION_STRING},
      {"fmt", fmt::format("{}.{}.{}", FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100)},
      {"nlohmann-json", fmt::format("{}.{}.{}", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                                    NLOHMANN_JSON_VERSION_PATCH)},
      {"Random123", "Philox4x32-10"},
      {"Boost", fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100)},
      {"xtensor", fmt::format("{}.{}.{}", XTENSOR_VERSION_MAJOR, XTENSOR_VERSION_MINOR, XTENSOR_VERSION_PATCH)},
  };
}

std::string config_report() {
  const auto info = build_info();
  std::size_t width = 0;
  for (const auto& [name, value] : info) width = std::max(width, name.size());
  std::string out;
  for (const auto& [name, value] : info) out += fmt::format("{:<{}}  {}\n", name, width, value);
  return out;
}

}  // namespace bankquant
