/*
 * test_latent.c: latent faults (M7.3), the health audit (M7.4) and
 * verification after a patch reboot (M7.5): the loader's keys and errors,
 * then scripted runs (random failures off) checked against hand
 * calculations: a fault shown at a start breaks exactly `fix` of time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/assumptions.h"
#include "model/loader.h"
#include "sim_script.h"

/* Three front ends and a standalone SQL server that also holds the share. */
#define BASE                                                                                    \
    "sites: [ { name: dc1 } ]\n"                                                                \
    "hosts: [ { name: h1, site: dc1 } ]\n"                                                      \
    "servers: [ { name: fe1, site: dc1 }, { name: fe2, site: dc1 }, { name: fe3, host: h1 },\n" \
    "           { name: sql1, site: dc1 } ]\n"                                                  \
    "pool:\n"                                                                                   \
    "  version: sfb2015\n"                                                                      \
    "  frontends: [fe1, fe2, fe3]\n"                                                            \
    "  backend: { standalone: sql1 }\n"                                                         \
    "  file_store: { share: sql1 }\n"

static qr_topology *load(const char *text)
{
    qr_topology *t = NULL;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "latent.yaml"), 0);
    int rc = qr_topology_load_buffer("latent.yaml", text, strlen(text), &t, &d);
    for (size_t i = 0; rc != 0 && i < d.n; i++)
        print_message("%d:%d: %s\n", d.items[i].loc.line, d.items[i].loc.col,
                      d.items[i].message);
    qr_diags_release(&d);
    assert_int_equal(rc, 0);
    return t;
}

/* The first error of text at line:col with `words` in its message. */
static void expect_error(const char *text, int line, int col, const char *words)
{
    qr_topology *t = NULL;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "bad.yaml"), 0);
    assert_int_equal(qr_topology_load_buffer("bad.yaml", text, strlen(text), &t, &d), 1);
    assert_null(t);
    bool found = false;
    if (getenv("LATENT_DEBUG"))
        for (size_t i = 0; i < d.n; i++)
            print_message("%d:%d: %s\n", d.items[i].loc.line, d.items[i].loc.col,
                          d.items[i].message);
    for (size_t i = 0; i < d.n; i++)
        if (d.items[i].loc.line == line && d.items[i].loc.col == col &&
            strstr(d.items[i].message, words))
            found = true;
    if (!found)
        for (size_t i = 0; i < d.n; i++)
            print_message("%d:%d: %s\n", d.items[i].loc.line, d.items[i].loc.col,
                          d.items[i].message);
    assert_true(found);
    qr_diags_release(&d);
}

static int feature(const qr_topology *t, const char *name)
{
    int f = qr_topology_find_feature(t, name);
    assert_true(f >= 0);
    return f;
}

/* Groups whose first replica is on front end fe (all front ends up, r = 3:
 * every front end holds a replica of every group, so nothing moves). */
static double primary_share(sim_engine *e, int fe)
{
    sim_status s;
    sim_engine_status(e, &s);
    int groups = s.groups_writable + s.groups_limited + s.groups_down, n = 0;
    for (int g = 0; g < groups; g++)
        n += sim_engine_group_replica(e, g, 0) == fe;
    return (double)n / groups;
}

static void run_out(sim_engine *e, const qr_topology *t, sim_rep *r)
{
    assert_int_equal(sim_rep_init(r, t->n_features), 0);
    assert_int_equal(sim_engine_finish(e, r), 0);
}

/* ---- the format ---- */

