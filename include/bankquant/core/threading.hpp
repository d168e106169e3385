// bankquant/core/threading.hpp — the library's thread pool and deterministic parallel loops.
//
// All parallel work runs inside bankquant's own oneTBB task_arena, sized by set_num_threads();
// the application's global TBB settings are never touched. The default size is the number of
// cores this process may use, or the environment variable BANKQUANT_NUM_THREADS when set.
//
// Determinism: work is cut into chunks whose boundaries depend only on the problem size and the
// chunk size the algorithm chooses, never on the thread count. parallel_for_chunks hands each
// chunk its index (use it as the random stream id, see random.hpp); deterministic_reduce combines
// chunk results in a fixed tree, so a floating-point sum is bit-identical on 1 or 64 threads.
#pragma once

#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include "bankquant/export.hpp"

namespace bankquant {

/// Sets the number of threads bankquant uses: n >= 1, or 0 for the default (all cores available
/// to the process, or BANKQUANT_NUM_THREADS). Throws InvalidArgument for n < 0. Safe to call
/// while other threads run bankquant work: they finish in the arena they started in.
BANKQUANT_EXPORT void set_num_threads(int n);

/// The number of threads bankquant's parallel work uses.
[[nodiscard]] BANKQUANT_EXPORT int get_num_threads();

/// The default thread count (cores available to this process, or BANKQUANT_NUM_THREADS).
[[nodiscard]] BANKQUANT_EXPORT int default_num_threads();

namespace detail {
/// The current arena; shared ownership keeps it alive while work runs in it.
[[nodiscard]] BANKQUANT_EXPORT std::shared_ptr<tbb::task_arena> current_arena();
}  // namespace detail

/// Runs f() inside bankquant's arena and returns its result. Exceptions propagate to the caller.
template <typename F>
decltype(auto) run_in_arena(F&& f) {
  const auto arena = detail::current_arena();
  return arena->execute(std::forward<F>(f));
}

/// Number of chunks of size `chunk` needed to cover n items (the last may be short).
[[nodiscard]] constexpr std::size_t chunk_count(std::size_t n, std::size_t chunk) {
  return chunk == 0 ? 0 : (n + chunk - 1) / chunk;
}

/// Calls body(chunk_index, begin, end) for each fixed chunk [begin, end) of [0, n), in parallel.
/// Chunk boundaries depend only on n and chunk, so per-chunk work (and per-chunk random streams)
/// is the same for every thread count.
template <typename Body>
void parallel_for_chunks(std::size_t n, std::size_t chunk, Body&& body) {
  if (n == 0) return;
  if (chunk == 0) chunk = n;
  const std::size_t chunks = chunk_count(n, chunk);
  if (chunks == 1) {
    body(std::size_t{0}, std::size_t{0}, n);
    return;
  }
  run_in_arena([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t c = r.begin(); c != r.end(); ++c) {
                          const std::size_t begin = c * chunk;
                          const std::size_t end = begin + chunk < n ? begin + chunk : n;
                          body(c, begin, end);
                        }
                      });
  });
}

/// Reduces [0, n) deterministically: map(begin, end) -> T on leaf ranges of at most `chunk`
/// items, then combine(T, T) -> T over a split tree that depends only on n and chunk (oneTBB's
/// parallel_deterministic_reduce with a simple partitioner halves ranges until they fit). Floating-point results are
/// bit-identical for every thread count and run.
template <typename T, typename Map, typename Combine>
[[nodiscard]] T deterministic_reduce(std::size_t n, std::size_t chunk, T identity, Map&& map, Combine&& combine) {
  if (n == 0) return identity;
  if (chunk == 0) chunk = n;
  return run_in_arena([&] {
    return tbb::parallel_deterministic_reduce(
        tbb::blocked_range<std::size_t>(0, n, chunk), identity,
        [&](const tbb::blocked_range<std::size_t>& r, T acc) { return combine(std::move(acc), map(r.begin(), r.end())); },
        [&](T a, T b) { return combine(std::move(a), std::move(b)); }, tbb::simple_partitioner());
  });
}

}  // namespace bankquant
