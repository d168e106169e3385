// bankquant/graph/detail/relabel.hpp — labels renumbered 0, 1, ... in order of each label's first node.
//
// Components and communities come out of their algorithms with arbitrary label values; numbering
// them by their first node makes the labels the same whatever order the work was done in.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace bankquant::graph::detail {

/// raw[v] in [0, raw.size()) for every node v.
inline std::vector<std::int32_t> relabel_by_first_node(std::span<const std::int32_t> raw) {
  std::vector<std::int32_t> map(raw.size(), -1), out(raw.size());
  std::int32_t next = 0;
  for (std::size_t v = 0; v < raw.size(); ++v) {
    auto& m = map[static_cast<std::size_t>(raw[v])];
    if (m < 0) m = next++;
    out[v] = m;
  }
  return out;
}

}  // namespace bankquant::graph::detail
