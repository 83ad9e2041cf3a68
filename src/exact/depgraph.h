/*
 * depgraph.h: the dependency graph of one pool design, held in igraph.
 *
 * Three layers of vertices, in this order of vertex ids:
 *   components (ids 0 .. n_comps-1, the same indices as t->comps): sites,
 *     hosts, servers, storage, links, cloud witnesses, external SQL;
 *   services: pool quorum (M1.2), routing groups (M2.2), back end (M3, M4.6,
 *     M4.7), file store (M5), then one per failover cluster (M4.1);
 *   user features (M6), in t->features order.
 * An edge A -> B means "B needs A": containment (a site or host -> what it
 * contains, M0.2), votes (a seed front end or the Back End -> pool quorum,
 * a voting node or witness -> its cluster, the SQL witness -> the back
 * end), parts (a replica front end -> routing groups, a SQL server, DFS
 * replica or shared disk -> its service, a cluster -> the role it carries)
 * and needs (a service -> a feature that needs it in M9). Links between
 * sites hang off their two sites by `joins` edges and feed nothing (M9
 * ignores them, src/exact/structure.h).
 *
 * What a feature depends on is everything with a path to its vertex
 * (igraph_subcomponent, mode IN): exactly the components whose state can
 * change it in the M9 structure function (src/exact/structure.h).
 *
 * igraph lives only in depgraph.c. Every igraph call there runs under an
 * error handler that returns instead of aborting (and a warning handler
 * that stays silent); errors come back as -1 with the first reason in err.
 * igraph 0.10 keeps its handlers and attribute table in process globals, so
 * these functions must not run in two threads at once (the CLI is single
 * threaded; the simulator never calls them).
 *
 * Ownership: qr_depgraph_new() returns a graph the caller frees with
 * qr_depgraph_free(). It copies every name it needs and keeps no pointer
 * into the topology.
 */
#ifndef QR_DEPGRAPH_H
#define QR_DEPGRAPH_H

#include <stddef.h>
#include <stdio.h>

#include "model/topology.h"

typedef struct qr_depgraph qr_depgraph; /* opaque */

typedef enum {
    QR_DG_COMPONENT,
    QR_DG_SERVICE,
    QR_DG_FEATURE
} qr_dg_class;

typedef enum {
    QR_DG_SVC_POOL,        /* Windows Fabric pool quorum (M1.2)           */
    QR_DG_SVC_GROUPS,      /* routing groups writable (M2.2)              */
    QR_DG_SVC_BACKEND,     /* back end serving                            */
    QR_DG_SVC_FILE_STORE,  /* file store up                               */
    QR_DG_SVC_CLUSTER      /* a failover cluster's quorum (M4.1)          */
} qr_dg_service;

typedef enum {
    QR_DG_EDGE_CONTAINS,   /* container -> contained (M0.2)               */
    QR_DG_EDGE_VOTES,      /* a voter -> the quorum it votes in           */
    QR_DG_EDGE_PART,       /* a part -> the service it carries            */
    QR_DG_EDGE_NEEDS,      /* a service -> a feature needing it (M6)      */
    QR_DG_EDGE_JOINS       /* a site -> a link it ends                    */
} qr_dg_edge_kind;

/* Roles of a component, OR-ed in qr_dg_vertex.roles. */
enum {
    QR_DG_ROLE_FRONTEND      = 1u << 0, /* pool front end                 */
    QR_DG_ROLE_SEED          = 1u << 1, /* Windows Fabric seed: votes M1.1*/
    QR_DG_ROLE_SQL_PRINCIPAL = 1u << 2, /* mirroring principal            */
    QR_DG_ROLE_SQL_MIRROR    = 1u << 3, /* mirroring mirror               */
    QR_DG_ROLE_SQL_WITNESS   = 1u << 4, /* mirroring witness: votes       */
    QR_DG_ROLE_SQL           = 1u << 5, /* standalone, AlwaysOn replica,  */
                                        /*   external SQL                 */
    QR_DG_ROLE_FILE_STORE    = 1u << 6, /* share server or DFS replica    */
    QR_DG_ROLE_CLUSTER_NODE  = 1u << 7, /* failover cluster node          */
    QR_DG_ROLE_CLUSTER_VOTE  = 1u << 8, /* ... with NodeWeight 1          */
    QR_DG_ROLE_CLUSTER_WITNESS = 1u << 9, /* cluster witness              */
    QR_DG_ROLE_SHARED_DISK   = 1u << 10 /* FCI or file-share cluster disk */
};

