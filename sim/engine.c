/*
 * engine.c: the event loop of one replication and the component layer under
 * the behaviour modules.
 *
 * It owns the component states (M0.1), containment (M0.2: a host or site
 * down takes its contents down the same way), the random failure and repair
 * clocks (M0.3, one sim_rng stream per replication), timers with lazy
 * cancellation, scripted actions, and the two-phase handling of an event
 * (apply, then sim_settle; see state.h). The rules live in fabric.c,
 * routing.c, backend_mirroring.c, cluster.c, backend_cluster.c, file_store.c, features.c
 * and patching.c.
 *
 * In static mode (M9) only failures and repairs happen; after each, the
 * services are evaluated with sim_structure_eval.
 *
 * The loop itself allocates nothing: the queue keeps its memory between
 * replications and only grows when more events are pending than ever before.
 */
#include "sim/state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/dist.h"

void sim_config_default(sim_config *c)
{
    memset(c, 0, sizeof(*c));
    c->horizon = 10.0 * SIM_SECONDS_PER_YEAR;
    c->random_failures = true;
    c->patching = true;
    c->operator_actions = true;
    c->static_mode = false;
    c->planned_sql_failover = true;
    c->planned_dfs_switch = true;
}

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

static bool cluster_usable(const qr_topology *t, int c)
{
    return c >= 0 && c < t->n_clusters && t->clusters[c].n_nodes > 0;
}

bool sim_engine_supports(const qr_topology *t, char *err, size_t errlen)
{
    qr_backend_kind bk = t->pool.backend.kind;
    if ((bk == QR_BACKEND_ALWAYSON || bk == QR_BACKEND_FCI) &&
        !cluster_usable(t, t->pool.backend.cluster)) {
        set_err(err, errlen, "the back end names no failover cluster with nodes");
        return false;
    }
    if (t->pool.file_store.kind == QR_FILE_STORE_CLUSTER &&
        !cluster_usable(t, t->pool.file_store.cluster)) {
        set_err(err, errlen, "the file-share cluster names no failover cluster with nodes");
        return false;
    }
    if (t->pool.n_frontends < 1) {
        set_err(err, errlen, "the pool has no front ends");
        return false;
    }
    return true;
}

static int parent_of(const qr_component *c)
{
    switch (c->kind) {
    case QR_COMP_SITE:
        return -1;
    case QR_COMP_SERVER:
        return c->host >= 0 ? c->host : c->site;
    case QR_COMP_LINK:
        /* Links join two sites; they are contained in neither. */
        return -1;
    default:
        return c->site;
    }
}

static int build_containment(sim_engine *e)
{
    const qr_topology *t = e->t;
    int n = e->n_comps;
    e->parent = malloc(sizeof(int) * (size_t)(n + 1));
    e->child_start = calloc((size_t)n + 2, sizeof(int));
    e->children = malloc(sizeof(int) * (size_t)(n + 1));
    if (!e->parent || !e->child_start || !e->children)
        return -1;
    for (int i = 0; i < n; i++) {
        int p = parent_of(&t->comps[i]);
        if (p < 0 || p >= n || p == i)
            p = -1;
        e->parent[i] = p;
        if (p >= 0)
            e->child_start[p + 1]++;
    }
    for (int i = 0; i < n; i++)
        e->child_start[i + 1] += e->child_start[i];
    int *fill = calloc((size_t)n + 1, sizeof(int));
    if (!fill)
        return -1;
    for (int i = 0; i < n; i++) {
        int p = e->parent[i];
        if (p >= 0)
            e->children[e->child_start[p] + fill[p]++] = i;
    }
    free(fill);
    return 0;
}

static void mark_role(sim_engine *e, int comp, unsigned bit)
{
    if (comp >= 0 && comp < e->n_comps)
        e->role[comp] |= (unsigned char)bit;
}

