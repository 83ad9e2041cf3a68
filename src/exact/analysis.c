/*
 * analysis.c: dependencies, N-k survival, exact availability and component
 * importance of one pool design (analysis.h), behind `quorate analyze`.
 *
 * The dependency sets come from the igraph module (depgraph.h); every
 * state is evaluated with the M9 structure function of src/exact/structure.h, in
 * its unexpected form (the one src/exact/exact.c and the simulator's --static
 * mode use) and its graceful form; the exact numbers come from
 * src/exact/exact.h. This file only enumerates and counts: it holds no
 * behaviour rule of its own.
 *
 * Combinations of k of the n candidates are visited in lexicographic order
 * of candidate positions (so listed cut sets come out sorted); each costs
 * one sim_structure_effective() and one evaluation per mode, and a down
 * combination k more to decide minimality.
 */
#include "exact/analysis.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exact/depgraph.h"
#include "exact/structure.h"
#include "model/ccf.h"
#include "util/err.h"

const char *qr_fail_mode_name(qr_fail_mode m)
{
    return m == QR_FAIL_GRACEFUL ? "graceful" : "unexpected";
}

const char *qr_analysis_k_unit(int k, double n)
{
    static const char *const plural[] = { "", "single failures", "pairs", "triples",
                                          "sets of 4", "sets of 5" };
    static const char *const single[] = { "", "single failure", "pair", "triple", "set of 4",
                                          "set of 5" };
    if (k < 1 || k > 5)
        return "sets";
    return n == 1 ? single[k] : plural[k];
}

bool qr_analysis_has_spof(const qr_analysis *a, int f)
{
    const qr_cut_count *c = qr_analysis_cuts(a, 1, QR_FAIL_UNEXPECTED, f);
    return c && c->n_minimal > 0;
}

void qr_analysis_options_init(qr_analysis_options *o)
{
    o->max_k = 3;
    o->max_combinations = QR_ANALYSIS_DEFAULT_MAX_COMBINATIONS;
    o->exact = true;
}

/* Working state of the N-k walk. */
typedef struct {
    const sim_structure *s;
    const qr_topology   *t;
    const qr_ccf_event  *ev;  /* common events: candidate nc + k is ev[k] */
    int            nc, nf;
    unsigned char *up, *eff;
    double        *val;   /* nf: feature values of the current combination */
    double        *sub;   /* nf: of a subset                               */
} walker;

/* Evaluate the state with exactly the listed components down. */
static void eval_down(walker *w, const int *down, int n, qr_fail_mode m, double *out)
{
    sim_services sv;
    memset(w->up, 1, (size_t)w->nc + 1);
    for (int i = 0; i < n; i++) {
        if (down[i] < w->nc) {
            w->up[down[i]] = 0;
            continue;
        }
        const qr_ccf_event *e = &w->ev[down[i] - w->nc]; /* all its members */
        const qr_ccf_group *g = &w->t->ccf[e->group];
        for (int j = 0; j < g->n_members; j++)
            if (e->mask & (1u << j))
                w->up[g->members[j]] = 0;
    }
    sim_structure_effective(w->s, w->up, w->eff);
    if (m == QR_FAIL_GRACEFUL)
        sim_structure_eval_graceful(w->s, w->eff, out, &sv);
    else
        sim_structure_eval_services(w->s, w->eff, out, &sv);
}

static int list_cut(qr_cut_count *c, const int *comps, int k)
{
    c->n_minimal++;
    if (c->n_listed >= QR_ANALYSIS_MAX_LISTED)
        return 0;
    int *grown = realloc(c->minimal, (size_t)(c->n_listed + 1) * (size_t)k * sizeof(int));
    if (!grown)
        return -1;
    c->minimal = grown;
    memcpy(&c->minimal[(size_t)c->n_listed * (size_t)k], comps, (size_t)k * sizeof(int));
    c->n_listed++;
    return 0;
}

static double binomial(int n, int k)
{
    if (k < 0 || k > n)
        return 0;
    double r = 1;
    for (int i = 1; i <= k; i++)
        r = r * (n - k + i) / i;
    return floor(r + 0.5);
}

