#!/usr/bin/env bash
# make screenshots: the README's pictures, made from the example vault so that they stay true.
#
#   doc/editor.png   Neovim on the example vault in tmux: annotations on the contact headings,
#                    the hover (K) of a contact with an open ask, a birthday and a snooze, and
#                    :Kith agenda. tmux capture-pane -e keeps the colours, Debian's aha turns
#                    them into HTML, headless Chromium into a PNG.
#   doc/network.png  kith graph --html (the network section of the report), in Chromium.
#   doc/report.png   kith report --html, in Chromium.
#
# Needs build/kith (make), nvim, tmux, aha and chromium (make deps installs them). Nothing of
# the user's is read or written: the vault is a copy, and Neovim, kith's cache and Chromium's
# profile live in a temporary directory. KITH_NVIM: the Neovim to show (default nvim).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
kith=$root/${BUILD:-build}/kith
nvim=${KITH_NVIM:-nvim}
today=2026-11-26
for tool in "$kith" "$nvim" tmux aha chromium; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "screenshots: $tool is missing (make deps installs tmux, aha and chromium)" >&2
    exit 1
  }
done
work=$(mktemp -d)
socket=kith-shots-$$
trap 'tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
export XDG_CACHE_HOME=$work/cache XDG_STATE_HOME=$work/state XDG_DATA_HOME=$work/data

# Chromium, headless, no network, a fresh profile: shot PAGE PNG WIDTH,HEIGHT
shot() {
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --force-device-scale-factor=1 --user-data-dir="$work/profile" --window-size="$3" \
    --screenshot="$2" "file://$1" >/dev/null 2>&1
  rm -rf "$work/profile"
}

# --- the pages -------------------------------------------------------------------------------
"$kith" report --html "$work/report.html" --today "$today" examples/vault
shot "$work/report.html" "$root/doc/report.png" 1200,3020
"$kith" graph --html "$work/network.html" --today "$today" examples/vault
shot "$work/network.html" "$root/doc/network.png" 760,760
echo "screenshots: doc/report.png, doc/network.png"

# --- the editor ------------------------------------------------------------------------------
cp -r examples/vault "$work/vault"
cat >"$work/init.lua" <<EOF
vim.opt.rtp:prepend('$root')
vim.o.termguicolors = true
vim.o.number = true
vim.o.signcolumn = 'yes'
vim.o.laststatus = 2
vim.o.showmode = false
vim.o.shortmess = vim.o.shortmess .. 'I'
_G.kith_status = function() return require('kith').status() end
vim.o.statusline = ' %f %= %{v:lua.kith_status()} '
vim.cmd('filetype plugin on | syntax on | runtime! plugin/kith.lua')
require('kith').setup({ today = '$today', cmd = '$kith' })
EOF
cols=172 rows=46
tmux -L "$socket" -f /dev/null new-session -d -x "$cols" -y "$rows" -c "$work/vault" \
  "TERM=tmux-256color $nvim -u $work/init.lua -i NONE -n people/acme.md"
tmux -L "$socket" set -g default-terminal tmux-256color
tmux -L "$socket" set -ga terminal-overrides ',*:RGB'
keys() { tmux -L "$socket" send-keys "$@"; sleep "${PAUSE:-1}"; }
wait_for() { # text on the screen, or give up after 20 s
  for _ in $(seq 100); do
    tmux -L "$socket" capture-pane -p | grep -qF "$1" && return 0
    sleep 0.2
  done
  echo "screenshots: '$1' never showed" >&2
  tmux -L "$socket" capture-pane -p >&2
  exit 1
}
wait_for '↓'                     # the annotations are there
keys ':vsplit people/dan.md' Enter
keys ':vertical resize 100' Enter
keys ':Kith agenda' Enter
wait_for 'birthday @alice'
keys ':wincmd t' Enter           # Dan's note (split off to the left)
keys 'gg0' ''
keys '/@dan' Enter
keys ':nohlsearch | echo' Enter
keys 'K'
wait_for 'what they need'
tmux -L "$socket" capture-pane -e -p >"$work/editor.ansi"
aha --black --title 'kith in Neovim' <"$work/editor.ansi" >"$work/editor.html"
# A terminal's font, tight lines, no margins; the page in Neovim's background where the text
# leaves it (Neovim 0.10+'s default dark Normal; 0.7.2 leaves the terminal's, black).
bg=$("$nvim" --headless -u NONE -i NONE -n -c 'set termguicolors' \
  -c 'lua io.stdout:write(string.format("#%06x", vim.api.nvim_get_hl_by_name("Normal", true).background or 0))' \
  -c 'qa!' 2>/dev/null || echo '#000000')
sed -i "s|</head>|<style>body{margin:0;padding:10px 12px;background:$bg !important;font:14px/1.25 \"DejaVu Sans Mono\",monospace}pre{margin:0;font:inherit}</style></head>|" \
  "$work/editor.html"
shot "$work/editor.html" "$root/doc/editor.png" 1470,825
echo "screenshots: doc/editor.png ($($nvim --version | head -n 1))"
