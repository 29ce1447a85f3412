#!/usr/bin/env bash
# Builds reqtrace and its tests (installing missing Debian packages first) and runs the whole
# suite: the dev preset of CMakePresets.json (Ninja, ccache when installed, warnings are errors).
#   ./test.sh -L unit        extra arguments go to ctest: here, only the tests labelled unit
set -euo pipefail
cd "$(dirname "$0")"
source .ci/packages.sh
source .ci/presets.sh
install_missing "${reqtrace_packages[@]}" "${reqtrace_test_packages[@]}"
configure_preset dev build
cmake --build --preset dev --parallel "$(nproc)"
ctest --preset dev --parallel "$(nproc)" "$@"
