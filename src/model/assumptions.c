/*
 * assumptions.c: the table of assumption items, the lifecycle of a
 * qr_assumptions, and qr_assumptions_apply(), the one place where an
 * assumptions file meets a topology (assumptions.h). The file's loader is
 * assumptions_load.c; the listing every report prints is assumption_list.c.
 *
 * Invariant kept by apply: a component's parts that its own keys do not
 * give (qr_component.own) equal its kind's figures (qr_topology.kinds), as
 * the loader made them; apply changes the kinds, then copies them down.
 */
#include "model/assumptions.h"

#include "model/ccf.h"

#include <stdlib.h>
#include <string.h>

#define A "assumption"

static const qr_assumption_item items[QR_ASSUMPTION_ITEM_COUNT] = {
    { "site.mtbf", QR_ITEM_FAILURE, QR_COMP_SITE, -1, "M0.3",
      A ": the format's default is a site that never fails" },
    { "site.mttr", QR_ITEM_REPAIR, QR_COMP_SITE, -1, "M0.3", A },
    { "host.mtbf", QR_ITEM_FAILURE, QR_COMP_HOST, -1, "M0.3",
      A ": no published figure for hypervisor hosts" },
    { "host.mttr", QR_ITEM_REPAIR, QR_COMP_HOST, -1, "M0.3", A },
    { "server.mtbf", QR_ITEM_FAILURE, QR_COMP_SERVER, -1, "M0.3",
      A ": no published MTBF for Lync or Skype for Business servers" },
    { "server.mttr", QR_ITEM_REPAIR, QR_COMP_SERVER, -1, "M0.3", A },
    { "server.patch", QR_ITEM_PATCH, QR_COMP_SERVER, -1, "M7.1",
      "Windows quality updates come on the second Tuesday of each month "
      "(Microsoft Learn, Windows Update release cadence); the reboot time is "
      "an " A },
    { "storage.mtbf", QR_ITEM_FAILURE, QR_COMP_STORAGE, -1, "M0.3", A },
    { "storage.mttr", QR_ITEM_REPAIR, QR_COMP_STORAGE, -1, "M0.3", A },
    { "link.mtbf", QR_ITEM_FAILURE, QR_COMP_LINK, -1, "M0.3", A },
    { "link.mttr", QR_ITEM_REPAIR, QR_COMP_LINK, -1, "M0.3", A },
    { "cloud_witness.mtbf", QR_ITEM_FAILURE, QR_COMP_CLOUD_WITNESS, -1, "M0.3", A },
    { "cloud_witness.mttr", QR_ITEM_REPAIR, QR_COMP_CLOUD_WITNESS, -1, "M0.3", A },
    { "fabric.graceful_leave_adjusts_votes", QR_ITEM_SETTING, -1, QR_SET_GRACEFUL_LEAVE,
      "M1.3",
      "inferred: a graceful stop (Stop-CsWindowsService -Graceful) keeps a pool "
      "of two up (Microsoft Learn, Front End pool high availability)" },
    { "fabric.restart_time", QR_ITEM_SETTING, -1, QR_SET_RESTART_TIME, "M1.6",
      A ": placing users on a cold start can take up to an hour (event 32174)" },
    { "fabric.replica_rebuild", QR_ITEM_SETTING, -1, QR_SET_REPLICA_REBUILD, "M2.3",
      A ": Microsoft publishes no rebuild delay" },
    { "operations.quorum_reset.after", QR_ITEM_SETTING, -1, QR_SET_QUORUM_RESET_AFTER,
      "M1.7", A ": a person on call runs the reset (a triggered task might take 2m)" },
    { "operations.quorum_reset.retry", QR_ITEM_SETTING, -1, QR_SET_QUORUM_RESET_RETRY,
      "M1.7", A },
    { "operations.sql_failover.after", QR_ITEM_SETTING, -1, QR_SET_SQL_FAILOVER_AFTER,
      "M3.4", A ": a person on call fails the database over" },
    { "operations.force_quorum.after", QR_ITEM_SETTING, -1, QR_SET_FORCE_QUORUM_AFTER,
      "M4.5", A ": a person on call forces quorum" },
    { "patching.gap", QR_ITEM_SETTING, -1, QR_SET_PATCH_GAP, "M7.1",
      "Microsoft: wait 20 minutes after a server is ready before the next (Lync "
      "Server 2013 Front End topologies, TechNet gg412996)" },
    { "patching.skip_if_unhealthy", QR_ITEM_SETTING, -1, QR_SET_PATCH_SKIP, "M7.2",
      "Microsoft: check Get-CsPoolUpgradeReadinessState before patching (TechNet "
      "JJ204736)" },
    { "backend.failover_time", QR_ITEM_SETTING, -1, QR_SET_BACKEND_FAILOVER, "M3.3",
      "within Microsoft's 5-minute RTO for automatic Back End failover (Skype for "
      "Business Server, Back End Server high availability); the value is an " A },
    { "backend.resync_time", QR_ITEM_SETTING, -1, QR_SET_BACKEND_RESYNC, "M3.3", A },
    { "backend.resiliency_grace", QR_ITEM_SETTING, -1, QR_SET_RESILIENCY_GRACE, "M3.5",
      "Microsoft: users work normally for about 30 minutes without the Back End, "
      "then in resiliency mode (Skype for Business Server, Back End Server high "
      "availability)" },
    { "file_store.failover_time", QR_ITEM_SETTING, -1, QR_SET_FILE_STORE_FAILOVER,
      "M5.1", A ": DFS has no published RTO (Microsoft Learn, file sharing in Skype "
      "for Business Server)" },
    { "operations.health_audit.every", QR_ITEM_SETTING, -1, QR_SET_HEALTH_AUDIT, "M7.4",
      A ": no health audit unless the operator says so; Microsoft KB2795828 gives the "
      "PowerShell check for a non-self-signed certificate in the Trusted Root store" },
    { "patching.verify_after_reboot", QR_ITEM_SETTING, -1, QR_SET_VERIFY_AFTER_REBOOT, "M7.5",
      A ": off, as in the field story where the servers came back broken unnoticed "
      "(Microsoft KB2795828)" },
    { "cluster.quorum_adjust_delay", QR_ITEM_SETTING, -1, QR_SET_QUORUM_ADJUST_DELAY,
      "M4.2",
      "five missed 1-second heartbeats (Windows Server failover clustering, "
      "SameSubnetDelay and SameSubnetThreshold) plus the regroup: an " A },
    /* Several pools (M10): used only by a design with `pools:`. */
    { "pairing.backup_lag", QR_ITEM_SETTING, -1, QR_SET_PAIR_BACKUP_LAG, "M10.1",
      "Microsoft: RPO 5 minutes (Front End pool disaster recovery in Skype for "
      "Business Server)" },
    { "pairing.registrar_failover", QR_ITEM_SETTING, -1, QR_SET_PAIR_REGISTRAR_FAILOVER,
      "M10.2", "Microsoft: the failover interval is 300 seconds by default (Enterprise "
      "Voice resiliency in Skype for Business Server)" },
    { "pairing.failover_after", QR_ITEM_SETTING, -1, QR_SET_PAIR_FAILOVER_AFTER, "M10.3",
      A ": a person on call decides; Microsoft's RTO leaves the decision out" },
    { "pairing.failover_time", QR_ITEM_SETTING, -1, QR_SET_PAIR_FAILOVER_TIME, "M10.3",
      "Microsoft: RTO 15 to 20 minutes, the upper end taken (Front End pool disaster "
      "recovery in Skype for Business Server)" },
    { "pairing.cms_failover_time", QR_ITEM_SETTING, -1, QR_SET_PAIR_CMS_FAILOVER_TIME,
      "M10.4", "Microsoft: CMS RTO 5 minutes (Front End pool disaster recovery in Skype "
      "for Business Server)" },
    { "pairing.failback_after", QR_ITEM_SETTING, -1, QR_SET_PAIR_FAILBACK_AFTER, "M10.5",
      A ": a person on call starts the failback" },
    { "pairing.failback_time", QR_ITEM_SETTING, -1, QR_SET_PAIR_FAILBACK_TIME, "M10.5",
      "Microsoft: up to 60 minutes for a 20,000-user pool (User experience during pool "
      "failure, Skype for Business Server)" },
    { "pairing.patch_offset", QR_ITEM_SETTING, -1, QR_SET_PAIR_PATCH_OFFSET, "M7.1",
      A ": the partner pool is patched the next night, once the first pool is seen "
      "healthy (patch one part at a time and check it, as Microsoft's upgrade domains; "
      "TechNet JJ204736)" },
};

