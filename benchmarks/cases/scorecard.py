"""Credit scorecards on data shaped like users' data: real-valued heavy-tailed columns with
missing values (1M x 20), and German-credit-like mixed columns (the UCI data resampled to 100k
rows: 13 categorical, 7 integer). Peers: what a user writes with pandas + statsmodels, and
scikit-learn for the AUC."""
from __future__ import annotations

from typing import List

import numpy as np

import bankquant as bq

from . import Case


def real_valued(n: int, k: int = 20, seed: int = 0):
    """n applicants x k real-valued characteristics: lognormal amounts (every third column),
    Student-t(3) scores otherwise, 5% missing in every fourth column; the first 10 predictive."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, k))
    X = pd.DataFrame({f"x{i}": (np.exp(Z[:, i]) * 1000 if i % 3 == 0 else rng.standard_t(3, n) * (i + 1) + Z[:, i])
                      for i in range(k)})
    eta = -2 + Z[:, :10] @ np.linspace(0.5, 0.05, 10)
    for i in range(0, k, 4):
        X.iloc[rng.random(n) < 0.05, i] = np.nan
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int))
    return X, y


def german_like(n: int, seed: int = 0):
    """The German credit data (13 categorical, 7 integer columns) resampled with replacement to n rows."""
    df = bq.datasets.german_credit()
    y = (df.pop("creditability") == "bad").astype(int)
    idx = np.random.default_rng(seed).integers(0, len(df), n)
    return df.iloc[idx].reset_index(drop=True), y.iloc[idx].reset_index(drop=True)


def _pandas_woe_logit(data):
    """The peer of a full fit: pandas quantile bins and WoE for every column, then statsmodels Logit."""
    import pandas as pd
    import statsmodels.api as sm

    X, y = data
    woe = {}
    for c in X.columns:
        q = pd.qcut(X[c], 10, duplicates="drop")
        g = pd.DataFrame({"q": q, "y": y}).groupby("q", observed=True)["y"].agg(["sum", "count"])
        e = (g["sum"] + 0.5) / y.sum()
        ne = (g["count"] - g["sum"] + 0.5) / (len(y) - y.sum())
        woe[c] = q.map(np.log(e / ne)).astype(float).fillna(0.0)
    W = pd.DataFrame(woe)
    return sm.Logit(y.to_numpy(), sm.add_constant(W)).fit(disp=0)


def _pandas_mixed_binning(data):
    """The peer of binning mixed columns: groupby per category, qcut + groupby per number."""
    import pandas as pd

    X, y = data
    out = {}
    for c in X.columns:
        key = X[c] if X[c].dtype == object else pd.qcut(X[c], 20, duplicates="drop")
        out[c] = pd.DataFrame({"k": key, "y": y}).groupby("k", observed=True)["y"].agg(["sum", "count"])
    return out


def cases() -> List[Case]:
    import statsmodels.api as sm
    from sklearn.metrics import roc_auc_score

    from peers import pandas_binning as peer

    def fitted_card():
        X, y = real_valued(1_000_000)
        card = bq.scorecard.Scorecard().fit(X, y)
        cuts = {b.name: b.cut_points() for b in card.card_.variables}
        points = {b.name: p[:len(cuts[b.name]) + 1] for b, p in zip(card.card_.variables, card.card_.points)}
        return X.fillna(X.median()), card, cuts, points

    def stepwise_data():
        X, y = real_valued(1_000_000)
        b = bq.scorecard.Binner().fit(X, y)
        cols = list(b.iv_.index[:12])
        return b.transform(X, columns=cols), y

    return [
        Case("scorecard fit 1M x 20 real-valued (binning, screening, logistic, points)",
             "pandas qcut WoE of every column + statsmodels Logit", lambda: real_valued(1_000_000),
             lambda d: bq.scorecard.Scorecard().fit(*d), _pandas_woe_logit, target_s=2.0),
        Case("binning 100k German-credit-like mixed (13 categorical, 7 integer)",
             "pandas groupby per category, qcut + groupby per number", lambda: german_like(100_000),
             lambda d: bq.scorecard.Binner().fit(*d), _pandas_mixed_binning, target_s=0.074),
        Case("binning 100k x 20 real-valued, optimal (exact DP)", "pandas qcut/groupby + the same DP in Python",
             lambda: real_valued(100_000),
             lambda d: bq.scorecard.Binner().fit(*d),
             lambda d: [peer.optimal_binning(d[0][c].fillna(d[0][c].median()), d[1]) for c in d[0].columns]),
        Case("stepwise forward (AIC), 1M x 12 WoE columns", "statsmodels Logit: one fit of the final model only",
             stepwise_data,
             lambda d: bq.scorecard.stepwise(d[0], d[1], direction="forward"),
             lambda d: sm.Logit(d[1].to_numpy(), sm.add_constant(d[0])).fit(disp=0), target_s=5.0),
        Case("scoring 1M applicants (real-valued)", "pandas cut + points lookup", fitted_card,
             lambda d: d[1].score(d[0]),
             lambda d: peer.score(d[0], d[2], d[3], d[1].card_.base_points), target_s=0.3),
        Case("AUC of 1M scores", "sklearn roc_auc_score",
             lambda: (lambda X, y: (y.to_numpy(), np.random.default_rng(2).random(len(y)) + 0.2 * y.to_numpy()))(
                 *real_valued(1_000_000)),
             lambda d: bq.scorecard.auc(*d, higher_is_safer=False), lambda d: roc_auc_score(*d)),  # higher = riskier, as sklearn
    ]


TITLE = 'Credit scorecards'


NOTES = [
    "- Data: `real_valued(n)` is n applicants x 20 real-valued columns (lognormal amounts, Student-t(3) scores, 5% "
    "missing in every fourth column; a logistic target on the first 10, 20% bad); `german_like(100_000)` is the UCI "
    "German credit data (13 categorical, 7 integer columns) resampled with replacement (benchmarks/cases/scorecard.py).",
    "- Targets from the scorecard issue: a full fit of 1M x 20 real-valued under 2 s; binning 100k German-credit-like "
    "rows at least 5x faster than before this work (0.369 s at commit b4505f5 on this machine, so under 0.074 s); "
    "stepwise selection on 1M rows in seconds (the issue measured 34 s; the previous Python stepwise took 25 s for "
    "forward selection over 12 columns of 1M rows here).",
    "- The fit peer bins every column by pandas qcut deciles and maps WoE, then fits statsmodels' Logit on all 20: "
    "what a user writes without a scorecard library (no optimal binning, screening or points). The stepwise peer is "
    "a single statsmodels fit of the final model: a forward search makes dozens of such fits, so the ratio "
    "understates the gap.",
    "- Binning peer (100k x 20): a lean, vectorised pandas implementation of the same binning (pd.qcut pre-bins, "
    "groupby counts, and the same exact dynamic program in Python; benchmarks/peers/). scorecardpy, optbinning and "
    "toad are not installable here (no PyPI).",
]
