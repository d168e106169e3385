#include "bankquant/forecast/theta.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/optimize.hpp"
#include "bankquant/forecast/decomposition.hpp"
#include "bankquant/forecast/ets.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::forecast {

namespace {
using bankquant::detail::kNaN;

// Autocorrelations r_1..r_lags (R's acf: demeaned, divided by the lag-0 sum).
std::vector<double> autocorrelations(std::span<const double> y, int lags) {
  const std::size_t n = y.size();
  double mean = 0.0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(n);
  double c0 = 0.0;
  for (double v : y) c0 += (v - mean) * (v - mean);
  std::vector<double> r(static_cast<std::size_t>(lags));
  for (int k = 1; k <= lags; ++k) {
    double c = 0.0;
    for (std::size_t t = static_cast<std::size_t>(k); t < n; ++t) c += (y[t] - mean) * (y[t - static_cast<std::size_t>(k)] - mean);
    r[static_cast<std::size_t>(k - 1)] = c / c0;
  }
  return r;
}

// OTM one-step errors; returns the MSE and optionally the fitted values and final states.
double otm_pass(std::span<const double> y, double l0, double alpha, double theta, std::vector<double>* fitted,
                double* level, double* a_out, double* b_out) {
  const std::size_t n = y.size();
  double l = l0, A = 0.0, B = 0.0, mean = 0.0, sse = 0.0, decay = 1.0;  // decay = (1 - alpha)^(t-1)
  const double w = 1.0 - 1.0 / theta;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i + 1);
    const double mu = l + w * (decay * A + (1.0 - decay * (1.0 - alpha)) / alpha * B);
    if (fitted) (*fitted)[i] = mu;
    const double e = y[i] - mu;
    sse += e * e;
    // Least-squares line through y_1..y_t, recursively (Fiorucci et al. 2016, eq. 12).
    const double previous_mean = mean;
    mean = ((t - 1) * mean + y[i]) / t;
    if (i == 0) {
      B = 0.0;
    } else {
      B = ((t - 2) * B + 6.0 * (y[i] - previous_mean) / t) / (t + 1);
    }
    A = mean - (t + 1) * B / 2.0;
    l = alpha * y[i] + (1 - alpha) * l;
    decay *= 1 - alpha;
  }
  if (level) *level = l;
  if (a_out) *a_out = A;
  if (b_out) *b_out = B;
  return sse / static_cast<double>(n);
}

}  // namespace

void ThetaOptions::validate() const {
  check::integer_at_least("season_length", season_length, 1);
  if (theta) {
    check::finite("theta", *theta);
    if (*theta < 1) check::fail("theta", fmt::format("expected theta >= 1, got {}", *theta));
  }
}

bool theta_seasonality_test(std::span<const double> y, int m) {
  const std::size_t n = y.size();
  if (m <= 1 || n <= 2 * static_cast<std::size_t>(m)) return false;
  if (std::all_of(y.begin(), y.end(), [&](double v) { return v == y[0]; })) return false;
  const auto r = autocorrelations(y, m);
  double s = 1.0;
  for (int k = 0; k < m - 1; ++k) s += 2.0 * r[static_cast<std::size_t>(k)] * r[static_cast<std::size_t>(k)];
  const double stat = std::sqrt(s / static_cast<double>(n));
  return std::abs(r[static_cast<std::size_t>(m - 1)]) / stat > 1.6448536269514722;  // qnorm(0.95)
}

std::string ThetaFit::name() const { return optimized ? fmt::format("OptimizedTheta(theta={:.3g})", theta) : "Theta"; }

