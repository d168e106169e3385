"""What a data scientist would write with pandas for the same binning bankquant does, used only as
the benchmark peer: quantile pre-bins by pd.qcut and groupby counts, then the same exact search for
the IV-maximising monotone grouping (dynamic programming) in plain Python."""
import math

import numpy as np
import pandas as pd


def _iv(e, n, total_e, total_n):
    if e + n == 0:
        return 0.0
    if e == 0 or n == 0:
        e, n = e + 0.5, n + 0.5
    pe, pn = e / total_e, n / total_n
    return (pe - pn) * math.log(pe / pn)


def _best_grouping(events, counts, total_e, total_n, total, max_bins, min_share, ascending):
    m = len(events)
    ce = np.concatenate([[0], np.cumsum(events)])
    cc = np.concatenate([[0], np.cumsum(counts)])
    best = {}  # (k, j, i) -> (iv, previous j)
    for i in range(m):
        e, c = ce[i + 1], cc[i + 1]
        if c >= min_share * total and e >= 1 and c - e >= 1:
            best[(0, 0, i)] = (_iv(e, c - e, total_e, total_n), None)
    for k in range(1, max_bins):
        for j in range(k, m):
            for i in range(j, m):
                e, c = ce[i + 1] - ce[j], cc[i + 1] - cc[j]
                if not (c >= min_share * total and e >= 1 and c - e >= 1):
                    continue
                rate = e / c
                top = None
                for l in range(k - 1, j):
                    prev = best.get((k - 1, l, j - 1))
                    if prev is None:
                        continue
                    pe, pc = ce[j] - ce[l], cc[j] - cc[l]
                    if (rate > pe / pc) if ascending else (rate < pe / pc):
                        if top is None or prev[0] > top[0]:
                            top = (prev[0], l)
                if top is not None:
                    best[(k, j, i)] = (top[0] + _iv(e, c - e, total_e, total_n), top[1])
    finals = [v[0] for (k, j, i), v in best.items() if i == m - 1]
    return max(finals) if finals else 0.0


def optimal_binning(x: pd.Series, y: pd.Series, prebins=20, max_bins=8, min_share=0.05):
    """Total IV of the best monotone binning of x (ascending or descending)."""
    q = pd.qcut(x, prebins, duplicates="drop")
    g = pd.DataFrame({"q": q, "y": y}).groupby("q", observed=True)["y"].agg(["sum", "count"])
    events, counts = g["sum"].to_numpy(float), g["count"].to_numpy(float)
    total_e, total = float(y.sum()), float(len(y))
    args = (events, counts, total_e, total - total_e, total, max_bins, min_share)
    return max(_best_grouping(*args, True), _best_grouping(*args, False))


def quantile_binning(x: pd.Series, y: pd.Series, bins=8):
    """WoE table of equal-frequency bins: pd.qcut then groupby."""
    q = pd.qcut(x, bins, duplicates="drop")
    g = pd.DataFrame({"q": q, "y": y}).groupby("q", observed=True)["y"].agg(["sum", "count"])
    e = g["sum"] / y.sum()
    n = (g["count"] - g["sum"]) / (len(y) - y.sum())
    g["woe"] = np.log(e / n)
    g["iv"] = (e - n) * g["woe"]
    return g


def score(X: pd.DataFrame, cuts: dict, points: dict, base: float):
    """Score by pd.cut into the bins and a points lookup per characteristic."""
    total = np.full(len(X), base)
    for c, edges in cuts.items():
        idx = pd.cut(X[c], [-np.inf, *edges, np.inf], right=False, labels=False)
        total += np.asarray(points[c])[idx.to_numpy()]
    return total
