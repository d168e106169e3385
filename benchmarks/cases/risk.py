"""Market risk: Monte Carlo, historical, full revaluation and GARCH against numpy and scipy."""
from __future__ import annotations

from typing import List

import numpy as np

import bankquant as bq

from . import Case


def _numpy_mc_var_es(w, cov, n, level, seed=0):
    """The equivalent numpy code: draw the scenario matrix, correlate it, price the portfolio."""
    rng = np.random.default_rng(seed)
    L = np.linalg.cholesky(cov)
    pnl = (rng.standard_normal((n, len(w))) @ L.T) @ w
    losses = -pnl
    var = np.quantile(losses, level)
    k = int((1 - level) * n)
    es = np.partition(losses, n - k)[n - k:].mean()
    return var, es


def _numpy_var_es_many(pnl, level):
    losses = -pnl
    n = losses.shape[0]
    var = np.quantile(losses, level, axis=0)
    k = int(round((1 - level) * n))
    es = np.partition(losses, n - k, axis=0)[n - k:].mean(axis=0)
    return var, es


def cases() -> List[Case]:
    def mc_setup():
        rng = np.random.default_rng(3)
        a = rng.standard_normal((100, 100)) * 0.01
        return rng.random(100), a @ a.T + np.eye(100) * 1e-4

    return [
        Case("Monte Carlo VaR/ES, 1M scenarios x 100 factors", "numpy: scenario matrix @ Cholesky @ weights",
             mc_setup,
             lambda d: bq.risk.monte_carlo_var_es(d[0], d[1], 0.99, n_scenarios=1_000_000),
             lambda d: _numpy_mc_var_es(d[0], d[1], 1_000_000, 0.99)),
        Case("historical VaR/ES, 10,000 portfolios x 2,500 days", "numpy quantile/partition along axis 0",
             lambda: np.random.default_rng(4).standard_t(4, size=(2500, 10_000)),
             lambda p: bq.risk.var_es_many(p, 0.99),
             lambda p: _numpy_var_es_many(p, 0.99)),
        Case("full-factor Monte Carlo, 100k scenarios x 1,000 factors (tiled)", "numpy: same GEMM in 10k-row blocks",
             _full_factor_setup,
             lambda d: bq.risk.monte_carlo_var_es(d[0], d[1], 0.99, n_scenarios=100_000, full_factor=True, tile=512),
             lambda d: _numpy_full_factor(d[0], d[1], 100_000),
             flops=2 * 100_000 * 1000 * 1000, normals=100_000 * 1000),
        Case("full revaluation, 1,000 positions x 100k scenarios", "numpy/scipy vectorised repricing",
             _book_setup, lambda b: _bq_revalue(b), lambda b: _numpy_revalue(b), target_s=10.0),
        Case("GARCH(1,1) fit, 2,500 days", "scipy L-BFGS-B on the same likelihood (numpy recursion)",
             lambda: np.diff(np.log(bq.datasets.dow_jones_30()["IBM"].to_numpy())),
             lambda r: bq.risk.Garch11().fit(r),
             lambda r: _scipy_garch(r)),
        Case("GARCH(1,1)-t fit, 2,500 days", "scipy L-BFGS-B on the same Student-t likelihood (numpy recursion)",
             lambda: np.diff(np.log(bq.datasets.dow_jones_30()["IBM"].to_numpy())),
             lambda r: bq.risk.Garch11(dist="t").fit(r),
             lambda r: _scipy_garch_t(r)),
    ]


def _full_factor_setup():
    rng = np.random.default_rng(8)
    a = rng.standard_normal((1000, 1000)) / 1000
    return rng.random(1000), a @ a.T + np.eye(1000) * 1e-4


