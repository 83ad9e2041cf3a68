/*
 * test_analysis.c: `quorate analyze`'s computations (src/exact/analysis.h) on
 * small hand-made designs whose answers are worked out in each test:
 * single points of failure, N-k counts and minimal cut sets in both modes
 * (unexpected M9, graceful M1.3/M2.3), containment cuts (M0.2), partial
 * loss of routing groups (M2.5), the combination cap, exact availability
 * of a 2-of-3 pool (3p^2 - 2p^3) and Birnbaum / RAW / improvement against
 * their closed forms, and the component named worth improving first.
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

#include "exact/analysis.h"
#include "fixture.h"

static void run(const qr_topology *t, int max_k, long cap, qr_analysis *a)
{
    qr_analysis_options o;
    char err[256] = "";
    qr_analysis_options_init(&o);
    o.max_k = max_k;
    o.max_combinations = cap;
    if (qr_analysis_run(t, &o, a, err, sizeof(err)) != 0)
        fail_msg("qr_analysis_run: %s", err);
}

static int feature(const qr_topology *t, const char *name)
{
    int f = qr_topology_find_feature(t, name);
    assert_true(f >= 0);
    return f;
}

static const qr_cut_count *cuts(const qr_analysis *a, int k, qr_fail_mode m, int f)
{
    const qr_cut_count *c = qr_analysis_cuts(a, k, m, f);
    assert_non_null(c);
    return c;
}

/* Is the set {x, y} (k = 2) among c's listed minimal sets? */
static int has_pair(const qr_cut_count *c, int x, int y)
{
    for (int s = 0; s < c->n_listed; s++) {
        int a = c->minimal[2 * s], b = c->minimal[2 * s + 1];
        if ((a == x && b == y) || (a == y && b == x))
            return 1;
    }
    return 0;
}

static void assert_rel(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= 1e-12 * fmax(fabs(want), 1e-300)))
        fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

/* Three front ends, SQL and file share on servers that never fail. */
static void three_fe(qr_topology *t, int *fe, double a)
{
    fx_init(t);
    fe[0] = fx_server(t, "fe1", a);
    fe[1] = fx_server(t, "fe2", a);
    fe[2] = fx_server(t, "fe3", a);
    fx_frontends(t, fe, 3);
    int sql = fx_server(t, "sql", 1.0);
    fx_standalone(t, sql);
    fx_share(t, sql);
}

static void test_analysis_two_of_three_cuts(void **state)
{
    (void)state;
    qr_topology t;
    qr_analysis a;
    int fe[3];
    three_fe(&t, fe, 0.99);
    run(&t, 3, 1000, &a);
    int p2p = feature(&t, "p2p_calls");
    /* Only the three front ends can fail; sql never does. */
    assert_int_equal(a.n_candidates, 3);
    assert_int_equal(a.n_never_fail, 1);
    assert_false(a.backend_votes);            /* three seeds: odd (M1.2) */
    /* k=1: no single point of failure in either mode. */
    assert_int_equal(cuts(&a, 1, QR_FAIL_UNEXPECTED, p2p)->n_down, 0);
    assert_int_equal(qr_analysis_smallest_cut(&a, QR_FAIL_GRACEFUL, p2p), 3);
    /* k=2 unexpected: 3 of 3 pairs, all minimal (M1.2: 1 of 3 seeds). */
    const qr_cut_count *c2 = cuts(&a, 2, QR_FAIL_UNEXPECTED, p2p);
    assert_int_equal(c2->n_down, 3);
    assert_int_equal(c2->n_minimal, 3);
    assert_true(has_pair(c2, fe[0], fe[1]) && has_pair(c2, fe[0], fe[2]) &&
                has_pair(c2, fe[1], fe[2]));
    assert_int_equal(qr_analysis_smallest_cut(&a, QR_FAIL_UNEXPECTED, p2p), 2);
    /* k=2 graceful (M1.3): the two leave the membership, one seed of one
     * keeps the pool; k=3 takes it down, and that triple is minimal. */
    assert_int_equal(cuts(&a, 2, QR_FAIL_GRACEFUL, p2p)->n_down, 0);
    const qr_cut_count *g3 = cuts(&a, 3, QR_FAIL_GRACEFUL, p2p);
    assert_int_equal(g3->n_down, 1);
    assert_int_equal(g3->n_minimal, 1);
    /* k=3 unexpected: down, but it contains a smaller cut. */
    const qr_cut_count *u3 = cuts(&a, 3, QR_FAIL_UNEXPECTED, p2p);
    assert_int_equal(u3->n_down, 1);
    assert_int_equal(u3->n_minimal, 0);
    assert_true(a.levels[1].combinations == 3 && a.levels[2].combinations == 1);
    qr_analysis_release(&a);
    qr_topology_release(&t);
}

