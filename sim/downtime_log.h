/*
 * downtime_log.h: the downtime of every replication, minutes a year, per
 * feature and for the pool: what `compare` pairs between designs and what
 * the --html histograms are drawn from. A sim_run_options.on_reps callback
 * (runner.h) fills it; replications arrive in order, so row r is
 * replication r whatever the thread count.
 *
 * Ownership: a sim_downtime_log owns min_year; the struct is the caller's.
 */
#ifndef SIM_DOWNTIME_LOG_H
#define SIM_DOWNTIME_LOG_H

#include <stdbool.h>

#include "sim/measures.h"

typedef struct {
    int n_cols;       /* n_features + 1 (as in sim_rep.f: the pool last)  */
    int n_runs;       /* replications logged                             */
    int cap;          /* rows allocated                                  */
    double *min_year; /* n_runs * n_cols: replication r, column c at     */
                      /*   r * n_cols + c                                */
    bool failed;      /* out of memory while logging: incomplete         */
} sim_downtime_log;

/* An empty log of n_cols columns (allocates nothing). */
void sim_downtime_log_init(sim_downtime_log *l, int n_cols);

/* Free what l owns and empty it, keeping n_cols; accepts NULL. */
void sim_downtime_log_release(sim_downtime_log *l);

/* The on_reps callback (ctx: a sim_downtime_log): appends the downtime of
 * reps[0..n-1], down_time / horizon in minutes a year (0 for a column a
 * replication lacks or an empty horizon), the quantity sim_summarize
 * averages. On out of memory it sets `failed` and keeps what it has; a log
 * of no column logs nothing. Amortised O(n * n_cols). */
void sim_downtime_log_collect(const sim_rep *reps, int n, int first_index, void *ctx);

#endif
