/*
 * test_vmhost.c: scripted scenarios of virtual machines on hosts
 * (sim/behaviour/vmhost.c): M0.4 HA restart with and without room, M0.5
 * anti-affinity respected by the restart, M7.6 live migration (no outage)
 * against M7.7 graceful shutdown at host maintenance, and the operator's
 * move (SIM_ACT_MIGRATE), M0.4 failback (restart, live, waiting for a
 * healthy pool) and its keys' errors. Every expectation is worked out by hand from the
 * placement rule (another host of the site, up, with room, no member of
 * the VM's groups; the most room left, then topology order).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/diag.h"
#include "model/loader.h"
#include "sim_script.h"

/* Three hosts of one site; fe1, sql1 on h1; fe2, sql2 on h2; fe3, w1 on
 * h3. Servers are never patched, so only host maintenance reboots them. */
#define HOSTS(cap)                                                                               \
    "defaults: { server: { patch: none } }\n"                                                    \
    "sites: [ { name: dc1 } ]\n"                                                                 \
    "hosts: [ { name: h1, site: dc1, capacity: " cap " }, "                                      \
    "{ name: h2, site: dc1, capacity: " cap " }, { name: h3, site: dc1, capacity: " cap " } ]\n" \
    "servers: [ { name: fe1, host: h1 }, { name: fe2, host: h2 }, { name: fe3, host: h3 }, "     \
    "{ name: sql1, host: h1 }, { name: sql2, host: h2 }, { name: w1, host: h3 } ]\n"             \
    "pool:\n"                                                                                    \
    "  version: sfb2015\n"                                                                       \
    "  frontends: [fe1, fe2, fe3]\n"                                                             \
    "  backend: { mirroring: { principal: sql1, mirror: sql2, witness: w1 } }\n"                 \
    "  file_store: { dfs: [sql1, sql2] }\n"

static qr_topology *load(const char *text)
{
    qr_topology *t = NULL;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "vm.yaml"), 0);
    int rc = qr_topology_load_buffer("vm.yaml", text, strlen(text), &t, &d);
    for (size_t i = 0; i < d.n; i++)
        print_message("%d:%d: %s\n", d.items[i].loc.line, d.items[i].loc.col, d.items[i].message);
    qr_diags_release(&d);
    assert_int_equal(rc, 0);
    return t;
}

static int comp(const qr_topology *t, const char *name)
{
    int i = qr_topology_find(t, name);
    assert_true(i >= 0);
    return i;
}

/* M0.4 with room: h1 fails at 1h; 5 minutes later fe1 restarts on h2 (h2
 * and h3 have one slot each: the first in topology order), sql1 on h3 (h2
 * is full now; h3 runs w1, not in sql1's group). Before the delay both are
 * down; they stay on their new hosts after h1's repair. */
static void test_vmhost_m0_4_restart_with_room(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("3") "virtualization:\n  ha: { restart: 5m }\n"
                                     "  anti_affinity: [ [sql1, sql2] ]\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int h1 = comp(t, "h1"), h2 = comp(t, "h2"), h3 = comp(t, "h3");
    int fe1 = comp(t, "fe1"), sql1 = comp(t, "sql1");
    assert_int_equal(ts_do(e, T_HOUR, SIM_ACT_CRASH, h1), 0);
    sim_engine_run(e, T_HOUR + 5 * T_MIN - 1);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_comp_host(e, fe1), h1);
    assert_int_equal(sim_engine_held_by(e, fe1), h1); /* M0.2: the host holds it down */
    sim_engine_run(e, T_HOUR + 5 * T_MIN);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_UP);
    assert_int_equal(sim_engine_comp_host(e, fe1), h2);
    assert_int_equal(sim_engine_comp_host(e, sql1), h3);
    assert_int_equal(sim_engine_held_by(e, fe1), -1);
    sim_status s = ts_status(e, T_HOUR + 5 * T_MIN);
    assert_int_equal(s.frontends_running, 3);
    sim_vm_status v;
    sim_engine_vm_status(e, &v);
    assert_int_equal(v.ha_restarts, 2);
    assert_int_equal(v.ha_no_room, 0);
    /* h2 now runs fe2 and fe1: losing it takes two of the three seeds. */
    assert_int_equal(ts_do(e, 2 * T_HOUR, SIM_ACT_REPAIR, h1), 0);
    assert_int_equal(sim_engine_comp_host(e, fe1), h2);
    assert_int_equal(ts_do(e, 3 * T_HOUR, SIM_ACT_CRASH, h2), 0);
    s = ts_status(e, 3 * T_HOUR);
    assert_int_equal(s.frontends_running, 1);
    assert_false(s.pool_up);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M0.4 without room: every host full (capacity 2), so h1's VMs wait for
 * its repair at 9h and come back on h1; nothing moves. */
