#include "bankquant/core/progress.hpp"

#include <fmt/format.h>

#include "bankquant/core/errors.hpp"

namespace bankquant {

ProgressReporter::ProgressReporter(ProgressCallback callback, std::size_t total, std::string stage,
                                   std::chrono::milliseconds min_interval)
    : callback_(std::move(callback)),
      total_(total),
      stage_(std::move(stage)),
      min_interval_(min_interval),
      last_report_(std::chrono::steady_clock::now()),
      owner_(std::this_thread::get_id()) {}

void ProgressReporter::advance(std::size_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  if (!callback_ || std::this_thread::get_id() != owner_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_report_ < min_interval_) return;
  last_report_ = now;
  report();
}

void ProgressReporter::report() {
  const ProgressEvent event{done_.load(std::memory_order_relaxed), total_, stage_};
  if (!callback_(event)) cancelled_.store(true, std::memory_order_relaxed);
}

void ProgressReporter::check_cancelled() const {
  if (cancelled()) {
    throw Cancelled(fmt::format("{}: cancelled by the progress callback after {} of {} units", stage_, done(), total_));
  }
}

void ProgressReporter::finish() {
  if (callback_ && !cancelled()) report();
  check_cancelled();
}

}  // namespace bankquant
