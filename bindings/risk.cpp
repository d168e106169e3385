// bankquant._core.risk: volatility, VaR/ES, Monte Carlo, backtests.
#include "common.hpp"
#include "record.hpp"

#include <pybind11/eigen.h>

#include "bankquant/core/threading.hpp"

#include "bankquant/risk.hpp"

namespace bankquant::python {
namespace {

namespace risk = bankquant::risk;

py::list estimates_to_list(const std::vector<risk::VarEs>& v) {
  py::list out;
  for (const auto& e : v) out.append(py::make_tuple(e.level, e.var, e.es));
  return out;
}

py::dict test_to_dict(const risk::TestResult& r) {
  py::dict d;
  d["name"] = r.name;
  d["statistic"] = r.statistic;
  d["p_value"] = r.p_value;
  d["p_value_exact"] = r.p_value_exact < 0 ? py::object(py::none()) : py::object(py::float_(r.p_value_exact));
  return d;
}

}  // namespace

void init_pricing(py::module_& m) {
  namespace pr = bankquant::risk::pricing;
  m.def(
      "black_scholes_many",
      [](const py::array_t<int, py::array::c_style | py::array::forcecast>& is_put, const DoubleArray& S,
         const DoubleArray& K, const DoubleArray& T, const DoubleArray& r, const DoubleArray& q, const DoubleArray& v) {
        const auto n = static_cast<std::size_t>(S.size());
        for (const auto* a : {&K, &T, &r, &q, &v}) {
          if (static_cast<std::size_t>(a->size()) != n) check::fail("arrays", "expected arrays of one length (broadcast first)");
        }
        if (static_cast<std::size_t>(is_put.size()) != n) check::fail("option_type", "expected one type per option");
        std::vector<std::vector<double>> out(6, std::vector<double>(n));
        const int* put = is_put.data();
        const double *s = S.data(), *k = K.data(), *t = T.data(), *rr = r.data(), *qq = q.data(), *vv = v.data();
        {
          py::gil_scoped_release release;
          parallel_for_chunks(n, 4096, [&](std::size_t, std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
              const auto g = pr::black_scholes(put[i] ? pr::OptionType::put : pr::OptionType::call, s[i], k[i], t[i],
                                               rr[i], qq[i], vv[i]);
              out[0][i] = g.price;
              out[1][i] = g.delta;
              out[2][i] = g.gamma;
              out[3][i] = g.vega;
              out[4][i] = g.theta;
              out[5][i] = g.rho;
            }
          });
        }
        py::list result;
        for (const auto& col : out) result.append(to_array(col));
        return result;
      },
      py::arg("is_put"), py::arg("spot"), py::arg("strike"), py::arg("expiry"), py::arg("rate"),
      py::arg("dividend_yield"), py::arg("volatility"));
  m.def(
      "implied_volatility",
      [](const std::string& type, double price, double S, double K, double T, double r, double q) {
        return pr::implied_volatility(pr::option_type_from_string(type), price, S, K, T, r, q);
      },
      py::arg("option_type"), py::arg("price"), py::arg("spot"), py::arg("strike"), py::arg("expiry"), py::arg("rate"),
      py::arg("dividend_yield"));

