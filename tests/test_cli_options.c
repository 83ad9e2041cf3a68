/*
 * test_cli_options.c: unit tests of src/cmd/cli_options.h, the declarative
 * option tables of the commands: every kind of row stores its value, bad
 * values and missing values are usage errors with the messages the CLI
 * tests rely on, an unknown option gets the nearest known one suggested,
 * "--" ends the options, and the help printed from the table names every
 * row, in order, wrapped to 79 columns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd/cli_options.h"

typedef struct {
    bool        flag;
    bool        timing;
    int         format;
    const char *assume;
    const char *output;
    const char *html;
    double      ratio;
    int         count;
    bool        count_given;
    long        big;
    int         color;
    double      target;
    int         calls;
    const char *called_with;
    qr_cli_run  run;
    bool        seed_given;
} test_opts;

static const qr_opt_word colors[] = { { "red", 10 }, { "green", 20 }, { "blue", 30 },
                                      { NULL, 0 } };

static int count_call(const qr_cli_args *w, const qr_opt *row, const char *value, void *opts)
{
    test_opts *o = opts;
    if (strcmp(value, "fail") == 0)
        return qr_cli_usage_error(w->cmd, "%s refuses '%s'", row->name, value);
    o->calls++;
    o->called_with = value;
    return 0;
}

static const qr_opt table[] = {
    QR_OPT_RUN_ROWS(test_opts, run, "years help", "runs help", "seed help",
                    QR_OPT_GIVEN(test_opts, seed_given)),
    { .name = "--flag", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(test_opts, flag), .flag = true,
      .help = "a flag" },
    QR_OPT_FORMAT_ROWS(test_opts, format, "the format"),
    QR_OPT_NO_TIMING_ROW(test_opts, timing, "no timing"),
    QR_OPT_ASSUME_ROW(test_opts, assume, "an assumptions file"),
    QR_OPT_OUTPUT_ROW(test_opts, output, "the output"),
    QR_OPT_HTML_ROW(test_opts, html, "the page"),
    { .name = "--ratio", .arg = "P", .kind = QR_OPT_DOUBLE, .at = QR_OPT_AT(test_opts, ratio),
      .lo = 0, .hi = 1, .lo_open = true, .hi_open = true, .expect = "a number in (0, 1)",
      .help = "a ratio" },
    { .name = "--count", .arg = "N", .kind = QR_OPT_INT, .at = QR_OPT_AT(test_opts, count),
      .given = QR_OPT_GIVEN(test_opts, count_given), .min = 1, .max = 10,
      .expect = "an integer from 1 to 10", .help = "a count" },
    { .name = "--big", .arg = "N", .kind = QR_OPT_LONG, .at = QR_OPT_AT(test_opts, big),
      .min = 1, .max = 5000000000L, .expect = "an integer from 1 to 5000000000",
      .help = "a long" },
    { .name = "--color", .arg = "C", .kind = QR_OPT_ENUM, .at = QR_OPT_AT(test_opts, color),
      .words = colors, .help = "a colour" },
    { .name = "--target", .arg = "A", .kind = QR_OPT_PERCENT,
      .at = QR_OPT_AT(test_opts, target), .help = "a target" },
    { .name = "--call", .arg = "X", .kind = QR_OPT_CALL, .call = count_call,
      .help = "a long help text that has to be wrapped because it is far longer than one "
              "line of seventy-nine columns can hold, beside a label that is long" },
    { 0 },
};

static int usage_calls;
static void usage(FILE *out)
{
    usage_calls++;
    qr_cli_options_help(out, table);
}

static void defaults(test_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->timing = true;
    qr_cli_run_defaults(&o->run, 200);
}

/* Parse argv (a NULL-ended list) into *o with stderr captured in err. */
static int parse(test_opts *o, qr_cli_args *w, char **argv, char *err, size_t errlen)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    defaults(o);
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    dup2(fileno(tmp), 2);
    FILE *devnull = fopen("/dev/null", "w");
    FILE *saved_stdout = stdout;
    stdout = devnull; /* the usage of --help */
    qr_cli_args_init(w, "test", argc, argv, usage);
    int rc = qr_cli_parse(w, table, o);
    stdout = saved_stdout;
    fclose(devnull);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    size_t n = fread(err, 1, errlen - 1, tmp);
    err[n] = '\0';
    fclose(tmp);
    return rc;
}

