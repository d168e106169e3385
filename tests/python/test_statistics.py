"""Statistics helpers cross-checked against numpy 1.24 and scipy on real data (Dow Jones returns)."""
import pickle

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import bankquant as bq

METHODS = ["linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf"]
QS = np.concatenate([[0.0, 0.001, 0.01, 0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975, 0.99, 1.0],
                     np.linspace(0, 1, 101)])


@pytest.mark.parametrize("method", METHODS)
def test_quantile_equals_numpy_on_dow_jones_returns(dow_returns, method):
    for column in range(0, 30, 7):
        x = dow_returns[:, column]
        expected = np.quantile(x, QS, method=method)
        np.testing.assert_array_equal(bq.stats.quantile(x, QS, method=method), expected)
        assert bq.stats.quantile(x, 0.01, method=method) == np.quantile(x, 0.01, method=method)


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11])
@pytest.mark.parametrize("method", METHODS)
def test_quantile_equals_numpy_on_small_samples_with_ties(n, method):
    x = np.round(bq.random.standard_normal(n, seed=n) * 2)  # many ties
    np.testing.assert_array_equal(bq.stats.quantile(x, QS, method=method), np.quantile(x, QS, method=method))


def _numpy2_weighted_inverted_cdf(x, w, qs):
    """numpy >= 2.0's quantile(x, q, weights=w, method="inverted_cdf"), written out in numpy 1.24:
    sort, normalised cumulative weights, searchsorted(side="left"), clipped to the last index."""
    order = np.argsort(x, kind="stable")
    cdf = np.cumsum(w[order])
    cdf /= cdf[-1]
    idx = np.minimum(np.searchsorted(cdf, qs, side="left"), x.size - 1)
    return x[order][idx]


def test_weighted_quantile_equals_numpy2_definition(dow_returns):
    x = dow_returns[:500, 3]
    w = 0.99 ** np.arange(500)[::-1]  # age weights, as in age-weighted historical VaR
    np.testing.assert_array_equal(bq.stats.quantile(x, QS, weights=w), _numpy2_weighted_inverted_cdf(x, w, QS))


def test_weighted_quantile_equals_numpy_repeat(dow_returns):
    # Integer weights: the weighted quantile equals numpy's inverted_cdf quantile of the sample
    # with each value repeated weight times. Exactly at a jump of the CDF (N q an integer) the two
    # round differently (N q - 1 vs. a normalised CDF), so those q are left to the test above.
    x = dow_returns[:499, 3]
    w = (np.arange(499) % 5 + 1).astype(float)
    n = w.sum()  # 1495: N q is an integer only for a few grid points
    qs = QS[np.abs(n * QS - np.round(n * QS)) > 1e-6]
    assert qs.size > 50
    expected = np.quantile(np.repeat(x, w.astype(int)), qs, method="inverted_cdf")
    np.testing.assert_array_equal(bq.stats.quantile(x, qs, weights=w), expected)


@pytest.mark.parametrize("method", ["average", "min", "max", "dense", "ordinal"])
def test_rankdata_equals_scipy_on_german_credit(method):
    amounts = bq.datasets.german_credit()["duration_in_month"]  # many ties
    ranks = bq.stats.rankdata(amounts, method=method)
    assert isinstance(ranks, pd.Series) and ranks.index.equals(amounts.index)
    np.testing.assert_array_equal(ranks.to_numpy(), sps.rankdata(amounts.to_numpy(), method=method))


def test_running_moments_against_numpy_merge_and_pickle(dow_returns):
    x = dow_returns[:, 0]
    whole = bq.stats.RunningMoments().add(x)
    assert whole.count == x.size
    assert whole.mean == pytest.approx(x.mean(), rel=1e-12)
    assert whole.variance(ddof=1) == pytest.approx(x.var(ddof=1), rel=1e-12)
    assert whole.std(ddof=0) == pytest.approx(x.std(), rel=1e-12)
    assert (whole.min, whole.max) == (x.min(), x.max())
    left = bq.stats.RunningMoments().add(x[:1000])
    right = bq.stats.RunningMoments().add(x[1000:])
    merged = pickle.loads(pickle.dumps(left)).merge(right)
    assert merged.count == whole.count
    assert merged.mean == pytest.approx(whole.mean, rel=1e-12)
    assert merged.variance() == pytest.approx(whole.variance(), rel=1e-12)


def test_running_moments_bad_batch_changes_nothing():
    r = bq.stats.RunningMoments().add(np.array([1.0, 2.0]))
    with pytest.raises(bq.InvalidArgumentError, match="found nan at index 1"):
        r.add(np.array([3.0, np.nan]))
    assert r.count == 2 and r.mean == 1.5
    assert np.isnan(bq.stats.RunningMoments().mean)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bq.stats.quantile([], 0.5), "argument 'x': expected at least one element"),
        (lambda: bq.stats.quantile(np.ones((3, 2)), 0.5), r"argument 'x': expected a 1-D array, got shape \(3, 2\)"),
        (lambda: bq.stats.quantile([1.0, np.nan], 0.5), "argument 'x': expected finite values, found nan at index 1"),
        (lambda: bq.stats.quantile([1.0, -np.inf], 0.5), "found -inf at index 1"),
        (lambda: bq.stats.quantile([1.0, 2.0], 1.5), r"argument 'q': expected a value in \[0, 1\], got 1.5"),
        (lambda: bq.stats.quantile([1.0, 2.0], np.nan), r"argument 'q': expected a value in \[0, 1\], got nan"),
        (lambda: bq.stats.quantile([1.0, 2.0], 0.5, method="hazen"), "argument 'method': expected one of 'linear'"),
        (lambda: bq.stats.quantile(["a", "b"], 0.5), "argument 'x': expected numbers"),
        (lambda: bq.stats.quantile([1.0, 2.0], 0.5, weights=[1.0]), "arguments 'x' and 'weights': expected the same length"),
        (lambda: bq.stats.quantile([1.0, 2.0], 0.5, weights=[1.0, -1.0]), "argument 'weights': expected non-negative"),
        (lambda: bq.stats.quantile([1.0, 2.0], 0.5, weights=[0.0, 0.0]), "argument 'weights': expected a positive sum"),
        (lambda: bq.stats.quantile([1.0, 2.0], 0.5, weights=[1, 1], method="lower"), "argument 'method': weighted"),
        (lambda: bq.stats.rankdata([1.0, np.nan]), "argument 'x': expected finite values"),
        (lambda: bq.stats.rankdata([1.0], method="first"), "argument 'method': expected one of 'average'"),
    ],
)
def test_bad_input_gives_named_errors(call, message):
    with pytest.raises(bq.InvalidArgumentError, match=message):
        call()


def test_scalar_and_vector_q():
    assert isinstance(bq.stats.quantile([1.0, 2.0, 3.0], 0.5), float)
    out = bq.stats.quantile([1.0, 2.0, 3.0], [0.0, 1.0])
    assert isinstance(out, np.ndarray) and out.tolist() == [1.0, 3.0]
    assert bq.stats.rankdata([]).size == 0
