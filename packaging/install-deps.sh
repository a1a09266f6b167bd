#!/usr/bin/env bash
# Installs every Debian 12 package ptxwb needs to build, test and run. Idempotent: when all
# packages are present it changes nothing and needs no network.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libgl-dev
  nlohmann-json3-dev libcli11-dev libfmt-dev libzstd-dev libpng-dev libsqlite3-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  xvfb xauth appstream
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
