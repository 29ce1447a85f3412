#!/usr/bin/env bash
# Builds reqtrace (installing missing Debian packages first) and runs it:
#   ./run.sh                 the default lesson
#   ./run.sh run flask-routing --level 3   any reqtrace command
set -euo pipefail
cd "$(dirname "$0")"
source .ci/packages.sh
install_missing "${reqtrace_packages[@]}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --parallel "$(nproc)" --target reqtrace
exec build/reqtrace "$@"
