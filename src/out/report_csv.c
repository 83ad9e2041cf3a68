/*
 * report_csv.c: the CSV tables of simulate and compare (report_csv.h). The
 * column lists here are the documented, stable interface: add columns at
 * the end, never rename or reorder them.
 */
#include "out/report_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/csv_out.h"

/* The header fields of a mean with its interval. */
static void stat_header(qr_csv *c, const char *name)
{
    char buf[96];
    qr_csv_string(c, name);
    snprintf(buf, sizeof(buf), "%s_ci_low", name);
    qr_csv_string(c, buf);
    snprintf(buf, sizeof(buf), "%s_ci_high", name);
    qr_csv_string(c, buf);
}

/* The three fields of s, or three empty ones when !have. */
static void stat_fields(qr_csv *c, bool have, sim_stat s)
{
    if (!have) {
        qr_csv_empty(c);
        qr_csv_empty(c);
        qr_csv_empty(c);
        return;
    }
    qr_csv_number(c, s.mean);
    qr_csv_number(c, s.low);
    qr_csv_number(c, s.high);
}

static void number_or_empty(qr_csv *c, bool have, double v)
{
    if (have)
        qr_csv_number(c, v);
    else
        qr_csv_empty(c);
}

static void headers(qr_csv *c, const char *const *names, size_t n)
{
    for (size_t k = 0; k < n; k++)
        qr_csv_string(c, names[k]);
}

/* ---- simulate ---- */

static void simulate_row(qr_csv *c, const char *name, const sim_feature_summary *f,
                         const double *exact, int k)
{
    qr_csv_string(c, name);
    stat_fields(c, true, f->availability);
    stat_fields(c, true, f->downtime_min_year);
    stat_fields(c, true, f->outages_year);
    qr_csv_number(c, f->mean_outage_min);
    qr_csv_number(c, f->longest_outage_min);
    qr_csv_int(c, f->outages_observed);
    number_or_empty(c, exact != NULL, exact ? exact[k] : 0);
    qr_csv_end_row(c);
}

char *qr_report_csv_simulate(const qr_topology *t, const sim_summary *s, const double *exact)
{
    qr_csv *c = qr_csv_new();
    qr_csv_string(c, "feature");
    stat_header(c, "availability");
    stat_header(c, "downtime_min_per_year");
    stat_header(c, "outages_per_year");
    static const char *const tail[] = { "mean_outage_min", "longest_outage_min",
                                        "outages_observed", "exact_availability" };
    headers(c, tail, sizeof(tail) / sizeof(tail[0]));
    qr_csv_end_row(c);
    for (int k = 0; k < t->n_features; k++)
        simulate_row(c, t->features[k].name, &s->f[k], exact, k);
    simulate_row(c, "pool", &s->f[s->n - 1], exact, t->n_features);
    return qr_csv_finish(c);
}

/* ---- compare ---- */

/* "name, name (never fails in this model), ..." as the text shows them;
 * malloc'd, NULL when out of memory. */
static char *spof_list(const qr_scorecard *s)
{
    static const char never[] = " (never fails in this model)";
    size_t len = 1;
    for (int k = 0; k < s->n_spofs; k++)
        len += strlen(s->spof_names[k]) + sizeof(never) + 2;
    char *buf = malloc(len);
    if (!buf)
        return NULL;
    buf[0] = '\0';
    for (int k = 0; k < s->n_spofs; k++) {
        if (k > 0)
            strcat(buf, ", ");
        strcat(buf, s->spof_names[k]);
        if (!s->spof_fails[k])
            strcat(buf, never);
    }
    return buf;
}

static double paper_downtime(const qr_scorecard *s, int k)
{
    return qr_scorecard_downtime(s->paper[k]);
}

