/*
 * state.h: the inside of a sim_engine, shared by the engine (engine.c), its
 * behaviour modules (sim/behaviour/: cluster.c, file_store.c, backend.c with
 * backend_mirroring.c, backend_single.c and backend_cluster.c, fabric.c, routing.c,
 * patching.c, latent.c, features.c, pool_partition.c for site partitions,
 * vmhost.c, and attribution.c for downtime by cause), the
 * measures (measures.c) and the --static
 * fast path (static_memo.c). Nothing outside sim/ includes it.
 *
 * Each behaviour module is one sim_module row (below); engine.c builds,
 * starts, notifies, settles, times and describes the modules by walking one
 * table, in the order of the SIM_MOD_* ids, and gives each the timer slots
 * it asks for. A module keeps its own state in its own file, behind its
 * row (sim_module_state); sim_engine holds the component layer and what
 * the modules publish for each other and for the measures: the pool's
 * state, the routing-group counts, whether the Back End serves and the
 * file store is up.
 *
 * State is flat arrays indexed by component id, routing-group slot or timer
 * slot; counters that the rules read (votes, running front ends, writable
 * groups) are updated incrementally when a component changes, so handling
 * one event costs what that component touches, not the topology's size.
 *
 * Event handling has two phases. First the event applies: a component
 * changes state (containment, M0.2, passes it on to its contents) and every
 * module that hears a changed component updates its own bookkeeping
 * (on_change), or a timer's or a script's module acts. Then the settle
 * phase lets each module draw its conclusions once, in table order (the
 * failover clusters, the file store, the Back End, the fabric, routing, the
 * operator; patching has nothing to settle; the latent faults last), and the measures integrate
 * last, so that no rule acts on a half-applied event. In static mode (M9)
 * there is no module: the settle phase evaluates sim_structure.
 *
 * Lazy cancellation: every component and every timer slot has a generation
 * stamp; an event carries the stamp it was scheduled with and is dropped
 * when the stamp has moved on.
 */
#ifndef SIM_STATE_H
#define SIM_STATE_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/engine.h"
#include "sim/event_queue.h"
#include "sim/measures.h"
#include "sim/rng.h"
#include "exact/structure.h"
#include "model/topology.h"

/* The queue length below which cancelled events are never purged. */
#define SIM_PURGE_MIN 32

/* Event kinds. */
enum {
    SIM_EV_FAIL,    /* target: component; random failure (M0.3)          */
    SIM_EV_REPAIR,  /* target: component; random repair                  */
    SIM_EV_SCRIPT,  /* target: component or -1; aux: sim_action          */
    SIM_EV_TIMER    /* target: timer slot                                */
};

/* Timers of the Back End module (backend.c and its sim_backend_ops): the
 * module's timer k is slot sim_timer_slot(e, SIM_MOD_BACKEND, k). */
enum {
    SIM_BE_T_FAILOVER,     /* M3.3 automatic / M3.4 manual failover      */
    SIM_BE_T_RESYNC,       /* M3.3 mirror resynchronized                 */
    SIM_BE_T_GRACE,        /* M3.5 30-minute grace ends                  */
    SIM_BE_T_COUNT
};

/* Roles of a component, bits of sim_engine.role. */
enum {
    SIM_ROLE_FRONTEND   = 1u << 0,
    SIM_ROLE_BACKEND    = 1u << 1,
    SIM_ROLE_FILE_STORE = 1u << 2,
    SIM_ROLE_CLUSTER    = 1u << 3, /* node or witness of a cluster (M4)   */
    SIM_ROLE_MEMBER     = 1u << 4, /* a server of the pool or of a cluster */
                                   /*   (any role above): patched with the */
                                   /*   pool (M7.1), counted by M7.2; set  */
                                   /*   by patching.c, full mode only      */
    SIM_ROLE_HOST       = 1u << 5, /* a host running VMs with HA restart  */
                                   /*   (M0.4; vmhost.c)                  */
    SIM_ROLE_LATENT     = 1u << 6  /* a member of a latent fault (M7.3):   */
                                   /*   set by latent.c                    */
};

/* A clustered role that runs on one node of a failover cluster with a
 * shared disk (cluster.c): a SQL failover cluster instance (M4.7) or a
 * file-share cluster (M5.1). */
