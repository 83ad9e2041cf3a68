/*
 * cmd_compare.c: `quorate compare FILE...`, the design scorecard: loads and
 * checks every topology (one with errors gets `quorate check`'s diagnostics
 * on stderr and is skipped), computes each design's scorecard
 * (src/compare/scorecard.h: cost, SPOFs, exact "on paper" and simulated "in
 * operation" availability), ranks them by --rank-by and prints one row a
 * design, a per-feature table and the recommendation, or all of it as JSON,
 * or the scorecard or the per-feature table as CSV (--format csv --table).
 * docs/compare.md explains every column.
 *
 * Every design is simulated with the same --seed, --runs and --years; the
 * output does not depend on --threads (the only run-dependent numbers are in
 * the JSON `timing` object, left out with --no-timing).
 *
 * Exit status: 0 every design compared; 1 some topology had errors (the
 * others are still compared); 2 usage or I/O error (bad flag or value, an
 * unreadable file — the others are still compared —, out of memory).
 */
#include <errno.h>
#include <math.h>
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
#include "model/diag.h"
#include "util/file_out.h"
#include "exact/analysis.h"
#include "out/html_charts.h"
#include "out/html_nk.h"
#include "out/html_report.h"
#include "util/json_out.h"
#include "model/loader.h"
#include "out/report.h"
#include "out/report_json_doc.h"
#include "out/report_csv.h"
#include "out/report_causes.h"
#include "out/report_assumptions.h"
#include "out/report_stats.h"
#include "check/rules.h"
#include "sim/rare.h"
#include "sim/runner.h"
#include "compare/labels.h"
#include "compare/scorecard.h"
#include "model/assumption_list.h"
#include "model/topology.h"
#include "model/units.h"

#define CMD "compare" /* for usage errors */

#define JSON_FORMAT_VERSION 1

typedef struct {
    const char *const *files; /* the operands, in argv (qr_cli_operands) */
    int           n_files;
    qr_rank_by    rank_by;
    qr_cost_rules costs;
    qr_cli_format format;     /* --format, --json                        */
    int           features_table; /* --table features (CSV): 1          */
    bool          table_given;
    bool          timing;
    const char   *html;  /* --html FILE, or NULL */
    const char   *assume; /* --assume FILE, or NULL */
    double        target; /* --target: availability, a fraction; 0 none */
    qr_cli_run    run;    /* --years --runs --seed --threads            */
    bool          rare;   /* --rare: importance sampling (sim/rare.h)   */
    double        server_cost, witness_cost, host_cost; /* -1: not given */
} compare_options;

/* A file that could not be compared, and why. */
typedef struct {
    const char *file;
    const char *reason;
} skipped_file;

static const qr_opt_word rank_words[] = { { "availability", QR_RANK_AVAILABILITY },
                                          { "downtime", QR_RANK_DOWNTIME },
                                          { "cost", QR_RANK_COST },
                                          { "value", QR_RANK_VALUE },
                                          { NULL, 0 } };
static const qr_opt_word table_words[] = { { "scorecard", 0 }, { "features", 1 }, { NULL, 0 } };
_Static_assert(sizeof(qr_rank_by) == sizeof(int), "--rank-by is written as an int");

static const qr_opt options[] = {
    QR_OPT_RUN_ROWS(compare_options, run, "simulated years per replication (default 10)",
                    "replications per design (default 200)",
                    "random seed, an unsigned integer (default 1); the same seed gives the "
                    "same output whatever --threads",
                    0),
    { .name = "--rare", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(compare_options, rare),
      .flag = true,
      .help = "rare-event acceleration for every design, as `simulate --rare` with its default "
              "bias and replays (docs/simulate.md, \"Rare events\"): the simulated "
              "availability, downtime and their paired differences come from the weighted "
              "replays; a design with several pools is refused" },
    { .name = "--rank-by", .arg = "C", .kind = QR_OPT_ENUM,
      .at = QR_OPT_AT(compare_options, rank_by), .words = rank_words,
      .help = "availability (default: the worst feature's simulated availability, ties by "
              "cost), downtime (mean simulated downtime of the features), cost (yearly cost), "
              "or value (the worst feature's nines per unit of cost)" },
    { .name = "--server-cost", .arg = "X", .kind = QR_OPT_DOUBLE,
      .at = QR_OPT_AT(compare_options, server_cost), .lo = 0, .lo_open = true, .hi = 1e12,
      .expect = "a number > 0",
      .help = "yearly cost of a full server without its own `cost` (default 1: costs in "
              "server-equivalents per year; any other value: costs in that money, per year)" },
    { .name = "--witness-cost", .arg = "X", .kind = QR_OPT_DOUBLE,
      .at = QR_OPT_AT(compare_options, witness_cost), .lo = 0, .hi = 1e12,
      .expect = "a number >= 0",
      .help = "yearly cost of a witness-only part (witness server, cloud witness, "
              "disk-witness storage) without its own `cost`, when the topology has no "
              "`costs: { witness }` (default a quarter of --server-cost)" },
    { .name = "--host-cost", .arg = "X", .kind = QR_OPT_DOUBLE,
      .at = QR_OPT_AT(compare_options, host_cost), .lo = 0, .hi = 1e12,
      .expect = "a number >= 0",
      .help = "yearly cost of a host (hypervisor, chassis) without its own `cost` (default "
              "--server-cost: one server's hardware; 0 when the hosts are paid for "
              "elsewhere)" },
    { .name = "--target", .arg = "A", .kind = QR_OPT_PERCENT,
      .at = QR_OPT_AT(compare_options, target),
      .help = "an availability target for every feature, a percentage such as 99.99%: each "
              "design meets it when every feature's 95% CI lower bound reaches it (as "
              "`quorate plan` judges); shown as a verdict per design and a line on the "
              "charts" },
    QR_OPT_FORMAT_ROWS(compare_options, format,
                       "text (default); json: one JSON document (format_version, parameters, "
                       "every design with every measure, the ranking, the recommendation); "
                       "csv: one table as CSV (RFC 4180, one header row) for a spreadsheet"),
    { .name = "--table", .arg = "T", .kind = QR_OPT_ENUM,
      .at = QR_OPT_AT(compare_options, features_table),
      .given = QR_OPT_GIVEN(compare_options, table_given), .words = table_words,
      .help = "with --format csv: scorecard (default: one row a design) or features (one row "
              "a design and feature)" },
    QR_OPT_NO_TIMING_ROW(compare_options, timing,
                         "leave the `timing` object (wall time, threads) out of the JSON, so "
                         "that runs can be compared byte for byte"),
    QR_OPT_HTML_ROW(compare_options, html,
                    "also write one self-contained HTML page (inline SVG, no script, no "
                    "network): the scorecard, the recommendation, availability-vs-servers and "
                    "downtime-distribution charts, each design's topology drawing and N-k "
                    "table"),
    QR_OPT_ASSUME_ROW(compare_options, assume,
                      "one assumptions file for every design (docs/assumptions.md): failure "
                      "figures and timings that replace the built-in ones and each design's "
                      "`defaults:` and timings"),
    { 0 },
};

