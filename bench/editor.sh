#!/usr/bin/env bash
# Editor benchmark: see bench/README.md. A copy of the vault made by bench/gen_vault.py
# (bench/out/vault when cached, else generated) plus a ~150 KB note in it.
set -euo pipefail
cd "$(dirname "$0")/.."
KITH=${KITH:-$PWD/build/kith}
OUT=${OUT:-bench/out}
EDITS=${EDITS:-200}
GEN=$(mktemp -d)
trap 'rm -rf "$GEN"' EXIT
# A private copy of the generated vault (bench/run.sh checks its cached vault is untouched).
if [ -d "$OUT/vault" ]; then
  cp -r "$OUT/vault" "$GEN/vault"
else
  python3 bench/gen_vault.py --out "$GEN/vault" >/dev/null
fi
VAULT=$GEN/vault
# The big note: 55 contact sections of ~3.6 KB each (~200 KB), like a long-lived people file.
NOTE=$VAULT/people/zz-bench-big.md
python3 - "$NOTE" <<'PY'
import sys, random
random.seed(7)
lines = ["# Big people file (benchmark)", ""]
for c in range(55):
    lines += [f"## Bench Person {c} @bench_{c}", "", "What they care about: shipping, hiring, talks.", ""]
    for i in range(60):
        kind = random.choice(["#gave", "#got", "#met", "#gave:2"])
        lines.append(f"- 2026-{random.randint(1,11):02d}-{random.randint(1,28):02d} {kind} coffee and notes on the roadmap, item {i}")
    lines.append("")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
PLAIN=$GEN/plain.md
cp "$NOTE" "$PLAIN"
RESULT=$(mktemp)
echo "note: $(wc -c < "$NOTE") bytes; vault: $(find "$VAULT" -name '*.md' | wc -l) notes"
KITH_BENCH_OUT=$RESULT timeout 600 nvim --headless -u NONE -i NONE -n --cmd "set rtp^=$PWD" \
  -c 'filetype on' -c 'runtime! plugin/kith.lua' \
  -c "lua require('kith.config').defaults.cmd = '$KITH'" \
  -c "lua _G.KITH_BENCH = {'$(realpath "$VAULT")', '$(realpath "$NOTE")', '$PLAIN', $EDITS}" \
  -c 'luafile bench/editor_bench.lua'
cat "$RESULT"
awk -F= '/keys_with_ms/{w=$2} /keys_without_ms/{o=$2} END{printf "keys ratio, no UI, all keys in one feedkeys = %.3f\n", w/o}' "$RESULT"
echo "keystroke-to-screen latency with a UI attached: bench/keys.sh"
rm -f "$RESULT"
