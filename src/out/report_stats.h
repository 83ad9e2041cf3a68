/*
 * report_stats.h: pieces shared by the reports of simulation results
 * (`quorate simulate`, `quorate compare`): a column padder that counts
 * UTF-8 characters ("±" is one column), the text and JSON forms of a mean
 * with its 95% confidence interval (sim/measures.h sim_stat); a paragraph wrapper
 * for the recommendations of compare and plan.
 */
#ifndef QR_REPORT_STATS_H
#define QR_REPORT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util/json_out.h"
#include "sim/measures.h"

/* Print buf padded with spaces to `width` columns, left- or right-aligned;
 * columns are UTF-8 characters. A value of `width` columns or more gets one
 * space (before it, or after it when left-aligned), so that it never runs
 * into the next column. */
void qr_report_pad(FILE *out, const char *buf, int width, bool left);

/* A mean with its 95% confidence interval as text, "mean [low, high]":
 * every number times `scale` with `prec` decimals, `unit` after the mean
 * only ("99.99261% [99.99194, 99.99325]", "38.9 [31.2, 48.4]"). The
 * interval need not be symmetric, so it is never written as "±". */
void qr_report_stat_text(char *buf, size_t size, sim_stat s, double scale, int prec,
                         const char *unit);

/* Write `key: { "mean", "ci_low", "ci_high", "half_width" }`. */
void qr_report_json_stat(qr_json *j, const char *key, sim_stat s);

/* The same without "half_width" (the plan's JSON). */
void qr_report_json_interval(qr_json *j, const char *key, sim_stat s);

/* The measures of one feature (or the pool) that simulate and compare both
 * report, inside an open object: "availability", "downtime_min_per_year"
 * and "outages_per_year" (as qr_report_json_stat), "mean_outage_min",
 * "longest_outage_min". */
void qr_report_json_feature_stats(qr_json *j, const sim_feature_summary *f);

/* Print text wrapped at `width` columns (words never split), each line
 * starting with `indent`. */
void qr_report_wrapped(FILE *out, const char *text, int width, const char *indent);

#endif
