/*
 * test_rare.c: the rare-event estimator (sim/rare.h, `simulate --rare`)
 * against independent answers. In the static view (M9) its 95% interval
 * holds the exact availability (sim_exact_availability) of every bundled
 * design, and the closed form of a 2-of-3 pool (1 - 3u^2 + 2u^3, u =
 * MTTR / (MTBF + MTTR)) at several biases, with an interval far narrower
 * than plain Monte Carlo's on the same runs; over many seeds it covers the
 * closed form about 95% of the time, also when some or all failures are
 * Weibull (not biased). In the full model it agrees
 * with a long plain run. The static engine's copy goes on as the original,
 * and one whose streams are renewed (sim_engine_renew_streams) draws its
 * own, the same again for the same key; the output does not depend on the
 * thread count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <glob.h>

#include "exact/exact.h"
#include "model/diag.h"
#include "model/loader.h"
#include "sim/rare.h"
#include "sim/runner.h"
#include "sim_topo.h"

/* bias 0: the default (SIM_RARE_BIAS, SIM_RARE_REPLAYS replays). */
static int run(const qr_topology *t, bool static_mode, bool rare, double bias, int runs,
               double years, uint64_t seed, int threads, sim_summary *s)
{
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = years;
    o.runs = runs;
    o.seed = seed;
    o.threads = threads;
    o.static_mode = static_mode;
    o.rare = rare;
    o.rare_bias = bias;
    char err[256];
    int rc = sim_run(t, &o, s, NULL, err, sizeof(err));
    if (rc != 0)
        print_message("sim_run: %s\n", err);
    return rc;
}

static double unavail(const sim_stat *a)
{
    return 1 - a->mean;
}

/* Relative half-width of the unavailability's interval. */
static double rel_width(const sim_stat *a)
{
    return fmax(a->high - a->mean, a->mean - a->low) / unavail(a);
}

/* A pool of three front ends that fail (exponential MTBF, MTTR); the
 * standalone SQL server and the file share never fail. In the static view
 * the pool (and every feature) is up while 2 of 3 front ends are. */
static qr_topology *two_of_three(double mtbf, double mttr)
{
    qr_topology *t = tt_pool(3);
    for (int i = 0; i < t->n_comps; i++) {
        t->comps[i].failure.mean = INFINITY;
        t->comps[i].failure.kind = QR_DIST_EXPONENTIAL;
        t->comps[i].repair.kind = QR_DIST_EXPONENTIAL;
    }
    for (int i = 0; i < 3; i++) {
        t->comps[t->pool.frontends[i]].failure.mean = mtbf;
        t->comps[t->pool.frontends[i]].repair.mean = mttr;
    }
    return t;
}

static double two_of_three_exact(double mtbf, double mttr)
{
    double u = mttr / (mtbf + mttr);
    return 1 - (3 * u * u - 2 * u * u * u);
}

/* Closed form = exact (M9), the --rare interval holds it and is narrower
 * than plain Monte Carlo's on the same replications. */
static void test_rare_static_two_of_three(void **state)
{
    (void)state;
    const double mtbf = 1 * T_YEAR, mttr = 8 * T_HOUR;
    qr_topology *t = two_of_three(mtbf, mttr);
    double truth = two_of_three_exact(mtbf, mttr), exact[64], pool_exact;
    char err[256];
    assert_int_equal(sim_exact_availability(t, exact, &pool_exact, err, sizeof(err)), 0);
    assert_true(fabs(pool_exact - truth) < 1e-12);
    sim_summary plain;
    assert_int_equal(run(t, true, false, 0, 200, 10, 7, 2, &plain), 0);
    const double biases[] = { 0.3, 0.5, 0.7 };
    for (size_t b = 0; b < sizeof(biases) / sizeof(biases[0]); b++) {
        sim_summary s;
        assert_int_equal(run(t, true, true, biases[b], 200, 10, 7, 2, &s), 0);
        const sim_stat *a = &s.f[s.n - 1].availability;
        print_message("bias %.1f: 1-A %.4g [%.4g, %.4g], exact %.4g, plain %.4g +-%.0f%%\n",
                      biases[b], unavail(a), 1 - a->high, 1 - a->low, 1 - truth,
                      unavail(&plain.f[plain.n - 1].availability),
                      100 * rel_width(&plain.f[plain.n - 1].availability));
        if (!(truth >= a->low && truth <= a->high))
            fail_msg("bias %.1f: exact %.9g outside [%.9g, %.9g]", biases[b], truth, a->low,
                     a->high);
        /* plain sees a handful of outages; --rare knows it within 25% */
        assert_true(rel_width(a) < 0.25);
        assert_true(rel_width(a) < 0.5 * rel_width(&plain.f[plain.n - 1].availability));
        sim_summary_release(&s);
    }
    sim_summary_release(&plain);
    qr_topology_free(t);
}

