/*
 * test_split.c: unit tests of sim/split.h, the replications of one run
 * shared among ranks, with a transport of threads standing in for MPI
 * processes (each "rank" a thread calling sim_run, the collectives a
 * barrier and shared pointers): a replication packs and unpacks bit for
 * bit; the shares of a chunk cover it exactly once, in rank order, in
 * proportion to the threads; 2 and 3 ranks with different thread counts
 * give the summary and the on_reps sequence of one process, bit for bit,
 * plain and with --precision batches, for one pool and for a design with
 * paired pools (M10: its pools' summaries too, from counters gathered
 * beside each replication); a replication spending its event budget on
 * one rank fails every rank with the message of one process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/diag.h"
#include "model/loader.h"
#include "sim/pairing.h"
#include "sim/runner.h"
#include "sim/split.h"
#include "sim_topo.h"

/* ---- a transport over threads ---- */

#define MAX_RANKS 4

/* A barrier that gives up after a few seconds (a rank that fell out of
 * step would otherwise hang the test): the transport then fails, and so
 * does sim_run, on every rank still waiting. */
typedef struct {
    int               size;
    pthread_mutex_t   lock;
    pthread_cond_t    cond;
    int               waiting;
    unsigned long     round;
    bool              broken;
    const void       *src[MAX_RANKS];
} shared_bus;

static int bus_wait(shared_bus *b)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 20;
    pthread_mutex_lock(&b->lock);
    unsigned long round = b->round;
    if (++b->waiting == b->size) {
        b->waiting = 0;
        b->round++;
        pthread_cond_broadcast(&b->cond);
    } else {
        while (b->round == round && !b->broken)
            if (pthread_cond_timedwait(&b->cond, &b->lock, &until) != 0)
                b->broken = true;
        if (b->round == round)
            pthread_cond_broadcast(&b->cond);
    }
    int ok = b->round != round;
    pthread_mutex_unlock(&b->lock);
    return ok ? 0 : -1;
}

typedef struct {
    shared_bus *bus;
    int         rank;
    long        ran, seen; /* replications run here, gathered in all */
} rank_ctx;

static void bus_tally(void *ctx, int mine, int all)
{
    rank_ctx *r = ctx;
    r->ran += mine;
    r->seen += all;
}

static int bus_allgatherv(void *ctx, const void *mine, void *all, const size_t *lens)
{
    rank_ctx *r = ctx;
    shared_bus *b = r->bus;
    b->src[r->rank] = mine;
    if (bus_wait(b) != 0)
        return -1;
    unsigned char *dst = all;
    for (int k = 0; k < b->size; k++) {
        memcpy(dst, b->src[k], lens[k]);
        dst += lens[k];
    }
    return bus_wait(b); /* nobody reuses src before all copied */
}

static int bus_allgather(void *ctx, const void *mine, void *all, size_t len)
{
    size_t lens[MAX_RANKS];
    for (int k = 0; k < MAX_RANKS; k++)
        lens[k] = len;
    return bus_allgatherv(ctx, mine, all, lens);
}

/* ---- what one rank runs and records ---- */

typedef struct {
    double *pool_down;  /* per replication, in on_reps order           */
    int     n, cap;
    int     next_first; /* on_reps must come in replication order      */
    bool    out_of_order;
} rep_log;

static void log_reps(const sim_rep *reps, int n, int first, void *ctx)
{
    rep_log *l = ctx;
    if (first != l->next_first)
        l->out_of_order = true;
    l->next_first = first + n;
    for (int i = 0; i < n; i++)
        if (l->n < l->cap)
            l->pool_down[l->n++] = reps[i].f[reps[i].n - 1].down_time;
}

typedef struct {
    const qr_topology *t;
    sim_run_options    o;
    rank_ctx           rc;
    sim_split          split;
    int                size;
    /* results */
    int         ret;
    bool        converged;
    sim_summary s;
    sim_pool_summary *pools; /* a design with pools: its pools' summaries */
    rep_log     log;
    char        err[512];
} rank_run;

