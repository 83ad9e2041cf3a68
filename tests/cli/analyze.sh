#!/usr/bin/env bash
# analyze.sh: `quorate analyze` and `quorate graph` end to end: exit codes
# (0 done; 1 a topology with errors, printed as `quorate check` prints
# them, or --fail-on-spof on a design with a single point of failure; 2 bad
# flags, bad values, missing files), --help documenting every flag, the
# text report's sections and its N-k sentences, the JSON document (parsed
# with python3 or jq), the combination cap, and the graph in DOT (balanced,
# clusters, voters; rendered with `dot -Tsvg` when Graphviz is installed)
# and GraphML (well-formed XML, one node per vertex); golden outputs in
# tests/cli/golden-analyze pin the report on the bundled designs.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

T=topologies/5x-recommended.yaml
M=topologies/2x-mirror-witness.yaml

# A design with single points of failure: the Back End on one SQL server
# and the file share on one file server.
cat >"$tmp/spof.yaml" <<'YAML'
name: spof
defaults:
  server: { mtbf: 6mo, mttr: 4h }
servers: [ { name: fe1 }, { name: fe2 }, { name: fe3 }, { name: sql }, { name: fs } ]
pool:
  version: sfb2015
  frontends: [fe1, fe2, fe3]
  backend: { standalone: sql }
  file_store: { share: fs }
YAML

# ---- help ----
expect 0 analyze --help
for flag in --k --max-combinations --json --fail-on-spof --help; do
  grep -q -- "$flag" "$tmp/out" || fail "analyze --help does not document $flag"
done
expect 0 graph --help
for flag in --format dot graphml --output --help; do
  grep -q -- "$flag" "$tmp/out" || fail "graph --help does not document $flag"
done
expect 0 --help
grep -q "analyze" "$tmp/out" || fail "quorate --help does not list analyze"
grep -q "graph" "$tmp/out" || fail "quorate --help does not list graph"

# ---- usage errors: exit 2 with a message ----
expect 2 analyze
grep -q "no topology file" "$tmp/err" || fail "analyze without a file: no message"
expect 2 analyze --bogus $T
grep -q "unknown option '--bogus'" "$tmp/err" || fail "analyze: unknown option not named"
for bad in "--k 0" "--k 6" "--k x" "--k" "--max-combinations 0" "--max-combinations -5"; do
  # shellcheck disable=SC2086
  expect 2 analyze $bad $T
  grep -q "quorate analyze:" "$tmp/err" || fail "analyze $bad: no message"
done
expect 2 analyze $T $M
expect 2 analyze "$tmp/does-not-exist.yaml"
grep -q "does-not-exist" "$tmp/err" || fail "analyze: missing file not named"
expect 2 graph
expect 2 graph --format svg $T
grep -q "bad --format 'svg'" "$tmp/err" || fail "graph: bad format not named"
expect 2 graph --format
expect 2 graph "$tmp/does-not-exist.yaml"
expect 2 graph -o "$tmp/no/such/dir/g.dot" $T
grep -qF "cannot write '$tmp/no/such/dir/g.dot'" "$tmp/err" || fail "graph: unwritable output not reported"

# ---- a topology with errors: check's diagnostics, exit 1 ----
cat >"$tmp/bad.yaml" <<'YAML'
servers: [ { name: s1 } ]
pool:
  version: sfb2015
  frontends: [s1]
  backend: { standalone: s1 }
  file_store: { share: s1 }
  bogus_key: 1
YAML
for cmd in analyze graph; do
  expect 1 $cmd "$tmp/bad.yaml"
  grep -Eq "bad.yaml:7:[0-9]+: error: .*\[P002\]" "$tmp/err" || fail "$cmd: errors not printed as check prints them"
  [ -s "$tmp/out" ] && fail "$cmd: errors: something on stdout"
done

# ---- text report ----
expect 0 analyze $T
for w in "what each feature depends on" "single points of failure" "N-k survival" \
         "k=1: 6 single failures" "k=2: 15 pairs" "k=3: 20 triples" \
         "smallest failure sets" "exact availability" "worth improving first" \
         "never fail in this topology, not failed: dc1" "Birnbaum" "RAW"; do
  grep -q -- "$w" "$tmp/out" || fail "analyze text lacks '$w'"
done
grep -q "none: every feature survives the loss of any one component" "$tmp/out" \
  || fail "5.x: should have no single point of failure"
grep -q "3 of 15 pairs take signin_im and p2p_calls down: {fe1,fe2} {fe1,fe3} {fe2,fe3}" "$tmp/out" \
  || fail "5.x: the front-end pairs sentence is missing"