static void test_vmhost_m0_4_no_room_waits_for_repair(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("2") "virtualization:\n  ha: { restart: 5m }\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int h1 = comp(t, "h1"), fe1 = comp(t, "fe1"), sql1 = comp(t, "sql1");
    assert_int_equal(ts_do(e, T_HOUR, SIM_ACT_CRASH, h1), 0);
    sim_engine_run(e, 8 * T_HOUR);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_comp_host(e, fe1), h1);
    sim_vm_status v;
    sim_engine_vm_status(e, &v);
    assert_int_equal(v.ha_restarts, 0);
    assert_int_equal(v.ha_no_room, 2);
    assert_int_equal(ts_do(e, 9 * T_HOUR, SIM_ACT_REPAIR, h1), 0);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    assert_int_equal(sim_engine_comp_host(e, fe1), h1);
    assert_int_equal(sim_engine_comp_host(e, sql1), h1);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* Without `ha` nothing restarts, whatever the room (M0.2 alone). */
static void test_vmhost_m0_2_no_ha_no_restart(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("6"));
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int h1 = comp(t, "h1"), fe1 = comp(t, "fe1");
    assert_int_equal(ts_do(e, T_HOUR, SIM_ACT_CRASH, h1), 0);
    sim_engine_run(e, 8 * T_HOUR);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_comp_host(e, fe1), h1);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M0.5: with the front ends in one group, fe1 finds no host (h2 runs fe2,
 * h3 fe3) and waits; sql1 (group with sql2) goes to h3, not to h2 which
 * has as much room. A fourth, empty host h4 then takes fe1 (most room). */
static void test_vmhost_m0_5_restart_respects_anti_affinity(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("3") "virtualization:\n  ha: { restart: 5m }\n"
                                     "  anti_affinity: [ [fe1, fe2, fe3], [sql1, sql2] ]\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int h1 = comp(t, "h1"), h3 = comp(t, "h3"), fe1 = comp(t, "fe1"), sql1 = comp(t, "sql1");
    assert_int_equal(ts_do(e, T_HOUR, SIM_ACT_CRASH, h1), 0);
    sim_engine_run(e, 2 * T_HOUR);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_UNEXPECTED);
    assert_int_equal(sim_engine_comp_host(e, fe1), h1);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_UP);
    assert_int_equal(sim_engine_comp_host(e, sql1), h3);
    sim_vm_status v;
    sim_engine_vm_status(e, &v);
    assert_int_equal(v.ha_restarts, 1);
    assert_int_equal(v.ha_no_room, 1);
    sim_engine_free(e);
    qr_topology_free(t);

    static const char *const four =
        "sites: [ { name: dc1 } ]\n"
        "hosts: [ { name: h1, site: dc1, capacity: 3 }, { name: h2, site: dc1, capacity: 3 }, "
        "{ name: h3, site: dc1, capacity: 3 }, { name: h4, site: dc1, capacity: 2 } ]\n"
        "servers: [ { name: fe1, host: h1 }, { name: fe2, host: h2 }, { name: fe3, host: h3 }, "
        "{ name: sql1, host: h1 }, { name: sql2, host: h2 }, { name: w1, host: h3 } ]\n"
        "pool:\n  version: sfb2015\n  frontends: [fe1, fe2, fe3]\n"
        "  backend: { mirroring: { principal: sql1, mirror: sql2, witness: w1 } }\n"
        "  file_store: { dfs: [sql1, sql2] }\n"
        "virtualization:\n  ha: { restart: 5m }\n"
        "  anti_affinity: [ [fe1, fe2, fe3], [sql1, sql2] ]\n";
    t = load(four);
    e = ts_engine(t, false);
    assert_non_null(e);
    h1 = comp(t, "h1");
    fe1 = comp(t, "fe1");
    sql1 = comp(t, "sql1");
    assert_int_equal(ts_do(e, T_HOUR, SIM_ACT_CRASH, h1), 0);
    sim_engine_run(e, 2 * T_HOUR);
    /* fe1: h4 is the only host without a front end. sql1: h3 and h4 have
     * one slot each now: h3 first. */
    assert_int_equal(sim_engine_comp_host(e, fe1), comp(t, "h4"));
    assert_int_equal(sim_engine_comp_host(e, sql1), comp(t, "h3"));
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    sim_engine_free(e);
    qr_topology_free(t);
}