static void test_latent_loader_reads_every_key(void **state)
{
    (void)state;
    qr_topology *t = load(BASE "operations: { health_audit: { every: 30d } }\n"
                               "patching: { verify_after_reboot: true }\n"
                               "latent_faults:\n"
                               "  - name: subca-in-root\n"
                               "    members: [fe1, fe2, fe3]\n"
                               "    every: 2y\n"
                               "    breaks: [presence, conferencing, address_book]\n"
                               "    fix: 2h\n"
                               "  - { name: cls, members: [sql1], at: 30d, common: false, "
                               "breaks: server }\n");
    assert_int_equal(t->n_latent, 2);
    const qr_latent_fault *a = &t->latent[0], *b = &t->latent[1];
    assert_string_equal(a->name, "subca-in-root");
    assert_int_equal(a->n_members, 3);
    assert_int_equal(a->members[2], qr_topology_find(t, "fe3"));
    assert_true(a->common);
    assert_float_equal(a->every, 2 * 365.25 * T_DAY, 1e-6);
    assert_true(a->at < 0);
    assert_false(a->breaks_server);
    assert_int_equal(a->n_features, 3);
    assert_int_equal(a->features[1], feature(t, "conferencing"));
    assert_float_equal(a->fix, 2 * T_HOUR, 1e-9);
    assert_true(isinf(b->every));
    assert_float_equal(b->at, 30 * T_DAY, 1e-9);
    assert_false(b->common);
    assert_true(b->breaks_server);
    assert_float_equal(b->fix, QR_LATENT_FIX_DEFAULT, 1e-9);
    assert_float_equal(t->latent_practice.health_audit_every, 30 * T_DAY, 1e-9);
    assert_true(t->latent_practice.verify_after_reboot);
    qr_topology_free(t);
    /* Defaults: no audit, no verification, no latent fault. */
    t = load(BASE);
    assert_int_equal(t->n_latent, 0);
    assert_true(isinf(t->latent_practice.health_audit_every));
    assert_false(t->latent_practice.verify_after_reboot);
    qr_topology_free(t);
}

static void test_latent_loader_errors_have_places(void **state)
{
    (void)state;
    /* BASE is 9 lines; `latent_faults:` is line 10, its first entry 11. */
    expect_error(BASE "latent_faults:\n  - { name: x, members: [fe1], at: 1d, breaks: [presense] }\n",
                 11, 49, "no feature");
    expect_error(BASE "latent_faults:\n  - { name: x, members: [sql1], at: 1d, breaks: [presence] }\n",
                 11, 26, "is no front end");
    expect_error(BASE "latent_faults:\n  - { name: x, members: [fe1], breaks: server }\n", 11, 5,
                 "neither 'every'");
    expect_error(BASE "latent_faults:\n  - { name: x, members: [fe1], at: 1d, breaks: disk }\n", 11,
                 48, "'breaks' is 'server'");
    expect_error(BASE "latent_faults:\n  - { name: x, members: [fe9], at: 1d, breaks: server }\n",
                 11, 26, "fe9");
    expect_error(BASE "latent_faults:\n  - { name: x, members: [fe1], at: 1d, breaks: server, "
                      "fixx: 1h }\n",
                 11, 56, "fixx");
    expect_error(BASE "latent_faults:\n  - { name: x, members: [fe1], at: 1d, breaks: server }\n"
                      "  - { name: x, members: [fe2], at: 1d, breaks: server }\n",
                 12, 5, "declared twice");
    expect_error(BASE "patching: { verify_after_reboot: maybe }\n", 10, 34, "");
}

/* An assumptions file gives latent faults by role; every design gets its
 * own copy, once however often the file is applied (sensitivity). */
