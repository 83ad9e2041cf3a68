/*
 * cmd_sensitivity.c: `quorate sensitivity --assume FILE DESIGN...`, how sure
 * a comparison is (docs/sensitivity.md): loads the assumptions file, whose
 * uncertain values (a range or a median with an error factor) are what it
 * varies, loads and checks every design under it (one with errors gets
 * `quorate check`'s diagnostics on stderr and is skipped), runs the
 * analysis of src/compare/sensitivity.h and prints it as text, JSON or a
 * CSV table, and with --html writes the page with its charts.
 *
 * Output does not depend on --threads (the only run-dependent numbers are
 * in the JSON `timing` object, left out with --no-timing).
 *
 * Exit status: 0 every design analysed; 1 some design had errors (the
 * others are still analysed), or the assumptions file has errors or no
 * uncertain value (nothing analysed); 2 usage or I/O error.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cli_util.h"
#include "cmd/commands.h"
#include "compare/sensitivity.h"
#include "model/assumption_list.h"
#include "model/assumptions.h"
#include "model/topology.h"
#include "out/report_sensitivity.h"
#include "util/file_out.h"

#define CMD "sensitivity" /* for usage errors */

/* Most parameter sets: a Latin hypercube of 100000 points is far more than
 * any percentile here needs. */
#define MAX_SETS 100000

typedef struct {
    const char *const *files;
    int           n_files;
    const char   *assume;
    int           sets;
    qr_cli_run    run;
    qr_cli_format format;
    qr_sens_table table;
    bool          table_given;
    bool          timing;
    const char   *html;
} sens_options;

static void usage(FILE *out)
{
    fputs("usage: quorate sensitivity --assume FILE [OPTIONS] DESIGN...\n"
          "\n"
          "How sure is the comparison? The assumptions file gives some values as uncertain\n"
          "(a range { low, high }, log-uniform, or { median, error_factor }, lognormal);\n"
          "N parameter sets are drawn by Latin hypercube, every design is simulated on\n"
          "every set with common random numbers, and the report gives each design's\n"
          "downtime and availability percentiles (5/50/95) per feature, the probability\n"
          "that each design is the best, and a tornado per design: which parameter moves\n"
          "its worst feature's downtime most (docs/sensitivity.md).\n"
          "\n"
          "options:\n"
          "  --assume FILE      the assumptions file with the uncertain values (required;\n"
          "                     docs/assumptions.md, docs/sensitivity.md)\n"
          "  --sets N           parameter sets drawn (default 40)\n"
          "  --runs R           replications per design and set, at least 2 (default 100)\n"
          "  --years Y          simulated years per replication (default 10)\n"
          "  --seed S           random seed of the simulations and of the sample, an\n"
          "                     unsigned integer (default 1); the same seed gives the\n"
          "                     same output whatever --threads\n"
          "  --threads T        worker threads (default: the number of CPUs)\n"
          "  --format F         text (default); json: one JSON document; csv: one table\n"
          "                     as CSV (RFC 4180) for a spreadsheet, chosen by --table\n"
          "  --json             the same as --format json\n"
          "  --table T          with --format csv: percentiles (default: a row per design\n"
          "                     and feature), best (a row per design), tornado (a row per\n"
          "                     design and parameter) or sets (a row per parameter set)\n"
          "  --no-timing        leave the `timing` object out of the JSON\n"
          "  --html FILE        also write one self-contained HTML page (inline SVG, no\n"
          "                     script, no network): the probability of being the best\n"
          "                     and a tornado per design as charts, and the tables\n"
          "  -h, --help         show this help and exit\n"
          "\n"
          "Simulations: designs x (1 + sets + 2 x uncertain parameters), each of --runs\n"
          "replications. A progress bar is shown on stderr when it is a terminal.\n"
          "\n"
          "exit status:\n"
          "  0  every design analysed\n"
          "  1  some design has errors (printed as by `quorate check`; the others are still\n"
          "     analysed), or the assumptions file has errors or no uncertain value\n"
          "  2  usage or I/O error: bad flag or value, no or unreadable file, out of memory\n",
          out);
}

/* Fills *o; -1 when --help was printed, 0 on success, 2 on a usage error. */
static int parse_args(int argc, char **argv, sens_options *o)
{
    memset(o, 0, sizeof(*o));
    o->sets = 40;
    o->timing = true;
    qr_cli_run_defaults(&o->run, 100);
    qr_cli_args w;
    const char *a, *value = NULL;
    qr_cli_args_init(&w, CMD, argc, argv, usage);
    while (qr_cli_next(&w, &a)) {
        if (strcmp(a, "--json") == 0) {
            o->format = QR_CLI_FORMAT_JSON;
            continue;
        }
        if (strcmp(a, "--no-timing") == 0) {
            o->timing = false;
            continue;
        }
        int r = qr_cli_run_option(CMD, a, argc, argv, &w.i, &o->run);
        if (r == 2)
            return 2;
        if (r == 1)
            continue;
        static const char *const valued[] = { "--assume", "--sets", "--format", "--table",
                                              "--html" };
        int which = qr_cli_value(&w, a, valued, 5, &value);
        if (which == -2)
            return 2;
        if (which < 0)
            return qr_cli_unknown(&w, a);
        long sets;
        switch (which) {
        case 0:
            if (!*value)
                return qr_cli_usage_error(CMD, "%s", "--assume needs a file name");
            o->assume = value;
            break;
        case 1:
            if (qr_cli_parse_long(value, 1, MAX_SETS, &sets) != 0)
                return qr_cli_usage_error(CMD, "bad --sets '%s' (expected 1 to %d)", value,
                                          MAX_SETS);
            o->sets = (int)sets;
            break;
        case 2:
            if (qr_cli_format_parse(CMD, value, &o->format) != 0)
                return 2;
            break;
        case 3:
            if (qr_sens_table_parse(value, &o->table) != 0)
                return qr_cli_usage_error(
                    CMD, "bad --table '%s' (expected percentiles, best, tornado or sets)", value);
            o->table_given = true;
            break;
        case 4:
            if (qr_cli_output_file(&w, "--html", value, false, &o->html) != 0)
                return 2;
            break;
        }
    }
    if (w.help)
        return -1;
    o->files = qr_cli_operands(&w);
    o->n_files = w.n_operands;
    if (o->run.runs < 2)
        return qr_cli_usage_error(CMD, "bad --runs '%d' (at least 2: the paired confidence "
                                       "intervals need two replications)",
                                  o->run.runs);
    if (!o->assume)
        return qr_cli_usage_error(CMD, "%s",
                                  "--assume FILE is required: its uncertain values are what "
                                  "the analysis varies");
    if (o->n_files == 0)
        return qr_cli_usage_error(CMD, "%s", "no topology file given");
    if (o->table_given && o->format != QR_CLI_FORMAT_CSV)
        return qr_cli_usage_error(CMD, "%s", "--table needs --format csv");
    return 0;
}

