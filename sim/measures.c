/*
 * measures.c: the M8 measures. During a replication it integrates, between
 * state changes, the availability of every feature and of the pool (the
 * value is constant between settle phases, so integrating at changes only is
 * exact), counts outages (intervals with availability below 1; a partial,
 * user-weighted loss counts) and their durations, the user-weighted time in
 * limited functionality and the time in resiliency mode. Over replications
 * it gives means with 95% Student t confidence intervals, reduced in
 * replication order. The intervals of bounded measures are computed on a
 * transformed scale (logit for fractions of time: unavailability, hours in
 * a state; log for counts a year) so that they respect the bounds: no
 * downtime below 0, no availability above 1. The availability and the
 * downtime are both the unavailability's interval, complemented or scaled.
 *
 * Downtime by cause (sim/causes.h): the loss integrated into down_time is
 * also integrated into the row of the feature's current cause and of what
 * started its outage. A cause can change while the value does not (a pool
 * waiting for its votes starts waiting for the soft reset); the cause
 * arrays then integrate up to that moment on their own clock (cause_t), so
 * the existing measures keep exactly their integration points and their
 * bits, and each breakdown sums to down_time within floating rounding.
 */
#include "sim/state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Both cause arrays live in one block: start follows cause. */
#define CAUSE_SLOTS (SIM_DC_COUNT + SIM_DS_COUNT)

int sim_rep_init(sim_rep *r, int n_features)
{
    memset(r, 0, sizeof(*r));
    r->n = n_features + 1;
    r->f = calloc((size_t)r->n, sizeof(*r->f));
    r->cause = calloc((size_t)r->n * CAUSE_SLOTS, sizeof(double));
    if (!r->f || !r->cause) {
        sim_rep_release(r);
        return -1;
    }
    r->start = r->cause + (size_t)r->n * SIM_DC_COUNT;
    return 0;
}

void sim_rep_clear(sim_rep *r)
{
    sim_feature_rep *f = r->f;
    double *cause = r->cause, *start = r->start;
    int n = r->n;
    memset(r, 0, sizeof(*r));
    r->f = f;
    r->cause = cause;
    r->start = start;
    r->n = n;
    if (f)
        memset(f, 0, sizeof(*f) * (size_t)n);
    if (cause)
        memset(cause, 0, sizeof(double) * (size_t)n * CAUSE_SLOTS);
}

void sim_rep_release(sim_rep *r)
{
    if (!r)
        return;
    free(r->f);
    free(r->cause);
    r->f = NULL;
    r->cause = r->start = NULL;
    r->n = 0;
}

/* ---- during a replication ---- */

static double limited_now(const sim_engine *e)
{
    if (e->cfg.static_mode || e->groups == 0 || e->pool != SIM_POOL_UP)
        return 0.0;
    return (double)(e->groups - e->groups_writable) / e->groups;
}

void sim_measures_begin(sim_engine *e)
{
    e->last_t = 0.0;
    e->cause_t = 0.0;
    e->n_down = 0;
    e->rep.horizon = e->cfg.horizon;
    for (int k = 0; k < e->n_vals; k++) {
        e->val[k] = sim_feature_value(e, k);
        e->out_start[k] = 0.0;
        /* --static has one cause, for good (attribution.c). */
        e->cause_now[k] = e->cfg.static_mode ? SIM_DC_STATIC
                          : e->val[k] < 1.0  ? (unsigned char)sim_attrib_cause(e, k)
                                             : 0;
        e->start_now[k] = SIM_DS_NONE;
        if (e->val[k] < 1.0) {
            e->rep.f[k].outages++;
            e->n_down++;
        }
    }
    e->limited_frac = limited_now(e);
    e->resiliency_cached = e->be_grace_expired && !e->cfg.static_mode;
    if (e->inputs_keyed)
        e->inputs_seen = sim_feature_inputs(e);
}

/* Integrate the cause arrays from cause_t up to t. */
static void advance_causes(sim_engine *e, double t)
{
    double dt = t - e->cause_t;
    if (!(dt > 0))
        return;
    for (int k = 0; k < e->n_vals; k++) {
        if (e->val[k] < 1.0) {
            double loss = (1.0 - e->val[k]) * dt;
            e->rep.cause[k * SIM_DC_COUNT + e->cause_now[k]] += loss;
            e->rep.start[k * SIM_DS_COUNT + e->start_now[k]] += loss;
        }
    }
    e->cause_t = t;
}

