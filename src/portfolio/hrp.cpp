#include "bankquant/portfolio/hrp.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/portfolio/covariance.hpp"
#include "bankquant/portfolio/naive.hpp"

namespace bankquant::portfolio {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

void HierarchicalOptions::validate() const {
  check::integer_at_least("n_clusters", n_clusters, 0);
  check::finite("risk_free", risk_free);
}

namespace {

void check_input(const Eigen::Ref<const MatrixXd>& cov, const Eigen::Ref<const VectorXd>& mu) {
  check_covariance("cov", cov, mu.size() ? mu.size() : cov.rows());
  for (Index i = 0; i < cov.rows(); ++i) {
    if (!(cov(i, i) > 0)) check::fail("cov", fmt::format("expected positive variances, asset {} has {}", i, cov(i, i)));
  }
}

// Variance of the inverse-variance portfolio of the assets in `members`.
double cluster_variance(const Eigen::Ref<const MatrixXd>& cov, const std::vector<int>& members) {
  VectorXd w(static_cast<Index>(members.size()));
  for (std::size_t a = 0; a < members.size(); ++a) w(static_cast<Index>(a)) = 1.0 / cov(members[a], members[a]);
  w /= w.sum();
  double v = 0.0;
  for (std::size_t a = 0; a < members.size(); ++a) {
    for (std::size_t b = 0; b < members.size(); ++b) v += w(static_cast<Index>(a)) * w(static_cast<Index>(b)) * cov(members[a], members[b]);
  }
  return v;
}

std::vector<int> leaves(const Dendrogram& t, Index node) {
  const Index n = t.linkage.rows() + 1;
  std::vector<int> out;
  std::vector<Index> stack{node};
  while (!stack.empty()) {
    const Index v = stack.back();
    stack.pop_back();
    if (v < n) {
      out.push_back(static_cast<int>(v));
    } else {
      stack.push_back(static_cast<Index>(t.linkage(v - n, 1)));
      stack.push_back(static_cast<Index>(t.linkage(v - n, 0)));
    }
  }
  return out;
}

}  // namespace

Eigen::MatrixXd cluster_distance(const Eigen::Ref<const MatrixXd>& cov, ClusterDistance distance) {
  const MatrixXd corr = correlation_from_covariance(cov);
  const Index n = corr.rows();
  MatrixXd d(n, n);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < n; ++j) {
      const double rho = std::clamp(corr(i, j), -1.0, 1.0);
      d(i, j) = distance == ClusterDistance::absolute_correlation ? std::sqrt(std::max(0.0, 1.0 - std::abs(rho)))
                                                                 : std::sqrt(std::max(0.0, 0.5 * (1.0 - rho)));
    }
    d(i, i) = 0.0;
  }
  if (distance != ClusterDistance::distance_of_distances) return d;
  MatrixXd dd(n, n);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < n; ++j) dd(i, j) = (d.col(i) - d.col(j)).norm();
  }
  return dd;
}

HierarchicalResult hierarchical_risk_parity(const Eigen::Ref<const MatrixXd>& cov, const Eigen::Ref<const VectorXd>& mu,
                                            const HierarchicalOptions& o) {
  o.validate();
  check_input(cov, mu);
  const auto started = std::chrono::steady_clock::now();
  const Index n = cov.rows();
  const Dendrogram tree = hierarchical_clustering(cluster_distance(cov, o.distance), o.linkage);
  VectorXd w = VectorXd::Ones(n);
  std::vector<std::vector<int>> items{tree.order};
  while (!items.empty()) {
    std::vector<std::vector<int>> next;
    for (const auto& c : items) {
      if (c.size() < 2) continue;
      const std::size_t half = c.size() / 2;
      std::vector<int> left(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(half));
      std::vector<int> right(c.begin() + static_cast<std::ptrdiff_t>(half), c.end());
      const double vl = cluster_variance(cov, left), vr = cluster_variance(cov, right);
      const double alpha = 1.0 - vl / (vl + vr);
      for (int i : left) w(i) *= alpha;
      for (int i : right) w(i) *= 1.0 - alpha;
      next.push_back(std::move(left));
      next.push_back(std::move(right));
    }
    items = std::move(next);
  }
  HierarchicalResult r;
  r.portfolio = evaluate_portfolio(w, mu, cov, o.risk_free, "hrp");
  r.portfolio.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.linkage = tree.linkage;
  r.order = tree.order;
  return r;
}

