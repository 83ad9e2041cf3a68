/*
 * test_err.c: unit tests of the error-buffer setter (src/util/err.h): the
 * message is formatted as snprintf formats it, cut to the buffer and
 * always terminated, and a NULL buffer or a zero length is left alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "util/err.h"

static void test_err_formats(void **state)
{
    (void)state;
    char err[64], want[64];
    qr_err_set(err, sizeof(err), "no feature %d of %s (%.1f%%)", 7, "pool", 99.5);
    snprintf(want, sizeof(want), "no feature %d of %s (%.1f%%)", 7, "pool", 99.5);
    assert_string_equal(err, want);
    assert_string_equal(err, "no feature 7 of pool (99.5%)");
    /* a later message replaces the earlier one whole */
    qr_err_set(err, sizeof(err), "out of memory");
    assert_string_equal(err, "out of memory");
}

static void test_err_truncates(void **state)
{
    (void)state;
    char err[8];
    memset(err, 'x', sizeof(err));
    qr_err_set(err, 5, "cannot write '%s'", "r.html");
    assert_string_equal(err, "cann");
    assert_int_equal(err[5], 'x'); /* nothing past errlen touched */
    qr_err_set(err, 1, "anything");
    assert_string_equal(err, "");
}

static void test_err_no_buffer(void **state)
{
    (void)state;
    char err[8] = "kept";
    qr_err_set(err, 0, "ignored %d", 1);
    assert_string_equal(err, "kept");
    qr_err_set(NULL, 0, "ignored");
    qr_err_set(NULL, 16, "ignored"); /* a length without a buffer */
}

static void vset(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    qr_err_vset(err, errlen, fmt, ap);
    va_end(ap);
}

static void test_err_vset(void **state)
{
    (void)state;
    char err[32];
    vset(err, sizeof(err), "igraph: %s: %s", "is_dag", "failed");
    assert_string_equal(err, "igraph: is_dag: failed");
    vset(NULL, 0, "%s", "ignored");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_formats),
        cmocka_unit_test(test_err_truncates),
        cmocka_unit_test(test_err_no_buffer),
        cmocka_unit_test(test_err_vset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
