/*
 * test_ccf.c: common-cause failures (src/model/ccf.c, the `common_cause:`
 * loader, and the exact view of src/exact/exact.c with common events).
 *
 * The exact M9 values are checked against closed forms computed here, by
 * an independent route: the textbook beta-factor 2-of-3 formula
 * 1 - (1 - beta Q)(1 - P(2 of 3 independent at (1 - beta) Q)), which is
 * about 3((1 - beta) Q)^2 + beta Q; an MGL group by brute-force enumeration
 * of its seven basic events; the alpha-factor level probabilities against
 * the numbers SCRAM 0.16.2 printed for the same group (Q = 0.01, alpha =
 * 0.95, 0.03, 0.02: Q1 = 8.8785e-3, Q2 = 2.80374e-4, Q3 = 5.60748e-4).
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

#include "assume_fixture.h"
#include "exact/analysis.h"
#include "exact/exact.h"
#include "model/assumptions.h"
#include "model/ccf.h"
#include "model/loader.h"
#include "sim/causes.h"
#include "sim/runner.h"

#define REL_TOL 1e-12

static void assert_rel(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fmax(fabs(want), 1e-300)))
        fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

static void dump(const qr_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        print_message("  %d:%d %s %s\n", d->items[i].loc.line, d->items[i].loc.col,
                      d->items[i].rule, d->items[i].message);
}

/* Load YAML text that must load without errors. */
static qr_topology *load_ok(const char *yaml)
{
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, "ccf.yaml"), 0);
    int rc = qr_topology_load_buffer("ccf.yaml", yaml, strlen(yaml), &t, &d);
    if (rc != 0) {
        dump(&d);
        fail_msg("topology did not load: %d", rc);
    }
    qr_diags_release(&d);
    return t;
}

/* Load text that must fail, with an error of `rule` at line:col. */
/* True when loading yaml fails with rule at line:col (else the test fails). */
static bool load_bad(const char *yaml, const char *rule, int line, int col)
{
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, "bad.yaml"), 0);
    int rc = qr_topology_load_buffer("bad.yaml", yaml, strlen(yaml), &t, &d);
    assert_int_equal(rc, 1);
    assert_null(t);
    bool found = false;
    for (size_t i = 0; i < d.n; i++)
        found |= strcmp(d.items[i].rule, rule) == 0 && d.items[i].loc.line == line &&
                 d.items[i].loc.col == col;
    if (!found) {
        dump(&d);
        fail_msg("no %s at %d:%d", rule, line, col);
    }
    qr_diags_release(&d);
    return found;
}

/* Three front ends (2 of 3 keep the pool, M1.2), every other part never
 * fails; servers 1000h / 10h, so Q = 10/1010. `%s` is the group. */
#define THREE_FE                                                              \
    "sites: [ { name: dc } ]\n"                                               \
    "defaults: { server: { mtbf: 1000h, mttr: 10h, patch: none } }\n"        \
    "servers:\n"                                                              \
    "  - { name: fe1, site: dc }\n"                                           \
    "  - { name: fe2, site: dc }\n"                                           \
    "  - { name: fe3, site: dc }\n"                                           \
    "  - { name: sql, site: dc, mtbf: never }\n"                              \
    "pool:\n"                                                                 \
    "  version: sfb2015\n"                                                    \
    "  frontends: [fe1, fe2, fe3]\n"                                          \
    "  backend: { standalone: sql }\n"                                        \
    "  file_store: { share: sql }\n"

static double pool_unavail(const qr_topology *t)
{
    double feat[16], unav[16];
    sim_exact_detail d;
    char err[256];
    if (sim_exact_unavailability(t, feat, unav, &d, err, sizeof(err)) != 0)
        fail_msg("exact: %s", err);
    return 1.0 - d.pool;
}

static double two_of_three(double q)
{
    return 3 * q * q * (1 - q) + q * q * q;
}

static void test_ccf_beta_two_of_three(void **state)
{
    (void)state;
    qr_topology *t = load_ok(THREE_FE "common_cause:\n"
                             "  - { name: same-build, members: [fe1, fe2, fe3], "
                             "model: beta-factor, beta: 10% }\n");
    assert_int_equal(t->n_ccf, 1);
    assert_int_equal(t->ccf[0].n_members, 3);
    double Q = 10.0 / 1010.0, beta = 0.1;
    double q1 = (1 - beta) * Q, qc = beta * Q;
    double want = 1 - (1 - qc) * (1 - two_of_three(q1));
    assert_rel(pool_unavail(t), want, REL_TOL, "pool unavailability");
    /* The textbook approximation, 3((1-b)Q)^2 + bQ, to its own accuracy. */
    assert_rel(pool_unavail(t), 3 * q1 * q1 + qc, 0.01, "beta-factor approximation");
    /* Without the group the same design is the plain 2-of-3. */
    qr_topology_free(t);
    t = load_ok(THREE_FE);
    assert_rel(pool_unavail(t), two_of_three(Q), REL_TOL, "no group");
    qr_topology_free(t);
}

