/*
 * state.h: the inside of a sim_engine, shared by the engine and its
 * behaviour modules (fabric.c, routing.c, backend_mirroring.c, cluster.c,
 * backend_cluster.c, file_store.c, features.c, patching.c, measures.c). Nothing
 * outside sim/ includes it.
 *
 * State is flat arrays indexed by component id, routing-group slot or timer
 * slot; counters that the rules read (votes, running front ends, writable
 * groups) are updated incrementally when a component changes, so handling
 * one event costs what that component touches, not the topology's size.
 *
 * Event handling has two phases. First the event changes component states
 * and every affected module updates its counters (the *_on_* hooks). Then
 * sim_settle() lets each module draw conclusions once, in a fixed order
 * (failover clusters, file store, back end, fabric, routing, patching,
 * measures), so that no rule acts on a half-applied event.
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
#include "model/placement.h"
#include "sim/rng.h"
#include "exact/structure.h"
#include "model/topology.h"

/* Event kinds. */
enum {
    SIM_EV_FAIL,    /* target: component; random failure (M0.3)          */
    SIM_EV_REPAIR,  /* target: component; random repair                  */
    SIM_EV_SCRIPT,  /* target: component or -1; aux: sim_action          */
    SIM_EV_TIMER    /* target: timer slot                                */
};

/* Timer slots. The replica rebuild timers of the front ends follow:
 * SIM_T_COUNT + frontend index (M2.3); then two per failover cluster
 * (cluster.c): cl_timer_base + 2 * cluster is its dynamic-quorum
 * adjustment (M4.2), + 1 the operator's forced quorum (M4.5). */
enum {
    SIM_T_FABRIC_START,    /* M1.6/M1.7: pool restart completes          */
    SIM_T_OPERATOR_RESET,  /* M1.7: operator's soft reset (and retries)  */
    SIM_T_BE_FAILOVER,     /* M3.3 automatic / M3.4 manual failover      */
    SIM_T_BE_RESYNC,       /* M3.3 mirror resynchronized                 */
    SIM_T_BE_GRACE,        /* M3.5 30-minute grace ends                  */
    SIM_T_FS_FAILOVER,     /* M5.1 DFS failover completes                */
    SIM_T_PATCH,           /* M7 next patching step                      */
    SIM_T_COUNT
};

/* Roles of a component, bits of sim_engine.role. */
enum {
    SIM_ROLE_FRONTEND   = 1u << 0,
    SIM_ROLE_BACKEND    = 1u << 1,
    SIM_ROLE_FILE_STORE = 1u << 2,
    SIM_ROLE_CLUSTER    = 1u << 3  /* node or witness of a cluster (M4)   */
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

/* Back-end behaviour behind one interface, so that failover clusters
 * (AlwaysOn, FCI) plug in beside mirroring without changing the engine. */
typedef struct {
    const char *name;
    /* Start of a replication: everything up, configured roles. */
    void (*begin)(sim_engine *e);
    /* Component `comp` (with the back-end role) changed from old to its
     * current e->eff state. Only bookkeeping: conclusions in update(). */
    void (*on_change)(sim_engine *e, int comp, int old);
    /* Settle phase: set e->be_serving, arm or cancel this module's timers. */
    void (*update)(sim_engine *e);
    /* One of this module's timers fired. */
    void (*on_timer)(sim_engine *e, int slot);
    /* Scripted or operator manual failover; 1 done, 0 not possible. */
    int (*manual_failover)(sim_engine *e);
} sim_backend_ops;

/* File-store behaviour, same pattern (e->fs_up). */
typedef struct {
    const char *name;
    void (*begin)(sim_engine *e);
    void (*on_change)(sim_engine *e, int comp, int old);
    void (*update)(sim_engine *e);
    void (*on_timer)(sim_engine *e, int slot);
} sim_file_store_ops;

extern const sim_backend_ops sim_backend_mirroring;   /* backend_mirroring.c */
extern const sim_backend_ops sim_backend_standalone;  /* backend_mirroring.c */
extern const sim_backend_ops sim_backend_external;    /* backend_mirroring.c */
extern const sim_file_store_ops sim_file_store_share; /* file_store.c */
extern const sim_file_store_ops sim_file_store_dfs;   /* file_store.c */
extern const sim_backend_ops sim_backend_alwayson;    /* backend_cluster.c */
extern const sim_backend_ops sim_backend_fci;         /* backend_cluster.c */
extern const sim_file_store_ops sim_file_store_cluster; /* file_store.c */

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
    int groups, r;        /* routing groups, replicas per group          */
    sim_placement placement;
    const sim_backend_ops *be_ops;
    const sim_file_store_ops *fs_ops;
    sim_structure *structure; /* static mode only                        */
    int n_servers;
    int *patch_members;   /* servers with patching, topology order        */
    int n_patch_members;
    double patch_period;  /* smallest patch.every of the members          */

