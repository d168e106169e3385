#include "bankquant/forecast/fourier.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"

namespace bankquant::forecast {

namespace {
// sin(pi x) and cos(pi x) with x reduced modulo 2 first (R's sinpi/cospi are exact at integers;
// the reduction keeps large t accurate).
double sinpi(double x) {
  const double r = std::fmod(x, 2.0);
  if (r == 0.0 || r == 1.0 || r == -1.0) return 0.0;
  return std::sin(std::numbers::pi * r);
}
double cospi(double x) {
  const double r = std::fmod(std::abs(x), 2.0);
  if (r == 0.5 || r == 1.5) return 0.0;
  return std::cos(std::numbers::pi * r);
}
}  // namespace

FourierTerms fourier_terms(std::span<const double> periods, std::span<const int> harmonics, int rows, double first_time) {
  check::not_empty("periods", periods.size());
  check::same_size("periods", periods.size(), "harmonics", harmonics.size());
  check::integer_at_least("rows", rows, 0);
  std::vector<double> frequency;
  std::vector<std::string> labels;
  for (std::size_t j = 0; j < periods.size(); ++j) {
    check::finite("periods", periods[j]);
    if (!(periods[j] > 1)) check::fail("periods", fmt::format("expected periods > 1, got {}", periods[j]));
    if (harmonics[j] < 0) check::fail("harmonics", fmt::format("expected harmonics >= 0, got {}", harmonics[j]));
    if (2.0 * harmonics[j] > periods[j]) {
      check::fail("harmonics", fmt::format("expected at most period / 2 = {} harmonics for period {}, got {}",
                                           std::floor(periods[j] / 2), periods[j], harmonics[j]));
    }
    for (int k = 1; k <= harmonics[j]; ++k) {
      const double p = k / periods[j];
      bool seen = false;
      for (double q : frequency) seen = seen || q == p;  // R: duplicated(p)
      if (seen) continue;
      frequency.push_back(p);
      const long rounded = std::lround(periods[j]);
      labels.push_back(fmt::format("S{}-{}", k, rounded));
      labels.push_back(fmt::format("C{}-{}", k, rounded));
    }
  }
  FourierTerms out;
  std::vector<int> keep_sine;
  int cols = 0;
  for (double p : frequency) {
    const bool sine = std::abs(2 * p - std::round(2 * p)) > std::numeric_limits<double>::epsilon();
    keep_sine.push_back(sine);
    cols += sine ? 2 : 1;
  }
  out.values.resize(rows, cols);
  int c = 0;
  for (std::size_t j = 0; j < frequency.size(); ++j) {
    if (keep_sine[j]) {
      for (int t = 0; t < rows; ++t) out.values(t, c) = sinpi(2 * frequency[j] * (first_time + t));
      out.names.push_back(labels[2 * j]);
      ++c;
    }
    for (int t = 0; t < rows; ++t) out.values(t, c) = cospi(2 * frequency[j] * (first_time + t));
    out.names.push_back(labels[2 * j + 1]);
    ++c;
  }
  return out;
}

}  // namespace bankquant::forecast
