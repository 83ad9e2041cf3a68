/*
 * dist.h: draws from the failure and repair distributions of a topology
 * (qr_dist in topology.h, M0.3), in seconds.
 *
 * Parameterisation (every kind is given by its mean):
 *   exponential  rate 1/mean
 *   weibull      shape k = d->shape, scale = mean / tgamma(1 + 1/k)
 *   lognormal    sigma = d->shape, mu = log(mean) - sigma^2 / 2
 *   fixed        always the mean
 * A mean of INFINITY ("never") gives INFINITY. Pure functions: the only
 * state is the caller's generator.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <math.h>
#include <stdint.h>

#include "sim/rng.h"
#include "model/topology.h"

/* The ziggurat's layer limits and widths (ziggurat_tables.h), for the
 * inline fast path below. */
extern const uint64_t *const sim_dist_zig_k;
extern const double *const sim_dist_zig_w;

/* The rest of a standard exponential draw whose first 64-bit draw gave
 * layer i and integer j but was not accepted at once (dist.c). */
double sim_dist_std_exponential_rest(sim_rng *r, uint64_t j, unsigned i);

/* A standard exponential draw (mean 1) by the ziggurat method: usually one
 * sim_rng_next, a table lookup and a multiply (inline here, as it is the
 * simulator's most frequent draw); sometimes a few more draws. Always
 * finite and > 0. */
static inline double sim_dist_std_exponential(sim_rng *r)
{
    uint64_t j = sim_rng_next(r) >> 3;
    unsigned i = (unsigned)(j & 0xff);
    j >>= 8; /* 53 bits */
    if (j < sim_dist_zig_k[i] && j != 0)
        return (double)j * sim_dist_zig_w[i];
    return sim_dist_std_exponential_rest(r, j, i);
}

/* sim_dist_sample() for every case (dist.c). */
double sim_dist_sample_any(const qr_dist *d, sim_rng *r);

/* One draw from *d using generator r. Exponential: sim_dist_std_exponential
 * times the mean (inline); weibull consumes one sim_rng_uniform, lognormal
 * two (Box-Muller, the second normal discarded), fixed and infinite means
 * none. Requires mean >= 0, weibull shape > 0, lognormal shape >= 0 (the
 * loader guarantees these). Returns seconds, > 0 for a positive finite
 * mean, or INFINITY. */
static inline double sim_dist_sample(const qr_dist *d, sim_rng *r)
{
    if (d->kind == QR_DIST_EXPONENTIAL && d->mean < INFINITY)
        return d->mean * sim_dist_std_exponential(r);
    return sim_dist_sample_any(d, r);
}

/* Analytic variance of *d in seconds^2: exponential mean^2; weibull
 * scale^2 (G(1+2/k) - G(1+1/k)^2); lognormal (exp(sigma^2) - 1) mean^2; fixed
 * 0. INFINITY when the mean is INFINITY. */
double sim_dist_variance(const qr_dist *d);

#endif
