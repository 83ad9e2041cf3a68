/*
 * test_dist.c: unit tests of sim/dist.h (M0.3). For each kind and a
 * range of shapes, 10^6 draws with a fixed seed must have a sample mean and
 * variance within 4 standard errors of the analytic values (standard errors
 * from the distribution's own fourth central moment), and the sample median
 * must sit at the analytic median. Also: a Kolmogorov-Smirnov test and the
 * tail of the ziggurat exponential, its tables, INFINITY means, fixed draws,
 * the weibull k = 1 / exponential identity and the analytic variances.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/dist.h"
#include "sim/rng.h"
#include "sim/ziggurat_tables.h"

#define N_DRAWS 1000000

/* Raw moments E[X^j], j = 1..4, of *d. */
static void raw_moments(const qr_dist *d, double m[5])
{
    for (int j = 1; j <= 4; j++) {
        switch (d->kind) {
        case QR_DIST_EXPONENTIAL:
            m[j] = tgamma(1.0 + j) * pow(d->mean, j);
            break;
        case QR_DIST_WEIBULL: {
            double k = d->shape, scale = d->mean / tgamma(1.0 + 1.0 / k);
            m[j] = pow(scale, j) * tgamma(1.0 + j / k);
            break;
        }
        case QR_DIST_LOGNORMAL: {
            double s = d->shape, mu = log(d->mean) - s * s / 2;
            m[j] = exp(j * mu + j * j * s * s / 2);
            break;
        }
        case QR_DIST_FIXED:
            m[j] = pow(d->mean, j);
            break;
        }
    }
}

static double analytic_median(const qr_dist *d)
{
    switch (d->kind) {
    case QR_DIST_EXPONENTIAL:
        return d->mean * log(2.0);
    case QR_DIST_WEIBULL: {
        double k = d->shape;
        return d->mean / tgamma(1.0 + 1.0 / k) * pow(log(2.0), 1.0 / k);
    }
    case QR_DIST_LOGNORMAL:
        return exp(log(d->mean) - d->shape * d->shape / 2);
    case QR_DIST_FIXED:
        return d->mean;
    }
    return d->mean;
}

/* Draw N_DRAWS values and check mean, variance and median. */
static void check_moments(qr_dist d, uint64_t seed)
{
    double m[5];
    raw_moments(&d, m);
    double mean = m[1];
    double var = m[2] - m[1] * m[1];
    double mu4 = m[4] - 4 * m[1] * m[3] + 6 * m[1] * m[1] * m[2] - 3 * pow(m[1], 4);
    double median = analytic_median(&d);

    /* The analytic variance of dist.c agrees with the moments. */
    assert_true(fabs(sim_dist_variance(&d) - var) <= 1e-9 * var);

    sim_rng r;
    sim_rng_seed(&r, seed, 0);
    double sum = 0.0, sumsq = 0.0;
    long below = 0;
    /* Centre on the analytic mean for a numerically stable sum of squares. */
    for (int i = 0; i < N_DRAWS; i++) {
        double x = sim_dist_sample(&d, &r);
        assert_true(x > 0.0 && isfinite(x));
        sum += x - mean;
        sumsq += (x - mean) * (x - mean);
        below += (x < median);
    }
    double n = N_DRAWS;
    double dev_mean = sum / n;
    double sample_var = sumsq / n - dev_mean * dev_mean;
    double se_mean = sqrt(var / n);
    double se_var = sqrt((mu4 - var * var) / n);
    print_message("kind %d mean %g shape %g: mean off %.2f se, var off %.2f se\n",
                  (int)d.kind, d.mean, d.shape, dev_mean / se_mean,
                  (sample_var - var) / se_var);
    assert_true(fabs(dev_mean) < 4.0 * se_mean);
    assert_true(fabs(sample_var - var) < 4.0 * se_var);
    /* Half the draws fall below the median: binomial sd sqrt(n/4). */
    assert_true(fabs(below - n / 2) < 4.0 * sqrt(n / 4));
}

static void test_dist_exponential_moments(void **state)
{
    (void)state;
    check_moments((qr_dist){ QR_DIST_EXPONENTIAL, 1.0, 0.0 }, 1);
    check_moments((qr_dist){ QR_DIST_EXPONENTIAL, 2000.0 * 3600.0, 0.0 }, 2);
    check_moments((qr_dist){ QR_DIST_EXPONENTIAL, 8.0 * 3600.0, 0.0 }, 3);
}

