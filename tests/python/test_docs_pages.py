"""The code on the documentation's pages runs (docs/*.rst and docs/modules/*.rst).

Every ``.. code-block:: python`` of a page runs, in order, in one namespace per page, in a
temporary folder (so a page may write files). A block written doctest-style (``>>>``) must also
print what it shows (NORMALIZE_WHITESPACE and ELLIPSIS); a block without prompts must just run.
"""
import doctest
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(DOCS.glob("*.rst")) + sorted((DOCS / "modules").glob("*.rst"))

_DIRECTIVE = re.compile(r"^(?P<indent>[ ]*)\.\. code-block:: python[ ]*$")


def python_blocks(text: str):
    """(line number, dedented code) of every ``.. code-block:: python`` in a reST text."""
    lines = text.splitlines()
    blocks, i = [], 0
    while i < len(lines):
        m = _DIRECTIVE.match(lines[i])
        if not m:
            i += 1
            continue
        outer = len(m.group("indent"))
        i += 1
        while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith(":")) \
                and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > outer):
            i += 1                                     # directive options and the blank line
        start, body = i, []
        while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > outer):
            body.append(lines[i])
            i += 1
        while body and not body[-1].strip():
            body.pop()
        indent = min(len(s) - len(s.lstrip()) for s in body if s.strip())
        blocks.append((start + 1, "\n".join(s[indent:] for s in body) + "\n"))
    return blocks


def test_block_extraction():
    text = "Intro\n\n.. code-block:: python\n   :caption: x\n\n   a = 1\n\n   b = a + 1\n\nAfter.\n"
    assert python_blocks(text) == [(6, "a = 1\n\nb = a + 1\n")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_code_runs(page, tmp_path, monkeypatch, restore_threads):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": f"docs_page_{page.stem}"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    for line, code in python_blocks(page.read_text()):
        where = f"{page.relative_to(DOCS)}:{line}"
        if ">>>" in code:
            test = parser.get_doctest(code, namespace, where, str(page), line)
            result = runner.run(test, clear_globs=False)
            namespace.update(test.globs)         # the next block sees this one's names
            assert result.failed == 0, f"{where}: a doctest example failed (see the output above)"
        else:
            exec(compile(code, where, "exec"), namespace)
