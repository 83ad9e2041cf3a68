#!/usr/bin/env bash
# check.sh: `quorate check` end to end. Exit codes 0/1/2 (clean file, errors,
# warnings with and without --strict, missing file, bad flags), exact text
# output against tests/cli/golden/*.txt, the JSON report parsed and checked,
# the SARIF log checked field by field, --output written atomically, every
# tests/bad/*.yaml refused with a file:line:col error, every bundled
# topologies/*.yaml accepted, and --list-rules agreeing with docs/rules.md.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"
R=tests/rules
G=tests/cli/golden

# JSON checks need a JSON parser: Debian's python3, else jq.
PY=""
for p in ${CHECK_PYTHON-/usr/bin/python3 python3}; do
  if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import json' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ] && ! command -v jq >/dev/null 2>&1; then
  echo "check.sh: needs python3 or jq to check JSON output" >&2
  exit 1
fi

# ---- exit codes ----
expect 0 check "$R/BE001-good.yaml"                       # clean
grep -q '^quorate: 1 file checked: 0 errors, 0 warnings, 0 notes$' "$tmp/out" \
  || fail "clean file: summary line"
expect 1 check "$R/BE006-bad.yaml"                        # a design error
expect 0 check --strict topologies/dr/*.yaml              # the paired design (M10): clean
grep -q '^quorate: 1 file checked: 0 errors, 0 warnings, 0 notes$' "$tmp/out" \
  || fail "topologies/dr/paired-pools.yaml is not clean"
expect 1 check "$R/PP001-bad.yaml"                        # a pairing error (PP001)
grep -q "error: pool 'pool1' is paired with 'pool2', but 'pool2' names no partner" "$tmp/out" \
  || fail "PP001 not printed"
# analyze and export take a paired design (its exact view, tests/cli/pairing.sh);
# graph draws one pool at a time and says so without --pool (exit 2).
expect 0 analyze topologies/dr/paired-pools.yaml
expect 0 export topologies/dr/paired-pools.yaml
expect 2 graph topologies/dr/paired-pools.yaml </dev/null
grep -q "graph one at a time with --pool NAME" "$tmp/err" || fail "graph: no hint at --pool for a paired design"
expect 0 check "$R/BE002-bad.yaml"                        # warnings only
grep -q 'warning: .*\[BE002\]$' "$tmp/out" || fail "BE002 warning not printed"
expect 1 check --strict "$R/BE002-bad.yaml"               # warnings fail with --strict
expect 0 check --strict "$R/FE008-bad.yaml"               # a note never fails
grep -q 'note: .*\[FE008\]$' "$tmp/out" || fail "FE008 note not printed"
expect 2 check "$tmp/no-such-file.yaml"                   # unreadable
grep -q "^$tmp/no-such-file.yaml: error: " "$tmp/out" || fail "missing file: no 'file: error:' line"
expect 2 check "$R/BE001-good.yaml" "$tmp/no-such-file.yaml"   # I/O error wins
expect 1 check "$R/BE001-good.yaml" "$R/BE006-bad.yaml"        # any error fails
expect 2 check --bogus "$R/BE001-good.yaml"
grep -q "unknown option '--bogus'" "$tmp/err" || fail "bad flag: no message on stderr"
expect 2 check --format xml "$R/BE001-good.yaml"
expect 2 check --format
expect 2 check --output
expect 2 check                                            # no file
expect 2 check --strict
expect 0 check --help
for w in --format --strict --output --list-rules text json sarif 'exit status' '0  no errors' \
         '1  errors found' '2  usage or I/O error'; do
  grep -q -- "$w" "$tmp/out" || fail "check --help does not mention '$w'"
done
expect 0 --help
grep -q '^  check ' "$tmp/out" || fail "quorate --help does not list check"
expect 0 check -- "$R/BE001-good.yaml"                    # -- ends the options

# ---- golden text output (exact) ----
goldens "$G" check

# ---- JSON ----
json_files=("$R/BE002-bad.yaml" "$R/BE006-bad.yaml" "$R/BE001-good.yaml" "$tmp/no-such-file.yaml")
"$Q" check --format json "${json_files[@]}" >"$tmp/report.json"
[ $? -eq 2 ] || fail "json: exit status"
"$Q" check "${json_files[@]}" >"$tmp/report.txt"
if [ -n "$PY" ]; then
  "$PY" - "$tmp/report.json" "$tmp/report.txt" "${json_files[@]}" <<'PYEOF' || fail "json report"
import json, sys
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().splitlines()
files = sys.argv[3:]
def check(cond, what):
    if not cond:
        print("json:", what); sys.exit(1)
check(doc["format_version"] == 1, "format_version")
check(doc["tool"]["name"] == "quorate" and doc["tool"]["version"], "tool")
check([f["file"] for f in doc["files"]] == files, "one entry per file, in order")
lines = []
tot = {"errors": 0, "warnings": 0, "notes": 0}
for f in doc["files"]:
    counts = {"error": 0, "warning": 0, "note": 0}
    for d in f["diagnostics"]:
        check(set(d) == {"file", "line", "column", "severity", "rule", "message"}, "diagnostic keys")
        check(d["file"] == f["file"], "diagnostic file")
        check(isinstance(d["line"], int) and isinstance(d["column"], int), "line/column ints")
        counts[d["severity"]] += 1
        loc = "%s:%d:%d" % (d["file"], d["line"], d["column"]) if d["line"] else d["file"]
        lines.append("%s: %s: %s [%s]" % (loc, d["severity"], d["message"], d["rule"]))
    check(f["errors"] == counts["error"] and f["warnings"] == counts["warning"]
          and f["notes"] == counts["note"], "per-file counts of " + f["file"])
    for k in tot:
        tot[k] += f[k]
check(doc["totals"] == dict(files=len(files), **tot), "totals")
check(lines == text[:-1], "same diagnostics as the text report")
check(any(d["rule"] == "BE006" and d["severity"] == "error"
          for f in doc["files"] for d in f["diagnostics"]), "BE006 present")
PYEOF
else
  jq -e --argjson n "${#json_files[@]}" '
    .format_version == 1 and .tool.name == "quorate" and (.tool.version | length) > 0
    and (.files | length) == $n and .totals.files == $n
    and all(.files[]; . as $f
        | .errors == ([.diagnostics[] | select(.severity == "error")] | length)
        and .warnings == ([.diagnostics[] | select(.severity == "warning")] | length)
        and .notes == ([.diagnostics[] | select(.severity == "note")] | length)
        and all(.diagnostics[]; .file == $f.file and (.line | type) == "number"
                and (.column | type) == "number" and (.rule | length) > 0
                and (.message | length) > 0))
    and .totals.errors == ([.files[].errors] | add)
    and .totals.warnings == ([.files[].warnings] | add)
    and .totals.notes == ([.files[].notes] | add)
    and ([.files[].diagnostics[] | select(.rule == "BE006" and .severity == "error")] | length) == 1' \
    "$tmp/report.json" >/dev/null || fail "json report (jq)"
fi

# ---- SARIF ----
sarif_files=("$R/BE002-bad.yaml" "$R/BE006-bad.yaml" "$R/BE001-good.yaml" "$tmp/no-such-file.yaml")
"$Q" check --format sarif "${sarif_files[@]}" >"$tmp/report.sarif"
[ $? -eq 2 ] || fail "sarif: exit status"
"$Q" check --list-rules >"$tmp/rules.txt" || fail "--list-rules exit status"
if [ -n "$PY" ]; then
  "$PY" - "$tmp/report.sarif" "$tmp/report.json" "$tmp/rules.txt" <<'PYEOF' || fail "sarif log"
import json, sys
log = json.load(open(sys.argv[1]))
rep = json.load(open(sys.argv[2]))
listed = [l.split()[0] for l in open(sys.argv[3]) if l.strip()]
def check(cond, what):
    if not cond:
        print("sarif:", what); sys.exit(1)
check(log["$schema"].startswith("https://") and log["$schema"].endswith("sarif-schema-2.1.0.json"), "$schema")
check(log["version"] == "2.1.0", "version")
check(len(log["runs"]) == 1, "one run")
run = log["runs"][0]
drv = run["tool"]["driver"]
check(drv["name"] == "quorate" and drv["version"] == rep["tool"]["version"], "driver name/version")
check(drv["informationUri"].startswith("https://"), "informationUri")
rules = drv["rules"]
check([r["id"] for r in rules] == listed, "rules[] are the rule table, in order")
for r in rules:
    for k in ("id", "name"):
        check(isinstance(r[k], str) and r[k], "rule " + k)
    for k in ("shortDescription", "fullDescription", "help"):
        check(isinstance(r[k]["text"], str) and r[k]["text"], "rule %s %s.text" % (r["id"], k))
    check(r["defaultConfiguration"]["level"] in ("error", "warning", "note"), "rule level")
diags = [(f["file"], d) for f in rep["files"] for d in f["diagnostics"]]
results = run["results"]
check(len(results) == len(diags), "one result per diagnostic")
for res, (file, d) in zip(results, diags):
    check(res["ruleId"] == d["rule"], "ruleId")
    check(rules[res["ruleIndex"]]["id"] == res["ruleId"], "ruleIndex points at the rule")
    check(res["level"] == d["severity"], "level")
    check(res["message"]["text"] == d["message"], "message.text")
    locs = res["locations"]
    check(len(locs) == 1, "one location")
    pl = locs[0]["physicalLocation"]
    uri = pl["artifactLocation"]["uri"]
    check(uri == file or uri == "file://" + file, "artifactLocation.uri " + uri)
    if d["line"] == 0 and d["column"] == 0:
        check("region" not in pl, "no region for 0:0")
    else:
        check(pl["region"]["startLine"] == d["line"] and pl["region"]["startColumn"] == d["column"],
              "region")
check(any(r["ruleId"] == "BE006" and r["level"] == "error" for r in results), "BE006 result")
PYEOF
else
  jq -e --slurpfile rep "$tmp/report.json" --rawfile listed "$tmp/rules.txt" '
    ($listed | split("\n") | map(select(length > 0) | split(" ")[0])) as $ids
    | ([$rep[0].files[] | .file as $file | .diagnostics[] | . + {f: $file}]) as $diags
    | (.["$schema"] | endswith("sarif-schema-2.1.0.json")) and .version == "2.1.0"
    and (.runs | length) == 1
    and (.runs[0].tool.driver as $d
        | $d.name == "quorate" and $d.version == $rep[0].tool.version
        and ($d.informationUri | startswith("https://"))
        and ([$d.rules[].id] == $ids)
        and all($d.rules[]; (.name | length) > 0 and (.shortDescription.text | length) > 0
                and (.fullDescription.text | length) > 0 and (.help.text | length) > 0
                and (.defaultConfiguration.level | IN("error", "warning", "note"))))
    and (.runs[0].results | length) == ($diags | length)
    and ([.runs[0].results, $diags] | transpose | all(.[]; .[0] as $r | .[1] as $g
        | $r.ruleId == $g.rule and $ids[$r.ruleIndex] == $r.ruleId and $r.level == $g.severity
        and $r.message.text == $g.message
        and ($r.locations | length) == 1
        and ($r.locations[0].physicalLocation as $p
            | ($p.artifactLocation.uri == $g.f or $p.artifactLocation.uri == "file://" + $g.f)
            and (if $g.line == 0 then ($p | has("region") | not)
                 else $p.region.startLine == $g.line and $p.region.startColumn == $g.column end))))' \
    "$tmp/report.sarif" >/dev/null || fail "sarif log (jq)"
fi

# ---- --output: same bytes as stdout, written whole, nothing left behind ----
mkdir "$tmp/outdir"
for fmt in text json sarif; do
  "$Q" check --format "$fmt" "$R/BE002-bad.yaml" >"$tmp/stdout.$fmt"
  expect 0 check --format "$fmt" --output "$tmp/outdir/report.$fmt" "$R/BE002-bad.yaml"
  [ -s "$tmp/out" ] && fail "--output $fmt: also wrote to stdout"
  cmp -s "$tmp/stdout.$fmt" "$tmp/outdir/report.$fmt" || fail "--output $fmt: differs from stdout"
done
echo "old" >"$tmp/outdir/keep.txt"
expect 1 check -o "$tmp/outdir/keep.txt" "$R/BE006-bad.yaml"   # replaces an old report
grep -q 'BE006' "$tmp/outdir/keep.txt" || fail "--output did not replace the old file"
expect 2 check --output "$tmp/no-such-dir/report.txt" "$R/BE001-good.yaml"
grep -q "cannot write" "$tmp/err" || fail "--output to a missing directory: no message"
mkdir "$tmp/outdir/taken"                                   # rename over a directory fails
expect 2 check --output "$tmp/outdir/taken" "$R/BE001-good.yaml"
[ -d "$tmp/outdir/taken" ] || fail "--output replaced a directory"
[ "$(ls "$tmp/outdir" | wc -l)" -eq 5 ] || { fail "--output left temporary files"; ls "$tmp/outdir"; }

# ---- every bad topology is refused with file:line:col: error: ----
# A problem of the whole file (empty, only comments, an alias bomb: P010 at
# 0:0 in the loader's API) has no position and prints as "file: error:".
n_bad=0 n_whole=0
for f in tests/bad/*.yaml; do
  [ -f "$f" ] || continue
  n_bad=$((n_bad + 1))
  "$Q" check "$f" >"$tmp/bad.out" 2>&1
  rc=$?
  if [ "$rc" -ne 1 ] && [ "$rc" -ne 2 ]; then
    fail "$f: exit $rc, expected 1 or 2"
  fi
  if grep -q "^$f:[1-9][0-9]*:[1-9][0-9]*: error: .* \[P0[0-9][0-9]\]\$" "$tmp/bad.out"; then
    :
  elif grep -q "^$f: error: .* \[P010\]\$" "$tmp/bad.out"; then
    n_whole=$((n_whole + 1))
  else
    fail "$f: no '$f:line:col: error:' diagnostic"
    cat "$tmp/bad.out"
  fi
done
echo "check.sh: $n_bad files of tests/bad refused ($n_whole about the whole file)"

# ---- every bundled design is accepted ----
for f in topologies/*.yaml; do
  [ -f "$f" ] || continue
  expect 0 check "$f"
done

# ---- --list-rules and docs/rules.md list the same IDs ----
cut -d' ' -f1 "$tmp/rules.txt" >"$tmp/ids.list"
sed -n 's/^## \([A-Z][A-Z]*[0-9][0-9][0-9]\) .*/\1/p' docs/rules.md >"$tmp/ids.docs"
diff -u "$tmp/ids.list" "$tmp/ids.docs" >/dev/null || { fail "--list-rules and docs/rules.md differ"; diff -u "$tmp/ids.list" "$tmp/ids.docs"; }
[ "$(wc -l <"$tmp/ids.list")" -ge 30 ] || fail "--list-rules lists too few rules"

