/*
 * report_causes.c: downtime by cause in text and JSON (report_causes.h).
 */
#include "out/report_causes.h"

#include <stdlib.h>
#include <string.h>

#include "out/report_stats.h"

#define LABEL_WIDTH 56

void qr_report_causes_text(FILE *out, const char *indent, const char *name,
                           const sim_feature_summary *f)
{
    if (!(f->downtime_min_year.mean > 0)) {
        fprintf(out, "%s%s: no downtime\n", indent, name);
        return;
    }
    /* The means in one column: the total, then each cause [its 95% CI]. */
    fprintf(out, "%s", indent);
    qr_report_pad(out, name, LABEL_WIDTH + 2, true);
    fprintf(out, "%8.2f\n", f->downtime_min_year.mean);
    for (int c = 0; c < SIM_DC_COUNT; c++) {
        const sim_stat *s = &f->by_cause[c];
        if (!(s->mean > 0))
            continue;
        fprintf(out, "%s  ", indent);
        qr_report_pad(out, sim_down_cause_label((sim_down_cause)c), LABEL_WIDTH, true);
        fprintf(out, "%8.2f [%.2f, %.2f]\n", s->mean, s->low, s->high);
    }
    /* "started by: server crash 1.23, planned shutdown (patch reboot) 0.10" */
    size_t cap = 64, len = 0;
    for (int c = 0; c < SIM_DS_COUNT; c++)
        cap += strlen(sim_down_start_label((sim_down_start)c)) + 32;
    char *line = malloc(cap);
    if (!line)
        return;
    len = (size_t)snprintf(line, cap, "started by:");
    const char *sep = " ";
    for (int c = 0; c < SIM_DS_COUNT; c++) {
        const sim_stat *s = &f->by_start[c];
        if (!(s->mean > 0))
            continue;
        len += (size_t)snprintf(line + len, cap - len, "%s%s %.2f", sep,
                                sim_down_start_label((sim_down_start)c), s->mean);
        sep = ", ";
    }
    char sub[64];
    snprintf(sub, sizeof(sub), "%s  ", indent);
    qr_report_wrapped(out, line, 100, sub);
    free(line);
}

static bool same_stat(const sim_stat *a, const sim_stat *b)
{
    return a->mean == b->mean && a->low == b->low && a->high == b->high;
}

bool qr_report_causes_same(const sim_feature_summary *a, const sim_feature_summary *b)
{
    if (!same_stat(&a->downtime_min_year, &b->downtime_min_year))
        return false;
    for (int c = 0; c < SIM_DC_COUNT; c++)
        if (!same_stat(&a->by_cause[c], &b->by_cause[c]))
            return false;
    for (int c = 0; c < SIM_DS_COUNT; c++)
        if (!same_stat(&a->by_start[c], &b->by_start[c]))
            return false;
    return true;
}

void qr_report_causes_list(FILE *out, const char *indent, const char *const *names,
                           const sim_feature_summary *const *f, int n)
{
    for (int i = 0; i < n; i++) {
        int same = -1;
        for (int j = 0; j < i && same < 0 && f[i]->downtime_min_year.mean > 0; j++)
            if (qr_report_causes_same(f[i], f[j]))
                same = j;
        if (same >= 0)
            fprintf(out, "%s%s: as %s\n", indent, names[i], names[same]);
        else
            qr_report_causes_text(out, indent, names[i], f[i]);
    }
}

void qr_report_causes_json(qr_json *j, const sim_feature_summary *f)
{
    qr_json_key(j, "downtime_by_cause");
    qr_json_begin_object(j);
    for (int c = 0; c < SIM_DC_COUNT; c++)
        if (f->by_cause[c].mean > 0)
            qr_report_json_stat(j, sim_down_cause_key((sim_down_cause)c), f->by_cause[c]);
    qr_json_end_object(j);
    qr_json_key(j, "downtime_by_start");
    qr_json_begin_object(j);
    for (int c = 0; c < SIM_DS_COUNT; c++)
        if (f->by_start[c].mean > 0)
            qr_report_json_stat(j, sim_down_start_key((sim_down_start)c), f->by_start[c]);
    qr_json_end_object(j);
}
