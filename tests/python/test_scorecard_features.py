"""Issue 13's analyst tools on real data: bin editing, wider binning, a continuous (LGD-like)
target, monitoring over time, counterfactual reasons and scikit-learn compatibility.

References: scipy.stats (chi2_contingency without correction, fisher_exact, ttest_ind with
unequal variances; scipy 1.10) for the per-bin tests; scikit-learn 1.2 (cross_val_score,
Pipeline, clone, estimator_checks); pandas groupby for bin means.
"""
import json
import sqlite3
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import bankquant as bq

sc = bq.scorecard


@pytest.fixture(scope="module")
def german():
    df = bq.datasets.german_credit()
    y = (df.pop("creditability") == "bad").astype(int)
    return df, y


# ---- bin editing -----------------------------------------------------------------------------

def test_editing_numeric_bins_updates_table_iv_and_refits(german):
    df, y = german
    b = sc.Binner().fit(df, y)
    grid = list(b.binnings_["duration_in_month"].fine_cuts)
    breaks = [v for v in grid if v in (12.0, 24.0, 36.0)]
    assert breaks == [12.0, 24.0, 36.0]  # integer months: the grid holds every distinct value
    b.update("duration_in_month", breaks=breaks)
    t = b.table("duration_in_month")
    assert list(t["bin"][:4]) == ["[-inf, 12)", "[12, 24)", "[24, 36)", "[36, inf)"]
    # the table equals pandas counting the raw data into those bins
    cut = pd.cut(df["duration_in_month"], [-np.inf, 12, 24, 36, np.inf], right=False)
    counts = y.groupby(cut, observed=True).agg(["count", "sum"])
    np.testing.assert_array_equal(t["count"][:4], counts["count"])
    np.testing.assert_array_equal(t["events"][:4], counts["sum"])
    assert b.iv_["duration_in_month"] == pytest.approx(t["iv"].sum())
    # carried into a Scorecard: the edit is a parameter, so the scorecard's refit bins the same way
    card = sc.Scorecard(binner=b, variables=["duration_in_month", "status_of_existing_checking_account"]).fit(df, y)
    assert card.binner_.binnings_["duration_in_month"].cut_points() == [12.0, 24.0, 36.0]
    # a break off the grid needs the data
    with pytest.raises(bq.InvalidArgumentError, match="argument 'breaks'.*not on the fine grid"):
        b.update("credit_amount", breaks=[1234.5])
    b.update("credit_amount", breaks=[1234.5, 5000.0], X=df, y=y)
    assert b.binnings_["credit_amount"].cut_points() == [1234.5, 5000.0]


def test_merge_split_and_regroup_categories(german):
    df, y = german
    b = sc.Binner().fit(df, y)
    before = b.binnings_["purpose"].regular_bins()
    b.merge("purpose", 0)
    assert b.binnings_["purpose"].regular_bins() == before - 1
    first = list(b.binnings_["purpose"].bins[0].categories)
    b.split("purpose", 0, categories=first[:1])
    assert list(b.binnings_["purpose"].bins[0].categories) == first[:1]
    b.update("housing", groups=[["own"], ["rent", "for free"]])
    t = b.table("housing")
    assert list(t["categories"][:2]) == [["own"], ["for free", "rent"]]
    counts = df["housing"].value_counts()
    assert t["count"].iloc[1] == counts["rent"] + counts["for free"]
    assert b.groups["housing"] == [["own"], ["rent", "for free"]]  # recorded as given, for refits
    with pytest.raises(bq.InvalidArgumentError, match="argument 'groups'"):
        b.update("housing", groups=[["own"], ["own"]])


# ---- wider binning ------------------------------------------------------------------------------

