#!/usr/bin/env bash
# hostile.sh: inputs that used to hang, mislead or leak (issue 13, "Inputs
# that hang, mislead or leak"), each checked end to end through the CLI.
# Every section names its finding; each would fail before its fix.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"
EXPECT_TIMEOUT=60   # expect: a run of more than 60 s (a hang) is a failure

T3=tests/cli/fixtures/3.0-defaults.yaml  # the 3.0 design with its own figures at line 12

# ---- 1. degenerate durations: refused at load, else the event budget ----
# The issue's inputs are refused with file:line:col (the corpus of
# tests/bad has them too); valid but far too short durations end with the
# event budget's error instead of running for hours.
sed 's/mtbf: 6mo, mttr: 4h/mtbf: 1e-300ms, mttr: 1e-300ms/' $T3 >"$tmp/tiny.yaml"
expect 1 check "$tmp/tiny.yaml"
grep -q "^$tmp/tiny.yaml:12:19: error: 'mtbf' must be at least 1s, got '1e-300ms' \[P004\]$" \
  "$tmp/out" || fail "1: tiny mtbf not refused at its place"
expect 1 simulate "$tmp/tiny.yaml"
sed 's/mtbf: 6mo, mttr: 4h/mtbf: 1s, mttr: 1s/' $T3 >"$tmp/fast.yaml"
expect 0 check "$tmp/fast.yaml"
for mode in "" --static; do
  # shellcheck disable=SC2086
  expect 2 simulate --runs 4 --threads 2 $mode "$tmp/fast.yaml"
  grep -q "replication 1 stopped after [0-9]* events .*more than 100000 per component and year" \
    "$tmp/err" || fail "1: simulate $mode: no event-budget message"
done
expect 2 compare --runs 4 "$tmp/fast.yaml" $T3
grep -q "more than 100000 per component and year" "$tmp/err" || fail "1: compare: no budget message"
cat >"$tmp/one.yaml" <<'YAML'
servers: [ { name: s1, mtbf: 1s, mttr: 1s } ]
pool: { version: sfb2015, frontends: [s1], backend: { standalone: s1 }, file_store: { share: s1 } }
YAML
printf 'random: { seed: 1 }\nsteps: [ { at: 1h, expect: { pool: up } } ]\nuntil: 1y\n' >"$tmp/random.yaml"
expect 2 scenario "$tmp/one.yaml" "$tmp/random.yaml"
grep -q "the simulation stopped: more than 100000 events" "$tmp/err" \
  || fail "1: scenario with random: no budget message"

# ---- 2. huge costs: bounded at load, ranked without overflow ----
sed 's/mtbf: 6mo, mttr: 4h/mtbf: 6mo, mttr: 4h, cost: 1e15/' $T3 >"$tmp/dear.yaml"
expect 1 check "$tmp/dear.yaml"
grep -q "^$tmp/dear.yaml:12:40: error: 'cost' must be at most 1e12, got '1e15' \[P004\]$" "$tmp/out" \
  || fail "2: cost 1e15 not refused at its place"
sed 's/mtbf: 6mo, mttr: 4h/mtbf: 6mo, mttr: 4h, cost: 1e12/' $T3 | sed 's/^name: .*/name: dear/' \
  >"$tmp/dear.yaml"
sed 's/mtbf: 6mo, mttr: 4h/mtbf: 6mo, mttr: 4h, cost: 1000/' $T3 | sed 's/^name: .*/name: cheap/' \
  >"$tmp/cheap.yaml"
for by in cost availability value; do
  expect 0 compare --runs 4 --years 1 --rank-by $by "$tmp/dear.yaml" "$tmp/cheap.yaml"
  grep -Eq '^ +1=? +cheap ' "$tmp/out" || fail "2: --rank-by $by: the cheap design is not first"
  grep -q '3000000000000.00' "$tmp/out" || fail "2: --rank-by $by: the dear design's cost not shown"
  grep -qw 'inf' "$tmp/out" && fail "2: --rank-by $by: 'inf' in the output"
