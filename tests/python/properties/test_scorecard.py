"""Property tests of bq.scorecard: generated inputs (empty, one row, NaN/inf, numpy scalars,
nullable dtypes, wrong shapes, extreme magnitudes) give a valid result or the library's own
error naming the user's argument; a failed call changes nothing."""
import warnings

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

import bankquant as bq

from .support import BAD_SCALARS, BAD_VECTORS, FAST, check, covers, integer_forms, scalar_forms, vector_forms

sc = bq.scorecard
covers(*(f"scorecard.{name}" for name in ["Binner", "binning_table", "LogisticRegression", "Scorecard", "auc", "gini",
                                          "ks", "roc_curve", "ks_curve", "gains_table", "hosmer_lemeshow", "psi", "csi",
                                          "stability_table", "stability_report", "monitor", "MonitoringReport",
                                          "screen", "stepwise", "variance_inflation", "cutoff_analysis",
                                          "decision_bands", "MasterScale", "financial_ratios", "reject_inference",
                                          "AugmentedSample", "plot_binning", "plot_roc", "plot_ks",
                                          "plot_score_distribution", "plot_monitoring"]))


@pytest.fixture(scope="module")
def german():
    df = bq.datasets.german_credit()
    y = (df.pop("creditability") == "bad").astype(int)
    return df, y


@pytest.fixture(scope="module")
def card(german):
    df, y = german
    return sc.Scorecard().fit(df.iloc[:700], y.iloc[:700])


def labelled(n, seed):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(float)
    y[0], y[-1] = 0.0, 1.0
    return y, rng


# ---- metrics ---------------------------------------------------------------------------------

@FAST
@given(st.integers(2, 80), st.integers(0, 2**31), st.sampled_from([1e-9, 1.0, 1e9]))
def test_metrics_equal_scikit_learn_for_every_input_form(n, seed, scale):
    y, rng = labelled(n, seed)
    p = np.round(rng.random(n), 2)
    for form in vector_forms(p)[:6]:
        assert sc.auc(y, form) == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    points = -p * scale  # higher is safer
    assert sc.auc(y, points, higher_is_safer=True) == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert sc.gini(y, points, higher_is_safer=np.bool_(True)) == pytest.approx(2 * roc_auc_score(y, p) - 1, abs=1e-12)
    assert 0 <= sc.ks(y, points, higher_is_safer=True) <= 1
    fpr, tpr, thr = sc.roc_curve(y, p)
    assert fpr[-1] == 1 and tpr[-1] == 1
    assert sc.ks_curve(y, p)["population"].iloc[-1] == pytest.approx(1.0)


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
def test_metrics_refuse_bad_vectors_by_name(bad):
    for f in (sc.auc, sc.gini, sc.ks, sc.roc_curve, sc.ks_curve, sc.gains_table):
        check(lambda: f([0, 1, 0], bad), ["score", "y", "higher_is_safer", "bands"])
        check(lambda: f(bad, [0.1, 0.2, 0.3]), ["y", "score", "bands"])


@pytest.mark.parametrize("direction", [None, "yes", 1, np.array([True, False])])
def test_direction_must_be_a_bool(direction):
    assert check(lambda: sc.auc([0, 1], [600, 500], higher_is_safer=direction), ["higher_is_safer"]) is None


@FAST
@given(st.integers(10, 200), st.integers(0, 2**31), st.sampled_from(list(integer_forms(5)) + [2, 10]))
def test_gains_and_hosmer_lemeshow(n, seed, bands):
    y, rng = labelled(n, seed)
    p = rng.random(n)
    g = check(lambda: sc.gains_table(y, p, bands=bands), ["bands"])
    if g is not None:
        assert g["count"].sum() == pytest.approx(n) and g.index[0] == 1
    out = check(lambda: sc.hosmer_lemeshow(y, p, groups=bands), ["groups", "probability"])
    if out is not None:
        assert 0 <= out[1] <= 1
    assert check(lambda: sc.hosmer_lemeshow(y, p * 3, groups=5), ["probability"]) is None


# ---- binning ----------------------------------------------------------------------------------

