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

/* The design with its assumptions and their list, or the exit status
 * with nothing left to free (ASan's leak check covers the error paths). */
static void test_cli_util_load_design(void **state)
{
    (void)state;
    const char *T = "topologies/3.0-three-servers.yaml";
    const char *A = "topologies/assumptions/default.yaml";
    qr_topology *t = NULL;
    qr_assumptions *a = (qr_assumptions *)1;
    qr_assumption_list l;
    assert_int_equal(qr_cli_load_design("x", T, NULL, false, &t, &a, &l), 0);
    assert_non_null(t);
    assert_null(a);
    assert_string_equal(l.file, T);
    assert_null(l.assume_file);
    qr_assumption_list_release(&l);
    qr_topology_free(t);

    assert_int_equal(qr_cli_load_design("x", T, A, true, &t, &a, &l), 0);
    assert_non_null(t);
    assert_non_null(a);
    assert_string_equal(l.assume_file, A);
    qr_assumption_list_release(&l);
    qr_assumptions_free(a);
    qr_topology_free(t);

    /* a design with errors: 1; an unreadable assumptions file: 2 */
    assert_int_equal(qr_cli_load_design("x", "tests/bad/wrong-type.yaml", A, false, &t, &a, &l), 1);
    assert_null(t);
    assert_null(a);
    assert_null(l.file);
    assert_int_equal(qr_cli_load_design("x", T, "/nonexistent/a.yaml", false, &t, &a, &l), 2);
    assert_null(t);
    assert_null(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_util_parse_double),
        cmocka_unit_test(test_cli_util_parse_long_and_u64),
        cmocka_unit_test(test_cli_util_args_walk),
        cmocka_unit_test(test_cli_util_load_checked),
        cmocka_unit_test(test_cli_util_load_design),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
