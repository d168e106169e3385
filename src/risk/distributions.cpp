#include "bankquant/risk/distributions.hpp"

#include <cmath>
#include <numbers>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::risk {
namespace {

const boost::math::normal_distribution<double> kStandardNormal;

// The partial first moment of a standard t_nu below u: integral of x f(x) over (-inf, u].
double t_partial_mean(const boost::math::students_t_distribution<double>& t, double nu, double u) {
  return -(nu + u * u) / (nu - 1) * boost::math::pdf(t, u);
}

}  // namespace

StandardizedDistribution::StandardizedDistribution(Innovation family, double nu, double skew)
    : family_(family), nu_(has_shape(family) ? nu : 0.0), skew_(has_skew(family) ? skew : 0.0) {
  if (family == Innovation::student_t || family == Innovation::skew_t) {
    if (!(nu > 2) || !std::isfinite(nu)) check::fail("nu", fmt::format("expected a finite value > 2, got {}", nu));
    k_ = std::sqrt((nu - 2) / nu);
  }
  if (family == Innovation::skew_t) {
    if (!(skew > -1 && skew < 1)) check::fail("skew", fmt::format("expected a value in (-1, 1), got {}", skew));
    const double c = std::exp(std::lgamma((nu + 1) / 2) - std::lgamma(nu / 2)) / std::sqrt(std::numbers::pi * (nu - 2));
    a_ = 4 * skew * c * (nu - 2) / (nu - 1);
    b_ = std::sqrt(1 + 3 * skew * skew - a_ * a_);
  }
  if (family == Innovation::ged) {
    if (!(nu > 0) || !std::isfinite(nu)) check::fail("nu", fmt::format("expected a finite value > 0, got {}", nu));
    ged_l_ = std::sqrt(std::pow(2.0, -2.0 / nu) * std::exp(std::lgamma(1 / nu) - std::lgamma(3 / nu)));
  }
}