# ---- a file of another kind: one P011, not an unknown key per key ----
# (issue 13: `check` on the planner's example gave 9 errors.)
one_p011() { # what, expected words, command...
  local what=$1 words=$2; shift 2
  "$Q" "$@" >"$tmp/kind.err" 2>&1; local rc=$?
  [ "$rc" -eq 1 ] || fail "$what: exit $rc, expected 1"
  [ "$(grep -c 'error:' "$tmp/kind.err")" -eq 1 ] && grep -q "\[P011\]$" "$tmp/kind.err" \
    && grep -qF -- "$words" "$tmp/kind.err" \
    || { fail "$what: not one P011 saying '$words'"; cat "$tmp/kind.err"; }
}
one_p011 "check on requirements" "this looks like a requirements file for \`quorate plan\`, not a topology" \
  check docs/plan-example.yaml
one_p011 "check on assumptions" "this looks like an assumptions file for --assume, not a topology" \
  check topologies/assumptions/default.yaml
one_p011 "plan on a topology" "this looks like a topology, not a requirements file" \
  plan topologies/3.0-three-servers.yaml
one_p011 "plan on assumptions" "this looks like an assumptions file for --assume, not a requirements" \
  plan topologies/assumptions/default.yaml
one_p011 "--assume a topology" "this looks like a topology, not an assumptions file" \
  simulate --runs 1 --years 1 --assume topologies/3.0-three-servers.yaml topologies/3.0-three-servers.yaml
one_p011 "--assume requirements" "this looks like a requirements file for \`quorate plan\`, not an assumptions" \
  compare --runs 1 --years 1 --assume docs/plan-example.yaml topologies/3.0-three-servers.yaml

# ---- "-" reads the topology from standard input ----
"$Q" check - <topologies/3.0-three-servers.yaml >/dev/null 2>&1 || fail "check - on a good design"
out=$("$Q" check - <tests/bad/wrong-type.yaml 2>&1); rc=$?
[ $rc -eq 1 ] || fail "check - on a bad design: exit $rc"
case "$out" in -:[0-9]*:[0-9]*:\ error:*) ;; *) fail "check - diagnostic: $out" ;; esac
head -c 2000000 /dev/zero | "$Q" check - >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] || fail "check - over the size limit: exit $rc"

finish "all passed"
