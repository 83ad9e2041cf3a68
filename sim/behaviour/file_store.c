/*
 * file_store.c: the pool's file store (M5.1) behind
 * sim_file_store_ops: a share on one server (up with the server) and DFS
 * (one active replica; when it is lost and another replica is up, the
 * clients fail over after file_store.failover_time to the first replica up
 * in topology order; the active one coming back first cancels that). A
 * graceful shutdown of the active replica is a planned switch to the first
 * other replica up, without outage (assumption A2,
 * sim_config.planned_dfs_switch). A file-share cluster (M5.1: M4 with the
 * shared disk) is a sim_cluster_role (cluster.c): up while its cluster runs
 * (quorum or forced quorum), its disk is up and its owner node is up; when
 * the owner is down it moves to the next node up after
 * file_store.failover_time, counted as a file store failover.
 *
 * The module row at the end picks the design's table and calls it; its one
 * timer (FS_T_FAILOVER) is the failover's.
 */
#include "sim/state.h"

#include <stdlib.h>

enum { FS_T_FAILOVER, FS_T_COUNT };

/* The module's state. */
typedef struct {
    int active;             /* dfs: index into file_store.replicas        */
    sim_cluster_role role;  /* file-share cluster (M5.1)                  */
    bool dirty;             /* share, dfs: one of the file store's servers */
                            /*   changed, its timer fired, or begin: the   */
                            /*   variant must look again (settle)          */
} fs_data;

static fs_data *fs_of(const sim_engine *e)
{
    return sim_module_state(e, SIM_MOD_FILE_STORE);
}

static int fs_slot(const sim_engine *e)
{
    return sim_timer_slot(e, SIM_MOD_FILE_STORE, FS_T_FAILOVER);
}

bool sim_file_store_failing_over(const sim_engine *e)
{
    return e->n_mods > 0 && sim_timer_armed(e, fs_slot(e));
}

static void share_begin(sim_engine *e)
{
    e->fs_up = true;
    fs_of(e)->active = 0;
}

static void share_on_change(sim_engine *e, int comp, int old)
{
    (void)e;
    (void)comp;
    (void)old;
}

static void share_update(sim_engine *e)
{
    e->fs_up = sim_up(e, e->t->pool.file_store.server);
}

static void share_on_timer(sim_engine *e, int k)
{
    (void)e;
    (void)k;
}

const sim_file_store_ops sim_file_store_share = {
    "share", share_begin, share_on_change, share_update, share_on_timer,
};

static int first_replica_up(const sim_engine *e)
{
    const qr_file_store *f = &e->t->pool.file_store;
    for (int i = 0; i < f->n_replicas; i++)
        if (sim_up(e, f->replicas[i]))
            return i;
    return -1;
}

static void dfs_on_change(sim_engine *e, int comp, int old)
{
    const qr_file_store *f = &e->t->pool.file_store;
    if (!e->cfg.planned_dfs_switch || old != SIM_UP || e->eff[comp] != SIM_DOWN_GRACEFUL ||
        comp != f->replicas[fs_of(e)->active])
        return;
    int i = first_replica_up(e); /* A2: switch before the shutdown */
    if (i >= 0) {
        fs_of(e)->active = i;
        e->rep.file_store_failovers++;
    }
}

static void dfs_update(sim_engine *e)
{
    const qr_file_store *f = &e->t->pool.file_store;
    if (f->n_replicas > 0 && sim_up(e, f->replicas[fs_of(e)->active])) {
        e->fs_up = true;
        sim_timer_cancel(e, fs_slot(e));
        return;
    }
    e->fs_up = false;
    if (first_replica_up(e) < 0)
        sim_timer_cancel(e, fs_slot(e));
    else if (!sim_timer_armed(e, fs_slot(e)))
        sim_timer_arm(e, fs_slot(e), e->now + f->failover_time);
}

static void dfs_on_timer(sim_engine *e, int k)
{
    (void)k;
    int i = first_replica_up(e);
    if (i < 0)
        return;
    fs_of(e)->active = i;
    e->rep.file_store_failovers++;
}

