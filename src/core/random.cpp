#include "bankquant/core/random.hpp"

#include "bankquant/core/progress.hpp"
#include "bankquant/core/threading.hpp"

namespace bankquant {
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
