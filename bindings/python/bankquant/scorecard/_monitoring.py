"""Stability and performance monitoring (C++, bankquant/scorecard/monitoring.hpp): PSI of scores,
CSI of characteristics, both per period, and per-bin event-rate tests between the development
sample and a monitoring sample, in a report with a plot."""
from __future__ import annotations

from typing import Dict, Optional

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_float, as_float_vector, as_int, fail
from ._table import as_target, as_weights, check_frame

_sc = _core.scorecard


def _options(bins=10):
    return build(_sc.StabilityOptions, bins=as_int(bins, "bins", minimum=2))


def _frame(r) -> pd.DataFrame:
    return pd.DataFrame([b.to_dict() for b in r.bins])


def psi(expected, actual, bins: int = 10) -> float:
    """Population stability index of ``actual`` against ``expected`` over ``bins`` quantile bins of
    ``expected`` (< 0.1 stable, 0.1–0.25 a shift to look at, >= 0.25 a significant shift).

    PSI = sum over bins of (actual share - expected share) ln(actual share / expected share).

    Parameters
    ----------
    expected : 1-D array-like
        The reference sample (development scores).
    actual : 1-D array-like
        The sample to compare (recent scores).
    bins : int, default 10
        Quantile bins of ``expected``.

    Returns
    -------
    float

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> round(bq.scorecard.psi(np.arange(1000.0), np.arange(1000.0)), 6)
    0.0
    >>> round(bq.scorecard.psi(np.arange(1000.0), np.arange(1000.0) + 100, bins=5), 4)
    0.1095
    """
    return float(stability_table(expected, actual, bins).attrs["psi"])


def stability_table(expected, actual, bins: int = 10) -> pd.DataFrame:
    """Per-bin shares and contributions of the PSI.

    Parameters
    ----------
    expected, actual : 1-D array-like
        Reference and recent samples, as :func:`psi`.
    bins : int, default 10
        Quantile bins of ``expected``.

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``lower``, ``upper``, ``expected_count``, ``actual_count``,
        ``expected_share``, ``actual_share``, ``contribution``; ``attrs`` hold ``psi`` and its
        ``flag`` ("stable", "shift" or "significant shift").

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> t = bq.scorecard.stability_table(np.arange(1000.0), np.arange(1000.0) + 100, bins=5)
    >>> t[["expected_share", "actual_share", "contribution"]].round(4)
       expected_share  actual_share  contribution
    0           0.201         0.101        0.0688
    1           0.200         0.200        0.0000
    2           0.200         0.200        0.0000
    3           0.200         0.200        0.0000
    4           0.199         0.299        0.0407
    >>> t.attrs["flag"]
    'shift'
    """
    r = _sc.population_stability(as_float_vector(expected, "expected"), as_float_vector(actual, "actual"),
                                 _options(bins))
    df = _frame(r)
    df.attrs["psi"] = r.index
    df.attrs["flag"] = r.flag
    return df


def _bin_indices(binner, X, columns, argument):
    X = check_frame(X, argument)
    return binner.bin_indices(X, columns)


def csi(binner, X_expected, X_actual, columns=None) -> pd.DataFrame:
    """Characteristic stability index of each characteristic over its fitted bins.

    Bins empty in both samples are left out (they cannot shift).

    Parameters
    ----------
    binner : Binner
        A fitted binner.
    X_expected, X_actual : DataFrame
        Reference and recent samples with the binned columns.
    columns : list of str, optional
        The characteristics (default: every binned one).

    Returns
    -------
    pandas.DataFrame
        One row per characteristic (index ``variable``): ``csi``, ``flag`` and the bin whose share
        moved most (``largest_shift_bin``).

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
    >>> bq.scorecard.csi(b, df[:500], df[500:])[["csi", "flag"]].round(3).head(3)
                                           csi    flag
    variable
    status_of_existing_checking_account  0.010  stable
    duration_in_month                    0.028  stable
    credit_history                       0.012  stable
    """
    binner._check_fitted()
    columns = [str(c) for c in columns] if columns is not None else list(binner.binnings_)
    e_idx = _bin_indices(binner, X_expected, columns, "X_expected")
    a_idx = _bin_indices(binner, X_actual, columns, "X_actual")
    rows = []
    for c in columns:
        b = binner.binnings_[c]
        r = _sc.characteristic_stability(b, e_idx[c], a_idx[c], _options())
        rows.append({"variable": c, "csi": r.index, "flag": r.flag,
                     "largest_shift_bin": b.bins[int(r.largest_shift_bin)].label})
    return pd.DataFrame(rows).set_index("variable")