done
printf 'targets: { default: 99.9%% }\ncosts: { server: 1e15 }\nbudget: 1e308\n' >"$tmp/req.yaml"
expect 1 plan "$tmp/req.yaml"
grep -q "req.yaml:2:18: error: 'server' must be at most 1e12" "$tmp/err" || fail "2: plan: cost not refused"
grep -q "req.yaml:3:9: error: 'budget' must be at most 1e12" "$tmp/err" || fail "2: plan: budget not refused"
[ "$(grep -c ': error: ' "$tmp/err")" -eq 2 ] || fail "2: plan: other errors than the two limits"

# ---- 3. plan with an existing SQL HA service of availability 1e-300% ----
# A clear input error at the value (exit 1), no longer "internal error"
# (exit 2) about the design it would have written; a low but workable
# availability still plans.
printf 'targets: { default: 99.9%% }\nexisting_sql_ha: { availability: 1e-300%% }\n' >"$tmp/req.yaml"
expect 1 plan "$tmp/req.yaml"
grep -q "req.yaml:2:34: error: 'availability' of '1e-300%' .* gives an MTBF below 1s" "$tmp/err" \
  || fail "3: plan: tiny availability not refused at its place"
grep -q "internal error" "$tmp/err" && fail "3: plan: internal error"
printf 'targets: { default: 10%% }\nexisting_sql_ha: { availability: 0.03%% }\nsimulation: { runs: 4, years: 1 }\n' \
  >"$tmp/req.yaml"
expect 1 plan -o "$tmp/plan.yaml" "$tmp/req.yaml"  # no design meets 10% then
grep -Eq "^  =>  [a-z0-9]+-external-(dfs|share) " "$tmp/out" || fail "3: plan: no recommendation"
expect 0 check "$tmp/plan.yaml"

# ---- 4. a signal while an output file is written removes its temporary ----
# tests/cli/stop_at_fchmod.c stops quorate (SIGSTOP) right after it creates
# the temporary file beside the target; the test then sends the signal and
# lets it go on. quorate must die of that signal (exit 128 + N) and leave
# only what was there before: no r.html.XXXXXX, the old page untouched.
# (SIGINT is not tried here: a background job of a script ignores it, and a
# signal the process ignores stays ignored; test_file_out covers SIGINT.)
CC=${CC:-cc}
if "$CC" -shared -fPIC -o "$tmp/stop.so" tests/cli/stop_at_fchmod.c -ldl 2>"$tmp/cc.err"; then
  mkdir "$tmp/sig"
  for sig in TERM HUP; do
    for cmd in "simulate --runs 2 --years 1 --html $tmp/sig/r.html $T3" \
               "check -o $tmp/sig/r.html $T3"; do
      echo "old page" >"$tmp/sig/r.html"
      # shellcheck disable=SC2086
      LD_PRELOAD="$tmp/stop.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
        "$Q" $cmd >/dev/null 2>&1 &
      pid=$!
      state=""
      for _ in $(seq 1 1200); do
        state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
        [ "$state" = T ] && break
        sleep 0.05
      done
      if [ "$state" != T ]; then
        fail "4: quorate $cmd never stopped at the temporary file"
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        continue
      fi
      ls "$tmp/sig" | grep -q '^r\.html\.' || fail "4: no temporary file while stopped ($cmd)"
      kill -"$sig" "$pid"
      kill -CONT "$pid"
      wait "$pid" 2>/dev/null
      rc=$?
      want=$((128 + $(kill -l "$sig")))
      [ "$rc" -eq "$want" ] || fail "4: SIG$sig during '$cmd': exit $rc, expected $want"
      left=$(ls "$tmp/sig")
      [ "$left" = "r.html" ] || fail "4: SIG$sig during '$cmd' left: $(echo $left)"
      [ "$(cat "$tmp/sig/r.html")" = "old page" ] || fail "4: SIG$sig during '$cmd': the old file changed"
    done
  done
else
  echo "hostile.sh: 4: cannot build the LD_PRELOAD shim with $CC, skipped (test_file_out covers it)"
  sed 's/^/  | /' "$tmp/cc.err"
fi

