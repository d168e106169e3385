"""The daily market-risk report (issue 14): one self-contained HTML page a risk manager opens in a
browser, from a book, its price history and its limits.

Nothing here computes a risk number: every figure comes from the library's own functions —
``portfolio_var_es`` (VaR/ES by method), ``attribution`` (Euler components), ``rolling_forecasts``
and ``backtest`` (traffic light scaled to the sample, Kupiec, Christoffersen), ``worst_windows``,
``historical_scenario`` and ``hypothetical`` (stress). The report values the book, forms the
scenario P&L (simple returns times today's exposures, as ``portfolio_var_es`` does), compares
figures with limits and with yesterday's report, and lays them out.
"""
from __future__ import annotations

import base64
import html
import io
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from ..exceptions import InvalidArgumentError
from .._validation import as_choice, as_float, as_float_vector, as_int, as_level, as_str, describe, fail
from ._attribution import attribution, portfolio_var_es
from ._book_stress import Book
from ._common import time_ordered
from ._runner import rolling_forecasts
from ._stress import historical_scenario, hypothetical, worst_windows
from ._var import METHODS

#: The methods a report shows unless told otherwise: plain historical simulation (the regulator's
#: usual model), historical simulation filtered by EWMA volatility (reacts to a storm), and the
#: normal (variance-covariance) method as the parametric reference.
DEFAULT_METHODS = ("historical", "filtered_ewma", "normal")

_RAG = ("red", "amber", "green")
_KIND = {"var": "VaR", "es": "ES"}
_ZONE_RAG = {"green": "green", "yellow": "amber", "red": "red"}
_LIMIT_KEY = re.compile(r"^(var|es)_(\d+)(?::(\w+))?$")
_LIMIT_HELP = ("'var_<level>' or 'es_<level>' (level digits after '0.': 'var_99', 'es_975'; optionally "
               "':<method>', e.g. 'var_99:normal'), 'stress_worst', 'gross_exposure' or 'exposure:<name>'")


# ---------------------------------------------------------------------------------------------
# arguments


def _quantities(book) -> pd.Series:
    """Units held by name, as floats (duplicate names summed)."""
    if isinstance(book, Book):
        for part in ("options", "bonds", "fx_forwards"):
            value = getattr(book, part)
            if value is not None and len(value):
                fail("book", f"the Book holds {part}: the report revalues stock positions on the price history, and "
                             "the library has no historical full revaluation of options, bonds or FX forwards yet "
                             "(pass their delta-equivalent quantities as stocks)")
        if book.stocks is None or not len(book.stocks):
            fail("book", "the Book holds no stocks")
        book = book.stocks
    elif isinstance(book, Mapping):
        book = pd.Series(dict(book), dtype=object)
    if not isinstance(book, pd.Series):
        fail("book", f"expected a pandas Series of quantities (units held) by name, a dict of them, or a "
                     f"bankquant.risk.Book; got {describe(book)}")
    if book.empty:
        fail("book", "expected at least one position, got an empty book")
    values = as_float_vector(book, "book")
    q = pd.Series(values, index=book.index).groupby(level=0, sort=False).sum()
    if not (q != 0).any():
        fail("book", "every quantity is zero")
    return q


def _prices(history, names, as_of, need: int, need_text: str) -> pd.DataFrame:
    """The book's columns of ``history`` up to ``as_of``, checked."""
    if not isinstance(history, pd.DataFrame):
        fail("history", f"expected a DataFrame of daily prices (DatetimeIndex, one column per name), "
                        f"got {describe(history)}")
    if history.empty:
        fail("history", "expected daily prices, got an empty DataFrame")
    if not isinstance(history.index, pd.DatetimeIndex):
        fail("history", f"expected a DatetimeIndex (one row per day), got a {type(history.index).__name__}")
    time_ordered(history, "history")
    repeated = history.columns[history.columns.duplicated()]
    if len(repeated):
        fail("history", f"repeated price columns {list(dict.fromkeys(repeated))[:5]!r}: expected one column per name")
    missing = [n for n in names if n not in history.columns]
    if missing:
        fail("history", f"no prices for the book's names {missing[:10]!r}; its columns are "
                        f"{list(history.columns)[:10]!r}{' ...' if history.shape[1] > 10 else ''}")
    if as_of is None:
        as_of = history.index[-1]
    else:
        try:
            as_of = pd.Timestamp(as_of)
        except (TypeError, ValueError):
            fail("as_of", f"expected a date, got {describe(as_of)}")
        if as_of not in history.index:
            fail("as_of", f"{as_of.date()} is not a date of 'history' ({history.index[0].date()} to "
                          f"{history.index[-1].date()})")
    prices = history.loc[:as_of, list(names)]
    try:
        prices = prices.astype(float)
    except (TypeError, ValueError):
        bad = [c for c in prices.columns if not pd.api.types.is_numeric_dtype(prices[c])]
        fail("history", f"expected numeric prices, column {bad[0]!r} has dtype {prices[bad[0]].dtype}")
    values = prices.to_numpy()
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        fail("history", f"missing or non-finite price for {prices.columns[col]!r} on {prices.index[row].date()} "
                        f"(found {values[row, col]}); fill or drop it first")
    if (values <= 0).any():
        row, col = np.argwhere(values <= 0)[0]
        fail("history", f"expected positive prices, found {values[row, col]} for {prices.columns[col]!r} on "
                        f"{prices.index[row].date()}")
    if len(prices) < need:
        fail("history", f"expected at least {need} daily prices up to {as_of.date()} ({need_text}), got {len(prices)}")
    return prices


def _levels(levels) -> np.ndarray:
    arr = as_level(levels, "levels")
    if (arr <= 0.5).any():
        fail("levels", f"expected confidence levels in (0.5, 1), got {arr[arr <= 0.5][0]:g}")
    if len(set(arr.tolist())) != arr.size:
        fail("levels", f"expected distinct levels, got {arr.tolist()}")
    return arr


def _methods(methods) -> Tuple[str, ...]:
    if isinstance(methods, str):
        methods = (methods,)
    try:
        methods = tuple(methods)
    except TypeError:
        fail("methods", f"expected a method name or a list of them, got {describe(methods)}")
    if not methods:
        fail("methods", "expected at least one method")
    out = tuple(as_choice(m, "methods", METHODS) for m in methods)
    if len(set(out)) != len(out):
        fail("methods", f"expected distinct methods, got {list(out)}")
    return out


