// bankquant._core.risk, pricing part: Black–Scholes, curves, bonds, FX forwards, full revaluation.
// Conversions only (see risk.cpp).
#include "common.hpp"
#include "record.hpp"

#include <pybind11/eigen.h>

#include "bankquant/risk.hpp"

namespace bankquant::python {

namespace {

namespace risk = bankquant::risk;
namespace pr = bankquant::risk::pricing;

using TypeCodes = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>;

/// A uint8 array of 0 (call) / 1 (put) codes as OptionType values, without a copy.
std::span<const pr::OptionType> view_types(const TypeCodes& a) {
  if (a.ndim() != 1) check::fail("option_type", fmt::format("expected a 1-D array, got {} dimensions", a.ndim()));
  static_assert(sizeof(pr::OptionType) == sizeof(std::uint8_t));
  return {reinterpret_cast<const pr::OptionType*>(a.data()), static_cast<std::size_t>(a.shape(0))};
}

}  // namespace

void init_risk_pricing(py::module_& m) {
  bind_result<pr::OptionGreeks>(m, "OptionGreeks", "Black-Scholes price and Greeks of one option.");
  bind_result<pr::GreeksTable>(m, "GreeksTable", "Black-Scholes prices and Greeks of many options.");
  bind_options<pr::FixedRateBond>(m, "FixedRateBond", "A bullet bond (bankquant/risk/pricing/bond.hpp).")
      .def("cash_flows", &pr::FixedRateBond::cash_flows);
  bind_result<pr::BondAnalytics>(m, "BondAnalytics", "Price, yield, duration, convexity and DV01 of a bond.");
  bind_options<pr::CurveInstrument>(m, "CurveInstrument", "An instrument of the zero-curve bootstrap.");

  m.def("black_scholes",
        [](py::handle type, double S, double K, double T, double r, double q, double vol) {
          return pr::black_scholes(from_python<pr::OptionType>(type, "option_type"), S, K, T, r, q, vol);
        },
        py::arg("option_type"), py::arg("spot"), py::arg("strike"), py::arg("expiry"), py::arg("rate"),
        py::arg("dividend_yield"), py::arg("volatility"));
  m.def("black_scholes_many",
        [](const TypeCodes& type, const DoubleArray& S, const DoubleArray& K, const DoubleArray& T,
           const DoubleArray& r, const DoubleArray& q, const DoubleArray& v) {
          const auto types = view_types(type);
          const auto s = view_1d(S, "spot"), k = view_1d(K, "strike"), t = view_1d(T, "expiry"), rr = view_1d(r, "rate"),
                     qq = view_1d(q, "dividend_yield"), vv = view_1d(v, "volatility");
          py::gil_scoped_release release;
          return pr::black_scholes_many(types, s, k, t, rr, qq, vv);
        },
        py::arg("option_type"), py::arg("spot"), py::arg("strike"), py::arg("expiry"), py::arg("rate"),
        py::arg("dividend_yield"), py::arg("volatility"));
  bind_options<pr::ImpliedVolatilityOptions>(m, "ImpliedVolatilityOptions", "Options of implied_volatility.");
  bind_result<pr::ImpliedVolatilityResult>(m, "ImpliedVolatilityResult", "Implied volatilities of many options.");
  m.def("implied_volatility",
        [](py::handle type, double price, double S, double K, double T, double r, double q,
           const pr::ImpliedVolatilityOptions& o) {
          return pr::implied_volatility(from_python<pr::OptionType>(type, "option_type"), price, S, K, T, r, q, o);
        },
        py::arg("option_type"), py::arg("price"), py::arg("spot"), py::arg("strike"), py::arg("expiry"),
        py::arg("rate"), py::arg("dividend_yield"), py::arg("options"));
  m.def("implied_volatility_many",
        [](const TypeCodes& type, const DoubleArray& price, const DoubleArray& S, const DoubleArray& K,
           const DoubleArray& T, const DoubleArray& r, const DoubleArray& q, const pr::ImpliedVolatilityOptions& o) {
          const auto types = view_types(type);
          const auto p = view_1d(price, "price"), s = view_1d(S, "spot"), k = view_1d(K, "strike"),
                     t = view_1d(T, "expiry"), rr = view_1d(r, "rate"), qq = view_1d(q, "dividend_yield");
          py::gil_scoped_release release;
          return pr::implied_volatility_many(types, p, s, k, t, rr, qq, o);
        },
        py::arg("option_type"), py::arg("price"), py::arg("spot"), py::arg("strike"), py::arg("expiry"),
        py::arg("rate"), py::arg("dividend_yield"), py::arg("options"));

  py::class_<pr::ZeroCurve>(m, "ZeroCurve")
      .def(py::init([](std::vector<double> times, std::vector<double> rates, py::handle interpolation) {
             return pr::ZeroCurve(std::move(times), std::move(rates),
                                  from_python<pr::Interpolation>(interpolation, "interpolation"));
           }),
           py::arg("times"), py::arg("zero_rates"), py::arg("interpolation"))
      .def("zero_rates_at", [](const pr::ZeroCurve& c, const DoubleArray& t) { return to_array(c.zero_rates_at(view_1d(t, "t"))); },
           py::arg("t"))
      .def("discounts_at", [](const pr::ZeroCurve& c, const DoubleArray& t) { return to_array(c.discounts_at(view_1d(t, "t"))); },
           py::arg("t"))
      .def("forward_rate", &pr::ZeroCurve::forward_rate, py::arg("t1"), py::arg("t2"))
      .def("shifted", &pr::ZeroCurve::shifted, py::arg("shift"))
      .def_property_readonly("times", &pr::ZeroCurve::times)
      .def_property_readonly("zero_rates", &pr::ZeroCurve::zero_rates)
      .def_property_readonly("interpolation", [](const pr::ZeroCurve& c) { return to_python(c.interpolation()); })
      .def(py::pickle(
          [](const pr::ZeroCurve& c) { return py::make_tuple(c.times(), c.zero_rates(), to_python(c.interpolation())); },
          [](const py::tuple& t) {
            return pr::ZeroCurve(t[0].cast<std::vector<double>>(), t[1].cast<std::vector<double>>(),
                                 from_python<pr::Interpolation>(t[2], "interpolation"));
          }));
  m.def("bootstrap_zero_curve",
        [](py::handle instruments, py::handle interpolation) {
          return pr::bootstrap_zero_curve(from_python<std::vector<pr::CurveInstrument>>(instruments, "instruments"),
                                          from_python<pr::Interpolation>(interpolation, "interpolation"));
        },
        py::arg("instruments"), py::arg("interpolation"));
  m.def("deposit", &pr::deposit, py::arg("maturity"), py::arg("simple_rate"));
  m.def("bond_price", &pr::bond_price, py::arg("bond"), py::arg("curve"));
  m.def("bond_price_from_yield", &pr::bond_price_from_yield, py::arg("bond"), py::arg("yield_"));
  m.def("bond_yield", &pr::bond_yield, py::arg("bond"), py::arg("price"));
  m.def("bond_analytics", &pr::bond_analytics, py::arg("bond"), py::arg("yield_"));
  m.def("fx_forward_rate", &pr::fx_forward_rate, py::arg("spot"), py::arg("rate_domestic"), py::arg("rate_foreign"),
        py::arg("expiry"));
  m.def("fx_forward_value", &pr::fx_forward_value, py::arg("spot"), py::arg("strike"), py::arg("rate_domestic"),
        py::arg("rate_foreign"), py::arg("expiry"), py::arg("notional"));

  // Full revaluation of a book given as positions (Python's Book and the positional form).
  m.def(
      "full_revaluation",
      [](const std::vector<double>& spots, const pr::ZeroCurve& curve,
         const std::vector<std::tuple<std::size_t, bool, double, double, double, double, double>>& options,
         const std::vector<std::tuple<double, double, int, double, double>>& bonds, const std::vector<double>& stocks,
         const std::vector<std::tuple<std::size_t, double, double, double, double>>& fx_forwards,
         const Eigen::Ref<const Eigen::MatrixXd>& cov, const DoubleArray& levels, const risk::RevaluationOptions& o) {
        risk::Book book;
        book.spots = spots;
        book.curve = curve;
        book.stock_quantities = stocks;
        for (const auto& [u, put, K, T, vol, q, qty] : options) {
          book.options.push_back({u, put ? pr::OptionType::put : pr::OptionType::call, K, T, vol, q, qty});
        }
        for (const auto& [c, mat, f, face, qty] : bonds) book.bonds.push_back({pr::FixedRateBond{face, c, mat, f}, qty});
        for (const auto& [pair, K, T, notional, rf] : fx_forwards) book.fx_forwards.push_back({pair, K, T, notional, rf});
        const auto ls = view_1d(levels, "level");
        py::gil_scoped_release release;
        return risk::full_revaluation_var_es(book, cov, ls, o);
      },
      py::arg("spots"), py::arg("curve"), py::arg("options"), py::arg("bonds"), py::arg("stocks"),
      py::arg("fx_forwards"), py::arg("cov"),
      py::arg("levels"), py::arg("options_"));
}

}  // namespace bankquant::python
