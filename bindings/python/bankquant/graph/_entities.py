"""Entity resolution: customers linked through shared identifiers (union-find, hubs set aside)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np
import pandas as pd

from .. import _core
from .._validation import as_int, fail


@dataclass
class EntityResolution:
    """Result of :func:`resolve_entities`; ``summary()`` lists the entities of several customers.

    Attributes
    ----------
    entities : pandas.Series
        Entity id per customer (indexed by customer id; entities numbered by first customer).
    hubs : pandas.DataFrame
        The identifiers set aside because more than ``max_customers`` customers share them
        (``type``, ``value``, ``n_customers``).
    max_customers : int
    n_entities : int

    Examples
    --------
    >>> import pandas as pd, bankquant as bq
    >>> records = pd.DataFrame({"customer": ["c1", "c2", "c3", "c4"],
    ...                         "phone": ["555-1", "555-1", None, "555-9"],
    ...                         "device": ["d1", "d2", "d2", "d4"]})
    >>> er = bq.graph.resolve_entities(records)
    >>> er.n_entities
    2
    >>> er.summary()
               customers  size        shared_identifiers
    entity
    0       [c1, c2, c3]     3  [device=d2, phone=555-1]
    """

    entities: pd.Series
    hubs: pd.DataFrame
    max_customers: int
    _links: pd.DataFrame = field(repr=False)

    @property
    def n_entities(self) -> int:
        return int(self.entities.max()) + 1 if len(self.entities) else 0

    def summary(self) -> pd.DataFrame:
        """Per entity with more than one customer: the customers and the identifiers that link
        them (hubs excluded), largest first.

        Returns
        -------
        pandas.DataFrame
            Index ``entity``; customers, size, shared_identifiers.

        Examples
        --------
        >>> import pandas as pd, bankquant as bq
        >>> records = pd.DataFrame({"customer": ["c1", "c2", "c3"], "phone": ["555-1", "555-1", "555-2"]})
        >>> bq.graph.resolve_entities(records).summary()
               customers  size shared_identifiers
        entity
        0       [c1, c2]     2      [phone=555-1]
        """
        sizes = self.entities.value_counts()
        multi = sizes[sizes > 1].index
        members = self.entities[self.entities.isin(multi)]
        links = self._links[self._links["customer"].isin(members.index)].copy()
        links["entity"] = members.reindex(links["customer"]).to_numpy()
        shared = links.groupby(["entity", "type", "value"])["customer"].nunique()
        shared = shared[shared > 1].reset_index()
        shared["identifier"] = shared["type"].astype(str) + "=" + shared["value"].astype(str)
        out = pd.DataFrame({"customers": members.groupby(members).apply(lambda s: sorted(s.index.tolist()))})
        out["size"] = out["customers"].str.len()
        out["shared_identifiers"] = shared.groupby("entity")["identifier"].apply(sorted).reindex(out.index)
        out.index.name = "entity"
        return out.sort_values(["size"], ascending=False, kind="stable")


def resolve_entities(links: pd.DataFrame, customer: str = "customer", identifiers: Optional[Sequence[str]] = None,
                     max_customers: int = _core.graph.EntityResolutionOptions().max_customers) -> EntityResolution:
    """Clusters customers who share identifiers (phone, device, email, address, IP, ...).

    Values are compared within their column (a phone never matches a device id); missing values
    link nothing. An identifier held by more than ``max_customers`` distinct customers is a hub (a
    call-centre number, a public IP) and is reported instead of linking.

    Parameters
    ----------
    links : DataFrame
        One row per customer record.
    customer : str, default "customer"
        The customer-id column.
    identifiers : list of str, optional
        The identifier columns (default: all others).
    max_customers : int, default from the C++ ``EntityResolutionOptions``
        Customers an identifier may link before it counts as a hub.

    Returns
    -------
    EntityResolution

    Examples
    --------
    >>> import pandas as pd, bankquant as bq
    >>> records = pd.DataFrame({"customer": ["c1", "c2", "c3", "c4"],
    ...                         "phone": ["555-1", "555-1", None, "555-9"],
    ...                         "device": ["d1", "d2", "d2", "d4"]})
    >>> bq.graph.resolve_entities(records).entities.tolist()     # c1-c2 by phone, c2-c3 by device
    [0, 0, 0, 1]
    """
    if not isinstance(links, pd.DataFrame):
        fail("links", f"expected a DataFrame, got {type(links).__name__}")
    if not isinstance(customer, str) or customer not in links:
        fail("customer", f"no column {customer!r} in links")
    if identifiers is None:
        identifiers = [c for c in links.columns if c != customer]
    identifiers = [identifiers] if isinstance(identifiers, str) else list(identifiers)
    missing = [c for c in identifiers if c not in links]
    if missing or not identifiers:
        fail("identifiers", f"expected columns of links, missing {missing or 'all'}")
    options = _core.graph.EntityResolutionOptions(max_customers=as_int(max_customers, "max_customers"))
    if links[customer].isna().any():
        fail("links", f"missing customer ids in column '{customer}'")
    long = links.melt(id_vars=[customer], value_vars=identifiers, var_name="type", value_name="value").dropna()
    long = long.rename(columns={customer: "customer"})
    customer_codes, customer_ids = pd.factorize(links[customer], sort=True)
    del customer_codes
    cust = pd.Index(customer_ids).get_indexer(long["customer"])
    if long.empty:  # no identifiers at all: every customer is an entity of one
        long = long.assign(value=long["value"].astype(str))
        entities = pd.Series(np.arange(len(customer_ids), dtype=np.int32), index=pd.Index(customer_ids, name=customer),
                             name="entity")
        return EntityResolution(entities, pd.DataFrame({"type": [], "value": [], "n_customers": []}),
                                options.max_customers, long)
    ident_codes, ident_keys = pd.factorize(pd.MultiIndex.from_arrays([long["type"], long["value"].astype(str)]))
    r = _core.graph.resolve_entities(len(customer_ids), len(ident_keys), cust.astype(np.int32),
                                     ident_codes.astype(np.int32), options)
    entity, per_identifier, hub = r.entity, r.customers_per_identifier, r.hub
    hub_keys = ident_keys[hub.astype(bool)]
    hubs = pd.DataFrame({"type": hub_keys.get_level_values(0), "value": hub_keys.get_level_values(1),
                         "n_customers": per_identifier[hub.astype(bool)]})
    hubs = hubs.sort_values("n_customers", ascending=False, ignore_index=True)
    is_hub = hub.astype(bool)[ident_codes]
    long = long.assign(value=long["value"].astype(str))[~is_hub]
    entities = pd.Series(entity, index=pd.Index(customer_ids, name=customer), name="entity")
    return EntityResolution(entities, hubs, options.max_customers, long)
