/*
 * cli_options.c: the parser and the help printer of the declarative option
 * tables (cli_options.h).
 */
#include "cmd/cli_options.h"

#include <stdint.h>
#include <string.h>

#include "model/units.h"
#include "util/suggest.h"

const qr_opt_word qr_cli_format_words[] = { { "text", QR_CLI_FORMAT_TEXT },
                                            { "json", QR_CLI_FORMAT_JSON },
                                            { "csv", QR_CLI_FORMAT_CSV },
                                            { NULL, 0 } };

/* The enum fields the table writes as int must be int-sized. */
_Static_assert(sizeof(qr_cli_format) == sizeof(int), "an enum field is written as an int");

/* The words of an enum as "a, b or c" into buf. */
static const char *word_list(const qr_opt_word *words, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int k = 0; words[k].word; k++) {
        const char *sep = k == 0 ? "" : words[k + 1].word ? ", " : " or ";
        int n = snprintf(buf + used, len - used, "%s%s", sep, words[k].word);
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    return buf;
}

static int bad_value(const qr_cli_args *w, const qr_opt *row, const char *value, const char *expect)
{
    return qr_cli_usage_error(w->cmd, "bad %s '%s' (expected %s)", row->name, value, expect);
}

/* Store the value of one row. 0, or a usage error and 2. */
static int store(const qr_cli_args *w, const qr_opt *row, const char *value, void *opts)
{
    char *field = (char *)opts + row->at;
    switch (row->kind) {
    case QR_OPT_FLAG:
        *(bool *)field = row->flag;
        return 0;
    case QR_OPT_CONST:
        *(int *)field = row->ival;
        return 0;
    case QR_OPT_STRING:
        if (!*value)
            return qr_cli_usage_error(w->cmd, "%s needs a file name", row->name);
        *(const char **)field = value;
        return 0;
    case QR_OPT_OUTPUT:
        return qr_cli_output_file(w, row->name, value, row->stdout_ok, (const char **)field);
    case QR_OPT_DOUBLE: {
        double v;
        if (qr_cli_parse_double(value, row->lo, row->hi, &v) != 0 ||
            (row->lo_open && !(v > row->lo)) || (row->hi_open && !(v < row->hi)))
            return bad_value(w, row, value, row->expect);
        *(double *)field = v;
        return 0;
    }
    case QR_OPT_INT:
    case QR_OPT_LONG: {
        long v;
        if (qr_cli_parse_long(value, row->min, row->max, &v) != 0)
            return bad_value(w, row, value, row->expect);
        if (row->kind == QR_OPT_INT)
            *(int *)field = (int)v;
        else
            *(long *)field = v;
        return 0;
    }
    case QR_OPT_U64:
        if (qr_cli_parse_u64(value, (uint64_t *)field) != 0)
            return bad_value(w, row, value, row->expect);
        return 0;
    case QR_OPT_ENUM:
        for (int k = 0; row->words[k].word; k++)
            if (strcmp(value, row->words[k].word) == 0) {
                *(int *)field = row->words[k].value;
                return 0;
            }
        if (!row->expect) {
            char buf[256];
            return bad_value(w, row, value, word_list(row->words, buf, sizeof(buf)));
        }
        return bad_value(w, row, value, row->expect);
    case QR_OPT_PERCENT: {
        const char *why = "not a percentage";
        if (qr_units_percent(value, (double *)field, &why) != 0)
            return qr_cli_usage_error(w->cmd, "bad %s '%s' (%s; expected %s)", row->name, value,
                                      why,
                                      row->expect ? row->expect : "a percentage such as 99.99%");
        return 0;
    }
    case QR_OPT_CALL:
        return row->call(w, row, value, opts);
    case QR_OPT_END:
        break;
    }
    return 0;
}

/* How a (an option) names row: 1 exactly, 2 with "=value", 0 not. */
static int names(const qr_opt *row, const char *a)
{
    const char *const n[2] = { row->name, row->alias };
    for (int k = 0; k < 2; k++) {
        if (!n[k])
            continue;
        size_t len = strlen(n[k]);
        if (strncmp(a, n[k], len) == 0 && (a[len] == '\0' || a[len] == '='))
            return a[len] == '=' ? 2 : 1;
    }
    return 0;
}

static int unknown(const qr_cli_args *w, const qr_opt *table, const char *a)
{
    const char *cand[128];
    size_t n = 0;
    size_t len = strcspn(a, "=");
    char word[257];
    if (len >= sizeof(word))
        len = sizeof(word) - 1;
    memcpy(word, a, len);
    word[len] = '\0';
    for (const qr_opt *r = table; r->kind != QR_OPT_END && n + 1 < 128; r++)
        cand[n++] = r->name;
    cand[n++] = "--help";
    const char *near = qr_suggest(word, cand, n);
    if (near)
        return qr_cli_usage_error(w->cmd, "unknown option '%s' (did you mean '%s'?)", a, near);
    return qr_cli_unknown(w, a);
}

