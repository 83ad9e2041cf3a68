#!/usr/bin/env bash
# compare.sh: `quorate compare` end to end: exit codes (0 compared, 1 a
# topology with errors — printed as `quorate check` prints them while the
# others are still compared —, 2 bad flags, bad values, missing files),
# --help documenting every flag, the text scorecard, the JSON document, the
# output byte-identical for --threads 1 and 2 with the same --seed
# (--no-timing), the paired comparisons (common random numbers: paired CIs
# narrower than independent ones on bundled designs that share components,
# a spare server that changes nothing and ties with its design, the bundled
# recommendation the same at --runs 200 and 1000 or a stated tie), and the
# golden text output of two bundled designs
# (tests/cli/golden/compare-2x-3.0.out; regenerate it with the command in
# GOLDEN_ARGS below when the simulator's behaviour changes on purpose).
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

M=topologies/2x-mirror-witness.yaml
T=topologies/3.0-three-servers.yaml
FAST="--years 1 --runs 6"

# ---- help ----
expect 0 compare --help
for flag in --years --runs --seed --threads --rank-by --server-cost --witness-cost --host-cost --target --json \
            --no-timing --help availability downtime cost value; do
  grep -q -- "$flag" "$tmp/out" || fail "--help does not document $flag"
done
expect 0 --help
grep -q '^  compare ' "$tmp/out" || fail "quorate --help does not list compare"

# ---- usage errors: exit 2 with a message ----
expect 2 compare
grep -q "no topology file" "$tmp/err" || fail "no file: no message"
expect 2 compare --bogus $M
grep -q "unknown option '--bogus'" "$tmp/err" || fail "unknown option: no message"
for bad in "--runs 0" "--runs x" "--years 0" "--threads 0" "--seed -1" "--rank-by price" \
           "--server-cost 0" "--server-cost -1" "--witness-cost -1" "--witness-cost x" \
           "--host-cost -1" "--host-cost x" "--host-cost" "--target 99.99" "--target 100%" \
           "--target 0%" "--target x%" "--target" \
           "--rank-by"; do
  # shellcheck disable=SC2086
  expect 2 compare $bad $M
  grep -q "quorate compare:" "$tmp/err" || fail "$bad: no message"
  [ -s "$tmp/out" ] && fail "$bad: something on stdout"
done

# ---- a missing file: exit 2, named, the other design still compared ----
expect 2 compare $FAST $M "$tmp/does-not-exist.yaml"
grep -q "does-not-exist" "$tmp/err" || fail "missing file: not named"
grep -q "2x-mirror-witness" "$tmp/out" || fail "missing file: the other design not compared"

# ---- a topology with errors: diagnostics, exit 1, the others compared ----
cat >"$tmp/bad.yaml" <<'YAML'
servers: [ { name: s1 } ]
pool:
  version: sfb2015
  frontends: [s1]
  backend: { standalone: s1 }
  file_store: { share: s1 }
  bogus_key: 1
YAML
expect 1 compare $FAST $M "$tmp/bad.yaml" $T
grep -Eq "bad.yaml:7:[0-9]+: error: .*\[P002\]" "$tmp/err" \
  || fail "errors not printed as file:line:col: error: ... [ID]"
grep -q "2x-mirror-witness" "$tmp/out" || fail "bad file: first design not compared"
grep -q "3.0-three-servers" "$tmp/out" || fail "bad file: last design not compared"
grep -q "bad " "$tmp/out" && fail "bad file: the bad design is in the scorecard"
expect 1 compare $FAST "$tmp/bad.yaml"
[ -s "$tmp/out" ] && fail "only a bad file: something on stdout"

# ---- text output ----
expect 0 compare $FAST $M $T
for w in "ranked by availability" "rank" "notation" "servers" "cost/yr" "SPOFs" "paper" \
         "operation" "min/yr" "outages/yr" "resets/yr" "per feature" "signin_im" \
         "conferencing" "pool" "recommendation:" "Recommended:" "runner-up" \
         "downtime by cause of each design" "started by: server crash"; do
  grep -q -- "$w" "$tmp/out" || fail "text output lacks '$w'"
