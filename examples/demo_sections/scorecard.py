"""Demo section: scorecard."""
from __future__ import annotations

import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import bankquant as bq

from .common import markdown_table


def section(out: Path) -> str:
    """An application scorecard on German credit: fit on 70%, evaluate on 30%."""
    df = bq.datasets.german_credit()
    y = (df.pop("creditability") == "bad").astype(int)
    train = np.random.default_rng(7).random(len(df)) < 0.7
    X_train, X_test, y_train, y_test = df[train], df[~train], y[train], y[~train]
    start = time.perf_counter()
    card = bq.scorecard.Scorecard(pdo=20, base_score=600, base_odds=50, stepwise="both", criterion="bic").fit(
        X_train, y_train)
    fit_seconds = time.perf_counter() - start
    p_test = card.predict_proba(X_test)[:, 1]
    s_test = card.score(X_test)
    lines = ["## Credit scorecard (German credit)", "",
             f"Fitted on {train.sum()} applicants in {fit_seconds:.2f} s (binning of 20 characteristics, "
             f"screening, stepwise selection by BIC, logistic model, points); {len(card.variables_)} "
             "characteristics kept. Scaling: 600 points = good:bad odds 50:1, 20 points double the odds.", "",
             f"Hold-out ({(~train).sum()} applicants): **AUC {bq.scorecard.auc(y_test, p_test):.3f}, "
             f"Gini {bq.scorecard.gini(y_test, p_test):.3f}, KS {bq.scorecard.ks(y_test, p_test):.3f}**; "
             f"PSI train vs. hold-out {bq.scorecard.psi(card.score(X_train), s_test):.3f}.", ""]
    iv = card.binner_.iv_.head(8).to_frame("IV").round(3)
    iv.index.name = "characteristic"
    lines += ["### Information value (top 8)", "", markdown_table(iv), ""]
    summary = card.summary()[["coef", "std_err", "p_value", "iv"]].round(4)
    lines += ["### Model", "", markdown_table(summary), ""]

    fig, axes = plt.subplots(1, 3, figsize=(17, 4.2))
    for ax, name in zip(axes, ["status_of_existing_checking_account", "duration_in_month", "credit_amount"]):
        card.binner_.plot(name, ax=ax)
    fig.tight_layout()
    fig.savefig(out / "scorecard_binning.png", dpi=85)
    plt.close(fig)
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    bq.scorecard.plot_roc(y_test, p_test, ax=axes[0])
    bq.scorecard.plot_ks(y_test, p_test, ax=axes[1])
    bq.scorecard.plot_score_distribution(s_test, y_test, ax=axes[2])
    fig.tight_layout()
    fig.savefig(out / "scorecard_performance.png", dpi=85)
    plt.close(fig)
    lines += ["![binning](scorecard_binning.png)", "", "![performance](scorecard_performance.png)", ""]

    points = card.points_table()
    excerpt = points[points["variable"].isin(["(base points)", card.variables_[0]])][["variable", "bin", "woe", "points"]]
    lines += ["### Points table (excerpt)", "", markdown_table(excerpt.set_index("variable").round(3)), ""]
    cut = bq.scorecard.cutoff_analysis(s_test, y=y_test, profit_per_good=1, loss_per_bad=5)
    best_cut = float(cut.loc[cut["profit"].idxmax(), "cutoff"])
    cut = cut.iloc[::3][["cutoff", "approval_rate", "bad_rate", "profit", "best"]].set_index("cutoff").round(3)
    lines += ["### Cutoff strategy on the hold-out (profit: +1 per good, -5 per bad)", "", markdown_table(cut), ""]

    # Bin editing: whole-year duration bands, carried into a refit scorecard.
    binner = bq.scorecard.Binner().fit(X_train, y_train)
    optimal_iv = float(binner.iv_["duration_in_month"])
    before = binner.table("duration_in_month")[["bin", "count", "event_rate", "woe"]]
    binner.update("duration_in_month", breaks=[12, 24, 36])
    after = binner.table("duration_in_month")[["bin", "count", "event_rate", "woe"]]
    edited = bq.scorecard.Scorecard(binner=binner).fit(X_train, y_train)
    lines += ["### Editing bins: duration in whole years", "",
              f"Optimal bins (IV {optimal_iv:.3f}) against the "
              f"hand-edited 12/24/36-month bands (IV {binner.iv_['duration_in_month']:.3f}); the scorecard refit with "
              f"the edited binner scores the hold-out at AUC "
              f"{bq.scorecard.auc(y_test, edited.predict_proba(X_test)[:, 1]):.3f}.", "",
              markdown_table(before.set_index("bin").round(3)), "", markdown_table(after.set_index("bin").round(3)), ""]

    # Monitoring over two periods: the second quarter drifts (longer loans, more defaults without an account).
    quarter = np.where(np.arange(len(X_test)) < len(X_test) // 2, "Q1", "Q2")
    recent, y_recent = X_test.copy(), y_test.copy()
    q2 = quarter == "Q2"
    recent.loc[q2, "duration_in_month"] = recent.loc[q2, "duration_in_month"] * 2
    y_recent[(recent["status_of_existing_checking_account"] == "no checking account").to_numpy() & q2] = 1
    report = bq.scorecard.monitor(card, X_train, y_train, recent, y_recent, period=quarter)
    flagged = report.flagged_bins().sort_values("p_value").head(8)[
        ["variable", "period", "bin_label", "expected_rate", "actual_rate", "p_value"]]
    fig, axes = plt.subplots(1, 3, figsize=(17, 4.5))
    report.plot(axes=axes)
    fig.tight_layout()
    fig.savefig(out / "scorecard_monitoring.png", dpi=85)
    plt.close(fig)
    lines += ["### Monitoring over two periods", "",
              "PSI of the score and CSI of each characteristic per quarter, and each bin's bad rate tested against "
              "development (chi-square, Fisher's exact test for small bins).", "",
              markdown_table(report.summary.round(4)), "",
              f"Bins whose bad rate moved most significantly ({len(report.flagged_bins())} flagged in all):", "",
              markdown_table(flagged.set_index("variable").round(4)), "",
              "![monitoring](scorecard_monitoring.png)", ""]

    # Counterfactual reasons for declined applicants.
    declined = X_test[(s_test < best_cut).to_numpy()].head(3)
    cf = card.counterfactuals(declined, target_score=best_cut, fixed=["age_in_years"])
    lines += [f"### Counterfactual reasons (cutoff {best_cut:.0f}; age held fixed)", "",
              markdown_table(cf.set_index("row").round(1)), ""]

    # A continuous target: an LGD-like share binned by a numeric characteristic.
    bikes = bq.datasets.bike_sharing_hourly()
    share = bikes["casual"] / bikes["cnt"]
    lgd = bq.scorecard.Binner(target="continuous", max_bins=6).fit(bikes[["temp"]], share)
    table = lgd.table("temp")[["bin", "count", "mean", "std"]]
    lines += ["### Binning a continuous target (LGD-like)", "",
              "The casual riders' share of hourly bike rentals (UCI bike sharing), a bounded ratio standing in for "
              f"LGD, binned by temperature: monotone bin means, R² {lgd.iv_['temp']:.3f}.", "",
              markdown_table(table.set_index("bin").round(4)), ""]
    return "\n".join(lines)
