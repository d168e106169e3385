"""The daily risk report (bq.risk.report, issue 14) on the Dow Jones 30: its numbers are the library's
own calls made directly, its HTML page stands alone, limits breach when they should, yesterday's
figures are yesterday's report, and bad input is refused with the user's argument named."""
import base64
import re

import numpy as np
import pandas as pd
import pytest

import bankquant as bq

WINDOW, DAYS = 500, 250
BOOK = pd.Series({"IBM": 20_000.0, "MSFT": 30_000.0, "INTC": 40_000.0, "KO": 25_000.0, "PG": 15_000.0,
                  "JPM": 30_000.0, "GE": 50_000.0, "XOM": 20_000.0})   # shares held
SCENARIOS = {"tech -30%": {"IBM": -0.3, "MSFT": -0.3, "INTC": -0.3}, "LTCM 1998": ("1998-08-01", "1998-10-08")}
LIMITS = {"var_99": 1e6, "es_975": 1e9, "stress_worst": 1e9}


@pytest.fixture(scope="module")
def prices():
    return bq.datasets.dow_jones_30()


@pytest.fixture(scope="module")
def returns(prices):
    return prices[BOOK.index].pct_change().iloc[1:]


@pytest.fixture(scope="module")
def rep(prices):
    return bq.risk.report(BOOK, prices, LIMITS, scenarios=SCENARIOS, window=WINDOW, backtest_days=DAYS)


def exposure_at(prices, day):
    return BOOK * prices.loc[day, BOOK.index]


# -- the numbers are the library's own ---------------------------------------------------------

def test_var_es_equals_portfolio_var_es_on_the_same_window(rep, prices, returns):
    exposure = exposure_at(prices, prices.index[-1])
    for method in bq.risk.REPORT_METHODS:
        direct = bq.risk.portfolio_var_es(exposure, returns.iloc[-WINDOW:], [0.99, 0.975], method=method)
        pd.testing.assert_frame_equal(rep.var_es.loc[method], direct, check_exact=True)
    assert rep.value == pytest.approx(float(exposure.sum()), rel=1e-15)
    pd.testing.assert_series_equal(rep.positions["exposure"], exposure, check_names=False)


def test_contributors_are_the_attribution_and_sum_to_the_portfolio(rep, prices, returns):
    exposure = exposure_at(prices, prices.index[-1])
    direct = bq.risk.attribution(exposure, returns.iloc[-WINDOW:], level=0.99)
    pd.testing.assert_frame_equal(rep.contributors.sort_index(), direct.sort_index(), check_exact=True)
    assert rep.contributors["component_var"].sum() == pytest.approx(rep.contributors.attrs["var"], rel=1e-10)
    assert rep.contributors["component_es"].sum() == pytest.approx(rep.contributors.attrs["es"], rel=1e-10)
    assert rep.contributors["component_var"].is_monotonic_decreasing


def test_backtest_is_the_runner_on_todays_book(rep, prices, returns):
    exposure = exposure_at(prices, prices.index[-1])
    pnl = returns @ exposure
    f = bq.risk.rolling_forecasts(pnl, {m: m for m in bq.risk.REPORT_METHODS}, [0.99, 0.975], window=WINDOW,
                                  test_days=DAYS)
    table = f.backtest(es_tests=True, n_simulations=1000, seed=0).table
    assert list(rep.backtest["zone"]) == list(table["zone"])
    np.testing.assert_array_equal(rep.backtest["kupiec_p"], table["POF p"])
    np.testing.assert_array_equal(rep.backtest["christoffersen_p"], table["CC p"])
    np.testing.assert_array_equal(rep.backtest["independence_p"], table["CCI p"])
    np.testing.assert_array_equal(rep.backtest["es_z2_p"], table["Z2 p"])
    assert (rep.backtest["days"] == DAYS).all()
    # the zone is the traffic light scaled to the sample's own n
    hits = (-f.pnl > f.var[("historical", 0.99)]).astype(int)
    assert rep.backtest.loc[("historical", 0.99), "exceptions"] == hits.sum()
    assert rep.backtest.loc[("historical", 0.99), "zone"] == bq.risk.traffic_light(hits.to_numpy(), level=0.99).zone


