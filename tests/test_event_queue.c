/*
 * test_event_queue.c: unit tests of sim/event_queue.h: pops in time order,
 * equal times in push order (FIFO), payload carried intact, interleaved
 * pushes and pops against a sorted reference with random data, the same
 * with filters (sim_queue_filter) in between, clear,
 * one element, empty queue, and 10^6 elements through doubling growth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/event_queue.h"
#include "sim/rng.h"

static void test_event_queue_pops_in_time_order(void **state)
{
    (void)state;
    sim_queue q;
    assert_int_equal(sim_queue_init(&q, 4), 0);
    const double times[] = { 5.0, 1.0, 4.0, INFINITY, 2.0, 3.0, 0.0 };
    for (int i = 0; i < 7; i++)
        assert_int_equal(sim_queue_push(&q, times[i], 10 + i, i, 100 + i, 1000 + i), 0);
    assert_int_equal(q.n, 7);
    const double want[] = { 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, INFINITY };
    for (int i = 0; i < 7; i++) {
        const sim_event *top = sim_queue_peek(&q);
        assert_non_null(top);
        assert_true(top->time == want[i]);
        sim_event ev;
        assert_int_equal(sim_queue_pop(&q, &ev), 1);
        assert_true(ev.time == want[i]);
        /* The payload travels with its event. */
        int idx = ev.target;
        assert_true(times[idx] == ev.time);
        assert_int_equal(ev.kind, 10 + idx);
        assert_int_equal(ev.gen, 100 + idx);
        assert_int_equal(ev.aux, 1000 + idx);
        assert_int_equal(ev.seq, (uint64_t)idx);
    }
    sim_queue_release(&q);
}

static void test_event_queue_peek_matches_pop(void **state)
{
    (void)state;
    sim_queue q;
    assert_int_equal(sim_queue_init(&q, 0), 0);
    sim_queue_push(&q, 3.0, 0, 1, 0, 0);
    sim_queue_push(&q, 1.0, 0, 2, 0, 0);
    const sim_event *top = sim_queue_peek(&q);
    assert_non_null(top);
    assert_true(top->time == 1.0);
    assert_int_equal(top->target, 2);
    assert_int_equal(q.n, 2); /* peek does not remove */
    sim_queue_release(&q);
}

static void test_event_queue_equal_times_fifo(void **state)
{
    (void)state;
    sim_queue q;
    assert_int_equal(sim_queue_init(&q, 0), 0);
    /* 1000 events at three times, pushed interleaved. */
    for (int i = 0; i < 1000; i++)
        assert_int_equal(sim_queue_push(&q, (double)(i % 3), 0, i, 0, 0), 0);
    int last_target[3] = { -1, -1, -1 };
    double last_time = -1.0;
    sim_event ev;
    int popped = 0;
    while (sim_queue_pop(&q, &ev)) {
        assert_true(ev.time >= last_time);
        int t = (int)ev.time;
        assert_true(ev.target > last_target[t]); /* push order within a time */
        assert_int_equal(ev.target % 3, t);
        last_target[t] = ev.target;
        last_time = ev.time;
        popped++;
    }
    assert_int_equal(popped, 1000);
    sim_queue_release(&q);
}

/* Reference: an unsorted array, the minimum (time, seq) found by scanning. */
typedef struct {
    double   time;
    uint64_t seq;
    int32_t  target;
} ref_event;

static size_t ref_min(const ref_event *r, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (r[i].time < r[best].time ||
            (r[i].time == r[best].time && r[i].seq < r[best].seq))
            best = i;
    return best;
}

static void test_event_queue_interleaved_against_reference(void **state)
{
    (void)state;
    enum { OPS = 200000, MAXN = 5000 };
    ref_event *ref = malloc(MAXN * sizeof(*ref));
    assert_non_null(ref);
    size_t nref = 0;
    uint64_t seq = 0;
    sim_queue q;
    assert_int_equal(sim_queue_init(&q, 1), 0);
    sim_rng r;
    sim_rng_seed(&r, 31337, 0);
    double now = 0.0;
    for (int op = 0; op < OPS; op++) {
        uint64_t x = sim_rng_next(&r);
        /* Push with probability ~0.55 while there is room; coarse times so
         * ties are frequent. */
        if (nref == 0 || (nref < MAXN && (x & 0xFF) < 140)) {
            double t = now + (double)((x >> 8) % 50);
            assert_int_equal(sim_queue_push(&q, t, 0, (int32_t)op, 0, 0), 0);
            ref[nref++] = (ref_event){ t, seq++, (int32_t)op };
        } else {
            sim_event ev;
            assert_int_equal(sim_queue_pop(&q, &ev), 1);
            size_t m = ref_min(ref, nref);
            assert_true(ev.time == ref[m].time);
            assert_true(ev.seq == ref[m].seq);
            assert_int_equal(ev.target, ref[m].target);
            now = ev.time;
            ref[m] = ref[--nref];
        }
        assert_int_equal(q.n, nref);
    }
    free(ref);
    sim_queue_release(&q);
}

/* sim_queue_filter drops exactly the events keep() refuses and leaves a
 * heap: interleaved pushes, pops and filters (dropping targets that are
 * multiples of 3, then of 5, ...) against the sorted reference. */
static bool keep_not_multiple(const sim_event *ev, void *ctx)
{
    return ev->target % *(const int *)ctx != 0;
}

