/*
 * rules_pairing.c: the design rules of a design with several pools
 * (`pools:`, M10), PP001-PP013: the pairing is 1:1 and symmetric, the two
 * pools of a pair are alike (edition, Back End HA, physical or virtual,
 * operating system), each can carry both pools' users, they sit in two
 * sites, one pool holds the Central Management store, no server serves
 * two pools, and no common-cause group or latent fault spans two pools. The rules of one pool (FE, BE, CL, FS, ST) run on each pool's
 * view (model/pool_view.h) from rules.c.
 */
#include <stdlib.h>

#include "check/rules_impl.h"
#include "model/pool_view.h"

/* A pool's name for messages. */
static const char *pname(const qr_pool_def *d)
{
    return d->name ? d->name : "?";
}

static void check_symmetry(const qr_topology *t, qr_diags *d)
{
    for (int i = 0; i < t->n_pools; i++) {
        const qr_pool_def *p = &t->pools[i];
        int j = p->paired_with;
        if (j < 0) {
            if (t->n_pools > 1)
                rules_emit(d, QR_RULE_PP002, p->loc, "pool '%s' has no backup pool "
                           "('paired_with'): it has no disaster recovery", pname(p));
            continue;
        }
        const qr_pool_def *q = &t->pools[j];
        if (q->paired_with != i) {
            if (q->paired_with < 0)
                rules_emit(d, QR_RULE_PP001, p->paired_loc, "pool '%s' is paired with '%s', "
                           "but '%s' names no partner: a pairing is symmetric", pname(p),
                           pname(q), pname(q));
            else
                rules_emit(d, QR_RULE_PP001, p->paired_loc, "pool '%s' is paired with '%s', "
                           "which is paired with '%s': a pool backs up exactly one pool, "
                           "which backs it up in turn", pname(p), pname(q),
                           pname(&t->pools[q->paired_with]));
        }
    }
}

/* True when every front end of the pool runs on a host. */
static bool virtual_pool(const qr_topology *t, const qr_pool *p)
{
    for (int i = 0; i < p->n_frontends; i++)
        if (rules_host_of(t, p->frontends[i]) < 0)
            return false;
    return p->n_frontends > 0;
}

static const char *windows_text(qr_windows w)
{
    switch (w) {
    case QR_WINDOWS_2008: return "2008";
    case QR_WINDOWS_2008R2: return "2008r2";
    case QR_WINDOWS_2012: return "2012";
    case QR_WINDOWS_2012R2: return "2012r2";
    case QR_WINDOWS_2016: return "2016";
    case QR_WINDOWS_2019: return "2019";
    case QR_WINDOWS_2022: return "2022";
    }
    return "?";
}

/* PP003-PP008 on the pair (i, j), reported once, at the first pool. */
static void check_pair(const qr_topology *t, int i, int j, qr_diags *d)
{
    const qr_pool_def *a = &t->pools[i], *b = &t->pools[j];
    if (a->edition != b->edition || a->edition != QR_EDITION_ENTERPRISE)
        rules_emit(d, QR_RULE_PP003, a->edition_loc.line ? a->edition_loc : a->loc,
                   "pool '%s' (%s) is paired with '%s' (%s): quorate models Enterprise "
                   "Edition pools, paired Enterprise with Enterprise", pname(a),
                   a->edition == QR_EDITION_STANDARD ? "standard" : "enterprise", pname(b),
                   b->edition == QR_EDITION_STANDARD ? "standard" : "enterprise");
    if (a->pool.backend.kind != b->pool.backend.kind)
        rules_emit(d, QR_RULE_PP004, b->pool.backend.loc, "pool '%s' has a %s Back End and "
                   "its partner '%s' %s: use the same Back End HA in both", pname(b),
                   qr_backend_kind_name(b->pool.backend.kind), pname(a),
                   qr_backend_kind_name(a->pool.backend.kind));
    bool va = virtual_pool(t, &a->pool), vb = virtual_pool(t, &b->pool);
    if (va != vb)
        rules_emit(d, QR_RULE_PP005, b->loc, "pool '%s' runs on %s servers and its partner "
                   "'%s' on %s ones: pair physical with physical, virtual with virtual",
                   pname(b), vb ? "virtual" : "physical", pname(a), va ? "virtual" : "physical");
    if (a->os != b->os)
        rules_emit(d, QR_RULE_PP006, b->os_loc.line ? b->os_loc : b->loc, "pool '%s' runs "
                   "Windows Server %s and its partner '%s' %s: pair pools on the same "
                   "operating system", pname(b), windows_text(b->os), pname(a),
                   windows_text(a->os));
    if (a->site >= 0 && a->site == b->site)
        rules_emit(d, QR_RULE_PP008, b->site_loc.line ? b->site_loc : b->loc, "pools '%s' and "
                   "'%s' are both in site '%s': losing it loses the pair", pname(a), pname(b),
                   qr_topology_comp_name(t, a->site));
}

