"""Writes the type stubs of the compiled module bankquant._core from the module itself.

    .venv/bin/python scripts/make_stubs.py            # writes bindings/python/bankquant/_core/*.pyi
    .venv/bin/python scripts/make_stubs.py --check    # exit 1 if the committed stubs are stale

pybind11 puts each function's signature in the first line of its docstring
("name(x: numpy.ndarray[numpy.float64], level: float = 0.99) -> list"); records generated from the
C++ field tables (bindings/record.hpp) list their fields with ``fields()`` and their default
values give the Python types. The stubs are a stub package (``_core/__init__.pyi`` and one
``<submodule>.pyi`` per C++ module), which type checkers and editors read; the extension itself
stays what Python imports. tests/python/test_stubs.py fails when they are stale.
"""
from __future__ import annotations

import argparse
import inspect
import keyword
import re
import sys
from pathlib import Path

import numpy as np

import bankquant._core as core

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bindings" / "python" / "bankquant" / "_core"

TYPE_MAP = [
    (r"numpy\.ndarray", "_Array"),
    (r"List\[", "list["),
    (r"Dict\[", "dict["),
    (r"Tuple\[", "tuple["),
    (r"Set\[", "set["),
    (r"Optional\[", "Optional["),
    (r"\bobject\b", "Any"),
    (r"\bkwargs\b", "Any"),
    (r"\bargs\b", "Any"),
    (r"Callable\[\[([^\]]*)\], ([^\]]*)\]", r"Callable[[\1], \2]"),
    (r"bankquant\._core\.(\w+)\.(\w+)", r"\2"),
]


def drop_array_parameters(text: str) -> str:
    """numpy.ndarray[numpy.float64[m, n], flags.c_contiguous] -> numpy.ndarray (brackets balanced)."""
    out, i = [], 0
    key = "numpy.ndarray["
    while i < len(text):
        if text.startswith(key, i):
            out.append("numpy.ndarray")
            depth, i = 1, i + len(key)
            while i < len(text) and depth:
                depth += {"[": 1, "]": -1}.get(text[i], 0)
                i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def cpp_type_name(match: re.Match, submodule: str) -> str:
    """A C++ type name pybind11 printed because the type was bound after the function using it
    (``bankquant::graph::AlertList``): the Python class of that name if the submodule has one,
    else Any. Left as it is, it makes the whole stub file invalid Python."""
    name = match.group(0).split("::")[-1]
    return name if inspect.isclass(getattr(getattr(core, submodule), name, None)) else "Any"


def clean_type(text: str, submodule: str) -> str:
    text = drop_array_parameters(text)
    for pattern, repl in TYPE_MAP:
        text = re.sub(pattern, repl, text)
    return re.sub(r"\b\w+(?:::\w+)+", lambda m: cpp_type_name(m, submodule), text)


def split_args(text: str):
    """Splits "a: int, b: list[int] = [1, 2]" at top-level commas."""
    depth, start, parts = 0, 0, []
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


def signature_lines(name: str, doc: str, submodule: str, method: bool):
    """Stub lines for each overload in a pybind11 docstring."""
    sigs = re.findall(rf"^(?:\d+\. )?{re.escape(name)}\((.*)\) -> (.+)$", doc or "", re.M)
    if not sigs:
        args = "self, *args: Any, **kwargs: Any" if method else "*args: Any, **kwargs: Any"
        return [f"def {name}({args}) -> Any: ..."]
    lines = []
    for args, ret in sigs:
        parts = []
        seen_default = False
        for a in split_args(args):
            if a.startswith("*"):
                parts.append(a.split(":")[0] + ": Any")
                continue
            m = re.match(r"(\w+)(?:: ([^=]+?))?(?: = (.+))?$", a)
            if not m:
                parts.append(a)
                continue
            arg, typ, default = m.groups()
            if method and not parts and arg == "self":
                parts.append("self")
                continue
            typ = clean_type(typ.strip(), submodule) if typ else "Any"
            # pybind11 allows a required argument after a defaulted one; a stub cannot say so, and
            # _core is private, so such an argument is shown with a default too
            seen_default = seen_default or default is not None
            parts.append(f"{arg}: {typ}" + (" = ..." if seen_default else ""))
        lines.append(f"def {name}({', '.join(parts)}) -> {clean_type(ret.strip(), submodule)}: ...")
    if len(lines) > 1:
        lines = [f"@overload\n{line}" for line in lines]
    return lines


REFERENCED: dict = {}  # submodule -> names of other submodules' classes it mentions


