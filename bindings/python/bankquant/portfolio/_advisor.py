"""The robo-advisor: risk profiling, model portfolios, adviser views, suitability notes, lots."""
from __future__ import annotations

import math
from typing import List, Optional, Sequence

import numpy as np
import pandas as pd

from .._progress import resolve as resolve_progress
from .._validation import as_float, as_float_vector, as_int, as_int_vector, as_str, describe, fail
from ..exceptions import warn_if_not_converged
from ._common import PortfolioResult, _pf, asset_index, asset_vector, covariance_matrix, labels

RiskProfileTable = _pf.RiskProfileTable


def standard_profile_table():
    """The illustrative default table: 8 questions, bands 20/40/60/80, five profiles
    (4/7/10/13/16% volatility, 20..100% equity, at most 10% per equity), glide path 2/5/10 years.

    Returns
    -------
    RiskProfileTable

    Examples
    --------
    >>> import bankquant as bq
    >>> t = bq.portfolio.standard_profile_table()
    >>> [p.target_volatility for p in t.profiles]
    [0.04, 0.07, 0.1, 0.13, 0.16]
    """
    return _pf.RiskProfileTable.standard()


def save_profile_table(table, path) -> None:
    """Saves a profile table as a versioned model file (kind 'risk_profile_table').

    Parameters
    ----------
    table : RiskProfileTable
    path : str or os.PathLike

    Returns
    -------
    None

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.portfolio.save_profile_table(bq.portfolio.standard_profile_table(), "profiles.json")
    >>> bq.portfolio.load_profile_table("profiles.json").version
    'bankquant-default-1'
    """
    if not isinstance(table, _pf.RiskProfileTable):
        fail("table", f"expected a RiskProfileTable, got {describe(table)}")
    _pf.save_profile_table(str(path), table)


def load_profile_table(path):
    """Loads a table written by :func:`save_profile_table` (or by C++).

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    RiskProfileTable

    Examples
    --------
    >>> import bankquant as bq
    >>> table = bq.portfolio.standard_profile_table()
    >>> bq.portfolio.save_profile_table(table, "profiles.json")
    >>> bq.portfolio.load_profile_table("profiles.json") == table
    True
    """
    return _pf.load_profile_table(str(path))


def questionnaire(table=None) -> pd.DataFrame:
    """The questions of a table (default: the standard one) with their options and scores.

    Parameters
    ----------
    table : RiskProfileTable, optional
        Default: the standard one.

    Returns
    -------
    pandas.DataFrame
        One row per question: id, dimension, question, options, scores, weight.

    Examples
    --------
    >>> import bankquant as bq
    >>> q = bq.portfolio.questionnaire()
    >>> q[["id", "dimension", "weight"]].head(3)
                 id dimension  weight
    0       horizon  capacity     1.5
    1        income  capacity     1.0
    2  wealth_share  capacity     1.0
    """
    t = table if table is not None else _pf.RiskProfileTable.standard()
    return pd.DataFrame([{"id": q.id, "dimension": q.dimension, "question": q.text, "options": list(q.options),
                          "scores": list(q.scores), "weight": q.weight} for q in t.questions])


def _answers(answers, table):
    if isinstance(answers, dict):
        ids = [q.id for q in table.questions]
        unknown = [k for k in answers if k not in ids]
        if unknown:
            fail("answers", f"unknown questions {describe(unknown)}; the questions are {ids}")
        missing = [i for i in ids if i not in answers]
        if missing:
            fail("answers", f"no answer to {describe(missing)}")
        return [as_int(answers[i], f"answers[{i!r}]") for i in ids]
    return [int(v) for v in as_int_vector(answers, "answers")]


