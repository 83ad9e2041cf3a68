/*
 * report.c: the text report (report.h). The JSON and SARIF reports are in
 * report_json.c and report_sarif.c.
 */
#include "out/report.h"

static void plural(FILE *out, size_t n, const char *word)
{
    fprintf(out, "%zu %s%s", n, word, n == 1 ? "" : "s");
}

void qr_report_diags_text(FILE *out, const qr_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        const qr_diag *g = &d->items[i];
        if (g->loc.line > 0 && g->loc.col > 0)
            fprintf(out, "%s:%d:%d: ", d->file, g->loc.line, g->loc.col);
        else if (g->loc.line > 0)
            fprintf(out, "%s:%d: ", d->file, g->loc.line);
        else
            fprintf(out, "%s: ", d->file);
        fprintf(out, "%s: %s [%s]\n", qr_severity_name(g->sev), g->message,
                g->rule ? g->rule : "?");
    }
}

void qr_report_summary_text(FILE *out, const qr_diags *files, size_t n_files)
{
    size_t errors = 0, warnings = 0, notes = 0;
    for (size_t i = 0; i < n_files; i++) {
        errors += files[i].n_errors;
        warnings += files[i].n_warnings;
        notes += files[i].n_notes;
    }
    fputs("quorate: ", out);
    plural(out, n_files, "file");
    fputs(" checked: ", out);
    plural(out, errors, "error");
    fputs(", ", out);
    plural(out, warnings, "warning");
    fputs(", ", out);
    plural(out, notes, "note");
    fputc('\n', out);
}
