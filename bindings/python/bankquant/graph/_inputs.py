"""What users pass for node ids, timestamps, amounts and windows, as arrays for the C++ graph."""
from __future__ import annotations

import datetime as _dt
from collections.abc import Hashable
from typing import Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd

from .._validation import as_float_vector, as_int, describe, fail

WindowLike = Union[None, int, str, pd.Timedelta, _dt.timedelta, np.timedelta64]

_MIXED = {"mixed", "mixed-integer"}


def ids_of(values, name: str) -> pd.Series:
    """Node ids as a Series (any hashable type, one type throughout; no missing ids)."""
    if isinstance(values, pd.DataFrame):
        fail(name, "expected a 1-D sequence of node ids, got a DataFrame")
    if isinstance(values, (str, bytes)) or values is None or np.ndim(values) == 0 and not isinstance(values, pd.Series):
        fail(name, f"expected a 1-D sequence of node ids, got {describe(values)}")
    if isinstance(values, (pd.Series, pd.Index)):
        series = pd.Series(values.to_numpy(), dtype=values.dtype if not isinstance(values.dtype, pd.CategoricalDtype) else object)
    else:
        array = np.asarray(values, dtype=object) if isinstance(values, (list, tuple)) else np.asarray(values)
        if array.ndim != 1:
            fail(name, f"expected a 1-D sequence of node ids, got shape {array.shape}")
        series = pd.Series(array)
        if series.dtype == object and len(series):
            series = pd.Series(series.tolist())  # lets pandas find one native type (ints, strings) when there is one
    if series.isna().any():
        fail(name, f"missing node ids at position {int(np.argmax(series.isna().to_numpy()))}")
    if series.dtype == object and pd.api.types.infer_dtype(series, skipna=False) in _MIXED:
        bad = next((v for v in series if not isinstance(v, Hashable)), None)
        if bad is not None:  # a list or array in a cell: unhashable, so no id
            fail(name, f"expected one hashable node id per row, got a {type(bad).__name__}: {describe(bad)}")
        kinds = sorted({type(v).__name__ for v in series})
        fail(name, f"node ids mix types ({', '.join(kinds)}): 1 and '1' would be ambiguous; convert them to one type")
    return series


def same_kind(existing: np.ndarray, new: pd.Series, name: str) -> None:
    """New ids must be of the graph's kind (numbers with numbers, strings with strings)."""
    if len(existing) == 0 or len(new) == 0:
        return
    probe = pd.Series([existing[0], new.iloc[0]], dtype=object)
    if pd.api.types.infer_dtype(probe, skipna=False) in _MIXED:
        fail(name, f"node ids of type {type(new.iloc[0]).__name__} added to a graph whose ids are "
                   f"{type(existing[0]).__name__}")


class TimeKind:
    """How a graph's timestamps came in: integers, naive datetimes, or tz-aware datetimes (kept as UTC)."""

    def __init__(self, kind: str, tz=None):
        self.kind, self.tz = kind, tz

    @property
    def is_datetime(self) -> bool:
        return self.kind != "integer"

    def describe(self) -> str:
        return {"integer": "integers", "naive": "naive datetimes"}.get(self.kind, f"tz-aware datetimes ({self.tz})")