static int build_roles(sim_engine *e)
{
    const qr_topology *t = e->t;
    const qr_pool *p = &t->pool;
    int n = e->n_comps;
    e->fe_of_comp = malloc(sizeof(int) * (size_t)(n + 1));
    e->role = calloc((size_t)n + 1, 1);
    e->fails = calloc((size_t)n + 1, 1);
    if (!e->fe_of_comp || !e->role || !e->fails)
        return -1;
    for (int i = 0; i < n; i++) {
        e->fe_of_comp[i] = -1;
        e->fails[i] = qr_component_fails(&t->comps[i]) ? 1 : 0;
        if (t->comps[i].kind == QR_COMP_SERVER)
            e->n_servers++;
    }
    for (int i = 0; i < p->n_frontends; i++) {
        e->fe_of_comp[p->frontends[i]] = i;
        mark_role(e, p->frontends[i], SIM_ROLE_FRONTEND);
    }
    const qr_backend *b = &p->backend;
    switch (b->kind) {
    case QR_BACKEND_STANDALONE:
        mark_role(e, b->server, SIM_ROLE_BACKEND);
        e->be_ops = &sim_backend_standalone;
        break;
    case QR_BACKEND_MIRRORING:
        mark_role(e, b->principal, SIM_ROLE_BACKEND);
        mark_role(e, b->mirror, SIM_ROLE_BACKEND);
        mark_role(e, b->witness, SIM_ROLE_BACKEND);
        e->be_ops = &sim_backend_mirroring;
        break;
    case QR_BACKEND_EXTERNAL:
        mark_role(e, b->external, SIM_ROLE_BACKEND);
        e->be_ops = &sim_backend_external;
        break;
    case QR_BACKEND_ALWAYSON: /* M4.6: the cluster's quorum is cluster.c's */
        for (int i = 0; i < b->n_replicas; i++)
            mark_role(e, b->replicas[i], SIM_ROLE_BACKEND);
        e->be_ops = &sim_backend_alwayson;
        break;
    case QR_BACKEND_FCI: /* M4.7 */
        e->be_ops = &sim_backend_fci;
        break;
    }
    const qr_file_store *f = &p->file_store;
    switch (f->kind) {
    case QR_FILE_STORE_SHARE:
        mark_role(e, f->server, SIM_ROLE_FILE_STORE);
        e->fs_ops = &sim_file_store_share;
        break;
    case QR_FILE_STORE_DFS:
        for (int i = 0; i < f->n_replicas; i++)
            mark_role(e, f->replicas[i], SIM_ROLE_FILE_STORE);
        e->fs_ops = &sim_file_store_dfs;
        break;
    case QR_FILE_STORE_CLUSTER: /* M5.1 */
        e->fs_ops = &sim_file_store_cluster;
        break;
    }
    return 0;
}

static int build_patching(sim_engine *e)
{
    const qr_topology *t = e->t;
    e->patch_members = malloc(sizeof(int) * (size_t)(e->n_comps + 1));
    e->last_patched = calloc((size_t)e->n_comps + 1, sizeof(double));
    if (!e->patch_members || !e->last_patched)
        return -1;
    e->patch_period = INFINITY;
    for (int i = 0; i < e->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        if (c->kind != QR_COMP_SERVER || !c->patch.enabled || !(c->patch.every > 0) ||
            !isfinite(c->patch.every))
            continue;
        e->patch_members[e->n_patch_members++] = i;
        if (c->patch.every < e->patch_period)
            e->patch_period = c->patch.every;
    }
    return 0;
}

