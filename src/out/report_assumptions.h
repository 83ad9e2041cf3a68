/*
 * report_assumptions.h: the assumptions in the open (docs/assumptions.md,
 * "In every report"): the text footer and the JSON of simulate, analyze
 * and compare list every assumption a design runs with, its value, where
 * it came from (built-in, design, assumptions file, with the line) and its
 * source or "assumption", the design choices that set a failure figure of
 * their own, the assumptions that differ between compared designs (AS001)
 * and what the model leaves out. The HTML section is html_assumptions.h.
 *
 * The writers only read the lists (src/model/assumption_list.h).
 */
#ifndef QR_REPORT_ASSUMPTIONS_H
#define QR_REPORT_ASSUMPTIONS_H

#include <stdio.h>

#include "model/assumption_list.h"
#include "util/json_out.h"

/* The text footer of one design (simulate, analyze): a heading with the
 * precedence and the assumptions file, one line per item that applies
 * (key, value, origin as "built-in", "design:LINE", "assumptions:LINE",
 * source), the design choices, and the scope. */
void qr_report_assumptions_text(FILE *out, const qr_assumption_list *l);

/* The text footer of a comparison of lists[0..n-1] (labels[k] names
 * lists[k]): one line per item that applies to some design, its value when
 * the designs agree, "differs [AS001]: ..." with every design's value when
 * they do not; the design choices of each design; the scope. */
void qr_report_assumptions_compare_text(FILE *out, const qr_assumption_list *lists,
                                        const char *const *labels, int n);

/* Where a design choice was set, for the text and HTML: "line 12" in its
 * file, or "generated" for a component with no file line (a design that
 * quorate plan built: loc.line 0; the JSON writes its line as null). buf of
 * at least 24 bytes; returns buf. */
const char *qr_report_choice_where(const qr_design_choice *c, char *buf, size_t size);

/* Number of items that differ between lists[0..n-1] (AS001). */
int qr_report_assumption_mismatches(const qr_assumption_list *lists, int n);

/* JSON, inside an open object: "items" (every item: key, rule, applies,
 * value, from, line, source) and "design_choices" (component, kind, line,
 * value) of one design. */
void qr_report_assumption_items_json(qr_json *j, const qr_assumption_list *l);

/* JSON, inside an open object: "file" and "name" of the assumptions file
 * (null without one), "precedence", and "not_modelled" (the scope). */
void qr_report_assumptions_head_json(qr_json *j, const qr_assumption_list *l);

/* JSON, inside an open object: "assumptions": { the head above, the items
 * and design choices }, or null when l is NULL (analyze, simulate, plan). */
void qr_report_assumptions_json(qr_json *j, const qr_assumption_list *l);

/* JSON, inside an open object: "mismatches", one object per item that
 * differs between lists[0..n-1]: rule "AS001", key, text (as the text
 * report says it) and values (design, value, from). Returns 0, or -1 when
 * out of memory. */
int qr_report_assumption_mismatches_json(qr_json *j, const qr_assumption_list *lists,
                                         const char *const *labels, int n);

#endif
