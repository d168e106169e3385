"""What the portfolio wrappers share: labelled inputs in, C++ records out, results wrapped."""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_float, as_float_matrix, as_float_vector, describe, fail
from ..exceptions import warn_if_not_converged

_pf = _core.portfolio

INF = math.inf


def labels(values) -> Optional[List[Any]]:
    """Column labels of a DataFrame, index of a Series, else None."""
    if isinstance(values, pd.DataFrame):
        return list(values.columns)
    if isinstance(values, pd.Series):
        return list(values.index)
    return None


def unique_labels(values, name: str, what: str = "column") -> None:
    """Refuses repeated labels: results are indexed by label, and a repeated one is ambiguous there."""
    found = labels(values)
    if found is None:
        return
    seen, repeated = set(), []
    for a in found:
        if a in seen and a not in repeated:
            repeated.append(a)
        seen.add(a)
    if repeated:
        fail(name, f"expected distinct {what} labels (one per asset), but {describe(repeated)} "
                   f"{'appears' if len(repeated) == 1 else 'appear'} more than once; rename or drop the repeats")


def returns_matrix(returns, name: str = "returns"):
    """(values with NaN for missing, column labels, row index) of a returns table."""
    if isinstance(returns, pd.Series):
        returns = returns.to_frame()
    unique_labels(returns, name)
    values = as_float_matrix(returns, name, allow_nan=True)
    if values.shape[1] == 0:
        fail(name, "expected at least one column (asset), got none")
    if values.shape[0] == 0:
        fail(name, "expected at least one row, got none")
    names = labels(returns) or list(range(values.shape[1]))
    index = returns.index if isinstance(returns, pd.DataFrame) else None
    return values, names, index


def covariance_matrix(cov, name: str = "cov", names=None):
    """(square float matrix, labels) from a DataFrame or an array; a DataFrame is aligned to names."""
    if isinstance(cov, pd.DataFrame):
        unique_labels(cov, name, "row and column")
    if isinstance(cov, pd.DataFrame) and names is not None and list(cov.columns) != list(names):
        missing = [a for a in names if a not in cov.columns]
        if missing:
            fail(name, f"has no row/column for {describe(missing)}")
        cov = cov.loc[list(names), list(names)]
    values = as_float_matrix(cov, name, square=True)
    if values.shape[0] == 0:
        fail(name, "expected a non-empty matrix")
    cov_names = labels(cov) if isinstance(cov, pd.DataFrame) else None
    if isinstance(cov, pd.DataFrame) and list(cov.index) != list(cov.columns):
        fail(name, "expected the same labels on rows and columns")
    return values, (cov_names if cov_names is not None else names)


def asset_vector(values, name: str, n: int, names=None, *, allow_none: bool = False, fill=None) -> Optional[np.ndarray]:
    """A per-asset vector: a scalar (broadcast), a sequence of n numbers, or a Series aligned by label."""
    if values is None:
        if allow_none:
            return None
        fail(name, "expected a value, got None")
    if isinstance(values, pd.Series) and names is not None and list(values.index) != list(names):
        if set(values.index) >= set(names):
            values = values.reindex(names)
        elif fill is not None:
            unknown = [a for a in values.index if a not in names]
            if unknown:
                fail(name, f"names assets that are not in the universe: {describe(unknown)}")
            values = values.reindex(names).fillna(fill)
        else:
            missing = [a for a in names if a not in values.index]
            fail(name, f"has no value for {describe(missing)}")
    if isinstance(values, dict):
        if names is None:
            fail(name, "a dict needs asset names (pass DataFrames)")
        unknown = [k for k in values if k not in names]
        if unknown:
            fail(name, f"names assets that are not in the universe: {describe(unknown)}")
        out = np.full(n, np.nan if fill is None else float(fill))
        for k, v in values.items():
            out[list(names).index(k)] = as_float(v, f"{name}[{k!r}]", allow_inf=True)
        if np.isnan(out).any():
            fail(name, f"has no value for {describe([a for a, v in zip(names, out) if np.isnan(v)])}")
        return out
    if np.ndim(values) == 0 and not isinstance(values, (str, bytes)):
        return np.full(n, as_float(values, name, allow_inf=True))
    arr = as_float_vector(values, name, finite=False)
    if np.isnan(arr).any():
        fail(name, f"expected numbers, found NaN at index {int(np.argmax(np.isnan(arr)))}")
    if arr.size != n:
        fail(name, f"expected {n} values (one per asset), got {arr.size}")
    return arr


