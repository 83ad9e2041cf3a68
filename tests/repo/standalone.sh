#!/usr/bin/env bash
# standalone.sh: the repository stands alone. No tracked file may cite the
# working notes that live outside it (model.md, domain.md, style.md, a
# ../shared or /work/shared folder, shared/bench, shared/seed): a reader of a
# clone could not follow such a citation. Cite instead the public sources by
# their keys (docs/sources.md) and the behaviour rules by ID (M1.2, described
# in docs/simulate.md). tests/repo/paths.sh checks that cited repository paths
# exist; this script checks the paths outside it.
# Run from anywhere; prints file:line for each citation, exits 1 if any.
set -u
cd "$(dirname "$0")/../.." || exit 2
git rev-parse --git-dir >/dev/null 2>&1 || { echo "standalone: not a git checkout, skipped"; exit 0; }
pattern='(^|[^[:alnum:]_-])(model|domain|style)\.md([^[:alnum:]_]|$)|\.\./shared([^[:alnum:]_]|$)|/work/shared|(^|[^[:alnum:]_./-])shared/(bench|seed|hooks)/'
files=$(git ls-files | wc -l)
# -I skips binary files; the pathspec leaves this script (which must name
# the patterns) out.
hits=$(git grep -nIE "$pattern" -- . ':!tests/repo/standalone.sh')
if [ -n "$hits" ]; then
  printf '%s\n' "$hits" | while IFS= read -r h; do
    f=${h%%:*}; rest=${h#*:}; line=${rest%%:*}; text=${rest#*:}
    printf '%s:%s: error: cites a file outside the repository: %s\n' "$f" "$line" "$(printf '%s' "$text" | sed 's/^[[:space:]]*//' | cut -c1-100)"
  done
  echo "standalone: $files tracked files, $(printf '%s\n' "$hits" | wc -l) citations of files outside the repository"
  exit 1
fi
echo "standalone: $files tracked files, none cites a file outside the repository"
