/*
 * test_units.c: the strict scalar parsers of units.c: every unit, "never",
 * percentages, numbers, integers, and every kind of rejection with its
 * reason (no unit, unknown unit, overflow, NaN/inf, zero, negative,
 * trailing garbage).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/units.h"

static double dur(const char *s)
{
    double v = -1;
    const char *reason = NULL;
    assert_int_equal(qr_units_duration(s, &v, &reason), 0);
    return v;
}

static const char *dur_reason(const char *s)
{
    double v = 12345;
    const char *reason = NULL;
    assert_int_equal(qr_units_duration_or_never(s, &v, &reason), -1);
    assert_non_null(reason);
    assert_true(v == 12345); /* untouched on failure */
    return reason;
}

static void test_units_duration_every_unit(void **state)
{
    (void)state;
    assert_true(fabs(dur("250ms") - 0.25) < 1e-12);
    assert_true(dur("90s") == 90.0);
    assert_true(dur("15m") == 900.0);
    assert_true(dur("4h") == 14400.0);
    assert_true(dur("30d") == 30 * 86400.0);
    assert_true(dur("2w") == 14 * 86400.0);
    assert_true(fabs(dur("1y") - 365.25 * 86400.0) < 1e-6);
    assert_true(fabs(dur("6mo") - 0.5 * 365.25 * 86400.0) < 1e-6);
    assert_true(fabs(dur("1.5y") - 1.5 * 365.25 * 86400.0) < 1e-6);
    assert_true(fabs(dur("0.5h") - 1800.0) < 1e-9);
    assert_true(dur("1e3s") == 1000.0);
    assert_true(dur("+5m") == 300.0);
}

static void test_units_duration_never(void **state)
{
    (void)state;
    double v = 0;
    const char *reason = NULL;
    assert_int_equal(qr_units_duration_or_never("never", &v, &reason), 0);
    assert_true(isinf(v));
    /* Plain durations refuse it. */
    assert_int_equal(qr_units_duration("never", &v, &reason), -1);
    assert_string_equal(reason, "not a number");
}

static void test_units_duration_rejects(void **state)
{
    (void)state;
    assert_string_equal(dur_reason("15"), "no unit");
    assert_string_equal(dur_reason("15 m"), "unknown unit");
    assert_string_equal(dur_reason("15min"), "unknown unit");
    assert_string_equal(dur_reason("15M"), "unknown unit");
    assert_string_equal(dur_reason("4hh"), "unknown unit");
    assert_string_equal(dur_reason("4h "), "unknown unit");
    assert_string_equal(dur_reason(" 4h"), "not a number");
    assert_string_equal(dur_reason(""), "not a number");
    assert_string_equal(dur_reason("h"), "not a number");
    assert_string_equal(dur_reason("1e400y"), "number out of range");
    assert_string_equal(dur_reason("1e-400s"), "number out of range");
    assert_string_equal(dur_reason("1e308y"), "number out of range");
    assert_string_equal(dur_reason("99999999999999999999999999999999999999"
                                   "99999999999999999999999999999999999999"
                                   "99999999999999999999999999999999999999"
                                   "99999999999999999999999999999999999999"
                                   "99999999999999999999999999999999999999"
                                   "99999999999999999999999999999999999999"
                                   "99999999999999999999999999999999999999"
                                   "99999999999999999999999999999999999999"
                                   "99999999999999999999999999999999999999"
                                   "9999999999999999999999999999999999999y"),
                        "number out of range");
    assert_string_equal(dur_reason("nan"), "not a number");
    assert_string_equal(dur_reason("nanh"), "not a number");
    assert_string_equal(dur_reason("infh"), "not a number");
    assert_string_equal(dur_reason("0x10h"), "unknown unit");
    assert_string_equal(dur_reason("0s"), "must be greater than zero");
    assert_string_equal(dur_reason("-5m"), "must be greater than zero");
    assert_string_equal(dur_reason("-0h"), "must be greater than zero");
    assert_string_equal(dur_reason("1.2.3h"), "unknown unit");
    assert_string_equal(dur_reason(".h"), "not a number");
}

/* A moment on a clock (a scenario's `at:`): zero with any unit, as '0s'
 * always was (finding 10 of issue 13: '0m' was "must be greater than
 * zero"); never negative. */
