/*
 * test_exact.c: exact M9 availability (src/exact/exact.h) against closed forms
 * worked out by hand in each test: k-of-n pools, the Back End vote, seed
 * subsets, mirroring, DFS (parallel), shares behind hosts and sites
 * (series), failover clusters, AlwaysOn, FCI, user-weighted routing groups
 * and the 2.x mirror design of M1.8; the conditional availabilities behind
 * `quorate analyze`'s importance measures (sim_exact_conditional and
 * sim_exact_importance agree, and with the closed forms). Every comparison
 * is to 1e-12 relative.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glob.h>

#include "exact/exact.h"
#include "fixture.h"
#include "model/loader.h"
#include "model/placement.h"
#include "exact/structure.h"

#define REL_TOL 1e-12

static void assert_rel(double got, double want, const char *what)
{
    double tol = REL_TOL * fmax(fabs(want), 1e-300);
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.17g, want %.17g (diff %.3g)", what, got, want,
                 got - want);
}

/* P(at least 2 of 3 independent events). */
static double two_of_three(double a, double b, double c)
{
    return a * b + a * c + b * c - 2 * a * b * c;
}

/* P(at least k of n independent events, each with probability p). */
static double k_of_n(int k, int n, double p)
{
    double sum = 0, binom = 1;
    for (int i = 0; i <= n; i++) {
        if (i >= k)
            sum += binom * pow(p, i) * pow(1 - p, n - i);
        binom = binom * (n - i) / (i + 1);
    }
    return sum;
}

typedef struct {
    double feat[16];
    sim_exact_detail d;
} result;

static void run_exact(const qr_topology *t, result *r)
{
    char err[256] = "";
    double pool = -1;
    memset(r, 0, sizeof(*r));
    if (sim_exact_compute(t, r->feat, &r->d, err, sizeof(err)) != 0)
        fail_msg("sim_exact_compute: %s", err);
    /* The pinned entry point agrees with the detailed one. */
    double feat2[16];
    assert_int_equal(sim_exact_availability(t, feat2, &pool, err, sizeof(err)), 0);
    assert_true(pool == r->d.pool);
    for (int f = 0; f < t->n_features; f++)
        assert_true(feat2[f] == r->feat[f]);
}

static int feature(const qr_topology *t, const char *name)
{
    int f = qr_topology_find_feature(t, name);
    assert_true(f >= 0);
    return f;
}

static void add_frontends(qr_topology *t, int n, const double *a, int *fe)
{
    for (int i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof(name), "fe%d", i);
        fe[i] = fx_server(t, name, a[i]);
    }
    fx_frontends(t, fe, n);
}

static void test_exact_three_frontends(void **state)
{
    (void)state;
    qr_topology t;
    int fe[3];
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 0.99, 0.98, 0.95 }, fe);
    int sql = fx_server(&t, "sql", 1.0);       /* never fails */
    fx_standalone(&t, sql);
    fx_share(&t, sql);
    result r;
    run_exact(&t, &r);
    double p1 = fx_a(&t, fe[0]), p2 = fx_a(&t, fe[1]), p3 = fx_a(&t, fe[2]);
    double pool = two_of_three(p1, p2, p3);
    assert_int_equal(r.d.n_enumerated, 3);
    assert_rel(r.d.pool, pool, "pool 2 of 3");
    /* With N = 3 every group is on all three: group writable == pool. */
    for (int f = 0; f < t.n_features; f++)
        assert_rel(r.feat[f], pool, t.features[f].name);
    assert_rel(r.d.backend, 1.0, "backend");
    qr_topology_release(&t);

    /* Equal availabilities: p^3 + 3 p^2 q. */
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 0.97, 0.97, 0.97 }, fe);
    sql = fx_server(&t, "sql", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, sql);
    run_exact(&t, &r);
    double p = fx_a(&t, fe[0]), q = 1 - p;
    assert_rel(r.d.pool, p * p * p + 3 * p * p * q, "p^3 + 3p^2q");
    qr_topology_release(&t);
}

/* sim_exact_unavailability() sums 1 - value directly: for a 2-of-3 pool
 * whose front ends are down 1e-9 of the time, 1 - A in double is lost in
 * rounding (3e-18 below 1's ulp) while the unavailability keeps every
 * digit of 3q^2 - 2q^3; its availabilities are sim_exact_compute()'s. */
static void test_exact_unavailability_keeps_digits(void **state)
{
    (void)state;
    qr_topology t;
    int fe[3];
    fx_init(&t);
    for (int i = 0; i < 3; i++) {
        char name[24];
        snprintf(name, sizeof(name), "fe%d", i);
        fe[i] = fx_comp(&t, name, QR_COMP_SERVER, -1, -1, FX_HOUR * (1 - 1e-9) / 1e-9,
                        FX_HOUR);
    }
    fx_frontends(&t, fe, 3);
    int sql = fx_server(&t, "sql", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, sql);
    double avail[8], unavail[8], avail2[8];
    sim_exact_detail d, d2;
    char err[128] = "";
    assert_int_equal(sim_exact_unavailability(&t, avail, unavail, &d, err, sizeof(err)), 0);
    assert_int_equal(sim_exact_compute(&t, avail2, &d2, err, sizeof(err)), 0);
    double q = FX_HOUR / (FX_HOUR * (1 - 1e-9) / 1e-9 + FX_HOUR);
    double want = 3 * q * q - 2 * q * q * q;
    for (int f = 0; f < t.n_features; f++) {
        assert_true(avail[f] == avail2[f]);
        assert_rel(unavail[f], want, t.features[f].name);
        assert_true(1.0 - avail[f] < 1e-15);   /* the digits the double loses */
    }
    assert_true(d.pool == d2.pool);
    qr_topology_release(&t);
}

