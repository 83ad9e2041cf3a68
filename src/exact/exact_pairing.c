/*
 * exact_pairing.c: the exact view (M9) of a paired design (exact_pairing.h):
 * each pool's view with its structure function, the static M10 semantics
 * (home pool up: served at home; else by the partner, fully failed over)
 * and the exact availability conditioned on the components the views share.
 */
#include "exact/exact_pairing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exact/exact.h"
#include "exact/structure.h"
#include "model/ccf.h"
#include "model/pool_view.h"
#include "util/err.h"

typedef struct {
    qr_topology   *view;
    int           *map;   /* comp of t -> comp of the view, -1         */
    sim_structure *st;
    unsigned char *up;    /* view's component states (scratch)         */
    unsigned char *eff;
    double        *fup;   /* nf feature values (scratch)               */
    int            pool_up;
    qr_ccf_event  *ev;    /* the view's common events (its own pool's  */
    int            n_ev;  /*   groups, qr_ccf_events), sim_exact_pairing */
    unsigned char *ev_dn; /* n_ev: which ones are on (scratch, 0)       */
} pview;

struct sim_pstructure {
    const qr_topology *t;
    int                n;       /* pools                                */
    int                nf;      /* the design's own features            */
    pview             *v;
    double            *weight;  /* users' share of each pool            */
    unsigned char     *rel;     /* t->n_comps: fails and matters        */
    long double       *cdown;   /* t->n_comps: P(own event down): Q_1 of */
                                /*   a common-cause member, else as exact.c */
};

/* P(down) of a component, as exact.c: MTTR/(MTBF+MTTR), 0 when it never
 * fails. */
static long double down_prob(const qr_component *c)
{
    if (!qr_component_fails(c))
        return 0.0L;
    long double f = c->failure.mean, r = c->repair.mean;
    if (!(r > 0))
        return 0.0L;
    if (isinf(r))
        return 1.0L;
    return r / (f + r);
}

void sim_pstructure_free(sim_pstructure *s)
{
    if (!s)
        return;
    for (int i = 0; s->v && i < s->n; i++) {
        qr_topology_free(s->v[i].view);
        free(s->v[i].map);
        sim_structure_free(s->v[i].st);
        free(s->v[i].up);
        free(s->v[i].eff);
        free(s->v[i].fup);
        free(s->v[i].ev);
        free(s->v[i].ev_dn);
    }
    free(s->v);
    free(s->weight);
    free(s->rel);
    free(s->cdown);
    free(s);
}

/* Are the common events of every view its own variables? A group's
 * member that another pool's view holds too (a shared site, a Back End two
 * pools share, given by role) would need the event shared by both views:
 * refused, with the group, the member and the two pools. */
static bool ccf_private(const sim_pstructure *s, char *err, size_t errlen)
{
    const qr_topology *t = s->t;
    for (int i = 0; i < s->n; i++) {
        const qr_topology *v = s->v[i].view;
        for (int c = 0; c < t->n_comps; c++) {
            int m = s->v[i].map[c];
            if (m < 0 || qr_ccf_group_of(v, m) < 0)
                continue;
            for (int q = 0; q < s->n; q++)
                if (q != i && s->v[q].map[c] >= 0) {
                    qr_err_set(err, errlen,
                               "common-cause group '%s' holds '%s', which pools '%s' and '%s' "
                               "share: the exact view of a design with several pools takes "
                               "only groups of one pool's own components",
                               v->ccf[qr_ccf_group_of(v, m)].name, t->comps[c].name,
                               t->pools[i].name, t->pools[q].name);
                    return false;
                }
        }
    }
    return true;
}

/* allow_ccf: the caller (sim_exact_pairing) enumerates the views' common
 * events; the component-state interface (sim_pstructure_eval, the cuts)
 * has no place for them and refuses a design with common-cause groups. */
/* What the exact view of paired design t cannot take (virtualization;
 * without allow_ccf, common-cause groups; a group of two pools): true with
 * the reason in err. */
static bool refused(const qr_topology *t, bool allow_ccf, char *err, size_t errlen)
{
    const char *missing = qr_pool_view_unsupported(t);
    if (missing && !(allow_ccf && t->virt.loc.line <= 0)) {
        qr_err_set(err, errlen, "%s", missing);
        return true;
    }
    /* A group of two pools (qr_pool_view_check); one of shared
     * components: ccf_private once the views are built. */
    return allow_ccf && t->n_ccf > 0 && qr_pool_view_check(t, err, errlen) != 0;
}

