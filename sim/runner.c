/*
 * runner.c: replications in parallel and their reduction (runner.h).
 *
 * Replication i always uses random stream i of the seed, whichever thread
 * runs it, and results are stored by index and summarized in index order:
 * the output is byte-identical for any --threads. Work is cut into chunks
 * (for the progress callback) and each chunk into one contiguous range per
 * thread; every thread slot owns one engine for the whole simulation.
 * After each chunk the optional on_reps callback sees the chunk's
 * replications, from the calling thread, in index order.
 * With several ranks (o->split, sim/split.h) this process runs only its
 * share of each chunk and the gather fills in the rest, so everything after
 * it is the same as in one process.
 */
#include "sim/runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine.h"
#include "sim/pairing.h"
#include "sim/parallel.h"
#include "sim/rare.h"
#include "sim/split.h"

typedef struct {
    sim_engine **engines;
    sim_rare   **rares;      /* with --rare: one estimator per thread slot  */
    sim_rep     *reps;
    uint64_t     seed;
    int          first, count, n_jobs;
    int          failed;     /* set by a job; read after the join          */
    int         *job_failed; /* one flag per job: no shared writes         */
} run_ctx;

static void run_job(int index, void *arg)
{
    run_ctx *c = arg;
    int lo, hi;
    sim_parallel_share(c->first, c->count, c->n_jobs, index, &lo, &hi);
    sim_engine *e = c->engines[index];
    for (int i = lo; i < hi; i++) {
        int rc;
        if (c->rares)
            rc = sim_rare_replication(c->rares[index], c->seed, (uint64_t)i, &c->reps[i]);
        else if ((rc = sim_engine_begin(e, c->seed, (uint64_t)i)) == 0)
            rc = sim_engine_finish(e, &c->reps[i]);
        if (rc != 0) {
            /* 1 out of memory; 2 + i the budget of replication i is spent */
            c->job_failed[index] = rc == -2 ? 2 + i : 1;
            return;
        }
    }
}

/* The message of a replication that spent its event budget (engine.h). */
static void over_budget(char *err, size_t errlen, int replication, const sim_engine *e)
{
    sim_status st;
    sim_engine_status(e, &st);
    snprintf(err, errlen,
             "replication %d stopped after %llu events in %.3g simulated years, more than "
             "%d per component and year: failure, repair or other durations too short "
             "for the model (docs/topology-format.md, \"Limits\")",
             replication + 1, (unsigned long long)st.events, st.now / SIM_SECONDS_PER_YEAR,
             SIM_MAX_EVENTS_PER_COMP_YEAR);
}

/* Every feature's unavailability u known to +/-100*precision % of itself:
 * both ends of its 95% interval (which need not be symmetric) within
 * precision * u of u. The availability's interval of reps[0..n-1] as
 * sim_summarize computes it (the same operations in the same order, so the
 * same decision), without the rest of the summary: between batches only
 * this is needed, and summarizing everything after every batch cost a
 * --precision run time quadratic in its replications. x: n doubles. */
static bool precise_enough(const sim_rep *reps, int n, double *x, double precision)
{
    for (int k = 0; k < reps[0].n; k++) {
        for (int i = 0; i < n; i++)
            x[i] = reps[i].f[k].down_time / reps[i].horizon;
        sim_stat un = sim_stat_fraction(x, n);
        sim_stat a = { 1 - un.mean, un.half_width, 1 - un.high, 1 - un.low };
        double u = 1.0 - a.mean;
        if (fmax(a.high - a.mean, a.mean - a.low) > precision * u)
            return false;
    }
    return true;
}

/* Room for `need` replications in *reps, each with its arrays (sim_rep_init),
 * growing geometrically up to cap: a --precision run allocates for the
 * replications it runs, not for --max-runs up front (which touched, and
 * faulted in, every page of the largest possible run). 0, -1 OOM. */
static int reserve_reps(sim_rep **reps, int *n_init, int need, int cap, int n_features)
{
    if (need <= *n_init)
        return 0;
    int want = *n_init > need / 2 ? 2 * *n_init : need;
    if (want > cap || want < need) /* need <= cap */
        want = cap;
    sim_rep *grown = realloc(*reps, sizeof(**reps) * (size_t)want);
    if (!grown)
        return -1;
    *reps = grown;
    for (; *n_init < want; (*n_init)++)
        if (sim_rep_init(&grown[*n_init], n_features) != 0)
            return -1;
    return 0;
}