const sim_file_store_ops sim_file_store_dfs = {
    "dfs", share_begin, dfs_on_change, dfs_update, dfs_on_timer,
};

/* ---- file-share cluster (M5.1) ---- */

static void cluster_begin(sim_engine *e)
{
    const qr_file_store *f = &e->t->pool.file_store;
    sim_cluster_role *r = &fs_of(e)->role;
    r->cluster = f->cluster;
    r->storage = f->storage;
    r->failover_time = f->failover_time;
    r->timer = fs_slot(e);
    sim_cluster_role_begin(e, r);
    e->fs_up = true;
    fs_of(e)->active = 0;
}

static void cluster_update(sim_engine *e)
{
    e->fs_up = sim_cluster_role_update(e, &fs_of(e)->role);
}

static void cluster_on_timer(sim_engine *e, int k)
{
    if (k == FS_T_FAILOVER && sim_cluster_role_on_timer(e, &fs_of(e)->role))
        e->rep.file_store_failovers++;
}

const sim_file_store_ops sim_file_store_cluster = {
    "cluster", cluster_begin, share_on_change, cluster_update, cluster_on_timer,
};

/* ---- the module ---- */

static void file_store_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    (void)src;
    *(fs_data *)dst_state = *(const fs_data *)src_state;
}

static int file_store_alloc(sim_engine *e, void **state)
{
    *state = calloc(1, sizeof(fs_data));
    if (!*state)
        return -1;
    const qr_file_store *f = &e->t->pool.file_store;
    switch (f->kind) {
    case QR_FILE_STORE_SHARE:
        sim_mark_role(e, f->server, SIM_ROLE_FILE_STORE);
        e->fs_ops = &sim_file_store_share;
        break;
    case QR_FILE_STORE_DFS:
        for (int i = 0; i < f->n_replicas; i++)
            sim_mark_role(e, f->replicas[i], SIM_ROLE_FILE_STORE);
        e->fs_ops = &sim_file_store_dfs;
        break;
    case QR_FILE_STORE_CLUSTER: /* M5.1 */
        e->fs_ops = &sim_file_store_cluster;
        break;
    }
    return 0;
}

static void file_store_release(sim_engine *e, void *state)
{
    (void)e;
    free(state);
}

static int file_store_timers(const sim_engine *e)
{
    (void)e;
    return FS_T_COUNT;
}

static void file_store_begin(sim_engine *e)
{
    e->fs_up = true;
    fs_of(e)->dirty = true;
    e->fs_ops->begin(e);
}

static void file_store_on_change(sim_engine *e, int comp, int old)
{
    fs_of(e)->dirty = true;
    e->fs_ops->on_change(e, comp, old);
}

/* A share or DFS reads only its own servers (and its timer): with none of
 * them changed since it last looked, its update changes nothing, and most
 * events (a front end's patch reboot, a host's crash) touch none of them.
 * A file-share cluster reads the cluster's quorum and looks every time. */
static void file_store_settle(sim_engine *e)
{
    fs_data *fs = fs_of(e);
    if (!fs->dirty && e->t->pool.file_store.kind != QR_FILE_STORE_CLUSTER)
        return;
    fs->dirty = false;
    e->fs_ops->update(e);
}

static void file_store_on_timer(sim_engine *e, int k)
{
    fs_of(e)->dirty = true;
    e->fs_ops->on_timer(e, k);
}

static void file_store_describe(const sim_engine *e, int k, sim_step_info *info)
{
    (void)e;
    (void)k;
    info->cause = SIM_CAUSE_FILE_STORE_FAILOVER;
}

const sim_module sim_module_file_store = {
    .name = "file_store",
    .roles = SIM_ROLE_FILE_STORE,
    .alloc = file_store_alloc,
    .release = file_store_release,
    .timers = file_store_timers,
    .begin = file_store_begin,
    .on_change = file_store_on_change,
    .settle = file_store_settle,
    .on_timer = file_store_on_timer,
    .describe = file_store_describe,
    .copy = file_store_copy,
    .feature_inputs_keyed = true,
};
