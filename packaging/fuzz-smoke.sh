#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`, clang) and runs each one for PTXWB_FUZZ_SECONDS
# (default 60) from its seed corpus. Any crash, leak or sanitizer report fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
fuzzers=(tests/fuzz/*_fuzzer.cpp)
if [ ${#fuzzers[@]} -eq 0 ]; then
  echo "fuzz-smoke: no fuzz targets"
  exit 0
fi
seconds="${PTXWB_FUZZ_SECONDS:-60}"
jobs="${PTXWB_JOBS:-$(nproc)}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs" --target ptxwb_fuzzers
for src in "${fuzzers[@]}"; do
  name=$(basename "$src" .cpp)
  module=${name%_fuzzer}
  work=$(mktemp -d)
  [ -d "tests/fuzz/corpus/$module" ] && cp -r "tests/fuzz/corpus/$module/." "$work/"
  echo "fuzz-smoke: $name for ${seconds}s"
  "build/fuzz/tests/fuzz/ptxwb_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$work" 2>&1 | tail -n 15
  rm -rf "$work"
done
