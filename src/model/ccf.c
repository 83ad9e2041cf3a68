/*
 * ccf.c: probabilities and events of the common-cause models (ccf.h).
 */
#include "model/ccf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *qr_ccf_model_name(qr_ccf_model m)
{
    switch (m) {
    case QR_CCF_BETA: return "beta-factor";
    case QR_CCF_MGL: return "MGL";
    case QR_CCF_ALPHA: return "alpha-factor";
    }
    return "?";
}

int qr_ccf_max_level(const qr_ccf_group *g)
{
    int L;
    switch (g->model) {
    case QR_CCF_BETA: L = g->n_members; break;
    case QR_CCF_MGL: L = g->n_factors + 1; break;
    default: L = g->n_factors; break;
    }
    return L > g->n_members ? g->n_members : L;
}

/* Long-run unavailability MTTR/(MTBF+MTTR) of a component, as M9. */
static double comp_q(const qr_component *c)
{
    if (!qr_component_fails(c) || !(c->repair.mean > 0))
        return 0.0;
    if (isinf(c->repair.mean))
        return 1.0;
    return c->repair.mean / (c->failure.mean + c->repair.mean);
}

double qr_ccf_group_q(const qr_topology *t, int g)
{
    if (g < 0 || g >= t->n_ccf || t->ccf[g].n_members < 1)
        return 0.0;
    int m = t->ccf[g].members[0];
    return m >= 0 && m < t->n_comps ? comp_q(&t->comps[m]) : 0.0;
}

/* C(n, k) as a double (n <= QR_CCF_MAX_MEMBERS: exact). */
static double choose(int n, int k)
{
    if (k < 0 || k > n)
        return 0.0;
    double c = 1.0;
    for (int i = 1; i <= k; i++)
        c = c * (n - k + i) / i;
    return c;
}

void qr_ccf_level_probs(const qr_ccf_group *g, double Q, double *q)
{
    int m = g->n_members;
    for (int k = 0; k <= m; k++)
        q[k] = 0.0;
    if (m < 1)
        return;
    int L = qr_ccf_max_level(g);
    switch (g->model) {
    case QR_CCF_BETA:
        q[1] = (1.0 - g->factor[0]) * Q;
        if (m >= 2)
            q[m] = g->factor[0] * Q;
        return;
    case QR_CCF_MGL:
        /* rho_1 = 1, rho_{k} = factor[k-2]; the last level has no (1 - rho). */
        for (int k = 1; k <= L; k++) {
            double v = 1.0 / choose(m - 1, k - 1);
            for (int j = 2; j <= k; j++)
                v *= g->factor[j - 2];
            if (k < L)
                v *= 1.0 - g->factor[k - 1];
            q[k] = v * Q;
        }
        return;
    case QR_CCF_ALPHA: {
        double at = 0.0;
        for (int k = 1; k <= L; k++)
            at += k * g->factor[k - 1];
        if (!(at > 0))
            return;
        for (int k = 1; k <= L; k++)
            q[k] = k / choose(m - 1, k - 1) * (g->factor[k - 1] / at) * Q;
        return;
    }
    }
}

int qr_ccf_group_of(const qr_topology *t, int comp)
{
    for (int g = 0; g < t->n_ccf; g++)
        for (int j = 0; j < t->ccf[g].n_members; j++)
            if (t->ccf[g].members[j] == comp)
                return g;
    return -1;
}

double qr_ccf_independent_q(const qr_topology *t, int i)
{
    if (i < 0 || i >= t->n_comps)
        return 0.0;
    int g = qr_ccf_group_of(t, i);
    if (g < 0)
        return comp_q(&t->comps[i]);
    double q[QR_CCF_MAX_MEMBERS + 1];
    qr_ccf_level_probs(&t->ccf[g], qr_ccf_group_q(t, g), q);
    return q[1];
}

/* Append the subsets of size k of m members (in lexicographic order of
 * member positions) with probability p. */
