"""Logistic model, scorecard, metrics, monitoring, strategy and deployment on German credit.

References: statsmodels Logit (coefficients, standard errors, p values), scikit-learn
(roc_auc_score, LogisticRegression with L2/L1 penalties), scipy.stats.ks_2samp (KS), SQLite
(the exported SQL), and the C++ score_service built against the installed package.
"""
import sqlite3
import subprocess
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from sklearn.linear_model import LogisticRegression as SkLogistic
from sklearn.metrics import roc_auc_score

import bankquant as bq

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def german():
    df = bq.datasets.german_credit()
    y = (df.pop("creditability") == "bad").astype(int)
    return df, y


@pytest.fixture(scope="module")
def woe(german):
    df, y = german
    b = bq.scorecard.Binner().fit(df, y)
    cols = [c for c in b.iv_.index if b.iv_[c] >= 0.02]
    return b.transform(df)[cols]


@pytest.fixture(scope="module")
def card(german):
    df, y = german
    return bq.scorecard.Scorecard().fit(df.iloc[:700], y.iloc[:700])


def test_logistic_equals_statsmodels(german, woe):
    _, y = german
    ours = bq.scorecard.LogisticRegression().fit(woe, y).summary()
    ref = sm.Logit(y.to_numpy(), sm.add_constant(woe)).fit(disp=0, tol=1e-12, maxiter=100)
    np.testing.assert_allclose(ours["coef"], ref.params, atol=1e-6)
    np.testing.assert_allclose(ours["std_err"], ref.bse, atol=1e-6)
    np.testing.assert_allclose(ours["z"], ref.tvalues, atol=1e-6)
    np.testing.assert_allclose(ours["p_value"], ref.pvalues, atol=1e-6)
    m = bq.scorecard.LogisticRegression().fit(woe, y)
    assert m.log_likelihood_ == pytest.approx(ref.llf, abs=1e-6)
    assert m.aic_ == pytest.approx(ref.aic, abs=1e-6) and m.bic_ == pytest.approx(ref.bic, abs=1e-6)


