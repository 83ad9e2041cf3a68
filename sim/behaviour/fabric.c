/*
 * fabric.c: pool-level quorum of the Windows Fabric seed nodes (M1).
 *
 * Counters kept incrementally from front-end state changes: seeds counted in
 * the membership (M1.3: a graceful leave removes the seed when
 * fabric.graceful_leave_adjusts_votes; M1.4: an unexpected loss keeps it),
 * seeds present, and front ends running. The Back End adds a vote when the
 * counted seeds are even (M1.2). Quorum loss is sticky (M1.5): the pool
 * comes back only through the automatic restart at the 85% threshold (M1.6)
 * or the operator's soft reset (M1.7), both taking fabric.restart_time and
 * both requiring M1.2 when they complete.
 *
 * Two module rows: the fabric itself (timer 0: the restart completes) and
 * the operator (timer 0: the soft reset and its retries), which settles
 * after routing because a reset is also due for groups in quorum loss.
 */
#include "sim/state.h"

#include <stdlib.h>

/* M1.3, M1.4: what a seed in state st adds to (counted, present). */
static void contribution(const sim_engine *e, int st, int *counted, int *present)
{
    switch (st) {
    case SIM_UP:
        *counted = 1;
        *present = 1;
        break;
    case SIM_DOWN_GRACEFUL:
        *counted = e->t->params.graceful_leave_adjusts_votes ? 0 : 1; /* M1.3 */
        *present = 0;
        break;
    default:
        *counted = 1; /* M1.4: an unexpected loss stays counted */
        *present = 0;
        break;
    }
}

enum { FABRIC_T_START, FABRIC_T_COUNT };
enum { OPERATOR_T_RESET, OPERATOR_T_COUNT };

/* The fabric's own state; what others read (e->pool, the seed counts) is
 * published in the engine. */
typedef struct {
    bool fe_started;      /* a front end came up during this event        */
    bool reload_pending;  /* a reset's restart will reload lost groups    */
    int  last_down;       /* M1.9: the front end of a two-FE pool that    */
                          /*   went down last, while both are down; -1    */
    bool wrong_order;     /* M1.9: the other one came back first: the     */
                          /*   pool needs the operator's reset            */
} fabric_data;

static fabric_data *fab_of(const sim_engine *e)
{
    return sim_module_state(e, SIM_MOD_FABRIC);
}

static void fabric_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    (void)src;
    *(fabric_data *)dst_state = *(const fabric_data *)src_state;
}

static int fabric_alloc(sim_engine *e, void **state)
{
    (void)e;
    *state = calloc(1, sizeof(fabric_data));
    return *state ? 0 : -1;
}

static void fabric_release(sim_engine *e, void *state)
{
    (void)e;
    free(state);
}

static int start_slot(const sim_engine *e)
{
    return sim_timer_slot(e, SIM_MOD_FABRIC, FABRIC_T_START);
}

static int reset_slot(const sim_engine *e)
{
    return sim_timer_slot(e, SIM_MOD_OPERATOR, OPERATOR_T_RESET);
}

static void fabric_begin(sim_engine *e)
{
    e->pool = SIM_POOL_UP;
    e->seeds_counted = e->n_seeds; /* M1.1 */
    e->seeds_present = e->n_seeds;
    e->fe_running = e->n_fe;
    fab_of(e)->fe_started = false;
    fab_of(e)->reload_pending = false;
    fab_of(e)->last_down = -1;
    fab_of(e)->wrong_order = false;
}

/* M1.9: the restart order of a two-FE pool (SFB-FEHA: when both servers go
 * down, bring them back in reverse order of shutdown, or run
 * Reset-CsPoolRegistrarState -ResetType QuorumLossRecovery first). The
 * front end that went down last holds the pool's latest state; when the
 * other one comes back first, alone, the pool does not start by itself. */
