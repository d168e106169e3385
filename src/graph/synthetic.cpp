#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/synthetic.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::graph {
namespace {

using Id = std::int32_t;
constexpr std::int64_t kMinute = 60, kHour = 3600, kDay = 86'400;
using bankquant::detail::kDaysPerMonth;

// Streams: account a draws from stream 1 + a, pattern p from kPatternStreams + p, the set-up from 0.
constexpr std::uint64_t kPatternStreams = std::uint64_t{1} << 40, kPayrollStreams = std::uint64_t{1} << 41;

double lognormal(RandomStream& rng, double median, double sigma) { return median * std::exp(sigma * rng.normal()); }

std::int64_t poisson(RandomStream& rng, double mean) {
  if (!(mean > 0)) return 0;
  if (mean > 40) return std::max<std::int64_t>(0, std::llround(rng.normal(mean, std::sqrt(mean))));
  const double limit = std::exp(-mean);  // Knuth: multiply uniforms until below e^-mean
  std::int64_t k = 0;
  for (double p = rng.uniform(); p > limit; p *= rng.uniform()) ++k;
  return k;
}

// Sampling from fixed weights by inversion of their running sum.
class Weights {
 public:
  Weights() = default;
  explicit Weights(const std::vector<double>& w) : cumulative_(w.size()) {
    std::partial_sum(w.begin(), w.end(), cumulative_.begin());
  }
  [[nodiscard]] std::size_t draw(RandomStream& rng) const {
    const double u = rng.uniform() * cumulative_.back();
    return std::min<std::size_t>(static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), u) -
                                                          cumulative_.begin()),
                                 cumulative_.size() - 1);
  }
  [[nodiscard]] bool empty() const { return cumulative_.empty(); }

 private:
  std::vector<double> cumulative_;
};

// Days of the period: weekday, day of month, paydays (last business day of a month), month starts.
struct Calendar {
  std::int64_t start = 0;
  int days = 0;
  std::vector<int> weekday, day_of_month;  // weekday 0 = Monday
  std::vector<int> paydays, month_starts;  // day indices
  std::vector<char> after_payday;          // within four days after a payday: spending rises

  Calendar(std::int64_t start_seconds, int n_days) : start(start_seconds), days(n_days) {
    using namespace std::chrono;
    const auto first = sys_days(floor<std::chrono::days>(sys_seconds(seconds(start_seconds))));
    std::vector<int> month(static_cast<std::size_t>(days));
    for (int d = 0; d < days; ++d) {
      const auto day = first + std::chrono::days(d);
      const year_month_day ymd(day);
      weekday.push_back(static_cast<int>(std::chrono::weekday(day).iso_encoding()) - 1);
      day_of_month.push_back(static_cast<int>(static_cast<unsigned>(ymd.day())));
      month[static_cast<std::size_t>(d)] = static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month()));
      if (day_of_month.back() == 1) month_starts.push_back(d);
    }
    // the last business day of each month whose end lies in the period
    for (int d = 0; d < days; ++d) {
      const bool month_ends = d + 1 == days ? false : month[static_cast<std::size_t>(d + 1)] != month[static_cast<std::size_t>(d)];
      if (!month_ends) continue;
      int p = d;
      while (p > 0 && weekday[static_cast<std::size_t>(p)] >= 5) --p;
      paydays.push_back(p);
    }
    after_payday.assign(static_cast<std::size_t>(days), 0);
    for (int p : paydays) {
      for (int k = 0; k < 4 && p + k < days; ++k) after_payday[static_cast<std::size_t>(p + k)] = 1;
    }
  }
  [[nodiscard]] std::int64_t end() const { return start + static_cast<std::int64_t>(days) * kDay; }
  [[nodiscard]] std::int64_t at(int day, std::int64_t seconds) const { return start + day * kDay + seconds; }
};

