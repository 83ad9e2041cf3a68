/*
 * engine.c: the event loop of one replication and the component layer under
 * the behaviour modules.
 *
 * It owns the component states (M0.1), containment (M0.2: a host or site
 * down takes its contents down the same way), the random failure and repair
 * clocks (M0.3, sim_rng streams keyed by component name), timers with lazy
 * cancellation, scripted actions, and the two-phase handling of an event
 * (apply, then settle; see state.h). The rules live in the behaviour
 * modules (sim/behaviour/), each one sim_module row of the table below:
 * the engine builds, starts, notifies, settles and times them by walking
 * the table, and gives every module the timer slots it asks for.
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

#include "model/ccf.h"
#include "sim/dist.h"
#include "util/err.h"

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

static bool cluster_usable(const qr_topology *t, int c)
{
    return c >= 0 && c < t->n_clusters && t->clusters[c].n_nodes > 0;
}

bool sim_engine_supports(const qr_topology *t, char *err, size_t errlen)
{
    qr_backend_kind bk = t->pool.backend.kind;
    if ((bk == QR_BACKEND_ALWAYSON || bk == QR_BACKEND_FCI) &&
        !cluster_usable(t, t->pool.backend.cluster)) {
        qr_err_set(err, errlen, "the back end names no failover cluster with nodes");
        return false;
    }
    if (t->pool.file_store.kind == QR_FILE_STORE_CLUSTER &&
        !cluster_usable(t, t->pool.file_store.cluster)) {
        qr_err_set(err, errlen, "the file-share cluster names no failover cluster with nodes");
        return false;
    }
    if (t->pool.n_frontends < 1) {
        qr_err_set(err, errlen, "the pool has no front ends");
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

bool sim_vm_may_run_on(const qr_topology *t, int i, int h)
{
    const qr_component *c = &t->comps[i];
    return c->kind == QR_COMP_SERVER && c->host >= 0 && t->comps[h].kind == QR_COMP_HOST &&
           t->comps[c->host].site == t->comps[h].site;
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
    int n_vms = 0;
    for (int i = 0; i < n; i++) {
        int p = parent_of(&t->comps[i]);
        if (p < 0 || p >= n || p == i)
            p = -1;
        e->parent[i] = p;
        if (p >= 0 && t->comps[i].kind != QR_COMP_SERVER)
            e->child_start[p + 1]++;
        else if (p >= 0 && t->comps[i].host < 0)
            e->child_start[p + 1]++;
        else if (p >= 0)
            n_vms++;
    }
    /* A virtual machine can move to any host of its home host's site
     * (M0.4, M7.6: sim_move_server): every such host lists it among its
     * contents, and propagate() passes a host's state only to the VMs it
     * runs now (parent). */
    for (int h = 0; h < n && n_vms > 0; h++)
        if (t->comps[h].kind == QR_COMP_HOST)
            for (int i = 0; i < n; i++)
                if (sim_vm_may_run_on(t, i, h))
                    e->child_start[h + 1]++;
    for (int i = 0; i < n; i++)
        e->child_start[i + 1] += e->child_start[i];
    int *children = realloc(e->children, sizeof(int) * ((size_t)e->child_start[n] + 1));
    int *fill = calloc((size_t)n + 1, sizeof(int));
    if (children)
        e->children = children;
    if (!children || !fill) {
        free(fill);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        int p = e->parent[i];
        if (p >= 0 && !(t->comps[i].kind == QR_COMP_SERVER && t->comps[i].host >= 0))
            e->children[e->child_start[p] + fill[p]++] = i;
    }
    for (int h = 0; h < n && n_vms > 0; h++)
        if (t->comps[h].kind == QR_COMP_HOST)
            for (int i = 0; i < n; i++)
                if (sim_vm_may_run_on(t, i, h))
                    e->children[e->child_start[h] + fill[h]++] = i;
    free(fill);
    return 0;
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
        sim_mark_role(e, p->frontends[i], SIM_ROLE_FRONTEND);
    }
    return 0;
}

/* Common-cause failures (model/ccf.h, docs/simulate.md "Common-cause
 * failures"): every common event k of qr_ccf_events() is an alternating
 * renewal process of its own, queue target n_comps + k: it occurs after an
 * exponential time of mean r (1 - p) / p and lasts one repair time of its
 * group (the first member's repair distribution), r that repair's mean and
 * p the event's probability, so that it is down a fraction p of the time.
 * While it is down it holds all its members down (unexpectedly, M1.4), and
 * they come back together when it ends: the common cause is repaired once
 * (the fault-tree convention, which keeps the M9 value exact). A member's
 * own failures are drawn as before, scaled so that its own process is down
 * a fraction Q_1 (its failure mean becomes r_i (1 - Q_1) / Q_1).
 * Returns 0, -1 out of memory, -2 more than QR_CCF_MAX_EVENTS events. */
