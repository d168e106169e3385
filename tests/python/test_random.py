"""Reproducible parallel streams: the same seed gives the same numbers on any thread count."""
import numpy as np
import pytest
from scipy import stats as sps

import bankquant as bq

CHUNK = 65536  # bankquant.random draws in fixed chunks of this size, one Philox stream each


@pytest.mark.parametrize("draw", [bq.random.standard_normal, bq.random.uniform])
def test_same_numbers_for_any_thread_count(restore_threads, draw):
    bq.set_num_threads(1)
    reference = draw(1_000_003, seed=2024)
    for threads in (2, 3, 8):
        bq.set_num_threads(threads)
        np.testing.assert_array_equal(draw(1_000_003, seed=2024), reference)


def test_seeds_and_streams_differ():
    a = bq.random.standard_normal(1000, seed=1)
    assert not np.array_equal(a, bq.random.standard_normal(1000, seed=2))
    np.testing.assert_array_equal(a, bq.random.standard_normal(1000, seed=1))
    # stream_offset k starts where chunk k of a longer draw starts
    long = bq.random.standard_normal(3 * CHUNK, seed=5)
    np.testing.assert_array_equal(bq.random.standard_normal(CHUNK, seed=5, stream_offset=2), long[2 * CHUNK:])


def test_normal_distribution_against_scipy():
    z = bq.random.standard_normal(200_000, seed=7)
    # Kolmogorov–Smirnov and Anderson–Darling against N(0, 1) (scipy.stats); fixed seed, so
    # the statistics are fixed numbers, compared with their 1% critical values.
    assert sps.kstest(z, "norm").pvalue > 0.01
    assert sps.anderson(z, "norm").statistic < 1.092  # 1% critical value for the normal case
    assert abs(z.mean()) < 4 / np.sqrt(z.size)
    assert abs(z.var() - 1) < 4 * np.sqrt(2 / z.size)
    assert abs(sps.skew(z)) < 4 * np.sqrt(6 / z.size)
    assert abs(sps.kurtosis(z)) < 4 * np.sqrt(24 / z.size)


def test_uniform_distribution_against_scipy():
    u = bq.random.uniform(200_000, seed=8)
    assert ((u > 0) & (u < 1)).all()
    assert sps.kstest(u, "uniform").pvalue > 0.01
    # neighbouring values are uncorrelated (serial correlation of a good generator ~ N(0, 1/n))
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 4 / np.sqrt(u.size)


def test_empty_and_bad_arguments():
    assert bq.random.standard_normal(0, seed=1).shape == (0,)
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'size': expected an integer >= 0, got -5"):
        bq.random.standard_normal(-5, seed=1)
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'seed': expected an integer in \[0, 2\*\*64\), got -1"):
        bq.random.standard_normal(5, seed=-1)
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'seed'"):
        bq.random.standard_normal(5, seed=2**64)
    with pytest.raises(bq.InvalidArgumentError, match=r"argument 'seed': expected a non-negative integer, got 1.5"):
        bq.random.standard_normal(5, seed=1.5)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'progress'"):
        bq.random.standard_normal(5, seed=1, progress="yes")
    assert bq.random.standard_normal(3, seed=np.uint64(2**64 - 1)).shape == (3,)


def test_progress_callback_sees_the_total_at_the_end():
    events = []
    z = bq.random.standard_normal(2_000_000, seed=3, progress=lambda d, t, s: events.append((d, t, s)))
    assert events and events[-1] == (2_000_000, 2_000_000, "standard normal")
    np.testing.assert_array_equal(z, bq.random.standard_normal(2_000_000, seed=3, progress=False))


def test_exception_in_callback_propagates_as_itself():
    def interrupt(done, total, stage):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        bq.random.standard_normal(2_000_000, seed=3, progress=interrupt)
