#!/usr/bin/env bash
# pairing.sh: designs with several pools (pools:, M10) on the command line:
# every DR rule's scenario (tests/labs/dr/m10.*.yaml, named by rule) holds,
# a false one fails with its values, the lab is deterministic; simulate says
# which users each row is for, gives the same output for any --threads and
# never a point 100% for a row without outages; compare ranks the paired
# design first on sign-in against 4x-minimum with sites that fail; the pairing
# timings come from an assumptions file above the design's; sensitivity takes a
# paired design (the failover decision's swing against a hand calculation).
# Run from the repository root with QUORATE set.
. "$(dirname "$0")/lib.sh"
P=topologies/dr/paired-pools.yaml

n=0
for s in tests/labs/dr/m10.*.yaml; do
  n=$((n + 1))
  expect 0 scenario "$P" "$s"
  grep -q '^expectations: [0-9]* checked, all hold$' "$tmp/out" || fail "$s: expectations do not all hold"
done
[ "$n" -ge 5 ] || fail "only $n DR rule scenarios"

expect 1 scenario "$P" tests/labs/dr-false-expectation.yaml
grep -qxF "tests/labs/dr-false-expectation.yaml:4:26: expectation failed at 01:05:00: 'pool1.users' is resiliency, expected home" "$tmp/err" \
  || { fail "paired false expectation: wrong message"; cat "$tmp/err"; }
grep -qF '01:05:00  expect pool1.users: home — FAILED: it is resiliency' "$tmp/out" || fail "paired false expectation: not in the timeline"

# The registrar failover line of the lab, at 300 s.
expect 0 scenario "$P" docs/labs/dc-lost-pool-failover.yaml
grep -qF '00:15:00  pool1.users: registrar_wait -> resiliency; pool1.signin_im: down -> up' "$tmp/out" \
  || fail "lab: no registrar failover at 00:15:00"
# Bad pool actions: file:line:col, exit 2.
printf 'steps:\n  - { at: 1m, failback: pool9 }\n' >"$tmp/bad.yaml"
expect 2 scenario "$P" "$tmp/bad.yaml"
grep -qF "$tmp/bad.yaml:2:25: error: expected a pool of the topology for 'failback', got 'pool9' [P008]" "$tmp/err" \
  || { fail "bad failback: wrong message"; cat "$tmp/err"; }
printf 'steps:\n  - { at: 1m, failback: pool1 }\n' >"$tmp/single.yaml"
expect 2 scenario topologies/5x-recommended.yaml "$tmp/single.yaml"
grep -qF "'failback' is for a design with several pools" "$tmp/err" || fail "failback on one pool: no message"
# scenario --json: the same run as one document. M10.3 by hand: dc2 lost at 10 min, its users
# sign in to pool1 after the 300 s registrar failover (15 min), full service after the 30 min
# decision and the 20 min failover (60 min); every expectation of the file listed, all ok.
expect 0 scenario --json "$P" tests/labs/dr/m10.3-admin-failover-decision-rto.yaml
if have_python; then
  python3 - "$tmp/out" <<'PY' || fail "scenario --json on a paired design: not the hand-checked timeline"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["command"] == "scenario" and d["pools"] == ["pool1", "pool2"], d["pools"]
def change(t, key):
    return [(c["from"], c["to"]) for e in d["events"] if e["time"] == t for c in e["changes"] if c["key"] == key]
first = d["events"][0]
assert (first["time"], first["step"], first["cause"], first["text"]) == (600, 1, "step", "step: crash dc2"), first
assert change(600, "pool2.users") == [("home", "registrar_wait")]
assert change(900, "pool2.users") == [("registrar_wait", "resiliency")]
assert change(3600, "pool2.users") == [("resiliency", "failed_over")]
assert change(3600, "pool2.presence") == [("down", "up")]
assert all(x["ok"] for x in d["expectations"]) and len(d["expectations"]) == d["result"]["checked"] >= 5
assert d["result"]["passed"] is True
PY
fi
expect 0 scenario "$P" tests/labs/dr/m10.3-admin-failover-decision-rto.yaml
n_text=$(grep -c ' expect ' "$tmp/out")
expect 0 scenario --json "$P" tests/labs/dr/m10.3-admin-failover-decision-rto.yaml
[ "$(grep -o '"ok": *true' "$tmp/out" | wc -l)" -eq "$n_text" ] || fail "scenario --json: not the text's $n_text expectations"
# a false expectation: exit 1, the message on stderr, ok false in the document
expect 1 scenario --json "$P" tests/labs/dr-false-expectation.yaml
grep -qxF "tests/labs/dr-false-expectation.yaml:4:26: expectation failed at 01:05:00: 'pool1.users' is resiliency, expected home" "$tmp/err" \
  || fail "scenario --json, paired false expectation: wrong message"