def assess_risk(answers, table=None, horizon_years: float = math.inf):
    """Scores questionnaire answers (option index per question, or a dict by question id).

    Capacity for loss and willingness to take risk are scored apart on 0..100; the profile (1..5)
    is the stricter of the two, capped by the glide path for the horizon.

    Parameters
    ----------
    answers : list of int or dict
        The option chosen for each question (0-based), in order or by question id.
    table : RiskProfileTable, optional
        Default: :func:`standard_profile_table`.
    horizon_years : float, default inf
        Years to the goal (the glide path caps the profile).

    Returns
    -------
    RiskAssessment
        ``capacity_score``, ``willingness_score``, their profiles, ``profile``, ``horizon_cap``,
        ``binding`` and the table's ``version``.

    Examples
    --------
    >>> import bankquant as bq
    >>> a = bq.portfolio.assess_risk([4, 4, 4, 4, 0, 1, 0, 0])
    >>> a.capacity_profile, a.willingness_profile, a.profile, a.binding
    (5, 1, 1, 'willingness')
    """
    t = table if table is not None else _pf.RiskProfileTable.standard()
    return _pf.assess_risk(t, _answers(answers, t), as_float(horizon_years, "horizon_years", allow_inf=True))


def adviser_view(weights, expected_return: float, confidence: float = 0.5, description: str = "", *, assets=None):
    """An adviser's view for :meth:`Advisor.advise`: ``weights`` is a dict {asset: coefficient}
    (``{"IBM": 1}`` absolute; ``{"IBM": 1, "KO": -1}`` relative) or a vector over the assets.

    Parameters
    ----------
    weights : dict or 1-D array-like
        The view's coefficients by asset.
    expected_return : float
        What the view says the combination returns (annual).
    confidence : float, default 0.5
        In [0, 1] (Idzorek).
    description : str, optional
    assets : list, optional
        The asset order (needed for a dict).

    Returns
    -------
    AdviserView

    Examples
    --------
    >>> import bankquant as bq
    >>> v = bq.portfolio.adviser_view({"IBM": 1.0}, 0.12, 0.6, "IBM gains 12%", assets=["IBM", "KO"])
    >>> list(v.weights), v.confidence
    ([1.0, 0.0], 0.6)
    """
    conf = as_float(confidence, "confidence", minimum=0, maximum=1)
    q = as_float(expected_return, "expected_return")
    if isinstance(weights, dict):
        if assets is None:
            fail("assets", "a dict view needs the asset names")
        w = np.zeros(len(assets))
        for k, v in weights.items():
            w[asset_index(k, list(assets), "weights")] = as_float(v, f"weights[{k!r}]")
    else:
        w = as_float_vector(weights, "weights")
    if not np.any(w != 0):
        fail("weights", "a view needs at least one asset")
    return _pf.AdviserView(weights=w, expected_return=q, confidence=conf, description=as_str(description, "description"))


class Advice:
    """Advice for one client: ``profile``, ``assessment``, ``portfolio`` (a PortfolioResult),
    ``weights`` and ``explanation`` (the suitability note).

    Returned by :meth:`Advisor.advise`.

    Attributes
    ----------
    profile : int
        1 (cautious) to 5.
    assessment : RiskAssessment
    portfolio : PortfolioResult
    weights : pandas.Series
    explanation : str
        The suitability note.

    Examples
    --------
    >>> import bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> mu, cov = bq.portfolio.expected_returns(r), bq.portfolio.covariance(r, "ledoit_wolf")
    >>> mu["CASH"] = 0.04; cov["CASH"] = 0.0; cov.loc["CASH"] = 0.0
    >>> advisor = bq.portfolio.Advisor(mu, cov, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.04)
    >>> advice = advisor.advise({"id": "client-17", "answers": [3, 4, 3, 3, 2, 3, 2, 3]})
    >>> advice
    Advice('client-17': profile 4, volatility 13.00%, expected return 22.51%)
    >>> round(advice.weights["CASH"], 4)
    0.2735
    """

    def __init__(self, raw, names):
        self._raw = raw
        self._names = names

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    def __reduce__(self):
        return (Advice, (self._raw, self._names))

    @property
    def profile(self) -> int:
        return int(self._raw.assessment.profile)

    @property
    def portfolio(self) -> PortfolioResult:
        return PortfolioResult(self._raw.portfolio, self._names)

    @property
    def weights(self) -> pd.Series:
        return self.portfolio.weights

    def __repr__(self) -> str:
        p = self._raw.portfolio
        return (f"Advice({self._raw.id!r}: profile {self.profile}, volatility {p.volatility:.2%}, "
                f"expected return {p.expected_return:.2%})")


