#!/usr/bin/env bash
# plan.sh: `quorate plan` end to end: exit codes (0 a design meets the
# requirements, 1 none does or the requirements file has errors, 2 usage
# and I/O), --help documenting every flag, the text report (Pareto front,
# every candidate, the recommendation naming the rule and the winner), the
# written design passing `quorate check` with exit 0 (from -o and from the
# text output), requirement files with errors reported as file:line:col
# with exit 1 (tests/cli/golden/plan-errors.out pins the exact text of
# tests/plan/errors.yaml), the JSON parsed by python3, and the same output for
# --threads 1 and 2. Few runs, to stay fast. Run from the repository root
# with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

FAST="--runs 6 --years 2 --seed 3"
EX=docs/plan-example.yaml

# ---- help and usage ----
expect 0 plan --help
for flag in --output --runs --years --seed --threads --json --help; do
  grep -q -- "$flag" "$tmp/out" || fail "--help does not document $flag"
done
expect 0 --help
grep -q '^  plan ' "$tmp/out" || fail "quorate --help does not list plan"
expect 2 plan
expect 2 plan --bogus "$EX"
expect 2 plan --runs 0 "$EX"
expect 2 plan --threads x "$EX"
expect 2 plan --seed -1 "$EX"
expect 2 plan "$EX" "$EX"
expect 2 plan -o
expect 2 plan "$tmp/missing.yaml"
grep -q "missing.yaml" "$tmp/err" || fail "a missing file is not named"

# ---- the example: a design meets; the text report ----
expect 0 plan $FAST -o "$tmp/design.yaml" "$EX"
for s in "Pareto front" "every candidate" "recommendation:" "Rule: the cheapest design" \
         "Recommended:" "recommended design written to $tmp/design.yaml"; do
  grep -qF -- "$s" "$tmp/out" || fail "text output lacks '$s'"
done
winner=$(awk '$1 == "=>" {print $2; exit}' "$tmp/out")
[ -n "$winner" ] || fail "no '=>' row marks the recommended design"
grep -qF -- "Recommended: $winner" "$tmp/out" || fail "the explanation does not name $winner"
[ -s "$tmp/design.yaml" ] || fail "-o wrote nothing"
head -1 "$tmp/design.yaml" | grep -qF "# $winner: written by" || fail "design header"
expect 0 check "$tmp/design.yaml"
# The design file is a real topology: simulate accepts it too.
expect 0 simulate --runs 2 --years 1 "$tmp/design.yaml"

# An -o FILE that cannot be written is an I/O error.
expect 2 plan $FAST -o "$tmp/no/such/dir/design.yaml" "$EX"
grep -q "cannot write" "$tmp/err" || fail "unwritable -o is not reported"

# Without -o the design is the last section of the text output.
expect 0 plan $FAST "$EX"
sed -n '/^recommended design (topology YAML/,$p' "$tmp/out" | tail -n +2 >"$tmp/inline.yaml"
cmp -s "$tmp/inline.yaml" "$tmp/design.yaml" || fail "inline design differs from -o's"

# Same seed, same output whatever --threads.
"$Q" plan $FAST --threads 1 "$EX" >"$tmp/t1" 2>&1
"$Q" plan $FAST --threads 2 "$EX" >"$tmp/t2" 2>&1
cmp -s "$tmp/t1" "$tmp/t2" || fail "--threads 1 and 2 give different output"

# ---- no design meets: exit 1, the best available still written ----
cat >"$tmp/tight.yaml" <<'EOF'
targets: { default: 99.99999% }
budget: 2.5
simulation: { runs: 4, years: 1 }
EOF
expect 1 plan -o "$tmp/best.yaml" "$tmp/tight.yaml"
tr '\n' ' ' <"$tmp/out" | sed 's/  */ /g' >"$tmp/flat"
grep -q "No design meets every target within the budget of 2.50/yr" "$tmp/flat" ||
  fail "no 'No design meets' explanation"
