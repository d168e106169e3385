"""The ranked, budgeted alert list (TransactionGraph.alerts, C++ graph::screen) measured on traffic
the defaults were not chosen on: tests/python/independent_transfers.py, a generator written apart
from bq.graph.synthetic_transactions with other assumptions (households, fortnightly wages, shops
by neighbourhood, small-world friends, other pattern sizes). The figures asserted are a little
below those measured (docstring of each test); the notes of the graph module report them."""
import numpy as np
import pandas as pd
import pytest

import bankquant as bq
import independent_transfers

G = bq.graph.TransactionGraph


@pytest.fixture(scope="module")
def independent():
    edges, truth = independent_transfers.transfers(n_people=6_000, days=70, n_patterns=6, seed=1)
    return edges, truth, G.from_edges(edges)


def case_precision(alerts, edges):
    """Share of cases that are laundering: most of the first alert's witness transfers are labelled."""
    labelled = edges["pattern"].to_numpy() >= 0
    first = alerts.drop_duplicates("case")
    return first["edges"].apply(lambda e: labelled[e].mean() >= 0.5).mean(), len(first)


def test_budgeted_cases_on_an_independent_generator(independent):
    """Measured (630,881 transfers, 48 patterns): 47 cases in all, every one laundering; 46 of 48
    patterns found (one fan-in, one round trip of more than three days missed). Before the usual
    counts left out transfers to hubs, fan-ins needed a surprise and chains and round trips new
    relationships: top 25 92%, top 50 84%, 40 of 48 found, gather-scatter 2 of 6, round trips 50%
    precise (3-cycles of friends' equal small sums)."""
    edges, truth, g = independent
    ranked = g.alerts()
    assert (ranked["case"].diff().dropna() >= 0).all()
    assert (ranked.groupby("case", sort=False)["score"].max().diff().dropna() <= 0).all()
    assert ranked["reason"].str.len().min() > 10
    top = g.alerts(budget=25)
    assert top["case"].max() == 24 and top.equals(ranked[ranked["case"] < 25])
    precision, n = case_precision(top, edges)
    assert n == 25 and precision >= 0.95
    precision, n = case_precision(ranked, edges)
    assert n < 60 and precision >= 0.95
    scores = bq.graph.evaluate(g.alerts(budget=75), truth)
    scores = scores[scores["patterns"] > 0]
    assert scores["detected"].sum() >= 0.9 * len(truth)
    assert (scores["recall"] >= 0.8).all(), scores
    assert (scores["precision"] >= 0.9).all(), scores


def test_library_generator_budgeted_cases():
    """Measured: top 50 cases all laundering, 72 of 72 patterns within 75 cases."""
    data = bq.graph.synthetic_transactions(n_accounts=15_000, days=90, n_patterns=8, seed=5)
    g = G.from_edges(data.edges)
    precision, n = case_precision(g.alerts(budget=50), data.edges)
    assert n == 50 and precision >= 0.9
    scores = bq.graph.evaluate(g.alerts(budget=75), data.truth)
    assert scores["detected"].sum() >= 0.9 * len(data.truth)


def test_defaults_matter_on_the_independent_generator(independent):
    edges, truth, g = independent
    precision, _ = case_precision(g.alerts(budget=50), edges)
    # without hubs, bursts, surprise, the size of hops and new relationships, ordinary traffic fills the budget
    loose, _ = case_precision(g.alerts(budget=50, hub_degree=0, min_burst=0, min_surprise=0, large_hops_only=False,
                                       new_relationship_hops=False), edges)
    assert loose < precision - 0.3  # measured 0.58 against 1.0


def test_a_short_history_does_not_flood_the_list():
    """A new user's first 45 days (issue 15 tryout): payroll runs of small employers and month-end
    rent, seen once, looked like fan-outs and fan-ins of new relationships (8.8% precise). A pair is
    now judged new only where the period reaches a month past the window. Measured on the library's
    generator cut to 45 days: 28 cases, all laundering, against 317 at 12% without the rule."""
    data = bq.graph.synthetic_transactions(n_accounts=30_000, days=90, n_patterns=10, seed=0)
    e = data.edges
    cut = e[e["timestamp"] < e["timestamp"].min() + pd.Timedelta(days=45)]
    g = G.from_edges(cut[["src", "dst", "amount", "timestamp"]])
    precision, n = case_precision(g.alerts(), cut.reset_index(drop=True))
    assert n >= 20 and precision >= 0.9
    loose, n_loose = case_precision(g.alerts(recurrence_days=0), cut.reset_index(drop=True))
    assert n_loose > 5 * n and loose < 0.3


def test_fraud_rings_are_the_rings_of_the_screening(independent):
    """On the independent generator: every injected ring found, nothing else, and the same rings
    (witness transfers) as the "fraud_ring" rows of alerts()."""
    edges, truth, g = independent
    rings = g.fraud_rings()
    scores = bq.graph.evaluate(rings, truth).loc["fraud_ring"]
    assert scores["recall"] == 1.0 and scores["precision"] == 1.0
    screened = g.alerts(budget=0)
    screened = screened[screened["typology"] == "fraud_ring"]
    assert sorted(map(tuple, rings["edges"])) == sorted(map(tuple, screened["edges"]))
    assert g.fraud_rings(span="14D").equals(rings)
    with pytest.raises(bq.InvalidArgumentError, match="argument 'span'"):
        g.fraud_rings(span=14)


def test_dense_blocks_leave_out_the_busy_core_by_default(independent):
    """This generator injects no dense block: with every account kept, FRAUDAR's densest block
    is shoppers and merchants (hundreds of accounts); the default (hubs of 100+ counterparties
    left out) reports none."""
    edges, truth, g = independent
    everyone = g.dense_blocks(max_degree=0)
    assert everyone and len(everyone[0].payers) + len(everyone[0].payees) > 200
    assert g.dense_blocks() == []
