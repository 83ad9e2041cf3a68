/*
 * test_suggest.c: the edit distance (with adjacent swaps and case folding)
 * and the "did you mean" choice: close enough, prefixes, ties, nothing
 * offered for unrelated words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/suggest.h"

static void test_suggest_distance(void **state)
{
    (void)state;
    assert_int_equal(qr_suggest_distance("kitten", "sitting"), 3);
    assert_int_equal(qr_suggest_distance("", "abc"), 3);
    assert_int_equal(qr_suggest_distance("abc", ""), 3);
    assert_int_equal(qr_suggest_distance("same", "same"), 0);
    assert_int_equal(qr_suggest_distance("ab", "ba"), 1);          /* swap */
    assert_int_equal(qr_suggest_distance("mtfb", "mtbf"), 1);
    assert_int_equal(qr_suggest_distance("mirorr", "mirror"), 1);
    assert_int_equal(qr_suggest_distance("MTBF", "mtbf"), 0);      /* case */
    char longer[300];
    memset(longer, 'a', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    assert_int_equal(qr_suggest_distance(longer, "a"), -1);
}

static void test_suggest_picks_closest(void **state)
{
    (void)state;
    const char *backend[] = { "standalone", "mirroring", "alwayson", "fci",
                              "external", "failover_time", "resync_time",
                              "resiliency_grace" };
    assert_string_equal(qr_suggest("mirorr", backend, 8), "mirroring");
    assert_string_equal(qr_suggest("mirroring", backend, 8), "mirroring");
    assert_string_equal(qr_suggest("alwaysOn", backend, 8), "alwayson");
    assert_string_equal(qr_suggest("failover", backend, 8), "failover_time");
    assert_string_equal(qr_suggest("extrenal", backend, 8), "external");
    const char *comp[] = { "name", "site", "host", "mtbf", "mttr", "cost",
                           "patch" };
    assert_string_equal(qr_suggest("mtfb", comp, 7), "mtbf");
    assert_string_equal(qr_suggest("hots", comp, 7), "host");
}

static void test_suggest_nothing_when_far(void **state)
{
    (void)state;
    const char *keys[] = { "mtbf", "mttr", "cost" };
    assert_null(qr_suggest("zzzzzz", keys, 3));
    assert_null(qr_suggest("x", keys, 3));
    assert_null(qr_suggest("", keys, 3));
    const char *servers[] = { "s1", "s2" };
    assert_null(qr_suggest("s9", servers, 2)); /* too short to guess */
    assert_null(qr_suggest("mtbf", keys, 0));
    const char *with_null[] = { NULL, "mtbf" };
    assert_string_equal(qr_suggest("mtb", with_null, 2), "mtbf");
}

static void test_suggest_tie_goes_to_first(void **state)
{
    (void)state;
    const char *versions[] = { "lync2013", "sfb2015", "sfb2019" };
    assert_string_equal(qr_suggest("sfb2016", versions, 3), "sfb2015");
    const char *rev[] = { "sfb2019", "sfb2015" };
    assert_string_equal(qr_suggest("sfb2016", rev, 2), "sfb2019");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suggest_distance),
        cmocka_unit_test(test_suggest_picks_closest),
        cmocka_unit_test(test_suggest_nothing_when_far),
        cmocka_unit_test(test_suggest_tie_goes_to_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
