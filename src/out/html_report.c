/*
 * html_report.c: the --html pages of compare and simulate (html_report.h).
 *
 * A page is: the head with the one stylesheet, a title and the run's
 * parameters, then sections in a fixed order. Charts come from
 * html_charts.c, drawings from html_topology.c, N-k tables from
 * html_nk.c; this file only arranges them and writes the tables of
 * numbers. Text from topologies (names, labels, files) is always escaped.
 */
#include "out/html_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out/html_causes.h"
#include "out/html_assumptions.h"
#include "out/html_nk.h"
#include "out/report_stats.h"
#include "out/html_topology.h"
#include "out/html_util.h"

#define HIST_BINS 20

static const char STYLE[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;max-width:1400px}\n"
    "h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccd;padding-bottom:4px;"
    "margin-top:32px}h3{font-size:15px}\n"
    "table{border-collapse:collapse;margin:8px 0;font-size:13px}td.spofs{font-size:12px;max-width:150px}th,td{border:1px solid #ccd;padding:3px 7px;"
    "vertical-align:top}th{background:#eef1f6;text-align:left}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td.ok{background:#eef8ee}td.warn{background:#fff6dc}td.bad{background:#fbe9e7}\n"
    "table.assumptions td{font-size:12px;max-width:420px}tr.mismatch td:first-child{"
    "background:#fff6dc}\n"
    "table.nk td{font-size:12px;max-width:260px}.cut{font-family:monospace}\n"
    ".note{color:#5a6270;font-size:12px}.params{color:#3a4250}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:12px}\n"
    "svg{max-width:100%;height:auto}svg text{font:11px sans-serif;fill:#1b1f24}\n"
    "svg .ctitle{font-weight:bold;font-size:12px}svg .label{font-size:12px}\n"
    "svg .note{fill:#5a6270}svg .grid{stroke:#e3e6ec}svg .axis{stroke:#444}\n"
    "svg .bar{fill:#4c78a8}svg .paper{fill:#fff;stroke:#4c78a8;stroke-width:2}\n"
    "svg .operation{fill:#e45756}svg .gap{stroke:#aaa;stroke-dasharray:3 2}svg .leader{stroke:#99a}\n"
    "svg text.point{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\n"
    "svg line.target{stroke:#2e7d32;stroke-width:1.5;stroke-dasharray:6 3}"
    "svg text.target{fill:#2e7d32}\n"
    "svg .site>rect{fill:#f6f8fb;stroke:#7a8699;stroke-width:1.5}\n"
    "svg .host>rect{fill:#eceff4;stroke:#9aa5b5}\n"
    "svg .comp>rect{stroke:#5b6778;fill:#fff}svg .comp.role>rect{fill:#e8eef7}\n"
    "svg .comp.voter>rect{fill:#fde9b5;stroke:#b8860b;stroke-width:2}\n"
    "svg .nofail>rect{stroke-dasharray:4 3}svg .cname{font-weight:bold}\n"
    "svg .link path{fill:none;stroke:#7a8699;stroke-width:2}\n"
    ".legend .key{display:inline-block;width:14px;height:10px;border:1px solid #5b6778;"
    "margin:0 4px 0 12px;vertical-align:middle}\n"
    ".key.voter{background:#fde9b5;border:2px solid #b8860b}.key.role{background:#e8eef7}\n"
    ".key.plain{background:#fff}.key.nofail{border-style:dashed}\n"
    "nav.toc{background:#f6f8fb;border:1px solid #ccd;padding:6px 14px;margin:12px 0;"
    "font-size:13px;max-width:900px}nav.toc ol{margin:4px 0;padding-left:20px}\n"
    "details{margin:6px 0}summary{cursor:pointer}summary h3{display:inline}\n"
    "td.meets{background:#eef8ee}td.misses{background:#fbe9e7}table.scorecard{font-size:12px}"
    "table.scorecard th,table.scorecard td{padding:3px 4px}\n";

