"""LogisticRegression: the scorecard's model (C++ IRLS, bankquant/scorecard/logistic.hpp), with
the statistics a model validator asks for."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_float_matrix, fail
from ..exceptions import NotFittedError, warn_if_not_converged
from ._params import ParamsMixin
from ._table import as_target, as_weights, binary_labels

_sc = _core.scorecard
_DEFAULTS = _sc.LogisticOptions()


class LogisticRegression(ParamsMixin):
    """Logistic regression by Newton's method (IRLS), optional L2 (ridge) and L1 (lasso) penalties.

    Unpenalised fits equal statsmodels' ``Logit`` (coefficients, standard errors, z, p values).
    Perfect separation raises :class:`~bankquant.ConvergenceError` (the likelihood has no maximum);
    quasi-separation and hitting ``max_iterations`` warn with :class:`~bankquant.ConvergenceWarning`
    and keep the last finite coefficients. Same result on any thread count. A scikit-learn
    classifier: ``classes_``, 2-column ``predict_proba``, ``decision_function``, ``predict``.

    Parameters
    ----------
    fit_intercept, l1, l2, max_iterations, tolerance
        From the C++ ``LogisticOptions`` (see ``bq._core.scorecard.LogisticOptions.fields()``).

    Examples
    --------
    >>> import bankquant as bq, numpy as np, pandas as pd
    >>> X = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5, 6, 7]})
    >>> y = np.array([0, 0, 1, 0, 1, 0, 1, 1])
    >>> m = bq.scorecard.LogisticRegression().fit(X, y)
    >>> round(float(m.coef_[0]), 4)  # statsmodels Logit gives 0.59408
    0.5941
    """

    def __init__(self, *, fit_intercept: bool = _DEFAULTS.fit_intercept, l1: float = _DEFAULTS.l1,
                 l2: float = _DEFAULTS.l2, max_iterations: int = _DEFAULTS.max_iterations,
                 tolerance: float = _DEFAULTS.tolerance):
        self.fit_intercept = fit_intercept
        self.l1 = l1
        self.l2 = l2
        self.max_iterations = max_iterations
        self.tolerance = tolerance

    def _options(self):
        return build(_sc.LogisticOptions, fit_intercept=self.fit_intercept, l1=self.l1, l2=self.l2,
                     max_iterations=self.max_iterations, tolerance=self.tolerance)

    def fit(self, X, y, sample_weight=None) -> "LogisticRegression":
        """Parameters
        ----------
        X : DataFrame or 2-D array-like
        y : 1-D array-like of 0/1
        sample_weight : 1-D array-like, optional

        Returns
        -------
        LogisticRegression
            Itself: ``coef_``, ``intercept_``, ``classes_``, ``status_``, ``n_iter_``, ...

        Raises
        ------
        ConvergenceError
            Perfect separation (no maximum likelihood).

        Examples
        --------
        >>> import bankquant as bq, numpy as np, pandas as pd
        >>> X = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5, 6, 7]})
        >>> y = np.array([0, 0, 1, 0, 1, 0, 1, 1])
        >>> m = bq.scorecard.LogisticRegression().fit(X, y)
        >>> round(float(m.intercept_), 4), round(float(m.coef_[0]), 4)
        (-2.0793, 0.5941)
        """
        names = [str(c) for c in X.columns] if isinstance(X, pd.DataFrame) else None
        options = self._options()
        kinds = [d.kind for d in X.dtypes] if isinstance(X, pd.DataFrame) else [getattr(np.asarray(X), "dtype", None)
                                                                                    and np.asarray(X).dtype.kind]
        if "c" in kinds:
            fail("X", "Complex data not supported: expected real numbers")
        arr = _finite_matrix(X)
        if arr.shape[0] == 0:
            fail("X", "expected at least one row")
        labels, classes = binary_labels(y)
        yv = as_target(labels, arr.shape[0])
        w = as_weights(sample_weight, arr.shape[0])
        raw = _sc.fit_logistic(arr, yv, w, options)
        warn_if_not_converged(raw, "logistic regression")
        self._set(raw, names or [f"x{i}" for i in range(arr.shape[1])], bool(self.fit_intercept))
        self.classes_ = classes
        return self

    def _set(self, raw, names, intercept: bool):
        self.result_ = raw
        self.feature_names_in_ = np.array(names, dtype=object)
        self.n_features_in_ = len(names)
        self.classes_ = np.array([0, 1])
        coef = np.asarray(raw.coefficients, dtype=float)
        self.intercept_ = float(coef[0]) if intercept else 0.0
        self.coef_ = coef[1:] if intercept else coef
        self._intercept = intercept
        return self

    @property
    def status_(self):
        return self.result_.status

    @property
    def converged_(self) -> bool:
        return bool(self.result_.status.converged)

    @property
    def n_iter_(self) -> int:
        return int(self.result_.status.iterations)

    @property
    def log_likelihood_(self) -> float:
        return float(self.result_.log_likelihood)

    @property
    def aic_(self) -> float:
        return float(self.result_.aic)

    @property
    def bic_(self) -> float:
        return float(self.result_.bic)

    def _check_fitted(self):
        if not hasattr(self, "result_"):
            raise NotFittedError("this LogisticRegression is not fitted yet: call fit(X, y) first")

    def _matrix(self, X):
        self._check_fitted()
        arr = _finite_matrix(X)
        if arr.shape[1] != self.n_features_in_:
            fail("X", f"expected {self.n_features_in_} columns, got shape {arr.shape}")
        return arr

    def decision_function(self, X) -> np.ndarray:
        """Log-odds of the event, b0 + X b.

        Parameters
        ----------
        X : DataFrame or 2-D array-like
            The features the model was fitted on.

        Returns
        -------
        numpy.ndarray
            The log-odds of the event.

        Examples
        --------
        >>> import bankquant as bq, numpy as np, pandas as pd
        >>> X = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5, 6, 7]})
        >>> y = np.array([0, 0, 1, 0, 1, 0, 1, 1])
        >>> m = bq.scorecard.LogisticRegression().fit(X, y)
        >>> m.decision_function(X[:2]).round(4)
        array([-2.0793, -1.4852])
        """
        return _sc.linear_predictor(self._matrix(X), np.asarray(self.result_.coefficients), self._intercept)

    def predict_proba(self, X) -> np.ndarray:
        """[P(no event), P(event)] per row (scikit-learn's layout).

        Parameters
        ----------
        X : DataFrame or 2-D array-like
            The features the model was fitted on.

        Returns
        -------
        numpy.ndarray
            [P(no event), P(event)] per row.

        Examples
        --------
        >>> import bankquant as bq, numpy as np, pandas as pd
        >>> X = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5, 6, 7]})
        >>> y = np.array([0, 0, 1, 0, 1, 0, 1, 1])
        >>> m = bq.scorecard.LogisticRegression().fit(X, y)
        >>> m.predict_proba(X[:2]).round(4)
        array([[0.8889, 0.1111],
               [0.8154, 0.1846]])
        """
        p = _sc.predict_probability(self._matrix(X), np.asarray(self.result_.coefficients), self._intercept)
        return np.column_stack([1.0 - p, p])

    def predict(self, X) -> np.ndarray:
        """classes_[1] (the event) where P(event) >= 0.5, else classes_[0].

        Parameters
        ----------
        X : DataFrame or 2-D array-like
            The features the model was fitted on.

        Returns
        -------
        numpy.ndarray
            classes_[1] where P(event) >= 0.5, else classes_[0].

        Examples
        --------
        >>> import bankquant as bq, numpy as np, pandas as pd
        >>> X = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5, 6, 7]})
        >>> y = np.array([0, 0, 1, 0, 1, 0, 1, 1])
        >>> m = bq.scorecard.LogisticRegression().fit(X, y)
        >>> m.predict(X).tolist()
        [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]
        """
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]

    def _more_tags(self):
        return {"binary_only": True}

    def summary(self) -> pd.DataFrame:
        """Coefficients with standard errors, z, two-sided p values and 95% Wald intervals.

        Returns
        -------
        pandas.DataFrame
            Per term: coef, std_err, z, p_value, ci_lower, ci_upper (statsmodels' ``Logit`` layout).

        Examples
        --------
        >>> import bankquant as bq, numpy as np, pandas as pd
        >>> X = pd.DataFrame({"x": [0.0, 1, 2, 3, 4, 5, 6, 7]})
        >>> y = np.array([0, 0, 1, 0, 1, 0, 1, 1])
        >>> m = bq.scorecard.LogisticRegression().fit(X, y)
        >>> m.summary().round(4)
                 coef  std_err       z  p_value  ci_lower  ci_upper
        term
        const -2.0793   1.7329 -1.1999   0.2302   -5.4757    1.3171
        x      0.5941   0.4322  1.3744   0.1693   -0.2531    1.4413
        """
        self._check_fitted()
        r = self.result_
        index = (["const"] if self._intercept else []) + list(self.feature_names_in_)
        coef, se = np.asarray(r.coefficients), np.asarray(r.standard_errors)
        z95 = 1.959963984540054  # the standard normal's 97.5% quantile
        return pd.DataFrame({"coef": coef, "std_err": se, "z": np.asarray(r.z_values),
                             "p_value": np.asarray(r.p_values), "ci_lower": coef - z95 * se,
                             "ci_upper": coef + z95 * se}, index=pd.Index(index, name="term"))


def _finite_matrix(X) -> np.ndarray:
    """X as a finite float64 matrix; the message says NaN or inf, as scikit-learn's checks expect."""
    arr = as_float_matrix(X, "X", allow_nan=True)
    bad = ~np.isfinite(arr)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        fail("X", f"expected finite values, found {'NaN' if np.isnan(arr[row, col]) else 'inf'} at row {row}, "
                  f"column {col} (bin missing values first: a Binner gives them their own bin)")
    return arr
