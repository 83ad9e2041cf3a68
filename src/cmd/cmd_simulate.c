/*
 * cmd_simulate.c: `quorate simulate FILE`, the Monte Carlo simulation of one
 * pool design (sim/runner.h over sim/engine.h): loads and checks the
 * topology (a topology with errors gets `quorate check`'s diagnostics and
 * exit 1), runs the replications, prints a table per feature and for the
 * pool, or JSON (--format json, or --json), or a CSV table (--format csv).
 *
 * Output does not depend on --threads: replication i always uses random
 * stream i, and the only run-dependent numbers (wall time, threads) are in
 * the JSON `timing` object, left out with --no-timing.
 *
 * Exit status: 0 success, 1 the topology has errors, 2 usage or I/O error
 * (bad flag or value, unreadable file, a design the full simulation does not
 * model yet, out of memory).
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
#include "exact/exact.h"
#include "exact/exact_pairing.h"
#include "exact/analysis.h"
#include "out/html_charts.h"
#include "out/html_nk.h"
#include "out/html_report.h"
#include "util/json_out.h"
#include "model/loader.h"
#include "sim/measures.h"
#include "out/report.h"
#include "out/report_json_doc.h"
#include "out/report_csv.h"
#include "out/report_causes.h"
#include "out/report_assumptions.h"
#include "out/report_stats.h"
#include "check/rules.h"
#include "sim/pairing.h"
#include "sim/rare.h"
#include "sim/runner.h"
#include "model/assumption_list.h"
#include "model/topology.h"
#include "model/units.h"
#include "compare/scorecard.h"

#define CMD "simulate" /* for usage errors */

/* A macro's value as a string: the --rare defaults in --help. */
#define STR_(x) #x
#define STR(x) STR_(x)

#define JSON_FORMAT_VERSION 1

typedef struct {
    const char *file;
    bool        static_mode;
    qr_cli_format format; /* --format, --json */
    bool        timing;
    double      precision;
    int         max_runs;
    bool        max_runs_given;
    const char *html;  /* --html FILE, or NULL */
    const char *assume; /* --assume FILE, or NULL */
    double      target; /* --target: availability, a fraction; 0 none */
    qr_cli_run  run;    /* --years --runs --seed --threads            */
    bool        rare;   /* --rare: importance sampling (sim/rare.h)   */
    double      rare_bias; /* --rare-bias                             */
    bool        rare_bias_given;
    int         rare_replays; /* --rare-replays                       */
    bool        rare_replays_given;
} simulate_options;

static const qr_opt options[] = {
    QR_OPT_RUN_ROWS(simulate_options, run, "simulated years per replication (default 10)",
                    "replications (default 200, with --rare 1000; with --precision, the batch size "
                    "and the first check)",
                    "random seed, an unsigned integer (default 1); the same seed gives the "
                    "same output whatever --threads",
                    0),
    { .name = "--static", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(simulate_options, static_mode),
      .flag = true,
      .help = "the exact view (M9): no patching, no rebuild, every delay zero; services from "
              "the present component states only" },
    { .name = "--precision", .arg = "P", .kind = QR_OPT_DOUBLE,
      .at = QR_OPT_AT(simulate_options, precision), .lo = 0, .hi = 1, .lo_open = true,
      .hi_open = true, .expect = "a number in (0, 1)",
      .help = "add batches of --runs replications until both ends of every feature's 95% CI "
              "of unavailability are within P times that unavailability of it (0 < P < 1), "
              "up to --max-runs" },
    { .name = "--rare", .kind = QR_OPT_FLAG, .at = QR_OPT_AT(simulate_options, rare),
      .flag = true,
      .help = "rare-event acceleration: importance sampling with balanced failure biasing; "
              "every excursion from the all-up state is replayed with more failures and its "
              "downtime weighted by its likelihood ratio (docs/simulate.md, \"Rare events\"); "
              "only the availability, the downtime and its causes change" },
    { .name = "--rare-bias", .arg = "P", .kind = QR_OPT_DOUBLE,
      .at = QR_OPT_AT(simulate_options, rare_bias),
      .given = QR_OPT_GIVEN(simulate_options, rare_bias_given), .lo = 0, .hi = 1,
      .lo_open = true, .hi_open = true, .expect = "a number in (0, 1)",
      .help = "with --rare: the probability of an extra failure within one repair time while "
              "something is down (default " STR(SIM_RARE_BIAS) ")" },
    { .name = "--replays", .arg = "N", .kind = QR_OPT_INT,
      .at = QR_OPT_AT(simulate_options, rare_replays),
      .given = QR_OPT_GIVEN(simulate_options, rare_replays_given), .min = 1, .max = 1000,
      .expect = "an integer from 1 to 1000",
      .help = "with --rare: biased copies of every excursion, averaged (default "
              STR(SIM_RARE_REPLAYS) ")" },
    { .name = "--max-runs", .arg = "N", .kind = QR_OPT_INT,
      .at = QR_OPT_AT(simulate_options, max_runs),
      .given = QR_OPT_GIVEN(simulate_options, max_runs_given), .min = 1, .max = 10000000,
      .expect = "an integer from 1 to 10000000",
      .help = "cap on replications with --precision (default 10000)" },
    QR_OPT_FORMAT_ROWS(simulate_options, format,
                       "text (default); json: one JSON document (format_version, parameters, "
                       "every measure with its CI, run statistics, timing); csv: the "
                       "per-feature table as CSV (RFC 4180, one header row) for a spreadsheet"),
    QR_OPT_NO_TIMING_ROW(simulate_options, timing,
                         "leave the `timing` object (wall time, threads) out of the JSON, so "
                         "that runs can be compared byte for byte"),
    QR_OPT_HTML_ROW(simulate_options, html,
                    "also write one self-contained HTML page (inline SVG, no script, no "
                    "network): the per-feature table, the downtime distribution, the topology "
                    "drawing and the N-k table"),
    QR_OPT_ASSUME_ROW(simulate_options, assume,
                      "an assumptions file (docs/assumptions.md): failure figures and timings "
                      "that replace the built-in ones and the design's `defaults:` and timings "
                      "(not a component's own figures)"),
    { .name = "--target", .arg = "A", .kind = QR_OPT_PERCENT,
      .at = QR_OPT_AT(simulate_options, target),
      .help = "an availability target for every feature, a percentage such as 99.99%: met "
              "when the feature's 95% CI lower bound reaches it (as `quorate plan` judges); a "
              "verdict per feature and a line on the downtime charts" },
    { 0 },
};