grep -q '"passed": *false' "$tmp/out" || fail "scenario --json, paired false expectation: passed"
# --html draws one pool's timeline: still refused
expect 2 scenario --html "$tmp/x.html" "$P" tests/labs/dr/m10.2-registrar-failover-300s.yaml
grep -qF "is not supported by \`quorate scenario --html\` yet" "$tmp/err" || fail "scenario --html on a paired design: no clear refusal"

# lab: the same steps by hand, undo, save a scenario that replays.
printf 'crash dc1\nadvance 5m\nexpect pool1.users resiliency\nfailover pool1\nadvance 30m\nexpect cms pool2\nundo\nexpect pool1.users failed_over\nsave %s\nquit\n' "$tmp/saved.yaml" \
  | "$Q" lab "$P" >"$tmp/lab" 2>&1; rc=$?
[ "$rc" -eq 0 ] || { fail "lab: exit $rc"; cat "$tmp/lab"; }
grep -qF '00:05:00  pool1.users: registrar_wait -> resiliency' "$tmp/lab" || fail "lab: no registrar failover"
grep -qF '00:30:00  pool1.users: resiliency -> failed_over' "$tmp/lab" || fail "lab: no failover at 5 + 5 + 20 min"
grep -qF '00:35:00  expect pool1.users: failed_over — ok' "$tmp/lab" || fail "lab: expectation after undo"
expect 0 scenario "$P" "$tmp/saved.yaml"
grep -q '^expectations: 2 checked, all hold$' "$tmp/out" || fail "lab save: the saved scenario does not replay"
printf 'expect pool1.users home\nadvance 1m\ncrash dc1\nadvance 1m\nexpect pool1.users home\n' | "$Q" lab "$P" >"$tmp/lab" 2>&1
[ $? -eq 1 ] || fail "lab: a failed expectation in a script does not exit 1"

# simulate: which users each row is for; same bytes for any --threads.
expect 0 simulate --runs 30 --years 2 --seed 3 --threads 1 "$P"
cp "$tmp/out" "$tmp/t1"
grep -q '^rows: FEATURE is for all users' "$tmp/out" || fail "simulate: no rows legend"
grep -q '^pool1.signin_im ' "$tmp/out" || fail "simulate: no pool1.signin_im row"
grep -q '^  pool1 (backup pool2, holds the CMS):$' "$tmp/out" || fail "simulate: no pool1 summary"
expect 0 simulate --runs 30 --years 2 --seed 3 --threads 2 "$P"
cmp -s "$tmp/out" "$tmp/t1" || fail "simulate: --threads 2 differs from --threads 1"
# No row prints a point 100% [100, 100] (M10, rare outcomes).
grep -E '100\.00000% \[100\.00000, 100\.00000\]' "$tmp/t1" | grep -v 'the pool itself' \
  && fail "simulate: a row at 100% without a bound"
expect 0 simulate --runs 30 --years 2 --json "$P"
json_ok "$tmp/out" || fail "simulate --json: not valid JSON"
if have_python; then
  python3 - "$tmp/out" <<'PY' || fail "simulate --json: no pools"
import json, sys
d = json.load(open(sys.argv[1]))
assert [p["name"] for p in d["pools"]] == ["pool1", "pool2"]
assert d["pools"][0]["paired_with"] == "pool2" and d["pools"][0]["cms"] is True
assert "pool1.signin_im" in [f["name"] for f in d["features"]]
PY
fi
expect 0 simulate --runs 30 --years 2 --format csv "$P"
grep -q '^pool2.presence,' "$tmp/out" || fail "simulate --format csv: no pool2.presence row"
# The exact view (M9 with every M10 delay zero): the --static intervals
# contain it; sign-in needs both pools down, so no cut set below 4 and the
# k=4 sets take two front ends of each pool.
expect 0 simulate --static --runs 100 --years 20 --seed 5 "$P"
grep -q '^pool1.presence .* in CI$' "$tmp/out" || fail "simulate --static: pool1.presence exact not in CI"
grep -q 'outside CI' "$tmp/out" && fail "simulate --static: an exact value outside its CI"
expect 0 analyze --k 4 "$P"
grep -q '^pool1.signin_im .* no SPOF$' "$tmp/out" || fail "analyze: pool1.signin_im has a SPOF"
grep -qF 'k=4: 9 minimal cut sets: {p1-fe1,p1-fe2,p2-fe1,p2-fe2}' "$tmp/out" || fail "analyze: sign-in cut sets do not take both pools"
grep -qF 'k=2: 3 minimal cut sets: {p1-sql1,p1-sql2} {p1-sql1,p1-sqlw} {p1-sql2,p1-sqlw}' "$tmp/out" || fail "analyze: pool1.presence cut sets"
grep -qF 'links left out (M9 ignores them; only the full simulation cuts them): dc1-dc2' "$tmp/out" || fail "analyze: the links left out are not named"
expect 0 analyze --fail-on-spof "$P"

