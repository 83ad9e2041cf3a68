#!/usr/bin/env bash
# rule_ids.sh: a misspelt rule ID does not compile. Diagnostics name their
# rule by the enum of src/model/rule_ids.h (QR_RULE_P004), and the prose
# table src/check/rule_table.h must have exactly one row per ID; this
# compiles small files with the build's flags (-Wall -Wextra -Werror) and
# expects each mistake to fail, for the right reason (the compiler names
# the wrong ID, or the static assertion), next to a control that compiles.
# Uses $CC (default cc). Run from anywhere; exits 1 on any surprise.
set -u
cd "$(dirname "$0")/../.." || exit 2
cc=${CC:-cc}
command -v "${cc%% *}" >/dev/null 2>&1 || { echo "rule_ids: no compiler '$cc', skipped"; exit 0; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
flags=(-std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -fsyntax-only)
bad=0 n=0

# compiles NAME WANT FILE [FLAG...]: WANT ok or fail; with fail, the
# compiler's output must match the extended regex in $expect.
compiles() {
  local name=$1 want=$2 file=$3; shift 3
  n=$((n+1))
  if $cc "${flags[@]}" "$@" -Isrc -I. "$file" >"$tmp/out" 2>&1; then got=ok; else got=fail; fi
  if [ "$got" != "$want" ]; then
    echo "rule_ids: $name: expected the compile to $want ($want = ok: compile, fail: be refused), it did not:"
    sed 's/^/  /' "$tmp/out"; bad=$((bad+1))
  elif [ "$want" = fail ] && ! grep -qE -- "$expect" "$tmp/out"; then
    echo "rule_ids: $name: refused, but not for '$expect':"; sed 's/^/  /' "$tmp/out"; bad=$((bad+1))
  fi
}

call() {   # a file reporting one diagnostic with the rule argument $1
  cat >"$tmp/call.c" <<C
#include "model/diag.h"
void report(qr_diags *d);
void report(qr_diags *d)
{
    qr_diag_add(d, QR_SEV_ERROR, (qr_loc){ 1, 1 }, $1, "bad value");
}
C
}

call QR_RULE_P004
compiles "a listed ID (control)" ok "$tmp/call.c"
call QR_RULE_P0O4; expect=QR_RULE_P0O4
compiles "a misspelt ID" fail "$tmp/call.c"
call QR_RULE_BE009; expect=QR_RULE_BE009
compiles "an ID not in the list" fail "$tmp/call.c"
call '"P004"'; expect=P004
compiles "an ID as a string" fail "$tmp/call.c"

# The prose table, changed in a copy found before src/ on the include path.
mkdir -p "$tmp/check" "$tmp/model"
cp src/check/rule_table.h "$tmp/check/rule_table.h"
compiles "the table as it is (control)" ok src/check/rules.c -I"$tmp"
sed 's/X(BE002, /X(BE02, /' src/check/rule_table.h >"$tmp/check/rule_table.h"; expect=QR_RULE_BE02
compiles "a misspelt ID in the table" fail src/check/rules.c -I"$tmp"
sed 's/X(BE002, /X(BE001, /' src/check/rule_table.h >"$tmp/check/rule_table.h"
expect='override-init|initializer-overrides'    # gcc | clang
compiles "two rows for one ID" fail src/check/rules.c -I"$tmp"
cp src/check/rule_table.h "$tmp/check/rule_table.h"
sed 's/X(AS001)/X(AS001) X(AS002)/' src/model/rule_ids.h >"$tmp/model/rule_ids.h"; expect=rule_table.h
compiles "an ID without a row" fail src/check/rules.c -I"$tmp"
cmp -s "$tmp/model/rule_ids.h" src/model/rule_ids.h && { echo "rule_ids: the list edit did not apply"; bad=$((bad+1)); }

echo "rule_ids: $n compiles checked with $cc, $bad errors"
[ "$bad" -eq 0 ]
