/*
 * test_exact_pairing.c: the exact view (M9) of paired pools
 * (src/exact/exact_pairing.c) against independent calculations: the closed
 * form 1 - (1 - pA)(1 - pB) of two tiny pools sharing nothing, a brute-force
 * enumeration of every component of a design whose pools share a site and a
 * witness server (the conditioning on shared components must agree with
 * it), and the --static simulation (sim/pairing.c) whose 95% intervals must
 * contain the exact values, on the bundled topologies/dr designs and the
 * hand cases. Run from the repository root.
 */
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "exact/cuts_pairing.h"
#include "exact/exact_pairing.h"
#include "exact/mef.h"
#include "model/diag.h"
#include "model/loader.h"
#include "model/topology.h"
#include "sim/measures.h"
#include "sim/pairing.h"

/* Two pools of one front end each, a Back End and file store that never
 * fail, sites that never fail: pool1 up with pA = 100/110, pool2 with
 * pB = 100/125. Nothing shared. */
static const char *tiny_text =
    "name: tiny pairs\n"
    "sites: [ { name: dc1, mtbf: never }, { name: dc2, mtbf: never } ]\n"
    "servers:\n"
    "  - { name: a, site: dc1, mtbf: 100h, mttr: 10h }\n"
    "  - { name: as, site: dc1, mtbf: never }\n"
    "  - { name: b, site: dc2, mtbf: 100h, mttr: 25h }\n"
    "  - { name: bs, site: dc2, mtbf: never }\n"
    "pools:\n"
    "  - { name: pool1, paired_with: pool2, cms: true, version: sfb2015, users: 100,\n"
    "      frontends: [a], backend: { standalone: as }, file_store: { share: as } }\n"
    "  - { name: pool2, paired_with: pool1, version: sfb2015, users: 300,\n"
    "      frontends: [b], backend: { standalone: bs }, file_store: { share: bs } }\n";

/* Two pools of three front ends in dc1 and dc2 whose SQL witnesses are one
 * server in dc3 (shared), the sites failing: the exact value must condition
 * on the witness and see each site in one view only. */
static const char *shared_text =
    "name: shared witness\n"
    "sites: [ { name: dc1, mtbf: 2y, mttr: 2d }, { name: dc2, mtbf: 2y, mttr: 2d },\n"
    "         { name: dc3, mtbf: 2y, mttr: 2d } ]\n"
    "servers:\n"
    "  - { name: a1, site: dc1, mtbf: 30d, mttr: 1d }\n  - { name: a2, site: dc1 }\n"
    "  - { name: a3, site: dc1 }\n"
    "  - { name: as1, site: dc1, mtbf: 20d, mttr: 1d }\n  - { name: as2, site: dc1 }\n"
    "  - { name: b1, site: dc2 }\n  - { name: b2, site: dc2, mtbf: 30d, mttr: 1d }\n"
    "  - { name: b3, site: dc2 }\n"
    "  - { name: bs1, site: dc2, mtbf: 20d, mttr: 1d }\n  - { name: bs2, site: dc2 }\n"
    "  - { name: w, site: dc3, mtbf: 10d, mttr: 1d }\n"
    "pools:\n"
    "  - { name: pool1, paired_with: pool2, cms: true, version: sfb2015, users: 100,\n"
    "      frontends: [a1, a2, a3],\n"
    "      backend: { mirroring: { principal: as1, mirror: as2, witness: w } },\n"
    "      file_store: { dfs: [as1, as2] } }\n"
    "  - { name: pool2, paired_with: pool1, version: sfb2015, users: 100,\n"
    "      frontends: [b1, b2, b3],\n"
    "      backend: { mirroring: { principal: bs1, mirror: bs2, witness: w } },\n"
    "      file_store: { dfs: [bs1, bs2] } }\n";

static qr_topology *load(const char *text)
{
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "mem"), 0);
    qr_topology *t = NULL;
    assert_int_equal(qr_topology_load_buffer("mem.yaml", text, strlen(text), &t, &d), 0);
    qr_diags_release(&d);
    return t;
}

static int row(const qr_topology *t, const char *name)
{
    int k = qr_topology_find_feature(t, name);
    if (k < 0)
        fail_msg("no row %s", name);
    return k;
}

