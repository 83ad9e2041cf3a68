/*
 * sim_topo.h: hand-made topologies for the simulator tests, built in memory
 * (no YAML), with the defaults of model.md. Header-only; each test binary
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

#include "topology.h"

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

/* The seed document's 2.x design: s1 (front end + SQL principal), s2
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