static void test_analysis_spof(void **state)
{
    (void)state;
    /* Three front ends; the Back End on one SQL server and the file share
     * on one file server: each is a single point of failure for exactly
     * the features that need it (M6), in both modes. */
    qr_topology t;
    qr_analysis a;
    int fe[3];
    fx_init(&t);
    fe[0] = fx_server(&t, "fe1", 0.99);
    fe[1] = fx_server(&t, "fe2", 0.99);
    fe[2] = fx_server(&t, "fe3", 0.99);
    fx_frontends(&t, fe, 3);
    int sql = fx_server(&t, "sql", 0.999);
    int fs = fx_server(&t, "fs", 0.999);
    fx_standalone(&t, sql);
    fx_share(&t, fs);
    run(&t, 2, 1000, &a);
    static const struct {
        const char *feature;
        int         sql, fs;
    } want[] = {
        { "signin_im", 0, 0 },    { "presence", 1, 0 },     { "p2p_calls", 0, 0 },
        { "conferencing", 1, 1 }, { "address_book", 0, 1 }, { "persistent_changes", 1, 0 },
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        int f = feature(&t, want[i].feature);
        for (int m = 0; m < QR_FAIL_MODES; m++) {
            const qr_cut_count *c = cuts(&a, 1, (qr_fail_mode)m, f);
            assert_int_equal(c->n_minimal, want[i].sql + want[i].fs);
            int seen_sql = 0, seen_fs = 0;
            for (int s = 0; s < c->n_listed; s++) {
                seen_sql |= c->minimal[s] == sql;
                seen_fs |= c->minimal[s] == fs;
            }
            assert_int_equal(seen_sql, want[i].sql);
            assert_int_equal(seen_fs, want[i].fs);
        }
    }
    /* k=2 for conferencing: 5 candidates, 10 pairs; every pair holding sql
     * or fs (4 + 4 - 1 = 7) plus the 3 front-end pairs take it down, but
     * only the front-end pairs are new minimal cuts. */
    const qr_cut_count *c2 = cuts(&a, 2, QR_FAIL_UNEXPECTED, feature(&t, "conferencing"));
    assert_int_equal(c2->n_down, 10);
    assert_int_equal(c2->n_minimal, 3);
    qr_analysis_release(&a);
    qr_topology_release(&t);
}

static void test_analysis_unexpected_vs_graceful(void **state)
{
    (void)state;
    /* M1.8-like: two front ends (even seeds: the Back End votes), the Back
     * End on a failing SQL server. Unexpected {fe1, sql}: 1 of 3 votes,
     * pool down; graceful: fe1 leaves, 1 seed of 1 counted, pool up. So
     * p2p_calls has three minimal pairs unexpected, one graceful. */
    qr_topology t;
    qr_analysis a;
    fx_init(&t);
    int fe[2];
    fe[0] = fx_server(&t, "fe1", 0.99);
    fe[1] = fx_server(&t, "fe2", 0.99);
    fx_frontends(&t, fe, 2);
    int sql = fx_server(&t, "sql", 0.99);
    int fs = fx_server(&t, "fs", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, fs);
    run(&t, 2, 1000, &a);
    assert_true(a.backend_votes);             /* two seeds: even (M1.2) */
    int p2p = feature(&t, "p2p_calls");
    const qr_cut_count *u = cuts(&a, 2, QR_FAIL_UNEXPECTED, p2p);
    const qr_cut_count *g = cuts(&a, 2, QR_FAIL_GRACEFUL, p2p);
    assert_int_equal(u->n_minimal, 3);
    assert_true(has_pair(u, fe[0], sql) && has_pair(u, fe[1], sql) && has_pair(u, fe[0], fe[1]));
    assert_int_equal(g->n_minimal, 1);
    assert_true(has_pair(g, fe[0], fe[1]));
    /* With fabric.graceful_leave_adjusts_votes off, graceful = unexpected. */
    qr_analysis_release(&a);
    t.params.graceful_leave_adjusts_votes = false;
    run(&t, 2, 1000, &a);
    assert_int_equal(cuts(&a, 2, QR_FAIL_GRACEFUL, p2p)->n_minimal, 3);
    qr_analysis_release(&a);
    qr_topology_release(&t);
}

