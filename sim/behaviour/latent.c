/*
 * latent.c: latent faults (M7.3), the health audit (M7.4) and, with
 * patching.c, verification after a patch reboot (M7.5).
 *
 * A latent fault (qr_latent_fault) lands on its member servers: all at
 * once for a common fault (one change, a GPO or an update, reaching every
 * member), on each member at its own times otherwise, at exponential
 * intervals of mean `every` (random failures on), and once at `at`
 * (scheduled). Each (fault, member) pair is NONE, HIDDEN or SHOWN. A hidden
 * fault changes nothing while the server runs; it shows at the server's
 * next start: a patch reboot's start, a repair after a crash, a scripted
 * start or repair (the engine asks sim_latent_start before it starts a
 * server), or the server coming back with its host or site (on_change
 * notes it, settle shows it). A shown fault is fixed `fix` after it showed
 * (its FIX timer); a common fault, then diagnosed, is also removed from
 * the members where it still hides. While shown:
 * - `breaks: server`: the server does not start while a shown fault holds
 *   it (it stays in the state it was in: down gracefully after a patch
 *   shutdown, unexpectedly after a crash); back from its host or site it
 *   crashes at once (its SHOW timer, a zero delay). The fix starts it;
 * - named features: the server runs, but the users whose routing group it
 *   serves (the group's first replica on a running front end) lose those
 *   features: a feature's value loses the share of groups so served
 *   (user-weighted, M2.5; for a feature that needs writable groups, the
 *   writable groups so served). Without routing groups, the share of the
 *   running front ends that show it.
 * M7.4: a health audit every operations.health_audit.every (first at a
 * uniform phase) finds every hidden fault, which is removed with no
 * outage. The module's random streams are keyed by the fault's name (and
 * the member's), so designs share them (common random numbers).
 *
 * Timers: 0 the audit; per fault 2 (arrival, scheduled arrival); per pair
 * 3 (arrival of a per-server fault, fix, show). A design without latent
 * faults builds no state and has no timer.
 */
#include "sim/state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/dist.h"

enum { LT_AUDIT, LT_FIRST };             /* then per fault, per pair      */
enum { LF_ARRIVE, LF_AT, LF_PER_FAULT }; /* a fault's timers              */
enum { LP_ARRIVE, LP_FIX, LP_SHOW, LP_PER_PAIR }; /* a pair's timers     */

typedef struct {
    int n_faults, n_pairs, n_features;
    int *first;              /* n_faults + 1: first pair of each fault     */
    int *pair_comp;          /* the pair's server                          */
    int *pair_fault;
    int *pair_fe;            /* its pool.frontends index, -1               */
    int *comp_start;         /* CSR over components: the pairs of comp i   */
    int *comp_pairs;         /*   are comp_pairs[comp_start[i] .. [i+1])   */
    /* one replication */
    unsigned char *state;    /* n_pairs: sim_latent_state                  */
    unsigned char *pending;  /* n_pairs: back with its container, to show  */
    int n_pending;
    int *held;               /* n_comps: shown whole-server faults         */
    int held_total;
    int *broken;             /* n_fe * n_features: shown pairs breaking   */
    int n_broken;            /*   feature f on front end fe; their total   */
    sim_rng *rng;            /* n_faults + n_pairs + 1: arrivals, audit    */
    sim_latent_counts counts;
} latent_data;

static latent_data *lt_of(const sim_engine *e)
{
    return e->n_mods > SIM_MOD_LATENT ? sim_module_state(e, SIM_MOD_LATENT) : NULL;
}

static int slot_fault(const sim_engine *e, int f, int w)
{
    return sim_timer_slot(e, SIM_MOD_LATENT, LT_FIRST + f * LF_PER_FAULT + w);
}

static int slot_pair(const sim_engine *e, const latent_data *lt, int p, int w)
{
    return sim_timer_slot(e, SIM_MOD_LATENT,
                          LT_FIRST + lt->n_faults * LF_PER_FAULT + p * LP_PER_PAIR + w);
}