static const qr_cli_command command = {
    .name = CMD,
    .about = "usage: quorate simulate [OPTIONS] FILE\n"
             "\n"
             "Monte Carlo simulation of a pool design: replications of the behaviour\n"
             "model (docs/simulate.md) with random failures, repairs and patch nights;\n"
             "availability of every feature and of the pool with 95% confidence\n"
             "intervals, downtime, outages and quorum events per year. A FILE of -\n"
             "is standard input.\n"
             "\n",
    .options = options,
    .after = "\n"
             "A progress line is shown on stderr when it is a terminal and the run is long.\n"
             "Every report ends with the assumptions used, where each came from and its\n"
             "source, and what the model leaves out.\n"
             "\n"
             "exit status:\n"
             "  0  simulated\n"
             "  1  the topology or the assumptions file has errors (printed as by\n"
             "     `quorate check`)\n"
             "  2  usage or I/O error: bad flag or value, no or unreadable file, a design\n"
             "     the full simulation cannot run (no front end, a back end or file store\n"
             "     naming no failover cluster), out of memory\n",
};

/* Fills *o; returns -1 when --help was printed, 0 on success, 2 on a usage
 * error (reported). */
static int parse_args(int argc, char **argv, simulate_options *o)
{
    memset(o, 0, sizeof(*o));
    qr_cli_run_defaults(&o->run, 200);
    o->timing = true;
    o->max_runs = 10000;
    o->run.runs = 0; /* not given: set below */
    int rc = qr_cli_parse_one(&command, argc, argv, o, "topology file", &o->file);
    if (rc != 0)
        return rc;
    /* With --rare, 1000 replications by default: the likelihood-ratio
     * weights are skewed, so their sample variance needs more replications
     * to be trusted, and a --precision run stopping at its first check
     * after 200 missed the exact value (static view) on 7.3% of the rows
     * of five bundled designs over 40 seeds, 4.5% after 1000
     * (docs/simulate.md, "Rare events"). */
    if (o->run.runs == 0)
        o->run.runs = o->rare ? SIM_RARE_RUNS : 200;
    if (o->rare_bias_given && !o->rare)
        return qr_cli_usage_error(CMD, "%s", "--rare-bias needs --rare");
    if (o->rare_replays_given && !o->rare)
        return qr_cli_usage_error(CMD, "%s", "--replays needs --rare");
    if (o->max_runs_given && o->precision <= 0)
        return qr_cli_usage_error(CMD, "%s", "--max-runs needs --precision");
    if (o->precision > 0 && o->max_runs < o->run.runs)
        return qr_cli_usage_error(CMD, "%s", "--max-runs is below --runs");
    return 0;
}