def test_stress_rows_are_the_stress_functions(rep, prices, returns):
    exposure = exposure_at(prices, prices.index[-1])
    worst = bq.risk.worst_windows(exposure, returns, window=10, n=5)
    windows = rep.stress[rep.stress["kind"] == "historical window"]
    np.testing.assert_array_equal(windows["pnl"].to_numpy(), worst["pnl"].to_numpy())
    ltcm = bq.risk.historical_scenario(exposure, returns, "1998-08-01", "1998-10-08")
    assert rep.stress.loc["LTCM 1998", "pnl"] == ltcm.attrs["pnl"]
    shock = bq.risk.hypothetical(exposure, {"x": {"IBM": -0.3, "MSFT": -0.3, "INTC": -0.3}})
    assert rep.stress.loc["tech -30%", "pnl"] == shock["pnl"].iloc[0]
    assert rep.stress_worst == -rep.stress["pnl"].min()


# -- limits ------------------------------------------------------------------------------------

def test_a_limit_below_the_var_is_a_breach_and_leads_the_summary(prices):
    first = bq.risk.report(BOOK, prices, previous=False, window=WINDOW, backtest_days=DAYS)
    var = float(first.var_es.loc[("historical", 0.99), "var"])
    es_normal = float(first.var_es.loc[("normal", 0.975), "es"])
    r = bq.risk.report(BOOK, prices, {"var_99": 0.9 * var, "es_975:normal": es_normal / 0.85,
                                      "gross_exposure": 1e12}, previous=False, window=WINDOW, backtest_days=DAYS)
    assert r.limits.loc["var_99", "breach"] and r.limits.loc["var_99", "status"] == "red"
    assert r.limits.loc["var_99", "utilisation"] == pytest.approx(1 / 0.9)
    assert r.limits.loc["var_99", "value"] == var
    assert r.limits.loc["es_975:normal", "status"] == "amber"      # 85% of its limit, warning from 80%
    assert r.limits.loc["es_975:normal", "value"] == es_normal
    assert r.limits.loc["gross_exposure", "status"] == "green"
    assert r.status == "red"
    assert r.summary.iloc[0]["status"] == "red" and "var_99" in r.summary.iloc[0]["message"]
    page = r.to_html()
    assert page.index("var_99") < page.index("VaR and ES by method")      # breaches come first


def test_limits_as_a_dataframe_with_warning_shares(prices, rep):
    var = float(rep.var_es.loc[("historical", 0.99), "var"])
    table = pd.DataFrame({"limit": [var / 0.7, 1e12], "warning": [0.6, np.nan]}, index=["var_99", "exposure:IBM"])
    r = bq.risk.report(BOOK, prices, table, previous=False, window=WINDOW, backtest_days=DAYS)
    assert r.limits.loc["var_99", "status"] == "amber" and r.limits.loc["var_99", "warning"] == 0.6
    assert r.limits.loc["exposure:IBM", "value"] == pytest.approx(rep.positions.loc["IBM", "exposure"])


# -- yesterday ---------------------------------------------------------------------------------

def test_changes_since_yesterday_equal_two_direct_reports(rep, prices, returns):
    today, yesterday = prices.index[-1], prices.index[-2]
    assert rep.previous_date == yesterday
    before = bq.risk.report(BOOK, prices, as_of=yesterday, previous=False, window=WINDOW, backtest_days=DAYS)
    direct = bq.risk.portfolio_var_es(exposure_at(prices, yesterday), returns.loc[:yesterday].iloc[-WINDOW:],
                                      [0.99, 0.975], method="historical")
    assert before.var_es.loc[("historical", 0.99), "var"] == direct.loc[0.99, "var"]
    for method in bq.risk.REPORT_METHODS:
        for level in (0.99, 0.975):
            for kind in ("var", "es"):
                row = rep.changes.loc[f"{'VaR' if kind == 'var' else 'ES'} {level:.1%} {method}"]
                assert row["today"] == rep.var_es.loc[(method, level), kind]
                assert row["yesterday"] == before.var_es.loc[(method, level), kind]
                assert row["change"] == row["today"] - row["yesterday"]
    assert rep.changes.loc["book value", "change"] == pytest.approx(rep.value - before.value)
    moves = rep.contributor_changes
    assert moves.loc["IBM", "component_var_change"] == pytest.approx(
        rep.contributors.loc["IBM", "component_var"] - before.contributors.loc["IBM", "component_var"])
    # today's P&L: yesterday's book on today's prices
    assert rep.pnl_today == pytest.approx(float((BOOK * (prices.loc[today] - prices.loc[yesterday])[BOOK.index]).sum()))


