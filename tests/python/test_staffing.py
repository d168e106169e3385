"""bq.staffing from Python: the issue's API contract against references, the forecast frame, rosters
against python3-pulp + CBC, the simulator against Erlang C/A, and the bad inputs the issue lists.

References: mpmath 1.3 (Erlang C from its closed form at 50 digits), numpy/scipy (the Erlang A
birth-death chain solved densely), the published Erlang B table (e.g. Cooper, Introduction to
Queueing Theory, table: B(10, 10) = 0.21458), pyworkforce's documented example, python3-pulp 2.6
with Debian's CBC 2.10 (/usr/bin/cbc) on the same roster model (without breaks, and with a lunch window
modelled explicitly).
"""
import math
import warnings

import mpmath
import numpy as np
import pandas as pd
import pytest

import bankquant as bq

S = bq.staffing


# --- Queues -------------------------------------------------------------------------------------

def erlang_c_mpmath(lam, s, n, t):
    """The textbook closed form at 50 digits: C = (a^n/n! n/(n-a)) / (sum_{k<n} a^k/k! + a^n/n! n/(n-a))."""
    mpmath.mp.dps = 50
    a = mpmath.mpf(lam) * s
    top = a ** n / mpmath.factorial(n) * n / (n - a)
    c = top / (mpmath.fsum(a ** k / mpmath.factorial(k) for k in range(n)) + top)
    sl = 1 - c * mpmath.exp(-(n - a) * t / s)
    return float(c), float(c * s / (n - a)), float(sl)


@pytest.mark.parametrize("lam,s,n,t", [(100 / 30, 3.0, 14, 1 / 3), (10.0, 1.0, 12, 0.2), (95.0, 1.0, 100, 0.05),
                                       (0.5, 2.0, 2, 1.0), (480.0, 2.0, 1000, 0.1)])
def test_erlang_c_equals_the_closed_form_at_50_digits(lam, s, n, t):
    r = S.erlang_c(lam, s, n, t)
    c, asa, sl = erlang_c_mpmath(lam, s, n, t)
    assert r.prob_wait == pytest.approx(c, abs=1e-9)
    assert r.asa == pytest.approx(asa, abs=1e-9)
    assert r.service_level == pytest.approx(sl, abs=1e-9)
    assert r.occupancy == pytest.approx(lam * s / n, abs=1e-12)


def test_erlang_c_keyword_contract_and_pyworkforce_example():
    # pyworkforce's README: 100 calls per 30 minutes, AHT 3 min, 14 agents -> 0.88835 within 20 s.
    r = S.erlang_c(arrival_rate=100 / 30, service_time=3.0, servers=14, target_time=1 / 3)
    assert r.service_level == pytest.approx(0.88835, abs=1e-5)
    assert set(r.to_dict()) >= {"prob_wait", "asa", "service_level", "occupancy"}


@pytest.mark.parametrize("load,n,published", [(10.0, 10, 0.21458), (5.0, 10, 0.01838), (20.0, 30, 0.00846),
                                              (1.0, 2, 0.2)])
def test_erlang_b_equals_the_published_table(load, n, published):
    assert S.erlang_b(load, n) == pytest.approx(published, abs=6e-6)


def erlang_a_dense(lam, s, theta_mean, n, t, states=400):
    """The M/M/n+M chain truncated at n + states, its stationary law by a dense linear solve."""
    mu, theta = 1 / s, 1 / theta_mean
    m = n + states + 1
    q = np.zeros((m, m))
    for k in range(m - 1):
        q[k, k + 1] = lam
        q[k + 1, k] = min(k + 1, n) * mu + max(k + 1 - n, 0) * theta
    q -= np.diag(q.sum(axis=1))
    a = np.vstack([q.T, np.ones(m)])
    b = np.zeros(m + 1)
    b[-1] = 1
    pi = np.linalg.lstsq(a, b, rcond=None)[0]
    queue = np.maximum(np.arange(m) - n, 0)
    prob_abandon = theta * (pi * queue).sum() / lam
    return float(pi[n:].sum()), float(prob_abandon)


@pytest.mark.parametrize("lam,s,p,n", [(10.0, 1.0, 2.0, 10), (12.0, 1.0, 0.5, 10), (3.0, 2.0, 5.0, 5)])
def test_erlang_a_equals_the_dense_birth_death_chain(lam, s, p, n):
    r = S.erlang_a(lam, s, p, n, 0.2)
    prob_wait, prob_abandon = erlang_a_dense(lam, s, p, n, 0.2)
    assert r.prob_wait == pytest.approx(prob_wait, abs=1e-9)
    assert r.prob_abandon == pytest.approx(prob_abandon, abs=1e-9)
    assert 0 < r.service_level < 1 and r.asa > 0