def _level_key(level: float) -> str:
    """0.99 -> '99', 0.975 -> '975' (the digits of a limit key)."""
    return f"{level:.6f}".split(".")[1].rstrip("0")


def _limits(limits, levels: np.ndarray, methods: Tuple[str, ...], names, warning: float) -> pd.DataFrame:
    """One row per limit: what it measures (kind, level, method, name), the limit and its warning fraction."""
    if limits is None:
        return pd.DataFrame(columns=["kind", "level", "method", "name", "limit", "warning"])
    warnings_ = {}
    if isinstance(limits, pd.DataFrame):
        if "limit" not in limits.columns:
            fail("limits", f"a DataFrame of limits needs a 'limit' column (and optionally 'warning'), got columns "
                           f"{list(limits.columns)}")
        if "warning" in limits.columns:
            warnings_ = limits["warning"].dropna().to_dict()
        limits = limits["limit"]
    if isinstance(limits, pd.Series):
        limits = limits.to_dict()
    if not isinstance(limits, Mapping):
        fail("limits", f"expected a dict of limits such as {{'var_99': 1.5e6, 'stress_worst': 5e6}}, a Series or a "
                       f"DataFrame with a 'limit' column; got {describe(limits)}")
    rows = {}
    for key, value in limits.items():
        if not isinstance(key, str):
            fail("limits", f"expected string keys ({_LIMIT_HELP}), got {describe(key)}")
        limit = as_float(value, f"limits[{key!r}]", minimum=0.0, strict_minimum=True)
        share = as_float(warnings_.get(key, warning), f"limits[{key!r}] warning", minimum=0.0, maximum=1.0)
        row = {"kind": None, "level": np.nan, "method": None, "name": None, "limit": limit, "warning": share}
        match = _LIMIT_KEY.match(key)
        if match:
            measure, digits, method = match.groups()
            level = float("0." + digits)
            if not np.isclose(levels, level).any():
                fail("limits", f"limit {key!r} is on the {level:g} level, which the report does not compute; "
                               f"its levels are {levels.tolist()} (argument 'levels')")
            method = method or methods[0]
            if method not in methods:
                fail("limits", f"limit {key!r} is on method {method!r}, which the report does not compute; its "
                               f"methods are {list(methods)} (argument 'methods')")
            row.update(kind=measure, level=float(levels[np.isclose(levels, level)][0]), method=method)
        elif key in ("stress_worst", "gross_exposure"):
            row["kind"] = key
        elif key.startswith("exposure:"):
            name = key[len("exposure:"):]
            matches = [n for n in names if str(n) == name]
            if not matches:
                fail("limits", f"limit {key!r} names no position of the book; its names are {list(names)[:10]!r}")
            row.update(kind="exposure", name=matches[0])
        else:
            fail("limits", f"unknown limit {key!r}; expected {_LIMIT_HELP}")
        rows[key] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "limit_key"
    return out


def _scenarios(scenarios, names, returns: pd.DataFrame):
    """Hypothetical shocks {name: relative move} and historical replays (start, end), checked."""
    if scenarios is None:
        return {}, {}
    if not isinstance(scenarios, Mapping):
        fail("scenarios", f"expected a dict by scenario name, got {describe(scenarios)}")
    shocks, replays = {}, {}
    for label, spec in scenarios.items():
        if isinstance(spec, Mapping):
            unknown = [k for k in spec if k not in names]
            if unknown:
                fail("scenarios", f"scenario {label!r} moves {unknown[:5]!r}, which the book does not hold")
            shocks[label] = {k: as_float(v, f"scenarios[{label!r}][{k!r}]", minimum=-1.0) for k, v in spec.items()}
        elif isinstance(spec, (tuple, list)) and len(spec) == 2:
            try:
                start, end = pd.Timestamp(spec[0]), pd.Timestamp(spec[1])
            except (TypeError, ValueError):
                fail("scenarios", f"scenario {label!r}: expected (start, end) dates, got {describe(spec)}")
            if end < start:
                fail("scenarios", f"scenario {label!r}: end {end.date()} is before start {start.date()}")
            if returns.loc[start:end].empty:
                fail("scenarios", f"scenario {label!r}: no returns in 'history' between {start.date()} and "
                                  f"{end.date()}")
            replays[label] = (start, end)
        else:
            fail("scenarios", f"scenario {label!r}: expected a dict of relative moves by name (a hypothetical "
                              f"shock) or a (start, end) pair of dates (a historical replay), got {describe(spec)}")
    return shocks, replays


# ---------------------------------------------------------------------------------------------
# one day's figures


@contextmanager
def _levels_named(window: int):
    """The library's refusal of a level (too deep for the window) named as the report's arguments."""
    try:
        yield
    except InvalidArgumentError as error:
        text = str(error)
        marker = "argument 'level': "
        if marker not in text:
            raise
        where, what = text.split(marker, 1)
        raise InvalidArgumentError(f"argument 'levels': {where}{what} with a window of {window} days (argument "
                                   f"'window'); lengthen the window or lower the level") from error


