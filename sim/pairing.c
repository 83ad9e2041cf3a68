/*
 * pairing.c: one replication of a design with paired pools (pairing.h):
 * the engines of the pools stepped in time order, the disaster-recovery
 * state of each pool's users (M10.1-M10.5) and the measures of the design's
 * rows (each feature for all users, for each pool's users, the pool row).
 *
 * Between two events every value is constant, so the measures integrate
 * them over the interval before anything changes (as sim/measures.c does
 * for one engine). At one event time every engine handles all its events
 * first, then the pairing looks at the pools and moves each pool's users.
 */
#include "sim/pairing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/pool_view.h"

#define MAX_DR_ACTS 64

typedef struct {
    double        at;
    sim_dr_action action;
    int           pool;
} dr_act;

/* The disaster-recovery state of one pool's users. */
typedef struct {
    sim_dr_state   state;
    double         registrar_at;  /* users sign in to the backup (M10.2)   */
    double         decide_at;     /* the operator decides to fail over     */
    bool           decided;       /* ... and waits for the backup pool     */
    double         failover_done; /* Invoke-CsPoolFailover completes        */
    double         failback_at;   /* the operator starts the failback      */
    double         failback_done; /* Invoke-CsPoolFailback completes        */
    double         last_repl_ok;  /* last time the Backup Service could    */
                                  /*   replicate to the partner (M10.1)    */
    bool           repl_ok;       /* it can now                            */
    sim_down_start loss_start;    /* what took the pool down               */
    double         count[SIM_PX_COUNT];
} dr_pool;

struct sim_pairing {
    const qr_topology *t;
    sim_config         cfg;
    int                n;          /* pools                                */
    qr_topology      **views;
    int              **map;        /* map[i][comp of t] = comp of view i   */
    sim_engine       **eng;
    int               *partner;
    double            *weight;     /* users' share of each pool            */
    int                nf;         /* the design's own features            */
    int                n_rows;     /* t->n_features + 1                    */
    dr_pool           *dr;
    int                cms;        /* pool holding the CMS now, -1         */
    int                cms_initial;
    double             now;
    double            *val;        /* n_rows: current values               */
    double            *pv;         /* n * (nf + 1): each pool's users' row  */
    unsigned char     *pcause;     /*   values and their causes/starts     */
    unsigned char     *pstart;
    double            *outage_from;/* n_rows: start of the open outage     */
    sim_rep            rep;        /* measures of this replication         */
    dr_act             acts[MAX_DR_ACTS];
    int                n_acts;
};

const char *sim_dr_state_name(sim_dr_state s)
{
    switch (s) {
    case SIM_DR_HOME: return "home";
    case SIM_DR_WAIT: return "registrar_wait";
    case SIM_DR_RESILIENCY: return "resiliency";
    case SIM_DR_FAILED_OVER: return "failed_over";
    case SIM_DR_FAILBACK: return "failback";
    }
    return "?";
}

bool sim_pairing_supports(const qr_topology *t, char *err, size_t errlen)
{
    if (!qr_topology_is_paired(t)) {
        snprintf(err, errlen, "the design has a single pool");
        return false;
    }
    /* The views carry common-cause groups and latent faults that fit one
     * pool (M7.3, M10); not virtualization, nor a group of two pools. */
    if (qr_pool_view_check(t, err, errlen) != 0)
        return false;
    for (int i = 0; i < t->n_pools; i++) {
        int j = t->pools[i].paired_with;
        if (j >= 0 && (j >= t->n_pools || t->pools[j].paired_with != i)) {
            snprintf(err, errlen, "pool '%s' is not paired 1:1 and symmetrically (PP001)",
                     t->pools[i].name);
            return false;
        }
    }
    return true;
}

void sim_pairing_free(sim_pairing *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++) {
        if (p->eng)
            sim_engine_free(p->eng[i]);
        if (p->views)
            qr_topology_free(p->views[i]);
        if (p->map)
            free(p->map[i]);
    }
    free(p->eng);
    free(p->views);
    free(p->map);
    free(p->partner);
    free(p->weight);
    free(p->dr);
    free(p->val);
    free(p->pv);
    free(p->pcause);
    free(p->pstart);
    free(p->outage_from);
    sim_rep_release(&p->rep);
    free(p);
}

