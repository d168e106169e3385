"""pandas -> the scorecard's C++ column descriptors, targets and weights (adaptation only).

A DataFrame arrives column by column as C++ reads it (``bankquant/scorecard/column.hpp``):
numeric columns as float64 (NA -> NaN), categorical ones as pandas.factorize codes with their
distinct keys, typed: text, number (an integer or float category, so 1 and 1.0 are one key) or
boolean. Nothing is computed here.
"""
from __future__ import annotations

import ctypes
import warnings
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from .._validation import as_float_vector, fail
from ..exceptions import InvalidArgumentError


class LeakWarning(UserWarning):
    """A characteristic separates the classes perfectly: usually the target leaking into the data.

    The binner keeps the characteristic (flagged ``separates``) so you see it; a scorecard's
    screening leaves it out.

    Examples
    --------
    >>> import warnings, bankquant as bq, pandas as pd
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> X = pd.DataFrame({"status": y.map({0: "paid", 1: "written off"}), "age": df["age_in_years"]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = bq.scorecard.Binner().fit(X, y)
    >>> [type(w.message).__name__ for w in caught]
    ['LeakWarning']
    """


def check_frame(X, name: str = "X", allow_empty: bool = False) -> pd.DataFrame:
    """X as a DataFrame with unique column labels, or a named error (2-D arrays get x0, x1, ...)."""
    if hasattr(X, "tocsr") or type(X).__module__.startswith("scipy.sparse"):
        fail(name, "sparse matrices are not supported: pass a dense array or a DataFrame")
    if isinstance(X, (list, tuple)) or (not isinstance(X, (pd.DataFrame, np.ndarray)) and hasattr(X, "__array__")):
        try:
            X = np.asarray(X)
        except (TypeError, ValueError):
            fail(name, f"expected a pandas DataFrame (or a 2-D array), got {type(X).__name__}")
    if isinstance(X, np.ndarray) and X.ndim == 2:
        if X.dtype.kind == "c":
            fail(name, "Complex data not supported: expected real numbers")
        X = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    if not isinstance(X, pd.DataFrame):
        fail(name, f"expected a pandas DataFrame (or a 2-D array), got {type(X).__name__}")
    if X.shape[0] == 0 and not allow_empty:
        fail(name, "expected at least one row, got an empty DataFrame")
    if X.shape[1] == 0:
        fail(name, "expected at least one column")
    labels = [str(c) for c in X.columns]
    if len(set(labels)) != len(labels):
        dup = sorted({c for c in labels if labels.count(c) > 1})
        fail(name, f"column names must be unique, found {dup} more than once")
    return X


def split_target(X, y, name: str = "X"):
    """X and y, where y may name a column of X (then taken out of X)."""
    X = check_frame(X, name)
    if isinstance(y, str):
        if y not in X.columns:
            fail("y", f"no column named {y!r} in X")
        return X.drop(columns=[y]), X[y]
    return X, y


def binary_labels(y, name: str = "y"):
    """(0/1 float array, classes) from any two numeric or boolean labels, scikit-learn's way: the
    larger label is the event (classes_[1]); 0/1 stays 0/1. Text labels must be recoded by the
    caller (which one is the event is not a matter of sorting)."""
    if y is None:
        fail(name, "requires y to be passed, but the target y is None")
    values = as_float_vector(y.astype(float) if isinstance(y, pd.Series) and pd.api.types.is_bool_dtype(y.dtype)
                             and not y.isna().any() else y, name, allow_nan=True)
    if np.isnan(values).any():
        fail(name, f"expected 0/1 values, found NaN at index {int(np.flatnonzero(np.isnan(values))[0])}")
    classes = np.sort(pd.unique(values + 0.0))  # hashing, not a sort of every row; + 0.0 folds -0.0 into 0.0
    if classes.size > 2:
        fail(name, f"expected two classes (0/1), got {classes.size}: {classes[:5].tolist()}")
    if classes.size == 2 and not np.array_equal(classes, [0.0, 1.0]):
        # two integer labels (1/2, -1/1): the larger is the event, as scikit-learn's classes_[1]
        if not np.all((classes == np.round(classes)) & (np.abs(classes) < 2**53)):
            bad = classes[classes != np.round(classes)]
            fail(name, f"expected 0/1 values (or two integer labels), found {(bad if bad.size else classes)[0]!r}")
        values = (values == classes[1]).astype(float)
    return values, classes


