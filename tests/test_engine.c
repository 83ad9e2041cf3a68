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

#include "model/loader.h"
#include "sim/runner.h"
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

/* The event budget (engine.h): durations so short that the clock stops
 * advancing (1e-300 s: now + dt == now) or a year needs tens of millions
 * of events end the replication with -2 after the budget, in the full and
 * the static mode and through sim_run, instead of running forever; a real
 * design is far below it. */
static void degenerate(qr_topology *t, double mean, qr_dist_kind kind, double shape)
{
    for (int i = 0; i < t->n_comps; i++) {
        t->comps[i].failure = (qr_dist){ kind, mean, shape };
        t->comps[i].repair = (qr_dist){ kind, mean, shape };
    }
}

static void test_engine_event_budget(void **state)
{
    (void)state;
    static const struct {
        double mean;
        qr_dist_kind kind;
        double shape;
    } cases[] = {
        { 1e-303, QR_DIST_EXPONENTIAL, 1 }, /* the clock stops           */
        { 1.0, QR_DIST_EXPONENTIAL, 1 },    /* 3e7 events a year         */
        { T_DAY, QR_DIST_LOGNORMAL, 100 },  /* nearly every draw is 0    */
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        for (int static_mode = 0; static_mode <= 1; static_mode++) {
            qr_topology *t = tt_pool(3);
            degenerate(t, cases[k].mean, cases[k].kind, cases[k].shape);
            sim_config c;
            sim_config_default(&c);
            c.static_mode = static_mode;
            c.patching = false;
            sim_engine *e = sim_engine_new(t, &c, NULL, 0);
            assert_non_null(e);
            assert_int_equal(sim_engine_begin(e, 1, 0), 0);
            assert_int_equal(sim_engine_run(e, c.horizon), -2);
            sim_status st;
            sim_engine_status(e, &st);
            /* The first year's budget: 10^5 per component, plus one. */
            double limit = SIM_MAX_EVENTS_PER_COMP_YEAR * (t->n_comps + 1.0) *
                           fmax(1.0, st.now / T_YEAR);
            assert_true((double)st.events > limit && (double)st.events <= limit + 1);
            /* sim_engine_step says the same once the budget is spent. */
            int rc;
            while ((rc = sim_engine_step(e, c.horizon, NULL)) == 1)
                ;
            assert_int_equal(rc, -2);
            sim_engine_free(e);
            if (k != 0) {
                qr_topology_free(t);
                continue;
            }
            sim_run_options o;
            memset(&o, 0, sizeof(o));
            o.years = 10;
            o.runs = 2;
            o.seed = 1;
            o.threads = 2;
            o.static_mode = static_mode;
            sim_summary sum;
            char err[512] = "";
            assert_int_equal(sim_run(t, &o, &sum, NULL, err, sizeof(err)), -1);
            assert_non_null(strstr(err, "replication 1 stopped after"));
            assert_non_null(strstr(err, "more than 100000 per component and year"));
            qr_topology_free(t);
        }
    }
    /* The bundled 3.0 design's failure figures: a few hundred events a
     * year, far below the budget. */
    qr_topology *t = tt_pool(3);
    sim_config c;
    sim_config_default(&c);
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    assert_int_equal(sim_engine_begin(e, 1, 0), 0);
    assert_int_equal(sim_engine_run(e, c.horizon), 0);
    sim_status st;
    sim_engine_status(e, &st);
    assert_true(st.events > 10 && st.events < 1000 * 10 * (uint64_t)(t->n_comps + 1));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* Two finished replications agree on every measure and counter. */
static void assert_same_rep(const sim_rep *a, const sim_rep *b)
{
    assert_true(a->events == b->events);
    assert_true(a->horizon == b->horizon);
    assert_int_equal(a->quorum_losses, b->quorum_losses);
    assert_int_equal(a->group_quorum_losses, b->group_quorum_losses);
    assert_int_equal(a->soft_resets, b->soft_resets);
    assert_int_equal(a->reset_attempts_failed, b->reset_attempts_failed);
    assert_int_equal(a->cluster_quorum_losses, b->cluster_quorum_losses);
    assert_int_equal(a->forced_quorums, b->forced_quorums);
    assert_int_equal(a->failovers, b->failovers);
    assert_int_equal(a->file_store_failovers, b->file_store_failovers);
    assert_int_equal(a->data_loss_risk, b->data_loss_risk);
    assert_int_equal(a->patch_nights, b->patch_nights);
    assert_int_equal(a->patch_nights_skipped, b->patch_nights_skipped);
    assert_true(a->limited_time == b->limited_time);
    assert_true(a->resiliency_time == b->resiliency_time);
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->f, b->f, sizeof(*a->f) * (size_t)a->n);
}

