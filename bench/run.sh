#!/usr/bin/env bash
# bench/run.sh - time `kith balances` against ledger-cli and hledger on the same
# records, and cross-check kith's per-contact totals against the generator's; then
# time `kith report --json` (per contact per month) against `hledger balance -M`
# on the same records, in the same alternated rounds, and cross-check its numbers
# against hledger's.
#
#   bench/run.sh                      # what `make bench` runs
#   ROUNDS=3 INTERACTIONS=20000 FILES=300 bench/run.sh
#   KITH=build-asan/kith bench/run.sh
#
# Environment:
#   KITH          kith binary (default build/kith; this script builds nothing)
#   ROUNDS        timed rounds, tools alternated within each round (default 5)
#   INTERACTIONS  counted interaction items in the vault (default 200000); a second vault
#                 holds the same records kept as properties (gen_vault.py --style properties)
#   FILES         notes in the vault (default 2700)
#   CONTACTS      contacts (default 4000)
#   SEED          generator seed (default 1)
#   BENCH_OUT     cache directory for vault + journal (default bench/out). Used
#                 only if it exists: `mkdir bench/out` to keep the generated vault
#                 between runs (regenerated when the parameters change);
#                 otherwise a temporary directory is used and removed.
#   STRICT_DIAG=1 also fail when kith's diagnostics differ from the expected ones
#
# Exit status: 0 = totals match; 1 = cross-check failed (or a tool failed);
# 2 = missing prerequisite. Missing the speed/memory target is reported, not fatal.

set -euo pipefail