static void test_analysis_host_containment(void **state)
{
    (void)state;
    /* fe1 and fe2 on host hv1, fe3 on hv2 (M0.2). Unexpected: hv1 is a
     * single point of failure (2 of 3 seeds); the minimal pairs are
     * {fe1,fe2} {fe1,fe3} {fe2,fe3} {fe1,hv2} {fe2,hv2}; 9 of the 10 pairs
     * take the pool down ({fe3,hv2} does not). Graceful: hv1 drains both
     * seeds, the last keeps the pool (M1.3). */
    qr_topology t;
    qr_analysis a;
    fx_init(&t);
    int hv1 = fx_avail(&t, "hv1", QR_COMP_HOST, -1, -1, 0.999);
    int hv2 = fx_avail(&t, "hv2", QR_COMP_HOST, -1, -1, 0.999);
    int fe[3];
    fe[0] = fx_avail(&t, "fe1", QR_COMP_SERVER, -1, hv1, 0.99);
    fe[1] = fx_avail(&t, "fe2", QR_COMP_SERVER, -1, hv1, 0.99);
    fe[2] = fx_avail(&t, "fe3", QR_COMP_SERVER, -1, hv2, 0.99);
    fx_frontends(&t, fe, 3);
    int sql = fx_server(&t, "sql", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, sql);
    run(&t, 3, 1000, &a);
    int p2p = feature(&t, "p2p_calls");
    assert_int_equal(a.n_candidates, 5);
    const qr_cut_count *u1 = cuts(&a, 1, QR_FAIL_UNEXPECTED, p2p);
    assert_int_equal(u1->n_minimal, 1);
    assert_int_equal(u1->minimal[0], hv1);
    assert_int_equal(cuts(&a, 1, QR_FAIL_GRACEFUL, p2p)->n_minimal, 0);
    const qr_cut_count *u2 = cuts(&a, 2, QR_FAIL_UNEXPECTED, p2p);
    assert_int_equal(u2->n_down, 9);
    assert_int_equal(u2->n_minimal, 5);
    assert_true(has_pair(u2, fe[0], hv2) && has_pair(u2, fe[1], hv2));
    assert_false(has_pair(u2, fe[2], hv2));
    /* Graceful pairs: down only when all three seeds are gone. */
    const qr_cut_count *g2 = cuts(&a, 2, QR_FAIL_GRACEFUL, p2p);
    assert_int_equal(g2->n_minimal, 2);        /* {hv1,fe3} {hv1,hv2} */
    /* The graph: p2p_calls depends on both hosts, not on the SQL server
     * (three seeds, odd: the Back End has no vote, M1.2); presence does. */
    assert_int_equal(a.depends[(size_t)p2p * (size_t)t.n_comps + hv1], 1);
    assert_int_equal(a.depends[(size_t)p2p * (size_t)t.n_comps + sql], 0);
    int presence = feature(&t, "presence");
    assert_int_equal(a.depends[(size_t)presence * (size_t)t.n_comps + sql], 1);
    qr_analysis_release(&a);
    qr_topology_release(&t);
}

static void test_analysis_partial_groups(void **state)
{
    (void)state;
    /* Four front ends (even seeds + Back End vote: 5 votes, 3 needed).
     * Losing any two keeps the pool, but the groups with two replicas on
     * them lose quorum (M2.2): presence is left to part of the users
     * (M2.5) by every pair, down for none; p2p_calls survives. */
    qr_topology t;
    qr_analysis a;
    fx_init(&t);
    int fe[4];
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof(name), "fe%d", i + 1);
        fe[i] = fx_server(&t, name, 0.99);
    }
    fx_frontends(&t, fe, 4);
    int sql = fx_server(&t, "sql", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, sql);
    run(&t, 2, 1000, &a);
    int presence = feature(&t, "presence"), p2p = feature(&t, "p2p_calls");
    const qr_cut_count *u = cuts(&a, 2, QR_FAIL_UNEXPECTED, presence);
    assert_int_equal(u->n_down, 0);
    assert_int_equal(u->n_partial, 6);
    assert_int_equal(cuts(&a, 2, QR_FAIL_UNEXPECTED, p2p)->n_down, 0);
    assert_int_equal(cuts(&a, 2, QR_FAIL_UNEXPECTED, p2p)->n_partial, 0);
    /* Graceful (M2.3): the replicas moved, every group keeps two of three. */
    assert_int_equal(cuts(&a, 2, QR_FAIL_GRACEFUL, presence)->n_partial, 0);
    qr_analysis_release(&a);
    qr_topology_release(&t);
}

