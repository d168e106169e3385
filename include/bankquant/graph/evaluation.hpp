// bankquant/graph/evaluation.hpp — precision and recall of alerts against labelled laundering.
//
// An injected pattern is detected when an alert of its typology holds at least min_overlap of its
// transfers; an alert is correct when at least min_overlap of its witness transfers belong to
// injected patterns (of any typology: a fan-out alert on a scatter-gather's source did find
// laundering). Per typology (those of the patterns and of the alerts, in enum order): patterns,
// alerts, detected, recall = detected / patterns and precision = correct / alerts (NaN when there
// is nothing to divide by). O(witness size + pattern size) with a hash of pattern edges.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "bankquant/core/record.hpp"
#include "bankquant/export.hpp"
#include "bankquant/graph/alerts.hpp"

namespace bankquant::graph {

struct EvaluationOptions {
  double min_overlap = 0.5;  ///< in (0, 1]
  void validate() const;

  static constexpr auto fields() {
    return std::tuple{field("min_overlap", &EvaluationOptions::min_overlap,
                            "share of a pattern's transfers an alert must hold to detect it, and of an alert's "
                            "witness that must be laundering for it to be correct")};
  }
};

struct Evaluation {
  std::vector<Typology> typology;
  std::vector<std::int64_t> patterns, alerts, detected;
  std::vector<double> recall, precision;

  static constexpr auto fields() {
    return std::tuple{field("typology", &Evaluation::typology, "typology"),
                      field("patterns", &Evaluation::patterns, "injected patterns of the typology"),
                      field("alerts", &Evaluation::alerts, "alerts of the typology"),
                      field("detected", &Evaluation::detected, "patterns an alert of the typology found"),
                      field("recall", &Evaluation::recall, "detected / patterns"),
                      field("precision", &Evaluation::precision, "alerts whose witness is laundering / alerts")};
  }
};

/// truth: pattern k has typology pattern_typology[k] and transfers edges[edge_offsets[k] .. edge_offsets[k+1]).
[[nodiscard]] BANKQUANT_EXPORT Evaluation evaluate(const AlertList& alerts, std::span<const Typology> pattern_typology,
                                                   std::span<const std::int64_t> edge_offsets,
                                                   std::span<const std::int32_t> edges,
                                                   const EvaluationOptions& options = {});

}  // namespace bankquant::graph
