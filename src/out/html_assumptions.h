/*
 * html_assumptions.h: the "assumptions" section of the --html pages
 * (html_report.h; docs/assumptions.md, "In every report"). For one design
 * (simulate) a table of every assumption that applies: its value, where it
 * came from (built-in, design, assumptions file, with the line) and its
 * source or "assumption". For a comparison, one column per design: a row
 * whose designs disagree is marked AS001 and shows each design's value.
 * Then the design choices (a component's own figures) and what the model
 * leaves out. Text from files (names, sources) is escaped.
 */
#ifndef QR_HTML_ASSUMPTIONS_H
#define QR_HTML_ASSUMPTIONS_H

#include <stdio.h>

#include "model/assumption_list.h"

/* Write the section for lists[0..n-1] (labels[k] names lists[k]), columns
 * in the order order[0..n-1] (indices into lists; NULL: 0..n-1). n == 1
 * writes the one-design table. Nothing when n < 1. */
void qr_html_assumptions(FILE *out, const qr_assumption_list *lists, const char *const *labels,
                         int n, const int *order);

#endif
