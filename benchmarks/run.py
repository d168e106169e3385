"""Runs bankquant's benchmarks against the peer a user would otherwise pick, in the same run,
and writes benchmarks/RESULTS.md.

    make bench                                   # every module
    .venv/bin/python benchmarks/run.py --module risk [--repeats 7]   # one module's section only

Each case is timed ``--repeats`` times after a warm-up; the tables quote medians (the machines
are shared and noisy) and the ratio peer / bankquant (> 1: bankquant is faster). The cases live in
``benchmarks/cases/<module>.py``; ``--module`` rewrites only that module's section of RESULTS.md
(between its ``<!-- module:NAME -->`` markers) and leaves the others as they were. The Google
Benchmark programs in build/release/benchmarks/cpp/ are run with the full report.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, List

import numpy as np
import scipy

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bankquant as bq  # noqa: E402
from cases import MODULES, ROOT, Case  # noqa: E402


def _median_seconds(f: Callable[[], object], repeats: int) -> float:
    f()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def run_cases(cases: List[Case], repeats: int, threads: List[int], only: str = "") -> List[dict]:
    rows = []
    for case in cases:
        if only and only not in case.name:
            continue
        data = case.setup()
        peer = _median_seconds(lambda: case.peer(data), repeats)
        for t in threads:
            with bq.num_threads(t):
                ours = _median_seconds(lambda: case.ours(data), repeats)
            rows.append({"case": case.name, "threads": t, "bankquant_s": ours, "peer": case.peer_name,
                         "peer_s": peer, "ratio": peer / ours, "target_s": case.target_s,
                         "flops": case.flops, "normals": case.normals})
            print(f"{case.name:<40} {t} thr  bankquant {ours:8.4f} s   {case.peer_name} {peer:8.4f} s   "
                  f"ratio {peer / ours:5.2f}", flush=True)
    return rows


def timing_table(rows: List[dict]) -> str:
    table = ["| case | threads | bankquant (s) | peer | peer (s) | peer / bankquant | target |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        target = ""
        if r["target_s"]:
            target = f"< {r['target_s']:g} s: {'met' if r['bankquant_s'] < r['target_s'] else 'NOT met'}"
        table.append(f"| {r['case']} | {r['threads']} | {r['bankquant_s']:.4f} | {r['peer']} | {r['peer_s']:.4f} | "
                     f"**{r['ratio']:.2f}** | {target} |")
    return "\n".join(table)


def module_section(name: str, repeats: int, threads: List[int], only: str = "") -> str:
    module = importlib.import_module(f"cases.{name}")
    rows = run_cases(module.cases(), repeats, threads, only)
    parts = [f"<!-- module:{name} -->", f"## {module.TITLE}", ""]
    if rows:  # a module may have only extra sections (scale_out: no peer to compare with)
        parts += [f"Medians of {repeats} timed runs after a warm-up ({time.strftime('%Y-%m-%d')}; "
                  f"`.venv/bin/python benchmarks/run.py --module {name}`).", "", timing_table(rows), ""]
    if hasattr(module, "extra_sections"):
        parts += [module.extra_sections(rows), ""]
    notes = getattr(module, "NOTES", [])
    if notes:
        parts += ["Notes:", "", *notes, ""]
    parts.append(f"<!-- /module:{name} -->")
    return "\n".join(parts)


def run_google_benchmarks() -> str:
    folder = ROOT / "build" / "release" / "benchmarks" / "cpp"
    sections = []
    for exe in sorted(folder.glob("bench_*")):
        if not os.access(exe, os.X_OK) or exe.suffix:
            continue
        done = subprocess.run([str(exe), "--benchmark_format=json", "--benchmark_min_time=0.2",
                               "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true"],
                              capture_output=True, text=True, check=True)
        report = json.loads(done.stdout)
        lines = [f"### {exe.name}", "", "| benchmark | median real time | items/s |", "|---|---|---|"]
        for b in report["benchmarks"]:
            if b.get("aggregate_name") != "median":
                continue
            items = b.get("items_per_second")
            lines.append(f"| {b['run_name']} | {b['real_time']:.4g} {b['time_unit']} | "
                         f"{items / 1e6:.1f} M/s |" if items else
                         f"| {b['run_name']} | {b['real_time']:.4g} {b['time_unit']} | |")
        sections.append("\n".join(lines))
    if not sections:
        return f"(no benchmark programs in {folder.relative_to(ROOT)}: configure with -DBANKQUANT_BUILD_BENCHMARKS=ON)"
    return "\n\n".join(sections)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def header(repeats: int) -> str:
    cores = os.cpu_count() or 1
    return "\n".join([
        "# Benchmark results",
        "",
        "Written by `benchmarks/run.py` (`make bench`; one module: `benchmarks/run.py --module NAME`). Medians "
        "of timed runs after a warm-up, bankquant and its peer in the same run; ratio > 1 means bankquant is "
        "faster. The machines are shared and noisy: compare ratios, not absolute times. Each module's section "
        "states the shape of its data.",
        "",
        f"- machine: {cpu_name()}, {cores} cores; Python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}; bankquant {bq.__version__}",
        "- numpy peers run on OpenBLAS (installed by scripts/install-deps.sh; without it Debian's numpy uses the "
        "reference BLAS), with its default threads (all cores) and the machine's OPENBLAS_CORETYPE setting.",
        "",
    ])


def replace_section(text: str, name: str, section: str) -> str:
    """Puts `section` in place of the module's marked section, or before the C++ part if absent."""
    pattern = re.compile(rf"<!-- module:{re.escape(name)} -->.*?<!-- /module:{re.escape(name)} -->", re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: section, text)
    marker = "<!-- cpp -->"
    if marker in text:
        return text.replace(marker, section + "\n\n" + marker)
    return text.rstrip() + "\n\n" + section + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    parser.add_argument("--module", default="", help=f"one of {', '.join(MODULES)}: rewrite only its section")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this (no RESULTS.md)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    threads = sorted({1, cores})
    output = Path(args.output)

    if args.only:
        for name in [args.module] if args.module else MODULES:
            run_cases(importlib.import_module(f"cases.{name}").cases(), args.repeats, threads, args.only)
        return
    if args.module:
        if args.module not in MODULES:
            parser.error(f"--module: expected one of {', '.join(MODULES)}, got {args.module!r}")
        text = output.read_text() if output.exists() else header(args.repeats) + "\n<!-- cpp -->\n"
        output.write_text(replace_section(text, args.module, module_section(args.module, args.repeats, threads)))
        print(f"wrote the {args.module} section of {output}")
        return
    sections = [module_section(name, args.repeats, threads) for name in MODULES]
    text = "\n".join([header(args.repeats), *sections, "", "<!-- cpp -->",
                      "## C++ micro-benchmarks (Google Benchmark, medians of 3 repetitions)", "",
                      run_google_benchmarks(), ""])
    output.write_text(text)
    print(f"wrote {output}")


if __name__ == "__main__":
    sys.exit(main())
