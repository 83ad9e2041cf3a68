/*
 * report_causes.h: downtime by cause in the text and JSON reports of
 * `quorate simulate` and `quorate compare` (sim/causes.h,
 * docs/simulate.md "Downtime by cause"). Only causes and starts with some
 * downtime are shown; in text a feature whose breakdown is the same as an
 * earlier one's says so instead of repeating it.
 */
#ifndef QR_REPORT_CAUSES_H
#define QR_REPORT_CAUSES_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/measures.h"
#include "util/json_out.h"

/* Text: `indent name  total`, one line per cause (mean ± half-width,
 * min/yr), then "started by: ..." wrapped; "name: no downtime" when there
 * is none. */
void qr_report_causes_text(FILE *out, const char *indent, const char *name,
                           const sim_feature_summary *f);

/* qr_report_causes_text for names[i], f[i], i < n, except that a row whose
 * breakdown is the same as an earlier row's (with some downtime) prints
 * "name: as EARLIER". */
void qr_report_causes_list(FILE *out, const char *indent, const char *const *names,
                           const sim_feature_summary *const *f, int n);

/* True when a and b have the same downtime and the same breakdowns. */
bool qr_report_causes_same(const sim_feature_summary *a, const sim_feature_summary *b);

/* JSON: the keys "downtime_by_cause" and "downtime_by_start", each an
 * object from a cause (start) key to its stat object, inside the current
 * object. */
void qr_report_causes_json(qr_json *j, const sim_feature_summary *f);

#endif
