/*
 * lhs.c: the Latin hypercube, percentiles and rank correlation of a
 * sensitivity analysis (lhs.h). Every loop runs in index order and every
 * random number comes from an explicit generator seeded by (seed, the
 * parameter's key), so the sample does not depend on threads or on the
 * order parameters are listed in.
 */
#include "compare/lhs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"

/* Apart from the simulator's streams: the sample's generator is seeded
 * with the seed XOR this, so a replication's stream and a parameter's
 * column cannot be the same stream by construction of the numbers. */
#define LHS_SALT 0x4C48533A53414D50u /* "LHS:SAMP" */

int qr_lhs_sample(int n, int dims, const uint64_t *keys, uint64_t seed, double *q)
{
    if (n < 1 || dims < 1)
        return 0;
    int *perm = malloc(sizeof(*perm) * (size_t)n);
    if (!perm)
        return -1;
    for (int k = 0; k < dims; k++) {
        sim_rng r;
        sim_rng_seed(&r, seed ^ LHS_SALT, keys[k]);
        /* Fisher-Yates: position s takes a uniformly chosen stratum among
         * those left. */
        for (int s = 0; s < n; s++)
            perm[s] = s;
        for (int s = n - 1; s > 0; s--) {
            int j = (int)(sim_rng_uniform(&r) * (s + 1));
            if (j > s) /* u < 1, so never; kept for safety */
                j = s;
            int t = perm[s];
            perm[s] = perm[j];
            perm[j] = t;
        }
        for (int s = 0; s < n; s++)
            q[(size_t)s * (size_t)dims + (size_t)k] = (perm[s] + sim_rng_uniform(&r)) / n;
    }
    free(perm);
    return 0;
}

double qr_percentile_sorted(const double *sorted, int n, double p)
{
    if (n < 1)
        return NAN;
    double h = (n - 1) * p;
    int lo = (int)floor(h);
    if (lo < 0)
        lo = 0;
    if (lo >= n - 1)
        return sorted[n - 1];
    return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double qr_percentile(const double *x, int n, double p)
{
    if (n < 1)
        return NAN;
    double *s = malloc(sizeof(*s) * (size_t)n);
    if (!s)
        return NAN;
    memcpy(s, x, sizeof(*s) * (size_t)n);
    qsort(s, (size_t)n, sizeof(*s), cmp_double);
    double v = qr_percentile_sorted(s, n, p);
    free(s);
    return v;
}

/* Index and value, to sort indices by value (ties by index: stable). */
typedef struct {
    double v;
    int    i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* rank[i] = the 1-based rank of x[i], ties their average. */
static void ranks(const double *x, int n, double *rank, ranked *tmp)
{
    for (int i = 0; i < n; i++)
        tmp[i] = (ranked){ x[i], i };
    qsort(tmp, (size_t)n, sizeof(*tmp), cmp_ranked);
    for (int a = 0; a < n;) {
        int b = a;
        while (b + 1 < n && tmp[b + 1].v == tmp[a].v)
            b++;
        double r = (a + b) / 2.0 + 1; /* the average of ranks a+1 .. b+1 */
        for (int k = a; k <= b; k++)
            rank[tmp[k].i] = r;
        a = b + 1;
    }
}

double qr_spearman(const double *x, const double *y, int n)
{
    if (n < 3)
        return NAN;
    double *rx = malloc(sizeof(double) * (size_t)n * 2);
    ranked *tmp = malloc(sizeof(*tmp) * (size_t)n);
    if (!rx || !tmp) {
        free(rx);
        free(tmp);
        return NAN;
    }
    double *ry = rx + n;
    ranks(x, n, rx, tmp);
    ranks(y, n, ry, tmp);
    double mean = (n + 1) / 2.0, sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) {
        double a = rx[i] - mean, b = ry[i] - mean;
        sxy += a * b;
        sxx += a * a;
        syy += b * b;
    }
    free(rx);
    free(tmp);
    if (!(sxx > 0) || !(syy > 0))
        return NAN;
    return sxy / sqrt(sxx * syy);
}