static sim_engine *maint_engine(const qr_topology *t)
{
    sim_config c;
    sim_config_default(&c);
    c.horizon = T_YEAR;
    c.random_failures = false;
    c.patching = true;
    sim_engine *e = sim_engine_new(t, &c, NULL, 0);
    if (e)
        sim_engine_begin(e, 5, 2);
    return e;
}

/* Walk 31 days minute by minute: how long each host and each VM is down. */
typedef struct {
    double host_down[3], vm_down;
    int host_downs[3], max_hosts_down;
    bool vm_graceful_only;
} walk;

static walk walk_month(const qr_topology *t, sim_engine *e)
{
    walk w;
    memset(&w, 0, sizeof(w));
    w.vm_graceful_only = true;
    const char *hosts[3] = { "h1", "h2", "h3" };
    int was[3] = { 0, 0, 0 };
    for (double now = 60; now <= 31 * T_DAY; now += 60) {
        sim_engine_run(e, now);
        int down = 0;
        for (int k = 0; k < 3; k++) {
            int h = comp(t, hosts[k]);
            int d = sim_engine_comp_state(e, h) != SIM_UP;
            if (d) {
                assert_int_equal(sim_engine_comp_state(e, h), SIM_DOWN_GRACEFUL);
                w.host_down[k] += 60;
                down++;
            }
            w.host_downs[k] += d && !was[k];
            was[k] = d;
        }
        w.max_hosts_down = down > w.max_hosts_down ? down : w.max_hosts_down;
        for (int i = 0; i < t->n_comps; i++)
            if (t->comps[i].kind == QR_COMP_SERVER && sim_engine_comp_state(e, i) != SIM_UP) {
                w.vm_down += 60;
                w.vm_graceful_only &= sim_engine_comp_state(e, i) == SIM_DOWN_GRACEFUL;
            }
    }
    return w;
}

/* Run e out to its horizon (one year of 30-day maintenance nights: 12 or
 * 13) and check the replication's VM counters (M8) against `live` and
 * `shut` a night, and their per-year means against the same. */
static void vm_year_counts(const qr_topology *t, sim_engine *e, long live, long shut)
{
    sim_rep r;
    assert_int_equal(sim_rep_init(&r, t->n_features), 0);
    assert_int_equal(sim_engine_finish(e, &r), 0);
    sim_vm_status v;
    sim_engine_vm_status(e, &v);
    long nights = v.maint_hosts / 3;
    assert_true(nights == 12 || nights == 13);
    assert_int_equal(r.vm_live_migrations, live * nights);
    assert_int_equal(r.vm_maint_shutdowns, shut * nights);
    assert_int_equal(r.vm_ha_restarts, 0);
    sim_summary s;
    assert_int_equal(sim_summarize(&r, 1, &s), 0);
    assert_float_equal(s.vm_live_migrations_year.mean, (double)(live * nights), 1e-9);
    assert_float_equal(s.vm_maint_shutdowns_year.mean, (double)(shut * nights), 1e-9);
    sim_summary_release(&s);
    sim_rep_release(&r);
}

/* M7.6: host maintenance with live migration: each host is down once for
 * 1h (one at a time), no VM is ever down, and its two VMs move away and
 * back: 4 live migrations a host, 12 in the night. */
static void test_vmhost_m7_6_live_migration_no_outage(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("3") "virtualization:\n  live_migration: true\n"
                                     "  anti_affinity: [ [sql1, sql2] ]\n"
                                     "  maintenance: { every: 30d, duration: 1h }\n");
    sim_engine *e = maint_engine(t);
    assert_non_null(e);
    walk w = walk_month(t, e);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(w.host_downs[k], 1);
        assert_true(w.host_down[k] >= T_HOUR - 60 && w.host_down[k] <= T_HOUR + 60);
    }
    assert_int_equal(w.max_hosts_down, 1);
    assert_true(w.vm_down == 0);
    sim_vm_status v;
    sim_engine_vm_status(e, &v);
    assert_int_equal(v.maint_hosts, 3);
    assert_int_equal(v.live_migrations, 12);
    assert_int_equal(v.maint_shutdowns, 0);
    /* M8: the year's nights (12 or 13 of 30d, the first at random) reach
     * the replication's measures: 12 migrations a night, no shutdown. */
    vm_year_counts(t, e, 12, 0);
    sim_status s;
    sim_engine_status(e, &s);
    assert_int_equal(s.quorum_losses, 0);
    /* Every VM is home again. */
    assert_int_equal(sim_engine_comp_host(e, comp(t, "fe1")), comp(t, "h1"));
    assert_int_equal(sim_engine_comp_host(e, comp(t, "sql2")), comp(t, "h2"));
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.7 without live migration (the default, SFB-VIRT): the same night shuts
 * each host's two VMs down gracefully with it for 1h: 6 VM-hours down,
 * all graceful, nothing migrates. */
