"""Decision strategy: cutoff analysis, approve/refer/decline bands with policy rules, rating
master scale, and financial ratios for corporate ratings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from .._validation import as_float_vector
from ..exceptions import InvalidArgumentError


def cutoff_analysis(score, y=None, probability=None, cutoffs=None, profit_per_good: float = 1.0,
                    loss_per_bad: float = 5.0) -> pd.DataFrame:
    """Approval rate, expected bad rate and profit for each cutoff (approve when score >= cutoff).

    Bad outcomes come from ``y`` (observed, e.g. a validation sample) or, for a new population,
    from ``probability`` (the model's P(event)). Profit = goods approved x ``profit_per_good`` -
    bads approved x ``loss_per_bad``; the row with the highest profit is flagged ``best``.
    """
    s = as_float_vector(score, "score")
    if (y is None) == (probability is None):
        raise InvalidArgumentError("give exactly one of 'y' (observed 0/1) or 'probability' (expected P(event))")
    bad = as_float_vector(y if y is not None else probability, "y" if y is not None else "probability")
    if bad.shape != s.shape:
        raise InvalidArgumentError(f"arguments 'score' and outcome: expected the same length, got {s.size} and {bad.size}")
    if cutoffs is None:
        cutoffs = np.unique(np.quantile(s, np.linspace(0, 1, 21)))
    cutoffs = np.sort(as_float_vector(cutoffs, "cutoffs"))
    rows = []
    for c in cutoffs:
        approved = s >= c
        n = approved.sum()
        bads = bad[approved].sum()
        goods = n - bads
        rows.append({"cutoff": c, "approval_rate": n / s.size, "approved": int(n),
                     "expected_bads": bads, "bad_rate": bads / n if n else np.nan,
                     "profit": goods * profit_per_good - bads * loss_per_bad})
    df = pd.DataFrame(rows)
    df["best"] = df["profit"] == df["profit"].max()
    return df


def decision_bands(score, approve_at: float, decline_below: float,
                   policy_rules: Optional[Dict[str, object]] = None) -> pd.DataFrame:
    """Approve / refer / decline by score bands, with hard-decline policy rules applied first.

    ``score >= approve_at``: approve; ``score < decline_below``: decline; between: refer (manual
    review). ``policy_rules`` maps a rule name to a boolean mask (True = decline whatever the score),
    e.g. ``{"age under 18": df.age < 18}``. Returns columns decision and reason.
    """
    s = as_float_vector(score, "score")
    if not decline_below <= approve_at:
        raise InvalidArgumentError(f"arguments 'decline_below' ({decline_below}) and 'approve_at' ({approve_at}): "
                                   "expected decline_below <= approve_at")
    decision = np.where(s >= approve_at, "approve", np.where(s < decline_below, "decline", "refer")).astype(object)
    reason = np.where(decision == "approve", f"score >= {approve_at:g}",
                      np.where(decision == "decline", f"score < {decline_below:g}", "score in refer band")).astype(object)
    for name, mask in (policy_rules or {}).items():
        m = np.asarray(mask, dtype=bool)
        if m.shape != s.shape:
            raise InvalidArgumentError(f"argument 'policy_rules[{name!r}]': expected {s.size} flags, got {m.shape}")
        hit = m & (reason != None)  # noqa: E711
        first = hit & ~np.char.startswith(reason.astype(str), "policy:")
        decision[first] = "decline"
        reason[first] = f"policy: {name}"
    index = score.index if isinstance(score, pd.Series) else None
    return pd.DataFrame({"score": s, "decision": decision, "reason": reason}, index=index)


# Upper PD bounds of a 10-grade master scale, geometric (each grade about 2.5x the previous one's
# PD), from 0.03% (the Basel PD floor for corporates) to default; a common internal layout.
DEFAULT_GRADES = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
DEFAULT_PD_BOUNDS = [0.0005, 0.00125, 0.003, 0.0075, 0.0185, 0.045, 0.11, 0.25, 0.5, 1.0]


@dataclass
class MasterScale:
    """Maps a probability of default (or a score, through a scorecard's scaling) to a rating grade.

    Grade i holds PDs in (bound[i-1], bound[i]]. ``pd_floor`` (default 0.03%, the Basel floor)
    applies to the PD reported with each grade.
    """

    grades: List[str] = field(default_factory=lambda: list(DEFAULT_GRADES))
    pd_bounds: List[float] = field(default_factory=lambda: list(DEFAULT_PD_BOUNDS))
    pd_floor: float = 0.0003

    def __post_init__(self):
        b = np.asarray(self.pd_bounds, dtype=float)
        if len(self.grades) != b.size or b.size == 0:
            raise InvalidArgumentError(f"arguments 'grades' and 'pd_bounds': expected the same non-zero length, got "
                                       f"{len(self.grades)} and {b.size}")
        if not (np.all(np.diff(b) > 0) and b[0] > 0 and b[-1] == 1.0):
            raise InvalidArgumentError("argument 'pd_bounds': expected increasing bounds in (0, 1], the last 1.0")

    def grade(self, pd_values) -> pd.Series:
        p = as_float_vector(pd_values, "pd_values")
        if not ((p >= 0) & (p <= 1)).all():
            raise InvalidArgumentError("argument 'pd_values': expected probabilities in [0, 1]")
        idx = np.searchsorted(np.asarray(self.pd_bounds), p, side="left")
        return pd.Series(np.asarray(self.grades, dtype=object)[np.minimum(idx, len(self.grades) - 1)], name="grade")

    def grade_scores(self, card, score) -> pd.DataFrame:
        """Score -> PD (by the scorecard's scaling, floored) -> grade."""
        p = np.maximum(card.score_to_probability(score), self.pd_floor)
        return pd.DataFrame({"score": as_float_vector(score, "score"), "pd": p, "grade": self.grade(p).to_numpy()})

    def table(self) -> pd.DataFrame:
        lower = [0.0] + list(self.pd_bounds[:-1])
        return pd.DataFrame({"grade": self.grades, "pd_lower": lower, "pd_upper": self.pd_bounds})


RATIO_DEFINITIONS = {
    "leverage": ("total_liabilities", "total_assets", "liabilities / assets"),
    "debt_to_equity": ("total_liabilities", "equity", "liabilities / equity"),
    "current_ratio": ("current_assets", "current_liabilities", "liquidity: current assets / current liabilities"),
    "quick_ratio": (("current_assets", "inventory"), "current_liabilities", "(current assets - inventory) / current liabilities"),
    "interest_coverage": ("ebit", "interest_expense", "EBIT / interest expense"),
    "debt_service_coverage": ("ebitda", "debt_service", "EBITDA / (interest + principal due)"),
    "return_on_assets": ("net_income", "total_assets", "profitability: net income / assets"),
    "ebitda_margin": ("ebitda", "revenue", "EBITDA / revenue"),
}


def financial_ratios(statements: pd.DataFrame) -> pd.DataFrame:
    """Corporate credit ratios from financial statement fields (one row per company and year).

    Needs the columns each ratio uses (see RATIO_DEFINITIONS); a ratio whose fields are absent is
    skipped, and a zero denominator gives NaN (a missing value, which the binning puts in its own
    bin) rather than inf.
    """
    if not isinstance(statements, pd.DataFrame) or statements.empty:
        raise InvalidArgumentError("argument 'statements': expected a non-empty DataFrame")
    out = pd.DataFrame(index=statements.index)
    for name, (num, den, _) in RATIO_DEFINITIONS.items():
        fields = (list(num) if isinstance(num, tuple) else [num]) + [den]
        if not all(f in statements for f in fields):
            continue
        numerator = statements[num[0]] - statements[num[1]] if isinstance(num, tuple) else statements[num]
        denominator = statements[den].astype(float)
        out[name] = numerator / denominator.where(denominator != 0)
    if out.shape[1] == 0:
        raise InvalidArgumentError(f"argument 'statements': no ratio can be computed; fields used: "
                                   f"{sorted({f for v in RATIO_DEFINITIONS.values() for f in ((list(v[0]) if isinstance(v[0], tuple) else [v[0]]) + [v[1]])})}")
    return out
