"""Scorecards on partitioned data: scoring by partition, and binning from merged pre-bin counts
(bankquant/scorecard/binning.hpp: count_prebins, merge_prebin_counts, bin_prebins)."""
from __future__ import annotations

import functools
import warnings
from typing import Dict, Iterable, Mapping, Optional, Sequence

import dask.dataframe as dd
import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_choice, as_float_vector, as_int, describe, fail
from ..scorecard import Binner
from ..scorecard._binning import _Restored
from ..scorecard._table import LeakWarning, is_categorical
from ._common import as_dask_frame, compute, delayed_call, require_columns, shared, tree_reduce

_sc = _core.scorecard

_METHODS = ("score", "probability", "transform")


def _score_partition(part: pd.DataFrame, model, method: str, empty=None):
    if len(part) == 0 and empty is not None:  # an empty partition (after a filter): an empty result
        return empty.set_axis(part.index[:0])
    if method == "score":
        return model.score(part)
    if method == "probability":
        return pd.Series(model.predict_proba(part)[:, 1], index=part.index, name="probability")
    return model.transform(part)


def score(model, data, *, method: str = "score", npartitions: Optional[int] = None):
    """Applies a fitted scorecard (or binner) to every partition of a Dask DataFrame.

    Each partition is scored by the model itself (``map_partitions``), so the scores are those of
    the single-machine call, row for row and to the bit; the model travels to the workers by
    pickle. Nothing is computed until you call ``.compute()`` (or ``.to_parquet(...)``, ...).

    Parameters
    ----------
    model : Scorecard or Binner
        A fitted :class:`bankquant.scorecard.Scorecard` (``method`` "score" or "probability") or
        any fitted model with a ``transform`` (``method="transform"``: a Binner's WoE features).
    data : dask.dataframe.DataFrame or pandas.DataFrame
        The characteristics, one row per customer; a pandas frame is cut into ``npartitions``.
    method : {"score", "probability", "transform"}
        Points (``Scorecard.score``), P(event) (``predict_proba[:, 1]``) or ``transform``.
    npartitions : int, optional
        Partitions for a pandas ``data`` (default 1); ignored for a Dask frame.

    Returns
    -------
    dask.dataframe.Series or DataFrame
        Lazy: a Series named "score" or "probability" on data's index, or the transform's frame.

    Examples
    --------
    >>> import dask, dask.dataframe as dd, bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df, y)
    >>> with dask.config.set(scheduler="sync"):
    ...     s = bq.dask.score(card, dd.from_pandas(df, npartitions=4)).compute()
    >>> bool((s == card.score(df)).all())
    True
    """
    how = as_choice(method, "method", _METHODS)
    wanted = "transform" if how == "transform" else ("predict_proba" if how == "probability" else "score")
    if not callable(getattr(model, wanted, None)):
        fail("model", f"expected a fitted model with a {wanted}() method, got {describe(model)}")
    checked = getattr(model, "_check_fitted", None)
    if callable(checked):
        checked()  # NotFittedError now, on the client, not later on a worker
    ddf = as_dask_frame(data, "data", npartitions=None if npartitions is None
                        else as_int(npartitions, "npartitions", minimum=1))
    if how == "transform":
        # the output columns and dtypes, from the model on the first row of the data
        first = ddf.head(1, npartitions=-1)
        if len(first) == 0:
            fail("data", "expected at least one row to learn the transform's columns, got none")
        meta = _score_partition(first, model, how).iloc[:0]
    else:
        meta = pd.Series(dtype=np.float64, name=how)
    # the model as one task the partitions depend on: sent to each worker once, not once per partition
    # (the empty result rides in a partial: a pandas argument would be aligned with the partitions)
    return ddf.map_partitions(functools.partial(_score_partition, empty=meta), shared(model), how, meta=meta)


# ---- binning --------------------------------------------------------------------------------------

