// bankquant/graph/detail/union_find.hpp (internal: not part of the public API) — disjoint sets with path halving and union by size.
//
// Shared by weak components, entity resolution and the connectivity repair of communities.
#pragma once

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace bankquant::graph::detail {

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n), size_(n, 1) { std::iota(parent_.begin(), parent_.end(), 0); }

  std::int32_t find(std::int32_t v) {
    while (parent_[static_cast<std::size_t>(v)] != v) {
      auto& p = parent_[static_cast<std::size_t>(v)];
      p = parent_[static_cast<std::size_t>(p)];
      v = p;
    }
    return v;
  }

  /// Joins the sets of a and b; returns false when they were already one set.
  bool unite(std::int32_t a, std::int32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return false;
    if (size_[static_cast<std::size_t>(a)] < size_[static_cast<std::size_t>(b)]) std::swap(a, b);
    parent_[static_cast<std::size_t>(b)] = a;
    size_[static_cast<std::size_t>(a)] += size_[static_cast<std::size_t>(b)];
    return true;
  }

  /// Set label per element: 0..k−1 numbered in order of each set's first element.
  std::vector<std::int32_t> labels() {
    const std::size_t n = parent_.size();
    std::vector<std::int32_t> label_of_root(n, -1), out(n);
    std::int32_t next = 0;
    for (std::size_t v = 0; v < n; ++v) {
      auto& l = label_of_root[static_cast<std::size_t>(find(static_cast<std::int32_t>(v)))];
      if (l < 0) l = next++;
      out[v] = l;
    }
    return out;
  }

 private:
  std::vector<std::int32_t> parent_, size_;
};

}  // namespace bankquant::graph::detail
