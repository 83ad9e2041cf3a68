/*
 * test_sensitivity.c: the sensitivity analysis (src/compare/lhs.c,
 * sensitivity.c): the Latin hypercube's properties (every stratum of every
 * dimension hit exactly once, points inside (0, 1), the same bytes for the
 * same seed, a column that depends only on its parameter's key), the
 * percentile (Hyndman and Fan 7) and Spearman's rank correlation on
 * hand-computed cases, and whole runs on designs whose answer is known: a
 * one-server design where only the repair time can matter (its tornado
 * puts all the swing there, exactly zero on a parameter its own figure
 * overrides and on parameters of parts it does not have), two identical
 * designs that share the best equally against a worse one (the
 * probabilities sum to 1), the same result at 1 and 2 threads, and a
 * common-cause factor drawn from its range (inside it, one set per
 * stratum, a positive swing where its group exists, exactly none where
 * the role adds no group, the caller's assumptions untouched).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compare/lhs.h"
#include "compare/scorecard.h"
#include "compare/sensitivity.h"
#include "model/assumptions.h"
#include "model/loader.h"
#include "model/units.h"
#include "sim/rng.h"

/* ---- the Latin hypercube ---- */

static void keys_of(const char *const *names, int n, uint64_t *keys)
{
    for (int k = 0; k < n; k++) {
        const char *parts[2] = { "sensitivity", names[k] };
        keys[k] = sim_rng_key(parts, 2);
    }
}

static void test_sensitivity_lhs_one_point_per_stratum(void **state)
{
    (void)state;
    enum { N = 37, D = 5 };
    const char *names[D] = { "site.mtbf", "server.mtbf", "server.mttr", "link.mtbf",
                             "operations.quorum_reset.after" };
    uint64_t keys[D];
    keys_of(names, D, keys);
    double q[N * D], again[N * D], other[N * D];
    assert_int_equal(qr_lhs_sample(N, D, keys, 7, q), 0);
    for (int k = 0; k < D; k++) {
        int hits[N] = { 0 };
        for (int s = 0; s < N; s++) {
            double v = q[s * D + k];
            assert_true(v > 0 && v < 1);
            int stratum = (int)floor(v * N);
            assert_true(stratum >= 0 && stratum < N);
            hits[stratum]++;
        }
        for (int j = 0; j < N; j++)
            assert_int_equal(hits[j], 1);
    }
    /* Seeded: the same bytes again, other bytes with another seed. */
    assert_int_equal(qr_lhs_sample(N, D, keys, 7, again), 0);
    assert_memory_equal(q, again, sizeof(q));
    assert_int_equal(qr_lhs_sample(N, D, keys, 8, other), 0);
    assert_true(memcmp(q, other, sizeof(q)) != 0);
    /* A column is its parameter's: alone, server.mttr gets the same one. */
    double alone[N];
    assert_int_equal(qr_lhs_sample(N, 1, &keys[2], 7, alone), 0);
    for (int s = 0; s < N; s++)
        assert_true(alone[s] == q[s * D + 2]);
    /* Two dimensions are not the same permutation. */
    int same = 0;
    for (int s = 0; s < N; s++)
        same += (int)floor(q[s * D] * N) == (int)floor(q[s * D + 1] * N);
    assert_true(same < N);
}

/* ---- percentiles and rank correlation ---- */

static void test_sensitivity_percentile_hand_computed(void **state)
{
    (void)state;
    /* Sorted 1 2 3 4 5: h = 4p; p 0.05: 1 + 0.2 (2 - 1) = 1.2; p 0.95:
     * 4 + 0.8 (5 - 4) = 4.8; the median 3. */
    const double x[] = { 4, 1, 5, 3, 2 };
    assert_true(fabs(qr_percentile(x, 5, 0.05) - 1.2) < 1e-12);
    assert_true(fabs(qr_percentile(x, 5, 0.50) - 3.0) < 1e-12);
    assert_true(fabs(qr_percentile(x, 5, 0.95) - 4.8) < 1e-12);
    assert_true(qr_percentile(x, 5, 0) == 1 && qr_percentile(x, 5, 1) == 5);
    assert_true(x[0] == 4); /* not sorted in place */
    /* Four values 10 20 30 40: h = 3p; p 0.05 = 10 + 0.15 x 10 = 11.5. */
    const double y[] = { 40, 10, 30, 20 };
    assert_true(fabs(qr_percentile(y, 4, 0.05) - 11.5) < 1e-12);
    assert_true(fabs(qr_percentile(y, 4, 0.5) - 25) < 1e-12);
    const double one[] = { 7 };
    assert_true(qr_percentile(one, 1, 0.95) == 7);
    assert_true(isnan(qr_percentile(one, 0, 0.5)));
}

