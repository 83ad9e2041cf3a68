#!/usr/bin/env bash
# html.sh: `compare --html`, `simulate --html` (src/out/html_report.h) and
# `sensitivity --html` (src/out/html_sensitivity.c). The
# structure of the pages is checked with grep (sections, tables, SVG, every
# design, no external reference), the same seed must give the same bytes
# with 1 and 2 threads, an unwritable path exits 2 and leaves nothing.
# Then, when Debian's chromium is installed, each page is opened headless:
# a screenshot of a non-trivial size, the rendered DOM with the expected
# sections, and no script error on chromium's log. Run from the
# repository root with QUORATE set.
. "$(dirname "$0")/lib.sh"

designs=(topologies/2x-mirror-witness.yaml topologies/two-site-alwayson.yaml topologies/12fe-large.yaml)
# A target: its line, verdicts and counts are on both pages (issue 13).
run=(--runs 20 --years 1 --seed 3 --target 99.99%)

# ---- compare --html ----
"$Q" compare "${run[@]}" --threads 1 --html "$tmp/c1.html" "${designs[@]}" >"$tmp/c.txt" \
  || fail "compare --html: exit non-zero"
"$Q" compare "${run[@]}" --threads 2 --html "$tmp/c2.html" "${designs[@]}" >/dev/null \
  || fail "compare --html --threads 2: exit non-zero"
cmp -s "$tmp/c1.html" "$tmp/c2.html" || fail "compare --html: threads 1 and 2 differ"
"$Q" compare "${run[@]}" "${designs[@]}" >"$tmp/c0.txt"
cmp -s "$tmp/c.txt" "$tmp/c0.txt" || fail "compare --html changes the text output"
c="$tmp/c1.html"
head -c 15 "$c" | grep -qF '<!DOCTYPE html>' || fail "compare --html: no doctype"
for id in scorecard recommendation causes charts downtime topology nk topology-1 topology-3 nk-1 nk-3; do
  grep -qF "id=\"$id\"" "$c" || fail "compare --html: no element id=$id"
done
grep -qF '<table class="scorecard">' "$c" || fail "compare --html: no scorecard table"
grep -qF 'Cost per year in server-equivalents (1 a full server, 0.25 a witness-only part, 1 a host)' "$c" \
  || fail "compare --html: the cost unit line does not price hosts"
grep -qF '<table class="nk">' "$c" || fail "compare --html: no N-k table"
# Downtime by cause: the chart and both tables, a row per design's worst feature and pool.
grep -qF 'aria-label="downtime by cause"' "$c" || fail "compare --html: no downtime-by-cause chart"
grep -qF '<table class="causes">' "$c" || fail "compare --html: no causes table"
grep -qF '<table class="starts">' "$c" || fail "compare --html: no started-by table"
grep -qF '2x-mirror-witness: pool</td>' "$c" || fail "compare --html: no cause row of 2x-mirror-witness's pool"
for col in rank design notation servers cost/yr paper 'operation (95% CI)' 'gap min/yr' \
           'downtime min/yr' 'vs recommended min/yr (paired 95% CI)' outages/yr 'soft resets/yr' \
           'SPOFs (any loss)'; do
  grep -qF "<th>$col</th>" "$c" || fail "compare --html: no column '$col'"
done
for label in 2x-mirror-witness two-site-alwayson 12fe-large; do
  grep -qF "<b>$label</b>" "$c" || fail "compare --html: design $label not in the scorecard"
done
[ "$(grep -c '<svg' "$c")" -ge 10 ] || fail "compare --html: fewer SVG drawings than expected"
grep -qF 'class="bar"' "$c" || fail "compare --html: no histogram bar"
grep -qF 'class="operation"' "$c" || fail "compare --html: no operation point in the scatter"
# Issue 13: a table of contents with anchors, the per-design parts folded
# (the recommended design's open), the target, the two kinds of SPOF, a
# legend for both markers.
grep -qF '<nav id="contents" class="toc">' "$c" || fail "compare --html: no table of contents"
for a in scorecard recommendation causes charts downtime topology nk assumptions topology-1 nk-3 downtime-2; do
  grep -qF "<a href=\"#$a\">" "$c" || fail "compare --html: the contents do not link #$a"
  grep -qE "id=\"$a\"" "$c" || fail "compare --html: no anchor $a for the contents"