def asset_index(asset, names, name: str) -> int:
    """The position of an asset given by label or integer position."""
    if names is not None and asset in names:
        return list(names).index(asset)
    if isinstance(asset, (int, np.integer)) and not isinstance(asset, bool) and 0 <= int(asset) < len(names):
        return int(asset)
    fail(name, f"unknown asset {describe(asset)}")


def bounds_of(bounds, n: int, names) -> tuple:
    """(lower, upper) arrays from bounds=(lo, hi) with scalars, sequences, Series or None."""
    if bounds is None:
        return np.full(n, -INF), np.full(n, INF)
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        fail("bounds", f"expected a pair (lower, upper), got {describe(bounds)}")
    lo, hi = bounds
    lower = np.full(n, -INF) if lo is None else asset_vector(lo, "bounds", n, names)
    upper = np.full(n, INF) if hi is None else asset_vector(hi, "bounds", n, names)
    bad = lower > upper
    if bad.any():
        i = int(np.argmax(bad))
        fail("bounds", f"asset {describe(names[i])}: lower bound {lower[i]:g} is above its upper bound {upper[i]:g}")
    return lower, upper


def groups_of(groups, names, argument: str = "groups"):
    """C++ AssetGroup records from {name: (members, lower, upper)} or a list of AssetGroup."""
    if groups is None:
        return []
    out = []
    if isinstance(groups, dict):
        items = groups.items()
    elif isinstance(groups, (list, tuple)):
        items = [(g.name, (list(g.members), g.lower, g.upper)) if isinstance(g, _pf.AssetGroup) else (None, g)
                 for g in groups]
    else:
        fail(argument, f"expected a dict {{name: (members, lower, upper)}}, got {describe(groups)}")
    for label, spec in items:
        if not isinstance(spec, (tuple, list)) or len(spec) != 3:
            fail(argument, f"group {label!r}: expected (members, lower, upper), got {describe(spec)}")
        members, lower, upper = spec
        if isinstance(members, (str, bytes)) or not hasattr(members, "__iter__"):
            fail(argument, f"group {label!r}: expected a list of assets, got {describe(members)}")
        idx = [asset_index(a, names, argument) for a in members]
        if not idx:
            fail(argument, f"group {label!r} has no members")
        lo = -INF if lower is None else as_float(lower, f"{argument}[{label!r}] lower", allow_inf=True)
        hi = INF if upper is None else as_float(upper, f"{argument}[{label!r}] upper", allow_inf=True)
        out.append(_pf.AssetGroup(name=str(label), members=idx, lower=lo, upper=hi))
    return out


def series(values, names, name: Optional[str] = None) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=list(names), name=name)