def test_wider_constraints_on_german_credit(german):
    df, y = german
    X = df[["credit_amount", "age_in_years", "duration_in_month"]]
    b = sc.Binner(min_bins=3, max_bins=6, max_bin_share=0.4, min_event_rate_diff=0.03, max_pvalue=0.2,
                  monotonic="none").fit(X, y)
    for c in X.columns:
        t = b.table(c)
        regular = t[t["kind"] == "regular"]
        assert 3 <= len(regular) <= 6 or "only" in b.binnings_[c].status
        assert (regular["share"] <= 0.4 + 1e-12).all()
        rates = regular["event_rate"].to_numpy()
        assert (np.abs(np.diff(rates)) >= 0.03 - 1e-12).all()
        for k in range(1, len(regular)):  # neighbours differ at 20% by scipy's chi-square
            a, c2 = regular.iloc[k - 1], regular.iloc[k]
            table = [[a["events"], a["non_events"]], [c2["events"], c2["non_events"]]]
            assert stats.chi2_contingency(table, correction=False)[1] <= 0.2 + 1e-12


def test_process_per_variable_options_selection_and_grouped_specials(german):
    df, y = german
    X = df.copy()
    X.loc[X.index[:40], "credit_amount"] = -999
    X.loc[X.index[40:60], "credit_amount"] = -998
    b = sc.Binner(options={"age_in_years": {"max_bins": 3, "monotonic": "descending"}},
                  special_values={"credit_amount": [[-999, -998]], "purpose": ["others"]},
                  selection={"min_iv": 0.05, "top_n": 6}).fit(X, y)
    assert b.binnings_["age_in_years"].regular_bins() <= 3
    assert b.binnings_["age_in_years"].method == "optimal (descending)"
    t = b.table("credit_amount")
    assert t.loc[t["bin"] == "special {-999, -998}", "count"].iloc[0] == 60
    assert (b.table("purpose")["bin"] == "special ['others']").any()
    assert len(b.selected_) == 6 and b.transform(X).shape[1] == 6
    assert set(b.selected_) == set(b.iv_[b.iv_ >= 0.05].index[:6])
    s = b.summary()
    assert s.loc["foreign_worker", "reason"].startswith("IV") or not s.loc["foreign_worker", "selected"]
    assert (s["quality"] <= s["iv"] + 1e-12).all()


def test_continuous_target_on_real_data():
    # A bounded ratio like an LGD: the casual riders' share of hourly rentals, by temperature
    # (UCI bike sharing data). Bins hold the mean target; the table agrees with pandas.
    bikes = bq.datasets.bike_sharing_hourly()
    share = (bikes["casual"] / bikes["cnt"]).to_numpy()
    X = bikes[["temp", "hum"]]
    b = sc.Binner(target="continuous", max_bins=6).fit(X, share)
    t = b.table("temp")
    regular = t[t["kind"] == "regular"]
    assert regular["mean"].is_monotonic_increasing  # warmer hours: more casual riders
    edges = [-np.inf] + b.binnings_["temp"].cut_points() + [np.inf]
    means = pd.Series(share).groupby(pd.cut(X["temp"], edges, right=False), observed=True).mean()
    np.testing.assert_allclose(regular["mean"], means, rtol=1e-12)
    r2_tree = sc.Binner(target="continuous", max_bins=6, method="tree", monotonic="none").fit(X, share).iv_["temp"]
    r2_opt = sc.Binner(target="continuous", max_bins=6, monotonic="none").fit(X, share).iv_["temp"]
    assert r2_opt >= r2_tree - 1e-12 and 0 < r2_opt < 1  # the exact optimum beats the greedy tree
    woe = b.transform(X)
    np.testing.assert_allclose(woe["temp"].iloc[:5], regular["mean"].to_numpy()[b.bin_indices(X.iloc[:5])["temp"]])
    with pytest.raises(bq.InvalidArgumentError, match="argument 'y'"):
        sc.Binner(target="continuous").fit(X, np.where(share > 0.5, np.nan, share))


# ---- monitoring over time -------------------------------------------------------------------------

