/*
 * pool_view.c: qr_topology_pool_view(), one pool of a design with several
 * pools as a single-pool topology (pool_view.h): mark what the pool uses,
 * copy the marked components in declaration order, remap every index.
 */
#include "model/pool_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void mark(char *keep, int n, int i)
{
    if (i >= 0 && i < n)
        keep[i] = 1;
}

static void mark_cluster(const qr_topology *t, char *keep, char *keep_cl, int c)
{
    if (c < 0 || c >= t->n_clusters)
        return;
    keep_cl[c] = 1;
    const qr_cluster *cl = &t->clusters[c];
    for (int k = 0; k < cl->n_nodes; k++)
        mark(keep, t->n_comps, cl->nodes[k]);
    mark(keep, t->n_comps, cl->witness);
}

/* Everything pool p uses, directly or through a cluster, a host or a site. */
static void mark_pool(const qr_topology *t, const qr_pool_def *d, char *keep, char *keep_cl)
{
    const qr_pool *p = &d->pool;
    int n = t->n_comps;
    for (int i = 0; i < p->n_frontends; i++)
        mark(keep, n, p->frontends[i]);
    const qr_backend *b = &p->backend;
    mark(keep, n, b->server);
    mark(keep, n, b->principal);
    mark(keep, n, b->mirror);
    mark(keep, n, b->witness);
    mark(keep, n, b->storage);
    mark(keep, n, b->external);
    for (int i = 0; i < b->n_replicas; i++)
        mark(keep, n, b->replicas[i]);
    if (b->kind == QR_BACKEND_ALWAYSON || b->kind == QR_BACKEND_FCI)
        mark_cluster(t, keep, keep_cl, b->cluster);
    const qr_file_store *f = &p->file_store;
    mark(keep, n, f->server);
    mark(keep, n, f->storage);
    for (int i = 0; i < f->n_replicas; i++)
        mark(keep, n, f->replicas[i]);
    if (f->kind == QR_FILE_STORE_CLUSTER)
        mark_cluster(t, keep, keep_cl, f->cluster);
    /* Hosts of the kept servers, then the sites of everything kept. */
    for (int i = 0; i < n; i++)
        if (keep[i])
            mark(keep, n, t->comps[i].host);
    mark(keep, n, d->site);
    for (int i = 0; i < n; i++)
        if (keep[i] && t->comps[i].kind != QR_COMP_LINK)
            mark(keep, n, t->comps[i].site);
    for (int i = 0; i < n; i++) {
        const qr_component *c = &t->comps[i];
        if (c->kind == QR_COMP_LINK && c->link_a >= 0 && c->link_b >= 0 && keep[c->link_a] &&
            keep[c->link_b])
            keep[i] = 1;
    }
}

int qr_pool_view_uses(const qr_topology *t, int p, char *keep)
{
    if (!t || p < 0 || p >= t->n_pools)
        return -1;
    char *keep_cl = calloc((size_t)t->n_clusters + 1, 1);
    if (!keep_cl)
        return -1;
    memset(keep, 0, (size_t)t->n_comps);
    mark_pool(t, &t->pools[p], keep, keep_cl);
    free(keep_cl);
    return 0;
}

static int remap(const int *map, int n, int i)
{
    return (i >= 0 && i < n) ? map[i] : -1;
}

static int *copy_ints(const int *src, int n, const int *map, int n_map, int *fail)
{
    if (n <= 0 || !src)
        return NULL;
    int *a = malloc((size_t)n * sizeof(*a));
    if (!a) {
        *fail = 1;
        return NULL;
    }
    for (int i = 0; i < n; i++)
        a[i] = map ? remap(map, n_map, src[i]) : src[i];
    return a;
}

static qr_loc *copy_locs(const qr_loc *src, int n, int *fail)
{
    if (n <= 0 || !src)
        return NULL;
    qr_loc *a = malloc((size_t)n * sizeof(*a));
    if (!a) {
        *fail = 1;
        return NULL;
    }
    memcpy(a, src, (size_t)n * sizeof(*a));
    return a;
}

static char *copy_str(const char *s, int *fail)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    if (!c)
        *fail = 1;
    return c;
}

static void copy_pool(qr_pool *dst, const qr_pool *src, const int *map, int n, const int *cmap,
                      int n_cl, int *fail)
{
    *dst = *src;
    dst->frontends = copy_ints(src->frontends, src->n_frontends, map, n, fail);
    dst->frontend_locs = copy_locs(src->frontend_locs, src->n_frontends, fail);
    qr_backend *b = &dst->backend;
    b->server = remap(map, n, b->server);
    b->principal = remap(map, n, b->principal);
    b->mirror = remap(map, n, b->mirror);
    b->witness = remap(map, n, b->witness);
    b->storage = remap(map, n, b->storage);
    b->external = remap(map, n, b->external);
    b->cluster = remap(cmap, n_cl, b->cluster);
    b->replicas = copy_ints(src->backend.replicas, b->n_replicas, map, n, fail);
    b->replica_locs = copy_locs(src->backend.replica_locs, b->n_replicas, fail);
    qr_file_store *f = &dst->file_store;
    f->server = remap(map, n, f->server);
    f->storage = remap(map, n, f->storage);
    f->cluster = remap(cmap, n_cl, f->cluster);
    f->replicas = copy_ints(src->file_store.replicas, f->n_replicas, map, n, fail);
    f->replica_locs = copy_locs(src->file_store.replica_locs, f->n_replicas, fail);
}