static void test_units_duration_or_zero(void **state)
{
    (void)state;
    static const char *const zeros[] = { "0s", "0m", "0h", "0d", "0ms", "0.0h", "0e5m", "-0m" };
    for (size_t k = 0; k < sizeof(zeros) / sizeof(zeros[0]); k++) {
        double v = 1;
        const char *reason = NULL;
        assert_int_equal(qr_units_duration_or_zero(zeros[k], &v, &reason), 0);
        assert_true(v == 0 && !signbit(v));
    }
    double v = 0;
    const char *reason = NULL;
    assert_int_equal(qr_units_duration_or_zero("5m", &v, &reason), 0);
    assert_true(v == 300);
    assert_int_equal(qr_units_duration_or_zero("-1m", &v, &reason), -1);
    assert_string_equal(reason, "must not be negative");
    assert_int_equal(qr_units_duration_or_zero("0", &v, &reason), -1);
    assert_string_equal(reason, "no unit");
    assert_int_equal(qr_units_duration_or_zero("0min", &v, &reason), -1);
    assert_string_equal(reason, "unknown unit");
}

static void test_units_percent(void **state)
{
    (void)state;
    double f = 0;
    const char *reason = NULL;
    assert_int_equal(qr_units_percent("99.95%", &f, &reason), 0);
    assert_true(fabs(f - 0.9995) < 1e-12);
    assert_int_equal(qr_units_percent("50%", &f, &reason), 0);
    assert_true(f == 0.5);
    assert_int_equal(qr_units_percent("99.95", &f, &reason), -1);
    assert_string_equal(reason, "no '%'");
    assert_int_equal(qr_units_percent("99%x", &f, &reason), -1);
    assert_string_equal(reason, "trailing characters");
    assert_int_equal(qr_units_percent("100%", &f, &reason), -1);
    assert_string_equal(reason, "must be between 0% and 100%, both excluded");
    assert_int_equal(qr_units_percent("0%", &f, &reason), -1);
    assert_int_equal(qr_units_percent("-1%", &f, &reason), -1);
    assert_int_equal(qr_units_percent("1e400%", &f, &reason), -1);
    assert_string_equal(reason, "number out of range");
    assert_int_equal(qr_units_percent("%", &f, &reason), -1);
    assert_string_equal(reason, "not a number");
}

static void test_units_number_and_integer(void **state)
{
    (void)state;
    double v = 0;
    long long i = 0;
    const char *reason = NULL;
    assert_int_equal(qr_units_number("1200.5", &v, &reason), 0);
    assert_true(v == 1200.5);
    assert_int_equal(qr_units_number("-3", &v, &reason), 0);
    assert_true(v == -3.0);
    assert_int_equal(qr_units_number("1e400", &v, &reason), -1);
    assert_string_equal(reason, "number out of range");
    assert_int_equal(qr_units_number("12abc", &v, &reason), -1);
    assert_string_equal(reason, "trailing characters");
    assert_int_equal(qr_units_number(".nan", &v, &reason), -1);
    assert_string_equal(reason, "not a number");
    assert_int_equal(qr_units_number("inf", &v, &reason), -1);

    assert_int_equal(qr_units_integer("64", &i, &reason), 0);
    assert_int_equal(i, 64);
    assert_int_equal(qr_units_integer("-7", &i, &reason), 0);
    assert_int_equal(i, -7);
    assert_int_equal(qr_units_integer("9223372036854775807", &i, &reason), 0);
    assert_true(i == 9223372036854775807LL);
    assert_int_equal(qr_units_integer("99999999999999999999", &i, &reason), -1);
    assert_string_equal(reason, "number out of range");
    assert_int_equal(qr_units_integer("1.5", &i, &reason), -1);
    assert_string_equal(reason, "not an integer");
    assert_int_equal(qr_units_integer("", &i, &reason), -1);
    assert_int_equal(qr_units_integer("+1", &i, &reason), -1);
    assert_int_equal(qr_units_integer("1e3", &i, &reason), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_units_duration_every_unit),
        cmocka_unit_test(test_units_duration_never),
        cmocka_unit_test(test_units_duration_rejects),
        cmocka_unit_test(test_units_duration_or_zero),
        cmocka_unit_test(test_units_percent),
        cmocka_unit_test(test_units_number_and_integer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
