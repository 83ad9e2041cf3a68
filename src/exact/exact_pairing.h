/*
 * exact_pairing.h: the exact view (M9) of a design with several pools
 * paired for disaster recovery (`pools:`, M10 with every delay zero).
 *
 * Static semantics (docs/simulate.md, M9 "Several pools"): every M10 delay
 * is zero, so the registrar failover, the administrator's pool failover (the
 * CMS's first) and the failback are immediate. The users of pool A, paired
 * with B, are served by A while A's pool is up (M1.2 on A's view) and by B
 * with full service (failed over, M10.3) while A's pool is down:
 *     value_A(f) = up_A * f_A + (1 - up_A) * up_B * f_B
 * where f_X is feature f of pool X's view in M9 and up_X its pool. A pool
 * without a partner: value_A(f) = f_A. The pool row of A's users is up_A.
 * The design's row for all users is the user-weighted mean of the pools'
 * (weights from `users`, equal when no pool gives them), as in the full
 * simulation.
 *
 * Exact availability: the components that can fail and matter in A's view
 * and in B's view (exact.h) are split into those both views use (S: a
 * shared site, host, witness ...) and each view's own (P_A, P_B). For each
 * state s of S, the views are independent given s, so
 *     E[value_A] = sum_s P(s) (E[up_A f_A | s] + P(!up_A | s) E[up_B f_B | s])
 * costing 2^|S| (2^|P_A| + 2^|P_B|) structure evaluations: with nothing
 * shared it factorises, with shared components it conditions on them
 * exactly. The unavailability is summed directly, as exact.h does:
 *     1 - value_A = up_A (1 - f_A) + (1 - up_A)((1 - up_B) + up_B (1 - f_B)).
 * |S| + |P_X| is capped at SIM_EXACT_MAX_COMPONENTS (-2 beyond).
 *
 * sim_pstructure evaluates the same semantics for one state of the
 * design's components, for `quorate analyze` (single points of failure,
 * cut sets across both pools) and the tests. No global state.
 */
#ifndef SIM_EXACT_PAIRING_H
#define SIM_EXACT_PAIRING_H

#include <stddef.h>

#include "model/topology.h"

/* Exact availability of every row of a paired design t: avail has
 * t->n_features + 1 entries (the design's features for all users, then
 * each pool's copy "POOL.FEATURE", then the pool row: the users' home pool
 * up, user-weighted); unavail (may be NULL) the same rows' unavailability
 * summed directly. enumerated (may be NULL) receives the number of
 * components that can fail and matter in any pool's view. Returns 0, -1
 * out of memory or not a paired design, -2 too many components, -3 a design
 * the exact view does not take (virtualization, a common-cause group of a
 * component both pools share: qr_pool_view_unsupported) (a message in
 * err). */
int sim_exact_pairing(const qr_topology *t, double *avail, double *unavail, int *enumerated,
                      char *err, size_t errlen);

typedef struct sim_pstructure sim_pstructure;

/* Build the structure of paired design t (NULL with a message in err when
 * out of memory or t has no pools). t must outlive it. */
sim_pstructure *sim_pstructure_new(const qr_topology *t, char *err, size_t errlen);
void sim_pstructure_free(sim_pstructure *s);

/* relevant[c] = 1 when component c of t can fail and matters in some pool's
 * view (t->n_comps entries, the caller's). Returns how many. */
int sim_pstructure_relevant(const sim_pstructure *s, unsigned char *relevant);

/* Evaluate every row (t->n_features + 1 values in [0, 1], as
 * sim_exact_pairing's) for the component states up[] of t (t->n_comps
 * entries, 1 up). No allocation. */
void sim_pstructure_eval(sim_pstructure *s, const unsigned char *up, double *rows);

#endif
