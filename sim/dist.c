/*
 * dist.c: sampling and variance of qr_dist (dist.h) by inversion, except
 * the lognormal which uses Box-Muller. sim_rng_uniform never returns 0 or 1,
 * so every log() below is finite and every draw of a finite positive mean is
 * finite and positive.
 */
#include "dist.h"

#include <math.h>

/* Weibull scale giving the requested mean for shape k. */
static double weibull_scale(double mean, double k)
{
    return mean / tgamma(1.0 + 1.0 / k);
}

double sim_dist_sample(const qr_dist *d, sim_rng *r)
{
    if (isinf(d->mean))
        return INFINITY;
    switch (d->kind) {
    case QR_DIST_EXPONENTIAL:
        return -d->mean * log(sim_rng_uniform(r));
    case QR_DIST_WEIBULL: {
        double k = d->shape;
        return weibull_scale(d->mean, k) * pow(-log(sim_rng_uniform(r)), 1.0 / k);
    }
    case QR_DIST_LOGNORMAL: {
        double sigma = d->shape;
        double mu = log(d->mean) - 0.5 * sigma * sigma;
        double u1 = sim_rng_uniform(r);
        double u2 = sim_rng_uniform(r);
        double z = sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
        return exp(mu + sigma * z);
    }
    case QR_DIST_FIXED:
        return d->mean;
    }
    return d->mean;
}

double sim_dist_variance(const qr_dist *d)
{
    if (isinf(d->mean))
        return INFINITY;
    double m = d->mean;
    switch (d->kind) {
    case QR_DIST_EXPONENTIAL:
        return m * m;
    case QR_DIST_WEIBULL: {
        double k = d->shape;
        double scale = weibull_scale(m, k);
        double g1 = tgamma(1.0 + 1.0 / k);
        return scale * scale * (tgamma(1.0 + 2.0 / k) - g1 * g1);
    }
    case QR_DIST_LOGNORMAL:
        return expm1(d->shape * d->shape) * m * m;
    case QR_DIST_FIXED:
        return 0.0;
    }
    return 0.0;
}
