#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/graph/hubs.hpp"
#include "bankquant/graph/detail/edge_filter.hpp"
#include "bankquant/graph/typologies.hpp"
#include "bankquant/core/detail/constants.hpp"

namespace bankquant::graph {
namespace {

using Edges = std::vector<std::int32_t>;
using bankquant::detail::kDaysPerMonth;

// Distinct-value counter over node ids (one per thread, reset by removing what was added).
struct Distinct {
  std::vector<std::int32_t> count;
  std::int32_t distinct = 0;
  explicit Distinct(std::size_t n) : count(n, 0) {}
  void add(std::int32_t v) { distinct += count[static_cast<std::size_t>(v)]++ == 0; }
  void remove(std::int32_t v) { distinct -= --count[static_cast<std::size_t>(v)] == 0; }
};

std::string days_text(double units, double units_per_day) {
  const double d = units / units_per_day;
  return d < 1 ? fmt::format("{:.0f} h", 24 * d) : fmt::format("{:.1f} days", d);
}

class Detector {
 public:
  Detector(const TransactionGraph& g, const PatternOptions& o, std::span<const std::int32_t> hub, std::int32_t min_edge_id)
      : g_(g), o_(o), hub_(hub), min_edge_id_(min_edge_id), src_(g.src()), dst_(g.dst()), ts_(g.timestamp()),
        amount_(g.amount()) {
    if (!ts_.empty()) {
      const auto [lo, hi] = std::minmax_element(ts_.begin(), ts_.end());
      first_ = *lo;
      last_ = *hi;
    }
  }

  std::int64_t t(std::int32_t e) const { return ts_[static_cast<std::size_t>(e)]; }
  double amount(std::int32_t e) const { return amount_[static_cast<std::size_t>(e)]; }
  bool is_hub(std::int32_t v) const { return hub_[static_cast<std::size_t>(v)] != 0; }
  // a transfer large for its payer (at least its median payment), when large_hops_only asks for it
  bool large(std::int32_t e) const {
    return median_.empty() || amount(e) >= median_[static_cast<std::size_t>(src_[static_cast<std::size_t>(e)])];
  }
  void use_medians(std::vector<double> medians) { median_ = std::move(medians); }
  std::int64_t plus(std::int64_t from, std::int64_t d) const { return from > INT64_MAX - d ? INT64_MAX : from + d; }
  std::int64_t minus(std::int64_t from, std::int64_t d) const { return from < INT64_MIN + d ? INT64_MIN : from - d; }
  std::int64_t until(std::int64_t from) const { return plus(from, o_.window); }
  bool keeps(double forwarded, double received) const {  // passes through mostly intact, never more
    return forwarded <= received && forwarded >= (1 - o_.amount_tolerance) * received;
  }

  // The edges of a list that a pattern may use: large enough, with a counterparty that is not a hub.
  void usable(std::span<const std::int32_t> list, bool out, std::int32_t v, Edges& into) const {
    into.clear();
    for (std::int32_t e : list) {
      const std::int32_t other = out ? dst_[static_cast<std::size_t>(e)] : src_[static_cast<std::size_t>(e)];
      if (other != v && amount(e) >= o_.min_amount && !is_hub(other)) into.push_back(e);
    }
  }

  // A pair trades only within [lo, hi] over the whole observed period: a new relationship.
  // Only judged when the observed period reaches recurrence_days past [lo, hi] on one side: with less, a
  // monthly salary or rent seen once looks new (a new user's first 45 days gave 285 false fan-outs
  // on payroll runs of small employers).
  bool new_relationship(std::int32_t a, std::int32_t b, std::int64_t lo, std::int64_t hi) const {
    const double reach = o_.recurrence_days * o_.units_per_day;
    const bool judged = static_cast<double>(lo) - static_cast<double>(first_) >= reach ||
                        static_cast<double>(last_) - static_cast<double>(hi) >= reach;
    return judged && detail::new_relationship(g_, a, b, lo, hi);
  }

