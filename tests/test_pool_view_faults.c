/*
 * test_pool_view_faults.c: common-cause groups and latent faults (M7.3) of
 * a design with several pools (M10) carried into each pool's view
 * (src/model/pool_view_faults.c): role-based ones resolved per pool,
 * named ones in the view that holds them, a group spanning two pools
 * refused with its name and the pools', a hand-checked latent fault
 * that shows in its own pool's rows only, and the hosts' virtualization
 * carried when each pool has hosts of its own sites (an HA restart
 * hand-checked), refused otherwise.
 * Run from the repository root.
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
#include "model/pool_view.h"
#include "model/topology.h"
#include "sim/engine.h"
#include "sim/pairing.h"

#define PAIRED                                                                                 \
    "name: paired\n"                                                                           \
    "sites: [ { name: dc1 }, { name: dc2 } ]\n"                                                \
    "links: [ { between: [dc1, dc2] } ]\n"                                                     \
    "servers:\n"                                                                               \
    "  - { name: a1, site: dc1 }\n  - { name: a2, site: dc1 }\n  - { name: a3, site: dc1 }\n"  \
    "  - { name: as1, site: dc1 }\n  - { name: as2, site: dc1 }\n  - { name: aw, site: dc1 }\n"\
    "  - { name: b1, site: dc2 }\n  - { name: b2, site: dc2 }\n  - { name: b3, site: dc2 }\n"  \
    "  - { name: bs1, site: dc2 }\n  - { name: bs2, site: dc2 }\n  - { name: bw, site: dc2 }\n"\
    "pools:\n"                                                                                 \
    "  - { name: pool1, paired_with: pool2, cms: true, version: sfb2015, users: 100,\n"       \
    "      frontends: [a1, a2, a3],\n"                                                         \
    "      backend: { mirroring: { principal: as1, mirror: as2, witness: aw } },\n"            \
    "      file_store: { dfs: [as1, as2] } }\n"                                                \
    "  - { name: pool2, paired_with: pool1, version: sfb2015, users: 100,\n"                  \
    "      frontends: [b1, b2, b3],\n"                                                         \
    "      backend: { mirroring: { principal: bs1, mirror: bs2, witness: bw } },\n"            \
    "      file_store: { dfs: [bs1, bs2] } }\n"

static qr_topology *load(const char *text)
{
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "mem"), 0);
    qr_topology *t = NULL;
    int rc = qr_topology_load_buffer("mem.yaml", text, strlen(text), &t, &d);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%d:%d %s %s\n", d.items[i].loc.line, d.items[i].loc.col,
                d.items[i].rule, d.items[i].message);
    assert_int_equal(rc, 0);
    qr_diags_release(&d);
    return t;
}

static void assume(qr_topology *t, const char *path)
{
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, path), 0);
    qr_assumptions *a = NULL;
    assert_int_equal(qr_assumptions_load_file(path, &a, &d), 0);
    assert_int_equal(qr_assumptions_apply(t, a), 0);
    qr_assumptions_free(a);
    qr_diags_release(&d);
}

/* The member names of group or fault `name` in view v, comma-separated
 * ("" when v has none of that name). */
static const char *ccf_members(const qr_topology *v, const char *name, char *buf, size_t n)
{
    buf[0] = 0;
    for (int g = 0; g < v->n_ccf; g++) {
        if (strcmp(v->ccf[g].name, name) != 0)
            continue;
        size_t o = 0;
        for (int j = 0; j < v->ccf[g].n_members && o < n; j++)
            o += (size_t)snprintf(buf + o, n - o, "%s%s", j ? "," : "",
                                  v->comps[v->ccf[g].members[j]].name);
    }
    return buf;
}

static const char *lf_members(const qr_topology *v, const char *name, char *buf, size_t n)
{
    buf[0] = 0;
    for (int f = 0; f < v->n_latent; f++) {
        if (strcmp(v->latent[f].name, name) != 0)
            continue;
        size_t o = 0;
        for (int j = 0; j < v->latent[f].n_members && o < n; j++)
            o += (size_t)snprintf(buf + o, n - o, "%s%s", j ? "," : "",
                                  v->comps[v->latent[f].members[j]].name);
    }
    return buf;
}

/* A named group goes into the view that holds all its members, with its
 * members remapped; the other pool's view does not have it. */