static void *run_rank(void *arg)
{
    rank_run *r = arg;
    r->o.on_reps = log_reps;
    r->o.on_reps_ctx = &r->log;
    if (r->size > 1) {
        r->split = (sim_split){ r->rc.rank, r->size, &r->rc, bus_allgather, bus_allgatherv,
                                bus_tally };
        r->o.split = &r->split;
    }
    if (qr_topology_is_paired(r->t))
        r->ret = sim_pairing_simulate(r->t, &r->o, &r->s, &r->pools, &r->converged, r->err,
                                      sizeof(r->err));
    else
        r->ret = sim_run(r->t, &r->o, &r->s, &r->converged, r->err, sizeof(r->err));
    return NULL;
}

/* Run o on `size` ranks with threads[k] threads on rank k into runs[]. */
static void run_ranks(const qr_topology *t, const sim_run_options *o, int size,
                      const int *threads, rank_run *runs)
{
    shared_bus bus = { .size = size };
    pthread_mutex_init(&bus.lock, NULL);
    pthread_cond_init(&bus.cond, NULL);
    pthread_t th[MAX_RANKS];
    for (int k = 0; k < size; k++) {
        memset(&runs[k], 0, sizeof(runs[k]));
        runs[k].t = t;
        runs[k].o = *o;
        runs[k].o.threads = threads[k];
        runs[k].rc = (rank_ctx){ &bus, k, 0, 0 };
        runs[k].size = size;
        runs[k].log.cap = 4096;
        runs[k].log.pool_down = calloc(4096, sizeof(double));
        assert_non_null(runs[k].log.pool_down);
        assert_int_equal(pthread_create(&th[k], NULL, run_rank, &runs[k]), 0);
    }
    for (int k = 0; k < size; k++)
        pthread_join(th[k], NULL);
    pthread_cond_destroy(&bus.cond);
    pthread_mutex_destroy(&bus.lock);
}

static void release_runs(rank_run *runs, int size)
{
    for (int k = 0; k < size; k++) {
        if (runs[k].ret == 0)
            sim_summary_release(&runs[k].s);
        free(runs[k].pools);
        free(runs[k].log.pool_down);
    }
}

/* a and b bit for bit (the way test_measures compares thread counts). */
static void assert_same_summary(const sim_summary *a, const sim_summary *b)
{
    assert_int_equal(a->runs, b->runs);
    assert_true(a->events == b->events);
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->f, b->f, sizeof(*a->f) * (size_t)a->n);
    assert_memory_equal(&a->quorum_losses_year, &b->quorum_losses_year,
                        sizeof(sim_summary) - offsetof(sim_summary, quorum_losses_year));
}

/* ---- tests ---- */

static void test_split_pack_roundtrip(void **state)
{
    (void)state;
    sim_rep a, b;
    assert_int_equal(sim_rep_init(&a, 3), 0);
    assert_int_equal(sim_rep_init(&b, 3), 0);
    a.horizon = 1.5e8;
    a.events = (1ull << 60) + 7; /* not a double: must survive as bytes */
    a.quorum_losses = 3;
    a.failovers = 11;
    a.limited_time = 0.1;
    a.resiliency_time = 1e-300;
    for (int k = 0; k < a.n; k++) {
        a.f[k] = (sim_feature_rep){ 1.0 / (k + 3), 2.0 * k, 7.0 + k, 5 + k };
        for (int c = 0; c < SIM_DC_COUNT; c++)
            a.cause[k * SIM_DC_COUNT + c] = k * 100 + c + 0.25;
        for (int s = 0; s < SIM_DS_COUNT; s++)
            a.start[k * SIM_DS_COUNT + s] = -(k * 100 + s) - 0.5;
    }
    unsigned char *buf = malloc(sim_split_rep_bytes(a.n));
    assert_non_null(buf);
    sim_split_rep_pack(&a, buf);
    sim_feature_rep *keep_f = b.f;
    sim_split_rep_unpack(buf, &b);
    assert_ptr_equal(b.f, keep_f); /* b keeps its own arrays */
    assert_int_equal(b.n, a.n);
    assert_true(b.events == a.events);
    assert_true(b.horizon == a.horizon && b.resiliency_time == a.resiliency_time);
    assert_int_equal(b.quorum_losses, 3);
    assert_int_equal(b.failovers, 11);
    assert_memory_equal(b.f, a.f, sizeof(*a.f) * (size_t)a.n);
    assert_memory_equal(b.cause, a.cause, sizeof(double) * (size_t)a.n * SIM_DC_COUNT);
    assert_memory_equal(b.start, a.start, sizeof(double) * (size_t)a.n * SIM_DS_COUNT);
    assert_true(b.start == b.cause + (size_t)b.n * SIM_DC_COUNT);
    free(buf);
    sim_rep_release(&a);
    sim_rep_release(&b);
}

