/*
 * test_csv_out.c: unit tests of the CSV writer (src/util/csv_out.h): RFC
 * 4180 quoting (commas, double quotes, CR, LF and CRLF inside a field),
 * CRLF record ends, numbers as the JSON writer writes them, missing values
 * as empty fields, the formula guard (OWASP CSV injection), the sticky error on a record of the wrong length, and
 * qr_csv_finish's hand-over.
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

#include "util/csv_out.h"

/* The table of one record holding the single text field s. */
static void expect_field(const char *s, const char *want)
{
    qr_csv *c = qr_csv_new();
    assert_non_null(c);
    qr_csv_string(c, s);
    qr_csv_end_row(c);
    const char *t = qr_csv_text(c);
    assert_non_null(t);
    assert_string_equal(t, want);
    qr_csv_free(c);
}

static void test_csv_out_quoting(void **state)
{
    (void)state;
    expect_field("plain", "plain\r\n");
    expect_field("two words", "two words\r\n"); /* spaces are data, no quotes */
    expect_field(" lead", " lead\r\n");
    expect_field("a,b", "\"a,b\"\r\n");
    expect_field("say \"hi\"", "\"say \"\"hi\"\"\"\r\n");
    expect_field("\"", "\"\"\"\"\r\n");
    expect_field("\"\"", "\"\"\"\"\"\"\r\n");
    expect_field("line1\nline2", "\"line1\nline2\"\r\n");
    expect_field("cr\rhere", "\"cr\rhere\"\r\n");
    expect_field("crlf\r\nhere", "\"crlf\r\nhere\"\r\n");
    expect_field("a,\"b\"\nc", "\"a,\"\"b\"\"\nc\"\r\n");
    expect_field("Zürich ±", "Zürich ±\r\n"); /* UTF-8 as it is */
    /* one empty field alone would be a blank line */
    expect_field("", "\"\"\r\n");
    expect_field(NULL, "\"\"\r\n");
}

/* Read back a field the way RFC 4180 defines it, to check the writer
 * against an independent reader: every quoted string we write parses back
 * to the original. */
static size_t parse_field(const char *t, char *out)
{
    size_t i = 0, o = 0;
    if (t[0] != '"') {
        while (t[i] && t[i] != ',' && t[i] != '\r')
            out[o++] = t[i++];
        out[o] = '\0';
        return i;
    }
    i = 1;
    for (;;) {
        if (t[i] == '"' && t[i + 1] == '"') {
            out[o++] = '"';
            i += 2;
        } else if (t[i] == '"') {
            i++;
            break;
        } else {
            assert_true(t[i] != '\0');
            out[o++] = t[i++];
        }
    }
    out[o] = '\0';
    return i;
}

static void test_csv_out_round_trip(void **state)
{
    (void)state;
    const char *fields[] = { "x", "a,b", "q\"q", "", "n\nl", "\"start", "end\"", ",", "x\r\n" };
    size_t n = sizeof(fields) / sizeof(fields[0]);
    qr_csv *c = qr_csv_new();
    for (size_t k = 0; k < n; k++)
        qr_csv_string(c, fields[k]);
    qr_csv_end_row(c);
    const char *t = qr_csv_text(c);
    assert_non_null(t);
    char buf[64];
    size_t pos = 0;
    for (size_t k = 0; k < n; k++) {
        pos += parse_field(t + pos, buf);
        assert_string_equal(buf, fields[k]);
        if (k + 1 < n) {
            assert_int_equal(t[pos], ',');
            pos++;
        }
    }
    assert_string_equal(t + pos, "\r\n");
    qr_csv_free(c);
}

/* OWASP "CSV Injection": a text field a spreadsheet would run as a formula
 * (first character =, +, -, @, tab, CR) gets a leading single quote, inside
 * the RFC 4180 quotes when it has them; any other first character, a
 * formula character later in the text, and numbers (-0.5 through
 * qr_csv_number, -3 through qr_csv_int) are written as they are. */
