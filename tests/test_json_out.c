/*
 * test_json_out.c: unit tests of the JSON writer (src/util/json_out.h): exact
 * pretty layout, number formatting (shortest round trip, integers, non-finite
 * values), string escaping (control characters, UTF-8 pass-through, invalid
 * UTF-8), the sticky error on misuse and qr_json_finish's hand-over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_out.h"

/* Text of a document holding the single number v. */
static char *number_text(double v)
{
    qr_json *j = qr_json_new();
    assert_non_null(j);
    qr_json_number(j, v);
    const char *t = qr_json_text(j);
    assert_non_null(t);
    char *copy = strdup(t);
    qr_json_free(j);
    return copy;
}

static void expect_json_number(double v, const char *want)
{
    char *got = number_text(v);
    assert_string_equal(got, want);
    free(got);
}

static char *string_text(const char *s)
{
    qr_json *j = qr_json_new();
    assert_non_null(j);
    qr_json_string(j, s);
    const char *t = qr_json_text(j);
    assert_non_null(t);
    char *copy = strdup(t);
    qr_json_free(j);
    return copy;
}

static void expect_json_string(const char *s, const char *want)
{
    char *got = string_text(s);
    assert_string_equal(got, want);
    free(got);
}

static void test_json_out_pretty_layout(void **state)
{
    (void)state;
    qr_json *j = qr_json_new();
    assert_non_null(j);
    qr_json_begin_object(j);
    qr_json_key(j, "name");
    qr_json_string(j, "pool");
    qr_json_key(j, "list");
    qr_json_begin_array(j);
    qr_json_int(j, 1);
    qr_json_number(j, 2.5);
    qr_json_begin_object(j);
    qr_json_key(j, "ok");
    qr_json_bool(j, 1);
    qr_json_end_object(j);
    qr_json_end_array(j);
    qr_json_key(j, "empty_obj");
    qr_json_begin_object(j);
    qr_json_end_object(j);
    qr_json_key(j, "empty_arr");
    qr_json_begin_array(j);
    qr_json_end_array(j);
    qr_json_key(j, "none");
    qr_json_null(j);
    qr_json_key(j, "no");
    qr_json_bool(j, 0);
    qr_json_end_object(j);
    assert_string_equal(qr_json_text(j),
                        "{\n"
                        "  \"name\": \"pool\",\n"
                        "  \"list\": [\n"
                        "    1,\n"
                        "    2.5,\n"
                        "    {\n"
                        "      \"ok\": true\n"
                        "    }\n"
                        "  ],\n"
                        "  \"empty_obj\": {},\n"
                        "  \"empty_arr\": [],\n"
                        "  \"none\": null,\n"
                        "  \"no\": false\n"
                        "}");
    qr_json_free(j);
}

static void test_json_out_top_level_scalars(void **state)
{
    (void)state;
    expect_json_number(42, "42");
    expect_json_string("x", "\"x\"");
    qr_json *j = qr_json_new();
    qr_json_begin_array(j);
    qr_json_end_array(j);
    assert_string_equal(qr_json_text(j), "[]");
    qr_json_free(j);
}

static void test_json_out_numbers_shortest(void **state)
{
    (void)state;
    expect_json_number(0.1, "0.1");
    expect_json_number(1.0 / 3.0, "0.3333333333333333");
    expect_json_number(2.0 / 3.0, "0.6666666666666666");
    expect_json_number(0.1 + 0.2, "0.30000000000000004");
    expect_json_number(-1.5, "-1.5");
    expect_json_number(1e300, "1e+300");
    expect_json_number(1.5e-7, "1.5e-07");
    expect_json_number(5e-324, "4.94065645841247e-324");
    expect_json_number(1.7976931348623157e308, "1.7976931348623157e+308");
    expect_json_number(123456.789, "123456.789");
}

static void test_json_out_numbers_integral(void **state)
{
    (void)state;
    expect_json_number(0.0, "0");
    expect_json_number(-0.0, "-0");
    expect_json_number(3.0, "3");
    expect_json_number(-7.0, "-7");
    expect_json_number(1e15, "1000000000000000");
    expect_json_number(31557600.0, "31557600");
    expect_json_number(9007199254740991.0, "9007199254740991"); /* 2^53 - 1 */
    expect_json_number(1e20, "1e+20");
}

