"""Core: random streams, quantiles and ranks against numpy and scipy."""
from __future__ import annotations

from typing import List

import numpy as np
from scipy import stats as sps

import bankquant as bq

from . import Case


def _numpy2_weighted_quantile(x, w, q):
    order = np.argsort(x, kind="stable")
    cdf = np.cumsum(w[order])
    cdf /= cdf[-1]
    return x[order][np.minimum(np.searchsorted(cdf, q), x.size - 1)]


def cases() -> List[Case]:
    n = 10_000_000
    rng = np.random.default_rng(1)
    return [
        Case("10M standard normals", "numpy default_rng().standard_normal",
             lambda: None, lambda _: bq.random.standard_normal(n, seed=1, progress=False),
             lambda _: rng.standard_normal(n)),
        Case("10M uniforms", "numpy default_rng().random",
             lambda: None, lambda _: bq.random.uniform(n, seed=1, progress=False),
             lambda _: rng.random(n)),
        Case("5 quantiles of 1M values", "numpy.quantile",
             lambda: (rng.standard_normal(1_000_000), [0.01, 0.025, 0.05, 0.5, 0.99]),
             lambda d: bq.stats.quantile(d[0], d[1]), lambda d: np.quantile(d[0], d[1])),
        Case("1% quantile of 1M values", "numpy.quantile",
             lambda: rng.standard_normal(1_000_000),
             lambda x: bq.stats.quantile(x, 0.01), lambda x: np.quantile(x, 0.01)),
        Case("weighted 1% quantile of 1M values", "numpy argsort/cumsum/searchsorted",
             lambda: (rng.standard_normal(1_000_000), rng.random(1_000_000)),
             lambda d: bq.stats.quantile(d[0], 0.01, weights=d[1]),
             lambda d: _numpy2_weighted_quantile(d[0], d[1], 0.01)),
        Case("ranks of 1M values with ties", "scipy.stats.rankdata",
             lambda: np.round(rng.standard_normal(1_000_000), 3),
             lambda x: bq.stats.rankdata(x), lambda x: sps.rankdata(x)),
    ]


TITLE = 'Core'


NOTES = [
    "- numpy peers run on OpenBLAS (installed by scripts/install-deps.sh; without it Debian's numpy uses the reference BLAS, ten times slower at matrix products), with its default threads (all cores), and with the machine's OPENBLAS_CORETYPE setting (Haswell kernels) left as it is.",
    "- Uniforms on one thread are slower than numpy: a counter-based Philox4x32-10 draw costs more than numpy's PCG64 step. It is the price of streams that give the same numbers on any thread count; normals (ziggurat on Philox) are faster than numpy's all the same.",
]