static void test_exact_two_frontends_standalone(void **state)
{
    (void)state;
    qr_topology t;
    int fe[2];
    fx_init(&t);
    add_frontends(&t, 2, (double[]){ 0.99, 0.98 }, fe);
    int sql = fx_server(&t, "sql", 0.995);
    int fs = fx_server(&t, "fs", 0.999);
    fx_standalone(&t, sql);
    fx_share(&t, fs);
    result r;
    run_exact(&t, &r);
    double f1 = fx_a(&t, fe[0]), f2 = fx_a(&t, fe[1]);
    double b = fx_a(&t, sql), s = fx_a(&t, fs);
    /* M1.2: 2 seeds + BE vote, 2 of 3 needed. */
    double pool = two_of_three(f1, f2, b);
    /* pool AND backend: BE up and at least one FE (then, with R = 2, the
     * group is writable too: one replica plus the Back End). */
    double pool_be = b * (f1 + f2 - f1 * f2);
    assert_rel(r.d.pool, pool, "pool");
    assert_rel(r.d.backend, b, "backend");
    assert_rel(r.d.file_store, s, "file store");
    assert_rel(r.feat[feature(&t, "p2p_calls")], pool, "p2p_calls");
    assert_rel(r.feat[feature(&t, "signin_im")], pool, "signin_im");
    assert_rel(r.feat[feature(&t, "persistent_changes")], pool_be, "persistent");
    assert_rel(r.feat[feature(&t, "presence")], pool_be, "presence (grace 0)");
    assert_rel(r.feat[feature(&t, "conferencing")], pool_be * s, "conferencing");
    assert_rel(r.feat[feature(&t, "address_book")], pool * s, "address_book");
    /* Groups alone: both FEs, or one FE with the BE. */
    double grp = f1 * f2 + (f1 * (1 - f2) + (1 - f1) * f2) * b;
    assert_rel(r.d.groups_writable, grp, "groups writable");
    qr_topology_release(&t);
}

static void test_exact_four_frontends_backend(void **state)
{
    (void)state;
    qr_topology t;
    int fe[4];
    fx_init(&t);
    add_frontends(&t, 4, (double[]){ 0.98, 0.98, 0.98, 0.98 }, fe);
    int sql = fx_server(&t, "sql", 0.99);
    int fs = fx_server(&t, "fs", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, fs);
    result r;
    run_exact(&t, &r);
    double f = fx_a(&t, fe[0]), q = 1 - f, b = fx_a(&t, sql);
    /* 5 votes, 3 needed: 4 or 3 FEs, or 2 FEs and the BE. */
    double pool = pow(f, 4) + 4 * pow(f, 3) * q + 6 * f * f * q * q * b;
    assert_rel(r.d.pool, pool, "pool 4 FE + BE");
    qr_topology_release(&t);
}

static void test_exact_seed_subsets(void **state)
{
    (void)state;
    /* M1.1: 8 FEs -> 4 of the first 7; 12 FEs -> 5 of the first 9. The
     * non-seed front ends still hold replicas (they are enumerated) but do
     * not change the pool's availability. */
    static const struct { int n, seeds, need; } cases[] = {
        { 8, 7, 4 }, { 12, 9, 5 },
    };
    for (size_t k = 0; k < 2; k++) {
        qr_topology t;
        int fe[12];
        double a[12];
        for (int i = 0; i < 12; i++)
            a[i] = 0.9;
        fx_init(&t);
        add_frontends(&t, cases[k].n, a, fe);
        int sql = fx_server(&t, "sql", 1.0);
        fx_standalone(&t, sql);
        fx_share(&t, sql);
        result r;
        run_exact(&t, &r);
        assert_int_equal(r.d.n_enumerated, cases[k].n);
        assert_rel(r.d.pool, k_of_n(cases[k].need, cases[k].seeds, fx_a(&t, fe[0])),
                   "pool of seeds");
        qr_topology_release(&t);
    }
}