static int build_ccf(sim_engine *e)
{
    const qr_topology *t = e->t;
    int n = e->n_comps;
    qr_ccf_event *ev = NULL;
    e->fail_scale = malloc(sizeof(double) * ((size_t)n + 1));
    if (!e->fail_scale)
        return -1;
    int rc = qr_ccf_events(t, &ev, &e->n_ccf_ev);
    if (rc != 0)
        return rc; /* -2: more than QR_CCF_MAX_EVENTS */
    for (int i = 0; i < n; i++) {
        e->fail_scale[i] = 1.0;
        const qr_component *c = &t->comps[i];
        if (qr_ccf_group_of(t, i) < 0 || !qr_component_fails(c))
            continue;
        double q1 = qr_ccf_independent_q(t, i), r = c->repair.mean;
        e->fail_scale[i] = q1 > 0 && isfinite(r) && r > 0 ? r * (1 - q1) / q1 / c->failure.mean
                                                            : INFINITY;
    }
    int k_n = e->n_ccf_ev, total = 0;
    e->ccf_start = calloc((size_t)k_n + 1, sizeof(int));
    e->ccf_up = calloc((size_t)k_n + 1, sizeof(qr_dist));
    e->ccf_repair = calloc((size_t)k_n + 1, sizeof(*e->ccf_repair));
    for (int k = 0; k < k_n; k++)
        total += ev[k].size;
    e->ccf_members = malloc(sizeof(int) * ((size_t)total + 1));
    if (!e->ccf_start || !e->ccf_up || !e->ccf_repair || !e->ccf_members) {
        free(ev);
        return -1;
    }
    for (int k = 0, o = 0; k < k_n; k++) {
        const qr_ccf_group *g = &t->ccf[ev[k].group];
        e->ccf_start[k] = o;
        for (int j = 0; j < g->n_members; j++)
            if (ev[k].mask & (1u << j))
                e->ccf_members[o++] = g->members[j];
        e->ccf_start[k + 1] = o;
        const qr_dist *rep = &t->comps[g->members[0]].repair;
        double r = rep->mean, p = ev[k].p;
        e->ccf_repair[k] = rep;
        e->ccf_up[k] = (qr_dist){ QR_DIST_EXPONENTIAL,
                                  p >= 1 ? 0.0 : isfinite(r) ? r * (1 - p) / p : INFINITY, 1.0 };
    }
    free(ev);
    return 0;
}

/* The behaviour modules, in the order of their ids: the order in which the
 * engine calls them, and so the settle order (state.h says why). */
static const sim_module *const modules[SIM_MOD_COUNT] = {
    [SIM_MOD_CLUSTER] = &sim_module_cluster,
    [SIM_MOD_FILE_STORE] = &sim_module_file_store,
    [SIM_MOD_BACKEND] = &sim_module_backend,
    [SIM_MOD_FABRIC] = &sim_module_fabric,
    [SIM_MOD_ROUTING] = &sim_module_routing,
    [SIM_MOD_OPERATOR] = &sim_module_operator,
    [SIM_MOD_PATCHING] = &sim_module_patching,
    [SIM_MOD_LATENT] = &sim_module_latent,
    [SIM_MOD_VMHOST] = &sim_module_vmhost,
};

int sim_engine_copy_modules(sim_engine *dst, const sim_engine *src)
{
    if (dst->n_mods != src->n_mods)
        return -1;
    for (int m = 0; m < src->n_mods; m++) {
        if (!src->mod[m].state)
            continue;
        if (!modules[m]->copy || !dst->mod[m].state)
            return -1; /* state that cannot be copied: no snapshot */
        modules[m]->copy(src, src->mod[m].state, dst->mod[m].state);
    }
    return 0;
}

_Static_assert(SIM_MOD_COUNT <= 256, "sim_engine.timer_mod keeps a module id in a byte");

/* Build the modules (full mode), give each its timer slots in table order,
 * and gather the hooks of the hot path: who hears each component, who
 * settles. */