/* An engine in a state far from a normal one: another replication, every
 * component taken down three hours ago (the back end's grace over, forced
 * quorums, operator resets), so that whatever a copy misses differs. */
static sim_engine *busy_engine(const qr_topology *t, const sim_config *c)
{
    sim_engine *e = sim_engine_new(t, c, NULL, 0);
    assert_non_null(e);
    assert_int_equal(sim_engine_begin(e, 99, 1), 0);
    for (int i = 0; i < t->n_comps; i++)
        assert_int_equal(sim_engine_schedule(e, T_DAY, i % 3 ? SIM_ACT_CRASH : SIM_ACT_SHUTDOWN, i),
                         0);
    assert_int_equal(sim_engine_run(e, T_DAY + 3 * T_HOUR), 0);
    return e;
}

/* Two engines of the same topology agree on everything they show. */
static void assert_same_state(const qr_topology *t, const sim_engine *a, const sim_engine *b)
{
    sim_status x, y;
    sim_engine_status(a, &x);
    sim_engine_status(b, &y);
    assert_true(x.now == y.now && x.events == y.events);
    assert_int_equal(x.pool, y.pool);
    assert_int_equal(x.seeds_counted, y.seeds_counted);
    assert_int_equal(x.seeds_present, y.seeds_present);
    assert_int_equal(x.votes_counted, y.votes_counted);
    assert_int_equal(x.votes_present, y.votes_present);
    assert_int_equal(x.frontends_running, y.frontends_running);
    assert_int_equal(x.backend_serving, y.backend_serving);
    assert_int_equal(x.backend_principal, y.backend_principal);
    assert_int_equal(x.backend_synchronized, y.backend_synchronized);
    assert_int_equal(x.resiliency_mode, y.resiliency_mode);
    assert_int_equal(x.file_store_up, y.file_store_up);
    assert_int_equal(x.groups_writable, y.groups_writable);
    assert_int_equal(x.groups_limited, y.groups_limited);
    assert_int_equal(x.groups_down, y.groups_down);
    assert_int_equal(x.quorum_losses, y.quorum_losses);
    assert_int_equal(x.soft_resets, y.soft_resets);
    assert_int_equal(x.failovers, y.failovers);
    assert_int_equal(x.patch_nights, y.patch_nights);
    assert_int_equal(x.patch_nights_skipped, y.patch_nights_skipped);
    assert_int_equal(x.patch_reboots, y.patch_reboots);
    for (int i = 0; i < t->n_comps; i++)
        assert_int_equal(sim_engine_comp_state(a, i), sim_engine_comp_state(b, i));
    for (int i = 0; i < t->n_comps; i++) /* M0.4, M7.6: where each VM runs */
        assert_int_equal(sim_engine_comp_host(a, i), sim_engine_comp_host(b, i));
    sim_vm_status va, vb;
    sim_engine_vm_status(a, &va);
    sim_engine_vm_status(b, &vb);
    assert_memory_equal(&va, &vb, sizeof(va));
    for (int g = 0; g < t->pool.routing_groups; g++) {
        assert_int_equal(sim_engine_group_state(a, g), sim_engine_group_state(b, g));
        for (int j = 0; j < 3; j++)
            assert_int_equal(sim_engine_group_replica(a, g, j), sim_engine_group_replica(b, g, j));
    }
    for (int c = 0; c < t->n_clusters; c++) {
        sim_cluster_status p, q;
        assert_int_equal(sim_engine_cluster(a, c, &p), 0);
        assert_int_equal(sim_engine_cluster(b, c, &q), 0);
        assert_int_equal(p.state, q.state);
        assert_int_equal(p.votes_counted, q.votes_counted);
        assert_int_equal(p.votes_present, q.votes_present);
        assert_int_equal(p.witness_votes, q.witness_votes);
        assert_int_equal(p.quorum_losses, q.quorum_losses);
        assert_int_equal(p.forced_quorums, q.forced_quorums);
        for (int j = 0; j < t->clusters[c].n_nodes; j++)
            assert_int_equal(sim_engine_node_vote(a, c, j), sim_engine_node_vote(b, c, j));
    }
    for (int f = 0; f <= t->n_features; f++)
        assert_true(sim_engine_feature(a, f) == sim_engine_feature(b, f));
    assert_true(sim_engine_next_time(a) == sim_engine_next_time(b));
}

