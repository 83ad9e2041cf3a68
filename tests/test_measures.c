/*
 * test_measures.c: the M8 measures and the simulator against the oracle.
 * Student t quantiles and confidence intervals (symmetric, and on the log
 * and logit scales that keep them inside their bounds, with their
 * coverage on a single component of known availability); time- and user-weighted
 * integration on a scripted run; the --static estimate (M9) of every
 * bundled design and of hand-made ones containing the exact availability
 * (sim_exact_availability); monotonicity with common random numbers; the
 * summary independent of the thread count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glob.h>

#include "model/diag.h"
#include "exact/exact.h"
#include "model/loader.h"
#include "sim/runner.h"
#include "sim_script.h"

static void test_measures_t_quantile(void **state)
{
    (void)state;
    assert_true(fabs(sim_t975(1) - 12.7062) < 1e-3);
    assert_true(fabs(sim_t975(10) - 2.2281) < 1e-3);
    assert_true(fabs(sim_t975(30) - 2.0423) < 1e-3);
    assert_true(fabs(sim_t975(40) - 2.0211) < 1e-3);
    assert_true(fabs(sim_t975(100) - 1.9840) < 1e-3);
    assert_true(fabs(sim_t975(100000) - 1.95998) < 1e-4);
}

static void test_measures_stat_ci(void **state)
{
    (void)state;
    double x[] = { 1, 2, 3, 4, 5 };
    sim_stat s = sim_stat_of(x, 5);
    assert_true(fabs(s.mean - 3) < 1e-12);
    /* s = sqrt(2.5); t(0.975, 4) = 2.7764 */
    assert_true(fabs(s.half_width - 2.7764 * sqrt(2.5) / sqrt(5.0)) < 1e-4);
    assert_true(fabs(s.low - (3 - s.half_width)) < 1e-12);
    s = sim_stat_of(x, 1);
    assert_true(s.half_width == 0 && s.mean == 1);
}

/* The logit-scale interval of a fraction, checked by hand: x = {0, 0, 0,
 * 0.01}: mean 0.0025, s = 0.005, se = 0.0025, t(0.975, 3) = 3.1824, so
 * d = t * se / (m (1 - m)) = 3.19038 and [expit(logit(m) -/+ d)] =
 * [0.000103138, 0.0574007]. The symmetric interval would reach -0.0055. */
static void test_measures_stat_fraction_logit(void **state)
{
    (void)state;
    double x[] = { 0, 0, 0, 0.01 };
    sim_stat s = sim_stat_fraction(x, 4);
    assert_true(fabs(s.mean - 0.0025) < 1e-15);
    assert_true(fabs(s.low - 0.000103138) < 1e-8);
    assert_true(fabs(s.high - 0.0574007) < 1e-6);
    assert_true(fabs(s.half_width - (s.high - s.low) / 2) < 1e-15);
    assert_true(sim_stat_of(x, 4).low < 0);
    /* symmetric on the logit scale */
    double l = log(s.mean / (1 - s.mean));
    assert_true(fabs((l - log(s.low / (1 - s.low))) - (log(s.high / (1 - s.high)) - l)) < 1e-9);
    /* near 1 it stays below 1, mirrored */
    double y[] = { 1, 1, 1, 0.99 };
    sim_stat r = sim_stat_fraction(y, 4);
    assert_true(fabs(r.low - (1 - s.high)) < 1e-12 && fabs(r.high - (1 - s.low)) < 1e-12);
    assert_true(r.high < 1);
    /* no spread, a single value, all zero, all one: the point interval */
    double z[] = { 0, 0, 0 }, o[] = { 1, 1 }, c[] = { 0.25, 0.25, 0.25 };
    s = sim_stat_fraction(z, 3);
    assert_true(s.mean == 0 && s.low == 0 && s.high == 0 && s.half_width == 0);
    s = sim_stat_fraction(o, 2);
    assert_true(s.mean == 1 && s.low == 1 && s.high == 1);
    s = sim_stat_fraction(c, 3);
    assert_true(s.low == s.mean && s.high == s.mean);
    s = sim_stat_fraction(x, 1);
    assert_true(s.low == 0 && s.high == 0);
    /* huge spread with two values: inside (0, 1), finite */
    double w[] = { 0, 1e-300 };
    s = sim_stat_fraction(w, 2);
    assert_true(s.low >= 0 && s.high <= 1 && s.low <= s.mean && s.mean <= s.high);
}

