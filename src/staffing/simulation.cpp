#include "bankquant/staffing/simulation.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>

#include <boost/math/distributions/students_t.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <fmt/format.h>

#include "bankquant/core/check.hpp"
#include "bankquant/core/random.hpp"
#include "bankquant/core/threading.hpp"
#include "bankquant/core/detail/constants.hpp"
#include "bankquant/staffing/detail/exponential_block.hpp"

namespace bankquant::staffing {
namespace {

using bankquant::detail::kInf;
using bankquant::detail::kNaN;
// Answer-time bins, log-linear (as HdrHistogram's): from low = 1e-3 of the mean handling time,
// kPerOctave equal bins in each doubling, over kOctaves doublings (to 1.05e3 times the mean
// handling time: six decades). A bin is 1.6% to 3.1% of its lower edge wide, and the bin of a wait is
// read from the bits of wait / low (exponent and leading mantissa bits) without a logarithm:
// binning with std::log cost about a tenth of the simulator's time.
constexpr int kOctaves = 20;
constexpr int kPerOctave = 32;
constexpr int kBins = kOctaves * kPerOctave;
constexpr std::size_t kSlots = kBins + 3;  // 0: no wait; 1: (0, low); the kBins bins; beyond the last
constexpr double kMaxCustomers = 2e9; // beyond this a call would run for many minutes: refuse it

// Answer times per interval, pooled over replications (counts only: merging is exact).
class AnswerHistograms {
 public:
  AnswerHistograms(std::size_t intervals, double mean_service)
      : counts_(intervals * kSlots, 0), low_(1e-3 * mean_service), inverse_low_(1.0 / low_) {}

  void add(std::size_t interval, double wait) {
    std::size_t slot = 0;
    if (wait > 0) {
      const double ratio = wait * inverse_low_;
      if (!(ratio >= 1.0)) {
        slot = 1;
      } else {
        // ratio = 2^e (1 + j / kPerOctave + ...): e from the exponent field, j from the top mantissa bits.
        const auto bits = std::bit_cast<std::uint64_t>(ratio);
        const auto e = static_cast<std::int64_t>(bits >> 52) - 1023;
        const auto j = static_cast<std::int64_t>((bits >> (52 - 5)) & (kPerOctave - 1));
        static_assert(kPerOctave == 32, "the mantissa bits taken above are log2(kPerOctave)");
        slot = e >= kOctaves ? kSlots - 1 : 2 + static_cast<std::size_t>(e * kPerOctave + j);
      }
    }
    ++counts_[interval * kSlots + slot];
  }

  /// Adds another histogram's counts (integers: the order of merging does not matter).
  void merge(const AnswerHistograms& other) {
    for (std::size_t k = 0; k < counts_.size(); ++k) counts_[k] += other.counts_[k];
  }

  /// Quantile q of interval i's answer times; NaN when nobody was answered. Linear within a bin.
  [[nodiscard]] double quantile(std::size_t interval, double q) const {
    const std::uint32_t* c = counts_.data() + interval * kSlots;
    double total = 0;
    for (std::size_t b = 0; b < kSlots; ++b) total += c[b];
    if (total == 0) return kNaN;
    const double rank = q * total;
    double seen = 0;
    for (std::size_t b = 0; b < kSlots; ++b) {
      if (c[b] == 0) continue;
      if (seen + c[b] >= rank) {
        const double fraction = (rank - seen) / c[b];
        if (b == 0) return 0.0;
        if (b == 1) return low_ * fraction;
        if (b == kSlots - 1) return low_ * std::ldexp(1.0, kOctaves);  // beyond the last bin: its lower edge
        const auto m = static_cast<int>(b - 2);
        const double octave = low_ * std::ldexp(1.0, m / kPerOctave);
        const double width = octave / kPerOctave;
        return octave + width * (m % kPerOctave + fraction);
      }
      seen += c[b];
    }
    return low_ * std::ldexp(1.0, kOctaves);
  }

 private:
  std::vector<std::uint32_t> counts_;
  double low_, inverse_low_;
};

// Histograms lent to the replications that run at once (at most one per thread, created on demand).
class HistogramPool {
 public:
  HistogramPool(std::size_t intervals, double mean_service) : intervals_(intervals), mean_service_(mean_service) {}

  class Loan {
   public:
    explicit Loan(HistogramPool& pool) : pool_(pool), index_(pool.acquire()) {}
    ~Loan() { pool_.release(index_); }
    Loan(const Loan&) = delete;
    Loan& operator=(const Loan&) = delete;
    [[nodiscard]] AnswerHistograms& histograms() { return *pool_.all_[index_]; }

