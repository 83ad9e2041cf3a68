/*
 * test_cli_util.c: unit tests of src/cmd/cli_util.h, the option parsing every
 * command shares: strict numbers, the argument walk, checked loading of a
 * topology (the option tables: test_cli_options.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cmd/cli_util.h"

static void test_cli_util_parse_double(void **state)
{
    (void)state;
    double v = -1;
    assert_int_equal(qr_cli_parse_double("2.5", 0, 10, &v), 0);
    assert_true(v == 2.5);
    assert_int_equal(qr_cli_parse_double("1e-6", 1e-6, 1, &v), 0);
    const char *bad[] = { "", "x", "2.5x", "nan", "inf", "11", "-1", "1e999" };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
        assert_int_equal(qr_cli_parse_double(bad[k], 0, 10, &v), -1);
}

static void test_cli_util_parse_long_and_u64(void **state)
{
    (void)state;
    long n = 0;
    assert_int_equal(qr_cli_parse_long("42", 1, 100, &n), 0);
    assert_int_equal(n, 42);
    const char *bad[] = { "", "-1", "+5", " 5", "5 ", "0", "101", "4x", "99999999999999999999" };
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
        assert_int_equal(qr_cli_parse_long(bad[k], 1, 100, &n), -1);
    uint64_t u = 0;
    assert_int_equal(qr_cli_parse_u64("18446744073709551615", &u), 0);
    assert_true(u == UINT64_MAX);
    assert_int_equal(qr_cli_parse_u64("18446744073709551616", &u), -1);
    assert_int_equal(qr_cli_parse_u64("-1", &u), -1);
    assert_int_equal(qr_cli_parse_u64("", &u), -1);
}

static int usage_calls;
static void count_usage(FILE *out)
{
    (void)out;
    usage_calls++;
}

/* The argument walk: options anywhere, "--" ends them, "-" is an operand,
 * operands are gathered in order at the front of argv, and -h stops the
 * walk after printing the usage. (Valued options: test_cli_options.c.) */
static void test_cli_util_args_walk(void **state)
{
    (void)state;
    char *argv[] = { "compare", "a.yaml", "--json", "-", "--static",
                     "--", "--not-an-option", "c.yaml" };
    int argc = (int)(sizeof(argv) / sizeof(argv[0]));
    qr_cli_args w;
    const char *a = NULL;
    qr_cli_args_init(&w, "compare", argc, argv, count_usage);
    assert_true(qr_cli_next(&w, &a));
    assert_string_equal(a, "--json");
    assert_true(qr_cli_next(&w, &a));
    assert_string_equal(a, "--static");
    assert_false(qr_cli_next(&w, &a));
    assert_false(qr_cli_next(&w, &a));
    assert_false(w.help);
    assert_int_equal(w.n_operands, 4);
    const char *const *ops = qr_cli_operands(&w);
    assert_string_equal(ops[0], "a.yaml");
    assert_string_equal(ops[1], "-");
    assert_string_equal(ops[2], "--not-an-option");
    assert_string_equal(ops[3], "c.yaml");
    const char *one = NULL;
    assert_int_equal(qr_cli_one_operand(&w, "topology file", &one), 2); /* four given */
    assert_null(one);

    /* -h: the usage once, and the walk stops there. */
    char *help[] = { "graph", "-h", "--bogus" };
    usage_calls = 0;
    qr_cli_args_init(&w, "graph", 3, help, count_usage);
    assert_false(qr_cli_next(&w, &a));
    assert_true(w.help);
    assert_int_equal(usage_calls, 1);
    assert_false(qr_cli_next(&w, &a));
    assert_int_equal(usage_calls, 1);

    char *single[] = { "graph", "--json" };
    qr_cli_args_init(&w, "graph", 2, single, NULL);
    while (qr_cli_next(&w, &a))
        ;
    assert_int_equal(qr_cli_one_operand(&w, "topology file", &one), 2); /* none */
    char *one_file[] = { "graph", "g.yaml", "--json" };
    qr_cli_args_init(&w, "graph", 3, one_file, NULL);
    assert_true(qr_cli_next(&w, &a));
    assert_false(qr_cli_next(&w, &a));
    assert_int_equal(qr_cli_one_operand(&w, "topology file", &one), 0);
    assert_string_equal(one, "g.yaml");

    /* Output file names: not empty; "-" only where standard output is free. */
    const char *file = NULL;
    assert_int_equal(qr_cli_output_file(&w, "--output", "r.txt", true, &file), 0);
    assert_string_equal(file, "r.txt");
    assert_int_equal(qr_cli_output_file(&w, "--output", "-", true, &file), 0);
    assert_string_equal(file, "-");
    file = NULL;
    assert_int_equal(qr_cli_output_file(&w, "--output", "", true, &file), 2);
    assert_int_equal(qr_cli_output_file(&w, "--html", "-", false, &file), 2);
    assert_null(file);
}

static void test_cli_util_load_checked(void **state)
{
    (void)state;
    qr_topology *t = (qr_topology *)1;
    assert_int_equal(qr_cli_load_checked("topologies/3.0-three-servers.yaml", &t), 0);
    assert_non_null(t);
    qr_topology_free(t);
    assert_int_equal(qr_cli_load_checked("tests/bad/wrong-type.yaml", &t), 1);
    assert_null(t);
    assert_int_equal(qr_cli_load_checked("/nonexistent/x.yaml", &t), 2);
    assert_null(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_util_parse_double),
        cmocka_unit_test(test_cli_util_parse_long_and_u64),
        cmocka_unit_test(test_cli_util_args_walk),
        cmocka_unit_test(test_cli_util_load_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
