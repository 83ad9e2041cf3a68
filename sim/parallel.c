/*
 * parallel.c: the job runner of parallel.h.
 *
 * All threads are created before any job starts: they wait at a gate (a
 * mutex and condition variable) that the caller opens once every
 * pthread_create has succeeded. If one fails, the gate opens with `abort`
 * set, the started threads return without taking a job, and the call reports
 * -1 with no job run, which is simpler for the caller than a partial run.
 * Behind the gate, threads (the caller included) claim indices with an atomic
 * fetch-add until the counter passes n_jobs. pthread_join gives the caller a
 * happens-before edge to every job's writes.
 */
#include "sim/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct {
    void          (*job)(int index, void *ctx);
    void           *ctx;
    int             n_jobs;
    atomic_int      next;    /* next index to claim                   */
    pthread_mutex_t lock;    /* guards open and abort                 */
    pthread_cond_t  opened;
    int             open;    /* the gate is open                      */
    int             abort;   /* a thread failed to start: run nothing */
} runner;

/* Claim and run jobs until none is left. */
static void run_jobs(runner *r)
{
    for (;;) {
        int i = atomic_fetch_add_explicit(&r->next, 1, memory_order_relaxed);
        if (i >= r->n_jobs)
            return;
        r->job(i, r->ctx);
    }
}

static void *worker(void *arg)
{
    runner *r = arg;
    pthread_mutex_lock(&r->lock);
    while (!r->open)
        pthread_cond_wait(&r->opened, &r->lock);
    int abort_run = r->abort;
    pthread_mutex_unlock(&r->lock);
    if (!abort_run)
        run_jobs(r);
    return NULL;
}

static void open_gate(runner *r, int abort_run)
{
    pthread_mutex_lock(&r->lock);
    r->open = 1;
    r->abort = abort_run;
    pthread_cond_broadcast(&r->opened);
    pthread_mutex_unlock(&r->lock);
}

int sim_parallel_run(int n_jobs, int n_threads, void (*job)(int index, void *ctx), void *ctx)
{
    if (n_jobs <= 0)
        return 0;
    if (n_threads > n_jobs)
        n_threads = n_jobs;
    if (n_threads <= 1) {
        for (int i = 0; i < n_jobs; i++)
            job(i, ctx);
        return 0;
    }

    int ret = -1;
    int started = 0;
    int have_lock = 0, have_cond = 0, all_started = 0;
    runner r = { .job = job, .ctx = ctx, .n_jobs = n_jobs };
    atomic_init(&r.next, 0);
    pthread_t *threads = malloc((size_t)(n_threads - 1) * sizeof(*threads));
    if (!threads)
        goto cleanup;
    if (pthread_mutex_init(&r.lock, NULL) != 0)
        goto cleanup;
    have_lock = 1;
    if (pthread_cond_init(&r.opened, NULL) != 0)
        goto cleanup;
    have_cond = 1;

    while (started < n_threads - 1 &&
           pthread_create(&threads[started], NULL, worker, &r) == 0)
        started++;
    all_started = (started == n_threads - 1);
    open_gate(&r, !all_started);
    if (all_started)
        run_jobs(&r);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    ret = all_started ? 0 : -1;

cleanup:
    if (have_cond)
        pthread_cond_destroy(&r.opened);
    if (have_lock)
        pthread_mutex_destroy(&r.lock);
    free(threads);
    return ret;
}

void sim_parallel_share(int first, int count, int n_jobs, int index, int *lo, int *hi)
{
    int per = (count + n_jobs - 1) / n_jobs;
    *lo = first + index * per;
    *hi = *lo + per;
    if (*hi > first + count)
        *hi = first + count;
}
