/*
 * backend_cluster.c: the Back End on a Windows failover cluster (M4.6,
 * M4.7), as two sim_backend_ops tables beside backend_mirroring.c's and
 * backend_single.c's. The cluster's quorum is cluster.c's; these only ask
 * whether the cluster runs (sim_cluster_running: quorum, or forced
 * quorum).
 *
 * AlwaysOn availability group (M4.6): backend.replicas are the synchronous
 * automatic-failover replicas; the first is the initial primary.
 * - The AG serves while the cluster runs and the primary's node is up and
 *   in the partition the cluster runs in (cluster.c: site partitions).
 * - Primary lost, the cluster running and a synchronized replica up:
 *   automatic failover to the first such replica (topology order) after
 *   backend.failover_time. Without quorum there is no failover (and no
 *   service); it happens once the cluster runs again.
 * - A secondary that goes down is no longer synchronized; back up, it
 *   resynchronizes for backend.resync_time while the AG serves (as M3.3).
 * - Primary lost with no synchronized replica up but another replica up:
 *   with operator actions the operator forces the failover
 *   operations.sql_failover.after the loss (as M3.4), a data-loss risk.
 * - Assumption A1 (sim_config.planned_sql_failover): a graceful shutdown of
 *   the primary's node is preceded by a planned failover to a synchronized
 *   replica up, without outage, when the cluster runs.
 * Failover cluster instance (M4.7): a sim_cluster_role (cluster.c) on the
 * cluster's nodes with backend.storage as its disk and
 * backend.failover_time for a move; each move counts as a SQL failover.
 */
#include "sim/state.h"

#include <stdlib.h>
#include <string.h>

/* The slot of the Back End module's timer k (SIM_BE_T_*). */
static int be_slot(const sim_engine *e, int k)
{
    return sim_timer_slot(e, SIM_MOD_BACKEND, k);
}

/* ---- availability group (M4.6) ---- */

/* The availability group's state (the Back End module's, for AlwaysOn). */
typedef struct {
    int primary;          /* index into backend.replicas                  */
    int failover_kind;    /* armed SIM_BE_T_FAILOVER: 0, 1 auto, 2 forced */
    unsigned char *sync;  /* per replica: synchronized                    */
    double *resync_at;    /* per replica: resynchronized then, or INFINITY */
} ag_data;

static ag_data *ag_of(const sim_engine *e)
{
    return sim_module_state(e, SIM_MOD_BACKEND);
}

int sim_alwayson_failover_kind(const sim_engine *e)
{
    if (e->t->pool.backend.kind != QR_BACKEND_ALWAYSON || !ag_of(e))
        return 0;
    return ag_of(e)->failover_kind;
}

static void ag_release(void *state)
{
    ag_data *ag = state;
    if (!ag)
        return;
    free(ag->sync);
    free(ag->resync_at);
    free(ag);
}

static void ag_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    const ag_data *a = src_state;
    ag_data *d = dst_state;
    int n = src->t->pool.backend.n_replicas > 0 ? src->t->pool.backend.n_replicas : 0;
    d->primary = a->primary;
    d->failover_kind = a->failover_kind;
    memcpy(d->sync, a->sync, (size_t)n + 1);
    memcpy(d->resync_at, a->resync_at, sizeof(double) * ((size_t)n + 1));
}

static int ag_alloc(sim_engine *e, void **state)
{
    int n = e->t->pool.backend.n_replicas > 0 ? e->t->pool.backend.n_replicas : 0;
    ag_data *ag = calloc(1, sizeof(*ag));
    if (!ag)
        return -1;
    *state = ag;
    ag->sync = calloc((size_t)n + 1, 1);
    ag->resync_at = malloc(sizeof(double) * ((size_t)n + 1));
    return ag->sync && ag->resync_at ? 0 : -1;
}

static int replica_comp(const sim_engine *e, int k)
{
    return e->t->pool.backend.replicas[k];
}

static bool ag_running(const sim_engine *e)
{
    return sim_cluster_running(e, e->t->pool.backend.cluster);
}

/* Replica k's node is up and in the partition the cluster runs in. */
static bool replica_present(const sim_engine *e, int k)
{
    return sim_cluster_server_present(e, e->t->pool.backend.cluster, replica_comp(e, k));
}

/* First replica other than the primary that is up (and synchronized when
 * synced_only), in topology order; -1 for none. */
static int target(const sim_engine *e, bool synced_only)
{
    const ag_data *ag = ag_of(e);
    for (int k = 0; k < e->t->pool.backend.n_replicas; k++)
        if (k != ag->primary && replica_present(e, k) && (!synced_only || ag->sync[k]))
            return k;
    return -1;
}

