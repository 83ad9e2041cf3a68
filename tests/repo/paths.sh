#!/usr/bin/env bash
# paths.sh: every repository path that the docs, the README and the code
# comments cite (src/..., sim/..., tests/..., docs/..., topologies/...)
# exists, so that moving or renaming a file cannot leave a stale reference.
# Run from the repository root; prints file:line for each missing path.
set -u
cd "$(dirname "$0")/../.."
bad=0 checked=0
while IFS= read -r f; do
  while IFS=: read -r line path; do
    checked=$((checked+1))
    path=${path%\\n}; path=${path%.}; path=${path//\\/}                    # roff writes '-' as '\-'
    case "$path" in *'<'*|*[{}]*|*NAME*) continue ;; esac           # templates, ${v#src/}
    case "$path" in
      *'*'*) compgen -G "$path" >/dev/null || { echo "$f:$line: error: cites '$path', which matches no file"; bad=$((bad+1)); }
             continue ;;                                             # a glob: matches something
    esac
    [ -e "$path" ] || { echo "$f:$line: error: cites '$path', which does not exist"; bad=$((bad+1)); }
  done < <(grep -noE '(^|[^[:alnum:]_./-])(src|sim|tests|docs|topologies)/[[:alnum:]_./*<>{}\\-]*[[:alnum:]_*>}]' "$f" \
           | sed -E 's/^([0-9]+):[^[:alnum:]]?/\1:/' | grep -vE ':(src|sim|tests|docs|topologies)/$')
done < <(git ls-files 'README.md' 'HACKING.md' 'docs/*.md' 'docs/labs/*.md' 'docs/quorate.1' 'src/*.[ch]' 'sim/*.[ch]' 'tests/*.sh' 'Makefile' | LC_ALL=C sort)
echo "paths: $checked citations checked, $bad errors"
[ "$bad" -eq 0 ]
