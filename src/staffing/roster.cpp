#include "bankquant/staffing/roster.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/staffing/detail/roster_mip.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "roster_solver.hpp"

namespace bankquant::staffing {
namespace {

using bankquant::detail::kInf;
// Costs above this are refused: Clp asserts on objective coefficients near 1e25, and CBC's
// tolerances make costs meaningful to about 1e-6 of the largest one anyway.
constexpr double kMaxCost = 1e12;

std::size_t cell(const RosterProblem& p, int day, int t) {
  return static_cast<std::size_t>(day) * static_cast<std::size_t>(p.intervals_per_day) + static_cast<std::size_t>(t);
}

bool is_open(const RosterProblem& p, int day, int t) { return p.open.empty() || p.open[cell(p, day, t)] != 0; }

double need_at(const RosterProblem& p, std::size_t c) {
  return std::max(p.requirement[c], p.min_staff.empty() ? 0.0 : static_cast<double>(p.min_staff[c]));
}

bool allowed_on(const ShiftTemplate& k, int day) {
  return k.days.empty() || std::find(k.days.begin(), k.days.end(), day) != k.days.end();
}

/// Calls f(s) for every start s of template k on `day` whose whole shift lies in opening hours.
template <typename F>
void for_each_start(const RosterProblem& p, const ShiftTemplate& k, int day, F&& f) {
  if (!allowed_on(k, day)) return;
  for (int s = k.earliest_start; s <= k.latest_start && s + k.length <= p.intervals_per_day; s += k.start_step) {
    bool inside = true;
    for (int t = s; t < s + k.length && inside; ++t) inside = is_open(p, day, t);
    if (inside) f(s);
  }
}

/// Whether interval t of a shift of k starting at s is worked for some break placement.
bool can_work(const ShiftTemplate& k, int s, int t) {
  if (t < s || t >= s + k.length) return false;
  for (const auto& b : k.breaks) {
    if (s + b.latest_start <= t && t < s + b.earliest_start + b.length) return false;  // every placement covers t
  }
  return true;
}

std::string where(const RosterProblem& p, std::size_t c) {
  return fmt::format("day {} interval {}", c / static_cast<std::size_t>(p.intervals_per_day),
                     c % static_cast<std::size_t>(p.intervals_per_day));
}

void check_grid(const char* name, std::size_t size, const RosterProblem& p, bool may_be_empty) {
  const std::size_t want = static_cast<std::size_t>(p.days) * static_cast<std::size_t>(p.intervals_per_day);
  if ((may_be_empty && size == 0) || size == want) return;
  check::fail(name, fmt::format("expected {} values (days {} x intervals_per_day {}){}, got {}", want, p.days,
                                p.intervals_per_day, may_be_empty ? " or none" : "", size));
}

void validate_template(const RosterProblem& p, const ShiftTemplate& k) {
  auto bad = [&](const std::string& what) { check::fail("templates", fmt::format("template '{}': {}", k.name, what)); };
  if (k.length < 1 || k.length > p.intervals_per_day) {
    bad(fmt::format("length must be between 1 and intervals_per_day = {}, got {}", p.intervals_per_day, k.length));
  }
  if (k.earliest_start < 0 || k.latest_start < k.earliest_start) {
    bad(fmt::format("expected 0 <= earliest_start <= latest_start, got {} and {}", k.earliest_start, k.latest_start));
  }
  if (k.start_step < 1) bad(fmt::format("start_step must be >= 1, got {}", k.start_step));
  if (!std::isfinite(k.cost_per_interval) || k.cost_per_interval < 0 || k.cost_per_interval > kMaxCost) {
    bad(fmt::format("cost_per_interval must be in [0, {:g}], got {}", kMaxCost, k.cost_per_interval));
  }
  for (int d : k.days) {
    if (d < 0 || d >= p.days) bad(fmt::format("day {} is outside the horizon of {} days", d, p.days));
  }
  for (std::size_t j = 0; j < k.breaks.size(); ++j) {
    const auto& b = k.breaks[j];
    if (b.length < 1) bad(fmt::format("break {} length must be >= 1, got {}", j, b.length));
    if (b.earliest_start < 0 || b.latest_start < b.earliest_start) {
      bad(fmt::format("break {}: expected 0 <= earliest_start <= latest_start, got {} and {}", j, b.earliest_start,
                      b.latest_start));
    }
    if (b.latest_start + b.length > k.length) {
      bad(fmt::format("break {} may end at interval {} of the shift, after its length {}", j, b.latest_start + b.length,
                      k.length));
    }
    if (j > 0) {
      const auto& prev = k.breaks[j - 1];
      if (prev.latest_start + prev.length > b.earliest_start) {
        bad(fmt::format("the windows of breaks {} and {} overlap (break {} may run to {}, break {} may start at {}); "
                        "list breaks in shift order with windows apart",
                        j - 1, j, j - 1, prev.latest_start + prev.length, j, b.earliest_start));
      }
    }
  }
}

std::vector<std::string> contract_list(const RosterProblem& p) {
  std::vector<std::string> names;
  for (const auto& c : p.contracts) names.push_back(c.name);
  for (const auto& k : p.templates) {
    if (std::find(names.begin(), names.end(), k.contract) == names.end()) names.push_back(k.contract);
  }
  return names;
}

const Contract* find_contract(const RosterProblem& p, const std::string& name) {
  for (const auto& c : p.contracts) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace

void RosterProblem::validate() const {
  check::integer_at_least("days", days, 1);
  check::integer_at_least("intervals_per_day", intervals_per_day, 1);
  check_grid("requirement", requirement.size(), *this, false);
  check_grid("open", open.size(), *this, true);
  check_grid("min_staff", min_staff.size(), *this, true);
  check_grid("max_staff", max_staff.size(), *this, true);
  for (std::size_t c = 0; c < requirement.size(); ++c) {
    if (!std::isfinite(requirement[c]) || requirement[c] < 0) {
      check::fail("requirement", fmt::format("expected finite values >= 0, found {} at {}", requirement[c], where(*this, c)));
    }
    if (!open.empty() && open[c] != 0 && open[c] != 1) {
      check::fail("open", fmt::format("expected 0/1 flags, found {} at {}", open[c], where(*this, c)));
    }
    const bool closed = !open.empty() && open[c] == 0;
    if (closed && requirement[c] > 0) {
      check::fail("requirement", fmt::format("staff are required at {}, which is closed (open = 0)", where(*this, c)));
    }
    if (!min_staff.empty()) {
      if (min_staff[c] < 0) check::fail("min_staff", fmt::format("expected values >= 0, found {} at {}", min_staff[c], where(*this, c)));
      if (closed && min_staff[c] > 0) {
        check::fail("min_staff", fmt::format("minimum staff {} at {}, which is closed (open = 0)", min_staff[c], where(*this, c)));
      }
    }
    if (!max_staff.empty()) {
      if (max_staff[c] < 0) check::fail("max_staff", fmt::format("expected values >= 0, found {} at {}", max_staff[c], where(*this, c)));
      if (!min_staff.empty() && max_staff[c] < min_staff[c]) {
        check::fail("max_staff", fmt::format("maximum staff {} is below the minimum {} at {}", max_staff[c], min_staff[c],
                                             where(*this, c)));
      }
    }
  }
  check::not_empty("templates", templates.size());
  std::set<std::string> names;
  for (const auto& k : templates) {
    if (!names.insert(k.name).second) check::fail("templates", fmt::format("template name '{}' is used twice", k.name));
    validate_template(*this, k);
  }
  std::set<std::string> contract_names;
  for (const auto& c : contracts) {
    auto bad = [&](const std::string& what) { check::fail("contracts", fmt::format("contract '{}': {}", c.name, what)); };
    if (!contract_names.insert(c.name).second) check::fail("contracts", fmt::format("contract name '{}' is used twice", c.name));
    if (c.min_days < 0 || c.max_days < std::max(1, c.min_days)) {
      bad(fmt::format("expected 0 <= min_days <= max_days and max_days >= 1, got {} and {}", c.min_days, c.max_days));
    }
    if (c.max_head_count < 0) bad(fmt::format("max_head_count must be >= 0, got {}", c.max_head_count));
  }
  // Every interval that needs staff must be workable by some shift: templates that cannot cover the
  // opening hours are an error here, not an infeasible program later.
  std::vector<std::string> uncovered;
  std::size_t count = 0;
  for (int d = 0; d < days; ++d) {
    std::vector<char> workable(static_cast<std::size_t>(intervals_per_day), 0);
    for (const auto& k : templates) {
      for_each_start(*this, k, d, [&](int s) {
        for (int t = s; t < s + k.length; ++t) workable[static_cast<std::size_t>(t)] |= can_work(k, s, t) ? 1 : 0;
      });
    }
    for (int t = 0; t < intervals_per_day; ++t) {
      const std::size_t c = cell(*this, d, t);
      if (need_at(*this, c) > 0 && !workable[static_cast<std::size_t>(t)]) {
        if (uncovered.size() < 5) uncovered.push_back(where(*this, c));
        ++count;
      }
    }
  }
  if (count > 0) {
    check::fail("templates", fmt::format("no shift template can work {} interval(s) that need staff within the opening "
                                         "hours (e.g. {}): add templates, widen their start windows or lengths, or "
                                         "check the opening hours",
                                         count, fmt::join(uncovered, ", ")));
  }
}

void RosterOptions::validate() const {
  if (!(under_cover_penalty > 0) || (std::isfinite(under_cover_penalty) && under_cover_penalty > kMaxCost)) {
    check::fail("under_cover_penalty", fmt::format("expected a positive cost up to {:g} (inf: no under-cover), got {}",
                                                   kMaxCost, under_cover_penalty));
  }
  check::integer_at_least("max_head_count", max_head_count, 0);
  if (!(budget >= 0)) check::fail("budget", fmt::format("expected a cost >= 0 (inf for none), got {}", budget));
  if (!(relative_gap >= 0 && relative_gap < 1)) check::fail("relative_gap", fmt::format("expected a value in [0, 1), got {}", relative_gap));
  check::finite("time_limit", time_limit);
  check::positive("time_limit", time_limit);
}

namespace detail {

RosterMip build_roster_mip(const RosterProblem& p, const RosterOptions& o) {
  p.validate();
  o.validate();
  RosterMip out;
  MipModel& m = out.mip;
  const int D = p.days, T = p.intervals_per_day;
  const bool elastic = std::isfinite(o.under_cover_penalty);
  out.contract_names = contract_list(p);
  for (const auto& k : p.templates) {
    out.template_contract.push_back(static_cast<int>(
        std::find(out.contract_names.begin(), out.contract_names.end(), k.contract) - out.contract_names.begin()));
  }
  const auto cells = static_cast<std::size_t>(D) * static_cast<std::size_t>(T);

  // Rows. work[c]: the staff working at cell c, bounded by the requirement (when hard), the minimum
  // and the maximum; cover[c]: work + under >= requirement (when elastic).
  auto add_row = [&](double lo, double hi) {
    m.row_lower.push_back(lo);
    m.row_upper.push_back(hi);
    return m.rows() - 1;
  };
  std::vector<int> work_row(cells, -1), cover_row(cells, -1);
  for (int d = 0; d < D; ++d) {
    for (int t = 0; t < T; ++t) {
      const std::size_t c = cell(p, d, t);
      if (!is_open(p, d, t)) continue;
      const double req = p.requirement[c];
      const double lo_min = p.min_staff.empty() ? 0.0 : p.min_staff[c];
      const double hi = p.max_staff.empty() ? kInf : p.max_staff[c];
      if (!elastic) {
        const double lo = std::max(std::ceil(req - 1e-9), lo_min);
        if (lo > 0 || hi < kInf) work_row[c] = add_row(lo, hi);
      } else {
        if (req > 0) cover_row[c] = add_row(req, kInf);
        if (lo_min > 0 || hi < kInf) work_row[c] = add_row(lo_min, hi);
      }
    }
  }
  const auto contracts = out.contract_names.size();
  std::vector<std::vector<int>> daily_row(contracts, std::vector<int>(static_cast<std::size_t>(D), -1));
  std::vector<int> max_days_row(contracts, -1), min_days_row(contracts, -1);
  for (std::size_t ci = 0; ci < contracts; ++ci) {
    for (int d = 0; d < D; ++d) daily_row[ci][static_cast<std::size_t>(d)] = add_row(-kInf, 0.0);  // sum x - E <= 0
    const Contract* c = find_contract(p, out.contract_names[ci]);
    if (c != nullptr && c->max_days < D) max_days_row[ci] = add_row(-kInf, 0.0);  // sum x - max_days E <= 0
    if (c != nullptr && c->min_days > 0) min_days_row[ci] = add_row(0.0, kInf);   // sum x - min_days E >= 0
  }
  if (std::isfinite(o.budget)) out.budget_row = add_row(-kInf, o.budget);
  if (o.max_head_count < std::numeric_limits<int>::max()) {
    out.total_head_count_row = add_row(-kInf, static_cast<double>(o.max_head_count));
  }

  // Columns.
  std::vector<std::pair<int, double>> entries;
  auto add_column = [&](double cost, double lo, double hi, bool integer) {
    std::sort(entries.begin(), entries.end());
    for (const auto& [row, value] : entries) {
      m.row_index.push_back(row);
      m.values.push_back(value);
    }
    m.col_starts.push_back(static_cast<int>(m.row_index.size()));
    m.objective.push_back(cost);
    m.col_lower.push_back(lo);
    m.col_upper.push_back(hi);
    m.integer.push_back(integer ? 1 : 0);
    entries.clear();
    return m.cols() - 1;
  };
  auto work_entries = [&](int d, int t, double sign) {
    const std::size_t c = cell(p, d, t);
    if (work_row[c] >= 0) entries.emplace_back(work_row[c], sign);
    if (cover_row[c] >= 0) entries.emplace_back(cover_row[c], sign);
  };
  for (int d = 0; d < D; ++d) {
    for (std::size_t ki = 0; ki < p.templates.size(); ++ki) {
      const auto& k = p.templates[ki];
      const auto ci = static_cast<std::size_t>(out.template_contract[ki]);
      const double cost = k.cost_per_interval * k.paid_intervals();
      std::vector<int> starts;
      for_each_start(p, k, d, [&](int s) { starts.push_back(s); });
      if (starts.empty()) continue;
      const auto S = starts.size();
      // Bechtold-Jacobs rows per break j: total sum_p w = sum_s x; forward, for each start but the
      // last, sum_{p <= s0 + latest} w >= sum_{s <= s0} x; backward, for each start but the first,
      // sum_{p >= s0 + earliest} w >= sum_{s >= s0} x.
      std::vector<int> total(k.breaks.size());
      std::vector<std::vector<int>> forward(k.breaks.size()), backward(k.breaks.size());
      for (std::size_t j = 0; j < k.breaks.size(); ++j) {
        total[j] = add_row(0.0, 0.0);
        for (std::size_t a = 0; a + 1 < S; ++a) forward[j].push_back(add_row(0.0, kInf));
        for (std::size_t a = 1; a < S; ++a) backward[j].push_back(add_row(0.0, kInf));
      }
      for (std::size_t a = 0; a < S; ++a) {
        const int s = starts[a];
        double upper = kInf;
        for (int t = s; t < s + k.length; ++t) {
          work_entries(d, t, 1.0);
          if (!p.max_staff.empty() && can_work(k, s, t)) upper = std::min(upper, static_cast<double>(p.max_staff[cell(p, d, t)]));
        }
        for (std::size_t j = 0; j < k.breaks.size(); ++j) {
          entries.emplace_back(total[j], -1.0);
          for (std::size_t f = a; f + 1 < S; ++f) entries.emplace_back(forward[j][f], -1.0);  // s <= s0 = starts[f]
          for (std::size_t g = 1; g <= a; ++g) entries.emplace_back(backward[j][g - 1], -1.0);  // s >= s0 = starts[g]
        }
        entries.emplace_back(daily_row[ci][static_cast<std::size_t>(d)], 1.0);
        if (max_days_row[ci] >= 0) entries.emplace_back(max_days_row[ci], 1.0);
        if (min_days_row[ci] >= 0) entries.emplace_back(min_days_row[ci], 1.0);
        if (out.budget_row >= 0 && cost != 0) entries.emplace_back(out.budget_row, cost);
        const int column = add_column(cost, 0.0, upper, true);
        out.shift_columns.push_back({column, d, static_cast<int>(ki), s});
      }
      for (std::size_t j = 0; j < k.breaks.size(); ++j) {
        const auto& b = k.breaks[j];
        for (int q = starts.front() + b.earliest_start; q <= starts.back() + b.latest_start; ++q) {
          // Only positions some start's window holds.
          bool used = false;
          for (int s : starts) used = used || (q >= s + b.earliest_start && q <= s + b.latest_start);
          if (!used) continue;
          for (int t = q; t < q + b.length; ++t) work_entries(d, t, -1.0);
          entries.emplace_back(total[j], 1.0);
          for (std::size_t f = 0; f + 1 < S; ++f) {
            if (q <= starts[f] + b.latest_start) entries.emplace_back(forward[j][f], 1.0);
          }
          for (std::size_t g = 1; g < S; ++g) {
            if (q >= starts[g] + b.earliest_start) entries.emplace_back(backward[j][g - 1], 1.0);
          }
          const int bc = add_column(0.0, 0.0, kInf, true);
          out.break_columns.push_back({bc, d, static_cast<int>(ki), static_cast<int>(j), q});
        }
      }
    }
  }
  out.under_columns.assign(cells, -1);
  if (elastic) {
    for (std::size_t c = 0; c < cells; ++c) {
      if (cover_row[c] < 0) continue;
      entries.emplace_back(cover_row[c], 1.0);
      out.under_columns[c] = add_column(o.under_cover_penalty, 0.0, p.requirement[c], false);
    }
  }
  for (std::size_t ci = 0; ci < contracts; ++ci) {
    const Contract* c = find_contract(p, out.contract_names[ci]);
    for (int d = 0; d < D; ++d) entries.emplace_back(daily_row[ci][static_cast<std::size_t>(d)], -1.0);
    if (max_days_row[ci] >= 0) entries.emplace_back(max_days_row[ci], -static_cast<double>(c->max_days));
    if (min_days_row[ci] >= 0) entries.emplace_back(min_days_row[ci], -static_cast<double>(c->min_days));
    if (out.total_head_count_row >= 0) entries.emplace_back(out.total_head_count_row, 1.0);
    const double cap = c != nullptr && c->max_head_count < std::numeric_limits<int>::max() ? c->max_head_count : kInf;
    out.employee_columns.push_back(add_column(0.0, 0.0, cap, true));
  }
  return out;
}

}  // namespace detail

namespace {

// The program's solution as one entry per person and day, breaks dealt out.
std::vector<AssignedShift> shifts_from_columns(const RosterProblem& p, const detail::RosterMip& rm, const std::vector<double>& x) {
  RosterResult r;
  auto count = [&](int column) { return static_cast<int>(std::llround(std::max(0.0, x[static_cast<std::size_t>(column)]))); };
  // Shift units per (day, template), in start order (the columns were made in that order).
  std::map<std::pair<int, int>, std::vector<std::size_t>> units;  // -> indices into r.shifts
  for (const auto& sc : rm.shift_columns) {
    const auto& k = p.templates[static_cast<std::size_t>(sc.template_index)];
    for (int n = count(sc.column); n > 0; --n) {
      AssignedShift a;
      a.day = sc.day;
      a.template_index = sc.template_index;
      a.start = sc.start;
      a.end = sc.start + k.length;
      a.break_starts.assign(k.breaks.size(), -1);
      units[{sc.day, sc.template_index}].push_back(r.shifts.size());
      r.shifts.push_back(std::move(a));
    }
  }
  // Deal the break counts out to the shifts: positions in increasing order, each to the waiting
  // shift whose window closes first (windows are translates, so: the earliest start). The forward
  // and backward rows are Hall's condition for this to succeed.
  std::map<std::tuple<int, int, int>, std::vector<int>> positions;  // (day, template, break) -> starts with multiplicity
  for (const auto& b : rm.break_columns) {
    for (int n = count(b.column); n > 0; --n) positions[{b.day, b.template_index, b.break_index}].push_back(b.start);
  }
  for (auto& [key, starts] : positions) {
    const auto& [day, ki, j] = key;
    const auto& brk = p.templates[static_cast<std::size_t>(ki)].breaks[static_cast<std::size_t>(j)];
    const auto& mine = units[{day, ki}];
    std::sort(starts.begin(), starts.end());
    std::size_t next = 0;  // shifts (in start order) whose window has opened
    std::vector<std::size_t> waiting;
    std::size_t head = 0;
    for (int q : starts) {
      while (next < mine.size() && r.shifts[mine[next]].start + brk.earliest_start <= q) waiting.push_back(mine[next++]);
      if (head < waiting.size()) r.shifts[waiting[head++]].break_starts[static_cast<std::size_t>(j)] = q;
    }
  }
  for (auto& a : r.shifts) {
    const auto& k = p.templates[static_cast<std::size_t>(a.template_index)];
    for (std::size_t j = 0; j < k.breaks.size(); ++j) {
      // A unit left without a break (only if the solution broke Hall's condition) takes its earliest slot.
      if (a.break_starts[j] < 0) a.break_starts[j] = a.start + k.breaks[j].earliest_start;
    }
  }
  return r.shifts;
}

// Coverage, costs and head counts of a list of shifts (employees dealt out day by day).
RosterResult finish(const RosterProblem& p, const RosterOptions& o, std::vector<AssignedShift> shifts) {
  RosterResult r;
  r.shifts = std::move(shifts);
  const auto cells = static_cast<std::size_t>(p.days) * static_cast<std::size_t>(p.intervals_per_day);
  r.working.assign(cells, 0.0);
  const auto names = contract_list(p);
  auto contract_index = [&](int template_index) {
    const auto& name = p.templates[static_cast<std::size_t>(template_index)].contract;
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  std::vector<std::vector<int>> per_contract_day(names.size(), std::vector<int>(static_cast<std::size_t>(p.days), 0));
  for (const auto& a : r.shifts) {
    const auto& k = p.templates[static_cast<std::size_t>(a.template_index)];
    for (int t = a.start; t < a.end; ++t) {
      bool on_break = false;
      for (std::size_t j = 0; j < k.breaks.size(); ++j) {
        on_break = on_break || (t >= a.break_starts[j] && t < a.break_starts[j] + k.breaks[j].length);
      }
      if (!on_break) r.working[cell(p, a.day, t)] += 1.0;
    }
    r.shift_cost += k.cost_per_interval * k.paid_intervals();
    ++per_contract_day[contract_index(a.template_index)][static_cast<std::size_t>(a.day)];
  }
  std::stable_sort(r.shifts.begin(), r.shifts.end(), [](const AssignedShift& a, const AssignedShift& b) {
    return std::tie(a.day, a.start, a.template_index) < std::tie(b.day, b.start, b.template_index);
  });
  // Head counts: the fewest employees the day counts allow; then deal the shifts out day by day.
  r.contract_names = names;
  r.employees.assign(names.size(), 0);
  for (std::size_t ci = 0; ci < names.size(); ++ci) {
    const Contract* c = find_contract(p, names[ci]);
    int most = 0, total = 0;
    for (int n : per_contract_day[ci]) {
      most = std::max(most, n);
      total += n;
    }
    int e = most;
    if (c != nullptr && c->max_days < p.days && total > 0) e = std::max(e, (total + c->max_days - 1) / c->max_days);
    r.employees[ci] = e;
    int next = 0;
    for (auto& a : r.shifts) {
      if (contract_index(a.template_index) != ci) continue;
      a.employee = next;
      next = e > 0 ? (next + 1) % e : 0;
    }
  }
  r.under_cover.assign(cells, 0.0);
  r.over_cover.assign(cells, 0.0);
  for (std::size_t c = 0; c < cells; ++c) {
    const double gap = p.requirement[c] - r.working[c];
    if (gap > 1e-9) r.under_cover[c] = gap;
    if (gap < -1e-9) r.over_cover[c] = -gap;
  }
  for (std::size_t c = 0; c < cells; ++c) {
    if (std::isfinite(o.under_cover_penalty)) r.under_cover_cost += r.under_cover[c] * o.under_cover_penalty;
  }
  r.cost = r.shift_cost + r.under_cover_cost;
  return r;
}

// Which caps make the hard requirement infeasible: the LP relaxation is re-solved with each cap
// lifted in turn; a cap whose removal makes it feasible is named. Throws InvalidArgument.
[[noreturn]] void explain_infeasible(const RosterProblem& p, const RosterOptions& o) {
  std::vector<std::pair<std::string, std::string>> caps;  // (argument, what it is set to)
  auto feasible_without = [&](const RosterProblem& q, const RosterOptions& oo) {
    return detail::lp_feasible(detail::build_roster_mip(q, oo).mip);
  };
  if (o.max_head_count < std::numeric_limits<int>::max()) {
    auto oo = o;
    oo.max_head_count = std::numeric_limits<int>::max();
    if (feasible_without(p, oo)) caps.emplace_back("max_head_count", fmt::format("max_head_count = {}", o.max_head_count));
  }
  if (std::isfinite(o.budget)) {
    auto oo = o;
    oo.budget = kInf;
    if (feasible_without(p, oo)) caps.emplace_back("budget", fmt::format("budget = {:g}", o.budget));
  }
  if (!p.max_staff.empty()) {
    auto q = p;
    q.max_staff.clear();
    if (feasible_without(q, o)) caps.emplace_back("max_staff", "max_staff");
  }
  for (std::size_t i = 0; i < p.contracts.size(); ++i) {
    const auto& c = p.contracts[i];
    if (c.max_head_count == std::numeric_limits<int>::max() && c.min_days == 0) continue;
    auto q = p;
    q.contracts[i].max_head_count = std::numeric_limits<int>::max();
    q.contracts[i].min_days = 0;
    if (feasible_without(q, o)) {
      caps.emplace_back("contracts", fmt::format("contract '{}' (max_head_count {}, min_days {})", c.name,
                                                 c.max_head_count, c.min_days));
    }
  }
  // Where it falls short: the elastic LP (under-cover at cost 1, shifts free) with every cap in place.
  auto oo = o;
  oo.under_cover_penalty = 1.0;
  auto q = p;
  for (auto& k : q.templates) k.cost_per_interval = 0.0;
  const auto elastic = detail::build_roster_mip(q, oo);
  const auto solution = detail::solve_lp(elastic.mip);
  std::vector<std::string> short_at;
  std::size_t n_short = 0;
  if (solution) {
    for (std::size_t c = 0; c < elastic.under_columns.size(); ++c) {
      const int col = elastic.under_columns[c];
      if (col >= 0 && (*solution)[static_cast<std::size_t>(col)] > 1e-6) {
        if (short_at.size() < 4) short_at.push_back(fmt::format("{} (needs {:g})", where(p, c), p.requirement[c]));
        ++n_short;
      }
    }
  }
  std::vector<std::string> arguments, settings;
  for (const auto& [argument, setting] : caps) {
    if (std::find(arguments.begin(), arguments.end(), "'" + argument + "'") == arguments.end()) {
      arguments.push_back("'" + argument + "'");
    }
    settings.push_back(setting);
  }
  const std::string named = arguments.empty()   ? "argument 'requirement'"
                            : arguments.size() == 1 ? "argument " + arguments.front()
                                                    : "arguments " + fmt::format("{}", fmt::join(arguments, " and "));
  throw InvalidArgument(fmt::format(
      "{}: infeasible: the requirement and minimum staffing cannot be covered under {}{}; raise the cap, or allow "
      "under-cover with a finite under_cover_penalty",
      named, settings.empty() ? std::string("the problem's constraints") : fmt::format("{}", fmt::join(settings, " and ")),
      n_short > 0 ? fmt::format(" ({} interval(s) would be short, e.g. {})", n_short, fmt::join(short_at, ", ")) : ""));
}

// A feasible roster built from the LP relaxation, handed to CBC as its first incumbent (CBC's own
// heuristics find none on a week of a large call centre in a minute: general integers tied by the
// break-link equalities defeat rounding and the feasibility pump). Shifts are rounded to the
// nearest integer with their breaks where the LP put them; what is then short is repaired greedily
// (the shift covering the most shortfall per cost, its breaks placed where cover is most
// plentiful); contracts' minimum days are filled; shifts no longer needed are dropped. Returns the
// full column vector, or nothing when the caps defeat the heuristic (CBC then searches alone).
class IncumbentBuilder {
 public:
  IncumbentBuilder(const RosterProblem& p, const RosterOptions& o, const detail::RosterMip& rm)
      : p_(p), o_(o), rm_(rm), T_(p.intervals_per_day) {
    const auto cells = static_cast<std::size_t>(p.days) * static_cast<std::size_t>(T_);
    elastic_ = std::isfinite(o.under_cover_penalty);
    hard_.assign(cells, 0.0);
    soft_.assign(cells, 0.0);
    cap_.assign(cells, kInf);
    for (std::size_t c = 0; c < cells; ++c) {
      const double lo = p.min_staff.empty() ? 0.0 : p.min_staff[c];
      hard_[c] = elastic_ ? lo : std::max(std::ceil(p.requirement[c] - 1e-9), lo);
      soft_[c] = elastic_ ? p.requirement[c] : 0.0;
      if (!p.max_staff.empty()) cap_[c] = p.max_staff[c];
    }
    // Each shift column's break placements (its own ids), and the program's column of each.
    std::map<std::tuple<int, int, int, int>, int> column_of;
    for (const auto& bc : rm.break_columns) column_of[{bc.day, bc.template_index, bc.break_index, bc.start}] = bc.column;
    placements_.resize(rm.shift_columns.size());
    for (std::size_t i = 0; i < rm.shift_columns.size(); ++i) {
      const auto& sc = rm.shift_columns[i];
      const auto& k = tmpl(i);
      placements_[i].resize(k.breaks.size());
      for (std::size_t j = 0; j < k.breaks.size(); ++j) {
        for (int q = sc.start + k.breaks[j].earliest_start; q <= sc.start + k.breaks[j].latest_start; ++q) {
          placements_[i][j].push_back(placement_start_.size());
          placement_start_.push_back(q);
          placement_column_.push_back(column_of.at({sc.day, sc.template_index, static_cast<int>(j), q}));
        }
      }
    }
    const auto contracts = rm.contract_names.size();
    per_day_.assign(contracts, std::vector<int>(static_cast<std::size_t>(p.days), 0));
    total_.assign(contracts, 0);
    contract_.assign(contracts, nullptr);
    for (std::size_t c = 0; c < contracts; ++c) contract_[c] = find_contract(p, rm.contract_names[c]);
  }

  /// The roster of explicit shifts (e.g. each day solved alone), completed for the contracts.
  std::vector<double> from_shifts(const std::vector<AssignedShift>& shifts) {
    x_.assign(rm_.shift_columns.size(), 0);
    b_.assign(placement_start_.size(), 0);
    working_.assign(hard_.size(), 0.0);
    cost_ = 0.0;
    for (auto& day : per_day_) std::fill(day.begin(), day.end(), 0);
    std::fill(total_.begin(), total_.end(), 0);
    std::map<std::tuple<int, int, int>, std::size_t> column;
    for (std::size_t i = 0; i < rm_.shift_columns.size(); ++i) {
      const auto& sc = rm_.shift_columns[i];
      column[{sc.day, sc.template_index, sc.start}] = i;
    }
    for (const auto& a : shifts) {
      const auto it = column.find({a.day, a.template_index, a.start});
      if (it == column.end()) return {};
      const std::size_t i = it->second;
      std::vector<std::size_t> breaks;
      for (std::size_t j = 0; j < placements_[i].size(); ++j) {
        for (std::size_t b : placements_[i][j]) {
          if (placement_start_[b] == a.break_starts[j]) breaks.push_back(b);
        }
      }
      if (breaks.size() != placements_[i].size()) return {};
      apply(i, breaks, 1);
    }
    if (!repair() || !fill_minimum_days()) return {};
    drop_redundant();
    return columns();
  }

  std::vector<double> build(const std::vector<double>& lp) {
    for (auto& day : per_day_) std::fill(day.begin(), day.end(), 0);
    std::fill(total_.begin(), total_.end(), 0);
    x_.assign(rm_.shift_columns.size(), 0);
    b_.assign(placement_start_.size(), 0);
    working_.assign(hard_.size(), 0.0);
    cost_ = 0.0;
    for (std::size_t i = 0; i < rm_.shift_columns.size(); ++i) {
      const int n = static_cast<int>(std::floor(lp[static_cast<std::size_t>(rm_.shift_columns[i].column)] + 0.5));
      std::vector<std::size_t> breaks;
      for (int u = 0; u < n && candidate(i, breaks) >= 0.0; ++u) apply(i, breaks, 1);
    }
    if (!repair()) return {};
    if (!fill_minimum_days()) return {};
    for (int pass = 0; pass < 3 && drop_redundant(); ++pass) {
    }
    // Local search only when the greedy roster is not yet within the gap of the LP bound.
    double bound = 0.0;
    for (std::size_t j = 0; j < lp.size(); ++j) bound += rm_.mip.objective[j] * lp[j];
    if (cost_ > 0 && (cost_ - bound) / cost_ > o_.relative_gap) improve();
    return columns();
  }

 private:
  const ShiftTemplate& tmpl(std::size_t i) const {
    return p_.templates[static_cast<std::size_t>(rm_.shift_columns[i].template_index)];
  }
  std::size_t contract_of(std::size_t i) const {
    return static_cast<std::size_t>(rm_.template_contract[static_cast<std::size_t>(rm_.shift_columns[i].template_index)]);
  }
  std::size_t cell_of(std::size_t i, int t) const { return cell(p_, rm_.shift_columns[i].day, t); }
  double shift_cost(std::size_t i) const { return tmpl(i).cost_per_interval * tmpl(i).paid_intervals(); }

  int employees(std::size_t c, int extra_day = -1, int extra = 0) const {
    int most = 0;
    for (std::size_t d = 0; d < per_day_[c].size(); ++d) {
      most = std::max(most, per_day_[c][d] + (static_cast<int>(d) == extra_day ? extra : 0));
    }
    const int total = total_[c] + extra;
    const Contract* k = contract_[c];
    if (k != nullptr && k->max_days < p_.days && total > 0) most = std::max(most, (total + k->max_days - 1) / k->max_days);
    return most;
  }

  // Whether one more (extra = 1) or one fewer (extra = -1) shift of contract c on day d keeps the
  // head-count caps and the minimum days.
  bool contracts_allow(std::size_t c, int d, int extra) const {
    const int e = employees(c, d, extra);
    const Contract* k = contract_[c];
    if (k != nullptr && e > k->max_head_count) return false;
    if (k != nullptr && k->min_days > 0 && extra < 0 && total_[c] + extra < k->min_days * e) return false;
    if (o_.max_head_count < std::numeric_limits<int>::max()) {
      int all = 0;
      for (std::size_t q = 0; q < per_day_.size(); ++q) all += q == c ? e : employees(q);
      if (all > o_.max_head_count) return false;
    }
    return true;
  }

  // Adds (sign 1) or removes (sign -1) one unit of shift i with the given break columns.
  void apply(std::size_t i, const std::vector<std::size_t>& breaks, int sign) {
    const auto& sc = rm_.shift_columns[i];
    const auto& k = tmpl(i);
    x_[i] += sign;
    for (int t = sc.start; t < sc.start + k.length; ++t) working_[cell_of(i, t)] += sign;
    for (std::size_t j = 0; j < breaks.size(); ++j) {
      const std::size_t b = breaks[j];
      b_[b] += sign;
      const int q = placement_start_[b];
      for (int t = q; t < q + k.breaks[j].length; ++t) working_[cell_of(i, t)] -= sign;
    }
    const std::size_t c = contract_of(i);
    per_day_[c][static_cast<std::size_t>(sc.day)] += sign;
    total_[c] += sign;
    cost_ += sign * shift_cost(i);
  }

  double weight(std::size_t c) const {
    if (working_[c] < hard_[c] - 1e-9) return 1e9;
    if (working_[c] < soft_[c] - 1e-9) return o_.under_cover_penalty;
    return 0.0;
  }

  // The best break placements for one more unit of shift i (breaks where cover is least needed),
  // and the value of the cover that unit adds. Negative when it would exceed a maximum.
  double candidate(std::size_t i, std::vector<std::size_t>& breaks) const {
    const auto& sc = rm_.shift_columns[i];
    const auto& k = tmpl(i);
    breaks.clear();
    std::vector<char> off(static_cast<std::size_t>(k.length), 0);
    for (std::size_t j = 0; j < placements_[i].size(); ++j) {
      const int len = k.breaks[j].length;
      double best = kInf, best_slack = -kInf;
      std::size_t pick = placements_[i][j].front();
      for (std::size_t b : placements_[i][j]) {
        const int q = placement_start_[b];
        double w = 0.0, slack = 0.0;
        for (int t = q; t < q + len; ++t) {
          const std::size_t c = cell_of(i, t);
          w += weight(c);
          slack += working_[c] - std::max(hard_[c], soft_[c]);
        }
        if (w < best || (w == best && slack > best_slack)) {
          best = w;
          best_slack = slack;
          pick = b;
        }
      }
      breaks.push_back(pick);
      for (int t = placement_start_[pick]; t < placement_start_[pick] + len; ++t) off[static_cast<std::size_t>(t - sc.start)] = 1;
    }
    double gain = 0.0;
    for (int t = sc.start; t < sc.start + k.length; ++t) {
      if (off[static_cast<std::size_t>(t - sc.start)]) continue;
      const std::size_t c = cell_of(i, t);
      if (working_[c] + 1 > cap_[c] + 1e-9) return -1.0;
      gain += weight(c);
    }
    return gain;
  }

  bool hard_short() const {
    for (std::size_t c = 0; c < hard_.size(); ++c) {
      if (working_[c] < hard_[c] - 1e-9) return true;
    }
    return false;
  }

  bool affordable(std::size_t i) const { return cost_ + shift_cost(i) <= o_.budget + 1e-9; }

  bool repair() {
    std::vector<std::size_t> breaks, best_breaks;
    std::vector<char> short_day(static_cast<std::size_t>(p_.days), 0);
    for (;;) {
      const bool must = hard_short();
      // Only days with some shortfall can gain from another shift.
      std::fill(short_day.begin(), short_day.end(), 0);
      for (std::size_t c = 0; c < hard_.size(); ++c) {
        if (weight(c) > 0) short_day[c / static_cast<std::size_t>(T_)] = 1;
      }
      double best_ratio = 0.0;
      std::size_t best = rm_.shift_columns.size();
      for (std::size_t i = 0; i < rm_.shift_columns.size(); ++i) {
        if (!short_day[static_cast<std::size_t>(rm_.shift_columns[i].day)]) continue;
        const double gain = candidate(i, breaks);
        if (gain <= 0.0) continue;
        const double cost = shift_cost(i);
        if (!must && gain <= cost) continue;  // only hard shortfall is worth more than it costs
        const double ratio = cost > 0 ? gain / cost : kInf;
        if (ratio <= best_ratio) continue;
        const std::size_t c = contract_of(i);
        if (!affordable(i) || !contracts_allow(c, rm_.shift_columns[i].day, 1)) continue;
        best_ratio = ratio;
        best = i;
        best_breaks = breaks;
      }
      if (best == rm_.shift_columns.size()) return !must;
      apply(best, best_breaks, 1);
    }
  }

  bool fill_minimum_days() {
    std::vector<std::size_t> breaks, best_breaks;
    for (std::size_t c = 0; c < contract_.size(); ++c) {
      const Contract* k = contract_[c];
      if (k == nullptr || k->min_days == 0) continue;
      while (total_[c] < k->min_days * employees(c)) {
        const int e = employees(c);
        double best_gain = -1.0;
        std::size_t best = rm_.shift_columns.size();
        for (std::size_t i = 0; i < rm_.shift_columns.size(); ++i) {
          if (contract_of(i) != c || per_day_[c][static_cast<std::size_t>(rm_.shift_columns[i].day)] >= e) continue;
          const double gain = candidate(i, breaks);
          if (gain < 0.0 || !affordable(i)) continue;
          const double score = gain - shift_cost(i);
          if (best == rm_.shift_columns.size() || score > best_gain) {
            best_gain = score;
            best = i;
            best_breaks = breaks;
          }
        }
        if (best == rm_.shift_columns.size()) return false;
        apply(best, best_breaks, 1);
      }
    }
    return true;
  }

  // Drops shifts whose cover is not needed; true when any went.
  bool drop_redundant() {
    std::vector<std::size_t> order(rm_.shift_columns.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return shift_cost(a) > shift_cost(b); });
    bool any = false;
    for (std::size_t i : order) {
      while (x_[i] > 0) {
        const auto& sc = rm_.shift_columns[i];
        const auto& k = tmpl(i);
        // Remove the unit whose breaks sit where cover is scarcest (its absence costs least there).
        std::vector<std::size_t> breaks;
        std::vector<char> off(static_cast<std::size_t>(k.length), 0);
        for (std::size_t j = 0; j < placements_[i].size(); ++j) {
          const int len = k.breaks[j].length;
          double worst = kInf;
          std::size_t pick = placements_[i][j].front();
          for (std::size_t b : placements_[i][j]) {
            if (b_[b] == 0) continue;
            double slack = 0.0;
            for (int t = placement_start_[b]; t < placement_start_[b] + len; ++t) {
              const std::size_t c = cell_of(i, t);
              slack += working_[c] - std::max(hard_[c], soft_[c]);
            }
            if (slack < worst) {
              worst = slack;
              pick = b;
            }
          }
          breaks.push_back(pick);
          for (int t = placement_start_[pick]; t < placement_start_[pick] + len; ++t) off[static_cast<std::size_t>(t - sc.start)] = 1;
        }
        double penalty = 0.0;
        bool ok = true;
        for (int t = sc.start; t < sc.start + k.length && ok; ++t) {
          if (off[static_cast<std::size_t>(t - sc.start)]) continue;
          const std::size_t c = cell_of(i, t);
          if (working_[c] - 1 < hard_[c] - 1e-9) ok = false;
          if (working_[c] - 1 < soft_[c] - 1e-9) penalty += o_.under_cover_penalty * std::min(1.0, soft_[c] - (working_[c] - 1));
        }
        if (!ok || penalty >= shift_cost(i) || !contracts_allow(contract_of(i), sc.day, -1)) break;
        apply(i, breaks, -1);
        any = true;
      }
    }
    return any;
  }

  struct Snapshot {
    std::vector<int> x, b;
    std::vector<double> working;
    std::vector<std::vector<int>> per_day;
    std::vector<int> total;
    double cost;
  };
  Snapshot save() const { return {x_, b_, working_, per_day_, total_, cost_}; }
  void restore(const Snapshot& s) {
    x_ = s.x;
    b_ = s.b;
    working_ = s.working;
    per_day_ = s.per_day;
    total_ = s.total;
    cost_ = s.cost;
  }

  // Ruin and recreate (Schrimpf et al. 2000, "Record breaking optimization results using the ruin
  // and recreate principle"): remove some of the shifts that overlap a random stretch of a random
  // day, repair, drop what is redundant, keep the result when it costs no more. Random choices come
  // from a fixed Philox stream, and the number of rounds is fixed, so the roster is reproducible.
  void improve() {
    if (x_.empty()) return;
    RandomStream rng(0x5eed, 0);
    Snapshot best = save();
    int since_better = 0;
    std::vector<std::size_t> units;
    for (int round = 0; round < kRounds && since_better < kPatience; ++round) {
      const int day = static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(p_.days)));
      const int width = 4 + static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(std::max(1, T_ / 3))));
      const int from = static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(T_)));
      units.clear();
      for (std::size_t i = 0; i < x_.size(); ++i) {
        const auto& sc = rm_.shift_columns[i];
        if (sc.day != day || sc.start >= from + width || sc.start + tmpl(i).length <= from) continue;
        for (int u = 0; u < x_[i]; ++u) units.push_back(i);
      }
      if (units.empty()) continue;
      // Remove a few of them (2 to 9): small ruins keep each repair cheap on large rosters too.
      const auto remove = std::min<std::size_t>(units.size(), 2 + rng.uniform_int(8));
      for (std::size_t r = 0; r < remove; ++r) {
        const std::size_t pick = r + rng.uniform_int(units.size() - r);
        std::swap(units[r], units[pick]);
        if (x_[units[r]] > 0) remove_unit(units[r]);
      }
      bool ok = repair() && fill_minimum_days();
      if (ok) {
        for (int pass = 0; pass < 2 && drop_redundant(); ++pass) {
        }
      }
      if (ok && cost_ < best.cost - 1e-9) {
        best = save();
        since_better = 0;
      } else {
        if (ok && cost_ <= best.cost + 1e-9) best = save();  // equal cost: move on (plateaus)
        restore(best);
        ++since_better;
      }
    }
    restore(best);
  }

  // Removes one unit of shift i with one of its break placements for each break.
  void remove_unit(std::size_t i) {
    std::vector<std::size_t> breaks;
    for (std::size_t j = 0; j < placements_[i].size(); ++j) {
      for (std::size_t b : placements_[i][j]) {
        if (b_[b] > 0) {
          breaks.push_back(b);
          break;
        }
      }
    }
    apply(i, breaks, -1);
  }

  static constexpr int kRounds = 1500;
  static constexpr int kPatience = 300;

  std::vector<double> columns() const {
    const auto& m = rm_.mip;
    std::vector<double> out(static_cast<std::size_t>(m.cols()), 0.0);
    for (std::size_t i = 0; i < x_.size(); ++i) out[static_cast<std::size_t>(rm_.shift_columns[i].column)] = x_[i];
    for (std::size_t b = 0; b < b_.size(); ++b) out[static_cast<std::size_t>(placement_column_[b])] += b_[b];
    for (std::size_t c = 0; c < rm_.under_columns.size(); ++c) {
      if (rm_.under_columns[c] >= 0) out[static_cast<std::size_t>(rm_.under_columns[c])] = std::max(0.0, p_.requirement[c] - working_[c]);
    }
    for (std::size_t c = 0; c < rm_.employee_columns.size(); ++c) out[static_cast<std::size_t>(rm_.employee_columns[c])] = employees(c);
    // Every row must hold (a defensive check: CBC would reject the start otherwise).
    std::vector<double> activity(static_cast<std::size_t>(m.rows()), 0.0);
    for (int j = 0; j < m.cols(); ++j) {
      const double v = out[static_cast<std::size_t>(j)];
      if (v == 0.0) continue;
      for (int e = m.col_starts[static_cast<std::size_t>(j)]; e < m.col_starts[static_cast<std::size_t>(j) + 1]; ++e) {
        activity[static_cast<std::size_t>(m.row_index[static_cast<std::size_t>(e)])] += m.values[static_cast<std::size_t>(e)] * v;
      }
    }
    for (int r = 0; r < m.rows(); ++r) {
      const auto ri = static_cast<std::size_t>(r);
      if (activity[ri] < m.row_lower[ri] - 1e-6 || activity[ri] > m.row_upper[ri] + 1e-6) return {};
    }
    for (int j = 0; j < m.cols(); ++j) {
      const auto ji = static_cast<std::size_t>(j);
      if (out[ji] < m.col_lower[ji] - 1e-9 || out[ji] > m.col_upper[ji] + 1e-9) return {};
    }
    return out;
  }

  const RosterProblem& p_;
  const RosterOptions& o_;
  const detail::RosterMip& rm_;
  int T_;
  bool elastic_ = false;
  std::vector<double> hard_, soft_, cap_, working_;
  std::vector<std::vector<std::vector<std::size_t>>> placements_;  // shift -> break -> placement ids
  std::vector<int> placement_start_, placement_column_;
  std::vector<const Contract*> contract_;
  std::vector<std::vector<int>> per_day_;
  std::vector<int> total_;
  std::vector<int> x_, b_;
  double cost_ = 0.0;
};

