"""bankquant demo: runs every module on the bundled real data and writes a report.

    python examples/demo.py --output demo-output [--only risk]

writes ``demo-output/report.md`` and the PNG plots it shows. Each library module has a section in
``examples/demo_sections/<module>.py`` (listed in its ``ORDER``).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demo_sections import ORDER  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="demo-output", help="folder for report.md and the plots")
    parser.add_argument("--only", default="", help="run only this module's section (e.g. risk)")
    args = parser.parse_args()
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)

    import bankquant as bq

    names = [args.only] if args.only else ORDER
    sections = [importlib.import_module(f"demo_sections.{name}").section(out) for name in names]
    report = "\n\n".join([f"# bankquant {bq.__version__} demo", *sections]) + "\n"
    (out / "report.md").write_text(report)
    print(report)
    print(f"wrote {out / 'report.md'}")


if __name__ == "__main__":
    main()
