#!/usr/bin/env bash
# Installs bankquant's build and test dependencies from Debian's packages, only what is missing,
# so a second run takes a second. Needs root (or sudo) when something is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # C++ libraries
  libeigen3-dev libxtensor-dev xtl-dev libxsimd-dev libboost-graph-dev libtbb-dev
  libfmt-dev nlohmann-json3-dev libnlopt-dev coinor-libclp-dev coinor-libcbc-dev librandom123-dev libgtest-dev libgmock-dev libbenchmark-dev pybind11-dev
  # staffing rosters: GLPK and python3-pulp (+ the cbc binary) as the benchmark peers
  libglpk-dev python3-pulp coinor-cbc
  # Python: interpreter, build, runtime
  python3 python3-dev python3-venv python3-pip python3-setuptools python3-wheel
  python3-numpy python3-pandas python3-matplotlib python3-tqdm
  # an optimised BLAS for numpy (else Debian falls back to the reference BLAS, which makes every
  # numpy peer in benchmarks/ unrealistically slow)
  libopenblas0-pthread
  # Python: tests, notebooks and the peers we cross-check against
  python3-pytest python3-scipy python3-sklearn python3-statsmodels python3-networkx
  python3-igraph python3-cvxopt python3-nbclient python3-nbformat python3-ipykernel
  python3-dask python3-distributed python3-mpmath python3-hypothesis
  # numpydoc's docscrape: tests/python/test_docstrings.py checks every public docstring's sections
  python3-numpydoc
  # fuzzing (tests/fuzz): clang with libFuzzer and its sanitizer runtimes
  clang-14 libclang-rt-14-dev
)

# `install-deps.sh docs` adds what `make docs` needs (Sphinx, numpydoc, nbsphinx, breathe, Doxygen).
if [ "${1:-}" = "docs" ]; then
  packages+=(python3-sphinx python3-nbsphinx python3-breathe furo doxygen pandoc)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