static void test_exact_mirroring_witness(void **state)
{
    (void)state;
    qr_topology t;
    int fe[3];
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 1.0, 1.0, 1.0 }, fe);
    int p = fx_server(&t, "sqlp", 0.99), m = fx_server(&t, "sqlm", 0.98);
    int w = fx_server(&t, "sqlw", 0.9);
    fx_mirroring(&t, p, m, w);
    fx_share(&t, fe[0]);
    result r;
    run_exact(&t, &r);
    double ap = fx_a(&t, p), am = fx_a(&t, m), aw = fx_a(&t, w);
    /* 2 of 3 always includes a partner. */
    double be = two_of_three(ap, am, aw);
    assert_rel(r.d.backend, be, "mirroring with witness");
    assert_rel(r.feat[feature(&t, "persistent_changes")], be, "persistent");
    assert_rel(r.d.pool, 1.0, "pool never fails");
    qr_topology_release(&t);

    /* Without witness: either partner (parallel). */
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 1.0, 1.0, 1.0 }, fe);
    p = fx_server(&t, "sqlp", 0.99);
    m = fx_server(&t, "sqlm", 0.98);
    fx_mirroring(&t, p, m, -1);
    fx_share(&t, fe[0]);
    run_exact(&t, &r);
    ap = fx_a(&t, p);
    am = fx_a(&t, m);
    assert_rel(r.d.backend, 1 - (1 - ap) * (1 - am), "mirroring without witness");
    qr_topology_release(&t);
}

static void test_exact_dfs_parallel_share_series(void **state)
{
    (void)state;
    qr_topology t;
    int fe[3];
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 1.0, 1.0, 1.0 }, fe);
    int d1 = fx_server(&t, "d1", 0.9), d2 = fx_server(&t, "d2", 0.8);
    int d3 = fx_server(&t, "d3", 0.7);
    fx_standalone(&t, fe[0]);
    fx_dfs(&t, (int[]){ d1, d2, d3 }, 3);
    result r;
    run_exact(&t, &r);
    double fs = 1 - (1 - fx_a(&t, d1)) * (1 - fx_a(&t, d2)) * (1 - fx_a(&t, d3));
    assert_rel(r.d.file_store, fs, "dfs");
    assert_rel(r.feat[feature(&t, "address_book")], fs, "address_book");
    qr_topology_release(&t);

    /* A share on a server on a host in a site: series. */
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 1.0, 1.0, 1.0 }, fe);
    int site = fx_avail(&t, "dc", QR_COMP_SITE, -1, -1, 0.9999);
    int host = fx_avail(&t, "hv", QR_COMP_HOST, site, -1, 0.999);
    int srv = fx_avail(&t, "fs", QR_COMP_SERVER, site, host, 0.99);
    fx_standalone(&t, fe[0]);
    fx_share(&t, srv);
    run_exact(&t, &r);
    assert_int_equal(r.d.n_enumerated, 3);
    assert_rel(r.d.file_store, fx_a(&t, site) * fx_a(&t, host) * fx_a(&t, srv),
               "share in series");
    qr_topology_release(&t);
}

static void test_exact_host_containment(void **state)
{
    (void)state;
    /* Three FEs on one host: host availability times 2 of 3. */
    qr_topology t;
    fx_init(&t);
    int host = fx_avail(&t, "hv", QR_COMP_HOST, -1, -1, 0.995);
    int fe[3];
    for (int i = 0; i < 3; i++) {
        char name[24];
        snprintf(name, sizeof(name), "fe%d", i);
        fe[i] = fx_avail(&t, name, QR_COMP_SERVER, -1, host, 0.97 + 0.01 * i);
    }
    fx_frontends(&t, fe, 3);
    int sql = fx_server(&t, "sql", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, sql);
    result r;
    run_exact(&t, &r);
    double want = fx_a(&t, host) *
                  two_of_three(fx_a(&t, fe[0]), fx_a(&t, fe[1]), fx_a(&t, fe[2]));
    assert_rel(r.d.pool, want, "host x 2 of 3");
    qr_topology_release(&t);
}

static void test_exact_two_sites(void **state)
{
    (void)state;
    /* fe0, fe1 in site A, fe2 in site B, a link between them (ignored). */
    qr_topology t;
    fx_init(&t);
    int sa = fx_avail(&t, "A", QR_COMP_SITE, -1, -1, 0.999);
    int sb = fx_avail(&t, "B", QR_COMP_SITE, -1, -1, 0.998);
    int link = fx_avail(&t, "A-B", QR_COMP_LINK, -1, -1, 0.99);
    t.comps[link].link_a = sa;
    t.comps[link].link_b = sb;
    int fe[3];
    fe[0] = fx_avail(&t, "fe0", QR_COMP_SERVER, sa, -1, 0.99);
    fe[1] = fx_avail(&t, "fe1", QR_COMP_SERVER, sa, -1, 0.98);
    fe[2] = fx_avail(&t, "fe2", QR_COMP_SERVER, sb, -1, 0.97);
    fx_frontends(&t, fe, 3);
    int sql = fx_server(&t, "sql", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, sql);
    result r;
    run_exact(&t, &r);
    double a = fx_a(&t, sa), b = fx_a(&t, sb);
    double f0 = fx_a(&t, fe[0]), f1 = fx_a(&t, fe[1]), f2 = fx_a(&t, fe[2]);
    /* A down leaves at most one vote; B down leaves fe0 and fe1. */
    double want = a * b * two_of_three(f0, f1, f2) + a * (1 - b) * f0 * f1;
    assert_int_equal(r.d.n_enumerated, 5);          /* the link is not */
    assert_rel(r.d.pool, want, "two sites");
    qr_topology_release(&t);
}

