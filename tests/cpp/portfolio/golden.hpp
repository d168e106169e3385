// golden.hpp — reference values from tests/data/portfolio/make_golden.py (statsmodels, scikit-learn,
// cvxopt and scipy on the Dow Jones data; versions in the file).
#pragma once

#include <fstream>

#include <nlohmann/json.hpp>

namespace bankquant::testing {

inline const nlohmann::json& portfolio_golden() {
  static const nlohmann::json j = [] {
    std::ifstream in(BANKQUANT_PORTFOLIO_GOLDEN);
    return nlohmann::json::parse(in);
  }();
  return j;
}

}  // namespace bankquant::testing