static void head(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
          out);
    qr_html_escape(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", STYLE);
    qr_html_escape(out, title);
    fputs("</h1>\n", out);
}

void qr_html_page_head(FILE *out, const char *title)
{
    head(out, title);
}

static void tail(FILE *out)
{
    fputs("<p class=\"note\">Written by quorate. Paper: the exact M9 value; operation: the "
          "simulated mean with its 95% confidence interval.</p>\n</body>\n</html>\n",
          out);
}

/* A feature name, breakable after its underscores (<wbr>) so that
 * "persistent_changes" does not widen a narrow column. */
static void td_name(FILE *out, const char *s)
{
    for (const char *p = s; *p; p++) {
        char c[2] = { *p, '\0' };
        qr_html_escape(out, c);
        if (*p == '_' && p[1])
            fputs("<wbr>", out);
    }
}

static void td_text(FILE *out, const char *s)
{
    fputs("<td>", out);
    qr_html_escape(out, s);
    fputs("</td>", out);
}

static void td_pct(FILE *out, bool have, double v)
{
    if (have)
        fprintf(out, "<td class=\"num\">%.5f%%</td>", 100 * v);
    else
        fputs("<td class=\"num\">n/a</td>", out);
}

static void td_stat(FILE *out, sim_stat s, int prec, double scale, const char *unit)
{
    char buf[96];
    qr_report_stat_text(buf, sizeof(buf), s, scale, prec, unit);
    fprintf(out, "<td class=\"num\">%s</td>", buf);
}

/* The same with the interval on a second line (the scorecard, which has
 * many columns). */
static void td_stat_folded(FILE *out, sim_stat s, int prec, double scale, const char *unit)
{
    char buf[96];
    qr_report_stat_text(buf, sizeof(buf), s, scale, prec, unit);
    char *ci = strstr(buf, " [");
    if (ci)
        *ci = '\0';
    fprintf(out, "<td class=\"num\">%s", buf);
    if (ci)
        fprintf(out, "<br><span class=\"note\">%s</span>", ci + 1);
    fputs("</td>", out);
}

/* Histogram chart of column c of the samples, with the target's line when
 * target > 0; -1 when out of memory. */
static int downtime_chart(FILE *out, const sim_downtime_log *s, int c, const char *who,
                          const char *what, double target)
{
    qr_html_hist h;
    if (qr_html_histogram(s->min_year + c, s->n_runs, s->n_cols, HIST_BINS, &h) != 0)
        return -1;
    char title[300];
    snprintf(title, sizeof(title), "%s%s%s: downtime per replication", who ? who : "",
             who ? ", " : "", what);
    int within = target > 0 ? qr_html_count_within(s->min_year + c, s->n_runs, s->n_cols,
                                                   (1 - target) * QR_MINUTES_PER_YEAR)
                            : 0;
    qr_html_bar_chart_target(out, &h, title, "downtime, minutes a year (one replication)",
                             target, within);
    qr_html_hist_release(&h);
    return 0;
}

static bool have_samples(const sim_downtime_log *s)
{
    return s && s->n_runs > 0 && !s->failed;
}

static int nk_or_reason(FILE *out, const qr_topology *t, const qr_analysis *a,
                        const char *reason)
{
    if (a) {
        qr_html_nk_table(out, t, a);
        return 0;
    }
    fputs("<p class=\"note\">N-k analysis not available: ", out);
    qr_html_escape(out, reason ? reason : "unknown reason");
    fputs("</p>\n", out);
    return 0;
}

static int topology_or_reason(FILE *out, const qr_topology *t)
{
    char err[256];
    if (qr_html_topology(out, t, err, sizeof(err)) == 0)
        return 0;
    fputs("<p class=\"note\">Topology drawing not available: ", out);
    qr_html_escape(out, err);
    fputs("</p>\n", out);
    return 0;
}

/* A table of contents: n entries of (anchor, title), each followed by
 * the sub-entries sub[i] (n_sub[i] of them, anchors "<prefix>-1" ... with
 * the labels given) when there are any. */
