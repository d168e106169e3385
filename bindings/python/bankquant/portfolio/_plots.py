"""Plots: the efficient frontier, weights over time, equity and drawdowns, risk contributions."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._validation import describe, fail


def _axes(ax, figsize=(8, 5)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_frontier(frontier, ax=None, portfolios=None, show_assets: bool = True):
    """The efficient frontier (volatility, expected return), the assets, and chosen portfolios.

    Parameters
    ----------
    frontier : Frontier
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    portfolios : dict of str to PortfolioResult, optional
        Marked with stars.
    show_assets : bool, default True
        The assets themselves as points.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib, matplotlib.pyplot as plt
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r))
    >>> ax = bq.portfolio.plot_frontier(mv.frontier(50), portfolios={"min vol": mv.min_volatility()})
    >>> isinstance(ax, matplotlib.axes.Axes), ax.get_ylabel()
    (True, 'expected return (annual)')
    >>> plt.close("all")
    """
    from ._mean_variance import Frontier

    if not isinstance(frontier, Frontier):
        fail("frontier", f"expected a Frontier (MeanVariance.frontier()), got {describe(frontier)}")
    ax = _axes(ax)
    pts = frontier.points
    ax.plot(pts["volatility"], pts["expected_return"], color="C0", lw=2, label="efficient frontier")
    bp = frontier.breakpoints
    ax.scatter(bp["volatility"], bp["expected_return"], s=8, color="C0", zorder=3, label="corner portfolios")
    if show_assets:
        mu, cov = frontier._assets
        vol = np.sqrt(np.diag(cov))
        ax.scatter(vol, mu, s=14, color="grey", alpha=0.7, label="assets")
        for name, x, y in zip(frontier._names, vol, mu):
            ax.annotate(str(name), (x, y), fontsize=6, alpha=0.7, xytext=(2, 2), textcoords="offset points")
    for k, (label, p) in enumerate((portfolios or {}).items()):
        ax.scatter([p.volatility], [p.expected_return], s=80, marker="*", color=f"C{k + 1}", zorder=4, label=label)
    ax.set_xlabel("volatility (annual)")
    ax.set_ylabel("expected return (annual)")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax


def plot_weights(weights, ax=None, top: int = 12):
    """Weights over time as stacked areas (the ``top`` largest assets, the rest as 'other').

    Parameters
    ----------
    weights : DataFrame
        Weights over time (rows) by asset, e.g. ``BacktestResult.weights``.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    top : int, default 12
        The largest assets drawn; the rest as "other".

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib, matplotlib.pyplot as plt, pandas as pd
    >>> ax = bq.portfolio.plot_weights(pd.DataFrame({"a": [0.5, 0.6], "b": [0.5, 0.4]}))
    >>> isinstance(ax, matplotlib.axes.Axes)
    True
    >>> plt.close("all")
    """
    if not isinstance(weights, pd.DataFrame):
        fail("weights", f"expected a DataFrame of weights (rows: dates), got {describe(weights)}")
    ax = _axes(ax, (10, 4))
    w = weights.clip(lower=0)
    order = w.mean().sort_values(ascending=False).index
    shown = list(order[:top])
    data = w[shown].copy()
    if len(order) > top:
        data["other"] = w[order[top:]].sum(axis=1)
    ax.stackplot(data.index, data.T.to_numpy(), labels=[str(c) for c in data.columns], alpha=0.85)
    ax.set_ylabel("weight (long positions)")
    ax.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.margins(x=0)
    return ax


def plot_equity(results, ax=None):
    """Equity curves (log scale) and drawdowns of one or more backtests (dict name -> result).

    Parameters
    ----------
    results : BacktestResult or dict of str to BacktestResult
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib, matplotlib.pyplot as plt
    >>> res = bq.portfolio.backtest(bq.datasets.dow_jones_30(), bq.portfolio.allocation_strategy("equal_weight", 21))
    >>> isinstance(bq.portfolio.plot_equity({"1/n": res}), matplotlib.axes.Axes)
    True
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    from ._backtest import BacktestResult

    if isinstance(results, BacktestResult):
        results = {results.name: results}
    if not isinstance(results, dict) or not results:
        fail("results", f"expected a dict of backtest results, got {describe(results)}")
    if ax is None:
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(10, 6), sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    else:
        top, bottom = ax if isinstance(ax, (list, tuple, np.ndarray)) else (ax, None)
    for name, r in results.items():
        if not isinstance(r, BacktestResult):
            fail("results", f"{name!r} is not a backtest result")
        start = r.raw_start if hasattr(r, "raw_start") else r.start
        eq = r.equity.iloc[start:]
        top.plot(eq.index, eq.to_numpy(), label=str(name), lw=1.2)
        if bottom is not None:
            dd = r.drawdown.iloc[start:]
            bottom.fill_between(dd.index, dd.to_numpy(), 0, alpha=0.35)
    top.set_yscale("log")
    top.set_ylabel("equity (start = 1)")
    top.legend(fontsize=8)
    top.grid(alpha=0.3)
    if bottom is not None:
        bottom.set_ylabel("drawdown")
        bottom.grid(alpha=0.3)
    return top


def plot_risk_contributions(result, ax=None):
    """Weights next to shares of risk, by asset (largest risk first).

    Parameters
    ----------
    result : PortfolioResult
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib, matplotlib.pyplot as plt
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> rp = bq.portfolio.risk_parity(bq.portfolio.covariance(r))
    >>> isinstance(bq.portfolio.plot_risk_contributions(rp), matplotlib.axes.Axes)
    True
    >>> plt.close("all")
    """
    from ._common import PortfolioResult

    if not isinstance(result, PortfolioResult):
        fail("result", f"expected a PortfolioResult, got {describe(result)}")
    ax = _axes(ax, (10, 4))
    frame = pd.DataFrame({"weight": result.weights, "share of risk": result.risk_shares})
    frame = frame[(frame.abs() > 1e-6).any(axis=1)].sort_values("share of risk", ascending=False)
    frame.plot.bar(ax=ax, width=0.8)
    ax.set_ylabel("share")
    ax.set_title(f"{result.method}: volatility {result.volatility:.1%}")
    ax.grid(alpha=0.3, axis="y")
    return ax


def plot_dendrogram(result, ax=None):
    """The HRP/HERC dendrogram (scipy draws it from the linkage matrix).

    Parameters
    ----------
    result : HierarchicalResult
        From :func:`hrp` or :func:`herc`.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib, matplotlib.pyplot as plt
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> isinstance(bq.portfolio.plot_dendrogram(bq.portfolio.hrp(bq.portfolio.covariance(r))), matplotlib.axes.Axes)
    True
    >>> plt.close("all")
    """
    from scipy.cluster.hierarchy import dendrogram

    from ._allocation import HierarchicalResult

    if not isinstance(result, HierarchicalResult):
        fail("result", f"expected an HRP or HERC result, got {describe(result)}")
    ax = _axes(ax, (10, 4))
    dendrogram(result.linkage, labels=[str(a) for a in result._names], ax=ax, leaf_font_size=7)
    ax.set_ylabel("cluster distance")
    return ax