static void restart_order(sim_engine *e, int fe, bool was_up, bool is_up)
{
    fabric_data *fd = fab_of(e);
    if (e->n_fe != 2 || !e->t->params.restart_order || was_up == is_up)
        return;
    int other = 1 - fe;
    int oc = e->t->pool.frontends[other];
    bool other_up = sim_fe_view(e, other, e->eff[oc]) == SIM_UP;
    if (!is_up) {
        if (!other_up) /* both down now: fe went last */
            fd->last_down = fe;
        return;
    }
    if (other_up) { /* both run again: the order no longer matters */
        fd->wrong_order = false;
        fd->last_down = -1;
    } else if (fd->last_down >= 0) {
        fd->wrong_order = fe != fd->last_down;
        if (!fd->wrong_order)
            fd->last_down = -1;
    }
}

void sim_fabric_fe_changed(sim_engine *e, int fe, int old, int now_state)
{
    restart_order(e, fe, old == SIM_UP, now_state == SIM_UP);
    if (fe < e->n_seeds) { /* M1.1: only seeds vote */
        int c0, p0, c1, p1;
        contribution(e, old, &c0, &p0);
        contribution(e, now_state, &c1, &p1);
        e->seeds_counted += c1 - c0;
        e->seeds_present += p1 - p0;
    }
    e->fe_running += (now_state == SIM_UP) - (old == SIM_UP);
    if (now_state == SIM_UP && old != SIM_UP)
        fab_of(e)->fe_started = true;
}

static void fabric_on_change(sim_engine *e, int comp, int old)
{
    int fe = e->fe_of_comp[comp];
    sim_fabric_fe_changed(e, fe, sim_fe_view(e, fe, old), sim_fe_view(e, fe, e->eff[comp]));
}

/* M1.2: the Back End votes when the counted seeds are even (not in an SfB
 * 2019 pool of 13-16 front ends, qr_pool_backend_votes). */
static bool be_votes(const sim_engine *e)
{
    return e->seeds_counted % 2 == 0 && qr_pool_backend_votes(e->t);
}

/* M1.2: one vote per counted seed, plus the Back End when they are even. */
int sim_fabric_votes_counted(const sim_engine *e)
{
    return e->seeds_counted + (be_votes(e) ? 1 : 0);
}

/* With site partitions the Back End's vote needs the pool's side to reach
 * it (e->be_seen, pool_partition.c). */
int sim_fabric_votes_present(const sim_engine *e)
{
    return e->seeds_present + ((be_votes(e) && e->be_seen) ? 1 : 0);
}

bool sim_fabric_quorum(const sim_engine *e)
{
    /* Without a running seed there is no fabric, whatever the Back End. */
    return e->seeds_present > 0 &&
           2 * sim_fabric_votes_present(e) > sim_fabric_votes_counted(e);
}

static void start_pool(sim_engine *e)
{
    e->pool = SIM_POOL_STARTING;
    sim_timer_arm(e, start_slot(e), e->now + e->t->params.restart_time);
}

static void fabric_settle(sim_engine *e)
{
    switch (e->pool) {
    case SIM_POOL_UP:
        if (!sim_fabric_quorum(e)) {
            /* M1.5: the remaining front ends stop every service. */
            e->pool = SIM_POOL_DOWN;
            e->rep.quorum_losses++;
        }
        break;
    case SIM_POOL_DOWN:
        /* M1.6: a front end (re)starting brings the running ones to the
         * start threshold: the pool restarts by itself. */
        if (fab_of(e)->fe_started && e->fe_running >= e->start_threshold &&
            !fab_of(e)->wrong_order) /* M1.9 */
            start_pool(e);
        break;
    case SIM_POOL_STARTING:
        break;
    }
    fab_of(e)->fe_started = false;
}

/* Does the operator have something to reset (M1.7, M2.4)? */
static bool operator_needed(const sim_engine *e)
{
    if (e->pool == SIM_POOL_DOWN)
        return true;
    return e->pool == SIM_POOL_UP && e->groups_writable < e->groups;
}

/* Settle phase, after routing: arm the operator's reset while something
 * needs it. */
static void operator_settle(sim_engine *e)
{
    if (!e->cfg.operator_actions)
        return;
    bool need = operator_needed(e);
    bool armed = sim_timer_armed(e, reset_slot(e));
    if (need && !armed)
        sim_timer_arm(e, reset_slot(e), e->now + e->t->params.quorum_reset_after);
    else if (!need && armed)
        sim_timer_cancel(e, reset_slot(e)); /* recovered meanwhile */
}

