/*
 * test_pool_view.c: designs with several pools (`pools:`, M10): the loader
 * and qr_topology_pool_view(), which turns one pool into a single-pool
 * topology (what it keeps, how indices are remapped, that nothing is
 * shared with the design), and the design rules run pool by pool.
 * Run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check/rules.h"
#include "model/diag.h"
#include "model/loader.h"
#include "model/pool_view.h"
#include "model/topology.h"

static qr_topology *load_text(const char *text)
{
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "mem"), 0);
    qr_topology *t = NULL;
    int rc = qr_topology_load_buffer("mem.yaml", text, strlen(text), &t, &d);
    for (size_t i = 0; i < d.n; i++)
        fprintf(stderr, "%d:%d %s %s\n", d.items[i].loc.line, d.items[i].loc.col,
                d.items[i].rule, d.items[i].message);
    assert_int_equal(rc, 0);
    qr_diags_release(&d);
    return t;
}

/* Two pools sharing a witness site dc3 (pool1's SQL witness) and links. */
static const char *shared_text =
    "name: shared\n"
    "sites: [ { name: dc1 }, { name: dc2 }, { name: dc3 } ]\n"
    "links: [ { between: [dc1, dc2] }, { between: [dc1, dc3] }, { between: [dc2, dc3] } ]\n"
    "hosts: [ { name: h2, site: dc2 } ]\n"
    "servers:\n"
    "  - { name: a1, site: dc1 }\n"
    "  - { name: b1, host: h2 }\n"
    "  - { name: asql1, site: dc1 }\n"
    "  - { name: asql2, site: dc1 }\n"
    "  - { name: w, site: dc3 }\n"
    "  - { name: bsql, site: dc2 }\n"
    "  - { name: n1, site: dc2 }\n"
    "  - { name: n2, site: dc2 }\n"
    "clusters: [ { name: bclu, nodes: [n1, n2], witness: { file_share: w } } ]\n"
    "pools:\n"
    "  - { name: pool1, paired_with: pool2, cms: true, version: sfb2015, users: 100,\n"
    "      frontends: [a1], backend: { mirroring: { principal: asql1, mirror: asql2,\n"
    "      witness: w } }, file_store: { share: asql1 } }\n"
    "  - { name: pool2, paired_with: pool1, version: sfb2019, routing_groups: 8,\n"
    "      frontends: [b1], backend: { alwayson: { cluster: bclu, replicas: [n1, n2] },\n"
    "      failover_time: 2m }, file_store: { share: bsql } }\n"
    "pairing: { registrar_failover: 120s, failover_time: 15m }\n";