static const qr_cli_command command = {
    .name = CMD,
    .about = "usage: quorate compare [OPTIONS] FILE...\n"
             "\n"
             "The design scorecard: for every topology, the field notation, full servers,\n"
             "yearly cost, single points of failure, and per feature the exact availability\n"
             "\"on paper\" (M9) beside the simulated one \"in operation\" with its 95% CI,\n"
             "downtime, outages and soft quorum resets per year; the designs ranked by a\n"
             "stated criterion, designs that cannot be told apart tied, each design's\n"
             "difference to the recommended one with a paired 95% CI (every design runs\n"
             "on the same random numbers, matched by component kind and name), and a\n"
             "recommendation in words (docs/compare.md).\n"
             "\n",
    .options = options,
    .after = "\n"
             "The report lists the assumptions every design ran with, where each came from\n"
             "and its source; an assumption that differs between the designs and is not a\n"
             "design choice is a warning on stderr, file:line:col: warning: ... [AS001].\n"
             "\n"
             "exit status:\n"
             "  0  every design compared\n"
             "  1  some topology has errors (printed as by `quorate check`; the others are\n"
             "     still compared), or the assumptions file has errors (nothing compared)\n"
             "  2  usage or I/O error: bad flag or value, no or unreadable file (the others\n"
             "     are still compared), out of memory\n",
};

/* Fills *o (o->files points into argv, reordered by the walk); returns -1
 * when --help was printed, 0 on success, 2 on a usage error (reported). */
static int parse_args(int argc, char **argv, compare_options *o)
{
    memset(o, 0, sizeof(*o));
    qr_cli_run_defaults(&o->run, 200);
    o->rank_by = QR_RANK_AVAILABILITY;
    o->server_cost = 1;
    o->witness_cost = o->host_cost = -1; /* -1: not given */
    o->timing = true;
    int rc = qr_cli_parse_files(&command, argc, argv, o, &o->files, &o->n_files);
    if (rc != 0)
        return rc;
    qr_cost_rules_init(&o->costs, o->server_cost);
    if (o->witness_cost >= 0)
        o->costs.witness_cost = o->witness_cost;
    if (o->host_cost >= 0)
        o->costs.host_cost = o->host_cost;
    if (o->n_files == 0)
        return qr_cli_usage_error(CMD, "%s", "no topology file given");
    if (o->table_given && o->format != QR_CLI_FORMAT_CSV)
        return qr_cli_usage_error(CMD, "%s", "--table needs --format csv");
    return 0;
}

/* ---- text output ---- */



static void print_rank(FILE *out, const qr_scorecard *s)
{
    if (s->rank > 0 && s->tied)
        fprintf(out, "%3d=  ", s->rank);
    else if (s->rank > 0)
        fprintf(out, "%4d  ", s->rank);
    else
        fputs("   -  ", out);
}

static void print_pct(FILE *out, bool have, double v, int width)
{
    char buf[32];
    if (have)
        snprintf(buf, sizeof(buf), "%.5f%%", 100 * v);
    else
        snprintf(buf, sizeof(buf), "n/a");
    qr_report_pad(out, buf, width, false);
}

