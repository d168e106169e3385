#include "bankquant/forecast/intermittent.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/optimize.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::forecast {

namespace {
using bankquant::detail::kNaN;

struct Pass {
  double demand = 0.0, interval = 0.0, point = 0.0, mse = 0.0;
};

// One pass; fitted[t] is the forecast made after observing y_0..y_{t-1}.
Pass run(std::span<const double> y, IntermittentMethod method, double alpha, double beta, double* fitted) {
  const std::size_t n = y.size();
  Pass p;
  double sse = 0.0;
  int count = 0;
  if (method == IntermittentMethod::tsb) {
    // Start: d = share of periods with demand, z = mean non-zero demand (Teunter et al. 2011
    // suggest the first values; the averages are steadier for short series).
    double nonzero = 0.0, sum = 0.0;
    for (double v : y) {
      if (v > 0) {
        nonzero += 1;
        sum += v;
      }
    }
    double d = nonzero / static_cast<double>(n), z = nonzero > 0 ? sum / nonzero : 0.0;
    for (std::size_t t = 0; t < n; ++t) {
      const double f = d * z;
      if (fitted) fitted[t] = f;
      sse += (y[t] - f) * (y[t] - f);
      ++count;
      d += beta * ((y[t] > 0 ? 1.0 : 0.0) - d);
      if (y[t] > 0) z += alpha * (y[t] - z);
    }
    p.demand = z;
    p.interval = d;
    p.point = d * z;
  } else {
    // R's croston2 on each prefix: 0 before any demand, y1 / q1 after the first, then the two
    // smoothed series (started at their first values).
    const double factor = method == IntermittentMethod::sba ? 1.0 - alpha / 2.0 : 1.0;
    double z = 0.0, q = 0.0, since = 0.0;
    int demands = 0;
    for (std::size_t t = 0; t < n; ++t) {
      const double f = demands == 0 ? 0.0 : factor * z / q;
      if (fitted) fitted[t] = f;
      if (t > 0) {  // R has no fitted value for the first period
        sse += (y[t] - f) * (y[t] - f);
        ++count;
      }
      since += 1.0;
      if (y[t] > 0) {
        if (demands == 0) {
          z = y[t];
          q = since;
        } else {
          z += alpha * (y[t] - z);
          q += alpha * (since - q);
        }
        ++demands;
        since = 0.0;
      }
    }
    p.demand = z;
    p.interval = q;
    p.point = demands == 0 ? 0.0 : factor * z / q;
    if (fitted) fitted[0] = kNaN;
  }
  p.mse = count > 0 ? sse / count : kNaN;
  return p;
}

}  // namespace

void IntermittentOptions::validate() const {
  check::in_open_range("alpha", alpha, 0.0, 1.0);
  check::in_open_range("beta", beta, 0.0, 1.0);
}

std::string IntermittentFit::name() const {
  switch (method) {
    case IntermittentMethod::croston: return "Croston";
    case IntermittentMethod::sba: return "SBA";
    case IntermittentMethod::tsb: return "TSB";
  }
  return "?";
}

IntermittentFit fit_intermittent(std::span<const double> y, const IntermittentOptions& o) {
  o.validate();
  check::min_size("y", y.size(), 2);
  check::all_non_negative("y", y);  // also refuses NaN and inf
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isinf(y[i])) check::fail("y", fmt::format("expected finite demand, found {} at index {}", y[i], i));
  }
  IntermittentFit f;
  f.method = o.method;
  f.alpha = o.alpha;
  f.beta = o.beta;
  f.nobs = static_cast<int>(y.size());
  if (o.optimized) {
    const bool tsb = o.method == IntermittentMethod::tsb;
    optimize::Bounds bounds;
    bounds.lower.assign(tsb ? 2 : 1, 0.05);
    bounds.upper.assign(tsb ? 2 : 1, 0.5);
    std::vector<double> x0 = tsb ? std::vector<double>{o.alpha, o.beta} : std::vector<double>{o.alpha};
    for (std::size_t i = 0; i < x0.size(); ++i) x0[i] = std::clamp(x0[i], 0.05, 0.5);
    optimize::Options oo;
    oo.method = optimize::Method::bobyqa;
    oo.max_evaluations = 200;
    oo.function_tolerance = 1e-10;
    auto objective = [&](std::span<const double> x, std::span<double>) {
      return run(y, o.method, x[0], tsb ? x[1] : o.beta, nullptr).mse;
    };
    const auto r = optimize::minimize(objective, x0, bounds, oo);
    f.alpha = r.x[0];
    if (tsb) f.beta = r.x[1];
  }
  f.fitted.resize(y.size());
  const Pass p = run(y, o.method, f.alpha, f.beta, f.fitted.data());
  f.demand = p.demand;
  f.interval = p.interval;
  f.point = p.point;
  f.mse = p.mse;
  f.residuals.resize(y.size());
  for (std::size_t t = 0; t < y.size(); ++t) f.residuals[t] = y[t] - f.fitted[t];
  return f;
}

Forecast IntermittentFit::forecast(int h, std::span<const double> levels) const {
  check::integer_at_least("h", h, 1);
  Forecast out;
  out.model = name();
  out.mean.assign(static_cast<std::size_t>(h), point);
  out.variance.assign(static_cast<std::size_t>(h), mse);
  set_normal_intervals(out, levels);
  return out;
}

io::Json IntermittentFit::to_json() const {
  io::Json j;
  j["method"] = std::string(enum_name(method));
  for (const auto& [key, value] : {std::pair<const char*, double>{"alpha", alpha}, {"beta", beta}, {"demand", demand},
                                   {"interval", interval}, {"point", point}, {"mse", mse}}) {
    j[key] = io::json_from_double(value);
  }
  j["nobs"] = nobs;
  return j;
}

IntermittentFit IntermittentFit::from_json(const io::Json& j) {
  IntermittentFit f;
  const io::Json& method = io::require_field(j, "method", "intermittent");
  if (!method.is_string()) throw ModelFormatError("intermittent model: 'method' must be a string");
  try {
    f.method = enum_from_name<IntermittentMethod>(method.get<std::string>(), "method");
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(fmt::format("intermittent model: {}", e.what()));
  }
  auto number = [&](const char* key) { return io::double_from_json(io::require_field(j, key, "intermittent"), key); };
  f.alpha = number("alpha");
  f.beta = number("beta");
  f.demand = number("demand");
  f.interval = number("interval");
  f.point = number("point");
  f.mse = number("mse");
  if (!std::isfinite(f.point) || f.point < 0) throw ModelFormatError("intermittent model: 'point' must be a finite count >= 0");
  const io::Json& n = io::require_field(j, "nobs", "intermittent");
  if (!n.is_number_integer()) throw ModelFormatError("intermittent model: 'nobs' must be an integer");
  f.nobs = n.get<int>();
  return f;
}

}  // namespace bankquant::forecast
