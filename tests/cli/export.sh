#!/usr/bin/env bash
# export.sh: `quorate export --format mef` end to end. Exit codes (0
# written; 1 a topology with errors; 2 bad flags, bad format, missing
# file), options anywhere, `-` for standard input, -o FILE; the export of
# every bundled design is well-formed XML with the expected structure
# (tests/cli/mef_check.py, python3's xml.etree); and, when Debian's `scram`
# is installed, SCRAM's exact BDD analysis of every export is compared with
# quorate's exact unavailability of every feature: SCRAM's printed
# probabilities (6 significant digits) to their rounding, and the
# probability of SCRAM's minimal cut sets (no cut-off, no order limit) to
# 1e-9 relative; the exact values written are those of `quorate analyze
# --json`, and SCRAM's smallest minimal cut sets are analyze's smallest cuts
# for every feature with one top event. Without scram that part is skipped
# with a note. Designs with common-cause groups are exported with
# <define-CCF-group> and checked the same way with `scram --ccf true`.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

M=topologies/2x-mirror-witness.yaml

# ---- command line ----
expect 0 export --help
grep -q -- '--format' "$tmp/out" || fail "export --help does not document --format"
grep -q -- '--output' "$tmp/out" || fail "export --help does not document --output"
expect 2 export
expect 2 export "$M" --format dot
grep -q "expected mef" "$tmp/err" || fail "bad --format does not say what is expected"
expect 2 export "$M" --bogus
expect 2 export "$M" "$M"
expect 2 export "$M" -o
expect 2 export "$tmp/missing.yaml"
expect 1 export tests/bad/duplicate-name.yaml
grep -q "error" "$tmp/err" || fail "a topology with errors is not reported"

# Options anywhere; the default format is mef; stdin; -o FILE.
expect 0 export --format mef "$M"
cp "$tmp/out" "$tmp/a.xml"
expect 0 export "$M"
cmp -s "$tmp/out" "$tmp/a.xml" || fail "the default format differs from --format mef"
expect 0 export --format=mef - <"$M"
cmp -s "$tmp/out" "$tmp/a.xml" || fail "export of standard input differs from the file's"
expect 0 export -o "$tmp/b.xml" "$M" --format mef
[ -s "$tmp/out" ] && fail "export -o FILE also wrote to standard output"
cmp -s "$tmp/b.xml" "$tmp/a.xml" || fail "export -o FILE differs from standard output"
expect 2 export "$M" -o "$tmp/no/such/dir.xml"
grep -qF "cannot write '$tmp/no/such/dir.xml'" "$tmp/err" || fail "export: unwritable -o not reported"
# A directory as the target: an error, and nothing left beside it.
mkdir "$tmp/adir"
expect 2 export "$M" -o "$tmp/adir"
[ -z "$(ls "$tmp" | grep '^adir\.')" ] || fail "export -o DIR left a temporary file"

# Beyond 24 components to enumerate: the fault trees are still written,
# without the exact attributes, and a note says why.
{
  printf 'name: big\ndefaults:\n  server: { mtbf: 6mo, mttr: 4h }\n  host: { mtbf: 2y, mttr: 8h }\n'
  printf 'sites: [ { name: dc1 } ]\nhosts:\n'
  for i in 01 02 03 04 05 06 07 08 09 10 11 12; do printf '  - { name: hv%s, site: dc1 }\n' $i; done
  printf 'servers:\n'
  for i in 01 02 03 04 05 06 07 08 09 10 11 12; do printf '  - { name: fe%s, host: hv%s }\n' $i $i; done
  printf '  - { name: %s, site: dc1 }\n' sql1 sql2 sqlw fs1
  printf 'pool:\n  version: sfb2015\n'
  printf '  frontends: [fe01, fe02, fe03, fe04, fe05, fe06, fe07, fe08, fe09, fe10, fe11, fe12]\n'
  printf '  backend: { mirroring: { principal: sql1, mirror: sql2, witness: sqlw } }\n'
  printf '  file_store: { share: fs1 }\n'
} >"$tmp/big.yaml"
expect 0 export "$tmp/big.yaml" -o "$tmp/big.xml"
grep -q "note: no exact values" "$tmp/err" || fail "a design too big to enumerate gives no note"
grep -q 'name="unavailability"' "$tmp/big.xml" && fail "a design too big to enumerate has exact attributes"
grep -q '<define-fault-tree name="presence">' "$tmp/big.xml" || fail "the big design's export has no presence tree"
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$tmp/big.xml" ||
    fail "the big design's export is not well-formed XML"