/* The log-scale interval of a count, by hand: x = {0, 0, 2}: mean 2/3,
 * s = se * sqrt(3) with se = 2/3, t(0.975, 2) = 4.3027, f = exp(t * se /
 * mean) = e^4.3027: [0.00902132, 49.2660]. */
static void test_measures_stat_nonneg_log(void **state)
{
    (void)state;
    double x[] = { 0, 0, 2 };
    sim_stat s = sim_stat_nonneg(x, 3);
    assert_true(fabs(s.low - 0.00902132) < 1e-7);
    assert_true(fabs(s.high - 49.2660) < 1e-3);
    assert_true(fabs(s.low * s.high - s.mean * s.mean) < 1e-9); /* geometric symmetry */
    double z[] = { 0, 0 };
    s = sim_stat_nonneg(z, 2);
    assert_true(s.low == 0 && s.high == 0);
}

/* Replications by hand, with no outage and with few: every interval of
 * the summary within its bounds, and availability and downtime the same
 * interval. */
static void test_measures_summary_bounded(void **state)
{
    (void)state;
    enum { N = 50 };
    sim_rep reps[N];
    const double h = T_YEAR, min_year = T_YEAR / 60;
    for (int i = 0; i < N; i++) {
        assert_int_equal(sim_rep_init(&reps[i], 1), 0);
        reps[i].horizon = h;
        /* feature 0: never down; the pool: down 2 h in one replication,
         * 10 min in another */
        if (i == 7) {
            reps[i].f[1].down_time = reps[i].f[1].out_time = 2 * T_HOUR;
            reps[i].f[1].outages = 1;
            reps[i].quorum_losses = 1;
            reps[i].limited_time = 600;
        }
        if (i == 30) {
            reps[i].f[1].down_time = reps[i].f[1].out_time = 10 * T_MIN;
            reps[i].f[1].outages = 1;
            reps[i].quorum_losses = 1;
        }
    }
    sim_summary s;
    assert_int_equal(sim_summarize(reps, N, &s), 0);
    const sim_feature_summary *never = &s.f[0], *pool = &s.f[1];
    assert_true(never->availability.mean == 1 && never->availability.low == 1 &&
                never->availability.high == 1);
    assert_true(never->downtime_min_year.low == 0 && never->downtime_min_year.high == 0);
    /* 130 min in 50 years: 2.6 min/yr */
    assert_true(fabs(pool->downtime_min_year.mean - 130.0 / N) < 1e-9);
    assert_true(pool->downtime_min_year.low > 0);
    assert_true(pool->downtime_min_year.low < pool->downtime_min_year.mean);
    assert_true(pool->availability.high < 1);
    assert_true(fabs((1 - pool->availability.high) * min_year - pool->downtime_min_year.low) <
                1e-9);
    assert_true(fabs((1 - pool->availability.low) * min_year - pool->downtime_min_year.high) <
                1e-9);
    const sim_stat *counts[] = { &pool->outages_year, &s.quorum_losses_year,
                                 &s.limited_hours_year, &s.soft_resets_year };
    for (size_t k = 0; k < sizeof(counts) / sizeof(counts[0]); k++)
        assert_true(counts[k]->low >= 0 && counts[k]->low <= counts[k]->mean &&
                    counts[k]->mean <= counts[k]->high);
    assert_true(s.quorum_losses_year.low > 0); /* two losses: not the point 0 */
    assert_true(s.limited_hours_year.high <= 8766.0);
    sim_summary_release(&s);
    for (int i = 0; i < N; i++)
        sim_rep_release(&reps[i]);
}

