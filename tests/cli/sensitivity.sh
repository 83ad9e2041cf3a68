#!/usr/bin/env bash
# sensitivity.sh: `quorate sensitivity` end to end (docs/sensitivity.md):
# usage errors exit 2; an assumptions file with bad ranges is reported
# file:line:col with the exact text of tests/cli/golden-sensitivity/errors.txt
# and exit 1, nothing run; a file without an uncertain value exits 1; a
# design with errors is skipped (exit 1) while the others are analysed; the
# whole output (text, JSON, every CSV table, the HTML page) is byte-identical
# at --threads 1 and 2; the JSON's probabilities sum to 1, every design has a
# tornado bar per parameter, the percentiles are in order; the CSV tables
# have their header and one row per design, feature, parameter or set; the
# bundled uncertain file runs plain (compare) at its medians and says so.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

U=topologies/assumptions/uncertain.yaml
D=(topologies/3.0-three-servers.yaml topologies/2x-mirror-witness.yaml topologies/two-site.yaml)
FAST=(--sets 5 --runs 6 --years 2 --seed 3)

# ---- usage ----
expect 0 sensitivity --help
for opt in --assume --sets --runs --years --seed --threads --format --json --table --no-timing --html; do
  grep -q -- "$opt" "$tmp/out" || fail "sensitivity --help does not document $opt"
done
expect 0 --help
grep -q "^  sensitivity " "$tmp/out" || fail "quorate --help does not list sensitivity"
expect 2 sensitivity "${D[@]}"
grep -q -- "--assume FILE is required" "$tmp/err" || fail "no --assume: no clear message"
expect 2 sensitivity --assume $U
grep -q "no topology file given" "$tmp/err" || fail "no design: no clear message"
expect 2 sensitivity --assume $U --sets 0 "${D[@]}"
grep -q "bad --sets '0'" "$tmp/err" || fail "--sets 0: no clear message"
expect 2 sensitivity --assume $U --runs 1 "${D[@]}"
grep -q "bad --runs '1' (at least 2" "$tmp/err" || fail "--runs 1: no clear message"
expect 2 sensitivity --assume $U --table best "${D[@]}"
grep -q -- "--table needs --format csv" "$tmp/err" || fail "--table without csv: no clear message"
expect 2 sensitivity --assume $U --format csv --table bogus "${D[@]}"
grep -q "bad --table 'bogus'" "$tmp/err" || fail "bad --table: no clear message"
expect 2 sensitivity --assume $U --html - "${D[@]}"
expect 2 sensitivity --assume "$tmp/none.yaml" "${D[@]}"

# ---- bad assumptions: every error, exact text, exit 1, nothing run ----
BAD=tests/cli/golden-sensitivity/bad.yaml
expect 1 sensitivity "${FAST[@]}" --assume $BAD "${D[@]}"
diff -u tests/cli/golden-sensitivity/errors.txt "$tmp/err" || fail "bad ranges: not the golden errors"
[ -s "$tmp/out" ] && fail "bad ranges: something on stdout"
# The same errors from a plain run: the ranges are read by the one loader.
expect 1 simulate --runs 2 --years 1 --assume $BAD topologies/3.0-three-servers.yaml
diff -u tests/cli/golden-sensitivity/errors.txt "$tmp/err" || fail "simulate: bad ranges: not the golden errors"
# A file without an uncertain value has nothing to vary.
expect 1 sensitivity "${FAST[@]}" --assume topologies/assumptions/default.yaml "${D[@]}"
grep -qF "topologies/assumptions/default.yaml: error: the assumptions file gives no uncertain value" "$tmp/err" \
  || fail "no uncertain value: no clear message"
# A range in a topology is refused, file:line:col.
printf 'sites: [ { name: dc1 } ]\nservers: [ { name: s1, site: dc1, mttr: { low: 1h, high: 8h } } ]\npool: { version: sfb2015, frontends: [s1], backend: { standalone: s1 }, file_store: { share: s1 } }\n' >"$tmp/ranged.yaml"
expect 1 check "$tmp/ranged.yaml"
grep -qF "ranged.yaml:2:41: error: an uncertain value ({ low, high } or { median, error_factor }) for 'mttr' is allowed only in an assumptions file" "$tmp/out" \
  || fail "a range in a topology: not reported at 2:41"
