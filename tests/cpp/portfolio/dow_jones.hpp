// dow_jones.hpp — the bundled Dow Jones 30 daily prices as simple returns (tests only).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bankquant/core/matrix.hpp"

namespace bankquant::testing {

/// Daily closing prices (2529 x 30) from bindings/python/bankquant/datasets/data/dow_jones_30_daily.csv.
inline RowMatrix dow_jones_prices(std::vector<std::string>* names = nullptr) {
  std::ifstream in(std::string(BANKQUANT_TEST_DATA_DIR) + "/dow_jones_30_daily.csv");
  std::string line;
  std::getline(in, line);
  if (names) {
    std::stringstream header(line);
    std::string cell;
    std::getline(header, cell, ',');  // date
    while (std::getline(header, cell, ',')) names->push_back(cell);
  }
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string cell;
    std::getline(ss, cell, ',');
    std::vector<double> row;
    while (std::getline(ss, cell, ',')) row.push_back(std::stod(cell));
    rows.push_back(row);
  }
  RowMatrix P(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t t = 0; t < rows.size(); ++t) {
    for (std::size_t j = 0; j < rows[t].size(); ++j) P(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(j)) = rows[t][j];
  }
  return P;
}

/// Simple daily returns (2528 x 30).
inline RowMatrix dow_jones_returns() {
  const RowMatrix P = dow_jones_prices();
  RowMatrix R(P.rows() - 1, P.cols());
  for (Eigen::Index t = 1; t < P.rows(); ++t) R.row(t - 1) = P.row(t).cwiseQuotient(P.row(t - 1)).array() - 1.0;
  return R;
}

}  // namespace bankquant::testing