static void test_cli_options_every_kind(void **state)
{
    (void)state;
    test_opts o;
    qr_cli_args w;
    char err[1024];
    char *argv[] = { "test", "a.yaml", "--years", "2.5", "--runs=7", "--seed",
                     "18446744073709551615", "--threads", "3", "--flag", "--json",
                     "--no-timing", "--assume", "as.yaml", "-o", "out.txt", "--html=p.html",
                     "--ratio", "0.25", "--count", "10", "--big", "4000000000", "--color",
                     "blue", "--target", "99.99%", "--call", "x", "b.yaml", NULL };
    assert_int_equal(parse(&o, &w, argv, err, sizeof(err)), 0);
    assert_string_equal(err, "");
    assert_true(o.run.years == 2.5);
    assert_int_equal(o.run.runs, 7);
    assert_true(o.run.seed == UINT64_MAX);
    assert_true(o.seed_given);
    assert_int_equal(o.run.threads, 3);
    assert_true(o.flag);
    assert_int_equal(o.format, QR_CLI_FORMAT_JSON);
    assert_false(o.timing);
    assert_string_equal(o.assume, "as.yaml");
    assert_string_equal(o.output, "out.txt");
    assert_string_equal(o.html, "p.html");
    assert_true(o.ratio == 0.25);
    assert_int_equal(o.count, 10);
    assert_true(o.count_given);
    assert_true(o.big == 4000000000L);
    assert_int_equal(o.color, 30);
    assert_true(o.target > 0.99989999 && o.target < 0.99990001);
    assert_int_equal(o.calls, 1);
    assert_string_equal(o.called_with, "x");
    assert_int_equal(w.n_operands, 2);
    assert_string_equal(qr_cli_operands(&w)[0], "a.yaml");
    assert_string_equal(qr_cli_operands(&w)[1], "b.yaml");

    /* Nothing given: the defaults stay, no "given" flag set. */
    char *none[] = { "test", NULL };
    assert_int_equal(parse(&o, &w, none, err, sizeof(err)), 0);
    assert_false(o.count_given);
    assert_false(o.seed_given);
    assert_true(o.timing);
    assert_int_equal(o.run.runs, 200);
    assert_true(o.run.years == 10);

    /* --format words; the later option wins. */
    char *fmt[] = { "test", "--json", "--format", "csv", NULL };
    assert_int_equal(parse(&o, &w, fmt, err, sizeof(err)), 0);
    assert_int_equal(o.format, QR_CLI_FORMAT_CSV);
}

/* A bad value: exit status 2 and "bad --x 'v' (expected ...)". */
static void test_cli_options_bad_values(void **state)
{
    (void)state;
    static const struct {
        const char *opt, *value, *message;
    } cases[] = {
        { "--years", "0", "bad --years '0' (expected a number of years in (0, 10000000])" },
        { "--runs", "0", "bad --runs '0' (expected an integer from 1 to 10000000)" },
        { "--seed", "-1", "bad --seed '-1' (expected an unsigned 64-bit integer)" },
        { "--threads", "257", "bad --threads '257' (expected an integer from 1 to 256)" },
        { "--ratio", "1", "bad --ratio '1' (expected a number in (0, 1))" },
        { "--ratio", "0", "bad --ratio '0' (expected a number in (0, 1))" },
        { "--ratio", "nan", "bad --ratio 'nan' (expected a number in (0, 1))" },
        { "--count", "11", "bad --count '11' (expected an integer from 1 to 10)" },
        { "--count", "+3", "bad --count '+3' (expected an integer from 1 to 10)" },
        { "--big", "5000000001", "bad --big '5000000001' (expected an integer from 1 to" },
        { "--color", "purple", "bad --color 'purple' (expected red, green or blue)" },
        { "--format", "xml", "bad --format 'xml' (expected text, json or csv)" },
        { "--target", "99.99", "bad --target '99.99' (" },
        { "--assume", "", "--assume needs a file name" },
        { "--output", "", "option '--output' needs a file name" },
        { "--html", "-", "option '--html' needs a file name: its output cannot share" },
        { "--call", "fail", "--call refuses 'fail'" },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        test_opts o;
        qr_cli_args w;
        char err[1024];
        char *argv[] = { "test", (char *)cases[k].opt, (char *)cases[k].value, NULL };
        assert_int_equal(parse(&o, &w, argv, err, sizeof(err)), 2);
        if (!strstr(err, cases[k].message))
            fail_msg("%s %s: '%s' lacks '%s'", cases[k].opt, cases[k].value, err,
                     cases[k].message);
        assert_non_null(strstr(err, "Try 'quorate test --help'."));
    }
    /* "-" is standard output for --output. */
    test_opts o;
    qr_cli_args w;
    char err[1024];
    char *dash[] = { "test", "--output", "-", NULL };
    assert_int_equal(parse(&o, &w, dash, err, sizeof(err)), 0);
    assert_string_equal(o.output, "-");
}