typedef struct {
    const char         *id;
    const char         *title;
    const char *const  *labels;  /* per design, or NULL                   */
    int                 n_labels;
} toc_entry;

static void toc(FILE *out, const toc_entry *e, int n)
{
    fputs("<nav id=\"contents\" class=\"toc\"><b>Contents</b>\n<ol>\n", out);
    for (int i = 0; i < n; i++) {
        fprintf(out, "<li><a href=\"#%s\">", e[i].id);
        qr_html_escape(out, e[i].title);
        fputs("</a>", out);
        for (int k = 0; k < e[i].n_labels; k++) {
            fprintf(out, "%s<a href=\"#%s-%d\">", k ? ", " : ": ", e[i].id, k + 1);
            qr_html_escape(out, e[i].labels[k]);
            fputs("</a>", out);
        }
        fputs("</li>\n", out);
    }
    fputs("</ol>\n</nav>\n", out);
}

/* The target's verdict as a table cell (docs/compare.md, "A target"). */
static void td_target(FILE *out, int met, const char *feature, double short_min)
{
    if (met < 0)
        fputs("<td>n/a</td>", out);
    else if (met)
        fputs("<td class=\"meets\">meets</td>", out);
    else {
        fprintf(out, "<td class=\"misses\">misses<br><span class=\"note\">%.1f min/yr short",
                short_min);
        if (feature) {
            fputs(" (", out);
            td_name(out, feature);
            fputc(')', out);
        }
        fputs("</span></td>", out);
    }
}

/* ---- compare ---- */

/* The design's paired difference to the recommended one (compare.md). */
static void td_difference(FILE *out, const qr_scorecard *s, bool recommended)
{
    if (recommended) {
        fputs("<td>recommended</td>", out);
        return;
    }
    if (!s->have_diff) {
        fputs("<td class=\"num\">n/a</td>", out);
        return;
    }
    bool tie = qr_paired_contains_zero(&s->diff);
    fprintf(out, "<td class=\"num\">%+.2f<br><span class=\"note\">[%+.2f, %+.2f]</span><br>%s</td>",
            s->diff.mean, s->diff.low, s->diff.high,
            tie ? "not distinguishable" : s->diff.mean > 0 ? "more downtime" : "less downtime");
}

static void scorecard_row(FILE *out, const qr_scorecard *s, bool recommended, double target)
{
    fputs("<tr>", out);
    if (s->rank > 0)
        fprintf(out, "<td class=\"num\">%d%s</td>", s->rank, s->tied ? "=" : "");
    else
        fputs("<td class=\"num\">-</td>", out);
    fputs("<td><b>", out);
    qr_html_escape(out, s->label);
    fputs("</b></td>", out);
    td_text(out, s->notation);
    fprintf(out, "<td class=\"num\">%d</td><td class=\"num\">%.2f</td>", s->cost.full_servers,
            s->cost.total);
    fputs("<td>", out);
    td_name(out, s->worst >= 0 ? s->feature_names[s->worst] : "-");
    fputs("</td>", out);
    bool paper = s->have_paper && s->worst >= 0;
    td_pct(out, paper, paper ? s->paper[s->worst] : 0);
    if (s->have_operation && s->worst >= 0) {
        const sim_feature_summary *f = &s->operation.f[s->worst];
        td_stat_folded(out, f->availability, 5, 100, "%");
        if (paper)
            fprintf(out, "<td class=\"num\">%.1f</td>",
                    f->downtime_min_year.mean - qr_scorecard_downtime(s->paper[s->worst]));
        else
            fputs("<td class=\"num\">n/a</td>", out);
        td_stat_folded(out, f->downtime_min_year, 1, 1, "");
        td_difference(out, s, recommended);
        td_stat_folded(out, f->outages_year, 2, 1, "");
        fprintf(out, "<td class=\"num\">%.2f</td>", s->operation.soft_resets_year.mean);
    } else {
        fputs("<td class=\"num\">n/a</td><td class=\"num\">n/a</td><td class=\"num\">n/a</td>"
              "<td class=\"num\">n/a</td><td class=\"num\">n/a</td><td class=\"num\">n/a</td>",
              out);
    }
    if (target > 0) {
        int f;
        double short_min;
        int met = qr_scorecard_target(s, target, &f, &short_min);
        td_target(out, met, f >= 0 ? s->feature_names[f] : "", short_min);
    }
    fprintf(out, "<td class=\"spofs\"><b>%d</b>", s->n_spofs);
    for (int j = 0; j < s->n_spofs; j++) {
        fputs(j ? ", " : ": ", out);
        qr_html_escape(out, s->spof_names[j]);
        if (!s->spof_fails[j])
            fputs(" (never fails)", out);
    }
    fputs("</td></tr>\n", out);
}

