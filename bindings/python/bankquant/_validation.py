"""The one argument layer of the Python package: what users pass in, arrays and numbers out.

Every public function converts its arguments here, so they all accept the same things — Python
numbers, numpy scalars and 0-d arrays, lists, numpy arrays, pandas Series and DataFrames
(nullable ``Int64``/``Float64``/``boolean`` dtypes included) — and fail the same way: an
:class:`~bankquant.InvalidArgumentError` whose message names the user's argument, the value seen
and what was expected. Nothing here computes.
"""
from __future__ import annotations

import numbers
from typing import Any, Iterable, Optional, Sequence

import numpy as np

from .exceptions import InvalidArgumentError

__all__ = [
    "fail", "describe", "as_float", "as_int", "as_bool", "as_str", "as_choice", "as_level", "as_seed",
    "as_float_array", "as_float_vector", "as_float_matrix", "as_int_vector", "as_bool_vector", "index_of",
    "columns_of",
]

_NO_LIMIT = object()


def fail(name: str, what: str) -> None:
    """Raises InvalidArgumentError("argument 'name': what")."""
    raise InvalidArgumentError(f"argument '{name}': {what}")


def describe(value: Any, limit: int = 60) -> str:
    """A short repr of a value for messages."""
    try:
        text = repr(value)
    except Exception:  # pragma: no cover - a broken __repr__
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _scalar(value):
    """Unwraps numpy scalars and 0-d arrays; returns (value, ok)."""
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            return value, False
        value = value.item()
    elif isinstance(value, np.generic):
        value = value.item()
    return value, True


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def as_float(value, name: str, *, minimum=None, maximum=None, strict_minimum: bool = False,
             strict_maximum: bool = False, allow_nan: bool = False, allow_inf: bool = False) -> float:
    """A real number from an int, float, numpy scalar or 0-d array (not a bool, not None/NA)."""
    raw = value
    value, ok = _scalar(value)
    if not ok or _is_missing(value) or isinstance(value, (bool, str, bytes)) or not isinstance(value, numbers.Real):
        fail(name, f"expected a number, got {describe(raw)}")
    x = float(value)
    if np.isnan(x) and not allow_nan:
        fail(name, "expected a number, got nan")
    if np.isinf(x) and not allow_inf:
        fail(name, f"expected a finite number, got {x}")
    if minimum is not None and (x < minimum or (strict_minimum and x == minimum)):
        fail(name, f"expected a number {'>' if strict_minimum else '>='} {minimum}, got {x:g}")
    if maximum is not None and (x > maximum or (strict_maximum and x == maximum)):
        fail(name, f"expected a number {'<' if strict_maximum else '<='} {maximum}, got {x:g}")
    return x


def as_int(value, name: str, *, minimum: Optional[int] = None, maximum: Optional[int] = None) -> int:
    """An integer from an int, numpy integer, 0-d array or a float with an integral value (1e6)."""
    raw = value
    value, ok = _scalar(value)
    if not ok or _is_missing(value) or isinstance(value, (bool, str, bytes)):
        fail(name, f"expected an integer, got {describe(raw)}")
    if isinstance(value, numbers.Integral):
        i = int(value)
    elif isinstance(value, numbers.Real) and np.isfinite(value) and float(value).is_integer():
        i = int(value)
    else:
        fail(name, f"expected an integer, got {describe(raw)}")
    if minimum is not None and i < minimum:
        fail(name, f"expected an integer >= {minimum}, got {i}")
    if maximum is not None and i > maximum:
        fail(name, f"expected an integer <= {maximum}, got {i}")
    return i


def as_bool(value, name: str) -> bool:
    """True or False (Python or numpy bools; not 0/1, which are too easy to pass by mistake)."""
    raw = value
    value, ok = _scalar(value)
    if not ok or not isinstance(value, (bool, np.bool_)):
        fail(name, f"expected True or False, got {describe(raw)}")
    return bool(value)