static void test_exact_pairing_tiny_closed_form(void **state)
{
    (void)state;
    qr_topology *t = load(tiny_text);
    double a[64], u[64];
    char err[256];
    assert_true(t->n_features < 64);
    int n = 0;
    assert_int_equal(sim_exact_pairing(t, a, u, &n, err, sizeof(err)), 0);
    assert_int_equal(n, 2); /* a and b */
    double pa = 100.0 / 110.0, pb = 100.0 / 125.0;
    double both = (1 - pa) * (1 - pb);
    /* Sign-in of each pool's users: home up, or home down and partner up. */
    assert_true(fabs(a[row(t, "pool1.signin_im")] - (1 - both)) < 1e-12);
    assert_true(fabs(a[row(t, "pool2.signin_im")] - (1 - both)) < 1e-12);
    assert_true(fabs(u[row(t, "pool1.signin_im")] - both) < 1e-15);
    assert_true(fabs(u[row(t, "pool2.conferencing")] - both) < 1e-15);
    /* All users: weighted 1:3; the pool row: home pool up. */
    assert_true(fabs(a[row(t, "signin_im")] - (1 - both)) < 1e-12);
    assert_true(fabs(a[t->n_features] - (0.25 * pa + 0.75 * pb)) < 1e-12);
    qr_topology_free(t);
}

/* Every component of t enumerated, the rows from sim_pstructure_eval. */
static void brute_force(const qr_topology *t, double *avail)
{
    char err[256];
    sim_pstructure *s = sim_pstructure_new(t, err, sizeof(err));
    assert_non_null(s);
    unsigned char rel[64], up[64];
    assert_true(t->n_comps < 64);
    sim_pstructure_relevant(s, rel);
    int var[64], n = 0;
    for (int c = 0; c < t->n_comps; c++)
        if (rel[c])
            var[n++] = c;
    double rows[64];
    memset(avail, 0, sizeof(double) * ((size_t)t->n_features + 1));
    for (unsigned long x = 0; x < (1ul << n); x++) {
        memset(up, 1, sizeof(up));
        double p = 1.0;
        for (int j = 0; j < n; j++) {
            double down = qr_component_availability(&t->comps[var[j]]);
            down = 1.0 - down;
            up[var[j]] = !((x >> j) & 1u);
            p *= up[var[j]] ? 1.0 - down : down;
        }
        sim_pstructure_eval(s, up, rows);
        for (int k = 0; k <= t->n_features; k++)
            avail[k] += p * rows[k];
    }
    sim_pstructure_free(s);
}

static void test_exact_pairing_shared_matches_brute_force(void **state)
{
    (void)state;
    qr_topology *t = load(shared_text);
    double a[64], u[64], b[64];
    char err[256];
    int n = 0;
    assert_int_equal(sim_exact_pairing(t, a, u, &n, err, sizeof(err)), 0);
    brute_force(t, b);
    for (int k = 0; k <= t->n_features; k++) {
        if (fabs(a[k] - b[k]) > 1e-12)
            fail_msg("row %d: exact %.15f, brute force %.15f", k, a[k], b[k]);
        assert_true(fabs(a[k] + u[k] - 1.0) < 1e-12);
    }
    /* The shared witness matters: sharing it is not the same as two. */
    assert_true(a[row(t, "pool1.presence")] < a[row(t, "pool1.signin_im")]);
    qr_topology_free(t);
}

/* The fault trees of qr_mef_build_pairing, evaluated over every state of
 * their basic events: each tree's sum of users-share * P(top) is the exact
 * unavailability of its row (the export's promise, independent of SCRAM). */
