"""Scorecard: binning -> WoE -> selection -> logistic model -> points, in one estimator."""
from __future__ import annotations

import json
import math
import warnings
from typing import Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from .. import _core
from ..exceptions import InvalidArgumentError, NotFittedError
from ._binning import Binner
from ._common import as_target, as_weights, check_frame
from ._logistic import LogisticRegression
from ._selection import screen, stepwise

_sc = _core.scorecard


class Scorecard:
    """A points scorecard fitted end to end: ``fit``, ``score``, ``predict_proba``, ``points_table``.

    Pipeline: a :class:`Binner` bins every characteristic; WoE features are screened
    (:func:`screen`: IV, missing rate, single-value share, correlation, VIF), optionally selected
    stepwise; a :class:`LogisticRegression` predicts the event (y = 1, e.g. default); the
    coefficients are turned into points.

    Scaling: a score of ``base_score`` means good:bad odds of ``base_odds`` and every ``pdo``
    points double the odds (Factor = pdo / ln 2, Offset = base_score - Factor ln(base_odds)), so a
    higher score is safer. ``round_points=True`` (default) makes every entry of the points table an
    integer, and ``score`` adds exactly those entries.

    Parameters
    ----------
    pdo, base_score, base_odds : float, default 20, 600, 50
    round_points : bool, default True
    binner : Binner, optional — its parameters are used for binning (default ``Binner()``)
    variables : list of str, optional — use exactly these characteristics (skips screening)
    min_iv, max_correlation, max_vif, max_missing_rate, max_single_value_share : screening limits
    stepwise : {None, "forward", "backward", "both"}, default None
    criterion : {"aic", "bic", "pvalue"}, default "aic" (for stepwise)
    l1, l2 : float, default 0 — penalties of the logistic model
    check_signs : bool, default True — a negative WoE coefficient is a warning (and in ``summary``)

    Example
    -------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit()
    >>> y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard(pdo=20, base_score=600, base_odds=50).fit(df, y)
    >>> bool(bq.scorecard.auc(y, card.predict_proba(df)) > 0.75)
    True
    """

    def __init__(self, pdo: float = 20.0, base_score: float = 600.0, base_odds: float = 50.0,
                 round_points: bool = True, binner: Optional[Binner] = None,
                 variables: Optional[Sequence[str]] = None, min_iv: float = 0.02, max_correlation: float = 0.7,
                 max_vif: float = 10.0, max_missing_rate: float = 0.95, max_single_value_share: float = 0.95,
                 stepwise: Optional[str] = None, criterion: str = "aic", l1: float = 0.0, l2: float = 0.0,
                 check_signs: bool = True):
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.round_points = round_points
        self.binner = binner
        self.variables = variables
        self.min_iv = min_iv
        self.max_correlation = max_correlation
        self.max_vif = max_vif
        self.max_missing_rate = max_missing_rate
        self.max_single_value_share = max_single_value_share
        self.stepwise = stepwise
        self.criterion = criterion
        self.l1 = l1
        self.l2 = l2
        self.check_signs = check_signs

    # ---- parameters (scikit-learn style) ----------------------------------------------------------

    _PARAMS = ("pdo", "base_score", "base_odds", "round_points", "binner", "variables", "min_iv", "max_correlation",
               "max_vif", "max_missing_rate", "max_single_value_share", "stepwise", "criterion", "l1", "l2",
               "check_signs")

    def get_params(self, deep: bool = True) -> dict:
        return {k: getattr(self, k) for k in self._PARAMS}

    def set_params(self, **params) -> "Scorecard":
        for k, v in params.items():
            if k not in self._PARAMS:
                raise InvalidArgumentError(f"argument '{k}': not a Scorecard parameter")
            setattr(self, k, v)
        return self

    # ---- fitting --------------------------------------------------------------------------------

    def fit(self, X: pd.DataFrame, y, sample_weight=None) -> "Scorecard":
        X, y = check_frame(X, y)
        y_arr = as_target(y, len(X))
        w = as_weights(sample_weight, len(X))
        for name in ("pdo", "base_odds"):
            v = getattr(self, name)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise InvalidArgumentError(f"argument '{name}': expected a positive number, got {v!r}")
        if not (isinstance(self.base_score, (int, float)) and math.isfinite(self.base_score)):
            raise InvalidArgumentError(f"argument 'base_score': expected a finite number, got {self.base_score!r}")
        if self.stepwise not in (None, "forward", "backward", "both"):
            raise InvalidArgumentError(f"argument 'stepwise': expected None, 'forward', 'backward' or 'both', got "
                                       f"{self.stepwise!r}")
        if self.variables is not None:
            unknown = [v for v in self.variables if v not in X.columns]
            if unknown:
                raise InvalidArgumentError(f"argument 'variables': not columns of X: {unknown}")

        binner = Binner(**(self.binner.get_params() if self.binner is not None else {}))
        binner.fit(X, y_arr, w)
        woe = binner.transform(X)

        if self.variables is not None:
            selected = list(self.variables)
            report = pd.DataFrame({"iv": binner.iv_.reindex(woe.columns), "kept": woe.columns.isin(selected)})
            report["reason"] = np.where(report["kept"], "", "not in 'variables'")
        else:
            selected, report = screen(woe, binner.iv_, X, min_iv=self.min_iv, max_missing_rate=self.max_missing_rate,
                                      max_single_value_share=self.max_single_value_share,
                                      max_correlation=self.max_correlation, max_vif=self.max_vif)
        history = pd.DataFrame()
        if self.stepwise and selected:
            chosen, history = stepwise(woe[selected], y_arr, direction=self.stepwise, criterion=self.criterion,
                                       sample_weight=w)
            for c in selected:
                if c not in chosen:
                    report.loc[c, "kept"] = False
                    report.loc[c, "reason"] = f"left out by {self.stepwise} stepwise selection ({self.criterion})"
            selected = [c for c in selected if c in chosen]
        if not selected:
            raise InvalidArgumentError("no characteristic passed the screening; lower 'min_iv' or check the data "
                                       f"(largest IV {binner.iv_.max():.4f})")

        model = LogisticRegression(l1=self.l1, l2=self.l2).fit(woe[selected], y_arr, w)
        negative = [c for c, b in zip(selected, model.coef_) if b < 0]
        if negative and self.check_signs:
            warnings.warn(f"negative WoE coefficients for {negative}: with WoE = ln(%events / %non-events) they "
                          "should be positive; a negative sign usually means collinearity", UserWarning, stacklevel=2)
        self.binner_ = binner
        self.variables_ = selected
        self.model_ = model
        self.selection_report_ = report
        self.stepwise_history_ = history
        self.sign_violations_ = negative
        self.feature_names_in_ = np.array([str(c) for c in X.columns], dtype=object)
        self.card_ = _sc.ScorecardModel([binner.binnings_[c] for c in selected], [float(b) for b in model.coef_],
                                        float(model.intercept_), float(self.pdo), float(self.base_score),
                                        float(self.base_odds), bool(self.round_points))
        return self

    def _check_fitted(self):
        if not hasattr(self, "card_"):
            raise NotFittedError("this Scorecard is not fitted yet: call fit(X, y) or Scorecard.from_json(path)")

    # ---- scoring ----------------------------------------------------------------------------------

    def _score(self, X: pd.DataFrame):
        self._check_fitted()
        if not isinstance(X, pd.DataFrame):
            raise InvalidArgumentError(f"argument 'X': expected a pandas DataFrame, got {type(X).__name__}")
        missing = [c for c in self.variables_ if c not in X.columns]
        if missing:
            raise InvalidArgumentError(f"argument 'X': missing columns {missing} that the scorecard uses")
        numeric, bins = {}, {}
        for b in self.card_.variables:
            if b.categorical:
                bins[b.name] = self._bin_indices(X, b.name)
            else:
                values = X[b.name]
                if values.dtype == object:
                    bins[b.name] = self._bin_indices(X, b.name)
                else:
                    arr = np.ascontiguousarray(values, dtype=np.float64)
                    if np.isinf(arr).any():
                        raise InvalidArgumentError(f"argument 'X': column {b.name!r} holds infinite values")
                    numeric[b.name] = arr
        score, prob, unseen = self.card_.score(numeric, bins)
        self.unseen_counts_ = dict(zip([b.name for b in self.card_.variables], unseen))
        return score, prob

    def _bin_indices(self, X, name):
        return self.binner_.bin_indices(X, [name])[name]

    def score(self, X: pd.DataFrame) -> pd.Series:
        """Points of each row (higher = safer), as a Series on X's index."""
        score, _ = self._score(X)
        return pd.Series(score, index=X.index, name="score")

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """P(event) of each row from the unrounded model (1-D array)."""
        _, prob = self._score(X)
        return prob

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """WoE of the selected characteristics."""
        self._check_fitted()
        return self.binner_.transform(X, columns=self.variables_)

    def score_to_probability(self, score) -> np.ndarray:
        """P(event) implied by a score through the scaling: odds = base_odds * 2^((score - base_score)/pdo)."""
        s = np.asarray(score, dtype=float)
        odds_good = self.base_odds * np.power(2.0, (s - self.base_score) / self.pdo)
        return 1.0 / (1.0 + odds_good)

    # ---- reports ----------------------------------------------------------------------------------

    def points_table(self) -> pd.DataFrame:
        """One row per bin of each characteristic: bin, WoE, coefficient, points (and a base row)."""
        self._check_fitted()
        rows = [{"variable": "(base points)", "bin": "", "woe": np.nan, "coefficient": np.nan,
                 "points": self.card_.base_points}]
        for b, coef, pts in zip(self.card_.variables, self.card_.coefficients, self.card_.points):
            for bin_, p in zip(b.bins(), pts):
                rows.append({"variable": b.name, "bin": bin_["label"], "woe": bin_["woe"], "coefficient": coef,
                             "points": p})
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """The model: coefficient, standard error, z, p value, IV and sign check per characteristic."""
        self._check_fitted()
        s = self.model_.summary()
        s["iv"] = [np.nan] + [float(self.binner_.iv_[c]) for c in self.variables_]
        s["sign_ok"] = [np.nan] + [c not in self.sign_violations_ for c in self.variables_]
        return s

    def reason_codes(self, X: pd.DataFrame, n_reasons: int = 4, reference: str = "max") -> pd.DataFrame:
        """Adverse-action reasons: the characteristics that cost each applicant most points.

        ``reference="max"``: points lost against the characteristic's best bin; ``"neutral"``:
        against 0 points (the population-average WoE), so only bins worse than average count.
        Returns columns reason_1..n (characteristic names) and points_lost_1..n.
        """
        self._check_fitted()
        if reference not in ("max", "neutral"):
            raise InvalidArgumentError(f"argument 'reference': expected 'max' or 'neutral', got {reference!r}")
        if not (isinstance(n_reasons, int) and n_reasons >= 1):
            raise InvalidArgumentError(f"argument 'n_reasons': expected a positive integer, got {n_reasons!r}")
        idx = self.binner_.bin_indices(X, self.variables_)
        names = list(self.variables_)
        lost = np.empty((len(X), len(names)))
        for j, (b, pts) in enumerate(zip(self.card_.variables, self.card_.points)):
            pts = np.asarray(pts, dtype=float)
            row_points = np.where(idx[b.name] >= 0, pts[np.maximum(idx[b.name], 0)], 0.0)
            ref = pts.max() if reference == "max" else 0.0
            lost[:, j] = np.maximum(ref - row_points, 0.0)
        k = min(n_reasons, len(names))
        order = np.argsort(-lost, axis=1, kind="stable")[:, :k]
        out = {}
        for r in range(k):
            cols = order[:, r]
            amount = lost[np.arange(len(X)), cols]
            out[f"reason_{r + 1}"] = np.where(amount > 0, np.array(names, dtype=object)[cols], None)
            out[f"points_lost_{r + 1}"] = amount
        return pd.DataFrame(out, index=X.index)

    def to_sql(self) -> str:
        """One SQL expression that computes the score from a row's columns (tested in SQLite)."""
        self._check_fitted()
        return self.card_.to_sql()

    # ---- persistence ------------------------------------------------------------------------------

    def to_json(self, path: str) -> None:
        """Saves the scorecard (binnings, coefficients, scaling, points) as a versioned model file that
        the C++ ``ScorecardModel::load`` reads too."""
        self._check_fitted()
        from .. import io

        model = json.loads(self.card_.to_json())
        model["python"] = {"variables": self.variables_, "params": _scalar_params(self),
                           "binner": json.loads(json.dumps([json.loads(b.to_json())
                                                            for b in self.binner_.binnings_.values()]))}
        io.save_model(path, "scorecard", model)

    @classmethod
    def from_json(cls, path: str) -> "Scorecard":
        from .. import io

        doc = io.load_model(path, kind="scorecard", max_schema_version=1)
        core = dict(doc.model)
        extra = core.pop("python", None)
        card_model = _sc.ScorecardModel.from_json(json.dumps(core))
        card = cls(**(extra["params"] if extra else {}))
        binner = Binner()
        binnings = [_sc.VariableBinning.from_json(json.dumps(b)) for b in (extra["binner"] if extra else [])] or \
            list(card_model.variables)
        binner.binnings_ = {b.name: b for b in binnings}
        binner.iv_ = pd.Series({b.name: b.total_iv for b in binnings}, name="iv").sort_values(ascending=False)
        binner.feature_names_in_ = np.array(list(binner.binnings_), dtype=object)
        binner.n_features_in_ = len(binnings)
        binner.unseen_counts_ = {}
        card.binner_ = binner
        card.card_ = card_model
        card.variables_ = [b.name for b in card_model.variables]
        model = LogisticRegression()
        model.coef_ = np.asarray(card_model.coefficients)
        model.intercept_ = card_model.intercept
        model.feature_names_in_ = np.array(card.variables_, dtype=object)
        model.n_features_in_ = len(card.variables_)
        card.model_ = model
        card.sign_violations_ = [c for c, b in zip(card.variables_, model.coef_) if b < 0]
        return card

    def __repr__(self) -> str:
        fitted = f", {len(self.variables_)} characteristics" if hasattr(self, "card_") else ""
        return f"Scorecard(pdo={self.pdo}, base_score={self.base_score}, base_odds={self.base_odds}{fitted})"


def _scalar_params(card: Scorecard) -> Dict:
    return {k: getattr(card, k) for k in ("pdo", "base_score", "base_odds", "round_points", "min_iv",
                                          "max_correlation", "max_vif", "max_missing_rate", "max_single_value_share",
                                          "stepwise", "criterion", "l1", "l2", "check_signs")}
