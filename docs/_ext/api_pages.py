"""Writes one API page per public module of the package (its ``__all__``), before Sphinx reads.

So a new module, or a new public name, appears in the reference without anyone editing an .rst.
"""
from __future__ import annotations

import inspect
from pathlib import Path

import bankquant as bq


def _page(module_name: str, module) -> str:
    title = f"``bankquant.{module_name}``" if module_name else "``bankquant``"
    lines = [title, "=" * len(title), "", f".. automodule:: {module.__name__}", "   :no-members:", ""]
    functions = [n for n in module.__all__ if inspect.isfunction(getattr(module, n)) or inspect.isbuiltin(getattr(module, n))]
    classes = [n for n in module.__all__ if inspect.isclass(getattr(module, n))]
    others = [n for n in module.__all__ if n not in functions and n not in classes and not inspect.ismodule(getattr(module, n))]
    if functions:
        lines += ["Functions", "---------", "", ".. autosummary::", "   :nosignatures:", ""]
        lines += [f"   ~{module.__name__}.{n}" for n in functions] + [""]
        lines += [f".. autofunction:: {module.__name__}.{n}" for n in functions] + [""]
    if classes:
        lines += ["Classes", "-------", ""]
        lines += [f".. autoclass:: {module.__name__}.{n}\n   :members:\n" for n in classes]
    if others:
        lines += ["Constants", "---------", ""]
        lines += [f".. autodata:: {module.__name__}.{n}\n   :annotation:\n" for n in others]
    return "\n".join(lines) + "\n"


def write_pages(app) -> None:
    out = Path(app.srcdir) / "api" / "python"
    out.mkdir(parents=True, exist_ok=True)
    modules = [("", bq)] + [(n, getattr(bq, n)) for n in bq.__all__ if inspect.ismodule(getattr(bq, n))]
    index = ["Python API", "==========", "", ".. toctree::", "   :maxdepth: 1", ""]
    for name, module in modules:
        if not getattr(module, "__all__", None):
            continue
        stem = name or "bankquant"
        (out / f"{stem}.rst").write_text(_page(name, module))
        index.append(f"   python/{stem}")
    (Path(app.srcdir) / "api" / "python.rst").write_text("\n".join(index) + "\n")


def setup(app):
    app.connect("builder-inited", write_pages)
    return {"parallel_read_safe": True}
