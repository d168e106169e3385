"""Drawing an alert's neighbourhood: who paid whom, how much, in which order."""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from ..exceptions import InvalidArgumentError


def _witness_layout(order, pairs):
    """Positions of the witness accounts: left to right by how many hops money has travelled to
    reach them (sources left, collectors right) when the flow has no cycle; a circle in the order
    money reaches them when it has (round trips)."""
    succ = {v: set() for v in order}
    indegree = {v: 0 for v in order}
    for s, d in set(pairs):
        if s != d and d not in succ[s]:
            succ[s].add(d)
            indegree[d] += 1
    layer, queue, seen = {v: 0 for v in order}, [v for v in order if indegree[v] == 0], 0
    remaining = dict(indegree)
    while queue:  # longest path from the sources (Kahn's order)
        v = queue.pop(0)
        seen += 1
        for w in succ[v]:
            layer[w] = max(layer[w], layer[v] + 1)
            remaining[w] -= 1
            if remaining[w] == 0:
                queue.append(w)
    if seen < len(order):  # a cycle: a circle in order of arrival
        k = len(order)
        return {v: (1.5 * k / np.pi * (1 - np.cos(2 * np.pi * i / k)) / 2, 1.8 * np.sin(2 * np.pi * i / k))
                for i, v in enumerate(order)}
    columns = {}
    for v in order:
        columns.setdefault(layer[v], []).append(v)
    position = {}
    for x, members in columns.items():
        for i, v in enumerate(members):
            position[v] = (2.2 * x, (i - (len(members) - 1) / 2) * 0.9)
    return position


