#!/usr/bin/env bash
# run.sh BUILD [all|bare]: the simulator benchmark (`make bench`; not part of
# `make test`).
#
# One run measures, side by side, on the 3-FE majority model of
# tests/bench/simpy_pool.py (MTBF 2000h, MTTR 8h, exponential, pool up while
# 2 of 3 front ends are up):
#   - the SimPy peer (tests/bench/simpy_pool.py under /usr/bin/python3 with
#     Debian's python3-simpy, installed with apt-get when missing; when SimPy
#     cannot be had, its column is skipped with a note and the rest runs);
#   - the bare loop (tests/bench/bare_loop.c): the same model on sim_queue +
#     sim_rng + sim_dist and nothing else, the practical speed limit;
#   - quorate itself: `quorate simulate --static --json` on
#     tests/bench/pool3-majority.yaml, at 1 and 2 threads, and at 10x and 100x
#     the years for peak memory (GNU time's maximum resident set size);
#   - `quorate sensitivity` on the bundled designs: the cost of one parameter
#     set (BENCH_SENS_SETS sets, default 10, BENCH_SENS_RUNS runs, default 50);
#   - the full model: `quorate simulate --json` (every behaviour module) on
#     topologies/12fe-large.yaml at one thread (BENCH_FULL_RUNS runs, default
#     10, of BENCH_FULL_YEARS years, default 1000: about 5 million events),
#     its events/s beside the static 3-FE model's and the bare loop's, as
#     ratios of figures taken in this one run.
#   - the MPI speed-up at 1 and 2 ranks (tests/bench/mpi.sh).
#   - time to +/-10% on 12fe-large, plain against --rare (tests/bench/rare.sh,
#     its knobs there: BENCH_RARE=0 skips it).
# It prints a table, then each ratio against its target with PASS or MISS.
# A benchmark is a measurement: it exits 0 on a miss, and non-zero only when
# it could not measure at all (bare loop build failure).
#
# `bare` measures the bare loop (1 and 2 threads) and the SimPy peer only,
# for use before or without the quorate simulate command.
#
# Knobs (environment): BENCH_HOURS simulated hours per C measurement
# (default 1e10 = about 30 million events), BENCH_SIMPY_HOURS for the SimPy
# peer (default 1e8, about 0.3 s of SimPy), BENCH_REPEAT best-of count for
# each timing (default 5: on a shared machine the best of more runs is the
# steadier figure), BENCH_SEED (default 1), CC (default cc).
set -u

build=${1:-build}
mode=${2:-all}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2

HOURS=${BENCH_HOURS:-1e10}
SIMPY_HOURS=${BENCH_SIMPY_HOURS:-1e8}
REPEAT=${BENCH_REPEAT:-5}
SEED=${BENCH_SEED:-1}
CC=${CC:-cc}
MTBF=2000
MTTR=8
FES=3
TOPO=tests/bench/pool3-majority.yaml
SIMPY=tests/bench/simpy_pool.py
PY=/usr/bin/python3
HOURS_PER_YEAR=8766           # 365.25 days, as the topology format's `y`
# Replications for the threaded runs: enough to balance two threads.
REPS=8

# Targets of the issue.
TARGET_SIMPY=40
TARGET_BARE=0.5
TARGET_THREADS=1.8
TARGET_FULL=0.2               # full model (12fe-large) / static 3-FE model, events/s
TARGET_MEM=1.10               # flat: peak RSS at 100x years <= 1.10 x at 10x years,
TARGET_MEM_KB=1024            #   or at most 1 MB more (RSS noise of a 2 MB process)

cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")

out="$build/bench"
mkdir -p "$out"
log="$out/bench.log"
: >"$log"

say() { printf '%s\n' "$*"; }
calc() { awk "BEGIN { printf \"%s\", $1 }"; }
verdict() { # value op target -> PASS|MISS
  if awk "BEGIN { exit !($1 $2 $3) }"; then echo PASS; else echo MISS; fi
}
kv() { # key line -> value of key=value in line
  printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n1
}

