/*
 * vmhost.c: virtual machines on hosts (docs/simulate.md, M0.4, M0.5, M7.6,
 * M7.7).
 *
 * A server with a `host` is a virtual machine. The engine keeps the host
 * it runs on now (e->parent) and passes that host's state to it (M0.2);
 * this module decides when a VM changes host:
 * - M0.4 HA restart: when a host fails (its effective state goes down
 *   unexpectedly) and `virtualization.ha` is set, the VMs it ran that were
 *   running (own state up) are restarted, virtualization.ha.restart later,
 *   each on another host of the same site that is up, has room
 *   (`capacity`, in VMs) and runs no member of the VM's anti-affinity
 *   groups (M0.5): the one with the most room left, the first in topology
 *   order on a tie. A VM with no such host waits for its host's repair.
 *   Restarted VMs stay where they were restarted (neither vSphere HA nor a
 *   failover cluster moves them back by itself), unless
 *   `virtualization.failback` is given: failback.after after its home
 *   host is back (up, room, no member of its groups) a restarted VM that
 *   runs goes home, by live migration (how: live, no outage) or, with
 *   how: restart, one VM at a time while the pool is healthy (M7.2's
 *   test): a graceful shutdown (M1.3), down for its patch.reboot, then a
 *   start on its home host, patching.gap before the next one. A try that
 *   leaves a VM away while its home is up tries again failback.after
 *   later; an operator's move of the VM cancels its failback.
 * - M7.7 host maintenance: every virtualization.maintenance.every (first
 *   night uniform in the first period, from the engine's stream), the
 *   hosts are done one at a time in topology order: each one's running
 *   VMs are moved away first by live migration (M7.6, no outage) when
 *   `live_migration` is true and a host satisfies the M0.4 conditions;
 *   the VMs left are shut down gracefully with the host, which stays down
 *   for maintenance.duration, then starts (its VMs with it); VMs moved
 *   away for it come back by live migration (Hyper-V's resume with
 *   failback). maintenance.gap separates two hosts. A host already down
 *   is skipped; with patching.skip_if_unhealthy the operator skips a host
 *   while the pool is not healthy (M7.2).
 * - The operator's move (SIM_ACT_MIGRATE, sim_vmhost_migrate): a live
 *   migration of a running VM (refused when live_migration is false), or
 *   a cold move of a VM that is down; refused onto a host that is down,
 *   full, or runs a member of its group.
 *
 * Timers: one restart timer per host, the maintenance timer, then, with
 * failback, the failback timer. Cost:
 * nothing for a design without VMs; a host's change costs its VMs.
 */
#include "sim/state.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MAINT_IDLE, MAINT_DOWN, MAINT_GAP };
enum { FB_IDLE, FB_DOWN, FB_GAP }; /* failback (M0.4) */

typedef struct {
    int n_hosts;
    int *hosts;          /* host components that can run VMs, topology    */
                         /*   order                                       */
    int *pos;            /* component -> index into hosts, -1             */
    /* ---- one replication ---- */
    int *placed;         /* per host: VMs on it now                       */
    unsigned char *tried; /* per host: its restart timer fired since it   */
                         /*   went down                                   */
    int *away_for;       /* per component: the host (index) a VM left for */
                         /*   its maintenance, -1                         */
    bool dirty;          /* a host changed: settle looks                  */
    int maint_phase;     /* MAINT_IDLE, MAINT_DOWN, MAINT_GAP             */
    int maint_next;      /* next host index of the night                  */
    int maint_current;   /* host index under maintenance, -1              */
    double night_start;
    unsigned char *fb_away; /* per component: a VM an HA restart took     */
                         /*   away from its home host (failback due)      */
    int fb_phase;        /* FB_IDLE, FB_DOWN, FB_GAP                      */
    int fb_vm;           /* the VM down for its failback (FB_DOWN), -1    */
    sim_vm_status st;    /* counters                                      */
} vm_data;

static vm_data *vm_of(const sim_engine *e)
{
    return e->n_mods > 0 ? sim_module_state(e, SIM_MOD_VMHOST) : NULL;
}

static int maint_slot(const sim_engine *e)
{
    return sim_timer_slot(e, SIM_MOD_VMHOST, vm_of(e)->n_hosts);
}

static int fb_slot(const sim_engine *e)
{
    return sim_timer_slot(e, SIM_MOD_VMHOST, vm_of(e)->n_hosts + 1);
}

/* Host maintenance and failback are planned work (attribution). */
bool sim_vmhost_owns_maint_timer(const sim_engine *e, int slot)
{
    const vm_data *v = vm_of(e);
    return v && v->n_hosts > 0 &&
           (slot == maint_slot(e) || (e->t->virt.failback && slot == fb_slot(e)));
}