class PortfolioResult:
    """An allocation and its report: a view of the C++ ``PortfolioResult`` with pandas on top.

    Attributes
    ----------
    weights : pandas.Series
        Weights by asset.
    expected_return, volatility, sharpe : float
        Expected return (net of costs; NaN when no expected returns were given), volatility
        sqrt(w'Sw) and Sharpe ratio against the risk-free rate of the method.
    risk_contributions : pandas.Series
        w_i (Sw)_i / volatility; they sum to the volatility (``risk_shares`` divides by it).
    binding : pandas.DataFrame
        The constraints that bind and their shadow prices.
    status
        How the optimisation ended (``status.code``, ``status.message``).



    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
    ...                                bounds=(0, 0.1))
    >>> low = mv.min_volatility()
    >>> low
    PortfolioResult(method='min_volatility', expected_return=0.1653, volatility=0.135, sharpe=1.224, holdings=19, status='converged')
    >>> low.binding.head(2)
      constraint  shadow_price
    0   AXP >= 0      0.006677
    1   CAT >= 0      0.000225
    """

    def __init__(self, raw, names):
        self._raw = raw
        self._names = list(names)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    def __reduce__(self):
        return (PortfolioResult, (self._raw, self._names))

    def __repr__(self) -> str:
        return (f"PortfolioResult(method={self._raw.method!r}, expected_return={self._raw.expected_return:.4g}, "
                f"volatility={self._raw.volatility:.4g}, sharpe={self._raw.sharpe:.4g}, "
                f"holdings={int((np.abs(self._raw.weights) > 1e-9).sum())}, status={self._raw.status.code!r})")

    @property
    def raw(self):
        """The C++ record."""
        return self._raw

    @property
    def weights(self) -> pd.Series:
        return series(self._raw.weights, self._names, "weight")

    @property
    def risk_contributions(self) -> pd.Series:
        return series(self._raw.risk_contributions, self._names, "risk_contribution")

    @property
    def risk_shares(self) -> pd.Series:
        """Risk contributions as shares of the volatility (they sum to one)."""
        vol = self._raw.volatility
        rc = np.asarray(self._raw.risk_contributions)
        return series(rc / vol if vol > 0 else np.zeros_like(rc), self._names, "risk_share")

    @property
    def binding(self) -> pd.DataFrame:
        rows = [(b.name, b.multiplier) for b in self._raw.binding]
        return pd.DataFrame(rows, columns=["constraint", "shadow_price"])

    def summary(self) -> pd.Series:
        """The scalar figures as a Series.

        Returns
        -------
        pandas.Series
            expected_return, volatility, sharpe, diversification_ratio, tracking_error, turnover,
            transaction_cost, holdings, iterations, nodes, status.

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0, 0.1))
        >>> low = mv.min_volatility()
        >>> low.summary()[["holdings", "status"]].tolist()
        [19, 'converged']
        """
        r = self._raw
        return pd.Series({"expected_return": r.expected_return, "volatility": r.volatility, "sharpe": r.sharpe,
                          "diversification_ratio": r.diversification_ratio, "tracking_error": r.tracking_error,
                          "turnover": r.turnover, "transaction_cost": r.transaction_cost,
                          "holdings": int((np.abs(np.asarray(r.weights)) > 1e-9).sum()),
                          "iterations": r.iterations, "nodes": r.nodes, "status": r.status.code}, name=r.method)

    def clean_weights(self, cutoff: float = 1e-4, rounding: int = 5) -> pd.Series:
        """Weights below the cutoff set to 0 and rounded (PyPortfolioOpt's clean_weights).

        Parameters
        ----------
        cutoff : float, default 1e-4
            Weights below it (in absolute value) become 0.
        rounding : int, default 5
            Decimals.

        Returns
        -------
        pandas.Series

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0, 0.1))
        >>> low = mv.min_volatility()
        >>> low.clean_weights().round(3).head(3)
        AA     0.036
        AXP    0.000
        T      0.063
        Name: weight, dtype: float64
        """
        w = self.weights
        w[np.abs(w) < as_float(cutoff, "cutoff", minimum=0)] = 0.0
        return w.round(int(rounding))

    def plot_risk_contributions(self, ax=None):
        """Bar chart of weights next to risk shares.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mv = bq.portfolio.MeanVariance(bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf"),
        ...                                bounds=(0, 0.1))
        >>> low = mv.min_volatility()
        >>> import matplotlib.axes; isinstance(low.plot_risk_contributions(), matplotlib.axes.Axes)
        True
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        from ._plots import plot_risk_contributions

        return plot_risk_contributions(self, ax=ax)


def wrap(raw, names, what: str) -> PortfolioResult:
    warn_if_not_converged(raw, what, stacklevel=4)
    return PortfolioResult(raw, names)


def options(record_type, **fields):
    """A C++ Options record with the given fields set (None keeps the C++ default)."""
    o = record_type()
    for key, value in fields.items():
        if value is not None:
            setattr(o, key, value)
    if hasattr(o, "validate"):
        o.validate()
    return o


def solver_options(solver) -> Any:
    """QpOptions from None, a dict of its fields or a QpOptions."""
    if solver is None:
        return _pf.QpOptions()
    if isinstance(solver, _pf.QpOptions):
        return solver
    if isinstance(solver, dict):
        return _pf.QpOptions(**solver)
    fail("solver", f"expected a dict of QP options or QpOptions, got {describe(solver)}")
