#!/usr/bin/env bash
# bench/large.sh - how kith's costs grow with the vault: the same measurements on a vault of
# SMALL and of LARGE counted items (bench/gen_vault.py --items N; its notes and contacts grow
# with N), in the same alternated rounds, beside ledger-cli and hledger on the same records;
# then each 1M figure beside its 200k figure and the targets (bench/README.md, "Large vaults").
#
#   bench/large.sh                    # what `make bench-large` runs: 200k and 1M items
#   SMALL=20000 LARGE=100000 ROUNDS=1 bench/large.sh   # a quick run
#
# Environment:
#   KITH     kith binary (default build/kith; this script builds nothing)
#   SMALL    counted items of the small vault (default 200000)
#   LARGE    counted items of the large vault (default 1000000)
#   ROUNDS   timed rounds, every command of both sizes alternated within each (default 3)
#   EDITS    edits per editor run (default 100)
#   SEED     generator seed (default 1)
#   BENCH_OUT  where the vaults and journals are kept between runs (default bench/out, created
#            if missing): BENCH_OUT/large-<N>/ (large-200k, large-1m), regenerated when the
#            parameters, the generator or the notes change
#   STRICT_DIAG=1 also fail when kith's diagnostics differ from the expected ones
#
# Exit status: 0 = kith's totals match at both sizes; 1 = a cross-check failed (or a tool
# failed); 2 = missing prerequisite. Missing a target is reported, not fatal.

set -euo pipefail