static int add_subsets(qr_ccf_event **ev, int *n, int *cap, int group, int m, int k,
                       double p)
{
    int pos[QR_CCF_MAX_MEMBERS];
    for (int i = 0; i < k; i++)
        pos[i] = i;
    for (;;) {
        if (*n >= QR_CCF_MAX_EVENTS)
            return -2;
        if (*n >= *cap) {
            int nc = *cap ? 2 * *cap : 8;
            qr_ccf_event *grown = realloc(*ev, (size_t)nc * sizeof(**ev));
            if (!grown)
                return -1;
            *ev = grown;
            *cap = nc;
        }
        uint32_t mask = 0;
        for (int i = 0; i < k; i++)
            mask |= 1u << pos[i];
        (*ev)[(*n)++] = (qr_ccf_event){ group, mask, k, p };
        int i = k - 1;
        while (i >= 0 && pos[i] == m - k + i)
            i--;
        if (i < 0)
            return 0;
        pos[i]++;
        for (int j = i + 1; j < k; j++)
            pos[j] = pos[j - 1] + 1;
    }
}

int qr_ccf_events(const qr_topology *t, qr_ccf_event **out, int *n)
{
    qr_ccf_event *ev = NULL;
    int cap = 0, count = 0, ret = 0;
    for (int g = 0; g < t->n_ccf && ret == 0; g++) {
        const qr_ccf_group *grp = &t->ccf[g];
        int m = grp->n_members;
        if (m < 2 || m > QR_CCF_MAX_MEMBERS)
            continue;
        double q[QR_CCF_MAX_MEMBERS + 1];
        qr_ccf_level_probs(grp, qr_ccf_group_q(t, g), q);
        for (int k = 2; k <= m && ret == 0; k++)
            if (q[k] > 0)
                ret = add_subsets(&ev, &count, &cap, g, m, k, q[k]);
    }
    if (ret != 0) {
        free(ev);
        ev = NULL;
        count = 0;
    }
    *out = ev;
    *n = count;
    return ret;
}

const char *qr_ccf_event_name(const qr_topology *t, const qr_ccf_event *ev,
                              char *buf, size_t size)
{
    const qr_ccf_group *g = &t->ccf[ev->group];
    int o = snprintf(buf, size, "ccf:%s", g->name);
    if (ev->size == g->n_members || o < 0 || (size_t)o >= size)
        return buf;
    const char *sep = "{";
    for (int j = 0; j < g->n_members && (size_t)o < size; j++)
        if (ev->mask & (1u << j)) {
            o += snprintf(buf + o, size - (size_t)o, "%s%s", sep,
                          qr_topology_comp_name(t, g->members[j]));
            sep = ",";
        }
    if ((size_t)o < size)
        snprintf(buf + o, size - (size_t)o, "}");
    return buf;
}

int qr_ccf_role_members(const qr_topology *t, const char *role, int *out, int max)
{
    int n = 0;
#define PUT(x) do { int x_ = (x); if (x_ >= 0) { if (n < max) out[n] = x_; n++; } } while (0)
    if (strcmp(role, "frontends") == 0) {
        for (int i = 0; i < t->pool.n_frontends; i++)
            PUT(t->pool.frontends[i]);
        return n;
    }
    if (strcmp(role, "backend") == 0) {
        const qr_backend *b = &t->pool.backend;
        switch (b->kind) {
        case QR_BACKEND_STANDALONE: PUT(b->server); break;
        case QR_BACKEND_MIRRORING: PUT(b->principal); PUT(b->mirror); break;
        case QR_BACKEND_ALWAYSON:
            for (int i = 0; i < b->n_replicas; i++)
                PUT(b->replicas[i]);
            break;
        case QR_BACKEND_FCI:
            if (b->cluster >= 0 && b->cluster < t->n_clusters)
                for (int i = 0; i < t->clusters[b->cluster].n_nodes; i++)
                    PUT(t->clusters[b->cluster].nodes[i]);
            break;
        default: break;
        }
        return n;
    }
#undef PUT
    return -1;
}
