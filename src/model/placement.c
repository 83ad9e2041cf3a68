/*
 * placement.c: M2.1 routing-group replica placement (src/model/placement.h).
 *
 * Groups are dealt in rounds of N front ends: in round k, group k*N + i
 * holds { i, i + a_k, i + b_k } (mod N), primary first. A full round is
 * therefore perfectly balanced (one primary and R replicas per front end),
 * and the offsets only decide which pairs of front ends share groups. A
 * pair {x, y} is covered once per round for every offset difference in
 * {a, b, b - a} equal to +-(y - x) (twice when that difference is N/2), so
 * the per-pair counts are a function of the "difference class" counts and
 * the greedy choice below works on N/2 classes, not N^2 pairs. The partial
 * last round uses offsets (m, 2m), which lays its replicas on consecutive
 * slots of the ring and keeps every front end within 1 of the others.
 *
 * Invariant: the result depends only on (N, G); nothing is random.
 */
#include "model/placement.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Difference class of offset d on a ring of n: min(d, n - d), 1..n/2. */
static int diff_class(int d, int n)
{
    d %= n;
    if (d < 0)
        d += n;
    return d <= n - d ? d : n - d;
}

/* Co-occurrences one round adds to each pair of a class. */
static int class_step(int cls, int n)
{
    return 2 * cls == n ? 2 : 1;
}

/* Score of adding offsets (a, b) to the per-class pair loads: the largest
 * per-pair load after the round, then the sum of squared per-pair loads
 * (weighted by how many pairs the class holds). */
static void score_round(const long *load, int n, int r, int a, int b,
                        long *max_out, long long *sq_out)
{
    int cls[3];
    int k = 0;
    cls[k++] = diff_class(a, n);
    if (r == 3) {
        cls[k++] = diff_class(b, n);
        cls[k++] = diff_class(b - a, n);
    }
    long max = 0;
    long long sq = 0;
    for (int c = 1; 2 * c <= n; c++) {
        long l = load[c];
        for (int j = 0; j < k; j++)
            if (cls[j] == c)
                l += class_step(c, n);
        long long pairs = (2 * c == n) ? n / 2 : n;
        if (l > max)
            max = l;
        sq += pairs * (long long)l * l;
    }
    *max_out = max;
    *sq_out = sq;
}

/* Greedy offsets of one full round; updates load. */
static void choose_round(long *load, int n, int r, int *a_out, int *b_out)
{
    int best_a = 1, best_b = 2 % n;
    long best_max = LONG_MAX;
    long long best_sq = LLONG_MAX;
    for (int a = 1; a < n; a++) {
        int b_lo = (r == 3) ? a + 1 : 0;
        int b_hi = (r == 3) ? n - 1 : 0;
        for (int b = b_lo; b <= b_hi; b++) {
            long mx;
            long long sq;
            score_round(load, n, r, a, b, &mx, &sq);
            if (mx < best_max || (mx == best_max && sq < best_sq)) {
                best_max = mx;
                best_sq = sq;
                best_a = a;
                best_b = b;
            }
        }
    }
    int cls[3] = { diff_class(best_a, n), 0, 0 };
    if (r == 3) {
        cls[1] = diff_class(best_b, n);
        cls[2] = diff_class(best_b - best_a, n);
    }
    for (int j = 0; j < (r == 3 ? 3 : 1); j++)
        load[cls[j]] += class_step(cls[j], n);
    *a_out = best_a;
    *b_out = best_b;
}

int sim_placement_init_n(sim_placement *p, int n, int groups)
{
    long *load = NULL;
    int ret = -1;

    memset(p, 0, sizeof(*p));
    if (n < 1 || groups < 1)
        return 0;
    int r = n < 3 ? n : 3;
    p->replicas = malloc((size_t)groups * (size_t)r * sizeof(*p->replicas));
    load = calloc((size_t)n / 2 + 1, sizeof(*load));
    if (!p->replicas || !load)
        goto cleanup;
    p->groups = groups;
    p->r = r;

    int full = groups / n;
    int rest = groups % n;
    for (int k = 0; k <= full; k++) {
        int m = (k < full) ? n : rest;
        if (m == 0)
            break;
        int a = 0, b = 0;
        if (r >= 2 && k < full) {
            choose_round(load, n, r, &a, &b);
        } else if (r >= 2) {
            /* Partial round: starts 0, m, 2m put its r*m replicas on
             * consecutive ring slots (within 1 per front end). When
             * 2m = N the first two already cover the ring once, so any
             * third offset keeps it within 1. */
            a = m;
            b = (2 * m) % n;
            if (b == 0)
                b = 1;
        }
        for (int i = 0; i < m; i++) {
            int *rep = &p->replicas[((size_t)k * n + i) * r];
            rep[0] = i;
            if (r >= 2)
                rep[1] = (i + a) % n;
            if (r >= 3)
                rep[2] = (i + b) % n;
        }
    }
    ret = 0;

cleanup:
    free(load);
    if (ret != 0)
        sim_placement_release(p);
    return ret;
}

int sim_placement_init(sim_placement *p, const qr_topology *t)
{
    return sim_placement_init_n(p, t->pool.n_frontends, t->pool.routing_groups);
}

void sim_placement_release(sim_placement *p)
{
    if (!p)
        return;
    free(p->replicas);
    memset(p, 0, sizeof(*p));
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Rows are r+1 ints: r, then the sorted replica indices. qsort has no
 * context argument in C11, so each row carries its own width. */
static int cmp_row(const void *a, const void *b)
{
    const int *x = a, *y = b;
    for (int j = 1; j <= x[0]; j++)
        if (x[j] != y[j])
            return (x[j] > y[j]) - (x[j] < y[j]);
    return 0;
}

int sim_replica_sets_init(sim_replica_sets *s, const sim_placement *p)
{
    memset(s, 0, sizeof(*s));
    if (p->groups <= 0 || p->r <= 0)
        return 0;
    int r = p->r, w = r + 1;
    int *rows = malloc((size_t)p->groups * (size_t)w * sizeof(*rows));
    s->fe = malloc((size_t)p->groups * (size_t)r * sizeof(*s->fe));
    s->count = calloc((size_t)p->groups, sizeof(*s->count));
    if (!rows || !s->fe || !s->count) {
        free(rows);
        sim_replica_sets_release(s);
        return -1;
    }
    for (int g = 0; g < p->groups; g++) {
        int *row = &rows[(size_t)g * w];
        row[0] = r;
        for (int j = 0; j < r; j++)
            row[1 + j] = p->replicas[(size_t)g * r + j];
        qsort(row + 1, (size_t)r, sizeof(int), cmp_int);
    }
    qsort(rows, (size_t)p->groups, (size_t)w * sizeof(int), cmp_row);
    int k = -1;
    for (int g = 0; g < p->groups; g++) {
        const int *row = &rows[(size_t)g * w];
        if (g == 0 || cmp_row(row, row - w) != 0) {
            k++;
            memcpy(&s->fe[(size_t)k * r], row + 1, (size_t)r * sizeof(int));
        }
        s->count[k]++;
    }
    s->n_sets = k + 1;
    s->r = r;
    free(rows);
    return 0;
}

void sim_replica_sets_release(sim_replica_sets *s)
{
    if (!s)
        return;
    free(s->fe);
    free(s->count);
    memset(s, 0, sizeof(*s));
}
