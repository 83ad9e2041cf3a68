#!/usr/bin/env bash
# ccf_spof.sh: `compare`'s SPOF column counts a common-cause event
# (`ccf:GROUP`) whose failure alone lowers a feature, as `analyze` lists it
# (docs/compare.md, "Single points of failure"). Hand-checked cases:
#   - under topologies/assumptions/common-cause.yaml, 5x-recommended's SPOFs
#     are dc1 (the one site), ccf:frontend-build (fe1 fe2 fe3 at once: no
#     quorum) and ccf:backend-build (sql1 and sql2 at once: no Back End);
#     2x-alwayson-fsw-disk's are dc1, san1 (the cluster's disk) and
#     ccf:frontend-build (s1 s2); its backend group adds nothing, since s1
#     and s2 are in the front ends' group already (a server is in one group);
#   - under default.yaml (no groups) the counts are 1 and 2, no event;
#   - a topology's own groups on five front ends and SQL mirroring: a beta
#     group on fe1 and sql1 (4 of 5 front ends keep quorum, SQL fails over to
#     sql2 with the witness, DFS keeps sql2) is no SPOF; an MGL group on
#     fe3..fe5 is, whole (no quorum) and by pairs (some routing groups lose
#     two of their three replicas: a loss of some users); a group on sql2 and
#     sqlw (the principal alone stops serving) is.
# Text, JSON, CSV and HTML agree.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

D=topologies/assumptions/default.yaml
C=topologies/assumptions/common-cause.yaml
T5=topologies/5x-recommended.yaml
T2=topologies/2x-alwayson-fsw-disk.yaml

row() { grep -E "^ +[0-9]+=? +$1 " "$tmp/out" | awk '{print $6}'; }

# ---- the bundled assumptions ----
expect 0 compare --runs 5 --years 1 --seed 1 --assume "$C" "$T5" "$T2"
[ "$(row 5x-recommended)" = 3 ] || fail "5x-recommended: SPOFs $(row 5x-recommended), want 3"
[ "$(row 2x-alwayson-fsw-disk)" = 3 ] || fail "2x-alwayson-fsw-disk: SPOFs $(row 2x-alwayson-fsw-disk), want 3"
grep -qx '    single points of failure (any loss of users): dc1, ccf:frontend-build, ccf:backend-build' "$tmp/out" ||
  fail "5x-recommended: the designs: section does not name the two common events"
grep -qx '    single points of failure (any loss of users): dc1, san1, ccf:frontend-build' "$tmp/out" ||
  fail "2x-alwayson-fsw-disk: the designs: section does not name its common event"
# analyze lists the same events among its SPOFs (total loss here)
expect 0 analyze --assume "$C" "$T5"
grep -Eq '^  presence +dc1 ccf:frontend-build ccf:backend-build$' "$tmp/out" ||
  fail "analyze: presence's SPOFs are not dc1 and the two common events"

expect 0 compare --runs 5 --years 1 --seed 1 --assume "$D" "$T5" "$T2"
[ "$(row 5x-recommended)" = 1 ] || fail "5x-recommended without groups: SPOFs $(row 5x-recommended), want 1"
[ "$(row 2x-alwayson-fsw-disk)" = 2 ] || fail "2x-alwayson-fsw-disk without groups: SPOFs $(row 2x-alwayson-fsw-disk), want 2"
grep -q 'ccf:' "$tmp/out" && fail "compare names a common event without groups"

# ---- a topology's own groups: one event is no SPOF ----
cat >"$tmp/own.yaml" <<'YAML'
name: "five front ends, three groups"
sites: [ { name: dc1 } ]
servers:
  - { name: fe1, site: dc1 }
  - { name: fe2, site: dc1 }
  - { name: fe3, site: dc1 }
  - { name: fe4, site: dc1 }
  - { name: fe5, site: dc1 }
  - { name: sql1, site: dc1 }
  - { name: sql2, site: dc1 }
  - { name: sqlw, site: dc1 }
pool:
  version: sfb2015
  frontends: [fe1, fe2, fe3, fe4, fe5]
  backend: { mirroring: { principal: sql1, mirror: sql2, witness: sqlw } }
  file_store: { dfs: [sql1, sql2] }
common_cause:
  - { name: fes, members: [fe3, fe4, fe5], model: mgl, beta: 10%, gamma: 20% }
  - { name: cross, members: [fe1, sql1], beta: 10% }
  - { name: mw, members: [sql2, sqlw], beta: 10% }
YAML
want='dc1 (never fails in this model), ccf:fes{fe3,fe4}, ccf:fes{fe3,fe5}, ccf:fes{fe4,fe5}, ccf:fes, ccf:mw'
expect 0 compare --runs 5 --years 1 --seed 1 "$tmp/own.yaml"
[ "$(row own)" = 6 ] || fail "own groups: SPOFs $(row own), want 6"
grep -qxF "    single points of failure (any loss of users): $want" "$tmp/out" ||
  fail "own groups: the designs: section names other SPOFs"
grep -q 'ccf:cross' "$tmp/out" && fail "own groups: ccf:cross is no SPOF"
expect 0 compare --runs 5 --years 1 --seed 1 --format csv "$tmp/own.yaml"
grep -qF ",6,\"$want\"," "$tmp/out" || fail "compare --format csv: spof_count and spofs differ from the text"
expect 0 compare --runs 5 --years 1 --seed 1 --html "$tmp/own.html" "$tmp/own.yaml"
grep -q 'ccf:fes{fe3,fe4}' "$tmp/own.html" || fail "compare --html: no common event in the SPOFs"
expect 0 compare --runs 5 --years 1 --seed 1 --format json --no-timing "$tmp/own.yaml"
if have_python; then
  python3 - "$tmp/out" <<'PY' || fail "compare --format json: spofs differ from the hand-checked list"
import json, sys
d = json.load(open(sys.argv[1]))["designs"][0]
got = [(s["component"], s["fails"], s["common_cause"]) for s in d["spofs"]]
want = [("dc1", False, False), ("ccf:fes{fe3,fe4}", True, True), ("ccf:fes{fe3,fe5}", True, True),
        ("ccf:fes{fe4,fe5}", True, True), ("ccf:fes", True, True), ("ccf:mw", True, True)]
assert got == want, got
assert d["spof_count"] == 6
PY
fi

finish "all passed"