static void print_row(FILE *out, const qr_scorecard *s)
{
    print_rank(out, s);
    fprintf(out, "%-22s %-8s %7d %8.2f %5d  %-18s", s->label, s->notation, s->cost.full_servers,
            s->cost.total, s->n_spofs, s->worst >= 0 ? s->feature_names[s->worst] : "-");
    print_pct(out, s->have_paper, s->have_paper ? s->paper[s->worst] : 0, 11);
    if (s->have_operation) {
        const sim_feature_summary *f = &s->operation.f[s->worst];
        print_pct(out, true, f->availability.mean, 11);
        fprintf(out, "%9.1f %11.2f %10.2f\n", f->downtime_min_year.mean, f->outages_year.mean,
                s->operation.soft_resets_year.mean);
    } else {
        fprintf(out, "%11s%9s %11s %10s\n", "n/a", "n/a", "n/a", "n/a");
    }
}

/* The --target verdicts, in rank order (docs/compare.md, "A target"). */
static void print_target(FILE *out, double target, const qr_scorecard *cards, int n,
                         const int *order)
{
    fprintf(out,
            "\ntarget %.10g%% on every feature (at most %.1f min/yr down), met when each "
            "feature's 95%% CI\nlower bound reaches it:\n",
            100 * target, (1 - target) * QR_MINUTES_PER_YEAR);
    for (int k = 0; k < n; k++) {
        const qr_scorecard *s = &cards[order[k]];
        int f;
        double short_min;
        int met = qr_scorecard_target(s, target, &f, &short_min);
        fprintf(out, "  %-22s ", s->label);
        if (met < 0)
            fputs("n/a (not simulated in operation)\n", out);
        else if (met)
            fprintf(out, "meets (closest: %s, %.1f min/yr to spare)\n", s->feature_names[f],
                    -short_min);
        else
            fprintf(out, "misses (%s, %.1f min/yr short)\n", s->feature_names[f], short_min);
    }
}

/* Index of feature `name` in s, or -1. */
static int feature_index(const qr_scorecard *s, const char *name)
{
    for (int k = 0; k <= s->n_features; k++)
        if (strcmp(s->feature_names[k], name) == 0)
            return k;
    return -1;
}

static void print_feature_row(FILE *out, const qr_scorecard *s, int k)
{
    char buf[96];
    fprintf(out, "  %-22s", s->label);
    print_pct(out, s->have_paper, s->have_paper ? s->paper[k] : 0, 11);
    if (!s->have_operation) {
        fprintf(out, "   %-34s%11s%24s%24s\n", "n/a", "n/a", "n/a", "n/a");
        return;
    }
    const sim_feature_summary *f = &s->operation.f[k];
    qr_report_stat_text(buf, sizeof(buf), f->availability, 100, 5, "%");
    fputs("   ", out);
    qr_report_pad(out, buf, 34, true);
    if (s->have_paper)
        fprintf(out, "%11.1f", f->downtime_min_year.mean - qr_scorecard_downtime(s->paper[k]));
    else
        fprintf(out, "%11s", "n/a");
    qr_report_stat_text(buf, sizeof(buf), f->downtime_min_year, 1, 1, "");
    qr_report_pad(out, buf, 24, false);
    qr_report_stat_text(buf, sizeof(buf), f->outages_year, 1, 3, "");
    qr_report_pad(out, buf, 24, false);
    fputc('\n', out);
}

/* Downtime by cause of each design's worst feature and of its pool
 * (docs/simulate.md "Downtime by cause"). */
static void print_causes(FILE *out, const qr_scorecard *cards, int n, const int *order)
{
    fputs("\ndowntime by cause of each design's worst feature and pool, min/yr (mean [95%\n"
          "CI]): the causes, and the events that started the outages, sum to the downtime\n"
          "(docs/simulate.md):\n",
          out);
    for (int k = 0; k < n; k++) {
        const qr_scorecard *s = &cards[order[k]];
        if (!s->have_operation || s->worst < 0) {
            fprintf(out, "  %s: not simulated in operation\n", s->label);
            continue;
        }
        fprintf(out, "  %s\n", s->label);
        const char *names[2] = { s->feature_names[s->worst], "pool" };
        const sim_feature_summary *rows[2] = { &s->operation.f[s->worst],
                                               &s->operation.f[s->n_features] };
        qr_report_causes_list(out, "    ", names, rows, s->worst == s->n_features ? 1 : 2);
    }
}

/* The paired differences to the recommended design (docs/compare.md). */
static void print_differences(FILE *out, const qr_scorecard *cards, int n, const int *order)
{
    bool any = false;
    for (int k = 1; k < n; k++)
        any |= cards[order[k]].have_diff;
    if (!any)
        return;
    const qr_scorecard *w = &cards[order[0]];
    fprintf(out,
            "\ndifference to the recommended design, %s: each design's worst feature's downtime\n"
            "minus %s's, min/yr, with its paired 95%% CI (replication i of every design runs on\n"
            "the same random streams) and the half-width two independent runs would give:\n",
            w->label, w->label);
    fprintf(out, "  %-22s %10s  %-20s %11s  %s\n", "design", "difference", "paired 95% CI",
            "independent", "verdict");
    for (int k = 1; k < n; k++) {
        const qr_scorecard *s = &cards[order[k]];
        if (!s->have_diff)
            continue;
        char ci[48], ind[24];
        snprintf(ci, sizeof(ci), "[%+.2f, %+.2f]", s->diff.low, s->diff.high);
        snprintf(ind, sizeof(ind), "± %.2f", s->diff.independent_half_width);
        fprintf(out, "  %-22s %+10.2f  ", s->label, s->diff.mean);
        qr_report_pad(out, ci, 20, true);
        fputc(' ', out);
        qr_report_pad(out, ind, 11, false);
        fprintf(out, "  %s\n",
                qr_paired_contains_zero(&s->diff) ? "not distinguishable"
                : s->diff.mean > 0                ? "more downtime"
                                                  : "less downtime");
    }
}