static int vm_alloc(sim_engine *e, void **state)
{
    const qr_topology *t = e->t;
    vm_data *v = calloc(1, sizeof(*v));
    if (!v)
        return -1;
    *state = v;
    int n = e->n_comps;
    v->hosts = malloc(sizeof(int) * ((size_t)n + 1));
    v->pos = malloc(sizeof(int) * ((size_t)n + 1));
    v->placed = calloc((size_t)n + 1, sizeof(int));
    v->tried = calloc((size_t)n + 1, 1);
    v->away_for = malloc(sizeof(int) * ((size_t)n + 1));
    v->fb_away = calloc((size_t)n + 1, 1);
    if (!v->hosts || !v->pos || !v->placed || !v->tried || !v->away_for || !v->fb_away)
        return -1;
    bool any_vm = false;
    for (int i = 0; i < n; i++) {
        v->pos[i] = -1;
        any_vm |= t->comps[i].kind == QR_COMP_SERVER && t->comps[i].host >= 0;
    }
    for (int h = 0; h < n && any_vm; h++)
        if (t->comps[h].kind == QR_COMP_HOST) {
            v->pos[h] = v->n_hosts;
            v->hosts[v->n_hosts++] = h;
            if (t->virt.ha) /* M0.4: hear its failures */
                sim_mark_role(e, h, SIM_ROLE_HOST);
        }
    return 0;
}

static void vm_release(sim_engine *e, void *state)
{
    vm_data *v = state;
    (void)e;
    if (!v)
        return;
    free(v->hosts);
    free(v->pos);
    free(v->placed);
    free(v->tried);
    free(v->away_for);
    free(v->fb_away);
    free(v);
}

static int vm_timers(const sim_engine *e)
{
    const vm_data *v = vm_of(e);
    if (v->n_hosts == 0)
        return 0;
    return v->n_hosts + (e->t->virt.failback ? 2 : 1);
}

static bool is_vm(const sim_engine *e, int i)
{
    return i >= 0 && i < e->n_comps && e->t->comps[i].kind == QR_COMP_SERVER &&
           e->t->comps[i].host >= 0;
}

/* Host h runs a member of one of vm's anti-affinity groups (M0.5). */
static int group_partner_on(const sim_engine *e, int vm, int h)
{
    const qr_topology *t = e->t;
    if (t->virt.n_aa_groups == 0)
        return -1;
    for (int k = e->child_start[h]; k < e->child_start[h + 1]; k++) {
        int u = e->children[k];
        if (u != vm && e->parent[u] == h && qr_virt_common_group(t, vm, u) >= 0)
            return u;
    }
    return -1;
}

static bool has_room(const sim_engine *e, const vm_data *v, int h)
{
    int cap = e->t->comps[h].capacity;
    return cap <= 0 || v->placed[v->pos[h]] < cap;
}

sim_migrate_check sim_engine_migrate_check(const sim_engine *e, int vm, int h, int *partner)
{
    const vm_data *v = vm_of(e);
    if (partner)
        *partner = -1;
    if (!v || !is_vm(e, vm))
        return SIM_MIGRATE_NOT_VM;
    if (h < 0 || h >= e->n_comps || !sim_vm_may_run_on(e->t, vm, h))
        return SIM_MIGRATE_NOT_HOST;
    if (e->parent[vm] == h)
        return SIM_MIGRATE_SAME_HOST;
    if (e->eff[h] != SIM_UP)
        return SIM_MIGRATE_HOST_DOWN;
    if (!has_room(e, v, h))
        return SIM_MIGRATE_NO_ROOM;
    int u = group_partner_on(e, vm, h);
    if (u >= 0) {
        if (partner)
            *partner = u;
        return SIM_MIGRATE_ANTI_AFFINITY;
    }
    if (e->eff[vm] == SIM_UP && !e->t->virt.live_migration)
        return SIM_MIGRATE_NO_LIVE;
    return SIM_MIGRATE_OK;
}

/* The host a VM moves to (M0.4): up, with room, no group member, in its
 * site, not `from`; the most room left, then topology order. -1: none. */
static int choose_host(const sim_engine *e, const vm_data *v, int vm, int from)
{
    int best = -1;
    long best_room = -1;
    for (int j = 0; j < v->n_hosts; j++) {
        int h = v->hosts[j];
        if (h == from || e->eff[h] != SIM_UP || !sim_vm_may_run_on(e->t, vm, h) ||
            !has_room(e, v, h) || group_partner_on(e, vm, h) >= 0)
            continue;
        int cap = e->t->comps[h].capacity;
        long room = cap <= 0 ? LONG_MAX : (long)cap - v->placed[j];
        if (room > best_room) {
            best_room = room;
            best = h;
        }
    }
    return best;
}