static void test_named_group_in_its_pool(void **state)
{
    (void)state;
    qr_topology *t = load(PAIRED "common_cause:\n"
                                 "  - { name: a-build, members: [a1, a2, a3], beta: 10% }\n"
                                 "  - { name: b-sql, members: [bs1, bs2], beta: 5% }\n");
    char err[256] = "";
    assert_int_equal(qr_pool_view_check(t, err, sizeof(err)), 0);
    char buf[256];
    qr_topology *v = NULL;
    assert_int_equal(qr_topology_pool_view(t, 0, &v, NULL), 0);
    assert_int_equal(v->n_ccf, 1);
    assert_string_equal(ccf_members(v, "a-build", buf, sizeof(buf)), "a1,a2,a3");
    assert_true(fabs(v->ccf[0].factor[0] - 0.10) < 1e-12);
    qr_topology_free(v);
    assert_int_equal(qr_topology_pool_view(t, 1, &v, NULL), 0);
    assert_int_equal(v->n_ccf, 1);
    assert_string_equal(ccf_members(v, "b-sql", buf, sizeof(buf)), "bs1,bs2");
    qr_topology_free(v);
    qr_topology_free(t);
}

/* A group of both pools' own servers (or of both sites) is refused, with
 * the group's name, the two pools and a member in each. */
static void test_group_spanning_pools_refused(void **state)
{
    (void)state;
    qr_topology *t = load(PAIRED "common_cause:\n"
                                 "  - { name: one-build, members: [a1, b1], beta: 5% }\n");
    char err[512] = "";
    assert_int_equal(qr_pool_view_check(t, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "common-cause group 'one-build' spans pools 'pool1' and 'pool2'"));
    assert_non_null(strstr(err, "'a1' and 'b1'"));
    char why[512] = "";
    assert_false(sim_pairing_supports(t, why, sizeof(why)));
    assert_string_equal(why, err);
    qr_topology_free(t);
    t = load(PAIRED "common_cause: [ { name: sites, members: [dc1, dc2], beta: 5% } ]\n");
    assert_int_equal(qr_pool_view_check(t, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "'sites' spans pools"));
    qr_topology_free(t);
    t = load(PAIRED "latent_faults: [ { name: gpo, members: [a2, b3], every: 1y,\n"
                    "  breaks: server } ]\n");
    assert_int_equal(qr_pool_view_check(t, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "latent fault 'gpo' spans pools 'pool1' and 'pool2' ('a2' and "
                                "'b3')"));
    qr_topology_free(t);
}

/* common-cause.yaml names its members by role (`frontends`, `backend`):
 * each pool gets them resolved for its own servers, as a single pool
 * would; nothing spans. */
static void test_role_groups_per_pool(void **state)
{
    (void)state;
    qr_topology *t = load(PAIRED);
    assume(t, "topologies/assumptions/common-cause.yaml");
    char err[256] = "";
    assert_int_equal(qr_pool_view_check(t, err, sizeof(err)), 0);
    const char *fe[2] = { "a1,a2,a3", "b1,b2,b3" };
    const char *be[2] = { "as1,as2", "bs1,bs2" };
    char buf[256];
    for (int p = 0; p < 2; p++) {
        qr_topology *v = NULL;
        assert_int_equal(qr_topology_pool_view(t, p, &v, NULL), 0);
        assert_int_equal(v->n_ccf, 2);
        assert_string_equal(ccf_members(v, "frontend-build", buf, sizeof(buf)), fe[p]);
        assert_string_equal(ccf_members(v, "backend-build", buf, sizeof(buf)), be[p]);
        qr_topology_free(v);
    }
    qr_topology_free(t);
}

/* latent-faults.yaml: `members: frontends` and `servers`, per pool. */
static void test_role_latent_per_pool(void **state)
{
    (void)state;
    qr_topology *t = load(PAIRED);
    assume(t, "topologies/assumptions/latent-faults.yaml");
    char err[256] = "";
    assert_int_equal(qr_pool_view_check(t, err, sizeof(err)), 0);
    const char *fe[2] = { "a1,a2,a3", "b1,b2,b3" };
    /* `servers`: the full servers (the SQL witness is a witness only). */
    const char *all[2] = { "a1,a2,a3,as1,as2", "b1,b2,b3,bs1,bs2" };
    char buf[256];
    for (int p = 0; p < 2; p++) {
        qr_topology *v = NULL;
        assert_int_equal(qr_topology_pool_view(t, p, &v, NULL), 0);
        assert_int_equal(v->n_latent, 2);
        assert_string_equal(lf_members(v, "certificate-store-change", buf, sizeof(buf)), fe[p]);
        assert_string_equal(lf_members(v, "server-start-fault", buf, sizeof(buf)), all[p]);
        qr_topology_free(v);
    }
    qr_topology_free(t);
}

/* M7.3 hand-checked through the pairing: no random failures, no patching,
 * no operator. pool1's fault lands at 1h on a1-a3 (presence); pool2's on
 * b1-b3 at 1h too. The three front ends of pool1 crash at 2h and are
 * repaired at 2h10m: they start, show the fault, and presence stays
 * broken for pool1's users until it is fixed 4h later, at 6h10m. pool2's
 * servers never start again: its fault stays hidden and its users lose
 * nothing. So pool1.presence is down 4h10m = 15000 s, pool2.presence 0,
 * and all users (equal halves) 7500 s; without the faults, pool1's
 * presence is back sooner. */
