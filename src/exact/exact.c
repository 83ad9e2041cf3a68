/*
 * exact.c: exact M9 availability by enumeration (src/exact/exact.h).
 *
 * The components that can fail and matter are numbered 0..n-1; bit j of a
 * state is 1 when component j is down. States are visited in Gray-code
 * order (state i is i ^ (i >> 1)), so each step flips exactly one
 * component in the up[] vector. The probability of a state is
 * lo[low bits] * hi[high bits], two tables of products precomputed in long
 * double, so every term is accurate to a few ulps however long the walk.
 * Down probabilities are taken as MTTR/(MTBF+MTTR) directly rather than
 * 1 - availability, which keeps their relative precision when a component
 * is almost always up.
 *
 * Conditioning (for `quorate analyze`'s importance measures): one component
 * can be held up or down and left out of the walk (sim_exact_conditional),
 * or, in one walk, P(feature up and component j down) is summed for every
 * enumerated j down in each state (sim_exact_importance), from which both
 * conditionals follow.
 */
#include "exact/exact.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact/structure.h"
#include "model/ccf.h"
#include "util/err.h"

/* P(down) of a component: MTTR/(MTBF+MTTR), 0 when it never fails. */
static long double down_prob(const qr_component *c)
{
    if (!qr_component_fails(c))
        return 0.0L;
    long double f = c->failure.mean, r = c->repair.mean;
    if (!(r > 0))
        return 0.0L;
    if (isinf(r))
        return 1.0L;            /* never repaired: down in the long run */
    return r / (f + r);
}

/* table[x] = product over the k components var[0..k-1] of (bit j of x ?
 * down : up). */
static void fill_table(long double *table, int k, const long double *down)
{
    table[0] = 1.0L;
    for (int j = 0; j < k; j++)
        table[0] *= 1.0L - down[j];
    for (unsigned long x = 1; x < (1ul << k); x++) {
        long double p = 1.0L;
        for (int j = 0; j < k; j++)
            p *= ((x >> j) & 1u) ? down[j] : 1.0L - down[j];
        table[x] = p;
    }
}

/* What one walk computes beyond the unconditional sums. */
typedef struct {
    int          force_comp; /* held in force_up's state, -1 for none      */
    int          force_up;
    long double *cond_down;  /* n * (nf + 1) sums over the states with     */
                             /*   enumerated component j down, or NULL     */
    long double *total;      /* out when not NULL: the nf + 1 unrounded    */
                             /*   sums (features, then the pool)           */
    long double *unavail;    /* out when not NULL: the nf + 1 sums of      */
                             /*   P(x) * (1 - value), summed directly so   */
                             /*   a tiny unavailability keeps its digits   */
    int         *var;        /* out: the enumerated components (nc + 1)    */
    long double *down;       /* out: their P(down) (nc + 1)                */
    int          n;          /* out: how many                              */
} walk_opts;

/* The Gray-code walk of the header, shared by every entry point: fills
 * feature_avail[] and *detail, and w's outputs.
 *
 * Common-cause events (model/ccf.h) are enumerated beside the components:
 * variable j is component var[j] when var[j] < n_comps, else common event
 * var[j] - n_comps. A component's own state up[] is then "its independent
 * event is up and no common event holding it is down" (own[] and hold[]). */
