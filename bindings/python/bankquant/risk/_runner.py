"""The backtest runner: rolling out-of-sample VaR/ES forecasts of many models (in C++, refits in
parallel) and every VaR and ES test of any forecasts, the user's own or bankquant's, in one table
(``bankquant/risk/backtest_runner.hpp``)."""
from __future__ import annotations

from typing import Mapping, Optional

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_bool, as_choice, as_float_matrix, as_float_vector, as_int, as_seed, fail, index_of
from ._backtest import EsBacktestResult, TestResult, TrafficLightResult
from ._common import levels_of, time_ordered
from ._var import METHODS
from ._volatility import VolatilityModel

_risk = _core.risk


def _var_es_options(name: str, spec) -> object:
    """A C++ VarEsOptions from a method name, a VolatilityModel (conditional, its own distribution)
    or a dict of var_es keyword arguments."""
    if isinstance(spec, str):
        spec = {"method": spec}
    elif isinstance(spec, VolatilityModel):
        spec = {"method": "garch", "model": spec}
    if not isinstance(spec, Mapping):
        fail("models", f"model {name!r}: expected a method name, a VolatilityModel or a dict of var_es arguments, "
                       f"got {type(spec).__name__}")
    unknown = set(spec) - {"method", "lambda_", "nu", "dist", "model"}
    if unknown:
        fail("models", f"model {name!r}: unknown keys {sorted(unknown)} (use method, lambda_, nu, dist, model)")
    method = spec.get("method", "historical")
    if method not in METHODS:
        fail("models", f"model {name!r}: expected a method in {METHODS}, got {method!r}")
    options = _risk.VarEsOptions(method=method)
    for key in ("lambda_", "nu"):
        if spec.get(key) is not None:
            setattr(options, key, spec[key])
    model, dist = spec.get("model"), spec.get("dist")
    if model is not None or dist is not None:
        if model is not None and not isinstance(model, VolatilityModel):
            fail("models", f"model {name!r}: 'model' must be a bankquant.risk.VolatilityModel")
        volatility = model.options() if model is not None else _risk.VolatilityOptions()
        if dist is not None:
            volatility.dist = dist
        options.volatility = volatility
    return options


def _models(models) -> list:
    if isinstance(models, (str, VolatilityModel)):
        models = {models if isinstance(models, str) else models.label(): models}
    if not isinstance(models, Mapping) or not models:
        fail("models", "expected a method name, a VolatilityModel, or a non-empty dict of them by name")
    return [_risk.RollingModel(name=str(name), var_es=_var_es_options(str(name), spec)) for name, spec in models.items()]


class Forecasts:
    """Rolling VaR/ES forecasts: ``var``, ``es`` and ``ranks`` are DataFrames (test days x (model,
    level) columns), ``pnl`` the realised P&L; a view of the C++ ``ForecastTable`` (``raw``).

    Returned by :func:`rolling_forecasts`; ``backtest()`` tests them.

    Attributes
    ----------
    var, es, ranks : pandas.DataFrame
        Test days × (model, level) columns.
    pnl : pandas.Series
        The realised P&L of the test days.
    raw
        The C++ ``ForecastTable``.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> f = bq.risk.rolling_forecasts(r, {"hist": "historical"}, 0.99, test_days=250)
    >>> f
    Forecasts(250 days, series [('hist', 0.99)])
    >>> f.backtest(es_tests=False).table[["exceptions", "zone"]]
                 exceptions    zone
    model level
    hist  0.99            5  yellow
    """

    def __init__(self, raw, index):
        self.raw = raw
        columns = pd.MultiIndex.from_arrays([list(raw.model), np.asarray(raw.level)], names=["model", "level"])
        self.index = index
        self.var = pd.DataFrame(np.asarray(raw.var), index=index, columns=columns)
        self.es = pd.DataFrame(np.asarray(raw.es), index=index, columns=columns)
        self.ranks = pd.DataFrame(np.asarray(raw.ranks), index=index, columns=columns)
        self.pnl = pd.Series(np.asarray(raw.pnl), index=index, name="pnl")

    def __repr__(self) -> str:
        return f"Forecasts({len(self.index)} days, series {list(self.var.columns)})"

    def backtest(self, es_tests: bool = True, n_simulations: int = 1000, seed: int = 0) -> "BacktestTable":
        """Every test of every series (see ``backtest``).

        Parameters
        ----------
        es_tests, n_simulations, seed
            As :func:`backtest`.

        Returns
        -------
        BacktestTable

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> f = bq.risk.rolling_forecasts(r, {"hist": "historical"}, 0.99, test_days=250)
        >>> f.backtest(es_tests=False).table.loc[("hist", 0.99), "exceptions"]
        5
        """
        return backtest(self.pnl, self.var, self.es, ranks=self.ranks, es_tests=es_tests, n_simulations=n_simulations,
                        seed=seed)