ThetaFit fit_theta(std::span<const double> y_in, const ThetaOptions& o) {
  o.validate();
  check::min_size("y", y_in.size(), 4);
  check::all_finite("y", y_in);
  const int n = static_cast<int>(y_in.size());
  const int m = o.season_length;
  ThetaFit f;
  f.optimized = o.optimized;
  f.season_length = m;
  f.nobs = n;
  std::vector<double> y(y_in.begin(), y_in.end());
  std::vector<double> seasonal_index(static_cast<std::size_t>(n), 1.0);
  bool seasonal = o.seasonal.value_or(theta_seasonality_test(y, m));
  if (seasonal && (m <= 1 || n <= 2 * m)) {
    check::fail("seasonal", fmt::format("deseasonalising needs season_length > 1 and more than two seasons, got m = {}, "
                                        "n = {}", m, n));
  }
  if (seasonal) {
    const auto d = classical_decomposition(y, m, true);
    const bool near_zero = std::any_of(d.figure.begin(), d.figure.end(), [](double v) { return std::abs(v) < 1e-4; });
    if (near_zero || std::any_of(d.figure.begin(), d.figure.end(), [](double v) { return !std::isfinite(v); })) {
      seasonal = false;  // R: "Seasonal indexes close to zero. Using non-seasonal Theta method"
    } else {
      seasonal_index = d.seasonal;
      for (int t = 0; t < n; ++t) y[static_cast<std::size_t>(t)] /= seasonal_index[static_cast<std::size_t>(t)];
      for (int i = 0; i < m; ++i) f.season.push_back(d.seasonal[static_cast<std::size_t>(n - m + i)]);
    }
  }
  f.seasonal = seasonal;
  f.fitted.resize(static_cast<std::size_t>(n));
  if (!o.optimized) {
    // R: ses(x) = ets(x, "ANN", opt.crit = "mse"); drift = lsfit(0:(n-1), x) slope / 2.
    EtsOptions eo;
    eo.model = "ANN";
    eo.criterion = EtsCriterion::mse;
    const EtsFit ses = fit_ets(y, eo);
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int t = 0; t < n; ++t) {
      sx += t;
      sy += y[static_cast<std::size_t>(t)];
      sxx += static_cast<double>(t) * t;
      sxy += t * y[static_cast<std::size_t>(t)];
    }
    const double slope = (sxy - sx * sy / n) / (sxx - sx * sx / n);
    f.alpha = std::max(1e-10, ses.alpha);
    f.drift = slope / 2.0;
    f.level = ses.last_state[0];
    f.initial_level = ses.initial_state[0];
    f.theta = 2.0;
    f.sigma2 = ses.sigma2;
    f.status = ses.status;
    for (int t = 0; t < n; ++t) f.fitted[static_cast<std::size_t>(t)] = ses.fitted[static_cast<std::size_t>(t)];
  } else {
    // OTM: minimise the one-step MSE over l_0, alpha and theta (scaled: l_0 in units of the mean).
    const double scale = std::max(std::abs(std::accumulate(y.begin(), y.end(), 0.0) / n), 1e-8);
    auto objective = [&](std::span<const double> x) {
      const double theta = o.theta ? *o.theta : x[2];
      return otm_pass(y, x[0] * scale, x[1], theta, nullptr, nullptr, nullptr, nullptr) / (scale * scale);
    };
    optimize::Bounds bounds;
    bounds.lower = {-std::numeric_limits<double>::infinity(), 1e-4, 1.0};
    bounds.upper = {std::numeric_limits<double>::infinity(), 0.9999, 100.0};
    std::vector<double> x0 = {y[0] / scale, 0.5, o.theta.value_or(2.0)};
    if (o.theta) {
      bounds.lower.pop_back();
      bounds.upper.pop_back();
      x0.pop_back();
    }
    auto fn = optimize::with_numerical_gradient(
        [&](std::span<const double> x, std::span<double>) {
          if (o.theta) {
            const double full[3] = {x[0], x[1], *o.theta};
            return objective(full);
          }
          return objective(x);
        },
        bounds);
    optimize::Options oo;
    oo.method = optimize::Method::lbfgs;
    oo.max_evaluations = 2000;
    oo.function_tolerance = 1e-12;
    oo.gradient_tolerance = 1e-8;
    const auto r = optimize::minimize(fn, x0, bounds, oo);
    f.initial_level = r.x[0] * scale;
    f.alpha = r.x[1];
    f.theta = o.theta ? *o.theta : r.x[2];
    f.status = r.status;
    const double mse = otm_pass(y, f.initial_level, f.alpha, f.theta, &f.fitted, &f.level, &f.intercept, &f.drift);
    const int k = o.theta ? 2 : 3;
    f.sigma2 = n > k ? mse * n / (n - k) : kNaN;
  }
  f.residuals.resize(static_cast<std::size_t>(n));
  for (int t = 0; t < n; ++t) {
    f.fitted[static_cast<std::size_t>(t)] *= seasonal_index[static_cast<std::size_t>(t)];
    f.residuals[static_cast<std::size_t>(t)] = y_in[static_cast<std::size_t>(t)] - f.fitted[static_cast<std::size_t>(t)];
  }
  return f;
}