/* The exact availabilities (M9) shown beside the --static estimates, when
 * the design is small enough to enumerate (src/exact/exact.h); computed in
 * the full simulation too with --target, whose rule reads them for
 * features with few outages (qr_target_bound). */
typedef struct {
    bool    have;
    double *feature; /* n_features entries, then the pool */
} exact_view;

/* What --target judges feature k against (qr_target_bound). */
static double target_bound(const sim_summary *s, const exact_view *x, int k)
{
    return qr_target_bound(&s->f[k], x->have ? x->feature[k] : NAN);
}

/* The --target verdicts of every feature (docs/simulate.md, "A target"). */
static void print_target(FILE *out, const qr_topology *t, const simulate_options *o,
                         const sim_summary *s, const exact_view *x)
{
    fprintf(out,
            "\ntarget %.10g%% for every feature (at most %.1f min/yr down), met when its 95%% CI "
            "lower bound\nreaches it:\n",
            100 * o->target, (1 - o->target) * QR_MINUTES_PER_YEAR);
    for (int k = 0; k < t->n_features; k++) {
        double b = target_bound(s, x, k);
        fprintf(out, "  %-20s %s (lower bound %.5f%%", t->features[k].name,
                b >= o->target ? "meets " : "misses", 100 * b);
        if (b < o->target)
            fprintf(out, ", %.1f min/yr short", (o->target - b) * QR_MINUTES_PER_YEAR);
        fputs(")\n", out);
    }
}

static int exact_view_compute(const qr_topology *t, exact_view *x)
{
    x->have = false;
    x->feature = calloc((size_t)t->n_features + 1, sizeof(double));
    if (!x->feature)
        return -1;
    if (qr_topology_is_paired(t)) /* several pools: M9 with every M10 delay zero */
        x->have = sim_exact_pairing(t, x->feature, NULL, NULL, NULL, 0) == 0;
    else if (sim_exact_availability(t, x->feature, &x->feature[t->n_features], NULL, 0) == 0)
        x->have = true;
    return 0;
}

/* ---- progress on a terminal ---- */

static void progress(int done, int planned, void *ctx)
{
    qr_cli_progress_show(ctx, done, planned);
}

/* ---- text output ---- */


static void print_stat_pct(FILE *out, sim_stat s)
{
    char buf[96];
    qr_report_stat_text(buf, sizeof(buf), s, 100, 5, "%");
    qr_report_pad(out, buf, 34, true);
}

static void print_stat(FILE *out, sim_stat s, int width, int prec)
{
    char buf[96];
    qr_report_stat_text(buf, sizeof(buf), s, 1, prec, "");
    qr_report_pad(out, buf, width, false);
}

static void print_row(FILE *out, const char *name, const sim_feature_summary *f,
                      const exact_view *x, int k, bool exact_column)
{
    fprintf(out, "%-20s ", name);
    print_stat_pct(out, f->availability);
    print_stat(out, f->downtime_min_year, 24, 1);
    print_stat(out, f->outages_year, 24, 3);
    fprintf(out, "%12.1f%12.1f", f->mean_outage_min, f->longest_outage_min);
    if (exact_column && x->have) {
        const sim_stat *a = &f->availability;
        double e = x->feature[k];
        fprintf(out, "%13.5f%% %s", 100 * e, e >= a->low && e <= a->high ? "in CI" : "outside CI");
    }
    fputc('\n', out);
}

/* Downtime by cause of every feature and the pool (docs/simulate.md). */
static void print_causes(FILE *out, const qr_topology *t, const sim_summary *s)
{
    const char **names = calloc((size_t)s->n, sizeof(*names));
    const sim_feature_summary **rows = calloc((size_t)s->n, sizeof(*rows));
    if (names && rows) {
        for (int k = 0; k < s->n; k++) {
            names[k] = k < t->n_features ? t->features[k].name : "pool";
            rows[k] = &s->f[k];
        }
        fputs("\ndowntime by cause, min/yr (mean [95% CI]): each row's causes, and\n"
              "the events that started its outages, sum to its downtime (docs/simulate.md):\n",
              out);
        qr_report_causes_list(out, "  ", names, rows, s->n);
    }
    free(names);
    free(rows);
}

/* Several pools (M10): which users each row is for, and each pool's own
 * availability and what pairing did for its users. */
