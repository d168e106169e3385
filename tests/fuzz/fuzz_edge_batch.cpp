// Fuzzes edge-batch ingestion, where a fraud-monitoring service takes bytes it did not write:
// the bytes are read as a CSV batch of transfers (graph/edge_batch.hpp), split into a first batch
// that builds the graph and a second appended with streaming detection (graph/streaming.hpp); or,
// when the first byte is odd, as raw binary records (ids, amount bits, times) handed straight to
// TransactionGraph::from_edges / append_and_detect. Only bankquant errors may come out, and a
// refused append must leave the graph as it was.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/graph/edge_batch.hpp"
#include "bankquant/graph/screening.hpp"
#include "bankquant/graph/streaming.hpp"

namespace gr = bankquant::graph;

namespace {

gr::StreamingOptions small_options(std::uint8_t knob) {
  gr::StreamingOptions o;
  o.patterns.window = 1 + knob;  // short windows in the units of whatever times arrive
  o.patterns.min_counterparties = 2;
  o.max_cycle_length = 1 + knob % 5;
  o.max_cycles = 10'000;  // arbitrary bytes can describe a complete graph; bound the work
  o.time_limit = 1.0;
  return o;
}

void append_checked(gr::TransactionGraph& g, std::size_t n, std::span<const std::int32_t> s, std::span<const std::int32_t> d,
                    std::span<const double> a, std::span<const std::int64_t> t, const gr::StreamingOptions& o) {
  const std::size_t edges = g.n_edges(), nodes = g.n_nodes();
  try {
    (void)gr::append_and_detect(g, n, s, d, a, t, o);
  } catch (const bankquant::Error&) {
    if (g.n_edges() != edges || g.n_nodes() != nodes) std::abort();  // a refused batch changed the graph
  }
}

void csv_batch(std::string_view text, std::uint8_t knob) {
  const gr::EdgeRecords all = gr::read_edge_csv(text);
  if (all.size() == 0) return;
  const std::size_t cut = (all.size() + 1) / 2;
  gr::EdgeRecords first;
  first.src.assign(all.src.begin(), all.src.begin() + static_cast<std::ptrdiff_t>(cut));
  first.dst.assign(all.dst.begin(), all.dst.begin() + static_cast<std::ptrdiff_t>(cut));
  gr::NodeIndex ids = gr::NodeIndex::sorted(first);
  const auto s = ids.encode(all.src), d = ids.encode(all.dst);
  const std::span<const double> amount(all.amount);
  const std::span<const std::int64_t> time(all.timestamp);
  auto g = gr::TransactionGraph::from_edges(ids.size(), std::span(s).first(cut), std::span(d).first(cut),
                                            amount.empty() ? amount : amount.first(cut), time.empty() ? time : time.first(cut));
  append_checked(g, ids.size(), std::span(s).subspan(cut), std::span(d).subspan(cut),
                 amount.empty() ? amount : amount.subspan(cut), time.empty() ? time : time.subspan(cut), small_options(knob));
  if (!time.empty()) {
    gr::ScreeningOptions screening;
    screening.patterns = small_options(knob).patterns;
    screening.max_cycles = 10'000;
    screening.time_limit = 1.0;
    (void)gr::screen(g, screening);
  }
}

void binary_batch(const std::uint8_t* data, std::size_t size, std::uint8_t knob) {
  // records of 1 + 1 + 8 + 2 bytes: src, dst (node ids, may exceed n), amount bits, time
  constexpr std::size_t kRecord = 12;
  const std::size_t m = size / kRecord;
  if (m == 0) return;
  std::vector<std::int32_t> s(m), d(m);
  std::vector<double> a(m);
  std::vector<std::int64_t> t(m);
  for (std::size_t k = 0; k < m; ++k) {
    const std::uint8_t* r = data + k * kRecord;
    s[k] = static_cast<std::int8_t>(r[0]);  // negative ids too
    d[k] = static_cast<std::int8_t>(r[1]);
    std::memcpy(&a[k], r + 2, sizeof(double));
    std::uint16_t time = 0;
    std::memcpy(&time, r + 10, sizeof(time));
    t[k] = static_cast<std::int64_t>(time) - 30'000;
  }
  const std::size_t n = 1 + knob % 64, cut = (m + 1) / 2;
  auto g = gr::TransactionGraph::from_edges(n, std::span(s).first(cut), std::span(d).first(cut), std::span(a).first(cut),
                                            std::span(t).first(cut));
  append_checked(g, n + knob % 3, std::span(s).subspan(cut), std::span(d).subspan(cut), std::span(a).subspan(cut),
                 std::span(t).subspan(cut), small_options(knob));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t mode = data[0], knob = data[1];
  try {
    if (mode % 2 == 0) csv_batch(std::string_view(reinterpret_cast<const char*>(data + 2), size - 2), knob);
    else binary_batch(data + 2, size - 2, knob);
  } catch (const bankquant::Error&) {
    // a refusal with a message: the expected outcome for bad bytes
  }
  return 0;
}
