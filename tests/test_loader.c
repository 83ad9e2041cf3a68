/*
 * test_loader.c: the topology loader (loader*.c) on inline YAML: a valid
 * design and every field it fills, defaults and their overrides, each
 * parser error with its exact message, rule and line:col, the collection
 * of several errors in one file, the bundled designs of topologies/ (with
 * the expected front ends, seeds, back end and field notation), and the
 * bad-input corpus tests/bad/ against tests/bad/EXPECTED. Tests run from
 * the repository root.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/loader.h"
#include "model/units.h"

#define H 3600.0
#define D 86400.0

/* Three servers and a pool on them; lines 1-6. */
#define SERVERS "servers: [ { name: s1 }, { name: s2 }, { name: s3 } ]\n"
#define POOL                                                                 \
    "pool:\n"                                                                \
    "  version: sfb2015\n"                                                   \
    "  frontends: [s1, s2]\n"                                                \
    "  backend: { standalone: s3 }\n"                                        \
    "  file_store: { share: s3 }\n"

static int load(const char *yaml, qr_topology **t, qr_diags *d)
{
    assert_int_equal(qr_diags_init(d, "test.yaml"), 0);
    int r = qr_topology_load_buffer("dir/test.yaml", yaml, strlen(yaml), t, d);
    if (r == 0) {
        assert_non_null(*t);
    } else {
        assert_null(*t);
        assert_true(d->n_errors > 0);
    }
    return r;
}

static void dump(const qr_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        print_message("  %d:%d %s %s\n", d->items[i].loc.line,
                      d->items[i].loc.col, d->items[i].rule,
                      d->items[i].message);
}

/* Assert d holds this exact diagnostic. */
static void assert_diag(const qr_diags *d, int line, int col,
                        const char *rule, const char *message)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].loc.line == line && d->items[i].loc.col == col &&
            strcmp(d->items[i].rule, rule) == 0 &&
            strcmp(d->items[i].message, message) == 0)
            return;
    print_message("expected %d:%d %s %s, got:\n", line, col, rule, message);
    dump(d);
    fail();
}

/* Load yaml, expect failure with exactly one error, this one. */
static void assert_only_error(const char *yaml, int line, int col,
                              const char *rule, const char *message)
{
    qr_topology *t;
    qr_diags d;
    assert_int_equal(load(yaml, &t, &d), 1);
    assert_diag(&d, line, col, rule, message);
    if (d.n_errors != 1) {
        dump(&d);
        fail_msg("expected one error, got %zu", d.n_errors);
    }
    qr_diags_release(&d);
}

static qr_topology *load_ok(const char *yaml, qr_diags *d)
{
    qr_topology *t;
    int r = load(yaml, &t, d);
    if (r != 0) {
        dump(d);
        fail_msg("load failed with %d", r);
    }
    assert_int_equal(d->n_errors, 0);
    return t;
}

