/*
 * sensitivity.h: how sure is a comparison? (`quorate sensitivity`,
 * docs/sensitivity.md). The uncertain values of an assumptions file
 * (model/uncertain.h) are drawn as N parameter sets by Latin hypercube
 * (lhs.h), and every design is simulated on every set with common random
 * numbers: the same --seed, so the same random streams, for every set and
 * every design. From those runs:
 *
 *  - each design's downtime and availability per feature and for the pool
 *    across the sets: the 5th, 50th and 95th percentiles;
 *  - the probability that each design is the best: the share of the sets
 *    in which its worst feature has the least downtime; a set in which
 *    several designs are not distinguishable from the best (the paired
 *    95% CI of the per-replication difference contains 0) is shared
 *    equally between them, so the probabilities sum to 1;
 *  - a tornado per design: for each parameter, the worst feature's
 *    downtime with that parameter at its 5th and at its 95th percentile
 *    and every other at its point value (one at a time, same streams),
 *    the swing between them with its paired 95% CI, and as a global
 *    check Spearman's rank correlation of the parameter with the downtime
 *    across the sets.
 *
 * Every number is reduced in a fixed order from runs that are byte-
 * identical for any thread count (sim/runner.h), so the whole result is.
 *
 * Ownership: a qr_sens_result owns every array and string it points to
 * (qr_sens_result_release); it keeps no pointer into the topologies or
 * the assumptions.
 */
#ifndef QR_SENSITIVITY_H
#define QR_SENSITIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/assumptions.h"
#include "model/topology.h"
#include "model/uncertain.h"
#include "sim/split.h"

/* Fewest sets for a rank correlation: below 10, |rho| must pass about 0.65
 * to differ from 0 at 5%, and one reads noise as a trend. */
#define QR_SENS_MIN_SETS_RHO 10

/* The quantiles of a parameter at the ends of its tornado bar. */
#define QR_SENS_LOW_Q 0.05
#define QR_SENS_HIGH_Q 0.95

typedef struct {
    int      sets;      /* parameter sets, >= 1                             */
    int      runs;      /* replications per design and set, >= 2 (the       */
                        /*   paired intervals need two)                     */
    double   years;     /* simulated years per replication                  */
    uint64_t seed;      /* the simulation's seed (every set, every design)  */
                        /*   and the Latin hypercube's                      */
    int      threads;   /* for each simulation (sim/runner.h)               */
    /* Called after each simulation with the number done and planned; may
     * be NULL. */
    void   (*progress)(long done, long planned, void *ctx);
    void    *progress_ctx;
    /* The ranks sharing each simulation's replications (sim/split.h), or
     * NULL: this process alone. */
    const sim_split *split;
} qr_sens_options;

/* The 5th, 50th and 95th percentiles of a measure across the sets. */
typedef struct {
    double p5, p50, p95;
} qr_sens_pct;

/* One bar of a design's tornado. */
typedef struct {
    int    param;            /* index into qr_sens_result.params            */
    double low_value;        /* the parameter's 5th percentile, seconds     */
    double high_value;       /* its 95th percentile                         */
    double at_low, at_high;  /* the worst feature's downtime, min/yr, with  */
                             /*   the parameter there, the others at their  */
                             /*   point values                              */
    double swing;            /* at_high - at_low                            */
    double swing_low;        /* the paired 95% CI of the swing (replication */
    double swing_high;       /*   i at low against replication i at high)   */
    double rank_correlation; /* Spearman: the parameter against the worst   */
                             /*   feature's downtime over the sets; NAN     */
                             /*   when undefined (fewer than                */
                             /*   QR_SENS_MIN_SETS_RHO sets, or a downtime  */
                             /*   that never changes)                       */
} qr_sens_bar;

/* One design's results. Feature arrays have n_features + 1 entries, the
 * pool last; per-set arrays have sets x (n_features + 1), set s's row at
 * s * (n_features + 1). */
typedef struct {
    char        *label;          /* file base name without .yaml            */
    char        *name;           /* the topology's name                     */
    char        *file;
    char         notation[16];
    int          n_features;
    char       **feature_names;  /* n_features + 1, "pool" last             */
    bool         simulated;      /* false: the simulator does not support   */
                                 /*   it (reason says why); nothing below   */
    char         reason[256];
    int          worst;          /* the feature with the most downtime at   */
                                 /*   the point values (the pool when the   */
                                 /*   design has no feature)                */
    double      *point;          /* downtime, min/yr, at the point values   */
    double      *point_half_width; /* its 95% CI half-width                 */
    double      *downtime;       /* per set: mean downtime, min/yr          */
    double      *availability;   /* per set: mean availability              */
    qr_sens_pct *downtime_pct;   /* across the sets                         */
    qr_sens_pct *availability_pct;
    double      *noise;          /* mean over the sets of the downtime's    */
                                 /*   95% CI half-width: simulation noise   */
    double       p_best;         /* probability of being the best           */
    int          best_alone;     /* sets it is the best in, alone           */
    int          best_tied;      /* sets it shares the best with others     */
    qr_sens_bar *bars;           /* n_params, largest |swing| first, ties   */
                                 /*   in parameter order                    */
} qr_sens_design;

typedef struct {
    int             sets, runs;
    double          years;
    uint64_t        seed;
    int             n_params;
    qr_uncertain    params[QR_UNCERTAIN_MAX]; /* the file's uncertain values */
    double         *q;          /* sets x n_params: Latin hypercube quantiles */
    double         *values;     /* sets x n_params: the values, seconds      */
    int             n_designs;
    qr_sens_design *designs;    /* in input order                            */
    unsigned char  *best;       /* sets x n_designs: 1 when design d is the  */
                                /*   best of set s or tied with it           */
    long            simulations; /* simulations run                          */
} qr_sens_result;

/* Run the analysis of topologies[0..n-1] under a (a->n_uncertain >= 1;
 * o->sets >= 1, o->runs >= 2, else -1 with a message):
 * each topology must have been loaded with a applied (its point values);
 * it is changed during the run (every set's values are applied to it) and,
 * when the run succeeds, left with the point values again. *out is set up here; release it in
 * every case. Returns 0 (a design the simulator does not support is kept,
 * simulated false), or -1 with a message in err (out of memory, threads
 * that cannot start). Simulations: n x (1 + sets + 2 x n_params). */
int qr_sensitivity_run(qr_topology *const *topologies, int n, const qr_assumptions *a,
                       const qr_sens_options *o, qr_sens_result *out, char *err,
                       size_t errlen);

/* Free what r owns and zero it; accepts NULL. */
void qr_sens_result_release(qr_sens_result *r);

/* The simulations the analysis of n designs runs. */
long qr_sensitivity_planned(int n, int sets, int n_params);

/* What a tornado bar says beyond its numbers: "no effect" when every
 * replication gave the same downtime at both ends (the parameter is not
 * used by the design, or changes nothing in it), "noise" when the paired
 * 95% CI of the swing contains 0, else "" (static strings). */
const char *qr_sens_bar_verdict(const qr_sens_bar *b);

/* The designs in order of their probability of being the best, highest
 * first, equals in input order, the designs not simulated last: fills
 * order[0..r->n_designs-1]. */
void qr_sens_order_by_best(const qr_sens_result *r, int *order);

/* Design d's worst feature in set s: the feature (not the pool) with the
 * most downtime in that set, the first of equals; the pool without
 * features. */
int qr_sens_worst_in_set(const qr_sens_design *d, int s);

#endif
