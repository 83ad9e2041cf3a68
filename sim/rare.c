/*
 * rare.c: importance sampling with balanced failure biasing (rare.h).
 *
 * The plain replication (engine `main`) runs event by event. When a random
 * failure takes it out of the quiet state (every component's own state up,
 * every feature and the pool at 1), an excursion starts: the engine is
 * copied into `shadow`, which runs the same excursion under the biased
 * measure Q until it is quiet again or reaches the horizon, while main goes
 * on under the model's measure P. At the end of the replication, every
 * excursion's plain downtime is taken out of main's and the copy's,
 * weighted by its likelihood ratio L = dP/dQ of the copy's path, is put in.
 * Why this is unbiased: given the state at the excursion's first failure,
 * E_Q[L D'] = E_P[D'] (D' the downtime of the copy's excursion, which ends
 * by the same rule as main's), the conditional mean of main's excursion
 * downtime; summing over the excursions main went through gives the mean
 * of main's downtime (the tower property). The copy's own random numbers
 * need not be independent of main's future for this.
 *
 * The bias (Shahabuddin 1994, "Importance sampling for the simulation of
 * highly reliable Markovian systems", Management Science 40(3); balanced:
 * every failure equally likely, whatever its rate) is added to the model's
 * failures in continuous time, only for components whose failures are
 * exponential, so that the model's failures go on as drawn (their
 * remaining times are memoryless) and an extra failure process is laid
 * over them. While at least one component's own state is down and the
 * pool is up (once it is down, so is every feature: nothing left to
 * accelerate), the extra
 * process has the hazard theta(s) = c / (s + a), s the time since the last
 * change of a component's own state, a the time scale of the repairs under
 * way (1 / sum of 1 / mean time back up of each component down: its mean
 * repair, or its patch reboot for a graceful shutdown), and each of its
 * points fails one of the n components still up with exponential failures,
 * chosen with equal probability. The probability of an extra failure
 * within a of the last change is then 1 - 2^-c = bias: c = -log2(1 - bias).
 * The hazard falls with s, so the likelihood ratio of a long repair with no
 * failure grows only as (1 + s / a)^c (a constant rate would make it grow
 * exponentially, with infinite variance under lognormal repairs). The
 * likelihood ratio of the copy's path:
 *   L = prod over failures of an exponential component i at time t of
 *         lambda_i / (lambda_i + theta(t) / n(t))
 *       * exp(integral of theta over the time something is down).
 * Components with other failure distributions, repairs, patching and every
 * rule run as in the model and contribute nothing to L.
 *
 * The extra process's next point is drawn when the copy starts and again
 * whenever its hazard changes (a component's own state changes, or the
 * pool goes down or comes back: state.h's own_changes tells the first);
 * in between, given that no point came yet, the pending one keeps its law.
 * It is kept out of the event queue: when it comes before the queue's next
 * event, the component it fails, one of those up with exponential failures
 * drawn with equal probability, gets a failure event at that time, handled
 * at once as any failure (its model failure event is then stale).
 *
 * Cost: the copy renews its random streams lazily (engine.h,
 * sim_engine_renew_streams), the bias is scanned only when a component's
 * state changed, and only the features an excursion touched (down at its
 * start or end, or an outage begun) have their downtime rows compared.
 */
#include "sim/rare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "sim/dist.h"
#include "sim/state.h"

struct sim_rare {
    const qr_topology *t;
    sim_engine *main, *shadow;
    double c;              /* theta(s) = c / (s + a)                       */
    double *lambda;        /* per component: exponential failure rate, 0   */
                           /*   when not biased                            */
    double *back;          /* per component: 1 / mean time back up after a */
                           /*   crash (repair) and a graceful shutdown      */
    double *back_graceful;
    int n_slots;           /* per feature: down_time, cause, start          */
    double *snap0, *snap1; /* scratch snapshots                             */
    double *main_exc;      /* main's downtime inside the excursions         */
    double *copy_exc;      /* the copies' weighted downtime                 */
    double *val0;          /* per feature: main's value and outages at the  */
    long *outages0;        /*   start of the excursion                      */
    int *exp_comp;         /* the components with lambda > 0, n_exp of them */
    int n_exp;
    sim_rng rng;           /* the extra failures of this replication        */
    uint64_t copy_events;  /* events the copies processed                   */
    int replays;           /* copies per excursion                          */
    sim_rare_stats stats;
};

