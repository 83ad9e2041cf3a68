#!/usr/bin/env bash
# csv.sh: `--format csv` of simulate and compare (and `--format json`, the
# same as `--json`): the tables read back with Python's csv module (an
# independent RFC 4180 reader) have exactly the documented header, one row
# per feature / design, CRLF record ends, values equal to the JSON of the
# same run, a design name with a comma and quotes round-tripping, and the
# same bytes whatever --threads; --format and --table usage errors.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

M=topologies/2x-mirror-witness.yaml
T=topologies/3.0-three-servers.yaml
FAST="--years 1 --runs 6 --seed 3"

# ---- help and usage errors ----
for c in simulate compare; do
  expect 0 $c --help
  grep -q -- "--format" "$tmp/out" || fail "$c --help does not document --format"
  expect 2 $c --format xml $T
  grep -q "bad --format 'xml' (expected text, json or csv)" "$tmp/err" || fail "$c: bad --format message"
  [ -s "$tmp/out" ] && fail "$c --format xml: something on stdout"
  expect 2 $c --format $T
  expect 2 $c --format CSV $T
done
expect 0 compare --help
grep -q -- "--table" "$tmp/out" || fail "compare --help does not document --table"
expect 2 compare --table features $FAST $T
grep -q -- "--table needs --format csv" "$tmp/err" || fail "--table without csv: message"
expect 2 compare --format csv --table design $FAST $T
grep -q "bad --table 'design' (expected scorecard or features)" "$tmp/err" || fail "bad --table: message"

# ---- --json is --format json; the last format given wins ----
"$Q" simulate $FAST --json --no-timing $M >"$tmp/j1" || fail "simulate --json"
"$Q" simulate $FAST --format json --no-timing $M >"$tmp/j2" || fail "simulate --format json"
cmp -s "$tmp/j1" "$tmp/j2" || fail "simulate: --json and --format json differ"
"$Q" simulate $FAST --format text --no-timing $M >"$tmp/t1" || fail "simulate --format text"
"$Q" simulate $FAST $M >"$tmp/t2" || fail "simulate text"
cmp -s "$tmp/t1" "$tmp/t2" || fail "simulate: --format text is not the default"
"$Q" simulate $FAST --json --format csv $M >"$tmp/last" || fail "simulate --json --format csv"
head -c 8 "$tmp/last" | grep -q "^feature," || fail "--json --format csv: not CSV"
"$Q" compare $FAST --json --no-timing $M $T >"$tmp/cj1" || fail "compare --json"
"$Q" compare $FAST --format json --no-timing $M $T >"$tmp/cj2" || fail "compare --format json"
cmp -s "$tmp/cj1" "$tmp/cj2" || fail "compare: --json and --format json differ"

# ---- the tables, byte-identical for any --threads ----
"$Q" simulate $FAST --threads 1 --format csv $M >"$tmp/sim.csv" || fail "simulate csv"
"$Q" simulate $FAST --threads 2 --format csv $M >"$tmp/sim2.csv" || fail "simulate csv t2"
cmp -s "$tmp/sim.csv" "$tmp/sim2.csv" || fail "simulate csv: --threads 1 and 2 differ"
"$Q" simulate $FAST --static --format csv $T >"$tmp/static.csv" || fail "simulate --static csv"
"$Q" simulate $FAST --static --json --no-timing $T >"$tmp/static.json" || fail "static json"
D12=topologies/12fe-large.yaml
"$Q" compare $FAST --threads 1 --format csv $M $T $D12 >"$tmp/score.csv" || fail "compare csv"
"$Q" compare $FAST --threads 2 --format csv $M $T $D12 >"$tmp/score2.csv" || fail "compare csv t2"
cmp -s "$tmp/score.csv" "$tmp/score2.csv" || fail "compare csv: --threads 1 and 2 differ"
"$Q" compare $FAST --format csv --table features $M $T $D12 >"$tmp/feat.csv" || fail "features csv"
"$Q" compare $FAST --format csv --table scorecard $M $T $D12 >"$tmp/score3.csv" || fail "scorecard csv"
cmp -s "$tmp/score.csv" "$tmp/score3.csv" || fail "--table scorecard is not the default"
"$Q" compare $FAST --json --no-timing $M $T $D12 >"$tmp/compare.json" || fail "compare json"