static int build_modules(sim_engine *e)
{
    if (!e->cfg.static_mode) {
        e->n_mods = SIM_MOD_COUNT;
        for (int m = 0; m < e->n_mods; m++)
            if (modules[m]->alloc && modules[m]->alloc(e, &e->mod[m].state) != 0)
                return -1;
    }
    e->n_timers = 0;
    int n_hear = 0, n_settles = 0;
    /* The measures may skip an event that leaves sim_feature_inputs alone
     * only when every module that runs in this design (has a state) packs
     * what it changes there: latent faults (their broken features follow
     * the routing groups' placement) and VM hosts do not, so a design with
     * them is looked at after every event. */
    e->inputs_keyed = e->n_mods > 0;
    for (int m = 0; m < e->n_mods; m++)
        e->inputs_keyed = e->inputs_keyed &&
                          (modules[m]->feature_inputs_keyed || !modules[m]->alloc ||
                           e->mod[m].state == NULL);
    e->hear_start = calloc((size_t)e->n_comps + 2, sizeof(int));
    if (!e->hear_start)
        return -1;
    for (int m = 0; m < e->n_mods; m++) {
        const sim_module *mod = modules[m];
        e->mod[m].timer_base = e->n_timers;
        e->mod[m].n_timers = mod->timers ? mod->timers(e) : 0;
        e->n_timers += e->mod[m].n_timers;
        if (mod->settle && !(mod->idle_without_state && e->mod[m].state == NULL))
            e->settles[n_settles++] = mod->settle;
        for (int i = 0; i < e->n_comps && mod->on_change; i++)
            if (e->role[i] & mod->roles) {
                e->hear_start[i + 1]++;
                n_hear++;
            }
    }
    for (int i = 0; i < e->n_comps; i++)
        e->hear_start[i + 1] += e->hear_start[i];
    e->hear = malloc(sizeof(sim_change_hook) * ((size_t)n_hear + 1));
    e->timer_gen = calloc((size_t)e->n_timers + 1, sizeof(uint32_t));
    e->timer_at = malloc(sizeof(double) * ((size_t)e->n_timers + 1));
    e->timer_mod = calloc((size_t)e->n_timers + 1, 1);
    if (!e->hear || !e->timer_gen || !e->timer_at || !e->timer_mod)
        return -1;
    for (int i = 0; i < e->n_comps; i++) {
        int k = e->hear_start[i];
        for (int m = 0; m < e->n_mods; m++)
            if (modules[m]->on_change && (e->role[i] & modules[m]->roles))
                e->hear[k++] = modules[m]->on_change;
    }
    for (int m = 0; m < e->n_mods; m++)
        for (int k = 0; k < e->mod[m].n_timers; k++)
            e->timer_mod[e->mod[m].timer_base + k] = (unsigned char)m;
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
    if (sim_queue_init(&e->q, 64) != 0 || sim_queue_init(&e->tq, 16) != 0)
        goto oom;
    int n = e->n_comps;
    int rc_ccf = build_ccf(e);
    if (rc_ccf == -2) {
        qr_err_set(err, errlen, "the common-cause groups have more than %d common events",
                   QR_CCF_MAX_EVENTS);
        sim_engine_free(e);
        return NULL;
    }
    if (rc_ccf != 0)
        goto oom;
    size_t nt = (size_t)n + (size_t)e->n_ccf_ev; /* queue targets */
    e->own = calloc((size_t)n + 1, 1);
    e->eff = calloc((size_t)n + 1, 1);
    e->comp_gen = calloc(nt + 1, sizeof(uint32_t));
    e->s_up = calloc((size_t)n + 1, 1);
    e->crng = calloc(2 * nt + 2, sizeof(sim_rng));
    e->crng_stamp = calloc(2 * nt + 2, sizeof(uint64_t));
    e->s_eff = calloc((size_t)n + 1, 1);
    e->ccf_hold = calloc((size_t)n + 1, sizeof(int));
    if (!e->own || !e->eff || !e->comp_gen || !e->s_up || !e->s_eff || !e->crng ||
        !e->crng_stamp || !e->ccf_hold)
        goto oom;
    if (build_containment(e) != 0 || build_roles(e) != 0)
        goto oom;
    if (!cfg->static_mode && sim_partition_new(e) != 0)
        goto oom;
    if (cfg->static_mode) {
        e->structure = sim_structure_new(t);
        if (!e->structure || sim_static_memo_init(e) != 0)
            goto oom;
        e->groups = 0;
        e->r = 0;
    }
    if (build_modules(e) != 0)
        goto oom;
    e->n_vals = t->n_features + 1;
    e->val = calloc((size_t)e->n_vals, sizeof(double));
    e->new_val = calloc((size_t)e->n_vals, sizeof(double));
    e->out_start = calloc((size_t)e->n_vals, sizeof(double));
    e->static_feature = calloc((size_t)e->n_vals, sizeof(double));
    if (!e->val || !e->new_val || !e->out_start || !e->static_feature ||
        sim_attrib_alloc(e) != 0)
        goto oom;
    if (sim_rep_init(&e->rep, t->n_features) != 0)
        goto oom;
    return e;
oom:
    qr_err_set(err, errlen, "out of memory");
    sim_engine_free(e);
    return NULL;
}

