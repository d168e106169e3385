"""A second generator of bank transfers with labelled laundering, written apart from the library's.

bq.graph.synthetic_transactions (C++ graph/synthetic.hpp) is what the screening defaults were chosen
on; this one exists so the tests do not only check the defaults against the data they were tuned
on. It is different code with different assumptions:

- households of 1-4 people who pay each other often (the library has no households);
- wages every other Friday or every Friday (the library pays on the last business day of a month);
- shops picked by neighbourhood (accounts live on a ring of 50 districts and shop mostly in
  their own), shop sizes Pareto(1.3) rather than Zipf;
- friends from a small-world graph (Watts-Strogatz ring lattice, 10% rewired), payment times a
  Poisson process uniform over the day (no daily rhythm), amounts Pareto, rounded to 5;
- subscriptions on a fixed day of each month; no repayments of person-to-person transfers.

Laundering, with its own sizes: cycles of 3-5 accounts, 2-8% kept per hop, hops 2-30 hours apart;
fan-in and fan-out of 6-20 mules within 1-3 days at 150-3,000; scatter-gather and gather-scatter of
5-12 mules forwarding 88-99%; layering chains of 4-7 hops forwarding 90-99%; structuring of 3-6
payments in [9,200, 9,990) within 2 days; fraud rings of 8-12 accounts trading among themselves for
a week. Every mule is an ordinary person who keeps trading as before.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

HOUR, DAY = 3600, 86_400
TYPOLOGIES = ("cycle", "fan_in", "fan_out", "scatter_gather", "gather_scatter", "stack", "structuring", "fraud_ring")


def transfers(n_people: int = 8_000, days: int = 70, n_patterns: int = 6, seed: int = 0):
    """(edges, truth): edges with src, dst, amount, timestamp (datetime), pattern (-1: background);
    truth with pattern, typology, edges (row numbers of edges)."""
    rng = np.random.default_rng(seed)
    rows = []  # (src, dst, amount, seconds, pattern)

    def add(src, dst, amount, t, pattern=-1):
        src, dst, amount, t = (np.atleast_1d(x) for x in (src, dst, amount, t))
        n = max(len(src), len(dst), len(amount), len(t))
        rows.append((np.broadcast_to(src, n), np.broadcast_to(dst, n), np.round(np.broadcast_to(amount, n), 2),
                     np.broadcast_to(t, n).astype(np.int64), np.full(n, pattern)))

    people = np.arange(n_people)
    district = rng.integers(0, 50, n_people)
    # households: consecutive people, sizes 1-4
    sizes = rng.choice([1, 2, 3, 4], size=n_people, p=[0.35, 0.35, 0.2, 0.1])
    household = np.repeat(np.arange(n_people), sizes)[:n_people]
    # businesses after the people: employers, shops, subscription services
    n_employers, n_shops, n_services = n_people // 60, n_people // 40, 12
    employers = n_people + np.arange(n_employers)
    shops = employers[-1] + 1 + np.arange(n_shops)
    services = shops[-1] + 1 + np.arange(n_services)
    shop_district = rng.integers(0, 50, n_shops)
    shop_size = (rng.pareto(1.3, n_shops) + 1)
    horizon = days * DAY
    fridays = np.arange(days)[(np.arange(days) + 3) % 7 == 4]  # day 0 is a Monday

    # wages: every other Friday (70%) or weekly (30%), one batch per employer at 02:00
    employer_of = rng.choice(employers, n_people, p=np.r_[s := rng.pareto(1.0, n_employers) + 1] / s.sum())
    weekly = rng.random(n_people) < 0.3
    wage = np.round(rng.lognormal(7.2, 0.4, n_people), -1)
    for parity in (0, 1):
        paid = people[(~weekly) & (people % 2 == parity)]
        for d in fridays[parity::2]:
            add(employer_of[paid], paid, wage[paid], d * DAY + 2 * HOUR + rng.integers(0, 1200, len(paid)))
    for d in fridays:
        paid = people[weekly]
        add(employer_of[paid], paid, wage[paid] / 2, d * DAY + 2 * HOUR + rng.integers(0, 1200, len(paid)))

    # shopping: Poisson counts, shops of the own district 80% of the time
    rate = rng.gamma(2.0, 0.6, n_people)  # purchases per day
    counts = rng.poisson(rate * days)
    buyer = np.repeat(people, counts)
    local = rng.random(len(buyer)) < 0.8
    by_district = [np.flatnonzero(shop_district == k) for k in range(50)]
    weights = [shop_size[i] / shop_size[i].sum() if len(i) else None for i in by_district]
    shop = rng.choice(n_shops, len(buyer), p=shop_size / shop_size.sum())
    for k in range(50):
        mask = local & (district[buyer] == k)
        if len(by_district[k]) and mask.any():
            shop[mask] = rng.choice(by_district[k], mask.sum(), p=weights[k])
    add(buyer, shops[shop], np.round(rng.pareto(2.2, len(buyer)) * 25 + 3, 2), rng.integers(0, horizon, len(buyer)))

    # subscriptions: 1-3 services on a fixed day of the month
    for v in people:
        for s in rng.choice(services, rng.integers(1, 4), replace=False):
            day = rng.integers(0, 28)
            add(v, s, round(float(rng.uniform(5, 60)), 2), np.arange(day, days, 30) * DAY + 9 * HOUR)

    # households: partners send each other money every week or two
    same = np.flatnonzero(household[1:] == household[:-1])
    for v in same:
        times = np.sort(rng.integers(0, horizon, rng.poisson(days / 10) + 1))
        add(np.where(rng.random(len(times)) < 0.5, v, v + 1), np.where(rng.random(len(times)) < 0.5, v + 1, v),
            np.round(rng.pareto(1.5, len(times)) * 40 + 10, -1) // 5 * 5 + 5, times)
    # friends: a small-world graph, payments a Poisson process
    k = 6
    ring = (people[:, None] + np.arange(1, k // 2 + 1)[None, :]) % n_people
    friend_a = np.repeat(people, k // 2)
    friend_b = ring.ravel()
    rewire = rng.random(len(friend_b)) < 0.1
    friend_b[rewire] = rng.integers(0, n_people, rewire.sum())
    keep = friend_a != friend_b
    friend_a, friend_b = friend_a[keep], friend_b[keep]
    n_pay = rng.poisson(days / 25, len(friend_a))
    a, b = np.repeat(friend_a, n_pay), np.repeat(friend_b, n_pay)
    flip = rng.random(len(a)) < 0.5
    add(np.where(flip, b, a), np.where(flip, a, b), np.round((rng.pareto(1.8, len(a)) * 30 + 5) / 5) * 5,
        rng.integers(0, horizon, len(a)))

    # laundering among ordinary people
    truth = []
    used = set()

    def mules(n):
        out = []
        while len(out) < n:
            v = int(rng.integers(0, n_people))
            if v not in used:
                used.add(v)
                out.append(v)
        return np.array(out)

    pid = 0
    for typology in TYPOLOGIES:
        for _ in range(n_patterns):
            t0 = int(rng.integers(5 * DAY, horizon - 10 * DAY))
            if typology == "cycle":
                acc = mules(int(rng.integers(3, 6)))
                amount = rng.uniform(3_000, 40_000) * np.cumprod(np.r_[1, rng.uniform(0.92, 0.98, len(acc) - 1)])
                add(acc, np.roll(acc, -1), amount, t0 + np.cumsum(rng.integers(2 * HOUR, 30 * HOUR, len(acc))), pid)
            elif typology in ("fan_in", "fan_out"):
                focal, others = mules(1), mules(int(rng.integers(6, 21)))
                t = t0 + rng.integers(0, int(rng.integers(1, 4)) * DAY, len(others))
                amount = rng.uniform(150, 3_000, len(others))
                if typology == "fan_in":
                    add(others, focal, amount, t, pid)
                else:
                    add(focal, others, amount, t, pid)
            elif typology == "scatter_gather":
                source, middle, target = mules(1), mules(int(rng.integers(5, 13))), mules(1)
                t1 = t0 + rng.integers(0, DAY, len(middle))
                a1 = rng.uniform(1_000, 8_000, len(middle))
                add(source, middle, a1, t1, pid)
                add(middle, target, a1 * rng.uniform(0.88, 0.99, len(middle)), t1 + rng.integers(HOUR, DAY, len(middle)), pid)
            elif typology == "gather_scatter":
                payers, hub, payees = mules(int(rng.integers(5, 13))), mules(1), mules(int(rng.integers(5, 13)))
                t1 = t0 + rng.integers(0, DAY, len(payers))
                a1 = rng.uniform(1_000, 8_000, len(payers))
                add(payers, hub, a1, t1, pid)
                share = rng.dirichlet(np.ones(len(payees))) * a1.sum() * rng.uniform(0.88, 0.99)
                add(hub, payees, share, t1.max() + rng.integers(HOUR, DAY, len(payees)), pid)
            elif typology == "stack":
                acc = mules(int(rng.integers(5, 9)))
                hops = len(acc) - 1
                amount = rng.uniform(8_000, 60_000) * np.cumprod(np.r_[1, rng.uniform(0.90, 0.99, hops - 1)])
                add(acc[:-1], acc[1:], amount, t0 + np.cumsum(rng.integers(HOUR, 20 * HOUR, hops)), pid)
            elif typology == "structuring":
                payer, payees = mules(1), mules(int(rng.integers(1, 4)))
                n = int(rng.integers(3, 7))
                add(payer, rng.choice(payees, n), rng.uniform(9_200, 9_990, n), t0 + np.sort(rng.integers(0, 2 * DAY, n)), pid)
            elif typology == "fraud_ring":
                acc = mules(int(rng.integers(8, 13)))
                m = 4 * len(acc)
                i = rng.integers(0, len(acc), m)
                j = (i + rng.integers(1, len(acc), m)) % len(acc)
                add(acc[i], acc[j], rng.uniform(500, 9_000, m), t0 + rng.integers(0, 7 * DAY, m), pid)
            truth.append((pid, typology))
            pid += 1

    edges = pd.DataFrame({name: np.concatenate([r[k] for r in rows])
                          for k, name in enumerate(["src", "dst", "amount", "t", "pattern"])})
    edges = edges[edges["src"] != edges["dst"]].sort_values(["t", "src", "dst"], kind="stable", ignore_index=True)
    names = np.char.add("C", np.arange(services[-1] + 1).astype(str)).astype(object)
    frame = pd.DataFrame({"src": names[edges["src"]], "dst": names[edges["dst"]], "amount": edges["amount"].to_numpy(),
                          "timestamp": pd.Timestamp("2024-03-04") + pd.to_timedelta(edges["t"].to_numpy(), unit="s"),
                          "pattern": edges["pattern"].to_numpy()})
    by_pattern = frame.index.to_series().groupby(frame["pattern"]).apply(list)
    truth_frame = pd.DataFrame({"pattern": [p for p, _ in truth], "typology": [t for _, t in truth],
                                "edges": [by_pattern.get(p, []) for p, _ in truth]})
    return frame, truth_frame
