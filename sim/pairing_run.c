/*
 * pairing_run.c: a whole simulation of a design with paired pools
 * (sim_pairing_simulate, pairing.h): replications in parallel, each on its
 * own random stream (seed, replication index), stored by index and reduced
 * in index order, so the output is the same for any thread count, as
 * runner.c does for one pool; plus each pool's own summary.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/pairing.h"
#include "sim/parallel.h"

typedef struct {
    sim_pairing **sims;
    sim_rep      *reps;
    double       *px;       /* n_reps * n_pools * SIM_PX_COUNT              */
    int           n_pools;
    uint64_t      seed;
    int           first, count, n_jobs;
    int          *job_failed;
} run_ctx;

static void run_job(int index, void *arg)
{
    run_ctx *c = arg;
    int lo, hi;
    sim_parallel_share(c->first, c->count, c->n_jobs, index, &lo, &hi);
    sim_pairing *s = c->sims[index];
    size_t stride = (size_t)c->n_pools * SIM_PX_COUNT;
    for (int i = lo; i < hi; i++) {
        int rc = sim_pairing_begin(s, c->seed, (uint64_t)i);
        if (rc == 0)
            rc = sim_pairing_finish(s, &c->reps[i], &c->px[(size_t)i * stride]);
        if (rc != 0) {
            c->job_failed[index] = rc == -2 ? 2 + i : 1;
            return;
        }
    }
}

static bool precise_enough(const sim_summary *s, double precision)
{
    for (int k = 0; k < s->n; k++) {
        const sim_stat *a = &s->f[k].availability;
        double u = 1.0 - a->mean;
        if (fmax(a->high - a->mean, a->mean - a->low) > precision * u)
            return false;
    }
    return true;
}

/* Each pool's own summary from the per-replication counters. */
static int summarize_pools(const sim_rep *reps, const double *px, int n_reps, int n_pools,
                           sim_pool_summary *out)
{
    double *x = malloc(sizeof(double) * (size_t)n_reps);
    if (!x)
        return -1;
    size_t stride = (size_t)n_pools * SIM_PX_COUNT;
    for (int p = 0; p < n_pools; p++) {
        sim_pool_summary *ps = &out[p];
        memset(ps, 0, sizeof(*ps));
        for (int i = 0; i < n_reps; i++)
            x[i] = px[(size_t)i * stride + (size_t)p * SIM_PX_COUNT + SIM_PX_POOL_DOWN] /
                   reps[i].horizon;
        sim_stat u = sim_stat_fraction(x, n_reps);
        ps->availability = (sim_stat){ 1.0 - u.mean, u.half_width, 1.0 - u.high, 1.0 - u.low };
        double events = 0, at_risk = 0;
        for (int k = 0; k < SIM_PX_COUNT; k++) {
            if (k == SIM_PX_POOL_DOWN)
                continue;
            double scale = (k == SIM_PX_AT_RISK || k == SIM_PX_RESILIENCY) ? 1.0 / 60.0 : 1.0;
            for (int i = 0; i < n_reps; i++)
                x[i] = px[(size_t)i * stride + (size_t)p * SIM_PX_COUNT + (size_t)k] * scale /
                       (reps[i].horizon / SIM_SECONDS_PER_YEAR);
            ps->per_year[k] = sim_stat_nonneg(x, n_reps);
        }
        for (int i = 0; i < n_reps; i++) {
            events += px[(size_t)i * stride + (size_t)p * SIM_PX_COUNT + SIM_PX_DATA_LOSS_RISK];
            at_risk += px[(size_t)i * stride + (size_t)p * SIM_PX_COUNT + SIM_PX_AT_RISK];
        }
        ps->mean_at_risk_min = events > 0 ? at_risk / events / 60.0 : 0.0;
    }
    free(x);
    return 0;
}

/* M10, rare outcomes: a row with no outage seen in all the replications
 * (a pool's users without sign-in needs both pools down) gets a bounded
 * interval instead of a point at 100%: the outage rate is below
 * -ln(0.05) / (runs * years) a year with 95% confidence (no event in a
 * Poisson exposure), and an unseen outage is taken to last no longer than
 * the longest outage seen in any row (at least the registrar failover
 * interval), so the unavailability is below their product. */
static void bound_unseen(const qr_topology *t, sim_summary *s)
{
    double longest = t->pairing.registrar_failover / 60.0; /* minutes */
    for (int k = 0; k < s->n; k++)
        if (s->f[k].longest_outage_min > longest)
            longest = s->f[k].longest_outage_min;
    double exposure = (double)s->runs * s->years;
    if (!(exposure > 0))
        return;
    double rate = -log(0.05) / exposure; /* outages a year */
    double u = rate * longest / (SIM_SECONDS_PER_YEAR / 60.0);
    if (u > 1.0)
        u = 1.0;
    for (int k = 0; k < s->n; k++) {
        sim_feature_summary *f = &s->f[k];
        if (f->outages_observed > 0 || f->availability.mean < 1.0)
            continue;
        f->availability.low = 1.0 - u;
        f->availability.half_width = u / 2;
        f->downtime_min_year.high = u * SIM_SECONDS_PER_YEAR / 60.0;
        f->downtime_min_year.half_width = f->downtime_min_year.high / 2;
        f->outages_year.high = rate;
        f->outages_year.half_width = rate / 2;
    }
}

