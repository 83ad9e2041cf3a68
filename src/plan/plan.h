/*
 * plan.h: `quorate plan`, the design planner (docs/plan.md). From a
 * requirements file (target availability per feature, users, sites,
 * budget, an existing SQL HA service, version, failure figures, simulation
 * settings) it generates candidate pool designs from the field templates
 * (2.x, 3.0, 4.x, 5.x and their variants, plan_candidates.c), scores them
 * (exact M9 availability as a cheap filter, then the full simulation of
 * the scorecard, src/compare/scorecard.h), finds the Pareto front of (yearly cost,
 * worst feature's simulated availability) and recommends one design by a
 * stated rule (qr_plan_choose), with the reasons in words.
 *
 * Ownership: a qr_requirements owns its file name; a qr_plan_candidates
 * owns its topologies; a qr_plan owns its candidates, scorecards and
 * texts. Each has a _release that accepts NULL. Nothing here prints.
 */
#ifndef QR_PLAN_H
#define QR_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/assumptions.h"
#include "model/diag.h"
#include "compare/scorecard.h"
#include "model/topology.h"

/* ---- requirements (requirements_load.c) ---- */

typedef struct {
    char      *file;                  /* path it was loaded from (owned)     */
    /* Targets for the six built-in features (M6), in topology.c's order;  */
    /* 0 when the feature has no target.                                    */
    double     target[QR_DEFAULT_FEATURE_COUNT];
    qr_loc     target_loc[QR_DEFAULT_FEATURE_COUNT];
    long       users;                 /* homed users, 0 when not given       */
    int        sites;                 /* 1 or 2                              */
    double     budget;                /* yearly; INFINITY when not given     */
    bool       existing_sql;          /* existing_sql_ha given: back end is  */
    double     existing_sql_availability; /*   external with this          */
    qr_version version;               /* default sfb2015                     */
    qr_dist    server_failure, server_repair; /* server: { mtbf, mttr }    */
    qr_dist    site_failure, site_repair;     /* site: (two-site designs)  */
    qr_dist    link_failure, link_repair;     /* link: (two-site designs)  */
    double     quorum_reset_after;    /* operations, M1.7 (default 30m)      */
    double     server_cost;           /* costs.server (default 1)            */
    double     witness_cost;          /* costs.witness (default a quarter of */
                                      /*   costs.server)                     */
    int        runs;                  /* simulation.runs (default 200)       */
    double     years;                 /* simulation.years (default 10)       */
    uint64_t   seed;                  /* simulation.seed (default 1)         */
    bool       allow_unsupported;     /* allow_unsupported: a design `check` */
                                      /*   reports as one Microsoft does not */
                                      /*   support may be recommended (said  */
                                      /*   so in words); default false       */
    /* Not from the file: the assumptions of `plan --assume`, applied to    */
    /* every candidate over the figures above (docs/assumptions.md); NULL   */
    /* for none. Not owned.                                                 */
    const qr_assumptions *assumptions;
} qr_requirements;

/* Defaults of every key (docs/plan.md). Returns 0. */
int qr_requirements_init(qr_requirements *r);

/* Free what r owns; accepts NULL. */
void qr_requirements_release(qr_requirements *r);

/* Load a requirements file into *r (set up here). The caller has done
 * qr_diags_init(diags, path). Returns 0 when loaded without errors, 1 when
 * the file has errors (all in diags, file:line:col, P001-P011 as for a
 * topology; r holds defaults and whatever was read), 2 when it cannot be
 * read or memory ran out (one diagnostic says why). Release *r in every
 * case. */
int qr_requirements_load_file(const char *path, qr_requirements *r, qr_diags *diags);

/* The same from len bytes of text; `name` stands for the file name. */
int qr_requirements_load_buffer(const char *name, const char *text, size_t len,
                                qr_requirements *r, qr_diags *diags);

/* Front ends the requirements call for: qr_pool_frontends_for_users()
 * (SFB-CAP), and at least 2. */
int qr_requirements_frontends(const qr_requirements *r);

/* The cost rules the candidates are priced by (qr_scorecard_cost, the same
 * function as `quorate compare`): costs.server, costs.witness, and a host
 * at costs.server (the planner's candidates have no hosts). */
void qr_requirements_cost_rules(const qr_requirements *r, qr_cost_rules *rules);

/* ---- candidates (plan_candidates.c) ---- */

typedef enum {
    QR_PLAN_COMBINED,  /* every role on the front ends (2.x, 3.0)          */
    QR_PLAN_DEDICATED  /* front ends plus SQL servers (4.x, 5.x)           */
} qr_plan_family;

typedef enum {
    QR_PLAN_ONE_SITE,  /* everything in dc1                                */
    QR_PLAN_FE_DC1,    /* front ends in dc1, SQL split dc1/dc2, witness dc3 */
    QR_PLAN_SPLIT,     /* front ends and SQL split dc1/dc2, witness dc3    */
    QR_PLAN_PAIRED     /* two paired pools (M10), one in dc1, one in dc2,  */
                       /*   each with its own HA Back End and DFS          */
} qr_plan_placement;