  // The account's usual number of transfers (one direction) in a window of length Δ starting at
  // `start`: the largest of its average over the whole period and its averages over comparable
  // periods (the window shifted by 1–4 weeks and by 1–3 months, either way, within the period).
  double usual(std::span<const std::int32_t> list, std::int64_t start) const {
    const double span = static_cast<double>(last_) - static_cast<double>(first_);
    const double w = static_cast<double>(o_.window);
    double best = static_cast<double>(list.size()) * w / (span + w);
    auto count_in = [&](double lo) {
      const auto a = static_cast<std::int64_t>(std::floor(lo));
      const auto b = plus(a, o_.window);
      const auto from = std::lower_bound(list.begin(), list.end(), a, [&](std::int32_t e, std::int64_t x) { return t(e) < x; });
      const auto to = std::upper_bound(from, list.end(), b, [&](std::int64_t x, std::int32_t e) { return x < t(e); });
      return static_cast<double>(to - from);
    };
    for (const auto& [period, shifts] : {std::pair{7.0, 4}, std::pair{kDaysPerMonth, 3}}) {
      const double step = period * o_.units_per_day;
      double sum = 0;
      int windows = 0;
      for (int k = -shifts; k <= shifts; ++k) {
        if (k == 0) continue;
        const double lo = static_cast<double>(start) + k * step;
        if (lo < static_cast<double>(first_) || lo + w > static_cast<double>(last_)) continue;
        sum += count_in(lo);
        ++windows;
      }
      if (windows > 0) best = std::max(best, sum / windows);
    }
    return best;
  }

  bool bursts(std::int32_t fresh, double usual_count) const {
    return fresh >= o_.min_counterparties && static_cast<double>(fresh) >= o_.min_burst * usual_count;
  }
  // fan-in and fan-out rest on the count alone (no forwarding to check), so the burst must also be unlikely
  bool unlikely(std::int32_t fresh, double usual_count) const {
    return poisson_surprise(fresh, std::max(usual_count, 0.1)) >= o_.min_surprise;
  }

  void emit(AlertList& out, Typology type, std::int32_t focal, Edges witness, double score, std::string reason) const {
    out.add(g_, type, focal, std::move(witness), score, std::move(reason));
  }

  // The counterparties of window [i, j) of `edges` that are new relationships, with their edges.
  std::int32_t new_counterparties(std::int32_t v, const Edges& edges, std::size_t i, std::size_t j, bool out,
                                  Edges& witness) const {
    witness.clear();
    const std::int64_t lo = minus(t(edges[i]), o_.window), hi = plus(t(edges[j - 1]), o_.window);
    std::vector<std::int32_t> cps;
    for (std::size_t k = i; k < j; ++k) cps.push_back(out ? dst_[static_cast<std::size_t>(edges[k])] : src_[static_cast<std::size_t>(edges[k])]);
    std::vector<std::int32_t> unique_cps(cps);
    std::sort(unique_cps.begin(), unique_cps.end());
    unique_cps.erase(std::unique(unique_cps.begin(), unique_cps.end()), unique_cps.end());
    std::vector<std::int32_t> fresh;
    for (std::int32_t u : unique_cps) {
      if (new_relationship(v, u, lo, hi)) fresh.push_back(u);
    }
    for (std::size_t k = i; k < j; ++k) {
      if (std::binary_search(fresh.begin(), fresh.end(), cps[k - i])) witness.push_back(edges[k]);
    }
    return static_cast<std::int32_t>(fresh.size());
  }

  void fan(std::int32_t v, bool out, Distinct& d, Edges& buf, AlertList& alerts) const {
    const auto list = out ? g_.out_edges(static_cast<std::size_t>(v)) : g_.in_edges(static_cast<std::size_t>(v));
    usable(list, out, v, buf);
    auto cp = [&](std::int32_t e) { return out ? dst_[static_cast<std::size_t>(e)] : src_[static_cast<std::size_t>(e)]; };
    Edges witness;
    std::size_t i = 0, j = 0;
    while (i < buf.size()) {
      while (j < buf.size() && t(buf[j]) <= until(t(buf[i]))) d.add(cp(buf[j++]));
      bool fired = false;
      if (d.distinct >= o_.min_counterparties) {
        const std::int32_t fresh = new_counterparties(v, buf, i, j, out, witness);
        const double base = usual(buf, t(buf[i]));
        if (bursts(fresh, base) && unlikely(fresh, base)) {
          const double score = poisson_surprise(fresh, std::max(base, 0.1));
          emit(alerts, out ? Typology::fan_out : Typology::fan_in, v, witness, score,
               fmt::format("{} new {} within {} (usual {:.1f} transfers per window in comparable periods)", fresh,
                           out ? "payees" : "payers", days_text(static_cast<double>(t(buf[j - 1]) - t(buf[i])), o_.units_per_day),
                           base));
          fired = true;
        }
      }
      if (fired) {
        for (std::size_t x = i; x < j; ++x) d.remove(cp(buf[x]));
        i = j;
      } else {
        d.remove(cp(buf[i++]));
      }
    }
    for (std::size_t x = i; x < j; ++x) d.remove(cp(buf[x]));
  }