/* ---- progress on a terminal ---- */

static void progress(long done, long planned, void *ctx)
{
    qr_cli_progress_show(ctx, done, planned);
}

static int write_html(FILE *out, void *ctx, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    return qr_html_sensitivity(out, ctx);
}

int cmd_sensitivity(int argc, char **argv)
{
    sens_options o;
    qr_assumptions *assume = NULL;
    qr_topology **topologies = NULL;
    qr_assumption_list *lists = NULL;
    const char **labels = NULL, **skipped = NULL, **reasons = NULL;
    qr_sens_result result;
    char *doc = NULL;
    int n = 0, n_skipped = 0, status = 0, ret = 2;
    memset(&result, 0, sizeof(result));

    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    rc = qr_cli_load_assumptions(o.assume, &assume);
    if (rc != 0)
        return rc;
    if (assume->n_uncertain == 0) {
        fprintf(stderr,
                "%s: error: the assumptions file gives no uncertain value (a range { low, high } "
                "or { median, error_factor }): nothing to vary (docs/sensitivity.md)\n",
                o.assume);
        qr_assumptions_free(assume);
        return 1;
    }
    qr_cli_progress ps;
    qr_cli_progress_init(&ps, "analysing", "simulations");
    topologies = calloc((size_t)o.n_files, sizeof(*topologies));
    lists = calloc((size_t)o.n_files, sizeof(*lists));
    labels = calloc((size_t)o.n_files, sizeof(*labels));
    skipped = calloc((size_t)o.n_files, sizeof(*skipped));
    reasons = calloc((size_t)o.n_files, sizeof(*reasons));
    if (!topologies || !lists || !labels || !skipped || !reasons)
        goto oom;
    for (int i = 0; i < o.n_files; i++) {
        rc = qr_cli_load_assumed(o.files[i], assume, &topologies[n]);
        if (rc != 0) {
            skipped[n_skipped] = o.files[i];
            reasons[n_skipped++] = rc == 2 ? "cannot be read" : "has errors";
            if (rc > status)
                status = rc;
            continue;
        }
        if (qr_assumption_list_make(topologies[n], assume, false, &lists[n]) != 0) {
            n++;
            goto oom;
        }
        n++;
    }
    if (n == 0) {
        fputs("quorate sensitivity: no design to analyse\n", stderr);
        ret = status ? status : 1;
        goto cleanup;
    }

    qr_sens_options so = { o.sets, o.run.runs, o.run.years, o.run.seed, o.run.threads,
                           NULL, NULL };
    if (isatty(STDERR_FILENO)) {
        so.progress = progress;
        so.progress_ctx = &ps;
    }
    char err[512];
    rc = qr_sensitivity_run(topologies, n, assume, &so, &result, err, sizeof(err));
    qr_cli_progress_end(&ps);
    if (rc != 0) {
        fprintf(stderr, "quorate sensitivity: %s\n", err);
        goto cleanup;
    }
    for (int i = 0; i < n; i++)
        labels[i] = result.designs[i].label;
    qr_sens_report rep = { &result, lists, labels,          skipped, reasons,
                           n_skipped, o.timing, qr_cli_elapsed(&ps.start), o.run.threads };
    if (o.format == QR_CLI_FORMAT_TEXT) {
        qr_report_sensitivity_text(stdout, &rep);
    } else {
        doc = o.format == QR_CLI_FORMAT_JSON ? qr_report_sensitivity_json(&rep)
                                             : qr_report_sensitivity_csv(&rep, o.table);
        if (!doc)
            goto oom;
        fputs(doc, stdout);
        if (o.format == QR_CLI_FORMAT_JSON)
            fputc('\n', stdout);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quorate sensitivity: cannot write the output: %s\n", strerror(errno));
        goto cleanup;
    }
    if (o.html && qr_file_write(o.html, write_html, &rep, err, sizeof(err)) != 0) {
        fprintf(stderr, "quorate sensitivity: %s\n", err);
        goto cleanup;
    }
    ret = status;
    goto cleanup;
oom:
    fputs("quorate sensitivity: out of memory\n", stderr);
    ret = 2;
cleanup:
    qr_sens_result_release(&result);
    for (int i = 0; topologies && i < n; i++)
        qr_topology_free(topologies[i]);
    for (int i = 0; lists && i < n; i++)
        qr_assumption_list_release(&lists[i]);
    free(topologies);
    free(lists);
    free(labels);
    free(skipped);
    free(reasons);
    free(doc);
    qr_assumptions_free(assume);
    return ret;
}
