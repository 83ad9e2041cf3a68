/*
 * html_sensitivity.c: the --html page of `quorate sensitivity`
 * (report_sensitivity.h): the page head of html_report.c, then sections
 * with fixed ids: best (the probability of being the best, as a bar
 * chart), parameters, percentiles, tornado (one SVG tornado per design,
 * tornado-N for the N-th design in order of that probability) and
 * assumptions (html_assumptions.h). Inline SVG with fixed sizes, no
 * script, no external reference; numbers printed with a fixed precision,
 * so the same result gives the same bytes. Text from files is escaped.
 */
#include "out/report_sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out/html_assumptions.h"
#include "out/html_charts.h"
#include "out/html_report.h"
#include "out/html_util.h"

#define LOW_COLOUR "#4c78a8"  /* a parameter at its 5th percentile   */
#define HIGH_COLOUR "#e45756" /* at its 95th                          */
#define BEST_COLOUR "#4c78a8"
#define TIED_COLOUR "#9ecae9"

static void svg_open(FILE *out, int w, int h, const char *title)
{
    fprintf(out,
            "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
            "role=\"img\" aria-label=\"",
            w, h, w, h);
    qr_html_escape(out, title);
    fputs("\">\n<title>", out);
    qr_html_escape(out, title);
    fprintf(out, "</title>\n<text x=\"%d\" y=\"16\" class=\"ctitle\" text-anchor=\"middle\">",
            w / 2);
    qr_html_escape(out, title);
    fputs("</text>\n", out);
}

/* The probability of being the best: one bar per design, the share of the
 * sets it is best in alone, then the shares of the sets it ties in. */
static void best_chart(FILE *out, const qr_sens_result *r, const int *order)
{
    const int W = 720, L = 200, R = 110, T = 30, ROW = 24;
    int rows = 0;
    for (int k = 0; k < r->n_designs; k++)
        rows += r->designs[order[k]].simulated;
    int H = T + ROW * rows + 34, pw = W - L - R;
    svg_open(out, W, H, "probability of being the best design");
    for (int t = 0; t <= 4; t++) {
        double x = L + pw * t / 4.0;
        fprintf(out,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d%%</text>\n",
                x, T, x, T + ROW * rows, x, T + ROW * rows + 14, 25 * t);
    }
    int row = 0;
    for (int k = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        if (!d->simulated)
            continue;
        double y = T + ROW * row++ + 4, alone = (double)d->best_alone / r->sets;
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", L - 6, y + 12);
        qr_html_escape(out, d->label);
        fputs("</text>\n", out);
        fprintf(out,
                "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                "<title>best alone in %d of %d sets</title></rect>\n",
                L, y, pw * alone, BEST_COLOUR, d->best_alone, r->sets);
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                "<title>its shares of the %d sets it ties in</title></rect>\n",
                L + pw * alone, y, pw * (d->p_best - alone > 0 ? d->p_best - alone : 0),
                TIED_COLOUR, d->best_tied);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%.1f%%</text>\n", L + pw * d->p_best + 6,
                y + 12, 100 * d->p_best);
    }
    fprintf(out,
            "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" "
            "y=\"%d\">best alone</text><rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
            "fill=\"%s\"/><text x=\"%d\" y=\"%d\">shares of tied sets</text>\n",
            L, H - 12, BEST_COLOUR, L + 14, H - 3, L + 110, H - 12, TIED_COLOUR, L + 124, H - 3);
    fputs("</svg>\n", out);
}

/* A design's tornado: every parameter's bar from the baseline (the point
 * values) to its downtime at the 5th and at the 95th percentile. */