static void test_sensitivity_spearman_hand_computed(void **state)
{
    (void)state;
    const double x[] = { 1, 2, 3, 4, 5 };
    const double up[] = { 2, 4, 8, 16, 1000 }, down[] = { 9, 7, 5, 3, 1 };
    assert_true(fabs(qr_spearman(x, up, 5) - 1) < 1e-12);
    assert_true(fabs(qr_spearman(x, down, 5) + 1) < 1e-12);
    /* y = 1 3 2 5 4: ranks differ by d = 0 1 -1 1 -1, no ties:
     * 1 - 6 sum d^2 / (n (n^2 - 1)) = 1 - 24 / 120 = 0.8. */
    const double y[] = { 1, 3, 2, 5, 4 };
    assert_true(fabs(qr_spearman(x, y, 5) - 0.8) < 1e-12);
    /* Ties: y = 1 1 2 2 3 has ranks 1.5 1.5 3.5 3.5 5 against 1..5:
     * Pearson of the ranks = 9 / sqrt(10 x 9) = 0.948683. */
    const double t[] = { 1, 1, 2, 2, 3 };
    assert_true(fabs(qr_spearman(x, t, 5) - 9 / sqrt(90.0)) < 1e-12);
    const double flat[] = { 3, 3, 3, 3, 3 };
    assert_true(isnan(qr_spearman(x, flat, 5)));
    assert_true(isnan(qr_spearman(x, y, 2)));
}

/* ---- whole analyses ---- */

/* One server that is every role; its own MTBF and `patch: none` are
 * design choices, so the file's server.mtbf cannot reach it. */
static const char one_server[] =
    "sites: [ { name: dc1 } ]\n"
    "servers: [ { name: s1, site: dc1, mtbf: 1y, patch: none } ]\n"
    "pool: { version: sfb2015, frontends: [s1], backend: { standalone: s1 }, "
    "file_store: { share: s1 } }\n";

/* The same with a server that fails twelve times as often. */
static const char one_worse_server[] =
    "sites: [ { name: dc1 } ]\n"
    "servers: [ { name: s1, site: dc1, mtbf: 1mo, patch: none } ]\n"
    "pool: { version: sfb2015, frontends: [s1], backend: { standalone: s1 }, "
    "file_store: { share: s1 } }\n";

static const char ranges[] =
    "server: { mtbf: { low: 1mo, high: 1y }, mttr: { median: 4h, error_factor: 3 } }\n"
    "link: { mtbf: { low: 3mo, high: 5y } }\n"
    "operations: { force_quorum: { after: { low: 15m, high: 4h } } }\n";

static qr_assumptions *load_assumptions(const char *yaml)
{
    qr_diags d;
    qr_assumptions *a = NULL;
    assert_int_equal(qr_diags_init(&d, "u.yaml"), 0);
    assert_int_equal(qr_assumptions_load_buffer("u.yaml", yaml, strlen(yaml), &a, &d), 0);
    qr_diags_release(&d);
    return a;
}

static qr_topology *load_design(const char *name, const char *yaml, const qr_assumptions *a)
{
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, name), 0);
    assert_int_equal(qr_topology_load_buffer(name, yaml, strlen(yaml), &t, &d), 0);
    qr_diags_release(&d);
    qr_assumptions_apply(t, a);
    return t;
}

