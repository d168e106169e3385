"""Scorecard: binning -> WoE -> screening -> (stepwise) -> logistic model -> points, in one
scikit-learn classifier. The pipeline is C++ (``fit_scorecard``, bankquant/scorecard/scorecard.hpp)."""
from __future__ import annotations

import json
import warnings
from typing import Optional, Sequence

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_choice, as_float, as_float_vector, as_int, fail
from ..exceptions import NotFittedError, warn_if_not_converged
from ..io import encode_floats
from ._binning import Binner, _jsonable
from ._logistic import LogisticRegression
from ._params import ParamsMixin
from ._table import (LeakWarning, as_target, as_weights, binary_labels, check_frame, select_columns, split_target,
                     table_columns)

_sc = _core.scorecard
_SCALING = _sc.Scaling()
_SCREEN = _sc.ScreeningOptions()
_DEFAULTS = _sc.ScorecardOptions()


class Scorecard(ParamsMixin):
    """A points scorecard fitted end to end; a scikit-learn classifier.

    Pipeline (C++): a :class:`Binner` bins every characteristic; WoE features are screened (a
    leak, missing rate, single-value share, IV, correlation, VIF), optionally selected stepwise;
    a logistic regression predicts the event (y = 1, e.g. default); the coefficients become points.

    Scaling: a score of ``base_score`` means good:bad odds of ``base_odds`` and every ``pdo``
    points double the odds (Factor = pdo / ln 2, Offset = base_score - Factor ln(base_odds)), so a
    higher score is safer. ``round_points=True`` makes every entry of the points table an
    integer, and ``score`` adds exactly those entries.

    As a classifier: ``classes_`` is [0, 1], ``predict_proba`` has two columns, ``decision_function``
    is the log-odds of the event, so ``cross_val_score(Scorecard(), X, y, scoring="roc_auc")`` and
    pipelines work. ``score(X)`` returns the points (not an accuracy).

    Parameters
    ----------
    pdo, base_score, base_odds : float, default 20, 600, 50
    round_points : bool, default True
    binner : Binner, optional — its parameters (including hand-edited breaks/groups) bin the data
    variables : list of str, optional — use exactly these characteristics (skips screening)
    min_iv, max_iv, max_correlation, max_vif, max_missing_rate, max_single_value_share : screening limits
    stepwise : {None, "forward", "backward", "both"}, default None
    criterion : {"aic", "bic", "pvalue"}, default "aic" (for stepwise)
    l1, l2 : float, default 0 — penalties of the logistic model
    check_signs : bool, default True — a negative WoE coefficient warns (and shows in ``summary``)

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit()
    >>> y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard(pdo=20, base_score=600, base_odds=50).fit(df, y)
    >>> bool(bq.scorecard.auc(y, card.predict_proba(df)[:, 1]) > 0.75)
    True
    >>> bool(bq.scorecard.auc(y, card.score(df), higher_is_safer=True) > 0.75)
    True
    """

    def __init__(self, *, pdo: float = _SCALING.pdo, base_score: float = _SCALING.base_score,
                 base_odds: float = _SCALING.base_odds, round_points: bool = _DEFAULTS.round_points,
                 binner: Optional[Binner] = None, variables: Optional[Sequence[str]] = None,
                 min_iv: float = _SCREEN.min_iv, max_iv: float = _SCREEN.max_iv,
                 max_correlation: float = _SCREEN.max_correlation, max_vif: float = _SCREEN.max_vif,
                 max_missing_rate: float = _SCREEN.max_missing_rate,
                 max_single_value_share: float = _SCREEN.max_single_value_share, stepwise: Optional[str] = None,
                 criterion: str = _DEFAULTS.criterion, l1: float = 0.0, l2: float = 0.0, check_signs: bool = True):
        self.pdo = pdo
        self.base_score = base_score
        self.base_odds = base_odds
        self.round_points = round_points
        self.binner = binner
        self.variables = variables
        self.min_iv = min_iv
        self.max_iv = max_iv
        self.max_correlation = max_correlation
        self.max_vif = max_vif
        self.max_missing_rate = max_missing_rate
        self.max_single_value_share = max_single_value_share
        self.stepwise = stepwise
        self.criterion = criterion
        self.l1 = l1
        self.l2 = l2
        self.check_signs = check_signs

    # ---- fitting --------------------------------------------------------------------------------

    def _binner(self) -> Binner:
        if self.binner is None:
            return Binner()
        if not isinstance(self.binner, Binner):
            fail("binner", f"expected a bankquant.scorecard.Binner, got {type(self.binner).__name__}")
        return Binner(**self.binner.get_params(deep=False))

    def _options(self, binner: Binner, flags):
        if binner.target != "binary":
            fail("binner", "a scorecard needs a binner of a binary target")
        if self.stepwise is not None:
            as_choice(self.stepwise, "stepwise", ("forward", "backward", "both"))
        variables = [] if self.variables is None else [str(v) for v in self.variables]
        return _sc.ScorecardOptions(
            binning=binner._process_options(flags),
            screening=build(_sc.ScreeningOptions, min_iv=self.min_iv, max_iv=self.max_iv,
                            max_correlation=self.max_correlation, max_vif=self.max_vif,
                            max_missing_rate=self.max_missing_rate,
                            max_single_value_share=self.max_single_value_share),
            variables=variables, stepwise=self.stepwise, criterion=self.criterion,
            logistic=build(_sc.LogisticOptions, l1=self.l1, l2=self.l2),
            scaling=build(_sc.Scaling, pdo=self.pdo, base_score=self.base_score, base_odds=self.base_odds),
            round_points=self.round_points)

    def fit(self, X, y, sample_weight=None) -> "Scorecard":
        """Fits the scorecard on ``X`` (a DataFrame; y may name one of its columns) and 0/1 ``y``.

        Parameters
        ----------
        X : DataFrame
            One column per characteristic; numeric or categorical (object, category, string, bool).
        y : 1-D array-like of 0/1, or str
            Outcomes (1: the event, bad), or the name of a column of ``X``.
        sample_weight : 1-D array-like, optional
            Row weights.

        Returns
        -------
        Scorecard
            Itself, fitted: ``variables_``, ``card_`` (the C++ ``ScorecardModel``), ``binner_``,
            ``model_``, ``selection_report_``, ``classes_``.

        Warns
        -----
        LeakWarning
            A characteristic separates the classes perfectly; it is left out.
        ConvergenceWarning
            The logistic regression stopped short (quasi-separation).

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card
        Scorecard(pdo=20.0, base_score=600.0, base_odds=50.0, 12 characteristics)
        """
        X, y = split_target(X, y)
        labels, classes = binary_labels(y)
        y_arr = as_target(labels, len(X))
        w = as_weights(sample_weight, len(X))
        binner = self._binner()
        descriptors, flags, numeric_text = table_columns(X, binner.categorical or ())
        options = self._options(binner, flags)
        if self.variables is not None:
            unknown = [v for v in options.variables if v not in flags]
            if unknown:
                fail("variables", f"not columns of X: {unknown}")
        fit = _sc.fit_scorecard(descriptors, y_arr, w, options)
        for b in fit.binning.binnings:
            if b.separates:
                warnings.warn(f"characteristic {b.name!r} separates the classes perfectly: a leak of the target? It "
                              "is left out of the scorecard.", LeakWarning, stacklevel=2)
        warn_if_not_converged(fit.model.logistic, "logistic regression")
        negative = list(fit.sign_violations)
        if negative and bool(self.check_signs):
            warnings.warn(f"negative WoE coefficients for {negative}: with WoE = ln(%events / %non-events) they "
                          "should be positive; a negative sign usually means collinearity", UserWarning, stacklevel=2)
        metadata = {"params": _jsonable({k: v for k, v in self.get_params(deep=False).items() if k != "binner"}),
                    "binner_params": _jsonable(binner.get_params(deep=False)), "kinds": flags,
                    "columns": list(flags),
                    "screening": _jsonable(fit.screening.to_dict()),
                    "stepwise": [_jsonable(s.to_dict()) for s in fit.stepwise.history]}
        self._set_fitted(fit.model.with_metadata(json.dumps(encode_floats(metadata))), binner, fit.binning)
        self.classes_ = classes if classes.size == 2 else np.array([0, 1])
        return self

    def _set_fitted(self, card, binner: Binner, binning=None):
        meta = json.loads(card.metadata)
        self.card_ = card
        self.variables_ = [b.name for b in card.variables]
        names = [b.name for b in card.variables] + [b.name for b in card.candidates]
        kinds = meta.get("kinds") or {b.name: bool(b.categorical) for b in list(card.variables) + list(card.candidates)}
        columns = meta.get("columns") or list(kinds)  # the model file's JSON objects do not keep key order
        order = [n for n in columns if n in names] + [n for n in names if n not in columns]
        by_name = {b.name: b for b in list(card.variables) + list(card.candidates)}
        result = binning if binning is not None else _RestoredBinning([by_name[n] for n in order])
        binner._set_fitted(result, order, {n: bool(kinds.get(n, by_name[n].categorical)) for n in order}, [], order)
        binner.binnings_ = {n: by_name[n] for n in order}
        binner._refresh()
        self.binner_ = binner
        self.feature_names_in_ = np.array(order, dtype=object)
        self.n_features_in_ = len(order)
        self.classes_ = np.array([0, 1])
        model = LogisticRegression()
        if card.logistic is not None:
            model._set(card.logistic, self.variables_, True)
        self.model_ = model
        self.sign_violations_ = [c for c, b in zip(self.variables_, card.coefficients) if b < 0]
        screening = meta.get("screening")
        if screening:
            report = pd.DataFrame({"iv": screening["iv"], "missing_rate": screening["missing_rate"],
                                   "single_value_share": screening["single_value_share"], "kept": screening["kept"],
                                   "reason": screening["reasons"]}, index=pd.Index(screening["names"], name="variable"))
        else:
            report = pd.DataFrame(index=pd.Index(self.variables_, name="variable"))
        self.selection_report_ = report
        history = pd.DataFrame(meta.get("stepwise", []))
        if len(history):
            history["variable"] = [order[int(v)] for v in history["variable"]]
        self.stepwise_history_ = history

    def _check_fitted(self):
        if not hasattr(self, "card_"):
            raise NotFittedError("this Scorecard is not fitted yet: call fit(X, y) or Scorecard.from_json(path)")

    # ---- scoring ----------------------------------------------------------------------------------

    def _columns(self, X):
        self._check_fitted()
        X = check_frame(X)
        return self.binner_._columns(X, self.variables_), X

    def _scored(self, X):
        columns, X = self._columns(X)
        r = self.card_.score(columns)
        self.unseen_counts_ = dict(zip(self.variables_, (int(u) for u in r.unseen)))
        return r, X

    def score(self, X, y=None) -> pd.Series:
        """Points of each row (higher = safer), as a Series on X's index (``y`` is ignored).

        Parameters
        ----------
        X : DataFrame
            Applicants with (at least) the scorecard's characteristics.
        y : ignored
            For scikit-learn's signature.

        Returns
        -------
        pandas.Series
            Points named "score", on ``X``'s index; unseen categories score WoE 0 and are counted in
            ``unseen_counts_``.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.score(df.head(3)).tolist()
        [577.0, 486.0, 574.0]
        """
        r, X = self._scored(X)
        return pd.Series(np.asarray(r.score), index=X.index, name="score")

    def predict_proba(self, X) -> np.ndarray:
        """[P(no event), P(event)] of each row from the unrounded model (scikit-learn's layout).

        Parameters
        ----------
        X : DataFrame
            Applicants with (at least) the scorecard's characteristics.

        Returns
        -------
        numpy.ndarray
            Two columns per row: P(no event), P(event).

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.predict_proba(df.head(2)).round(4)
        array([[0.9583, 0.0417],
               [0.504 , 0.496 ]])
        """
        r, _ = self._scored(X)
        p = np.asarray(r.probability)
        return np.column_stack([1.0 - p, p])

    def decision_function(self, X) -> np.ndarray:
        """Log-odds of the event of each row (the WoE model's linear predictor).

        Parameters
        ----------
        X : DataFrame
            Applicants with (at least) the scorecard's characteristics.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.decision_function(df.head(2)).round(4)
        array([-3.1348, -0.0161])
        """
        return _sc.linear_predictor(np.asarray(self.transform(X), dtype=float),
                                    np.r_[self.card_.intercept, self.card_.coefficients], True)

    def predict(self, X) -> np.ndarray:
        """classes_[1] (the event) where P(event) >= 0.5, else classes_[0].

        Parameters
        ----------
        X : DataFrame
            Applicants with (at least) the scorecard's characteristics.

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.predict(df.head(3)).tolist()
        [0.0, 0.0, 0.0]
        """
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]

    def fit_transform(self, X, y=None, sample_weight=None):
        """fit, then the WoE of the scored characteristics.

        Parameters
        ----------
        X, y, sample_weight
            As :meth:`fit`.

        Returns
        -------
        pandas.DataFrame
            The WoE of the scored characteristics.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> bq.scorecard.Scorecard().fit_transform(df, y).shape
        (1000, 12)
        """
        if isinstance(y, str):
            X, y = split_target(X, y)
        return self.fit(X, y, sample_weight).transform(X)

    def transform(self, X) -> pd.DataFrame:
        """WoE of the scored characteristics (an array for array input).

        Parameters
        ----------
        X : DataFrame
            Applicants with (at least) the scorecard's characteristics.

        Returns
        -------
        pandas.DataFrame or numpy.ndarray

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.transform(df.head(2)).shape
        (2, 12)
        """
        self._check_fitted()
        return self.binner_.transform(X, columns=self.variables_)

    def score_to_probability(self, score) -> np.ndarray:
        """P(event) a score stands for through the scaling: odds = base_odds 2^((score - base_score) / pdo).

        Parameters
        ----------
        score : float or 1-D array-like

        Returns
        -------
        numpy.ndarray

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.score_to_probability([600, 620]).round(5)      # odds 50:1 and 100:1
        array([0.01961, 0.0099 ])
        """
        self._check_fitted()
        return np.asarray(self.card_.scaling.event_probability(as_float_vector(score, "score")))

    # ---- reports ----------------------------------------------------------------------------------

    def points_table(self) -> pd.DataFrame:
        """One row per bin of each characteristic: bin, WoE, coefficient, points (and a base row).

        Returns
        -------
        pandas.DataFrame
            Columns variable, bin, woe, coefficient, points; the first row holds the base points.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> t = card.points_table()
        >>> t.columns.tolist(), t.iloc[0]["variable"]
        (['variable', 'bin', 'woe', 'coefficient', 'points'], '(base points)')
        """
        self._check_fitted()
        rows = [{"variable": "(base points)", "bin": "", "woe": np.nan, "coefficient": np.nan,
                 "points": self.card_.base_points}]
        for b, coef, pts in zip(self.card_.variables, self.card_.coefficients, self.card_.points):
            for bin_, p in zip(b.bins, pts):
                rows.append({"variable": b.name, "bin": bin_.label, "woe": bin_.woe, "coefficient": coef, "points": p})
        return pd.DataFrame(rows)

    def summary(self) -> pd.DataFrame:
        """The model: coefficient, standard error, z, p value, IV and sign check per characteristic.

        Returns
        -------
        pandas.DataFrame
            One row per term (const first): coef, std_err, z, p value, confidence bounds, iv, sign_ok.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.summary()[["coef", "iv", "sign_ok"]].round(3).head(3)
                                              coef     iv sign_ok
        term
        const                               -0.861    NaN     NaN
        status_of_existing_checking_account  0.777  0.666    True
        credit_history                       0.686  0.292    True
        """
        self._check_fitted()
        s = self.model_.summary()
        s["iv"] = [np.nan] + [float(self.binner_.iv_[c]) for c in self.variables_]
        s["sign_ok"] = [np.nan] + [c not in self.sign_violations_ for c in self.variables_]
        return s

    def reason_codes(self, X, n_reasons: int = 4, reference: str = "max") -> pd.DataFrame:
        """Adverse-action reasons: the characteristics that cost each applicant most points.

        ``reference="max"``: points lost against the characteristic's best bin; ``"neutral"``:
        against 0 points (the population-average WoE). Columns reason_1..n and points_lost_1..n.

        Parameters
        ----------
        X : DataFrame
            Applicants with (at least) the scorecard's characteristics.
        n_reasons : int, default 4
        reference : {"max", "neutral"}, default "max"

        Returns
        -------
        pandas.DataFrame
            reason_1, points_lost_1, ..., on ``X``'s index.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.reason_codes(df.head(2), n_reasons=2)[["reason_1", "points_lost_1"]]
                                      reason_1  points_lost_1
        0  status_of_existing_checking_account           44.0
        1                    duration_in_month           42.0
        """
        columns, X = self._columns(X)
        r = self.card_.reason_codes(columns, build(_sc.ReasonOptions, n_reasons=n_reasons, reference=reference))
        k = int(r.n_reasons)
        variable = np.asarray(r.variable).reshape(len(X), k)
        lost = np.asarray(r.points_lost).reshape(len(X), k)
        names = np.array(self.variables_ + [None], dtype=object)
        out = {}
        for q in range(k):
            out[f"reason_{q + 1}"] = names[np.where(variable[:, q] < 0, len(self.variables_), variable[:, q])]
            out[f"points_lost_{q + 1}"] = lost[:, q]
        return pd.DataFrame(out, index=X.index)

    def counterfactuals(self, X, target_score: float, max_changes: int = 3, fixed: Sequence[str] = ()) -> pd.DataFrame:
        """For each row scoring below ``target_score``: the smallest change of its bins that reaches it.

        Fewest characteristics changed, then fewest bins moved, then the highest new score;
        ``fixed`` characteristics (age, ...) never change. One row per change: row (X's index),
        score, new_score, variable, from_bin, to_bin (bin labels), points; a row whose target
        cannot be reached within ``max_changes`` has ``found`` False and no variable.

        Parameters
        ----------
        X : DataFrame
            Applicants with (at least) the scorecard's characteristics.
        target_score : float
        max_changes : int, default 3
        fixed : list of str, optional
            Characteristics that may not change.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> cf = card.counterfactuals(df.head(1), target_score=590)
        >>> cf[["score", "new_score", "variable", "points"]]
           score  new_score                             variable  points
        0  577.0      621.0  status_of_existing_checking_account    44.0
        """
        columns, X = self._columns(X)
        options = build(_sc.CounterfactualOptions, target_score=as_float(target_score, "target_score"),
                        max_changes=as_int(max_changes, "max_changes", minimum=1), fixed=[str(f) for f in fixed])
        rows = []
        for cf in self.card_.counterfactuals(columns, options):
            base = {"row": X.index[int(cf.row)], "score": cf.score, "new_score": cf.new_score, "found": bool(cf.found)}
            if not cf.found or not cf.changes:
                rows.append({**base, "variable": None, "from_bin": None, "to_bin": None, "points": 0.0})
            for ch in cf.changes:
                b = self.card_.variables[int(ch.variable)]
                rows.append({**base, "variable": b.name,
                             "from_bin": b.bins[int(ch.from_bin)].label if ch.from_bin >= 0 else "unseen",
                             "to_bin": b.bins[int(ch.to_bin)].label, "points": ch.points})
        return pd.DataFrame(rows, columns=["row", "score", "new_score", "found", "variable", "from_bin", "to_bin",
                                           "points"])

    def to_sql(self) -> str:
        """One SQL expression that computes the score from a row's columns (tested in SQLite).

        Returns
        -------
        str

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.to_sql().splitlines()[0]        # the base points, then one CASE per characteristic
        '512'
        """
        self._check_fitted()
        return self.card_.to_sql()

    # ---- persistence ------------------------------------------------------------------------------

    def to_json(self, path) -> None:
        """Saves the scorecard as a versioned model file that C++ ``ScorecardModel::load`` reads.

        Parameters
        ----------
        path : str or os.PathLike

        Returns
        -------
        None

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.to_json("card.json")
        >>> bq.scorecard.Scorecard.from_json("card.json").score(df).equals(card.score(df))
        True
        """
        self._check_fitted()
        import os

        self.card_.save(os.fspath(path))

    @classmethod
    def from_json(cls, path) -> "Scorecard":
        """Loads what to_json wrote (schema 2; schema 1 files too).

        Parameters
        ----------
        path : str or os.PathLike

        Returns
        -------
        Scorecard
            Fitted, scoring exactly as the saved one.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df, y)
        >>> card.to_json("card.json")
        >>> bq.scorecard.Scorecard.from_json("card.json")
        Scorecard(pdo=20.0, base_score=600.0, base_odds=50.0, 12 characteristics)
        """
        import os

        card_model = _sc.ScorecardModel.load(os.fspath(path))
        meta = json.loads(card_model.metadata)
        binner_params = _decoded(meta.get("binner_params", {}))
        binner = Binner(**binner_params)
        card = cls(**_decoded(meta.get("params", {})), binner=Binner(**binner_params))
        card._set_fitted(card_model, binner)
        return card

    def __reduce__(self):
        state = self.__dict__.copy()
        return (_rebuild, (type(self), state))

    def __repr__(self) -> str:
        fitted = f", {len(self.variables_)} characteristics" if hasattr(self, "card_") else ""
        return f"Scorecard(pdo={self.pdo}, base_score={self.base_score}, base_odds={self.base_odds}{fitted})"

    def _more_tags(self):
        return {"binary_only": True, "requires_y": True, "allow_nan": True}


def _decoded(params: dict) -> dict:
    """Parameters read back from a model file: "inf"/"-inf"/"nan" strings are the floats JSON lacks."""
    table = {"inf": float("inf"), "-inf": float("-inf"), "nan": float("nan")}
    return {k: table.get(v, v) if isinstance(v, str) and k not in ("stepwise", "criterion", "method", "monotonic",
                                                                   "target", "tree_criterion", "unseen") else v
            for k, v in params.items()}


def _rebuild(cls, state):
    obj = cls.__new__(cls)
    obj.__dict__.update(state)
    return obj


class _RestoredBinning:
    def __init__(self, binnings):
        self.binnings = binnings
