/*
 * test_strbuf.c: unit tests of the growable string (src/util/strbuf.h):
 * appends of every kind give the text an independent snprintf gives, the
 * buffer grows across many doublings, bytes after a NUL are kept, the
 * error is sticky (a length that would overflow fails, later appends do
 * nothing, detach returns NULL), truncate and detach leave a usable buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static void test_strbuf_empty(void **state)
{
    (void)state;
    qr_strbuf b = QR_STRBUF_INIT;
    assert_null(b.buf);
    assert_int_equal(b.len, 0);
    char *s = qr_strbuf_detach(&b);
    assert_non_null(s); /* nothing added is "", not NULL (NULL means failed) */
    assert_string_equal(s, "");
    free(s);
    assert_null(b.buf);
    qr_strbuf_release(&b);
    qr_strbuf_release(NULL);
    /* reserve alone makes an empty, terminated text */
    assert_int_equal(qr_strbuf_reserve(&b, 0), 0);
    assert_non_null(b.buf);
    assert_string_equal(b.buf, "");
    qr_strbuf_release(&b);
}

/* Every kind of append against one snprintf of the same text. */
static void test_strbuf_appends_match_snprintf(void **state)
{
    (void)state;
    qr_strbuf b;
    qr_strbuf_init(&b);
    qr_strbuf_adds(&b, "pool ");
    qr_strbuf_add(&b, "UPxyz", 2);
    qr_strbuf_addchars(&b, ' ', 3);
    qr_strbuf_addf(&b, "voters %d of %d, %.2f%% %s", 2, 3, 99.99, "up");
    qr_strbuf_addchars(&b, '!', 0);
    qr_strbuf_adds(&b, "");
    char want[128];
    int n = snprintf(want, sizeof(want), "pool UP   voters %d of %d, %.2f%% %s", 2, 3, 99.99, "up");
    assert_false(b.failed);
    assert_int_equal(b.len, (size_t)n);
    assert_string_equal(b.buf, want);
    char *s = qr_strbuf_detach(&b);
    assert_string_equal(s, want);
    free(s);
}

/* 10,000 appends of varying lengths (growth across many doublings, a
 * formatted piece longer than the first capacity): the text is the
 * concatenation, checked piece by piece. */
static void test_strbuf_grows(void **state)
{
    (void)state;
    qr_strbuf b = QR_STRBUF_INIT;
    char longword[300];
    memset(longword, 'w', sizeof(longword) - 1);
    longword[sizeof(longword) - 1] = '\0';
    qr_strbuf_addf(&b, "<%s>", longword);
    assert_int_equal(b.len, 301);
    for (int i = 0; i < 10000; i++)
        qr_strbuf_addf(&b, "%d,", i);
    assert_false(b.failed);
    assert_true(b.cap > b.len);
    size_t o = 301;
    for (int i = 0; i < 10000; i++) {
        char num[16];
        int n = snprintf(num, sizeof(num), "%d,", i);
        assert_memory_equal(b.buf + o, num, (size_t)n);
        o += (size_t)n;
    }
    assert_int_equal(o, b.len);
    assert_int_equal(b.buf[b.len], '\0');
    qr_strbuf_release(&b);
    assert_null(b.buf);
    assert_int_equal(b.len, 0);
}

static void test_strbuf_keeps_nul_bytes(void **state)
{
    (void)state;
    qr_strbuf b = QR_STRBUF_INIT;
    qr_strbuf_add(&b, "a\0b", 3);
    qr_strbuf_adds(&b, "c");
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.buf, "a\0bc", 5);
    qr_strbuf_release(&b);
}

/* A length that would overflow fails without touching the text; the
 * failure is sticky and detach gives NULL. */
static void test_strbuf_sticky_failure(void **state)
{
    (void)state;
    qr_strbuf b = QR_STRBUF_INIT;
    qr_strbuf_adds(&b, "kept");
    assert_int_equal(qr_strbuf_reserve(&b, SIZE_MAX - 2), -1);
    assert_true(b.failed);
    assert_string_equal(b.buf, "kept");
    qr_strbuf_adds(&b, "more");
    qr_strbuf_addf(&b, "%d", 42);
    qr_strbuf_addchars(&b, 'x', 5);
    assert_int_equal(b.len, 4);
    assert_int_equal(qr_strbuf_reserve(&b, 1), -1);
    assert_null(qr_strbuf_detach(&b));
    /* detach emptied it; it works again */
    assert_false(b.failed);
    qr_strbuf_adds(&b, "again");
    assert_string_equal(b.buf, "again");
    qr_strbuf_release(&b);

    qr_strbuf big = QR_STRBUF_INIT;
    qr_strbuf_add(&big, "", SIZE_MAX / 2 + 1); /* refused before any allocation */
    assert_true(big.failed);
    assert_null(big.buf);
    qr_strbuf_release(&big);
    assert_false(big.failed);
}

static void test_strbuf_truncate(void **state)
{
    (void)state;
    qr_strbuf b = QR_STRBUF_INIT;
    qr_strbuf_truncate(&b, 0); /* nothing to cut */
    assert_null(b.buf);
    qr_strbuf_adds(&b, "design wins. ");
    qr_strbuf_truncate(&b, 100);
    assert_string_equal(b.buf, "design wins. ");
    qr_strbuf_truncate(&b, b.len - 1);
    assert_string_equal(b.buf, "design wins.");
    assert_int_equal(b.len, 12);
    qr_strbuf_adds(&b, "!");
    assert_string_equal(b.buf, "design wins.!");
    qr_strbuf_truncate(&b, 0);
    assert_string_equal(b.buf, "");
    qr_strbuf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strbuf_empty),
        cmocka_unit_test(test_strbuf_appends_match_snprintf),
        cmocka_unit_test(test_strbuf_grows),
        cmocka_unit_test(test_strbuf_keeps_nul_bytes),
        cmocka_unit_test(test_strbuf_sticky_failure),
        cmocka_unit_test(test_strbuf_truncate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
