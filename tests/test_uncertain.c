/*
 * test_uncertain.c: uncertain values of an assumptions file
 * (src/model/uncertain.c, the range reader of assumptions_load.c): the
 * normal quantile against libm's erfc, the quantiles and point values of
 * both forms against their formulas, a file with every kind of uncertain
 * value (names, items, parts, point values, the listing every report
 * prints), the exact diagnostics of bad ranges (message, rule, line:col),
 * a topology that gives a range (refused), and a drawn value applied to a
 * design; common-cause factors and latent-fault durations as ranges (their
 * targets, point values, a drawn value set, bad ones) and a latent fault's
 * `at` refused.
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

#include "model/assumption_list.h"
#include "model/assumptions.h"
#include "model/loader.h"
#include "model/uncertain.h"
#include "model/units.h"

#include "assume_fixture.h"

#define H   3600.0
#define MIN 60.0
#define MO  QR_UNITS_MONTH
#define Y   QR_UNITS_YEAR

static qr_assumptions *assume_ok(const char *yaml)
{
    return af_assume_ok("u.yaml", yaml);
}

/* The diagnostics of a bad file, one "line:col rule message" per line. */
static char *assume_errors(const char *yaml)
{
    qr_diags d;
    qr_assumptions *a = NULL;
    assert_int_equal(qr_diags_init(&d, "u.yaml"), 0);
    assert_int_equal(qr_assumptions_load_buffer("u.yaml", yaml, strlen(yaml), &a, &d), 1);
    assert_null(a);
    size_t cap = 4096, o = 0;
    char *buf = calloc(cap, 1);
    assert_non_null(buf);
    for (size_t i = 0; i < d.n && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%d:%d %s %s\n", d.items[i].loc.line,
                              d.items[i].loc.col, d.items[i].rule, d.items[i].message);
    qr_diags_release(&d);
    return buf;
}

/* ---- the distributions ---- */

static void test_uncertain_normal_quantile_inverts_erfc(void **state)
{
    (void)state;
    /* Phi(z) = erfc(-z / sqrt 2) / 2, computed by libm independently. */
    static const double ps[] = { 1e-12, 1e-6, 0.001, 0.02425, 0.05,  0.3,
                                 0.5,   0.7,  0.95,  0.975,   0.999, 1 - 1e-9 };
    for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
        double z = qr_normal_quantile(ps[i]);
        double back = 0.5 * erfc(-z / sqrt(2.0));
        assert_true(fabs(back - ps[i]) <= 1e-14 + 1e-12 * ps[i]);
    }
    assert_true(fabs(qr_normal_quantile(0.95) - QR_Z95) < 1e-15);
    assert_true(fabs(qr_normal_quantile(0.975) - 1.959963984540054) < 1e-14);
    assert_true(qr_normal_quantile(0.5) == 0);
    assert_true(qr_normal_quantile(0.25) == -qr_normal_quantile(0.75));
    assert_true(isinf(qr_normal_quantile(0)) && qr_normal_quantile(0) < 0);
    assert_true(isinf(qr_normal_quantile(1)) && qr_normal_quantile(1) > 0);
}

static void test_uncertain_quantiles_and_point(void **state)
{
    (void)state;
    qr_uncertain lu = { .form = QR_UNC_LOG_UNIFORM, .low = 3 * MO, .high = 36 * MO };
    /* Log-uniform: ln X uniform on [ln low, ln high]. */
    assert_true(fabs(qr_uncertain_quantile(&lu, 0.25) - 3 * MO * pow(12, 0.25)) < 1e-6);
    assert_true(fabs(qr_uncertain_point(&lu) - sqrt(3 * MO * 36 * MO)) < 1e-6);
    assert_true(fabs(qr_uncertain_point(&lu) - qr_uncertain_quantile(&lu, 0.5)) < 1e-6);
    assert_true(qr_uncertain_quantile(&lu, 1e-9) > 3 * MO);
    assert_true(qr_uncertain_quantile(&lu, 1 - 1e-9) < 36 * MO);
    /* Lognormal with EF 3: 5th and 95th percentiles at median / 3 and x 3. */
    qr_uncertain ln = { .form = QR_UNC_LOGNORMAL, .median = 4 * H, .error_factor = 3 };
    assert_true(fabs(qr_uncertain_quantile(&ln, 0.05) - 4 * H / 3) < 1e-8);
    assert_true(fabs(qr_uncertain_quantile(&ln, 0.95) - 4 * H * 3) < 1e-8);
    assert_true(fabs(qr_uncertain_point(&ln) - 4 * H) < 1e-9);
    /* Monotone. */
    for (int k = 1; k < 100; k++)
        assert_true(qr_uncertain_quantile(&ln, k / 100.0) <
                    qr_uncertain_quantile(&ln, (k + 1) / 100.0));
    char buf[96];
    assert_string_equal(qr_uncertain_text(&lu, buf, sizeof(buf)), "log-uniform 3mo to 3y");
    assert_string_equal(qr_uncertain_text(&ln, buf, sizeof(buf)),
                        "lognormal, median 4h, error factor 3");
}