static void test_analysis_combination_cap(void **state)
{
    (void)state;
    /* 3 candidates: 3 pairs, 1 triple. A cap of 2 skips k=2 but never
     * k=1; a cap of 3 skips only k=3. */
    qr_topology t;
    qr_analysis a;
    int fe[3];
    three_fe(&t, fe, 0.99);
    run(&t, 3, 2, &a);
    assert_true(a.levels[0].analysed);
    assert_false(a.levels[1].analysed);
    assert_true(a.levels[1].combinations == 3);
    assert_null(qr_analysis_cuts(&a, 2, QR_FAIL_UNEXPECTED, 0));
    /* smallest cut unknown beyond the analysed levels */
    assert_int_equal(qr_analysis_smallest_cut(&a, QR_FAIL_UNEXPECTED, 0), 0);
    qr_analysis_release(&a);
    run(&t, 3, 3, &a);
    assert_true(a.levels[1].analysed);
    assert_true(a.levels[2].analysed);   /* C(3,3) = 1 <= 3 */
    qr_analysis_release(&a);
    /* Out-of-range queries. */
    run(&t, 1, 3, &a);
    assert_int_equal(a.max_k, 1);
    assert_null(qr_analysis_cuts(&a, 2, QR_FAIL_UNEXPECTED, 0));
    assert_null(qr_analysis_cuts(&a, 1, QR_FAIL_UNEXPECTED, 99));
    qr_analysis_release(&a);
    qr_analysis_release(&a); /* twice: a no-op */
    qr_topology_release(&t);
}

static void test_analysis_exact_and_importance(void **state)
{
    (void)state;
    /* 2-of-3 pool with equal p: A = 3p^2 - 2p^3; for fe1, A(up) =
     * 1 - (1-p)^2, A(down) = p^2, Birnbaum 2p(1-p), RAW = (1 - p^2) / (1 -
     * A), improvement = A(up) - A. */
    qr_topology t;
    qr_analysis a;
    int fe[3];
    three_fe(&t, fe, 0.97);
    run(&t, 1, 1000, &a);
    assert_true(a.have_exact);
    double p = fx_a(&t, fe[0]);
    double A = 3 * p * p - 2 * p * p * p;
    int p2p = feature(&t, "p2p_calls");
    assert_rel(a.exact.avail[p2p], A, "A = 3p^2 - 2p^3");
    assert_rel(a.exact.avail[a.n_features], A, "pool");
    assert_int_equal(a.exact.n, 3);
    for (int j = 0; j < 3; j++) {
        assert_rel(qr_analysis_birnbaum(&a, j, p2p), 2 * p * (1 - p), "Birnbaum");
        assert_rel(qr_analysis_raw(&a, j, p2p), (1 - p * p) / (1 - A), "RAW");
        assert_rel(qr_analysis_improvement(&a, j, p2p), (1 - (1 - p) * (1 - p)) - A,
                   "improvement");
        assert_rel(qr_analysis_improvement(&a, j, p2p),
                   (1 - p) * qr_analysis_birnbaum(&a, j, p2p), "improvement = q I_B");
    }
    /* All three tie. */
    int ties = -1;
    assert_true(qr_analysis_improve_first(&a, p2p, &ties) >= 0);
    assert_int_equal(ties, 2);
    assert_true(isnan(qr_analysis_birnbaum(&a, 3, p2p)));
    qr_analysis_release(&a);
    qr_topology_release(&t);

    /* One weak front end (fe3, 0.9) among two strong ones (0.99). The
     * pool is up with fe_i iff one of the other two is up, and without it
     * iff both are: I_B(fe_i) = a_j + a_k - 2 a_j a_k. */
    fx_init(&t);
    fe[0] = fx_server(&t, "fe1", 0.99);
    fe[1] = fx_server(&t, "fe2", 0.99);
    fe[2] = fx_server(&t, "fe3", 0.9);
    fx_frontends(&t, fe, 3);
    int sql = fx_server(&t, "sql", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, sql);
    run(&t, 1, 1000, &a);
    double a1 = fx_a(&t, fe[0]), a2 = fx_a(&t, fe[1]), a3 = fx_a(&t, fe[2]);
    int j1 = -1, j3 = -1;
    for (int j = 0; j < a.exact.n; j++) {
        if (a.exact.comp[j] == fe[0])
            j1 = j;
        if (a.exact.comp[j] == fe[2])
            j3 = j;
    }
    assert_true(j1 >= 0 && j3 >= 0);
    assert_rel(qr_analysis_birnbaum(&a, j1, p2p), a2 + a3 - 2 * a2 * a3, "I_B fe1");
    assert_rel(qr_analysis_birnbaum(&a, j3, p2p), a1 + a2 - 2 * a1 * a2, "I_B fe3");
    /* fe1's Birnbaum (0.99 + 0.9 - 2*0.891 = 0.108) beats fe3's (0.0198):
     * the strong front ends carry the pool while fe3 is down so often. */
    /* fe1 and fe2 tie; the first in topology order is named. */
    int best = qr_analysis_improve_first(&a, p2p, &ties);
    assert_true(best >= 0);
    assert_int_equal(a.exact.comp[best], fe[0]);
    assert_int_equal(ties, 1);
    assert_int_equal(a.exact.comp[qr_analysis_improve_first(&a, -1, NULL)], fe[0]);
    /* Improvement potential is the other way round: q * I_B. */
    assert_rel(qr_analysis_improvement(&a, j3, p2p), (1 - a3) * (a1 + a2 - 2 * a1 * a2),
               "improvement fe3");
    qr_analysis_release(&a);
    qr_topology_release(&t);
}