def _count_partition(part: pd.DataFrame, columns: Sequence[str], target: str, weight: Optional[str],
                     cuts: Mapping[str, np.ndarray], options: Mapping[str, object]) -> Dict[str, object]:
    """On a worker: counts of one partition per pre-bin of every column (C++ count_prebins)."""
    y = as_float_vector(part[target], "y", allow_nan=True)
    w = None if weight is None else as_float_vector(part[weight], "sample_weight", allow_nan=True)
    return {c: _sc.count_prebins(part[c].to_numpy(dtype=np.float64, na_value=np.nan), y, w, cuts[c], options[c])
            for c in columns}


def _merge_counts(parts: Sequence[Dict[str, object]]) -> Dict[str, object]:
    return {c: _sc.merge_prebin_counts([p[c] for p in parts]) for c in parts[0]}


def _specials_of(options) -> np.ndarray:
    return np.array([v for group in options.special_values for v in group], dtype=float)


def _approximate_cuts(ddf: dd.DataFrame, columns: Sequence[str], options: Mapping[str, object], client):
    """Pre-bin cuts from Dask's approximate quantiles (special values left out): just above the
    distinct finite quantiles at j / prebins, j = 1 .. prebins - 1."""
    tasks = []
    for c in columns:
        x = ddf[c].astype("float64")
        special = _specials_of(options[c])
        if special.size:
            x = x.mask(x.isin(list(special)))
        qs = [j / options[c].prebins for j in range(1, options[c].prebins)]
        tasks.append(x.quantile(qs))
    values = compute(tasks, client)
    out = {}
    for c, q in zip(columns, values):
        arr = np.unique(np.asarray(q, dtype=float))
        # just above each quantile: the value at the quantile (and its ties) stays left, as the
        # single-machine cuts keep it (pandas.qcut's rule)
        out[c] = np.nextafter(arr[np.isfinite(arr)], np.inf)
    return out


_FINE = 50            # approximate quantiles per pre-bin in the exact search's first grid
_MAX_COLLECT = 4_000_000  # values of one grid interval gathered on the client, at most


def _grid_counts(part: pd.DataFrame, columns: Sequence[str], grid: Mapping[str, np.ndarray],
                 options: Mapping[str, object]) -> Dict[str, object]:
    """On a worker: rows of the regular values (not missing, not special) per interval of a grid."""
    return {c: _sc.count_prebins(part[c].to_numpy(dtype=np.float64, na_value=np.nan), np.zeros(len(part)), None,
                                 grid[c], options[c]) for c in columns}


def _interval_values(part: pd.DataFrame, wanted: Mapping[str, Sequence[tuple]], options: Mapping[str, object]):
    """On a worker: the regular values of each wanted interval [lo, hi) of each column."""
    out = {}
    for c, intervals in wanted.items():
        x = part[c].to_numpy(dtype=np.float64, na_value=np.nan)
        special = _specials_of(options[c])
        x = x[~np.isnan(x) & ~np.isin(x, special)]
        out[c] = [x[(x >= lo) & (x < hi)] for lo, hi in intervals]
    return out


def _merge_values(parts):
    return {c: [np.concatenate([p[c][k] for p in parts]) for k in range(len(parts[0][c]))] for c in parts[0]}


