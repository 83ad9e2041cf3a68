/*
 * topology.h: the in-memory model of one pool design.
 *
 * The loader (loader.c) fills it from a YAML topology file; checks (rules.c),
 * graph analysis and the simulator (sim/) only ever read it. Everything the
 * simulator needs is here with its default already applied, so no later stage
 * looks at YAML again (data flows one way: YAML -> model -> consumers).
 *
 * Components that can fail (sites, hosts, servers, shared storage, links
 * between sites, cloud witnesses, external SQL HA services: M0.1)
 * live in one flat array and are addressed by index everywhere else: a server
 * names its host and site by index, the back end names its servers by index.
 * Index -1 means "none".
 *
 * Ownership: a qr_topology owns every string and array it points to;
 * qr_topology_free() releases all of it. Nothing in it points outside itself.
 * All durations are in seconds (double). A mean of INFINITY means "never".
 */
#ifndef QR_TOPOLOGY_H
#define QR_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>

/* A place in the topology file: 1-based line and column, 0 when unknown. */
typedef struct {
    int line;
    int col;
} qr_loc;

/* ---- failure and repair distributions (M0.3) ---- */

typedef enum {
    QR_DIST_EXPONENTIAL,
    QR_DIST_WEIBULL,
    QR_DIST_LOGNORMAL,
    QR_DIST_FIXED
} qr_dist_kind;

typedef struct {
    qr_dist_kind kind;
    double mean;   /* seconds; INFINITY: the event never happens         */
    double shape;  /* weibull: k; lognormal: sigma of log; else unused    */
} qr_dist;

/* Limits the loader puts on failure and repair (docs/topology-format.md,
 * "Limits"). A mean below QR_DIST_MIN_MEAN seconds fills a simulated year
 * with tens of millions of events; a Weibull shape below the minimum or a
 * lognormal sigma above the maximum degenerates: nearly every draw is a
 * tiny fraction of the mean, which rests on draws too rare for a
 * simulation to see, so time stops advancing in practice. */
#define QR_DIST_MIN_MEAN          1.0
#define QR_DIST_WEIBULL_MIN_SHAPE 0.2
#define QR_DIST_MAX_SHAPE         100.0  /* weibull                       */
#define QR_DIST_LOGNORMAL_MAX_SHAPE 3.0
/* The shortest patch.every (seconds): patch nights at least an hour apart. */
#define QR_PATCH_MIN_EVERY        3600.0
/* The largest yearly cost a file may give (a component's, a witness's, a
 * planner's budget), as compare's --server-cost: design totals stay finite
 * and exact to well below a cent. */
#define QR_COST_MAX               1e12

/* Planned patching of one server (M7.1). */
typedef struct {
    bool   enabled;  /* false with `patch: none`                         */
    double every;    /* seconds between patch nights (default 30d)       */
    double reboot;   /* seconds one graceful reboot lasts (default 15m)  */
} qr_patch;

/* ---- where a value comes from (docs/assumptions.md) ---- */

/* The layers a failure figure or a timing can come from, lowest precedence
 * first: a higher layer replaces what a lower one gave. */
typedef enum {
    QR_FROM_BUILTIN,     /* the built-in default of the topology format    */
    QR_FROM_DESIGN,      /* the design's `defaults:`, `fabric:`,           */
                         /*   `operations:`, `patching:`, pool and cluster */
                         /*   timings: statements about the world          */
    QR_FROM_ASSUMPTIONS, /* an assumptions file (--assume)                 */
    QR_FROM_COMPONENT    /* a component's own key: a design choice         */
} qr_origin;

typedef struct {
    qr_origin from;
    qr_loc    loc;  /* where the design or the assumptions file gives it; */
                    /*   0:0 for the built-in default                      */
} qr_given;

/* The parts of a kind's figures that a layer may give one at a time (a
 * plain `mtbf: 2y` gives only the mean and keeps the family and shape of
 * the layer below). Naming a `distribution` gives the family and the shape
 * (reset to 1 unless `shape` is given). */