void sim_engine_free(sim_engine *e)
{
    if (!e)
        return;
    sim_queue_release(&e->q);
    sim_queue_release(&e->tq);
    free(e->parent);
    free(e->child_start);
    free(e->children);
    free(e->fe_of_comp);
    free(e->role);
    free(e->fails);
    sim_partition_free(e->part);
    for (int m = e->n_mods - 1; m >= 0; m--)
        if (modules[m]->release)
            modules[m]->release(e, e->mod[m].state);
    free(e->hear_start);
    free(e->hear);
    free(e->timer_mod);
    sim_structure_free(e->structure);
    sim_static_memo_release(e);
    free(e->own);
    free(e->eff);
    free(e->comp_gen);
    free(e->s_up);
    free(e->crng);
    free(e->crng_stamp);
    free(e->s_eff);
    free(e->ccf_hold);
    free(e->fail_scale);
    free(e->ccf_start);
    free(e->ccf_members);
    free(e->ccf_up);
    free(e->ccf_repair);
    free(e->timer_gen);
    free(e->timer_at);
    free(e->val);
    free(e->new_val);
    free(e->out_start);
    free(e->static_feature);
    sim_attrib_release(e);
    sim_rep_release(&e->rep);
    free(e);
}

/* ---- timers ---- */

int sim_timer_arm(sim_engine *e, int slot, double t)
{
    e->timer_gen[slot]++;
    e->timer_at[slot] = t;
    e->timer_origin[slot] = sim_origin_now(e); /* what it fires for (attribution.c) */
    e->tq.next_seq = e->q.next_seq; /* one counter for both queues */
    if (sim_queue_push(&e->tq, t, SIM_EV_TIMER, slot, e->timer_gen[slot], 0) != 0) {
        e->oom = true;
        return -1;
    }
    e->q.next_seq = e->tq.next_seq;
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
    if (e->role[i] & SIM_ROLE_MEMBER)
        e->servers_down += (e->eff[i] != SIM_UP) - (old != SIM_UP);
    for (int k = e->hear_start[i]; k < e->hear_start[i + 1]; k++)
        e->hear[k](e, i, old);
}

/* Recompute the effective state of i from its own state and its container,
 * and push the change down to its contents (depth: site > host > server). */
static void propagate(sim_engine *e, int i)
{
    int p = e->parent[i];
    int s = e->own[i] != SIM_UP ? e->own[i]
            : e->ccf_hold[i] > 0 ? SIM_DOWN_UNEXPECTED /* a common cause (build_ccf) */
            : (p >= 0 ? e->eff[p] : SIM_UP);
    if (s == e->eff[i])
        return;
    int old = e->eff[i];
    e->eff[i] = (unsigned char)s;
    notify(e, i, old);
    for (int k = e->child_start[i]; k < e->child_start[i + 1]; k++)
        if (e->parent[e->children[k]] == i) /* a VM runs on one host now */
            propagate(e, e->children[k]);
}

int sim_move_server(sim_engine *e, int i, int host)
{
    if (i < 0 || i >= e->n_comps || host < 0 || host >= e->n_comps ||
        !sim_vm_may_run_on(e->t, i, host) || e->cfg.static_mode)
        return -1;
    e->parent[i] = host;
    propagate(e, i);
    return 0;
}

/* Component i's own state or common-cause hold changed: bring the
 * effective states up to date. */
static void refresh(sim_engine *e, int i)
{
    if (e->cfg.static_mode) { /* containment is sim_structure's (M9) */
        bool up = e->own[i] == SIM_UP && e->ccf_hold[i] == 0;
        e->s_up[i] = up;
        if (e->memo.code) { /* s_eff is brought up to date when needed */
            int b = e->memo.bit[i];
            if (b >= 0)
                e->memo.mask = up ? e->memo.mask & ~(1u << b) : e->memo.mask | (1u << b);
        }
        else
            sim_structure_effective_update(e->structure, e->s_up, e->s_eff, i);
        return;
    }
    propagate(e, i);
}