int sim_pairing_simulate(const qr_topology *t, const sim_run_options *o, sim_summary *out,
                         sim_pool_summary **pools, bool *converged, char *err, size_t errlen)
{
    int ret = -1;
    int threads = o->threads < 1 ? 1 : o->threads;
    int cap = o->runs;
    if (o->precision > 0 && o->max_runs > cap)
        cap = o->max_runs;
    sim_rep *reps = NULL;
    sim_pairing **sims = NULL;
    int *job_failed = NULL;
    double *px = NULL;
    int n_reps_init = 0;
    if (o->rare) { /* the estimator replays one engine's excursions (rare.c) */
        snprintf(err, errlen, "--rare is not built for a design with several pools (M10) yet: "
                              "run it without --rare");
        return -1;
    }
    bool done_precise = o->precision <= 0;
    size_t stride = (size_t)t->n_pools * SIM_PX_COUNT;

    memset(out, 0, sizeof(*out));
    if (pools)
        *pools = NULL;
    if (o->runs < 1 || !(o->years > 0)) {
        snprintf(err, errlen, "need at least one run and a positive number of years");
        return -1;
    }
    if (!sim_pairing_supports(t, err, errlen))
        return -2;
    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = o->years * SIM_SECONDS_PER_YEAR;
    cfg.static_mode = o->static_mode;
    if (o->static_mode)
        cfg.patching = false; /* M9 */

    reps = calloc((size_t)cap, sizeof(*reps));
    sims = calloc((size_t)threads, sizeof(*sims));
    job_failed = calloc((size_t)threads, sizeof(int));
    px = calloc((size_t)cap * stride + 1, sizeof(double));
    if (!reps || !sims || !job_failed || !px)
        goto oom;
    for (; n_reps_init < cap; n_reps_init++)
        if (sim_rep_init(&reps[n_reps_init], t->n_features) != 0)
            goto oom;
    for (int k = 0; k < threads; k++) {
        sims[k] = sim_pairing_new(t, &cfg, err, errlen);
        if (!sims[k])
            goto cleanup;
    }

    int done = 0, target = o->runs;
    for (;;) {
        while (done < target) {
            int chunk = threads * 16;
            if (chunk > target - done)
                chunk = target - done;
            run_ctx c = { sims, reps, px, t->n_pools, o->seed, done, chunk, 0, job_failed };
            c.n_jobs = chunk < threads ? chunk : threads;
            memset(job_failed, 0, sizeof(int) * (size_t)threads);
            if (sim_parallel_run(c.n_jobs, threads, run_job, &c) != 0) {
                snprintf(err, errlen, "cannot start %d threads", threads);
                goto cleanup;
            }
            for (int k = 0; k < c.n_jobs; k++)
                if (job_failed[k] >= 2) {
                    snprintf(err, errlen, "replication %d spent its event budget (more than "
                             "%d events per component and year): durations too short for "
                             "the model (docs/topology-format.md, \"Limits\")",
                             job_failed[k] - 1, SIM_MAX_EVENTS_PER_COMP_YEAR);
                    goto cleanup;
                }
            for (int k = 0; k < c.n_jobs; k++)
                if (job_failed[k])
                    goto oom;
            if (o->on_reps)
                o->on_reps(&reps[done], chunk, done, o->on_reps_ctx);
            done += chunk;
            if (o->progress)
                o->progress(done, target, o->progress_ctx);
        }
        sim_summary_release(out);
        if (sim_summarize(reps, done, out) != 0)
            goto oom;
        bound_unseen(t, out);
        if (o->precision <= 0)
            break;
        if (precise_enough(out, o->precision)) {
            done_precise = true;
            break;
        }
        if (done >= cap)
            break;
        target = done + o->runs;
        if (target > cap)
            target = cap;
    }
    if (pools) {
        *pools = calloc((size_t)t->n_pools, sizeof(**pools));
        if (!*pools || summarize_pools(reps, px, out->runs, t->n_pools, *pools) != 0)
            goto oom;
    }
    if (converged)
        *converged = done_precise;
    ret = 0;
    goto cleanup;
oom:
    snprintf(err, errlen, "out of memory");
    ret = -1;
cleanup:
    if (ret != 0) {
        sim_summary_release(out);
        if (pools) {
            free(*pools);
            *pools = NULL;
        }
    }
    if (sims)
        for (int k = 0; k < threads; k++)
            sim_pairing_free(sims[k]);
    free(sims);
    for (int i = 0; i < n_reps_init; i++)
        sim_rep_release(&reps[i]);
    free(reps);
    free(job_failed);
    free(px);
    return ret;
}