#define SLOTS_PER (1 + SIM_DC_COUNT + SIM_DS_COUNT)

void sim_rare_free(sim_rare *r)
{
    if (!r)
        return;
    sim_engine_free(r->main);
    sim_engine_free(r->shadow);
    free(r->lambda);
    free(r->back);
    free(r->back_graceful);
    free(r->snap0);
    free(r->snap1);
    free(r->main_exc);
    free(r->copy_exc);
    free(r->val0);
    free(r->outages0);
    free(r->exp_comp);
    free(r);
}

sim_rare *sim_rare_new(const qr_topology *t, const sim_config *cfg, const sim_rare_params *p,
                       char *err, size_t errlen)
{
    double bias = p ? p->bias : SIM_RARE_BIAS;
    if (!(bias > 0 && bias < 1)) {
        qr_err_set(err, errlen, "the bias must be in (0, 1)");
        return NULL;
    }
    sim_rare *r = calloc(1, sizeof(*r));
    if (!r)
        goto oom;
    r->t = t;
    r->c = -log2(1.0 - bias);
    r->replays = p && p->replays > 0 ? p->replays : SIM_RARE_REPLAYS;
    r->main = sim_engine_new(t, cfg, err, errlen);
    if (!r->main) {
        sim_rare_free(r);
        return NULL;
    }
    r->shadow = sim_engine_new(t, cfg, err, errlen);
    int n = t->n_comps;
    r->lambda = calloc((size_t)n + 1, sizeof(double));
    r->back = calloc((size_t)n + 1, sizeof(double));
    r->back_graceful = calloc((size_t)n + 1, sizeof(double));
    r->n_slots = (t->n_features + 1) * SLOTS_PER;
    r->snap0 = calloc((size_t)r->n_slots, sizeof(double));
    r->snap1 = calloc((size_t)r->n_slots, sizeof(double));
    r->main_exc = calloc((size_t)r->n_slots, sizeof(double));
    r->copy_exc = calloc((size_t)r->n_slots, sizeof(double));
    r->val0 = calloc((size_t)t->n_features + 1, sizeof(double));
    r->outages0 = calloc((size_t)t->n_features + 1, sizeof(long));
    r->exp_comp = calloc((size_t)n + 1, sizeof(int));
    if (!r->shadow || !r->lambda || !r->back || !r->back_graceful || !r->snap0 || !r->snap1 ||
        !r->main_exc || !r->copy_exc || !r->val0 || !r->outages0 || !r->exp_comp)
        goto oom;
    for (int i = 0; i < n; i++) {
        const qr_component *comp = &t->comps[i];
        const qr_dist *f = &comp->failure;
        if (r->main->fails[i] && f->kind == QR_DIST_EXPONENTIAL && f->mean > 0 &&
            f->mean < INFINITY)
            r->lambda[i] = 1.0 / f->mean;
        if (r->lambda[i] > 0)
            r->exp_comp[r->n_exp++] = i;
        double rep = comp->repair.mean;
        r->back[i] = rep > 0 && rep < INFINITY ? 1.0 / rep : 0.0;
        double reboot = comp->patch.enabled ? comp->patch.reboot : 0.0;
        r->back_graceful[i] = reboot > 0 && reboot < INFINITY ? 1.0 / reboot : r->back[i];
    }
    return r;
oom:
    qr_err_set(err, errlen, "out of memory");
    sim_rare_free(r);
    return NULL;
}