Forecast ThetaFit::forecast(int h, std::span<const double> levels_in) const {
  check::integer_at_least("h", h, 1);
  const std::vector<double> levels = checked_levels(levels_in);
  Forecast out;
  out.model = name();
  out.mean.resize(static_cast<std::size_t>(h));
  out.variance.resize(static_cast<std::size_t>(h));
  const double decay = std::pow(1 - alpha, nobs);
  for (int i = 0; i < h; ++i) {
    double mean;
    if (!optimized) {
      mean = level + drift * (i + (1 - decay) / alpha);
    } else {
      const double w = 1.0 - 1.0 / theta;
      mean = level + w * (decay * intercept + ((1 - decay * (1 - alpha)) / alpha + i) * drift);
    }
    if (seasonal) mean *= season[static_cast<std::size_t>(i % season_length)];
    out.mean[static_cast<std::size_t>(i)] = mean;
    out.variance[static_cast<std::size_t>(i)] = sigma2 * (i * alpha * alpha + 1);
  }
  set_normal_intervals(out, levels);
  return out;
}

io::Json ThetaFit::to_json() const {
  io::Json j;
  j["optimized"] = optimized;
  j["seasonal"] = seasonal;
  j["season_length"] = season_length;
  for (const auto& [key, value] : {std::pair<const char*, double>{"alpha", alpha}, {"theta", theta}, {"level", level},
                                   {"initial_level", initial_level}, {"drift", drift}, {"intercept", intercept},
                                   {"sigma2", sigma2}}) {
    j[key] = io::json_from_double(value);
  }
  j["nobs"] = nobs;
  j["season"] = io::json_from_doubles(season);
  return j;
}

ThetaFit ThetaFit::from_json(const io::Json& j) {
  ThetaFit f;
  auto flag = [&](const char* key) {
    const io::Json& v = io::require_field(j, key, "theta");
    if (!v.is_boolean()) throw ModelFormatError(fmt::format("theta model: '{}' must be true or false", key));
    return v.get<bool>();
  };
  auto integer = [&](const char* key) {
    const io::Json& v = io::require_field(j, key, "theta");
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 1000000000) {
      throw ModelFormatError(fmt::format("theta model: '{}' must be a positive integer", key));
    }
    return v.get<int>();
  };
  auto number = [&](const char* key) { return io::double_from_json(io::require_field(j, key, "theta"), key); };
  f.optimized = flag("optimized");
  f.seasonal = flag("seasonal");
  f.season_length = integer("season_length");
  f.alpha = number("alpha");
  if (!(f.alpha > 0 && f.alpha < 1)) throw ModelFormatError("theta model: alpha must lie in (0, 1)");
  f.theta = number("theta");
  f.level = number("level");
  f.initial_level = number("initial_level");
  f.drift = number("drift");
  f.intercept = number("intercept");
  f.sigma2 = number("sigma2");
  f.nobs = integer("nobs");
  f.season = io::doubles_from_json(io::require_field(j, "season", "theta"), "season");
  if (f.seasonal && f.season.size() != static_cast<std::size_t>(f.season_length)) {
    throw ModelFormatError("theta model: 'season' must hold season_length indices");
  }
  f.status = Status::make(StatusCode::converged, "loaded from a model file");
  return f;
}

}  // namespace bankquant::forecast
