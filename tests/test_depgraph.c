/*
 * test_depgraph.c: the dependency graph (src/exact/depgraph.h) on small designs
 * with known shapes: the three vertex layers, containment, votes (seeds,
 * the Back End vote when the seeds are even, the SQL witness, cluster
 * nodes and witnesses), what each feature depends on (against
 * sim_structure_relevant() on every bundled design), the DOT and GraphML
 * writers, and errors returned instead of aborts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact/depgraph.h"
#include "fixture.h"
#include "model/loader.h"
#include "exact/structure.h"

static qr_topology *load_yaml(const char *text)
{
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, "test.yaml"), 0);
    if (qr_topology_load_buffer("test.yaml", text, strlen(text), &t, &d) != 0)
        fail_msg("test topology does not load (%zu errors)", d.n_errors);
    qr_diags_release(&d);
    return t;
}

static qr_depgraph *build(const qr_topology *t)
{
    qr_depgraph *g = NULL;
    char err[256] = "";
    if (qr_depgraph_new(t, &g, err, sizeof(err)) != 0)
        fail_msg("qr_depgraph_new: %s", err);
    return g;
}

/* Is there an edge from -> to, and of which kind (-1: none)? */
static int edge_kind(const qr_depgraph *g, int from, int to)
{
    for (int e = 0; e < qr_depgraph_n_edges(g); e++) {
        int a, b;
        qr_dg_edge_kind k;
        assert_int_equal(qr_depgraph_edge(g, e, &a, &b, &k), 0);
        if (a == from && b == to)
            return (int)k;
    }
    return -1;
}

static int comp(const qr_topology *t, const char *name)
{
    int i = qr_topology_find(t, name);
    if (i < 0)
        fail_msg("no component %s", name);
    return i;
}

static int feat(const qr_depgraph *g, const qr_topology *t, const char *name)
{
    int f = qr_topology_find_feature(t, name);
    assert_true(f >= 0);
    return qr_depgraph_feature_vertex(g, f);
}

static const char *five_x =
    "sites: [ { name: dc1 } ]\n"
    "servers:\n"
    "  - { name: fe1, site: dc1 }\n"
    "  - { name: fe2, site: dc1 }\n"
    "  - { name: fe3, site: dc1 }\n"
    "  - { name: sql1, site: dc1 }\n"
    "  - { name: sql2, site: dc1 }\n"
    "  - { name: sqlw, site: dc1 }\n"
    "pool:\n"
    "  version: sfb2015\n"
    "  frontends: [fe1, fe2, fe3]\n"
    "  backend: { mirroring: { principal: sql1, mirror: sql2, witness: sqlw } }\n"
    "  file_store: { dfs: [sql1, sql2] }\n";

