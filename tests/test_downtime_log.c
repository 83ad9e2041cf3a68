/*
 * test_downtime_log.c: unit tests of the per-replication downtime log
 * (sim/downtime_log.h) on hand-made replications: minutes a year computed
 * as down_time / horizon * 525960 (hand-checked values), rows in the order
 * the chunks arrive, a column a replication lacks and an empty horizon as
 * 0, growth past the first 64 rows, and release keeping the columns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "sim/downtime_log.h"

#define YEAR (365.25 * 86400.0) /* seconds; 525,960 minutes */

static sim_rep rep(sim_feature_rep *f, int n, double horizon)
{
    sim_rep r;
    memset(&r, 0, sizeof(r));
    r.f = f;
    r.n = n;
    r.horizon = horizon;
    return r;
}

static void test_downtime_log_values_in_order(void **state)
{
    (void)state;
    sim_feature_rep a[2], b[2], c[2];
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    memset(c, 0, sizeof(c));
    a[0].down_time = 60;       /* 1 min in 1 year            */
    a[1].down_time = 600;      /* 10 min                     */
    b[0].down_time = 120 * 60; /* 120 min in 2 years: 60/yr  */
    b[1].down_time = 999;      /* beyond b's n: not read     */
    c[0].down_time = 5;        /* horizon 0: 0               */
    sim_rep first[2] = { rep(a, 2, YEAR), rep(b, 1, 2 * YEAR) };
    sim_rep second[1] = { rep(c, 2, 0) };
    sim_downtime_log l;
    sim_downtime_log_init(&l, 2);
    sim_downtime_log_collect(first, 2, 0, &l);
    sim_downtime_log_collect(second, 1, 2, &l);
    assert_false(l.failed);
    assert_int_equal(l.n_runs, 3);
    const double want[] = { 1, 10, 60, 0, 0, 0 };
    for (int k = 0; k < 6; k++)
        assert_true(l.min_year[k] > want[k] - 1e-9 && l.min_year[k] < want[k] + 1e-9);
    sim_downtime_log_release(&l);
    assert_null(l.min_year);
    assert_int_equal(l.n_runs, 0);
    assert_int_equal(l.n_cols, 2); /* kept for the next run */
    sim_downtime_log_release(NULL);
}

/* 200 replications in chunks of 7: every row where it belongs. */
static void test_downtime_log_grows(void **state)
{
    (void)state;
    enum { N = 200 };
    sim_feature_rep f[N];
    sim_rep reps[N];
    for (int i = 0; i < N; i++) {
        memset(&f[i], 0, sizeof(f[i]));
        f[i].down_time = 60.0 * i; /* i minutes in a year */
        reps[i] = rep(&f[i], 1, YEAR);
    }
    sim_downtime_log l;
    sim_downtime_log_init(&l, 1);
    for (int i = 0; i < N; i += 7)
        sim_downtime_log_collect(&reps[i], i + 7 <= N ? 7 : N - i, i, &l);
    assert_int_equal(l.n_runs, N);
    assert_true(l.cap >= N);
    for (int i = 0; i < N; i++)
        assert_true(l.min_year[i] > i - 1e-9 && l.min_year[i] < i + 1e-9);
    sim_downtime_log_release(&l);

    sim_downtime_log none; /* no column: nothing logged, nothing allocated */
    sim_downtime_log_init(&none, 0);
    sim_downtime_log_collect(reps, 3, 0, &none);
    assert_int_equal(none.n_runs, 0);
    assert_null(none.min_year);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_downtime_log_values_in_order),
        cmocka_unit_test(test_downtime_log_grows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
