"""Sphinx configuration of bankquant's documentation (`make docs` builds it into build/docs/html).

The Python API pages are generated from the package's docstrings (autodoc + numpydoc, one page per
public module, listing its ``__all__``); the C++ API comes from the headers' comments through
Doxygen and breathe; the notebooks are executed and rendered by nbsphinx.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import bankquant  # noqa: E402  (the installed package: docs describe what users import)

project = "bankquant"
author = "bankquant developers"
release = bankquant.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "nbsphinx",
    "breathe",
    "api_pages",
]

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False, "show-inheritance": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_validation_checks = set()
nbsphinx_execute = os.environ.get("BANKQUANT_DOCS_EXECUTE", "always")
nbsphinx_timeout = 900
nbsphinx_kernel_name = os.environ.get("BANKQUANT_DOCS_KERNEL", "python3")
breathe_projects = {"bankquant": os.environ.get("BANKQUANT_DOXYGEN_XML", str(HERE.parents[0] / "build" / "docs" / "doxygen" / "xml"))}
breathe_default_project = "bankquant"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
html_theme = "furo"
html_title = f"bankquant {release}"
templates_path = []