typedef struct {
    int    cluster;       /* index into t->clusters                       */
    int    storage;       /* the shared disk's component, -1 for none     */
    int    owner;         /* node position (into the cluster's nodes)     */
    double failover_time; /* a move to another node takes this long       */
    int    timer;         /* timer slot of the move                       */
    long   moves;         /* moves in this replication                    */
} sim_cluster_role;

/* Back-end behaviour behind one interface, the variation inside the Back
 * End module (backend.c): failover clusters (AlwaysOn, FCI) plug in beside
 * mirroring without changing the module or the engine. */
typedef struct {
    const char *name;
    /* Start of a replication: everything up, configured roles. */
    void (*begin)(sim_engine *e);
    /* Component `comp` (with the back-end role) changed from old to its
     * current e->eff state. Only bookkeeping: conclusions in update(). */
    void (*on_change)(sim_engine *e, int comp, int old);
    /* Settle phase: set e->be_serving, arm or cancel this module's timers. */
    void (*update)(sim_engine *e);
    /* Its timer k (SIM_BE_T_FAILOVER or SIM_BE_T_RESYNC) fired. */
    void (*on_timer)(sim_engine *e, int k);
    /* Scripted or operator manual failover; 1 done, 0 not possible. */
    int (*manual_failover)(sim_engine *e);
    /* The variant's own state (NULL: none), kept as the Back End module's
     * (sim_module_state(e, SIM_MOD_BACKEND)): build it into *state, 0 or
     * -1 OOM; free it, also partly built. */
    int (*alloc)(sim_engine *e, void **state);
    void (*release)(void *state);
    /* Copy what changes during a replication (as sim_module.copy). */
    void (*copy)(const sim_engine *src, const void *src_state, void *dst_state);
} sim_backend_ops;

/* File-store behaviour, the same pattern inside file_store.c's module
 * (e->fs_up). */
typedef struct {
    const char *name;
    void (*begin)(sim_engine *e);
    void (*on_change)(sim_engine *e, int comp, int old);
    void (*update)(sim_engine *e);
    void (*on_timer)(sim_engine *e, int k); /* k: the module's timer 0 */
} sim_file_store_ops;

extern const sim_backend_ops sim_backend_mirroring;   /* backend_mirroring.c */
extern const sim_backend_ops sim_backend_standalone;  /* backend_single.c */
extern const sim_backend_ops sim_backend_external;    /* backend_single.c */
extern const sim_file_store_ops sim_file_store_share; /* file_store.c */
extern const sim_file_store_ops sim_file_store_dfs;   /* file_store.c */
extern const sim_backend_ops sim_backend_alwayson;    /* backend_cluster.c */
extern const sim_backend_ops sim_backend_fci;         /* backend_cluster.c */
extern const sim_file_store_ops sim_file_store_cluster; /* file_store.c */

/* Site partitions as the pool and SQL mirroring see them
 * (sim/behaviour/pool_partition.c); built in full mode when the topology
 * declares links, NULL otherwise. */
typedef struct {
    int *sites, n_sites;  /* site components                              */
    int *links, n_links;  /* link components                              */
    int *root;            /* per component: for a site, the lowest site   */
                          /*   of its connected sites                     */
    int *comp_site;       /* per component: its site, -1 for none         */
    bool applies;         /* every front end has a site: the pool splits  */
    unsigned char *cut;   /* per front end: off the pool's side           */
    unsigned char *flip;  /* per front end: scratch                       */
    int side;             /* the pool's side (a root), -1 for none        */
    bool be_reach;        /* the side reaches the Back End's server       */
} sim_partition;

/* ---- behaviour modules ---- */