static void test_dist_weibull_moments(void **state)
{
    (void)state;
    check_moments((qr_dist){ QR_DIST_WEIBULL, 3600.0, 0.5 }, 11);
    check_moments((qr_dist){ QR_DIST_WEIBULL, 3600.0, 1.0 }, 12);
    check_moments((qr_dist){ QR_DIST_WEIBULL, 3600.0, 1.5 }, 13);
    check_moments((qr_dist){ QR_DIST_WEIBULL, 3600.0, 3.0 }, 14);
    check_moments((qr_dist){ QR_DIST_WEIBULL, 15768000.0, 0.8 }, 15);
}

static void test_dist_lognormal_moments(void **state)
{
    (void)state;
    check_moments((qr_dist){ QR_DIST_LOGNORMAL, 14400.0, 0.25 }, 21);
    check_moments((qr_dist){ QR_DIST_LOGNORMAL, 14400.0, 0.5 }, 22);
    check_moments((qr_dist){ QR_DIST_LOGNORMAL, 14400.0, 1.0 }, 23);
}

static void test_dist_fixed_is_the_mean(void **state)
{
    (void)state;
    qr_dist d = { QR_DIST_FIXED, 900.0, 0.0 };
    sim_rng r, before;
    sim_rng_seed(&r, 5, 0);
    before = r;
    for (int i = 0; i < 100; i++)
        assert_true(sim_dist_sample(&d, &r) == 900.0);
    assert_memory_equal(r.s, before.s, sizeof(r.s)); /* no draw consumed */
    assert_true(sim_dist_variance(&d) == 0.0);
}

