"""Scale-out on Dask (bankquant.dask): no peer cases; the section is benchmarks/dask_scale_out.py's
table of 1 against 2 worker processes and the graph's bytes per edge."""
from __future__ import annotations

from typing import List

from . import ROOT, Case

TITLE = "Scale-out on Dask"


def cases() -> List[Case]:
    return []


def extra_sections(rows) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / "dask_scale_out.py")], capture_output=True,
                          text=True, check=True).stdout.strip()