int sim_latent_pair_decode(const qr_topology *t, int p, int *fault, int *comp)
{
    for (int f = 0; f < t->n_latent && p >= 0; f++) {
        if (p < t->latent[f].n_members) {
            *fault = f;
            *comp = t->latent[f].members[p];
            return 0;
        }
        p -= t->latent[f].n_members;
    }
    return -1;
}

/* ---- building ---- */

static void latent_release(sim_engine *e, void *state)
{
    latent_data *lt = state;
    (void)e;
    if (!lt)
        return;
    free(lt->first);
    free(lt->pair_comp);
    free(lt->pair_fault);
    free(lt->pair_fe);
    free(lt->comp_start);
    free(lt->comp_pairs);
    free(lt->state);
    free(lt->pending);
    free(lt->held);
    free(lt->broken);
    free(lt->rng);
    free(lt);
}

static int latent_alloc(sim_engine *e, void **state)
{
    const qr_topology *t = e->t;
    int pairs = 0;
    for (int f = 0; f < t->n_latent; f++)
        pairs += t->latent[f].n_members;
    if (pairs == 0)
        return 0; /* nothing to simulate: no state, no timer */
    latent_data *lt = calloc(1, sizeof(*lt));
    if (!lt)
        return -1;
    *state = lt;
    lt->n_faults = t->n_latent;
    lt->n_pairs = pairs;
    lt->n_features = t->n_features;
    size_t np = (size_t)pairs + 1, nc = (size_t)e->n_comps + 2;
    lt->first = calloc((size_t)t->n_latent + 1, sizeof(int));
    lt->pair_comp = malloc(sizeof(int) * np);
    lt->pair_fault = malloc(sizeof(int) * np);
    lt->pair_fe = malloc(sizeof(int) * np);
    lt->comp_start = calloc(nc, sizeof(int));
    lt->comp_pairs = malloc(sizeof(int) * np);
    lt->state = calloc(np, 1);
    lt->pending = calloc(np, 1);
    lt->held = calloc(nc, sizeof(int));
    lt->broken = calloc((size_t)e->n_fe * (size_t)t->n_features + 1, sizeof(int));
    lt->rng = calloc((size_t)t->n_latent + np + 1, sizeof(sim_rng));
    if (!lt->first || !lt->pair_comp || !lt->pair_fault || !lt->pair_fe || !lt->comp_start ||
        !lt->comp_pairs || !lt->state || !lt->pending || !lt->held || !lt->broken || !lt->rng)
        return -1;
    int p = 0;
    for (int f = 0; f < t->n_latent; f++) {
        lt->first[f] = p;
        for (int j = 0; j < t->latent[f].n_members; j++, p++) {
            int c = t->latent[f].members[j];
            lt->pair_comp[p] = c;
            lt->pair_fault[p] = f;
            lt->pair_fe[p] = e->fe_of_comp[c];
            lt->comp_start[c + 1]++;
            sim_mark_role(e, c, SIM_ROLE_LATENT);
        }
    }
    lt->first[t->n_latent] = p;
    for (int i = 0; i < e->n_comps; i++)
        lt->comp_start[i + 1] += lt->comp_start[i];
    int *fill = calloc(nc, sizeof(int));
    if (!fill)
        return -1;
    for (int q = 0; q < pairs; q++) {
        int c = lt->pair_comp[q];
        lt->comp_pairs[lt->comp_start[c] + fill[c]++] = q;
    }
    free(fill);
    return 0;
}

static int latent_timers(const sim_engine *e)
{
    const latent_data *lt = lt_of(e);
    if (!lt)
        return 0;
    return LT_FIRST + lt->n_faults * LF_PER_FAULT + lt->n_pairs * LP_PER_PAIR;
}

