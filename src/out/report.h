/*
 * report.h: printing diagnostics (diag.h) for people and for tools.
 *
 * Text is compiler-style, one line per diagnostic. JSON and SARIF 2.1.0 are
 * built whole in memory (json_out.h) and handed back as one string, so the
 * caller writes a complete document or nothing. The reports only read the
 * diagnostics lists; they never look at a topology or a YAML file again.
 */
#ifndef QR_REPORT_H
#define QR_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "model/diag.h"

/* Format of the JSON report (bumped when a field changes meaning or goes). */
#define QR_REPORT_JSON_FORMAT_VERSION 1

/* Where the SARIF driver's informationUri points. */
#define QR_REPORT_INFORMATION_URI "https://github.com/quorate/quorate/blob/main/docs/rules.md"

/* Print every diagnostic of d to out, compiler-style, one per line:
 * "file:line:col: error|warning|note: message [ID]"; a diagnostic at 0:0 is
 * printed "file: ...", one with a line but no column "file:line: ...". */
void qr_report_diags_text(FILE *out, const qr_diags *d);

/* Print the closing summary line of a check of n_files lists, e.g.
 * "quorate: 2 files checked: 1 error, 3 warnings, 0 notes". */
void qr_report_summary_text(FILE *out, const qr_diags *files, size_t n_files);

/* The JSON report of n_files lists (files[i] is one checked file): format
 * version, tool name and version, per file its counts and diagnostics, and
 * the totals. Returns a NUL-terminated document the caller frees with
 * free(), or NULL when out of memory. */
char *qr_report_json(const qr_diags *files, size_t n_files);

/* The rule table (`check --list-rules --format json`) as one JSON document,
 * format_version 1: { "format_version", "tool": { "name", "version" },
 * "rules": [ { "id", "severity", "name", "title", "rationale", "source",
 * "fix" } ] }, in table order. Returns a malloc'd string, NULL when out of
 * memory. */
char *qr_report_rules_json(void);

/* The SARIF 2.1.0 log of n_files lists: one run whose driver lists every
 * rule of the rule table, one result per diagnostic. Returns a document the
 * caller frees with free(), or NULL when out of memory. */
char *qr_report_sarif(const qr_diags *files, size_t n_files);

#endif