  void structuring(std::int32_t v, Edges& buf, AlertList& alerts) const {
    const auto list = g_.out_edges(static_cast<std::size_t>(v));
    usable(list, true, v, buf);
    const double lo = o_.reporting_threshold * (1 - o_.structuring_margin);
    std::erase_if(buf, [&](std::int32_t e) { return amount(e) < lo || amount(e) >= o_.reporting_threshold; });
    std::size_t i = 0, j = 0;
    while (i < buf.size()) {
      while (j < buf.size() && t(buf[j]) <= until(t(buf[i]))) ++j;
      const auto count = static_cast<std::int32_t>(j - i);
      if (count >= o_.min_structuring_count) {
        // the account's usual near-threshold payments per window, in comparable periods
        const double base = usual(buf, t(buf[i]));
        if (static_cast<double>(count) >= o_.min_burst * base) {
          emit(alerts, Typology::structuring, v, Edges(buf.begin() + static_cast<std::ptrdiff_t>(i), buf.begin() + static_cast<std::ptrdiff_t>(j)),
               poisson_surprise(count, std::max(base, 0.1)) + count,
               fmt::format("{} payments just below {:.0f} within {}", count, o_.reporting_threshold,
                           days_text(static_cast<double>(t(buf[j - 1]) - t(buf[i])), o_.units_per_day)));
          i = j;
          continue;
        }
      }
      ++i;
    }
  }

  void pass_through(std::int32_t v, Edges& in, Edges& out, AlertList& alerts) const {
    usable(g_.in_edges(static_cast<std::size_t>(v)), false, v, in);
    usable(g_.out_edges(static_cast<std::size_t>(v)), true, v, out);
    if (in.empty() || out.empty()) return;
    std::vector<char> used(out.size(), 0);
    std::size_t first = 0;
    for (std::int32_t e : in) {
      const double a = amount(e);
      if (!(a > 0)) continue;
      while (first < out.size() && t(out[first]) <= t(e)) ++first;
      double sum = 0;
      Edges witness{e};
      std::vector<std::size_t> taken;
      for (std::size_t k = first; k < out.size() && t(out[k]) <= until(t(e)) && sum < (1 - o_.amount_tolerance) * a; ++k) {
        if (used[k]) continue;
        sum += amount(out[k]);
        taken.push_back(k);
        witness.push_back(out[k]);
      }
      if (keeps(sum, a)) {
        for (std::size_t k : taken) used[k] = 1;
        emit(alerts, Typology::pass_through, v, witness, static_cast<double>(taken.size()),
             fmt::format("received {:.0f} and paid out {:.0f}% of it within {}", a, 100 * sum / a,
                         days_text(static_cast<double>(t(out[taken.back()]) - t(e)), o_.units_per_day)));
      }
    }
  }

  void gather_scatter(std::int32_t v, Distinct& d, Edges& in, Edges& out, AlertList& alerts) const {
    const auto in_list = g_.in_edges(static_cast<std::size_t>(v)), out_list = g_.out_edges(static_cast<std::size_t>(v));
    usable(in_list, false, v, in);
    usable(out_list, true, v, out);
    if (out.size() < static_cast<std::size_t>(o_.min_counterparties)) return;
    auto payer = [&](std::int32_t e) { return src_[static_cast<std::size_t>(e)]; };
    Edges receipts, payments;
    std::size_t i = 0, j = 0;
    while (i < in.size()) {
      while (j < in.size() && t(in[j]) <= until(t(in[i]))) d.add(payer(in[j++]));
      bool fired = false;
      if (d.distinct >= o_.min_counterparties) {
        const std::int32_t fresh = new_counterparties(v, in, i, j, false, receipts);
        const double base_in = usual(in, t(in[i]));
        if (bursts(fresh, base_in)) {
          const std::int64_t last_in = t(receipts.back());
          const std::int64_t begin = t(receipts.front());
          double received = 0;
          for (std::int32_t e : receipts) received += amount(e);
          // payments after the first receipt and within Δ of the last, while they add up to what came in
          payments.clear();
          double paid = 0;
          std::vector<std::int32_t> payees;
          for (std::int32_t e : out) {
            if (t(e) <= begin || t(e) > until(last_in)) continue;
            if (paid + amount(e) > received) break;
            paid += amount(e);
            payments.push_back(e);
            payees.push_back(dst_[static_cast<std::size_t>(e)]);
          }
          std::sort(payees.begin(), payees.end());
          const auto n_payees = static_cast<std::int32_t>(std::unique(payees.begin(), payees.end()) - payees.begin());
          const double base_out = usual(out, begin);
          if (n_payees >= o_.min_counterparties && keeps(paid, received) && bursts(n_payees, base_out)) {
            Edges witness(receipts);
            witness.insert(witness.end(), payments.begin(), payments.end());
            emit(alerts, Typology::gather_scatter, v, witness,
                 poisson_surprise(fresh, std::max(base_in, 0.1)) + poisson_surprise(n_payees, std::max(base_out, 0.1)),
                 fmt::format("{} new payers paid {:.0f}, then {} payees received {:.0f}% of it within {}", fresh, received,
                             n_payees, 100 * paid / received,
                             days_text(static_cast<double>(t(payments.back()) - begin), o_.units_per_day)));
            fired = true;
          }
        }
      }
      if (fired) {
        for (std::size_t x = i; x < j; ++x) d.remove(payer(in[x]));
        i = j;
      } else {
        d.remove(payer(in[i++]));
      }
    }
    for (std::size_t x = i; x < j; ++x) d.remove(payer(in[x]));
  }