class Advisor:
    """The robo-advisor over an asset universe.

    Parameters
    ----------
    expected_returns : Series
        Annual expected returns of the universe.
    cov : DataFrame
        Annual covariance.
    asset_classes : Series, dict or list
        Class of each asset ('equity', 'bond', 'cash', ...): the profile table limits classes.
    table : RiskProfileTable, optional
        The versioned questionnaire and profiles (default: :func:`standard_profile_table`).
    risk_free : float, default 0

    Examples
    --------
    >>> import numpy as np, pandas as pd, bankquant as bq
    >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
    >>> mu = bq.portfolio.expected_returns(r); S = bq.portfolio.covariance(r)
    >>> mu["CASH"] = 0.04; S["CASH"] = 0.0; S.loc["CASH"] = 0.0            # a riskless asset
    >>> classes = {a: "equity" for a in r.columns} | {"CASH": "cash"}
    >>> adv = bq.portfolio.Advisor(mu, S, classes, risk_free=0.04)
    >>> a = adv.advise({"id": "c1", "answers": [3, 3, 3, 3, 2, 2, 2, 2]})
    >>> a.profile, round(float(a.portfolio.volatility), 4)
    (3, 0.1)
    """

    def __init__(self, expected_returns, cov, asset_classes, table=None, risk_free: float = 0.0):
        values, names = covariance_matrix(cov, "cov")
        n = values.shape[0]
        names = list(names) if names is not None else (labels(expected_returns) or [f"asset {i}" for i in range(n)])
        mu = asset_vector(expected_returns, "expected_returns", n, names)
        if isinstance(asset_classes, dict):
            missing = [a for a in names if a not in asset_classes]
            if missing:
                fail("asset_classes", f"no class for {describe(missing)}")
            classes = [str(asset_classes[a]) for a in names]
        elif isinstance(asset_classes, pd.Series):
            classes = [str(c) for c in asset_classes.reindex(names)]
            if asset_classes.reindex(names).isna().any():
                fail("asset_classes", "no class for some assets")
        else:
            classes = [str(c) for c in asset_classes]
            if len(classes) != n:
                fail("asset_classes", f"expected {n} classes (one per asset), got {len(classes)}")
        self.table = table if table is not None else _pf.RiskProfileTable.standard()
        if not isinstance(self.table, _pf.RiskProfileTable):
            fail("table", f"expected a RiskProfileTable, got {describe(self.table)}")
        self.names = names
        rf = as_float(risk_free, "risk_free")
        self._raw = _pf.Advisor(mu, values, [str(a) for a in names], classes, self.table, rf)
        # the validated inputs, so the advisor pickles (to Dask workers, for one) by being rebuilt
        self._inputs = (pd.Series(mu, index=names), pd.DataFrame(values, index=names, columns=names),
                        dict(zip(names, classes)), self.table, rf)

    def __reduce__(self):
        return (Advisor, self._inputs)

    def assess(self, answers, horizon_years: float = math.inf):
        """The risk assessment of questionnaire answers (see :func:`assess_risk`).

        Parameters
        ----------
        answers : list of int or dict
            As :func:`assess_risk`.
        horizon_years : float, default inf

        Returns
        -------
        RiskAssessment

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mu = bq.portfolio.expected_returns(r); S = bq.portfolio.covariance(r)
        >>> mu["CASH"] = 0.04; S["CASH"] = 0.0; S.loc["CASH"] = 0.0
        >>> adv = bq.portfolio.Advisor(mu, S, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.04)
        >>> a = adv.assess([3, 3, 3, 3, 2, 2, 2, 2], horizon_years=3)
        >>> a.profile, a.binding
        (3, 'willingness')
        """
        return self._raw.assess(_answers(answers, self.table), as_float(horizon_years, "horizon_years", allow_inf=True))

    def model_portfolio(self, profile: int) -> PortfolioResult:
        """The model portfolio of a profile (1..5).

        Parameters
        ----------
        profile : int
            1 to 5.

        Returns
        -------
        PortfolioResult

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mu = bq.portfolio.expected_returns(r); S = bq.portfolio.covariance(r)
        >>> mu["CASH"] = 0.04; S["CASH"] = 0.0; S.loc["CASH"] = 0.0
        >>> adv = bq.portfolio.Advisor(mu, S, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.04)
        >>> adv.model_portfolio(3)
        PortfolioResult(method='efficient_risk', expected_return=0.1816, volatility=0.1, sharpe=1.416, holdings=17, status='converged')
        """
        raw = self._raw.model_portfolio(as_int(profile, "profile", minimum=1, maximum=5))
        warn_if_not_converged(raw, f"model portfolio {profile}")
        return PortfolioResult(raw, self.names)

    def model_portfolios(self) -> pd.DataFrame:
        """All five model portfolios: weights, expected return and volatility per profile.

        Returns
        -------
        pandas.DataFrame
            Index ``profile``; expected_return, volatility, target_volatility and one column per asset.

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mu = bq.portfolio.expected_returns(r); S = bq.portfolio.covariance(r)
        >>> mu["CASH"] = 0.04; S["CASH"] = 0.0; S.loc["CASH"] = 0.0
        >>> adv = bq.portfolio.Advisor(mu, S, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.04)
        >>> adv.model_portfolios()[["volatility", "CASH"]].round(3)
                 volatility   CASH
        profile
        1              0.04  0.800
        2              0.07  0.611
        3              0.10  0.444
        4              0.13  0.278
        5              0.16  0.108
        """
        rows = {}
        for level in range(1, 6):
            p = self.model_portfolio(level)
            rows[level] = pd.concat([pd.Series({"expected_return": p.expected_return, "volatility": p.volatility,
                                                "target_volatility": self.table.profiles[level - 1].target_volatility}),
                                     p.weights])
        return pd.DataFrame(rows).T.rename_axis("profile")

    def _client(self, client):
        if isinstance(client, _pf.ClientRequest):
            return client
        if not isinstance(client, dict):
            fail("client", f"expected a dict of client fields or a ClientRequest, got {describe(client)}")
        c = dict(client)
        n = len(self.names)
        req = _pf.ClientRequest()
        req.id = str(c.pop("id", ""))
        if "answers" in c:
            req.answers = _answers(c.pop("answers"), self.table)
        if "profile" in c:
            req.profile = as_int(c.pop("profile"), "profile")
        if "horizon_years" in c:
            req.horizon_years = as_float(c.pop("horizon_years"), "horizon_years", allow_inf=True)
        if "max_weights" in c:
            req.max_weights = asset_vector(c.pop("max_weights"), "max_weights", n, self.names, fill=1.0)
        if "excluded" in c:
            req.excluded = [asset_index(a, self.names, "excluded") for a in c.pop("excluded")]
        if "current_weights" in c:
            req.current_weights = asset_vector(c.pop("current_weights"), "current_weights", n, self.names, fill=0.0)
        if "previous_profile" in c:
            req.previous_profile = as_int(c.pop("previous_profile"), "previous_profile", minimum=0, maximum=5)
        if c:
            fail("client", f"unknown fields {sorted(c)}; expected id, answers, profile, horizon_years, max_weights, "
                           "excluded, current_weights, previous_profile")
        return req

    def _views(self, views):
        if views is None:
            return []
        if not isinstance(views, (list, tuple)):
            views = [views]
        for i, v in enumerate(views):
            if not isinstance(v, _pf.AdviserView):
                fail("views", f"item {i} is not an adviser_view ({describe(v)})")
        return list(views)

    def advise(self, client, views=None) -> Advice:
        """Advice for one client: a dict with ``answers`` (or ``profile``), and optionally
        ``horizon_years``, ``max_weights``, ``excluded``, ``current_weights``, ``previous_profile``;
        ``views`` from :func:`adviser_view`.

        Parameters
        ----------
        client : dict
            ``answers`` or ``profile``, and optionally ``id``, ``horizon_years``, ``max_weights``,
            ``excluded``, ``current_weights``, ``previous_profile``.
        views : list of AdviserView, optional

        Returns
        -------
        Advice

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mu = bq.portfolio.expected_returns(r); S = bq.portfolio.covariance(r)
        >>> mu["CASH"] = 0.04; S["CASH"] = 0.0; S.loc["CASH"] = 0.0
        >>> adv = bq.portfolio.Advisor(mu, S, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.04)
        >>> adv.advise({"id": "c1", "answers": [3, 3, 3, 3, 2, 2, 2, 2]}).profile
        3
        """
        raw = self._raw.advise(self._client(client), self._views(views))
        warn_if_not_converged(raw.portfolio, f"advice for {raw.id!r}")
        return Advice(raw, self.names)

    def advise_many(self, clients, views=None, progress=None) -> pd.DataFrame:
        """Advice for many clients in parallel: a list of client dicts or a DataFrame with one row
        per client (columns as the dict keys). Returns one row per client: profile, expected
        return, volatility and the weights.

        Parameters
        ----------
        clients : list of dict or DataFrame
        views : list of AdviserView, optional
        progress : None, bool or callable
            See :mod:`bankquant._progress`.

        Returns
        -------
        pandas.DataFrame
            One row per client: id, profile, expected_return, volatility and the weights.

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mu = bq.portfolio.expected_returns(r); S = bq.portfolio.covariance(r)
        >>> mu["CASH"] = 0.04; S["CASH"] = 0.0; S.loc["CASH"] = 0.0
        >>> adv = bq.portfolio.Advisor(mu, S, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.04)
        >>> many = adv.advise_many([{"id": "c1", "answers": [3, 3, 3, 3, 2, 2, 2, 2]}, {"id": "c2", "profile": 1}])
        >>> many[["id", "profile", "volatility"]]
           id  profile  volatility
        0  c1        3        0.10
        1  c2        1        0.04
        """
        if isinstance(clients, pd.DataFrame):
            records = []
            for row in clients.to_dict("records"):
                records.append({k: v for k, v in row.items()
                                if not (np.ndim(v) == 0 and isinstance(v, float) and math.isnan(v))})
        elif isinstance(clients, (list, tuple)):
            records = list(clients)
        else:
            fail("clients", f"expected a list of client dicts or a DataFrame, got {describe(clients)}")
        reqs = [self._client(c) for c in records]
        raws = self._raw.advise_many(reqs, self._views(views), resolve_progress(progress))
        rows = []
        for raw in raws:
            row = {"id": raw.id, "profile": raw.assessment.profile, "expected_return": raw.portfolio.expected_return,
                   "volatility": raw.portfolio.volatility}
            row.update(dict(zip(self.names, np.asarray(raw.portfolio.weights))))
            rows.append(row)
        return pd.DataFrame(rows)

    def expected_returns(self, views=None) -> pd.Series:
        """The expected returns after the views (Black-Litterman posterior).

        Parameters
        ----------
        views : list of AdviserView, optional

        Returns
        -------
        pandas.Series

        Examples
        --------
        >>> import bankquant as bq
        >>> r = bq.portfolio.returns_from_prices(bq.datasets.dow_jones_30())
        >>> mu = bq.portfolio.expected_returns(r); S = bq.portfolio.covariance(r)
        >>> mu["CASH"] = 0.04; S["CASH"] = 0.0; S.loc["CASH"] = 0.0
        >>> adv = bq.portfolio.Advisor(mu, S, {a: "equity" for a in r.columns} | {"CASH": "cash"}, risk_free=0.04)
        >>> view = bq.portfolio.adviser_view({"IBM": 1.0}, 0.20, 0.8, "IBM +20%", assets=list(mu.index))
        >>> round(adv.expected_returns()["IBM"], 4), round(adv.expected_returns([view])["IBM"], 4)
        (0.166, 0.1932)
        """
        return pd.Series(np.asarray(self._raw.expected_returns(self._views(views))), index=self.names,
                         name="expected_return")