sim_engine *sim_engine_new(const qr_topology *t, const sim_config *cfg, char *err,
                           size_t errlen)
{
    sim_engine *e = NULL;
    sim_config def;
    if (!cfg) {
        sim_config_default(&def);
        cfg = &def;
    }
    if (!cfg->static_mode && !sim_engine_supports(t, err, errlen))
        return NULL;
    e = calloc(1, sizeof(*e));
    if (!e)
        goto oom;
    e->t = t;
    e->cfg = *cfg;
    e->n_comps = t->n_comps;
    e->n_fe = t->pool.n_frontends;
    e->n_seeds = qr_pool_seed_count(t->pool.version, e->n_fe);
    e->start_threshold = qr_pool_start_threshold(e->n_fe);
    if (sim_queue_init(&e->q, 64) != 0)
        goto oom;
    int n = e->n_comps;
    e->own = calloc((size_t)n + 1, 1);
    e->eff = calloc((size_t)n + 1, 1);
    e->comp_gen = calloc((size_t)n + 1, sizeof(uint32_t));
    e->s_up = calloc((size_t)n + 1, 1);
    e->crng = calloc((size_t)n + 1, sizeof(sim_rng));
    e->s_eff = calloc((size_t)n + 1, 1);
    if (!e->own || !e->eff || !e->comp_gen || !e->s_up || !e->s_eff || !e->crng)
        goto oom;
    if (build_containment(e) != 0 || build_roles(e) != 0 || build_patching(e) != 0)
        goto oom;
    if (cfg->static_mode) {
        e->structure = sim_structure_new(t);
        if (!e->structure || sim_static_memo_init(e) != 0)
            goto oom;
        e->groups = 0;
        e->r = 0;
    } else {
        if (sim_placement_init(&e->placement, t) != 0)
            goto oom;
        e->groups = e->placement.groups;
        e->r = e->placement.r;
        if (sim_routing_alloc(e) != 0 || sim_cluster_alloc(e) != 0)
            goto oom;
    }
    e->cl_timer_base = SIM_T_COUNT + e->n_fe;
    e->n_timers = e->cfg.static_mode ? SIM_T_COUNT : e->cl_timer_base + 2 * e->n_clusters;
    e->timer_gen = calloc((size_t)e->n_timers, sizeof(uint32_t));
    e->timer_at = malloc(sizeof(double) * (size_t)e->n_timers);
    if (!e->timer_gen || !e->timer_at)
        goto oom;
    e->n_vals = t->n_features + 1;
    e->val = calloc((size_t)e->n_vals, sizeof(double));
    e->new_val = calloc((size_t)e->n_vals, sizeof(double));
    e->out_start = calloc((size_t)e->n_vals, sizeof(double));
    e->static_feature = calloc((size_t)e->n_vals, sizeof(double));
    if (!e->val || !e->new_val || !e->out_start || !e->static_feature)
        goto oom;
    if (sim_rep_init(&e->rep, t->n_features) != 0)
        goto oom;
    return e;
oom:
    set_err(err, errlen, "out of memory");
    sim_engine_free(e);
    return NULL;
}

void sim_engine_free(sim_engine *e)
{
    if (!e)
        return;
    sim_queue_release(&e->q);
    free(e->parent);
    free(e->child_start);
    free(e->children);
    free(e->fe_of_comp);
    free(e->role);
    free(e->fails);
    if (!e->cfg.static_mode)
        sim_placement_release(&e->placement);
    sim_structure_free(e->structure);
    sim_static_memo_release(e);
    free(e->patch_members);
    free(e->last_patched);
    free(e->own);
    free(e->eff);
    free(e->comp_gen);
    free(e->s_up);
    free(e->crng);
    free(e->s_eff);
    free(e->timer_gen);
    free(e->timer_at);
    free(e->slot_fe);
    free(e->fe_slots);
    free(e->fe_nslots);
    free(e->slot_pos);
    free(e->group_up);
    free(e->group_state);
    sim_cluster_release(e);
    free(e->val);
    free(e->new_val);
    free(e->out_start);
    free(e->static_feature);
    sim_rep_release(&e->rep);
    free(e);
}

/* ---- timers ---- */

int sim_timer_arm(sim_engine *e, int slot, double t)
{
    e->timer_gen[slot]++;
    e->timer_at[slot] = t;
    if (sim_queue_push(&e->q, t, SIM_EV_TIMER, slot, e->timer_gen[slot], 0) != 0) {
        e->oom = true;
        return -1;
    }
    return 0;
}

void sim_timer_cancel(sim_engine *e, int slot)
{
    if (isinf(e->timer_at[slot]))
        return;
    e->timer_gen[slot]++;
    e->timer_at[slot] = INFINITY;
}

/* ---- components ---- */

static void notify(sim_engine *e, int i, int old)
{
    int now_state = e->eff[i];
    if (e->t->comps[i].kind == QR_COMP_SERVER)
        e->servers_down += (now_state != SIM_UP) - (old != SIM_UP);
    if (e->cfg.static_mode)
        return;
    int fe = e->fe_of_comp[i];
    if (fe >= 0) {
        sim_fabric_on_frontend(e, fe, old, now_state);
        sim_routing_on_frontend(e, fe, old, now_state);
    }
    if (e->role[i] & SIM_ROLE_CLUSTER)
        sim_cluster_on_change(e, i, old);
    if ((e->role[i] & SIM_ROLE_BACKEND) && e->be_ops)
        e->be_ops->on_change(e, i, old);
    if ((e->role[i] & SIM_ROLE_FILE_STORE) && e->fs_ops)
        e->fs_ops->on_change(e, i, old);
}

