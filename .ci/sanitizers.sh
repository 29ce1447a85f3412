#!/usr/bin/env bash
# The test suite again under AddressSanitizer + UndefinedBehaviorSanitizer, and the tests that
# use threads under ThreadSanitizer. Findings fail the run: fix them, do not suppress them.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/sanitizer_builds.sh
jobs=$(nproc)

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
configure_asan build-asan
cmake --build build-asan --parallel "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure --parallel "$jobs" --timeout 300

echo "== ThreadSanitizer (the tests that use threads)"
configure_tsan build-tsan
cmake --build build-tsan --parallel "$jobs" --target reqtrace test_trace test_server test_cli test_proxy test_client
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir build-tsan --output-on-failure --parallel "$jobs" --timeout 300 \
  -R '^(Recorder|DevServerTest|ThreadedServer|HelloWsgi|Run|Replay|Default|ServeFlaskRouting|Kill|ProxyPass|UwsgiPass|UwsgiPassTest|StaticFilesTest|ProxyStackTest|BrowserTest|Crowd)\.'
