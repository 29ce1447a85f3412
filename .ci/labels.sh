#!/usr/bin/env bash
# Fails when a test in BUILD (default build) has none of the labels unit, net, gui, peers:
# the sanitizer runs and `ctest -L` choose tests by label (tests/CMakeLists.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
unlabelled=$(ctest --test-dir "$build" -N -LE '^(unit|net|gui|peers)$' | grep -E '^ *Test +#' || true)
if [ -n "$unlabelled" ]; then
  echo "tests without a unit, net, gui or peers label (see tests/CMakeLists.txt):" >&2
  echo "$unlabelled" >&2
  exit 1
fi
for label in unit net gui peers slow threads fork; do
  printf '%s %s, ' "$(ctest --test-dir "$build" -N -L "^$label\$" | sed -n 's/^Total Tests: //p')" "$label"
done
echo "every test has a kind"