# graph: one pool's view at a time, never a silent refusal.
expect 2 graph "$P"
grep -qF 'graph one at a time with --pool NAME (pool1, pool2)' "$tmp/err" || fail "graph: no hint at --pool"
expect 0 graph --pool pool2 "$P"
grep -q 'p2-fe1' "$tmp/out" || fail "graph --pool pool2: no p2-fe1"
grep -q 'p1-fe1' "$tmp/out" && fail "graph --pool pool2: pool1's front end drawn"
expect 2 graph --pool pool9 "$P"
expect 2 graph --pool pool1 topologies/3.0-three-servers.yaml

# export: the fault trees of each pool's users (home tops AND NOT the home
# pool down; backup tops AND the home pool down), shared components one basic
# event; SCRAM (prime implicants: the logic has `not` gates) agrees with the
# exact unavailability of every row (tests/cli/mef_check.py --paired).
S=tests/cli/fixtures/paired-shared-witness.yaml
for d in "$P" "$S"; do
  b=$(basename "$d" .yaml)
  expect 0 export "$d" -o "$tmp/$b.xml"
  grep -q '<define-fault-tree name="pool1_presence">' "$tmp/$b.xml" || fail "$b: no pool1_presence tree"
  grep -q '<not>' "$tmp/$b.xml" || fail "$b: no 'home pool runs' gate"
  [ "$(grep -c '<define-basic-event name="w">' "$tmp/$b.xml")" -le 1 ] || fail "$b: the shared witness is two events"
  if have_python; then
    python3 tests/cli/mef_check.py --paired "$tmp/$b.xml" >"$tmp/check.log" || { fail "$b: export structure"; cat "$tmp/check.log"; }
    if command -v scram >/dev/null 2>&1; then
      scram --bdd --prime-implicants --probability true "$tmp/$b.xml" -o "$tmp/$b.report.xml" >"$tmp/scram.log" 2>&1 ||
        { fail "$b: scram rejected the export"; cat "$tmp/scram.log"; continue; }
      python3 tests/cli/mef_check.py --paired "$tmp/$b.xml" "$tmp/$b.report.xml" >"$tmp/check.log" ||
        { fail "$b: SCRAM disagrees with the exact view"; cat "$tmp/check.log"; }
    else
      echo "pairing.sh: scram not installed: SCRAM comparison of the paired export skipped"
    fi
  fi
done
grep -q '<define-basic-event name="w">' "$tmp/paired-shared-witness.xml" || fail "shared witness: no basic event w"

# compare: with sites that fail, pairing beats 4x-minimum on sign-in by
# more than its paired 95% CI (the site's day once in ten years, 144 min/yr).
expect 0 compare --runs 200 --years 5 --seed 1 --json --no-timing --assume topologies/assumptions/default.yaml \
  topologies/4x-minimum.yaml "$P"
if have_python; then
  python3 - "$tmp/out" <<'PY' || fail "compare: paired design not better on sign-in"
import json, sys
d = json.load(open(sys.argv[1]))
by = {x["label"]: x for x in d["designs"]}
def signin(x):
    for f in x["features"]:
        if f["name"] == "signin_im":
            return f["operation"]["downtime_min_per_year"]
