#!/usr/bin/env bash
# make fuzz: each reader chiiki writes itself under libFuzzer with AddressSanitizer, for
# SECONDS seconds per target (CI: 60), seeded from the hostile corpus and the samples.
#   bash Tests/Hostile/fuzz.sh SECONDS TARGET…
# A crash, a sanitizer report or a hang (> 10 s) fails the run and leaves the input in
# .build-fuzz/crashes/TARGET/. Make it a case: copy it to Tests/Hostile/fuzz-crashes/TARGET/
# (the tests replay that folder through the ordinary build) and fix the reader.
# FUZZ_SEED (default 1) makes a run repeatable, as CI's is; FUZZ_SEED=0 lets libFuzzer pick one.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=$1; shift
seed=${FUZZ_SEED:-1}
runtime=$(find "$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")/lib/clang" -name 'libclang_rt.fuzzer_no_main-x86_64.a' | head -1)
[ -n "$runtime" ] || { echo "fuzz: libFuzzer (libclang_rt.fuzzer_no_main) not found in the Swift toolchain" >&2; exit 1; }
swift build --product chiiki-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
  -Xswiftc -DFUZZING -Xlinker "$runtime" -Xlinker -lstdc++ 2>&1 | grep -vE 'Cannot export local symbol' || true
binary=.build-fuzz/debug/chiiki-fuzz
[ -x "$binary" ] || { echo "fuzz: the build failed" >&2; exit 1; }

seeds() {  # the files each target starts from
  case $1 in
    census) ls Tests/Hostile/corpus/census_*.csv geodata/nagato/census_age_*.csv ;;
    geojson) ls Tests/Hostile/corpus/*.geojson geodata/nagato/taxi_hubs_synthetic.geojson geodata/nagato/outline_n03.geojson ;;
    councils) ls Tests/Hostile/corpus/councils_*.json geodata/nagato/councils_2017.json ;;
    scenario) ls Tests/Hostile/corpus/*.yaml geodata/nagato/merge_scenarios_example.yaml ;;
    clock) printf '09:00\n' > .build-fuzz/clock.seed; echo .build-fuzz/clock.seed ;;
  esac
}

failed=0 passed=0 broken=0
for target in "$@"; do
  corpus=.build-fuzz/corpus/$target crashes=.build-fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes"
  for f in $(seeds "$target"); do [ -f "$f" ] && cp "$f" "$corpus/"; done
  echo "fuzz: $target for ${seconds}s"
  if ! CHIIKI_FUZZ_TARGET=$target "$binary" "$target" -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
       -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" > ".build-fuzz/$target.log" 2>&1; then
    echo "fuzz: $target FAILED — see .build-fuzz/$target.log and $crashes/" >&2
    grep -E 'ERROR|SUMMARY|deadly|timeout' ".build-fuzz/$target.log" | head -5 >&2 || true
    failed=1 broken=$((broken + 1))
  else
    grep -E '^stat::number_of_executed_units|^Done' ".build-fuzz/$target.log" | tail -1
    passed=$((passed + 1))
  fi
done
echo "fuzz: $passed passed, $broken failed"
exit $failed
