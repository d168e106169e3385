"""Writes the index page of the notebooks copied into the documentation source (make docs), and
gives the copies' cells the ids nbformat 4.5 requires (nbformat warns about every notebook
without them; the notebooks in notebooks/ are left as they are)."""
import sys
import warnings
from pathlib import Path

import nbformat

folder = Path(sys.argv[1])
for path in sorted(folder.glob("*.ipynb")):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warning this step removes: reading adds the ids
        notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    nbformat.write(notebook, path)
names = sorted(p.stem for p in folder.glob("*.ipynb"))
lines = ["Notebooks", "=========", "", "Executed when the documentation is built.", "", ".. toctree::", "   :maxdepth: 1", ""]
lines += [f"   {name}" for name in names]
(folder / "index.rst").write_text("\n".join(lines) + "\n")