/* The behaviour modules of the full simulation, by id. The engine calls
 * them in this order for every hook, and the order matters in the settle
 * phase, where each module reads what the ones before it concluded in the
 * same event:
 * - the failover clusters first: their quorum (M4) decides whether the
 *   clustered back ends (AlwaysOn, FCI) and the file-share cluster run;
 * - the file store (M5), which needs only the clusters;
 * - the Back End (M3, M4.6, M4.7): e->be_serving; with links the pool's
 *   side of a site partition and e->be_seen (pool_partition.c, which
 *   tells the fabric and routing of front ends cut off), then the grace
 *   (M3.5) on e->be_seen;
 * - the fabric (M1): pool quorum counts the Back End's vote (M1.2);
 * - routing (M2): the R = 2 tie-break needs e->be_serving, rebuilds and
 *   group quorum losses need the pool up;
 * - the operator (M1.7, M2.4): a soft reset is due while the pool is down
 *   or a group is not writable, so after the fabric and routing;
 * - patching (M7), which only acts on its timer.
 * The measures (measures.c) come after every module: they read them all.
 * On a component change (on_change) each hook changes only its own
 * module's state and reads none that another on_change writes, so their
 * order does not matter there. */
enum {
    SIM_MOD_CLUSTER,      /* cluster.c                                    */
    SIM_MOD_FILE_STORE,   /* file_store.c (its sim_file_store_ops)        */
    SIM_MOD_BACKEND,      /* backend.c (its sim_backend_ops)              */
    SIM_MOD_FABRIC,       /* fabric.c                                     */
    SIM_MOD_ROUTING,      /* routing.c                                    */
    SIM_MOD_OPERATOR,     /* fabric.c: the operator's soft reset          */
    SIM_MOD_PATCHING,     /* patching.c                                   */
    SIM_MOD_VMHOST,       /* vmhost.c: VMs on hosts (M0.4, M7.6, M7.7);   */
                          /*   acts on its timers and scripts only (its   */
                          /*   settle arms restarts)                      */
    SIM_MOD_LATENT,       /* latent.c (M7.3-M7.5): after patching, whose  */
                          /*   reboots show its faults; its settle shows  */
                          /*   the faults of servers a host or site       */
                          /*   brought back and reads the routing groups  */
    SIM_MOD_COUNT
};

/* One behaviour module: what the engine calls it for. Every hook may be
 * NULL. A module keeps its own state behind `alloc` (the engine hands it
 * back as sim_module_state(e, id)); what other modules and the measures
 * read (e->pool, e->be_serving, ...) it publishes in the engine. */
typedef struct {
    const char *name;
    /* SIM_ROLE_* bits: a change of a component with one of these roles
     * reaches on_change. */
    unsigned roles;
    /* Build the module's fixed state for e->t into *state, mark the roles
     * of its components in e->role (e->fe_of_comp is set; modules before it
     * in the table are built). Full mode only. Returns 0, -1 OOM. */
    int (*alloc)(sim_engine *e, void **state);
    /* Free what alloc built; also after a failed alloc (state may be NULL,
     * or partly built). */
    void (*release)(sim_engine *e, void *state);
    /* Timer slots the module needs (after every alloc); its timer k is
     * slot sim_timer_slot(e, id, k). */
    int (*timers)(const sim_engine *e);
    /* Start of a replication: every component up, no timer armed. */
    void (*begin)(sim_engine *e);
    /* Component comp (with one of `roles`) changed from old to e->eff[comp].
     * Bookkeeping only; conclusions wait for settle. */
    void (*on_change)(sim_engine *e, int comp, int old);
    /* Settle phase: draw the conclusions of the event, once. */
    void (*settle)(sim_engine *e);
    /* Its timer k fired (required when it has timers). */
    void (*on_timer)(sim_engine *e, int k);
    /* A scripted action that is no component's (SIM_ACT_SOFT_RESET,
     * SIM_ACT_SQL_FAILOVER); the module ignores the others. */
    void (*act)(sim_engine *e, sim_action a);
    /* Fill info->cause and info->index for its timer k (sim_engine_step). */
    void (*describe)(const sim_engine *e, int k, sim_step_info *info);
    /* Copy what changes during a replication from src's state into dst's,
     * both built by alloc for the same topology (sim_engine_copy, the
     * lab's undo). Required when alloc builds state that changes. */
    void (*copy)(const sim_engine *src, const void *src_state, void *dst_state);
    /* true: whatever this module changes that the features and the
     * limited or resiliency time read (sim_feature_value, measures.c) is in
     * sim_feature_inputs (features.c), so while every feature is up the
     * measures skip an event that leaves those inputs as they were. false
     * (the default of a row that does not say): the measures look after
     * every event, as long as the design has this module. */
    bool feature_inputs_keyed;
    /* true: when alloc builds no state (the design has nothing for the
     * module), its settle does nothing and the engine leaves it out of the
     * settle phase. false (the default): settle is called after every
     * event, state or not (the Back End's standalone variant has none). */
    bool idle_without_state;
} sim_module;

