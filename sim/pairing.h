/*
 * pairing.h: the simulation of a design with several pools paired for
 * disaster recovery (`pools:`, behaviour rules M10, docs/simulate.md).
 *
 * A sim_pairing runs one ordinary sim_engine per pool, each on the pool's
 * view (model/pool_view.h), in the same replication and in time order, and
 * adds the disaster-recovery behaviour on top: the Backup Service's
 * replication lag (M10.1), the registrar failover of a lost pool's users to
 * the backup pool in resiliency mode (M10.2), the administrator's pool
 * failover (M10.3) after the Central Management store's (M10.4), and the
 * failback (M10.5). The engines are not changed: a component two pools
 * share (a site, a link) is in both views with its kind and name, so its
 * random streams, keyed by kind and name (sim_rng_key), give it the same
 * failures and repairs in both.
 *
 * Its measures are those of the design's features (t->features: each
 * feature for all users, then for each pool's users, topology.h) and of the
 * pool row, the users' own home pool up (user-weighted); a feature for all
 * users is the user-weighted mean of the pools' (weights: `users`, equal
 * when no pool gives them). Not thread-safe: one sim_pairing per thread.
 */
#ifndef SIM_PAIRING_H
#define SIM_PAIRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/engine.h"
#include "sim/measures.h"
#include "sim/runner.h"
#include "model/topology.h"

/* Where one pool's users are served from (M10). */
typedef enum {
    SIM_DR_HOME,        /* by their home pool (up or not yet failed over) */
    SIM_DR_WAIT,        /* home pool down: the registrar failover          */
                        /*   interval runs, no sign-in (M10.2)             */
    SIM_DR_RESILIENCY,  /* signed in to the backup pool in resiliency mode */
                        /*   (M10.2)                                        */
    SIM_DR_FAILED_OVER, /* the pool failed over: full service from the     */
                        /*   backup pool (M10.3)                            */
    SIM_DR_FAILBACK     /* failback under way: resiliency mode on the      */
                        /*   backup pool (M10.5)                            */
} sim_dr_state;

/* The administrator's commands (scenario actions `failover:`, `failback:`). */
typedef enum {
    SIM_DR_ACT_FAILOVER, /* Invoke-CsPoolFailover (CMS first when it holds it) */
    SIM_DR_ACT_FAILBACK  /* Invoke-CsPoolFailback                              */
} sim_dr_action;

/* Per-pool counters of one replication, beside the sim_rep. */
typedef enum {
    SIM_PX_POOL_DOWN,       /* seconds the pool itself is not up            */
    SIM_PX_REGISTRAR,       /* registrar failovers of its users (M10.2)     */
    SIM_PX_FAILOVERS,       /* pool failovers completed (M10.3)             */
    SIM_PX_CMS_FAILOVERS,   /* CMS failovers away from it (M10.4)           */
    SIM_PX_FAILBACKS,       /* failbacks completed (M10.5)                  */
    SIM_PX_DATA_LOSS_RISK,  /* lost while the Backup Service held unsent    */
                            /*   changes (M10.1)                            */
    SIM_PX_AT_RISK,         /* seconds of changes at risk, summed (M10.1)   */
    SIM_PX_RESILIENCY,      /* seconds its users spend on the backup pool   */
                            /*   in resiliency mode (M10.2, M10.5)          */
    SIM_PX_COUNT
} sim_px;

typedef struct sim_pairing sim_pairing;

/* True when t is a design with several pools that the pairing simulation
 * runs (every pool checked, pairs symmetric, each view supported by the
 * full simulation); else false with the reason in err. */
bool sim_pairing_supports(const qr_topology *t, char *err, size_t errlen);

/* Build the simulation of t (a design with pools; read-only, must outlive
 * it) with cfg. NULL with a message in err when out of memory or not
 * supported. Free with sim_pairing_free(). */
sim_pairing *sim_pairing_new(const qr_topology *t, const sim_config *cfg, char *err,
                             size_t errlen);
void sim_pairing_free(sim_pairing *p);

