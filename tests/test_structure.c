/*
 * test_structure.c: the static structure function of M9 (src/exact/structure.h):
 * containment (M0.2), pool quorum with seeds and the Back End vote (M1.1,
 * M1.2), routing groups (M2.2), every back end form (M3, M4.6, M4.7), the
 * static cluster quorum (M4.1, M9), the file stores (M5.1), the feature
 * needs (M6) and the M1.8 two-server mirror design, state by state; the
 * graceful variant (M1.3 votes, M2.3 replica moves, M4.2 dynamic quorum).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "model/loader.h"
#include "model/placement.h"
#include "exact/structure.h"

#define MAXC 64

/* A topology with its structure and state vectors. */
typedef struct {
    qr_topology    t;
    sim_structure *s;
    unsigned char  up[MAXC], eff[MAXC];
    double         feat[16];
    sim_services   sv;
} rig;

static void rig_build(rig *r)
{
    assert_true(r->t.n_comps <= MAXC);
    r->s = sim_structure_new(&r->t);
    assert_non_null(r->s);
    assert_int_equal(sim_structure_n_comps(r->s), r->t.n_comps);
    assert_int_equal(sim_structure_n_features(r->s), r->t.n_features);
}

static void rig_release(rig *r)
{
    sim_structure_free(r->s);
    qr_topology_release(&r->t);
}

/* Everything up except the listed components (-1 ends the list). */
static int rig_eval_down(rig *r, const int *down)
{
    fx_all_up(r->up, r->t.n_comps);
    for (int i = 0; down && down[i] >= 0; i++)
        r->up[down[i]] = 0;
    sim_structure_effective(r->s, r->up, r->eff);
    sim_structure_services(r->s, r->eff, &r->sv);
    int pool = sim_structure_eval(r->s, r->eff, r->feat);
    assert_int_equal(pool, r->sv.pool_up);
    return pool;
}

/* Set up[comps[j]] from bit j of mask (1 = up), others up, and evaluate. */
static void rig_eval_mask(rig *r, const int *comps, int n, unsigned mask)
{
    fx_all_up(r->up, r->t.n_comps);
    for (int j = 0; j < n; j++)
        r->up[comps[j]] = (mask >> j) & 1u;
    sim_structure_effective(r->s, r->up, r->eff);
    sim_structure_eval_services(r->s, r->eff, r->feat, &r->sv);
}