def plot_alert(graph, alert, context: int = 12, ax=None):
    """Draws the witness of an alert.

    Accounts are laid out left to right by how far money has travelled to reach them (a circle
    for round trips); each witness transfer is an arrow labelled with its time rank and amount
    (parallel transfers curve apart). Up to ``context`` other counterparties of the focal accounts
    are drawn in grey around them, so an investigator sees what else the accounts do.

    Parameters
    ----------
    graph : TransactionGraph
    alert : pandas.Series, dict or list of edge ids
        A row of ``alerts``, ``detect_patterns`` or ``to_alerts`` (its ``edges`` are drawn), or the
        edge ids themselves.
    context : int, default 12
        Other counterparties drawn around the focal accounts.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib.pyplot as plt
    >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
    >>> g = bq.graph.TransactionGraph.from_edges(data.edges)
    >>> alert = g.alerts(budget=5).iloc[0]
    >>> print(bq.graph.plot_alert(g, alert).get_title())
    fraud_ring — account A000059
    2025-01-01 00:31:21 → 2025-01-30 21:18:24, 451 transfers, total 31,207
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    if isinstance(alert, (pd.Series, dict)):
        edge_ids = list(alert["edges"])
        title = f"{alert.get('typology', 'alert')} — account {alert.get('account', '')}"
    else:
        edge_ids = list(alert)
        title = "transfers"
    if not edge_ids:
        raise InvalidArgumentError("argument 'alert': no witness edges to draw")
    witness = graph.edges(edge_ids)
    if "timestamp" in witness:
        witness = witness.sort_values(["timestamp", "edge"], ignore_index=True)
    order = []
    for s, d in zip(witness["src"], witness["dst"]):
        for v in (s, d):
            if v not in order:
                order.append(v)
    # context: other transfers of the witness accounts, not in the witness
    all_edges = graph.edges()
    involved = set(order)
    others = all_edges[(all_edges["src"].isin(involved) | all_edges["dst"].isin(involved))
                       & ~all_edges["edge"].isin(edge_ids)]
    outside = pd.unique(np.concatenate([others["src"].to_numpy(), others["dst"].to_numpy()]))
    outside = [v for v in outside if v not in involved][:context]
    position = _witness_layout(order, list(zip(witness["src"], witness["dst"])))
    width_x = max(x for x, _ in position.values()) if position else 1
    for j, v in enumerate(outside):
        angle = 2 * np.pi * (j + 0.5) / max(len(outside), 1)
        position[v] = (width_x / 2 + (width_x / 2 + 1.2) * np.cos(angle), 2.6 * np.sin(angle))
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 1.3 * len(order) + 3), 5))
    shown = others[others["src"].isin(position) & others["dst"].isin(position)]
    for s, d in zip(shown["src"], shown["dst"]):
        ax.annotate("", xy=position[d], xytext=position[s],
                    arrowprops=dict(arrowstyle="-|>", color="0.8", lw=0.8, shrinkA=9, shrinkB=9))
    seen = {}
    top = witness["amount"].max() if len(witness) else 1.0
    for rank, row in enumerate(witness.itertuples(index=False), start=1):
        key = (row.src, row.dst)
        bend = 0.15 * seen.get(key, 0)
        seen[key] = seen.get(key, 0) + 1
        (x0, y0), (x1, y1) = position[row.src], position[row.dst]
        width = 1.0 + 3.0 * row.amount / top if top > 0 else 1.5
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), connectionstyle=f"arc3,rad={0.08 + bend}",
                                     arrowstyle="-|>", mutation_scale=14, color="tab:red", lw=width,
                                     shrinkA=10, shrinkB=10))
        # label a third of the way along, so labels of arrows into one collector do not pile up
        mx = x0 + (x1 - x0) * 0.38 + (0.08 + bend) * (y1 - y0) * 0.5
        my = y0 + (y1 - y0) * 0.38 - (0.08 + bend) * (x1 - x0) * 0.5
        ax.text(mx, my, f"#{rank}  {row.amount:,.0f}", fontsize=7, ha="center", va="center",
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="tab:red", lw=0.5))
    for v, (x, y) in position.items():
        core = v in involved
        ax.scatter([x], [y], s=420 if core else 160, color="tab:blue" if core else "0.85", zorder=3,
                   edgecolors="black" if core else "0.6")
        ax.text(x, y - (0.28 if core else 0.22), str(v), fontsize=8 if core else 7, ha="center", va="top")
    if "timestamp" in witness and len(witness):
        title += f"\n{witness['timestamp'].iloc[0]} → {witness['timestamp'].iloc[-1]}, " \
                 f"{len(witness)} transfers, total {witness['amount'].sum():,.0f}"
    ax.set_title(title, fontsize=10)
    ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()
    ax.margins(0.15)
    ax.axis("off")
    return ax


def plot_ego_network(ego, centre, path: Optional[pd.DataFrame] = None, max_accounts: int = 40, ax=None):
    """Draws an ego network: the centre in the middle, accounts one transfer away on the first ring,
    two away on the second, ...

    Arrows join payer and payee, as wide as the pair's summed amount.

    Parameters
    ----------
    ego : TransactionGraph
        A result of ``ego_network``.
    centre : account id
        The account in the middle.
    path : DataFrame, optional
        A money path (a frame of ``money_path`` on the graph the ego network came from), drawn in
        red over it.
    max_accounts : int, default 40
        Only the accounts with the largest flows to or from the rest are drawn (the path's
        accounts always).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import bankquant as bq, matplotlib.pyplot as plt
    >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
    >>> g = bq.graph.TransactionGraph.from_edges(data.edges)
    >>> a = g.alerts(budget=5).iloc[0]
    >>> ego = g.ego_network(a["account"], radius=1, start=a["start"], end=a["end"])
    >>> bq.graph.plot_ego_network(ego, a["account"]).get_title()
    'ego network of A000059: 33 accounts, 32 transfers'
    >>> plt.close("all")
    """
    import matplotlib.pyplot as plt

    if centre not in set(ego.node_ids):
        raise InvalidArgumentError(f"argument 'centre': {centre!r} is not an account of this ego network")
    # rings by hops: the ego networks of growing radius around the centre
    ring = {centre: 0}
    radius = 0
    while len(ring) < ego.n_nodes and radius < ego.n_nodes:
        radius += 1
        for v in ego.ego_network(centre, radius=radius).node_ids:
            ring.setdefault(v, radius)
    pairs = ego.aggregated()
    on_path = set(path["src"]) | set(path["dst"]) if path is not None and len(path) else set()
    flow = pd.concat([pairs.groupby("src")["amount"].sum(), pairs.groupby("dst")["amount"].sum()])
    flow = flow.groupby(level=0).sum()
    keep = set(flow.sort_values(ascending=False).index[:max_accounts]) | on_path | {centre}
    position = {}
    for r in range(radius + 1):
        members = sorted((v for v in keep if ring.get(v) == r), key=lambda v: -flow.get(v, 0))
        for i, v in enumerate(members):
            angle = 2 * np.pi * i / max(len(members), 1) + 0.3 * r
            position[v] = (r * np.cos(angle), r * np.sin(angle))
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 7))
    shown = pairs[pairs["src"].isin(position) & pairs["dst"].isin(position)]
    top = shown["amount"].max() if len(shown) else 1.0
    for row in shown.itertuples(index=False):
        ax.annotate("", xy=position[row.dst], xytext=position[row.src],
                    arrowprops=dict(arrowstyle="-|>", color="0.75", shrinkA=6, shrinkB=6,
                                    lw=0.5 + 2.5 * (row.amount / top if top > 0 else 0)))
    if path is not None and len(path):
        for rank, row in enumerate(path.itertuples(index=False), start=1):
            if row.src in position and row.dst in position:
                ax.annotate("", xy=position[row.dst], xytext=position[row.src],
                            arrowprops=dict(arrowstyle="-|>", color="tab:red", lw=2.5, shrinkA=6, shrinkB=6,
                                            connectionstyle="arc3,rad=0.12"))
                x = (position[row.src][0] + position[row.dst][0]) / 2
                y = (position[row.src][1] + position[row.dst][1]) / 2
                ax.text(x, y, f"#{rank} {row.amount:,.0f}", fontsize=7, color="tab:red", ha="center")
    for v, (x, y) in position.items():
        colour = "tab:red" if v == centre else ("tab:orange" if v in on_path else "tab:blue")
        ax.scatter([x], [y], s=300 if v == centre else 90, color=colour, zorder=3, edgecolors="black")
        if v == centre or v in on_path:
            ax.text(x, y - 0.09, str(v), fontsize=8, ha="center", va="top")
    hidden = ego.n_nodes - len(position)
    ax.set_title(f"ego network of {centre}: {ego.n_nodes} accounts, {ego.n_edges} transfers"
                 + (f" ({hidden} small accounts not drawn)" if hidden else ""), fontsize=10)
    ax.set_aspect("equal", adjustable="datalim")
    ax.margins(0.1)
    ax.axis("off")
    return ax