/* The interval is honest: over 200 seeds of 40 replications each, the
 * 2-of-3 closed form falls inside about 95% of the time (a binomial
 * standard error of 1.5 points; below 90% would mean an interval that
 * undercovers, as intervals of heavy-tailed weights do). */
static void test_rare_static_coverage(void **state)
{
    (void)state;
    const double mtbf = 2000 * T_HOUR, mttr = 10 * T_HOUR;
    qr_topology *t = two_of_three(mtbf, mttr);
    double truth = two_of_three_exact(mtbf, mttr);
    int inside = 0, seeds = 200;
    for (int k = 0; k < seeds; k++) {
        sim_summary s;
        assert_int_equal(run(t, true, true, 0, 40, 2, 500 + (uint64_t)k, 1, &s), 0);
        const sim_stat *a = &s.f[s.n - 1].availability;
        inside += truth >= a->low && truth <= a->high;
        sim_summary_release(&s);
    }
    print_message("coverage %.3f\n", (double)inside / seeds);
    assert_true(inside >= 0.90 * seeds);
    qr_topology_free(t);
}

/* Every bundled design, --static --rare: the exact value of the pool and of
 * every feature within 3.3 standard errors of the estimate (a miss by
 * chance once in a thousand), and inside the 95% interval for all but a
 * sixth of the rows (about one in twenty misses by chance; rows of one
 * design are correlated and often equal, so they may miss together).
 * test_rare_static_coverage checks the 95% itself on a closed form. */
static void test_rare_static_contains_exact_bundled(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("topologies/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 5);
    int rows = 0, inside = 0;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        qr_diags d;
        qr_topology *t = NULL;
        qr_diags_init(&d, g.gl_pathv[i]);
        assert_int_equal(qr_topology_load_file(g.gl_pathv[i], &t, &d), 0);
        qr_diags_release(&d);
        double exact[65];
        char err[256];
        assert_true(t->n_features <= 64);
        if (sim_exact_availability(t, exact, &exact[t->n_features], err, sizeof(err)) != 0) {
            print_message("%s: exact skipped: %s\n", g.gl_pathv[i], err);
            qr_topology_free(t);
            continue;
        }
        sim_summary s;
        assert_int_equal(run(t, true, true, 0, 200, 10, 4242, 2, &s), 0);
        for (int f = 0; f <= t->n_features; f++) {
            const sim_stat *a = &s.f[f].availability;
            const char *name = f < t->n_features ? t->features[f].name : "pool";
            double wide = 3.3 * a->half_width / sim_t975(s.runs - 1);
            bool in = exact[f] >= a->low && exact[f] <= a->high;
            print_message("%s %-18s 1-A %.4g +-%3.0f%%, exact %.4g%s\n", g.gl_pathv[i], name,
                          unavail(a), 100 * rel_width(a), 1 - exact[f], in ? "" : "  outside");
            assert_true(a->half_width > 0);
            if (fabs(a->mean - exact[f]) > wide)
                fail_msg("%s: %s exact %.10f, estimate %.10f +- %.10f", g.gl_pathv[i], name,
                         exact[f], a->mean, a->half_width);
            rows++;
            inside += in;
        }
        sim_summary_release(&s);
        qr_topology_free(t);
    }
    globfree(&g);
    print_message("%d of %d rows hold the exact value\n", inside, rows);
    assert_true(rows >= 30);
    assert_true(6 * (rows - inside) <= rows);
}

/* Weibull failures are not biased (only exponential ones are memoryless):
 * a 2-of-3 pool whose front ends all fail by a Weibull law (nothing
 * biased, every weight 1), or one of them (mixed), still holds the closed
 * form, which depends on the means only (M9). */