/* One front end whose availability is known: exponential failures (MTBF)
 * and repairs (MTTR), everything else never failing, --static. Starting
 * up, its expected unavailability over a horizon T is the two-state Markov
 * result u (1 - (1 - e^(-sT)) / (sT)), u = MTTR / (MTBF + MTTR), s = 1/MTBF
 * + 1/MTTR. Over many seeds the 95% interval of the pool's availability
 * must contain it about 95% of the time. Returns the coverage. */
static double single_component_coverage(double mtbf, double mttr, double years, int runs,
                                        int seeds)
{
    qr_topology *t = tt_pool(1);
    for (int i = 0; i < t->n_comps; i++)
        t->comps[i].failure.mean = INFINITY;
    t->comps[0].failure.mean = mtbf;
    t->comps[0].repair.mean = mttr;
    double T = years * T_YEAR, rate = 1 / mtbf + 1 / mttr;
    double truth = 1 - mttr / (mtbf + mttr) * (1 - (1 - exp(-rate * T)) / (rate * T));
    int inside = 0;
    for (int k = 0; k < seeds; k++) {
        sim_run_options o;
        memset(&o, 0, sizeof(o));
        o.years = years;
        o.runs = runs;
        o.seed = 1000 + (uint64_t)k;
        o.threads = 1;
        o.static_mode = true;
        sim_summary s;
        char err[256];
        assert_int_equal(sim_run(t, &o, &s, NULL, err, sizeof(err)), 0);
        const sim_stat *a = &s.f[s.n - 1].availability;
        assert_true(a->low >= 0 && a->high <= 1);
        inside += truth >= a->low && truth <= a->high;
        sim_summary_release(&s);
    }
    qr_topology_free(t);
    return (double)inside / seeds;
}

/* Coverage near 95% (2000 seeds: a standard error of 0.5 point). With
 * about 1 outage a replication the symmetric t interval covers only 91%
 * here; the logit interval 94.7%. */
static void test_measures_coverage_single_component(void **state)
{
    (void)state;
    double c = single_component_coverage(1000 * T_HOUR, 10 * T_HOUR, 1, 20, 2000);
    print_message("coverage, 8.7 outages a replication: %.3f\n", c);
    assert_true(c >= 0.935 && c <= 0.965);
    c = single_component_coverage(8766 * T_HOUR, 10 * T_HOUR, 1, 20, 2000);
    print_message("coverage, 1 outage a replication: %.3f\n", c);
    assert_true(c >= 0.935 && c <= 0.965);
}

/* One front end: down 1h of a 10h horizon -> 90%, one outage of 3600s;
 * the user-weighted value of a partial loss integrates its fraction. */
static void test_measures_time_weighted_integration(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(1);
    sim_config c;
    sim_config_default(&c);
    c.horizon = 10 * T_HOUR;
    c.random_failures = false;
    c.patching = false;
    c.operator_actions = false;
    t->params.restart_time = 0.0;
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    sim_engine_begin(e, 1, 0);
    sim_engine_schedule(e, 2 * T_HOUR, SIM_ACT_CRASH, 0);
    sim_engine_schedule(e, 3 * T_HOUR, SIM_ACT_REPAIR, 0);
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    assert_int_equal(sim_engine_finish(e, &r), 0);
    const sim_feature_rep *pool = &r.f[r.n - 1];
    assert_true(fabs(pool->down_time - T_HOUR) < 1e-6);
    assert_int_equal(pool->outages, 1);
    assert_true(fabs(pool->longest - T_HOUR) < 1e-6);
    assert_int_equal(r.quorum_losses, 1);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);

    /* 5 FEs: two down for 1h: presence loses the groups on both. */
    t = tt_pool(5);
    e = sim_engine_new(t, &c, NULL, 0);
    sim_engine_begin(e, 1, 0);
    int G = t->pool.routing_groups, both = 0;
    for (int g = 0; g < G; g++) {
        int hits = 0;
        for (int j = 0; j < 3; j++) {
            int fe = sim_engine_group_replica(e, g, j);
            hits += fe == 0 || fe == 1;
        }
        both += hits == 2;
    }
    sim_engine_schedule(e, T_HOUR, SIM_ACT_CRASH, 0);
    sim_engine_schedule(e, T_HOUR, SIM_ACT_CRASH, 1);
    sim_engine_schedule(e, 2 * T_HOUR, SIM_ACT_REPAIR, 0);
    sim_rep_init(&r, t->n_features);
    sim_engine_finish(e, &r);
    int presence = qr_topology_find_feature(t, "presence");
    assert_true(fabs(r.f[presence].down_time - T_HOUR * both / G) < 1e-6);
    assert_true(fabs(r.limited_time - T_HOUR * both / G) < 1e-6);
    assert_true(r.f[r.n - 1].down_time == 0.0);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* Run --static and compare with the exact availability (exact.h). */
