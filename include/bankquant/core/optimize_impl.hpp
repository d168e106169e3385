// bankquant/core/optimize_impl.hpp — template bodies of optimize.hpp (include that header).
#pragma once

#ifndef BANKQUANT_INSIDE_OPTIMIZE_HPP
#error "include bankquant/core/optimize.hpp, not its _impl.hpp"
#endif

#include <algorithm>
#include <memory>
#include <type_traits>
#include <utility>

namespace bankquant::optimize {

template <typename Objective>
Result minimize(Objective&& objective, std::vector<double> x0, const Bounds& bounds, const Options& options,
                const ProgressCallback& progress) {
  using F = std::remove_reference_t<Objective>;
  if constexpr (std::is_function_v<F>) {
    F* pointer = objective;  // a plain function: pass a pointer to it
    return minimize(pointer, std::move(x0), bounds, options, progress);
  } else {
    ObjectiveRef ref;
  ref.context = const_cast<void*>(static_cast<const void*>(std::addressof(objective)));
  ref.call = [](void* context, std::span<const double> x, std::span<double> gradient) -> double {
    return static_cast<double>((*static_cast<F*>(context))(x, gradient));
  };
  return detail::minimize(ref, std::move(x0), bounds, options, progress);
  }
}

template <typename Objective>
void numerical_gradient(Objective& f, std::span<const double> x, std::span<double> gradient, const Bounds& bounds,
                        double relative_step) {
  std::vector<double> point(x.begin(), x.end());
  const std::span<double> none;
  for (std::size_t i = 0; i < point.size(); ++i) {
    const double h = relative_step * std::max(std::abs(x[i]), 1.0);
    double up = x[i] + h, down = x[i] - h;
    if (!bounds.upper.empty()) up = std::min(up, bounds.upper[i]);
    if (!bounds.lower.empty()) down = std::max(down, bounds.lower[i]);
    point[i] = up;
    const double f_up = f(std::span<const double>(point), none);
    point[i] = down;
    const double f_down = f(std::span<const double>(point), none);
    point[i] = x[i];
    gradient[i] = up > down ? (f_up - f_down) / (up - down) : 0.0;
  }
}

template <typename Objective>
auto with_numerical_gradient(Objective objective, Bounds bounds, double relative_step) {
  return [f = std::move(objective), b = std::move(bounds), relative_step](std::span<const double> x,
                                                                          std::span<double> gradient) mutable {
    const double value = f(x, std::span<double>());
    if (!gradient.empty()) numerical_gradient(f, x, gradient, b, relative_step);
    return value;
  };
}

template <typename Objective>
std::vector<double> numerical_hessian(Objective& f, std::span<const double> x, double relative_step,
                                      double scale_floor) {
  const std::size_t n = x.size();
  std::vector<double> h(n), point(x.begin(), x.end()), hessian(n * n);
  const std::span<double> none;
  for (std::size_t i = 0; i < n; ++i) h[i] = relative_step * std::max(std::abs(x[i]), scale_floor);
  auto at = [&](std::size_t i, double di, std::size_t j, double dj) {
    point[i] += di;
    point[j] += dj;
    const double v = f(std::span<const double>(point), none);
    point[i] = x[i];
    point[j] = x[j];
    return v;
  };
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i; j < n; ++j) {
      double v;
      if (i == j) {
        const double f0 = f(x, none);
        v = (at(i, h[i], i, 0.0) - 2 * f0 + at(i, -h[i], i, 0.0)) / (h[i] * h[i]);
      } else {
        v = (at(i, h[i], j, h[j]) - at(i, h[i], j, -h[j]) - at(i, -h[i], j, h[j]) + at(i, -h[i], j, -h[j])) /
            (4 * h[i] * h[j]);
      }
      hessian[i * n + j] = hessian[j * n + i] = v;
    }
  }
  return hessian;
}

}  // namespace bankquant::optimize