done
# Options anywhere, like simulate.
expect 0 compare $M --rank-by cost $T --years 1 --runs 6
grep -q "ranked by cost" "$tmp/out" || fail "--rank-by cost not stated"
# By cost the 2.x design (2.25) beats the 3.0 design (3.00).
grep -Eq "^ +1  2x-mirror-witness " "$tmp/out" || fail "--rank-by cost: 2.x is not first"
expect 0 compare $FAST --rank-by value --server-cost 2 --witness-cost 1 $M $T
grep -Eq "^ +[12]  2x-mirror-witness +2\.x +2 +5\.00 " "$tmp/out" \
  || fail "--server-cost 2 --witness-cost 1: 2.x does not cost 5.00"

# ---- the cost unit and hosts (issue 13): --server-cost 4000 is money, not
# server-equivalents, the witness defaults to a quarter of it, and the four
# hypervisor hosts of 12fe-large are priced (one server each by default) ----
L=topologies/12fe-large.yaml
expect 0 compare $FAST --server-cost 4000 $M $L
grep -qF "cost/yr in the unit of --server-cost (4000 a full server, 1000 a witness-only part, 4000 a" "$tmp/out" \
  || fail "--server-cost 4000: the header does not say the unit"
grep -q "server-equivalents" "$tmp/out" && fail "--server-cost 4000: still says server-equivalents"
# 2x: 2 servers + a witness 1000; 12fe-large: 16 servers + a witness + 4 hosts.
grep -Eq "^ +[12]=? +2x-mirror-witness +2\.x +2 +9000\.00 " "$tmp/out" || fail "2x does not cost 9000"
grep -Eq "^ +[12]=? +12fe-large +16\.x +16 +81000\.00 " "$tmp/out" || fail "12fe-large does not cost 81000"
grep -qF "cost 81000.00 server-cost currency a year (16 full servers, 1 witness-only part, 4 hosts)" \
  "$tmp/out" || fail "designs: no unit or no hosts for 12fe-large"
expect 0 compare $FAST $L
grep -Eq "^ +1  12fe-large +16\.x +16 +20\.25 " "$tmp/out" || fail "default: hosts not priced at 1"
grep -qF "(1 a full server, 0.25 a witness-only part, 1 a host)" "$tmp/out" || fail "default: no host price"
expect 0 compare $FAST --host-cost 0 $L
grep -Eq "^ +1  12fe-large +16\.x +16 +16\.25 " "$tmp/out" || fail "--host-cost 0: hosts priced"
# ---- --target (issue 13): a verdict per design, judged as plan judges
# (every feature's 95% CI lower bound, or the exact value with few outages) ----
expect 0 compare $FAST --target 99.99% $M $T
grep -qF "target 99.99% on every feature (at most 52.6 min/yr down)" "$tmp/out" || fail "--target: no header"
grep -Eq "^  2x-mirror-witness +misses \(signin_im, [0-9.]+ min/yr short\)" "$tmp/out" \
  || fail "--target: 2x-mirror-witness does not miss 99.99%"
expect 0 compare $FAST --target 50% $M $T
[ "$(grep -c ' meets (closest: ' "$tmp/out")" -eq 2 ] || fail "--target 50%: not both met"
expect 0 compare $FAST $M $T
grep -q "^target " "$tmp/out" && fail "no --target: a target block"
if command -v python3 >/dev/null 2>&1; then
  "$Q" compare $FAST --target 99.99% --json --no-timing $M $T >"$tmp/target.json" || fail "target json"
  "$Q" compare $FAST --json --no-timing $M $T >"$tmp/notarget.json" || fail "no-target json"
  python3 - "$tmp/target.json" "$tmp/notarget.json" <<'PY' || fail "--target: JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert abs(d["parameters"]["target"] - 0.9999) < 1e-12
m = {x["label"]: x for x in d["designs"]}
t = m["2x-mirror-witness"]["target"]
assert t["met"] is False and t["feature"] == "signin_im" and t["shortfall_min_per_year"] > 0, t
# The verdict is the plan's rule: every feature's bound against the target.
for x in d["designs"]:
    lows = [f["operation"]["availability"]["ci_low"] for f in x["features"]]
    p = d["parameters"]  # outages observed: the mean a year times the years run
    few = [round(f["operation"]["outages_per_year"]["mean"] * p["runs"] * p["years"]) < 30
           for f in x["features"]]
    paper = [f["paper_availability"] for f in x["features"]]
    bound = [min(l, p) if w and p is not None else l for l, w, p in zip(lows, few, paper)]
    assert x["target"]["met"] == (min(bound) >= 0.9999), (x["label"], bound)
