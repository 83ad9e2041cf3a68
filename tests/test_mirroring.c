/*
 * test_mirroring.c: one scripted scenario per behaviour rule of M3 (SQL
 * mirroring, standalone and external back ends), random failures off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim_script.h"

/* M3.1: synchronous (high-safety) mirroring with principal, mirror and
 * witness instances: a replication starts with the configured principal
 * serving and the mirror synchronized. (Asynchronous mirroring is refused
 * by the loader, P004: tests/test_loader.c.) */
static void test_mirroring_m3_1_starts_synchronized(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    assert_true(t->pool.backend.synchronous);
    sim_engine *e = ts_engine(t, false);
    sim_status s = ts_status(e, 1);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, qr_topology_find(t, "s1"));
    assert_true(s.backend_synchronized);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M3.2: the principal stops serving when it sees neither the mirror nor
 * the witness, although it runs. */
static void test_mirroring_m3_2_principal_needs_mirror_or_witness(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    int s2 = qr_topology_find(t, "s2"), w = qr_topology_find(t, "w");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, s2);
    assert_true(ts_status(e, 60).backend_serving); /* sees the witness */
    ts_do(e, 120, SIM_ACT_CRASH, w);
    sim_status s = ts_status(e, 120);
    assert_false(s.backend_serving);
    assert_int_equal(sim_engine_comp_state(e, qr_topology_find(t, "s1")), SIM_UP);
    ts_do(e, 180, SIM_ACT_REPAIR, w);
    assert_true(ts_status(e, 180).backend_serving);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M3.3: automatic failover after backend.failover_time with a witness and
 * a synchronized mirror; the old principal resynchronizes for
 * backend.resync_time when back. */
static void test_mirroring_m3_3_automatic_failover_and_resync(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    int s1 = qr_topology_find(t, "s1"), s2 = qr_topology_find(t, "s2");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 100, SIM_ACT_CRASH, s1);
    sim_status s = ts_status(e, 159);
    assert_false(s.backend_serving);
    s = ts_status(e, 160);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, s2);
    assert_int_equal(s.failovers, 1);
    ts_do(e, T_HOUR, SIM_ACT_REPAIR, s1);
    assert_false(ts_status(e, T_HOUR).backend_synchronized);
    assert_false(ts_status(e, T_HOUR + 5 * T_MIN - 1).backend_synchronized);
    assert_true(ts_status(e, T_HOUR + 5 * T_MIN).backend_synchronized);
    sim_engine_free(e);

    /* A mirror still resynchronizing cannot take over. */
    e = ts_engine(t, false);
    ts_do(e, 0, SIM_ACT_CRASH, s2);
    ts_do(e, 10 * T_MIN, SIM_ACT_REPAIR, s2);
    ts_do(e, 11 * T_MIN, SIM_ACT_CRASH, s1);
    s = ts_status(e, T_HOUR);
    assert_false(s.backend_serving);
    assert_int_equal(s.failovers, 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M3.4: without a witness the operator fails over by hand after
 * operations.sql_failover.after; a lost mirror leaves the principal
 * serving (exposed). */
static void test_mirroring_m3_4_no_witness_manual_failover(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    int s1 = qr_topology_find(t, "s1"), s2 = qr_topology_find(t, "s2");
    t->pool.backend.witness = -1;
    sim_engine *e = ts_engine(t, true);
    ts_do(e, 60, SIM_ACT_CRASH, s2);
    assert_true(ts_status(e, 60).backend_serving); /* exposed */
    ts_do(e, T_HOUR, SIM_ACT_REPAIR, s2);
    ts_do(e, 2 * T_HOUR, SIM_ACT_CRASH, s1);
    assert_false(ts_status(e, 2 * T_HOUR + 30 * T_MIN - 1).backend_serving);
    sim_status s = ts_status(e, 2 * T_HOUR + 30 * T_MIN);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, s2);
    assert_int_equal(s.data_loss_risk > 0, 1); /* the 2-FE pool lost quorum: reset */
    sim_engine_free(e);

    /* Without the operator nobody fails over. */
    e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, s1);
    assert_false(ts_status(e, T_DAY).backend_serving);
    /* A scripted manual failover does it at once. */
    ts_do(e, T_DAY + 1, SIM_ACT_SQL_FAILOVER, -1);
    s = ts_status(e, T_DAY + 1);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, s2);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M3.5: with the Back End down users keep working for the 30-minute grace
 * (backend_grace features up), then resiliency mode; features that need
 * the Back End serving are down at once. */
