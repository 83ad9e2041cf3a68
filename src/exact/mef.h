/*
 * mef.h: the fault trees of a pool design, for Open-PSA Model Exchange
 * Format (MEF) XML (`quorate export --format mef`, docs/export.md).
 *
 * qr_mef_build() turns the static structure function of M9
 * (src/exact/structure.h) into Boolean failure logic held in memory: one basic
 * event per component that can fail and matters (the component is down by
 * itself, probability MTTR/(MTBF+MTTR)), gates (and, or, atleast) for the
 * rules of M0.2 to M6, and per user feature one fault tree whose top events
 * are "the feature is down". qr_mef_write() prints that model as MEF XML;
 * qr_mef_eval() evaluates any node for given event states, so the tests
 * check the very tree that is written against sim_exact_* (src/exact/exact.h).
 *
 * Features that need a routing group (M2.5: their value is the fraction of
 * groups, hence of users, for which they are up) get one top event per
 * distinct replica set of the M2.1 placement, "the feature is down for the
 * users of these groups", with the users' share (groups in the set / G).
 * Since the value is linear in those indicators, the feature's exact
 * unavailability is sum_k share_k * P(top_k): comparing that sum with
 * sim_exact compares like with like. Every other feature has one top event
 * with share 1.
 *
 * Constants are folded while building: a component that never fails is
 * never down (FALSE), one missing from an incomplete topology is always down
 * (TRUE), and gates whose arguments fold away collapse, so the gates written
 * are exactly those with at least two non-constant arguments; only a top
 * event's formula can be a constant.
 *
 * Ownership: a qr_mef_model owns every string and array it points to;
 * qr_mef_model_free() releases it. It keeps no pointer into the topology.
 */
#ifndef QR_MEF_H
#define QR_MEF_H

#include <stddef.h>
#include <stdio.h>

#include "model/ccf.h"
#include "model/topology.h"

/* A node of the failure logic: a constant, a basic event or a gate. */
typedef enum {
    QR_MEF_CONST,  /* index 0: FALSE (never down), 1: TRUE (always down)  */
    QR_MEF_EVENT,  /* index into events[]                                  */
    QR_MEF_GATE    /* index into gates[]                                   */
} qr_mef_kind;

typedef struct {
    qr_mef_kind kind;
    int         index;
} qr_mef_ref;

typedef enum {
    QR_MEF_AND,
    QR_MEF_OR,
    QR_MEF_ATLEAST,
    QR_MEF_NOT     /* one argument: a paired design's "home pool runs"    */
} qr_mef_op;

typedef struct {
    char  *name;   /* MEF identifier: the component's name, sanitized      */
    char  *label;  /* the component, its kind and MTBF/MTTR, in words       */
    int    comp;   /* index into the topology's comps                       */
    double p;      /* P(down) = MTTR/(MTBF+MTTR), in (0, 1]                 */
} qr_mef_event;

typedef struct {
    char       *name;   /* MEF identifier, unique in the model              */
    char       *label;  /* what it means, in words                          */
    qr_mef_op   op;
    int         min;    /* atleast: how many arguments must be true         */
    qr_mef_ref *args;   /* n_args >= 2 (1 for not), none a constant          */
    int         n_args;
} qr_mef_gate;

/* One top event: the feature is down (for the users of `groups` groups). */
typedef struct {
    char      *name;    /* MEF identifier of the top gate                   */
    char      *label;
    qr_mef_ref ref;     /* its formula: a gate, an event or a constant      */
    double     share;   /* users' share: groups / G, 1 for a plain feature   */
    int        groups;  /* routing groups covered (0: not group-weighted)    */
} qr_mef_top;

/* One fault tree per feature. */
typedef struct {
    char  *name;        /* MEF identifier of the fault tree                 */
    char  *feature_name;/* the feature's own name                           */
    int    feature;     /* index into the topology's features               */
    int    first_top;   /* its tops: tops[first_top .. first_top+n_tops-1]  */
    int    n_tops;
} qr_mef_tree;

/* A common-cause group (`common_cause:`, model/ccf.h), written as an
 * Open-PSA <define-CCF-group>: the tool that reads it replaces each member's
 * basic event by OR(its independent event, the common events holding it),
 * with the probabilities of the group's model from its distribution q. */