const sim_engine *sim_rare_engine(const sim_rare *r)
{
    return r->main;
}

void sim_rare_last_stats(const sim_rare *r, sim_rare_stats *s)
{
    *s = r->stats;
}

static bool quiet(const sim_engine *e)
{
    return e->own_down == 0 && e->n_down == 0;
}

/* The downtime of feature k, by cause and by start, integrated up to
 * time t (>= the last integration) without touching the engine, into
 * row[SLOTS_PER]: values are constant since last_t, causes since cause_t
 * (cause_t >= last_t, see measures.c). */
static void snapshot_row(const sim_engine *e, int k, double t, double *row)
{
    double *cause = row + 1, *start = row + 1 + SIM_DC_COUNT;
    double lost = 1.0 - e->val[k];
    row[0] = e->rep.f[k].down_time;
    memcpy(cause, &e->rep.cause[k * SIM_DC_COUNT], sizeof(double) * SIM_DC_COUNT);
    memcpy(start, &e->rep.start[k * SIM_DS_COUNT], sizeof(double) * SIM_DS_COUNT);
    if (lost > 0) {
        if (t > e->last_t)
            row[0] += lost * (t - e->last_t);
        if (t > e->cause_t) {
            cause[e->cause_now[k]] += lost * (t - e->cause_t);
            start[e->start_now[k]] += lost * (t - e->cause_t);
        }
    }
}

/* Main's state at the start of an excursion: every feature's rows
 * (snap0), value and outages. */
static void excursion_begins(sim_rare *r, const sim_engine *e)
{
    for (int k = 0; k < e->n_vals; k++) {
        snapshot_row(e, k, e->now, r->snap0 + (size_t)k * SLOTS_PER);
        r->val0[k] = e->val[k];
        r->outages0[k] = e->rep.f[k].outages;
    }
}

/* Add to acc, weighted by w, engine e's downtime from the excursion's
 * start (snap0: main's state then) up to t: only the features e touched
 * (down at the start or now, or an outage begun), the others' rows being
 * unchanged. Main's own part (acc main_exc, w 1) and each copy's (copy_exc,
 * w its likelihood ratio over the replays). */
static void add_excursion(sim_rare *r, const sim_engine *e, double t, double w, double *acc)
{
    for (int k = 0; k < e->n_vals; k++) {
        if (!(r->val0[k] < 1.0 || e->val[k] < 1.0 || e->rep.f[k].outages != r->outages0[k]))
            continue;
        size_t o = (size_t)k * SLOTS_PER;
        snapshot_row(e, k, t, r->snap1 + o);
        for (int s = 0; s < SLOTS_PER; s++)
            acc[o + s] += w * (r->snap1[o + s] - r->snap0[o + s]);
    }
}

/* ---- the biased copy ---- */

typedef struct {
    double a;    /* time scale of the repairs under way; 0: nothing down */
    int n_up;    /* components up with exponential failures               */
} bias_state;

_Static_assert(SIM_UP == 0, "bias_scan reads eight states at a time as one word");

/* Component i is down: its part of the bias. */
static void bias_add(const sim_rare *r, const sim_engine *e, int i, double *back, int *down_exp)
{
    *back += e->own[i] == SIM_DOWN_GRACEFUL ? r->back_graceful[i] : r->back[i];
    *down_exp += r->lambda[i] > 0;
}

/* The bias from the components' own states, only called when one of them
 * changed (own_changes): a scan of own[] eight states (SIM_UP is 0) at a
 * time, the few components down looked at one by one. */
static bias_state bias_scan(const sim_rare *r, const sim_engine *e)
{
    double back = 0;
    int down_exp = 0, n = e->n_comps, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, e->own + i, sizeof(w));
        if (w == 0)
            continue;
        for (int j = i; j < i + 8; j++)
            if (e->own[j] != SIM_UP)
                bias_add(r, e, j, &back, &down_exp);
    }
    for (; i < n; i++)
        if (e->own[i] != SIM_UP)
            bias_add(r, e, i, &back, &down_exp);
    bias_state b = { 0.0, r->n_exp - down_exp };
    if (back > 0 && b.n_up > 0)
        b.a = 1.0 / back;
    return b;
}

