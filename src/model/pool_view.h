/*
 * pool_view.h: one pool of a design with several pools (`pools:`, M10) as
 * an ordinary single-pool topology, so that everything written for one
 * pool (the design rules, the simulation engine, the exact view, the
 * export) runs on it unchanged.
 */
#ifndef QR_POOL_VIEW_H
#define QR_POOL_VIEW_H

#include "model/topology.h"

/* Build in *out a new topology holding pool p of t (0 <= p < t->n_pools)
 * as its `pool`, and only the components it uses, in t's declaration
 * order: the servers of its roles (front ends, Back End, file store), the
 * nodes and witnesses of the clusters those roles run on (and the clusters
 * themselves), the storage and external SQL services they use, the hosts
 * of those servers, the sites of all of these and the pool's own site, and
 * every link whose two sites are both kept. Components keep their names,
 * failure figures, places (qr_loc) and costs, so diagnostics about the
 * view point into t's file, and the simulator's random streams, keyed by
 * kind and name (sim_rng_key), give a component shared by two pools (a
 * site, a link) the same timeline in both views. Features, fabric,
 * operations, patching, costs, the kinds' figures and where each value
 * comes from are copied whole, and the common-cause groups and latent
 * faults that fit the pool (qr_pool_view_carry). name is "<t's name>: <pool name>", file
 * is t's, notation is derived (NULL); the view has no `pools`.
 *
 * The caller owns *out (qr_topology_free). map (may be NULL) receives,
 * for each component of t, its index in the view or -1: t->n_comps
 * entries, owned by the caller. Returns 0, or -1 when out of memory or p
 * is out of range (*out NULL). */
int qr_topology_pool_view(const qr_topology *t, int p, qr_topology **out, int *map);

/* What the exact view of a design with several pools does not build yet:
 * common-cause groups (its exact availability takes those of one pool's
 * own components; its fault trees, for the export and the cut sets, none)
 * and the hosts' virtualization (M0.4-M0.5, M7.6-M7.7). NULL when t has
 * none of them, else a sentence naming the first, for the exact view to
 * refuse rather than leave them out silently. Latent faults (M7.3) are
 * the full simulation's only, for one pool as for several: the exact view
 * leaves them out. The simulation asks qr_pool_view_check. */
const char *qr_pool_view_unsupported(const qr_topology *t);

/* Can every pool's view carry what t holds, for the simulation of a design
 * with several pools? The views carry common-cause groups and latent
 * faults (pool_view_faults.c): one given by role is resolved for each
 * pool; one that names components goes into every view that holds them
 * all; `virtualization:` when the hosts map cleanly onto the pools
 * (qr_pool_view_virt_check). Returns 0, or -1 with a sentence in err when
 * they do not, or for a group or fault that names components of two pools
 * (it names the group or fault, the two pools and one member in each). */
int qr_pool_view_check(const qr_topology *t, char *err, size_t errlen);

/* A common-cause group or latent fault of t whose listed members span two
 * pools' views, so that no one view holds them all: pool_a holds member_a,
 * which pool_b lacks, and pool_b holds member_b. */
typedef struct {
    bool latent;     /* t->latent[index], else t->ccf[index]              */
    int  index;
    int  pool_a, pool_b;
    int  member_a, member_b;
} qr_pool_span;

/* Call visit for every group and fault of t that spans two pools (groups
 * first, in order; ones given by role are resolved per pool and never
 * do). Returns how many, -1 out of memory. qr_pool_view_check refuses on
 * the first; `check` reports each (PP013). */
int qr_pool_view_spans(const qr_topology *t,
                       void (*visit)(const qr_topology *t, const qr_pool_span *s, void *ctx),
                       void *ctx);

/* "common-cause group 'G' spans pools 'A' and 'B' ('a1' and 'b1')", or the
 * same of a latent fault, into buf. */
void qr_pool_span_text(const qr_topology *t, const qr_pool_span *s, char *buf, size_t size);

/* Mark in keep (t->n_comps entries, cleared first) the components of t
 * that pool p's view holds. Returns 0, -1 when out of memory or p is out
 * of range. */
int qr_pool_view_uses(const qr_topology *t, int p, char *keep);

/* The hosts' virtualization for the views (pool_view_virt.c): -1 with a
 * sentence in err unless every host is one pool's, every host in the site
 * of a pool's host is that pool's, and there are no maintenance nights;
 * keeps[p] is what pool p's view holds (qr_pool_view_uses). 0 when t has
 * no `virtualization:`. */
int qr_pool_view_virt_check(const qr_topology *t, char *const *keeps, char *err, size_t errlen);

/* Copy t's virtualization into view v (map as below), its anti-affinity
 * groups cut to the view's members (a group left with one is dropped).
 * Returns 0, -1 when out of memory. */
int qr_pool_view_carry_virt(const qr_topology *t, qr_topology *v, const int *map);

/* Copy into view v of t (map: t's components to v's, as
 * qr_topology_pool_view gives it) t's common-cause groups and latent
 * faults that fit the view, the practice against latent faults and the
 * hosts' virtualization (qr_pool_view_carry_virt).
 * Returns 0, -1 when out of memory (what was copied is v's). */
int qr_pool_view_carry(const qr_topology *t, qr_topology *v, const int *map);

#endif