def _day(q: pd.Series, prices: pd.DataFrame, returns: pd.DataFrame, settings: dict) -> dict:
    """Every figure of the report as of the last row of ``prices`` (each from a library call)."""
    levels, methods, window = settings["levels"], settings["methods"], settings["window"]
    price = prices.iloc[-1]
    exposure = (q * price).rename("exposure")
    positions = pd.DataFrame({"quantity": q, "price": price, "exposure": exposure,
                              "weight": exposure / exposure.abs().sum()})
    positions.index.name = "name"
    recent = returns.iloc[-window:]
    with _levels_named(window):
        var_es = pd.concat({m: portfolio_var_es(exposure, recent, levels, method=m) for m in methods},
                           names=["method"])
        attr = attribution(exposure, recent, level=float(levels[0]), method=settings["attribution_method"])
    attr = attr.sort_values("component_var", ascending=False)

    pnl = pd.Series(returns.to_numpy() @ exposure.to_numpy(), index=returns.index, name="pnl")
    with _levels_named(window):
        forecasts = rolling_forecasts(pnl, {m: m for m in methods}, levels, window=window,
                                      test_days=settings["backtest_days"])
    es_note = ""
    try:
        tests = forecasts.backtest(es_tests=True, n_simulations=settings["n_simulations"], seed=0)
    except InvalidArgumentError as error:   # e.g. too few backtest days for the ES test at a deep level
        tests = forecasts.backtest(es_tests=False)
        es_note = f"ES tests not run: {error}"
    table = tests.table if not es_note else tests.table.assign(**{"Z2 p": np.nan})
    backtest = table.rename(columns={"POF p": "kupiec_p", "CCI p": "independence_p", "CC p": "christoffersen_p",
                                     "binomial p": "binomial_p", "Z2 p": "es_z2_p"})
    backtest.index.names = ["method", "level"]
    backtest = backtest[["days", "exceptions", "expected", "zone", "kupiec_p", "independence_p", "christoffersen_p",
                         "binomial_p", "es_z2_p"]]
    backtest.attrs["es_tests"] = es_note or "run"

    rows = []
    worst = worst_windows(exposure, returns, window=settings["stress_window"], n=settings["n_worst"])
    for i, w in enumerate(worst.itertuples(index=False), 1):
        rows.append({"scenario": f"worst {settings['stress_window']}-day period #{i}", "kind": "historical window",
                     "start": w.start, "end": w.end, "pnl": float(w.pnl)})
    for label, (start, end) in settings["replays"].items():
        replay = historical_scenario(exposure, returns, start, end)
        rows.append({"scenario": str(label), "kind": "historical replay", "start": start, "end": end,
                     "pnl": replay.attrs["pnl"]})
    if settings["shocks"]:
        hypo = hypothetical(exposure, settings["shocks"])
        for label, h in hypo.iterrows():
            rows.append({"scenario": str(label), "kind": "hypothetical", "start": pd.NaT, "end": pd.NaT,
                         "pnl": float(h["pnl"])})
    stress = pd.DataFrame(rows).set_index("scenario")
    stress["loss"] = -stress["pnl"]

    return {"as_of": prices.index[-1], "positions": positions, "value": float(exposure.sum()),
            "gross_exposure": float(exposure.abs().sum()), "var_es": var_es, "contributors": attr,
            "backtest": backtest, "backtest_var": forecasts.var, "backtest_pnl": forecasts.pnl, "stress": stress,
            "stress_worst": float(max(stress["loss"].max(), 0.0))}


def _measure(day: dict, row) -> float:
    kind = row["kind"]
    if kind in ("var", "es"):
        return float(day["var_es"].loc[(row["method"], row["level"]), kind])
    if kind == "stress_worst":
        return day["stress_worst"]
    if kind == "gross_exposure":
        return day["gross_exposure"]
    exposure = day["positions"]["exposure"]
    return float(abs(exposure[row["name"]])) if row["name"] in exposure.index else 0.0


def _limit_table(spec: pd.DataFrame, today: dict, yesterday: Optional[dict]) -> pd.DataFrame:
    out = pd.DataFrame(index=spec.index, columns=["measure", "value", "limit", "utilisation", "warning", "status",
                                                  "breach", "utilisation_previous", "new"])
    out.index.name = "limit"
    for key, row in spec.iterrows():
        value = _measure(today, row)
        util = value / row["limit"]
        status = "red" if value > row["limit"] else "amber" if util >= row["warning"] else "green"
        before = _measure(yesterday, row) / row["limit"] if yesterday is not None else np.nan
        out.loc[key] = [_describe_measure(row), value, row["limit"], util, row["warning"], status, value > row["limit"],
                        before, bool(value > row["limit"] and yesterday is not None and not before > 1.0)]
    for c in ("value", "limit", "utilisation", "warning", "utilisation_previous"):
        out[c] = out[c].astype(float)
    out["breach"] = out["breach"].astype(bool)
    out["new"] = out["new"].astype(bool)
    return out


def _describe_measure(row) -> str:
    kind = row["kind"]
    if kind in ("var", "es"):
        return f"{_KIND[kind]} {row['level']:.1%} ({row['method']})"
    if kind == "stress_worst":
        return "worst stress loss"
    if kind == "gross_exposure":
        return "gross exposure"
    return f"exposure {row['name']}"


def _changes(today: dict, yesterday: dict, methods, levels) -> Tuple[pd.DataFrame, pd.DataFrame]:
    rows = {"book value": (today["value"], yesterday["value"])}
    for m in methods:
        for lv in levels:
            for kind in ("var", "es"):
                rows[f"{_KIND[kind]} {lv:.1%} {m}"] = (float(today["var_es"].loc[(m, lv), kind]),
                                                        float(yesterday["var_es"].loc[(m, lv), kind]))
    rows["worst stress loss"] = (today["stress_worst"], yesterday["stress_worst"])
    changes = pd.DataFrame.from_dict(rows, orient="index", columns=["today", "yesterday"])
    changes.index.name = "measure"
    changes["change"] = changes["today"] - changes["yesterday"]
    changes["change_pct"] = changes["change"] / changes["yesterday"].abs().replace(0.0, np.nan)

    names = today["contributors"].index.union(yesterday["contributors"].index, sort=False)
    a = today["contributors"].reindex(names).fillna(0.0)        # a position not held contributes nothing
    b = yesterday["contributors"].reindex(names).fillna(0.0)
    movers = pd.DataFrame({"component_var": a["component_var"], "component_var_previous": b["component_var"],
                           "component_es": a["component_es"], "component_es_previous": b["component_es"],
                           "exposure": a["position"], "exposure_previous": b["position"]})
    movers["component_var_change"] = movers["component_var"] - movers["component_var_previous"]
    movers["component_es_change"] = movers["component_es"] - movers["component_es_previous"]
    movers["exposure_change"] = movers["exposure"] - movers["exposure_previous"]
    movers = movers.reindex(movers["component_var_change"].abs().sort_values(ascending=False).index)
    movers.index.name = "name"
    return changes, movers


def _check_previous(previous: "RiskReport", settings: dict, as_of: pd.Timestamp) -> None:
    """A given previous report must be earlier and show the same methods and levels."""
    if not previous.as_of < as_of:
        fail("previous", f"expected a report of a day before {as_of.date()}, got one of {previous.as_of.date()}")
    for key in ("methods", "levels"):
        mine, theirs = list(settings[key]), list(previous.settings[key])
        if mine != theirs:
            fail("previous", f"expected a report with the same {key} ({mine}), got one with {theirs}")