def _quantile_cuts(ddf: dd.DataFrame, columns: Sequence[str], options: Mapping[str, object], client):
    """The single-machine Binner's quantile pre-bin cuts with unit weights (binning.cpp), exactly:
    the value at order statistic ceil(n j / prebins) - 1 of the regular values, then the next
    distinct value above it. Two passes over the data: counts per interval of a grid of Dask's
    approximate quantiles (C++ count_prebins), then the values of the few intervals that hold
    those order statistics (or their successors). An interval too large to gather keeps the
    approximate cut, with a warning."""
    fine = {}
    for c, q in zip(columns, compute([ddf[c].astype("float64").mask(ddf[c].isin(list(_specials_of(options[c]))))
                                      .quantile([k / (_FINE * options[c].prebins)
                                                 for k in range(1, _FINE * options[c].prebins)])
                                      for c in columns], client)):
        arr = np.unique(np.asarray(q, dtype=float))
        fine[c] = arr[np.isfinite(arr)]
    grid_, options_ = shared(fine), shared(options)
    parts = ddf.to_delayed()
    counts = compute([tree_reduce([delayed_call(_grid_counts, p, columns, grid_, options_) for p in parts],
                                  _merge_counts)], client)[0]
    plans, wanted, too_big, intervals = {}, {}, {}, {}
    for c in columns:
        pc, edges = counts[c], np.r_[-np.inf, fine[c], np.inf]
        rows = np.array([b.rows for b in pc.bins])
        cum = np.cumsum(rows)
        n = int(cum[-1])
        prebins = options[c].prebins
        plan, need = [], set()
        for j in range(1, prebins if n else 1):
            r = (n * j + prebins - 1) // prebins - 1
            i = int(np.searchsorted(cum, r, side="right"))  # the interval holding order statistic r
            below = int(cum[i - 1]) if i > 0 else 0
            nxt = next((k for k in range(i + 1, len(rows)) if rows[k] > 0), None)  # its successor's
            plan.append((r, i, below, nxt))
            need.update([i] if nxt is None else [i, nxt])
        plans[c] = plan
        too_big[c] = {i for i in need if rows[i] > _MAX_COLLECT}
        wanted[c] = sorted(need - too_big[c])
        intervals[c] = [(edges[i], edges[i + 1]) for i in wanted[c]]
    values = compute([tree_reduce([delayed_call(_interval_values, p, shared(intervals), options_) for p in parts],
                                  _merge_values)], client)[0]
    out = {}
    for c in columns:
        edges = np.r_[-np.inf, fine[c], np.inf]
        held = {i: np.sort(v) for i, v in zip(wanted[c], values[c])}
        cuts = []
        for r, i, below, nxt in plans[c]:
            if i in too_big[c]:
                cuts.append(edges[i + 1])  # the approximate quantile above it
                continue
            v = held[i][r - below]
            above = held[i][held[i] > v]
            if above.size:
                cuts.append(above[0])
            elif nxt is not None:
                cuts.append(held[nxt][0] if nxt in held else edges[nxt])
        cuts = np.unique(np.asarray(cuts, dtype=float))
        out[c] = cuts[np.isfinite(cuts)]
        if too_big[c]:
            warnings.warn(f"column {c!r}: {len(too_big[c])} grid intervals hold more than {_MAX_COLLECT:,} values; "
                          "their pre-bin cuts are approximate", UserWarning, stacklevel=3)
    return out