typedef enum {
    QR_PART_FAILURE_MEAN,
    QR_PART_FAILURE_FAMILY,
    QR_PART_FAILURE_SHAPE,
    QR_PART_REPAIR_MEAN,
    QR_PART_REPAIR_FAMILY,
    QR_PART_REPAIR_SHAPE,
    QR_PART_PATCH_ENABLED,  /* servers: `patch: none`, or a mapping        */
    QR_PART_PATCH_EVERY,
    QR_PART_PATCH_REBOOT,
    QR_PART_COUNT
} qr_part;

#define QR_PART_BIT(p) (1u << (p))
#define QR_PARTS_FAILURE (QR_PART_BIT(QR_PART_FAILURE_MEAN) |                 \
                          QR_PART_BIT(QR_PART_FAILURE_FAMILY) |               \
                          QR_PART_BIT(QR_PART_FAILURE_SHAPE))
#define QR_PARTS_REPAIR (QR_PART_BIT(QR_PART_REPAIR_MEAN) |                   \
                         QR_PART_BIT(QR_PART_REPAIR_FAMILY) |                 \
                         QR_PART_BIT(QR_PART_REPAIR_SHAPE))
#define QR_PARTS_PATCH (QR_PART_BIT(QR_PART_PATCH_ENABLED) |                  \
                        QR_PART_BIT(QR_PART_PATCH_EVERY) |                    \
                        QR_PART_BIT(QR_PART_PATCH_REBOOT))

/* The figures every component of one kind starts from before its own keys:
 * the built-in default, then the design's `defaults:`, then an assumptions
 * file; given[p] says which layer gave part p. */
typedef struct {
    qr_dist  failure;
    qr_dist  repair;
    qr_patch patch;    /* servers only                                    */
    qr_given given[QR_PART_COUNT];
} qr_kind_figures;

/* The timings and switches of the behaviour model that an assumptions file
 * may set (docs/assumptions.md), wherever the topology keeps them. */
typedef enum {
    QR_SET_GRACEFUL_LEAVE,        /* fabric.graceful_leave_adjusts_votes   */
    QR_SET_RESTART_TIME,          /* fabric.restart_time                   */
    QR_SET_REPLICA_REBUILD,       /* fabric.replica_rebuild                */
    QR_SET_QUORUM_RESET_AFTER,    /* operations.quorum_reset.after         */
    QR_SET_QUORUM_RESET_RETRY,    /* operations.quorum_reset.retry         */
    QR_SET_SQL_FAILOVER_AFTER,    /* operations.sql_failover.after         */
    QR_SET_FORCE_QUORUM_AFTER,    /* operations.force_quorum.after         */
    QR_SET_PATCH_GAP,             /* patching.gap                          */
    QR_SET_PATCH_SKIP,            /* patching.skip_if_unhealthy            */
    QR_SET_BACKEND_FAILOVER,      /* pool.backend.failover_time            */
    QR_SET_BACKEND_RESYNC,        /* pool.backend.resync_time              */
    QR_SET_RESILIENCY_GRACE,      /* pool.backend.resiliency_grace         */
    QR_SET_FILE_STORE_FAILOVER,   /* pool.file_store.failover_time         */
    QR_SET_QUORUM_ADJUST_DELAY,   /* each cluster's quorum_adjust_delay    */
    QR_SET_HEALTH_AUDIT,          /* operations.health_audit.every (M7.4)  */
    QR_SET_VERIFY_AFTER_REBOOT,   /* patching.verify_after_reboot (M7.5)   */
    QR_SET_PAIR_BACKUP_LAG,       /* pairing.backup_lag (M10.1)            */
    QR_SET_PAIR_REGISTRAR_FAILOVER, /* pairing.registrar_failover (M10.2)  */
    QR_SET_PAIR_FAILOVER_AFTER,   /* pairing.failover_after (M10.3)        */
    QR_SET_PAIR_FAILOVER_TIME,    /* pairing.failover_time (M10.3)         */
    QR_SET_PAIR_CMS_FAILOVER_TIME, /* pairing.cms_failover_time (M10.4)    */
    QR_SET_PAIR_FAILBACK_AFTER,   /* pairing.failback_after (M10.5)        */
    QR_SET_PAIR_FAILBACK_TIME,    /* pairing.failback_time (M10.5)         */
    QR_SET_PAIR_PATCH_OFFSET,     /* pairing.patch_offset (M7.1, M10)      */
    QR_SETTING_COUNT
} qr_setting;