static int copy_comps(qr_topology *v, const qr_topology *t, const char *keep, int *map, int *fail)
{
    int n = 0;
    for (int i = 0; i < t->n_comps; i++)
        map[i] = keep[i] ? n++ : -1;
    v->comps = calloc((size_t)(n > 0 ? n : 1), sizeof(*v->comps));
    if (!v->comps)
        return -1;
    for (int i = 0; i < t->n_comps; i++) {
        if (map[i] < 0)
            continue;
        qr_component *c = &v->comps[map[i]];
        *c = t->comps[i];
        c->name = copy_str(t->comps[i].name, fail);
        c->site = remap(map, t->n_comps, c->site);
        c->host = remap(map, t->n_comps, c->host);
        c->link_a = remap(map, t->n_comps, c->link_a);
        c->link_b = remap(map, t->n_comps, c->link_b);
        v->n_comps = map[i] + 1;
    }
    return 0;
}

static int copy_clusters(qr_topology *v, const qr_topology *t, const char *keep_cl,
                         const int *map, int *cmap, int *fail)
{
    int n = 0;
    for (int i = 0; i < t->n_clusters; i++)
        cmap[i] = keep_cl[i] ? n++ : -1;
    if (n == 0)
        return 0;
    v->clusters = calloc((size_t)n, sizeof(*v->clusters));
    if (!v->clusters)
        return -1;
    for (int i = 0; i < t->n_clusters; i++) {
        if (cmap[i] < 0)
            continue;
        const qr_cluster *s = &t->clusters[i];
        qr_cluster *c = &v->clusters[cmap[i]];
        *c = *s;
        c->name = copy_str(s->name, fail);
        c->nodes = copy_ints(s->nodes, s->n_nodes, map, t->n_comps, fail);
        c->node_locs = copy_locs(s->node_locs, s->n_nodes, fail);
        c->weight = copy_ints(s->weight, s->n_nodes, NULL, 0, fail);
        c->witness = remap(map, t->n_comps, s->witness);
        v->n_clusters = cmap[i] + 1;
    }
    return 0;
}

static int copy_features(qr_topology *v, const qr_topology *t, int *fail)
{
    for (int i = 0; i < v->n_features; i++)
        free(v->features[i].name);
    free(v->features);
    v->n_features = 0;
    /* The design's features, not each pool's copy of them (topology.h). */
    int nf = t->n_pools > 0 && t->pairing.n_user_features > 0 ? t->pairing.n_user_features
                                                              : t->n_features;
    v->features = calloc((size_t)(nf > 0 ? nf : 1), sizeof(*v->features));
    if (!v->features)
        return -1;
    for (int i = 0; i < nf; i++) {
        v->features[i] = t->features[i];
        v->features[i].name = copy_str(t->features[i].name, fail);
        v->n_features = i + 1;
    }
    return 0;
}

int qr_topology_pool_view(const qr_topology *t, int p, qr_topology **out, int *map)
{
    *out = NULL;
    if (!t || p < 0 || p >= t->n_pools)
        return -1;
    const qr_pool_def *d = &t->pools[p];
    int n = t->n_comps;
    char *keep = calloc((size_t)n + 1, 1);
    char *keep_cl = calloc((size_t)t->n_clusters + 1, 1);
    int *own_map = calloc((size_t)n + 1, sizeof(int));
    int *cmap = calloc((size_t)t->n_clusters + 1, sizeof(int));
    qr_topology *v = calloc(1, sizeof(*v));
    int fail = 0;
    if (!keep || !keep_cl || !own_map || !cmap || !v || qr_topology_init(v) != 0) {
        fail = 1;
        goto done;
    }
    mark_pool(t, d, keep, keep_cl);
    if (copy_comps(v, t, keep, own_map, &fail) != 0 ||
        copy_clusters(v, t, keep_cl, own_map, cmap, &fail) != 0 ||
        copy_features(v, t, &fail) != 0) {
        fail = 1;
        goto done;
    }
    qr_pool_release(&v->pool);
    copy_pool(&v->pool, &d->pool, own_map, n, cmap, t->n_clusters, &fail);
    v->params = t->params;
    memcpy(v->kinds, t->kinds, sizeof(v->kinds));
    memcpy(v->setting_given, t->setting_given, sizeof(v->setting_given));
    v->pairing = t->pairing;
    /* After the features: a latent fault names them by index. */
    if (qr_pool_view_carry(t, v, own_map) != 0) {
        fail = 1;
        goto done;
    }
    v->file = copy_str(t->file, &fail);
    size_t len = strlen(t->name ? t->name : "") + strlen(d->name ? d->name : "") + 3;
    v->name = malloc(len);
    if (v->name)
        snprintf(v->name, len, "%s: %s", t->name ? t->name : "", d->name ? d->name : "");
    else
        fail = 1;
done:
    if (!fail && map)
        memcpy(map, own_map, (size_t)n * sizeof(int));
    free(keep);
    free(keep_cl);
    free(own_map);
    free(cmap);
    if (fail) {
        qr_topology_free(v);
        return -1;
    }
    *out = v;
    return 0;
}

const char *qr_pool_view_unsupported(const qr_topology *t)
{
    if (t->n_ccf > 0)
        return "common-cause groups (`common_cause:`) are not built into the fault trees "
               "(export, cut sets) of a design with several pools yet";
    if (t->virt.loc.line > 0)
        return "`virtualization:` (HA restart, anti-affinity, host maintenance) is not built "
               "into the exact view of a design with several pools yet";
    return NULL;
}