done
grep -qF '<details id="topology-1" open>' "$c" || fail "compare --html: the recommended design's drawing is not open"
grep -qF '<details id="nk-2">' "$c" || fail "compare --html: another design's N-k table is not folded"
grep -qF '<th>target 99.99%</th>' "$c" || fail "compare --html: no target column"
grep -qE '<td class="(meets|misses)">' "$c" || fail "compare --html: no target verdict"
grep -qF '<line class="target" x1="70"' "$c" || fail "compare --html: no target line in the scatter"
[ "$(grep -c 'within the target' "$c")" -ge 3 ] || fail "compare --html: no target on the distributions"
grep -qF '<th>SPOFs (total loss)</th>' "$c" || fail "compare --html: the N-k row does not say total loss"
grep -qF '>paper (exact, M9), hollow</text>' "$c" || fail "compare --html: no legend for the hollow marker"
grep -qF 'id="c-sqlw"' "$c" || fail "compare --html: server sqlw not drawn"
grep -qF 'front end, seed (votes)' "$c" || fail "compare --html: no seed front end label"
grep -qF 'SQL witness (votes)' "$c" || fail "compare --html: no SQL witness label"
grep -qF 'AlwaysOn replica' "$c" || fail "compare --html: no AlwaysOn replica label"
grep -qiE 'src=|href="[^#]|https?:|@import|url\(|<script' "$c" \
  && fail "compare --html: refers to something outside the page, or has a script"

# ---- simulate --html ----
s="$tmp/s1.html"
"$Q" simulate "${run[@]}" --threads 1 --html "$s" topologies/two-site-alwayson.yaml >/dev/null \
  || fail "simulate --html: exit non-zero"
"$Q" simulate "${run[@]}" --threads 2 --html "$tmp/s2.html" topologies/two-site-alwayson.yaml >/dev/null \
  || fail "simulate --html --threads 2: exit non-zero"
cmp -s "$s" "$tmp/s2.html" || fail "simulate --html: threads 1 and 2 differ"
for id in features causes charts downtime topology nk; do
  grep -qF "id=\"$id\"" "$s" || fail "simulate --html: no element id=$id"
done
for f in signin_im presence conferencing persistent_changes pool; do
  grep -qF "<td>$f</td>" "$s" || fail "simulate --html: no row for $f"
  grep -qF "$f: downtime per replication" "$s" || fail "simulate --html: no histogram of $f"
done
grep -qF 'link dc1-dc2' "$s" || fail "simulate --html: link not drawn"
grep -qF '<table class="causes">' "$s" || fail "simulate --html: no causes table"
grep -qF '<table class="starts">' "$s" || fail "simulate --html: no started-by table"
grep -qF '<td>server crash</td>' "$s" || fail "simulate --html: no outage started by a server crash"
grep -qF '<nav id="contents" class="toc">' "$s" || fail "simulate --html: no table of contents"
grep -qF '<th>target 99.99%</th>' "$s" || fail "simulate --html: no target column"
[ "$(grep -cE '<td class="(meets|misses)">' "$s")" -eq 6 ] || fail "simulate --html: not a verdict per feature"
[ "$(grep -c 'within the target' "$s")" -eq 7 ] || fail "simulate --html: not a target note per chart"
grep -qiE 'src=|href="[^#]|https?:|@import|url\(|<script' "$s" \
  && fail "simulate --html: refers to something outside the page, or has a script"
"$Q" simulate --static --runs 5 --years 1 --html "$tmp/st.html" topologies/2x-mirror-witness.yaml >/dev/null \
  || fail "simulate --static --html: exit non-zero"
grep -qF '<th>exact (M9)</th>' "$tmp/st.html" || fail "simulate --static --html: no exact column"
grep -qF 'Per year: none counted in the static view (M9)' "$tmp/st.html" \
  || fail "simulate --static --html: does not say why there are no per-year counters"
grep -qF 'pool quorum losses' "$tmp/st.html" && fail "simulate --static --html: per-year counters (all 0 in M9)"

# ---- sensitivity --html (src/out/html_sensitivity.c) ----
sens=(--sets 4 --runs 4 --years 1 --seed 3 --assume topologies/assumptions/uncertain.yaml)
"$Q" sensitivity "${sens[@]}" --threads 1 --html "$tmp/v1.html" "${designs[@]}" >/dev/null \
  || fail "sensitivity --html: exit non-zero"
"$Q" sensitivity "${sens[@]}" --threads 2 --html "$tmp/v2.html" "${designs[@]}" >/dev/null \
  || fail "sensitivity --html --threads 2: exit non-zero"
cmp -s "$tmp/v1.html" "$tmp/v2.html" || fail "sensitivity --html: threads 1 and 2 differ"
v="$tmp/v1.html"
head -c 15 "$v" | grep -qF '<!DOCTYPE html>' || fail "sensitivity --html: no doctype"
for id in best parameters percentiles tornado tornado-1 tornado-3 assumptions; do
  grep -qF "id=\"$id\"" "$v" || fail "sensitivity --html: no element id=$id"
