"""Reproducible parallel random numbers.

Numbers come from counter-based Philox4x32-10 streams (Random123), drawn in fixed chunks of
65,536 values, chunk ``c`` from stream ``stream_offset + c``: the same ``seed`` gives the same
array on any number of threads and any machine. Use a different ``seed`` (or a
``stream_offset`` beyond the chunks already used) for independent draws.
"""
from __future__ import annotations

import numpy as np

from . import _core
from ._progress import ProgressArg, resolve
from ._validation import as_int, as_seed

__all__ = ["standard_normal", "uniform"]


def standard_normal(size: int, seed: int = 0, *, stream_offset: int = 0, progress: ProgressArg = None) -> np.ndarray:
    """Draws ``size`` standard normal numbers (Box–Muller on Philox streams), in parallel.

    Parameters
    ----------
    size : int
        How many numbers (>= 0).
    seed : int
        Any integer in [0, 2**64).
    stream_offset : int
        First stream id; draws with offsets further apart than ``ceil(size / 65536)`` are
        independent.
    progress : None, bool or callable
        See :mod:`bankquant._progress`: a bar in notebooks by default.

    Returns
    -------
    numpy.ndarray
        ``size`` float64 values; the same for a given ``seed`` and ``stream_offset`` on any
        number of threads.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.random.standard_normal(3, seed=42)
    array([0.87562942, 0.4211854 , 0.75565171])
    >>> z = bq.random.standard_normal(1_000_000, seed=42)
    >>> bool(abs(z.mean()) < 0.01)
    True
    >>> # chunk c is stream stream_offset + c: the second chunk of one draw starts another
    >>> a = bq.random.standard_normal(70_000, seed=1)
    >>> bool((a[65_536:] == bq.random.standard_normal(70_000 - 65_536, seed=1, stream_offset=1)).all())
    True
    """
    return _core.core.standard_normal(as_int(size, "size", minimum=0), as_seed(seed),
                                      as_seed(stream_offset, "stream_offset"), resolve(progress))


def uniform(size: int, seed: int = 0, *, stream_offset: int = 0, progress: ProgressArg = None) -> np.ndarray:
    """Draws ``size`` uniform numbers in the open interval (0, 1), in parallel.

    The streams and chunks are those of :func:`standard_normal`.

    Parameters
    ----------
    size : int
        How many numbers (>= 0).
    seed : int
        Any integer in [0, 2**64).
    stream_offset : int
        First stream id (see :func:`standard_normal`).
    progress : None, bool or callable
        See :mod:`bankquant._progress`.

    Returns
    -------
    numpy.ndarray
        ``size`` float64 values, never exactly 0 or 1.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.random.uniform(3, seed=7)
    array([0.75015222, 0.08565787, 0.79528404])
    >>> u = bq.random.uniform(100_000, seed=7)
    >>> bool(((u > 0) & (u < 1)).all())
    True
    """
    return _core.core.uniform(as_int(size, "size", minimum=0), as_seed(seed),
                              as_seed(stream_offset, "stream_offset"), resolve(progress))