/* ---- components (M0.1, M0.2) ---- */

typedef enum {
    QR_COMP_SITE,
    QR_COMP_HOST,          /* hypervisor or chassis in a site            */
    QR_COMP_SERVER,        /* Windows server, physical or on a host      */
    QR_COMP_STORAGE,       /* SAN or shared disk                          */
    QR_COMP_LINK,          /* network link between two sites              */
    QR_COMP_CLOUD_WITNESS, /* cloud witness of a cluster (external)       */
    QR_COMP_EXTERNAL_SQL,  /* an existing SQL HA service, by availability */
    QR_COMP_KIND_COUNT
} qr_comp_kind;

typedef struct {
    char        *name;    /* unique among all components                 */
    qr_comp_kind kind;
    qr_loc       loc;     /* where it is declared                         */
    int          site;    /* containing site, -1 for none (and for sites) */
    int          host;    /* servers: their host, -1 when physical        */
    int          link_a;  /* links: the two sites they join, else -1      */
    int          link_b;
    qr_dist      failure; /* time to failure (mean = MTBF)                */
    qr_dist      repair;  /* time to repair (mean = MTTR)                 */
    qr_patch     patch;   /* servers only; disabled for other kinds       */
    double       cost;    /* yearly cost in the topology's currency, >= 0 */
    unsigned     own;     /* QR_PART_BIT()s its own keys gave (a design   */
                          /*   choice); the other parts are its kind's    */
    int          capacity; /* hosts: VMs it can run (M0.4), 0: no limit   */
} qr_component;

/* ---- Windows failover clusters (M4) ---- */

typedef enum {
    QR_WITNESS_NONE,
    QR_WITNESS_FILE_SHARE, /* a share on a server                         */
    QR_WITNESS_DISK,       /* a disk on shared storage                    */
    QR_WITNESS_CLOUD       /* a cloud witness component                   */
} qr_witness_kind;

/* Windows Server versions, as ordered numbers so that ">= 2012 R2" works. */
typedef enum {
    QR_WINDOWS_2008 = 2008,
    QR_WINDOWS_2008R2 = 2009,
    QR_WINDOWS_2012 = 2012,
    QR_WINDOWS_2012R2 = 2013,
    QR_WINDOWS_2016 = 2016,
    QR_WINDOWS_2019 = 2019,
    QR_WINDOWS_2022 = 2022
} qr_windows;

typedef struct {
    char           *name;
    qr_loc          loc;
    int            *nodes;           /* server indices, in topology order   */
    qr_loc         *node_locs;       /* where each node is named             */
    int            *weight;          /* NodeWeight 0 or 1 per node (M4.1)    */
    int             n_nodes;
    qr_witness_kind witness_kind;
    int             witness;         /* server / storage / cloud comp, -1   */
    qr_loc          witness_loc;
    bool            witness_on_dfs;  /* file share witness on DFS (M5.2)     */
    qr_windows      windows;         /* default 2019                          */
    bool            dynamic_quorum;  /* M4.2: default on, off before 2012    */
    bool            dynamic_witness; /* M4.3: default on from 2012 R2         */
    int             lowest_priority; /* index into nodes (M4.3), default last */
    double          quorum_adjust_delay; /* M4.2, default 10s                */
    qr_given        quorum_adjust_delay_given; /* where it comes from        */
} qr_cluster;

/* ---- the pool ---- */

typedef enum {
    QR_VERSION_LYNC2013,
    QR_VERSION_SFB2015,
    QR_VERSION_SFB2019
} qr_version;

typedef enum {
    QR_BACKEND_STANDALONE, /* one SQL server                               */
    QR_BACKEND_MIRRORING,  /* synchronous SQL mirroring (M3)               */
    QR_BACKEND_ALWAYSON,   /* availability group on a WSFC (M4.6)          */
    QR_BACKEND_FCI,        /* failover cluster instance, shared disk (M4.7)*/
    QR_BACKEND_EXTERNAL    /* existing SQL HA service, by availability     */
} qr_backend_kind;