sim_pairing *sim_pairing_new(const qr_topology *t, const sim_config *cfg, char *err,
                             size_t errlen)
{
    if (!sim_pairing_supports(t, err, errlen))
        return NULL;
    sim_pairing *p = calloc(1, sizeof(*p));
    if (!p)
        goto oom;
    p->t = t;
    p->cfg = *cfg;
    p->n = t->n_pools;
    p->nf = t->pairing.n_user_features;
    p->n_rows = t->n_features + 1;
    p->views = calloc((size_t)p->n, sizeof(*p->views));
    p->map = calloc((size_t)p->n, sizeof(*p->map));
    p->eng = calloc((size_t)p->n, sizeof(*p->eng));
    p->partner = calloc((size_t)p->n, sizeof(int));
    p->weight = calloc((size_t)p->n, sizeof(double));
    p->dr = calloc((size_t)p->n, sizeof(*p->dr));
    p->val = calloc((size_t)p->n_rows, sizeof(double));
    p->pv = calloc((size_t)p->n * (size_t)(p->nf + 1), sizeof(double));
    p->pcause = calloc((size_t)p->n * (size_t)(p->nf + 1), 1);
    p->pstart = calloc((size_t)p->n * (size_t)(p->nf + 1), 1);
    p->outage_from = calloc((size_t)p->n_rows, sizeof(double));
    if (!p->views || !p->map || !p->eng || !p->partner || !p->weight || !p->dr || !p->val ||
        !p->pv || !p->pcause || !p->pstart || !p->outage_from ||
        sim_rep_init(&p->rep, t->n_features) != 0)
        goto oom;
    long users = 0;
    for (int i = 0; i < p->n; i++)
        users += t->pools[i].pool.users;
    p->cms_initial = -1;
    for (int i = 0; i < p->n; i++) {
        p->partner[i] = t->pools[i].paired_with;
        p->weight[i] = users > 0 ? (double)t->pools[i].pool.users / (double)users
                                 : 1.0 / p->n;
        if (t->pools[i].cms && p->cms_initial < 0)
            p->cms_initial = i;
        p->map[i] = malloc((size_t)(t->n_comps > 0 ? t->n_comps : 1) * sizeof(int));
        if (!p->map[i] || qr_topology_pool_view(t, i, &p->views[i], p->map[i]) != 0)
            goto oom;
        char why[256] = "";
        /* M7.1, M10: pool i patches i x pairing.patch_offset after the
         * first pool (the same draw of the "pool" stream, moved). */
        sim_config ecfg = *cfg;
        ecfg.patch_delay = i * t->pairing.patch_offset;
        p->eng[i] = sim_engine_new(p->views[i], &ecfg, why, sizeof(why));
        if (!p->eng[i]) {
            snprintf(err, errlen, "pool '%s': %s", t->pools[i].name, why);
            sim_pairing_free(p);
            return NULL;
        }
    }
    return p;
oom:
    snprintf(err, errlen, "out of memory");
    sim_pairing_free(p);
    return NULL;
}

/* ---- the pools' states ---- */

static bool pool_up(const sim_pairing *p, int i)
{
    return sim_engine_feature(p->eng[i], p->nf) >= 1.0;
}

/* Can the Backup Service replicate pool i's changes now (M10.1)? Its own
 * pool runs, and the partner pool and the partner's file store are up. */
static bool repl_ok(const sim_pairing *p, int i)
{
    int q = p->partner[i];
    return q >= 0 && pool_up(p, i) && pool_up(p, q) && sim_engine_file_store_up(p->eng[q]);
}

/* Does feature k work in resiliency mode on the backup pool (M10.2)? The
 * features that need neither the Back End nor the file store: sign-in and
 * IM, peer-to-peer calls (SFB-UX, SFB-EVRES). */
static bool works_in_resiliency(const sim_pairing *p, int k)
{
    unsigned backing = QR_NEED_BACKEND | QR_NEED_BACKEND_GRACE | QR_NEED_FILE_STORE;
    return (p->t->features[k].needs & backing) == 0;
}

static void clear_timers(dr_pool *d)
{
    d->decided = false;
    d->registrar_at = d->decide_at = d->failover_done = INFINITY;
    d->failback_at = d->failback_done = INFINITY;
}

/* Start Invoke-CsPoolFailover for pool i now: the CMS first when i holds
 * it (M10.4), then the pool (M10.3). */
static void start_failover(sim_pairing *p, int i)
{
    dr_pool *d = &p->dr[i];
    const qr_pairing *c = &p->t->pairing;
    double took = c->failover_time;
    if (p->cms == i) {
        took += c->cms_failover_time;
        p->cms = p->partner[i];
        d->count[SIM_PX_CMS_FAILOVERS] += 1;
    }
    d->decide_at = INFINITY;
    d->decided = false;
    d->failover_done = p->now + took;
}