KITH=${KITH:-build/kith}
# a relative KITH that exists from the caller's directory is taken from there
[[ $KITH != /* && -e $KITH ]] && KITH=$PWD/$KITH

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"   # paths below (bench/, build/, bench/out) are relative to the repo
# shellcheck source=bench/lib.sh
. "$here/lib.sh"   # die, require_tools, make_vault, cross_check

ROUNDS=${ROUNDS:-5}
INTERACTIONS=${INTERACTIONS:-200000}
FILES=${FILES:-2700}
CONTACTS=${CONTACTS:-4000}
SEED=${SEED:-1}
BENCH_OUT=${BENCH_OUT:-bench/out}
TODAY=2026-11-26

# ---- prerequisites (checked, never installed) ---------------------------------
require_tools "$KITH"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"

# ---- the vault: cached in $BENCH_OUT if that directory exists ------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/kith-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -d $BENCH_OUT ]]; then
    dir=$BENCH_OUT
else
    dir=$work
fi
gen=(python3 bench/gen_vault.py --seed "$SEED" --interactions "$INTERACTIONS"
     --files "$FILES" --contacts "$CONTACTS")

# make_vault (bench/lib.sh) generates each vault and its journal unless the cached one is what the
# generator would write now.
vault=$dir/vault
journal=$dir/journal.ledger
make_vault headings "$vault" "$journal" "${gen[@]}"
# (v3) the same records kept the Obsidian way: people as notes marked by properties, meetings
# as notes with people and date properties (bench/gen_vault.py --style properties)
props=$dir/vault-props
props_journal=$dir/journal-props.ledger
make_vault properties "$props" "$props_journal" "${gen[@]}"
expected=$vault/.expected.json

# ---- cross-check (also warms the page cache for kith, and fills its index cache) ----
echo "bench: kith: $("$KITH" --version 2>&1 | head -n1 || true)  ($KITH)"
echo "bench: ledger: $(ledger --version | head -n1)"
echo "bench: hledger: $(hledger --version | head -n1)"
echo

# kith's index cache (SPEC §6), never the user's: the runs below fill $work/xdg-warm, which the
# timed "warm" runs then use; the timed "kith" runs are cold (an empty cache of their own,
# which they fill) and "nocache" runs skip it (--no-cache).
export XDG_CACHE_HOME=$work/xdg-warm

rc=0
"$KITH" balances --json --today "$TODAY" "$vault" >"$work/kith.json" 2>"$work/kith.err" || rc=$?
if ((rc >= 2)); then
    echo "bench: kith balances exited $rc:" >&2
    head -n 20 "$work/kith.err" >&2
    exit 1
fi
# The cache file of the headings vault (the only one so far), for the warm floor below.
cache_file=$(find "$work/xdg-warm/kith" -name '*.mpk' | head -n 1)

check_rc=0
# The checker of kith's totals and diagnostics against the generator's (bench/lib.sh).
cross_check "$work/kith.json" "$expected" "${STRICT_DIAG:-0}" || check_rc=$?
# The properties-style vault: the same check (the cache it fills is the warm runs' too).
"$KITH" balances --json --today "$TODAY" "$props" >"$work/props.json" 2>/dev/null || true
echo "bench: the properties-style vault ($props):"
cross_check "$work/props.json" "$props/.expected.json" "${STRICT_DIAG:-0}" || check_rc=$?

# ---- the report: kith report --json vs hledger balance -M, same months ----------
# Both over every month that holds a record: kith from the month of the first date
# in the journal (hledger -M starts there by itself) to today's.
first=$(grep -oE '^[0-9]{4}-[0-9]{2}-[0-9]{2}' "$journal" | sort | sed -n 1p) # not head: pipefail
# --no-cache: the report parses every note, as it did before the index cache (balances are
# timed cold, without and with the cache below).
report_cmd=("$KITH" report --json --no-cache --by month --from "$first" --today "$TODAY" "$vault")
rc=0
"${report_cmd[@]}" >"$work/report.json" 2>"$work/report.err" || rc=$?
if ((rc != 0)); then
    echo "bench: kith report exited $rc:" >&2
    head -n 20 "$work/report.err" >&2
    exit 1
fi
hledger -f "$journal" balance -M -O csv contacts >"$work/hledger-M.csv"
python3 - "$work/report.json" "$work/hledger-M.csv" <<'EOF' || check_rc=$?
import csv, json, sys

# Every (handle, gave|got|met, month) that is not 0, from each tool.
kith = json.load(open(sys.argv[1], encoding="utf-8"))
mine = {}
for row in kith["rows"]:
    for field in ("gave", "got", "met"):
        for month, v in zip(kith["periods"], row[field]):
            if v:
                mine[(row["handle"], field, month)] = v
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8")))
theirs = {}
for row in rows[1:]:
    parts = row[0].split(":")
    if len(parts) != 3 or parts[0] != "contacts":
        continue
    for month, v in zip(rows[0][1:], row[1:]):
        if v not in ("", "0"):
            theirs[(parts[1], parts[2], month)] = int(v)
if mine == theirs:
    print("cross-check: report matches hledger balance -M (%d months, %d non-zero cells)" % (
        len(kith["periods"]), len(mine)))
    sys.exit(0)
diff = sorted(set(mine.items()) ^ set(theirs.items()))
print("cross-check: report DIFFERS from hledger balance -M in %d cells; first ones:" % len(diff))
for (h, f, m), v in diff[:10]:
    print("  %s %s %s: kith %s, hledger %s" % (h, f, m, mine.get((h, f, m)), theirs.get((h, f, m))))
sys.exit(1)
EOF

# The warm cache gives the same bytes as the cold run that filled it.
"$KITH" balances --json --today "$TODAY" "$vault" >"$work/kith.warm.json" 2>/dev/null || true
if ! cmp -s "$work/kith.json" "$work/kith.warm.json"; then
    echo "cross-check: kith balances with a warm cache printed something else" >&2
    check_rc=1
fi

# ---- opening a note in Neovim: its first annotation, cold and warm cache --------
# bench/open_bench.lua: Neovim with kith opens a note of the vault and quits once it shows its
# first annotation; the whole process is timed. Skipped without Neovim.
# The first people note (by name) with a contact heading: a note of the vault (not a template
# under .obsidian/, nor attachments/scan.md, the binary file kith skips).
open_note=$(grep -rl --include='*.md' -E '^#+ .*@[A-Za-z0-9_]' "$vault/people" | LC_ALL=C sort | sed -n 1p)
open_cmd=()
if command -v nvim >/dev/null && [[ -n $open_note ]]; then
    open_cmd=(env KITH_OPEN_KITH="$KITH" KITH_OPEN_VAULT="$vault" KITH_OPEN_NOTE="$open_note"
        nvim --headless -u NONE -i NONE -n --cmd "set rtp^=$root" -c "luafile $root/bench/open_bench.lua")
    "${open_cmd[@]}" >/dev/null 2>"$work/open.err" </dev/null || {
        echo "bench: opening $open_note in Neovim failed:" >&2
        head -n 20 "$work/open.err" >&2
        exit 1
    }
else
    echo "bench: no Neovim (nvim): opening a note in the editor is not timed"
fi

# ---- timed rounds: tools alternated, starting tool rotated each round ----------
cat "$journal" >/dev/null   # warm the page cache for ledger/hledger too
tools=(kith nocache warm ledger hledger report hledger-M props-nocache props-warm props-ledger
    graph props-graph stats read)
# The floor of a warm run: a stat of every note (find -newer stats each file it walks; kith
# skips the same directories) and reading the cache file kith keeps for the vault ($cache_file,
# found above).
((${#open_cmd[@]})) && tools+=(open-cold open-warm)
echo
echo "bench: $ROUNDS rounds of ${tools[*]} ..."
for ((r = 0; r < ROUNDS; r++)); do
    for ((i = 0; i < ${#tools[@]}; i++)); do
        t=${tools[$(((r + i) % ${#tools[@]}))]}
        case $t in
            kith) cmd=(env XDG_CACHE_HOME="$work/xdg-cold-$r" "$KITH" balances --json --today "$TODAY" "$vault") ;;
            nocache) cmd=("$KITH" balances --json --no-cache --today "$TODAY" "$vault") ;;
            warm) cmd=("$KITH" balances --json --today "$TODAY" "$vault") ;;
            open-cold) cmd=(env XDG_CACHE_HOME="$work/xdg-open-$r" "${open_cmd[@]}") ;;
            open-warm) cmd=("${open_cmd[@]}") ;;
            # --args-only: ignore ~/.ledgerrc and LEDGER_* variables
            ledger) cmd=(ledger --args-only -f "$journal" bal) ;;
            hledger) cmd=(hledger -f "$journal" bal) ;;
            report) cmd=("${report_cmd[@]}") ;;
            hledger-M) cmd=(hledger -f "$journal" balance -M) ;;
            props-nocache) cmd=("$KITH" balances --json --no-cache --today "$TODAY" "$props") ;;
            props-warm) cmd=("$KITH" balances --json --today "$TODAY" "$props") ;;
            props-ledger) cmd=(ledger --args-only -f "$props_journal" bal) ;;
            # (v3) the network, warm, beside warm balances on each vault
            graph) cmd=("$KITH" graph --json --today "$TODAY" "$vault") ;;
            props-graph) cmd=("$KITH" graph --json --today "$TODAY" "$props") ;;
            stats) cmd=(find "$vault" \( -name '.*' -o -name node_modules \) -prune -o -name '*.md'
                -newer "$journal" -print) ;;
            read) cmd=(cat "$cache_file") ;;
        esac
        st=0
        # wall time from bash's clock (GNU time's %e has 10 ms steps), the rest from GNU time
        t0=$EPOCHREALTIME
        /usr/bin/time -f '%e %M %U %S' -o "$work/time.$t.$r" "${cmd[@]}" \
            >/dev/null 2>"$work/err.$t" </dev/null || st=$?
        t1=$EPOCHREALTIME
        echo "${t0/,/.} ${t1/,/.}" >"$work/wall.$t.$r"
        # kith may exit 1 when the vault holds error diagnostics; 2+ is a failure
        if { [[ $t =~ ^(kith|nocache|warm|report|props-nocache|props-warm|graph|props-graph)$ ]] && ((st >= 2)); } ||
            { [[ ! $t =~ ^(kith|nocache|warm|report|props-nocache|props-warm|graph|props-graph)$ ]] && ((st != 0)); }; then
            echo "bench: $t failed (exit $st):" >&2
            head -n 20 "$work/err.$t" >&2
            exit 1
        fi
    done
done

# ---- report: medians and ratios -----------------------------------------------
python3 - "$work" "$ROUNDS" "$expected" "$props/.expected.json" "${tools[@]}" <<'EOF'
import json, statistics, sys

work, rounds, exp_path, props_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
tools = sys.argv[5:]
wall, rss, cpu = {}, {}, {}
for t in tools:
    w, m, c = [], [], []
    for r in range(rounds):
        # GNU time writes "Command exited with non-zero status N" first on failure
        last = open("%s/time.%s.%d" % (work, t, r)).read().strip().splitlines()[-1]
        e, k, u, sy = last.split()
        t0, t1 = open("%s/wall.%s.%d" % (work, t, r)).read().split()
        w.append(float(t1) - float(t0))
        m.append(int(k) / 1024.0)
        c.append(float(u) + float(sy))
    wall[t], rss[t], cpu[t] = statistics.median(w), statistics.median(m), statistics.median(c)

s = json.load(open(exp_path))["summary"]
print()
print("kith bench: %d interactions, %d notes (%.1f MB), %d contacts; median of %d rounds" % (
    s["interactions"], s["notes"], s["bytes"] / 1e6, s["contacts"], rounds))
print()
ratio = lambda a, b: ("%.2fx" % (a / b)) if b > 0 else "n/a"
row = "%-15s %10s %10s %10s %12s %13s"
print(row % ("", "kith", "ledger", "hledger", "kith/ledger", "kith/hledger"))
print(row % ("wall (median)", "%.2f s" % wall["kith"], "%.2f s" % wall["ledger"],
             "%.2f s" % wall["hledger"], ratio(wall["kith"], wall["ledger"]),
             ratio(wall["kith"], wall["hledger"])))
print(row % ("peak RSS", "%.1f MB" % rss["kith"], "%.1f MB" % rss["ledger"],
             "%.1f MB" % rss["hledger"], ratio(rss["kith"], rss["ledger"]),
             ratio(rss["kith"], rss["hledger"])))
# CPU time (user + system) is what the work costs whatever else the machine runs; kith
# parses on every core, so its wall time suffers most when other processes take them.
print(row % ("cpu (median)", "%.2f s" % cpu["kith"], "%.2f s" % cpu["ledger"],
             "%.2f s" % cpu["hledger"], ratio(cpu["kith"], cpu["ledger"]),
             ratio(cpu["kith"], cpu["hledger"])))
print()
print("the index cache (SPEC 6), kith balances --json: cold %.2f s (filling it), --no-cache %.2f s, "
      "warm %.3f s; ledger bal %.2f s" % (wall["kith"], wall["nocache"], wall["warm"], wall["ledger"]))
w_ok = wall["warm"] <= 0.03 * wall["ledger"]
print("target: warm kith <= 0.03x ledger: %s (%s); cold vs --no-cache: %s" % (
    "met" if w_ok else "MISSED", ratio(wall["warm"], wall["ledger"]),
    ratio(wall["kith"], wall["nocache"])))
c_ok = wall["nocache"] <= 0.5 * wall["ledger"]
print("target: kith --no-cache <= 0.5x ledger: %s (%s)" % (
    "met" if c_ok else "MISSED", ratio(wall["nocache"], wall["ledger"])))
m_ok = rss["kith"] <= 1.1 * rss["nocache"]
print("target: cold peak memory (writing the cache) <= --no-cache's + 10%%: %s (%.1f MB vs %.1f MB)"
      % ("met" if m_ok else "MISSED", rss["kith"], rss["nocache"]))
floor = wall["stats"] + wall["read"]
print("the warm floor: a stat of every note %.3f s + reading the cache file %.3f s = %.3f s; "
      "warm kith is %.1fx that" % (wall["stats"], wall["read"], floor,
                                   wall["warm"] / floor if floor > 0 else float("nan")))
if "open-warm" in wall:
    o_ok = wall["open-warm"] <= 0.2 * wall["ledger"]
    print("Neovim opens a note until its first annotation (whole process): cold cache %.2f s, "
          "warm %.2f s" % (wall["open-cold"], wall["open-warm"]))
    print("target: warm open <= 0.2x ledger bal: %s (%s); cold open: %s" % (
        "met" if o_ok else "MISSED", ratio(wall["open-warm"], wall["ledger"]),
        ratio(wall["open-cold"], wall["ledger"])))
print()
t_ok = wall["kith"] <= wall["ledger"]
m_ok = rss["kith"] < rss["ledger"]
print("target: time kith <= ledger: %s (%s); memory kith < ledger: %s (%s)" % (
    "met" if t_ok else "MISSED", ratio(wall["kith"], wall["ledger"]),
    "met" if m_ok else "MISSED", ratio(rss["kith"], rss["ledger"])))
print()
row = "%-15s %14s %16s %8s"
print(row % ("", "kith report", "hledger bal -M", "ratio"))  # kith report: --no-cache
print(row % ("wall (median)", "%.2f s" % wall["report"], "%.2f s" % wall["hledger-M"],
             ratio(wall["report"], wall["hledger-M"])))
print(row % ("peak RSS", "%.1f MB" % rss["report"], "%.1f MB" % rss["hledger-M"],
             ratio(rss["report"], rss["hledger-M"])))
print(row % ("cpu (median)", "%.2f s" % cpu["report"], "%.2f s" % cpu["hledger-M"],
             ratio(cpu["report"], cpu["hledger-M"])))
print()
r_ok = wall["report"] <= 0.5 * wall["hledger-M"]
print("target: time kith report <= 0.5 x hledger balance -M: %s (%s)" % (
    "met" if r_ok else "MISSED", ratio(wall["report"], wall["hledger-M"])))
p = json.load(open(props_path))["summary"]
print()
print("the same records kept as properties (SPEC v3: people notes by rule, meeting notes): "
      "%d notes (%.1f MB)" % (p["notes"], p["bytes"] / 1e6))
row = "%-15s %14s %10s %10s %14s"
print(row % ("", "--no-cache", "warm", "ledger", "--no-cache/ledger"))
print(row % ("wall (median)", "%.2f s" % wall["props-nocache"], "%.3f s" % wall["props-warm"],
             "%.2f s" % wall["props-ledger"], ratio(wall["props-nocache"], wall["props-ledger"])))
print(row % ("peak RSS", "%.1f MB" % rss["props-nocache"], "%.1f MB" % rss["props-warm"],
             "%.1f MB" % rss["props-ledger"], ratio(rss["props-nocache"], rss["props-ledger"])))
print("vs the headings vault: --no-cache %s, warm %s" % (
    ratio(wall["props-nocache"], wall["nocache"]), ratio(wall["props-warm"], wall["warm"])))
print()
print("kith graph --json (v3; warm cache) beside kith balances --json (warm):")
row = "%-15s %12s %12s %10s"
print(row % ("", "graph", "balances", "ratio"))
for name, g, b in (("headings vault", "graph", "warm"), ("properties", "props-graph", "props-warm")):
    print(row % (name, "%.3f s" % wall[g], "%.3f s" % wall[b], ratio(wall[g], wall[b])))
    print(row % ("  peak RSS", "%.1f MB" % rss[g], "%.1f MB" % rss[b], ratio(rss[g], rss[b])))
EOF

if ((check_rc != 0)); then
    echo "bench: cross-check FAILED (see above)" >&2
    exit 1
fi
