/*
 * html_nk.h: the N-k table of the --html reports (html_report.h): for one
 * analysed design (analysis.h), a row per k (single failures, pairs,
 * triples) and a column per feature, each cell saying how many of the
 * combinations take the feature down when the failures are unexpected and
 * when they are graceful, with the first minimal cut sets named; a last
 * row lists each feature's single points of failure. Levels the analysis
 * skipped (too many combinations) get a note instead of numbers. The
 * wording is `quorate analyze`'s (qr_analysis_k_unit).
 */
#ifndef QR_HTML_NK_H
#define QR_HTML_NK_H

#include <stddef.h>
#include <stdio.h>

#include "exact/analysis.h"
#include "model/topology.h"

/* Minimal cut sets named per cell; the rest are counted. */
#define QR_HTML_NK_SETS 3

/* The analysis the table shows: qr_analysis_run() on t with the default
 * options (k up to 3) and no exact values, which the table does not show.
 * 0 with *a filled (release it with qr_analysis_release), or -1 with the
 * reason in err. */
int qr_html_nk_analysis(const qr_topology *t, qr_analysis *a, char *err, size_t errlen);

/* Write the table for a (computed by qr_html_nk_analysis on t) to out. */
void qr_html_nk_table(FILE *out, const qr_topology *t, const qr_analysis *a);

#endif