def test_a_given_previous_report_is_compared_with(rep, prices):
    before = bq.risk.report(BOOK, prices, as_of=prices.index[-2], previous=False, scenarios=SCENARIOS, window=WINDOW,
                            backtest_days=DAYS)
    again = bq.risk.report(BOOK, prices, LIMITS, previous=before, scenarios=SCENARIOS, window=WINDOW,
                           backtest_days=DAYS)
    pd.testing.assert_frame_equal(again.changes, rep.changes)
    pd.testing.assert_frame_equal(again.contributor_changes, rep.contributor_changes)
    pd.testing.assert_frame_equal(again.limits, rep.limits)


def test_yesterday_with_another_book(prices):
    """A previous report of another book: today's P&L is yesterday's book revalued, movers cover both books."""
    old = BOOK.drop("GE").rename({"XOM": "AA"})          # yesterday: no GE, AA instead of XOM
    before = bq.risk.report(old, prices, as_of=prices.index[-2], previous=False, window=WINDOW, backtest_days=DAYS)
    r = bq.risk.report(BOOK, prices, {"exposure:GE": 1e9}, previous=before, window=WINDOW, backtest_days=DAYS)
    move = prices.iloc[-1][old.index] - prices.iloc[-2][old.index]
    assert r.pnl_today == pytest.approx(float((old * move).sum()))
    assert {"GE", "AA", "XOM"} <= set(r.contributor_changes.index)
    assert r.contributor_changes.loc["AA", "component_var"] == 0.0
    assert r.contributor_changes.loc["GE", "component_var_previous"] == 0.0
    assert r.limits.loc["exposure:GE", "utilisation_previous"] == 0.0
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'previous': expected a report with the same methods"):
        bq.risk.report(BOOK, prices, previous=before, methods=["historical"], window=WINDOW, backtest_days=DAYS)
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'previous': expected a report of a day before"):
        bq.risk.report(BOOK, prices, as_of=prices.index[-3], previous=before, window=WINDOW, backtest_days=DAYS)


def test_no_comparison_flags_nothing_new(prices):
    r = bq.risk.report(BOOK, prices, {"var_99": 1.0}, previous=False, window=WINDOW, backtest_days=DAYS)
    assert r.limits.loc["var_99", "breach"] and not r.limits.loc["var_99", "new"]
    assert np.isnan(r.limits.loc["var_99", "utilisation_previous"])
    assert "What changed since yesterday" in r.to_html()


def test_a_new_breach_is_flagged(prices):
    before = bq.risk.report(BOOK, prices, as_of=prices.index[-2], previous=False, window=WINDOW, backtest_days=DAYS)
    today = bq.risk.report(BOOK, prices, previous=False, window=WINDOW, backtest_days=DAYS)
    v0, v1 = (float(x.var_es.loc[("historical", 0.99), "var"]) for x in (before, today))
    limit = (v0 + v1) / 2
    r = bq.risk.report(BOOK, prices, {"var_99": limit}, window=WINDOW, backtest_days=DAYS)
    if v1 > v0:
        assert r.limits.loc["var_99", "new"] and "new today" in r.summary.iloc[0]["message"]
    else:
        assert not r.limits.loc["var_99", "breach"] and r.limits.loc["var_99", "utilisation_previous"] > 1


# -- the page ----------------------------------------------------------------------------------

def test_the_html_page_is_self_contained(rep, tmp_path):
    page = rep.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.I)
    assert "<script" not in page.lower() and "<link" not in page.lower() and "@import" not in page
    images = re.findall(r'<img [^>]*src="([^"]+)"', page)
    assert len(images) == 3                      # P&L with VaR, contributions, limit utilisation
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    for heading in ("Limits", "VaR and ES by method", "Largest contributors", "Stress tests", "What changed"):
        assert heading in page
    path = rep.save(tmp_path / "report.html")
    assert path.read_text(encoding="utf-8") == page
    assert f"{rep.value:,.0f}" in page