def timestamps(timestamp, m: int) -> Tuple[np.ndarray, TimeKind]:
    """int64 timestamps (datetimes as nanoseconds since the epoch, UTC) and their kind."""
    if isinstance(timestamp, pd.DataFrame):
        fail("timestamp", "expected a 1-D sequence of times, got a DataFrame")
    if isinstance(timestamp, (pd.Series, pd.Index)):
        ts = pd.Series(timestamp).reset_index(drop=True)
    else:
        if isinstance(timestamp, (str, bytes)) or np.ndim(timestamp) != 1:
            fail("timestamp", f"expected a 1-D sequence of times, got {describe(timestamp)}")
        ts = pd.Series(np.asarray(timestamp) if not isinstance(timestamp, (list, tuple)) else list(timestamp))
    if len(ts) != m:
        fail("timestamp", f"expected {m} timestamps, got {len(ts)}")
    if ts.isna().any():
        fail("timestamp", f"missing timestamps at position {int(np.argmax(ts.isna().to_numpy()))}")
    types = pd.api.types
    if isinstance(ts.dtype, pd.DatetimeTZDtype):
        kind = TimeKind("aware", ts.dt.tz)
        return ts.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]").astype("int64").to_numpy(), kind
    if types.is_datetime64_any_dtype(ts.dtype):
        return ts.astype("datetime64[ns]").astype("int64").to_numpy(), TimeKind("naive")
    if types.is_bool_dtype(ts.dtype):
        fail("timestamp", "expected integers or datetimes, got booleans")
    if ts.dtype == object:
        inferred = types.infer_dtype(ts, skipna=False)
        if inferred in ("datetime", "datetime64"):
            try:
                converted = pd.to_datetime(ts)
            except (ValueError, TypeError) as error:  # e.g. mixed time zones
                fail("timestamp", f"expected datetimes of one kind ({error})")
            if converted.dtype == object:
                fail("timestamp", "expected datetimes of one kind (naive or of one time zone), got a mix")
            return timestamps(converted, m)
        if inferred != "integer":
            fail("timestamp", f"expected integers or datetimes, got {inferred} values")
        ts = ts.astype(np.int64)
    if types.is_integer_dtype(ts.dtype):
        return ts.to_numpy(dtype=np.int64), TimeKind("integer")
    if types.is_float_dtype(ts.dtype):
        values = ts.to_numpy(dtype=np.float64)
        if np.all(np.isfinite(values)) and np.all(values == np.round(values)) and np.all(np.abs(values) < 2**62):
            return values.astype(np.int64), TimeKind("integer")
        bad = int(np.argmax(~(np.isfinite(values) & (values == np.round(values)))))
        fail("timestamp", f"expected integers or datetimes, found {values[bad]} at position {bad}")
    fail("timestamp", f"expected integers or datetimes, got {ts.dtype}")


def check_time_kind(graph_kind: TimeKind, new: TimeKind) -> None:
    if graph_kind.is_datetime != new.is_datetime or (graph_kind.kind == "aware") != (new.kind == "aware"):
        fail("timestamp", f"this graph's timestamps are {graph_kind.describe()}, these are {new.describe()}")


def amounts(amount, m: int) -> Optional[np.ndarray]:
    if amount is None:
        return None
    a = as_float_vector(amount, "amount")
    if a.shape != (m,):
        fail("amount", f"expected {m} amounts, got {a.size}")
    return a


def attributes(attrs: Mapping, m: int) -> pd.DataFrame:
    """Extra edge attributes as a DataFrame of m rows (a named error for a wrong length)."""
    columns = {}
    for name, values in attrs.items():
        values = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        if values.shape != (m,):
            fail(name, f"expected {m} values (one per edge), got shape {values.shape}")
        columns[name] = values
    return pd.DataFrame(columns, index=pd.RangeIndex(m))


def window_units(window: WindowLike, is_datetime: bool, name: str = "window") -> Optional[int]:
    """A window in timestamp units: an integer, or a duration (``"7D"``) for datetime timestamps."""
    if window is None:
        return None
    if isinstance(window, (str, pd.Timedelta, _dt.timedelta, np.timedelta64)):
        if not is_datetime:
            fail(name, f"a duration needs datetime timestamps; these are integers, give {name} in their units")
        try:
            value = pd.Timedelta(window).value
        except (ValueError, TypeError) as error:
            fail(name, f"expected a duration such as '7D', got {describe(window)} ({error})")
    else:
        if is_datetime:  # 3 would be 3 nanoseconds: say it, rather than find nothing
            fail(name, f"these timestamps are datetimes: give a duration such as '3D' or pd.Timedelta(hours=12), "
                       f"got {describe(window)}")
        value = as_int(window, name)
    if value <= 0:
        fail(name, f"expected a positive window, got {describe(window)}")
    return value