static int exact_walk(const qr_topology *t, double *feature_avail,
                      sim_exact_detail *detail, walk_opts *w, char *err,
                      size_t errlen)
{
    if (qr_topology_is_paired(t)) { /* several pools (M10): exact_pairing.h */
        memset(detail, 0, sizeof(*detail));
        qr_err_set(err, errlen, "a design with several pools: its exact view (M9) is "
                   "sim_exact_pairing()'s, not this one-pool enumeration's");
        return -1;
    }
    int ret = -1;
    sim_structure *s = NULL;
    unsigned char *up = NULL, *eff = NULL, *rel = NULL, *own = NULL;
    int *hold = NULL;
    long double *lo = NULL, *hi = NULL, *sum = NULL;
    double *fup = NULL;
    qr_ccf_event *ev = NULL;
    int n_ev = 0;
    int nf = t->n_features > 0 ? t->n_features : 0;
    size_t nc = (size_t)(t->n_comps > 0 ? t->n_comps : 0);
    int *var = w->var;
    long double *down = w->down;

    memset(detail, 0, sizeof(*detail));
    w->n = 0;
    int rc = qr_ccf_events(t, &ev, &n_ev);
    if (rc == -2) {
        qr_err_set(err, errlen, "more than %d common-cause events", QR_CCF_MAX_EVENTS);
        ret = -2;
        goto cleanup;
    }
    s = sim_structure_new(t);
    up = malloc(nc + 1);
    eff = malloc(nc + 1);
    rel = malloc(nc + 1);
    own = malloc(nc + 1);
    hold = calloc(nc + 1, sizeof(*hold));
    sum = calloc((size_t)nf + 4, sizeof(*sum));
    fup = malloc(((size_t)nf + 1) * sizeof(*fup));
    if (rc != 0 || !s || !up || !eff || !rel || !own || !hold || !sum || !fup) {
        qr_err_set(err, errlen, "out of memory");
        goto cleanup;
    }

    memset(up, 1, nc + 1);
    memset(own, 1, nc + 1);
    sim_structure_relevant(s, rel);
    if (w->force_comp >= 0 && (size_t)w->force_comp < nc)
        up[w->force_comp] = own[w->force_comp] = w->force_up != 0;
    int force_ev = w->force_comp - (int)nc;
    if (force_ev >= 0 && force_ev < n_ev && !w->force_up) {
        const qr_ccf_group *g = &t->ccf[ev[force_ev].group];
        for (int m = 0; m < g->n_members; m++)
            if (ev[force_ev].mask & (1u << m)) {
                hold[g->members[m]]++;
                up[g->members[m]] = 0;
            }
    }
    sim_structure_effective(s, up, eff);
    int n = 0;
    for (size_t i = 0; i < nc; i++) {
        long double d = qr_ccf_group_of(t, (int)i) >= 0
                            ? (long double)qr_ccf_independent_q(t, (int)i)
                            : down_prob(&t->comps[i]);
        if (rel[i] && d > 0 && (int)i != w->force_comp) {
            var[n] = (int)i;
            down[n] = d;
            n++;
        }
    }
    for (int k = 0; k < n_ev; k++) {
        const qr_ccf_group *g = &t->ccf[ev[k].group];
        bool matters = false;
        for (int m = 0; m < g->n_members; m++)
            if (ev[k].mask & (1u << m))
                matters |= rel[g->members[m]] != 0;
        if (matters && ev[k].p > 0 && k != force_ev) {
            var[n] = (int)nc + k;
            down[n] = ev[k].p;
            n++;
        }
    }
    detail->n_enumerated = n;
    w->n = n;
    if (n > SIM_EXACT_MAX_COMPONENTS) {
        qr_err_set(err, errlen,
                "exact availability needs 2^%d states: %d components can fail "
                "and matter, at most %d can be enumerated",
                n, n, SIM_EXACT_MAX_COMPONENTS);
        ret = -2; /* a limit, not a failure */
        goto cleanup;
    }

    int nlo = n / 2, nhi = n - nlo;
    lo = malloc(((size_t)1 << nlo) * sizeof(*lo));
    hi = malloc(((size_t)1 << nhi) * sizeof(*hi));
    if (!lo || !hi) {
        qr_err_set(err, errlen, "out of memory");
        goto cleanup;
    }
    fill_table(lo, nlo, down);
    fill_table(hi, nhi, down + nlo);
    unsigned long lo_mask = (1ul << nlo) - 1;
    size_t row = (size_t)nf + 1;
    if (w->cond_down)
        memset(w->cond_down, 0, (size_t)n * row * sizeof(*w->cond_down));
    if (w->unavail)
        memset(w->unavail, 0, row * sizeof(*w->unavail));

    /* sum[0..nf-1] features, then pool, back end, file store, groups. */
    long double *s_pool = &sum[nf], *s_be = &sum[nf + 1];
    long double *s_fs = &sum[nf + 2], *s_grp = &sum[nf + 3];
    unsigned long states = 1ul << n;
    for (unsigned long i = 0; i < states; i++) {
        if (i > 0) {
            int j = __builtin_ctzl(i);      /* the bit Gray code flips */
            int v = var[j];
            if (v < (int)nc) {
                own[v] ^= 1;
                unsigned char u = own[v] && hold[v] == 0;
                if (u != up[v]) {
                    up[v] = u;
                    sim_structure_effective_update(s, up, eff, v);
                }
            } else {
                /* A common event: bit j of the new Gray code says down. */
                const qr_ccf_event *e = &ev[v - (int)nc];
                const qr_ccf_group *g = &t->ccf[e->group];
                int delta = ((i ^ (i >> 1)) >> j) & 1ul ? 1 : -1;
                for (int m = 0; m < g->n_members; m++) {
                    if (!(e->mask & (1u << m)))
                        continue;
                    int c = g->members[m];
                    hold[c] += delta;
                    unsigned char u = own[c] && hold[c] == 0;
                    if (u != up[c]) {
                        up[c] = u;
                        sim_structure_effective_update(s, up, eff, c);
                    }
                }
            }
        }
        unsigned long g = i ^ (i >> 1);
        long double p = lo[g & lo_mask] * hi[g >> nlo];

        sim_services sv;
        sim_structure_eval_services(s, eff, fup, &sv);
        for (int f = 0; f < nf; f++)
            sum[f] += p * fup[f];
        if (sv.pool_up)
            *s_pool += p;
        if (sv.backend_serving)
            *s_be += p;
        if (sv.file_store_up)
            *s_fs += p;
        if (sv.groups > 0)
            *s_grp += p * sv.groups_writable / sv.groups;
        if (w->unavail) {
            for (int f = 0; f < nf; f++)
                w->unavail[f] += p * (1.0 - fup[f]);
            if (!sv.pool_up)
                w->unavail[nf] += p;
        }
        if (w->cond_down) {
            /* P(feature up and component j down), for each j down here. */
            for (unsigned long bits = g; bits; bits &= bits - 1) {
                long double *c = &w->cond_down[(size_t)__builtin_ctzl(bits) * row];
                for (int f = 0; f < nf; f++)
                    c[f] += p * fup[f];
                if (sv.pool_up)
                    c[nf] += p;
            }
        }
    }
    for (int f = 0; f < nf; f++)
        feature_avail[f] = (double)sum[f];
    detail->pool = (double)*s_pool;
    detail->backend = (double)*s_be;
    detail->file_store = (double)*s_fs;
    detail->groups_writable = (double)*s_grp;
    if (w->total) {
        for (int f = 0; f < nf; f++)
            w->total[f] = sum[f];
        w->total[nf] = *s_pool;
    }
    ret = 0;

cleanup:
    free(ev);
    free(fup);
    free(sum);
    free(hi);
    free(lo);
    free(hold);
    free(own);
    free(rel);
    free(eff);
    free(up);
    sim_structure_free(s);
    return ret;
}

