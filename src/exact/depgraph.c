/*
 * depgraph.c: the dependency graph of a pool design (depgraph.h), the only
 * file that speaks igraph.
 *
 * qr_depgraph_new() first lays the graph out in plain arrays (vertices with
 * their class, roles and names; edges as (from, to, kind), without
 * duplicates), then hands the edge list to igraph_create(). The arrays stay
 * beside the igraph_t: they carry what igraph would otherwise need an
 * attribute table for, and the DOT writer reads them directly. GraphML goes
 * through igraph_write_graph_graphml() on a temporary copy that carries the
 * attributes (igraph's C attribute handler, installed only for that call).
 *
 * igraph idiom inside: functions returning igraph_error_t use IGRAPH_CHECK
 * and the IGRAPH_FINALLY stack; the public functions run them between
 * guard_begin() and guard_end(), which install an error handler that keeps
 * the first non-empty reason and frees the FINALLY stack instead of
 * aborting (igraph's default), and a silent warning handler.
 *
 * Invariants: vertex ids are components, then services, then features
 * (depgraph.h); every edge joins two valid vertices; the graph is acyclic
 * (checked with igraph_is_dag at build time).
 */
#include "exact/depgraph.h"

#include <igraph.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

typedef struct {
    int             from, to;
    qr_dg_edge_kind kind;
} dg_edge;

struct qr_depgraph {
    igraph_t      graph;
    int           n_comps;
    int           n_vertices;
    qr_dg_vertex *v;          /* n_vertices                               */
    char        **names;      /* n_vertices owned copies (v[i].name)      */
    dg_edge      *e;          /* n_edges, the igraph edge order           */
    int           n_edges;
    int           cap_edges;
    int           svc_first;  /* vertex id of the pool quorum service     */
    int           n_services; /* 4 + clusters                             */
    int           feat_first; /* vertex id of the first feature           */
    int           n_features;
};

/* ---- igraph error handling ---- */

/* The first non-empty reason of the current guarded section: igraph calls
 * the handler once per unwinding level, the innermost (with the real
 * reason) first. Thread-local so that a caller in another thread cannot
 * mix reasons (igraph itself is built without thread safety here). */
static _Thread_local char dg_reason[256];

static void dg_error_handler(const char *reason, const char *file, int line,
                             igraph_error_t code)
{
    (void)file;
    (void)line;
    if (dg_reason[0] == '\0' && reason && reason[0])
        snprintf(dg_reason, sizeof(dg_reason), "%s", reason);
    else if (dg_reason[0] == '\0' && code != IGRAPH_SUCCESS)
        snprintf(dg_reason, sizeof(dg_reason), "%s", igraph_strerror(code));
    IGRAPH_FINALLY_FREE();
}

typedef struct {
    igraph_error_handler_t   *old_error;
    igraph_warning_handler_t *old_warning;
} ig_guard;

static void guard_begin(ig_guard *g)
{
    dg_reason[0] = '\0';
    g->old_error = igraph_set_error_handler(dg_error_handler);
    g->old_warning = igraph_set_warning_handler(igraph_warning_handler_ignore);
}

static void guard_end(ig_guard *g)
{
    igraph_set_error_handler(g->old_error);
    igraph_set_warning_handler(g->old_warning);
}

static void ig_err(char *err, size_t errlen, const char *what, igraph_error_t code)
{
    qr_err_set(err, errlen, "igraph: %s: %s", what,
            dg_reason[0] ? dg_reason : igraph_strerror(code));
}

/* ---- names ---- */

const char *qr_dg_service_name(qr_dg_service s)
{
    switch (s) {
    case QR_DG_SVC_POOL:
        return "pool quorum";
    case QR_DG_SVC_GROUPS:
        return "routing groups";
    case QR_DG_SVC_BACKEND:
        return "back end";
    case QR_DG_SVC_FILE_STORE:
        return "file store";
    case QR_DG_SVC_CLUSTER:
        return "cluster";
    }
    return "?";
}

const char *qr_dg_edge_kind_name(qr_dg_edge_kind k)
{
    switch (k) {
    case QR_DG_EDGE_CONTAINS:
        return "contains";
    case QR_DG_EDGE_VOTES:
        return "votes";
    case QR_DG_EDGE_PART:
        return "part";
    case QR_DG_EDGE_NEEDS:
        return "needs";
    case QR_DG_EDGE_JOINS:
        return "joins";
    }
    return "?";
}

