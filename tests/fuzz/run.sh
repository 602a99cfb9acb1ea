#!/usr/bin/env bash
# Runs each fuzz target for FUZZ_SECONDS (default 60) on its seeds plus what earlier runs found
# ($BUILD_FUZZ/corpus/<target>, kept between runs, not in git), then runs every corpus through
# the release build's plain drivers ($BUILD/fuzz_<target>), where uninstrumented code (glibc's
# ctype tables) crashes that ASan builds do not. Exits 1 on any finding; the input is in
# $BUILD_FUZZ/artifacts/<target>/ and the log in $BUILD_FUZZ/fuzz-<target>.log.
#
#   BUILD_FUZZ=build-fuzz BUILD=build FUZZ_SECONDS=60 FUZZ_TARGETS="rpc note mirror frontmatter settings" run.sh
set -uo pipefail
cd "$(dirname "$0")/../.."

fuzz_build=${BUILD_FUZZ:-build-fuzz}
release=${BUILD:-build}
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-rpc note mirror frontmatter settings}
seeds=tests/fuzz/corpus
failed=()

# The last "cov: N ft: N" of a libFuzzer log and its stat:: lines, on one line.
summary() {
  local log=$1 cov execs
  cov=$(grep -a -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
  execs=$(grep -a -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$')
  echo "${cov:-cov: ? ft: ?}, ${execs:-?} executions"
}

for t in $targets; do
  bin=$fuzz_build/fuzz_$t
  corpus=$fuzz_build/corpus/$t
  artifacts=$fuzz_build/artifacts/$t
  log=$fuzz_build/fuzz-$t.log
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: $t for ${seconds}s"
  "$bin" -max_total_time="$seconds" -timeout=25 -max_len=4096 -print_final_stats=1 \
    -dict="tests/fuzz/$t.dict" -artifact_prefix="$artifacts/" "$corpus" "$seeds/$t" \
    >"$log" 2>&1
  rc=$?
  files=$(find "$corpus" -type f | wc -l)
  echo "fuzz: $t: $(summary "$log"), corpus $files files"
  if [ "$rc" -ne 0 ]; then
    echo "fuzz: $t FOUND SOMETHING (exit $rc); the end of $log:"
    grep -a -E '^(fuzz:|==[0-9]+==|SUMMARY|    #[0-9]+ |artifact_prefix|Test unit written)' "$log" |
      head -n 60
    failed+=("$t")
  fi
done

# The same harnesses built without sanitizers, over the seeds and all that fuzzing kept.
for t in $targets; do
  dirs=("$seeds/$t")
  [ -d "$fuzz_build/corpus/$t" ] && dirs+=("$fuzz_build/corpus/$t")
  if ! "$release/fuzz_$t" "${dirs[@]}" 2>"$fuzz_build/replay-$t.log"; then
    echo "fuzz: $t: the release build fails on its corpus:"
    tail -n 20 "$fuzz_build/replay-$t.log"
    failed+=("$t (release)")
  else
    echo "fuzz: $t: $(tail -n 1 "$fuzz_build/replay-$t.log" | sed 's/^replay: //') (release build)"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]}"
  exit 1
fi
echo "fuzz: no findings"
