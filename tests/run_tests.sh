#!/usr/bin/env bash
# run_tests.sh BUILD_DIR: runs every cmocka binary BUILD_DIR/tests/test_* and
# every repository check tests/repo/*.sh and CLI test script tests/cli/*.sh (with QUORATE pointing at the binary;
# tests/cli/lib.sh is what they source, not a test),
# then prints one closing line "tests: N passed, N failed". Exit 1 on failure.
set -u
build=${1:-build}
export QUORATE="$build/quorate"
export QUORATE_BUILD="$build"
pass=0 fail=0 failed=()
for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  case "$t" in *.o|*.d) continue ;; esac
  if "$t" >"$t.log" 2>&1; then pass=$((pass+1)); else fail=$((fail+1)); failed+=("$t"); cat "$t.log"; fi
done
for s in tests/repo/*.sh tests/cli/*.sh; do
  [ -f "$s" ] || continue
  [ "$s" = tests/cli/lib.sh ] && continue   # sourced by the others, not a test
  log="$build/tests/$(basename "$(dirname "$s")")-$(basename "$s" .sh).log"
  mkdir -p "$build/tests"
  if bash "$s" >"$log" 2>&1; then pass=$((pass+1)); else fail=$((fail+1)); failed+=("$s"); cat "$log"; fi
done
for f in "${failed[@]+"${failed[@]}"}"; do echo "FAILED: $f"; done
echo "tests ($build): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