const char *qr_dg_class_name(qr_dg_class c)
{
    switch (c) {
    case QR_DG_COMPONENT:
        return "component";
    case QR_DG_SERVICE:
        return "service";
    case QR_DG_FEATURE:
        return "feature";
    }
    return "?";
}

const char *qr_dg_roles_text(unsigned roles, char *buf, size_t size)
{
    static const char *const names[] = {
        "frontend", "seed", "sql_principal", "sql_mirror", "sql_witness", "sql",
        "file_store", "cluster_node", "cluster_vote", "cluster_witness", "shared_disk",
    };
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        if (!(roles & (1u << k)))
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? "," : "", names[k]);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
    return buf;
}

/* ---- building ---- */

static int add_edge(qr_depgraph *g, int from, int to, qr_dg_edge_kind kind)
{
    if (from < 0 || to < 0 || from >= g->n_vertices || to >= g->n_vertices || from == to)
        return 0;
    for (int i = 0; i < g->n_edges; i++)
        if (g->e[i].from == from && g->e[i].to == to)
            return 0;
    if (g->n_edges == g->cap_edges) {
        int cap = g->cap_edges ? 2 * g->cap_edges : 64;
        dg_edge *e = realloc(g->e, (size_t)cap * sizeof(*e));
        if (!e)
            return -1;
        g->e = e;
        g->cap_edges = cap;
    }
    g->e[g->n_edges++] = (dg_edge){ from, to, kind };
    return 0;
}

/* A component index of t, or -1 when out of range. */
static int comp_ref(const qr_topology *t, int i)
{
    return (i >= 0 && i < t->n_comps) ? i : -1;
}

static void add_role(qr_depgraph *g, int comp, unsigned role)
{
    if (comp >= 0 && comp < g->n_comps)
        g->v[comp].roles |= role;
}

static int set_name(qr_depgraph *g, int v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int set_name(qr_depgraph *g, int v, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    g->names[v] = strdup(buf);
    g->v[v].name = g->names[v];
    return g->names[v] ? 0 : -1;
}

/* Containment (M0.2): a component's host, else its site. A server on a
 * host in another site than its own also hangs off its own site. */
static int add_containment(qr_depgraph *g, const qr_topology *t)
{
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        int host = comp_ref(t, c->host), site = comp_ref(t, c->site);
        if (c->kind == QR_COMP_LINK) {
            if (add_edge(g, comp_ref(t, c->link_a), i, QR_DG_EDGE_JOINS) != 0 ||
                add_edge(g, comp_ref(t, c->link_b), i, QR_DG_EDGE_JOINS) != 0)
                return -1;
            continue;
        }
        if (host >= 0 && add_edge(g, host, i, QR_DG_EDGE_CONTAINS) != 0)
            return -1;
        if (site >= 0 && (host < 0 || comp_ref(t, t->comps[host].site) != site) &&
            add_edge(g, site, i, QR_DG_EDGE_CONTAINS) != 0)
            return -1;
    }
    return 0;
}

/* Votes and parts of cluster c (M4.1): weighted nodes vote, the witness
 * too (it votes whenever the voting-node count is even, M4.3, M9). */
static int add_cluster(qr_depgraph *g, const qr_topology *t, int c)
{
    const qr_cluster *qc = &t->clusters[c];
    int cv = g->svc_first + 4 + c;
    for (int j = 0; j < qc->n_nodes; j++) {
        int node = comp_ref(t, qc->nodes[j]);
        bool votes = !qc->weight || qc->weight[j] != 0;
        add_role(g, node, QR_DG_ROLE_CLUSTER_NODE | (votes ? QR_DG_ROLE_CLUSTER_VOTE : 0));
        if (add_edge(g, node, cv, votes ? QR_DG_EDGE_VOTES : QR_DG_EDGE_PART) != 0)
            return -1;
    }
    if (qc->witness_kind != QR_WITNESS_NONE) {
        int w = comp_ref(t, qc->witness);
        add_role(g, w, QR_DG_ROLE_CLUSTER_WITNESS);
        if (add_edge(g, w, cv, QR_DG_EDGE_VOTES) != 0)
            return -1;
    }
    return 0;
}

static int add_list(qr_depgraph *g, const qr_topology *t, const int *list, int n,
                    int to, unsigned role)
{
    for (int i = 0; list && i < n; i++) {
        int c = comp_ref(t, list[i]);
        add_role(g, c, role);
        if (add_edge(g, c, to, QR_DG_EDGE_PART) != 0)
            return -1;
    }
    return 0;
}