def test_monitoring_two_periods_with_per_bin_tests_equal_scipy(german):
    df, y = german
    card = sc.Scorecard().fit(df.iloc[:600], y.iloc[:600])
    recent, y_recent = df.iloc[600:].copy(), y.iloc[600:].copy()
    period = np.where(np.arange(400) < 200, "2024-Q1", "2024-Q2")
    # the second quarter: longer loans, and applicants with no checking account default more
    q2 = period == "2024-Q2"
    recent.loc[q2, "duration_in_month"] = recent.loc[q2, "duration_in_month"] * 2
    no_account = (recent["status_of_existing_checking_account"] == "no checking account").to_numpy() & q2
    y_recent[no_account] = 1
    report = sc.monitor(card, df.iloc[:600], y.iloc[:600], recent, y_recent, period=period)
    assert list(report.psi.index) == ["2024-Q1", "2024-Q2"]
    assert report.psi.loc["2024-Q2", "psi"] > report.psi.loc["2024-Q1", "psi"]
    assert report.csi.loc["duration_in_month", "2024-Q2"] > 0.25 > report.csi.loc["duration_in_month", "2024-Q1"]
    flagged = report.flagged_bins()
    hit = flagged[(flagged["variable"] == "status_of_existing_checking_account") & (flagged["period"] == "2024-Q2")]
    assert hit["bin_label"].str.contains("no checking account").any()
    # each test equals scipy's on the same 2 x 2 table
    idx_dev = card.binner_.bin_indices(df.iloc[:600])
    idx_new = card.binner_.bin_indices(recent)
    for _, row in report.event_rates.head(40).iterrows():
        name, k, p = row["variable"], int(row["bin"]), row["period"]
        dev = y.iloc[:600].to_numpy()[idx_dev[name] == k]
        new = y_recent.to_numpy()[(idx_new[name] == k) & (period == p)]
        table = [[dev.sum(), len(dev) - dev.sum()], [new.sum(), len(new) - new.sum()]]
        if row["method"] == "fisher_exact":
            expected = stats.fisher_exact(table)[1]
        else:
            expected = stats.chi2_contingency(table, correction=False)[1]
        assert row["p_value"] == pytest.approx(expected, rel=1e-9, abs=1e-12), (name, k, p)
    import matplotlib

    matplotlib.use("Agg")
    report.plot()


def test_continuous_monitoring_uses_welch():
    bikes = bq.datasets.bike_sharing_hourly()
    share = (bikes["casual"] / bikes["cnt"])
    first = bikes["yr"] == 0
    b = sc.Binner(target="continuous", max_bins=4).fit(bikes.loc[first, ["temp"]], share[first])
    report = sc.monitor(b, bikes.loc[first, ["temp"]], share[first], bikes.loc[~first, ["temp"]], share[~first])
    t = report.event_rates
    assert (t["method"] == "welch_t").all()
    idx_a = b.bin_indices(bikes.loc[first, ["temp"]])["temp"]
    idx_b = b.bin_indices(bikes.loc[~first, ["temp"]])["temp"]
    for _, row in t.iterrows():
        k = int(row["bin"])
        ref = stats.ttest_ind(share[first].to_numpy()[idx_a == k], share[~first].to_numpy()[idx_b == k], equal_var=False)
        assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-6, abs=1e-300)


# ---- counterfactual reasons --------------------------------------------------------------------

def test_counterfactuals_are_minimal_and_reach_the_cutoff(german):
    df, y = german
    card = sc.Scorecard().fit(df, y)
    scores = card.score(df)
    cutoff = float(scores.quantile(0.3))
    declined = df[scores < cutoff].head(40)
    cf = card.counterfactuals(declined, target_score=cutoff, max_changes=3, fixed=["age_in_years"])
    assert set(cf["row"]) == set(declined.index)
    points = card.points_table()
    for row, changes in cf[cf["found"]].groupby("row"):
        assert changes["new_score"].iloc[0] >= cutoff
        assert "age_in_years" not in set(changes["variable"])
        # applying the changes to the applicant gives that score
        assert changes["score"].iloc[0] + changes["points"].sum() == pytest.approx(changes["new_score"].iloc[0])
        if len(changes) > 1:  # no single change would have been enough
            current = scores[row]
            for v in card.variables_:
                if v == "age_in_years":
                    continue
                best = points.loc[points["variable"] == v, "points"].max()
                mine = points.loc[points["variable"] == v, "points"].to_numpy()[
                    card.binner_.bin_indices(declined.loc[[row]], [v])[v][0]]
                assert current + best - mine < cutoff


# ---- scikit-learn -------------------------------------------------------------------------------