# ---- the bare loop ----
bare_bin="$out/bare_loop"
lib="$build/libquorate.a"
if [ ! -f "$lib" ]; then
  make --no-print-directory BUILD="$build" "$lib" >>"$log" 2>&1 ||
    { say "bench: cannot build $lib (see $log)"; exit 2; }
fi
if ! $CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
     -Isrc -I. tests/bench/bare_loop.c "$lib" -lm -pthread -o "$bare_bin" >>"$log" 2>&1; then
  say "bench: cannot build the bare loop (see $log)"
  exit 2
fi

# best_of CMD...: run CMD REPEAT times, keep the line with the highest events_per_s.
best_of() {
  local best="" best_rate=-1 line rate
  for _ in $(seq "$REPEAT"); do
    line=$("$@" 2>>"$log") || return 1
    rate=$(kv events_per_s "$line")
    if awk "BEGIN { exit !($rate > $best_rate) }"; then best=$line; best_rate=$rate; fi
  done
  printf '%s\n' "$best"
}

bare1=$(best_of "$bare_bin" --fes $FES --mtbf $MTBF --mttr $MTTR --hours "$HOURS" --seed "$SEED" \
        --reps $REPS --threads 1) || { say "bench: bare loop failed (see $log)"; exit 2; }
bare2=$(best_of "$bare_bin" --fes $FES --mtbf $MTBF --mttr $MTTR --hours "$HOURS" --seed "$SEED" \
        --reps $REPS --threads 2) || { say "bench: bare loop failed (see $log)"; exit 2; }

# ---- the SimPy peer ----
# The targets are set against SimPy 2 (Debian's python3-simpy); the peer also
# runs on SimPy 3+ (module simpy) when only that is installed, and says so.
simpy=""
simpy_note=""
have_simpy() { [ -x "$PY" ] && "$PY" -c 'import SimPy.Simulation' >/dev/null 2>&1; }
have_any_simpy() { have_simpy || { [ -x "$PY" ] && "$PY" -c 'import simpy' >/dev/null 2>&1; }; }
if ! have_simpy && command -v apt-get >/dev/null 2>&1; then
  say "bench: installing python3-simpy with apt-get"
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else sudo="none"; fi
  if [ "$sudo" != none ]; then
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        $sudo apt-get install -y -qq --no-install-recommends python3 python3-simpy; } >>"$log" 2>&1
  fi
fi
if have_any_simpy; then
  simpy=$(best_of "$PY" "$SIMPY" --fes $FES --mtbf $MTBF --mttr $MTTR --hours "$SIMPY_HOURS" \
          --seed "$SEED") || { simpy=""; simpy_note="$SIMPY failed (see $log)"; }
  [ -n "$simpy" ] && [ "$(kv simpy "$simpy")" != 2 ] &&
    simpy_note="ran on SimPy $(kv simpy "$simpy")+, not SimPy 2 (python3-simpy): the targets assume SimPy 2"
else
  simpy_note="skipped: SimPy (python3-simpy) is not installed and could not be installed (see $log)"
fi

# ---- quorate simulate ----
# The simulate command's JSON (src/cmd/cmd_simulate.c) gives
# run_statistics.events_processed, timing.wall_seconds (the simulation
# itself, without loading), parameters.years (per run) and .runs, and
# pool.availability.mean. Throughput runs use Q_YEARS years per replication
# and as many replications as make BENCH_HOURS; the memory runs use 10x and
# 100x a 100-year base per replication (the dimension along which a growing
# event log or outage list would show), MEM_RUNS replications, one thread.
Q_YEARS=10000                 # the most `simulate --years` accepts
MEM_RUNS=8

