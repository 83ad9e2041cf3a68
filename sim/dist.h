/*
 * dist.h: draws from the failure and repair distributions of a topology
 * (qr_dist in topology.h, model.md M0.3), in seconds.
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

#include "rng.h"
#include "topology.h"

/* A standard exponential draw (mean 1) by the ziggurat method: usually one
 * sim_rng_next, sometimes a few more. Always finite and > 0. */
double sim_dist_std_exponential(sim_rng *r);

/* One draw from *d using generator r. Exponential: sim_dist_std_exponential
 * times the mean; weibull consumes one sim_rng_uniform, lognormal two
 * (Box-Muller, the second normal discarded), fixed and infinite means none. Requires mean >= 0, weibull
 * shape > 0, lognormal shape >= 0 (the loader guarantees these). Returns
 * seconds, > 0 for a positive finite mean, or INFINITY. */
double sim_dist_sample(const qr_dist *d, sim_rng *r);

/* Analytic variance of *d in seconds^2: exponential mean^2; weibull
 * scale^2 (G(1+2/k) - G(1+1/k)^2); lognormal (exp(sigma^2) - 1) mean^2; fixed
 * 0. INFINITY when the mean is INFINITY. */
double sim_dist_variance(const qr_dist *d);

#endif
