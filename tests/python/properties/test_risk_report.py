"""Property tests of the daily risk report (bq.risk.report, RiskReport): any book of Dow names,
long or short, gives a report whose figures obey their definitions, or an error naming the
argument; awkward arguments are named."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bankquant as bq

from .support import FAST, check, covers

covers("risk.report", "risk.RiskReport")

PRICES = bq.datasets.dow_jones_30()
NAMES = list(PRICES.columns)
SLOW = settings(FAST, max_examples=6)
ARGUMENTS = ["book", "history", "limits", "as_of", "levels", "methods", "window", "backtest_days", "scenarios",
             "previous", "warning", "top", "sections", "n_worst", "stress_window", "path", "title"]


@SLOW
@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True),
       st.lists(st.floats(-5e4, 5e4).filter(lambda q: abs(q) > 1), min_size=6, max_size=6),
       st.integers(0, 400), st.sampled_from([0.5, 1.0, 2.0]))
def test_report_figures_obey_their_definitions(names, quantities, back, limit_share):
    book = pd.Series(quantities[:len(names)], index=names)
    history = PRICES.iloc[: len(PRICES) - back]
    first = check(lambda: bq.risk.report(book, history, window=250, backtest_days=60, previous=False), ARGUMENTS)
    if first is None:
        return
    var99 = float(first.var_es.loc[("historical", 0.99), "var"])
    limits = {"var_99": max(abs(var99) * limit_share, 1.0), "gross_exposure": 1e12}
    r = check(lambda: bq.risk.report(book, history, limits, window=250, backtest_days=60), ARGUMENTS)
    if r is None:
        return
    assert isinstance(r, bq.risk.RiskReport)
    table = r.var_es
    assert np.isfinite(table[["var", "es"]].to_numpy()).all()
    assert (table["es"] >= table["var"] - 1e-9 * table["var"].abs().max()).all()  # ES beyond VaR
    np.testing.assert_allclose(r.limits["utilisation"], r.limits["value"] / r.limits["limit"], rtol=1e-12)
    assert (r.limits["breach"] == (r.limits["value"] > r.limits["limit"])).all()
    assert r.limits.loc["var_99", "breach"] == (limit_share < 1.0)
    c = r.contributors
    assert c["component_var"].sum() == pytest.approx(c.attrs["var"], rel=1e-9, abs=1e-6)
    assert r.status in ("red", "amber", "green")
    if r.limits["breach"].any():
        assert r.status == "red"
    page = r.to_html()
    assert page.lstrip().lower().startswith("<!doctype html") and "http://" not in page and "https://" not in page


@pytest.mark.parametrize("kwargs, argument", [
    ({"book": {}}, "book"),
    ({"book": {"NOPE": 10}}, "history"),
    ({"limits": {"var_42x": 1.0}}, "limits"),
    ({"limits": {"var_99": -1.0}}, "limits"),
    ({"levels": [0.99, 1.5]}, "levels"),
    ({"methods": ["magic"]}, "methods"),
    ({"window": 1}, "window"),
    ({"window": 10_000}, "history"),
    ({"as_of": "1850-01-01"}, "as_of"),
    ({"scenarios": {"x": 3}}, "scenarios"),
    ({"history": PRICES.iloc[:5]}, "history"),
    ({"history": PRICES.assign(IBM=np.nan)}, "history"),
    ({"history": "prices"}, "history"),
])
def test_report_bad_arguments_are_named(kwargs, argument):
    args = {"book": {"IBM": 1000, "KO": -500}, "history": PRICES, "window": 250, "backtest_days": 60}
    args.update(kwargs)
    book, history = args.pop("book"), args.pop("history")
    # the argument, or one entry of it ("argument 'limits['var_99']'")
    with pytest.raises(bq.InvalidArgumentError, match=f"argument '{argument}"):
        bq.risk.report(book, history, **args)