void sim_set_own(sim_engine *e, int i, sim_comp_state s)
{
    e->own_down += (s != SIM_UP) - (e->own[i] != SIM_UP); /* --rare (rare.c) */
    e->own_changes++;
    e->own[i] = (unsigned char)s;
    refresh(e, i);
}

/* Common event k starts (delta 1) or ends (-1): hold its members. */
static void ccf_hold(sim_engine *e, int k, int delta)
{
    for (int o = e->ccf_start[k]; o < e->ccf_start[k + 1]; o++) {
        int m = e->ccf_members[o];
        e->ccf_hold[m] += delta;
        if (e->ccf_hold[m] == (delta > 0 ? 1 : 0))
            refresh(e, m);
    }
}

/* Random stream x of crng, first seeded afresh when the streams were
 * renewed since it was last (sim_engine_renew_streams): lazily, so that a
 * renewal costs only the streams a replay draws from. */
static sim_rng *stream(sim_engine *e, size_t x)
{
    if (e->crng_stamp[x] != e->crng_epoch) {
        sim_rng_seed(&e->crng[x], e->crng_key, (uint64_t)x);
        e->crng_stamp[x] = e->crng_epoch;
    }
    return &e->crng[x];
}

void sim_engine_renew_streams(sim_engine *e, uint64_t key)
{
    e->crng_epoch++;
    e->crng_key = key;
}

static int schedule_failure(sim_engine *e, int i)
{
    if (!e->cfg.random_failures)
        return 0;
    double dt;
    if (i >= e->n_comps) { /* common event i - n_comps (build_ccf) */
        dt = sim_dist_sample(&e->ccf_up[i - e->n_comps], stream(e, 2 * (size_t)i));
    } else {
        if (!e->fails[i])
            return 0;
        dt = sim_dist_sample(&e->t->comps[i].failure, stream(e, 2 * (size_t)i));
        if (e->fail_scale[i] != 1.0) /* a common-cause member's own share */
            dt *= e->fail_scale[i];
    }
    if (!isfinite(dt))
        return 0;
    return sim_queue_push(&e->q, e->now + dt, SIM_EV_FAIL, i, e->comp_gen[i], 0);
}

static int schedule_repair(sim_engine *e, int i)
{
    if (!e->cfg.random_failures)
        return 0;
    const qr_dist *d = i >= e->n_comps ? e->ccf_repair[i - e->n_comps] : &e->t->comps[i].repair;
    double dt = sim_dist_sample(d, stream(e, 2 * (size_t)i + 1));
    if (!isfinite(dt))
        return 0;
    return sim_queue_push(&e->q, e->now + dt, SIM_EV_REPAIR, i, e->comp_gen[i], 0);
}

/* M7.3: a server that starts shows its latent faults (latent.c); true
 * when one of them keeps it from starting. Only a server that is down
 * starts; full mode only. */
static bool start_blocked(sim_engine *e, int i)
{
    if (e->n_mods == 0 || e->own[i] == SIM_UP || e->t->comps[i].kind != QR_COMP_SERVER)
        return false;
    return sim_latent_start(e, i);
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
        if (start_blocked(e, i))
            return 0; /* M7.3: a latent fault keeps it down until fixed */
        sim_set_own(e, i, SIM_UP);
        return schedule_failure(e, i);
    default:
        return -1;
    }
}

/* ---- replications ---- */


/* The random streams of replication `stream` (docs/simulate.md,
 * "Reproducibility"): sim_rng_seed(seed, stream) gives the replication's
 * own stream, whose first output is the replication key. Every component
 * draws its failure times and its repair times from two streams of that
 * key, numbered by a hash of the component's kind and name and of
 * "failure" or "repair"; the first patch night has its stream too. No stream
 * depends on a component's position or on the other components, so two
 * designs run with the same seed give a component they share (same kind,
 * same name) the same failure and repair times, and a component only one of
 * them has shifts no other's draws: common random numbers across designs,
 * which `quorate compare` pairs replication by replication. Separate
 * failure and repair streams keep the repair times aligned even when a
 * patch reboot adds a failure draw in one design and not in the other. */