typedef struct {
    qr_dg_class   cls;
    int           index;   /* component or feature index; for services   */
                           /*   the qr_dg_service                         */
    int           cluster; /* QR_DG_SVC_CLUSTER: index into t->clusters, */
                           /*   else -1                                   */
    unsigned      roles;   /* components: QR_DG_ROLE_* bits               */
    const char   *name;    /* owned by the graph: component, feature or  */
                           /*   service name ("pool quorum", ...)         */
} qr_dg_vertex;

/* Build the dependency graph of t. Returns 0 and sets *out, or -1 with a
 * message in err (NUL-terminated, truncated to errlen; err may be NULL when
 * errlen is 0): out of memory, an igraph error, or a containment cycle.
 * The graph has V = C + 4 + clusters + F vertices and E = O(C + N + K + F)
 * edges (C components, N front ends, K cluster nodes, F features); building
 * it costs O(E^2) for the duplicate-edge check (E is a few hundred). */
int qr_depgraph_new(const qr_topology *t, qr_depgraph **out, char *err,
                    size_t errlen);

/* Free g; accepts NULL. */
void qr_depgraph_free(qr_depgraph *g);

/* Vertex and edge counts. */
int qr_depgraph_n_vertices(const qr_depgraph *g);
int qr_depgraph_n_edges(const qr_depgraph *g);

/* Vertex v (0 <= v < qr_depgraph_n_vertices), owned by g; NULL out of
 * range. */
const qr_dg_vertex *qr_depgraph_vertex(const qr_depgraph *g, int v);

/* Vertex id of a feature (index into t->features) or a service (for
 * QR_DG_SVC_CLUSTER, `cluster` is the cluster index, else ignored); -1
 * when out of range. Components have vertex id = component index. */
int qr_depgraph_feature_vertex(const qr_depgraph *g, int feature);
int qr_depgraph_service_vertex(const qr_depgraph *g, qr_dg_service svc,
                               int cluster);

/* Edge e: its endpoints and kind. Returns 0, or -1 when out of range. */
int qr_depgraph_edge(const qr_depgraph *g, int e, int *from, int *to,
                     qr_dg_edge_kind *kind);

/* Mark in dep[] (n_comps entries, overwritten with 0/1) the components
 * with a path to feature `feature`'s vertex: everything it depends on.
 * Returns how many are marked, or -1 with a message in err (bad feature
 * index, igraph error). O(V + E) (one breadth-first search). */
int qr_depgraph_feature_components(const qr_depgraph *g, int feature,
                                   unsigned char *dep, char *err,
                                   size_t errlen);

/* Write the graph for Graphviz (`dot -Tsvg`): servers grouped in clusters
 * by host and site, seed front ends and quorum voters marked, votes drawn
 * bold. t must be the topology g was built from. Returns 0, or -1 with a
 * message in err when writing fails. */
int qr_depgraph_write_dot(const qr_depgraph *g, const qr_topology *t,
                          FILE *out, char *err, size_t errlen);

/* Write the graph as GraphML through igraph_write_graph_graphml(), with
 * the vertex attributes name, class, kind, roles, site and host and the
 * edge attribute kind (strings). Installs igraph's C attribute handler for
 * the duration of the call and restores the previous one. Returns 0, or -1
 * with a message in err. */
int qr_depgraph_write_graphml(const qr_depgraph *g, const qr_topology *t,
                              FILE *out, char *err, size_t errlen);

/* Printable names: "pool quorum", "votes", "frontend", ... (static). */
const char *qr_dg_service_name(qr_dg_service s);
const char *qr_dg_edge_kind_name(qr_dg_edge_kind k);
const char *qr_dg_class_name(qr_dg_class c);

/* Comma-separated role names of `roles` ("frontend,seed") into buf (size
 * >= 1; truncated to fit); returns buf. */
const char *qr_dg_roles_text(unsigned roles, char *buf, size_t size);

#endif
