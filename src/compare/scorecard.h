/*
 * scorecard.h: the design scorecard behind `quorate compare`: for one
 * loaded, checked topology, the numbers an architect weighs (docs/compare.md):
 * field notation, full Windows servers, yearly cost, single points of failure
 * in the M9 structure, per feature and for the pool the exact "on paper"
 * availability (M9, src/exact/exact.h) beside the simulated "in operation" one
 * (sim/runner.h, full mode) and the gap between them in downtime minutes a
 * year; then a ranking of several scorecards by a stated criterion, with
 * ties and each design's paired difference to the recommended one
 * (compare/paired.h), and a recommendation in words.
 *
 * Ownership: a qr_scorecard owns every string and array it points to (it
 * keeps no pointer into the topology); qr_scorecard_release() frees them.
 * Nothing here prints: the command (src/cmd/cmd_compare.c) renders text and JSON.
 */
#ifndef QR_SCORECARD_H
#define QR_SCORECARD_H

#include <stdbool.h>
#include <stddef.h>

#include "compare/paired.h"
#include "sim/measures.h"
#include "sim/runner.h"
#include "model/ccf.h"
#include "model/topology.h"

#define QR_MINUTES_PER_YEAR (SIM_SECONDS_PER_YEAR / 60.0)

/* The ranking criteria of `compare --rank-by` (docs/compare.md). */
typedef enum {
    QR_RANK_AVAILABILITY, /* worst feature's simulated availability, desc  */
    QR_RANK_DOWNTIME,     /* mean simulated downtime over features, asc    */
    QR_RANK_COST,         /* yearly cost, asc                              */
    QR_RANK_VALUE         /* worst feature's nines per unit of cost, desc  */
} qr_rank_by;

/* How parts without a cost of their own are priced (docs/compare.md,
 * "Cost"). A server_cost of exactly 1 makes the unit a server-equivalent;
 * any other is money in the unit the user chose. */
typedef struct {
    double server_cost;  /* per full server (default 1)                    */
    double witness_cost; /* per witness-only part, when the topology has   */
                         /*   no costs.witness (default server_cost / 4)   */
    double host_cost;    /* per host (hypervisor, chassis) (default        */
                         /*   server_cost: the hardware of one server)     */
} qr_cost_rules;

/* The default rules for a full server priced `server_cost`: a witness-only
 * part a quarter of it, a host one server. */
void qr_cost_rules_init(qr_cost_rules *r, double server_cost);

/* Does r price in server-equivalents (server_cost 1) rather than money? */
bool qr_cost_rules_relative(const qr_cost_rules *r);

/* One line saying how r prices, for a report's header: "in
 * server-equivalents (1 a full server, 0.25 a witness-only part, 1 a
 * host) unless a topology sets costs", or "in the unit of SERVER_FLAG
 * (4000 a full server, ...; a topology's own costs taken in the same
 * unit)". server_flag names where server_cost came from ("--server-cost",
 * "costs.server"). Into buf (always terminated); returns buf. */
const char *qr_cost_rules_describe(const qr_cost_rules *r, const char *server_flag, char *buf,
                                   size_t size);

/* Where a design's cost comes from. */
typedef enum {
    QR_COST_UNIT_SERVERS,  /* every part priced by the rules, in server-  */
                           /*   equivalents per year                      */
    QR_COST_UNIT_TOPOLOGY, /* every priced part has the topology's cost   */
    QR_COST_UNIT_MIXED,    /* some of each: not comparable across designs */
    QR_COST_UNIT_CURRENCY  /* rules in money (server_cost != 1), with or  */
                           /*   without the topology's own costs, taken   */
                           /*   to be in the same currency                */
} qr_cost_unit;

typedef struct {
    double       total;          /* yearly cost                             */
    int          full_servers;   /* servers with a pool role               */
    int          witness_parts;  /* witness-only servers, cloud witnesses,  */
                                 /*   storage used only as a disk witness   */
    int          hosts;          /* hosts (hypervisors, chassis)            */
    int          own_priced;     /* parts priced by the topology (a         */
                                 /*   component cost > 0 or costs.witness)  */
    int          rule_priced;    /* parts priced by qr_cost_rules           */
    qr_cost_unit unit;
} qr_design_cost;

/* One design's row of the comparison. Feature arrays have n_features + 1
 * entries: the topology's features, then the pool. */
