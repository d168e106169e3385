"""The committed type stubs of bankquant._core describe the compiled module as built.

scripts/make_stubs.py writes them from the module itself; run it after changing a binding.
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_committed_stubs_match_the_compiled_module():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_stubs.py"), "--check"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"stale stubs: run scripts/make_stubs.py\n{run.stdout}\n{run.stderr}"


@pytest.mark.parametrize("stub", sorted((ROOT / "bindings" / "python" / "bankquant" / "_core").glob("*.pyi")),
                         ids=lambda p: p.name)
def test_stub_is_valid_python(stub):
    """A stub that does not parse is ignored whole by type checkers and editors (graph.pyi once
    held a C++ return type, bankquant::graph::AlertList)."""
    ast.parse(stub.read_text(), filename=str(stub))
