#!/usr/bin/env bash
# labs.sh: every bundled lab (docs/labs/*.yaml but the lab topologies) runs
# with the topology its "# Run:" line names and exits 0 (every expectation
# holds); the output is the same twice (deterministic) and its --json is
# valid JSON; a deliberately false expectation exits 1 with the expected
# and actual values; bad scenario files exit 2 with file:line:col.
# Run from the repository root with QUORATE set.
. "$(dirname "$0")/lib.sh"

n=0
for lab in docs/labs/*.yaml; do
  case "$lab" in *.topology.yaml) continue ;; esac
  n=$((n + 1))
  run=$(sed -n 's/^# Run: quorate scenario \([^ ]*\) \([^ ]*\)$/\1 \2/p' "$lab")
  topo=${run%% *}
  [ -n "$run" ] && [ "${run#* }" = "$lab" ] || { fail "$lab: no '# Run: quorate scenario TOPOLOGY $lab' line"; continue; }
  [ -f "${lab%.yaml}.md" ] || fail "$lab: no lab sheet ${lab%.yaml}.md"
  "$Q" scenario "$topo" "$lab" >"$tmp/a" 2>"$tmp/err"; rc=$?
  [ "$rc" -eq 0 ] || { fail "$lab: exit $rc, expected 0"; cat "$tmp/a" "$tmp/err"; }
  grep -q "expectations: [0-9]* checked, all hold" "$tmp/a" || fail "$lab: no passing expectations line"
  "$Q" scenario "$topo" "$lab" >"$tmp/b" 2>/dev/null
  cmp -s "$tmp/a" "$tmp/b" || fail "$lab: two runs differ"
  grep -q '^pools:' "$topo" && continue   # several pools (M10): text only
  "$Q" scenario --json "$topo" "$lab" >"$tmp/j" 2>/dev/null || fail "$lab: --json exit non-zero"
  json_ok "$tmp/j" || fail "$lab: --json is not valid JSON"
done
[ "$n" -ge 8 ] || fail "only $n labs in docs/labs (expected at least 8)"

# The M1.8 lab narrates the quorum loss with its cause and the operator's command.
"$Q" scenario topologies/2x-mirror-witness.yaml docs/labs/m1.8-principal-server.yaml >"$tmp/m18"
grep -qF '00:30:00  s1 crashed (unexpected) — pool voters up 1 of 3, quorum LOST' "$tmp/m18" \
  || fail "m1.8: no quorum-loss line"
grep -qF 'an operator must run the soft reset (Reset-CsPoolRegistrarState -ResetType QuorumLossRecovery)' "$tmp/m18" \
  || fail "m1.8: no soft reset advice"

# --html: a self-contained page with a track per server and per service.
"$Q" scenario --html "$tmp/m18.html" topologies/2x-mirror-witness.yaml docs/labs/m1.8-principal-server.yaml >/dev/null \
  || fail "--html: exit non-zero"
for track in pool backend file_store feature.conferencing server.s1 server.s2 server.sqlw; do
  grep -qF "<div class=\"name\">$track</div>" "$tmp/m18.html" || fail "--html: no track $track"
done
grep -qF 'class="seg down"' "$tmp/m18.html" || fail "--html: no down segment"
grep -qF 'pool voters up 1 of 3' "$tmp/m18.html" || fail "--html: no quorum annotation"
grep -qiE 'src=|href=|https?:|@import' "$tmp/m18.html" && fail "--html: refers to something outside the page"
"$Q" scenario --html /nonexistent-dir/x.html topologies/2x-mirror-witness.yaml docs/labs/m1.8-principal-server.yaml >/dev/null 2>&1
[ $? -eq 2 ] || fail "--html to an unwritable place: not exit 2"

# A false expectation: exit 1, expected and actual values, file:line:col.
"$Q" scenario topologies/2x-mirror-witness.yaml tests/labs/false-expectation.yaml >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] || fail "false expectation: exit $rc, expected 1"
grep -qxF "tests/labs/false-expectation.yaml:5:15: expectation failed at 00:05:00: 'pool' is up, expected down" "$tmp/err" \
  || { fail "false expectation: wrong message"; cat "$tmp/err"; }
grep -qF "00:05:00  expect pool: down — FAILED: it is up" "$tmp/out" || fail "false expectation: not in the timeline"
"$Q" scenario --json topologies/2x-mirror-witness.yaml tests/labs/false-expectation.yaml >"$tmp/j" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] || fail "false expectation --json: exit $rc"
grep -q '"passed":false' "$tmp/j" || grep -q '"passed": false' "$tmp/j" || fail "false expectation --json: passed is not false"

# Bad scenario files: exit 2, one diagnostic each at the right place.
check_bad() { # file expected-first-line
  "$Q" scenario topologies/2x-mirror-witness.yaml "$1" >"$tmp/out" 2>"$tmp/err"; rc=$?
  [ "$rc" -eq 2 ] || fail "$1: exit $rc, expected 2"
  [ -s "$tmp/out" ] && fail "$1: printed a timeline"
  grep -qxF -- "$2" "$tmp/err" || { fail "$1: expected '$2'"; cat "$tmp/err"; }
}
check_bad tests/labs/bad-component.yaml "tests/labs/bad-component.yaml:3:12: error: unknown component 's9' for 'crash' [P008]"
check_bad tests/labs/bad-key.yaml "tests/labs/bad-key.yaml:4:15: error: unknown expectation 'fabric.voter_up' (did you mean 'fabric.voters_up'?) [P002]"
check_bad tests/labs/bad-time.yaml "tests/labs/bad-time.yaml:4:9: error: step 2 at 5m is earlier than the step before it (10m) [P004]"
check_bad tests/labs/two-actions.yaml "tests/labs/two-actions.yaml:4:5: error: step 1 has more than one action ('crash' and 'shutdown') [P004]"

# Usage errors.
"$Q" scenario topologies/2x-mirror-witness.yaml >/dev/null 2>&1; [ $? -eq 2 ] || fail "one file: not exit 2"
"$Q" scenario --bogus a b >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option: not exit 2"
"$Q" scenario topologies/2x-mirror-witness.yaml /nonexistent.yaml >/dev/null 2>&1; [ $? -eq 2 ] || fail "missing file: not exit 2"
"$Q" scenario --help | grep -q "usage: quorate scenario" || fail "--help"

finish "$n labs pass; bad scenarios rejected"