/* The hot hooks, gathered by the engine from the table (one indirect call
 * per hook, no walk over modules that have nothing to do). */
typedef void (*sim_change_hook)(sim_engine *e, int comp, int old);
typedef void (*sim_settle_hook)(sim_engine *e);

/* What the engine keeps per module. */
typedef struct {
    void *state;          /* what the module's alloc built, or NULL       */
    int   timer_base;     /* slot of its timer 0                          */
    int   n_timers;
} sim_module_ctx;

extern const sim_module sim_module_cluster;    /* cluster.c    */
extern const sim_module sim_module_file_store; /* file_store.c */
extern const sim_module sim_module_backend;    /* backend.c    */
extern const sim_module sim_module_fabric;     /* fabric.c     */
extern const sim_module sim_module_routing;    /* routing.c    */
extern const sim_module sim_module_operator;   /* fabric.c     */
extern const sim_module sim_module_patching;   /* patching.c   */
extern const sim_module sim_module_vmhost;     /* vmhost.c     */
extern const sim_module sim_module_latent;     /* latent.c     */

/* The --static fast path (static_memo.c). */
#define SIM_STATIC_MEMO_MAX_BITS 16
typedef struct {
    int     *bit;        /* component -> bit of mask, -1 when irrelevant  */
    uint32_t mask;       /* bit set: that component's own state is down   */
    int32_t *code;       /* 2^bits entries: index into vals, -1 unknown;  */
                         /*   NULL when the design has too many bits      */
    double  *vals;       /* distinct results, n_vals doubles each         */
    int      n_distinct, cap;
    int32_t  code_now;   /* the result in force, -1 none                  */
    bool     dirty;      /* the result changed since the measures looked  */
} sim_static_memo;

struct sim_engine {
    const qr_topology *t;
    sim_config cfg;
    int n_comps;

    /* ---- fixed for the engine's life ---- */
    int *parent;          /* containing component (host or site), -1     */
    int *child_start;     /* CSR of direct contents: children of i are   */
    int *children;        /*   children[child_start[i] .. child_start[i+1]) */
    int *fe_of_comp;      /* pool.frontends index of a server, else -1   */
    unsigned char *role;  /* SIM_ROLE_* bits                             */
    unsigned char *fails; /* component has a finite MTBF                 */
    int n_fe, n_seeds, start_threshold;
    sim_structure *structure; /* static mode only                        */
    /* common-cause events (model/ccf.h, engine.c): event k is the queue  */
    /* target n_comps + k, with its own failure and repair streams        */
    int n_ccf_ev;         /* common events                                */
    int *ccf_start;       /* CSR: members of event k are                 */
    int *ccf_members;     /*   ccf_members[ccf_start[k] .. ccf_start[k+1]) */
    qr_dist *ccf_up;      /* per event: time to its next occurrence       */
    const qr_dist **ccf_repair; /* per event: its group's repair (the     */
                          /*   first member's)                            */
    double *fail_scale;   /* per component: its failure draws are scaled  */
                          /*   by this (1, or a member's share, ccf.h)    */
    int n_servers;

    /* the behaviour modules (engine.c's table) */
    int n_mods;           /* SIM_MOD_COUNT; 0 in static mode (no module)  */
    sim_module_ctx mod[SIM_MOD_COUNT];
    int *hear_start;      /* CSR over components: the on_change hooks    */
    sim_change_hook *hear; /*   hearing component i, in table order, are */
                          /*   hear[hear_start[i] .. hear_start[i + 1])   */
    sim_settle_hook settles[SIM_MOD_COUNT + 1]; /* the settle hooks, in  */
                          /*   table order, then NULL                     */
    unsigned char *timer_mod; /* per timer slot: the module owning it     */
    const sim_backend_ops *be_ops;    /* the design's variants, chosen    */
    const sim_file_store_ops *fs_ops; /*   by backend.c's, file_store.c's */
                                      /*   alloc                          */
    int groups, r;        /* routing groups, replicas per group (M2.1;    */
                          /*   routing.c's alloc; 0 in static mode)       */