def _pnl_since(previous: "RiskReport", history: pd.DataFrame, as_of: pd.Timestamp) -> float:
    """The P&L of the previous report's book from its day to ``as_of``, at the prices of ``history``."""
    held = previous.positions["quantity"]
    missing = [n for n in held.index if n not in history.columns]
    if missing:
        fail("previous", f"its book holds {missing[:5]!r}, for which 'history' has no prices")
    if previous.as_of not in history.index:
        fail("previous", f"its day {previous.as_of.date()} is not a date of 'history'")
    now, then = history.loc[as_of, held.index].astype(float), history.loc[previous.as_of, held.index].astype(float)
    if not (np.isfinite(now).all() and np.isfinite(then).all()):
        fail("history", f"missing prices on {as_of.date()} or {previous.as_of.date()} for the previous report's book")
    return float((held * (now - then)).sum())


# ---------------------------------------------------------------------------------------------
# the result


class RiskReport:
    """The daily risk report of a book as of one day: tables as DataFrames, ``to_html()`` and ``save()``.

    Attributes
    ----------
    as_of, previous_date : pandas.Timestamp
        The report's day and the day it is compared with (None without a comparison).
    status : str
        "red" (a limit breached or a backtest in the red zone), "amber" (a limit near its warning
        share, a yellow zone, a rejected test, or today's loss beyond yesterday's VaR) or "green".
    summary : DataFrame
        What the risk manager reads first, worst first: status, topic and message.
    value, pnl_today : float
        The book's market value, and today's P&L: the previous report's book (quantities) from its
        day's prices to today's (without a comparison: today's book from the previous day's prices).
    positions : DataFrame
        quantity, price, exposure (quantity x price) and weight by name.
    var_es : DataFrame
        VaR and ES (positive losses, one day) by (method, level), from ``portfolio_var_es`` on the
        last ``window`` days.
    backtest : DataFrame
        By (method, level): days, exceptions, expected, traffic-light zone (scaled to the sample)
        and the p values of Kupiec (POF), Christoffersen (independence, conditional coverage), the
        binomial test and Acerbi–Székely's Z2 ES test (1000 simulations, seed 0), from
        ``rolling_forecasts`` and ``backtest``.
    backtest_pnl, backtest_var : Series, DataFrame
        The P&L of today's book on each backtest day and the VaR forecast for it.
    contributors : DataFrame
        The Euler attribution of the first level (``attribution``), largest component VaR first;
        ``attrs`` holds the portfolio VaR and ES.
    stress : DataFrame
        Worst historical windows, historical replays and hypothetical shocks: kind, start, end,
        pnl and loss.
    limits : DataFrame
        By limit key: measure, value, limit, utilisation (value / limit), warning share, status
        (red: breach, amber: at or above the warning share, green), breach, yesterday's
        utilisation and whether the breach is new.
    changes, contributor_changes : DataFrame
        Today against yesterday: value, VaR/ES and worst stress loss; component VaR, component ES
        and exposure by name, largest component VaR move first (None without a comparison).
    previous : RiskReport or None
        Yesterday's report.



    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> prices = bq.datasets.dow_jones_30()
    >>> r = bq.risk.report(pd.Series({"IBM": 1000, "KO": 2000}), prices, {"var_99": 20_000})
    >>> r
    RiskReport(2001-01-02, status amber: value 205,220, 99.0% historical VaR 9,075, 0 limit breaches)
    >>> r.limits[["measure", "limit", "status"]]
                           measure    limit status
    limit
    var_99  VaR 99.0% (historical)  20000.0  green
    """

    def __init__(self, day: dict, settings: dict, limit_spec: pd.DataFrame, previous: Optional["RiskReport"],
                 title: str):
        self.title = title
        self.as_of: pd.Timestamp = day["as_of"]
        self.settings = {k: v for k, v in settings.items() if k not in ("shocks", "replays")}
        self.positions: pd.DataFrame = day["positions"]
        self.value: float = day["value"]
        self.gross_exposure: float = day["gross_exposure"]
        self.var_es: pd.DataFrame = day["var_es"]
        self.backtest: pd.DataFrame = day["backtest"]
        self.backtest_var: pd.DataFrame = day["backtest_var"]
        self.backtest_pnl: pd.Series = day["backtest_pnl"]
        self.contributors: pd.DataFrame = day["contributors"]
        self.stress: pd.DataFrame = day["stress"]
        self.stress_worst: float = day["stress_worst"]
        self.pnl_today: float = day.get("pnl_today", np.nan)
        self.previous = previous
        self.previous_date = previous.as_of if previous is not None else None
        yesterday = previous._day_figures() if previous is not None else None
        self.limits = _limit_table(limit_spec, day, yesterday)
        if previous is not None:
            self.changes, self.contributor_changes = _changes(day, yesterday, settings["methods"], settings["levels"])
        else:
            self.changes = self.contributor_changes = None
        self.summary = self._summary()
        self.status: str = self.summary["status"].iloc[0] if len(self.summary) else "green"

    def _day_figures(self) -> dict:
        return {"as_of": self.as_of, "positions": self.positions, "value": self.value,
                "gross_exposure": self.gross_exposure, "var_es": self.var_es, "contributors": self.contributors,
                "stress_worst": self.stress_worst}

    # the verdicts, worst first
    def _summary(self) -> pd.DataFrame:
        rows = []
        for key, r in self.limits.iterrows():
            if r["status"] == "red":
                rows.append(("red", "limit", f"{key}: {r['measure']} {_money(r['value'])} exceeds its limit "
                                             f"{_money(r['limit'])} ({r['utilisation']:.0%})" +
                             (" — new today" if r["new"] and self.previous is not None else "")))
            elif r["status"] == "amber":
                rows.append(("amber", "limit", f"{key}: {r['measure']} {_money(r['value'])} at {r['utilisation']:.0%} "
                                               f"of its limit {_money(r['limit'])}"))
        for (method, level), r in self.backtest.iterrows():
            zone = _ZONE_RAG[r["zone"]]
            text = (f"{method} VaR {level:.1%}: {int(r['exceptions'])} exceptions in {int(r['days'])} days "
                    f"(expected {r['expected']:.1f}), {r['zone']} zone")
            rejected = [name for name, p in (("Kupiec", r["kupiec_p"]), ("Christoffersen", r["christoffersen_p"]),
                                             ("the ES test Z2", r["es_z2_p"])) if p < 0.05]
            if zone == "green" and rejected:
                zone = "amber"
            if rejected:
                text += f"; {' and '.join(rejected)} reject{'s' if len(rejected) == 1 else ''} at 5%"
            if zone != "green":
                rows.append((zone, "backtest", text))
        if self.previous is not None:
            m, lv = self.settings["methods"][0], self.settings["levels"][0]
            var_before = float(self.previous.var_es.loc[(m, lv), "var"])
            if -self.pnl_today > var_before:
                since = _date(self.previous_date)
                rows.append(("amber", "P&L", f"the P&L since {since}, {_money(self.pnl_today)}, is a loss beyond the "
                                             f"{lv:.1%} {m} VaR of {since}, {_money(var_before)}"))
        if not rows:
            within = f"all {len(self.limits)} limits within their warning share; " if len(self.limits) else ""
            rows.append(("green", "overall", f"{within}every backtest in the green zone"))
        out = pd.DataFrame(rows, columns=["status", "topic", "message"])
        out["rank"] = out["status"].map({s: i for i, s in enumerate(_RAG)})
        return out.sort_values("rank", kind="stable").drop(columns="rank").reset_index(drop=True)

    def __repr__(self) -> str:
        m, lv = self.settings["methods"][0], self.settings["levels"][0]
        breaches = int(self.limits["breach"].sum())
        return (f"RiskReport({self.as_of.date()}, status {self.status}: value {_money(self.value)}, "
                f"{lv:.1%} {m} VaR {_money(float(self.var_es.loc[(m, lv), 'var']))}, {breaches} limit breach"
                f"{'es' if breaches != 1 else ''})")

    def to_html(self, sections: Optional[Sequence[str]] = None) -> str:
        """The report as one self-contained HTML page (inline CSS, figures as base64 PNG, no scripts).

        ``sections``: which parts to show (always in the page's order), from
        ``bq.risk.REPORT_SECTIONS``: "summary", "limits", "var_es", "contributors", "stress",
        "changes", "positions"; default all.

        Parameters
        ----------
        sections : list of str, optional
            Which of ``REPORT_SECTIONS`` to include (default all).

        Returns
        -------
        str
            One self-contained HTML page.

        Examples
        --------
        >>> import bankquant as bq, pandas as pd
        >>> r = bq.risk.report(pd.Series({"IBM": 1000, "KO": 2000}), bq.datasets.dow_jones_30(), {"var_99": 20_000})
        >>> r.to_html()[:15]
        '<!DOCTYPE html>'
        """
        return _render(self, _sections(sections))

    def save(self, path, sections: Optional[Sequence[str]] = None) -> Path:
        """Writes ``to_html(sections)`` to ``path`` (UTF-8) and returns the path.

        Parameters
        ----------
        path : str or os.PathLike
        sections : list of str, optional

        Returns
        -------
        pathlib.Path
            Where it was written.

        Examples
        --------
        >>> import bankquant as bq, pandas as pd
        >>> r = bq.risk.report(pd.Series({"IBM": 1000, "KO": 2000}), bq.datasets.dow_jones_30(), {"var_99": 20_000})
        >>> r.save("risk_report.html").name
        'risk_report.html'
        """
        path = Path(path)
        path.write_text(self.to_html(sections), encoding="utf-8")
        return path