/* Copy engine a (after `taken` events of replication (3, 7)) into a busy
 * engine or a fresh clone, then run the copy in step with the same
 * replication replayed on its own: the same state after every event, the
 * same measures at the end. */
static void check_copy(const qr_topology *t, const sim_config *c, const sim_engine *a, int taken,
                       bool clone)
{
    sim_engine *b = clone ? sim_engine_clone(a) : busy_engine(t, c);
    assert_non_null(b);
    if (!clone)
        assert_int_equal(sim_engine_copy(b, a), 0);
    sim_engine *ref = sim_engine_new(t, c, NULL, 0);
    assert_int_equal(sim_engine_begin(ref, 3, 7), 0);
    for (int i = 0; i < taken; i++)
        assert_int_equal(sim_engine_step(ref, c->horizon, NULL), 1);
    assert_same_state(t, ref, b);
    int rb, rr;
    do {
        rb = sim_engine_step(b, c->horizon, NULL);
        rr = sim_engine_step(ref, c->horizon, NULL);
        assert_int_equal(rb, rr);
        assert_same_state(t, ref, b);
    } while (rb == 1);
    sim_rep x, y;
    assert_int_equal(sim_rep_init(&x, t->n_features), 0);
    assert_int_equal(sim_rep_init(&y, t->n_features), 0);
    assert_int_equal(sim_engine_finish(ref, &x), 0);
    assert_int_equal(sim_engine_finish(b, &y), 0);
    assert_same_rep(&x, &y);
    sim_rep_release(&x);
    sim_rep_release(&y);
    sim_engine_free(b);
    sim_engine_free(ref);
}

/* A design with what the bundled ones lack: an FCI back end, a file-share
 * cluster, a cloud witness, shared disks, three sites with links, a server
 * patched less often than the others, common-cause groups (MGL, beta),
 * latent faults; short MTBFs for many events. */
