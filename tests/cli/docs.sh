#!/usr/bin/env bash
# docs.sh: the documentation covers the command line. Every command listed
# by `quorate --help`, and every long option its `--help` prints, appears
# in docs/cli.md and in the man page docs/quorate.1 (where "-" may be
# written "\-"). Run from the repository root with QUORATE set.
. "$(dirname "$0")/lib.sh"
man_has() { grep -qF -- "$1" docs/quorate.1 || grep -qF -- "${1//-/\\-}" docs/quorate.1; }

cmds=$("$Q" --help | sed -n '/^commands:/,/^$/p' | awk 'NF && $1 != "commands:" {print $1}')
[ -n "$cmds" ] || fail "no commands in quorate --help"
for c in $cmds; do
  grep -q "^## $c\b" docs/cli.md || fail "docs/cli.md has no '## $c' section"
  man_has "$c" || fail "docs/quorate.1 does not mention $c"
  "$Q" "$c" --help >"$tmp/help" 2>&1 || fail "quorate $c --help exits non-zero"
  for opt in $(grep -oE -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
    grep -qF -- "$opt" docs/cli.md || fail "docs/cli.md lacks $c $opt"
    man_has "$opt" || fail "docs/quorate.1 lacks $c $opt"
  done
done
finish "every command and option is documented"
