"""Property tests of bq.staffing: every public callable, generated and awkward inputs give a valid
result or the library's own error naming the argument."""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bankquant as bq

from .support import BAD_SCALARS, BAD_VECTORS, FAST as _FAST, any_vectors, check, covers, integer_forms, scalar_forms, \
    vector_forms

S = bq.staffing
# Hypothesis' data-size health check trips on these strategies (wide float ranges); the examples are small.
FAST = settings(_FAST, suppress_health_check=list(_FAST.suppress_health_check) + [HealthCheck.data_too_large])

covers("staffing.erlang_b", "staffing.erlang_c", "staffing.erlang_a", "staffing.required_servers",
       "staffing.pooled_requirement", "staffing.forecast_models", "staffing.staffing_requirements",
       "staffing.ShiftTemplate", "staffing.ShiftBreak", "staffing.Contract", "staffing.requirement_grid",
       "staffing.solve_roster", "staffing.simulate", "staffing.plot_coverage", "staffing.plot_shifts",
       "staffing.plot_service_level")

ANY_FLOAT = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(BAD_SCALARS))
RATE = st.floats(0, 500)
TIME = st.floats(1e-3, 100)




@FAST
@given(RATE, TIME, st.integers(1, 2000), st.floats(0, 10))
def test_erlang_c_is_a_probability_or_a_named_error(lam, s, n, t):
    r = check(lambda: S.erlang_c(lam, s, n, t), ["servers", "arrival_rate", "service_time"])
    if r is None:
        assert lam * s >= n - 1e-9
        return
    for v in (r.prob_wait, r.service_level, r.occupancy):
        assert 0 <= v <= 1
    assert r.asa >= 0 and math.isfinite(r.asa)
    # Forms of the same numbers give the same answer.
    for lf in [f for f in scalar_forms(lam) if not isinstance(f, np.float32)]:  # float32 would change the value
        for nf in integer_forms(n)[:4]:
            assert S.erlang_c(lf, s, nf, t).service_level == r.service_level


@FAST
@given(RATE, TIME, st.floats(1e-3, 1e3), st.integers(1, 300), st.floats(0, 10))
def test_erlang_a_is_always_stable(lam, s, p, n, t):
    r = check(lambda: S.erlang_a(lam, s, p, n, t), ["patience", "servers"])
    if r is None:
        return
    assert 0 <= r.prob_abandon <= r.prob_wait <= 1 + 1e-12
    assert 0 <= r.service_level <= 1 and r.asa >= 0


@FAST
@given(ANY_FLOAT, ANY_FLOAT, ANY_FLOAT)
def test_erlang_bad_scalars_are_named(a, b, c):
    names = ["arrival_rate", "service_time", "servers", "target_time", "patience"]
    check(lambda: S.erlang_c(a, b, 3, c), names)
    check(lambda: S.erlang_a(a, 1.0, b, 3, c), names)
    check(lambda: S.erlang_b(a, 3), ["load"])
    check(lambda: S.erlang_b(1.0, b), ["servers"])


@FAST
@given(st.floats(0, 1e4), st.integers(0, 5000))
def test_erlang_b_is_a_decreasing_probability(a, n):
    b = S.erlang_b(a, n)
    assert 0 <= b <= 1
    assert S.erlang_b(a, n + 1) <= b + 1e-15


@FAST
@given(st.floats(0, 300), TIME, st.floats(0.05, 0.99), st.floats(0, 2))
def test_required_servers_meets_the_target(lam, s, sl, t):
    n = check(lambda: S.required_servers(lam, s, sl, t), ["service_level", "arrival_rate", "max_servers"])
    if n is None:
        return
    if lam == 0:
        assert n == 0
    else:
        assert S.erlang_c(lam, s, n, t).service_level >= sl - 1e-12


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
def test_required_servers_bad_vectors(bad):
    out = check(lambda: S.required_servers(bad, 1.0, 0.8, 0.2), ["arrival_rate"])
    if out is not None:
        assert np.all(np.asarray(out) >= 0)


@pytest.mark.parametrize("bad", BAD_SCALARS, ids=repr)
def test_required_servers_bad_options(bad):
    names = ["service_time", "service_level", "target_time", "patience", "max_asa", "max_occupancy",
             "max_abandon", "shrinkage", "peakedness", "service_scv", "max_servers", "arrival_rate"]
    for kw in ["patience", "max_asa", "max_occupancy", "max_abandon", "shrinkage", "peakedness", "service_scv",
               "max_servers"]:
        out = check(lambda: S.required_servers(5.0, 1.0, 0.8, 0.2, **{kw: bad}), names)
        assert out is None or out >= 0
    check(lambda: S.required_servers(5.0, bad, 0.8, 0.2), names)
    check(lambda: S.required_servers(5.0, 1.0, bad, 0.2), names)
    check(lambda: S.required_servers(bad, 1.0, 0.8, 0.2), names)


