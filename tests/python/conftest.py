import numpy as np
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
