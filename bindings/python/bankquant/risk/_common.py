"""What the risk wrappers share: levels, time order, and VaR/ES tables from the C++ results."""
from __future__ import annotations

from typing import Tuple

import numpy as np
import pandas as pd

from .._validation import as_float_array, describe, fail


def levels_of(level, name: str = "level") -> Tuple[bool, np.ndarray]:
    """(scalar?, levels as a 1-D float64 array); the range is checked in C++ (0.5 < level < 1)."""
    arr = as_float_array(level, name)
    scalar = arr.ndim == 0
    arr = np.atleast_1d(arr)
    if arr.ndim != 1 or arr.size == 0:
        fail(name, f"expected a level or a 1-D list of levels, got {describe(level)}")
    return scalar, np.ascontiguousarray(arr, dtype=np.float64)


def time_ordered(values, name: str) -> None:
    """Refuses a pandas object whose DatetimeIndex is not strictly increasing: methods that weigh
    observations by age or run a recursion through time would use it in array order."""
    index = getattr(values, "index", None)
    if not isinstance(index, pd.DatetimeIndex) or index.is_monotonic_increasing and index.is_unique:
        return
    if not index.is_unique:
        dup = index[index.duplicated()][0]
        fail(name, f"expected one observation per date, found {dup.date()} twice (drop the duplicates first)")
    position = int(np.argmax(np.diff(index.asi8) < 0)) + 1
    fail(name, f"expected dates in increasing order, but {index[position].date()} (position {position}) follows "
               f"{index[position - 1].date()}; sort with .sort_index()")


def estimates_frame(table) -> pd.DataFrame:
    """A C++ VarEsTable as a DataFrame indexed by level."""
    return pd.DataFrame({"var": np.asarray(table.var), "es": np.asarray(table.es)},
                        index=pd.Index(np.asarray(table.level), name="level"))


def pick(table: pd.DataFrame, column: str, scalar: bool):
    """A float for one level asked as a scalar, else the column as a Series by level."""
    return float(table[column].iloc[0]) if scalar else table[column]


def aligned_by_label(weights, cov, weights_name: str = "weights", cov_name: str = "cov"):
    """A weights Series and a covariance DataFrame matched by ticker, not by position.

    With labels on both, the weights are put in the covariance's column order (a book listed in
    another order than its covariance gave another VaR, silently); a ticker on one side only is a
    named error, and so is a covariance whose rows and columns are labelled differently. Without
    labels on both, the two are paired by position, as given.
    """
    if isinstance(cov, pd.DataFrame) and not cov.index.equals(cov.columns):
        if set(cov.index) != set(cov.columns) or len(cov.index) != len(cov.columns):
            fail(cov_name, "expected the same labels on the rows and the columns of the covariance")
        cov = cov.loc[cov.columns, cov.columns]
    if isinstance(weights, pd.Series) and isinstance(cov, pd.DataFrame):
        if weights.index.has_duplicates:
            fail(weights_name, f"duplicate labels {sorted(map(str, weights.index[weights.index.duplicated()].unique()))[:5]}")
        missing = [c for c in cov.columns if c not in weights.index]
        extra = [c for c in weights.index if c not in cov.columns]
        if missing or extra:
            parts = ([f"no weight for {list(map(str, missing[:5]))}"] if missing else []) + \
                    ([f"no covariance for {list(map(str, extra[:5]))}"] if extra else [])
            fail(weights_name, "labels differ from the covariance's: " + "; ".join(parts))
        weights = weights.reindex(cov.columns)
    return weights, cov