/* One level: every combination of k candidates, both modes. */
static int run_level(walker *w, const qr_analysis *a, qr_nk_level *lv)
{
    int k = lv->k, n = a->n_candidates;
    int pos[QR_ANALYSIS_MAX_K], comps[QR_ANALYSIS_MAX_K], subset[QR_ANALYSIS_MAX_K];
    for (int i = 0; i < k; i++)
        pos[i] = i;
    if (k > n)
        return 0;
    for (;;) {
        for (int i = 0; i < k; i++)
            comps[i] = a->candidates[pos[i]];
        for (int m = 0; m < QR_FAIL_MODES; m++) {
            qr_cut_count *fc = lv->feat[m];
            eval_down(w, comps, k, (qr_fail_mode)m, w->val);
            /* Which features are down here, and is this set minimal for
             * them: no subset of size k-1 takes them down (for k = 1 the
             * subset is the empty set, the baseline). */
            int any_down = 0;
            for (int f = 0; f < w->nf; f++) {
                if (w->val[f] <= 0.0) {
                    fc[f].n_down++;
                    any_down = 1;
                } else if (w->val[f] < 1.0) {
                    fc[f].n_partial++;
                }
            }
            if (!any_down)
                continue;
            unsigned char minimal_ok[64];
            unsigned char *mok = w->nf <= 64 ? minimal_ok : NULL;
            unsigned char *heap = NULL;
            if (!mok) {
                heap = malloc((size_t)w->nf);
                if (!heap)
                    return -1;
                mok = heap;
            }
            for (int f = 0; f < w->nf; f++)
                mok[f] = w->val[f] <= 0.0 && a->baseline[m][f] > 0.0;
            for (int drop = 0; drop < k; drop++) {
                int ns = 0;
                for (int i = 0; i < k; i++)
                    if (i != drop)
                        subset[ns++] = comps[i];
                eval_down(w, subset, ns, (qr_fail_mode)m, w->sub);
                for (int f = 0; f < w->nf; f++)
                    if (w->sub[f] <= 0.0)
                        mok[f] = 0;
            }
            int rc = 0;
            for (int f = 0; f < w->nf && rc == 0; f++)
                if (mok[f])
                    rc = list_cut(&fc[f], comps, k);
            free(heap);
            if (rc != 0)
                return -1;
        }
        /* Next combination in lexicographic order. */
        int i = k - 1;
        while (i >= 0 && pos[i] == n - k + i)
            i--;
        if (i < 0)
            break;
        pos[i]++;
        for (int j = i + 1; j < k; j++)
            pos[j] = pos[j - 1] + 1;
    }
    return 0;
}

/* Dependencies from the graph; candidates and never-failing ones. */
static int fill_dependencies(const qr_topology *t, qr_analysis *a, const qr_ccf_event *ev,
                             int n_ev, char *err, size_t errlen)
{
    qr_depgraph *g = NULL;
    unsigned char *any = NULL;
    int ret = -1;
    size_t nc = (size_t)a->n_comps;

    if (qr_depgraph_new(t, &g, err, errlen) != 0)
        return -1;
    a->graph_vertices = qr_depgraph_n_vertices(g);
    a->graph_edges = qr_depgraph_n_edges(g);
    /* The Back End's vote in pool quorum is an edge of the graph. */
    a->backend_votes = false;
    int be = qr_depgraph_service_vertex(g, QR_DG_SVC_BACKEND, -1);
    int pool = qr_depgraph_service_vertex(g, QR_DG_SVC_POOL, -1);
    for (int e = 0; e < a->graph_edges; e++) {
        int from, to;
        qr_dg_edge_kind kind;
        if (qr_depgraph_edge(g, e, &from, &to, &kind) == 0 && from == be && to == pool)
            a->backend_votes = true;
    }
    a->depends = calloc((size_t)a->n_features * nc + 1, 1);
    any = calloc(nc + 1, 1);
    a->candidates = malloc((nc + (size_t)n_ev + 1) * sizeof(int));
    a->never_fail = malloc((nc + 1) * sizeof(int));
    if (!a->depends || !any || !a->candidates || !a->never_fail) {
        qr_err_set(err, errlen, "out of memory");
        goto cleanup;
    }
    for (int f = 0; f < a->n_features; f++) {
        unsigned char *dep = &a->depends[(size_t)f * nc];
        if (qr_depgraph_feature_components(g, f, dep, err, errlen) < 0)
            goto cleanup;
        for (size_t i = 0; i < nc; i++)
            any[i] |= dep[i];
    }
    for (int i = 0; i < a->n_comps; i++) {
        if (!any[i])
            continue;
        if (qr_component_fails(&t->comps[i]))
            a->candidates[a->n_candidates++] = i;
        else
            a->never_fail[a->n_never_fail++] = i;
    }
    /* Common events after the components, when a member matters. */
    for (int k = 0; k < n_ev; k++) {
        const qr_ccf_group *grp = &t->ccf[ev[k].group];
        bool matters = false;
        for (int j = 0; j < grp->n_members; j++)
            matters |= (ev[k].mask & (1u << j)) && any[grp->members[j]];
        if (matters)
            a->candidates[a->n_candidates++] = a->n_comps + k;
    }
    ret = 0;

cleanup:
    free(any);
    qr_depgraph_free(g);
    return ret;
}

