/*
 * structure.h: the static structure function of M9.
 *
 * With `--static` (and in the exact computation) every service is a
 * function of the present component states only: no stickiness, no delays,
 * no operators, placement fixed. sim_structure_new() precomputes, from a
 * topology, everything that function needs as flat index arrays:
 *   - containment (M0.2): each component's containers (its host, the host's
 *     site, its own site); a component is effectively up only while it and
 *     every container are up;
 *   - the pool's front ends and its seed nodes (M1.1), the routing-group
 *     placement (M2.1, src/model/placement.h) reduced to its distinct replica
 *     sets with multiplicities;
 *   - the parts of the back end, the file store and their clusters;
 *   - the needs of every feature (M6).
 * Evaluating one state then costs O(C) for sim_structure_effective() (C =
 * components; sim_structure_effective_update() after one change costs only
 * the changed component and what it contains) and O(N + F + K) for
 * sim_structure_eval() (N front ends, F features, K cluster nodes and DFS /
 * AlwaysOn replicas): the routing groups are reduced to their U distinct
 * replica sets (U <= min(G, C(N,R))) and, for N <= 16, the number of
 * writable groups is tabulated for every front-end state (2^(N+1) ints,
 * 512 KiB at N = 16), so one lookup replaces O(U*R) work. No call after
 * sim_structure_new() allocates: it runs at every event of the simulator's
 * --static mode. sim_structure_new() costs O(C + G log G + 2^(N+1) * U).
 *
 * The rules evaluated (M9, all losses unexpected, every delay zero):
 *   pool up (M1.2): seed front ends up, plus one Back End vote when the
 *     seed count is even (present while the back end is serving), more
 *     than half of the votes counted (seeds + 1 when even);
 *   routing group writable (M2.2) on its fixed replicas: R = 3: 2 of 3 up;
 *     R = 2: both up, or one up and the back end serving; R = 1: its one
 *     replica up;
 *   back end serving: standalone: its server up; mirroring with witness:
 *     at least two of {principal, mirror, witness} up, at least one of them
 *     a partner; mirroring without witness: either partner up; external:
 *     its component up; alwayson: its cluster up and a replica's node up;
 *     fci: its cluster up, its disk (storage) up and any node up;
 *   cluster up: votes present > half the configured votes; node votes are
 *     the NodeWeights, no dynamic quorum; the witness votes iff it is
 *     configured and the configured voting-node count is even (file share
 *     witness: its server up; disk: its storage up; cloud: its component);
 *   file store up: share: its server up; dfs: any replica up; cluster: the
 *     cluster up, its disk up and any node up.
 *   Feature needs (M6): pool -> pool up; routing_group -> pool up and the
 *     group writable; routing_group_limited -> pool up (limited
 *     functionality still counts as available); backend and backend_grace
 *     -> back end serving (the grace is zero in M9); file_store -> file
 *     store up. A feature's value is the fraction of routing groups (so of
 *     users, M2.5) for which every need holds.
 * Links between sites are ignored in M9: a link's state changes no service
 * (only the full simulation splits failover clusters at broken links,
 * sim/behaviour/cluster.c). Components that do not exist (index -1 in an incomplete
 * topology) count as down.
 *
 * Ownership: sim_structure_new() returns a structure the caller frees with
 * sim_structure_free(). It keeps no pointer into the topology. Once built
 * it is read-only, so any number of threads may evaluate it at once.
 */
#ifndef SIM_STRUCTURE_H
#define SIM_STRUCTURE_H

#include "model/topology.h"

typedef struct sim_structure sim_structure;

/* The services of one state, for callers that need more than features. */
typedef struct {
    int pool_up;          /* M1.2 holds                                    */
    int backend_serving;  /* M3, M4.6, M4.7 static rules                   */
    int file_store_up;    /* M5 static rules                               */
    int groups;           /* routing groups G                              */
    int groups_writable;  /* groups whose replicas satisfy M2.2 (counted  */
                          /*   whether or not the pool is up)              */
} sim_services;

/* Precompute the structure function of t (which must stay unchanged only
 * during the call). Returns NULL when out of memory. Free with
 * sim_structure_free(). */
sim_structure *sim_structure_new(const qr_topology *t);

/* Free s; accepts NULL. */
void sim_structure_free(sim_structure *s);

