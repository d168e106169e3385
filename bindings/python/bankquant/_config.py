"""Threads and build information."""
from __future__ import annotations

import contextlib
import importlib
import platform
from typing import Dict, Iterator

from . import _core
from .exceptions import InvalidArgumentError

__all__ = ["set_num_threads", "get_num_threads", "num_threads", "show_config", "config"]


def set_num_threads(n: int) -> None:
    """Sets how many threads bankquant's parallel work uses.

    ``n >= 1`` sets the count; ``0`` restores the default: every core this process may use, or
    the environment variable ``BANKQUANT_NUM_THREADS``. Results do not depend on the count:
    a seeded computation gives the same numbers on 1 thread or 16. The setting is bankquant's
    own (its private oneTBB arena); other libraries' thread pools are not touched.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.set_num_threads(2); bq.get_num_threads()
    2
    >>> bq.set_num_threads(0)  # back to the default
    """
    if isinstance(n, bool):
        n = None  # True/False are ints to Python, but never a thread count
    try:
        n = int(n.__index__())
    except (AttributeError, TypeError):
        raise InvalidArgumentError(f"argument 'n': expected an integer thread count, got {n!r}") from None
    _core.core.set_num_threads(n)


def get_num_threads() -> int:
    """The number of threads bankquant's parallel work uses."""
    return _core.core.get_num_threads()


@contextlib.contextmanager
def num_threads(n: int) -> Iterator[int]:
    """Context manager: run a block with ``n`` threads, then restore the previous count.

    >>> import bankquant as bq
    >>> with bq.num_threads(1):
    ...     z = bq.random.standard_normal(10, seed=1)
    """
    previous = get_num_threads()
    set_num_threads(n)
    try:
        yield get_num_threads()
    finally:
        set_num_threads(previous)


_PYTHON_PACKAGES = ["numpy", "pandas", "scipy", "matplotlib", "tqdm", "sklearn", "statsmodels", "networkx",
                    "igraph", "cvxopt", "dask", "distributed"]


def config() -> Dict[str, str]:
    """Versions of bankquant, its compiled dependencies and the Python packages around it."""
    info = dict(_core.core.build_info())
    info["python"] = platform.python_version()
    for name in _PYTHON_PACKAGES:
        try:
            module = importlib.import_module(name)
            info[name] = str(getattr(module, "__version__", "installed"))
        except ImportError:
            info[name] = "not installed"
    return info


def show_config() -> None:
    """Prints :func:`config` as an aligned table (paste it into bug reports)."""
    info = config()
    width = max(len(k) for k in info)
    for key, value in info.items():
        print(f"{key:<{width}}  {value}")
