/*
 * test_partition.c: link partitions reaching the pool (M1.2 on each side,
 * M2.2), the Back End as the pool sees it (M3.5) and SQL mirroring (M3.2,
 * M3.3), sim/behaviour/pool_partition.c, on the bundled two-site designs:
 * scripted link cuts, random failures off, each outcome worked out by hand
 * from the design's sites.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/diag.h"
#include "model/loader.h"
#include "sim_script.h"

static qr_topology *load(const char *path)
{
    qr_diags d;
    qr_topology *t = NULL;
    qr_diags_init(&d, path);
    assert_int_equal(qr_topology_load_file(path, &t, &d), 0);
    qr_diags_release(&d);
    return t;
}

static int comp(const qr_topology *t, const char *name)
{
    int i = qr_topology_find(t, name);
    assert_true(i >= 0);
    return i;
}

static int feature(const qr_topology *t, const char *name)
{
    for (int f = 0; f < t->n_features; f++)
        if (strcmp(t->features[f].name, name) == 0)
            return f;
    fail_msg("no feature %s", name);
    return -1;
}

/* Issue #10's scenario on topologies/two-site.yaml (dc1: fe1, fe2, sql1;
 * dc2: fe3, sql2; dc3: sqlw). Cutting both links of dc1 isolates the
 * principal sql1: it sees neither the mirror nor the witness and stops
 * (M3.2); sql2 and sqlw, in touch, fail over after backend.failover_time
 * (M3.3). The pool's side is dc1 (2 of 3 seeds): it keeps the pool, fe3
 * is cut off, and the pool cannot reach sql2: the Back End is down for it
 * (persistent changes at once, presence and conferencing after the 30-min
 * grace, M3.5). The links back: everything returns, sql1 as the mirror. */
static void test_partition_two_site_isolated_principal(void **state)
{
    (void)state;
    qr_topology *t = load("topologies/two-site.yaml");
    int sql2 = comp(t, "sql2");
    int l12 = comp(t, "dc1-dc2"), l13 = comp(t, "dc1-dc3");
    int pc = feature(t, "persistent_changes"), pr = feature(t, "presence");
    int sg = feature(t, "signin_im");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 5 * T_MIN, SIM_ACT_CRASH, l12);
    ts_do(e, 5 * T_MIN, SIM_ACT_CRASH, l13);
    sim_status s = ts_status(e, 5 * T_MIN);
    assert_false(s.backend_serving); /* M3.2: sql1 alone */
    assert_true(s.pool_up);
    assert_int_equal(s.frontends_running, 2);
    assert_int_equal(s.seeds_present, 2);
    s = ts_status(e, 6 * T_MIN);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, sql2);
    assert_false(s.backend_reachable);
    assert_int_equal(s.failovers, 1);
    assert_int_equal(s.data_loss_risk, 0);
    assert_true(ts_status(e, 10 * T_MIN).pool_up);
    assert_true(sim_engine_feature(e, pc) < 1e-12);
    assert_true(sim_engine_feature(e, pr) > 1 - 1e-12); /* within the grace */
    assert_true(sim_engine_feature(e, sg) > 1 - 1e-12);
    s = ts_status(e, 35 * T_MIN + 1);
    assert_true(s.resiliency_mode);
    assert_true(sim_engine_feature(e, pr) < 1e-12);
    /* The links back: the pool reaches sql2, fe3 rejoins. */
    ts_do(e, 60 * T_MIN, SIM_ACT_REPAIR, l12);
    s = ts_status(e, 60 * T_MIN);
    assert_true(s.backend_reachable);
    assert_false(s.resiliency_mode);
    assert_int_equal(s.frontends_running, 3);
    assert_true(sim_engine_feature(e, pc) > 1 - 1e-12);
    assert_int_equal(s.backend_principal, sql2);
    assert_false(s.backend_synchronized); /* sql1 resynchronizes (M3.3) */
    assert_true(ts_status(e, 65 * T_MIN).backend_synchronized);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* Transit: one link of dc1 cut still joins every site (through dc3):
 * nothing changes. Cutting dc2 off instead (dc1-dc2 and dc2-dc3): sql1
 * still sees the witness and serves, the mirror falls out of sync, fe3 is
 * cut off, the pool and the Back End stay up for dc1. */