static void test_loader_minimal_design(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok(SERVERS POOL, &d);
    assert_string_equal(t->file, "dir/test.yaml");
    assert_string_equal(t->name, "test"); /* base name, no extension */
    assert_null(t->notation);
    assert_int_equal(t->n_comps, 3);
    const qr_component *s1 = &t->comps[0];
    assert_string_equal(s1->name, "s1");
    assert_int_equal(s1->kind, QR_COMP_SERVER);
    assert_int_equal(s1->loc.line, 1);
    assert_int_equal(s1->loc.col, 20);
    assert_int_equal(s1->site, -1);
    assert_int_equal(s1->host, -1);
    /* Built-in server defaults: 6mo / 4h, exponential, patched monthly. */
    assert_int_equal(s1->failure.kind, QR_DIST_EXPONENTIAL);
    assert_true(fabs(s1->failure.mean - 6 * QR_UNITS_MONTH) < 1e-6);
    assert_true(s1->repair.mean == 4 * H);
    assert_true(s1->patch.enabled);
    assert_true(s1->patch.every == 30 * D);
    assert_true(s1->patch.reboot == 15 * 60.0);
    const qr_pool *p = &t->pool;
    assert_int_equal(p->version, QR_VERSION_SFB2015);
    assert_int_equal(p->loc.line, 2);
    assert_int_equal(p->version_loc.line, 3);
    assert_int_equal(p->n_frontends, 2);
    assert_int_equal(p->frontends[0], 0);
    assert_int_equal(p->frontends[1], 1);
    assert_int_equal(p->frontend_locs[1].line, 4);
    assert_int_equal(p->frontend_locs[1].col, 19);
    assert_int_equal(p->routing_groups, 64);
    assert_int_equal(p->backend.kind, QR_BACKEND_STANDALONE);
    assert_int_equal(p->backend.server, 2);
    assert_int_equal(p->backend.loc.line, 5);
    assert_int_equal(p->backend.loc.col, 3);
    assert_true(p->backend.failover_time == 60.0);
    assert_int_equal(p->file_store.kind, QR_FILE_STORE_SHARE);
    assert_int_equal(p->file_store.server, 2);
    assert_int_equal(t->n_features, QR_DEFAULT_FEATURE_COUNT);
    char buf[16];
    assert_string_equal(qr_topology_notation(t, buf, sizeof(buf)), "3.0");
    int s2 = qr_topology_find(t, "s2");
    assert_true(s2 >= 0);
    assert_string_equal(qr_topology_comp_name(t, s2), "s2");
    assert_string_equal(qr_topology_comp_name(t, -1), "?");
    assert_string_equal(qr_topology_comp_name(t, t->n_comps), "?");
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_defaults_then_own_values(void **state)
{
    (void)state;
    const char *yaml =
        "defaults:\n"
        "  server: { mtbf: { mean: 1y, distribution: weibull, shape: 1.5 }, mttr: 8h, cost: 100 }\n"
        "  site: { mtbf: 10y }\n"
        "sites: [ { name: dc1, mttr: 48h } ]\n"
        "servers:\n"
        "  - { name: s1, site: dc1 }\n"
        "  - { name: s2, mtbf: 2y, patch: none }\n"
        "  - { name: s3, mtbf: { mean: 3y, distribution: lognormal }, mttr: 1h, patch: { every: 7d } }\n"
        "  - { name: s4, mtbf: never, cost: 0 }\n"
        "pool:\n"
        "  version: sfb2019\n"
        "  frontends: [s1, s2]\n"
        "  backend: { standalone: s3 }\n"
        "  file_store: { share: s4 }\n";
    qr_diags d;
    qr_topology *t = load_ok(yaml, &d);
    const qr_component *dc1 = &t->comps[0], *s1 = &t->comps[1],
                       *s2 = &t->comps[2], *s3 = &t->comps[3],
                       *s4 = &t->comps[4];
    assert_int_equal(dc1->kind, QR_COMP_SITE);
    assert_true(fabs(dc1->failure.mean - 10 * QR_UNITS_YEAR) < 1e-3);
    assert_true(dc1->repair.mean == 48 * H);
    /* s1: everything from defaults.server. */
    assert_int_equal(s1->site, 0);
    assert_int_equal(s1->failure.kind, QR_DIST_WEIBULL);
    assert_true(s1->failure.shape == 1.5);
    assert_true(fabs(s1->failure.mean - QR_UNITS_YEAR) < 1e-6);
    assert_true(s1->repair.mean == 8 * H);
    assert_true(s1->cost == 100.0);
    assert_true(s1->patch.enabled);
    /* s2: a plain duration replaces the mean, keeps weibull 1.5. */
    assert_int_equal(s2->failure.kind, QR_DIST_WEIBULL);
    assert_true(s2->failure.shape == 1.5);
    assert_true(fabs(s2->failure.mean - 2 * QR_UNITS_YEAR) < 1e-6);
    assert_false(s2->patch.enabled);
    /* s3: a new family resets the shape to 1; patch keeps the reboot. */
    assert_int_equal(s3->failure.kind, QR_DIST_LOGNORMAL);
    assert_true(s3->failure.shape == 1.0);
    assert_true(s3->repair.mean == H);
    assert_true(s3->patch.every == 7 * D);
    assert_true(s3->patch.reboot == 15 * 60.0);
    assert_true(isinf(s4->failure.mean));
    assert_false(qr_component_fails(s4));
    assert_true(s4->cost == 0.0);
    assert_int_equal(t->pool.version, QR_VERSION_SFB2019);
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_unknown_key_did_you_mean(void **state)
{
    (void)state;
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { standalone: s3, mirorr: s2 }\n"
                      "  file_store: { share: s3 }\n",
                      5, 30, "P002",
                      "unknown key 'mirorr' in 'backend' (did you mean 'mirroring'?)");
    assert_only_error(SERVERS POOL "fabrik: {}\n", 7, 1, "P002",
                      "unknown key 'fabrik' in the topology (did you mean 'fabric'?)");
    assert_only_error("servers: [ { name: s1, zzzzz: 1 }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 24, "P002", "unknown key 'zzzzz' in server 's1'");
}

static void test_loader_duration_needs_unit(void **state)
{
    (void)state;
    assert_only_error("servers: [ { name: s1, mtbf: 15 }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P004",
                      "expected a duration with a unit such as '15m' or '4h', got '15'");
    assert_only_error("servers: [ { name: s1, mttr: 0s }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P004",
                      "expected a duration with a unit such as '15m' or '4h', got '0s' (must be greater than zero)");
    assert_only_error("servers: [ { name: s1, mttr: -4h }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P004",
                      "expected a duration with a unit such as '15m' or '4h', got '-4h' (must be greater than zero)");
    assert_only_error("servers: [ { name: s1, mtbf: 1e400y }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P004",
                      "expected a duration with a unit such as '15m' or '4h', got '1e400y' (number out of range)");
    assert_only_error("servers: [ { name: s1, mtbf: .nan }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P004",
                      "expected a duration with a unit such as '15m' or '4h', got '.nan' (not a number)");
    assert_only_error("servers: [ { name: s1, mtbf: 4hours }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P004",
                      "expected a duration with a unit such as '15m' or '4h', got '4hours' (unknown unit)");
    assert_only_error("servers: [ { name: s1, mttr: never }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P004", "'never' is only allowed for 'mtbf', not for 'mttr'");
    assert_only_error("servers: [ { name: s1, mtbf: [4h] }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P003", "expected a duration for 'mtbf', got a sequence");
}

static void test_loader_missing_required_key(void **state)
{
    (void)state;
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  backend: { standalone: s3 }\n"
                      "  file_store: { share: s3 }\n",
                      2, 1, "P005", "missing required key 'frontends' in 'pool'");
    assert_only_error(SERVERS, 1, 1, "P005",
                      "missing required key 'pool' in the topology");
    qr_topology *t;
    qr_diags d;
    assert_int_equal(load(POOL, &t, &d), 1);
    assert_diag(&d, 1, 1, "P005", "missing required key 'servers' in the topology");
    qr_diags_release(&d);
    assert_only_error("servers: [ { name: s1 }, { mtbf: 1y }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 26, "P005", "missing required key 'name' in an entry of 'servers'");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { failover_time: 2m }\n"
                      "  file_store: { share: s3 }\n",
                      5, 3, "P005",
                      "'backend' needs one of 'standalone', 'mirroring', 'alwayson', 'fci' or 'external'");
}

static void test_loader_duplicate_key(void **state)
{
    (void)state;
    assert_only_error("servers: [ { name: s1, mtbf: 1y, mtbf: 2y }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 34, "P006", "duplicate key 'mtbf'");
}

static void test_loader_duplicate_name(void **state)
{
    (void)state;
    assert_only_error("sites: [ { name: s4 } ]\n"
                      "servers:\n"
                      "  - { name: s1 }\n"
                      "  - { name: s2 }\n"
                      "  - { name: s3 }\n"
                      "  - { name: s4 }\n" POOL,
                      6, 13, "P007", "duplicate name 's4' (first defined at line 1)");
    qr_topology *t;
    qr_diags d;
    assert_int_equal(load(SERVERS
                          "clusters: [ { name: s2, nodes: [s1] } ]\n" POOL, &t, &d), 1);
    assert_diag(&d, 2, 21, "P007", "duplicate name 's2' (first defined at line 1)");
    qr_diags_release(&d);
}

static void test_loader_undefined_reference(void **state)
{
    (void)state;
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s9]\n"
                      "  backend: { standalone: s3 }\n"
                      "  file_store: { share: s3 }\n",
                      4, 19, "P008", "'s9' is not a defined server");
    assert_only_error("servers: [ { name: fe01 }, { name: fe02 }, { name: sql1 } ]\n"
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [fe01, fe03]\n"
                      "  backend: { standalone: sql1 }\n"
                      "  file_store: { share: sql1 }\n",
                      4, 21, "P008", "'fe03' is not a defined server (did you mean 'fe01'?)");
}

static void test_loader_wrong_kind_reference(void **state)
{
    (void)state;
    assert_only_error("sites: [ { name: dc1 } ]\n" SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, dc1]\n"
                      "  backend: { standalone: s3 }\n"
                      "  file_store: { share: s3 }\n",
                      5, 19, "P008", "'dc1' is a site, not a server");
    assert_only_error("servers: [ { name: s1, site: s2 }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P008", "'s2' is not a defined site");
    assert_only_error("servers: [ { name: s2 }, { name: s1, site: s2 }, { name: s3 } ]\n" POOL,
                      1, 44, "P008", "'s2' is a server, not a site");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { alwayson: { cluster: s3, replicas: [s1] } }\n"
                      "  file_store: { share: s3 }\n",
                      5, 35, "P008", "'s3' is a server, not a cluster");
}

static void test_loader_principal_mirror_witness(void **state)
{
    (void)state;
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { mirroring: { principal: s1, mirror: s1 } }\n"
                      "  file_store: { share: s3 }\n",
                      5, 50, "P009", "'s1' cannot be both principal and mirror");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { mirroring: { principal: s1, mirror: s2, witness: s2 } }\n"
                      "  file_store: { share: s3 }\n",
                      5, 63, "P009", "'s2' cannot be both mirror and witness");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { mirroring: { principal: s1, mirror: s2, witness: s1 } }\n"
                      "  file_store: { share: s3 }\n",
                      5, 63, "P009", "'s1' cannot be both principal and witness");
    /* M3.1: only synchronous (high-safety) mirroring is supported. */
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { mirroring: { principal: s1, mirror: s2, synchronous: false } }\n"
                      "  file_store: { share: s3 }\n",
                      5, 67, "P004",
                      "asynchronous mirroring is not supported for a Lync/SfB Back End: 'synchronous' must be true");
}

