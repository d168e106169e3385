"""Reject inference: adding the rejected applicants to the training sample.

The accepted-only sample is biased: the rejected applicants' outcomes are never observed. Three
classical remedies (Siddiqi 2006, ch. 6), each returning an augmented, weighted training set:

* ``hard_cutoff``: score the rejects with the accepted-only model; P(bad) >= ``cutoff`` -> bad,
  else good.
* ``fuzzy``: each reject enters twice, as a bad with weight P(bad) and as a good with weight
  1 - P(bad) (times ``reject_weight``).
* ``parcelling``: rejects fall into score bands of the accepted sample; in each band a share
  ``event_rate_factor`` x (the band's observed bad rate) of them, drawn with a seeded stream, is
  labelled bad.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import InvalidArgumentError
from ._common import as_target, check_frame


def reject_inference(card, X_accepted: pd.DataFrame, y_accepted, X_rejected: pd.DataFrame, method: str = "fuzzy",
                     cutoff: float = None, bands: int = 10, event_rate_factor: float = 1.5,
                     reject_weight: float = 1.0, seed: int = 0) -> pd.DataFrame:
    """The accepted and rejected applicants with a target ``y``, a sample ``weight`` and a ``source``
    column; fit a new Scorecard on it with ``sample_weight=out["weight"]``."""
    card._check_fitted()
    X_accepted, _ = check_frame(X_accepted)
    X_rejected, _ = check_frame(X_rejected)
    y_acc = as_target(y_accepted, len(X_accepted))
    if method not in ("hard_cutoff", "fuzzy", "parcelling"):
        raise InvalidArgumentError(f"argument 'method': expected 'hard_cutoff', 'fuzzy' or 'parcelling', got {method!r}")
    if reject_weight <= 0:
        raise InvalidArgumentError(f"argument 'reject_weight': expected a positive number, got {reject_weight}")
    p_rej = card.predict_proba(X_rejected)
    accepted = X_accepted.assign(y=y_acc.astype(int), weight=1.0, source="accepted")
    if method == "hard_cutoff":
        c = float(y_acc.mean()) if cutoff is None else float(cutoff)
        if not 0 < c < 1:
            raise InvalidArgumentError(f"argument 'cutoff': expected a probability in (0, 1), got {c}")
        rejected = X_rejected.assign(y=(p_rej >= c).astype(int), weight=reject_weight, source="rejected")
    elif method == "fuzzy":
        bad = X_rejected.assign(y=1, weight=p_rej * reject_weight, source="rejected (bad part)")
        good = X_rejected.assign(y=0, weight=(1 - p_rej) * reject_weight, source="rejected (good part)")
        rejected = pd.concat([bad, good])
    else:
        if event_rate_factor <= 0:
            raise InvalidArgumentError(f"argument 'event_rate_factor': expected a positive number, got {event_rate_factor}")
        s_acc = card.score(X_accepted).to_numpy()
        s_rej = card.score(X_rejected).to_numpy()
        edges = np.unique(np.quantile(s_acc, np.linspace(0, 1, bands + 1)[1:-1]))
        band_acc = np.searchsorted(edges, s_acc, side="right")
        band_rej = np.searchsorted(edges, s_rej, side="right")
        rate = pd.Series(y_acc).groupby(band_acc).mean()
        from .. import random as bq_random

        u = bq_random.uniform(len(X_rejected), seed=seed, progress=False)
        p = np.minimum(rate.reindex(band_rej).fillna(float(y_acc.mean())).to_numpy() * event_rate_factor, 1.0)
        rejected = X_rejected.assign(y=(u < p).astype(int), weight=reject_weight, source="rejected")
    return pd.concat([accepted, rejected], ignore_index=True)