int qr_cli_parse(qr_cli_args *w, const qr_opt *table, void *opts)
{
    const char *a;
    while (qr_cli_next(w, &a)) {
        const qr_opt *row = table;
        int how = 0;
        for (; row->kind != QR_OPT_END; row++)
            if ((how = names(row, a)) != 0)
                break;
        if (row->kind == QR_OPT_END)
            return unknown(w, table, a);
        const char *value = NULL;
        if (!row->arg) {
            if (how == 2)
                return qr_cli_usage_error(w->cmd, "option '%s' takes no value", row->name);
        } else if (how == 2) {
            value = strchr(a, '=') + 1;
        } else if (w->i + 1 < w->argc) {
            value = w->argv[++w->i];
        } else {
            return qr_cli_usage_error(w->cmd, "option '%s' needs a value", a);
        }
        if (store(w, row, value, opts) != 0)
            return 2;
        if (row->given)
            *(bool *)((char *)opts + row->given - 1) = true;
    }
    return w->help ? -1 : 0;
}

/* ---- the help ---- */

enum { HELP_WIDTH = 79, HELP_MIN_COLUMN = 16, HELP_MAX_COLUMN = 24 };

/* "-o, --output FILE" into buf; its length. */
static int label(const qr_opt *row, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s%s%s%s%s", row->alias ? row->alias : "", row->alias ? ", " : "",
                     row->name, row->arg ? " " : "", row->arg ? row->arg : "");
    return n < 0 ? 0 : n;
}

/* One entry: the label at column 2, the help from column `col` wrapped
 * at HELP_WIDTH (on the next line when the label reaches the column). */
static void entry(FILE *out, const char *lab, const char *help, int col)
{
    int pos = fprintf(out, "  %s", lab);
    if (pos + 2 > col) {
        fputc('\n', out);
        pos = 0;
    }
    const char *p = help ? help : "";
    bool first = true;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t wl = strcspn(p, " ");
        if (wl == 0)
            break;
        if (!first && pos + 1 + (int)wl > HELP_WIDTH) {
            fputc('\n', out);
            pos = 0;
            first = true;
        }
        if (first) {
            pos += fprintf(out, "%*s", col - pos, "");
        } else {
            fputc(' ', out);
            pos++;
        }
        fwrite(p, 1, wl, out);
        pos += (int)wl;
        p += wl;
        first = false;
    }
    fputc('\n', out);
}

void qr_cli_options_help(FILE *out, const qr_opt *table)
{
    char buf[128];
    int col = HELP_MIN_COLUMN;
    for (const qr_opt *r = table; r->kind != QR_OPT_END; r++) {
        int n = label(r, buf, sizeof(buf)) + 4;
        if (n > col && n <= HELP_MAX_COLUMN)
            col = n;
    }
    fputs("options:\n", out);
    for (const qr_opt *r = table; r->kind != QR_OPT_END; r++) {
        label(r, buf, sizeof(buf));
        entry(out, buf, r->help, col);
    }
    entry(out, "-h, --help", "show this help and exit", col);
    entry(out, "--", "end of the options: every later argument is a file", col);
}

void qr_cli_usage(FILE *out, const qr_cli_command *c)
{
    fputs(c->about, out);
    qr_cli_options_help(out, c->options);
    fputs(c->after, out);
}

int qr_cli_parse_command(qr_cli_args *w, const qr_cli_command *c, int argc, char **argv, void *opts)
{
    qr_cli_args_init(w, c->name, argc, argv, NULL);
    int rc = qr_cli_parse(w, c->options, opts);
    if (rc < 0)
        qr_cli_usage(stdout, c);
    return rc;
}

int qr_cli_parse_one(const qr_cli_command *c, int argc, char **argv, void *opts, const char *what,
                     const char **file)
{
    qr_cli_args w;
    int rc = qr_cli_parse_command(&w, c, argc, argv, opts);
    if (rc != 0)
        return rc;
    return qr_cli_one_operand(&w, what, file);
}

int qr_cli_parse_files(const qr_cli_command *c, int argc, char **argv, void *opts,
                       const char *const **files, int *n_files)
{
    qr_cli_args w;
    int rc = qr_cli_parse_command(&w, c, argc, argv, opts);
    if (rc != 0)
        return rc;
    *files = qr_cli_operands(&w);
    *n_files = w.n_operands;
    return 0;
}