# A design whose name has a comma and double quotes, and a SPOF list with
# commas: quoted, and read back whole.
sed 's/^name: .*/name: "say \\"hi\\", then, ok"/' $T >"$tmp/odd.yaml"
"$Q" compare $FAST --format csv "$tmp/odd.yaml" >"$tmp/odd.csv" || fail "compare csv odd name"
grep -qF '"say ""hi"", then, ok"' "$tmp/odd.csv" || fail "odd name: not quoted per RFC 4180"

# A design name and file name a spreadsheet would run as formulas (OWASP
# "CSV Injection"): each text cell gets a leading single quote; the numbers
# of the same row (negative ones included) are written as they are.
sed 's/^name: .*/name: "=HYPERLINK(1)"/' $T >"$tmp/@evil.yaml"
"$Q" compare $FAST --format csv "$tmp/@evil.yaml" >"$tmp/evil.csv" || fail "compare csv formula name"
grep -qF "\"'=HYPERLINK(1)\"" "$tmp/evil.csv" && fail "formula name: a double-quoted field without a comma"
grep -qF ",'=HYPERLINK(1)," "$tmp/evil.csv" || fail "formula name: not guarded with a single quote"
grep -qF ",'@evil," "$tmp/evil.csv" || fail "formula label: not guarded with a single quote"
grep -qF ",=" "$tmp/evil.csv" && fail "a cell starts with = unguarded"
grep -qF ",@" "$tmp/evil.csv" && fail "a cell starts with @ unguarded"
"$Q" compare $FAST --format csv --table features "$tmp/@evil.yaml" >"$tmp/evilf.csv" || fail "features csv formula"
grep -q "^'@evil," "$tmp/evilf.csv" || fail "features table: the label is not guarded"

if have_python; then
  python3 - "$tmp" <<'PY' || fail "CSV content"
import csv, io, json, sys
d = sys.argv[1]

def table(name):
    raw = open(f"{d}/{name}", "rb").read()
    assert raw.endswith(b"\r\n"), name
    assert raw.count(b"\r\n") == raw.count(b"\n"), name + ": a record not ended by CRLF"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert all(len(r) == len(rows[0]) for r in rows), name + ": ragged"
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]

def ci(name):
    return [name, name + "_ci_low", name + "_ci_high"]

def close(text, value):
    if value is None:
        return text == ""
    return text != "" and abs(float(text) - value) <= 1e-12 * max(1, abs(value))

def same_stat(row, name, stat):
    assert close(row[name], stat["mean"]), (name, row[name], stat)
    assert close(row[name + "_ci_low"], stat["ci_low"]), (name, row, stat)
    assert close(row[name + "_ci_high"], stat["ci_high"]), (name, row, stat)

# simulate
head, rows = table("sim.csv")
assert head == ["feature"] + ci("availability") + ci("downtime_min_per_year") + \
    ci("outages_per_year") + ["mean_outage_min", "longest_outage_min", "outages_observed",
                              "exact_availability"], head
j = json.load(open(f"{d}/j1"))
feats = j["features"] + [j["pool"]]
assert [r["feature"] for r in rows] == [f["name"] for f in feats]
for r, f in zip(rows, feats):
    for k in ("availability", "downtime_min_per_year", "outages_per_year"):
        same_stat(r, k, f[k])
    assert close(r["mean_outage_min"], f["mean_outage_min"])
    assert int(r["outages_observed"]) == f["outages_observed"]
    assert r["exact_availability"] == ""  # full simulation
    assert 0 <= float(r["availability_ci_low"]) <= float(r["availability_ci_high"]) <= 1
