// bankquant/scorecard/reject_inference.hpp — adding rejected applicants to the training sample.
//
// The accepted-only sample is biased: the rejected applicants' outcomes are never observed. Three
// classical remedies (Siddiqi 2006, ch. 6) give each reject an inferred outcome and a weight:
//   hard_cutoff  P(bad) >= cutoff -> bad, else good (cutoff default: the accepted bad rate)
//   fuzzy        each reject enters twice, as a bad with weight P(bad) and as a good with weight
//                1 - P(bad) (times reject_weight)
//   parcelling   rejects fall into score bands of the accepted sample (`bands` quantiles); in each
//                band a share event_rate_factor x (the band's observed bad rate) of them, drawn
//                with a seeded Philox stream, is labelled bad
// The result lists the rows of the augmented sample: every accepted row, then the rejected ones
// (twice each for fuzzy), with their outcome, weight and source; the caller keeps its features.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "bankquant/core/enum_names.hpp"
#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"

namespace bankquant::scorecard {

enum class RejectMethod { hard_cutoff, fuzzy, parcelling };
BANKQUANT_ENUM_NAMES(RejectMethod, {hard_cutoff, "hard_cutoff"}, {fuzzy, "fuzzy"}, {parcelling, "parcelling"})

enum class SampleSource { accepted, rejected, rejected_bad_part, rejected_good_part };
BANKQUANT_ENUM_NAMES(SampleSource, {accepted, "accepted"}, {rejected, "rejected"},
                     {rejected_bad_part, "rejected (bad part)"}, {rejected_good_part, "rejected (good part)"})

struct RejectInferenceOptions {
  RejectMethod method = RejectMethod::fuzzy;
  double cutoff = std::numeric_limits<double>::quiet_NaN();  ///< NaN: the accepted bad rate
  int bands = 10;
  double event_rate_factor = 1.5;
  double reject_weight = 1.0;
  std::uint64_t seed = 0;
  void validate() const;
  static constexpr auto fields() {
    using O = RejectInferenceOptions;
    return std::tuple{field("method", &O::method, "hard_cutoff, fuzzy or parcelling"),
                      field("cutoff", &O::cutoff, "hard_cutoff: P(bad) from which a reject is bad (NaN: the accepted bad rate)"),
                      field("bands", &O::bands, "parcelling: score bands of the accepted sample"),
                      field("event_rate_factor", &O::event_rate_factor,
                            "parcelling: rejects are this many times as risky as accepted applicants of the same band "
                            "(Siddiqi's rule of thumb 1.5 to 2)"),
                      field("reject_weight", &O::reject_weight, "weight of each reject relative to an accepted applicant"),
                      field("seed", &O::seed, "parcelling: seed of the random draws")};
  }
};

struct RejectInferenceResult {
  std::vector<std::int64_t> row;     ///< row in the accepted sample (source accepted) or the rejected one
  std::vector<std::int32_t> source;  ///< SampleSource as an integer
  std::vector<double> y;
  std::vector<double> weight;
  static constexpr auto fields() {
    using R = RejectInferenceResult;
    return std::tuple{field("row", &R::row, "row in its own sample"),
                      field("source", &R::source, "0 accepted, 1 rejected, 2 rejected (bad part), 3 rejected (good part)"),
                      field("y", &R::y, "observed or inferred outcome"), field("weight", &R::weight, "sample weight")};
  }
};

/// accepted_score / rejected_score: scorecard points (higher is safer); rejected_probability: the
/// accepted-only model's P(bad) of each reject.
[[nodiscard]] BANKQUANT_EXPORT RejectInferenceResult reject_inference(std::span<const double> accepted_score,
                                                                      std::span<const double> accepted_y,
                                                                      std::span<const double> rejected_score,
                                                                      std::span<const double> rejected_probability,
                                                                      const RejectInferenceOptions& options);

}  // namespace bankquant::scorecard