/* Recompute the effective state of i from its own state and its container,
 * and push the change down to its contents (depth: site > host > server). */
static void propagate(sim_engine *e, int i)
{
    int p = e->parent[i];
    int s = e->own[i] != SIM_UP ? e->own[i] : (p >= 0 ? e->eff[p] : SIM_UP);
    if (s == e->eff[i])
        return;
    int old = e->eff[i];
    e->eff[i] = (unsigned char)s;
    notify(e, i, old);
    for (int k = e->child_start[i]; k < e->child_start[i + 1]; k++)
        propagate(e, e->children[k]);
}

void sim_set_own(sim_engine *e, int i, sim_comp_state s)
{
    e->own[i] = (unsigned char)s;
    if (e->cfg.static_mode) { /* containment is sim_structure's (M9) */
        e->s_up[i] = s == SIM_UP;
        if (e->memo.code) { /* s_eff is brought up to date when needed */
            int b = e->memo.bit[i];
            if (b >= 0)
                e->memo.mask = s == SIM_UP ? e->memo.mask & ~(1u << b) : e->memo.mask | (1u << b);
        }
        else
            sim_structure_effective_update(e->structure, e->s_up, e->s_eff, i);
        return;
    }
    propagate(e, i);
}

static int schedule_failure(sim_engine *e, int i)
{
    if (!e->cfg.random_failures || !e->fails[i])
        return 0;
    double dt = sim_dist_sample(&e->t->comps[i].failure, &e->crng[i]);
    if (!isfinite(dt))
        return 0;
    return sim_queue_push(&e->q, e->now + dt, SIM_EV_FAIL, i, e->comp_gen[i], 0);
}

static int schedule_repair(sim_engine *e, int i)
{
    if (!e->cfg.random_failures)
        return 0;
    double dt = sim_dist_sample(&e->t->comps[i].repair, &e->crng[i]);
    if (!isfinite(dt))
        return 0;
    return sim_queue_push(&e->q, e->now + dt, SIM_EV_REPAIR, i, e->comp_gen[i], 0);
}

int sim_comp_action(sim_engine *e, int i, sim_action a)
{
    if (i < 0 || i >= e->n_comps)
        return -1;
    e->comp_gen[i]++; /* cancels the pending failure or repair */
    switch (a) {
    case SIM_ACT_CRASH:
        sim_set_own(e, i, SIM_DOWN_UNEXPECTED);
        return schedule_repair(e, i);
    case SIM_ACT_SHUTDOWN:
        sim_set_own(e, i, SIM_DOWN_GRACEFUL);
        return 0;
    case SIM_ACT_START:
    case SIM_ACT_REPAIR:
        sim_set_own(e, i, SIM_UP);
        return schedule_failure(e, i);
    default:
        return -1;
    }
}

/* ---- replications ---- */


/* The random streams of replication `stream`: sim_rng_seed(seed, stream)
 * gives the replication's own stream; its first outputs seed one stream per
 * component (keyed by index, so adding a component at the end leaves the
 * others' failure and repair times unchanged: common random numbers). */
static void seed_streams(sim_engine *e, uint64_t seed, uint64_t stream)
{
    sim_rng master;
    sim_rng_seed(&master, seed, stream);
    uint64_t comp_seed = sim_rng_next(&master);
    for (int i = 0; i < e->n_comps; i++)
        sim_rng_seed(&e->crng[i], comp_seed, (uint64_t)i);
    e->rng = master;
}

