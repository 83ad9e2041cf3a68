/*
 * dist.c: sampling and variance of qr_dist (dist.h). The exponential, by
 * far the most drawn (every failure and repair by default), uses the
 * ziggurat method (Marsaglia & Tsang 2000, 256 layers, tables in
 * ziggurat_tables.h): one 64-bit draw, a table lookup and a multiply in
 * about 99% of draws, no logarithm; the rest take the exact wedge or tail
 * path. The Weibull uses inversion, the lognormal Box-Muller.
 * sim_rng_uniform never returns 0 or 1, so every log() below is finite,
 * and a zero ziggurat draw is drawn again, so every draw of a finite
 * positive mean is finite and positive.
 */
#include "sim/dist.h"

#include <math.h>

#include "sim/ziggurat_tables.h"

const uint64_t *const sim_dist_zig_k = zig_exp_k;
const double *const sim_dist_zig_w = zig_exp_w;

double sim_dist_std_exponential_rest(sim_rng *r, uint64_t j, unsigned i)
{
    for (;;) {
        double x = (double)j * zig_exp_w[i];
        if (j < zig_exp_k[i]) {
            if (j != 0)
                return x;
            /* x = 0: draw again */
        } else if (i == 0) {
            return ZIG_EXP_R - log(sim_rng_uniform(r)); /* the tail beyond R */
        } else if ((zig_exp_f[i - 1] - zig_exp_f[i]) * sim_rng_uniform(r) + zig_exp_f[i] <
                   exp(-x)) {
            return x;
        }
        j = sim_rng_next(r) >> 3;
        i = (unsigned)(j & 0xff);
        j >>= 8; /* 53 bits */
    }
}

/* Weibull scale giving the requested mean for shape k. */
static double weibull_scale(double mean, double k)
{
    return mean / tgamma(1.0 + 1.0 / k);
}

double sim_dist_sample_any(const qr_dist *d, sim_rng *r)
{
    if (isinf(d->mean))
        return INFINITY;
    switch (d->kind) {
    case QR_DIST_EXPONENTIAL:
        return d->mean * sim_dist_std_exponential(r);
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
