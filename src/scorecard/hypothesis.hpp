// Private to src/scorecard: the small hypothesis tests the binning and monitoring use, on
// Boost.Math's distributions (header-only, already a dependency through Boost's headers).
//   two_proportion_pvalue  Pearson's chi-square test of a 2x2 table, no continuity correction
//                          (scipy.stats.chi2_contingency(correction=False))
//   fisher_exact_pvalue    Fisher's exact test of a 2x2 table, two-sided by summing the tables no
//                          more likely than the observed one (scipy.stats.fisher_exact)
//   welch_pvalue           Welch's two-sample t test with unequal variances
//                          (scipy.stats.ttest_ind(equal_var=False))
#pragma once

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace bankquant::scorecard::detail {

/// Chi-square statistic of the table [[a_events, a_non_events], [b_events, b_non_events]].
inline double two_by_two_statistic(double ae, double an, double be, double bn) {
  const double n = ae + an + be + bn;
  const double ra = ae + an, rb = be + bn, ce = ae + be, cn = an + bn;
  if (!(n > 0) || !(ra > 0) || !(rb > 0) || !(ce > 0) || !(cn > 0)) return 0.0;
  const double d = ae * bn - an * be;
  return n * d * d / (ra * rb * ce * cn);
}

inline double chi2_sf(double x, double dof) {
  if (!(x > 0)) return 1.0;
  if (!std::isfinite(x)) return 0.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(dof), x));
}

inline double two_proportion_pvalue(double ae, double an, double be, double bn) {
  return chi2_sf(two_by_two_statistic(ae, an, be, bn), 1.0);
}

/// Fisher's exact test on integer counts (rounded).
inline double fisher_exact_pvalue(double ae, double an, double be, double bn) {
  const auto a = static_cast<unsigned>(std::llround(ae)), b = static_cast<unsigned>(std::llround(an));
  const auto c = static_cast<unsigned>(std::llround(be)), d = static_cast<unsigned>(std::llround(bn));
  const unsigned n = a + b + c + d, row = a + b, col = a + c;
  if (n == 0 || row == 0 || row == n || col == 0 || col == n) return 1.0;
  const boost::math::hypergeometric_distribution<double> h(row, col, n);
  const unsigned lo = col > n - row ? col - (n - row) : 0, hi = std::min(row, col);
  const double observed = boost::math::pdf(h, a);
  double p = 0.0;
  for (unsigned k = lo; k <= hi; ++k) {
    const double q = boost::math::pdf(h, k);
    if (q <= observed * (1 + 1e-7)) p += q;  // scipy's relative tolerance for ties of probability
  }
  return std::min(1.0, p);
}

/// Welch's t test of equal means from each sample's mean, variance (n - 1 form) and size.
inline double welch_pvalue(double mean_a, double var_a, double n_a, double mean_b, double var_b, double n_b) {
  if (!(n_a > 1) || !(n_b > 1)) return 1.0;
  const double sa = var_a / n_a, sb = var_b / n_b, se2 = sa + sb;
  if (!(se2 > 0)) return mean_a == mean_b ? 1.0 : 0.0;
  const double t = (mean_a - mean_b) / std::sqrt(se2);
  const double dof = se2 * se2 / (sa * sa / (n_a - 1) + sb * sb / (n_b - 1));
  return 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(dof), std::abs(t)));
}

}  // namespace bankquant::scorecard::detail