static void print_text(FILE *out, const compare_options *o, const qr_scorecard *cards, int n,
                       const int *order, const char *recommendation,
                       const qr_assumption_list *lists, const char *const *labels)
{
    fprintf(out,
            "quorate compare: %d design%s, full simulation of %d runs x %g years each, seed "
            "%llu\n",
            n, n == 1 ? "" : "s", o->run.runs, o->run.years, (unsigned long long)o->run.seed);
    if (o->rare)
        fprintf(out, "rare-event acceleration (--rare): importance sampling, bias %g, %d replays "
                     "of every excursion\n",
                SIM_RARE_BIAS, SIM_RARE_REPLAYS);
    char criterion[512];
    snprintf(criterion, sizeof(criterion), "ranked by %s: %s", qr_rank_by_name(o->rank_by),
             qr_rank_by_definition(o->rank_by));
    qr_report_wrapped(out, criterion, 100, "");
    char pricing[256], line[300];
    snprintf(line, sizeof(line), "cost/yr %s",
             qr_cost_rules_describe(&o->costs, "--server-cost", pricing, sizeof(pricing)));
    qr_report_wrapped(out, line, 100, "");
    fputc('\n', out);
    fprintf(out, "%4s  %-22s %-8s %7s %8s %5s  %-18s%11s%11s%9s %11s %10s\n", "rank", "design",
            "notation", "servers", "cost/yr", "SPOFs", "worst feature", "paper", "operation",
            "min/yr", "outages/yr", "resets/yr");
    bool tied = false;
    for (int k = 0; k < n; k++) {
        print_row(out, &cards[order[k]]);
        tied |= cards[order[k]].tied;
    }
    if (tied)
        fputs("(a rank followed by = is shared by designs that tie: none of them is "
              "distinguishably better than another)\n",
              out);
    if (o->target > 0)
        print_target(out, o->target, cards, n, order);

    print_differences(out, cards, n, order);

    fputs("\ndesigns:\n", out);
    for (int k = 0; k < n; k++) {
        const qr_scorecard *s = &cards[order[k]];
        fprintf(out, "  %s: %s, %s; cost %.2f %s a year (%d full server%s, %d witness-only "
                     "part%s",
                s->label, s->name, s->file, s->cost.total, qr_cost_unit_name(s->cost.unit),
                s->cost.full_servers, s->cost.full_servers == 1 ? "" : "s",
                s->cost.witness_parts, s->cost.witness_parts == 1 ? "" : "s");
        if (s->cost.hosts > 0)
            fprintf(out, ", %d host%s", s->cost.hosts, s->cost.hosts == 1 ? "" : "s");
        fputs(")\n", out);
        if (s->n_spofs > 0) {
            fputs("    single points of failure (any loss of users):", out);
            for (int j = 0; j < s->n_spofs; j++)
                fprintf(out, "%s %s%s", j ? "," : "", s->spof_names[j],
                        s->spof_fails[j] ? "" : " (never fails in this model)");
            fputc('\n', out);
        }
        if (!s->have_paper)
            fprintf(out, "    paper values not available: %s\n", s->paper_reason);
        else if (s->links_off_paper)
            fputs("    on paper the sites are always connected: the exact (M9) values leave the "
                  "links between\n    sites out; in operation the pool, SQL mirroring and the "
                  "clusters split at broken links\n",
                  out);
        if (!s->have_operation)
            fprintf(out, "    operation values not available: %s\n", s->operation_reason);
    }

    fputs("\nper feature (paper: exact M9; operation: simulated mean [95% CI];\n"
          "gap: operation downtime minus paper downtime, min/yr):\n",
          out);
    fprintf(out, "  %-22s%11s   %-34s%11s%24s%24s\n", "feature / design", "paper",
            "operation", "gap min/yr", "downtime min/yr", "outages/yr");
    /* Features in order of first appearance over the ranked designs; the
     * pool last. */
    for (int k = 0; k < n; k++) {
        const qr_scorecard *s = &cards[order[k]];
        for (int f = 0; f < s->n_features; f++) {
            const char *name = s->feature_names[f];
            bool seen = false;
            for (int j = 0; j < k && !seen; j++)
                seen = feature_index(&cards[order[j]], name) >= 0;
            if (seen)
                continue;
            fprintf(out, "%s\n", name);
            for (int j = 0; j < n; j++) {
                const qr_scorecard *c = &cards[order[j]];
                int idx = feature_index(c, name);
                if (idx >= 0 && idx < c->n_features)
                    print_feature_row(out, c, idx);
            }
        }
    }
    fputs("pool\n", out);
    for (int j = 0; j < n; j++)
        print_feature_row(out, &cards[order[j]], cards[order[j]].n_features);

    int mismatches = qr_report_assumption_mismatches(lists, n);
    if (mismatches > 0) {
        char note[400];
        snprintf(note, sizeof(note),
                 "note: %d assumption%s differ%s between the designs (AS001, listed under "
                 "assumptions below): the ranking compares assumptions as well as designs; "
                 "compare them under one assumptions file (--assume)",
                 mismatches, mismatches == 1 ? "" : "s", mismatches == 1 ? "s" : "");
        fputc('\n', out);
        qr_report_wrapped(out, note, 100, "");
    }
    print_causes(out, cards, n, order);

    fputs("\nrecommendation:\n", out);
    qr_report_wrapped(out, recommendation, 78, "  ");
    qr_report_assumptions_compare_text(out, lists, labels, n);
}