static const char *const FCI_DESIGN =
    "defaults: { server: { mtbf: 60d }, storage: { mtbf: 1y }, link: { mtbf: 90d }, "
    "site: { mtbf: 2y } }\n"
    "sites: [ { name: dc1 }, { name: dc2 }, { name: dc3 } ]\n"
    "links: [ { between: [dc1, dc2] }, { between: [dc2, dc3] }, { between: [dc1, dc3] } ]\n"
    "storage: [ { name: san1, site: dc1 }, { name: san2, site: dc2 } ]\n"
    "servers: [ { name: fe1, site: dc1 }, { name: fe2, site: dc2 }, "
    "{ name: fe3, site: dc1, patch: { every: 60d } }, { name: sql1, site: dc1 }, "
    "{ name: sql2, site: dc2 }, { name: fs1, site: dc1 }, { name: fs2, site: dc2 }, "
    "{ name: w1, site: dc3 } ]\n"
    "clusters:\n"
    "  - { name: sqlc, nodes: [sql1, sql2], witness: { file_share: w1 } }\n"
    "  - { name: fsc, nodes: [fs1, fs2], witness: { cloud: { mtbf: 30d, mttr: 2h } } }\n"
    "pool:\n"
    "  version: sfb2015\n"
    "  frontends: [fe1, fe2, fe3]\n"
    "  backend: { fci: { cluster: sqlc, storage: san1 } }\n"
    "  file_store: { cluster: { cluster: fsc, storage: san2 } }\n"
    "common_cause:\n"
    "  - { name: fe-build, members: frontends, model: mgl, beta: 30%, gamma: 50% }\n"
    "  - { name: sql-build, members: [sql1, sql2], beta: 20% }\n"
    /* M7.3-M7.5: latent faults of both kinds, common and per server, the
     * health audit and verification after a patch reboot */
    "operations: { health_audit: { every: 120d } }\n"
    "patching: { verify_after_reboot: true }\n"
    "latent_faults:\n"
    "  - { name: subca, members: [fe1, fe2, fe3], every: 45d, fix: 2h, breaks: [presence] }\n"
    "  - { name: cls, members: [fe1, sql1, fs2], every: 90d, common: false, fix: 3h, "
    "breaks: server }\n";

/* Virtual machines (M0.4, M0.5, M7.6, M7.7): hosts that fail every 60
 * days, HA restart, capacities, anti-affinity, host maintenance every 20
 * days by live migration where there is room. */
static const char *const VM_DESIGN =
    "defaults: { host: { mtbf: 60d, mttr: 8h } }\n"
    "sites: [ { name: dc1 } ]\n"
    "hosts: [ { name: h1, site: dc1, capacity: 3 }, { name: h2, site: dc1, capacity: 3 }, "
    "{ name: h3, site: dc1, capacity: 2 }, { name: h4, site: dc1, capacity: 2 } ]\n"
    "servers: [ { name: fe1, host: h1 }, { name: fe2, host: h2 }, { name: fe3, host: h3 }, "
    "{ name: sql1, host: h1 }, { name: sql2, host: h2 }, { name: w1, host: h4 } ]\n"
    "pool:\n"
    "  version: sfb2015\n"
    "  frontends: [fe1, fe2, fe3]\n"
    "  backend: { mirroring: { principal: sql1, mirror: sql2, witness: w1 } }\n"
    "  file_store: { dfs: [sql1, sql2] }\n"
    "virtualization:\n"
    "  ha: { restart: 5m }\n"
    "  live_migration: true\n"
    "  anti_affinity: [ [fe1, fe2, fe3], [sql1, sql2] ]\n"
    "  maintenance: { every: 20d, duration: 2h }\n";

/* sim_engine_copy (finding 9 of issue 13: the lab's undo from snapshots).
 * A replication is copied after the first events of every cause (patch
 * steps, failovers, resyncs, the grace, rebuilds, cluster adjustments,
 * forced quorums, operator resets) and every 13th event, into an engine
 * busy with another replication in which everything was taken down, or into
 * a fresh clone; check_copy then runs it against the replication replayed
 * on its own. Every bundled design and FCI_DESIGN, with random failures,
 * patching and the operator. A field of the engine that a copy misses and
 * that matters shows here. */