static int cluster_vertex(const qr_depgraph *g, const qr_topology *t, int c)
{
    return (c >= 0 && c < t->n_clusters) ? g->svc_first + 4 + c : -1;
}

static int add_services(qr_depgraph *g, const qr_topology *t)
{
    const qr_pool *p = &t->pool;
    const qr_backend *b = &p->backend;
    const qr_file_store *fs = &p->file_store;
    int pool = g->svc_first + QR_DG_SVC_POOL, groups = g->svc_first + QR_DG_SVC_GROUPS;
    int be = g->svc_first + QR_DG_SVC_BACKEND, store = g->svc_first + QR_DG_SVC_FILE_STORE;
    int n_fe = p->n_frontends > 0 && p->frontends ? p->n_frontends : 0;
    int seeds = qr_pool_seed_count(p->version, n_fe);
    int r = n_fe < 3 ? n_fe : 3;

    /* M1.1, M1.2: the seeds vote; M2.1: every front end holds replicas. */
    for (int i = 0; i < n_fe; i++) {
        int c = comp_ref(t, p->frontends[i]);
        add_role(g, c, QR_DG_ROLE_FRONTEND | (i < seeds ? QR_DG_ROLE_SEED : 0));
        if ((i < seeds && add_edge(g, c, pool, QR_DG_EDGE_VOTES) != 0) ||
            add_edge(g, c, groups, QR_DG_EDGE_PART) != 0)
            return -1;
    }
    /* M1.2: the Back End votes when the seeds are even; M2.2: it breaks
     * the tie of a two-replica group. */
    if (seeds > 0 && seeds % 2 == 0 && qr_pool_backend_votes(t) &&
        add_edge(g, be, pool, QR_DG_EDGE_VOTES) != 0)
        return -1;
    if (r == 2 && add_edge(g, be, groups, QR_DG_EDGE_VOTES) != 0)
        return -1;

    switch (b->kind) {
    case QR_BACKEND_STANDALONE:
        add_role(g, comp_ref(t, b->server), QR_DG_ROLE_SQL);
        if (add_edge(g, comp_ref(t, b->server), be, QR_DG_EDGE_PART) != 0)
            return -1;
        break;
    case QR_BACKEND_MIRRORING:
        add_role(g, comp_ref(t, b->principal), QR_DG_ROLE_SQL_PRINCIPAL);
        add_role(g, comp_ref(t, b->mirror), QR_DG_ROLE_SQL_MIRROR);
        add_role(g, comp_ref(t, b->witness), QR_DG_ROLE_SQL_WITNESS);
        if (add_edge(g, comp_ref(t, b->principal), be, QR_DG_EDGE_PART) != 0 ||
            add_edge(g, comp_ref(t, b->mirror), be, QR_DG_EDGE_PART) != 0 ||
            add_edge(g, comp_ref(t, b->witness), be, QR_DG_EDGE_VOTES) != 0)
            return -1;
        break;
    case QR_BACKEND_ALWAYSON:
        if (add_edge(g, cluster_vertex(g, t, b->cluster), be, QR_DG_EDGE_PART) != 0 ||
            add_list(g, t, b->replicas, b->n_replicas, be, QR_DG_ROLE_SQL) != 0)
            return -1;
        break;
    case QR_BACKEND_FCI:
        add_role(g, comp_ref(t, b->storage), QR_DG_ROLE_SHARED_DISK);
        if (add_edge(g, cluster_vertex(g, t, b->cluster), be, QR_DG_EDGE_PART) != 0 ||
            add_edge(g, comp_ref(t, b->storage), be, QR_DG_EDGE_PART) != 0)
            return -1;
        break;
    case QR_BACKEND_EXTERNAL:
        add_role(g, comp_ref(t, b->external), QR_DG_ROLE_SQL);
        if (add_edge(g, comp_ref(t, b->external), be, QR_DG_EDGE_PART) != 0)
            return -1;
        break;
    }

    switch (fs->kind) {
    case QR_FILE_STORE_SHARE:
        add_role(g, comp_ref(t, fs->server), QR_DG_ROLE_FILE_STORE);
        if (add_edge(g, comp_ref(t, fs->server), store, QR_DG_EDGE_PART) != 0)
            return -1;
        break;
    case QR_FILE_STORE_DFS:
        if (add_list(g, t, fs->replicas, fs->n_replicas, store, QR_DG_ROLE_FILE_STORE) != 0)
            return -1;
        break;
    case QR_FILE_STORE_CLUSTER:
        add_role(g, comp_ref(t, fs->storage), QR_DG_ROLE_SHARED_DISK);
        if (add_edge(g, cluster_vertex(g, t, fs->cluster), store, QR_DG_EDGE_PART) != 0 ||
            add_edge(g, comp_ref(t, fs->storage), store, QR_DG_EDGE_PART) != 0)
            return -1;
        break;
    }
    for (int c = 0; c < t->n_clusters; c++)
        if (add_cluster(g, t, c) != 0)
            return -1;

    /* M6 as evaluated in M9 (src/exact/structure.h): routing_group_limited needs
     * only the pool there, the Back End grace is zero. */
    for (int f = 0; f < t->n_features; f++) {
        unsigned need = t->features[f].needs;
        int fv = g->feat_first + f;
        if ((need & (QR_NEED_POOL | QR_NEED_GROUP | QR_NEED_GROUP_LIMITED)) &&
            add_edge(g, pool, fv, QR_DG_EDGE_NEEDS) != 0)
            return -1;
        if ((need & QR_NEED_GROUP) && add_edge(g, groups, fv, QR_DG_EDGE_NEEDS) != 0)
            return -1;
        if ((need & (QR_NEED_BACKEND | QR_NEED_BACKEND_GRACE)) &&
            add_edge(g, be, fv, QR_DG_EDGE_NEEDS) != 0)
            return -1;
        if ((need & QR_NEED_FILE_STORE) && add_edge(g, store, fv, QR_DG_EDGE_NEEDS) != 0)
            return -1;
    }
    return 0;
}

