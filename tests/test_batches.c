/*
 * test_batches.c: unit tests of sim/batches.h, the batch loop every whole
 * simulation shares, on a made-up source whose replication i writes
 * values computed from i (so every expected number is known by hand):
 * every replication runs exactly once, on any thread count, its extras
 * reach the finish hook in replication order; --precision batches stop at
 * the first batch when nothing varies, and the amend hook decides (a
 * widened interval runs every batch to max_runs, in steps of runs); a
 * replication over its budget fails the run with the source's message and
 * no summary; a worker that cannot be built fails the run with its
 * message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/batches.h"

#define N_EXTRA 2
#define HORIZON 1000.0

typedef struct {
    bool   vary;          /* down time depends on i; else constant      */
    int    over_budget;   /* this replication fails with -2; -1 none    */
    bool   worker_fails;  /* worker_new fails                           */
    bool   widen;         /* amend widens every availability interval   */
    int    amended;       /* times amend ran                            */
    int    finished;      /* times finish ran                           */
    int    finish_n;
    double extra_sum;     /* of extra[i * N_EXTRA] * (i + 1), in finish */
    bool   extras_wrong;
    int    progress_last, progress_calls;
} fake;

typedef struct {
    int runs; /* replications this worker ran */
} worker;

/* Replications run, summed over the workers when they are freed (by the
 * calling thread, after the run). */
static int ran_total;

static void *fake_worker_new(void *ctx, char *err, size_t errlen)
{
    fake *f = ctx;
    if (f->worker_fails) {
        snprintf(err, errlen, "no worker here");
        return NULL;
    }
    return calloc(1, sizeof(worker));
}

static void fake_worker_free(void *ctx, void *w)
{
    (void)ctx;
    if (w)
        ran_total += ((worker *)w)->runs;
    free(w);
}

static int fake_replicate(void *ctx, void *w, uint64_t seed, int index, sim_rep *rep,
                          double *extra)
{
    fake *f = ctx;
    (void)seed;
    if (index == f->over_budget)
        return -2;
    ((worker *)w)->runs++;
    rep->horizon = HORIZON;
    rep->events = (uint64_t)index;
    double down = f->vary ? (double)(index % 3 + 1) : 2.0;
    for (int k = 0; k < rep->n; k++) {
        rep->f[k].down_time = down;
        rep->f[k].outages = 1;
    }
    extra[0] = index;
    extra[1] = -index;
    return 0;
}

static void fake_over_budget(void *ctx, const void *w, int index, char *err, size_t errlen)
{
    (void)ctx;
    (void)w;
    snprintf(err, errlen, "replication %d over its budget", index + 1);
}

static void fake_amend(void *ctx, sim_summary *s)
{
    fake *f = ctx;
    f->amended++;
    if (f->widen)
        for (int k = 0; k < s->n; k++)
            s->f[k].availability.low = s->f[k].availability.mean - 0.5;
}

static int fake_finish(void *ctx, const sim_rep *reps, const double *extra, int n)
{
    fake *f = ctx;
    f->finished++;
    f->finish_n = n;
    for (int i = 0; i < n; i++) {
        if (extra[i * N_EXTRA] != i || extra[i * N_EXTRA + 1] != -i || reps[i].events != (uint64_t)i)
            f->extras_wrong = true;
        f->extra_sum += extra[i * N_EXTRA] * (i + 1);
    }
    return 0;
}

static void fake_progress(int done, int planned, void *ctx)
{
    fake *f = ctx;
    (void)planned;
    f->progress_last = done;
    f->progress_calls++;
}

static sim_rep_source source_of(fake *f)
{
    sim_rep_source s = { .n_features = 1, .n_extra = N_EXTRA, .ctx = f,
                         .worker_new = fake_worker_new, .worker_free = fake_worker_free,
                         .replicate = fake_replicate, .over_budget = fake_over_budget,
                         .amend = fake_amend, .finish = fake_finish };
    return s;
}

static sim_run_options options(int runs, int threads)
{
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = HORIZON / SIM_SECONDS_PER_YEAR;
    o.runs = runs;
    o.seed = 1;
    o.threads = threads;
    return o;
}

/* 50 replications on 1 and 3 threads: each once, extras in order, the
 * same summary bit for bit. */