  void scatter_gather(std::int32_t s, Distinct& d, Edges& buf, AlertList& alerts) const {
    struct Hop {
      std::int32_t target, middle, first, second;
      std::int64_t time;
    };
    std::vector<Hop> hops;
    const auto out_list = g_.out_edges(static_cast<std::size_t>(s));
    usable(out_list, true, s, buf);
    for (std::int32_t e1 : buf) {
      const std::int32_t m = dst_[static_cast<std::size_t>(e1)];
      const auto outs = g_.out_edges(static_cast<std::size_t>(m));
      auto it = std::upper_bound(outs.begin(), outs.end(), t(e1), [&](std::int64_t x, std::int32_t e) { return x < t(e); });
      for (; it != outs.end() && t(*it) <= until(t(e1)); ++it) {
        const std::int32_t target = dst_[static_cast<std::size_t>(*it)];
        if (target == s || target == m || is_hub(target) || amount(*it) < o_.min_amount || !keeps(amount(*it), amount(e1))) continue;
        hops.push_back({target, m, e1, *it, t(e1)});
      }
    }
    std::sort(hops.begin(), hops.end(), [](const Hop& a, const Hop& b) {
      return std::tie(a.target, a.time, a.first, a.second) < std::tie(b.target, b.time, b.first, b.second);
    });
    for (std::size_t b = 0; b < hops.size();) {
      std::size_t e = b;
      while (e < hops.size() && hops[e].target == hops[b].target) ++e;
      std::size_t i = b, j = b;
      while (i < e) {
        while (j < e && hops[j].time <= until(hops[i].time)) d.add(hops[j++].middle);
        bool fired = false;
        if (d.distinct >= o_.min_counterparties) {
          // intermediates that are new relationships of both the source and the target
          const std::int64_t lo = minus(hops[i].time, o_.window), hi = plus(hops[j - 1].time, 2 * o_.window);
          std::vector<std::int32_t> fresh;
          Edges witness;
          for (std::size_t x = i; x < j; ++x) {
            const std::int32_t m = hops[x].middle;
            if (std::find(fresh.begin(), fresh.end(), m) != fresh.end()) continue;
            if (new_relationship(s, m, lo, hi) && new_relationship(m, hops[x].target, lo, hi)) {
              fresh.push_back(m);
              witness.push_back(hops[x].first);
              witness.push_back(hops[x].second);
            }
          }
          const double base = usual(buf, hops[i].time);
          const auto k = static_cast<std::int32_t>(fresh.size());
          if (bursts(k, base)) {
            emit(alerts, Typology::scatter_gather, s, witness, poisson_surprise(k, std::max(base, 0.1)) + 0.5 * k,
                 fmt::format("{} new intermediates each forwarded most of what they received to one account within {}", k,
                             days_text(static_cast<double>(t(witness.back()) - t(witness.front())), o_.units_per_day)));
            fired = true;
          }
        }
        if (fired) {
          for (std::size_t x = i; x < j; ++x) d.remove(hops[x].middle);
          i = j;
        } else {
          d.remove(hops[i++].middle);
        }
      }
      for (std::size_t x = i; x < j; ++x) d.remove(hops[x].middle);
      b = e;
    }
  }

