#!/usr/bin/python3
"""simpy_pool.py: the SimPy peer of quorate's simulator benchmark (tests/bench/run.sh).

The benchmark compares quorate's engine with a general-purpose discrete-event
library on one small model, the same one that tests/bench/bare_loop.c runs on
quorate's own event queue and that tests/bench/pool3-majority.yaml describes as a
topology:

  - N front ends (default 3), independent of each other;
  - each alternates an up time and a down time, both exponential, with means
    MTBF and MTTR hours (default 2000 h and 8 h);
  - the pool has quorum while more than half of the front ends are up (N // 2 + 1
    of N: behaviour rule M1.2 for an odd seed count, where the Back End has no vote).

Every failure and every repair is one event. The peer integrates the time
without quorum and counts quorum losses (quorum -> no quorum transitions), and
prints one line of key=value pairs, the keys bare_loop prints too:

  events=  wall_s=  events_per_s=  hours=  quorum_losses=  unavailability=  exact=  simpy=

`exact` is the closed form the estimate should approach: each front end is down
with probability q = MTTR / (MTBF + MTTR), so the pool is without quorum with
probability sum over k = 0 .. N//2 of C(N, k) (1 - q)^k q^(N - k) (k front ends
up). `wall_s` is the simulation alone, without start-up and imports.

SimPy: the benchmark's targets are set against SimPy 2 (Debian's python3-simpy,
module SimPy.Simulation), run with /usr/bin/python3; run.sh installs it with
apt-get when it is missing. When only SimPy 3 or later is installed (module
simpy, for example from pip), the peer runs on that instead; `simpy=` names the
API used (2 or 3), since the two differ in speed. Without either it exits 3.

usage: simpy_pool.py [--fes N] [--mtbf H] [--mttr H] [--hours H] [--seed S]
"""
import argparse
import math
import random
import sys
import time


def exact_unavailability(fes, mtbf, mttr):
    """Steady-state probability that at most fes // 2 of fes front ends are up."""
    q = mttr / (mtbf + mttr)
    return sum(math.comb(fes, k) * (1.0 - q) ** k * q ** (fes - k) for k in range(fes // 2 + 1))


class Pool:
    """The pool's bookkeeping, shared by the front-end processes.

    up: front ends up now; need: front ends needed for quorum; lost_at: the time
    quorum was lost, or None while the pool has it; down_hours: time without
    quorum so far; losses: quorum losses so far; events: failures plus repairs.
    """

    def __init__(self, fes):
        self.up = fes
        self.need = fes // 2 + 1
        self.lost_at = None
        self.down_hours = 0.0
        self.losses = 0
        self.events = 0

    def fail(self, t):
        self.events += 1
        self.up -= 1
        if self.up == self.need - 1:  # just lost the majority
            self.lost_at = t
            self.losses += 1

    def repair(self, t):
        self.events += 1
        self.up += 1
        if self.up == self.need:  # majority back
            self.down_hours += t - self.lost_at
            self.lost_at = None

    def close(self, horizon):
        """Count an outage still open at the horizon up to the horizon."""
        if self.lost_at is not None:
            self.down_hours += horizon - self.lost_at
            self.lost_at = None


def run_simpy2(a, rng, pool):
    """SimPy 2 (classic API): one Process per front end, `yield hold`."""
    from SimPy.Simulation import Process, Simulation, hold

    sim = Simulation()
    sim.initialize()
    fail_rate, repair_rate = 1.0 / a.mtbf, 1.0 / a.mttr

    class FrontEnd(Process):
        def life(self):
            while True:
                yield hold, self, rng.expovariate(fail_rate)
                pool.fail(sim.now())
                yield hold, self, rng.expovariate(repair_rate)
                pool.repair(sim.now())

    for i in range(a.fes):
        fe = FrontEnd(name="fe%d" % (i + 1), sim=sim)
        sim.activate(fe, fe.life())
    sim.simulate(until=a.hours)


def run_simpy3(a, rng, pool):
    """SimPy 3 or later: one generator process per front end, `yield env.timeout`."""
    import simpy

    env = simpy.Environment()
    fail_rate, repair_rate = 1.0 / a.mtbf, 1.0 / a.mttr

    def life():
        while True:
            yield env.timeout(rng.expovariate(fail_rate))
            pool.fail(env.now)
            yield env.timeout(rng.expovariate(repair_rate))
            pool.repair(env.now)

    for _ in range(a.fes):
        env.process(life())
    env.run(until=a.hours)


def positive(text):
    v = float(text)
    if not (v > 0 and math.isfinite(v)):
        raise argparse.ArgumentTypeError("expected a positive number, got %r" % text)
    return v


def main():
    ap = argparse.ArgumentParser(description="SimPy peer of the quorate benchmark: "
                                 "an N-front-end pool up on a strict majority.")
    ap.add_argument("--fes", type=int, default=3, help="front ends (default 3)")
    ap.add_argument("--mtbf", type=positive, default=2000.0, help="mean up time, hours (default 2000)")
    ap.add_argument("--mttr", type=positive, default=8.0, help="mean down time, hours (default 8)")
    ap.add_argument("--hours", type=positive, default=1e8, help="simulated hours (default 1e8)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    a = ap.parse_args()
    if a.fes < 1:
        ap.error("--fes must be at least 1")

    try:
        import SimPy.Simulation  # noqa: F401
        api, run = 2, run_simpy2
    except ImportError:
        try:
            import simpy  # noqa: F401
            api, run = 3, run_simpy3
        except ImportError:
            print("simpy_pool.py: neither SimPy 2 (Debian's python3-simpy) nor SimPy 3+ "
                  "(module simpy) can be imported", file=sys.stderr)
            sys.exit(3)

    rng = random.Random(a.seed)  # the peer's own stream, not the module-global one
    pool = Pool(a.fes)
    t0 = time.perf_counter()
    run(a, rng, pool)
    wall = time.perf_counter() - t0
    pool.close(a.hours)
    print("events=%d wall_s=%.3f events_per_s=%.0f hours=%g quorum_losses=%d "
          "unavailability=%.6e exact=%.6e simpy=%d"
          % (pool.events, wall, pool.events / wall if wall > 0 else 0.0, a.hours, pool.losses,
             pool.down_hours / a.hours, exact_unavailability(a.fes, a.mtbf, a.mttr), api))


if __name__ == "__main__":
    main()