def test_erlang_a_tends_to_erlang_c_with_long_patience():
    c = S.erlang_c(8.0, 1.0, 10, 0.1)
    a = S.erlang_a(8.0, 1.0, 1e6, 10, 0.1)
    assert a.prob_wait == pytest.approx(c.prob_wait, abs=1e-4)
    assert a.service_level == pytest.approx(c.service_level, abs=1e-4)


def test_required_servers_is_the_smallest_meeting_the_target():
    for lam in [0.5, 3.3, 10.0, 47.0, 300.0]:
        n = S.required_servers(lam, 1.0, 0.8, 1 / 3)
        assert isinstance(n, int)
        assert S.erlang_c(lam, 1.0, n, 1 / 3).service_level >= 0.8
        if n - 1 > lam:
            assert S.erlang_c(lam, 1.0, n - 1, 1 / 3).service_level < 0.8
    out = S.required_servers(pd.Series([2.0, 20.0], index=["a", "b"]), 1.0, 0.8, 0.2)
    assert list(out.index) == ["a", "b"] and out.dtype == np.int64
    # Erlang A needs fewer servers (abandoners relieve the queue), shrinkage more staff.
    assert S.required_servers(20.0, 1.0, 0.8, 0.2, patience=1.0) <= S.required_servers(20.0, 1.0, 0.8, 0.2)


def test_pooled_requirement_saves_servers():
    p = S.pooled_requirement([2.0, 1.0, 0.5], [3.0, 6.0, 10.0], service_level=0.8, target_time=1.0)
    assert sum(p.servers_by_service) == p.servers and p.servers < p.separate_total
    assert p.service_scv > 1
    frame = S.pooled_requirement(pd.DataFrame({"deposit": [2.0, 4.0], "loan": [1.0, 2.0]}), [3.0, 6.0],
                                 target_time=1.0)
    assert list(frame.columns[-2:]) == ["servers_deposit", "servers_loan"]
    assert (frame["servers"] <= frame["separate_total"]).all()


def test_pooled_mixture_of_tiny_rates_keeps_its_handling_time():
    # Found by the property tests: a subnormal arrival rate times the handling time underflowed to
    # a 0-minute mixture (an error naming an internal field); the mixture is weighted by shares.
    p = S.pooled_requirement([5e-324], [0.25], target_time=0.5)
    assert p.service_time == 0.25 and p.servers >= 0
    q = S.pooled_requirement([1e-300, 1e-300], [2.0, 4.0], target_time=0.5)
    assert q.service_time == pytest.approx(3.0) and list(q.load_share) == pytest.approx([1 / 3, 2 / 3])


# --- Bad input the issue lists ------------------------------------------------------------------

def test_unstable_queue_says_how_many_servers_it_needs():
    with pytest.raises(bq.InvalidArgumentError, match=r"servers.*(\b11\b|at least 11|more than 10)") as e:
        S.erlang_c(10.0, 1.0, 10, 0.2)
    assert "'servers'" in str(e.value)