static double presence_down(const char *extra, double *p2)
{
    char text[4096];
    snprintf(text, sizeof(text), "%s%s", PAIRED, extra);
    qr_topology *t = load(text);
    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = 10 * 3600.0;
    cfg.random_failures = false;
    cfg.patching = false;
    cfg.operator_actions = false;
    char err[256];
    sim_pairing *p = sim_pairing_new(t, &cfg, err, sizeof(err));
    if (!p)
        fail_msg("%s", err);
    assert_int_equal(sim_pairing_begin(p, 1, 0), 0);
    const char *fes[3] = { "a1", "a2", "a3" };
    for (int i = 0; i < 3; i++) {
        int c = qr_topology_find(t, fes[i]);
        assert_int_equal(sim_pairing_schedule(p, 2 * 3600.0, SIM_ACT_CRASH, c), 0);
        assert_int_equal(sim_pairing_schedule(p, 2 * 3600.0 + 600.0, SIM_ACT_REPAIR, c), 0);
    }
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    double px[2 * SIM_PX_COUNT];
    assert_int_equal(sim_pairing_finish(p, &r, px), 0);
    double d1 = r.f[qr_topology_find_feature(t, "pool1.presence")].down_time;
    *p2 = r.f[qr_topology_find_feature(t, "pool2.presence")].down_time;
    double all = r.f[qr_topology_find_feature(t, "presence")].down_time;
    assert_true(fabs(all - (d1 + *p2) / 2) < 1e-6);
    sim_rep_release(&r);
    sim_pairing_free(p);
    qr_topology_free(t);
    return d1;
}

static void test_m7_3_latent_in_its_pool_only(void **state)
{
    (void)state;
    double p2 = -1;
    double without = presence_down("", &p2);
    assert_true(p2 == 0.0);
    double with = presence_down("latent_faults:\n"
                                "  - { name: lf1, members: [a1, a2, a3], at: 1h,\n"
                                "      breaks: [presence], fix: 4h }\n"
                                "  - { name: lf2, members: [b1, b2, b3], at: 1h,\n"
                                "      breaks: [presence], fix: 4h }\n",
                                &p2);
    assert_true(p2 == 0.0);
    if (fabs(with - 15000.0) > 1e-6)
        fail_msg("pool1.presence down %.3f s, want 15000", with);
    assert_true(without < with);
}

/* Each pool's servers on two hosts of its own site; HA restart 5m. */
#define VIRT                                                                                   \
    "name: paired vms\n"                                                                       \
    "sites: [ { name: dc1 }, { name: dc2 } ]\n"                                                \
    "links: [ { between: [dc1, dc2] } ]\n"                                                     \
    "hosts: [ { name: ha1, site: dc1 }, { name: ha2, site: dc1 },\n"                           \
    "         { name: hb1, site: dc2 }, { name: hb2, site: dc2 } ]\n"                          \
    "servers:\n"                                                                               \
    "  - { name: a1, host: ha1 }\n  - { name: a2, host: ha2 }\n  - { name: a3, host: ha1 }\n"   \
    "  - { name: as1, host: ha1 }\n  - { name: as2, host: ha2 }\n  - { name: aw, site: dc1 }\n" \
    "  - { name: b1, host: hb1 }\n  - { name: b2, host: hb2 }\n  - { name: b3, host: hb1 }\n"   \
    "  - { name: bs1, host: hb1 }\n  - { name: bs2, host: hb2 }\n  - { name: bw, site: dc2 }\n" \
    "pools:\n"                                                                                 \
    "  - { name: pool1, paired_with: pool2, cms: true, version: sfb2015, users: 100,\n"       \
    "      frontends: [a1, a2, a3],\n"                                                         \
    "      backend: { mirroring: { principal: as1, mirror: as2, witness: aw } },\n"            \
    "      file_store: { dfs: [as1, as2] } }\n"                                                \
    "  - { name: pool2, paired_with: pool1, version: sfb2015, users: 100,\n"                  \
    "      frontends: [b1, b2, b3],\n"                                                         \
    "      backend: { mirroring: { principal: bs1, mirror: bs2, witness: bw } },\n"            \
    "      file_store: { dfs: [bs1, bs2] } }\n"

/* M0.4 in a pool's view: ha1 crashes at 1h; a1, a3 and as1 restart on
 * ha2, 5m later (room: no capacity limit; the anti-affinity group
 * [a1, a2] of the design is cut to pool1 and keeps a1 off ha2, so a1
 * waits for ha1). pool2's VMs stay where they are. */