static void ag_begin(sim_engine *e)
{
    ag_data *ag = ag_of(e);
    const qr_backend *b = &e->t->pool.backend;
    ag->primary = 0;
    for (int k = 0; k < b->n_replicas; k++) {
        ag->sync[k] = 1;
        ag->resync_at[k] = INFINITY;
    }
    ag->failover_kind = 0;
    e->be_principal = b->n_replicas > 0 ? replica_comp(e, 0) : -1;
    e->be_mirror = -1;
    e->be_synchronized = b->n_replicas > 1;
    e->be_serving = b->n_replicas > 0;
}

/* The primary role moves to replica k. A forced failover (to a replica not
 * synchronized) risks the transactions it missed, and leaves the others
 * to resynchronize with the new primary. */
static void ag_failover_to(sim_engine *e, int k, bool forced)
{
    ag_data *ag = ag_of(e);
    int old = ag->primary;
    ag->primary = k;
    ag->sync[k] = 1;
    ag->resync_at[k] = INFINITY;
    ag->sync[old] = !forced && replica_present(e, old);
    if (forced) {
        for (int i = 0; i < e->t->pool.backend.n_replicas; i++)
            if (i != k)
                ag->sync[i] = 0;
        e->rep.data_loss_risk++;
    }
    e->be_principal = replica_comp(e, k);
    e->rep.failovers++;
}

static void ag_on_change(sim_engine *e, int comp, int old)
{
    ag_data *ag = ag_of(e);
    int st = e->eff[comp];
    for (int k = 0; k < e->t->pool.backend.n_replicas; k++) {
        if (replica_comp(e, k) != comp)
            continue;
        if (k != ag->primary && st != SIM_UP) {
            ag->sync[k] = 0; /* it misses the primary's commits */
            ag->resync_at[k] = INFINITY;
        }
        /* A1: planned failover before a graceful shutdown of the primary. */
        if (k == ag->primary && old == SIM_UP && st == SIM_DOWN_GRACEFUL &&
            e->cfg.planned_sql_failover && ag_running(e)) {
            int to = target(e, true);
            if (to >= 0)
                ag_failover_to(e, to, false);
        }
    }
}

static void ag_update(sim_engine *e)
{
    ag_data *ag = ag_of(e);
    const qr_backend *b = &e->t->pool.backend;
    if (b->n_replicas < 1) {
        e->be_serving = false;
        return;
    }
    bool running = ag_running(e);
    bool primary_up = replica_present(e, ag->primary);
    e->be_serving = running && primary_up; /* M4.6 */

    /* M4.6 automatic failover (only with the cluster running), or the
     * operator's forced failover when no synchronized replica is up. */
    int kind = 0;
    if (running && !primary_up) {
        if (target(e, true) >= 0)
            kind = 1;
        else if (e->cfg.operator_actions && target(e, false) >= 0)
            kind = 2;
    }
    if (kind == 0) {
        sim_timer_cancel(e, be_slot(e, SIM_BE_T_FAILOVER));
    } else if (!sim_timer_armed(e, be_slot(e, SIM_BE_T_FAILOVER)) ||
               kind != ag->failover_kind) {
        double delay = kind == 1 ? b->failover_time : e->t->params.sql_failover_after;
        sim_timer_arm(e, be_slot(e, SIM_BE_T_FAILOVER), e->now + delay);
    }
    ag->failover_kind = kind;

    /* Resynchronization of the secondaries while the AG serves. */
    double earliest = INFINITY;
    bool synced = false;
    for (int k = 0; k < b->n_replicas; k++) {
        if (k == ag->primary)
            continue;
        bool up = replica_present(e, k);
        if (e->be_serving && !up)
            ag->sync[k] = 0; /* down, or cut off by a partition */
        synced = synced || (up && ag->sync[k]);
        if (e->be_serving && up && !ag->sync[k]) {
            if (isinf(ag->resync_at[k]))
                ag->resync_at[k] = e->now + b->resync_time;
            if (ag->resync_at[k] < earliest)
                earliest = ag->resync_at[k];
        } else {
            ag->resync_at[k] = INFINITY;
        }
    }
    if (isinf(earliest))
        sim_timer_cancel(e, be_slot(e, SIM_BE_T_RESYNC));
    else if (e->timer_at[be_slot(e, SIM_BE_T_RESYNC)] != earliest)
        sim_timer_arm(e, be_slot(e, SIM_BE_T_RESYNC), earliest);
    e->be_synchronized = synced;
}