KITH=${KITH:-build/kith}
# a relative KITH that exists from the caller's directory is taken from there
[[ $KITH != /* && -e $KITH ]] && KITH=$PWD/$KITH

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
cd "$root"   # paths below (bench/, build/, bench/out) are relative to the repo
# shellcheck source=bench/lib.sh
. "$here/lib.sh"   # die, require_tools, make_vault, cross_check

SMALL=${SMALL:-200000}
LARGE=${LARGE:-1000000}
ROUNDS=${ROUNDS:-3}
EDITS=${EDITS:-100}
SEED=${SEED:-1}
BENCH_OUT=${BENCH_OUT:-bench/out}
TODAY=2026-11-26

# ---- prerequisites (checked, never installed) ---------------------------------
require_tools "$KITH"
command -v nvim >/dev/null || die "nvim not found (apt-get install neovim)"
for v in SMALL LARGE ROUNDS EDITS SEED; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kith-large.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 200000 -> 200k, 1000000 -> 1m, 12345 -> 12345: the vault's directory and the table's columns
label() {
    local n=$1
    if ((n % 1000000 == 0)); then
        echo "$((n / 1000000))m"
    elif ((n % 1000 == 0)); then
        echo "$((n / 1000))k"
    else
        echo "$n"
    fi
}

# ---- the vaults: BENCH_OUT/large-<N>/{vault,journal.ledger} -------------------------------
# Per size s (small, large): items[s], vault[s], journal[s], note[s] (the note Neovim opens).
declare -A items vault journal note
items[small]=$SMALL
items[large]=$LARGE
sizes=(small large)
mkdir -p "$BENCH_OUT"
for s in "${sizes[@]}"; do
    dir=$BENCH_OUT/large-$(label "${items[$s]}")
    mkdir -p "$dir"
    vault[$s]=$dir/vault
    journal[$s]=$dir/journal.ledger
    # --items alone: the notes and contacts grow with the items (gen_vault.py --help)
    make_vault headings "${vault[$s]}" "${journal[$s]}" \
        python3 bench/gen_vault.py --seed "$SEED" --items "${items[$s]}"
done

# ---- cross-check at both sizes (also fills the warm cache and the page cache) ------------
echo "bench: kith: $("$KITH" --version 2>&1 | head -n1 || true)  ($KITH)"
echo "bench: ledger: $(ledger --version | head -n1)"
echo "bench: hledger: $(hledger --version | head -n1)"
echo "bench: nvim: $(nvim --version | head -n1)"
echo

# kith's index cache (SPEC §6), never the user's: the runs below fill $work/xdg-warm, which the
# timed warm runs use; the cold runs get an empty cache of their own (removed after the run).
export XDG_CACHE_HOME=$work/xdg-warm

check_rc=0
for s in "${sizes[@]}"; do
    echo "bench: $(label "${items[$s]}") items (${vault[$s]}):"
    rc=0
    "$KITH" balances --json --today "$TODAY" "${vault[$s]}" >"$work/kith.$s.json" \
        2>"$work/kith.$s.err" || rc=$?
    if ((rc >= 2)); then
        echo "bench: kith balances exited $rc:" >&2
        head -n 20 "$work/kith.$s.err" >&2
        exit 1
    fi
    cross_check "$work/kith.$s.json" "${vault[$s]}/.expected.json" "${STRICT_DIAG:-0}" || check_rc=$?
    # The warm cache gives the same bytes as the cold run that filled it.
    "$KITH" balances --json --today "$TODAY" "${vault[$s]}" >"$work/kith.$s.warm.json" 2>/dev/null || true
    if ! cmp -s "$work/kith.$s.json" "$work/kith.$s.warm.json"; then
        echo "cross-check: kith balances with a warm cache printed something else" >&2
        check_rc=1
    fi
    # The note Neovim opens: the first people note (by name) holding an ATX contact heading (an
    # ordinary note: not one of the files kith skips, which hold contact headings too).
    note[$s]=$(grep -rl --include='*.md' -E '^#+ .*@[A-Za-z0-9_]' "${vault[$s]}/people" | LC_ALL=C sort | sed -n 1p)
    [[ -n ${note[$s]} ]] || { echo "bench: no note with a contact heading in ${vault[$s]}" >&2; exit 1; }
    cat "${journal[$s]}" >/dev/null   # the page cache, for ledger and hledger
done
echo

# The commands of one tool at one size, into the array `cmd`.
set_cmd() {
    local t=$1 s=$2 r=$3 v
    v=${vault[$s]}
    local open=(nvim --headless -u NONE -i NONE -n --cmd "set rtp^=$root")
    case $t in
        cold) cmd=(env XDG_CACHE_HOME="$work/xdg-cold-$s-$r" "$KITH" balances --json --today "$TODAY" "$v") ;;
        nocache) cmd=("$KITH" balances --json --no-cache --today "$TODAY" "$v") ;;
        warm) cmd=("$KITH" balances --json --today "$TODAY" "$v") ;;
        agenda) cmd=("$KITH" agenda --json --today "$TODAY" "$v") ;;
        report) cmd=("$KITH" report --json --today "$TODAY" "$v") ;;
        graph) cmd=("$KITH" graph --json --today "$TODAY" "$v") ;;
        open-cold | open-warm)
            cmd=(env KITH_OPEN_KITH="$KITH" KITH_OPEN_VAULT="$v" KITH_OPEN_NOTE="${note[$s]}")
            [[ $t == open-cold ]] && cmd+=(XDG_CACHE_HOME="$work/xdg-cold-$s-$r")
            cmd+=("${open[@]}" -c "luafile $root/bench/open_bench.lua") ;;
        edit-cold | edit-warm)
            cmd=(env KITH_EDIT_KITH="$KITH" KITH_EDIT_VAULT="$v" KITH_EDIT_NOTE="${note[$s]}"
                KITH_EDIT_N="$EDITS" KITH_EDIT_OUT="$work/edit.$t.$s.$r")
            [[ $t == edit-cold ]] && cmd+=(XDG_CACHE_HOME="$work/xdg-cold-$s-$r")
            cmd+=("${open[@]}" -c "luafile $root/bench/edit_bench.lua") ;;
        # --args-only: ignore ~/.ledgerrc and LEDGER_* variables
        ledger) cmd=(ledger --args-only -f "${journal[$s]}" bal) ;;
        hledger) cmd=(hledger -f "${journal[$s]}" bal) ;;
    esac
}

tools=(cold nocache warm agenda report graph open-cold open-warm edit-cold edit-warm ledger hledger)

# Each tool once at each size, untimed: a tool that fails stops the run before the rounds (the
# editor run also finds the note's annotated contact heading).
for s in "${sizes[@]}"; do
    for t in agenda report graph open-warm edit-warm; do
        set_cmd "$t" "$s" check
        st=0
        "${cmd[@]}" >/dev/null 2>"$work/err.$t" </dev/null || st=$?
        if { [[ $t =~ ^(agenda|report|graph)$ ]] && ((st >= 2)); } ||
            { [[ ! $t =~ ^(agenda|report|graph)$ ]] && ((st != 0)); }; then
            echo "bench: $t ($(label "${items[$s]}")) failed (exit $st):" >&2
            head -n 20 "$work/err.$t" >&2
            exit 1
        fi
    done
done

# ---- timed rounds: every (tool, size) alternated, the first one rotated each round -------
# one tool at both sizes one after the other (the same load on the machine for both)
runs=()
for t in "${tools[@]}"; do
    for s in "${sizes[@]}"; do
        runs+=("$t:$s")
    done
done
echo "bench: $ROUNDS rounds of ${tools[*]}, at $(label "$SMALL") and $(label "$LARGE") items ..."
for ((r = 0; r < ROUNDS; r++)); do
    for ((i = 0; i < ${#runs[@]}; i++)); do
        run=${runs[$(((r + i) % ${#runs[@]}))]}
        t=${run%%:*} s=${run#*:}
        set_cmd "$t" "$s" "$r"
        st=0
        t0=$EPOCHREALTIME
        /usr/bin/time -f '%e %M %U %S' -o "$work/time.$t.$s.$r" "${cmd[@]}" \
            >/dev/null 2>"$work/err.$t" </dev/null || st=$?
        t1=$EPOCHREALTIME
        # wall time to the microsecond (GNU time's %e has steps of 10 ms)
        echo "${t0/[.,]/} ${t1/[.,]/}" >"$work/wall.$t.$s.$r"
        rm -rf "$work/xdg-cold-$s-$r"   # a cold run's cache: not used again
        # kith may exit 1 when the vault holds error diagnostics; 2+ is a failure
        if { [[ $t =~ ^(cold|nocache|warm|agenda|report|graph)$ ]] && ((st >= 2)); } ||
            { [[ ! $t =~ ^(cold|nocache|warm|agenda|report|graph)$ ]] && ((st != 0)); }; then
            echo "bench: $t ($(label "${items[$s]}")) failed (exit $st):" >&2
            head -n 20 "$work/err.$t" >&2
            exit 1
        fi
    done
    echo "bench: round $((r + 1)) of $ROUNDS done ($((SECONDS / 60)) min $((SECONDS % 60)) s since the start)"
done

# ---- the table: each figure at both sizes, their ratio, the targets -----------------------
python3 - "$work" "$ROUNDS" "$(label "$SMALL")" "$(label "$LARGE")" \
    "${vault[small]}/.expected.json" "${vault[large]}/.expected.json" "${tools[@]}" <<'EOF'
import json, statistics, sys

work, rounds, small, large, exp_s, exp_l = sys.argv[1:7]
rounds = int(rounds)
tools = sys.argv[7:]
sizes = ("small", "large")
# 1m -> 1M in the table (the directories say large-1m)
name = {"small": small[:-1] + "M" if small.endswith("m") else small,
        "large": large[:-1] + "M" if large.endswith("m") else large}
summary = {"small": json.load(open(exp_s))["summary"], "large": json.load(open(exp_l))["summary"]}
vbytes = {s: summary[s]["bytes"] for s in sizes}
med = statistics.median

wall, rss, edit = {}, {}, {}
for s in sizes:
    for t in tools:
        w, m = [], []
        for r in range(rounds):
            a, b = open("%s/wall.%s.%s.%d" % (work, t, s, r)).read().split()
            w.append((int(b) - int(a)) / 1e6)
            # GNU time writes "Command exited with non-zero status N" first on failure
            last = open("%s/time.%s.%s.%d" % (work, t, s, r)).read().strip().splitlines()[-1]
            m.append(int(last.split()[1]) / 1024.0)
            if t.startswith("edit-"):
                kv = dict(l.split("=", 1) for l in open("%s/edit.%s.%s.%d" % (work, t, s, r))
                          .read().splitlines() if "=" in l)
                edit.setdefault((t, s), []).append(kv)
        wall[t, s], rss[t, s] = med(w), med(m)

# the editor: serve memory per cache state (median and worst of the rounds), edit latency
# pooled over every edit of both editor runs of every round
serve = {}
lat = {}
for s in sizes:
    lat[s] = []
    for t in ("edit-cold", "edit-warm"):
        runs = edit[t, s]
        serve[t, s] = {k: [int(kv[k]) / 1024.0 for kv in runs]
                       for k in ("rss_open_kb", "hwm_open_kb", "rss_end_kb", "hwm_end_kb")}
        # the peak: the largest reading (VmHWM is kept lazily: it may trail a VmRSS reading)
        serve[t, s]["peak"] = [max(int(kv[k]) for k in ("rss_open_kb", "hwm_open_kb",
                                                        "rss_end_kb", "hwm_end_kb")) / 1024.0
                               for kv in runs]
        for kv in runs:
            lat[s] += [float(x) for x in kv["lat_ms"].split()]
    lat[s].sort()

def pct(xs, p):
    return xs[max(0, -(-len(xs) * p // 100) - 1)] if xs else float("nan")

rows = []   # (label, small, large, unit, checked)
LABEL = {"cold": "balances cold", "nocache": "balances --no-cache", "warm": "balances warm",
         "agenda": "agenda --json (warm)", "report": "report --json (warm)",
         "graph": "graph --json (warm)", "open-cold": "nvim open->annotation cold",
         "open-warm": "nvim open->annotation warm",
         "ledger": "ledger bal", "hledger": "hledger bal"}
for t in ("cold", "nocache", "warm", "agenda", "report", "graph", "open-cold", "open-warm",
          "ledger", "hledger"):
    ref = t in ("ledger", "hledger")
    rows.append((LABEL[t] + " wall", wall[t, "small"], wall[t, "large"], "s", not ref))
    rows.append((LABEL[t] + " peak RSS", rss[t, "small"], rss[t, "large"], "MB", not ref))
for t, c in (("edit-cold", "cold cache"), ("edit-warm", "warm cache")):
    rows.append(("serve RSS indexed (%s)" % c, med(serve[t, "small"]["rss_open_kb"]),
                 med(serve[t, "large"]["rss_open_kb"]), "MB", True))
    rows.append(("serve peak (%s)" % c, med(serve[t, "small"]["peak"]),
                 med(serve[t, "large"]["peak"]), "MB", True))
rows.append(("edit->annotation p50", pct(lat["small"], 50), pct(lat["large"], 50), "ms", True))
rows.append(("edit->annotation p95", pct(lat["small"], 95), pct(lat["large"], 95), "ms", True))

def fmt(v, unit):
    if unit == "s":
        return "%.3f s" % v
    if unit == "ms":
        return "%.1f ms" % v
    return "%.1f MB" % v

ratio = lambda a, b: (a / b) if b > 0 else float("inf")
print()
print("kith large-vault bench: median of %d rounds (edit latency: %d edits pooled per size)" % (
    rounds, len(lat["small"])))
for s in sizes:
    m = summary[s]
    print("  %-5s %8d items, %6d notes, %6.1f MB of notes, %6d contacts" % (
        name[s], m["interactions"], m["notes"], vbytes[s] / 1e6, m["contacts"]))
print()
row = "%-38s %11s %11s %8s"
print(row % ("", name["small"], name["large"], "ratio"))
# MB in the table: 2^20 bytes (GNU time's and /proc's kB / 1024), the vault's bytes too
print(row % ("vault (bytes of notes)", "%.1f MB" % (vbytes["small"] / 2**20),
             "%.1f MB" % (vbytes["large"] / 2**20), "%.2fx" % ratio(vbytes["large"], vbytes["small"])))
misses = []
for label, a, b, unit, checked in rows:
    q = ratio(b, a)
    print(row % (label + ("" if checked else " (ref)"), fmt(a, unit), fmt(b, unit), "%.2fx" % q))
    if checked and q > 5.5:
        misses.append("%s %.2fx" % (label, q))
print()
ok = lambda c: "met" if c else "MISSED"
print("target: every %s figure within 5.5x of %s: %s%s" % (
    name["large"], name["small"], ok(not misses),
    "" if not misses else " (" + "; ".join(misses) + ")"))
# serve memory: the worst round of either cache state
two = 2 * vbytes["large"] / 2**20
worst_rss = max(max(serve[t, "large"]["rss_open_kb"] + serve[t, "large"]["rss_end_kb"])
                for t in ("edit-cold", "edit-warm"))
worst_hwm = max(max(serve[t, "large"]["peak"]) for t in ("edit-cold", "edit-warm"))
print("target: serve RSS <= 2x vault bytes at %s: %s (largest %.1f MB, 2x vault %.1f MB)" % (
    name["large"], ok(worst_rss <= two), worst_rss, two))
print("target: serve peak <= 2x vault bytes at %s: %s (largest %.1f MB, 2x vault %.1f MB)" % (
    name["large"], ok(worst_hwm <= two), worst_hwm, two))
p_s, p_l = pct(lat["small"], 95), pct(lat["large"], 95)
print("target: edit p95 at %s within 10%% of %s: %s (%.1f ms vs %.1f ms, %+.1f%%)" % (
    name["large"], name["small"], ok(p_l <= 1.10 * p_s), p_l, p_s, 100 * (p_l / p_s - 1)))
cold_ok = all(rss["cold", s] <= 1.10 * rss["nocache", s] for s in sizes)
print("target: cold peak memory <= --no-cache peak + 10%% (both sizes): %s (%s)" % (
    ok(cold_ok), "; ".join("%s %.1f vs %.1f MB" % (name[s], rss["cold", s], rss["nocache", s])
                          for s in sizes)))
w = ratio(wall["warm", "small"], wall["ledger", "small"])
print("target: warm <= 0.03x ledger at %s: %s (%.3fx)" % (name["small"], ok(w <= 0.03), w))
n = ratio(wall["nocache", "small"], wall["ledger", "small"])
print("target: cold (--no-cache) <= 0.5x ledger at %s: %s (%.2fx)" % (name["small"], ok(n <= 0.5), n))
print()
print("kith balances beside ledger and hledger (wall):")
row = "%-22s %17s %17s %18s %18s"
print(row % ("", "kith/ledger " + name["small"], "kith/ledger " + name["large"],
             "kith/hledger " + name["small"], "kith/hledger " + name["large"]))
for t in ("cold", "nocache", "warm"):
    print(row % (LABEL[t], *("%.3fx" % ratio(wall[t, s], wall[o, s])
                             for o in ("ledger", "hledger") for s in sizes)))
EOF

if ((check_rc != 0)); then
    echo "bench: cross-check FAILED (see above)" >&2
    exit 1
fi
