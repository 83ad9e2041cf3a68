/*
 * engine.h: the discrete-event quorum simulator, one replication at a time.
 *
 * A sim_engine is built once from a topology (read-only, must outlive the
 * engine) and then replays any number of replications: sim_engine_begin()
 * starts replication `stream` of `seed` at time 0 with every component up,
 * sim_engine_run() advances it. Random failures and repairs (M0.3) and patch
 * nights (M7) can be switched off so that tests, and later the training-lab
 * scenarios, drive the engine deterministically with scripted actions
 * (sim_engine_schedule) and read its state back (sim_engine_status).
 *
 * The engine is not thread-safe: use one engine per thread. It never prints
 * and never allocates while a replication runs (the queue may grow).
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/measures.h"
#include "model/topology.h"

/* How one replication is run. sim_config_default() gives the values below. */
typedef struct {
    double horizon;           /* seconds simulated (default 10 years)        */
    bool   random_failures;   /* M0.3 failures and repairs (default true)    */
    bool   patching;          /* M7 patch nights (default true)              */
    bool   operator_actions;  /* M1.7 soft resets, M3.4 manual SQL failover  */
                              /*   done by the operator (default true)       */
    bool   static_mode;       /* M9: services from sim_structure, no delays  */
    bool   planned_sql_failover; /* assumption A1 (docs/simulate.md): a      */
                              /*   graceful shutdown of the principal's      */
                              /*   server is preceded by a manual failover   */
                              /*   to a synchronized mirror (default true)   */
    bool   planned_dfs_switch; /* assumption A2: a graceful shutdown of the   */
                              /*   active DFS replica switches the clients   */
                              /*   to another replica up first, no outage   */
                              /*   (default true)                            */
    double patch_delay;       /* seconds added to the first patch night,     */
                              /*   modulo the patch period: a paired pool's  */
                              /*   stagger (pairing.patch_offset, M7.1,      */
                              /*   M10; default 0)                           */
} sim_config;

/* Fill *c with the defaults. */
void sim_config_default(sim_config *c);

typedef struct sim_engine sim_engine;

/* Build an engine for t. Returns NULL and a message in err (when err is not
 * NULL) when out of memory or when the design is one the full simulation
 * cannot run (sim_engine_supports). The caller frees it with
 * sim_engine_free(); t must stay alive and unchanged meanwhile. */
sim_engine *sim_engine_new(const qr_topology *t, const sim_config *cfg,
                           char *err, size_t errlen);

/* Free the engine; accepts NULL. */
void sim_engine_free(sim_engine *e);

/* Copy the replication under way in src (state, clocks, queue, random
 * streams, measures) into dst, which sim_engine_new built from the same
 * topology and configuration: both then go on identically (the full
 * simulation and the static view: the rare-event estimator, sim/rare.h,
 * copies both). Returns 0, -1 out of memory or engines that do not match
 * (sim/engine_copy.c). */
int sim_engine_copy(sim_engine *dst, const sim_engine *src);

/* Renew e's random streams of failure and repair times (every component
 * and common event): from now on each draws from stream (key, its index)
 * of sim_rng_seed instead of going on with its own, so a copy of an engine
 * (sim_engine_copy) renewed with a fresh key draws independently of the
 * original and of other copies. O(1): a stream is seeded when first drawn
 * from. sim_engine_begin puts the replication's own streams back. */
void sim_engine_renew_streams(sim_engine *e, uint64_t key);

/* A new engine holding a copy of src's replication (free it with
 * sim_engine_free), or NULL (out of memory). */
sim_engine *sim_engine_clone(const sim_engine *src);

/* True when the full (non-static) simulation models this design; else a
 * reason in err. */
bool sim_engine_supports(const qr_topology *t, char *err, size_t errlen);

/* Start a replication: time 0, everything up, first failures and patch
 * night drawn from the random stream (seed, stream). Returns 0, -1 OOM. */
int sim_engine_begin(sim_engine *e, uint64_t seed, uint64_t stream);

/* The event budget of a replication: at most this many events per
 * component (plus one) and simulated year, the first year counted whole.
 * A real design needs a few hundred; more means durations too short for
 * the model (docs/topology-format.md, "Limits"), which would otherwise run
 * for hours, or forever once the clock stops advancing. */
#define SIM_MAX_EVENTS_PER_COMP_YEAR 100000

/* Process every event up to and including time `until` (capped at the
 * horizon) and integrate the measures up to it. Returns 0, -1 OOM, -2 the
 * event budget is spent (the replication is void). */
int sim_engine_run(sim_engine *e, double until);

/* Run to the horizon and write the replication's measures into *out (whose
 * arrays sim_rep_init sized for this topology). Returns 0, -1 OOM, -2 the
 * event budget is spent. */
