# Precompiled headers for the project's own targets (never exported to consumers).
#
# Why: a clean `make test` compiles the tree twice (Release and ASan) on 2 cores, and every
# translation unit spends 3-5 s of its 6-20 s parsing Eigen, fmt, nlohmann/json, oneTBB, Boost.Math
# and the standard library (measured with -fsyntax-only on src/risk/var.cpp, src/scorecard/binning.cpp
# and tests/cpp/risk/test_var.cpp). Only dependencies' headers are precompiled: the project's own
# headers change often, and precompiling them would rebuild everything on every edit.
#
# A precompiled header also supplies these includes to files that forgot them; the header check
# (tests/cpp/core/test_umbrella.cpp, which skips the PCH) and the consumer build in test-package
# still compile without it.
set(BANKQUANT_PCH_HEADERS
  <algorithm> <array> <cmath> <cstdint> <functional> <limits> <map> <memory> <numeric> <optional>
  <span> <string> <string_view> <tuple> <utility> <vector>
  <Eigen/Dense> <fmt/format.h> <nlohmann/json.hpp> <oneapi/tbb/parallel_for.h>
  <boost/math/distributions/normal.hpp> <boost/math/distributions/students_t.hpp>
  <boost/math/distributions/chi_squared.hpp>)

# bankquant_precompile_headers(target [extra headers...]): the common set plus the target's own.
function(bankquant_precompile_headers target)
  if(BANKQUANT_PCH)
    target_precompile_headers(${target} PRIVATE ${BANKQUANT_PCH_HEADERS} ${ARGN})
  endif()
endfunction()
