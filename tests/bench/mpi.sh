#!/usr/bin/env bash
# mpi.sh BUILD: the MPI speed-up, for `make bench` (tests/bench/run.sh calls
# it; it also runs alone). The full model on topologies/12fe-large.yaml
# (BENCH_MPI_RUNS runs, default 1000, x 10 years, one thread per process),
# side by side: one process without mpirun, `mpirun -np 1` and `mpirun -np
# 2`, and for reference one process of 2 threads (what the machine gives
# two threads at the moment: on a busy machine, no more than it gives two
# ranks). Each is timed twice: the simulation itself (the JSON's
# timing.wall_seconds, measured by rank 0 from the first replication to the
# last gather) and the whole command (with MPI's start-up), best of
# BENCH_REPEAT (default 3). The speed-up at 2 ranks is the 1-rank time over
# the 2-rank time; the pool unavailability must be the same in all three.
# Prints a small table and the ratio against the target (PASS/MISS); skips
# with a note when mpirun is missing or the binary was built without MPI.
# Exits 0 on a miss (a measurement, not a test).
set -u
build=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
Q="$build/quorate"
RUNS=${BENCH_MPI_RUNS:-1000}
REPEAT=${BENCH_REPEAT:-3}
SEED=${BENCH_SEED:-1}
TOPO=topologies/12fe-large.yaml
TARGET=1.8                    # as the 2-thread target of run.sh
out="$build/bench"
mkdir -p "$out"
log="$out/mpi.log"
: >"$log"

say() { printf '%s\n' "$*"; }
say "MPI speed-up: simulate $TOPO (full model), $RUNS runs x 10 years, --threads 1 per process, best of $REPEAT"
if ! command -v mpirun >/dev/null 2>&1; then
  say "  n/a: mpirun is not installed (Debian: openmpi-bin)"; exit 0
fi
if [ ! -x "$Q" ] || "$Q" --version | grep -q '^MPI: none$'; then
  say "  n/a: $Q was built without MPI (mpicc missing, or MPI=0)"; exit 0
fi
MPIRUN=(mpirun --oversubscribe --bind-to none)
export OMPI_MCA_btl_vader_single_copy_mechanism=none # as tests/cli/mpi.sh
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)

# measure NP [THREADS]: NP 0 = no mpirun. Prints "sim_s whole_s unavail events".
measure() {
  local np=$1 threads=${2:-1} best_sim="" best_whole="" line t0 t1 sim whole
  local cmd=("$Q" simulate --json --threads "$threads" --runs "$RUNS" --years 10 --seed "$SEED" "$TOPO")
  [ "$np" -gt 0 ] && cmd=("${MPIRUN[@]}" -np "$np" "${cmd[@]}")
  for _ in $(seq "$REPEAT"); do
    t0=$(date +%s.%N)
    "${cmd[@]}" >"$out/mpi$np.json" 2>>"$log" || return 1
    t1=$(date +%s.%N)
    line=$(python3 - "$out/mpi$np.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(d["timing"]["wall_seconds"], 1.0 - d["pool"]["availability"]["mean"],
      d["run_statistics"]["events_processed"])
PYEOF
) || return 1
    sim=${line%% *}
    whole=$(awk "BEGIN { print $t1 - $t0 }")
    if [ -z "$best_sim" ] || awk "BEGIN { exit !($sim < $best_sim) }"; then best_sim=$sim; fi
    if [ -z "$best_whole" ] || awk "BEGIN { exit !($whole < $best_whole) }"; then best_whole=$whole; fi
  done
  printf '%s %s %s\n' "$best_sim" "$best_whole" "${line#* }"
}

if ! { r0=$(measure 0) && r1=$(measure 1) && r2=$(measure 2) && t2=$(measure 0 2); }; then
  say "  n/a: a run failed (see $log)"; exit 0
fi
printf '  %-26s %12s %12s %14s %12s\n' "" "simulation s" "command s" "pool unavail" "events"
for r in "one process:$r0" "mpirun -np 1:$r1" "mpirun -np 2:$r2" "one process, 2 threads:$t2"; do
  read -r sim whole unavail events <<<"${r#*:}"
  printf '  %-26s %12.3f %12.3f %14.6e %12s\n' "${r%%:*}" "$sim" "$whole" "$unavail" "$events"
done
read -r s1 w1 u1 _ <<<"$r1"
read -r s2 w2 u2 _ <<<"$r2"
read -r s0 _ u0 _ <<<"$r0"
read -r st2 _ _ _ <<<"$t2"
same=PASS; [ "$u0" = "$u1" ] && [ "$u1" = "$u2" ] || same=MISS
sp=$(awk "BEGIN { printf \"%.3g\", $s1 / $s2 }")
spw=$(awk "BEGIN { printf \"%.3g\", $w1 / $w2 }")
verdict=$(awk "BEGIN { exit !($sp >= $TARGET) }" && echo PASS || echo MISS)
printf '  %-34s %8s   target >= %s  %s\n' "speed-up 2 ranks / 1 rank" "$sp" "$TARGET" "$verdict"
printf '  %-34s %8s   (with mpirun start-up)\n' "the same, whole command" "$spw"
printf '  %-34s %8s   (what this machine gave two threads meanwhile)\n' "for reference: 2 threads / 1 thread" \
  "$(awk "BEGIN { printf \"%.3g\", $s0 / $st2 }")"
printf '  %-34s %8s   %s\n' "same pool figure at 1, 2 ranks" "" "$same"
exit 0