static void test_mirroring_m3_5_grace_then_resiliency(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int sql = qr_topology_find(t, "sql");
    int presence = qr_topology_find_feature(t, "presence");
    int persistent = qr_topology_find_feature(t, "persistent_changes");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 0, SIM_ACT_CRASH, sql);
    sim_status s = ts_status(e, 30 * T_MIN - 1);
    assert_false(s.resiliency_mode);
    assert_true(sim_engine_feature(e, presence) == 1.0);
    assert_true(sim_engine_feature(e, persistent) == 0.0);
    s = ts_status(e, 30 * T_MIN);
    assert_true(s.resiliency_mode);
    assert_true(sim_engine_feature(e, presence) == 0.0);
    ts_do(e, T_HOUR, SIM_ACT_REPAIR, sql);
    s = ts_status(e, T_HOUR);
    assert_false(s.resiliency_mode);
    assert_true(sim_engine_feature(e, presence) == 1.0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M3.6: a standalone SQL is up with its server; an external SQL HA service
 * is a component of its own. */
static void test_mirroring_m3_6_standalone_and_external(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int sql = qr_topology_find(t, "sql");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 10, SIM_ACT_SHUTDOWN, sql);
    assert_false(ts_status(e, 10).backend_serving);
    ts_do(e, 20, SIM_ACT_START, sql);
    assert_true(ts_status(e, 20).backend_serving);
    sim_engine_free(e);

    int ext = tt_comp(t, "sqlha", QR_COMP_EXTERNAL_SQL, -1, -1);
    t->pool.backend.kind = QR_BACKEND_EXTERNAL;
    t->pool.backend.external = ext;
    e = ts_engine(t, false);
    ts_do(e, 10, SIM_ACT_CRASH, sql); /* no longer the back end */
    assert_true(ts_status(e, 10).backend_serving);
    ts_do(e, 20, SIM_ACT_CRASH, ext);
    assert_false(ts_status(e, 20).backend_serving);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* Assumption A1: a graceful shutdown of the principal's server fails over
 * first (no outage); with the assumption off it is an outage. */
static void test_mirroring_a1_planned_failover(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    int s1 = qr_topology_find(t, "s1"), s2 = qr_topology_find(t, "s2");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, s1);
    sim_status s = ts_status(e, 60);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, s2);
    assert_int_equal(s.failovers, 1);
    assert_int_equal(s.data_loss_risk, 0);
    sim_engine_free(e);

    sim_config c;
    sim_config_default(&c);
    c.random_failures = false;
    c.patching = false;
    c.planned_sql_failover = false;
    e = sim_engine_new(t, &c, NULL, 0);
    sim_engine_begin(e, 1, 0);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, s1);
    assert_false(ts_status(e, 60).backend_serving);
    assert_true(ts_status(e, 120).backend_serving); /* automatic, 1m */
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M3.4's manual path with a witness: the witness lost, then the
 * principal. The mirror cannot take over by itself (M3.3 needs the
 * witness), the Back End is down; the operator forces service on the
 * mirror after operations.sql_failover.after. A synchronized mirror loses
 * nothing; a mirror still resynchronizing is a data-loss risk. Without
 * the operator the Back End stays down until a repair. */
static void test_mirroring_m3_4_forced_service_after_witness_loss(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int p = tt_server(t, "sqlp"), m = tt_server(t, "sqlm"), w = tt_server(t, "sqlw");
    tt_mirroring(t, p, m, w);
    sim_engine *e = ts_engine(t, true);
    ts_do(e, 60, SIM_ACT_CRASH, w);
    assert_true(ts_status(e, 60).backend_serving); /* the principal sees the mirror */
    ts_do(e, 120, SIM_ACT_CRASH, p);
    assert_false(ts_status(e, 120 + 10 * T_MIN).backend_serving); /* no automatic failover */
    assert_false(ts_status(e, 120 + 30 * T_MIN - 1).backend_serving);
    sim_status s = ts_status(e, 120 + 30 * T_MIN);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, m);
    assert_int_equal(s.failovers, 1);
    assert_int_equal(s.data_loss_risk, 0); /* it was synchronized */
    sim_engine_free(e);

    /* The mirror back but not yet resynchronized (backend.resync_time 5m)
     * when the principal goes: forced service is a data-loss risk. */
    e = ts_engine(t, true);
    ts_do(e, 60, SIM_ACT_CRASH, w);
    ts_do(e, 120, SIM_ACT_CRASH, m);
    ts_do(e, 10 * T_MIN, SIM_ACT_REPAIR, m);
    ts_do(e, 11 * T_MIN, SIM_ACT_CRASH, p);
    s = ts_status(e, 41 * T_MIN);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, m);
    assert_int_equal(s.data_loss_risk, 1);
    sim_engine_free(e);

    /* The witness back before the operator acts: the automatic failover
     * (backend.failover_time) takes over at once instead. */
    e = ts_engine(t, true);
    ts_do(e, 60, SIM_ACT_CRASH, w);
    ts_do(e, 120, SIM_ACT_CRASH, p);
    ts_do(e, 5 * T_MIN, SIM_ACT_REPAIR, w);
    assert_false(ts_status(e, 6 * T_MIN - 1).backend_serving);
    assert_int_equal(ts_status(e, 6 * T_MIN).backend_principal, m);
    sim_engine_free(e);

    /* Without the operator: down until the principal's repair. */
    e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, w);
    ts_do(e, 120, SIM_ACT_CRASH, p);
    assert_false(ts_status(e, T_DAY).backend_serving);
    ts_do(e, T_DAY, SIM_ACT_REPAIR, p);
    s = ts_status(e, T_DAY);
    assert_true(s.backend_serving);
    assert_int_equal(s.backend_principal, p);
    sim_engine_free(e);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mirroring_m3_1_starts_synchronized),
        cmocka_unit_test(test_mirroring_m3_2_principal_needs_mirror_or_witness),
        cmocka_unit_test(test_mirroring_m3_3_automatic_failover_and_resync),
        cmocka_unit_test(test_mirroring_m3_4_no_witness_manual_failover),
        cmocka_unit_test(test_mirroring_m3_5_grace_then_resiliency),
        cmocka_unit_test(test_mirroring_m3_6_standalone_and_external),
        cmocka_unit_test(test_mirroring_a1_planned_failover),
        cmocka_unit_test(test_mirroring_m3_4_forced_service_after_witness_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
