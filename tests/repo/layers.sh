#!/usr/bin/env bash
# layers.sh: every include of src/ and sim/ points down the layers.
#
# The folders are layers, lowest first; each line says which folders a file
# in that folder may include ("model/topology.h" is folder model,
# "sim/engine.h" and everything below sim/ is folder sim). An include that
# names a folder not listed for its file, or a project header without its
# folder, fails the test with file:line. Run from the repository root.
set -u
cd "$(dirname "$0")/../.."
declare -A allowed=(
  [util]="util"
  [model]="util model"
  [check]="util model check"
  [exact]="util model exact"
  [sim]="util model exact sim"
  [compare]="util model exact sim compare"
  [lab]="util model sim lab"
  [plan]="util model check exact sim compare plan"
  [out]="util model check exact sim compare lab plan out"
  [cmd]="util model check exact sim compare lab plan out cmd"
)
layer_of() {   # path of a file or an include -> its folder (layer)
  case "$1" in
    sim/*) echo sim ;;
    src/*) local r=${1#src/}; echo "${r%%/*}" ;;
    *)     echo "${1%%/*}" ;;
  esac
}
bad=0 checked=0
while IFS= read -r f; do
  from=$(layer_of "$f")
  if [ -z "${allowed[$from]+x}" ]; then
    echo "$f: error: folder '$from' is not a known layer (add it to tests/repo/layers.sh)"; bad=$((bad+1)); continue
  fi
  while IFS=: read -r line inc; do
    checked=$((checked+1))
    case "$inc" in
      */*) ;;
      *) echo "$f:$line: error: include \"$inc\" does not name its folder"; bad=$((bad+1)); continue ;;
    esac
    to=$(layer_of "$inc")
    case " ${allowed[$from]} " in
      *" $to "*) ;;
      *) echo "$f:$line: error: '$from' may not include \"$inc\" (layer '$to'; allowed: ${allowed[$from]})"; bad=$((bad+1)) ;;
    esac
    [ -f "src/$inc" ] || [ -f "$inc" ] || { echo "$f:$line: error: \"$inc\" does not exist"; bad=$((bad+1)); }
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" | sed -E 's/^([0-9]+):.*"([^"]+)".*/\1:\2/')
done < <(find src sim -name '*.[ch]' | LC_ALL=C sort)
if [ "$checked" -lt 100 ]; then echo "layers: only $checked includes found: the scan is broken"; bad=$((bad+1)); fi
echo "layers: $checked includes checked, $bad errors"
[ "$bad" -eq 0 ]