grep -q "Best available: [a-z0-9-]* (.*) against the 0.1 min/yr that 99.99999% allows" "$tmp/flat" ||
  fail "no best available design with its shortfall"
expect 0 check "$tmp/best.yaml"

# Two sites and an existing SQL HA service: an external back end.
cat >"$tmp/ext.yaml" <<'EOF'
targets: { default: 99.9% }
users: 12000
sites: 2
existing_sql_ha: { availability: 99.99% }
simulation: { runs: 4, years: 1 }
EOF
"$Q" plan -o "$tmp/ext-design.yaml" "$tmp/ext.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -le 1 ] || fail "plan ext.yaml exited $rc"
grep -q "external:" "$tmp/ext-design.yaml" || fail "existing SQL HA did not give an external back end"
grep -Eq "frontends: \[[a-z0-9-]+1, [a-z0-9-]+2, [a-z0-9-]+3" "$tmp/ext-design.yaml" ||
  fail "12,000 users did not give at least 3 front ends"
expect 0 check "$tmp/ext-design.yaml"
# Under uncertain assumptions the point values (medians of ranges) are
# written in a unit a reader can take in (10.39...mo, not 27329683.28s), and
# the file passes check (the unit test test_plan_writer_uncertain_point_values
# reloads it and compares every value).
"$Q" plan --runs 2 --years 1 --assume topologies/assumptions/uncertain.yaml -o "$tmp/u-design.yaml" \
  docs/plan-example.yaml >"$tmp/out" 2>"$tmp/err"
[ $? -le 1 ] || fail "plan --assume uncertain.yaml failed"
grep -q "server: {mtbf: 10\.39[0-9]*mo," "$tmp/u-design.yaml" || fail "plan -o: the server MTBF median not in months"
grep -Eq "(^|[^0-9.])[0-9]{3,}(\.[0-9]+)?s([,}]|$)" "$tmp/u-design.yaml" &&
  fail "plan -o: a duration of minutes or more in raw seconds"
expect 0 check "$tmp/u-design.yaml"
# The external SQL service's MTBF is a design choice of a generated
# component: no file line, so the assumptions footer says "generated"
# rather than "line 0".
"$Q" plan --assume topologies/assumptions/default.yaml "$tmp/ext.yaml" >"$tmp/out" 2>"$tmp/err"
grep -q "^  p1-external-sql (external SQL service, generated): mtbf " "$tmp/out" ||
  fail "plan --assume: the generated design choice is not marked generated"
grep -q "line 0" "$tmp/out" && fail "plan --assume: a design choice at line 0"

# Two sites (issue 10): a paired design (pools:, M10) that passes check
# with no finding of an unsupported configuration (ST002 stretched pool,
# FS003 DFS across sites); the stretched candidates are left out, in words.
cat >"$tmp/two.yaml" <<'EOF'
targets: { default: 99.99% }
users: 12000
sites: 2
simulation: { runs: 20, years: 2 }
EOF
expect 0 plan -o "$tmp/two-design.yaml" "$tmp/two.yaml"
grep -q '^pools:' "$tmp/two-design.yaml" || fail "two sites: the recommended design has no pools"
grep -q 'paired_with: pool2' "$tmp/two-design.yaml" || fail "two sites: no pairing in the design"
grep -qF 'Recommended: paired-fe' "$tmp/out" || fail "two sites: not a paired design recommended"
tr -s '\n ' ' ' <"$tmp/out" | grep -qF 'left out because Microsoft does not support them' || fail "two sites: the unsupported candidates are not named"
grep -q 'unsupported$' "$tmp/out" || fail "two sites: no candidate marked unsupported"
expect 0 check --strict "$tmp/two-design.yaml"
grep -Eq 'ST002|FS003' "$tmp/out" && fail "two sites: check reports ST002 or FS003 on the recommendation"
# allow_unsupported: true lets a stretched design win, and the words say so.
printf 'targets: { default: 99.9%% }\nsites: 2\nallow_unsupported: true\nsimulation: { runs: 20, years: 2 }\n' >"$tmp/allow.yaml"
"$Q" plan -o "$tmp/allow-design.yaml" "$tmp/allow.yaml" >"$tmp/out" 2>"$tmp/err"
[ $? -le 1 ] || fail "plan allow.yaml failed"
grep -qF 'WARNING: Microsoft does not support this design' "$tmp/out" || fail "allow_unsupported: no warning in words"
tr -s '\n ' ' ' <"$tmp/out" | grep -qF 'requirements say allow_unsupported: true' || fail "allow_unsupported: the reason is not given"