static void test_batches_every_replication_once(void **state)
{
    (void)state;
    sim_summary s[2];
    for (int v = 0; v < 2; v++) {
        fake f = { .vary = true, .over_budget = -1 };
        sim_rep_source src = source_of(&f);
        sim_run_options o = options(50, v == 0 ? 1 : 3);
        o.progress = fake_progress;
        o.progress_ctx = &f;
        char err[128] = "";
        bool converged = false;
        ran_total = 0;
        assert_int_equal(sim_batches_run(&src, &o, &s[v], &converged, err, sizeof(err)), 0);
        assert_true(converged); /* no precision asked */
        assert_int_equal(ran_total, 50);
        assert_int_equal(s[v].runs, 50);
        assert_true(s[v].events == 50 * 49 / 2);
        assert_int_equal(f.finished, 1);
        assert_int_equal(f.finish_n, 50);
        assert_false(f.extras_wrong);
        /* sum of i * (i + 1), i < 50: n(n-1)(n+1)/3 */
        assert_true(f.extra_sum == 49.0 * 50.0 * 51.0 / 3.0);
        assert_int_equal(f.amended, 1); /* the returned summary only */
        assert_int_equal(f.progress_last, 50);
        /* chunks of 16 per thread: 50 = 16+16+16+2 on one thread, one on three */
        assert_int_equal(f.progress_calls, v == 0 ? 4 : 2);
    }
    assert_memory_equal(s[0].f, s[1].f, sizeof(*s[0].f) * (size_t)s[0].n);
    /* down time 1, 2, 3, 1, ... s of 1000: 17 ones, 17 twos, 16 threes */
    assert_true(fabs(s[0].f[0].availability.mean - (1 - 99.0 / 50 / HORIZON)) < 1e-12);
    sim_summary_release(&s[0]);
    sim_summary_release(&s[1]);
}

/* Nothing varies: a point interval, precise at the first batch. The amend
 * hook widening every interval: never precise, batches of 10 up to 25. */
static void test_batches_precision_and_amend(void **state)
{
    (void)state;
    for (int widen = 0; widen < 2; widen++) {
        fake f = { .vary = false, .over_budget = -1, .widen = widen };
        sim_rep_source src = source_of(&f);
        sim_run_options o = options(10, 2);
        o.precision = 0.1;
        o.max_runs = 25;
        o.progress = fake_progress;
        o.progress_ctx = &f;
        sim_summary s;
        char err[128] = "";
        bool converged = !widen;
        ran_total = 0;
        assert_int_equal(sim_batches_run(&src, &o, &s, &converged, err, sizeof(err)), 0);
        assert_int_equal(converged, !widen);
        assert_int_equal(s.runs, widen ? 25 : 10);
        assert_int_equal(ran_total, s.runs);
        assert_int_equal(f.finish_n, s.runs);
        assert_false(f.extras_wrong);
        /* amend: once per batch's check (10, 20, 25: 3 or 1), once at the end */
        assert_int_equal(f.amended, widen ? 4 : 2);
        assert_int_equal(f.progress_calls, widen ? 3 : 1);
        assert_true(fabs(s.f[0].availability.mean - (1 - 2.0 / HORIZON)) < 1e-12);
        assert_true(widen ? s.f[0].availability.low == s.f[0].availability.mean - 0.5
                          : s.f[0].availability.low == s.f[0].availability.mean);
        sim_summary_release(&s);
    }
}

/* Replication 7 (the 8th) spends its budget: -1, the source's message, an
 * empty summary, no finish. */
static void test_batches_over_budget(void **state)
{
    (void)state;
    for (int threads = 1; threads <= 2; threads++) {
        fake f = { .vary = true, .over_budget = 7 };
        sim_rep_source src = source_of(&f);
        sim_run_options o = options(20, threads);
        sim_summary s;
        char err[128] = "";
        assert_int_equal(sim_batches_run(&src, &o, &s, NULL, err, sizeof(err)), -1);
        assert_string_equal(err, "replication 8 over its budget");
        assert_null(s.f);
        assert_int_equal(s.runs, 0);
        assert_int_equal(f.finished, 0);
    }
}

static void test_batches_worker_fails(void **state)
{
    (void)state;
    fake f = { .over_budget = -1, .worker_fails = true };
    sim_rep_source src = source_of(&f);
    sim_run_options o = options(5, 2);
    sim_summary s;
    char err[128] = "";
    assert_int_equal(sim_batches_run(&src, &o, &s, NULL, err, sizeof(err)), -1);
    assert_string_equal(err, "no worker here");
    assert_null(s.f);
}

/* sim_batches_config: no runs or years is an error; static mode has no
 * patching (M9). */
static void test_batches_config(void **state)
{
    (void)state;
    sim_config cfg;
    char err[128] = "";
    sim_run_options o = options(0, 1);
    assert_int_equal(sim_batches_config(&o, &cfg, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "at least one run"));
    o = options(3, 1);
    o.years = 0;
    assert_int_equal(sim_batches_config(&o, &cfg, err, sizeof(err)), -1);
    o = options(3, 1);
    o.years = 2;
    o.static_mode = true;
    assert_int_equal(sim_batches_config(&o, &cfg, err, sizeof(err)), 0);
    assert_true(cfg.horizon == 2 * SIM_SECONDS_PER_YEAR);
    assert_true(cfg.static_mode);
    assert_false(cfg.patching);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batches_every_replication_once),
        cmocka_unit_test(test_batches_precision_and_amend),
        cmocka_unit_test(test_batches_over_budget),
        cmocka_unit_test(test_batches_worker_fails),
        cmocka_unit_test(test_batches_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
