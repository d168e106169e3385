"""Setuptools glue that drives the CMake build of bankquant._core.

Kept small on purpose: scikit-build-core would be the usual backend, but Debian bookworm does
not ship it. Environment variables:
  BANKQUANT_BUILD_DIR   reuse this CMake build directory (the Makefile passes build/release,
                        so `make test` compiles every source once for C++ and Python alike)
  BANKQUANT_CMAKE_ARGS  extra arguments for the CMake configure step
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


def project_version() -> str:
    text = (ROOT / "CMakeLists.txt").read_text()
    match = re.search(r"project\(bankquant\s+VERSION\s+([0-9.]+)", text)
    if not match:
        raise RuntimeError("cannot find the project version in CMakeLists.txt")
    return match.group(1)


class CMakeExtension(Extension):
    def __init__(self, name: str):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build_dir = Path(os.environ.get("BANKQUANT_BUILD_DIR", ROOT / "build" / "python")).resolve()
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DBANKQUANT_BUILD_PYTHON=ON",
            f"-DPython_EXECUTABLE={sys.executable}",
        ]
        if not (build_dir / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"] if shutil.which("ninja") else []
            configure += ["-DCMAKE_BUILD_TYPE=Release", "-DBANKQUANT_BUILD_TESTS=OFF"]
        configure += shlex.split(os.environ.get("BANKQUANT_CMAKE_ARGS", ""))
        subprocess.run(configure, check=True)
        jobs = str(os.cpu_count() or 2)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_core", "-j", jobs], check=True)
        built = Path((build_dir / "python_core_module_path.txt").read_text().strip())
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    version=project_version(),
    ext_modules=[CMakeExtension("bankquant._core")],
    cmdclass={"build_ext": CMakeBuild},
)
