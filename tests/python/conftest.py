import numpy as np
import pandas as pd
import pytest

import bankquant as bq


@pytest.fixture
def restore_threads():
    saved = bq.get_num_threads()
    yield
    bq.set_num_threads(saved)


@pytest.fixture(scope="session")
def dow_returns():
    """Daily log returns of the 30 Dow Jones stocks (bundled real data), as a float64 matrix."""
    prices = bq.datasets.dow_jones_30()
    return np.diff(np.log(prices.to_numpy()), axis=0)


@pytest.fixture(scope="session")
def heavy_tailed_transfers():
    """Makes seeded heavy-tailed transfer tables: Zipf-like activity (a few busy accounts, many
    quiet ones), log-normal amounts, integer times over 30 days; ``prefix`` turns account numbers
    into string ids."""
    def make(n: int, m: int, seed: int, prefix: str = "") -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        p = 1 / np.arange(1, n + 1) ** 0.8
        p /= p.sum()
        src, dst = rng.choice(n, m, p=p), rng.choice(n, m, p=rng.permutation(p))
        if prefix:
            src, dst = np.char.add(prefix, src.astype(str)), np.char.add(prefix, dst.astype(str))
        return pd.DataFrame({"src": src, "dst": dst, "amount": np.round(rng.lognormal(5, 1.2, m), 2),
                             "timestamp": rng.integers(0, 30 * 86_400, m)})
    return make
