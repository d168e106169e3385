"""Writes the index page of the notebooks copied into the documentation source (make docs)."""
import sys
from pathlib import Path

folder = Path(sys.argv[1])
names = sorted(p.stem for p in folder.glob("*.ipynb"))
lines = ["Notebooks", "=========", "", "Executed when the documentation is built.", "", ".. toctree::", "   :maxdepth: 1", ""]
lines += [f"   {name}" for name in names]
(folder / "index.rst").write_text("\n".join(lines) + "\n")
