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

    Parameters
    ----------
    n : int
        Threads to use, >= 1; 0 for the default. A bool or a non-integer is an
        :class:`~bankquant.InvalidArgumentError`.

    Returns
    -------
    None

    See Also
    --------
    num_threads : the same for one block of code.

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
    """The number of threads bankquant's parallel work uses.

    Returns
    -------
    int
        The count :func:`set_num_threads` set, or the default (every core this process may use,
        or ``BANKQUANT_NUM_THREADS``).

    Examples
    --------
    >>> import bankquant as bq
    >>> with bq.num_threads(1):
    ...     bq.get_num_threads()
    1
    """
    return _core.core.get_num_threads()


@contextlib.contextmanager
def num_threads(n: int) -> Iterator[int]:
    """Context manager: runs a block with ``n`` threads, then restores the previous count.

    Parameters
    ----------
    n : int
        Threads for the block (as :func:`set_num_threads`: 0 is the default count).

    Returns
    -------
    context manager
        Yields the count in effect inside the block; the previous count comes back on exit,
        also when the block raises.

    Examples
    --------
    >>> import bankquant as bq
    >>> with bq.num_threads(1) as n:
    ...     z = bq.random.standard_normal(10, seed=1)
    >>> n
    1
    >>> bool((z == bq.random.standard_normal(10, seed=1)).all())   # same numbers on any count
    True
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
    """Versions of bankquant, its compiled dependencies and the Python packages around it.

    Returns
    -------
    dict of str to str
        From the compiled module (bankquant's version, build type, compiler, C++ standard, SIMD
        instructions, threads, the C++ libraries' versions) and then Python's version and each
        optional Python package's (or "not installed").

    Examples
    --------
    >>> import bankquant as bq
    >>> info = bq.config()
    >>> info["bankquant"] == bq.__version__, "python" in info
    (True, True)
    """
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
    """Prints :func:`config` as an aligned table (paste it into bug reports).

    Returns
    -------
    None

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.show_config()
    bankquant      ...
    build type     ...
    """
    info = config()
    width = max(len(k) for k in info)
    for key, value in info.items():
        print(f"{key:<{width}}  {value}")