const qr_assumption_item *qr_assumption_item_at(int i)
{
    return i >= 0 && i < QR_ASSUMPTION_ITEM_COUNT ? &items[i] : NULL;
}

int qr_assumption_item_find(const char *key)
{
    for (int i = 0; key && i < QR_ASSUMPTION_ITEM_COUNT; i++)
        if (strcmp(items[i].key, key) == 0)
            return i;
    return -1;
}

int qr_assumptions_init(qr_assumptions *a)
{
    memset(a, 0, sizeof(*a));
    for (int k = 0; k < QR_COMP_KIND_COUNT; k++)
        qr_topology_builtin_kind((qr_comp_kind)k, &a->kinds[k]);
    return 0;
}

void qr_assumptions_release(qr_assumptions *a)
{
    if (!a)
        return;
    free(a->file);
    free(a->name);
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++)
        free(a->source[i]);
    for (int i = 0; i < a->n_ccf; i++) {
        free(a->ccf[i].name);
        free(a->ccf[i].source);
        free(a->ccf[i].role);
    }
    free(a->ccf);
    for (int i = 0; i < a->n_latent; i++)
        qr_latent_fault_release(&a->latent[i]);
    free(a->latent);
    qr_assumptions_init(a);
}

void qr_assumptions_free(qr_assumptions *a)
{
    qr_assumptions_release(a);
    free(a);
}

