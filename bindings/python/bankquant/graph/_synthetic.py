"""Synthetic transfer data with injected, labelled laundering patterns, and alert evaluation."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
import pandas as pd

from ..exceptions import InvalidArgumentError

SYNTHETIC_TYPOLOGIES = ("cycle", "fan_in", "fan_out", "scatter_gather", "gather_scatter", "stack", "structuring",
                        "dense_block", "fraud_ring")
_HOUR, _DAY = 3600, 86_400


@dataclass
class SyntheticTransactions:
    """``edges``: src, dst, amount, timestamp (datetime), pattern (−1 for background) and typology
    ('' for background), sorted by time; ``truth``: one row per injected pattern with its typology,
    accounts and edge ids (row positions in ``edges``); ``customers``: one KYC record per account
    (phone, device, email) for entity resolution."""

    edges: pd.DataFrame
    truth: pd.DataFrame
    customers: pd.DataFrame

    @property
    def fraud_accounts(self) -> np.ndarray:
        return np.unique(np.concatenate(self.truth["accounts"].to_numpy())) if len(self.truth) else np.zeros(0, dtype=object)


def synthetic_transactions(n_accounts: int = 10_000, n_edges: int = 100_000, typologies: Optional[Sequence[str]] = None,
                           n_patterns: int = 10, days: int = 90, start: str = "2025-01-01",
                           seed: int = 0) -> SyntheticTransactions:
    """A heavy-tailed background of transfers with injected, labelled laundering patterns.

    Background: account activity follows a Zipf-like law (a few very busy accounts, many quiet
    ones), amounts are log-normal, times uniform over ``days``. Injected, ``n_patterns`` of each
    typology (the typologies of published synthetic AML data such as IBM's AMLworld, Altman et
    al. 2023): ``cycle`` (3–6 hops back to the payer within days, a small fee per hop), ``fan_in``
    and ``fan_out`` (8–15 counterparties within 2 days), ``scatter_gather`` and ``gather_scatter``
    (6–10 mules), ``stack`` (layering chains of 4–6 hops), ``structuring`` (4–7 payments just below
    10,000 within 3 days), ``dense_block`` (40–60 accounts nearly all paying the same 15–25 payees,
    like bots faking activity at colluding merchants: FRAUDAR's target) and ``fraud_ring`` (10–15 accounts transacting among themselves). Pattern accounts are
    drawn from the ordinary accounts, so they also carry background traffic (camouflage).

    >>> import bankquant as bq
    >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, n_edges=10_000, n_patterns=2, seed=1)
    >>> sorted(data.truth["typology"].unique())[:3]
    ['cycle', 'dense_block', 'fan_in']
    """
    names = list(SYNTHETIC_TYPOLOGIES) if typologies is None else list(typologies)
    unknown = [t for t in names if t not in SYNTHETIC_TYPOLOGIES]
    if unknown:
        raise InvalidArgumentError(f"argument 'typologies': unknown {unknown}; choose from {list(SYNTHETIC_TYPOLOGIES)}")
    for name, value, low in [("n_accounts", n_accounts, 100), ("n_edges", n_edges, 1), ("n_patterns", n_patterns, 0),
                             ("days", days, 14)]:
        if not isinstance(value, (int, np.integer)) or value < low:
            raise InvalidArgumentError(f"argument '{name}': expected an integer >= {low}, got {value!r}")
    needed = n_patterns * 30 * len(names)
    if needed > n_accounts // 2:
        raise InvalidArgumentError(f"argument 'n_accounts': {n_accounts} accounts are too few for {n_patterns} patterns of "
                                   f"{len(names)} typologies (need at least {2 * needed})")
    rng = np.random.default_rng(seed)
    horizon = days * _DAY
    weights = 1.0 / np.arange(1, n_accounts + 1) ** 0.8
    weights /= weights.sum()
    src = rng.choice(n_accounts, n_edges, p=weights)
    dst = rng.choice(n_accounts, n_edges, p=rng.permutation(weights))
    loops = src == dst
    dst[loops] = (dst[loops] + 1) % n_accounts
    rows = [pd.DataFrame({"src": src, "dst": dst, "amount": np.round(rng.lognormal(5.0, 1.2, n_edges), 2),
                          "t": rng.integers(0, horizon, n_edges), "pattern": -1, "typology": ""})]
    # pattern accounts: quiet accounts (outside the busiest 5%), each used once
    pool = rng.permutation(np.arange(n_accounts // 20, n_accounts))
    cursor = 0

    def take(k: int) -> np.ndarray:
        nonlocal cursor
        out = pool[cursor:cursor + k]
        cursor += k
        return out

    truth = []
    pid = 0
    for typology in names:
        for _ in range(n_patterns):
            t0 = int(rng.integers(0, horizon - 10 * _DAY))
            s, d, a, t = _pattern(typology, rng, take, t0)
            rows.append(pd.DataFrame({"src": s, "dst": d, "amount": np.round(a, 2), "t": t, "pattern": pid,
                                      "typology": typology}))
            truth.append((pid, typology, np.unique(np.concatenate([s, d]))))
            pid += 1
    edges = pd.concat(rows, ignore_index=True)
    edges = edges.sort_values(["t"], kind="stable", ignore_index=True)
    origin = pd.Timestamp(start)
    frame = pd.DataFrame({"src": [f"A{i:06d}" for i in edges["src"]], "dst": [f"A{i:06d}" for i in edges["dst"]],
                          "amount": edges["amount"].to_numpy(),
                          "timestamp": origin + pd.to_timedelta(edges["t"].to_numpy(), unit="s"),
                          "pattern": edges["pattern"].to_numpy(), "typology": edges["typology"].to_numpy()})
    by_pattern = frame.index.to_series().groupby(frame["pattern"]).apply(list)
    truth_frame = pd.DataFrame({
        "pattern": [p for p, _, _ in truth],
        "typology": [ty for _, ty, _ in truth],
        "accounts": [[f"A{i:06d}" for i in acc] for _, _, acc in truth],
        "edges": [by_pattern.get(p, []) for p, _, _ in truth]})
    return SyntheticTransactions(frame, truth_frame, _customers(n_accounts, truth, rng))


def _customers(n_accounts: int, truth, rng: np.random.Generator) -> pd.DataFrame:
    """KYC records: own phone, device and email per account, with the sharing seen in practice —
    households (pairs sharing a phone), a call-centre number many customers give (a hub), and
    fraud rings and dense blocks run from a few shared devices."""
    phone = np.array([f"+44 7{i:09d}" for i in range(n_accounts)], dtype=object)
    device = np.array([f"dev-{i:07d}" for i in range(n_accounts)], dtype=object)
    email = np.array([f"user{i}@mail.example" for i in range(n_accounts)], dtype=object)
    households = rng.choice(n_accounts, (n_accounts // 40, 2), replace=False)
    phone[households[:, 1]] = phone[households[:, 0]]
    phone[rng.choice(n_accounts, n_accounts // 50, replace=False)] = "+44 800 000000"  # call centre
    device[rng.random(n_accounts) < 0.1] = None  # device unknown
    for pid, typology, accounts in truth:
        if typology in ("fraud_ring", "dense_block"):
            shared = [f"dev-ring-{pid}-{k}" for k in range(max(2, len(accounts) // 6))]  # a handful of phones
            device[accounts] = rng.choice(shared, len(accounts))
            email[accounts[: min(5, len(accounts) // 3)]] = f"ring{pid}@mail.example"
    return pd.DataFrame({"account": [f"A{i:06d}" for i in range(n_accounts)], "phone": phone, "device": device,
                         "email": email})


def _pattern(typology: str, rng: np.random.Generator, take, t0: int):
    """Edges (src, dst, amount, time) of one injected pattern."""
    if typology == "cycle":
        k = int(rng.integers(3, 7))
        acc = take(k)
        amount = rng.uniform(5_000, 50_000) * np.cumprod(np.r_[1.0, rng.uniform(0.95, 0.99, k - 1)])
        times = t0 + np.cumsum(rng.integers(_HOUR, _DAY, k))
        return acc, np.roll(acc, -1), amount, times
    if typology in ("fan_in", "fan_out"):
        k = int(rng.integers(8, 16))
        hub, others = take(1), take(k)
        times = t0 + np.sort(rng.integers(0, 2 * _DAY, k))
        amount = rng.uniform(500, 5_000, k)
        hubs = np.repeat(hub, k)
        return (others, hubs, amount, times) if typology == "fan_in" else (hubs, others, amount, times)
    if typology == "scatter_gather":
        k = int(rng.integers(6, 11))
        source, mules, target = take(1), take(k), take(1)
        t1 = t0 + rng.integers(0, _DAY, k)
        t2 = t1 + rng.integers(_HOUR, 2 * _DAY, k)
        a1 = rng.uniform(2_000, 9_000, k)
        return (np.r_[np.repeat(source, k), mules], np.r_[mules, np.repeat(target, k)], np.r_[a1, a1 * 0.97],
                np.r_[t1, t2])
    if typology == "gather_scatter":
        k1, k2 = int(rng.integers(6, 11)), int(rng.integers(6, 11))
        sources, hub, targets = take(k1), take(1), take(k2)
        t1 = t0 + np.sort(rng.integers(0, int(1.5 * _DAY), k1))
        t2 = t1.max() + rng.integers(_HOUR, int(1.5 * _DAY), k2)
        a1 = rng.uniform(2_000, 9_000, k1)
        return (np.r_[sources, np.repeat(hub, k2)], np.r_[np.repeat(hub, k1), targets],
                np.r_[a1, np.full(k2, a1.sum() * 0.97 / k2)], np.r_[t1, t2])
    if typology == "stack":
        k = int(rng.integers(4, 7))
        acc = take(k + 1)
        amount = rng.uniform(10_000, 80_000) * np.cumprod(np.r_[1.0, rng.uniform(0.92, 0.99, k - 1)])
        times = t0 + np.cumsum(rng.integers(_HOUR, 2 * _DAY, k))
        return acc[:-1], acc[1:], amount, times
    if typology == "structuring":
        k = int(rng.integers(4, 8))
        payer, payees = take(1), take(int(rng.integers(2, 5)))
        times = t0 + np.sort(rng.integers(0, 3 * _DAY, k))
        return np.repeat(payer, k), rng.choice(payees, k), rng.uniform(9_000, 9_990, k), times
    if typology == "dense_block":
        accounts, payees = take(int(rng.integers(40, 61))), take(int(rng.integers(15, 26)))
        pairs = np.array([(a, b) for a in accounts for b in payees if rng.random() < 0.9])
        times = t0 + rng.integers(0, 30 * _DAY, len(pairs)) - 20 * _DAY
        return pairs[:, 0], pairs[:, 1], rng.uniform(20, 200, len(pairs)), np.maximum(times, 0)
    if typology == "fraud_ring":
        k = int(rng.integers(10, 16))
        acc = take(k)
        m = 4 * k
        first = rng.integers(0, k, m)
        second = (first + rng.integers(1, k, m)) % k  # never the same account
        s, d = acc[first], acc[second]
        return s, d, rng.uniform(1_000, 20_000, m), t0 + rng.integers(0, 10 * _DAY, m)
    raise InvalidArgumentError(f"argument 'typologies': unknown typology {typology!r}")


def evaluate(alerts: pd.DataFrame, truth: pd.DataFrame, min_overlap: float = 0.5) -> pd.DataFrame:
    """Precision and recall of alerts against injected patterns, per typology.

    An injected pattern is detected when an alert of the same typology holds at least
    ``min_overlap`` of its transfers; an alert is correct when at least ``min_overlap`` of its
    witness transfers belong to injected patterns (of any typology: a fan-out alert on a
    scatter-gather's source did find laundering). Both tables need an ``edges`` column of edge
    ids (``truth`` from :func:`synthetic_transactions`, alerts from ``detect_patterns``,
    ``CycleResult.to_alerts`` or ``block_alerts``).
    """
    for name, frame in [("alerts", alerts), ("truth", truth)]:
        if not isinstance(frame, pd.DataFrame) or "edges" not in frame or "typology" not in frame:
            raise InvalidArgumentError(f"argument '{name}': expected a DataFrame with 'typology' and 'edges' columns")
    if not 0 < min_overlap <= 1:
        raise InvalidArgumentError(f"argument 'min_overlap': expected a value in (0, 1], got {min_overlap!r}")
    fraud_edges = set()
    for e in truth["edges"]:
        fraud_edges.update(e)
    rows = []
    for typology in sorted(set(truth["typology"]) | set(alerts["typology"])):
        mine = alerts[alerts["typology"] == typology]
        patterns = truth[truth["typology"] == typology]
        witness = [set(e) for e in mine["edges"]]
        detected = 0
        for edges in patterns["edges"]:
            need = set(edges)
            if any(len(need & w) >= min_overlap * len(need) for w in witness):
                detected += 1
        correct = sum(len(w & fraud_edges) >= min_overlap * len(w) for w in witness if w)
        rows.append({"typology": typology, "patterns": len(patterns), "alerts": len(mine), "detected": detected,
                     "recall": detected / len(patterns) if len(patterns) else np.nan,
                     "precision": correct / len(mine) if len(mine) else np.nan})
    return pd.DataFrame(rows).set_index("typology")