    /* ---- one replication ---- */
    sim_queue q;
    sim_rng rng;          /* engine-level draws (patch night phase)       */
    sim_rng *crng;        /* one stream per component: common random      */
                          /*   numbers across design variants             */
    double now;
    uint64_t events;
    uint64_t event_limit; /* the budget is checked again past this count  */
    unsigned char *own;   /* component's own state (sim_comp_state)       */
    unsigned char *eff;   /* after containment (M0.2)                     */
    uint32_t *comp_gen;
    int n_timers;
    uint32_t *timer_gen;
    double *timer_at;     /* INFINITY when not armed                      */
    int servers_down;     /* servers whose eff state is not up            */

    /* fabric (M1) */
    sim_pool_state pool;
    int seeds_counted, seeds_present, fe_running;
    bool fe_started;      /* a front end came up during this event        */
    bool reload_pending;  /* a reset's restart will reload lost groups     */

    /* routing (M2) */
    int *slot_fe;         /* groups * r: frontends index of each replica  */
    int *fe_slots;        /* n_fe * groups: slots on each front end       */
    int *fe_nslots;
    int *slot_pos;        /* position of a slot in its front end's list   */
    unsigned char *group_up;    /* replicas up per group                  */
    unsigned char *group_state; /* sim_group_state                        */
    int groups_writable, groups_limited, groups_down;
    bool groups_dirty;    /* R = 2 groups must be re-evaluated (BE vote)  */

    /* back end (M3) */
    bool be_serving;
    bool be_grace_expired;
    int be_principal, be_mirror;  /* component indices (mirroring)        */
    bool be_synchronized;

    /* AlwaysOn availability group (M4.6, backend_cluster.c) */
    int ag_primary;       /* index into backend.replicas                  */
    unsigned char *ag_sync; /* per replica: synchronized                  */
    double *ag_resync_at; /* per replica: resynchronized then, or INFINITY*/
    int ag_failover_kind; /* armed SIM_T_BE_FAILOVER: 0, 1 auto, 2 forced */
    sim_cluster_role be_role; /* FCI (M4.7)                               */

    /* file store (M5) */
    bool fs_up;
    int fs_active;        /* dfs: index into file_store.replicas          */
    sim_cluster_role fs_role; /* file-share cluster (M5.1)                */

    /* failover clusters (M4, cluster.c); node arrays are flat: cluster c's
     * nodes are [cl_first[c], cl_first[c + 1]) */
    int n_clusters;
    int cl_timer_base;    /* first cluster timer slot                     */
    int *cl_first;        /* n_clusters + 1 offsets                       */
    unsigned char *cl_vote;   /* per node: current vote (DynamicWeight)   */
    unsigned char *cl_member; /* per node: in the membership (an          */
                              /*   unexpected loss not yet processed      */
                              /*   still is)                              */
    double *cl_gone_at;   /* per node: when a member stopped being      */
                          /*   present (loss not processed), else INF   */
    double *cl_wgone_at;  /* per cluster: the same for the witness      */
    unsigned char *cl_state;  /* per cluster: sim_cluster_state           */
    unsigned char *cl_wvote;  /* per cluster: the witness votes now       */
    unsigned char *cl_wmember;/* per cluster: witness in the membership   */
    unsigned char *cl_dirty;  /* per cluster: changed in this event       */
    unsigned char *cl_force_due; /* per cluster: operator ready to force  */
    long *cl_losses;      /* per cluster: quorum losses (M4.5)            */
    long *cl_forced;      /* per cluster: forced quorums (M4.5)           */
    int *cl_key;          /* per cluster: the partition it runs in (the */
                          /*   lowest site of its connected sites, or   */
                          /*   -2 when partitions do not apply)          */
    int *cl_node_site;    /* per node: its site component, -1 for none   */
    int *cl_wsite;        /* per cluster: the witness's site, -1: none,  */
                          /*   reachable from every site (cloud)        */
    unsigned char *cl_split; /* per cluster: site partitions apply      */
    int *cl_root;         /* per component: a site's connected-sites    */
                          /*   root (lowest index), scratch              */
    int *cl_sites, n_cl_sites; /* site components                       */
    int *cl_links, n_cl_links; /* link components                       */
    int *cl_comp_start;   /* CSR over components: entries               */
    int *cl_ent_cluster;  /*   [cl_comp_start[i], cl_comp_start[i + 1])   */
    int *cl_ent_pos;      /*   name a cluster and the node position, or   */
                          /*   -1 for its witness                         */