typedef struct {
    char          *name;             /* the topology's name                 */
    char          *file;             /* the file it was loaded from         */
    char          *label;            /* file base name without .yaml/.yml   */
    char           notation[16];     /* qr_topology_notation()              */
    qr_design_cost cost;
    int            n_features;
    char         **feature_names;    /* n_features + 1, "pool" last         */
    bool           have_paper;       /* exact M9 values computed            */
    double        *paper;            /* n_features + 1; NULL without        */
    char           paper_reason[200];/* why not, when !have_paper           */
    bool           have_operation;   /* full simulation ran                 */
    int            operation_status; /* sim_run()'s return (0, -1, -2)      */
    char           operation_reason[256]; /* why not, when !have_operation  */
    sim_summary    operation;        /* valid when have_operation           */
    bool           m18_exposed;      /* two seed front ends, one of them a  */
                                     /*   SQL mirroring partner or AlwaysOn */
                                     /*   replica (M1.8)                    */
    int            n_spofs;
    char         **spof_names;       /* n_spofs names: the components, then */
                                     /*   the common-cause events           */
                                     /*   ("ccf:GROUP", analyze's names)    */
    bool          *spof_fails;       /* can that component fail (finite     */
                                     /*   MTBF)? (an event: always)         */
    int            worst;            /* worst feature (operation, else      */
                                     /*   paper), -1 when neither           */
    int            n_reps;           /* replications kept for pairing: the  */
                                     /*   runs when have_operation, else 0  */
    double        *rep_worst;        /* n_reps: the worst feature's         */
                                     /*   downtime in replication i, min/yr */
    double        *rep_mean;         /* n_reps: the features' mean downtime */
                                     /*   in replication i, min/yr          */
    int            rank;             /* 1-based after qr_scorecard_rank();  */
                                     /*   0 not ranked; tied designs share  */
                                     /*   it (competition ranking: 1 1 3)   */
    bool           tied;             /* shares its rank with another design */
    bool           have_diff;        /* diff is set: simulated, ranked      */
                                     /*   second or later, pairs available  */
    qr_paired      diff;             /* worst feature's downtime minus the  */
                                     /*   recommended design's, min/yr,     */
                                     /*   paired over replications          */
    bool           links_off_paper;  /* the design declares links between   */
                                     /*   sites: the paper (M9) values treat */
                                     /*   the sites as always connected     */
    int            paper_status;     /* the exact computation's return: 0,  */
                                     /*   -1 an error (out of memory: ours, */
                                     /*   not the design's), -2 too large   */
                                     /*   to enumerate (exact.h's limit)    */
} qr_scorecard;

/* Yearly cost of t (docs/compare.md): each full server costs its own
 * `cost` when > 0, else rules->server_cost; each witness-only part (a
 * server with no pool role, a cloud witness, storage used only as a disk
 * witness) its own cost when > 0, else t->params.witness_cost when > 0,
 * else rules->witness_cost; each host its own cost when > 0, else
 * rules->host_cost; every other component (site, link, storage holding
 * data, external SQL) its own cost (0 when unset). A part priced 0 by the
 * rules counts as neither own- nor rule-priced. The unit: CURRENCY when
 * the rules are money, else SERVERS, TOPOLOGY or MIXED by who priced the
 * parts. Fills *out; returns 0, or -1 when out of memory. The planner
 * prices its candidates with this same function. */
int qr_scorecard_cost(const qr_topology *t, const qr_cost_rules *rules,
                      qr_design_cost *out);

/* Single points of failure in the M9 structure (src/exact/structure.h): the
 * components whose failure alone, every other component up, lowers some
 * feature's or the pool's value below its all-up value. Every component is
 * tried, including those that never fail (a site with no MTBF still
 * contains its servers); such components are flagged in fails[]. Writes
 * the indices of the SPOFs, in component order, to spofs[] (t->n_comps
 * entries, caller-owned; may be NULL when only the count is wanted).
 * Returns the count, or -1 when out of memory. O(C * (C + N + F + K)). */
int qr_scorecard_spofs(const qr_topology *t, int *spofs);

/* The common-cause events (model/ccf.h, `common_cause:`) that are single
 * points of failure in the same sense: the event alone, its members down
 * and every other component up, lowers some feature's or the pool's value
 * below its all-up value. These are the `ccf:GROUP` candidates of the N-k
 * analysis (exact/analysis.h), which `analyze` lists among the SPOFs when
 * they take a feature down. Sets is_spof[k] for each of the n_ev events
 * ev[] (from qr_ccf_events(t, ...)); returns how many are, or -1 when out
 * of memory. O(E * (C + N + F + K)). */
int qr_scorecard_ccf_spofs(const qr_topology *t, const qr_ccf_event *ev, int n_ev,
                           bool *is_spof);

/* M1.8: true when the pool has exactly two seed front ends (so it counts
 * the Back End vote, M1.2) and one of them is also a SQL mirroring partner
 * or an AlwaysOn replica: an unexpected loss of that server while it holds
 * the principal takes a front end and the Back End vote at once, and the
 * pool loses quorum until a soft reset (M1.5, M1.7), although the M9
 * structure, with failover instant, survives it. */
bool qr_scorecard_m18_exposed(const qr_topology *t);

