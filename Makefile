# bankquant — the README's two commands, and the steps they are made of.
#
#   make demo   install dependencies, build, install the Python package into .venv, run the demo
#   make test   the same set-up, then C++ tests (also under ASan/UBSan), the packaging test,
#               Python tests and every notebook
#
# Each step installs or builds only what is missing, so a second run is quick.

PYTHON_SYSTEM ?= /usr/bin/python3
VENV          := .venv
PY            := $(abspath $(VENV))/bin/python
BUILD         := build/release
ASAN_BUILD    := build/asan
INSTALL_DIR   := build/install
CONSUMER      := build/consumer
FUZZ_BUILD    := build/fuzz
FUZZ_SECONDS  ?= 600
FUZZ_SHORT_SECONDS ?= 15
JOBS          ?= $(shell nproc 2>/dev/null || echo 2)
# Unity build (CMakeLists.txt, BANKQUANT_UNITY_BUILD): UNITY=OFF compiles source by source.
UNITY         ?= ON
CMAKE_GEN     := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all deps venv configure build python install-cpp demo test test-cpp test-asan test-package \
        test-python test-fuzz fuzz fuzz-build bench docs clean

all: python

deps:
	@./scripts/install-deps.sh

$(PY):
	$(PYTHON_SYSTEM) -m venv --system-site-packages $(VENV)

venv: deps $(PY)

# Generator chosen once (CMake refuses to switch); the options are passed every time (about 1 s).
configure: venv
	@mkdir -p build
	@cmake -S . -B $(BUILD) $(if $(wildcard $(BUILD)/CMakeCache.txt),,$(CMAKE_GEN)) -DCMAKE_BUILD_TYPE=Release \
	  -DBANKQUANT_BUILD_TESTS=ON -DBANKQUANT_BUILD_PYTHON=ON -DBANKQUANT_BUILD_BENCHMARKS=ON -DBANKQUANT_UNITY_BUILD=$(UNITY) \
	  -DPython_EXECUTABLE=$(PY) > $(BUILD).configure.log || (cat $(BUILD).configure.log; exit 1)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The Python package, built from the same CMake tree (nothing compiles twice).
python: build
	BANKQUANT_BUILD_DIR=$(abspath $(BUILD)) $(PY) -m pip install --no-build-isolation --no-deps --no-index \
	  --disable-pip-version-check -q .

install-cpp: build
	cmake --install $(BUILD) --prefix $(INSTALL_DIR) > /dev/null

demo: python
	$(PY) examples/demo.py --output demo-output

test: python
	@status=0; \
	$(MAKE) --no-print-directory test-cpp || status=1; \
	$(MAKE) --no-print-directory test-package || status=1; \
	$(MAKE) --no-print-directory test-asan || status=1; \
	$(MAKE) --no-print-directory test-fuzz || status=1; \
	$(MAKE) --no-print-directory test-python || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (see above)"; else echo "make test: all suites passed"; fi; \
	exit $$status

test-cpp: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# A separate CMake project finds the *installed* bankquant with find_package and runs.
test-package: install-cpp
	cmake -S examples/cpp -B $(CONSUMER) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_PREFIX_PATH=$(abspath $(INSTALL_DIR)) > /dev/null
	cmake --build $(CONSUMER) -j $(JOBS)
	$(CONSUMER)/core_service bindings/python/bankquant/datasets/data/dow_jones_30_daily.csv \
	  $(CONSUMER)/model.json
	cd $(CONSUMER) && ./readme_example

# -O1 -g1: sanitizers need optimisation only for speed, and line tables only for stack traces;
# this halves the build's compile time against -O2 -g (measured on src/risk/volatility.cpp).
# clang-14 (already needed for the fuzzers) compiles this tree in about three quarters of gcc's
# time (src/risk as one unit: 66 s against 90 s), and the second compiler checks the code too.
# The compiler is chosen when the tree is first configured; the options are passed every time.
test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) $(if $(wildcard $(ASAN_BUILD)/CMakeCache.txt),,$(CMAKE_GEN) -DCMAKE_CXX_COMPILER=clang++-14) \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBANKQUANT_SANITIZE=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
	  -DBANKQUANT_BUILD_TESTS=ON -DBANKQUANT_BUILD_PYTHON=OFF -DBANKQUANT_INSTALL=OFF -DBANKQUANT_UNITY_BUILD=$(UNITY) \
	  > $(ASAN_BUILD).configure.log || (cat $(ASAN_BUILD).configure.log; exit 1)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

# libFuzzer targets (tests/fuzz): clang-14 with ASan/UBSan; each target compiles only what it needs.
fuzz-build: deps
	@if [ ! -f $(FUZZ_BUILD)/CMakeCache.txt ]; then \
	  cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 \
	    -DBANKQUANT_BUILD_FUZZERS=ON -DBANKQUANT_BUILD_TESTS=OFF -DBANKQUANT_INSTALL=OFF -DBANKQUANT_UNITY_BUILD=$(UNITY) \
	    > $(FUZZ_BUILD).configure.log \
	    || (cat $(FUZZ_BUILD).configure.log; exit 1); \
	fi
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers

# A short bounded run of every target (part of make test); `make fuzz` runs each FUZZ_SECONDS.
test-fuzz: fuzz-build
	@./scripts/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SHORT_SECONDS)

fuzz: fuzz-build
	@./scripts/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

test-python: python test-package
	$(PY) -m pytest tests/python -q

# The documentation: Python API from the docstrings, C++ API from the headers (Doxygen), the
# notebooks executed; open build/docs/html/index.html.
DOCS := build/docs
docs: python
	@./scripts/install-deps.sh docs
	rm -rf $(DOCS)/src && mkdir -p $(DOCS) && cp -r docs $(DOCS)/src && mkdir -p $(DOCS)/src/notebooks
	cp notebooks/*.ipynb $(DOCS)/src/notebooks/
	$(PY) scripts/docs_notebook_index.py $(DOCS)/src/notebooks
	doxygen docs/Doxyfile
	$(PY) -m ipykernel install --prefix $(abspath $(DOCS))/jupyter --name bankquant-docs > /dev/null
	JUPYTER_PATH=$(abspath $(DOCS))/jupyter/share/jupyter BANKQUANT_DOCS_KERNEL=bankquant-docs \
	  BANKQUANT_DOXYGEN_XML=$(abspath $(DOCS))/doxygen/xml $(PY) -m sphinx -q -b html $(DOCS)/src $(DOCS)/html
	@echo "docs: $(DOCS)/html/index.html"

bench: python
	$(PY) benchmarks/run.py

clean:
	rm -rf build demo-output
