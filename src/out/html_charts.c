/*
 * html_charts.c: histograms and the SVG charts of the --html reports
 * (html_charts.h).
 *
 * Charts have fixed pixel sizes in their viewBox and scale with the page
 * (width 100%, max-width the viewBox width). Numbers are printed with a
 * fixed precision, so the SVG text depends only on the data.
 */
#include "out/html_charts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out/html_util.h"

double qr_html_nice_step(double raw)
{
    if (!(raw > 0) || !isfinite(raw))
        return 1;
    double p = pow(10, floor(log10(raw)));
    static const double mult[] = { 1, 2, 5, 10 };
    for (size_t k = 0; k < sizeof(mult) / sizeof(mult[0]); k++)
        if (mult[k] * p >= raw * (1 - 1e-12))
            return mult[k] * p;
    return 10 * p;
}

int qr_html_histogram(const double *x, int n, int stride, int max_bins, qr_html_hist *h)
{
    memset(h, 0, sizeof(*h));
    if (max_bins < 1)
        return -1;
    double max = 0;
    for (int i = 0; i < n; i++) {
        double v = x[(size_t)i * (size_t)stride];
        if (v > max)
            max = v;
    }
    h->max = max;
    h->width = max > 0 ? qr_html_nice_step(max / max_bins) : 1;
    h->n_bins = max > 0 ? (int)ceil(max / h->width - 1e-9) : 1;
    if (h->n_bins < 1)
        h->n_bins = 1;
    if (h->n_bins > max_bins)
        h->n_bins = max_bins;
    h->counts = calloc((size_t)h->n_bins, sizeof(int));
    if (!h->counts) {
        memset(h, 0, sizeof(*h));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        double v = x[(size_t)i * (size_t)stride];
        if (!(v > 0))
            v = 0;
        int b = (int)floor(v / h->width);
        if (b >= h->n_bins)
            b = h->n_bins - 1;
        h->counts[b]++;
        h->zeros += v == 0;
    }
    h->total = n;
    return 0;
}

void qr_html_hist_release(qr_html_hist *h)
{
    if (!h)
        return;
    free(h->counts);
    memset(h, 0, sizeof(*h));
}

/* A number for an axis label: no trailing zeros beyond what the step needs. */
static void axis_number(char *buf, size_t size, double v, double step)
{
    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (decimals > 6)
        decimals = 6;
    snprintf(buf, size, "%.*f", decimals, v);
}

static void svg_open(FILE *out, int w, int h, const char *title)
{
    fprintf(out,
            "<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
            "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
            w, h, w, h);
    qr_html_escape(out, title);
    fputs("\">\n<title>", out);
    qr_html_escape(out, title);
    fprintf(out, "</title>\n<text x=\"%d\" y=\"16\" class=\"ctitle\" text-anchor=\"middle\">", w / 2);
    qr_html_escape(out, title);
    fputs("</text>\n", out);
}