    /* ---- one replication ---- */
    sim_queue q;          /* failures, repairs, scripted events           */
    sim_queue tq;         /* the modules' timers (sim_timer_arm): a few   */
                          /*   pending at a time, mostly due soon, so     */
                          /*   apart they push and pop in a short heap;   */
                          /*   one seq counter (q.next_seq) for both, and */
                          /*   the earlier top of the two fires first:    */
                          /*   the order of one queue (engine.c)          */
    sim_rng rng;          /* engine-level draws (patch night phase)       */
    sim_rng *crng;        /* per component i: failure draws crng[2i],     */
                          /*   repair draws crng[2i+1], keyed by kind and */
                          /*   name (seed_streams): common random numbers */
                          /*   across designs                             */
    double now;
    uint64_t events;
    uint64_t event_limit; /* the budget is checked again past this count  */
    int *ccf_hold;        /* per component: its common events down now    */
    size_t purge_at;      /* sim_engine_run drops the cancelled events    */
                          /*   when the queue holds more (engine.c)       */
    unsigned char *own;   /* component's own state (sim_comp_state)       */
    unsigned char *eff;   /* after containment (M0.2)                     */
    uint32_t *comp_gen;   /* n_comps + n_ccf_ev: components, then common  */
                          /*   events (crng too: 2 streams each)          */
    int n_timers;
    uint32_t *timer_gen;
    double *timer_at;     /* INFINITY when not armed                      */
    int servers_down;     /* member servers (SIM_ROLE_MEMBER) whose eff   */
                          /*   state is not up                            */

    /* What the modules publish (each module's own state is in its file). */
    /* fabric (M1, fabric.c) */
    sim_pool_state pool;
    int seeds_counted, seeds_present, fe_running;
    /* routing (M2, routing.c) */
    int groups_writable, groups_limited, groups_down;
    /* Back End (M3, M4.6, M4.7: backend.c and its variant) */
    bool be_serving;
    bool be_grace_expired; /* M3.5: users in resiliency mode             */
    bool be_dirty;        /* the Back End's variant must look again in    */
                          /*   settle (backend.c): one of its servers     */
                          /*   changed, its timer fired, an action, begin */
    int be_principal, be_mirror;  /* component indices (mirroring)        */
    bool be_synchronized;
    /* file store (M5, file_store.c) */
    bool fs_up;
    /* site partitions for the pool (pool_partition.c, set in the Back End
     * module's settle) */
    sim_partition *part;  /* NULL: no links, nothing is ever cut          */
    bool be_seen;         /* the Back End serves and the pool's side      */
                          /*   reaches it (be_serving without links)      */
    /* patching (M7, patching.c) */
    long patch_reboots;   /* members rebooted by patching                 */

    /* measures (M8) */
    sim_rep rep;          /* counters of this replication                 */
    int n_vals;           /* n_features + 1                               */
    double *val;          /* current availability of each feature, pool   */
    double *new_val;      /* scratch for the settle phase                 */
    double *out_start;    /* start of the current outage of each          */
    double limited_frac;  /* groups limited / groups, while pool up       */
    bool resiliency_cached; /* resiliency mode as last integrated          */
    double last_t;        /* measures integrated up to here               */
    double *static_feature; /* static mode: sim_structure_eval output     */
    unsigned char *s_up;  /* static mode: 1 when own state is up          */
    unsigned char *s_eff; /* static mode: after containment (structure)   */
    int static_pool;      /* static mode: pool up                          */
    sim_static_memo memo; /* static mode: memoized structure (static_memo.c) */
    bool oom;             /* a push failed: the replication is void       */

    /* downtime by cause (sim/causes.h, attribution.c, measures.c) */
    const sim_event *ev_now; /* the event being handled; valid only while */
                          /*   handle() (engine.c) runs                   */
    unsigned char origin; /* its sim_down_start once asked (sim_origin_now) */
                          /*   SIM_DS_COUNT until then                    */
    unsigned char *timer_origin; /* per timer slot: origin when armed     */
    unsigned char *cause_now;  /* n_vals: sim_down_cause of the loss now  */
    unsigned char *new_cause;  /* n_vals: scratch for the settle phase    */
    unsigned char *start_now;  /* n_vals: sim_down_start of the outage    */
    double cause_t;       /* cause arrays integrated up to here           */
    int n_down;           /* features (and pool) with a value below 1     */
    bool inputs_keyed;    /* every module is feature_inputs_keyed         */
    uint64_t inputs_seen; /* sim_feature_inputs when the measures last    */
                          /*   looked (used when inputs_keyed)            */