# quorate_json YEARS RUNS THREADS FILE: run the simulation, JSON into FILE,
# peak RSS (kB) on stdout.
quorate_json() {
  local years=$1 runs=$2 threads=$3 file=$4
  /usr/bin/time -f '%M' -o "$file.rss" \
    "$build/quorate" simulate --static --json --years "$years" --runs "$runs" \
    --threads "$threads" --seed "$SEED" "$TOPO" >"$file" 2>>"$log" || return 1
  tail -n1 "$file.rss"
}
# quorate_line FILE RSS: the JSON's figures as key=value, like the peers.
quorate_line() {
  "$PY" - "$1" "$2" "$HOURS_PER_YEAR" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
events = doc["run_statistics"]["events_processed"]
wall = doc["timing"]["wall_seconds"]
par = doc["parameters"]
hours = par["years"] * par["runs"] * float(sys.argv[3])
unavail = 1.0 - doc["pool"]["availability"]["mean"]
print(f"events={events} wall_s={wall:.3f} events_per_s={events / wall:.0f} "
      f"hours={hours:g} unavailability={unavail:.6e} maxrss_kb={sys.argv[2]}")
PYEOF
}

# ---- the full model ----
# The whole behaviour model (patch nights, routing groups, SQL mirroring,
# DFS, operators) on the largest bundled design, one thread, best of REPEAT.
FULL_TOPO=topologies/12fe-large.yaml
FULL_RUNS=${BENCH_FULL_RUNS:-10}
FULL_YEARS=${BENCH_FULL_YEARS:-1000}
full_line() { # -> key=value line of the best of REPEAT runs
  local best="" best_rate=-1 line rate
  for _ in $(seq "$REPEAT"); do
    "$build/quorate" simulate --json --years "$FULL_YEARS" --runs "$FULL_RUNS" --threads 1 \
      --seed "$SEED" "$FULL_TOPO" >"$out/full.json" 2>>"$log" || return 1
    line=$(quorate_line "$out/full.json" "-" 2>>"$log") || return 1
    rate=$(kv events_per_s "$line")
    if awk "BEGIN { exit !($rate > $best_rate) }"; then best=$line; best_rate=$rate; fi
  done
  printf '%s\n' "$best"
}

q1="" q2="" q10="" q100="" qfull="" quorate_note=""
if [ "$mode" = all ]; then
  q_runs=$(awk "BEGIN { r = int($HOURS / $HOURS_PER_YEAR / $Q_YEARS + 0.5); print (r < 2 ? 2 : r) }")
  if [ ! -x "$build/quorate" ]; then
    quorate_note="$build/quorate not built"
  elif ! "$build/quorate" simulate --help >/dev/null 2>&1; then
    quorate_note="quorate has no simulate command yet"
  else
    best_q() { # THREADS -> best line of REPEAT runs
      local best="" best_rate=-1 line rate rss
      for _ in $(seq "$REPEAT"); do
        rss=$(quorate_json "$Q_YEARS" "$q_runs" "$1" "$out/quorate.json") || return 1
        line=$(quorate_line "$out/quorate.json" "$rss" 2>>"$log") || return 1
        rate=$(kv events_per_s "$line")
        if awk "BEGIN { exit !($rate > $best_rate) }"; then best=$line; best_rate=$rate; fi
      done
      printf '%s\n' "$best"
    }
    qfull=$(full_line) || qfull=""
    if q1=$(best_q 1) && q2=$(best_q 2); then
      rss10=$(quorate_json 1000 $MEM_RUNS 1 "$out/quorate10.json") &&
        q10=$(quorate_line "$out/quorate10.json" "$rss10" 2>>"$log")
      rss100=$(quorate_json 10000 $MEM_RUNS 1 "$out/quorate100.json") &&
        q100=$(quorate_line "$out/quorate100.json" "$rss100" 2>>"$log")
    else
      q1="" q2=""
      quorate_note="quorate simulate failed (see $log)"
    fi
  fi
fi