static void test_uncertain_duration_text(void **state)
{
    (void)state;
    char buf[48];
    assert_string_equal(qr_duration_text(3 * MO, buf, sizeof(buf)), "3mo");
    assert_string_equal(qr_duration_text(sqrt(3 * MO * 36 * MO), buf, sizeof(buf)), "10.4mo");
    assert_string_equal(qr_duration_text(sqrt(2 * MIN * 2 * H), buf, sizeof(buf)), "15.5m");
    assert_string_equal(qr_duration_text(90, buf, sizeof(buf)), "90s");
    assert_string_equal(qr_duration_text(12.25, buf, sizeof(buf)), "12.2s");
    assert_string_equal(qr_duration_text(INFINITY, buf, sizeof(buf)), "never");
}

/* ---- the file ---- */

static const char every_kind[] =
    "name: ranges\n"                                            /* 1 */
    "server:\n"                                                 /* 2 */
    "  mtbf: { low: 3mo, high: 3y }\n"                          /* 3 */
    "  mttr: { median: 4h, error_factor: 3 }\n"                 /* 4 */
    "  patch: { every: 30d, reboot: { low: 5m, high: 45m } }\n" /* 5 */
    "site: { mtbf: { mean: { low: 5y, high: 20y }, distribution: weibull, shape: 1.5 } }\n"
    "host: { mtbf: 2y }\n"                               /* 7 */
    "operations:\n"                                      /* 8 */
    "  quorum_reset: { after: { low: 2m, high: 2h } }\n" /* 9 */
    "sources:\n"                                         /* 10 */
    "  server.mtbf: \"assumption: quarterly to once in three years\"\n";

static void test_uncertain_file_every_kind(void **state)
{
    (void)state;
    qr_assumptions *a = assume_ok(every_kind);
    assert_int_equal(a->n_uncertain, 5);
    /* In the order of the items (assumptions.h), whatever the file's. */
    const char *keys[] = { "site.mtbf", "server.mtbf", "server.mttr", "server.patch.reboot",
                           "operations.quorum_reset.after" };
    const char *items[] = { "site.mtbf", "server.mtbf", "server.mttr", "server.patch",
                            "operations.quorum_reset.after" };
    for (int i = 0; i < 5; i++) {
        assert_string_equal(a->uncertain[i].key, keys[i]);
        assert_int_equal(a->uncertain[i].item, qr_assumption_item_find(items[i]));
    }
    assert_int_equal(a->uncertain[1].part, QR_PART_FAILURE_MEAN);
    assert_int_equal(a->uncertain[2].part, QR_PART_REPAIR_MEAN);
    assert_int_equal(a->uncertain[3].part, QR_PART_PATCH_REBOOT);
    assert_int_equal(a->uncertain[3].kind, QR_COMP_SERVER);
    assert_int_equal(a->uncertain[4].setting, QR_SET_QUORUM_RESET_AFTER);
    assert_int_equal(a->uncertain[4].kind, -1);
    assert_int_equal(a->uncertain[1].loc.line, 3);
    assert_int_equal(a->uncertain[1].loc.col, 9);
    assert_int_equal(a->uncertain[0].loc.line, 6);
    assert_int_equal(a->uncertain[0].loc.col, 23);
    /* The point values are the medians, in the figures a plain run uses. */
    const qr_kind_figures *srv = &a->kinds[QR_COMP_SERVER];
    assert_true(fabs(srv->failure.mean - sqrt(3 * MO * 3 * Y)) < 1e-6);
    assert_int_equal(srv->failure.kind, QR_DIST_EXPONENTIAL);
    assert_true(fabs(srv->repair.mean - 4 * H) < 1e-9);
    assert_true(fabs(srv->patch.reboot - 15 * MIN) < 1e-6);
    assert_true(fabs(srv->patch.every - 30 * 86400.0) < 1e-9);
    const qr_kind_figures *site = &a->kinds[QR_COMP_SITE];
    assert_true(fabs(site->failure.mean - 10 * Y) < 1e-3);
    assert_int_equal(site->failure.kind, QR_DIST_WEIBULL);
    assert_true(fabs(a->setting[QR_SET_QUORUM_RESET_AFTER] - sqrt(2 * MIN * 2 * H)) < 1e-9);
    assert_true(qr_assumptions_gives(a, qr_assumption_item_find("operations.quorum_reset.after")));
    qr_assumptions_free(a);
}