# ---- 5. an output file keeps its mode; links are written through ----
mkdir "$tmp/o"
echo old >"$tmp/o/report.txt"
chmod 600 "$tmp/o/report.txt"
expect 0 check -o "$tmp/o/report.txt" $T3
[ "$(stat -c %a "$tmp/o/report.txt")" = 600 ] || fail "5: mode 0600 became $(stat -c %a "$tmp/o/report.txt")"
grep -q "1 file checked" "$tmp/o/report.txt" || fail "5: the report was not written"
ln -s made.txt "$tmp/o/dangling.txt"
expect 0 check -o "$tmp/o/dangling.txt" $T3
[ -L "$tmp/o/dangling.txt" ] || fail "5: a dangling link was replaced by a file"
grep -q "1 file checked" "$tmp/o/made.txt" 2>/dev/null || fail "5: the dangling link's file was not made"
ln -s loop2.txt "$tmp/o/loop1.txt"
ln -s loop1.txt "$tmp/o/loop2.txt"
expect 2 check -o "$tmp/o/loop1.txt" $T3
grep -q "cannot write '$tmp/o/loop1.txt': Too many levels of symbolic links" "$tmp/err" \
  || fail "5: a link loop: no message"
[ -L "$tmp/o/loop1.txt" ] && [ -L "$tmp/o/loop2.txt" ] || fail "5: a link loop was replaced"
[ "$(ls "$tmp/o" | wc -l)" -eq 5 ] || fail "5: files left: $(ls "$tmp/o")"

# ---- 6. what lab saves, scenario loads: both clocks stop at 100 years ----
printf 'advance 101y\nadvance 100y\nsave %s\n' "$tmp/lab.yaml" >"$tmp/lab.in"
timeout 60 "$Q" lab $T3 <"$tmp/lab.in" >"$tmp/out" 2>&1
grep -q "error: the clock stops at 100 years" "$tmp/out" || fail "6: lab took 'advance 101y'"
expect 0 scenario $T3 "$tmp/lab.yaml"
grep -q "^end 876600:00:00" "$tmp/out" || fail "6: the saved session does not end at 100 years"

# ---- 7. 20,000 duplicate keys: 1000 errors, then "too many errors" ----
{ printf 'x-a: {'; for i in $(seq 1 20000); do printf ' k: 1,'; done; printf ' k: 1 }\n'; } >"$tmp/dup.yaml"
cat "$T3" >>"$tmp/dup.yaml"
expect 1 check "$tmp/dup.yaml"
[ "$(grep -c ': error: duplicate key' "$tmp/out")" -eq 1000 ] || fail "7: not 1000 duplicate-key errors"
[ "$(wc -l <"$tmp/out")" -eq 1002 ] || fail "7: $(wc -l <"$tmp/out") lines, expected 1002"
tail -2 "$tmp/out" | head -1 | grep -q "^$tmp/dup.yaml: note: too many errors: 19000 more not shown \[P010\]$" \
  || fail "7: no final 'too many errors' line"
tail -1 "$tmp/out" | grep -q "20000 errors" || fail "7: the summary does not count every error"

# ---- 8. control characters in a name: refused at load, never printed ----
{ printf 'name: "\\e[31mRED\\e[0m\\a"\n'; grep -v '^name:' $T3; } >"$tmp/ctl.yaml"
expect 1 check "$tmp/ctl.yaml"
grep -q "^$tmp/ctl.yaml:1:7: error: 'name' must not contain control characters, got U+001B \[P004\]$" \
  "$tmp/out" || fail "8: an escape sequence in 'name' not refused"
for cmd in simulate compare analyze; do
  expect 1 $cmd "$tmp/ctl.yaml"
  if LC_ALL=C grep -q "$(printf '[\033\007]')" "$tmp/out" "$tmp/err"; then
    fail "8: $cmd printed a control character"
  fi
done

# ---- 9. lab: lines of at most 4096 bytes, memory bounded; undo is cheap ----
{ printf 'note %s\n' "$(head -c 4091 /dev/zero | tr '\0' x)"
  printf 'note %s\n' "$(head -c 4092 /dev/zero | tr '\0' y)"
  printf 'status\n'; } >"$tmp/lines.in"
timeout 60 "$Q" lab $T3 <"$tmp/lines.in" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "9: lab with a long line: exit $rc, expected 1"
grep -q "^00:00:00  note: x\{4091\}$" "$tmp/out" || fail "9: a 4096-byte line was not taken"
grep -q "^error: the line is 4097 bytes long, more than 4096: ignored$" "$tmp/out" \
  || fail "9: a 4097-byte line was not refused"