/* AS001 on stderr, compiler-style: one warning per assumption that differs
 * between the designs, at the place in the first design file that states
 * its value (else at that design's file). 0, or -1 when out of memory. */
static int report_mismatches(const qr_assumption_list *lists, const char *const *labels, int n)
{
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++) {
        if (!qr_assumption_lists_differ(lists, n, i))
            continue;
        int at = qr_assumption_mismatch_origin(lists, n, i);
        qr_loc loc = at >= 0 ? lists[at].rows[i].loc : (qr_loc){ 0, 0 };
        char *values = qr_assumption_values_text(lists, labels, n, i);
        qr_diags d;
        if (!values || qr_diags_init(&d, lists[at >= 0 ? at : 0].file) != 0) {
            free(values);
            return -1;
        }
        qr_diag_add(&d, QR_SEV_WARNING, loc, QR_RULE_AS001,
                    "assumption '%s' differs between the compared designs: %s; give every "
                    "design the same value, or compare them under one assumptions file "
                    "(--assume)",
                    qr_assumption_item_at(i)->key, values);
        qr_report_diags_text(stderr, &d);
        int oom = d.oom;
        qr_diags_release(&d);
        free(values);
        if (oom)
            return -1;
    }
    return 0;
}

/* ---- HTML output ---- */

/* What --html needs of each design beside its scorecard: the topology (for
 * the drawing), the N-k analysis and the per-replication downtime. One
 * entry per scorecard, owned by cmd_compare. */
typedef struct {
    qr_topology    *topology;
    qr_analysis     analysis;
    bool            have_analysis;
    char            analysis_error[256];
    sim_downtime_log samples;
} html_extra;

static void html_extra_release(html_extra *x)
{
    qr_topology_free(x->topology);
    qr_analysis_release(&x->analysis);
    sim_downtime_log_release(&x->samples);
    memset(x, 0, sizeof(*x));
}

/* The N-k analysis with the default options (exact values not needed). */
static void html_analyse(html_extra *x)
{
    x->have_analysis = qr_html_nk_analysis(x->topology, &x->analysis, x->analysis_error,
                                           sizeof(x->analysis_error)) == 0;
}

static int write_html(FILE *out, void *ctx, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    return qr_html_compare(out, ctx);
}

/* ---- JSON output ---- */


static void json_number_or_null(qr_json *j, const char *key, bool have, double v)
{
    qr_json_key(j, key);
    if (have && isfinite(v))
        qr_json_number(j, v);
    else
        qr_json_null(j);
}

static void json_feature(qr_json *j, const qr_scorecard *s, int k)
{
    qr_json_begin_object(j);
    qr_json_key(j, "name");
    qr_json_string(j, s->feature_names[k]);
    json_number_or_null(j, "paper_availability", s->have_paper, s->have_paper ? s->paper[k] : 0);
    json_number_or_null(j, "paper_downtime_min_per_year", s->have_paper,
                        s->have_paper ? qr_scorecard_downtime(s->paper[k]) : 0);
    qr_json_key(j, "operation");
    if (s->have_operation) {
        const sim_feature_summary *f = &s->operation.f[k];
        qr_json_begin_object(j);
        qr_report_json_feature_stats(j, f);
        qr_report_causes_json(j, f);
        qr_json_end_object(j);
    } else {
        qr_json_null(j);
    }
    json_number_or_null(j, "gap_min_per_year", s->have_paper && s->have_operation,
                        s->have_paper && s->have_operation
                            ? s->operation.f[k].downtime_min_year.mean -
                                  qr_scorecard_downtime(s->paper[k])
                            : 0);
    qr_json_end_object(j);
}

/* The paired difference to the recommended design (docs/compare.md). */
static void json_difference(qr_json *j, const qr_scorecard *s)
{
    qr_json_key(j, "difference_to_recommended");
    if (!s->have_diff) {
        qr_json_null(j);
        return;
    }
    const qr_paired *d = &s->diff;
    sim_stat down = { .mean = d->mean, .half_width = d->half_width, .low = d->low, .high = d->high };
    /* Availability is 1 - downtime / minutes a year: the same interval,
     * mirrored and scaled. */
    sim_stat avail = { .mean = -d->mean / QR_MINUTES_PER_YEAR,
                       .half_width = d->half_width / QR_MINUTES_PER_YEAR,
                       .low = -d->high / QR_MINUTES_PER_YEAR,
                       .high = -d->low / QR_MINUTES_PER_YEAR };
    qr_json_begin_object(j);
    qr_report_json_stat(j, "worst_downtime_min_per_year", down);
    qr_report_json_stat(j, "worst_availability", avail);
    qr_json_key(j, "independent_half_width_min_per_year");
    qr_json_number(j, d->independent_half_width);
    qr_json_key(j, "runs_paired");
    qr_json_int(j, d->n);
    qr_json_key(j, "distinguishable");
    qr_json_bool(j, !qr_paired_contains_zero(d));
    qr_json_end_object(j);
}