  // Edges that `x` may continue in a layering chain: earlier receipts of its payer within Δ whose
  // amount it forwards mostly intact, none of the accounts a hub.
  void chain_predecessors(std::int32_t x, Edges& out) const {
    out.clear();
    const auto xi = static_cast<std::size_t>(x);
    const double a = amount(x);
    if (a < o_.min_amount || !(a > 0) || is_hub(src_[xi]) || is_hub(dst_[xi]) || src_[xi] == dst_[xi]) return;
    if (!large(x)) return;
    const std::int64_t lo = minus(t(x), o_.window);
    for (std::int32_t p : g_.in_edges(static_cast<std::size_t>(src_[xi]))) {
      if (t(p) >= t(x)) break;
      const auto pi = static_cast<std::size_t>(p);
      if (t(p) < lo || src_[pi] == dst_[xi] || src_[pi] == src_[xi] || is_hub(src_[pi])) continue;
      if (keeps(a, amount(p)) && large(p)) out.push_back(p);
    }
  }

  // Layering chains: the longest chain ending at each edge, over the sparse "forwards" relation.
  // In a streaming update (min_edge_id > 0) only the chains that can change are evaluated: those
  // ending at a new edge or at an edge that forwards one (a late batch can land inside an old
  // chain), found by walking forward from the new edges; only the edges they reach back to are visited.
  void stacks(AlertList& out) const {
    const std::size_t m = g_.n_edges();
    const bool streaming = min_edge_id_ > 0;
    std::vector<Edges> all_preds;
    std::unordered_map<std::int32_t, Edges> some_preds;
    if (!streaming) {
      all_preds.resize(m);
      parallel_for_chunks(m, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
        for (std::size_t x = b; x < e; ++x) chain_predecessors(static_cast<std::int32_t>(x), all_preds[x]);
      });
    }
    auto preds_of = [&](std::int32_t x) -> const Edges& {
      if (!streaming) return all_preds[static_cast<std::size_t>(x)];
      auto [it, fresh] = some_preds.try_emplace(x);
      if (fresh) chain_predecessors(x, it->second);
      return it->second;
    };
    // the chain ends to evaluate, ascending: every edge, or the new edges and what they reach forward
    std::vector<std::int32_t> ends;
    if (!streaming) {
      ends.resize(m);
      std::iota(ends.begin(), ends.end(), std::int32_t{0});
    } else {
      std::unordered_map<std::int32_t, char> seen;
      for (auto x = static_cast<std::size_t>(min_edge_id_); x < m; ++x) {
        seen.emplace(static_cast<std::int32_t>(x), 1);
        ends.push_back(static_cast<std::int32_t>(x));
      }
      for (std::size_t k = 0; k < ends.size(); ++k) {
        const std::int32_t x = ends[k];
        const auto xi = static_cast<std::size_t>(x);
        const auto outs = g_.out_edges(static_cast<std::size_t>(dst_[xi]));
        auto it = std::upper_bound(outs.begin(), outs.end(), t(x), [&](std::int64_t v, std::int32_t e) { return v < t(e); });
        for (; it != outs.end() && t(*it) <= until(t(x)); ++it) {
          if (seen.contains(*it)) continue;
          const Edges& p = preds_of(*it);
          if (std::find(p.begin(), p.end(), x) == p.end()) continue;
          seen.emplace(*it, 1);
          ends.push_back(*it);
        }
      }
      std::sort(ends.begin(), ends.end());
    }
    std::unordered_map<std::int32_t, std::pair<std::int32_t, std::int32_t>> some_chain;  // edge -> (length, pred)
    std::vector<std::int32_t> all_length(streaming ? 0 : m, 0), all_pred(streaming ? 0 : m, -1);
    auto length = [&](std::int32_t x) -> std::int32_t {
      if (!streaming) return all_length[static_cast<std::size_t>(x)];
      const auto it = some_chain.find(x);
      return it == some_chain.end() ? 0 : it->second.first;
    };
    auto best_pred = [&](std::int32_t x) -> std::int32_t {
      if (!streaming) return all_pred[static_cast<std::size_t>(x)];
      const auto it = some_chain.find(x);
      return it == some_chain.end() ? -1 : it->second.second;
    };
    std::vector<std::int32_t> stack;
    for (std::int32_t x : ends) {  // memoised depth-first evaluation; predecessors are strictly earlier
      if (length(x) > 0) continue;
      stack.push_back(x);
      while (!stack.empty()) {
        const std::int32_t y = stack.back();
        bool ready = true;
        for (std::int32_t p : preds_of(y)) {
          if (length(p) == 0) {
            stack.push_back(p);
            ready = false;
          }
        }
        if (!ready) continue;
        stack.pop_back();
        if (length(y) > 0) continue;
        std::int32_t best = 1, pred = -1;
        for (std::int32_t p : preds_of(y)) {
          if (length(p) + 1 > best) {
            best = length(p) + 1;
            pred = p;
          }
        }
        if (streaming) some_chain[y] = {best, pred};
        else {
          all_length[static_cast<std::size_t>(y)] = best;
          all_pred[static_cast<std::size_t>(y)] = pred;
        }
      }
    }
    // a chain is reported at its end: an edge no evaluated chain extends (whatever extends an
    // evaluated end was reached forward from it, so it is evaluated too)
    std::unordered_map<std::int32_t, char> extended;
    for (std::int32_t x : ends) {
      const std::int32_t p = best_pred(x);
      if (p >= 0) extended.emplace(p, 1);
    }
    for (std::int32_t x : ends) {
      if (extended.contains(x) || length(x) < o_.min_stack_length) continue;
      Edges witness;
      for (std::int32_t y = x; y >= 0; y = best_pred(y)) witness.push_back(y);
      if (o_.new_relationship_hops && !detail::mostly_new_relationships(g_, witness, o_.window)) continue;
      const std::int32_t origin = src_[static_cast<std::size_t>(witness.back())];
      const double kept = amount(witness.front()) / amount(witness.back());
      const auto hops = static_cast<double>(witness.size());
      out.add(g_, Typology::stack, origin, witness, 2.0 * hops,
              fmt::format("{} hops each forwarding what came in, {:.0f}% of the first amount at the end, within {}",
                          witness.size(), 100 * kept,
                          days_text(static_cast<double>(t(witness.front()) - t(witness.back())), o_.units_per_day)));
    }
  }