/* Move pool i's users (M10.2-M10.5) after the events at p->now. */
static void look_at(sim_pairing *p, int i)
{
    dr_pool *d = &p->dr[i];
    const qr_pairing *c = &p->t->pairing;
    int q = p->partner[i];
    bool home = pool_up(p, i);
    if (q < 0)
        return; /* no backup pool: the users follow their pool (HOME) */
    if (p->cfg.static_mode)
        return; /* M9: every delay zero, user_value() serves them directly */
    bool backup = pool_up(p, q);
    bool operator = p->cfg.operator_actions;
    double now = p->now;
    switch (d->state) {
    case SIM_DR_HOME:
        if (!home) { /* the pool is lost (M10.1, M10.2) */
            d->state = SIM_DR_WAIT;
            clear_timers(d);
            d->registrar_at = now + c->registrar_failover;
            d->decide_at = operator ? now + c->failover_after : INFINITY;
            d->loss_start = sim_engine_feature_start(p->eng[i], p->nf);
            d->count[SIM_PX_DATA_LOSS_RISK] += 1;
            d->count[SIM_PX_AT_RISK] += (now - d->last_repl_ok) + c->backup_lag;
        }
        break;
    case SIM_DR_WAIT:
        if (home && !(d->failover_done < INFINITY)) {
            d->state = SIM_DR_HOME;
            clear_timers(d);
        } else if (now >= d->registrar_at) {
            d->state = SIM_DR_RESILIENCY;
            d->registrar_at = INFINITY;
            d->count[SIM_PX_REGISTRAR] += 1;
        }
        break;
    case SIM_DR_RESILIENCY:
        if (home && !(d->failover_done < INFINITY)) { /* registrar fallback */
            d->state = SIM_DR_HOME;
            clear_timers(d);
        }
        break;
    case SIM_DR_FAILED_OVER:
        if (!home)
            d->failback_at = INFINITY;
        else if (operator && !(d->failback_at < INFINITY))
            d->failback_at = now + c->failback_after;
        if (home && now >= d->failback_at) {
            d->state = SIM_DR_FAILBACK;
            d->failback_at = INFINITY;
            d->failback_done = now + c->failback_time;
        }
        break;
    case SIM_DR_FAILBACK:
        if (now >= d->failback_done) {
            d->failback_done = INFINITY;
            if (home) {
                d->state = SIM_DR_HOME;
                d->count[SIM_PX_FAILBACKS] += 1;
            } else {
                d->state = SIM_DR_FAILED_OVER;
            }
        }
        break;
    }
    /* The operator's decision waits for a backup pool that runs. */
    if (d->decide_at <= now) {
        d->decide_at = INFINITY;
        d->decided = true;
    }
    if (d->decided && backup && (d->state == SIM_DR_WAIT || d->state == SIM_DR_RESILIENCY))
        start_failover(p, i);
    if (d->failover_done <= now) {
        d->failover_done = INFINITY;
        d->registrar_at = INFINITY;
        d->state = SIM_DR_FAILED_OVER;
        d->count[SIM_PX_FAILOVERS] += 1;
        if (home && operator)
            d->failback_at = now + c->failback_after;
    }
}

/* An administrator's command on pool i now. */
static void command(sim_pairing *p, const dr_act *a)
{
    int i = a->pool;
    dr_pool *d = &p->dr[i];
    if (p->partner[i] < 0)
        return;
    if (a->action == SIM_DR_ACT_FAILOVER) {
        if (d->state != SIM_DR_FAILED_OVER && d->state != SIM_DR_FAILBACK &&
            !(d->failover_done < INFINITY))
            start_failover(p, i);
    } else if (d->state == SIM_DR_FAILED_OVER) {
        d->failback_at = p->now;
    }
}

/* The value of feature k (nf: the pool) for pool i's users now, with its
 * cause and start. */