@pytest.mark.parametrize("call,name", [
    (lambda: S.erlang_c(1.0, 0.0, 2, 0.1), "service_time"),
    (lambda: S.erlang_c(1.0, -1.0, 2, 0.1), "service_time"),
    (lambda: S.erlang_a(1.0, 1.0, 0.0, 2, 0.1), "patience"),
    (lambda: S.erlang_a(1.0, 1.0, -2.0, 2, 0.1), "patience"),
    (lambda: S.required_servers(1.0, 1.0, 1.0, 0.1), "service_level"),
    (lambda: S.required_servers(1.0, 1.0, -0.1, 0.1), "service_level"),
    (lambda: S.required_servers(1.0, 1.0, 0.8, 0.1, max_occupancy=1.5), "max_occupancy"),
    (lambda: S.required_servers(1.0, 1.0, 0.8, 0.1, shrinkage=1.0), "shrinkage"),
    (lambda: S.required_servers([1.0, np.nan], 1.0, 0.8, 0.1), "arrival_rate"),
    (lambda: S.erlang_c("ten", 1.0, 2, 0.1), "arrival_rate"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises(bq.InvalidArgumentError, match=f"'{name}'"):
        call()


# --- The forecast frame -------------------------------------------------------------------------

def call_centre_forecast(days=5):
    """A forecast frame of the agreed shape from the bundled call-centre data: hour-of-day means of
    the first weeks per 5-minute slot (the 'model' HourMean), Poisson (no size) and, for a
    count-aware column, a negative-binomial size fitted by moments across days."""
    calls = bq.datasets.bank_call_centre()
    slot = calls["timestamp"].dt.strftime("%H:%M")
    history = calls[calls["timestamp"] < "2003-04-01"]
    stats = history.groupby(slot[history.index])["calls"].agg(["mean", "var"])
    future = calls[(calls["timestamp"] >= "2003-04-01")]
    future = future[future["timestamp"].dt.normalize().isin(future["timestamp"].dt.normalize().unique()[:days])]
    key = future["timestamp"].dt.strftime("%H:%M")
    mean = stats["mean"].reindex(key).to_numpy()
    var = stats["var"].reindex(key).to_numpy()
    size = np.where(var > mean, mean ** 2 / np.maximum(var - mean, 1e-9), np.inf)
    frame = pd.DataFrame({"unique_id": "call_centre", "ds": future["timestamp"].to_numpy(), "HourMean": mean,
                          "HourMean-size": size})
    return frame, future["calls"].to_numpy()


def test_requirements_from_the_call_centre_forecast_frame():
    f, actual = call_centre_forecast(2)
    r = S.staffing_requirements(f, service_time=3.5, service_level=0.8, target_time=1 / 3)
    assert list(r.columns[:2]) == ["unique_id", "ds"] and len(r) == len(f) == 2 * 169
    # Rates per minute from 5-minute counts; every interval meets its target at its servers.
    np.testing.assert_allclose(r["arrival_rate"], f["HourMean"] / 5.0)
    assert (r["service_level"] >= 0.8 - 1e-12).all()
    expected = S.required_servers(f["HourMean"].to_numpy() / 5.0, 3.5, 0.8, 1 / 3)
    np.testing.assert_array_equal(r["servers"].to_numpy(), expected)
    # Quantile and mixture staff at least as many as the mean where the forecast is over-dispersed.
    q = S.staffing_requirements(f, service_time=3.5, use="quantile", quantile=0.9)
    m = S.staffing_requirements(f, service_time=3.5, use="mixture")
    assert (q["servers"] >= r["servers"]).all() and (m["servers"] >= r["servers"]).all()
    assert m["servers"].sum() > r["servers"].sum()
    # Erlang A with patience staffs no more than Erlang C; lagged SIPP differs at the morning ramp.
    a = S.staffing_requirements(f, service_time=3.5, patience=2.0)
    assert (a["servers"] <= r["servers"]).all() and (a["prob_abandon"] > 0).any()
    lag = S.staffing_requirements(f, service_time=3.5, period_method="lagged_sipp")
    assert lag["servers"].iloc[0] < r["servers"].iloc[0]


def test_requirements_for_several_series_start_each_empty():
    f, _ = call_centre_forecast(1)
    two = pd.concat([f.assign(unique_id="b"), f.assign(unique_id="a")])
    r = S.staffing_requirements(two, model="HourMean", service_time=3.5, period_method="lagged_sipp")
    assert list(r["unique_id"].unique()) == ["a", "b"]
    np.testing.assert_array_equal(r.loc[r.unique_id == "a", "servers"].to_numpy(),
                                  r.loc[r.unique_id == "b", "servers"].to_numpy())


def test_forecast_frame_without_the_needed_columns_is_named():
    f, _ = call_centre_forecast(1)
    with pytest.raises(bq.InvalidArgumentError, match="'forecast'"):
        S.staffing_requirements(f.drop(columns="ds"), service_time=3.0)
    with pytest.raises(bq.InvalidArgumentError, match="'forecast'.*HourMean-size"):
        S.staffing_requirements(f.drop(columns="HourMean-size"), service_time=3.0, use="mixture")
    with pytest.raises(bq.InvalidArgumentError, match="'model'"):
        S.staffing_requirements(f.assign(Other=1.0), service_time=3.0)
    with pytest.raises(bq.InvalidArgumentError, match="'model'"):
        S.staffing_requirements(f, service_time=3.0, model="ETS")
    with pytest.raises(bq.InvalidArgumentError, match="'forecast'"):
        S.staffing_requirements(f.assign(HourMean=np.nan), service_time=3.0)
    with pytest.raises(bq.InvalidArgumentError, match="'forecast'"):
        S.staffing_requirements(f.to_numpy(), service_time=3.0)
    with pytest.raises(bq.InvalidArgumentError, match="'interval_length'"):
        S.staffing_requirements(f.assign(ds=np.arange(len(f))), service_time=3.0)


# --- Rosters ------------------------------------------------------------------------------------

def pulp_roster_cost(need, length, starts):
    """The same covering model in python3-pulp with Debian's CBC binary (one template, no breaks)."""
    import pulp

    prob = pulp.LpProblem("roster", pulp.LpMinimize)
    x = {s: pulp.LpVariable(f"x{s}", lowBound=0, cat="Integer") for s in starts}
    prob += pulp.lpSum(length * x[s] for s in starts)
    for t, r in enumerate(need):
        prob += pulp.lpSum(x[s] for s in starts if s <= t < s + length) >= r
    assert prob.solve(pulp.COIN_CMD(path="/usr/bin/cbc", msg=False)) == pulp.LpStatusOptimal
    return pulp.value(prob.objective)


def test_roster_equals_pulp_cbc_on_the_same_model():
    f, _ = call_centre_forecast(1)
    req = S.staffing_requirements(f, service_time=3.5)
    need = req["staff"].to_numpy()[::3].astype(float)  # 15-minute grid of one day (57 intervals)
    template = S.ShiftTemplate(name="six_hours", length=24, earliest_start=0, latest_start=len(need) - 24)
    r = S.solve_roster(need.reshape(1, -1), [template], relative_gap=0.0, time_limit=60)
    assert r.status.code == "converged"
    assert r.cost == pytest.approx(pulp_roster_cost(need, 24, range(len(need) - 23)))
    assert (r.working_grid.to_numpy().ravel() >= need).all()
    assert r.lp_bound <= r.cost + 1e-9 and r.gap <= 1e-9
    table = r.shift_table
    assert len(table) == len(r.shifts) and set(table["template"]) == {"six_hours"}


def pulp_roster_with_breaks_cost(need, templates):
    """One day's roster in python3-pulp + CBC with breaks modelled explicitly (Dantzig 1954: a column
    per shift start and break start), templates as (length, latest_start, cost per paid interval,
    break or None) with break = (length, earliest offset, latest offset), unpaid."""
    import pulp

    prob = pulp.LpProblem("roster_breaks", pulp.LpMinimize)
    cover = [[] for _ in need]
    cost = []
    for k, (length, latest, price, brk) in enumerate(templates):
        offsets = [None] if brk is None else range(brk[1], brk[2] + 1)
        paid = length - (0 if brk is None else brk[0])
        for s in range(latest + 1):
            for b in offsets:
                v = pulp.LpVariable(f"x{k}_{s}_{b}", lowBound=0, cat="Integer")
                cost.append(price * paid * v)
                for t in range(s, s + length):
                    if b is None or not (s + b <= t < s + b + brk[0]):
                        cover[t].append(v)
    prob += pulp.lpSum(cost)
    for t, r in enumerate(need):
        prob += pulp.lpSum(cover[t]) >= r
    assert prob.solve(pulp.COIN_CMD(path="/usr/bin/cbc", msg=False)) == pulp.LpStatusOptimal
    return pulp.value(prob.objective)


def test_roster_with_breaks_equals_pulp_cbc_with_explicit_breaks():
    # The implicit break model (Bechtold and Jacobs) has the optimum of the explicit one.
    f, _ = call_centre_forecast(1)
    req = S.staffing_requirements(f, service_time=3.5)
    need = req["staff"].to_numpy()[::3].astype(float)  # 15-minute grid of one day (57 intervals)
    width = len(need)
    lunch = S.ShiftBreak(length=2, paid=False, earliest_start=12, latest_start=20)
    templates = [S.ShiftTemplate(name="full", length=34, earliest_start=0, latest_start=width - 34, breaks=[lunch]),
                 S.ShiftTemplate(name="part", length=16, earliest_start=0, latest_start=width - 16,
                                 cost_per_interval=1.1)]
    r = S.solve_roster(need.reshape(1, -1), templates, relative_gap=0.0, time_limit=60)
    assert r.status.code == "converged"
    peer = pulp_roster_with_breaks_cost(need, [(34, width - 34, 1.0, (2, 12, 20)), (16, width - 16, 1.1, None)])
    assert r.cost == pytest.approx(peer, rel=1e-9)
    assert (r.working_grid.to_numpy().ravel() >= need).all()
    full = r.shift_table[r.shift_table["template"] == "full"]
    assert len(full) > 0
    offsets = np.array([b[0] for b in full["break_starts"]]) - full["start"].to_numpy()
    assert ((offsets >= 12) & (offsets <= 20)).all()  # every lunch in its window


def test_roster_with_breaks_contracts_and_a_grid_from_requirements():
    f, _ = call_centre_forecast(2)
    req = S.staffing_requirements(f, service_time=3.5)
    grid = S.requirement_grid(req, freq="15min")  # the most staff any 5 minutes of a quarter needs
    assert grid.shape == (2, 57)
    lunch = S.ShiftBreak(length=2, paid=False, earliest_start=12, latest_start=20)
    full = S.ShiftTemplate(name="full", length=34, earliest_start=0, latest_start=23, breaks=[lunch],
                           cost_per_interval=1.0)
    part = dict(name="part", length=16, earliest_start=0, latest_start=41, contract="part_time",
                cost_per_interval=1.1)
    r = S.solve_roster(grid, [full, part], contracts=[S.Contract(name="part_time", max_days=1)])
    assert (r.working_grid.to_numpy() >= grid.to_numpy()).all()
    assert list(r.working_grid.columns) == list(grid.columns)
    assert r.gap <= 0.01 + 1e-12
    t = r.shift_table
    part_days = t[t.contract == "part_time"].groupby("employee")["day"].nunique()
    assert (part_days <= 1).all()


def test_roster_caps_that_cannot_cover_are_named():
    need = np.array([[3.0, 3.0, 3.0, 3.0]])
    t = [S.ShiftTemplate(name="short", length=2, earliest_start=0, latest_start=2)]
    with pytest.raises(bq.InvalidArgumentError, match="max_staff|max_head_count"):
        S.solve_roster(need, t, max_staff=np.full((1, 4), 2))
    # With a penalty the roster goes short and says where.
    r = S.solve_roster(need, t, max_staff=np.full((1, 4), 2), under_cover_penalty=10.0)
    assert r.under_cover.sum() == pytest.approx(4.0)
    # Templates that cannot reach the opening hours: the requirement is named.
    late = [S.ShiftTemplate(name="late", length=2, earliest_start=2, latest_start=2)]
    with pytest.raises(bq.InvalidArgumentError, match="'requirement'|'templates'"):
        S.solve_roster(need, late)
    with pytest.raises(bq.InvalidArgumentError, match="'length'"):
        S.ShiftTemplate(length="long")


# --- Simulation ---------------------------------------------------------------------------------

def test_simulation_agrees_with_erlang_c_and_a_in_the_stationary_regime():
    n = 400
    c = S.erlang_c(9.0, 1.0, 11, 0.2)
    s = S.simulate(np.full(n, 9.0), np.full(n, 11), service_time=1.0, target_time=0.2, replications=40, seed=7,
                   warmup_intervals=20, confidence=0.99)
    assert s.summary_service_level_lo <= c.service_level <= s.summary_service_level_hi
    a = S.erlang_a(12.0, 1.0, 2.0, 11, 0.2)
    s = S.simulate(np.full(n, 12.0), np.full(n, 11), service_time=1.0, patience=2.0, target_time=0.2,
                   replications=40, seed=7, warmup_intervals=20, confidence=0.99)
    assert s.summary_abandonment_lo <= a.prob_abandon <= s.summary_abandonment_hi
    assert s.summary_service_level_lo <= a.service_level <= s.summary_service_level_hi


def test_simulation_is_identical_on_one_and_two_threads():
    rates = np.linspace(2.0, 12.0, 60)
    staff = np.ceil(rates * 1.2).astype(int) + 1
    runs = []
    for threads in (1, 2):
        with bq.num_threads(threads):
            runs.append(S.simulate(rates, staff, service_time=1.0, replications=16, seed=3, size=np.full(60, 20.0)))
    pd.testing.assert_frame_equal(runs[0].frame, runs[1].frame)
    assert runs[0].frame.shape[0] == 60 and "wait_q0.8" in runs[0].frame


def test_plots_draw():
    import matplotlib

    matplotlib.use("Agg")
    need = np.array([[1, 2, 2, 3, 3, 2, 2, 1]], dtype=float)
    t = [S.ShiftTemplate(name="half", length=4, earliest_start=0, latest_start=4,
                         breaks=[S.ShiftBreak(length=1, earliest_start=1, latest_start=2, paid=True)])]
    r = S.solve_roster(need, t)
    assert S.plot_coverage(r).get_title().startswith("Requirement")
    assert len(S.plot_shifts(r, day=0).collections) >= 2 * len(r.shifts)
    s = S.simulate([5.0] * 8, [7] * 8, service_time=1.0, replications=5)
    assert S.plot_service_level(s, target=0.8).get_ylabel() == "service level"
    with pytest.raises(bq.InvalidArgumentError, match="'roster'"):
        S.plot_coverage(s)
    with pytest.raises(bq.InvalidArgumentError, match="'day'"):
        S.plot_shifts(r, day=5)