static void latent_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    const latent_data *a = src_state;
    latent_data *d = dst_state;
    memcpy(d->state, a->state, (size_t)a->n_pairs);
    memcpy(d->pending, a->pending, (size_t)a->n_pairs);
    d->n_pending = a->n_pending;
    memcpy(d->held, a->held, sizeof(int) * (size_t)src->n_comps);
    d->held_total = a->held_total;
    memcpy(d->broken, a->broken, sizeof(int) * (size_t)src->n_fe * (size_t)a->n_features);
    d->n_broken = a->n_broken;
    memcpy(d->rng, a->rng, sizeof(sim_rng) * ((size_t)a->n_faults + (size_t)a->n_pairs + 1));
    d->counts = a->counts;
}

/* ---- arrivals, showing, fixing ---- */

static double exp_after(sim_engine *e, sim_rng *r, double mean)
{
    return e->now + mean * sim_dist_std_exponential(r);
}

static void land(latent_data *lt, int p)
{
    if (lt->state[p] == SIM_LATENT_NONE)
        lt->state[p] = SIM_LATENT_HIDDEN;
}

static void land_fault(latent_data *lt, int f)
{
    for (int p = lt->first[f]; p < lt->first[f + 1]; p++)
        land(lt, p);
}

/* Pair p shows now (M7.3): broken until its fix. */
static void show(sim_engine *e, latent_data *lt, int p)
{
    const qr_latent_fault *lf = &e->t->latent[lt->pair_fault[p]];
    int c = lt->pair_comp[p];
    lt->state[p] = SIM_LATENT_SHOWN;
    lt->counts.shown++;
    e->origin = SIM_DS_LATENT; /* the outages it starts are its own */
    if (lf->breaks_server) {
        lt->held[c]++;
        lt->held_total++;
    } else if (lt->pair_fe[p] >= 0) {
        for (int k = 0; k < lf->n_features; k++)
            lt->broken[lt->pair_fe[p] * lt->n_features + lf->features[k]]++;
        lt->n_broken++;
    }
    sim_timer_arm(e, slot_pair(e, lt, p, LP_FIX), e->now + lf->fix);
}

static void fix(sim_engine *e, latent_data *lt, int p)
{
    if (lt->state[p] != SIM_LATENT_SHOWN)
        return;
    const qr_latent_fault *lf = &e->t->latent[lt->pair_fault[p]];
    int c = lt->pair_comp[p];
    lt->state[p] = SIM_LATENT_NONE;
    if (lf->breaks_server) {
        lt->held[c]--;
        lt->held_total--;
        sim_timer_cancel(e, slot_pair(e, lt, p, LP_SHOW));
        /* The fix ends with a start (which shows any other hidden fault). */
        if (lt->held[c] == 0 && e->own[c] != SIM_UP)
            sim_comp_action(e, c, SIM_ACT_START);
    } else if (lt->pair_fe[p] >= 0) {
        for (int k = 0; k < lf->n_features; k++)
            lt->broken[lt->pair_fe[p] * lt->n_features + lf->features[k]]--;
        lt->n_broken--;
    }
    /* A common fault is one change on every member: diagnosed and fixed
     * here, it is removed where it still hides (no outage: those members
     * have not started since). */
    if (lf->common)
        for (int q = lt->first[lt->pair_fault[p]]; q < lt->first[lt->pair_fault[p] + 1]; q++)
            if (lt->state[q] == SIM_LATENT_HIDDEN) {
                lt->state[q] = SIM_LATENT_NONE;
                lt->counts.removed++;
            }
}

bool sim_latent_start(sim_engine *e, int comp)
{
    latent_data *lt = lt_of(e);
    if (!lt)
        return false;
    for (int k = lt->comp_start[comp]; k < lt->comp_start[comp + 1]; k++) {
        int p = lt->comp_pairs[k];
        if (lt->state[p] == SIM_LATENT_HIDDEN)
            show(e, lt, p);
    }
    return lt->held[comp] > 0;
}

