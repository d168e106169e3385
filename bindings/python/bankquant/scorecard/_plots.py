"""Plots people look at rather than read: WoE/event-rate bars, ROC and KS curves, score distributions."""
from __future__ import annotations

import numpy as np
import pandas as pd


def _axes(ax, figsize=(7, 4)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_binning(table: pd.DataFrame, variable: str = "", ax=None):
    """Share of each bin (bars) with its event rate (line, right axis); WoE printed on the bars."""
    ax = _axes(ax)
    x = np.arange(len(table))
    ax.bar(x, table["share"], color="#9ecae1", label="share")
    for i, (s, w) in enumerate(zip(table["share"], table["woe"])):
        ax.text(i, s, f"{w:+.2f}", ha="center", va="bottom", fontsize=8)
    labels = [b if len(b) <= 28 else b[:27] + "…" for b in table["bin"]]
    ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("share of observations")
    right = ax.twinx()
    right.plot(x, table["event_rate"], "o-", color="#d62728", label="event rate")
    right.set_ylabel("event rate")
    right.set_ylim(bottom=0)
    ax.set_title(f"{variable}  (IV {table.attrs.get('total_iv', float('nan')):.3f}; WoE on bars)")
    return ax


def plot_roc(y, score, ax=None, label: str = "model"):
    """ROC curve with the AUC in the legend (score: higher = more likely event)."""
    from ._metrics import auc, roc_curve

    ax = _axes(ax, (5, 5))
    fpr, tpr, _ = roc_curve(y, score)
    ax.plot(fpr, tpr, label=f"{label} (AUC {auc(y, score):.3f})")
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    ax.set_xlabel("false positive rate (non-events)")
    ax.set_ylabel("true positive rate (events)")
    ax.legend(loc="lower right")
    return ax


def plot_ks(y, score, ax=None):
    """Cumulative shares of events and non-events by score, with the KS gap marked."""
    from ._metrics import ks_curve

    ax = _axes(ax)
    c = ks_curve(y, score).iloc[1:]
    share = np.linspace(0, 1, len(c))
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
    """Histograms of the score for events and non-events."""
    ax = _axes(ax)
    s = np.asarray(score, dtype=float)
    yv = np.asarray(y)
    edges = np.histogram_bin_edges(s, bins=bins)
    ax.hist(s[yv == 0], bins=edges, alpha=0.6, density=True, label="non-events (good)")
    ax.hist(s[yv == 1], bins=edges, alpha=0.6, density=True, label="events (bad)")
    ax.set_xlabel("score")
    ax.set_ylabel("density")
    ax.legend()
    return ax