n = json.load(open(sys.argv[2]))
assert n["parameters"]["target"] is None and all(x["target"] is None for x in n["designs"])
PY
fi
if command -v python3 >/dev/null 2>&1; then
  "$Q" compare $FAST --server-cost 4000 --json --no-timing $L >"$tmp/money.json" || fail "money json"
  "$Q" compare $FAST --server-cost 4000 --format csv $L >"$tmp/money.csv" || fail "money csv"
  python3 - "$tmp/money.json" "$tmp/money.csv" <<'PY' || fail "--server-cost 4000: JSON or CSV unit"
import csv, json, sys
d = json.load(open(sys.argv[1]))
p = d["parameters"]
assert p["server_cost"] == 4000 and p["witness_cost"] == 1000 and p["host_cost"] == 4000, p
assert p["cost_unit"] == "server-cost currency", p
x = d["designs"][0]
assert x["cost"]["unit"] == "server-cost currency" and x["cost"]["per_year"] == 81000, x["cost"]
assert x["hosts"] == 4
row = list(csv.DictReader(open(sys.argv[2], newline="")))[0]
assert row["cost_unit"] == "server-cost currency" and float(row["cost_per_year"]) == 81000, row
PY
fi

# ---- every bundled design, whether or not the full simulation models it ----
expect 0 compare --years 0.5 --runs 4 topologies/*.yaml
n=$(ls topologies/*.yaml | wc -l)
rows=$(grep -Ec "^ +([0-9]+=?|-)  [A-Za-z0-9.-]+ +[0-9]+\.[0-9x]" "$tmp/out")
[ "$rows" -eq "$n" ] || fail "all designs: $rows scorecard rows, expected $n"

# ---- JSON, and byte-identical output whatever the thread count ----
"$Q" compare $FAST --seed 7 --threads 1 --json --no-timing $M $T >"$tmp/t1.json" || fail "json t1"
"$Q" compare $FAST --seed 7 --threads 2 --json --no-timing $M $T >"$tmp/t2.json" || fail "json t2"
cmp -s "$tmp/t1.json" "$tmp/t2.json" || fail "JSON --threads 1 and 2 differ"
"$Q" compare $FAST --seed 7 --threads 1 --no-timing $M $T >"$tmp/t1.txt" || fail "text t1"
"$Q" compare $FAST --seed 7 --threads 2 --no-timing $M $T >"$tmp/t2.txt" || fail "text t2"
cmp -s "$tmp/t1.txt" "$tmp/t2.txt" || fail "text --threads 1 and 2 differ"
"$Q" compare $FAST --seed 8 --json --no-timing $M $T >"$tmp/s8.json" || fail "json s8"
cmp -s "$tmp/t1.json" "$tmp/s8.json" && fail "--seed 7 and 8 give the same output"
grep -q '"timing"' "$tmp/t1.json" && fail "--no-timing still has timing"
"$Q" compare $FAST --json $M topologies/2x-alwayson-fsw-disk.yaml "$tmp/bad.yaml" \
  >"$tmp/timed.json" 2>/dev/null
[ $? -eq 1 ] || fail "json with a bad file: exit status"

if have_python; then
  python3 - "$tmp/t1.json" "$tmp/timed.json" <<'PY' || fail "JSON content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format_version"] == 1 and d["command"] == "compare"
p = d["parameters"]
assert p["seed"] == 7 and p["runs"] == 6 and p["years"] == 1 and p["mode"] == "full"
assert p["rank_by"] == "availability" and p["server_cost"] == 1 and p["witness_cost"] == 0.25
labels = [x["label"] for x in d["designs"]]
assert sorted(labels) == ["2x-mirror-witness", "3.0-three-servers"], labels
assert d["ranking"] == labels, (d["ranking"], labels)
for x in d["designs"]:
    # Competition ranking: tied designs share the rank of the first of them.
    first = min(i for i, y in enumerate(d["designs"]) if y["rank"] == x["rank"])
    assert x["rank"] == first + 1
    assert x["tied"] == (sum(1 for y in d["designs"] if y["rank"] == x["rank"]) > 1)
    assert x["operation_available"] and x["paper_available"]
    assert x["cost"]["unit"] == "server-equivalents"
    assert x["spof_count"] == len(x["spofs"])
    names = [f["name"] for f in x["features"]]
    assert names[:6] == ["signin_im", "presence", "p2p_calls", "conferencing",
                         "address_book", "persistent_changes"], names
    assert x["worst_feature"] in names
    for f in x["features"] + [x["pool"]]:
        a = f["operation"]["availability"]
        assert 0 <= a["ci_low"] <= a["mean"] <= a["ci_high"] <= 1
        assert 0 < f["paper_availability"] <= 1
        gap = f["operation"]["downtime_min_per_year"]["mean"] - f["paper_downtime_min_per_year"]
        assert abs(gap - f["gap_min_per_year"]) < 1e-6
        # Downtime by cause and by start: each sums to the downtime.
        down = f["operation"]["downtime_min_per_year"]["mean"]
        for key in ("downtime_by_cause", "downtime_by_start"):
            s = sum(v["mean"] for v in f["operation"][key].values())
            assert abs(s - down) <= 1e-9 * down + 1e-12, (x["label"], f["name"], key, s, down)
    assert "mean" in x["per_year"]["soft_resets"]
m = {x["label"]: x for x in d["designs"]}
assert m["2x-mirror-witness"]["notation"] == "2.x"
assert m["2x-mirror-witness"]["full_servers"] == 2
assert m["2x-mirror-witness"]["cost"]["per_year"] == 2.25
assert m["3.0-three-servers"]["cost"]["per_year"] == 3
assert d["recommendation"].startswith("Ranked by availability")
assert d["skipped"] == [] and "timing" not in d
t = json.load(open(sys.argv[2]))
assert t["timing"]["threads"] >= 1
assert [s["reason"] for s in t["skipped"]] == ["has errors"]
for x in t["designs"]:
    if not x["operation_available"]:
        # A design the full simulation refuses: paper values, no rank by
        # availability, the reason given.
        assert x["rank"] is None and x["operation_unavailable_reason"]
        assert x["paper_available"] and x["features"][0]["operation"] is None
PY
fi

# ---- every interval within its bounds (issue: a downtime ci_low of -0.095
# at 50 runs): no stat below 0, no availability above 1 ----
# shellcheck disable=SC2046
"$Q" compare --runs 50 --years 2 --json --no-timing $(LC_ALL=C ls topologies/*.yaml) \
  >"$tmp/bounds.json" || fail "bounds: exit status"
if have_python; then
  python3 - "$tmp/bounds.json" <<'PY' || fail "an interval outside its bounds"
import json, sys
stats = []
def walk(o, key):
    if isinstance(o, dict):
        if "ci_low" in o:
            stats.append((key, o))
        for k, v in o.items():
            # A paired difference between two designs may be below 0.
            if k != "difference_to_recommended":
                walk(v, k)
    elif isinstance(o, list):
        for v in o:
            walk(v, key)
walk(json.load(open(sys.argv[1])), "")
assert len(stats) > 100, len(stats)
for key, s in stats:
    assert 0 <= s["ci_low"] <= s["mean"] <= s["ci_high"], (key, s)
    assert abs(s["half_width"] - (s["ci_high"] - s["ci_low"]) / 2) < 1e-9 * (1 + s["ci_high"])
    if key == "availability":
        assert s["ci_high"] <= 1, s
    if key == "downtime_min_per_year":
        assert s["ci_high"] <= 525960, s
PY
fi

# ---- paired comparisons (common random numbers, docs/compare.md) ----

# A spare server with no role, declared first, changes none of a design's
# figures: the copy ties with the original exactly (difference 0 +- 0), both
# ranked 1=, and the recommendation says so.
sed 's/^servers:$/servers:\n  - { name: spare, site: dc1, mtbf: 1mo, mttr: 2d }/' \
  topologies/5x-recommended.yaml >"$tmp/5x-spare.yaml"
grep -q 'name: spare' "$tmp/5x-spare.yaml" || fail "spare: could not build the design"
expect 0 compare --runs 40 --years 2 --seed 4 topologies/5x-recommended.yaml "$tmp/5x-spare.yaml"
[ "$(grep -Ec '^ +1=  (5x-recommended|5x-spare) ' "$tmp/out")" -eq 2 ] ||
  fail "spare: the two designs are not both ranked 1="
grep -Eq '^  5x-spare +\+0\.00  \[\+0\.00, \+0\.00\] .*not distinguishable' "$tmp/out" ||
  fail "spare: the difference is not exactly 0"
tr '\n' ' ' <"$tmp/out" | grep -q 'It ties with' || fail "spare: the recommendation states no tie"
# The per-feature rows of both designs are the same numbers, feature by feature.
grep -E '^  5x-recommended .*%' "$tmp/out" | sed 's/^  [^ ]* *//' >"$tmp/rows-a"
grep -E '^  5x-spare .*%' "$tmp/out" | sed 's/^  [^ ]* *//' >"$tmp/rows-b"
[ -s "$tmp/rows-a" ] && cmp -s "$tmp/rows-a" "$tmp/rows-b" || fail "spare: per-feature figures differ"

