#!/usr/bin/env bash
# Installs whatever Debian packages talentflow needs and are missing, builds it in Release
# mode into build/, and (unless --no-run) runs the default scenario, writing talentflow.h5.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ git pkg-config
  libeigen3-dev libtbb-dev libyaml-cpp-dev libhdf5-dev libgtest-dev libgmock-dev
  libbenchmark-dev libcli11-dev libspdlog-dev libfmt-dev librandom123-dev
  python3 python3-h5py python3-numpy python3-xarray python3-h5netcdf python3-pandas
  python3-scipy python3-matplotlib valgrind
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install.sh: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build

if [[ "${1:-}" != "--no-run" ]]; then
  ./build/talentflow run
fi