unsigned qr_assumption_item_parts(const qr_assumption_item *it)
{
    switch (it->type) {
    case QR_ITEM_FAILURE: return QR_PARTS_FAILURE;
    case QR_ITEM_REPAIR: return QR_PARTS_REPAIR;
    case QR_ITEM_PATCH: return QR_PARTS_PATCH;
    case QR_ITEM_SETTING: return 0;
    }
    return 0;
}

bool qr_assumptions_gives(const qr_assumptions *a, int item)
{
    const qr_assumption_item *it = qr_assumption_item_at(item);
    if (!a || !it)
        return false;
    if (it->type == QR_ITEM_SETTING)
        return a->setting_given[it->setting].from == QR_FROM_ASSUMPTIONS;
    unsigned parts = qr_assumption_item_parts(it);
    for (int p = 0; p < QR_PART_COUNT; p++)
        if ((parts & QR_PART_BIT(p)) && a->kinds[it->kind].given[p].from == QR_FROM_ASSUMPTIONS)
            return true;
    return false;
}

void qr_assumptions_set_uncertain(qr_assumptions *a, int i, double v)
{
    if (!a || i < 0 || i >= a->n_uncertain)
        return;
    const qr_uncertain *u = &a->uncertain[i];
    if (u->target == QR_UNC_TARGET_CCF) { /* a common-cause factor */
        if (u->index >= 0 && u->index < a->n_ccf && u->field >= 0 &&
            u->field < QR_CCF_MAX_FACTORS)
            a->ccf[u->index].factor[u->field] = v;
        return;
    }
    if (u->target == QR_UNC_TARGET_LATENT) { /* a latent fault's every or fix */
        if (u->index >= 0 && u->index < a->n_latent) {
            if (u->field == QR_UNC_LATENT_EVERY)
                a->latent[u->index].every = v;
            else if (u->field == QR_UNC_LATENT_FIX)
                a->latent[u->index].fix = v;
        }
        return;
    }
    if (u->setting >= 0) {
        a->setting[u->setting] = v;
        return;
    }
    qr_kind_figures *f = &a->kinds[u->kind];
    switch (u->part) {
    case QR_PART_FAILURE_MEAN: f->failure.mean = v; break;
    case QR_PART_REPAIR_MEAN: f->repair.mean = v; break;
    case QR_PART_PATCH_EVERY: f->patch.every = v; break;
    case QR_PART_PATCH_REBOOT: f->patch.reboot = v; break;
    default: break;
    }
}

/* Copy part p of src into the figures at failure, repair, patch. */
static void copy_part(qr_dist *failure, qr_dist *repair, qr_patch *patch,
                      const qr_kind_figures *src, int p)
{
    switch ((qr_part)p) {
    case QR_PART_FAILURE_MEAN: failure->mean = src->failure.mean; break;
    case QR_PART_FAILURE_FAMILY: failure->kind = src->failure.kind; break;
    case QR_PART_FAILURE_SHAPE: failure->shape = src->failure.shape; break;
    case QR_PART_REPAIR_MEAN: repair->mean = src->repair.mean; break;
    case QR_PART_REPAIR_FAMILY: repair->kind = src->repair.kind; break;
    case QR_PART_REPAIR_SHAPE: repair->shape = src->repair.shape; break;
    case QR_PART_PATCH_ENABLED: patch->enabled = src->patch.enabled; break;
    case QR_PART_PATCH_EVERY: patch->every = src->patch.every; break;
    case QR_PART_PATCH_REBOOT: patch->reboot = src->patch.reboot; break;
    case QR_PART_COUNT: break;
    }
}