static void test_cli_options_missing_and_unknown(void **state)
{
    (void)state;
    test_opts o;
    qr_cli_args w;
    char err[1024];
    char *missing[] = { "test", "a.yaml", "--count", NULL };
    assert_int_equal(parse(&o, &w, missing, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "option '--count' needs a value"));
    char *alias[] = { "test", "-o", NULL };
    assert_int_equal(parse(&o, &w, alias, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "option '-o' needs a value"));

    char *typo[] = { "test", "--colour", "red", NULL };
    assert_int_equal(parse(&o, &w, typo, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "unknown option '--colour' (did you mean '--color'?)"));
    char *typo_eq[] = { "test", "--rnus=3", NULL };
    assert_int_equal(parse(&o, &w, typo_eq, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "unknown option '--rnus=3' (did you mean '--runs'?)"));
    char *bogus[] = { "test", "--quux-frob", NULL };
    assert_int_equal(parse(&o, &w, bogus, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "unknown option '--quux-frob'"));
    assert_null(strstr(err, "did you mean"));
    /* A prefix is not the option: "--countx" is unknown, not --count. */
    char *longer[] = { "test", "--countx", "3", NULL };
    assert_int_equal(parse(&o, &w, longer, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "unknown option '--countx'"));

    char *flag_value[] = { "test", "--flag=yes", NULL };
    assert_int_equal(parse(&o, &w, flag_value, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "option '--flag' takes no value"));
    assert_false(o.flag);
}

/* "--" ends the options; "-" is an operand; a valued option takes the
 * next argument even when it looks like an option; --help stops. */
static void test_cli_options_double_dash_and_help(void **state)
{
    (void)state;
    test_opts o;
    qr_cli_args w;
    char err[1024];
    char *argv[] = { "test", "--assume", "--flag", "-", "--", "--count", "-o", NULL };
    assert_int_equal(parse(&o, &w, argv, err, sizeof(err)), 0);
    assert_string_equal(o.assume, "--flag");
    assert_false(o.flag);
    assert_false(o.count_given);
    assert_null(o.output);
    assert_int_equal(w.n_operands, 3);
    assert_string_equal(qr_cli_operands(&w)[0], "-");
    assert_string_equal(qr_cli_operands(&w)[1], "--count");
    assert_string_equal(qr_cli_operands(&w)[2], "-o");

    usage_calls = 0;
    char *help[] = { "test", "--flag", "--help", "--bogus", NULL };
    assert_int_equal(parse(&o, &w, help, err, sizeof(err)), -1);
    assert_int_equal(usage_calls, 1);
    assert_string_equal(err, ""); /* --bogus after --help is never read */
}

/* The help names every row in table order with its placeholder, the help
 * texts wrapped at 79 columns and aligned on one column; then -h and --. */
