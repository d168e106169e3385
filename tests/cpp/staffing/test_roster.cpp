#include "bankquant/staffing/roster.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bankquant/core/errors.hpp"
#include "bankquant/staffing/requirements.hpp"
#include "staffing/call_centre.hpp"
#include "with_threads.hpp"

namespace bq = bankquant;
namespace st = bankquant::staffing;

namespace {

st::ShiftTemplate make_template(std::string name, int length, int earliest, int latest, std::vector<st::ShiftBreak> breaks = {},
                                std::string contract = "full_time") {
  st::ShiftTemplate k;
  k.name = std::move(name);
  k.length = length;
  k.earliest_start = earliest;
  k.latest_start = latest;
  k.breaks = std::move(breaks);
  k.contract = std::move(contract);
  return k;
}

st::ShiftBreak make_break(int length, int earliest, int latest, bool paid = false) {
  st::ShiftBreak b;
  b.length = length;
  b.earliest_start = earliest;
  b.latest_start = latest;
  b.paid = paid;
  return b;
}

// An independent solver for tiny one-day problems: explicit patterns (every start and every break
// placement), depth-first search over pattern counts with a cost bound.
double brute_force(const st::RosterProblem& p) {
  const int T = p.intervals_per_day;
  struct Pattern {
    std::vector<int> work;
    double cost;
  };
  std::vector<Pattern> patterns;
  for (const auto& k : p.templates) {
    for (int s = k.earliest_start; s <= k.latest_start && s + k.length <= T; s += k.start_step) {
      std::function<void(std::size_t, std::vector<int>)> place = [&](std::size_t j, std::vector<int> work) {
        if (j == k.breaks.size()) {
          patterns.push_back({work, k.cost_per_interval * k.paid_intervals()});
          return;
        }
        const auto& b = k.breaks[j];
        for (int q = s + b.earliest_start; q <= s + b.latest_start; ++q) {
          auto w = work;
          for (int t = q; t < q + b.length; ++t) w[static_cast<std::size_t>(t)] = 0;
          place(j + 1, w);
        }
      };
      std::vector<int> work(static_cast<std::size_t>(T), 0);
      for (int t = s; t < s + k.length; ++t) work[static_cast<std::size_t>(t)] = 1;
      place(0, work);
    }
  }
  double best = std::numeric_limits<double>::infinity();
  std::vector<double> need(p.requirement.begin(), p.requirement.end());
  double per_unit = std::numeric_limits<double>::infinity();  // cheapest cost per worked interval
  for (const auto& q : patterns) {
    int worked = 0;
    for (int w : q.work) worked += w;
    per_unit = std::min(per_unit, q.cost / worked);
  }
  std::function<void(std::size_t, double)> search = [&](std::size_t i, double cost) {
    double left = 0;
    for (double v : need) left += std::max(0.0, v);
    if (cost + left * per_unit >= best - 1e-12) return;
    int first = -1;
    for (int t = 0; t < T; ++t) {
      if (need[static_cast<std::size_t>(t)] > 1e-9) {
        first = t;
        break;
      }
    }
    if (first < 0) {
      best = cost;
      return;
    }
    // The first uncovered interval must be covered by some pattern from i on (patterns are tried in
    // order, each may be used repeatedly).
    for (std::size_t j = i; j < patterns.size(); ++j) {
      if (!patterns[j].work[static_cast<std::size_t>(first)]) continue;
      for (int t = 0; t < T; ++t) need[static_cast<std::size_t>(t)] -= patterns[j].work[static_cast<std::size_t>(t)];
      search(0, cost + patterns[j].cost);
      for (int t = 0; t < T; ++t) need[static_cast<std::size_t>(t)] += patterns[j].work[static_cast<std::size_t>(t)];
    }
  };
  search(0, 0.0);
  return best;
}

// The bank call centre's mean calls per 5 minutes (164 weekdays), staffed by Erlang C (4-minute
// calls, 80% in 20 s) and taken at its maximum over each 15 minutes: 57 intervals 07:00-21:15.
std::vector<double> call_centre_requirement_15min() {
  const std::vector<double> mean = bankquant::testing::mean_calls_by_time(
      bankquant::testing::read_call_centre(std::string(BANKQUANT_TEST_DATA_DIR) + "/bank_call_centre_5min.csv"));
  st::RequirementOptions o;
  o.queue.service_time = 4.0;
  o.interval_length = 5.0;
  const auto r = st::staffing_requirements(mean, {}, {}, o);
  std::vector<double> out;
  for (std::size_t i = 0; i < r.staff.size(); i += 3) {
    int m = 0;
    for (std::size_t j = i; j < std::min(i + 3, r.staff.size()); ++j) m = std::max(m, r.staff[j]);
    out.push_back(m);
  }
  return out;
}

// A week (5 days) at 15 minutes, 20 templates: full-time 8.5 h with an unpaid half-hour lunch and
// two paid 15-minute breaks, 7.5 h and 6 h variants, part-time 4 h and 5 h with one paid break, each
// in early, middle and late start windows.
st::RosterProblem call_centre_week() {
  const auto day = call_centre_requirement_15min();
  st::RosterProblem p;
  p.days = 5;
  p.intervals_per_day = static_cast<int>(day.size());
  for (int d = 0; d < p.days; ++d) {
    for (std::size_t t = 0; t < day.size(); ++t) p.requirement.push_back(day[t] * (d == 0 ? 1.1 : d == 4 ? 0.9 : 1.0));
  }
  for (auto& r : p.requirement) r = std::ceil(r);
  const int T = p.intervals_per_day;
  struct Shape {
    const char* name;
    int length;
    std::vector<st::ShiftBreak> breaks;
    const char* contract;
    double cost;
  };
  const std::vector<Shape> shapes{
      {"ft8.5", 34, {make_break(1, 6, 10, true), make_break(2, 14, 20), make_break(1, 24, 28, true)}, "full_time", 1.0},
      {"ft7.5", 30, {make_break(1, 6, 9, true), make_break(2, 12, 17), make_break(1, 21, 25, true)}, "full_time", 1.0},
      {"ft6", 24, {make_break(1, 8, 12, true), make_break(1, 15, 19, true)}, "full_time", 1.0},
      {"pt5", 20, {make_break(1, 8, 12, true)}, "part_time", 1.1},
      {"pt4", 16, {make_break(1, 6, 10, true)}, "part_time", 1.1},
  };
  for (const auto& sh : shapes) {
    const int last = T - sh.length;
    const std::vector<std::pair<int, int>> windows{{0, last / 4}, {last / 4 + 1, last / 2}, {last / 2 + 1, 3 * last / 4},
                                                   {3 * last / 4 + 1, last}};
    for (std::size_t w = 0; w < windows.size(); ++w) {
      auto k = make_template(std::string(sh.name) + "_" + std::to_string(w), sh.length, windows[w].first,
                             windows[w].second, sh.breaks, sh.contract);
      k.cost_per_interval = sh.cost;
      p.templates.push_back(k);
    }
  }
  st::Contract ft;
  ft.name = "full_time";
  ft.min_days = 4;
  ft.max_days = 5;
  st::Contract pt;
  pt.name = "part_time";
  pt.min_days = 1;
  pt.max_days = 3;
  p.contracts = {ft, pt};
  return p;
}

void expect_names(const std::function<void()>& f, const char* name) {
  try {
    f();
    ADD_FAILURE() << "expected an error naming " << name;
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find(std::string("'") + name + "'"), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Roster, HandCheckedOptimum) {
  st::RosterProblem p;
  p.intervals_per_day = 8;
  p.requirement = {1, 1, 1, 1, 2, 2, 2, 2};
  p.templates = {make_template("four", 4, 0, 4)};
  const auto r = st::solve_roster(p, {});
  EXPECT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_DOUBLE_EQ(r.cost, 12.0);  // one shift at 0, two at 4
  EXPECT_DOUBLE_EQ(r.lp_bound, 12.0);
  ASSERT_EQ(r.shifts.size(), 3u);
  EXPECT_EQ(r.working, p.requirement);
  EXPECT_EQ(r.employees, std::vector<int>{3});  // three people work that day
}

TEST(Roster, EqualsBruteForceWithBreaks) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 12; ++trial) {
    st::RosterProblem p;
    p.intervals_per_day = 12;
    for (int t = 0; t < 12; ++t) p.requirement.push_back(static_cast<double>(rng() % 3));
    p.requirement[0] = std::max(1.0, p.requirement[0]);
    auto a = make_template("long", 7, 0, 5, {make_break(1, 2, 4)});
    auto b = make_template("short", 4, 0, 8, {}, "part_time");
    b.cost_per_interval = 1.3 + 0.1 * (trial % 3);
    auto c = make_template("paidbreak", 6, 2, 6, {make_break(1, 1, 2, true), make_break(1, 3, 4)});
    p.templates = {a, b, c};
    st::RosterOptions exact;
    exact.relative_gap = 0.0;
    const auto r = st::solve_roster(p, exact);
    ASSERT_TRUE(r.status.converged()) << r.status.message;
    EXPECT_NEAR(r.cost, brute_force(p), 1e-9) << trial;
    EXPECT_LE(r.lp_bound, r.cost + 1e-9);
    for (std::size_t t = 0; t < p.requirement.size(); ++t) EXPECT_GE(r.working[t], p.requirement[t]);
  }
}