static void test_exact_cluster_two_nodes_fsw(void **state)
{
    (void)state;
    qr_topology t;
    int fe[3];
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 1.0, 1.0, 1.0 }, fe);
    int n1 = fx_server(&t, "n1", 0.99), n2 = fx_server(&t, "n2", 0.98);
    int w = fx_server(&t, "w", 0.95);
    int san = fx_avail(&t, "san", QR_COMP_STORAGE, -1, -1, 0.999);
    int c = fx_cluster(&t, "c", (int[]){ n1, n2 }, NULL, 2, QR_WITNESS_FILE_SHARE, w);
    fx_alwayson(&t, c, (int[]){ n1, n2 }, 2);
    fx_share(&t, fe[0]);
    result r;
    run_exact(&t, &r);
    double a1 = fx_a(&t, n1), a2 = fx_a(&t, n2), aw = fx_a(&t, w);
    double quorum = two_of_three(a1, a2, aw);
    assert_int_equal(r.d.n_enumerated, 3);          /* the SAN is unused */
    assert_rel(r.d.backend, quorum, "alwayson on 2 nodes + FSW");
    qr_topology_release(&t);

    /* FCI on the same cluster with its disk; cluster file store on a
     * second disk: disk times quorum (a node is up whenever 2 of 3 are). */
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 1.0, 1.0, 1.0 }, fe);
    n1 = fx_server(&t, "n1", 0.99);
    n2 = fx_server(&t, "n2", 0.98);
    w = fx_server(&t, "w", 0.95);
    san = fx_avail(&t, "san", QR_COMP_STORAGE, -1, -1, 0.999);
    int san2 = fx_avail(&t, "san2", QR_COMP_STORAGE, -1, -1, 0.997);
    c = fx_cluster(&t, "c", (int[]){ n1, n2 }, NULL, 2, QR_WITNESS_FILE_SHARE, w);
    fx_fci(&t, c, san);
    fx_fs_cluster(&t, c, san2);
    run_exact(&t, &r);
    a1 = fx_a(&t, n1);
    a2 = fx_a(&t, n2);
    aw = fx_a(&t, w);
    quorum = two_of_three(a1, a2, aw);
    assert_rel(r.d.backend, fx_a(&t, san) * quorum, "fci");
    assert_rel(r.d.file_store, fx_a(&t, san2) * quorum, "file-share cluster");
    /* conferencing needs both: quorum * both disks. */
    assert_rel(r.feat[feature(&t, "conferencing")],
               quorum * fx_a(&t, san) * fx_a(&t, san2), "conferencing");
    qr_topology_release(&t);
}

static void test_exact_alwayson_one_replica(void **state)
{
    (void)state;
    /* Three nodes, no witness (2 of 3 votes), only n1 a failover replica:
     * n1 up and at least one of n2, n3. */
    qr_topology t;
    int fe[3];
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 1.0, 1.0, 1.0 }, fe);
    int n1 = fx_server(&t, "n1", 0.99), n2 = fx_server(&t, "n2", 0.9);
    int n3 = fx_server(&t, "n3", 0.8);
    int c = fx_cluster(&t, "c", (int[]){ n1, n2, n3 }, NULL, 3, QR_WITNESS_NONE, -1);
    fx_alwayson(&t, c, (int[]){ n1 }, 1);
    fx_share(&t, fe[0]);
    result r;
    run_exact(&t, &r);
    double a2 = fx_a(&t, n2), a3 = fx_a(&t, n3);
    assert_rel(r.d.backend, fx_a(&t, n1) * (a2 + a3 - a2 * a3), "alwayson replica n1");
    qr_topology_release(&t);
}