static void test_event_queue_filter_against_reference(void **state)
{
    (void)state;
    enum { OPS = 100000, MAXN = 3000 };
    ref_event *ref = malloc(MAXN * sizeof(*ref));
    assert_non_null(ref);
    size_t nref = 0;
    uint64_t seq = 0;
    sim_queue q;
    assert_int_equal(sim_queue_init(&q, 1), 0);
    sim_rng r;
    sim_rng_seed(&r, 4242, 0);
    double now = 0.0;
    long dropped_total = 0;
    for (int op = 0; op < OPS; op++) {
        uint64_t x = sim_rng_next(&r);
        if ((x & 0x3FF) == 7) { /* now and then: filter */
            int m = 2 + (int)((x >> 10) % 5);
            size_t kept = 0;
            for (size_t i = 0; i < nref; i++)
                if (ref[i].target % m != 0)
                    ref[kept++] = ref[i];
            size_t dropped = sim_queue_filter(&q, keep_not_multiple, &m);
            assert_int_equal(dropped, nref - kept);
            dropped_total += (long)dropped;
            nref = kept;
        } else if (nref == 0 || (nref < MAXN && (x & 0xFF) < 140)) {
            double t = now + (double)((x >> 8) % 50);
            assert_int_equal(sim_queue_push(&q, t, 0, (int32_t)op, 0, 0), 0);
            ref[nref++] = (ref_event){ t, seq++, (int32_t)op };
        } else {
            sim_event ev;
            assert_int_equal(sim_queue_pop(&q, &ev), 1);
            size_t m = ref_min(ref, nref);
            assert_true(ev.time == ref[m].time);
            assert_true(ev.seq == ref[m].seq);
            assert_int_equal(ev.target, ref[m].target);
            now = ev.time;
            ref[m] = ref[--nref];
        }
        assert_int_equal(q.n, nref);
    }
    assert_true(dropped_total > 1000);
    free(ref);
    sim_queue_release(&q);
}

static void test_event_queue_clear_resets(void **state)
{
    (void)state;
    sim_queue q;
    assert_int_equal(sim_queue_init(&q, 0), 0);
    for (int i = 0; i < 100; i++)
        sim_queue_push(&q, (double)i, 0, i, 0, 0);
    size_t cap = q.cap;
    sim_event *mem = q.heap;
    sim_queue_clear(&q);
    assert_int_equal(q.n, 0);
    assert_null(sim_queue_peek(&q));
    assert_int_equal(q.cap, cap);   /* memory kept */
    assert_ptr_equal(q.heap, mem);
    sim_event ev;
    assert_int_equal(sim_queue_pop(&q, &ev), 0);
    /* seq restarts: a fresh replication sees the same sequence numbers. */
    sim_queue_push(&q, 7.0, 0, 1, 0, 0);
    sim_queue_push(&q, 7.0, 0, 2, 0, 0);
    assert_int_equal(sim_queue_pop(&q, &ev), 1);
    assert_int_equal(ev.seq, 0);
    assert_int_equal(ev.target, 1);
    assert_int_equal(sim_queue_pop(&q, &ev), 1);
    assert_int_equal(ev.seq, 1);
    assert_int_equal(ev.target, 2);
    sim_queue_release(&q);
}

static void test_event_queue_one_element_and_empty(void **state)
{
    (void)state;
    sim_queue q;
    assert_int_equal(sim_queue_init(&q, 0), 0);
    assert_null(sim_queue_peek(&q));
    sim_event ev = { .time = -5.0, .target = 99 };
    assert_int_equal(sim_queue_pop(&q, &ev), 0);
    assert_true(ev.time == -5.0); /* untouched when empty */
    assert_int_equal(ev.target, 99);
    assert_int_equal(sim_queue_push(&q, 42.0, 3, 4, 5, 6), 0);
    assert_int_equal(sim_queue_pop(&q, &ev), 1);
    assert_true(ev.time == 42.0);
    assert_int_equal(ev.kind, 3);
    assert_int_equal(ev.target, 4);
    assert_int_equal(ev.gen, 5);
    assert_int_equal(ev.aux, 6);
    assert_int_equal(sim_queue_pop(&q, &ev), 0);
    assert_int_equal(q.n, 0);
    sim_queue_release(&q);
    sim_queue_release(NULL);
}

static void test_event_queue_million_elements(void **state)
{
    (void)state;
    enum { N = 1000000 };
    sim_queue q;
    assert_int_equal(sim_queue_init(&q, 0), 0);
    sim_rng r;
    sim_rng_seed(&r, 4242, 0);
    for (int i = 0; i < N; i++)
        assert_int_equal(sim_queue_push(&q, floor(sim_rng_uniform(&r) * 1e5), 0, i, 0, 0), 0);
    assert_int_equal(q.n, N);
    assert_true(q.cap >= (size_t)N);
    sim_event prev, ev;
    assert_int_equal(sim_queue_pop(&q, &prev), 1);
    size_t popped = 1;
    while (sim_queue_pop(&q, &ev)) {
        assert_true(prev.time < ev.time || (prev.time == ev.time && prev.seq < ev.seq));
        prev = ev;
        popped++;
    }
    assert_int_equal(popped, N);
    sim_queue_release(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_queue_pops_in_time_order),
        cmocka_unit_test(test_event_queue_peek_matches_pop),
        cmocka_unit_test(test_event_queue_equal_times_fifo),
        cmocka_unit_test(test_event_queue_interleaved_against_reference),
        cmocka_unit_test(test_event_queue_filter_against_reference),
        cmocka_unit_test(test_event_queue_clear_resets),
        cmocka_unit_test(test_event_queue_one_element_and_empty),
        cmocka_unit_test(test_event_queue_million_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