static void test_ccf_beta_is_a_single_point(void **state)
{
    (void)state;
    qr_topology *t = load_ok(THREE_FE "common_cause:\n"
                             "  - { name: b, members: frontends, beta: 0.2 }\n");
    assert_int_equal(t->ccf[0].n_members, 3);
    assert_string_equal(t->ccf[0].role, "frontends");
    double feat[16];
    sim_exact_detail d;
    char err[256];
    /* Common event 0 held down: the pool is down whatever else. */
    assert_int_equal(sim_exact_conditional(t, t->n_comps, 0, feat, &d, err, sizeof(err)), 0);
    assert_true(d.pool == 0.0);
    /* Held up: only the independent parts remain. */
    assert_int_equal(sim_exact_conditional(t, t->n_comps, 1, feat, &d, err, sizeof(err)), 0);
    assert_rel(1 - d.pool, two_of_three(0.8 * 10.0 / 1010.0), 1e-9, "common event up");
    char buf[64];
    assert_string_equal(sim_exact_var_name(t, t->n_comps, buf, sizeof(buf)), "ccf:b");
    /* Importance lists the common event after the components. */
    sim_exact_conditionals c;
    assert_int_equal(sim_exact_importance(t, &c, err, sizeof(err)), 0);
    assert_int_equal(c.n, 4);
    assert_int_equal(c.comp[3], t->n_comps);
    assert_rel(c.p_down[3], 0.2 * 10.0 / 1010.0, REL_TOL, "p_down of the common event");
    sim_exact_conditionals_release(&c);
    qr_topology_free(t);
}

/* P(pool down) of a 2-of-3 group with independent q1 and common events
 * q2 (each pair) and q3 (all three), by enumerating the 7 events. */
static double brute_two_of_three(double q1, double q2, double q3)
{
    double p[7] = { q1, q1, q1, q2, q2, q2, q3 };
    /* members of each event, as bits of fe1..fe3 */
    unsigned hit[7] = { 1, 2, 4, 3, 5, 6, 7 };
    double down = 0;
    for (unsigned s = 0; s < 128; s++) {
        double pr = 1;
        unsigned members = 0;
        for (int e = 0; e < 7; e++) {
            if (s & (1u << e)) {
                pr *= p[e];
                members |= hit[e];
            } else {
                pr *= 1 - p[e];
            }
        }
        if (__builtin_popcount(members) >= 2)
            down += pr;
    }
    return down;
}

static void test_ccf_mgl_three(void **state)
{
    (void)state;
    qr_topology *t = load_ok(THREE_FE "common_cause:\n"
                             "  - { name: g, members: [fe1, fe2, fe3], model: mgl, "
                             "beta: 10%, gamma: 40% }\n");
    double Q = 10.0 / 1010.0, b = 0.1, g = 0.4;
    double q[4];
    qr_ccf_level_probs(&t->ccf[0], Q, q);
    /* NUREG/CR-5485 MGL for m = 3: Q1 = (1-b)Q, Q2 = b(1-g)Q/2, Q3 = bgQ. */
    assert_rel(q[1], (1 - b) * Q, REL_TOL, "Q1");
    assert_rel(q[2], b * (1 - g) * Q / 2, REL_TOL, "Q2");
    assert_rel(q[3], b * g * Q, REL_TOL, "Q3");
    qr_ccf_event *ev = NULL;
    int n = 0;
    assert_int_equal(qr_ccf_events(t, &ev, &n), 0);
    assert_int_equal(n, 4); /* three pairs, one triple */
    assert_int_equal(ev[0].mask, 3u);
    assert_int_equal(ev[3].mask, 7u);
    free(ev);
    assert_rel(pool_unavail(t), brute_two_of_three(q[1], q[2], q[3]), 1e-11, "MGL pool");
    qr_topology_free(t);
}

static void test_ccf_alpha_matches_scram(void **state)
{
    (void)state;
    qr_topology *t = load_ok(THREE_FE "common_cause:\n"
                             "  - { name: a, members: [fe1, fe2, fe3], model: alpha-factor, "
                             "alpha: [95%, 3%, 2%] }\n");
    double q[4];
    qr_ccf_level_probs(&t->ccf[0], 0.01, q);
    assert_rel(q[1], 8.8785046728971963e-3, 1e-9, "alpha Q1");
    assert_rel(q[2], 2.8037383177570093e-4, 1e-9, "alpha Q2");
    assert_rel(q[3], 5.6074766355140187e-4, 1e-9, "alpha Q3");
    double Q = 10.0 / 1010.0;
    qr_ccf_level_probs(&t->ccf[0], Q, q);
    assert_rel(pool_unavail(t), brute_two_of_three(q[1], q[2], q[3]), 1e-11, "alpha pool");
    qr_topology_free(t);
}