static void scorecard_table(FILE *out, const qr_html_compare_page *p)
{
    fputs("<section id=\"scorecard\">\n<h2>Scorecard</h2>\n<table class=\"scorecard\">\n"
          "<thead><tr><th>rank</th><th>design</th><th>notation</th><th>servers</th>"
          "<th>cost/yr</th><th>worst feature</th><th>paper</th>"
          "<th>operation (95% CI)</th><th>gap min/yr</th><th>downtime min/yr</th>"
          "<th>vs recommended min/yr (paired 95% CI)</th><th>outages/yr</th><th>soft resets/yr</th>",
          out);
    if (p->target > 0)
        fprintf(out, "<th>target %.10g%%</th>", 100 * p->target);
    fputs("<th>SPOFs (any loss)</th></tr></thead>\n<tbody>\n", out);
    for (int k = 0; k < p->n; k++)
        scorecard_row(out, p->designs[p->order[k]].card, k == 0, p->target);
    fputs("</tbody></table>\n", out);
    fputs("<p class=\"note\">Gap: operation downtime minus paper downtime of the worst feature, "
          "minutes a year. Vs recommended: the worst feature's downtime minus the recommended "
          "design's, minutes a year, with the 95% confidence interval of the per-replication "
          "differences (replication i of every design runs on the same random streams); "
          "\"not distinguishable\" when it contains 0. A rank followed by = is shared by "
          "designs that tie. SPOFs (any loss): components whose loss alone, every other one up, "
          "lowers some feature or the pool for some or all of its users in the M9 structure, "
          "and common-cause events (ccf:GROUP) that do so alone; "
          "the N-k tables' SPOFs (total loss) are only those that take a feature down for every "
          "user (docs/compare.md, Single points of failure).</p>\n",
          out);
    if (p->target > 0)
        fprintf(out, "<p class=\"note\">Target %.10g%% on every feature (at most %.1f min/yr "
                     "down): a design meets it when every feature's 95%% CI lower bound reaches "
                     "it (the lower of that bound and the exact value when fewer than %d outages "
                     "were observed), as quorate plan judges; else the feature furthest from it "
                     "and by how much.</p>\n",
                100 * p->target, (1 - p->target) * QR_MINUTES_PER_YEAR, SIM_FEW_OUTAGES);
    bool any = false;
    for (int k = 0; k < p->n; k++) {
        const qr_scorecard *s = p->designs[p->order[k]].card;
        if (s->have_paper && s->have_operation)
            continue;
        if (!any)
            fputs("<ul class=\"note\">\n", out);
        any = true;
        const char *why[2] = { s->have_paper ? NULL : s->paper_reason,
                               s->have_operation ? NULL : s->operation_reason };
        for (int w = 0; w < 2; w++) {
            if (!why[w])
                continue;
            fputs("<li>", out);
            qr_html_escape(out, s->label);
            fputs(w == 0 ? ": paper values not available: " : ": operation values not available: ",
                  out);
            qr_html_escape(out, why[w]);
            fputs("</li>\n", out);
        }
    }
    if (any)
        fputs("</ul>\n", out);
    fputs("</section>\n", out);
}