/* igraph_create() from the edge list. */
static igraph_error_t make_igraph(igraph_t *graph, const dg_edge *e, int n_edges,
                                  int n_vertices)
{
    igraph_vector_int_t edges;
    IGRAPH_CHECK(igraph_vector_int_init(&edges, 2 * (igraph_integer_t)n_edges));
    IGRAPH_FINALLY(igraph_vector_int_destroy, &edges);
    for (int i = 0; i < n_edges; i++) {
        VECTOR(edges)[2 * i] = e[i].from;
        VECTOR(edges)[2 * i + 1] = e[i].to;
    }
    IGRAPH_CHECK(igraph_create(graph, &edges, n_vertices, IGRAPH_DIRECTED));
    igraph_vector_int_destroy(&edges);
    IGRAPH_FINALLY_CLEAN(1);
    return IGRAPH_SUCCESS;
}

/* Build the igraph_t and check that it is acyclic. */
static igraph_error_t build_igraph(qr_depgraph *g, igraph_bool_t *dag)
{
    IGRAPH_CHECK(make_igraph(&g->graph, g->e, g->n_edges, g->n_vertices));
    IGRAPH_FINALLY(igraph_destroy, &g->graph);
    IGRAPH_CHECK(igraph_is_dag(&g->graph, dag));
    IGRAPH_FINALLY_CLEAN(1);
    return IGRAPH_SUCCESS;
}

static void free_arrays(qr_depgraph *g)
{
    if (g->names)
        for (int i = 0; i < g->n_vertices; i++)
            free(g->names[i]);
    free(g->names);
    free(g->v);
    free(g->e);
}

