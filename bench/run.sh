#!/usr/bin/env bash
# bench/run.sh - time `kith balances` against ledger-cli and hledger on the same
# records, and cross-check kith's per-contact totals against the generator's.
#
#   bench/run.sh                      # what `make bench` runs
#   ROUNDS=3 INTERACTIONS=20000 FILES=300 bench/run.sh
#   KITH=build-asan/kith bench/run.sh
#
# Environment:
#   KITH          kith binary (default build/kith; this script builds nothing)
#   ROUNDS        timed rounds, tools alternated within each round (default 5)
#   INTERACTIONS  counted interaction items in the vault (default 200000)
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

ROUNDS=${ROUNDS:-5}
INTERACTIONS=${INTERACTIONS:-200000}
FILES=${FILES:-2700}
CONTACTS=${CONTACTS:-4000}
SEED=${SEED:-1}
BENCH_OUT=${BENCH_OUT:-bench/out}
TODAY=2026-11-26

die() { echo "bench: $*" >&2; exit 2; }

# ---- prerequisites (checked, never installed) ---------------------------------
command -v python3 >/dev/null || die "python3 not found"
command -v ledger >/dev/null || die "ledger not found (apt-get install ledger)"
command -v hledger >/dev/null || die "hledger not found (apt-get install hledger)"
if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
    die "GNU time not found at /usr/bin/time (apt-get install time)"
fi
[[ -x $KITH ]] || die "kith binary not found at '$KITH' (run make first, or set KITH=)"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"

# ---- the vault: cached in $BENCH_OUT if that directory exists ------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/kith-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ -d $BENCH_OUT ]]; then
    dir=$BENCH_OUT
else
    dir=$work
fi
vault=$dir/vault
journal=$dir/journal.ledger
gen=(python3 bench/gen_vault.py --seed "$SEED" --interactions "$INTERACTIONS"
     --files "$FILES" --contacts "$CONTACTS")

# Reuse a cached vault only if it was made with the same parameters (and generator
# version) and its notes are exactly those the generator wrote: another script
# that adds a note to bench/out/vault would otherwise break the cross-check.
want=$("${gen[@]}" --print-params)
cache=$(python3 - "$vault" "$want" <<'EOF'
import json, os, sys
vault, want = sys.argv[1], json.loads(sys.argv[2])
try:
    exp = json.load(open(os.path.join(vault, ".expected.json"), encoding="utf-8"))
except (OSError, ValueError):
    sys.exit(print("none"))
if exp.get("params") != want:
    sys.exit(print("stale (other parameters)"))
notes = {}
for root, dirs, files in os.walk(vault):   # the notes kith reads (SPEC 1)
    dirs[:] = [d for d in dirs if not d.startswith(".") and d != "node_modules"]
    for f in files:
        p = os.path.join(root, f)
        if f.endswith((".md", ".markdown")) and not os.path.islink(p):
            notes[os.path.relpath(p, vault).replace(os.sep, "/")] = os.path.getsize(p)
if notes != exp.get("manifest"):
    diff = sorted(set(notes.items()) ^ set(exp.get("manifest", {}).items()))
    sys.exit(print("modified (%s)" % diff[0][0]))
print("ok")
EOF
)
if [[ $cache == ok && -s $journal ]]; then
    echo "bench: reusing $vault ($want)"
else
    [[ $cache == none ]] || echo "bench: cached vault is $cache: regenerating"
    echo "bench: generating vault in $vault ..."
    rm -rf "$vault" "$journal"
    "${gen[@]}" --out "$vault" --ledger "$journal" | sed 's/^/  /'
    sleep 2   # kith caches only notes older than 2 s (doc/DESIGN.md, "The cache")
fi
expected=$vault/.expected.json

# ---- cross-check (also warms the page cache for kith, and fills its index cache) ----
echo "bench: kith: $("$KITH" --version 2>&1 | head -n1 || true)  ($KITH)"
echo "bench: ledger: $(ledger --version | head -n1)"
echo "bench: hledger: $(hledger --version | head -n1)"
echo

# kith's index cache (SPEC §6): never the user's. "kith" runs cold (an empty cache, which it
# fills), "nocache" with --no-cache, "warm" with the cache the cross-check run filled.
export XDG_CACHE_HOME=$work/xdg-warm
rc=0
"$KITH" balances --json --today "$TODAY" "$vault" >"$work/kith.json" 2>"$work/kith.err" || rc=$?
if ((rc >= 2)); then
    echo "bench: kith balances exited $rc:" >&2
    head -n 20 "$work/kith.err" >&2
    exit 1
fi

check_rc=0
python3 - "$work/kith.json" "$expected" "${STRICT_DIAG:-0}" <<'EOF' || check_rc=$?
import json, sys

kith_path, exp_path, strict_diag = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
try:
    kith = json.load(open(kith_path, encoding="utf-8"))
except ValueError as e:
    print("cross-check: kith did not print valid JSON: %s" % e)
    sys.exit(1)
exp = json.load(open(exp_path, encoding="utf-8"))
FIELDS = ("gave", "got", "met", "interactions")

got = {c["handle"]: c for c in kith.get("contacts", [])}
want = exp["contacts"]
problems = []
for h in sorted(set(got) | set(want)):
    if h not in got:
        problems.append("missing in kith: %s (expected %s)" % (
            h, " ".join("%s=%d" % (f, want[h][f]) for f in FIELDS)))
    elif h not in want:
        problems.append("not expected: %s (kith: %s)" % (
            h, " ".join("%s=%s" % (f, got[h].get(f)) for f in FIELDS)))
    else:
        diff = ["%s %s, expected %d" % (f, got[h].get(f), want[h][f])
                for f in FIELDS if got[h].get(f) != want[h][f]]
        if diff:
            problems.append("%s: %s" % (h, "; ".join(diff)))

