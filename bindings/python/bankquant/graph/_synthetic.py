"""Synthetic bank transfers with injected, labelled laundering (C++ ``graph/synthetic.hpp``), and
precision/recall of alerts against the labels (C++ ``graph/evaluation.hpp``)."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_choice, as_float, as_int, as_seed, describe, fail

_g = _core.graph
_DEFAULTS = _g.SyntheticOptions()
SYNTHETIC_TYPOLOGIES = tuple(_DEFAULTS.typologies)
ACCOUNT_ROLES = tuple(_g.ACCOUNT_ROLES)


class SyntheticTransactions:
    """Transfers of :func:`synthetic_transactions`, with the labels of the injected laundering.

    Attributes
    ----------
    edges : pandas.DataFrame
        src, dst, amount, timestamp (datetime, UTC), pattern (−1 for background) and typology
        ('' for background), in time order.
    truth : pandas.DataFrame
        One row per injected pattern: its typology, accounts and edge ids (row positions in
        ``edges``).
    customers : pandas.DataFrame
        One KYC record per account (phone, device, email) for entity resolution.
    roles : pandas.Series
        Each account's role (person, merchant, employer, landlord, utility, new_account).
    fraud_accounts : numpy.ndarray
        Every account that pays or is paid in an injected transfer.
    raw
        The C++ result.

    Examples
    --------
    >>> import bankquant as bq
    >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
    >>> data
    SyntheticTransactions(transfers=7140, accounts=2000, patterns=9)
    >>> data.edges.columns.tolist()
    ['src', 'dst', 'amount', 'timestamp', 'pattern', 'typology']
    """

    def __init__(self, raw, names: np.ndarray):
        self.raw = raw
        self._names = names
        ts = pd.to_datetime(np.asarray(raw.timestamp), unit="s")
        pattern = np.asarray(raw.pattern)
        kinds = np.asarray(list(raw.pattern_typology) + [""], dtype=object)
        self.edges = pd.DataFrame({"src": names[raw.src], "dst": names[raw.dst], "amount": raw.amount, "timestamp": ts,
                                   "pattern": pattern, "typology": kinds[pattern]})
        aoff, eoff = raw.account_offsets, raw.edge_offsets
        accounts, edges = names[raw.accounts], np.asarray(raw.edges)
        self.truth = pd.DataFrame({"pattern": np.arange(len(raw.pattern_typology)), "typology": list(raw.pattern_typology),
                                   "accounts": [accounts[a:b].tolist() for a, b in zip(aoff[:-1], aoff[1:])],
                                   "edges": [edges[a:b].tolist() for a, b in zip(eoff[:-1], eoff[1:])]})
        n = len(names)
        self.roles = pd.Series(list(raw.role), index=pd.Index(names, name="account"), name="role")
        width = len(str(3 * n))
        device = np.asarray(raw.device)
        self.customers = pd.DataFrame({
            "account": names,
            "phone": np.where(np.asarray(raw.phone) == n, "+44 800 000000",
                              np.char.add("+44 7", np.char.zfill(np.asarray(raw.phone).astype(str), 9))),
            "device": np.where(device < 0, None, np.char.add("dev-", np.char.zfill(device.astype(str), width))),
            "email": np.char.add(np.char.add("user", np.asarray(raw.email).astype(str)), "@mail.example")})

    def __repr__(self) -> str:
        return f"SyntheticTransactions(transfers={len(self.edges)}, accounts={len(self._names)}, patterns={len(self.truth)})"

    @property
    def fraud_accounts(self) -> np.ndarray:
        """Every account that pays or is paid in an injected transfer (a pattern may list an account
        that drew no transfer, e.g. a dense block's payer whose links all fell out)."""
        src = np.asarray(self.raw.src)
        dst = np.asarray(self.raw.dst)
        laundering = np.asarray(self.raw.pattern) >= 0
        return np.unique(self._names[np.concatenate([src[laundering], dst[laundering]])])


def synthetic_transactions(n_accounts: int = _DEFAULTS.n_accounts, days: int = _DEFAULTS.days,
                           n_patterns: int = _DEFAULTS.n_patterns, typologies: Optional[Sequence[str]] = None,
                           start: str = "2025-01-01", seed: int = _DEFAULTS.seed, *,
                           reciprocity: float = _DEFAULTS.reciprocity,
                           activity: float = _DEFAULTS.activity) -> SyntheticTransactions:
    """Bank transfers as a bank sees them, with injected, labelled laundering (C++
    ``bankquant/graph/synthetic.hpp``, which documents the model).

    Background: salaries on the last business day of the month, rent on the first days, bills,
    payments to Zipf-popular merchants, transfers to heavy-tailed contact lists with
    ``reciprocity`` of them paid back, business-to-business payments, with weekday, daytime and
    month-end rhythms. Injected, ``n_patterns`` of each typology at ordinary-looking amounts:
    ``cycle``, ``fan_in``, ``fan_out``, ``scatter_gather``, ``gather_scatter``, ``stack`` (layering
    chains), ``structuring``, ``dense_block`` and ``fraud_ring``; half the laundering accounts keep
    ordinary background traffic. About 4 transfers per person a month (40,000 accounts over 120
    days: about 0.6 million transfers). Defaults from the C++ ``SyntheticOptions``.

    Parameters
    ----------
    n_accounts : int
        Accounts ("A000000", "A000001", ...).
    days : int
        Length of the period.
    n_patterns : int
        Injected patterns of each typology.
    typologies : list of str, optional
        Only these typologies (default: all of ``SYNTHETIC_TYPOLOGIES``).
    start : str, default "2025-01-01"
        The first day (a tz-aware timestamp is converted to UTC).
    seed : int
        Same seed, same transfers, on any thread count.
    reciprocity : float
        Share of a person's contacts who pay back.
    activity : float
        Scales the background traffic.

    Returns
    -------
    SyntheticTransactions

    Examples
    --------
    >>> import bankquant as bq
    >>> data = bq.graph.synthetic_transactions(n_accounts=5_000, days=60, n_patterns=2, seed=1)
    >>> sorted(data.truth["typology"].unique())[:3]
    ['cycle', 'dense_block', 'fan_in']
    >>> data.roles.value_counts()["merchant"]
    150
    """
    options = _g.SyntheticOptions(n_accounts=as_int(n_accounts, "n_accounts"), days=as_int(days, "days"),
                                  n_patterns=as_int(n_patterns, "n_patterns"), seed=as_seed(seed),
                                  reciprocity=as_float(reciprocity, "reciprocity"),
                                  activity=as_float(activity, "activity"))
    if typologies is not None:
        names = [typologies] if isinstance(typologies, str) else list(typologies)
        options.typologies = [as_choice(t, "typologies", SYNTHETIC_TYPOLOGIES) for t in names]
    try:
        origin = pd.Timestamp(start)
    except (ValueError, TypeError) as error:
        fail("start", f"expected a date such as '2025-01-01', got {start!r} ({error})")
    if origin.tzinfo is not None:
        origin = origin.tz_convert("UTC").tz_localize(None)
    options.start = int(origin.value // 10**9)
    options.validate()
    raw = _g.synthetic_transactions(options)
    width = max(6, len(str(options.n_accounts - 1)))
    names = np.char.add("A", np.char.zfill(np.arange(options.n_accounts).astype(str), width)).astype(object)
    return SyntheticTransactions(raw, names)


def _alert_fields(alerts: pd.DataFrame, name: str) -> dict:
    if not isinstance(alerts, pd.DataFrame) or "edges" not in alerts or "typology" not in alerts:
        fail(name, "expected a DataFrame with 'typology' and 'edges' columns")
    for row, e in enumerate(alerts["edges"]):
        if isinstance(e, (str, bytes)) or np.ndim(e) != 1:
            fail(name, f"row {row}: expected a list of edge ids in 'edges', got {describe(e)}")
    sizes = np.fromiter((len(e) for e in alerts["edges"]), dtype=np.int64, count=len(alerts))
    flat = np.fromiter((x for e in alerts["edges"] for x in e), dtype=np.int64, count=int(sizes.sum()))
    return {"typology": [as_choice(t, name, _g.TYPOLOGIES) for t in alerts["typology"]],
            "node": np.zeros(len(alerts), dtype=np.int32), "offsets": np.concatenate([[0], np.cumsum(sizes)]),
            "edges": flat}


def evaluate(alerts: pd.DataFrame, truth: pd.DataFrame, min_overlap: float = 0.5) -> pd.DataFrame:
    """Precision and recall of alerts against injected patterns, per typology (C++
    ``bankquant/graph/evaluation.hpp``).

    An injected pattern is detected when an alert of the same typology holds at least
    ``min_overlap`` of its transfers; an alert is correct when at least ``min_overlap`` of its
    witness transfers belong to injected patterns (of any typology: a fan-out alert on a
    scatter-gather's source did find laundering).

    Parameters
    ----------
    alerts : DataFrame
        With ``typology`` and ``edges`` (lists of edge ids) columns: from ``alerts``,
        ``detect_patterns``, ``CycleResult.to_alerts`` or ``block_alerts``.
    truth : DataFrame
        The same columns: ``SyntheticTransactions.truth``.
    min_overlap : float, default 0.5
        Share of transfers in common that counts as a match.

    Returns
    -------
    pandas.DataFrame
        One row per typology of the truth (index ``typology``): ``patterns``, ``alerts``,
        ``detected``, ``recall`` and ``precision`` (NaN without alerts).

    Examples
    --------
    >>> import bankquant as bq
    >>> data = bq.graph.synthetic_transactions(n_accounts=2_000, days=30, n_patterns=1, seed=1)
    >>> alerts = bq.graph.TransactionGraph.from_edges(data.edges).alerts(budget=5)
    >>> bq.graph.evaluate(alerts, data.truth).loc[["cycle", "fan_in"]]
              patterns  alerts  detected  recall  precision
    typology
    cycle            1       1         1     1.0        1.0
    fan_in           1       0         0     0.0        NaN
    """
    fields = _alert_fields(alerts, "alerts")
    t = _alert_fields(truth, "truth")
    options = _g.EvaluationOptions(min_overlap=as_float(min_overlap, "min_overlap"))
    r = _g.evaluate(fields, t["typology"], t["offsets"].astype(np.int64), t["edges"].astype(np.int32), options)
    return pd.DataFrame({"patterns": r.patterns, "alerts": r.alerts, "detected": r.detected, "recall": r.recall,
                         "precision": r.precision}, index=pd.Index(list(r.typology), name="typology"))