int qr_depgraph_new(const qr_topology *t, qr_depgraph **out, char *err, size_t errlen)
{
    qr_depgraph *g = calloc(1, sizeof(*g));
    int ret = -1;
    bool have_graph = false;
    *out = NULL;
    /* Every failure below before the igraph step is an allocation. */
    qr_err_set(err, errlen, "out of memory");
    if (!g)
        goto cleanup;
    g->n_comps = t->n_comps > 0 ? t->n_comps : 0;
    g->n_features = t->n_features > 0 ? t->n_features : 0;
    g->n_services = 4 + (t->n_clusters > 0 ? t->n_clusters : 0);
    g->svc_first = g->n_comps;
    g->feat_first = g->svc_first + g->n_services;
    g->n_vertices = g->feat_first + g->n_features;
    g->v = calloc((size_t)g->n_vertices, sizeof(*g->v));
    g->names = calloc((size_t)g->n_vertices, sizeof(*g->names));
    if (!g->v || !g->names)
        goto cleanup;

    for (int i = 0; i < g->n_comps; i++) {
        g->v[i] = (qr_dg_vertex){ QR_DG_COMPONENT, i, -1, 0, NULL };
        if (set_name(g, i, "%s", t->comps[i].name ? t->comps[i].name : "?") != 0)
            goto cleanup;
    }
    static const char *const backend_forms[] = { "standalone", "mirroring", "AlwaysOn",
                                                 "FCI", "external" };
    for (int s = 0; s < g->n_services; s++) {
        int v = g->svc_first + s;
        int rc;
        g->v[v] = (qr_dg_vertex){ QR_DG_SERVICE, s < 4 ? s : QR_DG_SVC_CLUSTER,
                                  s < 4 ? -1 : s - 4, 0, NULL };
        if (s == QR_DG_SVC_BACKEND)
            rc = set_name(g, v, "back end (%s)",
                          (unsigned)t->pool.backend.kind < 5
                              ? backend_forms[t->pool.backend.kind] : "?");
        else if (s == QR_DG_SVC_FILE_STORE)
            rc = set_name(g, v, "file store (%s)",
                          qr_file_store_kind_name(t->pool.file_store.kind));
        else if (s < 4)
            rc = set_name(g, v, "%s", qr_dg_service_name((qr_dg_service)s));
        else
            rc = set_name(g, v, "cluster %s",
                          t->clusters[s - 4].name ? t->clusters[s - 4].name : "?");
        if (rc != 0)
            goto cleanup;
    }
    for (int f = 0; f < g->n_features; f++) {
        int v = g->feat_first + f;
        g->v[v] = (qr_dg_vertex){ QR_DG_FEATURE, f, -1, 0, NULL };
        if (set_name(g, v, "%s", t->features[f].name ? t->features[f].name : "?") != 0)
            goto cleanup;
    }
    if (add_containment(g, t) != 0 || add_services(g, t) != 0)
        goto cleanup;

    ig_guard guard;
    igraph_bool_t dag = 0;
    guard_begin(&guard);
    igraph_error_t rc = build_igraph(g, &dag);
    guard_end(&guard);
    if (rc != IGRAPH_SUCCESS) {
        ig_err(err, errlen, "cannot build the dependency graph", rc);
        goto cleanup;
    }
    have_graph = true;
    if (!dag) {
        /* Containment of a malformed topology could form a cycle. */
        qr_err_set(err, errlen, "the dependency graph has a cycle (a host or site contains itself)");
        goto cleanup;
    }
    *out = g;
    g = NULL;
    ret = 0;

cleanup:
    if (g) {
        if (have_graph)
            igraph_destroy(&g->graph);
        free_arrays(g);
        free(g);
    }
    return ret;
}

void qr_depgraph_free(qr_depgraph *g)
{
    if (!g)
        return;
    igraph_destroy(&g->graph);
    free_arrays(g);
    free(g);
}

int qr_depgraph_n_vertices(const qr_depgraph *g)
{
    return (int)igraph_vcount(&g->graph);
}

int qr_depgraph_n_edges(const qr_depgraph *g)
{
    return (int)igraph_ecount(&g->graph);
}

const qr_dg_vertex *qr_depgraph_vertex(const qr_depgraph *g, int v)
{
    return (v >= 0 && v < g->n_vertices) ? &g->v[v] : NULL;
}

int qr_depgraph_feature_vertex(const qr_depgraph *g, int feature)
{
    return (feature >= 0 && feature < g->n_features) ? g->feat_first + feature : -1;
}

int qr_depgraph_service_vertex(const qr_depgraph *g, qr_dg_service svc, int cluster)
{
    if (svc == QR_DG_SVC_CLUSTER)
        return (cluster >= 0 && cluster < g->n_services - 4) ? g->svc_first + 4 + cluster : -1;
    return ((int)svc >= 0 && (int)svc < 4) ? g->svc_first + (int)svc : -1;
}

int qr_depgraph_edge(const qr_depgraph *g, int e, int *from, int *to, qr_dg_edge_kind *kind)
{
    if (e < 0 || e >= g->n_edges)
        return -1;
    igraph_integer_t a, b;
    /* The endpoints as igraph stores them; the kind from our array (same
     * edge order as given to igraph_create). */
    if (igraph_edge(&g->graph, e, &a, &b) != IGRAPH_SUCCESS)
        return -1;
    *from = (int)a;
    *to = (int)b;
    *kind = g->e[e].kind;
    return 0;
}