int sim_engine_begin(sim_engine *e, uint64_t seed, uint64_t stream)
{
    seed_streams(e, seed, stream);
    sim_queue_clear(&e->q);
    e->now = 0.0;
    e->events = 0;
    e->event_limit = 0;
    e->oom = false;
    memset(e->own, SIM_UP, (size_t)e->n_comps);
    memset(e->eff, SIM_UP, (size_t)e->n_comps);
    memset(e->s_up, 1, (size_t)e->n_comps);
    e->patch_reboots = 0;
    for (int i = 0; i < e->n_timers; i++)
        e->timer_at[i] = INFINITY;
    e->servers_down = 0;
    sim_rep_clear(&e->rep);
    if (e->cfg.random_failures)
        for (int i = 0; i < e->n_comps; i++)
            if (schedule_failure(e, i) != 0)
                return -1;
    if (!e->cfg.static_mode) {
        e->be_serving = true;
        e->be_grace_expired = false;
        e->fs_up = true;
        sim_cluster_begin(e);
        e->be_ops->begin(e);
        e->fs_ops->begin(e);
        sim_fabric_begin(e);
        sim_routing_begin(e);
        if (e->cfg.patching)
            sim_patching_begin(e);
    }
    if (e->cfg.static_mode) {
        sim_structure_effective(e->structure, e->s_up, e->s_eff);
        sim_static_memo_begin(e);
        sim_static_settle(e);
    }
    sim_measures_begin(e);
    return e->oom ? -1 : 0;
}

/* Settle phase: every module draws its conclusions once (state.h). */
static void settle(sim_engine *e)
{
    if (e->cfg.static_mode) { /* M9: services from the present states only */
        /* Fast path (static_memo.c): a known state with the result in
         * force changes nothing. */
        const sim_static_memo *m = &e->memo;
        if (m->code && m->code_now >= 0 && m->code[m->mask] == m->code_now)
            return;
        sim_static_settle(e);
        sim_measures_update(e);
        return;
    }
    bool was_serving = e->be_serving;
    sim_cluster_update(e);
    e->fs_ops->update(e);
    e->be_ops->update(e);
    if (e->be_serving != was_serving) {
        sim_backend_grace_update(e);
        if (e->r == 2)
            e->groups_dirty = true;
    }
    sim_fabric_update(e);
    sim_routing_update(e);
    sim_fabric_operator_update(e);
    sim_measures_update(e);
}

static int script(sim_engine *e, int comp, int action)
{
    switch (action) {
    case SIM_ACT_CRASH:
    case SIM_ACT_SHUTDOWN:
    case SIM_ACT_START:
    case SIM_ACT_REPAIR:
        return sim_comp_action(e, comp, (sim_action)action);
    case SIM_ACT_SOFT_RESET:
        if (!e->cfg.static_mode)
            sim_fabric_soft_reset(e);
        return 0;
    case SIM_ACT_SQL_FAILOVER:
        if (!e->cfg.static_mode && e->be_ops->manual_failover)
            e->be_ops->manual_failover(e);
        return 0;
    default:
        return -1;
    }
}

static void on_timer(sim_engine *e, int slot)
{
    e->timer_at[slot] = INFINITY;
    switch (slot) {
    case SIM_T_FABRIC_START:
    case SIM_T_OPERATOR_RESET:
        sim_fabric_on_timer(e, slot);
        break;
    case SIM_T_BE_FAILOVER:
    case SIM_T_BE_RESYNC:
        e->be_ops->on_timer(e, slot);
        break;
    case SIM_T_BE_GRACE:
        sim_backend_grace_timer(e);
        break;
    case SIM_T_FS_FAILOVER:
        e->fs_ops->on_timer(e, slot);
        break;
    case SIM_T_PATCH:
        sim_patching_on_timer(e);
        break;
    default:
        if (slot >= e->cl_timer_base)
            sim_cluster_on_timer(e, slot);
        else
            sim_routing_on_timer(e, slot);
        break;
    }
}

/* Handle one popped event; returns 1 handled, 0 stale, -1 OOM. */
static int handle(sim_engine *e, const sim_event *ev)
{
    int rc = 0;
    switch (ev->kind) {
    case SIM_EV_FAIL:
        if (ev->gen != e->comp_gen[ev->target])
            return 0;
        e->comp_gen[ev->target]++;
        sim_set_own(e, ev->target, SIM_DOWN_UNEXPECTED);
        rc = schedule_repair(e, ev->target);
        break;
    case SIM_EV_REPAIR:
        if (ev->gen != e->comp_gen[ev->target])
            return 0;
        e->comp_gen[ev->target]++;
        sim_set_own(e, ev->target, SIM_UP);
        rc = schedule_failure(e, ev->target);
        break;
    case SIM_EV_SCRIPT:
        rc = script(e, ev->target, (int)ev->aux);
        break;
    case SIM_EV_TIMER:
        if (ev->gen != e->timer_gen[ev->target])
            return 0;
        on_timer(e, ev->target);
        break;
    default:
        return 0;
    }
    settle(e);
    return rc == 0 ? 1 : -1;
}

