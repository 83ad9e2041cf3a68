/*
 * pairing_run.c: a whole simulation of a design with paired pools
 * (sim_pairing_simulate, pairing.h): the source of its replications, one
 * sim_pairing per thread slot, for the batch loop every whole simulation
 * shares (batches.h: the same threads, ranks, --precision batches and
 * guarantees as sim_run for one pool); each replication's per-pool
 * counters travel beside its sim_rep as its extras. Adds the bound on rows
 * with no outage seen and each pool's own summary.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/batches.h"
#include "sim/pairing.h"

typedef struct {
    const qr_topology *t;
    sim_config         cfg;
    sim_pool_summary **pools;   /* where the pools' summaries go, or NULL */
} paired;

static void *worker_new(void *ctx, char *err, size_t errlen)
{
    paired *p = ctx;
    return sim_pairing_new(p->t, &p->cfg, err, errlen);
}

static void worker_free(void *ctx, void *worker)
{
    (void)ctx;
    sim_pairing_free(worker);
}

static int replicate(void *ctx, void *worker, uint64_t seed, int index, sim_rep *rep,
                     double *px)
{
    (void)ctx;
    int rc = sim_pairing_begin(worker, seed, (uint64_t)index);
    return rc != 0 ? rc : sim_pairing_finish(worker, rep, px);
}

static void over_budget(void *ctx, const void *worker, int index, char *err, size_t errlen)
{
    (void)ctx;
    (void)worker;
    snprintf(err, errlen, "replication %d spent its event budget (more than "
             "%d events per component and year): durations too short for "
             "the model (docs/topology-format.md, \"Limits\")",
             index + 1, SIM_MAX_EVENTS_PER_COMP_YEAR);
}

/* Each pool's own summary from the per-replication counters. */
static int summarize_pools(const sim_rep *reps, const double *px, int n_reps, int n_pools,
                           sim_pool_summary *out)
{
    double *x = malloc(sizeof(double) * (size_t)n_reps);
    if (!x)
        return -1;
    size_t stride = (size_t)n_pools * SIM_PX_COUNT;
    for (int p = 0; p < n_pools; p++) {
        sim_pool_summary *ps = &out[p];
        memset(ps, 0, sizeof(*ps));
        for (int i = 0; i < n_reps; i++)
            x[i] = px[(size_t)i * stride + (size_t)p * SIM_PX_COUNT + SIM_PX_POOL_DOWN] /
                   reps[i].horizon;
        sim_stat u = sim_stat_fraction(x, n_reps);
        ps->availability = (sim_stat){ 1.0 - u.mean, u.half_width, 1.0 - u.high, 1.0 - u.low };
        double events = 0, at_risk = 0;
        for (int k = 0; k < SIM_PX_COUNT; k++) {
            if (k == SIM_PX_POOL_DOWN)
                continue;
            double scale = (k == SIM_PX_AT_RISK || k == SIM_PX_RESILIENCY) ? 1.0 / 60.0 : 1.0;
            for (int i = 0; i < n_reps; i++)
                x[i] = px[(size_t)i * stride + (size_t)p * SIM_PX_COUNT + (size_t)k] * scale /
                       (reps[i].horizon / SIM_SECONDS_PER_YEAR);
            ps->per_year[k] = sim_stat_nonneg(x, n_reps);
        }
        for (int i = 0; i < n_reps; i++) {
            events += px[(size_t)i * stride + (size_t)p * SIM_PX_COUNT + SIM_PX_DATA_LOSS_RISK];
            at_risk += px[(size_t)i * stride + (size_t)p * SIM_PX_COUNT + SIM_PX_AT_RISK];
        }
        ps->mean_at_risk_min = events > 0 ? at_risk / events / 60.0 : 0.0;
    }
    free(x);
    return 0;
}

/* M10, rare outcomes: a row with no outage seen in all the replications
 * (a pool's users without sign-in needs both pools down) gets a bounded
 * interval instead of a point at 100%: the outage rate is below
 * -ln(0.05) / (runs * years) a year with 95% confidence (no event in a
 * Poisson exposure), and an unseen outage is taken to last no longer than
 * the longest outage seen in any row (at least the registrar failover
 * interval), so the unavailability is below their product. The source's
 * amend hook: the --precision target is checked on the bounded rows. */
static void bound_unseen(void *ctx, sim_summary *s)
{
    const qr_topology *t = ((paired *)ctx)->t;
    double longest = t->pairing.registrar_failover / 60.0; /* minutes */
    for (int k = 0; k < s->n; k++)
        if (s->f[k].longest_outage_min > longest)
            longest = s->f[k].longest_outage_min;
    double exposure = (double)s->runs * s->years;
    if (!(exposure > 0))
        return;
    double rate = -log(0.05) / exposure; /* outages a year */
    double u = rate * longest / (SIM_SECONDS_PER_YEAR / 60.0);
    if (u > 1.0)
        u = 1.0;
    for (int k = 0; k < s->n; k++) {
        sim_feature_summary *f = &s->f[k];
        if (f->outages_observed > 0 || f->availability.mean < 1.0)
            continue;
        f->availability.low = 1.0 - u;
        f->availability.half_width = u / 2;
        f->downtime_min_year.high = u * SIM_SECONDS_PER_YEAR / 60.0;
        f->downtime_min_year.half_width = f->downtime_min_year.high / 2;
        f->outages_year.high = rate;
        f->outages_year.half_width = rate / 2;
    }
}

/* The source's finish hook: each pool's summary, when asked for. */
static int pool_summaries(void *ctx, const sim_rep *reps, const double *px, int n)
{
    paired *p = ctx;
    if (!p->pools)
        return 0;
    *p->pools = calloc((size_t)p->t->n_pools, sizeof(**p->pools));
    if (!*p->pools)
        return -1;
    return summarize_pools(reps, px, n, p->t->n_pools, *p->pools);
}

int sim_pairing_simulate(const qr_topology *t, const sim_run_options *o, sim_summary *out,
                         sim_pool_summary **pools, bool *converged, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (pools)
        *pools = NULL;
    if (o->rare) { /* the estimator replays one engine's excursions (rare.c) */
        snprintf(err, errlen, "--rare is not built for a design with several pools (M10) yet: "
                              "run it without --rare");
        return -1;
    }
    paired p = { .t = t, .pools = pools };
    if (sim_batches_config(o, &p.cfg, err, errlen) != 0)
        return -1;
    if (!sim_pairing_supports(t, err, errlen))
        return -2;
    sim_rep_source src = { .n_features = t->n_features, .n_extra = t->n_pools * SIM_PX_COUNT,
                           .ctx = &p, .worker_new = worker_new, .worker_free = worker_free,
                           .replicate = replicate, .over_budget = over_budget,
                           .amend = bound_unseen, .finish = pool_summaries };
    int rc = sim_batches_run(&src, o, out, converged, err, errlen);
    if (rc != 0 && pools) {
        free(*pools);
        *pools = NULL;
    }
    return rc;
}
