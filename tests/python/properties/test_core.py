"""Property tests of the core: statistics, random streams, threads, model files, datasets."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bankquant as bq

from .support import BAD_SCALARS, BAD_VECTORS, FAST, any_vectors, check, covers, finite_vectors, scalar_forms, \
    vector_forms

covers("stats.quantile", "stats.rankdata", "stats.RunningMoments", "random.standard_normal", "random.uniform",
       "set_num_threads", "get_num_threads", "num_threads", "show_config", "config", "io.save_model",
       "io.load_model", "io.loads_model", "io.ModelDocument", "io.encode_floats", "io.decode_floats")
covers(*(f"datasets.{name}" for name in bq.datasets.__all__))


@FAST
@given(finite_vectors(1, 60), st.floats(0, 1))
def test_quantile_equals_numpy_for_every_input_form(x, q):
    for form in vector_forms(x):
        for qf in scalar_forms(q):
            # numpy on the same float64 values: bit for bit, whatever container they came in
            expected = np.quantile(np.asarray(pd.Series(form), dtype=np.float64), float(qf))
            assert bq.stats.quantile(form, qf) == expected


@FAST
@given(any_vectors(0, 20), st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(BAD_SCALARS)))
def test_quantile_bad_input_is_a_named_error(x, q):
    out = check(lambda: bq.stats.quantile(x, q), ["x", "q"])
    if out is not None:
        assert np.isfinite(out)


@pytest.mark.parametrize("bad", BAD_VECTORS, ids=repr)
def test_vector_functions_refuse_bad_vectors_by_name(bad):
    for f, name in [(lambda v: bq.stats.quantile(v, 0.5), "x"), (bq.stats.rankdata, "x"),
                    (lambda v: bq.stats.RunningMoments().add(v), "x")]:
        out = check(lambda: f(bad), [name])
        if out is not None and not isinstance(out, bq.stats.RunningMoments):
            assert np.all(np.isfinite(np.asarray(out, dtype=float)))


@FAST
@given(finite_vectors(1, 40), st.sampled_from(["average", "min", "max", "dense", "ordinal"]))
def test_rankdata_every_form(x, method):
    from scipy import stats

    for form in vector_forms(x):
        expected = stats.rankdata(np.asarray(pd.Series(form), dtype=np.float64), method=method)
        np.testing.assert_array_equal(np.asarray(bq.stats.rankdata(form, method)), expected)


def test_rankdata_bad_method_is_named():
    assert check(lambda: bq.stats.rankdata([1.0, 2.0], method="first"), ["method"]) is None


@FAST
@given(finite_vectors(0, 30), finite_vectors(0, 30))
def test_running_moments_merge_equals_one_pass(a, b):
    x, y = bq.stats.RunningMoments(), bq.stats.RunningMoments()
    x.add(a)
    y.add(b)
    x.merge(y)
    both = np.concatenate([a, b])
    assert x.count == both.size
    if both.size:
        assert x.mean == pytest.approx(both.mean(), rel=1e-9, abs=1e-9 * max(1.0, np.abs(both).max()))


def test_running_moments_bad_batch_changes_nothing():
    m = bq.stats.RunningMoments()
    m.add([1.0, 2.0])
    assert check(lambda: m.add([3.0, np.nan]), ["x"]) is None
    assert m.count == 2


@pytest.mark.parametrize("size", [0, 1, 5, np.int64(7), np.int32(3), 10.0, np.array(4)])
@pytest.mark.parametrize("seed", [0, np.uint64(2**63), np.int64(5), 2**64 - 1])
def test_random_accepts_every_integer_form(size, seed):
    for f in (bq.random.standard_normal, bq.random.uniform):
        z = f(size, seed=seed, progress=False)
        assert z.shape == (int(size),) and np.all(np.isfinite(z))


@pytest.mark.parametrize("bad_size", [-1, 2.5, "3", None, np.nan, [3], True])
@pytest.mark.parametrize("bad_seed", [-1, 2**64, 1.5, "s", None])
def test_random_bad_size_or_seed_is_named(bad_size, bad_seed):
    for f in (bq.random.standard_normal, bq.random.uniform):
        assert check(lambda: f(bad_size, seed=0, progress=False), ["size"]) is None
        assert check(lambda: f(3, seed=bad_seed, progress=False), ["seed"]) is None


@pytest.mark.parametrize("n", [1, 2, np.int64(1), np.int32(2)])
def test_thread_count_forms(n, restore_threads):
    bq.set_num_threads(n)
    assert bq.get_num_threads() == int(n)
    with bq.num_threads(np.int64(1)):
        assert bq.get_num_threads() == 1


@pytest.mark.parametrize("bad", [-1, 1.5, "2", None, [1]])
def test_thread_count_bad_is_named(bad, restore_threads):
    assert check(lambda: bq.set_num_threads(bad), ["n"]) is None


def test_config_and_report():
    assert "bankquant" in bq.config()
    assert bq.show_config() is None


@FAST
@given(st.dictionaries(st.text(min_size=1, max_size=8),
                       st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12),
                                 st.text(max_size=10), st.lists(st.floats(allow_nan=False), max_size=5)),
                       max_size=6))
def test_model_files_round_trip(model):
    text_doc = None
    import tempfile
    import os

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.json")
        bq.io.save_model(path, "example", model)
        doc = bq.io.load_model(path, kind="example")
        text_doc = doc.model
    for k, v in model.items():
        got = bq.io.decode_floats(text_doc[k])  # non-finite floats are stored as "inf", "-inf", "nan"
        if isinstance(v, float) and np.isnan(v):
            assert np.isnan(got)
        elif isinstance(v, str) and v in ("inf", "-inf", "nan"):
            assert str(got) == v or np.isnan(got)  # a string that spells a non-finite float reads as one
        else:
            assert got == v


@pytest.mark.parametrize("text", ["", "{", "[]", '{"format": "x"}', "null", '{"format": "bankquant-model"}',
                                  '{"format": "bankquant-model", "kind": "example", "schema_version": 99, '
                                  '"library_version": "0", "model": {}}'])
def test_corrupt_model_text_is_a_model_format_error(text):
    with pytest.raises(bq.ModelFormatError):
        bq.io.loads_model(text, kind="example")


@pytest.mark.parametrize("bad_kind", [None, 3])
def test_save_model_bad_arguments(bad_kind, tmp_path):
    assert check(lambda: bq.io.save_model(tmp_path / "m.json", bad_kind, {}), ["kind"]) is None


def test_datasets_load():
    for name in bq.datasets.__all__:
        df = getattr(bq.datasets, name)()
        assert isinstance(df, pd.DataFrame) and len(df) > 0