def report(book, history: pd.DataFrame, limits=None, *, as_of=None, levels=(0.99, 0.975),
           methods: Sequence[str] = DEFAULT_METHODS, window: int = 500, backtest_days: int = 250,
           scenarios: Optional[Mapping[str, object]] = None, stress_window: int = 10, n_worst: int = 5,
           previous: Union[None, bool, RiskReport] = None, warning: float = 0.8, top: int = 10,
           title: str = "Daily market risk report", path=None,
           sections: Optional[Sequence[str]] = None) -> RiskReport:
    """The daily market-risk report of a book of stocks: VaR and ES by method with their backtests,
    the largest contributors, stress results, limit utilisation and breaches, and what changed
    since yesterday, as DataFrames and one self-contained HTML page.

    Every number comes from the library's own functions (``portfolio_var_es``, ``attribution``,
    ``rolling_forecasts`` and ``backtest``, ``worst_windows``, ``historical_scenario``,
    ``hypothetical``); the report values the book and lays the figures out.

    Parameters
    ----------
    book : Series, dict or Book
        Units held by name (shares, not currency), or a :class:`Book` of stocks. Exposures are the
        quantities times the prices of ``as_of``. A Book with options, bonds or FX forwards is
        refused (the library has no historical full revaluation for them).
    history : DataFrame
        Daily prices, a DatetimeIndex in increasing order and one column per name of the book
        (other columns are ignored). Scenario P&L are simple returns times today's exposures.
    limits : dict, Series or DataFrame, optional
        ``{key: limit}`` in currency, keys: ``"var_99"``, ``"es_975"`` (the measure and the digits of
        the level after "0."; the first method unless ``":<method>"`` follows, e.g.
        ``"var_99:normal"``), ``"stress_worst"`` (the largest stress loss), ``"gross_exposure"``
        and ``"exposure:<name>"`` (absolute exposure of one name). A DataFrame has a ``limit``
        column and optionally a ``warning`` column (per-limit warning shares).
    as_of : date, optional
        The report's day, a date of ``history`` (default: its last).
    levels : sequence of float
        Confidence levels (default 99% and 97.5%); the first is the one of the attribution, the
        P&L chart and the P&L check.
    methods : sequence of str
        Methods of :func:`var_es`; the first is the one limits refer to by default.
    window : int
        Days of returns each VaR is estimated on (default 500).
    backtest_days : int
        Days of out-of-sample forecasts the backtest tests (default 250, Basel's year); the traffic
        light is scaled to this number of days.
    scenarios : dict, optional
        Stress scenarios by name: a dict of relative moves by name (``{"IBM": -0.3}``, a
        hypothetical shock) or a ``(start, end)`` pair of dates (a historical replay of those days
        on today's book). The ``n_worst`` worst ``stress_window``-day periods of history are
        always shown.
    stress_window, n_worst : int
        Length and number of the worst historical periods (default 5 periods of 10 days).
    previous : RiskReport, False or None
        The report to compare with: None computes the report of the previous day of ``history``
        for the same book, a RiskReport (yesterday's, e.g. with yesterday's book) is used as
        given, False leaves the comparison out.
    warning : float
        Share of a limit from which its status is amber (default 0.8).
    top : int
        Contributors shown in the HTML page (the table holds every position).
    title : str
        The page's title.
    path : str or Path, optional
        Where to write the HTML page as well.
    sections : sequence of str, optional
        The parts of the page written to ``path`` (see ``RiskReport.to_html``); default all.

    Returns
    -------
    RiskReport

    Raises
    ------
    InvalidArgumentError
        Bad input, named: an unknown limit key, names of the book missing from ``history``,
        missing prices, a history too short for ``window`` and ``backtest_days``.

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> prices = bq.datasets.dow_jones_30()
    >>> book = pd.Series({"IBM": 10_000, "KO": 20_000, "JPM": 15_000})      # shares held
    >>> r = bq.risk.report(book, prices, {"var_99": 120_000, "stress_worst": 500_000}, window=250)
    >>> r.limits[["value", "utilisation", "status"]].round(2)
                      value  utilisation status
    limit
    var_99        101331.18         0.84  amber
    stress_worst  547084.48         1.09    red
    >>> r.summary["message"][0]
    'stress_worst: worst stress loss 547,084 exceeds its limit 500,000 (109%)'
    >>> html = r.to_html()                      # or r.save("risk_report.html")
    """
    q = _quantities(book)
    level_array = _levels(levels)
    method_names = _methods(methods)
    window = as_int(window, "window", minimum=2)
    backtest_days = as_int(backtest_days, "backtest_days", minimum=1)
    stress_window = as_int(stress_window, "stress_window", minimum=1)
    n_worst = as_int(n_worst, "n_worst", minimum=1)
    warning = as_float(warning, "warning", minimum=0.0, maximum=1.0)
    top = as_int(top, "top", minimum=1)
    title = as_str(title, "title")
    sections = _sections(sections)
    if previous is not None and previous is not False and not isinstance(previous, RiskReport):
        fail("previous", f"expected None (yesterday from 'history'), False (no comparison) or a RiskReport, "
                         f"got {describe(previous)}")
    compute_yesterday = previous is None
    need = window + backtest_days + 1 + (1 if compute_yesterday else 0)
    need_text = (f"window {window} + backtest_days {backtest_days} returns"
                 + (" for today and yesterday" if compute_yesterday else ""))
    prices = _prices(history, list(q.index), as_of, need, need_text)
    limit_spec = _limits(limits, level_array, method_names, list(q.index), warning)
    returns = prices.pct_change().iloc[1:]
    shocks, replays = _scenarios(scenarios, list(q.index), returns)
    settings = {"levels": level_array, "methods": method_names, "window": window, "backtest_days": backtest_days,
                "stress_window": stress_window, "n_worst": n_worst, "warning": warning, "top": top,
                "attribution_method": "normal" if method_names[0] == "normal" else "historical",
                "n_simulations": 1000, "shocks": shocks, "replays": replays}
    if compute_yesterday:
        day_before = _day(q, prices.iloc[:-1], returns.iloc[:-1], settings)
        # yesterday's utilisation of today's limits
        previous = RiskReport(day_before, settings, limit_spec, None, title)
    elif previous is False:
        previous = None
    else:
        _check_previous(previous, settings, prices.index[-1])
    today = _day(q, prices, returns, settings)
    # today's P&L: the book held at the previous report's close, revalued at today's prices
    if previous is None:
        today["pnl_today"] = float((q * (prices.iloc[-1] - prices.iloc[-2])).sum())
    elif compute_yesterday:
        today["pnl_today"] = float((q * (prices.iloc[-1] - prices.loc[previous.as_of])).sum())
    else:
        today["pnl_today"] = _pnl_since(previous, history, prices.index[-1])
    out = RiskReport(today, settings, limit_spec, previous, title)
    if path is not None:
        out.save(path, sections)
    return out