static void test_rare_non_exponential(void **state)
{
    (void)state;
    const double mtbf = 2000 * T_HOUR, mttr = 10 * T_HOUR;
    double truth = two_of_three_exact(mtbf, mttr);
    for (int weibulls = 1; weibulls <= 3; weibulls += 2) {
        qr_topology *t = two_of_three(mtbf, mttr);
        for (int i = 0; i < weibulls; i++) {
            t->comps[t->pool.frontends[i]].failure.kind = QR_DIST_WEIBULL;
            t->comps[t->pool.frontends[i]].failure.shape = 1.5;
        }
        sim_summary s;
        assert_int_equal(run(t, true, true, 0, 100, 10, 3, 2, &s), 0);
        const sim_stat *a = &s.f[s.n - 1].availability;
        print_message("%d Weibull: 1-A %.4g [%.4g, %.4g], exact %.4g\n", weibulls, unavail(a),
                      1 - a->high, 1 - a->low, 1 - truth);
        if (!(truth >= a->low && truth <= a->high))
            fail_msg("%d Weibull: exact %.9g outside [%.9g, %.9g]", weibulls, truth, a->low,
                     a->high);
        sim_summary_release(&s);
        qr_topology_free(t);
    }
}

/* The full model (delays, the operator's soft reset, patch nights): a pool
 * of three front ends whose outages are rare, --rare against a long plain
 * run of other seeds: the difference within 3.3 combined standard errors,
 * and --rare's interval narrower on a tenth of the runs. */
static void test_rare_full_agrees_with_plain(void **state)
{
    (void)state;
    qr_topology *t = two_of_three(1 * T_YEAR, 8 * T_HOUR);
    sim_summary plain, rare;
    assert_int_equal(run(t, false, false, 0, 4000, 10, 99, 2, &plain), 0);
    assert_int_equal(run(t, false, true, 0, 400, 10, 5, 2, &rare), 0);
    for (int k = 0; k < plain.n; k++) {
        const sim_stat *p = &plain.f[k].availability, *r = &rare.f[k].availability;
        double se_p = p->half_width / 1.96, se_r = r->half_width / 1.96;
        double diff = fabs(unavail(p) - unavail(r)), tol = 3.3 * sqrt(se_p * se_p + se_r * se_r);
        print_message("feature %d: plain %.4g +-%.0f%% (%ld outages), rare %.4g +-%.0f%%\n", k,
                      unavail(p), 100 * rel_width(p), plain.f[k].outages_observed, unavail(r),
                      100 * rel_width(r));
        if (!(diff <= tol))
            fail_msg("feature %d: plain %.6g, rare %.6g, differ by %.3g > %.3g", k, unavail(p),
                     unavail(r), diff, tol);
    }
    const sim_stat *pp = &plain.f[plain.n - 1].availability, *rp = &rare.f[rare.n - 1].availability;
    assert_true(rel_width(rp) < rel_width(pp));
    sim_summary_release(&plain);
    sim_summary_release(&rare);
    qr_topology_free(t);
}

/* Same seed, same summary, bit for bit, on one thread or three. */
static void test_rare_threads_identical(void **state)
{
    (void)state;
    qr_topology *t = two_of_three(1 * T_YEAR, 8 * T_HOUR);
    for (int mode = 0; mode < 2; mode++) {
        sim_summary a, b;
        assert_int_equal(run(t, mode == 1, true, 0, 60, 5, 11, 1, &a), 0);
        assert_int_equal(run(t, mode == 1, true, 0, 60, 5, 11, 3, &b), 0);
        assert_int_equal(a.events, b.events);
        for (int k = 0; k < a.n; k++) {
            assert_memory_equal(&a.f[k].availability, &b.f[k].availability, sizeof(sim_stat));
            assert_memory_equal(a.f[k].by_cause, b.f[k].by_cause, sizeof(a.f[k].by_cause));
        }
        sim_summary_release(&a);
        sim_summary_release(&b);
    }
    qr_topology_free(t);
}

/* The static view's engine copy (engine_copy.c) goes on exactly as the
 * original: same states and values after every event, same measures. */
