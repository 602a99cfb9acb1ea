#!/usr/bin/env bash
# Large notes: memory and time of `kith check` / `kith balances` and, in `kith serve`, how long
# the loop stops answering while a large buffer is parsed. See bench/README.md.
#
#   bench/bignote.sh                          # KITH=build/kith CONTACT_MB=24 LINE_MB=50
#   CONTACT_MB=4 LINE_MB=2 bench/bignote.sh   # a quick run
#   NOTES=contact WHAT=serve bench/bignote.sh  # only the contact note, only kith serve
#
# Two vaults, each holding one note made by bench/gen_bignote.py (a contact note of
# CONTACT_MB with many interaction items; a one-line note of LINE_MB) and a small contact
# note. Every command runs under TIMEOUT seconds (then "timeout" is printed and its peak RSS
# so far). Needs python3, a C compiler and libmsgpack-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
KITH=${KITH:-$PWD/build/kith}
CONTACT_MB=${CONTACT_MB:-24}
LINE_MB=${LINE_MB:-50}
TIMEOUT=${TIMEOUT:-600}
WHAT=${WHAT:-cli serve}   # which measurements
NOTES=${NOTES:-contact line}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export XDG_CACHE_HOME=$TMP/xdg # kith's index cache (SPEC §6): never the user's

cc -O2 -o "$TMP/serve_bench" bench/serve_bench.c $(pkg-config --cflags --libs msgpack)
python3 bench/gen_bignote.py --out "$TMP/contact" --contact-mb "$CONTACT_MB" --line-mb 0
python3 bench/gen_bignote.py --out "$TMP/line" --contact-mb 0 --line-mb "$LINE_MB"
for v in $NOTES; do
  printf '## Bob Martins @bob\n\n- 2026-11-20 #gave intro to Alice\n- 2026-11-22 #got lunch\n' \
    > "$TMP/$v/people/small.md"
done
echo "kith: $KITH ($("$KITH" --version 2>/dev/null | head -1))"

# Wall seconds and peak RSS of one command (VmHWM, sampled until it exits), or "timeout".
measure() {
  local start hwm=0 now pid
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    now=$(awk '/^VmHWM:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$now" ] && [ "$now" -gt "$hwm" ] && hwm=$now
    if awk -v s="$start" -v n="$(date +%s.%N)" -v t="$TIMEOUT" 'BEGIN{exit !(n - s > t)}'; then
      kill -9 "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null || true
      echo "timeout (>${TIMEOUT} s), peak RSS so far $((hwm / 1024)) MB"
      return
    fi
    sleep 0.1
  done
  wait "$pid" 2>/dev/null || true
  echo "$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN{printf "%.2f", n - s}') s, peak RSS $((hwm / 1024)) MB"
}

for v in $NOTES; do
  note=$(find "$TMP/$v" -name 'big-*.md')
  bytes=$(wc -c <"$note")
  mb=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b / 1e6}')
  echo "== $v note: $mb MB ($(wc -l <"$note") lines)"
  if [[ " $WHAT " == *" cli "* ]]; then
    echo "check:    $(measure "$KITH" check "$TMP/$v")"
    echo "balances: $(measure "$KITH" balances --json --today 2026-11-26 "$TMP/$v")"
  fi
  if [[ " $WHAT " == *" serve "* ]]; then
    if SERVE_LOG=$TMP/serve.log SERVE_TIMEOUT=$TIMEOUT "$TMP/serve_bench" "$KITH" \
      "$(realpath "$TMP/$v")" "$(realpath "$note")" "$(realpath "$TMP/$v/people/small.md")" \
      >"$TMP/serve.out"; then
      sed 's/^/serve:    /' "$TMP/serve.out"
    else
      sed "s/^/serve:    /" "$TMP/serve.out"; echo "serve:    failed or timed out (>${TIMEOUT} s)"
      tail -5 "$TMP/serve.log" | sed 's/^/  log: /'
    fi
  fi
done
