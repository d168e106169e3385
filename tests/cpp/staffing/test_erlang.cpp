#include "bankquant/staffing/erlang.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <unsupported/Eigen/MatrixFunctions>

#include "bankquant/core/errors.hpp"

namespace bq = bankquant;
namespace st = bankquant::staffing;

namespace {

// An independent Erlang C: the textbook formula summed in log space in long double.
long double erlang_c_direct(long double a, int n) {
  std::vector<long double> logs;
  for (int k = 0; k < n; ++k) logs.push_back(k * std::log(a) - std::lgamma(static_cast<long double>(k) + 1));
  const long double last = n * std::log(a) - std::lgamma(static_cast<long double>(n) + 1) + std::log(n / (n - a));
  long double top = last;
  for (long double v : logs) top = std::max(top, v);
  long double sum = std::exp(last - top);
  for (long double v : logs) sum += std::exp(v - top);
  return std::exp(last - top) / sum;
}

// Erlang A from the birth-death chain solved densely (states 0..n + extra), and the answer-time
// distribution from the tagged customer's absorbing chain and its matrix exponential.
struct DenseErlangA {
  double prob_wait, prob_abandon, service_level, asa, prob_answered;
};

DenseErlangA dense_erlang_a(double lambda, double s, double patience, int n, double t, int extra) {
  const double mu = 1 / s, theta = 1 / patience;
  const int K = n + extra;
  Eigen::MatrixXd Q = Eigen::MatrixXd::Zero(K + 1, K + 1);
  for (int k = 0; k <= K; ++k) {
    if (k < K) Q(k, k + 1) = lambda;
    if (k > 0) Q(k, k - 1) = std::min(k, n) * mu + std::max(k - n, 0) * theta;
    Q(k, k) = -Q.row(k).sum();
  }
  Eigen::MatrixXd A = Q.transpose();
  A.row(K).setOnes();
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(K + 1);
  rhs(K) = 1;
  const Eigen::VectorXd pi = A.fullPivLu().solve(rhs);
  DenseErlangA out{};
  double queue = 0;
  for (int k = n; k <= K; ++k) {
    out.prob_wait += pi(k);
    queue += (k - n) * pi(k);
  }
  out.prob_abandon = theta * queue / lambda;
  // Tagged chain: states i = 0..J customers ahead, then S (answered) and A (abandoned).
  const int J = extra, S = J + 1, Ab = J + 2;
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(J + 3, J + 3);
  for (int i = 0; i <= J; ++i) {
    if (i > 0) G(i, i - 1) = n * mu + i * theta;
    else G(i, S) = n * mu;
    G(i, Ab) = theta;
    G(i, i) = -(n * mu + (i + 1) * theta);
  }
  const Eigen::MatrixXd P = (G * t).exp();
  const Eigen::MatrixXd N = (-G.topLeftCorner(J + 1, J + 1)).inverse();  // expected time in each state
  Eigen::VectorXd p_answer = Eigen::VectorXd::Zero(J + 1);
  for (int i = 0; i <= J; ++i) p_answer(i) = N(i, 0) * n * mu;
  const Eigen::VectorXd timed = N * p_answer;  // E[wait 1{answered}]
  double below = 0;
  for (int k = 0; k < n; ++k) below += pi(k);
  out.service_level = below;
  out.prob_answered = below;
  double answered_wait = 0;
  for (int j = 0; j <= std::min(J, K - n); ++j) {
    out.service_level += pi(n + j) * P(j, S);
    out.prob_answered += pi(n + j) * p_answer(j);
    answered_wait += pi(n + j) * timed(j);
  }
  out.asa = answered_wait / out.prob_answered;
  return out;
}

}  // namespace

// Published values: the Erlang B table at 1% grade of service (the loads N servers carry at
// B = 0.01, printed to 3-4 significant digits in every traffic table, e.g. ITU-T's): the rounding
// of the printed load bounds the deviation of B from 0.01.
TEST(ErlangB, PublishedGradeOfServiceTable) {
  struct Row { int n; double load; };
  for (const auto& [n, load] : {Row{1, 0.0101}, Row{2, 0.153}, Row{5, 1.361}, Row{10, 4.461}, Row{20, 12.03},
                                Row{30, 20.34}, Row{50, 37.90}, Row{100, 84.06}}) {
    EXPECT_NEAR(st::erlang_b(load, n), 0.01, 5e-5) << n;
  }
}

