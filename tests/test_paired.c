/*
 * test_paired.c: the paired difference of src/compare/paired.h against hand
 * computations: its mean, Student t half-width and interval, the
 * independent half-width, the verdict, and the edge cases (one pair, none);
 * positively correlated series give a narrower paired interval than
 * independent runs would, negatively correlated ones a wider one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "compare/paired.h"

static void near(double got, double want)
{
    if (fabs(got - want) > 1e-4)
        fail_msg("got %.6f, want %.6f", got, want);
}

/* x = 1 2 3 4, y = 0 1 3 3: d = 1 1 0 1, mean 0.75, sd 0.5, t(0.975, 3) =
 * 3.1824, half-width 3.1824 * 0.5 / 2 = 0.7956; var x = 5/3, var y = 9/4,
 * independent half-width 3.1824 * sqrt((5/3 + 9/4) / 4) = 3.1491. */
static void test_paired_hand_computed(void **state)
{
    (void)state;
    const double x[] = { 1, 2, 3, 4 }, y[] = { 0, 1, 3, 3 };
    qr_paired p = qr_paired_diff(x, y, 4);
    assert_int_equal(p.n, 4);
    near(p.mean, 0.75);
    near(p.half_width, 0.7956);
    near(p.low, 0.75 - 0.7956);
    near(p.high, 0.75 + 0.7956);
    near(p.independent_half_width, 3.1491);
    assert_true(qr_paired_contains_zero(&p));
    assert_true(p.half_width < p.independent_half_width);

    /* Shifted by 1: the interval [0.95, 2.55] excludes 0. */
    const double y1[] = { -1, 0, 2, 2 };
    p = qr_paired_diff(x, y1, 4);
    near(p.mean, 1.75);
    assert_false(qr_paired_contains_zero(&p));
}

/* Opposite series: the differences vary more than either series, so the
 * paired interval is wider than the independent one. x = 1 2 3, y = 3 2 1:
 * d = -2 0 2, sd 2, t(2) = 4.3027, half-width 4.3027 * 2 / sqrt(3) = 4.9683;
 * independent 4.3027 * sqrt(2 / 3) = 3.5131. */
static void test_paired_negative_correlation(void **state)
{
    (void)state;
    const double x[] = { 1, 2, 3 }, y[] = { 3, 2, 1 };
    qr_paired p = qr_paired_diff(x, y, 3);
    near(p.mean, 0);
    near(p.half_width, 4.9683);
    near(p.independent_half_width, 3.5131);
    /* Negatively correlated replications: pairing widens the interval. */
    assert_true(p.half_width > p.independent_half_width);
    assert_true(qr_paired_contains_zero(&p));
}

static void test_paired_edge_cases(void **state)
{
    (void)state;
    const double x[] = { 5 }, y[] = { 2 };
    qr_paired p = qr_paired_diff(x, y, 1);
    assert_int_equal(p.n, 1);
    near(p.mean, 3);
    near(p.half_width, 0);
    near(p.low, 3);
    assert_false(qr_paired_contains_zero(&p));
    p = qr_paired_diff(x, y, 0);
    assert_int_equal(p.n, 0);
    near(p.mean, 0);
    assert_true(qr_paired_contains_zero(&p));
    /* Equal series: a zero-width interval at 0 is a tie. */
    p = qr_paired_diff(x, x, 1);
    assert_true(qr_paired_contains_zero(&p));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paired_hand_computed),
        cmocka_unit_test(test_paired_negative_correlation),
        cmocka_unit_test(test_paired_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