static void test_vmhost_m7_7_graceful_shutdown_without_live_migration(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("3") "virtualization:\n"
                                     "  maintenance: { every: 30d, duration: 1h }\n");
    sim_engine *e = maint_engine(t);
    assert_non_null(e);
    walk w = walk_month(t, e);
    for (int k = 0; k < 3; k++)
        assert_int_equal(w.host_downs[k], 1);
    assert_true(w.vm_down >= 6 * T_HOUR - 6 * 60 && w.vm_down <= 6 * T_HOUR + 6 * 60);
    assert_true(w.vm_graceful_only);
    sim_vm_status v;
    sim_engine_vm_status(e, &v);
    assert_int_equal(v.maint_hosts, 3);
    assert_int_equal(v.live_migrations, 0);
    assert_int_equal(v.maint_shutdowns, 6);
    vm_year_counts(t, e, 0, 6); /* 6 VM shutdowns a night */
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M7.6 the operator's move: refused onto a full host, a host running a
 * group member, or of a running VM without live migration; a cold move
 * of a VM held down by its host brings it up on the new one. */
static void test_vmhost_m7_6_operator_migrate(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("3") "virtualization:\n  anti_affinity: [ [sql1, sql2] ]\n");
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int h1 = comp(t, "h1"), h2 = comp(t, "h2"), h3 = comp(t, "h3");
    int fe1 = comp(t, "fe1"), sql1 = comp(t, "sql1");
    int partner = -1;
    assert_int_equal(sim_engine_migrate_check(e, fe1, h2, NULL), SIM_MIGRATE_NO_LIVE);
    assert_int_equal(sim_engine_migrate_check(e, fe1, h1, NULL), SIM_MIGRATE_SAME_HOST);
    assert_int_equal(sim_engine_migrate_check(e, fe1, comp(t, "fe2"), NULL), SIM_MIGRATE_NOT_HOST);
    assert_int_equal(ts_do(e, T_HOUR, SIM_ACT_CRASH, h1), 0);
    assert_int_equal(sim_engine_migrate_check(e, sql1, h2, &partner), SIM_MIGRATE_ANTI_AFFINITY);
    assert_int_equal(partner, comp(t, "sql2"));
    assert_int_equal(sim_engine_schedule_migrate(e, 2 * T_HOUR, fe1, h3), 0);
    sim_engine_run(e, 2 * T_HOUR);
    assert_int_equal(sim_engine_comp_host(e, fe1), h3);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    /* h3 is full now (fe3, w1, fe1). */
    assert_int_equal(sim_engine_migrate_check(e, sql1, h3, NULL), SIM_MIGRATE_NO_ROOM);
    /* A refused move changes nothing. */
    assert_int_equal(sim_engine_schedule_migrate(e, 3 * T_HOUR, sql1, h2), 0);
    sim_engine_run(e, 3 * T_HOUR);
    assert_int_equal(sim_engine_comp_host(e, sql1), h1);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_DOWN_UNEXPECTED);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M0.4 failback by restart (how: restart, after: 1d): h1 fails at 1h,
 * fe1 restarts on h2 and sql1 on h3 at 1h05 (as above); h1 is repaired at
 * 2h, so the failback try is at 2h + 1d = 26h. The pool is healthy: fe1
 * (first in topology order) is shut down gracefully, down for its
 * patch.reboot (15m) and started on h1 at 26h15; patching.gap (20m)
 * later, at 26h35, sql1 the same, on h1 at 26h50. The pool stays up
 * throughout (a graceful leave, M1.3), and losing h2 at 30h then takes
 * one seed, not two: the pool stays up (without failback it stops, test
 * above). */