static void check_static_contains_exact(const qr_topology *t, const char *what)
{
    double exact[64], pool_exact;
    char err[256];
    assert_true(t->n_features <= 64);
    if (sim_exact_availability(t, exact, &pool_exact, err, sizeof(err)) != 0) {
        print_message("%s: exact skipped: %s\n", what, err);
        return;
    }
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 100;
    o.runs = 100;
    o.seed = 12345;
    o.threads = 2;
    o.static_mode = true;
    sim_summary s;
    assert_int_equal(sim_run(t, &o, &s, NULL, err, sizeof(err)), 0);
    const sim_stat *p = &s.f[s.n - 1].availability;
    if (!(pool_exact >= p->low && pool_exact <= p->high))
        fail_msg("%s: pool exact %.9f outside [%.9f, %.9f]", what, pool_exact, p->low, p->high);
    int inside = 0;
    for (int f = 0; f < t->n_features; f++) {
        const sim_stat *a = &s.f[f].availability;
        double wide = 3.3 * a->half_width / sim_t975(o.runs - 1);
        if (a->half_width == 0)
            assert_true(fabs(a->mean - exact[f]) < 1e-12);
        else if (fabs(a->mean - exact[f]) > wide)
            fail_msg("%s: feature %s exact %.9f, estimate %.9f +- %.9f", what,
                     t->features[f].name, exact[f], a->mean, a->half_width);
        inside += exact[f] >= a->low && exact[f] <= a->high;
    }
    assert_true(inside >= t->n_features - 1);
    sim_summary_release(&s);
}

static void test_measures_static_contains_exact_bundled(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("topologies/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 5);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        qr_diags d;
        qr_topology *t = NULL;
        qr_diags_init(&d, g.gl_pathv[i]);
        assert_int_equal(qr_topology_load_file(g.gl_pathv[i], &t, &d), 0);
        check_static_contains_exact(t, g.gl_pathv[i]);
        qr_topology_free(t);
        qr_diags_release(&d);
    }
    globfree(&g);
}

static void test_measures_static_contains_exact_handmade(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    check_static_contains_exact(t, "2.x by hand");
    qr_topology_free(t);

    t = tt_pool(3);
    t->pool.backend.witness = -1;
    check_static_contains_exact(t, "3 FEs, standalone");
    qr_topology_free(t);

    /* 4 FEs on two hosts in a site: containment (M0.2). */
    t = tt_new();
    int site = tt_comp(t, "dc", QR_COMP_SITE, -1, -1);
    t->comps[site].failure.mean = 10 * T_YEAR;
    int h1 = tt_comp(t, "h1", QR_COMP_HOST, site, -1);
    int h2 = tt_comp(t, "h2", QR_COMP_HOST, site, -1);
    int fe[4];
    char name[24];
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof(name), "fe%d", i);
        fe[i] = tt_comp(t, name, QR_COMP_SERVER, site, i % 2 ? h2 : h1);
    }
    tt_frontends(t, 4, fe);
    int p = tt_comp(t, "p", QR_COMP_SERVER, site, h1);
    int m = tt_comp(t, "m", QR_COMP_SERVER, site, h2);
    int w = tt_comp(t, "w", QR_COMP_SERVER, -1, -1);
    tt_mirroring(t, p, m, w);
    int dfs[] = { p, m };
    tt_dfs(t, 2, dfs);
    check_static_contains_exact(t, "4 FEs on two hosts");
    qr_topology_free(t);
}