# A design with errors is skipped, the others analysed: exit 1.
expect 1 sensitivity "${FAST[@]}" --assume $U "${D[@]}" tests/bad/wrong-type.yaml
grep -q "how sure is the recommendation" "$tmp/out" || fail "a bad design stops the others"
grep -q "not analysed: tests/bad/wrong-type.yaml (has errors)" "$tmp/out" || fail "the skipped design is not named"

# ---- the same bytes at 1 and 2 threads, every format ----
for th in 1 2; do
  expect 0 sensitivity "${FAST[@]}" --threads $th --assume $U --html "$tmp/p$th.html" "${D[@]}"
  cp "$tmp/out" "$tmp/t$th.txt"
  expect 0 sensitivity "${FAST[@]}" --threads $th --assume $U --json --no-timing "${D[@]}"
  cp "$tmp/out" "$tmp/j$th.json"
  for table in percentiles best tornado sets; do
    expect 0 sensitivity "${FAST[@]}" --threads $th --assume $U --format csv --table $table "${D[@]}"
    cp "$tmp/out" "$tmp/c$th-$table.csv"
  done
done
cmp -s "$tmp/t1.txt" "$tmp/t2.txt" || fail "text: threads 1 and 2 differ"
cmp -s "$tmp/j1.json" "$tmp/j2.json" || fail "JSON: threads 1 and 2 differ"
cmp -s "$tmp/p1.html" "$tmp/p2.html" || fail "HTML: threads 1 and 2 differ"
for table in percentiles best tornado sets; do
  cmp -s "$tmp/c1-$table.csv" "$tmp/c2-$table.csv" || fail "CSV $table: threads 1 and 2 differ"
done
# The text report's sections.
for s in "uncertain parameters" "how sure is the recommendation" "downtime across the sampled sets" \
         "tornado:" "assumptions (" "not modelled:"; do
  grep -qF "$s" "$tmp/t1.txt" || fail "text: no '$s'"
done
grep -q "^  3.0-three-servers .*%.*best alone in" "$tmp/t1.txt" || fail "text: no probability line of 3.0"
grep -q "uncertain: log-uniform 3mo to 3y; the value is its median" "$tmp/t1.txt" \
  || fail "text: the footer does not show server.mtbf's range"

# ---- the JSON ----
if have_python; then
  python3 - "$tmp/j1.json" <<'EOF' || fail "JSON: content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["command"] == "sensitivity" and d["format_version"] == 1
p = d["parameters"]
assert (p["sets"], p["runs"], p["years"], p["seed"]) == (5, 6, 2, 3), p
n = len(d["uncertain"])
assert n == 21, n
assert p["simulations"] == 3 * (1 + 5 + 2 * n), p["simulations"]
total = sum(x["probability"] for x in d["probability_best"])
assert abs(total - 1) < 1e-9, total
probs = [x["probability"] for x in d["probability_best"]]
assert probs == sorted(probs, reverse=True), probs
for des in d["designs"]:
    assert des["simulated"]
    assert len(des["tornado"]) == n
    swings = [abs(b["swing"]) for b in des["tornado"]]
    assert swings == sorted(swings, reverse=True), swings
    for f in des["features"] + [des["pool"]]:
        q = f["downtime_min_per_year"]
        assert 0 <= q["p5"] <= q["p50"] <= q["p95"], q
        a = f["availability"]
        assert a["p5"] <= a["p50"] <= a["p95"] <= 1, a
    for b in des["tornado"]:
        assert b["verdict"] in ("distinguishable", "noise", "no effect"), b
        assert b["swing_ci_low"] <= b["swing"] <= b["swing_ci_high"], b
