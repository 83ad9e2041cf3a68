/*
 * ccf.h: the common-cause failure models of `common_cause:` groups
 * (docs/topology-format.md, docs/simulate.md "Common-cause failures").
 *
 * The convention is the usual fault-tree one (NUREG/CR-5485, and the one
 * SCRAM implements for Open-PSA MEF CCF groups): every member of a group of
 * m components has the same total unavailability Q, the group's (its first
 * member's MTTR/(MTBF+MTTR)), and its failure splits into independent basic
 * events, one per member with probability Q_1, and common events, one per
 * subset of k >= 2 members with probability Q_k, each taking all of its
 * members down at once. A member is down when its own event or any common
 * event containing it is down; all events are independent. With
 * C(n, k) = n! / (k! (n - k)!):
 *
 *   beta-factor   Q_1 = (1 - beta) Q, Q_m = beta Q, no other subset;
 *   MGL           factors rho_2 = beta, rho_3 = gamma, rho_4 = delta up to
 *                 level L = factors + 1 (rho_1 = 1, rho_{L+1} = 0):
 *                 Q_k = rho_1 ... rho_k (1 - rho_{k+1}) Q / C(m-1, k-1);
 *   alpha-factor  alpha_1 .. alpha_L, alpha_t = sum k alpha_k:
 *                 Q_k = k / C(m-1, k-1) * alpha_k / alpha_t * Q
 *                 (non-staggered testing).
 *
 * No state; every function only reads the topology.
 */
#ifndef QR_CCF_H
#define QR_CCF_H

#include <stddef.h>
#include <stdint.h>

#include "model/topology.h"

/* Most common events of one design (a group of 16 with an alpha factor at
 * every level would have 65,519). */
#define QR_CCF_MAX_EVENTS 1024

/* One common event: the members of group `group` whose bits are set in
 * `mask` (bit j: the group's members[j]) fail together. */
typedef struct {
    int      group;  /* index into t->ccf                                  */
    uint32_t mask;   /* at least two bits                                  */
    int      size;   /* bits in mask                                       */
    double   p;      /* its probability Q_size                             */
} qr_ccf_event;

/* "beta-factor", "MGL", "alpha-factor" (static). */
const char *qr_ccf_model_name(qr_ccf_model m);

/* The highest level of group g's model (beta-factor: its member count;
 * MGL: factors + 1; alpha-factor: its factors). */
int qr_ccf_max_level(const qr_ccf_group *g);

/* Q of group g: its first member's MTTR/(MTBF+MTTR), 0 when it never fails
 * (or has no member). */
double qr_ccf_group_q(const qr_topology *t, int g);

/* q[k] = Q_k for k = 1 .. m (q has m + 1 entries, q[0] = 0) for group g of
 * m members with total unavailability Q. Levels above the model's are 0. */
void qr_ccf_level_probs(const qr_ccf_group *g, double Q, double *q);

/* The first group that has component comp as a member, or -1. */
int qr_ccf_group_of(const qr_topology *t, int comp);

/* P(down) of component i's own (independent) event: Q_1 of its first group
 * for a member, else MTTR/(MTBF+MTTR) (0 when it never fails). */
double qr_ccf_independent_q(const qr_topology *t, int i);

/* Every common event of t with a probability above 0, group by group, then
 * by size, then by subset in the order of the members. *out is allocated
 * (NULL when there is none; the caller frees it). Returns 0, -1 out of
 * memory, -2 more than QR_CCF_MAX_EVENTS. */
int qr_ccf_events(const qr_topology *t, qr_ccf_event **out, int *n);

/* The name of common event ev in reports: "ccf:GROUP" when it takes every
 * member of its group, else "ccf:GROUP{a,b}". Into buf; returns buf. */
const char *qr_ccf_event_name(const qr_topology *t, const qr_ccf_event *ev,
                              char *buf, size_t size);

/* Members of a role word, for `members: frontends` or `members: backend`:
 * the pool's front ends, or the servers of the back end (standalone server,
 * mirroring principal and mirror, availability-group replicas, the FCI
 * cluster's nodes). Writes at most max indices into out; returns how many
 * the role has, or -1 when role is no role word. */
int qr_ccf_role_members(const qr_topology *t, const char *role, int *out, int max);

#endif
