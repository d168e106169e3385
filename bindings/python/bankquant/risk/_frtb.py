"""FRTB internal-models expected shortfall (Basel Committee, MAR33, 2019).

* Liquidity-horizon cascade (MAR33.4): with base horizon T = 10 days and liquidity horizons
  LH_1..5 = 10, 20, 40, 60, 120 days,
      ES = sqrt( ES_T(P)^2 + sum_{j>=2} ( ES_T(P, j) * sqrt((LH_j - LH_{j-1}) / T) )^2 )
  where ES_T(P, j) is the 97.5% ES of 10-day P&L when only the risk factors whose liquidity
  horizon is at least LH_j move (the others held at their current values).
* Stressed calibration (MAR33.5): ES = ES_R,S * max(ES_F,C / ES_R,C, 1), from the reduced set
  of risk factors in the stress period (R,S) and the current period (R,C), and the full set in the
  current period (F,C).
"""
from __future__ import annotations

import math
from typing import Dict, Mapping

import numpy as np
import pandas as pd

from .._validation import as_float
from ..exceptions import InvalidArgumentError
from ._var import var_es

LIQUIDITY_HORIZONS = (10, 20, 40, 60, 120)


def liquidity_adjusted_es(factor_pnl: pd.DataFrame, liquidity_horizon: Mapping[str, int],
                          level: float = 0.975, base_horizon: int = 10) -> pd.DataFrame:
    """The cascade of MAR33.4 from 10-day P&L contributions per risk factor (scenarios x factors,
    additive across factors). Returns one row per liquidity horizon with ES_T(P, j) and its
    scaled term; ``attrs["es"]`` is the liquidity-adjusted ES.

    Parameters
    ----------
    factor_pnl : DataFrame
        10-day P&L contribution of each risk factor (columns) in each scenario (rows).
    liquidity_horizon : dict of str to int
        Each factor's liquidity horizon in days, one of ``LIQUIDITY_HORIZONS`` (10, 20, 40, 60, 120).
    level : float, default 0.975
    base_horizon : int, default 10

    Returns
    -------
    pandas.DataFrame
        One row per liquidity horizon j (index ``liquidity_horizon``): the number of ``factors``
        with at least that horizon, ``es_t`` (ES of their P&L), the ``scale``
        sqrt((LH_j - LH_{j-1}) / 10) and the scaled ``term``; ``attrs["es"]`` is
        sqrt(sum of the squared terms).

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> pnl = pd.DataFrame({"equity": [-10.0, -30.0, 5.0, -50.0] * 25, "credit": [-5.0, 2.0, -20.0, -1.0] * 25})
    >>> t = bq.risk.liquidity_adjusted_es(pnl, {"equity": 10, "credit": 40})
    >>> t[["factors", "es_t", "scale"]].round(3).head(3)
                       factors  es_t  scale
    liquidity_horizon
    10                       2  51.0  1.000
    20                       1  20.0  1.000
    40                       1  20.0  1.414
    >>> round(t.attrs["es"], 3)
    61.652
    """
    if not isinstance(factor_pnl, pd.DataFrame) or factor_pnl.empty:
        raise InvalidArgumentError("argument 'factor_pnl': expected a non-empty DataFrame (scenarios x factors)")
    unknown = [c for c in factor_pnl.columns if c not in liquidity_horizon]
    if unknown:
        raise InvalidArgumentError(f"argument 'liquidity_horizon': no horizon for {unknown}")
    bad = {c: h for c, h in liquidity_horizon.items() if h not in LIQUIDITY_HORIZONS}
    if bad:
        raise InvalidArgumentError(f"argument 'liquidity_horizon': expected horizons in {LIQUIDITY_HORIZONS}, got {bad}")
    rows, total = [], 0.0
    for j, lh in enumerate(LIQUIDITY_HORIZONS):
        cols = [c for c in factor_pnl.columns if liquidity_horizon[c] >= lh]
        if not cols:
            es = 0.0
        else:
            es = float(var_es(factor_pnl[cols].sum(axis=1).to_numpy(), level)["es"].iloc[0])
        scale = 1.0 if j == 0 else math.sqrt((lh - LIQUIDITY_HORIZONS[j - 1]) / base_horizon)
        term = es * scale
        total += term * term
        rows.append({"liquidity_horizon": lh, "factors": len(cols), "es_t": es, "scale": scale, "term": term})
    out = pd.DataFrame(rows).set_index("liquidity_horizon")
    out.attrs["es"] = math.sqrt(total)
    return out


def stressed_es(es_reduced_stressed: float, es_full_current: float, es_reduced_current: float) -> Dict[str, float]:
    """MAR33.5: ES = ES_R,S x max(ES_F,C / ES_R,C, 1). Returns the ES and the (floored) ratio.

    Parameters
    ----------
    es_reduced_stressed : float
        ES of the reduced set of risk factors in the stress period (ES_R,S).
    es_full_current : float
        ES of the full set in the current period (ES_F,C).
    es_reduced_current : float
        ES of the reduced set in the current period (ES_R,C).

    Returns
    -------
    dict
        ``es`` and the ``ratio`` ES_F,C / ES_R,C, floored at 1.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.risk.stressed_es(120.0, 100.0, 80.0)
    {'es': 150.0, 'ratio': 1.25}
    """
    for name, v in [("es_reduced_stressed", es_reduced_stressed), ("es_full_current", es_full_current),
                    ("es_reduced_current", es_reduced_current)]:
        value = as_float(v, name)
        if not value > 0:
            raise InvalidArgumentError(f"argument '{name}': expected a positive number, got {v!r}")
    es_reduced_stressed, es_full_current, es_reduced_current = (
        as_float(v, n) for v, n in [(es_reduced_stressed, "es_reduced_stressed"), (es_full_current, "es_full_current"),
                                    (es_reduced_current, "es_reduced_current")])
    ratio = max(es_full_current / es_reduced_current, 1.0)
    return {"es": es_reduced_stressed * ratio, "ratio": ratio}