static double user_value(const sim_pairing *p, int i, int k, unsigned char *cause,
                         unsigned char *start)
{
    const dr_pool *d = &p->dr[i];
    int q = p->partner[i];
    const sim_engine *e = p->eng[i];
    if (k == p->nf) { /* the pool row: their home pool up */
        *cause = (unsigned char)sim_engine_feature_cause(e, k);
        *start = (unsigned char)sim_engine_feature_start(e, k);
        return sim_engine_feature(e, k);
    }
    if (p->cfg.static_mode && q >= 0 && !pool_up(p, i)) {
        /* M9 with pools: the registrar failover, the pool failover (the
         * CMS's first) and the failback take no time, so the users of a
         * pool that is down get full service from the backup pool while
         * it runs (src/exact/exact_pairing.h). */
        e = pool_up(p, q) ? p->eng[q] : e;
        double v = pool_up(p, q) ? sim_engine_feature(e, k) : 0.0;
        if (v < 1.0) {
            *cause = (unsigned char)sim_engine_feature_cause(e, k);
            *start = (unsigned char)sim_engine_feature_start(e, k);
        }
        return v;
    }
    switch (d->state) {
    case SIM_DR_HOME:
        break;
    case SIM_DR_WAIT:
        *cause = SIM_DC_DR_REGISTRAR;
        *start = (unsigned char)d->loss_start;
        return 0.0;
    case SIM_DR_RESILIENCY:
    case SIM_DR_FAILBACK:
        if (!works_in_resiliency(p, k)) {
            *cause = d->state == SIM_DR_FAILBACK ? SIM_DC_DR_FAILBACK : SIM_DC_DR_RESILIENCY;
            *start = (unsigned char)d->loss_start;
            return 0.0;
        }
        e = p->eng[q];
        break;
    case SIM_DR_FAILED_OVER:
        e = p->eng[q];
        break;
    }
    double v = sim_engine_feature(e, k);
    if (v < 1.0) {
        *cause = (unsigned char)sim_engine_feature_cause(e, k);
        *start = (unsigned char)sim_engine_feature_start(e, k);
    }
    return v;
}

/* Recompute every row from the states; open or close outages. */
static void update_rows(sim_pairing *p)
{
    int w = p->nf + 1;
    for (int i = 0; i < p->n; i++)
        for (int k = 0; k <= p->nf; k++) {
            unsigned char cause = 0, start = 0;
            p->pv[i * w + k] = user_value(p, i, k, &cause, &start);
            p->pcause[i * w + k] = cause;
            p->pstart[i * w + k] = start;
        }
    for (int r = 0; r < p->n_rows; r++) {
        double v;
        if (r < p->nf || r == p->n_rows - 1) { /* all users, or the pool row */
            int k = r < p->nf ? r : p->nf;
            v = 0.0;
            for (int i = 0; i < p->n; i++)
                v += p->weight[i] * p->pv[i * w + k];
            if (v > 1.0 - 1e-12)
                v = 1.0;
        } else {
            int i = r / p->nf - 1, k = r % p->nf;
            v = p->pv[i * w + k];
        }
        sim_feature_rep *f = &p->rep.f[r];
        if (v < 1.0 && p->val[r] >= 1.0) {
            f->outages++;
            p->outage_from[r] = p->now;
        } else if (v >= 1.0 && p->val[r] < 1.0 && p->now - p->outage_from[r] > f->longest) {
            f->longest = p->now - p->outage_from[r];
        }
        p->val[r] = v;
    }
}

/* Integrate the rows over [p->now, until). */
static void advance(sim_pairing *p, double until)
{
    double dt = until - p->now;
    if (!(dt > 0))
        return;
    int w = p->nf + 1;
    for (int r = 0; r < p->n_rows; r++) {
        if (p->val[r] >= 1.0)
            continue;
        sim_feature_rep *f = &p->rep.f[r];
        f->down_time += (1.0 - p->val[r]) * dt;
        f->out_time += dt;
        /* Causes: each pool's share of the loss to that pool's cause. */
        bool all = r < p->nf || r == p->n_rows - 1;
        int k = r < p->nf ? r : r == p->n_rows - 1 ? p->nf : r % p->nf;
        for (int i = 0; i < p->n; i++) {
            if (!all && i != r / p->nf - 1)
                continue;
            double loss = (all ? p->weight[i] : 1.0) * (1.0 - p->pv[i * w + k]) * dt;
            if (!(loss > 0))
                continue;
            p->rep.cause[r * SIM_DC_COUNT + p->pcause[i * w + k]] += loss;
            p->rep.start[r * SIM_DS_COUNT + p->pstart[i * w + k]] += loss;
        }
    }
    for (int i = 0; i < p->n; i++) {
        if (!pool_up(p, i))
            p->dr[i].count[SIM_PX_POOL_DOWN] += dt;
        sim_dr_state s = p->dr[i].state;
        if (s == SIM_DR_RESILIENCY || s == SIM_DR_FAILBACK)
            p->dr[i].count[SIM_PX_RESILIENCY] += dt;
    }
}

