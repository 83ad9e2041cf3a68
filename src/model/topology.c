/*
 * topology.c: lifecycle of the model (topology.h), its defaults (those of
 * docs/simulate.md), lookups by name, and the small pure facts every consumer needs:
 * seed counts (M1.1), the start threshold (M1.6), component availability
 * (M9) and the field notation ("2.x", "3.0", ...).
 */
#include "model/topology.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/units.h"

#define MIN_S 60.0

static const struct {
    const char *name;
    unsigned    needs;
} default_features[QR_DEFAULT_FEATURE_COUNT] = {
    /* M6 table. */
    { "signin_im", QR_NEED_POOL | QR_NEED_GROUP_LIMITED },
    { "presence", QR_NEED_POOL | QR_NEED_GROUP | QR_NEED_BACKEND_GRACE },
    { "p2p_calls", QR_NEED_POOL },
    { "conferencing", QR_NEED_POOL | QR_NEED_BACKEND_GRACE | QR_NEED_FILE_STORE },
    { "address_book", QR_NEED_POOL | QR_NEED_FILE_STORE },
    { "persistent_changes", QR_NEED_POOL | QR_NEED_GROUP | QR_NEED_BACKEND },
};

static qr_dist expo(double mean)
{
    return (qr_dist){ QR_DIST_EXPONENTIAL, mean, 1.0 };
}

void qr_topology_builtin_kind(qr_comp_kind kind, qr_kind_figures *out)
{
    static const double H = 3600.0, D = 86400.0;
    memset(out, 0, sizeof(*out));
    switch (kind) {
    case QR_COMP_SITE:
        out->failure = expo(INFINITY);
        out->repair = expo(24 * H);
        break;
    case QR_COMP_HOST:
        out->failure = expo(2 * QR_UNITS_YEAR);
        out->repair = expo(8 * H);
        break;
    case QR_COMP_SERVER:
        out->failure = expo(6 * QR_UNITS_MONTH);
        out->repair = expo(4 * H);
        out->patch = (qr_patch){ true, 30 * D, 15 * MIN_S }; /* M7.1 */
        break;
    case QR_COMP_STORAGE:
        out->failure = expo(5 * QR_UNITS_YEAR);
        out->repair = expo(8 * H);
        break;
    case QR_COMP_LINK:
        out->failure = expo(QR_UNITS_YEAR);
        out->repair = expo(4 * H);
        break;
    case QR_COMP_CLOUD_WITNESS:
        out->failure = expo(QR_UNITS_YEAR);
        out->repair = expo(H);
        break;
    case QR_COMP_EXTERNAL_SQL:
    default:
        /* External SQL: the MTBF comes from `availability` (loader_pool.c). */
        out->failure = expo(INFINITY);
        out->repair = expo(H);
        break;
    }
}

void qr_pool_init(qr_pool *p)
{
    memset(p, 0, sizeof(*p));
    p->version = QR_VERSION_SFB2015;
    p->routing_groups = 64;                  /* M2.1 */
    p->backend.server = -1;
    p->backend.principal = -1;
    p->backend.mirror = -1;
    p->backend.witness = -1;
    p->backend.cluster = -1;
    p->backend.storage = -1;
    p->backend.external = -1;
    p->backend.synchronous = true;
    p->backend.failover_time = 1 * MIN_S;    /* M3.3 */
    p->backend.resync_time = 5 * MIN_S;      /* M3.3 */
    p->backend.resiliency_grace = 30 * MIN_S; /* M3.5 */
    p->file_store.server = -1;
    p->file_store.cluster = -1;
    p->file_store.storage = -1;
    p->file_store.failover_time = 1 * MIN_S; /* M5.1 */
}

void qr_pool_release(qr_pool *p)
{
    if (!p)
        return;
    free(p->frontends);
    free(p->frontend_locs);
    free(p->backend.replicas);
    free(p->backend.replica_locs);
    free(p->file_store.replicas);
    free(p->file_store.replica_locs);
    memset(p, 0, sizeof(*p));
}

bool qr_topology_is_paired(const qr_topology *t)
{
    return t && t->n_pools > 0;
}

int qr_topology_find_pool(const qr_topology *t, const char *name)
{
    for (int i = 0; i < t->n_pools; i++)
        if (t->pools[i].name && strcmp(t->pools[i].name, name) == 0)
            return i;
    return -1;
}

