#include "bankquant/scorecard/reject_inference.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/statistics.hpp"

namespace bankquant::scorecard {

void RejectInferenceOptions::validate() const {
  if (!std::isnan(cutoff)) check::open_unit_interval("cutoff", cutoff);
  check::integer_at_least("bands", bands, 1);
  check::positive("event_rate_factor", event_rate_factor);
  check::finite("event_rate_factor", event_rate_factor);
  check::positive("reject_weight", reject_weight);
  check::finite("reject_weight", reject_weight);
}

RejectInferenceResult reject_inference(std::span<const double> accepted_score, std::span<const double> accepted_y,
                                       std::span<const double> rejected_score,
                                       std::span<const double> rejected_probability,
                                       const RejectInferenceOptions& o) {
  o.validate();
  check::not_empty("X_accepted", accepted_score.size());
  check::not_empty("X_rejected", rejected_score.size());
  check::same_size("X_accepted", accepted_score.size(), "y_accepted", accepted_y.size());
  check::same_size("X_rejected", rejected_score.size(), "rejected_probability", rejected_probability.size());
  check::binary("y_accepted", accepted_y);
  check::all_finite("accepted_score", accepted_score);
  check::all_finite("rejected_score", rejected_score);
  for (double p : rejected_probability) {
    if (!(p >= 0 && p <= 1)) check::fail("rejected_probability", fmt::format("expected probabilities, found {}", p));
  }
  double bad_rate = 0.0;
  for (double v : accepted_y) bad_rate += v;
  bad_rate /= static_cast<double>(accepted_y.size());

  RejectInferenceResult r;
  for (std::size_t i = 0; i < accepted_score.size(); ++i) {
    r.row.push_back(static_cast<std::int64_t>(i));
    r.source.push_back(static_cast<std::int32_t>(SampleSource::accepted));
    r.y.push_back(accepted_y[i]);
    r.weight.push_back(1.0);
  }
  const std::size_t m = rejected_score.size();
  auto add = [&](std::size_t i, SampleSource s, double y, double w) {
    r.row.push_back(static_cast<std::int64_t>(i));
    r.source.push_back(static_cast<std::int32_t>(s));
    r.y.push_back(y);
    r.weight.push_back(w);
  };
  switch (o.method) {
    case RejectMethod::hard_cutoff: {
      const double c = std::isnan(o.cutoff) ? bad_rate : o.cutoff;
      for (std::size_t i = 0; i < m; ++i) add(i, SampleSource::rejected, rejected_probability[i] >= c ? 1.0 : 0.0, o.reject_weight);
      break;
    }
    case RejectMethod::fuzzy:
      for (std::size_t i = 0; i < m; ++i) add(i, SampleSource::rejected_bad_part, 1.0, rejected_probability[i] * o.reject_weight);
      for (std::size_t i = 0; i < m; ++i) {
        add(i, SampleSource::rejected_good_part, 0.0, (1.0 - rejected_probability[i]) * o.reject_weight);
      }
      break;
    case RejectMethod::parcelling: {
      // band edges: the accepted scores' inner quantiles (numpy's linear rule), distinct
      std::vector<double> sorted(accepted_score.begin(), accepted_score.end());
      std::sort(sorted.begin(), sorted.end());
      std::vector<double> edges;
      for (int k = 1; k < o.bands; ++k) edges.push_back(stats::quantile_sorted(sorted, static_cast<double>(k) / o.bands));
      edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
      auto band_of = [&](double s) {
        return static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), s) - edges.begin());
      };
      std::vector<double> bads(edges.size() + 1, 0.0), counts(edges.size() + 1, 0.0);
      for (std::size_t i = 0; i < accepted_score.size(); ++i) {
        const std::size_t b = band_of(accepted_score[i]);
        bads[b] += accepted_y[i];
        counts[b] += 1.0;
      }
      std::vector<double> u(m);
      parallel_fill_uniform(u, o.seed);
      for (std::size_t i = 0; i < m; ++i) {
        const std::size_t b = band_of(rejected_score[i]);
        const double rate = counts[b] > 0 ? bads[b] / counts[b] : bad_rate;
        const double p = std::min(rate * o.event_rate_factor, 1.0);
        add(i, SampleSource::rejected, u[i] < p ? 1.0 : 0.0, o.reject_weight);
      }
      break;
    }
  }
  return r;
}

}  // namespace bankquant::scorecard