/* The listing of every report: the point value, rounded, and the range. */
static void test_uncertain_listed_with_point_value(void **state)
{
    (void)state;
    qr_assumptions *a = assume_ok(every_kind);
    qr_diags d;
    qr_topology *t = NULL;
    const char *design = "sites: [ { name: dc1 } ]\n"
                         "servers: [ { name: s1, site: dc1 } ]\n"
                         "pool: { version: sfb2015, frontends: [s1], backend: { standalone: s1 }, "
                         "file_store: { share: s1 } }\n";
    assert_int_equal(qr_diags_init(&d, "d.yaml"), 0);
    assert_int_equal(qr_topology_load_buffer("d.yaml", design, strlen(design), &t, &d), 0);
    qr_diags_release(&d);
    qr_assumptions_apply(t, a);
    qr_assumption_list l;
    assert_int_equal(qr_assumption_list_make(t, a, false, &l), 0);
    const qr_assumption_row *r = &l.rows[qr_assumption_item_find("server.mtbf")];
    assert_string_equal(r->value, "10.4mo");
    assert_string_equal(r->uncertain, "log-uniform 3mo to 3y");
    assert_string_equal(r->source, "assumption: quarterly to once in three years");
    r = &l.rows[qr_assumption_item_find("server.patch")];
    assert_string_equal(r->value, "every 30d, reboot 15m");
    assert_string_equal(r->uncertain, "reboot: log-uniform 5m to 45m");
    r = &l.rows[qr_assumption_item_find("operations.quorum_reset.after")];
    assert_string_equal(r->value, "15.5m");
    r = &l.rows[qr_assumption_item_find("host.mtbf")];
    assert_string_equal(r->value, "2y");
    assert_string_equal(r->uncertain, "");
    qr_assumption_list_release(&l);
    /* A drawn value, applied again, is what the design runs with. */
    assert_true(fabs(t->comps[qr_topology_find(t, "s1")].failure.mean - sqrt(3 * MO * 3 * Y)) <
                1e-6);
    qr_assumptions_set_uncertain(a, 1, 2 * Y);
    qr_assumptions_set_uncertain(a, 4, 5 * MIN);
    qr_assumptions_apply(t, a);
    assert_true(t->comps[qr_topology_find(t, "s1")].failure.mean == 2 * Y);
    assert_true(t->params.quorum_reset_after == 5 * MIN);
    assert_int_equal(a->n_uncertain, 5);
    qr_topology_free(t);
    qr_assumptions_free(a);
}

static void test_uncertain_bad_ranges(void **state)
{
    (void)state;
    char *e = assume_errors(
        "server: { mtbf: { low: 3y, high: 3mo }, mttr: { median: 4h, error_factor: 1 } }\n"
        "host: { mtbf: { low: 1y }, mttr: { low: 1h, median: 2h } }\n"
        "site: { mtbf: { low: never, high: 3y }, mttr: { median: 4h, error_factr: 3 } }\n"
        "fabric: { graceful_leave_adjusts_votes: { low: 1m, high: 2m }, restart_time: { low: 1, "
        "high: 2h } }\n"
        "link: { mttr: { median: 4h, error_factor: 101 } }\n"
        "storage: { mtbf: { low: [1y], high: 2y } }\n");
    assert_string_equal(
        e,
        "1:34 P004 'high' (3mo) must be greater than 'low' (3y) in the uncertain value of "
        "'server.mtbf'\n"
        "1:75 P004 'error_factor' must be greater than 1 and at most 100, got 1 (1 would be no "
        "uncertainty: give the value itself)\n"
        "2:15 P005 missing required key 'high' in the uncertain value of 'host.mtbf'\n"
        "2:34 P004 give 'low' and 'high' (log-uniform) or 'median' and 'error_factor' "
        "(lognormal) for 'host.mttr', not both\n"
        "3:22 P004 'low' of an uncertain value must be a finite duration, not 'never'\n"
        "3:47 P005 missing required key 'error_factor' in the uncertain value of 'site.mttr'\n"
        "3:61 P002 unknown key 'error_factr' in the uncertain value of 'site.mttr' (did you "
        "mean 'error_factor'?)\n"
        "4:41 P003 expected true or false for 'graceful_leave_adjusts_votes', got a mapping\n"
        "4:85 P004 expected a duration with a unit such as '15m' or '4h', got '1'\n"
        "5:43 P004 'error_factor' must be greater than 1 and at most 100, got 101 (1 would be no "
        "uncertainty: give the value itself)\n"
        "6:25 P003 expected a single value for 'low', got a sequence\n");
    free(e);
}

