"""Demo section: portfolio optimisation on the Dow Jones 30 (estimate, allocate, walk forward, advise)."""
from __future__ import annotations

import time
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import bankquant as bq

from .common import markdown_table, median_seconds

pf = bq.portfolio


def _allocations(mu, cov):
    mv = pf.MeanVariance(mu, cov, bounds=(0.0, 0.1))
    return mv, {"min volatility": mv.min_volatility(), "max Sharpe (rf 4%)": mv.max_sharpe(risk_free=0.04),
                "risk parity": pf.risk_parity(cov, expected_returns=mu),
                "HRP": pf.hrp(cov, expected_returns=mu), "equal weight": pf.equal_weight(cov, expected_returns=mu)}


def section(out: Path) -> str:
    """Estimation on 1991-1995, the allocations and their frontier, then each method walked forward
    over 1996-2000 with monthly rebalancing and costs, and the robo-advisor's model portfolios."""
    prices = bq.datasets.dow_jones_30()
    returns = pf.returns_from_prices(prices)
    train = returns.loc[:"1995-12-31"]
    mu = pf.expected_returns(train, method="mean")
    cov = pf.covariance(train, "ledoit_wolf")
    mv, chosen = _allocations(mu, cov)
    alloc_ms = 1e3 * median_seconds(lambda: _allocations(mu, cov), 5)
    table = pd.DataFrame({name: {"in-sample return": r.expected_return, "volatility": r.volatility,
                                 "holdings": int((r.weights.abs() > 1e-9).sum()), "largest weight": float(r.weights.max())}
                          for name, r in chosen.items()}).T
    table.index.name = "allocation (weights in [0, 10%])"

    frontier = mv.frontier(n=60)
    ax = pf.plot_frontier(frontier, portfolios={k: v for k, v in chosen.items() if k != "equal weight"})
    ax.set_title("Efficient frontier, Dow 30, 1991-1995 (Ledoit-Wolf covariance, weights <= 10%)")
    ax.figure.savefig(out / "portfolio_frontier.png", dpi=85, bbox_inches="tight")
    plt.close(ax.figure)

    # Walk-forward: each method re-estimated on the last two years at every month end, 10 bp costs.
    strategies = {
        "min volatility": pf.allocation_strategy("min_volatility", 504, covariance="ledoit_wolf", bounds=(0, 0.1)),
        "risk parity": pf.allocation_strategy("risk_parity", 504, covariance="ledoit_wolf"),
        "HRP": pf.allocation_strategy("hrp", 504, covariance="ledoit_wolf"),
        "equal weight": pf.allocation_strategy("equal_weight", 504),
        "12-1 momentum, top quintile": pf.cross_sectional_momentum_strategy(252, 21, quantile=0.2, long_only=True),
    }
    start = time.perf_counter()
    results = {name: pf.backtest(prices, s, rebalance="M", start="1996-01-01", costs=0.001, name=name)
               for name, s in strategies.items()}
    backtest_seconds = time.perf_counter() - start
    stats = pf.compare(results)
    keep = [c for c in ["annual_return", "annual_volatility", "sharpe", "max_drawdown", "turnover"] if c in stats]
    oos = stats[keep].astype(float)
    oos.index.name = "walk-forward 1996-2000"
    ax = pf.plot_equity(results)
    fig = ax.figure if hasattr(ax, "figure") else ax[0].figure
    fig.savefig(out / "portfolio_equity.png", dpi=85, bbox_inches="tight")
    plt.close(fig)

    # The robo-advisor: the standard questionnaire's profiles over the universe plus cash at 4%.
    mu_a, cov_a = mu.copy(), cov.copy()
    mu_a["CASH"] = 0.04
    cov_a["CASH"] = 0.0
    cov_a.loc["CASH"] = 0.0
    classes = {a: "equity" for a in returns.columns} | {"CASH": "cash"}
    advisor = pf.Advisor(mu_a, cov_a, classes, risk_free=0.04)
    models = advisor.model_portfolios()
    profiles = pd.DataFrame({"expected return": models["expected_return"], "volatility": models["volatility"],
                             "cash": models["CASH"], "largest stock": models[list(returns.columns)].max(axis=1)})
    profiles.index.name = "profile"

    lines = ["## Portfolio optimisation (Dow Jones 30, daily prices 1991-2000)", "",
             "Expected returns (mean) and covariance (Ledoit-Wolf) estimated on 1991-1995, annualised; "
             f"the five allocations below take {alloc_ms:.1f} ms together (median of 5).", "",
             markdown_table(table), "",
             "![frontier](portfolio_frontier.png)", "",
             "Out of sample: each method re-estimated at every month end on the previous 504 days, "
             f"10 bp costs on traded value ({backtest_seconds:.2f} s for the five backtests).", "",
             markdown_table(oos), "",
             "![equity](portfolio_equity.png)", "",
             "Robo-advisor model portfolios (standard questionnaire table, cash as the riskless asset):", "",
             markdown_table(profiles.astype(float))]
    return "\n".join(lines)
