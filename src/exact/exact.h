/*
 * exact.h: the exact view of M9, the oracle the simulator is tested against.
 *
 * With independent components, component i up with probability
 * a_i = qr_component_availability() = MTBF/(MTBF+MTTR) (the steady state of
 * an alternating renewal process, whatever the distributions), every M9
 * service is a function of the component states (src/exact/structure.h), so its
 * availability is
 *     A(f) = sum over states x of P(x) * feature_up_f(x),
 * with P(x) = prod_i (x_i ? a_i : 1 - a_i). sim_exact_* enumerates the n
 * components that can fail (a_i < 1) and matter (sim_structure_relevant():
 * referenced by the pool, back end, file store or their clusters, or
 * containing one of those); every other component is held up.
 *
 * Method and cost: the 2^n states are walked in Gray-code order, so each
 * step flips one component: up[] changes in one place and the effective
 * states are updated incrementally (sim_structure_effective_update). P(x)
 * is the product of two precomputed tables (low and high halves of the
 * state bits, 2^ceil(n/2) entries each), so it is within a few ulps of the
 * exact product and no error accumulates along the walk; sums are kept in
 * long double. Time O(2^n * (D + N + F + K)) after the structure is built
 * (D components inside the flipped one, N front ends, F features, K cluster
 * nodes and replicas; the routing groups cost one table lookup per state,
 * see structure.h), memory O(C + 2^(n/2)). n is capped at
 * SIM_EXACT_MAX_COMPONENTS: beyond it the functions return -2 and say so in
 * err (a limit, where out of memory is -1). Measured: a 12-front-end pool with mirroring and DFS (17 such
 * components) takes about 10 ms; the same on four hosts (21) about 0.15 s;
 * 24 components about 1.5 s (all measured at -O2).
 *
 * How the simulator's tests compare a --static estimate with this value:
 *   - run the simulation with --static on the same topology, a fixed seed
 *     and R >= 30 replications of a horizon T much longer than every MTTR
 *     (the run starts with everything up, so the estimate is biased
 *     upwards by about (1 - A) * MTTR / T for an unavailability 1 - A:
 *     keep that well under the CI half-width, or discard a warm-up);
 *   - per feature and for the pool, the estimate is the mean m of the R
 *     replication availabilities and its 95% CI is m +- t(0.975, R-1) *
 *     s / sqrt(R) (s the sample standard deviation);
 *   - assert that the exact value lies inside that CI for the pool. Several
 *     features checked at once each have a 5% chance of a miss even when
 *     the simulator is right, so for those assert |m - exact| <= 3.3 s /
 *     sqrt(R) (the 99.9% interval) and require the 95% CI to contain the
 *     exact value for most of them; with a fixed seed the outcome is
 *     deterministic, so a passing test stays passing;
 *   - a topology where nothing relevant can fail gives exactly 1 here and
 *     must give exactly 1 (a zero-width CI) in the simulation.
 *
 * No global state: every call is independent and thread-safe.
 */
#ifndef SIM_EXACT_H
#define SIM_EXACT_H

#include <stddef.h>

#include "model/topology.h"

/* Most components the exact computation enumerates (2^24 states). */
#define SIM_EXACT_MAX_COMPONENTS 24

/* Services beyond the features, from the same enumeration. */
typedef struct {
    double pool;            /* P(pool up), M1.2                            */
    double backend;         /* P(back end serving)                         */
    double file_store;      /* P(file store up)                            */
    double groups_writable; /* expected fraction of groups writable (M2.2),*/
                            /*   whether or not the pool is up             */
    int    n_enumerated;    /* n: components enumerated (2^n states)       */
} sim_exact_detail;

/* Exact steady-state availability of every feature and of the pool (M9)
 * with independent components. feature_avail has t->n_features entries
 * (user-weighted over routing groups, M2.5); *pool_avail gets P(pool up).
 * Returns 0, or with a message in err (NUL-terminated, truncated to
 * errlen; err may be NULL when errlen is 0) -1 out of memory, -2 more than
 * SIM_EXACT_MAX_COMPONENTS components to enumerate. */
