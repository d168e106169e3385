"""Portfolio VaR/ES from positions and risk-factor returns, its Euler attribution to positions,
and bootstrap confidence intervals (the numerics are in ``bankquant/risk/attribution.hpp`` and
``bootstrap.hpp``)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_choice, as_float, as_float_matrix, as_float_vector, as_int, as_seed, fail
from ._var import var_es

_risk = _core.risk


def _positions_and_returns(positions, factor_returns):
    """(weights, returns matrix, factor names); a Series of positions is aligned by name."""
    R = as_float_matrix(factor_returns, "factor_returns")
    names = [str(c) for c in factor_returns.columns] if isinstance(factor_returns, pd.DataFrame) else \
        [f"x{i}" for i in range(R.shape[1])]
    if isinstance(positions, pd.Series) and isinstance(factor_returns, pd.DataFrame):
        missing = [n for n in positions.index if n not in factor_returns.columns]
        if missing:
            fail("positions", f"no factor returns for {missing}")
        positions = positions.reindex(factor_returns.columns).fillna(0.0)
    w = as_float_vector(positions, "positions")
    if w.size != R.shape[1]:
        fail("positions", f"expected {R.shape[1]} positions (one per column of 'factor_returns'), got {w.size}")
    return w, R, names


def portfolio_var_es(positions, factor_returns, level=0.99, method: str = "historical", **kwargs) -> pd.DataFrame:
    """VaR/ES of the portfolio whose P&L in each scenario is factor_returns @ positions (positions
    in currency, factor returns as simple returns). Any method of ``var_es``.

    Parameters
    ----------
    positions : Series
        Positions in currency by factor name.
    factor_returns : DataFrame
        Simple returns of the factors, one row per scenario (day), columns named as ``positions``.
    level : float or list of float, default 0.99
    method : str, default "historical"
        A method of :func:`var_es`.
    **kwargs
        The method's arguments.

    Returns
    -------
    pandas.DataFrame
        As :func:`var_es`: index ``level``, columns ``var`` and ``es`` in currency.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> R = bq.datasets.dow_jones_30()[["IBM", "KO"]].pct_change().dropna()
    >>> book = pd.Series({"IBM": 1e6, "KO": 1e6})
    >>> bq.risk.portfolio_var_es(book, R, 0.99).round(0)
               var       es
    level
    0.99   71476.0  95777.0
    """
    w, R, _ = _positions_and_returns(positions, factor_returns)
    return var_es(R @ w, level, method, **kwargs)


def attribution(positions, factor_returns, level: float = 0.99, method: str = "historical") -> pd.DataFrame:
    """Marginal, component and incremental VaR and ES of each position (Euler allocation).

    ``method`` is "historical" (the scenarios as given) or "normal" (their sample mean and
    covariance, as ``portfolio_var_es(method="normal")``: the same portfolio VaR and ES).
    Rows are positions; ``attrs`` holds the portfolio VaR and ES. Components sum to them.

    Parameters
    ----------
    positions : Series
        Positions in currency by factor name.
    factor_returns : DataFrame
        Simple returns of the factors, one row per scenario (day), columns named as ``positions``.
    level : float, default 0.99
    method : {"historical", "normal"}, default "historical"

    Returns
    -------
    pandas.DataFrame
        One row per position: ``position``, ``marginal_var``, ``component_var``,
        ``component_var_share``, ``incremental_var``, and the same for ES; ``attrs`` hold ``var``,
        ``es``, ``level`` and ``method``.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> R = bq.datasets.dow_jones_30()[["IBM", "KO", "GE"]].pct_change().dropna()
    >>> a = bq.risk.attribution(pd.Series({"IBM": 1e6, "KO": 2e6, "GE": 1e6}), R, 0.99)
    >>> bool(abs(a["component_var"].sum() - a.attrs["var"]) < 1e-6)
    True
    """
    method = as_choice(method, "method", ("historical", "normal"))
    w, R, names = _positions_and_returns(positions, factor_returns)
    r = _risk.attribution(w, R, as_float(level, "level"), method)
    columns = ["position", "marginal_var", "component_var", "component_var_share", "incremental_var",
               "marginal_es", "component_es", "component_es_share", "incremental_es"]
    out = pd.DataFrame({c: np.asarray(getattr(r, c)) for c in columns}, index=pd.Index(names, name="factor"))
    out.attrs.update({"var": r.var, "es": r.es, "level": r.level, "method": r.method})
    return out


def bootstrap_var_es(x, level: float = 0.99, n_boot: int = 1000, ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Historical VaR and ES with percentile-bootstrap confidence intervals (Efron 1979).

    Resamples run in parallel in C++ from bankquant's counter-based streams: the same seed gives
    the same interval on any machine and thread count.

    Parameters
    ----------
    x : 1-D array-like
        P&L or returns.
    level : float, default 0.99
    n_boot : int, default 1000
        Resamples.
    ci : float, default 0.95
        Level of the confidence intervals.
    seed : int, default 0

    Returns
    -------
    pandas.DataFrame
        Rows ``var`` and ``es`` (index ``measure``), columns ``estimate``, ``lower``, ``upper``,
        ``std_error``.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> x = bq.random.standard_normal(2000, seed=1)
    >>> t = bq.risk.bootstrap_var_es(x, 0.99, n_boot=200)
    >>> bool(t.loc["var", "lower"] < t.loc["var", "estimate"] < t.loc["var", "upper"])
    True
    """
    xs = as_float_vector(x, "x")
    options = _risk.BootstrapOptions(n_boot=as_int(n_boot, "n_boot", minimum=100), ci=as_float(ci, "ci"),
                                     seed=as_seed(seed))
    r = _risk.bootstrap_var_es(xs, as_float(level, "level"), options)
    out = pd.DataFrame({"estimate": [r.var, r.es], "lower": [r.var_lower, r.es_lower], "upper": [r.var_upper, r.es_upper],
                        "std_error": [r.var_std_error, r.es_std_error]}, index=pd.Index(["var", "es"], name="measure"))
    out.attrs.update({"level": r.level, "ci": r.ci, "n_boot": r.n_boot})
    return out
