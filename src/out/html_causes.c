/*
 * html_causes.c: downtime by cause on the HTML pages (html_causes.h).
 *
 * The chart's bars share one axis in minutes a year, so rows compare at a
 * glance; each cause keeps its colour on every page (the palette follows
 * the modules: reds for the pool, blues for the Back End, greens for the
 * file store, purple for routing groups, grey for --static). Segments carry
 * a <title> with their value, for a tooltip without script.
 */
#include "out/html_causes.h"

#include <stdbool.h>
#include <string.h>

#include "out/html_charts.h"
#include "out/html_util.h"

static const char *const COLOUR[SIM_DC_COUNT] = {
    [SIM_DC_POOL_VOTES] = "#b2182b",   [SIM_DC_POOL_RESET] = "#e45756",
    [SIM_DC_POOL_RESTART] = "#f4a582", [SIM_DC_BE_FAILOVER] = "#2166ac",
    [SIM_DC_BE_MANUAL] = "#4393c3",    [SIM_DC_BE_CLUSTER] = "#92c5de",
    [SIM_DC_BE_DOWN] = "#053061",      [SIM_DC_RESILIENCY] = "#8c96c6",
    [SIM_DC_FS_FAILOVER] = "#1b7837",  [SIM_DC_FS_CLUSTER] = "#7fbf7b",
    [SIM_DC_FS_DOWN] = "#00441b",      [SIM_DC_GROUPS] = "#762a83",
    [SIM_DC_STATIC] = "#878787",       [SIM_DC_LATENT] = "#bf812d",
    [SIM_DC_DR_REGISTRAR] = "#e08214", [SIM_DC_DR_RESILIENCY] = "#fdb863",
    [SIM_DC_DR_FAILBACK] = "#b35806",
};

static void chart(FILE *out, const char *const *names, const sim_feature_summary *const *rows,
                  int n)
{
    /* The label column as wide as the longest name (about 6.6 px a
     * character at 12px sans-serif). */
    size_t longest = 0;
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) > longest)
            longest = strlen(names[i]);
    const int L = 16 + (int)(6.6 * (double)(longest < 60 ? longest : 60)), R = 70, T = 28;
    const int BAR = 16, GAP = 8, pw = 500, W = (L + pw + R) > 760 ? L + pw + R : 760;
    double max = 0;
    bool used[SIM_DC_COUNT] = { false };
    int n_used = 0;
    for (int i = 0; i < n; i++) {
        if (rows[i]->downtime_min_year.mean > max)
            max = rows[i]->downtime_min_year.mean;
        for (int c = 0; c < SIM_DC_COUNT; c++)
            if (rows[i]->by_cause[c].mean > 0 && !used[c]) {
                used[c] = true;
                n_used++;
            }
    }
    if (!(max > 0))
        return;
    double step = qr_html_nice_step(max / 5);
    int ticks = (int)(max / step + 1 - 1e-9);
    double xmax = step * ticks;
    int legend_rows = (n_used + 1) / 2; /* two columns: labels are long */
    int H = T + n * (BAR + GAP) + 30 + legend_rows * 16 + 8;
    fprintf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                 "role=\"img\" aria-label=\"downtime by cause\">\n<title>downtime by cause"
                 "</title>\n<text x=\"%d\" y=\"16\" class=\"ctitle\" text-anchor=\"middle\">"
                 "downtime by cause, minutes a year</text>\n",
            W, H, W, H, W / 2);
    int axis_y = T + n * (BAR + GAP);
    for (int k = 0; k <= ticks; k++) {
        double x = L + pw * (k * step) / xmax;
        fprintf(out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                     "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
                x, T - 4, x, axis_y, x, axis_y + 14, k * step);
    }
    for (int i = 0; i < n; i++) {
        int y = T + i * (BAR + GAP);
        fprintf(out, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", L - 6,
                y + BAR - 4);
        qr_html_escape(out, names[i]);
        fputs("</text>\n", out);
        double x = L;
        for (int c = 0; c < SIM_DC_COUNT; c++) {
            double v = rows[i]->by_cause[c].mean;
            if (!(v > 0))
                continue;
            double w = pw * v / xmax;
            fprintf(out, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\" fill=\"%s\">"
                         "<title>",
                    x, y, w, BAR, COLOUR[c]);
            qr_html_escape(out, names[i]);
            fputs(": ", out);
            qr_html_escape(out, sim_down_cause_label((sim_down_cause)c));
            fprintf(out, ", %.2f min/yr</title></rect>\n", v);
            x += w;
        }
        fprintf(out, "<text x=\"%.1f\" y=\"%d\">%.2f</text>\n", x + 4, y + BAR - 4,
                rows[i]->downtime_min_year.mean);
    }
    fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", L, axis_y,
            L + pw, axis_y);
    int k = 0;
    for (int c = 0; c < SIM_DC_COUNT; c++) {
        if (!used[c])
            continue;
        int lx = 10 + (k % 2) * 375, ly = axis_y + 30 + (k / 2) * 16;
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                     "<text x=\"%d\" y=\"%d\">",
                lx, ly - 9, COLOUR[c], lx + 14, ly);
        qr_html_escape(out, sim_down_cause_label((sim_down_cause)c));
        fputs("</text>\n", out);
        k++;
    }
    fputs("</svg>\n", out);
}