static void test_depgraph_layers_and_votes(void **state)
{
    (void)state;
    qr_topology *t = load_yaml(five_x);
    qr_depgraph *g = build(t);
    /* 7 components, 4 services (no cluster), 6 features. */
    assert_int_equal(qr_depgraph_n_vertices(g), 7 + 4 + 6);
    assert_int_equal(qr_depgraph_vertex(g, 0)->cls, QR_DG_COMPONENT);
    int pool = qr_depgraph_service_vertex(g, QR_DG_SVC_POOL, -1);
    int groups = qr_depgraph_service_vertex(g, QR_DG_SVC_GROUPS, -1);
    int be = qr_depgraph_service_vertex(g, QR_DG_SVC_BACKEND, -1);
    int fs = qr_depgraph_service_vertex(g, QR_DG_SVC_FILE_STORE, -1);
    assert_int_equal(pool, 7);
    assert_int_equal(qr_depgraph_vertex(g, pool)->cls, QR_DG_SERVICE);
    assert_string_equal(qr_depgraph_vertex(g, pool)->name, "pool quorum");
    assert_int_equal(qr_depgraph_service_vertex(g, QR_DG_SVC_CLUSTER, 0), -1);
    assert_int_equal(qr_depgraph_vertex(g, feat(g, t, "signin_im"))->cls, QR_DG_FEATURE);
    assert_null(qr_depgraph_vertex(g, qr_depgraph_n_vertices(g)));

    /* M1.1/M1.2: three seeds vote; odd, so the Back End does not. */
    for (int i = 1; i <= 3; i++) {
        char name[16];
        snprintf(name, sizeof(name), "fe%d", i);
        assert_int_equal(edge_kind(g, comp(t, name), pool), QR_DG_EDGE_VOTES);
        assert_int_equal(edge_kind(g, comp(t, name), groups), QR_DG_EDGE_PART);
        assert_true(qr_depgraph_vertex(g, comp(t, name))->roles & QR_DG_ROLE_SEED);
    }
    assert_int_equal(edge_kind(g, be, pool), -1);
    assert_int_equal(edge_kind(g, be, groups), -1);   /* R = 3: no tie-break */
    /* M3: the witness votes, the partners carry the database. */
    assert_int_equal(edge_kind(g, comp(t, "sqlw"), be), QR_DG_EDGE_VOTES);
    assert_int_equal(edge_kind(g, comp(t, "sql1"), be), QR_DG_EDGE_PART);
    assert_int_equal(edge_kind(g, comp(t, "sql1"), fs), QR_DG_EDGE_PART);
    assert_int_equal(edge_kind(g, comp(t, "sqlw"), fs), -1);
    assert_true(qr_depgraph_vertex(g, comp(t, "sqlw"))->roles & QR_DG_ROLE_SQL_WITNESS);
    /* M0.2: the site contains its servers. */
    assert_int_equal(edge_kind(g, comp(t, "dc1"), comp(t, "fe1")), QR_DG_EDGE_CONTAINS);
    /* M6: presence needs the pool, the groups and the back end, not the
     * file store; address_book the pool and the file store. */
    int presence = feat(g, t, "presence"), ab = feat(g, t, "address_book");
    assert_int_equal(edge_kind(g, pool, presence), QR_DG_EDGE_NEEDS);
    assert_int_equal(edge_kind(g, groups, presence), QR_DG_EDGE_NEEDS);
    assert_int_equal(edge_kind(g, be, presence), QR_DG_EDGE_NEEDS);
    assert_int_equal(edge_kind(g, fs, presence), -1);
    assert_int_equal(edge_kind(g, fs, ab), QR_DG_EDGE_NEEDS);
    assert_int_equal(edge_kind(g, groups, ab), -1);
    qr_depgraph_free(g);
    qr_topology_free(t);
}

static void test_depgraph_backend_vote_even_seeds(void **state)
{
    (void)state;
    /* Two front ends: even seeds, so the Back End votes in the pool (M1.2)
     * and breaks the tie of the two-replica groups (M2.2). */
    qr_topology *t = load_yaml("servers: [ { name: a }, { name: b }, { name: sql } ]\n"
                               "pool:\n"
                               "  version: sfb2015\n"
                               "  frontends: [a, b]\n"
                               "  backend: { standalone: sql }\n"
                               "  file_store: { share: sql }\n");
    qr_depgraph *g = build(t);
    int pool = qr_depgraph_service_vertex(g, QR_DG_SVC_POOL, -1);
    int groups = qr_depgraph_service_vertex(g, QR_DG_SVC_GROUPS, -1);
    int be = qr_depgraph_service_vertex(g, QR_DG_SVC_BACKEND, -1);
    assert_int_equal(edge_kind(g, be, pool), QR_DG_EDGE_VOTES);
    assert_int_equal(edge_kind(g, be, groups), QR_DG_EDGE_VOTES);
    /* p2p_calls needs only the pool, which needs the Back End: so the SQL
     * server is among its dependencies. */
    unsigned char dep[8];
    char err[128];
    int p2p = qr_topology_find_feature(t, "p2p_calls");
    assert_int_equal(qr_depgraph_feature_components(g, p2p, dep, err, sizeof(err)), 3);
    assert_int_equal(dep[comp(t, "sql")], 1);
    qr_depgraph_free(g);
    qr_topology_free(t);
}