static bool pool_down(const sim_engine *e)
{
    return e->val[e->n_vals - 1] < 1.0;
}

/* The time of the extra process's next point after now, INFINITY when
 * there is none: the first point of the hazard c / (s + a) after s0 =
 * now - t_change solves c log((s + a) / (s0 + a)) = E, E standard
 * exponential. Given no point since it was drawn, the pending point keeps
 * this law as long as the hazard's parameters (a, n, t_change) hold, so
 * it is drawn again only when they change. */
static double draw_extra(sim_rare *r, const sim_engine *e, bias_state b, double t_change)
{
    if (!(b.a > 0))
        return INFINITY;
    double s0 = e->now - t_change;
    return e->now + (s0 + b.a) * expm1(sim_dist_std_exponential(&r->rng) / r->c);
}

/* One of the n_up components up with exponential failures, with equal
 * probability: drawn among all of them until one is up (the components
 * down are few). */
static int pick_up(sim_rare *r, const sim_engine *e)
{
    for (;;) {
        int k = (int)(sim_rng_uniform(&r->rng) * r->n_exp);
        if (k >= r->n_exp)
            k = r->n_exp - 1;
        int i = r->exp_comp[k];
        if (e->own[i] == SIM_UP)
            return i;
    }
}

/* The integral of theta = c / (s + a), s = t - t_change, over (t0, t1]. */
static double theta_integral(const sim_rare *r, bias_state b, double t_change, double t0,
                             double t1)
{
    return b.a > 0 && t1 > t0 ? r->c * log1p((t1 - t0) / (t0 - t_change + b.a)) : 0.0;
}

/* Run the copy from main's present state under the bias until it is quiet
 * or at the horizon; add its weighted downtime (from snap0, main's state
 * now) to copy_exc. The extra failure is kept out of the queue: when it
 * comes before the queue's next event it is pushed as that component's
 * failure and handled at once. Returns 0, -1 OOM, -2 the event budget. */
static int run_copy(sim_rare *r)
{
    sim_engine *e = r->shadow;
    if (sim_engine_copy(e, r->main) != 0)
        return -1;
    /* Fresh streams for what the copy draws from here on (repairs, later
     * failures): the same law, independent of main's and of the other
     * replays'; seeded when first drawn from. What main drew already
     * (pending repairs, non-exponential failure times) is part of the
     * state the excursion starts from. */
    sim_engine_renew_streams(e, sim_rng_next(&r->rng));
    double horizon = e->cfg.horizon, log_l = 0.0, t_change = e->now, t_seg = e->now;
    uint64_t events0 = e->events, own_seen = e->own_changes;
    bool down = pool_down(e); /* once the pool is down, no bias */
    bias_state scan = bias_scan(r, e), b = down ? (bias_state){ 0.0, 0 } : scan;
    double t_extra = draw_extra(r, e, b, t_change);
    bool pool_was_down = false;
    for (;;) {
        if (t_extra <= horizon && t_extra < sim_engine_next_time(e)) {
            int i = pick_up(r, e);
            if (sim_queue_push(&e->q, t_extra, SIM_EV_FAIL, i, e->comp_gen[i], 0) != 0)
                return -1;
            t_extra = INFINITY;
        }
        sim_step_info info;
        int rc = sim_engine_step(e, horizon, &info);
        if (rc < 0)
            return rc;
        if (rc == 0) { /* the horizon */
            log_l += theta_integral(r, b, t_change, t_seg, horizon);
            break;
        }
        if (info.cause == SIM_CAUSE_NONE)
            continue; /* a cancelled event: nothing changed */
        double t = e->now;
        if (info.cause == SIM_CAUSE_FAILURE && r->lambda[info.index] > 0 && b.a > 0) {
            double lam = r->lambda[info.index];
            double theta = r->c / (t - t_change + b.a);
            log_l += log(lam / (lam + theta / b.n_up));
        }
        bool now_down = pool_down(e);
        pool_was_down |= now_down;
        if (quiet(e)) {
            log_l += theta_integral(r, b, t_change, t_seg, t);
            break;
        }
        if (e->own_changes == own_seen && now_down == down)
            continue; /* the same hazard: the pending point stands */
        log_l += theta_integral(r, b, t_change, t_seg, t);
        t_seg = t;
        if (e->own_changes != own_seen) { /* s counts from the last change */
            own_seen = e->own_changes;
            t_change = t;
            scan = bias_scan(r, e);
        }
        down = now_down;
        b = down ? (bias_state){ 0.0, 0 } : scan;
        t_extra = draw_extra(r, e, b, t_change);
    }
    double w = exp(log_l) / r->replays;
    add_excursion(r, e, e->now < horizon && quiet(e) ? e->now : horizon, w, r->copy_exc);
    r->copy_events += e->events - events0; /* the work, reported */
    r->stats.excursions++;
    r->stats.pool_down += pool_was_down;
    return 0;
}

