#!/usr/bin/env bash
# Runs the functional specs (all, or the spec files given) and ends with a plain summary line ("functional: N passed, N failed").
#
# busted runs inside a headless Neovim: its LuaJIT is busted's interpreter. runner.lua sets the
# module paths for Debian's lua-busted, gives busted the arguments after `--` and quits Neovim
# with busted's exit code. Each spec starts its own `nvim --embed` (the same binary) and drives
# it with jobstart({rpc = true}) + vim.rpcrequest (support.lua). Needs nvim (0.7.2 or newer)
# and lua-busted only: no lua-nvim, luv or standalone Lua. Run from the repository root.
# KITH_BIN: the kith binary under test (default build/kith); KITH_NVIM: the Neovim (default nvim).
set -uo pipefail
out=$(mktemp)
# kith keeps its index cache in $XDG_CACHE_HOME/kith (SPEC §6): the specs use their own, never
# the user's.
XDG_CACHE_HOME=$(mktemp -d)
export XDG_CACHE_HOME
trap 'rm -f "$out"; rm -rf "$XDG_CACHE_HOME"' EXIT
"${KITH_NVIM:-nvim}" --headless -u NONE -i NONE -n -c 'luafile tests/functional/runner.lua' \
  -- --helper=tests/functional/helper.lua "${@:-tests/functional}" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
summary=$(grep -E '^[0-9]+ success(es)? / [0-9]+ failures? / [0-9]+ errors?' "$out" | tail -1)
if [ -z "$summary" ]; then
  echo "functional: busted printed no summary (exit $rc)"
  exit $(( rc == 0 ? 1 : rc ))
fi
read -r ok _ _ failed _ _ errors _ _ pending _ <<<"$summary"
echo "functional: $ok passed, $((failed + errors)) failed${pending:+, $pending pending}"
exit "$rc"