p, m = signin(by["paired-pools"]), signin(by["4x-minimum"])
assert p["ci_high"] < m["ci_low"] and m["mean"] - p["mean"] > 100, (p, m)
PY
fi
# ---- the pairing timings from an assumptions file (docs/assumptions.md) ----
# The design's own `pairing:` is above the built-in value, the file above both; the footer
# says where each came from.
cat "$P" >"$tmp/p-design.yaml"
printf 'pairing: { failover_after: 45m, patch_offset: none }\n' >>"$tmp/p-design.yaml"
printf 'name: dr world\npairing:\n  failover_after: 2h\n' >"$tmp/p-world.yaml"
expect 0 simulate --runs 2 --years 1 "$tmp/p-design.yaml"
grep -qE '^  pairing\.failover_after +45m +design:[0-9]+ ' "$tmp/out" || fail "pairing timing: the design's 45m not listed"
grep -qE '^  pairing\.patch_offset +none +design:[0-9]+ ' "$tmp/out" || fail "pairing.patch_offset none not listed"
expect 0 simulate --runs 2 --years 1 --assume "$tmp/p-world.yaml" "$tmp/p-design.yaml"
grep -qE '^  pairing\.failover_after +2h +assumptions:3 ' "$tmp/out" || fail "pairing timing: the file's 2h not listed"
grep -qE '^  pairing\.registrar_failover +5m +built-in ' "$tmp/out" || fail "pairing timing: the built-in 300s not listed"
# a single pool lists none of them
expect 0 simulate --runs 2 --years 1 --assume "$tmp/p-world.yaml" topologies/5x-recommended.yaml
grep -q '^  pairing\.' "$tmp/out" && fail "a single pool lists pairing timings"

# ---- sensitivity takes a paired design ----
# Sites lost once a year (24h exponential repair); the operator's decision to fail a pool
# over uncertain, 10m to 4h. Per site loss a pool's users spend in resiliency mode min(R, d)
# when their site is back (R) before the decision d, else d, then the failover F (pool1: CMS
# 5m + 20m; pool2: 20m) and later the failback's 60m: with R exponential of mean 1440m,
# E = 1440 (1 - e^(-d/1440)) + e^(-d/1440) (F + 60) min. At the tornado's ends (the 5th and
# 95th percentiles, 11.72m and 204.74m) the difference is 168.6 min a loss for pool1, 169.2
# for pool2, at 0.9973 losses a year (1 / (1y + 1d)): a swing of 168.1 to 168.8 min/yr of
# the worst feature (one of a pool's features that resiliency mode takes away).
printf 'name: yearly site loss\nsite: { mtbf: 1y, mttr: 24h }\npairing:\n  failover_after: { low: 10m, high: 4h }\n' \
  >"$tmp/p-unc.yaml"
expect 0 sensitivity --assume "$tmp/p-unc.yaml" --sets 2 --runs 40 --seed 1 --threads 1 --json --no-timing "$P"
cp "$tmp/out" "$tmp/sens1.json"
expect 0 sensitivity --assume "$tmp/p-unc.yaml" --sets 2 --runs 40 --seed 1 --threads 2 --json --no-timing "$P"
cmp -s "$tmp/out" "$tmp/sens1.json" || fail "paired sensitivity: --threads changes the output"
if have_python; then
  python3 - "$tmp/sens1.json" <<'PY' || fail "paired sensitivity: the failover decision's swing is not the hand calculation"
import json, sys
d = json.load(open(sys.argv[1]))["designs"][0]
assert d["simulated"], d
b = [x for x in d["tornado"] if x["parameter"] == "pairing.failover_after"][0]
assert b["swing_ci_low"] <= 168.5 <= b["swing_ci_high"] and 140 < b["swing"] < 200, b
PY
fi

# --rare replays one engine's excursions: not built for several pools, said plainly
expect 2 simulate --rare --runs 4 --years 1 "$P"
grep -qF -- '--rare is not built for a design with several pools' "$tmp/err" \
  || fail "simulate --rare on a paired design: no clear refusal"
# common causes and latent faults of one pool are in that pool's view: simulated
# (M7.3, M10); the exact view (analyze, export) still refuses them in words
expect 0 simulate --runs 4 --years 1 tests/cli/fixtures/paired-ccf.yaml
for a in common-cause latent-faults; do
  expect 0 simulate --runs 4 --years 1 --assume "topologies/assumptions/$a.yaml" "$P"
  grep -q '^pool2.presence' "$tmp/out" || fail "paired simulate under $a.yaml: no pool rows"
done
for c in analyze export; do
  expect 2 $c tests/cli/fixtures/paired-ccf.yaml
  grep -qF 'common-cause groups (`common_cause:`) are not built into the' "$tmp/err" \
    || fail "$c on a paired design with common causes: no clear refusal"
