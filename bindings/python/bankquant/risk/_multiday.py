"""Multi-day VaR and ES by simulating h-day paths (in C++: ``simulate_paths`` of
``bankquant/risk/volatility.hpp`` and ``bootstrap_sums`` of ``bootstrap.hpp``).

Square-root-of-time scaling assumes i.i.d. returns; with volatility clustering it is wrong in
both directions (too low after a calm spell ends, too high when a storm is passing). These
methods simulate the h days instead:

* ``fhs`` — filtered historical simulation (Barone-Adesi, Giannopoulos and Vosper 1999): fit a
  volatility model (GARCH(1,1) unless ``model`` says otherwise), draw its standardised residuals
  with replacement, and run the recursion forward from today's conditional variance;
  ``fhs_garch`` is its older name.
* ``simulation`` — the same recursion with the model's own innovations; ``garch_normal`` (a
  normal GARCH(1,1)) is its older name.
* ``bootstrap`` — i.i.d. resampling of past returns (no volatility dynamics), for comparison.

Random numbers come from bankquant's reproducible streams (one seed, same paths everywhere).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_choice, as_float_vector, as_int, as_seed, fail
from ._common import levels_of, time_ordered
from ._var import var_es
from ._volatility import Garch11, VolatilityFit, VolatilityModel

_risk = _core.risk
_METHODS = ("fhs", "simulation", "bootstrap", "fhs_garch", "garch_normal")


def _fitted(returns, method, model):
    """The fitted model for a simulation method (a given fit, or one fitted here)."""
    if isinstance(returns, VolatilityFit):
        if model is not None:
            fail("model", "not used with a fitted model")
        return returns
    if model is None:
        model = Garch11(dist="normal") if method == "garch_normal" else Garch11()
    elif not isinstance(model, VolatilityModel):
        fail("model", f"expected a bankquant.risk.VolatilityModel, got {type(model).__name__}")
    elif method in ("fhs_garch", "garch_normal"):
        fail("model", f"method {method!r} is a GARCH(1,1); use 'fhs' or 'simulation' with a model")
    return model.fit(returns)


def simulate_paths(returns, horizon: int = 10, n_paths: int = 100_000, method: str = "fhs", seed: int = 0,
                   model=None) -> np.ndarray:
    """Cumulative h-day returns of ``n_paths`` simulated paths (log returns add).

    ``returns`` is a return series (a model is fitted to it) or a fitted ``VolatilityFit``.

    Parameters
    ----------
    returns : 1-D array-like or VolatilityFit
    horizon : int, default 10
    n_paths : int, default 100,000
    method : {"fhs", "simulation", "bootstrap"}, default "fhs"
        Resampled standardised residuals through the model's recursion (filtered historical
        simulation), the model's own innovations, or i.i.d. resampling of past returns (see the
        module's docstring; "fhs_garch" and "garch_normal" are older names).
    seed : int, default 0
    model : VolatilityModel, optional

    Returns
    -------
    numpy.ndarray
        ``n_paths`` cumulative h-day log returns.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> bq.risk.simulate_paths(r, horizon=5, n_paths=1000).shape
    (1000,)
    """
    method = as_choice(method, "method", _METHODS)
    horizon, n_paths, seed = as_int(horizon, "horizon", minimum=1), as_int(n_paths, "n_paths", minimum=100), as_seed(seed)
    if method == "bootstrap":
        if isinstance(returns, VolatilityFit):
            fail("method", "'bootstrap' resamples returns: pass the returns, not a fitted model")
        if model is not None:
            fail("model", "not used by method 'bootstrap'")
        return np.asarray(_risk.bootstrap_sums(as_float_vector(returns, "returns"), horizon, n_paths, seed))
    if not isinstance(returns, VolatilityFit):
        time_ordered(returns, "returns")
    fit = _fitted(returns, method, model)
    innovations = "bootstrap" if method in ("fhs", "fhs_garch") else "model"
    return fit.simulate(horizon, n_paths, innovations, seed)


def multi_day_var_es(returns, horizon: int = 10, level=0.99, method: str = "fhs", n_paths: int = 100_000,
                     seed: int = 0, model=None) -> pd.DataFrame:
    """h-day VaR and ES from simulated paths, next to square-root-of-time scaling of the one-day figures.

    ``returns`` is a return series or a fitted ``VolatilityFit``; ``model`` a ``VolatilityModel``
    to fit (default GARCH(1,1)). The one-day figures scaled by sqrt(h) are historical for a
    series and the model's own for a fit.

    Parameters
    ----------
    returns : 1-D array-like or VolatilityFit
        Daily log returns, oldest first, or a fitted model.
    horizon : int, default 10
        Days.
    level : float or list of float, default 0.99
    method : {"fhs", "simulation", "bootstrap"}, default "fhs"
        Resampled standardised residuals through the model's recursion (filtered historical
        simulation), the model's own innovations, or i.i.d. resampling of past returns (see the
        module's docstring; "fhs_garch" and "garch_normal" are older names).
    n_paths : int, default 100,000
    seed : int, default 0
    model : VolatilityModel, optional
        The model fitted to ``returns`` (default GARCH(1,1)).

    Returns
    -------
    pandas.DataFrame
        Index ``level``; ``var`` and ``es`` of the simulated h-day returns, and ``var_sqrt_time``,
        ``es_sqrt_time``, the one-day figures times sqrt(h).

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> t = bq.risk.multi_day_var_es(r, horizon=10, level=0.99, n_paths=20_000)
    >>> list(t.columns)
    ['var', 'es', 'var_sqrt_time', 'es_sqrt_time']
    """
    paths = simulate_paths(returns, horizon, n_paths, method, seed, model)
    table = var_es(paths, level)
    horizon = as_int(horizon, "horizon", minimum=1)
    if isinstance(returns, VolatilityFit):
        scaled = var_es(returns, level, horizon=horizon)
    else:
        scaled = var_es(as_float_vector(returns, "returns"), level, horizon=horizon)
    table["var_sqrt_time"] = scaled["var"].to_numpy()
    table["es_sqrt_time"] = scaled["es"].to_numpy()
    table.attrs.update({"horizon": horizon, "method": method, "n_paths": n_paths})
    return table