/* Shares as sim_split_begin agrees them; no collective needed for one
 * rank's view, so each rank's run is begun with a 1-rank bus and its
 * share computed as if it were rank k of size. */
static int fake_allgather(void *ctx, const void *mine, void *all, size_t len)
{
    const int *threads = ctx; /* every rank's count, as if exchanged */
    (void)mine;
    for (int k = 0; threads[k] > 0; k++)
        memcpy((unsigned char *)all + (size_t)k * len, &threads[k], len);
    return 0;
}

static void test_split_shares(void **state)
{
    (void)state;
    int threads[] = { 1, 3, 2, 0 };
    int size = 3;
    int owner[200];
    for (int count = 0; count <= 6 * SIM_SPLIT_PER_THREAD; count++) {
        for (int i = 0; i < count; i++)
            owner[i] = -1;
        int prev_hi = 0;
        for (int k = 0; k < size; k++) {
            sim_split s = { k, size, threads, fake_allgather, NULL, NULL };
            char err[128];
            sim_split_run *r = sim_split_begin(&s, threads[k], 2, 0, err, sizeof(err));
            assert_non_null(r);
            assert_int_equal(sim_split_chunk(r), 6 * SIM_SPLIT_PER_THREAD);
            int lo, hi;
            sim_split_share(r, count, &lo, &hi);
            assert_int_equal(lo, prev_hi); /* contiguous, rank order */
            assert_true(hi >= lo && hi <= count);
            for (int i = lo; i < hi; i++) {
                assert_int_equal(owner[i], -1);
                owner[i] = k;
            }
            prev_hi = hi;
            /* a full chunk: exactly 16 per thread */
            if (count == 6 * SIM_SPLIT_PER_THREAD)
                assert_int_equal(hi - lo, threads[k] * SIM_SPLIT_PER_THREAD);
            sim_split_run_free(r);
        }
        assert_int_equal(prev_hi, count);
        for (int i = 0; i < count; i++)
            assert_true(owner[i] >= 0);
    }
}

/* 1 process against 2 and 3 ranks, plain and with --precision. */
static void check_same_as_one(const qr_topology *t, const sim_run_options *o)
{
    static const int one[] = { 1 };
    static const int threads[][3] = { { 1, 1, 0 }, { 2, 1, 3 } };
    static const int sizes[] = { 2, 3 };
    rank_run base[1];
    run_ranks(t, o, 1, one, base);
    assert_int_equal(base[0].ret, 0);
    assert_false(base[0].log.out_of_order);
    assert_int_equal(base[0].log.n, base[0].s.runs);
    for (int v = 0; v < 2; v++) {
        rank_run runs[MAX_RANKS];
        run_ranks(t, o, sizes[v], threads[v], runs);
        long ran = 0, total_threads = 0;
        for (int k = 0; k < sizes[v]; k++) {
            ran += runs[k].rc.ran;
            total_threads += threads[v][k];
        }
        assert_int_equal(ran, base[0].s.runs); /* each replication run once */
        for (int k = 0; k < sizes[v]; k++) {
            assert_int_equal(runs[k].rc.seen, base[0].s.runs);
            /* in proportion to the threads, give or take a chunk's rounding */
            double share = (double)runs[k].rc.ran / (double)ran;
            assert_true(fabs(share - (double)threads[v][k] / (double)total_threads) < 0.1);
        }
        for (int k = 0; k < sizes[v]; k++) {
            if (runs[k].ret != 0)
                fail_msg("rank %d of %d: %s", k, sizes[v], runs[k].err);
            assert_same_summary(&base[0].s, &runs[k].s);
            if (qr_topology_is_paired(t))
                assert_memory_equal(runs[k].pools, base[0].pools,
                                    sizeof(*base[0].pools) * (size_t)t->n_pools);
            assert_true(runs[k].converged == base[0].converged);
            assert_false(runs[k].log.out_of_order);
            assert_int_equal(runs[k].log.n, base[0].log.n);
            assert_memory_equal(runs[k].log.pool_down, base[0].log.pool_down,
                                sizeof(double) * (size_t)base[0].log.n);
        }
        release_runs(runs, sizes[v]);
    }
    release_runs(base, 1);
}