def test_a_customised_page_shows_only_its_sections(rep, tmp_path):
    page = rep.to_html(sections=["summary", "limits"])
    assert "Limits" in page and "Stress tests" not in page and "What changed" not in page
    assert len(re.findall(r"<img ", page)) == 1
    assert rep.save(tmp_path / "p.html", sections="stress").read_text(encoding="utf-8").count("<h2>") == 1
    with pytest.raises(bq.InvalidArgumentError, match="argument 'sections': expected one of 'summary'"):
        rep.to_html(sections=["limits", "greeks"])


def test_path_writes_the_page_and_a_book_of_stocks_is_accepted(prices, tmp_path):
    book = bq.risk.Book(spots=prices.iloc[-1][BOOK.index], curve=bq.risk.ZeroCurve([1.0], [0.03]), stocks=BOOK)
    r = bq.risk.report(book, prices, path=tmp_path / "r.html", previous=False, window=WINDOW, backtest_days=DAYS)
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert r.changes is None and r.previous is None
    assert "RiskReport(2001-01-02" in repr(r)


# -- bad input: clear errors naming the argument -----------------------------------------------

@pytest.mark.parametrize("history, match", [
    (pd.DataFrame(), "argument 'history': expected daily prices, got an empty DataFrame"),
    ("prices.csv", "argument 'history': expected a DataFrame"),
])
def test_bad_history_objects(history, match):
    with pytest.raises(bq.InvalidArgumentError, match=match):
        bq.risk.report(BOOK, history)


def test_bad_history_content(prices):
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'history': no prices for the book's names \['XYZ'\]"):
        bq.risk.report(pd.Series({"IBM": 1.0, "XYZ": 2.0}), prices)
    holes = prices.copy()
    holes.loc[holes.index[-10], "KO"] = np.nan
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'history': missing or non-finite price for 'KO' on "
                                                      r"2000-12-18"):
        bq.risk.report(BOOK, holes)
    holes.loc[:, "KO"] = prices["KO"]
    holes.loc[holes.index[-10], "AA"] = np.nan          # a column the book does not hold: ignored
    short = bq.risk.report(pd.Series({"KO": 1.0}), holes, previous=False, methods=["historical"], window=100,
                           backtest_days=20)
    assert short.backtest["es_z2_p"].isna().all()                       # 20 days are too few for the ES test
    assert "ES tests not run" in short.backtest.attrs["es_tests"] and "ES tests not run" in short.to_html()
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'history': expected at least 752 daily prices up to "
                                                      r"2000-12-29 \(window 500 \+ backtest_days 250 returns for today "
                                                      r"and yesterday\), got 700"):
        bq.risk.report(BOOK, prices.loc[:"2000-12-29"].iloc[-700:], as_of="2000-12-29")
    with pytest.raises(bq.InvalidArgumentError, match="argument 'history': expected a DatetimeIndex"):
        bq.risk.report(BOOK, prices.reset_index(drop=True))
    with pytest.raises(bq.InvalidArgumentError, match="argument 'history': expected dates in increasing order"):
        bq.risk.report(BOOK, prices.iloc[::-1])
    negative = prices.copy()
    negative.loc[negative.index[5], "IBM"] = -1.0
    with pytest.raises(bq.InvalidArgumentError, match="argument 'history': expected positive prices"):
        bq.risk.report(BOOK, negative)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'history': expected numeric prices"):
        bq.risk.report(pd.Series({"IBM": 1.0}), prices.assign(IBM="x"))


def test_too_short_without_yesterday_needs_one_day_less(prices):
    short = prices.iloc[:752]
    with pytest.raises(bq.InvalidArgumentError, match="expected at least 752"):
        bq.risk.report(BOOK, short.iloc[:751])
    bq.risk.report(BOOK, short.iloc[:751], previous=False, methods="historical")


@pytest.mark.parametrize("limits, match", [
    ({"var99": 1e6}, r"argument 'limits': unknown limit 'var99'; expected 'var_<level>'"),
    ({"var_95": 1e6}, r"argument 'limits': limit 'var_95' is on the 0.95 level, which the report does not compute"),
    ({"var_99:fhs": 1e6}, r"argument 'limits': limit 'var_99:fhs' is on method 'fhs'"),
    ({"exposure:XYZ": 1e6}, r"argument 'limits': limit 'exposure:XYZ' names no position of the book"),
    ({"var_99": -5.0}, r"argument 'limits\['var_99'\]': expected a number > 0"),
    ({"var_99": "1m"}, r"argument 'limits\['var_99'\]': expected a number"),
    ([1e6], r"argument 'limits': expected a dict of limits"),
    (pd.DataFrame({"value": [1.0]}, index=["var_99"]), r"argument 'limits': a DataFrame of limits needs a 'limit'"),
])
def test_bad_limits(prices, limits, match):
    with pytest.raises(bq.InvalidArgumentError, match=match):
        bq.risk.report(BOOK, prices, limits)