static void test_partition_two_site_transit_and_mirror_cut(void **state)
{
    (void)state;
    qr_topology *t = load("topologies/two-site.yaml");
    int sql1 = comp(t, "sql1");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, comp(t, "dc1-dc2"));
    sim_status s = ts_status(e, 10 * T_MIN);
    assert_true(s.backend_serving && s.backend_reachable && s.backend_synchronized);
    assert_int_equal(s.frontends_running, 3);
    assert_int_equal(s.backend_principal, sql1);
    ts_do(e, 11 * T_MIN, SIM_ACT_CRASH, comp(t, "dc2-dc3"));
    s = ts_status(e, 20 * T_MIN);
    assert_true(s.backend_serving && s.backend_reachable);
    assert_false(s.backend_synchronized);
    assert_int_equal(s.backend_principal, sql1);
    assert_int_equal(s.frontends_running, 2);
    assert_true(s.pool_up);
    assert_int_equal(s.groups_limited, 0); /* every group keeps 2 of 3 */
    assert_true(s.groups_writable > 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.2 on each side: with fe1 crashed, isolating dc1 leaves fe2 (dc1) and
 * fe3 (dc2) one seed each of the 3 counted: no side has a majority, the
 * pool loses quorum; it is sticky (M1.5) and comes back by the restart
 * threshold (M1.6: 3 of 3 running) once the links and fe1 return. */
static void test_partition_pool_majority_per_side(void **state)
{
    (void)state;
    qr_topology *t = load("topologies/two-site.yaml");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, comp(t, "fe1"));
    assert_true(ts_status(e, 60).pool_up);
    ts_do(e, 120, SIM_ACT_CRASH, comp(t, "dc1-dc2"));
    ts_do(e, 120, SIM_ACT_CRASH, comp(t, "dc1-dc3"));
    sim_status s = ts_status(e, 120);
    assert_false(s.pool_up);
    assert_int_equal(s.seeds_present, 1);
    assert_int_equal(s.quorum_losses, 1);
    ts_do(e, T_HOUR, SIM_ACT_REPAIR, comp(t, "dc1-dc2"));
    ts_do(e, T_HOUR, SIM_ACT_REPAIR, comp(t, "dc1-dc3"));
    assert_false(ts_status(e, T_HOUR + 30 * T_MIN).pool_up); /* 2 of 3: below M1.6 */
    ts_do(e, 2 * T_HOUR, SIM_ACT_REPAIR, comp(t, "fe1"));
    assert_true(ts_status(e, 2 * T_HOUR + 15 * T_MIN).pool_up);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* topologies/two-site-alwayson.yaml: every front end in dc1; isolating
 * dc1 moves the AlwaysOn primary to sql2 (the cluster runs on dc2 + the
 * witness in dc3, M4.1). The pool keeps quorum in dc1 but reaches no
 * Back End: the features that need it are down after the grace, not up
 * at 90 minutes. */
static void test_partition_alwayson_front_ends_cut_off(void **state)
{
    (void)state;
    qr_topology *t = load("topologies/two-site-alwayson.yaml");
    int sql2 = comp(t, "sql2");
    int pc = feature(t, "persistent_changes"), cf = feature(t, "conferencing");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 5 * T_MIN, SIM_ACT_CRASH, comp(t, "dc1-dc2"));
    ts_do(e, 5 * T_MIN, SIM_ACT_CRASH, comp(t, "dc1-dc3"));
    sim_status s = ts_status(e, 10 * T_MIN);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, sql2);
    assert_false(s.backend_reachable);
    assert_true(s.pool_up);
    assert_true(sim_engine_feature(e, pc) < 1e-12);
    s = ts_status(e, 90 * T_MIN);
    assert_true(s.resiliency_mode);
    assert_true(sim_engine_feature(e, cf) < 1e-12);
    sim_engine_free(e);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition_two_site_isolated_principal),
        cmocka_unit_test(test_partition_two_site_transit_and_mirror_cut),
        cmocka_unit_test(test_partition_pool_majority_per_side),
        cmocka_unit_test(test_partition_alwayson_front_ends_cut_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