int sim_engine_finish(sim_engine *e, sim_rep *out);

/* Scripted actions, applied when the replication reaches time t (t >= the
 * current time). comp is a component index, ignored for the pool-wide
 * actions. Returns 0, -1 OOM or bad argument. */
typedef enum {
    SIM_ACT_CRASH,        /* component down unexpectedly (M0.1)             */
    SIM_ACT_SHUTDOWN,     /* graceful shutdown, drained first (M1.3, M2.3)  */
    SIM_ACT_START,        /* start after a graceful shutdown                */
    SIM_ACT_REPAIR,       /* back up after a crash                          */
    SIM_ACT_SOFT_RESET,   /* operator's Reset-CsPoolRegistrarState (M1.7)   */
    SIM_ACT_SQL_FAILOVER, /* manual SQL failover to the mirror (M3.4)       */
    SIM_ACT_MIGRATE,      /* move a VM to another host (M7.6; scheduled by  */
                          /*   sim_engine_schedule_migrate only)            */
    SIM_ACT_PATCH_NIGHT,  /* start a patch night now (M7.1; comp ignored)   */
    SIM_ACT_LATENT_ARM    /* latent fault `comp` (an index into t->latent)  */
                          /*   lands now on all its members (M7.3)         */
} sim_action;

int sim_engine_schedule(sim_engine *e, double t, sim_action a, int comp);

/* Schedule the operator's move of virtual machine `vm` (a server with a
 * host) to host `host` at time t (M7.6, sim/behaviour/vmhost.c): a live
 * migration (no outage) when the VM runs and the design allows live
 * migration, a cold move of a VM that is down; refused (nothing happens)
 * when sim_engine_migrate_check says no. Returns 0, -1 OOM or bad
 * argument. */
int sim_engine_schedule_migrate(sim_engine *e, double t, int vm, int host);

/* Why a move of vm to host would be refused now (M0.5, M7.6), or
 * SIM_MIGRATE_OK. */
typedef enum {
    SIM_MIGRATE_OK,
    SIM_MIGRATE_NOT_VM,        /* vm is no server on a host               */
    SIM_MIGRATE_NOT_HOST,      /* host is no host of the VM's site        */
    SIM_MIGRATE_SAME_HOST,     /* it runs there already                   */
    SIM_MIGRATE_HOST_DOWN,     /* the destination host is down            */
    SIM_MIGRATE_NO_ROOM,       /* the destination is full (capacity)      */
    SIM_MIGRATE_ANTI_AFFINITY, /* it runs a member of the VM's group      */
    SIM_MIGRATE_NO_LIVE        /* the VM runs and live migration is off   */
} sim_migrate_check;
sim_migrate_check sim_engine_migrate_check(const sim_engine *e, int vm, int host,
                                           int *partner);

/* The host virtual machine i runs on now (HA restarts and migrations move
 * it, M0.4, M7.6), or -1 when i is no server on a host. */
int sim_engine_comp_host(const sim_engine *e, int i);

/* What holds component i down (M0.2): i itself when its own state is not
 * up or a common event holds it, else the nearest container (its current
 * host, then the site) that is down so; -1 when i is up. */
int sim_engine_held_by(const sim_engine *e, int i);

/* How many common-cause events (build_ccf) hold component i down now;
 * 0 when none (or i is out of range). */
int sim_engine_ccf_hold(const sim_engine *e, int i);

/* Virtual machines of the run so far (M0.4, M7.6, M7.7). */
typedef struct {
    long ha_restarts;      /* VMs restarted on another host              */
    long ha_no_room;       /* VMs left waiting for their host: no room   */
    long live_migrations;  /* VMs moved without an outage                */
    long maint_shutdowns;  /* VMs shut down with their host (M7.7)       */
    long maint_hosts;      /* host maintenances done                     */
    long failbacks;        /* VMs moved home after an HA restart (M0.4)  */
} sim_vm_status;
void sim_engine_vm_status(const sim_engine *e, sim_vm_status *out);

/* Pool states (M1.5-M1.7). */
typedef enum {
    SIM_POOL_UP,
    SIM_POOL_DOWN,      /* quorum lost, sticky                           */
    SIM_POOL_STARTING   /* restart under way (fabric.restart_time)        */
} sim_pool_state;

/* Routing group states (M2.2, M2.4). */
typedef enum {
    SIM_GROUP_WRITABLE,
    SIM_GROUP_LIMITED,  /* quorum loss, some replica up: limited function */
    SIM_GROUP_DOWN      /* no replica up                                  */
} sim_group_state;