int qr_analysis_run(const qr_topology *t, const qr_analysis_options *o, qr_analysis *a,
                    char *err, size_t errlen)
{
    sim_structure *s = NULL;
    walker w;
    qr_ccf_event *ev = NULL;
    int n_ev = 0;
    int ret = -1;
    if (qr_topology_is_paired(t)) { /* several pools (M10): cuts_pairing.h */
        memset(a, 0, sizeof(*a));
        qr_err_set(err, errlen, "a design with several pools: its analysis is "
                   "sim_pairing_analyze()'s (cuts_pairing.h), not this one-pool analysis");
        return -1;
    }

    memset(a, 0, sizeof(*a));
    memset(&w, 0, sizeof(w));
    a->n_comps = t->n_comps > 0 ? t->n_comps : 0;
    a->n_features = t->n_features > 0 ? t->n_features : 0;
    a->max_k = o->max_k < 1 ? 1 : o->max_k > QR_ANALYSIS_MAX_K ? QR_ANALYSIS_MAX_K : o->max_k;

    int rc_ev = qr_ccf_events(t, &ev, &n_ev);
    if (rc_ev == -1) {
        qr_err_set(err, errlen, "out of memory");
        goto cleanup;
    }
    if (rc_ev == -2)
        n_ev = 0; /* too many to fail one by one; the exact view says so */
    a->n_ccf_events = n_ev;
    a->ccf_names = calloc((size_t)n_ev + 1, sizeof(char *));
    if (!a->ccf_names) {
        qr_err_set(err, errlen, "out of memory");
        goto cleanup;
    }
    for (int k = 0; k < n_ev; k++) {
        char name[256];
        qr_ccf_event_name(t, &ev[k], name, sizeof(name));
        if (!(a->ccf_names[k] = strdup(name))) {
            qr_err_set(err, errlen, "out of memory");
            goto cleanup;
        }
    }
    if (fill_dependencies(t, a, ev, n_ev, err, errlen) != 0)
        goto cleanup;

    s = sim_structure_new(t);
    w.s = s;
    w.t = t;
    w.ev = ev;
    w.nc = a->n_comps;
    w.nf = a->n_features;
    w.up = malloc((size_t)a->n_comps + 1);
    w.eff = malloc((size_t)a->n_comps + 1);
    w.val = malloc(((size_t)a->n_features + 1) * sizeof(double));
    w.sub = malloc(((size_t)a->n_features + 1) * sizeof(double));
    a->levels = calloc((size_t)a->max_k, sizeof(*a->levels));
    for (int m = 0; m < QR_FAIL_MODES; m++)
        a->baseline[m] = malloc(((size_t)a->n_features + 1) * sizeof(double));
    if (!s || !w.up || !w.eff || !w.val || !w.sub || !a->levels || !a->baseline[0] ||
        !a->baseline[1]) {
        qr_err_set(err, errlen, "out of memory");
        goto cleanup;
    }
    for (int m = 0; m < QR_FAIL_MODES; m++)
        eval_down(&w, NULL, 0, (qr_fail_mode)m, a->baseline[m]);

    for (int k = 1; k <= a->max_k; k++) {
        qr_nk_level *lv = &a->levels[k - 1];
        lv->k = k;
        lv->combinations = binomial(a->n_candidates, k);
        /* k = 1 always: the single points of failure are never skipped. */
        lv->analysed = k == 1 || lv->combinations <= (double)o->max_combinations;
        if (!lv->analysed)
            continue;
        for (int m = 0; m < QR_FAIL_MODES; m++) {
            lv->feat[m] = calloc((size_t)a->n_features + 1, sizeof(qr_cut_count));
            if (!lv->feat[m]) {
                qr_err_set(err, errlen, "out of memory");
                goto cleanup;
            }
        }
        if (run_level(&w, a, lv) != 0) {
            qr_err_set(err, errlen, "out of memory");
            goto cleanup;
        }
    }

    if (o->exact) {
        int rc = sim_exact_importance(t, &a->exact, a->exact_error, sizeof(a->exact_error));
        if (rc == -1) { /* out of memory fails the analysis; a limit does not */
            qr_err_set(err, errlen, "%s", a->exact_error);
            goto cleanup;
        }
        a->have_exact = rc == 0;
    } else {
        snprintf(a->exact_error, sizeof(a->exact_error), "not computed");
    }
    ret = 0;

cleanup:
    free(ev);
    free(w.up);
    free(w.eff);
    free(w.val);
    free(w.sub);
    sim_structure_free(s);
    if (ret != 0)
        qr_analysis_release(a);
    return ret;
}