static void test_mef_pairing_matches_exact(void **state)
{
    (void)state;
    const char *texts[] = { tiny_text, shared_text };
    for (int d = 0; d < 2; d++) {
        qr_topology *t = load(texts[d]);
        double a[64], u[64];
        char err[256];
        assert_int_equal(sim_exact_pairing(t, a, u, NULL, err, sizeof(err)), 0);
        qr_mef_model *m = NULL;
        assert_int_equal(qr_mef_build_pairing(t, &m, err, sizeof(err)), 0);
        assert_int_equal(m->n_trees, t->n_features);
        int n = m->n_events;
        assert_true(n <= 20);
        /* One basic event per component: the shared witness once. */
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                assert_int_not_equal(m->events[i].comp, m->events[j].comp);
        double *sum = calloc((size_t)m->n_trees, sizeof(double));
        unsigned char down[32];
        for (unsigned long x = 0; x < (1ul << n); x++) {
            double p = 1.0;
            for (int j = 0; j < n; j++) {
                down[j] = (x >> j) & 1u;
                p *= down[j] ? m->events[j].p : 1.0 - m->events[j].p;
            }
            for (int tr = 0; tr < m->n_trees; tr++)
                for (int k = 0; k < m->trees[tr].n_tops; k++) {
                    const qr_mef_top *tp = &m->tops[m->trees[tr].first_top + k];
                    if (qr_mef_eval(m, tp->ref, down))
                        sum[tr] += p * tp->share;
                }
        }
        for (int tr = 0; tr < m->n_trees; tr++) {
            int f = m->trees[tr].feature;
            if (fabs(sum[tr] - u[f]) > 1e-14 + 1e-9 * u[f])
                fail_msg("design %d, %s: trees %.15g, exact %.15g", d, t->features[f].name,
                         sum[tr], u[f]);
        }
        free(sum);
        qr_mef_model_free(m);
        qr_topology_free(t);
    }
}

static void check_static(const qr_topology *t, const char *what)
{
    double exact[64];
    char err[256];
    assert_true(t->n_features < 64);
    assert_int_equal(sim_exact_pairing(t, exact, NULL, NULL, err, sizeof(err)), 0);
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 100;
    o.runs = 100;
    o.seed = 4242;
    o.threads = 2;
    o.static_mode = true;
    sim_summary s;
    if (sim_pairing_simulate(t, &o, &s, NULL, NULL, err, sizeof(err)) != 0)
        fail_msg("%s: %s", what, err);
    int inside = 0;
    for (int k = 0; k < s.n; k++) {
        const sim_stat *a = &s.f[k].availability;
        double x = exact[k];
        bool in = x >= a->low && x <= a->high;
        inside += in;
        if (!in && fabs(a->mean - x) > 3.3 * (a->high - a->low) / 2 / 1.98)
            fail_msg("%s: row %d exact %.9f, estimate %.9f [%.9f, %.9f]", what, k, x, a->mean,
                     a->low, a->high);
    }
    if (inside < s.n - 1)
        fail_msg("%s: exact inside the 95%% CI for %d of %d rows", what, inside, s.n);
    /* The pool row always. */
    assert_true(exact[s.n - 1] >= s.f[s.n - 1].availability.low &&
                exact[s.n - 1] <= s.f[s.n - 1].availability.high);
    sim_summary_release(&s);
}

static void test_static_contains_exact_handmade(void **state)
{
    (void)state;
    qr_topology *t = load(tiny_text);
    check_static(t, "tiny pairs");
    qr_topology_free(t);
    t = load(shared_text);
    check_static(t, "shared witness");
    qr_topology_free(t);
}

static void test_static_contains_exact_bundled_dr(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("topologies/dr/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 1);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        qr_diags d;
        qr_topology *t = NULL;
        qr_diags_init(&d, g.gl_pathv[i]);
        assert_int_equal(qr_topology_load_file(g.gl_pathv[i], &t, &d), 0);
        check_static(t, g.gl_pathv[i]);
        qr_topology_free(t);
        qr_diags_release(&d);
    }
    globfree(&g);
}

/* Common-cause groups of one pool's servers (carried into its view,
 * src/model/pool_view_faults.c) in the exact view: tiny pairs with as
 * failing as a does (100h/10h) and a beta-factor group {a, as} of 10%.
 * Pool1 is up when a and as are: no common event (P 1 - bQ) and neither
 * independent event (P (1 - (1 - b)Q) each), Q = 10/110 (NUREG/CR-5485
 * beta-factor: Q_1 = (1 - b)Q, Q_2 = bQ). Pool2: 100/125 as before. */