if problems:
    print("cross-check: totals DIFFER for %d of %d contacts; first ones:" % (
        len(problems), len(want)))
    for p in problems[:10]:
        print("  " + p)
else:
    print("cross-check: totals match (%d contacts, %d interactions)" % (
        len(want), sum(c["interactions"] for c in want.values())))

# diagnostics: compared by (path, line, column, severity); wording may differ
key = lambda d: (d.get("path"), d.get("line"), d.get("column"), d.get("severity"))
kd = sorted(map(key, kith.get("diagnostics", [])), key=str)
ed = sorted(map(key, exp["diagnostics"]), key=str)
if kd == ed:
    print("cross-check: diagnostics match (%d)" % len(ed))
else:
    missing = [d for d in ed if d not in set(kd)]
    extra = [d for d in kd if d not in set(ed)]
    print("cross-check: diagnostics differ: kith %d, expected %d%s" % (
        len(kd), len(ed), "" if strict_diag else " (informational; STRICT_DIAG=1 fails)"))
    for d in missing[:5]:
        print("  missing  %s:%s:%s: %s" % d)
    for d in extra[:5]:
        print("  extra    %s:%s:%s: %s" % d)
    if strict_diag:
        sys.exit(1)
sys.exit(1 if problems else 0)
EOF

# the warm cache gives the same bytes
"$KITH" balances --json --today "$TODAY" "$vault" >"$work/kith.warm.json" 2>/dev/null || true
if ! cmp -s "$work/kith.json" "$work/kith.warm.json"; then
    echo "cross-check: kith with a warm cache printed something else" >&2
    check_rc=1
fi

# ---- timed rounds: tools alternated, starting tool rotated each round ----------
cat "$journal" >/dev/null   # warm the page cache for ledger/hledger too
tools=(kith nocache warm ledger hledger)
echo
echo "bench: $ROUNDS rounds of kith (cold cache) / kith --no-cache / kith (warm cache) / ledger / hledger ..."
for ((r = 0; r < ROUNDS; r++)); do
    for ((i = 0; i < 5; i++)); do
        t=${tools[$(((r + i) % 5))]}
        case $t in
            kith) cmd=(env XDG_CACHE_HOME="$work/xdg-cold-$r" "$KITH" balances --json --today "$TODAY" "$vault") ;;
            nocache) cmd=("$KITH" balances --json --no-cache --today "$TODAY" "$vault") ;;
            warm) cmd=("$KITH" balances --json --today "$TODAY" "$vault") ;;
            # --args-only: ignore ~/.ledgerrc and LEDGER_* variables
            ledger) cmd=(ledger --args-only -f "$journal" bal) ;;
            hledger) cmd=(hledger -f "$journal" bal) ;;
        esac
        st=0
        /usr/bin/time -f '%e %M' -o "$work/time.$t.$r" "${cmd[@]}" \
            >/dev/null 2>"$work/err.$t" || st=$?
        # kith may exit 1 when the vault holds error diagnostics; 2+ is a failure
        if { [[ $t =~ ^(kith|nocache|warm)$ ]] && ((st >= 2)); } ||
           { [[ $t =~ ^(ledger|hledger)$ ]] && ((st != 0)); }; then
            echo "bench: $t failed (exit $st):" >&2
            head -n 20 "$work/err.$t" >&2
            exit 1
        fi
    done
done

# ---- report: medians and ratios -----------------------------------------------
python3 - "$work" "$ROUNDS" "$expected" <<'EOF'
import json, statistics, sys

work, rounds, exp_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
tools = ("kith", "nocache", "warm", "ledger", "hledger")
wall, rss = {}, {}
for t in tools:
    w, m = [], []
    for r in range(rounds):
        # GNU time writes "Command exited with non-zero status N" first on failure
        last = open("%s/time.%s.%d" % (work, t, r)).read().strip().splitlines()[-1]
        e, k = last.split()
        w.append(float(e))
        m.append(int(k) / 1024.0)
    wall[t], rss[t] = statistics.median(w), statistics.median(m)

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
print()
print("kith, the index cache (SPEC 6): cold %.2f s (filling it), --no-cache %.2f s, warm %.3f s"
      % (wall["kith"], wall["nocache"], wall["warm"]))
w_ok = wall["warm"] <= 0.05 * wall["ledger"]
print("target: warm kith <= 0.05x ledger: %s (%.3fx); cold vs --no-cache: %s" % (
    "met" if w_ok else "MISSED", wall["warm"] / wall["ledger"] if wall["ledger"] else 0,
    ratio(wall["kith"], wall["nocache"])))
print()
t_ok = wall["kith"] <= wall["ledger"]
m_ok = rss["kith"] < rss["ledger"]
print("target: time kith <= ledger: %s (%s); memory kith < ledger: %s (%s)" % (
    "met" if t_ok else "MISSED", ratio(wall["kith"], wall["ledger"]),
    "met" if m_ok else "MISSED", ratio(rss["kith"], rss["ledger"])))
EOF

if ((check_rc != 0)); then
    echo "bench: cross-check FAILED (see above)" >&2
    exit 1
fi