typedef struct {
    qr_topology       *topo;        /* owned; name = a description in words */
    char               label[64];   /* "fe3-mirror-dfs", also topo->file    */
    qr_plan_family     family;
    qr_plan_placement  placement;
    int                n_frontends;
    qr_backend_kind    backend;
    qr_file_store_kind file_store;
    int                n_warnings;  /* warnings of `quorate check`'s rules  */
    char               warning[200];/* the first of them, "" when none      */
    int                n_unsupported; /* of them, findings of a design      */
    char               unsupported[200]; /* Microsoft does not support      */
                                    /*   (qr_rules_unsupported), the first  */
} qr_plan_candidate;

/* A candidate refused by `quorate check`'s rules, with its first error. */
typedef struct {
    char label[64];
    char reason[200];
} qr_plan_dropped;

typedef struct {
    qr_plan_candidate *items;   /* checked candidates, generation order     */
    int                n;
    qr_plan_dropped   *dropped; /* generated, then refused by the rules    */
    int                n_dropped;
    int                n_generated; /* n + n_dropped                        */
} qr_plan_candidates;

/* Generate every candidate the requirements allow (docs/plan.md):
 * combined 2 and 3 servers (2.x, 3.0) while the users fit, dedicated
 * front ends N and N+1 (N from qr_requirements_frontends(); 2 and 3 when N
 * is 2: 4.x and 5.x), each with the back ends standalone, mirroring with a
 * witness, AlwaysOn with a file share witness (or only external when SQL HA
 * exists) and the file stores DFS and share; with two sites, the placements
 * QR_PLAN_FE_DC1 and QR_PLAN_SPLIT with the witness in a third site.
 * Components are built with the loader's constructors (its built-in
 * templates, then the requirements' failure figures, then
 * r->assumptions as qr_assumptions_apply() applies them to a design). Each candidate is
 * run through qr_rules_check(); those with an error go to `dropped`.
 * Returns 0, or -1 when out of memory (*out released). */
int qr_plan_candidates_generate(const qr_requirements *r, qr_plan_candidates *out);

void qr_plan_candidates_release(qr_plan_candidates *c);

/* ---- scoring and choice (plan.c) ---- */

/* Non-dominated points: on_front[i] = 1 when no point j has cost[j] <=
 * cost[i] and avail[j] >= avail[i] with one of them strict. Points with a
 * NAN are never on the front and dominate nothing. O(n^2). */
void qr_plan_pareto(const double *cost, const double *avail, int n, char *on_front);

/* How far a scored design is from the targets: for every feature with a
 * target, (target - lower 95% CI bound of the simulated availability) as
 * minutes a year (when fewer than SIM_FEW_OUTAGES outages of the feature
 * were observed, the lower of that bound and the exact M9 value); the largest of them (<= 0: every target met) and the
 * feature it is for (*feature, -1 without targets). NAN without operation
 * values. */
double qr_plan_shortfall(const qr_requirements *r, const qr_scorecard *s, int *feature);

/* The target of row j of scorecard s (a feature, or in a design with
 * several pools a pool's users' copy "POOL.FEATURE" of one, judged by that
 * feature's target): 0 when it has none. */
double qr_plan_row_target(const qr_requirements *r, const qr_scorecard *s, int j);

/* The choice rule (docs/plan.md): among the simulated designs whose every
 * target is met at the 95% CI lower bound (shortfall <= 0) and whose cost
 * is within the budget, the cheapest; equal cost (to 1e-6): the higher
 * worst-feature availability, then the earlier. When none qualifies, the
 * best available within the budget (every design when none is within it):
 * the smallest shortfall, then the cheaper. Sets *meets. Returns the index,
 * or -1 when no design has operation values. */
int qr_plan_choose(const qr_requirements *r, const qr_scorecard *cards, int n, bool *meets);

/* Status of one candidate in the plan. */
typedef enum {
    QR_PLAN_SIMULATED,    /* scored in operation                            */
    QR_PLAN_PAPER_CUT,    /* left out by the paper filter                   */
    QR_PLAN_NOT_SCORED,   /* kept, but the simulation could not run it      */
    QR_PLAN_UNSUPPORTED   /* left out: `check` reports it unsupported and   */
                          /*   the requirements do not allow_unsupported    */
} qr_plan_status;

typedef struct {
    qr_plan_candidates cands;
    qr_scorecard      *cards;     /* one per candidate (paper values for   */
                                  /*   those cut: no operation values)      */
    qr_plan_status    *status;
    char              *on_front;  /* Pareto front of the simulated ones    */
    int               *front;     /* their indices by cost, n_front         */
    int                n_front;
    int                n_simulated;
    int                winner;    /* -1 when nothing could be simulated    */
    bool               meets;     /* the winner meets every target         */
    char              *explanation; /* why the winner won, in words        */
} qr_plan;

/* Run the plan: generate, compute each candidate's paper values, keep for
 * the simulation those on the paper Pareto front of (cost, worst paper
 * availability), those that meet every target on paper and those too big
 * to compute on paper (src/exact/exact.h's limit) (paper values
 * are the ideal of M9: a design that misses a target on paper rarely meets
 * it in operation), simulate them with *run, then the front and the
 * choice. Returns 0, or -1 when out of memory (*out released). */
int qr_plan_run(const qr_requirements *r, const sim_run_options *run, qr_plan *out);

void qr_plan_release(qr_plan *p);

/* The explanation of qr_plan_run (exposed for tests): one paragraph. The
 * caller frees it; NULL when out of memory. */
char *qr_plan_explain(const qr_requirements *r, const qr_plan *p);

#endif