typedef struct {
    qr_backend_kind kind;
    qr_loc  loc;              /* the `backend:` key                        */
    int     server;           /* standalone: its server                    */
    int     principal;        /* mirroring: initial principal              */
    int     mirror;           /* mirroring: initial mirror                 */
    int     witness;          /* mirroring: witness server, -1 for none    */
    qr_loc  principal_loc, mirror_loc, witness_loc;
    bool    synchronous;      /* mirroring: high safety (only supported)   */
    int     cluster;          /* alwayson, fci: index into clusters        */
    int    *replicas;         /* alwayson: synchronous automatic-failover  */
    qr_loc *replica_locs;     /*   replicas (server indices), in order     */
    int     n_replicas;
    int     storage;          /* fci: the shared disk's storage component  */
    int     external;         /* external: its QR_COMP_EXTERNAL_SQL comp   */
    double  failover_time;    /* M3.3, M4.6: default 1m                    */
    double  resync_time;      /* M3.3: default 5m                          */
    double  resiliency_grace; /* M3.5: default 30m                         */
} qr_backend;

typedef enum {
    QR_FILE_STORE_SHARE,   /* one share on one server                      */
    QR_FILE_STORE_DFS,     /* DFS replicas                                 */
    QR_FILE_STORE_CLUSTER  /* a file-share cluster on shared storage       */
} qr_file_store_kind;

typedef struct {
    qr_file_store_kind kind;
    qr_loc  loc;
    int     server;         /* share: its server                           */
    int    *replicas;       /* dfs: replica servers, in order              */
    qr_loc *replica_locs;
    int     n_replicas;
    int     cluster;        /* cluster: index into clusters                */
    int     storage;        /* cluster: the shared disk                    */
    double  failover_time;  /* M5.1: default 1m                            */
} qr_file_store;

typedef struct {
    qr_version    version;
    qr_loc        loc;
    qr_loc        version_loc;
    int          *frontends;      /* server indices, topology order (M1.1) */
    qr_loc       *frontend_locs;
    int           n_frontends;
    int           routing_groups; /* M2.1: default 64                      */
    long          users;          /* homed users, 0 when not given         */
    qr_backend    backend;
    qr_file_store file_store;
} qr_pool;

/* ---- several pools in one design: pool pairing (M10) ---- */

/* Editions of a Front End pool. quorate models Enterprise Edition pools;
 * the edition is kept so that the pairing rules can judge a pair (PP003). */
typedef enum {
    QR_EDITION_ENTERPRISE,
    QR_EDITION_STANDARD
} qr_edition;

/* One entry of `pools:` (docs/topology-format.md, "Several pools"). The
 * components (sites, hosts, servers, storage, links, clusters) stay in the
 * topology's shared arrays; a pool names its servers like `pool:` does.
 * qr_topology_pool_view() (model/pool_view.h) turns pool i into an ordinary
 * single-pool topology. */
typedef struct {
    char       *name;        /* unique among pools and components          */
    qr_loc      loc;         /* the entry                                  */
    int         site;        /* `site:`, else its first front end's site;  */
    qr_loc      site_loc;    /*   -1 when neither gives one                */
    int         paired_with; /* index into t->pools, -1 for none           */
    qr_loc      paired_loc;
    bool        cms;         /* holds the Central Management store         */
    qr_loc      cms_loc;
    qr_edition  edition;     /* default enterprise                         */
    qr_loc      edition_loc;
    qr_windows  os;          /* Windows Server of its servers (2019)       */
    qr_loc      os_loc;
    qr_pool     pool;        /* version, front ends, Back End, file store, */
                             /*   routing groups, users                    */
} qr_pool_def;

/* The timings of pool pairing (M10, docs/simulate.md), from `pairing:`. */
typedef struct {
    double backup_lag;         /* M10.1 Backup Service lag (RPO): 5m       */
    double registrar_failover; /* M10.2 registrar failover interval: 300s  */
    double failover_after;     /* M10.3 operator's decision to fail the    */
                               /*   pool over: 30m                         */
    double failover_time;      /* M10.3 Invoke-CsPoolFailover (RTO): 20m   */
    double cms_failover_time;  /* M10.4 CMS failover first: 5m             */
    double failback_after;     /* M10.5 operator's decision to fail back   */
                               /*   once the home pool is up: 30m          */
    double failback_time;      /* M10.5 Invoke-CsPoolFailback: 60m         */
    qr_loc loc;                /* the `pairing:` key, 0:0 when absent      */
    int    n_user_features;    /* the design's features (M6 and its own):  */
                               /*   with pools, t->features holds them     */
                               /*   for all users first, then again for    */
                               /*   each pool's users, named "POOL.FEATURE"*/
                               /*   (pool i's copy of feature k at         */
                               /*   n_user_features * (1 + i) + k)         */
    double patch_offset;       /* M7.1 with pools: each pool's patch nights */
                               /*   come this long after those of the pool */
                               /*   listed before it in `pools:`: 1d       */
} qr_pairing;

