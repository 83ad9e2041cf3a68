/*
 * test_attribution.c: downtime by cause (sim/causes.h,
 * sim/behaviour/attribution.c, docs/simulate.md "Downtime by cause"): one
 * scripted, hand-checked scenario per main cause, each asserting the
 * seconds attributed against the model's delays, and on every bundled
 * design, full and --static, that every replication's causes and starts
 * sum to its downtime and the summary's means to the mean downtime.
 */
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/diag.h"
#include "model/loader.h"
#include "sim/runner.h"
#include "sim_script.h"

/* Run the scripted engine to its horizon and keep the replication. */
static void finish(sim_engine *e, const qr_topology *t, sim_rep *r)
{
    assert_int_equal(sim_rep_init(r, t->n_features), 0);
    assert_int_equal(sim_engine_finish(e, r), 0);
}

static int feature(const qr_topology *t, const char *name)
{
    int k = qr_topology_find_feature(t, name);
    assert_true(k >= 0);
    return k;
}

/* |a - b| within floating rounding of sums of a few terms. */
static void assert_seconds(double got, double want)
{
    if (!(fabs(got - want) <= 1e-9 * (fabs(want) + 1.0)))
        fail_msg("got %.12g s, expected %.12g s", got, want);
}

/* Feature k's loss is all cause c, started by s, and lasts `seconds`. */
static void assert_only(const sim_rep *r, int k, sim_down_cause c, sim_down_start s,
                        double seconds)
{
    assert_seconds(r->f[k].down_time, seconds);
    for (int i = 0; i < SIM_DC_COUNT; i++)
        assert_seconds(sim_rep_cause(r, k, (sim_down_cause)i), i == (int)c ? seconds : 0.0);
    for (int i = 0; i < SIM_DS_COUNT; i++)
        assert_seconds(sim_rep_start(r, k, (sim_down_start)i), i == (int)s ? seconds : 0.0);
}

/* The 3.0 design: s1, s2, s3 all front ends; SQL mirroring s1 (principal),
 * s2 (mirror), witness s3; DFS on s1, s2. */
static qr_topology *design_3_0(void)
{
    qr_topology *t = tt_new();
    int s1 = tt_server(t, "s1"), s2 = tt_server(t, "s2"), s3 = tt_server(t, "s3");
    int fe[] = { s1, s2, s3 }, dfs[] = { s1, s2 };
    tt_frontends(t, 3, fe);
    tt_mirroring(t, s1, s2, s3);
    tt_dfs(t, 2, dfs);
    return t;
}

/* M3.3, M5.1 on 3.0: a crash of s1 (principal, active DFS replica, front
 * end) costs persistent_changes exactly backend.failover_time of SQL
 * failover and conferencing (which needs only the Back End's grace) exactly
 * file_store.failover_time of file-store failover; the pool keeps quorum. */
static void test_attribution_sql_and_dfs_failover(void **state)
{
    (void)state;
    qr_topology *t = design_3_0();
    t->pool.backend.failover_time = 70;
    t->pool.file_store.failover_time = 110;
    sim_engine *e = ts_engine(t, true);
    ts_do(e, T_HOUR, SIM_ACT_CRASH, qr_topology_find(t, "s1"));
    ts_do(e, 5 * T_HOUR, SIM_ACT_REPAIR, qr_topology_find(t, "s1"));
    sim_rep r;
    finish(e, t, &r);
    assert_only(&r, feature(t, "persistent_changes"), SIM_DC_BE_FAILOVER, SIM_DS_SERVER, 70);
    assert_only(&r, feature(t, "conferencing"), SIM_DC_FS_FAILOVER, SIM_DS_SERVER, 110);
    assert_only(&r, feature(t, "address_book"), SIM_DC_FS_FAILOVER, SIM_DS_SERVER, 110);
    assert_seconds(r.f[feature(t, "presence")].down_time, 0);
    assert_seconds(r.f[t->n_features].down_time, 0);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.8 on the 2-FE pool: s1 holds a front end and the SQL principal. Its
 * crash loses the pool's quorum (1 of 3 votes) until the failover brings
 * the Back End vote back (votes missing: backend.failover_time), then the
 * pool waits for the operator's soft reset (quorum_reset.after after the
 * loss) and restarts (fabric.restart_time). */