void qr_html_bar_chart(FILE *out, const qr_html_hist *h, const char *title, const char *xlabel)
{
    const int W = 460, H = 250, L = 56, R = 16, T = 28, B = 52;
    const int pw = W - L - R, ph = H - T - B;
    char buf[64];
    svg_open(out, W, H, title);
    int top = 0;
    for (int b = 0; b < h->n_bins; b++)
        if (h->counts[b] > top)
            top = h->counts[b];
    double ystep = qr_html_nice_step(top > 0 ? top / 4.0 : 1);
    if (ystep < 1)
        ystep = 1;
    double ymax = ystep * ceil((top > 0 ? top : 1) / ystep);
    /* Grid and y ticks. */
    for (double v = 0; v <= ymax + 1e-9; v += ystep) {
        double y = T + ph - ph * v / ymax;
        fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", L, y,
                L + pw, y);
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n", L - 4, y + 4,
                v);
    }
    /* Bars. */
    double bw = (double)pw / h->n_bins;
    for (int b = 0; b < h->n_bins; b++) {
        double bh = ph * h->counts[b] / ymax;
        char lo[32], hi[32];
        axis_number(lo, sizeof(lo), b * h->width, h->width);
        axis_number(hi, sizeof(hi), (b + 1) * h->width, h->width);
        fprintf(out,
                "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                "<title>%s to %s min/yr: %d replication%s</title></rect>\n",
                L + b * bw + 0.5, T + ph - bh, bw > 2 ? bw - 1 : bw, bh, lo, hi, h->counts[b],
                h->counts[b] == 1 ? "" : "s");
    }
    /* X ticks: at most about 8 labels. */
    int every = (h->n_bins + 7) / 8;
    if (every < 1)
        every = 1;
    for (int b = 0; b <= h->n_bins; b += every) {
        double x = L + b * bw;
        axis_number(buf, sizeof(buf), b * h->width, h->width);
        fprintf(out,
                "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                x, T + ph, x, T + ph + 4, x, T + ph + 16, buf);
    }
    fprintf(out,
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
            L, T, L, T + ph, L, T + ph, L + pw, T + ph);
    fprintf(out, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", L + pw / 2,
            H - 18);
    qr_html_escape(out, xlabel);
    fprintf(out, "</text>\n<text class=\"label\" x=\"14\" y=\"%d\" text-anchor=\"middle\" "
                 "transform=\"rotate(-90 14 %d)\">replications</text>\n",
            T + ph / 2, T + ph / 2);
    fprintf(out, "<text class=\"note\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d of %d "
                 "replications with no downtime; largest %.1f min/yr</text>\n",
            L + pw / 2, H - 4, h->zeros, h->total, h->max);
    fputs("</svg>\n", out);
}

#define FLOOR_MIN 0.01 /* downtime drawn at this when lower (log axis) */

static double clamp_floor(double v)
{
    return v > FLOOR_MIN ? v : FLOOR_MIN;
}

/* Label boxes of the scatter: a text's baseline-left corner (x, y), its
 * estimated width and its line height. */
#define LABEL_CHAR_W 6.2 /* px per character at 11px sans-serif, generous  */
#define LABEL_LINE_H 13.0

bool qr_html_label_box_overlaps(const qr_html_label_box *boxes, int n, const qr_html_label_box *b)
{
    for (int i = 0; i < n; i++) {
        const qr_html_label_box *o = &boxes[i];
        if (b->x < o->x + o->w && o->x < b->x + b->w && b->y - b->h < o->y &&
            o->y - o->h < b->y)
            return true;
    }
    return false;
}