# 3.0-three-servers has no link: link.mtbf cannot move it.
t30 = [x for x in d["designs"] if x["label"] == "3.0-three-servers"][0]
link = [b for b in t30["tornado"] if b["parameter"] == "link.mtbf"][0]
assert link["verdict"] == "no effect" and link["swing"] == 0, link
assert len(d["sets"]) == 5
for s in d["sets"]:
    assert len(s["values_seconds"]) == n and s["best"], s
    u = {x["parameter"]: x for x in d["uncertain"]}
    for k, v in s["values_seconds"].items():
        x = u[k]
        if x["distribution"] == "log-uniform":
            assert x["low_seconds"] < v < x["high_seconds"], (k, v)
mtbf = [x for x in d["uncertain"] if x["parameter"] == "server.mtbf"][0]
assert abs(mtbf["point_seconds"] - (mtbf["low_seconds"] * mtbf["high_seconds"]) ** 0.5) < 1e-6
items = {x["key"]: x for x in d["designs"][0]["assumptions"]["items"]}
assert items["server.mtbf"]["uncertain"] == "log-uniform 3mo to 3y", items["server.mtbf"]
assert items["patching.gap"]["uncertain"] is None
EOF
fi

# ---- the CSV tables ----
head -1 "$tmp/c1-percentiles.csv" | grep -q "^design,feature,worst,point_downtime_min_per_year,downtime_p5" \
  || fail "CSV percentiles: header"
[ "$(wc -l <"$tmp/c1-percentiles.csv")" -eq $((1 + 3 * 7)) ] || fail "CSV percentiles: not a row per design and feature"
[ "$(wc -l <"$tmp/c1-best.csv")" -eq 4 ] || fail "CSV best: not a row per design"
[ "$(wc -l <"$tmp/c1-tornado.csv")" -eq $((1 + 3 * 21)) ] || fail "CSV tornado: not a row per design and parameter"
[ "$(wc -l <"$tmp/c1-sets.csv")" -eq 6 ] || fail "CSV sets: not a row per set"
head -1 "$tmp/c1-sets.csv" | grep -q "^set,site.mtbf,site.mttr,.*,3.0-three-servers,2x-mirror-witness,two-site,best" \
  || fail "CSV sets: header"
grep -q $'\r$' "$tmp/c1-best.csv" || fail "CSV: records do not end with CRLF"

# ---- the HTML page ----
h="$tmp/p1.html"
for id in best parameters percentiles tornado tornado-1 tornado-3 assumptions; do
  grep -qF "id=\"$id\"" "$h" || fail "HTML: no element id=$id"
done
grep -qF 'aria-label="probability of being the best design"' "$h" || fail "HTML: no ranking chart"
grep -qiE 'src=|href=|https?:|@import|url\(|<script' "$h" && fail "HTML: refers to something outside the page, or has a script"

# ---- the bundled file in a plain run: the medians, said so ----
expect 0 compare --runs 2 --years 1 --assume $U topologies/3.0-three-servers.yaml
grep -q "server.mtbf  *10.4mo  *assumptions:" "$tmp/out" || fail "compare --assume uncertain: server.mtbf not at its median"
grep -q "uncertain: log-uniform 3mo to 3y; the value is its median" "$tmp/out" || fail "compare: the range is not listed"
expect 0 check topologies/*.yaml

# The same design file twice: the second copy is labelled x#2, so every key
# of the JSON is unique (Python's parser keeps the last of equal keys
# silently: the hook checks), and the CSV names both.
T3=topologies/3.0-three-servers.yaml
expect 0 sensitivity "${FAST[@]}" --assume $U --json $T3 $T3
if have_python; then
  python3 - "$tmp/out" <<'PY' || fail "sensitivity: the same file twice gives duplicate labels or keys"
import json, sys
def unique(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)
d = json.load(open(sys.argv[1]), object_pairs_hook=unique)
assert [x["label"] for x in d["designs"]] == ["3.0-three-servers", "3.0-three-servers#2"], d["designs"]
PY
fi
expect 0 sensitivity "${FAST[@]}" --assume $U --format csv --table best $T3 $T3
grep -q "^3.0-three-servers#2," "$tmp/out" || fail "sensitivity csv: the second copy is not labelled #2"

finish "usage, errors, formats, thread identity and the bundled file"