TEST(Roster, BreaksArePlacedInTheirWindows) {
  st::RosterProblem p;
  p.intervals_per_day = 10;
  p.requirement.assign(10, 2.0);
  p.templates = {make_template("full", 10, 0, 0, {make_break(1, 3, 6)}), make_template("half", 5, 0, 5)};
  const auto r = st::solve_roster(p, {});
  for (const auto& s : r.shifts) {
    const auto& k = p.templates[static_cast<std::size_t>(s.template_index)];
    ASSERT_EQ(s.break_starts.size(), k.breaks.size());
    for (std::size_t j = 0; j < k.breaks.size(); ++j) {
      EXPECT_GE(s.break_starts[j], s.start + k.breaks[j].earliest_start);
      EXPECT_LE(s.break_starts[j], s.start + k.breaks[j].latest_start);
    }
  }
  for (std::size_t t = 0; t < 10; ++t) EXPECT_GE(r.working[t], 2.0);
}

TEST(Roster, DaysOffAcrossTheWeek) {
  st::RosterProblem p;
  p.days = 7;
  p.intervals_per_day = 4;
  p.requirement.assign(28, 3.0);
  p.templates = {make_template("day", 4, 0, 0)};
  st::Contract c;
  c.name = "full_time";
  c.min_days = 5;
  c.max_days = 5;
  p.contracts = {c};
  const auto r = st::solve_roster(p, {});
  ASSERT_TRUE(r.status.converged());
  // 21 shifts of 5 days each: 5 employees cannot work 21 shifts at 5 days each, so the program
  // staffs 25 shifts (over-cover) for 5 employees, or fewer; every employee works exactly 5 days.
  ASSERT_EQ(r.employees.size(), 1u);
  const int e = r.employees[0];
  std::vector<std::vector<int>> days_of(static_cast<std::size_t>(e));
  for (const auto& s : r.shifts) days_of[static_cast<std::size_t>(s.employee)].push_back(s.day);
  for (const auto& ds : days_of) {
    EXPECT_EQ(ds.size(), 5u);
    EXPECT_EQ(std::set<int>(ds.begin(), ds.end()).size(), ds.size());  // never twice a day
  }
  EXPECT_EQ(static_cast<int>(r.shifts.size()) % 5, 0);
  for (std::size_t t = 0; t < 28; ++t) EXPECT_GE(r.working[t], 3.0);
}