# ---------------------------------------------------------------------------------------------
# HTML

#: The parts of the page, in its order (``RiskReport.to_html(sections=...)`` picks some).
SECTIONS = ("summary", "limits", "var_es", "contributors", "stress", "changes", "positions")


def _sections(sections) -> Tuple[str, ...]:
    if sections is None:
        return SECTIONS
    if isinstance(sections, str):
        sections = (sections,)
    try:
        chosen = tuple(as_choice(x, "sections", SECTIONS) for x in sections)
    except TypeError:
        fail("sections", f"expected a list of section names from {SECTIONS}, got {describe(sections)}")
    if not chosen:
        fail("sections", f"expected at least one section of {SECTIONS}")
    return chosen


_CSS = """
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1d2330;margin:0;background:#f4f5f7}
main{max-width:1120px;margin:0 auto;padding:20px 28px 40px;background:#fff}
h1{font-size:22px;margin:4px 0 2px}
h2{font-size:17px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid #e3e6eb}
.sub{color:#5b6472;font-size:13px;margin-bottom:14px}
.kpis{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.kpi{flex:1 1 150px;border:1px solid #e3e6eb;border-radius:6px;padding:8px 12px}
.kpi .v{font-size:19px;font-weight:600} .kpi .k{font-size:12px;color:#5b6472}
.banner{border-radius:6px;padding:10px 14px;margin:10px 0;font-size:14px}
.banner ul{margin:6px 0 0;padding-left:18px} .banner li{margin:3px 0}
.banner.red{background:#fbe4e6;border-left:6px solid #c62828}
.banner.amber{background:#fff4d6;border-left:6px solid #e0a100}
.banner.green{background:#e3f4ea;border-left:6px solid #2e7d32}
table{border-collapse:collapse;font-size:12.5px;margin:6px 0 10px}
th,td{padding:4px 9px;border-bottom:1px solid #eceef1;text-align:right;white-space:nowrap}
th{background:#f1f3f6;font-weight:600} th.l,td.l{text-align:left}
tr.total td{font-weight:600;border-top:1px solid #9aa3af}
td.red,span.red{background:#fbe4e6;color:#a31515;font-weight:600}
td.amber,span.amber{background:#fff4d6;color:#7a5a00;font-weight:600}
td.green,span.green{background:#e3f4ea;color:#1b5e20}
span.red,span.amber,span.green{padding:1px 7px;border-radius:9px}
.badge{display:inline-block;padding:3px 12px;border-radius:12px;font-weight:700;text-transform:uppercase;font-size:13px}
.badge.red{background:#c62828;color:#fff}
.badge.amber{background:#e0a100;color:#fff} .badge.green{background:#2e7d32;color:#fff}
.grid{display:flex;flex-wrap:wrap;gap:10px 28px;align-items:flex-start}
.grid>div:first-child{flex:0 0 auto;max-width:100%;overflow-x:auto} .grid>div+div{flex:1 1 360px;min-width:360px}
img{max-width:100%;height:auto} .note{color:#5b6472;font-size:12px}
footer{margin-top:30px;color:#5b6472;font-size:11.5px;border-top:1px solid #e3e6eb;padding-top:8px}
"""