/* ---- user features and what they need (M6) ---- */

typedef enum {
    QR_NEED_POOL           = 1u << 0, /* pool-level quorum (M1)             */
    QR_NEED_GROUP          = 1u << 1, /* routing group writable (M2.2)      */
    QR_NEED_GROUP_LIMITED  = 1u << 2, /* group writable, or limited (M2.4):  */
                                      /*   limited counts as degraded        */
    QR_NEED_BACKEND        = 1u << 3, /* back end serving (M3)               */
    QR_NEED_BACKEND_GRACE  = 1u << 4, /* serving, or down < grace (M3.5)    */
    QR_NEED_FILE_STORE     = 1u << 5  /* file store up (M5)                  */
} qr_need;

typedef struct {
    char    *name;   /* signin_im, presence, ... or a topology's own      */
    unsigned needs;  /* OR of qr_need                                      */
    qr_loc   loc;    /* where overridden, 0:0 for the built-in default     */
} qr_feature;

/* ---- behaviour-model parameters with no other home ---- */

typedef struct {
    bool   graceful_leave_adjusts_votes; /* fabric, M1.3: true            */
    double restart_time;        /* fabric, M1.6/M1.7: 15m                  */
    double replica_rebuild;     /* fabric, M2.3: 20m                       */
    double quorum_reset_after;  /* operations.quorum_reset.after, M1.7: 30m*/
    double quorum_reset_retry;  /* operations.quorum_reset.retry, M1.7: 30m*/
    double sql_failover_after;  /* operations.sql_failover.after, M3.4: 30m*/
    double force_quorum_after;  /* operations.force_quorum.after, M4.5: 60m*/
    double patch_gap;           /* patching.gap, M7.1: 20m                 */
    bool   patch_skip_if_unhealthy; /* patching.skip_if_unhealthy, M7.2    */
    double witness_cost;        /* costs.witness: yearly cost of a witness */
                                /*   that is not a full server (5.x "x")  */
    /* partition branch (FE009-FE019, BE009-BE019 are its rule IDs) */
    bool   sfb2019_backend_vote; /* fabric, M1.2: false: an SfB 2019 pool */
                                /*   of 13-16 FEs (12 seeds) needs 7 of   */
                                /*   them, the Back End does not vote     */
    bool   restart_order;       /* fabric, M1.9: true: a two-FE pool back */
                                /*   in the wrong order needs the reset   */
} qr_params;

/* ---- common-cause failures (docs/topology-format.md, "common_cause") ---- */

/* The parametric models of a common-cause group (NUREG/CR-5485). */
typedef enum {
    QR_CCF_BETA,   /* beta-factor: factor[0] = beta                        */
    QR_CCF_MGL,    /* multiple Greek letters: factor[] = beta, gamma, delta*/
    QR_CCF_ALPHA   /* alpha-factor: factor[k-1] = alpha_k, k = 1..n_factors*/
} qr_ccf_model;

#define QR_CCF_MAX_FACTORS 8  /* alpha_1 .. alpha_8; MGL uses at most 3    */
#define QR_CCF_MAX_MEMBERS 16 /* members of one group (a bit mask each)    */

/* One group of components that can fail together. Each member's
 * unavailability Q (the first member's MTTR/(MTBF+MTTR)) splits into an
 * independent part and common events that take several members down at
 * once (src/model/ccf.h gives the probabilities). */
