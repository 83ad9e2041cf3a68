/*
 * test_placement.c: M2.1 routing-group placement (src/model/placement.h):
 * distinct replicas, balance of primaries and of replicas across front
 * ends, determinism, the small pools (N = 1, 2, 3) and pair spreading.
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
#include "model/placement.h"

static const int sizes_n[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16 };
static const int sizes_g[] = { 1, 2, 5, 11, 12, 13, 64, 100, 1000, 10000 };
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void check_one(int n, int g)
{
    sim_placement p;
    assert_int_equal(sim_placement_init_n(&p, n, g), 0);
    int r = n < 3 ? n : 3;
    assert_int_equal(p.r, r);
    assert_int_equal(p.groups, g);
    assert_non_null(p.replicas);

    int prim[16] = { 0 }, total[16] = { 0 };
    for (int k = 0; k < g; k++) {
        const int *rep = &p.replicas[k * r];
        for (int j = 0; j < r; j++) {
            assert_in_range(rep[j], 0, n - 1);
            for (int i = 0; i < j; i++)
                assert_int_not_equal(rep[i], rep[j]);   /* distinct */
            total[rep[j]]++;
        }
        prim[rep[0]]++;
    }
    int pmin = g, pmax = 0, tmin = g * r, tmax = 0, psum = 0, tsum = 0;
    for (int f = 0; f < n; f++) {
        pmin = prim[f] < pmin ? prim[f] : pmin;
        pmax = prim[f] > pmax ? prim[f] : pmax;
        tmin = total[f] < tmin ? total[f] : tmin;
        tmax = total[f] > tmax ? total[f] : tmax;
        psum += prim[f];
        tsum += total[f];
    }
    assert_int_equal(psum, g);
    assert_int_equal(tsum, g * r);
    if (pmax - pmin > 1 || tmax - tmin > 1)
        fail_msg("unbalanced N=%d G=%d: primaries %d..%d, replicas %d..%d",
                 n, g, pmin, pmax, tmin, tmax);
    sim_placement_release(&p);
}

static void test_placement_distinct_and_balanced(void **state)
{
    (void)state;
    for (int i = 0; i < COUNT(sizes_n); i++)
        for (int j = 0; j < COUNT(sizes_g); j++)
            check_one(sizes_n[i], sizes_g[j]);
    /* Every G from 1 to 3N for the largest sfb2015 pool exercises every
     * partial round. */
    for (int g = 1; g <= 36; g++)
        check_one(12, g);
}

static void test_placement_deterministic(void **state)
{
    (void)state;
    qr_topology t;
    fx_init(&t);
    int fe[12];
    for (int i = 0; i < 12; i++) {
        char name[24];
        snprintf(name, sizeof(name), "fe%d", i);
        fe[i] = fx_server(&t, name, 0.999);
    }
    fx_frontends(&t, fe, 12);
    t.pool.routing_groups = 64;

    sim_placement a, b, c;
    assert_int_equal(sim_placement_init(&a, &t), 0);
    assert_int_equal(sim_placement_init(&b, &t), 0);
    assert_int_equal(sim_placement_init_n(&c, 12, 64), 0);
    assert_int_equal(a.groups, 64);
    assert_memory_equal(a.replicas, b.replicas, 64 * 3 * sizeof(int));
    assert_memory_equal(a.replicas, c.replicas, 64 * 3 * sizeof(int));
    sim_placement_release(&a);
    sim_placement_release(&b);
    sim_placement_release(&c);
    qr_topology_release(&t);
}

static void test_placement_small_pools(void **state)
{
    (void)state;
    sim_placement p;
    /* N = 1: one replica, always front end 0. */
    assert_int_equal(sim_placement_init_n(&p, 1, 64), 0);
    assert_int_equal(p.r, 1);
    for (int g = 0; g < 64; g++)
        assert_int_equal(p.replicas[g], 0);
    sim_placement_release(&p);

    /* N = 2: both front ends in every group, primaries alternate. */
    assert_int_equal(sim_placement_init_n(&p, 2, 5), 0);
    assert_int_equal(p.r, 2);
    for (int g = 0; g < 5; g++) {
        assert_int_equal(p.replicas[2 * g] + p.replicas[2 * g + 1], 1);
        assert_int_equal(p.replicas[2 * g], g % 2);
    }
    sim_placement_release(&p);

    /* N = 3: every group is {0, 1, 2}. */
    assert_int_equal(sim_placement_init_n(&p, 3, 10), 0);
    for (int g = 0; g < 10; g++)
        assert_int_equal(p.replicas[3 * g] + p.replicas[3 * g + 1] +
                         p.replicas[3 * g + 2], 3);
    sim_placement_release(&p);
}

