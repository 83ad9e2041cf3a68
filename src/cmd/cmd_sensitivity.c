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

#include "cmd/cli_options.h"
#include "cmd/cli_util.h"
#include "cmd/commands.h"
#include "cmd/mpi_run.h"
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

static const qr_opt_word table_words[] = { { "percentiles", QR_SENS_TABLE_PERCENTILES },
                                           { "best", QR_SENS_TABLE_BEST },
                                           { "tornado", QR_SENS_TABLE_TORNADO },
                                           { "sets", QR_SENS_TABLE_SETS },
                                           { NULL, 0 } };
_Static_assert(sizeof(qr_sens_table) == sizeof(int), "--table is written as an int");

static const qr_opt options[] = {
    QR_OPT_ASSUME_ROW(sens_options, assume,
                      "the assumptions file with the uncertain values (required; "
                      "docs/assumptions.md, docs/sensitivity.md)"),
    { .name = "--sets", .arg = "N", .kind = QR_OPT_INT, .at = QR_OPT_AT(sens_options, sets),
      .min = 1, .max = MAX_SETS, .expect = "1 to " QR_OPT_STR(MAX_SETS),
      .help = "parameter sets drawn (default 40)" },
    QR_OPT_RUN_ROWS(sens_options, run, "simulated years per replication (default 10)",
                    "replications per design and set, at least 2 (default 100)",
                    "random seed of the simulations and of the sample, an unsigned integer "
                    "(default 1); the same seed gives the same output whatever --threads",
                    0),
    QR_OPT_FORMAT_ROWS(sens_options, format,
                       "text (default); json: one JSON document; csv: one table as CSV (RFC "
                       "4180) for a spreadsheet, chosen by --table"),
    { .name = "--table", .arg = "T", .kind = QR_OPT_ENUM, .at = QR_OPT_AT(sens_options, table),
      .given = QR_OPT_GIVEN(sens_options, table_given), .words = table_words,
      .help = "with --format csv: percentiles (default: a row per design and feature), best "
              "(a row per design), tornado (a row per design and parameter) or sets (a row "
              "per parameter set)" },
    QR_OPT_NO_TIMING_ROW(sens_options, timing, "leave the `timing` object out of the JSON"),
    QR_OPT_HTML_ROW(sens_options, html,
                    "also write one self-contained HTML page (inline SVG, no script, no "
                    "network): the probability of being the best and a tornado per design as "
                    "charts, and the tables"),
    { 0 },
};

static const qr_cli_command command = {
    .name = CMD,
    .about = "usage: quorate sensitivity --assume FILE [OPTIONS] DESIGN...\n"
             "\n"
             "How sure is the comparison? The assumptions file gives some values as uncertain\n"
             "(a range { low, high }, log-uniform, or { median, error_factor }, lognormal);\n"
             "N parameter sets are drawn by Latin hypercube, every design is simulated on\n"
             "every set with common random numbers, and the report gives each design's\n"
             "downtime and availability percentiles (5/50/95) per feature, the probability\n"
             "that each design is the best, and a tornado per design: which parameter moves\n"
             "its worst feature's downtime most (docs/sensitivity.md).\n"
             "\n",
    .options = options,
    .after = "\n"
             "Simulations: designs x (1 + sets + 2 x uncertain parameters), each of --runs\n"
             "replications. A progress bar is shown on stderr when it is a terminal.\n"
             "\n"
             "exit status:\n"
             "  0  every design analysed\n"
             "  1  some design has errors (printed as by `quorate check`; the others are still\n"
             "     analysed), or the assumptions file has errors or no uncertain value\n"
             "  2  usage or I/O error: bad flag or value, no or unreadable file, out of memory\n",
};

/* Fills *o; -1 when --help was printed, 0 on success, 2 on a usage error. */
static int parse_args(int argc, char **argv, sens_options *o)
{
    memset(o, 0, sizeof(*o));
    o->sets = 40;
    o->timing = true;
    qr_cli_run_defaults(&o->run, 100);
    int rc = qr_cli_parse_files(&command, argc, argv, o, &o->files, &o->n_files);
    if (rc != 0)
        return rc;
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
                           NULL, NULL, qr_mpi_split() };
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