/* Arrays for the enumerated components (at most t->n_comps + 1). */
static int walk_alloc(const qr_topology *t, walk_opts *w)
{
    size_t nc = (size_t)(t->n_comps > 0 ? t->n_comps : 0) + QR_CCF_MAX_EVENTS;
    w->var = malloc((nc + 1) * sizeof(*w->var));
    w->down = malloc((nc + 1) * sizeof(*w->down));
    return w->var && w->down ? 0 : -1;
}

static void walk_release(walk_opts *w)
{
    free(w->total);
    free(w->unavail);
    free(w->var);
    free(w->down);
    free(w->cond_down);
}

/* One walk with component `comp` (-1: none) held up or down. */
static int walk_once(const qr_topology *t, int comp, int up, double *feature_avail,
                     sim_exact_detail *detail, char *err, size_t errlen)
{
    walk_opts w = { comp, up, NULL, NULL, NULL, NULL, NULL, 0 };
    int ret = -1;
    if (walk_alloc(t, &w) != 0) {
        memset(detail, 0, sizeof(*detail));
        qr_err_set(err, errlen, "out of memory");
    } else {
        ret = exact_walk(t, feature_avail, detail, &w, err, errlen);
    }
    walk_release(&w);
    return ret;
}

int sim_exact_compute(const qr_topology *t, double *feature_avail,
                      sim_exact_detail *detail, char *err, size_t errlen)
{
    return walk_once(t, -1, 0, feature_avail, detail, err, errlen);
}

int sim_exact_conditional(const qr_topology *t, int comp, int up,
                          double *feature_avail, sim_exact_detail *detail,
                          char *err, size_t errlen)
{
    qr_ccf_event *ev = NULL;
    int n_ev = 0;
    if (qr_ccf_events(t, &ev, &n_ev) != 0)
        n_ev = 0;
    free(ev);
    if (comp < 0 || comp >= t->n_comps + n_ev) {
        memset(detail, 0, sizeof(*detail));
        qr_err_set(err, errlen, "no component %d to condition on", comp);
        return -1;
    }
    return walk_once(t, comp, up, feature_avail, detail, err, errlen);
}