static void test_depgraph_clusters_and_hosts(void **state)
{
    (void)state;
    qr_topology *t = load_yaml("sites: [ { name: dc1 } ]\n"
                               "hosts: [ { name: hv1, site: dc1 } ]\n"
                               "servers:\n"
                               "  - { name: s1, host: hv1 }\n"
                               "  - { name: s2, site: dc1 }\n"
                               "  - { name: nas1, site: dc1 }\n"
                               "storage: [ { name: san1, site: dc1 } ]\n"
                               "clusters:\n"
                               "  - name: wsfc1\n"
                               "    nodes: [s1, s2]\n"
                               "    witness: { file_share: nas1 }\n"
                               "pool:\n"
                               "  version: sfb2015\n"
                               "  frontends: [s1, s2]\n"
                               "  backend: { alwayson: { cluster: wsfc1, replicas: [s1, s2] } }\n"
                               "  file_store: { cluster: { cluster: wsfc1, storage: san1 } }\n");
    qr_depgraph *g = build(t);
    int cl = qr_depgraph_service_vertex(g, QR_DG_SVC_CLUSTER, 0);
    int be = qr_depgraph_service_vertex(g, QR_DG_SVC_BACKEND, -1);
    int fs = qr_depgraph_service_vertex(g, QR_DG_SVC_FILE_STORE, -1);
    assert_true(cl > 0);
    assert_int_equal(qr_depgraph_vertex(g, cl)->cluster, 0);
    assert_string_equal(qr_depgraph_vertex(g, cl)->name, "cluster wsfc1");
    assert_int_equal(qr_depgraph_n_vertices(g), 6 + 5 + 6);
    /* M4.1: nodes and the witness vote; the cluster carries both roles. */
    assert_int_equal(edge_kind(g, comp(t, "s1"), cl), QR_DG_EDGE_VOTES);
    assert_int_equal(edge_kind(g, comp(t, "nas1"), cl), QR_DG_EDGE_VOTES);
    assert_int_equal(edge_kind(g, cl, be), QR_DG_EDGE_PART);
    assert_int_equal(edge_kind(g, cl, fs), QR_DG_EDGE_PART);
    assert_int_equal(edge_kind(g, comp(t, "san1"), fs), QR_DG_EDGE_PART);
    /* M0.2: site -> host -> server, and no direct site -> s1 edge. */
    assert_int_equal(edge_kind(g, comp(t, "dc1"), comp(t, "hv1")), QR_DG_EDGE_CONTAINS);
    assert_int_equal(edge_kind(g, comp(t, "hv1"), comp(t, "s1")), QR_DG_EDGE_CONTAINS);
    assert_int_equal(edge_kind(g, comp(t, "dc1"), comp(t, "s1")), -1);
    unsigned roles = qr_depgraph_vertex(g, comp(t, "nas1"))->roles;
    assert_true(roles & QR_DG_ROLE_CLUSTER_WITNESS);
    char buf[128];
    assert_string_equal(qr_dg_roles_text(roles, buf, sizeof(buf)), "cluster_witness");
    /* Conferencing (pool, back end, file store) depends on everything. */
    unsigned char dep[8];
    int conf = qr_topology_find_feature(t, "conferencing");
    assert_int_equal(qr_depgraph_feature_components(g, conf, dep, buf, sizeof(buf)), 6);
    qr_depgraph_free(g);
    qr_topology_free(t);
}

/* Every bundled design: the components the features depend on in the
 * graph are exactly those sim_structure_relevant() says matter, and each
 * feature's set is the right one for its needs. */
