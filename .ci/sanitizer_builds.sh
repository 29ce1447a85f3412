#!/usr/bin/env bash
# How the sanitizer builds are configured; sourced by sanitizers.sh and fuzz.sh, which share
# the AddressSanitizer build. The GUI is left out: Mesa's own allocations are not ours.
# Precompiled headers on top of the unity build (CMakeLists.txt) save a little more here.
sanitizer_common=(-DCMAKE_BUILD_TYPE= -DREQTRACE_GUI=OFF -DREQTRACE_BENCH=OFF -DREQTRACE_PCH=ON)

# ASan + UBSan with clang and libFuzzer's coverage instrumentation: the one build runs the
# whole suite under the sanitizers and gives fuzz.sh its fuzzers.
configure_asan() {
  cmake -S . -B "$1" "${sanitizer_common[@]}" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DREQTRACE_FUZZ=ON "-DCMAKE_CXX_FLAGS=-O1 -g1" >/dev/null
}

# TSan with GCC, which warns falsely of uninitialized values in sanitized std::regex and
# std::function (the everyday build keeps the warning).
configure_tsan() {
  cmake -S . -B "$1" "${sanitizer_common[@]}" -DREQTRACE_SANITIZE=thread \
    "-DCMAKE_CXX_FLAGS=-O1 -g1 -fno-sanitize-recover=all -Wno-maybe-uninitialized" >/dev/null
}
