"""Model files: versioned JSON that bankquant's C++ and Python read alike.

A file holds ``{"format": "bankquant-model", "kind": ..., "schema_version": ...,
"library_version": ..., "model": {...}}``. Each model class saves with :func:`save_model` and
loads with :func:`load_model`, which refuses a corrupted file, another kind of model, or a
file written by a newer bankquant with a :class:`~bankquant.exceptions.ModelFormatError`.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import Any, Dict, Optional, Union

from . import _core
from .exceptions import InvalidArgumentError

__all__ = ["ModelDocument", "save_model", "load_model", "loads_model", "encode_floats", "decode_floats"]

PathLike = Union[str, os.PathLike]


@dataclass(frozen=True)
class ModelDocument:
    """What a model file holds: its kind, schema version, the writing library's version and the model."""

    kind: str
    schema_version: int
    library_version: str
    model: Dict[str, Any]


def encode_floats(value):
    """Replaces non-finite floats (anywhere in nested lists/dicts) by "inf", "-inf", "nan"; JSON has none."""
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, dict):
        return {k: encode_floats(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_floats(v) for v in value]
    return value


def decode_floats(value):
    """The inverse of encode_floats for a list of numbers: "inf"/"-inf"/"nan" back to floats."""
    table = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}
    if isinstance(value, list):
        return [table.get(v, v) if isinstance(v, str) else v for v in value]
    if isinstance(value, str) and value in table:
        return table[value]
    return value


def save_model(path: PathLike, kind: str, model: Dict[str, Any], schema_version: int = 1) -> None:
    """Writes ``model`` (a JSON-able dict) as a ``kind`` model file, atomically.

    Examples
    --------
    >>> import bankquant as bq, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "m.json")
    >>> bq.io.save_model(path, "example", {"edges": [float("-inf"), 0.5]})
    >>> bq.io.load_model(path, kind="example").model["edges"]
    ['-inf', 0.5]
    """
    if not isinstance(kind, str) or not kind:
        raise InvalidArgumentError(f"argument 'kind': expected a non-empty string, got {kind!r}")
    if not isinstance(model, dict):
        raise InvalidArgumentError(f"argument 'model': expected a dict, got {type(model).__name__}")
    try:
        text = json.dumps(encode_floats(model), allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InvalidArgumentError(f"argument 'model': not representable as JSON ({error})") from None
    _core.core.save_model(os.fspath(path), kind, int(schema_version), text)


def _document(raw: dict) -> ModelDocument:
    return ModelDocument(raw["kind"], raw["schema_version"], raw["library_version"], json.loads(raw["model_json"]))


def load_model(path: PathLike, kind: Optional[str] = None, max_schema_version: int = 1) -> ModelDocument:
    """Reads a model file; ``kind`` (if given) must match, the schema version must be <= ``max_schema_version``."""
    return _document(_core.core.load_model(os.fspath(path), kind or "", int(max_schema_version)))


def loads_model(text: str, kind: Optional[str] = None, max_schema_version: int = 1) -> ModelDocument:
    """As load_model, from a string."""
    return _document(_core.core.read_model_text(text, kind or "", int(max_schema_version)))
