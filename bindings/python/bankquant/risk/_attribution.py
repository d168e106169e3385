"""Portfolio VaR/ES from positions and risk-factor returns, its attribution to positions, and
bootstrap confidence intervals.

Euler allocation: for a risk measure homogeneous of degree one, the component of position i is
w_i * d(risk)/d(w_i), and the components add up to the total.

* normal (parametric): marginal VaR_i = z (C w)_i / sigma_p, marginal ES_i = phi(z)/(1-alpha) (C w)_i
  / sigma_p (zero mean).
* historical (scenarios): component ES_i = the tail mean of position i's loss over the scenarios
  that make up the portfolio ES (same fractional weights); component VaR_i = position i's loss in
  the scenario(s) at the VaR quantile, interpolated exactly as the portfolio VaR is (numpy's
  linear rule between two order statistics). Both add up to the total to rounding. The VaR
  components rest on one or two scenarios and are noisy, a known property of simulation VaR.
* incremental VaR/ES_i = risk(w) - risk(w without position i) (not additive).
"""
from __future__ import annotations

import math
from typing import Optional, Sequence, Union

import numpy as np
import pandas as pd

from .. import _core
from ..exceptions import InvalidArgumentError
from ._var import var_es

_risk = _core.risk


def _positions_and_returns(positions, factor_returns):
    if isinstance(factor_returns, pd.DataFrame):
        names = list(factor_returns.columns)
        R = factor_returns.to_numpy(dtype=np.float64)
    else:
        R = np.asarray(factor_returns, dtype=np.float64)
        names = [f"x{i}" for i in range(R.shape[1])] if R.ndim == 2 else []
    if R.ndim != 2:
        raise InvalidArgumentError(f"argument 'factor_returns': expected a 2-D table (scenarios x factors), got "
                                   f"shape {R.shape}")
    if isinstance(positions, pd.Series):
        missing = [n for n in positions.index if n not in names]
        if missing:
            raise InvalidArgumentError(f"argument 'positions': no factor returns for {missing}")
        w = positions.reindex(names).fillna(0.0).to_numpy(dtype=np.float64)
    else:
        w = np.asarray(positions, dtype=np.float64)
    if w.ndim != 1 or w.size != R.shape[1]:
        raise InvalidArgumentError(f"arguments 'positions' and 'factor_returns': expected {R.shape[1]} positions, "
                                   f"got shape {w.shape}")
    if not np.isfinite(w).all():
        raise InvalidArgumentError("argument 'positions': expected finite values")
    if not np.isfinite(R).all():
        bad = np.argwhere(~np.isfinite(R))[0]
        raise InvalidArgumentError(f"argument 'factor_returns': expected finite values, found {R[tuple(bad)]} at "
                                   f"row {bad[0]}, column {bad[1]}")
    return w, R, names


def portfolio_var_es(positions, factor_returns, level=0.99, method: str = "historical", **kwargs) -> pd.DataFrame:
    """VaR/ES of the portfolio whose P&L in each scenario is factor_returns @ positions (positions
    in currency, factor returns as simple returns). Any method of ``var_es``."""
    w, R, _ = _positions_and_returns(positions, factor_returns)
    return var_es(R @ w, level, method, **kwargs)