 private:
  const TransactionGraph& g_;
  const PatternOptions& o_;
  std::span<const std::int32_t> hub_;
  std::vector<double> median_;
  std::int32_t min_edge_id_;
  std::span<const std::int32_t> src_, dst_;
  std::span<const std::int64_t> ts_;
  std::span<const double> amount_;
  std::int64_t first_ = 0, last_ = 0;  // the observed period
};

// Alerts of one typology on one account whose windows follow within Δ of each other are one
// episode (a colluding merchant paid all month, a mule collecting over a week): one alert with the
// union of their witnesses and the best score.
AlertList merge_episodes(const AlertList& in, const TransactionGraph& g, std::int64_t window) {
  const std::size_t n = in.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tuple{in.typology[a], in.node[a], in.start[a]} < std::tuple{in.typology[b], in.node[b], in.start[b]};
  });
  auto mergeable = [](Typology t) { return t != Typology::stack && t != Typology::pass_through; };
  AlertList out;
  for (std::size_t i = 0; i < n;) {
    const std::size_t a = order[i];
    Edges witness(in.witness(a).begin(), in.witness(a).end());
    double score = in.score[a];
    std::int64_t end = in.end[a];
    std::size_t j = i + 1, merged = 1;
    while (j < n && mergeable(in.typology[a]) && in.typology[order[j]] == in.typology[a] && in.node[order[j]] == in.node[a] &&
           in.start[order[j]] <= (end > INT64_MAX - window ? INT64_MAX : end + window)) {
      const auto w = in.witness(order[j]);
      witness.insert(witness.end(), w.begin(), w.end());
      score = std::max(score, in.score[order[j]]);
      end = std::max(end, in.end[order[j]]);
      ++j;
      ++merged;
    }
    std::string reason = in.reason[a];
    if (merged > 1) reason += fmt::format(", and again in {} more window{} after", merged - 1, merged > 2 ? "s" : "");
    out.add(g, in.typology[a], in.node[a], std::move(witness), score, std::move(reason));
    i = j;
  }
  return out;
}

