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
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "bankquant/export.hpp"

// oneTBB stays inside src/: these templates hand a type-erased body to compiled code, so a
// program that includes bankquant's headers needs no TBB headers (it still links TBB).

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
/// A non-owning reference to a callable, for handing template bodies to compiled code.
template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
  FunctionRef(F& f) noexcept  // NOLINT: implicit by design, like std::function_ref
      : object_(static_cast<void*>(std::addressof(f))),
        call_([](void* o, Args... args) -> R { return (*static_cast<F*>(o))(std::forward<Args>(args)...); }) {}
  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

/// Runs f inside bankquant's arena (exceptions propagate).
BANKQUANT_EXPORT void run_in_arena(FunctionRef<void()> f);
/// Calls body(c) for c in [0, chunks) in parallel inside the arena; the first exception thrown
/// by a body propagates after running bodies finish.
BANKQUANT_EXPORT void parallel_for_indices(std::size_t chunks, FunctionRef<void(std::size_t)> body);
}  // namespace detail

/// Runs f() inside bankquant's arena and returns its result. Exceptions propagate to the caller.
template <typename F>
decltype(auto) run_in_arena(F&& f) {
  using R = std::invoke_result_t<F&>;
  if constexpr (std::is_void_v<R>) {
    auto body = [&] { f(); };
    detail::run_in_arena(body);
  } else {
    std::optional<R> out;
    auto body = [&] { out.emplace(f()); };
    detail::run_in_arena(body);
    return R(std::move(*out));
  }
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
  auto one = [&](std::size_t c) {
    const std::size_t begin = c * chunk;
    const std::size_t end = begin + chunk < n ? begin + chunk : n;
    body(c, begin, end);
  };
  detail::parallel_for_indices(chunks, one);
}

namespace detail {
// The leaves of the split tree of [begin, end): halve (at begin + (end - begin) / 2, as oneTBB's
// blocked_range splits) until a range holds at most `chunk` items.
inline void split_leaves(std::size_t begin, std::size_t end, std::size_t chunk,
                         std::vector<std::pair<std::size_t, std::size_t>>& leaves) {
  if (end - begin <= chunk) {
    leaves.emplace_back(begin, end);
    return;
  }
  const std::size_t middle = begin + (end - begin) / 2;
  split_leaves(begin, middle, chunk, leaves);
  split_leaves(middle, end, chunk, leaves);
}

template <typename T, typename Combine>
T combine_tree(std::size_t begin, std::size_t end, std::size_t chunk, std::vector<std::optional<T>>& leaf_values,
               std::size_t& next, Combine& combine) {
  if (end - begin <= chunk) return std::move(*leaf_values[next++]);
  const std::size_t middle = begin + (end - begin) / 2;
  T left = combine_tree<T>(begin, middle, chunk, leaf_values, next, combine);
  T right = combine_tree<T>(middle, end, chunk, leaf_values, next, combine);
  return combine(std::move(left), std::move(right));
}
}  // namespace detail

/// Reduces [0, n) deterministically: map(begin, end) -> T on leaf ranges of at most `chunk`
/// items (each combined with `identity` first), then combine(T, T) -> T over a binary split tree
/// that depends only on n and chunk. Floating-point results are bit-identical for every thread
/// count and run (the tree oneTBB's parallel_deterministic_reduce builds with a simple
/// partitioner).
template <typename T, typename Map, typename Combine>
[[nodiscard]] T deterministic_reduce(std::size_t n, std::size_t chunk, T identity, Map&& map, Combine&& combine) {
  if (n == 0) return identity;
  if (chunk == 0) chunk = n;
  std::vector<std::pair<std::size_t, std::size_t>> leaves;
  detail::split_leaves(0, n, chunk, leaves);
  std::vector<std::optional<T>> values(leaves.size());
  auto leaf = [&](std::size_t i) { values[i].emplace(combine(T(identity), map(leaves[i].first, leaves[i].second))); };
  if (leaves.size() == 1) {
    leaf(0);
  } else {
    detail::parallel_for_indices(leaves.size(), leaf);
  }
  std::size_t next = 0;
  return detail::combine_tree<T>(0, n, chunk, values, next, combine);
}

}  // namespace bankquant
