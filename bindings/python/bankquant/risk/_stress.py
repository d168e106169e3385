"""Stress tests of a linear portfolio: historical, hypothetical and reverse.

* ``worst_windows``: the worst non-overlapping h-day periods of the portfolio in the data (P&L of
  the summed simple returns over the window, a first-order approximation for h > 1).
* ``historical_scenario``: replay a named date range (e.g. the 1998 LTCM weeks) on today's book.
* ``hypothetical``: P&L of factor shocks (e.g. equities -30%), one row per scenario.
* ``reverse_stress``: the most plausible shock, smallest in the Mahalanobis distance
  sqrt(s' C^-1 s) under the factor covariance C, that makes the portfolio lose ``loss``:
  s* = -loss C w / (w' C w), at distance loss / sqrt(w' C w) (a Lagrange-multiplier solution;
  McNeil, Frey and Embrechts, Quantitative Risk Management, sec. 8.4 discuss the approach).
"""
from __future__ import annotations

import math
from typing import Dict, Mapping

import numpy as np
import pandas as pd

from ..exceptions import InvalidArgumentError
from ._attribution import _positions_and_returns


def worst_windows(positions, factor_returns: pd.DataFrame, window: int = 10, n: int = 5) -> pd.DataFrame:
    """The ``n`` worst non-overlapping ``window``-day periods for the book, with their P&L."""
    w, R, names = _positions_and_returns(positions, factor_returns)
    if not isinstance(window, int) or window < 1 or window > R.shape[0]:
        raise InvalidArgumentError(f"argument 'window': expected 1 to {R.shape[0]} days, got {window!r}")
    if not isinstance(n, int) or n < 1:
        raise InvalidArgumentError(f"argument 'n': expected a positive integer, got {n!r}")
    daily = R @ w
    pnl = np.convolve(daily, np.ones(window), mode="valid")  # P&L of the window starting at each day
    index = factor_returns.index if isinstance(factor_returns, pd.DataFrame) else pd.RangeIndex(R.shape[0])
    rows, taken = [], np.zeros(pnl.size, dtype=bool)
    for start in np.argsort(pnl, kind="stable"):
        if len(rows) == n:
            break
        if taken[max(0, start - window + 1):start + window].any():
            continue
        taken[start] = True
        rows.append({"start": index[start], "end": index[start + window - 1], "pnl": float(pnl[start])})
    return pd.DataFrame(rows)


def historical_scenario(positions, factor_returns: pd.DataFrame, start, end) -> pd.DataFrame:
    """Replays the factor moves between ``start`` and ``end`` (inclusive) on the book: cumulative
    simple return of each factor and the P&L it causes."""
    if not isinstance(factor_returns, pd.DataFrame):
        raise InvalidArgumentError("argument 'factor_returns': expected a DataFrame indexed by date")
    period = factor_returns.loc[start:end]
    if period.empty:
        raise InvalidArgumentError(f"arguments 'start' and 'end': no data between {start} and {end}")
    w, R, names = _positions_and_returns(positions, period)
    move = np.prod(1 + R, axis=0) - 1
    out = pd.DataFrame({"position": w, "factor_move": move, "pnl": w * move}, index=pd.Index(names, name="factor"))
    out.attrs["pnl"] = float(out["pnl"].sum())
    return out


def hypothetical(positions, shocks: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    """P&L of hypothetical factor shocks: ``{"equity crash": {"IBM": -0.30, ...}, ...}``; factors
    a scenario does not name are unchanged. One row per scenario."""
    if not isinstance(positions, pd.Series):
        raise InvalidArgumentError("argument 'positions': expected a pandas Series indexed by factor")
    rows = {}
    for name, shock in shocks.items():
        unknown = [f for f in shock if f not in positions.index]
        if unknown:
            raise InvalidArgumentError(f"argument 'shocks[{name!r}]': no position in {unknown}")
        s = pd.Series(shock, dtype=float).reindex(positions.index).fillna(0.0)
        if not np.isfinite(s).all():
            raise InvalidArgumentError(f"argument 'shocks[{name!r}]': expected finite shocks")
        rows[name] = {"pnl": float((positions * s).sum()), "worst_factor": (positions * s).idxmin()}
    return pd.DataFrame.from_dict(rows, orient="index")


def reverse_stress(positions, cov, loss: float) -> Dict[str, object]:
    """The smallest shock (Mahalanobis distance under ``cov``) that makes the book lose ``loss``.

    Returns the shock per factor, its distance (in standard deviations of the factor
    distribution), and the probability of a loss at least that large if factor returns were
    normal, Phi(-distance).
    """
    from scipy import stats

    if isinstance(cov, pd.DataFrame):
        names = list(cov.columns)
        if isinstance(positions, pd.Series):
            positions = positions.reindex(names).fillna(0.0)
        C = cov.to_numpy(dtype=float)
    else:
        C = np.asarray(cov, dtype=float)
        names = list(positions.index) if isinstance(positions, pd.Series) else list(range(C.shape[0]))
    w = np.asarray(positions, dtype=float)
    if C.ndim != 2 or C.shape != (w.size, w.size):
        raise InvalidArgumentError(f"argument 'cov': expected shape ({w.size}, {w.size}), got {C.shape}")
    if not (isinstance(loss, (int, float)) and math.isfinite(loss) and loss > 0):
        raise InvalidArgumentError(f"argument 'loss': expected a positive number, got {loss!r}")
    variance = float(w @ C @ w)
    if not variance > 0:
        raise InvalidArgumentError("the portfolio has zero variance under 'cov': no shock produces a loss")
    shock = -loss * (C @ w) / variance
    distance = loss / math.sqrt(variance)
    return {"shock": pd.Series(shock, index=names, name="shock"), "distance": distance,
            "probability": float(stats.norm.sf(distance)), "pnl": float(w @ shock)}
