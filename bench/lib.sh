# shellcheck shell=bash
# bench/lib.sh - shell functions shared by bench/run.sh and bench/large.sh (sourced, not run).
# Needs python3; the caller sets `set -euo pipefail` and runs from the repository's root.

die() { echo "bench: $*" >&2; exit 2; }

# require_tools KITH: checks (never installs) what every bench script needs: python3,
# ledger-cli, hledger, GNU time, and the kith binary KITH.
require_tools() {
    command -v python3 >/dev/null || die "python3 not found"
    command -v ledger >/dev/null || die "ledger not found (apt-get install ledger)"
    command -v hledger >/dev/null || die "hledger not found (apt-get install hledger)"
    if ! /usr/bin/time -f '%e' true >/dev/null 2>&1; then
        die "GNU time not found at /usr/bin/time (apt-get install time)"
    fi
    [[ -x $1 ]] || die "kith binary not found at '$1' (run make first, or set KITH=)"
}

# make_vault STYLE VAULT JOURNAL GEN...: generates the vault (and its journal) with GEN (the
# generator's command and its size options) unless a cached one was made with the same
# parameters (and generator version) and its notes are exactly those the generator wrote:
# another script that adds a note to bench/out/vault would otherwise break the cross-check.
make_vault() {
    local style=$1 vault=$2 journal=$3 want cache
    shift 3
    local gen=("$@")   # the generator's command: python3 bench/gen_vault.py --seed ...
    want=$("${gen[@]}" --style "$style" --print-params)
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
        "${gen[@]}" --style "$style" --out "$vault" --ledger "$journal" | sed 's/^/  /'
        sleep 2   # kith caches only notes older than 2 s (doc/DESIGN.md, "The cache")
    fi
}

# cross_check KITH_JSON EXPECTED STRICT_DIAG: compares kith's `balances --json` output with the
# generator's VAULT/.expected.json; prints "cross-check: totals match ..." or the first
# mismatches, and the same for the diagnostics. Returns 1 when the totals differ (or, with
# STRICT_DIAG=1, the diagnostics).
cross_check() {
    python3 - "$@" <<'EOF'
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
}