int sim_pairing_begin(sim_pairing *p, uint64_t seed, uint64_t stream)
{
    for (int i = 0; i < p->n; i++)
        if (sim_engine_begin(p->eng[i], seed, stream) != 0)
            return -1;
    p->now = 0.0;
    p->n_acts = 0;
    p->cms = p->cms_initial;
    sim_rep_clear(&p->rep);
    p->rep.horizon = p->cfg.horizon;
    for (int r = 0; r < p->n_rows; r++) {
        p->val[r] = 1.0;
        p->outage_from[r] = 0.0;
    }
    for (int i = 0; i < p->n; i++) {
        memset(&p->dr[i], 0, sizeof(p->dr[i]));
        p->dr[i].state = SIM_DR_HOME;
        clear_timers(&p->dr[i]);
        p->dr[i].last_repl_ok = 0.0;
    }
    for (int i = 0; i < p->n; i++)
        p->dr[i].repl_ok = repl_ok(p, i);
    for (int i = 0; i < p->n; i++)
        look_at(p, i);
    update_rows(p);
    return 0;
}

static double dr_next(const sim_pairing *p)
{
    double t = INFINITY;
    for (int i = 0; i < p->n; i++) {
        const dr_pool *d = &p->dr[i];
        t = fmin(t, fmin(fmin(d->registrar_at, d->decide_at), d->failover_done));
        t = fmin(t, fmin(d->failback_at, d->failback_done));
    }
    for (int a = 0; a < p->n_acts; a++)
        t = fmin(t, p->acts[a].at);
    return t;
}

double sim_pairing_next_time(const sim_pairing *p)
{
    double t = dr_next(p);
    for (int i = 0; i < p->n; i++)
        t = fmin(t, sim_engine_next_time(p->eng[i]));
    return t;
}

/* Everything due at time `at`: the engines' events (all of them, also
 * those they add at `at`), then the administrator's commands, then the
 * users move. */
static int process(sim_pairing *p, double at)
{
    advance(p, at);
    /* The Backup Service worked up to now when it could before. */
    for (int i = 0; i < p->n; i++)
        if (p->dr[i].repl_ok)
            p->dr[i].last_repl_ok = at;
    p->now = at;
    bool more = true;
    while (more) {
        more = false;
        for (int i = 0; i < p->n; i++)
            while (sim_engine_next_time(p->eng[i]) <= at) {
                int rc = sim_engine_step(p->eng[i], at, NULL);
                if (rc < 0)
                    return rc;
                if (rc == 0)
                    break;
                more = true;
            }
    }
    for (int a = 0; a < p->n_acts;) {
        if (p->acts[a].at <= at) {
            dr_act act = p->acts[a];
            memmove(&p->acts[a], &p->acts[a + 1], (size_t)(p->n_acts - a - 1) * sizeof(dr_act));
            p->n_acts--;
            command(p, &act);
        } else {
            a++;
        }
    }
    for (int i = 0; i < p->n; i++)
        look_at(p, i);
    for (int i = 0; i < p->n; i++) {
        p->dr[i].repl_ok = repl_ok(p, i);
        if (p->dr[i].repl_ok)
            p->dr[i].last_repl_ok = at;
    }
    update_rows(p);
    return 0;
}

int sim_pairing_step(sim_pairing *p, double until)
{
    if (until > p->cfg.horizon)
        until = p->cfg.horizon;
    double t = sim_pairing_next_time(p);
    if (!(t <= until))
        return 0;
    int rc = process(p, t);
    return rc < 0 ? rc : 1;
}

int sim_pairing_run(sim_pairing *p, double until)
{
    if (until > p->cfg.horizon)
        until = p->cfg.horizon;
    for (;;) {
        double t = sim_pairing_next_time(p);
        if (!(t <= until))
            break;
        int rc = process(p, t);
        if (rc < 0)
            return rc;
    }
    if (until > p->now) {
        advance(p, until);
        for (int i = 0; i < p->n; i++) {
            if (p->dr[i].repl_ok)
                p->dr[i].last_repl_ok = until;
            int rc = sim_engine_run(p->eng[i], until);
            if (rc < 0)
                return rc;
        }
        p->now = until;
    }
    return 0;
}