/* M1.7: the operator's soft reset, now. Returns 1 performed, 0 not. */
static int soft_reset(sim_engine *e)
{
    switch (e->pool) {
    case SIM_POOL_DOWN:
        /* M1.7: succeeds only when the running front ends satisfy M1.2. */
        if (!sim_fabric_quorum(e)) {
            e->rep.reset_attempts_failed++;
            return 0;
        }
        e->rep.soft_resets++;
        e->rep.data_loss_risk++; /* data not yet in the Back End */
        fab_of(e)->reload_pending = true;
        fab_of(e)->wrong_order = false; /* M1.9: the reset lifts it */
        fab_of(e)->last_down = -1;
        start_pool(e);
        return 1;
    case SIM_POOL_UP:
        if (e->groups_writable == e->groups)
            return 0;
        /* M2.4: QuorumLossRecovery reloads the groups in quorum loss from
         * the Back End, which must be serving. */
        if (!e->be_seen) {
            e->rep.reset_attempts_failed++;
            return 0;
        }
        if (sim_routing_reload(e) == 0) {
            /* M1.7: a reset that places no replica (no running front end
             * can take one) changes nothing: neither a soft reset nor a
             * data-loss risk, a failed attempt. */
            e->rep.reset_attempts_failed++;
            return 0;
        }
        e->rep.soft_resets++;
        e->rep.data_loss_risk++;
        return 1;
    case SIM_POOL_STARTING:
        return 0;
    }
    return 0;
}

static void fabric_on_timer(sim_engine *e, int k)
{
    (void)k; /* FABRIC_T_START */
    /* M1.6/M1.7: the restart completes only with quorum. */
    if (sim_fabric_quorum(e)) {
        e->pool = SIM_POOL_UP;
        if (fab_of(e)->reload_pending && e->be_seen)
            sim_routing_reload(e);
        sim_routing_pool_started(e);
    } else {
        e->pool = SIM_POOL_DOWN;
    }
    fab_of(e)->reload_pending = false;
}

static int fabric_timers(const sim_engine *e)
{
    (void)e;
    return FABRIC_T_COUNT;
}

static void fabric_describe(const sim_engine *e, int k, sim_step_info *info)
{
    (void)e;
    (void)k;
    info->cause = SIM_CAUSE_POOL_START;
}

const sim_module sim_module_fabric = {
    .name = "fabric",
    .roles = SIM_ROLE_FRONTEND,
    .alloc = fabric_alloc,
    .release = fabric_release,
    .timers = fabric_timers,
    .begin = fabric_begin,
    .on_change = fabric_on_change,
    .settle = fabric_settle,
    .on_timer = fabric_on_timer,
    .describe = fabric_describe,
    .copy = fabric_copy,
    .feature_inputs_keyed = true,
};

/* ---- the operator (M1.7, M2.4) ---- */

static void operator_on_timer(sim_engine *e, int k)
{
    (void)k; /* OPERATOR_T_RESET */
    soft_reset(e);
    /* M1.7: retry every operations.quorum_reset.retry while needed. */
    if (operator_needed(e))
        sim_timer_arm(e, reset_slot(e), e->now + e->t->params.quorum_reset_retry);
}

static void operator_act(sim_engine *e, sim_action a)
{
    if (a == SIM_ACT_SOFT_RESET)
        soft_reset(e);
}

static int operator_timers(const sim_engine *e)
{
    (void)e;
    return OPERATOR_T_COUNT;
}

static void operator_describe(const sim_engine *e, int k, sim_step_info *info)
{
    (void)e;
    (void)k;
    info->cause = SIM_CAUSE_OPERATOR_RESET;
}

const sim_module sim_module_operator = {
    .name = "operator",
    .timers = operator_timers,
    .settle = operator_settle,
    .on_timer = operator_on_timer,
    .act = operator_act,
    .describe = operator_describe,
    .feature_inputs_keyed = true,
};