static int compare_charts(FILE *out, const qr_html_compare_page *p)
{
    qr_html_point *pts = calloc((size_t)p->n + 1, sizeof(*pts));
    if (!pts)
        return -1;
    for (int k = 0; k < p->n; k++) {
        const qr_scorecard *s = p->designs[p->order[k]].card;
        qr_html_point *q = &pts[k];
        q->label = s->label;
        q->servers = s->cost.full_servers;
        q->have_paper = s->have_paper && s->worst >= 0;
        q->paper = q->have_paper ? qr_scorecard_downtime(s->paper[s->worst]) : 0;
        q->have_operation = s->have_operation && s->worst >= 0;
        q->operation =
            q->have_operation ? s->operation.f[s->worst].downtime_min_year.mean : 0;
    }
    fputs("<section id=\"charts\">\n<h2>Availability against servers</h2>\n", out);
    qr_html_scatter_target(out, pts, p->n, "worst feature's downtime against full servers",
                           p->target);
    free(pts);
    fputs("<p class=\"note\">Each design at its number of full Windows servers: the hollow "
          "marker is its worst feature's downtime on paper, the filled one in operation, the "
          "dashed line between them the gap.",
          out);
    if (p->target > 0)
        fprintf(out, " The green line is the target, %.10g%% (%.1f min/yr): a filled marker "
                     "below it meets it on average.",
                100 * p->target, (1 - p->target) * QR_MINUTES_PER_YEAR);
    fputs("</p>\n"
          "<h2 id=\"downtime\">Downtime distribution</h2>\n"
          "<p class=\"note\">Downtime of each replication, in minutes a year, of each design's "
          "worst feature and of the pool.</p>\n",
          out);
    for (int k = 0; k < p->n; k++) {
        const qr_html_design *d = &p->designs[p->order[k]];
        const qr_scorecard *s = d->card;
        fprintf(out, "<h3 id=\"downtime-%d\">", k + 1);
        qr_html_escape(out, s->label);
        fputs("</h3>\n", out);
        if (!s->have_operation || !have_samples(d->samples) || s->worst < 0) {
            fputs("<p class=\"note\">not simulated</p>\n", out);
            continue;
        }
        fputs("<div class=\"charts\">\n", out);
        if (downtime_chart(out, d->samples, s->worst, s->label, s->feature_names[s->worst],
                           p->target) != 0)
            return -1;
        if (s->worst != s->n_features &&
            downtime_chart(out, d->samples, s->n_features, s->label, "pool", p->target) != 0)
            return -1;
        fputs("</div>\n", out);
    }
    fputs("</section>\n", out);
    return 0;
}

static const char CAUSES_NOTE[] =
    "<p class=\"note\">Every minute of downtime is attributed to the first need of the "
    "feature that is not met, in the order pool, Back End, file store, routing groups, "
    "refined by that part's state; and to the kind of event that started the outage (or last "
    "deepened it). Each row's causes, and its starts, sum to its downtime "
    "(docs/simulate.md, Downtime by cause).</p>\n";

/* Downtime by cause of each simulated design's worst feature and pool. */
static int compare_causes(FILE *out, const qr_html_compare_page *p)
{
    char **names = calloc((size_t)p->n * 2 + 1, sizeof(*names));
    const sim_feature_summary **rows = calloc((size_t)p->n * 2 + 1, sizeof(*rows));
    int m = 0, rc = -1;
    if (!names || !rows)
        goto cleanup;
    for (int k = 0; k < p->n; k++) {
        const qr_scorecard *s = p->designs[p->order[k]].card;
        if (!s->have_operation || s->worst < 0)
            continue;
        int which[2] = { s->worst, s->n_features };
        for (int w = 0; w < (s->worst == s->n_features ? 1 : 2); w++) {
            size_t len = strlen(s->label) + strlen(s->feature_names[which[w]]) + 3;
            if (!(names[m] = malloc(len)))
                goto cleanup;
            snprintf(names[m], len, "%s: %s", s->label, s->feature_names[which[w]]);
            rows[m++] = &s->operation.f[which[w]];
        }
    }
    fputs("<section id=\"causes\">\n<h2>Downtime by cause</h2>\n", out);
    fputs(CAUSES_NOTE, out);
    if (m > 0)
        qr_html_causes(out, (const char *const *)names, rows, m);
    else
        fputs("<p class=\"note\">no design simulated in operation</p>\n", out);
    fputs("</section>\n", out);
    rc = 0;
cleanup:
    for (int k = 0; names && k < m; k++)
        free(names[k]);
    free(names);
    free(rows);
    return rc;
}

