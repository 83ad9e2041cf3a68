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
    qr_html_bar_chart_target(out, h, title, xlabel, 0, 0);
}

int qr_html_count_within(const double *x, int n, int stride, double limit)
{
    int within = 0;
    for (int i = 0; i < n; i++)
        within += x[(size_t)i * (size_t)stride] <= limit;
    return within;
}

void qr_html_bar_chart_target(FILE *out, const qr_html_hist *h, const char *title,
                              const char *xlabel, double target, int within)
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
    if (target > 0 && target < 1) {
        /* The target's downtime on the axis, [0, n_bins * width]. */
        double limit = (1 - target) * (SIM_SECONDS_PER_YEAR / 60.0);
        double span = h->n_bins * h->width;
        if (limit <= span) {
            double x = L + pw * limit / span;
            fprintf(out,
                    "<line class=\"target\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\">"
                    "<title>target %.10g%%: at most %.1f min/yr</title></line>\n"
                    "<text class=\"target\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">target</text>\n",
                    x, T, x, T + ph, 100 * target, limit, x > L + pw - 40 ? x - 3 : x + 3, T + 10,
                    x > L + pw - 40 ? "end" : "start");
        }
        fprintf(out, "<text class=\"note\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d of %d "
                     "within the target%s; largest %.1f min/yr<title>the target: %.10g%%, at "
                     "most %.1f min/yr</title></text>\n",
                L + pw / 2, H - 4, within, h->total, limit > span ? " (off the axis)" : "",
                h->max, 100 * target, limit);
    } else {
        fprintf(out, "<text class=\"note\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d of %d "
                     "replications with no downtime; largest %.1f min/yr</text>\n",
                L + pw / 2, H - 4, h->zeros, h->total, h->max);
    }
    fputs("</svg>\n", out);
}

#define FLOOR_MIN 0.01 /* downtime drawn at this when lower (log axis) */

static double clamp_floor(double v)
{
    return v > FLOOR_MIN ? v : FLOOR_MIN;
}

/* Label boxes of the scatter: a text's estimated width and line height,
 * and how far its glyphs reach below the baseline. */
#define LABEL_CHAR_W 6.2 /* px per character at 11px sans-serif, generous  */
#define LABEL_LINE_H 13.0
#define LABEL_DESCENT 3.0
#define MARKER_R 5.0

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

/* The scatter's frame: chart size, plot area, axes' ranges. */
typedef struct {
    int    W, H, L, R, T, B, pw, ph;
    int    xmin, xmax, d0, d1; /* x range; y range 10^d0 .. 10^d1   */
} scatter_frame;

static double sx(const scatter_frame *f, double x)
{
    return f->L + f->pw * (x - f->xmin) / (f->xmax - f->xmin);
}

static double sy(const scatter_frame *f, double y)
{
    return f->T + f->ph - f->ph * (log10(clamp_floor(y)) - f->d0) / (f->d1 - f->d0);
}

/* The label of point i sits beside its operation marker, else its paper
 * one. */
static double label_anchor_y(const scatter_frame *f, const qr_html_point *p)
{
    return sy(f, p->have_operation ? p->operation : p->paper);
}

/* Is box b inside the chart (right of the y axis, above the x axis, below
 * the title) and clear of the obstacles and of the labels placed so far? */
static bool label_fits(const scatter_frame *f, const qr_html_label_box *b,
                       const qr_html_label_box *obstacles, int n_obstacles,
                       const qr_html_label_box *placed, int n_placed)
{
    if (b->x < f->L + 2 || b->x + b->w > f->W - 2 || b->y - b->h < f->T - 6 ||
        b->y > f->T + f->ph - 1)
        return false;
    return !qr_html_label_box_overlaps(obstacles, n_obstacles, b) &&
           !qr_html_label_box_overlaps(placed, n_placed, b);
}

/* A leader line from a marker at (mx, my) to its moved label b. */
typedef struct {
    double x1, y1, x2, y2;
} segment;

static segment leader_of(const qr_html_label_box *b, double mx, double my)
{
    double base = b->y - LABEL_DESCENT;
    if (b->x + b->w <= mx) /* left of the marker */
        return (segment){ mx - MARKER_R, my, b->x + b->w + 1, base - 4 };
    if (b->x >= mx) /* right */
        return (segment){ mx + MARKER_R, my, b->x - 1, base - 4 };
    /* Centred above or below: from the marker's top or bottom. */
    bool above = b->y <= my;
    return (segment){ mx, my + (above ? -MARKER_R : MARKER_R), mx,
                      above ? b->y + 1 : b->y - b->h - 1 };
}

/* How many of boxes[0..n-1] s passes through, sampled every pixel, leaving
 * out what lies on the marker it starts from (within MARKER_R + 4 of
 * (mx, my): the corners of the marker's box). */
