"""C++ exceptions arrive in Python as bankquant's classes, with their text intact."""
import numpy as np
import pytest

import bankquant as bq
from bankquant import exceptions as ex


@pytest.mark.parametrize(
    "cls, builtins",
    [
        (ex.InvalidArgumentError, (ValueError,)),
        (ex.NotFittedError, (ValueError, AttributeError)),
        (ex.ModelFormatError, (ValueError,)),
        (ex.ConvergenceError, (RuntimeError,)),
        (ex.NumericalError, (RuntimeError,)),
        (ex.CancelledError, (RuntimeError,)),
    ],
)
def test_hierarchy(cls, builtins):
    assert issubclass(cls, bq.BankquantError)
    for base in builtins:
        assert issubclass(cls, base)


def test_invalid_argument_text_arrives_intact():
    with pytest.raises(bq.InvalidArgumentError) as info:
        bq.stats.quantile(np.array([1.0, 2.0, np.inf]), 0.5)
    assert str(info.value) == "argument 'x': expected finite values, found inf at index 2"
    assert isinstance(info.value, ValueError)


def test_model_format_error_is_a_value_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "bankquant-model", "kind": ')
    with pytest.raises(ValueError) as info:
        bq.io.load_model(path)
    assert isinstance(info.value, bq.ModelFormatError)
    assert "is not valid JSON (corrupted or truncated?)" in str(info.value)


def test_cancelled_is_a_runtime_error():
    with pytest.raises(RuntimeError) as info:
        bq.random.standard_normal(3_000_000, seed=1, progress=lambda done, total, stage: False)
    assert isinstance(info.value, bq.CancelledError)
    assert "cancelled by the progress callback" in str(info.value)


def test_convergence_warning_helper():
    class Result:
        converged = False
        message = "iteration limit 100 reached; gradient norm 3e-4"

    with pytest.warns(bq.ConvergenceWarning, match="GARCH: iteration limit 100 reached"):
        ex.warn_if_not_converged(Result(), "GARCH")

    class Good:
        converged = True

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ex.warn_if_not_converged(Good(), "GARCH")


def test_package_exports_every_public_class():
    for name in ex.PUBLIC:
        assert getattr(bq, name) is getattr(ex, name)
        assert name in bq.__all__
