"""Keyword arguments -> the C++ Options records, and their documentation.

The Options classes come from C++ (``bankquant._core``); their fields, defaults and docs are
written once, in the C++ ``fields()`` tables. This module only fills them from keyword arguments
and turns their field docs into numpydoc text.
"""
from __future__ import annotations

from typing import Any, Dict


def build(options_type, **fields: Any):
    """An Options record with the given fields set (None leaves the C++ default).

    Each value goes through the record's checked setter, so a bad value raises
    InvalidArgumentError naming the field, which is the user's keyword argument.
    """
    options = options_type()
    for name, value in fields.items():
        if value is not None:
            setattr(options, name, value)
    return options


def defaults(options_type) -> Dict[str, Any]:
    """The C++ defaults of an Options record, as a dict."""
    return options_type().to_dict()


def parameters_doc(options_type, names=None, indent: str = "") -> str:
    """numpydoc 'name : default' entries for the record's fields (all, or those in `names`)."""
    docs = dict(options_type.fields())
    values = options_type().to_dict()
    lines = []
    for name in names if names is not None else docs:
        value = values[name]
        shown = repr(value) if not hasattr(value, "to_dict") else type(value).__name__ + "()"
        lines.append(f"{indent}{name} : default {shown}")
        lines.append(f"{indent}    {docs[name]}")
    return "\n".join(lines)