def test_l2_and_l1_equal_scikit_learn(german, woe):
    _, y = german
    # sklearn minimises C * loss + ||w||^2 / 2 (intercept unpenalised): l2 = 1 / C. Its saga solver reaches
    # the optimum to 1e-10 in well under a second here (newton-cg at that tolerance takes about a minute).
    ours = bq.scorecard.LogisticRegression(l2=4.0).fit(woe, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = SkLogistic(C=0.25, solver="saga", tol=1e-10, max_iter=100_000).fit(woe, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_[0], atol=1e-6)
    assert ours.intercept_ == pytest.approx(ref.intercept_[0], abs=1e-6)
    ours = bq.scorecard.LogisticRegression(l1=10.0).fit(woe, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = SkLogistic(penalty="l1", C=0.1, solver="saga", tol=1e-10, max_iter=100_000).fit(woe, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_[0], atol=1e-6)
    # and the lasso optimality (KKT) conditions hold: gradient = l1 sign(b) where b != 0, |gradient| <= l1 where 0
    X = woe.to_numpy()
    gradient = X.T @ (y.to_numpy() - ours.predict_proba(woe)[:, 1])
    nonzero = ours.coef_ != 0
    np.testing.assert_allclose(gradient[nonzero], 10.0 * np.sign(ours.coef_[nonzero]), atol=1e-8)
    assert (np.abs(gradient[~nonzero]) <= 10.0 + 1e-8).all() and (~nonzero).any()


def test_separation_is_an_error_or_a_warning():
    X = pd.DataFrame({"x": [-3.0, -2, -1, 1, 2, 3]})
    with pytest.raises(bq.ConvergenceError, match="separation"):
        bq.scorecard.LogisticRegression().fit(X, [0, 0, 0, 1, 1, 1])
    # quasi-separation: x > 0 always an event, x = 0 mixed
    Xq = pd.DataFrame({"x": [-2.0, -1, 0, 0, 0, 1, 2, 3]})
    with pytest.warns(bq.ConvergenceWarning, match="separation"):
        m = bq.scorecard.LogisticRegression().fit(Xq, [0, 0, 0, 1, 0, 1, 1, 1])
    assert np.isfinite(m.coef_).all()


def test_metrics_equal_references(german, card):
    df, y = german
    p = card.predict_proba(df.iloc[700:])[:, 1]
    yt = y.iloc[700:]
    assert bq.scorecard.auc(yt, p) == pytest.approx(roc_auc_score(yt, p), abs=1e-12)
    assert bq.scorecard.gini(yt, p) == pytest.approx(2 * roc_auc_score(yt, p) - 1, abs=1e-12)
    assert bq.scorecard.ks(yt, p) == pytest.approx(stats.ks_2samp(p[yt == 1], p[yt == 0]).statistic, abs=1e-12)
    tied = np.round(p, 1)  # heavy ties
    assert bq.scorecard.auc(yt, tied) == pytest.approx(roc_auc_score(yt, tied), abs=1e-12)
    gains = bq.scorecard.gains_table(yt, p, bands=10)
    assert gains["count"].sum() == 300 and gains["cum_events_share"].iloc[-1] == pytest.approx(1.0)
    assert gains["lift"].iloc[0] > 1.5  # the riskiest tenth holds far more than its share of bads
    assert gains["ks"].max() <= bq.scorecard.ks(yt, p) + 1e-12
    statistic, p_value, table = bq.scorecard.hosmer_lemeshow(yt, p)
    assert len(table) == 10 and statistic >= 0 and 0 <= p_value <= 1


def test_points_table_reproduces_the_score(german, card):
    df, _ = german
    table = card.points_table()
    score = card.score(df)
    idx = card.binner_.bin_indices(df, card.variables_)
    by_table = np.full(len(df), table.loc[0, "points"])
    for name in card.variables_:
        pts = table[table["variable"] == name]["points"].to_numpy()
        by_table += pts[idx[name]]
    np.testing.assert_array_equal(by_table, score.to_numpy())
    assert (table["points"] == np.round(table["points"])).all()
    # Unrounded model score: Offset - Factor * logit; the rounded score is within 0.5 per entry.
    factor = 20 / np.log(2)
    p = card.predict_proba(df)[:, 1]
    logit = np.log(p / (1 - p))
    model_score = 600 - factor * np.log(50) - factor * logit
    assert np.abs(score - model_score).max() <= 0.5 * (len(card.variables_) + 1) + 1e-9
    # and the probability implied by the scaling matches the model's on average
    np.testing.assert_allclose(card.score_to_probability(model_score), p, rtol=1e-10)
    np.testing.assert_allclose(card.decision_function(df), logit, rtol=1e-9, atol=1e-12)


def test_transform_gives_the_selected_woe(german, card):
    df, _ = german
    woe = card.transform(df)
    assert list(woe.columns) == card.variables_
    np.testing.assert_array_equal(woe.to_numpy(), card.binner_.transform(df)[card.variables_].to_numpy())


def test_summary_signs_and_selection_report(card):
    s = card.summary()
    assert s.index[0] == "const"
    # on 700 German credit rows 'job' enters with a small negative coefficient: flagged, not hidden
    assert (s["sign_ok"].iloc[1:] == (s["coef"].iloc[1:] > 0)).all()
    assert set(card.sign_violations_) == set(s.index[1:][s["coef"].iloc[1:] < 0])
    assert (s["coef"].iloc[1:] > 0).sum() >= len(s) - 2
    report = card.selection_report_
    assert set(report.index[report["kept"]]) == set(card.variables_)
    assert (report.loc[~report["kept"], "reason"] != "").all()


def test_screening_reasons(german):
    df, y = german
    X = df.assign(duration_copy=df["duration_in_month"] + 0.0)
    card = bq.scorecard.Scorecard().fit(X, y)
    report = card.selection_report_
    dropped = report.loc[["duration_copy", "duration_in_month"], "kept"]
    assert dropped.sum() == 1  # one of the perfectly correlated pair goes
    loser = dropped.index[~dropped][0]
    assert "|corr| 1.000" in report.loc[loser, "reason"]
    assert any("IV" in r and "< min_iv 0.02" in r for r in report["reason"])


def test_stepwise_lowers_the_criterion(german, woe):
    _, y = german
    chosen, history = bq.scorecard.stepwise(woe, y, direction="forward", criterion="aic")
    assert list(history["variable"]) == chosen
    assert (np.diff(history["aic"]) < 0).all()
    full = bq.scorecard.LogisticRegression().fit(woe[chosen], y)
    for c in woe.columns.difference(chosen):  # no single addition improves the final model
        assert bq.scorecard.LogisticRegression().fit(woe[chosen + [c]], y).aic_ >= full.aic_ - 1e-9
    back, _ = bq.scorecard.stepwise(woe, y, direction="backward", criterion="bic")
    assert 0 < len(back) < woe.shape[1]
    card = bq.scorecard.Scorecard(stepwise="both", criterion="bic").fit(*german)
    assert len(card.variables_) <= len(bq.scorecard.Scorecard().fit(*german).variables_)


def test_sql_in_sqlite_equals_score(german, card):
    df, _ = german
    data = df.copy()
    data.iloc[0, data.columns.get_loc("purpose")] = "crypto"  # unseen: 0 points in both
    con = sqlite3.connect(":memory:")
    data.to_sql("applicants", con, index=False)
    sql_scores = np.array([r[0] for r in con.execute(f"SELECT {card.to_sql()} FROM applicants")])
    np.testing.assert_allclose(sql_scores, card.score(data).to_numpy(), atol=1e-9)


def test_json_round_trip_and_cpp_service(german, card, tmp_path):
    df, _ = german
    path = tmp_path / "card.json"
    card.to_json(path)
    back = bq.scorecard.Scorecard.from_json(path)
    pd.testing.assert_series_equal(back.score(df), card.score(df))
    np.testing.assert_array_equal(back.predict_proba(df), card.predict_proba(df))
    service = ROOT / "build" / "consumer" / "score_service"
    assert service.exists(), "build the C++ examples first: make test-package"
    csv = tmp_path / "applicants.csv"
    df.to_csv(csv, index=False)
    done = subprocess.run([str(service), str(path), str(csv), str(tmp_path / "scores.csv")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    cpp = pd.read_csv(tmp_path / "scores.csv", float_precision="round_trip")  # pandas' default parser can be 1 ulp off
    np.testing.assert_array_equal(cpp["score"].to_numpy(), card.score(df).to_numpy())
    np.testing.assert_allclose(cpp["probability"].to_numpy(), card.predict_proba(df)[:, 1], rtol=1e-15, atol=0)


def test_corrupted_or_foreign_model_files(tmp_path, card):
    path = tmp_path / "card.json"
    card.to_json(path)
    text = path.read_text()
    path.write_text(text[: len(text) // 3])
    with pytest.raises(bq.ModelFormatError, match="not valid JSON"):
        bq.scorecard.Scorecard.from_json(path)
    bq.io.save_model(path, "garch", {})
    with pytest.raises(bq.ModelFormatError, match="holds a 'garch' model"):
        bq.scorecard.Scorecard.from_json(path)


def test_reason_codes(german, card):
    df, _ = german
    reasons = card.reason_codes(df.head(50), n_reasons=3)
    assert list(reasons.columns) == ["reason_1", "points_lost_1", "reason_2", "points_lost_2", "reason_3",
                                     "points_lost_3"]
    assert (reasons["points_lost_1"] >= reasons["points_lost_2"]).all()
    assert set(reasons["reason_1"].dropna()) <= set(card.variables_)
    table = card.points_table()
    best = table.groupby("variable")["points"].max()
    row = card.binner_.bin_indices(df.head(1), card.variables_)
    lost = {v: best[v] - table[table["variable"] == v]["points"].to_numpy()[row[v][0]] for v in card.variables_}
    top = max(lost, key=lost.get)
    assert reasons["points_lost_1"].iloc[0] == pytest.approx(lost[top])
    neutral = card.reason_codes(df.head(50), reference="neutral")
    assert (neutral["points_lost_1"] <= reasons["points_lost_1"] + 1e-9).all()


def test_psi_csi_and_stability_report(german, card):
    df, _ = german
    s = card.score(df)
    assert bq.scorecard.psi(s.iloc[:500], s.iloc[500:]) < 0.1
    # A riskier recent population: longer loans, and every checking account overdrawn.
    shifted = df.copy()
    shifted["duration_in_month"] = shifted["duration_in_month"] * 2
    shifted["status_of_existing_checking_account"] = "... < 0 DM"
    report = bq.scorecard.stability_report(card, df, shifted)
    assert report.loc["duration_in_month (CSI)", "flag"] == "significant shift"
    assert report.loc["status_of_existing_checking_account (CSI)", "flag"] == "significant shift"
    assert report.loc["score (PSI)", "flag"] == "significant shift"
    unchanged = bq.scorecard.stability_report(card, df, df.sample(frac=1.0, random_state=1))
    assert (unchanged["index"] < 1e-12).all()
    t = bq.scorecard.stability_table(s.iloc[:500], s.iloc[500:])
    assert t["expected_share"].sum() == pytest.approx(1.0)


def test_strategy(german, card):
    df, y = german
    s = card.score(df.iloc[700:])
    cut = bq.scorecard.cutoff_analysis(s, y=y.iloc[700:])
    assert (np.diff(cut["approval_rate"]) <= 0).all()
    assert cut["best"].sum() >= 1
    by_model = bq.scorecard.cutoff_analysis(s, probability=card.predict_proba(df.iloc[700:])[:, 1])
    assert len(by_model) == len(cut)
    bands = bq.scorecard.decision_bands(s, approve_at=540, decline_below=480,
                                        policy_rules={"age under 21": df.iloc[700:]["age_in_years"] < 21})
    assert set(bands["decision"]) <= {"approve", "refer", "decline"}
    young = (df.iloc[700:]["age_in_years"] < 21).to_numpy()
    assert (bands["decision"][young] == "decline").all() and (bands["reason"][young] == "policy: age under 21").all()
    scale = bq.scorecard.MasterScale()
    graded = scale.grade_scores(card, s)
    order = np.argsort(graded["pd"].to_numpy())
    assert (np.diff(graded["grade"].astype(int).to_numpy()[order]) >= 0).all()
    with pytest.raises(bq.InvalidArgumentError, match="decline_below"):
        bq.scorecard.decision_bands(s, approve_at=400, decline_below=500)


def test_financial_ratios():
    statements = pd.DataFrame({"total_assets": [100.0, 50.0], "total_liabilities": [60.0, 45.0],
                               "equity": [40.0, 5.0], "current_assets": [30.0, 10.0], "inventory": [10.0, 2.0],
                               "current_liabilities": [20.0, 0.0], "ebit": [12.0, 1.0], "interest_expense": [3.0, 2.0],
                               "net_income": [8.0, -1.0]})
    r = bq.scorecard.financial_ratios(statements)
    assert r.loc[0, "leverage"] == 0.6 and r.loc[0, "interest_coverage"] == 4.0
    assert r.loc[0, "quick_ratio"] == 1.0
    assert np.isnan(r.loc[1, "current_ratio"])  # zero denominator: missing, not inf
    with pytest.raises(bq.InvalidArgumentError):
        bq.scorecard.financial_ratios(pd.DataFrame({"x": [1.0]}))


@pytest.mark.parametrize("method", ["hard_cutoff", "fuzzy", "parcelling"])
def test_reject_inference(german, card, method):
    df, y = german
    accepted, rejected = df.iloc[:700], df.iloc[700:]
    out = bq.scorecard.reject_inference(card, accepted, y.iloc[:700], rejected, method=method, seed=3)
    assert set(out.y.unique()) <= {0, 1}
    assert (out.source == "accepted").sum() == 700
    rejected_weight = out.sample_weight[out.source != "accepted"].sum()
    assert rejected_weight == pytest.approx(300.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the sign check may fire on an augmented sample
        refit = bq.scorecard.Scorecard().fit(out.X, out.y, sample_weight=out.sample_weight)
    assert len(refit.variables_) > 0
    again = bq.scorecard.reject_inference(card, accepted, y.iloc[:700], rejected, method=method, seed=3)
    pd.testing.assert_frame_equal(out.frame(), again.frame())
    with pytest.raises(bq.InvalidArgumentError, match="argument 'bands'"):
        bq.scorecard.reject_inference(card, accepted, y.iloc[:700], rejected, method=method, bands=0)


def test_scorecard_bad_input(german, card):
    df, y = german
    with pytest.raises(bq.NotFittedError):
        bq.scorecard.Scorecard().score(df)
    with pytest.raises(bq.InvalidArgumentError, match=r"missing columns \['duration_in_month'\]"):
        card.score(df.drop(columns=["duration_in_month"]))
    with pytest.raises(bq.InvalidArgumentError, match="argument 'pdo'"):
        bq.scorecard.Scorecard(pdo=-20).fit(df, y)
    with pytest.raises(bq.InvalidArgumentError, match="holds infinite values"):
        card.score(df.assign(duration_in_month=np.inf))
    # the message names the limit that dropped each characteristic: lowering min_iv does not cure a leak
    with pytest.raises(bq.InvalidArgumentError, match=r"no characteristic passed the screening \(status_of_existing"
                                                      r"_checking_account: IV 0\.\d+ < min_iv 5"):
        bq.scorecard.Scorecard(min_iv=5.0).fit(df, y)
    with pytest.raises(bq.InvalidArgumentError, match=r"passed the screening \(leak: separates the classes"):
        bq.scorecard.Scorecard(min_iv=0.0).fit(pd.DataFrame({"leak": y.to_numpy()}), y)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'stepwise'"):
        bq.scorecard.Scorecard(stepwise="sideways").fit(df, y)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'y'"):
        bq.scorecard.auc([0, 1, 2], [0.1, 0.2, 0.3])
