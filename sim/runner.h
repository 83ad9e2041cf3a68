/*
 * runner.h: a whole simulation: replications in parallel (sim_parallel_run),
 * each on its own random stream (seed, replication index), reduced in
 * replication order, so the summary does not depend on the thread count.
 * With a precision target it adds batches of replications until every
 * feature's unavailability is known to that relative precision. With
 * o->split it shares the replications with other processes (sim/split.h)
 * and returns the same result on each. The loop is sim/batches.h's, the
 * one paired pools run too (sim_pairing_simulate, sim/pairing.h).
 */
#ifndef SIM_RUNNER_H
#define SIM_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/measures.h"
#include "sim/split.h"
#include "model/topology.h"

typedef struct {
    double   years;        /* simulated years per replication               */
    int      runs;         /* replications (one batch with a precision)     */
    uint64_t seed;
    int      threads;      /* >= 1                                          */
    bool     static_mode;  /* M9                                            */
    double   precision;    /* 0: off; else stop when both ends of every     */
                           /*   feature's 95% CI of unavailability are      */
                           /*   within precision * unavailability of it     */
    int      max_runs;     /* cap on replications with a precision          */
    /* Called from the calling thread between chunks of replications; may
     * be NULL. */
    void   (*progress)(int done, int planned, void *ctx);
    void    *progress_ctx;
    /* Called from the calling thread after each chunk of replications with
     * the chunk's finished replications reps[0..n-1], which are
     * replications first_index .. first_index + n - 1: every replication
     * exactly once, in replication order, whatever the thread count, so
     * what the callback collects is the same for any --threads. The reps
     * are read-only and valid only during the call. May be NULL (the
     * default); it must not call sim_run. */
    void   (*on_reps)(const sim_rep *reps, int n, int first_index, void *ctx);
    void    *on_reps_ctx;
    /* Several processes sharing the replications (sim/split.h): every
     * rank calls sim_run with the same options (threads may differ) and
     * gets the same result, the same as one process's. NULL or size 1:
     * this process alone. */
    const sim_split *split;
    /* Rare-event acceleration (sim/rare.h): importance sampling of every
     * excursion, the downtime weighted by likelihood ratios. */
    bool     rare;
    double   rare_bias;    /* its bias in (0, 1); 0: SIM_RARE_BIAS         */
    int      rare_replays; /* copies per excursion; 0: SIM_RARE_REPLAYS    */
} sim_run_options;

/* Run the simulation of t. On success returns 0 and fills *out (free with
 * sim_summary_release); *converged (may be NULL) says whether the
 * precision target was met (true when there is none). Returns -1 with a
 * message in err on OOM, when threads cannot start or when a replication
 * spends its event budget (SIM_MAX_EVENTS_PER_COMP_YEAR), -2 when the
 * design is not supported by the chosen mode (see sim_engine_supports). */
int sim_run(const qr_topology *t, const sim_run_options *o, sim_summary *out,
            bool *converged, char *err, size_t errlen);

#endif
