#!/usr/bin/env bash
# docs.sh: the documentation covers the command line. Every command listed
# by `quorate --help`, and every long option its `--help` prints, appears
# in docs/cli.md and in the man page docs/quorate.1 (where "-" may be
# written "\-"), and no page says the full simulation refuses failover-
# cluster designs. Run from the repository root with QUORATE set.
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

# The full simulation runs failover-cluster designs (AlwaysOn, FCI, the
# file-share cluster: M4) and counts forced quorums; no page may still say
# it refuses them or that they are only in --static (issue 13).
"$Q" simulate --runs 2 --years 1 topologies/2x-alwayson-fsw-disk.yaml >/dev/null 2>&1 \
  || fail "simulate (full) refuses an AlwaysOn design with a file-share cluster"
for phrase in 'which refuses cluster designs' 'refuses cluster designs' \
              'is only in `--static`' '`forced_quorums`, are in progress' \
              'forced_quorums` is always 0' 'without `--static` exit'; do
  for f in docs/cli.md docs/quorate.1 docs/simulate.md docs/compare.md README.md; do
    grep -qF -- "$phrase" "$f" && fail "$f still says '$phrase'"
  done
done
# The help texts quoted in the docs are the ones the commands print (each
# command's --help is generated from its option table, src/cmd/cli_options.h).
for f in docs/cli.md docs/simulate.md; do
  for c in $(sed -n 's/^usage: quorate \([a-z]*\).*/\1/p' "$f" | sort -u); do
    awk -v c="$c" '/^```/ { if (on) exit; next } $0 ~ "^usage: quorate " c "( |$)" { on = 1 } on' \
      "$f" >"$tmp/doc"
    "$Q" "$c" --help >"$tmp/help" 2>&1
    cmp -s "$tmp/doc" "$tmp/help" ||
      fail "$f quotes a '$c --help' that differs from the command's (regenerate it)"
  done
done
finish "every command and option is documented"
