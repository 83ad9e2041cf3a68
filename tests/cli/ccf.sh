#!/usr/bin/env bash
# ccf.sh: common-cause failures (`common_cause:`, docs/simulate.md) end to
# end: the bundled topologies/assumptions/common-cause.yaml is default.yaml
# plus its groups (kept in step); under it `check` reports nothing new for
# the assumptions file itself, `analyze` names the common event of the front
# ends as a single point of failure of 5x-recommended and lists it in the
# importance table, `simulate --static` contains the exact value, and
# `compare` (text and JSON) attributes downtime to the common cause, which
# it does not without the file; the reports list the groups; a topology's
# own group, and bad groups, through `check`.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

D=topologies/assumptions/default.yaml
C=topologies/assumptions/common-cause.yaml
T=topologies/5x-recommended.yaml

# ---- the bundled file is default.yaml plus the groups ----
strip() { sed -e '/^#/d' -e '/^name:/d' -e '/^common_cause:/,/^$/d' -e '/^[[:space:]]*#/d' "$1"; }
diff <(strip "$D") <(strip "$C") >"$tmp/diff" ||
  { fail "common-cause.yaml is not default.yaml plus common_cause:"; cat "$tmp/diff"; }
grep -q '^common_cause:' "$C" || fail "common-cause.yaml has no common_cause:"

# ---- analyze: the common event is a SPOF, with its importance ----
expect 0 analyze --assume "$C" "$T"
grep -q 'signin_im .*ccf:frontend-build' "$tmp/out" || fail "analyze names no ccf SPOF of signin_im"
grep -q '^  ccf:frontend-build ' "$tmp/out" || fail "analyze's importance table lacks the common event"
grep -q '^  frontend-build: beta-factor, beta 5%, members fe1 fe2 fe3 (frontends); assumptions file' "$tmp/out" ||
  fail "analyze does not list the assumed group"
expect 0 analyze --assume "$D" "$T"
grep -q 'ccf:' "$tmp/out" && fail "analyze names a common event without common causes"

# ---- simulate --static contains the exact value ----
expect 0 simulate --static --runs 100 --years 50 --seed 5 --assume "$C" "$T"
n=$(grep -c 'in CI' "$tmp/out")
[ "$n" -ge 6 ] || fail "simulate --static: only $n rows contain the exact value"

# ---- compare: the common cause in the downtime by cause ----
expect 0 compare --runs 200 --years 5 --seed 1 --assume "$C" "$T" topologies/3.0-three-servers.yaml
grep -q 'common-cause failure' "$tmp/out" || fail "compare shows no common-cause failure"
grep -q 'common causes (groups that fail together' "$tmp/out" || fail "compare lists no common causes"
expect 0 compare --runs 50 --years 2 --seed 1 --assume "$C" "$T" topologies/4x-minimum.yaml --html "$tmp/c.html"
grep -q '<h3>Common causes</h3>' "$tmp/c.html" || fail "compare --html lists no common causes"
expect 0 compare --runs 200 --years 5 --seed 1 --assume "$D" "$T" topologies/3.0-three-servers.yaml
grep -q 'common-cause failure' "$tmp/out" && fail "compare shows a common cause without groups"
expect 0 compare --runs 200 --years 5 --seed 1 --format json --no-timing --assume "$C" "$T" topologies/3.0-three-servers.yaml
if have_python; then
  python3 - "$tmp/out" <<'PY' || fail "compare --format json: no common_cause_failure downtime"
import json, sys
doc = json.load(open(sys.argv[1]))
found = []
def walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            if k == "common_cause_failure" and isinstance(v, dict) and v.get("mean", 0) > 0:
                found.append(v)
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(doc)
sys.exit(0 if found else 1)
PY
fi

# ---- a topology's own group; bad groups ----
{ grep -v '^#' "$T"; printf 'common_cause:\n  - { name: b, members: [fe1, fe2, fe3], beta: 10%% }\n'; } >"$tmp/own.yaml"
expect 0 check "$tmp/own.yaml"
grep -q 'CC005' "$tmp/out" || fail "check: no CC005 for a group on every seed"
{ grep -v '^#' "$T"; printf 'common_cause:\n  - { name: b, members: [fe1, fe9], beta: 10%% }\n'; } >"$tmp/bad.yaml"
expect 1 check "$tmp/bad.yaml"
grep -q "bad.yaml:[0-9]*:[0-9]*: error: 'members' names 'fe9', which is no component \[P008\]" "$tmp/out" ||
  fail "check: no P008 with file:line:col for an unknown member"

finish "all passed"