/* True when the replication has spent its event budget (engine.h); else
 * the next count at which to look again. */
static bool over_budget(sim_engine *e)
{
    double years = e->now / SIM_SECONDS_PER_YEAR;
    double limit = SIM_MAX_EVENTS_PER_COMP_YEAR * (e->n_comps + 1.0) * (years > 1 ? years : 1);
    if ((double)e->events > limit)
        return true;
    e->event_limit = limit < 1e19 ? (uint64_t)limit : UINT64_MAX;
    return false;
}

int sim_engine_run(sim_engine *e, double until)
{
    if (until > e->cfg.horizon)
        until = e->cfg.horizon;
    for (;;) {
        const sim_event *top = sim_queue_peek(&e->q);
        if (!top || top->time > until)
            break;
        sim_event ev;
        sim_queue_pop(&e->q, &ev);
        e->now = ev.time;
        int h = handle(e, &ev);
        if (h < 0 || e->oom)
            return -1;
        e->events += (uint64_t)h;
        if (e->events > e->event_limit && over_budget(e))
            return -2;
    }
    if (until > e->now) {
        sim_measures_advance(e, until);
        e->now = until;
    }
    return 0;
}

double sim_engine_next_time(const sim_engine *e)
{
    const sim_event *top = sim_queue_peek(&e->q);
    return top ? top->time : INFINITY;
}

/* The cause of an event about to be handled; stale events have none. */
static void describe(const sim_engine *e, const sim_event *ev, sim_step_info *info)
{
    info->time = ev->time;
    info->cause = SIM_CAUSE_NONE;
    info->action = SIM_ACT_CRASH;
    info->index = -1;
    switch (ev->kind) {
    case SIM_EV_FAIL:
    case SIM_EV_REPAIR:
        if (ev->gen != e->comp_gen[ev->target])
            return;
        info->cause = ev->kind == SIM_EV_FAIL ? SIM_CAUSE_FAILURE : SIM_CAUSE_REPAIR;
        info->index = ev->target;
        return;
    case SIM_EV_SCRIPT:
        info->cause = SIM_CAUSE_ACTION;
        info->action = (sim_action)ev->aux;
        info->index = (sim_action)ev->aux <= SIM_ACT_REPAIR ? ev->target : -1;
        return;
    case SIM_EV_TIMER:
        break;
    default:
        return;
    }
    int slot = ev->target;
    if (ev->gen != e->timer_gen[slot])
        return;
    switch (slot) {
    case SIM_T_FABRIC_START: info->cause = SIM_CAUSE_POOL_START; return;
    case SIM_T_OPERATOR_RESET: info->cause = SIM_CAUSE_OPERATOR_RESET; return;
    case SIM_T_BE_FAILOVER: info->cause = SIM_CAUSE_BACKEND_FAILOVER; return;
    case SIM_T_BE_RESYNC: info->cause = SIM_CAUSE_BACKEND_RESYNC; return;
    case SIM_T_BE_GRACE: info->cause = SIM_CAUSE_BACKEND_GRACE; return;
    case SIM_T_FS_FAILOVER: info->cause = SIM_CAUSE_FILE_STORE_FAILOVER; return;
    case SIM_T_PATCH: info->cause = SIM_CAUSE_PATCH; return;
    default:
        break;
    }
    if (slot >= e->cl_timer_base) {
        int k = slot - e->cl_timer_base;
        info->cause = k % 2 == 0 ? SIM_CAUSE_CLUSTER_ADJUST : SIM_CAUSE_CLUSTER_FORCE;
        info->index = k / 2;
    } else {
        info->cause = SIM_CAUSE_REPLICA_REBUILD;
        info->index = slot - SIM_T_COUNT;
    }
}