/* *limit (may be NULL) is set when t is refused (refused(), ccf_private):
 * a limit of the exact view rather than an error. */
static sim_pstructure *pstructure_new(const qr_topology *t, bool allow_ccf, bool *limit,
                                      char *err, size_t errlen)
{
    if (!qr_topology_is_paired(t)) {
        qr_err_set(err, errlen, "the design has a single pool");
        return NULL;
    }
    if (refused(t, allow_ccf, err, errlen)) {
        if (limit)
            *limit = true;
        return NULL;
    }
    sim_pstructure *s = calloc(1, sizeof(*s));
    if (!s)
        goto oom;
    s->t = t;
    s->n = t->n_pools;
    s->nf = t->pairing.n_user_features;
    size_t nc = (size_t)(t->n_comps > 0 ? t->n_comps : 0);
    s->v = calloc((size_t)s->n, sizeof(*s->v));
    s->weight = calloc((size_t)s->n, sizeof(double));
    s->rel = calloc(nc + 1, 1);
    s->cdown = calloc(nc + 1, sizeof(long double));
    if (!s->v || !s->weight || !s->rel || !s->cdown)
        goto oom;
    for (size_t c = 0; c < nc; c++)
        s->cdown[c] = down_prob(&t->comps[c]);
    long users = 0;
    for (int i = 0; i < s->n; i++)
        users += t->pools[i].pool.users;
    for (int i = 0; i < s->n; i++) {
        pview *p = &s->v[i];
        s->weight[i] = users > 0 ? (double)t->pools[i].pool.users / (double)users : 1.0 / s->n;
        p->map = malloc((nc + 1) * sizeof(int));
        if (!p->map || qr_topology_pool_view(t, i, &p->view, p->map) != 0)
            goto oom;
        size_t vc = (size_t)(p->view->n_comps > 0 ? p->view->n_comps : 0);
        p->st = sim_structure_new(p->view);
        p->up = malloc(vc + 1);
        p->eff = malloc(vc + 1);
        p->fup = calloc((size_t)p->view->n_features + 1, sizeof(double));
        unsigned char *vrel = malloc(vc + 1);
        if (!p->st || !p->up || !p->eff || !p->fup || !vrel) {
            free(vrel);
            goto oom;
        }
        sim_structure_relevant(p->st, vrel);
        /* Its common events (none unless allow_ccf let groups through). */
        if (p->view->n_ccf > 0 && qr_ccf_events(p->view, &p->ev, &p->n_ev) != 0) {
            free(vrel);
            qr_err_set(err, errlen, "common events of pool '%s': out of memory or too many",
                       t->pools[i].name);
            sim_pstructure_free(s);
            return NULL;
        }
        p->ev_dn = calloc((size_t)p->n_ev + 1, 1);
        if (!p->ev_dn) {
            free(vrel);
            goto oom;
        }
        for (size_t c = 0; c < nc; c++)
            if (p->map[c] >= 0 && qr_ccf_group_of(p->view, p->map[c]) >= 0)
                s->cdown[c] = qr_ccf_independent_q(p->view, p->map[c]);
        for (size_t c = 0; c < nc; c++)
            if (p->map[c] >= 0 && vrel[p->map[c]] && down_prob(&t->comps[c]) > 0)
                s->rel[c] = 1;
        free(vrel);
    }
    if (!ccf_private(s, err, errlen)) {
        if (limit)
            *limit = true;
        sim_pstructure_free(s);
        return NULL;
    }
    return s;
oom:
    qr_err_set(err, errlen, "out of memory");
    sim_pstructure_free(s);
    return NULL;
}

sim_pstructure *sim_pstructure_new(const qr_topology *t, char *err, size_t errlen)
{
    if (qr_topology_is_paired(t) && t->n_ccf > 0 && t->virt.loc.line <= 0) {
        qr_err_set(err, errlen,
                   "common-cause groups (`common_cause:`) are not built into the cut sets of "
                   "a design with several pools yet (its exact availability takes them)");
        return NULL;
    }
    return pstructure_new(t, false, NULL, err, errlen);
}

int sim_pstructure_relevant(const sim_pstructure *s, unsigned char *relevant)
{
    int n = 0;
    for (int c = 0; c < s->t->n_comps; c++) {
        relevant[c] = s->rel[c];
        n += s->rel[c];
    }
    return n;
}