static void seed_streams(sim_engine *e, uint64_t seed, uint64_t stream)
{
    sim_rng master;
    sim_rng_seed(&master, seed, stream);
    uint64_t rep_key = sim_rng_next(&master);
    for (int i = 0; i < e->n_comps; i++) {
        const qr_component *c = &e->t->comps[i];
        const char *parts[3] = { qr_comp_kind_name(c->kind), c->name, "failure" };
        sim_rng_seed(&e->crng[2 * i], rep_key, sim_rng_key(parts, 3));
        parts[2] = "repair";
        sim_rng_seed(&e->crng[2 * i + 1], rep_key, sim_rng_key(parts, 3));
    }
    /* Common events: keyed by their group's name and their members, so
     * that no other stream moves when a group is added. */
    for (int k = 0; k < e->n_ccf_ev; k++) {
        char members[1024];
        int o = 0;
        members[0] = 0;
        for (int j = e->ccf_start[k]; j < e->ccf_start[k + 1] && o < (int)sizeof(members); j++)
            o += snprintf(members + o, sizeof(members) - (size_t)o, "%s,",
                          e->t->comps[e->ccf_members[j]].name);
        int g = qr_ccf_group_of(e->t, e->ccf_members[e->ccf_start[k]]);
        const char *parts[4] = { "common cause", g >= 0 ? e->t->ccf[g].name : "?", members,
                                 "failure" };
        size_t x = 2 * ((size_t)e->n_comps + (size_t)k);
        sim_rng_seed(&e->crng[x], rep_key, sim_rng_key(parts, 4));
        parts[3] = "repair";
        sim_rng_seed(&e->crng[x + 1], rep_key, sim_rng_key(parts, 4));
    }
    const char *patch[2] = { "pool", "patch nights" };
    sim_rng_seed(&e->rng, rep_key, sim_rng_key(patch, 2));
}

int sim_engine_begin(sim_engine *e, uint64_t seed, uint64_t stream)
{
    seed_streams(e, seed, stream);
    sim_queue_clear(&e->q);
    sim_queue_clear(&e->tq);
    e->now = 0.0;
    e->events = 0;
    e->event_limit = 0;
    e->oom = false;
    e->purge_at = SIM_PURGE_MIN;
    e->origin = SIM_DS_NONE;
    e->ev_now = NULL;
    memset(e->own, SIM_UP, (size_t)e->n_comps);
    memset(e->eff, SIM_UP, (size_t)e->n_comps);
    memset(e->s_up, 1, (size_t)e->n_comps);
    memset(e->ccf_hold, 0, sizeof(int) * (size_t)e->n_comps);
    e->patch_reboots = 0;
    for (int i = 0; i < e->n_timers; i++)
        e->timer_at[i] = INFINITY;
    e->servers_down = 0;
    e->own_down = 0;
    e->own_changes = 0;
    e->crng_epoch = 0; /* the streams seed_streams gave */
    memset(e->crng_stamp, 0, sizeof(uint64_t) * 2 * ((size_t)e->n_comps + (size_t)e->n_ccf_ev));
    sim_rep_clear(&e->rep);
    if (e->cfg.random_failures)
        for (int i = 0; i < e->n_comps + e->n_ccf_ev; i++)
            if (schedule_failure(e, i) != 0)
                return -1;
    for (int m = 0; m < e->n_mods; m++)
        if (modules[m]->begin)
            modules[m]->begin(e);
    if (e->cfg.static_mode) {
        sim_structure_effective(e->structure, e->s_up, e->s_eff);
        sim_static_memo_begin(e);
        sim_static_settle(e);
    }
    sim_measures_begin(e);
    return e->oom ? -1 : 0;
}

/* Settle phase: every module draws its conclusions once, in table order
 * (state.h says why), then the measures look. */
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
    for (const sim_settle_hook *h = e->settles; *h; h++)
        (*h)(e);
    sim_measures_update(e);
}

/* A scripted action. (Out of line: scripts are rare, and inlined into
 * handle() the walk over the modules costs every event a register.) */
__attribute__((noinline)) static int script(sim_engine *e, int comp, int action, uint32_t arg)
{
    switch (action) {
    case SIM_ACT_MIGRATE: /* arg: the destination host (vmhost.c) */
        return sim_vmhost_migrate(e, comp, (int)arg, NULL) < 0 ? -1 : 0;
    case SIM_ACT_CRASH:
    case SIM_ACT_SHUTDOWN:
    case SIM_ACT_START:
    case SIM_ACT_REPAIR:
        return sim_comp_action(e, comp, (sim_action)action);
    case SIM_ACT_SOFT_RESET:
    case SIM_ACT_SQL_FAILOVER: /* the module's own (none in static mode) */
    case SIM_ACT_PATCH_NIGHT:  /* patching.c (M7.1) */
    case SIM_ACT_LATENT_ARM:   /* latent.c (M7.3): ev_now->target is the fault */
        for (int m = 0; m < e->n_mods; m++)
            if (modules[m]->act)
                modules[m]->act(e, (sim_action)action);
        return 0;
    default:
        return -1;
    }
}

