"""Decision strategy (C++, bankquant/scorecard/strategy.hpp): cutoff analysis, approve / refer /
decline bands with policy rules, the rating master scale; and financial ratios for corporate
ratings (column arithmetic on the statements, in pandas)."""
from __future__ import annotations

from typing import Dict, Optional

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_bool_vector, as_float, as_float_vector, fail
from ..exceptions import InvalidArgumentError
from ._params import ParamsMixin

_sc = _core.scorecard


def cutoff_analysis(score, y=None, probability=None, cutoffs=None, profit_per_good: float = 1.0,
                    loss_per_bad: float = 5.0) -> pd.DataFrame:
    """Approval rate, bad rate and profit for each cutoff (approve when score >= cutoff).

    Bad outcomes come from ``y`` (observed 0/1, e.g. a validation sample) or, for a new population,
    from ``probability`` (the model's P(event)). Profit = goods approved x ``profit_per_good`` -
    bads approved x ``loss_per_bad``; the row with the highest profit is flagged ``best``.
    """
    s = as_float_vector(score, "score")
    if (y is None) == (probability is None):
        raise InvalidArgumentError("arguments 'y' and 'probability': give exactly one (observed 0/1 outcomes, or "
                                   "the model's P(event))")
    if y is not None:
        bad = as_float_vector(y, "y")
        wrong = ~np.isin(bad, (0.0, 1.0))
        if wrong.any():
            fail("y", f"expected 0/1 outcomes, found {bad[wrong][0]} at index {int(np.flatnonzero(wrong)[0])}")
    else:
        bad = as_float_vector(probability, "probability")
        wrong = ~((bad >= 0) & (bad <= 1))
        if wrong.any():
            fail("probability", f"expected probabilities in [0, 1], found {bad[wrong][0]}")
    if bad.shape != s.shape:
        raise InvalidArgumentError(f"arguments 'score' and '{'y' if y is not None else 'probability'}': expected the "
                                   f"same length, got {s.size} and {bad.size}")
    options = build(_sc.CutoffOptions, cutoffs=None if cutoffs is None else as_float_vector(cutoffs, "cutoffs"),
                    profit_per_good=profit_per_good, loss_per_bad=loss_per_bad)
    r = _sc.cutoff_analysis(s, bad, options)
    return pd.DataFrame([row.to_dict() for row in r.rows])


def decision_bands(score, approve_at: float, decline_below: float,
                   policy_rules: Optional[Dict[str, object]] = None) -> pd.DataFrame:
    """Approve / refer / decline by score bands, with hard-decline policy rules applied first.

    ``score >= approve_at``: approve; ``score < decline_below``: decline; between: refer (manual
    review). ``policy_rules`` maps a rule name to a boolean mask (True = decline whatever the
    score), e.g. ``{"age under 18": df.age < 18}``. Returns columns score, decision and reason.
    """
    s = as_float_vector(score, "score")
    names = list((policy_rules or {}).keys())
    masks = []
    for name in names:
        rule, argument = policy_rules[name], f"policy_rules[{name}]"
        if isinstance(rule, pd.Series):
            if rule.isna().any():
                fail(argument, "expected True/False for every applicant, found a missing value")
            rule = rule.to_numpy(dtype=bool) if pd.api.types.is_bool_dtype(rule.dtype) else rule
        elif isinstance(rule, (list, tuple)) and all(isinstance(v, (bool, np.bool_)) for v in rule):
            rule = np.asarray(rule, dtype=bool)
        m = as_bool_vector(rule, argument)
        if m.shape != s.shape:
            fail(argument, f"expected {s.size} flags, got {m.shape[0]}")
        masks.append(m.astype(np.uint8))
    options = build(_sc.DecisionOptions, approve_at=as_float(approve_at, "approve_at"),
                    decline_below=as_float(decline_below, "decline_below"))
    d = _sc.decision_bands(s, masks, options)
    decision = np.array(_sc.DECISIONS, dtype=object)[np.asarray(d.decision)]
    rule = np.asarray(d.rule)
    reason = np.where(decision == "approve", f"score >= {options.approve_at:g}",
                      np.where(decision == "decline", f"score < {options.decline_below:g}",
                               "score in refer band")).astype(object)
    for r, name in enumerate(names):
        reason[rule == r] = f"policy: {name}"
    index = score.index if isinstance(score, pd.Series) else None
    return pd.DataFrame({"score": s, "decision": decision, "reason": reason}, index=index)


_SCALE = _sc.MasterScale()


class MasterScale(ParamsMixin):
    """Maps a probability of default (or a score, through a scorecard's scaling) to a rating grade.

    Grade i holds PDs in (bound[i-1], bound[i]]; ``pd_floor`` (default 0.03%, the Basel floor)
    applies to the PD reported with each grade. Defaults from the C++ ``MasterScale``.

    Examples
    --------
    >>> import bankquant as bq
    >>> list(bq.scorecard.MasterScale().grade([0.0004, 0.02, 0.9]))
    ['1', '6', '10']
    """

    def __init__(self, *, grades=None, pd_bounds=None, pd_floor: float = _SCALE.pd_floor):
        self.grades = list(_SCALE.grades) if grades is None else grades
        self.pd_bounds = list(_SCALE.pd_bounds) if pd_bounds is None else pd_bounds
        self.pd_floor = pd_floor
        self._scale()  # a bad scale fails where it is written

    def _scale(self):
        scale = build(_sc.MasterScale, grades=[str(g) for g in self.grades],
                      pd_bounds=as_float_vector(self.pd_bounds, "pd_bounds"), pd_floor=self.pd_floor)
        scale.validate()
        return scale

    def grade(self, pd_values) -> pd.Series:
        p = as_float_vector(pd_values, "pd_values")
        scale = self._scale()
        return pd.Series(np.asarray(scale.grades, dtype=object)[np.asarray(scale.grade(p))], name="grade")

    def grade_scores(self, card, score) -> pd.DataFrame:
        """Score -> PD (by the scorecard's scaling, floored) -> grade."""
        s = as_float_vector(score, "score")
        p = np.maximum(card.score_to_probability(s), float(self._scale().pd_floor))
        return pd.DataFrame({"score": s, "pd": p, "grade": self.grade(p).to_numpy()})

    def table(self) -> pd.DataFrame:
        scale = self._scale()
        bounds = list(scale.pd_bounds)
        return pd.DataFrame({"grade": list(scale.grades), "pd_lower": [0.0] + bounds[:-1], "pd_upper": bounds})


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
        fail("statements", "expected a non-empty DataFrame")
    out = pd.DataFrame(index=statements.index)
    for name, (num, den, _) in RATIO_DEFINITIONS.items():
        fields = (list(num) if isinstance(num, tuple) else [num]) + [den]
        if not all(f in statements for f in fields):
            continue
        try:
            numerator = (statements[num[0]].astype(float) - statements[num[1]].astype(float)) if isinstance(num, tuple) \
                else statements[num].astype(float)
            denominator = statements[den].astype(float)
        except (TypeError, ValueError):
            fail("statements", f"expected numeric fields for {name}: {fields}")
        out[name] = numerator / denominator.where(denominator != 0)
    if out.shape[1] == 0:
        used = sorted({f for v in RATIO_DEFINITIONS.values()
                       for f in ((list(v[0]) if isinstance(v[0], tuple) else [v[0]]) + [v[1]])})
        fail("statements", f"no ratio can be computed; fields used: {used}")
    return out
