"""The committed type stubs of bankquant._core describe the compiled module as built.

scripts/make_stubs.py writes them from the module itself; run it after changing a binding.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_stubs_match_the_compiled_module():
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_stubs.py"), "--check"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"stale stubs: run scripts/make_stubs.py\n{run.stdout}\n{run.stderr}"