static void test_loader_mirroring_fields(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok(SERVERS
                             "pool:\n"
                             "  version: lync2013\n"
                             "  frontends: [s1, s2]\n"
                             "  routing_groups: 10000\n"
                             "  users: 5000\n"
                             "  backend:\n"
                             "    mirroring: { principal: s1, mirror: s2, witness: s3, synchronous: true }\n"
                             "    failover_time: 2m\n"
                             "    resync_time: 10m\n"
                             "    resiliency_grace: 45m\n"
                             "  file_store: { dfs: [s1, s2], failover_time: 30s }\n",
                             &d);
    const qr_backend *b = &t->pool.backend;
    assert_int_equal(t->pool.version, QR_VERSION_LYNC2013);
    assert_int_equal(t->pool.routing_groups, 10000);
    assert_int_equal(t->pool.users, 5000);
    assert_int_equal(b->kind, QR_BACKEND_MIRRORING);
    assert_int_equal(b->principal, 0);
    assert_int_equal(b->mirror, 1);
    assert_int_equal(b->witness, 2);
    assert_int_equal(b->witness_loc.line, 8);
    assert_int_equal(b->witness_loc.col, 54);
    assert_true(b->synchronous);
    assert_true(b->failover_time == 120.0);
    assert_true(b->resync_time == 600.0);
    assert_true(b->resiliency_grace == 2700.0);
    assert_int_equal(t->pool.file_store.kind, QR_FILE_STORE_DFS);
    assert_int_equal(t->pool.file_store.n_replicas, 2);
    assert_int_equal(t->pool.file_store.replicas[1], 1);
    assert_true(t->pool.file_store.failover_time == 30.0);
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_listed_twice(void **state)
{
    (void)state;
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2, s1]\n"
                      "  backend: { standalone: s3 }\n"
                      "  file_store: { share: s3 }\n",
                      4, 23, "P009", "'s1' is listed twice in 'frontends'");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { standalone: s3 }\n"
                      "  file_store: { dfs: [s3, s3] }\n",
                      6, 27, "P009", "'s3' is listed twice in 'dfs'");
}

static void test_loader_pool_values(void **state)
{
    (void)state;
    const char *head = SERVERS
                       "pool:\n"
                       "  version: sfb2015\n"
                       "  frontends: [s1, s2]\n"
                       "  backend: { standalone: s3 }\n"
                       "  file_store: { share: s3 }\n";
    char yaml[1024];
    snprintf(yaml, sizeof(yaml), "%s  routing_groups: 0\n", head);
    assert_only_error(yaml, 7, 19, "P004",
                      "expected an integer from 1 to 10000 for 'routing_groups', got '0'");
    snprintf(yaml, sizeof(yaml), "%s  routing_groups: 10001\n", head);
    assert_only_error(yaml, 7, 19, "P004",
                      "expected an integer from 1 to 10000 for 'routing_groups', got '10001'");
    snprintf(yaml, sizeof(yaml), "%s  routing_groups: 99999999999999999999\n", head);
    assert_only_error(yaml, 7, 19, "P004",
                      "expected an integer from 1 to 10000 for 'routing_groups', got '99999999999999999999'");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2016\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { standalone: s3 }\n"
                      "  file_store: { share: s3 }\n",
                      3, 12, "P004",
                      "unknown version 'sfb2016' (did you mean 'sfb2015'?): expected 'lync2013', 'sfb2015' or 'sfb2019'");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: []\n"
                      "  backend: { standalone: s3 }\n"
                      "  file_store: { share: s3 }\n",
                      4, 14, "P004", "'frontends' must list at least one server");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: s1\n"
                      "  backend: { standalone: s3 }\n"
                      "  file_store: { share: s3 }\n",
                      4, 14, "P003", "expected a list for 'frontends', got 's1'");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { standalone: s3, external: { availability: 99% } }\n"
                      "  file_store: { share: s3 }\n",
                      5, 30, "P004",
                      "'backend' takes exactly one of 'standalone', 'mirroring', 'alwayson', 'fci' or 'external', got both 'standalone' and 'external'");
}

static void test_loader_host_site(void **state)
{
    (void)state;
    const char *yaml =
        "sites: [ { name: dc1 }, { name: dc2 } ]\n"
        "hosts: [ { name: hv1, site: dc1 } ]\n"
        "servers:\n"
        "  - { name: s1, host: hv1 }\n"
        "  - { name: s2, host: hv1, site: dc1 }\n"
        "  - { name: s3, site: dc2 }\n" POOL;
    qr_diags d;
    qr_topology *t = load_ok(yaml, &d);
    int hv1 = qr_topology_find(t, "hv1"), s1 = qr_topology_find(t, "s1");
    assert_int_equal(t->comps[hv1].kind, QR_COMP_HOST);
    assert_int_equal(t->comps[hv1].site, 0);
    assert_true(fabs(t->comps[hv1].failure.mean - 2 * QR_UNITS_YEAR) < 1e-6);
    assert_true(t->comps[hv1].repair.mean == 8 * H);
    assert_int_equal(t->comps[s1].host, hv1);
    assert_int_equal(t->comps[s1].site, 0); /* from its host */
    assert_int_equal(t->comps[qr_topology_find(t, "s3")].site, 1);
    qr_topology_free(t);
    qr_diags_release(&d);
    assert_only_error("sites: [ { name: dc1 }, { name: dc2 } ]\n"
                      "hosts: [ { name: hv1, site: dc1 } ]\n"
                      "servers:\n"
                      "  - { name: s1, host: hv1, site: dc2 }\n"
                      "  - { name: s2 }\n"
                      "  - { name: s3 }\n" POOL,
                      4, 28, "P004",
                      "server 's1' is on host 'hv1' in site 'dc1', not in site 'dc2'");
}

static void test_loader_links(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok("sites: [ { name: a }, { name: b } ]\n"
                             "links: [ { between: [a, b] }, { name: backup, between: [b, a], mtbf: 5y } ]\n"
                             SERVERS POOL, &d);
    int ab = qr_topology_find(t, "a-b"), backup = qr_topology_find(t, "backup");
    assert_true(ab >= 0 && backup >= 0);
    assert_int_equal(t->comps[ab].kind, QR_COMP_LINK);
    assert_int_equal(t->comps[ab].link_a, 0);
    assert_int_equal(t->comps[ab].link_b, 1);
    assert_true(fabs(t->comps[ab].failure.mean - QR_UNITS_YEAR) < 1e-6);
    assert_true(t->comps[ab].repair.mean == 4 * H);
    assert_int_equal(t->comps[backup].link_a, 1);
    assert_true(fabs(t->comps[backup].failure.mean - 5 * QR_UNITS_YEAR) < 1e-3);
    qr_topology_free(t);
    qr_diags_release(&d);
    assert_only_error("sites: [ { name: a } ]\n"
                      "links: [ { between: [a, a] } ]\n" SERVERS POOL,
                      2, 21, "P004", "a link joins two different sites, got 'a' twice");
    assert_only_error("sites: [ { name: a } ]\n"
                      "links: [ { between: [a] } ]\n" SERVERS POOL,
                      2, 21, "P004", "'between' must name exactly two sites, got 1");
}

#define CLUSTER_SERVERS \
    "servers: [ { name: s1 }, { name: s2 }, { name: s3 }, { name: w1 } ]\n"