static void print_pools(FILE *out, const qr_topology *t, const sim_pool_summary *pools,
                        bool static_mode, double pool_years)
{
    fputs("\nrows: FEATURE is for all users (the pools' user-weighted mean), POOL.FEATURE for\n"
          "that pool's users wherever they are served (M10); pool: the users' home pool up\n",
          out);
    if (!pools)
        return;
    fputs("\neach pool (M10), a year (mean [95% CI]):\n", out);
    for (int i = 0; i < t->n_pools; i++) {
        const sim_pool_summary *ps = &pools[i];
        int q = t->pools[i].paired_with;
        fprintf(out, "  %s (backup %s%s):\n", t->pools[i].name, q >= 0 ? t->pools[q].name : "none",
                t->pools[i].cms ? ", holds the CMS" : "");
        fprintf(out, "    %-40s", "the pool itself up");
        print_stat_pct(out, ps->availability);
        fputc('\n', out);
        if (ps->availability.low >= 1.0 && pool_years > 0) /* no bare 100% (M10) */
            fprintf(out, "    %-40s%.3g a year (95%%: no outage in %.0f pool-years)\n",
                    "no outage seen: its outages are below", -log(0.05) / pool_years,
                    pool_years);
        if (static_mode) { /* M9: every M10 delay zero, nothing to count */
            fputs("    (static view: the registrar and pool failovers take no time and are "
                  "not counted)\n", out);
            continue;
        }
        const struct {
            const char *label;
            sim_px      k;
        } rows[] = {
            { "registrar failovers (M10.2)", SIM_PX_REGISTRAR },
            { "pool failovers (M10.3)", SIM_PX_FAILOVERS },
            { "CMS failovers (M10.4)", SIM_PX_CMS_FAILOVERS },
            { "failbacks (M10.5)", SIM_PX_FAILBACKS },
            { "data-loss-risk events (M10.1)", SIM_PX_DATA_LOSS_RISK },
            { "min in resiliency mode on the backup", SIM_PX_RESILIENCY },
        };
        for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
            fprintf(out, "    %-40s", rows[k].label);
            print_stat(out, ps->per_year[rows[k].k], 28, 4);
            fputc('\n', out);
        }
        fprintf(out, "    %-40s%28.1f\n", "changes at risk per event, min (M10.1)",
                ps->mean_at_risk_min);
    }
}

/* --rare's parameters in force (sim/rare.h defaults when not given). */
static double rare_bias(const simulate_options *o)
{
    return o->rare_bias > 0 ? o->rare_bias : SIM_RARE_BIAS;
}

static int rare_replays(const simulate_options *o)
{
    return o->rare_replays > 0 ? o->rare_replays : SIM_RARE_REPLAYS;
}

/* Per-year counters that only some designs have: the latent faults'
 * (M7.3-M7.5, when the design or its assumptions declare some) and the
 * VM hosts' (M0.4, M7.6, M7.7, with a `virtualization:` key). */
typedef struct {
    const char     *label; /* text */
    const char     *key;   /* JSON per_year */
    const sim_stat *stat;
    bool            vm;    /* a VM counter, else a latent-fault one */
    bool            failback; /* a VM counter for `failback:` only */
} per_year_row;
#define EXTRA_ROWS 7

static void extra_rows(const sim_summary *s, per_year_row rows[EXTRA_ROWS])
{
    const per_year_row r[EXTRA_ROWS] = {
        { "latent faults shown", "latent_faults_shown", &s->latent_shown_year, false, false },
        { "latent faults found by audit", "latent_faults_found_by_audit",
          &s->latent_found_by_audit_year, false, false },
        { "patch nights stopped (verify)", "patch_nights_stopped", &s->latent_nights_stopped_year,
          false, false },
        { "VM HA restarts", "vm_ha_restarts", &s->vm_ha_restarts_year, true, false },
        { "VM live migrations", "vm_live_migrations", &s->vm_live_migrations_year, true, false },
        { "VM maintenance shutdowns", "vm_maintenance_shutdowns", &s->vm_maint_shutdowns_year,
          true, false },
        { "VM failbacks", "vm_failbacks", &s->vm_failbacks_year, true, true },
    };
    memcpy(rows, r, sizeof(r));
}

static bool extra_row_applies(const qr_topology *t, const per_year_row *r)
{
    if (r->failback)
        return t->virt.failback;
    return r->vm ? t->virt.loc.line > 0 : t->n_latent > 0;
}