double StandardizedDistribution::log_pdf(double z) const {
  switch (family_) {
    case Innovation::normal:
      return -0.5 * (std::log(2 * std::numbers::pi) + z * z);
    case Innovation::student_t: {
      const double c = std::lgamma((nu_ + 1) / 2) - std::lgamma(nu_ / 2) - 0.5 * std::log(std::numbers::pi * (nu_ - 2));
      return c - (nu_ + 1) / 2 * std::log1p(z * z / (nu_ - 2));
    }
    case Innovation::skew_t: {
      const double c = std::lgamma((nu_ + 1) / 2) - std::lgamma(nu_ / 2) - 0.5 * std::log(std::numbers::pi * (nu_ - 2));
      const double side = z < -a_ / b_ ? 1 - skew_ : 1 + skew_;
      const double y = (b_ * z + a_) / side;
      return std::log(b_) + c - (nu_ + 1) / 2 * std::log1p(y * y / (nu_ - 2));
    }
    case Innovation::ged: {
      const double x = std::abs(z) / ged_l_;
      return std::log(nu_) - 0.5 * std::pow(x, nu_) - std::log(ged_l_) - (1 + 1 / nu_) * std::log(2.0) -
             std::lgamma(1 / nu_);
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double StandardizedDistribution::pdf(double z) const { return std::exp(log_pdf(z)); }

double StandardizedDistribution::cdf(double z) const {
  switch (family_) {
    case Innovation::normal:
      return boost::math::cdf(kStandardNormal, z);
    case Innovation::student_t:
      return boost::math::cdf(boost::math::students_t_distribution<double>(nu_), z / k_);
    case Innovation::skew_t: {
      const boost::math::students_t_distribution<double> t(nu_);
      if (z < -a_ / b_) return (1 - skew_) * boost::math::cdf(t, (b_ * z + a_) / ((1 - skew_) * k_));
      return (1 - skew_) / 2 + (1 + skew_) * (boost::math::cdf(t, (b_ * z + a_) / ((1 + skew_) * k_)) - 0.5);
    }
    case Innovation::ged: {
      const double half = 0.5 * boost::math::gamma_p(1 / nu_, 0.5 * std::pow(std::abs(z) / ged_l_, nu_));
      return z < 0 ? 0.5 - half : 0.5 + half;
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double StandardizedDistribution::quantile(double p) const {
  check::open_unit_interval("p", p);
  switch (family_) {
    case Innovation::normal:
      return boost::math::quantile(kStandardNormal, p);
    case Innovation::student_t:
      return k_ * boost::math::quantile(boost::math::students_t_distribution<double>(nu_), p);
    case Innovation::skew_t: {
      const boost::math::students_t_distribution<double> t(nu_);
      const double left = (1 - skew_) / 2;
      if (p < left) return ((1 - skew_) * k_ * boost::math::quantile(t, p / (1 - skew_)) - a_) / b_;
      return ((1 + skew_) * k_ * boost::math::quantile(t, 0.5 + (p - left) / (1 + skew_)) - a_) / b_;
    }
    case Innovation::ged: {
      if (p == 0.5) return 0.0;
      const double tail = p < 0.5 ? 1 - 2 * p : 2 * p - 1;  // P(|z| <= q)
      const double x = ged_l_ * std::pow(2 * boost::math::gamma_p_inv(1 / nu_, tail), 1 / nu_);
      return p < 0.5 ? -x : x;
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double StandardizedDistribution::lower_tail_mean(double p) const {
  check::open_unit_interval("p", p);
  const double q = quantile(p);
  switch (family_) {
    case Innovation::normal:
      return -boost::math::pdf(kStandardNormal, q) / p;
    case Innovation::student_t: {
      const boost::math::students_t_distribution<double> t(nu_);
      return k_ * t_partial_mean(t, nu_, q / k_) / p;
    }
    case Innovation::skew_t: {
      // z = ((1 -+ lambda) k u - a) / b with u ~ t_nu weighted (1 -+ lambda) on each side of -a/b.
      const boost::math::students_t_distribution<double> t(nu_);
      const double lo = 1 - skew_, hi = 1 + skew_;
      if (q < -a_ / b_) {
        const double u = (b_ * q + a_) / (lo * k_);
        return lo / b_ * (lo * k_ * t_partial_mean(t, nu_, u) - a_ * boost::math::cdf(t, u)) / p;
      }
      const double m0 = t_partial_mean(t, nu_, 0.0);
      const double left = lo / b_ * (lo * k_ * m0 - a_ * 0.5);
      const double u = (b_ * q + a_) / (hi * k_);
      const double right = hi / b_ * (hi * k_ * (t_partial_mean(t, nu_, u) - m0) - a_ * (boost::math::cdf(t, u) - 0.5));
      return (left + right) / p;
    }
    case Innovation::ged: {
      // E[z; z <= q] = -l 2^(1/nu - 1) Gamma(2/nu, |q/l|^nu / 2) / Gamma(1/nu), for either sign of q
      const double w = 0.5 * std::pow(std::abs(q) / ged_l_, nu_);
      const double partial = -ged_l_ * std::pow(2.0, 1 / nu_ - 1) * boost::math::tgamma(2 / nu_, w) /
                             boost::math::tgamma(1 / nu_);
      return partial / p;
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

double StandardizedDistribution::sample(RandomStream& stream) const {
  switch (family_) {
    case Innovation::normal:
      return stream.normal();
    case Innovation::student_t: {
      boost::random::gamma_distribution<double> chi_half(nu_ / 2, 2.0);  // chi-square(nu) = Gamma(nu/2, 2)
      const double z = stream.normal();
      return z * std::sqrt((nu_ - 2) / chi_half(stream));
    }
    case Innovation::skew_t: {
      // |T| with T ~ t_nu, on the left piece with probability (1 - lambda) / 2 (the mass below -a/b)
      boost::random::gamma_distribution<double> chi_half(nu_ / 2, 2.0);
      const double t = std::abs(stream.normal()) * std::sqrt(nu_ / chi_half(stream));
      const bool left = stream.uniform() < (1 - skew_) / 2;
      return left ? (-(1 - skew_) * k_ * t - a_) / b_ : ((1 + skew_) * k_ * t - a_) / b_;
    }
    case Innovation::ged: {
      boost::random::gamma_distribution<double> g(1 / nu_, 1.0);
      const double x = ged_l_ * std::pow(2 * g(stream), 1 / nu_);
      return (stream.next_u64() & 1u) ? x : -x;
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace bankquant::risk
