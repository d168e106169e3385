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

    Examples
    --------
    >>> import bankquant as bq
    >>> z = bq.random.standard_normal(1_000_000, seed=42)
    >>> bool(abs(z.mean()) < 0.01)
    True
    """
    return _core.core.standard_normal(as_int(size, "size", minimum=0), as_seed(seed),
                                      as_seed(stream_offset, "stream_offset"), resolve(progress))


def uniform(size: int, seed: int = 0, *, stream_offset: int = 0, progress: ProgressArg = None) -> np.ndarray:
    """Draws ``size`` uniform numbers in the open interval (0, 1), in parallel; see standard_normal.

    Examples
    --------
    >>> import bankquant as bq
    >>> u = bq.random.uniform(5, seed=7)
    >>> bool(((u > 0) & (u < 1)).all())
    True
    """
    return _core.core.uniform(as_int(size, "size", minimum=0), as_seed(seed),
                              as_seed(stream_offset, "stream_offset"), resolve(progress))
