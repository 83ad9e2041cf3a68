/*
 * report_sensitivity.c: the text report of `quorate sensitivity`
 * (report_sensitivity.h; docs/sensitivity.md explains every line): the
 * uncertain parameters, how sure the recommendation is (each design's
 * probability of being the best), the downtime and availability
 * percentiles of each design's worst feature and pool, and the top of each
 * design's tornado, then the assumptions footer every report ends with.
 */
#include "out/report_sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out/report_assumptions.h"
#include "out/report_stats.h"

/* A bar of `width` '#' for a fraction p of 1. */
static void bar(FILE *out, double p, int width)
{
    int n = (int)lround(p * width);
    for (int k = 0; k < width; k++)
        fputc(k < n ? '#' : '.', out);
}

static void header(FILE *out, const qr_sens_report *p)
{
    const qr_sens_result *r = p->r;
    fprintf(out,
            "quorate sensitivity: %d design%s, %d uncertain parameter%s, %d parameter set%s "
            "(Latin hypercube), %d run%s x %g years per design and set, seed %llu\n",
            r->n_designs, r->n_designs == 1 ? "" : "s", r->n_params, r->n_params == 1 ? "" : "s",
            r->sets, r->sets == 1 ? "" : "s", r->runs, r->runs == 1 ? "" : "s", r->years,
            (unsigned long long)r->seed);
    fprintf(out,
            "%ld simulations, every one on the same random streams (common random numbers: "
            "docs/sensitivity.md)\n",
            r->simulations);
}

static void parameters(FILE *out, const qr_sens_result *r)
{
    char a[48], b[48], c[48], text[96];
    fputs("\nuncertain parameters, each drawn on its own (independent of the others); plain "
          "runs use the median:\n",
          out);
    fprintf(out, "  %-32s %-40s %9s %9s %9s\n", "parameter", "distribution", "5%", "median",
            "95%");
    for (int k = 0; k < r->n_params; k++) {
        const qr_uncertain *u = &r->params[k];
        fprintf(out, "  %-32s %-40s %9s %9s %9s\n", u->key, qr_uncertain_text(u, text, sizeof(text)),
                qr_uncertain_value_text(u, qr_uncertain_quantile(u, QR_SENS_LOW_Q), a, sizeof(a)),
                qr_uncertain_value_text(u, qr_uncertain_point(u), b, sizeof(b)),
                qr_uncertain_value_text(u, qr_uncertain_quantile(u, QR_SENS_HIGH_Q), c,
                                        sizeof(c)));
    }
}

static void best(FILE *out, const qr_sens_result *r, const int *order)
{
    fprintf(out,
            "\nhow sure is the recommendation? the probability that each design is the best "
            "(its worst feature loses the\nleast downtime) over the %d sampled sets of "
            "assumptions; a set whose best designs are not distinguishable\n(paired 95%% CI of "
            "the difference contains 0) is shared equally between them:\n",
            r->sets);
    for (int k = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        if (!d->simulated) {
            fprintf(out, "  %-24s not simulated: %s\n", d->label, d->reason);
            continue;
        }
        fprintf(out, "  %-24s %6.1f%%  ", d->label, 100 * d->p_best);
        bar(out, d->p_best, 30);
        fprintf(out, "  best alone in %d, tied in %d of %d sets\n", d->best_alone, d->best_tied,
                r->sets);
    }
}

static void pct_row(FILE *out, const qr_sens_design *d, int c, bool first)
{
    char name[64], buf[64];
    snprintf(name, sizeof(name), "%s%s", d->feature_names[c],
             c == d->worst && c < d->n_features ? " (worst)" : "");
    fprintf(out, "  %-24s %-28s", first ? d->label : "", name);
    const qr_sens_pct *x = &d->downtime_pct[c], *av = &d->availability_pct[c];
    fprintf(out, "%8.1f %8.1f %8.1f %8.1f %7.1f   ", x->p5, x->p50, x->p95, d->point[c],
            d->noise[c]);
    snprintf(buf, sizeof(buf), "%.5f%% .. %.5f%%", 100 * av->p5, 100 * av->p95);
    fprintf(out, "%s\n", buf);
}

