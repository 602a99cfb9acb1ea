#!/usr/bin/env bash
# The layers of src/ are used one way only: base <- notes <- ledger <- host, with src/cli.c and
# src/main.c on top. Fails naming every include that reaches up (or sideways into a layer that
# is not below). Run from the repository root (CTest does).
set -u
rank() {
  case $1 in
  base) echo 1 ;; notes) echo 2 ;; ledger) echo 3 ;; host) echo 4 ;; *) echo 9 ;;
  esac
}
bad=0
checked=0
for f in src/*/*.[ch]; do
  layer=${f#src/}
  layer=${layer%%/*}
  mine=$(rank "$layer")
  while IFS= read -r inc; do
    used=${inc%%/*}
    checked=$((checked + 1))
    if [ "$(rank "$used")" -gt "$mine" ]; then
      echo "layers: $f includes \"$inc\": $layer must not use $used"
      bad=$((bad + 1))
    fi
  done < <(sed -n 's/^#include "\([a-z]*\/[^"]*\)".*/\1/p' "$f")
done
echo "layers: $checked includes checked, $bad reaching up"
[ "$bad" = 0 ]
