#!/usr/bin/env bash
# The test suite again under AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset),
# and the tests that run threads under ThreadSanitizer (the tsan preset: the tests labelled
# net or threads, less those whose server forks; see tests/CMakeLists.txt). Findings fail the
# run: fix them, do not suppress them.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/presets.sh
jobs=$(nproc)

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
configure_preset asan build-asan
cmake --build --preset asan --parallel "$jobs"
ctest --preset asan --parallel "$jobs"

echo "== ThreadSanitizer (the tests that run threads)"
configure_preset tsan build-tsan
cmake --build --preset tsan --parallel "$jobs"
ctest --preset tsan --parallel "$jobs"
