// bankquant._core.staffing: Erlang queues, requirements, pooling, rosters, simulation.
// Conversions only: the records come from their fields() tables, arrays cross as numpy views.
#include "common.hpp"
#include "record.hpp"

#include <pybind11/eigen.h>

#include "bankquant/staffing.hpp"

namespace bankquant::python {
namespace {

namespace st = bankquant::staffing;

using IntArray = py::array_t<int, py::array::c_style | py::array::forcecast>;
using IndexArray = py::array_t<std::uint64_t, py::array::c_style | py::array::forcecast>;

std::span<const int> view_ints(const IntArray& a, const char* name) {
  if (a.ndim() != 1) check::fail(name, fmt::format("expected a 1-D array, got {} dimensions", a.ndim()));
  return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

std::vector<std::size_t> to_indices(const IndexArray& a, const char* name) {
  if (a.ndim() != 1) check::fail(name, fmt::format("expected a 1-D array, got {} dimensions", a.ndim()));
  return {a.data(), a.data() + a.size()};
}

}  // namespace

void init_staffing(py::module_& m) {
  bind_result<st::ErlangCResult>(m, "ErlangCResult", "Erlang C measures (bankquant/staffing/erlang.hpp).");
  bind_result<st::ErlangAResult>(m, "ErlangAResult", "Erlang A measures (bankquant/staffing/erlang.hpp).");
  bind_options<st::QueueModel>(m, "QueueModel", "The queue the arrivals meet (bankquant/staffing/required_servers.hpp).");
  bind_options<st::StaffingTarget>(m, "StaffingTarget", "What must hold in an interval (required_servers.hpp).");
  bind_result<st::QueueMeasures>(m, "QueueMeasures", "Every measure of one queue at one staffing level.");
  bind_options<st::RequirementOptions>(m, "RequirementOptions", "Options of staffing_requirements (requirements.hpp).");
  bind_result<st::RequirementResult>(m, "RequirementResult", "Staff per interval (requirements.hpp).");
  bind_result<st::PooledRequirement>(m, "PooledRequirement", "One pool of tellers for several services (pooling.hpp).");
  bind_options<st::ShiftBreak>(m, "ShiftBreak", "A break within a shift (roster.hpp).");
  bind_options<st::ShiftTemplate>(m, "ShiftTemplate", "A shift template (roster.hpp).");
  bind_options<st::Contract>(m, "Contract", "An employment contract: day limits and head count (roster.hpp).");
  bind_options<st::RosterProblem>(m, "RosterProblem", "What a roster must cover (roster.hpp).");
  bind_options<st::RosterOptions>(m, "RosterOptions", "Options of solve_roster (roster.hpp).");
  bind_result<st::AssignedShift>(m, "AssignedShift", "One person's shift on one day (roster.hpp).");
  bind_result<st::RosterResult>(m, "RosterResult", "The cheapest roster found (roster.hpp).");
  bind_options<st::CustomerClass>(m, "CustomerClass", "A customer class: handling and patience (simulation.hpp).");
  bind_options<st::SimulationOptions>(m, "SimulationOptions", "Options of simulate (simulation.hpp).");
  bind_result<st::SimulationResult>(m, "SimulationResult", "Per-interval simulated measures (simulation.hpp).");

  m.def("erlang_b", &st::erlang_b, py::arg("load"), py::arg("servers"));
  m.def("erlang_b_continuous", &st::erlang_b_continuous, py::arg("load"), py::arg("servers"));
  m.def("erlang_c", &st::erlang_c, py::arg("arrival_rate"), py::arg("service_time"), py::arg("servers"),
        py::arg("target_time"));
  m.def("erlang_a", &st::erlang_a, py::arg("arrival_rate"), py::arg("service_time"), py::arg("patience"),
        py::arg("servers"), py::arg("target_time"));
  m.def("queue_measures", &st::queue_measures, py::arg("arrival_rate"), py::arg("servers"), py::arg("model"),
        py::arg("target_time"));
  m.def(
      "required_servers",
      [](const DoubleArray& rates, const st::QueueModel& model, const st::StaffingTarget& target) {
        const auto r = view_1d(rates, "arrival_rate");
        std::vector<int> out;
        {
          py::gil_scoped_release release;
          out = st::required_servers(r, model, target);
        }
        return to_int_array(out);
      },
      py::arg("arrival_rate"), py::arg("model"), py::arg("target"));
  m.def("staff_for_servers", &st::staff_for_servers, py::arg("servers"), py::arg("shrinkage"));
  m.def(
      "staffing_requirements",
      [](const DoubleArray& mean, const DoubleArray& size, const IndexArray& starts, const st::RequirementOptions& o) {
        const auto mu = view_1d(mean, "mean");
        const auto sz = view_1d(size, "size");
        const auto ps = to_indices(starts, "period_starts");
        py::gil_scoped_release release;
        return st::staffing_requirements(mu, sz, ps, o);
      },
      py::arg("mean"), py::arg("size"), py::arg("period_starts"), py::arg("options"));
  m.def(
      "lagged_rates",
      [](const DoubleArray& rates, double interval_length, double service_time, const IndexArray& starts) {
        return to_array(
            st::lagged_rates(view_1d(rates, "arrival_rate"), interval_length, service_time, to_indices(starts, "period_starts")));
      },
      py::arg("arrival_rate"), py::arg("interval_length"), py::arg("service_time"), py::arg("period_starts"));
  m.def("mixed_measures", &st::mixed_measures, py::arg("mean_rate"), py::arg("size"), py::arg("servers"),
        py::arg("model"), py::arg("target_time"));
  m.def(
      "pooled_requirements",
      [](const Eigen::Ref<const RowMatrix>& rates, const DoubleArray& times, const DoubleArray& scvs,
         const st::StaffingTarget& target) {
        const auto t = view_1d(times, "service_times");
        const auto c = view_1d(scvs, "service_scvs");
        py::gil_scoped_release release;
        return st::pooled_requirements(rates, t, c, target);
      },
      py::arg("arrival_rates"), py::arg("service_times"), py::arg("service_scvs"), py::arg("target"));
  m.def(
      "solve_roster",
      [](const st::RosterProblem& p, const st::RosterOptions& o) {
        py::gil_scoped_release release;
        return st::solve_roster(p, o);
      },
      py::arg("problem"), py::arg("options"));
  m.def(
      "solve_rosters",
      [](const std::vector<st::RosterProblem>& ps, const st::RosterOptions& o) {
        py::gil_scoped_release release;
        return st::solve_rosters(ps, o);
      },
      py::arg("problems"), py::arg("options"));
  m.def(
      "simulate",
      [](const Eigen::Ref<const RowMatrix>& rates, const IntArray& staff, const std::vector<st::CustomerClass>& classes,
         double interval_length, const DoubleArray& size, const IndexArray& starts, const st::SimulationOptions& o) {
        const auto s = view_ints(staff, "staff");
        const auto sz = view_1d(size, "size");
        const auto ps = to_indices(starts, "period_starts");
        py::gil_scoped_release release;
        return st::simulate(rates, s, classes, interval_length, sz, ps, o);
      },
      py::arg("arrival_rates"), py::arg("staff"), py::arg("classes"), py::arg("interval_length"), py::arg("size"),
      py::arg("period_starts"), py::arg("options"));
}

}  // namespace bankquant::python