int sim_pairing_finish(sim_pairing *p, sim_rep *out, double *px)
{
    int rc = sim_pairing_run(p, p->cfg.horizon);
    if (rc != 0)
        return rc;
    for (int r = 0; r < p->n_rows; r++)
        if (p->val[r] < 1.0 && p->now - p->outage_from[r] > p->rep.f[r].longest)
            p->rep.f[r].longest = p->now - p->outage_from[r];
    /* The engines' counters, summed over the pools. */
    sim_rep one;
    if (sim_rep_init(&one, p->views[0]->n_features) != 0)
        return -1;
    sim_rep *r = &p->rep;
    r->horizon = p->cfg.horizon;
    r->events = 0;
    for (int i = 0; i < p->n; i++) {
        if (one.n != p->views[i]->n_features + 1) {
            sim_rep_release(&one);
            if (sim_rep_init(&one, p->views[i]->n_features) != 0)
                return -1;
        }
        rc = sim_engine_finish(p->eng[i], &one);
        if (rc != 0) {
            sim_rep_release(&one);
            return rc;
        }
        r->events += one.events;
#define ADD_COUNT(field, dst) r->field += one.field;
        SIM_REP_COUNTS(ADD_COUNT)
#undef ADD_COUNT
        r->data_loss_risk += (long)p->dr[i].count[SIM_PX_DATA_LOSS_RISK];
        r->limited_time += p->weight[i] * one.limited_time;
        r->resiliency_time += p->weight[i] * (one.resiliency_time +
                                              p->dr[i].count[SIM_PX_RESILIENCY]);
        if (px) {
            for (int k = 0; k < SIM_PX_COUNT; k++)
                px[i * SIM_PX_COUNT + k] = p->dr[i].count[k];
        }
    }
    sim_rep_release(&one);
    /* sim_rep_init sized out like p->rep: copy the values, keep its arrays. */
    sim_feature_rep *f = out->f;
    double *cause = out->cause, *start = out->start;
    *out = *r;
    out->f = f;
    out->cause = cause;
    out->start = start;
    memcpy(out->f, r->f, sizeof(*f) * (size_t)r->n);
    memcpy(out->cause, r->cause, sizeof(double) * (size_t)r->n * SIM_DC_COUNT);
    memcpy(out->start, r->start, sizeof(double) * (size_t)r->n * SIM_DS_COUNT);
    return 0;
}

int sim_pairing_schedule(sim_pairing *p, double t, sim_action a, int comp)
{
    if (t < p->now)
        return -1;
    for (int i = 0; i < p->n; i++) {
        int c = -1;
        if (a <= SIM_ACT_REPAIR) {
            if (comp < 0 || comp >= p->t->n_comps)
                return -1;
            c = p->map[i][comp];
            if (c < 0)
                continue;
        } else if (comp >= 0 && comp != i) {
            continue; /* a pool-wide action of one pool */
        }
        if (sim_engine_schedule(p->eng[i], t, a, c) != 0)
            return -1;
    }
    return 0; /* a component no pool uses changes nothing */
}

int sim_pairing_schedule_dr(sim_pairing *p, double t, sim_dr_action a, int pool)
{
    if (t < p->now || pool < 0 || pool >= p->n || p->n_acts >= MAX_DR_ACTS)
        return -1;
    p->acts[p->n_acts++] = (dr_act){ t, a, pool };
    return 0;
}

double sim_pairing_now(const sim_pairing *p)
{
    return p->now;
}

int sim_pairing_pools(const sim_pairing *p)
{
    return p->n;
}

const sim_engine *sim_pairing_engine(const sim_pairing *p, int pool)
{
    return pool >= 0 && pool < p->n ? p->eng[pool] : NULL;
}

int sim_pairing_view_comp(const sim_pairing *p, int pool, int comp)
{
    if (pool < 0 || pool >= p->n || comp < 0 || comp >= p->t->n_comps)
        return -1;
    return p->map[pool][comp];
}

sim_dr_state sim_pairing_state(const sim_pairing *p, int pool)
{
    return pool >= 0 && pool < p->n ? p->dr[pool].state : SIM_DR_HOME;
}

double sim_pairing_value(const sim_pairing *p, int k)
{
    return k >= 0 && k < p->n_rows ? p->val[k] : 0.0;
}

int sim_pairing_cms_pool(const sim_pairing *p)
{
    return p->cms;
}

double sim_pairing_counter(const sim_pairing *p, int pool, sim_px k)
{
    if (pool < 0 || pool >= p->n || (int)k < 0 || k >= SIM_PX_COUNT)
        return 0.0;
    return p->dr[pool].count[k];
}