    /* rare-event acceleration (rare.c) */
    int own_down;         /* components whose own state is not up         */
    uint64_t own_changes; /* calls of sim_set_own this replication        */
    uint64_t crng_epoch;  /* streams renewed this many times: crng[x] is  */
    uint64_t crng_key;    /*   seeded (crng_key, x) when first drawn from */
    uint64_t *crng_stamp; /*   after a renewal, crng_stamp[x] recording   */
                          /*   the epoch it was seeded in (0 and all 0:   */
                          /*   never renewed; sim_engine_renew_streams)   */
};

/* ---- engine services for the modules (engine.c) ---- */

/* Arm timer `slot` to fire at time t (replacing any earlier arming).
 * Returns 0, -1 OOM. */
int sim_timer_arm(sim_engine *e, int slot, double t);
/* Cancel timer `slot` (no-op when not armed). */
void sim_timer_cancel(sim_engine *e, int slot);
static inline bool sim_timer_armed(const sim_engine *e, int slot)
{
    return !isinf(e->timer_at[slot]);
}
/* The slot of module mod's timer k. */
static inline int sim_timer_slot(const sim_engine *e, int mod, int k)
{
    return e->mod[mod].timer_base + k;
}
/* Module mod's own state (what its alloc built). */
static inline void *sim_module_state(const sim_engine *e, int mod)
{
    return e->mod[mod].state;
}
/* True when component i is up after containment. */
static inline bool sim_up(const sim_engine *e, int i)
{
    return i >= 0 && e->eff[i] == SIM_UP;
}
/* Give component comp (when one) the role bits `bit` (module allocs). */
static inline void sim_mark_role(sim_engine *e, int comp, unsigned bit)
{
    if (comp >= 0 && comp < e->n_comps)
        e->role[comp] |= (unsigned char)bit;
}
/* Set component i's own state and propagate containment (M0.2), calling
 * the modules' hooks for every component whose effective state changed. */
void sim_set_own(sim_engine *e, int i, sim_comp_state s);
/* Crash, shut down, start or repair component i now, keeping its random
 * failure and repair clocks consistent (failure clocks restart at every
 * start). Returns 0, -1 OOM. */
int sim_comp_action(sim_engine *e, int i, sim_action a);

/* ---- site_links.c ---- */
/* Join the sites[0..n_sites-1] over the running links[0..n_links-1] (a
 * link runs when it and both its sites are up): root[site] is then the
 * smallest site index of its connected group. */
void sim_site_roots(const sim_engine *e, const int *sites, int n_sites, const int *links,
                    int n_links, int *root);

/* ---- pool_partition.c (site partitions for the pool and mirroring) ---- */
/* Build e->part (NULL without links). Returns 0, -1 OOM. */
int sim_partition_new(sim_engine *e);
void sim_partition_free(sim_partition *p);
/* Copy the replication state of src into dst (same topology). */
void sim_partition_copy(sim_partition *dst, const sim_partition *src, int n_comps, int n_fe);
/* Start of a replication: all sites joined, nothing cut. */
void sim_partition_begin(sim_engine *e);
/* Recompute which sites are connected (links and sites as they are now). */
void sim_partition_sites(sim_engine *e);
/* Components a and b reach each other (either without a site: yes). */
bool sim_partition_reach(const sim_engine *e, int a, int b);
/* The pool's side, the front ends cut off from it (told to the fabric and
 * routing) and e->be_seen. */
void sim_partition_pool(sim_engine *e);
/* Front end fe, with state st after containment, as the pool sees it: down
 * unexpectedly while it runs cut off from the pool's side. */