done
# the exact availability takes one pool's groups: --static shows it beside the estimate
expect 0 simulate --static --runs 400 --years 10 tests/cli/fixtures/paired-ccf.yaml
grep -q '^pool .*% in CI$' "$tmp/out" || fail "paired --static with a group: no exact value in the CI"
# latent faults are the full simulation's only: the exact view leaves them out, as for one
# pool: analyze under latent-faults.yaml (default.yaml plus latent faults) equals default.yaml's
expect 0 analyze --assume topologies/assumptions/default.yaml "$P"
grep -v '^  assumptions file:' "$tmp/out" >"$tmp/a0"
expect 0 analyze --assume topologies/assumptions/latent-faults.yaml "$P"
grep -v '^  assumptions file:' "$tmp/out" >"$tmp/a1"
grep -q '^pool1.presence' "$tmp/a1" || fail "paired analyze under latent-faults.yaml: no rows"
cmp -s "$tmp/a0" "$tmp/a1" || fail "paired analyze: latent faults changed the exact view"
# virtualization: carried when each pool has hosts of its own sites; maintenance nights refused
sed -e 's/^servers:/hosts: [ { name: h1, site: dc1 }, { name: h2, site: dc2 } ]\nservers:/' \
  -e 's/{ name: \(p1-[a-z0-9]*\), site: dc1 }/{ name: \1, host: h1 }/' \
  -e 's/{ name: \(p2-[a-z0-9]*\), site: dc2 }/{ name: \1, host: h2 }/' "$P" >"$tmp/vm.yaml"
printf 'virtualization: { ha: { restart: 5m } }\n' >>"$tmp/vm.yaml"
expect 0 simulate --runs 4 --years 1 "$tmp/vm.yaml"
grep -q '^pool2.presence' "$tmp/out" || fail "paired simulate with virtualization: no pool rows"
# the exact view does not take it (-3, a limit): compare goes on without paper values, exit 0,
# and does not call it an error of the run (it did: exit 2)
expect 0 compare --runs 4 --years 1 "$tmp/vm.yaml" "$P"
grep -qF 'paper values not available: `virtualization:`' "$tmp/out" \
  || fail "compare, paired design with virtualization: the paper values' reason is missing"
grep -qF 'an error of this run' "$tmp/out" "$tmp/err" \
  && fail "compare, paired design with virtualization: a limit called an error"
printf 'virtualization: { ha: { restart: 5m }, maintenance: { every: 90d } }\n' >"$tmp/vm2.tail"
sed '/^virtualization:/d' "$tmp/vm.yaml" | cat - "$tmp/vm2.tail" >"$tmp/vm2.yaml"
expect 2 simulate --runs 4 --years 1 "$tmp/vm2.yaml"
grep -qF '`virtualization.maintenance` (host maintenance nights, M7.7) is not built for a design with several pools' \
  "$tmp/err" || fail "paired simulate with maintenance nights: no clear refusal"
# check catches it first (PP013), for a common-cause group and for a latent fault
expect 1 check tests/cli/fixtures/paired-ccf-span.yaml
grep -qF "error: common-cause group 'one-build' spans pools 'pool1' and 'pool2' ('p1-fe1' and 'p2-fe1') [PP013]" \
  "$tmp/out" "$tmp/err" || fail "check on a group spanning two pools: no PP013"
sed '/^common_cause:/d' tests/cli/fixtures/paired-ccf-span.yaml >"$tmp/lf-span.yaml"
printf 'latent_faults:\n  - { name: one-update, members: [p1-fe2, p2-fe2], every: 1y, breaks: server }\n' \
  >>"$tmp/lf-span.yaml"
expect 1 check "$tmp/lf-span.yaml"
grep -qF "error: latent fault 'one-update' spans pools 'pool1' and 'pool2' ('p1-fe2' and 'p2-fe2') [PP013]" \
  "$tmp/out" "$tmp/err" || fail "check on a latent fault spanning two pools: no PP013"
# a group of both pools' servers cannot be carried by separate pool engines: refused, named
# simulate checks the design first: the same PP013 error, at its line, exit 1 (the views'
# own refusal, qr_pool_view_check, stays behind it: tests/test_pool_view_faults.c)
expect 1 simulate --runs 4 --years 1 tests/cli/fixtures/paired-ccf-span.yaml
grep -qF "paired-ccf-span.yaml:66:25: error: common-cause group 'one-build' spans pools 'pool1' and 'pool2' ('p1-fe1' and 'p2-fe1') [PP013]" \
  "$tmp/err" || fail "simulate on a group spanning two pools: no clear refusal"
# a pool with no outage seen gets a bound in words, never a bare 100% (M10, rare outcomes)
expect 0 simulate --runs 3 --years 1 --seed 2 "$P"
grep -qF 'no outage seen: its outages are below   0.999 a year (95%: no outage in 3 pool-years)' \
  "$tmp/out" || fail "paired simulate: a pool without outages has no bound"
finish