def as_target(y, n: int, continuous: bool = False, name: str = "y") -> np.ndarray:
    """A 0/1 (or, continuous, finite) float array of length n, or a named error."""
    if y is None:
        fail(name, "requires y to be passed, but the target y is None")
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            fail(name, f"expected one column, got {y.shape[1]}")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series) and pd.api.types.is_bool_dtype(y.dtype):
        if y.isna().any():
            fail(name, f"expected 0/1 values, found a missing value at index {int(np.flatnonzero(y.isna())[0])}")
        y = y.astype(float)
    elif isinstance(y, np.ndarray) and y.dtype == bool:
        y = y.astype(float)
    values = as_float_vector(y, name, allow_nan=True)
    if values.shape[0] != n:
        raise InvalidArgumentError(f"arguments 'X' and 'y': expected the same length, got {n} and {values.shape[0]}")
    if np.isnan(values).any():
        fail(name, f"expected {'finite values' if continuous else '0/1 values'}, found NaN at index "
                   f"{int(np.flatnonzero(np.isnan(values))[0])}")
    if continuous:
        return values
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        fail(name, f"expected 0/1 values, found {values[i]!r} at index {i}")
    if values.size and values.min() == values.max():
        fail(name, f"expected both classes, got only {int(values[0])}s")
    return values


def as_weights(w, n: int, name: str = "sample_weight"):
    if w is None:
        return None
    arr = as_float_vector(w, name)
    if arr.shape[0] != n:
        fail(name, f"expected {n} weights, got {arr.shape[0]}")
    if (arr < 0).any():
        i = int(np.flatnonzero(arr < 0)[0])
        fail(name, f"expected non-negative finite weights, found {arr[i]} at index {i}")
    if arr.sum() <= 0:
        fail(name, "expected a positive sum of weights")
    return arr


_NUMBER_KINDS = {"integer", "floating", "mixed-integer-float", "decimal"}


def _factorize_objects(values: np.ndarray):
    """pandas.factorize of an object column, the same codes and uniques, five times faster on
    text columns: a column holds few distinct objects (pandas' CSV reader reuses one object per
    distinct string, and resampling or slicing copies references), so the rows are factorised by
    object identity (their addresses, integers), and only the first object of each is hashed as
    text. Exact: objects with equal values get one code, in order of first appearance, as pandas.
    Binning German credit's 13 text columns took 53 ms of pandas' string hashing; this takes 9.5."""
    arr = np.ascontiguousarray(values, dtype=object)
    n = len(arr)
    # the array's PyObject pointers, read in place (valid while `arr` is alive, which it is here)
    addresses = np.ctypeslib.as_array((ctypes.c_size_t * n).from_address(arr.__array_interface__["data"][0]))
    by_object, distinct = pd.factorize(addresses)
    first = np.empty(len(distinct), dtype=np.int64)
    first[by_object[::-1]] = np.arange(n - 1, -1, -1)  # the first row holding each object
    codes, uniques = pd.factorize(arr[first], use_na_sentinel=True)
    return codes[by_object], uniques


def _factorized(values: pd.Series, name: str, argument: str):
    """pandas.factorize of a column (-1 = missing), or a named error for values that cannot be keys."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        # A categorical column is factorised already: keep the categories that occur, renumbered in
        # order of first appearance, so the keys equal those of the same column as objects.
        raw = values.cat.codes.to_numpy()
        seen = pd.unique(raw[raw >= 0])
        renumber = np.full(len(values.cat.categories), -1, dtype=np.int32)
        renumber[seen] = np.arange(len(seen), dtype=np.int32)
        codes = np.where(raw >= 0, renumber[np.maximum(raw, 0)], -1).astype(np.int32)
        uniques = np.asarray(values.cat.categories[seen])
        return codes, np.asarray(uniques, dtype=object) if uniques.dtype == object else uniques
    try:
        if values.dtype == object and len(values):
            codes, uniques = _factorize_objects(values.to_numpy(dtype=object))
        else:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:
        odd = next(v for v in values if not isinstance(v, (str, int, float, bool, np.generic)) and v is not None)
        fail(argument, f"column {name!r} holds a {type(odd).__name__} ({odd!r:.40}); a category (an argument must "
                       "be a string or a number) is text, a number or a boolean")
    return codes.astype(np.int32), np.asarray(uniques, dtype=object) if uniques.dtype == object else np.asarray(uniques)


def _kind_of(values: pd.Series, uniques: np.ndarray) -> str:
    """text, number or boolean, from the dtype or (object columns) the distinct values."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return "boolean"
    if pd.api.types.is_numeric_dtype(values.dtype):
        return "number"
    inferred = pd.api.types.infer_dtype(uniques, skipna=True)
    if inferred == "boolean":
        return "boolean"
    if inferred in _NUMBER_KINDS:
        return "number"
    return "text"