class LotAllocation:
    """Whole lots for target weights: ``orders`` (lots, shares, value, weight per asset),
    ``leftover`` cash and the total absolute ``deviation`` from the target values.

    Attributes
    ----------
    orders : pandas.DataFrame
        lots, shares, value, weight and target_weight per asset.
    leftover : float
        Cash left.
    deviation : float
        Total absolute deviation from the target values.

    Examples
    --------
    >>> import bankquant as bq
    >>> lots = bq.portfolio.discrete_allocation({"KO": 0.5, "IBM": 0.5}, {"KO": 45.0, "IBM": 110.0}, 10_000)
    >>> lots
    LotAllocation(leftover 10.00, deviation 90.00)
    >>> lots.orders[["shares", "value"]]
         shares   value
    KO      112  5040.0
    IBM      45  4950.0
    """

    def __init__(self, raw, names, target):
        self._raw = raw
        self._names = names
        self._target = target

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._raw, name)

    @property
    def orders(self) -> pd.DataFrame:
        return pd.DataFrame({"lots": list(self._raw.lots), "shares": list(self._raw.shares),
                             "value": np.asarray(self._raw.values), "weight": np.asarray(self._raw.weights),
                             "target_weight": self._target}, index=self._names)

    def __repr__(self) -> str:
        return f"LotAllocation(leftover {self._raw.leftover:.2f}, deviation {self._raw.deviation:.2f})"