char *qr_report_csv_scorecard(const qr_scorecard *cards, int n, const int *order)
{
    qr_csv *c = qr_csv_new();
    static const char *const head[] = { "rank",          "design",      "name",
                                        "file",          "notation",    "full_servers",
                                        "witness_parts", "cost_per_year", "cost_unit",
                                        "spof_count",    "spofs",       "worst_feature",
                                        "paper_availability", "paper_downtime_min_per_year" };
    headers(c, head, sizeof(head) / sizeof(head[0]));
    stat_header(c, "availability");
    stat_header(c, "downtime_min_per_year");
    stat_header(c, "outages_per_year");
    qr_csv_string(c, "gap_min_per_year");
    stat_header(c, "soft_resets_per_year");
    qr_csv_string(c, "mean_downtime_min_per_year");
    qr_csv_string(c, "value");
    /* The ties and the paired differences to the recommended design
     * (docs/compare.md, "Paired differences and ties"), added last. */
    qr_csv_string(c, "tied");
    stat_header(c, "difference_min_per_year");
    qr_csv_string(c, "difference_independent_half_width");
    qr_csv_string(c, "distinguishable");
    qr_csv_end_row(c);
    for (int j = 0; j < n; j++) {
        const qr_scorecard *s = &cards[order[j]];
        int w = s->worst;
        bool paper = s->have_paper && w >= 0, op = s->have_operation && w >= 0;
        if (s->rank > 0)
            qr_csv_int(c, s->rank);
        else
            qr_csv_empty(c);
        qr_csv_string(c, s->label);
        qr_csv_string(c, s->name);
        qr_csv_string(c, s->file);
        qr_csv_string(c, s->notation);
        qr_csv_int(c, s->cost.full_servers);
        qr_csv_int(c, s->cost.witness_parts);
        qr_csv_number(c, s->cost.total);
        qr_csv_string(c, qr_cost_unit_name(s->cost.unit));
        qr_csv_int(c, s->n_spofs);
        char *spofs = spof_list(s);
        if (!spofs) {
            qr_csv_free(c);
            return NULL;
        }
        qr_csv_string(c, spofs);
        free(spofs);
        qr_csv_string(c, w >= 0 ? s->feature_names[w] : NULL);
        number_or_empty(c, paper, paper ? s->paper[w] : 0);
        number_or_empty(c, paper, paper ? paper_downtime(s, w) : 0);
        const sim_feature_summary *f = op ? &s->operation.f[w] : NULL;
        sim_stat none = { 0, 0, 0, 0 };
        stat_fields(c, op, f ? f->availability : none);
        stat_fields(c, op, f ? f->downtime_min_year : none);
        stat_fields(c, op, f ? f->outages_year : none);
        number_or_empty(c, op && paper,
                        op && paper ? f->downtime_min_year.mean - paper_downtime(s, w) : 0);
        stat_fields(c, s->have_operation, s->operation.soft_resets_year);
        number_or_empty(c, s->have_operation, qr_scorecard_mean_downtime(s));
        number_or_empty(c, s->have_operation, qr_scorecard_value(s));
        qr_csv_string(c, s->rank > 0 ? (s->tied ? "true" : "false") : NULL);
        sim_stat diff = { .mean = s->diff.mean, .half_width = s->diff.half_width,
                          .low = s->diff.low, .high = s->diff.high };
        stat_fields(c, s->have_diff, diff);
        number_or_empty(c, s->have_diff, s->diff.independent_half_width);
        qr_csv_string(c, s->have_diff ? (qr_paired_contains_zero(&s->diff) ? "false" : "true")
                                      : NULL);
        qr_csv_end_row(c);
    }
    return qr_csv_finish(c);
}

char *qr_report_csv_features(const qr_scorecard *cards, int n, const int *order)
{
    qr_csv *c = qr_csv_new();
    static const char *const head[] = { "design", "feature", "paper_availability",
                                        "paper_downtime_min_per_year" };
    headers(c, head, sizeof(head) / sizeof(head[0]));
    stat_header(c, "availability");
    stat_header(c, "downtime_min_per_year");
    stat_header(c, "outages_per_year");
    static const char *const tail[] = { "gap_min_per_year", "mean_outage_min",
                                        "longest_outage_min" };
    headers(c, tail, sizeof(tail) / sizeof(tail[0]));
    qr_csv_end_row(c);
    for (int j = 0; j < n; j++) {
        const qr_scorecard *s = &cards[order[j]];
        for (int k = 0; k <= s->n_features; k++) {
            bool paper = s->have_paper, op = s->have_operation;
            const sim_feature_summary *f = op ? &s->operation.f[k] : NULL;
            sim_stat none = { 0, 0, 0, 0 };
            qr_csv_string(c, s->label);
            qr_csv_string(c, s->feature_names[k]);
            number_or_empty(c, paper, paper ? s->paper[k] : 0);
            number_or_empty(c, paper, paper ? paper_downtime(s, k) : 0);
            stat_fields(c, op, f ? f->availability : none);
            stat_fields(c, op, f ? f->downtime_min_year : none);
            stat_fields(c, op, f ? f->outages_year : none);
            number_or_empty(c, op && paper,
                            op && paper ? f->downtime_min_year.mean - paper_downtime(s, k) : 0);
            number_or_empty(c, op, f ? f->mean_outage_min : 0);
            number_or_empty(c, op, f ? f->longest_outage_min : 0);
            qr_csv_end_row(c);
        }
    }
    return qr_csv_finish(c);
}