grep -q "1 of 20 triples takes signin_im and p2p_calls down: {fe1,fe2,fe3}" "$tmp/out" \
  || fail "5.x: the graceful triple sentence is missing"

expect 0 analyze "$tmp/spof.yaml"
grep -Eq "^  conferencing +sql fs$" "$tmp/out" || fail "spof: conferencing's SPOFs sql and fs not listed"
sed -n '/^single points of failure/,/^$/p' "$tmp/out" | grep -q "p2p_calls" \
  && fail "spof: p2p_calls listed with a SPOF"

# ---- --fail-on-spof: a CI gate ----
expect 0 analyze --fail-on-spof $T
expect 0 analyze --fail-on-spof $M
expect 1 analyze --fail-on-spof "$tmp/spof.yaml"
grep -q "single point of failure" "$tmp/err" || fail "--fail-on-spof: no message"
[ -s "$tmp/out" ] || fail "--fail-on-spof: the report is still printed"
expect 1 analyze --json --fail-on-spof "$tmp/spof.yaml"

# ---- the cap on combinations ----
expect 0 analyze --max-combinations 10 $T
grep -q "k=2: 15 pairs: not analysed, more than the cap of 10" "$tmp/out" \
  || fail "cap: k=2 not reported as skipped"
grep -q "k=1: 6 single failures" "$tmp/out" || fail "cap: k=1 must always be analysed"
expect 0 analyze --k 1 $T
grep -q "k=2" "$tmp/out" && fail "--k 1 still shows k=2"