static const qr_sens_bar *bar_of(const qr_sens_result *r, const qr_sens_design *d,
                                 const char *key)
{
    for (int k = 0; k < r->n_params; k++)
        if (strcmp(r->params[d->bars[k].param].key, key) == 0)
            return &d->bars[k];
    fail_msg("no bar for %s", key);
    return NULL;
}

static void test_sensitivity_tornado_only_one_parameter_matters(void **state)
{
    (void)state;
    qr_assumptions *a = load_assumptions(ranges);
    qr_topology *t = load_design("one.yaml", one_server, a);
    qr_sens_options o = { 10, 40, 10, 5, 2, NULL, NULL, NULL };
    qr_sens_result r;
    char err[256];
    assert_int_equal(qr_sensitivity_run(&t, 1, a, &o, &r, err, sizeof(err)), 0);
    assert_int_equal(r.n_params, 4);
    assert_int_equal(r.simulations, qr_sensitivity_planned(1, 10, 4));
    const qr_sens_design *d = &r.designs[0];
    assert_true(d->simulated);
    assert_string_equal(d->label, "one");
    /* All the swing on the repair time, more downtime at its 95th. */
    const qr_sens_bar *mttr = &d->bars[0];
    assert_string_equal(r.params[mttr->param].key, "server.mttr");
    assert_true(mttr->at_low < d->point[d->worst] && d->point[d->worst] < mttr->at_high);
    assert_true(mttr->swing_low > 0);
    assert_string_equal(qr_sens_bar_verdict(mttr), "");
    /* Its 5th and 95th percentiles are 4h / 3 and 4h x 3. */
    assert_true(fabs(mttr->low_value - 4 * 3600.0 / 3) < 1e-6);
    assert_true(fabs(mttr->high_value - 12 * 3600.0) < 1e-6);
    /* Hand-checked: the one-server pool is down from each crash to the end
     * of the repair and of the pool's restart after its quorum loss (M1.6,
     * 15m built-in), so its unavailability is (mttr + 15m) / (1y + mttr +
     * 15m): 95.0 min/yr at 1.33h, 734 at 12h. The runs (400 server-years)
     * are within 15% of that; on the same streams their ratio, 7.728, is
     * much closer. */
    const double Y = QR_UNITS_YEAR, R = 15 * 60.0;
    double want_low = (mttr->low_value + R) / (Y + mttr->low_value + R) * QR_MINUTES_PER_YEAR;
    double want_high = (mttr->high_value + R) / (Y + mttr->high_value + R) * QR_MINUTES_PER_YEAR;
    assert_true(fabs(mttr->at_low / want_low - 1) < 0.15);
    assert_true(fabs(mttr->at_high / want_high - 1) < 0.15);
    assert_true(fabs((mttr->at_high / mttr->at_low) / (want_high / want_low) - 1) < 0.03);
    /* server.mtbf: s1's own MTBF wins (a design choice); link.mtbf and
     * force_quorum.after: no link, no cluster. Not one replication moves. */
    const char *none[] = { "server.mtbf", "link.mtbf", "operations.force_quorum.after" };
    for (int k = 0; k < 3; k++) {
        const qr_sens_bar *b = bar_of(&r, d, none[k]);
        assert_true(b->swing == 0 && b->swing_low == 0 && b->swing_high == 0);
        assert_true(b->at_low == d->point[d->worst] && b->at_high == d->point[d->worst]);
        assert_string_equal(qr_sens_bar_verdict(b), "no effect");
    }
    /* Across the sets, the downtime follows the repair time. */
    assert_true(mttr->rank_correlation > 0.8);
    /* The sets: one design, always the best. */
    assert_true(d->p_best == 1 && d->best_alone == 10 && d->best_tied == 0);
    /* The topology is left with the point values. */
    assert_true(fabs(t->comps[qr_topology_find(t, "s1")].repair.mean - 4 * 3600.0) < 1e-9);
    /* Percentiles in order, and availability the other way round. */
    for (int c = 0; c <= d->n_features; c++) {
        assert_true(d->downtime_pct[c].p5 <= d->downtime_pct[c].p50);
        assert_true(d->downtime_pct[c].p50 <= d->downtime_pct[c].p95);
        assert_true(d->availability_pct[c].p5 <= d->availability_pct[c].p95);
        assert_true(fabs((1 - d->availability_pct[c].p5) * QR_MINUTES_PER_YEAR -
                         d->downtime_pct[c].p95) < 1e-6 * (1 + d->downtime_pct[c].p95));
    }
    qr_sens_result_release(&r);
    qr_topology_free(t);
    qr_assumptions_free(a);
}

