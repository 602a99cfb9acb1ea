#!/usr/bin/env bash
# tests/debian/run.sh [SUITE] [build|test|bench-keys]: `make` (and, with `test`, `make test`;
# with `bench-keys`, `make bench-keys`) as an ordinary user in a chroot of Debian SUITE (default
# trixie, Debian 13 with Neovim 0.10; bookworm is Debian 12; sid is Debian unstable with Neovim
# 0.12, tree-sitter 0.26 and msgpack-c 7). `make test-debian13` is `trixie test`;
# `make test-debian-sid` is `sid test`; `make build-debian12` is `bookworm build` (a fresh
# Debian 12 where an ordinary user with only the build dependencies runs `make`);
# `make bench-keys-debian13` is `trixie bench-keys` (bench/keys.sh's variables are passed on).
# Needs root (debootstrap, mount, chroot).
#
# - The root (debootstrap --variant=minbase) is made once, cached under
#   ${XDG_CACHE_HOME:-~/.cache}/kith/NAME-root (NAME: debian13, debian12, debian-sid). It is built in NAME-root.tmp and renamed
#   when complete, so an interrupted run leaves nothing that looks finished.
# - Every run copies this checkout as it is now (tracked and untracked files, not ignored ones:
#   no build dirs, no node_modules) to /home/kith/kith (and shared/test-plugins beside it),
#   installs what is missing of the build packages (scripts/deps install build, as root), runs
#   `make` as the user kith (uid 1000), installs the test packages (scripts/deps install test),
#   then runs `make test` as kith. On a new root the user's `make` thus runs with the build
#   dependencies only.
# - npm inside gets this machine's registry and CA bundle, as a new machine here has them.
# - /proc, /dev, /dev/pts and /dev/shm are mounted for the run and unmounted on exit (also on
#   Ctrl-C or TERM; what a killed run left is cleaned up by the next one).
#
# Environment: XDG_CACHE_HOME, DEBIAN_MIRROR (default http://deb.debian.org/debian),
# KITH_TEST_PLUGINS (default ../shared/test-plugins beside the checkout; set and empty: none, as
# in a clone without them, where the specs that need them are pending).
# Ends with the suites' summary lines and exits with their status; the full output is in
# the cache directory's NAME.log.
set -euo pipefail

suite=${1:-trixie}
steps=${2:-test}
case $suite in
trixie) name=debian13 ;;
bookworm) name=debian12 ;;
sid | unstable) suite=sid name=debian-sid ;;
*) name=$suite ;;
esac
case $steps in build | test | bench-keys) ;; *) echo "usage: $0 [SUITE] [build|test|bench-keys]" >&2; exit 2 ;; esac
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/kith
root=$cache/$name-root
stamp=.kith-$name-root
log=$cache/$name.log
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

say() { printf '%s: %s\n' "$name" "$*"; }
die() {
  say "$*" >&2
  exit 1
}
started=$SECONDS
elapsed() { printf '%dm%02ds' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, mount, chroot); run it with sudo"
if ! git -c safe.directory="$repo" -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
  die "$repo is not a git checkout (the copy into the root is made with git ls-files)"
fi
mkdir -p "$cache"

# One run at a time per cache: the root and its mounts are shared.
exec 9>"$cache/$name.lock"
if ! flock -n 9; then
  say "waiting for another run to finish"
  flock 9
fi

# --- mounts ----------------------------------------------------------------------------------
mounts=() # mounted by this run, innermost first

# Unmounts everything mounted at or below $1 (also what an earlier, killed run left), deepest
# first. Paths with spaces are escaped in /proc/self/mounts: refuse them rather than guess.
unmount_below() {
  local dir=$1 m
  case $dir in *[[:space:]]*) die "the cache path must not contain spaces: $dir" ;; esac
  awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" || say "could not unmount $m" >&2
    done
}

# mount_at TARGET MOUNT-ARGS...: mounts and remembers it for cleanup.
mount_at() {
  local target=$1
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounts=("$target" "${mounts[@]}")
}