# ---- requirement files with errors: file:line:col, exit 1 ----
cat >"$tmp/bad.yaml" <<'EOF'
targets:
  conferencing: 99.99
  presense: 99.9%
users: lots
sitse: 2
EOF
expect 1 plan "$tmp/bad.yaml"
grep -qF "$tmp/bad.yaml:2:17: error: expected a percentage" "$tmp/err" || fail "bad percentage position"
grep -qF "$tmp/bad.yaml:3:3: error: unknown key 'presense' in 'targets' (did you mean 'presence'?) [P002]" "$tmp/err" ||
  fail "unknown target key with suggestion"
grep -qF "$tmp/bad.yaml:4:8: error:" "$tmp/err" || fail "bad users position"
grep -qF "$tmp/bad.yaml:5:1: error: unknown key 'sitse'" "$tmp/err" || fail "unknown top-level key"
[ ! -s "$tmp/out" ] || fail "a bad requirements file still printed a plan"
printf 'targets: [99.9%%]\n' >"$tmp/bad2.yaml"
expect 1 plan "$tmp/bad2.yaml"
grep -qF "$tmp/bad2.yaml:1:10: error: expected a mapping for 'targets'" "$tmp/err" ||
  fail "targets as a list"
printf 'users: 10\n' >"$tmp/bad3.yaml"
expect 1 plan "$tmp/bad3.yaml"
grep -qF "missing required key 'targets'" "$tmp/err" || fail "missing targets"
printf 'targets: {default: 99.9%%\n' >"$tmp/bad4.yaml"
expect 1 plan "$tmp/bad4.yaml"
grep -q "bad4.yaml:[0-9]*:[0-9]*: error: .*\[P001\]" "$tmp/err" || fail "syntax error"

# Golden: every kind of error, exact text and positions.
"$Q" plan tests/plan/errors.yaml >"$tmp/golden.out" 2>&1
rc=$?
[ "$rc" -eq 1 ] || fail "plan tests/plan/errors.yaml exited $rc, expected 1"
diff -u tests/cli/golden/plan-errors.out "$tmp/golden.out" || fail "golden plan-errors differs"

# ---- JSON ----
expect 0 plan $FAST --json "$EX"
if have_python; then
  python3 - "$tmp/out" "$winner" <<'PY' || fail "JSON content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["command"] == "plan" and d["format_version"] == 1
assert d["recommended"] == sys.argv[2], (d["recommended"], sys.argv[2])
assert d["meets_requirements"] is True
assert d["parameters"]["runs"] == 6 and d["parameters"]["seed"] == 3
assert d["requirements"]["users"] == 5000 and d["requirements"]["front_ends_for_users"] == 2
labels = [c["label"] for c in d["candidates"]]
assert len(labels) == 24 and len(set(labels)) == 24
front = d["pareto_front"]
assert front and all(l in labels for l in front)
by = {c["label"]: c for c in d["candidates"]}
costs = [by[l]["cost_per_year"] for l in front]
assert costs == sorted(costs)
w = by[d["recommended"]]
assert w["meets_targets"] and w["within_budget"] and w["simulated"]
for c in d["candidates"]:
    if c["simulated"] and c["meets_targets"] and c["within_budget"]:
        assert c["cost_per_year"] >= w["cost_per_year"] - 1e-9
assert d["design_yaml"].startswith("# " + w["label"])
assert "Rule:" in d["explanation"]
PY
fi

finish "all passed"