def python_type(value, submodule: str = "") -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, np.ndarray):
        return "_Array"
    if isinstance(value, list):
        return "list[Any]"
    if value is None:
        return "Optional[Any]"
    cls = type(value)
    owner = cls.__module__.rsplit(".", 1)[-1]
    if cls.__module__.startswith("bankquant._core.") and owner != submodule:
        REFERENCED.setdefault(submodule, set()).add((owner, cls.__name__))
    return cls.__name__


def class_lines(cls, submodule: str):
    lines = [f"class {cls.__name__}:"]
    doc = (cls.__doc__ or "").strip().splitlines()
    if doc:
        lines.append(f'    """{doc[0]}"""')
    fields = {}
    if hasattr(cls, "fields"):
        try:
            instance = cls()
            fields = {name: python_type(getattr(instance, name), submodule) for name, _ in cls.fields()}
        except Exception:  # a record without a default constructor
            fields = {}
    for name, typ in fields.items():
        if keyword.iskeyword(name):  # e.g. BondAnalytics.yield: no stub can declare it
            lines.append(f"    # {name}: {typ}  (a Python keyword: getattr(x, {name!r}))")
        else:
            lines.append(f"    {name}: {typ}")
    for name, member in sorted(vars(cls).items()):
        if name in fields or (name.startswith("_") and name not in ("__init__", "__call__", "__len__",
                                                                      "__getitem__", "__iter__")):
            continue
        if isinstance(member, property):
            ret = "Any"
            m = re.search(r"-> (.+)$", (member.fget.__doc__ or "").splitlines()[0] if member.fget and
                          member.fget.__doc__ else "")
            if m:
                ret = clean_type(m.group(1), submodule)
            lines += ["    @property", f"    def {name}(self) -> {ret}: ..."]
        elif callable(member) or isinstance(member, staticmethod):
            doc = getattr(getattr(cls, name), "__doc__", "") or ""
            is_static = isinstance(inspect.getattr_static(cls, name), staticmethod) or "self:" not in doc.split("\n")[0]
            for line in signature_lines(name, doc, submodule, method=not is_static):
                prefix = "    @staticmethod\n" if is_static else ""
                lines.append(prefix + "\n".join("    " + part for part in line.split("\n")))
    if len(lines) == 1 or (len(lines) == 2 and lines[1].startswith('    """')):
        lines.append("    ...")
    return lines


def module_stub(name: str, module) -> str:
    body = []
    members = sorted(vars(module).items())
    lines = body
    for attr, value in members:
        if attr.startswith("_"):
            continue
        if inspect.isclass(value):
            lines += class_lines(value, name) + [""]
    for attr, value in members:
        if attr.startswith("_") or inspect.isclass(value):
            continue
        if callable(value):
            lines += signature_lines(attr, value.__doc__, name, method=False)
        elif not inspect.ismodule(value):
            lines.append(f"{attr}: {python_type(value, name)}")
    head = [f"# Stubs of bankquant._core.{name}, written by scripts/make_stubs.py from the module itself.",
            "from typing import Any, Callable, Optional, overload", "", "import numpy as np",
            "import numpy.typing as npt", ""]
    for owner, cls in sorted(REFERENCED.get(name, ())):
        head.append(f"from .{owner} import {cls}")
    head += ["", "_Array = npt.NDArray[Any]", ""]
    return "\n".join(head + body) + "\n"


def stubs() -> dict:
    out = {}
    submodules = sorted(n for n, v in vars(core).items() if inspect.ismodule(v))
    init = ["# Stubs of the compiled module bankquant._core (written by scripts/make_stubs.py). Private: users",
            "# import the bankquant package, whose Python modules carry their own annotations.",
            *(f"from . import {n} as {n}" for n in submodules), ""]
    out["__init__.pyi"] = "\n".join(init)
    for n in submodules:
        out[f"{n}.pyi"] = module_stub(n, getattr(core, n))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed stubs differ")
    args = parser.parse_args()
    files = stubs()
    if args.check:
        stale = [n for n, text in files.items() if not (OUT / n).exists() or (OUT / n).read_text() != text]
        extra = [p.name for p in OUT.glob("*.pyi") if p.name not in files] if OUT.exists() else []
        if stale or extra:
            print(f"stale stubs: {stale + extra}; run scripts/make_stubs.py")
            return 1
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for p in OUT.glob("*.pyi"):
        if p.name not in files:
            p.unlink()
    for n, text in files.items():
        (OUT / n).write_text(text)
    print(f"wrote {len(files)} stub files in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