static void test_engine_copy_continues_identically(void **state)
{
    (void)state;
    static const char *const files[] = {
        "topologies/2x-mirror-witness.yaml", "topologies/2x-alwayson-fsw-disk.yaml",
        "topologies/3.0-three-servers.yaml", "topologies/5x-recommended.yaml",
        "topologies/12fe-large.yaml",        "topologies/two-site.yaml",
        "topologies/two-site-alwayson.yaml", "topologies/4x-minimum.yaml",
        "topologies/vms/5x-3-hosts-ha.yaml", "topologies/vms/5x-4-hosts-ha.yaml",
        NULL, /* FCI_DESIGN */
        NULL, /* VM_DESIGN */
    };
    for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
        qr_topology *t = NULL;
        qr_diags d;
        assert_int_equal(qr_diags_init(&d, "copy.yaml"), 0);
        const char *text = k + 1 == sizeof(files) / sizeof(files[0]) ? VM_DESIGN : FCI_DESIGN;
        if (files[k])
            assert_int_equal(qr_topology_load_file(files[k], &t, &d), 0);
        else
            assert_int_equal(qr_topology_load_buffer("inline.yaml", text, strlen(text), &t, &d),
                             0);
        qr_diags_release(&d);
        sim_config c;
        sim_config_default(&c);
        c.horizon = 2 * T_YEAR;
        sim_engine *a = sim_engine_new(t, &c, NULL, 0);
        assert_non_null(a);
        assert_int_equal(sim_engine_begin(a, 3, 7), 0);
        int taken = 0, seen[32] = { 0 }, copies = 0;
        sim_step_info info;
        while (sim_engine_next_time(a) < c.horizon && copies < 40) {
            assert_int_equal(sim_engine_step(a, c.horizon, &info), 1);
            taken++;
            if (seen[info.cause]++ < 2 || taken % 13 == 0)
                check_copy(t, &c, a, taken, copies++ % 2 == 1);
        }
        assert_true(copies >= 10);
        sim_engine_free(a);
        qr_topology_free(t);
    }
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

/* The modules' timers wait in a queue of their own beside the failures,
 * repairs and scripted events (engine.c); at one instant the events still
 * fire in the order they were scheduled, across both queues. A crash of a
 * front end of four arms its replica rebuild (M2.3) fabric.replica_rebuild
 * later. */
static void test_engine_timers_and_events_keep_their_order(void **state)
{
    (void)state;
    qr_topology *t = tt_pool(4);
    int fe1 = qr_topology_find(t, "fe1"), fe2 = qr_topology_find(t, "fe2");
    double rr = t->params.replica_rebuild;
    assert_true(rr > 0);
    sim_engine *e = ts_engine(t, false);
    sim_step_info info;
    /* The timer first: armed at 100, the action at its time scheduled later (rr is 20 minutes). */
    assert_int_equal(ts_do(e, 100, SIM_ACT_CRASH, fe1), 0);
    assert_true(sim_engine_next_time(e) == 100 + rr);
    assert_int_equal(sim_engine_schedule(e, 100 + rr, SIM_ACT_SOFT_RESET, -1), 0);
    assert_int_equal(sim_engine_step(e, 100 + rr, &info), 1);
    assert_int_equal(info.cause, SIM_CAUSE_REPLICA_REBUILD);
    assert_int_equal(sim_engine_step(e, 100 + rr, &info), 1);
    assert_int_equal(info.cause, SIM_CAUSE_ACTION);
    assert_int_equal(info.action, SIM_ACT_SOFT_RESET);
    /* The action first: scheduled before the crash that arms the timer. */
    assert_int_equal(sim_engine_schedule(e, 10000 + rr, SIM_ACT_SOFT_RESET, -1), 0);
    assert_int_equal(ts_do(e, 10000, SIM_ACT_CRASH, fe2), 0);
    assert_int_equal(sim_engine_step(e, 10000 + rr, &info), 1);
    assert_int_equal(info.cause, SIM_CAUSE_ACTION);
    assert_int_equal(info.action, SIM_ACT_SOFT_RESET);
    assert_int_equal(sim_engine_step(e, 10000 + rr, &info), 1);
    assert_int_equal(info.cause, SIM_CAUSE_REPLICA_REBUILD);
    assert_int_equal(sim_engine_step(e, 10000 + rr, &info), 0);
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
        cmocka_unit_test(test_engine_timers_and_events_keep_their_order),
        cmocka_unit_test(test_engine_event_budget),
        cmocka_unit_test(test_engine_copy_continues_identically),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
