#!/usr/bin/env bash
# sensitivity_ccf.sh: common-cause factors and latent-fault rates as
# uncertain values (docs/sensitivity.md, "Common-cause factors and latent
# faults"). The bundled common-cause.yaml with its two betas written as
# { low: 1%, high: 10% } and a latent fault on the front ends whose rate is
# { low: 1y, high: 10y }, over 5x-recommended and 2x-alwayson-fsw-disk:
#   - the three parameters are listed with their unit; every sampled value
#     lies inside its range and each of the 10 strata of its range holds
#     exactly one set (the Latin hypercube, recomputed here from the values);
#   - 5x-recommended: both betas move its worst feature up, distinguishably
#     (more common failures, more downtime), the latent rate down (a rarer
#     fault, less downtime);
#   - 2x-alwayson-fsw-disk: its backend group adds no member (s1 and s2 are
#     in the front ends' group already), so backend-build.beta has exactly no
#     effect: swing 0, CI [0, 0], "no effect";
#   - the whole output (text, JSON without timing) is byte-identical at
#     --threads 1 and 2;
#   - plain runs (compare) list the factor's range and run its median;
#   - bad ranges: file:line:col, exit 1, nothing run; a range in a topology's
#     own group is refused.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

C=topologies/assumptions/common-cause.yaml
D=(topologies/5x-recommended.yaml topologies/2x-alwayson-fsw-disk.yaml)
RUN=(--sets 10 --runs 100 --years 5 --seed 1)

sed -e 's/beta: 5%,/beta: { low: 1%, high: 10% },/' "$C" >"$tmp/u.yaml"
cat >>"$tmp/u.yaml" <<'YAML'
latent_faults:
  - { name: cert, members: frontends, every: { low: 1y, high: 10y },
      breaks: [presence, conferencing, address_book], fix: 4h }
YAML
[ "$(grep -c 'beta: { low: 1%, high: 10% }' "$tmp/u.yaml")" = 2 ] || fail "the test file has not two beta ranges"

# ---- same output at 1 and 2 threads ----
for th in 1 2; do
  expect 0 sensitivity "${RUN[@]}" --threads $th --assume "$tmp/u.yaml" "${D[@]}"
  cp "$tmp/out" "$tmp/t$th.txt"
  expect 0 sensitivity "${RUN[@]}" --threads $th --format json --no-timing --assume "$tmp/u.yaml" "${D[@]}"
  cp "$tmp/out" "$tmp/j$th.json"
done
cmp -s "$tmp/t1.txt" "$tmp/t2.txt" || fail "text: threads 1 and 2 differ"
cmp -s "$tmp/j1.json" "$tmp/j2.json" || fail "JSON: threads 1 and 2 differ"
grep -q '^  common_cause.frontend-build.beta log-uniform 1% to 10% ' "$tmp/t1.txt" ||
  fail "text: the factor's range is not listed as a percentage"
grep -Eq '^    common_cause.backend-build.beta +1.12% -> 8.91% .*no effect' "$tmp/t1.txt" ||
  fail "text: 2x-alwayson-fsw-disk's backend beta is not 'no effect' from 1.12% to 8.91%"

if have_python; then
  python3 - "$tmp/j1.json" <<'PY' || fail "JSON: the ranges, the sample or the tornado are wrong"
import json, math, sys
doc = json.load(open(sys.argv[1]))
par = {u["parameter"]: u for u in doc["uncertain"]}
want = {"common_cause.frontend-build.beta": ("fraction", 0.01, 0.1),
        "common_cause.backend-build.beta": ("fraction", 0.01, 0.1),
        "latent_faults.cert.every": ("seconds", 365.25 * 86400, 3652.5 * 86400)}