def as_str(value, name: str) -> str:
    if isinstance(value, np.str_):
        value = str(value)
    if not isinstance(value, str):
        fail(name, f"expected a string, got {describe(value)}")
    return value


def as_choice(value, name: str, choices: Sequence[str]) -> str:
    """One of `choices` (a string)."""
    if isinstance(value, np.str_):
        value = str(value)
    if not isinstance(value, str) or value not in choices:
        fail(name, f"expected one of {', '.join(repr(c) for c in choices)}; got {describe(value)}")
    return value


def as_level(value, name: str = "level") -> np.ndarray:
    """Confidence levels in (0, 1) as a 1-D array (a scalar becomes one element)."""
    arr = as_float_array(value, name)
    arr = np.atleast_1d(arr)
    if arr.ndim != 1 or arr.size == 0:
        fail(name, f"expected a level or a 1-D list of levels, got shape {arr.shape}")
    bad = ~((arr > 0) & (arr < 1))
    if bad.any():
        fail(name, f"expected levels in (0, 1), got {arr[bad][0]:g}")
    return arr


def as_seed(value, name: str = "seed") -> int:
    """A non-negative integer below 2**64."""
    raw = value
    value, ok = _scalar(value)
    if not ok or isinstance(value, (bool, float, str, bytes)) or not isinstance(value, numbers.Integral):
        fail(name, f"expected a non-negative integer, got {describe(raw)}")
    i = int(value)
    if not 0 <= i < 2**64:
        fail(name, f"expected an integer in [0, 2**64), got {i}")
    return i