def fit_binner(data, y: str, *, columns: Optional[Iterable[str]] = None, prebin_cuts: Optional[Mapping] = None,
               sample_weight: Optional[str] = None, client=None, **params) -> Binner:
    """Fits a :class:`bankquant.scorecard.Binner` on a Dask DataFrame that need not fit in one
    machine's memory, from pre-bin counts merged across partitions.

    Every partition counts its rows per pre-bin of each column on a worker (events, non-events,
    weights, the missing and special bins); the counts add up in a fixed tree, exactly for row
    counts, and the C++ grouping (optimal, chimerge or tree, with every constraint of the Binner)
    runs once on the merged table. The bins are those a single-machine fit finds on the same
    pre-bins. Without ``prebin_cuts`` and without weights, a column's pre-bins are the
    single-machine Binner's own quantile cuts, found exactly in two more passes over the data
    (counts per interval of a grid of Dask's approximate quantiles, then the values of the few
    intervals holding the order statistics), so the bins, WoE and IV equal ``Binner.fit``'s on any
    partitioning. With ``sample_weight`` the default cuts are Dask's approximate (unweighted)
    quantiles, which depend on the partitioning: give ``prebin_cuts`` for bins that must not. Each
    pass reads the data (three more without ``prebin_cuts``): ``persist()`` them first when the
    cluster's memory holds them. The fine grid kept for hand edits is the pre-bins. Numeric columns only (a categorical column is
    a named error); no selection step (``selected_`` is every column).

    Parameters
    ----------
    data : dask.dataframe.DataFrame or pandas.DataFrame
        Characteristics, the target and optionally the weights.
    y : str
        Name of the 0/1 target column (event = 1), or of the continuous target with
        ``target="continuous"``.
    columns : list of str, optional
        Characteristics to bin (default: every column but ``y`` and ``sample_weight``).
    prebin_cuts : dict column -> increasing cut points, optional
        Fixed pre-bins (``x < c`` goes left); other columns get approximate quantile cuts.
    sample_weight : str, optional
        Name of a column of non-negative weights.
    client : distributed.Client, optional
        Where to run (default: Dask's current scheduler).
    **params
        Binner parameters (``method``, ``monotonic``, ``max_bins``, ``prebins``,
        ``min_bin_share``, ``special_values``, ``options``, ...).

    Returns
    -------
    Binner
        Fitted: ``binnings_``, ``iv_``, ``table(name)``, ``transform(X)``, ``to_json``; it pickles.

    Examples
    --------
    >>> import dask, dask.dataframe as dd, numpy as np, pandas as pd, bankquant as bq
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_t(3, 20_000); y = (rng.random(20_000) < 1 / (1 + np.exp(2 - x))).astype(int)
    >>> ddf = dd.from_pandas(pd.DataFrame({"x": x, "y": y}), npartitions=4)
    >>> with dask.config.set(scheduler="sync"):
    ...     b = bq.dask.fit_binner(ddf, "y", prebin_cuts={"x": np.linspace(-3, 3, 13)}, max_bins=5)
    >>> len(b.table("x")) <= 5 + 1                    # at most 5 regular bins and the missing bin
    True
    """
    ddf = as_dask_frame(data, "data")
    if not isinstance(y, str):
        fail("y", f"expected the name of the target column of data, got {describe(y)}")
    require_columns(ddf.columns, [y] + ([sample_weight] if sample_weight is not None else []), "data")
    if sample_weight is not None and not isinstance(sample_weight, str):
        fail("sample_weight", f"expected the name of a weight column of data, got {describe(sample_weight)}")
    taken = {y, sample_weight}
    names = [str(c) for c in (columns if columns is not None else [c for c in ddf.columns if c not in taken])]
    if not names:
        fail("columns", "expected at least one characteristic to bin")
    require_columns(ddf.columns, names, "columns")
    for c in names:
        if c in taken:
            fail("columns", f"{c!r} is the target or weight column")
        if is_categorical(ddf._meta[c]):
            fail("columns", f"{c!r} is categorical ({ddf._meta[c].dtype}); fit_binner bins numeric columns only")
    try:
        binner = Binner(**params)
    except TypeError as error:
        fail("params", str(error))
    flags = {c: False for c in names}
    process = binner._process_options(flags)
    options = {v.name: v.options for v in process.variables}
    for c, o in options.items():
        if o.method not in ("optimal", "chimerge", "tree"):
            fail("method", f"expected 'optimal', 'chimerge' or 'tree' for column {c!r} (fixed pre-bins are grouped), "
                           f"got {o.method!r}")
    cuts = {}
    given = dict(prebin_cuts or {})
    unknown = [k for k in given if str(k) not in names]
    if unknown:
        fail("prebin_cuts", f"{unknown} are not columns being binned")
    for k, v in given.items():
        cuts[str(k)] = as_float_vector(v, "prebin_cuts")
        if np.any(np.diff(cuts[str(k)]) <= 0):
            fail("prebin_cuts", f"expected increasing cut points for {k!r}")
    rest = [c for c in names if c not in cuts]
    if rest:
        # unit weights: the single machine's own quantile cuts, exactly; weighted: approximate ones
        find = _quantile_cuts if sample_weight is None else _approximate_cuts
        cuts.update(find(ddf, rest, options, client))
    cuts_, options_ = shared(cuts), shared(options)
    parts = [delayed_call(_count_partition, p, names, y, sample_weight, cuts_, options_) for p in ddf.to_delayed()]
    merged = compute([tree_reduce(parts, _merge_counts)], client)[0]
    binnings = [_sc.bin_prebins(c, merged[c], options[c]) for c in names]
    binner._set_fitted(_Restored(binnings), names, flags, [], names)
    for b in binnings:
        if b.separates:
            warnings.warn(f"characteristic {b.name!r} separates the classes perfectly (every bin holds one class): "
                          "a leak of the target?", LeakWarning, stacklevel=2)
    return binner
