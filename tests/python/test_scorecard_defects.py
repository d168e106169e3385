"""The ten defects of issue 13, each with a test that failed before its fix (German credit data).

Each test states what was wrong; the run that shows them failing on the code before the fix is
quoted in the commit that added them.
"""
import json
import sqlite3
import warnings

import numpy as np
import pandas as pd
import pytest

import bankquant as bq


@pytest.fixture(scope="module")
def german():
    df = bq.datasets.german_credit()
    y = (df.pop("creditability") == "bad").astype(int)
    return df, y


def test_1_a_leaking_variable_is_reported_loudly_never_zeroed(german):
    df, y = german
    X = df[["duration_in_month", "purpose"]].assign(leak=y)
    with pytest.warns(bq.scorecard.LeakWarning, match="'leak'.*separates the classes"):
        b = bq.scorecard.Binner().fit(X, y)
    assert b.iv_["leak"] > 5  # two pure bins: a huge IV, not 0
    assert "separat" in b.binnings_["leak"].status
    # An attribute where every applicant is bad keeps its own bin with its (adjusted) WoE.
    pure = df[["purpose"]].copy()
    bad_rows = np.flatnonzero(y.to_numpy() == 1)[:60]
    pure.iloc[bad_rows, 0] = "all bad"
    t = bq.scorecard.Binner().fit(pure, y).table("purpose")
    row = t[t["bin"].str.contains("all bad")]
    assert len(row) == 1 and row["event_rate"].iloc[0] == 1.0 and row["iv"].iloc[0] > 0.1
    # and the scorecard refuses it by name instead of a silent drop or an opaque model error
    with pytest.warns(bq.scorecard.LeakWarning):
        card = bq.scorecard.Scorecard().fit(df.assign(leak=y), y)
    assert "leak" not in card.variables_
    assert "separates the classes" in card.selection_report_.loc["leak", "reason"]


def test_2_results_do_not_depend_on_the_scale_of_the_weights(german):
    df, y = german
    a = bq.scorecard.Binner().fit(df, y)
    b = bq.scorecard.Binner().fit(df, y, sample_weight=np.full(len(df), 1e-3))
    pd.testing.assert_series_equal(a.iv_, b.iv_, rtol=1e-9)
    for c in df.columns:
        assert a.binnings_[c].cut_points() == b.binnings_[c].cut_points()
    card = bq.scorecard.Scorecard().fit(df, y, sample_weight=np.full(len(df), 1e-3))
    assert card.variables_ == bq.scorecard.Scorecard().fit(df, y).variables_


def test_3_csi_ignores_bins_empty_in_both_samples(german):
    df, y = german
    X = df[["purpose"]].assign(constant=1.0)
    b = bq.scorecard.Binner().fit(X, y)
    c = bq.scorecard.csi(b, X.iloc[:990], X.iloc[990:])  # a small recent sample
    assert c.loc["constant", "csi"] == 0.0  # one bin that holds everyone cannot shift
    assert c.loc["constant", "flag"] == "stable"
    assert c.loc["constant", "largest_shift_bin"] != "missing"


def test_4_reject_inference_output_does_not_leak_into_the_refit(german):
    df, y = german
    card = bq.scorecard.Scorecard().fit(df.iloc[:700], y.iloc[:700])
    accepted = df.iloc[:700].assign(weight=np.arange(700.0))  # a user column called 'weight'
    rejected = df.iloc[700:].assign(weight=np.arange(300.0))
    aug = bq.scorecard.reject_inference(card, accepted, y.iloc[:700], rejected, method="fuzzy")
    assert list(aug.X.columns) == list(accepted.columns)  # no y / weight / source among the features
    np.testing.assert_array_equal(aug.X["weight"].iloc[:700], np.arange(700.0))  # the user's column kept
    assert len(aug.y) == len(aug.sample_weight) == len(aug.X) == len(aug.source)
    refit = bq.scorecard.Scorecard().fit(aug.X, aug.y, sample_weight=aug.sample_weight)
    assert not {"y", "source"} & set(refit.binner_.binnings_)