void sim_measures_advance(sim_engine *e, double t)
{
    /* Usually both clocks agree and one pass integrates both. */
    bool causes_too = e->cause_t == e->last_t;
    if (!causes_too)
        advance_causes(e, t);
    double dt = t - e->last_t;
    if (!(dt > 0))
        return;
    for (int k = 0; k < e->n_vals; k++) {
        if (e->val[k] < 1.0) {
            double loss = (1.0 - e->val[k]) * dt;
            e->rep.f[k].down_time += loss;
            e->rep.f[k].out_time += dt;
            if (causes_too) {
                e->rep.cause[k * SIM_DC_COUNT + e->cause_now[k]] += loss;
                e->rep.start[k * SIM_DS_COUNT + e->start_now[k]] += loss;
            }
        }
    }
    if (causes_too)
        e->cause_t = t;
    e->rep.limited_time += e->limited_frac * dt;
    if (e->resiliency_cached)
        e->rep.resiliency_time += dt;
    e->last_t = t;
}

/* new_cause[k] for every feature from new_val (0 when up); true when one
 * differs from cause_now. */
static bool new_causes(sim_engine *e)
{
    bool differs = false;
    for (int k = 0; k < e->n_vals; k++) {
        unsigned char c = e->new_val[k] < 1.0 ? (unsigned char)sim_attrib_cause(e, k) : 0;
        differs |= c != e->cause_now[k];
        e->new_cause[k] = c;
    }
    return differs;
}

/* The rest of sim_measures_update, out of line: the full simulation's
 * usual event returns before it, without its frame. */
__attribute__((noinline)) static void measures_look(sim_engine *e)
{
    /* Static mode: most events change no service; the memo says so
     * (static_memo.c), else compare the values. */
    if (e->cfg.static_mode) {
        if (!e->memo.dirty)
            return;
        e->memo.dirty = false;
        if (e->val[e->n_vals - 1] == (e->static_pool ? 1.0 : 0.0) &&
            memcmp(e->val, e->static_feature, sizeof(double) * (size_t)(e->n_vals - 1)) == 0)
            return;
    }
    bool changed = false;
    for (int k = 0; k < e->n_vals; k++) {
        e->new_val[k] = sim_feature_value(e, k);
        if (e->new_val[k] != e->val[k])
            changed = true;
    }
    /* Causes only when a value changed or something is down (cause_now is
     * 0 for a feature that is up): the usual all-up event pays one test. */
    bool causes = !e->cfg.static_mode && (changed || e->n_down > 0);
    bool cause_changed = causes && new_causes(e);
    double lim = limited_now(e);
    bool res = e->be_grace_expired && !e->cfg.static_mode;
    if (!changed && lim == e->limited_frac && res == e->resiliency_cached) {
        if (cause_changed) { /* same loss, new cause from now on */
            advance_causes(e, e->now);
            memcpy(e->cause_now, e->new_cause, (size_t)e->n_vals);
        }
        return;
    }
    sim_measures_advance(e, e->now);
    if (causes)
        memcpy(e->cause_now, e->new_cause, (size_t)e->n_vals);
    int n_down = 0;
    for (int k = 0; k < e->n_vals; k++) {
        double old = e->val[k], v = e->new_val[k];
        sim_feature_rep *f = &e->rep.f[k];
        if (v < old) /* this event began the outage, or deepened it */
            e->start_now[k] = sim_origin_now(e);
        n_down += v < 1.0;
        if (old >= 1.0 && v < 1.0) {
            f->outages++;
            e->out_start[k] = e->now;
        } else if (old < 1.0 && v >= 1.0) {
            double d = e->now - e->out_start[k];
            if (d > f->longest)
                f->longest = d;
        }
        e->val[k] = v;
    }
    e->n_down = n_down;
    e->limited_frac = lim;
    e->resiliency_cached = res;
}

void sim_measures_update(sim_engine *e)
{
    /* Full simulation, every feature up and their inputs as they were when
     * the values were last computed: nothing below could change (no
     * value, no cause, the same limited and resiliency time). The static
     * view is never keyed (no modules). */
    if (e->inputs_keyed) {
        uint64_t in = sim_feature_inputs(e);
        if (in == e->inputs_seen && e->n_down == 0 && !(in & SIM_INPUTS_VOLATILE))
            return;
        e->inputs_seen = in;
    }
    measures_look(e);
}