# ---- quorate sensitivity: the cost of one parameter set ----
# One analysis of the bundled designs under the bundled uncertain file
# (docs/sensitivity.md), once, at one thread: its JSON timing gives the wall
# time per simulation and per parameter set (one simulation of every
# design), beside the simulations the whole analysis ran.
SENS_SETS=${BENCH_SENS_SETS:-10}
SENS_RUNS=${BENCH_SENS_RUNS:-50}
SENS_YEARS=10
sens=""
if [ "$mode" = all ] && [ -x "$build/quorate" ] && "$build/quorate" sensitivity --help >/dev/null 2>&1; then
  if "$build/quorate" sensitivity --json --threads 1 --seed "$SEED" --sets "$SENS_SETS" \
       --runs "$SENS_RUNS" --years "$SENS_YEARS" --assume topologies/assumptions/uncertain.yaml \
       topologies/*.yaml >"$out/sensitivity.json" 2>>"$log"; then
    sens=$("$PY" - "$out/sensitivity.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
t, p = d["timing"], d["parameters"]
print(f"designs={len(d['designs'])} params={len(d['uncertain'])} sims={p['simulations']} "
      f"wall_s={t['wall_seconds']:.2f} per_sim_s={t['seconds_per_simulation']:.4f} "
      f"per_set_s={t['seconds_per_set']:.3f}")
PYEOF
) || sens=""
  fi
fi

# ---- report ----
row() { # label line
  local l=$2
  if [ -z "$l" ]; then printf '%-24s %s\n' "$1" "n/a"; return; fi
  local ev wall rate hours yps
  ev=$(kv events "$l"); wall=$(kv wall_s "$l"); rate=$(kv events_per_s "$l"); hours=$(kv hours "$l")
  yps=$(calc "($hours / $HOURS_PER_YEAR) / ($wall > 0 ? $wall : 1e-9)")
  printf '%-24s %12s %9s %14s %16s %12s %10s\n' "$1" "$ev" "$wall" "$rate" \
    "$(printf '%.4g' "$yps")" "$(kv unavailability "$l")" "$(kv maxrss_kb "$l")"
}

say "quorate simulator benchmark: $FES front ends, pool up on a strict majority,"
say "exponential MTBF ${MTBF}h / MTTR ${MTTR}h (tests/bench/simpy_pool.py); best of $REPEAT"
say "bare loop: $HOURS h in $REPS replications; SimPy: $SIMPY_HOURS h; seed $SEED"
[ "$mode" = all ] && say "quorate: simulate --static, ${q_runs:-?} runs x $Q_YEARS years; memory: $MEM_RUNS runs x 1000 and x 10000 years"
[ "$mode" = all ] && say "full model: simulate $FULL_TOPO, $FULL_RUNS runs x $FULL_YEARS years, 1 thread"
say "machine: $cpus CPUs, load average $load_start at start, $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?") at the end"
say ""
printf '%-24s %12s %9s %14s %16s %12s %10s\n' "" events "wall s" "events/s" "sim years/s" unavail "rss kB"
row "SimPy peer" "$simpy"
row "bare loop, 1 thread" "$bare1"
row "bare loop, 2 threads" "$bare2"
if [ "$mode" = all ]; then
  row "quorate, 1 thread" "$q1"
  row "quorate, 2 threads" "$q2"
  row "quorate, 10x years" "$q10"
  row "quorate, 100x years" "$q100"
  row "full model, 12fe-large" "$qfull"
fi
say "exact unavailability of the majority: $(kv exact "$bare1")"
[ -n "$simpy_note" ] && say "SimPy peer: $simpy_note"
[ -n "$quorate_note" ] && say "quorate: $quorate_note"
say ""

ratio_row() { # label value target op
  if [ -z "$2" ]; then printf '%-34s %10s   target %s %-6s %s\n' "$1" "n/a" "$4" "$3" "-"; return; fi
  printf '%-34s %10s   target %s %-6s %s\n' "$1" "$(printf '%.3g' "$2")" "$4" "$3" "$(verdict "$2" "$4" "$3")"
}
rate() { kv events_per_s "$1"; }

say "ratios (events/s, one thread unless said)"
b1=$(rate "$bare1"); b2=$(rate "$bare2")
ratio_row "bare loop 2 threads / 1 thread" "$(calc "$b2 / $b1")" "$TARGET_THREADS" ">="
if [ -n "$simpy" ]; then
  ratio_row "bare loop / SimPy" "$(calc "$b1 / $(rate "$simpy")")" "$TARGET_SIMPY" ">="
fi
if [ "$mode" = all ]; then
  r_simpy="" r_bare="" r_thr="" r_mem=""
  if [ -n "$q1" ]; then
    qr1=$(rate "$q1")
    [ -n "$simpy" ] && r_simpy=$(calc "$qr1 / $(rate "$simpy")")
    r_bare=$(calc "$qr1 / $b1")
    [ -n "$q2" ] && r_thr=$(calc "$(rate "$q2") / $qr1")
  fi
  if [ -n "$q10" ] && [ -n "$q100" ]; then
    m10=$(kv maxrss_kb "$q10"); m100=$(kv maxrss_kb "$q100")
    r_mem=$(calc "$m100 / $m10")
  fi
  ratio_row "quorate / SimPy" "$r_simpy" "$TARGET_SIMPY" ">="
  ratio_row "quorate / bare loop" "$r_bare" "$TARGET_BARE" ">="
  ratio_row "quorate 2 threads / 1 thread" "$r_thr" "$TARGET_THREADS" ">="
  r_full="" r_full_bare=""
  if [ -n "$qfull" ]; then
    [ -n "$q1" ] && r_full=$(calc "$(rate "$qfull") / $(rate "$q1")")
    r_full_bare=$(calc "$(rate "$qfull") / $b1")
  fi
  ratio_row "full 12fe-large / static 3-FE" "$r_full" "$TARGET_FULL" ">="
  if [ -n "$r_full_bare" ]; then
    printf '%-34s %10s   (the bare loop runs the 3-FE model)\n' "full 12fe-large / bare loop" \
      "$(printf '%.3g' "$r_full_bare")"
  fi
  if [ -n "$r_thr" ]; then
    say "  (the bare loop's own 2-thread speed-up, $(printf '%.3g' "$(calc "$b2 / $b1")"), shows what this"
    say "  machine gave; below 1.8 there, other work or a single CPU capped both)"
  fi
  if [ -n "$r_mem" ]; then
    mem_verdict=$(verdict "($m100 - $m10)" "<=" "$TARGET_MEM_KB")
    [ "$(verdict "$r_mem" "<=" "$TARGET_MEM")" = PASS ] && mem_verdict=PASS
    printf '%-34s %10s   target <= %s or +%s kB  %s (%s kB -> %s kB)\n' \
      "quorate peak RSS 100x / 10x years" "$(printf '%.3g' "$r_mem")" "$TARGET_MEM" \
      "$TARGET_MEM_KB" "$mem_verdict" "$m10" "$m100"
  else
    ratio_row "quorate peak RSS 100x / 10x years" "" "$TARGET_MEM" "<="
  fi
fi
say ""
if [ "$mode" = all ]; then
  say "quorate sensitivity (topologies/*.yaml under topologies/assumptions/uncertain.yaml, $SENS_SETS sets,"
  say "$SENS_RUNS runs x $SENS_YEARS years per design and set, 1 thread)"
  if [ -n "$sens" ]; then
    printf '%-34s %10s s   (%s designs: one simulation each)\n' "cost of one parameter set" "$(kv per_set_s "$sens")" "$(kv designs "$sens")"
    printf '%-34s %10s s\n' "cost of one simulation" "$(kv per_sim_s "$sens")"
    printf '%-34s %10s s   (%s simulations: designs x (1 + %s sets + 2 x %s parameters))\n' \
      "whole analysis" "$(kv wall_s "$sens")" "$(kv sims "$sens")" "$SENS_SETS" "$(kv params "$sens")"
  else
    say "  n/a (quorate sensitivity failed or is missing; see $log)"
  fi
  say ""
fi
if [ "$mode" = all ]; then
  bash tests/bench/mpi.sh "$build"
fi
# ---- rare events: time to +/-10%, plain against --rare (tests/bench/rare.sh) ----
if [ "$mode" = all ]; then
  "$root/tests/bench/rare.sh" "$build"
  say ""
fi
say "details: $log"
exit 0