head, rows = table("static.csv")
sj = json.load(open(f"{d}/static.json"))
for r, f in zip(rows, sj["features"] + [sj["pool"]]):
    assert close(r["exact_availability"], f["exact_availability"]), r

# compare: the scorecard
c = json.load(open(f"{d}/compare.json"))
head, rows = table("score.csv")
assert head == ["rank", "design", "name", "file", "notation", "full_servers", "witness_parts",
                "cost_per_year", "cost_unit", "spof_count", "spofs", "worst_feature",
                "paper_availability", "paper_downtime_min_per_year"] + ci("availability") + \
    ci("downtime_min_per_year") + ci("outages_per_year") + ["gap_min_per_year"] + \
    ci("soft_resets_per_year") + ["mean_downtime_min_per_year", "value", "tied"] + \
    ci("difference_min_per_year") + ["difference_independent_half_width", "distinguishable"], head
assert [r["design"] for r in rows] == [x["label"] for x in c["designs"]] == c["ranking"]
for r, x in zip(rows, c["designs"]):
    assert int(r["rank"]) == x["rank"]
    assert r["name"] == x["name"] and r["file"] == x["file"] and r["notation"] == x["notation"]
    assert int(r["full_servers"]) == x["full_servers"]
    assert close(r["cost_per_year"], x["cost"]["per_year"])
    assert r["cost_unit"] == x["cost"]["unit"]
    assert int(r["spof_count"]) == x["spof_count"] == len(r["spofs"].split(", "))
    assert r["worst_feature"] == x["worst_feature"]
    w = [f for f in x["features"] if f["name"] == x["worst_feature"]][0]
    assert close(r["paper_availability"], w["paper_availability"])
    same_stat(r, "availability", w["operation"]["availability"])
    same_stat(r, "downtime_min_per_year", w["operation"]["downtime_min_per_year"])
    same_stat(r, "outages_per_year", w["operation"]["outages_per_year"])
    assert close(r["gap_min_per_year"], w["gap_min_per_year"])
    same_stat(r, "soft_resets_per_year", x["per_year"]["soft_resets"])
    assert close(r["mean_downtime_min_per_year"], x["mean_downtime_min_per_year"])
    assert close(r["value"], x["value"])
    assert r["tied"] == ("true" if x["tied"] else "false")
    df = x["difference_to_recommended"]
    if df is None:
        assert r["difference_min_per_year"] == r["distinguishable"] == "", r
    else:
        same_stat(r, "difference_min_per_year", df["worst_downtime_min_per_year"])
        assert close(r["difference_independent_half_width"],
                     df["independent_half_width_min_per_year"])
        assert r["distinguishable"] == ("true" if df["distinguishable"] else "false")
big = [r for r in rows if r["design"] == "12fe-large"][0]
assert big["spofs"].startswith("dc1 (never fails in this model), hv1, "), big["spofs"]

# compare: the per-feature table, design by design, the pool last
head, rows = table("feat.csv")
assert head == ["design", "feature", "paper_availability", "paper_downtime_min_per_year"] + \
    ci("availability") + ci("downtime_min_per_year") + ci("outages_per_year") + \
    ["gap_min_per_year", "mean_outage_min", "longest_outage_min"], head
want = [(x["label"], f) for x in c["designs"] for f in x["features"] + [x["pool"]]]
assert len(rows) == len(want)
for r, (label, f) in zip(rows, want):
    assert r["design"] == label and r["feature"] == f["name"]
    assert close(r["paper_availability"], f["paper_availability"])
    assert close(r["paper_downtime_min_per_year"], f["paper_downtime_min_per_year"])
    for k in ("availability", "downtime_min_per_year", "outages_per_year"):
        same_stat(r, k, f["operation"][k])
    assert close(r["gap_min_per_year"], f["gap_min_per_year"])
    assert close(r["longest_outage_min"], f["operation"]["longest_outage_min"])

# the odd name, read back whole
head, rows = table("odd.csv")
assert rows[0]["name"] == 'say "hi", then, ok', rows[0]["name"]
PY
fi

finish