/* Evaluate view p for the states up[] of t. */
static void view_eval(pview *p, const qr_topology *t, const unsigned char *up)
{
    for (int c = 0; c < t->n_comps; c++)
        if (p->map[c] >= 0)
            p->up[p->map[c]] = up[c] ? 1 : 0;
    /* A common event that is on holds all its members down. */
    for (int e = 0; e < p->n_ev; e++) {
        if (!p->ev_dn[e])
            continue;
        const qr_ccf_group *g = &p->view->ccf[p->ev[e].group];
        for (int j = 0; j < g->n_members; j++)
            if (p->ev[e].mask & (1u << j))
                p->up[g->members[j]] = 0;
    }
    sim_structure_effective(p->st, p->up, p->eff);
    p->pool_up = sim_structure_eval(p->st, p->eff, p->fup);
}

void sim_pstructure_eval(sim_pstructure *s, const unsigned char *up, double *rows)
{
    const qr_topology *t = s->t;
    int nf = s->nf;
    for (int i = 0; i < s->n; i++)
        view_eval(&s->v[i], t, up);
    for (int k = 0; k <= nf; k++) {
        double all = 0.0;
        for (int i = 0; i < s->n; i++) {
            const pview *a = &s->v[i];
            int q = t->pools[i].paired_with;
            double v;
            if (k == nf)
                v = a->pool_up ? 1.0 : 0.0;
            else if (a->pool_up || q < 0)
                v = a->fup[k];
            else
                v = s->v[q].pool_up ? s->v[q].fup[k] : 0.0;
            if (k < nf)
                rows[nf * (1 + i) + k] = v;
            all += s->weight[i] * v;
        }
        if (all > 1.0 - 1e-12)
            all = 1.0;
        rows[k < nf ? k : t->n_features] = all;
    }
}

/* ---- exact availability ---- */

/* Conditional sums of one view given a state of the shared components:
 * for each feature k, E[up f_k] (a) and E[up (1 - f_k)] (u); P(!up) (d). */
typedef struct {
    long double *a, *u;
    long double  d;
} view_sums;

/* Enumerate the private components var[0..n-1] of view p (the shared ones
 * already set in up[]), filling *out. */
static void view_walk(pview *p, const qr_topology *t, unsigned char *up, const int *var,
                      const long double *down, int n, int nf, view_sums *out)
{
    for (int k = 0; k < nf; k++)
        out->a[k] = out->u[k] = 0.0L;
    out->d = 0.0L;
    int ne = p->n_ev; /* the view's own common events, after its components */
    for (unsigned long x = 0; x < (1ul << (n + ne)); x++) {
        long double pr = 1.0L;
        for (int j = 0; j < n; j++) {
            bool dn = (x >> j) & 1u;
            up[var[j]] = !dn;
            pr *= dn ? down[j] : 1.0L - down[j];
        }
        for (int e = 0; e < ne; e++) {
            bool dn = (x >> (n + e)) & 1u;
            p->ev_dn[e] = dn;
            pr *= dn ? (long double)p->ev[e].p : 1.0L - (long double)p->ev[e].p;
        }
        if (pr == 0.0L)
            continue;
        view_eval(p, t, up);
        if (!p->pool_up) {
            out->d += pr;
            continue;
        }
        for (int k = 0; k < nf; k++) {
            out->a[k] += pr * p->fup[k];
            out->u[k] += pr * (1.0 - p->fup[k]);
        }
    }
    for (int j = 0; j < n; j++)
        up[var[j]] = 1;
    memset(p->ev_dn, 0, (size_t)ne);
}