static void test_latent_assumptions_by_role(void **state)
{
    (void)state;
    static const char *const text =
        "patching: { verify_after_reboot: true }\n"
        "operations: { health_audit: { every: 90d } }\n"
        "latent_faults:\n"
        "  - { name: subca, members: frontends, every: 3y, breaks: [presence] }\n"
        "  - { name: update, members: servers, every: 5y, breaks: server, fix: 8h }\n";
    qr_assumptions *a = NULL;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "a.yaml"), 0);
    assert_int_equal(qr_assumptions_load_buffer("a.yaml", text, strlen(text), &a, &d), 0);
    qr_diags_release(&d);
    qr_topology *t = load(BASE);
    assert_int_equal(qr_assumptions_apply(t, a), 0);
    assert_int_equal(qr_assumptions_apply(t, a), 0);
    assert_int_equal(t->n_latent, 2);
    assert_int_equal(t->latent[0].n_members, 3);          /* the front ends */
    assert_int_equal(t->latent[1].n_members, 4);          /* and sql1       */
    assert_true(t->latent_practice.verify_after_reboot);
    assert_float_equal(t->latent_practice.health_audit_every, 90 * T_DAY, 1e-9);
    assert_int_equal(t->setting_given[QR_SET_VERIFY_AFTER_REBOOT].from, QR_FROM_ASSUMPTIONS);
    qr_topology_free(t);
    qr_assumptions_free(a);
    /* Servers are named only in a topology. */
    static const char *const bad = "latent_faults:\n"
                                   "  - { name: s, members: [fe1], at: 1d, breaks: server }\n";
    assert_int_equal(qr_diags_init(&d, "b.yaml"), 0);
    assert_int_equal(qr_assumptions_load_buffer("b.yaml", bad, strlen(bad), &a, &d), 1);
    assert_true(d.n >= 1 && d.items[0].loc.line == 2 && d.items[0].loc.col == 25);
    assert_non_null(strstr(d.items[0].message, "is a role"));
    qr_diags_release(&d);
}

/* ---- the behaviour ---- */

/* M7.3: a fault that lands at 1d changes nothing while fe1 runs; it shows
 * at fe1's start after a reboot at 1d + 5h and breaks the features for the
 * users fe1 serves, for exactly `fix` (2h): downtime = share * 2h, all of
 * it the latent fault's. */