static void test_dist_infinite_mean_never(void **state)
{
    (void)state;
    const qr_dist_kind kinds[] = { QR_DIST_EXPONENTIAL, QR_DIST_WEIBULL,
                                   QR_DIST_LOGNORMAL, QR_DIST_FIXED };
    for (size_t k = 0; k < 4; k++) {
        qr_dist d = { kinds[k], INFINITY, 1.5 };
        sim_rng r, before;
        sim_rng_seed(&r, 6, 0);
        before = r;
        double x = sim_dist_sample(&d, &r);
        assert_true(isinf(x) && x > 0);
        assert_memory_equal(r.s, before.s, sizeof(r.s));
        assert_true(isinf(sim_dist_variance(&d)));
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Kolmogorov-Smirnov statistic of N_DRAWS draws of *d against the
 * exponential CDF of mean m. */
static double ks_exponential(const qr_dist *d, double m, uint64_t seed, long *beyond_r,
                             long *beyond_12)
{
    double *x = malloc(sizeof(double) * N_DRAWS);
    assert_non_null(x);
    sim_rng r;
    sim_rng_seed(&r, seed, 0);
    *beyond_r = *beyond_12 = 0;
    for (int i = 0; i < N_DRAWS; i++) {
        x[i] = sim_dist_sample(d, &r) / m;
        assert_true(x[i] > 0.0 && isfinite(x[i]));
        *beyond_r += x[i] > ZIG_EXP_R;
        *beyond_12 += x[i] > 12.0;
    }
    qsort(x, N_DRAWS, sizeof(double), cmp_double);
    double dmax = 0.0;
    for (int i = 0; i < N_DRAWS; i++) {
        double f = -expm1(-x[i]);
        double lo = f - (double)i / N_DRAWS, hi = (double)(i + 1) / N_DRAWS - f;
        dmax = fmax(dmax, fmax(lo, hi));
    }
    free(x);
    return dmax;
}

/* The ziggurat exponential (dist.c) has the exponential distribution: the
 * KS statistic of 10^6 draws is below the 0.1% critical value 1.95/sqrt(n),
 * across the layers, wedges and the tail beyond R (P = e^-R, and
 * P(X > 12) = e^-12, each within 4 binomial standard deviations). */
static void test_dist_exponential_ks_and_tail(void **state)
{
    (void)state;
    qr_dist e = { QR_DIST_EXPONENTIAL, 3600.0, 0.0 };
    long beyond_r, beyond_12;
    double ks = ks_exponential(&e, 3600.0, 31, &beyond_r, &beyond_12);
    print_message("exponential: KS %.6f (critical %.6f), beyond R %ld, beyond 12 %ld\n", ks,
                  1.95 / sqrt(N_DRAWS), beyond_r, beyond_12);
    assert_true(ks < 1.95 / sqrt(N_DRAWS));
    double n = N_DRAWS, pr = exp(-ZIG_EXP_R), p12 = exp(-12.0);
    assert_true(fabs(beyond_r - n * pr) < 4.0 * sqrt(n * pr * (1 - pr)));
    assert_true(fabs(beyond_12 - n * p12) < 4.0 * sqrt(n * p12 * (1 - p12)) + 1.0);
}

/* Weibull with k = 1 is the exponential distribution (by inversion rather
 * than the ziggurat): same KS check. */
static void test_dist_weibull_shape_one_is_exponential(void **state)
{
    (void)state;
    qr_dist w = { QR_DIST_WEIBULL, 7200.0, 1.0 };
    long beyond_r, beyond_12;
    assert_true(ks_exponential(&w, 7200.0, 77, &beyond_r, &beyond_12) < 1.95 / sqrt(N_DRAWS));
}

/* sim/ziggurat_tables.h (generated by tests/gen_ziggurat_tables.py) holds
 * Marsaglia & Tsang's recurrence, recomputed here. */
static void test_dist_ziggurat_tables(void **state)
{
    (void)state;
    const double v = 0.0039496598225815571993, m = 9007199254740992.0; /* 2^53 */
    double de = ZIG_EXP_R, te = ZIG_EXP_R;
    double q = v / exp(-de);
    assert_true(zig_exp_k[0] == (uint64_t)((de / q) * m));
    assert_true(zig_exp_k[1] == 0);
    assert_true(zig_exp_w[0] == q / m && zig_exp_w[255] == de / m);
    assert_true(zig_exp_f[0] == 1.0 && zig_exp_f[255] == exp(-de));
    for (int i = 254; i >= 1; i--) {
        de = -log(v / de + exp(-de));
        assert_true(zig_exp_k[i + 1] == (uint64_t)((de / te) * m));
        te = de;
        assert_true(zig_exp_f[i] == exp(-de));
        assert_true(zig_exp_w[i] == de / m);
    }
}

/* Spot values of the analytic variances. */
static void test_dist_variance_formulas(void **state)
{
    (void)state;
    qr_dist e = { QR_DIST_EXPONENTIAL, 3.0, 0.0 };
    assert_true(sim_dist_variance(&e) == 9.0);
    /* Weibull k = 2: scale = m / G(1.5), var = scale^2 (1 - pi/4). */
    qr_dist w = { QR_DIST_WEIBULL, 10.0, 2.0 };
    double scale = 10.0 / (sqrt(M_PI) / 2);
    assert_true(fabs(sim_dist_variance(&w) - scale * scale * (1 - M_PI / 4)) < 1e-9);
    /* Lognormal sigma = 1: (e - 1) m^2. */
    qr_dist l = { QR_DIST_LOGNORMAL, 2.0, 1.0 };
    assert_true(fabs(sim_dist_variance(&l) - (M_E - 1) * 4.0) < 1e-12);
}

/* Same seed, same draws: sampling is a pure function of the stream. */
static void test_dist_deterministic(void **state)
{
    (void)state;
    qr_dist d = { QR_DIST_LOGNORMAL, 100.0, 0.7 };
    sim_rng a, b;
    sim_rng_seed(&a, 8, 3);
    sim_rng_seed(&b, 8, 3);
    for (int i = 0; i < 1000; i++) {
        double x = sim_dist_sample(&d, &a), y = sim_dist_sample(&d, &b);
        assert_memory_equal(&x, &y, sizeof(x));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dist_exponential_moments),
        cmocka_unit_test(test_dist_weibull_moments),
        cmocka_unit_test(test_dist_lognormal_moments),
        cmocka_unit_test(test_dist_fixed_is_the_mean),
        cmocka_unit_test(test_dist_infinite_mean_never),
        cmocka_unit_test(test_dist_exponential_ks_and_tail),
        cmocka_unit_test(test_dist_weibull_shape_one_is_exponential),
        cmocka_unit_test(test_dist_ziggurat_tables),
        cmocka_unit_test(test_dist_variance_formulas),
        cmocka_unit_test(test_dist_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
