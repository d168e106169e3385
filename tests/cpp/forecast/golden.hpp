// golden.hpp — reads the golden files of tests/data/forecast (written by make_golden.R).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bankquant/core/model_io.hpp"

namespace bankquant::testing {

inline nlohmann::json load_golden(const std::string& name) {
  std::ifstream in(std::string(BANKQUANT_FORECAST_GOLDEN_DIR) + "/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

inline std::vector<double> doubles(const nlohmann::json& j) { return io::doubles_from_json(j, "golden"); }
inline double number(const nlohmann::json& j) { return io::double_from_json(j, "golden"); }

}  // namespace bankquant::testing