static void test_latent_m7_3_shown_at_reboot(void **state)
{
    (void)state;
    qr_topology *t = load(BASE "latent_faults:\n"
                               "  - { name: subca, members: [fe1], at: 1d, fix: 2h,\n"
                               "      breaks: [presence, conferencing, address_book] }\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int fe1 = qr_topology_find(t, "fe1"), pres = feature(t, "presence"),
        ab = feature(t, "address_book"), im = feature(t, "signin_im");
    double share = primary_share(e, 0);
    assert_true(share > 0.2 && share < 0.5);
    sim_engine_run(e, 1 * T_DAY + 1);
    assert_int_equal(sim_engine_latent(e, 0, fe1), SIM_LATENT_HIDDEN);
    assert_float_equal(sim_engine_feature(e, pres), 1.0, 0);
    assert_int_equal(ts_do(e, T_DAY + 5 * T_HOUR, SIM_ACT_SHUTDOWN, fe1), 0);
    sim_engine_run(e, T_DAY + 5 * T_HOUR + 15 * T_MIN - 1);
    assert_int_equal(sim_engine_latent(e, 0, fe1), SIM_LATENT_HIDDEN); /* down, not started */
    assert_int_equal(ts_do(e, T_DAY + 5 * T_HOUR + 15 * T_MIN, SIM_ACT_START, fe1), 0);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    assert_int_equal(sim_engine_latent(e, 0, fe1), SIM_LATENT_SHOWN);
    assert_float_equal(sim_engine_feature(e, pres), 1.0 - share, 1e-12);
    assert_float_equal(sim_engine_feature(e, ab), 1.0 - share, 1e-12);
    assert_float_equal(sim_engine_feature(e, im), 1.0, 0); /* sign-in and IM work */
    sim_engine_run(e, T_DAY + 7 * T_HOUR + 15 * T_MIN - 1);
    assert_int_equal(sim_engine_latent(e, 0, fe1), SIM_LATENT_SHOWN);
    sim_engine_run(e, T_DAY + 7 * T_HOUR + 15 * T_MIN);
    assert_int_equal(sim_engine_latent(e, 0, fe1), SIM_LATENT_NONE);
    assert_float_equal(sim_engine_feature(e, pres), 1.0, 0);
    sim_rep r;
    run_out(e, t, &r);
    assert_float_equal(r.f[ab].down_time, share * 2 * T_HOUR, 1e-6);
    assert_float_equal(sim_rep_cause(&r, ab, SIM_DC_LATENT), share * 2 * T_HOUR, 1e-6);
    assert_float_equal(sim_rep_start(&r, ab, SIM_DS_LATENT), share * 2 * T_HOUR, 1e-6);
    assert_float_equal(r.f[im].down_time, 0, 0);
    sim_latent_counts n;
    sim_engine_latent_counts(e, &n);
    assert_int_equal(n.shown, 1);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.3 with four front ends: fe1, back from a reboot, holds no replica
 * (M2.3 moved them away) and shows a fault that breaks presence for the
 * users it serves: none, so presence is up. fe2's graceful leave then
 * moves replicas onto fe1, which becomes the first running replica of
 * some groups: presence drops to v although nothing the pool counts
 * (groups writable, pool, Back End) changed. The measures must see it:
 * presence's downtime is (1 - v) from fe2's leave to the fix, v read from
 * the state at that time. */
static void test_latent_m7_3_follows_the_replicas(void **state)
{
    (void)state;
    qr_topology *t = load("sites: [ { name: dc1 } ]\n"
                          "servers: [ { name: fe1, site: dc1 }, { name: fe2, site: dc1 },\n"
                          "           { name: fe3, site: dc1 }, { name: fe4, site: dc1 },\n"
                          "           { name: sql1, site: dc1 } ]\n"
                          "pool:\n"
                          "  version: sfb2015\n"
                          "  frontends: [fe1, fe2, fe3, fe4]\n"
                          "  backend: { standalone: sql1 }\n"
                          "  file_store: { share: sql1 }\n"
                          "latent_faults:\n"
                          "  - { name: subca, members: [fe1], at: 1d, fix: 10h,\n"
                          "      breaks: [presence] }\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int fe1 = qr_topology_find(t, "fe1"), fe2 = qr_topology_find(t, "fe2");
    int pres = feature(t, "presence");
    double t_start = T_DAY + 1 * T_HOUR + 15 * T_MIN, t_leave = T_DAY + 2 * T_HOUR;
    assert_int_equal(ts_do(e, T_DAY + 1 * T_HOUR, SIM_ACT_SHUTDOWN, fe1), 0);
    assert_int_equal(ts_do(e, t_start, SIM_ACT_START, fe1), 0);
    assert_int_equal(sim_engine_latent(e, 0, fe1), SIM_LATENT_SHOWN);
    assert_float_equal(primary_share(e, 0), 0.0, 0);
    assert_float_equal(sim_engine_feature(e, pres), 1.0, 0);
    assert_int_equal(ts_do(e, t_leave, SIM_ACT_SHUTDOWN, fe2), 0);
    double v = sim_engine_feature(e, pres);
    sim_status s;
    sim_engine_status(e, &s);
    assert_int_equal(s.groups_limited + s.groups_down, 0); /* every group writable */
    /* v by hand: the groups whose first replica on a running front end
     * (all but fe2, index 1) is fe1 (index 0) lose presence. */
    int served = 0;
    for (int g = 0; g < s.groups_writable; g++)
        for (int j = 0; j < 3; j++) {
            int fe = sim_engine_group_replica(e, g, j);
            if (fe == 1)
                continue;
            served += fe == 0;
            break;
        }
    assert_true(served > 0);
    assert_float_equal(v, 1.0 - (double)served / s.groups_writable, 1e-12);
    sim_engine_run(e, t_start + 10 * T_HOUR);
    assert_int_equal(sim_engine_latent(e, 0, fe1), SIM_LATENT_NONE);
    assert_float_equal(sim_engine_feature(e, pres), 1.0, 0);
    sim_rep r;
    run_out(e, t, &r);
    assert_float_equal(r.f[pres].down_time, (1.0 - v) * (t_start + 10 * T_HOUR - t_leave), 1e-6);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.3, `breaks: server`: the Back End's server, rebooted at 2d after the
 * fault landed at 1d, does not come back; it starts when fixed 3h later.
 * persistent_changes (needs the Back End) loses the 15m reboot plus the 3h
 * fix, the 3h the latent fault's. A crash's repair shows it the same way. */
static void test_latent_m7_3_server_does_not_start(void **state)
{
    (void)state;
    qr_topology *t = load(BASE "latent_faults:\n"
                               "  - { name: net452, members: [sql1], at: 1d, fix: 3h, "
                               "breaks: server }\n"
                               "  - { name: cls, members: [fe1], at: 1d, fix: 1h, "
                               "breaks: server }\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int sql = qr_topology_find(t, "sql1"), fe1 = qr_topology_find(t, "fe1");
    int pc = feature(t, "persistent_changes");
    assert_int_equal(ts_do(e, 2 * T_DAY, SIM_ACT_SHUTDOWN, sql), 0);
    assert_int_equal(ts_do(e, 2 * T_DAY + 15 * T_MIN, SIM_ACT_START, sql), 0);
    assert_int_equal(sim_engine_comp_state(e, sql), SIM_DOWN_GRACEFUL);
    assert_int_equal(sim_engine_latent(e, 0, sql), SIM_LATENT_SHOWN);
    /* A start while it is held changes nothing. */
    assert_int_equal(ts_do(e, 2 * T_DAY + T_HOUR, SIM_ACT_START, sql), 0);
    assert_int_equal(sim_engine_comp_state(e, sql), SIM_DOWN_GRACEFUL);
    sim_engine_run(e, 2 * T_DAY + 3 * T_HOUR + 15 * T_MIN);
    assert_int_equal(sim_engine_comp_state(e, sql), SIM_UP);
    /* fe1 crashes and is repaired: the repair is a start, the fault shows. */
    assert_int_equal(ts_do(e, 3 * T_DAY, SIM_ACT_CRASH, fe1), 0);
    assert_int_equal(ts_do(e, 3 * T_DAY + T_HOUR, SIM_ACT_REPAIR, fe1), 0);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_UNEXPECTED);
    sim_engine_run(e, 3 * T_DAY + 2 * T_HOUR);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    sim_rep r;
    run_out(e, t, &r);
    assert_float_equal(r.f[pc].down_time, 15 * T_MIN + 3 * T_HOUR, 1e-6);
    assert_float_equal(sim_rep_cause(&r, pc, SIM_DC_LATENT), 3 * T_HOUR, 1e-6);
    assert_float_equal(sim_rep_cause(&r, pc, SIM_DC_BE_DOWN), 15 * T_MIN, 1e-6);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.3: fe3's host fails and comes back: fe3 starts with it and shows the
 * fault (features: at once; a whole-server fault: it stops at once). */
static void test_latent_m7_3_shown_when_host_returns(void **state)
{
    (void)state;
    qr_topology *t = load(BASE "latent_faults:\n"
                               "  - { name: f, members: [fe3], at: 1d, fix: 1h, breaks: server }\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int h1 = qr_topology_find(t, "h1"), fe3 = qr_topology_find(t, "fe3");
    assert_int_equal(ts_do(e, 2 * T_DAY, SIM_ACT_CRASH, h1), 0);
    assert_int_equal(ts_do(e, 2 * T_DAY + T_HOUR, SIM_ACT_REPAIR, h1), 0);
    assert_int_equal(sim_engine_comp_state(e, fe3), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_latent(e, 0, fe3), SIM_LATENT_SHOWN);
    sim_engine_run(e, 2 * T_DAY + 2 * T_HOUR);
    assert_int_equal(sim_engine_comp_state(e, fe3), SIM_UP);
    assert_int_equal(sim_engine_latent(e, 0, fe3), SIM_LATENT_NONE);
    sim_engine_free(e);
    qr_topology_free(t);
}

#define SUBCA                                                                                   \
    "latent_faults:\n"                                                                          \
    "  - { name: subca, members: [fe1, fe2, fe3], at: 1d, fix: 2h,\n"                           \
    "      breaks: [presence, conferencing, address_book] }\n"

/* M7.3 + M7.1, no verification: a common fault over a patch night at 2d.
 * Each front end shows it at its own start (fe1 at +15m, fe2 at +50m, fe3
 * at +85m: reboot 15m, gap 20m): once fe3 is back every group is served by
 * a broken front end and the pool has lost the features. */
static void test_latent_m7_3_common_fault_patch_night_unverified(void **state)
{
    (void)state;
    qr_topology *t = load(BASE SUBCA);
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int pres = feature(t, "presence"), conf = feature(t, "conferencing");
    assert_int_equal(ts_do(e, 2 * T_DAY, SIM_ACT_PATCH_NIGHT, -1), 0);
    sim_engine_run(e, 2 * T_DAY + 15 * T_MIN);
    assert_int_equal(sim_engine_latent(e, 0, qr_topology_find(t, "fe1")), SIM_LATENT_SHOWN);
    assert_int_equal(sim_engine_latent(e, 0, qr_topology_find(t, "fe2")), SIM_LATENT_HIDDEN);
    sim_engine_run(e, 2 * T_DAY + 85 * T_MIN);
    for (int i = 0; i < 3; i++)
        assert_int_equal(sim_engine_latent(e, 0, t->pool.frontends[i]), SIM_LATENT_SHOWN);
    assert_float_equal(sim_engine_feature(e, pres), 0.0, 1e-12);
    assert_float_equal(sim_engine_feature(e, conf), 0.0, 1e-12);
    sim_status s;
    sim_engine_status(e, &s);
    assert_int_equal(s.patch_reboots, 3); /* sql1, a member too, is next */
    assert_true(s.pool_up);
    /* Fixed 2h after each showed: all back at 2d + 85m + 2h. */
    sim_engine_run(e, 2 * T_DAY + 85 * T_MIN + 2 * T_HOUR);
    assert_float_equal(sim_engine_feature(e, pres), 1.0, 0);
    sim_engine_status(e, &s);
    assert_int_equal(s.patch_reboots, 4);
    sim_latent_counts n;
    sim_engine_latent_counts(e, &n);
    assert_int_equal(n.shown, 3);
    assert_int_equal(n.nights_stopped, 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.5: the same night with verification stops after fe1: fe2 and fe3
 * keep the fault hidden until fe1 is fixed, when the common fault, now
 * diagnosed, is removed from them too (M7.3); the loss is fe1's users'
 * for exactly 2h. */
static void test_latent_m7_5_verified_night_stops_after_first(void **state)
{
    (void)state;
    qr_topology *t = load(BASE SUBCA "patching: { verify_after_reboot: true }\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int pres = feature(t, "presence");
    double share = primary_share(e, 0);
    assert_int_equal(ts_do(e, 2 * T_DAY, SIM_ACT_PATCH_NIGHT, -1), 0);
    sim_engine_run(e, 2 * T_DAY + 2 * T_HOUR + 15 * T_MIN - 1);
    assert_int_equal(sim_engine_latent(e, 0, qr_topology_find(t, "fe1")), SIM_LATENT_SHOWN);
    assert_int_equal(sim_engine_latent(e, 0, qr_topology_find(t, "fe2")), SIM_LATENT_HIDDEN);
    assert_int_equal(sim_engine_latent(e, 0, qr_topology_find(t, "fe3")), SIM_LATENT_HIDDEN);
    sim_engine_run(e, 2 * T_DAY + 2 * T_HOUR + 15 * T_MIN);
    assert_int_equal(sim_engine_latent(e, 0, qr_topology_find(t, "fe1")), SIM_LATENT_NONE);
    assert_int_equal(sim_engine_latent(e, 0, qr_topology_find(t, "fe2")), SIM_LATENT_NONE);
    assert_int_equal(sim_engine_latent(e, 0, qr_topology_find(t, "fe3")), SIM_LATENT_NONE);
    sim_status s;
    sim_engine_status(e, &s);
    assert_int_equal(s.patch_reboots, 1);
    sim_latent_counts n;
    sim_engine_latent_counts(e, &n);
    assert_int_equal(n.nights_stopped, 1);
    assert_int_equal(n.removed, 2);
    sim_rep r;
    run_out(e, t, &r);
    assert_float_equal(r.f[pres].down_time, share * 2 * T_HOUR, 1e-6);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.4: a health audit every 7 days finds the fault (landed at 1d) on
 * all three front ends before the patch night at 10d: nothing shows. */
static void test_latent_m7_4_health_audit_finds_it_first(void **state)
{
    (void)state;
    qr_topology *t = load(BASE SUBCA "operations: { health_audit: { every: 7d } }\n");
    sim_engine *e = ts_engine(t, true);
    assert_non_null(e);
    int pres = feature(t, "presence");
    assert_int_equal(ts_do(e, 10 * T_DAY, SIM_ACT_PATCH_NIGHT, -1), 0);
    sim_engine_run(e, 11 * T_DAY);
    sim_latent_counts n;
    sim_engine_latent_counts(e, &n);
    assert_int_equal(n.found_by_audit, 3);
    assert_int_equal(n.shown, 0);
    sim_rep r;
    run_out(e, t, &r);
    assert_float_equal(r.f[pres].down_time, 0, 0);
    sim_rep_release(&r);
    sim_engine_free(e);
    /* Without the audit the same night shows it. */
    t->latent_practice.health_audit_every = INFINITY;
    e = ts_engine(t, true);
    assert_int_equal(ts_do(e, 10 * T_DAY, SIM_ACT_PATCH_NIGHT, -1), 0);
    sim_engine_run(e, 11 * T_DAY);
    sim_engine_latent_counts(e, &n);
    assert_int_equal(n.shown, 3);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.3 at a rate: a per-server fault arrives on each member at its own
 * exponential times (mean 30d): over 20 years of monthly patch nights the
 * faults shown per member and year are about 365.25/30 (each shows at the
 * next night and lands again later); a common one lands on all at once. */
static void test_latent_m7_3_rate(void **state)
{
    (void)state;
    qr_topology *t = load(BASE "latent_faults:\n"
                               "  - { name: f, members: [fe1, fe2, fe3], every: 1y, "
                               "common: false, fix: 1h, breaks: [presence] }\n");
    sim_config c;
    sim_config_default(&c);
    c.horizon = 200 * T_YEAR;
    for (int i = 0; i < t->n_comps; i++)
        t->comps[i].failure.mean = INFINITY; /* only the faults and patching */
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    assert_non_null(e);
    assert_int_equal(sim_engine_begin(e, 5, 1), 0);
    sim_engine_run(e, c.horizon);
    sim_latent_counts n;
    sim_engine_latent_counts(e, &n);
    /* 3 members * 200 arrivals a member on average, each shown once (an
     * arrival while one is hidden is lost: about 30d/365d of them):
     * 600 * (1 - 15/365) = 575 expected, Poisson sd 24. */
    assert_true(n.shown > 575 - 5 * 24 && n.shown < 575 + 5 * 24);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.3-M7.5 at a rate, against a per-replication identity: a common fault
 * on the three front ends every 90 days, monthly patch nights verified
 * after each reboot, nothing else failing. Every arrival shows once, on the
 * first member rebooted (fe1, first in topology order), stops the night,
 * and is fixed 4h later and removed from the others: presence loses
 * exactly shown * 4h * share(fe1) (the last one may be cut by the horizon). */
static void test_latent_m7_5_verified_rate_identity(void **state)
{
    (void)state;
    qr_topology *t = load(BASE "patching: { verify_after_reboot: true }\n"
                               "latent_faults:\n"
                               "  - { name: f, members: [fe1, fe2, fe3], every: 90d, fix: 4h, "
                               "breaks: [presence] }\n");
    for (int i = 0; i < t->n_comps; i++)
        t->comps[i].failure.mean = INFINITY;
    sim_config c;
    sim_config_default(&c);
    c.horizon = 50 * T_YEAR;
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    assert_non_null(e);
    assert_int_equal(sim_engine_begin(e, 11, 2), 0);
    double share = primary_share(e, 0);
    sim_rep r;
    run_out(e, t, &r);
    sim_latent_counts n;
    sim_engine_latent_counts(e, &n);
    int pres = feature(t, "presence");
    /* about 50y / 90d = 203 arrivals, fewer shown (one hides the next) */
    assert_true(n.shown > 120 && n.shown < 260);
    assert_int_equal(n.nights_stopped, n.shown);
    assert_int_equal(n.removed, 2 * n.shown);
    double want = (double)n.shown * 4 * T_HOUR * share;
    assert_true(r.f[pres].down_time <= want + 1e-6);
    assert_true(r.f[pres].down_time >= want - 4 * T_HOUR * share - 1e-6);
    assert_float_equal(sim_rep_cause(&r, pres, SIM_DC_LATENT), r.f[pres].down_time, 1e-6);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M8: the counters reach the replication's measures and the summary per
 * year. The verified night of M7.5 (one fault shown, one night stopped)
 * and the audit of M7.4 (three hidden faults found), each over a horizon
 * of one year: the per-year means are those counts. */
static void test_latent_m8_counters_per_year(void **state)
{
    (void)state;
    qr_topology *t = load(BASE SUBCA "patching: { verify_after_reboot: true }\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    assert_int_equal(ts_do(e, 2 * T_DAY, SIM_ACT_PATCH_NIGHT, -1), 0);
    sim_rep r;
    run_out(e, t, &r);
    assert_int_equal(r.latent_shown, 1);
    assert_int_equal(r.latent_nights_stopped, 1);
    assert_int_equal(r.latent_found_by_audit, 0);
    sim_summary s;
    assert_int_equal(sim_summarize(&r, 1, &s), 0);
    assert_float_equal(s.latent_shown_year.mean, 1.0, 1e-12);
    assert_float_equal(s.latent_nights_stopped_year.mean, 1.0, 1e-12);
    assert_float_equal(s.latent_found_by_audit_year.mean, 0.0, 0);
    assert_float_equal(s.vm_ha_restarts_year.mean, 0.0, 0);
    sim_summary_release(&s);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);

    t = load(BASE SUBCA "operations: { health_audit: { every: 7d } }\n");
    e = ts_engine(t, true);
    assert_non_null(e);
    assert_int_equal(ts_do(e, 10 * T_DAY, SIM_ACT_PATCH_NIGHT, -1), 0);
    run_out(e, t, &r);
    assert_int_equal(r.latent_found_by_audit, 3);
    assert_int_equal(r.latent_shown, 0);
    assert_int_equal(r.latent_nights_stopped, 0);
    assert_int_equal(sim_summarize(&r, 1, &s), 0);
    assert_float_equal(s.latent_found_by_audit_year.mean, 3.0, 1e-12);
    sim_summary_release(&s);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_latent_loader_reads_every_key),
        cmocka_unit_test(test_latent_loader_errors_have_places),
        cmocka_unit_test(test_latent_assumptions_by_role),
        cmocka_unit_test(test_latent_m7_3_shown_at_reboot),
        cmocka_unit_test(test_latent_m7_3_follows_the_replicas),
        cmocka_unit_test(test_latent_m7_3_server_does_not_start),
        cmocka_unit_test(test_latent_m7_3_shown_when_host_returns),
        cmocka_unit_test(test_latent_m7_3_common_fault_patch_night_unverified),
        cmocka_unit_test(test_latent_m7_5_verified_night_stops_after_first),
        cmocka_unit_test(test_latent_m7_4_health_audit_finds_it_first),
        cmocka_unit_test(test_latent_m7_3_rate),
        cmocka_unit_test(test_latent_m7_5_verified_rate_identity),
        cmocka_unit_test(test_latent_m8_counters_per_year),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