HierarchicalResult hierarchical_equal_risk_contribution(const Eigen::Ref<const MatrixXd>& cov,
                                                        const Eigen::Ref<const VectorXd>& mu,
                                                        const HierarchicalOptions& o) {
  o.validate();
  check_input(cov, mu);
  const auto started = std::chrono::steady_clock::now();
  const Index n = cov.rows();
  const MatrixXd dist = cluster_distance(cov, o.distance);
  const Dendrogram tree = hierarchical_clustering(dist, o.linkage);
  int k = o.n_clusters;
  if (k > n) check::fail("n_clusters", fmt::format("expected at most {} clusters for {} assets, got {}", n, n, k));
  if (k == 0) {
    const int k_max = static_cast<int>(std::min<double>(10.0, std::floor(std::sqrt(static_cast<double>(n)))));
    if (k_max < 3) {
      k = std::min<int>(2, static_cast<int>(n));
    } else {
      std::vector<double> W(static_cast<std::size_t>(k_max + 2), 0.0);
      for (int kk = 1; kk <= std::min<int>(k_max + 1, static_cast<int>(n)); ++kk) {
        const std::vector<int> labels = cut_tree(tree, kk);
        double total = 0.0;
        for (int c = 0; c < kk; ++c) {
          double s = 0.0;
          int pairs = 0;
          for (Index i = 0; i < n; ++i) {
            if (labels[static_cast<std::size_t>(i)] != c) continue;
            for (Index j = i + 1; j < n; ++j) {
              if (labels[static_cast<std::size_t>(j)] != c) continue;
              s += dist(i, j);
              ++pairs;
            }
          }
          if (pairs) total += s / pairs;
        }
        W[static_cast<std::size_t>(kk)] = total;
      }
      double best = -std::numeric_limits<double>::infinity();
      k = 2;
      for (int kk = 2; kk <= k_max && kk + 1 <= static_cast<int>(n); ++kk) {
        const double gap = W[static_cast<std::size_t>(kk - 1)] - 2 * W[static_cast<std::size_t>(kk)] + W[static_cast<std::size_t>(kk + 1)];
        if (gap > best) {
          best = gap;
          k = kk;
        }
      }
    }
  }
  const std::vector<int> labels = cut_tree(tree, k);
  // The top k-1 merges are split by risk; below them, each cluster is inverse-variance weighted.
  VectorXd w = VectorXd::Zero(n);
  const Index top_first = (n - 1) - (k - 1);  // rows >= this are the top merges
  struct Item {
    Index node;
    double weight;
  };
  std::vector<Item> stack{{2 * n - 2, 1.0}};
  if (n == 1) stack = {{0, 1.0}};
  while (!stack.empty()) {
    const Item it = stack.back();
    stack.pop_back();
    const bool split = it.node >= n && it.node - n >= top_first;
    if (!split) {
      const std::vector<int> members = leaves(tree, it.node);
      double s = 0.0;
      for (int i : members) s += 1.0 / cov(i, i);
      for (int i : members) w(i) = it.weight * (1.0 / cov(i, i)) / s;
      continue;
    }
    const Index left = static_cast<Index>(tree.linkage(it.node - n, 0)), right = static_cast<Index>(tree.linkage(it.node - n, 1));
    const double vl = cluster_variance(cov, leaves(tree, left)), vr = cluster_variance(cov, leaves(tree, right));
    const double alpha = 1.0 - vl / (vl + vr);
    stack.push_back({left, it.weight * alpha});
    stack.push_back({right, it.weight * (1.0 - alpha)});
  }
  HierarchicalResult r;
  r.portfolio = evaluate_portfolio(w, mu, cov, o.risk_free, "herc");
  r.portfolio.status.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.linkage = tree.linkage;
  r.order = tree.order;
  r.clusters = labels;
  r.n_clusters = k;
  return r;
}

}  // namespace bankquant::portfolio