void sim_measures_finish(sim_engine *e, sim_rep *out)
{
    sim_measures_advance(e, e->cfg.horizon);
    for (int k = 0; k < e->n_vals; k++) {
        if (e->val[k] < 1.0) { /* an outage still open at the horizon */
            double d = e->cfg.horizon - e->out_start[k];
            if (d > e->rep.f[k].longest)
                e->rep.f[k].longest = d;
        }
    }
    e->rep.events = e->events;
    e->rep.horizon = e->cfg.horizon;
    /* The latent-fault and VM modules keep their own counters (zero when
     * the design has none). */
    sim_latent_counts lc;
    sim_engine_latent_counts(e, &lc);
    e->rep.latent_shown = lc.shown;
    e->rep.latent_found_by_audit = lc.found_by_audit;
    e->rep.latent_nights_stopped = lc.nights_stopped;
    sim_vm_status vs;
    sim_engine_vm_status(e, &vs);
    e->rep.vm_ha_restarts = vs.ha_restarts;
    e->rep.vm_live_migrations = vs.live_migrations;
    e->rep.vm_maint_shutdowns = vs.maint_shutdowns;
    e->rep.vm_failbacks = vs.failbacks;
    sim_feature_rep *f = out->f;
    double *cause = out->cause, *start = out->start;
    int n = out->n;
    *out = e->rep;
    out->f = f;
    out->cause = cause;
    out->start = start;
    out->n = n;
    int m = n < e->rep.n ? n : e->rep.n;
    memcpy(out->f, e->rep.f, sizeof(*f) * (size_t)m);
    memcpy(out->cause, e->rep.cause, sizeof(double) * (size_t)m * SIM_DC_COUNT);
    memcpy(out->start, e->rep.start, sizeof(double) * (size_t)m * SIM_DS_COUNT);
}

/* ---- over replications ---- */

double sim_t975(int df)
{
    static const double table[] = {
        0,       12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060,
        2.2622, 2.2281,  2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098,
        2.1009, 2.0930,  2.0860, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555,
        2.0518, 2.0484,  2.0452, 2.0423,
    };
    if (df < 1)
        return INFINITY;
    if (df <= 30)
        return table[df];
    /* Cornish-Fisher expansion around the normal quantile. */
    double z = 1.959963984540054, v = df;
    double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v);
}

/* Mean and standard error of the mean of x[0..n-1], summed in order. */
static void mean_se(const double *x, int n, double *mean, double *se)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    double m = sum / n, ss = 0;
    for (int i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    *mean = m;
    *se = n >= 2 ? sqrt(ss / (n - 1)) / sqrt((double)n) : 0.0;
}

sim_stat sim_stat_of(const double *x, int n)
{
    sim_stat s = { 0, 0, 0, 0 };
    if (n < 1)
        return s;
    double se;
    mean_se(x, n, &s.mean, &se);
    if (n >= 2)
        s.half_width = sim_t975(n - 1) * se;
    s.low = s.mean - s.half_width;
    s.high = s.mean + s.half_width;
    return s;
}

/* Beyond this the back-transformed bound is 0, 1 or huge anyway; keeps
 * exp() finite. */
#define MAX_LOG_HALF_WIDTH 700.0

/* The Student t interval on the log scale (bounded = false: a mean >= 0)
 * or on the logit scale (bounded = true: a mean in [0, 1]), by the delta
 * method: g(mean) -/+ t * se * g'(mean), mapped back through g^-1. A mean
 * at a bound, or no spread, gives the point interval. */
static sim_stat transformed(const double *x, int n, bool bounded)
{
    sim_stat s = { 0, 0, 0, 0 };
    if (n < 1)
        return s;
    double m, se;
    mean_se(x, n, &m, &se);
    if (m < 0)
        m = 0;
    if (bounded && m > 1)
        m = 1;
    s.mean = s.low = s.high = m;
    if (n < 2 || !(se > 0) || !(m > 0) || (bounded && !(m < 1)))
        return s;
    double d = sim_t975(n - 1) * se / (bounded ? m * (1 - m) : m);
    if (d > MAX_LOG_HALF_WIDTH)
        d = MAX_LOG_HALF_WIDTH;
    if (bounded) {
        /* expit(logit(m) -/+ d), written so that nothing overflows */
        double r = (1 - m) / m;
        s.low = 1 / (1 + r * exp(d));
        s.high = 1 / (1 + r * exp(-d));
    } else {
        s.low = m * exp(-d);
        s.high = m * exp(d);
    }
    s.half_width = (s.high - s.low) / 2;
    return s;
}

