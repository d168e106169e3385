// bankquant/portfolio/hrp.hpp — hierarchical allocation: HRP and HERC.
//
// Hierarchical risk parity (Lopez de Prado 2016, "Building diversified portfolios that outperform
// out of sample", J. Portfolio Management 42(4)): (1) cluster the assets on a correlation
// distance, (2) order them by the dendrogram's leaves (quasi-diagonalisation), (3) recursive
// bisection: split the ordered list in halves, and give each half 1 - V_half / (V_left + V_right)
// of the parent's weight, V the variance of the half's inverse-variance portfolio.
//
// Hierarchical equal risk contribution (Raffinot 2017, "Hierarchical clustering-based asset
// allocation", J. Portfolio Management 44(2)): the same bisection, but along the dendrogram's own
// splits, down to k clusters (k by the two-difference gap statistic of Yue, Wang and Wei 2008:
// the k in 2..min(10, sqrt(n)) that maximises W(k-1) - 2 W(k) + W(k+1), W(k) the sum over
// clusters of their mean within-cluster distance; or given), then inverse variance within each
// cluster.
//
// The libraries differ silently on the clustering, so both choices are parameters:
//   distance  'distance_of_distances' (the paper: d_ij = sqrt((1 - rho_ij) / 2), then the
//             Euclidean distance between columns of d, the default), 'correlation' (d itself,
//             as PyPortfolioOpt and Riskfolio-Lib do), 'absolute_correlation' (sqrt(1 - |rho|))
//   linkage   'single' (the paper's and PyPortfolioOpt's default), 'complete', 'average', 'ward'
// Cost O(n^2) for the clustering and O(n^2 log n) for the bisection.
#pragma once

#include <tuple>
#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/portfolio/clustering.hpp"
#include "bankquant/portfolio/mean_variance.hpp"

namespace bankquant::portfolio {

enum class ClusterDistance { distance_of_distances, correlation, absolute_correlation };
BANKQUANT_ENUM_NAMES(ClusterDistance, {distance_of_distances, "distance_of_distances"}, {correlation, "correlation"},
                     {absolute_correlation, "absolute_correlation"})

struct HierarchicalOptions {
  Linkage linkage = Linkage::single;
  ClusterDistance distance = ClusterDistance::distance_of_distances;
  int n_clusters = 0;
  double risk_free = 0.0;

  void validate() const;

  static constexpr auto fields() {
    return std::tuple{
        field("linkage", &HierarchicalOptions::linkage, "'single' (Lopez de Prado 2016), 'complete', 'average' or 'ward'"),
        field("distance", &HierarchicalOptions::distance,
              "'distance_of_distances' (Lopez de Prado 2016), 'correlation' (PyPortfolioOpt, Riskfolio-Lib) or "
              "'absolute_correlation'"),
        field("n_clusters", &HierarchicalOptions::n_clusters,
              "HERC: number of clusters; 0 for the two-difference gap statistic"),
        field("risk_free", &HierarchicalOptions::risk_free, "for the reported Sharpe ratio")};
  }
};

struct HierarchicalResult {
  PortfolioResult portfolio;
  RowMatrix linkage;
  std::vector<int> order;
  std::vector<int> clusters;
  int n_clusters = 0;

  static constexpr auto fields() {
    return std::tuple{field("portfolio", &HierarchicalResult::portfolio, "weights and their report"),
                      field("linkage", &HierarchicalResult::linkage, "the dendrogram, scipy's linkage matrix"),
                      field("order", &HierarchicalResult::order, "assets in quasi-diagonal (leaf) order"),
                      field("clusters", &HierarchicalResult::clusters, "HERC: cluster label of each asset"),
                      field("n_clusters", &HierarchicalResult::n_clusters, "HERC: number of clusters")};
  }
};

/// The clustering distance matrix of a covariance matrix under a distance choice.
[[nodiscard]] BANKQUANT_EXPORT Eigen::MatrixXd cluster_distance(const Eigen::Ref<const Eigen::MatrixXd>& cov,
                                                                ClusterDistance distance);

/// HRP of cov (n x n, positive variances); mu (n or empty) for the report.
[[nodiscard]] BANKQUANT_EXPORT HierarchicalResult hierarchical_risk_parity(
    const Eigen::Ref<const Eigen::MatrixXd>& cov, const Eigen::Ref<const Eigen::VectorXd>& mu,
    const HierarchicalOptions& options = {});

/// HERC of cov; mu (n or empty) for the report.
[[nodiscard]] BANKQUANT_EXPORT HierarchicalResult hierarchical_equal_risk_contribution(
    const Eigen::Ref<const Eigen::MatrixXd>& cov, const Eigen::Ref<const Eigen::VectorXd>& mu,
    const HierarchicalOptions& options = {});

}  // namespace bankquant::portfolio