static void test_attribution_m1_8_reset_and_restart(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    double fo = t->pool.backend.failover_time, after = t->params.quorum_reset_after;
    double restart = t->params.restart_time;
    sim_engine *e = ts_engine(t, true);
    ts_do(e, T_HOUR, SIM_ACT_CRASH, qr_topology_find(t, "s1"));
    ts_do(e, 6 * T_HOUR, SIM_ACT_REPAIR, qr_topology_find(t, "s1"));
    sim_rep r;
    finish(e, t, &r);
    int pool = t->n_features;
    assert_seconds(r.f[pool].down_time, after + restart);
    assert_seconds(sim_rep_cause(&r, pool, SIM_DC_POOL_VOTES), fo);
    assert_seconds(sim_rep_cause(&r, pool, SIM_DC_POOL_RESET), after - fo);
    assert_seconds(sim_rep_cause(&r, pool, SIM_DC_POOL_RESTART), restart);
    assert_seconds(sim_rep_start(&r, pool, SIM_DS_SERVER), after + restart);
    /* Every feature needs the pool first: the same split. */
    int p2p = feature(t, "p2p_calls");
    assert_seconds(sim_rep_cause(&r, p2p, SIM_DC_POOL_RESET), after - fo);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M1.5, M1.6 with a host: two of three front ends on host h1; its failure
 * (no operator) leaves the pool without votes until the host returns, then
 * the automatic restart takes fabric.restart_time; both started by the
 * host failure. */
static void test_attribution_host_failure_and_restart(void **state)
{
    (void)state;
    qr_topology *t = tt_new();
    int h1 = tt_comp(t, "h1", QR_COMP_HOST, -1, -1);
    int fe[] = { tt_comp(t, "fe1", QR_COMP_SERVER, -1, h1),
                 tt_comp(t, "fe2", QR_COMP_SERVER, -1, h1), tt_server(t, "fe3") };
    tt_frontends(t, 3, fe);
    tt_standalone(t, tt_server(t, "sql"));
    tt_share(t, tt_server(t, "fs"));
    sim_engine *e = ts_engine(t, false);
    ts_do(e, T_HOUR, SIM_ACT_CRASH, h1);
    ts_do(e, 3 * T_HOUR, SIM_ACT_REPAIR, h1);
    sim_rep r;
    finish(e, t, &r);
    int pool = t->n_features;
    double restart = t->params.restart_time;
    assert_seconds(r.f[pool].down_time, 2 * T_HOUR + restart);
    assert_seconds(sim_rep_cause(&r, pool, SIM_DC_POOL_VOTES), 2 * T_HOUR);
    assert_seconds(sim_rep_cause(&r, pool, SIM_DC_POOL_RESTART), restart);
    assert_seconds(sim_rep_start(&r, pool, SIM_DS_HOST), 2 * T_HOUR + restart);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M3.4, M3.5: mirroring without a witness. The principal's crash waits
 * operations.sql_failover.after for the manual failover (persistent
 * changes); presence needs the Back End only within its grace, so it is
 * down from the end of the grace to the failover, in resiliency mode,
 * started by the crash (the grace timer carries its origin). */
static void test_attribution_manual_failover_and_resiliency(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int sql2 = tt_server(t, "sql2");
    tt_mirroring(t, qr_topology_find(t, "sql"), sql2, -1);
    t->params.sql_failover_after = 40 * T_MIN;
    double grace = t->pool.backend.resiliency_grace;
    sim_engine *e = ts_engine(t, true);
    ts_do(e, T_HOUR, SIM_ACT_CRASH, qr_topology_find(t, "sql"));
    sim_rep r;
    finish(e, t, &r);
    assert_only(&r, feature(t, "persistent_changes"), SIM_DC_BE_MANUAL, SIM_DS_SERVER,
                40 * T_MIN);
    assert_only(&r, feature(t, "presence"), SIM_DC_RESILIENCY, SIM_DS_SERVER,
                40 * T_MIN - grace);
    assert_seconds(r.f[feature(t, "address_book")].down_time, 0);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M3.6, M5: a standalone SQL server down 2 h is "Back End down" for the
 * features that need it serving; a file share on a server shut down
 * gracefully is "file store down", started by a planned shutdown. */
static void test_attribution_backend_and_file_store_down(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, T_HOUR, SIM_ACT_CRASH, qr_topology_find(t, "sql"));
    ts_do(e, 3 * T_HOUR, SIM_ACT_REPAIR, qr_topology_find(t, "sql"));
    ts_do(e, 10 * T_HOUR, SIM_ACT_SHUTDOWN, qr_topology_find(t, "fs"));
    ts_do(e, 10 * T_HOUR + 900, SIM_ACT_START, qr_topology_find(t, "fs"));
    sim_rep r;
    finish(e, t, &r);
    double grace = t->pool.backend.resiliency_grace;
    assert_only(&r, feature(t, "persistent_changes"), SIM_DC_BE_DOWN, SIM_DS_SERVER, 2 * T_HOUR);
    assert_only(&r, feature(t, "presence"), SIM_DC_RESILIENCY, SIM_DS_SERVER, 2 * T_HOUR - grace);
    assert_only(&r, feature(t, "address_book"), SIM_DC_FS_DOWN, SIM_DS_PLANNED, 900);
    /* conferencing: both, each with its own cause and start. */
    int conf = feature(t, "conferencing");
    assert_seconds(r.f[conf].down_time, 2 * T_HOUR - grace + 900);
    assert_seconds(sim_rep_cause(&r, conf, SIM_DC_RESILIENCY), 2 * T_HOUR - grace);
    assert_seconds(sim_rep_cause(&r, conf, SIM_DC_FS_DOWN), 900);
    assert_seconds(sim_rep_start(&r, conf, SIM_DS_SERVER), 2 * T_HOUR - grace);
    assert_seconds(sim_rep_start(&r, conf, SIM_DS_PLANNED), 900);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M2.4: with four front ends (three replicas a group) two crashed at once
 * leave the groups that had both in quorum loss; presence loses their share
 * of the users for the hour, attributed to the routing groups; sign-in
 * (limited functionality counts as available) loses nothing. */
static void test_attribution_routing_groups(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(4);
    sim_engine *e = ts_engine(t, false);
    int fe1 = qr_topology_find(t, "fe1"), fe2 = qr_topology_find(t, "fe2");
    assert_int_equal(sim_engine_schedule(e, T_HOUR, SIM_ACT_CRASH, fe1), 0);
    assert_int_equal(sim_engine_schedule(e, T_HOUR, SIM_ACT_CRASH, fe2), 0);
    sim_status s = ts_status(e, T_HOUR);
    assert_true(s.pool_up);
    int lost = s.groups_limited + s.groups_down, groups = lost + s.groups_writable;
    assert_true(lost > 0);
    assert_int_equal(sim_engine_schedule(e, 2 * T_HOUR, SIM_ACT_REPAIR, fe1), 0);
    assert_int_equal(sim_engine_schedule(e, 2 * T_HOUR, SIM_ACT_REPAIR, fe2), 0);
    sim_rep r;
    finish(e, t, &r);
    double want = (double)lost / groups * T_HOUR;
    assert_only(&r, feature(t, "presence"), SIM_DC_GROUPS, SIM_DS_SERVER, want);
    assert_only(&r, feature(t, "persistent_changes"), SIM_DC_GROUPS, SIM_DS_SERVER, want);
    assert_seconds(r.f[feature(t, "signin_im")].down_time, 0);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M4.5: an AlwaysOn back end whose three-node cluster loses two nodes at
 * once is offline until the operator forces quorum
 * (operations.force_quorum.after): "Back End: failover cluster quorum
 * lost". */
static void test_attribution_cluster_quorum(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int n[] = { tt_server(t, "n1"), tt_server(t, "n2"), tt_server(t, "n3") };
    int c = tt_cluster(t, "wsfc", 3, n, QR_WITNESS_NONE, -1);
    int reps[] = { n[0], n[1] };
    tt_alwayson(t, c, 2, reps);
    sim_engine *e = ts_engine(t, true);
    assert_int_equal(sim_engine_schedule(e, T_HOUR, SIM_ACT_CRASH, n[1]), 0);
    assert_int_equal(sim_engine_schedule(e, T_HOUR, SIM_ACT_CRASH, n[2]), 0);
    sim_rep r;
    finish(e, t, &r);
    assert_only(&r, feature(t, "persistent_changes"), SIM_DC_BE_CLUSTER, SIM_DS_SERVER,
                t->params.force_quorum_after);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M5.1 file-share cluster: the owner node's crash moves the share after
 * file_store.failover_time; the shared disk's failure is "file store
 * down", started by a storage failure. */
static void test_attribution_file_share_cluster(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int n[] = { tt_server(t, "n1"), tt_server(t, "n2"), tt_server(t, "n3") };
    int c = tt_cluster(t, "wsfc", 3, n, QR_WITNESS_NONE, -1);
    int san = tt_comp(t, "san", QR_COMP_STORAGE, -1, -1);
    tt_fs_cluster(t, c, san);
    t->pool.file_store.failover_time = 150;
    sim_engine *e = ts_engine(t, false);
    ts_do(e, T_HOUR, SIM_ACT_CRASH, n[0]);
    ts_do(e, 2 * T_HOUR, SIM_ACT_CRASH, san);
    ts_do(e, 3 * T_HOUR, SIM_ACT_REPAIR, san);
    sim_rep r;
    finish(e, t, &r);
    int ab = feature(t, "address_book");
    assert_seconds(r.f[ab].down_time, 150 + T_HOUR);
    assert_seconds(sim_rep_cause(&r, ab, SIM_DC_FS_FAILOVER), 150);
    assert_seconds(sim_rep_cause(&r, ab, SIM_DC_FS_DOWN), T_HOUR);
    assert_seconds(sim_rep_start(&r, ab, SIM_DS_SERVER), 150);
    assert_seconds(sim_rep_start(&r, ab, SIM_DS_STORAGE), T_HOUR);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.1: with patching on and nothing failing, every loss of a single file
 * share is a patch reboot: "file store down", started by a planned
 * shutdown, patch.reboot per night. */
static void test_attribution_patch_night(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_config c;
    sim_config_default(&c);
    c.horizon = T_YEAR;
    c.random_failures = false;
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    assert_non_null(e);
    assert_int_equal(sim_engine_begin(e, 1, 0), 0);
    sim_rep r;
    finish(e, t, &r);
    int ab = feature(t, "address_book");
    double reboot = t->comps[qr_topology_find(t, "fs")].patch.reboot;
    double nights = r.f[ab].down_time / reboot;
    assert_true(nights >= 11 && fabs(nights - round(nights)) < 1e-9);
    assert_only(&r, ab, SIM_DC_FS_DOWN, SIM_DS_PLANNED, r.f[ab].down_time);
    sim_rep_release(&r);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* ---- sums on the bundled designs ---- */

typedef struct {
    int checked;
} sums_ctx;

static void check_rep_sums(const sim_rep *reps, int n, int first, void *ctx)
{
    (void)first;
    sums_ctx *c = ctx;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < reps[i].n; k++) {
            double sc = 0, ss = 0, d = reps[i].f[k].down_time;
            for (int j = 0; j < SIM_DC_COUNT; j++)
                sc += sim_rep_cause(&reps[i], k, (sim_down_cause)j);
            for (int j = 0; j < SIM_DS_COUNT; j++)
                ss += sim_rep_start(&reps[i], k, (sim_down_start)j);
            if (!(fabs(sc - d) <= 1e-9 * d + 1e-9) || !(fabs(ss - d) <= 1e-9 * d + 1e-9))
                fail_msg("replication %d, row %d: causes %.12g, starts %.12g, downtime %.12g",
                         first + i, k, sc, ss, d);
            c->checked++;
        }
    }
}

static void check_summary_sums(const sim_summary *s, const char *what)
{
    for (int k = 0; k < s->n; k++) {
        double sc = 0, ss = 0, d = s->f[k].downtime_min_year.mean;
        for (int j = 0; j < SIM_DC_COUNT; j++)
            sc += s->f[k].by_cause[j].mean;
        for (int j = 0; j < SIM_DS_COUNT; j++)
            ss += s->f[k].by_start[j].mean;
        if (!(fabs(sc - d) <= 1e-9 * d + 1e-12) || !(fabs(ss - d) <= 1e-9 * d + 1e-12))
            fail_msg("%s row %d: causes %.12g, starts %.12g, downtime %.12g", what, k, sc, ss, d);
    }
}

/* Every replication of every bundled design, full and --static: each
 * row's causes and starts sum to its downtime, and so do the means. In
 * --static every loss is "components down". */
static void test_attribution_sums_bundled(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("topologies/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 5);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        qr_diags d;
        qr_topology *t = NULL;
        qr_diags_init(&d, g.gl_pathv[i]);
        assert_int_equal(qr_topology_load_file(g.gl_pathv[i], &t, &d), 0);
        for (int mode = 0; mode < 2; mode++) {
            sums_ctx c = { 0 };
            sim_run_options o;
            memset(&o, 0, sizeof(o));
            o.years = 20;
            o.runs = 10;
            o.seed = 5;
            o.threads = 2;
            o.static_mode = mode == 1;
            o.on_reps = check_rep_sums;
            o.on_reps_ctx = &c;
            sim_summary s;
            char err[256];
            assert_int_equal(sim_run(t, &o, &s, NULL, err, sizeof(err)), 0);
            assert_int_equal(c.checked, o.runs * s.n);
            check_summary_sums(&s, g.gl_pathv[i]);
            double total = 0;
            for (int k = 0; k < s.n; k++)
                total += s.f[k].downtime_min_year.mean;
            assert_true(total > 0); /* something to attribute */
            for (int k = 0; k < s.n; k++)
                for (int j = 0; j < SIM_DC_COUNT; j++)
                    if ((j == SIM_DC_STATIC) != (mode == 1))
                        assert_true(s.f[k].by_cause[j].mean == 0);
            sim_summary_release(&s);
        }
        qr_topology_free(t);
        qr_diags_release(&d);
    }
    globfree(&g);
}

/* Every cause and start has a distinct key and a label. */
static void test_attribution_names(void **state)
{
    (void)state;
    for (int i = 0; i < SIM_DC_COUNT; i++) {
        assert_true(strlen(sim_down_cause_label((sim_down_cause)i)) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(sim_down_cause_key((sim_down_cause)i),
                                    sim_down_cause_key((sim_down_cause)j));
    }
    for (int i = 0; i < SIM_DS_COUNT; i++) {
        assert_true(strlen(sim_down_start_label((sim_down_start)i)) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(sim_down_start_key((sim_down_start)i),
                                    sim_down_start_key((sim_down_start)j));
    }
    assert_string_equal(sim_down_cause_key(SIM_DC_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attribution_sql_and_dfs_failover),
        cmocka_unit_test(test_attribution_m1_8_reset_and_restart),
        cmocka_unit_test(test_attribution_host_failure_and_restart),
        cmocka_unit_test(test_attribution_manual_failover_and_resiliency),
        cmocka_unit_test(test_attribution_backend_and_file_store_down),
        cmocka_unit_test(test_attribution_routing_groups),
        cmocka_unit_test(test_attribution_cluster_quorum),
        cmocka_unit_test(test_attribution_file_share_cluster),
        cmocka_unit_test(test_attribution_patch_night),
        cmocka_unit_test(test_attribution_sums_bundled),
        cmocka_unit_test(test_attribution_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
