"""Stress tests of a linear portfolio: historical, hypothetical and reverse (the numerics are in
``bankquant/risk/stress.hpp``).

* ``worst_windows``: the worst non-overlapping h-day periods of the portfolio in the data (the
  book held through each period: every factor's simple returns compounded).
* ``historical_scenario``: replay a named date range (e.g. the 1998 LTCM weeks) on today's book.
* ``hypothetical``: P&L of factor shocks (e.g. equities -30%), one row per scenario.
* ``reverse_stress``: the most plausible shock, smallest in the Mahalanobis distance under the
  factor covariance, that makes the portfolio lose ``loss``.
"""
from __future__ import annotations

from typing import Dict, Mapping

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_matrix, as_float_vector, as_int, fail
from ._attribution import _positions_and_returns

_risk = _core.risk


def worst_windows(positions, factor_returns: pd.DataFrame, window: int = 10, n: int = 5) -> pd.DataFrame:
    """The ``n`` worst non-overlapping ``window``-day periods for the book, with their P&L: the
    positions held through each period (each factor's simple returns compounded, as
    ``historical_scenario`` replays a period).

    Parameters
    ----------
    positions : Series
        Positions in currency by factor name.
    factor_returns : DataFrame
        Simple returns of the factors, one row per scenario (day), columns named as ``positions``.
    window : int, default 10
        Days per period.
    n : int, default 5
        Periods returned.

    Returns
    -------
    pandas.DataFrame
        Columns ``start``, ``end``, ``pnl``, worst first.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> R = bq.datasets.dow_jones_30()[["IBM", "KO"]].pct_change().dropna()
    >>> book = pd.Series({"IBM": 1e6, "KO": 1e6})
    >>> bq.risk.worst_windows(book, R, window=10, n=2).round(0)
           start        end       pnl
    0 1998-08-27 1998-09-10 -295253.0
    1 1997-10-14 1997-10-27 -265114.0
    """
    w, R, _ = _positions_and_returns(positions, factor_returns)
    window, n = as_int(window, "window", minimum=1), as_int(n, "n", minimum=1)
    r = _risk.worst_windows_held(R, w, window, n)
    index = factor_returns.index if isinstance(factor_returns, pd.DataFrame) else pd.RangeIndex(R.shape[0])
    starts = np.asarray(r.start, dtype=np.int64)
    return pd.DataFrame({"start": index[starts], "end": index[starts + window - 1], "pnl": np.asarray(r.pnl)})


def historical_scenario(positions, factor_returns: pd.DataFrame, start, end) -> pd.DataFrame:
    """Replays the factor moves between ``start`` and ``end`` (inclusive) on the book: compounded
    simple return of each factor and the P&L it causes.

    Parameters
    ----------
    positions : Series
        Positions in currency by factor name.
    factor_returns : DataFrame
        Simple returns of the factors, one row per scenario (day), columns named as ``positions``.
    start, end : date-like
        The period replayed (inclusive), labels of ``factor_returns``' index.

    Returns
    -------
    pandas.DataFrame
        One row per factor: ``position``, ``factor_move`` (compounded simple return), ``pnl``;
        ``attrs["pnl"]`` is the total.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> R = bq.datasets.dow_jones_30()[["IBM", "KO"]].pct_change().dropna()
    >>> book = pd.Series({"IBM": 1e6, "KO": 1e6})
    >>> s = bq.risk.historical_scenario(book, R, "1998-08-01", "1998-10-08")
    >>> s[["factor_move", "pnl"]].round(4)
            factor_move          pnl
    factor
    IBM         -0.0679  -67881.5490
    KO          -0.1968 -196757.1741
    """
    if not isinstance(factor_returns, pd.DataFrame):
        fail("factor_returns", "expected a DataFrame indexed by date")
    period = factor_returns.loc[start:end]
    if period.empty:
        fail("start", f"no data between {start} and {end} (arguments 'start' and 'end')")
    w, R, names = _positions_and_returns(positions, period)
    move = np.asarray(_risk.compound_moves(R))
    out = pd.DataFrame({"position": w, "factor_move": move, "pnl": w * move}, index=pd.Index(names, name="factor"))
    out.attrs["pnl"] = float(out["pnl"].sum())
    return out


def hypothetical(positions, shocks: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    """P&L of hypothetical factor shocks: ``{"equity crash": {"IBM": -0.30, ...}, ...}``; factors
    a scenario does not name are unchanged. One row per scenario.

    Parameters
    ----------
    positions : Series
        Positions in currency by factor name.
    shocks : dict of str to dict of str to float
        Scenario name to relative moves by factor.

    Returns
    -------
    pandas.DataFrame
        One row per scenario: its ``pnl`` and the ``worst_factor``.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> bq.risk.hypothetical(pd.Series({"IBM": 1e6, "KO": 2e6}), {"crash": {"IBM": -0.3, "KO": -0.1}})["pnl"].tolist()
    [-500000.0]
    """
    if not isinstance(positions, pd.Series):
        fail("positions", "expected a pandas Series indexed by factor")
    w = pd.Series(as_float_vector(positions, "positions"), index=positions.index)
    rows = {}
    for name, shock in shocks.items():
        unknown = [f for f in shock if f not in positions.index]
        if unknown:
            fail(f"shocks[{name!r}]", f"no position in {unknown}")
        s = pd.Series({k: as_float(v, f"shocks[{name!r}][{k!r}]") for k, v in shock.items()}, dtype=float)
        pnl = w * s.reindex(w.index).fillna(0.0)
        rows[name] = {"pnl": float(pnl.sum()), "worst_factor": pnl.idxmin()}
    return pd.DataFrame.from_dict(rows, orient="index")


def reverse_stress(positions, cov, loss: float) -> Dict[str, object]:
    """The smallest shock (Mahalanobis distance under ``cov``) that makes the book lose ``loss``.

    Returns the shock per factor, its distance (in standard deviations of the factor
    distribution), and the probability of a loss at least that large if factor returns were
    normal, Phi(-distance).

    Parameters
    ----------
    positions : Series
        Positions in currency by factor name.
    cov : 2-D array-like or DataFrame
        Covariance of the factor returns.
    loss : float
        The loss to reach (positive).

    Returns
    -------
    dict
        ``shock`` (a Series by factor), ``distance``, ``probability`` and the ``pnl`` of the shock.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> r = bq.risk.reverse_stress(pd.Series({"A": 1.0}), [[0.04]], loss=0.4)
    >>> round(r["distance"], 6), round(r["shock"]["A"], 6)
    (2.0, -0.4)
    """
    if isinstance(cov, pd.DataFrame):
        names = list(cov.columns)
        if isinstance(positions, pd.Series):
            unknown = [n for n in positions.index if n not in names]
            if unknown:
                fail("positions", f"no covariance for {unknown}")
            positions = positions.reindex(names).fillna(0.0)
    else:
        names = list(positions.index) if isinstance(positions, pd.Series) else None
    w = as_float_vector(positions, "positions")
    C = as_float_matrix(cov, "cov", square=True)
    r = _risk.reverse_stress(w, C, as_float(loss, "loss"))
    names = names if names is not None else list(range(w.size))
    return {"shock": pd.Series(np.asarray(r.shock), index=names, name="shock"), "distance": r.distance,
            "probability": r.probability, "pnl": r.pnl}