static igraph_error_t ancestors(const igraph_t *graph, int vertex, int n_comps,
                                unsigned char *dep, int *count)
{
    igraph_vector_int_t res;
    IGRAPH_CHECK(igraph_vector_int_init(&res, 0));
    IGRAPH_FINALLY(igraph_vector_int_destroy, &res);
    IGRAPH_CHECK(igraph_subcomponent(graph, &res, vertex, IGRAPH_IN));
    memset(dep, 0, (size_t)n_comps);
    *count = 0;
    for (igraph_integer_t i = 0; i < igraph_vector_int_size(&res); i++) {
        igraph_integer_t v = VECTOR(res)[i];
        if (v < n_comps && !dep[v]) {
            dep[v] = 1;
            (*count)++;
        }
    }
    igraph_vector_int_destroy(&res);
    IGRAPH_FINALLY_CLEAN(1);
    return IGRAPH_SUCCESS;
}

int qr_depgraph_feature_components(const qr_depgraph *g, int feature, unsigned char *dep,
                                   char *err, size_t errlen)
{
    int v = qr_depgraph_feature_vertex(g, feature);
    if (v < 0) {
        qr_err_set(err, errlen, "no feature %d", feature);
        return -1;
    }
    ig_guard guard;
    int count = 0;
    guard_begin(&guard);
    igraph_error_t rc = ancestors(&g->graph, v, g->n_comps, dep, &count);
    guard_end(&guard);
    if (rc != IGRAPH_SUCCESS) {
        ig_err(err, errlen, "cannot follow the dependencies", rc);
        return -1;
    }
    return count;
}

/* ---- DOT ---- */

/* A DOT double-quoted string. */
static void dot_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

/* The role lines under a component's name in its DOT label. */
static void role_label(unsigned roles, char *buf, size_t size)
{
    static const struct {
        unsigned    role;
        const char *text;
    } words[] = {
        { QR_DG_ROLE_SEED, "front end, seed (votes)" },
        { QR_DG_ROLE_SQL_PRINCIPAL, "SQL principal" },
        { QR_DG_ROLE_SQL_MIRROR, "SQL mirror" },
        { QR_DG_ROLE_SQL_WITNESS, "SQL witness (votes)" },
        { QR_DG_ROLE_SQL, "SQL" },
        { QR_DG_ROLE_FILE_STORE, "file store" },
        { QR_DG_ROLE_CLUSTER_VOTE, "cluster node (votes)" },
        { QR_DG_ROLE_CLUSTER_WITNESS, "cluster witness (votes)" },
        { QR_DG_ROLE_SHARED_DISK, "shared disk" },
    };
    size_t used = 0;
    buf[0] = '\0';
    if ((roles & QR_DG_ROLE_FRONTEND) && !(roles & QR_DG_ROLE_SEED)) {
        int n = snprintf(buf, size, "\nfront end");
        used = n > 0 && (size_t)n < size ? (size_t)n : 0;
    }
    if ((roles & QR_DG_ROLE_CLUSTER_NODE) && !(roles & QR_DG_ROLE_CLUSTER_VOTE)) {
        int n = snprintf(buf + used, size - used, "\ncluster node (no vote)");
        used += n > 0 && (size_t)n < size - used ? (size_t)n : 0;
    }
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
        if (!(roles & words[k].role))
            continue;
        int n = snprintf(buf + used, size - used, "\n%s", words[k].text);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
}

static bool is_voter(unsigned roles)
{
    return roles & (QR_DG_ROLE_SEED | QR_DG_ROLE_SQL_WITNESS | QR_DG_ROLE_CLUSTER_VOTE |
                    QR_DG_ROLE_CLUSTER_WITNESS);
}