static void percentiles(FILE *out, const qr_sens_result *r, const int *order)
{
    fputs("\ndowntime across the sampled sets, min/yr: 5th, 50th and 95th percentiles, the "
          "value at the point values,\nand the simulation noise, the mean 95% CI half-width of "
          "one set's mean (every set runs on the same\nstreams, so the percentiles move "
          "together by about that much); availability from its 5th to 95th percentile:\n",
          out);
    fprintf(out, "  %-24s %-28s%8s %8s %8s %8s %7s   %s\n", "design", "feature", "5%", "50%",
            "95%", "point", "noise", "availability 5% .. 95%");
    for (int k = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        if (!d->simulated)
            continue;
        pct_row(out, d, d->worst, true);
        if (d->worst != d->n_features)
            pct_row(out, d, d->n_features, false);
    }
    fputs("  (every feature is in the JSON and CSV reports)\n", out);
}

static void tornado(FILE *out, const qr_sens_result *r, const int *order)
{
    char a[48], b[48];
    fprintf(out,
            "\ntornado: what moves each design's worst feature most, one parameter at a time "
            "from its 5th to its 95th\npercentile, the others at their point values, on the "
            "same random streams, min/yr: the swing with its\npaired 95%% CI (\"noise\" when "
            "it contains 0, \"no effect\" when no replication changed at all);\nrho: "
            "Spearman's rank correlation of the parameter with that downtime over the %d "
            "sets (from %d sets on):\n",
            r->sets, QR_SENS_MIN_SETS_RHO);
    for (int k = 0; k < r->n_designs; k++) {
        const qr_sens_design *d = &r->designs[order[k]];
        if (!d->simulated)
            continue;
        fprintf(out, "  %s: %s, %.1f min/yr at the point values\n", d->label,
                d->feature_names[d->worst], d->point[d->worst]);
        int shown = r->n_params < QR_SENS_TEXT_BARS ? r->n_params : QR_SENS_TEXT_BARS;
        for (int i = 0; i < shown; i++) {
            const qr_sens_bar *x = &d->bars[i];
            char range[112], move[64], swing[96], rho[16];
            const qr_uncertain *u = &r->params[x->param];
            snprintf(range, sizeof(range), "%s -> %s",
                     qr_uncertain_value_text(u, x->low_value, a, sizeof(a)),
                     qr_uncertain_value_text(u, x->high_value, b, sizeof(b)));
            snprintf(move, sizeof(move), "%.1f -> %.1f", x->at_low, x->at_high);
            const char *verdict = qr_sens_bar_verdict(x);
            snprintf(swing, sizeof(swing), "%+.1f [%+.1f, %+.1f]%s%s", x->swing, x->swing_low,
                     x->swing_high, *verdict ? " " : "", verdict);
            if (isnan(x->rank_correlation))
                snprintf(rho, sizeof(rho), "-");
            else
                snprintf(rho, sizeof(rho), "%+.2f", x->rank_correlation);
            fprintf(out, "    %-32s %-20s %-18s %-32s rho %s\n", r->params[x->param].key, range,
                    move, swing, rho);
        }
        if (r->n_params > shown)
            fprintf(out, "    (%d more, each moving it %.1f min/yr or less)\n",
                    r->n_params - shown, fabs(d->bars[shown].swing));
    }
}

void qr_report_sensitivity_text(FILE *out, const qr_sens_report *p)
{
    const qr_sens_result *r = p->r;
    int *order = malloc(sizeof(int) * (size_t)(r->n_designs > 0 ? r->n_designs : 1));
    if (!order) {
        fputs("(out of memory)\n", out);
        return;
    }
    qr_sens_order_by_best(r, order);
    header(out, p);
    parameters(out, r);
    best(out, r, order);
    percentiles(out, r, order);
    tornado(out, r, order);
    for (int k = 0; k < p->n_skipped; k++)
        fprintf(out, "\nnot analysed: %s (%s)\n", p->skipped[k], p->skipped_reason[k]);
    qr_report_assumptions_compare_text(out, p->lists, p->labels, r->n_designs);
    free(order);
}