static void test_loader_cluster_alwayson(void **state)
{
    (void)state;
    const char *yaml =
        CLUSTER_SERVERS
        "storage: [ { name: san1 } ]\n"
        "clusters:\n"
        "  - name: c1\n"
        "    nodes: [s1, { server: s2, weight: 0 }, s3]\n"
        "    witness: { file_share: w1 }\n"
        "    windows: 2012 R2\n"
        "    lowest_priority: s2\n"
        "    quorum_adjust_delay: 5s\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [s1, s2]\n"
        "  backend: { alwayson: { cluster: c1, replicas: [s1, s2] } }\n"
        "  file_store: { cluster: { cluster: c1, storage: san1 } }\n";
    qr_diags d;
    qr_topology *t = load_ok(yaml, &d);
    assert_int_equal(t->n_clusters, 1);
    const qr_cluster *c = &t->clusters[0];
    assert_string_equal(c->name, "c1");
    assert_int_equal(c->n_nodes, 3);
    assert_int_equal(c->nodes[1], 1);
    assert_int_equal(c->weight[0], 1);
    assert_int_equal(c->weight[1], 0);
    assert_int_equal(c->node_locs[2].line, 5);
    assert_int_equal(c->witness_kind, QR_WITNESS_FILE_SHARE);
    assert_int_equal(c->witness, 3);
    assert_false(c->witness_on_dfs);
    assert_int_equal(c->windows, QR_WINDOWS_2012R2);
    assert_true(c->dynamic_quorum);
    assert_true(c->dynamic_witness);
    assert_int_equal(c->lowest_priority, 1);
    assert_true(c->quorum_adjust_delay == 5.0);
    const qr_backend *b = &t->pool.backend;
    assert_int_equal(b->kind, QR_BACKEND_ALWAYSON);
    assert_int_equal(b->cluster, 0);
    assert_int_equal(b->n_replicas, 2);
    assert_int_equal(b->replicas[1], 1);
    assert_int_equal(t->pool.file_store.kind, QR_FILE_STORE_CLUSTER);
    assert_int_equal(t->pool.file_store.cluster, 0);
    assert_int_equal(t->pool.file_store.storage, 4);
    char buf[16];
    assert_string_equal(qr_topology_notation(t, buf, sizeof(buf)), "3.x");
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_cluster_errors(void **state)
{
    (void)state;
    const char *tail =
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [s1, s2]\n"
        "  backend: { standalone: s3 }\n"
        "  file_store: { share: s3 }\n";
    char yaml[2048];
    snprintf(yaml, sizeof(yaml), CLUSTER_SERVERS
             "clusters: [ { name: c1, nodes: [s1, s2, s1] } ]\n%s", tail);
    assert_only_error(yaml, 2, 41, "P009", "'s1' is listed twice in 'nodes' of cluster 'c1'");
    snprintf(yaml, sizeof(yaml), CLUSTER_SERVERS
             "clusters: [ { name: c1, nodes: [s1, { server: s2, weight: 2 }] } ]\n%s", tail);
    assert_only_error(yaml, 2, 59, "P004",
                      "expected an integer from 0 to 1 for 'weight', got '2'");
    snprintf(yaml, sizeof(yaml), CLUSTER_SERVERS
             "clusters: [ { name: c1, nodes: [s1, s2], lowest_priority: s3 } ]\n%s", tail);
    assert_only_error(yaml, 2, 59, "P008", "'s3' is not a node of cluster 'c1'");
    snprintf(yaml, sizeof(yaml), CLUSTER_SERVERS
             "clusters: [ { name: c1, nodes: [s1, s2], witness: { file_share: s2 } } ]\n%s", tail);
    assert_only_error(yaml, 2, 65, "P009",
                      "'s2' cannot be both a node and the file share witness of cluster 'c1'");
    snprintf(yaml, sizeof(yaml), CLUSTER_SERVERS
             "clusters: [ { name: c1, nodes: [s1, s2], windows: 2008, dynamic_quorum: true } ]\n%s", tail);
    assert_only_error(yaml, 2, 73, "P004",
                      "'dynamic_quorum' needs Windows Server 2012 or later (cluster 'c1')");
    snprintf(yaml, sizeof(yaml), CLUSTER_SERVERS
             "clusters: [ { name: c1, nodes: [s1, s2], windows: 2003 } ]\n%s", tail);
    assert_only_error(yaml, 2, 51, "P004",
                      "unknown windows version '2003' (did you mean '2008'?): expected '2008', '2008r2', '2012', '2012r2', '2016', '2019' or '2022'");
    snprintf(yaml, sizeof(yaml), CLUSTER_SERVERS
             "clusters: [ { name: c1, nodes: [s1, s2], witness: { disk: w1 } } ]\n%s", tail);
    assert_only_error(yaml, 2, 59, "P008", "'w1' is a server, not a storage");
    snprintf(yaml, sizeof(yaml), CLUSTER_SERVERS
             "clusters: [ { name: c1, nodes: [s1, s2], witness: { file_share: w1, cloud: {} } } ]\n%s", tail);
    assert_only_error(yaml, 2, 69, "P004",
                      "'witness' of cluster 'c1' takes exactly one of 'file_share', 'disk' or 'cloud'");
    /* AlwaysOn replicas must be nodes of the cluster. */
    assert_only_error(CLUSTER_SERVERS
                      "clusters: [ { name: c1, nodes: [s1, s2] } ]\n"
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { alwayson: { cluster: c1, replicas: [s1, s3] } }\n"
                      "  file_store: { share: s3 }\n",
                      6, 54, "P008", "'s3' is not a node of cluster 'c1'");
}

static void test_loader_cluster_version_defaults(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok(CLUSTER_SERVERS
                             "clusters:\n"
                             "  - { name: old, nodes: [s1, s2], windows: 2008r2 }\n"
                             "  - { name: mid, nodes: [s1, s2], windows: 2012 }\n"
                             "  - { name: new, nodes: [s1, s2], witness: none }\n" POOL,
                             &d);
    assert_int_equal(t->clusters[0].windows, QR_WINDOWS_2008R2);
    assert_false(t->clusters[0].dynamic_quorum);
    assert_false(t->clusters[0].dynamic_witness);
    assert_true(t->clusters[1].dynamic_quorum);
    assert_false(t->clusters[1].dynamic_witness);
    assert_int_equal(t->clusters[2].windows, QR_WINDOWS_2019);
    assert_true(t->clusters[2].dynamic_quorum);
    assert_true(t->clusters[2].dynamic_witness);
    assert_int_equal(t->clusters[2].witness_kind, QR_WITNESS_NONE);
    assert_int_equal(t->clusters[2].lowest_priority, 1); /* last node */
    assert_true(t->clusters[2].quorum_adjust_delay == 10.0);
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_cloud_witness_component(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok(CLUSTER_SERVERS
                             "defaults: { cloud_witness: { mttr: 2h } }\n"
                             "clusters:\n"
                             "  - { name: c1, nodes: [s1, s2], witness: { cloud: { mtbf: 3y } } }\n"
                             "  - { name: c2, nodes: [s1, s2], witness: { cloud: } }\n" POOL,
                             &d);
    int w1 = qr_topology_find(t, "c1-cloud-witness");
    int w2 = qr_topology_find(t, "c2-cloud-witness");
    assert_true(w1 >= 0 && w2 >= 0);
    assert_int_equal(t->comps[w1].kind, QR_COMP_CLOUD_WITNESS);
    assert_int_equal(t->clusters[0].witness_kind, QR_WITNESS_CLOUD);
    assert_int_equal(t->clusters[0].witness, w1);
    assert_true(fabs(t->comps[w1].failure.mean - 3 * QR_UNITS_YEAR) < 1e-3);
    assert_true(t->comps[w1].repair.mean == 2 * H);
    assert_true(fabs(t->comps[w2].failure.mean - QR_UNITS_YEAR) < 1e-6);
    assert_int_equal(t->comps[w2].site, -1);
    char buf[16];
    /* s1-s3 carry roles; w1 has none and the cloud witnesses add ".x". */
    assert_string_equal(qr_topology_notation(t, buf, sizeof(buf)), "3.x");
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_external_backend(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok(SERVERS
                             "pool:\n"
                             "  version: sfb2015\n"
                             "  frontends: [s1, s2]\n"
                             "  backend: { external: { availability: 99.99%, mttr: 1h } }\n"
                             "  file_store: { share: s3 }\n",
                             &d);
    const qr_backend *b = &t->pool.backend;
    assert_int_equal(b->kind, QR_BACKEND_EXTERNAL);
    assert_true(b->external >= 0);
    const qr_component *x = &t->comps[b->external];
    assert_string_equal(x->name, "external-sql");
    assert_int_equal(x->kind, QR_COMP_EXTERNAL_SQL);
    /* MTBF = MTTR * A / (1 - A) = 1h * 9999, so availability is 99.99%. */
    assert_true(fabs(x->failure.mean - 3600.0 * 0.9999 / 0.0001) < 1e-3);
    assert_true(fabs(qr_component_availability(x) - 0.9999) < 1e-12);
    qr_topology_free(t);
    qr_diags_release(&d);
    t = load_ok(SERVERS
                "pool:\n"
                "  version: sfb2015\n"
                "  frontends: [s1, s2]\n"
                "  backend: { external: { name: corp-sql, mtbf: 2y } }\n"
                "  file_store: { share: s3 }\n",
                &d);
    x = &t->comps[t->pool.backend.external];
    assert_string_equal(x->name, "corp-sql");
    assert_true(fabs(x->failure.mean - 2 * QR_UNITS_YEAR) < 1e-6);
    assert_true(x->repair.mean == H);
    qr_topology_free(t);
    qr_diags_release(&d);
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { external: { mttr: 1h } }\n"
                      "  file_store: { share: s3 }\n",
                      5, 14, "P005",
                      "missing required key 'availability' (or 'mtbf') in 'external'");
    assert_only_error(SERVERS
                      "pool:\n"
                      "  version: sfb2015\n"
                      "  frontends: [s1, s2]\n"
                      "  backend: { external: { availability: 100% } }\n"
                      "  file_store: { share: s3 }\n",
                      5, 40, "P004",
                      "expected a percentage such as '99.95%' for 'availability', got '100%' (must be between 0% and 100%, both excluded)");
}

static void test_loader_fci_backend(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok(CLUSTER_SERVERS
                             "storage: [ { name: san1, mtbf: 10y } ]\n"
                             "clusters: [ { name: c1, nodes: [s3, w1], witness: { disk: san1 } } ]\n"
                             "pool:\n"
                             "  version: sfb2015\n"
                             "  frontends: [s1, s2]\n"
                             "  backend: { fci: { cluster: c1, storage: san1 } }\n"
                             "  file_store: { share: s3 }\n",
                             &d);
    int san = qr_topology_find(t, "san1");
    assert_int_equal(t->comps[san].kind, QR_COMP_STORAGE);
    assert_true(t->comps[san].repair.mean == 8 * H);
    assert_false(t->comps[san].patch.enabled);
    assert_int_equal(t->clusters[0].witness_kind, QR_WITNESS_DISK);
    assert_int_equal(t->clusters[0].witness, san);
    assert_int_equal(t->pool.backend.kind, QR_BACKEND_FCI);
    assert_int_equal(t->pool.backend.cluster, 0);
    assert_int_equal(t->pool.backend.storage, san);
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_features(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok(SERVERS POOL
                             "features:\n"
                             "  conferencing: { needs: [pool, backend_grace] }\n"
                             "  response_groups: { needs: [pool, backend, routing_group_limited] }\n",
                             &d);
    assert_int_equal(t->n_features, QR_DEFAULT_FEATURE_COUNT + 1);
    int conf = qr_topology_find_feature(t, "conferencing");
    assert_int_equal(t->features[conf].needs, QR_NEED_POOL | QR_NEED_BACKEND_GRACE);
    assert_int_equal(t->features[conf].loc.line, 8);
    int rg = qr_topology_find_feature(t, "response_groups");
    assert_int_equal(rg, QR_DEFAULT_FEATURE_COUNT);
    assert_int_equal(t->features[rg].needs,
                     QR_NEED_POOL | QR_NEED_BACKEND | QR_NEED_GROUP_LIMITED);
    qr_topology_free(t);
    qr_diags_release(&d);
    char *many = malloc(300 * 40 + 256);
    size_t o = (size_t)sprintf(many, SERVERS POOL "features:\n");
    for (int i = 0; i < 257; i++)
        o += (size_t)sprintf(many + o, "  f%d: { needs: [pool] }\n", i);
    assert_only_error(many, 7, 1, "P010", "more than 256 features");
    free(many);
    assert_only_error(SERVERS POOL
                      "features:\n"
                      "  presence: { needs: [pool, bakend] }\n",
                      8, 29, "P004", "unknown need 'bakend' (did you mean 'backend'?)");
}

static void test_loader_parameters(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok(SERVERS POOL
                             "name: \"custom name\"\n"
                             "notation: \"2.x\"\n"
                             "fabric: { graceful_leave_adjusts_votes: false, restart_time: 1h, replica_rebuild: 5m }\n"
                             "operations:\n"
                             "  quorum_reset: { after: 2m, retry: 10m }\n"
                             "  sql_failover: { after: 15m }\n"
                             "  force_quorum: { after: 2h }\n"
                             "patching: { gap: 1h, skip_if_unhealthy: false }\n"
                             "costs: { witness: 250.5 }\n",
                             &d);
    const qr_params *p = &t->params;
    assert_string_equal(t->name, "custom name");
    assert_string_equal(t->notation, "2.x");
    char buf[16];
    assert_string_equal(qr_topology_notation(t, buf, sizeof(buf)), "2.x");
    assert_false(p->graceful_leave_adjusts_votes);
    assert_true(p->restart_time == 3600.0);
    assert_true(p->replica_rebuild == 300.0);
    assert_true(p->quorum_reset_after == 120.0);
    assert_true(p->quorum_reset_retry == 600.0);
    assert_true(p->sql_failover_after == 900.0);
    assert_true(p->force_quorum_after == 7200.0);
    assert_true(p->patch_gap == 3600.0);
    assert_false(p->patch_skip_if_unhealthy);
    assert_true(p->witness_cost == 250.5);
    qr_topology_free(t);
    qr_diags_release(&d);
    /* Untouched parameters keep the behaviour model's defaults. */
    t = load_ok(SERVERS POOL, &d);
    assert_true(t->params.graceful_leave_adjusts_votes);
    assert_true(t->params.restart_time == 900.0);
    assert_true(t->params.quorum_reset_after == 1800.0);
    assert_true(t->params.force_quorum_after == 3600.0);
    qr_topology_free(t);
    qr_diags_release(&d);
    assert_only_error(SERVERS POOL "patching: { skip_if_unhealthy: yes }\n", 7, 32, "P004",
                      "expected true or false for 'skip_if_unhealthy', got 'yes'");
    assert_only_error(SERVERS POOL "costs: { witness: -1 }\n", 7, 19, "P004",
                      "'witness' must not be negative, got '-1'");
}

static void test_loader_distribution_errors(void **state)
{
    (void)state;
    assert_only_error("servers: [ { name: s1, mtbf: { mean: 1y, shape: 2 } }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 42, "P004",
                      "'shape' applies only to the weibull and lognormal distributions, not to exponential");
    assert_only_error("servers: [ { name: s1, mtbf: { distribution: weibull } }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P005", "missing required key 'mean' in 'mtbf'");
    assert_only_error("servers: [ { name: s1, mtbf: { mean: 1y, distribution: gamma } }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 56, "P004",
                      "unknown distribution 'gamma': expected 'exponential', 'weibull', 'lognormal' or 'fixed'");
}

/* The limits of docs/topology-format.md ("Limits"): a mean failure or
 * repair time of at least 1s, in every form and layer; a Weibull shape of
 * at least 0.2, a lognormal sigma of at most 3; patch nights at least an
 * hour apart. Each edge value is accepted. */
/* Issue 13, finding 2: a yearly cost is at most 1e12 (as compare's
 * --server-cost), so a design's total stays finite and ranks exactly. */
static void test_loader_cost_limit(void **state)
{
    (void)state;
    assert_only_error("servers: [ { name: s1, cost: 1e15 }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P004", "'cost' must be at most 1e12, got '1e15'");
    assert_only_error("defaults: { server: { cost: 1e308 } }\n" SERVERS POOL, 1, 29, "P004",
                      "'cost' must be at most 1e12, got '1e308'");
    assert_only_error(SERVERS POOL "costs: { witness: 1e13 }\n", 7, 19, "P004",
                      "'witness' must be at most 1e12, got '1e13'");
    qr_diags d;
    qr_topology *t = load_ok("servers: [ { name: s1, cost: 1e12 }, { name: s2 }, { name: s3 } ]\n"
                             POOL, &d);
    assert_true(t->comps[0].cost == 1e12);
    qr_topology_free(t);
    qr_diags_release(&d);
}

/* Issue 13, finding 7: a file with 20,000 duplicate keys (P006, found
 * before the loader's own walk) and then 1,500 unknown keys (P002) keeps
 * 1000 errors, the first ones by position, ends with one note counting the
 * rest, and still counts every error. */
static void test_loader_caps_errors(void **state)
{
    (void)state;
    size_t cap = 32 + 20000 * 6 + 1500 * 12 + 256;
    char *yaml = malloc(cap), *p = yaml;
    assert_non_null(yaml);
    p += sprintf(p, "x-dup: {");
    for (int i = 0; i < 20000; i++)
        p += sprintf(p, "%sk: 1", i ? ", " : " ");
    p += sprintf(p, " }\nservers: [ { name: s1");
    for (int i = 0; i < 1500; i++)
        p += sprintf(p, ", u%04d: 1", i);
    p += sprintf(p, " } ]\n");
    qr_topology *t;
    qr_diags d;
    assert_int_equal(load(yaml, &t, &d), 1);
    assert_int_equal(d.n_errors, 19999 + 1500 + 1 /* missing 'pool' */);
    assert_int_equal(d.n, QR_DIAGS_MAX_ERRORS + 1);
    assert_int_equal(d.n_hidden, d.n_errors - QR_DIAGS_MAX_ERRORS);
    for (size_t i = 0; i + 1 < d.n; i++) {
        assert_int_equal(d.items[i].sev, QR_SEV_ERROR);
        assert_string_equal(d.items[i].rule, "P006");
        assert_int_equal(d.items[i].loc.line, 1);
    }
    const qr_diag *last = &d.items[d.n - 1];
    assert_int_equal(last->sev, QR_SEV_NOTE);
    assert_string_equal(last->rule, "P010");
    char want[80];
    snprintf(want, sizeof(want), "too many errors: %zu more not shown", d.n_hidden);
    assert_string_equal(last->message, want);
    /* Sorting again (a report may) keeps the note last, and one of it. */
    qr_diags_sort(&d);
    assert_int_equal(d.n, QR_DIAGS_MAX_ERRORS + 1);
    assert_string_equal(d.items[d.n - 1].message, want);
    qr_diags_release(&d);
    free(yaml);
}

/* Issue 13, finding 8: free texts reach terminals, tables and HTML as they
 * are, so a control character in one (an escape sequence, a bell, a line
 * break, a tab, a C1 control) is refused at load; other UTF-8 is kept. A
 * key with one is named with '?' in its place. */
static void test_loader_refuses_control_characters(void **state)
{
    (void)state;
    assert_only_error("name: \"\\e[31mRED\\e[0m\\a\"\n" SERVERS POOL, 1, 7, "P004",
                      "'name' must not contain control characters, got U+001B");
    assert_only_error("name: \"two\\nlines\"\n" SERVERS POOL, 1, 7, "P004",
                      "'name' must not contain control characters, got U+000A");
    assert_only_error("notation: \"2\\t.x\"\n" SERVERS POOL, 1, 11, "P004",
                      "'notation' must not contain control characters, got U+0009");
    assert_only_error("name: \"csi \\u009b2J\"\n" SERVERS POOL, 1, 7, "P004",
                      "'name' must not contain control characters, got U+009B");
    assert_only_error("name: a\n\"\\e[2J\": 1\n" SERVERS POOL, 2, 1, "P002",
                      "unknown key '?[2J' in the topology");
    qr_topology *t;
    qr_diags d;
    assert_int_equal(load("x-a: { \"\\e]0;x\": 1, \"\\e]0;x\": 2 }\n" SERVERS POOL, &t, &d), 1);
    assert_diag(&d, 1, 21, "P006", "duplicate key '?]0;x'");
    qr_diags_release(&d);
    t = load_ok("name: \"Zürich ☃ — 3.0\"\n" SERVERS POOL, &d);
    assert_string_equal(t->name, "Zürich ☃ — 3.0");
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_degenerate_durations(void **state)
{
    (void)state;
    assert_only_error("defaults: { server: { mtbf: 1e-300ms } }\n" SERVERS POOL, 1, 29, "P004",
                      "'mtbf' must be at least 1s, got '1e-300ms'");
    assert_only_error("servers: [ { name: s1, mttr: 999ms }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 30, "P004", "'mttr' must be at least 1s, got '999ms'");
    assert_only_error("servers: [ { name: s1, mttr: { mean: 0.5s, distribution: fixed } }, "
                      "{ name: s2 }, { name: s3 } ]\n" POOL,
                      1, 38, "P004", "'mttr' must be at least 1s, got '0.5s'");
    assert_only_error("servers: [ { name: s1, mtbf: { mean: 1y, distribution: lognormal, "
                      "shape: 100 } }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 74, "P004",
                      "'shape' (sigma) of a lognormal must be greater than 0 and at most 3");
    assert_only_error("servers: [ { name: s1, mtbf: { mean: 1y, distribution: weibull, "
                      "shape: 0.19 } }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 72, "P004", "'shape' of a weibull must be at least 0.2 and at most 100");
    assert_only_error("servers: [ { name: s1, patch: { every: 59m } }, { name: s2 }, { name: s3 } ]\n" POOL,
                      1, 40, "P004", "'every' must be at least 1h, got '59m'");
    assert_only_error("hosts: [ { name: h1, mttr: 1e-300ms } ]\n" SERVERS POOL, 1, 28, "P004",
                      "'mttr' must be at least 1s, got '1e-300ms'");
    qr_diags d;
    qr_topology *t = load_ok("servers: [ { name: s1, mtbf: 1s, mttr: 1000ms, patch: { every: 1h } }, "
                             "{ name: s2, mtbf: { mean: 1y, distribution: weibull, shape: 0.2 } }, "
                             "{ name: s3, mttr: { mean: 1h, distribution: lognormal, shape: 3 } } ]\n"
                             POOL, &d);
    assert_true(t->comps[0].failure.mean == 1.0 && t->comps[0].repair.mean == 1.0);
    assert_true(t->comps[0].patch.every == 3600.0);
    assert_true(t->comps[1].failure.shape == 0.2 && t->comps[2].repair.shape == 3.0);
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_collects_every_error(void **state)
{
    (void)state;
    const char *yaml =
        "servers:\n"
        "  - { name: s1, mtbf: 15 }\n"
        "  - { name: s1 }\n"
        "  - { name: s2, mtbff: 1y }\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [s1, s9]\n"
        "  backend: { mirroring: { principal: s1, mirror: s1 } }\n";
    qr_topology *t;
    qr_diags d;
    assert_int_equal(load(yaml, &t, &d), 1);
    assert_int_equal(d.n_errors, 6);
    assert_diag(&d, 2, 23, "P004", "expected a duration with a unit such as '15m' or '4h', got '15'");
    assert_diag(&d, 3, 13, "P007", "duplicate name 's1' (first defined at line 2)");
    assert_diag(&d, 4, 17, "P002", "unknown key 'mtbff' in server 's2' (did you mean 'mtbf'?)");
    assert_diag(&d, 5, 1, "P005", "missing required key 'file_store' in 'pool'");
    assert_diag(&d, 7, 19, "P008", "'s9' is not a defined server");
    assert_diag(&d, 8, 50, "P009", "'s1' cannot be both principal and mirror");
    /* Sorted by position. */
    for (size_t i = 1; i < d.n; i++)
        assert_true(d.items[i - 1].loc.line <= d.items[i].loc.line);
    qr_diags_release(&d);
}

static void test_loader_top_level_shapes(void **state)
{
    (void)state;
    assert_only_error("- a\n- b\n", 1, 1, "P003", "expected a mapping for the topology, got a sequence");
    assert_only_error("---\n", 2, 1, "P010", "empty topology: the document has no content");
    assert_only_error("hello\n", 1, 1, "P003", "expected a mapping for the topology, got 'hello'");
    qr_topology *t;
    qr_diags d;
    assert_int_equal(load("servers: { name: s1 }\n" POOL, &t, &d), 1);
    assert_diag(&d, 1, 10, "P003", "expected a list for 'servers', got a mapping");
    qr_diags_release(&d);
    assert_int_equal(load("servers:\n" POOL, &t, &d), 1);
    assert_diag(&d, 1, 9, "P003", "expected a list for 'servers', got nothing");
    qr_diags_release(&d);
    assert_only_error(SERVERS POOL "? [a]\n: 1\n", 7, 3, "P003",
                      "expected a name as key in the topology, got a list");
    assert_only_error("servers: [ { name: s1 }, { name: s2 }, { name: s3 }, { name: \"s 4\" } ]\n" POOL,
                      1, 62, "P004", "invalid name 's 4': use letters, digits, '_', '-' and '.'");
}

static void test_loader_aliases_and_anchors(void **state)
{
    (void)state;
    qr_diags d;
    qr_topology *t = load_ok("x-fail: &f { mtbf: 1y, mttr: 2h }\n" SERVERS POOL, &d);
    qr_topology_free(t);
    qr_diags_release(&d);
    /* An unknown key is still unknown; anchors themselves are fine. */
    t = load_ok("servers:\n"
                "  - { name: s1, mttr: &r 3h }\n"
                "  - { name: s2, mttr: *r }\n"
                "  - { name: s3 }\n" POOL, &d);
    assert_true(t->comps[1].repair.mean == 3 * H);
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_file_errors(void **state)
{
    (void)state;
    qr_topology *t = (qr_topology *)&t; /* must be reset to NULL */
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "nope.yaml"), 0);
    assert_int_equal(qr_topology_load_file("/nonexistent/nope.yaml", &t, &d), 2);
    assert_null(t);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].loc.line, 0);
    qr_diags_release(&d);
    assert_int_equal(qr_diags_init(&d, "x"), 0);
    assert_int_equal(qr_topology_load_buffer(NULL, NULL, 0, &t, &d), 1);
    assert_null(t);
    assert_string_equal(d.items[0].message, "empty topology: the file holds no YAML document");
    qr_diags_release(&d);
}

static void test_loader_big_file_refused(void **state)
{
    (void)state;
    /* 2 MiB of valid-looking YAML, generated here rather than committed. */
    size_t len = 2 * 1024 * 1024;
    char *text = malloc(len + 1);
    assert_non_null(text);
    const char *line = "# padding padding padding padding padding padding\n";
    size_t ll = strlen(line), o = 0;
    while (o + ll <= len) {
        memcpy(text + o, line, ll);
        o += ll;
    }
    text[o] = '\0';
    char path[] = "/tmp/quorate-big-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_int_equal(fwrite(text, 1, o, f), o);
    fclose(f);
    qr_topology *t;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, path), 0);
    assert_int_equal(qr_topology_load_file(path, &t, &d), 1);
    assert_null(t);
    assert_string_equal(d.items[0].rule, "P010");
    assert_non_null(strstr(d.items[0].message, "larger than 1 MiB"));
    qr_diags_release(&d);
    assert_int_equal(qr_diags_init(&d, "buf"), 0);
    assert_int_equal(qr_topology_load_buffer("buf", text, o, &t, &d), 1);
    assert_string_equal(d.items[0].rule, "P010");
    qr_diags_release(&d);
    remove(path);
    free(text);
}

/* ---- the bundled designs ---- */

static void check_design(const char *file, int frontends, int seeds,
                         qr_backend_kind backend, const char *notation)
{
    qr_topology *t;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, file), 0);
    int r = qr_topology_load_file(file, &t, &d);
    if (r != 0 || d.n != 0) {
        dump(&d);
        fail_msg("%s: load returned %d", file, r);
    }
    assert_int_equal(t->pool.n_frontends, frontends);
    assert_int_equal(qr_pool_seed_count(t->pool.version, t->pool.n_frontends), seeds);
    assert_int_equal(t->pool.backend.kind, backend);
    char buf[16];
    assert_string_equal(qr_topology_notation(t, buf, sizeof(buf)), notation);
    assert_non_null(t->name);
    /* Every server fails and is repaired with the documented figures. */
    for (int i = 0; i < t->n_comps; i++)
        assert_true(t->comps[i].repair.mean > 0);
    qr_topology_free(t);
    qr_diags_release(&d);
}