static void test_vmhost_m0_4_failback_restart(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("3") "virtualization:\n  ha: { restart: 5m }\n"
                                     "  anti_affinity: [ [sql1, sql2] ]\n"
                                     "  failback: { after: 1d, how: restart }\n");
    assert_true(t->virt.failback && !t->virt.failback_live);
    assert_float_equal(t->virt.failback_after, 86400.0, 0);
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int h1 = comp(t, "h1"), h2 = comp(t, "h2"), h3 = comp(t, "h3");
    int fe1 = comp(t, "fe1"), sql1 = comp(t, "sql1");
    assert_int_equal(ts_do(e, T_HOUR, SIM_ACT_CRASH, h1), 0);
    assert_int_equal(ts_do(e, 2 * T_HOUR, SIM_ACT_REPAIR, h1), 0);
    assert_int_equal(sim_engine_comp_host(e, fe1), h2);
    assert_int_equal(sim_engine_comp_host(e, sql1), h3);
    sim_engine_run(e, 26 * T_HOUR - 1);
    assert_int_equal(sim_engine_comp_host(e, fe1), h2); /* not before 26h */
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    sim_status s = ts_status(e, 26 * T_HOUR);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_GRACEFUL);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_UP);
    assert_true(s.pool_up);
    assert_int_equal(s.frontends_running, 2);
    s = ts_status(e, 26 * T_HOUR + 15 * T_MIN - 1);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_GRACEFUL);
    s = ts_status(e, 26 * T_HOUR + 15 * T_MIN);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    assert_int_equal(sim_engine_comp_host(e, fe1), h1);
    assert_int_equal(s.frontends_running, 3);
    assert_true(s.pool_up);
    s = ts_status(e, 26 * T_HOUR + 35 * T_MIN - 1);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_UP);
    assert_int_equal(sim_engine_comp_host(e, sql1), h3);
    s = ts_status(e, 26 * T_HOUR + 35 * T_MIN);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_DOWN_GRACEFUL);
    assert_true(s.pool_up);
    s = ts_status(e, 26 * T_HOUR + 50 * T_MIN);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_UP);
    assert_int_equal(sim_engine_comp_host(e, sql1), h1);
    sim_vm_status v;
    sim_engine_vm_status(e, &v);
    assert_int_equal(v.ha_restarts, 2);
    assert_int_equal(v.failbacks, 2);
    assert_int_equal(v.live_migrations, 0);
    assert_int_equal(ts_do(e, 30 * T_HOUR, SIM_ACT_CRASH, h2), 0);
    s = ts_status(e, 30 * T_HOUR);
    assert_int_equal(s.frontends_running, 2);
    assert_true(s.pool_up);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M0.4 failback by live migration (live_migration: true, failback: {}:
 * how defaults to live, after to 1h): h1 fails at 1h, repaired at 2h;
 * at 3h fe1 and sql1 move home together without an outage. */
static void test_vmhost_m0_4_failback_live_defaults(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("3") "virtualization:\n  ha: { restart: 5m }\n"
                                     "  live_migration: true\n"
                                     "  anti_affinity: [ [sql1, sql2] ]\n"
                                     "  failback: {}\n");
    assert_true(t->virt.failback && t->virt.failback_live);
    assert_float_equal(t->virt.failback_after, 3600.0, 0);
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int h1 = comp(t, "h1"), h2 = comp(t, "h2");
    int fe1 = comp(t, "fe1"), sql1 = comp(t, "sql1");
    assert_int_equal(ts_do(e, T_HOUR, SIM_ACT_CRASH, h1), 0);
    assert_int_equal(ts_do(e, 2 * T_HOUR, SIM_ACT_REPAIR, h1), 0);
    sim_engine_run(e, 3 * T_HOUR - 1);
    assert_int_equal(sim_engine_comp_host(e, fe1), h2);
    sim_status s = ts_status(e, 3 * T_HOUR);
    assert_int_equal(sim_engine_comp_host(e, fe1), h1);
    assert_int_equal(sim_engine_comp_host(e, sql1), h1);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    assert_int_equal(sim_engine_comp_state(e, sql1), SIM_UP);
    assert_int_equal(s.frontends_running, 3);
    sim_vm_status v;
    sim_engine_vm_status(e, &v);
    assert_int_equal(v.failbacks, 2);
    assert_int_equal(v.live_migrations, 2);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* M0.4 failback waits for a healthy pool (how: restart): as in the
 * restart test, but fe3 crashes at 25h and is repaired at 30h. At 26h the
 * pool is not healthy (a server down): nothing moves, the next try is 1d
 * later, at 50h, where fe1 goes down gracefully (home at 50h15). */
