"""Every example in the Python docstrings runs and prints what it shows (every module of the
package, found by walking it, so a new module is checked without being listed here), and every
public function and class has a numpydoc docstring with the sections a user looks for.

The public API is what the package's ``__all__`` lists reach: ``bankquant`` itself and each
module it lists (``bq.scorecard``, ``bq.risk``, ...), and the public methods those classes define. A function needs Parameters (when it takes
any, each named one documented), Returns and Examples; a class needs Parameters (when its
constructor takes any; a result class the library builds may document its Attributes instead)
and Examples; an exception or warning class needs Examples. Examples
must show some output (doctest then checks it). Docstrings are parsed with numpydoc's docscrape,
so a misspelt section header ("Example") fails too.
"""
import doctest
import importlib
import inspect
import pkgutil
import warnings
from pathlib import Path

import pytest

import bankquant as bq

MODULES = [bq] + [importlib.import_module(info.name)
                  for info in pkgutil.walk_packages(bq.__path__, prefix="bankquant.")
                  if not info.name.startswith("bankquant._core")]

OPTIONS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module, restore_threads, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)           # examples that write a file write it here
    result = doctest.testmod(module, optionflags=OPTIONS)
    assert result.failed == 0


def _public_modules():
    return [bq] + [getattr(bq, n) for n in bq.__all__ if inspect.ismodule(getattr(bq, n))]


def public_callables():
    """(qualified name, object) of every public function and class, each once (first name wins)."""
    seen, out = set(), []
    for module in _public_modules():
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.ismodule(obj) or not (inspect.isclass(obj) or callable(obj)):
                continue
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            out.append((f"{module.__name__}.{name}", obj))
    return out


def public_methods():
    """(qualified name, function) of each public method a public class defines itself (not the
    compiled records of bankquant._core, whose docs come from C++; properties are attributes)."""
    out = []
    for name, cls in public_callables():
        if not inspect.isclass(cls) or issubclass(cls, BaseException) or cls.__module__.startswith("bankquant._core"):
            continue
        for attr, member in vars(cls).items():
            if attr.startswith("_") or isinstance(member, property):
                continue
            function = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
            if inspect.isfunction(function):
                out.append((f"{name}.{attr}", function))
    return out


def _named_parameters(obj):
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    return [p.name for p in sig.parameters.values()
            if p.name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _documented_names(section):
    names = set()
    for param in section:
        for part in param.name.split(","):
            names.add(part.strip().lstrip("*"))
    return names


def missing_sections(obj):
    """The numpydoc problems of one public object's docstring, as short phrases (empty: fine)."""
    from numpydoc.docscrape import NumpyDocString

    text = inspect.getdoc(obj) if obj.__doc__ else None
    if not text:
        return ["no docstring"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            doc = NumpyDocString(text)
        except Exception as error:  # a malformed section
            return [f"unparsable: {error}"]
    problems = [f"docscrape: {w.message}" for w in caught]
    examples = doctest.DocTestParser().get_examples("\n".join(doc["Examples"]))
    if not examples:
        problems.append("Examples")
    elif not any(e.want.strip() for e in examples):
        problems.append("Examples show no output")
    if inspect.isclass(obj) and issubclass(obj, (BaseException, Warning)):
        return problems
    params = _named_parameters(obj)
    if inspect.isclass(obj) and not doc["Parameters"]:
        # a result the library returns (built from a C++ result, never by the user) documents
        # what it holds instead
        if params and not doc["Attributes"]:
            problems.append("Parameters (or Attributes, for a result class)")
        return problems
    if params:
        documented = _documented_names(doc["Parameters"]) | _documented_names(doc["Other Parameters"])
        if not doc["Parameters"]:
            problems.append("Parameters")
        else:
            undocumented = [p for p in params if p not in documented]
            if undocumented:
                problems.append(f"Parameters lacks {', '.join(undocumented)}")
            stale = sorted(documented - set(params) - {"**kwargs", "kwargs", "*args", "args"})
            if stale and not any(p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
                                 for p in inspect.signature(obj).parameters.values()):
                problems.append(f"Parameters documents {', '.join(stale)}, not in the signature")
    if not inspect.isclass(obj) and not (doc["Returns"] or doc["Yields"]):
        problems.append("Returns")
    return problems


#: Public names whose docstrings still lack sections (one a line). The list only shrinks: a name
#: that is complete must leave it, and a name not on it must be complete.
GAPS_FILE = Path(__file__).with_name("docstring_gaps.txt")
KNOWN_GAPS = {line.split("#")[0].strip() for line in GAPS_FILE.read_text().splitlines()} - {""} \
    if GAPS_FILE.exists() else set()


@pytest.mark.parametrize("name, obj", public_callables(), ids=[n for n, _ in public_callables()])
def test_public_docstring_has_numpydoc_sections(name, obj):
    problems = missing_sections(obj)
    if name in KNOWN_GAPS:
        assert problems, f"{name} is complete now: remove it from {GAPS_FILE.name}"
        pytest.xfail(f"known gap: {'; '.join(problems)}")
    assert not problems, f"{name}: {'; '.join(problems)}"


@pytest.mark.parametrize("name, obj", public_methods(), ids=[n for n, _ in public_methods()])
def test_public_method_docstring_has_numpydoc_sections(name, obj):
    test_public_docstring_has_numpydoc_sections(name, obj)


def test_known_gaps_are_public_names():
    assert KNOWN_GAPS <= {n for n, _ in public_callables() + public_methods()}
