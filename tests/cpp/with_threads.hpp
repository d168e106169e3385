// with_threads.hpp — runs a call on a given number of bankquant threads (tests only).
//
// The determinism tests run the same call on 1 and on 2 threads and compare the results bit for
// bit; this restores the previous thread count afterwards, also when the call throws.
#pragma once

#include <utility>

#include "bankquant/core/threading.hpp"

namespace bankquant::testing {

template <typename F>
decltype(auto) with_threads(int n, F&& f) {
  struct Restore {
    int saved;
    ~Restore() { bankquant::set_num_threads(saved); }
  } restore{bankquant::get_num_threads()};
  bankquant::set_num_threads(n);
  return std::forward<F>(f)();
}

}  // namespace bankquant::testing
