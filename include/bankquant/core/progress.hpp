// bankquant/core/progress.hpp — progress reports and cancellation for long work.
//
// An algorithm that can run for seconds takes an optional ProgressCallback. It creates a
// ProgressReporter on the calling thread; workers call advance(n) (thread-safe, a relaxed atomic
// add). The callback itself runs only on the thread that created the reporter, at most every
// `min_interval`, plus once at finish(): so a Python callback never runs on a worker thread, and a
// callback that is slow does not slow the workers. The callback returns false to cancel; the
// algorithm then stops at its next check_cancelled() and throws bankquant::Cancelled, leaving
// every input object as it was.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "bankquant/export.hpp"

namespace bankquant {

struct ProgressEvent {
  std::size_t done = 0;   ///< units of work finished
  std::size_t total = 0;  ///< units of work in all (0 when unknown)
  std::string_view stage; ///< what is running, e.g. "monte carlo"
};

/// Returns true to go on, false to cancel.
using ProgressCallback = std::function<bool(const ProgressEvent&)>;

class BANKQUANT_EXPORT ProgressReporter {
 public:
  /// An empty callback makes every call a cheap no-op.
  ProgressReporter(ProgressCallback callback, std::size_t total, std::string stage,
                   std::chrono::milliseconds min_interval = std::chrono::milliseconds(100));

  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  /// Records n more units done; reports if on the owner thread and the interval has passed.
  void advance(std::size_t n);

  /// True once the callback has asked to stop.
  [[nodiscard]] bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }

  /// Throws Cancelled if the callback has asked to stop.
  void check_cancelled() const;

  /// Reports the final count (always, on the owner thread), then check_cancelled().
  void finish();

  [[nodiscard]] std::size_t done() const noexcept { return done_.load(std::memory_order_relaxed); }

 private:
  void report();

  ProgressCallback callback_;
  std::size_t total_;
  std::string stage_;
  std::chrono::steady_clock::duration min_interval_;
  std::chrono::steady_clock::time_point last_report_;
  std::thread::id owner_;
  std::atomic<std::size_t> done_{0};
  std::atomic<bool> cancelled_{false};
};

}  // namespace bankquant
