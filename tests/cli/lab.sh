#!/usr/bin/env bash
# lab.sh: `quorate lab` driven through a pipe (plain mode: commands echoed,
# the narrated timeline, status table, expect, undo replaying the history,
# save writing a scenario that `quorate scenario` accepts, exit 1 after a
# rejected command) and through a pseudo-terminal (libedit mode, with a
# history recall), skipped when no pseudo-terminal can be had.
# Run from the repository root with QUORATE set.
. "$(dirname "$0")/lib.sh"
T=topologies/2x-mirror-witness.yaml

printf '%s\n' 'status' 'crash s1' 'advance 1m' 'expect pool down' 'expect backend.principal s2' \
  'status' 'reset' 'advance 15m' 'expect pool up' 'undo' 'undo' "save $tmp/session.yaml" 'quit' 'status' \
  | "$Q" lab "$T" >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] || { fail "pipe session: exit $rc"; cat "$tmp/out" "$tmp/err"; }
has() { grep -qF -- "$1" "$tmp/out" || fail "pipe session: no '$1'"; }
has "lab> crash s1"
has "00:00:00  s1 crashed (unexpected) — pool voters up 1 of 3, quorum LOST"
has "00:01:00  SQL principal failover time elapsed (backend.failover_time)"
has "00:01:00  expect pool: down — ok"
has "00:01:00  expect backend.principal: s2 — ok"
has "00:16:00  pool restart time elapsed (fabric.restart_time) — pool UP"
has "00:16:00  expect pool: up — ok"
has "undone; 6 commands kept, now 00:16:00"
has "undone; 5 commands kept, now 00:01:00"
has "  s1           crashed  front end (seed), 64 replicas, SQL mirror, DFS replica"
has "routing groups (2 replicas each): 64 writable"
[ "$(grep -c '^time ' "$tmp/out")" -eq 2 ] || fail "pipe session: commands after quit ran"
# The saved session is a scenario: the two undone commands are not in it.
"$Q" scenario "$T" "$tmp/session.yaml" >"$tmp/replay" 2>&1; rc=$?
[ "$rc" -eq 0 ] || { fail "saved session: scenario exit $rc"; cat "$tmp/session.yaml" "$tmp/replay"; }
grep -q "expectations: 2 checked, all hold" "$tmp/replay" || fail "saved session: not 2 expectations"
grep -q "restart time elapsed" "$tmp/replay" && grep -q "^00:01:00  soft reset" "$tmp/replay" \
  && fail "saved session: the undone reset was saved"

# Virtual machines (M0.2, M0.4, M7.6): what holds a VM down, the operator's
# move and its refusals, saved as a `migrate:` step that replays.
V=topologies/vms/5x-3-hosts-ha.yaml
printf '%s\n' 'crash h1' 'why fe1' 'repair fe1' 'migrate fe1 h2' 'migrate sql1 h2' 'migrate fe2 h1' \
  'migrate fe1 h3' 'why fe1' 'why h1' 'status' "save $tmp/vm.yaml" | "$Q" lab "$V" >"$tmp/out" 2>&1; rc=$?
[ "$rc" -eq 1 ] || fail "vm session: exit $rc, expected 1 (rejected moves)"
has "fe1 is held down by host h1 (crashed, M0.2): repair h1, or migrate it to a host that is up: h2, h3"
has "00:00:00  fe1 repaired — no change: host h1 is down and holds fe1 down"
has "00:00:00  the operator migrates fe1 to host h2 (M7.6) — fe1 back up — fe1 now on host h2 — pool voters up 3 of 3"
has "error: cannot migrate sql1 to h2: host h2 is full (capacity 3 VMs)"
has "error: cannot migrate fe2 to h1: host h1 is down"
has "error: cannot migrate fe1 to h3: fe1 is running and this design does not live-migrate"
has "fe1 is up, on host h2"
has "h1 itself is down (crashed): repair h1"
has "moved VMs: fe1 on h2 (design host h1)"
grep -qF 'migrate: { server: "fe1", to: "h2" }' "$tmp/vm.yaml" || fail "vm session: no migrate step saved"
"$Q" scenario "$V" "$tmp/vm.yaml" >"$tmp/replay" 2>&1 || fail "vm session: the saved scenario does not replay"
grep -qF "fe1 now on host h2" "$tmp/replay" || fail "vm session: the replay does not move fe1"

# Latent faults (M7.1, M7.3): land one, reboot a server into it, ask why,
# a patch night; saved as latent_fault:, reboot: and patch_night: steps
# that replay.
LP=docs/labs/latent-pool.topology.yaml
printf '%s\n' 'help' 'latent_fault subca' 'latent_fault subca-in-root' 'reboot sql9' 'reboot fe1' \
  'advance 20m' 'why fe1' 'expect count.latent_shown 1' 'patch_night' 'advance 1h' \
  'expect count.latent_shown 2' 'patch_night sql' "save $tmp/latent.yaml" \
  | "$Q" lab "$LP" >"$tmp/out" 2>&1; rc=$?
