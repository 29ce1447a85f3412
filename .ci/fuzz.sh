#!/usr/bin/env bash
# Fuzzes the request parser, the scenario loader and the trace reader with libFuzzer (clang,
# ASan, UBSan), each for FUZZ_SECONDS (default 60) on a temporary copy of its seed corpus, so
# the repository is not modified. Prints "NAME: N executions, X exec/s" per fuzzer and exits
# non-zero if any of them found a crash, a leak, a timeout or a broken invariant; the input
# that did it is kept in build-asan/fuzz-artifacts/NAME/. The fuzzers come from the
# AddressSanitizer build sanitizers.sh makes (the fuzz preset builds them in build-asan).
#   FUZZ_SECONDS=600 .ci/fuzz.sh        # longer runs
#   build-asan/tests/fuzz/fuzz_NAME FILE # replay one input
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/presets.sh

seconds=${FUZZ_SECONDS:-60}
build=build-asan  # the fuzz preset's binaryDir
fuzzers=(request_parser scenario_loader trace_reader)
declare -A pids

configure_preset fuzz "$build"
cmake --build --preset fuzz --parallel "$(nproc)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seeds: the committed corpus, plus the request corpus and the shipped scenarios, which grow
# on their own. Prefixed, as valid/ and invalid/ may hold the same name.
seed() {
  local name=$1 dir=$2
  cp tests/fuzz/corpus/"$name"/* "$dir"/
  case $name in
    request_parser)
      for f in tests/http/valid/*.http; do cp "$f" "$dir/valid_${f##*/}"; done
      for f in tests/http/invalid/*.http; do cp "$f" "$dir/invalid_${f##*/}"; done
      ;;
    scenario_loader)
      for f in scenarios/*.json; do cp "$f" "$dir/shipped_${f##*/}"; done
      ;;
  esac
}

# Each fuzzer runs on one core; they run side by side, so the run takes FUZZ_SECONDS, not three
# times that.
for name in "${fuzzers[@]}"; do
  corpus=$work/$name/corpus
  mkdir -p "$corpus" "$work/$name/artifacts"
  seed "$name" "$corpus"
  # -timeout: an input that takes 10 s is a hang, not a slow input.
  "$build/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -timeout=10 \
    -artifact_prefix="$work/$name/artifacts/" -print_final_stats=1 "$corpus" \
    >"$work/$name/log" 2>&1 &
  pids[$name]=$!
done

failed=0
for name in "${fuzzers[@]}"; do
  log=$work/$name/log
  if wait "${pids[$name]}"; then
    # libFuzzer's last word: "Done 123456 runs in 61 second(s)".
    runs='' secs=''
    read -r runs secs < <(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 \2/p' "$log" |
      tail -n 1) || true
    if [[ -z $runs ]]; then
      echo "$name: no final stats in libFuzzer's output" >&2
      tail -n 20 "$log" >&2
      failed=1
      continue
    fi
    echo "$name: $runs executions, $((runs / (secs > 0 ? secs : 1))) exec/s"
  else
    failed=1
    kept=$build/fuzz-artifacts/$name
    mkdir -p "$kept"
    cp "$work/$name/artifacts"/* "$kept"/ 2>/dev/null || true
    echo "$name: FAILED; the input is kept in $kept; libFuzzer said:" >&2
    grep -E 'ERROR|invariant broken|SUMMARY|runtime error|Test unit written' "$log" | head -n 20 >&2 ||
      tail -n 40 "$log" >&2
  fi
done
exit $failed