static void test_exact_user_weighted_groups(void **state)
{
    (void)state;
    /* Four front ends of different availabilities, R = 3, G = 5: the
     * groups sit on different triples, so presence is the mean over groups
     * of 2-of-3 on each group's triple (a writable group has 2 FEs up,
     * which with the Back End never failing also gives the pool). And
     * persistent_changes = pool AND group AND backend = b * that mean. */
    qr_topology t;
    int fe[4];
    double a[4] = { 0.99, 0.95, 0.9, 0.8 };
    fx_init(&t);
    add_frontends(&t, 4, a, fe);
    int sql = fx_server(&t, "sql", 0.97);
    fx_standalone(&t, sql);
    fx_share(&t, fx_server(&t, "fs", 1.0));
    t.pool.routing_groups = 5;
    result r;
    run_exact(&t, &r);

    sim_placement pl;
    assert_int_equal(sim_placement_init(&pl, &t), 0);
    double mean = 0;
    int distinct = 0;
    for (int g = 0; g < 5; g++) {
        const int *rep = &pl.replicas[g * 3];
        mean += two_of_three(fx_a(&t, fe[rep[0]]), fx_a(&t, fe[rep[1]]),
                             fx_a(&t, fe[rep[2]])) / 5;
        if (g > 0 && rep[0] + rep[1] + rep[2] != pl.replicas[0] + pl.replicas[1] + pl.replicas[2])
            distinct = 1;
    }
    assert_true(distinct);                          /* the groups do differ */
    double b = fx_a(&t, sql);
    assert_rel(r.feat[feature(&t, "persistent_changes")], b * mean,
               "persistent_changes user-weighted");
    assert_rel(r.d.groups_writable, mean, "groups writable");
    /* pool: 4 seeds + BE, 3 of 5 votes. */
    double f[4];
    for (int i = 0; i < 4; i++)
        f[i] = fx_a(&t, fe[i]);
    double pool = 0;
    for (unsigned x = 0; x < 16; x++) {
        double p = 1;
        int up = 0;
        for (int i = 0; i < 4; i++) {
            p *= (x >> i & 1u) ? f[i] : 1 - f[i];
            up += x >> i & 1u;
        }
        pool += p * (up >= 3 ? 1.0 : up == 2 ? b : 0.0);
    }
    assert_rel(r.d.pool, pool, "pool");
    assert_rel(r.feat[feature(&t, "signin_im")], pool, "signin_im");
    sim_placement_release(&pl);
    qr_topology_release(&t);
}

static void test_exact_m18_mirror_design(void **state)
{
    (void)state;
    /* 2.x: FE + SQL on s1 and s2, mirroring with witness w, DFS on both.
     * Pool up: both, or one of them with the witness (the BE vote). */
    qr_topology t;
    fx_init(&t);
    int s1 = fx_server(&t, "s1", 0.99), s2 = fx_server(&t, "s2", 0.98);
    int w = fx_server(&t, "w", 0.95);
    fx_frontends(&t, (int[]){ s1, s2 }, 2);
    fx_mirroring(&t, s1, s2, w);
    fx_dfs(&t, (int[]){ s1, s2 }, 2);
    result r;
    run_exact(&t, &r);
    double a1 = fx_a(&t, s1), a2 = fx_a(&t, s2), aw = fx_a(&t, w);
    double pool = a1 * a2 + (a1 * (1 - a2) + (1 - a1) * a2) * aw;
    assert_rel(r.d.pool, pool, "2.x pool");
    assert_rel(r.d.backend, two_of_three(a1, a2, aw), "2.x backend");
    /* In every pool-up state the BE serves and a replica is up, so the
     * group (R = 2) is writable: persistent_changes == pool. */
    assert_rel(r.feat[feature(&t, "persistent_changes")], pool, "2.x persistent");
    qr_topology_release(&t);
}

static void test_exact_nothing_fails(void **state)
{
    (void)state;
    qr_topology t;
    int fe[3];
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 1.0, 1.0, 1.0 }, fe);
    fx_standalone(&t, fe[0]);
    fx_share(&t, fe[1]);
    /* Components that fail but matter to nothing are not enumerated. */
    for (int i = 0; i < 40; i++) {
        char name[24];
        snprintf(name, sizeof(name), "spare%d", i);
        fx_server(&t, name, 0.5);
    }
    result r;
    run_exact(&t, &r);
    assert_int_equal(r.d.n_enumerated, 0);
    assert_true(r.d.pool == 1.0);
    for (int f = 0; f < t.n_features; f++)
        assert_true(r.feat[f] == 1.0);
    qr_topology_release(&t);
}

static void test_exact_too_many_components(void **state)
{
    (void)state;
    qr_topology t;
    int fe[3], dfs[25];
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 1.0, 1.0, 1.0 }, fe);
    for (int i = 0; i < 25; i++) {
        char name[24];
        snprintf(name, sizeof(name), "d%d", i);
        dfs[i] = fx_server(&t, name, 0.9);
    }
    fx_standalone(&t, fe[0]);
    fx_dfs(&t, dfs, 25);
    char err[200] = "";
    double feat[8], pool = -1;
    /* -2: a limit, which callers report as "not computed"; -1 is out of
     * memory, which they must not swallow (finding 11 of issue 13). */
    assert_int_equal(sim_exact_availability(&t, feat, &pool, err, sizeof(err)), -2);
    assert_non_null(strstr(err, "25 components"));
    assert_non_null(strstr(err, "24"));
    /* err may be absent. */
    assert_int_equal(sim_exact_availability(&t, feat, &pool, NULL, 0), -2);
    sim_exact_conditionals c;
    assert_int_equal(sim_exact_importance(&t, &c, err, sizeof(err)), -2);
    qr_topology_release(&t);
}

