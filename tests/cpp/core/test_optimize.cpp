#include "bankquant/core/optimize.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace opt = bankquant::optimize;

namespace {

// Rosenbrock's function in n dimensions; minimum 0 at (1, ..., 1).
double rosenbrock(std::span<const double> x, std::span<double> g) {
  double f = 0.0;
  if (!g.empty()) std::fill(g.begin(), g.end(), 0.0);
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
    f += 100 * a * a + b * b;
    if (!g.empty()) {
      g[i] += -400 * a * x[i] - 2 * b;
      g[i + 1] += 200 * a;
    }
  }
  return f;
}

}  // namespace

TEST(Optimize, LbfgsFindsRosenbrockMinimum) {
  const auto r = opt::minimize(rosenbrock, {-1.2, 1.0, -0.5, 0.8});
  ASSERT_TRUE(r.status.converged()) << r.status.message;
  for (double xi : r.x) EXPECT_NEAR(xi, 1.0, 1e-5);
  EXPECT_LT(r.value, 1e-10);
  EXPECT_GT(r.status.evaluations, 10);
}

TEST(Optimize, DerivativeFreeMethods) {
  for (auto method : {opt::Method::nelder_mead, opt::Method::bobyqa, opt::Method::sbplx}) {
    opt::Options o;
    o.method = method;
    o.max_evaluations = 20000;
    o.function_tolerance = 1e-14;
    o.parameter_tolerance = 1e-12;
    int gradient_requests = 0;
    auto f = [&](std::span<const double> x, std::span<double> g) {
      if (!g.empty()) ++gradient_requests;
      return rosenbrock(x, {});
    };
    const auto r = opt::minimize(f, {-1.2, 1.0}, {}, o);
    EXPECT_TRUE(r.status.usable()) << bq::enum_name(method) << ": " << r.status.message;
    EXPECT_NEAR(r.x[0], 1.0, 1e-3) << bq::enum_name(method);
    EXPECT_NEAR(r.x[1], 1.0, 2e-3) << bq::enum_name(method);
    EXPECT_EQ(gradient_requests, 0);
  }
}

TEST(Optimize, BoundsAreRespectedAndActive) {
  // min (x - 3)^2 + (y + 1)^2 on [0, 2] x [0, 5]: the answer is (2, 0), on two bounds.
  auto f = [](std::span<const double> x, std::span<double> g) {
    if (!g.empty()) {
      g[0] = 2 * (x[0] - 3);
      g[1] = 2 * (x[1] + 1);
    }
    return (x[0] - 3) * (x[0] - 3) + (x[1] + 1) * (x[1] + 1);
  };
  const opt::Bounds b{{0.0, 0.0}, {2.0, 5.0}};
  for (auto method : {opt::Method::lbfgs, opt::Method::nelder_mead, opt::Method::bobyqa}) {
    opt::Options o;
    o.method = method;
    const auto r = opt::minimize(f, {1.0, 1.0}, b, o);
    EXPECT_TRUE(r.status.usable()) << r.status.message;
    EXPECT_NEAR(r.x[0], 2.0, 1e-6) << bq::enum_name(method);
    EXPECT_NEAR(r.x[1], 0.0, 1e-6) << bq::enum_name(method);
    EXPECT_GE(r.x[1], 0.0);
    EXPECT_LE(r.x[0], 2.0);
  }
}

TEST(Optimize, EvaluationLimitIsAStatusNotAnError) {
  opt::Options o;
  o.max_evaluations = 5;
  const auto r = opt::minimize(rosenbrock, {-1.2, 1.0}, {}, o);
  EXPECT_EQ(r.status.code, bq::StatusCode::iteration_limit) << r.status.message;
  EXPECT_TRUE(r.status.usable());
  EXPECT_EQ(r.status.evaluations, 5);
  EXPECT_NE(r.status.message.find("max_evaluations = 5"), std::string::npos);
  EXPECT_TRUE(std::isfinite(r.value));
}

TEST(Optimize, ObjectiveExceptionsPropagate) {
  auto f = [](std::span<const double>, std::span<double>) -> double { throw std::domain_error("boom"); };
  EXPECT_THROW((void)opt::minimize(f, {1.0}), std::domain_error);
}

TEST(Optimize, NeverFiniteIsANumericalFailure) {
  auto f = [](std::span<const double>, std::span<double>) { return std::nan(""); };
  opt::Options o;
  o.method = opt::Method::nelder_mead;
  o.max_evaluations = 50;
  const auto r = opt::minimize(f, {1.0, 2.0}, {}, o);
  EXPECT_EQ(r.status.code, bq::StatusCode::numerical_failure);
  EXPECT_FALSE(r.status.usable());
}

TEST(Optimize, BadArgumentsNameThemselves) {
  opt::Options o;
  o.max_evaluations = 0;
  EXPECT_THROW((void)opt::minimize(rosenbrock, {1.0, 1.0}, {}, o), bq::InvalidArgument);
  EXPECT_THROW((void)opt::minimize(rosenbrock, {}), bq::InvalidArgument);
  try {
    (void)opt::minimize(rosenbrock, {3.0, 1.0}, opt::Bounds{{0.0, 0.0}, {2.0, 2.0}});
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("argument 'x0'"), std::string::npos) << e.what();
  }
}

TEST(Optimize, ProgressCallbackCancels) {
  int calls = 0;
  bq::ProgressCallback cb = [&](const bq::ProgressEvent&) { return ++calls < 1; };
  opt::Options o;
  o.max_evaluations = 100000;
  o.function_tolerance = 0;
  o.parameter_tolerance = 0;
  o.gradient_tolerance = 0;
  auto slow = [](std::span<const double> x, std::span<double> g) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    return rosenbrock(x, g);
  };
  EXPECT_THROW((void)opt::minimize(slow, {-1.2, 1.0, 0.3}, {}, o, cb), bq::Cancelled);
}

TEST(Optimize, NumericalGradientAndHessian) {
  const std::vector<double> x{-0.7, 0.4, 1.3};
  std::vector<double> exact(3), approx(3);
  rosenbrock(x, exact);
  auto values = [](std::span<const double> p, std::span<double>) { return rosenbrock(p, {}); };
  opt::numerical_gradient(values, x, approx);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(approx[i], exact[i], 1e-6 * std::max(1.0, std::abs(exact[i])));
  // Hessian of Rosenbrock at x: d2f/dx0^2 = 1200 x0^2 - 400 x1 + 2, d2f/dx0dx1 = -400 x0.
  const auto h = opt::numerical_hessian(values, x);
  EXPECT_NEAR(h[0], 1200 * 0.49 - 400 * 0.4 + 2, 1e-3);
  EXPECT_NEAR(h[1], -400 * -0.7, 1e-3);
  EXPECT_NEAR(h[1], h[3], 1e-12);
  // An L-BFGS fit with numerical gradients reaches the same minimum.
  const auto r = opt::minimize(opt::with_numerical_gradient(values), {-1.2, 1.0});
  EXPECT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_NEAR(r.x[0], 1.0, 1e-4);
}

TEST(Optimize, ThreadsMinimiseConcurrentlyWithIdenticalResults) {
  const auto reference = opt::minimize(rosenbrock, {-1.2, 1.0, -0.5, 0.8});
  std::vector<opt::Result> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] { results[t] = opt::minimize(rosenbrock, {-1.2, 1.0, -0.5, 0.8}); });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) {
    EXPECT_EQ(r.x, reference.x);
    EXPECT_EQ(r.value, reference.value);
  }
}
