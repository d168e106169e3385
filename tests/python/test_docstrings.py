"""Every example in the Python docstrings runs and prints what it shows (every module of the
package, found by walking it, so a new module is checked without being listed here)."""
import doctest
import importlib
import pkgutil

import pytest

import bankquant as bq

MODULES = [bq] + [importlib.import_module(info.name)
                  for info in pkgutil.walk_packages(bq.__path__, prefix="bankquant.")
                  if not info.name.startswith("bankquant._core")]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module, restore_threads):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
