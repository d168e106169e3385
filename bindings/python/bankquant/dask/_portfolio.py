"""Portfolios across Dask workers: many clients' allocations, backtest parameter grids."""
from __future__ import annotations

from typing import Optional

import pandas as pd

from .. import portfolio as _portfolio
from .._validation import as_choice, describe, fail
from ..portfolio._backtest import GridResult, Strategy, _parameter_grid
from ._common import compute, delayed_call, n_parts_of, shared, split_evenly


def _advise_part(advisor, clients, views):
    return advisor.advise_many(clients, views=views)


def advise_many(advisor, clients, views=None, *, n_parts: Optional[int] = None, client=None) -> pd.DataFrame:
    """Advice for many clients with the clients split across Dask workers.

    Each worker runs :meth:`bankquant.portfolio.Advisor.advise_many` on its share of the clients
    (the advisor travels by pickle), so the rows equal the single-machine call's, in the same order.

    Parameters
    ----------
    advisor : bankquant.portfolio.Advisor
        The advisor (market assumptions and the profile table).
    clients : pandas.DataFrame or list of dict
        One row (or dict) per client, as :meth:`Advisor.advise_many` takes them.
    views : optional
        Views for every client, as :meth:`Advisor.advise_many`.
    n_parts : int, optional
        Groups of clients, one task each (default: one per worker thread, else 4).
    client : distributed.Client, optional
        Where to run (default: Dask's current scheduler).

    Returns
    -------
    pandas.DataFrame
        One row per client, as :meth:`Advisor.advise_many`.

    Examples
    --------
    >>> import dask, bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> mu = bq.portfolio.expected_returns(r); S = bq.portfolio.covariance(r)
    >>> mu["CASH"] = 0.04; S["CASH"] = 0.0; S.loc["CASH"] = 0.0
    >>> adv = bq.portfolio.Advisor(mu, S, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.04)
    >>> clients = [{"id": f"c{i}", "answers": [i % 5] * 8} for i in range(10)]
    >>> with dask.config.set(scheduler="sync"):
    ...     many = bq.dask.advise_many(adv, clients, n_parts=3)
    >>> many.equals(adv.advise_many(clients))
    True
    """
    if not isinstance(advisor, _portfolio.Advisor):
        fail("advisor", f"expected a bankquant.portfolio.Advisor, got {describe(advisor)}")
    if isinstance(clients, pd.DataFrame):
        rows = len(clients)
        cut = lambda r: clients.iloc[r.start:r.stop]  # noqa: E731
    elif isinstance(clients, (list, tuple)):
        rows = len(clients)
        cut = lambda r: list(clients[r.start:r.stop])  # noqa: E731
    else:
        fail("clients", f"expected a list of client dicts or a DataFrame, got {describe(clients)}")
    if rows == 0:
        fail("clients", "expected at least one client")
    adv, v = shared(advisor), shared(views)
    parts = [cut(r) for r in split_evenly(rows, n_parts_of(n_parts, rows, client)) if len(r)]
    frames = compute([delayed_call(_advise_part, adv, p, v) for p in parts], client)
    return pd.concat(frames, ignore_index=True)


def _grid_part(prices, strategies, kwargs):
    return _portfolio.grid_backtest(prices, strategies, **kwargs)


def grid_backtest(prices, strategies, params=None, *, n_parts: Optional[int] = None, client=None,
                  **kwargs) -> GridResult:
    """Backtests a parameter grid (or a list of strategies) with the strategies split across Dask
    workers; each runs :func:`bankquant.portfolio.grid_backtest` on its share.

    The merged result holds every strategy in the single-machine order, so its ``table``,
    ``best`` and ``deflated_sharpe()`` (which counts all the trials) equal the single-machine call's.

    Parameters
    ----------
    prices : pandas.DataFrame
        Prices, one column per asset.
    strategies : str or list of Strategy
        A strategy kind ("moving_average", "momentum", "cross_sectional_momentum",
        "mean_reversion", "pairs") with ``params``, or a list of :class:`Strategy`.
    params : dict of lists or pandas.DataFrame, optional
        The grid for a strategy kind: a dict of lists (their Cartesian product) or one row per set.
    n_parts : int, optional
        Groups of strategies, one task each (default: one per worker thread, else 4).
    client : distributed.Client, optional
        Where to run (default: Dask's current scheduler).
    **kwargs
        Options of :func:`bankquant.portfolio.grid_backtest` (``rebalance``, ``costs``, ...).

    Returns
    -------
    GridResult
        As :func:`bankquant.portfolio.grid_backtest`.

    Examples
    --------
    >>> import dask, bankquant as bq
    >>> prices = bq.datasets.dow_jones_30()
    >>> grid = {"fast": [10, 20, 50], "slow": [100, 200]}
    >>> with dask.config.set(scheduler="sync"):
    ...     g = bq.dask.grid_backtest(prices, "moving_average", grid, rebalance=5, n_parts=2)
    >>> g.table.equals(bq.portfolio.grid_backtest(prices, "moving_average", grid, rebalance=5).table)
    True
    """
    if isinstance(strategies, str):
        grid = _parameter_grid(params)
        kind = as_choice(strategies, "strategies", _KINDS)
        cut = lambda r: grid[r.start:r.stop]  # noqa: E731
        rows = len(grid)
    elif isinstance(strategies, (list, tuple)) and strategies:
        for i, s in enumerate(strategies):
            if not isinstance(s, Strategy):
                fail("strategies", f"item {i} is not a Strategy ({describe(s)})")
        rows = len(strategies)
        cut = lambda r: list(strategies[r.start:r.stop])  # noqa: E731
    else:
        fail("strategies", f"expected a strategy kind or a non-empty list of Strategy objects, got {describe(strategies)}")
    if "progress" in kwargs:
        fail("progress", "progress bars are not shown for work on Dask workers (use the Dask dashboard)")
    p, kw = shared(prices), shared(kwargs)
    tasks = []
    for r in split_evenly(rows, n_parts_of(n_parts, rows, client)):
        if not len(r):
            continue
        if isinstance(strategies, str):
            tasks.append(delayed_call(_grid_rows, p, kind, cut(r), kw))
        else:
            tasks.append(delayed_call(_grid_part, p, cut(r), kw))
    results = compute(tasks, client)
    first = results[0]
    return GridResult([raw for g in results for raw in g._raws], [s for g in results for s in g._strategies],
                      first._names, first._index, first._ppy)


_KINDS = ("moving_average", "momentum", "cross_sectional_momentum", "mean_reversion", "pairs")


def _grid_rows(prices, kind, rows, kwargs):
    """On a worker: the strategies of these grid rows, built as the single-machine call builds them."""
    make = {"moving_average": lambda **k: _portfolio.trend_strategy("moving_average", **k),
            "momentum": lambda **k: _portfolio.trend_strategy("momentum", **k),
            "cross_sectional_momentum": _portfolio.cross_sectional_momentum_strategy,
            "mean_reversion": _portfolio.mean_reversion_strategy, "pairs": _portfolio.pairs_strategy}[kind]
    try:
        built = [make(**row) for row in rows]
    except TypeError as error:
        fail("params", f"{error}")
    return _portfolio.grid_backtest(prices, built, **kwargs)