int sim_exact_availability(const qr_topology *t, double *feature_avail,
                           double *pool_avail, char *err, size_t errlen);

/* Same as sim_exact_availability(), also filling *detail (not NULL). */
int sim_exact_compute(const qr_topology *t, double *feature_avail,
                      sim_exact_detail *detail, char *err, size_t errlen);

/* sim_exact_compute(), also filling feature_unavail[f] (t->n_features
 * entries) with 1 - A(f) summed directly over the states, P(x) * (1 -
 * value): accurate to about 1e-19 absolute however close A(f) is to 1, where
 * 1 - feature_avail[f] in double keeps only about 1e-16 (`quorate export`
 * writes it for its 1e-9 relative cross-check of top-event probabilities).
 * Returns as sim_exact_compute(). */
int sim_exact_unavailability(const qr_topology *t, double *feature_avail,
                             double *feature_unavail, sim_exact_detail *detail,
                             char *err, size_t errlen);

/* Exact availability with component comp (index into t->comps) held in
 * one state: up when `up` is nonzero, else down (with its containment
 * effects, M0.2); every other component as in sim_exact_compute(). Works
 * for any component, also one that never fails or does not matter (then
 * nothing changes). Returns 0, or with a message in err -1 (comp out of
 * range, out of memory) or -2 (too many components). Cost: one walk of 2^(n-1)
 * states when comp is one of the n enumerated components. */
int sim_exact_conditional(const qr_topology *t, int comp, int up,
                          double *feature_avail, sim_exact_detail *detail,
                          char *err, size_t errlen);

/* Conditional availabilities of every feature and the pool on each
 * enumerated component, from one walk: the importance measures of
 * `quorate analyze` (Birnbaum = avail_up - avail_down, risk achievement
 * worth = (1 - avail_down) / (1 - avail)). Rows have t->n_features + 1
 * entries: the features, then the pool. */
typedef struct {
    int              n;          /* enumerated components                 */
    int             *comp;       /* their indices into t->comps, n        */
    double          *p_down;     /* MTTR/(MTBF+MTTR) of each, n           */
    double          *avail;      /* unconditional, one row                */
    double          *avail_up;   /* n rows: A(f | comp[j] up)             */
    double          *avail_down; /* n rows: A(f | comp[j] down)           */
    sim_exact_detail detail;     /* as from sim_exact_compute()           */
} sim_exact_conditionals;

/* Fill *out (caller-owned struct, contents allocated here; release with
 * sim_exact_conditionals_release() after success; on failure nothing is
 * left to release). A(f | j down) is P(f up and j down) / P(j down) and
 * A(f | j up) the rest of A(f) over P(j up), both summed in long double
 * along the same walk; they agree with sim_exact_conditional() to a few
 * ulps. Returns 0, -1 out of memory, -2 too many components (a message in
 * err either way). Cost: the walk of
 * sim_exact_compute() plus O(n * F) per state for the components down in
 * it (n/2 on average). */
int sim_exact_importance(const qr_topology *t, sim_exact_conditionals *out,
                         char *err, size_t errlen);

/* Free the contents of *c and zero it; accepts NULL. */
void sim_exact_conditionals_release(sim_exact_conditionals *c);

/* Common-cause failures (model/ccf.h): every common event of t's
 * `common_cause:` groups is one more independent basic event, enumerated
 * after the components, and a member is down when its own (independent)
 * event or a common event holding it is down; a member's own P(down) is
 * then its group's Q_1 instead of MTTR/(MTBF+MTTR). In
 * sim_exact_conditionals and sim_exact_conditional an index
 * t->n_comps + k stands for common event k of qr_ccf_events(). */

/* The name of enumerated variable `var` (a component index, or t->n_comps +
 * k for common event k): the component's name, or "ccf:GROUP" (into buf). */
const char *sim_exact_var_name(const qr_topology *t, int var, char *buf, size_t size);

#endif
