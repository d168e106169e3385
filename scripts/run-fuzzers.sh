#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR for SECONDS each, from its seed corpus in
# tests/fuzz/corpus/<target> (copied, so new inputs stay out of the repository). Fails on the
# first crash, sanitizer report or timeout, and names the input to turn into a test.
set -euo pipefail
build=${1:?build dir}
seconds=${2:?seconds per target}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for exe in "$build"/tests/fuzz/fuzz_*; do
  [ -x "$exe" ] || continue
  name=$(basename "$exe")
  work="$build/corpus/$name"
  mkdir -p "$work" "$build/artifacts"
  cp -r "$root/tests/fuzz/corpus/$name/." "$work/" 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s"
  if ! "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$build/artifacts/$name-" "$work" > "$build/$name.log" 2>&1; then
    echo "fuzz: $name FAILED (log: $build/$name.log; inputs: $build/artifacts/)"
    tail -40 "$build/$name.log"
    status=1
  else
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "$build/$name.log" | tail -2 || true
  fi
done
exit $status
