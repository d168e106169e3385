// bankquant/risk/detail/memory.hpp — an up-front check that a scenario array fits in memory.
//
// A Monte Carlo call keeps one double per scenario (the P&L vector its quantiles need). Asking
// for 1e13 scenarios should fail at once with a message naming the argument, not with
// std::bad_alloc after the allocator gives up (or, on Linux with overcommit, much later).
#pragma once

#include <cstddef>
#include <string_view>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace bankquant::risk::detail {

/// Physical memory of the machine in bytes (0 when unknown).
inline double physical_memory_bytes() {
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0) return static_cast<double>(pages) * static_cast<double>(page);
#endif
  return 0.0;
}

/// Throws InvalidArgument naming `name` when count x bytes_each exceeds half the machine's memory.
inline void check_fits_in_memory(std::string_view name, std::size_t count, double bytes_each) {
  const double need = static_cast<double>(count) * bytes_each, have = physical_memory_bytes();
  if (have > 0 && need > 0.5 * have) {
    check::fail(name, fmt::format("{} needs {:.3g} GB for its scenarios, more than half of this machine's {:.3g} "
                                  "GB; use fewer (or split the work, e.g. with bankquant.dask)",
                                  count, need / 1e9, have / 1e9));
  }
}

}  // namespace bankquant::risk::detail
