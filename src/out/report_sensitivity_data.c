/*
 * report_sensitivity_data.c: the machine-readable reports of `quorate
 * sensitivity` (report_sensitivity.h): one JSON document (json_out.h) with
 * every number of the analysis, and the CSV tables (csv_out.h) for a
 * spreadsheet. docs/sensitivity.md lists every field. Durations are in
 * seconds, downtime in minutes a year, availability and probabilities as
 * fractions.
 */
#include "out/report_sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/report_assumptions.h"
#include "out/report_json_doc.h"
#include "util/csv_out.h"
#include "util/json_out.h"

/* Format of the JSON document (bumped when a field changes meaning or goes). */
#define JSON_FORMAT_VERSION 1

int qr_sens_table_parse(const char *s, qr_sens_table *out)
{
    static const char *const names[] = { "percentiles", "best", "tornado", "sets" };
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (qr_sens_table)i;
            return 0;
        }
    return -1;
}

/* ---- JSON ---- */

static void number_or_null(qr_json *j, const char *key, double v)
{
    qr_json_key(j, key);
    if (isfinite(v))
        qr_json_number(j, v);
    else
        qr_json_null(j);
}

static void pct(qr_json *j, const char *key, const qr_sens_pct *p)
{
    qr_json_key(j, key);
    qr_json_begin_object(j);
    number_or_null(j, "p5", p->p5);
    number_or_null(j, "p50", p->p50);
    number_or_null(j, "p95", p->p95);
    qr_json_end_object(j);
}

