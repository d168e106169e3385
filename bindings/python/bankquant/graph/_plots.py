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
    """Draws the witness of an alert (a row of ``detect_patterns``/``to_alerts``, or edge ids).

    Accounts are laid out left to right by how far money has travelled to reach them (a circle
    for round trips); each witness transfer is an arrow labelled with its time rank and amount
    (parallel transfers curve apart).
    Up to ``context`` other counterparties of the focal accounts are drawn in grey around them, so
    an investigator sees what else the accounts do. Returns the matplotlib Axes.
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
