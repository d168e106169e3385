"""Input checks shared by the scorecard module."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import InvalidArgumentError


def check_frame(X, y=None):
    """X as a DataFrame (y may name one of its columns, which is then taken out of X)."""
    if not isinstance(X, pd.DataFrame):
        raise InvalidArgumentError(f"argument 'X': expected a pandas DataFrame, got {type(X).__name__}")
    if X.shape[0] == 0:
        raise InvalidArgumentError("argument 'X': expected at least one row, got an empty DataFrame")
    if X.shape[1] == 0:
        raise InvalidArgumentError("argument 'X': expected at least one column")
    if isinstance(y, str):
        if y not in X.columns:
            raise InvalidArgumentError(f"argument 'y': no column named {y!r} in X")
        y_values = X[y]
        X = X.drop(columns=[y])
        return X, y_values
    return X, y


def as_target(y, n: int) -> np.ndarray:
    """A 0/1 float array of length n, or a named error."""
    if y is None:
        raise InvalidArgumentError("argument 'y': a binary target is required")
    arr = np.asarray(y)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"argument 'y': expected a 1-D array, got shape {arr.shape}")
    if arr.shape[0] != n:
        raise InvalidArgumentError(f"arguments 'X' and 'y': expected the same length, got {n} and {arr.shape[0]}")
    if arr.dtype == bool:
        arr = arr.astype(float)
    try:
        values = arr.astype(np.float64)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"argument 'y': expected 0/1 values, got {arr.dtype} values such as "
                                   f"{arr[0]!r}") from None
    if np.isnan(values).any():
        raise InvalidArgumentError(f"argument 'y': expected 0/1 values, found NaN at index "
                                   f"{int(np.flatnonzero(np.isnan(values))[0])}")
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidArgumentError(f"argument 'y': expected 0/1 values, found {values[i]!r} at index {i}")
    if values.min() == values.max():
        raise InvalidArgumentError(f"argument 'y': expected both classes, got only {int(values[0])}s")
    return np.ascontiguousarray(values)


def as_weights(w, n: int):
    if w is None:
        return None
    arr = np.asarray(w, dtype=np.float64)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise InvalidArgumentError(f"argument 'sample_weight': expected {n} weights, got shape {arr.shape}")
    if not np.isfinite(arr).all() or (arr < 0).any():
        i = int(np.flatnonzero(~np.isfinite(arr) | (arr < 0))[0])
        raise InvalidArgumentError(f"argument 'sample_weight': expected non-negative finite weights, found "
                                   f"{arr[i]} at index {i}")
    if arr.sum() <= 0:
        raise InvalidArgumentError("argument 'sample_weight': expected a positive sum of weights")
    return np.ascontiguousarray(arr)


def is_categorical(series: pd.Series) -> bool:
    return series.dtype == object or str(series.dtype) in ("category", "string", "bool")