static void test_depgraph_matches_structure(void **state)
{
    (void)state;
    glob_t gl;
    assert_int_equal(glob("topologies/*.yaml", 0, NULL, &gl), 0);
    assert_true(gl.gl_pathc >= 5);
    for (size_t p = 0; p < gl.gl_pathc; p++) {
        qr_diags d;
        qr_topology *t = NULL;
        assert_int_equal(qr_diags_init(&d, gl.gl_pathv[p]), 0);
        if (qr_topology_load_file(gl.gl_pathv[p], &t, &d) != 0)
            fail_msg("%s does not load", gl.gl_pathv[p]);
        qr_diags_release(&d);
        qr_depgraph *g = build(t);
        sim_structure *s = sim_structure_new(t);
        assert_non_null(s);
        unsigned char *rel = calloc((size_t)t->n_comps, 1);
        unsigned char *any = calloc((size_t)t->n_comps, 1);
        unsigned char *dep = calloc((size_t)t->n_comps, 1);
        assert_non_null(rel);
        assert_non_null(any);
        assert_non_null(dep);
        sim_structure_relevant(s, rel);
        char err[128];
        int p2p = qr_topology_find_feature(t, "p2p_calls");
        for (int f = 0; f < t->n_features; f++) {
            assert_true(qr_depgraph_feature_components(g, f, dep, err, sizeof(err)) >= 0);
            for (int i = 0; i < t->n_comps; i++)
                any[i] |= dep[i];
            if (f == p2p) {
                /* p2p_calls needs only the pool: every seed is in. */
                for (int i = 0; i < t->pool.n_frontends &&
                                i < qr_pool_seed_count(t->pool.version, t->pool.n_frontends);
                     i++)
                    assert_int_equal(dep[t->pool.frontends[i]], 1);
            }
        }
        for (int i = 0; i < t->n_comps; i++)
            if (any[i] != rel[i])
                fail_msg("%s: %s: graph says %d, structure says %d", gl.gl_pathv[p],
                         t->comps[i].name, any[i], rel[i]);
        free(rel);
        free(any);
        free(dep);
        sim_structure_free(s);
        qr_depgraph_free(g);
        qr_topology_free(t);
    }
    globfree(&gl);
}