def _to_numpy(values, name: str, dtype) -> np.ndarray:
    """numpy array of `dtype` from lists, arrays, pandas objects (nullable dtypes: NA -> NaN)."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover
        pd = None
    if pd is not None and isinstance(values, (pd.Series, pd.Index, pd.DataFrame)):
        kinds = [values.dtype] if not isinstance(values, pd.DataFrame) else list(values.dtypes)
        if dtype is np.float64 and any(pd.api.types.is_bool_dtype(k) for k in kinds):
            fail(name, "expected numbers, got booleans (convert them with .astype(float) if you mean 0/1)")
        try:
            if dtype is np.float64:
                return values.to_numpy(dtype=np.float64, na_value=np.nan)
            return values.to_numpy()
        except (TypeError, ValueError) as error:
            fail(name, f"expected numbers, got values of dtype {getattr(values, 'dtype', 'object')} ({error})")
    if pd is not None and isinstance(values, pd.api.extensions.ExtensionArray):
        return _to_numpy(pd.Series(values), name, dtype)
    if isinstance(values, (str, bytes)) or values is None:
        fail(name, f"expected an array of numbers, got {describe(values)}")
    try:
        if dtype is np.float64 and not isinstance(values, np.ndarray):
            # Lists may hold None / pd.NA for missing values: map them to NaN first.
            if isinstance(values, (list, tuple)) and any(_is_missing(v) for v in values):
                values = [np.nan if _is_missing(v) else v for v in values]
        array = np.asarray(values)
        if dtype is np.float64:
            if array.dtype == bool or array.dtype.kind in "USMmc":  # complex too: never drop the imaginary part
                raise TypeError(f"dtype {array.dtype}")
            if array.dtype.kind == "O":
                flat = [np.nan if _is_missing(v) else v for v in array.ravel()]
                if any(isinstance(v, (str, bytes, bool, np.bool_)) for v in flat):
                    raise TypeError("non-numeric values")
                array = np.asarray(flat, dtype=np.float64).reshape(array.shape)
            return np.asarray(array, dtype=np.float64)
        return array
    except (TypeError, ValueError) as error:
        fail(name, f"expected numbers, got {describe(values)} ({error})")


def as_float_array(values, name: str) -> np.ndarray:
    """A float64 array of any shape (no copy when it already is one)."""
    return _to_numpy(values, name, np.float64)


def _check_finite(array: np.ndarray, name: str, allow_nan: bool) -> None:
    if allow_nan:
        bad = np.isinf(array)
    else:
        bad = ~np.isfinite(array)
    if bad.any():
        position = np.argwhere(bad)[0]
        where = int(position[0]) if array.ndim == 1 else tuple(int(p) for p in position)
        value = float(array[tuple(position)])
        # The same words as the C++ checks (core/check.hpp), so a message reads alike from either side.
        if array.ndim == 1:
            fail(name, f"expected finite values, found {value} at index {where}")
        fail(name, f"expected finite values, found {value} at row {where[0]}, column {where[1]}")


def as_float_vector(values, name: str, *, allow_nan: bool = False, min_size: int = 0,
                    finite: bool = True) -> np.ndarray:
    """A 1-D float64 array; NaN/NA are refused unless allow_nan, infinities unless finite=False."""
    array = as_float_array(values, name)
    if array.ndim == 0:
        fail(name, f"expected a 1-D array, got the scalar {describe(values)}")
    if array.ndim != 1:
        fail(name, f"expected a 1-D array, got shape {array.shape}")
    if array.size < min_size:
        fail(name, f"expected at least {min_size} values, got {array.size}")
    if finite:
        _check_finite(array, name, allow_nan)
    return np.ascontiguousarray(array)


def as_float_matrix(values, name: str, *, allow_nan: bool = False, square: bool = False,
                    shape: Optional[tuple] = None) -> np.ndarray:
    """A 2-D C-contiguous float64 array (1-D input is refused: say what the rows are)."""
    array = as_float_array(values, name)
    if array.ndim != 2:
        fail(name, f"expected a 2-D array, got {array.ndim} dimensions (shape {array.shape})")
    if square and array.shape[0] != array.shape[1]:
        fail(name, f"expected a square matrix, got shape {array.shape}")
    if shape is not None:
        for d, (want, got) in enumerate(zip(shape, array.shape)):
            if want is not None and want != got:
                fail(name, f"expected shape {tuple('any' if s is None else s for s in shape)}, got {array.shape}")
    _check_finite(array, name, allow_nan)
    return np.ascontiguousarray(array)


def as_int_vector(values, name: str, *, minimum: Optional[int] = None, dtype=np.int64) -> np.ndarray:
    """A 1-D integer array; floats must be integral, missing values are refused."""
    array = _to_numpy(values, name, np.float64)
    if array.ndim != 1:
        fail(name, f"expected a 1-D array, got shape {array.shape}")
    if np.isnan(array).any():
        fail(name, f"expected integers, found a missing value at position {int(np.argmax(np.isnan(array)))}")
    if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
        bad = int(np.argmax(~(np.isfinite(array) & (array == np.round(array)))))
        fail(name, f"expected integers, found {array[bad]} at position {bad}")
    out = array.astype(dtype)
    if minimum is not None and out.size and out.min() < minimum:
        fail(name, f"expected integers >= {minimum}, found {out.min()}")
    return out


def as_bool_vector(values, name: str) -> np.ndarray:
    """A 1-D array of 0/1 flags (bools or 0/1 numbers) as int32."""
    array = _to_numpy(values, name, np.float64) if not isinstance(values, np.ndarray) or values.dtype != bool \
        else values.astype(np.float64)
    if array.ndim != 1:
        fail(name, f"expected a 1-D series of 0/1 flags, got shape {array.shape}")
    bad = ~np.isin(array, (0.0, 1.0))
    if bad.any():
        i = int(np.argmax(bad))
        fail(name, f"expected 0/1 flags, found {array[i]} at position {i}")
    return array.astype(np.int32)


def index_of(values):
    """The pandas index of a Series/DataFrame, else None."""
    return getattr(values, "index", None) if hasattr(values, "iloc") else None


def columns_of(values) -> Optional[list]:
    """The column labels of a DataFrame, else None."""
    cols = getattr(values, "columns", None)
    return list(cols) if cols is not None else None
