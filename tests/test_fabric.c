/*
 * test_fabric.c: one scripted scenario per behaviour rule of M1 (pool-level
 * quorum of the Windows Fabric seed nodes), random failures off.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim_script.h"

/* M1.1: 8 front ends -> the first 7 are seeds; the 8th does not vote. */
static void test_fabric_m1_1_seed_nodes(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(8);
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    sim_status s = ts_status(e, 0);
    assert_int_equal(s.seeds, 7);
    assert_int_equal(s.votes_counted, 7);
    /* Losing the non-seed changes no vote. */
    ts_do(e, 60, SIM_ACT_CRASH, 7);
    s = ts_status(e, 60);
    assert_int_equal(s.seeds_present, 7);
    /* 4 of the first 7 must run: lose 3 seeds -> up, a 4th -> down. */
    ts_do(e, 120, SIM_ACT_CRASH, 0);
    ts_do(e, 121, SIM_ACT_CRASH, 1);
    ts_do(e, 122, SIM_ACT_CRASH, 2);
    assert_true(ts_status(e, 122).pool_up);
    ts_do(e, 123, SIM_ACT_CRASH, 3);
    assert_false(ts_status(e, 123).pool_up);
    sim_engine_free(e);
    qr_topology_free(t);

    t = tt_pool(10);
    e = ts_engine(t, false);
    assert_int_equal(ts_status(e, 0).seeds, 9);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.2: with an even seed count the Back End votes: 4 FEs keep quorum with
 * 2 running only while the Back End serves. */
static void test_fabric_m1_2_backend_vote_even_seeds(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(4);
    int sql = qr_topology_find(t, "sql");
    sim_engine *e = ts_engine(t, false);
    sim_status s = ts_status(e, 0);
    assert_int_equal(s.votes_counted, 5);
    ts_do(e, 60, SIM_ACT_CRASH, 0);
    ts_do(e, 61, SIM_ACT_CRASH, 1);
    s = ts_status(e, 61);
    assert_true(s.pool_up);
    assert_int_equal(s.votes_present, 3);
    sim_engine_free(e);

    /* Same losses without the Back End: 2 of 5 -> quorum lost. */
    e = ts_engine(t, false);
    ts_do(e, 10, SIM_ACT_CRASH, sql);
    assert_true(ts_status(e, 10).pool_up); /* 4 of 5 */
    ts_do(e, 60, SIM_ACT_CRASH, 0);
    assert_true(ts_status(e, 60).pool_up); /* 3 of 5 */
    ts_do(e, 61, SIM_ACT_CRASH, 1);
    assert_false(ts_status(e, 61).pool_up);
    sim_engine_free(e);
    qr_topology_free(t);

    /* Odd seeds: no Back End vote. */
    t = tt_pool(3);
    e = ts_engine(t, false);
    assert_int_equal(ts_status(e, 0).votes_counted, 3);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.3: a graceful leave takes the seed out of the count: 3 FEs survive
 * two graceful shutdowns; with the parameter off they do not. */
static void test_fabric_m1_3_graceful_leave_adjusts_votes(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, 0);
    ts_do(e, 120, SIM_ACT_SHUTDOWN, 1);
    sim_status s = ts_status(e, 120);
    assert_true(s.pool_up);
    assert_int_equal(s.seeds_counted, 1);
    /* Coming back, it is counted again. */
    ts_do(e, 180, SIM_ACT_START, 1);
    assert_int_equal(ts_status(e, 180).seeds_counted, 2);
    sim_engine_free(e);

    t->params.graceful_leave_adjusts_votes = false;
    e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, 0);
    ts_do(e, 120, SIM_ACT_SHUTDOWN, 1);
    s = ts_status(e, 120);
    assert_false(s.pool_up);
    assert_int_equal(s.seeds_counted, 3);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.4: an unexpected loss stays counted: 3 FEs, 2 crash -> 1 of 3. */
static void test_fabric_m1_4_unexpected_loss_counted(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, 0);
    sim_status s = ts_status(e, 60);
    assert_true(s.pool_up);
    assert_int_equal(s.seeds_counted, 3);
    ts_do(e, 120, SIM_ACT_CRASH, 1);
    s = ts_status(e, 120);
    assert_false(s.pool_up);
    assert_int_equal(s.votes_counted, 3);
    assert_int_equal(s.votes_present, 1);
    assert_int_equal(s.quorum_losses, 1);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.5: quorum loss is sticky: a vote coming back does not restart the
 * pool by itself (3 FEs: 2 running is quorum but below the start
 * threshold of 3). */
static void test_fabric_m1_5_sticky_quorum_loss(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, 0);
    ts_do(e, 120, SIM_ACT_CRASH, 1);
    assert_false(ts_status(e, 120).pool_up);
    ts_do(e, 600, SIM_ACT_REPAIR, 1);
    sim_status s = ts_status(e, 30 * T_DAY);
    assert_int_equal(s.votes_present, 2);
    assert_false(s.pool_up);
    assert_int_equal(s.pool, SIM_POOL_DOWN);
    /* Every feature that needs the pool is down. */
    for (int f = 0; f < t->n_features; f++)
        assert_true(sim_engine_feature(e, f) == 0.0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.6: the pool restarts by itself when the running front ends reach the
 * start threshold, fabric.restart_time later. */
static void test_fabric_m1_6_restart_at_threshold(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    t->params.restart_time = 15 * T_MIN;
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_CRASH, 0);
    ts_do(e, 120, SIM_ACT_CRASH, 1);
    ts_do(e, T_HOUR, SIM_ACT_REPAIR, 0);
    assert_false(ts_status(e, 2 * T_HOUR).pool_up); /* 2 < 3 */
    ts_do(e, 3 * T_HOUR, SIM_ACT_REPAIR, 1);        /* 3 >= 3 */
    sim_status s = ts_status(e, 3 * T_HOUR + 15 * T_MIN - 1);
    assert_int_equal(s.pool, SIM_POOL_STARTING);
    assert_true(ts_status(e, 3 * T_HOUR + 15 * T_MIN).pool_up);
    assert_int_equal(ts_status(e, 4 * T_HOUR).soft_resets, 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.7: the operator's soft reset after quorum_reset.after succeeds only
 * when the running front ends satisfy M1.2; retried every
 * quorum_reset.retry; counted as a data-loss risk. */
static void test_fabric_m1_7_soft_reset(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_engine *e = ts_engine(t, true);
    ts_do(e, 0, SIM_ACT_CRASH, 0);
    ts_do(e, 0, SIM_ACT_CRASH, 1);
    /* 30m: 1 of 3 -> the reset cannot succeed. */
    sim_status s = ts_status(e, 30 * T_MIN + 1);
    assert_false(s.pool_up);
    assert_int_equal(s.reset_attempts_failed, 1);
    assert_int_equal(s.soft_resets, 0);
    ts_do(e, 40 * T_MIN, SIM_ACT_REPAIR, 1);
    /* Retry at 60m: 2 of 3 -> reset, pool up at 75m. */
    s = ts_status(e, 60 * T_MIN + 1);
    assert_int_equal(s.soft_resets, 1);
    assert_int_equal(s.data_loss_risk, 1);
    assert_int_equal(s.pool, SIM_POOL_STARTING);
    assert_false(ts_status(e, 75 * T_MIN - 1).pool_up);
    assert_true(ts_status(e, 75 * T_MIN).pool_up);
    sim_engine_free(e);

    /* A triggered task (2m) resets much sooner. */
    t->params.quorum_reset_after = 2 * T_MIN;
    e = ts_engine(t, true);
    ts_do(e, 0, SIM_ACT_CRASH, 0);
    ts_do(e, 0, SIM_ACT_CRASH, 1);
    ts_do(e, 60, SIM_ACT_REPAIR, 1);
    assert_int_equal(ts_status(e, 2 * T_MIN).soft_resets, 1);
    assert_true(ts_status(e, 17 * T_MIN).pool_up);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.8, the field write-up's 2.x mirror design: the unexpected loss of the
 * server holding the principal leaves 1 of 3 votes during the failover:
 * quorum lost, a soft reset is needed. */
static void test_fabric_m1_8_principal_server_crash_needs_reset(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    int s1 = qr_topology_find(t, "s1");
    sim_engine *e = ts_engine(t, true);
    ts_do(e, 60, SIM_ACT_CRASH, s1);
    sim_status s = ts_status(e, 60);
    assert_false(s.pool_up);
    assert_int_equal(s.quorum_losses, 1);
    /* The mirror takes over after 1m, but the loss is sticky. */
    s = ts_status(e, 5 * T_MIN);
    assert_true(s.backend_serving);
    assert_false(s.pool_up);
    /* The reset at 30m succeeds (FE + Back End), pool up 15m later. */
    s = ts_status(e, 60 + 30 * T_MIN);
    assert_int_equal(s.soft_resets, 1);
    assert_true(ts_status(e, 60 + 45 * T_MIN).pool_up);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.8: a graceful shutdown of either server keeps quorum (M1.3). */
static void test_fabric_m1_8_graceful_shutdown_keeps_quorum(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    for (int k = 0; k < 2; k++) {
        sim_engine *e = ts_engine(t, true);
        ts_do(e, 60, SIM_ACT_SHUTDOWN, k);
        sim_status s = ts_status(e, T_DAY);
        assert_true(s.pool_up);
        assert_true(s.backend_serving);
        assert_int_equal(s.quorum_losses, 0);
        assert_int_equal(s.soft_resets, 0);
        sim_engine_free(e);
    }
    qr_topology_free(t);
}

/* M1.8: losing the other server (the mirror's) keeps quorum: FE + BE. */
static void test_fabric_m1_8_other_server_crash_keeps_quorum(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    int s2 = qr_topology_find(t, "s2");
    sim_engine *e = ts_engine(t, true);
    ts_do(e, 60, SIM_ACT_CRASH, s2);
    sim_status s = ts_status(e, T_DAY);
    assert_true(s.pool_up);
    assert_int_equal(s.votes_present, 2);
    assert_int_equal(s.quorum_losses, 0);
    assert_int_equal(s.soft_resets, 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.7 / M2.4, a reset that places no replica: a 3-FE pool with one front
 * end drained (its replicas have nowhere to go: every running front end
 * holds every group) and one crashed keeps the pool (1 seed + the Back End
 * = 2 of 3 votes) with every group on one replica, in quorum loss. The
 * operator's reset finds no running front end without a replica of the
 * group: nothing changes, so it is a failed attempt, neither a soft reset
 * nor a data-loss risk. */
static void test_fabric_m1_7_noop_reset_not_counted(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_engine *e = ts_engine(t, true);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, 0);
    ts_do(e, 120, SIM_ACT_CRASH, 1);
    sim_status s = ts_status(e, 120);
    assert_true(s.pool_up);
    assert_int_equal(s.groups_writable, 0);
    assert_true(s.groups_limited > 0);
    assert_int_equal(s.groups_down, 0);
    /* The reset at 120 s + 30m, and its retries, change nothing. */
    s = ts_status(e, 120 + 90 * T_MIN + 1);
    assert_int_equal(s.soft_resets, 0);
    assert_int_equal(s.data_loss_risk, 0);
    assert_int_equal(s.reset_attempts_failed, 3); /* 30m, 60m, 90m */
    assert_int_equal(s.groups_writable, 0);
    /* A scripted reset is the same. */
    ts_do(e, 3 * T_HOUR, SIM_ACT_SOFT_RESET, -1);
    assert_int_equal(ts_status(e, 3 * T_HOUR).soft_resets, 0);
    sim_engine_free(e);

    /* Contrast: 4 FEs, two crashed at once: the groups that had both
     * replicas there get one on a running front end that held none: the
     * reset places replicas, counts, and makes them writable. */
    qr_topology_free(t);
    t = tt_pool(4);
    e = ts_engine(t, true);
    ts_do(e, 60, SIM_ACT_CRASH, 0);
    ts_do(e, 60, SIM_ACT_CRASH, 1);
    s = ts_status(e, 60);
    assert_true(s.pool_up); /* 2 seeds + the Back End of 5 votes */
    assert_true(s.groups_limited > 0);
    s = ts_status(e, 60 + 30 * T_MIN);
    assert_int_equal(s.soft_resets, 1);
    assert_int_equal(s.data_loss_risk, 1);
    assert_int_equal(s.groups_limited, 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.2, SfB Server 2019 with 13-16 front ends: "any 7 of the first 12"
 * (the seeds are the first 12, even, but the Back End does not vote):
 * 6 seeds running lose the pool although the Back End serves. With
 * fabric.sfb2019_backend_vote the even-seed rule applies: 6 + the Back
 * End = 7 of 13 keep it. */
static void test_fabric_m1_2_sfb2019_seven_of_twelve(void **state)
{
    (void)state;
    for (int vote = 0; vote < 2; vote++) {
        qr_topology *t = tt_pool(16);
        t->pool.version = QR_VERSION_SFB2019;
        t->params.sfb2019_backend_vote = vote;
        sim_engine *e = ts_engine(t, false);
        sim_status s = ts_status(e, 0);
        assert_int_equal(s.seeds, 12);
        assert_int_equal(s.votes_counted, vote ? 13 : 12);
        for (int i = 0; i < 5; i++)
            ts_do(e, 60 + i, SIM_ACT_CRASH, i);
        assert_true(ts_status(e, 70).pool_up); /* 7 seeds */
        ts_do(e, 80, SIM_ACT_CRASH, 5);
        s = ts_status(e, 80);
        assert_int_equal(s.votes_present, vote ? 7 : 6);
        assert_int_equal(s.pool_up, vote ? true : false);
        sim_engine_free(e);
        qr_topology_free(t);
    }
    /* The rule is SfB 2019's: for sfb2015 M1.1 gives 9 seeds (odd). */
    qr_topology *t = tt_pool(16);
    t->pool.version = QR_VERSION_SFB2015;
    sim_engine *e = ts_engine(t, false);
    assert_int_equal(ts_status(e, 0).seeds, 9);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.9, the restart order of a two-FE pool: both shut down (fe1, then
 * fe2). Back in reverse order (fe2 first) the pool starts by itself
 * (M1.6); in the wrong order (fe1 first) it does not, until the
 * operator's QuorumLossRecovery reset (M1.7: operations.quorum_reset.after
 * after the loss), counted as a soft reset and a data-loss risk; both back
 * at the same moment is fine; fabric.restart_order off restores M1.6. */
static void test_fabric_m1_9_two_fe_restart_order(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(2);
    /* reverse order of shutdown: up by itself */
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, 0);
    assert_true(ts_status(e, 60).pool_up); /* M1.3 */
    ts_do(e, 120, SIM_ACT_SHUTDOWN, 1);
    assert_false(ts_status(e, 120).pool_up);
    ts_do(e, 10 * T_MIN, SIM_ACT_START, 1);
    assert_true(ts_status(e, 25 * T_MIN).pool_up);
    sim_engine_free(e);

    /* wrong order, no operator: stays down */
    e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, 0);
    ts_do(e, 120, SIM_ACT_SHUTDOWN, 1);
    ts_do(e, 10 * T_MIN, SIM_ACT_START, 0);
    sim_status s = ts_status(e, 3 * T_HOUR);
    assert_false(s.pool_up);
    assert_int_equal(s.pool, SIM_POOL_DOWN);
    assert_int_equal(s.frontends_running, 1);
    /* the scripted reset lifts it: up fabric.restart_time later */
    ts_do(e, 3 * T_HOUR, SIM_ACT_SOFT_RESET, -1);
    s = ts_status(e, 3 * T_HOUR);
    assert_int_equal(s.soft_resets, 1);
    assert_int_equal(s.data_loss_risk, 1);
    assert_true(ts_status(e, 3 * T_HOUR + 15 * T_MIN).pool_up);
    sim_engine_free(e);

    /* wrong order with the operator: the reset 30m after the loss (120 s) */
    e = ts_engine(t, true);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, 0);
    ts_do(e, 120, SIM_ACT_SHUTDOWN, 1);
    ts_do(e, 10 * T_MIN, SIM_ACT_START, 0);
    assert_false(ts_status(e, 120 + 30 * T_MIN - 1).pool_up);
    assert_int_equal(ts_status(e, 120 + 30 * T_MIN).soft_resets, 1);
    assert_false(ts_status(e, 120 + 45 * T_MIN - 1).pool_up);
    assert_true(ts_status(e, 120 + 45 * T_MIN).pool_up);
    sim_engine_free(e);

    /* wrong order, then the other one comes back too: both run, up */
    e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, 0);
    ts_do(e, 120, SIM_ACT_SHUTDOWN, 1);
    ts_do(e, 10 * T_MIN, SIM_ACT_START, 0);
    ts_do(e, 10 * T_MIN, SIM_ACT_START, 1);
    assert_true(ts_status(e, 25 * T_MIN).pool_up);
    assert_int_equal(ts_status(e, 25 * T_MIN).soft_resets, 0);
    sim_engine_free(e);

    /* fabric.restart_order off: the wrong order comes up by itself */
    t->params.restart_order = false;
    e = ts_engine(t, false);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, 0);
    ts_do(e, 120, SIM_ACT_SHUTDOWN, 1);
    ts_do(e, 10 * T_MIN, SIM_ACT_START, 0);
    assert_true(ts_status(e, 25 * T_MIN).pool_up);
    sim_engine_free(e);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fabric_m1_1_seed_nodes),
        cmocka_unit_test(test_fabric_m1_2_backend_vote_even_seeds),
        cmocka_unit_test(test_fabric_m1_3_graceful_leave_adjusts_votes),
        cmocka_unit_test(test_fabric_m1_4_unexpected_loss_counted),
        cmocka_unit_test(test_fabric_m1_5_sticky_quorum_loss),
        cmocka_unit_test(test_fabric_m1_6_restart_at_threshold),
        cmocka_unit_test(test_fabric_m1_7_soft_reset),
        cmocka_unit_test(test_fabric_m1_8_principal_server_crash_needs_reset),
        cmocka_unit_test(test_fabric_m1_8_graceful_shutdown_keeps_quorum),
        cmocka_unit_test(test_fabric_m1_8_other_server_crash_keeps_quorum),
        cmocka_unit_test(test_fabric_m1_7_noop_reset_not_counted),
        cmocka_unit_test(test_fabric_m1_2_sfb2019_seven_of_twelve),
        cmocka_unit_test(test_fabric_m1_9_two_fe_restart_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