PatternResult run_patterns(const TransactionGraph& g, const PatternOptions& o, std::span<const std::int32_t> focal,
                           std::span<const std::int32_t> hub, std::int32_t min_edge_id) {
  const std::size_t n = g.n_nodes();
  std::vector<char> wanted(static_cast<std::size_t>(Typology::structuring) + 1, 0);
  for (Typology t : o.typologies) wanted[static_cast<std::size_t>(t)] = 1;
  std::vector<std::int32_t> nodes;
  if (focal.empty()) {
    for (std::size_t v = 0; v < n; ++v) if (!hub[v]) nodes.push_back(static_cast<std::int32_t>(v));
  } else {
    for (std::int32_t v : focal) if (!hub[static_cast<std::size_t>(v)]) nodes.push_back(v);
  }
  Detector detector(g, o, hub, min_edge_id);
  if (o.large_hops_only && wanted[static_cast<std::size_t>(Typology::stack)]) detector.use_medians(detail::median_payments(g));
  PatternResult result;
  AlertList& all = result.alerts;
  tbb::enumerable_thread_specific<Distinct> distinct([n] { return Distinct(n); });
  for (std::size_t ti = 0; ti < wanted.size(); ++ti) {
    const auto typology = static_cast<Typology>(ti);
    if (!wanted[ti]) continue;
    if (typology == Typology::stack) {
      detector.stacks(all);
      continue;
    }
    const std::size_t chunk = 512;
    std::vector<AlertList> parts(chunk_count(nodes.size(), chunk));
    parallel_for_chunks(nodes.size(), chunk, [&](std::size_t c, std::size_t b, std::size_t e) {
      auto& d = distinct.local();
      Edges buf, other;
      for (std::size_t k = b; k < e; ++k) {
        const std::int32_t v = nodes[k];
        switch (typology) {
          case Typology::fan_in: detector.fan(v, false, d, buf, parts[c]); break;
          case Typology::fan_out: detector.fan(v, true, d, buf, parts[c]); break;
          case Typology::scatter_gather: detector.scatter_gather(v, d, buf, parts[c]); break;
          case Typology::gather_scatter: detector.gather_scatter(v, d, buf, other, parts[c]); break;
          case Typology::pass_through: detector.pass_through(v, buf, other, parts[c]); break;
          case Typology::structuring: detector.structuring(v, buf, parts[c]); break;
          default: break;
        }
      }
    });
    for (const AlertList& p : parts) all.append(p);
  }
  result.alerts = merge_episodes(all, g, o.window);
  if (min_edge_id > 0) {  // the streaming update: episodes (merged as a batch run merges them) holding a new transfer
    AlertList fresh;
    for (std::size_t k = 0; k < result.alerts.size(); ++k) {
      const auto w = result.alerts.witness(k);
      if (std::none_of(w.begin(), w.end(), [&](std::int32_t e) { return e >= min_edge_id; })) continue;
      fresh.add(g, result.alerts.typology[k], result.alerts.node[k], Edges(w.begin(), w.end()), result.alerts.score[k],
                result.alerts.reason[k]);
    }
    result.alerts = std::move(fresh);
  }
  result.status = Status::make(StatusCode::converged, fmt::format("{} alerts", result.alerts.size()));
  return result;
}

HubOptions hub_options(const PatternOptions& o) {
  HubOptions h;
  h.hub_degree = o.hub_degree;
  h.known_hubs = o.known_hubs;
  return h;
}

}  // namespace

