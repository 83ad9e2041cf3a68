/*
 * test_engine.c: the engine's component layer: containment (M0.2), the
 * three component states (M0.1), random failure and repair clocks (M0.3)
 * with lazy cancellation, scripted actions, reproducibility per
 * (seed, replication), and the designs the full simulation refuses.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim_script.h"

/* M0.2: a host down takes its servers down the same way; a site takes
 * hosts and servers; the servers come back with their container. */
static void test_engine_m0_2_containment(void **state)
{
    (void)state;
    qr_topology *t = tt_new();
    int site = tt_comp(t, "dc", QR_COMP_SITE, -1, -1);
    int host = tt_comp(t, "h1", QR_COMP_HOST, site, -1);
    int a = tt_comp(t, "a", QR_COMP_SERVER, site, host);
    int b = tt_comp(t, "b", QR_COMP_SERVER, site, -1);
    int c = tt_comp(t, "c", QR_COMP_SERVER, site, -1);
    int fe[] = { a, b, c };
    tt_frontends(t, 3, fe);
    tt_standalone(t, c);
    tt_share(t, c);
    sim_engine *e = ts_engine(t, false);
    ts_do(e, 10, SIM_ACT_CRASH, host);
    assert_int_equal(sim_engine_comp_state(e, a), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_comp_state(e, b), SIM_UP);
    ts_do(e, 20, SIM_ACT_REPAIR, host);
    assert_int_equal(sim_engine_comp_state(e, a), SIM_UP);
    ts_do(e, 30, SIM_ACT_SHUTDOWN, host);
    assert_int_equal(sim_engine_comp_state(e, a), SIM_DOWN_GRACEFUL);
    /* The graceful host shutdown is a graceful leave (M1.3). */
    assert_int_equal(ts_status(e, 30).seeds_counted, 2);
    ts_do(e, 40, SIM_ACT_START, host);
    /* A server's own state wins over its container's. */
    ts_do(e, 50, SIM_ACT_CRASH, a);
    ts_do(e, 60, SIM_ACT_SHUTDOWN, host);
    assert_int_equal(sim_engine_comp_state(e, a), SIM_DOWN_UNEXPECTED);
    ts_do(e, 70, SIM_ACT_START, host);
    ts_do(e, 80, SIM_ACT_REPAIR, a);
    ts_do(e, 90, SIM_ACT_CRASH, site);
    for (int i = 0; i < t->n_comps; i++)
        if (i != site)
            assert_int_equal(sim_engine_comp_state(e, i), SIM_DOWN_UNEXPECTED);
    sim_status s = ts_status(e, 90);
    assert_false(s.pool_up);
    assert_int_equal(s.frontends_running, 0);
    ts_do(e, 100, SIM_ACT_REPAIR, site);
    for (int i = 0; i < t->n_comps; i++)
        assert_int_equal(sim_engine_comp_state(e, i), SIM_UP);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M0.3 with lazy cancellation: a server shut down stays down whatever its
 * pending random failure or repair events say, and fails again only after
 * it is started. */
static void test_engine_m0_3_lazy_cancellation(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    for (int i = 0; i < t->n_comps; i++) {
        t->comps[i].failure.mean = T_DAY; /* busy clocks */
        t->comps[i].repair.mean = T_HOUR;
        t->comps[i].patch.enabled = false;
    }
    sim_config c;
    sim_config_default(&c);
    c.horizon = T_YEAR;
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    assert_non_null(e);
    sim_engine_begin(e, 5, 0);
    sim_engine_schedule(e, 10 * T_DAY, SIM_ACT_SHUTDOWN, 0);
    for (double now = 10 * T_DAY; now < 100 * T_DAY; now += T_HOUR) {
        sim_engine_run(e, now);
        assert_int_equal(sim_engine_comp_state(e, 0), SIM_DOWN_GRACEFUL);
    }
    sim_engine_schedule(e, 100 * T_DAY, SIM_ACT_START, 0);
    int failures = 0, prev = SIM_UP;
    for (double now = 100 * T_DAY; now < 200 * T_DAY; now += 600) {
        sim_engine_run(e, now);
        int st = sim_engine_comp_state(e, 0);
        failures += prev == SIM_UP && st == SIM_DOWN_UNEXPECTED;
        prev = st;
    }
    assert_true(failures > 50 && failures < 150); /* about one a day */
    sim_engine_free(e);
    qr_topology_free(t);
}

static void one_rep(const qr_topology *t, uint64_t seed, uint64_t stream, sim_rep *r)
{
    sim_config c;
    sim_config_default(&c);
    c.horizon = 3 * T_YEAR;
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    assert_non_null(e);
    assert_int_equal(sim_rep_init(r, t->n_features), 0);
    assert_int_equal(sim_engine_begin(e, seed, stream), 0);
    assert_int_equal(sim_engine_finish(e, r), 0);
    sim_engine_free(e);
}

/* One replication is a function of (seed, replication) only; different
 * replications differ; an engine can be reused. */
static void test_engine_reproducible_per_stream(void **state)
{
    (void)state;
    qr_topology *t = tt_design_2x();
    sim_rep a, b, c;
    one_rep(t, 11, 4, &a);
    one_rep(t, 11, 4, &b);
    one_rep(t, 11, 5, &c);
    assert_true(a.events > 100);
    assert_true(a.events == b.events);
    assert_memory_equal(a.f, b.f, sizeof(*a.f) * (size_t)a.n);
    assert_true(a.events != c.events || memcmp(a.f, c.f, sizeof(*a.f) * (size_t)a.n) != 0);

    sim_config cfg;
    sim_config_default(&cfg);
    cfg.horizon = 3 * T_YEAR;
    sim_engine *e = sim_engine_new(t, &cfg, NULL, 0);
    sim_rep d;
    sim_rep_init(&d, t->n_features);
    sim_engine_begin(e, 11, 5);
    sim_engine_finish(e, &d);
    sim_engine_begin(e, 11, 4); /* reuse */
    sim_engine_finish(e, &d);
    assert_true(d.events == a.events);
    assert_memory_equal(a.f, d.f, sizeof(*a.f) * (size_t)a.n);
    sim_engine_free(e);
    sim_rep_release(&a);
    sim_rep_release(&b);
    sim_rep_release(&c);
    sim_rep_release(&d);
    qr_topology_free(t);
}

/* The 2x design (s1, s2 front ends and mirroring partners, w witness, DFS
 * on s1 and s2) with its servers declared in the order names[0..n-1]:
 * "s1", "s2", "w" or others; roles go to "s1", "s2", "w" whatever their
 * index, the others have none. */
static qr_topology *design_2x_as(int n, const char *const *names)
{
    qr_topology *t = tt_new();
    int s1 = -1, s2 = -1, w = -1;
    for (int k = 0; k < n; k++) {
        int i = tt_server(t, names[k]);
        if (strcmp(names[k], "s1") == 0 || strcmp(names[k], "s1x") == 0)
            s1 = i;
        else if (strcmp(names[k], "s2") == 0)
            s2 = i;
        else if (strcmp(names[k], "w") == 0)
            w = i;
    }
    int fe[] = { s1, s2 };
    tt_frontends(t, 2, fe);
    tt_mirroring(t, s1, s2, w);
    tt_dfs(t, 2, fe);
    return t;
}

/* Every measure of two replications but the event count. */
static bool same_measures(const sim_rep *a, const sim_rep *b)
{
    return a->n == b->n && memcmp(a->f, b->f, sizeof(*a->f) * (size_t)a->n) == 0 &&
           a->quorum_losses == b->quorum_losses &&
           a->group_quorum_losses == b->group_quorum_losses &&
           a->soft_resets == b->soft_resets &&
           a->reset_attempts_failed == b->reset_attempts_failed &&
           a->failovers == b->failovers && a->file_store_failovers == b->file_store_failovers &&
           a->data_loss_risk == b->data_loss_risk && a->patch_nights == b->patch_nights &&
           a->patch_nights_skipped == b->patch_nights_skipped &&
           a->limited_time == b->limited_time && a->resiliency_time == b->resiliency_time;
}

/* M0.3 streams follow names, not positions (seed_streams): adding a spare
 * server with no role in front of the others (which moves their indices)
 * changes no measure of a replication; renaming the principal's server
 * does. The spare fails every two days for a day and is patched monthly:
 * were it in the pool's patch group (M7.1) or counted by M7.2, its reboots
 * would move the others' and its failures would skip patch nights.
 * (Declaring the servers in another order is not neutral: M7.1 patches
 * them in topology order.) */
static void test_engine_m0_3_streams_follow_names(void **state)
{
    (void)state;
    const char *base[] = { "s1", "s2", "w" };
    const char *spare[] = { "spare", "s1", "s2", "w" };
    const char *renamed[] = { "s1x", "s2", "w" };
    qr_topology *t[3] = { design_2x_as(3, base), design_2x_as(4, spare),
                          design_2x_as(3, renamed) };
    t[1]->comps[0].failure.mean = 2 * T_DAY;
    t[1]->comps[0].repair.mean = T_DAY;
    int differ = 0;
    for (uint64_t rep = 0; rep < 4; rep++) {
        sim_rep r[3];
        for (int k = 0; k < 3; k++)
            one_rep(t[k], 21, rep, &r[k]);
        assert_true(r[0].patch_nights > 30);
        assert_true(same_measures(&r[0], &r[1]));
        assert_true(r[1].events > r[0].events); /* the spare did fail */
        differ += !same_measures(&r[0], &r[2]);
        for (int k = 0; k < 3; k++)
            sim_rep_release(&r[k]);
    }
    assert_int_equal(differ, 4);
    for (int k = 0; k < 3; k++)
        qr_topology_free(t[k]);
}

/* Failover-cluster back ends and file stores (M4.6, M4.7, M5.1) run in the
 * full simulation when they name a cluster with nodes; a dangling cluster
 * reference is refused with a reason. */
static void test_engine_cluster_backends_need_a_cluster(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(2);
    t->pool.backend.kind = QR_BACKEND_ALWAYSON;
    t->pool.backend.cluster = -1;
    char err[256] = "";
    assert_false(sim_engine_supports(t, err, sizeof(err)));
    assert_non_null(strstr(err, "cluster"));
    sim_config c;
    sim_config_default(&c);
    assert_null(sim_engine_new(t, &c, err, sizeof(err)));

    /* One two-node cluster on fe1, fe2 with the SQL server as file share
     * witness: every cluster design is accepted. */
    int fe[] = { t->pool.frontends[0], t->pool.frontends[1] };
    int c0 = tt_cluster(t, "wsfc", 2, fe, QR_WITNESS_FILE_SHARE, qr_topology_find(t, "sql"));
    tt_alwayson(t, c0, 2, fe);
    assert_true(sim_engine_supports(t, err, sizeof(err)));
    sim_engine *e = sim_engine_new(t, &c, err, sizeof(err));
    assert_non_null(e);
    sim_engine_free(e);
    t->pool.backend.kind = QR_BACKEND_FCI;
    assert_true(sim_engine_supports(t, err, sizeof(err)));
    t->pool.backend.kind = QR_BACKEND_STANDALONE;
    t->pool.file_store.kind = QR_FILE_STORE_CLUSTER;
    t->pool.file_store.cluster = 3;
    assert_false(sim_engine_supports(t, err, sizeof(err)));
    assert_non_null(strstr(err, "file-share cluster"));
    t->pool.file_store.cluster = 0;
    assert_true(sim_engine_supports(t, err, sizeof(err)));
    qr_topology_free(t);
}

/* Scripted actions in the past or on a bad component are refused. */
static void test_engine_schedule_rejects_bad_input(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    sim_engine *e = ts_engine(t, false);
    sim_engine_run(e, 100);
    assert_int_equal(sim_engine_schedule(e, 50, SIM_ACT_CRASH, 0), -1);
    assert_int_equal(sim_engine_schedule(e, 150, SIM_ACT_CRASH, t->n_comps), -1);
    assert_int_equal(sim_engine_schedule(e, 150, SIM_ACT_CRASH, -1), -1);
    assert_int_equal(sim_engine_schedule(e, 150, SIM_ACT_SOFT_RESET, -1), 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M6: routing groups live in the pool's fabric, so a feature that needs
 * only routing groups (even in limited functionality) is down while the
 * pool is down, as in the static view (M9). */
static void test_engine_m6_group_need_implies_pool(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    t->features[0].needs = QR_NEED_GROUP_LIMITED;
    t->features[1].needs = QR_NEED_GROUP;
    int fe1 = qr_topology_find(t, "fe1"), fe2 = qr_topology_find(t, "fe2");
    sim_engine *e = ts_engine(t, false);
    (void)ts_status(e, 60);
    assert_true(sim_engine_feature(e, 0) == 1.0);
    assert_true(sim_engine_feature(e, 1) == 1.0);
    ts_do(e, 120, SIM_ACT_CRASH, fe1);
    ts_do(e, 180, SIM_ACT_CRASH, fe2);
    assert_int_not_equal(ts_status(e, 240).pool, SIM_POOL_UP);
    assert_true(sim_engine_feature(e, 0) == 0.0);
    assert_true(sim_engine_feature(e, 1) == 0.0);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* sim_engine_step: one event at a time, each with its cause; nothing is
 * taken before its time; sim_engine_next_time sees the earliest. */
static void test_engine_step_one_event_with_its_cause(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(3);
    int fe1 = qr_topology_find(t, "fe1");
    sim_engine *e = ts_engine(t, false);
    sim_step_info info;
    assert_true(isinf(sim_engine_next_time(e)));
    assert_int_equal(sim_engine_step(e, 1e9, &info), 0);
    assert_int_equal(sim_engine_schedule(e, 100, SIM_ACT_CRASH, fe1), 0);
    assert_int_equal(sim_engine_schedule(e, 100, SIM_ACT_SOFT_RESET, -1), 0);
    assert_true(sim_engine_next_time(e) == 100);
    assert_int_equal(sim_engine_step(e, 99, &info), 0); /* not due yet */
    assert_int_equal(sim_engine_step(e, 100, &info), 1);
    assert_int_equal(info.cause, SIM_CAUSE_ACTION);
    assert_int_equal(info.action, SIM_ACT_CRASH);
    assert_int_equal(info.index, fe1);
    assert_true(info.time == 100);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_step(e, 100, &info), 1); /* the second, alone */
    assert_int_equal(info.action, SIM_ACT_SOFT_RESET);
    assert_int_equal(info.index, -1);
    assert_int_equal(sim_engine_step(e, 100, NULL), 0);
    sim_engine_free(e);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_m0_2_containment),
        cmocka_unit_test(test_engine_m6_group_need_implies_pool),
        cmocka_unit_test(test_engine_m0_3_lazy_cancellation),
        cmocka_unit_test(test_engine_reproducible_per_stream),
        cmocka_unit_test(test_engine_m0_3_streams_follow_names),
        cmocka_unit_test(test_engine_cluster_backends_need_a_cluster),
        cmocka_unit_test(test_engine_schedule_rejects_bad_input),
        cmocka_unit_test(test_engine_step_one_event_with_its_cause),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
