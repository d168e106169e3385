"""Plots people look at rather than read: WoE/event-rate bars, ROC and KS curves, score
distributions, monitoring over time."""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd


def _axes(ax, figsize=(7, 4)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_binning(table: pd.DataFrame, variable: str = "", ax=None):
    """Share of each bin (bars) with its event rate or mean target (line, right axis); WoE on the bars.

    Parameters
    ----------
    table : DataFrame
        A binning table (:meth:`Binner.table`).
    variable : str, optional
        The title's name.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib.pyplot as plt
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> b = bq.scorecard.Binner(max_bins=5).fit(df, y)
    >>> bq.scorecard.plot_binning(b.table("duration_in_month"), "duration_in_month").get_title()
    'duration_in_month  (IV 0.258; WoE on bars)'
    >>> plt.close("all")
    """
    ax = _axes(ax)
    x = np.arange(len(table))
    ax.bar(x, table["share"], color="#9ecae1", label="share")
    continuous = table.attrs.get("target") == "continuous"
    if not continuous:
        for i, (s, w) in enumerate(zip(table["share"], table["woe"])):
            ax.text(i, s, f"{w:+.2f}", ha="center", va="bottom", fontsize=8)
    labels = [b if len(b) <= 28 else b[:27] + "…" for b in table["bin"]]
    ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("share of observations")
    right = ax.twinx()
    right.plot(x, table["mean" if continuous else "event_rate"], "o-", color="#d62728")
    right.set_ylabel("mean target" if continuous else "event rate")
    right.set_ylim(bottom=0)
    what = "R²" if continuous else "IV"
    ax.set_title(f"{variable}  ({what} {table.attrs.get('total_iv', float('nan')):.3f}"
                 f"{'' if continuous else '; WoE on bars'})")
    return ax


def plot_roc(y, score, ax=None, label: str = "model", higher_is_safer: Optional[bool] = None):
    """ROC curve with the AUC in the legend, and the diagonal of a random score.

    Parameters
    ----------
    y : 1-D array-like of 0/1
    score : 1-D array-like
    ax : matplotlib Axes, optional
    label : str, default "model"
        The curve's name in the legend.
    higher_is_safer : bool, optional
        As for :func:`auc`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib.pyplot as plt
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df, y)
    >>> ax = bq.scorecard.plot_roc(y, card.predict_proba(df)[:, 1])
    >>> ax.get_legend_handles_labels()[1]
    ['model (AUC 0.822)']
    >>> plt.close("all")
    """
    from ._metrics import auc, roc_curve

    ax = _axes(ax, (5, 5))
    fpr, tpr, _ = roc_curve(y, score, higher_is_safer=higher_is_safer)
    ax.plot(fpr, tpr, label=f"{label} (AUC {auc(y, score, higher_is_safer=higher_is_safer):.3f})")
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    ax.set_xlabel("false positive rate (non-events)")
    ax.set_ylabel("true positive rate (events)")
    ax.legend(loc="lower right")
    return ax


def plot_ks(y, score, ax=None, higher_is_safer: Optional[bool] = None):
    """Cumulative shares of events and non-events against the share of the population, riskiest
    first, with the KS gap marked.

    Parameters
    ----------
    y : 1-D array-like of 0/1
    score : 1-D array-like
    ax : matplotlib Axes, optional
    higher_is_safer : bool, optional
        As for :func:`auc`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib.pyplot as plt
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df, y)
    >>> ax = bq.scorecard.plot_ks(y, card.score(df), higher_is_safer=True)
    >>> len(ax.get_lines()) >= 2
    True
    >>> plt.close("all")
    """
    from ._metrics import ks_curve

    ax = _axes(ax)
    c = ks_curve(y, score, higher_is_safer=higher_is_safer)
    share = c["population"].to_numpy()
    ax.plot(share, c["cum_events"], label="events")
    ax.plot(share, c["cum_non_events"], label="non-events")
    i = int(np.argmax(c["gap"].to_numpy()))
    ax.vlines(share[i], c["cum_non_events"].iloc[i], c["cum_events"].iloc[i], colors="k",
              label=f"KS {c['gap'].iloc[i]:.3f}")
    ax.set_xlabel("share of population, riskiest first")
    ax.set_ylabel("cumulative share")
    ax.legend()
    return ax


def plot_score_distribution(score, y, ax=None, bins: int = 30):
    """Histograms of the score for events and non-events (densities on common bins).

    Parameters
    ----------
    score : 1-D array-like
    y : 1-D array-like of 0/1
    ax : matplotlib Axes, optional
    bins : int, default 30

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib.pyplot as plt
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df, y)
    >>> ax = bq.scorecard.plot_score_distribution(card.score(df), y)
    >>> ax.get_legend_handles_labels()[1]
    ['non-events (good)', 'events (bad)']
    >>> plt.close("all")
    """
    from .._validation import as_float_vector

    ax = _axes(ax)
    s = as_float_vector(score, "score")
    yv = as_float_vector(y, "y")
    edges = np.histogram_bin_edges(s, bins=bins)
    ax.hist(s[yv == 0], bins=edges, alpha=0.6, density=True, label="non-events (good)")
    ax.hist(s[yv == 1], bins=edges, alpha=0.6, density=True, label="events (bad)")
    ax.set_xlabel("score")
    ax.set_ylabel("density")
    ax.legend()
    return ax


def plot_monitoring(report, axes=None):
    """Three panels: score PSI by period (0.1 / 0.25 lines), CSI by characteristic and period, and
    development vs monitoring event rates of the bins tested (flagged bins in red).

    Parameters
    ----------
    report : MonitoringReport
        What :func:`monitor` returns.
    axes : sequence of three matplotlib Axes, optional
        Default: a new figure of three panels.

    Returns
    -------
    The three Axes.

    Examples
    --------
    >>> import bankquant as bq, matplotlib.pyplot as plt
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df.iloc[:600], y.iloc[:600])
    >>> report = bq.scorecard.monitor(card, df.iloc[:600], y.iloc[:600], df.iloc[600:], y.iloc[600:])
    >>> [ax.get_title() for ax in bq.scorecard.plot_monitoring(report)]
    ['score PSI by period', 'CSI by characteristic and period', 'per-bin event rates (red: p < 0.05)']
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(17, 4.5))
    a0, a1, a2 = axes
    periods = [str(p) for p in report.csi.columns]
    if "psi" in report.psi:
        a0.bar(periods, report.psi["psi"], color="#9ecae1")
    for level, style in ((0.1, "--"), (0.25, "-")):
        a0.axhline(level, color="#d62728", ls=style, lw=0.8)
    a0.set_title("score PSI by period")
    a0.set_ylabel("PSI")
    image = a1.imshow(report.csi.to_numpy(dtype=float), aspect="auto", cmap="Reds", vmin=0, vmax=0.25)
    a1.set_yticks(range(len(report.csi)), [v if len(v) <= 24 else v[:23] + "…" for v in report.csi.index], fontsize=7)
    a1.set_xticks(range(len(periods)), periods)
    a1.set_title("CSI by characteristic and period")
    plt.colorbar(image, ax=a1)
    t = report.event_rates
    if len(t):
        colors = np.where(t["significant"], "#d62728", "#1f77b4")
        a2.scatter(t["expected_rate"], t["actual_rate"], c=colors, s=12)
        top = float(max(t["expected_rate"].max(), t["actual_rate"].max()))
        a2.plot([0, top], [0, top], "k--", lw=0.8)
    a2.set_xlabel("development event rate of the bin")
    a2.set_ylabel("monitoring event rate")
    a2.set_title(f"per-bin event rates (red: p < {report.alpha:g})")
    return axes