done
grep -qF 'aria-label="probability of being the best design"' "$v" || fail "sensitivity --html: no ranking chart"
[ "$(grep -c 'downtime, min/yr"' "$v")" -eq 3 ] || fail "sensitivity --html: not a tornado per design"
grep -qF 'server.mtbf at 3.4mo' "$v" || fail "sensitivity --html: no bar of server.mtbf at its 5th percentile"
grep -qF 'uncertain: log-uniform 3mo to 3y' "$v" || fail "sensitivity --html: the assumptions do not show a range"
grep -qiE 'src=|href=|https?:|@import|url\(|<script' "$v" \
  && fail "sensitivity --html: refers to something outside the page, or has a script"

# ---- errors: exit 2, nothing left behind ----
mkdir "$tmp/ro"
"$Q" compare --runs 2 --years 0.1 --html /nonexistent-dir/x.html topologies/3.0-three-servers.yaml \
  >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || fail "compare --html to an unwritable place: exit $rc, expected 2"
grep -qF "cannot write '/nonexistent-dir/x.html'" "$tmp/err" || fail "compare --html: no clear message"
"$Q" simulate --runs 2 --years 0.1 --html /nonexistent-dir/x.html topologies/3.0-three-servers.yaml \
  >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || fail "simulate --html to an unwritable place: exit $rc, expected 2"
grep -qF "cannot write '/nonexistent-dir/x.html'" "$tmp/err" || fail "simulate --html: no clear message"
# A directory as the target: the rename fails; no temporary file remains.
"$Q" simulate --runs 2 --years 0.1 --html "$tmp/ro" topologies/3.0-three-servers.yaml >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "simulate --html onto a directory: exit $rc, expected 2"
[ -z "$(ls -A "$tmp/ro")" ] && [ "$(ls "$tmp" | grep -c '\.html\.')" -eq 0 ] \
  || fail "simulate --html: a temporary file was left behind"
"$Q" compare --html >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "compare --html without a value: exit $rc, expected 2"
"$Q" simulate --html= topologies/3.0-three-servers.yaml >/dev/null 2>&1; rc=$?
[ "$rc" -eq 2 ] || fail "simulate --html= : exit $rc, expected 2"
# The page cannot share standard output with the report.
"$Q" compare --runs 2 --years 0.1 --html - topologies/3.0-three-servers.yaml >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && [ ! -s "$tmp/out" ] && grep -q "needs a file name" "$tmp/err" \
  || fail "compare --html -: exit $rc, expected 2 with a message and no output"

# ---- in a browser: Debian's chromium, headless ----
if ! command -v chromium >/dev/null 2>&1; then
  echo "SKIP: chromium not installed"
else
  chrome=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking)
  for page in c1 s1 v1; do
    url="file://$tmp/$page.html"
    timeout 60 "${chrome[@]}" --user-data-dir="$tmp/profile-$page-a" --enable-logging=stderr --v=0 \
      --screenshot="$tmp/$page.png" --window-size=1280,2000 "$url" >/dev/null 2>"$tmp/$page.shot.log" \
      || fail "chromium --screenshot of $page: exit non-zero"
    size=$(stat -c %s "$tmp/$page.png" 2>/dev/null || echo 0)
    [ "$size" -gt 20000 ] || fail "chromium screenshot of $page: $size bytes"
    echo "chromium screenshot of $page: $size bytes"
    timeout 60 "${chrome[@]}" --user-data-dir="$tmp/profile-$page-b" --enable-logging=stderr --v=0 \
      --dump-dom "$url" >"$tmp/$page.dom" 2>"$tmp/$page.dom.log" \
      || fail "chromium --dump-dom of $page: exit non-zero"
    if [ "$page" = v1 ]; then ids="best tornado assumptions"; else ids="charts topology nk"; fi
    for id in $ids; do
      grep -qF "id=\"$id\"" "$tmp/$page.dom" || fail "chromium DOM of $page: no id=$id"
    done
    grep -qF '<svg' "$tmp/$page.dom" || fail "chromium DOM of $page: no svg"
    grep -qF '<table' "$tmp/$page.dom" || fail "chromium DOM of $page: no table"
    # Script errors only: chromium's other stderr noise is ignored.
    if grep -hE 'Uncaught|CONSOLE.*(ERROR|error)|console error' "$tmp/$page.shot.log" "$tmp/$page.dom.log" \
        | grep -F "$page.html"; then
      fail "chromium reports a script error on $page"
    fi
  done
  grep -qF 'id="scorecard"' "$tmp/c1.dom" || fail "chromium DOM of compare: no scorecard"
  grep -qF 'id="features"' "$tmp/s1.dom" || fail "chromium DOM of simulate: no features"
  grep -qF 'id="percentiles"' "$tmp/v1.dom" || fail "chromium DOM of sensitivity: no percentiles"
fi

finish "compare, simulate and sensitivity pages are complete and self-contained"