@FAST
@given(st.lists(st.floats(0, 50), min_size=1, max_size=4), st.floats(0.1, 20))
def test_pooled_requirement_never_exceeds_separate_queues_by_much(rates, s):
    times = [s * (k + 1) for k in range(len(rates))]
    p = check(lambda: S.pooled_requirement(rates, times, target_time=0.5), ["max_servers", "arrival_rates"])
    if p is None:
        return
    assert sum(p.servers_by_service) == p.servers
    assert p.servers <= p.separate_total + 1


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
def test_pooled_requirement_bad_vectors(bad):
    names = ["arrival_rates", "service_times", "service_scvs"]
    check(lambda: S.pooled_requirement(bad, [1.0, 2.0]), names)
    check(lambda: S.pooled_requirement([1.0, 2.0], bad), names)
    check(lambda: S.pooled_requirement([1.0, 2.0], [1.0, 2.0], bad), names)


def frame(mean, size=None, freq="5min"):
    f = pd.DataFrame({"unique_id": "x", "ds": pd.date_range("2024-03-01 08:00", periods=len(mean), freq=freq),
                      "m": mean})
    if size is not None:
        f["m-size"] = size
    return f


@FAST
@given(st.lists(st.floats(0, 200), min_size=1, max_size=30), st.sampled_from(["mean", "quantile", "mixture"]),
       st.sampled_from(["sipp", "lagged_sipp"]), st.one_of(st.none(), st.floats(0.5, 1e6)))
def test_staffing_requirements_meet_their_targets(mean, use, method, size):
    f = frame(mean, None if size is None else [size] * len(mean))
    if use == "mixture" and size is None:
        assert check(lambda: S.staffing_requirements(f, service_time=2.0, use=use), ["forecast"]) is None
        return
    r = check(lambda: S.staffing_requirements(f, service_time=2.0, use=use, period_method=method,
                                              interval_length=None if len(mean) > 1 else 5.0),
              ["max_servers", "forecast", "interval_length"])
    if r is None:
        return
    assert len(r) == len(mean) and (r["staff"] >= r["servers"]).all() and (r["servers"] >= 0).all()
    assert (r["service_level"] >= 0.8 - 1e-9).all()


@pytest.mark.parametrize("bad", BAD_VECTORS + [[-1.0, 2.0]], ids=repr)
def test_staffing_requirements_bad_means_and_sizes(bad):
    values = np.atleast_1d(np.asarray(pd.Series(bad) if isinstance(bad, pd.Series) else bad, dtype=object))
    if values.ndim != 1 or values.size == 0:
        return
    f = frame([1.0] * values.size)
    f["m"] = values
    check(lambda: S.staffing_requirements(f, service_time=1.0, interval_length=5.0), ["forecast"])
    g = frame([1.0] * values.size, size=values)
    check(lambda: S.staffing_requirements(g, service_time=1.0, interval_length=5.0, use="mixture"), ["forecast"])


@pytest.mark.parametrize("bad", BAD_SCALARS + [0.0, -1.0], ids=repr)
def test_staffing_requirements_bad_scalars(bad):
    f = frame([10.0, 20.0, 30.0])
    names = ["service_time", "quantile", "service_level", "target_time", "patience", "interval_length",
             "use", "period_method", "model", "max_asa", "shrinkage", "max_servers"]
    for kw in ["service_time", "quantile", "service_level", "target_time", "patience", "interval_length", "use",
               "period_method", "model", "shrinkage"]:
        args = {"service_time": 1.0, kw: bad}
        if kw == "quantile":
            args["use"] = "quantile"
        check(lambda: S.staffing_requirements(f, **args), names)


def test_forecast_models_and_requirement_grid_on_awkward_frames():
    assert S.forecast_models(pd.DataFrame({"unique_id": [], "ds": []})) == []
    for bad in [None, [1, 2], np.zeros(3), "frame"]:
        assert check(lambda: S.forecast_models(bad), ["forecast"]) is None
        assert check(lambda: S.requirement_grid(bad), ["requirements"]) is None
    assert check(lambda: S.requirement_grid(pd.DataFrame({"ds": [1, 2], "staff": [1, 2]})), ["requirements"]) is None
    g = S.requirement_grid(pd.DataFrame({"ds": pd.to_datetime(["2024-01-01 09:00", "2024-01-02 09:30"]),
                                         "staff": [1, 2]}))
    assert g.shape == (2, 2) and g.to_numpy().sum() == 3
    assert check(lambda: S.requirement_grid(pd.DataFrame({"ds": g.index, "staff": 1}), freq="fortnight"), ["freq"]) is None