int sim_exact_importance(const qr_topology *t, sim_exact_conditionals *out,
                         char *err, size_t errlen)
{
    walk_opts w = { -1, 0, NULL, NULL, NULL, NULL, NULL, 0 };
    int nf = t->n_features > 0 ? t->n_features : 0;
    size_t nc = (size_t)(t->n_comps > 0 ? t->n_comps : 0) + QR_CCF_MAX_EVENTS;
    size_t row = (size_t)nf + 1;
    int ret = -1;

    memset(out, 0, sizeof(*out));
    out->avail = malloc(row * sizeof(*out->avail));
    out->comp = malloc((nc + 1) * sizeof(*out->comp));
    out->p_down = malloc((nc + 1) * sizeof(*out->p_down));
    out->avail_up = malloc((nc + 1) * row * sizeof(*out->avail_up));
    out->avail_down = malloc((nc + 1) * row * sizeof(*out->avail_down));
    w.cond_down = malloc((nc + 1) * row * sizeof(*w.cond_down));
    w.total = malloc(row * sizeof(*w.total));
    if (!out->avail || !out->comp || !out->p_down || !out->avail_up ||
        !out->avail_down || !w.cond_down || !w.total || walk_alloc(t, &w) != 0) {
        qr_err_set(err, errlen, "out of memory");
        goto cleanup;
    }
    if ((ret = exact_walk(t, out->avail, &out->detail, &w, err, errlen)) != 0)
        goto cleanup;
    ret = -1;
    out->avail[nf] = out->detail.pool;
    out->n = w.n;
    for (int j = 0; j < w.n; j++) {
        long double q = w.down[j];
        out->comp[j] = w.var[j];
        out->p_down[j] = (double)q;
        for (size_t f = 0; f < row; f++) {
            long double joint_down = w.cond_down[(size_t)j * row + f];
            long double total = w.total[f];
            /* A(f | j down) = P(f up, j down) / q; A(f | j up) from the
             * rest of the total. */
            out->avail_down[(size_t)j * row + f] = (double)(joint_down / q);
            out->avail_up[(size_t)j * row + f] =
                q < 1.0L ? (double)((total - joint_down) / (1.0L - q)) : NAN;
        }
    }
    ret = 0;

cleanup:
    walk_release(&w);
    if (ret != 0)
        sim_exact_conditionals_release(out);
    return ret;
}

void sim_exact_conditionals_release(sim_exact_conditionals *c)
{
    if (!c)
        return;
    free(c->avail);
    free(c->comp);
    free(c->p_down);
    free(c->avail_up);
    free(c->avail_down);
    memset(c, 0, sizeof(*c));
}

int sim_exact_availability(const qr_topology *t, double *feature_avail,
                           double *pool_avail, char *err, size_t errlen)
{
    sim_exact_detail d;
    int ret = sim_exact_compute(t, feature_avail, &d, err, errlen);
    if (ret == 0)
        *pool_avail = d.pool;
    return ret;
}

int sim_exact_unavailability(const qr_topology *t, double *feature_avail,
                             double *feature_unavail, sim_exact_detail *detail,
                             char *err, size_t errlen)
{
    walk_opts w = { -1, 0, NULL, NULL, NULL, NULL, NULL, 0 };
    size_t row = (size_t)(t->n_features > 0 ? t->n_features : 0) + 1;
    int ret = -1;
    w.unavail = malloc(row * sizeof(*w.unavail));
    if (!w.unavail || walk_alloc(t, &w) != 0) {
        memset(detail, 0, sizeof(*detail));
        qr_err_set(err, errlen, "out of memory");
    } else if ((ret = exact_walk(t, feature_avail, detail, &w, err, errlen)) == 0) {
        for (size_t f = 0; f + 1 < row; f++)
            feature_unavail[f] = (double)w.unavail[f];
    } /* else -1 out of memory or -2 too many components, as exact_walk says */
    walk_release(&w);
    return ret;
}

const char *sim_exact_var_name(const qr_topology *t, int var, char *buf, size_t size)
{
    if (var < t->n_comps)
        return qr_topology_comp_name(t, var);
    qr_ccf_event *ev = NULL;
    int n = 0;
    snprintf(buf, size, "?");
    if (qr_ccf_events(t, &ev, &n) == 0 && var - t->n_comps < n)
        qr_ccf_event_name(t, &ev[var - t->n_comps], buf, size);
    free(ev);
    return buf;
}