static void print_text(FILE *out, const qr_topology *t, const simulate_options *o,
                       const sim_summary *s, bool converged, const exact_view *x,
                       const qr_assumption_list *assumed, const sim_pool_summary *pools)
{
    char notation[16];
    qr_topology_notation(t, notation, sizeof(notation));
    fprintf(out, "%s (%s), %s\n", t->name ? t->name : o->file, notation, o->file);
    fprintf(out, "%s simulation: %d runs x %g years, seed %llu",
            o->static_mode ? "static (M9)" : "full", s->runs, o->run.years,
            (unsigned long long)o->run.seed);
    if (o->precision > 0)
        fprintf(out, ", precision %g %s", o->precision,
                converged ? "reached" : "NOT reached (--max-runs)");
    if (o->rare)
        fprintf(out, ",\nrare-event acceleration (--rare): importance sampling, bias %g, %d replays "
                "of every excursion",
                rare_bias(o), rare_replays(o));
    fputs("\n\n", out);
    fprintf(out, "%-20s %-34s%24s%24s%12s%12s%s\n", "feature", "availability (95% CI)",
            "downtime min/yr", "outages/yr", "mean min", "longest min",
            o->static_mode && x->have ? "   exact (M9)" : "");
    for (int k = 0; k < t->n_features; k++)
        print_row(out, t->features[k].name, &s->f[k], x, k, o->static_mode);
    print_row(out, "pool", &s->f[s->n - 1], x, t->n_features, o->static_mode);
    if (qr_topology_is_paired(t))
        print_pools(out, t, pools, o->static_mode, (double)s->runs * o->run.years);
    /* Rare events: an interval over replications undercovers when few
     * outages were seen (the sample is mostly zeros). Say so. */
    int few = 0;
    for (int k = 0; k < s->n; k++)
        few += s->f[k].outages_observed < SIM_FEW_OUTAGES;
    if (few > 0) {
        fprintf(out, "\nnote: fewer than %d outages observed in all runs for:", SIM_FEW_OUTAGES);
        const char *sep = " ";
        for (int k = 0; k < s->n; k++)
            if (s->f[k].outages_observed < SIM_FEW_OUTAGES) {
                fprintf(out, "%s%s (%ld)", sep, k < t->n_features ? t->features[k].name : "pool",
                        s->f[k].outages_observed);
                sep = ", ";
            }
        if (o->rare)
            fputs(";\n      with --rare their availability and downtime come from the weighted\n"
                  "      copies, not from these outages; outages/yr, mean and longest are the\n"
                  "      plain replications' (docs/simulate.md, \"Rare events\")\n",
                  out);
        else
            fputs(";\n      their confidence intervals are approximate: add --runs or --years, or\n"
                  "      try --rare (importance sampling; docs/simulate.md, \"Rare events\")\n",
                  out);
    }
    if (o->static_mode && !x->have)
        fprintf(out, "\n(exact values not shown: more than %d components to enumerate)\n",
                SIM_EXACT_MAX_COMPONENTS);
    if (o->target > 0)
        print_target(out, t, o, s, x);
    print_causes(out, t, s);
    if (o->static_mode) { /* M9: no module runs, so every counter is 0 */
        fputs("\nper year: none counted in the static view (M9), which has no quorum, failover,\n"
              "operator or patching behaviour (only components up or down); each row's\n"
              "outages/yr is above\n",
              out);
        fprintf(out, "\n%llu events processed\n", (unsigned long long)s->events);
        qr_report_assumptions_text(out, assumed);
        return;
    }
    fputs("\nper year (mean [95% CI]):\n", out);
    const struct {
        const char *label;
        sim_stat    stat;
    } rows[] = {
        { "pool quorum losses", s->quorum_losses_year },
        { "routing-group quorum losses", s->group_quorum_losses_year },
        { "soft resets (data-loss risk)", s->soft_resets_year },
        { "failed reset attempts", s->reset_attempts_failed_year },
        { "cluster quorum losses", s->cluster_quorum_losses_year },
        { "forced quorums", s->forced_quorums_year },
        { "SQL failovers", s->failovers_year },
        { "file store failovers", s->file_store_failovers_year },
        { "data-loss-risk events", s->data_loss_risk_year },
        { "hours in limited functionality", s->limited_hours_year },
        { "hours in resiliency mode", s->resiliency_hours_year },
        { "patch nights", s->patch_nights_year },
        { "patch nights skipped", s->patch_nights_skipped_year },
    };
    for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
        fprintf(out, "  %-32s", rows[k].label);
        print_stat(out, rows[k].stat, 28, 4);
        fputc('\n', out);
    }
    /* Only designs with latent faults (M7.3) or `virtualization:` (M0.4,
     * M7.6, M7.7) have these counters: the others' reports stay as they
     * were. */
    per_year_row extra[EXTRA_ROWS];
    extra_rows(s, extra);
    for (size_t k = 0; k < EXTRA_ROWS; k++) {
        if (!extra_row_applies(t, &extra[k]))
            continue;
        fprintf(out, "  %-32s", extra[k].label);
        print_stat(out, *extra[k].stat, 28, 4);
        fputc('\n', out);
    }
    fprintf(out, "\n%llu events processed\n", (unsigned long long)s->events);
    qr_report_assumptions_text(out, assumed);
}