@pytest.mark.parametrize("kwargs, match", [
    ({"as_of": "2030-01-01"}, r"argument 'as_of': 2030-01-01 is not a date of 'history'"),
    ({"as_of": "yesterday"}, r"argument 'as_of': expected a date"),
    ({"methods": ["historical", "magic"]}, r"argument 'methods': expected one of"),
    ({"methods": []}, r"argument 'methods': expected at least one method"),
    ({"levels": [0.99, 1.5]}, r"argument 'levels': expected levels in \(0, 1\)"),
    ({"levels": [0.4]}, r"argument 'levels': expected confidence levels in \(0.5, 1\)"),
    ({"window": 1}, r"argument 'window': expected an integer >= 2"),
    ({"previous": "yesterday"}, r"argument 'previous': expected None"),
    ({"scenarios": {"x": {"XYZ": -0.1}}}, r"argument 'scenarios': scenario 'x' moves \['XYZ'\]"),
    ({"scenarios": {"x": ("2005-01-01", "2005-02-01")}}, r"argument 'scenarios': scenario 'x': no returns"),
    ({"scenarios": {"x": -0.3}}, r"argument 'scenarios': scenario 'x': expected a dict of relative moves"),
    ({"warning": 1.5}, r"argument 'warning': expected a number <= 1"),
])
def test_bad_arguments(prices, kwargs, match):
    with pytest.raises(bq.InvalidArgumentError, match=match):
        bq.risk.report(BOOK, prices, **kwargs)


def test_a_level_too_deep_for_the_window_names_the_reports_arguments(prices):
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'levels': 0.999 needs at least 1000 observations .*"
                                                      r"with a window of 500 days \(argument 'window'\)"):
        bq.risk.report(BOOK, prices, levels=[0.999, 0.99])


@pytest.mark.parametrize("book, match", [
    (pd.Series(dtype=float), "argument 'book': expected at least one position"),
    (pd.Series({"IBM": 0.0}), "argument 'book': every quantity is zero"),
    (pd.Series({"IBM": np.nan}), "argument 'book': expected finite values"),
    ([1.0, 2.0], "argument 'book': expected a pandas Series of quantities"),
])
def test_bad_books(prices, book, match):
    with pytest.raises(bq.InvalidArgumentError, match=match):
        bq.risk.report(book, prices)


def test_a_book_with_options_is_refused_not_half_reported(prices):
    book = bq.risk.Book(spots=pd.Series({"IBM": 84.5}), curve=bq.risk.ZeroCurve([1.0], [0.03]),
                        options=pd.DataFrame({"underlying": ["IBM"], "type": ["put"], "strike": [80.0], "expiry": [0.5],
                                              "volatility": [0.3], "quantity": [100.0]}),
                        stocks=pd.Series({"IBM": 1000.0}))
    with pytest.raises(bq.InvalidArgumentError, match="argument 'book': the Book holds options"):
        bq.risk.report(book, prices)


def test_an_older_previous_report_is_named_by_its_date_and_repeated_columns_refused(prices):
    """From a new-user tryout: a report of ten days before was labelled 'yesterday', and repeated
    price columns gave pandas' raw reindexing error."""
    before = bq.risk.report(BOOK, prices.iloc[:-10], window=WINDOW, backtest_days=DAYS, previous=False)
    r = bq.risk.report(BOOK, prices, previous=before, window=WINDOW, backtest_days=DAYS)
    day = before.as_of.strftime("%Y-%m-%d")
    assert f"What changed since the previous report ({day})" in r.to_html()
    twice = pd.concat([prices, prices[["IBM"]]], axis=1)
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'history': repeated price columns \['IBM'\]"):
        bq.risk.report(BOOK, twice, window=WINDOW, backtest_days=DAYS)