def rolling_forecasts(returns, models="historical", level=0.99, window: int = 500, test_days: Optional[int] = None,
                      refit_every: int = 1) -> Forecasts:
    """VaR/ES of each test day from the ``window`` days before it, for every model and level.

    ``models``: a method name of ``var_es``, a ``VolatilityModel`` (conditional VaR from its own
    distribution), or a dict of them by name; a dict value may also be a dict of ``var_es``
    arguments (``{"method": "fhs", "model": bq.risk.VolatilityModel("gjr")}``). Volatility models
    refit every ``refit_every`` days and are re-applied with fixed parameters in between.

    Parameters
    ----------
    returns : 1-D array-like or Series
        Daily returns, oldest first.
    models : str, VolatilityModel or dict
        What to forecast with (see above).
    level : float or list of float, default 0.99
    window : int, default 500
    test_days : int, optional
        The last days forecast (default: every day after the first window).
    refit_every : int, default 1

    Returns
    -------
    Forecasts

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> f = bq.risk.rolling_forecasts(r, {"hist": "historical", "ewma": "ewma_normal"}, [0.99, 0.975], test_days=250)
    >>> f.var.shape
    (250, 4)
    """
    time_ordered(returns, "returns")
    x = as_float_vector(returns, "returns")
    _, levels = levels_of(level)
    options = _risk.RollingOptions(window=as_int(window, "window", minimum=1),
                                   refit_every=as_int(refit_every, "refit_every", minimum=1))
    if test_days is not None:
        options.test_days = as_int(test_days, "test_days", minimum=1)
    raw = _risk.rolling_forecasts(x, levels, _models(models), options)
    index = index_of(returns)
    index = index[raw.start:] if index is not None else pd.RangeIndex(raw.start, x.size)
    return Forecasts(raw, index)


_TESTS = [("binomial", "binomial"), ("pof", "POF"), ("tuff", "TUFF"), ("cci", "CCI"), ("cc", "CC"), ("tbfi", "TBFI"),
          ("tbf", "TBF")]
_ES_TESTS = [("z1", "Z1"), ("z2", "Z2"), ("z3", "Z3"), ("minimally_biased_absolute", "MB abs"),
             ("minimally_biased_relative", "MB rel"), ("du_escanciano_unconditional", "DE uncond"),
             ("du_escanciano_conditional", "DE cond")]