def _numbers_in_text(uniques: np.ndarray) -> Optional[np.ndarray]:
    """The distinct values as numbers when every one is a number written as text (empty = missing)."""
    if uniques.size == 0 or pd.api.types.infer_dtype(uniques, skipna=True) != "string":
        return None
    # a loop over the distinct values, not pandas' to_numeric: a text column stops at its first word,
    # and a column has few distinct values (pandas' per-call overhead was a sixth of binning German credit)
    parsed = np.full(len(uniques), np.nan)
    for i, text in enumerate(uniques):
        if not isinstance(text, str) or text == "":
            continue  # missing
        if "_" in text:  # float() reads "1_000"; pandas does not
            return None
        try:
            value = float(text)
        except ValueError:
            return None
        if np.isnan(value):  # "nan" written out is not a number to bin
            return None
        parsed[i] = value
    return parsed


def is_categorical(values: pd.Series) -> bool:
    dtype = values.dtype
    return (dtype == object or isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype)
            or pd.api.types.is_bool_dtype(dtype))


def _numeric_descriptor(name: str, values: pd.Series, argument: str):
    try:
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    except (TypeError, ValueError):
        codes, uniques = _factorized(values, name, argument)
        parsed = _numbers_in_text(uniques)
        if parsed is None:
            fail(argument, f"column {name!r} was numeric at fit time but holds {values.dropna().iloc[0]!r}")
        arr = np.where(codes >= 0, parsed[np.maximum(codes, 0)], np.nan)
    if np.isinf(arr).any():
        fail(argument, f"column {name!r} holds infinite values")
    return ("numeric", name, np.ascontiguousarray(arr, dtype=np.float64))


def _categorical_descriptor(name: str, values: pd.Series, codes: np.ndarray, uniques: np.ndarray):
    kind = _kind_of(values, uniques)
    if kind == "text":
        keys = ["" if (isinstance(u, float) and np.isnan(u)) else str(u) for u in uniques]
        empty = [i for i, k in enumerate(keys) if k == ""]  # the empty string is a missing category, as in C++
        if empty:
            codes = codes.copy()
            codes[np.isin(codes, empty)] = -1
        return ("codes", name, "text", codes, keys)
    return ("codes", name, kind, codes, np.asarray(uniques, dtype=np.float64))


def column_descriptor(name: str, values: pd.Series, categorical: bool, argument: str = "X"):
    """One C++ column descriptor (see bindings/scorecard.cpp)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype) or pd.api.types.is_timedelta64_dtype(values.dtype):
        fail(argument, f"column {name!r} holds dates or durations; derive a number first (for example the age in "
                       "days) and bin that")
    if not categorical:
        return _numeric_descriptor(name, values, argument)
    codes, uniques = _factorized(values, name, argument)
    return _categorical_descriptor(name, values, codes, uniques)


def table_columns(X: pd.DataFrame, categorical: Iterable[str] = (), argument: str = "X",
                  kinds: Optional[Dict[str, bool]] = None, warn_numeric_text: bool = True
                  ) -> Tuple[List[tuple], Dict[str, bool], List[str]]:
    """Descriptors of every column; returns (descriptors, categorical flag by name, numeric-text names).

    ``kinds`` (name -> categorical) fixes each column's kind, as at fit time; otherwise object,
    category, string and bool columns (and those named in ``categorical``) are categorical, and
    object columns whose every value is a number written as text are numeric (with a warning).
    Each column is factorised once; types are read from its distinct values, not row by row.
    """
    forced = {str(c) for c in categorical}
    out, flags, numeric_text = [], {}, []
    for label in X.columns:
        name = str(label)
        values = X[label]
        cat = kinds[name] if kinds is not None else (name in forced or is_categorical(values))
        if pd.api.types.is_datetime64_any_dtype(values.dtype) or pd.api.types.is_timedelta64_dtype(values.dtype):
            out.append(column_descriptor(name, values, cat, argument))
        elif cat and kinds is None and name not in forced and (values.dtype == object
                                                                or isinstance(values.dtype, pd.StringDtype)):
            codes, uniques = _factorized(values, name, argument)
            parsed = _numbers_in_text(uniques)
            if parsed is not None:
                numeric_text.append(name)
                if warn_numeric_text:
                    warnings.warn(f"column {name!r} holds numbers stored as text; binned as numeric (convert it with "
                                  "pd.to_numeric, or name it in categorical= to keep it as categories)",
                                  UserWarning, stacklevel=4)
                cat = False
                arr = np.where(codes >= 0, parsed[np.maximum(codes, 0)], np.nan)
                out.append(_numeric_descriptor(name, pd.Series(arr), argument))
            else:
                out.append(_categorical_descriptor(name, values, codes, uniques))
        else:
            out.append(column_descriptor(name, values, cat, argument))
        flags[name] = cat
    return out, flags, numeric_text


def select_columns(X: pd.DataFrame, names: Sequence[str], argument: str = "X") -> pd.DataFrame:
    """The columns the model reads, by their (string) names; a named error for missing ones."""
    by_name = {str(c): c for c in X.columns}
    missing = [n for n in names if n not in by_name]
    if missing:
        fail(argument, f"missing columns {missing} that the model uses")
    return X[[by_name[n] for n in names]]
