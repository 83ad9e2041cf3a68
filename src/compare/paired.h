/*
 * paired.h: paired comparisons of two designs simulated with common random
 * numbers (docs/compare.md, "Paired differences"). Replication i of every
 * design of one comparison runs on the same random streams (sim/engine.c
 * seed_streams), so x[i] and y[i] are a pair: the difference x[i] - y[i]
 * cancels the luck the two replications share, and the Student t interval
 * of those differences is narrower than the one two independent runs give
 * whenever the designs' results are positively correlated.
 *
 * Nothing here allocates; the arrays belong to the caller.
 */
#ifndef QR_PAIRED_H
#define QR_PAIRED_H

#include <stdbool.h>

/* The paired difference x - y over n replications. */
typedef struct {
    int    n;                      /* pairs                                 */
    double mean;                   /* mean of x[i] - y[i]                   */
    double half_width;             /* t(0.975, n-1) * sd(x - y) / sqrt(n);  */
                                   /*   0 when n < 2                        */
    double low, high;              /* mean -/+ half_width                   */
    double independent_half_width; /* what two independent runs of n would */
                                   /*   give: t(0.975, n-1) *               */
                                   /*   sqrt(var(x)/n + var(y)/n), i.e.     */
                                   /*   sqrt(hw(x)^2 + hw(y)^2)             */
} qr_paired;

/* The paired difference of x[0..n-1] and y[0..n-1], summed in index order
 * (the same bytes whatever the thread count that produced them). n < 1
 * gives all zeros. O(n). */
qr_paired qr_paired_diff(const double *x, const double *y, int n);

/* True when the interval [low, high] contains 0: the two designs are not
 * distinguishable at 95%. */
bool qr_paired_contains_zero(const qr_paired *p);

#endif
