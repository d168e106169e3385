// call_centre.hpp — the bundled bank call centre's 5-minute call counts, read once for the staffing
// tests and bench_staffing (bindings/python/bankquant/datasets/data/bank_call_centre_5min.csv:
// date, time, calls; 164 weekdays, 07:00-21:05).
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bankquant::testing {

struct CallCentreRecord {
  std::string date;  // YYYY-MM-DD
  std::string time;  // HH:MM, the interval's start
  double calls = 0.0;
};

/// Every row of the file at `path`; throws std::runtime_error when it cannot be opened.
inline std::vector<CallCentreRecord> read_call_centre(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<CallCentreRecord> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    CallCentreRecord r;
    std::string calls;
    std::getline(fields, r.date, ',');
    std::getline(fields, r.time, ',');
    std::getline(fields, calls, ',');
    r.calls = std::stod(calls);
    out.push_back(std::move(r));
  }
  return out;
}

/// Mean calls per time of day over all days, in time order (169 intervals).
inline std::vector<double> mean_calls_by_time(const std::vector<CallCentreRecord>& records) {
  std::map<std::string, std::pair<double, int>> by_time;
  for (const auto& r : records) {
    auto& [sum, count] = by_time[r.time];
    sum += r.calls;
    ++count;
  }
  std::vector<double> out;
  for (const auto& [time, sc] : by_time) out.push_back(sc.first / sc.second);
  return out;
}

}  // namespace bankquant::testing