/* Fill *out for t: cost, SPOFs, the exact values (a design too big to
 * enumerate gets have_paper false and the reason) and the full simulation
 * with *run (static_mode is forced off); when sim_run fails the operation
 * values are left out with its message in operation_reason and its return
 * code in operation_status, and 0 is still returned. The downtime of every
 * replication is kept (rep_worst, rep_mean: 16 bytes a replication, more
 * while it runs) for the paired comparisons of qr_scorecard_rank;
 * run->on_reps, when set, still sees every replication. *out must be
 * zeroed or released before. Returns 0, or -1 when out of memory (with
 * *out released). */
int qr_scorecard_compute(const qr_topology *t, const sim_run_options *run,
                         const qr_cost_rules *rules, qr_scorecard *out);

/* Rewrite the reason of a failed exact computation (-1: out of memory)
 * so that no report takes it for the design's size (-2): "not computed:
 * out of memory (an error of this run, not a limit of the design)". */
void qr_scorecard_paper_error(char *reason, size_t size);

/* A design's label: the base name of its file without .yaml or .yml.
 * malloc'd (the caller frees it), NULL when out of memory. */
char *qr_scorecard_label(const char *file);

/* Free what s owns and zero it; accepts NULL. */
void qr_scorecard_release(qr_scorecard *s);

/* (1 - a) as minutes a year. */
double qr_scorecard_downtime(double availability);

/* The worst feature's availability: simulated mean when have_operation,
 * else the paper value; NAN when there is neither. */
double qr_scorecard_worst_availability(const qr_scorecard *s);

/* The availability a target is judged against (docs/compare.md, "A
 * target"; the rule of `quorate plan`, docs/plan.md): the lower bound of
 * the feature's simulated 95% CI or, when fewer than SIM_FEW_OUTAGES of
 * its outages were observed (the interval is then unreliable and a short
 * run may have missed a rare failure), the lower of that bound and its
 * exact M9 value `paper` (NAN: not known). A target is met when this
 * bound reaches it. */
double qr_target_bound(const sim_feature_summary *f, double paper);

/* Does every feature of s (the pool not included) meet `target` (a
 * fraction)? 1 yes, 0 no, -1 not simulated in operation. *feature gets
 * the feature furthest from it and *short_min by how much, (target -
 * qr_target_bound) in minutes a year (<= 0 when met); either may be NULL. */
int qr_scorecard_target(const qr_scorecard *s, double target, int *feature,
                        double *short_min);

/* Mean of the features' simulated downtime, minutes a year (the pool not
 * included); NAN without operation values. */
double qr_scorecard_mean_downtime(const qr_scorecard *s);

/* Value (QR_RANK_VALUE): the worst feature's simulated nines,
 * -log10(max(1 - A, 1e-9)), per unit of yearly cost; INFINITY when the
 * cost is 0, NAN without operation values. */
double qr_scorecard_value(const qr_scorecard *s);

/* Rank cards[0..n-1] by `by` (docs/compare.md): fills order[] (n entries,
 * caller-owned) with indices best first and sets each card's rank, tied and
 * diff. Availability, downtime and value rank only designs with operation
 * values (the others get rank 0 and come last, in input order); cost ranks
 * all. Primary keys are compared at the precision the table shows (0.1
 * min/yr of downtime, 0.001 of value, 1e-6 of cost); ties go to the cheaper
 * design (availability, downtime, value) or the more available one (cost),
 * then to input order.
 * Designs tie when the table cannot tell them apart: a design is beaten by
 * another only when the other's key is better and, by availability or by
 * downtime when the cards' replications pair up (simulated with the same
 * seed, runs and years), the paired 95% CI of their difference (the worst
 * feature's downtime, or the features' mean downtime) lies above 0. In the
 * sorted order a design joins the rank group above it unless a design of
 * that group beats it; a group shares its rank (tied), the cheaper designs
 * first. Then every other simulated design gets its paired difference
 * (diff) to order[0], the recommended design. O(n^2 * runs). Returns the
 * number ranked. */
int qr_scorecard_rank(qr_scorecard *cards, int n, qr_rank_by by, int *order);

/* Parse "availability", "downtime", "cost" or "value". 0, or -1. */
int qr_rank_by_parse(const char *s, qr_rank_by *out);

/* "availability", ... (static string). */
const char *qr_rank_by_name(qr_rank_by by);

/* One sentence defining the criterion (static string). */
const char *qr_rank_by_definition(qr_rank_by by);

/* "server-equivalents", "topology currency", "mixed units" or "server-cost
 * currency" (the unit of --server-cost or costs.server, money). */
const char *qr_cost_unit_name(qr_cost_unit u);

/* The recommendation, one paragraph in words (docs/compare.md): which
 * design wins under `by`, by how much downtime a year and at what cost
 * against the runner-up, whether the margin is beyond the 95% confidence
 * intervals, what the winner's gap between paper and operation costs, why
 * the weakest design loses, and the designs that could not be simulated.
 * cards and order as left by qr_scorecard_rank(). Returns a malloc'd
 * string the caller frees, or NULL when out of memory. */
char *qr_scorecard_recommend(const qr_scorecard *cards, int n, const int *order,
                             qr_rank_by by);

#endif
