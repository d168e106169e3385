"""Variable screening and stepwise selection, each with a report of why a variable went."""
from __future__ import annotations

import warnings
from typing import List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from ..exceptions import ConvergenceWarning, InvalidArgumentError
from ._logistic import LogisticRegression


def screen(woe: pd.DataFrame, iv: pd.Series, X: Optional[pd.DataFrame] = None, *, min_iv: float = 0.02,
           max_missing_rate: float = 0.95, max_single_value_share: float = 0.95, max_correlation: float = 0.7,
           max_vif: float = 10.0) -> Tuple[List[str], pd.DataFrame]:
    """Drops characteristics in turn and says why: missing rate, single-value share (both on the raw
    ``X``), IV below ``min_iv``, |correlation| of WoE above ``max_correlation`` with a stronger
    (higher-IV) characteristic, then the largest VIF above ``max_vif`` until none is.

    Returns (kept names, report with columns iv, missing_rate, single_value_share, kept, reason).
    """
    for name, value, lo, hi in [("min_iv", min_iv, 0, np.inf), ("max_missing_rate", max_missing_rate, 0, 1),
                                ("max_single_value_share", max_single_value_share, 0, 1),
                                ("max_correlation", max_correlation, 0, 1), ("max_vif", max_vif, 1, np.inf)]:
        if not (lo <= value <= hi):
            raise InvalidArgumentError(f"argument '{name}': expected a value in [{lo}, {hi}], got {value}")
    names = list(woe.columns)
    report = pd.DataFrame(index=pd.Index(names, name="variable"))
    report["iv"] = [float(iv.get(c, np.nan)) for c in names]
    if X is not None:
        report["missing_rate"] = [float(X[c].isna().mean()) if c in X else np.nan for c in names]
        report["single_value_share"] = [float(X[c].value_counts(dropna=False, normalize=True).iloc[0])
                                        if c in X else np.nan for c in names]
    else:
        report["missing_rate"] = np.nan
        report["single_value_share"] = np.nan
    report["kept"] = True
    report["reason"] = ""

    def drop(c, reason):
        report.loc[c, "kept"] = False
        report.loc[c, "reason"] = reason

    for c in names:
        if report.loc[c, "missing_rate"] > max_missing_rate:
            drop(c, f"missing rate {report.loc[c, 'missing_rate']:.3f} > {max_missing_rate}")
        elif report.loc[c, "single_value_share"] > max_single_value_share:
            drop(c, f"one value holds {report.loc[c, 'single_value_share']:.3f} > {max_single_value_share}")
        elif not (report.loc[c, "iv"] >= min_iv):
            drop(c, f"IV {report.loc[c, 'iv']:.4f} < {min_iv}")
    kept = [c for c in report.sort_values("iv", ascending=False).index if report.loc[c, "kept"]]
    # Correlation: walk from the strongest; drop any later variable too close to a kept one.
    chosen: List[str] = []
    if kept:
        corr = woe[kept].corr().fillna(0.0)
        for c in kept:
            clash = [k for k in chosen if abs(corr.loc[c, k]) > max_correlation]
            if clash:
                drop(c, f"|corr| {abs(corr.loc[c, clash[0]]):.3f} with {clash[0]} (higher IV) > {max_correlation}")
            else:
                chosen.append(c)
    # VIF: drop the largest until all are below the limit.
    while len(chosen) > 1:
        vif = variance_inflation(woe[chosen])
        worst = vif.idxmax()
        if vif[worst] <= max_vif:
            break
        drop(worst, f"VIF {vif[worst]:.2f} > {max_vif}")
        chosen.remove(worst)
    return chosen, report


def variance_inflation(X: pd.DataFrame) -> pd.Series:
    """VIF_j = 1 / (1 - R^2_j), the diagonal of the inverse correlation matrix."""
    corr = np.corrcoef(np.asarray(X, dtype=float), rowvar=False)
    corr = np.atleast_2d(corr)
    try:
        inv = np.linalg.inv(corr)
        vif = np.diag(inv)
    except np.linalg.LinAlgError:
        vif = np.full(X.shape[1], np.inf)
    return pd.Series(vif, index=X.columns)


def stepwise(woe: pd.DataFrame, y, *, direction: str = "both", criterion: str = "aic", p_enter: float = 0.05,
             p_remove: float = 0.10, sample_weight=None, max_variables: Optional[int] = None,
             start: Optional[Sequence[str]] = None) -> Tuple[List[str], pd.DataFrame]:
    """Forward, backward or both-ways selection by AIC, BIC or p value.

    With "aic"/"bic" a step is taken when it lowers the criterion most; with "pvalue" a variable
    enters when its p value is the smallest below ``p_enter`` and leaves when its p value is the
    largest above ``p_remove``. Returns (selected names, history of steps).
    """
    if direction not in ("forward", "backward", "both"):
        raise InvalidArgumentError(f"argument 'direction': expected 'forward', 'backward' or 'both', got {direction!r}")
    if criterion not in ("aic", "bic", "pvalue"):
        raise InvalidArgumentError(f"argument 'criterion': expected 'aic', 'bic' or 'pvalue', got {criterion!r}")
    candidates = list(woe.columns)
    selected = list(start) if start is not None else ([] if direction != "backward" else list(candidates))
    max_variables = max_variables or len(candidates)
    history = []

    def fit(cols):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            if not cols:
                m = LogisticRegression().fit(np.zeros((len(woe), 0)), y, sample_weight)
            else:
                m = LogisticRegression().fit(woe[cols], y, sample_weight)
        return m

    def value(m):
        return m.aic_ if criterion == "aic" else m.bic_

    current = fit(selected)
    for _ in range(4 * len(candidates) + 4):
        best_move = None
        if direction in ("forward", "both") and len(selected) < max_variables:
            for c in [c for c in candidates if c not in selected]:
                m = fit(selected + [c])
                if criterion == "pvalue":
                    p = float(m.summary().loc[c, "p_value"])
                    if p < p_enter and (best_move is None or p < best_move[2]):
                        best_move = ("enter", c, p, m)
                elif value(m) < value(current) - 1e-9 and (best_move is None or value(m) < best_move[2]):
                    best_move = ("enter", c, value(m), m)
        if direction in ("backward", "both") and selected:
            if criterion == "pvalue":
                p = current.summary()["p_value"].drop("const")
                worst = p.idxmax()
                if p[worst] > p_remove and (best_move is None or direction == "backward"):
                    remaining = [c for c in selected if c != worst]
                    best_move = ("remove", worst, float(p[worst]), fit(remaining))
            else:
                for c in selected:
                    remaining = [k for k in selected if k != c]
                    m = fit(remaining)
                    target = best_move[2] if best_move else value(current) - 1e-9
                    if value(m) < target:
                        best_move = ("remove", c, value(m), m)
        if best_move is None:
            break
        action, c, v, m = best_move
        if action == "enter":
            selected.append(c)
        else:
            selected.remove(c)
        current = m
        history.append({"step": len(history) + 1, "action": action, "variable": c,
                        criterion if criterion != "pvalue" else "p_value": v, "n_variables": len(selected)})
    return selected, pd.DataFrame(history)
