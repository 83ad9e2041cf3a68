/*
 * lhs.h: Latin hypercube sampling of the uncertain parameters of a
 * sensitivity analysis (docs/sensitivity.md; McKay, Beckman & Conover
 * 1979, MCKAY79 in docs/sources.md), and the statistics the analysis
 * takes of its sample: percentiles and Spearman's rank correlation.
 *
 * A Latin hypercube of n points in d dimensions cuts each dimension's
 * (0, 1) into n equal strata and puts exactly one point in each stratum
 * of each dimension: the n points cover every parameter's whole range
 * evenly, which simple random sampling does only on average. The points
 * are quantiles; the caller maps them through each parameter's
 * distribution (model/uncertain.h).
 *
 * Nothing here allocates except qr_lhs_sample's scratch; arrays belong to
 * the caller.
 */
#ifndef QR_LHS_H
#define QR_LHS_H

#include <stdint.h>

/* Fill q[s * dims + k] (s < n, k < dims) with a Latin hypercube sample:
 * for each dimension k, a random permutation p of 0..n-1 and n uniforms
 * u in (0, 1) drawn from stream keys[k] of seed (sim/rng.h, on a seed
 * derived from `seed`, apart from the simulator's streams; a key made
 * from the parameter's name, sim_rng_key, makes its column independent of
 * the other parameters and of their number) give
 * q = (p[s] + u[s]) / n, strictly inside (0, 1), one in each stratum
 * [j/n, (j+1)/n). Same arguments, same bytes. Returns 0, or -1 when out
 * of memory (n < 1 or dims < 1: nothing to do, 0). O(n x dims). */
int qr_lhs_sample(int n, int dims, const uint64_t *keys, uint64_t seed, double *q);

/* The p-quantile (0 <= p <= 1) of x[0..n-1] (n >= 1) by linear
 * interpolation between order statistics, the definition 7 of Hyndman and
 * Fan (HF96 in docs/sources.md; R's and NumPy's default): with h = (n-1) p,
 * x(floor h) + (h - floor h)(x(floor h + 1) - x(floor h)) on the sorted
 * values. sorted[] must hold x sorted ascending. */
double qr_percentile_sorted(const double *sorted, int n, double p);

/* The same on unsorted x (copied and sorted; x is not changed). NAN when
 * n < 1 or out of memory. */
double qr_percentile(const double *x, int n, double p);

/* Spearman's rank correlation of x[0..n-1] and y[0..n-1]: Pearson's
 * correlation of their ranks, ties given their average rank. NAN when
 * n < 3, when either series is constant, or out of memory. */
double qr_spearman(const double *x, const double *y, int n);

#endif