static inline int sim_fe_view(const sim_engine *e, int fe, int st)
{
    return (st == SIM_UP && e->part && e->part->cut[fe]) ? SIM_DOWN_UNEXPECTED : st;
}
/* True when server i is a virtual machine that may run on host h: h is a
 * host of its home host's site (M0.4). */
bool sim_vm_may_run_on(const qr_topology *t, int i, int h);
/* Move virtual machine i to host h (sim_vm_may_run_on) and pass h's state
 * to it (M0.2): it comes up when h is up and its own state is up, goes
 * down when h is down. Returns 0, -1 bad argument. */
int sim_move_server(sim_engine *e, int i, int h);

/* ---- vmhost.c (M0.4, M0.5, M7.6, M7.7) ---- */
/* The operator moves VM vm to host h (SIM_ACT_MIGRATE). Returns 1 moved,
 * 0 refused (*why says why when not NULL), -1 OOM. */
int sim_vmhost_migrate(sim_engine *e, int vm, int h, sim_migrate_check *why);
/* True when timer slot `slot` is a host maintenance's (M7.7). */
bool sim_vmhost_owns_maint_timer(const sim_engine *e, int slot);

/* ---- fabric.c (M1) ---- */
/* Front end fe went from view state old to now (sim_fe_view). */
void sim_fabric_fe_changed(sim_engine *e, int fe, int old, int now);
bool sim_fabric_quorum(const sim_engine *e);
int sim_fabric_votes_counted(const sim_engine *e);
int sim_fabric_votes_present(const sim_engine *e);

/* ---- routing.c (M2) ---- */
/* Front end fe went from view state old to now (sim_fe_view). */
void sim_routing_fe_changed(sim_engine *e, int fe, int old, int now);
/* Pool (re)started: arm rebuilds of replicas lost meanwhile. */
void sim_routing_pool_started(sim_engine *e);
/* M2.4: a soft reset reloads every group in quorum loss onto running front
 * ends. Returns the number of groups reloaded: those that got at least one
 * replica back (0: the reset changed nothing). */
int sim_routing_reload(sim_engine *e);

/* ---- cluster.c (M4) ---- */
/* Cluster c runs its roles: it has quorum or runs in forced quorum. */
bool sim_cluster_running(const sim_engine *e, int c);
/* Server comp's position among cluster c's nodes, or -1. */
int sim_cluster_node_pos(const sim_engine *e, int c, int comp);
/* Node j of cluster c is up and in the partition the cluster runs in. */
bool sim_cluster_node_present(const sim_engine *e, int c, int j);
/* Server comp can serve a role of cluster c: a present node of c, or up
 * when it is not a node of c. */
bool sim_cluster_server_present(const sim_engine *e, int c, int comp);
/* Component comp (a shared disk) is up and reachable from the partition
 * cluster c runs in (site partitions; always when they do not apply). */
bool sim_cluster_reaches(const sim_engine *e, int c, int comp);
/* Clustered roles (M4.7, M5.1). */
void sim_cluster_role_begin(sim_engine *e, sim_cluster_role *r);
/* Settle: arm or cancel the move; returns whether the role is up now. */
bool sim_cluster_role_update(sim_engine *e, sim_cluster_role *r);
/* The move timer fired: move to the next node up. Returns 1 moved. */
int sim_cluster_role_on_timer(sim_engine *e, sim_cluster_role *r);

/* Copy every module's replication state from src into dst (engine_copy.c),
 * through the rows' copy hooks. Returns 0, -1 when a module with state has
 * no copy hook or the engines differ. */
int sim_engine_copy_modules(sim_engine *dst, const sim_engine *src);

/* ---- what the modules tell attribution.c (downtime by cause) ---- */
/* True while a Back End failover (M3.3, M3.4, M4.6, M4.7) is under way. */
bool sim_backend_failing_over(const sim_engine *e);
/* The AlwaysOn failover under way: 0 none, 1 automatic, 2 forced by the
 * operator (M4.6; backend_cluster.c). 0 for other back ends. */
int sim_alwayson_failover_kind(const sim_engine *e);
/* The mirroring failover under way: 0 none, 1 automatic (M3.3), 2 forced
 * by the operator (M3.4). 0 for other back ends. */
