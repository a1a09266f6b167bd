#!/usr/bin/env bash
# Builds the `gpu` preset (Release, no GUI, tests and benchmarks) and gathers what a machine
# with a GPU needs to run them into one folder: the ptxwb CLI, every test and benchmark
# executable, the test data they read, the shared libraries a CUDA-only image may lack, and a
# script that runs them. Copy the folder over and run `./run-gpu-tests.sh` there.
#
# usage: packaging/gpu-bundle.sh OUT_DIR [BUILD_DIR]
#   BUILD_DIR: an existing GUI-less build tree to take the binaries from instead of building
#   the `gpu` preset. Binaries are stripped so the bundle stays small.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: packaging/gpu-bundle.sh OUT_DIR [BUILD_DIR]}"
build="${2:-}"
jobs="${PTXWB_JOBS:-$(nproc)}"
if [ -z "$build" ]; then
  cmake --preset gpu >/dev/null
  cmake --build --preset gpu -j "$jobs"
  build=build/gpu
fi
rm -rf "$out"
mkdir -p "$out/bin" "$out/lib"
strip -o "$out/bin/ptxwb" "$build/app/cli/ptxwb"
find "$build/tests" "$build/bench" -maxdepth 2 -type f -perm -u+x \
  \( -name 'ptxwb_tests_*' -o -name 'ptxwb_bench_*' -o -name 'bench_*' -o -name 'ptxwb_store_fixture' \) \
  -exec sh -c 'strip -o "$0/bin/$(basename "$1")" "$1"' "$out" {} \; 2>/dev/null || true
# Libraries from Debian that a plain CUDA image does not ship (Google Benchmark's runtime).
for lib in libbenchmark.so.1debian; do
  # awk reads to the end: an early exit could kill ldconfig with SIGPIPE, which pipefail then
  # turns into a failed bundle.
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l && !found {print $NF; found = 1}')
  [ -n "$path" ] && cp -L "$path" "$out/lib/"
done
mkdir -p "$out/tests"
cp -r tests/data "$out/tests/"
cp -r resources "$out/"
cat > "$out/run-gpu-tests.sh" <<'RUN'
#!/usr/bin/env bash
# Runs every test executable (GPU tests included) with the bundled libraries, then gpu-info.
set -uo pipefail
cd "$(dirname "$0")"
export LD_LIBRARY_PATH="$PWD/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# Test executables look here instead of the build machine's paths (tests/support/test_paths.h).
export PTXWB_TEST_DATA_DIR="$PWD/tests/data" PTXWB_RESOURCES_DIR="$PWD/resources"
export PTXWB_CLI_PATH="$PWD/bin/ptxwb" PTXWB_STORE_FIXTURE_PATH="$PWD/bin/ptxwb_store_fixture"
status=0
bin/ptxwb gpu-info || status=1
for t in bin/ptxwb_tests_*; do
  echo "== $t"
  "$t" --gtest_brief=1 || status=1
done
exit $status
RUN
chmod +x "$out/run-gpu-tests.sh"
du -sh "$out"