void qr_html_scatter(FILE *out, const qr_html_point *p, int n, const char *title)
{
    const int W = 680, H = 360, L = 70, R = 190, T = 30, B = 50;
    const int pw = W - L - R, ph = H - T - B;
    svg_open(out, W, H, title);
    int xmin = 0, xmax = 1;
    double ymin = 1e300, ymax = 0;
    bool any = false;
    for (int i = 0; i < n; i++) {
        if (!any || p[i].servers < xmin)
            xmin = p[i].servers;
        if (!any || p[i].servers > xmax)
            xmax = p[i].servers;
        any = true;
        double v[2] = { p[i].have_paper ? clamp_floor(p[i].paper) : NAN,
                        p[i].have_operation ? clamp_floor(p[i].operation) : NAN };
        for (int k = 0; k < 2; k++)
            if (!isnan(v[k])) {
                ymin = v[k] < ymin ? v[k] : ymin;
                ymax = v[k] > ymax ? v[k] : ymax;
            }
    }
    if (!(ymax > 0)) {
        ymin = FLOOR_MIN;
        ymax = 1;
    }
    xmin = xmin > 0 ? xmin - 1 : 0;
    xmax = xmax + 1;
    int d0 = (int)floor(log10(ymin) + 1e-9), d1 = (int)ceil(log10(ymax) - 1e-9);
    if (d1 <= d0)
        d1 = d0 + 1;
#define SX(x) (L + pw * ((double)(x) - xmin) / (xmax - xmin))
#define SY(y) (T + ph - ph * (log10(y) - d0) / (d1 - d0))
    for (int d = d0; d <= d1; d++) {
        double y = T + ph - ph * (double)(d - d0) / (d1 - d0);
        fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", L, y,
                L + pw, y);
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", L - 4, y + 4,
                pow(10, d));
    }
    int xstep = (xmax - xmin + 9) / 10;
    if (xstep < 1)
        xstep = 1;
    for (int x = xmin; x <= xmax; x += xstep)
        fprintf(out,
                "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
                SX(x), T + ph, SX(x), T + ph + 4, SX(x), T + ph + 16, x);
    fprintf(out,
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
            L, T, L, T + ph, L, T + ph, L + pw, T + ph);
    fprintf(out,
            "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">full Windows "
            "servers</text>\n<text class=\"label\" x=\"16\" y=\"%d\" text-anchor=\"middle\" "
            "transform=\"rotate(-90 16 %d)\">downtime, min/yr (log)</text>\n",
            L + pw / 2, H - 12, T + ph / 2, T + ph / 2);
    for (int i = 0; i < n; i++) {
        double x = SX(p[i].servers);
        if (p[i].have_paper && p[i].have_operation)
            fprintf(out, "<line class=\"gap\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    x, SY(clamp_floor(p[i].paper)), x, SY(clamp_floor(p[i].operation)));
        if (p[i].have_paper) {
            fprintf(out, "<circle class=\"paper\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>", x,
                    SY(clamp_floor(p[i].paper)));
            qr_html_escape(out, p[i].label);
            fprintf(out, ": %.2f min/yr on paper</title></circle>\n", p[i].paper);
        }
        if (p[i].have_operation) {
            fprintf(out, "<circle class=\"operation\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>",
                    x, SY(clamp_floor(p[i].operation)));
            qr_html_escape(out, p[i].label);
            fprintf(out, ": %.2f min/yr in operation</title></circle>\n", p[i].operation);
        }
    }
    /* Labels beside their operation (else paper) marker, moved down, then
     * up, one line at a time until they overlap no label placed before
     * (without memory for that, they stay where they are); a moved label
     * gets a leader line to its marker. */
    qr_html_label_box *boxes = malloc(sizeof(*boxes) * (size_t)(n > 0 ? n : 1));
    int n_boxes = 0;
    for (int i = 0; i < n; i++) {
        if (!p[i].have_paper && !p[i].have_operation)
            continue;
        qr_html_label_box b = { SX(p[i].servers) + 8, 0, LABEL_CHAR_W * (double)strlen(p[i].label),
                          LABEL_LINE_H };
        double y0 = SY(clamp_floor(p[i].have_operation ? p[i].operation : p[i].paper)) + 4;
        b.y = y0;
        for (int step = 1; boxes && step <= 4 * n && qr_html_label_box_overlaps(boxes, n_boxes, &b);
             step++)
            b.y = y0 + LABEL_LINE_H * ((step + 1) / 2) * (step % 2 ? 1 : -1);
        if (boxes)
            boxes[n_boxes++] = b;
        if (fabs(b.y - y0) > 0.5)
            fprintf(out, "<line class=\"leader\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                         "y2=\"%.1f\"/>\n",
                    b.x - 7, y0 - 4, b.x - 1, b.y - 4);
        fprintf(out, "<text class=\"point\" x=\"%.1f\" y=\"%.1f\">", b.x, b.y);
        qr_html_escape(out, p[i].label);
        fputs("</text>\n", out);
    }
    free(boxes);
#undef SX
#undef SY
    int lx = L + pw + 20;
    fprintf(out,
            "<circle class=\"paper\" cx=\"%d\" cy=\"%d\" r=\"5\"/><text x=\"%d\" y=\"%d\">paper "
            "(exact, M9)</text>\n"
            "<circle class=\"operation\" cx=\"%d\" cy=\"%d\" r=\"5\"/><text x=\"%d\" "
            "y=\"%d\">operation (simulated)</text>\n"
            "<text class=\"note\" x=\"%d\" y=\"%d\">below %g drawn at %g</text>\n",
            lx, T + 10, lx + 10, T + 14, lx, T + 30, lx + 10, T + 34, lx, T + 54, FLOOR_MIN,
            FLOOR_MIN);
    fputs("</svg>\n", out);
}