/* One table: per row, the entries of its breakdown with some downtime. */
static void table(FILE *out, const char *const *names, const sim_feature_summary *const *rows,
                  int n, bool causes)
{
    int count = causes ? SIM_DC_COUNT : SIM_DS_COUNT;
    fprintf(out, "<table class=\"%s\">\n<thead><tr><th>row</th><th>downtime min/yr</th>"
                 "<th>%s</th><th>min/yr (95%% CI)</th><th>share</th></tr></thead>\n<tbody>\n",
            causes ? "causes" : "starts", causes ? "cause" : "started by");
    for (int i = 0; i < n; i++) {
        const sim_feature_summary *f = rows[i];
        double total = f->downtime_min_year.mean;
        int lines = 0;
        for (int c = 0; c < count; c++)
            lines += (causes ? f->by_cause[c].mean : f->by_start[c].mean) > 0;
        fprintf(out, "<tr><td rowspan=\"%d\">", lines > 0 ? lines : 1);
        qr_html_escape(out, names[i]);
        fprintf(out, "</td><td class=\"num\" rowspan=\"%d\">%.2f</td>", lines > 0 ? lines : 1,
                total);
        if (lines == 0)
            fputs("<td colspan=\"3\">no downtime</td></tr>\n", out);
        bool first = true;
        for (int c = 0; c < count; c++) {
            sim_stat s = causes ? f->by_cause[c] : f->by_start[c];
            if (!(s.mean > 0))
                continue;
            if (!first)
                fputs("<tr>", out);
            first = false;
            fputs("<td>", out);
            qr_html_escape(out, causes ? sim_down_cause_label((sim_down_cause)c)
                                       : sim_down_start_label((sim_down_start)c));
            fprintf(out, "</td><td class=\"num\">%.2f [%.2f, %.2f]</td><td class=\"num\">%.1f%%</td>"
                         "</tr>\n",
                    s.mean, s.low, s.high, 100 * s.mean / total);
        }
    }
    fputs("</tbody></table>\n", out);
}

void qr_html_causes(FILE *out, const char *const *names, const sim_feature_summary *const *rows,
                    int n)
{
    chart(out, names, rows, n);
    /* The tables are long (a line per cause of every row): folded. */
    fputs("<details class=\"causes\"><summary>The numbers: every row's minutes by cause and by "
          "what started its outages, with their 95% CIs</summary>\n",
          out);
    table(out, names, rows, n, true);
    table(out, names, rows, n, false);
    fputs("</details>\n", out);
}