int qr_topology_init(qr_topology *t)
{
    memset(t, 0, sizeof(*t));
    qr_pool_init(&t->pool);
    t->pairing.backup_lag = 5 * MIN_S;          /* M10.1 */
    t->pairing.registrar_failover = 300.0;      /* M10.2 */
    t->pairing.failover_after = 30 * MIN_S;     /* M10.3 */
    t->pairing.failover_time = 20 * MIN_S;      /* M10.3 */
    t->pairing.cms_failover_time = 5 * MIN_S;   /* M10.4 */
    t->pairing.failback_after = 30 * MIN_S;     /* M10.5 */
    t->pairing.failback_time = 60 * MIN_S;      /* M10.5 */
    t->pairing.patch_offset = 24 * 60 * MIN_S;  /* M7.1, M10: the next night */

    t->params.graceful_leave_adjusts_votes = true; /* M1.3 */
    t->params.restart_time = 15 * MIN_S;           /* M1.6 */
    t->params.replica_rebuild = 20 * MIN_S;        /* M2.3 */
    t->params.quorum_reset_after = 30 * MIN_S;     /* M1.7 */
    t->params.quorum_reset_retry = 30 * MIN_S;     /* M1.7 */
    t->params.sql_failover_after = 30 * MIN_S;     /* M3.4 */
    t->params.force_quorum_after = 60 * MIN_S;     /* M4.5 */
    t->params.patch_gap = 20 * MIN_S;              /* M7.1 */
    t->params.patch_skip_if_unhealthy = true;      /* M7.2 */
    t->params.witness_cost = 0.0;
    t->params.sfb2019_backend_vote = false;        /* M1.2, SfB 2019 13-16 */
    t->params.restart_order = true;                /* M1.9 */
    t->virt.ha_restart = 5 * MIN_S;                /* M0.4 */
    t->virt.maint_every = INFINITY;                /* M7.7: no maintenance */
    t->virt.maint_duration = 60 * MIN_S;           /* M7.7 */
    t->virt.maint_gap = 20 * MIN_S;                /* M7.7 */
    t->latent_practice.health_audit_every = INFINITY; /* M7.4: no audit     */
    t->latent_practice.verify_after_reboot = false;   /* M7.5               */
    for (int k = 0; k < QR_COMP_KIND_COUNT; k++)
        qr_topology_builtin_kind((qr_comp_kind)k, &t->kinds[k]);

    t->features = calloc(QR_DEFAULT_FEATURE_COUNT, sizeof(*t->features));
    if (!t->features)
        return -1;
    for (int i = 0; i < QR_DEFAULT_FEATURE_COUNT; i++) {
        t->features[i].name = strdup(default_features[i].name);
        t->features[i].needs = default_features[i].needs;
        t->n_features = i + 1;
        if (!t->features[i].name)
            return -1;
    }
    return 0;
}

void qr_topology_release(qr_topology *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->n_comps; i++)
        free(t->comps[i].name);
    free(t->comps);
    for (int i = 0; i < t->n_clusters; i++) {
        free(t->clusters[i].name);
        free(t->clusters[i].nodes);
        free(t->clusters[i].node_locs);
        free(t->clusters[i].weight);
    }
    free(t->clusters);
    qr_pool_release(&t->pool);
    for (int i = 0; i < t->n_pools; i++) {
        free(t->pools[i].name);
        qr_pool_release(&t->pools[i].pool);
    }
    free(t->pools);
    for (int i = 0; i < t->n_features; i++)
        free(t->features[i].name);
    qr_topology_free_latent(t);
    free(t->features);
    for (int i = 0; i < t->n_ccf; i++) {
        free(t->ccf[i].name);
        free(t->ccf[i].members);
        free(t->ccf[i].member_locs);
        free(t->ccf[i].source);
        free(t->ccf[i].role);
    }
    free(t->ccf);
    free(t->file);
    free(t->name);
    free(t->notation);
    free(t->virt.aa_members);
    free(t->virt.aa_locs);
    free(t->virt.aa_start);
    memset(t, 0, sizeof(*t));
}

int qr_virt_common_group(const qr_topology *t, int a, int b)
{
    const qr_virtualization *v = &t->virt;
    for (int g = 0; g < v->n_aa_groups; g++) {
        bool has_a = false, has_b = false;
        for (int k = v->aa_start[g]; k < v->aa_start[g + 1]; k++) {
            has_a |= v->aa_members[k] == a;
            has_b |= v->aa_members[k] == b;
        }
        if (has_a && has_b)
            return g;
    }
    return -1;
}

void qr_topology_free(qr_topology *t)
{
    if (!t)
        return;
    qr_topology_release(t);
    free(t);
}

