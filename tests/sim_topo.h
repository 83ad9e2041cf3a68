/*
 * sim_topo.h: hand-made topologies for the simulator tests, built in memory
 * (no YAML), with the behaviour model's defaults. Header-only; each test binary
 * includes it. Every builder returns a topology the caller frees with
 * qr_topology_free().
 */
#ifndef TEST_SIM_TOPO_H
#define TEST_SIM_TOPO_H

#include <math.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/topology.h"

#define T_MIN 60.0
#define T_HOUR 3600.0
#define T_DAY 86400.0
#define T_YEAR (365.25 * 86400.0)

static inline qr_topology *tt_new(void)
{
    qr_topology *t = calloc(1, sizeof(*t));
    if (!t || qr_topology_init(t) != 0) {
        qr_topology_free(t);
        return NULL;
    }
    t->name = strdup("test");
    t->file = strdup("test.yaml");
    return t;
}

/* Append a component with the format's default MTBF/MTTR for its kind. */
static inline int tt_comp(qr_topology *t, const char *name, qr_comp_kind kind, int site,
                          int host)
{
    qr_component *c = realloc(t->comps, sizeof(*c) * (size_t)(t->n_comps + 1));
    if (!c)
        abort();
    t->comps = c;
    c = &t->comps[t->n_comps];
    memset(c, 0, sizeof(*c));
    c->name = strdup(name);
    c->kind = kind;
    c->site = site;
    c->host = host;
    c->link_a = c->link_b = -1;
    c->failure.kind = c->repair.kind = QR_DIST_EXPONENTIAL;
    switch (kind) {
    case QR_COMP_SITE:
        c->failure.mean = INFINITY;
        c->repair.mean = 24 * T_HOUR;
        c->site = -1;
        break;
    case QR_COMP_HOST:
        c->failure.mean = 2 * T_YEAR;
        c->repair.mean = 8 * T_HOUR;
        break;
    case QR_COMP_SERVER:
        c->failure.mean = T_YEAR / 2;
        c->repair.mean = 4 * T_HOUR;
        c->patch.enabled = true;
        c->patch.every = 30 * T_DAY;
        c->patch.reboot = 15 * T_MIN;
        break;
    default:
        c->failure.mean = 5 * T_YEAR;
        c->repair.mean = 8 * T_HOUR;
        break;
    }
    return t->n_comps++;
}

static inline int tt_server(qr_topology *t, const char *name)
{
    return tt_comp(t, name, QR_COMP_SERVER, -1, -1);
}

static inline void tt_frontends(qr_topology *t, int n, const int *servers)
{
    t->pool.frontends = malloc(sizeof(int) * (size_t)n);
    t->pool.frontend_locs = calloc((size_t)n, sizeof(qr_loc));
    memcpy(t->pool.frontends, servers, sizeof(int) * (size_t)n);
    t->pool.n_frontends = n;
}

static inline void tt_mirroring(qr_topology *t, int p, int m, int w)
{
    t->pool.backend.kind = QR_BACKEND_MIRRORING;
    t->pool.backend.principal = p;
    t->pool.backend.mirror = m;
    t->pool.backend.witness = w;
}

static inline void tt_standalone(qr_topology *t, int s)
{
    t->pool.backend.kind = QR_BACKEND_STANDALONE;
    t->pool.backend.server = s;
}

static inline void tt_share(qr_topology *t, int s)
{
    t->pool.file_store.kind = QR_FILE_STORE_SHARE;
    t->pool.file_store.server = s;
}

static inline void tt_dfs(qr_topology *t, int n, const int *servers)
{
    t->pool.file_store.kind = QR_FILE_STORE_DFS;
    t->pool.file_store.replicas = malloc(sizeof(int) * (size_t)n);
    t->pool.file_store.replica_locs = calloc((size_t)n, sizeof(qr_loc));
    memcpy(t->pool.file_store.replicas, servers, sizeof(int) * (size_t)n);
    t->pool.file_store.n_replicas = n;
}