static void test_exact_twelve_frontends_fast(void **state)
{
    (void)state;
    /* 12 FEs, mirroring with witness, DFS on two more servers: 17
     * components, 131072 states. */
    qr_topology t;
    int fe[12];
    double a[12];
    for (int i = 0; i < 12; i++)
        a[i] = 0.99 - 0.001 * i;
    fx_init(&t);
    add_frontends(&t, 12, a, fe);
    int p = fx_server(&t, "sqlp", 0.995), m = fx_server(&t, "sqlm", 0.995);
    int w = fx_server(&t, "sqlw", 0.99);
    int d1 = fx_server(&t, "d1", 0.99), d2 = fx_server(&t, "d2", 0.99);
    fx_mirroring(&t, p, m, w);
    fx_dfs(&t, (int[]){ d1, d2 }, 2);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    result r;
    run_exact(&t, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    assert_int_equal(r.d.n_enumerated, 17);
    /* Two calls (run_exact checks both entry points); generous bound so
     * that sanitizer builds pass too. */
    if (secs > 10.0)
        fail_msg("exact computation took %.2f s", secs);

    /* Pool: 5 of the first 9 (odd seed count, no BE vote), by a direct
     * sum over the 2^9 seed states. */
    double pool = 0;
    for (unsigned x = 0; x < 512; x++) {
        double pr = 1;
        int up = 0;
        for (int i = 0; i < 9; i++) {
            double ai = fx_a(&t, fe[i]);
            pr *= (x >> i & 1u) ? ai : 1 - ai;
            up += x >> i & 1u;
        }
        if (up >= 5)
            pool += pr;
    }
    assert_rel(r.d.pool, pool, "12-FE pool");
    double be = two_of_three(fx_a(&t, p), fx_a(&t, m), fx_a(&t, w));
    double fs = 1 - (1 - fx_a(&t, d1)) * (1 - fx_a(&t, d2));
    assert_rel(r.d.backend, be, "backend");
    assert_rel(r.d.file_store, fs, "file store");
    /* p2p_calls needs the pool only; address_book pool and file store
     * (independent parts). */
    assert_rel(r.feat[feature(&t, "p2p_calls")], pool, "p2p_calls");
    assert_rel(r.feat[feature(&t, "address_book")], pool * fs, "address_book");
    qr_topology_release(&t);
}

static qr_topology *load_yaml(const char *name, const char *text)
{
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, name), 0);
    int rc = qr_topology_load_buffer(name, text, strlen(text), &t, &d);
    if (rc != 0)
        fail_msg("%s: loader returned %d (%s)", name, rc,
                 d.n > 0 ? d.items[0].message : "no diagnostic");
    qr_diags_release(&d);
    return t;
}

static void test_exact_yaml_two_sites(void **state)
{
    (void)state;
    static const char yaml[] =
        "name: two sites\n"
        "defaults:\n"
        "  server: { mtbf: 6mo, mttr: 4h }\n"
        "  site: { mtbf: 10y, mttr: 24h }\n"
        "sites: [ { name: dc1 }, { name: dc2 }, { name: dc3 } ]\n"
        "links: [ { between: [dc1, dc2] } ]\n"
        "servers:\n"
        "  - { name: fe1, site: dc1 }\n"
        "  - { name: fe2, site: dc1 }\n"
        "  - { name: fe3, site: dc2 }\n"
        "  - { name: sql1, site: dc1 }\n"
        "  - { name: sql2, site: dc2 }\n"
        "  - { name: sqlw, site: dc3 }\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [fe1, fe2, fe3]\n"
        "  backend: { mirroring: { principal: sql1, mirror: sql2, witness: sqlw } }\n"
        "  file_store: { dfs: [sql1, sql2] }\n";
    qr_topology *t = load_yaml("two-sites.yaml", yaml);
    result r;
    run_exact(t, &r);
    assert_int_equal(r.d.n_enumerated, 9);          /* 6 servers, 3 sites */
    double sv = fx_a(t, qr_topology_find(t, "fe1"));
    double ds = fx_a(t, qr_topology_find(t, "dc1"));
    /* Condition on the three sites; given them, servers are independent. */
    double pool = 0, pool_be = 0, pool_fs = 0;
    for (unsigned x = 0; x < 8; x++) {
        int a = x & 1u, b = (x >> 1) & 1u, c = (x >> 2) & 1u;
        double ps = (a ? ds : 1 - ds) * (b ? ds : 1 - ds) * (c ? ds : 1 - ds);
        double ea = a ? sv : 0, eb = b ? sv : 0, ec = c ? sv : 0;
        double p_pool = two_of_three(ea, ea, eb);      /* fe1, fe2 in dc1 */
        double p_be = two_of_three(ea, eb, ec);        /* sql1, sql2, sqlw */
        double p_fs = 1 - (1 - ea) * (1 - eb);
        pool += ps * p_pool;
        pool_be += ps * p_pool * p_be;
        pool_fs += ps * p_pool * p_fs;
    }
    assert_rel(r.d.pool, pool, "pool over sites");
    assert_rel(r.feat[feature(t, "persistent_changes")], pool_be, "persistent");
    /* The back end serving needs sql1 or sql2, so it implies DFS. */
    assert_rel(r.feat[feature(t, "conferencing")], pool_be, "conferencing");
    assert_rel(r.feat[feature(t, "address_book")], pool_fs, "address_book");
    qr_topology_free(t);
}

/* The same sums by the plainest enumeration: every state's probability
 * as a fresh product, in binary order. */