static int segment_crossings(const segment *s, double mx, double my,
                             const qr_html_label_box *boxes, int n)
{
    double dx = s->x2 - s->x1, dy = s->y2 - s->y1, len = sqrt(dx * dx + dy * dy);
    int count = 0;
    for (int i = 0; i < n; i++) {
        const qr_html_label_box *b = &boxes[i];
        for (double t = 0; t <= len; t += 1) {
            double x = s->x1 + dx * t / len, y = s->y1 + dy * t / len;
            double ox = x - mx, oy = y - my;
            if (ox * ox + oy * oy < (MARKER_R + 4) * (MARKER_R + 4))
                continue;
            if (x > b->x && x < b->x + b->w && y > b->y - b->h && y < b->y) {
                count++;
                break;
            }
        }
    }
    return count;
}

/* Place every label (docs/compare.md, "The HTML page"): for each design in
 * order, the first position that fits of: right of its marker, left of
 * it, above, below; then right, left and centred, moved down and up a
 * line at a time, with a leader line to the marker. A label fits when it
 * overlaps no other label or leader, no marker of any design, not the
 * legend nor the target's line, and stays inside the chart. Of the moved
 * places the first whose leader crosses no label and no marker is taken,
 * else (a crowd) the one whose leader crosses fewest; labels have a white
 * halo, so a leader passes under them. When nothing fits it keeps the
 * right-hand place. Designs are placed in `order`; boxes[i] gets design
 * i's box (w 0 for a point without markers), lead[i] whether it has a
 * leader and leader[i] the line. obstacles holds the n_markers marker
 * boxes, then the legend's and the target's (n_obstacles in all). Returns
 * the leaders' crossings in all, -1 when out of memory. */
static int place_labels(const scatter_frame *f, const qr_html_point *p, int n,
                        const int *order, const qr_html_label_box *obstacles, int n_obstacles,
                        int n_markers, qr_html_label_box *boxes, bool *lead, segment *leader)
{
    int total = 0;
    for (int i = 0; i < n; i++) {
        boxes[i] = (qr_html_label_box){ 0, 0, 0, 0 };
        lead[i] = false;
    }
    qr_html_label_box *placed = malloc(sizeof(*placed) * (size_t)(n > 0 ? n : 1));
    if (!placed)
        return -1;
    int n_placed = 0;
    for (int o = 0; o < n; o++) {
        int i = order[o];
        if (!p[i].have_paper && !p[i].have_operation)
            continue;
        double mx = sx(f, p[i].servers), my = label_anchor_y(f, &p[i]);
        double w = LABEL_CHAR_W * (double)strlen(p[i].label), h = LABEL_LINE_H;
        /* Box bottoms (baseline + descent) for a text centred on my. */
        double mid = my + 4 + LABEL_DESCENT;
        const qr_html_label_box near[] = {
            { mx + MARKER_R + 3, mid, w, h },                   /* right */
            { mx - MARKER_R - 3 - w, mid, w, h },               /* left  */
            { mx - w / 2, my - MARKER_R - 2, w, h },            /* above */
            { mx - w / 2, my + MARKER_R + 2 + h, w, h },        /* below */
        };
        qr_html_label_box b = near[0];
        int best = -1; /* leader crossings of the place taken, -1: none */
        for (int c = 0; c < 4 + 3 * (4 * n + 8) && best != 0; c++) {
            qr_html_label_box cand;
            bool moved = c >= 4;
            if (!moved) {
                cand = near[c];
            } else { /* right, left, centred; down and up a line more */
                int step = (c - 4) / 3 + 1, side = (c - 4) % 3;
                double dy = LABEL_LINE_H * ((step + 1) / 2) * (step % 2 ? 1 : -1);
                if (side == 2 && fabs(dy) < 2 * LABEL_LINE_H)
                    continue; /* centred: clear of the marker */
                cand = side < 2 ? near[side] : (qr_html_label_box){ mx - w / 2, mid, w, h };
                cand.y += dy;
            }
            if (!label_fits(f, &cand, obstacles, n_obstacles, placed, n_placed))
                continue;
            bool crossed = false; /* by an earlier leader */
            for (int q = 0; q < o && !crossed; q++) {
                int j = order[q];
                crossed = lead[j] && segment_crossings(&leader[j], sx(f, p[j].servers),
                                                       label_anchor_y(f, &p[j]), &cand, 1) > 0;
            }
            if (crossed)
                continue;
            segment s = leader_of(&cand, mx, my);
            int cost = moved ? segment_crossings(&s, mx, my, placed, n_placed) +
                                   segment_crossings(&s, mx, my, obstacles, n_markers)
                             : 0;
            if (best < 0 || cost < best) {
                best = cost;
                b = cand;
                lead[i] = moved;
                leader[i] = s;
            }
        }
        boxes[i] = b;
        placed[n_placed++] = b;
        total += best > 0 ? best : 0;
    }
    free(placed);
    return total;
}