static int popcount(unsigned x)
{
    int n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

/* A pool of n front ends called fe0.. with availability 0.99 each. */
static void add_frontends(rig *r, int n, int *fe)
{
    for (int i = 0; i < n; i++) {
        char name[24];
        snprintf(name, sizeof(name), "fe%d", i);
        fe[i] = fx_server(&r->t, name, 0.99);
    }
    fx_frontends(&r->t, fe, n);
}

static void test_structure_containment(void **state)
{
    (void)state;
    rig r;
    fx_init(&r.t);
    int site = fx_avail(&r.t, "dc1", QR_COMP_SITE, -1, -1, 0.999);
    int host = fx_avail(&r.t, "hv1", QR_COMP_HOST, site, -1, 0.99);
    int a = fx_avail(&r.t, "a", QR_COMP_SERVER, site, host, 0.99);
    int b = fx_avail(&r.t, "b", QR_COMP_SERVER, site, -1, 0.99);
    int d = fx_avail(&r.t, "san", QR_COMP_STORAGE, site, -1, 0.99);
    int c = fx_avail(&r.t, "cw", QR_COMP_CLOUD_WITNESS, -1, -1, 0.99);
    int bare = fx_server(&r.t, "bare", 0.99);
    int fe[] = { a, b, bare };
    fx_frontends(&r.t, fe, 3);
    fx_standalone(&r.t, b);
    fx_share(&r.t, b);
    rig_build(&r);

    rig_eval_down(&r, (int[]){ host, -1 });       /* M0.2: host takes its servers */
    assert_int_equal(r.eff[a], 0);
    assert_int_equal(r.eff[b], 1);
    assert_int_equal(r.eff[d], 1);
    assert_int_equal(r.eff[host], 0);
    assert_int_equal(r.eff[site], 1);

    rig_eval_down(&r, (int[]){ site, -1 });       /* a site takes everything in it */
    assert_int_equal(r.eff[host], 0);
    assert_int_equal(r.eff[a], 0);
    assert_int_equal(r.eff[b], 0);
    assert_int_equal(r.eff[d], 0);
    assert_int_equal(r.eff[c], 1);
    assert_int_equal(r.eff[bare], 1);
    assert_int_equal(r.sv.pool_up, 0);            /* 1 of 3 seeds */

    rig_eval_down(&r, (int[]){ -1 });
    for (int i = 0; i < r.t.n_comps; i++)
        assert_int_equal(r.eff[i], 1);
    assert_int_equal(r.sv.pool_up, 1);
    rig_release(&r);
}

static void test_structure_effective_update(void **state)
{
    (void)state;
    /* Flipping one component at a time and updating incrementally gives
     * the same eff[] as recomputing it, through hosts and sites. */
    rig r;
    fx_init(&r.t);
    int s1 = fx_avail(&r.t, "dc1", QR_COMP_SITE, -1, -1, 0.999);
    int s2 = fx_avail(&r.t, "dc2", QR_COMP_SITE, -1, -1, 0.999);
    int h1 = fx_avail(&r.t, "hv1", QR_COMP_HOST, s1, -1, 0.99);
    int h2 = fx_avail(&r.t, "hv2", QR_COMP_HOST, s2, -1, 0.99);
    int fe[4];
    fe[0] = fx_avail(&r.t, "fe0", QR_COMP_SERVER, s1, h1, 0.99);
    fe[1] = fx_avail(&r.t, "fe1", QR_COMP_SERVER, s1, h1, 0.99);
    fe[2] = fx_avail(&r.t, "fe2", QR_COMP_SERVER, s2, h2, 0.99);
    fe[3] = fx_avail(&r.t, "fe3", QR_COMP_SERVER, s2, -1, 0.99);
    int san = fx_avail(&r.t, "san", QR_COMP_STORAGE, s2, -1, 0.99);
    fx_frontends(&r.t, fe, 4);
    fx_standalone(&r.t, fe[3]);
    fx_share(&r.t, fe[0]);
    (void)san;
    rig_build(&r);
    unsigned char full[MAXC];
    fx_all_up(r.up, r.t.n_comps);
    sim_structure_effective(r.s, r.up, r.eff);
    unsigned x = 7u;
    for (int step = 0; step < 2000; step++) {
        x = x * 1103515245u + 12345u;
        int c = (int)((x >> 16) % (unsigned)r.t.n_comps);
        r.up[c] ^= 1;
        sim_structure_effective_update(r.s, r.up, r.eff, c);
        sim_structure_effective(r.s, r.up, full);
        assert_memory_equal(r.eff, full, (size_t)r.t.n_comps);
    }
    sim_structure_effective_update(r.s, r.up, r.eff, -1);   /* ignored */
    sim_structure_effective_update(r.s, r.up, r.eff, r.t.n_comps);
    assert_memory_equal(r.eff, full, (size_t)r.t.n_comps);
    rig_release(&r);
}

static void test_structure_pool_three_frontends(void **state)
{
    (void)state;
    rig r;
    int fe[3];
    fx_init(&r.t);
    add_frontends(&r, 3, fe);
    int sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    rig_build(&r);
    /* M1.2: 3 seeds, odd, no Back End vote: any 2 of 3. */
    for (unsigned m = 0; m < 8; m++) {
        rig_eval_mask(&r, fe, 3, m);
        assert_int_equal(r.sv.pool_up, popcount(m) >= 2);
    }
    /* The Back End does not vote with an odd seed count. */
    rig_eval_mask(&r, (int[]){ fe[0], sql }, 2, 0);
    assert_int_equal(r.sv.pool_up, 1);
    rig_release(&r);
}

static void test_structure_pool_two_frontends_backend_vote(void **state)
{
    (void)state;
    rig r;
    int fe[2];
    fx_init(&r.t);
    add_frontends(&r, 2, fe);
    int sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    rig_build(&r);
    /* M1.2: 2 seeds + Back End vote = 3 votes, 2 needed. */
    int comps[] = { fe[0], fe[1], sql };
    for (unsigned m = 0; m < 8; m++) {
        rig_eval_mask(&r, comps, 3, m);
        assert_int_equal(r.sv.pool_up, popcount(m) >= 2);
        assert_int_equal(r.sv.backend_serving, (m >> 2) & 1);
    }
    rig_release(&r);
}

static void test_structure_pool_four_frontends(void **state)
{
    (void)state;
    rig r;
    int fe[4];
    fx_init(&r.t);
    add_frontends(&r, 4, fe);
    int sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    rig_build(&r);
    /* 4 seeds + Back End = 5 votes, 3 needed: "any 2 of 4" with the BE. */
    int comps[] = { fe[0], fe[1], fe[2], fe[3], sql };
    for (unsigned m = 0; m < 32; m++) {
        rig_eval_mask(&r, comps, 5, m);
        assert_int_equal(r.sv.pool_up, popcount(m) >= 3);
    }
    rig_release(&r);
}

static void test_structure_pool_seed_subsets(void **state)
{
    (void)state;
    /* M1.1: 8 front ends vote with the first 7 (4 needed), 12 with the
     * first 9 (5 needed); the others never count. */
    static const struct { int n, seeds, need; } cases[] = {
        { 8, 7, 4 }, { 9, 7, 4 }, { 10, 9, 5 }, { 12, 9, 5 },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        rig r;
        int fe[12];
        fx_init(&r.t);
        add_frontends(&r, cases[k].n, fe);
        int sql = fx_server(&r.t, "sql", 0.99);
        fx_standalone(&r.t, sql);
        fx_share(&r.t, sql);
        rig_build(&r);
        for (unsigned m = 0; m < (1u << cases[k].n); m++) {
            rig_eval_mask(&r, fe, cases[k].n, m);
            unsigned seeds = m & ((1u << cases[k].seeds) - 1);
            assert_int_equal(r.sv.pool_up, popcount(seeds) >= cases[k].need);
        }
        rig_release(&r);
    }
}

/* M1.2, SfB 2019 with 13-16 front ends: Microsoft's row "any 7 of the
 * first 12" (a plain majority of the 12 seeds, no Back End vote);
 * fabric.sfb2019_backend_vote brings back the even-seed Back End vote. */
static void test_structure_pool_sfb2019_sixteen(void **state)
{
    (void)state;
    rig r;
    int fe[16];
    fx_init(&r.t);
    r.t.pool.version = QR_VERSION_SFB2019;
    add_frontends(&r, 16, fe);
    int sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    rig_build(&r);
    /* 12 seeds, 12 votes: 7 seeds must run, whatever the Back End. Down:
     * 5 seeds and all 4 non-seeds -> 7 seeds -> up; a 6th seed -> 6 of 12
     * -> down although the Back End serves. */
    int down[] = { fe[0], fe[1], fe[2], fe[3], fe[4],
                   fe[12], fe[13], fe[14], fe[15], -1 };
    assert_int_equal(rig_eval_down(&r, down), 1);
    int down6[] = { fe[0], fe[1], fe[2], fe[3], fe[4], fe[5], -1 };
    assert_int_equal(rig_eval_down(&r, down6), 0);
    rig_release(&r);

    /* The parameter on: 12 seeds (even) + Back End = 13 votes, 7 needed:
     * 6 seeds + the Back End keep the pool; without the Back End not. */
    fx_init(&r.t);
    r.t.pool.version = QR_VERSION_SFB2019;
    r.t.params.sfb2019_backend_vote = true;
    add_frontends(&r, 16, fe);
    sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    rig_build(&r);
    int down_on[] = { fe[0], fe[1], fe[2], fe[3], fe[4], fe[5],
                      fe[12], fe[13], fe[14], fe[15], -1 };
    assert_int_equal(rig_eval_down(&r, down_on), 1);
    int down2[] = { fe[0], fe[1], fe[2], fe[3], fe[4], fe[5], sql, -1 };
    assert_int_equal(rig_eval_down(&r, down2), 0);
    rig_release(&r);
}

static void test_structure_mirroring(void **state)
{
    (void)state;
    rig r;
    int fe[3];
    fx_init(&r.t);
    add_frontends(&r, 3, fe);
    int p = fx_server(&r.t, "sqlp", 0.99);
    int m = fx_server(&r.t, "sqlm", 0.99);
    int w = fx_server(&r.t, "sqlw", 0.99);
    fx_mirroring(&r.t, p, m, w);
    fx_share(&r.t, p);
    rig_build(&r);
    /* With witness: at least two of three up, one a partner. */
    int comps[] = { p, m, w };
    for (unsigned x = 0; x < 8; x++) {
        rig_eval_mask(&r, comps, 3, x);
        int partner = (x & 3u) != 0;
        assert_int_equal(r.sv.backend_serving, popcount(x) >= 2 && partner);
    }
    rig_release(&r);

    fx_init(&r.t);
    add_frontends(&r, 3, fe);
    p = fx_server(&r.t, "sqlp", 0.99);
    m = fx_server(&r.t, "sqlm", 0.99);
    fx_mirroring(&r.t, p, m, -1);
    fx_share(&r.t, p);
    rig_build(&r);
    /* Without witness: either partner. */
    for (unsigned x = 0; x < 4; x++) {
        rig_eval_mask(&r, (int[]){ p, m }, 2, x);
        assert_int_equal(r.sv.backend_serving, x != 0);
    }
    rig_release(&r);
}

static void test_structure_cluster_votes(void **state)
{
    (void)state;
    rig r;
    int fe[3];
    fx_init(&r.t);
    add_frontends(&r, 3, fe);
    int n1 = fx_server(&r.t, "n1", 0.99), n2 = fx_server(&r.t, "n2", 0.99);
    int n3 = fx_server(&r.t, "n3", 0.99), fsw = fx_server(&r.t, "fsw", 0.99);
    int san = fx_avail(&r.t, "san", QR_COMP_STORAGE, -1, -1, 0.99);
    int cw = fx_avail(&r.t, "cw", QR_COMP_CLOUD_WITNESS, -1, -1, 0.99);
    /* c0: 2 nodes + file share witness; c1: 3 nodes + witness (the witness
     * does not vote: odd node count); c2: 2 nodes, no witness; c3: 3
     * nodes, one with weight 0, + disk witness (2 voters: witness votes);
     * c4: 4 nodes + cloud witness. */
    int c0 = fx_cluster(&r.t, "c0", (int[]){ n1, n2 }, NULL, 2, QR_WITNESS_FILE_SHARE, fsw);
    int c1 = fx_cluster(&r.t, "c1", (int[]){ n1, n2, n3 }, NULL, 3, QR_WITNESS_FILE_SHARE, fsw);
    int c2 = fx_cluster(&r.t, "c2", (int[]){ n1, n2 }, NULL, 2, QR_WITNESS_NONE, -1);
    int c3 = fx_cluster(&r.t, "c3", (int[]){ n1, n2, n3 }, (int[]){ 1, 1, 0 }, 3,
                        QR_WITNESS_DISK, san);
    int c4 = fx_cluster(&r.t, "c4", (int[]){ n1, n2, n3, fe[0] }, NULL, 4,
                        QR_WITNESS_CLOUD, cw);
    fx_alwayson(&r.t, c0, (int[]){ n1, n2 }, 2);
    fx_share(&r.t, fe[0]);
    rig_build(&r);

    int comps[] = { n1, n2, n3, fsw, san, cw, fe[0] };
    for (unsigned x = 0; x < 128; x++) {
        rig_eval_mask(&r, comps, 7, x);
        int u1 = x & 1, u2 = (x >> 1) & 1, u3 = (x >> 2) & 1;
        int uf = (x >> 3) & 1, us = (x >> 4) & 1, uc = (x >> 5) & 1;
        int ufe = (x >> 6) & 1;
        assert_int_equal(sim_structure_cluster_up(r.s, r.eff, c0), u1 + u2 + uf >= 2);
        assert_int_equal(sim_structure_cluster_up(r.s, r.eff, c1), u1 + u2 + u3 >= 2);
        assert_int_equal(sim_structure_cluster_up(r.s, r.eff, c2), u1 + u2 == 2);
        assert_int_equal(sim_structure_cluster_up(r.s, r.eff, c3), u1 + u2 + us >= 2);
        assert_int_equal(sim_structure_cluster_up(r.s, r.eff, c4),
                         u1 + u2 + u3 + ufe + uc >= 3);
        /* M4.6: AlwaysOn on c0 with replicas n1, n2. */
        assert_int_equal(r.sv.backend_serving, u1 + u2 + uf >= 2 && (u1 || u2));
    }
    assert_int_equal(sim_structure_cluster_up(r.s, r.eff, -1), 0);
    assert_int_equal(sim_structure_cluster_up(r.s, r.eff, 5), 0);
    rig_release(&r);
}

static void test_structure_alwayson_replica_subset(void **state)
{
    (void)state;
    rig r;
    int fe[3];
    fx_init(&r.t);
    add_frontends(&r, 3, fe);
    int n1 = fx_server(&r.t, "n1", 0.99), n2 = fx_server(&r.t, "n2", 0.99);
    int n3 = fx_server(&r.t, "n3", 0.99);
    int c = fx_cluster(&r.t, "c", (int[]){ n1, n2, n3 }, NULL, 3, QR_WITNESS_NONE, -1);
    /* Only n1 is an automatic-failover replica: n2 and n3 up keep the
     * cluster's quorum but cannot serve the availability group. */
    fx_alwayson(&r.t, c, (int[]){ n1 }, 1);
    fx_share(&r.t, fe[0]);
    rig_build(&r);
    int comps[] = { n1, n2, n3 };
    for (unsigned x = 0; x < 8; x++) {
        rig_eval_mask(&r, comps, 3, x);
        assert_int_equal(r.sv.backend_serving, popcount(x) >= 2 && (x & 1u));
    }
    rig_release(&r);
}

static void test_structure_fci_and_file_store_cluster(void **state)
{
    (void)state;
    rig r;
    int fe[3];
    fx_init(&r.t);
    add_frontends(&r, 3, fe);
    int n1 = fx_server(&r.t, "n1", 0.99), n2 = fx_server(&r.t, "n2", 0.99);
    int fsw = fx_server(&r.t, "fsw", 0.99);
    int d1 = fx_avail(&r.t, "d1", QR_COMP_STORAGE, -1, -1, 0.99);
    int d2 = fx_avail(&r.t, "d2", QR_COMP_STORAGE, -1, -1, 0.99);
    int c = fx_cluster(&r.t, "c", (int[]){ n1, n2 }, NULL, 2, QR_WITNESS_FILE_SHARE, fsw);
    fx_fci(&r.t, c, d1);
    fx_fs_cluster(&r.t, c, d2);
    rig_build(&r);
    int comps[] = { n1, n2, fsw, d1, d2 };
    for (unsigned x = 0; x < 32; x++) {
        rig_eval_mask(&r, comps, 5, x);
        int quorum = popcount(x & 7u) >= 2;
        int node = (x & 3u) != 0;
        assert_int_equal(r.sv.backend_serving, quorum && node && ((x >> 3) & 1));
        assert_int_equal(r.sv.file_store_up, quorum && node && ((x >> 4) & 1));
    }
    rig_release(&r);
}

static void test_structure_file_store_share_and_dfs(void **state)
{
    (void)state;
    rig r;
    int fe[3];
    fx_init(&r.t);
    add_frontends(&r, 3, fe);
    int f1 = fx_server(&r.t, "f1", 0.99), f2 = fx_server(&r.t, "f2", 0.99);
    int f3 = fx_server(&r.t, "f3", 0.99);
    fx_standalone(&r.t, f1);
    fx_dfs(&r.t, (int[]){ f1, f2, f3 }, 3);
    rig_build(&r);
    for (unsigned x = 0; x < 8; x++) {
        rig_eval_mask(&r, (int[]){ f1, f2, f3 }, 3, x);
        assert_int_equal(r.sv.file_store_up, x != 0);   /* DFS: any replica */
    }
    rig_release(&r);

    fx_init(&r.t);
    add_frontends(&r, 3, fe);
    f1 = fx_server(&r.t, "f1", 0.99);
    fx_external(&r.t, fx_avail(&r.t, "ext", QR_COMP_EXTERNAL_SQL, -1, -1, 0.999));
    fx_share(&r.t, f1);
    rig_build(&r);
    rig_eval_down(&r, (int[]){ f1, -1 });
    assert_int_equal(r.sv.file_store_up, 0);
    assert_int_equal(r.sv.backend_serving, 1);
    rig_eval_down(&r, (int[]){ qr_topology_find(&r.t, "ext"), -1 });
    assert_int_equal(r.sv.file_store_up, 1);
    assert_int_equal(r.sv.backend_serving, 0);
    rig_release(&r);
}

static void test_structure_groups_two_replicas(void **state)
{
    (void)state;
    rig r;
    int fe[2];
    fx_init(&r.t);
    add_frontends(&r, 2, fe);
    int sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    r.t.pool.routing_groups = 10;
    rig_build(&r);
    /* M2.2, R = 2: both replicas, or one plus the Back End. */
    int comps[] = { fe[0], fe[1], sql };
    for (unsigned x = 0; x < 8; x++) {
        rig_eval_mask(&r, comps, 3, x);
        int n_fe = popcount(x & 3u), be = (x >> 2) & 1;
        int writable = n_fe == 2 || (n_fe == 1 && be);
        assert_int_equal(r.sv.groups, 10);
        assert_int_equal(r.sv.groups_writable, writable ? 10 : 0);
    }
    rig_release(&r);
}

static void test_structure_groups_three_replicas(void **state)
{
    (void)state;
    rig r;
    int fe[5];
    fx_init(&r.t);
    add_frontends(&r, 5, fe);
    int sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    r.t.pool.routing_groups = 64;
    rig_build(&r);
    sim_placement pl;
    assert_int_equal(sim_placement_init(&pl, &r.t), 0);
    /* Against the placement directly: a group is writable iff 2 of its 3
     * front ends are up; the pool state does not matter for the count. */
    for (unsigned x = 0; x < 32; x++) {
        rig_eval_mask(&r, fe, 5, x);
        int expect = 0;
        for (int g = 0; g < 64; g++) {
            int n = 0;
            for (int j = 0; j < 3; j++)
                n += (x >> pl.replicas[g * 3 + j]) & 1;
            expect += n >= 2;
        }
        assert_int_equal(r.sv.groups_writable, expect);
    }
    sim_placement_release(&pl);
    rig_release(&r);
}

static void test_structure_groups_large_pool(void **state)
{
    (void)state;
    /* 17 front ends (over any product's limit, so beyond the tabulated
     * path): the direct count over the replica sets must still match the
     * placement, state by state. */
    rig r;
    int fe[17];
    fx_init(&r.t);
    r.t.pool.version = QR_VERSION_SFB2019;
    add_frontends(&r, 17, fe);
    int sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    r.t.pool.routing_groups = 200;
    rig_build(&r);
    sim_placement pl;
    assert_int_equal(sim_placement_init(&pl, &r.t), 0);
    unsigned x = 12345u;
    for (int k = 0; k < 300; k++) {
        x = x * 1103515245u + 12345u;             /* a fixed pseudo-random walk */
        unsigned mask = (x >> 8) & 0x1ffffu;
        rig_eval_mask(&r, fe, 17, mask);
        int expect = 0;
        for (int g = 0; g < 200; g++) {
            int n = 0;
            for (int j = 0; j < 3; j++)
                n += (mask >> pl.replicas[g * 3 + j]) & 1u;
            expect += n >= 2;
        }
        assert_int_equal(r.sv.groups_writable, expect);
    }
    sim_placement_release(&pl);
    rig_release(&r);
}

static void test_structure_feature_needs(void **state)
{
    (void)state;
    rig r;
    int fe[4];
    fx_init(&r.t);
    add_frontends(&r, 4, fe);
    int sql = fx_server(&r.t, "sql", 0.99);
    int fs = fx_server(&r.t, "fs", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, fs);
    r.t.pool.routing_groups = 64;
    rig_build(&r);
    int signin = qr_topology_find_feature(&r.t, "signin_im");
    int presence = qr_topology_find_feature(&r.t, "presence");
    int p2p = qr_topology_find_feature(&r.t, "p2p_calls");
    int conf = qr_topology_find_feature(&r.t, "conferencing");
    int ab = qr_topology_find_feature(&r.t, "address_book");
    int pc = qr_topology_find_feature(&r.t, "persistent_changes");

    /* Two front ends down: pool up (2 of 4 + BE), some groups lost. */
    rig_eval_down(&r, (int[]){ fe[0], fe[1], -1 });
    assert_int_equal(r.sv.pool_up, 1);
    double frac = (double)r.sv.groups_writable / 64;
    assert_true(frac > 0 && frac < 1);
    assert_float_equal(r.feat[signin], 1.0, 0);     /* limited counts as up */
    assert_float_equal(r.feat[p2p], 1.0, 0);
    assert_float_equal(r.feat[presence], frac, 0);
    assert_float_equal(r.feat[pc], frac, 0);
    assert_float_equal(r.feat[conf], 1.0, 0);
    assert_float_equal(r.feat[ab], 1.0, 0);

    /* Back End down: backend features down, pool still 3 of 5 votes. */
    rig_eval_down(&r, (int[]){ sql, -1 });
    assert_int_equal(r.sv.pool_up, 1);
    assert_float_equal(r.feat[presence], 0.0, 0);   /* grace is zero in M9 */
    assert_float_equal(r.feat[pc], 0.0, 0);
    assert_float_equal(r.feat[conf], 0.0, 0);
    assert_float_equal(r.feat[signin], 1.0, 0);
    assert_float_equal(r.feat[ab], 1.0, 0);

    /* File store down. */
    rig_eval_down(&r, (int[]){ fs, -1 });
    assert_float_equal(r.feat[conf], 0.0, 0);
    assert_float_equal(r.feat[ab], 0.0, 0);
    assert_float_equal(r.feat[pc], 1.0, 0);

    /* Pool down: every feature down. */
    rig_eval_down(&r, (int[]){ fe[0], fe[1], sql, -1 });
    assert_int_equal(r.sv.pool_up, 0);
    for (int f = 0; f < r.t.n_features; f++)
        assert_float_equal(r.feat[f], 0.0, 0);
    rig_release(&r);
}

static void test_structure_m18_mirror_two_servers(void **state)
{
    (void)state;
    /* M1.8 in M9: 2.x design, FE + SQL on both servers, mirroring with a
     * witness. Losing either server alone keeps the static pool up (the
     * failover is instant in M9); losing both, or one and the witness, does
     * not. */
    rig r;
    fx_init(&r.t);
    int s1 = fx_server(&r.t, "s1", 0.99), s2 = fx_server(&r.t, "s2", 0.99);
    int w = fx_server(&r.t, "w", 0.99);
    fx_frontends(&r.t, (int[]){ s1, s2 }, 2);
    fx_mirroring(&r.t, s1, s2, w);
    fx_dfs(&r.t, (int[]){ s1, s2 }, 2);
    rig_build(&r);
    assert_int_equal(rig_eval_down(&r, (int[]){ -1 }), 1);
    assert_int_equal(rig_eval_down(&r, (int[]){ s1, -1 }), 1);
    assert_int_equal(r.sv.backend_serving, 1);
    assert_int_equal(rig_eval_down(&r, (int[]){ s2, -1 }), 1);
    assert_int_equal(rig_eval_down(&r, (int[]){ w, -1 }), 1);
    assert_int_equal(rig_eval_down(&r, (int[]){ s1, w, -1 }), 0);
    assert_int_equal(rig_eval_down(&r, (int[]){ s2, w, -1 }), 0);
    assert_int_equal(rig_eval_down(&r, (int[]){ s1, s2, -1 }), 0);
    rig_release(&r);
}

static void test_structure_alwayson_two_servers_yaml(void **state)
{
    (void)state;
    /* The "true 2.x" (AlwaysOn on both servers, file share witness,
     * file-share cluster on a SAN), from YAML: either server lost alone
     * keeps the static pool up (the other + the Back End vote, the cluster
     * keeping 2 of 3 votes with the witness); a server and the witness
     * lost together take the cluster, so the Back End and the pool, down. */
    static const char yaml[] =
        "servers:\n"
        "  - { name: s1 }\n"
        "  - { name: s2 }\n"
        "  - { name: nas1, patch: none }\n"
        "storage: [ { name: san1 } ]\n"
        "clusters:\n"
        "  - { name: wsfc1, nodes: [s1, s2], witness: { file_share: nas1 } }\n"
        "pool:\n"
        "  version: sfb2015\n"
        "  frontends: [s1, s2]\n"
        "  backend: { alwayson: { cluster: wsfc1, replicas: [s1, s2] } }\n"
        "  file_store: { cluster: { cluster: wsfc1, storage: san1 } }\n";
    qr_diags d;
    qr_topology *t = NULL;
    assert_int_equal(qr_diags_init(&d, "true2x.yaml"), 0);
    assert_int_equal(qr_topology_load_buffer("true2x.yaml", yaml, strlen(yaml), &t, &d), 0);
    qr_diags_release(&d);
    rig r;
    r.t = *t;                       /* take the contents; free the shell */
    free(t);
    rig_build(&r);
    int s1 = qr_topology_find(&r.t, "s1"), s2 = qr_topology_find(&r.t, "s2");
    int nas = qr_topology_find(&r.t, "nas1"), san = qr_topology_find(&r.t, "san1");
    assert_int_equal(rig_eval_down(&r, (int[]){ s1, -1 }), 1);
    assert_int_equal(r.sv.backend_serving, 1);
    assert_int_equal(r.sv.file_store_up, 1);
    assert_int_equal(rig_eval_down(&r, (int[]){ s2, -1 }), 1);
    assert_int_equal(rig_eval_down(&r, (int[]){ nas, -1 }), 1);
    assert_int_equal(rig_eval_down(&r, (int[]){ s1, nas, -1 }), 0);
    assert_int_equal(r.sv.backend_serving, 0);
    assert_int_equal(rig_eval_down(&r, (int[]){ san, -1 }), 1);
    assert_int_equal(r.sv.file_store_up, 0);
    rig_release(&r);
}

static void test_structure_links_ignored(void **state)
{
    (void)state;
    rig r;
    int fe[3];
    fx_init(&r.t);
    int dc1 = fx_avail(&r.t, "dc1", QR_COMP_SITE, -1, -1, 0.999);
    int dc2 = fx_avail(&r.t, "dc2", QR_COMP_SITE, -1, -1, 0.999);
    int link = fx_avail(&r.t, "dc1-dc2", QR_COMP_LINK, -1, -1, 0.99);
    r.t.comps[link].link_a = dc1;
    r.t.comps[link].link_b = dc2;
    for (int i = 0; i < 3; i++) {
        char name[24];
        snprintf(name, sizeof(name), "fe%d", i);
        fe[i] = fx_avail(&r.t, name, QR_COMP_SERVER, i < 2 ? dc1 : dc2, -1, 0.99);
    }
    fx_frontends(&r.t, fe, 3);
    fx_standalone(&r.t, fe[0]);
    fx_share(&r.t, fe[2]);
    rig_build(&r);
    /* M9 ignores site-link partitions: the link's state changes nothing. */
    assert_int_equal(rig_eval_down(&r, (int[]){ link, -1 }), 1);
    assert_int_equal(r.sv.groups_writable, r.sv.groups);
    assert_int_equal(r.sv.file_store_up, 1);
    assert_int_equal(rig_eval_down(&r, (int[]){ dc1, -1 }), 0);
    unsigned char rel[MAXC];
    sim_structure_relevant(r.s, rel);
    assert_int_equal(rel[link], 0);
    rig_release(&r);
}

static void test_structure_relevant(void **state)
{
    (void)state;
    rig r;
    int fe[3];
    fx_init(&r.t);
    int dc = fx_avail(&r.t, "dc", QR_COMP_SITE, -1, -1, 0.999);
    int hv = fx_avail(&r.t, "hv", QR_COMP_HOST, dc, -1, 0.99);
    int other_site = fx_avail(&r.t, "dc9", QR_COMP_SITE, -1, -1, 0.999);
    add_frontends(&r, 3, fe);
    r.t.comps[fe[0]].host = hv;
    r.t.comps[fe[0]].site = dc;
    int n1 = fx_server(&r.t, "n1", 0.99), n2 = fx_server(&r.t, "n2", 0.99);
    int wit = fx_server(&r.t, "wit", 0.99);
    int unused = fx_avail(&r.t, "unused", QR_COMP_SERVER, other_site, -1, 0.99);
    int c = fx_cluster(&r.t, "c", (int[]){ n1, n2 }, NULL, 2, QR_WITNESS_FILE_SHARE, wit);
    int n9 = fx_server(&r.t, "n9", 0.99);
    fx_cluster(&r.t, "spare", (int[]){ n9 }, NULL, 1, QR_WITNESS_NONE, -1);
    fx_alwayson(&r.t, c, (int[]){ n1, n2 }, 2);
    fx_share(&r.t, fe[1]);
    rig_build(&r);
    unsigned char rel[MAXC];
    int n = sim_structure_relevant(r.s, rel);
    int expect[] = { dc, hv, fe[0], fe[1], fe[2], n1, n2, wit };
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
        assert_int_equal(rel[expect[i]], 1);
    assert_int_equal(rel[other_site], 0);
    assert_int_equal(rel[unused], 0);
    assert_int_equal(rel[n9], 0);
    assert_int_equal(n, 8);
    rig_release(&r);
}

static void test_structure_empty_pool(void **state)
{
    (void)state;
    /* A topology with nothing in it must not crash. */
    rig r;
    fx_init(&r.t);
    rig_build(&r);
    rig_eval_down(&r, NULL);
    assert_int_equal(r.sv.groups, 0);
    for (int f = 0; f < r.t.n_features; f++)
        assert_true(r.feat[f] >= 0.0 && r.feat[f] <= 1.0);
    rig_release(&r);
    sim_structure_free(NULL);
}

/* The graceful variant with exactly the listed components down (-1 ends
 * the list). Returns the pool state. */
static int rig_graceful_down(rig *r, const int *down)
{
    fx_all_up(r->up, r->t.n_comps);
    for (int i = 0; down && down[i] >= 0; i++)
        r->up[down[i]] = 0;
    sim_structure_effective(r->s, r->up, r->eff);
    sim_services sv;
    sim_structure_services_graceful(r->s, r->eff, &sv);
    int pool = sim_structure_eval_graceful(r->s, r->eff, r->feat, &r->sv);
    assert_int_equal(pool, r->sv.pool_up);
    assert_int_equal(sv.pool_up, r->sv.pool_up);
    assert_int_equal(sv.groups_writable, r->sv.groups_writable);
    return pool;
}

static void test_structure_graceful_pool(void **state)
{
    (void)state;
    /* M1.3 vs M1.4 on two front ends with a standalone Back End: losing
     * fe0 and the SQL server unexpectedly leaves 1 of 3 votes (pool down);
     * gracefully, fe0 is no longer counted: 1 seed of 1 (pool up). */
    rig r;
    int fe[2];
    fx_init(&r.t);
    add_frontends(&r, 2, fe);
    int sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    rig_build(&r);
    assert_int_equal(rig_eval_down(&r, (int[]){ fe[0], sql, -1 }), 0);
    assert_int_equal(rig_graceful_down(&r, (int[]){ fe[0], sql, -1 }), 1);
    /* Nothing down: the same as M9. */
    assert_int_equal(rig_graceful_down(&r, (int[]){ -1 }), 1);
    assert_true(r.feat[qr_topology_find_feature(&r.t, "presence")] == 1.0);
    /* No running seed, no pool, whatever the Back End. */
    assert_int_equal(rig_graceful_down(&r, (int[]){ fe[0], fe[1], -1 }), 0);
    rig_release(&r);

    /* fabric.graceful_leave_adjusts_votes false: graceful counts like M1.2. */
    fx_init(&r.t);
    add_frontends(&r, 2, fe);
    sql = fx_server(&r.t, "sql", 0.99);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    r.t.params.graceful_leave_adjusts_votes = false;
    rig_build(&r);
    assert_int_equal(rig_graceful_down(&r, (int[]){ fe[0], sql, -1 }), 0);
    assert_int_equal(rig_graceful_down(&r, (int[]){ fe[0], -1 }), 1);
    rig_release(&r);
}

static void test_structure_graceful_groups(void **state)
{
    (void)state;
    /* M2.3: five front ends, R = 3. Losing two unexpectedly breaks the
     * groups that had two replicas there; gracefully their replicas move,
     * so every group stays writable while 2 or more front ends run. */
    rig r;
    int fe[5];
    fx_init(&r.t);
    add_frontends(&r, 5, fe);
    int sql = fx_server(&r.t, "sql", 1.0);
    fx_standalone(&r.t, sql);
    fx_share(&r.t, sql);
    rig_build(&r);
    rig_eval_down(&r, (int[]){ fe[0], fe[1], -1 });
    assert_int_equal(r.sv.pool_up, 1);
    assert_true(r.sv.groups_writable < r.sv.groups);
    rig_graceful_down(&r, (int[]){ fe[0], fe[1], -1 });
    assert_int_equal(r.sv.groups_writable, r.sv.groups);
    assert_true(r.feat[qr_topology_find_feature(&r.t, "presence")] == 1.0);
    /* Four of five gone: one replica each, not a majority of 3. */
    rig_graceful_down(&r, (int[]){ fe[0], fe[1], fe[2], fe[3], -1 });
    assert_int_equal(r.sv.pool_up, 1);
    assert_int_equal(r.sv.groups_writable, 0);
    assert_true(r.feat[qr_topology_find_feature(&r.t, "presence")] == 0.0);
    assert_true(r.feat[qr_topology_find_feature(&r.t, "p2p_calls")] == 1.0);
    rig_release(&r);
}

static void test_structure_graceful_cluster(void **state)
{
    (void)state;
    /* M4.2: a three-node cluster (AlwaysOn back end) loses two nodes.
     * Simultaneous unexpected loss: 1 of 3 votes, down. Graceful, one at
     * a time with dynamic quorum: the last node stands. Without dynamic
     * quorum the static rule holds in both modes. */
    for (int dynamic = 0; dynamic <= 1; dynamic++) {
        rig r;
        int fe[1], n[3];
        fx_init(&r.t);
        add_frontends(&r, 1, fe);
        for (int i = 0; i < 3; i++) {
            char name[16];
            snprintf(name, sizeof(name), "n%d", i);
            n[i] = fx_server(&r.t, name, 0.99);
        }
        int c = fx_cluster(&r.t, "wsfc", n, NULL, 3, QR_WITNESS_NONE, -1);
        r.t.clusters[c].dynamic_quorum = dynamic;
        fx_alwayson(&r.t, c, n, 3);
        fx_share(&r.t, fe[0]);
        rig_build(&r);
        rig_eval_down(&r, (int[]){ n[0], n[1], -1 });
        assert_int_equal(r.sv.backend_serving, 0);
        rig_graceful_down(&r, (int[]){ n[0], n[1], -1 });
        assert_int_equal(r.sv.backend_serving, dynamic);
        rig_graceful_down(&r, (int[]){ n[0], n[1], n[2], -1 });
        assert_int_equal(r.sv.backend_serving, 0);
        rig_graceful_down(&r, (int[]){ n[0], -1 });
        assert_int_equal(r.sv.backend_serving, 1);
        rig_release(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure_containment),
        cmocka_unit_test(test_structure_effective_update),
        cmocka_unit_test(test_structure_pool_three_frontends),
        cmocka_unit_test(test_structure_pool_two_frontends_backend_vote),
        cmocka_unit_test(test_structure_pool_four_frontends),
        cmocka_unit_test(test_structure_pool_seed_subsets),
        cmocka_unit_test(test_structure_pool_sfb2019_sixteen),
        cmocka_unit_test(test_structure_mirroring),
        cmocka_unit_test(test_structure_cluster_votes),
        cmocka_unit_test(test_structure_alwayson_replica_subset),
        cmocka_unit_test(test_structure_fci_and_file_store_cluster),
        cmocka_unit_test(test_structure_file_store_share_and_dfs),
        cmocka_unit_test(test_structure_groups_two_replicas),
        cmocka_unit_test(test_structure_groups_three_replicas),
        cmocka_unit_test(test_structure_groups_large_pool),
        cmocka_unit_test(test_structure_feature_needs),
        cmocka_unit_test(test_structure_m18_mirror_two_servers),
        cmocka_unit_test(test_structure_alwayson_two_servers_yaml),
        cmocka_unit_test(test_structure_links_ignored),
        cmocka_unit_test(test_structure_relevant),
        cmocka_unit_test(test_structure_empty_pool),
        cmocka_unit_test(test_structure_graceful_pool),
        cmocka_unit_test(test_structure_graceful_groups),
        cmocka_unit_test(test_structure_graceful_cluster),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
