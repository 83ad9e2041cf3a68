/*
 * paired.c: the paired difference of two series of replications and its
 * 95% Student t interval (paired.h), with the interval two independent runs
 * would have given, so that a report can show what the pairing bought.
 */
#include "compare/paired.h"

#include <math.h>
#include <stddef.h>

#include "sim/measures.h"

/* Mean and sum of squared deviations of x[0..n-1], in index order. */
static void moments(const double *x, const double *y, int n, double *mean, double *ss)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += y ? x[i] - y[i] : x[i];
    double m = sum / n, s = 0;
    for (int i = 0; i < n; i++) {
        double v = (y ? x[i] - y[i] : x[i]) - m;
        s += v * v;
    }
    *mean = m;
    *ss = s;
}

qr_paired qr_paired_diff(const double *x, const double *y, int n)
{
    qr_paired p = { 0, 0, 0, 0, 0, 0 };
    if (n < 1)
        return p;
    double ss_d, ss_x, ss_y, mx, my;
    p.n = n;
    moments(x, y, n, &p.mean, &ss_d);
    if (n >= 2) {
        double t = sim_t975(n - 1);
        moments(x, NULL, n, &mx, &ss_x);
        moments(y, NULL, n, &my, &ss_y);
        p.half_width = t * sqrt(ss_d / (n - 1) / n);
        p.independent_half_width = t * sqrt((ss_x + ss_y) / (n - 1) / n);
    }
    p.low = p.mean - p.half_width;
    p.high = p.mean + p.half_width;
    return p;
}

bool qr_paired_contains_zero(const qr_paired *p)
{
    return p->low <= 0 && p->high >= 0;
}
