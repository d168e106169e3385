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
    """The augmented training sample of :func:`reject_inference`, outcomes and weights kept apart from
    the features. Fit with ``Scorecard().fit(s.X, s.y, sample_weight=s.sample_weight)``; ``frame()``
    puts it all in one DataFrame.

    Attributes
    ----------
    X : pandas.DataFrame
        The accepted rows, then the rejected ones (twice each with method "fuzzy").
    y : pandas.Series
        Observed or inferred 0/1 outcomes.
    sample_weight : pandas.Series
    source : pandas.Series
        "accepted", "rejected", "rejected (bad part)" or "rejected (good part)".

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df.iloc[:700], y.iloc[:700])
    >>> s = bq.scorecard.reject_inference(card, df.iloc[:700], y.iloc[:700], df.iloc[700:])
    >>> s.source.value_counts().to_dict()
    {'accepted': 700, 'rejected (bad part)': 300, 'rejected (good part)': 300}
    >>> s.frame().shape
    (1300, 23)
    """

    X: pd.DataFrame
    y: pd.Series
    sample_weight: pd.Series
    source: pd.Series

    def frame(self, y: str = "y", weight: str = "weight", source: str = "source") -> pd.DataFrame:
        """All of it in one DataFrame, the three extra columns named as given (a clash with a
        feature's name is an error rather than an overwrite).

        Parameters
        ----------
        y, weight, source : str
            Names of the three added columns (default "y", "weight", "source").

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import bankquant as bq
        >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
        >>> card = bq.scorecard.Scorecard().fit(df.iloc[:600], y.iloc[:600])
        >>> s = bq.scorecard.reject_inference(card, df.iloc[:600], y.iloc[:600], df.iloc[600:])
        >>> s.frame().columns.tolist()[-3:]
        ['y', 'weight', 'source']
        """
        from .._validation import fail

        clash = [c for c in (y, weight, source) if c in self.X.columns]
        if clash:
            fail("y", f"the features already have columns {clash}; choose other names")
        return self.X.assign(**{y: self.y.to_numpy(), weight: self.sample_weight.to_numpy(),
                                source: self.source.to_numpy()})


def reject_inference(card, X_accepted, y_accepted, X_rejected, method: str = _DEFAULTS.method, cutoff=None,
                     bands: int = _DEFAULTS.bands, event_rate_factor: float = _DEFAULTS.event_rate_factor,
                     reject_weight: float = _DEFAULTS.reject_weight, seed: int = 0) -> AugmentedSample:
    """Infers the outcomes of rejected applicants with a fitted Scorecard and returns the augmented
    sample (Siddiqi 2006, ch. 6; C++ ``bankquant/scorecard/reject_inference.hpp``).

    Methods: ``"hard_cutoff"`` labels a reject bad when its P(bad) >= ``cutoff``;
    ``"fuzzy"`` enters each reject twice, as a bad with weight P(bad) and as a good with weight
    1 - P(bad); ``"parcelling"`` labels bad, in each score band of the accepted sample, a share
    ``event_rate_factor`` × the band's bad rate of the rejects (seeded draws).

    Parameters
    ----------
    card : Scorecard
        Fitted on the accepted applicants.
    X_accepted, y_accepted : DataFrame and 1-D array-like
        The accepted applicants and their outcomes.
    X_rejected : DataFrame
        The rejected applicants.
    method : {"fuzzy", "hard_cutoff", "parcelling"}, default "fuzzy"
    cutoff : float, optional
        hard_cutoff: the P(bad) from which a reject is bad (default: the accepted bad rate).
    bands : int, default 10
        parcelling: score bands of the accepted sample.
    event_rate_factor : float, default 1.5
        parcelling: rejects are this many times as risky as accepted applicants of the same band
        (Siddiqi's rule of thumb: 1.5 to 2).
    reject_weight : float, default 1
        Weight of a reject relative to an accepted applicant.
    seed : int, default 0
        parcelling: seed of the draws.

    Returns
    -------
    AugmentedSample

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit(); y = (df.pop("creditability") == "bad").astype(int)
    >>> card = bq.scorecard.Scorecard().fit(df.iloc[:700], y.iloc[:700])
    >>> s = bq.scorecard.reject_inference(card, df.iloc[:700], y.iloc[:700], df.iloc[700:])
    >>> len(s.X), round(float(s.sample_weight.sum()), 6)      # 300 rejects twice, weights summing to one each
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