/* ---- one replication ---- */

int sim_rare_replication(sim_rare *r, uint64_t seed, uint64_t stream, sim_rep *out)
{
    sim_engine *m = r->main;
    memset(r->main_exc, 0, sizeof(double) * (size_t)r->n_slots);
    memset(r->copy_exc, 0, sizeof(double) * (size_t)r->n_slots);
    memset(&r->stats, 0, sizeof(r->stats));
    r->copy_events = 0;
    /* Its own stream: the key of (seed, stream) mixed with a constant, so
     * it is none of the engine's. */
    sim_rng_seed(&r->rng, seed ^ 0x9e3779b97f4a7c15ull, stream);
    if (sim_engine_begin(m, seed, stream) != 0)
        return -1;
    double horizon = m->cfg.horizon;
    bool was_quiet = quiet(m), in_exc = false;
    for (;;) {
        sim_step_info info;
        int rc = sim_engine_step(m, horizon, &info);
        if (rc < 0)
            return rc;
        if (rc == 0)
            break;
        bool q = quiet(m);
        if (in_exc && q) { /* the excursion ends: main's part of it */
            add_excursion(r, m, m->now, 1.0, r->main_exc);
            in_exc = false;
        } else if (was_quiet && !q && info.cause == SIM_CAUSE_FAILURE) {
            excursion_begins(r, m);
            for (int k = 0; k < r->replays; k++)
                if ((rc = run_copy(r)) != 0)
                    return rc;
            in_exc = true;
        }
        was_quiet = q;
    }
    int rc = sim_engine_finish(m, out);
    if (rc != 0)
        return rc;
    if (in_exc) /* cut by the horizon */
        add_excursion(r, m, horizon, 1.0, r->main_exc);
    /* Replace: what main lost outside the excursions, plus the copies'. */
    for (int k = 0; k < out->n; k++) {
        const double *me = r->main_exc + (size_t)k * SLOTS_PER;
        const double *ce = r->copy_exc + (size_t)k * SLOTS_PER;
        double *cause = &out->cause[k * SIM_DC_COUNT], *start = &out->start[k * SIM_DS_COUNT];
        out->f[k].down_time = fmax(0.0, out->f[k].down_time - me[0]) + ce[0];
        for (int c = 0; c < SIM_DC_COUNT; c++)
            cause[c] = fmax(0.0, cause[c] - me[1 + c]) + ce[1 + c];
        for (int s = 0; s < SIM_DS_COUNT; s++)
            start[s] = fmax(0.0, start[s] - me[1 + SIM_DC_COUNT + s]) + ce[1 + SIM_DC_COUNT + s];
    }
    out->events += r->copy_events;
    return 0;
}