def _numpy_full_factor(w, cov, n, block=10_000):
    rng = np.random.default_rng(0)
    L = np.linalg.cholesky(cov)
    pnl = np.concatenate([(rng.standard_normal((block, len(w))) @ L.T) @ w for _ in range(n // block)])
    return np.quantile(-pnl, 0.99)


def _book_setup():
    import pandas as pd

    rng = np.random.default_rng(0)
    k = 20
    spots = pd.Series(rng.uniform(50, 150, k), index=[f"S{i}" for i in range(k)])
    curve = bq.risk.ZeroCurve([0.5, 1, 2, 5, 10, 30], [0.03, 0.032, 0.034, 0.036, 0.038, 0.04])
    options = pd.DataFrame({"underlying": rng.choice(spots.index, 500), "type": rng.choice(["call", "put"], 500),
                            "strike": rng.uniform(50, 150, 500), "expiry": rng.uniform(0.1, 2, 500),
                            "volatility": rng.uniform(0.15, 0.4, 500), "quantity": rng.integers(-100, 100, 500)})
    bonds = pd.DataFrame({"coupon": rng.uniform(0.01, 0.06, 500), "maturity": rng.uniform(1, 10, 500),
                          "quantity": rng.integers(1, 100, 500)})
    a = rng.standard_normal((k + 1, k + 1)) * 0.005
    cov = a @ a.T + np.eye(k + 1) * 1e-4
    cov[-1, :] = cov[:, -1] = 0
    cov[-1, -1] = 0.0007 ** 2
    return spots, curve, options, bonds, cov


def _bq_revalue(b):
    spots, curve, options, bonds, cov = b
    return bq.risk.full_revaluation_var_es(spots, cov, curve, options, bonds, level=0.99, n_scenarios=100_000)


def _numpy_revalue(b, n=100_000, block=10_000):
    """The same repricing written with numpy and scipy.special.ndtr, in blocks of scenarios."""
    from scipy.special import ndtr

    spots, curve, options, bonds, cov = b
    rng = np.random.default_rng(0)
    L = np.linalg.cholesky(cov)
    idx = options["underlying"].map({n_: i for i, n_ in enumerate(spots.index)}).to_numpy()
    K, T = options["strike"].to_numpy(), options["expiry"].to_numpy() - 1 / 252
    v, q = options["volatility"].to_numpy(), options["quantity"].to_numpy()
    put = (options["type"] == "put").to_numpy()
    r0 = np.array([curve.zero_rate(t) for t in T])
    flows = [(t, a * qty) for c, m, qty in bonds[["coupon", "maturity", "quantity"]].itertuples(index=False)
             for t, a in bq.risk.FixedRateBond(coupon=c, maturity=m).cash_flows().itertuples(index=False)]
    ft = np.array([f[0] for f in flows])
    fa = np.array([f[1] for f in flows])
    fz = np.array([curve.zero_rate(t) for t in ft])
    out = []
    for _ in range(n // block):
        x = rng.standard_normal((block, len(spots) + 1)) @ L.T
        S = spots.to_numpy()[idx] * np.exp(x[:, idx])
        r = r0 + x[:, -1:]
        sq = v * np.sqrt(T)
        d1 = (np.log(S / K) + (r + 0.5 * v * v) * T) / sq
        d2 = d1 - sq
        call = S * ndtr(d1) - K * np.exp(-r * T) * ndtr(d2)
        price = np.where(put, call - S + K * np.exp(-r * T), call)
        bond_value = np.exp(-(fz + x[:, -1:]) * ft) @ fa
        out.append(price @ q + bond_value)
    return np.quantile(-np.concatenate(out), 0.99)


def _scipy_garch(r):
    from scipy import optimize

    x = r * 100

    def nll(th):
        mu, omega, alpha, beta = th
        if alpha + beta >= 1:
            return 1e10
        e = x - mu
        h = np.empty_like(x)
        h[0] = np.mean(e ** 2)
        for t in range(1, x.size):
            h[t] = omega + alpha * e[t - 1] ** 2 + beta * h[t - 1]
        return 0.5 * np.sum(np.log(2 * np.pi) + np.log(h) + e ** 2 / h)

    return optimize.minimize(nll, [x.mean(), 0.05 * x.var(), 0.05, 0.9], method="L-BFGS-B",
                             bounds=[(None, None), (1e-8, None), (0, 1), (0, 1)])


def _scipy_garch_t(r):
    """GARCH(1,1) with standardised Student-t innovations (nu > 2), the likelihood bankquant fits."""
    from scipy import optimize
    from scipy.special import gammaln

    x = r * 100

    def nll(th):
        mu, omega, alpha, beta, nu = th
        if alpha + beta >= 1:
            return 1e10
        e = x - mu
        h = np.empty_like(x)
        h[0] = np.mean(e ** 2)
        for t in range(1, x.size):
            h[t] = omega + alpha * e[t - 1] ** 2 + beta * h[t - 1]
        c = gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * np.log(np.pi * (nu - 2))
        return -np.sum(c - 0.5 * np.log(h) - (nu + 1) / 2 * np.log1p(e ** 2 / (h * (nu - 2))))

    return optimize.minimize(nll, [x.mean(), 0.05 * x.var(), 0.05, 0.9, 8.0], method="L-BFGS-B",
                             bounds=[(None, None), (1e-8, None), (0, 1), (0, 1), (2.05, 200)])


TITLE = "Market risk"
THROUGHPUT_NOTE = ("The full-factor case materialises every factor scenario (a GEMM per tile of scenarios; the time "
                   "includes drawing the normals). The market-risk issue quotes about 56 GFLOP/s per core as this "
                   "CPU's double-precision peak; the measured rate exceeds it, so that figure is conservative "
                   "(AVX-512 with two FMA units would give 32 flops a cycle).")


def extra_sections(rows) -> str:
    """Monte Carlo throughput of the cases that report flops."""
    throughput = ["### Monte Carlo throughput", "", THROUGHPUT_NOTE, "",
                  "| case | threads | GFLOP/s | normals per second per core |", "|---|---|---|---|"]
    for r in rows:
        if r["flops"]:
            throughput.append(f"| {r['case']} | {r['threads']} | {r['flops'] / r['bankquant_s'] / 1e9:.1f} | "
                              f"{r['normals'] / r['bankquant_s'] / r['threads'] / 1e6:.0f} M |")
    return "\n".join(throughput)


NOTES = [
]