static void test_loader_bundled_designs(void **state)
{
    (void)state;
    check_design("topologies/5x-recommended.yaml", 3, 3, QR_BACKEND_MIRRORING, "5.x");
    check_design("topologies/4x-minimum.yaml", 2, 2, QR_BACKEND_MIRRORING, "4.x");
    check_design("topologies/3.0-three-servers.yaml", 3, 3, QR_BACKEND_MIRRORING, "3.0");
    check_design("topologies/2x-mirror-witness.yaml", 2, 2, QR_BACKEND_MIRRORING, "2.x");
    check_design("topologies/2x-alwayson-fsw-disk.yaml", 2, 2, QR_BACKEND_ALWAYSON, "2.x");
    check_design("topologies/12fe-large.yaml", 12, 9, QR_BACKEND_MIRRORING, "16.x");
    check_design("topologies/two-site.yaml", 3, 3, QR_BACKEND_MIRRORING, "5.x");
}

static void test_loader_bundled_design_details(void **state)
{
    (void)state;
    qr_topology *t;
    qr_diags d;
    assert_int_equal(qr_diags_init(&d, "x"), 0);
    assert_int_equal(qr_topology_load_file("topologies/12fe-large.yaml", &t, &d), 0);
    int fe05 = qr_topology_find(t, "fe05"), hv1 = qr_topology_find(t, "hv1");
    assert_int_equal(t->comps[fe05].host, hv1);
    assert_int_equal(t->comps[fe05].site, qr_topology_find(t, "dc1"));
    assert_int_equal(t->pool.file_store.n_replicas, 2);
    qr_topology_free(t);
    qr_diags_release(&d);
    assert_int_equal(qr_diags_init(&d, "x"), 0);
    assert_int_equal(qr_topology_load_file("topologies/two-site.yaml", &t, &d), 0);
    int link = qr_topology_find(t, "dc1-dc2");
    assert_true(link >= 0);
    assert_int_equal(t->comps[link].kind, QR_COMP_LINK);
    assert_int_equal(t->comps[qr_topology_find(t, "sqlw")].site, qr_topology_find(t, "dc3"));
    qr_topology_free(t);
    qr_diags_release(&d);
    assert_int_equal(qr_diags_init(&d, "x"), 0);
    assert_int_equal(qr_topology_load_file("topologies/2x-alwayson-fsw-disk.yaml", &t, &d), 0);
    assert_int_equal(t->clusters[0].witness_kind, QR_WITNESS_FILE_SHARE);
    assert_int_equal(t->clusters[0].witness, qr_topology_find(t, "nas1"));
    assert_false(t->comps[qr_topology_find(t, "nas1")].patch.enabled);
    assert_int_equal(t->pool.file_store.kind, QR_FILE_STORE_CLUSTER);
    qr_topology_free(t);
    qr_diags_release(&d);
}