   private:
    HistogramPool& pool_;
    std::size_t index_;
  };

  /// All counts in one histogram (integer sums: the same whichever replications shared which).
  [[nodiscard]] AnswerHistograms merged() const {
    AnswerHistograms out(intervals_, mean_service_);
    for (const auto& h : all_) out.merge(*h);
    return out;
  }

 private:
  std::size_t acquire() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) {
      all_.push_back(std::make_unique<AnswerHistograms>(intervals_, mean_service_));
      return all_.size() - 1;
    }
    const std::size_t k = free_.back();
    free_.pop_back();
    return k;
  }
  void release(std::size_t k) {
    const std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(k);
  }

  std::size_t intervals_;
  double mean_service_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<AnswerHistograms>> all_;  // stable addresses while the pool grows
  std::vector<std::size_t> free_;
};

struct Waiting {
  double arrival, deadline;
  int klass;
  std::uint32_t interval;
};

// Everything one replication counts, per interval of arrival.
struct Counts {
  std::vector<double> arrivals, answered, within, abandoned, wait_sum, busy;
  std::vector<double> class_arrivals, class_within;  // after the warm-up
};

class Replication {
 public:
  Replication(const Eigen::Ref<const RowMatrix>& rates, std::span<const int> staff,
              std::span<const CustomerClass> classes, double dt, std::span<const double> size,
              const SimulationOptions& o, AnswerHistograms& histograms)
      : rates_(rates), staff_(staff), classes_(classes), dt_(dt), size_(size), o_(o), hist_(histograms) {
    for (const auto& c : classes) {
      const double s2 = std::log1p(c.service_cv * c.service_cv);
      log_sigma_.push_back(std::sqrt(s2));
      log_mu_.push_back(std::log(c.service_time) - 0.5 * s2);
    }
    exponential_ = true;
    for (const auto& c : classes) {
      exponential_ = exponential_ && c.service_distribution == ServiceDistribution::exponential;
      inverse_service_.push_back(1.0 / c.service_time);
    }
    batch_mean_ = 0.5 * (o.peakedness + 1.0);
    batch_log_q_ = batch_mean_ > 1.0 ? std::log(1.0 - 1.0 / batch_mean_) : 0.0;
  }

  void run(std::uint64_t replication, const std::vector<std::size_t>& starts, Counts& out) {
    RandomStream rng(o_.seed, replication);
    exponentials_.clear();  // a replication's draws come from its own stream only
    const std::size_t n = staff_.size();
    // The replication's rate factors: Gamma(size, 1/size) per interval (1 for Poisson).
    factor_.assign(n, 1.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double r = size_.empty() ? kInf : size_[i];
      if (std::isfinite(r)) factor_[i] = boost::random::gamma_distribution<double>(r, 1.0 / r)(rng);
    }
    for (std::size_t p = 0; p < starts.size(); ++p) {
      const std::size_t end = p + 1 < starts.size() ? starts[p + 1] : n;
      period(rng, starts[p], end, out);
    }
  }

 private:
  double total_rate(std::size_t i) const {
    double sum = 0;
    for (Eigen::Index k = 0; k < rates_.cols(); ++k) sum += rates_(static_cast<Eigen::Index>(i), k);
    return sum * factor_[i];
  }

  int draw_class(RandomStream& rng, std::size_t i, double total) const {
    if (rates_.cols() == 1) return 0;
    double u = rng.uniform() * total / factor_[i];
    for (Eigen::Index k = 0; k + 1 < rates_.cols(); ++k) {
      u -= rates_(static_cast<Eigen::Index>(i), k);
      if (u < 0) return static_cast<int>(k);
    }
    return static_cast<int>(rates_.cols() - 1);
  }

  // Unit exponentials by inversion, a block at a time from the replication's stream
  // (staffing/detail/exponential_block.hpp).
  double unit_exponential(RandomStream& rng) { return exponentials_.next(rng); }

  double service(RandomStream& rng, int k) {
    const auto& c = classes_[static_cast<std::size_t>(k)];
    if (c.service_distribution == ServiceDistribution::exponential) return c.service_time * unit_exponential(rng);
    return std::exp(log_mu_[static_cast<std::size_t>(k)] + log_sigma_[static_cast<std::size_t>(k)] * rng.normal());
  }

