/*
 * routing.c: routing groups, the user replica sets (model.md M2).
 *
 * Each group has r = min(3, front ends) replica slots placed by
 * src/model/placement.c (M2.1). slot_fe maps a slot to the front end holding it;
 * every front end keeps the list of its slots (fe_slots, swap-removal), so a
 * front end's change touches only its own replicas. group_up counts the
 * replicas up per group and the writable / limited / down totals follow
 * incrementally.
 *
 * M2.2 writable: a majority of the r replicas up, or exactly half with the
 * Back End serving (the R = 2 tie-break of M1.2). Not writable with some
 * replica up = quorum loss, limited functionality (M2.4); no replica up =
 * down. M2.3: a graceful leave moves the replicas first to running front
 * ends holding none of that group (fewest replicas first, then lowest
 * index); an unexpected loss rebuilds each replica there after
 * fabric.replica_rebuild, if the pool is up and the group writable then.
 * One rebuild timer per front end (not per replica) keeps a crash at one
 * extra event: when it fires, every replica still on that front end whose
 * group can be rebuilt moves; the others wait until their group is
 * writable again or the pool restarts, which re-arms the timer.
 * M2.4: a soft reset reloads every group in quorum loss onto running front
 * ends. The module's timer fe is front end fe's rebuild.
 */
#include "sim/state.h"

#include <stdlib.h>

static int routing_alloc(sim_engine *e, void **state)
{
    (void)state;
    if (sim_placement_init(&e->placement, e->t) != 0)
        return -1;
    e->groups = e->placement.groups;
    e->r = e->placement.r;
    size_t slots = (size_t)e->groups * (size_t)e->r;
    e->slot_fe = malloc(sizeof(int) * (slots + 1));
    e->slot_pos = malloc(sizeof(int) * (slots + 1));
    e->fe_slots = malloc(sizeof(int) * ((size_t)e->n_fe * (size_t)e->groups + 1));
    e->fe_nslots = calloc((size_t)e->n_fe + 1, sizeof(int));
    e->group_up = malloc((size_t)e->groups + 1);
    e->group_state = malloc((size_t)e->groups + 1);
    if (!e->slot_fe || !e->slot_pos || !e->fe_slots || !e->fe_nslots || !e->group_up ||
        !e->group_state)
        return -1;
    return 0;
}

static void routing_release(sim_engine *e, void *state)
{
    (void)state;
    sim_placement_release(&e->placement);
    free(e->slot_fe);
    free(e->fe_slots);
    free(e->fe_nslots);
    free(e->slot_pos);
    free(e->group_up);
    free(e->group_state);
}

static int rebuild_slot(const sim_engine *e, int fe)
{
    return sim_timer_slot(e, SIM_MOD_ROUTING, fe);
}

static void add_slot(sim_engine *e, int s, int fe)
{
    e->slot_fe[s] = fe;
    e->slot_pos[s] = e->fe_nslots[fe];
    e->fe_slots[fe * e->groups + e->fe_nslots[fe]++] = s;
}

static void remove_slot(sim_engine *e, int s)
{
    int fe = e->slot_fe[s];
    int pos = e->slot_pos[s];
    int last = e->fe_slots[fe * e->groups + --e->fe_nslots[fe]];
    e->fe_slots[fe * e->groups + pos] = last;
    e->slot_pos[last] = pos;
}

static void move_slot(sim_engine *e, int s, int to)
{
    remove_slot(e, s);
    add_slot(e, s, to);
}

static bool fe_up(const sim_engine *e, int fe)
{
    return sim_up(e, e->t->pool.frontends[fe]);
}

/* M2.2 */
static int group_state_of(const sim_engine *e, int g)
{
    int up = e->group_up[g];
    if (2 * up > e->r || (2 * up == e->r && up > 0 && e->be_serving))
        return SIM_GROUP_WRITABLE;
    return up > 0 ? SIM_GROUP_LIMITED : SIM_GROUP_DOWN;
}

static int *counter_of(sim_engine *e, int st)
{
    return st == SIM_GROUP_WRITABLE ? &e->groups_writable
           : st == SIM_GROUP_LIMITED ? &e->groups_limited
                                     : &e->groups_down;
}

/* Arm the rebuild timer of front end fe unless it is armed already. With
 * no more front ends than replicas every front end holds every group:
 * nothing can ever be rebuilt, so no timer. */
static void arm_rebuild(sim_engine *e, int fe)
{
    if (e->n_fe > e->r && !sim_timer_armed(e, rebuild_slot(e, fe)))
        sim_timer_arm(e, rebuild_slot(e, fe), e->now + e->t->params.replica_rebuild);
}

/* Group g can be rebuilt again: arm the timers of its lost replicas. */
static void arm_rebuilds(sim_engine *e, int g)
{
    for (int j = 0; j < e->r; j++) {
        int fe = e->slot_fe[g * e->r + j];
        if (!fe_up(e, fe))
            arm_rebuild(e, fe);
    }
}

static void reevaluate(sim_engine *e, int g)
{
    int old = e->group_state[g];
    int st = group_state_of(e, g);
    if (st == old)
        return;
    (*counter_of(e, old))--;
    (*counter_of(e, st))++;
    e->group_state[g] = (unsigned char)st;
    if (old == SIM_GROUP_WRITABLE)
        e->new_group_losses++;
    else if (st == SIM_GROUP_WRITABLE)
        arm_rebuilds(e, g); /* writable again: lost replicas can be rebuilt */
}