/* ---- the bad-input corpus ---- */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_loader_bad_corpus(void **state)
{
    (void)state;
    FILE *ex = fopen("tests/bad/EXPECTED", "r");
    assert_non_null(ex);
    char line[512];
    int checked = 0, listed = 0;
    while (fgets(line, sizeof(line), ex)) {
        char file[256], rule[16];
        int l, c;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (sscanf(line, "%255[^:]: %d:%d %15s", file, &l, &c, rule) != 4)
            fail_msg("bad EXPECTED line: %s", line);
        listed++;
        char path[512];
        snprintf(path, sizeof(path), "tests/bad/%s", file);
        qr_topology *t;
        qr_diags d;
        assert_int_equal(qr_diags_init(&d, path), 0);
        int r = qr_topology_load_file(path, &t, &d);
        if (r == 0 || t || d.n == 0 || d.n_errors == 0 ||
            d.items[0].loc.line != l || d.items[0].loc.col != c ||
            strcmp(d.items[0].rule, rule) != 0 || !d.items[0].message[0]) {
            print_message("%s: expected %d:%d %s, got r=%d\n", file, l, c, rule, r);
            dump(&d);
            fail();
        }
        qr_topology_free(t);
        qr_diags_release(&d);
        checked++;
    }
    fclose(ex);
    /* Every file of the directory is listed in EXPECTED. */
    DIR *dir = opendir("tests/bad");
    assert_non_null(dir);
    char *names[512];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) && n < 512) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".yaml") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(dir);
    qsort(names, (size_t)n, sizeof(names[0]), name_cmp);
    for (int i = 0; i < n; i++) {
        ex = fopen("tests/bad/EXPECTED", "r");
        int found = 0;
        while (fgets(line, sizeof(line), ex))
            if (strncmp(line, names[i], strlen(names[i])) == 0 &&
                line[strlen(names[i])] == ':')
                found = 1;
        fclose(ex);
        if (!found)
            fail_msg("tests/bad/%s is not in tests/bad/EXPECTED", names[i]);
        free(names[i]);
    }
    assert_int_equal(checked, listed);
    assert_int_equal(n, listed);
    assert_true(listed >= 25);
}