int sim_engine_step(sim_engine *e, double until, sim_step_info *info)
{
    sim_step_info scratch;
    if (!info)
        info = &scratch;
    info->time = e->now;
    info->cause = SIM_CAUSE_NONE;
    info->action = SIM_ACT_CRASH;
    info->index = -1;
    if (until > e->cfg.horizon)
        until = e->cfg.horizon;
    const sim_event *top = sim_queue_peek(&e->q);
    if (!top || top->time > until)
        return 0;
    describe(e, top, info);
    sim_event ev;
    sim_queue_pop(&e->q, &ev);
    e->now = ev.time;
    int h = handle(e, &ev);
    if (h < 0 || e->oom)
        return -1;
    e->events += (uint64_t)h;
    if (e->events > e->event_limit && over_budget(e))
        return -2;
    return 1;
}

int sim_engine_finish(sim_engine *e, sim_rep *out)
{
    int rc = sim_engine_run(e, e->cfg.horizon);
    if (rc != 0)
        return rc;
    sim_measures_finish(e, out);
    return 0;
}

int sim_engine_schedule(sim_engine *e, double t, sim_action a, int comp)
{
    if (t < e->now || (int)a < 0 || a > SIM_ACT_SQL_FAILOVER)
        return -1;
    if (a <= SIM_ACT_REPAIR && (comp < 0 || comp >= e->n_comps))
        return -1;
    return sim_queue_push(&e->q, t, SIM_EV_SCRIPT, comp, 0, (uint32_t)a);
}

/* ---- queries ---- */

void sim_engine_status(const sim_engine *e, sim_status *s)
{
    memset(s, 0, sizeof(*s));
    s->now = e->now;
    s->pool = e->pool;
    s->pool_up = e->cfg.static_mode ? e->static_pool != 0 : e->pool == SIM_POOL_UP;
    s->seeds = e->n_seeds;
    s->seeds_counted = e->seeds_counted;
    s->seeds_present = e->seeds_present;
    if (!e->cfg.static_mode) {
        s->votes_counted = sim_fabric_votes_counted(e);
        s->votes_present = sim_fabric_votes_present(e);
    }
    s->frontends_running = e->fe_running;
    s->backend_serving = e->be_serving;
    s->backend_principal = e->be_principal;
    s->backend_synchronized = e->be_synchronized;
    s->resiliency_mode = e->be_grace_expired;
    s->file_store_up = e->fs_up;
    s->groups_writable = e->groups_writable;
    s->groups_limited = e->groups_limited;
    s->groups_down = e->groups_down;
    s->quorum_losses = e->rep.quorum_losses;
    s->group_quorum_losses = e->rep.group_quorum_losses;
    s->soft_resets = e->rep.soft_resets;
    s->reset_attempts_failed = e->rep.reset_attempts_failed;
    s->failovers = e->rep.failovers;
    s->file_store_failovers = e->rep.file_store_failovers;
    s->data_loss_risk = e->rep.data_loss_risk;
    s->patch_nights = e->rep.patch_nights;
    s->patch_nights_skipped = e->rep.patch_nights_skipped;
    s->patch_reboots = e->patch_reboots;
    s->events = e->events;
}

sim_comp_state sim_engine_comp_state(const sim_engine *e, int i)
{
    if (i < 0 || i >= e->n_comps)
        return SIM_DOWN_UNEXPECTED;
    if (e->cfg.static_mode) /* a container's loss counts as unexpected */
        return sim_structure_comp_up(e->structure, e->s_up, i) ? SIM_UP
               : e->own[i] != SIM_UP ? (sim_comp_state)e->own[i]
                                     : SIM_DOWN_UNEXPECTED;
    return (sim_comp_state)e->eff[i];
}

sim_group_state sim_engine_group_state(const sim_engine *e, int g)
{
    return (g >= 0 && g < e->groups) ? (sim_group_state)e->group_state[g] : SIM_GROUP_DOWN;
}

int sim_engine_group_replica(const sim_engine *e, int g, int j)
{
    if (g < 0 || g >= e->groups || j < 0 || j >= e->r)
        return -1;
    return e->slot_fe[g * e->r + j];
}

double sim_engine_feature(const sim_engine *e, int f)
{
    return (f >= 0 && f < e->n_vals) ? e->val[f] : 0.0;
}