/* ---- HTML output ---- */

static int write_html(FILE *out, void *ctx, char *why, size_t whylen)
{
    (void)why;
    (void)whylen;
    return qr_html_simulate(out, ctx);
}

/* Write the --html page: the N-k analysis (default options, no exact
 * values) is computed here, as only the page shows it. 0, or 2 with a
 * message on stderr. */
static int html_page(const qr_topology *t, const simulate_options *o, const sim_summary *s,
                     bool converged, const exact_view *x, const sim_downtime_log *samples,
                     const qr_assumption_list *assumed)
{
    qr_analysis a;
    char analysis_error[256] = "", err[512];
    bool have = qr_html_nk_analysis(t, &a, analysis_error, sizeof(analysis_error)) == 0;
    double *bounds = NULL;
    if (o->target > 0) {
        if (!(bounds = calloc((size_t)t->n_features + 1, sizeof(double)))) {
            fputs("quorate simulate: out of memory\n", stderr);
            if (have)
                qr_analysis_release(&a);
            return 2;
        }
        for (int k = 0; k < t->n_features; k++)
            bounds[k] = target_bound(s, x, k);
    }
    qr_html_simulate_page page = { t, o->file, s, o->static_mode,
                                   o->static_mode && x->have ? x->feature : NULL,
                                   o->run.years, o->run.seed, o->precision, converged,
                                   have ? &a : NULL, analysis_error, samples, assumed,
                                   o->target, bounds };
    int rc = qr_file_write(o->html, write_html, &page, err, sizeof(err));
    free(bounds);
    if (have)
        qr_analysis_release(&a);
    if (rc != 0) {
        fprintf(stderr, "quorate simulate: %s\n", err);
        return 2;
    }
    return 0;
}

/* ---- JSON output ---- */


/* `target` of feature k: null without --target (and for the pool), else
 * { met, bound } (qr_target_bound). */
static void json_target(qr_json *j, const simulate_options *o, const sim_summary *s,
                        const exact_view *x, int k, bool feature)
{
    qr_json_key(j, "target");
    if (!(o->target > 0) || !feature) {
        qr_json_null(j);
        return;
    }
    double b = target_bound(s, x, k);
    qr_json_begin_object(j);
    qr_json_key(j, "met");
    qr_json_bool(j, b >= o->target);
    qr_json_key(j, "bound");
    qr_json_number(j, b);
    qr_json_end_object(j);
}

/* One feature's (or, feature false, the pool's) object; x is the exact
 * view to print (--static), all the one --target reads. */
static void json_feature(qr_json *j, const char *name, const sim_feature_summary *f,
                         const exact_view *x, int k, const simulate_options *o,
                         const sim_summary *s, const exact_view *all, bool feature)
{
    qr_json_begin_object(j);
    qr_json_key(j, "name");
    qr_json_string(j, name);
    qr_report_json_feature_stats(j, f);
    qr_json_key(j, "outages_observed");
    qr_json_int(j, f->outages_observed);
    qr_report_causes_json(j, f);
    if (x) {
        qr_json_key(j, "exact_availability");
        if (x->have)
            qr_json_number(j, x->feature[k]);
        else
            qr_json_null(j);
    }
    json_target(j, o, s, all, k, feature);
    qr_json_end_object(j);
}

/* Several pools (M10): "pools", each pool's partner, own availability and
 * counters a year; the rows' users are in each feature's name. */
