#include "bankquant/portfolio/clustering.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::portfolio {

using Eigen::Index;

Dendrogram hierarchical_clustering(const Eigen::Ref<const Eigen::MatrixXd>& distance, Linkage linkage) {
  check::square("distance", distance.rows(), distance.cols());
  check::not_empty("distance", static_cast<std::size_t>(distance.rows()));
  check::all_finite("distance", distance);
  const Index n = distance.rows();
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < n; ++j) {
      if (distance(i, j) < 0) check::fail("distance", fmt::format("expected non-negative distances, got {} at ({}, {})", distance(i, j), i, j));
      if (std::abs(distance(i, j) - distance(j, i)) > 1e-12 * (1 + std::abs(distance(i, j)))) {
        check::fail("distance", "expected a symmetric matrix");
      }
    }
  }
  Eigen::MatrixXd D = distance;
  std::vector<double> size(static_cast<std::size_t>(n), 1.0);
  struct Merge {
    Index x, y;
    double d, size;
  };
  std::vector<Merge> merges;
  std::vector<Index> chain;
  constexpr double inf = std::numeric_limits<double>::infinity();
  for (Index k = 0; k + 1 < n; ++k) {
    if (chain.empty()) {
      for (Index i = 0; i < n; ++i) {
        if (size[static_cast<std::size_t>(i)] > 0) {
          chain.push_back(i);
          break;
        }
      }
    }
    Index x = 0, y = 0;
    double current = inf;
    for (;;) {
      x = chain.back();
      if (chain.size() > 1) {
        y = chain[chain.size() - 2];
        current = D(x, y);
      } else {
        current = inf;
      }
      for (Index i = 0; i < n; ++i) {
        if (size[static_cast<std::size_t>(i)] == 0 || i == x) continue;
        if (D(x, i) < current) {
          current = D(x, i);
          y = i;
        }
      }
      if (chain.size() > 1 && y == chain[chain.size() - 2]) break;
      chain.push_back(y);
    }
    chain.pop_back();
    chain.pop_back();
    if (x > y) std::swap(x, y);
    const double nx = size[static_cast<std::size_t>(x)], ny = size[static_cast<std::size_t>(y)];
    merges.push_back({x, y, current, nx + ny});
    size[static_cast<std::size_t>(x)] = 0;
    size[static_cast<std::size_t>(y)] = nx + ny;
    for (Index i = 0; i < n; ++i) {
      const double ni = size[static_cast<std::size_t>(i)];
      if (ni == 0 || i == y) continue;
      const double dx = D(i, x), dy = D(i, y), dxy = current;
      double v = 0.0;
      switch (linkage) {
        case Linkage::single: v = std::min(dx, dy); break;
        case Linkage::complete: v = std::max(dx, dy); break;
        case Linkage::average: v = (nx * dx + ny * dy) / (nx + ny); break;
        case Linkage::ward: {
          const double t = 1.0 / (nx + ny + ni);
          v = std::sqrt(std::max(0.0, (ni + nx) * t * dx * dx + (ni + ny) * t * dy * dy - ni * t * dxy * dxy));
          break;
        }
      }
      D(i, y) = D(y, i) = v;
    }
  }
  // Sort by distance (stable) and relabel with union-find, as scipy does.
  std::vector<std::size_t> idx(merges.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return merges[a].d < merges[b].d; });
  std::vector<Index> parent(static_cast<std::size_t>(2 * n - 1));
  std::iota(parent.begin(), parent.end(), Index{0});
  std::vector<double> csize(static_cast<std::size_t>(2 * n - 1), 1.0);
  auto find = [&](Index v) {
    Index root = v;
    while (parent[static_cast<std::size_t>(root)] != root) root = parent[static_cast<std::size_t>(root)];
    while (parent[static_cast<std::size_t>(v)] != root) {
      const Index next = parent[static_cast<std::size_t>(v)];
      parent[static_cast<std::size_t>(v)] = root;
      v = next;
    }
    return root;
  };
  Dendrogram out;
  out.linkage.resize(n - 1, 4);
  for (Index r = 0; r + 1 < n; ++r) {
    const Merge& m = merges[idx[static_cast<std::size_t>(r)]];
    Index a = find(m.x), b = find(m.y);
    if (a > b) std::swap(a, b);
    const Index id = n + r;
    parent[static_cast<std::size_t>(a)] = parent[static_cast<std::size_t>(b)] = id;
    csize[static_cast<std::size_t>(id)] = csize[static_cast<std::size_t>(a)] + csize[static_cast<std::size_t>(b)];
    out.linkage(r, 0) = static_cast<double>(a);
    out.linkage(r, 1) = static_cast<double>(b);
    out.linkage(r, 2) = m.d;
    out.linkage(r, 3) = csize[static_cast<std::size_t>(id)];
  }
  // Leaves in pre-order, left (first) child first.
  if (n == 1) {
    out.order = {0};
    return out;
  }
  std::vector<Index> stack{2 * n - 2};
  while (!stack.empty()) {
    const Index node = stack.back();
    stack.pop_back();
    if (node < n) {
      out.order.push_back(static_cast<int>(node));
      continue;
    }
    stack.push_back(static_cast<Index>(out.linkage(node - n, 1)));
    stack.push_back(static_cast<Index>(out.linkage(node - n, 0)));
  }
  return out;
}

std::vector<int> cut_tree(const Dendrogram& tree, int k) {
  const Index n = tree.linkage.rows() + 1;
  if (k < 1 || k > n) check::fail("n_clusters", fmt::format("expected 1 to {} clusters, got {}", n, k));
  // The roots after undoing the top k-1 merges, then labels by first appearance in leaf order.
  std::vector<Index> roots{2 * n - 2};
  for (int split = 0; split < k - 1; ++split) {
    // Undo the highest merge among the current roots.
    auto top = std::max_element(roots.begin(), roots.end());
    const Index node = *top;
    roots.erase(top);
    roots.push_back(static_cast<Index>(tree.linkage(node - n, 0)));
    roots.push_back(static_cast<Index>(tree.linkage(node - n, 1)));
  }
  std::vector<int> root_of(static_cast<std::size_t>(n), -1);
  for (std::size_t r = 0; r < roots.size(); ++r) {
    std::vector<Index> stack{roots[r]};
    while (!stack.empty()) {
      const Index node = stack.back();
      stack.pop_back();
      if (node < n) {
        root_of[static_cast<std::size_t>(node)] = static_cast<int>(r);
      } else {
        stack.push_back(static_cast<Index>(tree.linkage(node - n, 0)));
        stack.push_back(static_cast<Index>(tree.linkage(node - n, 1)));
      }
    }
  }
  std::vector<int> label_of_root(roots.size(), -1), labels(static_cast<std::size_t>(n));
  int next = 0;
  for (int leaf : tree.order) {
    int& l = label_of_root[static_cast<std::size_t>(root_of[static_cast<std::size_t>(leaf)])];
    if (l < 0) l = next++;
  }
  for (Index i = 0; i < n; ++i) labels[static_cast<std::size_t>(i)] = label_of_root[static_cast<std::size_t>(root_of[static_cast<std::size_t>(i)])];
  return labels;
}

}  // namespace bankquant::portfolio