def stability_report(card, X_expected, X_actual, bins: int = 10) -> pd.DataFrame:
    """PSI of the score and CSI of every characteristic of a fitted Scorecard, flagged at 0.1 / 0.25.

    Parameters
    ----------
    card : Scorecard
        A fitted scorecard.
    X_expected, X_actual : DataFrame
        Reference (development) and recent applicants.
    bins : int, default 10
        Quantile bins of the development scores for the PSI.

    Returns
    -------
    pandas.DataFrame
        Index ``item`` ("score (PSI)", then "<characteristic> (CSI)"), columns ``index`` and
        ``flag``.

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df, y)
    >>> bq.scorecard.stability_report(card, df[:500], df[500:]).round(3).head(2)
                                               index    flag
    item
    score (PSI)                                0.031  stable
    status_of_existing_checking_account (CSI)  0.010  stable
    """
    score_e, score_a = card.score(check_frame(X_expected, "X_expected")), card.score(check_frame(X_actual, "X_actual"))
    table = stability_table(score_e, score_a, bins)
    rows = [{"item": "score (PSI)", "index": table.attrs["psi"], "flag": table.attrs["flag"]}]
    c = csi(card.binner_, X_expected, X_actual, card.variables_)
    for name, row in c.iterrows():
        rows.append({"item": f"{name} (CSI)", "index": row["csi"], "flag": row["flag"]})
    return pd.DataFrame(rows).set_index("item")


