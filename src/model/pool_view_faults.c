/*
 * pool_view_faults.c: the common-cause groups and latent faults (M7.3) of
 * a design with several pools, carried into each pool's view
 * (pool_view.h), and the check that every one of them fits one pool.
 *
 * A group or fault given by role (an assumptions file's `members:
 * frontends`, `backend`, `servers`) is resolved again for each pool, as it
 * would be for a design of that pool alone. One that names components goes
 * into every view that holds all of them: the view of the pool whose
 * servers they are, or every view when they are components the pools share
 * (a site), whose random streams, keyed by kind and name, are the same in
 * every view. One that names components of two pools cannot be carried:
 * the pools run as separate engines, which cannot fail them together, and
 * qr_pool_view_check says so.
 */
#include "model/pool_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ccf.h"

/* Is component i kept (keep, n entries)? */
static bool kept(const char *keep, int n, int i)
{
    return i >= 0 && i < n && keep[i];
}

/* Do the members fit pool views whose kept components are keeps[p]? -1
 * when they do; else writes the two pools and two members that show they
 * do not: a member of pool *pa that pool *pb lacks, and one *pb holds. */
static int span(const qr_topology *t, char *const *keeps, const int *m, int n, int *pa, int *pb,
                int *ma, int *mb)
{
    int nc = t->n_comps;
    for (int a = 0; a < t->n_pools; a++)
        for (int b = 0; b < t->n_pools; b++) {
            if (a == b)
                continue;
            int only_a = -1, in_b = -1;
            for (int j = 0; j < n; j++) {
                if (kept(keeps[a], nc, m[j]) && !kept(keeps[b], nc, m[j]) && only_a < 0)
                    only_a = m[j];
                if (kept(keeps[b], nc, m[j]) && in_b < 0)
                    in_b = m[j];
            }
            if (only_a >= 0 && in_b >= 0) {
                *pa = a;
                *pb = b;
                *ma = only_a;
                *mb = in_b;
                return 0;
            }
        }
    return -1;
}

/* keeps[p]: what pool p's view holds (qr_pool_view_uses); NULL out of
 * memory. Free with keeps_free. */
static char **keeps_new(const qr_topology *t)
{
    int np = t->n_pools, nc = t->n_comps;
    char **keeps = calloc((size_t)(np > 0 ? np : 1), sizeof(*keeps));
    for (int p = 0; keeps && p < np; p++) {
        keeps[p] = calloc((size_t)nc + 1, 1);
        if (!keeps[p] || qr_pool_view_uses(t, p, keeps[p]) != 0) {
            for (int q = 0; q <= p; q++)
                free(keeps[q]);
            free(keeps);
            return NULL;
        }
    }
    return keeps;
}

static void keeps_free(const qr_topology *t, char **keeps)
{
    for (int p = 0; keeps && p < t->n_pools; p++)
        free(keeps[p]);
    free(keeps);
}

static int spans_with(const qr_topology *t, char *const *keeps,
                      void (*visit)(const qr_topology *, const qr_pool_span *, void *),
                      void *ctx)
{
    int found = 0;
    qr_pool_span sp;
    for (int g = 0; g < t->n_ccf; g++) {
        const qr_ccf_group *grp = &t->ccf[g];
        if (grp->role || span(t, keeps, grp->members, grp->n_members, &sp.pool_a, &sp.pool_b,
                              &sp.member_a, &sp.member_b) != 0)
            continue;
        sp.latent = false;
        sp.index = g;
        visit(t, &sp, ctx);
        found++;
    }
    for (int f = 0; f < t->n_latent; f++) {
        const qr_latent_fault *lf = &t->latent[f];
        if (lf->role != QR_LF_MEMBERS_LISTED ||
            span(t, keeps, lf->members, lf->n_members, &sp.pool_a, &sp.pool_b, &sp.member_a,
                 &sp.member_b) != 0)
            continue;
        sp.latent = true;
        sp.index = f;
        visit(t, &sp, ctx);
        found++;
    }
    return found;
}

int qr_pool_view_spans(const qr_topology *t,
                       void (*visit)(const qr_topology *t, const qr_pool_span *s, void *ctx),
                       void *ctx)
{
    char **keeps = keeps_new(t);
    if (!keeps)
        return -1;
    int found = spans_with(t, keeps, visit, ctx);
    keeps_free(t, keeps);
    return found;
}

void qr_pool_span_text(const qr_topology *t, const qr_pool_span *s, char *buf, size_t size)
{
    const char *pa = t->pools[s->pool_a].name, *pb = t->pools[s->pool_b].name;
    snprintf(buf, size, "%s '%s' spans pools '%s' and '%s' ('%s' and '%s')",
             s->latent ? "latent fault" : "common-cause group",
             s->latent ? t->latent[s->index].name : t->ccf[s->index].name, pa ? pa : "?",
             pb ? pb : "?", t->comps[s->member_a].name, t->comps[s->member_b].name);
}

/* qr_pool_view_check's visitor: the first span, kept. */
static void first_span(const qr_topology *t, const qr_pool_span *s, void *ctx)
{
    (void)t;
    qr_pool_span *first = ctx;
    if (first->index < 0)
        *first = *s;
}