/* A pool of n front ends plus `extra` ones appended after every other
 * component, so that the shared components keep their indices and so
 * their random streams (common random numbers). */
static qr_topology *pool_with_extra(int n, int extra)
{
    qr_topology *t = tt_pool(n);
    char name[24];
    for (int i = 0; i < extra; i++) {
        snprintf(name, sizeof(name), "fx%d", i);
        int s = tt_server(t, name);
        int *fe = realloc(t->pool.frontends, sizeof(int) * (size_t)(n + i + 1));
        qr_loc *loc = realloc(t->pool.frontend_locs, sizeof(qr_loc) * (size_t)(n + i + 1));
        assert_non_null(fe);
        assert_non_null(loc);
        fe[n + i] = s;
        loc[n + i] = (qr_loc){ 0, 0 };
        t->pool.frontends = fe;
        t->pool.frontend_locs = loc;
        t->pool.n_frontends = n + i + 1;
    }
    return t;
}

static double pool_availability(const qr_topology *t, bool static_mode, int runs, double years)
{
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = years;
    o.runs = runs;
    o.seed = 99;
    o.threads = 2;
    o.static_mode = static_mode;
    sim_summary s;
    char err[256];
    assert_int_equal(sim_run(t, &o, &s, NULL, err, sizeof(err)), 0);
    double a = s.f[s.n - 1].availability.mean;
    sim_summary_release(&s);
    return a;
}

/* With common random numbers, in --static: adding a front end to an odd
 * pool (the Back End's vote joins, M1.2) never lowers pool availability,
 * and adding a non-seed front end (8th of 8, M1.1) changes nothing. */
static void test_measures_monotone_more_frontends(void **state)
{
    (void)state;
    for (int n = 1; n <= 5; n += 2) {
        qr_topology *a = pool_with_extra(n, 0), *b = pool_with_extra(n, 1);
        double pa = pool_availability(a, true, 40, 50);
        double pb = pool_availability(b, true, 40, 50);
        if (pb < pa)
            fail_msg("%d -> %d front ends lowered pool availability: %.9f -> %.9f", n, n + 1,
                     pa, pb);
        qr_topology_free(a);
        qr_topology_free(b);
    }
    qr_topology *a = pool_with_extra(7, 0), *b = pool_with_extra(7, 1);
    assert_true(pool_availability(a, true, 20, 50) == pool_availability(b, true, 20, 50));
    qr_topology_free(a);
    qr_topology_free(b);
}

/* Full model, common random numbers: a shorter quorum_reset.after never
 * lowers availability (2.x, where crashes of the principal's server need
 * a reset, M1.8). Patching off so that both runs see the same failures. */
static void test_measures_monotone_reset_delay(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    for (int i = 0; i < t->n_comps; i++)
        t->comps[i].patch.enabled = false;
    double prev = -1;
    const double after[] = { 120 * T_MIN, 30 * T_MIN, 2 * T_MIN };
    for (int k = 0; k < 3; k++) {
        t->params.quorum_reset_after = after[k];
        double a = pool_availability(t, false, 40, 20);
        if (a < prev)
            fail_msg("quorum_reset.after %.0fs lowered availability %.9f -> %.9f", after[k],
                     prev, a);
        if (k > 0)
            assert_true(a > prev); /* the reset matters in 2.x */
        prev = a;
    }
    qr_topology_free(t);
}

