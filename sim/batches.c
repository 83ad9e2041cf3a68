/*
 * batches.c: the batch loop of every whole simulation (batches.h).
 *
 * Replication i always uses random stream i of the seed, whichever thread
 * or rank runs it, and results are stored by index and summarized in index
 * order: the output is byte-identical for any --threads and any ranks.
 * Work is cut into chunks (for the progress callback) and each chunk into
 * one contiguous range per thread; every thread slot owns one worker for
 * the whole simulation. After each chunk the optional on_reps callback sees
 * the chunk's replications, from the calling thread, in index order.
 * With several ranks (o->split, sim/split.h) this process runs only its
 * share of each chunk and the gather fills in the rest (the extras too), so
 * everything after it is the same as in one process.
 */
#include "sim/batches.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/parallel.h"
#include "sim/split.h"

typedef struct {
    const sim_rep_source *src;
    void       **workers;
    sim_rep     *reps;
    double      *extra;
    uint64_t     seed;
    int          first, count, n_jobs;
    int         *job_failed; /* one flag per job: no shared writes         */
} run_ctx;

static void run_job(int index, void *arg)
{
    run_ctx *c = arg;
    const sim_rep_source *src = c->src;
    int lo, hi;
    sim_parallel_share(c->first, c->count, c->n_jobs, index, &lo, &hi);
    for (int i = lo; i < hi; i++) {
        int rc = src->replicate(src->ctx, c->workers[index], c->seed, i, &c->reps[i],
                                c->extra + (size_t)i * (size_t)src->n_extra);
        if (rc != 0) {
            /* 1 out of memory; 2 + i the budget of replication i is spent */
            c->job_failed[index] = rc == -2 ? 2 + i : 1;
            return;
        }
    }
}

int sim_batches_config(const sim_run_options *o, sim_config *cfg, char *err, size_t errlen)
{
    if (o->runs < 1 || !(o->years > 0)) {
        snprintf(err, errlen, "need at least one run and a positive number of years");
        return -1;
    }
    sim_config_default(cfg);
    cfg->horizon = o->years * SIM_SECONDS_PER_YEAR;
    cfg->static_mode = o->static_mode;
    if (o->static_mode)
        cfg->patching = false; /* M9 */
    return 0;
}

/* Both ends of the 95% interval a of an availability (which need not be
 * symmetric) within precision * u of it, u its unavailability. */
static bool tight(const sim_stat *a, double precision)
{
    double u = 1.0 - a->mean;
    return !(fmax(a->high - a->mean, a->mean - a->low) > precision * u);
}

/* Every row's unavailability u known to +/-100*precision % of itself. The
 * availability's interval of reps[0..n-1] as sim_summarize computes it
 * (the same operations in the same order, so the same decision), without
 * the rest of the summary: between batches only this is needed, and
 * summarizing everything after every batch cost a --precision run time
 * quadratic in its replications. With an amend hook the amended summary
 * decides. x: n doubles. 1 yes, 0 no, -1 out of memory. */
static int precise_enough(const sim_rep_source *src, const sim_rep *reps, int n, double *x,
                          double precision)
{
    if (src->amend) {
        sim_summary s;
        if (sim_summarize(reps, n, &s) != 0)
            return -1;
        src->amend(src->ctx, &s);
        int yes = 1;
        for (int k = 0; k < s.n && yes; k++)
            yes = tight(&s.f[k].availability, precision);
        sim_summary_release(&s);
        return yes;
    }
    for (int k = 0; k < reps[0].n; k++) {
        for (int i = 0; i < n; i++)
            x[i] = reps[i].f[k].down_time / reps[i].horizon;
        sim_stat un = sim_stat_fraction(x, n);
        sim_stat a = { 1 - un.mean, un.half_width, 1 - un.high, 1 - un.low };
        if (!tight(&a, precision))
            return 0;
    }
    return 1;
}

/* Room for `need` replications in *reps, each with its arrays (sim_rep_init),
 * and their extras (zeroed), growing geometrically up to cap: a --precision
 * run allocates for the replications it runs, not for --max-runs up front
 * (which touched, and faulted in, every page of the largest possible run).
 * 0, -1 OOM. */
