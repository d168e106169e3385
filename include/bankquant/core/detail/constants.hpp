#pragma once
// Numeric constants that several translation units use. Defined once here rather than in each
// source's anonymous namespace, so that sources can be compiled together (CMake's unity build)
// without two definitions of one name meeting in one unit.

#include <limits>

namespace bankquant::detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Mean Gregorian month in days (365.25 / 12 = 30.4375, rounded as the graph generator uses it).
inline constexpr double kDaysPerMonth = 30.44;

}  // namespace bankquant::detail