void qr_html_scatter(FILE *out, const qr_html_point *p, int n, const char *title)
{
    qr_html_scatter_target(out, p, n, title, 0);
}

void qr_html_scatter_target(FILE *out, const qr_html_point *p, int n, const char *title,
                            double target)
{
    scatter_frame fr = { .W = 680, .H = 360, .L = 70, .R = 190, .T = 30, .B = 50 };
    scatter_frame *f = &fr;
    f->pw = f->W - f->L - f->R;
    f->ph = f->H - f->T - f->B;
    bool have_target = target > 0 && target < 1;
    double target_min = have_target ? (1 - target) * (SIM_SECONDS_PER_YEAR / 60.0) : 0;
    svg_open(out, f->W, f->H, title);
    int xmin = 0, xmax = 1;
    double ymin = 1e300, ymax = 0;
    bool any = false;
    for (int i = 0; i < n; i++) {
        if (!any || p[i].servers < xmin)
            xmin = p[i].servers;
        if (!any || p[i].servers > xmax)
            xmax = p[i].servers;
        any = true;
        double v[3] = { p[i].have_paper ? clamp_floor(p[i].paper) : NAN,
                        p[i].have_operation ? clamp_floor(p[i].operation) : NAN,
                        have_target ? clamp_floor(target_min) : NAN };
        for (int k = 0; k < 3; k++)
            if (!isnan(v[k])) {
                ymin = v[k] < ymin ? v[k] : ymin;
                ymax = v[k] > ymax ? v[k] : ymax;
            }
    }
    if (!(ymax > 0)) {
        ymin = FLOOR_MIN;
        ymax = 1;
    }
    f->xmin = xmin > 0 ? xmin - 1 : 0;
    f->xmax = xmax + 1;
    f->d0 = (int)floor(log10(ymin) + 1e-9);
    f->d1 = (int)ceil(log10(ymax) - 1e-9);
    if (f->d1 <= f->d0)
        f->d1 = f->d0 + 1;
    const int L = f->L, T = f->T, pw = f->pw, ph = f->ph;
    for (int d = f->d0; d <= f->d1; d++) {
        double y = T + ph - ph * (double)(d - f->d0) / (f->d1 - f->d0);
        fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", L, y,
                L + pw, y);
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", L - 4, y + 4,
                pow(10, d));
    }
    int xstep = (f->xmax - f->xmin + 9) / 10;
    if (xstep < 1)
        xstep = 1;
    for (int x = f->xmin; x <= f->xmax; x += xstep)
        fprintf(out,
                "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
                sx(f, x), T + ph, sx(f, x), T + ph + 4, sx(f, x), T + ph + 16, x);
    fprintf(out,
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
            "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
            L, T, L, T + ph, L, T + ph, L + pw, T + ph);
    fprintf(out,
            "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">full Windows "
            "servers</text>\n<text class=\"label\" x=\"16\" y=\"%d\" text-anchor=\"middle\" "
            "transform=\"rotate(-90 16 %d)\">downtime, min/yr (log)</text>\n",
            L + pw / 2, f->H - 12, T + ph / 2, T + ph / 2);
    if (have_target)
        fprintf(out,
                "<line class=\"target\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"><title>target "
                "%.10g%%: at most %.1f min/yr</title></line>\n",
                L, sy(f, target_min), L + pw, sy(f, target_min), 100 * target, target_min);
    for (int i = 0; i < n; i++) {
        double x = sx(f, p[i].servers);
        if (p[i].have_paper && p[i].have_operation)
            fprintf(out, "<line class=\"gap\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                    x, sy(f, p[i].paper), x, sy(f, p[i].operation));
        if (p[i].have_paper) {
            fprintf(out, "<circle class=\"paper\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>", x,
                    sy(f, p[i].paper));
            qr_html_escape(out, p[i].label);
            fprintf(out, ": %.2f min/yr on paper</title></circle>\n", p[i].paper);
        }
        if (p[i].have_operation) {
            fprintf(out, "<circle class=\"operation\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>",
                    x, sy(f, p[i].operation));
            qr_html_escape(out, p[i].label);
            fprintf(out, ": %.2f min/yr in operation</title></circle>\n", p[i].operation);
        }
    }
    /* The legend, at the right of the plot: its rows are obstacles too. */
    int lx = L + pw + 20, rows = have_target ? 5 : 4;
    /* Obstacles: every marker (with a pixel to spare) and the legend. */
    qr_html_label_box *obstacles = malloc(sizeof(*obstacles) * (size_t)(2 * n + 2));
    qr_html_label_box *boxes = malloc(sizeof(*boxes) * (size_t)(n > 0 ? n : 1));
    bool *lead = malloc(sizeof(*lead) * (size_t)(n > 0 ? n : 1));
    segment *leader = malloc(sizeof(*leader) * (size_t)(n > 0 ? n : 1));
    size_t nn = (size_t)(n > 0 ? n : 1);
    qr_html_label_box *boxes2 = malloc(sizeof(*boxes2) * nn);
    bool *lead2 = malloc(sizeof(*lead2) * nn);
    segment *leader2 = malloc(sizeof(*leader2) * nn);
    int *order = calloc(nn, sizeof(*order));
    if (obstacles && boxes && lead && leader && boxes2 && lead2 && leader2 && order) {
        int m = 0;
        const double r = MARKER_R + 1;
        for (int i = 0; i < n; i++) {
            double x = sx(f, p[i].servers);
            if (p[i].have_paper)
                obstacles[m++] = (qr_html_label_box){ x - r, sy(f, p[i].paper) + r, 2 * r, 2 * r };
            if (p[i].have_operation)
                obstacles[m++] =
                    (qr_html_label_box){ x - r, sy(f, p[i].operation) + r, 2 * r, 2 * r };
        }
        int n_markers = m;
        obstacles[m++] = (qr_html_label_box){ lx - 8, T + 20.0 * rows, (double)f->W - lx + 8,
                                              20.0 * rows + 6 };
        if (have_target) /* no label across the target's line */
            obstacles[m++] = (qr_html_label_box){ L, sy(f, target_min) + 2, pw, 4 };
        /* In the given order; then, when some leader crosses a label or a
         * marker, once more with the designs that needed a leader first
         * (they had the least room): the better of the two. */
        for (int i = 0; i < n; i++)
            order[i] = i;
        int cost = place_labels(f, p, n, order, obstacles, m, n_markers, boxes, lead, leader);
        if (cost > 0) {
            int k = 0;
            for (int i = 0; i < n; i++)
                if (lead[i])
                    order[k++] = i;
            for (int i = 0; i < n; i++)
                if (!lead[i])
                    order[k++] = i;
            int again = place_labels(f, p, n, order, obstacles, m, n_markers, boxes2, lead2,
                                     leader2);
            if (again >= 0 && again < cost) {
                memcpy(boxes, boxes2, sizeof(*boxes) * (size_t)n);
                memcpy(lead, lead2, sizeof(*lead) * (size_t)n);
                memcpy(leader, leader2, sizeof(*leader) * (size_t)n);
            }
        }
        /* Leaders first: every label is drawn over them. */
        for (int i = 0; i < n && cost >= 0; i++)
            if (boxes[i].w > 0 && lead[i])
                fprintf(out,
                        "<line class=\"leader\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                        leader[i].x1, leader[i].y1, leader[i].x2, leader[i].y2);
        for (int i = 0; i < n; i++) {
            if (boxes[i].w <= 0)
                continue;
            double base = boxes[i].y - LABEL_DESCENT;
            fprintf(out, "<text class=\"point\" x=\"%.1f\" y=\"%.1f\">", boxes[i].x, base);
            qr_html_escape(out, p[i].label);
            fputs("</text>\n", out);
        }
    }
    free(obstacles);
    free(boxes);
    free(lead);
    free(leader);
    free(boxes2);
    free(lead2);
    free(leader2);
    free(order);
    fprintf(out,
            "<circle class=\"paper\" cx=\"%d\" cy=\"%d\" r=\"5\"/><text x=\"%d\" y=\"%d\">paper "
            "(exact, M9), hollow</text>\n"
            "<circle class=\"operation\" cx=\"%d\" cy=\"%d\" r=\"5\"/><text x=\"%d\" "
            "y=\"%d\">operation (simulated), filled</text>\n"
            "<line class=\"gap\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/><text x=\"%d\" "
            "y=\"%d\">gap: paper to operation</text>\n",
            lx, T + 10, lx + 10, T + 14, lx, T + 30, lx + 10, T + 34, lx, T + 44, lx, T + 56,
            lx + 10, T + 54);
    int ly = T + 74;
    if (have_target) {
        fprintf(out,
                "<line class=\"target\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/><text x=\"%d\" "
                "y=\"%d\">target %.10g%%<title>at most %.1f min/yr</title></text>\n",
                lx - 6, ly - 4, lx + 6, ly - 4, lx + 10, ly, 100 * target, target_min);
        ly += 20;
    }
    fprintf(out, "<text class=\"note\" x=\"%d\" y=\"%d\">below %g drawn at %g</text>\n", lx, ly,
            FLOOR_MIN, FLOOR_MIN);
    fputs("</svg>\n", out);
}