typedef struct {
    char        *name;      /* MEF identifier                               */
    qr_ccf_model model;
    double       q;         /* every member's total P(down): the group's Q  */
    double       factor[QR_CCF_MAX_FACTORS]; /* as the topology gives them  */
    int          n_factors; /* written: up to the model's level (ccf.h)     */
    int          level;     /* the model's highest level (qr_ccf_max_level) */
    int         *members;   /* indices into events[]                        */
    int          n_members;
} qr_mef_ccf;

typedef struct {
    char         *title;     /* the design's name                         */
    qr_mef_event *events;
    int           n_events;
    qr_mef_gate  *gates;
    int           n_gates;
    qr_mef_top   *tops;
    int           n_tops;
    qr_mef_tree  *trees;
    int           n_trees;
    qr_mef_ccf   *ccf;       /* common-cause groups, each member an event  */
    int           n_ccf;     /*   of one group only                        */
    int           links_ignored; /* the topology declares links between   */
                                 /*   sites, which M9 ignores: said in a  */
                                 /*   comment of the export               */
} qr_mef_model;

/* Build the fault trees of t (M9 rules, see docs/export.md). Returns 0 and
 * a new model in *out (free with qr_mef_model_free()), or -1 with a message
 * in err (out of memory). t is only read during the call. Cost O(C + G log
 * G + F * (U + gates)) for C components, G routing groups, U distinct
 * replica sets, F features. */
int qr_mef_build(const qr_topology *t, qr_mef_model **out, char *err,
                 size_t errlen);

/* The fault trees of a design with several pools (`pools:`, M10 in the
 * exact view, src/exact/exact_pairing.h): one tree per row, each pool's
 * users' copy of a feature ("pool1.presence") and the feature for all
 * users. Pool A's users (paired with B) lose the feature for the users of
 * one routing-group unit when A runs and the feature is down there (top
 * "..._home_N": AND(NOT A's pool quorum lost, the unit's feature-down
 * gate of A)) or A's pool is down and B fails them (top "..._backup_N":
 * AND(A's pool quorum lost, OR(B's pool down, B's unit down))), with the
 * users-share of A's, resp. B's, unit: the row's unavailability is
 * sum share * P(top), as for one pool. Components shared by the pools'
 * views (a site, a witness) are one basic event. Gates are named after the
 * pool. The all-users tree holds every pool's tops with the share times
 * the pool's users' weight. Returns as qr_mef_build() (-1 also when t has
 * no pools). */
int qr_mef_build_pairing(const qr_topology *t, qr_mef_model **out, char *err,
                         size_t errlen);

/* Free m and everything it owns; accepts NULL. */
void qr_mef_model_free(qr_mef_model *m);

/* Value of node r when event i is down iff down[i] != 0 (a member of a
 * common-cause group: its own failure, the group's events are not in the
 * tree) (down has
 * m->n_events entries): 1 when the node is true (the thing it names is
 * down), else 0. Recursive over the gates; no allocation. */
int qr_mef_eval(const qr_mef_model *m, qr_mef_ref r,
                const unsigned char *down);

/* Exact values to annotate the fault trees with, one per tree (by
 * feature): from sim_exact_unavailability(), or NULL to write none. */
typedef struct {
    const double *availability;    /* t->n_features entries               */
    const double *unavailability;  /* t->n_features entries               */
} qr_mef_exact;

/* Write m to out as an Open-PSA MEF document (opsa-mef): one
 * define-fault-tree per feature holding its public top gates and, private
 * to it, every gate they use; the common-cause groups in the first fault
 * tree (SCRAM 0.16 reads them only there; analyse with `--ccf true`); then,
 * in model-data, the other basic events those gates use with their `float`
 * probabilities (17 digits: they read back as the same doubles). exact,
 * when not NULL, adds the attributes `availability` and `unavailability` to
 * each fault tree. Returns 0, or -1
 * with a message in err when writing fails. */
int qr_mef_write(const qr_mef_model *m, const qr_mef_exact *exact, FILE *out,
                 char *err, size_t errlen);

#endif
