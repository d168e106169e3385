"""Incremental FRAUDAR: the densest payer→payee block, kept up to date as links arrive."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from ..exceptions import InvalidArgumentError
from . import _inputs
from ._results import DenseBlock


class DenseBlockDetector:
    """The densest block of a payer→payee (account→merchant, account→device) link stream.

    Each :meth:`add` merges new links (repeats count once) and re-peels only the part of the
    greedy peeling order they can change; the result equals a fresh FRAUDAR peel of all links so
    far (see ``bankquant/graph/dense_blocks.hpp``). Ids are any hashable values; payers and payees
    are separate sides even when an id appears on both.

    Parameters
    ----------
    log_offset : float, default from the C++ ``DenseBlockOptions``
        c in the weight 1/log(c + d) of a link to a payee of degree d (camouflage resistance);
        0 switches it off (every link weighs 1).

    Examples
    --------
    >>> import bankquant as bq
    >>> detector = bq.graph.DenseBlockDetector(log_offset=0)
    >>> block = detector.add(["u1", "u1", "u2", "u2", "u3"], ["shop", "bar", "shop", "bar", "cafe"])
    >>> sorted(block.payers), sorted(block.payees)
    (['u1', 'u2'], ['bar', 'shop'])
    >>> detector.n_links
    5
    """

    def __init__(self, log_offset: float = _core.graph.DenseBlockOptions().log_offset):
        self.log_offset = log_offset
        self._core = _core.graph.DenseBlockDetector(0, _core.graph.DenseBlockOptions(log_offset=log_offset, min_size=1))
        self._index = pd.Index([], dtype=object)
        self._ids = np.zeros(0, dtype=object)

    def get_params(self, deep: bool = True) -> dict:
        """Parameters
        ----------
        deep : bool, default True
            Ignored (scikit-learn's signature).

        Returns
        -------
        dict

        Examples
        --------
        >>> import bankquant as bq
        >>> bq.graph.DenseBlockDetector(log_offset=0).get_params()
        {'log_offset': 0}
        """
        return {"log_offset": self.log_offset}

    @property
    def n_links(self) -> int:
        """Distinct payer–payee links so far."""
        return self._core.n_links

    @property
    def last_repeeled(self) -> int:
        """How many positions of the peeling order the last :meth:`add` re-peeled."""
        return self._core.last_repeeled

    def add(self, payers, payees) -> DenseBlock:
        """Adds links (two equal-length sequences of ids) and returns the densest block.

        Parameters
        ----------
        payers, payees : sequences of ids
            Equal length; one link each.

        Returns
        -------
        DenseBlock
            The densest block of every link so far.

        Examples
        --------
        >>> import bankquant as bq
        >>> detector = bq.graph.DenseBlockDetector(log_offset=0)
        >>> _ = detector.add(["u1", "u1", "u2"], ["shop", "bar", "shop"])
        >>> sorted(detector.add(["u2"], ["bar"]).payers)
        ['u1', 'u2']
        """
        p, q = _inputs.ids_of(payers, "payers"), _inputs.ids_of(payees, "payees")
        if len(p) != len(q):
            raise InvalidArgumentError(f"arguments 'payers' and 'payees': expected the same length, got {len(p)} and {len(q)}")
        ids = _inputs.ids_of(pd.concat([p.astype(object), q.astype(object)], ignore_index=True), "payees")
        _inputs.same_kind(self._ids, ids, "payers")
        codes = self._index.get_indexer(ids)
        new = pd.unique(ids[codes < 0])
        if len(new):
            codes[codes < 0] = len(self._index) + pd.Index(new).get_indexer(ids[codes < 0])
            self._index = self._index.append(pd.Index(new, dtype=object))
            self._ids = self._index.to_numpy()
        block = self._core.add_links(codes[:len(p)].astype(np.int32), codes[len(p):].astype(np.int32))
        return DenseBlock(block, self._ids)
