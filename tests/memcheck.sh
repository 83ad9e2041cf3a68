#!/usr/bin/env bash
# memcheck.sh QUORATE: the CLI under valgrind (`make memcheck`; not part of
# `make test`, which already runs everything under ASan+UBSan). Every
# command of the CLI on good, bad and hostile input, with leak checking on
# every kind of leak (tests/valgrind.supp lists the one block of a library
# that is excluded); fails when valgrind reports an error or a leak.
set -u
q=${1:?usage: memcheck.sh QUORATE}
command -v valgrind >/dev/null 2>&1 || { echo "memcheck: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
cd "$(dirname "$0")/.." || exit 2
vg=(valgrind --quiet --suppressions=tests/valgrind.supp --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all --error-exitcode=99)
pass=0 fail=0
run() {
    "${vg[@]}" "$q" "$@" >/dev/null 2>/tmp/quorate-memcheck.$$
    local rc=$?
    if [ $rc -eq 99 ] || grep -q "==[0-9]*== [A-Z]" /tmp/quorate-memcheck.$$; then
        echo "memcheck: FAIL: quorate $*" >&2
        cat /tmp/quorate-memcheck.$$ >&2
        fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
}
run --help
run check topologies/*.yaml
run check --format json topologies/*.yaml
run check --format sarif topologies/*.yaml
run check tests/bad/*.yaml
run check /nonexistent.yaml
run check topologies/3.0-three-servers.yaml --format sarif -o /tmp/quorate-memcheck-out.$$
run check -o /nonexistent-dir/r.txt topologies/3.0-three-servers.yaml
run simulate --runs 4 --years 2 --threads 2 topologies/3.0-three-servers.yaml
run simulate --runs 4 --years 2 --json topologies/2x-mirror-witness.yaml
run simulate --static --runs 3 --years 1 --json topologies/two-site.yaml
run simulate --precision 0.5 --runs 2 --max-runs 4 --years 1 topologies/5x-recommended.yaml
run simulate tests/bad/wrong-type.yaml
run simulate --bogus
run simulate --runs 4 --years 1 --threads 2 --html /tmp/quorate-memcheck-shtml.$$ topologies/two-site-alwayson.yaml
run simulate --static --runs 3 --years 1 --html /tmp/quorate-memcheck-shtml.$$ topologies/2x-alwayson-fsw-disk.yaml
run compare --runs 4 --years 0.5 --threads 2 topologies/*.yaml
run compare --runs 3 --years 0.5 --json --rank-by value topologies/*.yaml tests/bad/wrong-type.yaml /nonexistent.yaml
run compare --bogus
run compare --runs 3 --years 0.5 --threads 2 --html /tmp/quorate-memcheck-chtml.$$ topologies/2x-mirror-witness.yaml topologies/two-site-alwayson.yaml topologies/12fe-large.yaml
run compare --runs 2 --years 0.5 --html /nonexistent-dir/x.html topologies/3.0-three-servers.yaml
run analyze topologies/5x-recommended.yaml
run analyze --json --fail-on-spof topologies/2x-alwayson-fsw-disk.yaml
run analyze tests/bad/wrong-type.yaml
run simulate --runs 2 --years 1 --json --assume topologies/assumptions/default.yaml topologies/2x-alwayson-fsw-disk.yaml
run compare --runs 2 --years 0.5 --assume topologies/assumptions/default.yaml --html /tmp/quorate-memcheck-chtml.$$ topologies/two-site.yaml topologies/3.0-three-servers.yaml
run compare --runs 2 --years 0.5 --json --assume tests/cli/golden-assume/bad.yaml topologies/two-site.yaml
run analyze --json --assume topologies/assumptions/default.yaml topologies/12fe-large.yaml
run simulate --runs 2 --years 1 --assume tests/cli/golden-assume/bad.yaml topologies/3.0-three-servers.yaml
run plan --runs 2 --years 0.5 --assume topologies/assumptions/default.yaml docs/plan-example.yaml
run sensitivity --sets 3 --runs 2 --years 0.5 --threads 2 --assume topologies/assumptions/uncertain.yaml --html /tmp/quorate-memcheck-vhtml.$$ topologies/3.0-three-servers.yaml topologies/two-site-alwayson.yaml tests/bad/wrong-type.yaml
run sensitivity --sets 2 --runs 2 --years 0.5 --json --assume topologies/assumptions/uncertain.yaml topologies/2x-mirror-witness.yaml
run sensitivity --sets 2 --runs 2 --years 0.5 --format csv --table sets --assume topologies/assumptions/uncertain.yaml topologies/2x-mirror-witness.yaml
run sensitivity --sets 2 --runs 2 --assume tests/cli/golden-sensitivity/bad.yaml topologies/3.0-three-servers.yaml
run sensitivity --sets 2 --runs 2 --assume topologies/assumptions/default.yaml topologies/3.0-three-servers.yaml
run sensitivity --bogus
run graph topologies/two-site-alwayson.yaml
run check topologies/vms/*.yaml tests/rules/VM00*.yaml
run simulate --runs 3 --years 2 --threads 2 topologies/vms/5x-3-hosts-ha.yaml
run scenario topologies/vms/5x-3-hosts-ha.yaml docs/labs/vm-host-failure.yaml
run graph --format graphml topologies/12fe-large.yaml
run graph -o /tmp/quorate-memcheck-out.$$ topologies/two-site.yaml
run graph -o /nonexistent-dir/g.dot topologies/two-site.yaml
run plan --runs 3 --years 0.5 --threads 2 -o /tmp/quorate-memcheck-plan.$$ docs/plan-example.yaml
run plan --runs 3 --years 0.5 --json docs/plan-example.yaml
run plan tests/bad/wrong-type.yaml
run plan --bogus
for cmd in export scenario lab; do   # commands of later issues, when present
    if "$q" "$cmd" --help >/dev/null 2>&1; then
        run "$cmd" --help
    fi
done
run export -o /tmp/quorate-memcheck-out.$$ topologies/5x-recommended.yaml
run export -o /nonexistent-dir/m.xml topologies/5x-recommended.yaml
run scenario topologies/2x-mirror-witness.yaml docs/labs/m1.8-principal-server.yaml
run scenario --json --html /tmp/quorate-memcheck-html.$$ docs/labs/wsfc-dynamic.topology.yaml docs/labs/wsfc-last-node.yaml
run scenario topologies/2x-mirror-witness.yaml tests/labs/false-expectation.yaml
run scenario docs/labs/latent-pool.topology.yaml docs/labs/latent-cls-crash.yaml   # M7.3
# several pools (M10): the pairing simulation, its static and exact views, export, scenario
run check topologies/dr/paired-pools.yaml tests/rules/PP00*.yaml
run simulate --runs 3 --years 1 --threads 2 topologies/dr/paired-pools.yaml
run simulate --static --runs 2 --years 1 topologies/dr/paired-pools.yaml
run analyze --json topologies/dr/paired-pools.yaml
run export topologies/dr/paired-pools.yaml
run scenario topologies/dr/paired-pools.yaml docs/labs/dc-lost-pool-failover.yaml
run scenario --json topologies/dr/paired-pools.yaml tests/labs/dr-false-expectation.yaml
run simulate --runs 2 --years 1 tests/cli/fixtures/paired-ccf.yaml
run sensitivity --assume topologies/assumptions/uncertain.yaml --sets 2 --runs 2 --years 1 topologies/dr/paired-pools.yaml
# rare events (--rare) and a link partition
run simulate --rare --runs 2 --years 1 topologies/5x-recommended.yaml
run scenario topologies/two-site.yaml docs/labs/partition-isolated-principal.yaml
run scenario topologies/2x-mirror-witness.yaml tests/labs/bad-key.yaml
printf '%s\n' 'crash s1' 'advance 2m' 'status' 'expect pool down' 'undo' 'bogus' \
    "save /nonexistent-dir/s.yaml" "save /tmp/quorate-memcheck-lab.$$" >/tmp/quorate-memcheck-in.$$
run lab topologies/2x-mirror-witness.yaml </tmp/quorate-memcheck-in.$$
# Issue 13: lab snapshots (100 commands, undos past several marks), a line
# over the limit; the event budget; degenerate and capped inputs.
{ for i in $(seq 1 50); do printf '%s\n' 'crash s1' 'advance 1m'; done
  for i in $(seq 1 40); do echo undo; done
  head -c 5000 /dev/zero | tr '\0' x; echo; echo 'advance 101y'; } >/tmp/quorate-memcheck-in.$$
run lab topologies/2x-mirror-witness.yaml </tmp/quorate-memcheck-in.$$
sed 's/mtbf: 6mo, mttr: 4h/mtbf: 1s, mttr: 1s/' topologies/3.0-three-servers.yaml >/tmp/quorate-memcheck-out.$$
run simulate --runs 2 --threads 2 /tmp/quorate-memcheck-out.$$
run check tests/bad/degenerate-mtbf.yaml tests/bad/utf32-bom.yaml
rm -f /tmp/quorate-memcheck-out.$$ /tmp/quorate-memcheck-vhtml.$$ /tmp/quorate-memcheck-chtml.$$ /tmp/quorate-memcheck-shtml.$$ /tmp/quorate-memcheck.$$ /tmp/quorate-memcheck-plan.$$ /tmp/quorate-memcheck-html.$$ /tmp/quorate-memcheck-in.$$ /tmp/quorate-memcheck-lab.$$
echo "memcheck: $pass passed, $fail failed"
[ $fail -eq 0 ]
