/*
 * test_pairing.c: the simulation of paired pools (sim/pairing.c, M10)
 * against hand calculations on scripted replications (random failures and
 * patching off): a pool lost for good gives its users exactly the
 * registrar failover interval without sign-in (M10.2), then resiliency
 * mode until the operator's decision plus the CMS and pool failover times
 * (M10.3, M10.4), then the failback (M10.5); the Backup Service's data at
 * risk (M10.1); a shared site failing alike in both pools' engines; the
 * pairing timings from an assumptions file (above the design's); the
 * pools' patch nights staggered by pairing.patch_offset or on the same
 * nights (M7.1); and the same summary for any thread count. Run from the
 * repository root.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/assumptions.h"
#include "model/diag.h"
#include "model/loader.h"
#include "model/topology.h"
#include "sim/pairing.h"

#define MIN 60.0

/* Two pools of three front ends, mirrored Back End and DFS, one in each
 * of dc1 and dc2; pool1 holds the CMS; equal users. */
static const char *paired_text =
    "name: paired\n"
    "sites: [ { name: dc1 }, { name: dc2 } ]\n"
    "links: [ { between: [dc1, dc2] } ]\n"
    "servers:\n"
    "  - { name: a1, site: dc1 }\n  - { name: a2, site: dc1 }\n  - { name: a3, site: dc1 }\n"
    "  - { name: as1, site: dc1 }\n  - { name: as2, site: dc1 }\n  - { name: aw, site: dc1 }\n"
    "  - { name: b1, site: dc2 }\n  - { name: b2, site: dc2 }\n  - { name: b3, site: dc2 }\n"
    "  - { name: bs1, site: dc2 }\n  - { name: bs2, site: dc2 }\n  - { name: bw, site: dc2 }\n"
    "pools:\n"
    "  - { name: pool1, paired_with: pool2, cms: true, version: sfb2015, users: 100,\n"
    "      frontends: [a1, a2, a3],\n"
    "      backend: { mirroring: { principal: as1, mirror: as2, witness: aw } },\n"
    "      file_store: { dfs: [as1, as2] } }\n"
    "  - { name: pool2, paired_with: pool1, version: sfb2015, users: 100,\n"
    "      frontends: [b1, b2, b3],\n"
    "      backend: { mirroring: { principal: bs1, mirror: bs2, witness: bw } },\n"
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

static sim_pairing *scripted(const qr_topology *t, double horizon, bool operator)
{
    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = horizon;
    cfg.random_failures = false;
    cfg.patching = false;
    cfg.operator_actions = operator;
    char err[256];
    sim_pairing *p = sim_pairing_new(t, &cfg, err, sizeof(err));
    if (!p)
        fail_msg("%s", err);
    assert_int_equal(sim_pairing_begin(p, 1, 0), 0);
    return p;
}

static int row(const qr_topology *t, const char *name)
{
    int k = qr_topology_find_feature(t, name);
    if (k < 0)
        fail_msg("no row %s", name);
    return k;
}

static void near(double got, double want)
{
    if (fabs(got - want) > 1e-6)
        fail_msg("got %.9g, want %.9g", got, want);
}

/* M10.2: dc1 lost at 1h for good, no operator: pool1's users have no
 * sign-in for exactly the registrar failover interval (300 s), then sign
 * in to pool2 in resiliency mode: sign-in/IM and p2p calls work, presence,
 * conferencing, address book and persistent changes do not, until the end
 * (2h). pool2's users lose nothing. */