static void run_three(int threads, qr_sens_result *r)
{
    qr_assumptions *a = load_assumptions(ranges);
    qr_topology *t[3] = { load_design("a.yaml", one_server, a),
                          load_design("worse.yaml", one_worse_server, a),
                          load_design("b.yaml", one_server, a) };
    qr_sens_options o = { 6, 20, 5, 11, threads, NULL, NULL, NULL };
    char err[256];
    assert_int_equal(qr_sensitivity_run(t, 3, a, &o, r, err, sizeof(err)), 0);
    for (int i = 0; i < 3; i++)
        qr_topology_free(t[i]);
    qr_assumptions_free(a);
}

static void test_sensitivity_best_shared_and_sums_to_one(void **state)
{
    (void)state;
    qr_sens_result r;
    run_three(1, &r);
    /* a and b are the same design on the same streams: every replication
     * the same, so they tie in every set and share it; the worse design
     * is never the best. */
    assert_true(r.designs[0].p_best == 0.5 && r.designs[2].p_best == 0.5);
    assert_true(r.designs[1].p_best == 0);
    assert_int_equal(r.designs[0].best_tied, 6);
    assert_int_equal(r.designs[0].best_alone, 0);
    double sum = 0;
    for (int d = 0; d < 3; d++)
        sum += r.designs[d].p_best;
    assert_true(fabs(sum - 1) < 1e-12);
    for (int s = 0; s < r.sets; s++) {
        assert_int_equal(r.best[s * 3 + 0], 1);
        assert_int_equal(r.best[s * 3 + 1], 0);
        assert_int_equal(r.best[s * 3 + 2], 1);
    }
    int order[3];
    qr_sens_order_by_best(&r, order);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 2);
    assert_int_equal(order[2], 1);
    qr_sens_result_release(&r);
}

/* Every number the same at 1 and 2 threads. */
static void test_sensitivity_same_at_any_thread_count(void **state)
{
    (void)state;
    qr_sens_result one, two;
    run_three(1, &one);
    run_three(2, &two);
    assert_int_equal(one.n_params, two.n_params);
    size_t np = (size_t)one.sets * (size_t)one.n_params;
    assert_memory_equal(one.values, two.values, np * sizeof(double));
    assert_memory_equal(one.best, two.best, (size_t)one.sets * 3);
    for (int d = 0; d < 3; d++) {
        const qr_sens_design *x = &one.designs[d], *y = &two.designs[d];
        size_t cols = (size_t)x->n_features + 1;
        assert_memory_equal(x->downtime, y->downtime, (size_t)one.sets * cols * sizeof(double));
        assert_memory_equal(x->availability, y->availability,
                            (size_t)one.sets * cols * sizeof(double));
        assert_memory_equal(x->point, y->point, cols * sizeof(double));
        assert_memory_equal(x->bars, y->bars, (size_t)one.n_params * sizeof(qr_sens_bar));
        assert_memory_equal(x->downtime_pct, y->downtime_pct, cols * sizeof(qr_sens_pct));
        assert_true(x->p_best == y->p_best);
        /* Six sets: too few for a rank correlation. */
        assert_true(isnan(x->bars[0].rank_correlation));
    }
    qr_sens_result_release(&one);
    qr_sens_result_release(&two);
}

/* Three front ends that fail every 3 months, a standalone SQL server:
 * losing the three at once stops the pool; the backend role has one
 * member, so a group on it adds nothing. */
static const char three_fe[] =
    "sites: [ { name: dc1 } ]\n"
    "servers:\n"
    "  - { name: fe1, site: dc1, mtbf: 3mo, patch: none }\n"
    "  - { name: fe2, site: dc1, mtbf: 3mo, patch: none }\n"
    "  - { name: fe3, site: dc1, mtbf: 3mo, patch: none }\n"
    "  - { name: sql1, site: dc1, mtbf: 10y, patch: none }\n"
    "pool: { version: sfb2015, frontends: [fe1, fe2, fe3], backend: { standalone: sql1 }, "
    "file_store: { share: sql1 } }\n";

