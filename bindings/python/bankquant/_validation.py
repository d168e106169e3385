"""Input conversion shared by the Python wrappers: arrays in, clear errors out."""
from __future__ import annotations

import numpy as np

from .exceptions import InvalidArgumentError


def as_float_array(values, name: str) -> np.ndarray:
    """A float64 array view of ``values`` (no copy when it already is one); a named error otherwise."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InvalidArgumentError(f"argument '{name}': expected numbers, got {type(values).__name__} ({error})") from None
    return array


def as_float_vector(values, name: str) -> np.ndarray:
    """As as_float_array, and 1-D."""
    array = as_float_array(values, name)
    if array.ndim != 1:
        raise InvalidArgumentError(f"argument '{name}': expected a 1-D array, got shape {array.shape}")
    return array