grep -q "^time 00:00:00: pool UP$" "$tmp/out" || fail "9: the session did not go on"
if have_python; then
  # A 200 MB line must not take 200 MB (it took twice that): peak RSS of
  # the lab, measured by python's getrusage of the child.
  python3 - "$Q" $T3 >"$tmp/rss" 2>&1 <<'PY' || fail "9: $(cat "$tmp/rss")"
import resource, subprocess, sys
q, topo = sys.argv[1], sys.argv[2]
p = subprocess.Popen([q, "lab", topo], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
chunk = b"x" * (1 << 20)
p.stdin.write(b"note ")
for _ in range(200):
    p.stdin.write(chunk)
p.stdin.write(b"\nstatus\n")
p.stdin.close()
rc = p.wait()
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
if rc != 1 or peak_mb > 120:
    sys.exit("exit %d, peak %.0f MB for a 200 MB line" % (rc, peak_mb))
PY
fi
# 6,000 commands and 3,000 undos (two commands, one undo): each undo
# replays from the latest mark, not the whole session (a minute before,
# about 1.5 s of CPU after, on the machine this was written on). The check
# counts the work instead of timing it (a wall-time bound fails on a loaded
# machine and under the sanitizers): QUORATE_LAB_STATS=1 prints the commands
# the undos replayed. With marks (lab.c: every 32 commands at first, at
# most 32 marks, the spacing doubling) one undo replays fewer than twice the
# spacing, 2 x 128 at 3,000 commands kept; replaying the whole session would
# be up to 3,000 each, about 4.5 million in all.
for i in $(seq 1 1000); do
  printf 'crash s1\nadvance 10m\nundo\nrepair s1\nadvance 1m\nundo\nreset\ncrash s2\nundo\n'
done >"$tmp/undo.in"
QUORATE_LAB_STATS=1 timeout 600 "$Q" lab $T3 <"$tmp/undo.in" >"$tmp/out" 2>"$tmp/err"
grep -q "^undone; 3000 commands kept, now " "$tmp/out" || fail "9: undo transcript"
read -r undos total most < <(sed -n 's/^quorate lab: \([0-9]*\) undos replayed \([0-9]*\) commands, at most \([0-9]*\) in one$/\1 \2 \3/p' "$tmp/err")
[ "${undos:-0}" = 3000 ] || fail "9: undo statistics missing ($(cat "$tmp/err"))"
[ "${most:-9999}" -lt 256 ] && [ "${total:-99999999}" -lt 400000 ] ||
  fail "9: 3,000 undos replayed $total commands, at most $most in one"

# ---- 10. 'at: 0m' is the start, as '0' and '0s' ----
for z in 0 0s 0m 0h; do
  printf 'steps:\n  - at: %s\n    crash: s1\n  - expect: { pool: up }\n' "$z" >"$tmp/zero.yaml"
  expect 0 scenario $T3 "$tmp/zero.yaml"
  grep -q "^00:00:00  s1 crashed" "$tmp/out" || fail "10: at: $z is not the start"
done

# ---- 11. analyze out of memory: exit 2 with a message, nothing half-written ----
# tests/cli/fail_malloc.c makes the Nth malloc/calloc/realloc and every later
# one fail. N sweeps the whole run of `analyze` (from the first allocation
# after the shared libraries' own start-up): exit 0 only with the whole
# report; any other exit with nothing on standard output and a message on
# standard error, never a crash. Skipped under ASan, which owns malloc.
if ldd "$Q" 2>/dev/null | grep -q 'libasan'; then
  echo "hostile.sh: 11: skipped under ASan (the shim replaces malloc)"
elif "$CC" -shared -fPIC -o "$tmp/fail_malloc.so" tests/cli/fail_malloc.c 2>"$tmp/cc.err"; then
  for fmt in "" --json; do
    # shellcheck disable=SC2086
    "$Q" analyze $fmt $T3 >"$tmp/ref.out" 2>/dev/null
    start=$(QUORATE_COUNT_MALLOC=1 LD_PRELOAD="$tmp/fail_malloc.so" "$Q" --version 2>&1 >/dev/null |
            sed -n 's/^malloc calls: //p')
    # shellcheck disable=SC2086
    total=$(QUORATE_COUNT_MALLOC=1 LD_PRELOAD="$tmp/fail_malloc.so" "$Q" analyze $fmt $T3 2>&1 >/dev/null |
            sed -n 's/^malloc calls: //p')
    if [ -z "$start" ] || [ -z "$total" ] || [ "$total" -le "$start" ]; then
      fail "11: cannot count allocations ($start, $total)"
      break
    fi
    bad=0
    for n in $(seq $((start + 1)) 5 "$total") $(seq $((total - 30)) "$total"); do
      # shellcheck disable=SC2086
      QUORATE_FAIL_MALLOC=$n LD_PRELOAD="$tmp/fail_malloc.so" timeout 20 "$Q" analyze $fmt $T3 \
        >"$tmp/oom.out" 2>"$tmp/oom.err"
      rc=$?
      if [ $rc -eq 0 ]; then
        cmp -s "$tmp/oom.out" "$tmp/ref.out" || { fail "11: analyze $fmt, allocation $n fails: exit 0 with a partial report"; bad=$((bad + 1)); }
      elif [ $rc -ge 128 ] || [ -s "$tmp/oom.out" ] || [ ! -s "$tmp/oom.err" ]; then
        fail "11: analyze $fmt, allocation $n fails: exit $rc, $(wc -c <"$tmp/oom.out") bytes out, message '$(head -c 100 "$tmp/oom.err")'"
        bad=$((bad + 1))
      fi
      [ $bad -ge 5 ] && break
    done
  done
else
  echo "hostile.sh: 11: cannot build the malloc shim with $CC, skipped"
fi

# ---- 11b. the exact (M9) computation out of memory is an error, not "too large" ----
# With QUORATE_FAIL_MALLOC_ONCE one allocation alone fails, so the run goes
# on and a failure taken for something else shows. sim_exact returns -1 out
# of memory and -2 too many components: only -2 may leave the paper values
# out quietly. export: exit 0 only with the whole file (an out-of-memory
# exact used to give a file without its numbers and a note); compare: a
# design whose paper values ran out of memory gives exit 2 and says
# "paper values not computed: out of memory (an error ...)"; plan: exit 0
# or 1 never with a candidate's paper values missing (the example's
# candidates are all small enough to enumerate).
if ldd "$Q" 2>/dev/null | grep -q 'libasan'; then
  echo "hostile.sh: 11b: skipped under ASan (the shim replaces malloc)"
elif [ -s "$tmp/fail_malloc.so" ] || "$CC" -shared -fPIC -o "$tmp/fail_malloc.so" tests/cli/fail_malloc.c 2>"$tmp/cc.err"; then
  count() {
    QUORATE_COUNT_MALLOC=1 LD_PRELOAD="$tmp/fail_malloc.so" "$Q" "$@" 2>&1 >/dev/null | sed -n 's/^malloc calls: //p'
  }
  once() { # N, then the command
    local n=$1; shift
    QUORATE_FAIL_MALLOC_ONCE=1 QUORATE_FAIL_MALLOC=$n LD_PRELOAD="$tmp/fail_malloc.so" timeout 20 "$Q" "$@" \
      >"$tmp/once.out" 2>"$tmp/once.err"
  }
  start=$(count --version)
  "$Q" export $T3 >"$tmp/ref.xml" || fail "11b: export"
  total=$(count export $T3)
  bad=0
  for n in $(seq $((start + 1)) 3 "$total"); do
    once $n export $T3
    rc=$?
    if [ $rc -eq 0 ] && ! cmp -s "$tmp/once.out" "$tmp/ref.xml"; then
      fail "11b: export, allocation $n fails: exit 0 with another file ($(head -c 120 "$tmp/once.err"))"
      bad=$((bad + 1))
    elif [ $rc -ne 0 ] && { [ $rc -ge 128 ] || [ -s "$tmp/once.out" ] || [ ! -s "$tmp/once.err" ]; }; then
      fail "11b: export, allocation $n fails: exit $rc, $(wc -c <"$tmp/once.out") bytes out"
      bad=$((bad + 1))
    fi
    [ $bad -ge 3 ] && break
  done
  C="compare --runs 1 --years 1 --threads 1 --json --no-timing $T3"
  # shellcheck disable=SC2086
  total=$(count $C)
  hits=0
  for n in $(seq $((start + 1)) 5 "$total"); do
    # shellcheck disable=SC2086
    once $n $C
    rc=$?
    [ $rc -ge 128 ] && fail "11b: compare, allocation $n fails: exit $rc"
    if grep -q '"paper_unavailable_reason": "not computed: out of memory' "$tmp/once.out"; then
      hits=$((hits + 1))
      [ $rc -eq 2 ] || fail "11b: compare, allocation $n fails in the exact view: exit $rc"
      grep -q "paper values not computed: out of memory (an error of this run, not a limit of the design)" \
        "$tmp/once.err" || fail "11b: compare, allocation $n: no message for the paper values"
    fi
  done
  [ $hits -gt 0 ] || fail "11b: compare: no allocation of the exact view was made to fail"
  P="plan --runs 1 --years 1 --threads 1 --json docs/plan-example.yaml"
  # shellcheck disable=SC2086
  total=$(count $P)
  for n in $(seq $((start + 1)) 13 "$total"); do
    # shellcheck disable=SC2086
    once $n $P
    rc=$?
    [ $rc -ge 128 ] && fail "11b: plan, allocation $n fails: exit $rc"
    if [ $rc -le 1 ] && grep -q '"paper_availability": null' "$tmp/once.out"; then
      fail "11b: plan, allocation $n fails: exit $rc with paper values missing"
      break
    fi
  done
else
  echo "hostile.sh: 11b: cannot build the malloc shim with $CC, skipped"
fi

# ---- 12. cosmetics ----
# Columns never run together, however large the values.
sed 's/mtbf: 6mo, mttr: 4h/mtbf: 1h, mttr: 1h/' $T3 >"$tmp/flaky.yaml"
expect 0 simulate --runs 4 --years 1 "$tmp/flaky.yaml"
rows=0
while IFS= read -r row; do
  rows=$((rows + 1))
  # name, availability ± half-width, downtime ± hw, outages ± hw, mean, longest
  [ "$(echo "$row" | awk '{print NF}')" -eq 12 ] || fail "12: simulate columns run together: $row"
done < <(grep -E '^(signin_im|presence|p2p_calls|conferencing|address_book|persistent_changes|pool) ' "$tmp/out")
[ $rows -eq 7 ] || fail "12: simulate: $rows feature rows, expected 7"
expect 0 compare --runs 4 --years 1 "$tmp/flaky.yaml" $T3
grep -q '[0-9]\.[0-9][0-9]*[0-9]\.[0-9]' <(grep ' ± ' "$tmp/out") && fail "12: compare columns run together"
# A UTF-32 file is called UTF-32.
expect 1 check tests/bad/utf32-bom.yaml
grep -q "the file is UTF-32 (save it as UTF-8)" "$tmp/out" || fail "12: UTF-32 reported as something else"
# --list-rules speaks JSON (and SARIF) when asked.
expect 0 check --list-rules --format json
if have_python; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["rules"]; assert len(r) >= 30 and all(set(x) >= {"id","severity","name","title","rationale","source","fix"} for x in r)' "$tmp/out" \
    || fail "12: --list-rules --format json is not the rule table in JSON"
  expect 0 check --list-rules --format sarif
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); run=d["runs"][0]; assert len(run["tool"]["driver"]["rules"]) >= 30 and run["results"] == []' "$tmp/out" \
    || fail "12: --list-rules --format sarif"
fi
# A write error on standard output is exit 2, for help and for reports.
for args in "--help" "--version" "check --help" "simulate --help" "analyze --help" "graph --help" \
            "compare --help" "plan --help" "export --help" "scenario --help" "lab --help" \
            "check $T3" "check --list-rules" "analyze $T3" "graph $T3" "export $T3" \
            "simulate --runs 2 --years 1 $T3" "compare --runs 2 --years 1 $T3"; do
  # shellcheck disable=SC2086
  timeout 60 "$Q" $args >/dev/full 2>"$tmp/err"
  rc=$?
  [ $rc -eq 2 ] || fail "12: quorate $args >/dev/full: exit $rc, expected 2"
  grep -q "cannot write" "$tmp/err" || fail "12: quorate $args >/dev/full: no message"
done

finish "all passed"