int sim_run(const qr_topology *t, const sim_run_options *o, sim_summary *out,
            bool *converged, char *err, size_t errlen)
{
    int ret = -1;
    int threads = o->threads < 1 ? 1 : o->threads;
    int cap = o->runs;
    if (o->precision > 0 && o->max_runs > cap)
        cap = o->max_runs;
    sim_rep *reps = NULL;
    sim_engine **engines = NULL;
    sim_rare **rares = NULL;
    int *job_failed = NULL;
    double *x = NULL;
    sim_split_run *split = NULL;
    int n_reps_init = 0;
    bool done_precise = o->precision <= 0;

    memset(out, 0, sizeof(*out));
    if (qr_topology_is_paired(t)) /* several pools (M10): sim/pairing.c */
        return sim_pairing_simulate(t, o, out, NULL, converged, err, errlen);
    if (o->runs < 1 || !(o->years > 0)) {
        snprintf(err, errlen, "need at least one run and a positive number of years");
        return -1;
    }
    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = o->years * SIM_SECONDS_PER_YEAR;
    cfg.static_mode = o->static_mode;
    if (o->static_mode)
        cfg.patching = false; /* M9 */
    if (!o->static_mode && !sim_engine_supports(t, err, errlen))
        return -2;

    engines = calloc((size_t)threads, sizeof(*engines));
    job_failed = calloc((size_t)threads, sizeof(int));
    if (o->rare)
        rares = calloc((size_t)threads, sizeof(*rares));
    if (!engines || !job_failed || (o->rare && !rares))
        goto oom;
    for (int k = 0; k < threads && !o->rare; k++) {
        engines[k] = sim_engine_new(t, &cfg, err, errlen);
        if (!engines[k]) {
            ret = -1;
            goto cleanup;
        }
    }
    for (int k = 0; k < threads && o->rare; k++) {
        sim_rare_params rp = { o->rare_bias > 0 ? o->rare_bias : SIM_RARE_BIAS,
                               o->rare_replays };
        rares[k] = sim_rare_new(t, &cfg, &rp, err, errlen);
        if (!rares[k]) {
            ret = -1;
            goto cleanup;
        }
    }

    if (o->split && o->split->size > 1) {
        split = sim_split_begin(o->split, threads, t->n_features, err, errlen);
        if (!split)
            goto cleanup;
    }

    int done = 0, target = o->runs;
    for (;;) {
        if (reserve_reps(&reps, &n_reps_init, target, cap, t->n_features) != 0)
            goto oom;
        while (done < target) {
            int chunk = split ? sim_split_chunk(split) : threads * 16;
            if (chunk > target - done)
                chunk = target - done;
            int lo = 0, hi = chunk; /* this rank's share of the chunk */
            if (split)
                sim_split_share(split, chunk, &lo, &hi);
            run_ctx c = { engines, rares, reps, o->seed, done + lo, hi - lo, 0, 0, job_failed };
            c.n_jobs = c.count < threads ? c.count : threads;
            memset(job_failed, 0, sizeof(int) * (size_t)threads);
            int status = 0;
            if (sim_parallel_run(c.n_jobs, threads, run_job, &c) != 0) {
                snprintf(err, errlen, "cannot start %d threads", threads);
                status = 1;
            }
            for (int k = 0; k < c.n_jobs && !status; k++)
                if (job_failed[k] >= 2) {
                    over_budget(err, errlen, job_failed[k] - 2,
                                rares ? sim_rare_engine(rares[k]) : engines[k]);
                    status = 1;
                }
            for (int k = 0; k < c.n_jobs && !status; k++)
                if (job_failed[k]) {
                    snprintf(err, errlen, "out of memory");
                    status = 1;
                }
            if (split && sim_split_gather(split, reps, done, chunk, status, err, errlen) != 0)
                goto cleanup;
            if (status)
                goto cleanup;
            if (o->on_reps)
                o->on_reps(&reps[done], chunk, done, o->on_reps_ctx);
            done += chunk;
            if (o->progress)
                o->progress(done, target, o->progress_ctx);
        }
        if (o->precision <= 0)
            break;
        double *grown = realloc(x, sizeof(double) * (size_t)done);
        if (!grown)
            goto oom;
        x = grown;
        if (precise_enough(reps, done, x, o->precision)) {
            done_precise = true;
            break;
        }
        if (done >= cap)
            break;
        target = done + o->runs;
        if (target > cap)
            target = cap;
    }
    if (sim_summarize(reps, done, out) != 0)
        goto oom;
    if (converged)
        *converged = done_precise;
    ret = 0;
    goto cleanup;
oom:
    snprintf(err, errlen, "out of memory");
    ret = -1;
cleanup:
    if (ret != 0)
        sim_summary_release(out);
    if (engines)
        for (int k = 0; k < threads; k++)
            sim_engine_free(engines[k]);
    free(engines);
    if (rares)
        for (int k = 0; k < threads; k++)
            sim_rare_free(rares[k]);
    free(rares);
    for (int i = 0; i < n_reps_init; i++)
        sim_rep_release(&reps[i]);
    free(reps);
    free(job_failed);
    free(x);
    sim_split_run_free(split);
    return ret;
}