static void test_split_same_as_one_process(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 3;
    o.runs = 101; /* more than one chunk of 2 x 16, not a multiple */
    o.seed = 77;
    check_same_as_one(t, &o);
    o.static_mode = true;
    check_same_as_one(t, &o);
    qr_topology_free(t);
}

static void test_split_precision_batches(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 2;
    o.runs = 10; /* batches smaller than a chunk: shares of 10 */
    o.seed = 3;
    o.precision = 0.2;
    o.max_runs = 400;
    check_same_as_one(t, &o);
    qr_topology_free(t);
}

/* Paired pools (M10): each replication's per-pool counters travel with it,
 * so the pools' summaries are one process's too; plain and in batches. */
static void test_split_paired_pools(void **state)
{
    (void)state;
    const char *path = "topologies/dr/paired-pools.yaml";
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, path), 0);
    assert_int_equal(qr_topology_load_file(path, &t, &d), 0);
    qr_diags_release(&d);
    assert_true(qr_topology_is_paired(t));
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 2;
    o.runs = 41;
    o.seed = 8;
    check_same_as_one(t, &o);
    o.runs = 12;
    o.years = 5;
    o.precision = 0.5;
    o.max_runs = 120;
    check_same_as_one(t, &o);
    qr_topology_free(t);
}

/* Durations so short that a replication spends its event budget
 * (test_engine.c): every rank fails with the message one process gives,
 * including the rank that ran nothing and the one whose replication was
 * not the first to fail. */
static void test_split_error_reaches_every_rank(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    for (int i = 0; i < t->n_comps; i++) {
        t->comps[i].failure = (qr_dist){ QR_DIST_EXPONENTIAL, 1e-303, 1 };
        t->comps[i].repair = (qr_dist){ QR_DIST_EXPONENTIAL, 1e-303, 1 };
    }
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 1;
    o.runs = 2;
    o.seed = 1;
    static const int one[] = { 1 }, three[] = { 1, 1, 1 };
    rank_run base[1], runs[3];
    run_ranks(t, &o, 1, one, base);
    assert_int_equal(base[0].ret, -1);
    assert_non_null(strstr(base[0].err, "replication 1 stopped after"));
    /* 2 replications on 3 ranks: rank 0 runs none, rank 1 replication 1,
     * rank 2 replication 2; both fail. */
    run_ranks(t, &o, 3, three, runs);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(runs[k].ret, -1);
        assert_string_equal(runs[k].err, base[0].err);
        assert_int_equal(runs[k].log.n, 0);
    }
    release_runs(runs, 3);
    release_runs(base, 1);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_pack_roundtrip),
        cmocka_unit_test(test_split_shares),
        cmocka_unit_test(test_split_same_as_one_process),
        cmocka_unit_test(test_split_precision_batches),
        cmocka_unit_test(test_split_paired_pools),
        cmocka_unit_test(test_split_error_reaches_every_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