RosterResult solve_one(const RosterProblem& p, const RosterOptions& o);

// Whether anything ties the days together: contracts' day limits and head counts, the total head
// count, the budget. Without, the days are separate programs and solving them apart is exact.
bool days_coupled(const RosterProblem& p, const RosterOptions& o) {
  if (o.max_head_count < std::numeric_limits<int>::max() || std::isfinite(o.budget)) return true;
  for (const auto& c : p.contracts) {
    if (c.min_days > 0 || c.max_days < p.days || c.max_head_count < std::numeric_limits<int>::max()) return true;
  }
  return false;
}

struct DailyRosters {
  std::vector<AssignedShift> shifts;
  double lp_bound = 0.0, best_bound = 0.0;
  int variables = 0, constraints = 0, nodes = 0;
  bool all_converged = true;
};

// Each day alone (a program a fifth the size of a week's, which CBC searches far better), in
// parallel. Nothing when a day cannot be solved alone (its errors are left to the whole horizon).
std::optional<DailyRosters> solve_days(const RosterProblem& p, const RosterOptions& o, double time_limit) {
  const int D = p.days, T = p.intervals_per_day;
  std::vector<RosterProblem> days(static_cast<std::size_t>(D));
  std::vector<std::vector<int>> template_of(static_cast<std::size_t>(D));
  std::vector<char> needed(static_cast<std::size_t>(D), 0);
  for (int d = 0; d < D; ++d) {
    auto& q = days[static_cast<std::size_t>(d)];
    q.days = 1;
    q.intervals_per_day = T;
    const auto from = static_cast<std::ptrdiff_t>(cell(p, d, 0)), to = from + T;
    q.requirement.assign(p.requirement.begin() + from, p.requirement.begin() + to);
    if (!p.open.empty()) q.open.assign(p.open.begin() + from, p.open.begin() + to);
    if (!p.min_staff.empty()) q.min_staff.assign(p.min_staff.begin() + from, p.min_staff.begin() + to);
    if (!p.max_staff.empty()) q.max_staff.assign(p.max_staff.begin() + from, p.max_staff.begin() + to);
    for (std::size_t k = 0; k < p.templates.size(); ++k) {
      if (!allowed_on(p.templates[k], d)) continue;
      auto t = p.templates[k];
      t.days.clear();
      q.templates.push_back(std::move(t));
      template_of[static_cast<std::size_t>(d)].push_back(static_cast<int>(k));
    }
    for (std::size_t c = 0; c < q.requirement.size(); ++c) needed[static_cast<std::size_t>(d)] |= need_at(q, c) > 0 ? 1 : 0;
  }
  auto day_options = o;
  day_options.max_head_count = std::numeric_limits<int>::max();
  day_options.budget = kInf;
  day_options.time_limit = time_limit;
  std::vector<RosterResult> results(static_cast<std::size_t>(D));
  std::vector<char> failed(static_cast<std::size_t>(D), 0);
  parallel_for_chunks(static_cast<std::size_t>(D), 1, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t d = begin; d < end; ++d) {
      if (!needed[d]) continue;
      try {
        results[d] = solve_one(days[d], day_options);
        if (results[d].shifts.empty()) failed[d] = 1;
      } catch (const InvalidArgument&) {
        failed[d] = 1;
      }
    }
  });
  DailyRosters out;
  for (int d = 0; d < D; ++d) {
    const auto di = static_cast<std::size_t>(d);
    if (!needed[di]) continue;
    if (failed[di]) return std::nullopt;
    for (auto a : results[di].shifts) {
      a.day = d;
      a.template_index = template_of[di][static_cast<std::size_t>(a.template_index)];
      out.shifts.push_back(std::move(a));
    }
    out.lp_bound += results[di].lp_bound;
    out.best_bound += results[di].best_bound;
    out.variables += results[di].variables;
    out.constraints += results[di].constraints;
    out.nodes += results[di].status.iterations;
    out.all_converged = out.all_converged && results[di].status.converged();
  }
  return out;
}