static void test_ccf_loader_errors(void **state)
{
    (void)state;
    assert_true(load_bad(THREE_FE "common_cause:\n  - { name: g, members: [fe1, fe9], beta: 10% }\n",
             "P008", 14, 31));
    assert_true(load_bad(THREE_FE "common_cause:\n  - { name: g, members: [fe1, fe2], beta: 150% }\n",
             "P004", 14, 43));
    assert_true(load_bad(THREE_FE "common_cause:\n  - { name: g, members: [fe1, fe2] }\n", "P005", 14, 5));
    assert_true(load_bad(THREE_FE "common_cause:\n  - { name: g, members: pool, beta: 1% }\n", "P004",
             14, 25));
    assert_true(load_bad(THREE_FE "common_cause:\n  - { name: g, members: [fe1, fe2], beta: 1%, gama: 1 }\n",
             "P002", 14, 47));
    assert_true(load_bad(THREE_FE "common_cause:\n  - { name: g, members: [fe1, fe2], gamma: 1% }\n",
             "P004", 14, 37));
    assert_true(load_bad(THREE_FE "common_cause:\n  - { name: g, members: [fe1, fe2], beta: 1% }\n"
                      "  - { name: g, members: [fe2, fe3], beta: 1% }\n",
             "P007", 15, 13));
}

/* A bad factor is one error, not also a missing 'beta' (nor a 'gamma'
 * needing 'beta' before it). */
static void test_ccf_bad_factor_one_error(void **state)
{
    (void)state;
    const char *yaml = THREE_FE "common_cause:\n  - { name: g, members: [fe1, fe2], model: mgl, "
                                "beta: 2, gamma: 10% }\n";
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, "bad.yaml"), 0);
    assert_int_equal(qr_topology_load_buffer("bad.yaml", yaml, strlen(yaml), &t, &d), 1);
    assert_null(t);
    if (d.n != 1)
        dump(&d);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].rule, "P004");
    qr_diags_release(&d);
}

static void test_ccf_from_assumptions(void **state)
{
    (void)state;
    qr_assumptions *a = af_assume_ok("a.yaml", "common_cause:\n"
                                               "  - { name: fe-build, members: frontends, "
                                               "beta: 10%, source: \"assumption\" }\n");
    assert_int_equal(a->n_ccf, 1);
    qr_topology *t = load_ok(THREE_FE);
    qr_assumptions_apply(t, a);
    qr_assumptions_apply(t, a); /* again (sensitivity does): still one group */
    assert_int_equal(t->n_ccf, 1);
    assert_int_equal(t->ccf[0].n_members, 3);
    assert_int_equal(t->ccf[0].from, QR_FROM_ASSUMPTIONS);
    assert_string_equal(t->ccf[0].source, "assumption");
    double Q = 10.0 / 1010.0;
    assert_rel(pool_unavail(t), 1 - (1 - 0.1 * Q) * (1 - two_of_three(0.9 * Q)), REL_TOL,
               "assumed group");
    qr_topology_free(t);
    /* A server of both roles (3.0: front ends that are the SQL partners)
     * stays in the first group; the second is left with none and dropped. */
    qr_assumptions *two = af_assume_ok("two.yaml",
                                       "common_cause:\n"
                                       "  - { name: fe, members: frontends, beta: 5% }\n"
                                       "  - { name: be, members: backend, beta: 5% }\n");
    qr_diags dd;
    assert_int_equal(qr_diags_init(&dd, "3.0"), 0);
    assert_int_equal(qr_topology_load_file("topologies/3.0-three-servers.yaml", &t, &dd), 0);
    qr_diags_release(&dd);
    qr_assumptions_apply(t, two);
    assert_int_equal(t->n_ccf, 1);
    assert_string_equal(t->ccf[0].name, "fe");
    assert_int_equal(t->ccf[0].n_members, 3);
    qr_topology_free(t);
    qr_assumptions_free(two);
    /* A list of names is a topology's: an assumptions file says a role. */
    qr_diags d;
    qr_assumptions *bad = NULL;
    const char *y = "common_cause:\n  - { name: x, members: [fe1, fe2], beta: 1% }\n";
    assert_int_equal(qr_diags_init(&d, "b.yaml"), 0);
    assert_int_equal(qr_assumptions_load_buffer("b.yaml", y, strlen(y), &bad, &d), 1);
    assert_true(d.n >= 1 && strcmp(d.items[0].rule, "P003") == 0);
    qr_diags_release(&d);
    qr_assumptions_free(a);
}

