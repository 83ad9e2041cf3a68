/*
 * downtime_log.c: the per-replication downtime table of downtime_log.h,
 * grown by doubling (from 64 rows).
 */
#include "sim/downtime_log.h"

#include <stdlib.h>
#include <string.h>

void sim_downtime_log_init(sim_downtime_log *l, int n_cols)
{
    memset(l, 0, sizeof(*l));
    l->n_cols = n_cols;
}

void sim_downtime_log_release(sim_downtime_log *l)
{
    if (!l)
        return;
    free(l->min_year);
    sim_downtime_log_init(l, l->n_cols);
}

void sim_downtime_log_collect(const sim_rep *reps, int n, int first_index, void *ctx)
{
    sim_downtime_log *l = ctx;
    (void)first_index; /* rows are appended in replication order */
    if (l->failed || n <= 0 || l->n_cols < 1)
        return;
    if (l->n_runs + n > l->cap) {
        int cap = l->cap ? l->cap : 64;
        while (cap < l->n_runs + n)
            cap *= 2;
        double *grown = realloc(l->min_year, (size_t)cap * (size_t)l->n_cols * sizeof(double));
        if (!grown) {
            l->failed = true;
            return;
        }
        l->min_year = grown;
        l->cap = cap;
    }
    for (int i = 0; i < n; i++) {
        double *row = &l->min_year[(size_t)(l->n_runs + i) * (size_t)l->n_cols];
        for (int c = 0; c < l->n_cols; c++)
            row[c] = c < reps[i].n && reps[i].horizon > 0
                         ? reps[i].f[c].down_time / reps[i].horizon * (SIM_SECONDS_PER_YEAR / 60.0)
                         : 0;
    }
    l->n_runs += n;
}
