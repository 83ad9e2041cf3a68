#!/usr/bin/env bash
# mpi.sh: quorate under `mpirun -np 2` (docs/mpi.md). When Open MPI's
# mpirun is not installed the test is skipped (a soft dependency, like
# chromium for html.sh). With a binary built with MPI, the standard output
# of two ranks (--threads 1 each) is byte for byte that of one process
# (--threads 2), with --no-timing, for simulate (text; JSON with
# --precision batches; --static CSV), compare, plan and sensitivity, and
# for a design with paired pools (M10: simulate plain and with --precision
# batches, compare); the two ranks each ran about half of the replications
# (QUORATE_MPI_STATS=1), the paired design's too;
# only rank 0 writes the --html page (the page of one process; rank 1 not
# even when given another file); a bad file
# is reported once with the exit status of one process; a rank that fails
# alone ends the job with its message; a design with errors in compare
# gives the same output and exit 1. With a binary built without MPI (the
# sanitizer build, `make MPI=0`), two ranks stop with exit 2 and one
# "built without MPI" message.
# Run from the repository root with QUORATE set (tests/run_tests.sh does).
. "$(dirname "$0")/lib.sh"

if ! command -v mpirun >/dev/null 2>&1; then
  echo "SKIP: mpirun not installed (Debian: openmpi-bin)"
  finish "skipped (no mpirun)"
fi
MPIRUN=(mpirun -np 2 --oversubscribe)
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)
# In a container that forbids ptrace, Open MPI's shared-memory transport
# cannot copy large messages directly ("Read -1, expected ..."): copy them
# through its buffers instead (docs/mpi.md, "Troubleshooting").
export OMPI_MCA_btl_vader_single_copy_mechanism=none

# ranks: ARGS... -> stdout in $tmp/m.out, stderr in $tmp/m.err, exit in $mrc
ranks() {
  timeout 300 "${MPIRUN[@]}" "$Q" "$@" >"$tmp/m.out" 2>"$tmp/m.err"
  mrc=$?
}

T=topologies/5x-recommended.yaml
T2=topologies/2x-mirror-witness.yaml
P=topologies/dr/paired-pools.yaml
U=topologies/assumptions/uncertain.yaml

if "$Q" --version | grep -q '^MPI: none$'; then
  ranks simulate --runs 4 --years 1 $T
  [ "$mrc" -ne 0 ] || fail "built without MPI: two ranks exited 0"
  n=$(grep -c "built without MPI" "$tmp/m.err")
  [ "$n" -eq 1 ] || { fail "built without MPI: $n messages, expected 1"; sed 's/^/  | /' "$tmp/m.err" | head; }
  [ -s "$tmp/m.out" ] && fail "built without MPI: something on standard output"
  finish "ok (binary built without MPI: it refuses to run as 2 ranks)"
fi

# same NAME ARGS...: one process at --threads 2, two ranks at --threads 1,
# the same standard output and exit status.
same() {
  local name=$1; shift
  "$Q" "$@" --threads 2 >"$tmp/one.out" 2>"$tmp/one.err"
  local rc=$?
  ranks "$@" --threads 1
  [ "$mrc" -eq "$rc" ] || { fail "$name: 2 ranks exited $mrc, one process $rc"; sed 's/^/  | /' "$tmp/m.err" | head; }
  if ! cmp -s "$tmp/one.out" "$tmp/m.out"; then
    fail "$name: the output of 2 ranks differs from one process's"
    diff "$tmp/one.out" "$tmp/m.out" | head -10
  fi
  [ -s "$tmp/one.out" ] || fail "$name: no output at all"
}

# 37 runs: shares of chunks that are not multiples of anything.
same "simulate" simulate --runs 37 --years 5 --seed 11 --no-timing $T
# --precision: batches of 15 until +/-5%, the ranks deciding alike.
same "simulate --precision" simulate --json --runs 15 --max-runs 3000 --precision 0.05 --years 4 --seed 5 --no-timing $T2
if have_python; then
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["run_statistics"]["runs"]; assert r > 15 and r % 15 == 0, r' "$tmp/m.out" \
    || fail "simulate --precision: not several batches of 15"
fi
same "simulate --static" simulate --static --format csv --runs 20 --years 5 --seed 2 $T
same "compare" compare --json --no-timing --runs 24 --years 3 --seed 4 $T $T2
same "plan" plan --runs 20 --years 2 docs/plan-example.yaml
# Paired pools (M10): the replications and their per-pool counters shared
# alike (the pools' summaries are in the output).
same "simulate, paired pools" simulate --runs 37 --years 3 --seed 11 --no-timing $P
same "simulate --precision, paired pools" simulate --json --runs 20 --max-runs 600 --precision 0.5 --years 10 --seed 9 --no-timing $P
if have_python; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["run_statistics"]["runs"]; assert r > 20 and r % 20 == 0 and d["pools"], r' "$tmp/m.out" \
    || fail "simulate --precision, paired pools: not several batches of 20, or no pools"
fi
same "compare, paired pools" compare --json --no-timing --runs 24 --years 3 --seed 4 $P $T
same "sensitivity" sensitivity --json --no-timing --assume $U --sets 3 --runs 6 --years 2 --seed 3 $T $T2

