#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets (clang, AddressSanitizer) in build-fuzz/ and runs each one for
# FUZZ_SECONDS (default 60) on a corpus seeded from the conformance scenarios and the
# malformed-script corpus. A crash, a hang (over 10 s on one input) or running out of memory
# fails the run; the reproducer is left in build-fuzz/fuzz/crashes/<target>/.
#   FUZZ_SECONDS=600 bash fuzz/run.sh          # longer
#   bash fuzz/run.sh fuzz_jsonl                # one target
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${FUZZ_SECONDS:-60}
# Longest input tried. The smoke run (make fuzz-smoke) keeps it at 2048 bytes, too short for the
# known overflow of the JSON Lines reader (tests/reliability/crashers/KNOWN), so that CI catches
# new crashes rather than finding that one again.
max_len=${FUZZ_MAX_LEN:-4096}
build=${FUZZ_BUILD_DIR:-build-fuzz}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_script fuzz_jsonl)

# Debian's clang 16 (clang 14 lacks C++20 captures of structured bindings, which core/script
# uses); FUZZ_CXX picks another.
cxx=${FUZZ_CXX:-}
if [ -z "$cxx" ]; then
  cxx=clang++
  command -v clang++-16 >/dev/null && cxx=clang++-16
fi
# Warnings are not errors here: the code is held warning-free by GCC in the other builds, and
# clang warns about other things (fuzz/CMakeLists.txt keeps -Werror on the fuzz targets).
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMAILROOM_FUZZ=ON -DMAILROOM_SANITIZE=address -DMAILROOM_GUI=OFF -DMAILROOM_WERROR=OFF >/dev/null
cmake --build "$build" --target "${targets[@]}" mailroom-run

work=$build/fuzz
seeds=$work/seeds
mkdir -p "$seeds/fuzz_script" "$seeds/fuzz_jsonl"
cp tests/conformance/scenarios/*.exs tests/reliability/malformed/*.exs "$seeds/fuzz_script/"
if [ -z "$(ls -A "$seeds/fuzz_jsonl")" ]; then
  # Event lines as mailroom-run writes them, one line per seed file.
  tmp=$(mktemp -d)
  for scenario in tests/conformance/scenarios/*.exs; do
    "$build/bin/mailroom-run" --speed 100 --events "$tmp/events.jsonl" "$scenario" >/dev/null 2>&1 || true
    [ -f "$tmp/events.jsonl" ] || continue
    head -n 60 "$tmp/events.jsonl" | while IFS= read -r line; do
      printf '%s' "$line" >"$seeds/fuzz_jsonl/$(printf '%s' "$line" | sha1sum | cut -c1-16)"
    done
    rm -f "$tmp/events.jsonl"
  done
  rmdir "$tmp" 2>/dev/null || rm -rf "$tmp"
fi

status=0
for target in "${targets[@]}"; do
  corpus=$work/corpus/$target
  crashes=$work/crashes/$target
  mkdir -p "$corpus" "$crashes"
  echo "fuzz: $target for ${seconds}s"
  dict=()
  [ -f "fuzz/$target.dict" ] && dict=(-dict="$root/fuzz/$target.dict")
  if ! ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$work/$target" "$corpus" "$seeds/$target" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
      -artifact_prefix="$crashes/" -print_final_stats=1 "${dict[@]}" 2>"$work/$target.log"; then
    status=1
    echo "fuzz: $target FAILED; reproducer(s) in $crashes/ (log: $work/$target.log)"
    grep -E "^==[0-9]+==ERROR|^SUMMARY|Test unit written|ALARM|out-of-memory" "$work/$target.log" | head -n 20 || true
  else
    grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$work/$target.log" | sed "s/^/fuzz: $target /" || true
  fi
done
exit $status
