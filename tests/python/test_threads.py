import os
import subprocess
import sys

import numpy as np
import pytest

import bankquant as bq


def test_set_get_and_default(restore_threads):
    bq.set_num_threads(1)
    assert bq.get_num_threads() == 1
    bq.set_num_threads(3)
    assert bq.get_num_threads() == 3
    bq.set_num_threads(0)
    assert bq.get_num_threads() == bq._core.core.default_num_threads() >= 1


@pytest.mark.parametrize("bad", [-1, -100])
def test_negative_thread_count_raises_and_changes_nothing(restore_threads, bad):
    bq.set_num_threads(2)
    with pytest.raises(bq.InvalidArgumentError, match=rf"argument 'n': expected a thread count >= 1.*got {bad}"):
        bq.set_num_threads(bad)
    assert bq.get_num_threads() == 2


@pytest.mark.parametrize("bad", [1.5, "4", None, True])
def test_non_integer_thread_count_raises(restore_threads, bad):
    with pytest.raises(bq.InvalidArgumentError, match="argument 'n'"):
        bq.set_num_threads(bad)


def test_numpy_integer_is_accepted(restore_threads):
    bq.set_num_threads(np.int64(2))
    assert bq.get_num_threads() == 2


def test_context_manager_restores(restore_threads):
    bq.set_num_threads(2)
    with bq.num_threads(1) as n:
        assert n == 1 == bq.get_num_threads()
    assert bq.get_num_threads() == 2
    with pytest.raises(ZeroDivisionError):
        with bq.num_threads(1):
            1 / 0
    assert bq.get_num_threads() == 2


def _run(code, **env):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


def test_environment_variable_sets_the_default():
    done = _run("import bankquant as bq; print(bq.get_num_threads())", BANKQUANT_NUM_THREADS="3")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"


def test_bad_environment_variable_is_named():
    done = _run("import bankquant as bq; bq.get_num_threads()", BANKQUANT_NUM_THREADS="lots")
    assert done.returncode != 0
    assert "BANKQUANT_NUM_THREADS" in done.stderr and "'lots'" in done.stderr