// The rhythm of discretionary payments: which day (week and month) and which hour.
struct Rhythm {
  Weights day_p2p, day_merchant, hour;
  explicit Rhythm(const Calendar& c) {
    constexpr std::array<double, 7> p2p{0.9, 0.9, 0.95, 1.0, 1.25, 1.3, 0.8};
    constexpr std::array<double, 7> shop{0.95, 0.95, 1.0, 1.0, 1.15, 1.3, 1.0};
    std::vector<double> a, b;
    for (int d = 0; d < c.days; ++d) {
      const double month = c.after_payday[static_cast<std::size_t>(d)] ? 1.5 : 1.0;
      a.push_back(p2p[static_cast<std::size_t>(c.weekday[static_cast<std::size_t>(d)])] * month);
      b.push_back(shop[static_cast<std::size_t>(c.weekday[static_cast<std::size_t>(d)])] * month);
    }
    day_p2p = Weights(a);
    day_merchant = Weights(b);
    hour = Weights({0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1.0, 1.1, 1.1, 1.2, 1.6, 1.4, 1.1, 1.0, 1.1, 1.4, 1.7, 1.8,
                    1.6, 1.2, 0.8, 0.4});
  }
  [[nodiscard]] std::int64_t time_of_day(RandomStream& rng) const {
    return static_cast<std::int64_t>(hour.draw(rng)) * kHour + static_cast<std::int64_t>(rng.uniform_int(kHour));
  }
};

struct Transfers {
  std::vector<Id> src, dst, pattern;
  std::vector<double> amount;
  std::vector<std::int64_t> time;
  void add(Id s, Id d, double a, std::int64_t t, Id p = -1) {
    src.push_back(s);
    dst.push_back(d);
    amount.push_back(std::round(a * 100) / 100);
    time.push_back(t);
    pattern.push_back(p);
  }
  void append(const Transfers& o) {
    src.insert(src.end(), o.src.begin(), o.src.end());
    dst.insert(dst.end(), o.dst.begin(), o.dst.end());
    pattern.insert(pattern.end(), o.pattern.begin(), o.pattern.end());
    amount.insert(amount.end(), o.amount.begin(), o.amount.end());
    time.insert(time.end(), o.time.begin(), o.time.end());
  }
};

// Who is who: roles, the businesses' weights and the people's circles.
struct Population {
  std::vector<AccountRole> role;
  std::vector<Id> merchants, employers, landlords, utilities, people, fresh;
  Weights merchant_popularity, employer_size, landlord_size, utility_share;
  std::vector<double> merchant_ticket;  // median amount per merchant
  std::vector<Id> circle_order;         // people in circle order: circle c holds positions [20c, 20c + 20)
  std::vector<std::int64_t> circle_position;  // per account: position in circle_order (-1: not a person)
  std::vector<Id> partner;              // per account: household partner (-1: none)
};

Population populate(const SyntheticOptions& o, std::size_t fresh_needed, RandomStream& rng) {
  const auto n = static_cast<std::size_t>(o.n_accounts);
  std::vector<Id> order(n);
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.uniform_int(i)]);
  Population p;
  p.role.assign(n, AccountRole::person);
  std::size_t at = 0;
  auto take = [&](std::size_t k, AccountRole r, std::vector<Id>& into) {
    for (std::size_t i = 0; i < k; ++i) {
      into.push_back(order[at]);
      p.role[static_cast<std::size_t>(order[at++])] = r;
    }
  };
  take(std::max<std::size_t>(20, n * 3 / 100), AccountRole::merchant, p.merchants);
  take(std::max<std::size_t>(10, n / 100), AccountRole::employer, p.employers);
  take(std::max<std::size_t>(10, n * 2 / 100), AccountRole::landlord, p.landlords);
  take(12, AccountRole::utility, p.utilities);
  take(fresh_needed, AccountRole::new_account, p.fresh);
  p.people.assign(order.begin() + static_cast<std::ptrdiff_t>(at), order.end());
  std::vector<double> w;
  for (std::size_t k = 0; k < p.merchants.size(); ++k) w.push_back(std::pow(static_cast<double>(k + 1), -1.1));
  p.merchant_popularity = Weights(w);
  for (std::size_t k = 0; k < p.merchants.size(); ++k) p.merchant_ticket.push_back(lognormal(rng, 35, 0.6));
  w.clear();
  for (std::size_t k = 0; k < p.employers.size(); ++k) w.push_back(1.0 / static_cast<double>(k + 1));
  p.employer_size = Weights(w);
  w.clear();
  for (std::size_t k = 0; k < p.landlords.size(); ++k) w.push_back(lognormal(rng, 1.0, 1.0));
  p.landlord_size = Weights(w);
  w.clear();
  for (std::size_t k = 0; k < p.utilities.size(); ++k) w.push_back(1.0 / static_cast<double>(k + 1));
  p.utility_share = Weights(w);
  // circles: the people shuffled into consecutive groups of 20; households: pairs within a circle
  p.circle_order = p.people;
  for (std::size_t i = p.circle_order.size(); i > 1; --i) std::swap(p.circle_order[i - 1], p.circle_order[rng.uniform_int(i)]);
  p.circle_position.assign(n, -1);
  p.partner.assign(n, -1);
  for (std::size_t k = 0; k < p.circle_order.size(); ++k) p.circle_position[static_cast<std::size_t>(p.circle_order[k])] = static_cast<std::int64_t>(k);
  for (std::size_t k = 0; k + 1 < p.circle_order.size(); k += 2) {
    if (rng.uniform() < 0.4) {
      p.partner[static_cast<std::size_t>(p.circle_order[k])] = p.circle_order[k + 1];
      p.partner[static_cast<std::size_t>(p.circle_order[k + 1])] = p.circle_order[k];
    }
  }
  return p;
}

