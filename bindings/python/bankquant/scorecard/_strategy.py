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

    Parameters
    ----------
    score : 1-D array-like
        Scorecard points (higher is safer).
    y : 1-D array-like of 0/1, optional
        Observed outcomes; give exactly one of ``y`` and ``probability``.
    probability : 1-D array-like, optional
        P(event) of each applicant.
    cutoffs : 1-D array-like, optional
        The cutoffs to try (default: the distinct 0 %, 5 %, ..., 100 % quantiles of the scores).
    profit_per_good : float, default 1
    loss_per_bad : float, default 5

    Returns
    -------
    pandas.DataFrame
        One row per cutoff: ``cutoff``, ``approval_rate``, ``approved``, ``expected_bads``,
        ``bad_rate``, ``profit``, ``best``.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.scorecard.cutoff_analysis([700, 650, 600, 550], y=[0, 0, 1, 1], cutoffs=[560, 620]).round(3)
       cutoff  approval_rate  approved  expected_bads  bad_rate  profit   best
    0   560.0           0.75       3.0            1.0     0.333    -3.0  False
    1   620.0           0.50       2.0            0.0     0.000     2.0   True
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
    review).

    Parameters
    ----------
    score : 1-D array-like
        Scorecard points; a Series' index carries to the result.
    approve_at : float
    decline_below : float
        At most ``approve_at``.
    policy_rules : dict of str to boolean mask, optional
        A rule name to one flag per applicant (True = decline whatever the score), e.g.
        ``{"age under 18": df.age < 18}``.

    Returns
    -------
    pandas.DataFrame
        Columns ``score``, ``decision`` and ``reason``.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.scorecard.decision_bands([700, 640, 590], approve_at=650, decline_below=600,
    ...                             policy_rules={"under 18": [False, True, False]})
       score decision            reason
    0  700.0  approve      score >= 650
    1  640.0  decline  policy: under 18
    2  590.0  decline       score < 600
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

    Parameters
    ----------
    grades : list of str, optional
        Grade names, best first (default "1" to "10").
    pd_bounds : 1-D array-like, optional
        Upper PD bound of each grade, increasing, the last 1.
    pd_floor : float, default 0.0003

    Examples
    --------
    >>> import bankquant as bq
    >>> list(bq.scorecard.MasterScale().grade([0.0004, 0.02, 0.9]))
    ['1', '6', '10']
    >>> bq.scorecard.MasterScale().table().head(3)
      grade  pd_lower  pd_upper
    0     1   0.00000   0.00050
    1     2   0.00050   0.00125
    2     3   0.00125   0.00300
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
        """Parameters
        ----------
        pd_values : 1-D array-like
            Probabilities of default.

        Returns
        -------
        pandas.Series
            The grade of each, named "grade".

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.scorecard.MasterScale().grade([0.0004, 0.02]).tolist()
        ['1', '6']
        """
        p = as_float_vector(pd_values, "pd_values")
        scale = self._scale()
        return pd.Series(np.asarray(scale.grades, dtype=object)[np.asarray(scale.grade(p))], name="grade")

    def grade_scores(self, card, score) -> pd.DataFrame:
        """Score -> PD (by the scorecard's scaling, floored) -> grade.

        Parameters
        ----------
        card : Scorecard
            A fitted scorecard (its scaling turns scores into PDs).
        score : 1-D array-like

        Returns
        -------
        pandas.DataFrame
            score, pd (floored at ``pd_floor``) and grade.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df.iloc[:600], y.iloc[:600])
        >>> bq.scorecard.MasterScale().grade_scores(card, [600, 550])
           score        pd grade
        0  600.0  0.019608     6
        1  550.0  0.101638     7
        """
        s = as_float_vector(score, "score")
        p = np.maximum(card.score_to_probability(s), float(self._scale().pd_floor))
        return pd.DataFrame({"score": s, "pd": p, "grade": self.grade(p).to_numpy()})

    def table(self) -> pd.DataFrame:
        """Returns
        -------
        pandas.DataFrame
            grade, pd_lower, pd_upper.

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.scorecard.MasterScale().table().shape
        (10, 3)
        """
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

    A ratio whose fields are absent is skipped, and a zero denominator gives NaN (a missing value,
    which the binning puts in its own bin) rather than inf.

    Parameters
    ----------
    statements : DataFrame
        Numeric columns among total_liabilities, total_assets, equity, current_assets,
        current_liabilities, inventory, ebit, ebitda, interest_expense, debt_service, net_income,
        revenue (``RATIO_DEFINITIONS`` lists what each ratio uses).

    Returns
    -------
    pandas.DataFrame
        One column per ratio that could be computed (leverage, debt_to_equity, current_ratio,
        quick_ratio, interest_coverage, debt_service_coverage, return_on_assets, ebitda_margin), on
        the statements' index.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> fin = pd.DataFrame({"total_liabilities": [60.0, 90.0], "total_assets": [100.0, 100.0], "equity": [40.0, 10.0],
    ...                     "ebit": [12.0, 2.0], "interest_expense": [3.0, 0.0]})
    >>> bq.scorecard.financial_ratios(fin)
       leverage  debt_to_equity  interest_coverage
    0       0.6             1.5                4.0
    1       0.9             9.0                NaN
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