int qr_html_compare(FILE *out, const qr_html_compare_page *p)
{
    char title[64];
    snprintf(title, sizeof(title), "quorate compare: %d design%s", p->n, p->n == 1 ? "" : "s");
    head(out, title);
    fprintf(out,
            "<p class=\"params\">Full simulation of %d runs x %g years each, seed %llu; ranked "
            "by %s: ",
            p->runs, p->years, (unsigned long long)p->seed, qr_rank_by_name(p->rank_by));
    qr_html_escape(out, qr_rank_by_definition(p->rank_by));
    char pricing[256];
    fputs(". Cost per year ", out);
    qr_html_escape(out, qr_cost_rules_describe(&p->costs, "--server-cost", pricing,
                                               sizeof(pricing)));
    fputs(".</p>\n", out);
    const char **labels = calloc((size_t)p->n + 1, sizeof(*labels));
    if (!labels)
        return -1;
    for (int k = 0; k < p->n; k++)
        labels[k] = p->designs[p->order[k]].card->label;
    const toc_entry contents[] = {
        { "scorecard", "Scorecard", NULL, 0 },
        { "recommendation", "Recommendation", NULL, 0 },
        { "causes", "Downtime by cause", NULL, 0 },
        { "charts", "Availability against servers", NULL, 0 },
        { "downtime", "Downtime distribution", labels, p->n },
        { "topology", "Topologies", labels, p->n },
        { "nk", "N-k survival", labels, p->n },
        { "assumptions", "Assumptions", NULL, 0 },
    };
    toc(out, contents, p->assumptions ? 8 : 7);
    free(labels);
    scorecard_table(out, p);
    fputs("<section id=\"recommendation\">\n<h2>Recommendation</h2>\n<p>", out);
    qr_html_escape(out, p->recommendation);
    fputs("</p>\n</section>\n", out);
    if (compare_causes(out, p) != 0)
        return -1;
    if (compare_charts(out, p) != 0)
        return -1;
    /* Per design, folded but for the recommended one: the page stays short
     * (no script: <details> opens on a click). */
    fputs("<section id=\"topology\">\n<h2>Topologies</h2>\n<p class=\"note\">One per design, "
          "in rank order; click a name to open or fold it.</p>\n",
          out);
    for (int k = 0; k < p->n; k++) {
        const qr_html_design *d = &p->designs[p->order[k]];
        fprintf(out, "<details id=\"topology-%d\"%s><summary><h3>", k + 1, k == 0 ? " open" : "");
        qr_html_escape(out, d->card->label);
        fputs(": ", out);
        qr_html_escape(out, d->card->name);
        fprintf(out, " (%s)</h3></summary>\n", d->card->notation);
        topology_or_reason(out, d->topology);
        fputs("</details>\n", out);
    }
    fputs("</section>\n<section id=\"nk\">\n<h2>N-k survival</h2>\n<p class=\"note\">One per "
          "design, in rank order; click a name to open or fold it.</p>\n",
          out);
    for (int k = 0; k < p->n; k++) {
        const qr_html_design *d = &p->designs[p->order[k]];
        fprintf(out, "<details id=\"nk-%d\"%s><summary><h3>", k + 1, k == 0 ? " open" : "");
        qr_html_escape(out, d->card->label);
        fputs("</h3></summary>\n", out);
        nk_or_reason(out, d->topology, d->analysis, d->analysis_error);
        fputs("</details>\n", out);
    }
    fputs("</section>\n", out);
    if (p->assumptions) {
        const char **names = calloc((size_t)p->n + 1, sizeof(*names));
        if (!names)
            return -1;
        for (int k = 0; k < p->n; k++)
            names[k] = p->designs[k].card->label;
        qr_html_assumptions(out, p->assumptions, names, p->n, p->order);
        free(names);
    }
    tail(out);
    return 0;
}