constexpr std::size_t kCircle = 20;

// One person's month after month: salary, rent, bills, shopping, transfers to contacts and repayments.
void person_traffic(Id v, const SyntheticOptions& o, const Population& pop, const Calendar& cal, const Rhythm& rhythm,
                    Transfers& out) {
  RandomStream rng(o.seed, 1 + static_cast<std::uint64_t>(v));
  const std::int64_t end = cal.end();
  // salary on every payday, from one employer, at its payroll hour
  if (rng.uniform() < 0.8) {
    const std::size_t e = pop.employer_size.draw(rng);
    const Id employer = pop.employers[e];
    RandomStream payroll(o.seed, kPayrollStreams + static_cast<std::uint64_t>(employer));  // the employer's payroll hour
    const std::int64_t batch = 1 * kHour + static_cast<std::int64_t>(payroll.uniform_int(4 * kHour));
    const double salary = lognormal(rng, 2600, 0.45);
    for (int day : cal.paydays) out.add(employer, v, salary * rng.uniform(0.98, 1.02), cal.at(day, batch + static_cast<std::int64_t>(rng.uniform_int(600))));
  }
  // rent on the first days of the month
  if (rng.uniform() < 0.35) {
    const Id landlord = pop.landlords[pop.landlord_size.draw(rng)];
    const double rent = lognormal(rng, 950, 0.35);
    const int delay = static_cast<int>(rng.uniform_int(3));
    for (int day : cal.month_starts) {
      if (day + delay < cal.days) out.add(v, landlord, rent, cal.at(day + delay, 8 * kHour + static_cast<std::int64_t>(rng.uniform_int(12 * kHour))));
    }
  }
  // monthly bills (none, one or two), on a fixed day of the month
  const int n_bills = (rng.uniform() < 0.75 ? 1 : 0) + (rng.uniform() < 0.25 ? 1 : 0);
  for (int b = 0; b < n_bills; ++b) {
    const Id utility = pop.utilities[pop.utility_share.draw(rng)];
    const double bill = lognormal(rng, 70, 0.5);
    const int day_of_month = 1 + static_cast<int>(rng.uniform_int(28));
    for (int d = 0; d < cal.days; ++d) {
      if (cal.day_of_month[static_cast<std::size_t>(d)] == day_of_month) {
        out.add(v, utility, bill * lognormal(rng, 1.0, 0.15), cal.at(d, rhythm.time_of_day(rng)));
      }
    }
  }
  // shopping: a few favourite merchants and the popular ones
  std::array<std::size_t, 3> favourite{};
  for (auto& f : favourite) f = pop.merchant_popularity.draw(rng);
  const double months = static_cast<double>(cal.days) / kDaysPerMonth;
  const std::int64_t n_shop = poisson(rng, lognormal(rng, 0.5, 0.9) * o.activity * months);
  for (std::int64_t k = 0; k < n_shop; ++k) {
    const std::size_t m = rng.uniform() < 0.5 ? favourite[rng.uniform_int(3)] : pop.merchant_popularity.draw(rng);
    const int day = static_cast<int>(rhythm.day_merchant.draw(rng));
    out.add(v, pop.merchants[m], pop.merchant_ticket[m] * lognormal(rng, 1.0, 0.5), cal.at(day, rhythm.time_of_day(rng)));
  }
  // contacts: most in the person's circle, some anywhere; the first ones are the closest
  const std::size_t n_contacts = std::min<std::size_t>(60, 2 + static_cast<std::size_t>(lognormal(rng, 4, 0.8)));
  std::vector<Id> contacts;
  const Id partner = pop.partner[static_cast<std::size_t>(v)];
  if (partner >= 0) contacts.push_back(partner);
  const auto position = static_cast<std::size_t>(pop.circle_position[static_cast<std::size_t>(v)]);
  const std::size_t circle_start = position / kCircle * kCircle;
  const std::size_t circle_size = std::min(kCircle, pop.circle_order.size() - circle_start);
  while (contacts.size() < n_contacts) {
    const Id c = rng.uniform() < 0.8 ? pop.circle_order[circle_start + rng.uniform_int(circle_size)]
                                      : pop.people[rng.uniform_int(pop.people.size())];
    if (c != v) contacts.push_back(c);
  }
  if (contacts.empty()) return;
  std::vector<double> closeness;
  for (std::size_t k = 0; k < contacts.size(); ++k) closeness.push_back(1.0 / static_cast<double>(k + 1));
  const Weights pick(closeness);
  // heavy-tailed: most people send a transfer every other month, a few several a day
  const std::int64_t n_p2p = poisson(rng, std::min(300.0, lognormal(rng, 0.3, 1.6)) * o.activity * months);
  for (std::int64_t k = 0; k < n_p2p; ++k) {
    const Id to = contacts[pick.draw(rng)];
    const int day = static_cast<int>(rhythm.day_p2p.draw(rng));
    const std::int64_t t = cal.at(day, rhythm.time_of_day(rng));
    const double a = lognormal(rng, 60, 1.1);
    out.add(v, to, a, t);
    if (rng.uniform() < o.reciprocity) {  // paid back: the same amount, or most of it, minutes to days later
      const double back = rng.uniform() < 0.5 ? a : a * rng.uniform(0.9, 1.0);
      const std::int64_t later = t + 5 * kMinute + static_cast<std::int64_t>(rng.exponential() * 1.5 * kDay);
      if (later < end) out.add(to, v, back, later);
    }
  }
}

