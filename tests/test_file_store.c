/*
 * test_file_store.c: scripted scenarios of M5 (file store): a
 * share is up with its server; DFS fails over after file_store.failover_time
 * while any replica is up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim_script.h"

static void test_file_store_m5_1_share(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int fs = qr_topology_find(t, "fs");
    int ab = qr_topology_find_feature(t, "address_book");
    int p2p = qr_topology_find_feature(t, "p2p_calls");
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, fs);
    assert_false(ts_status(e, 60).file_store_up);
    assert_true(sim_engine_feature(e, ab) == 0.0);
    assert_true(sim_engine_feature(e, p2p) == 1.0);
    ts_do(e, T_HOUR, SIM_ACT_REPAIR, fs);
    assert_true(ts_status(e, T_HOUR).file_store_up);
    assert_true(sim_engine_feature(e, ab) == 1.0);
    sim_engine_free(e);
    qr_topology_free(t);
}

static void test_file_store_m5_1_dfs_failover(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int fs = qr_topology_find(t, "fs"), fe3 = qr_topology_find(t, "fe3");
    int rep[] = { fs, fe3 };
    tt_dfs(t, 2, rep);
    t->pool.file_store.failover_time = 2 * T_MIN;
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, fs);
    assert_false(ts_status(e, 60 + 2 * T_MIN - 1).file_store_up);
    sim_status s = ts_status(e, 60 + 2 * T_MIN);
    assert_true(s.file_store_up);
    assert_int_equal(s.file_store_failovers, 1);
    /* Both replicas down: down; one back: up after the failover time. */
    ts_do(e, T_HOUR, SIM_ACT_CRASH, fe3);
    assert_false(ts_status(e, 2 * T_HOUR).file_store_up);
    ts_do(e, 3 * T_HOUR, SIM_ACT_REPAIR, fs);
    assert_false(ts_status(e, 3 * T_HOUR).file_store_up);
    assert_true(ts_status(e, 3 * T_HOUR + 2 * T_MIN).file_store_up);
    /* The active replica coming back before the failover: no failover. */
    ts_do(e, 4 * T_HOUR, SIM_ACT_REPAIR, fe3);
    ts_do(e, 5 * T_HOUR, SIM_ACT_CRASH, fs);
    ts_do(e, 5 * T_HOUR + 30, SIM_ACT_REPAIR, fs);
    s = ts_status(e, 6 * T_HOUR);
    assert_true(s.file_store_up);
    assert_int_equal(s.file_store_failovers, 2);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* Assumption A2: a graceful shutdown of the active DFS replica switches
 * first (no outage); with the assumption off it is a failover outage. */
static void test_file_store_a2_planned_dfs_switch(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int fs = qr_topology_find(t, "fs"), fe3 = qr_topology_find(t, "fe3");
    int rep[] = { fs, fe3 };
    tt_dfs(t, 2, rep);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, fs);
    sim_status s = ts_status(e, 60);
    assert_true(s.file_store_up);
    assert_int_equal(s.file_store_failovers, 1);
    sim_engine_free(e);

    sim_config c;
    sim_config_default(&c);
    c.random_failures = false;
    c.patching = false;
    c.planned_dfs_switch = false;
    e = sim_engine_new(t, &c, NULL, 0);
    sim_engine_begin(e, 1, 0);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, fs);
    assert_false(ts_status(e, 60).file_store_up);
    assert_true(ts_status(e, 120).file_store_up);
    sim_engine_free(e);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_store_m5_1_share),
        cmocka_unit_test(test_file_store_m5_1_dfs_failover),
        cmocka_unit_test(test_file_store_a2_planned_dfs_switch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