/* ---- simulate ---- */

static void feature_row(FILE *out, const qr_html_simulate_page *p, const char *name, int k)
{
    const sim_feature_summary *f = &p->summary->f[k];
    fputs("<tr>", out);
    td_text(out, name);
    td_stat(out, f->availability, 5, 100, "%");
    td_stat(out, f->downtime_min_year, 1, 1, "");
    td_stat(out, f->outages_year, 3, 1, "");
    fprintf(out, "<td class=\"num\">%.1f</td><td class=\"num\">%.1f</td>", f->mean_outage_min,
            f->longest_outage_min);
    if (p->target > 0 && p->target_bound) {
        if (k < p->topology->n_features) {
            double b = p->target_bound[k];
            td_target(out, b >= p->target, NULL, (p->target - b) * QR_MINUTES_PER_YEAR);
        } else {
            fputs("<td></td>", out);
        }
    }
    if (p->static_mode) {
        if (p->exact) {
            double e = p->exact[k];
            fprintf(out, "<td class=\"num\">%.5f%% (%s)</td>", 100 * e,
                    e >= f->availability.low && e <= f->availability.high ? "in CI"
                                                                          : "outside CI");
        } else {
            fputs("<td class=\"num\">n/a</td>", out);
        }
    }
    fputs("</tr>\n", out);
}

/* Downtime by cause of every feature and the pool. */
static int simulate_causes(FILE *out, const qr_topology *t, const sim_summary *s)
{
    const char **names = calloc((size_t)s->n, sizeof(*names));
    const sim_feature_summary **rows = calloc((size_t)s->n, sizeof(*rows));
    if (!names || !rows) {
        free(names);
        free(rows);
        return -1;
    }
    for (int k = 0; k < s->n; k++) {
        names[k] = k < t->n_features ? t->features[k].name : "pool";
        rows[k] = &s->f[k];
    }
    fputs("<section id=\"causes\">\n<h2>Downtime by cause</h2>\n", out);
    fputs(CAUSES_NOTE, out);
    qr_html_causes(out, names, rows, s->n);
    fputs("</section>\n", out);
    free(names);
    free(rows);
    return 0;
}

