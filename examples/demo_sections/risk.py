"""Demo section: risk."""
from __future__ import annotations

import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import bankquant as bq

from .common import markdown_table


def section(out: Path) -> str:
    """Market risk on the Dow Jones 30: volatility, VaR/ES by method, Monte Carlo, attribution, backtest,
    and the daily risk report (written as risk_report.html)."""
    prices = bq.datasets.dow_jones_30()
    returns = np.log(prices).diff().dropna()
    pnl = returns.mean(axis=1)
    lines = ["## Market risk (Dow Jones 30, 1991–2000)", "",
             "An equally weighted portfolio of the 30 stocks (daily log returns); VaR and ES are positive losses, "
             "ES the mean loss beyond VaR for every method.", ""]
    table = pd.concat({m: bq.risk.var_es(pnl, [0.99, 0.975], method=m) for m in bq.risk.METHODS}, names=["method"])
    wide = table.unstack("level")
    wide.columns = [f"{m} {lv:.1%}" for m, lv in wide.columns]
    lines += ["### One-day VaR and ES by method", "", markdown_table(wide.round(5)), ""]

    garch = bq.risk.Garch11(dist="t").fit(pnl)
    params = pd.DataFrame({"estimate": garch.params, "std_err": garch.std_errors}).applymap(lambda v: f"{v:.4g}")
    params.index.name = "parameter"
    lines += ["### GARCH(1,1) with Student-t innovations", "", markdown_table(params), "",
              f"Persistence {garch.persistence:.4f}; next-day volatility {np.sqrt(garch.next_variance):.4%}.", ""]

    report = bq.risk.rolling_backtest(pnl, window=500, level=0.99, test_days=250)
    fig, axes = plt.subplots(2, 1, figsize=(12, 7))
    vol = np.sqrt(252) * pd.DataFrame({"EWMA (0.94)": np.sqrt(bq.risk.ewma_variance(pnl)),
                                       "GARCH(1,1)-t": garch.conditional_volatility})
    vol.plot(ax=axes[0], title="Portfolio volatility, annualised")
    report.plot(ax=axes[1])
    fig.tight_layout()
    fig.savefig(out / "risk_volatility_backtest.png", dpi=85)
    plt.close(fig)
    summary = report.summary()
    lines += ["### One-year rolling backtest (500-day window, 99% historical VaR)", "",
              "![volatility and backtest](risk_volatility_backtest.png)", "", markdown_table(summary), ""]

    positions = pd.Series(1e6, index=["IBM", "MSFT", "INTC", "KO", "PG", "JPM"])
    attr = bq.risk.attribution(positions, prices[positions.index].pct_change().dropna(), level=0.99)
    cols = ["component_var", "component_var_share", "incremental_var", "component_es"]
    lines += [f"### Attribution of a 6 x $1m book: 99% VaR ${attr.attrs['var']:,.0f}, ES ${attr.attrs['es']:,.0f}",
              "", markdown_table(attr[cols].round(3)), ""]
    start = time.perf_counter()
    eu = bq.datasets.eu_stock_markets()
    cov = bq.risk.ewma_covariance(np.log(eu[["DAX", "SMI", "CAC", "FTSE"]]).diff().dropna())
    mc = bq.risk.monte_carlo_var_es(np.full(4, 0.25e6), cov, level=0.99, n_scenarios=1_000_000, dist="t", seed=7)
    seconds = time.perf_counter() - start
    lines += [f"Monte Carlo (1,000,000 multivariate-t scenarios, EWMA covariance of DAX/SMI/CAC/FTSE, $1m "
              f"equally weighted): 99% VaR ${mc.var:,.0f}, ES ${mc.es:,.0f}, in {seconds:.2f} s.", ""]

    # The daily risk report: one self-contained HTML page (tables, figures inline) for the risk manager.
    shares = (positions / prices[positions.index].iloc[-1]).round(-2)      # the $1m positions, in shares
    limits = {"var_99": 250_000, "es_975": 400_000, "stress_worst": 900_000, "exposure:MSFT": 1.5e6}
    scenarios = {"tech -30%": {"IBM": -0.30, "MSFT": -0.30, "INTC": -0.30},
                 "autumn 1998 replayed": ("1998-08-01", "1998-10-08")}
    start = time.perf_counter()
    daily = bq.risk.report(shares, prices, limits, scenarios=scenarios, path=out / "risk_report.html",
                           title="Daily market risk report: 6-stock book")
    seconds = time.perf_counter() - start
    breaches = daily.limits[daily.limits["breach"]]
    lines += [f"### Daily risk report ({daily.as_of.date()}, status {daily.status}, built in {seconds:.1f} s)", "",
              "[risk_report.html](risk_report.html): one self-contained page (CSS and figures inline) with VaR and ES "
              "by method and their backtests, the largest contributors, stress results, limit utilisation and what "
              f"changed since {daily.previous_date.date()}. "
              f"{len(breaches)} limit breach{'es' if len(breaches) != 1 else ''}"
              + (f": {', '.join(breaches.index)}." if len(breaches) else "."), "",
              markdown_table(daily.summary.set_index("status")), "",
              markdown_table(daily.limits[["measure", "value", "limit", "utilisation", "status"]].round(3)), ""]
    return "\n".join(lines)