double qr_setting_value(const qr_topology *t, qr_setting s)
{
    const qr_params *p = &t->params;
    /* Several pools (M10): the first pool's (the pools' values differ only
     * when the design gives them so). */
    const qr_pool *pool = t->n_pools > 0 ? &t->pools[0].pool : &t->pool;
    switch (s) {
    case QR_SET_GRACEFUL_LEAVE: return p->graceful_leave_adjusts_votes ? 1 : 0;
    case QR_SET_RESTART_TIME: return p->restart_time;
    case QR_SET_REPLICA_REBUILD: return p->replica_rebuild;
    case QR_SET_QUORUM_RESET_AFTER: return p->quorum_reset_after;
    case QR_SET_QUORUM_RESET_RETRY: return p->quorum_reset_retry;
    case QR_SET_SQL_FAILOVER_AFTER: return p->sql_failover_after;
    case QR_SET_FORCE_QUORUM_AFTER: return p->force_quorum_after;
    case QR_SET_PATCH_GAP: return p->patch_gap;
    case QR_SET_PATCH_SKIP: return p->patch_skip_if_unhealthy ? 1 : 0;
    case QR_SET_BACKEND_FAILOVER: return pool->backend.failover_time;
    case QR_SET_BACKEND_RESYNC: return pool->backend.resync_time;
    case QR_SET_RESILIENCY_GRACE: return pool->backend.resiliency_grace;
    case QR_SET_FILE_STORE_FAILOVER: return pool->file_store.failover_time;
    case QR_SET_QUORUM_ADJUST_DELAY:
        return t->n_clusters > 0 ? t->clusters[0].quorum_adjust_delay : 10.0;
    case QR_SET_HEALTH_AUDIT: return t->latent_practice.health_audit_every;
    case QR_SET_VERIFY_AFTER_REBOOT: return t->latent_practice.verify_after_reboot ? 1 : 0;
    case QR_SET_PAIR_BACKUP_LAG: return t->pairing.backup_lag;
    case QR_SET_PAIR_REGISTRAR_FAILOVER: return t->pairing.registrar_failover;
    case QR_SET_PAIR_FAILOVER_AFTER: return t->pairing.failover_after;
    case QR_SET_PAIR_FAILOVER_TIME: return t->pairing.failover_time;
    case QR_SET_PAIR_CMS_FAILOVER_TIME: return t->pairing.cms_failover_time;
    case QR_SET_PAIR_FAILBACK_AFTER: return t->pairing.failback_after;
    case QR_SET_PAIR_FAILBACK_TIME: return t->pairing.failback_time;
    case QR_SET_PAIR_PATCH_OFFSET: return t->pairing.patch_offset;
    case QR_SETTING_COUNT: break;
    }
    return 0;
}

/* Set setting s of t (every cluster's, for the cluster delay, unless the
 * cluster's own value is above `from`) and record where it came from. */