static void move(sim_engine *e, vm_data *v, int vm, int h)
{
    int from = e->parent[vm];
    if (from >= 0 && v->pos[from] >= 0)
        v->placed[v->pos[from]]--;
    v->placed[v->pos[h]]++;
    sim_move_server(e, vm, h);
}

int sim_vmhost_migrate(sim_engine *e, int vm, int h, sim_migrate_check *why)
{
    vm_data *v = vm_of(e);
    sim_migrate_check c = sim_engine_migrate_check(e, vm, h, NULL);
    if (why)
        *why = c;
    if (c != SIM_MIGRATE_OK)
        return 0;
    if (e->eff[vm] == SIM_UP)
        v->st.live_migrations++; /* M7.6 */
    v->away_for[vm] = -1;
    v->fb_away[vm] = 0; /* the operator's placement: no failback */
    move(e, v, vm, h);
    return 1;
}

static void vm_begin(sim_engine *e)
{
    vm_data *v = vm_of(e);
    const qr_topology *t = e->t;
    if (v->n_hosts == 0)
        return;
    memset(v->placed, 0, sizeof(int) * (size_t)v->n_hosts);
    memset(v->tried, 0, (size_t)v->n_hosts);
    memset(v->fb_away, 0, (size_t)e->n_comps);
    v->fb_phase = FB_IDLE;
    v->fb_vm = -1;
    for (int i = 0; i < e->n_comps; i++) {
        v->away_for[i] = -1;
        if (is_vm(e, i)) {
            e->parent[i] = t->comps[i].host; /* home again */
            v->placed[v->pos[t->comps[i].host]]++;
        }
    }
    v->dirty = false;
    v->maint_phase = MAINT_IDLE;
    v->maint_next = 0;
    v->maint_current = -1;
    v->night_start = 0;
    memset(&v->st, 0, sizeof(v->st));
    if (e->cfg.patching && isfinite(t->virt.maint_every)) /* M7.7 */
        sim_timer_arm(e, maint_slot(e), sim_rng_uniform(&e->rng) * t->virt.maint_every);
}

static void vm_on_change(sim_engine *e, int comp, int old)
{
    (void)comp;
    (void)old;
    vm_of(e)->dirty = true;
}

/* M0.4 failback: a VM an HA restart took away whose home host is up. */
static bool failback_due(const sim_engine *e, const vm_data *v)
{
    for (int vm = 0; vm < e->n_comps; vm++)
        if (v->fb_away[vm] && e->parent[vm] != e->t->comps[vm].host &&
            e->eff[e->t->comps[vm].host] == SIM_UP)
            return true;
    return false;
}

/* M0.4: a host down unexpectedly with running VMs restarts them after the
 * delay, once; a host back up forgets; with failback, a VM away from its
 * home host that is up goes home failback.after later. */
static void vm_settle(sim_engine *e)
{
    vm_data *v = vm_of(e);
    if (!v->dirty)
        return;
    v->dirty = false;
    for (int j = 0; j < v->n_hosts; j++) {
        int h = v->hosts[j];
        int slot = sim_timer_slot(e, SIM_MOD_VMHOST, j);
        if (e->eff[h] == SIM_UP) {
            v->tried[j] = 0;
            sim_timer_cancel(e, slot);
            continue;
        }
        if (e->eff[h] != SIM_DOWN_UNEXPECTED || v->tried[j] || sim_timer_armed(e, slot) ||
            v->placed[j] == 0)
            continue;
        sim_timer_arm(e, slot, e->now + e->t->virt.ha_restart);
    }
    if (e->t->virt.failback && v->fb_phase == FB_IDLE && !sim_timer_armed(e, fb_slot(e)) &&
        failback_due(e, v))
        sim_timer_arm(e, fb_slot(e), e->now + e->t->virt.failback_after);
}

static void restart_vms(sim_engine *e, vm_data *v, int j)
{
    int h = v->hosts[j];
    v->tried[j] = 1;
    if (e->eff[h] == SIM_UP)
        return;
    for (int k = e->child_start[h]; k < e->child_start[h + 1]; k++) {
        int vm = e->children[k];
        if (e->parent[vm] != h || e->own[vm] != SIM_UP)
            continue; /* not here, or not running when the host failed */
        int to = choose_host(e, v, vm, h);
        if (to < 0) {
            v->st.ha_no_room++; /* waits for its host's repair */
            continue;
        }
        v->st.ha_restarts++;
        v->away_for[vm] = -1;
        v->fb_away[vm] = to != e->t->comps[vm].host; /* failback due */
        move(e, v, vm, to);
    }
}

