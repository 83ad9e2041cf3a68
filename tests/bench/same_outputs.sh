#!/usr/bin/env bash
# same_outputs.sh OLD NEW: check that a speed-up changed no result. Runs two
# quorate binaries (say, one built from main and one from a branch) on
# every bundled design (topologies/*.yaml, dr/, vms/), with and without the
# latent-fault and common-cause assumption files, on variants of
# 5x-recommended with a standalone SQL server and a share, an external SQL
# service, and mirroring without a witness, and on `compare`; every output
# (`simulate --json --no-timing`, at 1 and 2 threads) must be byte for byte
# the same. Exits 0 when they all are, 1 and names the first differences
# otherwise. Not part of `make test` (it takes about a minute); run it
# before committing a change to the simulator's hot path (HACKING.md).
set -u
[ $# -eq 2 ] || { echo "usage: $0 OLD_QUORATE NEW_QUORATE" >&2; exit 2; }
old=$1 new=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/var" "$work/old" "$work/new"

base=topologies/5x-recommended.yaml
mirror='backend: { mirroring: { principal: sql1, mirror: sql2, witness: sqlw } }'
sed "s/$mirror/backend: { standalone: sql1 }/; s/file_store: { dfs: \[sql1, sql2\] }/file_store: { share: sql2 }/" \
  "$base" >"$work/var/standalone-share.yaml"
sed "s/$mirror/backend: { external: { availability: 99.9%, mttr: 1h } }/" "$base" \
  >"$work/var/external.yaml"
sed "s/$mirror/backend: { mirroring: { principal: sql1, mirror: sql2 } }/" "$base" \
  >"$work/var/no-witness.yaml"

run_all() { # BIN DIR
  local bin=$1 dir=$2 f n a
  for f in topologies/*.yaml topologies/dr/*.yaml topologies/vms/*.yaml "$work"/var/*.yaml; do
    n=$(basename "$f" .yaml)
    "$bin" simulate --json --no-timing --runs 40 --years 20 --threads 2 --seed 7 "$f" \
      >"$dir/$n.json" 2>&1
    "$bin" simulate --json --no-timing --runs 4 --years 100 --threads 1 --seed 3 "$f" \
      >"$dir/$n.long.json" 2>&1
    for a in latent-faults latent-faults-verified common-cause; do
      "$bin" simulate --json --no-timing --runs 20 --years 30 --threads 2 --seed 5 \
        --assume "topologies/assumptions/$a.yaml" "$f" >"$dir/$n.$a.json" 2>&1
    done
  done
  "$bin" compare topologies/*.yaml >"$dir/compare.out" 2>&1
  "$bin" compare --runs 30 --years 10 topologies/vms/*.yaml >"$dir/compare-vms.out" 2>&1
  "$bin" simulate --json --no-timing --runs 10 --years 1000 --threads 1 --seed 1 \
    topologies/12fe-large.yaml >"$dir/12fe-large-long.json" 2>&1
}

run_all "$old" "$work/old"
run_all "$new" "$work/new"
n=$(ls "$work/old" | wc -l)
if diff -rq "$work/old" "$work/new" >"$work/diff.txt"; then
  echo "same outputs: $n files byte for byte"
  exit 0
fi
echo "outputs differ:" >&2
head -n 10 "$work/diff.txt" >&2
exit 1