static void json_parameters(qr_json *j, const qr_sens_result *r)
{
    char text[96];
    qr_json_key(j, "uncertain");
    qr_json_begin_array(j);
    for (int k = 0; k < r->n_params; k++) {
        const qr_uncertain *u = &r->params[k];
        qr_json_begin_object(j);
        qr_json_key(j, "parameter");
        qr_json_string(j, u->key);
        qr_json_key(j, "item");
        if (u->item >= 0) {
            qr_json_string(j, qr_assumption_item_at(u->item)->key);
        } else { /* a group's factor or a fault's duration: the entry */
            char entry[sizeof(u->key)];
            snprintf(entry, sizeof(entry), "%s", u->key);
            char *dot = strrchr(entry, '.');
            if (dot)
                *dot = '\0';
            qr_json_string(j, entry);
        }
        qr_json_key(j, "unit");
        qr_json_string(j, qr_uncertain_unit(u));
        qr_json_key(j, "line");
        qr_json_int(j, u->loc.line);
        qr_json_key(j, "distribution");
        qr_json_string(j, qr_uncertain_form_name(u->form));
        qr_json_key(j, "text");
        qr_json_string(j, qr_uncertain_text(u, text, sizeof(text)));
        bool lu = u->form == QR_UNC_LOG_UNIFORM;
        number_or_null(j, "low_seconds", lu ? u->low : NAN);
        number_or_null(j, "high_seconds", lu ? u->high : NAN);
        number_or_null(j, "median_seconds", lu ? NAN : u->median);
        number_or_null(j, "error_factor", lu ? NAN : u->error_factor);
        number_or_null(j, "point_seconds", qr_uncertain_point(u));
        number_or_null(j, "p5_seconds", qr_uncertain_quantile(u, QR_SENS_LOW_Q));
        number_or_null(j, "p95_seconds", qr_uncertain_quantile(u, QR_SENS_HIGH_Q));
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
}

static void json_feature(qr_json *j, const qr_sens_design *d, int c)
{
    qr_json_begin_object(j);
    qr_json_key(j, "name");
    qr_json_string(j, d->feature_names[c]);
    qr_json_key(j, "point_downtime_min_per_year");
    qr_json_number(j, d->point[c]);
    qr_json_key(j, "point_half_width");
    qr_json_number(j, d->point_half_width[c]);
    pct(j, "downtime_min_per_year", &d->downtime_pct[c]);
    pct(j, "availability", &d->availability_pct[c]);
    qr_json_key(j, "noise_half_width");
    qr_json_number(j, d->noise[c]);
    qr_json_end_object(j);
}

static void json_tornado(qr_json *j, const qr_sens_result *r, const qr_sens_design *d)
{
    qr_json_key(j, "tornado");
    qr_json_begin_array(j);
    for (int k = 0; k < r->n_params; k++) {
        const qr_sens_bar *b = &d->bars[k];
        qr_json_begin_object(j);
        qr_json_key(j, "parameter");
        qr_json_string(j, r->params[b->param].key);
        qr_json_key(j, "unit");
        qr_json_string(j, qr_uncertain_unit(&r->params[b->param]));
        qr_json_key(j, "low_seconds");
        qr_json_number(j, b->low_value);
        qr_json_key(j, "high_seconds");
        qr_json_number(j, b->high_value);
        qr_json_key(j, "downtime_at_low");
        qr_json_number(j, b->at_low);
        qr_json_key(j, "downtime_at_high");
        qr_json_number(j, b->at_high);
        qr_json_key(j, "swing");
        qr_json_number(j, b->swing);
        qr_json_key(j, "swing_ci_low");
        qr_json_number(j, b->swing_low);
        qr_json_key(j, "swing_ci_high");
        qr_json_number(j, b->swing_high);
        qr_json_key(j, "verdict");
        qr_json_string(j, *qr_sens_bar_verdict(b) ? qr_sens_bar_verdict(b) : "distinguishable");
        number_or_null(j, "rank_correlation", b->rank_correlation);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
}

static void json_design(qr_json *j, const qr_sens_result *r, const qr_sens_design *d,
                        const qr_assumption_list *l)
{
    qr_json_begin_object(j);
    qr_json_key(j, "label");
    qr_json_string(j, d->label);
    qr_json_key(j, "name");
    qr_json_string(j, d->name);
    qr_json_key(j, "file");
    qr_json_string(j, d->file);
    qr_json_key(j, "notation");
    qr_json_string(j, d->notation);
    qr_json_key(j, "simulated");
    qr_json_bool(j, d->simulated);
    qr_json_key(j, "not_simulated_reason");
    qr_json_string(j, d->simulated ? NULL : d->reason);
    if (d->simulated) {
        qr_json_key(j, "worst_feature");
        qr_json_string(j, d->feature_names[d->worst]);
        qr_json_key(j, "probability_best");
        qr_json_number(j, d->p_best);
        qr_json_key(j, "sets_best_alone");
        qr_json_int(j, d->best_alone);
        qr_json_key(j, "sets_best_tied");
        qr_json_int(j, d->best_tied);
        qr_json_key(j, "features");
        qr_json_begin_array(j);
        for (int c = 0; c < d->n_features; c++)
            json_feature(j, d, c);
        qr_json_end_array(j);
        qr_json_key(j, "pool");
        json_feature(j, d, d->n_features);
        json_tornado(j, r, d);
    }
    qr_json_key(j, "assumptions");
    qr_json_begin_object(j);
    qr_report_assumption_items_json(j, l);
    qr_json_end_object(j);
    qr_json_end_object(j);
}

static void json_sets(qr_json *j, const qr_sens_result *r)
{
    qr_json_key(j, "sets");
    qr_json_begin_array(j);
    for (int s = 0; s < r->sets; s++) {
        qr_json_begin_object(j);
        qr_json_key(j, "set");
        qr_json_int(j, s + 1);
        qr_json_key(j, "values_seconds");
        qr_json_begin_object(j);
        for (int k = 0; k < r->n_params; k++) {
            qr_json_key(j, r->params[k].key);
            qr_json_number(j, r->values[(size_t)s * (size_t)r->n_params + (size_t)k]);
        }
        qr_json_end_object(j);
        qr_json_key(j, "worst_downtime_min_per_year");
        qr_json_begin_object(j);
        for (int d = 0; d < r->n_designs; d++) {
            const qr_sens_design *x = &r->designs[d];
            if (!x->simulated)
                continue;
            qr_json_key(j, x->label);
            qr_json_number(j, x->downtime[(size_t)s * (size_t)(x->n_features + 1) +
                                          (size_t)qr_sens_worst_in_set(x, s)]);
        }
        qr_json_end_object(j);
        qr_json_key(j, "best");
        qr_json_begin_array(j);
        for (int d = 0; d < r->n_designs; d++)
            if (r->best[(size_t)s * (size_t)r->n_designs + (size_t)d])
                qr_json_string(j, r->designs[d].label);
        qr_json_end_array(j);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
}

static void json_method(qr_json *j)
{
    qr_json_key(j, "method");
    qr_json_begin_object(j);
    qr_json_key(j, "sampling");
    qr_json_string(j, "Latin hypercube: one stratum per set in each parameter, parameters "
                      "independent");
    qr_json_key(j, "percentiles");
    qr_json_string(j, "linear interpolation between order statistics (Hyndman and Fan 7)");
    qr_json_key(j, "best");
    qr_json_string(j, "least downtime of the worst feature in a set; designs whose paired 95% "
                      "CI of the difference to the best contains 0 share the set equally");
    qr_json_key(j, "tornado");
    qr_json_string(j, "one parameter at a time at its 5th and 95th percentiles, the others at "
                      "their point values (medians), common random numbers; swing with its "
                      "paired 95% CI; Spearman rank correlation over the sets");
    qr_json_end_object(j);
}

char *qr_report_sensitivity_json(const qr_sens_report *p)
{
    const qr_sens_result *r = p->r;
    int *order = malloc(sizeof(int) * (size_t)(r->n_designs > 0 ? r->n_designs : 1));
    qr_json *j = qr_json_new();
    if (!order || !j) {
        free(order);
        qr_json_free(j);
        return NULL;
    }
    qr_sens_order_by_best(r, order);
    qr_report_json_begin(j, JSON_FORMAT_VERSION, "sensitivity");
    qr_json_key(j, "parameters");
    qr_json_begin_object(j);
    qr_json_key(j, "sets");
    qr_json_int(j, r->sets);
    qr_json_key(j, "runs");
    qr_json_int(j, r->runs);
    qr_json_key(j, "years");
    qr_json_number(j, r->years);
    qr_json_key(j, "seed");
    qr_json_uint(j, (unsigned long long)r->seed);
    qr_json_key(j, "simulations");
    qr_json_int(j, r->simulations);
    json_method(j);
    qr_json_end_object(j);
    json_parameters(j, r);
    qr_json_key(j, "probability_best");
    qr_json_begin_array(j);
    for (int k = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        if (!d->simulated)
            continue;
        qr_json_begin_object(j);
        qr_json_key(j, "design");
        qr_json_string(j, d->label);
        qr_json_key(j, "probability");
        qr_json_number(j, d->p_best);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_key(j, "designs");
    qr_json_begin_array(j);
    for (int k = 0; k < r->n_designs; k++)
        json_design(j, r, &r->designs[order[k]], &p->lists[order[k]]);
    qr_json_end_array(j);
    json_sets(j, r);
    qr_json_key(j, "assumptions");
    qr_json_begin_object(j);
    qr_report_assumptions_head_json(j, &p->lists[0]);
    int mismatch_rc = qr_report_assumption_mismatches_json(j, p->lists, p->labels, r->n_designs);
    qr_json_end_object(j);
    qr_json_key(j, "skipped");
    qr_json_begin_array(j);
    for (int k = 0; k < p->n_skipped; k++)
        qr_report_json_skipped(j, p->skipped[k], p->skipped_reason[k]);
    qr_json_end_array(j);
    if (p->timing) {
        qr_report_json_timing_begin(j, p->wall_seconds, p->threads);
        /* A set costs one simulation of every design simulated. */
        int simulated = 0;
        for (int k = 0; k < r->n_designs; k++)
            simulated += r->designs[k].simulated;
        double per_simulation = r->simulations > 0 ? p->wall_seconds / r->simulations : 0;
        qr_json_key(j, "seconds_per_simulation");
        qr_json_number(j, per_simulation);
        qr_json_key(j, "seconds_per_set");
        qr_json_number(j, per_simulation * simulated);
        qr_json_end_object(j);
    }
    qr_json_end_object(j);
    char *text = qr_json_finish(j);
    if (mismatch_rc != 0) {
        free(text);
        text = NULL;
    }
    free(order);
    return text;
}

/* ---- CSV ---- */

static void csv_percentiles(qr_csv *c, const qr_sens_result *r, const int *order)
{
    static const char *const head[] = {
        "design",          "feature",          "worst",           "point_downtime_min_per_year",
        "downtime_p5",     "downtime_p50",     "downtime_p95",    "availability_p5",
        "availability_p50", "availability_p95", "noise_half_width",
    };
    for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
        qr_csv_string(c, head[i]);
    qr_csv_end_row(c);
    for (int k = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        for (int f = 0; d->simulated && f <= d->n_features; f++) {
            qr_csv_string(c, d->label);
            qr_csv_string(c, d->feature_names[f]);
            qr_csv_string(c, f == d->worst ? "yes" : "no");
            qr_csv_number(c, d->point[f]);
            qr_csv_number(c, d->downtime_pct[f].p5);
            qr_csv_number(c, d->downtime_pct[f].p50);
            qr_csv_number(c, d->downtime_pct[f].p95);
            qr_csv_number(c, d->availability_pct[f].p5);
            qr_csv_number(c, d->availability_pct[f].p50);
            qr_csv_number(c, d->availability_pct[f].p95);
            qr_csv_number(c, d->noise[f]);
            qr_csv_end_row(c);
        }
    }
}

static void csv_best(qr_csv *c, const qr_sens_result *r, const int *order)
{
    static const char *const head[] = { "design", "notation", "worst_feature",
                                        "probability_best", "sets_best_alone",
                                        "sets_best_tied", "sets" };
    for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
        qr_csv_string(c, head[i]);
    qr_csv_end_row(c);
    for (int k = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        qr_csv_string(c, d->label);
        qr_csv_string(c, d->notation);
        if (!d->simulated) {
            for (int e = 0; e < 4; e++)
                qr_csv_empty(c);
        } else {
            qr_csv_string(c, d->feature_names[d->worst]);
            qr_csv_number(c, d->p_best);
            qr_csv_int(c, d->best_alone);
            qr_csv_int(c, d->best_tied);
        }
        qr_csv_int(c, r->sets);
        qr_csv_end_row(c);
    }
}

static void csv_tornado(qr_csv *c, const qr_sens_result *r, const int *order)
{
    static const char *const head[] = {
        "design",        "feature",         "rank",           "parameter",
        "low_seconds",   "high_seconds",    "downtime_at_low", "downtime_at_high",
        "swing",         "swing_ci_low",    "swing_ci_high",  "verdict",
        "rank_correlation", "unit",
    };
    for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
        qr_csv_string(c, head[i]);
    qr_csv_end_row(c);
    for (int k = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        for (int i = 0; d->simulated && i < r->n_params; i++) {
            const qr_sens_bar *b = &d->bars[i];
            qr_csv_string(c, d->label);
            qr_csv_string(c, d->feature_names[d->worst]);
            qr_csv_int(c, i + 1);
            qr_csv_string(c, r->params[b->param].key);
            qr_csv_number(c, b->low_value);
            qr_csv_number(c, b->high_value);
            qr_csv_number(c, b->at_low);
            qr_csv_number(c, b->at_high);
            qr_csv_number(c, b->swing);
            qr_csv_number(c, b->swing_low);
            qr_csv_number(c, b->swing_high);
            qr_csv_string(c, *qr_sens_bar_verdict(b) ? qr_sens_bar_verdict(b) : "distinguishable");
            qr_csv_number(c, b->rank_correlation); /* NAN: an empty field */
            qr_csv_string(c, qr_uncertain_unit(&r->params[b->param])); /* of low, high */
            qr_csv_end_row(c);
        }
    }
}

/* -1 when out of memory. */
static int csv_sets(qr_csv *c, const qr_sens_result *r)
{
    qr_csv_string(c, "set");
    for (int k = 0; k < r->n_params; k++)
        qr_csv_string(c, r->params[k].key);
    for (int d = 0; d < r->n_designs; d++)
        if (r->designs[d].simulated)
            qr_csv_string(c, r->designs[d].label);
    qr_csv_string(c, "best");
    qr_csv_end_row(c);
    for (int s = 0; s < r->sets; s++) {
        qr_csv_int(c, s + 1);
        for (int k = 0; k < r->n_params; k++)
            qr_csv_number(c, r->values[(size_t)s * (size_t)r->n_params + (size_t)k]);
        size_t len = 1;
        for (int d = 0; d < r->n_designs; d++) {
            const qr_sens_design *x = &r->designs[d];
            len += strlen(x->label) + 1;
            if (x->simulated)
                qr_csv_number(c, x->downtime[(size_t)s * (size_t)(x->n_features + 1) +
                                             (size_t)qr_sens_worst_in_set(x, s)]);
        }
        char *best = calloc(len, 1);
        for (int d = 0; best && d < r->n_designs; d++)
            if (r->best[(size_t)s * (size_t)r->n_designs + (size_t)d]) {
                if (best[0])
                    strcat(best, " ");
                strcat(best, r->designs[d].label);
            }
        if (!best)
            return -1;
        qr_csv_string(c, best);
        free(best);
        qr_csv_end_row(c);
    }
    return 0;
}

char *qr_report_sensitivity_csv(const qr_sens_report *p, qr_sens_table t)
{
    const qr_sens_result *r = p->r;
    int *order = malloc(sizeof(int) * (size_t)(r->n_designs > 0 ? r->n_designs : 1));
    qr_csv *c = qr_csv_new();
    char *copy = NULL;
    if (!order || !c)
        goto done;
    qr_sens_order_by_best(r, order);
    switch (t) {
    case QR_SENS_TABLE_PERCENTILES: csv_percentiles(c, r, order); break;
    case QR_SENS_TABLE_BEST: csv_best(c, r, order); break;
    case QR_SENS_TABLE_TORNADO: csv_tornado(c, r, order); break;
    case QR_SENS_TABLE_SETS:
        if (csv_sets(c, r) != 0)
            goto done;
        break;
    }
    copy = qr_csv_finish(c);
    c = NULL;
done:
    qr_csv_free(c);
    free(order);
    return copy;
}
