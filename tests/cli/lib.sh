# lib.sh: what every CLI test shares. Source it first thing, from the
# repository root (tests/run_tests.sh runs the scripts from there, and skips
# this file):
#
#   . "$(dirname "$0")/lib.sh"
#
# It sets `set -u`, Q (the binary: $QUORATE, else build/quorate), fails=0,
# and tmp, a fresh directory removed when the script exits; and defines
#
#   fail MSG...        print "FAIL: MSG" and count one failure
#   expect RC ARGS...  run `quorate ARGS`, stdout in $tmp/out, stderr in
#                      $tmp/err; a failure (with the first lines of both)
#                      unless it exits RC. With EXPECT_TIMEOUT=N set, a run
#                      longer than N seconds is killed (and so fails)
#   have_python        true when python3 and its json module are there
#   json_ok FILE       true when FILE holds valid JSON (python3, else jq)
#   goldens DIR [WORD...]  every DIR/NAME.txt against the output (stdout
#                      and stderr together) of `quorate WORD... ARGS`, with
#                      ARGS and the exit status in DIR/NAME.args ("# args:
#                      ...", "# exit: N"); a failure per difference
#   finish [MESSAGE]   the last line: "NAME: N failure(s)" and exit 1 after
#                      any failure, else "NAME: MESSAGE" (default "ok")
#                      and exit 0; NAME is the script's file name
set -u
Q=${QUORATE:-build/quorate}
fails=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

expect() {
  local want=$1; shift
  ${EXPECT_TIMEOUT:+timeout "$EXPECT_TIMEOUT"} "$Q" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "quorate $* exited $rc, expected $want"
    sed 's/^/  | /' "$tmp/out" "$tmp/err" | head -20
  fi
}

have_python() { command -v python3 >/dev/null 2>&1 && python3 -c 'import json' 2>/dev/null; }

json_ok() {
  if have_python; then python3 -c 'import json,sys; json.load(sys.stdin)' <"$1"
  else jq . <"$1" >/dev/null; fi
}

goldens() {
  local dir=$1 g name args want_rc rc
  shift
  for g in "$dir"/*.txt; do
    name=$(basename "$g" .txt)
    args=$(sed -n 's/^# args: //p' "$dir/$name.args")
    want_rc=$(sed -n 's/^# exit: //p' "$dir/$name.args")
    # shellcheck disable=SC2086
    "$Q" "$@" $args >"$tmp/golden.out" 2>&1
    rc=$?
    [ "$rc" -eq "$want_rc" ] || fail "golden $name: exit $rc, expected $want_rc"
    if ! diff -u "$g" "$tmp/golden.out" >"$tmp/golden.diff"; then
      fail "golden $name differs"
      cat "$tmp/golden.diff"
    fi
  done
}

finish() {
  local name
  name=$(basename "$0")
  if [ "$fails" -ne 0 ]; then
    echo "$name: $fails failure(s)"
    exit 1
  fi
  echo "$name: ${1:-ok}"
  exit 0
}
