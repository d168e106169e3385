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
from ._validation import as_choice, as_float_array, as_float_vector, as_int
from .exceptions import InvalidArgumentError

__all__ = ["quantile", "rankdata", "RunningMoments"]

class RunningMoments(_core.core.RunningMoments):
    """Streaming mean, variance, min and max; summaries merge exactly (Chan et al. 1979).

    Feed batches with ``add``; combine summaries computed apart (threads, Dask workers) with
    ``merge``. ``count``, ``mean``, ``min`` and ``max`` are attributes; ``variance(ddof=1)`` and
    ``std(ddof=1)`` methods. A batch with a non-finite value is refused and changes nothing.

    Examples
    --------
    >>> import bankquant as bq, numpy as np
    >>> a, b = bq.stats.RunningMoments(), bq.stats.RunningMoments()
    >>> _ = a.add([1.0, 2.0]); _ = b.add(np.array([3.0, 4.0]))
    >>> a.merge(b).mean, a.variance(ddof=1)
    (2.5, 1.6666666666666667)
    >>> a.count, a.min, a.max
    (4, 1.0, 4.0)
    """

    def add(self, x) -> "RunningMoments":
        """Adds a batch of finite values (any array-like); a bad batch changes nothing.

        Parameters
        ----------
        x : 1-D array-like of finite numbers

        Returns
        -------
        RunningMoments
            Itself.

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.stats.RunningMoments().add([1.0, 2.0, 4.0]).mean
        2.3333333333333335
        """
        super().add(as_float_vector(x, "x"))
        return self

    def merge(self, other) -> "RunningMoments":
        """Merges another summary into this one; the result equals one summary of both samples.

        Parameters
        ----------
        other : RunningMoments

        Returns
        -------
        RunningMoments
            Itself.

        Examples
        --------
        >>> import bankquant as bq
        >>> a = bq.stats.RunningMoments().add([1.0, 2.0]); b = bq.stats.RunningMoments().add([4.0])
        >>> a.merge(b).count, a.mean
        (3, 2.3333333333333335)
        """
        if not isinstance(other, _core.core.RunningMoments):
            raise InvalidArgumentError(f"argument 'other': expected RunningMoments, got {type(other).__name__}")
        super().merge(other)
        return self

    def variance(self, ddof: int = 1) -> float:
        """The variance of the values added so far.

        Parameters
        ----------
        ddof : int, default 1
            Delta degrees of freedom (1: the sample variance, 0: the population's).

        Returns
        -------
        float

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.stats.RunningMoments().add([1.0, 2.0, 4.0]).variance()
        2.333333333333333
        """
        return super().variance(as_int(ddof, "ddof", minimum=0))

    def std(self, ddof: int = 1) -> float:
        """The standard deviation of the values added so far.

        Parameters
        ----------
        ddof : int, default 1

        Returns
        -------
        float

        Examples
        --------
        >>> import bankquant as bq
        >>> round(bq.stats.RunningMoments().add([1.0, 2.0, 4.0]).std(ddof=0), 6)
        1.247219
        """
        return super().std(as_int(ddof, "ddof", minimum=0))


QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf")
RANK_METHODS = ("average", "min", "max", "dense", "ordinal")


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

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.stats.quantile([1.0, 2.0, 3.0, 4.0], 0.5)
    2.5
    >>> bq.stats.quantile([1.0, 2.0, 3.0], [0.5, 0.9], weights=[1, 1, 2])
    array([2., 3.])
    """
    xs = as_float_vector(x, "x")
    method = as_choice(method, "method", QUANTILE_METHODS)
    qs_in = as_float_array(q, "q")
    scalar = qs_in.ndim == 0
    qs = np.atleast_1d(qs_in)
    if qs.ndim != 1:
        raise InvalidArgumentError(f"argument 'q': expected a number or a 1-D list of numbers, got shape {qs.shape}")
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

    Parameters
    ----------
    x : 1-D array-like of finite numbers
        A pandas Series gives a Series with the same index and name.
    method : {"average", "min", "max", "dense", "ordinal"}
        How ties rank: their mean rank, the lowest, the highest, consecutive integers over the
        distinct values, or by position.

    Returns
    -------
    numpy.ndarray of float64, or pandas.Series for a Series

    Examples
    --------
    >>> import bankquant as bq, pandas as pd
    >>> bq.stats.rankdata([0, 2, 3, 2])
    array([1. , 2.5, 4. , 2.5])
    >>> bq.stats.rankdata(pd.Series([3, 1, 3], index=["a", "b", "c"]), method="min")
    a    2.0
    b    1.0
    c    2.0
    dtype: float64
    """
    ranks = _core.core.rank(as_float_vector(x, "x"), as_choice(method, "method", RANK_METHODS))
    if isinstance(x, pd.Series):
        return pd.Series(ranks, index=x.index, name=x.name)
    return ranks