bool sim_latent_broken(const sim_engine *e, int comp)
{
    const latent_data *lt = lt_of(e);
    if (!lt || comp < 0 || comp >= e->n_comps)
        return false;
    for (int k = lt->comp_start[comp]; k < lt->comp_start[comp + 1]; k++)
        if (lt->state[lt->comp_pairs[k]] == SIM_LATENT_SHOWN)
            return true;
    return false;
}

void sim_latent_night_stopped(sim_engine *e)
{
    latent_data *lt = lt_of(e);
    if (lt)
        lt->counts.nights_stopped++;
}

/* ---- hooks ---- */

static void latent_begin(sim_engine *e)
{
    latent_data *lt = lt_of(e);
    const qr_topology *t = e->t;
    if (!lt)
        return;
    memset(lt->state, 0, (size_t)lt->n_pairs);
    memset(lt->pending, 0, (size_t)lt->n_pairs);
    lt->n_pending = 0;
    memset(lt->held, 0, sizeof(int) * (size_t)e->n_comps);
    lt->held_total = 0;
    memset(lt->broken, 0, sizeof(int) * (size_t)e->n_fe * (size_t)lt->n_features);
    lt->n_broken = 0;
    memset(&lt->counts, 0, sizeof(lt->counts));
    /* Streams keyed by name from the replication's engine stream, read
     * from a copy so that no other draw moves. */
    sim_rng base = e->rng;
    uint64_t key = sim_rng_next(&base);
    sim_rng *audit = &lt->rng[lt->n_faults + lt->n_pairs];
    const char *a[2] = { "pool", "health audit" };
    sim_rng_seed(audit, key, sim_rng_key(a, 2));
    for (int f = 0; f < lt->n_faults; f++) {
        const qr_latent_fault *lf = &t->latent[f];
        const char *parts[3] = { "latent fault", lf->name, NULL };
        sim_rng_seed(&lt->rng[f], key, sim_rng_key(parts, 2));
        if (lf->at >= 0)
            sim_timer_arm(e, slot_fault(e, f, LF_AT), lf->at);
        bool rate = e->cfg.random_failures && isfinite(lf->every);
        if (rate && lf->common)
            sim_timer_arm(e, slot_fault(e, f, LF_ARRIVE), exp_after(e, &lt->rng[f], lf->every));
        for (int p = lt->first[f]; p < lt->first[f + 1]; p++) {
            parts[2] = t->comps[lt->pair_comp[p]].name;
            sim_rng *r = &lt->rng[lt->n_faults + p];
            sim_rng_seed(r, key, sim_rng_key(parts, 3));
            if (rate && !lf->common)
                sim_timer_arm(e, slot_pair(e, lt, p, LP_ARRIVE), exp_after(e, r, lf->every));
        }
    }
    double every = t->latent_practice.health_audit_every;
    if (e->cfg.operator_actions && isfinite(every) && every > 0)
        sim_timer_arm(e, sim_timer_slot(e, SIM_MOD_LATENT, LT_AUDIT),
                      sim_rng_uniform(audit) * every);
}

/* A member server came up: by its own start (sim_latent_start showed its
 * faults already) or with its host or site; then its hidden faults show in
 * settle. Bookkeeping only. */
static void latent_on_change(sim_engine *e, int comp, int old)
{
    latent_data *lt = lt_of(e);
    if (!lt || old == SIM_UP || e->eff[comp] != SIM_UP)
        return;
    for (int k = lt->comp_start[comp]; k < lt->comp_start[comp + 1]; k++) {
        int p = lt->comp_pairs[k];
        if (lt->state[p] == SIM_LATENT_HIDDEN && !lt->pending[p]) {
            lt->pending[p] = 1;
            lt->n_pending++;
        }
    }
}