  py::class_<pr::ZeroCurve>(m, "ZeroCurve")
      .def(py::init([](std::vector<double> times, std::vector<double> rates, const std::string& interpolation) {
             return pr::ZeroCurve(std::move(times), std::move(rates), pr::interpolation_from_string(interpolation));
           }),
           py::arg("times"), py::arg("zero_rates"), py::arg("interpolation") = "linear_zero")
      .def("zero_rate", [](const pr::ZeroCurve& c, double t) { return c.zero_rate(t); }, py::arg("t"))
      .def("discount", [](const pr::ZeroCurve& c, double t) { return c.discount(t); }, py::arg("t"))
      .def("forward_rate", &pr::ZeroCurve::forward_rate, py::arg("t1"), py::arg("t2"))
      .def("shifted", &pr::ZeroCurve::shifted, py::arg("shift"))
      .def_property_readonly("times", &pr::ZeroCurve::times)
      .def_property_readonly("zero_rates", &pr::ZeroCurve::zero_rates)
      .def_property_readonly("interpolation", [](const pr::ZeroCurve& c) {
        return c.interpolation() == pr::Interpolation::linear_zero ? "linear_zero" : "log_linear_discount";
      });
  m.def(
      "bootstrap_zero_curve",
      [](const std::vector<std::tuple<double, double, int, double>>& quotes, const std::string& interpolation) {
        std::vector<pr::CurveInstrument> xs;
        for (const auto& [t, c, f, p] : quotes) xs.push_back({t, c, f, p});
        return pr::bootstrap_zero_curve(xs, pr::interpolation_from_string(interpolation));
      },
      py::arg("instruments"), py::arg("interpolation"));
  m.def("deposit_price", [](double t, double rate) { return pr::deposit(t, rate).price; }, py::arg("maturity"),
        py::arg("simple_rate"));
  auto bond = [](double face, double coupon, double maturity, int frequency) {
    pr::FixedRateBond b{face, coupon, maturity, frequency};
    b.validate();
    return b;
  };
  m.def("bond_cash_flows", [bond](double face, double coupon, double maturity, int frequency) {
    return bond(face, coupon, maturity, frequency).cash_flows();
  });
  m.def("bond_price", [bond](double face, double coupon, double maturity, int frequency, const pr::ZeroCurve& c) {
    return pr::bond_price(bond(face, coupon, maturity, frequency), c);
  });
  m.def("bond_yield", [bond](double face, double coupon, double maturity, int frequency, double price) {
    return pr::bond_yield(bond(face, coupon, maturity, frequency), price);
  });
  m.def("bond_analytics", [bond](double face, double coupon, double maturity, int frequency, double y) {
    const auto a = pr::bond_analytics(bond(face, coupon, maturity, frequency), y);
    return py::dict(py::arg("price") = a.price, py::arg("yield") = a.yield, py::arg("duration") = a.duration,
                    py::arg("convexity") = a.convexity, py::arg("dv01") = a.dv01);
  });
  m.def("fx_forward_rate", &pr::fx_forward_rate, py::arg("spot"), py::arg("rate_domestic"), py::arg("rate_foreign"),
        py::arg("expiry"));
  m.def("fx_forward_value", &pr::fx_forward_value, py::arg("spot"), py::arg("strike"), py::arg("rate_domestic"),
        py::arg("rate_foreign"), py::arg("expiry"), py::arg("notional"));
}