void set_status(RosterResult& r, const RosterOptions& o, bool time_limit_reached) {
  r.gap = r.cost > 0 ? std::max(0.0, (r.cost - r.best_bound) / r.cost) : 0.0;
  if (time_limit_reached && r.gap > o.relative_gap) {
    r.status = Status::make(StatusCode::time_limit,
                            fmt::format("time limit of {} s reached with a gap of {:.3f}%", o.time_limit, 100 * r.gap));
  } else {
    r.status = Status::make(StatusCode::converged, fmt::format("within a relative gap of {:.3f}% of the optimum", 100 * r.gap));
  }
}

RosterResult solve_one(const RosterProblem& p, const RosterOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  std::optional<DailyRosters> daily;
  if (p.days > 1) {
    // Half the time for the days, which run get_num_threads() at a time.
    const int waves = (p.days + get_num_threads() - 1) / get_num_threads();
    daily = solve_days(p, o, 0.5 * o.time_limit / waves);
  }
  if (daily && !days_coupled(p, o)) {
    RosterResult r = finish(p, o, daily->shifts);
    r.lp_bound = daily->lp_bound;
    r.best_bound = std::min(daily->best_bound, r.cost);
    set_status(r, o, !daily->all_converged);
    r.variables = daily->variables;
    r.constraints = daily->constraints;
    r.status.iterations = daily->nodes;
    r.status.seconds = elapsed();
    return r;
  }
  const auto rm = detail::build_roster_mip(p, o);
  IncumbentBuilder builder(p, o, rm);
  auto incumbent = [&](const std::vector<double>& lp) {
    if (daily) {
      auto from_days = builder.from_shifts(daily->shifts);
      if (!from_days.empty()) return from_days;
    }
    return builder.build(lp);
  };
  const auto solved = detail::solve_mip(rm.mip, o.relative_gap, std::max(0.1, o.time_limit - elapsed()), incumbent);
  if (solved.proven_infeasible) explain_infeasible(p, o);
  RosterResult r;
  if (solved.solution.empty()) {
    r.status = Status::make(StatusCode::time_limit, fmt::format("no roster found within the time limit of {} s", o.time_limit));
  } else {
    r = finish(p, o, shifts_from_columns(p, rm, solved.solution));
    r.best_bound = std::min(solved.best_bound, r.cost);
    set_status(r, o, solved.time_limit_reached);
  }
  r.lp_bound = solved.lp_bound;
  r.variables = rm.mip.cols();
  r.constraints = rm.mip.rows();
  r.status.iterations = solved.nodes;
  r.status.seconds = elapsed();
  return r;
}

}  // namespace

RosterResult solve_roster(const RosterProblem& problem, const RosterOptions& options) {
  problem.validate();
  options.validate();
  return solve_one(problem, options);
}

std::vector<RosterResult> solve_rosters(std::span<const RosterProblem> problems, const RosterOptions& options) {
  options.validate();
  for (std::size_t i = 0; i < problems.size(); ++i) {
    try {
      problems[i].validate();
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(fmt::format("problems[{}]: {}", i, e.what()));
    }
  }
  std::vector<RosterResult> out(problems.size());
  std::vector<std::optional<std::string>> errors(problems.size());
  parallel_for_chunks(problems.size(), 1, [&](std::size_t, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      try {
        out[i] = solve_one(problems[i], options);
      } catch (const InvalidArgument& e) {
        errors[i] = e.what();
      }
    }
  });
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (errors[i]) throw InvalidArgument(fmt::format("problems[{}]: {}", i, *errors[i]));
  }
  return out;
}

}  // namespace bankquant::staffing
