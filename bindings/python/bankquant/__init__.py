"""bankquant — quantitative library for banks.

Credit scorecards, graph fraud mining, market risk, portfolio optimisation and customer-flow
forecasting, in C++20 with pandas-friendly Python bindings.

>>> import bankquant as bq
>>> bq.set_num_threads(2)
>>> z = bq.random.standard_normal(1000, seed=1)      # same numbers on any thread count
>>> df = bq.datasets.dow_jones_30()                   # bundled real data as DataFrames
"""
from __future__ import annotations

from . import _core
from . import datasets, exceptions, forecast, graph, io, portfolio, random, risk, scorecard, staffing, stats
from ._config import config, get_num_threads, num_threads, set_num_threads, show_config
from .exceptions import (
    BankquantError,
    CancelledError,
    ConvergenceError,
    ConvergenceWarning,
    InvalidArgumentError,
    ModelWarning,
    ModelFormatError,
    NotFittedError,
    NumericalError,
)

__version__: str = _core.core.version()

#: Submodules imported on first use, so `import bankquant` does not import their dependencies
#: (bankquant.dask imports dask and distributed).
_LAZY = ("dask",)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'bankquant' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

__all__ = [
    "__version__",
    "set_num_threads",
    "get_num_threads",
    "num_threads",
    "show_config",
    "config",
    "datasets",
    "exceptions",
    "io",
    "random",
    "stats",
    "scorecard",
    "risk",
    "graph",
    "portfolio",
    "forecast",
    "staffing",
    "dask",
    *exceptions.PUBLIC,
]
