import re
from pathlib import Path

import bankquant as bq


def test_version_matches_the_build():
    cmake = (Path(__file__).resolve().parents[2] / "CMakeLists.txt").read_text()
    assert re.search(r"project\(bankquant VERSION ([0-9.]+)", cmake).group(1) == bq.__version__


def test_show_config(capsys):
    bq.show_config()
    out = capsys.readouterr().out
    for key in ["bankquant", "oneTBB", "Eigen", "threads", "numpy", "pandas", "build type"]:
        assert re.search(rf"^{re.escape(key)}\s", out, re.M), key
    info = bq.config()
    assert info["bankquant"] == bq.__version__
    assert info["build type"] == "Release"