    /* patching (M7) */
    int patch_phase;      /* 0 idle, 1 rebooting a member, 2 gap          */
    int patch_next;       /* next index into patch_members               */
    int patch_current;    /* component being rebooted                     */
    int patch_current_index; /* its index in patch_members               */
    double patch_night_start;
    double *last_patched; /* per patch member                             */

    /* measures (M8) */
    sim_rep rep;          /* counters of this replication                 */
    int n_vals;           /* n_features + 1                               */
    double *val;          /* current availability of each feature, pool   */
    double *new_val;      /* scratch for the settle phase                 */
    double *out_start;    /* start of the current outage of each          */
    double limited_frac;  /* groups limited / groups, while pool up       */
    bool resiliency_cached; /* resiliency mode as last integrated          */
    int new_group_losses; /* groups that left writable in this event      */
    double last_t;        /* measures integrated up to here               */
    double *static_feature; /* static mode: sim_structure_eval output     */
    unsigned char *s_up;  /* static mode: 1 when own state is up          */
    unsigned char *s_eff; /* static mode: after containment (structure)   */
    int static_pool;      /* static mode: pool up                          */
    sim_static_memo memo; /* static mode: memoized structure (static_memo.c) */
    long patch_reboots;   /* members rebooted by patching                 */
    bool oom;             /* a push failed: the replication is void       */
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
/* True when component i is up after containment. */
static inline bool sim_up(const sim_engine *e, int i)
{
    return i >= 0 && e->eff[i] == SIM_UP;
}
/* Set component i's own state and propagate containment (M0.2), calling
 * the modules' hooks for every component whose effective state changed. */
void sim_set_own(sim_engine *e, int i, sim_comp_state s);
/* Crash, shut down, start or repair component i now, keeping its random
 * failure and repair clocks consistent (failure clocks restart at every
 * start). Returns 0, -1 OOM. */
int sim_comp_action(sim_engine *e, int i, sim_action a);

/* ---- fabric.c (M1) ---- */
void sim_fabric_begin(sim_engine *e);
void sim_fabric_on_frontend(sim_engine *e, int fe, int old, int now_state);
void sim_fabric_update(sim_engine *e);
void sim_fabric_on_timer(sim_engine *e, int slot);
bool sim_fabric_quorum(const sim_engine *e);
int sim_fabric_votes_counted(const sim_engine *e);
int sim_fabric_votes_present(const sim_engine *e);
/* Settle phase, last: arm the operator's reset while something needs it. */
void sim_fabric_operator_update(sim_engine *e);
/* M1.7: the operator's soft reset, now. Returns 1 performed, 0 not. */
int sim_fabric_soft_reset(sim_engine *e);

/* ---- routing.c (M2) ---- */
int sim_routing_alloc(sim_engine *e);
void sim_routing_begin(sim_engine *e);
void sim_routing_on_frontend(sim_engine *e, int fe, int old, int now_state);
void sim_routing_update(sim_engine *e);
void sim_routing_on_timer(sim_engine *e, int slot);
/* Pool (re)started: arm rebuilds of replicas lost meanwhile. */
void sim_routing_pool_started(sim_engine *e);
/* M2.4: a soft reset reloads every group in quorum loss onto running front
 * ends. Returns the number of groups reloaded. */
int sim_routing_reload(sim_engine *e);

/* ---- backend_mirroring.c: the M3.5 grace, common to every back end ---- */
/* e->be_serving changed: arm or clear the resiliency-mode timer. */
void sim_backend_grace_update(sim_engine *e);
void sim_backend_grace_timer(sim_engine *e);

/* ---- cluster.c (M4) ---- */
/* Allocate the per-cluster arrays (full mode). Returns 0, -1 OOM. */
int sim_cluster_alloc(sim_engine *e);
/* Free them; safe on a partly built engine. */
void sim_cluster_release(sim_engine *e);
void sim_cluster_begin(sim_engine *e);
/* Component comp (a node or witness) changed from old to e->eff[comp]. */
void sim_cluster_on_change(sim_engine *e, int comp, int old);
/* Settle phase, first: quorum, dynamic votes, re-forming, forced quorum. */
void sim_cluster_update(sim_engine *e);
void sim_cluster_on_timer(sim_engine *e, int slot);
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

/* ---- patching.c (M7) ---- */
void sim_patching_begin(sim_engine *e);
void sim_patching_on_timer(sim_engine *e);

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

/* ---- measures.c (M8) ---- */
void sim_measures_begin(sim_engine *e);
/* Settle phase: recompute values and integrate when something changed. */
void sim_measures_update(sim_engine *e);
/* Integrate up to time t (end of a run or replication). */
void sim_measures_advance(sim_engine *e, double t);
/* Close the replication at the horizon and copy into out. */
void sim_measures_finish(sim_engine *e, sim_rep *out);

#endif
