#!/usr/bin/env bash
# Builds reqtrace and its tests (installing missing Debian packages first) and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")"
source .ci/packages.sh
install_missing "${reqtrace_packages[@]}" "${reqtrace_test_packages[@]}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --parallel "$(nproc)"
ctest --test-dir build --output-on-failure --parallel "$(nproc)" --timeout 300
