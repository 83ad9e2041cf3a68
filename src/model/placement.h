/*
 * placement.h: M2.1 routing-group replica placement.
 *
 * Every routing group has R = min(3, N) replicas on distinct front ends (N =
 * pool.n_frontends); replica 0 is the primary. The placement is a pure
 * function of (N, G = pool.routing_groups): no random seed, so the
 * simulator and the exact computation (M9) see the same groups.
 *
 * The scheme (docs/model-notes.md, "Routing-group placement"): groups are
 * dealt in rounds of N. In round k, group g = k*N + i gets the front ends
 * { i, i + a_k, i + b_k } (mod N), primary first, so within a full round
 * every front end holds exactly one primary and exactly R replicas. The
 * offsets (a_k, b_k) of each full round are picked greedily so that the
 * pairs of front ends sharing a group stay as even as possible (the one
 * with the lowest resulting maximum, then sum of squares, of per-pair
 * co-occurrence counts; ties to the smallest offsets). The last, partial
 * round of m = G mod N groups uses offsets (m, 2m) mod N (or (m, 1) when
 * 2m = N), so its R*m replicas cover the front ends within 1 of each
 * other. Hence, for any N and G:
 *   - the R replicas of a group are distinct;
 *   - primaries per front end differ by at most 1;
 *   - replicas (any position) per front end differ by at most 1.
 *
 * Ownership: a sim_placement owns its replicas array; release it with
 * sim_placement_release().
 */
#ifndef SIM_PLACEMENT_H
#define SIM_PLACEMENT_H

#include "model/topology.h"

typedef struct {
    int  groups;    /* G = pool.routing_groups (0 when < 1)              */
    int  r;         /* replicas per group, min(3, n_frontends)           */
    int *replicas;  /* groups * r entries: replicas[g*r + j] is the      */
                    /*   pool.frontends index of replica j of group g    */
} sim_placement;

/* Place the routing groups of t's pool (M2.1). The result depends only on
 * t->pool.n_frontends and t->pool.routing_groups. With no front ends or no
 * groups, r or groups is 0 and replicas is NULL. Cost O(G*R + rounds*N^3)
 * for the greedy offset choice (N <= 16, so small). Returns 0, or -1 when
 * out of memory (*p is then empty). Release with sim_placement_release(). */
int sim_placement_init(sim_placement *p, const qr_topology *t);

/* Same as sim_placement_init() from the two numbers alone. */
int sim_placement_init_n(sim_placement *p, int n_frontends, int groups);

/* Free the replicas array and leave *p empty; accepts NULL. */
void sim_placement_release(sim_placement *p);

/* The distinct replica sets of a placement, what the static view (M9) and
 * the MEF export reason on: M2.2 is symmetric in a group's replicas, so a
 * set is its front-end indexes in ascending order. Sets come sorted (by
 * their first index, then the next ...), each with the number of groups
 * placed on it. */
typedef struct {
    int n_sets;
    int r;      /* replicas per set: the placement's r                   */
    int *fe;    /* n_sets * r pool.frontends indexes, ascending in a set */
    int *count; /* n_sets: groups on the set; they sum to p->groups      */
} sim_replica_sets;

/* The sets of p. With no groups or no replicas, n_sets is 0 and the arrays
 * NULL. Returns 0, or -1 when out of memory (*s then empty). Release with
 * sim_replica_sets_release(). O(G R log(G R)). */
int sim_replica_sets_init(sim_replica_sets *s, const sim_placement *p);

/* Free the arrays and leave *s empty; accepts NULL. */
void sim_replica_sets_release(sim_replica_sets *s);

#endif