/* In an assumptions file, the parts that take no range say so (not that
 * ranges belong in an assumptions file, which this is): a latent fault's
 * scheduled change `at` (a date, not an assumption). */
static void test_uncertain_refused_for_a_latent_date(void **state)
{
    (void)state;
    char *e = assume_errors("latent_faults:\n"
                            "  - { name: f, members: frontends, at: { low: 1y, high: 10y }, "
                            "breaks: [presence] }\n");
    assert_string_equal(e, "2:40 P004 'at' cannot be an uncertain value: of a latent fault "
                           "only 'every' and 'fix' can (docs/sensitivity.md)\n");
    free(e);
}

/* Common-cause factors and latent-fault durations as ranges
 * (docs/sensitivity.md): their names, targets, point values in the groups
 * and faults a plain run uses, and a drawn value set into them. */
static const char ccf_latent[] =
    "latent_faults:\n"                                                              /* 1 */
    "  - { name: cert, members: frontends, every: { low: 1y, high: 10y },\n"        /* 2 */
    "      breaks: [presence], fix: { median: 4h, error_factor: 3 } }\n"            /* 3 */
    "common_cause:\n"                                                               /* 4 */
    "  - { name: fe, members: frontends, beta: { low: 1%, high: 10% } }\n"          /* 5 */
    "  - { name: be, members: backend, model: mgl, beta: 5%,\n"                     /* 6 */
    "      gamma: { low: 0.2, high: 0.8 } }\n"                                      /* 7 */
    "  - { name: al, members: frontends, model: alpha-factor,\n"                    /* 8 */
    "      alpha: [95%, { low: 1%, high: 4% }, 2%] }\n";                            /* 9 */

static void test_uncertain_ccf_and_latent(void **state)
{
    (void)state;
    qr_assumptions *a = assume_ok(ccf_latent);
    assert_int_equal(a->n_uncertain, 5);
    const char *keys[] = { "latent_faults.cert.every", "latent_faults.cert.fix",
                           "common_cause.fe.beta", "common_cause.be.gamma",
                           "common_cause.al.alpha_2" };
    const qr_uncertain_target targets[] = { QR_UNC_TARGET_LATENT, QR_UNC_TARGET_LATENT,
                                            QR_UNC_TARGET_CCF, QR_UNC_TARGET_CCF,
                                            QR_UNC_TARGET_CCF };
    const int index[] = { 0, 0, 0, 1, 2 }, field[] = { QR_UNC_LATENT_EVERY, QR_UNC_LATENT_FIX,
                                                        0, 1, 1 };
    for (int i = 0; i < 5; i++) {
        const qr_uncertain *u = &a->uncertain[i];
        assert_string_equal(u->key, keys[i]);
        assert_int_equal(u->target, targets[i]);
        assert_int_equal(u->index, index[i]);
        assert_int_equal(u->field, field[i]);
        assert_int_equal(u->item, -1);
        assert_int_equal(u->fraction, i >= 2);
    }
    assert_int_equal(a->uncertain[2].loc.line, 5);
    assert_int_equal(a->uncertain[2].loc.col, 43);
    /* Point values, the medians, where a plain run reads them. */
    assert_true(fabs(a->latent[0].every - sqrt(1 * Y * 10 * Y)) < 1e-3);
    assert_true(fabs(a->latent[0].fix - 4 * H) < 1e-9);
    assert_true(fabs(a->ccf[0].factor[0] - sqrt(0.01 * 0.1)) < 1e-15);
    assert_true(fabs(a->ccf[1].factor[0] - 0.05) < 1e-15);
    assert_true(fabs(a->ccf[1].factor[1] - 0.4) < 1e-15);
    assert_true(fabs(a->ccf[2].factor[1] - 0.02) < 1e-15);
    assert_true(fabs(a->ccf[2].factor[2] - 0.02) < 1e-15);
    /* Words and units. */
    char buf[96];
    assert_string_equal(qr_uncertain_text(&a->uncertain[2], buf, sizeof(buf)),
                        "log-uniform 1% to 10%");
    assert_string_equal(qr_uncertain_value_text(&a->uncertain[2], 0.0316227766, buf, sizeof(buf)),
                        "3.16%");
    assert_string_equal(qr_uncertain_unit(&a->uncertain[2]), "fraction");
    assert_string_equal(qr_uncertain_unit(&a->uncertain[0]), "seconds");
    assert_string_equal(qr_uncertain_text(&a->uncertain[0], buf, sizeof(buf)),
                        "log-uniform 1y to 10y");
    /* A drawn value goes to its group's factor or its fault's duration, and
     * nowhere else. */
    qr_assumptions_set_uncertain(a, 3, 0.7);
    assert_true(a->ccf[1].factor[1] == 0.7);
    assert_true(fabs(a->ccf[1].factor[0] - 0.05) < 1e-15);
    qr_assumptions_set_uncertain(a, 4, 0.03);
    assert_true(a->ccf[2].factor[1] == 0.03);
    qr_assumptions_set_uncertain(a, 0, 2 * Y);
    assert_true(a->latent[0].every == 2 * Y);
    assert_true(fabs(a->latent[0].fix - 4 * H) < 1e-9);
    qr_assumptions_set_uncertain(a, 1, 9 * H);
    assert_true(a->latent[0].fix == 9 * H);
    qr_assumptions_free(a);
}