# The ranks shared the work (QUORATE_MPI_STATS=1, docs/mpi.md): each ran
# about half of the 2 x 37 replications, together every one once.
QUORATE_MPI_STATS=1 ranks compare --runs 37 --years 1 --threads 1 --seed 2 $T $T2
[ "$mrc" -eq 0 ] || fail "compare with QUORATE_MPI_STATS: exit $mrc"
stats=$(sed -n 's/^quorate: MPI rank \([01]\) of 2 ran \([0-9]*\) of \([0-9]*\) replications$/\1 \2 \3/p' "$tmp/m.err" | sort)
if [ "$(printf '%s\n' "$stats" | wc -l)" -ne 2 ]; then
  fail "QUORATE_MPI_STATS: not one line per rank"; sed 's/^/  | /' "$tmp/m.err" | head
else
  printf '%s\n' "$stats" | awk '{ ran += $2; if ($3 != 74 || $2 < 30 || $2 > 44) bad = 1 }
    END { exit !(ran == 74 && !bad) }' || fail "QUORATE_MPI_STATS: the ranks did not share 74 replications: $stats"
fi

# A paired design's replications are shared too (each rank once ran them
# all): about half of 37 each.
QUORATE_MPI_STATS=1 ranks simulate --runs 37 --years 1 --threads 1 --seed 2 $P
[ "$mrc" -eq 0 ] || fail "paired simulate with QUORATE_MPI_STATS: exit $mrc"
stats=$(sed -n 's/^quorate: MPI rank \([01]\) of 2 ran \([0-9]*\) of \([0-9]*\) replications$/\1 \2 \3/p' "$tmp/m.err" | sort)
printf '%s\n' "$stats" | awk 'NF == 3 { n++; ran += $2; if ($3 != 37 || $2 < 15 || $2 > 22) bad = 1 }
  END { exit !(n == 2 && ran == 37 && !bad) }' || fail "paired pools: the ranks did not share 37 replications: $stats"

# Only rank 0 writes the page, and it is one process's page.
"$Q" simulate --runs 12 --years 2 --seed 1 --threads 2 --html "$tmp/one.html" $T >/dev/null 2>&1 \
  || fail "simulate --html: one process failed"
ranks simulate --runs 12 --years 2 --seed 1 --threads 1 --html "$tmp/two.html" $T
[ "$mrc" -eq 0 ] || fail "simulate --html: 2 ranks exited $mrc"
cmp -s "$tmp/one.html" "$tmp/two.html" || fail "simulate --html: the page of 2 ranks differs"
ls "$tmp"/two.html.* >/dev/null 2>&1 && fail "simulate --html: a temporary file left behind"
# Rank 1 writes nothing even when told another file (MPMD: one command line
# per rank, the same simulation).
mp=(mpirun --oversubscribe); [ "$(id -u)" = 0 ] && mp+=(--allow-run-as-root)
timeout 300 "${mp[@]}" -np 1 "$Q" simulate --runs 12 --years 2 --seed 1 --threads 1 --html "$tmp/r0.html" $T : \
  -np 1 "$Q" simulate --runs 12 --years 2 --seed 1 --threads 1 --html "$tmp/r1.html" $T >/dev/null 2>"$tmp/m.err" \
  || fail "simulate --html, one file per rank: exit non-zero"
cmp -s "$tmp/one.html" "$tmp/r0.html" || fail "simulate --html: rank 0's page differs"
[ -e "$tmp/r1.html" ] && fail "simulate --html: rank 1 wrote its page"

# Errors: once, with one process's status.
ranks simulate --runs 4 --years 1 "$tmp/none.yaml"
[ "$mrc" -eq 2 ] || fail "missing file: 2 ranks exited $mrc, expected 2"
n=$(grep -c "none.yaml" "$tmp/m.err")
[ "$n" -eq 1 ] || { fail "missing file: $n messages, expected 1"; sed 's/^/  | /' "$tmp/m.err" | head; }
# A rank that fails alone (here rank 1 cannot read its file, while rank 0
# waits for it inside the simulation) shows its message and ends the job
# after QR_MPI_WAIT_SECONDS (src/cmd/mpi_run.h), never hangs.
timeout 120 "${mp[@]}" -np 1 "$Q" simulate --runs 50 --years 1 $T : \
  -np 1 "$Q" simulate --runs 50 --years 1 "$tmp/gone.yaml" >"$tmp/m.out" 2>"$tmp/m.err"
mrc=$?
if [ "$mrc" -eq 0 ] || [ "$mrc" -eq 124 ]; then fail "one rank failing alone: exit $mrc"; fi
grep -q "MPI rank 1 of 2 failed" "$tmp/m.err" || fail "one rank failing alone: no 'rank 1 of 2 failed'"
grep -q "gone.yaml: error: cannot open file" "$tmp/m.err" || fail "one rank failing alone: not its message"
[ -s "$tmp/m.out" ] && fail "one rank failing alone: a report on standard output"

printf 'pool:\n  name: broken\n  fronted: 3\n' >"$tmp/bad.yaml"
same "compare, a design with errors" compare --no-timing --runs 8 --years 2 $T "$tmp/bad.yaml"
[ "$mrc" -eq 1 ] || fail "compare with a bad design: exit $mrc, expected 1"

finish
