/*
 * patching.c: planned patch nights (M7).
 *
 * M7.1: the servers with patching enabled form one patch group (the pool's
 * servers: front ends, back end, witness, file store, cluster nodes and
 * file share witness; not a spare with no role). A patch night comes
 * every patch period (the smallest patch.every of the members; a member
 * with a longer patch.every is patched on the nights when at least its own
 * period, less half a night period, has passed since its last patch). The
 * first night falls uniformly in the first period (random stream). Members
 * are done one at a time in topology order: a graceful shutdown (M1.3,
 * M2.3, A1) for patch.reboot, then a start, then patching.gap before the
 * next member. A member that is down when its turn comes is skipped.
 * M7.2: with patching.skip_if_unhealthy the operator skips the night, or
 * stops it before the next member, while the pool is not healthy: a member
 * server down, the pool not up, a routing group not writable, the Back End not
 * serving or the file store down.
 * M7.5: with patching.verify_after_reboot the operator checks each member
 * once it is back (or failed to come back) and stops the night when it
 * shows a latent fault (latent.c), so the other members are not rebooted
 * into the same fault.
 * A scripted patch night (SIM_ACT_PATCH_NIGHT, a scenario's `patch_night`)
 * starts now and patches every member, due or not; it arms no next night
 * when patch nights are off (sim_config.patching).
 */
#include "sim/state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { PATCH_IDLE, PATCH_REBOOTING, PATCH_GAP };
enum { PATCH_T_STEP, PATCH_T_COUNT }; /* the module's one timer */

/* The module's state; e->patch_reboots is published (sim_engine_status). */
typedef struct {
    int *members;         /* servers with patching, topology order        */
    int n_members;
    double period;        /* smallest patch.every of the members          */
    double *last_patched; /* per member                                   */
    int phase;            /* PATCH_IDLE, PATCH_REBOOTING, PATCH_GAP       */
    int next;             /* next index into members                      */
    int current;          /* component being rebooted                     */
    int current_index;    /* its index in members                         */
    double night_start;
    bool scripted;        /* this night was started by a script           */
} patching_data;

static patching_data *pt_of(const sim_engine *e)
{
    return sim_module_state(e, SIM_MOD_PATCHING);
}

bool sim_patching_owns_timer(const sim_engine *e, int slot)
{
    return e->n_mods > 0 && slot == sim_timer_slot(e, SIM_MOD_PATCHING, PATCH_T_STEP);
}

static void patching_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    const patching_data *a = src_state;
    patching_data *d = dst_state;
    (void)src;
    if (a->n_members > 0)
        memcpy(d->last_patched, a->last_patched, sizeof(double) * (size_t)a->n_members);
    d->phase = a->phase;
    d->next = a->next;
    d->current = a->current;
    d->current_index = a->current_index;
    d->night_start = a->night_start;
    d->scripted = a->scripted;
}

static int patching_alloc(sim_engine *e, void **state)
{
    const qr_topology *t = e->t;
    patching_data *pt = calloc(1, sizeof(*pt));
    if (!pt)
        return -1;
    *state = pt;
    pt->members = malloc(sizeof(int) * (size_t)(e->n_comps + 1));
    pt->last_patched = calloc((size_t)e->n_comps + 1, sizeof(double));
    if (!pt->members || !pt->last_patched)
        return -1;
    pt->period = INFINITY;
    /* M7.1: the patch group is the servers of the pool and of its clusters
     * (this module comes last in the table: every role is marked). A
     * server with no role there (a spare) is patched on nights of its own
     * that change nothing here, and its being down does not make the pool
     * unhealthy (M7.2: e->servers_down counts members only), so adding one
     * changes none of a design's figures. */
    for (int i = 0; i < e->n_comps; i++)
        if (t->comps[i].kind == QR_COMP_SERVER && e->role[i] != 0)
            e->role[i] |= SIM_ROLE_MEMBER;
    for (int i = 0; i < e->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        if (!(e->role[i] & SIM_ROLE_MEMBER) || !c->patch.enabled || !(c->patch.every > 0) ||
            !isfinite(c->patch.every))
            continue;
        pt->members[pt->n_members++] = i;
        if (c->patch.every < pt->period)
            pt->period = c->patch.every;
    }
    return 0;
}

static void patching_release(sim_engine *e, void *state)
{
    patching_data *pt = state;
    (void)e;
    if (!pt)
        return;
    free(pt->members);
    free(pt->last_patched);
    free(pt);
}

