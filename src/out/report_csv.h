/*
 * report_csv.h: the CSV tables of the simulation reports, for a
 * spreadsheet (`--format csv`; RFC 4180 through util/csv_out.h): simulate's
 * per-feature results, and compare's scorecard and per-feature table.
 *
 * Every table has one header row of stable column names (docs/cli.md,
 * docs/simulate.md, docs/compare.md list them); availabilities are
 * fractions in [0, 1] as in the JSON, every mean is followed by its 95%
 * confidence interval as `<name>_ci_low`, `<name>_ci_high`, and a missing
 * value is an empty field. Each function returns the whole table as one
 * malloc'd string the caller frees, or NULL when out of memory, so the
 * caller writes a complete table or nothing.
 */
#ifndef QR_REPORT_CSV_H
#define QR_REPORT_CSV_H

#include <stdbool.h>

#include "compare/scorecard.h"
#include "model/topology.h"
#include "sim/measures.h"

/* `quorate simulate --format csv`: one row per feature of t, then "pool",
 * from s. exact (n_features + 1 values, the pool last) fills the column
 * exact_availability; NULL leaves it empty (a full simulation, or a design
 * too big to enumerate). */
char *qr_report_csv_simulate(const qr_topology *t, const sim_summary *s, const double *exact);

/* `quorate compare --format csv`: the scorecard, one row per design in the
 * order order[0..n-1] (as left by qr_scorecard_rank), its worst feature's
 * values, then whether it is tied and its paired difference to the
 * recommended design. */
char *qr_report_csv_scorecard(const qr_scorecard *cards, int n, const int *order);

/* `quorate compare --format csv --table features`: one row per design (in
 * order[]) and feature (the design's features in its topology's order,
 * then "pool"). */
char *qr_report_csv_features(const qr_scorecard *cards, int n, const int *order);

#endif