static bool healthy(const sim_engine *e)
{
    return e->servers_down == 0 && e->pool == SIM_POOL_UP && e->groups_writable == e->groups &&
           e->be_serving && e->fs_up;
}

static void end_night(sim_engine *e, vm_data *v)
{
    double every = e->t->virt.maint_every;
    v->maint_phase = MAINT_IDLE;
    double next = v->night_start + every;
    while (next <= e->now)
        next += every;
    sim_timer_arm(e, maint_slot(e), next);
}

/* M7.7: take the next host of the night down for maintenance. */
static void next_host(sim_engine *e, vm_data *v)
{
    const qr_topology *t = e->t;
    while (v->maint_next < v->n_hosts) {
        int j = v->maint_next++;
        int h = v->hosts[j];
        if (e->own[h] != SIM_UP || e->eff[h] != SIM_UP)
            continue; /* down already */
        if (t->params.patch_skip_if_unhealthy && !healthy(e))
            continue; /* M7.2 */
        for (int k = e->child_start[h]; k < e->child_start[h + 1]; k++) {
            int vm = e->children[k];
            if (e->parent[vm] != h)
                continue;
            int to =
                (t->virt.live_migration && e->eff[vm] == SIM_UP) ? choose_host(e, v, vm, h) : -1;
            if (to >= 0) { /* M7.6: no outage */
                v->st.live_migrations++;
                move(e, v, vm, to);
                v->away_for[vm] = j;
            } else if (e->eff[vm] == SIM_UP) {
                v->st.maint_shutdowns++;
            }
        }
        sim_comp_action(e, h, SIM_ACT_SHUTDOWN);
        v->st.maint_hosts++;
        v->maint_current = j;
        v->maint_phase = MAINT_DOWN;
        sim_timer_arm(e, maint_slot(e), e->now + t->virt.maint_duration);
        return;
    }
    end_night(e, v);
}

/* The host is back: it starts, and the VMs moved away for it come back
 * without an outage when they still can. */
static void host_back(sim_engine *e, vm_data *v)
{
    int j = v->maint_current;
    int h = v->hosts[j];
    if (e->own[h] == SIM_DOWN_GRACEFUL)
        sim_comp_action(e, h, SIM_ACT_START);
    for (int vm = 0; vm < e->n_comps; vm++) {
        if (v->away_for[vm] != j)
            continue;
        v->away_for[vm] = -1;
        if (e->eff[h] == SIM_UP && has_room(e, v, h) && group_partner_on(e, vm, h) < 0 &&
            e->parent[vm] != h) {
            v->st.live_migrations++;
            move(e, v, vm, h);
        }
    }
    v->maint_current = -1;
}

/* VM vm can go home now (M0.4 failback): it runs, and its home host is
 * up, has room and runs no member of its groups (M0.5). */
static bool can_go_home(const sim_engine *e, const vm_data *v, int vm)
{
    int home = e->t->comps[vm].host;
    return e->eff[vm] == SIM_UP && e->eff[home] == SIM_UP && has_room(e, v, home) &&
           group_partner_on(e, vm, home) < 0;
}

/* M0.4 failback, one try: live, every VM due that can go home moves
 * without an outage; restart, the first one (topology order) is shut down
 * gracefully if the pool is healthy. A VM left away while its home is up
 * is tried again failback.after later. */
static void failback_try(sim_engine *e, vm_data *v)
{
    const qr_topology *t = e->t;
    bool again = false;
    v->fb_phase = FB_IDLE;
    for (int vm = 0; vm < e->n_comps; vm++) {
        if (!v->fb_away[vm])
            continue;
        int home = t->comps[vm].host;
        if (e->parent[vm] == home) {
            v->fb_away[vm] = 0; /* home already (a later HA restart) */
            continue;
        }
        if (!can_go_home(e, v, vm) || (!t->virt.failback_live && !healthy(e))) {
            again |= e->eff[home] == SIM_UP; /* a host's return re-arms */
            continue;
        }
        v->fb_away[vm] = 0;
        v->away_for[vm] = -1; /* home: a maintenance it left for no longer calls it back */
        if (t->virt.failback_live) { /* M7.6: no outage */
            v->st.live_migrations++;
            v->st.failbacks++;
            move(e, v, vm, home);
            continue;
        }
        sim_comp_action(e, vm, SIM_ACT_SHUTDOWN); /* M1.3: a graceful leave */
        v->fb_vm = vm;
        v->fb_phase = FB_DOWN;
        sim_timer_arm(e, fb_slot(e), e->now + t->comps[vm].patch.reboot);
        return;
    }
    if (again)
        sim_timer_arm(e, fb_slot(e), e->now + t->virt.failback_after);
}