/* Component states (M0.1). */
typedef enum {
    SIM_UP = 0,
    SIM_DOWN_UNEXPECTED = 1,
    SIM_DOWN_GRACEFUL = 2
} sim_comp_state;

/* A snapshot of the replication's state and counters. */
typedef struct {
    double         now;
    sim_pool_state pool;
    bool           pool_up;
    int            seeds;            /* configured seed nodes (M1.1)        */
    int            seeds_counted;    /* seeds in the membership (M1.3/1.4)  */
    int            seeds_present;    /* counted seeds that are up           */
    int            votes_counted;    /* seeds + Back End vote when even     */
    int            votes_present;
    int            frontends_running;
    bool           backend_serving;
    bool           backend_reachable; /* the pool's side of a site        */
                                     /*   partition reaches the Back      */
                                     /*   End's server (true: no links)   */
    int            backend_principal; /* component index of the principal  */
    bool           backend_synchronized; /* mirror synchronized (M3.3)      */
    bool           resiliency_mode;  /* Back End down past the grace (M3.5) */
    bool           file_store_up;
    int            groups_writable;
    int            groups_limited;
    int            groups_down;
    long           quorum_losses;
    long           group_quorum_losses;
    long           soft_resets;
    long           reset_attempts_failed;
    long           failovers;        /* SQL role changes                    */
    long           file_store_failovers;
    long           data_loss_risk;
    long           patch_nights;
    long           patch_nights_skipped;
    long           patch_reboots;
    uint64_t       events;
} sim_status;

void sim_engine_status(const sim_engine *e, sim_status *s);

/* Current state of component i (own state after containment, M0.2). */
sim_comp_state sim_engine_comp_state(const sim_engine *e, int i);

/* Component i's own state, before containment and common causes (M0.1);
 * SIM_DOWN_UNEXPECTED when i is out of range. */
sim_comp_state sim_engine_own_state(const sim_engine *e, int i);

/* Current state of routing group g. */
sim_group_state sim_engine_group_state(const sim_engine *e, int g);

/* pool.frontends index of replica j of group g now (rebuilds and graceful
 * moves change it). */
int sim_engine_group_replica(const sim_engine *e, int g, int j);
/* Front end fe (index into pool.frontends) runs but is cut off from the
 * pool's side of a site partition (docs/simulate.md, "Site partitions and
 * the pool"); false without links. */
bool sim_engine_frontend_cut(const sim_engine *e, int fe);

/* Current availability of feature f in [0, 1] (user-weighted, M2.5). */
double sim_engine_feature(const sim_engine *e, int f);

/* Why feature f (t->n_features: the pool) is below 1 now, and what started
 * that outage (sim/causes.h); meaningful while sim_engine_feature(e, f) <
 * 1. The pool-pairing layer (sim/pairing.c) carries them into its own
 * measures. */
sim_down_cause sim_engine_feature_cause(const sim_engine *e, int f);
sim_down_start sim_engine_feature_start(const sim_engine *e, int f);

/* True when the pool's file store is up now (as sim_status.file_store_up,
 * without the rest of the status). */
bool sim_engine_file_store_up(const sim_engine *e);

/* Failover cluster states (M4.5). */
typedef enum {
    SIM_CLUSTER_UP,     /* quorum: votes present > half the votes counted */
    SIM_CLUSTER_DOWN,   /* offline after a quorum loss                    */
    SIM_CLUSTER_FORCED  /* forced quorum by the operator (M4.5)           */
} sim_cluster_state;

/* A snapshot of one failover cluster (sim/behaviour/cluster.c). */
typedef struct {
    sim_cluster_state state;
    bool running;        /* up or forced: its roles can run              */
    int  votes_counted;  /* current votes: node DynamicWeights + witness */
    int  votes_present;  /*   (M4.2, M4.3); the configured votes (M4.1)  */
                         /*   while offline                              */
    bool witness_votes;  /* the witness holds a vote now (M4.3)          */
    long quorum_losses;  /* in this replication                          */
    long forced_quorums;
} sim_cluster_status;

/* State of cluster c (index into t->clusters) in the full simulation.
 * Returns 0, or -1 when c is out of range or the engine runs --static. */
int sim_engine_cluster(const sim_engine *e, int c, sim_cluster_status *out);

/* Current vote (0 or 1) of node j of cluster c (M4.2, M4.3), -1 when out of
 * range or in --static. */
int sim_engine_node_vote(const sim_engine *e, int c, int j);

/* ---- stepping one event at a time (training labs: src/lab/playback.c) ---- */