  void period(RandomStream& rng, std::size_t begin, std::size_t end, Counts& out) {
    std::vector<double>& heap = heap_;  // completion times, a min-heap
    heap.clear();
    queue_.clear();
    std::size_t head = 0;
    std::size_t i = begin;
    double t = static_cast<double>(begin) * dt_;
    double boundary = t + dt_;
    int on_duty = staff_[i], busy = 0;
    double rate = total_rate(i);
    const double batch_rate_scale = 1.0 / batch_mean_;
    double mean_gap = rate > 0 ? 1.0 / (rate * batch_rate_scale) : kInf;
    auto next_gap = [&] { return rate > 0 ? unit_exponential(rng) * mean_gap : kInf; };
    double next_arrival = t + next_gap();
    const auto warm = static_cast<std::size_t>(o_.warmup_intervals);
    // Exponential handling: the next completion is exponential at the total rate of the busy
    // servers, and no heap is needed. One unit exponential per completion: when the rate changes
    // without a completion (a customer answered), the clock's residual unit hazard
    // (next_completion - now) * old rate is itself a unit exponential independent of the past
    // (memorylessness), so the clock is rescaled to the new rate rather than redrawn — the
    // next-reaction method (Gibson and Bruck, J. Phys. Chem. A 104, 2000). Exact, and a third
    // fewer draws per customer than redrawing on every change.
    // Busy servers per class, kept only with several classes (one class: `busy` itself).
    const bool one_class = classes_.size() == 1;
    busy_class_.assign(classes_.size(), 0);
    double completion_rate = 0.0, next_completion = kInf;
    bool rate_changed = false;
    auto retime = [&](double now, bool fired) {
      double r = 0.0;
      if (one_class) {
        r = busy * inverse_service_[0];
      } else {
        for (std::size_t k = 0; k < busy_class_.size(); ++k) r += busy_class_[k] * inverse_service_[k];
      }
      if (!(r > 0)) {
        next_completion = kInf;
      } else if (fired || !(completion_rate > 0)) {
        next_completion = now + unit_exponential(rng) / r;
      } else {
        next_completion = now + (next_completion - now) * (completion_rate / r);
      }
      completion_rate = r;
      rate_changed = false;
    };

    auto answer = [&](const Waiting& w, double now) {
      const double wait = now - w.arrival;
      out.answered[w.interval] += 1;
      out.wait_sum[w.interval] += wait;
      if (wait <= o_.target_time) {
        out.within[w.interval] += 1;
        if (w.interval >= warm) out.class_within[static_cast<std::size_t>(w.klass)] += 1;
      }
      hist_.add(w.interval, wait);
      ++busy;
      if (exponential_) {
        if (!one_class) ++busy_class_[static_cast<std::size_t>(w.klass)];
        rate_changed = true;  // the caller retimes the clock once all are answered
      } else {
        heap.push_back(now + service(rng, w.klass));
        std::push_heap(heap.begin(), heap.end(), std::greater<>());
      }
    };
    auto start_next = [&](double now) {
      while (busy < on_duty && head < queue_.size()) {
        const Waiting w = queue_[head++];
        if (w.deadline < now) {
          out.abandoned[w.interval] += 1;
          continue;
        }
        answer(w, now);
      }
      if (head == queue_.size()) {
        queue_.clear();
        head = 0;
      }
    };

    // Events in time order; on a tie a completion comes first, then the interval's end, then an arrival.
    enum class Event { completion, boundary, arrival };
    for (;;) {
      const double tc = exponential_ ? next_completion : (heap.empty() ? kInf : heap.front());
      Event event;
      double te;
      if (i < end) {
        if (tc <= boundary && tc <= next_arrival) {
          event = Event::completion;
          te = tc;
        } else if (boundary <= next_arrival) {
          event = Event::boundary;
          te = boundary;
        } else {
          event = Event::arrival;
          te = next_arrival;
        }
        // Busy time within staffed time only: a server finishing a customer after its shift, a break
        // or closing works overtime, which utilisation (busy over staffed time) leaves out.
        out.busy[i] += std::min(busy, on_duty) * (te - t);
      } else {
        if (tc == kInf) break;
        event = Event::completion;
        te = tc;
      }
      t = te;
      if (event == Event::completion) {
        --busy;
        if (exponential_) {
          if (!one_class) {  // which class finished: in proportion to its completion rate
            std::size_t k = 0;
            double u = rng.uniform() * completion_rate;
            while (k + 1 < busy_class_.size() && (u -= busy_class_[k] * inverse_service_[k]) >= 0) ++k;
            --busy_class_[k];
          }
          start_next(t);
          retime(t, true);
        } else {
          std::pop_heap(heap.begin(), heap.end(), std::greater<>());
          heap.pop_back();
          start_next(t);
        }
      } else if (event == Event::boundary) {
        ++i;
        if (i < end) {
          on_duty = staff_[i];
          rate = total_rate(i);
          mean_gap = rate > 0 ? 1.0 / (rate * batch_rate_scale) : kInf;
          next_arrival = t + next_gap();  // memoryless: redraw at the new rate
          boundary += dt_;
        } else {
          on_duty = staff_[end - 1];  // after closing, the last interval's staff answer who waits
        }
        start_next(t);
        if (rate_changed) retime(t, false);
      } else {
        std::size_t batch = 1;
        if (batch_mean_ > 1.0) batch += static_cast<std::size_t>(std::floor(std::log(rng.uniform()) / batch_log_q_));
        for (std::size_t b = 0; b < batch; ++b) {
          const int k = draw_class(rng, i, rate);
          out.arrivals[i] += 1;
          if (i >= warm) out.class_arrivals[static_cast<std::size_t>(k)] += 1;
          const double patience = classes_[static_cast<std::size_t>(k)].patience;
          const Waiting w{t, std::isfinite(patience) ? t + patience * unit_exponential(rng) : kInf, k,
                          static_cast<std::uint32_t>(i)};
          if (busy < on_duty && head == queue_.size()) {
            answer(w, t);
          } else {
            queue_.push_back(w);
          }
        }
        if (rate_changed) retime(t, false);
        next_arrival = t + next_gap();
      }
    }
    // Left waiting with nobody on duty: lost.
    for (; head < queue_.size(); ++head) out.abandoned[queue_[head].interval] += 1;
    queue_.clear();
  }