static void setting_set(qr_topology *t, qr_setting s, double v, qr_given given)
{
    qr_params *p = &t->params;
    switch (s) {
    case QR_SET_GRACEFUL_LEAVE: p->graceful_leave_adjusts_votes = v != 0; break;
    case QR_SET_RESTART_TIME: p->restart_time = v; break;
    case QR_SET_REPLICA_REBUILD: p->replica_rebuild = v; break;
    case QR_SET_QUORUM_RESET_AFTER: p->quorum_reset_after = v; break;
    case QR_SET_QUORUM_RESET_RETRY: p->quorum_reset_retry = v; break;
    case QR_SET_SQL_FAILOVER_AFTER: p->sql_failover_after = v; break;
    case QR_SET_FORCE_QUORUM_AFTER: p->force_quorum_after = v; break;
    case QR_SET_PATCH_GAP: p->patch_gap = v; break;
    case QR_SET_PATCH_SKIP: p->patch_skip_if_unhealthy = v != 0; break;
    case QR_SET_BACKEND_FAILOVER: t->pool.backend.failover_time = v; break;
    case QR_SET_BACKEND_RESYNC: t->pool.backend.resync_time = v; break;
    case QR_SET_RESILIENCY_GRACE: t->pool.backend.resiliency_grace = v; break;
    case QR_SET_FILE_STORE_FAILOVER: t->pool.file_store.failover_time = v; break;
    case QR_SET_QUORUM_ADJUST_DELAY:
        for (int i = 0; i < t->n_clusters; i++) {
            qr_cluster *cl = &t->clusters[i];
            if (cl->quorum_adjust_delay_given.from <= QR_FROM_ASSUMPTIONS) {
                cl->quorum_adjust_delay = v;
                cl->quorum_adjust_delay_given = given;
            }
        }
        break;
    case QR_SET_HEALTH_AUDIT: t->latent_practice.health_audit_every = v; break;
    case QR_SET_VERIFY_AFTER_REBOOT: t->latent_practice.verify_after_reboot = v != 0; break;
    case QR_SET_PAIR_BACKUP_LAG: t->pairing.backup_lag = v; break;
    case QR_SET_PAIR_REGISTRAR_FAILOVER: t->pairing.registrar_failover = v; break;
    case QR_SET_PAIR_FAILOVER_AFTER: t->pairing.failover_after = v; break;
    case QR_SET_PAIR_FAILOVER_TIME: t->pairing.failover_time = v; break;
    case QR_SET_PAIR_CMS_FAILOVER_TIME: t->pairing.cms_failover_time = v; break;
    case QR_SET_PAIR_FAILBACK_AFTER: t->pairing.failback_after = v; break;
    case QR_SET_PAIR_FAILBACK_TIME: t->pairing.failback_time = v; break;
    case QR_SET_PAIR_PATCH_OFFSET: t->pairing.patch_offset = v; break;
    case QR_SETTING_COUNT: return;
    }
    /* Several pools (M10): the pool timings hold for each of them. */
    for (int i = 0; i < t->n_pools; i++) {
        qr_pool *pp = &t->pools[i].pool;
        switch (s) {
        case QR_SET_BACKEND_FAILOVER: pp->backend.failover_time = v; break;
        case QR_SET_BACKEND_RESYNC: pp->backend.resync_time = v; break;
        case QR_SET_RESILIENCY_GRACE: pp->backend.resiliency_grace = v; break;
        case QR_SET_FILE_STORE_FAILOVER: pp->file_store.failover_time = v; break;
        default: break;
        }
    }
    t->setting_given[s] = given;
}

static char *dup_opt(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    *oom |= d == NULL;
    return d;
}

/* One assumed common-cause group (by role) into t: replaces t's group of
 * that name, or is appended. */
static void apply_ccf(qr_topology *t, const qr_ccf_group *ag)
{
    int buf[QR_CCF_MAX_MEMBERS + 1];
    int n = qr_ccf_role_members(t, ag->role ? ag->role : "", buf, QR_CCF_MAX_MEMBERS + 1);
    if (n > QR_CCF_MAX_MEMBERS)
        return;
    /* A server already in another group (a front end that is also a SQL
     * partner, as in 3.0) stays there: a component belongs to one group
     * (CC003). */
    int kept = 0;
    for (int j = 0; j < n; j++) {
        bool taken = false;
        for (int h = 0; h < t->n_ccf; h++)
            for (int k = 0; k < t->ccf[h].n_members && strcmp(t->ccf[h].name, ag->name) != 0; k++)
                taken |= t->ccf[h].members[k] == buf[j];
        if (!taken)
            buf[kept++] = buf[j];
    }
    n = kept;
    /* Several pools (M10): the design's own `pool` is empty; the group is
     * kept by its role alone and each pool's view resolves it for that
     * pool (qr_topology_pool_view). */
    if (qr_topology_is_paired(t))
        n = 0;
    else if (n < 2)
        return;
    qr_ccf_group g = *ag;
    bool oom = false;
    g.members = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    g.member_locs = calloc((size_t)(n > 0 ? n : 1), sizeof(qr_loc));
    g.name = dup_opt(ag->name, &oom);
    g.source = dup_opt(ag->source, &oom);
    g.role = dup_opt(ag->role, &oom);
    int at = -1;
    for (int i = 0; i < t->n_ccf; i++)
        if (strcmp(t->ccf[i].name, ag->name) == 0)
            at = i;
    qr_ccf_group *grown = NULL;
    if (at < 0 && !(grown = realloc(t->ccf, sizeof(*grown) * ((size_t)t->n_ccf + 1))))
        oom = true;
    if (grown)
        t->ccf = grown;
    if (oom || !g.members || !g.member_locs) {
        free(g.members);
        free(g.member_locs);
        free(g.name);
        free(g.source);
        free(g.role);
        return;
    }
    for (int j = 0; j < n; j++) {
        g.members[j] = buf[j];
        g.member_locs[j] = t->pool.loc; /* the role is the pool's (rules) */
    }
    g.n_members = n;
    if (at < 0) {
        at = t->n_ccf++;
    } else {
        free(t->ccf[at].name);
        free(t->ccf[at].members);
        free(t->ccf[at].member_locs);
        free(t->ccf[at].source);
        free(t->ccf[at].role);
    }
    t->ccf[at] = g;
}

