/*
 * batches.h: the loop that every whole simulation shares (sim_run for one
 * pool, runner.c; sim_pairing_simulate for paired pools, pairing_run.c):
 * replications in chunks on threads (parallel.h), each chunk shared with
 * the other ranks (split.h), batches of replications until the precision
 * target of sim_run_options, the progress and on_reps callbacks, and the
 * summary of every replication in replication order.
 *
 * What one replication is comes from the caller, a sim_rep_source: one
 * worker per thread slot, and a hook that runs replication i of the seed
 * on a worker into its sim_rep (and, optionally, a few more doubles of its
 * own, gathered from the other ranks with the sim_rep).
 */
#ifndef SIM_BATCHES_H
#define SIM_BATCHES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/engine.h"
#include "sim/measures.h"
#include "sim/runner.h"

typedef struct {
    int   n_features; /* each sim_rep's (sim_rep_init)                   */
    int   n_extra;    /* doubles per replication beside its sim_rep      */
                      /*   (0: none), zeroed before it runs            */
    void *ctx;        /* every hook's first argument                     */
    /* A worker for one thread slot, used by one thread at a time; NULL
     * with a message in err. */
    void *(*worker_new)(void *ctx, char *err, size_t errlen);
    void  (*worker_free)(void *ctx, void *worker); /* accepts NULL       */
    /* Run replication `index` of `seed` on worker into *rep (sim_rep_init'ed
     * with n_features) and extra[0..n_extra). 0, -1 out of memory, -2 the
     * replication spent its event budget (engine.h). */
    int   (*replicate)(void *ctx, void *worker, uint64_t seed, int index, sim_rep *rep,
                       double *extra);
    /* The message for replication `index`, which spent its event budget on
     * worker. */
    void  (*over_budget)(void *ctx, const void *worker, int index, char *err, size_t errlen);
    /* May be NULL. Amend a summary of the replications so far: applied
     * before the precision target is checked on it (then every batch) and
     * to the summary returned. */
    void  (*amend)(void *ctx, sim_summary *s);
    /* May be NULL. Called once when every batch is done, with the
     * replications and their extras (n_extra doubles each) in
     * replication order, before sim_batches_run returns 0. 0, -1 out of
     * memory (then the run fails). */
    int   (*finish)(void *ctx, const sim_rep *reps, const double *extra, int n);
} sim_rep_source;

/* The engine configuration of o (years, static mode: M9 without
 * patching). 0, or -1 with a message in err when o has no runs or no
 * positive years. */
int sim_batches_config(const sim_run_options *o, sim_config *cfg, char *err, size_t errlen);

/* Run o's replications of src (o->runs; with o->precision, batches of
 * o->runs up to o->max_runs until every row's unavailability is known to
 * that precision, runner.h), with o->threads workers, shared with
 * o->split's ranks. On success 0 and *out (free with
 * sim_summary_release), *converged (may be NULL) whether the precision was
 * met; -1 with a message in err (out of memory, threads that cannot start,
 * a replication over its budget, the ranks' transport), *out then empty.
 * The same for any thread count and any ranks. */
int sim_batches_run(const sim_rep_source *src, const sim_run_options *o, sim_summary *out,
                    bool *converged, char *err, size_t errlen);

#endif
