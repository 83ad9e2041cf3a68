/*
 * attribution.c: why a feature is down, and what started it (sim/causes.h,
 * docs/simulate.md "Downtime by cause").
 *
 * Cause. While a feature's value is below 1, its cause is its first unmet
 * need in a fixed order, the order in which sim_feature_value (features.c)
 * tests them: the pool (a routing-group need implies it), then the Back End
 * (serving, then the M3.5 grace), then the file store, and last the routing
 * groups. The groups come last because theirs is the only partial loss
 * (user-weighted, M2.5): a need that takes the whole feature down explains
 * the whole loss, and a loss with the pool, Back End and file store all met
 * is the groups' by elimination. The module's state then says which
 * mechanism holds the need unmet:
 * - pool: restarting (M1.6, M1.7) when starting; down with the running
 *   front ends meeting M1.2 (a soft reset would succeed), waiting for the
 *   soft reset (M1.7); otherwise votes missing (M1.5: front ends down, or
 *   the Back End vote missing while it fails over, M1.8);
 * - Back End: its failover timer armed means an automatic failover (M3.3,
 *   M4.6, M4.7) or, without a mirroring witness or for a forced AlwaysOn
 *   failover, the operator's manual failover (M3.4); a failover cluster
 *   without quorum is the cluster's (M4.5); else down; past the grace, a
 *   feature that only needs the grace is in resiliency mode (M3.5);
 * - file store: failover timer armed (M5.1), cluster without quorum (M4.5),
 *   else down.
 * A latent fault (M7.3) is a cause of its own: a feature it breaks for the
 * users of a front end (a partial loss, tested before the routing groups:
 * a loss of both is the latent fault's), and a pool whose votes are
 * missing, or a Back End or file store down with no failover under way,
 * while a latent fault holds a server of that role down. Its origin is
 * "latent fault shown at a start" (latent.c sets it when a fault shows).
 * In --static (M9) every loss is "components down": no delays, no states.
 *
 * Origin. Each event has an origin (computed only when an outage starts or
 * a timer is armed: sim_origin_now): the kind of component event that it is
 * (a crash of a server, the failure of a host, site, storage or link, a
 * common-cause failure of a `common_cause:` group, a planned shutdown, a
 * component coming back, a scripted operator action).
 * A timer carries the origin of the event that armed it (the engine stores
 * it in sim_timer_arm), so an outage that begins when a timer fires (the
 * M3.5 grace ends) is started by the crash that armed it; the patch timer
 * is planned work (M7.1). measures.c keeps, per feature, the origin of the
 * event that last lowered its value.
 *
 * Cost: the cause is computed only for features whose value is below 1,
 * a few tests each; the origin is one switch per event.
 */
#include "sim/state.h"

#include <stdlib.h>

int sim_attrib_alloc(sim_engine *e)
{
    e->timer_origin = calloc((size_t)e->n_timers + 1, 1);
    e->cause_now = calloc((size_t)e->n_vals + 1, 1);
    e->new_cause = calloc((size_t)e->n_vals + 1, 1);
    e->start_now = calloc((size_t)e->n_vals + 1, 1);
    if (!e->timer_origin || !e->cause_now || !e->new_cause || !e->start_now)
        return -1;
    return 0;
}

void sim_attrib_release(sim_engine *e)
{
    free(e->timer_origin);
    free(e->cause_now);
    free(e->new_cause);
    free(e->start_now);
}

/* ---- causes ---- */

static sim_down_cause pool_cause(const sim_engine *e)
{
    if (e->pool == SIM_POOL_STARTING)
        return SIM_DC_POOL_RESTART;
    if (sim_fabric_quorum(e))
        return SIM_DC_POOL_RESET;
    /* M7.3: votes missing while a latent fault holds a front end down */
    return sim_latent_holds(e, SIM_ROLE_FRONTEND) ? SIM_DC_LATENT : SIM_DC_POOL_VOTES;
}

static sim_down_cause backend_cause(const sim_engine *e)
{
    const qr_backend *b = &e->t->pool.backend;
    bool failover = sim_backend_failing_over(e);
    switch (b->kind) {
    case QR_BACKEND_MIRRORING:
        if (failover) /* M3.3 with a witness, else M3.4 by hand */
            return sim_mirroring_failover_kind(e) == 1 ? SIM_DC_BE_FAILOVER : SIM_DC_BE_MANUAL;
        return SIM_DC_BE_DOWN;
    case QR_BACKEND_ALWAYSON: /* M4.6 */
        if (!sim_cluster_running(e, b->cluster))
            return SIM_DC_BE_CLUSTER;
        if (failover)
            return sim_alwayson_failover_kind(e) == 2 ? SIM_DC_BE_MANUAL : SIM_DC_BE_FAILOVER;
        return SIM_DC_BE_DOWN;
    case QR_BACKEND_FCI: /* M4.7 */
        if (!sim_cluster_running(e, b->cluster))
            return SIM_DC_BE_CLUSTER;
        return failover ? SIM_DC_BE_FAILOVER : SIM_DC_BE_DOWN;
    default: /* standalone, external (M3.6) */
        return SIM_DC_BE_DOWN;
    }
}