def awkward_frame(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_t(3, n) * 10.0 ** rng.integers(-6, 7)
    x[rng.random(n) < 0.1] = np.nan
    frame = pd.DataFrame({
        "real": x,
        "count": pd.Series(rng.integers(0, 5, n), dtype="Int64").mask(rng.random(n) < 0.1, pd.NA),
        "flag": rng.random(n) < 0.5,
        "kind": pd.Series(rng.choice(["a", "b, c", "d'e", ""], n)),
        "cat": pd.Categorical(rng.choice(["x", "y"], n)),
        "num_cat": rng.choice([1, 2, 3], n),
    })
    frame.columns = ["real", 7, "flag", "kind", "cat", "num_cat"]  # an integer column label too
    return frame


@settings(parent=FAST, suppress_health_check=list(FAST.suppress_health_check) + [HealthCheck.data_too_large])
@given(st.integers(20, 300), st.integers(0, 2**31),
       st.sampled_from([1e-6, 1.0, 1e6]), st.sampled_from(integer_forms(4)[:5]))
def test_binner_on_awkward_columns_is_scale_free_and_typed(n, seed, scale, max_bins):
    X = awkward_frame(n, seed)
    y, _ = labelled(n, seed + 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sc.LeakWarning)
        b = sc.Binner(max_bins=max_bins, categorical=["num_cat"]).fit(X, y)
        w = sc.Binner(max_bins=max_bins, categorical=["num_cat"]).fit(X, y, sample_weight=np.full(n, scale))
    pd.testing.assert_series_equal(b.iv_, w.iv_, rtol=1e-8, atol=1e-12)
    woe = b.transform(X)
    assert woe.shape == (n, 6) and np.isfinite(woe.to_numpy()).all()
    # typed keys: the same categories as floats score alike
    again = b.transform(X.assign(num_cat=X["num_cat"].astype(float)))
    np.testing.assert_array_equal(again["num_cat"], woe["num_cat"])
    for name in b.binnings_:
        t = b.table(name)
        assert t["count"].sum() == pytest.approx(n)


@pytest.mark.parametrize("param, value", [("max_bins", 0), ("max_bins", 2.5), ("max_bins", "3"), ("prebins", 1),
                                          ("min_bin_share", 0.9), ("method", "magic"), ("monotonic", "up"),
                                          ("max_pvalue", np.nan), ("target", "lgd"), ("unseen", "ignore"),
                                          ("min_bins", np.int64(30)), ("options", {"nope": {}}),
                                          ("breaks", {"real": [3, 1]}), ("breaks", {"kind": [1.0]}),
                                          ("groups", {"real": [["a"]]}), ("special_values", [np.inf])])
def test_binner_bad_parameters_are_named(german, param, value):
    df, y = german
    X = df[["duration_in_month", "purpose"]].rename(columns={"duration_in_month": "real", "purpose": "kind"})
    named = {"options": ["options"], "breaks": ["breaks"], "groups": ["groups"]}.get(param, [param])
    assert check(lambda: sc.Binner(**{param: value}).fit(X, y), named) is None


@pytest.mark.parametrize("bad", BAD_VECTORS + [[0, 2, 1], [0.5] * 3], ids=repr)
def test_binner_bad_targets_and_weights_change_nothing(german, bad):
    df, y = german
    b = sc.Binner().fit(df[["duration_in_month"]], y)
    before = b.binnings_["duration_in_month"].to_json()
    X3 = df[["duration_in_month"]].iloc[:3]
    assert check(lambda: sc.Binner().fit(X3, bad), ["y", "X", "X' and 'y"]) is None or len(np.unique(bad)) == 2
    assert check(lambda: b.fit(X3.assign(duration_in_month=np.nan), bad), ["y", "X", "weights"]) is None
    if bad is not None:  # None: no weights
        assert check(lambda: b.fit(df[["duration_in_month"]], y, sample_weight=bad), ["sample_weight"]) is None
    assert b.binnings_["duration_in_month"].to_json() == before  # the failed calls changed nothing


@pytest.mark.parametrize("X", [pd.DataFrame(), pd.DataFrame({"a": []}), "frame", np.ones(3),
                               pd.DataFrame([[1, 2]], columns=["a", "a"])], ids=repr)
def test_binner_bad_frames(X):
    assert check(lambda: sc.Binner().fit(X, [0]), ["X", "y"]) is None


def test_binner_edits_and_tables(german):
    df, y = german
    b = sc.Binner().fit(df[["duration_in_month", "purpose"]], y)
    grid = b.binnings_["duration_in_month"].fine_cuts
    b.update("duration_in_month", breaks=[grid[3], grid[30]])
    assert b.binnings_["duration_in_month"].cut_points() == [grid[3], grid[30]]
    assert check(lambda: b.update("duration_in_month", breaks=[grid[3] + 0.001]), ["breaks"]) is None
    assert check(lambda: b.merge("duration_in_month", np.int64(9)), ["bin"]) is None
    assert check(lambda: b.split("purpose", 0, at=1.0), ["at"]) is None
    assert check(lambda: b.update("nope", breaks=[1.0]), ["variable"]) is None
    assert isinstance(sc.binning_table(b.binnings_["purpose"]), pd.DataFrame)


# ---- model ------------------------------------------------------------------------------------

@FAST
@given(st.integers(5, 200), st.integers(0, 2**31), st.sampled_from([1e-8, 1.0, 1e8]))
def test_logistic_regression_valid_or_named(n, seed, scale):
    y, rng = labelled(n, seed)
    X = pd.DataFrame({"a": rng.standard_normal(n) * scale, "b": rng.standard_normal(n)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", bq.ConvergenceWarning)
        try:
            m = sc.LogisticRegression(max_iterations=np.int64(50)).fit(X, y)
        except bq.ConvergenceError:
            return
    p = m.predict_proba(X)
    assert p.shape == (n, 2) and np.all((p >= 0) & (p <= 1))
    assert np.isfinite(m.coef_).all()


@pytest.mark.parametrize("value", BAD_SCALARS, ids=repr)
def test_logistic_bad_penalties_are_named(value):
    if value is None:
        return  # None leaves the C++ default (the options builder's rule)
    X = pd.DataFrame({"a": [0.0, 1, 2, 3]})
    assert check(lambda: sc.LogisticRegression(l2=value).fit(X, [0, 1, 0, 1]), ["l2"]) is None \
        or value == 1e308 or value is True


@pytest.mark.parametrize("pdo", scalar_forms(20.0))
def test_scorecard_takes_numpy_scalars(german, pdo):
    df, y = german
    card = sc.Scorecard(pdo=pdo, max_vif=np.float32(10), variables=["duration_in_month", "purpose"]).fit(df, y)
    assert card.card_.scaling.pdo == 20.0


@pytest.mark.parametrize("param, value", [("pdo", -20), ("pdo", np.nan), ("base_odds", 0), ("stepwise", "sideways"),
                                          ("criterion", "r2"), ("min_iv", -1), ("max_vif", 0.5),
                                          ("variables", ["nope"]), ("binner", "binner"), ("l1", np.inf)])
def test_scorecard_bad_parameters_are_named(german, param, value):
    df, y = german
    assert check(lambda: sc.Scorecard(**{param: value}).fit(df, y), [param]) is None


def test_scorecard_scoring_inputs(german, card):
    df, _ = german
    X = df.iloc[700:].copy()
    X["credit_amount"] = pd.Series(X["credit_amount"], dtype="Int64").mask(X.index % 3 == 0, pd.NA)
    s = card.score(X)
    assert s.notna().all()
    for bad in [X.drop(columns=["purpose"]), X.assign(duration_in_month=np.inf), "X", X.iloc[:0]]:
        check(lambda: card.score(bad), ["X"])
    assert check(lambda: card.reason_codes(X, n_reasons=0), ["n_reasons"]) is None
    assert check(lambda: card.counterfactuals(X, target_score=np.nan), ["target_score"]) is None
    cf = card.counterfactuals(X.head(30), target_score=np.int64(560), max_changes=np.int32(2))
    assert set(cf.columns) >= {"row", "variable", "to_bin"}


# ---- monitoring, strategy, reject inference ----------------------------------------------------

@FAST
@given(st.integers(1, 100), st.integers(1, 100), st.integers(0, 2**31), st.sampled_from(integer_forms(4)[:4]))
def test_psi_valid_or_named(n, m, seed, bins):
    rng = np.random.default_rng(seed)
    e, a = rng.standard_normal(n), rng.standard_normal(m) + 0.5
    out = check(lambda: sc.psi(e, a, bins=bins), ["bins", "expected", "actual"])
    if out is not None:
        assert np.isfinite(out) and out >= 0
    t = sc.stability_table(pd.Series(e, dtype="Float64"), a)
    assert t["expected_share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
def test_psi_bad_vectors(bad):
    check(lambda: sc.psi(bad, [1.0, 2.0]), ["expected"])
    check(lambda: sc.psi([1.0, 2.0], bad), ["actual"])


def test_csi_monitor_and_reports(german, card):
    df, y = german
    assert (sc.csi(card.binner_, df.iloc[:700], df.iloc[700:])["csi"] >= 0).all()
    assert check(lambda: sc.csi(card.binner_, df.iloc[:700], "X"), ["X_actual"]) is None
    report = sc.stability_report(card, df.iloc[:700], df.iloc[700:])
    assert report["index"].notna().all()
    m = sc.monitor(card, df.iloc[:700], y.iloc[:700], df.iloc[700:], y.iloc[700:], period=np.arange(300) % 2)
    assert isinstance(m, sc.MonitoringReport) and len(m.psi) == 2
    assert check(lambda: sc.monitor(card, df.iloc[:700], y.iloc[:700], df.iloc[700:], period=[1, 2]), ["period"]) is None
    assert check(lambda: sc.monitor(card, df.iloc[:700], y.iloc[:700], df.iloc[700:], y.iloc[700:] * 7),
                 ["y_actual"]) is None
    m.plot()
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize("y, probability", [([7, 0, 1], None), (None, [0.1, 1.5, 0.2]), (None, None), ([0, 1], None)])
def test_cutoff_analysis_checks_outcomes(y, probability):
    assert check(lambda: sc.cutoff_analysis([500, 510, 520], y=y, probability=probability),
                 ["y", "probability", "score"]) is None


def test_decision_bands_and_master_scale():
    assert check(lambda: sc.decision_bands([500, np.nan], 550, 450), ["score"]) is None
    assert check(lambda: sc.decision_bands([500], 450, 550), ["decline_below", "approve_at"]) is None
    assert check(lambda: sc.decision_bands([500, 600], 550, 450, {"r": [True]}), ["policy_rules[r]"]) is None
    assert list(sc.decision_bands([500, 600], 550, 450, {"r": [True, False]})["decision"]) == ["decline", "approve"]
    d = sc.decision_bands(pd.Series([500.0, 600.0]), np.int64(550), np.float32(450), {"r": np.array([True, False])})
    assert list(d["decision"]) == ["decline", "approve"]
    scale = sc.MasterScale()
    assert list(scale.grade(pd.Series([0.0001, 0.5], dtype="Float64"))) == ["1", "9"]
    assert check(lambda: scale.grade([1.5]), ["pd_values"]) is None
    assert check(lambda: sc.MasterScale(pd_bounds=[0.5, 0.2]), ["pd_bounds"]) is None


def test_reject_inference_arguments(german, card):
    df, y = german
    for kwargs, name in [({"bands": 0}, "bands"), ({"method": "magic"}, "method"), ({"reject_weight": -1}, "reject_weight"),
                         ({"cutoff": 1.5}, "cutoff"), ({"seed": -1}, "seed")]:
        assert check(lambda: sc.reject_inference(card, df.iloc[:700], y.iloc[:700], df.iloc[700:], **kwargs),
                     [name]) is None
    s = sc.reject_inference(card, df.iloc[:700], y.iloc[:700], df.iloc[700:], method="hard_cutoff",
                            bands=np.int64(5))
    assert isinstance(s, sc.AugmentedSample) and len(s.frame()) == 1000
    assert check(lambda: s.frame(y="purpose"), ["y"]) is None


def test_selection_functions(german, card):
    df, y = german
    kept, report = sc.screen(card.binner_, df, max_vif=np.int64(5))
    assert set(kept) <= set(report.index)
    assert check(lambda: sc.screen(card.binner_, df, max_correlation=2.0), ["max_correlation"]) is None
    woe = card.transform(df)
    chosen, history = sc.stepwise(woe, y, direction="forward", criterion="bic", max_variables=np.int64(3))
    assert len(chosen) <= 3
    assert check(lambda: sc.stepwise(woe, y, direction="up"), ["direction"]) is None
    assert check(lambda: sc.stepwise(woe, y, start=["nope"]), ["start"]) is None
    vif = sc.variance_inflation(woe)
    assert (vif >= 1 - 1e-9).all()
    assert check(lambda: sc.variance_inflation(np.ones(3)), ["X"]) is None


def test_financial_ratios_inputs():
    out = sc.financial_ratios(pd.DataFrame({"total_assets": pd.Series([100, pd.NA], dtype="Int64"),
                                            "total_liabilities": [60.0, 10.0]}))
    assert out["leverage"].iloc[0] == 0.6 and np.isnan(out["leverage"].iloc[1])
    for bad in [pd.DataFrame(), "x", pd.DataFrame({"z": [1]}), pd.DataFrame({"total_assets": ["a"],
                                                                             "total_liabilities": ["b"]})]:
        assert check(lambda: sc.financial_ratios(bad), ["statements"]) is None


def test_plots(german, card):
    import matplotlib.pyplot as plt

    df, y = german
    p = card.predict_proba(df)[:, 1]
    sc.plot_binning(card.binner_.table("duration_in_month"), "duration_in_month")
    sc.plot_roc(y, p)
    sc.plot_ks(y, card.score(df), higher_is_safer=True)
    sc.plot_score_distribution(card.score(df), y)
    assert check(lambda: sc.plot_roc(y, card.score(df)), ["higher_is_safer"]) is None
    plt.close("all")
