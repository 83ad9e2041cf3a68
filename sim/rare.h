/*
 * rare.h: rare-event acceleration of the simulation (`simulate --rare`):
 * importance sampling with balanced failure biasing and likelihood-ratio
 * weights, in the full model and the static view (docs/simulate.md, "Rare
 * events: --rare").
 *
 * A replication runs the plain model, unchanged, to the horizon. Every
 * excursion of it, from a random failure that takes the design out of its
 * quiet state (every component up, every feature available) until it is
 * quiet again (or the horizon), is also replayed on copies of the
 * engine taken at its first failure (SIM_RARE_REPLAYS of them), under a biased measure: while a
 * component is down, the components still up (those with exponential
 * failures: only those are biased) fail more often, each as often as the
 * others (balanced). The copy's downtime times its likelihood ratio (the
 * probability of its path in the model over that under the bias) is an
 * unbiased estimate of the excursion's expected downtime given the state it
 * started from, and replaces the plain excursion's own downtime. The
 * replication's downtime (and its breakdown by cause) is then an unbiased
 * estimate of the plain one, with far less variance when outages need
 * several failures at once, and the replications stay independent: the
 * summary's intervals over replications (measures.h) remain valid.
 *
 * Only the downtime and its breakdown are estimated this way; outage
 * counts, durations and the other counters are the plain replication's.
 */
#ifndef SIM_RARE_H
#define SIM_RARE_H

#include <stddef.h>
#include <stdint.h>

#include "sim/engine.h"
#include "sim/measures.h"
#include "model/topology.h"

/* The biasing (docs/simulate.md). */
typedef struct {
    double bias;  /* in (0, 1): the probability that a biased failure comes */
                  /*   within one repair-time scale of the last change while */
                  /*   something is down (default SIM_RARE_BIAS)             */
    int    replays; /* biased copies of every excursion, their weighted     */
                    /*   downtimes averaged; 0: SIM_RARE_REPLAYS             */
} sim_rare_params;

#define SIM_RARE_BIAS 0.25
#define SIM_RARE_REPLAYS 6
/* Replications of `simulate --rare` when --runs is not given (its batch
 * and first check with --precision): the weights' sample variance needs
 * more of them than a plain run's (cmd_simulate.c). */
#define SIM_RARE_RUNS 1000

typedef struct sim_rare sim_rare;

/* Build the two engines of the estimator for t with configuration cfg
 * (random failures on). NULL with a message in err on OOM or a design the
 * mode cannot run. Free with sim_rare_free. */
sim_rare *sim_rare_new(const qr_topology *t, const sim_config *cfg, const sim_rare_params *p,
                       char *err, size_t errlen);
void sim_rare_free(sim_rare *r);

/* Run replication `stream` of `seed` and write its measures into *out
 * (sized by sim_rep_init for t): the plain replication's, with the downtime
 * and its breakdown replaced as above; events counts those of the copies
 * too. Deterministic in (seed, stream). Returns 0, -1 OOM, -2 an event
 * budget is spent (engine.h). */
int sim_rare_replication(sim_rare *r, uint64_t seed, uint64_t stream, sim_rep *out);

/* The engine of the plain replication (for its status after an error). */
const sim_engine *sim_rare_engine(const sim_rare *r);

/* Statistics of the last replication: excursions replayed and, among them,
 * those whose copy saw the pool go down. */
typedef struct {
    long excursions;
    long pool_down;
} sim_rare_stats;
void sim_rare_last_stats(const sim_rare *r, sim_rare_stats *s);

#endif