class BacktestTable:
    """Every test of every forecast series: ``table`` (one row per (model, level): exceptions,
    traffic-light zone, each test's statistic and p value, and ``reject`` at ``significance``),
    ``results`` (the C++ ``SeriesBacktest`` records) and ``plot()``.

    Returned by :func:`backtest` and ``Forecasts.backtest``.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (model, level): exceptions, traffic-light zone, each test's statistic and p
        value, and ``rejected`` at ``significance``.
    results : list
        The C++ ``SeriesBacktest`` records.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> f = bq.risk.rolling_forecasts(r, {"hist": "historical"}, 0.99, test_days=250)
    >>> t = bq.risk.backtest(f.pnl, f.var, f.es, n_simulations=200)
    >>> t.table[["exceptions", "zone", "POF p"]].round(4)
                 exceptions    zone   POF p
    model level
    hist  0.99            5  yellow  0.1619
    """

    def __init__(self, raw, pnl: pd.Series, var: pd.DataFrame, significance: float = 0.05):
        self.raw, self.pnl, self.var, self.significance = raw, pnl, var, significance
        rows = []
        for s in raw.series:
            row = {"model": s.model, "level": s.level, "days": s.n, "exceptions": s.exceptions,
                   "expected": s.expected_exceptions, "zone": s.traffic_light.zone}
            for attr, label in _TESTS:
                t = getattr(s, attr)
                row[f"{label} stat"], row[f"{label} p"] = t.statistic, t.p_value
            if s.es is not None:
                for attr, label in _ES_TESTS:
                    t = getattr(s.es, attr)
                    row[f"{label} stat"], row[f"{label} p"] = t.statistic, t.p_value
            rows.append(row)
        self.table = pd.DataFrame(rows).set_index(["model", "level"])
        p_columns = [c for c in self.table.columns if c.endswith(" p")]
        self.table["rejected"] = [", ".join(c[:-2] for c in p_columns if r[c] < significance) or "-"
                                  for _, r in self.table.iterrows()]

    @property
    def results(self):
        return list(self.raw.series)

    def __repr__(self) -> str:
        return f"BacktestTable({len(self.table)} series)\n{self.table[['exceptions', 'expected', 'zone', 'rejected']]}"

    def plot(self, ax=None):
        """The P&L and each series' VaR line, exceptions marked.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> f = bq.risk.rolling_forecasts(r, {"hist": "historical"}, 0.99, test_days=250)
        >>> import matplotlib.axes; isinstance(f.backtest(es_tests=False).plot(), matplotlib.axes.Axes)
        True
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        ax.bar(self.pnl.index, self.pnl.to_numpy(), color="#c6dbef", width=1.0, label="P&L")
        for (model, level), column in self.var.items():
            line = ax.plot(self.var.index, -column.to_numpy(), lw=1.0, label=f"-VaR {model} {level:.1%}")[0]
            hits = -self.pnl.to_numpy() > column.to_numpy()
            ax.scatter(self.pnl.index[hits], self.pnl.to_numpy()[hits], s=14, color=line.get_color(), zorder=3)
        ax.set_title(f"VaR backtest, {len(self.pnl)} days")
        ax.legend(loc="lower left", fontsize=8)
        return ax


def _as_forecast_frame(values, name: str, index, level) -> pd.DataFrame:
    if isinstance(values, pd.Series):
        values = values.to_frame(values.name if values.name is not None else "model")
    elif isinstance(values, Mapping):
        values = pd.DataFrame({k: as_float_vector(v, f"{name}[{k!r}]") for k, v in values.items()})
    elif not isinstance(values, pd.DataFrame):
        values = pd.DataFrame(as_float_matrix(np.asarray(values, dtype=float).reshape(len(index), -1), name))
    if not isinstance(values.columns, pd.MultiIndex):
        if level is None:
            fail("level", f"required when the columns of {name!r} do not say the level (a (model, level) MultiIndex)")
        values = values.copy()
        values.columns = pd.MultiIndex.from_arrays([[str(c) for c in values.columns], [float(level)] * values.shape[1]],
                                                   names=["model", "level"])
    return values


def backtest(pnl, var, es=None, level=None, ranks=None, es_tests: bool = True, n_simulations: int = 1000,
             seed: int = 0, significance: float = 0.05) -> BacktestTable:
    """Every VaR test (traffic light scaled to n, binomial, POF, TUFF, CCI, CC, TBFI, TBF) and, with
    ES forecasts, every ES test (Acerbi–Székely Z1–Z3, minimally biased, Du–Escanciano) of any
    number of forecast series.

    ``var`` (and ``es``): a Series, a dict of series by model, or a DataFrame whose columns are the
    models (all at ``level``) or a (model, level) MultiIndex; one row per day of ``pnl``.
    ``ranks``: the forecasts' own u_t = P_t(pnl_t), when known.

    Parameters
    ----------
    pnl : 1-D array-like or Series
        Realised P&L per day.
    var : Series, dict of Series, or DataFrame
        VaR forecasts (positive losses), one row per day of ``pnl``.
    es : same form as ``var``, optional
        ES forecasts; without them no ES test runs.
    level : float, optional
        The level of forecasts not labelled by a (model, level) MultiIndex.
    ranks : same form as ``var``, optional
    es_tests : bool, default True
    n_simulations : int, default 1000
        Of the simulated ES tests.
    seed : int, default 0
    significance : float, default 0.05
        Level at which ``reject`` flags a test.

    Returns
    -------
    BacktestTable

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> f = bq.risk.rolling_forecasts(r, {"hist": "historical"}, 0.99, test_days=500)
    >>> t = bq.risk.backtest(f.pnl, f.var, f.es)
    >>> t.table.loc[("hist", 0.99), "zone"] in ("green", "yellow", "red")
    True
    """
    p = as_float_vector(pnl, "pnl")
    index = index_of(pnl) if index_of(pnl) is not None else pd.RangeIndex(p.size)
    v = _as_forecast_frame(var, "var", index, level)
    if len(v) != p.size:
        fail("var", f"expected one row per day of 'pnl' ({p.size}), got {len(v)}")
    e = np.zeros((0, 0))
    if es is not None:
        es_frame = _as_forecast_frame(es, "es", index, level)
        if list(es_frame.columns) != list(v.columns):
            fail("es", f"expected the same series as 'var' ({list(v.columns)}), got {list(es_frame.columns)}")
        e = as_float_matrix(es_frame, "es")
    u = np.zeros((0, 0)) if ranks is None else as_float_matrix(ranks, "ranks")
    options = _risk.BacktestOptions(es_tests=as_bool(es_tests, "es_tests"))
    options.es.n_simulations = as_int(n_simulations, "n_simulations")
    options.es.seed = as_seed(seed)
    raw = _risk.run_backtests(p, as_float_matrix(v, "var"), e, u, [str(m) for m in v.columns.get_level_values(0)],
                              np.asarray(v.columns.get_level_values(1), dtype=float), options)
    return BacktestTable(raw, pd.Series(p, index=index, name="pnl"), v, significance)


class BacktestReport:
    """A rolling out-of-sample backtest of one model at one level: the daily ``table`` (pnl, var,
    es, exception) and its tests (``kupiec``, ``christoffersen``, ``traffic_light``, ``es_tests``,
    and every other in ``tests``).

    Returned by :func:`rolling_backtest`; ``summary()`` is the one-table verdict.

    Attributes
    ----------
    table : pandas.DataFrame
        Per test day: pnl, var, es, exception.
    kupiec, christoffersen, traffic_light, es_tests
        The main tests' results.
    tests : BacktestTable
        Every test.
    level : float
    method : str
    window : int

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> report = bq.risk.rolling_backtest(r, window=500, level=0.99)
    >>> report.table.columns.tolist()
    ['pnl', 'var', 'es', 'exception']
    >>> round(report.kupiec.p_value, 4)
    0.1619
    """

    def __init__(self, forecasts: Forecasts, tests: BacktestTable, method: str, window: int):
        s = tests.raw.series[0]
        self.tests, self.level, self.method, self.window = tests, s.level, method, window
        self.table = pd.DataFrame({"pnl": forecasts.pnl, "var": forecasts.var.iloc[:, 0], "es": forecasts.es.iloc[:, 0]})
        self.table["exception"] = (-self.table["pnl"] > self.table["var"]).astype(int)
        self.kupiec: TestResult = s.pof
        self.christoffersen = _Christoffersen(s.cci, s.cc)
        self.traffic_light: TrafficLightResult = s.traffic_light
        self.es_tests: Optional[EsBacktestResult] = s.es

    def summary(self) -> pd.DataFrame:
        """Returns
        -------
        pandas.DataFrame
            Index ``item`` (days, exceptions, expected exceptions, Kupiec, Christoffersen, conditional
            coverage, traffic light, plus factor, the ES tests), one column ``value``.

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> bq.risk.rolling_backtest(r, window=500, level=0.99).summary().loc["traffic light", "value"]
        'yellow (cumulative probability 0.9588)'
        """
        k, c, tl = self.kupiec, self.christoffersen, self.traffic_light
        rows = [("days", len(self.table)), ("exceptions", int(self.table["exception"].sum())),
                ("expected exceptions", (1 - self.level) * len(self.table)),
                ("Kupiec LR (p)", f"{k.statistic:.3f} ({k.p_value:.3f}, exact {k.p_value_exact:.3f})"),
                ("Christoffersen independence (p)", f"{c.independence.statistic:.3f} ({c.independence.p_value:.3f})"),
                ("conditional coverage (p)", f"{c.statistic:.3f} ({c.p_value:.3f})"),
                ("traffic light", f"{tl.zone} (cumulative probability {tl.cumulative_probability:.4f})")]
        if tl.plus_factor is not None:
            rows.append(("plus factor", tl.plus_factor))
        if self.es_tests is not None:
            for name in ("z1", "z2", "z3"):
                t = getattr(self.es_tests, name)
                rows.append((f"Acerbi-Székely {name.upper()} (p)", f"{t.statistic:.3f} ({t.p_value:.3f})"))
        return pd.DataFrame(rows, columns=["item", "value"]).set_index("item")

    def plot(self, ax=None):
        """P&L bars, the VaR line and the exceptions marked; the zone in the title.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (default: a new figure).

        Returns
        -------
        matplotlib.axes.Axes

        Examples
        --------
        >>> import bankquant as bq, numpy as np
        >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
        >>> import matplotlib.axes; isinstance(bq.risk.rolling_backtest(r, window=500, level=0.99).plot(), matplotlib.axes.Axes)
        True
        >>> import matplotlib.pyplot as plt; plt.close("all")
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4))
        t = self.table
        ax.bar(t.index, t["pnl"], color=np.where(t["pnl"] >= 0, "#9ecae1", "#fdae6b"), width=1.0, label="P&L")
        ax.plot(t.index, -t["var"], color="#d62728", lw=1.2, label=f"-VaR {self.level:.1%}")
        hits = t[t["exception"] == 1]
        ax.scatter(hits.index, hits["pnl"], color="k", zorder=3, s=18, label=f"exceptions ({len(hits)})")
        ax.set_title(f"{self.method} VaR backtest, {len(t)} days: {len(hits)} exceptions, {self.traffic_light.zone} zone")
        ax.legend(loc="lower left")
        return ax


