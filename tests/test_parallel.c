/*
 * test_parallel.c: unit tests of sim/parallel.h: every index runs exactly
 * once for many (jobs, threads) pairs including 0 jobs, 1 job and more
 * threads than jobs; no more threads than jobs; n_threads <= 1 runs inline
 * and in order; jobs really run concurrently; and a reduction in index order
 * is bit-identical for 1 and 4 threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/dist.h"
#include "sim/parallel.h"
#include "sim/rng.h"

#define MAX_SEEN_THREADS 64

typedef struct {
    atomic_int     *runs;         /* per index: times it ran            */
    int             n_jobs;
    pthread_mutex_t lock;
    pthread_t       seen[MAX_SEEN_THREADS]; /* distinct threads that ran jobs */
    int             n_seen;
    int             order_ok;     /* inline: indices came 0, 1, 2, ... */
    int             next_expected;
    int             bad_index;    /* an index outside 0..n_jobs-1 came  */
} count_ctx;

static void count_job(int index, void *arg)
{
    count_ctx *c = arg;
    /* No cmocka assert here: it would longjmp out of a worker thread. */
    pthread_mutex_lock(&c->lock);
    if (index < 0 || index >= c->n_jobs) {
        c->bad_index = 1;
        pthread_mutex_unlock(&c->lock);
        return;
    }
    atomic_fetch_add(&c->runs[index], 1);
    if (index != c->next_expected)
        c->order_ok = 0;
    c->next_expected = index + 1;
    pthread_t self = pthread_self();
    int known = 0;
    for (int i = 0; i < c->n_seen; i++)
        known |= pthread_equal(c->seen[i], self);
    if (!known && c->n_seen < MAX_SEEN_THREADS)
        c->seen[c->n_seen++] = self;
    pthread_mutex_unlock(&c->lock);
}

/* Run (n_jobs, n_threads) and check each index ran once; returns the number
 * of distinct threads that ran jobs. */
static int run_counted(int n_jobs, int n_threads, int *order_ok, int *caller_only)
{
    count_ctx c = { .n_jobs = n_jobs, .order_ok = 1 };
    c.runs = calloc(n_jobs > 0 ? (size_t)n_jobs : 1, sizeof(*c.runs));
    assert_non_null(c.runs);
    for (int i = 0; i < n_jobs; i++)
        atomic_init(&c.runs[i], 0);
    pthread_mutex_init(&c.lock, NULL);
    assert_int_equal(sim_parallel_run(n_jobs, n_threads, count_job, &c), 0);
    assert_false(c.bad_index);
    for (int i = 0; i < n_jobs; i++)
        assert_int_equal(atomic_load(&c.runs[i]), 1);
    if (order_ok)
        *order_ok = c.order_ok;
    if (caller_only)
        *caller_only = (c.n_seen == 1 && pthread_equal(c.seen[0], pthread_self()));
    pthread_mutex_destroy(&c.lock);
    free(c.runs);
    return c.n_seen;
}

static void test_parallel_every_index_once(void **state)
{
    (void)state;
    const int jobs[] = { 0, 1, 2, 3, 7, 64, 1000 };
    const int threads[] = { -1, 0, 1, 2, 3, 4, 8, 16 };
    for (size_t a = 0; a < sizeof(jobs) / sizeof(jobs[0]); a++)
        for (size_t b = 0; b < sizeof(threads) / sizeof(threads[0]); b++) {
            int n_seen = run_counted(jobs[a], threads[b], NULL, NULL);
            int limit = threads[b] < 1 ? 1 : threads[b];
            if (limit > jobs[a])
                limit = jobs[a];
            /* Never more threads than jobs, nor than asked for. */
            assert_true(n_seen <= limit);
            if (jobs[a] == 0)
                assert_int_equal(n_seen, 0);
        }
}

static void test_parallel_one_thread_runs_inline_in_order(void **state)
{
    (void)state;
    int order_ok = 0, caller_only = 0;
    assert_int_equal(run_counted(100, 1, &order_ok, &caller_only), 1);
    assert_true(order_ok);
    assert_true(caller_only);
    /* One job with many threads also runs in the caller's thread. */
    assert_int_equal(run_counted(1, 8, &order_ok, &caller_only), 1);
    assert_true(caller_only);
}

/* Two jobs wait (up to 10 s) for each other: they only meet when they run
 * on different threads at the same time. */
typedef struct {
    atomic_int arrived;
    atomic_int met;
} meet_ctx;

static void meet_job(int index, void *arg)
{
    (void)index;
    meet_ctx *m = arg;
    atomic_fetch_add(&m->arrived, 1);
    struct timespec start, now, pause = { 0, 1000000 };
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        if (atomic_load(&m->arrived) >= 2) {
            atomic_fetch_add(&m->met, 1);
            return;
        }
        nanosleep(&pause, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec - start.tv_sec < 10);
}

static void test_parallel_jobs_run_concurrently(void **state)
{
    (void)state;
    meet_ctx m;
    atomic_init(&m.arrived, 0);
    atomic_init(&m.met, 0);
    assert_int_equal(sim_parallel_run(2, 2, meet_job, &m), 0);
    assert_int_equal(atomic_load(&m.met), 2);
}

/* Each job sums draws of its own stream; the index-order reduction must not
 * depend on the thread count, to the bit. */
typedef struct {
    double *partial;
} reduce_ctx;

static void reduce_job(int index, void *arg)
{
    reduce_ctx *c = arg;
    sim_rng r;
    sim_rng_seed(&r, 2026, (uint64_t)index);
    qr_dist d = { QR_DIST_WEIBULL, 3600.0 * (1 + index % 5), 1.5 };
    double sum = 0.0;
    for (int i = 0; i < 20000; i++)
        sum += sim_dist_sample(&d, &r);
    c->partial[index] = sum;
}

static double reduce_with(int n_threads, int n_jobs)
{
    reduce_ctx c = { .partial = calloc((size_t)n_jobs, sizeof(double)) };
    assert_non_null(c.partial);
    assert_int_equal(sim_parallel_run(n_jobs, n_threads, reduce_job, &c), 0);
    double total = 0.0;
    for (int i = 0; i < n_jobs; i++)
        total += c.partial[i];
    free(c.partial);
    return total;
}

static void test_parallel_reduction_independent_of_threads(void **state)
{
    (void)state;
    double one = reduce_with(1, 97);
    double four = reduce_with(4, 97);
    double three = reduce_with(3, 97);
    assert_memory_equal(&one, &four, sizeof(one));
    assert_memory_equal(&one, &three, sizeof(one));
    assert_true(one > 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_every_index_once),
        cmocka_unit_test(test_parallel_one_thread_runs_inline_in_order),
        cmocka_unit_test(test_parallel_jobs_run_concurrently),
        cmocka_unit_test(test_parallel_reduction_independent_of_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
