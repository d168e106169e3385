// bankquant/core/matrix.hpp — the matrix types shared across modules.
//
// numpy arrays are row-major, so tables of observations (days x assets, rows x features) cross
// into C++ as RowMatrix views without a copy (Eigen::Ref<const RowMatrix>).
#pragma once

#include <Eigen/Core>

namespace bankquant {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace bankquant
