#!/usr/bin/env bash
# Installs the Debian packages reqtrace builds and tests with, when any is missing.
# Sourced by run.sh and test.sh; set REQTRACE_PACKAGES_EXTRA for more.
set -euo pipefail

# ninja-build: the presets' generator; ccache: rebuilds of unchanged sources are cache hits;
# lld: links the test binaries several times faster than GNU ld (CMakeLists.txt uses it when
# installed).
reqtrace_packages=(
  cmake g++ ninja-build ccache lld pkg-config
  libimgui-dev libglfw3-dev libgl-dev python3-glad libstb-dev fonts-dejavu-core
  libcpp-httplib-dev nlohmann-json3-dev
  libgtest-dev libbenchmark-dev
)
# The real servers the peer tests hold our models against (tests/peers), run with Debian's
# /usr/bin/python3: Werkzeug and Flask 2.2, gunicorn 20.1, uWSGI 2.0 with its Python plugin.
reqtrace_test_packages=(curl xvfb xauth libgl1-mesa-dri nginx-light wrk clang-format
  python3-werkzeug python3-flask gunicorn uwsgi-core uwsgi-plugin-python3)
# What CI adds: clang and its runtime for the libFuzzer builds, clang-tidy for .ci/tidy.sh.
reqtrace_ci_packages=(clang libclang-rt-14-dev clang-tidy)

install_missing() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