static void latent_settle(sim_engine *e)
{
    latent_data *lt = lt_of(e);
    if (!lt || lt->n_pending == 0)
        return;
    for (int p = 0; p < lt->n_pairs; p++) {
        if (!lt->pending[p])
            continue;
        lt->pending[p] = 0;
        if (lt->state[p] != SIM_LATENT_HIDDEN)
            continue;
        /* A server that crashes at once: its SHOW timer, armed first. */
        if (e->t->latent[lt->pair_fault[p]].breaks_server)
            sim_timer_arm(e, slot_pair(e, lt, p, LP_SHOW), e->now);
        show(e, lt, p);
    }
    lt->n_pending = 0;
}

static void latent_on_timer(sim_engine *e, int k)
{
    latent_data *lt = lt_of(e);
    const qr_topology *t = e->t;
    if (k == LT_AUDIT) { /* M7.4: every hidden fault found and removed */
        for (int p = 0; p < lt->n_pairs; p++)
            if (lt->state[p] == SIM_LATENT_HIDDEN) {
                lt->state[p] = SIM_LATENT_NONE;
                lt->counts.found_by_audit++;
            }
        sim_timer_arm(e, sim_timer_slot(e, SIM_MOD_LATENT, LT_AUDIT),
                      e->now + t->latent_practice.health_audit_every);
        return;
    }
    k -= LT_FIRST;
    if (k < lt->n_faults * LF_PER_FAULT) {
        int f = k / LF_PER_FAULT;
        land_fault(lt, f);
        if (k % LF_PER_FAULT == LF_ARRIVE)
            sim_timer_arm(e, slot_fault(e, f, LF_ARRIVE),
                          exp_after(e, &lt->rng[f], t->latent[f].every));
        return;
    }
    k -= lt->n_faults * LF_PER_FAULT;
    int p = k / LP_PER_PAIR, c = lt->pair_comp[p];
    switch (k % LP_PER_PAIR) {
    case LP_ARRIVE:
        land(lt, p);
        sim_timer_arm(e, slot_pair(e, lt, p, LP_ARRIVE),
                      exp_after(e, &lt->rng[lt->n_faults + p], t->latent[lt->pair_fault[p]].every));
        break;
    case LP_FIX:
        fix(e, lt, p);
        break;
    case LP_SHOW: /* back with its host or site, it does not stay up */
        if (lt->state[p] == SIM_LATENT_SHOWN && e->own[c] == SIM_UP) {
            e->comp_gen[c]++; /* its failure clock stops; the fix starts it */
            sim_set_own(e, c, SIM_DOWN_UNEXPECTED);
        }
        break;
    }
}

static void latent_act(sim_engine *e, sim_action a)
{
    latent_data *lt = lt_of(e);
    if (a != SIM_ACT_LATENT_ARM || !lt || !e->ev_now)
        return;
    int f = e->ev_now->target;
    if (f >= 0 && f < lt->n_faults)
        land_fault(lt, f);
}

static void latent_describe(const sim_engine *e, int k, sim_step_info *info)
{
    const latent_data *lt = lt_of(e);
    if (k == LT_AUDIT) {
        info->cause = SIM_CAUSE_LATENT_AUDIT;
        return;
    }
    k -= LT_FIRST;
    if (k < lt->n_faults * LF_PER_FAULT) {
        info->cause = SIM_CAUSE_LATENT_ARRIVE;
        info->index = k / LF_PER_FAULT;
        return;
    }
    k -= lt->n_faults * LF_PER_FAULT;
    int p = k / LP_PER_PAIR;
    switch (k % LP_PER_PAIR) {
    case LP_ARRIVE:
        info->cause = SIM_CAUSE_LATENT_ARRIVE;
        info->index = lt->pair_fault[p];
        break;
    case LP_FIX:
        info->cause = SIM_CAUSE_LATENT_FIX;
        info->index = p;
        break;
    default:
        info->cause = SIM_CAUSE_LATENT_SHOW;
        info->index = p;
        break;
    }
}

