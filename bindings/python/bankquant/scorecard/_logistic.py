"""LogisticRegression: the scorecard's model, with the statistics a model validator asks for."""
from __future__ import annotations

import warnings
from typing import Optional

import numpy as np
import pandas as pd

from .. import _core
from ..exceptions import ConvergenceError, ConvergenceWarning, InvalidArgumentError, NotFittedError
from ._common import as_target, as_weights


class LogisticRegression:
    """Logistic regression by Newton's method (IRLS), optional L2 (ridge) and L1 (lasso) penalties.

    Unpenalised fits equal statsmodels' ``Logit`` (coefficients, standard errors, z, p values).
    Perfect separation raises :class:`~bankquant.ConvergenceError` (the likelihood has no maximum);
    quasi-separation and hitting ``max_iterations`` warn with :class:`~bankquant.ConvergenceWarning`
    and keep the last finite coefficients. X'WX is summed in a fixed order: same result on any
    thread count.

    Parameters
    ----------
    fit_intercept : bool, default True
    l1, l2 : float, default 0 — penalty strengths (intercept unpenalised); l1 uses coordinate descent
    max_iterations : int, default 100
    tolerance : float, default 1e-10 — on the largest coefficient change

    Example
    -------
    >>> import bankquant as bq, numpy as np, pandas as pd
    >>> X = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5, 6, 7]})
    >>> y = np.array([0, 0, 1, 0, 1, 0, 1, 1])
    >>> m = bq.scorecard.LogisticRegression().fit(X, y)
    >>> round(float(m.coef_[0]), 4)  # statsmodels Logit gives 0.59408
    0.5941
    """

    def __init__(self, fit_intercept: bool = True, l1: float = 0.0, l2: float = 0.0, max_iterations: int = 100,
                 tolerance: float = 1e-10):
        self.fit_intercept = fit_intercept
        self.l1 = l1
        self.l2 = l2
        self.max_iterations = max_iterations
        self.tolerance = tolerance

    def fit(self, X, y, sample_weight=None) -> "LogisticRegression":
        names = [str(c) for c in X.columns] if isinstance(X, pd.DataFrame) else None
        arr = np.ascontiguousarray(np.asarray(X, dtype=np.float64))
        if arr.ndim != 2:
            raise InvalidArgumentError(f"argument 'X': expected a 2-D array, got shape {arr.shape}")
        if arr.shape[0] == 0:
            raise InvalidArgumentError("argument 'X': expected at least one row")
        if self.fit_intercept and arr.shape[0] > 1 and arr.shape[1] > 0:
            constant = np.flatnonzero(np.ptp(arr, axis=0) == 0)
            if constant.size:
                label = names[constant[0]] if names else f"column {constant[0]}"
                raise InvalidArgumentError(f"argument 'X': {label!r} is constant, so it is collinear with the "
                                           "intercept; drop it (a characteristic binned into one bin has a constant WoE)")
        yv = as_target(y, arr.shape[0])
        w = as_weights(sample_weight, arr.shape[0])
        r = _core.scorecard.fit_logistic(arr, yv, w, bool(self.fit_intercept), float(self.l1), float(self.l2),
                                         int(self.max_iterations), float(self.tolerance))
        if r["status"] == "perfect_separation":
            raise ConvergenceError(f"logistic regression: {r['message']}")
        if r["status"] != "converged":
            warnings.warn(f"logistic regression: {r['message']}", ConvergenceWarning, stacklevel=2)
        self.feature_names_in_ = np.array(names if names else [f"x{i}" for i in range(arr.shape[1])], dtype=object)
        self.n_features_in_ = arr.shape[1]
        coef = np.asarray(r["coefficients"])
        k = 1 if self.fit_intercept else 0
        self.intercept_ = float(coef[0]) if self.fit_intercept else 0.0
        self.coef_ = coef[k:]
        self.result_ = r
        self.converged_ = r["status"] == "converged"
        self.status_ = r["status"]
        self.n_iter_ = r["iterations"]
        self.log_likelihood_ = r["log_likelihood"]
        self.aic_ = r["aic"]
        self.bic_ = r["bic"]
        return self

    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise NotFittedError("this LogisticRegression is not fitted yet: call fit(X, y) first")

    def decision_function(self, X) -> np.ndarray:
        """Log-odds of the event, b0 + X b."""
        self._check_fitted()
        arr = np.asarray(X, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[1] != self.n_features_in_:
            raise InvalidArgumentError(f"argument 'X': expected {self.n_features_in_} columns, got shape {arr.shape}")
        return self.intercept_ + arr @ self.coef_

    def predict_proba(self, X) -> np.ndarray:
        """P(event) per row (1-D)."""
        return 1.0 / (1.0 + np.exp(-self.decision_function(X)))

    def summary(self) -> pd.DataFrame:
        """Coefficients with standard errors, z, two-sided p values and 95% intervals."""
        self._check_fitted()
        r = self.result_
        index = (["const"] if self.fit_intercept else []) + list(self.feature_names_in_)
        coef, se = np.asarray(r["coefficients"]), np.asarray(r["standard_errors"])
        return pd.DataFrame({"coef": coef, "std_err": se, "z": np.asarray(r["z_values"]),
                             "p_value": np.asarray(r["p_values"]), "ci_lower": coef - 1.959963984540054 * se,
                             "ci_upper": coef + 1.959963984540054 * se}, index=pd.Index(index, name="term"))