/* PP007: pool `i` alone must carry both pools' users (SFB-CAP, SFB-DR). */
static void check_sizing(const qr_topology *t, int i, qr_diags *d)
{
    const qr_pool_def *a = &t->pools[i];
    int j = a->paired_with;
    if (j < 0 || t->pools[j].paired_with != i)
        return;
    long both = a->pool.users + t->pools[j].pool.users;
    if (both <= 0)
        return;
    if (a->pool.users > QR_USERS_PER_POOL / 2)
        rules_emit(d, QR_RULE_PP007, a->loc, "pool '%s' homes %ld users: a pool of a pair "
                   "homes at most %ld, so that it can carry its partner's too", pname(a),
                   a->pool.users, QR_USERS_PER_POOL / 2);
    int need = qr_pool_frontends_for_users(both);
    if (a->pool.n_frontends < need)
        rules_emit(d, QR_RULE_PP007, a->loc, "pool '%s' has %d front ends; after a pool "
                   "failover it carries both pools' %ld users, which need %d (6,660 users "
                   "each, one in reserve)", pname(a), a->pool.n_frontends, both, need);
}

static void check_cms(const qr_topology *t, qr_diags *d)
{
    int first = -1;
    for (int i = 0; i < t->n_pools; i++) {
        if (!t->pools[i].cms)
            continue;
        if (first >= 0)
            rules_emit(d, QR_RULE_PP009, t->pools[i].cms_loc, "pools '%s' and '%s' both hold "
                       "the Central Management store: a deployment has one",
                       pname(&t->pools[first]), pname(&t->pools[i]));
        else
            first = i;
    }
    if (first < 0 && t->n_pools > 1)
        rules_emit(d, QR_RULE_PP010, t->pools_loc, "no pool holds the Central Management "
                   "store ('cms: true'): no CMS failover is simulated before a pool failover");
}

static void check_sites(const qr_topology *t, qr_diags *d)
{
    for (int i = 0; i < t->n_pools; i++) {
        const qr_pool_def *p = &t->pools[i];
        if (p->site < 0)
            continue;
        for (int k = 0; k < p->pool.n_frontends; k++) {
            int s = rules_site_of(t, p->pool.frontends[k]);
            if (s >= 0 && s != p->site)
                rules_emit(d, QR_RULE_PP011, p->pool.frontend_locs[k], "front end '%s' of "
                           "pool '%s' is in site '%s', not in the pool's site '%s'",
                           qr_topology_comp_name(t, p->pool.frontends[k]), pname(p),
                           qr_topology_comp_name(t, s), qr_topology_comp_name(t, p->site));
        }
    }
}

/* The servers of pool p's roles but a mirroring witness, marked with
 * p + 1 in owner[]; a server already marked by another pool is PP012. */
static void claim(const qr_topology *t, int p, int s, qr_loc loc, int *owner, qr_diags *d)
{
    if (s < 0 || s >= t->n_comps)
        return;
    if (owner[s] > 0 && owner[s] != p + 1)
        rules_emit(d, QR_RULE_PP012, loc, "server '%s' serves pools '%s' and '%s'",
                   qr_topology_comp_name(t, s), pname(&t->pools[owner[s] - 1]),
                   pname(&t->pools[p]));
    else
        owner[s] = p + 1;
}

static void check_shared_servers(const qr_topology *t, qr_diags *d)
{
    int *owner = calloc((size_t)t->n_comps + 1, sizeof(int));
    if (!owner) {
        d->oom = 1;
        return;
    }
    for (int p = 0; p < t->n_pools; p++) {
        const qr_pool *q = &t->pools[p].pool;
        for (int k = 0; k < q->n_frontends; k++)
            claim(t, p, q->frontends[k], q->frontend_locs[k], owner, d);
        const qr_backend *b = &q->backend;
        claim(t, p, b->server, b->principal_loc, owner, d);
        claim(t, p, b->principal, b->principal_loc, owner, d);
        claim(t, p, b->mirror, b->mirror_loc, owner, d);
        for (int k = 0; k < b->n_replicas; k++)
            claim(t, p, b->replicas[k], b->replica_locs[k], owner, d);
        const qr_file_store *f = &q->file_store;
        claim(t, p, f->server, f->loc, owner, d);
        for (int k = 0; k < f->n_replicas; k++)
            claim(t, p, f->replicas[k], f->replica_locs[k], owner, d);
    }
    free(owner);
}

/* PP013: a topology's common-cause group or latent fault naming servers of
 * two pools (qr_pool_view_spans); ones given by role are resolved for each
 * pool and always fit. */
static void emit_span(const qr_topology *t, const qr_pool_span *s, void *ctx)
{
    char what[512];
    qr_pool_span_text(t, s, what, sizeof(what));
    rules_emit(ctx, QR_RULE_PP013, s->latent ? t->latent[s->index].loc : t->ccf[s->index].loc,
               "%s", what);
}

static void check_faults_across_pools(const qr_topology *t, qr_diags *d)
{
    if (qr_pool_view_spans(t, emit_span, d) < 0)
        d->oom = 1;
}

void rules_check_pairing(const qr_topology *t, qr_diags *d)
{
    check_faults_across_pools(t, d);
    check_symmetry(t, d);
    for (int i = 0; i < t->n_pools; i++) {
        int j = t->pools[i].paired_with;
        if (j > i && t->pools[j].paired_with == i)
            check_pair(t, i, j, d);
        check_sizing(t, i, d);
    }
    check_cms(t, d);
    check_sites(t, d);
    check_shared_servers(t, d);
}