int sim_mirroring_failover_kind(const sim_engine *e);
/* True while the file store fails over (M5.1; file_store.c). */
bool sim_file_store_failing_over(const sim_engine *e);
/* True when timer slot `slot` is a patch night's (M7.1; patching.c). */
bool sim_patching_owns_timer(const sim_engine *e, int slot);

/* ---- latent.c (M7.3-M7.5) ---- */
/* Server comp, down, is starting: its hidden latent faults show now. True
 * when one that breaks the whole server (or one shown before and not yet
 * fixed) keeps it from starting. */
bool sim_latent_start(sim_engine *e, int comp);
/* Server comp shows a latent fault now (M7.5: verify after reboot). */
bool sim_latent_broken(const sim_engine *e, int comp);
/* M7.5: verification stopped a patch night (a counter; patching.c). */
void sim_latent_night_stopped(sim_engine *e);
/* Feature f's value v (sim_feature_value) with the features latent faults
 * break taken out: the users whose routing group is served by a front end
 * that shows a fault breaking f lose it. */
double sim_latent_feature_value(const sim_engine *e, int f, double v);
/* True when a latent fault breaks feature f for some users now. */
bool sim_latent_breaks_feature(const sim_engine *e, int f);
/* True when some shown latent fault breaks named features: the values then
 * follow the routing groups' placement too (sim_feature_inputs). */
bool sim_latent_breaking(const sim_engine *e);
/* True when a latent fault holds a server with one of the SIM_ROLE_* bits
 * `roles` down (attribution.c). */
bool sim_latent_holds(const sim_engine *e, unsigned roles);

/* ---- static_memo.c (M9 fast path) ---- */
/* Build the component bits and, for small designs, the table. 0, -1 OOM. */
int sim_static_memo_init(sim_engine *e);
void sim_static_memo_release(sim_engine *e);
/* Start of a replication: every component up. */
void sim_static_memo_begin(sim_engine *e);
/* Component i's own state changed (e->s_up[i] already set). */
void sim_static_memo_on_own(sim_engine *e, int i);
/* Settle phase in static mode: static_feature and static_pool from the
 * present state; sets memo.dirty when they changed (e->oom on OOM). */
void sim_static_settle(sim_engine *e);

/* ---- features.c (M6) ---- */
/* Availability of feature f in the current state. */
double sim_feature_value(const sim_engine *e, int f);
/* Everything of the present state that sim_feature_value and the limited
 * and resiliency times (measures.c) read, packed: equal keys, equal values
 * (full simulation; the measures' skip, sim_module.feature_inputs_keyed).
 * Whoever makes sim_feature_value read more adds it here; what cannot be
 * packed sets SIM_INPUTS_VOLATILE, and the measures then look after every
 * event while it is set (and once when it clears). */
uint64_t sim_feature_inputs(const sim_engine *e);
#define SIM_INPUTS_VOLATILE (UINT64_C(1) << 8) /* above the pool state (bits 4-5) */

/* ---- attribution.c (downtime by cause, sim/causes.h) ---- */
/* Allocate the per-feature and per-timer arrays (after n_vals and n_timers
 * are set). Returns 0, -1 OOM. */
int sim_attrib_alloc(sim_engine *e);
void sim_attrib_release(sim_engine *e);
/* Why feature k (n_features: the pool) is down now; call only while its
 * value is below 1. */
sim_down_cause sim_attrib_cause(const sim_engine *e, int k);
/* What kind of event ev is, for the outages it starts (timers inherit the
 * origin of the event that armed them). */
sim_down_start sim_attrib_origin(const sim_engine *e, const sim_event *ev);
/* The origin of the event being handled, computed when first asked: most
 * events start no outage and arm no timer. */
static inline unsigned char sim_origin_now(sim_engine *e)
{
    if (e->origin == SIM_DS_COUNT)
        e->origin = (unsigned char)sim_attrib_origin(e, e->ev_now);
    return e->origin;
}

/* ---- measures.c (M8) ---- */
void sim_measures_begin(sim_engine *e);
/* Settle phase: recompute values and integrate when something changed. */
void sim_measures_update(sim_engine *e);
/* Integrate up to time t (end of a run or replication). */
void sim_measures_advance(sim_engine *e, double t);
/* Close the replication at the horizon and copy into out. */
void sim_measures_finish(sim_engine *e, sim_rep *out);

#endif
