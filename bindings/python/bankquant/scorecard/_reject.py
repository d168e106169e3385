"""Reject inference (C++, bankquant/scorecard/reject_inference.hpp): the accepted applicants plus
the rejected ones with inferred outcomes and weights, kept apart from the features."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import _core
from .._options import build
from .._validation import as_float, as_int, as_seed
from ._table import as_target, check_frame

_sc = _core.scorecard
_DEFAULTS = _sc.RejectInferenceOptions()


@dataclass
class AugmentedSample:
    """The augmented training sample: features ``X`` (the accepted rows, then the rejected ones —
    twice each with method "fuzzy"), outcome ``y``, ``sample_weight`` and ``source`` (accepted,
    rejected, ...). Fit with ``Scorecard().fit(s.X, s.y, sample_weight=s.sample_weight)``."""

    X: pd.DataFrame
    y: pd.Series
    sample_weight: pd.Series
    source: pd.Series

    def frame(self, y: str = "y", weight: str = "weight", source: str = "source") -> pd.DataFrame:
        """All of it in one DataFrame, the three extra columns named as given (a clash with a
        feature's name is an error rather than an overwrite)."""
        from .._validation import fail

        clash = [c for c in (y, weight, source) if c in self.X.columns]
        if clash:
            fail("y", f"the features already have columns {clash}; choose other names")
        return self.X.assign(**{y: self.y.to_numpy(), weight: self.sample_weight.to_numpy(),
                                source: self.source.to_numpy()})


def reject_inference(card, X_accepted, y_accepted, X_rejected, method: str = _DEFAULTS.method, cutoff=None,
                     bands: int = _DEFAULTS.bands, event_rate_factor: float = _DEFAULTS.event_rate_factor,
                     reject_weight: float = _DEFAULTS.reject_weight, seed: int = 0) -> AugmentedSample:
    """Infers the outcomes of rejected applicants with a fitted Scorecard (hard cutoff, fuzzy
    augmentation or parcelling; Siddiqi 2006, ch. 6) and returns the augmented sample.

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df.iloc[:700], y.iloc[:700])
    >>> s = bq.scorecard.reject_inference(card, df.iloc[:700], y.iloc[:700], df.iloc[700:])
    >>> len(s.X), round(float(s.sample_weight.sum()), 6)
    (1300, 1000.0)
    """
    card._check_fitted()
    X_accepted = check_frame(X_accepted, "X_accepted")
    X_rejected = check_frame(X_rejected, "X_rejected")
    y_acc = as_target(y_accepted, len(X_accepted), name="y_accepted")
    options = build(_sc.RejectInferenceOptions, method=method,
                    cutoff=None if cutoff is None else as_float(cutoff, "cutoff"),
                    bands=as_int(bands, "bands", minimum=1), event_rate_factor=event_rate_factor,
                    reject_weight=reject_weight, seed=as_seed(seed))
    r = _sc.reject_inference(card.score(X_accepted).to_numpy(), y_acc, card.score(X_rejected).to_numpy(),
                             card.predict_proba(X_rejected)[:, 1], options)
    source = np.asarray(r.source)
    rows = np.asarray(r.row)
    accepted = source == 0
    X = pd.concat([X_accepted.iloc[rows[accepted]], X_rejected.iloc[rows[~accepted]]], ignore_index=True)
    names = np.array(_sc.SAMPLE_SOURCES, dtype=object)
    return AugmentedSample(X, pd.Series(np.asarray(r.y).astype(int), name="y"),
                           pd.Series(np.asarray(r.weight), name="sample_weight"),
                           pd.Series(names[source], name="source"))