/* Start replication `stream` of `seed`: every engine begins on the same
 * random streams (a shared component fails alike in all). 0, -1 OOM. */
int sim_pairing_begin(sim_pairing *p, uint64_t seed, uint64_t stream);

/* Process every event up to `until` (capped at the horizon) in time order,
 * all engines' events at one time before the pairing looks. 0, -1 OOM, -2
 * an engine spent its event budget. */
int sim_pairing_run(sim_pairing *p, double until);

/* Time of the next event of any engine or of the pairing, INFINITY when
 * none. */
double sim_pairing_next_time(const sim_pairing *p);

/* Process everything due at the next event time (when <= until): 1 done,
 * 0 nothing due, -1 OOM, -2 budget spent. For scenarios and labs. */
int sim_pairing_step(sim_pairing *p, double until);

/* Run to the horizon; write the measures into *out (sim_rep_init'ed with
 * t->n_features) and, when px is not NULL, the per-pool counters into
 * px[pool * SIM_PX_COUNT + k] (n_pools * SIM_PX_COUNT doubles). 0, -1, -2
 * as sim_pairing_run. */
int sim_pairing_finish(sim_pairing *p, sim_rep *out, double *px);

/* Scripted actions at time t (>= now): a component action on every
 * engine whose view holds component `comp` of t (a shared site crashes in
 * all; a component no pool uses changes nothing), a pool-wide action
 * (comp -1: in every pool), or an administrator's command on pool `pool`.
 * 0, -1 bad argument or OOM. */
int sim_pairing_schedule(sim_pairing *p, double t, sim_action a, int comp);
int sim_pairing_schedule_dr(sim_pairing *p, double t, sim_dr_action a, int pool);

/* ---- state, for scenarios, labs and tests ---- */
double sim_pairing_now(const sim_pairing *p);
int sim_pairing_pools(const sim_pairing *p);
/* Engine of pool i (its view's component indices, not t's). */
const sim_engine *sim_pairing_engine(const sim_pairing *p, int pool);
/* Index in pool i's view of component `comp` of t, or -1. */
int sim_pairing_view_comp(const sim_pairing *p, int pool, int comp);
sim_dr_state sim_pairing_state(const sim_pairing *p, int pool);
/* Current value in [0, 1] of row k (0 <= k <= t->n_features; the last is
 * the pool row). */
double sim_pairing_value(const sim_pairing *p, int k);
/* The pool holding the Central Management store now (M10.4), -1 none. */
int sim_pairing_cms_pool(const sim_pairing *p);
/* Counter k of pool i so far (SIM_PX_POOL_DOWN excluded: 0). */
double sim_pairing_counter(const sim_pairing *p, int pool, sim_px k);
/* "home", "registrar_wait", "resiliency", "failed_over", "failback". */
const char *sim_dr_state_name(sim_dr_state s);

/* ---- a whole simulation (pairing_run.c), as sim_run for one pool ---- */

/* Per-pool summary: the pool's own availability and the counters a year. */
typedef struct {
    sim_stat availability;      /* the pool itself up                     */
    sim_stat per_year[SIM_PX_COUNT]; /* counters a year; [SIM_PX_AT_RISK]  */
                                /*   and [SIM_PX_RESILIENCY] in minutes a  */
                                /*   year; [SIM_PX_POOL_DOWN] unused        */
    double   mean_at_risk_min;  /* changes at risk per data-loss-risk     */
                                /*   event, pooled, minutes               */
} sim_pool_summary;

/* Run the simulation of a design with pools, as sim_run() does for one
 * pool, through the same batch loop (sim/batches.h: same options, same
 * guarantees: byte-identical for any thread count and, with o->split, any
 * ranks, the pools' summaries too). pools (may be NULL) receives t->n_pools summaries, allocated
 * (the caller frees it). Returns as sim_run(). sim_run() itself calls it
 * for a design with pools (pools NULL). */
int sim_pairing_simulate(const qr_topology *t, const sim_run_options *o, sim_summary *out,
                         sim_pool_summary **pools, bool *converged, char *err,
                         size_t errlen);

#endif