def _number(pattern: str):
    """A table formatter: ``pattern`` for a number, a dash for a missing or non-finite one."""
    def format_(x) -> str:
        if x is None or (isinstance(x, float) and not np.isfinite(x)):
            return "–"
        return pattern.format(x)
    return format_


_money, _signed = _number("{:,.0f}"), _number("{:+,.0f}")
_signed_pct, _p = _number("{:+.1%}"), _number("{:.3f}")


def _pct(x, digits: int = 1) -> str:
    return _number(f"{{:.{digits}%}}")(x)


def _date(x) -> str:
    return "" if pd.isna(x) else pd.Timestamp(x).strftime("%Y-%m-%d")


def _esc(x) -> str:
    return html.escape(str(x))


#: Column headings of the HTML tables (the DataFrames keep their snake_case names).
_LABELS = {"utilisation_previous": "yesterday", "component_var_previous": "yesterday", "component_var_change": "change",
           "exposure_change": "exposure change", "component_es_change": "ES change", "var": "VaR", "es": "ES",
           "kupiec_p": "Kupiec p",
           "independence_p": "independence p", "christoffersen_p": "Christoffersen p", "es_z2_p": "ES Z2 p",
           "position": "exposure",
           "component_var": "component VaR", "component_var_share": "share", "component_es": "component ES",
           "component_es_share": "share", "incremental_var": "incremental VaR", "marginal_var": "marginal VaR",
           "change_pct": "change %", "pnl": "P&L"}


