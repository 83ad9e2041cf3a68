/*
 * engine_copy.c: a replication's state copied from one engine into another
 * built for the same topology and configuration (engine.h,
 * sim_engine_copy and sim_engine_clone), so that a training lab can keep
 * snapshots and go back without replaying its whole history. Each
 * behaviour module copies its own state through its row's copy hook
 * (state.h); this file copies the component layer, what the modules
 * publish in the engine, the measures and the downtime attribution.
 *
 * Both engines come from sim_engine_new with the same inputs, so every
 * array already has the same size in both and only contents are copied:
 * no pointer is ever assigned, and the arrays fixed for an engine's life
 * (containment, roles, placement) are equal already. Every field of
 * struct sim_engine (state.h) that changes while a replication runs is
 * copied here, and every module state by its hook; a field added to
 * either must be copied too, which
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
    int nt = n + src->n_ccf_ev; /* components, then common events (build_ccf) */
    COPY(rng);
    COPY_ARRAY(crng, 2 * nt); /* failure and repair streams (seed_streams) */
    COPY_ARRAY(crng_stamp, 2 * nt); /* and when they were renewed (rare.c) */
    COPY(crng_epoch);
    COPY(crng_key);
    COPY(now);
    COPY(events);
    COPY(event_limit);
    COPY_ARRAY(own, n);
    COPY_ARRAY(eff, n);
    COPY_ARRAY(comp_gen, nt);
    COPY_ARRAY(ccf_hold, n);
    COPY_ARRAY(parent, n); /* VMs move between hosts (M0.4, M7.6) */
    COPY_ARRAY(timer_gen, src->n_timers);
    COPY_ARRAY(timer_at, src->n_timers);
    COPY(servers_down);
    COPY(own_down);
    COPY(own_changes);
    COPY_ARRAY(s_up, n);
    COPY_ARRAY(s_eff, n);
    COPY(oom);
}

/* What the modules publish in the engine; their own state is copied by
 * their rows' copy hooks (state.h). */
static void copy_published(sim_engine *dst, const sim_engine *src)
{
    COPY(pool);
    COPY(seeds_counted);
    COPY(seeds_present);
    COPY(fe_running);
    COPY(groups_writable);
    COPY(groups_limited);
    COPY(groups_down);
    COPY(be_serving);
    COPY(be_seen);
    sim_partition_copy(dst->part, src->part, src->n_comps, src->n_fe);
    COPY(be_grace_expired);
    COPY(be_dirty);
    COPY(be_principal);
    COPY(be_mirror);
    COPY(be_synchronized);
    COPY(fs_up);
    COPY(patch_reboots);
}

static void copy_measures(sim_engine *dst, const sim_engine *src)
{
    sim_feature_rep *f = dst->rep.f;
    double *cause = dst->rep.cause, *start = dst->rep.start;
    dst->rep = src->rep;
    dst->rep.f = f;
    dst->rep.cause = cause;
    dst->rep.start = start;
    COPY_ARRAY(rep.f, src->rep.n);
    COPY_ARRAY(rep.cause, src->rep.n * SIM_DC_COUNT);
    COPY_ARRAY(rep.start, src->rep.n * SIM_DS_COUNT);
    COPY_ARRAY(val, src->n_vals);
    COPY_ARRAY(new_val, src->n_vals);
    COPY_ARRAY(out_start, src->n_vals);
    COPY_ARRAY(static_feature, src->n_vals);
    COPY(limited_frac);
    COPY(resiliency_cached);
    COPY(last_t);
    COPY(static_pool);
    /* downtime by cause (attribution.c) */
    COPY_ARRAY(timer_origin, src->n_timers);
    COPY_ARRAY(cause_now, src->n_vals);
    COPY_ARRAY(new_cause, src->n_vals);
    COPY_ARRAY(start_now, src->n_vals);
    COPY(cause_t);
    COPY(n_down);
    COPY(inputs_seen);
    COPY(origin);
}

/* The static view's memo (static_memo.c): its tables are a cache of
 * sim_structure_eval's results that each engine fills on its own, so only
 * the state is copied: the mask of components down, and the result in
 * force as an index into dst's own table (-1 when dst has not met that
 * state yet; its next settle then finds the same values, which the
 * measures see as no change). */
static void copy_static(sim_engine *dst, const sim_engine *src)
{
    sim_static_memo *m = &dst->memo;
    m->mask = src->memo.mask;
    m->code_now = m->code && src->memo.code_now >= 0 ? m->code[m->mask] : -1;
    m->dirty = src->memo.dirty;
}

int sim_engine_copy(sim_engine *dst, const sim_engine *src)
{
    if (dst == src)
        return 0;
    if (dst->t != src->t || dst->cfg.static_mode != src->cfg.static_mode ||
        dst->cfg.horizon != src->cfg.horizon)
        return -1;
    if (src->cfg.static_mode)
        copy_static(dst, src);
    if (copy_queue(&dst->q, &src->q) != 0 || copy_queue(&dst->tq, &src->tq) != 0)
        return -1;
    if (sim_engine_copy_modules(dst, src) != 0)
        return -1;
    copy_components(dst, src);
    copy_published(dst, src);
    copy_measures(dst, src);
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