/* M7.3: the file's latent faults replace those a file applied before (a
 * sensitivity analysis applies again), after the design's own. */
static int apply_latent(qr_topology *t, const qr_assumptions *a)
{
    int kept = 0;
    for (int i = 0; i < t->n_latent; i++) {
        if (t->latent[i].from == QR_FROM_ASSUMPTIONS)
            qr_latent_fault_release(&t->latent[i]);
        else
            t->latent[kept++] = t->latent[i];
    }
    t->n_latent = kept;
    for (int i = 0; i < a->n_latent; i++)
        if (qr_topology_add_latent(t, &a->latent[i]) != 0)
            return -1;
    return 0;
}

int qr_assumptions_apply(qr_topology *t, const qr_assumptions *a)
{
    if (!a)
        return 0;
    /* The kinds an assumptions file speaks for; an external SQL service's
     * figures are the service's own (a design choice). */
    for (int k = 0; k < QR_COMP_KIND_COUNT; k++) {
        if (k == QR_COMP_EXTERNAL_SQL)
            continue;
        qr_kind_figures *kf = &t->kinds[k];
        const qr_kind_figures *af = &a->kinds[k];
        for (int p = 0; p < QR_PART_COUNT; p++) {
            if (af->given[p].from != QR_FROM_ASSUMPTIONS ||
                kf->given[p].from > QR_FROM_ASSUMPTIONS)
                continue;
            copy_part(&kf->failure, &kf->repair, &kf->patch, af, p);
            kf->given[p] = af->given[p];
        }
    }
    for (int i = 0; i < t->n_comps; i++) {
        qr_component *c = &t->comps[i];
        const qr_kind_figures *kf = &t->kinds[c->kind];
        int last = c->kind == QR_COMP_SERVER ? QR_PART_COUNT : QR_PART_PATCH_ENABLED;
        for (int p = 0; p < last; p++)
            if (!(c->own & QR_PART_BIT(p)))
                copy_part(&c->failure, &c->repair, &c->patch, kf, p);
    }
    for (int s = 0; s < QR_SETTING_COUNT; s++) {
        if (a->setting_given[s].from != QR_FROM_ASSUMPTIONS)
            continue;
        if (s != QR_SET_QUORUM_ADJUST_DELAY && t->setting_given[s].from > QR_FROM_ASSUMPTIONS)
            continue;
        setting_set(t, (qr_setting)s, a->setting[s], a->setting_given[s]);
    }
    for (int i = 0; i < a->n_ccf; i++)
        apply_ccf(t, &a->ccf[i]);
    return apply_latent(t, a);
}

const char *qr_assumptions_precedence(void)
{
    return "built-in < the design's defaults: and timings < the assumptions file "
           "(--assume) < a component's own value";
}

static const char *const scope[] = {
    "Active Directory and DNS",
    "load balancers",
    "network links not declared in the topology (only `links` between sites fail)",
    /* M7.3 models what a bad certificate or update does at a server's next
     * start, but only as a declared latent fault, and not in the static
     * view (M9) or analyze. */
    ("certificates (expiry, trust chains), except as a declared latent fault "
     "(`latent_faults`, M7.3: a wrong certificate or root store shows at a server's "
     "next start; full simulation only)"),
    ("cumulative updates beyond the monthly patch nights: a failed update only as a "
     "declared latent fault (M7.3); an install that fails or outlasts `patch.reboot` is not"),
    "human error (beyond the operator delays of the behaviour model)",
};

int qr_assumptions_scope_count(void)
{
    return (int)(sizeof(scope) / sizeof(scope[0]));
}

const char *qr_assumptions_scope_at(int i)
{
    return i >= 0 && i < qr_assumptions_scope_count() ? scope[i] : NULL;
}

const char *qr_origin_name(qr_origin o)
{
    switch (o) {
    case QR_FROM_BUILTIN: return "built-in";
    case QR_FROM_DESIGN: return "design";
    case QR_FROM_ASSUMPTIONS: return "assumptions file";
    case QR_FROM_COMPONENT: return "component";
    }
    return "?";
}