assert set(par) == set(want), sorted(par)
for k, (unit, lo, hi) in want.items():
    u = par[k]
    assert u["unit"] == unit, (k, u["unit"])
    assert abs(u["low_seconds"] - lo) < 1e-9 * hi and abs(u["high_seconds"] - hi) < 1e-9 * hi, u
    assert abs(u["point_seconds"] - math.sqrt(lo * hi)) < 1e-9 * hi, u
    # Latin hypercube: inside the range, one set in each tenth of it (log scale)
    qs = [math.log(s["values_seconds"][k] / lo) / math.log(hi / lo) for s in doc["sets"]]
    assert len(qs) == 10 and all(0 < q < 1 for q in qs), (k, qs)
    assert sorted(int(q * 10) for q in qs) == list(range(10)), (k, qs)
assert par["common_cause.frontend-build.beta"]["item"] == "common_cause.frontend-build"
bars = {d["label"]: {b["parameter"]: b for b in d["tornado"]} for d in doc["designs"]}
five = bars["5x-recommended"]
for k in ("common_cause.frontend-build.beta", "common_cause.backend-build.beta"):
    b = five[k]
    assert b["swing"] > 0 and b["swing_ci_low"] > 0, (k, b)      # more beta, more downtime
    assert abs(b["low_seconds"] - 0.01 * 10 ** 0.05) < 1e-12, b  # its 5th percentile
b = five["latent_faults.cert.every"]
assert b["swing"] < 0 and b["swing_ci_high"] < 0, b               # rarer, less downtime
two = bars["2x-alwayson-fsw-disk"]["common_cause.backend-build.beta"]
assert two["swing"] == 0 and two["swing_ci_low"] == 0 and two["swing_ci_high"] == 0, two
assert two["verdict"] == "no effect", two
assert two["downtime_at_low"] == two["downtime_at_high"], two
f = bars["2x-alwayson-fsw-disk"]["common_cause.frontend-build.beta"]
assert f["swing"] > 0 and f["swing_ci_low"] > 0, f
PY
fi

# ---- plain runs: the median, and the range said ----
expect 0 compare --runs 5 --years 1 --seed 1 --assume "$tmp/u.yaml" topologies/5x-recommended.yaml
grep -q 'frontend-build: beta-factor, beta 3.162%, .*; uncertain: beta log-uniform 1% to 10%, the value is its median' "$tmp/out" ||
  fail "compare: the group's factor is not its median with its range"

# ---- bad ranges ----
cat >"$tmp/bad.yaml" <<'YAML'
common_cause:
  - { name: a, members: frontends, beta: { median: 5%, error_factor: 3 } }
  - { name: b, members: backend, model: mgl, beta: 5%, gamma: { low: 0, high: 10% } }
latent_faults:
  - { name: f, members: frontends, every: { low: 10y, high: 1y }, breaks: [presence] }
YAML
expect 1 sensitivity "${RUN[@]}" --assume "$tmp/bad.yaml" "${D[@]}"
grep -q "bad.yaml:2:42: error: the uncertain value of common-cause factor 'common_cause.a.beta' is { low, high }" "$tmp/err" ||
  fail "no file:line:col error for a lognormal factor"
grep -q "bad.yaml:3:70: error: 'low' of the uncertain value of 'common_cause.b.gamma' must be a fraction between 0 and 1" "$tmp/err" ||
  fail "no file:line:col error for a factor of 0"
grep -q "bad.yaml:5:61: error: 'high' (1y) must be greater than 'low' (10y) in the uncertain value of 'latent_faults.f.every'" "$tmp/err" ||
  fail "no file:line:col error for an upside-down rate"
[ -s "$tmp/out" ] && fail "bad ranges: something was run"
{ grep -v '^#' topologies/5x-recommended.yaml
  printf 'common_cause:\n  - { name: b, members: [fe1, fe2, fe3], beta: { low: 1%%, high: 5%% } }\n'; } >"$tmp/own.yaml"
expect 1 check "$tmp/own.yaml"
grep -q "own.yaml:[0-9]*:[0-9]*: error: an uncertain value .* for 'beta' is allowed only in an assumptions file" "$tmp/out" ||
  fail "a topology's own factor range is not refused with file:line:col"

finish "all passed"
