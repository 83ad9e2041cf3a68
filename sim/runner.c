/*
 * runner.c: sim_run (runner.h): the replications of one pool, each on a
 * sim_engine (or, with --rare, a sim_rare estimator) per thread slot, run
 * by the batch loop every whole simulation shares (batches.h), which keeps
 * the output the same for any --threads and any ranks. A design with
 * several pools goes to the pairing's source instead (pairing_run.c).
 */
#include "sim/runner.h"

#include <stdio.h>
#include <string.h>

#include "sim/batches.h"
#include "sim/engine.h"
#include "sim/pairing.h"
#include "sim/rare.h"

typedef struct {
    const qr_topology *t;
    sim_config         cfg;
    bool               rare;
    sim_rare_params    rare_params;
} one_pool;

static void *worker_new(void *ctx, char *err, size_t errlen)
{
    one_pool *p = ctx;
    if (p->rare)
        return sim_rare_new(p->t, &p->cfg, &p->rare_params, err, errlen);
    return sim_engine_new(p->t, &p->cfg, err, errlen);
}

static void worker_free(void *ctx, void *worker)
{
    one_pool *p = ctx;
    if (p->rare)
        sim_rare_free(worker);
    else
        sim_engine_free(worker);
}

static int replicate(void *ctx, void *worker, uint64_t seed, int index, sim_rep *rep,
                     double *extra)
{
    one_pool *p = ctx;
    (void)extra;
    if (p->rare)
        return sim_rare_replication(worker, seed, (uint64_t)index, rep);
    int rc = sim_engine_begin(worker, seed, (uint64_t)index);
    return rc != 0 ? rc : sim_engine_finish(worker, rep);
}

/* The message of a replication that spent its event budget (engine.h). */
static void over_budget(void *ctx, const void *worker, int index, char *err, size_t errlen)
{
    one_pool *p = ctx;
    const sim_engine *e = p->rare ? sim_rare_engine(worker) : worker;
    sim_status st;
    sim_engine_status(e, &st);
    snprintf(err, errlen,
             "replication %d stopped after %llu events in %.3g simulated years, more than "
             "%d per component and year: failure, repair or other durations too short "
             "for the model (docs/topology-format.md, \"Limits\")",
             index + 1, (unsigned long long)st.events, st.now / SIM_SECONDS_PER_YEAR,
             SIM_MAX_EVENTS_PER_COMP_YEAR);
}

int sim_run(const qr_topology *t, const sim_run_options *o, sim_summary *out,
            bool *converged, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (qr_topology_is_paired(t)) /* several pools (M10): sim/pairing_run.c */
        return sim_pairing_simulate(t, o, out, NULL, converged, err, errlen);
    one_pool p = { .t = t, .rare = o->rare };
    p.rare_params.bias = o->rare_bias > 0 ? o->rare_bias : SIM_RARE_BIAS;
    p.rare_params.replays = o->rare_replays;
    if (sim_batches_config(o, &p.cfg, err, errlen) != 0)
        return -1;
    if (!o->static_mode && !sim_engine_supports(t, err, errlen))
        return -2;
    sim_rep_source src = { .n_features = t->n_features, .ctx = &p, .worker_new = worker_new,
                           .worker_free = worker_free, .replicate = replicate,
                           .over_budget = over_budget };
    return sim_batches_run(&src, o, out, converged, err, errlen);
}