static void test_cli_options_help(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    qr_cli_options_help(mem, table);
    fclose(mem);
    assert_true(strncmp(text, "options:\n", 9) == 0);

    const qr_opt *row = table;
    int column = -1, entries = 0;
    char *save = NULL;
    for (char *line = strtok_r(text + 9, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        assert_true(strlen(line) <= 79);
        if (strncmp(line, "  -", 3) == 0) {
            /* an entry: its label, then the help at the common column */
            char expect[128];
            if (row->kind != QR_OPT_END) {
                snprintf(expect, sizeof(expect), "  %s%s%s%s%s", row->alias ? row->alias : "",
                         row->alias ? ", " : "", row->name, row->arg ? " " : "",
                         row->arg ? row->arg : "");
                row++;
            } else {
                snprintf(expect, sizeof(expect), "  %s", entries == (int)(row - table)
                                                              ? "-h, --help"
                                                              : "--");
            }
            size_t el = strlen(expect);
            assert_true(strncmp(line, expect, el) == 0);
            assert_true(line[el] == ' ');
            int col = (int)(strspn(line + el, " ") + el);
            if (column < 0)
                column = col;
            assert_int_equal(col, column);
            entries++;
        } else {
            /* a continuation: indented to the column */
            assert_int_equal((int)strspn(line, " "), column);
        }
    }
    assert_true(row->kind == QR_OPT_END);
    assert_int_equal(entries, (int)(row - table) + 2);
    free(text);

    /* The wrapped help keeps every word: the --call text split over lines. */
    mem = open_memstream(&text, &len);
    qr_cli_options_help(mem, table);
    fclose(mem);
    assert_non_null(strstr(text, "  --call X"));
    assert_non_null(strstr(text, "seventy-nine"));
    assert_non_null(strstr(text, "-h, --help"));
    assert_non_null(strstr(text, "end of the options"));
    free(text);
}

/* The whole usage: the text before, the options, the text after; and
 * qr_cli_parse_command() prints it for --help. */
static void test_cli_options_command_usage(void **state)
{
    (void)state;
    static const qr_cli_command c = { .name = "test",
                                      .about = "usage: quorate test FILE\n\n",
                                      .options = table,
                                      .after = "\nexit status: 0\n" };
    char *text = NULL, *opts_text = NULL;
    size_t len = 0, olen = 0;
    FILE *mem = open_memstream(&text, &len);
    qr_cli_usage(mem, &c);
    fclose(mem);
    mem = open_memstream(&opts_text, &olen);
    qr_cli_options_help(mem, table);
    fclose(mem);
    assert_true(strncmp(text, c.about, strlen(c.about)) == 0);
    assert_memory_equal(text + strlen(c.about), opts_text, olen);
    assert_string_equal(text + strlen(c.about) + olen, c.after);

    test_opts o;
    qr_cli_args w;
    defaults(&o);
    char *argv[] = { "test", "--count", "4", "f.yaml", NULL };
    assert_int_equal(qr_cli_parse_command(&w, &c, 4, argv, &o), 0);
    assert_int_equal(o.count, 4);
    assert_int_equal(w.n_operands, 1);

    /* One operand, or several. */
    char *two[] = { "test", "a.yaml", "--flag", "b.yaml", NULL };
    const char *file = NULL;
    defaults(&o);
    fflush(stderr);
    int saved = dup(2);
    FILE *devnull = fopen("/dev/null", "w");
    dup2(fileno(devnull), 2);
    assert_int_equal(qr_cli_parse_one(&c, 4, two, &o, "topology file", &file), 2);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(devnull);
    char *one[] = { "test", "--flag", "a.yaml", NULL };
    assert_int_equal(qr_cli_parse_one(&c, 3, one, &o, "topology file", &file), 0);
    assert_string_equal(file, "a.yaml");
    char *more[] = { "test", "a.yaml", "--count=2", "b.yaml", NULL };
    const char *const *files = NULL;
    int n = -1;
    assert_int_equal(qr_cli_parse_files(&c, 4, more, &o, &files, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(files[0], "a.yaml");
    assert_string_equal(files[1], "b.yaml");
    assert_int_equal(o.count, 2);
    free(text);
    free(opts_text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_options_every_kind),
        cmocka_unit_test(test_cli_options_bad_values),
        cmocka_unit_test(test_cli_options_missing_and_unknown),
        cmocka_unit_test(test_cli_options_double_dash_and_help),
        cmocka_unit_test(test_cli_options_help),
        cmocka_unit_test(test_cli_options_command_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