static void test_analysis_never_fails_and_too_big(void **state)
{
    (void)state;
    /* Nothing can fail: no candidates, every level empty, exact 1 and no
     * component worth improving. */
    qr_topology t;
    qr_analysis a;
    int fe[3];
    three_fe(&t, fe, 1.0);
    run(&t, 3, 1000, &a);
    assert_int_equal(a.n_candidates, 0);
    assert_int_equal(a.n_never_fail, 4);
    assert_true(a.levels[0].combinations == 0);
    assert_int_equal(cuts(&a, 1, QR_FAIL_UNEXPECTED, 0)->n_down, 0);
    assert_true(a.have_exact);
    assert_true(a.exact.avail[0] == 1.0);
    assert_int_equal(qr_analysis_improve_first(&a, -1, NULL), -1);
    qr_analysis_release(&a);
    qr_topology_release(&t);

    /* 26 failing front-end-like servers behind one DFS file store: too many
     * for the exact enumeration, which says so; N-k still runs. */
    fx_init(&t);
    int rep[26];
    for (int i = 0; i < 26; i++) {
        char name[16];
        snprintf(name, sizeof(name), "r%d", i);
        rep[i] = fx_server(&t, name, 0.99);
    }
    int f1 = fx_server(&t, "fe1", 1.0);
    fx_frontends(&t, &f1, 1);
    fx_standalone(&t, f1);
    fx_dfs(&t, rep, 26);
    run(&t, 2, 1000, &a);
    assert_false(a.have_exact);
    assert_non_null(strstr(a.exact_error, "26"));
    assert_true(a.levels[1].combinations == 325);
    assert_true(a.levels[1].analysed);
    assert_int_equal(cuts(&a, 2, QR_FAIL_UNEXPECTED, feature(&t, "address_book"))->n_down, 0);
    assert_int_equal(qr_analysis_improve_first(&a, 0, NULL), -1);
    qr_analysis_release(&a);
    qr_topology_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analysis_two_of_three_cuts),
        cmocka_unit_test(test_analysis_spof),
        cmocka_unit_test(test_analysis_unexpected_vs_graceful),
        cmocka_unit_test(test_analysis_host_containment),
        cmocka_unit_test(test_analysis_partial_groups),
        cmocka_unit_test(test_analysis_combination_cap),
        cmocka_unit_test(test_analysis_exact_and_importance),
        cmocka_unit_test(test_analysis_never_fails_and_too_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