static void test_m0_4_ha_restart_in_a_pool_view(void **state)
{
    (void)state;
    qr_topology *t = load(VIRT "virtualization: { ha: { restart: 5m },\n"
                               "  anti_affinity: [ [a1, a2], [b1, b2, a3] ] }\n");
    char err[512] = "";
    if (qr_pool_view_check(t, err, sizeof(err)) != 0)
        fail_msg("%s", err);
    qr_topology *v = NULL;
    assert_int_equal(qr_topology_pool_view(t, 1, &v, NULL), 0);
    assert_int_equal(v->virt.n_aa_groups, 1); /* [b1, b2]: a3 is pool1's */
    assert_int_equal(v->virt.aa_start[1], 2);
    assert_string_equal(v->comps[v->virt.aa_members[0]].name, "b1");
    assert_string_equal(v->comps[v->virt.aa_members[1]].name, "b2");
    assert_true(v->virt.ha);
    qr_topology_free(v);
    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = 3 * 3600.0;
    cfg.random_failures = false;
    cfg.patching = false;
    cfg.operator_actions = false;
    sim_pairing *p = sim_pairing_new(t, &cfg, err, sizeof(err));
    if (!p)
        fail_msg("%s", err);
    assert_int_equal(sim_pairing_begin(p, 1, 0), 0);
    int ha1 = qr_topology_find(t, "ha1");
    assert_int_equal(sim_pairing_schedule(p, 3600.0, SIM_ACT_CRASH, ha1), 0);
    const sim_engine *e1 = sim_pairing_engine(p, 0), *e2 = sim_pairing_engine(p, 1);
    int a1 = sim_pairing_view_comp(p, 0, qr_topology_find(t, "a1"));
    int a3 = sim_pairing_view_comp(p, 0, qr_topology_find(t, "a3"));
    int ha2 = sim_pairing_view_comp(p, 0, qr_topology_find(t, "ha2"));
    int b1 = sim_pairing_view_comp(p, 1, qr_topology_find(t, "b1"));
    int hb1 = sim_pairing_view_comp(p, 1, qr_topology_find(t, "hb1"));
    assert_int_equal(sim_pairing_run(p, 3600.0 + 299.0), 0);
    assert_int_equal(sim_engine_comp_state(e1, a3), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_pairing_run(p, 3600.0 + 301.0), 0);
    assert_int_equal(sim_engine_comp_host(e1, a3), ha2);
    assert_int_equal(sim_engine_comp_state(e1, a3), SIM_UP);
    assert_int_not_equal(sim_engine_comp_host(e1, a1), ha2); /* anti-affinity */
    assert_int_equal(sim_engine_comp_state(e1, a1), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_comp_host(e2, b1), hb1);
    assert_int_equal(sim_engine_comp_state(e2, b1), SIM_UP);
    sim_pairing_free(p);
    qr_topology_free(t);
}

/* Not clean: a host of pool1's site running none of its servers, a host
 * of both pools, maintenance nights: refused in words. */
static void test_virtualization_refused_unless_clean(void **state)
{
    (void)state;
    char err[512] = "";
    qr_topology *t = load(VIRT "virtualization: { ha: { restart: 5m },\n"
                               "  maintenance: { every: 90d } }\n");
    assert_int_equal(qr_pool_view_check(t, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "`virtualization.maintenance`"));
    qr_topology_free(t);
    char text[4096];
    snprintf(text, sizeof(text), "%s", VIRT "virtualization: { ha: { restart: 5m } }\n");
    char *h = strstr(text, "{ name: hb2, site: dc2 }");
    memcpy(h, "{ name: hb2, site: dc1 }", strlen("{ name: hb2, site: dc1 }"));
    t = load(text);
    assert_int_equal(qr_pool_view_check(t, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "host 'hb2' shares a site with pool 'pool1''s host"));
    qr_topology_free(t);
    snprintf(text, sizeof(text), "%s", VIRT "virtualization: { ha: { restart: 5m } }\n");
    h = strstr(text, "{ name: b3, host: hb1 }");
    memcpy(h, "{ name: b3, host: ha1 }", strlen("{ name: b3, host: ha1 }"));
    t = load(text);
    assert_int_equal(qr_pool_view_check(t, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "host 'ha1' runs servers of pools 'pool1' and 'pool2'"));
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_named_group_in_its_pool),
        cmocka_unit_test(test_group_spanning_pools_refused),
        cmocka_unit_test(test_role_groups_per_pool),
        cmocka_unit_test(test_role_latent_per_pool),
        cmocka_unit_test(test_m7_3_latent_in_its_pool_only),
        cmocka_unit_test(test_m0_4_ha_restart_in_a_pool_view),
        cmocka_unit_test(test_virtualization_refused_unless_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