def test_5_sql_is_right_for_bool_columns(german):
    df, y = german
    X = df.assign(flag=(df["telephone"] != "none"))
    card = bq.scorecard.Scorecard(variables=["flag", "duration_in_month"]).fit(X, y)
    con = sqlite3.connect(":memory:")
    X.to_sql("applicants", con, index=False)
    in_sql = np.array([r[0] for r in con.execute(f"SELECT {card.to_sql()} FROM applicants")])
    np.testing.assert_allclose(in_sql, card.score(X).to_numpy(), atol=1e-9)


def test_6_plot_ks_x_axis_is_the_share_of_population(german):
    import matplotlib
    matplotlib.use("Agg")
    df, y = german
    rng = np.random.default_rng(0)
    score = np.round(y.to_numpy() * 0.3 + rng.random(len(y)), 1)  # few distinct thresholds
    ax = bq.scorecard.plot_ks(y, score, higher_is_safer=False)  # a risk score: higher is riskier
    x = ax.lines[0].get_xdata()
    order = np.sort(np.unique(score))[::-1]
    expected = [(score >= t).mean() for t in order]
    np.testing.assert_allclose(x[-len(expected):], expected, atol=1e-12)


@pytest.mark.parametrize("method", ["tree", "chimerge"])
def test_7_monotonic_is_enforced_by_tree_and_chimerge(german, method):
    df, y = german
    b = bq.scorecard.Binner(method=method, monotonic="ascending").fit(df[["credit_amount", "age_in_years"]], y)
    for c in ["credit_amount", "age_in_years"]:
        t = b.table(c)
        rates = t.loc[t["bin"] != "missing", "event_rate"].to_numpy()
        assert np.all(np.diff(rates) > 0), (c, rates)


def test_8_score_direction_is_explicit(german):
    df, y = german
    card = bq.scorecard.Scorecard().fit(df, y)
    points, p = card.score(df), card.predict_proba(df)[:, 1]
    with pytest.raises(bq.InvalidArgumentError, match="argument 'higher_is_safer'"):
        bq.scorecard.auc(y, points)
    assert bq.scorecard.auc(y, points, higher_is_safer=True) == pytest.approx(bq.scorecard.auc(y, p), abs=0.01)
    g = bq.scorecard.gains_table(y, points, higher_is_safer=True)
    assert g["event_rate"].iloc[0] == g["event_rate"].max()  # band 1 is the riskiest
    assert g["max_score"].iloc[0] < g["min_score"].iloc[-1]  # ... and holds the lowest scores
    assert bq.scorecard.ks(y, points, higher_is_safer=True) == pytest.approx(bq.scorecard.ks(y, p), abs=0.02)


def test_9_category_keys_are_typed_and_numeric_strings_detected(german):
    df, y = german
    X = pd.DataFrame({"rate": df["installment_rate_in_percentage_of_disposable_income"]})
    b = bq.scorecard.Binner(categorical=["rate"]).fit(X, y)
    b.transform(X.astype(float))
    assert b.unseen_counts_["rate"] == 0  # fitted on 1, scored on 1.0: the same category
    as_text = df[["credit_amount"]].astype(str)
    with pytest.warns(UserWarning, match="numbers stored as text"):
        t = bq.scorecard.Binner().fit(as_text, y)
    assert t.iv_["credit_amount"] == pytest.approx(bq.scorecard.Binner().fit(df[["credit_amount"]], y).iv_.iloc[0])


def test_10_json_round_trip_is_complete(german, tmp_path):
    df, y = german
    card = bq.scorecard.Scorecard(binner=bq.scorecard.Binner(max_bins=5)).fit(df, y)
    path = tmp_path / "card.json"
    card.to_json(path)
    back = bq.scorecard.Scorecard.from_json(path)
    pd.testing.assert_frame_equal(back.summary(), card.summary())
    assert back.binner_.get_params()["max_bins"] == 5
    assert back.binner.get_params()["max_bins"] == 5  # a refit bins as the original did
    # one copy of every binning: an edited WoE is refused rather than loaded inconsistently
    doc = json.loads(path.read_text())
    text = json.dumps(doc)
    assert text.count('"name": "duration_in_month"') == 1
    for v in doc["model"]["binnings"]:
        if v["name"] == card.variables_[0]:
            v["bins"][0]["woe"] += 0.5
    path.write_text(json.dumps(doc))
    with pytest.raises(bq.ModelFormatError):
        bq.scorecard.Scorecard.from_json(path)