static void dot_component(FILE *out, const qr_depgraph *g, const qr_topology *t, int i,
                          const char *indent)
{
    const qr_component *c = &t->comps[i];
    char roles[256], label[512];
    role_label(g->v[i].roles, roles, sizeof(roles));
    snprintf(label, sizeof(label), "%s\n%s%s%s", g->v[i].name, qr_comp_kind_name(c->kind),
             c->kind == QR_COMP_LINK ? " (no effect in M9)" : "", roles);
    const char *shape = c->kind == QR_COMP_STORAGE ? "cylinder"
                        : c->kind == QR_COMP_LINK ? "cds"
                        : c->kind == QR_COMP_CLOUD_WITNESS ? "component"
                        : c->kind == QR_COMP_EXTERNAL_SQL ? "cylinder"
                        : "box";
    fprintf(out, "%s\"v%d\" [label=", indent, i);
    dot_string(out, label);
    fprintf(out, ", shape=%s", shape);
    if (is_voter(g->v[i].roles))
        fputs(", peripheries=2, style=\"bold,filled\", fillcolor=\"#fde9b5\"", out);
    else if (g->v[i].roles)
        fputs(", style=filled, fillcolor=\"#e8eef7\"", out);
    if (!qr_component_fails(c))
        fputs(", color=gray40", out);
    fputs("];\n", out);
}

/* A site or host cluster holds its contained servers, storage and cloud
 * witnesses (hosts nested in their site). Sites and hosts are drawn only as
 * clusters, so their containment edges are implied by the nesting. */
static void dot_container(FILE *out, const qr_depgraph *g, const qr_topology *t, int k,
                          int depth)
{
    const qr_component *c = &t->comps[k];
    char indent[16];
    int w = depth * 2 < 14 ? depth * 2 : 14;
    memset(indent, ' ', (size_t)w);
    indent[w] = '\0';
    char label[300];
    snprintf(label, sizeof(label), "%s %s%s", qr_comp_kind_name(c->kind), c->name ? c->name : "?",
             qr_component_fails(c) ? "" : " (never fails)");
    fprintf(out, "%ssubgraph \"cluster_v%d\" {\n%s  label=", indent, k, indent);
    dot_string(out, label);
    fprintf(out, ";\n%s  style=rounded; color=%s;\n", indent,
            c->kind == QR_COMP_SITE ? "\"#4a6fa5\"" : "\"#8aa1c1\"");
    int members = 0;
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *m = &t->comps[i];
        if (i == k || m->kind == QR_COMP_LINK || m->kind == QR_COMP_SITE)
            continue;
        bool inside;
        if (c->kind == QR_COMP_HOST)
            inside = m->host == k;
        else
            inside = m->site == k && (m->host < 0 || m->host >= t->n_comps ||
                                      t->comps[m->host].site != k);
        if (!inside)
            continue;
        members++;
        if (m->kind == QR_COMP_HOST)
            dot_container(out, g, t, i, depth + 1);
        else {
            char deeper[18];
            snprintf(deeper, sizeof(deeper), "%s  ", indent);
            dot_component(out, g, t, i, deeper);
        }
    }
    if (members == 0)
        fprintf(out, "%s  \"v%d\" [label=\"(empty)\", shape=plaintext];\n", indent, k);
    fprintf(out, "%s}\n", indent);
}

int qr_depgraph_write_dot(const qr_depgraph *g, const qr_topology *t, FILE *out, char *err,
                          size_t errlen)
{
    char notation[16];
    char title[600];
    snprintf(title, sizeof(title), "%s (%s): dependencies", t->name ? t->name : "pool",
             qr_topology_notation(t, notation, sizeof(notation)));
    fputs("digraph \"quorate\" {\n", out);
    fputs("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, "
          "newrank=true, label=",
          out);
    dot_string(out, title);
    fputs("];\n  node [fontname=\"Helvetica\", fontsize=10];\n"
          "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];\n",
          out);

    /* Components: inside their site or host cluster, else at the top. */
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        bool in_host = comp_ref(t, c->host) >= 0;
        bool in_site = comp_ref(t, c->site) >= 0;
        if (c->kind == QR_COMP_SITE || (c->kind == QR_COMP_HOST && !in_site))
            dot_container(out, g, t, i, 1);
        else if (c->kind == QR_COMP_LINK || (!in_host && !in_site && c->kind != QR_COMP_HOST))
            dot_component(out, g, t, i, "  ");
    }
    for (int v = g->svc_first; v < g->feat_first; v++) {
        fprintf(out, "  \"v%d\" [label=", v);
        dot_string(out, g->v[v].name);
        fputs(", shape=ellipse, style=filled, fillcolor=\"#dff0d8\"];\n", out);
    }
    for (int v = g->feat_first; v < g->n_vertices; v++) {
        fprintf(out, "  \"v%d\" [label=", v);
        dot_string(out, g->v[v].name);
        fputs(", shape=note, style=filled, fillcolor=\"#f2dede\"];\n", out);
    }
    for (int e = 0; e < g->n_edges; e++) {
        const dg_edge *d = &g->e[e];
        if (d->kind == QR_DG_EDGE_CONTAINS)
            continue; /* drawn as nesting */
        if (d->kind == QR_DG_EDGE_JOINS) {
            /* Sites are clusters: the link names its sites instead. */
            continue;
        }
        fprintf(out, "  \"v%d\" -> \"v%d\"", d->from, d->to);
        if (d->kind == QR_DG_EDGE_VOTES)
            fputs(" [style=bold, color=\"#b8860b\", label=\"vote\"]", out);
        fputs(";\n", out);
    }
    fputs("}\n", out);
    if (fflush(out) != 0 || ferror(out)) {
        qr_err_set(err, errlen, "cannot write the DOT output");
        return -1;
    }
    return 0;
}