[ "$rc" -eq 1 ] || fail "latent session: exit $rc, expected 1 (rejected commands)"
has "  patch_night       a patch night now"
has "  latent_fault NAME latent fault NAME lands on its servers"
has "  reboot SERVER     graceful shutdown, then a start patch.reboot later"
has "error: unknown latent fault 'subca' (did you mean 'subca-in-root'?)"
has "00:00:00  latent fault subca-in-root lands on its servers, hidden until each one's next start (M7.3)"
has "error: unknown component 'sql9' (did you mean 'sql1'?)"
has "00:00:00  fe1 shut down gracefully (drained first)"
has "00:15:00  fe1 started — fe1 shows latent fault subca-in-root (M7.3)"
has "fe1 is up; latent fault subca-in-root shown at its start (M7.3) breaks presence, conferencing, address_book for the users it serves until it is fixed, 2h after it showed"
has "00:20:00  expect count.latent_shown: 1 — ok"
has "00:20:00  patch night started (M7.1, one member at a time) — fe1 down (graceful)"
has "01:10:00  patch night step (M7) — fe2 back up — fe2 shows latent fault subca-in-root (M7.3)"
has "01:20:00  expect count.latent_shown: 2 — ok"
has "error: usage: patch_night (or 'patch_night pool')"
for step in 'latent_fault: "subca-in-root"' 'reboot: "fe1"' 'patch_night: pool'; do
  grep -qF "$step" "$tmp/latent.yaml" || fail "latent session: no '$step' saved"
done
"$Q" scenario "$LP" "$tmp/latent.yaml" >"$tmp/replay" 2>&1 \
  || { fail "latent session: the saved scenario does not replay"; cat "$tmp/latent.yaml" "$tmp/replay"; }
grep -q "expectations: 2 checked, all hold" "$tmp/replay" || fail "latent session: replay expectations"
# A design without latent faults; reboot needs a server.
printf '%s\n' 'latent_fault x' 'reboot h1' 'reboot' | "$Q" lab "$V" >"$tmp/out" 2>&1
has "error: this design declares no latent faults"
has "error: 'reboot' needs a server, and 'h1' is a host"
has "error: usage: reboot SERVER"

# A rejected command: a message, the session goes on, exit 1.
printf '%s\n' 'crash s9' 'crsh s1' 'advance soon' 'expect pool sideways' 'undo' 'status' \
  | "$Q" lab "$T" >"$tmp/out" 2>&1; rc=$?
[ "$rc" -eq 1 ] || fail "rejected commands: exit $rc, expected 1"
has "error: unknown component 's9'"
has "error: unknown command 'crsh' (did you mean 'crash'?); 'help' lists them"
has "error: expected a duration such as '10m' for 'advance', got 'soon'"
has "error: expected up, down or starting for 'pool', got 'sideways'"
has "nothing to undo"
has "time 00:00:00: pool UP"

# A failed expectation in a piped script: the session goes on, exit 1.
printf '%s\n' 'crash s2' 'expect pool down' 'status' | "$Q" lab "$T" >"$tmp/out" 2>&1; rc=$?
[ "$rc" -eq 1 ] || fail "failed expectation: exit $rc, expected 1"
has "00:00:00  expect pool: down — FAILED: it is up"
has "time 00:00:00: pool UP"

# help lists every command; bad topology and flags exit 2.
echo help | "$Q" lab "$T" | grep -q "save FILE" || fail "help: no save"
"$Q" lab tests/bad/duplicate-name.yaml </dev/null >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad topology: not exit 2"
"$Q" lab --bogus "$T" </dev/null >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad flag: not exit 2"
"$Q" lab </dev/null >/dev/null 2>&1; [ $? -eq 2 ] || fail "no topology: not exit 2"
echo 'crash s1' | "$Q" lab --operator "$T" | grep -q "the operator will run the soft reset" \
  || fail "--operator: no operator advice"

# Through a pseudo-terminal (libedit): python3's pty module, else script(1).
if command -v python3 >/dev/null 2>&1; then
  python3 tests/cli/lab_pty.py "$Q" "$T" >"$tmp/pty" 2>&1; rc=$?
  if [ "$rc" -eq 77 ]; then echo "lab.sh: no pseudo-terminal, pty test skipped"
  elif [ "$rc" -ne 0 ]; then fail "pty session: exit $rc"; cat "$tmp/pty"
  else
    grep -q "now 00:02:00" "$tmp/pty" || fail "pty session: the history recall did not run"
  fi
elif command -v script >/dev/null 2>&1; then
  printf 'crash s1\nstatus\nquit\n' | script -qec "$Q lab $T" /dev/null >"$tmp/pty" 2>&1 \
    || fail "script session: exit non-zero"
  grep -q "fabric: counted, absent" "$tmp/pty" || fail "script session: no status"
else
  echo "lab.sh: neither python3 nor script(1): pty test skipped"
fi

finish "pipe and pseudo-terminal sessions pass"