static void test_exact_pairing_ccf_closed_form(void **state)
{
    (void)state;
    char text[2048];
    snprintf(text, sizeof(text), "%s",
             "name: tiny pairs\n"
             "sites: [ { name: dc1, mtbf: never }, { name: dc2, mtbf: never } ]\n"
             "servers:\n"
             "  - { name: a, site: dc1, mtbf: 100h, mttr: 10h }\n"
             "  - { name: as, site: dc1, mtbf: 100h, mttr: 10h }\n"
             "  - { name: b, site: dc2, mtbf: 100h, mttr: 25h }\n"
             "  - { name: bs, site: dc2, mtbf: never }\n"
             "pools:\n"
             "  - { name: pool1, paired_with: pool2, cms: true, version: sfb2015, users: 100,\n"
             "      frontends: [a], backend: { standalone: as }, file_store: { share: as } }\n"
             "  - { name: pool2, paired_with: pool1, version: sfb2015, users: 300,\n"
             "      frontends: [b], backend: { standalone: bs }, file_store: { share: bs } }\n"
             "common_cause: [ { name: a-build, members: [a, as], beta: 10% } ]\n");
    qr_topology *t = load(text);
    double a[64], u[64];
    char err[256] = "";
    if (sim_exact_pairing(t, a, u, NULL, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    double Q = 10.0 / 110.0, b = 0.10;
    double a_up = (1 - b * Q) * (1 - (1 - b) * Q);     /* the pool row: a alone */
    double both = (1 - b * Q) * (1 - (1 - b) * Q) * (1 - (1 - b) * Q); /* a and as */
    double up2 = 100.0 / 125.0;
    double want = 0.25 * a_up + 0.75 * up2;
    if (fabs(a[t->n_features] - want) > 1e-12)
        fail_msg("pool row %.15g, want %.15g", a[t->n_features], want);
    assert_true(fabs(a[t->n_features] + u[t->n_features] - 1.0) < 1e-12);
    /* pool1's presence needs its Back End (as): at home with a and as up,
     * else from pool2 when pool1 is down (a down), 0.8. Independent
     * events only would give (1 - Q)^2 + Q * 0.8, a different value. */
    double p1 = both + (1 - a_up) * up2;
    double got = a[row(t, "pool1.presence")];
    if (fabs(got - p1) > 1e-12)
        fail_msg("pool1.presence %.15g, want %.15g", got, p1);
    assert_true(fabs((1 - Q) * (1 - Q) + Q * up2 - p1) > 1e-4);
    qr_topology_free(t);
}

/* The static simulation of a paired design with a common-cause group in
 * each pool holds the exact value (as check_static); the cut sets still
 * refuse it, in words. */
static void test_static_contains_exact_ccf(void **state)
{
    (void)state;
    char text[4096];
    snprintf(text, sizeof(text), "%s%s", shared_text,
             "common_cause:\n"
             "  - { name: a-build, members: [a1, as1], beta: 20% }\n"
             "  - { name: b-build, members: [b2, bs1], model: mgl, beta: 30%, gamma: 50% }\n");
    qr_topology *t = load(text);
    check_static(t, "shared witness with common causes");
    sim_pairing_analysis an;
    char err[256] = "";
    assert_int_not_equal(sim_pairing_analyze(t, 2, 1000, &an, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "not built into the cut sets"));
    qr_topology_free(t);
    /* A group of components both pools use (the witness w and its site
     * dc3): in both views, which the simulation keeps on one timeline
     * (streams keyed by the group's name and members), but the exact
     * view cannot make its events one pool's own: refused, in words. */
    snprintf(text, sizeof(text), "%s%s", shared_text,
             "common_cause: [ { name: witness-room, members: [w, dc3], beta: 20% } ]\n");
    t = load(text);
    double a[64];
    assert_int_not_equal(sim_exact_pairing(t, a, NULL, NULL, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "common-cause group 'witness-room' holds"));
    assert_non_null(strstr(err, "which pools 'pool1' and 'pool2' share"));
    char why[256];
    assert_true(sim_pairing_supports(t, why, sizeof(why)));
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_pairing_tiny_closed_form),
        cmocka_unit_test(test_exact_pairing_shared_matches_brute_force),
        cmocka_unit_test(test_mef_pairing_matches_exact),
        cmocka_unit_test(test_static_contains_exact_handmade),
        cmocka_unit_test(test_static_contains_exact_bundled_dr),
        cmocka_unit_test(test_exact_pairing_ccf_closed_form),
        cmocka_unit_test(test_static_contains_exact_ccf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