if have_python; then
  # Paired CIs narrower than independent ones on the bundled designs under
  # the bundled assumptions, where every design shares its site dc1 (which
  # fails) and some share servers (same kind and name): the measured
  # half-widths are printed in the log.
  for set in "topologies/two-site.yaml topologies/two-site-alwayson.yaml" \
             "topologies/5x-recommended.yaml topologies/4x-minimum.yaml topologies/12fe-large.yaml" \
             "$T topologies/4x-minimum.yaml topologies/5x-recommended.yaml $M"; do
    # shellcheck disable=SC2086
    "$Q" compare --runs 200 --years 5 --seed 1 --assume topologies/assumptions/default.yaml \
      --json --no-timing $set >"$tmp/p.json" 2>/dev/null || fail "paired: compare $set"
    python3 - "$tmp/p.json" <<'PY' || fail "paired CIs not narrower: $set"
import json, sys
d = json.load(open(sys.argv[1]))
groups = d["rank_groups"]
assert [l for g in groups for l in g] == d["ranking"], (groups, d["ranking"])
rec = d["designs"][0]
assert rec["difference_to_recommended"] is None and rec["rank"] == 1
seen = 0
for x in d["designs"][1:]:
    df = x["difference_to_recommended"]
    assert df is not None, x["label"]
    w = df["worst_downtime_min_per_year"]
    a = df["worst_availability"]
    mine = x["features"][[f["name"] for f in x["features"]].index(x["worst_feature"])]
    recw = rec["features"][[f["name"] for f in rec["features"]].index(rec["worst_feature"])]
    want = mine["operation"]["downtime_min_per_year"]["mean"] - \
        recw["operation"]["downtime_min_per_year"]["mean"]
    assert abs(w["mean"] - want) < 1e-6, (w["mean"], want)
    assert abs(a["mean"] * 525960 + w["mean"]) < 1e-6
    assert df["distinguishable"] == (w["ci_low"] > 0 or w["ci_high"] < 0)
    assert x["tied"] == (sum(1 for y in d["designs"] if y["rank"] == x["rank"]) > 1)
    ratio = w["half_width"] / df["independent_half_width_min_per_year"]
    print("paired %-20s vs %-20s half-width %.2f, independent %.2f, ratio %.2f"
          % (x["label"], rec["label"], w["half_width"], df["independent_half_width_min_per_year"], ratio))
    assert ratio < 0.5, ratio
    seen += 1
