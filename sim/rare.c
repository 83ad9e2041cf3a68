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
 * The extra process is drawn again after every event of the copy (its
 * hazard depends only on the present state and s, so a fresh draw from the
 * present has the same law): its pending point is one failure event of
 * the chosen component; to withdraw it, the component's generation is
 * bumped (which drops its model failure event too) and a fresh model
 * failure time, exponential and so memoryless, is pushed in its place.
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
    sim_rng rng;           /* the extra failures of this replication        */
    uint64_t copy_events;
    int replays;           /* copies per excursion                          */  /* events the copies processed                   */
    /* the copy's extra failure under way */
    int pend_comp;         /* component, -1 none                            */
    uint32_t pend_gen;
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
    if (!r->shadow || !r->lambda || !r->back || !r->back_graceful || !r->snap0 || !r->snap1 ||
        !r->main_exc || !r->copy_exc)
        goto oom;
    for (int i = 0; i < n; i++) {
        const qr_component *comp = &t->comps[i];
        const qr_dist *f = &comp->failure;
        if (r->main->fails[i] && f->kind == QR_DIST_EXPONENTIAL && f->mean > 0 &&
            f->mean < INFINITY)
            r->lambda[i] = 1.0 / f->mean;
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

/* The downtime of every feature, by cause and by start, integrated up to
 * time t (>= the last integration) without touching the engine: values are
 * constant since last_t, causes since cause_t (cause_t >= last_t, see
 * measures.c). */
static void snapshot(const sim_engine *e, double t, double *out)
{
    for (int k = 0; k < e->n_vals; k++) {
        double *row = out + (size_t)k * SLOTS_PER;
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
}

/* ---- the biased copy ---- */

typedef struct {
    double a;    /* time scale of the repairs under way; 0: nothing down */
    int n_up;    /* components up with exponential failures               */
} bias_state;

static bias_state bias_now(const sim_rare *r, const sim_engine *e)
{
    bias_state b = { 0.0, 0 };
    if (e->val[e->n_vals - 1] < 1.0)
        return b; /* the pool is down: so is every feature; no bias */
    double back = 0;
    for (int i = 0; i < e->n_comps; i++) {
        if (e->own[i] == SIM_UP)
            b.n_up += r->lambda[i] > 0;
        else
            back += e->own[i] == SIM_DOWN_GRACEFUL ? r->back_graceful[i] : r->back[i];
    }
    if (back > 0 && b.n_up > 0)
        b.a = 1.0 / back;
    return b;
}

/* Withdraw the copy's pending extra failure, if it is still pending: the
 * component's model failure is drawn again in its place. */
static int withdraw(sim_rare *r, sim_engine *e)
{
    int i = r->pend_comp;
    r->pend_comp = -1;
    if (i < 0 || e->comp_gen[i] != r->pend_gen || e->own[i] != SIM_UP)
        return 0;
    e->comp_gen[i]++;
    double dt = sim_dist_std_exponential(&r->rng) / r->lambda[i];
    return sim_queue_push(&e->q, e->now + dt, SIM_EV_FAIL, i, e->comp_gen[i], 0);
}

/* Draw the extra failure from now: the first point of the hazard
 * c / (s + a) after s0 = now - t_change solves c log((s + a) / (s0 + a)) =
 * E, E standard exponential. */
static int draw_extra(sim_rare *r, sim_engine *e, bias_state b, double t_change)
{
    if (!(b.a > 0))
        return 0;
    double s0 = e->now - t_change;
    double dt = (s0 + b.a) * expm1(sim_dist_std_exponential(&r->rng) / r->c);
    if (!(e->now + dt <= e->cfg.horizon))
        return 0; /* beyond the horizon: no point to place */
    int k = (int)(sim_rng_uniform(&r->rng) * b.n_up);
    if (k >= b.n_up)
        k = b.n_up - 1;
    for (int i = 0; i < e->n_comps; i++) {
        if (e->own[i] != SIM_UP || !(r->lambda[i] > 0))
            continue;
        if (k-- == 0) {
            r->pend_comp = i;
            r->pend_gen = e->comp_gen[i];
            return sim_queue_push(&e->q, e->now + dt, SIM_EV_FAIL, i, e->comp_gen[i], 0);
        }
    }
    return 0;
}

/* Run the copy from main's present state under the bias until it is quiet
 * or at the horizon; add its weighted downtime (from snap0, main's state
 * now) to copy_exc. Returns 0, -1 OOM, -2 the event budget. */
static int run_copy(sim_rare *r, const double *snap0)
{
    sim_engine *e = r->shadow;
    if (sim_engine_copy(e, r->main) != 0)
        return -1;
    /* Fresh streams for what the copy draws from here on (repairs, later
     * failures): the same law, independent of main's and of the other
     * replays'. What main drew already (pending repairs, non-exponential
     * failure times) is part of the state the excursion starts from. */
    for (int i = 0; i < 2 * e->n_comps; i++)
        sim_rng_seed(&e->crng[i], sim_rng_next(&r->rng), (uint64_t)i);
    double horizon = e->cfg.horizon, log_l = 0.0, t_change = e->now;
    uint64_t events0 = e->events;
    bias_state b = bias_now(r, e);
    r->pend_comp = -1;
    if (draw_extra(r, e, b, t_change) != 0)
        return -1;
    bool pool_down = false;
    for (;;) {
        double t_prev = e->now;
        sim_step_info info;
        int rc = sim_engine_step(e, horizon, &info);
        if (rc < 0)
            return rc;
        double t = rc == 1 ? e->now : horizon;
        if (b.a > 0 && t > t_prev) /* integral of theta over (t_prev, t] */
            log_l += r->c * log1p((t - t_prev) / (t_prev - t_change + b.a));
        if (rc == 0)
            break;
        if (info.cause == SIM_CAUSE_FAILURE && r->lambda[info.index] > 0 && b.a > 0) {
            double lam = r->lambda[info.index];
            double theta = r->c / (t - t_change + b.a);
            log_l += log(lam / (lam + theta / b.n_up));
        }
        pool_down |= e->val[e->n_vals - 1] < 1.0;
        if (quiet(e))
            break;
        if (info.cause == SIM_CAUSE_FAILURE || info.cause == SIM_CAUSE_REPAIR ||
            info.cause == SIM_CAUSE_PATCH || info.cause == SIM_CAUSE_ACTION)
            t_change = t;
        if (withdraw(r, e) != 0)
            return -1;
        bias_state nb = bias_now(r, e);
        if (nb.a != b.a || nb.n_up != b.n_up) /* a state change the causes missed */
            t_change = t;
        b = nb;
        if (draw_extra(r, e, b, t_change) != 0)
            return -1;
    }
    snapshot(e, e->now < horizon && quiet(e) ? e->now : horizon, r->snap1);
    double w = exp(log_l) / r->replays;
    for (int s = 0; s < r->n_slots; s++)
        r->copy_exc[s] += w * (r->snap1[s] - snap0[s]);
    r->copy_events += e->events - events0; /* the work, reported */
    r->stats.excursions++;
    r->stats.pool_down += pool_down;
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
            snapshot(m, m->now, r->snap1);
            for (int s = 0; s < r->n_slots; s++)
                r->main_exc[s] += r->snap1[s] - r->snap0[s];
            in_exc = false;
        } else if (was_quiet && !q && info.cause == SIM_CAUSE_FAILURE) {
            snapshot(m, m->now, r->snap0);
            for (int k = 0; k < r->replays; k++)
                if ((rc = run_copy(r, r->snap0)) != 0)
                    return rc;
            in_exc = true;
        }
        was_quiet = q;
    }
    int rc = sim_engine_finish(m, out);
    if (rc != 0)
        return rc;
    if (in_exc) { /* cut by the horizon */
        snapshot(m, horizon, r->snap1);
        for (int s = 0; s < r->n_slots; s++)
            r->main_exc[s] += r->snap1[s] - r->snap0[s];
    }
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