// A business's own payments: suppliers every week (merchants and employers), and the owner's draw.
void business_traffic(Id v, const SyntheticOptions& o, const Population& pop, const Calendar& cal, const Rhythm& rhythm,
                      Transfers& out) {
  RandomStream rng(o.seed, 1 + static_cast<std::uint64_t>(v));
  const int n_suppliers = 2 + static_cast<int>(rng.uniform_int(4));
  const int weekday = static_cast<int>(rng.uniform_int(5));
  const std::int64_t hour = 9 * kHour + static_cast<std::int64_t>(rng.uniform_int(8 * kHour));
  for (int s = 0; s < n_suppliers; ++s) {
    const Id supplier = rng.uniform() < 0.5 ? pop.merchants[pop.merchant_popularity.draw(rng)]
                                            : pop.employers[pop.employer_size.draw(rng)];
    if (supplier == v) continue;
    const double typical = lognormal(rng, 1500, 1.0);
    for (int d = 0; d < cal.days; ++d) {
      if (cal.weekday[static_cast<std::size_t>(d)] == weekday && rng.uniform() < 0.8) {
        out.add(v, supplier, typical * lognormal(rng, 1.0, 0.3), cal.at(d, hour + static_cast<std::int64_t>(rng.uniform_int(kHour))));
      }
    }
  }
  const Id owner = pop.people[rng.uniform_int(pop.people.size())];
  const double draw = lognormal(rng, 3000, 0.6);
  for (int day : cal.paydays) out.add(v, owner, draw, cal.at(day, rhythm.time_of_day(rng)));
}

// Accounts for one pattern: ordinary people (who keep their own traffic) and newly opened accounts.
class AccountPool {
 public:
  AccountPool(const Population& pop, RandomStream& rng) : people_(pop.people), fresh_(pop.fresh) {
    for (std::size_t i = people_.size(); i > 1; --i) std::swap(people_[i - 1], people_[rng.uniform_int(i)]);
  }
  std::vector<Id> take(std::size_t k, RandomStream& rng, double fresh_share = 0.5) {
    std::vector<Id> out;
    for (std::size_t i = 0; i < k; ++i) {
      const bool fresh = next_fresh_ < fresh_.size() && rng.uniform() < fresh_share;
      if (fresh) out.push_back(fresh_[next_fresh_++]);
      else if (next_person_ < people_.size()) out.push_back(people_[next_person_++]);
      else check::fail("n_accounts", "too few accounts for the injected patterns");
    }
    return out;
  }