static void naive_exact(const qr_topology *t, double *feat, double *pool)
{
    sim_structure *s = sim_structure_new(t);
    assert_non_null(s);
    int nc = t->n_comps;
    unsigned char *rel = calloc((size_t)nc + 1, 1), *up = malloc((size_t)nc + 1);
    unsigned char *eff = malloc((size_t)nc + 1);
    int *var = malloc(((size_t)nc + 1) * sizeof(int));
    double *fup = calloc((size_t)t->n_features + 1, sizeof(double));
    long double *sum = calloc((size_t)t->n_features + 1, sizeof(long double));
    assert_true(rel && up && eff && var && fup && sum);
    sim_structure_relevant(s, rel);
    int n = 0;
    for (int i = 0; i < nc; i++)
        if (rel[i] && qr_component_availability(&t->comps[i]) < 1)
            var[n++] = i;
    long double p_pool = 0;
    for (unsigned long x = 0; x < (1ul << n); x++) {
        long double p = 1;
        memset(up, 1, (size_t)nc + 1);
        for (int j = 0; j < n; j++) {
            double a = qr_component_availability(&t->comps[var[j]]);
            up[var[j]] = (x >> j) & 1u;
            p *= up[var[j]] ? a : 1 - a;
        }
        sim_structure_effective(s, up, eff);
        if (sim_structure_eval(s, eff, fup))
            p_pool += p;
        for (int f = 0; f < t->n_features; f++)
            sum[f] += p * fup[f];
    }
    for (int f = 0; f < t->n_features; f++)
        feat[f] = (double)sum[f];
    *pool = (double)p_pool;
    free(sum);
    free(fup);
    free(var);
    free(eff);
    free(up);
    free(rel);
    sim_structure_free(s);
}

static void test_exact_bundled_designs(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("topologies/*.yaml", 0, NULL, &g), 0);
    assert_true(g.gl_pathc >= 1);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        qr_diags d;
        qr_topology *t = NULL;
        assert_int_equal(qr_diags_init(&d, g.gl_pathv[i]), 0);
        if (qr_topology_load_file(g.gl_pathv[i], &t, &d) != 0)
            fail_msg("%s does not load", g.gl_pathv[i]);
        qr_diags_release(&d);
        result r;
        run_exact(t, &r);
        assert_true(r.d.n_enumerated <= SIM_EXACT_MAX_COMPONENTS);
        assert_true(r.d.pool > 0.99 && r.d.pool <= 1.0);
        for (int f = 0; f < t->n_features; f++) {
            assert_true(r.feat[f] >= 0.0);
            /* every built-in feature needs the pool */
            assert_true(r.feat[f] <= r.d.pool * (1 + 1e-15));
        }
        assert_true(r.feat[feature(t, "p2p_calls")] == r.d.pool);
        if (r.d.n_enumerated <= 16) {
            /* Gray-code walk and product tables against the plain sum
             * (1e-12 covers the plain sum's own rounding). */
            double feat[16], pool;
            naive_exact(t, feat, &pool);
            assert_rel(r.d.pool, pool, g.gl_pathv[i]);
            for (int f = 0; f < t->n_features; f++)
                assert_rel(r.feat[f], feat[f], t->features[f].name);
        }
        qr_topology_free(t);
    }
    globfree(&g);
}

/* sim_exact_conditional() on the 2-of-3 pool of three front ends (a
 * standalone Back End that never fails): with fe0 held up the pool needs
 * one of the other two, held down it needs both, so Birnbaum's importance
 * is P(fe1 or fe2) - P(fe1 and fe2). Holding down a component that never
 * fails takes everything on it down (M0.2 for its contents). */
static void test_exact_conditional_two_of_three(void **state)
{
    (void)state;
    qr_topology t;
    int fe[3];
    char err[256] = "";
    fx_init(&t);
    add_frontends(&t, 3, (double[]){ 0.99, 0.98, 0.95 }, fe);
    int sql = fx_server(&t, "sql", 1.0);
    fx_standalone(&t, sql);
    fx_share(&t, sql);
    double p1 = fx_a(&t, fe[1]), p2 = fx_a(&t, fe[2]);
    double up[16], down[16];
    sim_exact_detail d;
    assert_int_equal(sim_exact_conditional(&t, fe[0], 1, up, &d, err, sizeof(err)), 0);
    assert_int_equal(d.n_enumerated, 2);
    assert_rel(d.pool, p1 + p2 - p1 * p2, "pool | fe0 up");
    assert_int_equal(sim_exact_conditional(&t, fe[0], 0, down, &d, err, sizeof(err)), 0);
    assert_rel(d.pool, p1 * p2, "pool | fe0 down");
    int p2p = feature(&t, "p2p_calls");
    assert_rel(up[p2p] - down[p2p], p1 + p2 - 2 * p1 * p2, "Birnbaum fe0");

    /* The SQL server never fails; held down, the Back End and the file
     * store are gone, so every feature needing them is 0. */
    assert_int_equal(sim_exact_conditional(&t, sql, 0, down, &d, err, sizeof(err)), 0);
    assert_true(d.backend == 0.0 && d.file_store == 0.0);
    assert_true(down[feature(&t, "conferencing")] == 0.0);
    assert_rel(down[p2p], two_of_three(fx_a(&t, fe[0]), p1, p2), "p2p without SQL");

    assert_int_equal(sim_exact_conditional(&t, 99, 1, up, &d, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "99"));
    qr_topology_release(&t);
}

