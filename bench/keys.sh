#!/usr/bin/env bash
# Keystroke-to-screen latency with and without kith: see bench/README.md ("Keystrokes").
#
#   bench/keys.sh                    # NVIM=nvim KITH=build/kith ROUNDS=3 PACE=15
#   PACE=150 bench/keys.sh           # a person's pace: kith's updates land between keys
#
# Two Neovims (`nvim --embed`) on the same note in a copy of examples/vault: one with kith
# following the note, one without kith. build/keys_bench is their UI: it types the same keys
# into both, one nvim_input per key, and times each key until that Neovim's next `flush`.
# Needs what `make` needs (it builds build/keys_bench) and Neovim.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NVIM=${NVIM:-nvim}
KITH=${KITH:-$ROOT/build/kith}
BUILD=${BUILD:-build}
ROUNDS=${ROUNDS:-3}
PACE=${PACE:-15}
SETTLE=${SETTLE:-1000}
SYNTAX=${SYNTAX:-0}
DIAGNOSTICS=${DIAGNOSTICS:-0} # bad items in the note: 0, 1, 2, 3, 5, 6, 10, 15 or 30
LUA_WITH=${LUA_WITH:-}         # Lua run after the setup of the Neovim with kith (experiments)
LUA_WITHOUT=${LUA_WITHOUT:-}   # ... and of the one without
COUNT=${COUNT:-1000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export XDG_CACHE_HOME=$TMP/xdg # kith's index cache (SPEC §6): never the user's

[ -x "$KITH" ] || { echo "keys.sh: no kith binary at $KITH (run make)" >&2; exit 2; }
cmake --build "$BUILD" --target keys_bench >/dev/null
command -v "$NVIM" >/dev/null || { echo "keys.sh: no Neovim ($NVIM)" >&2; exit 2; }

case $DIAGNOSTICS in 0 | 1 | 2 | 3 | 5 | 6 | 10 | 15 | 30) ;; *)
  echo "keys.sh: DIAGNOSTICS must divide 30 (or be 0)" >&2; exit 2 ;;
esac
# The vault: the example vault and a people file of 30 contact sections (~450 lines, dates in
# the past), DIAGNOSTICS of them (evenly spread, section 10 among them) with a bad item (an
# error diagnostic). The 40-line window shows three annotated headings around the line typed
# below, and that section's diagnostic.
cp -r examples/vault "$TMP/vault"
NOTE=$TMP/vault/people/zz-keys.md
{
  echo "# People of the keystroke benchmark"
  echo
  kinds=("#gave" "#got" "#met" "#gave:2" "#got" "#gave")
  for c in $(seq 0 29); do
    echo "## Keys Person $c @keys_$c"
    echo
    echo "Works on payments and platform; met at the $((2016 + c % 9)) meetup."
    echo
    for i in $(seq 0 9); do
      printf -- '- 2026-%02d-%02d %s coffee and notes on the roadmap, item %d\n' \
        $((1 + (c + i) % 10)) $((1 + (c * 7 + i * 3) % 28)) "${kinds[$(((c + i) % 6))]}" "$i"
      if [ "$i" = 4 ] && [ "$DIAGNOSTICS" != 0 ] && [ $((c % (30 / DIAGNOSTICS))) = 0 ]; then
        echo "- 2026-02-30 #gave a date that does not exist"
      fi
    done
    echo
  done
} >"$NOTE"

# The keys: `o` below the last item of @keys_10, then new items typed a character at a time
# with Enter between them (COUNT keys in all, default 1,000), then Esc.
KEYS=$TMP/keys
{
  echo o
  item='- 2026-11-26 #gave coffee and intro to the team'
  n=1
  while [ $n -lt $((COUNT - 1)) ]; do
    for ((i = 0; i < ${#item} && n < COUNT - 2; i++)); do
      ch=${item:i:1}
      case $ch in '<') echo '<lt>' ;; ' ') echo '<Space>' ;; *) echo "$ch" ;; esac
      n=$((n + 1))
    done
    echo '<CR>'
    n=$((n + 1))
  done
  echo '<Esc>'
} >"$KEYS"

side() {
  printf 'KITH_KEYS_SIDE=%s KITH_KEYS_KITH=%q KITH_KEYS_VAULT=%q KITH_KEYS_NOTE=%q ' \
    "$1" "$KITH" "$TMP/vault" "$NOTE"
  local lua=$LUA_WITHOUT
  [ "$1" = with ] && lua=$LUA_WITH
  printf 'KITH_KEYS_START=keys_10 KITH_KEYS_SYNTAX=%q KITH_KEYS_LUA=%q ' "$SYNTAX" "$lua"
  printf 'exec %q --embed -u NONE -i NONE -n ' "$NVIM"
  printf -- "--cmd %q -c %q" "set rtp^=$ROOT" "luafile $ROOT/bench/keys_setup.lua"
}

echo "$("$NVIM" --version | head -n 1), kith $("$KITH" --version | head -n 1); note: $(wc -l <"$NOTE") lines; $(wc -l <"$KEYS") keys, one every $PACE ms, $ROUNDS rounds"
OUT=$TMP/out
"$BUILD/keys_bench" -r "$ROUNDS" -p "$PACE" -s "$SETTLE" "$KEYS" \
  "with=$(side with)" "without=$(side without)" | tee "$OUT"
awk -F= '
  { v[$1] = $2 }
  END {
    printf "\n               wall p50  wall p95   CPU p50   CPU p95   CPU us/key (ms; CPU: Neovim'"'"'s main thread until the key is shown)\n"
    split("with without", sides, " ")
    for (i = 1; i <= 2; i++) {
      s = sides[i]
      printf "%-13s %9.3f %9.3f %9.3f %9.3f %12.1f\n", s " kith", v[s "_p50_ms"], v[s "_p95_ms"], v[s "_cpu_p50_ms"], v[s "_cpu_p95_ms"], v[s "_cpu_us_per_key"]
    }
    printf "%-13s %9.3f %9.3f %9.3f %9.3f %12.3f\n", "ratio", v["with_ratio_p50"], v["with_ratio_p95"], v["with_ratio_cpu_p50"], v["with_ratio_cpu_p95"], v["with_ratio_cpu"]
    if (v["with_updates"] > 0)
      printf "kith updates while typing and settling: %d, view.apply p50 %.3f ms, p95 %.3f ms (without the redraw)\n", v["with_updates"], v["with_apply_p50_ms"], v["with_apply_p95_ms"]
    met = v["with_ratio_p50"] <= 1.1 && v["with_ratio_p95"] <= 1.2
    printf "target (wall p50 ratio <= 1.1, p95 ratio <= 1.2): %s\n", met ? "met" : "missed"
  }' "$OUT"