 private:
  std::vector<Id> people_, fresh_;
  std::size_t next_person_ = 0, next_fresh_ = 0;
};

std::size_t pattern_size_bound(Typology t) {
  switch (t) {
    case Typology::cycle: return 6;
    case Typology::fan_in:
    case Typology::fan_out: return 16;
    case Typology::scatter_gather: return 12;
    case Typology::gather_scatter: return 21;
    case Typology::stack: return 7;
    case Typology::structuring: return 4;
    case Typology::dense_block: return 85;
    case Typology::fraud_ring: return 15;
    default: return 0;
  }
}

// The transfers of one injected pattern, starting near t0.
void inject(Typology typology, Id pid, RandomStream& rng, AccountPool& pool, const Calendar& cal, std::int64_t t0,
            Transfers& out, std::vector<Id>& accounts) {
  auto hours = [&](double lo, double hi) { return static_cast<std::int64_t>(rng.uniform(lo, hi) * kHour); };
  switch (typology) {
    case Typology::cycle: {
      const std::size_t k = 3 + rng.uniform_int(4);
      accounts = pool.take(k, rng);
      double a = lognormal(rng, 3000, 0.8);
      std::int64_t t = t0;
      for (std::size_t i = 0; i < k; ++i) {
        out.add(accounts[i], accounts[(i + 1) % k], a, t, pid);
        a *= rng.uniform(0.95, 0.995);
        t += hours(1, 14);
      }
      break;
    }
    case Typology::fan_in:
    case Typology::fan_out: {
      const std::size_t k = 8 + rng.uniform_int(8);
      accounts = pool.take(k + 1, rng);
      for (std::size_t i = 1; i <= k; ++i) {
        const double a = lognormal(rng, 400, 0.6);
        const std::int64_t t = t0 + hours(0, 48);
        if (typology == Typology::fan_in) out.add(accounts[i], accounts[0], a, t, pid);
        else out.add(accounts[0], accounts[i], a, t, pid);
      }
      break;
    }
    case Typology::scatter_gather: {
      const std::size_t k = 5 + rng.uniform_int(6);
      accounts = pool.take(k + 2, rng);
      for (std::size_t i = 1; i <= k; ++i) {
        const double a = lognormal(rng, 1500, 0.5);
        const std::int64_t t = t0 + hours(0, 24);
        out.add(accounts[0], accounts[i], a, t, pid);
        out.add(accounts[i], accounts[k + 1], a * rng.uniform(0.85, 0.98), t + hours(1, 36), pid);
      }
      break;
    }
    case Typology::gather_scatter: {
      const std::size_t k1 = 5 + rng.uniform_int(6), k2 = 5 + rng.uniform_int(6);
      accounts = pool.take(1 + k1 + k2, rng);
      double total = 0;
      std::int64_t last = t0;
      for (std::size_t i = 1; i <= k1; ++i) {
        const double a = lognormal(rng, 1500, 0.5);
        const std::int64_t t = t0 + hours(0, 36);
        total += a;
        last = std::max(last, t);
        out.add(accounts[i], accounts[0], a, t, pid);
      }
      const double kept = rng.uniform(0.90, 0.98);
      std::vector<double> share(k2);
      double sum = 0;
      for (double& s : share) sum += s = rng.uniform(0.5, 1.5);
      for (std::size_t i = 0; i < k2; ++i) out.add(accounts[0], accounts[1 + k1 + i], total * kept * share[i] / sum, last + hours(1, 36), pid);
      break;
    }
    case Typology::stack: {
      const std::size_t hops = 4 + rng.uniform_int(3);
      accounts = pool.take(hops + 1, rng);
      double a = lognormal(rng, 5000, 0.7);
      std::int64_t t = t0;
      for (std::size_t i = 0; i < hops; ++i) {
        out.add(accounts[i], accounts[i + 1], a, t, pid);
        a *= rng.uniform(0.90, 0.99);
        t += hours(1, 24);
      }
      break;
    }
    case Typology::structuring: {
      const std::size_t k = 4 + rng.uniform_int(4), payees = 1 + rng.uniform_int(3);
      accounts = pool.take(1 + payees, rng);
      for (std::size_t i = 0; i < k; ++i) {
        out.add(accounts[0], accounts[1 + rng.uniform_int(payees)], rng.uniform(9000, 9990), t0 + hours(0, 72), pid);
      }
      break;
    }
    case Typology::dense_block: {
      const std::size_t payers = 30 + rng.uniform_int(31), payees = 10 + rng.uniform_int(16);
      std::vector<Id> a = pool.take(payers, rng), b = pool.take(payees, rng, 1.0);  // colluding payees are new
      accounts = a;
      accounts.insert(accounts.end(), b.begin(), b.end());
      const std::int64_t from = std::max(cal.start, t0 - 20 * kDay);
      for (Id p : a) {
        for (Id q : b) {
          if (rng.uniform() < 0.8) {
            out.add(p, q, lognormal(rng, 60, 0.5), std::min(cal.end() - 1, from + static_cast<std::int64_t>(rng.uniform_int(30 * kDay))), pid);
          }
        }
      }
      break;
    }
    case Typology::fraud_ring: {
      const std::size_t k = 10 + rng.uniform_int(6);
      accounts = pool.take(k, rng);
      for (std::size_t i = 0; i < 4 * k; ++i) {
        const std::size_t a = rng.uniform_int(k), b = (a + 1 + rng.uniform_int(k - 1)) % k;
        out.add(accounts[a], accounts[b], lognormal(rng, 800, 0.7), t0 + static_cast<std::int64_t>(rng.uniform_int(10 * kDay)), pid);
      }
      break;
    }
    default: check::fail("typologies", fmt::format("'{}' cannot be injected", enum_name(typology)));
  }
}

}  // namespace