/* Append a failover cluster over servers nodes[0..n) (every NodeWeight 1,
 * Windows 2019 defaults: dynamic quorum and witness, last node lowest
 * priority, 10 s adjust delay) with a witness of `kind` on component
 * `witness` (-1 with QR_WITNESS_NONE). Returns its index. */
static inline int tt_cluster(qr_topology *t, const char *name, int n, const int *nodes,
                             qr_witness_kind kind, int witness)
{
    qr_cluster *cl = realloc(t->clusters, sizeof(*cl) * (size_t)(t->n_clusters + 1));
    if (!cl)
        abort();
    t->clusters = cl;
    cl = &t->clusters[t->n_clusters];
    memset(cl, 0, sizeof(*cl));
    cl->name = strdup(name);
    cl->nodes = malloc(sizeof(int) * (size_t)n);
    cl->node_locs = calloc((size_t)n, sizeof(qr_loc));
    cl->weight = malloc(sizeof(int) * (size_t)n);
    for (int i = 0; i < n; i++) {
        cl->nodes[i] = nodes[i];
        cl->weight[i] = 1;
    }
    cl->n_nodes = n;
    cl->witness_kind = kind;
    cl->witness = kind == QR_WITNESS_NONE ? -1 : witness;
    cl->windows = QR_WINDOWS_2019;
    cl->dynamic_quorum = true;
    cl->dynamic_witness = true;
    cl->lowest_priority = n - 1;
    cl->quorum_adjust_delay = 10.0;
    return t->n_clusters++;
}

/* AlwaysOn on cluster c with replicas[0..n) (the first is the primary). */
static inline void tt_alwayson(qr_topology *t, int c, int n, const int *replicas)
{
    t->pool.backend.kind = QR_BACKEND_ALWAYSON;
    t->pool.backend.cluster = c;
    t->pool.backend.replicas = malloc(sizeof(int) * (size_t)n);
    t->pool.backend.replica_locs = calloc((size_t)n, sizeof(qr_loc));
    memcpy(t->pool.backend.replicas, replicas, sizeof(int) * (size_t)n);
    t->pool.backend.n_replicas = n;
}

/* A failover cluster instance on cluster c with its disk on storage. */
static inline void tt_fci(qr_topology *t, int c, int storage)
{
    t->pool.backend.kind = QR_BACKEND_FCI;
    t->pool.backend.cluster = c;
    t->pool.backend.storage = storage;
}

/* A file-share cluster file store on cluster c with its disk on storage. */
static inline void tt_fs_cluster(qr_topology *t, int c, int storage)
{
    t->pool.file_store.kind = QR_FILE_STORE_CLUSTER;
    t->pool.file_store.cluster = c;
    t->pool.file_store.storage = storage;
}

/* The field write-up's 2.x design: s1 (front end + SQL principal), s2
 * (front end + mirror), w (witness server); DFS on s1, s2. */
static inline qr_topology *tt_design_2x(void)
{
    qr_topology *t = tt_new();
    int s1 = tt_server(t, "s1"), s2 = tt_server(t, "s2"), w = tt_server(t, "w");
    int fe[] = { s1, s2 };
    tt_frontends(t, 2, fe);
    tt_mirroring(t, s1, s2, w);
    tt_dfs(t, 2, fe);
    return t;
}

/* n front ends fe1..fen, then a standalone SQL server "sql" and a file
 * share server "fs". */
static inline qr_topology *tt_pool(int n)
{
    qr_topology *t = tt_new();
    int fe[16];
    char name[24];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "fe%d", i + 1);
        fe[i] = tt_server(t, name);
    }
    tt_frontends(t, n, fe);
    tt_standalone(t, tt_server(t, "sql"));
    tt_share(t, tt_server(t, "fs"));
    return t;
}

/* Switch every component's failures off (scripted tests). */
static inline void tt_no_failures(qr_topology *t)
{
    for (int i = 0; i < t->n_comps; i++)
        t->comps[i].failure.mean = INFINITY;
}

#endif