static void run_threads(const qr_topology *t, int threads, sim_summary *s)
{
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 5;
    o.runs = 37;
    o.seed = 4242;
    o.threads = threads;
    char err[256];
    assert_int_equal(sim_run(t, &o, s, NULL, err, sizeof(err)), 0);
}

/* The summary does not depend on the thread count. */
static void test_measures_threads_identical(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    sim_summary a, b;
    run_threads(t, 1, &a);
    run_threads(t, 3, &b);
    assert_int_equal(a.runs, b.runs);
    assert_true(a.events == b.events);
    assert_memory_equal(a.f, b.f, sizeof(*a.f) * (size_t)a.n);
    assert_memory_equal(&a.quorum_losses_year, &b.quorum_losses_year,
                        sizeof(sim_summary) - offsetof(sim_summary, quorum_losses_year));
    sim_summary_release(&a);
    sim_summary_release(&b);
    qr_topology_free(t);
}

/* --precision adds batches until the relative half-width is met. */
static void test_measures_precision_batches(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 2;
    o.runs = 10;
    o.seed = 3;
    o.threads = 2;
    o.precision = 0.2;
    o.max_runs = 400;
    sim_summary s;
    bool converged = false;
    char err[256];
    assert_int_equal(sim_run(t, &o, &s, &converged, err, sizeof(err)), 0);
    assert_true(s.runs > 10 && s.runs % 10 == 0);
    if (converged) {
        for (int k = 0; k < s.n; k++)
            assert_true(fmax(s.f[k].availability.high - s.f[k].availability.mean,
                             s.f[k].availability.mean - s.f[k].availability.low) <=
                        0.2 * (1 - s.f[k].availability.mean));
    } else {
        assert_int_equal(s.runs, 400);
    }
    sim_summary_release(&s);
    qr_topology_free(t);
}

/* A --precision run is its batches' replications: one that stops at
 * max_runs (a target it cannot reach, 7 batches, the replications' memory
 * grown along the way) summarizes exactly as one plain run of as many
 * replications, every measure the same bits. */
static void test_measures_precision_equals_plain_run(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 1;
    o.runs = 30;
    o.seed = 5;
    o.threads = 2;
    o.precision = 1e-9;
    o.max_runs = 210;
    sim_summary a, b;
    bool converged = true;
    char err[256];
    assert_int_equal(sim_run(t, &o, &a, &converged, err, sizeof(err)), 0);
    assert_false(converged);
    assert_int_equal(a.runs, 210);
    o.precision = 0;
    o.runs = 210;
    assert_int_equal(sim_run(t, &o, &b, NULL, err, sizeof(err)), 0);
    assert_int_equal(b.runs, 210);
    assert_int_equal(a.n, b.n);
    assert_true(a.events == b.events);
    for (int k = 0; k < a.n; k++)
        assert_memory_equal(&a.f[k], &b.f[k], sizeof(a.f[k]));
    assert_memory_equal(&a.quorum_losses_year, &b.quorum_losses_year, sizeof(sim_stat));
    assert_memory_equal(&a.resiliency_hours_year, &b.resiliency_hours_year, sizeof(sim_stat));
    sim_summary_release(&a);
    sim_summary_release(&b);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measures_t_quantile),
        cmocka_unit_test(test_measures_stat_ci),
        cmocka_unit_test(test_measures_stat_fraction_logit),
        cmocka_unit_test(test_measures_stat_nonneg_log),
        cmocka_unit_test(test_measures_summary_bounded),
        cmocka_unit_test(test_measures_coverage_single_component),
        cmocka_unit_test(test_measures_time_weighted_integration),
        cmocka_unit_test(test_measures_static_contains_exact_bundled),
        cmocka_unit_test(test_measures_static_contains_exact_handmade),
        cmocka_unit_test(test_measures_monotone_more_frontends),
        cmocka_unit_test(test_measures_monotone_reset_delay),
        cmocka_unit_test(test_measures_threads_identical),
        cmocka_unit_test(test_measures_precision_batches),
        cmocka_unit_test(test_measures_precision_equals_plain_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
