/*
 * fixture.h: build qr_topology models in C for unit tests, without YAML.
 *
 * Each helper fills the same fields the loader would (topology.h), starting
 * from qr_topology_init()'s defaults. Components get exponential failure and
 * repair with the given means; fx_avail() makes one whose availability is a
 * given number. Helpers abort the test (cmocka fail) on out of memory, so
 * tests stay short. The topology owns everything; release it with
 * qr_topology_release().
 */
#ifndef QR_TESTS_FIXTURE_H
#define QR_TESTS_FIXTURE_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/topology.h"

#define FX_HOUR 3600.0

static inline void fx_oom(void *p)
{
    if (!p)
        abort();
}

static inline void fx_init(qr_topology *t)
{
    if (qr_topology_init(t) != 0)
        abort();
}

static inline int *fx_ints(const int *v, int n)
{
    int *out = malloc((size_t)(n > 0 ? n : 1) * sizeof(*out));
    fx_oom(out);
    for (int i = 0; i < n; i++)
        out[i] = v[i];
    return out;
}

static inline qr_loc *fx_locs(int n)
{
    qr_loc *out = calloc((size_t)(n > 0 ? n : 1), sizeof(*out));
    fx_oom(out);
    return out;
}

/* Add a component with exponential MTBF/MTTR in seconds (mtbf INFINITY:
 * never fails). Returns its index. */
static inline int fx_comp(qr_topology *t, const char *name, qr_comp_kind kind,
                          int site, int host, double mtbf, double mttr)
{
    qr_component *c = realloc(t->comps, (size_t)(t->n_comps + 1) * sizeof(*c));
    fx_oom(c);
    t->comps = c;
    c = &t->comps[t->n_comps];
    memset(c, 0, sizeof(*c));
    c->name = strdup(name);
    fx_oom(c->name);
    c->kind = kind;
    c->site = site;
    c->host = host;
    c->link_a = c->link_b = -1;
    c->failure.kind = QR_DIST_EXPONENTIAL;
    c->failure.mean = mtbf;
    c->failure.shape = 1;
    c->repair.kind = QR_DIST_EXPONENTIAL;
    c->repair.mean = mttr;
    c->repair.shape = 1;
    return t->n_comps++;
}

/* A component of availability a (1: never fails), MTTR one hour. */
static inline int fx_avail(qr_topology *t, const char *name, qr_comp_kind kind,
                           int site, int host, double a)
{
    double mtbf = a >= 1.0 ? INFINITY : a * FX_HOUR / (1.0 - a);
    return fx_comp(t, name, kind, site, host, mtbf, FX_HOUR);
}

/* A server of availability a, with no host and no site. */
static inline int fx_server(qr_topology *t, const char *name, double a)
{
    return fx_avail(t, name, QR_COMP_SERVER, -1, -1, a);
}

static inline double fx_a(const qr_topology *t, int i)
{
    return qr_component_availability(&t->comps[i]);
}

static inline void fx_frontends(qr_topology *t, const int *fe, int n)
{
    free(t->pool.frontends);
    free(t->pool.frontend_locs);
    t->pool.frontends = fx_ints(fe, n);
    t->pool.frontend_locs = fx_locs(n);
    t->pool.n_frontends = n;
}

static inline void fx_standalone(qr_topology *t, int server)
{
    t->pool.backend.kind = QR_BACKEND_STANDALONE;
    t->pool.backend.server = server;
}

static inline void fx_mirroring(qr_topology *t, int principal, int mirror,
                                int witness)
{
    t->pool.backend.kind = QR_BACKEND_MIRRORING;
    t->pool.backend.principal = principal;
    t->pool.backend.mirror = mirror;
    t->pool.backend.witness = witness;
}

static inline void fx_external(qr_topology *t, int comp)
{
    t->pool.backend.kind = QR_BACKEND_EXTERNAL;
    t->pool.backend.external = comp;
}

static inline void fx_alwayson(qr_topology *t, int cluster, const int *rep,
                               int n)
{
    t->pool.backend.kind = QR_BACKEND_ALWAYSON;
    t->pool.backend.cluster = cluster;
    t->pool.backend.replicas = fx_ints(rep, n);
    t->pool.backend.replica_locs = fx_locs(n);
    t->pool.backend.n_replicas = n;
}

static inline void fx_fci(qr_topology *t, int cluster, int storage)
{
    t->pool.backend.kind = QR_BACKEND_FCI;
    t->pool.backend.cluster = cluster;
    t->pool.backend.storage = storage;
}

static inline void fx_share(qr_topology *t, int server)
{
    t->pool.file_store.kind = QR_FILE_STORE_SHARE;
    t->pool.file_store.server = server;
}

static inline void fx_dfs(qr_topology *t, const int *rep, int n)
{
    t->pool.file_store.kind = QR_FILE_STORE_DFS;
    t->pool.file_store.replicas = fx_ints(rep, n);
    t->pool.file_store.replica_locs = fx_locs(n);
    t->pool.file_store.n_replicas = n;
}

static inline void fx_fs_cluster(qr_topology *t, int cluster, int storage)
{
    t->pool.file_store.kind = QR_FILE_STORE_CLUSTER;
    t->pool.file_store.cluster = cluster;
    t->pool.file_store.storage = storage;
}

/* Add a cluster of n nodes (weights all 1 when weight is NULL) with the
 * given witness (QR_WITNESS_NONE and -1 for none). Returns its index. */
static inline int fx_cluster(qr_topology *t, const char *name, const int *nodes,
                             const int *weight, int n, qr_witness_kind wk,
                             int witness)
{
    qr_cluster *c = realloc(t->clusters, (size_t)(t->n_clusters + 1) * sizeof(*c));
    fx_oom(c);
    t->clusters = c;
    c = &t->clusters[t->n_clusters];
    memset(c, 0, sizeof(*c));
    c->name = strdup(name);
    fx_oom(c->name);
    c->nodes = fx_ints(nodes, n);
    c->node_locs = fx_locs(n);
    c->weight = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
    fx_oom(c->weight);
    for (int i = 0; i < n; i++)
        c->weight[i] = weight ? weight[i] : 1;
    c->n_nodes = n;
    c->witness_kind = wk;
    c->witness = witness;
    c->windows = QR_WINDOWS_2019;
    c->dynamic_quorum = true;
    c->dynamic_witness = true;
    c->lowest_priority = n - 1;
    c->quorum_adjust_delay = 10;
    return t->n_clusters++;
}

/* Replace the features by one custom feature with the given needs. */
static inline void fx_only_feature(qr_topology *t, const char *name,
                                   unsigned needs)
{
    for (int i = 0; i < t->n_features; i++)
        free(t->features[i].name);
    t->features[0].name = strdup(name);
    fx_oom(t->features[0].name);
    t->features[0].needs = needs;
    t->n_features = 1;
}

/* All components up: up[] of n entries set to 1. */
static inline void fx_all_up(unsigned char *up, int n)
{
    memset(up, 1, (size_t)n);
}

#endif