static void test_rare_static_copy_continues(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = NULL;
    qr_diags_init(&d, "topologies/5x-recommended.yaml");
    assert_int_equal(qr_topology_load_file("topologies/5x-recommended.yaml", &t, &d), 0);
    qr_diags_release(&d);
    sim_config c;
    sim_config_default(&c);
    c.static_mode = true;
    c.patching = false;
    c.horizon = 5 * T_YEAR;
    sim_engine *a = sim_engine_new(t, &c, NULL, 0), *b = sim_engine_new(t, &c, NULL, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(sim_engine_begin(a, 5, 1), 0);
    assert_int_equal(sim_engine_begin(b, 6, 2), 0); /* busy elsewhere */
    for (int i = 0; i < 40; i++)
        assert_int_equal(sim_engine_step(b, c.horizon, NULL), 1);
    for (int i = 0; i < 57; i++)
        assert_int_equal(sim_engine_step(a, c.horizon, NULL), 1);
    assert_int_equal(sim_engine_copy(b, a), 0);
    int ra, rb;
    do {
        ra = sim_engine_step(a, c.horizon, NULL);
        rb = sim_engine_step(b, c.horizon, NULL);
        assert_int_equal(ra, rb);
        for (int i = 0; i < t->n_comps; i++)
            assert_int_equal(sim_engine_comp_state(a, i), sim_engine_comp_state(b, i));
        for (int f = 0; f <= t->n_features; f++)
            assert_true(sim_engine_feature(a, f) == sim_engine_feature(b, f));
    } while (ra == 1);
    sim_rep x, y;
    assert_int_equal(sim_rep_init(&x, t->n_features), 0);
    assert_int_equal(sim_rep_init(&y, t->n_features), 0);
    assert_int_equal(sim_engine_finish(a, &x), 0);
    assert_int_equal(sim_engine_finish(b, &y), 0);
    for (int k = 0; k < x.n; k++) {
        assert_true(x.f[k].down_time == y.f[k].down_time);
        assert_int_equal(x.f[k].outages, y.f[k].outages);
    }
    sim_rep_release(&x);
    sim_rep_release(&y);
    sim_engine_free(a);
    sim_engine_free(b);
    qr_topology_free(t);
}

/* The next n event times of e (0 once the horizon is reached). */
static void next_times(sim_engine *e, double horizon, double *out, int n)
{
    for (int i = 0; i < n; i++) {
        sim_step_info info;
        out[i] = sim_engine_step(e, horizon, &info) == 1 ? info.time : 0.0;
    }
}

/* sim_engine_renew_streams, which the replays use: a copy renewed with a
 * key draws its own failure and repair times (its path leaves the
 * original's), the same key gives the same path again after a fresh copy
 * (the lazy seeding starts over with each copy), another key another
 * path, and a copy not renewed goes on as the original. */
static void test_rare_renewed_streams(void **state)
{
    (void)state;
    qr_topology *t = two_of_three(30 * T_DAY, 8 * T_HOUR);
    sim_config c;
    sim_config_default(&c);
    c.static_mode = true;
    c.patching = false;
    c.horizon = 10 * T_YEAR;
    sim_engine *a = sim_engine_new(t, &c, NULL, 0), *b = sim_engine_new(t, &c, NULL, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(sim_engine_begin(a, 5, 1), 0);
    for (int i = 0; i < 30; i++)
        assert_int_equal(sim_engine_step(a, c.horizon, NULL), 1);
    enum { N = 40 };
    double k1[N], k1_again[N], k2[N], same[N], orig[N];
    const double *paths[] = { k1, k1_again, k2, same };
    for (int p = 0; p < 4; p++) {
        assert_int_equal(sim_engine_copy(b, a), 0);
        if (p < 3)
            sim_engine_renew_streams(b, p == 2 ? 0xfeedu : 0xbeefu);
        next_times(b, c.horizon, (double *)paths[p], N);
    }
    next_times(a, c.horizon, orig, N);
    assert_memory_equal(k1, k1_again, sizeof(k1));
    assert_memory_equal(same, orig, sizeof(same));
    assert_memory_not_equal(k1, orig, sizeof(k1));
    assert_memory_not_equal(k1, k2, sizeof(k1));
    assert_true(k1[N - 1] > 0 && k2[N - 1] > 0);
    sim_engine_free(a);
    sim_engine_free(b);
    qr_topology_free(t);
}

static void test_rare_bad_bias(void **state)
{
    (void)state;
    qr_topology *t = two_of_three(1 * T_YEAR, 8 * T_HOUR);
    sim_config c;
    sim_config_default(&c);
    char err[128] = "";
    sim_rare_params p = { 1.0, 0 };
    assert_null(sim_rare_new(t, &c, &p, err, sizeof(err)));
    assert_non_null(strstr(err, "bias"));
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rare_static_two_of_three),
        cmocka_unit_test(test_rare_static_coverage),
        cmocka_unit_test(test_rare_static_contains_exact_bundled),
        cmocka_unit_test(test_rare_non_exponential),
        cmocka_unit_test(test_rare_full_agrees_with_plain),
        cmocka_unit_test(test_rare_threads_identical),
        cmocka_unit_test(test_rare_static_copy_continues),
        cmocka_unit_test(test_rare_renewed_streams),
        cmocka_unit_test(test_rare_bad_bias),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