# ---- every bundled design analyses ----
for f in topologies/*.yaml; do
  expect 0 analyze "$f"
  expect 0 analyze --json "$f"
done

# ---- JSON ----
"$Q" analyze --json $T >"$tmp/a.json" || fail "analyze --json"
"$Q" analyze --json "$tmp/spof.yaml" >"$tmp/s.json" || fail "analyze --json spof"
"$Q" analyze --json --max-combinations 10 $T >"$tmp/c.json" || fail "analyze --json capped"
if have_python; then
  python3 - "$tmp/a.json" "$tmp/s.json" "$tmp/c.json" <<'PY' || fail "analyze JSON content"
import json, math, sys
d = json.load(open(sys.argv[1]))
assert d["format_version"] == 1 and d["command"] == "analyze"
assert d["parameters"]["max_k"] == 3
assert d["candidates"] == ["fe1", "fe2", "fe3", "sql1", "sql2", "sqlw"], d["candidates"]
assert d["never_fail"] == ["dc1"]
assert d["has_spof"] is False
assert d["backend_votes_in_pool"] is False
feats = {f["name"]: f for f in d["features"]}
assert list(feats)[:6] == ["signin_im", "presence", "p2p_calls", "conferencing",
                           "address_book", "persistent_changes"]
p2p = feats["p2p_calls"]
assert p2p["depends_on"] == ["dc1", "fe1", "fe2", "fe3"], p2p["depends_on"]
assert p2p["single_points_of_failure"] == {"unexpected": [], "graceful": []}
assert p2p["smallest_cut"]["unexpected"]["k"] == 2
assert sorted(map(tuple, p2p["smallest_cut"]["unexpected"]["sets"])) == \
    [("fe1", "fe2"), ("fe1", "fe3"), ("fe2", "fe3")]
assert p2p["smallest_cut"]["graceful"]["sets"] == [["fe1", "fe2", "fe3"]]
# exact 2-of-3 on the pool: 3p^2 - 2p^3 with p = MTBF/(MTBF+MTTR)
mtbf, mttr = 0.5 * 365.25 * 86400, 4 * 3600.0
p = mtbf / (mtbf + mttr)
want = 3 * p * p - 2 * p ** 3
assert abs(p2p["exact_availability"] - want) <= 1e-12, (p2p["exact_availability"], want)
assert abs(d["exact"]["pool"] - want) <= 1e-12
assert d["exact"]["available"] is True and d["exact"]["components_enumerated"] == 6
for f in d["features"]:
    assert 0 < f["exact_availability"] <= 1
    assert f["downtime_min_per_year"] >= 0
lv = {l["k"]: l for l in d["n_minus_k"]}
assert lv[2]["combinations"] == 15 and lv[2]["analysed"] is True
assert lv[2]["unexpected"]["p2p_calls"]["down"] == 3
assert lv[2]["unexpected"]["p2p_calls"]["minimal_count"] == 3
assert lv[2]["graceful"]["p2p_calls"]["down"] == 0
assert lv[3]["graceful"]["p2p_calls"]["minimal"] == [["fe1", "fe2", "fe3"]]
imp = {c["component"]: c for c in d["importance"]}
b = imp["fe1"]["features"]["p2p_calls"]["birnbaum"]
assert abs(b - 2 * p * (1 - p)) <= 1e-12, b
assert imp["sqlw"]["features"]["p2p_calls"]["birnbaum"] == 0
assert d["improve_first"]["component"] in ("fe1", "fe2", "fe3")

s = json.load(open(sys.argv[2]))
assert s["has_spof"] is True
sf = {f["name"]: f for f in s["features"]}
assert sf["conferencing"]["single_points_of_failure"]["unexpected"] == ["sql", "fs"]
assert sf["address_book"]["single_points_of_failure"]["unexpected"] == ["fs"]
assert sf["p2p_calls"]["single_points_of_failure"]["unexpected"] == []

c = json.load(open(sys.argv[3]))
clv = {l["k"]: l for l in c["n_minus_k"]}
assert clv[1]["analysed"] is True and clv[2]["analysed"] is False
assert clv[2]["unexpected"] is None and clv[2]["combinations"] == 15
PY
elif command -v jq >/dev/null 2>&1; then
  jq -e '.format_version == 1 and .command == "analyze" and .has_spof == false' "$tmp/a.json" \
    >/dev/null || fail "analyze JSON (jq)"
  jq -e '.has_spof == true' "$tmp/s.json" >/dev/null || fail "spof JSON (jq)"
fi

# ---- graph: DOT ----
expect 0 graph $T
[ -s "$tmp/out" ] || fail "graph: empty DOT"
head -1 "$tmp/out" | grep -q '^digraph ' || fail "graph: not a digraph"
opens=$(tr -cd '{' <"$tmp/out" | wc -c)
closes=$(tr -cd '}' <"$tmp/out" | wc -c)
[ "$opens" -eq "$closes" ] || fail "graph: unbalanced braces ($opens { vs $closes })"
grep -q 'subgraph "cluster_' "$tmp/out" || fail "graph: no site cluster"
grep -q 'seed (votes)' "$tmp/out" || fail "graph: seeds not marked"
grep -q 'SQL witness (votes)' "$tmp/out" || fail "graph: SQL witness not marked"
grep -q 'label="vote"' "$tmp/out" || fail "graph: no vote edges"
cp "$tmp/out" "$tmp/g.dot"
expect 0 graph --format dot -o "$tmp/g2.dot" $T
[ -s "$tmp/out" ] && fail "graph -o: something on stdout"
cmp -s "$tmp/g.dot" "$tmp/g2.dot" || fail "graph -o differs from stdout"
expect 0 graph --format=dot --output="$tmp/g3.dot" $T
cmp -s "$tmp/g.dot" "$tmp/g3.dot" || fail "graph --output= differs"
for f in topologies/*.yaml; do
  expect 0 graph "$f"
  if command -v dot >/dev/null 2>&1; then
    "$Q" graph "$f" | dot -Tsvg >"$tmp/g.svg" 2>"$tmp/dot.err" || fail "dot -Tsvg rejects $f"
    grep -q "<svg" "$tmp/g.svg" || fail "dot -Tsvg: no SVG for $f"
  fi
done

# ---- graph: GraphML ----
expect 0 graph --format graphml $T
grep -q '<graphml' "$tmp/out" || fail "graphml: no <graphml>"
cp "$tmp/out" "$tmp/g.graphml"
if have_python; then
  python3 - "$tmp/g.graphml" "$tmp/a.json" <<'PY' || fail "GraphML content"
import sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
nodes = doc.getElementsByTagName("node")
edges = doc.getElementsByTagName("edge")
# 7 components, 4 services, 6 features
assert len(nodes) == 17, len(nodes)
assert len(edges) > 0
keys = [k.getAttribute("id") for k in doc.getElementsByTagName("key")]
assert len(keys) == len(set(keys)), keys
names = []
for n in nodes:
    for dd in n.getElementsByTagName("data"):
        if dd.getAttribute("key") == "v_name":
            names.append(dd.firstChild.data if dd.firstChild else "")
assert "sqlw" in names and "pool quorum" in names and "conferencing" in names, names
PY
fi

# ---- golden output (exact): tests/cli/golden-analyze/NAME.args holds the
# command line ("# args: ...") and exit status ("# exit: N"), NAME.txt the
# expected stdout and stderr ----
goldens tests/cli/golden-analyze

finish