static void names_are(const qr_topology *v, const char *const *want, int n)
{
    assert_int_equal(v->n_comps, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(v->comps[i].name, want[i]);
}

static void test_loader_reads_pools(void **state)
{
    (void)state;
    qr_topology *t = load_text(shared_text);
    assert_true(qr_topology_is_paired(t));
    assert_int_equal(t->n_pools, 2);
    assert_int_equal(t->pool.n_frontends, 0); /* `pool` stays empty */
    assert_string_equal(t->pools[0].name, "pool1");
    assert_int_equal(t->pools[0].paired_with, 1);
    assert_int_equal(t->pools[1].paired_with, 0);
    assert_true(t->pools[0].cms);
    assert_false(t->pools[1].cms);
    /* Site from the first front end: a1 in dc1; b1 through host h2, dc2. */
    assert_string_equal(qr_topology_comp_name(t, t->pools[0].site), "dc1");
    assert_string_equal(qr_topology_comp_name(t, t->pools[1].site), "dc2");
    assert_int_equal(t->pools[1].pool.version, QR_VERSION_SFB2019);
    assert_int_equal(t->pools[1].pool.routing_groups, 8);
    assert_int_equal(t->pools[0].pool.routing_groups, 64);
    assert_true(t->pools[1].pool.backend.failover_time == 120.0);
    assert_true(t->pools[0].pool.backend.failover_time == 60.0);
    assert_true(t->pairing.registrar_failover == 120.0);
    assert_true(t->pairing.failover_time == 900.0);
    assert_true(t->pairing.backup_lag == 300.0); /* default */
    assert_int_equal(qr_topology_find_pool(t, "pool2"), 1);
    assert_int_equal(qr_topology_find_pool(t, "a1"), -1);
    qr_topology_free(t);
}

static void test_view_keeps_what_the_pool_uses(void **state)
{
    (void)state;
    qr_topology *t = load_text(shared_text);
    qr_topology *v = NULL;
    int *map = malloc((size_t)t->n_comps * sizeof(int));
    assert_non_null(map);
    assert_int_equal(qr_topology_pool_view(t, 0, &v, map), 0);
    /* pool1: its servers, the witness w in dc3, the sites dc1 and dc3 and
     * the one link joining two kept sites; not dc2, not pool2's servers. */
    static const char *const want1[] = { "dc1", "dc3", "a1", "asql1", "asql2", "w", "dc1-dc3" };
    names_are(v, want1, 7);
    assert_string_equal(v->name, "shared: pool1");
    assert_false(qr_topology_is_paired(v));
    assert_int_equal(v->pool.n_frontends, 1);
    assert_string_equal(v->comps[v->pool.frontends[0]].name, "a1");
    assert_string_equal(v->comps[v->pool.backend.principal].name, "asql1");
    assert_string_equal(v->comps[v->pool.backend.witness].name, "w");
    assert_string_equal(v->comps[v->pool.file_store.server].name, "asql1");
    assert_int_equal(v->pool.users, 100);
    /* The link joins the view's own dc1 and dc3. */
    assert_string_equal(v->comps[v->comps[6].link_a].name, "dc1");
    assert_string_equal(v->comps[v->comps[6].link_b].name, "dc3");
    assert_string_equal(v->comps[v->comps[5].site].name, "dc3");
    assert_int_equal(map[qr_topology_find(t, "b1")], -1);
    assert_int_equal(map[qr_topology_find(t, "w")], 5);
    assert_int_equal(v->n_clusters, 0);
    assert_true(v->pairing.registrar_failover == 120.0);
    qr_topology_free(v);

    /* pool2: the host h2 and its site, the cluster with its nodes and its
     * file share witness w (in dc3): so dc3 and the dc2-dc3 link too. */
    assert_int_equal(qr_topology_pool_view(t, 1, &v, map), 0);
    static const char *const want2[] = { "dc2", "dc3", "h2", "b1", "w", "bsql", "n1", "n2",
                                         "dc2-dc3" };
    names_are(v, want2, 9);
    assert_int_equal(v->n_clusters, 1);
    assert_string_equal(v->clusters[0].name, "bclu");
    assert_string_equal(v->comps[v->clusters[0].nodes[1]].name, "n2");
    assert_string_equal(v->comps[v->clusters[0].witness].name, "w");
    assert_int_equal(v->pool.backend.cluster, 0);
    assert_string_equal(v->comps[v->pool.backend.replicas[0]].name, "n1");
    assert_string_equal(v->comps[v->comps[3].host].name, "h2");
    assert_int_equal(v->pool.version, QR_VERSION_SFB2019);
    assert_true(v->pool.backend.failover_time == 120.0);
    /* The design's 6 features, not each pool's copy ("pool1.signin_im"). */
    assert_int_equal(t->pairing.n_user_features, 6);
    assert_int_equal(t->n_features, 6 * 3);
    assert_string_equal(t->features[6 + 6 + 2].name, "pool2.p2p_calls");
    assert_int_equal(v->n_features, 6);
    assert_string_equal(v->features[5].name, "persistent_changes");
    qr_topology_free(v);
    assert_int_equal(qr_topology_pool_view(t, 2, &v, map), -1);
    assert_null(v);
    assert_int_equal(qr_topology_pool_view(t, -1, &v, NULL), -1);
    free(map);
    qr_topology_free(t);
}

/* The view owns its copies: freeing the design first leaves it whole. */
static void test_view_outlives_the_design(void **state)
{
    (void)state;
    qr_topology *t = load_text(shared_text);
    qr_topology *v = NULL;
    assert_int_equal(qr_topology_pool_view(t, 1, &v, NULL), 0);
    qr_topology_free(t);
    assert_string_equal(v->comps[v->pool.frontends[0]].name, "b1");
    assert_string_equal(v->features[0].name, "signin_im");
    qr_topology_free(v);
}

/* The bundled paired design passes every rule; each view alone too. */
static void test_bundled_paired_design_is_clean(void **state)
{
    (void)state;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "p"), 0);
    qr_topology *t = NULL;
    assert_int_equal(qr_topology_load_file("topologies/dr/paired-pools.yaml", &t, &d), 0);
    assert_int_equal(qr_rules_check(t, &d), 0);
    for (int p = 0; p < t->n_pools; p++) {
        qr_topology *v = NULL;
        assert_int_equal(qr_topology_pool_view(t, p, &v, NULL), 0);
        assert_int_equal(v->n_comps, 7); /* its site and six servers */
        assert_int_equal(qr_rules_check(v, &d), 0);
        qr_topology_free(v);
    }
    qr_topology_free(t);
    qr_diags_release(&d);
}

/* A finding about a component both pools use is reported once. */
static void test_rules_shared_finding_once(void **state)
{
    (void)state;
    /* Both pools' mirroring has no witness (BE002, once per pool: two
     * places), and both use the same share server (PP012 once). */
    const char *text =
        "sites: [ { name: dc1 }, { name: dc2 } ]\n"
        "servers: [ { name: a1, site: dc1 }, { name: b1, site: dc2 },\n"
        "  { name: s1, site: dc1 }, { name: s2, site: dc1 }, { name: s3, site: dc2 },\n"
        "  { name: s4, site: dc2 } ]\n"
        "pools:\n"
        "  - { name: p1, paired_with: p2, cms: true, version: sfb2015, frontends: [a1],\n"
        "      backend: { mirroring: { principal: s1, mirror: s2 } }, file_store: { share: s1 } }\n"
        "  - { name: p2, paired_with: p1, version: sfb2015, frontends: [b1],\n"
        "      backend: { mirroring: { principal: s3, mirror: s4 } }, file_store: { share: s1 } }\n";
    qr_topology *t = load_text(text);
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "m"), 0);
    qr_rules_check(t, &d);
    int be002 = 0, fs001 = 0, pp012 = 0;
    for (size_t i = 0; i < d.n; i++) {
        be002 += strcmp(d.items[i].rule, "BE002") == 0;
        fs001 += strcmp(d.items[i].rule, "FS001") == 0;
        pp012 += strcmp(d.items[i].rule, "PP012") == 0;
    }
    assert_int_equal(be002, 2);
    assert_int_equal(pp012, 1);
    /* FS001 about s1: p1's at line 7, p2's at line 9: two places. */
    assert_int_equal(fs001, 2);
    qr_diags_release(&d);
    qr_topology_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loader_reads_pools),
        cmocka_unit_test(test_view_keeps_what_the_pool_uses),
        cmocka_unit_test(test_view_outlives_the_design),
        cmocka_unit_test(test_bundled_paired_design_is_clean),
        cmocka_unit_test(test_rules_shared_finding_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
