/*
 * backend.c: the Back End module (rules M3, M4.6, M4.7). It picks the
 * design's sim_backend_ops (backend_mirroring.c: mirroring;
 * backend_single.c: a standalone server, an external SQL HA service;
 * backend_cluster.c: an AlwaysOn
 * availability group, a failover cluster instance), calls it for every
 * hook, and keeps what is common to every back end: the 30-minute grace
 * before resiliency mode (M3.5). The variant sets e->be_serving in the
 * settle phase; with site partitions the pool may not reach it
 * (pool_partition.c sets e->be_seen); the grace follows e->be_seen.
 *
 * The variant's own state (an availability group's replicas, an FCI's
 * role) is the module's, built by the variant's alloc. Timers:
 * SIM_BE_T_FAILOVER and SIM_BE_T_RESYNC are the variant's, SIM_BE_T_GRACE
 * the grace's.
 *
 * The variants that read nothing but their own servers (mirroring, a
 * standalone server, an external service) decide again only when one of
 * those changed, a timer of theirs fired, an action came, or site
 * partitions exist (e->be_dirty): with the same inputs their update
 * changes nothing, and most events (a front end's patch reboot, a host's
 * crash) touch none of them. AlwaysOn and a failover cluster instance read
 * the clusters' quorum and decide after every event.
 */
#include "sim/state.h"

static int backend_alloc(sim_engine *e, void **state)
{
    const qr_backend *b = &e->t->pool.backend;
    switch (b->kind) {
    case QR_BACKEND_STANDALONE:
        sim_mark_role(e, b->server, SIM_ROLE_BACKEND);
        e->be_ops = &sim_backend_standalone;
        break;
    case QR_BACKEND_MIRRORING:
        sim_mark_role(e, b->principal, SIM_ROLE_BACKEND);
        sim_mark_role(e, b->mirror, SIM_ROLE_BACKEND);
        sim_mark_role(e, b->witness, SIM_ROLE_BACKEND);
        e->be_ops = &sim_backend_mirroring;
        break;
    case QR_BACKEND_EXTERNAL:
        sim_mark_role(e, b->external, SIM_ROLE_BACKEND);
        e->be_ops = &sim_backend_external;
        break;
    case QR_BACKEND_ALWAYSON: /* M4.6: the cluster's quorum is cluster.c's */
        for (int i = 0; i < b->n_replicas; i++)
            sim_mark_role(e, b->replicas[i], SIM_ROLE_BACKEND);
        e->be_ops = &sim_backend_alwayson;
        break;
    case QR_BACKEND_FCI: /* M4.7 */
        e->be_ops = &sim_backend_fci;
        break;
    }
    return e->be_ops->alloc ? e->be_ops->alloc(e, state) : 0;
}

static void backend_release(sim_engine *e, void *state)
{
    if (e->be_ops && e->be_ops->release)
        e->be_ops->release(state);
}

static void backend_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    if (src->be_ops && src->be_ops->copy)
        src->be_ops->copy(src, src_state, dst_state);
}

static int backend_timers(const sim_engine *e)
{
    (void)e;
    return SIM_BE_T_COUNT;
}

static void backend_begin(sim_engine *e)
{
    e->be_serving = true;
    e->be_seen = true;
    e->be_grace_expired = false;
    e->be_dirty = true;
    e->be_ops->begin(e);
    sim_partition_begin(e);
}

static void backend_on_change(sim_engine *e, int comp, int old)
{
    e->be_dirty = true;
    e->be_ops->on_change(e, comp, old);
}

/* M3.5: e->be_seen (the Back End as the pool sees it) changed: arm or
 * clear the resiliency-mode timer. */
static void grace_update(sim_engine *e)
{
    int slot = sim_timer_slot(e, SIM_MOD_BACKEND, SIM_BE_T_GRACE);
    if (e->be_seen) {
        sim_timer_cancel(e, slot);
        e->be_grace_expired = false;
    } else if (!sim_timer_armed(e, slot) && !e->be_grace_expired) {
        sim_timer_arm(e, slot, e->now + e->t->pool.backend.resiliency_grace);
    }
}

bool sim_backend_failing_over(const sim_engine *e)
{
    return e->n_mods > 0 && sim_timer_armed(e, sim_timer_slot(e, SIM_MOD_BACKEND, SIM_BE_T_FAILOVER));
}

/* The sites first (mirroring asks which partners reach each other), then
 * the variant decides e->be_serving, then the pool's side of a site
 * partition decides e->be_seen (pool_partition.c); the grace follows it. */
static void backend_settle(sim_engine *e)
{
    bool was_seen = e->be_seen;
    sim_partition_sites(e);
    const qr_backend *b = &e->t->pool.backend;
    if (e->be_dirty || e->part || b->kind == QR_BACKEND_ALWAYSON || b->kind == QR_BACKEND_FCI) {
        e->be_dirty = false;
        e->be_ops->update(e);
    }
    if (e->part)
        sim_partition_pool(e);
    else /* sim_partition_pool without links: the pool sees what serves */
        e->be_seen = e->be_serving;
    if (e->be_seen != was_seen)
        grace_update(e);
}

static void backend_on_timer(sim_engine *e, int k)
{
    e->be_dirty = true;
    if (k == SIM_BE_T_GRACE) {
        if (!e->be_seen)
            e->be_grace_expired = true; /* users now in resiliency mode */
        return;
    }
    e->be_ops->on_timer(e, k);
}

static void backend_act(sim_engine *e, sim_action a)
{
    e->be_dirty = true;
    if (a == SIM_ACT_SQL_FAILOVER && e->be_ops->manual_failover)
        e->be_ops->manual_failover(e);
}

static void backend_describe(const sim_engine *e, int k, sim_step_info *info)
{
    /* index 1: the operator's failover or forced service (M3.4, M4.6
     * forced), not the automatic one. */
    if (k == SIM_BE_T_FAILOVER) {
        const qr_backend *b = &e->t->pool.backend;
        bool manual = sim_mirroring_failover_kind(e) == 2 || sim_alwayson_failover_kind(e) == 2 ||
                      (b->kind == QR_BACKEND_MIRRORING && b->witness < 0);
        info->index = manual ? 1 : -1;
    }
    info->cause = k == SIM_BE_T_FAILOVER ? SIM_CAUSE_BACKEND_FAILOVER
                  : k == SIM_BE_T_RESYNC ? SIM_CAUSE_BACKEND_RESYNC
                                         : SIM_CAUSE_BACKEND_GRACE;
}

const sim_module sim_module_backend = {
    .name = "backend",
    .roles = SIM_ROLE_BACKEND,
    .alloc = backend_alloc,
    .release = backend_release,
    .timers = backend_timers,
    .begin = backend_begin,
    .on_change = backend_on_change,
    .settle = backend_settle,
    .on_timer = backend_on_timer,
    .act = backend_act,
    .describe = backend_describe,
    .copy = backend_copy,
    .feature_inputs_keyed = true,
};
