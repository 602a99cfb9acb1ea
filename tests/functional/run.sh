#!/usr/bin/env bash
# Runs the busted specs and ends with a plain summary line ("functional: N passed, N failed").
set -uo pipefail
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"${BUSTED:-busted}" --helper=tests/functional/helper.lua "$@" tests/functional 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
summary=$(grep -E '^[0-9]+ successes? / [0-9]+ failures? / [0-9]+ errors?' "$out" | tail -1)
if [ -z "$summary" ]; then
  echo "functional: busted printed no summary (exit $rc)"
  exit $(( rc == 0 ? 1 : rc ))
fi
read -r ok _ _ failed _ _ errors _ <<<"$summary"
echo "functional: $ok passed, $((failed + errors)) failed"
exit "$rc"
