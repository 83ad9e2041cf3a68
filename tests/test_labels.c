/*
 * test_labels.c: unit tests of the unique design labels (src/compare/labels.h):
 * the second and later copies of a label get #2, #3 in order, a suffix
 * already taken by another design is skipped, distinct labels are left
 * alone, and every result is unique (checked pairwise, independently).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "compare/labels.h"

/* Run the function on copies of in[0..n-1] and compare with want. */
static void expect_unique(const char *const *in, const char *const *want, int n)
{
    char *labels[8] = { NULL };
    char **slots[8] = { NULL };
    for (int i = 0; i < n; i++) {
        labels[i] = in[i] ? strdup(in[i]) : NULL;
        slots[i] = &labels[i];
    }
    assert_int_equal(qr_labels_make_unique(slots, n), 0);
    for (int i = 0; i < n; i++) {
        if (!want[i])
            assert_null(labels[i]);
        else
            assert_string_equal(labels[i], want[i]);
        for (int j = 0; j < i; j++)
            if (labels[i] && labels[j])
                assert_true(strcmp(labels[i], labels[j]) != 0);
    }
    for (int i = 0; i < n; i++)
        free(labels[i]);
}

static void test_labels_unique(void **state)
{
    (void)state;
    const char *a[] = { "x", "y" };
    expect_unique(a, a, 2);
    const char *b[] = { "x", "x" }, *bw[] = { "x", "x#2" };
    expect_unique(b, bw, 2);
    const char *c[] = { "x", "y", "x", "x", "y" }, *cw[] = { "x", "y", "x#2", "x#3", "y#2" };
    expect_unique(c, cw, 5);
    /* "x#2" is a file's own label: the copy of x takes x#3 */
    const char *d[] = { "x", "x#2", "x" }, *dw[] = { "x", "x#2", "x#3" };
    expect_unique(d, dw, 3);
    const char *e[] = { "x", "x", "x#2" }, *ew[] = { "x", "x#3", "x#2" };
    expect_unique(e, ew, 3);
    const char *f[] = { "x", NULL, "x" }, *fw[] = { "x", NULL, "x#2" };
    expect_unique(f, fw, 3);
    expect_unique(NULL, NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
