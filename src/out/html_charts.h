/*
 * html_charts.h: the inline SVG charts of the --html reports
 * (html_report.h) and the data they plot: per-replication downtime
 * (sim/downtime_log.h, filled through sim_run_options.on_reps), binned
 * into a histogram and drawn as a bar chart with labelled axes; and the
 * availability-vs-servers scatter of `compare` (downtime on a log axis).
 *
 * Every chart is plain SVG text written to a FILE*: no script, no external
 * reference, and the same input always gives the same bytes.
 *
 * Ownership: a qr_html_hist owns its arrays (free
 * with their _release); the chart writers keep nothing.
 */
#ifndef QR_HTML_CHARTS_H
#define QR_HTML_CHARTS_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/downtime_log.h"

/* A histogram with bins from 0: bin b covers [b * width, (b + 1) * width),
 * the last one also its upper end. */
typedef struct {
    int    n_bins;
    double width;    /* a "nice" step: 1, 2 or 5 times a power of ten     */
    int   *counts;   /* n_bins                                            */
    int    total;    /* values binned                                     */
    int    zeros;    /* values exactly 0 (no downtime at all)             */
    double max;      /* largest value                                     */
} qr_html_hist;

/* The smallest 1, 2 or 5 times a power of ten that is >= raw (> 0). */
double qr_html_nice_step(double raw);

/* Bin x[0], x[stride], ..., n values (each >= 0; negative ones count as 0)
 * into at most max_bins bins of a nice width covering [0, max]; with every
 * value 0 there is one bin of width 1. Fills *h (release with
 * qr_html_hist_release). Returns 0, or -1 when out of memory or max_bins
 * < 1 (h then holds nothing). O(n + max_bins). */
int qr_html_histogram(const double *x, int n, int stride, int max_bins, qr_html_hist *h);

/* Free what h owns and zero it; accepts NULL. */
void qr_html_hist_release(qr_html_hist *h);

/* Draw h as an SVG bar chart: title above, x axis "xlabel" with the bin
 * edges, y axis "replications" with counts. */
void qr_html_bar_chart(FILE *out, const qr_html_hist *h, const char *title, const char *xlabel);

/* The same with an availability target (a fraction in (0, 1); 0: none):
 * a vertical line at its downtime, (1 - target) minutes of a year, when it
 * falls on the axis, and a note "N of M replications within the target"
 * (within: the replications at or below it, counted by the caller). */
void qr_html_bar_chart_target(FILE *out, const qr_html_hist *h, const char *title,
                              const char *xlabel, double target, int within);

/* How many of x[0], x[stride], ... (n values) are at most limit. */
int qr_html_count_within(const double *x, int n, int stride, double limit);

/* One design in the availability-vs-servers scatter. */
typedef struct {
    const char *label;       /* the design's label                         */
    int         servers;     /* full Windows servers                       */
    bool        have_paper;  /* exact (M9) value known                     */
    double      paper;       /* downtime, minutes a year, on paper         */
    bool        have_operation;
    double      operation;   /* simulated downtime, minutes a year         */
} qr_html_point;

/* A text label's box: baseline-left corner (x, y), width, height (the box
 * spans y - h .. y). */
typedef struct {
    double x, y, w, h;
} qr_html_label_box;

/* Does b overlap any of boxes[0..n-1]? (Labels of the scatter are moved
 * until it does not.) */
bool qr_html_label_box_overlaps(const qr_html_label_box *boxes, int n, const qr_html_label_box *b);

/* Draw the scatter of p[0..n-1]: x the full servers, y the downtime in
 * minutes a year on a log axis (values below 0.01 are drawn at 0.01), a
 * hollow marker for paper and a filled one for operation joined by a
 * dashed gap line, each design labelled, with a legend of the three. A
 * label is placed beside its marker (right, left, above or below), else
 * moved a line at a time with a leader line, so that no label overlaps
 * another label, any design's marker or the legend, and stays inside the
 * chart. */
void qr_html_scatter(FILE *out, const qr_html_point *p, int n, const char *title);

/* The same with an availability target (a fraction in (0, 1); 0: none): a
 * horizontal line at its downtime, inside the y range, and in the legend. */
void qr_html_scatter_target(FILE *out, const qr_html_point *p, int n, const char *title,
                            double target);

#endif