class MonitoringReport:
    """What :func:`monitor` found, with :meth:`plot` and :meth:`flagged_bins`.

    Attributes
    ----------
    psi : pandas.Series
        Score PSI per period (a Scorecard's; empty for a Binner).
    csi : pandas.DataFrame
        CSI of each characteristic (rows) per period (columns).
    event_rates : pandas.DataFrame
        Per-bin tests of each characteristic's event rate, development against monitoring, with
        ``significant`` below ``alpha``.
    summary : pandas.DataFrame
        One row per period: rows, psi, largest_csi, bins_flagged.
    alpha : float
        The tests' level.

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df.iloc[:600], y.iloc[:600])
    >>> report = bq.scorecard.monitor(card, df.iloc[:600], y.iloc[:600], df.iloc[600:], y.iloc[600:],
    ...                               period=(df.index[600:] >= 800).astype(int))
    >>> report
    MonitoringReport(2 periods, 13 characteristics, 2 bins flagged at alpha=0.05)
    """

    def __init__(self, psi, csi, event_rates, summary, alpha):
        self.psi = psi
        self.csi = csi
        self.event_rates = event_rates
        self.summary = summary
        self.alpha = alpha

    def flagged_bins(self) -> pd.DataFrame:
        """The bins whose event rate moved significantly.

        Returns
        -------
        pandas.DataFrame
            The rows of ``event_rates`` with ``significant`` True.

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df.iloc[:600], y.iloc[:600])
        >>> report = bq.scorecard.monitor(card, df.iloc[:600], y.iloc[:600], df.iloc[600:], y.iloc[600:],
        ...                               period=(df.index[600:] >= 800).astype(int))
        >>> report.flagged_bins()["variable"].tolist()
        ['credit_history', 'savings_account_and_bonds']
        """
        if self.event_rates.empty:
            return self.event_rates
        return self.event_rates[self.event_rates["significant"]]

    def plot(self, axes=None):
        """PSI per period, CSI heat map, and the development vs monitoring event rate of each bin tested.

        Parameters
        ----------
        axes : sequence of three matplotlib Axes, optional

        Returns
        -------
        The three Axes (see :func:`plot_monitoring`).

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df.iloc[:600], y.iloc[:600])
        >>> report = bq.scorecard.monitor(card, df.iloc[:600], y.iloc[:600], df.iloc[600:], y.iloc[600:],
        ...                               period=(df.index[600:] >= 800).astype(int))
        >>> len(report.plot())
        3
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from ._plots import plot_monitoring

        return plot_monitoring(self, axes=axes)

    def __repr__(self) -> str:
        return (f"MonitoringReport({len(self.psi)} periods, {len(self.csi)} characteristics, "
                f"{int(self.event_rates['significant'].sum()) if len(self.event_rates) else 0} bins flagged "
                f"at alpha={self.alpha})")


def monitor(card, X_expected, y_expected, X_actual, y_actual=None, *, period=None, bins: int = 10,
            alpha: float = 0.05, sample_weight_expected=None, sample_weight_actual=None) -> MonitoringReport:
    """Monitors a fitted Scorecard (or Binner) on a recent sample, optionally per ``period``.

    PSI of the score (a Scorecard) and CSI of every characteristic, per period; with outcomes
    ``y_actual``, each bin's event rate is tested against the development sample's (chi-square,
    Fisher's exact test for small counts; Welch's t for a continuous target), flagged below
    ``alpha``.

    Parameters
    ----------
    card : Scorecard or Binner
        Fitted.
    X_expected, y_expected : DataFrame and 1-D array-like
        The development sample and its outcomes.
    X_actual : DataFrame
        The recent sample.
    y_actual : 1-D array-like, optional
        Its outcomes, where known (without them only PSI and CSI).
    period : 1-D array-like, optional
        A period label per row of ``X_actual`` (e.g. the application month); None: one period.
    bins : int, default 10
        Quantile bins of the development scores for the PSI.
    alpha : float, default 0.05
        Level of the per-bin tests.
    sample_weight_expected, sample_weight_actual : 1-D array-like, optional
        Row weights.

    Returns
    -------
    MonitoringReport

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df.iloc[:600], y.iloc[:600])
    >>> report = bq.scorecard.monitor(card, df.iloc[:600], y.iloc[:600], df.iloc[600:], y.iloc[600:],
    ...                               period=(df.index[600:] >= 800).astype(int))
    >>> report.summary.round(3)
            rows    psi  largest_csi  bins_flagged
    period
    0        200  0.030        0.024             1
    1        200  0.032        0.046             1
    """
    from ._binning import Binner

    binner = card if isinstance(card, Binner) else card.binner_
    columns = list(binner.binnings_) if isinstance(card, Binner) else list(card.variables_)
    X_expected = check_frame(X_expected, "X_expected")
    X_actual = check_frame(X_actual, "X_actual")
    alpha = as_float(alpha, "alpha", minimum=0, maximum=1, strict_minimum=True, strict_maximum=True)
    options = _options(bins)
    if period is None:
        codes, labels = np.zeros(len(X_actual), dtype=np.int32), np.array(["all"], dtype=object)
    else:
        values = pd.Series(np.asarray(period) if not isinstance(period, pd.Series) else period.to_numpy())
        if len(values) != len(X_actual):
            fail("period", f"expected {len(X_actual)} period labels (one per row of X_actual), got {len(values)}")
        if values.isna().any():
            fail("period", "expected a period for every row, found a missing one")
        codes, labels = pd.factorize(values, sort=True)
        codes = codes.astype(np.int32)
    e_idx = binner.bin_indices(X_expected, columns)
    a_idx = binner.bin_indices(X_actual, columns)
    psi_rows = []
    if not isinstance(card, Binner):
        s_e = card.score(X_expected).to_numpy()
        s_a = card.score(X_actual).to_numpy()
        for label, r in zip(labels, _sc.population_stability_by_period(s_e, s_a, codes, len(labels), options)):
            psi_rows.append({"period": label, "psi": r.index, "flag": r.flag, "rows": int((codes == list(labels).index(label)).sum())})
    psi_table = pd.DataFrame(psi_rows).set_index("period") if psi_rows else pd.DataFrame(index=pd.Index(labels, name="period"))
    csi_table = {}
    for c in columns:
        rs = _sc.characteristic_stability_by_period(binner.binnings_[c], e_idx[c], a_idx[c], codes, len(labels), options)
        csi_table[c] = [r.index for r in rs]
    csi_frame = pd.DataFrame(csi_table, index=pd.Index(labels, name="period")).T
    csi_frame.index.name = "variable"
    tests = []
    if y_actual is not None:
        continuous = any(b.target == "continuous" for b in binner.binnings_.values())
        ye = as_target(y_expected, len(X_expected), continuous=continuous, name="y_expected")
        ya = as_target(y_actual, len(X_actual), continuous=continuous, name="y_actual") if continuous else \
            _binary_any(y_actual, len(X_actual))
        we = as_weights(sample_weight_expected, len(X_expected), "sample_weight_expected")
        wa = as_weights(sample_weight_actual, len(X_actual), "sample_weight_actual")
        test_options = build(_sc.EventRateTestOptions, alpha=alpha)
        for c in columns:
            b = binner.binnings_[c]
            for p, label in enumerate(labels):
                mask = codes == p
                r = _sc.event_rate_tests(b, e_idx[c], ye, we, np.ascontiguousarray(a_idx[c][mask]),
                                         np.ascontiguousarray(ya[mask]), None if wa is None else np.ascontiguousarray(wa[mask]),
                                         test_options)
                for t in r.bins:
                    row = t.to_dict()
                    tests.append({"variable": c, "period": label, "bin_label": b.bins[int(t.bin)].label, **row})
    events = pd.DataFrame(tests)
    summary = pd.DataFrame({"rows": pd.Series(codes).value_counts().sort_index().to_numpy()},
                           index=pd.Index(labels, name="period"))
    if len(psi_table.columns):
        summary["psi"] = psi_table["psi"].to_numpy()
    summary["largest_csi"] = csi_frame.max(axis=0).to_numpy()
    if len(events):
        summary["bins_flagged"] = events.groupby("period")["significant"].sum().reindex(labels).fillna(0).astype(int).to_numpy()
    return MonitoringReport(psi_table, csi_frame, events, summary, alpha)


def _binary_any(y, n):
    """0/1 outcomes of a monitoring period (one class only is allowed there)."""
    values = as_float_vector(y, "y_actual")
    if values.shape[0] != n:
        fail("y_actual", f"expected {n} outcomes (one per row of X_actual), got {values.shape[0]}")
    bad = ~np.isin(values, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        fail("y_actual", f"expected 0/1 values, found {values[i]!r} at index {i}")
    return values