fi
if command -v scram >/dev/null 2>&1; then
  scram --bdd --probability true "$tmp/big.xml" -o "$tmp/big.report.xml" >"$tmp/scram.log" 2>&1 ||
    { fail "scram rejected the big design's export"; cat "$tmp/scram.log"; }
fi

# ---- every bundled design: structure, and SCRAM when installed ----
if ! command -v python3 >/dev/null 2>&1; then
  echo "export.sh: python3 not installed: XML checks skipped"
else
  have_scram=0
  if command -v scram >/dev/null 2>&1; then have_scram=1; else
    echo "export.sh: scram not installed (apt-get install scram): SCRAM comparison skipped"
  fi
  for t in topologies/*.yaml; do
    b=$(basename "$t" .yaml)
    x="$tmp/$b.xml"
    if ! "$Q" export --format mef "$t" -o "$x" 2>"$tmp/err"; then
      fail "export of $t failed"; cat "$tmp/err"; continue
    fi
    grep -q '<atleast min=' "$x" || fail "$b: no atleast gate in the export"
    if [ "$have_scram" -eq 0 ]; then
      python3 tests/cli/mef_check.py "$x" || fail "$b: the export's structure"
      continue
    fi
    n=$(grep -c '<define-basic-event ' "$x")
    if ! scram --bdd --probability true --cut-off 0 --limit-order $((n + 1)) \
         "$x" -o "$tmp/$b.report.xml" >"$tmp/scram.log" 2>&1; then
      fail "$b: scram rejected the export"; cat "$tmp/scram.log"; continue
    fi
    if ! "$Q" analyze --json "$t" >"$tmp/$b.analyze.json" 2>"$tmp/err"; then
      fail "quorate analyze --json $t failed"; cat "$tmp/err"; continue
    fi
    echo "== $b ($n basic events)"
    python3 tests/cli/mef_check.py "$x" "$tmp/$b.report.xml" "$tmp/$b.analyze.json" ||
      fail "$b: SCRAM disagrees"
  done
fi

# ---- common-cause groups (<define-CCF-group>), SCRAM with --ccf true ----
# 5.x with a beta-factor group on the front ends, an MGL group on the two
# SQL partners and an alpha-factor group on the witness and the partners:
# every model SCRAM implements, checked to 1e-9 against quorate's exact view.
for g in "fe-build: { members: [fe1, fe2, fe3], beta: 10% }" \
         "sql: { members: [sql1, sql2], model: mgl, beta: 5% }|w: { members: [sqlw, fe1, fe2, fe3], model: alpha-factor, alpha: [90%, 5%, 3%, 2%] }" \
         "fe-mgl: { members: [fe1, fe2, fe3], model: mgl, beta: 10%, gamma: 40% }"; do
  {
    grep -v '^#' topologies/5x-recommended.yaml
    echo "common_cause:"
    echo "$g" | tr '|' '\n' | sed -E 's/^([a-z-]+): \{ /  - { name: \1, /'
  } >"$tmp/ccf.yaml"
  expect 0 export "$tmp/ccf.yaml" -o "$tmp/ccf.xml"
  grep -q '<define-CCF-group ' "$tmp/ccf.xml" || fail "no CCF group in the export of: $g"
  grep -q 'name="unavailability"' "$tmp/ccf.xml" || fail "no exact values with: $g"
  if command -v scram >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
    if ! scram --bdd --ccf true --probability true --cut-off 0 --limit-order 30 \
         "$tmp/ccf.xml" -o "$tmp/ccf.report.xml" >"$tmp/scram.log" 2>&1; then
      fail "scram rejected the CCF export ($g)"; cat "$tmp/scram.log"; continue
    fi
    "$Q" analyze --json "$tmp/ccf.yaml" >"$tmp/ccf.analyze.json" 2>"$tmp/err" ||
      fail "quorate analyze --json of the CCF design failed"
    echo "== 5x-recommended with $g"
    python3 tests/cli/mef_check.py "$tmp/ccf.xml" "$tmp/ccf.report.xml" "$tmp/ccf.analyze.json" ||
      fail "SCRAM disagrees on the CCF design ($g)"
  fi
done

finish "all passed"