static void test_vmhost_m0_4_failback_waits_until_healthy(void **state)
{
    (void)state;
    qr_topology *t = load(HOSTS("3") "virtualization:\n  ha: { restart: 5m }\n"
                                     "  anti_affinity: [ [sql1, sql2] ]\n"
                                     "  failback: { how: restart }\n");
    assert_float_equal(t->virt.failback_after, 86400.0, 0); /* restart's default */
    sim_engine *e = ts_engine(t, false);
    assert_non_null(e);
    int h1 = comp(t, "h1"), h2 = comp(t, "h2");
    int fe1 = comp(t, "fe1"), fe3 = comp(t, "fe3");
    assert_int_equal(ts_do(e, T_HOUR, SIM_ACT_CRASH, h1), 0);
    assert_int_equal(ts_do(e, 2 * T_HOUR, SIM_ACT_REPAIR, h1), 0);
    assert_int_equal(ts_do(e, 25 * T_HOUR, SIM_ACT_CRASH, fe3), 0);
    assert_int_equal(ts_do(e, 30 * T_HOUR, SIM_ACT_REPAIR, fe3), 0);
    assert_int_equal(sim_engine_comp_host(e, fe1), h2);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    sim_engine_run(e, 50 * T_HOUR - 1);
    assert_int_equal(sim_engine_comp_host(e, fe1), h2);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    sim_engine_run(e, 50 * T_HOUR);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_DOWN_GRACEFUL);
    sim_engine_run(e, 50 * T_HOUR + 15 * T_MIN);
    assert_int_equal(sim_engine_comp_host(e, fe1), h1);
    assert_int_equal(sim_engine_comp_state(e, fe1), SIM_UP);
    sim_engine_free(e);
    qr_topology_free(t);
}

/* The failback keys' errors: `how: live` without live migration, no `ha`,
 * an unknown `how`, an unknown key; each reported where it is. */
static void test_vmhost_failback_loader_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "virtualization:\n  ha: { restart: 5m }\n  failback: { how: live }\n",
        "virtualization:\n  failback: { after: 1d }\n",
        "virtualization:\n  ha: { restart: 5m }\n  failback: { how: sometimes }\n",
        "virtualization:\n  ha: { restart: 5m }\n  failback: { afer: 1d }\n",
    };
    static const char *const words[] = { "live_migration", "needs 'ha'", "sometimes", "afer" };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        char text[2048];
        snprintf(text, sizeof(text), "%s%s", HOSTS("3"), bad[k]);
        qr_topology *t = NULL;
        qr_diags d;
        assert_int_equal(qr_diags_init(&d, "vm.yaml"), 0);
        int rc = qr_topology_load_buffer("vm.yaml", text, strlen(text), &t, &d);
        assert_int_not_equal(rc, 0);
        bool found = false;
        for (size_t i = 0; i < d.n; i++)
            found |= strstr(d.items[i].message, words[k]) != NULL &&
                     d.items[i].loc.line > 9; /* past HOSTS */
        if (!found)
            for (size_t i = 0; i < d.n; i++)
                print_message("%d:%d: %s\n", d.items[i].loc.line, d.items[i].loc.col,
                              d.items[i].message);
        assert_true(found);
        qr_diags_release(&d);
        qr_topology_free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vmhost_m0_4_restart_with_room),
        cmocka_unit_test(test_vmhost_m0_4_no_room_waits_for_repair),
        cmocka_unit_test(test_vmhost_m0_2_no_ha_no_restart),
        cmocka_unit_test(test_vmhost_m0_5_restart_respects_anti_affinity),
        cmocka_unit_test(test_vmhost_m7_6_live_migration_no_outage),
        cmocka_unit_test(test_vmhost_m7_7_graceful_shutdown_without_live_migration),
        cmocka_unit_test(test_vmhost_m7_6_operator_migrate),
        cmocka_unit_test(test_vmhost_m0_4_failback_restart),
        cmocka_unit_test(test_vmhost_m0_4_failback_live_defaults),
        cmocka_unit_test(test_vmhost_m0_4_failback_waits_until_healthy),
        cmocka_unit_test(test_vmhost_failback_loader_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