def _table(df: pd.DataFrame, formats: Mapping[str, Callable], index_label: Union[str, Sequence[str]] = "",
           classes: Mapping[str, Callable] = None, row_class: Callable = None, total: Optional[dict] = None) -> str:
    """A DataFrame as an HTML table: ``formats`` by column, cell classes (the RAG colours) by column."""
    classes = dict(classes or {})
    left = set(classes.pop("_left", ()))
    labels = list(index_label) if isinstance(index_label, (list, tuple)) else [index_label]
    head = "".join(f'<th class="l">{_esc(x)}</th>' for x in labels)
    head += "".join(f"<th{' class=l' if c in left else ''}>{_esc(_LABELS.get(c, c.replace('_', ' ')))}</th>"
                    for c in formats)
    body = []
    for idx, row in df.iterrows():
        keys = idx if isinstance(idx, tuple) else (idx,)
        cells = "".join(f'<td class="l">{_esc(k)}</td>' for k in keys)
        for c, f in formats.items():
            cls = " ".join(x for x in (classes[c](row[c]) if c in classes else "", "l" if c in left else "") if x)
            cells += f'<td class="{cls}">{_esc(f(row[c]))}</td>' if cls else f"<td>{_esc(f(row[c]))}</td>"
        rc = row_class(row) if row_class else ""
        body.append(f'<tr class="{rc}">{cells}</tr>' if rc else f"<tr>{cells}</tr>")
    if total is not None:
        cells = "".join(f'<td class="l">{_esc(total.get("_label", "total")) if i == 0 else ""}</td>'
                        for i in range(len(labels)))
        cells += "".join(f"<td>{_esc(total[c]) if c in total else ''}</td>" for c in formats)
        body.append(f'<tr class="total">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _low(p) -> str:
    return "amber" if p < 0.05 else ""


def _rag_class(status) -> str:
    return _ZONE_RAG.get(status, status) if status in ("red", "amber", "green", "yellow") else ""


def _figure_html(fig, alt: str) -> str:
    """A matplotlib Figure as an <img> with the PNG inline (base64)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{_esc(alt)}" src="data:image/png;base64,{data}">'


def _render(r: RiskReport, sections: Sequence[str]) -> str:
    from . import _plots

    s = r.settings
    m0, lv0 = s["methods"][0], s["levels"][0]
    var0 = float(r.var_es.loc[(m0, lv0), "var"])
    es_level = s["levels"][1] if len(s["levels"]) > 1 else lv0
    es0 = float(r.var_es.loc[(m0, es_level), "es"])
    parts = [f"<h1>{_esc(r.title)}</h1>",
             f'<div class="sub">as of {_date(r.as_of)}'
             + (f" · compared with {_date(r.previous_date)}" if r.previous is not None else "")
             + f" · {len(r.positions)} positions · VaR/ES one day, positive losses, {s['window']}-day window</div>"]

    def add(section: str, text: str) -> None:
        if section in sections:
            parts.append(text)

    worst = r.summary["status"].iloc[0]
    items = "".join(f'<li><span class="{st}">{st.upper()}</span> <b>{_esc(topic)}</b> — {_esc(msg)}</li>'
                    for st, topic, msg in r.summary.itertuples(index=False))
    add("summary", f'<div class="banner {worst}"><span class="badge {worst}">{worst}</span> '
        f'<b>{int(r.limits["breach"].sum())} limit breach{"es" if r.limits["breach"].sum() != 1 else ""}</b>'
        f"<ul>{items}</ul></div>")

    def kpi(label, value, delta=None):
        extra = f' <span class="note">({_esc(delta)} vs yesterday)</span>' if delta else ""
        return f'<div class="kpi"><div class="k">{_esc(label)}</div><div class="v">{_esc(value)}</div>{extra}</div>'

    d = r.changes
    delta = (lambda key: _signed(d.loc[key, "change"]) if d is not None and key in d.index else None)
    add("summary", '<div class="kpis">'
        + kpi("book value", _money(r.value), delta("book value"))
        + kpi("P&L today", _signed(r.pnl_today))
        + kpi(f"VaR {lv0:.1%} ({m0})", _money(var0), delta(f"VaR {lv0:.1%} {m0}"))
        + kpi(f"ES {es_level:.1%} ({m0})", _money(es0), delta(f"ES {es_level:.1%} {m0}"))
        + kpi("worst stress loss", _money(r.stress_worst), delta("worst stress loss"))
        + "</div>")

    # limits
    add("limits", "<h2>Limits</h2>")
    if len(r.limits):
        table = _table(r.limits, {"measure": str, "value": _money, "limit": _money, "utilisation": _pct,
                                  "utilisation_previous": _pct, "status": lambda v: v.upper()},
                       "limit", classes={"status": _rag_class, "_left": ("measure",)})
        fig = _plots._limit_utilisation(r.limits)
        add("limits", f'<div class="grid"><div>{table}<div class="note">utilisation = value / limit; amber from the '
            f'warning share ({s["warning"]:.0%} unless set per limit), red above 100%.</div></div>'
            f"<div>{_figure_html(fig, 'limit utilisation')}</div></div>")
    else:
        add("limits", '<p class="note">No limits given.</p>')

    # VaR / ES and backtests
    add("var_es", "<h2>VaR and ES by method, and their backtests</h2>")
    wide = r.var_es.join(r.backtest)
    add("var_es", _table(wide, {"var": _money, "es": _money, "exceptions": lambda v: f"{int(v)}",
                      "expected": lambda v: f"{v:.1f}", "zone": str, "kupiec_p": _p,
                      "independence_p": _p, "christoffersen_p": _p, "es_z2_p": _p},
               ["method", "level"], classes={"zone": _rag_class, "kupiec_p": _low, "christoffersen_p": _low,
                                             "independence_p": _low, "es_z2_p": _low}))
    add("var_es", f'<div class="note">Backtest: VaR of today\'s book re-estimated each day on the previous '
        f'{s["window"]} days, tested on the next day, over the last {s["backtest_days"]} days; the traffic '
        f"light is scaled to that sample (green below 95% cumulative probability of the exceptions, red from "
        f"99.99%); Christoffersen p is conditional coverage, ES Z2 the Acerbi–Székely test of the ES "
        f"forecasts; p values below 5% are marked."
        + (f" {_esc(r.backtest.attrs['es_tests'])}." if r.backtest.attrs.get("es_tests", "run") != "run" else "")
        + "</div>")
    fig = _plots._backtest_pnl(r.backtest_pnl, r.backtest_var, s["methods"], lv0)
    add("var_es", _figure_html(fig, "P&L and VaR"))

    # contributors
    add("contributors", f"<h2>Largest contributors ({lv0:.1%} component VaR and ES, {s['attribution_method']})</h2>")
    c = r.contributors
    shown = c.head(s["top"])
    rest = c.iloc[s["top"]:]
    cols = {"position": _money, "component_var": _money, "component_var_share": _pct, "component_es": _money,
            "component_es_share": _pct, "incremental_var": _money,
            "marginal_var": lambda v: "–" if not np.isfinite(v) else f"{v:.4f}"}
    if len(rest):
        shown = pd.concat([shown, pd.DataFrame([rest[list(cols)].sum(numeric_only=True)],
                                               index=[f"other {len(rest)} positions"])])
        shown.loc[shown.index[-1], ["incremental_var", "marginal_var"]] = np.nan
    total = {"component_var": _money(c.attrs["var"]), "component_es": _money(c.attrs["es"]),
             "position": _money(c["position"].sum()), "component_var_share": _pct(c["component_var_share"].sum()),
             "component_es_share": _pct(c["component_es_share"].sum()), "_label": "portfolio"}
    table = _table(shown, cols, "name", total=total)
    fig = _plots._contributions(c.head(s["top"]))
    add("contributors", f'<div class="grid"><div>{table}<div class="note">Euler components sum to the portfolio '
        f"VaR and ES; incremental VaR is the change if the position were closed.</div></div>"
        f"<div>{_figure_html(fig, 'contributions')}</div></div>")

    # stress
    add("stress", "<h2>Stress tests</h2>")
    add("stress", _table(r.stress, {"kind": str, "start": _date, "end": _date, "pnl": _signed},
               "scenario", classes={"_left": ("kind",)}))
    add("stress", f'<div class="note">Historical windows: the {s["n_worst"]} worst non-overlapping '
        f'{s["stress_window"]}-day periods of the history for today\'s book (held through each period); replays '
        f"compound the period's moves; hypothetical shocks are relative moves of the named prices.</div>")

    # changes
    since = f"the previous report ({_date(r.previous_date)})" if r.previous is not None else "yesterday"
    add("changes", f"<h2>What changed since {_esc(since)}</h2>")
    if r.changes is not None:
        changes = _table(r.changes, {"today": _money, "yesterday": _money, "change": _signed,
                                     "change_pct": _signed_pct}, "measure")
        movers = _table(r.contributor_changes.head(s["top"]),
                        {"component_var": _money, "component_var_previous": _money, "component_var_change": _signed,
                         "component_es_change": _signed, "exposure_change": _signed}, "name")
        jumpy = (" A historical component VaR rests on the one scenario at the quantile and can jump when that "
                 "scenario changes; the component ES averages the tail and moves more smoothly."
                 if s["attribution_method"] == "historical" else "")
        add("changes", f'<div class="grid"><div>{changes}</div><div><b>Largest moves in component VaR</b>{movers}'
            f'<div class="note">{lv0:.1%} level, {s["attribution_method"]} attribution.{jumpy}</div></div></div>')
        new = r.limits[r.limits["new"]]
        if len(new):
            names = _esc(", ".join(map(str, new.index)))
            add("changes", f'<p><span class="red">NEW</span> breaches today: {names}</p>')
    else:
        add("changes", '<p class="note">No comparison (previous=False).</p>')

    # positions
    add("positions", "<h2>Positions</h2>")
    add("positions", _table(r.positions.sort_values("exposure", key=abs, ascending=False),
               {"quantity": lambda v: f"{v:,.0f}", "price": lambda v: f"{v:,.2f}", "exposure": _money,
                "weight": _pct}, "name",
               total={"exposure": _money(r.value), "_label": "book value"}))

    from .. import __version__

    parts.append(f"<footer>bankquant {_esc(__version__)} · methods {_esc(', '.join(s['methods']))} · levels "
                 f"{_esc(', '.join(f'{x:.1%}' for x in s['levels']))} · window {s['window']} days · backtest "
                 f"{s['backtest_days']} days · scenario P&L = simple returns × today's exposures (quantity × price "
                 f"of {_date(r.as_of)}).</footer>")
    body = "\n".join(parts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_esc(r.title)} {_date(r.as_of)}</title><style>{_CSS}</style></head>"
            f"<body><main>\n{body}\n</main></body></html>\n")