static sim_down_cause file_store_cause(const sim_engine *e)
{
    const qr_file_store *f = &e->t->pool.file_store;
    if (f->kind == QR_FILE_STORE_CLUSTER && !sim_cluster_running(e, f->cluster))
        return SIM_DC_FS_CLUSTER;
    return sim_file_store_failing_over(e) ? SIM_DC_FS_FAILOVER : SIM_DC_FS_DOWN;
}

/* M7.3: a need down with no failover under way (`down`) while a latent
 * fault holds a server of that role down is the latent fault's. */
static sim_down_cause latent_refined(const sim_engine *e, sim_down_cause c, sim_down_cause down,
                                     unsigned role)
{
    return c == down && sim_latent_holds(e, role) ? SIM_DC_LATENT : c;
}

sim_down_cause sim_attrib_cause(const sim_engine *e, int k)
{
    const qr_topology *t = e->t;
    if (e->cfg.static_mode)
        return SIM_DC_STATIC;
    if (k == t->n_features)
        return pool_cause(e);
    /* The same needs, in the same order, as sim_feature_value. */
    unsigned needs = t->features[k].needs;
    if ((needs & (QR_NEED_POOL | QR_NEED_GROUP | QR_NEED_GROUP_LIMITED)) &&
        e->pool != SIM_POOL_UP)
        return pool_cause(e);
    if ((needs & QR_NEED_BACKEND) && !e->be_seen)
        return latent_refined(e, backend_cause(e), SIM_DC_BE_DOWN, SIM_ROLE_BACKEND);
    if ((needs & QR_NEED_BACKEND_GRACE) && !e->be_seen && e->be_grace_expired)
        return SIM_DC_RESILIENCY;
    if ((needs & QR_NEED_FILE_STORE) && !e->fs_up)
        return latent_refined(e, file_store_cause(e), SIM_DC_FS_DOWN, SIM_ROLE_FILE_STORE);
    /* The partial losses: features broken by a shown latent fault (M7.3),
     * then routing groups (M2.4); a loss of both is the latent fault's. */
    if (sim_latent_breaks_feature(e, k))
        return SIM_DC_LATENT;
    return SIM_DC_GROUPS; /* the only partial need left (M2.4) */
}

/* ---- origins ---- */

static sim_down_start failure_of(const sim_engine *e, int comp)
{
    if (comp >= e->n_comps && comp < e->n_comps + e->n_ccf_ev)
        return SIM_DS_COMMON_CAUSE; /* a common event (engine.c, build_ccf) */
    if (comp < 0 || comp >= e->n_comps)
        return SIM_DS_OTHER;
    switch (e->t->comps[comp].kind) {
    case QR_COMP_SERVER: return SIM_DS_SERVER;
    case QR_COMP_HOST: return SIM_DS_HOST;
    case QR_COMP_SITE: return SIM_DS_SITE;
    case QR_COMP_STORAGE: return SIM_DS_STORAGE;
    case QR_COMP_LINK: return SIM_DS_LINK;
    default: return SIM_DS_OTHER;
    }
}

sim_down_start sim_attrib_origin(const sim_engine *e, const sim_event *ev)
{
    if (!ev)
        return SIM_DS_NONE;
    switch (ev->kind) {
    case SIM_EV_FAIL:
        return failure_of(e, ev->target);
    case SIM_EV_REPAIR:
        return SIM_DS_RETURN;
    case SIM_EV_SCRIPT:
        switch ((sim_action)ev->aux) {
        case SIM_ACT_CRASH: return failure_of(e, ev->target);
        case SIM_ACT_SHUTDOWN: return SIM_DS_PLANNED;
        case SIM_ACT_START:
        case SIM_ACT_REPAIR: return SIM_DS_RETURN;
        default: return SIM_DS_OPERATOR;
        }
    case SIM_EV_TIMER:
        if (sim_patching_owns_timer(e, ev->target))
            return SIM_DS_PLANNED; /* M7.1: patch reboots are planned work */
        if (sim_vmhost_owns_maint_timer(e, ev->target))
            return SIM_DS_PLANNED; /* M7.7: so is host maintenance */
        if (ev->target >= 0 && ev->target < e->n_timers)
            return (sim_down_start)e->timer_origin[ev->target];
        return SIM_DS_NONE;
    default:
        return SIM_DS_NONE;
    }
}