mount_into_root() {
  mount_at "$root/proc" -t proc proc
  # Bind mounts of the host's /dev: rslave, so nothing mounted below them reaches the host.
  mount_at "$root/dev" --bind /dev
  mount --make-rslave "$root/dev"
  mount_at "$root/dev/pts" --bind /dev/pts
  mount --make-rslave "$root/dev/pts"
  mount_at "$root/dev/shm" -t tmpfs -o nosuid,nodev,mode=1777 shm
}

# Ends what still runs inside the root (a build, a spec's leftover nvim or kith): they are
# all started by this run. Repeated, since a make may start a compiler meanwhile.
kill_in_root() {
  local pids
  for _ in {1..20}; do
    pids=$(find /proc -mindepth 2 -maxdepth 2 -name root -lname "$root" -printf '%h\n' 2>/dev/null |
      sed 's|^/proc/||') || true
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086 # one pid a word
    kill -9 $pids 2>/dev/null || true
    sleep 0.1
  done
}

cleanup() {
  local rc=$? m
  trap - EXIT INT TERM
  if [ "${#mounts[@]}" -gt 0 ]; then kill_in_root || true; fi
  for m in "${mounts[@]}"; do
    umount "$m" 2>/dev/null || umount -l "$m" || say "could not unmount $m" >&2
  done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the root --------------------------------------------------------------------------------
make_root() {
  [ -e "$root/$stamp" ] && return 0
  local tmp=$root.tmp
  for d in "$root" "$tmp"; do
    if [ -e "$d" ]; then
      say "removing $d, left unfinished by an interrupted run"
      unmount_below "$d"
      rm -rf --one-file-system "$d"
    fi
  done
  if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap"
    { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap; } \
      >"$cache/debootstrap.log" 2>&1 || die "could not install debootstrap (log: $cache/debootstrap.log)"
  fi
  say "creating the Debian $suite root in $root (debootstrap, a few minutes)"
  if ! debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1; then
    tail -n 20 "$cache/debootstrap.log" >&2
    die "debootstrap failed (log: $cache/debootstrap.log)"
  fi
  # Debian unstable's Release file reads as expired from here (the registry lags the calendar):
  # apt in that root must not check Valid-Until (../shared/spec/NVIM-NOTES.md).
  if [ "$suite" = sid ]; then
    echo 'Acquire::Check-Valid-Until "false";' >"$tmp/etc/apt/apt.conf.d/99valid"
  fi
  touch "$tmp/$stamp"
  mv "$tmp" "$root"
}

# What a run killed before its trap ran left behind (it held no lock: fd 9 is not inherited).
kill_in_root
unmount_below "$root"
make_root
say "root ready ($(elapsed))"

# What a new machine here hands npm: the registry it is configured with and the CA bundle.
registry=$(npm config get registry 2>/dev/null || true)
registry=${registry:-${npm_config_registry:-}}
ca=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
[ -r "$ca" ] || die "no CA bundle at $ca (set NODE_EXTRA_CA_CERTS)"
mkdir -p "$root/etc/ssl"
cp "$ca" "$root/etc/ssl/host-ca-certificates.crt"
if [ -e /etc/resolv.conf ]; then cp -L /etc/resolv.conf "$root/etc/resolv.conf"; fi

run_env=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
  TERM="${TERM:-dumb}" NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca-certificates.crt)
[ -n "$registry" ] && run_env+=(npm_config_registry="$registry")
# bench/keys.sh's settings, for bench-keys
for v in ROUNDS PACE COUNT SETTLE SYNTAX DIAGNOSTICS LUA_WITH LUA_WITHOUT; do
  if [ -n "${!v:-}" ]; then run_env+=("$v=${!v}"); fi
done
as_root() { chroot "$root" "${run_env[@]}" HOME=/root DEBIAN_FRONTEND=noninteractive "$@" 9>&-; }
as_user() {
  chroot --userspec=1000:1000 --groups=1000 "$root" "${run_env[@]}" HOME=/home/kith USER=kith \
    LOGNAME=kith "$@" 9>&-
}