/* What caused the event sim_engine_step() processed. */
typedef enum {
    SIM_CAUSE_NONE,              /* nothing due, or a cancelled event      */
    SIM_CAUSE_FAILURE,           /* random failure of component `index`    */
    SIM_CAUSE_REPAIR,            /* random repair of component `index`     */
    SIM_CAUSE_ACTION,            /* scripted `action` (index: component,   */
                                 /*   -1 for the pool-wide actions)        */
    SIM_CAUSE_POOL_START,        /* M1.6/M1.7 restart time elapsed         */
    SIM_CAUSE_OPERATOR_RESET,    /* M1.7 the operator's soft reset (try)   */
    SIM_CAUSE_BACKEND_FAILOVER,  /* M3.3, M3.4, M4.6, M4.7 failover time;  */
                                 /*   index 1: the operator's (M3.4)       */
    SIM_CAUSE_BACKEND_RESYNC,    /* M3.3 mirror resynchronized             */
    SIM_CAUSE_BACKEND_GRACE,     /* M3.5 the Back End grace ended          */
    SIM_CAUSE_FILE_STORE_FAILOVER, /* M5.1 file store failover time        */
    SIM_CAUSE_PATCH,             /* M7 a patching step                     */
    SIM_CAUSE_REPLICA_REBUILD,   /* M2.3 rebuild on front end `index`      */
                                 /*   (pool.frontends index)               */
    SIM_CAUSE_CLUSTER_ADJUST,    /* M4.2 cluster `index` processed a loss  */
    SIM_CAUSE_CLUSTER_FORCE,     /* M4.5 operator forces cluster `index`   */
    SIM_CAUSE_COMMON_FAILURE,    /* common event `index` (qr_ccf_events)   */
                                 /*   took its members down together       */
    SIM_CAUSE_COMMON_REPAIR,     /* common event `index` repaired: its     */
                                 /*   members come back together           */
    SIM_CAUSE_HA_RESTART,        /* M0.4 restart delay of host `index` over */
    SIM_CAUSE_HOST_MAINTENANCE,  /* M7.7 a step of host `index`'s          */
                                 /*   maintenance                          */
    SIM_CAUSE_LATENT_ARRIVE,     /* M7.3 latent fault `index` lands        */
    SIM_CAUSE_LATENT_FIX,        /* M7.3 fixed: `index` is a latent pair   */
                                 /*   (sim_latent_pair_decode)             */
    SIM_CAUSE_LATENT_SHOW,       /* M7.3 shown on a server its host or     */
                                 /*   site brought back (pair `index`)     */
    SIM_CAUSE_LATENT_AUDIT,      /* M7.4 a health audit                    */
    SIM_CAUSE_VM_FAILBACK        /* M0.4 failback step: VM `index` back,   */
                                 /*   or a try (-1)                        */
} sim_cause;

typedef struct {
    double     time;    /* when the event happened                        */
    sim_cause  cause;
    sim_action action;  /* SIM_CAUSE_ACTION only                          */
    int        index;   /* component, front end or cluster; -1 for none   */
    int        host;    /* SIM_ACT_MIGRATE: the destination host, else -1  */
} sim_step_info;

/* Time of the earliest pending event (it may be a cancelled one that
 * sim_engine_step will drop), or INFINITY when none is pending. */
double sim_engine_next_time(const sim_engine *e);

/* Process only the earliest pending event, when its time is <= until (and
 * the horizon), and describe it in *info (may be NULL; cause
 * SIM_CAUSE_NONE for a dropped cancelled event). Returns 1 when an event
 * was taken off the queue, 0 when none is due (the time does not move),
 * -1 out of memory, -2 the event budget is spent. */
int sim_engine_step(sim_engine *e, double until, sim_step_info *info);

/* ---- latent faults (M7.3-M7.5, sim/behaviour/latent.c) ---- */

/* State of latent fault `fault` (index into t->latent) on its member
 * server `comp`. */
typedef enum {
    SIM_LATENT_NONE,    /* not on this server (or not a member)          */
    SIM_LATENT_HIDDEN,  /* landed, waiting for the server's next start   */
    SIM_LATENT_SHOWN    /* shown at a start, broken until fixed           */
} sim_latent_state;

sim_latent_state sim_engine_latent(const sim_engine *e, int fault, int comp);

/* Counters of this replication: faults shown at a start, hidden faults a
 * health audit found (M7.4), hidden ones removed when the same common
 * fault was fixed on another member (M7.3), patch nights stopped by
 * verification (M7.5). */
typedef struct {
    long shown;
    long found_by_audit;
    long removed;
    long nights_stopped;
} sim_latent_counts;

void sim_engine_latent_counts(const sim_engine *e, sim_latent_counts *out);

/* The latent pairs (a fault on one member) are numbered fault by fault,
 * member by member; pair p's fault and server. Returns 0, -1 out of range. */
int sim_latent_pair_decode(const qr_topology *t, int p, int *fault, int *comp);

#endif