static char *write_to_string(const qr_depgraph *g, const qr_topology *t, int graphml)
{
    char *buf = NULL;
    size_t len = 0;
    char err[128];
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    int rc = graphml ? qr_depgraph_write_graphml(g, t, f, err, sizeof(err))
                     : qr_depgraph_write_dot(g, t, f, err, sizeof(err));
    if (rc != 0)
        fail_msg("write: %s", err);
    fclose(f);
    return buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_depgraph_dot(void **state)
{
    (void)state;
    qr_topology *t = load_yaml(
        "name: \"a \\\"quoted\\\" design\"\n"
        "sites: [ { name: dc1 } ]\n"
        "hosts: [ { name: hv1, site: dc1 }, { name: hv2, site: dc1 } ]\n"
        "servers:\n"
        "  - { name: fe1, host: hv1 }\n"
        "  - { name: fe2, host: hv2 }\n"
        "  - { name: sql, site: dc1 }\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [fe1, fe2]\n"
        "  backend: { standalone: sql }\n"
        "  file_store: { share: sql }\n");
    qr_depgraph *g = build(t);
    char *dot = write_to_string(g, t, 0);
    assert_true(strncmp(dot, "digraph", 7) == 0);
    assert_int_equal(count(dot, "{"), count(dot, "}"));
    /* Quotes inside names are escaped: an even number of unescaped '"'. */
    int quotes = 0;
    for (const char *p = dot; *p; p++)
        if (*p == '"' && (p == dot || p[-1] != '\\'))
            quotes++;
    assert_int_equal(quotes % 2, 0);
    assert_non_null(strstr(dot, "a \\\"quoted\\\" design"));
    /* Site cluster with both host clusters nested inside it. */
    assert_non_null(strstr(dot, "subgraph \"cluster_v0\""));
    char *site = strstr(dot, "subgraph \"cluster_v0\"");
    char *h1 = strstr(dot, "subgraph \"cluster_v1\"");
    char *h2 = strstr(dot, "subgraph \"cluster_v2\"");
    assert_true(site && h1 && h2 && site < h1 && h1 < h2);
    /* Two seeds are voters: double border; the Back End's vote edge. */
    assert_int_equal(count(dot, "peripheries=2"), 2);
    assert_non_null(strstr(dot, "seed (votes)"));
    int be = qr_depgraph_service_vertex(g, QR_DG_SVC_BACKEND, -1);
    int pool = qr_depgraph_service_vertex(g, QR_DG_SVC_POOL, -1);
    char edge[64];
    snprintf(edge, sizeof(edge), "\"v%d\" -> \"v%d\" [style=bold", be, pool);
    assert_non_null(strstr(dot, edge));
    /* Every feature is drawn. */
    for (int f = 0; f < t->n_features; f++)
        assert_non_null(strstr(dot, t->features[f].name));
    free(dot);
    qr_depgraph_free(g);
    qr_topology_free(t);
}

static void test_depgraph_graphml(void **state)
{
    (void)state;
    qr_topology *t = load_yaml(five_x);
    qr_depgraph *g = build(t);
    char *xml = write_to_string(g, t, 1);
    assert_non_null(strstr(xml, "<graphml"));
    assert_int_equal(count(xml, "<node "), qr_depgraph_n_vertices(g));
    assert_int_equal(count(xml, "<edge "), qr_depgraph_n_edges(g));
    assert_non_null(strstr(xml, "<data key=\"v_name\">sqlw</data>"));
    assert_non_null(strstr(xml, "<data key=\"v_roles\">sql_witness</data>"));
    assert_non_null(strstr(xml, "<data key=\"e_kind\">votes</data>"));
    /* Key ids are unique (a node and an edge attribute are both "kind"). */
    assert_int_equal(count(xml, "<key id=\"v_kind\""), 1);
    assert_int_equal(count(xml, "<key id=\"e_kind\""), 1);
    free(xml);
    /* The attribute handler was restored: a second write is the same. */
    char *again = write_to_string(g, t, 1);
    assert_non_null(strstr(again, "<data key=\"v_name\">sqlw</data>"));
    free(again);
    qr_depgraph_free(g);
    qr_topology_free(t);
}

static void test_depgraph_errors_and_empty(void **state)
{
    (void)state;
    /* An empty design: services and the six features, no edges but none
     * from components; every feature depends on nothing. */
    qr_topology t;
    fx_init(&t);
    qr_depgraph *g = build(&t);
    assert_int_equal(qr_depgraph_n_vertices(g), 4 + QR_DEFAULT_FEATURE_COUNT);
    unsigned char dep[1];
    char err[128] = "";
    assert_int_equal(qr_depgraph_feature_components(g, 0, dep, err, sizeof(err)), 0);
    /* A bad feature index is an error, not an abort. */
    assert_int_equal(qr_depgraph_feature_components(g, 99, dep, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "99"));
    assert_int_equal(qr_depgraph_feature_vertex(g, -1), -1);
    int a, b;
    qr_dg_edge_kind k;
    assert_int_equal(qr_depgraph_edge(g, qr_depgraph_n_edges(g), &a, &b, &k), -1);
    qr_depgraph_free(g);
    qr_depgraph_free(NULL);
    qr_topology_release(&t);

    /* A containment cycle (two hosts inside each other) is refused with a
     * message, not an abort and not a graph. */
    fx_init(&t);
    int h1 = fx_avail(&t, "h1", QR_COMP_HOST, -1, -1, 0.99);
    int h2 = fx_avail(&t, "h2", QR_COMP_HOST, -1, h1, 0.99);
    t.comps[h1].host = h2;
    g = NULL;
    err[0] = '\0';
    assert_int_equal(qr_depgraph_new(&t, &g, err, sizeof(err)), -1);
    assert_null(g);
    assert_non_null(strstr(err, "cycle"));
    qr_topology_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depgraph_layers_and_votes),
        cmocka_unit_test(test_depgraph_backend_vote_even_seeds),
        cmocka_unit_test(test_depgraph_clusters_and_hosts),
        cmocka_unit_test(test_depgraph_matches_structure),
        cmocka_unit_test(test_depgraph_dot),
        cmocka_unit_test(test_depgraph_graphml),
        cmocka_unit_test(test_depgraph_errors_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