# Copies the checkout as it is now into $1 (inside the root): tracked files with their
# uncommitted changes and untracked files that are not ignored; deleted files are left out, and
# so are node_modules and build dirs even as symlinks (worktrees link node_modules, and
# .gitignore's /node_modules/ matches only a directory).
copy_repo() {
  local dest=$1
  rm -rf --one-file-system "$dest"
  mkdir -p "$dest"
  git -c safe.directory="$repo" -C "$repo" ls-files -z --cached --others --exclude-standard |
    (cd "$repo" && while IFS= read -r -d '' f; do
      case $f in node_modules | node_modules/* | build | build/* | build-* ) continue ;; esac
      if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
    done | tar --null --no-recursion -T - -cf -) | tar -xf - -C "$dest"
}

mount_into_root
# The packages come from the checkout's own scripts/deps, run as root inside the root: first the
# build dependencies alone (so that on a new root the user's `make` below has nothing more, as
# on a user's machine), then the test packages before `make test`.
copy_repo "$root/root/kith"
deps() {
  as_root /root/kith/scripts/deps install "$1" >>"$cache/apt.log" 2>&1 ||
    die "scripts/deps install $1 failed (log: $cache/apt.log)"
  as_root apt-get clean # the downloaded .deb files
}
deps build
say "build packages ready ($(elapsed))"

# A new user each run: a fresh home (no npm cache, no Neovim state) and an empty /tmp.
as_root sh -c 'id -u kith >/dev/null 2>&1 || useradd -M -u 1000 -U -s /bin/bash kith'
rm -rf --one-file-system "$root/home/kith"
cp -a "$root/etc/skel" "$root/home/kith"
find "$root/tmp" -mindepth 1 -delete
copy_repo "$root/home/kith/kith"
# The test plugins (shared/test-plugins beside the checkout, or $KITH_TEST_PLUGINS, e.g. for a
# worktree elsewhere) where the specs look for them.
plugins=${KITH_TEST_PLUGINS-$repo/../shared/test-plugins}
if [ -n "$plugins" ] && [ -d "$plugins" ]; then
  mkdir -p "$root/home/kith/shared"
  cp -a "$plugins" "$root/home/kith/shared/test-plugins"
fi
chown -R 1000:1000 "$root/home/kith"

# --- make, then make test, as kith -----------------------------------------------------------
: >"$log"
# in_root_as_user COMMAND: runs it as kith in the checkout, output to the terminal and the log.
# In the background with `wait`, so that a signal reaches the traps at once (cleanup then ends
# what runs inside); pipefail makes the pipeline's status the command's.
in_root_as_user() {
  { as_user bash -c "cd ~/kith && $1" </dev/null 2>&1 | tee -a "$log"; } 9>&- &
  wait $!
}
make_rc=0
in_root_as_user make || make_rc=$?
test_rc=1
if [ "$make_rc" = 0 ] && [ -x "$root/home/kith/kith/build/kith" ] && [ "$steps" = build ]; then
  say "make: built build/kith as kith (uid 1000) with the build dependencies only ($(elapsed))" |
    tee -a "$log"
  in_root_as_user 'build/kith --version' || make_rc=$?
  exit "$make_rc"
fi
if [ "$make_rc" = 0 ] && [ -x "$root/home/kith/kith/build/kith" ]; then
  say "make: built build/kith as kith (uid 1000) ($(elapsed))" | tee -a "$log"
  deps test
  say "test packages ready ($(elapsed))"
  test_rc=0
  if [ "$steps" = bench-keys ]; then
    in_root_as_user 'make bench-keys' || test_rc=$?
    say "make bench-keys: exit $test_rc (Debian $suite, $(as_root nvim --version | head -n 1), $(elapsed))"
    exit "$test_rc"
  fi
  in_root_as_user 'make test' || test_rc=$?
fi

echo
say "summary (Debian $suite, $(as_root nvim --version | head -n 1), $(elapsed); log: $log)"
if [ "$make_rc" != 0 ]; then
  say "make failed (exit $make_rc)"
  exit "$make_rc"
fi
grep -E '^[0-9]+% tests passed|^functional: ' "$log" | sed "s/^/$name:   /" || true
say "make test: exit $test_rc"
exit "$test_rc"