/* `target`: null without --target, else { met (null when not simulated),
 * feature, shortfall_min_per_year }. */
static void json_target(qr_json *j, const qr_scorecard *s, double target)
{
    qr_json_key(j, "target");
    if (!(target > 0)) {
        qr_json_null(j);
        return;
    }
    int f;
    double short_min;
    int met = qr_scorecard_target(s, target, &f, &short_min);
    qr_json_begin_object(j);
    qr_json_key(j, "met");
    if (met < 0)
        qr_json_null(j);
    else
        qr_json_bool(j, met == 1);
    qr_json_key(j, "feature");
    qr_json_string(j, f >= 0 ? s->feature_names[f] : NULL);
    json_number_or_null(j, "shortfall_min_per_year", met >= 0, short_min);
    qr_json_end_object(j);
}

static void json_design(qr_json *j, const qr_scorecard *s, const qr_assumption_list *assumed,
                        double target)
{
    qr_json_begin_object(j);
    qr_json_key(j, "label");
    qr_json_string(j, s->label);
    qr_json_key(j, "name");
    qr_json_string(j, s->name);
    qr_json_key(j, "file");
    qr_json_string(j, s->file);
    qr_json_key(j, "notation");
    qr_json_string(j, s->notation);
    qr_json_key(j, "rank");
    if (s->rank > 0)
        qr_json_int(j, s->rank);
    else
        qr_json_null(j);
    qr_json_key(j, "tied");
    qr_json_bool(j, s->tied);
    json_difference(j, s);
    qr_json_key(j, "full_servers");
    qr_json_int(j, s->cost.full_servers);
    qr_json_key(j, "witness_parts");
    qr_json_int(j, s->cost.witness_parts);
    qr_json_key(j, "hosts");
    qr_json_int(j, s->cost.hosts);
    qr_json_key(j, "cost");
    qr_json_begin_object(j);
    qr_json_key(j, "per_year");
    qr_json_number(j, s->cost.total);
    qr_json_key(j, "unit");
    qr_json_string(j, qr_cost_unit_name(s->cost.unit));
    qr_json_key(j, "parts_with_own_cost");
    qr_json_int(j, s->cost.own_priced);
    qr_json_key(j, "parts_priced_by_flags");
    qr_json_int(j, s->cost.rule_priced);
    qr_json_end_object(j);
    qr_json_key(j, "spofs");
    qr_json_begin_array(j);
    for (int k = 0; k < s->n_spofs; k++) {
        qr_json_begin_object(j);
        qr_json_key(j, "component");
        qr_json_string(j, s->spof_names[k]);
        qr_json_key(j, "fails");
        qr_json_bool(j, s->spof_fails[k]);
        qr_json_key(j, "common_cause"); /* a `ccf:GROUP` event, not a part */
        qr_json_bool(j, strncmp(s->spof_names[k], "ccf:", 4) == 0);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_key(j, "spof_count");
    qr_json_int(j, s->n_spofs);
    qr_json_key(j, "paper_available");
    qr_json_bool(j, s->have_paper);
    qr_json_key(j, "paper_unavailable_reason");
    qr_json_string(j, s->have_paper ? NULL : s->paper_reason);
    qr_json_key(j, "operation_available");
    qr_json_bool(j, s->have_operation);
    qr_json_key(j, "operation_unavailable_reason");
    qr_json_string(j, s->have_operation ? NULL : s->operation_reason);
    qr_json_key(j, "worst_feature");
    qr_json_string(j, s->worst >= 0 ? s->feature_names[s->worst] : NULL);
    json_number_or_null(j, "worst_availability", s->worst >= 0,
                        qr_scorecard_worst_availability(s));
    json_number_or_null(j, "mean_downtime_min_per_year", s->have_operation,
                        qr_scorecard_mean_downtime(s));
    json_number_or_null(j, "value", s->have_operation, qr_scorecard_value(s));
    json_target(j, s, target);
    qr_json_key(j, "features");
    qr_json_begin_array(j);
    for (int k = 0; k < s->n_features; k++)
        json_feature(j, s, k);
    qr_json_end_array(j);
    qr_json_key(j, "pool");
    json_feature(j, s, s->n_features);
    qr_json_key(j, "per_year");
    if (s->have_operation) {
        const sim_summary *m = &s->operation;
        qr_json_begin_object(j);
        qr_report_json_stat(j, "soft_resets", m->soft_resets_year);
        qr_report_json_stat(j, "quorum_losses", m->quorum_losses_year);
        qr_report_json_stat(j, "group_quorum_losses", m->group_quorum_losses_year);
        qr_report_json_stat(j, "reset_attempts_failed", m->reset_attempts_failed_year);
        qr_report_json_stat(j, "failovers", m->failovers_year);
        qr_report_json_stat(j, "file_store_failovers", m->file_store_failovers_year);
        qr_report_json_stat(j, "data_loss_risk_events", m->data_loss_risk_year);
        qr_report_json_stat(j, "patch_nights", m->patch_nights_year);
        qr_json_end_object(j);
    } else {
        qr_json_null(j);
    }
    qr_json_key(j, "assumptions");
    qr_json_begin_object(j);
    qr_report_assumption_items_json(j, assumed);
    qr_json_end_object(j);
    qr_json_end_object(j);
}

static char *render_json(const compare_options *o, const qr_scorecard *cards, int n,
                         const int *order, const char *recommendation,
                         const skipped_file *skipped, int n_skipped, double wall,
                         const qr_assumption_list *lists, const char *const *labels)
{
    qr_json *j = qr_json_new();
    qr_report_json_begin(j, JSON_FORMAT_VERSION, "compare");
    qr_json_key(j, "parameters");
    qr_json_begin_object(j);
    qr_json_key(j, "mode");
    qr_json_string(j, "full");
    qr_json_key(j, "years");
    qr_json_number(j, o->run.years);
    qr_json_key(j, "runs");
    qr_json_int(j, o->run.runs);
    qr_json_key(j, "seed");
    qr_json_uint(j, (unsigned long long)o->run.seed);
    qr_json_key(j, "rare"); /* --rare: sim/rare.h's default bias and replays */
    qr_json_bool(j, o->rare);
    qr_json_key(j, "rank_by");
    qr_json_string(j, qr_rank_by_name(o->rank_by));
    qr_json_key(j, "rank_by_definition");
    qr_json_string(j, qr_rank_by_definition(o->rank_by));
    qr_json_key(j, "server_cost");
    qr_json_number(j, o->costs.server_cost);
    qr_json_key(j, "witness_cost");
    qr_json_number(j, o->costs.witness_cost);
    qr_json_key(j, "host_cost");
    qr_json_number(j, o->costs.host_cost);
    qr_json_key(j, "cost_unit");
    qr_json_string(j, qr_cost_rules_relative(&o->costs) ? "server-equivalents"
                                                        : "server-cost currency");
    qr_json_key(j, "target");
    if (o->target > 0)
        qr_json_number(j, o->target);
    else
        qr_json_null(j);
    qr_json_end_object(j);
    qr_json_key(j, "designs");
    qr_json_begin_array(j);
    for (int k = 0; k < n; k++)
        json_design(j, &cards[order[k]], &lists[order[k]], o->target);
    qr_json_end_array(j);
    qr_json_key(j, "assumptions");
    qr_json_begin_object(j);
    qr_report_assumptions_head_json(j, &lists[0]);
    int mismatch_rc = qr_report_assumption_mismatches_json(j, lists, labels, n);
    qr_json_end_object(j);
    qr_json_key(j, "ranking");
    qr_json_begin_array(j);
    for (int k = 0; k < n; k++)
        if (cards[order[k]].rank > 0)
            qr_json_string(j, cards[order[k]].label);
    qr_json_end_array(j);
    qr_json_key(j, "rank_groups");
    qr_json_begin_array(j);
    for (int k = 0; k < n && cards[order[k]].rank > 0; k++) {
        if (k == 0 || cards[order[k]].rank != cards[order[k - 1]].rank) {
            if (k > 0)
                qr_json_end_array(j);
            qr_json_begin_array(j);
        }
        qr_json_string(j, cards[order[k]].label);
    }
    if (n > 0 && cards[order[0]].rank > 0)
        qr_json_end_array(j);
    qr_json_end_array(j);
    qr_json_key(j, "recommendation");
    qr_json_string(j, recommendation);
    qr_json_key(j, "skipped");
    qr_json_begin_array(j);
    for (int k = 0; k < n_skipped; k++)
        qr_report_json_skipped(j, skipped[k].file, skipped[k].reason);
    qr_json_end_array(j);
    if (o->timing) {
        qr_report_json_timing_begin(j, wall, o->run.threads);
        qr_json_end_object(j);
    }
    qr_json_end_object(j);
    char *text = qr_json_finish(j);
    if (mismatch_rc != 0) {
        free(text);
        text = NULL;
    }
    return text;
}

int cmd_compare(int argc, char **argv)
{
    compare_options o;
    qr_scorecard *cards = NULL;
    html_extra *extra = NULL;
    qr_html_design *designs = NULL;
    skipped_file *skipped = NULL;
    int *order = NULL;
    char *recommendation = NULL;
    qr_assumptions *assume = NULL;
    qr_assumption_list *lists = NULL;
    const char **labels = NULL;
    char ***label_slots = NULL;
    int n = 0, n_skipped = 0, status = 0, ret = 2;

    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    rc = qr_cli_load_assumptions(o.assume, &assume);
    if (rc != 0)
        return rc;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    cards = calloc((size_t)o.n_files, sizeof(*cards));
    skipped = calloc((size_t)o.n_files, sizeof(*skipped));
    order = calloc((size_t)o.n_files, sizeof(*order));
    extra = calloc((size_t)o.n_files, sizeof(*extra));
    lists = calloc((size_t)o.n_files, sizeof(*lists));
    labels = calloc((size_t)o.n_files, sizeof(*labels));
    label_slots = calloc((size_t)o.n_files, sizeof(*label_slots));
    if (!cards || !skipped || !order || !extra || !lists || !labels || !label_slots)
        goto oom;

    sim_run_options ro;
    memset(&ro, 0, sizeof(ro));
    ro.years = o.run.years;
    ro.runs = o.run.runs;
    ro.seed = o.run.seed;
    ro.threads = o.run.threads;
    ro.split = qr_mpi_split();
    ro.rare = o.rare; /* a design with several pools: sim_run refuses it (status -1) */
    for (int i = 0; i < o.n_files; i++) {
        qr_topology *t = NULL;
        rc = qr_cli_load_assumed(o.files[i], assume, &t);
        if (rc != 0) {
            skipped[n_skipped].file = o.files[i];
            skipped[n_skipped].reason = rc == 2 ? "cannot be read" : "has errors";
            n_skipped++;
            if (rc > status)
                status = rc;
            continue;
        }
        if (o.html) {
            sim_downtime_log_init(&extra[n].samples, t->n_features + 1);
            ro.on_reps = sim_downtime_log_collect;
            ro.on_reps_ctx = &extra[n].samples;
        }
        if (qr_assumption_list_make(t, assume, false, &lists[n]) != 0) {
            qr_topology_free(t);
            goto oom;
        }
        rc = qr_scorecard_compute(t, &ro, &o.costs, &cards[n]);
        if (o.html && rc == 0) {
            extra[n].topology = t;
            html_analyse(&extra[n]);
            if (extra[n].samples.failed)
                rc = -1;
        } else {
            qr_topology_free(t);
        }
        if (rc != 0) {
            n++; /* so that cleanup releases this design too */
            goto oom;
        }
        if (cards[n].paper_status == -1) {
            /* The exact computation ran out of memory: ours too. */
            fprintf(stderr, "quorate compare: %s: paper values %s\n", o.files[i],
                    cards[n].paper_reason);
            status = 2;
        }
        if (cards[n].operation_status == -1) {
            /* Out of memory or no threads: a failure of ours, not of the
             * design; reported, and the exit status says so. */
            fprintf(stderr, "quorate compare: %s: %s\n", o.files[i], cards[n].operation_reason);
            status = 2;
        }
        n++;
    }
    if (n == 0) {
        fputs("quorate compare: no design to compare\n", stderr);
        ret = status ? status : 1;
        goto cleanup;
    }
    /* The same file twice, or x.yaml in two folders: x, x#2 (labels.h). */
    for (int i = 0; i < n; i++)
        label_slots[i] = &cards[i].label;
    if (qr_labels_make_unique(label_slots, n) != 0)
        goto oom;
    for (int i = 0; i < n; i++)
        labels[i] = cards[i].label;
    if (report_mismatches(lists, labels, n) != 0)
        goto oom;
    qr_scorecard_rank(cards, n, o.rank_by, order);
    recommendation = qr_scorecard_recommend(cards, n, order, o.rank_by);
    if (!recommendation)
        goto oom;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double wall = (double)(now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9;
    if (o.format == QR_CLI_FORMAT_CSV) {
        char *doc = o.features_table ? qr_report_csv_features(cards, n, order)
                                     : qr_report_csv_scorecard(cards, n, order);
        if (!doc)
            goto oom;
        fputs(doc, stdout);
        free(doc);
    } else if (o.format == QR_CLI_FORMAT_JSON) {
        char *doc = render_json(&o, cards, n, order, recommendation, skipped, n_skipped, wall,
                                lists, labels);
        if (!doc)
            goto oom;
        fputs(doc, stdout);
        fputc('\n', stdout);
        free(doc);
    } else {
        print_text(stdout, &o, cards, n, order, recommendation, lists, labels);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quorate compare: cannot write the output: %s\n", strerror(errno));
        ret = 2;
        goto cleanup;
    }
    if (o.html) {
        designs = calloc((size_t)n, sizeof(*designs));
        if (!designs)
            goto oom;
        for (int i = 0; i < n; i++) {
            designs[i].card = &cards[i];
            designs[i].topology = extra[i].topology;
            designs[i].analysis = extra[i].have_analysis ? &extra[i].analysis : NULL;
            designs[i].analysis_error = extra[i].analysis_error;
            designs[i].samples = &extra[i].samples;
        }
        qr_html_compare_page page = { o.run.runs, o.run.years, o.run.seed, o.rank_by, o.costs, designs,
                                      n, order, recommendation, lists, o.target };
        char err[512];
        if (qr_file_write(o.html, write_html, &page, err, sizeof(err)) != 0) {
            fprintf(stderr, "quorate compare: %s\n", err);
            ret = 2;
            goto cleanup;
        }
    }
    ret = status;
    goto cleanup;
oom:
    fputs("quorate compare: out of memory\n", stderr);
    ret = 2;
cleanup:
    for (int i = 0; i < n; i++)
        qr_scorecard_release(&cards[i]);
    for (int i = 0; extra && i < n; i++)
        html_extra_release(&extra[i]);
    for (int i = 0; lists && i < n; i++)
        qr_assumption_list_release(&lists[i]);
    free(lists);
    free(labels);
    free(label_slots);
    qr_assumptions_free(assume);
    free(extra);
    free(designs);
    free(cards);
    free(skipped);
    free(order);
    free(recommendation);
    return ret;
}