  const Eigen::Ref<const RowMatrix>& rates_;
  std::span<const int> staff_;
  std::span<const CustomerClass> classes_;
  double dt_;
  std::span<const double> size_;
  const SimulationOptions& o_;
  AnswerHistograms& hist_;
  std::vector<double> log_mu_, log_sigma_, factor_, heap_, inverse_service_;
  std::vector<int> busy_class_;
  bool exponential_ = true;
  std::vector<Waiting> queue_;
  detail::ExponentialBlock exponentials_;
  double batch_mean_ = 1.0, batch_log_q_ = 0.0;
};

// Ratio estimator sum(num) / sum(den) over replications with its delta-method confidence interval.
struct Ratio {
  double value, lo, hi;
};

Ratio ratio(const std::vector<double>& num, const std::vector<double>& den, double t_quantile, bool clip_unit) {
  const auto r = static_cast<double>(num.size());
  double sn = 0, sd = 0;
  for (std::size_t k = 0; k < num.size(); ++k) {
    sn += num[k];
    sd += den[k];
  }
  if (sd == 0) return {kNaN, kNaN, kNaN};
  const double est = sn / sd, mean_den = sd / r;
  double ss = 0;
  for (std::size_t k = 0; k < num.size(); ++k) {
    const double e = num[k] - est * den[k];
    ss += e * e;
  }
  const double se = std::sqrt(ss / (r - 1) / r) / mean_den;
  double lo = est - t_quantile * se, hi = est + t_quantile * se;
  if (clip_unit) {
    lo = std::max(0.0, lo);
    hi = std::min(1.0, hi);
  }
  return {est, lo, hi};
}

}  // namespace

void SimulationOptions::validate() const {
  if (replications < 2 || replications > 1'000'000) {
    check::fail("replications", fmt::format("expected an integer in [2, 1000000] (confidence intervals need two), got {}", replications));
  }
  check::finite("target_time", target_time);
  check::non_negative("target_time", target_time);
  check::open_unit_interval("confidence", confidence);
  for (double q : wait_quantiles) check::open_unit_interval("wait_quantiles", q);
  check::integer_at_least("warmup_intervals", warmup_intervals, 0);
  check::finite("peakedness", peakedness);
  if (!(peakedness >= 1.0)) check::fail("peakedness", fmt::format("expected a number >= 1 (1 for Poisson arrivals), got {}", peakedness));
}

