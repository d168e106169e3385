"""Monte Carlo VaR/ES sharded over Dask workers, merged exactly (bankquant/risk/tail.hpp)."""
from __future__ import annotations

from typing import List

import numpy as np

from .. import _core
from .._validation import as_bool, as_float, as_float_matrix, as_float_vector, as_int, as_seed
from ..risk._common import aligned_by_label, levels_of
from ..risk._var import MonteCarloResult
from ._common import compute, delayed_call, n_parts_of, shared, split_evenly

_risk = _core.risk


def _block_tail(weights, cov, options, first: int, count: int, keep: int):
    """On a worker: the block's scenarios (the core's streams) and their `keep` largest losses."""
    block = _risk.monte_carlo_pnl_block(weights, cov, options, first, count)
    return _risk.loss_tail(block.pnl, keep)


def monte_carlo_blocks(n_scenarios: int, options, n_blocks: int) -> List[tuple]:
    """(first, count) of each block: whole random streams, as evenly as they divide."""
    size = _risk.monte_carlo_stream_block(options)
    streams = -(-n_scenarios // size)
    out = []
    for part in split_evenly(streams, max(1, min(n_blocks, streams))):
        first = part.start * size
        out.append((first, min(part.stop * size, n_scenarios) - first))
    return out


def monte_carlo_var_es(weights, cov, level=0.99, n_scenarios: int = 1_000_000, dist: str = "normal", seed: int = 0,
                       nu: float = 5.0, antithetic: bool = False, psd_repair: str = "error",
                       full_factor: bool = False, tile: int = 256, *, n_blocks=None, client=None) -> MonteCarloResult:
    """Monte Carlo VaR/ES of a linear portfolio with the scenarios simulated across Dask workers.

    Each worker draws its own block of scenarios from the core's reproducible streams (scenario
    ``i`` from stream ``i // 4096``, as :func:`bankquant.risk.monte_carlo_var_es` draws it) and
    sends back only its largest losses; the tails merge into the very VaR and ES one machine
    computes for the same seed, to the bit, for any number of blocks or workers (an exact
    mergeable summary, not an average of quantiles). A worker holds one block's P&L; the client
    ``n_blocks`` tails of about ``(1 - level) n_scenarios`` values each.

    Parameters
    ----------
    weights, cov, level, n_scenarios, dist, seed, nu, antithetic, psd_repair, full_factor, tile
        As :func:`bankquant.risk.monte_carlo_var_es`.
    n_blocks : int, optional
        Blocks of whole random streams to simulate as separate tasks (default: one per worker
        thread of the client, else 4). The figures do not depend on it.
    client : distributed.Client, optional
        Where to run (default: Dask's current scheduler, the default client if there is one).

    Returns
    -------
    MonteCarloResult
        ``var``, ``es`` (floats for a scalar level, else Series), ``table``, ``repaired``,
        ``repair_distance``; ``pnl`` is None (the scenarios stay on the workers).

    Examples
    --------
    >>> import numpy as np, dask, bankquant as bq
    >>> cov = np.array([[0.04, 0.006], [0.006, 0.09]])
    >>> with dask.config.set(scheduler="sync"):      # or a distributed.Client
    ...     r = bq.dask.monte_carlo_var_es([0.6, 0.4], cov, 0.99, n_scenarios=50_000, n_blocks=3)
    >>> one = bq.risk.monte_carlo_var_es([0.6, 0.4], cov, 0.99, n_scenarios=50_000)
    >>> r.var == one.var and r.es == one.es
    True
    """
    weights, cov = aligned_by_label(weights, cov)
    w = as_float_vector(weights, "weights")
    c = as_float_matrix(cov, "cov", square=True)
    scalar, levels = levels_of(level)
    n = as_int(n_scenarios, "n_scenarios", minimum=100)
    options = _risk.MonteCarloOptions(n_scenarios=n, dist=dist, nu=as_float(nu, "nu"), seed=as_seed(seed),
                                      antithetic=as_bool(antithetic, "antithetic"), psd_repair=psd_repair,
                                      full_factor=as_bool(full_factor, "full_factor"),
                                      tile=as_int(tile, "tile", minimum=1))
    keep = _risk.tail_size(n, levels)  # checks the levels against n_scenarios, naming 'level'
    # One scenario here checks weights, cov and the options on the client, naming the argument.
    probe = _risk.monte_carlo_pnl_block(w, c, options, 0, 1)
    blocks = monte_carlo_blocks(n, options, n_parts_of(n_blocks, n, client, "n_blocks"))
    w_, c_, o_ = shared(w), shared(c), shared(options)
    tails = compute([delayed_call(_block_tail, w_, c_, o_, first, count, keep) for first, count in blocks], client)
    table = _risk.tail_var_es(_risk.merge_tails(tails, keep), levels)
    # Result records have no keyword constructor; they are built the way pickle builds them.
    raw = _risk.MonteCarloResult.__new__(_risk.MonteCarloResult)
    raw.__setstate__({"estimates": table, "pnl": np.zeros(0), "repaired": probe.repaired,
                      "repair_distance": probe.repair_distance})
    return MonteCarloResult(raw, scalar, False)
