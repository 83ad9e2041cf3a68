/*
 * sensitivity.c: the sensitivity analysis of sensitivity.h: the Latin
 * hypercube of parameter sets, the simulations (point values, every set,
 * one parameter at a time at its 5th and 95th percentiles), and their
 * reduction into percentiles, probabilities of being the best and
 * tornadoes.
 *
 * Every simulation of every design uses the same seed, so replication i
 * runs on the same random streams (keyed by component kind and name,
 * sim/engine.c) in every set and every design: differences between sets
 * and between designs are not drowned by luck, and the per-replication
 * differences give paired confidence intervals (compare/paired.h). A set's
 * values reach a design through the one function that applies an
 * assumptions file (qr_assumptions_apply) on a working copy of the file
 * whose uncertain values are replaced.
 */
#include "compare/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare/labels.h"
#include "compare/lhs.h"
#include "compare/paired.h"
#include "compare/scorecard.h"
#include "sim/measures.h"
#include "sim/rng.h"
#include "sim/runner.h"

/* Per-replication downtime, min/yr, of every feature and the pool:
 * runs x n_cols, collected through sim_run_options.on_reps. */
typedef struct {
    int     n_cols, runs;
    double *x;
} rep_table;

static void collect(const sim_rep *reps, int n, int first, void *ctx)
{
    rep_table *t = ctx;
    for (int i = 0; i < n; i++) {
        int row = first + i;
        if (row >= t->runs)
            continue;
        for (int c = 0; c < t->n_cols; c++) {
            double v = 0;
            if (c < reps[i].n && reps[i].horizon > 0)
                v = reps[i].f[c].down_time / reps[i].horizon * QR_MINUTES_PER_YEAR;
            t->x[(size_t)row * (size_t)t->n_cols + (size_t)c] = v;
        }
    }
}

/* Everything one analysis run shares. */
typedef struct {
    const qr_sens_options *o;
    qr_assumptions         work;   /* a's copy: its strings are a's, never  */
                                   /*   freed here; only numbers change;    */
                                   /*   its ccf and latent arrays are its   */
                                   /*   own copies (their members, names    */
                                   /*   and features still a's), so a set's */
                                   /*   factors and rates never reach a     */
    rep_table              reps;   /* the last simulation's replications    */
    long                   done, planned;
    char                  *err;
    size_t                 errlen;
} run_state;

/* Simulate t as it is now into *s and st->reps. 0, -1 (err set), -2 the
 * design is not supported (err says why). */
static int simulate(run_state *st, const qr_topology *t, sim_summary *s)
{
    sim_run_options ro;
    memset(&ro, 0, sizeof(ro));
    ro.years = st->o->years;
    ro.runs = st->o->runs;
    ro.seed = st->o->seed;
    ro.threads = st->o->threads;
    ro.split = st->o->split;
    ro.on_reps = collect;
    ro.on_reps_ctx = &st->reps;
    st->reps.n_cols = t->n_features + 1;
    int rc = sim_run(t, &ro, s, NULL, st->err, st->errlen);
    if (rc == 0) {
        st->done++;
        if (st->o->progress)
            st->o->progress(st->done, st->planned, st->o->progress_ctx);
    }
    return rc;
}

/* The working copy with every uncertain value at its point value. */
static void at_point(run_state *st)
{
    for (int k = 0; k < st->work.n_uncertain; k++)
        qr_assumptions_set_uncertain(&st->work, k, qr_uncertain_point(&st->work.uncertain[k]));
}

/* The feature (not the pool) with the most of v[0..n_features], the first
 * of equals; the pool when there is none. */
static int worst_of(const double *v, int n_features)
{
    int w = n_features;
    for (int k = 0; k < n_features; k++)
        if (w == n_features || v[k] > v[w])
            w = k;
    return w;
}

int qr_sens_worst_in_set(const qr_sens_design *d, int s)
{
    return worst_of(&d->downtime[(size_t)s * (size_t)(d->n_features + 1)], d->n_features);
}