int qr_html_simulate(FILE *out, const qr_html_simulate_page *p)
{
    const qr_topology *t = p->topology;
    const sim_summary *s = p->summary;
    char title[400], notation[16];
    snprintf(title, sizeof(title), "quorate simulate: %s (%s)", t->name ? t->name : p->file,
             qr_topology_notation(t, notation, sizeof(notation)));
    head(out, title);
    fputs("<p class=\"params\">", out);
    qr_html_escape(out, p->file);
    fprintf(out, ": %s simulation of %d runs x %g years, seed %llu",
            p->static_mode ? "static (M9)" : "full", s->runs, p->years,
            (unsigned long long)p->seed);
    if (p->precision > 0)
        fprintf(out, ", precision %g %s", p->precision,
                p->converged ? "reached" : "NOT reached (--max-runs)");
    fputs(".</p>\n", out);
    const toc_entry contents[] = {
        { "features", "Features", NULL, 0 },
        { "causes", "Downtime by cause", NULL, 0 },
        { "downtime", "Downtime distribution", NULL, 0 },
        { "topology", "Topology", NULL, 0 },
        { "nk", "N-k survival", NULL, 0 },
        { "assumptions", "Assumptions", NULL, 0 },
    };
    toc(out, contents, p->assumptions ? 6 : 5);
    fputs("<section id=\"features\">\n<h2>Features</h2>\n<table class=\"features\">\n"
          "<thead><tr><th>feature</th><th>availability (95% CI)</th><th>downtime min/yr</th>"
          "<th>outages/yr</th><th>mean outage min</th><th>longest min</th>",
          out);
    if (p->target > 0 && p->target_bound)
        fprintf(out, "<th>target %.10g%%</th>", 100 * p->target);
    if (p->static_mode)
        fputs("<th>exact (M9)</th>", out);
    fputs("</tr></thead>\n<tbody>\n", out);
    for (int k = 0; k < t->n_features; k++)
        feature_row(out, p, t->features[k].name, k);
    feature_row(out, p, "pool", t->n_features);
    fputs("</tbody></table>\n", out);
    bool few = false;
    for (int k = 0; k < s->n; k++)
        few |= s->f[k].outages_observed < SIM_FEW_OUTAGES;
    if (few)
        fprintf(out, "<p class=\"note\">Fewer than %d outages were observed in all runs for "
                     "some rows: their confidence intervals are approximate (add --runs or "
                     "--years).</p>\n",
                SIM_FEW_OUTAGES);
    if (p->static_mode && !p->exact)
        fputs("<p class=\"note\">Exact values not shown: too many components to "
              "enumerate.</p>\n",
              out);
    if (p->target > 0 && p->target_bound)
        fprintf(out, "<p class=\"note\">Target %.10g%% for every feature (at most %.1f min/yr "
                     "down): met when the feature's 95%% CI lower bound reaches it (the lower "
                     "of that bound and the exact value when fewer than %d outages were "
                     "observed), as quorate plan judges.</p>\n",
                100 * p->target, (1 - p->target) * QR_MINUTES_PER_YEAR, SIM_FEW_OUTAGES);
    if (p->static_mode) /* M9: no module runs, so every counter is 0 */
        fputs("<p class=\"note\">Per year: none counted in the static view (M9), which has no "
              "quorum, failover, operator or patching behaviour (only components up or down); "
              "each row's outages/yr is in the table.</p>\n</section>\n",
              out);
    else
        fprintf(out, "<p class=\"note\">Per year: %.4f pool quorum losses, %.4f soft resets, "
                     "%.4f SQL failovers, %.4f patch nights.</p>\n</section>\n",
                s->quorum_losses_year.mean, s->soft_resets_year.mean, s->failovers_year.mean,
                s->patch_nights_year.mean);
    if (simulate_causes(out, t, s) != 0)
        return -1;

    fputs("<section id=\"charts\">\n<h2 id=\"downtime\">Downtime distribution</h2>\n"
          "<p class=\"note\">Downtime of each replication, in minutes a year, of every feature "
          "and of the pool.</p>\n",
          out);
    if (have_samples(p->samples)) {
        fputs("<div class=\"charts\">\n", out);
        for (int k = 0; k <= t->n_features && k < p->samples->n_cols; k++)
            if (downtime_chart(out, p->samples, k, NULL,
                               k < t->n_features ? t->features[k].name : "pool", p->target) != 0)
                return -1;
        fputs("</div>\n", out);
    } else {
        fputs("<p class=\"note\">per-replication values not available</p>\n", out);
    }
    fputs("</section>\n<section id=\"topology\">\n<h2>Topology</h2>\n", out);
    topology_or_reason(out, t);
    fputs("</section>\n<section id=\"nk\">\n<h2>N-k survival</h2>\n", out);
    nk_or_reason(out, t, p->analysis, p->analysis_error);
    fputs("</section>\n", out);
    if (p->assumptions) {
        const char *label = p->file;
        qr_html_assumptions(out, p->assumptions, &label, 1, NULL);
    }
    tail(out);
    return 0;
}