static int reserve_reps(sim_rep **reps, double **extra, int *n_init, int need, int cap,
                        const sim_rep_source *src)
{
    if (need <= *n_init)
        return 0;
    int want = *n_init > need / 2 ? 2 * *n_init : need;
    if (want > cap || want < need) /* need <= cap */
        want = cap;
    size_t stride = (size_t)src->n_extra;
    double *more = realloc(*extra, sizeof(double) * ((size_t)want * stride + 1));
    if (!more)
        return -1;
    memset(more + (size_t)*n_init * stride, 0,
           sizeof(double) * (size_t)(want - *n_init) * stride);
    *extra = more;
    sim_rep *grown = realloc(*reps, sizeof(**reps) * (size_t)want);
    if (!grown)
        return -1;
    *reps = grown;
    for (; *n_init < want; (*n_init)++)
        if (sim_rep_init(&grown[*n_init], src->n_features) != 0)
            return -1;
    return 0;
}

/* Run replications [first, first + count) on the workers; 0, or non-zero
 * with the message of the lowest failed job in err. */
static int run_chunk(run_ctx *c, int threads, char *err, size_t errlen)
{
    const sim_rep_source *src = c->src;
    c->n_jobs = c->count < threads ? c->count : threads;
    memset(c->job_failed, 0, sizeof(int) * (size_t)threads);
    if (sim_parallel_run(c->n_jobs, threads, run_job, c) != 0) {
        snprintf(err, errlen, "cannot start %d threads", threads);
        return 1;
    }
    for (int k = 0; k < c->n_jobs; k++)
        if (c->job_failed[k] >= 2) {
            src->over_budget(src->ctx, c->workers[k], c->job_failed[k] - 2, err, errlen);
            return 1;
        }
    for (int k = 0; k < c->n_jobs; k++)
        if (c->job_failed[k]) {
            snprintf(err, errlen, "out of memory");
            return 1;
        }
    return 0;
}

int sim_batches_run(const sim_rep_source *src, const sim_run_options *o, sim_summary *out,
                    bool *converged, char *err, size_t errlen)
{
    int ret = -1;
    int threads = o->threads < 1 ? 1 : o->threads;
    int cap = o->runs;
    if (o->precision > 0 && o->max_runs > cap)
        cap = o->max_runs;
    sim_rep *reps = NULL;
    double *extra = NULL;
    void **workers = NULL;
    int *job_failed = NULL;
    double *x = NULL;
    sim_split_run *split = NULL;
    int n_reps_init = 0;
    bool done_precise = o->precision <= 0;

    memset(out, 0, sizeof(*out));
    workers = calloc((size_t)threads, sizeof(*workers));
    job_failed = calloc((size_t)threads, sizeof(int));
    if (!workers || !job_failed)
        goto oom;
    for (int k = 0; k < threads; k++) {
        workers[k] = src->worker_new(src->ctx, err, errlen);
        if (!workers[k])
            goto cleanup;
    }
    if (o->split && o->split->size > 1) {
        split = sim_split_begin(o->split, threads, src->n_features, src->n_extra, err, errlen);
        if (!split)
            goto cleanup;
    }

    int done = 0, target = o->runs;
    for (;;) {
        if (reserve_reps(&reps, &extra, &n_reps_init, target, cap, src) != 0)
            goto oom;
        while (done < target) {
            int chunk = split ? sim_split_chunk(split) : threads * 16;
            if (chunk > target - done)
                chunk = target - done;
            int lo = 0, hi = chunk; /* this rank's share of the chunk */
            if (split)
                sim_split_share(split, chunk, &lo, &hi);
            run_ctx c = { src, workers, reps, extra, o->seed, done + lo, hi - lo, 0, job_failed };
            int status = run_chunk(&c, threads, err, errlen);
            if (split &&
                sim_split_gather(split, reps, extra, done, chunk, status, err, errlen) != 0)
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
        int precise = precise_enough(src, reps, done, x, o->precision);
        if (precise < 0)
            goto oom;
        if (precise) {
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
    if (src->amend)
        src->amend(src->ctx, out);
    if (src->finish && src->finish(src->ctx, reps, extra, done) != 0)
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
    if (workers)
        for (int k = 0; k < threads; k++)
            src->worker_free(src->ctx, workers[k]);
    free(workers);
    for (int i = 0; i < n_reps_init; i++)
        sim_rep_release(&reps[i]);
    free(reps);
    free(extra);
    free(job_failed);
    free(x);
    sim_split_run_free(split);
    return ret;
}
