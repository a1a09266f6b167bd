#!/usr/bin/env bash
# README command 1: install dependencies, build, and start the workbench on the built-in kernel
# set with a generated demo model and the default history database. Without a display it runs
# the headless equivalent and says how to open the GUI.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
jobs="${PTXWB_JOBS:-$(nproc)}"
cmake --preset dev -DPTXWB_BUILD_TESTS=OFF >/dev/null
cmake --build --preset dev -j "$jobs"
bin=build/dev/app
demo_dir="${XDG_DATA_HOME:-$HOME/.local/share}/ptxwb/demo"
mkdir -p "$demo_dir"
model="$demo_dir/demo-small-q4_k_m.gguf"
if "$bin/cli/ptxwb" model --help >/dev/null 2>&1 && [ ! -f "$model" ]; then
  "$bin/cli/ptxwb" model make --preset small --quant q4_k_m --seed 1 -o "$model"
fi
gui="$bin/gui/ptxwb-gui"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$gui" ]; then
  exec "$gui" --demo "$model"
fi
echo "No display found: running the headless equivalent."
"$bin/cli/ptxwb" gpu-info || true
if [ -f "$model" ]; then "$bin/cli/ptxwb" model info "$model" || true; fi
echo
echo "To open the workbench on a machine with a display, run: $gui --demo $model"