/* The field notation: a file share witness on a full server of the design
 * (here the third front end) adds no part, "3.0"; on a server of its own
 * it does, "3.x" (the 4th server is witness-only). */
static void test_loader_notation_witness_on_full_server(void **state)
{
    (void)state;
    static const char *const yaml[2] = {
        "servers: [ { name: s1 }, { name: s2 }, { name: s3 } ]\n"
        "clusters: [ { name: c1, nodes: [s1, s2], witness: { file_share: s3 } } ]\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [s1, s2, s3]\n"
        "  backend: { alwayson: { cluster: c1, replicas: [s1, s2] } }\n"
        "  file_store: { dfs: [s1, s2] }\n",
        "servers: [ { name: s1 }, { name: s2 }, { name: s3 }, { name: w } ]\n"
        "clusters: [ { name: c1, nodes: [s1, s2], witness: { file_share: w } } ]\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [s1, s2, s3]\n"
        "  backend: { alwayson: { cluster: c1, replicas: [s1, s2] } }\n"
        "  file_store: { dfs: [s1, s2] }\n",
    };
    const char *const want[2] = { "3.0", "3.x" };
    for (int k = 0; k < 2; k++) {
        qr_diags d;
        qr_topology *t = load_ok(yaml[k], &d);
        char buf[16];
        assert_string_equal(qr_topology_notation(t, buf, sizeof(buf)), want[k]);
        qr_topology_free(t);
        qr_diags_release(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loader_minimal_design),
        cmocka_unit_test(test_loader_defaults_then_own_values),
        cmocka_unit_test(test_loader_unknown_key_did_you_mean),
        cmocka_unit_test(test_loader_duration_needs_unit),
        cmocka_unit_test(test_loader_missing_required_key),
        cmocka_unit_test(test_loader_duplicate_key),
        cmocka_unit_test(test_loader_duplicate_name),
        cmocka_unit_test(test_loader_undefined_reference),
        cmocka_unit_test(test_loader_wrong_kind_reference),
        cmocka_unit_test(test_loader_principal_mirror_witness),
        cmocka_unit_test(test_loader_mirroring_fields),
        cmocka_unit_test(test_loader_listed_twice),
        cmocka_unit_test(test_loader_pool_values),
        cmocka_unit_test(test_loader_host_site),
        cmocka_unit_test(test_loader_links),
        cmocka_unit_test(test_loader_cluster_alwayson),
        cmocka_unit_test(test_loader_cluster_errors),
        cmocka_unit_test(test_loader_cluster_version_defaults),
        cmocka_unit_test(test_loader_cloud_witness_component),
        cmocka_unit_test(test_loader_notation_witness_on_full_server),
        cmocka_unit_test(test_loader_external_backend),
        cmocka_unit_test(test_loader_fci_backend),
        cmocka_unit_test(test_loader_features),
        cmocka_unit_test(test_loader_parameters),
        cmocka_unit_test(test_loader_distribution_errors),
        cmocka_unit_test(test_loader_degenerate_durations),
        cmocka_unit_test(test_loader_cost_limit),
        cmocka_unit_test(test_loader_caps_errors),
        cmocka_unit_test(test_loader_refuses_control_characters),
        cmocka_unit_test(test_loader_collects_every_error),
        cmocka_unit_test(test_loader_top_level_shapes),
        cmocka_unit_test(test_loader_aliases_and_anchors),
        cmocka_unit_test(test_loader_file_errors),
        cmocka_unit_test(test_loader_big_file_refused),
        cmocka_unit_test(test_loader_bundled_designs),
        cmocka_unit_test(test_loader_bundled_design_details),
        cmocka_unit_test(test_loader_bad_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