static void on_timer(sim_engine *e, int slot)
{
    e->timer_at[slot] = INFINITY;
    int m = e->timer_mod[slot];
    modules[m]->on_timer(e, slot - e->mod[m].timer_base);
}

/* Handle one popped event; returns 1 handled, 0 stale, -1 OOM. */
static int handle(sim_engine *e, const sim_event *ev)
{
    int rc = 0;
    e->ev_now = ev; /* its origin, when asked: sim_origin_now */
    e->origin = SIM_DS_COUNT;
    switch (ev->kind) {
    case SIM_EV_FAIL:
        if (ev->gen != e->comp_gen[ev->target])
            return 0;
        e->comp_gen[ev->target]++;
        if (ev->target >= e->n_comps)
            ccf_hold(e, ev->target - e->n_comps, 1);
        else
            sim_set_own(e, ev->target, SIM_DOWN_UNEXPECTED);
        rc = schedule_repair(e, ev->target);
        break;
    case SIM_EV_REPAIR:
        if (ev->gen != e->comp_gen[ev->target])
            return 0;
        e->comp_gen[ev->target]++;
        if (ev->target >= e->n_comps) {
            ccf_hold(e, ev->target - e->n_comps, -1);
        } else {
            if (start_blocked(e, ev->target))
                break; /* M7.3: it shows a latent fault and stays down */
            sim_set_own(e, ev->target, SIM_UP);
        }
        rc = schedule_failure(e, ev->target);
        break;
    case SIM_EV_SCRIPT:
        rc = script(e, ev->target, (int)ev->aux, ev->gen);
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

/* An event that handle() would not skip as cancelled. Kinds it does not
 * know are kept. */
static bool pending(const sim_event *ev, void *ctx)
{
    const sim_engine *e = ctx;
    switch (ev->kind) {
    case SIM_EV_FAIL:
    case SIM_EV_REPAIR:
        return ev->gen == e->comp_gen[ev->target];
    case SIM_EV_TIMER:
        return ev->gen == e->timer_gen[ev->target];
    default:
        return true;
    }
}

/* Drop the cancelled events once they are two thirds of the failure
 * queue (and it is longer than SIM_PURGE_MIN); the timers' queue is
 * filtered at the same time. A patch reboot
 * cancels its server's failure, drawn months ahead: without this the full
 * simulation's queue holds many cancelled events for every live one,
 * and every push and pop pays for the depth. The purge costs O(n) once
 * per 2n/3 cancellations (a heap one level deeper costs less than purging
 * twice as often); the events left pop in the same order. */
static void purge(sim_engine *e)
{
    sim_queue_filter(&e->q, pending, e);
    sim_queue_filter(&e->tq, pending, e);
    size_t n = e->q.n;
    e->purge_at = n < SIM_PURGE_MIN / 3 ? SIM_PURGE_MIN : 3 * n;
}

/* The event that fires next, NULL when none, and in *q its queue: the
 * (time, seq) order over both queues as over one (seq values are unique
 * across them). The static view has no timer: one test. */
static inline const sim_event *next_event(const sim_engine *e, const sim_queue **q)
{
    const sim_event *a = sim_queue_peek(&e->q);
    *q = &e->q;
    if (e->tq.n > 0) {
        const sim_event *b = &e->tq.heap[0];
        if (!a || b->time < a->time || (b->time == a->time && b->seq < a->seq)) {
            *q = &e->tq;
            return b;
        }
    }
    return a;
}

int sim_engine_run(sim_engine *e, double until)
{
    if (until > e->cfg.horizon)
        until = e->cfg.horizon;
    for (;;) {
        if (e->q.n > e->purge_at) /* the cancelled failures are here; */
            purge(e);             /* a cancelled timer pops soon      */
        const sim_queue *q;
        const sim_event *top = next_event(e, &q);
        if (!top || top->time > until)
            break;
        sim_event ev;
        sim_queue_pop((sim_queue *)q, &ev); /* q is e->q or e->tq */
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
    const sim_queue *q;
    const sim_event *top = next_event(e, &q);
    return top ? top->time : INFINITY;
}

/* The cause of an event about to be handled; stale events have none. */
static void describe(const sim_engine *e, const sim_event *ev, sim_step_info *info)
{
    info->time = ev->time;
    info->cause = SIM_CAUSE_NONE;
    info->action = SIM_ACT_CRASH;
    info->index = -1;
    info->host = -1;
    switch (ev->kind) {
    case SIM_EV_FAIL:
    case SIM_EV_REPAIR:
        if (ev->gen != e->comp_gen[ev->target])
            return;
        info->cause = ev->kind == SIM_EV_FAIL ? SIM_CAUSE_FAILURE : SIM_CAUSE_REPAIR;
        info->index = ev->target;
        if (ev->target >= e->n_comps) { /* a common event (build_ccf) */
            info->cause = ev->kind == SIM_EV_FAIL ? SIM_CAUSE_COMMON_FAILURE
                                                  : SIM_CAUSE_COMMON_REPAIR;
            info->index = ev->target - e->n_comps;
        }
        return;
    case SIM_EV_SCRIPT:
        info->cause = SIM_CAUSE_ACTION;
        info->action = (sim_action)ev->aux;
        info->index = (sim_action)ev->aux <= SIM_ACT_REPAIR ||
                              (sim_action)ev->aux == SIM_ACT_MIGRATE ||
                              (sim_action)ev->aux == SIM_ACT_LATENT_ARM
                          ? ev->target
                          : -1;
        info->host = (sim_action)ev->aux == SIM_ACT_MIGRATE ? (int)ev->gen : -1;
        return;
    case SIM_EV_TIMER:
        break;
    default:
        return;
    }
    int slot = ev->target;
    if (ev->gen != e->timer_gen[slot])
        return;
    int m = e->timer_mod[slot];
    if (modules[m]->describe)
        modules[m]->describe(e, slot - e->mod[m].timer_base, info);
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
    info->host = -1;
    if (until > e->cfg.horizon)
        until = e->cfg.horizon;
    const sim_queue *q;
    const sim_event *top = next_event(e, &q);
    if (!top || top->time > until)
        return 0;
    describe(e, top, info);
    sim_event ev;
    sim_queue_pop((sim_queue *)q, &ev); /* q is e->q or e->tq */
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

int sim_engine_schedule_migrate(sim_engine *e, double t, int vm, int host)
{
    if (t < e->now || vm < 0 || vm >= e->n_comps || host < 0 || host >= e->n_comps)
        return -1;
    /* A script event's generation is unused: it carries the host. */
    return sim_queue_push(&e->q, t, SIM_EV_SCRIPT, vm, (uint32_t)host, (uint32_t)SIM_ACT_MIGRATE);
}

int sim_engine_comp_host(const sim_engine *e, int i)
{
    if (i < 0 || i >= e->n_comps || e->t->comps[i].kind != QR_COMP_SERVER ||
        e->t->comps[i].host < 0)
        return -1;
    return e->parent[i];
}

int sim_engine_schedule(sim_engine *e, double t, sim_action a, int comp)
{
    if (t < e->now || (int)a < 0 || a > SIM_ACT_LATENT_ARM)
        return -1;
    if (a == SIM_ACT_LATENT_ARM && (comp < 0 || comp >= e->t->n_latent))
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
    s->backend_reachable = !e->part || e->part->be_reach;
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

int sim_engine_ccf_hold(const sim_engine *e, int i)
{
    return i >= 0 && i < e->n_comps ? e->ccf_hold[i] : 0;
}

sim_comp_state sim_engine_own_state(const sim_engine *e, int i)
{
    return i >= 0 && i < e->n_comps ? (sim_comp_state)e->own[i] : SIM_DOWN_UNEXPECTED;
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

double sim_engine_feature(const sim_engine *e, int f)
{
    return (f >= 0 && f < e->n_vals) ? e->val[f] : 0.0;
}

sim_down_cause sim_engine_feature_cause(const sim_engine *e, int f)
{
    return (f >= 0 && f < e->n_vals) ? (sim_down_cause)e->cause_now[f] : SIM_DC_POOL_VOTES;
}

sim_down_start sim_engine_feature_start(const sim_engine *e, int f)
{
    return (f >= 0 && f < e->n_vals) ? (sim_down_start)e->start_now[f] : SIM_DS_NONE;
}

bool sim_engine_file_store_up(const sim_engine *e)
{
    return e->fs_up;
}