static void test_json_out_numbers_nonfinite_null(void **state)
{
    (void)state;
    expect_json_number(NAN, "null");
    expect_json_number(INFINITY, "null");
    expect_json_number(-INFINITY, "null");
}

/* Every finite double written reads back to the same bits. */
static void test_json_out_numbers_round_trip(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof(v));
        if (!isfinite(v))
            continue;
        char *t = number_text(v);
        double back = strtod(t, NULL);
        assert_memory_equal(&back, &v, sizeof(v));
        assert_true(strlen(t) <= 24);
        free(t);
    }
}

static void test_json_out_int_extremes(void **state)
{
    (void)state;
    qr_json *j = qr_json_new();
    qr_json_begin_array(j);
    qr_json_int(j, 9223372036854775807LL);
    qr_json_int(j, -9223372036854775807LL - 1);
    qr_json_int(j, 0);
    qr_json_uint(j, 18446744073709551615ULL); /* a --seed of 2^64 - 1 */
    qr_json_end_array(j);
    assert_string_equal(qr_json_text(j),
                        "[\n  9223372036854775807,\n  -9223372036854775808,\n  0,\n"
                        "  18446744073709551615\n]");
    qr_json_free(j);
}

static void test_json_out_string_escapes(void **state)
{
    (void)state;
    expect_json_string("a\"b\\c", "\"a\\\"b\\\\c\"");
    expect_json_string("line\nnext\ttab\r\b\f", "\"line\\u000anext\\u0009tab\\u000d\\u0008\\u000c\"");
    expect_json_string("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    expect_json_string("/", "\"/\"");
    expect_json_string("", "\"\"");
    expect_json_string(NULL, "null");
}

static void test_json_out_string_utf8(void **state)
{
    (void)state;
    /* Valid: é (2 bytes), € (3), U+1F600 (4), U+10FFFF (max). */
    expect_json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf",
                  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"");
    /* Invalid: lone continuation, overlong '/', surrogate U+D800, above
     * U+10FFFF, truncated sequence at the end. */
    expect_json_string("a\x80z", "\"a\\ufffdz\"");
    expect_json_string("\xc0\xaf", "\"\\ufffd\\ufffd\"");
    expect_json_string("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
    expect_json_string("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    expect_json_string("x\xe2\x82", "\"x\\ufffd\\ufffd\"");
    expect_json_string("\xff", "\"\\ufffd\"");
}

static void test_json_out_key_escaped(void **state)
{
    (void)state;
    qr_json *j = qr_json_new();
    qr_json_begin_object(j);
    qr_json_key(j, "a\"\n");
    qr_json_int(j, 1);
    qr_json_end_object(j);
    assert_string_equal(qr_json_text(j), "{\n  \"a\\\"\\u000a\": 1\n}");
    qr_json_free(j);
}

static void test_json_out_misuse_is_sticky(void **state)
{
    (void)state;
    /* A value inside an object without a key. */
    qr_json *j = qr_json_new();
    qr_json_begin_object(j);
    qr_json_int(j, 1);
    qr_json_key(j, "a");
    qr_json_int(j, 2);
    qr_json_end_object(j);
    assert_null(qr_json_text(j));
    qr_json_free(j);

    /* A key inside an array. */
    j = qr_json_new();
    qr_json_begin_array(j);
    qr_json_key(j, "a");
    qr_json_end_array(j);
    assert_null(qr_json_text(j));
    qr_json_free(j);

    /* Mismatched end. */
    j = qr_json_new();
    qr_json_begin_array(j);
    qr_json_end_object(j);
    assert_null(qr_json_text(j));
    qr_json_free(j);

    /* Key without value before the end. */
    j = qr_json_new();
    qr_json_begin_object(j);
    qr_json_key(j, "a");
    qr_json_end_object(j);
    assert_null(qr_json_text(j));
    qr_json_free(j);

    /* Two top-level values. */
    j = qr_json_new();
    qr_json_int(j, 1);
    qr_json_int(j, 2);
    assert_null(qr_json_text(j));
    qr_json_free(j);

    /* NULL key. */
    j = qr_json_new();
    qr_json_begin_object(j);
    qr_json_key(j, NULL);
    assert_null(qr_json_text(j));
    qr_json_free(j);
}