const sim_module sim_module_latent = {
    .name = "latent",
    .roles = SIM_ROLE_LATENT,
    .alloc = latent_alloc,
    .release = latent_release,
    .timers = latent_timers,
    .begin = latent_begin,
    .on_change = latent_on_change,
    .settle = latent_settle,
    .on_timer = latent_on_timer,
    .act = latent_act,
    .describe = latent_describe,
    .copy = latent_copy,
    /* its effects on the features: sim_latent_breaking in the key */
    .feature_inputs_keyed = true,
    .idle_without_state = true, /* no latent fault: nothing to settle */
};

/* ---- what the features, attribution and reports read ---- */

/* Routing groups whose users a front end showing a fault that breaks f
 * serves (the group's first replica on a running front end); with
 * writable_only, only writable groups. Without groups: running front ends
 * that show it, out of *of running (else *of = groups). */
static int served_broken(const sim_engine *e, const latent_data *lt, int f, bool writable_only,
                         int *of)
{
    const int *pool = e->t->pool.frontends;
    int n = 0;
    if (e->groups <= 0) {
        *of = 0;
        for (int fe = 0; fe < e->n_fe; fe++) {
            if (!sim_up(e, pool[fe]))
                continue;
            (*of)++;
            n += lt->broken[fe * lt->n_features + f] > 0;
        }
        return n;
    }
    *of = e->groups;
    for (int g = 0; g < e->groups; g++) {
        if (writable_only && sim_engine_group_state(e, g) != SIM_GROUP_WRITABLE)
            continue;
        for (int j = 0; j < e->r; j++) {
            int fe = sim_engine_group_replica(e, g, j);
            if (fe < 0 || !sim_up(e, pool[fe]))
                continue;
            n += lt->broken[fe * lt->n_features + f] > 0;
            break;
        }
    }
    return n;
}

double sim_latent_feature_value(const sim_engine *e, int f, double v)
{
    const latent_data *lt = lt_of(e);
    if (!lt || lt->n_broken == 0 || !(v > 0) || f >= lt->n_features)
        return v;
    bool groups = (e->t->features[f].needs & QR_NEED_GROUP) && e->groups > 0;
    int of = 0;
    int n = served_broken(e, lt, f, groups, &of);
    if (n == 0 || of == 0)
        return v;
    if (groups) /* v is the writable share: take out those so served */
        return v - (double)n / of;
    return v * (1.0 - (double)n / of);
}

bool sim_latent_breaking(const sim_engine *e)
{
    const latent_data *lt = lt_of(e);
    return lt && lt->n_broken > 0;
}

bool sim_latent_breaks_feature(const sim_engine *e, int f)
{
    const latent_data *lt = lt_of(e);
    if (!lt || lt->n_broken == 0 || f < 0 || f >= lt->n_features)
        return false;
    bool groups = (e->t->features[f].needs & QR_NEED_GROUP) && e->groups > 0;
    int of = 0;
    return served_broken(e, lt, f, groups, &of) > 0;
}

bool sim_latent_holds(const sim_engine *e, unsigned roles)
{
    const latent_data *lt = lt_of(e);
    if (!lt || lt->held_total == 0)
        return false;
    for (int p = 0; p < lt->n_pairs; p++) {
        int c = lt->pair_comp[p];
        if (lt->held[c] > 0 && (e->role[c] & roles))
            return true;
    }
    return false;
}

sim_latent_state sim_engine_latent(const sim_engine *e, int fault, int comp)
{
    const latent_data *lt = lt_of(e);
    if (!lt || fault < 0 || fault >= lt->n_faults)
        return SIM_LATENT_NONE;
    for (int p = lt->first[fault]; p < lt->first[fault + 1]; p++)
        if (lt->pair_comp[p] == comp)
            return (sim_latent_state)lt->state[p];
    return SIM_LATENT_NONE;
}

void sim_engine_latent_counts(const sim_engine *e, sim_latent_counts *out)
{
    const latent_data *lt = lt_of(e);
    memset(out, 0, sizeof(*out));
    if (lt)
        *out = lt->counts;
}