/* The simulator's --static estimate (M9) contains the exact value, for a
 * beta-factor and an MGL group; the full simulation attributes the pool's
 * downtime mostly to the common cause (beta Q >> 3 q1^2 here). */
static void static_contains_exact(const char *group, sim_summary *full_out)
{
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), "%scommon_cause:\n  - %s\n", THREE_FE, group);
    qr_topology *t = load_ok(yaml);
    double exact = 1 - pool_unavail(t);
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 40;
    o.runs = 200;
    o.seed = 11;
    o.threads = 2;
    o.static_mode = true;
    sim_summary s;
    char err[256];
    assert_int_equal(sim_run(t, &o, &s, NULL, err, sizeof(err)), 0);
    const sim_stat *a = &s.f[s.n - 1].availability;
    print_message("%s: exact %.8f, static %.8f [%.8f, %.8f]\n", group, exact, a->mean, a->low,
                  a->high);
    /* Several groups checked at once: each within the 99.9% interval
     * (exact.h says why), the beta-factor one inside the 95% CI. */
    assert_true(fabs(a->mean - exact) <= a->half_width * 3.3 / 1.97);
    if (full_out)
        assert_true(exact >= a->low && exact <= a->high);
    /* Not a trivially wide interval: the common cause is resolved. */
    assert_true(a->high - a->low < 0.2 * (1 - exact));
    sim_summary_release(&s);
    if (full_out) {
        o.static_mode = false;
        o.years = 20;
        assert_int_equal(sim_run(t, &o, full_out, NULL, err, sizeof(err)), 0);
    }
    qr_topology_free(t);
}

static void test_ccf_static_contains_exact(void **state)
{
    (void)state;
    sim_summary full;
    static_contains_exact("{ name: b, members: [fe1, fe2, fe3], beta: 10% }", &full);
    const sim_feature_summary *pool = &full.f[full.n - 1];
    double common = pool->by_start[SIM_DS_COMMON_CAUSE].mean;
    double server = pool->by_start[SIM_DS_SERVER].mean;
    print_message("full: pool down %.2f min/yr, common cause %.2f, server crash %.2f\n",
                  pool->downtime_min_year.mean, common, server);
    assert_true(common > 0.8 * pool->downtime_min_year.mean);
    assert_true(server > 0);
    sim_summary_release(&full);
    static_contains_exact("{ name: g, members: [fe1, fe2, fe3], model: mgl, beta: 20%, "
                          "gamma: 30% }", NULL);
    static_contains_exact("{ name: a, members: [fe1, fe2, fe3], model: alpha-factor, "
                          "alpha: [90%, 6%, 4%] }", NULL);
}

/* analyze: a common event is an N-k candidate; failing it alone takes the
 * pool down, so it is every feature's single point of failure, and the
 * pairs of front ends are the minimal cuts of size 2. */
static void test_ccf_analysis_spof(void **state)
{
    (void)state;
    qr_topology *t = load_ok(THREE_FE "common_cause:\n"
                             "  - { name: same-build, members: frontends, beta: 10% }\n");
    qr_analysis_options o;
    qr_analysis_options_init(&o);
    qr_analysis a;
    char err[256];
    assert_int_equal(qr_analysis_run(t, &o, &a, err, sizeof(err)), 0);
    assert_int_equal(a.n_candidates, 4);
    assert_int_equal(a.candidates[3], t->n_comps);
    assert_string_equal(qr_analysis_name(&a, t, t->n_comps), "ccf:same-build");
    int pool = 0; /* signin_im needs the pool */
    const qr_cut_count *c1 = qr_analysis_cuts(&a, 1, QR_FAIL_UNEXPECTED, pool);
    assert_int_equal(c1->n_minimal, 1);
    assert_int_equal(c1->minimal[0], t->n_comps);
    assert_true(qr_analysis_has_spof(&a, pool));
    const qr_cut_count *c2 = qr_analysis_cuts(&a, 2, QR_FAIL_UNEXPECTED, pool);
    assert_int_equal(c2->n_minimal, 3); /* {fe1,fe2} {fe1,fe3} {fe2,fe3} */
    qr_analysis_release(&a);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ccf_beta_two_of_three),
        cmocka_unit_test(test_ccf_beta_is_a_single_point),
        cmocka_unit_test(test_ccf_mgl_three),
        cmocka_unit_test(test_ccf_alpha_matches_scram),
        cmocka_unit_test(test_ccf_loader_errors),
        cmocka_unit_test(test_ccf_bad_factor_one_error),
        cmocka_unit_test(test_ccf_from_assumptions),
        cmocka_unit_test(test_ccf_static_contains_exact),
        cmocka_unit_test(test_ccf_analysis_spof),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