/* Bad ranges of factors and latent durations: file:line:col, every one. */
static void test_uncertain_ccf_and_latent_bad(void **state)
{
    (void)state;
    char *e = assume_errors(
        "common_cause:\n"
        "  - { name: a, members: frontends, beta: { median: 5%, error_factor: 3 } }\n"
        "  - { name: b, members: backend, beta: { low: 0, high: 10% } }\n"
        "  - { name: c, members: frontends, beta: { low: 20%, high: 10% } }\n"
        "  - { name: d, members: frontends, beta: { low: 1%, high: 1 } }\n"
        "latent_faults:\n"
        "  - { name: f, members: frontends, every: { low: 1y, high: never }, breaks: [presence] }\n");
    assert_string_equal(
        e,
        "2:42 P004 the uncertain value of common-cause factor 'common_cause.a.beta' is { low, "
        "high } (log-uniform within 0 to 100%): a lognormal ({ median, error_factor }) has no "
        "upper bound\n"
        "3:47 P004 'low' of the uncertain value of 'common_cause.b.beta' must be a fraction "
        "between 0 and 1 (0% and 100%), both excluded, got '0'\n"
        "4:60 P004 'high' (10%) must be greater than 'low' (20%) in the uncertain value of "
        "'common_cause.c.beta'\n"
        "5:59 P004 'high' of the uncertain value of 'common_cause.d.beta' must be a fraction "
        "between 0 and 1 (0% and 100%), both excluded, got '1'\n"
        "7:60 P004 'high' of an uncertain value must be a finite duration, not 'never'\n");
    free(e);
}

/* A design states no ranges: they belong to the assumptions file. */
static void test_uncertain_refused_in_a_topology(void **state)
{
    (void)state;
    const char *design = "defaults: { server: { mtbf: { low: 3mo, high: 3y } } }\n"
                         "pool: { version: sfb2015, frontends: [s1], backend: { standalone: s1 }, "
                         "file_store: { share: s1 } }\n"
                         "servers: [ { name: s1, mttr: { median: 4h, error_factor: 3 } } ]\n";
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, "d.yaml"), 0);
    assert_int_equal(qr_topology_load_buffer("d.yaml", design, strlen(design), &t, &d), 1);
    assert_null(t);
    assert_int_equal(d.n, 2);
    assert_int_equal(d.items[0].loc.line, 1);
    assert_int_equal(d.items[0].loc.col, 29);
    assert_string_equal(d.items[0].rule, "P004");
    assert_string_equal(d.items[0].message,
                        "an uncertain value ({ low, high } or { median, error_factor }) for "
                        "'mtbf' is allowed only in an assumptions file (--assume; "
                        "docs/sensitivity.md)");
    assert_int_equal(d.items[1].loc.line, 3);
    qr_diags_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uncertain_normal_quantile_inverts_erfc),
        cmocka_unit_test(test_uncertain_quantiles_and_point),
        cmocka_unit_test(test_uncertain_duration_text),
        cmocka_unit_test(test_uncertain_file_every_kind),
        cmocka_unit_test(test_uncertain_listed_with_point_value),
        cmocka_unit_test(test_uncertain_bad_ranges),
        cmocka_unit_test(test_uncertain_refused_in_a_topology),
        cmocka_unit_test(test_uncertain_refused_for_a_latent_date),
        cmocka_unit_test(test_uncertain_ccf_and_latent),
        cmocka_unit_test(test_uncertain_ccf_and_latent_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