double poisson_surprise(std::int64_t k, double mean) {
  if (k <= 0) return 0.0;
  if (!(mean > 0)) return 300.0;  // certain under the usual behaviour of never: as surprising as a double can say
  // log P(X >= k) = log sum_{j >= k} e^-mean mean^j / j!, summed from j = k while the terms matter
  const double log_first = -mean + static_cast<double>(k) * std::log(mean) - std::lgamma(static_cast<double>(k) + 1);
  double sum = 1.0, term = 1.0;
  for (std::int64_t j = k + 1; j < k + 10'000; ++j) {
    term *= mean / static_cast<double>(j);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  const double log_tail = log_first + std::log(sum);
  return std::clamp(-log_tail / std::log(10.0), 0.0, 300.0);
}

void PatternOptions::validate() const {
  if (typologies.empty()) check::fail("typologies", "expected at least one typology, got none");
  for (Typology t : typologies) {
    if (!is_pattern_typology(t)) {
      check::fail("typologies", fmt::format("'{}' is not a windowed typology (expected one of fan_in, fan_out, "
                                            "scatter_gather, gather_scatter, stack, pass_through, structuring)",
                                            enum_name(t)));
    }
  }
  if (window <= 0) check::fail("window", fmt::format("expected a positive window, got {}", window));
  check::positive("units_per_day", units_per_day);
  check::finite("units_per_day", units_per_day);
  check::integer_at_least("min_counterparties", min_counterparties, 2);
  check::non_negative("min_burst", min_burst);
  check::non_negative("min_surprise", min_surprise);
  check::non_negative("recurrence_days", recurrence_days);
  check::finite("recurrence_days", recurrence_days);
  check::finite("min_surprise", min_surprise);
  check::finite("min_burst", min_burst);
  check::integer_at_least("min_stack_length", min_stack_length, 2);
  if (!(amount_tolerance >= 0 && amount_tolerance < 1)) {
    check::fail("amount_tolerance", fmt::format("expected a value in [0, 1), got {}", amount_tolerance));
  }
  check::non_negative("min_amount", min_amount);
  check::finite("min_amount", min_amount);
  check::integer_at_least("hub_degree", hub_degree, 0);
  for (std::int32_t v : known_hubs) check::integer_at_least("known_hubs", v, 0);
  check::positive("reporting_threshold", reporting_threshold);
  check::finite("reporting_threshold", reporting_threshold);
  check::in_open_range("structuring_margin", structuring_margin, 0.0, 1.0);
  check::integer_at_least("min_structuring_count", min_structuring_count, 2);
}

PatternResult detect_patterns(const TransactionGraph& g, const PatternOptions& o) {
  o.validate();
  const HubResult hubs = find_hubs(g, hub_options(o));
  return run_patterns(g, o, {}, hubs.hub, 0);
}

namespace detail {

PatternResult detect_patterns_around(const TransactionGraph& g, const PatternOptions& o, std::span<const std::int32_t> focal,
                                     std::span<const std::int32_t> hub, std::int32_t min_edge_id) {
  o.validate();
  check::same_size("hub", hub.size(), "nodes", g.n_nodes());
  for (std::int32_t v : focal) {
    if (v < 0 || static_cast<std::size_t>(v) >= g.n_nodes()) check::fail("focal", fmt::format("node {} out of range", v));
  }
  return run_patterns(g, o, focal, hub, min_edge_id);
}

bool new_relationship(const TransactionGraph& g, std::int32_t a, std::int32_t b, std::int64_t lo, std::int64_t hi) {
  const auto src = g.src(), dst = g.dst();
  const auto ts = g.timestamp();
  const auto da = g.out_degree(static_cast<std::size_t>(a)) + g.in_degree(static_cast<std::size_t>(a));
  const auto db = g.out_degree(static_cast<std::size_t>(b)) + g.in_degree(static_cast<std::size_t>(b));
  const std::int32_t x = da <= db ? a : b, y = da <= db ? b : a;  // scan the quieter account's lists
  auto outside = [&](std::int32_t e) { return ts[static_cast<std::size_t>(e)] < lo || ts[static_cast<std::size_t>(e)] > hi; };
  for (std::int32_t e : g.out_edges(static_cast<std::size_t>(x))) {
    if (dst[static_cast<std::size_t>(e)] == y && outside(e)) return false;
  }
  for (std::int32_t e : g.in_edges(static_cast<std::size_t>(x))) {
    if (src[static_cast<std::size_t>(e)] == y && outside(e)) return false;
  }
  return true;
}

bool mostly_new_relationships(const TransactionGraph& g, std::span<const std::int32_t> hops, std::int64_t window) {
  if (hops.empty()) return false;
  const auto src = g.src(), dst = g.dst();
  const auto ts = g.timestamp();
  std::int64_t first = INT64_MAX, last = INT64_MIN;
  for (std::int32_t e : hops) {
    first = std::min(first, ts[static_cast<std::size_t>(e)]);
    last = std::max(last, ts[static_cast<std::size_t>(e)]);
  }
  const std::int64_t lo = first < INT64_MIN + window ? INT64_MIN : first - window;
  const std::int64_t hi = last > INT64_MAX - window ? INT64_MAX : last + window;
  std::size_t fresh = 0;
  for (std::int32_t e : hops) {
    const auto i = static_cast<std::size_t>(e);
    fresh += new_relationship(g, src[i], dst[i], lo, hi);
  }
  return 2 * fresh >= hops.size();
}

std::vector<std::int32_t> recent_payers(const TransactionGraph& g, std::span<const std::int32_t> nodes, std::int64_t since) {
  const auto ts = g.timestamp();
  const auto src = g.src();
  std::vector<std::int32_t> out;
  for (std::int32_t v : nodes) {
    if (v < 0 || static_cast<std::size_t>(v) >= g.n_nodes()) check::fail("nodes", fmt::format("node {} out of range", v));
    const auto in = g.in_edges(static_cast<std::size_t>(v));
    auto it = std::lower_bound(in.begin(), in.end(), since,
                               [&](std::int32_t e, std::int64_t x) { return ts[static_cast<std::size_t>(e)] < x; });
    for (; it != in.end(); ++it) out.push_back(src[static_cast<std::size_t>(*it)]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace detail

}  // namespace bankquant::graph