static const char ccf_ranges[] =
    "common_cause:\n"
    "  - { name: fe, members: frontends, beta: { low: 1%, high: 20% } }\n"
    "  - { name: be, members: backend, beta: { low: 1%, high: 20% } }\n";

/* After each simulation: the caller's groups still hold their point
 * factor (the sets change the analysis's own copy). */
static void factors_unchanged(long done, long planned, void *ctx)
{
    (void)done;
    (void)planned;
    const qr_assumptions *a = ctx;
    for (int g = 0; g < a->n_ccf; g++)
        assert_true(fabs(a->ccf[g].factor[0] - sqrt(0.01 * 0.2)) < 1e-15);
}

/* A common-cause factor drawn (docs/sensitivity.md): inside its range,
 * one set per stratum, a positive distinguishable swing where the group
 * exists, exactly none where the role adds no group; the caller's
 * assumptions keep their point factor, the design is left with it. */
static void test_sensitivity_common_cause_factor(void **state)
{
    (void)state;
    qr_assumptions *a = load_assumptions(ccf_ranges);
    qr_topology *t = load_design("three.yaml", three_fe, a);
    const double point = sqrt(0.01 * 0.2);
    assert_int_equal(t->n_ccf, 1); /* the backend role has one member */
    assert_true(fabs(t->ccf[0].factor[0] - point) < 1e-15);
    qr_sens_options o = { 10, 40, 10, 5, 2, factors_unchanged, a, NULL };
    qr_sens_result r;
    char err[256];
    assert_int_equal(qr_sensitivity_run(&t, 1, a, &o, &r, err, sizeof(err)), 0);
    assert_int_equal(r.n_params, 2);
    int seen[10] = { 0 };
    for (int s = 0; s < r.sets; s++) {
        double v = r.values[(size_t)s * 2];
        assert_true(v > 0.01 && v < 0.2);
        int stratum = (int)(log(v / 0.01) / log(0.2 / 0.01) * 10);
        assert_true(stratum >= 0 && stratum < 10);
        seen[stratum]++;
    }
    for (int k = 0; k < 10; k++)
        assert_int_equal(seen[k], 1);
    const qr_sens_design *d = &r.designs[0];
    const qr_sens_bar *fe = bar_of(&r, d, "common_cause.fe.beta");
    assert_true(fabs(fe->low_value - 0.01 * pow(20, 0.05)) < 1e-15);
    assert_true(fabs(fe->high_value - 0.01 * pow(20, 0.95)) < 1e-15);
    assert_true(fe->swing > 0 && fe->swing_low > 0);
    const qr_sens_bar *be = bar_of(&r, d, "common_cause.be.beta");
    assert_true(be->swing == 0 && be->swing_low == 0 && be->swing_high == 0);
    assert_string_equal(qr_sens_bar_verdict(be), "no effect");
    /* The sets changed the analysis's copy, not a; t is back at the point. */
    assert_true(fabs(a->ccf[0].factor[0] - point) < 1e-15);
    assert_true(fabs(a->ccf[1].factor[0] - point) < 1e-15);
    assert_int_equal(t->n_ccf, 1);
    assert_true(fabs(t->ccf[0].factor[0] - point) < 1e-15);
    qr_sens_result_release(&r);
    qr_topology_free(t);
    qr_assumptions_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sensitivity_lhs_one_point_per_stratum),
        cmocka_unit_test(test_sensitivity_percentile_hand_computed),
        cmocka_unit_test(test_sensitivity_spearman_hand_computed),
        cmocka_unit_test(test_sensitivity_tornado_only_one_parameter_matters),
        cmocka_unit_test(test_sensitivity_best_shared_and_sums_to_one),
        cmocka_unit_test(test_sensitivity_same_at_any_thread_count),
        cmocka_unit_test(test_sensitivity_common_cause_factor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
