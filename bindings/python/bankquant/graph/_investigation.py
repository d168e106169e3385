"""Investigation tools on TransactionGraph: ego networks, subgraphs, money paths, centralities.

A mixin of :class:`~bankquant.graph.TransactionGraph`, kept apart so ``_graph.py`` stays short.
The numerics are in C++ (``bankquant/graph/neighbourhood.hpp`` and ``centrality.hpp``); each
method converts its arguments, calls C++ with the GIL released and labels the result with the
original node ids.
"""
from __future__ import annotations

import datetime as _dt
from typing import Optional

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_bool, as_choice, as_float, as_int, as_int_vector, as_seed, describe, fail
from ..exceptions import warn_if_not_converged

_g = _core.graph
DIRECTIONS = tuple(_g.DIRECTIONS)
_BETWEENNESS = _g.BetweennessOptions()
_CLOSENESS = _g.ClosenessOptions()
_EIGENVECTOR = _g.EigenvectorOptions()
_HITS = _g.HitsOptions()
_LABELS = _g.LabelPropagationOptions()
_EGO = _g.EgoOptions()
_PATH = _g.MoneyPathOptions()
ORIGINAL_EDGE = "original_edge"


class InvestigationMixin:
    """Methods of TransactionGraph that work one alert: its neighbourhood, its money paths, and
    the centralities of the accounts in it."""

    # ------------------------------------------------------------------------------ helpers
    def _time_point(self, value, name: str) -> Optional[int]:
        """A point in time in the graph's units: a datetime (or string) for datetime timestamps,
        an integer otherwise; None stays None."""
        if value is None:
            return None
        if not self._datetime:
            if isinstance(value, (str, _dt.datetime, _dt.date, pd.Timestamp, np.datetime64)):
                fail(name, f"this graph's timestamps are integers; give {name} as one, got {describe(value)}")
            return as_int(value, name)
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (str, _dt.date, pd.Timestamp, np.datetime64)):
            fail(name, f"expected a datetime (this graph's timestamps are datetimes), got {describe(value)}")
        try:
            t = pd.Timestamp(value)
        except (ValueError, TypeError) as error:
            fail(name, f"expected a datetime, got {describe(value)} ({error})")
        if t is pd.NaT:
            fail(name, "expected a datetime, got NaT")
        if self._time.kind == "aware":
            t = t.tz_localize(self._time.tz) if t.tzinfo is None else t
            return int(t.tz_convert("UTC").value)
        if t.tzinfo is not None:
            fail(name, f"this graph's timestamps are naive datetimes, got the tz-aware {t}")
        return int(t.value)

    def _span(self, start, end, window, what: str):
        """(start, end) in graph units from start/end points and an optional duration that
        extends start forward or end backward."""
        s, e = self._time_point(start, "start"), self._time_point(end, "end")
        if window is not None:
            w = self._window(window)
            if s is not None and e is not None:
                fail("window", f"give {what} two of start, end and window, not all three")
            if s is None and e is None:
                fail("window", "give start or end with it (the window runs from start, or up to end)")
            if s is not None:
                e = s + w
            else:
                s = e - w
        if s is not None and e is not None and e < s:
            fail("end", f"expected end at or after start, got {describe(end)} before {describe(start)}")
        return s, e

    def _node_code(self, node, name: str) -> int:
        if isinstance(node, (list, tuple, np.ndarray, pd.Series, pd.Index)):
            fail(name, f"expected one node id, got {describe(node)}")
        return int(self._codes(node, name)[0])

    def _from_subgraph(self, sub):
        """A TransactionGraph of a C++ Subgraph: the original node ids, the edge attributes, and the
        original edge id of each transfer as the ``original_edge`` attribute (kept through nesting)."""
        edges = np.asarray(sub.edges, dtype=np.int64)
        attrs = self._attrs.iloc[edges].reset_index(drop=True)
        if ORIGINAL_EDGE not in attrs:
            attrs[ORIGINAL_EDGE] = edges
        return type(self)(sub.graph, self.node_ids[np.asarray(sub.nodes, dtype=np.int64)], self._time, attrs)

    def _per_node(self, values, name: str) -> pd.Series:
        return pd.Series(np.asarray(values), index=pd.Index(self.node_ids, name="node"), name=name)

    # -------------------------------------------------------------------------- subgraphs
    def ego_network(self, node, radius: int = _EGO.radius, direction: str = _EGO.direction, *, start=None,
                    end=None, window=None, max_degree: Optional[int] = None, stop_at=None):
        """The accounts within ``radius`` transfers of ``node`` and every transfer among them.

        C++ ``bankquant/graph/neighbourhood.hpp`` (networkx's ``ego_graph``, induced subgraph).

        Parameters
        ----------
        node : node id
            The centre, e.g. the account of an alert.
        radius : int, default 1
            Transfers from the centre, 0 or more.
        direction : {"both", "out", "in"}
            Walk along transfers ("out": whom it paid, and onwards), against them ("in": who paid
            it) or either way.
        start, end : datetime or int, optional
            Only transfers in [start, end] are walked and kept (the graph's time type).
        window : duration or int, optional
            With ``start`` or ``end``: the other end of the time range (``"3D"``).
        max_degree : int, optional
            Hubs are reached but not walked through: an account with more transfers than this
            (sent plus received, in the time range) is kept with its transfers to the accounts
            reached, without its other counterparties — at radius 2, a merchant would otherwise
            bring in all its shoppers. Default: no limit (networkx's ``ego_graph``).
        stop_at : sequence of node ids, optional
            Accounts reached but not walked through, e.g. known hubs (merchants, payroll). The
            centre is always walked.

        Returns
        -------
        TransactionGraph
            With the original node ids, the edge attributes and the original edge id of each
            transfer in the ``original_edge`` column of :meth:`edges`.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "x"], ["b", "c", "d", "a"])
        >>> ego = g.ego_network("b", radius=1)
        >>> ego.node_ids.tolist(), ego.edges()["original_edge"].tolist()
        (['a', 'b', 'c'], [0, 1])
        >>> g.ego_network("a", radius=2, stop_at=["b"]).node_ids.tolist()
        ['a', 'b', 'x']
        """
        code = self._node_code(node, "node")
        s, e = self._span(start, end, window, "ego_network")
        stops = [] if stop_at is None else self._codes(stop_at, "stop_at").tolist()
        limit = 0 if max_degree is None else as_int(max_degree, "max_degree", minimum=1)
        options = _g.EgoOptions(radius=as_int(radius, "radius", minimum=0),
                                direction=as_choice(direction, "direction", DIRECTIONS), start=s, end=e,
                                max_degree=limit, stop_at=stops)
        return self._from_subgraph(_g.ego_network(self._core, code, options))

    def subgraph(self, nodes=None, edges=None, *, start=None, end=None, window=None):
        """The transfers that pass every filter given, as a new graph.

        C++ ``bankquant/graph/neighbourhood.hpp``.

        Parameters
        ----------
        nodes : sequence of node ids, optional
            Keep transfers between these accounts (the induced subgraph); the accounts are all
            kept, also those without a transfer left.
        edges : sequence of int, optional
            Keep these transfers (edge ids, the ``edge`` column of :meth:`edges`).
        start, end : datetime or int, optional
            Keep transfers in [start, end].
        window : duration or int, optional
            With ``start`` or ``end``: the other end of the time range.

        Returns
        -------
        TransactionGraph
            With the original node ids and edge attributes; ``edges()["original_edge"]`` is the
            edge id of each transfer in this graph. Without ``nodes``, its accounts are the ends
            of the kept transfers.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges([1, 2, 3], [2, 3, 1], timestamp=[10, 20, 30])
        >>> g.subgraph(start=15).edges()[["src", "dst", "original_edge"]].values.tolist()
        [[2, 3, 1], [3, 1, 2]]
        """
        options = {}
        if nodes is not None:
            options["nodes"] = self._codes(nodes, "nodes")
        if edges is not None:
            ids = as_int_vector(list(edges) if not isinstance(edges, (np.ndarray, pd.Series)) else edges, "edges")
            options["edges"] = ids
        s, e = self._span(start, end, window, "subgraph")
        return self._from_subgraph(_g.subgraph(self._core, _g.SubgraphOptions(start=s, end=e, **options)))

    # ------------------------------------------------------------------------ money paths
    def _path_options(self, start, end, max_hops, min_amount, strictly_increasing):
        s, e = self._span(start, end, None, "money_path")
        return _g.MoneyPathOptions(start=s, end=e, max_hops=0 if max_hops is None else as_int(max_hops, "max_hops",
                                                                                              minimum=1),
                                   min_amount=as_float(min_amount, "min_amount", minimum=0),
                                   strictly_increasing=as_bool(strictly_increasing, "strictly_increasing"))

    def money_path(self, source, target, start=None, max_hops: Optional[int] = None, *, end=None,
                   min_amount: float = _PATH.min_amount,
                   strictly_increasing: bool = _PATH.strictly_increasing) -> pd.DataFrame:
        """How money from ``source`` can reach ``target`` earliest, transfer by transfer.

        A time-respecting path (C++ ``bankquant/graph/neighbourhood.hpp``): each transfer at or
        after the one before (strictly after with ``strictly_increasing``); among the paths that
        arrive earliest, one with the fewest transfers.

        Parameters
        ----------
        source, target : node id
        start : datetime or int, optional
            The first transfer at or after this time (e.g. the start of an alert).
        max_hops : int, optional
            Transfers at most (default: no limit).
        end : datetime or int, optional
            Transfers after this time are ignored.
        min_amount : float, default 0
            Each transfer of at least this amount.
        strictly_increasing : bool, default False

        Returns
        -------
        pandas.DataFrame
            The transfers in order, as :meth:`edges` shows them, with a ``hop`` column (0 first).
            Empty when there is no such path; ``frame.attrs["message"]`` says what was found or
            why nothing, ``frame.attrs["found"]`` whether money can reach the target.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "a"], ["b", "c", "c"], amount=[9.0, 8.5, 1.0],
        ...                                          timestamp=[1, 2, 5])
        >>> g.money_path("a", "c")[["src", "dst", "timestamp"]].values.tolist()
        [['a', 'b', 1], ['b', 'c', 2]]
        >>> g.money_path("c", "a").attrs["message"]
        'no time-respecting path'
        """
        s_code, t_code = self._node_code(source, "source"), self._node_code(target, "target")
        options = self._path_options(start, end, max_hops, min_amount, strictly_increasing)
        path = _g.money_path(self._core, s_code, t_code, options)
        frame = self.edges(np.asarray(path.edges, dtype=np.int64))
        frame.insert(0, "hop", np.arange(len(frame)))
        frame.attrs["found"] = bool(path.found)
        message = path.message
        if path.found and path.arrival is not None and self._datetime:  # the time as a datetime, not nanoseconds
            when = pd.Series(self._to_time([path.arrival])).iloc[0]
            message = f"arrives at {when} after {len(frame)} transfer{'' if len(frame) == 1 else 's'}"
        frame.attrs["message"] = message
        return frame

    def earliest_arrival(self, source, start=None, max_hops: Optional[int] = None, *, end=None,
                         min_amount: float = _PATH.min_amount,
                         strictly_increasing: bool = _PATH.strictly_increasing) -> pd.DataFrame:
        """When money from ``source`` can first reach each account (the search of
        :meth:`money_path`, to every account at once).

        Returns
        -------
        pandas.DataFrame
            Indexed by node id: ``arrival`` (the time of the last transfer of the earliest path;
            missing where money cannot arrive; ``start`` at the source) and ``hops`` (its
            transfers; -1 where unreached).

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b"], ["b", "c"], timestamp=[3, 1])
        >>> g.earliest_arrival("a")["hops"].tolist()
        [0, 1, -1]
        """
        code = self._node_code(source, "source")
        options = self._path_options(start, end, max_hops, min_amount, strictly_increasing)
        result = _g.earliest_arrival(self._core, code, options)
        hops = np.asarray(result.hops, dtype=np.int64)
        unknown = hops < 0
        if options.start is None:
            unknown[code] = True  # the source holds the money from any time on
        times = pd.Series(self._to_time(result.arrival))
        arrival = times.mask(unknown) if self._datetime else times.astype("Int64").mask(unknown)
        return pd.DataFrame({"arrival": arrival.array, "hops": hops},
                            index=pd.Index(self.node_ids, name="node"))

    # ------------------------------------------------------------------------ centralities
    def betweenness(self, *, directed: bool = _BETWEENNESS.directed, normalized: bool = _BETWEENNESS.normalized,
                    samples: Optional[int] = None, seed: int = _BETWEENNESS.seed) -> pd.Series:
        """Betweenness centrality of each account: the share of shortest paths through it.

        networkx's ``betweenness_centrality`` (Brandes 2001) on the simple graph (one link per
        ordered pair, self-loops left out), exact or estimated from ``samples`` random sources.

        Parameters
        ----------
        directed : bool, default True
            Paths along transfers; False: either way (networkx on the undirected graph).
        normalized : bool, default True
            Divided by (n-1)(n-2), as networkx.
        samples : int, optional
            Source pivots (Brandes & Pich 2007), the sum rescaled by n / samples; default: every
            account (exact). Unlike networkx 2.8.8 the rescaling applies also when not normalised.
        seed : int, default 0
            Draws the pivots; the same seed gives the same result on any number of threads.

        Returns
        -------
        pandas.Series
            Indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c"], ["b", "c", "d"])
        >>> g.betweenness(normalized=False).tolist()
        [0.0, 2.0, 2.0, 0.0]
        """
        options = _g.BetweennessOptions(directed=as_bool(directed, "directed"),
                                        normalized=as_bool(normalized, "normalized"),
                                        samples=0 if samples is None else as_int(samples, "samples", minimum=1),
                                        seed=as_seed(seed))
        return self._per_node(_g.betweenness(self._core, options).scores, "betweenness")

    def closeness(self, *, direction: str = _CLOSENESS.direction,
                  wf_improved: bool = _CLOSENESS.wf_improved) -> pd.Series:
        """Closeness centrality: (r - 1) / (sum of distances to the r - 1 accounts reached).

        networkx's ``closeness_centrality``, with Wasserman and Faust's scaling by the share of
        accounts reached (``wf_improved``) for graphs in several pieces.

        Parameters
        ----------
        direction : {"in", "out", "both"}
            "in": distances *to* the account (networkx's choice on a directed graph), "out": from
            it, "both": either way.
        wf_improved : bool, default True

        Returns
        -------
        pandas.Series
            Indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b"], ["b", "c"])
        >>> g.closeness(direction="out", wf_improved=False).round(3).tolist()
        [0.667, 1.0, 0.0]
        """
        options = _g.ClosenessOptions(direction=as_choice(direction, "direction", DIRECTIONS),
                                      wf_improved=as_bool(wf_improved, "wf_improved"))
        return self._per_node(_g.closeness(self._core, options), "closeness")

    def eigenvector_centrality(self, *, directed: bool = _EIGENVECTOR.directed, weighted: bool = _EIGENVECTOR.weighted,
                               tolerance: float = _EIGENVECTOR.tolerance,
                               max_iterations: int = _EIGENVECTOR.max_iterations) -> pd.Series:
        """Eigenvector centrality: an account is central when central accounts pay it.

        networkx's ``eigenvector_centrality`` (power iteration on A' + I from a uniform start,
        unit Euclidean norm; in-links on a directed graph). Warns (ConvergenceWarning) when
        ``max_iterations`` stops it.

        Parameters
        ----------
        directed : bool, default True
            False: the undirected simple graph.
        weighted : bool, default False
            Links weigh their summed amounts.
        tolerance : float, default 1e-6
            Stop when the L1 change is below n * tolerance (networkx's rule and default).
        max_iterations : int, default 1000

        Returns
        -------
        pandas.Series
            Indexed by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c"], ["b", "c", "a"])
        >>> g.eigenvector_centrality().round(4).tolist()
        [0.5774, 0.5774, 0.5774]
        """
        options = _g.EigenvectorOptions(directed=as_bool(directed, "directed"), weighted=as_bool(weighted, "weighted"),
                                        tolerance=tolerance, max_iterations=max_iterations)
        result = _g.eigenvector_centrality(self._core, options)
        warn_if_not_converged(result.status, "eigenvector_centrality")
        return self._per_node(result.scores, "eigenvector_centrality")

    def hits(self, *, weighted: bool = _HITS.weighted, tolerance: float = _HITS.tolerance,
             max_iterations: int = _HITS.max_iterations) -> pd.DataFrame:
        """Hubs and authorities (Kleinberg 1999): a hub pays many authorities, an authority is
        paid by many hubs (a collector account).

        networkx's ``hits`` by power iteration (its ``_hits_python``), each score summing to 1.
        Warns (ConvergenceWarning) when ``max_iterations`` stops it.

        Parameters
        ----------
        weighted : bool, default False
            Links weigh their summed amounts.
        tolerance : float, default 1e-8
            Stop when the L1 change of the hub scores is below (networkx's default).
        max_iterations : int, default 1000

        Returns
        -------
        pandas.DataFrame
            Indexed by node id, columns ``hub`` and ``authority``.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "a", "b"], ["c", "d", "c"])
        >>> g.hits().round(3)["authority"].tolist()
        [0.0, 0.0, 0.618, 0.382]
        """
        options = _g.HitsOptions(weighted=as_bool(weighted, "weighted"), tolerance=tolerance,
                                 max_iterations=max_iterations)
        result = _g.hits(self._core, options)
        warn_if_not_converged(result.status, "hits")
        return pd.DataFrame({"hub": result.hubs, "authority": result.authorities},
                            index=pd.Index(self.node_ids, name="node"))

    def triangles(self) -> pd.Series:
        """Triangles through each account on the undirected simple graph (networkx's ``triangles``).

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"])
        >>> g.triangles().tolist()
        [1, 1, 1, 0]
        """
        return self._per_node(np.asarray(_g.triangles(self._core), dtype=np.int64), "triangles")

    def clustering(self) -> pd.Series:
        """Local clustering coefficient of each account, 2 t / (d (d - 1)) with t triangles and d
        distinct counterparties (networkx's ``clustering`` on the undirected simple graph).

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "c"], ["b", "c", "a", "d"])
        >>> g.clustering().round(3).tolist()
        [1.0, 1.0, 0.333, 0.0]
        """
        return self._per_node(_g.clustering(self._core), "clustering")

    def average_clustering(self) -> float:
        """Mean local clustering over all accounts, zeros included (networkx's ``average_clustering``)."""
        return float(_g.average_clustering(self._core))

    def transitivity(self) -> float:
        """3 x triangles / connected triples (networkx's ``transitivity``)."""
        return float(_g.transitivity(self._core))

    def label_propagation(self, seed: int = _LABELS.seed, *, weighted: bool = _LABELS.weighted,
                          max_iterations: int = _LABELS.max_iterations) -> pd.Series:
        """Communities by asynchronous label propagation (Raghavan et al. 2007), as networkx's
        ``asyn_lpa_communities``, on the undirected simple graph.

        Each pass visits the accounts in a random order; an account takes the label most frequent
        (heaviest, with ``weighted``) among its counterparties, keeping its own when it is among
        the best. Deterministic for a ``seed``, on any number of threads.

        Returns
        -------
        pandas.Series
            Community of each account (0.. in order of each community's first account), indexed
            by node id.

        Examples
        --------
        >>> import bankquant as bq
        >>> g = bq.graph.TransactionGraph.from_edges(["a", "b", "c", "x", "y"], ["b", "c", "a", "y", "z"])
        >>> g.label_propagation(seed=1).tolist()
        [0, 0, 0, 1, 1, 1]
        """
        options = _g.LabelPropagationOptions(seed=as_seed(seed), weighted=as_bool(weighted, "weighted"),
                                             max_iterations=max_iterations)
        result = _g.label_propagation(self._core, options)
        warn_if_not_converged(result.status, "label_propagation")
        return self._per_node(np.asarray(result.labels, dtype=np.int32), "community")