static void json_pools(qr_json *j, const qr_topology *t, const sim_pool_summary *pools)
{
    static const struct {
        const char *key;
        sim_px      k;
    } rows[] = {
        { "registrar_failovers", SIM_PX_REGISTRAR },
        { "pool_failovers", SIM_PX_FAILOVERS },
        { "cms_failovers", SIM_PX_CMS_FAILOVERS },
        { "failbacks", SIM_PX_FAILBACKS },
        { "data_loss_risk_events", SIM_PX_DATA_LOSS_RISK },
        { "resiliency_minutes_on_backup", SIM_PX_RESILIENCY },
    };
    qr_json_key(j, "pools");
    qr_json_begin_array(j);
    for (int i = 0; pools && i < t->n_pools; i++) {
        int q = t->pools[i].paired_with;
        qr_json_begin_object(j);
        qr_json_key(j, "name");
        qr_json_string(j, t->pools[i].name);
        qr_json_key(j, "paired_with");
        if (q >= 0)
            qr_json_string(j, t->pools[q].name);
        else
            qr_json_null(j);
        qr_json_key(j, "cms");
        qr_json_bool(j, t->pools[i].cms);
        qr_report_json_stat(j, "availability", pools[i].availability);
        qr_json_key(j, "per_year");
        qr_json_begin_object(j);
        for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
            qr_report_json_stat(j, rows[k].key, pools[i].per_year[rows[k].k]);
        qr_json_end_object(j);
        qr_json_key(j, "changes_at_risk_min_per_event");
        qr_json_number(j, pools[i].mean_at_risk_min);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
}

static char *render_json(const qr_topology *t, const simulate_options *o, const sim_summary *s,
                         bool converged, double wall, const exact_view *x,
                         const qr_assumption_list *assumed, const sim_pool_summary *pools)
{
    qr_json *j = qr_json_new();
    qr_report_json_begin(j, JSON_FORMAT_VERSION, "simulate");
    qr_report_json_topology(j, o->file, t);

    qr_json_key(j, "parameters");
    qr_json_begin_object(j);
    qr_json_key(j, "mode");
    qr_json_string(j, o->static_mode ? "static" : "full");
    qr_json_key(j, "years");
    qr_json_number(j, o->run.years);
    qr_json_key(j, "runs");
    qr_json_int(j, o->run.runs);
    qr_json_key(j, "seed");
    qr_json_uint(j, (unsigned long long)o->run.seed);
    qr_json_key(j, "precision");
    if (o->precision > 0)
        qr_json_number(j, o->precision);
    else
        qr_json_null(j);
    qr_json_key(j, "max_runs");
    if (o->precision > 0)
        qr_json_int(j, o->max_runs);
    else
        qr_json_null(j);
    /* --rare (sim/rare.h): its bias and replays, null without it */
    qr_json_key(j, "rare");
    qr_json_bool(j, o->rare);
    qr_json_key(j, "rare_bias");
    if (o->rare)
        qr_json_number(j, rare_bias(o));
    else
        qr_json_null(j);
    qr_json_key(j, "replays");
    if (o->rare)
        qr_json_int(j, rare_replays(o));
    else
        qr_json_null(j);
    qr_json_key(j, "target");
    if (o->target > 0)
        qr_json_number(j, o->target);
    else
        qr_json_null(j);
    qr_json_end_object(j);

    qr_json_key(j, "features");
    qr_json_begin_array(j);
    for (int k = 0; k < t->n_features; k++)
        json_feature(j, t->features[k].name, &s->f[k], o->static_mode ? x : NULL, k, o, s, x,
                     true);
    qr_json_end_array(j);
    qr_json_key(j, "pool");
    json_feature(j, "pool", &s->f[s->n - 1], o->static_mode ? x : NULL, t->n_features, o, s, x,
                 false);

    /* The counters of M8; null in the static view, which counts none. */
    const struct {
        const char *key;
        sim_stat    stat;
    } counters[] = {
        { "quorum_losses", s->quorum_losses_year },
        { "group_quorum_losses", s->group_quorum_losses_year },
        { "soft_resets", s->soft_resets_year },
        { "reset_attempts_failed", s->reset_attempts_failed_year },
        { "cluster_quorum_losses", s->cluster_quorum_losses_year },
        { "forced_quorums", s->forced_quorums_year },
        { "failovers", s->failovers_year },
        { "file_store_failovers", s->file_store_failovers_year },
        { "data_loss_risk_events", s->data_loss_risk_year },
        { "limited_functionality_hours", s->limited_hours_year },
        { "resiliency_mode_hours", s->resiliency_hours_year },
        { "patch_nights", s->patch_nights_year },
        { "patch_nights_skipped", s->patch_nights_skipped_year },
    };
    if (qr_topology_is_paired(t))
        json_pools(j, t, pools);
    qr_json_key(j, "per_year");
    qr_json_begin_object(j);
    for (size_t k = 0; k < sizeof(counters) / sizeof(counters[0]); k++) {
        if (o->static_mode) {
            qr_json_key(j, counters[k].key);
            qr_json_null(j);
        } else {
            qr_report_json_stat(j, counters[k].key, counters[k].stat);
        }
    }
    per_year_row extra[EXTRA_ROWS];
    extra_rows(s, extra);
    for (size_t k = 0; k < EXTRA_ROWS; k++) {
        if (!extra_row_applies(t, &extra[k]))
            continue;
        if (o->static_mode) {
            qr_json_key(j, extra[k].key);
            qr_json_null(j);
        } else {
            qr_report_json_stat(j, extra[k].key, *extra[k].stat);
        }
    }
    qr_json_end_object(j);

    qr_json_key(j, "run_statistics");
    qr_json_begin_object(j);
    qr_json_key(j, "runs");
    qr_json_int(j, s->runs);
    qr_json_key(j, "converged");
    qr_json_bool(j, converged);
    qr_json_key(j, "events_processed");
    qr_json_int(j, (long long)s->events);
    qr_json_key(j, "events_per_run");
    qr_json_number(j, (double)s->events / s->runs);
    qr_json_end_object(j);

    qr_report_assumptions_json(j, assumed);

    if (o->timing) {
        qr_report_json_timing_begin(j, wall, o->run.threads);
        qr_json_key(j, "events_per_second");
        qr_json_number(j, wall > 0 ? (double)s->events / wall : 0.0);
        qr_json_end_object(j);
    }
    qr_json_end_object(j);
    return qr_json_finish(j);
}

int cmd_simulate(int argc, char **argv)
{
    simulate_options o;
    qr_topology *t = NULL;
    qr_assumptions *assume = NULL;
    qr_assumption_list assumed;
    sim_summary summary;
    exact_view exact = { false, NULL };
    sim_downtime_log samples;
    sim_pool_summary *pools = NULL;
    bool converged = true;
    char err[512] = "";
    int ret = 2;

    memset(&summary, 0, sizeof(summary));
    memset(&assumed, 0, sizeof(assumed));
    sim_downtime_log_init(&samples, 0);
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    rc = qr_cli_load_design("simulate", o.file, o.assume, o.static_mode, &t, &assume, &assumed);
    if (rc != 0)
        return rc;

    sim_run_options ro;
    memset(&ro, 0, sizeof(ro));
    ro.years = o.run.years;
    ro.runs = o.run.runs;
    ro.seed = o.run.seed;
    ro.threads = o.run.threads;
    ro.static_mode = o.static_mode;
    ro.precision = o.precision;
    ro.max_runs = o.max_runs;
    ro.split = qr_mpi_split();
    ro.rare = o.rare;
    ro.rare_bias = o.rare_bias;
    ro.rare_replays = o.rare_replays;
    qr_cli_progress ps;
    qr_cli_progress_init(&ps, "simulating", "runs");
    if (isatty(STDERR_FILENO)) {
        ro.progress = progress;
        ro.progress_ctx = &ps;
    }
    if (o.html) {
        sim_downtime_log_init(&samples, t->n_features + 1);
        ro.on_reps = sim_downtime_log_collect;
        ro.on_reps_ctx = &samples;
    }
    if ((o.static_mode || o.target > 0) && exact_view_compute(t, &exact) != 0) {
        fputs("quorate simulate: out of memory\n", stderr);
        goto cleanup;
    }
    if (qr_topology_is_paired(t)) /* several pools (M10): each pool's summary too */
        rc = sim_pairing_simulate(t, &ro, &summary, &pools, &converged, err, sizeof(err));
    else
        rc = sim_run(t, &ro, &summary, &converged, err, sizeof(err));
    double wall = qr_cli_elapsed(&ps.start);
    qr_cli_progress_end(&ps);
    if (rc != 0) {
        fprintf(stderr, "quorate simulate: %s: %s\n", o.file, err);
        ret = 2;
        goto cleanup;
    }
    if (o.format == QR_CLI_FORMAT_CSV) {
        char *doc = qr_report_csv_simulate(t, &summary,
                                           o.static_mode && exact.have ? exact.feature : NULL);
        if (!doc) {
            fputs("quorate simulate: out of memory\n", stderr);
            ret = 2;
            goto cleanup;
        }
        fputs(doc, stdout);
        free(doc);
    } else if (o.format == QR_CLI_FORMAT_JSON) {
        char *doc = render_json(t, &o, &summary, converged, wall, &exact, &assumed, pools);
        if (!doc) {
            fputs("quorate simulate: out of memory\n", stderr);
            ret = 2;
            goto cleanup;
        }
        fputs(doc, stdout);
        fputc('\n', stdout);
        free(doc);
    } else {
        print_text(stdout, t, &o, &summary, converged, &exact, &assumed, pools);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "quorate simulate: cannot write the output: %s\n", strerror(errno));
        ret = 2;
        goto cleanup;
    }
    if (o.html) {
        if (samples.failed) {
            fputs("quorate simulate: out of memory\n", stderr);
            ret = 2;
            goto cleanup;
        }
        ret = html_page(t, &o, &summary, converged, &exact, &samples, &assumed);
        goto cleanup;
    }
    ret = 0;
cleanup:
    sim_summary_release(&summary);
    free(pools);
    sim_downtime_log_release(&samples);
    free(exact.feature);
    qr_assumption_list_release(&assumed);
    qr_assumptions_free(assume);
    qr_topology_free(t);
    return ret;
}
