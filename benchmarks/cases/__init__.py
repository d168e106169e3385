"""Benchmark cases, one module per library module (benchmarks/cases/<module>.py).

Each module defines ``TITLE``, ``cases() -> List[Case]``, optionally ``NOTES`` (lines for its
section) and ``extra_sections(rows) -> str`` (more tables after its timing table). MODULES lists
them in report order; a library module adds its name here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]

MODULES = ["core", "scorecard", "risk", "graph", "portfolio", "staffing", "scale_out"]


@dataclass
class Case:
    name: str
    peer_name: str
    setup: Callable[[], object]           # returns the data both functions take
    ours: Callable[[object], object]
    peer: Callable[[object], object]
    target_s: float = 0.0                 # an issue's bound on bankquant's time on this machine (0: none)
    flops: float = 0.0                    # floating-point operations of the core kernel (for GFLOP/s)
    normals: float = 0.0                  # normal draws (for draws per second per core)
