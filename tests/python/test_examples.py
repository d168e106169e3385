"""The README's examples run: the Python quick start, and the C++ snippet compiled against the build."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_python_quickstart_runs(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "python" / "quickstart.py")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "1% quantile:" in done.stdout and "q01" in done.stdout


def readme_lines_found_in(heading: str, language: str, example: str) -> list:
    """The lines of the README's code block under `heading`, each checked to stand in `example`."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(rf"## {re.escape(heading)}\n\n```{language}\n(.*?)```", readme, re.S).group(1)
    text = (ROOT / example).read_text()
    lines = block.strip().splitlines()
    for line in lines:
        assert line in text, line
    return lines


def test_readme_python_example_is_the_quickstart():
    assert len(readme_lines_found_in("Python in 10 lines", "python", "examples/python/quickstart.py")) <= 10


def test_readme_cpp_example_is_the_compiled_one():
    readme_lines_found_in("C++ in 10 lines", "cpp", "examples/cpp/readme_example.cpp")


def test_corporate_rating_example_runs_and_grades_are_ordered():
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "python" / "corporate_rating.py")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for ratio in ["leverage", "current_ratio", "interest_coverage", "return_on_assets"]:
        assert ratio in out
    auc = float(re.search(r"hold-out AUC ([0-9.]+)", out).group(1))
    assert auc > 0.7  # the simulated default model is driven by these ratios