static void test_placement_empty(void **state)
{
    (void)state;
    sim_placement p;
    assert_int_equal(sim_placement_init_n(&p, 0, 64), 0);
    assert_int_equal(p.groups, 0);
    assert_null(p.replicas);
    sim_placement_release(&p);
    assert_int_equal(sim_placement_init_n(&p, 4, 0), 0);
    assert_int_equal(p.r, 0);
    assert_null(p.replicas);
    sim_placement_release(&p);
    sim_placement_release(NULL);
}

/* Count co-occurrences of every pair of front ends over the first g groups
 * and return max - min over all pairs. */
static int pair_spread(const sim_placement *p, int n, int g)
{
    int cnt[16][16];
    memset(cnt, 0, sizeof(cnt));
    for (int k = 0; k < g; k++) {
        const int *rep = &p->replicas[k * p->r];
        for (int i = 0; i < p->r; i++)
            for (int j = i + 1; j < p->r; j++) {
                cnt[rep[i]][rep[j]]++;
                cnt[rep[j]][rep[i]]++;
            }
    }
    int mn = 1 << 30, mx = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            mn = cnt[i][j] < mn ? cnt[i][j] : mn;
            mx = cnt[i][j] > mx ? cnt[i][j] : mx;
        }
    return mx - mn;
}

static void test_placement_pairs_spread(void **state)
{
    (void)state;
    /* Full rounds only: a systematic rotation with fixed offsets would put
     * every group on neighbours (spread growing with G); the greedy offsets
     * keep every pair of front ends within a small constant. */
    for (int n = 4; n <= 16; n++) {
        for (int rounds = 1; rounds <= 40; rounds++) {
            sim_placement p;
            int g = rounds * n;
            assert_int_equal(sim_placement_init_n(&p, n, g), 0);
            int spread = pair_spread(&p, n, g);
            if (spread > 2)
                fail_msg("N=%d G=%d: pair co-occurrences spread %d", n, g, spread);
            sim_placement_release(&p);
        }
    }
    /* Every pair of a 12-FE pool shares some group once 64 groups are
     * placed (3 pairs per group, 66 pairs). */
    sim_placement p;
    assert_int_equal(sim_placement_init_n(&p, 12, 64), 0);
    assert_true(pair_spread(&p, 12, 60) <= 1);
    sim_placement_release(&p);
}

/* A group's replicas as a bit mask of front-end indexes (N <= 16). */
static unsigned group_mask(const sim_placement *p, int g)
{
    unsigned m = 0;
    for (int j = 0; j < p->r; j++)
        m |= 1u << p->replicas[(size_t)g * p->r + j];
    return m;
}

/* The replica sets against a brute-force count over the groups: every set
 * ascending and distinct, sets in ascending order, each count the number
 * of groups whose replicas are that set, counts summing to G. */
static void test_placement_replica_sets(void **state)
{
    (void)state;
    static const int cases[][2] = { { 3, 1 },   { 4, 8 }, { 5, 72 }, { 12, 1000 },
                                    { 16, 33 }, { 2, 5 }, { 1, 3 } };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        sim_placement p;
        sim_replica_sets rs;
        assert_int_equal(sim_placement_init_n(&p, cases[c][0], cases[c][1]), 0);
        assert_int_equal(sim_replica_sets_init(&rs, &p), 0);
        assert_int_equal(rs.r, p.r);
        int total = 0;
        for (int k = 0; k < rs.n_sets; k++) {
            const int *fe = &rs.fe[(size_t)k * rs.r];
            unsigned m = 0;
            for (int j = 0; j < rs.r; j++) {
                if (j > 0)
                    assert_true(fe[j - 1] < fe[j]);
                m |= 1u << fe[j];
            }
            if (k > 0) { /* after the previous set: first index, then the next ... */
                int j = 0;
                while (j < rs.r && fe[j - rs.r] == fe[j])
                    j++;
                assert_true(j < rs.r && fe[j - rs.r] < fe[j]);
            }
            int groups = 0;
            for (int g = 0; g < p.groups; g++)
                groups += group_mask(&p, g) == m;
            assert_int_equal(rs.count[k], groups);
            total += groups;
        }
        assert_int_equal(total, p.groups);
        sim_replica_sets_release(&rs);
        assert_null(rs.fe);
        sim_placement_release(&p);
    }
    sim_placement none;
    sim_replica_sets rs;
    assert_int_equal(sim_placement_init_n(&none, 0, 10), 0);
    assert_int_equal(sim_replica_sets_init(&rs, &none), 0);
    assert_int_equal(rs.n_sets, 0);
    assert_null(rs.fe);
    sim_placement_release(&none);
    sim_replica_sets_release(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placement_distinct_and_balanced),
        cmocka_unit_test(test_placement_deterministic),
        cmocka_unit_test(test_placement_small_pools),
        cmocka_unit_test(test_placement_empty),
        cmocka_unit_test(test_placement_pairs_spread),
        cmocka_unit_test(test_placement_replica_sets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