@FAST
@given(st.lists(st.integers(0, 6), min_size=1, max_size=12), st.integers(1, 6), st.integers(1, 3))
def test_solve_roster_covers_or_names_the_cause(need, length, step):
    t = S.ShiftTemplate(name="t", length=length, earliest_start=0, latest_start=max(0, len(need) - length),
                        start_step=step)
    r = check(lambda: S.solve_roster(np.array([need], dtype=float), [t], time_limit=10),
              ["requirement", "templates", "latest_start", "length", "start_step"])
    if r is None:
        return
    assert (r.working_grid.to_numpy().ravel() >= np.array(need) - 1e-9).all()
    assert r.lp_bound <= r.cost + 1e-6


@pytest.mark.parametrize("bad", BAD_SCALARS + [0, -3], ids=repr)
def test_roster_records_and_options_refuse_bad_values_by_name(bad):
    for field in ["length", "earliest_start", "latest_start", "start_step", "cost_per_interval"]:
        check(lambda: S.ShiftTemplate(**{field: bad}), [field])
    for field in ["length", "earliest_start", "latest_start", "paid"]:
        check(lambda: S.ShiftBreak(**{field: bad}), [field])
    for field in ["min_days", "max_days", "max_head_count", "name"]:
        check(lambda: S.Contract(**{field: bad}), [field])
    t = [S.ShiftTemplate(name="t", length=2, earliest_start=0, latest_start=2)]
    need = np.ones((1, 4))
    for kw in ["under_cover_penalty", "max_head_count", "budget", "relative_gap", "time_limit"]:
        out = check(lambda: S.solve_roster(need, t, **{kw: bad}), [kw, "max_head_count", "budget"])
        assert out is None or out.cost >= 0
    for kw in ["open", "min_staff", "max_staff"]:
        check(lambda: S.solve_roster(need, t, **{kw: bad}), [kw])
    check(lambda: S.solve_roster(bad, t), ["requirement"])
    check(lambda: S.solve_roster(need, bad), ["templates"])


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
def test_solve_roster_bad_requirements(bad):
    t = [S.ShiftTemplate(name="t", length=1, earliest_start=0, latest_start=2)]
    out = check(lambda: S.solve_roster(bad, t), ["requirement", "days", "intervals_per_day"])
    assert out is None or out.cost >= 0


@FAST
@given(st.lists(st.floats(0, 30), min_size=1, max_size=20), st.integers(0, 40), st.integers(0, 2**64 - 1),
       st.floats(0.2, 5), st.one_of(st.just(np.inf), st.floats(0.1, 10)))
def test_simulate_gives_probabilities(rates, staff, seed, s, patience):
    out = check(lambda: S.simulate(rates, [staff] * len(rates), service_time=s, patience=patience, seed=seed,
                                   replications=3), ["staff"])
    assert out is not None
    f = out.frame
    assert len(f) == len(rates)
    for col in ["service_level", "abandonment", "utilization"]:
        v = f[col].dropna().to_numpy()
        assert ((v >= -1e-12) & (v <= 1 + 1e-12)).all()


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
def test_simulate_bad_vectors(bad):
    names = ["arrival_rates", "staff", "size", "period_starts", "wait_quantiles"]
    check(lambda: S.simulate(bad, [1, 1, 1], service_time=1.0, replications=2), names)
    check(lambda: S.simulate([1.0, 1.0, 1.0], bad, service_time=1.0, replications=2), names)
    check(lambda: S.simulate([1.0, 1.0, 1.0], [1, 1, 1], service_time=1.0, size=bad, replications=2), names)
    check(lambda: S.simulate([1.0, 1.0, 1.0], [1, 1, 1], service_time=1.0, period_starts=bad, replications=2), names)
    check(lambda: S.simulate([1.0, 1.0, 1.0], [1, 1, 1], service_time=1.0, wait_quantiles=bad, replications=2), names)


@pytest.mark.parametrize("bad", BAD_SCALARS + [0.0, -1.0], ids=repr)
def test_simulate_bad_scalars(bad):
    names = ["service_time", "patience", "service_cv", "interval_length", "replications", "seed", "target_time",
             "confidence", "warmup_intervals", "peakedness", "service_distribution"]
    # 1e308 as a time makes the expected customer count overflow: refused naming the rates.
    allowed = names + ["arrival_rates"]
    for kw in names:
        args = {"service_time": 1.0, "replications": 2, kw: bad}
        out = check(lambda: S.simulate([1.0, 2.0], [2, 2], **args), allowed)
        if out is not None:
            assert len(out.frame) == 2


def test_plots_refuse_what_they_cannot_draw():
    for bad in [None, 3, pd.DataFrame()]:
        assert check(lambda: S.plot_coverage(bad), ["roster"]) is None
        assert check(lambda: S.plot_shifts(bad), ["roster"]) is None
        assert check(lambda: S.plot_service_level(bad), ["simulation"]) is None