void SyntheticOptions::validate() const {
  check::integer_at_least("n_accounts", n_accounts, 2'000);
  if (n_accounts > 50'000'000) check::fail("n_accounts", fmt::format("expected at most 50,000,000, got {}", n_accounts));
  check::integer_at_least("days", days, 28);
  if (days > 3660) check::fail("days", fmt::format("expected at most 3660 days, got {}", days));
  check::integer_at_least("n_patterns", n_patterns, 0);
  for (Typology t : typologies) {
    if (pattern_size_bound(t) == 0) {
      check::fail("typologies", fmt::format("'{}' cannot be injected (expected one of cycle, fan_in, fan_out, scatter_gather, "
                                            "gather_scatter, stack, structuring, dense_block, fraud_ring)",
                                            enum_name(t)));
    }
  }
  check::probability("reciprocity", reciprocity);
  check::positive("activity", activity);
  check::finite("activity", activity);
  if (activity > 100) check::fail("activity", fmt::format("expected at most 100, got {}", activity));
  std::size_t needed = 0;
  for (Typology t : typologies) needed += static_cast<std::size_t>(n_patterns) * pattern_size_bound(t);
  if (needed > static_cast<std::size_t>(n_accounts) / 4) {
    check::fail("n_accounts", fmt::format("{} accounts are too few for {} patterns of {} typologies (need at least {})",
                                          n_accounts, n_patterns, typologies.size(), 4 * needed));
  }
}

SyntheticTransactions synthetic_transactions(const SyntheticOptions& o) {
  o.validate();
  RandomStream setup(o.seed, 0);
  const Calendar cal(o.start, o.days);
  const Rhythm rhythm(cal);
  std::size_t pattern_accounts = 0;
  for (Typology t : o.typologies) pattern_accounts += static_cast<std::size_t>(o.n_patterns) * pattern_size_bound(t);
  const Population pop = populate(o, pattern_accounts / 2 + 50, setup);
  // background, one account per task group, concatenated in account order
  const std::size_t n = pop.role.size(), chunk = 512;
  std::vector<Transfers> parts(chunk_count(n, chunk));
  parallel_for_chunks(n, chunk, [&](std::size_t c, std::size_t b, std::size_t e) {
    for (std::size_t v = b; v < e; ++v) {
      const AccountRole r = pop.role[v];
      if (r == AccountRole::person) person_traffic(static_cast<Id>(v), o, pop, cal, rhythm, parts[c]);
      else if (r == AccountRole::merchant || r == AccountRole::employer) business_traffic(static_cast<Id>(v), o, pop, cal, rhythm, parts[c]);
    }
  });
  Transfers all;
  for (const Transfers& p : parts) all.append(p);
  // injected patterns, in typology order; accounts are drawn from one pool so no two patterns share one
  SyntheticTransactions out;
  AccountPool pool(pop, setup);
  Id pid = 0;
  const std::int64_t first = cal.start + 7 * kDay, last = cal.end() - 10 * kDay;
  for (Typology t : o.typologies) {
    for (int k = 0; k < o.n_patterns; ++k, ++pid) {
      RandomStream rng(o.seed, kPatternStreams + static_cast<std::uint64_t>(pid));
      const std::int64_t t0 = first + static_cast<std::int64_t>(rng.uniform_int(static_cast<std::uint64_t>(std::max<std::int64_t>(1, last - first))));
      std::vector<Id> accounts;
      inject(t, pid, rng, pool, cal, t0, all, accounts);
      std::sort(accounts.begin(), accounts.end());
      out.pattern_typology.push_back(t);
      out.accounts.insert(out.accounts.end(), accounts.begin(), accounts.end());
      out.account_offsets.push_back(static_cast<std::int64_t>(out.accounts.size()));
    }
  }
  // every transfer inside the period, in time order
  std::vector<std::size_t> order;
  order.reserve(all.src.size());
  for (std::size_t i = 0; i < all.src.size(); ++i) {
    if (all.time[i] >= cal.start && all.time[i] < cal.end()) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(all.time[a], all.src[a], all.dst[a], a) < std::tie(all.time[b], all.src[b], all.dst[b], b);
  });
  const std::size_t m = order.size();
  out.src.resize(m);
  out.dst.resize(m);
  out.amount.resize(m);
  out.timestamp.resize(m);
  out.pattern.resize(m);
  std::vector<std::vector<Id>> per_pattern(static_cast<std::size_t>(pid));
  for (std::size_t k = 0; k < m; ++k) {
    const std::size_t i = order[k];
    out.src[k] = all.src[i];
    out.dst[k] = all.dst[i];
    out.amount[k] = all.amount[i];
    out.timestamp[k] = all.time[i];
    out.pattern[k] = all.pattern[i];
    if (all.pattern[i] >= 0) per_pattern[static_cast<std::size_t>(all.pattern[i])].push_back(static_cast<Id>(k));
  }
  for (const auto& edges : per_pattern) {
    out.edges.insert(out.edges.end(), edges.begin(), edges.end());
    out.edge_offsets.push_back(static_cast<std::int64_t>(out.edges.size()));
  }
  // KYC: own phone, device and email; households share a phone, 2% give the call centre's number,
  // 10% of devices are unknown, and rings and dense blocks run from a handful of shared devices
  out.role = pop.role;
  out.phone.resize(n);
  out.device.resize(n);
  out.email.resize(n);
  std::iota(out.phone.begin(), out.phone.end(), 0);
  std::iota(out.device.begin(), out.device.end(), 0);
  std::iota(out.email.begin(), out.email.end(), 0);
  for (std::size_t v = 0; v < n; ++v) {
    const Id partner = pop.partner[v];
    if (partner >= 0 && static_cast<std::size_t>(partner) < v) out.phone[v] = out.phone[static_cast<std::size_t>(partner)];
    if (setup.uniform() < 0.02) out.phone[v] = static_cast<Id>(n);  // the call centre
    if (setup.uniform() < 0.10) out.device[v] = -1;
  }
  Id next_device = static_cast<Id>(n), next_email = static_cast<Id>(n);
  for (std::size_t p = 0; p < out.pattern_typology.size(); ++p) {
    const Typology t = out.pattern_typology[p];
    if (t != Typology::fraud_ring && t != Typology::dense_block) continue;
    const auto a = static_cast<std::size_t>(out.account_offsets[p]), b = static_cast<std::size_t>(out.account_offsets[p + 1]);
    const std::size_t shared = std::max<std::size_t>(2, (b - a) / 6);
    for (std::size_t i = a; i < b; ++i) out.device[static_cast<std::size_t>(out.accounts[i])] = next_device + static_cast<Id>(setup.uniform_int(shared));
    for (std::size_t i = a; i < std::min(b, a + 5); ++i) out.email[static_cast<std::size_t>(out.accounts[i])] = next_email;
    next_device += static_cast<Id>(shared);
    ++next_email;
  }
  return out;
}

}  // namespace bankquant::graph