TEST(Roster, UnderCoverAtAPenaltyWhenHeadCountIsCapped) {
  st::RosterProblem p;
  p.intervals_per_day = 8;
  p.requirement = {2, 2, 3, 3, 3, 3, 2, 2};
  p.templates = {make_template("eight", 8, 0, 0)};
  st::RosterOptions o;
  o.max_head_count = 2;
  // Hard requirement: infeasible under the cap, and the error names the cap and where.
  try {
    (void)st::solve_roster(p, o);
    FAIL() << "expected an error";
  } catch (const bq::InvalidArgument& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("'max_head_count'"), std::string::npos) << text;
    EXPECT_NE(text.find("day 0 interval 2"), std::string::npos) << text;
  }
  o.under_cover_penalty = 5.0;
  const auto r = st::solve_roster(p, o);
  ASSERT_TRUE(r.status.converged());
  EXPECT_EQ(r.shifts.size(), 2u);
  EXPECT_EQ(r.under_cover, (std::vector<double>{0, 0, 1, 1, 1, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(r.under_cover_cost, 20.0);
  EXPECT_DOUBLE_EQ(r.cost, 16.0 + 20.0);
  // A budget cap works the same way.
  st::RosterOptions b;
  b.budget = 17.0;
  expect_names([&] { (void)st::solve_roster(p, b); }, "budget");
}

TEST(Roster, MinimumAndMaximumStaff) {
  st::RosterProblem p;
  p.intervals_per_day = 6;
  p.requirement = {0, 0, 4, 4, 0, 0};
  p.min_staff = {1, 1, 1, 1, 1, 1};
  p.max_staff = {3, 3, 5, 5, 3, 3};
  p.templates = {make_template("two", 2, 0, 4), make_template("six", 6, 0, 0)};
  const auto r = st::solve_roster(p, {});
  for (std::size_t t = 0; t < 6; ++t) {
    EXPECT_GE(r.working[t], std::max(1.0, p.requirement[t]));
    EXPECT_LE(r.working[t], p.max_staff[t]);
  }
  // A maximum below the requirement with a hard requirement names max_staff.
  auto q = p;
  q.max_staff = {3, 3, 3, 3, 3, 3};
  expect_names([&] { (void)st::solve_roster(q, {}); }, "max_staff");
}

TEST(Roster, BadProblemsAreNamed) {
  st::RosterProblem p;
  p.intervals_per_day = 8;
  p.requirement.assign(8, 1.0);
  p.open = {1, 1, 1, 1, 1, 1, 1, 1};
  p.templates = {make_template("four", 4, 0, 2)};  // cannot reach the last intervals
  expect_names([&] { (void)st::solve_roster(p, {}); }, "templates");
  p.templates = {make_template("four", 4, 0, 4)};
  p.open[7] = 0;
  expect_names([&] { (void)st::solve_roster(p, {}); }, "requirement");  // staff wanted while closed
  p.requirement[7] = 0;
  // With the last interval closed a shift must end by 7: a template that may only start at 4 cannot
  // work there, so the opening hours' last open interval is left uncovered.
  p.templates = {make_template("early", 4, 0, 0), make_template("late", 4, 4, 4)};
  expect_names([&] { (void)st::solve_roster(p, {}); }, "templates");
  p.templates = {make_template("four", 4, 0, 3), make_template("x", 4, 0, 3, {make_break(1, 1, 2), make_break(1, 2, 3)})};
  expect_names([&] { (void)st::solve_roster(p, {}); }, "templates");  // overlapping break windows
  p.templates = {make_template("four", 4, 0, 3), make_template("four", 3, 0, 3)};
  expect_names([&] { (void)st::solve_roster(p, {}); }, "templates");  // duplicate names
  p.templates = {make_template("four", 4, 0, 3)};
  p.requirement.push_back(1.0);
  expect_names([&] { (void)st::solve_roster(p, {}); }, "requirement");  // wrong shape
  p.requirement.pop_back();
  p.requirement[0] = std::nan("");
  expect_names([&] { (void)st::solve_roster(p, {}); }, "requirement");
  p.requirement[0] = 1.0;
  st::RosterOptions o;
  o.relative_gap = 1.5;
  expect_names([&] { (void)st::solve_roster(p, o); }, "relative_gap");
  o = {};
  o.under_cover_penalty = 0.0;
  expect_names([&] { (void)st::solve_roster(p, o); }, "under_cover_penalty");
  o.under_cover_penalty = 1e308;  // Clp asserts (aborts) on objective coefficients near 1e25: refused first
  expect_names([&] { (void)st::solve_roster(p, o); }, "under_cover_penalty");
  o = {};
  p.templates[0].cost_per_interval = 1e300;
  expect_names([&] { (void)st::solve_roster(p, o); }, "templates");
  p.templates[0].cost_per_interval = 1.0;
  st::Contract c;
  c.min_days = 3;
  c.max_days = 2;
  p.contracts = {c};
  expect_names([&] { (void)st::solve_roster(p, {}); }, "contracts");
}

TEST(Roster, CallCentreWeekSolvesWithinOnePercent) {
  const auto p = call_centre_week();
  ASSERT_EQ(p.templates.size(), 20u);
  const auto r = st::solve_roster(p, {});
  EXPECT_TRUE(r.status.converged()) << r.status.message;
  EXPECT_LE(r.gap, 0.01) << r.status.message;
  EXPECT_LT(r.status.seconds, 60.0);
  EXPECT_LE(r.lp_bound, r.cost + 1e-6);
  EXPECT_LE(r.best_bound, r.cost + 1e-6);
  EXPECT_GE(r.best_bound, r.lp_bound - 1e-6);
  for (std::size_t c = 0; c < p.requirement.size(); ++c) ASSERT_GE(r.working[c], p.requirement[c]) << c;
  // Head counts respect the contracts' day limits.
  for (std::size_t ci = 0; ci < r.contract_names.size(); ++ci) {
    std::map<int, int> days;
    for (const auto& s : r.shifts) {
      if (p.templates[static_cast<std::size_t>(s.template_index)].contract == r.contract_names[ci]) ++days[s.employee];
    }
    const auto& c = p.contracts[ci];
    for (const auto& [e, n] : days) {
      EXPECT_GE(n, c.min_days);
      EXPECT_LE(n, c.max_days);
    }
  }
  std::cout << "call-centre week: " << r.variables << " variables, " << r.constraints << " rows, cost " << r.cost
            << ", LP bound " << r.lp_bound << ", gap " << r.gap << ", " << r.status.seconds << " s, "
            << r.status.iterations << " nodes\n";
}

TEST(Roster, ManyBranchesInParallelEqualOneByOne) {
  std::vector<st::RosterProblem> problems;
  std::mt19937 rng(3);
  for (int b = 0; b < 6; ++b) {
    st::RosterProblem p;
    p.days = 2;
    p.intervals_per_day = 16;
    for (int i = 0; i < 32; ++i) p.requirement.push_back(static_cast<double>(1 + rng() % 4));
    p.templates = {make_template("eight", 8, 0, 8, {make_break(1, 3, 5)}), make_template("four", 4, 0, 12, {}, "part_time")};
    p.templates[1].cost_per_interval = 1.2;
    problems.push_back(p);
  }
  const auto one = bq::testing::with_threads(1, [&] { return st::solve_rosters(problems, {}); });
  const auto two = bq::testing::with_threads(2, [&] { return st::solve_rosters(problems, {}); });
  ASSERT_EQ(one.size(), problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) {
    EXPECT_EQ(one[i].cost, two[i].cost);
    EXPECT_EQ(one[i].working, two[i].working);
    EXPECT_EQ(one[i].cost, st::solve_roster(problems[i], {}).cost);
  }
  problems[4].requirement[3] = -1.0;
  try {
    (void)st::solve_rosters(problems, {});
    FAIL();
  } catch (const bq::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("problems[4]"), std::string::npos) << e.what();
  }
}