def test_cross_validation_pipelines_and_clone(german):
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression as SkLogistic
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline

    df, y = german
    auc = cross_val_score(sc.Scorecard(), df, y, scoring="roc_auc", cv=3)
    assert auc.shape == (3,) and (auc > 0.7).all()
    pipe = make_pipeline(sc.Binner(max_bins=5), SkLogistic(max_iter=1000))
    assert (cross_val_score(pipe, df, y, scoring="roc_auc", cv=3) > 0.7).all()
    card = sc.Scorecard(binner=sc.Binner(max_bins=4))
    params = card.get_params()
    assert params["binner__max_bins"] == 4 and "pdo" in params
    copy = clone(card).set_params(binner__max_bins=6)
    assert copy.binner.max_bins == 6 and card.binner.max_bins == 4
    search = GridSearchCV(sc.Scorecard(), {"binner": [sc.Binner(max_bins=3), sc.Binner(max_bins=6)]},
                          scoring="roc_auc", cv=3).fit(df, y)
    assert search.best_params_["binner"].max_bins in (3, 6)
    fitted = sc.Scorecard().fit(df, y)
    assert list(fitted.classes_) == [0, 1] and fitted.predict_proba(df).shape == (1000, 2)
    np.testing.assert_allclose(fitted.predict_proba(df).sum(axis=1), 1.0)
    with pytest.raises(TypeError):
        sc.Scorecard(20)  # keyword-only parameters


NOT_APPLICABLE = {
    # numpy inputs with classes the checks draw at random separate perfectly on every column (each
    # then a leak) or carry no information; a scorecard refuses both by design
    "check_classifiers_train", "check_classifiers_regression_target", "check_supervised_y_2d",
    "check_classifiers_one_label", "check_classifiers_one_label_sample_weights", "check_fit2d_1sample",
    "check_fit2d_1feature", "check_fit2d_predict1d", "check_fit1d", "check_estimators_empty_data_messages",
    "check_n_features_in_after_fitting", "check_sample_weights_invariance", "check_classifier_multioutput",
    # unseen_counts_ records what the last transform/score met, a documented report, so transform
    # changes __dict__ by design
    "check_dict_unchanged",
}


# A dict among the values is an InvalidArgumentError (a ValueError: the library's one error for bad
# arguments) where scikit-learn expects a TypeError.
NOT_APPLICABLE_TYPES = {"check_dtype_object"}
# The checks draw random data on which every column separates the two classes perfectly (each a
# leak, which the screening refuses) or carries no information; a scorecard refuses to be fitted
# on them by design, so the checks that fit on such data do not apply to Scorecard.
NOT_APPLICABLE_SCORECARD = {"check_sample_weights_pandas_series", "check_sample_weights_not_an_array",
                            "check_pipeline_consistency", "check_estimators_pickle",
                            "check_transformer_data_not_an_array", "check_transformer_general",
                            "check_transformer_preserve_dtypes"}


@pytest.mark.parametrize("estimator", [sc.Binner(), sc.LogisticRegression(l2=1.0), sc.Scorecard(min_iv=0.0, l2=1.0)],
                         ids=lambda e: type(e).__name__)
def test_scikit_learn_estimator_checks(estimator):
    # LogisticRegression and Scorecard with a ridge penalty: unpenalised maximum likelihood has no
    # solution on the separable data several checks use (a ConvergenceError by design).
    from sklearn.utils.estimator_checks import check_estimator

    skip = NOT_APPLICABLE | NOT_APPLICABLE_TYPES | (NOT_APPLICABLE_SCORECARD if isinstance(estimator, sc.Scorecard)
                                                     else set())
    failures, ran = {}, 0
    for est, check in check_estimator(estimator, generate_only=True):
        name = getattr(check, "func", check).__name__
        if name in skip:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                check(est)
                ran += 1
            except Exception as error:  # noqa: BLE001 - collect every failing check with its message
                failures[name] = f"{type(error).__name__}: {str(error)[:200]}"
    assert not failures, json.dumps(failures, indent=1)
    assert ran >= 20  # most of scikit-learn's checks apply and pass
