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
    """What a model file holds: its kind, schema version, the writing library's version and the model.

    Returned by :func:`load_model` and :func:`loads_model` (a frozen dataclass).

    Attributes
    ----------
    kind : str
        The kind of model ("scorecard", "binning", ...; any non-empty name).
    schema_version : int
        The version of that kind's layout.
    library_version : str
        The bankquant version that wrote the file.
    model : dict
        The model itself, as JSON decoded it (non-finite floats as "inf", "-inf", "nan").

    Examples
    --------
    >>> import bankquant as bq
    >>> doc = bq.io.loads_model('{"format": "bankquant-model", "kind": "example", "schema_version": 1, '
    ...                         '"library_version": "0.1.0", "model": {"q": 0.5}}')
    >>> doc.kind, doc.schema_version, doc.model
    ('example', 1, {'q': 0.5})
    """

    kind: str
    schema_version: int
    library_version: str
    model: Dict[str, Any]


def encode_floats(value):
    """Replaces non-finite floats (anywhere in nested lists/dicts) by "inf", "-inf", "nan"; JSON has none.

    Parameters
    ----------
    value : float, dict, list, tuple or anything else
        Containers are walked recursively (tuples become lists); other values pass unchanged.

    Returns
    -------
    The same structure with each non-finite float replaced by its string.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.io.encode_floats([1.0, float("inf"), {"a": float("nan")}])
    [1.0, 'inf', {'a': 'nan'}]
    """
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
    """The inverse of :func:`encode_floats` for one value or a flat list of numbers.

    Parameters
    ----------
    value : list, str or anything else
        "inf", "-inf" and "nan" (alone or as items of a list) become floats; nested containers
        are not walked.

    Returns
    -------
    The value with those strings replaced by ``inf``, ``-inf`` and ``nan``.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.io.decode_floats(["-inf", 0.5, "inf"])
    [-inf, 0.5, inf]
    """
    table = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}
    if isinstance(value, list):
        return [table.get(v, v) if isinstance(v, str) else v for v in value]
    if isinstance(value, str) and value in table:
        return table[value]
    return value


def save_model(path: PathLike, kind: str, model: Dict[str, Any], schema_version: int = 1) -> None:
    """Writes ``model`` (a JSON-able dict) as a ``kind`` model file, atomically.

    The file is ``{"format": "bankquant-model", "kind": ..., "schema_version": ...,
    "library_version": ..., "model": ...}``, written to a temporary file and renamed, so a reader
    never sees half a file. C++ reads it with ``bankquant::io``.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write (replaced if it exists).
    kind : str
        The kind of model, non-empty; :func:`load_model` checks it.
    model : dict
        JSON-able content; non-finite floats are written as "inf", "-inf", "nan".
    schema_version : int, default 1
        The version of this kind's layout.

    Returns
    -------
    None

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.io.save_model("m.json", "example", {"edges": [float("-inf"), 0.5]})
    >>> bq.io.load_model("m.json", kind="example").model["edges"]
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
    """Reads a model file written by :func:`save_model` (or by C++ ``bankquant::io``).

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    kind : str, optional
        If given, the file's kind must be this.
    max_schema_version : int, default 1
        The newest schema version the caller understands; a newer file is refused.

    Returns
    -------
    ModelDocument

    Raises
    ------
    ModelFormatError
        The file is not valid JSON, not a bankquant model, of another kind or too new.

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.io.save_model("m.json", "example", {"q": 0.5})
    >>> bq.io.load_model("m.json", kind="example").model
    {'q': 0.5}
    >>> try:
    ...     bq.io.load_model("m.json", kind="scorecard")
    ... except bq.ModelFormatError as error:
    ...     print(error)
    model file holds a 'example' model, expected a 'scorecard' model
    """
    return _document(_core.core.load_model(os.fspath(path), kind or "", int(max_schema_version)))


def loads_model(text: str, kind: Optional[str] = None, max_schema_version: int = 1) -> ModelDocument:
    """As :func:`load_model`, from the text of a model file.

    Parameters
    ----------
    text : str
        The JSON text.
    kind : str, optional
        If given, the document's kind must be this.
    max_schema_version : int, default 1
        The newest schema version the caller understands.

    Returns
    -------
    ModelDocument

    Examples
    --------
    >>> import bankquant as bq
    >>> bq.io.loads_model('{"format": "bankquant-model", "kind": "example", "schema_version": 1, '
    ...                   '"library_version": "0.1.0", "model": {}}').library_version
    '0.1.0'
    """
    return _document(_core.core.read_model_text(text, kind or "", int(max_schema_version)))
