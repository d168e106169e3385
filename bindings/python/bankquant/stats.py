"""Statistics helpers that every module shares, exposed for users and for cross-checks.

* :func:`quantile` — numpy's definitions (``method="linear"`` is numpy's default), and weighted
  quantiles by the inverted-CDF rule (numpy >= 2.0's ``weights=``).
* :func:`rankdata` — ranks with ties, as ``scipy.stats.rankdata``.
* :class:`RunningMoments` — streaming, mergeable mean and variance (Welford; Chan et al.).
"""
from __future__ import annotations

from typing import Union

import numpy as np
import pandas as pd

from . import _core
from ._validation import as_float_vector
from .exceptions import InvalidArgumentError

__all__ = ["quantile", "rankdata", "RunningMoments"]

RunningMoments = _core.core.RunningMoments
RunningMoments.__doc__ = """Streaming mean, variance, min and max; summaries merge exactly.

>>> import bankquant as bq, numpy as np
>>> a, b = bq.stats.RunningMoments(), bq.stats.RunningMoments()
>>> _ = a.add(np.array([1.0, 2.0])); _ = b.add(np.array([3.0, 4.0]))
>>> a.merge(b).mean, a.variance(ddof=1)
(2.5, 1.6666666666666667)
"""

QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf")


def quantile(x, q, method: str = "linear", weights=None) -> Union[float, np.ndarray]:
    """The ``q``-quantile(s) of ``x``, as ``numpy.quantile(x, q, method=method)``.

    Parameters
    ----------
    x : 1-D array-like of finite numbers
    q : float or 1-D array-like in [0, 1]
    method : {"linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf"}
    weights : 1-D array-like of non-negative numbers, optional
        With weights only ``method="inverted_cdf"`` is defined (the default then): the smallest
        value whose cumulative weight share reaches ``q``.

    Returns
    -------
    float for a scalar ``q``, else an array in the order of ``q``.

    Example
    -------
    >>> import bankquant as bq
    >>> bq.stats.quantile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.5
    >>> bq.stats.quantile([1.0, 2.0, 3.0], [0.5, 0.9], weights=[1, 1, 2])
    array([2., 3.])
    """
    xs = as_float_vector(x, "x")
    scalar = np.ndim(q) == 0
    qs = np.atleast_1d(np.asarray(q, dtype=np.float64))
    if weights is None:
        out = _core.core.quantiles(xs, qs, method)
    else:
        if method not in ("linear", "inverted_cdf"):
            raise InvalidArgumentError(
                f"argument 'method': weighted quantiles use 'inverted_cdf', got '{method}'")
        out = _core.core.weighted_quantiles(xs, as_float_vector(weights, "weights"), qs)
    return float(out[0]) if scalar else out


def rankdata(x, method: str = "average"):
    """1-based ranks of ``x`` with ties resolved as ``scipy.stats.rankdata(x, method)``.

    ``method`` is one of "average", "min", "max", "dense", "ordinal". A pandas Series gives a
    Series with the same index.

    >>> import bankquant as bq
    >>> bq.stats.rankdata([0, 2, 3, 2])
    array([1. , 2.5, 4. , 2.5])
    """
    ranks = _core.core.rank(as_float_vector(x, "x"), method)
    if isinstance(x, pd.Series):
        return pd.Series(ranks, index=x.index, name=x.name)
    return ranks