void init_risk(py::module_& m) {
  init_pricing(m);
  m.def(
      "full_revaluation",
      [](const std::vector<double>& spots, const risk::pricing::ZeroCurve& curve,
         const std::vector<std::tuple<std::size_t, bool, double, double, double, double, double>>& options,
         const std::vector<std::tuple<double, double, int, double, double>>& bonds, const std::vector<double>& stocks,
         const Eigen::Ref<const Eigen::MatrixXd>& cov, const DoubleArray& levels, std::int64_t n_scenarios,
         std::uint64_t seed, int horizon_days, bool keep_pnl) {
        namespace pr = bankquant::risk::pricing;
        risk::Book book;
        book.spots = spots;
        book.curve = curve;
        book.stock_quantities = stocks;
        for (const auto& [u, put, K, T, vol, q, qty] : options) {
          book.options.push_back({u, put ? pr::OptionType::put : pr::OptionType::call, K, T, vol, q, qty});
        }
        for (const auto& [c, m, f, face, qty] : bonds) book.bonds.push_back({pr::FixedRateBond{face, c, m, f}, qty});
        check::integer_at_least("n_scenarios", n_scenarios, 100);
        risk::RevaluationOptions o;
        o.n_scenarios = static_cast<std::size_t>(n_scenarios);
        o.seed = seed;
        o.horizon_days = horizon_days;
        const auto ls = view_1d(levels, "level");
        risk::RevaluationResult r;
        {
          py::gil_scoped_release release;
          r = risk::full_revaluation_var_es(book, cov, ls, o);
        }
        py::dict d;
        d["base_value"] = r.base_value;
        d["estimates"] = estimates_to_list(r.estimates);
        d["pnl"] = keep_pnl ? py::object(to_array(r.pnl)) : py::object(py::none());
        return d;
      },
      py::arg("spots"), py::arg("curve"), py::arg("options"), py::arg("bonds"), py::arg("stocks"), py::arg("cov"),
      py::arg("levels"), py::arg("n_scenarios"), py::arg("seed"), py::arg("horizon_days"), py::arg("keep_pnl"));
  m.def(
      "ewma_variance",
      [](const DoubleArray& r, double lambda) {
        const auto v = risk::ewma_variance(view_1d(r, "returns"), lambda);
        return to_array(v);
      },
      py::arg("returns"), py::arg("lambda_") = 0.94);
  m.def("ewma_covariance", &risk::ewma_covariance, py::arg("returns"), py::arg("lambda_") = 0.94);

  bind_options<risk::GarchOptions>(m, "GarchOptions", "Options of the GARCH(1,1) fit (bankquant/risk/volatility.hpp).");
  bind_result<risk::GarchResult>(m, "GarchResult", "A fitted GARCH(1,1) model.")
      .def("forecast_variance", &risk::GarchResult::forecast_variance, py::arg("horizon"));
  m.def(
      "fit_garch11",
      [](const DoubleArray& r, const risk::GarchOptions& o) {
        const auto x = view_1d(r, "returns");
        py::gil_scoped_release release;
        return risk::fit_garch11(x, o);
      },
      py::arg("returns"), py::arg("options"));
  m.def(
      "garch11_log_likelihood",
      [](const DoubleArray& r, double mu, double omega, double alpha, double beta, double nu, const std::string& dist) {
        return risk::garch11_log_likelihood(view_1d(r, "returns"), mu, omega, alpha, beta, nu,
                                            enum_from_name<risk::GarchDistribution>(dist, "dist"));
      },
      py::arg("returns"), py::arg("mu"), py::arg("omega"), py::arg("alpha"), py::arg("beta"), py::arg("nu"),
      py::arg("dist"));

  m.def(
      "historical_var_es",
      [](const DoubleArray& x, const DoubleArray& levels) {
        const auto xs = view_1d(x, "x");
        const auto ls = view_1d(levels, "level");
        std::vector<risk::VarEs> out;
        {
          py::gil_scoped_release release;
          out = risk::historical_var_es(xs, ls);
        }
        return estimates_to_list(out);
      },
      py::arg("x"), py::arg("levels"));
  m.def(
      "historical_var_es_many",
      [](const py::array_t<double, py::array::c_style | py::array::forcecast>& pnl, const DoubleArray& levels) {
        if (pnl.ndim() != 2) check::fail("pnl", fmt::format("expected a 2-D array (days x portfolios), got {} dimensions", pnl.ndim()));
        const auto days = static_cast<std::size_t>(pnl.shape(0)), n = static_cast<std::size_t>(pnl.shape(1));
        const auto ls = view_1d(levels, "level");
        std::vector<std::vector<risk::VarEs>> r;
        {
          py::gil_scoped_release release;
          r = risk::historical_var_es_many({pnl.data(), days * n}, days, n, ls);
        }
        py::array_t<double> out({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(ls.size()), py::ssize_t{2}});
        auto* o = out.mutable_data();
        for (std::size_t p = 0; p < n; ++p) {
          for (std::size_t k = 0; k < ls.size(); ++k) {
            o[(p * ls.size() + k) * 2] = r[p][k].var;
            o[(p * ls.size() + k) * 2 + 1] = r[p][k].es;
          }
        }
        return out;
      },
      py::arg("pnl"), py::arg("levels"));
  m.def(
      "age_weighted_var_es",
      [](const DoubleArray& x, const DoubleArray& levels, double lambda) {
        return estimates_to_list(risk::age_weighted_var_es(view_1d(x, "x"), view_1d(levels, "level"), lambda));
      },
      py::arg("x"), py::arg("levels"), py::arg("lambda_"));
  m.def(
      "normal_var_es",
      [](double mean, double sd, const DoubleArray& levels) {
        return estimates_to_list(risk::normal_var_es(mean, sd, view_1d(levels, "level")));
      },
      py::arg("mean"), py::arg("sd"), py::arg("levels"));
  m.def(
      "student_t_var_es",
      [](double mean, double scale, double nu, const DoubleArray& levels) {
        return estimates_to_list(risk::student_t_var_es(mean, scale, nu, view_1d(levels, "level")));
      },
      py::arg("mean"), py::arg("scale"), py::arg("nu"), py::arg("levels"));
  m.def(
      "cornish_fisher_var_es",
      [](double mean, double sd, double skew, double kurt, const DoubleArray& levels) {
        return estimates_to_list(risk::cornish_fisher_var_es(mean, sd, skew, kurt, view_1d(levels, "level")));
      },
      py::arg("mean"), py::arg("sd"), py::arg("skewness"), py::arg("excess_kurtosis"), py::arg("levels"));
  m.def(
      "filtered_returns",
      [](const DoubleArray& x, const DoubleArray& variance, double next_variance) {
        const auto v = risk::filtered_returns(view_1d(x, "x"), view_1d(variance, "variance"), next_variance);
        return to_array(v);
      },
      py::arg("x"), py::arg("variance"), py::arg("next_variance"));

  m.def(
      "monte_carlo_var_es",
      [](const Eigen::Ref<const Eigen::VectorXd>& weights, const Eigen::Ref<const Eigen::MatrixXd>& cov,
         const DoubleArray& levels, std::int64_t n_scenarios, const std::string& dist, double nu,
         std::uint64_t seed, bool antithetic, const std::string& psd_repair, bool keep_pnl, bool full_factor,
         std::int64_t tile) {
        risk::MonteCarloOptions o;
        check::integer_at_least("n_scenarios", n_scenarios, 100);
        o.n_scenarios = static_cast<std::size_t>(n_scenarios);
        if (dist != "normal" && dist != "t") check::fail("dist", fmt::format("expected 'normal' or 't', got '{}'", dist));
        o.distribution = dist == "t" ? risk::ScenarioDistribution::student_t : risk::ScenarioDistribution::normal;
        o.nu = nu;
        o.seed = seed;
        o.antithetic = antithetic;
        o.full_factor = full_factor;
        check::integer_at_least("tile", tile, 1);
        o.tile = static_cast<std::size_t>(tile);
        if (psd_repair != "error" && psd_repair != "nearest") {
          check::fail("psd_repair", fmt::format("expected 'error' or 'nearest', got '{}'", psd_repair));
        }
        o.psd_repair = psd_repair == "nearest" ? risk::PsdRepair::nearest : risk::PsdRepair::error;
        const auto ls = view_1d(levels, "level");
        risk::MonteCarloResult r;
        {
          py::gil_scoped_release release;
          r = risk::monte_carlo_var_es(weights, cov, ls, o);
        }
        py::dict d;
        d["estimates"] = estimates_to_list(r.estimates);
        d["repaired"] = r.repaired;
        d["repair_distance"] = r.repair_distance;
        d["pnl"] = keep_pnl ? py::object(to_array(r.pnl))
                            : py::object(py::none());
        return d;
      },
      py::arg("weights"), py::arg("cov"), py::arg("levels"), py::arg("n_scenarios"), py::arg("dist"), py::arg("nu"),
      py::arg("seed"), py::arg("antithetic"), py::arg("psd_repair"), py::arg("keep_pnl"), py::arg("full_factor") = false,
      py::arg("tile") = 256);
  m.def("nearest_psd", &risk::nearest_psd, py::arg("matrix"));
  m.def(
      "delta_gamma",
      [](const Eigen::Ref<const Eigen::VectorXd>& delta, const Eigen::Ref<const Eigen::MatrixXd>& gamma,
         const Eigen::Ref<const Eigen::MatrixXd>& cov, const DoubleArray& levels, std::int64_t n_scenarios,
         std::uint64_t seed) {
        const auto form = risk::delta_gamma_form(delta, gamma, cov);
        py::dict d;
        d["kappa"] = py::make_tuple(form.kappa[1], form.kappa[2], form.kappa[3], form.kappa[4]);
        d["lambda"] = form.lambda;
        d["d"] = form.d;
        if (n_scenarios > 0) {
          const auto ls = view_1d(levels, "level");
          std::vector<risk::VarEs> mc;
          {
            py::gil_scoped_release release;
            mc = risk::delta_gamma_monte_carlo(form, ls, static_cast<std::size_t>(n_scenarios), seed);
          }
          d["monte_carlo"] = estimates_to_list(mc);
        }
        return d;
      },
      py::arg("delta"), py::arg("gamma"), py::arg("cov"), py::arg("levels"), py::arg("n_scenarios"), py::arg("seed"));
  m.def(
      "delta_gamma_importance_sampling",
      [](const Eigen::Ref<const Eigen::VectorXd>& delta, const Eigen::Ref<const Eigen::MatrixXd>& gamma,
         const Eigen::Ref<const Eigen::MatrixXd>& cov, const DoubleArray& levels, std::int64_t n_scenarios,
         std::uint64_t seed, double target_loss) {
        const auto form = risk::delta_gamma_form(delta, gamma, cov);
        check::integer_at_least("n_scenarios", n_scenarios, 100);
        const auto ls = view_1d(levels, "level");
        std::vector<risk::VarEs> out;
        {
          py::gil_scoped_release release;
          out = risk::delta_gamma_importance_sampling(form, ls, static_cast<std::size_t>(n_scenarios), seed, target_loss);
        }
        return estimates_to_list(out);
      },
      py::arg("delta"), py::arg("gamma"), py::arg("cov"), py::arg("levels"), py::arg("n_scenarios"), py::arg("seed"),
      py::arg("target_loss"));

  m.def("kupiec", [](std::size_t x, std::size_t n, double level) { return test_to_dict(risk::kupiec(x, n, level)); },
        py::arg("exceptions"), py::arg("n"), py::arg("level"));
  m.def("binomial_test",
        [](std::size_t x, std::size_t n, double level) { return test_to_dict(risk::binomial_test(x, n, level)); },
        py::arg("exceptions"), py::arg("n"), py::arg("level"));
  m.def("tuff", [](std::size_t first, std::size_t n, double level) { return test_to_dict(risk::tuff(first, n, level)); },
        py::arg("first_failure"), py::arg("n"), py::arg("level"));
  m.def(
      "christoffersen",
      [](const py::array_t<int, py::array::c_style | py::array::forcecast>& e, double level) {
        if (e.ndim() != 1) check::fail("exception_series", "expected a 1-D array");
        const auto r = risk::christoffersen({e.data(), static_cast<std::size_t>(e.shape(0))}, level);
        py::dict d;
        d["independence"] = test_to_dict(r.independence);
        d["conditional_coverage"] = test_to_dict(r.conditional_coverage);
        d["transitions"] = py::make_tuple(r.n00, r.n01, r.n10, r.n11);
        return d;
      },
      py::arg("exception_series"), py::arg("level"));
  m.def(
      "traffic_light",
      [](std::size_t x, std::size_t n, double level) {
        const auto t = risk::traffic_light(x, n, level);
        return py::make_tuple(t.zone, t.cumulative_probability, t.plus_factor < 0 ? py::object(py::none())
                                                                                   : py::object(py::float_(t.plus_factor)));
      },
      py::arg("exceptions"), py::arg("n"), py::arg("level"));
}

}  // namespace bankquant::python