static void ag_on_timer(sim_engine *e, int timer)
{
    ag_data *ag = ag_of(e);
    if (timer == SIM_BE_T_RESYNC) {
        for (int k = 0; k < e->t->pool.backend.n_replicas; k++)
            if (ag->resync_at[k] <= e->now) {
                ag->sync[k] = 1;
                ag->resync_at[k] = INFINITY;
            }
        return;
    }
    if (timer != SIM_BE_T_FAILOVER)
        return;
    int kind = ag->failover_kind;
    ag->failover_kind = 0;
    if (!ag_running(e) || replica_present(e, ag->primary))
        return;
    int to = target(e, true);
    if (to >= 0)
        ag_failover_to(e, to, false);
    else if (kind == 2 && (to = target(e, false)) >= 0)
        ag_failover_to(e, to, true);
}

/* Scripted manual failover: to a synchronized replica up if any, else
 * forced to any replica up; needs the cluster running. */
static int ag_manual_failover(sim_engine *e)
{
    ag_data *ag = ag_of(e);
    if (!ag_running(e))
        return 0;
    int to = target(e, true);
    bool forced = to < 0;
    if (forced)
        to = target(e, false);
    if (to < 0)
        return 0;
    ag_failover_to(e, to, forced);
    sim_timer_cancel(e, be_slot(e, SIM_BE_T_FAILOVER));
    ag->failover_kind = 0;
    return 1;
}

const sim_backend_ops sim_backend_alwayson = {
    "alwayson", ag_begin, ag_on_change, ag_update, ag_on_timer, ag_manual_failover,
    ag_alloc, ag_release, ag_copy,
};

/* ---- failover cluster instance (M4.7) ---- */

/* The instance's state (the Back End module's, for an FCI): its role. */
static sim_cluster_role *fci_of(const sim_engine *e)
{
    return sim_module_state(e, SIM_MOD_BACKEND);
}

static int fci_alloc(sim_engine *e, void **state)
{
    (void)e;
    *state = calloc(1, sizeof(sim_cluster_role));
    return *state ? 0 : -1;
}

static void fci_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    (void)src;
    *(sim_cluster_role *)dst_state = *(const sim_cluster_role *)src_state;
}

static void fci_release(void *state)
{
    free(state);
}

static int fci_owner_comp(const sim_engine *e)
{
    const sim_cluster_role *role = fci_of(e);
    const qr_backend *b = &e->t->pool.backend;
    if (b->cluster < 0 || b->cluster >= e->t->n_clusters ||
        role->owner >= e->t->clusters[b->cluster].n_nodes)
        return -1;
    return e->t->clusters[b->cluster].nodes[role->owner];
}

static void fci_begin(sim_engine *e)
{
    sim_cluster_role *role = fci_of(e);
    const qr_backend *b = &e->t->pool.backend;
    role->cluster = b->cluster;
    role->storage = b->storage;
    role->failover_time = b->failover_time;
    role->timer = be_slot(e, SIM_BE_T_FAILOVER);
    sim_cluster_role_begin(e, role);
    e->be_principal = fci_owner_comp(e);
    e->be_mirror = -1;
    e->be_synchronized = false;
    e->be_serving = true;
}

static void fci_on_change(sim_engine *e, int comp, int old)
{
    (void)e;
    (void)comp;
    (void)old;
}

static void fci_update(sim_engine *e)
{
    sim_cluster_role *role = fci_of(e);
    e->be_serving = sim_cluster_role_update(e, role);
}

static void fci_on_timer(sim_engine *e, int k)
{
    sim_cluster_role *role = fci_of(e);
    if (k == SIM_BE_T_FAILOVER && sim_cluster_role_on_timer(e, role)) {
        e->rep.failovers++;
        e->be_principal = fci_owner_comp(e);
    }
}

/* Scripted manual move of the instance to the next node up. */
static int fci_manual_failover(sim_engine *e)
{
    sim_cluster_role *r = fci_of(e);
    if (!sim_cluster_running(e, r->cluster))
        return 0;
    int n = e->t->clusters[r->cluster].n_nodes;
    for (int k = 1; k < n; k++) {
        int j = (r->owner + k) % n;
        if (sim_cluster_node_present(e, r->cluster, j)) {
            r->owner = j;
            r->moves++;
            e->rep.failovers++;
            e->be_principal = fci_owner_comp(e);
            sim_timer_cancel(e, be_slot(e, SIM_BE_T_FAILOVER));
            return 1;
        }
    }
    return 0;
}

const sim_backend_ops sim_backend_fci = {
    "fci", fci_begin, fci_on_change, fci_update, fci_on_timer, fci_manual_failover,
    fci_alloc, fci_release, fci_copy,
};