/* M0.4 failback by restart: the VM starts on its home host when that one
 * still can take it, else where it is (and is due again). */
static void failback_start(sim_engine *e, vm_data *v)
{
    int vm = v->fb_vm;
    int home = e->t->comps[vm].host;
    v->fb_vm = -1;
    if (e->eff[home] == SIM_UP && has_room(e, v, home) && group_partner_on(e, vm, home) < 0) {
        v->st.failbacks++;
        move(e, v, vm, home);
    } else {
        v->fb_away[vm] = 1;
    }
    if (e->own[vm] == SIM_DOWN_GRACEFUL)
        sim_comp_action(e, vm, SIM_ACT_START);
    v->fb_phase = FB_GAP;
    sim_timer_arm(e, fb_slot(e), e->now + e->t->params.patch_gap);
}

static void vm_on_timer(sim_engine *e, int k)
{
    vm_data *v = vm_of(e);
    if (k < v->n_hosts) {
        restart_vms(e, v, k);
        return;
    }
    if (k == v->n_hosts + 1) { /* M0.4 failback */
        if (v->fb_phase == FB_DOWN)
            failback_start(e, v);
        else
            failback_try(e, v);
        return;
    }
    switch (v->maint_phase) {
    case MAINT_IDLE:
        v->night_start = e->now;
        v->maint_next = 0;
        next_host(e, v);
        break;
    case MAINT_DOWN:
        host_back(e, v);
        v->maint_phase = MAINT_GAP;
        sim_timer_arm(e, maint_slot(e), e->now + e->t->virt.maint_gap);
        break;
    case MAINT_GAP:
        next_host(e, v);
        break;
    }
}

static void vm_describe(const sim_engine *e, int k, sim_step_info *info)
{
    const vm_data *v = vm_of(e);
    if (k < v->n_hosts) {
        info->cause = SIM_CAUSE_HA_RESTART;
        info->index = v->hosts[k];
        return;
    }
    if (k == v->n_hosts + 1) {
        info->cause = SIM_CAUSE_VM_FAILBACK;
        info->index = v->fb_phase == FB_DOWN ? v->fb_vm : -1;
        return;
    }
    info->cause = SIM_CAUSE_HOST_MAINTENANCE;
    int j = v->maint_phase == MAINT_DOWN ? v->maint_current : -1;
    info->index = j >= 0 ? v->hosts[j] : -1;
}

static void vm_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    const vm_data *a = src_state;
    vm_data *d = dst_state;
    if (a->n_hosts > 0) {
        memcpy(d->placed, a->placed, sizeof(int) * (size_t)a->n_hosts);
        memcpy(d->tried, a->tried, (size_t)a->n_hosts);
    }
    memcpy(d->away_for, a->away_for, sizeof(int) * (size_t)src->n_comps);
    memcpy(d->fb_away, a->fb_away, (size_t)src->n_comps);
    d->fb_phase = a->fb_phase;
    d->fb_vm = a->fb_vm;
    d->dirty = a->dirty;
    d->maint_phase = a->maint_phase;
    d->maint_next = a->maint_next;
    d->maint_current = a->maint_current;
    d->night_start = a->night_start;
    d->st = a->st;
}

void sim_engine_vm_status(const sim_engine *e, sim_vm_status *out)
{
    const vm_data *v = vm_of(e);
    if (v)
        *out = v->st;
    else
        memset(out, 0, sizeof(*out));
}

int sim_engine_held_by(const sim_engine *e, int i)
{
    if (i < 0 || i >= e->n_comps)
        return -1;
    if (e->own[i] != SIM_UP || e->ccf_hold[i] > 0)
        return i;
    for (int p = e->parent[i]; p >= 0; p = e->parent[p])
        if (e->own[p] != SIM_UP || e->ccf_hold[p] > 0)
            return p;
    return -1;
}

const sim_module sim_module_vmhost = {
    .name = "vmhost",
    .roles = SIM_ROLE_HOST,
    .alloc = vm_alloc,
    .release = vm_release,
    .timers = vm_timers,
    .begin = vm_begin,
    .on_change = vm_on_change,
    .settle = vm_settle,
    .on_timer = vm_on_timer,
    .describe = vm_describe,
    .copy = vm_copy,
    /* A VM's moves and its host's changes reach the features only through
     * the component states, which the other modules publish. */
    .feature_inputs_keyed = true,
};
