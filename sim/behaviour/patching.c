/*
 * patching.c: planned patch nights (model.md M7).
 *
 * M7.1: the servers with patching enabled form one patch group (the pool's
 * servers: front ends, back end, witness, file store). A patch night comes
 * every patch period (the smallest patch.every of the members; a member
 * with a longer patch.every is patched on the nights when at least its own
 * period, less half a night period, has passed since its last patch). The
 * first night falls uniformly in the first period (random stream). Members
 * are done one at a time in topology order: a graceful shutdown (M1.3,
 * M2.3, A1) for patch.reboot, then a start, then patching.gap before the
 * next member. A member that is down when its turn comes is skipped.
 * M7.2: with patching.skip_if_unhealthy the operator skips the night, or
 * stops it before the next member, while the pool is not healthy: a server
 * down, the pool not up, a routing group not writable, the Back End not
 * serving or the file store down.
 */
#include "sim/state.h"

#include <math.h>

enum { PATCH_IDLE, PATCH_REBOOTING, PATCH_GAP };
enum { PATCH_T_STEP, PATCH_T_COUNT }; /* the module's one timer */

static int step_slot(const sim_engine *e)
{
    return sim_timer_slot(e, SIM_MOD_PATCHING, PATCH_T_STEP);
}

static void patching_begin(sim_engine *e)
{
    if (!e->cfg.patching)
        return;
    e->patch_phase = PATCH_IDLE;
    e->patch_next = 0;
    e->patch_current = -1;
    if (e->n_patch_members == 0 || !isfinite(e->patch_period))
        return;
    for (int k = 0; k < e->n_patch_members; k++)
        e->last_patched[k] = -INFINITY;
    sim_timer_arm(e, step_slot(e), sim_rng_uniform(&e->rng) * e->patch_period);
}

static bool healthy(const sim_engine *e)
{
    return e->servers_down == 0 && e->pool == SIM_POOL_UP &&
           e->groups_writable == e->groups && e->be_serving && e->fs_up;
}

static void end_night(sim_engine *e)
{
    e->patch_phase = PATCH_IDLE;
    double next = e->patch_night_start + e->patch_period;
    while (next <= e->now)
        next += e->patch_period;
    sim_timer_arm(e, step_slot(e), next);
}

/* Shut down the next member due, or end the night. */
static void next_member(sim_engine *e)
{
    const qr_topology *t = e->t;
    while (e->patch_next < e->n_patch_members) {
        int k = e->patch_next++;
        int i = e->patch_members[k];
        const qr_patch *p = &t->comps[i].patch;
        if (e->now - e->last_patched[k] < p->every - 0.5 * e->patch_period)
            continue; /* not due tonight */
        if (e->own[i] != SIM_UP || e->eff[i] != SIM_UP)
            continue; /* down already: nothing to patch */
        sim_comp_action(e, i, SIM_ACT_SHUTDOWN);
        e->last_patched[k] = e->now;
        e->patch_current = i;
        e->patch_current_index = k;
        e->patch_reboots++;
        e->patch_phase = PATCH_REBOOTING;
        sim_timer_arm(e, step_slot(e), e->now + p->reboot);
        return;
    }
    end_night(e);
}

static void patching_on_timer(sim_engine *e, int k)
{
    (void)k; /* PATCH_T_STEP */
    bool skip = e->t->params.patch_skip_if_unhealthy;
    switch (e->patch_phase) {
    case PATCH_IDLE:
        e->rep.patch_nights++;
        e->patch_night_start = e->now;
        e->patch_next = 0;
        if (skip && !healthy(e)) { /* M7.2 */
            e->rep.patch_nights_skipped++;
            end_night(e);
            return;
        }
        next_member(e);
        break;
    case PATCH_REBOOTING:
        /* Back from the reboot, unless it crashed meanwhile (then its
         * repair brings it back). */
        if (e->own[e->patch_current] == SIM_DOWN_GRACEFUL)
            sim_comp_action(e, e->patch_current, SIM_ACT_START);
        e->patch_phase = PATCH_GAP;
        sim_timer_arm(e, step_slot(e), e->now + e->t->params.patch_gap);
        break;
    case PATCH_GAP:
        if (skip && !healthy(e)) { /* M7.2: stop the night here */
            end_night(e);
            return;
        }
        next_member(e);
        break;
    }
}

static int patching_timers(const sim_engine *e)
{
    (void)e;
    return PATCH_T_COUNT;
}

static void patching_describe(const sim_engine *e, int k, sim_step_info *info)
{
    (void)e;
    (void)k;
    info->cause = SIM_CAUSE_PATCH;
}

const sim_module sim_module_patching = {
    .name = "patching",
    .timers = patching_timers,
    .begin = patching_begin,
    .on_timer = patching_on_timer,
    .describe = patching_describe,
};