class _Christoffersen:
    """CCI and CC of a runner series, with ``statistic``/``p_value`` of CC (as ChristoffersenResult)."""

    def __init__(self, independence: TestResult, conditional_coverage: TestResult):
        self.independence, self.conditional_coverage = independence, conditional_coverage
        self.statistic, self.p_value = conditional_coverage.statistic, conditional_coverage.p_value


def rolling_backtest(returns, window: int = 500, level: float = 0.99, method: str = "historical",
                     test_days: Optional[int] = 250, es_test: bool = True, refit_every: int = 1,
                     **kwargs) -> BacktestReport:
    """Re-estimates VaR/ES each day on the previous ``window`` days (any ``var_es`` method and its
    arguments) and tests the forecasts on the next day: Kupiec, Christoffersen, the traffic light
    and the ES tests, the rest in ``report.tests``. Runs in C++ (see ``rolling_forecasts``).

    Parameters
    ----------
    returns : 1-D array-like or Series
        Daily returns (or P&L), oldest first.
    window : int, default 500
        Days each forecast is estimated on.
    level : float, default 0.99
    method : str, default "historical"
        A method of :func:`var_es`.
    test_days : int or None, default 250
        The last days tested (None: every day after the first window).
    es_test : bool, default True
        Run the ES backtests too.
    refit_every : int, default 1
        Days between refits of a volatility model.
    **kwargs
        Arguments of the method (``lambda_``, ``nu``, ``dist``, ``model``).

    Returns
    -------
    BacktestReport

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> r = np.diff(np.log(bq.datasets.dow_jones_30()["KO"].to_numpy()))
    >>> report = bq.risk.rolling_backtest(r, window=500, level=0.99)
    >>> report.traffic_light.n, report.traffic_light.zone
    (250, 'yellow')
    >>> report.summary().loc["exceptions", "value"]
    5
    """
    method = as_choice(method, "method", METHODS)
    spec = {"method": method, **kwargs}
    forecasts = rolling_forecasts(returns, {method: spec}, level, window, test_days, refit_every)
    tests = forecasts.backtest(es_tests=as_bool(es_test, "es_test"), n_simulations=2000)
    return BacktestReport(forecasts, tests, method, int(window))