static int step_slot(const sim_engine *e)
{
    return sim_timer_slot(e, SIM_MOD_PATCHING, PATCH_T_STEP);
}

static void patching_begin(sim_engine *e)
{
    patching_data *pt = pt_of(e);
    pt->phase = PATCH_IDLE;
    pt->scripted = false;
    for (int k = 0; k < pt->n_members; k++)
        pt->last_patched[k] = -INFINITY;
    pt->next = 0;
    pt->current = -1;
    if (!e->cfg.patching)
        return;
    if (pt->n_members == 0 || !isfinite(pt->period))
        return;
    double first = sim_rng_uniform(&e->rng) * pt->period;
    /* A paired pool's stagger (pairing.patch_offset): the same draw moved
     * by the delay and kept in the first period, so that its nights keep
     * that distance from its partner's nights. */
    if (e->cfg.patch_delay > 0)
        first = fmod(first + e->cfg.patch_delay, pt->period);
    sim_timer_arm(e, step_slot(e), first);
}

static bool healthy(const sim_engine *e)
{
    return e->servers_down == 0 && e->pool == SIM_POOL_UP &&
           e->groups_writable == e->groups && e->be_seen && e->fs_up;
}

static void end_night(sim_engine *e)
{
    patching_data *pt = pt_of(e);
    pt->phase = PATCH_IDLE;
    pt->scripted = false;
    if (!e->cfg.patching || !isfinite(pt->period)) {
        sim_timer_cancel(e, step_slot(e));
        return; /* no regular nights (a scripted one only) */
    }
    double next = pt->night_start + pt->period;
    while (next <= e->now)
        next += pt->period;
    sim_timer_arm(e, step_slot(e), next);
}

/* Shut down the next member due, or end the night. */
static void next_member(sim_engine *e)
{
    patching_data *pt = pt_of(e);
    const qr_topology *t = e->t;
    while (pt->next < pt->n_members) {
        int k = pt->next++;
        int i = pt->members[k];
        const qr_patch *p = &t->comps[i].patch;
        if (!pt->scripted && e->now - pt->last_patched[k] < p->every - 0.5 * pt->period)
            continue; /* not due tonight */
        if (e->own[i] != SIM_UP || e->eff[i] != SIM_UP)
            continue; /* down already: nothing to patch */
        sim_comp_action(e, i, SIM_ACT_SHUTDOWN);
        pt->last_patched[k] = e->now;
        pt->current = i;
        pt->current_index = k;
        e->patch_reboots++;
        pt->phase = PATCH_REBOOTING;
        sim_timer_arm(e, step_slot(e), e->now + p->reboot);
        return;
    }
    end_night(e);
}

static void patching_on_timer(sim_engine *e, int k)
{
    patching_data *pt = pt_of(e);
    (void)k; /* PATCH_T_STEP */
    bool skip = e->t->params.patch_skip_if_unhealthy;
    switch (pt->phase) {
    case PATCH_IDLE:
        e->rep.patch_nights++;
        pt->night_start = e->now;
        pt->next = 0;
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
        if (e->own[pt->current] == SIM_DOWN_GRACEFUL)
            sim_comp_action(e, pt->current, SIM_ACT_START);
        /* M7.5: verified, it came back broken: the night stops here. */
        if (e->t->latent_practice.verify_after_reboot && sim_latent_broken(e, pt->current)) {
            sim_latent_night_stopped(e);
            end_night(e);
            return;
        }
        pt->phase = PATCH_GAP;
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

/* A scripted patch night (SIM_ACT_PATCH_NIGHT): now, unless one is under
 * way; every member is due. */
static void patching_act(sim_engine *e, sim_action a)
{
    patching_data *pt = pt_of(e);
    if (a != SIM_ACT_PATCH_NIGHT || pt->phase != PATCH_IDLE)
        return;
    pt->scripted = true;
    e->rep.patch_nights++;
    pt->night_start = e->now;
    pt->next = 0;
    if (e->t->params.patch_skip_if_unhealthy && !healthy(e)) { /* M7.2 */
        e->rep.patch_nights_skipped++;
        end_night(e);
        return;
    }
    next_member(e);
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
    .alloc = patching_alloc,
    .release = patching_release,
    .timers = patching_timers,
    .begin = patching_begin,
    .on_timer = patching_on_timer,
    .act = patching_act,
    .describe = patching_describe,
    .copy = patching_copy,
    .feature_inputs_keyed = true,
};