assert seen == len(d["designs"]) - 1
PY
  done

  # The bundled recommendation (make demo's comparison: DEMO_COMPARE in the
  # Makefile, the bundled assumptions) does not flip between 200 and 1000
  # runs: the same winner, or a tie stated as such (each winner is in the
  # other's first rank group).
  for runs in 200 1000; do
    # shellcheck disable=SC2046
    "$Q" compare --runs $runs --years 10 --seed 1 --assume topologies/assumptions/default.yaml \
      --json --no-timing $(LC_ALL=C ls topologies/*.yaml) >"$tmp/demo-$runs.json" ||
      fail "demo at $runs runs"
  done
  python3 - "$tmp/demo-200.json" "$tmp/demo-1000.json" <<'PY' || fail "the bundled recommendation flips between 200 and 1000 runs"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
wa, wb = a["ranking"][0], b["ranking"][0]
print("recommended at 200 runs: %s (tied: %s); at 1000 runs: %s (tied: %s)"
      % (wa, a["rank_groups"][0], wb, b["rank_groups"][0]))
assert wa == wb or (wb in a["rank_groups"][0] and "ties with" in a["recommendation"]) \
    or (wa in b["rank_groups"][0] and "ties with" in b["recommendation"])
PY
fi

# ---- --rare (docs/compare.md): every design through the importance-
# sampling estimator; against a plain compare of ten times the runs, each
# design's availability of every feature and the paired difference agree
# within 3.3 combined standard errors; the same output on 1 and 2 threads;
# the header says so; a design with several pools is refused plainly ----
R4=topologies/4x-minimum.yaml
"$Q" compare --rare --runs 200 --json --no-timing --threads 1 $M $R4 >"$tmp/rare1.json" \
  || fail "compare --rare: exit status"
"$Q" compare --rare --runs 200 --json --no-timing --threads 2 $M $R4 >"$tmp/rare2.json" \
  || fail "compare --rare, 2 threads: exit status"
cmp -s "$tmp/rare1.json" "$tmp/rare2.json" || fail "compare --rare: --threads 1 and 2 differ"
if have_python; then
  "$Q" compare --runs 2000 --json --no-timing $M $R4 >"$tmp/plain2000.json" \
    || fail "compare, 2000 runs: exit status"
  python3 - "$tmp/plain2000.json" "$tmp/rare1.json" <<'PY' || fail "compare --rare disagrees with plain compare"
import json, math, sys
p, r = (json.load(open(f)) for f in sys.argv[1:3])
assert p["parameters"]["rare"] is False and r["parameters"]["rare"] is True
def agree(what, a, b):
    se = math.hypot(a["half_width"], b["half_width"]) / 1.96
    assert se > 0 and abs(a["mean"] - b["mean"]) <= 3.3 * se, (what, a, b)
for dp, dr in zip(p["designs"], r["designs"]):
    assert dp["file"] == dr["file"]
    for fp, fr in zip(dp["features"] + [dp["pool"]], dr["features"] + [dr["pool"]]):
        agree((dp["file"], fp["name"]), fp["operation"]["availability"],
              fr["operation"]["availability"])
    if dp["difference_to_recommended"]:
        agree((dp["file"], "paired difference"),
              dp["difference_to_recommended"]["worst_availability"],
              dr["difference_to_recommended"]["worst_availability"])
PY
fi
expect 0 compare --rare --runs 10 --years 1 $M $R4
grep -q "rare-event acceleration (--rare): importance sampling, bias" "$tmp/out" \
  || fail "compare --rare: the header does not say so"
expect 2 compare --rare --runs 4 --years 1 topologies/dr/paired-pools.yaml
grep -qF -- '--rare is not built for a design with several pools' "$tmp/err" \
  || fail "compare --rare on a paired design: no clear refusal"

# ---- golden text output of two bundled designs (exact) ----
GOLDEN=tests/cli/golden/compare-2x-3.0.out
GOLDEN_ARGS="compare --runs 20 --years 2 --seed 1 $M $T"
# shellcheck disable=SC2086
"$Q" $GOLDEN_ARGS >"$tmp/golden.out" 2>&1 || fail "golden: exit status"
if ! diff -u "$GOLDEN" "$tmp/golden.out" >"$tmp/golden.diff"; then
  fail "golden compare output differs ($GOLDEN_ARGS)"
  cat "$tmp/golden.diff"
fi

# ---- golden text output of every bundled design under the bundled
# assumptions, as `make demo` shows it (exact; the file order is the C
# locale's, so the output does not depend on the machine's locale) ----
GOLDEN_ALL=tests/cli/golden/compare-bundled.out
ASSUME=topologies/assumptions/default.yaml
# shellcheck disable=SC2046
LC_ALL=C "$Q" compare --runs 20 --years 2 --seed 1 --assume $ASSUME $(LC_ALL=C ls topologies/*.yaml) \
  >"$tmp/golden-all.out" 2>&1 || fail "golden (bundled): exit status"
if ! diff -u "$GOLDEN_ALL" "$tmp/golden-all.out" >"$tmp/golden-all.diff"; then
  fail "golden compare output of the bundled designs differs (regenerate: LC_ALL=C $Q compare --runs 20 --years 2 --seed 1 --assume $ASSUME \$(LC_ALL=C ls topologies/*.yaml) > $GOLDEN_ALL)"
  cat "$tmp/golden-all.diff"
fi

# The same file twice, and x.yaml in two folders: labels x, x#2 (docs/compare.md).
mkdir -p "$tmp/other"
cp $T "$tmp/other/"
"$Q" compare $FAST --seed 2 --json $T $T "$tmp/other/3.0-three-servers.yaml" >"$tmp/dup.json" \
  || fail "compare: the same file twice"
if have_python; then
  python3 - "$tmp/dup.json" <<'PY' || fail "compare: duplicate labels"
import json, sys
d = json.load(open(sys.argv[1]))
labels = sorted(x["label"] for x in d["designs"])
assert labels == ["3.0-three-servers", "3.0-three-servers#2", "3.0-three-servers#3"], labels
assert sorted(d["ranking"]) == labels
PY
fi

finish
