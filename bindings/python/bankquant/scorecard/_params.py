"""scikit-learn's estimator parameter convention, without depending on scikit-learn: the
parameters are the keyword-only arguments of ``__init__`` (``get_params`` by introspection, as
``sklearn.base.BaseEstimator`` does), stored unchanged and checked when ``fit`` runs."""
from __future__ import annotations

import inspect

from .._validation import fail


class ParamsMixin:
    @classmethod
    def _param_names(cls):
        signature = inspect.signature(cls.__init__)
        return sorted(p.name for p in signature.parameters.values()
                      if p.name != "self" and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))

    def get_params(self, deep: bool = True) -> dict:
        out = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        valid = self._param_names()
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                fail(name, f"not a parameter of {type(self).__name__} (parameters: {', '.join(valid)})")
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub in nested.items():
            getattr(self, name).set_params(**sub)
        return self

    def __repr__(self) -> str:  # parameters that differ from the defaults, as scikit-learn prints them
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        shown = [f"{k}={v!r}" for k, v in self.get_params(deep=False).items() if _differs(v, defaults.get(k))]
        return f"{type(self).__name__}({', '.join(shown)})"


def _differs(a, b) -> bool:
    try:
        return bool(a != b)
    except Exception:  # arrays
        return True
