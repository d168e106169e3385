// bankquant/core/config.hpp — what this build of bankquant is made of.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bankquant/core/version.hpp"
#include "bankquant/export.hpp"

namespace bankquant {

/// The library version, "major.minor.patch".
[[nodiscard]] BANKQUANT_EXPORT std::string version();

/// (name, value) pairs: bankquant's version, build type, compiler, C++ standard, SIMD flags,
/// the versions of Eigen, oneTBB, fmt, nlohmann-json, Random123, Boost and xtensor it was built
/// with, and the current thread count.
[[nodiscard]] BANKQUANT_EXPORT std::vector<std::pair<std::string, std::string>> build_info();

/// build_info() as an aligned text block, for logs and bug reports.
[[nodiscard]] BANKQUANT_EXPORT std::string config_report();

}  // namespace bankquant