static void routing_begin(sim_engine *e)
{
    int slots = e->groups * e->r;
    for (int fe = 0; fe < e->n_fe; fe++)
        e->fe_nslots[fe] = 0;
    for (int s = 0; s < slots; s++)
        add_slot(e, s, e->placement.replicas[s]);
    for (int g = 0; g < e->groups; g++) {
        e->group_up[g] = (unsigned char)e->r;
        e->group_state[g] = SIM_GROUP_WRITABLE;
    }
    e->groups_writable = e->groups;
    e->groups_limited = 0;
    e->groups_down = 0;
    e->groups_be_serving = e->be_serving; /* the Back End begins first */
    e->new_group_losses = 0;
}

/* M2.3: a running front end holding no replica of group g, other than
 * `exclude`, with the fewest replicas (then the lowest index); -1 if none. */
static int pick_target(const sim_engine *e, int g, int exclude)
{
    int best = -1;
    for (int y = 0; y < e->n_fe; y++) {
        if (y == exclude || !fe_up(e, y))
            continue;
        bool holds = false;
        for (int j = 0; j < e->r; j++)
            if (e->slot_fe[g * e->r + j] == y)
                holds = true;
        if (holds)
            continue;
        if (best < 0 || e->fe_nslots[y] < e->fe_nslots[best])
            best = y;
    }
    return best;
}

static void routing_on_change(sim_engine *e, int comp, int old)
{
    int fe = e->fe_of_comp[comp], now_state = e->eff[comp];
    bool was_up = old == SIM_UP, is_up = now_state == SIM_UP;
    if (was_up == is_up)
        return;
    int *list = e->fe_slots + fe * e->groups;
    if (is_up) {
        sim_timer_cancel(e, rebuild_slot(e, fe)); /* its replicas are back */
        for (int k = 0; k < e->fe_nslots[fe]; k++) {
            int s = list[k], g = s / e->r;
            e->group_up[g]++;
            reevaluate(e, g);
        }
        return;
    }
    /* Downward, so that a swap-removal only brings in slots already seen. */
    for (int k = e->fe_nslots[fe] - 1; k >= 0; k--) {
        int s = list[k], g = s / e->r;
        if (now_state == SIM_DOWN_GRACEFUL && e->pool == SIM_POOL_UP) {
            int to = pick_target(e, g, fe);
            if (to >= 0) { /* M2.3: moved before the server stops */
                move_slot(e, s, to);
                continue;
            }
        }
        e->group_up[g]--;
        reevaluate(e, g);
    }
    if (now_state == SIM_DOWN_UNEXPECTED && e->fe_nslots[fe] > 0 && e->n_fe > e->r)
        sim_timer_arm(e, rebuild_slot(e, fe), e->now + e->t->params.replica_rebuild);
}

static void routing_on_timer(sim_engine *e, int fe)
{
    if (fe_up(e, fe) || e->pool != SIM_POOL_UP)
        return;
    int *list = e->fe_slots + fe * e->groups;
    for (int k = e->fe_nslots[fe] - 1; k >= 0; k--) {
        int s = list[k], g = s / e->r;
        /* M2.3: rebuilding needs the group's write quorum. */
        if (e->group_state[g] != SIM_GROUP_WRITABLE)
            continue;
        int to = pick_target(e, g, -1);
        if (to < 0)
            continue;
        move_slot(e, s, to);
        e->group_up[g]++;
        reevaluate(e, g);
    }
}

static void routing_settle(sim_engine *e)
{
    if (e->be_serving != e->groups_be_serving) { /* the Back End settled before */
        e->groups_be_serving = e->be_serving;
        if (e->r == 2) /* its tie-break vote changed (M2.2) */
            for (int g = 0; g < e->groups; g++)
                reevaluate(e, g);
    }
    if (e->new_group_losses > 0 && e->pool == SIM_POOL_UP)
        e->rep.group_quorum_losses += e->new_group_losses;
    e->new_group_losses = 0;
}

void sim_routing_pool_started(sim_engine *e)
{
    for (int fe = 0; fe < e->n_fe; fe++)
        if (!fe_up(e, fe) && e->fe_nslots[fe] > 0)
            arm_rebuild(e, fe);
}

int sim_routing_reload(sim_engine *e)
{
    int reloaded = 0;
    for (int g = 0; g < e->groups; g++) {
        if (e->group_state[g] == SIM_GROUP_WRITABLE)
            continue;
        for (int j = 0; j < e->r; j++) {
            int s = g * e->r + j;
            if (fe_up(e, e->slot_fe[s]))
                continue;
            int to = pick_target(e, g, -1);
            if (to < 0)
                break;
            move_slot(e, s, to);
            e->group_up[g]++;
        }
        reevaluate(e, g);
        reloaded++;
    }
    return reloaded;
}

static int routing_timers(const sim_engine *e)
{
    return e->n_fe; /* one rebuild timer per front end */
}

static void routing_describe(const sim_engine *e, int fe, sim_step_info *info)
{
    (void)e;
    info->cause = SIM_CAUSE_REPLICA_REBUILD;
    info->index = fe;
}

const sim_module sim_module_routing = {
    .name = "routing",
    .roles = SIM_ROLE_FRONTEND,
    .alloc = routing_alloc,
    .release = routing_release,
    .timers = routing_timers,
    .begin = routing_begin,
    .on_change = routing_on_change,
    .settle = routing_settle,
    .on_timer = routing_on_timer,
    .describe = routing_describe,
};
