"""Golden values for the C++ portfolio tests, from the reference implementations on this machine.

    .venv/bin/python tests/data/portfolio/make_golden.py    # rewrites golden.json beside it

References (Debian bookworm packages): statsmodels 0.13.5 (Engle-Granger coint), scikit-learn 1.2.1
(LedoitWolf, OAS), cvxopt 1.3.0 (solvers.qp, solvers.lp), scipy 1.10.1 (hierarchy.linkage).
Data: the bundled Dow Jones 30 daily closes (bindings/python/bankquant/datasets/data).
"""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import cvxopt
import scipy
import sklearn
import statsmodels
from cvxopt import matrix, solvers
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform
from sklearn.covariance import OAS, LedoitWolf
from statsmodels.tsa.stattools import coint

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / "bindings" / "python" / "bankquant" / "datasets" / "data" / "dow_jones_30_daily.csv"

prices = pd.read_csv(DATA, index_col=0)
returns = prices.pct_change().dropna().to_numpy()
names = list(prices.columns)
out = {"versions": {"statsmodels": statsmodels.__version__, "sklearn": sklearn.__version__,
                    "cvxopt": cvxopt.__version__, "scipy": scipy.__version__}}

# Engle-Granger on log prices over the first 500 days (y on x, constant, AIC lags).
pairs = []
for a, b in [("KO", "PG"), ("XOM", "CAT"), ("AA", "IP"), ("JPM", "C"), ("MSFT", "INTC")]:
    y = np.log(prices[a].to_numpy()[:500])
    x = np.log(prices[b].to_numpy()[:500])
    stat, p, crit = coint(y, x)
    pairs.append({"y": names.index(a), "x": names.index(b), "statistic": float(stat), "p_value": float(p),
                  "critical": [float(c) for c in crit]})
out["engle_granger"] = pairs

# Shrinkage on the first 120 days (few rows for 30 assets).
head = returns[:120]
out["ledoit_wolf_identity_shrinkage"] = float(LedoitWolf().fit(head).shrinkage_)
out["oas_shrinkage"] = float(OAS().fit(head).shrinkage_)

# Long-only minimum variance on the annualised sample covariance, as PyPortfolioOpt calls cvxopt.
solvers.options.update({"show_progress": False, "abstol": 1e-12, "reltol": 1e-12, "feastol": 1e-12})
S = np.cov(returns, rowvar=False) * 252
n = S.shape[0]
sol = solvers.qp(matrix(S), matrix(np.zeros(n)), matrix(-np.eye(n)), matrix(np.zeros(n)),
                 matrix(np.ones((1, n))), matrix(1.0))
w = np.array(sol["x"]).ravel()
out["min_variance"] = {"objective": float(0.5 * w @ S @ w), "weights": [float(v) for v in w]}

# HRP's clustering: scipy single linkage on sqrt((1 - rho) / 2).
corr = np.corrcoef(returns, rowvar=False)
dist = np.sqrt(np.clip((1 - corr) / 2, 0, 1))
np.fill_diagonal(dist, 0)
Z = hierarchy.linkage(squareform(dist, checks=False), "single")
out["single_linkage"] = {"linkage": Z.tolist(), "leaves": hierarchy.leaves_list(Z).tolist()}
Zw = hierarchy.linkage(squareform(dist, checks=False), "ward")
out["ward_linkage"] = {"linkage": Zw.tolist(), "leaves": hierarchy.leaves_list(Zw).tolist()}

(HERE / "golden.json").write_text(json.dumps(out, indent=1))
print("wrote", HERE / "golden.json")
