#include "bankquant/core/random.hpp"

#include <boost/random/normal_distribution.hpp>

#include "bankquant/core/progress.hpp"
#include "bankquant/core/threading.hpp"

namespace bankquant {

// Boost's unit normal holds no state between calls (its ziggurat tables are static constants),
// so a fresh distribution object per call draws exactly what one long-lived object would.
double RandomStream::normal() noexcept { return boost::random::normal_distribution<double>()(*this); }

void RandomStream::fill_normal(std::span<double> out) noexcept {
  boost::random::normal_distribution<double> unit;
  for (double& v : out) v = unit(*this);
}

namespace {

template <typename Fill>
void parallel_fill(std::span<double> out, std::uint64_t seed, std::uint64_t stream_offset, std::size_t chunk,
                   ProgressReporter* progress, Fill fill) {
  parallel_for_chunks(out.size(), chunk, [&](std::size_t c, std::size_t begin, std::size_t end) {
    if (progress != nullptr && progress->cancelled()) return;
    RandomStream stream(seed, stream_offset + c);
    fill(stream, out.subspan(begin, end - begin));
    if (progress != nullptr) progress->advance(end - begin);
  });
  if (progress != nullptr) progress->finish();
}

}  // namespace

void parallel_fill_normal(std::span<double> out, std::uint64_t seed, std::uint64_t stream_offset, std::size_t chunk,
                          ProgressReporter* progress) {
  parallel_fill(out, seed, stream_offset, chunk, progress,
                [](RandomStream& s, std::span<double> part) { s.fill_normal(part); });
}

void parallel_fill_uniform(std::span<double> out, std::uint64_t seed, std::uint64_t stream_offset, std::size_t chunk,
                           ProgressReporter* progress) {
  parallel_fill(out, seed, stream_offset, chunk, progress,
                [](RandomStream& s, std::span<double> part) { s.fill_uniform(part); });
}

}  // namespace bankquant
