#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing and builds (tools/install.sh), runs
# every test with ctest, then rebuilds with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs every test again.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install.sh --no-run
ctest --test-dir build --output-on-failure -j 2

cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTALENTFLOW_SANITIZE=ON
cmake --build build-sanitize
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure -j 2
