/*
 * html_causes.h: downtime by cause on the --html pages of simulate and
 * compare (html_report.h; sim/causes.h, docs/simulate.md "Downtime by
 * cause"): an inline SVG chart with one bar per row (a feature, the pool,
 * or in compare a design's worst feature and pool), each bar split into
 * its causes on a common min/yr axis with a legend; then a table of every
 * row's causes (mean, 95% CI, share of the row's downtime) and a table of
 * what started its outages. No script; the same input gives the same bytes.
 * The writer reads its inputs only.
 */
#ifndef QR_HTML_CAUSES_H
#define QR_HTML_CAUSES_H

#include <stdio.h>

#include "sim/measures.h"

/* Write the chart and the tables for rows[0..n), labelled names[0..n).
 * Rows with no downtime are listed as such. */
void qr_html_causes(FILE *out, const char *const *names, const sim_feature_summary *const *rows,
                    int n);

#endif
