#!/usr/bin/env bash
# README command 2: install dependencies, build everything (GUI included) and run the whole
# test suite. GPU tests skip with a reason on a machine without a CUDA driver.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
jobs="${PTXWB_JOBS:-$(nproc)}"
cmake --preset ci
cmake --build --preset ci -j "$jobs"
ctest --preset ci -j "$jobs"
# Fuzz smoke: every libFuzzer target for 60 s (clang build in build/fuzz).
packaging/fuzz-smoke.sh