const char *qr_sens_bar_verdict(const qr_sens_bar *b)
{
    if (b->swing == 0 && b->swing_low == 0 && b->swing_high == 0)
        return "no effect";
    return b->swing_low <= 0 && b->swing_high >= 0 ? "noise" : "";
}

void qr_sens_order_by_best(const qr_sens_result *r, int *order)
{
    /* Insertion sort: stable, and n is a handful of designs. Probabilities
     * within 1e-9 are equal: sums of the same shares in another order
     * differ in their last bits. */
    for (int i = 0; i < r->n_designs; i++) {
        int j = i;
        const qr_sens_design *d = &r->designs[i];
        double key = d->simulated ? d->p_best : -1;
        while (j > 0) {
            const qr_sens_design *e = &r->designs[order[j - 1]];
            if ((e->simulated ? e->p_best : -1) >= key - 1e-9)
                break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

long qr_sensitivity_planned(int n, int sets, int n_params)
{
    return (long)n * (1L + sets + 2L * n_params);
}

static void *alloc(size_t n, size_t size, bool *oom)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        *oom = true;
    return p;
}

/* Names and arrays of design d for topology t. */
static int design_init(qr_sens_design *d, const qr_topology *t, int sets, int n_params)
{
    bool oom = false;
    int cols = t->n_features + 1;
    d->n_features = t->n_features;
    d->name = strdup(t->name ? t->name : "");
    d->file = strdup(t->file ? t->file : "");
    d->label = d->file ? qr_scorecard_label(d->file) : NULL;
    qr_topology_notation(t, d->notation, sizeof(d->notation));
    d->feature_names = alloc((size_t)cols, sizeof(char *), &oom);
    for (int k = 0; d->feature_names && k < cols; k++)
        if (!(d->feature_names[k] = strdup(k < t->n_features ? t->features[k].name : "pool")))
            oom = true;
    d->point = alloc((size_t)cols, sizeof(double), &oom);
    d->point_half_width = alloc((size_t)cols, sizeof(double), &oom);
    d->downtime = alloc((size_t)sets * (size_t)cols, sizeof(double), &oom);
    d->availability = alloc((size_t)sets * (size_t)cols, sizeof(double), &oom);
    d->downtime_pct = alloc((size_t)cols, sizeof(qr_sens_pct), &oom);
    d->availability_pct = alloc((size_t)cols, sizeof(qr_sens_pct), &oom);
    d->noise = alloc((size_t)cols, sizeof(double), &oom);
    d->bars = alloc((size_t)n_params, sizeof(qr_sens_bar), &oom);
    return oom || !d->name || !d->file || !d->label ? -1 : 0;
}

static void design_release(qr_sens_design *d)
{
    free(d->label);
    free(d->name);
    free(d->file);
    if (d->feature_names)
        for (int k = 0; k <= d->n_features; k++)
            free(d->feature_names[k]);
    free(d->feature_names);
    free(d->point);
    free(d->point_half_width);
    free(d->downtime);
    free(d->availability);
    free(d->downtime_pct);
    free(d->availability_pct);
    free(d->noise);
    free(d->bars);
    memset(d, 0, sizeof(*d));
}

void qr_sens_result_release(qr_sens_result *r)
{
    if (!r)
        return;
    for (int i = 0; r->designs && i < r->n_designs; i++)
        design_release(&r->designs[i]);
    free(r->designs);
    free(r->q);
    free(r->values);
    free(r->best);
    memset(r, 0, sizeof(*r));
}

/* Column c of the per-replication table as a series (out: runs). */
static void column(const rep_table *t, int c, double *out)
{
    for (int i = 0; i < t->runs; i++)
        out[i] = t->x[(size_t)i * (size_t)t->n_cols + (size_t)c];
}

/* The sets in which design d is the best or not distinguishable from it
 * (sensitivity.h): series[d] holds the per-replication downtime of each
 * design's worst feature in set s. */
static void best_of_set(qr_sens_result *r, int s, double *const *series, double *crit)
{
    int b = -1;
    for (int d = 0; d < r->n_designs; d++)
        if (r->designs[d].simulated && (b < 0 || crit[d] < crit[b]))
            b = d;
    if (b < 0)
        return;
    unsigned char *row = &r->best[(size_t)s * (size_t)r->n_designs];
    int tied = 0;
    for (int d = 0; d < r->n_designs; d++) {
        if (!r->designs[d].simulated)
            continue;
        qr_paired p = qr_paired_diff(series[d], series[b], r->runs);
        if (d == b || qr_paired_contains_zero(&p)) {
            row[d] = 1;
            tied++;
        }
    }
    for (int d = 0; d < r->n_designs; d++) {
        if (!row[d])
            continue;
        r->designs[d].p_best += 1.0 / tied;
        if (tied == 1)
            r->designs[d].best_alone++;
        else
            r->designs[d].best_tied++;
    }
}

static int cmp_bar(const void *a, const void *b)
{
    const qr_sens_bar *x = a, *y = b;
    double sx = fabs(x->swing), sy = fabs(y->swing);
    if (sx != sy)
        return sx > sy ? -1 : 1;
    return (x->param > y->param) - (x->param < y->param);
}

/* Percentiles of column c of a per-set array (sets x cols) into *p. */
static int percentiles(const double *per_set, int sets, int cols, int c, qr_sens_pct *p,
                       double *scratch)
{
    for (int s = 0; s < sets; s++)
        scratch[s] = per_set[(size_t)s * (size_t)cols + (size_t)c];
    p->p5 = qr_percentile(scratch, sets, 0.05);
    p->p50 = qr_percentile(scratch, sets, 0.50);
    p->p95 = qr_percentile(scratch, sets, 0.95);
    return isnan(p->p5) || isnan(p->p50) || isnan(p->p95) ? -1 : 0;
}

/* The point run and the one-at-a-time runs of design d on t. */
static int tornado(run_state *st, qr_sens_result *r, int di, qr_topology *t, double *lo,
                   double *hi)
{
    qr_sens_design *d = &r->designs[di];
    sim_summary s;
    for (int k = 0; k < r->n_params; k++) {
        qr_sens_bar *bar = &d->bars[k];
        bar->param = k;
        bar->low_value = qr_uncertain_quantile(&r->params[k], QR_SENS_LOW_Q);
        bar->high_value = qr_uncertain_quantile(&r->params[k], QR_SENS_HIGH_Q);
        for (int end = 0; end < 2; end++) {
            at_point(st);
            qr_assumptions_set_uncertain(&st->work, k, end ? bar->high_value : bar->low_value);
            if (qr_assumptions_apply(t, &st->work) != 0 || simulate(st, t, &s) != 0)
                return -1;
            double v = s.f[d->worst].downtime_min_year.mean;
            sim_summary_release(&s);
            column(&st->reps, d->worst, end ? hi : lo);
            if (end)
                bar->at_high = v;
            else
                bar->at_low = v;
        }
        qr_paired p = qr_paired_diff(hi, lo, r->runs);
        bar->swing = bar->at_high - bar->at_low;
        bar->swing_low = p.low;
        bar->swing_high = p.high;
    }
    return 0;
}

/* Percentiles, noise, rank correlations and the tornado's order of design
 * d, once every set has run. */
static int reduce(qr_sens_result *r, qr_sens_design *d, double *scratch, double *y)
{
    int cols = d->n_features + 1;
    for (int c = 0; c < cols; c++) {
        if (percentiles(d->downtime, r->sets, cols, c, &d->downtime_pct[c], scratch) != 0 ||
            percentiles(d->availability, r->sets, cols, c, &d->availability_pct[c], scratch) != 0)
            return -1;
        d->noise[c] /= r->sets;
    }
    for (int s = 0; s < r->sets; s++)
        y[s] = d->downtime[(size_t)s * (size_t)cols + (size_t)d->worst];
    for (int k = 0; k < r->n_params; k++) {
        for (int s = 0; s < r->sets; s++)
            scratch[s] = r->values[(size_t)s * (size_t)r->n_params + (size_t)k];
        d->bars[k].rank_correlation =
            r->sets >= QR_SENS_MIN_SETS_RHO ? qr_spearman(scratch, y, r->sets) : NAN;
    }
    qsort(d->bars, (size_t)r->n_params, sizeof(*d->bars), cmp_bar);
    d->p_best /= r->sets; /* the shares of best_of_set(), one set each */
    return 0;
}

int qr_sensitivity_run(qr_topology *const *topologies, int n, const qr_assumptions *a,
                       const qr_sens_options *o, qr_sens_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    run_state st;
    memset(&st, 0, sizeof(st));
    st.o = o;
    st.err = err;
    st.errlen = errlen;
    st.work = *a;
    st.planned = qr_sensitivity_planned(n, o->sets, a->n_uncertain);
    out->sets = o->sets;
    out->runs = o->runs;
    out->years = o->years;
    out->seed = o->seed;
    out->n_params = a->n_uncertain;
    out->n_designs = n;
    memcpy(out->params, a->uncertain, sizeof(out->params));

    if (o->sets < 1 || o->runs < 2 || a->n_uncertain < 1) {
        snprintf(err, errlen, "need at least one parameter set, two runs and one uncertain value");
        return -1;
    }
    int ret = -1, max_cols = 1;
    double **series = NULL, *crit = NULL, *scratch = NULL, *y = NULL, *lo = NULL, *hi = NULL;
    char ***label_slots = NULL;
    uint64_t keys[QR_UNCERTAIN_MAX];
    sim_summary s;
    bool oom = false;
    for (int i = 0; i < n; i++)
        if (topologies[i]->n_features + 1 > max_cols)
            max_cols = topologies[i]->n_features + 1;
    size_t sets = (size_t)o->sets, np = (size_t)out->n_params;
    out->designs = alloc((size_t)n, sizeof(*out->designs), &oom);
    out->q = alloc(sets * np, sizeof(double), &oom);
    out->values = alloc(sets * np, sizeof(double), &oom);
    out->best = alloc(sets * (size_t)n, 1, &oom);
    st.reps.runs = o->runs;
    st.reps.x = alloc((size_t)o->runs * (size_t)max_cols, sizeof(double), &oom);
    series = alloc((size_t)n, sizeof(*series), &oom);
    crit = alloc((size_t)n, sizeof(double), &oom);
    scratch = alloc(sets > 3 ? sets : 3, sizeof(double), &oom);
    y = alloc(sets, sizeof(double), &oom);
    lo = alloc((size_t)o->runs, sizeof(double), &oom);
    hi = alloc((size_t)o->runs, sizeof(double), &oom);
    for (int i = 0; series && i < n; i++)
        series[i] = alloc((size_t)o->runs, sizeof(double), &oom);
    /* The groups and faults whose factors and durations a set changes. */
    st.work.ccf = a->n_ccf ? alloc((size_t)a->n_ccf, sizeof(*a->ccf), &oom) : NULL;
    st.work.latent = a->n_latent ? alloc((size_t)a->n_latent, sizeof(*a->latent), &oom) : NULL;
    if (oom)
        goto oom;
    if (a->n_ccf)
        memcpy(st.work.ccf, a->ccf, sizeof(*a->ccf) * (size_t)a->n_ccf);
    if (a->n_latent)
        memcpy(st.work.latent, a->latent, sizeof(*a->latent) * (size_t)a->n_latent);
    for (int i = 0; i < n; i++)
        if (design_init(&out->designs[i], topologies[i], o->sets, out->n_params) != 0)
            goto oom;
    /* The same file twice: x, x#2, so the JSON keys stay unique (labels.h). */
    label_slots = alloc((size_t)n, sizeof(*label_slots), &oom);
    for (int i = 0; label_slots && i < n; i++)
        label_slots[i] = &out->designs[i].label;
    if (oom || qr_labels_make_unique(label_slots, n) != 0)
        goto oom;

    /* The sample: one Latin hypercube column per parameter, keyed by name. */
    for (int k = 0; k < out->n_params; k++) {
        const char *parts[2] = { "sensitivity", out->params[k].key };
        keys[k] = sim_rng_key(parts, 2);
    }
    if (qr_lhs_sample(o->sets, out->n_params, keys, o->seed, out->q) != 0)
        goto oom;
    for (size_t si = 0; si < sets; si++)
        for (size_t k = 0; k < np; k++)
            out->values[si * np + k] =
                qr_uncertain_quantile(&out->params[k], out->q[si * np + k]);

    /* The point values: the baseline, and each design's worst feature. */
    for (int i = 0; i < n; i++) {
        qr_sens_design *d = &out->designs[i];
        at_point(&st);
        int rc = qr_assumptions_apply(topologies[i], &st.work) != 0
                     ? -1 /* out of memory for its latent faults (M7.3) */
                     : simulate(&st, topologies[i], &s);
        if (rc == -2) {
            snprintf(d->reason, sizeof(d->reason), "%s", err);
            st.planned -= qr_sensitivity_planned(1, o->sets, out->n_params);
            continue;
        }
        if (rc != 0)
            goto cleanup;
        d->simulated = true;
        for (int c = 0; c <= d->n_features; c++) {
            d->point[c] = s.f[c].downtime_min_year.mean;
            d->point_half_width[c] = s.f[c].downtime_min_year.half_width;
        }
        d->worst = worst_of(d->point, d->n_features);
        sim_summary_release(&s);
    }

    /* Every set, every design: the same seed, so the same streams. */
    for (int si = 0; si < o->sets; si++) {
        for (int k = 0; k < out->n_params; k++)
            qr_assumptions_set_uncertain(&st.work, k, out->values[(size_t)si * np + (size_t)k]);
        for (int i = 0; i < n; i++) {
            qr_sens_design *d = &out->designs[i];
            if (!d->simulated)
                continue;
            if (qr_assumptions_apply(topologies[i], &st.work) != 0 ||
                simulate(&st, topologies[i], &s) != 0)
                goto cleanup;
            int cols = d->n_features + 1;
            for (int c = 0; c < cols; c++) {
                d->downtime[(size_t)si * (size_t)cols + (size_t)c] = s.f[c].downtime_min_year.mean;
                d->availability[(size_t)si * (size_t)cols + (size_t)c] =
                    s.f[c].availability.mean;
                d->noise[c] += s.f[c].downtime_min_year.half_width;
            }
            sim_summary_release(&s);
            int w = qr_sens_worst_in_set(d, si);
            crit[i] = d->downtime[(size_t)si * (size_t)cols + (size_t)w];
            column(&st.reps, w, series[i]);
        }
        best_of_set(out, si, series, crit);
    }

    /* One parameter at a time, then the design as it came. */
    for (int i = 0; i < n; i++) {
        if (out->designs[i].simulated && tornado(&st, out, i, topologies[i], lo, hi) != 0)
            goto cleanup;
        at_point(&st);
        if (qr_assumptions_apply(topologies[i], &st.work) != 0)
            goto cleanup;
    }
    for (int i = 0; i < n; i++)
        if (out->designs[i].simulated && reduce(out, &out->designs[i], scratch, y) != 0)
            goto oom;
    out->simulations = st.done;
    ret = 0;
    goto cleanup;
oom:
    snprintf(err, errlen, "out of memory");
cleanup:
    for (int i = 0; series && i < n; i++)
        free(series[i]);
    free(series);
    free(crit);
    free(scratch);
    free(y);
    free(lo);
    free(hi);
    free(label_slots);
    free(st.reps.x);
    if (st.work.ccf != a->ccf) /* NULL or its own copy, never a's */
        free(st.work.ccf);
    if (st.work.latent != a->latent)
        free(st.work.latent);
    return ret;
}