/* Number of components the state vectors cover (t->n_comps). */
int sim_structure_n_comps(const sim_structure *s);

/* Number of features sim_structure_eval() fills (t->n_features). */
int sim_structure_n_features(const sim_structure *s);

/* Containment (M0.2): up[i] = 1 when component i is itself up; sets eff[i]
 * = 1 when i and all its containers (host, the host's site, its site) are
 * up, else 0. Both arrays have sim_structure_n_comps(s) entries; the caller
 * owns them. O(C). */
void sim_structure_effective(const sim_structure *s, const unsigned char *up,
                             unsigned char *eff);

/* 1 when component i and all its containers are up in up[] (M0.2): one
 * entry of sim_structure_effective(), computed alone. O(1). */
int sim_structure_comp_up(const sim_structure *s, const unsigned char *up, int i);

/* Incremental form for a caller that changes one component at a time (the
 * simulator's events, the exact computation's Gray-code walk): after
 * up[comp] changed, bring eff[] up to date by recomputing comp and every
 * component it contains. eff[] must have been consistent with up[] before
 * that one change. O(1 + components inside comp). */
void sim_structure_effective_update(const sim_structure *s,
                                    const unsigned char *up,
                                    unsigned char *eff, int comp);

/* Evaluate the services for the effective states eff[] (from
 * sim_structure_effective()). Fills feature_up[f] in [0, 1] for every
 * f < t->n_features: the fraction of routing groups (user-weighted, M2.5)
 * for which feature f is up. Returns 1 when the pool is up, else 0.
 * No allocation; O(N + F + K) (O(U*R + F + K) beyond 16 front ends). */
int sim_structure_eval(const sim_structure *s, const unsigned char *eff,
                       double *feature_up);

/* The services behind sim_structure_eval() for eff[], into *out. */
void sim_structure_services(const sim_structure *s, const unsigned char *eff,
                            sim_services *out);

/* sim_structure_eval() and sim_structure_services() in one pass: fills
 * feature_up[] and *out, returns out->pool_up. */
int sim_structure_eval_services(const sim_structure *s,
                                const unsigned char *eff, double *feature_up,
                                sim_services *out);

/* The graceful variant of sim_structure_services(), used by `quorate
 * analyze` for its N-k table: every component down in eff[] left
 * gracefully (drained, then shut down), one at a time, each leave
 * processed before the next. It differs from the M9 rules only where the
 * model says a graceful leave changes quorum:
 *   pool (M1.3): with fabric.graceful_leave_adjusts_votes a seed that left
 *     is no longer counted and the even/odd Back End rule is recomputed on
 *     the seeds still counted (so the pool is up while any seed runs);
 *     without it, M1.2 as configured; no running seed, no pool;
 *   routing groups (M2.3): replicas move off a leaving front end to one
 *     holding none of the group, so every group has min(R, running front
 *     ends) replicas, all up, and M2.2 applies to that (groups_writable is
 *     0 or G; it assumes the pool was up at each leave, which holds
 *     whenever the pool is up at the end, all rules being monotone);
 *   clusters (M4.2): with dynamic quorum the votes are recomputed after
 *     each leave, so the cluster stays up while any voting node runs;
 *     without dynamic quorum, the static rule.
 * The back end's mirroring rule, DFS and shares are the same in both
 * modes. No allocation; O(N + K). */
void sim_structure_services_graceful(const sim_structure *s,
                                     const unsigned char *eff,
                                     sim_services *out);

/* sim_structure_eval_services() for the graceful variant: fills
 * feature_up[] (M6 needs on the graceful services) and *out; returns
 * out->pool_up. */
int sim_structure_eval_graceful(const sim_structure *s,
                                const unsigned char *eff, double *feature_up,
                                sim_services *out);

/* Static M9 quorum of cluster c (index into t->clusters) for eff[]: 1 when
 * up, 0 when down or c is out of range. */
int sim_structure_cluster_up(const sim_structure *s, const unsigned char *eff,
                             int c);

/* Mark every component whose state can change a service: the front ends,
 * the back end's and file store's servers, storage, external and witness
 * components, the nodes and witnesses of the clusters they use, and every
 * container (host, site) of those. relevant[] has sim_structure_n_comps(s)
 * entries and is overwritten with 0/1. Returns how many are marked. */
int sim_structure_relevant(const sim_structure *s, unsigned char *relevant);

#endif