SimulationResult simulate(const Eigen::Ref<const RowMatrix>& arrival_rates, std::span<const int> staff,
                          std::span<const CustomerClass> classes, double interval_length,
                          std::span<const double> size, std::span<const std::size_t> period_starts,
                          const SimulationOptions& options) {
  options.validate();
  const std::size_t n = staff.size();
  check::not_empty("staff", n);
  check::not_empty("classes", classes.size());
  check::shape("arrival_rates", arrival_rates.rows(), arrival_rates.cols(), static_cast<Eigen::Index>(n),
               static_cast<Eigen::Index>(classes.size()));
  check::all_finite("arrival_rates", arrival_rates);
  for (Eigen::Index i = 0; i < arrival_rates.rows(); ++i) {
    for (Eigen::Index k = 0; k < arrival_rates.cols(); ++k) {
      if (arrival_rates(i, k) < 0) {
        check::fail("arrival_rates", fmt::format("expected rates >= 0, found {} at interval {}, class {}", arrival_rates(i, k), i, k));
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (staff[i] < 0) check::fail("staff", fmt::format("expected staff >= 0, found {} at interval {}", staff[i], i));
  }
  for (std::size_t k = 0; k < classes.size(); ++k) {
    const auto& c = classes[k];
    if (!std::isfinite(c.service_time) || !(c.service_time > 0)) {
      check::fail("service_time", fmt::format("expected a positive finite handling time, got {} (class {})", c.service_time, k));
    }
    if (!std::isfinite(c.service_cv) || !(c.service_cv > 0)) {
      check::fail("service_cv", fmt::format("expected a positive finite coefficient of variation, got {} (class {})", c.service_cv, k));
    }
    if (!(c.patience > 0)) {
      check::fail("patience", fmt::format("expected a positive patience (inf for none), got {} (class {})", c.patience, k));
    }
  }
  check::finite("interval_length", interval_length);
  check::positive("interval_length", interval_length);
  if (!size.empty()) {
    check::same_size("size", size.size(), "staff", n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!(size[i] > 0)) check::fail("size", fmt::format("expected negative-binomial sizes > 0 (inf for Poisson), found {} at interval {}", size[i], i));
    }
  }
  if (static_cast<std::size_t>(options.warmup_intervals) >= n) {
    check::fail("warmup_intervals", fmt::format("expected fewer than the {} intervals, got {}", n, options.warmup_intervals));
  }
  std::vector<std::size_t> starts{0};
  for (std::size_t k = 0; k < period_starts.size(); ++k) {
    if (period_starts[k] >= n) check::fail("period_starts", fmt::format("expected interval indices below {}, got {}", n, period_starts[k]));
    if (k > 0 && !(period_starts[k - 1] < period_starts[k])) check::fail("period_starts", "expected increasing indices");
    if (period_starts[k] != 0) starts.push_back(period_starts[k]);
  }
  const double expected = arrival_rates.sum() * interval_length * options.replications;
  if (expected > kMaxCustomers) {
    check::fail("arrival_rates", fmt::format("would simulate about {:.3g} customers over {} replications (at most {:.0e}): "
                                             "fewer replications or intervals", expected, options.replications, kMaxCustomers));
  }

  double mean_service = 0;
  for (const auto& c : classes) mean_service += c.service_time / static_cast<double>(classes.size());
  const auto R = static_cast<std::size_t>(options.replications);
  // Replications are the chunks (one each), so a thread slowed by other work on the machine holds
  // up one replication, not half of them. Each replication's numbers come from its own stream, so
  // the chunking does not change them. Answer-time histograms are lent to running replications from
  // a pool (as many as run at once; integer counts, so which replications share one and the order of
  // merging do not matter).
  HistogramPool pool(n, mean_service);
  std::vector<Counts> counts(R);
  parallel_for_chunks(R, 1, [&](std::size_t, std::size_t begin, std::size_t end) {
    HistogramPool::Loan loan(pool);
    Replication sim(arrival_rates, staff, classes, interval_length, size, options, loan.histograms());
    for (std::size_t r = begin; r < end; ++r) {
      Counts& c = counts[r];
      for (auto* v : {&c.arrivals, &c.answered, &c.within, &c.abandoned, &c.wait_sum, &c.busy}) v->assign(n, 0.0);
      c.class_arrivals.assign(classes.size(), 0.0);
      c.class_within.assign(classes.size(), 0.0);
      sim.run(r, starts, c);
    }
  });
  const AnswerHistograms histograms = pool.merged();
  const double tq = boost::math::quantile(boost::math::students_t_distribution<double>(static_cast<double>(R) - 1),
                                          0.5 + 0.5 * options.confidence);
  SimulationResult out;
  for (auto* v : {&out.arrivals, &out.service_level, &out.service_level_lo, &out.service_level_hi, &out.asa,
                  &out.abandonment, &out.abandonment_lo, &out.abandonment_hi, &out.utilization, &out.utilization_lo,
                  &out.utilization_hi}) {
    v->assign(n, 0.0);
  }
  out.wait_quantiles.resize(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(options.wait_quantiles.size()));
  std::vector<double> num(R), den(R), busy(R), staffed(R, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double arrivals = 0, answered = 0, wait = 0;
    for (std::size_t r = 0; r < R; ++r) {
      num[r] = counts[r].within[i];
      den[r] = counts[r].arrivals[i];
      arrivals += counts[r].arrivals[i];
      answered += counts[r].answered[i];
      wait += counts[r].wait_sum[i];
    }
    out.arrivals[i] = arrivals / static_cast<double>(R);
    const auto sl = ratio(num, den, tq, true);
    out.service_level[i] = sl.value;
    out.service_level_lo[i] = sl.lo;
    out.service_level_hi[i] = sl.hi;
    out.asa[i] = answered > 0 ? wait / answered : kNaN;
    for (std::size_t r = 0; r < R; ++r) num[r] = counts[r].abandoned[i];
    const auto ab = ratio(num, den, tq, true);
    out.abandonment[i] = ab.value;
    out.abandonment_lo[i] = ab.lo;
    out.abandonment_hi[i] = ab.hi;
    const double capacity = staff[i] * interval_length;
    for (std::size_t r = 0; r < R; ++r) {
      num[r] = counts[r].busy[i];
      den[r] = capacity;
    }
    const auto ut = capacity > 0 ? ratio(num, den, tq, true) : Ratio{kNaN, kNaN, kNaN};
    out.utilization[i] = ut.value;
    out.utilization_lo[i] = ut.lo;
    out.utilization_hi[i] = ut.hi;
    for (std::size_t q = 0; q < options.wait_quantiles.size(); ++q) {
      out.wait_quantiles(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(q)) =
          histograms.quantile(i, options.wait_quantiles[q]);
    }
  }
  // Summary after the warm-up: each replication's totals, then the ratio estimators.
  const auto warm = static_cast<std::size_t>(options.warmup_intervals);
  std::vector<double> within(R, 0.0), arrivals(R, 0.0), abandoned(R, 0.0), answered(R, 0.0), waits(R, 0.0);
  double capacity = 0;
  for (std::size_t i = warm; i < n; ++i) capacity += staff[i] * interval_length;
  for (std::size_t r = 0; r < R; ++r) {
    busy[r] = 0;
    for (std::size_t i = warm; i < n; ++i) {
      within[r] += counts[r].within[i];
      arrivals[r] += counts[r].arrivals[i];
      abandoned[r] += counts[r].abandoned[i];
      answered[r] += counts[r].answered[i];
      waits[r] += counts[r].wait_sum[i];
      busy[r] += counts[r].busy[i];
    }
    out.customers += std::accumulate(counts[r].arrivals.begin(), counts[r].arrivals.end(), 0.0);
    out.replication_service_level.push_back(arrivals[r] > 0 ? within[r] / arrivals[r] : kNaN);
  }
  const auto sl = ratio(within, arrivals, tq, true);
  out.summary_service_level = sl.value;
  out.summary_service_level_lo = sl.lo;
  out.summary_service_level_hi = sl.hi;
  const auto ab = ratio(abandoned, arrivals, tq, true);
  out.summary_abandonment = ab.value;
  out.summary_abandonment_lo = ab.lo;
  out.summary_abandonment_hi = ab.hi;
  const auto asa = ratio(waits, answered, tq, false);
  out.summary_asa = asa.value;
  out.summary_asa_lo = std::max(0.0, asa.lo);
  out.summary_asa_hi = asa.hi;
  out.summary_utilization = capacity > 0 ? std::accumulate(busy.begin(), busy.end(), 0.0) / (capacity * static_cast<double>(R)) : kNaN;
  for (std::size_t k = 0; k < classes.size(); ++k) {
    for (std::size_t r = 0; r < R; ++r) {
      num[r] = counts[r].class_within[k];
      den[r] = counts[r].class_arrivals[k];
    }
    const auto c = ratio(num, den, tq, true);
    out.class_service_level.push_back(c.value);
    out.class_service_level_lo.push_back(c.lo);
    out.class_service_level_hi.push_back(c.hi);
  }
  return out;
}

}  // namespace bankquant::staffing