static void test_json_out_incomplete_is_null(void **state)
{
    (void)state;
    qr_json *j = qr_json_new();
    assert_null(qr_json_text(j)); /* nothing written */
    qr_json_begin_object(j);
    assert_null(qr_json_text(j)); /* still open */
    qr_json_end_object(j);
    assert_string_equal(qr_json_text(j), "{}");
    qr_json_free(j);
}

static void test_json_out_null_writer(void **state)
{
    (void)state;
    qr_json_begin_object(NULL);
    qr_json_key(NULL, "a");
    qr_json_number(NULL, 1.0);
    qr_json_string(NULL, "x");
    qr_json_end_object(NULL);
    assert_null(qr_json_text(NULL));
    qr_json_free(NULL);
}

/* qr_json_finish hands over the text qr_json_text shows, and NULL where
 * it shows NULL; the writer is gone either way (ASan's leak check). */
static void test_json_out_finish(void **state)
{
    (void)state;
    qr_json *j = qr_json_new();
    qr_json_begin_object(j);
    qr_json_key(j, "a");
    qr_json_begin_array(j);
    qr_json_int(j, 1);
    qr_json_string(j, "x");
    qr_json_end_array(j);
    qr_json_end_object(j);
    char *t = qr_json_finish(j);
    assert_non_null(t);
    assert_string_equal(t, "{\n  \"a\": [\n    1,\n    \"x\"\n  ]\n}");
    free(t);

    j = qr_json_new();
    qr_json_begin_array(j); /* still open */
    assert_null(qr_json_finish(j));
    j = qr_json_new(); /* nothing written */
    assert_null(qr_json_finish(j));
    j = qr_json_new();
    qr_json_key(j, "k"); /* misuse */
    qr_json_null(j);
    assert_null(qr_json_finish(j));
    assert_null(qr_json_finish(NULL));
}

/* Deep nesting and a large document grow the stack and the buffer. */
static void test_json_out_deep_and_large(void **state)
{
    (void)state;
    enum { DEPTH = 1000, ITEMS = 100000 };
    qr_json *j = qr_json_new();
    qr_json_begin_array(j);
    for (int i = 0; i < DEPTH; i++)
        qr_json_begin_array(j);
    for (int i = 0; i < DEPTH; i++)
        qr_json_end_array(j);
    for (int i = 0; i < ITEMS; i++)
        qr_json_int(j, i);
    qr_json_end_array(j);
    const char *t = qr_json_text(j);
    assert_non_null(t);
    /* The innermost [] sits at depth DEPTH, indented by 2*DEPTH spaces. */
    char *inner = strstr(t, "[]");
    assert_non_null(inner);
    assert_int_equal(inner[-1], ' ');
    assert_int_equal(inner[-(2 * DEPTH) - 1], '\n');
    /* Last element then the closing bracket. */
    size_t n = strlen(t);
    assert_string_equal(t + n - 9, "  99999\n]");
    qr_json_free(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_out_pretty_layout),
        cmocka_unit_test(test_json_out_top_level_scalars),
        cmocka_unit_test(test_json_out_numbers_shortest),
        cmocka_unit_test(test_json_out_numbers_integral),
        cmocka_unit_test(test_json_out_numbers_nonfinite_null),
        cmocka_unit_test(test_json_out_numbers_round_trip),
        cmocka_unit_test(test_json_out_int_extremes),
        cmocka_unit_test(test_json_out_string_escapes),
        cmocka_unit_test(test_json_out_string_utf8),
        cmocka_unit_test(test_json_out_key_escaped),
        cmocka_unit_test(test_json_out_misuse_is_sticky),
        cmocka_unit_test(test_json_out_incomplete_is_null),
        cmocka_unit_test(test_json_out_null_writer),
        cmocka_unit_test(test_json_out_finish),
        cmocka_unit_test(test_json_out_deep_and_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