def attribution(positions, factor_returns, level: float = 0.99, method: str = "historical") -> pd.DataFrame:
    """Marginal, component and incremental VaR and ES of each position (Euler allocation).

    ``method`` is "historical" (the scenarios as given) or "normal" (their covariance, zero mean).
    Rows are positions; ``attrs`` holds the portfolio VaR and ES. Components sum to them.
    """
    if method not in ("historical", "normal"):
        raise InvalidArgumentError(f"argument 'method': expected 'historical' or 'normal', got {method!r}")
    if not 0 < level < 1:
        raise InvalidArgumentError(f"argument 'level': expected a value in (0, 1), got {level}")
    w, R, names = _positions_and_returns(positions, factor_returns)
    n, k = R.shape
    if method == "normal":
        from scipy import stats

        C = np.cov(R, rowvar=False, ddof=1).reshape(k, k)
        sigma = math.sqrt(float(w @ C @ w))
        if sigma <= 0:
            raise InvalidArgumentError("the portfolio has zero variance: nothing to attribute")
        z = stats.norm.ppf(level)
        beta = C @ w / sigma
        marginal_var, marginal_es = z * beta, stats.norm.pdf(z) / (1 - level) * beta
        total_var, total_es = z * sigma, stats.norm.pdf(z) / (1 - level) * sigma

        def risk_of(v):
            s = math.sqrt(max(float(v @ C @ v), 0.0))
            return z * s, stats.norm.pdf(z) / (1 - level) * s
    else:
        if (1 - level) * n < 1:
            raise InvalidArgumentError(f"argument 'level': {level} needs at least {math.ceil(1 / (1 - level))} "
                                       f"scenarios, got {n}")
        contributions = -R * w  # each position's loss in each scenario
        loss = contributions.sum(axis=1)
        order = np.argsort(loss, kind="stable")  # ascending losses
        pos = level * (n - 1)  # numpy's linear rule
        lo = int(math.floor(pos))
        hi = min(lo + 1, n - 1)
        g = pos - lo
        component_var = contributions[order[lo]] + g * (contributions[order[hi]] - contributions[order[lo]])
        total_var = float(loss[order[lo]] + g * (loss[order[hi]] - loss[order[lo]]))
        tail_weights = np.zeros(n)
        mass, taken = (1 - level) * n, 0.0
        for idx in order[::-1]:  # worst first
            if taken >= mass:
                break
            tail_weights[idx] = min(1.0, mass - taken)
            taken += tail_weights[idx]
        component_es = tail_weights @ contributions / mass
        total_es = float(tail_weights @ loss / mass)
        with np.errstate(divide="ignore", invalid="ignore"):
            marginal_var = np.where(w != 0, component_var / w, np.nan)
            marginal_es = np.where(w != 0, component_es / w, np.nan)

        def risk_of(v):
            t = var_es(R @ v, level, "historical")
            return float(t["var"].iloc[0]), float(t["es"].iloc[0])
    if method == "normal":
        component_var, component_es = w * marginal_var, w * marginal_es
    incremental_var, incremental_es = [], []
    for i in range(k):
        without = w.copy()
        without[i] = 0.0
        v, e = risk_of(without) if np.any(without) else (0.0, 0.0)
        incremental_var.append(total_var - v)
        incremental_es.append(total_es - e)
    out = pd.DataFrame({"position": w, "marginal_var": marginal_var, "component_var": component_var,
                        "component_var_share": component_var / total_var, "incremental_var": incremental_var,
                        "marginal_es": marginal_es, "component_es": component_es,
                        "component_es_share": component_es / total_es, "incremental_es": incremental_es},
                       index=pd.Index(names, name="factor"))
    out.attrs.update({"var": total_var, "es": total_es, "level": level, "method": method})
    return out


def bootstrap_var_es(x, level: float = 0.99, n_boot: int = 1000, ci: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """Historical VaR and ES with percentile-bootstrap confidence intervals (Efron 1979).

    Resamples are drawn with bankquant's reproducible streams: the same seed gives the same
    interval on any machine and thread count.
    """
    from .. import random as bq_random
    from .._validation import as_float_vector

    xs = as_float_vector(x, "x")
    if not isinstance(n_boot, int) or n_boot < 100:
        raise InvalidArgumentError(f"argument 'n_boot': expected an integer >= 100, got {n_boot!r}")
    if not 0 < ci < 1:
        raise InvalidArgumentError(f"argument 'ci': expected a value in (0, 1), got {ci}")
    point = var_es(xs, level)
    n = xs.size
    u = bq_random.uniform(n_boot * n, seed=seed, progress=False).reshape(n_boot, n)
    samples = xs[np.minimum((u * n).astype(np.int64), n - 1)]
    levels = np.array([level])
    estimates = np.array([_risk.historical_var_es(s, levels)[0][1:] for s in samples])
    lo, hi = (1 - ci) / 2, 1 - (1 - ci) / 2
    out = pd.DataFrame({"estimate": [point["var"].iloc[0], point["es"].iloc[0]],
                        "lower": np.quantile(estimates, lo, axis=0), "upper": np.quantile(estimates, hi, axis=0),
                        "std_error": estimates.std(axis=0, ddof=1)}, index=pd.Index(["var", "es"], name="measure"))
    out.attrs.update({"level": level, "ci": ci, "n_boot": n_boot})
    return out
