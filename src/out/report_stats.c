/*
 * report_stats.c: shared pieces of the simulation reports (report_stats.h).
 */
#include "out/report_stats.h"

#include <string.h>

void qr_report_pad(FILE *out, const char *buf, int width, bool left)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)buf; *p; p++)
        cols += (*p & 0xC0) != 0x80;
    /* A value as wide as its column, or wider, still gets one space on the
     * side of its neighbour, so that columns never run together. */
    int pad = cols < width ? width - cols : 1;
    if (!left)
        for (int k = 0; k < pad; k++)
            fputc(' ', out);
    fputs(buf, out);
    if (left)
        for (int k = 0; k < pad; k++)
            fputc(' ', out);
}

void qr_report_stat_text(char *buf, size_t size, sim_stat s, double scale, int prec,
                         const char *unit)
{
    snprintf(buf, size, "%.*f%s [%.*f, %.*f]", prec, scale * s.mean, unit, prec, scale * s.low,
             prec, scale * s.high);
}

static void json_stat(qr_json *j, const char *key, sim_stat s, bool half_width)
{
    qr_json_key(j, key);
    qr_json_begin_object(j);
    qr_json_key(j, "mean");
    qr_json_number(j, s.mean);
    qr_json_key(j, "ci_low");
    qr_json_number(j, s.low);
    qr_json_key(j, "ci_high");
    qr_json_number(j, s.high);
    if (half_width) {
        qr_json_key(j, "half_width");
        qr_json_number(j, s.half_width);
    }
    qr_json_end_object(j);
}

void qr_report_json_stat(qr_json *j, const char *key, sim_stat s)
{
    json_stat(j, key, s, true);
}

void qr_report_json_interval(qr_json *j, const char *key, sim_stat s)
{
    json_stat(j, key, s, false);
}

void qr_report_json_feature_stats(qr_json *j, const sim_feature_summary *f)
{
    qr_report_json_stat(j, "availability", f->availability);
    qr_report_json_stat(j, "downtime_min_per_year", f->downtime_min_year);
    qr_report_json_stat(j, "outages_per_year", f->outages_year);
    qr_json_key(j, "mean_outage_min");
    qr_json_number(j, f->mean_outage_min);
    qr_json_key(j, "longest_outage_min");
    qr_json_number(j, f->longest_outage_min);
}

void qr_report_wrapped(FILE *out, const char *text, int width, const char *indent)
{
    int col = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end && *end != ' ')
            end++;
        int len = (int)(end - p);
        if (len == 0)
            break;
        if (col > 0 && col + 1 + len > width) {
            fputc('\n', out);
            col = 0;
        }
        if (col == 0) {
            fputs(indent, out);
            col = (int)strlen(indent);
        } else {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, (size_t)len, out);
        col += len;
        p = end;
    }
    if (col > 0)
        fputc('\n', out);
}