sim_stat sim_stat_nonneg(const double *x, int n)
{
    return transformed(x, n, false);
}

sim_stat sim_stat_fraction(const double *x, int n)
{
    return transformed(x, n, true);
}

/* k * s (k > 0). */
static sim_stat stat_scaled(sim_stat s, double k)
{
    return (sim_stat){ k * s.mean, k * s.half_width, k * s.low, k * s.high };
}

/* 1 - s: the availability from the unavailability. */
static sim_stat stat_complement(sim_stat s)
{
    return (sim_stat){ 1 - s.mean, s.half_width, 1 - s.high, 1 - s.low };
}

void sim_summary_release(sim_summary *s)
{
    if (!s)
        return;
    free(s->f);
    s->f = NULL;
    s->n = 0;
}

#define MIN_PER_YEAR (SIM_SECONDS_PER_YEAR / 60.0)

int sim_summarize(const sim_rep *reps, int n_reps, sim_summary *s)
{
    memset(s, 0, sizeof(*s));
    if (n_reps < 1)
        return -1;
    int n = reps[0].n;
    double *x = malloc(sizeof(double) * (size_t)n_reps);
    s->f = calloc((size_t)n, sizeof(*s->f));
    if (!x || !s->f) {
        free(x);
        sim_summary_release(s);
        return -1;
    }
    s->n = n;
    s->runs = n_reps;
    s->years = reps[0].horizon / SIM_SECONDS_PER_YEAR;
    for (int i = 0; i < n_reps; i++)
        s->events += reps[i].events;
    for (int k = 0; k < n; k++) {
        sim_feature_summary *fs = &s->f[k];
        double out = 0, longest = 0;
        long outages = 0;
        for (int i = 0; i < n_reps; i++)
            x[i] = reps[i].f[k].down_time / reps[i].horizon;
        sim_stat unavailability = sim_stat_fraction(x, n_reps);
        fs->availability = stat_complement(unavailability);
        fs->downtime_min_year = stat_scaled(unavailability, MIN_PER_YEAR);
        for (int i = 0; i < n_reps; i++)
            x[i] = reps[i].f[k].outages / (reps[i].horizon / SIM_SECONDS_PER_YEAR);
        fs->outages_year = sim_stat_nonneg(x, n_reps);
        for (int i = 0; i < n_reps; i++) {
            out += reps[i].f[k].out_time;
            outages += reps[i].f[k].outages;
            if (reps[i].f[k].longest > longest)
                longest = reps[i].f[k].longest;
        }
        fs->outages_observed = outages;
        fs->mean_outage_min = outages > 0 ? out / outages / 60.0 : 0.0;
        fs->longest_outage_min = longest / 60.0;
    }
#define PER_YEAR(field, dst)                                                              \
    do {                                                                                  \
        for (int i = 0; i < n_reps; i++)                                                  \
            x[i] = (double)reps[i].field / (reps[i].horizon / SIM_SECONDS_PER_YEAR);      \
        s->dst = sim_stat_nonneg(x, n_reps);                                              \
    } while (0)
/* Hours a year spent in a state: a fraction of the time, scaled. */
#define HOURS_PER_YEAR(field, dst)                                                        \
    do {                                                                                  \
        for (int i = 0; i < n_reps; i++)                                                  \
            x[i] = reps[i].field / reps[i].horizon;                                       \
        s->dst = stat_scaled(sim_stat_fraction(x, n_reps), SIM_SECONDS_PER_YEAR / 3600.0); \
    } while (0)
#define COUNT_PER_YEAR(field, dst) PER_YEAR(field, dst);
    SIM_REP_COUNTS(COUNT_PER_YEAR)
#undef COUNT_PER_YEAR
    HOURS_PER_YEAR(limited_time, limited_hours_year);
    HOURS_PER_YEAR(resiliency_time, resiliency_hours_year);
#undef HOURS_PER_YEAR
#undef PER_YEAR
    free(x);
    if (sim_causes_summarize(reps, n_reps, s) != 0) {
        sim_summary_release(s);
        return -1;
    }
    return 0;
}