typedef struct {
    char        *name;        /* unique among the groups                   */
    qr_loc       loc;         /* its `name:`                               */
    int         *members;     /* component indices, distinct, in order     */
    qr_loc      *member_locs;
    int          n_members;
    qr_ccf_model model;
    double       factor[QR_CCF_MAX_FACTORS];
    int          n_factors;
    qr_loc       factor_loc;  /* the first factor's key, for rules         */
    qr_origin    from;        /* QR_FROM_DESIGN, or QR_FROM_ASSUMPTIONS    */
    char        *source;      /* assumptions file: `source:`, else NULL    */
    char        *role;        /* `members: frontends` or `backend`: the    */
                              /*   role word, else NULL                    */
} qr_ccf_group;
/* ---- virtual machines on hosts (M0.4, M0.5, M7.6, M7.7) ---- */

/* The `virtualization:` key: how the hosts of the design treat the
 * servers that run on them (docs/topology-format.md). Anti-affinity
 * groups are flat: group g holds the servers
 * aa_members[aa_start[g] .. aa_start[g + 1]). */
typedef struct {
    qr_loc  loc;             /* the `virtualization:` key, 0:0 absent      */
    bool    ha;              /* M0.4: HA restart of a failed host's VMs    */
    double  ha_restart;      /* M0.4: seconds to restart them (5m)         */
    bool    live_migration;  /* M7.6: host maintenance live-migrates its   */
                             /*   VMs (default false: SFB-VIRT)            */
    double  maint_every;     /* M7.7: host maintenance night every; INFINITY */
                             /*   (default): none                          */
    double  maint_duration;  /* M7.7: one host's maintenance (1h)          */
    double  maint_gap;       /* M7.7: between two hosts (20m)              */
    int    *aa_members;      /* M0.5: server indices                       */
    qr_loc *aa_locs;         /*   where each member is named               */
    int    *aa_start;        /*   n_aa_groups + 1 offsets                  */
    int     n_aa_groups;
    /* Failback after an HA restart (M0.4): `failback:` given, how the
     * VMs go home, and how long after their home host is back. */
    bool    failback;        /* default false: restarted VMs stay          */
    bool    failback_live;   /* how: live (M7.6, no outage); else restart: */
                             /*   a graceful stop, the move, a start       */
    double  failback_after;  /* seconds (live 1h, restart 1d)              */
} qr_virtualization;
/* ---- latent faults (M7.3) ---- */

/* Which servers a latent fault of an assumptions file lands on, by role
 * (a topology names its servers). */
typedef enum {
    QR_LF_MEMBERS_LISTED,    /* the servers named in `members:`            */
    QR_LF_MEMBERS_FRONTENDS, /* `members: frontends`: the pool's front ends */
    QR_LF_MEMBERS_SERVERS    /* `members: servers`: every server with a    */
                             /*   pool or cluster role                     */
} qr_lf_members;

/* A fault that lands on servers, stays hidden while they run and shows at
 * each one's next start (M7.3): a change that one GPO or update brings to
 * a set of servers at once (common), or one that comes to each server on
 * its own (per server). What it breaks is the whole server (it does not
 * start) or named features for the users its front end serves. */
typedef struct {
    char    *name;
    qr_loc   loc;        /* the entry                                      */
    int     *members;    /* server indices, in the order given             */
    qr_loc  *member_locs;
    int      n_members;
    bool     common;     /* one arrival lands on every member (default);   */
                         /*   false: each member has its own arrivals      */
    double   every;      /* mean time between arrivals (exponential);      */
                         /*   INFINITY: none                               */
    double   at;         /* a scheduled one-off arrival; < 0: none         */
    bool     breaks_server; /* `breaks: server`: the server does not start */
    int     *features;   /* else the features it breaks (indices)          */
    int      n_features;
    double   fix;        /* time to fix it once shown (M7.3, default 4h)   */
    qr_origin from;      /* QR_FROM_DESIGN, or QR_FROM_ASSUMPTIONS         */
    qr_lf_members member_kind; /* LISTED in a topology; an assumptions     */
                         /*   file's role, resolved for each design       */
    qr_lf_members role;  /* the role it was resolved from (kept once      */
                         /*   member_kind is LISTED), so that each pool's */
                         /*   view of a paired design resolves it again   */
} qr_latent_fault;

/* Default time to fix a latent fault once it shows (M7.3). */
#define QR_LATENT_FIX_DEFAULT (4.0 * 3600.0)

/* Free what one latent fault owns. */
void qr_latent_fault_release(qr_latent_fault *f);

