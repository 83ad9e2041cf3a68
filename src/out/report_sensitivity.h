/*
 * report_sensitivity.h: the reports of `quorate sensitivity`
 * (docs/sensitivity.md) from one qr_sens_result (compare/sensitivity.h):
 * text (report_sensitivity.c), one JSON document or a CSV table
 * (report_sensitivity_data.c), and the self-contained HTML page with the
 * ranking-probability and tornado charts (html_sensitivity.c).
 *
 * Every writer only reads its input; the same result gives the same bytes
 * (the JSON's `timing` object, left out with timing false, holds the only
 * run-dependent numbers).
 */
#ifndef QR_REPORT_SENSITIVITY_H
#define QR_REPORT_SENSITIVITY_H

#include <stdbool.h>
#include <stdio.h>

#include "compare/sensitivity.h"
#include "model/assumption_list.h"

/* What every report of one analysis reads. */
typedef struct {
    const qr_sens_result     *r;
    const qr_assumption_list *lists;  /* one per design, as r->designs     */
    const char *const        *labels; /* the designs' labels, as r->designs */
    const char *const        *skipped;        /* files not analysed        */
    const char *const        *skipped_reason; /* why, one per file         */
    int                       n_skipped;
    bool                      timing;         /* JSON: the timing object   */
    double                    wall_seconds;
    int                       threads;
} qr_sens_report;

/* The CSV tables of --format csv --table T. */
typedef enum {
    QR_SENS_TABLE_PERCENTILES, /* a row per design and feature (the pool too) */
    QR_SENS_TABLE_BEST,        /* a row per design: probability of the best   */
    QR_SENS_TABLE_TORNADO,     /* a row per design and parameter              */
    QR_SENS_TABLE_SETS         /* a row per parameter set: its values, each   */
                               /*   design's worst downtime, the best         */
} qr_sens_table;

/* Parse "percentiles", "best", "tornado" or "sets": 0, or -1. */
int qr_sens_table_parse(const char *s, qr_sens_table *out);

/* How many tornado bars the text shows per design (JSON, CSV and HTML
 * show them all). */
#define QR_SENS_TEXT_BARS 5

/* The text report. */
void qr_report_sensitivity_text(FILE *out, const qr_sens_report *p);

/* The JSON document, or NULL when out of memory; the caller frees it. */
char *qr_report_sensitivity_json(const qr_sens_report *p);

/* One CSV table (util/csv_out.h), or NULL when out of memory; the caller
 * frees it. */
char *qr_report_sensitivity_csv(const qr_sens_report *p, qr_sens_table t);

/* The HTML page. Returns 0. */
int qr_html_sensitivity(FILE *out, const qr_sens_report *p);

#endif
