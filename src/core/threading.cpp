// The library's task_arena. A shared_ptr swapped under a mutex: set_num_threads() never
// destroys an arena that another thread is still executing in.
#include "bankquant/core/threading.hpp"

#include <cstdlib>
#include <mutex>
#include <string>

#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "bankquant/core/errors.hpp"

namespace bankquant {
namespace {

std::mutex& arena_mutex() {
  static std::mutex m;
  return m;
}

std::shared_ptr<tbb::task_arena>& arena_slot() {
  static std::shared_ptr<tbb::task_arena> arena;
  return arena;
}

int threads_from_environment() {
  const char* text = std::getenv("BANKQUANT_NUM_THREADS");
  if (text == nullptr || *text == '\0') return 0;
  char* end = nullptr;
  const long n = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || n < 1 || n > 4096) {
    throw InvalidArgument(fmt::format(
        "environment variable 'BANKQUANT_NUM_THREADS': expected an integer from 1 to 4096, got '{}'", text));
  }
  return static_cast<int>(n);
}

}  // namespace

int default_num_threads() {
  const int from_env = threads_from_environment();
  if (from_env > 0) return from_env;
  const int cores = tbb::info::default_concurrency();  // honours the process's CPU affinity mask
  return cores > 0 ? cores : 1;
}

void set_num_threads(int n) {
  if (n < 0) {
    throw InvalidArgument(fmt::format(
        "argument 'n': expected a thread count >= 1, or 0 for the default ({}), got {}", default_num_threads(), n));
  }
  const int threads = n == 0 ? default_num_threads() : n;
  auto arena = std::make_shared<tbb::task_arena>(threads);
  std::lock_guard lock(arena_mutex());
  arena_slot() = std::move(arena);
}

namespace {
// The current arena; shared ownership keeps it alive while work runs in it.
std::shared_ptr<tbb::task_arena> current_arena() {
  std::lock_guard lock(arena_mutex());
  auto& slot = arena_slot();
  if (!slot) slot = std::make_shared<tbb::task_arena>(default_num_threads());
  return slot;
}
}  // namespace

int get_num_threads() { return current_arena()->max_concurrency(); }

namespace detail {
void run_in_arena(FunctionRef<void()> f) {
  const auto arena = current_arena();
  arena->execute([&] { f(); });
}

void parallel_for_indices(std::size_t chunks, FunctionRef<void(std::size_t)> body) {
  const auto arena = current_arena();
  arena->execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t c = r.begin(); c != r.end(); ++c) body(c);
    });
  });
}
}  // namespace detail

}  // namespace bankquant