/* The operator's practice against latent faults (M7.4, M7.5). */
typedef struct {
    double health_audit_every; /* M7.4: an audit every this long finds     */
                               /*   every hidden fault; INFINITY: none     */
    bool   verify_after_reboot; /* M7.5: a patch night stops at a server   */
                                /*   that comes back broken (default off)  */
} qr_latent_practice;

/* ---- the whole design ---- */

typedef struct {
    char         *file;       /* path it was loaded from                   */
    char         *name;       /* `name:`, or the file's base name          */
    char         *notation;   /* `notation:` ("2.x"), NULL to derive it    */
    qr_component *comps;      /* all components, in declaration order      */
    int           n_comps;
    qr_cluster   *clusters;
    int           n_clusters;
    qr_pool       pool;
    qr_feature   *features;   /* the M6 defaults, then the topology's own  */
    int           n_features;
    qr_params     params;
    qr_kind_figures kinds[QR_COMP_KIND_COUNT]; /* each kind's figures      */
                              /*   before the components' own keys        */
    qr_given      setting_given[QR_SETTING_COUNT]; /* where each timing   */
                              /*   comes from (QR_SET_QUORUM_ADJUST_DELAY:*/
                              /*   see each cluster's)                    */
    qr_ccf_group *ccf;        /* common-cause groups (`common_cause:`)     */
    int           n_ccf;
    qr_virtualization virt;   /* hosts' HA, anti-affinity, maintenance    */
    qr_latent_fault *latent;  /* latent faults (M7.3): the design's, then */
    int           n_latent;   /*   an assumptions file's                  */
    qr_latent_practice latent_practice; /* M7.4, M7.5                     */
    qr_pool_def  *pools;      /* `pools:` (M10): when n_pools > 0 the     */
    int           n_pools;    /*   design has several pools and `pool`    */
                              /*   above is empty (no front ends)         */
    qr_loc        pools_loc;  /* the `pools:` key                          */
    qr_pairing    pairing;    /* M10 timings                               */
} qr_topology;

/* Free the latent faults of t (qr_topology_release calls it). */
void qr_topology_free_latent(qr_topology *t);

/* Append a copy of *f to t's latent faults, its members resolved for t
 * when f gives them by role (member_kind). A fault that names features
 * lands only on front ends. Returns 0, -1 out of memory. */
int qr_topology_add_latent(qr_topology *t, const qr_latent_fault *f);

/* Number of built-in features (M6): signin_im, presence, p2p_calls,
 * conferencing, address_book, persistent_changes. */
#define QR_DEFAULT_FEATURE_COUNT 6

/* Fill *t with an empty topology holding every default (docs/simulate.md) and the
 * six M6 features. The caller owns *t and releases it with
 * qr_topology_release(). Returns 0, or -1 when out of memory. */
int qr_topology_init(qr_topology *t);

/* Free everything *t owns and leave it empty; accepts NULL. */
void qr_topology_release(qr_topology *t);

/* Fill *p with an empty pool holding the defaults of `pool:` (sfb2015, 64
 * routing groups, no servers, the M3.3/M3.5/M5.1 timings). */
void qr_pool_init(qr_pool *p);

/* Free the arrays *p owns and leave it empty; accepts NULL. */
void qr_pool_release(qr_pool *p);

/* True when t has several pools (`pools:`, M10). */
bool qr_topology_is_paired(const qr_topology *t);

/* Index of the pool (`pools:` entry) called `name`, or -1. */
int qr_topology_find_pool(const qr_topology *t, const char *name);

/* The built-in figures of one component kind (docs/topology-format.md:
 * sites never fail, hosts 2y/8h, servers 6mo/4h patched every 30d for
 * 15m, storage 5y/8h, links 1y/4h, cloud witnesses 1y/1h, external SQL
 * never/1h), every part given by QR_FROM_BUILTIN. */
void qr_topology_builtin_kind(qr_comp_kind kind, qr_kind_figures *out);

/* The anti-affinity group (M0.5) that holds both servers a and b, or -1
 * when none does. O(members). */
int qr_virt_common_group(const qr_topology *t, int a, int b);

/* Release *t and free the struct itself; accepts NULL. */
void qr_topology_free(qr_topology *t);