const char *qr_topology_comp_name(const qr_topology *t, int i)
{
    return (i >= 0 && i < t->n_comps && t->comps[i].name) ? t->comps[i].name : "?";
}

int qr_topology_find(const qr_topology *t, const char *name)
{
    for (int i = 0; i < t->n_comps; i++)
        if (strcmp(t->comps[i].name, name) == 0)
            return i;
    return -1;
}

int qr_topology_find_kind(const qr_topology *t, qr_comp_kind kind,
                          const char *name)
{
    int i = qr_topology_find(t, name);
    return (i >= 0 && t->comps[i].kind == kind) ? i : -1;
}

int qr_topology_find_cluster(const qr_topology *t, const char *name)
{
    for (int i = 0; i < t->n_clusters; i++)
        if (strcmp(t->clusters[i].name, name) == 0)
            return i;
    return -1;
}

int qr_topology_find_feature(const qr_topology *t, const char *name)
{
    for (int i = 0; i < t->n_features; i++)
        if (strcmp(t->features[i].name, name) == 0)
            return i;
    return -1;
}

const char *qr_comp_kind_name(qr_comp_kind kind)
{
    static const char *names[QR_COMP_KIND_COUNT] = {
        "site", "host", "server", "storage", "link", "cloud witness",
        "external SQL service",
    };
    return (kind >= 0 && kind < QR_COMP_KIND_COUNT) ? names[kind] : "component";
}

const char *const qr_need_words[QR_NEED_COUNT] = {
    "pool", "routing_group", "routing_group_limited", "backend", "backend_grace", "file_store",
};
_Static_assert(QR_NEED_POOL == 1u << 0 && QR_NEED_GROUP == 1u << 1 &&
                   QR_NEED_GROUP_LIMITED == 1u << 2 && QR_NEED_BACKEND == 1u << 3 &&
                   QR_NEED_BACKEND_GRACE == 1u << 4 && QR_NEED_FILE_STORE == 1u << 5,
               "qr_need_words[k] names the need 1u << k");

const char *qr_version_name(qr_version v)
{
    switch (v) {
    case QR_VERSION_LYNC2013: return "lync2013";
    case QR_VERSION_SFB2015: return "sfb2015";
    case QR_VERSION_SFB2019: return "sfb2019";
    }
    return "?";
}

const char *qr_backend_kind_name(qr_backend_kind k)
{
    switch (k) {
    case QR_BACKEND_STANDALONE: return "standalone";
    case QR_BACKEND_MIRRORING: return "mirroring";
    case QR_BACKEND_ALWAYSON: return "alwayson";
    case QR_BACKEND_FCI: return "fci";
    case QR_BACKEND_EXTERNAL: return "external";
    }
    return "?";
}

const char *qr_file_store_kind_name(qr_file_store_kind k)
{
    switch (k) {
    case QR_FILE_STORE_SHARE: return "share";
    case QR_FILE_STORE_DFS: return "dfs";
    case QR_FILE_STORE_CLUSTER: return "cluster";
    }
    return "?";
}

const char *qr_witness_kind_name(qr_witness_kind k)
{
    switch (k) {
    case QR_WITNESS_NONE: return "none";
    case QR_WITNESS_FILE_SHARE: return "file_share";
    case QR_WITNESS_DISK: return "disk";
    case QR_WITNESS_CLOUD: return "cloud";
    }
    return "?";
}

int qr_text_control_char(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; u[i]; i++) {
        if (u[i] < 0x20 || u[i] == 0x7F)
            return u[i];
        if (u[i] == 0xC2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F)
            return u[i + 1];
    }
    return -1;
}

const char *qr_dist_kind_name(qr_dist_kind k)
{
    switch (k) {
    case QR_DIST_EXPONENTIAL: return "exponential";
    case QR_DIST_WEIBULL: return "weibull";
    case QR_DIST_LOGNORMAL: return "lognormal";
    case QR_DIST_FIXED: return "fixed";
    }
    return "?";
}

int qr_pool_seed_count(qr_version v, int n)
{
    /* M1.1 */
    if (n <= 7)
        return n;
    if (n <= 9)
        return 7;
    if (n <= 12)
        return 9;
    return v == QR_VERSION_SFB2019 ? 12 : 9;
}