static void tornado_chart(FILE *out, const qr_sens_result *r, const qr_sens_design *d)
{
    const int W = 800, L = 230, R = 120, T = 30, ROW = 20;
    int H = T + ROW * r->n_params + 64, pw = W - L - R;
    double base = d->point[d->worst], lo = base, hi = base;
    for (int k = 0; k < r->n_params; k++) {
        lo = fmin(lo, fmin(d->bars[k].at_low, d->bars[k].at_high));
        hi = fmax(hi, fmax(d->bars[k].at_low, d->bars[k].at_high));
    }
    if (!(hi > lo)) {
        lo = base - 1;
        hi = base + 1;
    }
    /* The axis from a multiple of a nice step below to one above. */
    double step = qr_html_nice_step((hi - lo) / 5);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
    if (lo < 0)
        lo = 0;
#define SX(v) (L + pw * ((v) - lo) / (hi - lo))
    char title[256];
    snprintf(title, sizeof(title), "%s: %s downtime, min/yr", d->label,
             d->feature_names[d->worst]);
    svg_open(out, W, H, title);
    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    for (double v = lo; v <= hi + step / 2; v += step) {
        fprintf(out,
                "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.*f</text>\n",
                SX(v), T, SX(v), T + ROW * r->n_params, SX(v), T + ROW * r->n_params + 14,
                decimals, v);
    }
    char a[48], b[48];
    for (int k = 0; k < r->n_params; k++) {
        const qr_sens_bar *x = &d->bars[k];
        double y = T + ROW * k + 3;
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", L - 6, y + 11);
        qr_html_escape(out, r->params[x->param].key);
        fputs("</text>\n", out);
        const double ends[2] = { x->at_low, x->at_high };
        const double values[2] = { x->low_value, x->high_value };
        for (int e = 0; e < 2; e++) {
            double x0 = SX(fmin(base, ends[e])), x1 = SX(fmax(base, ends[e]));
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"%s\" "
                    "fill-opacity=\"0.85\"><title>",
                    x0, y, x1 - x0, e ? HIGH_COLOUR : LOW_COLOUR);
            qr_html_escape(out, r->params[x->param].key);
            fprintf(out, " at %s: %.2f min/yr</title></rect>\n",
                    qr_uncertain_value_text(&r->params[x->param], values[e], e ? b : a,
                                            sizeof(a)),
                    ends[e]);
        }
        const char *verdict = qr_sens_bar_verdict(x);
        fprintf(out, "<text class=\"note\" x=\"%d\" y=\"%.1f\">%+.1f%s%s%s</text>\n",
                L + pw + 6, y + 11, x->swing, *verdict ? " (" : "", verdict, *verdict ? ")" : "");
    }
    fprintf(out,
            "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n"
            "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" "
            "y=\"%d\">at the 5th percentile</text><rect x=\"%d\" y=\"%d\" width=\"10\" "
            "height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">at the 95th percentile</text>\n"
            "<text class=\"note\" x=\"%d\" y=\"%d\">the line: %.2f min/yr at the point values; "
            "at the right: the swing, 95th minus 5th</text>\n",
            SX(base), T - 4, SX(base), T + ROW * r->n_params, L, H - 28, LOW_COLOUR, L + 14,
            H - 19, L + 160, H - 28, HIGH_COLOUR, L + 174, H - 19, L, H - 4, base);
#undef SX
    fputs("</svg>\n", out);
}

static void parameters_table(FILE *out, const qr_sens_result *r)
{
    char a[48], b[48], c[48], text[96];
    fputs("<section id=\"parameters\">\n<h2>Uncertain parameters</h2>\n<table>\n<thead><tr>"
          "<th>parameter</th><th>distribution</th><th>5%</th><th>median (point value)</th>"
          "<th>95%</th><th>line</th></tr></thead>\n<tbody>\n",
          out);
    for (int k = 0; k < r->n_params; k++) {
        const qr_uncertain *u = &r->params[k];
        fputs("<tr><td>", out);
        qr_html_escape(out, u->key);
        fputs("</td><td>", out);
        qr_html_escape(out, qr_uncertain_text(u, text, sizeof(text)));
        fprintf(out,
                "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td "
                "class=\"num\">%s</td><td class=\"num\">%d</td></tr>\n",
                qr_uncertain_value_text(u, qr_uncertain_quantile(u, QR_SENS_LOW_Q), a, sizeof(a)),
                qr_uncertain_value_text(u, qr_uncertain_point(u), b, sizeof(b)),
                qr_uncertain_value_text(u, qr_uncertain_quantile(u, QR_SENS_HIGH_Q), c,
                                        sizeof(c)),
                u->loc.line);
    }
    fputs("</tbody></table>\n<p class=\"note\">Each parameter is drawn on its own, independent "
          "of the others. A plain run (simulate, compare) uses the median.</p>\n</section>\n",
          out);
}

