// bankquant/portfolio/clustering.hpp — agglomerative hierarchical clustering of assets.
//
// The nearest-neighbour-chain algorithm (Murtagh 1983; Muellner 2011, "Modern hierarchical,
// agglomerative clustering algorithms") with Lance-Williams updates, O(n^2) time and memory, for
// the reducible linkages single, complete, average and ward. Its output is scipy's linkage matrix
// ((n-1) x 4: the two clusters merged, the smaller id first, their distance, the new size; rows
// by distance, new clusters numbered n, n+1, ...), built with scipy's tie rules, so
// scipy.cluster.hierarchy.linkage(squareform(D), method) gives the same matrix, and `order`
// equals scipy's leaves_list (the quasi-diagonal order of HRP).
#pragma once

#include <vector>

#include <Eigen/Core>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/matrix.hpp"
#include "bankquant/export.hpp"

namespace bankquant::portfolio {

enum class Linkage { single, complete, average, ward };
BANKQUANT_ENUM_NAMES(Linkage, {single, "single"}, {complete, "complete"}, {average, "average"}, {ward, "ward"})

struct Dendrogram {
  RowMatrix linkage;       ///< (n-1) x 4, scipy's format
  std::vector<int> order;  ///< leaves left to right
};

/// Clusters n items from their symmetric n x n distance matrix (zero diagonal, non-negative).
[[nodiscard]] BANKQUANT_EXPORT Dendrogram hierarchical_clustering(const Eigen::Ref<const Eigen::MatrixXd>& distance,
                                                                  Linkage linkage);

/// The flat clusters (labels 0..k-1, in leaf order) after removing the top k-1 merges.
[[nodiscard]] BANKQUANT_EXPORT std::vector<int> cut_tree(const Dendrogram& tree, int k);

}  // namespace bankquant::portfolio