TEST(ErlangB, ClosedFormsAndContinuousExtension) {
  EXPECT_DOUBLE_EQ(st::erlang_b(2.0, 0), 1.0);
  EXPECT_NEAR(st::erlang_b(2.0, 1), 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(st::erlang_b(1.0, 2), 0.2, 1e-15);  // (1/2) / (1 + 1 + 1/2)
  EXPECT_EQ(st::erlang_b(0.0, 3), 0.0);
  for (int n : {1, 7, 50, 400}) {
    for (double a : {0.5, 5.0, 45.0, 390.0}) {
      EXPECT_NEAR(st::erlang_b_continuous(a, n), st::erlang_b(a, n), 1e-11 * st::erlang_b(a, n) + 1e-300)
          << n << " " << a;
    }
  }
  // Monotone between integers.
  EXPECT_LT(st::erlang_b_continuous(10.0, 12.5), st::erlang_b(10.0, 12));
  EXPECT_GT(st::erlang_b_continuous(10.0, 12.5), st::erlang_b(10.0, 13));
}

TEST(ErlangB, ThousandsOfServersWithoutOverflow) {
  const double b = st::erlang_b(9800.0, 10000);
  EXPECT_GT(b, 0.0);
  EXPECT_LT(b, 1e-3);
  EXPECT_NEAR(b, st::erlang_b_continuous(9800.0, 10000.0), 1e-10 * b);
  // Far more servers than load: B underflows to 0 rather than becoming NaN.
  EXPECT_EQ(st::erlang_b(1.0, 5000), 0.0);
}

// Published: pyworkforce's README example (100 calls per 30 minutes, 3-minute handling, 80% in
// 20 seconds; 14 servers): service level 0.8884, occupancy 0.7143, waiting probability 0.1741.
TEST(ErlangC, PublishedExample) {
  const auto r = st::erlang_c(100.0 / 30.0, 3.0, 14, 20.0 / 60.0);
  EXPECT_NEAR(r.service_level, 0.8884, 5e-5);
  EXPECT_NEAR(r.occupancy, 0.7143, 5e-5);
  EXPECT_NEAR(r.prob_wait, 0.1741, 5e-5);
  EXPECT_DOUBLE_EQ(r.load, 10.0);
}

TEST(ErlangC, ClosedForms) {
  // M/M/1: C = rho, ASA = rho s / (1 - rho).
  const auto one = st::erlang_c(0.6, 1.0, 1, 0.5);
  EXPECT_NEAR(one.prob_wait, 0.6, 1e-15);
  EXPECT_NEAR(one.asa, 0.6 / 0.4, 1e-14);
  EXPECT_NEAR(one.service_level, 1 - 0.6 * std::exp(-0.4 * 0.5), 1e-15);
  // M/M/2 at a = 1: C = 1/3.
  EXPECT_NEAR(st::erlang_c(1.0, 1.0, 2, 0.0).prob_wait, 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(st::erlang_c(1.0, 1.0, 2, 0.0).service_level, 2.0 / 3.0, 1e-15);
  // No arrivals: nobody waits.
  EXPECT_EQ(st::erlang_c(0.0, 3.0, 1, 0.1).prob_wait, 0.0);
  EXPECT_EQ(st::erlang_c(0.0, 3.0, 1, 0.1).service_level, 1.0);
}

TEST(ErlangC, EqualsAnIndependentImplementation) {
  for (int n : {1, 2, 3, 8, 25, 100, 1000, 5000}) {
    for (double rho : {0.1, 0.5, 0.8, 0.95, 0.999}) {
      const double a = rho * n, s = 2.5, lambda = a / s;
      const auto r = st::erlang_c(lambda, s, n, 0.3);
      const auto expected = static_cast<double>(erlang_c_direct(a, n));
      EXPECT_NEAR(r.prob_wait, expected, 1e-9) << n << " " << rho;
      EXPECT_NEAR(r.prob_wait, expected, 1e-11 * expected + 1e-300) << n << " " << rho;
      EXPECT_NEAR(r.asa, expected * s / (n - a), 1e-9 * (1 + r.asa));
      EXPECT_NEAR(r.service_level, 1 - expected * std::exp(-(n - a) * 0.3 / s), 1e-9);
      EXPECT_NEAR(r.mean_queue, lambda * r.asa, 1e-12 * (1 + r.mean_queue));
    }
  }
}

TEST(ErlangC, UnstableQueueSaysHowManyServers) {
  try {
    (void)st::erlang_c(12.5 / 3.0, 3.0, 10, 0.3);
    FAIL() << "expected an error";
  } catch (const bq::InvalidArgument& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("argument 'servers'"), std::string::npos) << text;
    EXPECT_NE(text.find("unstable"), std::string::npos) << text;
    EXPECT_NE(text.find("at least 13 servers"), std::string::npos) << text;
  }
  EXPECT_THROW((void)st::erlang_c(4.0, 1.0, 4, 0.1), bq::InvalidArgument);  // load == servers
}

TEST(ErlangC, BadArgumentsAreNamed) {
  auto names = [](auto f, const char* name) {
    try {
      f();
      ADD_FAILURE() << "expected an error naming " << name;
    } catch (const bq::InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(std::string("'") + name + "'"), std::string::npos) << e.what();
    }
  };
  names([] { (void)st::erlang_c(-1.0, 1.0, 2, 0.1); }, "arrival_rate");
  names([] { (void)st::erlang_c(NAN, 1.0, 2, 0.1); }, "arrival_rate");
  names([] { (void)st::erlang_c(1.0, 0.0, 2, 0.1); }, "service_time");
  names([] { (void)st::erlang_c(1.0, -2.0, 2, 0.1); }, "service_time");
  names([] { (void)st::erlang_c(1.0, 1.0, 0, 0.1); }, "servers");
  names([] { (void)st::erlang_c(1.0, 1.0, 2, -0.1); }, "target_time");
  names([] { (void)st::erlang_c(1.0, 1.0, 2, INFINITY); }, "target_time");
  names([] { (void)st::erlang_a(1.0, 1.0, 0.0, 2, 0.1); }, "patience");
  names([] { (void)st::erlang_a(1.0, 1.0, -1.0, 2, 0.1); }, "patience");
  names([] { (void)st::erlang_a(1.0, 1.0, INFINITY, 2, 0.1); }, "patience");
  names([] { (void)st::erlang_b(-1.0, 2); }, "load");
  names([] { (void)st::erlang_b(1.0, -2); }, "servers");
}

