"""Incremental FRAUDAR: the densest payer→payee block, kept up to date as links arrive."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from ..exceptions import InvalidArgumentError
from ._results import DenseBlock


class DenseBlockDetector:
    """The densest block of a payer→payee (account→merchant, account→device) link stream.

    Each :meth:`add` merges new links (repeats count once) and re-peels only the part of the
    greedy peeling order they can change; the result equals a fresh FRAUDAR peel of all links so
    far (see ``bankquant/graph/dense_blocks.hpp``). Ids are any hashable values; payers and payees
    are separate sides even when an id appears on both.

    >>> import bankquant as bq
    >>> detector = bq.graph.DenseBlockDetector(log_offset=0)
    >>> block = detector.add(["u1", "u1", "u2", "u2", "u3"], ["shop", "bar", "shop", "bar", "cafe"])
    >>> sorted(block.payers), sorted(block.payees)
    (['u1', 'u2'], ['bar', 'shop'])
    """

    def __init__(self, log_offset: float = 5.0):
        self._core = _core.graph.DenseBlockDetector(0, float(log_offset), 1)
        self._index = pd.Index([], dtype=object)
        self._ids = np.zeros(0, dtype=object)

    @property
    def n_links(self) -> int:
        """Distinct payer–payee links so far."""
        return self._core.n_links

    @property
    def last_repeeled(self) -> int:
        """How many positions of the peeling order the last :meth:`add` re-peeled."""
        return self._core.last_repeeled

    def add(self, payers, payees) -> DenseBlock:
        """Adds links (two equal-length sequences of ids) and returns the densest block."""
        p, q = pd.Series(np.asarray(payers, dtype=object)), pd.Series(np.asarray(payees, dtype=object))
        if len(p) != len(q):
            raise InvalidArgumentError(f"arguments 'payers' and 'payees': expected the same length, got {len(p)} and {len(q)}")
        if p.isna().any() or q.isna().any():
            raise InvalidArgumentError("arguments 'payers' and 'payees': missing ids")
        ids = pd.concat([p, q], ignore_index=True)
        codes = self._index.get_indexer(ids)
        new = pd.unique(ids[codes < 0])
        if len(new):
            codes[codes < 0] = len(self._index) + pd.Index(new).get_indexer(ids[codes < 0])
            self._index = self._index.append(pd.Index(new, dtype=object))
            self._ids = self._index.to_numpy()
        payer_codes, payee_codes, density, weight, links, lift = self._core.add_links(
            codes[:len(p)].astype(np.int32), codes[len(p):].astype(np.int32))
        return DenseBlock(self._ids[payer_codes], self._ids[payee_codes], density, weight, links, lift)
