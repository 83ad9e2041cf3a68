/*
 * report_json.c: the JSON report of `quorate check --format json`
 * (report.h). Layout, format_version 1:
 *
 *   { "format_version": 1,
 *     "tool": { "name": "quorate", "version": "0.1.0" },
 *     "files": [ { "file", "errors", "warnings", "notes",
 *                  "diagnostics": [ { "file", "line", "column", "severity",
 *                                     "rule", "message" } ] } ],
 *     "totals": { "files", "errors", "warnings", "notes" } }
 *
 * line and column are 1-based, 0 when the whole file is meant.
 */
#include <stdlib.h>
#include <string.h>

#include "util/json_out.h"
#include "out/report.h"
#include "check/rules.h"
#include "out/report_json_doc.h"

static void diag_object(qr_json *j, const char *file, const qr_diag *g)
{
    qr_json_begin_object(j);
    qr_json_key(j, "file");
    qr_json_string(j, file);
    qr_json_key(j, "line");
    qr_json_int(j, g->loc.line);
    qr_json_key(j, "column");
    qr_json_int(j, g->loc.col);
    qr_json_key(j, "severity");
    qr_json_string(j, qr_severity_name(g->sev));
    qr_json_key(j, "rule");
    qr_json_string(j, g->rule);
    qr_json_key(j, "message");
    qr_json_string(j, g->message);
    qr_json_end_object(j);
}

char *qr_report_json(const qr_diags *files, size_t n_files)
{
    qr_json *j = qr_json_new();
    size_t errors = 0, warnings = 0, notes = 0;

    qr_report_json_begin(j, QR_REPORT_JSON_FORMAT_VERSION, NULL);
    qr_report_json_tool(j);
    qr_json_key(j, "files");
    qr_json_begin_array(j);
    for (size_t f = 0; f < n_files; f++) {
        const qr_diags *d = &files[f];
        errors += d->n_errors;
        warnings += d->n_warnings;
        notes += d->n_notes;
        qr_json_begin_object(j);
        qr_json_key(j, "file");
        qr_json_string(j, d->file);
        qr_json_key(j, "errors");
        qr_json_int(j, (long long)d->n_errors);
        qr_json_key(j, "warnings");
        qr_json_int(j, (long long)d->n_warnings);
        qr_json_key(j, "notes");
        qr_json_int(j, (long long)d->n_notes);
        qr_json_key(j, "diagnostics");
        qr_json_begin_array(j);
        for (size_t i = 0; i < d->n; i++)
            diag_object(j, d->file, &d->items[i]);
        qr_json_end_array(j);
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_key(j, "totals");
    qr_json_begin_object(j);
    qr_json_key(j, "files");
    qr_json_int(j, (long long)n_files);
    qr_json_key(j, "errors");
    qr_json_int(j, (long long)errors);
    qr_json_key(j, "warnings");
    qr_json_int(j, (long long)warnings);
    qr_json_key(j, "notes");
    qr_json_int(j, (long long)notes);
    qr_json_end_object(j);
    qr_json_end_object(j);

    return qr_json_finish(j);
}

char *qr_report_rules_json(void)
{
    qr_json *j = qr_json_new();
    qr_report_json_begin(j, QR_REPORT_JSON_FORMAT_VERSION, NULL);
    qr_report_json_tool(j);
    qr_json_key(j, "rules");
    qr_json_begin_array(j);
    for (size_t i = 0; i < qr_rule_count(); i++) {
        const qr_rule *r = qr_rule_at(i);
        static const char *const keys[] = { "id", "severity", "name", "title",
                                            "rationale", "source", "fix" };
        const char *values[] = { r->id, qr_severity_name(r->severity), r->name, r->title,
                                 r->rationale, r->source, r->fix };
        qr_json_begin_object(j);
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
            qr_json_key(j, keys[k]);
            if (values[k])
                qr_json_string(j, values[k]);
            else
                qr_json_null(j);
        }
        qr_json_end_object(j);
    }
    qr_json_end_array(j);
    qr_json_end_object(j);
    return qr_json_finish(j);
}
