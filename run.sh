#!/usr/bin/env bash
# Builds reqtrace (installing missing Debian packages first) and runs it:
#   ./run.sh                 the default lesson
#   ./run.sh run flask-routing --level 3   any reqtrace command
set -euo pipefail
cd "$(dirname "$0")"
source .ci/packages.sh
source .ci/presets.sh
install_missing "${reqtrace_packages[@]}"
configure_preset dev build
cmake --build --preset dev --parallel "$(nproc)" --target reqtrace
exec build/reqtrace "$@"