TEST(ErlangA, EqualsTheDenseBirthDeathChain) {
  struct Case { double lambda, s, patience; int n; double t; int extra; };
  for (const auto& c : {Case{0.9, 1.0, 2.0, 1, 0.5, 200}, Case{4.0, 1.0, 0.5, 3, 0.2, 200},
                        Case{100.0 / 30, 3.0, 5.0, 13, 1.0 / 3, 250}, Case{19.0, 1.0, 1.0, 20, 0.1, 250},
                        Case{30.0, 1.0, 3.0, 20, 0.25, 350}, Case{95.0, 1.0, 0.2, 100, 0.05, 300},
                        Case{2.0, 0.5, 10.0, 2, 0.0, 250}}) {
    const auto r = st::erlang_a(c.lambda, c.s, c.patience, c.n, c.t);
    const auto d = dense_erlang_a(c.lambda, c.s, c.patience, c.n, c.t, c.extra);
    EXPECT_NEAR(r.prob_wait, d.prob_wait, 1e-9) << c.n << " " << c.lambda;
    EXPECT_NEAR(r.prob_abandon, d.prob_abandon, 1e-9) << c.n << " " << c.lambda;
    EXPECT_NEAR(r.service_level, d.service_level, 1e-9) << c.n << " " << c.lambda;
    EXPECT_NEAR(r.asa, d.asa, 1e-9) << c.n << " " << c.lambda;
    // Flow balance: the answered are those who do not abandon.
    EXPECT_NEAR(1 - r.prob_abandon, d.prob_answered, 1e-9);
    EXPECT_NEAR(r.occupancy, c.lambda * c.s * (1 - r.prob_abandon) / c.n, 1e-12);
    EXPECT_NEAR(r.mean_wait, r.mean_queue / c.lambda, 1e-12);
  }
}

TEST(ErlangA, TendsToErlangCAsPatienceGrows) {
  const auto c = st::erlang_c(9.0, 1.0, 10, 0.2);
  const auto a = st::erlang_a(9.0, 1.0, 1e7, 10, 0.2);
  EXPECT_NEAR(a.prob_wait, c.prob_wait, 1e-5);
  EXPECT_NEAR(a.service_level, c.service_level, 1e-5);
  EXPECT_NEAR(a.asa, c.asa, 1e-4);
  EXPECT_LT(a.prob_abandon, 1e-5);
}

TEST(ErlangA, OverloadIsStableAndLargeSystemsAreCheap) {
  // Twice the capacity: most wait, many abandon, the result is finite.
  const auto over = st::erlang_a(200.0, 1.0, 0.5, 100, 0.1);
  EXPECT_GT(over.prob_abandon, 0.4);
  EXPECT_LT(over.prob_abandon, 0.6);
  EXPECT_NEAR(over.prob_wait, 1.0, 1e-6);
  EXPECT_GE(over.service_level, 0.0);
  // A thousand servers, long patience relative to the target, target beyond e^-700 of the rates.
  const auto big = st::erlang_a(990.0, 1.0, 3.0, 1000, 1.0);
  EXPECT_GT(big.service_level, 0.0);
  EXPECT_LE(big.service_level, 1.0);
  EXPECT_LT(big.queue_states, 20000);
  EXPECT_TRUE(std::isfinite(big.asa));
  // Near-infinite patience on an overloaded queue would need too many states: a named error.
  EXPECT_THROW((void)st::erlang_a(200.0, 1.0, 1e9, 100, 0.1), bq::InvalidArgument);
}

// The module's umbrella header compiles on its own and reaches every public header.
#include "bankquant/staffing.hpp"

TEST(StaffingUmbrella, EveryHeaderIsReachable) {
  EXPECT_GT(st::erlang_c(1.0, 1.0, 2, 0.1).service_level, 0.0);
  EXPECT_EQ(bq::enum_name(st::PeriodMethod::lagged_sipp), "lagged_sipp");
  EXPECT_EQ(bq::enum_name(st::ServiceDistribution::lognormal), "lognormal");
  EXPECT_EQ(st::RosterOptions{}.relative_gap, 0.01);
}