static void percentiles_table(FILE *out, const qr_sens_result *r, const int *order)
{
    fputs("<section id=\"percentiles\">\n<h2>Downtime and availability across the sampled "
          "sets</h2>\n<table>\n<thead><tr><th>design</th><th>feature</th><th>downtime 5%</th>"
          "<th>50%</th><th>95%</th><th>at the point values</th><th>noise</th>"
          "<th>availability 5%</th><th>50%</th><th>95%</th></tr></thead>\n<tbody>\n",
          out);
    for (int k = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        for (int c = 0; d->simulated && c <= d->n_features; c++) {
            fputs("<tr><td>", out);
            qr_html_escape(out, d->label);
            fputs("</td><td>", out);
            qr_html_escape(out, d->feature_names[c]);
            fprintf(out,
                    "%s</td><td class=\"num\">%.1f</td><td class=\"num\">%.1f</td><td "
                    "class=\"num\">%.1f</td><td class=\"num\">%.1f</td><td "
                    "class=\"num\">%.1f</td><td class=\"num\">%.5f%%</td><td "
                    "class=\"num\">%.5f%%</td><td class=\"num\">%.5f%%</td></tr>\n",
                    c == d->worst ? " (worst)" : "", d->downtime_pct[c].p5,
                    d->downtime_pct[c].p50, d->downtime_pct[c].p95, d->point[c], d->noise[c],
                    100 * d->availability_pct[c].p5, 100 * d->availability_pct[c].p50,
                    100 * d->availability_pct[c].p95);
        }
    }
    fputs("</tbody></table>\n<p class=\"note\">Downtime in minutes a year. Percentiles of the "
          "sets' means (linear interpolation between order statistics). Noise: the mean 95% "
          "confidence half-width of one set's mean; every set runs on the same random streams, "
          "so the percentiles move together by about that much.</p>\n</section>\n",
          out);
}

int qr_html_sensitivity(FILE *out, const qr_sens_report *p)
{
    const qr_sens_result *r = p->r;
    int *order = malloc(sizeof(int) * (size_t)(r->n_designs > 0 ? r->n_designs : 1));
    if (!order)
        return -1;
    qr_sens_order_by_best(r, order);
    char title[96];
    snprintf(title, sizeof(title), "quorate sensitivity: %d design%s, %d uncertain parameter%s",
             r->n_designs, r->n_designs == 1 ? "" : "s", r->n_params,
             r->n_params == 1 ? "" : "s");
    qr_html_page_head(out, title);
    fprintf(out,
            "<p class=\"params\">%d parameter sets drawn by Latin hypercube; every design "
            "simulated on every set, %d runs x %g years each, seed %llu, on the same random "
            "streams (common random numbers); %ld simulations.</p>\n",
            r->sets, r->runs, r->years, (unsigned long long)r->seed, r->simulations);
    fputs("<section id=\"best\">\n<h2>How sure is the recommendation?</h2>\n", out);
    best_chart(out, r, order);
    fputs("<p class=\"note\">The share of the sampled sets of assumptions in which each design "
          "is the best: its worst feature loses the least downtime. A set in which several "
          "designs are not distinguishable from the best (the paired 95% confidence interval of "
          "the difference contains 0) is shared equally between them.</p>\n",
          out);
    for (int k = 0; k < r->n_designs; k++)
        if (!r->designs[order[k]].simulated) {
            fputs("<p class=\"note\">Not simulated: ", out);
            qr_html_escape(out, r->designs[order[k]].label);
            fputs(": ", out);
            qr_html_escape(out, r->designs[order[k]].reason);
            fputs("</p>\n", out);
        }
    fputs("</section>\n", out);
    parameters_table(out, r);
    percentiles_table(out, r, order);
    fputs("<section id=\"tornado\">\n<h2>What moves each design's worst feature</h2>\n"
          "<p class=\"note\">One parameter at a time at its 5th and at its 95th percentile, "
          "every other at its point value, on the same random streams; the swing is marked "
          "noise when its paired 95% confidence interval contains 0, no effect when no "
          "replication changed at all.</p>\n",
          out);
    for (int k = 0, shown = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        if (!d->simulated)
            continue;
        fprintf(out, "<div id=\"tornado-%d\">\n", ++shown);
        tornado_chart(out, r, d);
        fputs("</div>\n", out);
    }
    fputs("</section>\n", out);
    qr_html_assumptions(out, p->lists, p->labels, r->n_designs, order);
    fputs("<p class=\"note\">Written by quorate (docs/sensitivity.md).</p>\n</body>\n</html>\n",
          out);
    free(order);
    return 0;
}
