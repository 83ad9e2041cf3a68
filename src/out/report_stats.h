/*
 * report_stats.h: pieces shared by the reports of simulation results
 * (`quorate simulate`, `quorate compare`): a column padder that counts
 * UTF-8 characters ("±" is one column) and the JSON form of a mean with its
 * 95% confidence interval (sim/measures.h sim_stat); a paragraph wrapper
 * for the recommendations of compare and plan.
 */
#ifndef QR_REPORT_STATS_H
#define QR_REPORT_STATS_H

#include <stdbool.h>
#include <stdio.h>

#include "util/json_out.h"
#include "sim/measures.h"

/* Print buf padded with spaces to `width` columns, left- or right-aligned;
 * columns are UTF-8 characters. A value of `width` columns or more gets one
 * space (before it, or after it when left-aligned), so that it never runs
 * into the next column. */
void qr_report_pad(FILE *out, const char *buf, int width, bool left);

/* Write `key: { "mean", "ci_low", "ci_high", "half_width" }`. */
void qr_report_json_stat(qr_json *j, const char *key, sim_stat s);

/* Print text wrapped at `width` columns (words never split), each line
 * starting with `indent`. */
void qr_report_wrapped(FILE *out, const char *text, int width, const char *indent);

#endif