int sim_exact_pairing(const qr_topology *t, double *avail, double *unavail, int *enumerated,
                      char *err, size_t errlen)
{
    int ret = -1;
    bool limit = false;
    sim_pstructure *s = pstructure_new(t, true, &limit, err, errlen);
    if (!s) /* -3: a limit of the exact view, not an error of this run */
        return limit ? -3 : -1;
    int nf = s->nf, n = s->n, nc = t->n_comps;
    unsigned char *up = malloc((size_t)nc + 1);
    int *var = malloc(3 * ((size_t)nc + 1) * sizeof(int));
    long double *down = malloc(3 * ((size_t)nc + 1) * sizeof(long double));
    long double *buf = calloc(4 * ((size_t)nf + 1), sizeof(long double));
    long double *acc = calloc(((size_t)nf + 1) * 2 * (size_t)n, sizeof(long double));
    if (!up || !var || !down || !buf || !acc) {
        qr_err_set(err, errlen, "out of memory");
        goto cleanup;
    }
    memset(up, 1, (size_t)nc + 1);
    int n_rel = 0;
    for (int c = 0; c < nc; c++)
        n_rel += s->rel[c];
    if (enumerated)
        *enumerated = n_rel;
    view_sums sa = { buf, buf + (nf + 1), 0 }, sb = { buf + 2 * (nf + 1), buf + 3 * (nf + 1), 0 };
    /* acc[(i * (nf + 1) + k) * 2 + {0 avail, 1 unavail}] */
    for (int i = 0; i < n; i++) {
        int q = t->pools[i].paired_with;
        pview *a = &s->v[i], *b = q >= 0 ? &s->v[q] : NULL;
        /* Shared (S), A's own (P_A), B's own (P_B): relevant to the view. */
        int *vs = var, *va = var + nc + 1, *vb = var + 2 * (nc + 1);
        long double *ds = down, *da = down + nc + 1, *db = down + 2 * (nc + 1);
        int ns = 0, na = 0, nb = 0;
        for (int c = 0; c < nc; c++) {
            if (!s->rel[c])
                continue;
            bool in_a = a->map[c] >= 0, in_b = b && b->map[c] >= 0;
            long double d = s->cdown[c];
            if (in_a && in_b) {
                vs[ns] = c;
                ds[ns++] = d;
            } else if (in_a) {
                va[na] = c;
                da[na++] = d;
            } else if (in_b) {
                vb[nb] = c;
                db[nb++] = d;
            }
        }
        na += a->n_ev; /* the views' common events: their own variables */
        nb += b ? b->n_ev : 0;
        if (ns + (na > nb ? na : nb) > SIM_EXACT_MAX_COMPONENTS) {
            qr_err_set(err, errlen,
                       "exact availability of pool '%s''s users needs 2^%d states: %d "
                       "shared components and %d of one pool's own, at most %d can be "
                       "enumerated", t->pools[i].name, ns + (na > nb ? na : nb), ns,
                       na > nb ? na : nb, SIM_EXACT_MAX_COMPONENTS);
            ret = -2;
            goto cleanup;
        }
        long double *acc_i = &acc[(size_t)i * (nf + 1) * 2];
        for (unsigned long x = 0; x < (1ul << ns); x++) {
            long double ps = 1.0L;
            for (int j = 0; j < ns; j++) {
                bool dn = (x >> j) & 1u;
                up[vs[j]] = !dn;
                ps *= dn ? ds[j] : 1.0L - ds[j];
            }
            if (ps == 0.0L)
                continue;
            view_walk(a, t, up, va, da, na - a->n_ev, nf, &sa);
            if (b)
                view_walk(b, t, up, vb, db, nb - b->n_ev, nf, &sb);
            for (int k = 0; k < nf; k++) {
                long double v, u;
                if (b) { /* served at home, else fully by the partner */
                    v = sa.a[k] + sa.d * sb.a[k];
                    u = sa.u[k] + sa.d * (sb.d + sb.u[k]);
                } else {
                    v = sa.a[k];
                    u = sa.u[k] + sa.d;
                }
                acc_i[k * 2] += ps * v;
                acc_i[k * 2 + 1] += ps * u;
            }
            acc_i[nf * 2] += ps * (1.0L - sa.d);
            acc_i[nf * 2 + 1] += ps * sa.d;
        }
        for (int j = 0; j < ns; j++)
            up[vs[j]] = 1;
    }
    for (int k = 0; k <= nf; k++) {
        long double all = 0.0L, all_u = 0.0L;
        for (int i = 0; i < n; i++) {
            const long double *r = &acc[((size_t)i * (nf + 1) + k) * 2];
            all += s->weight[i] * r[0];
            all_u += s->weight[i] * r[1];
            if (k < nf) {
                avail[nf * (1 + i) + k] = (double)r[0];
                if (unavail)
                    unavail[nf * (1 + i) + k] = (double)r[1];
            }
        }
        int row = k < nf ? k : t->n_features;
        avail[row] = (double)all;
        if (unavail)
            unavail[row] = (double)all_u;
    }
    ret = 0;
cleanup:
    free(up);
    free(var);
    free(down);
    free(buf);
    free(acc);
    sim_pstructure_free(s);
    return ret;
}
