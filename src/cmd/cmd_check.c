/*
 * cmd_check.c: `quorate check`, the CI gate. Loads each topology file
 * (loader.h), runs the design rules (rules.h) on every file that loaded
 * without errors, and prints all diagnostics as text, JSON or SARIF
 * (report.h). The whole report is rendered in memory first and written in
 * one go, to --output through a temporary file and a rename, so a reader
 * never sees half a report.
 *
 * Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage
 * or I/O error.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli_options.h"
#include "cmd/cli_util.h"
#include "cmd/commands.h"
#include "model/diag.h"
#include "util/file_out.h"
#include "model/loader.h"
#include "out/report.h"
#include "check/rules.h"
#include "model/topology.h"

#define CMD "check" /* for usage errors */

typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF } report_format;

typedef struct {
    report_format format;
    bool          strict;
    bool          list_rules;
    const char   *output;   /* NULL: stdout */
    const char *const *files; /* the operands, in argv (qr_cli_operands) */
    int           n_files;
} check_options;

static const qr_opt_word format_words[] = { { "text", FORMAT_TEXT },
                                            { "json", FORMAT_JSON },
                                            { "sarif", FORMAT_SARIF },
                                            { NULL, 0 } };
_Static_assert(sizeof(report_format) == sizeof(int), "--format is written as an int");

static const qr_opt options[] = {
    { .name = "--format", .arg = "FMT", .kind = QR_OPT_ENUM,
      .at = QR_OPT_AT(check_options, format), .words = format_words,
      .help = "report format: text (default), json, or sarif (SARIF 2.1.0)" },
    { .name = "--strict", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(check_options, strict),
      .flag = true, .help = "warnings fail the check too (exit 1)" },
    QR_OPT_OUTPUT_ROW(check_options, output,
                      "write the report to FILE instead of standard output; the file is "
                      "replaced atomically, complete or not at all"),
    { .name = "--list-rules", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(check_options, list_rules),
      .flag = true,
      .help = "list every rule ID, its severity, name and title, and exit (every field of "
              "the rule table with --format json; a SARIF log whose driver lists the rules "
              "with --format sarif)" },
    { 0 },
};

static const qr_cli_command command = {
    .name = CMD,
    .about = "usage: quorate check [--format text|json|sarif] [--strict] [--output FILE]\n"
             "                     [--list-rules] FILE...\n"
             "\n"
             "Check pool topology files: YAML syntax and the topology format (P001-P011),\n"
             "then the design rules (FE, BE, CL, FS, ST) of every file that loaded.\n"
             "Diagnostics read \"file:line:col: error|warning|note: message [ID]\";\n"
             "docs/rules.md explains every ID. A FILE of - is standard input.\n"
             "\n",
    .options = options,
    .after = "\n"
             "exit status:\n"
             "  0  no errors (warnings and notes allowed)\n"
             "  1  errors found, or warnings with --strict\n"
             "  2  usage or I/O error: bad flag, no file, unreadable file, output not written\n",
};

/* Fills *o from argv; returns -1 when --help was printed, 0 on success, 2
 * on a usage error (already reported). Options and files in any order;
 * after "--" everything is a file. */
static int parse_args(int argc, char **argv, check_options *o)
{
    memset(o, 0, sizeof(*o));
    int rc = qr_cli_parse_files(&command, argc, argv, o, &o->files, &o->n_files);
    if (rc != 0)
        return rc;
    if (o->n_files == 0 && !o->list_rules)
        return qr_cli_usage_error(CMD, "%s", "no topology file given");
    return 0;
}

static void list_rules(FILE *out)
{
    for (size_t i = 0; i < qr_rule_count(); i++) {
        const qr_rule *r = qr_rule_at(i);
        fprintf(out, "%-6s %-8s %-28s %s\n", r->id, qr_severity_name(r->severity),
                r->name, r->title);
    }
}

/* Render the report of the checked files into a malloc'd string (*len
 * bytes). Returns NULL when out of memory. */
static char *render(const check_options *o, const qr_diags *files, size_t n,
                    size_t *len)
{
    char *doc = NULL;
    if (o->format == FORMAT_TEXT) {
        FILE *mem = open_memstream(&doc, len);
        if (!mem)
            return NULL;
        if (o->list_rules) {
            list_rules(mem);
        } else {
            for (size_t i = 0; i < n; i++)
                qr_report_diags_text(mem, &files[i]);
            qr_report_summary_text(mem, files, n);
        }
        if (fclose(mem) != 0) {
            free(doc);
            return NULL;
        }
        return doc;
    }
    /* --list-rules in JSON: the rule table; in SARIF: a log whose driver
     * lists every rule, with no result. */
    char *json = o->format == FORMAT_JSON ? (o->list_rules ? qr_report_rules_json()
                                                           : qr_report_json(files, n))
                                          : qr_report_sarif(o->list_rules ? NULL : files,
                                                            o->list_rules ? 0 : n);
    if (!json)
        return NULL;
    size_t jlen = strlen(json);
    doc = malloc(jlen + 2);
    if (doc) {
        memcpy(doc, json, jlen);
        doc[jlen] = '\n';
        doc[jlen + 1] = '\0';
        *len = jlen + 1;
    }
    free(json);
    return doc;
}

/* Load and check one file into d (initialised here). Returns the loader's
 * status: 0 loaded, 1 errors, 2 unreadable; -1 when out of memory. */
static int check_file(const char *path, qr_diags *d)
{
    qr_topology *t = NULL;
    if (qr_diags_init(d, path) != 0)
        return -1;
    int rc = qr_topology_load_file(path, &t, d);
    if (rc == 0 && t)
        qr_rules_check(t, d);
    qr_topology_free(t);
    qr_diags_sort(d);
    return d->oom ? -1 : rc;
}

int cmd_check(int argc, char **argv)
{
    check_options o;
    qr_diags *files = NULL;
    size_t n = 0, len = 0;
    char *doc = NULL;
    int ret = parse_args(argc, argv, &o);
    bool failed_io = false;

    if (ret != 0)
        return ret < 0 ? 0 : ret;
    if (!o.list_rules) {
        files = calloc((size_t)o.n_files + 1, sizeof(*files));
        if (!files) {
            fputs("quorate check: out of memory\n", stderr);
            ret = 2;
            goto cleanup;
        }
        for (; n < (size_t)o.n_files; n++) {
            int rc = check_file(o.files[n], &files[n]);
            if (rc < 0) {
                fputs("quorate check: out of memory\n", stderr);
                n++;
                ret = 2;
                goto cleanup;
            }
            if (rc == 2)
                failed_io = true;
        }
    }
    doc = render(&o, files, n, &len);
    if (!doc) {
        fputs("quorate check: out of memory\n", stderr);
        ret = 2;
        goto cleanup;
    }
    char err[512];
    if (qr_file_write_data(o.output, doc, len, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate check: %s\n", err);
        ret = 2;
        goto cleanup;
    }
    ret = 0;
    for (size_t i = 0; i < n; i++)
        if (files[i].n_errors > 0 || (o.strict && files[i].n_warnings > 0))
            ret = 1;
    if (failed_io)
        ret = 2;
cleanup:
    for (size_t i = 0; i < n; i++)
        qr_diags_release(&files[i]);
    free(files);
    free(doc);
    return ret;
}
