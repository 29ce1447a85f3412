#!/usr/bin/env bash
# Configures a CMake preset (CMakePresets.json) quietly; sourced by test.sh, run.sh and .ci/*.
#   configure_preset dev build
set -euo pipefail

# A build folder made before the presets was generated for Make, and CMake cannot switch a
# folder to Ninja: such a folder is configured afresh (its objects are in ccache anyway).
configure_preset() {
  local preset=$1 dir=$2
  if [ -f "$dir/CMakeCache.txt" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
    echo "$dir was made for another generator; configuring it afresh for Ninja"
    rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
  fi
  cmake --preset "$preset" >/dev/null
}