/* sim_exact_importance() gives, from one walk, what sim_exact_conditional()
 * gives per component, on every bundled design and a hand-made one. */
static void check_importance(const qr_topology *t, const char *what)
{
    char err[256] = "";
    sim_exact_conditionals c;
    int nf = t->n_features;
    if (sim_exact_importance(t, &c, err, sizeof(err)) != 0)
        fail_msg("%s: sim_exact_importance: %s", what, err);
    result r;
    run_exact(t, &r);
    assert_int_equal(c.n, r.d.n_enumerated);
    assert_rel(c.avail[nf], r.d.pool, what);
    for (int f = 0; f < nf; f++)
        assert_rel(c.avail[f], r.feat[f], what);
    for (int j = 0; j < c.n; j++) {
        double up[16], down[16];
        sim_exact_detail du, dd;
        assert_int_equal(sim_exact_conditional(t, c.comp[j], 1, up, &du, err, sizeof(err)), 0);
        assert_int_equal(sim_exact_conditional(t, c.comp[j], 0, down, &dd, err, sizeof(err)), 0);
        assert_rel(c.p_down[j], 1 - fx_a(t, c.comp[j]), "p_down");
        for (int f = 0; f < nf; f++) {
            assert_rel(c.avail_up[(size_t)j * (nf + 1) + f], up[f], t->comps[c.comp[j]].name);
            assert_rel(c.avail_down[(size_t)j * (nf + 1) + f], down[f], t->comps[c.comp[j]].name);
        }
        assert_rel(c.avail_up[(size_t)j * (nf + 1) + nf], du.pool, "pool | up");
        assert_rel(c.avail_down[(size_t)j * (nf + 1) + nf], dd.pool, "pool | down");
        /* Total probability: A = a A(up) + q A(down). */
        for (int f = 0; f <= nf; f++) {
            double q = c.p_down[j];
            assert_rel((1 - q) * c.avail_up[(size_t)j * (nf + 1) + f] +
                           q * c.avail_down[(size_t)j * (nf + 1) + f],
                       c.avail[f], "total probability");
        }
    }
    sim_exact_conditionals_release(&c);
    sim_exact_conditionals_release(&c); /* released twice: a no-op */
}

static void test_exact_importance_matches_conditional(void **state)
{
    (void)state;
    qr_topology t;
    int fe[2];
    fx_init(&t);
    add_frontends(&t, 2, (double[]){ 0.99, 0.98 }, fe);
    int sql = fx_server(&t, "sql", 0.995);
    int fs = fx_server(&t, "fs", 0.999);
    fx_standalone(&t, sql);
    fx_share(&t, fs);
    check_importance(&t, "two front ends");
    qr_topology_release(&t);

    glob_t g;
    assert_int_equal(glob("topologies/*.yaml", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        qr_diags d;
        qr_topology *tp = NULL;
        assert_int_equal(qr_diags_init(&d, g.gl_pathv[i]), 0);
        if (qr_topology_load_file(g.gl_pathv[i], &tp, &d) != 0)
            fail_msg("%s does not load", g.gl_pathv[i]);
        qr_diags_release(&d);
        /* Per-component walks are 2n full enumerations: small designs. */
        result r;
        run_exact(tp, &r);
        if (r.d.n_enumerated <= 12)
            check_importance(tp, g.gl_pathv[i]);
        qr_topology_free(tp);
    }
    globfree(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_three_frontends),
        cmocka_unit_test(test_exact_unavailability_keeps_digits),
        cmocka_unit_test(test_exact_two_frontends_standalone),
        cmocka_unit_test(test_exact_four_frontends_backend),
        cmocka_unit_test(test_exact_seed_subsets),
        cmocka_unit_test(test_exact_mirroring_witness),
        cmocka_unit_test(test_exact_dfs_parallel_share_series),
        cmocka_unit_test(test_exact_host_containment),
        cmocka_unit_test(test_exact_two_sites),
        cmocka_unit_test(test_exact_cluster_two_nodes_fsw),
        cmocka_unit_test(test_exact_alwayson_one_replica),
        cmocka_unit_test(test_exact_user_weighted_groups),
        cmocka_unit_test(test_exact_m18_mirror_design),
        cmocka_unit_test(test_exact_nothing_fails),
        cmocka_unit_test(test_exact_too_many_components),
        cmocka_unit_test(test_exact_twelve_frontends_fast),
        cmocka_unit_test(test_exact_yaml_two_sites),
        cmocka_unit_test(test_exact_bundled_designs),
        cmocka_unit_test(test_exact_conditional_two_of_three),
        cmocka_unit_test(test_exact_importance_matches_conditional),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
