/*
 * engine_copy.c: a replication's state copied from one engine into another
 * built for the same topology and configuration (engine.h,
 * sim_engine_copy and sim_engine_clone), so that a training lab can keep
 * snapshots and go back without replaying its whole history.
 *
 * Both engines come from sim_engine_new with the same inputs, so every
 * array already has the same size in both and only contents are copied:
 * no pointer is ever assigned, and the arrays fixed for an engine's life
 * (containment, roles, placement) are equal already. Every field of
 * struct sim_engine (state.h) that changes while a replication runs is
 * copied here; a field added there must be added here too, which
 * test_engine_copy_continues_identically (every bundled kind of design, random
 * failures and patching) checks by running the copy and the original on
 * and comparing them.
 */
#include "sim/state.h"

#include <stdlib.h>
#include <string.h>

/* Copy n elements of array field f. */
#define COPY_ARRAY(f, n)                                                     \
    do {                                                                     \
        if ((n) > 0)                                                         \
            memcpy(dst->f, src->f, sizeof(*dst->f) * (size_t)(n));           \
    } while (0)
#define COPY(f) (dst->f = src->f)

static int copy_queue(sim_queue *dst, const sim_queue *src)
{
    if (dst->cap < src->n) {
        sim_event *heap = realloc(dst->heap, sizeof(*heap) * src->n);
        if (!heap)
            return -1;
        dst->heap = heap;
        dst->cap = src->n;
    }
    if (src->n > 0)
        memcpy(dst->heap, src->heap, sizeof(*dst->heap) * src->n);
    dst->n = src->n;
    dst->next_seq = src->next_seq;
    return 0;
}

static void copy_components(sim_engine *dst, const sim_engine *src)
{
    int n = src->n_comps;
    COPY(rng);
    COPY_ARRAY(crng, n);
    COPY(now);
    COPY(events);
    COPY(event_limit);
    COPY_ARRAY(own, n);
    COPY_ARRAY(eff, n);
    COPY_ARRAY(comp_gen, n);
    COPY_ARRAY(timer_gen, src->n_timers);
    COPY_ARRAY(timer_at, src->n_timers);
    COPY(servers_down);
    COPY_ARRAY(s_up, n);
    COPY_ARRAY(s_eff, n);
    COPY(oom);
}

static void copy_fabric_routing(sim_engine *dst, const sim_engine *src)
{
    COPY(pool);
    COPY(seeds_counted);
    COPY(seeds_present);
    COPY(fe_running);
    COPY(fe_started);
    COPY(reload_pending);
    int slots = src->groups * src->r;
    COPY_ARRAY(slot_fe, slots);
    COPY_ARRAY(slot_pos, slots);
    COPY_ARRAY(fe_slots, src->n_fe * src->groups);
    COPY_ARRAY(fe_nslots, src->n_fe);
    COPY_ARRAY(group_up, src->groups);
    COPY_ARRAY(group_state, src->groups);
    COPY(groups_writable);
    COPY(groups_limited);
    COPY(groups_down);
    COPY(groups_dirty);
}

static void copy_backends(sim_engine *dst, const sim_engine *src)
{
    COPY(be_serving);
    COPY(be_grace_expired);
    COPY(be_principal);
    COPY(be_mirror);
    COPY(be_synchronized);
    COPY(ag_primary);
    int nrep = src->t->pool.backend.n_replicas;
    COPY_ARRAY(ag_sync, nrep);
    COPY_ARRAY(ag_resync_at, nrep);
    COPY(ag_failover_kind);
    COPY(be_role);
    COPY(fs_up);
    COPY(fs_active);
    COPY(fs_role);
}

static void copy_clusters(sim_engine *dst, const sim_engine *src)
{
    int nc = src->n_clusters;
    int nodes = nc > 0 ? src->cl_first[nc] : 0;
    COPY_ARRAY(cl_vote, nodes);
    COPY_ARRAY(cl_member, nodes);
    COPY_ARRAY(cl_gone_at, nodes);
    COPY_ARRAY(cl_wgone_at, nc);
    COPY_ARRAY(cl_state, nc);
    COPY_ARRAY(cl_wvote, nc);
    COPY_ARRAY(cl_wmember, nc);
    COPY_ARRAY(cl_dirty, nc);
    COPY_ARRAY(cl_force_due, nc);
    COPY_ARRAY(cl_losses, nc);
    COPY_ARRAY(cl_forced, nc);
    COPY_ARRAY(cl_key, nc);
    COPY_ARRAY(cl_split, nc);
    COPY_ARRAY(cl_root, src->n_comps); /* site roots: links change them */
}

static void copy_patching_measures(sim_engine *dst, const sim_engine *src)
{
    COPY(patch_phase);
    COPY(patch_next);
    COPY(patch_current);
    COPY(patch_current_index);
    COPY(patch_night_start);
    COPY_ARRAY(last_patched, src->n_comps);
    COPY(patch_reboots);
    sim_feature_rep *f = dst->rep.f;
    dst->rep = src->rep;
    dst->rep.f = f;
    COPY_ARRAY(rep.f, src->rep.n);
    COPY_ARRAY(val, src->n_vals);
    COPY_ARRAY(new_val, src->n_vals);
    COPY_ARRAY(out_start, src->n_vals);
    COPY_ARRAY(static_feature, src->n_vals);
    COPY(limited_frac);
    COPY(resiliency_cached);
    COPY(new_group_losses);
    COPY(last_t);
    COPY(static_pool);
}

int sim_engine_copy(sim_engine *dst, const sim_engine *src)
{
    if (dst == src)
        return 0;
    /* The static view's memo tables are not copied: only the full
     * simulation (what labs run) is supported. */
    if (dst->t != src->t || dst->cfg.static_mode || src->cfg.static_mode ||
        dst->cfg.horizon != src->cfg.horizon)
        return -1;
    if (copy_queue(&dst->q, &src->q) != 0)
        return -1;
    copy_components(dst, src);
    copy_fabric_routing(dst, src);
    copy_backends(dst, src);
    copy_clusters(dst, src);
    copy_patching_measures(dst, src);
    return 0;
}

sim_engine *sim_engine_clone(const sim_engine *src)
{
    sim_engine *e = sim_engine_new(src->t, &src->cfg, NULL, 0);
    if (e && sim_engine_copy(e, src) != 0) {
        sim_engine_free(e);
        e = NULL;
    }
    return e;
}