/* Index of the component called `name`, or -1. O(n). */
int qr_topology_find(const qr_topology *t, const char *name);

/* Index of the cluster called `name`, or -1. O(n). */
int qr_topology_find_cluster(const qr_topology *t, const char *name);

/* Index of the feature called `name`, or -1. */
int qr_topology_find_feature(const qr_topology *t, const char *name);

/* The name of component i, or "?" when i is no component (or unnamed). */
const char *qr_topology_comp_name(const qr_topology *t, int i);

/* Index of the component of `kind` called `name`, or -1. */
int qr_topology_find_kind(const qr_topology *t, qr_comp_kind kind,
                          const char *name);

/* Printable names of enums ("server", "sfb2015", "mirroring", ...). Never
 * NULL; the strings are static. */
const char *qr_comp_kind_name(qr_comp_kind kind);
const char *qr_version_name(qr_version v);
const char *qr_backend_kind_name(qr_backend_kind k);
const char *qr_file_store_kind_name(qr_file_store_kind k);
const char *qr_witness_kind_name(qr_witness_kind k);
const char *qr_dist_kind_name(qr_dist_kind k);

/* The word of each need in `features: ... needs: [...]`, in bit order:
 * qr_need_words[k] names 1u << k ("pool", "routing_group", ...). */
#define QR_NEED_COUNT 6
extern const char *const qr_need_words[QR_NEED_COUNT];

/* The first control character of the UTF-8 text s (C0 including tab and
 * line breaks, DEL, C1 U+0080-U+009F) as a code point, or -1 when there is
 * none. Free texts of a topology, a scenario or a lab session (`name`,
 * `notation`, notes, ...) may hold none: they reach terminals, tables and
 * HTML as they are (docs/topology-format.md). */
int qr_text_control_char(const char *s);

/* M1.1: number of Windows Fabric seed (voter) nodes for a pool of n front
 * ends of version v: the first 7 of 8-9, the first 9 of 10-12, and for
 * sfb2019 the first 12 of 13-16. */
int qr_pool_seed_count(qr_version v, int n_frontends);

/* M1.2: whether the Back End can add its tie-break vote when the counted
 * seeds are even: always, except in an SfB 2019 pool of 13-16 front ends
 * (12 seeds: "any 7 of the first 12"), unless fabric.sfb2019_backend_vote. */
bool qr_pool_backend_votes(const qr_topology *t);

/* Largest pool: 12 front ends (16 for sfb2019). */
int qr_pool_max_frontends(qr_version v);

/* Microsoft's sizing (SFB-CAP, docs/sources.md): one front end per 6,660
 * users, at most 80,000 users in one pool. */
#define QR_USERS_PER_FRONTEND 6660L
#define QR_USERS_PER_POOL 80000L

/* Front ends a pool homing `users` needs with N-1 headroom (SFB-CAP:
 * 30,000 users -> 6, not 5): ceil(users / 6660) + 1; 0 when users <= 0.
 * The FE004 rule and `quorate plan` both use it. */
int qr_pool_frontends_for_users(long users);

/* M1.6: front ends that must run for the pool to start (the 85% table). */
int qr_pool_start_threshold(int n_frontends);

/* Long-run availability of a component, MTBF/(MTBF+MTTR); 1 when it never
 * fails (M9). */
double qr_component_availability(const qr_component *c);

/* True when the component can fail at all (finite MTBF). */
bool qr_component_fails(const qr_component *c);

/* Set full[i] = 1 for every server i that carries a pool role (a "full
 * server" of the field notation), of `pool` and of every pool of `pools`:
 * front ends, the back end's standalone,
 * principal and mirror servers and AlwaysOn replicas, the file store's
 * share server and DFS replicas, and every cluster node. Other entries are
 * left as they are: full[] has t->n_comps entries, zeroed by the caller,
 * who owns it. O(roles). */
void qr_topology_mark_full_servers(const qr_topology *t, char *full);

/* Field notation of the design ("2.x", "3.0", "5.x"): Windows servers
 * counted, ".x" when a witness, file share witness, quorum disk or cloud
 * witness adds a part that is not a full server of the design. Returns
 * t->notation when set. Writes into buf (size >= 16) and returns it. */
const char *qr_topology_notation(const qr_topology *t, char *buf, size_t size);

#endif