bool qr_pool_backend_votes(const qr_topology *t)
{
    /* M1.2: Microsoft's row for SfB Server 2019 pools of 13-16 front ends
     * is "any 7 of the first 12" (SFB-FEHA): a plain majority of the 12
     * seeds, without the Back End's tie-break vote that the even rows 2, 4
     * and 6 imply. fabric.sfb2019_backend_vote brings the vote back. */
    if (t->pool.version == QR_VERSION_SFB2019 &&
        qr_pool_seed_count(t->pool.version, t->pool.n_frontends) == 12)
        return t->params.sfb2019_backend_vote;
    return true;
}

int qr_pool_max_frontends(qr_version v)
{
    return v == QR_VERSION_SFB2019 ? 16 : 12;
}

int qr_pool_frontends_for_users(long users)
{
    if (users <= 0)
        return 0;
    return (int)((users + QR_USERS_PER_FRONTEND - 1) / QR_USERS_PER_FRONTEND) + 1;
}

int qr_pool_start_threshold(int n)
{
    /* M1.6, Microsoft's 85% table (SFB-FEHA, L13-FETOPO): 2->1, 3->3, 4->3,
     * 5->4, 6->5, 7->5, 8->6, 9->7, 10->8, 11->9, 12->10 (and sfb2019: 16 -> 12). */
    static const int table[] = { 0, 1, 1, 3, 3, 4, 5, 5, 6, 7, 8, 9, 10 };
    if (n < 0)
        return 0;
    if (n <= 12)
        return table[n];
    return (int)ceil(0.75 * n); /* 13..16: 16 -> 12 as published */
}

bool qr_component_fails(const qr_component *c)
{
    return isfinite(c->failure.mean) && c->failure.mean > 0;
}

double qr_component_availability(const qr_component *c)
{
    if (!qr_component_fails(c))
        return 1.0;
    return c->failure.mean / (c->failure.mean + c->repair.mean);
}

static void mark_pool_full(const qr_pool *p, char *full)
{
    for (int i = 0; i < p->n_frontends; i++)
        full[p->frontends[i]] = 1;
    const qr_backend *b = &p->backend;
    int parts[] = { b->server, b->principal, b->mirror };
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        if (parts[i] >= 0)
            full[parts[i]] = 1;
    for (int i = 0; i < b->n_replicas; i++)
        full[b->replicas[i]] = 1;
    const qr_file_store *f = &p->file_store;
    if (f->server >= 0)
        full[f->server] = 1;
    for (int i = 0; i < f->n_replicas; i++)
        full[f->replicas[i]] = 1;
}

void qr_topology_mark_full_servers(const qr_topology *t, char *full)
{
    mark_pool_full(&t->pool, full);
    for (int i = 0; i < t->n_pools; i++) /* several pools (M10): each one's */
        mark_pool_full(&t->pools[i].pool, full);
    for (int c = 0; c < t->n_clusters; c++)
        for (int i = 0; i < t->clusters[c].n_nodes; i++)
            full[t->clusters[c].nodes[i]] = 1;
}

const char *qr_topology_notation(const qr_topology *t, char *buf, size_t size)
{
    if (t->notation) {
        snprintf(buf, size, "%s", t->notation);
        return buf;
    }
    char *full = calloc((size_t)t->n_comps + 1, 1);
    int servers = 0;
    bool extra = false;
    if (full)
        qr_topology_mark_full_servers(t, full);
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        if (c->kind == QR_COMP_SERVER) {
            if (full && full[i])
                servers++;
            else
                extra = true; /* a witness-only server */
        } else if (c->kind == QR_COMP_CLOUD_WITNESS) {
            extra = true;
        }
    }
    /* A cluster witness adds a part unless it is a file share on a full
     * server of the design (a quorum disk or a cloud witness always does;
     * a witness-only server was counted above). */
    for (int c = 0; c < t->n_clusters; c++) {
        const qr_cluster *cl = &t->clusters[c];
        if (cl->witness_kind == QR_WITNESS_NONE)
            continue;
        if (cl->witness_kind != QR_WITNESS_FILE_SHARE || cl->witness < 0 || !full ||
            !full[cl->witness])
            extra = true;
    }
    if (t->pool.backend.kind == QR_BACKEND_MIRRORING &&
        t->pool.backend.witness >= 0 && full && !full[t->pool.backend.witness])
        extra = true;
    for (int i = 0; i < t->n_pools; i++) {
        const qr_backend *b = &t->pools[i].pool.backend;
        if (b->kind == QR_BACKEND_MIRRORING && b->witness >= 0 && full && !full[b->witness])
            extra = true;
    }
    free(full);
    snprintf(buf, size, "%d.%s", servers, extra ? "x" : "0");
    return buf;
}