static void test_m10_2_registrar_failover_300s(void **state)
{
    (void)state;
    qr_topology *t = load(paired_text);
    double H = 3600.0;
    sim_pairing *p = scripted(t, 2 * H, false);
    assert_int_equal(sim_pairing_schedule(p, H, SIM_ACT_CRASH, qr_topology_find(t, "dc1")), 0);
    assert_int_equal(sim_pairing_run(p, H + 299), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_WAIT);
    assert_true(sim_pairing_value(p, row(t, "pool1.signin_im")) == 0.0);
    assert_int_equal(sim_pairing_run(p, H + 300), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_RESILIENCY);
    assert_true(sim_pairing_value(p, row(t, "pool1.signin_im")) == 1.0);
    assert_true(sim_pairing_value(p, row(t, "pool1.presence")) == 0.0);
    assert_int_equal(sim_pairing_state(p, 1), SIM_DR_HOME);
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    double px[2 * SIM_PX_COUNT];
    assert_int_equal(sim_pairing_finish(p, &r, px), 0);
    near(r.f[row(t, "pool1.signin_im")].down_time, 300.0);
    near(r.f[row(t, "pool1.p2p_calls")].down_time, 300.0);
    near(r.f[row(t, "pool1.presence")].down_time, H);
    near(r.f[row(t, "pool1.address_book")].down_time, H);
    near(r.f[row(t, "pool2.signin_im")].down_time, 0.0);
    near(r.f[row(t, "pool2.presence")].down_time, 0.0);
    /* All users: equal halves. */
    near(r.f[row(t, "signin_im")].down_time, 150.0);
    near(r.f[row(t, "presence")].down_time, H / 2);
    assert_int_equal(r.f[row(t, "pool1.signin_im")].outages, 1);
    /* The causes sum to the downtime: 300 s waiting for the registrar. */
    near(r.cause[row(t, "pool1.signin_im") * SIM_DC_COUNT + SIM_DC_DR_REGISTRAR], 300.0);
    near(r.cause[row(t, "pool1.presence") * SIM_DC_COUNT + SIM_DC_DR_RESILIENCY], H - 300.0);
    near(r.start[row(t, "pool1.presence") * SIM_DS_COUNT + SIM_DS_SITE], H);
    near(px[SIM_PX_REGISTRAR], 1);
    near(px[SIM_PX_FAILOVERS], 0);
    near(px[SIM_PX_RESILIENCY], H - 300.0);
    sim_rep_release(&r);
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* A registrar failover interval of 120 s (the other default Microsoft
 * names) gives 120 s. */
static void test_m10_2_interval_is_the_parameter(void **state)
{
    (void)state;
    char *text = malloc(strlen(paired_text) + 64);
    assert_non_null(text);
    sprintf(text, "%spairing: { registrar_failover: 120s }\n", paired_text);
    qr_topology *t = load(text);
    free(text);
    sim_pairing *p = scripted(t, 3600, false);
    assert_int_equal(sim_pairing_schedule(p, 100, SIM_ACT_CRASH, qr_topology_find(t, "dc2")), 0);
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    assert_int_equal(sim_pairing_finish(p, &r, NULL), 0);
    near(r.f[row(t, "pool2.signin_im")].down_time, 120.0);
    near(r.f[row(t, "pool1.signin_im")].down_time, 0.0);
    sim_rep_release(&r);
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* M10.3, M10.4: with the operator, dc1 lost at 10 min: the decision comes
 * 30 min later, pool1 holds the CMS so its failover (5 min) comes first,
 * then the pool failover (20 min): full service from pool2 at 10 + 30 + 5
 * + 20 = 65 min. Presence of pool1's users: down 55 min. The CMS then
 * lives in pool2. */
static void test_m10_3_admin_failover_after_decision_and_rto(void **state)
{
    (void)state;
    qr_topology *t = load(paired_text);
    sim_pairing *p = scripted(t, 3 * 3600.0, true);
    assert_int_equal(sim_pairing_schedule(p, 10 * MIN, SIM_ACT_CRASH, qr_topology_find(t, "dc1")),
                     0);
    assert_int_equal(sim_pairing_run(p, 65 * MIN - 1), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_RESILIENCY);
    assert_int_equal(sim_pairing_cms_pool(p), 1); /* moved at the decision */
    assert_int_equal(sim_pairing_run(p, 65 * MIN), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_FAILED_OVER);
    assert_true(sim_pairing_value(p, row(t, "pool1.presence")) == 1.0);
    assert_true(sim_pairing_value(p, row(t, "pool1.persistent_changes")) == 1.0);
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    double px[2 * SIM_PX_COUNT];
    assert_int_equal(sim_pairing_finish(p, &r, px), 0);
    near(r.f[row(t, "pool1.presence")].down_time, 55 * MIN);
    near(r.f[row(t, "pool1.signin_im")].down_time, 5 * MIN);
    near(px[SIM_PX_FAILOVERS], 1);
    near(px[SIM_PX_CMS_FAILOVERS], 1);
    near(px[SIM_PX_FAILBACKS], 0); /* dc1 never back: no failback */
    sim_rep_release(&r);
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* M10.4: the pool that does not hold the CMS fails over in 20 min alone:
 * dc2 lost at 10 min, full service at 10 + 30 + 20 = 60 min. */
static void test_m10_4_cms_first_only_when_it_holds_it(void **state)
{
    (void)state;
    qr_topology *t = load(paired_text);
    sim_pairing *p = scripted(t, 2 * 3600.0, true);
    assert_int_equal(sim_pairing_schedule(p, 10 * MIN, SIM_ACT_CRASH, qr_topology_find(t, "dc2")),
                     0);
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    double px[2 * SIM_PX_COUNT];
    assert_int_equal(sim_pairing_finish(p, &r, px), 0);
    near(r.f[row(t, "pool2.presence")].down_time, 50 * MIN);
    near(px[SIM_PX_COUNT + SIM_PX_CMS_FAILOVERS], 0);
    near(px[SIM_PX_COUNT + SIM_PX_FAILOVERS], 1);
    assert_int_equal(sim_pairing_cms_pool(p), 0);
    sim_rep_release(&r);
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* M10.5: dc1 back at 2 h; its pool runs again once its front ends are up
 * and the fabric has restarted it (M1.6); the operator starts the failback
 * 30 min after that and it lasts 60 min in resiliency mode, then users are
 * home. Presence of pool1's users: 55 min (failover) + 60 min (failback). */
static void test_m10_5_failback(void **state)
{
    (void)state;
    qr_topology *t = load(paired_text);
    double H = 3600.0;
    sim_pairing *p = scripted(t, 8 * H, true);
    int dc1 = qr_topology_find(t, "dc1");
    assert_int_equal(sim_pairing_schedule(p, 10 * MIN, SIM_ACT_CRASH, dc1), 0);
    assert_int_equal(sim_pairing_schedule(p, 2 * H, SIM_ACT_REPAIR, dc1), 0);
    /* Step to the pool's return. */
    double back = -1;
    while (sim_pairing_step(p, 8 * H) == 1) {
        if (back < 0 && sim_pairing_now(p) >= 2 * H &&
            sim_engine_feature(sim_pairing_engine(p, 0), 6) >= 1.0)
            back = sim_pairing_now(p);
        if (back >= 0)
            break;
    }
    assert_true(back >= 2 * H);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_FAILED_OVER);
    assert_int_equal(sim_pairing_run(p, back + 30 * MIN), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_FAILBACK);
    assert_true(sim_pairing_value(p, row(t, "pool1.presence")) == 0.0);
    assert_true(sim_pairing_value(p, row(t, "pool1.p2p_calls")) == 1.0);
    assert_int_equal(sim_pairing_run(p, back + 90 * MIN - 1), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_FAILBACK);
    assert_int_equal(sim_pairing_run(p, back + 90 * MIN), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_HOME);
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    double px[2 * SIM_PX_COUNT];
    assert_int_equal(sim_pairing_finish(p, &r, px), 0);
    near(r.f[row(t, "pool1.presence")].down_time, 55 * MIN + 60 * MIN);
    near(r.cause[row(t, "pool1.presence") * SIM_DC_COUNT + SIM_DC_DR_FAILBACK], 60 * MIN);
    near(px[SIM_PX_FAILBACKS], 1);
    sim_rep_release(&r);
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* M10.1: every loss of a pool counts one data-loss-risk event; the changes
 * at risk are the replication lag (5 min) when the Backup Service was
 * replicating, plus the time since it last could: pool2 down from 100 s
 * (its site) stops pool1's replication, pool1 lost at 1000 s: 900 + 300 s
 * at risk. pool2's own loss at 100 s: 300 s. */
static void test_m10_1_rpo_data_loss_risk(void **state)
{
    (void)state;
    qr_topology *t = load(paired_text);
    sim_pairing *p = scripted(t, 3600.0, false);
    assert_int_equal(sim_pairing_schedule(p, 100, SIM_ACT_CRASH, qr_topology_find(t, "dc2")), 0);
    assert_int_equal(sim_pairing_schedule(p, 1000, SIM_ACT_CRASH, qr_topology_find(t, "dc1")), 0);
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    double px[2 * SIM_PX_COUNT];
    assert_int_equal(sim_pairing_finish(p, &r, px), 0);
    near(px[SIM_PX_DATA_LOSS_RISK], 1);
    near(px[SIM_PX_AT_RISK], 900 + 300);
    near(px[SIM_PX_COUNT + SIM_PX_DATA_LOSS_RISK], 1);
    near(px[SIM_PX_COUNT + SIM_PX_AT_RISK], 300);
    /* Both pools down: pool1's users never get sign-in back (no backup). */
    near(r.f[row(t, "pool1.signin_im")].down_time, 3600 - 1000);
    assert_true(r.data_loss_risk >= 2);
    sim_rep_release(&r);
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* The administrator's commands: a failover of pool1 while it is up (a
 * planned failover: users stay home until it completes, CMS first), then a
 * failback. */
static void test_commands_failover_failback(void **state)
{
    (void)state;
    qr_topology *t = load(paired_text);
    sim_pairing *p = scripted(t, 3 * 3600.0, false);
    assert_int_equal(sim_pairing_schedule_dr(p, 60, SIM_DR_ACT_FAILOVER, 0), 0);
    assert_int_equal(sim_pairing_run(p, 60 + 25 * MIN - 1), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_HOME);
    assert_int_equal(sim_pairing_run(p, 60 + 25 * MIN), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_FAILED_OVER);
    assert_int_equal(sim_pairing_schedule_dr(p, 3600, SIM_DR_ACT_FAILBACK, 0), 0);
    assert_int_equal(sim_pairing_run(p, 3600), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_FAILBACK);
    assert_int_equal(sim_pairing_run(p, 3600 + 60 * MIN), 0);
    assert_int_equal(sim_pairing_state(p, 0), SIM_DR_HOME);
    assert_int_equal(sim_pairing_schedule_dr(p, 1, SIM_DR_ACT_FAILOVER, 0), -1); /* past */
    assert_int_equal(sim_pairing_schedule_dr(p, 9000, SIM_DR_ACT_FAILOVER, 2), -1);
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* A site both pools use (dc3, the witnesses' site, and its links) fails
 * at the same times in both pools' engines: the random streams are keyed
 * by kind and name. */
static void test_shared_site_one_timeline(void **state)
{
    (void)state;
    char *text = malloc(strlen(paired_text) + 256);
    assert_non_null(text);
    strcpy(text, paired_text);
    /* Move both witnesses to dc3, a site failing every 20 days for 1 day. */
    char *s = strstr(text, "sites: [ { name: dc1 }, { name: dc2 } ]");
    assert_non_null(s);
    const char *sites = "sites: [ { name: dc1 }, { name: dc2 }, { name: dc3, mtbf: 20d } ]";
    memmove(s + strlen(sites), s + strlen("sites: [ { name: dc1 }, { name: dc2 } ]"),
            strlen(s + strlen("sites: [ { name: dc1 }, { name: dc2 } ]")) + 1);
    memcpy(s, sites, strlen(sites));
    for (char *w = strstr(text, "name: aw, site: dc1"); w; w = NULL)
        memcpy(w + strlen("name: aw, site: "), "dc3", 3);
    for (char *w = strstr(text, "name: bw, site: dc2"); w; w = NULL)
        memcpy(w + strlen("name: bw, site: "), "dc3", 3);
    qr_topology *t = load(text);
    free(text);
    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = 2 * SIM_SECONDS_PER_YEAR;
    char err[256];
    sim_pairing *p = sim_pairing_new(t, &cfg, err, sizeof(err));
    assert_non_null(p);
    int dc3 = qr_topology_find(t, "dc3");
    int v0 = sim_pairing_view_comp(p, 0, dc3), v1 = sim_pairing_view_comp(p, 1, dc3);
    assert_true(v0 >= 0 && v1 >= 0);
    int changes = 0;
    for (uint64_t rep = 0; rep < 3; rep++) {
        assert_int_equal(sim_pairing_begin(p, 42, rep), 0);
        sim_comp_state last = SIM_UP;
        while (sim_pairing_step(p, cfg.horizon) == 1) {
            sim_comp_state a = sim_engine_comp_state(sim_pairing_engine(p, 0), v0);
            sim_comp_state b = sim_engine_comp_state(sim_pairing_engine(p, 1), v1);
            assert_int_equal(a, b);
            changes += a != last;
            last = a;
        }
    }
    assert_true(changes > 10); /* it did fail, many times */
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* Precedence (docs/assumptions.md): the design says failover_after 45m,
 * an assumptions file says 10m, a CMS failover of 1m and a pool failover
 * of 4m: dc1 lost at 10 min gives full service at 10 + 10 + 1 + 4 = 25
 * min (presence of pool1's users down 15 min). Without the file, the
 * design's 45m and the built-in 5m and 20m: 10 + 45 + 5 + 20 = 80 min. */
static void test_m10_timings_from_an_assumptions_file(void **state)
{
    (void)state;
    char *text = malloc(strlen(paired_text) + 64);
    assert_non_null(text);
    sprintf(text, "%spairing: { failover_after: 45m }\n", paired_text);
    static const char *assume =
        "pairing: { failover_after: 10m, cms_failover_time: 1m, failover_time: 4m }\n";
    qr_diags d;
    qr_assumptions *a = NULL;
    assert_int_equal(qr_diags_init(&d, "a.yaml"), 0);
    assert_int_equal(qr_assumptions_load_buffer("a.yaml", assume, strlen(assume), &a, &d), 0);
    qr_diags_release(&d);
    double want[2] = { 80 * MIN, 25 * MIN };
    for (int with = 0; with < 2; with++) {
        qr_topology *t = load(text);
        assert_int_equal(t->setting_given[QR_SET_PAIR_FAILOVER_AFTER].from, QR_FROM_DESIGN);
        if (with)
            assert_int_equal(qr_assumptions_apply(t, a), 0);
        assert_int_equal(t->setting_given[QR_SET_PAIR_FAILOVER_AFTER].from,
                         with ? QR_FROM_ASSUMPTIONS : QR_FROM_DESIGN);
        assert_int_equal(t->setting_given[QR_SET_PAIR_REGISTRAR_FAILOVER].from, QR_FROM_BUILTIN);
        sim_pairing *p = scripted(t, 3 * 3600.0, true);
        assert_int_equal(
            sim_pairing_schedule(p, 10 * MIN, SIM_ACT_CRASH, qr_topology_find(t, "dc1")), 0);
        assert_int_equal(sim_pairing_run(p, want[with] - 1), 0);
        assert_int_equal(sim_pairing_state(p, 0), SIM_DR_RESILIENCY);
        assert_int_equal(sim_pairing_run(p, want[with]), 0);
        assert_int_equal(sim_pairing_state(p, 0), SIM_DR_FAILED_OVER);
        sim_rep r;
        assert_int_equal(sim_rep_init(&r, t->n_features), 0);
        assert_int_equal(sim_pairing_finish(p, &r, NULL), 0);
        near(r.f[row(t, "pool1.presence")].down_time, want[with] - 10 * MIN);
        near(r.f[row(t, "pool1.signin_im")].down_time, 5 * MIN);
        sim_rep_release(&r);
        sim_pairing_free(p);
        qr_topology_free(t);
    }
    qr_assumptions_free(a);
    free(text);
}

/* Time of the first patch night of each pool (patching on, no failures):
 * when its engine's patch_nights first counts one; and whether a front
 * end of each pool was ever down at once (*together). */
static void first_nights(const char *extra, double horizon, double first[2], bool *together)
{
    char *text = malloc(strlen(paired_text) + 64);
    assert_non_null(text);
    sprintf(text, "%s%s", paired_text, extra);
    qr_topology *t = load(text);
    free(text);
    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = horizon;
    cfg.random_failures = false;
    char err[256];
    sim_pairing *p = sim_pairing_new(t, &cfg, err, sizeof(err));
    if (!p)
        fail_msg("%s", err);
    assert_int_equal(sim_pairing_begin(p, 7, 0), 0);
    first[0] = first[1] = -1;
    *together = false;
    int rc;
    while ((rc = sim_pairing_step(p, horizon)) == 1) {
        int busy = 0;
        for (int i = 0; i < 2; i++) {
            sim_status s;
            sim_engine_status(sim_pairing_engine(p, i), &s);
            if (first[i] < 0 && s.patch_nights > 0)
                first[i] = sim_pairing_now(p);
            busy += s.frontends_running < 3;
        }
        *together |= busy == 2;
    }
    assert_int_equal(rc, 0);
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* M7.1 with pools: by default (pairing.patch_offset 1d) pool2's first
 * patch night comes one day after pool1's, modulo the 30-day period (the
 * same draw); `patch_offset: none` puts them on the same night, the two
 * pools' first front ends rebooting at once; 7d gives a week. */
static void test_m7_1_patch_offset_staggers_the_pools(void **state)
{
    (void)state;
    const double D = 86400.0, period = 30 * D;
    double none[2], def[2], week[2];
    bool busy_none, busy_def, busy_week;
    first_nights("pairing: { patch_offset: none }\n", 70 * D, none, &busy_none);
    first_nights("", 70 * D, def, &busy_def);
    first_nights("pairing: { patch_offset: 7d }\n", 70 * D, week, &busy_week);
    assert_true(none[0] >= 0 && none[0] < period);
    near(none[1], none[0]);
    assert_true(busy_none); /* a front end of each pool down together */
    /* The same draw for pool1 whatever the offset. */
    near(def[0], none[0]);
    near(week[0], none[0]);
    near(def[1], fmod(none[0] + D, period));
    near(week[1], fmod(none[0] + 7 * D, period));
    /* A night is six members of 15m reboot and 20m gap, about 3.5 h: a
     * day apart, the pools never have a front end down at once. */
    assert_false(busy_def);
    assert_false(busy_week);
}

/* Same seed, same summary, whatever the thread count. */
static void test_threads_do_not_change_the_result(void **state)
{
    (void)state;
    qr_topology *t = load(paired_text);
    sim_summary a, b;
    sim_pool_summary *pa = NULL, *pb = NULL;
    sim_run_options o;
    memset(&o, 0, sizeof(o));
    o.years = 2;
    o.runs = 37;
    o.seed = 5;
    o.threads = 1;
    char err[256];
    assert_int_equal(sim_pairing_simulate(t, &o, &a, &pa, NULL, err, sizeof(err)), 0);
    o.threads = 3;
    assert_int_equal(sim_pairing_simulate(t, &o, &b, &pb, NULL, err, sizeof(err)), 0);
    assert_int_equal(a.n, t->n_features + 1);
    for (int k = 0; k < a.n; k++) {
        assert_true(a.f[k].availability.mean == b.f[k].availability.mean);
        assert_true(a.f[k].availability.low == b.f[k].availability.low);
        assert_true(a.f[k].by_cause[SIM_DC_DR_REGISTRAR].mean ==
                    b.f[k].by_cause[SIM_DC_DR_REGISTRAR].mean);
    }
    for (int i = 0; i < t->n_pools; i++)
        assert_true(pa[i].availability.mean == pb[i].availability.mean);
    assert_true(a.events == b.events);
    /* sim_run gives the same for a design with pools. */
    sim_summary c;
    assert_int_equal(sim_run(t, &o, &c, NULL, err, sizeof(err)), 0);
    assert_true(c.f[0].availability.mean == a.f[0].availability.mean);
    sim_summary_release(&a);
    sim_summary_release(&b);
    sim_summary_release(&c);
    free(pa);
    free(pb);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_m10_2_registrar_failover_300s),
        cmocka_unit_test(test_m10_2_interval_is_the_parameter),
        cmocka_unit_test(test_m10_3_admin_failover_after_decision_and_rto),
        cmocka_unit_test(test_m10_4_cms_first_only_when_it_holds_it),
        cmocka_unit_test(test_m10_5_failback),
        cmocka_unit_test(test_m10_1_rpo_data_loss_risk),
        cmocka_unit_test(test_commands_failover_failback),
        cmocka_unit_test(test_shared_site_one_timeline),
        cmocka_unit_test(test_m10_timings_from_an_assumptions_file),
        cmocka_unit_test(test_m7_1_patch_offset_staggers_the_pools),
        cmocka_unit_test(test_threads_do_not_change_the_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