void qr_analysis_release(qr_analysis *a)
{
    if (!a)
        return;
    free(a->depends);
    free(a->candidates);
    free(a->never_fail);
    for (int m = 0; m < QR_FAIL_MODES; m++)
        free(a->baseline[m]);
    for (int k = 0; a->levels && k < a->max_k; k++)
        for (int m = 0; m < QR_FAIL_MODES; m++) {
            qr_cut_count *fc = a->levels[k].feat[m];
            for (int f = 0; fc && f < a->n_features; f++)
                free(fc[f].minimal);
            free(fc);
        }
    free(a->levels);
    for (int k = 0; a->ccf_names && k < a->n_ccf_events; k++)
        free(a->ccf_names[k]);
    free(a->ccf_names);
    sim_exact_conditionals_release(&a->exact);
    memset(a, 0, sizeof(*a));
}

const char *qr_analysis_name(const qr_analysis *a, const qr_topology *t, int i)
{
    if (i >= a->n_comps && i - a->n_comps < a->n_ccf_events && a->ccf_names)
        return a->ccf_names[i - a->n_comps];
    return qr_topology_comp_name(t, i);
}

const qr_cut_count *qr_analysis_cuts(const qr_analysis *a, int k, qr_fail_mode m, int f)
{
    if (k < 1 || k > a->max_k || f < 0 || f >= a->n_features || (int)m < 0 ||
        m >= QR_FAIL_MODES)
        return NULL;
    const qr_nk_level *lv = &a->levels[k - 1];
    return lv->analysed && lv->feat[m] ? &lv->feat[m][f] : NULL;
}

int qr_analysis_smallest_cut(const qr_analysis *a, qr_fail_mode m, int f)
{
    for (int k = 1; k <= a->max_k; k++) {
        const qr_cut_count *c = qr_analysis_cuts(a, k, m, f);
        if (!c)
            return 0;
        if (c->n_minimal > 0)
            return k;
    }
    return 0;
}

static double cond(const double *rows, const qr_analysis *a, int j, int f)
{
    return rows[(size_t)j * ((size_t)a->n_features + 1) + (size_t)f];
}

static bool importance_ok(const qr_analysis *a, int j, int f)
{
    return a->have_exact && j >= 0 && j < a->exact.n && f >= 0 && f <= a->n_features;
}

double qr_analysis_birnbaum(const qr_analysis *a, int j, int f)
{
    if (!importance_ok(a, j, f))
        return NAN;
    return cond(a->exact.avail_up, a, j, f) - cond(a->exact.avail_down, a, j, f);
}

double qr_analysis_raw(const qr_analysis *a, int j, int f)
{
    if (!importance_ok(a, j, f))
        return NAN;
    double u = 1.0 - a->exact.avail[f];
    if (!(u > 0))
        return NAN;
    return (1.0 - cond(a->exact.avail_down, a, j, f)) / u;
}

double qr_analysis_improvement(const qr_analysis *a, int j, int f)
{
    if (!importance_ok(a, j, f))
        return NAN;
    return cond(a->exact.avail_up, a, j, f) - a->exact.avail[f];
}

/* Importance of j for column f, or summed over the features when f < 0. */
static void score(const qr_analysis *a, int j, int f, double *birnbaum, double *raw)
{
    if (f >= 0) {
        *birnbaum = qr_analysis_birnbaum(a, j, f);
        *raw = qr_analysis_raw(a, j, f);
        return;
    }
    *birnbaum = 0;
    *raw = 0;
    for (int g = 0; g < a->n_features; g++) {
        double b = qr_analysis_birnbaum(a, j, g), r = qr_analysis_raw(a, j, g);
        *birnbaum += isnan(b) ? 0 : b;
        *raw += isnan(r) ? 0 : r;
    }
}

static bool same(double x, double y)
{
    return fabs(x - y) <= 1e-12 * fmax(fabs(x), fabs(y));
}

int qr_analysis_improve_first(const qr_analysis *a, int f, int *ties)
{
    int best = -1;
    double best_b = 0, best_r = 0;
    if (ties)
        *ties = 0;
    if (!a->have_exact || f > a->n_features)
        return -1;
    for (int j = 0; j < a->exact.n; j++) {
        double b, r;
        score(a, j, f, &b, &r);
        if (!(b > 1e-15))
            continue;
        r = isnan(r) ? 0 : r;
        if (best < 0 || (b > best_b && !same(b, best_b)) ||
            (same(b, best_b) && r > best_r && !same(r, best_r))) {
            best = j;
            best_b = b;
            best_r = r;
        }
    }
    if (best >= 0 && ties)
        for (int j = 0; j < a->exact.n; j++) {
            double b, r;
            score(a, j, f, &b, &r);
            r = isnan(r) ? 0 : r;
            if (j != best && same(b, best_b) && same(r, best_r))
                (*ties)++;
        }
    return best;
}
