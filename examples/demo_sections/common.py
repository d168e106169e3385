"""Helpers the demo sections share: markdown tables and median timings."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd


def markdown_table(df: pd.DataFrame, floatfmt: str = ".4g") -> str:
    """A DataFrame as a GitHub markdown table (pandas' to_markdown needs tabulate, not installed)."""
    def cell(v):
        if isinstance(v, float):
            return format(v, floatfmt)
        return str(v)

    header = "| " + " | ".join([df.index.name or ""] + [str(c) for c in df.columns]) + " |"
    rule = "|" + "---|" * (len(df.columns) + 1)
    rows = ["| " + " | ".join([str(i)] + [cell(v) for v in row]) + " |" for i, row in zip(df.index, df.itertuples(index=False))]
    return "\n".join([header, rule, *rows])


def median_seconds(f, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return float(np.median(times))