def discrete_allocation(weights, prices, total_value: float, lot_sizes=None, time_limit: float = 10.0) -> LotAllocation:
    """Integer lots for target weights at the latest prices and an amount of cash (an integer
    program solved with CBC: least total absolute deviation from the target values plus leftover).

    Parameters
    ----------
    weights : dict or Series
        Target weights by asset.
    prices : dict or Series
        Latest prices by asset.
    total_value : float
        Cash to invest.
    lot_sizes : dict, Series or list, optional
        Shares per lot (default 1).
    time_limit : float, default 10
        Seconds for CBC.

    Returns
    -------
    LotAllocation

    Examples
    --------
    >>> import bankquant as bq
    >>> lots = bq.portfolio.discrete_allocation({"KO": 0.5, "IBM": 0.5}, {"KO": 45.0, "IBM": 110.0}, 10_000)
    >>> lots.orders["shares"].tolist(), round(lots.leftover, 2)    # 5040 and 4950 against 5000 each
    ([112, 45], 10.0)
    """
    if isinstance(weights, dict):
        weights = pd.Series(weights, dtype=float)
    names = labels(weights) or list(range(len(weights)))
    n = len(names)
    w = asset_vector(weights, "weights", n, names)
    if isinstance(prices, dict):
        prices = pd.Series(prices, dtype=float)
    p = asset_vector(prices, "prices", n, names)
    lots = [] if lot_sizes is None else [int(v) for v in as_int_vector(
        asset_vector(lot_sizes, "lot_sizes", n, names) if not isinstance(lot_sizes, (list, tuple)) else lot_sizes,
        "lot_sizes")]
    raw = _pf.discrete_allocation(w, p, as_float(total_value, "total_value"), lots,
                                  as_float(time_limit, "time_limit", minimum=0, strict_minimum=True))
    warn_if_not_converged(raw, "discrete_allocation")
    return LotAllocation(raw, names, w)