/* ---- GraphML ---- */

static const char *vertex_kind(const qr_depgraph *g, const qr_topology *t, int v)
{
    const qr_dg_vertex *x = &g->v[v];
    switch (x->cls) {
    case QR_DG_COMPONENT:
        return qr_comp_kind_name(t->comps[v].kind);
    case QR_DG_SERVICE:
        switch ((qr_dg_service)x->index) {
        case QR_DG_SVC_POOL:
            return "pool_quorum";
        case QR_DG_SVC_GROUPS:
            return "routing_groups";
        case QR_DG_SVC_BACKEND:
            return "backend";
        case QR_DG_SVC_FILE_STORE:
            return "file_store";
        case QR_DG_SVC_CLUSTER:
            return "cluster";
        }
        return "service";
    case QR_DG_FEATURE:
        return "feature";
    }
    return "?";
}

static const char *comp_name_or_empty(const qr_topology *t, int i)
{
    return (i >= 0 && i < t->n_comps && t->comps[i].name) ? t->comps[i].name : "";
}

static igraph_error_t write_graphml_ig(const qr_depgraph *g, const qr_topology *t, FILE *out)
{
    igraph_t copy;
    char roles[256];
    IGRAPH_CHECK(make_igraph(&copy, g->e, g->n_edges, g->n_vertices));
    IGRAPH_FINALLY(igraph_destroy, &copy);
    for (int v = 0; v < g->n_vertices; v++) {
        const qr_dg_vertex *x = &g->v[v];
        bool comp = x->cls == QR_DG_COMPONENT;
        IGRAPH_CHECK(SETVAS(&copy, "name", v, x->name));
        IGRAPH_CHECK(SETVAS(&copy, "class", v, qr_dg_class_name(x->cls)));
        IGRAPH_CHECK(SETVAS(&copy, "kind", v, vertex_kind(g, t, v)));
        IGRAPH_CHECK(SETVAS(&copy, "roles", v, qr_dg_roles_text(x->roles, roles, sizeof(roles))));
        IGRAPH_CHECK(SETVAS(&copy, "site", v, comp ? comp_name_or_empty(t, t->comps[v].site) : ""));
        IGRAPH_CHECK(SETVAS(&copy, "host", v, comp ? comp_name_or_empty(t, t->comps[v].host) : ""));
    }
    for (int e = 0; e < g->n_edges; e++)
        IGRAPH_CHECK(SETEAS(&copy, "kind", e, qr_dg_edge_kind_name(g->e[e].kind)));
    /* Prefixed key ids (v_kind, e_kind): GraphML needs them unique. */
    IGRAPH_CHECK(igraph_write_graph_graphml(&copy, out, 1));
    igraph_destroy(&copy);
    IGRAPH_FINALLY_CLEAN(1);
    return IGRAPH_SUCCESS;
}

int qr_depgraph_write_graphml(const qr_depgraph *g, const qr_topology *t, FILE *out, char *err,
                              size_t errlen)
{
    ig_guard guard;
    guard_begin(&guard);
    igraph_attribute_table_t *old = igraph_set_attribute_table(&igraph_cattribute_table);
    igraph_error_t rc = write_graphml_ig(g, t, out);
    igraph_set_attribute_table(old);
    guard_end(&guard);
    if (rc != IGRAPH_SUCCESS) {
        ig_err(err, errlen, "cannot write GraphML", rc);
        return -1;
    }
    if (fflush(out) != 0 || ferror(out)) {
        qr_err_set(err, errlen, "cannot write the GraphML output");
        return -1;
    }
    return 0;
}