int qr_pool_view_check(const qr_topology *t, char *err, size_t errlen)
{
    char **keeps = keeps_new(t);
    if (!keeps) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = qr_pool_view_virt_check(t, keeps, err, errlen) != 0 ? -1 : 0;
    qr_pool_span first = { .index = -1 };
    if (rc == 0 && spans_with(t, keeps, first_span, &first) > 0) {
        char what[512];
        qr_pool_span_text(t, &first, what, sizeof(what));
        snprintf(err, errlen,
                 "%s: the pools are simulated as separate engines, which cannot %s; give each "
                 "pool a %s of its own",
                 what, first.latent ? "land it on both" : "fail them together",
                 first.latent ? "fault" : "group");
        rc = -1;
    }
    keeps_free(t, keeps);
    return rc;
}

/* Members m (n, indices into t) mapped into the view: their count when the
 * view holds every one of them that any pool uses, else 0. */
static int map_members(const int *m, int n, const int *map, int nc, int *out)
{
    int k = 0;
    for (int j = 0; j < n; j++) {
        int x = (m[j] >= 0 && m[j] < nc) ? map[m[j]] : -1;
        if (x < 0)
            return 0;
        out[k++] = x;
    }
    return k;
}

/* Is component c already in one of v's groups (CC003: one group each)? */
static bool in_group(const qr_topology *v, int c)
{
    return qr_ccf_group_of(v, c) >= 0;
}

static int carry_ccf(const qr_topology *t, qr_topology *v, const int *map)
{
    v->ccf = calloc((size_t)(t->n_ccf > 0 ? t->n_ccf : 1), sizeof(*v->ccf));
    if (!v->ccf)
        return -1;
    for (int g = 0; g < t->n_ccf; g++) {
        const qr_ccf_group *s = &t->ccf[g];
        int buf[QR_CCF_MAX_MEMBERS + 1];
        qr_loc locs[QR_CCF_MAX_MEMBERS + 1];
        int n = 0;
        if (s->role) {
            /* As an assumptions file's group for one pool: the pool's
             * servers of that role, less those already in a group. */
            int all[QR_CCF_MAX_MEMBERS + 1];
            int m = qr_ccf_role_members(v, s->role, all, QR_CCF_MAX_MEMBERS + 1);
            if (m > QR_CCF_MAX_MEMBERS)
                continue;
            for (int j = 0; j < m; j++)
                if (!in_group(v, all[j])) {
                    locs[n] = v->pool.loc;
                    buf[n++] = all[j];
                }
            if (n < 2 && s->from == QR_FROM_ASSUMPTIONS)
                continue;
        } else {
            if (s->n_members > QR_CCF_MAX_MEMBERS)
                continue;
            n = map_members(s->members, s->n_members, map, t->n_comps, buf);
            if (n == 0)
                continue;
            for (int j = 0; j < n; j++)
                locs[j] = s->member_locs ? s->member_locs[j] : s->loc;
        }
        qr_ccf_group *d = &v->ccf[v->n_ccf];
        *d = *s;
        d->members = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
        d->member_locs = malloc(sizeof(qr_loc) * (size_t)(n > 0 ? n : 1));
        d->name = s->name ? strdup(s->name) : NULL;
        d->source = s->source ? strdup(s->source) : NULL;
        d->role = s->role ? strdup(s->role) : NULL;
        v->n_ccf++; /* owned by v from here: qr_topology_release frees it */
        if (!d->members || !d->member_locs || (s->name && !d->name) ||
            (s->source && !d->source) || (s->role && !d->role))
            return -1;
        memcpy(d->members, buf, sizeof(int) * (size_t)n);
        memcpy(d->member_locs, locs, sizeof(qr_loc) * (size_t)n);
        d->n_members = n;
    }
    return 0;
}

static int carry_latent(const qr_topology *t, qr_topology *v, const int *map)
{
    int *buf = malloc(sizeof(int) * ((size_t)t->n_comps + 1));
    int *feat = malloc(sizeof(int) * ((size_t)v->n_features + 1));
    if (!buf || !feat) {
        free(buf);
        free(feat);
        return -1;
    }
    int rc = 0;
    for (int f = 0; f < t->n_latent && rc == 0; f++) {
        qr_latent_fault c = t->latent[f];
        /* The design's features only (each pool's copies are the
         * pairing's rows, not the view's). */
        int nfe = 0;
        for (int k = 0; k < c.n_features; k++)
            if (c.features[k] >= 0 && c.features[k] < v->n_features)
                feat[nfe++] = c.features[k];
        c.features = feat;
        c.n_features = nfe;
        if (c.role != QR_LF_MEMBERS_LISTED) {
            c.member_kind = c.role; /* resolved again for this pool */
            c.members = NULL;
            c.member_locs = NULL;
            c.n_members = 0;
        } else {
            int n = map_members(c.members, c.n_members, map, t->n_comps, buf);
            if (n == 0)
                continue;
            c.members = buf;
            c.n_members = n; /* member_locs: t's, in the same order */
        }
        rc = qr_topology_add_latent(v, &c);
    }
    free(buf);
    free(feat);
    return rc;
}

int qr_pool_view_carry(const qr_topology *t, qr_topology *v, const int *map)
{
    if (carry_ccf(t, v, map) != 0 || carry_latent(t, v, map) != 0 ||
        qr_pool_view_carry_virt(t, v, map) != 0)
        return -1;
    v->latent_practice = t->latent_practice;
    return 0;
}