static void test_csv_out_formula_guard(void **state)
{
    (void)state;
    expect_field("=1+2", "'=1+2\r\n");
    expect_field("+1", "'+1\r\n");
    expect_field("-0.5", "'-0.5\r\n"); /* text, not a number */
    expect_field("@SUM(A1)", "'@SUM(A1)\r\n");
    expect_field("\tx", "'\tx\r\n");
    expect_field("\rx", "\"'\rx\"\r\n");
    expect_field("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
    expect_field("a=b", "a=b\r\n");
    expect_field("fe-1", "fe-1\r\n");
    expect_field(" =x", " =x\r\n");
    expect_field("'=x", "'=x\r\n"); /* already text: written as it is */
    assert_true(qr_csv_formula_like("-x"));
    assert_false(qr_csv_formula_like("x-"));
    assert_false(qr_csv_formula_like(""));
    assert_false(qr_csv_formula_like(NULL));

    qr_csv *c = qr_csv_new();
    qr_csv_string(c, "a");
    qr_csv_string(c, "b");
    qr_csv_string(c, "c");
    qr_csv_end_row(c);
    qr_csv_number(c, -0.5);
    qr_csv_int(c, -3);
    qr_csv_string(c, "-");
    qr_csv_end_row(c);
    assert_string_equal(qr_csv_text(c), "a,b,c\r\n-0.5,-3,'-\r\n");
    qr_csv_free(c);
}

static void test_csv_out_table(void **state)
{
    (void)state;
    qr_csv *c = qr_csv_new();
    qr_csv_string(c, "design");
    qr_csv_string(c, "availability");
    qr_csv_string(c, "outages");
    qr_csv_string(c, "note");
    qr_csv_end_row(c);
    assert_string_equal(qr_csv_text(c), "design,availability,outages,note\r\n");
    qr_csv_string(c, "3.0, three servers");
    qr_csv_number(c, 0.9999926);
    qr_csv_int(c, -3);
    qr_csv_empty(c);
    qr_csv_end_row(c);
    qr_csv_string(c, "x");
    qr_csv_number(c, NAN);
    qr_csv_number(c, 2);
    qr_csv_number(c, 1e-300);
    qr_csv_end_row(c);
    qr_csv_string(c, "y");
    qr_csv_number(c, INFINITY);
    qr_csv_number(c, 0.1);
    qr_csv_string(c, NULL);
    assert_null(qr_csv_text(c)); /* a record is open */
    qr_csv_end_row(c);
    assert_string_equal(qr_csv_text(c), "design,availability,outages,note\r\n"
                                        "\"3.0, three servers\",0.9999926,-3,\r\n"
                                        "x,,2,1e-300\r\n"
                                        "y,,0.1,\r\n");
    qr_csv_free(c);
}

static void test_csv_out_sticky_errors(void **state)
{
    (void)state;
    /* a record shorter than the header */
    qr_csv *c = qr_csv_new();
    qr_csv_string(c, "a");
    qr_csv_string(c, "b");
    qr_csv_end_row(c);
    qr_csv_string(c, "1");
    qr_csv_end_row(c);
    assert_null(qr_csv_text(c));
    qr_csv_string(c, "1");
    qr_csv_string(c, "2");
    qr_csv_end_row(c);
    assert_null(qr_csv_text(c)); /* sticky */
    qr_csv_free(c);
    /* longer */
    c = qr_csv_new();
    qr_csv_string(c, "a");
    qr_csv_end_row(c);
    qr_csv_int(c, 1);
    qr_csv_int(c, 2);
    qr_csv_end_row(c);
    assert_null(qr_csv_text(c));
    qr_csv_free(c);
    /* an empty record; nothing at all */
    c = qr_csv_new();
    assert_null(qr_csv_text(c));
    qr_csv_end_row(c);
    assert_null(qr_csv_text(c));
    qr_csv_free(c);
    /* a NULL writer does nothing */
    qr_csv_string(NULL, "x");
    qr_csv_number(NULL, 1);
    qr_csv_int(NULL, 1);
    qr_csv_empty(NULL);
    qr_csv_end_row(NULL);
    assert_null(qr_csv_text(NULL));
    qr_csv_free(NULL);
}

/* qr_csv_finish hands over the table qr_csv_text shows, and NULL where it
 * shows NULL; the writer is gone either way (ASan's leak check). */
static void test_csv_out_finish(void **state)
{
    (void)state;
    qr_csv *c = qr_csv_new();
    qr_csv_string(c, "k");
    qr_csv_string(c, "v");
    qr_csv_end_row(c);
    qr_csv_string(c, "a,b");
    qr_csv_int(c, -3);
    qr_csv_end_row(c);
    char *t = qr_csv_finish(c);
    assert_non_null(t);
    assert_string_equal(t, "k,v\r\n\"a,b\",-3\r\n");
    free(t);

    c = qr_csv_new();
    qr_csv_string(c, "open record");
    assert_null(qr_csv_finish(c));
    c = qr_csv_new(); /* nothing written */
    assert_null(qr_csv_finish(c));
    assert_null(qr_csv_finish(NULL));
}

/* A long table grows the buffer and stays exact. */
static void test_csv_out_large(void **state)
{
    (void)state;
    qr_csv *c = qr_csv_new();
    qr_csv_string(c, "i");
    qr_csv_string(c, "text");
    qr_csv_end_row(c);
    for (int i = 0; i < 1000; i++) {
        qr_csv_int(c, i);
        qr_csv_string(c, "a \"quoted\", long enough field");
        qr_csv_end_row(c);
    }
    const char *t = qr_csv_text(c);
    assert_non_null(t);
    const char *row = "\"a \"\"quoted\"\", long enough field\"\r\n";
    size_t want = strlen("i,text\r\n");
    for (int i = 0; i < 1000; i++) {
        char num[16];
        want += (size_t)snprintf(num, sizeof(num), "%d,", i) + strlen(row);
    }
    assert_int_equal(strlen(t), want);
    assert_non_null(strstr(t, "999,\"a \"\"quoted\"\", long enough field\"\r\n"));
    qr_csv_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_out_quoting),
        cmocka_unit_test(test_csv_out_round_trip),
        cmocka_unit_test(test_csv_out_formula_guard),
        cmocka_unit_test(test_csv_out_table),
        cmocka_unit_test(test_csv_out_sticky_errors),
        cmocka_unit_test(test_csv_out_finish),
        cmocka_unit_test(test_csv_out_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
