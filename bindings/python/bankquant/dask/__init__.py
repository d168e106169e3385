"""bankquant on Dask: scale-out for data and work that outgrow one machine.

Analysts already run Dask; bankquant plugs into it instead of running a cluster of its own. Every
function here cuts the work into tasks that call the one-machine function (or its C++ core) on a
worker, and merges the results exactly, so a result equals the single-machine call's for the same
inputs and seed, on any number of workers:

- scoring: :func:`score` applies a fitted scorecard partition by partition (``map_partitions``);
  :func:`fit_binner` fits a Binner from pre-bin counts merged across partitions (data that does
  not fit in one machine's memory), with the bins of a one-machine fit on the same pre-bins (by
  default the one-machine quantile pre-bins, found exactly);
- market risk: :func:`monte_carlo_var_es` simulates blocks of the core's reproducible random
  streams on the workers and merges their loss tails into the one-machine VaR and ES, to the bit;
- forecasting and staffing: :func:`forecast` splits the long frame by ``unique_id``;
  :func:`solve_rosters` solves many branches' rosters at once;
- portfolios: :func:`advise_many` (thousands of clients' allocations) and :func:`grid_backtest`
  (backtest parameter grids);
- graphs: :func:`map_windows` and :func:`map_edge_groups` build and mine one graph per time window
  or per community on the workers. One graph's algorithms (PageRank, Leiden, cycles, alerts over
  the whole CSR graph) stay on one machine: they read all of it. One machine of 24 GiB holds a
  graph of about 400 million transfers: 52 bytes per edge built from string account ids, 68 at
  the peak of screening it (measured on 2M transfers, ``benchmarks/dask_scale_out.py``).

Fitted bankquant objects (scorecards, binners, advisers, rosters, results) pickle, so they travel
to the workers. Each function takes ``client=``; by default it runs on Dask's current scheduler:
the default ``distributed.Client`` if one exists, else Dask's local threads.

The same code on a real cluster
-------------------------------
Start a scheduler on one machine and workers on the others (each needs the same bankquant, numpy,
pandas and dask versions)::

    dask-scheduler --host 10.0.0.1 --port 8786                        # on the scheduler machine
    dask-worker tcp://10.0.0.1:8786 --nworkers 1 --nthreads 8         # on each worker machine

and connect to it instead of a LocalCluster; nothing else changes::

    from distributed import Client
    client = Client("tcp://10.0.0.1:8786")
    r = bq.dask.monte_carlo_var_es(w, cov, 0.99, n_scenarios=100_000_000, client=client)

One worker process per machine with ``--nthreads`` equal to its cores lets bankquant's own threads
(``bq.set_num_threads``) share the machine; on a LocalCluster with one thread per worker, set
``bq.set_num_threads(1)`` on the workers (``client.run(bq.set_num_threads, 1)``) so processes do not
oversubscribe the cores. Read the data on the workers (``dd.read_parquet`` of shared storage)
rather than sending it from the client.

Examples
--------
>>> import dask, numpy as np, bankquant as bq
>>> with dask.config.set(scheduler="sync"):          # a distributed.Client works the same way
...     r = bq.dask.monte_carlo_var_es([1.0], np.eye(1), 0.99, n_scenarios=10_000, n_blocks=2)
>>> r.var == bq.risk.monte_carlo_var_es([1.0], np.eye(1), 0.99, n_scenarios=10_000).var
True
"""
from __future__ import annotations

from ._forecast import forecast, solve_rosters
from ._graph import map_edge_groups, map_windows
from ._portfolio import advise_many, grid_backtest
from ._risk import monte_carlo_var_es
from ._scorecard import fit_binner, score

__all__ = [
    "score",
    "fit_binner",
    "monte_carlo_var_es",
    "forecast",
    "solve_rosters",
    "advise_many",
    "grid_backtest",
    "map_windows",
    "map_edge_groups",
]
