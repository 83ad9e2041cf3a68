/*
 * assumption_list.c: the assumptions of one design as its reports list them,
 * and the comparison of those lists across designs (assumption_list.h).
 * Values are written as the topology format writes them
 * (qr_topology_write_duration), so equal text means equal value and the
 * AS001 comparison is a comparison of strings.
 */
#include "model/assumption_list.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ccf.h"
#include "model/topology_write.h"
#include "model/uncertain.h"

/* A duration as the topology format writes it (exact: equal text, equal
 * value), or, for an uncertain value's point value, which is rarely a
 * whole number of a unit, to three digits (qr_duration_text). */
static const char *duration(double seconds, bool rounded, char *buf, size_t size)
{
    return rounded ? qr_duration_text(seconds, buf, size)
                   : qr_topology_write_duration(seconds, buf, size);
}

static void dist_text(const qr_dist *d, bool rounded, char *buf, size_t size)
{
    char mean[48];
    duration(d->mean, rounded, mean, sizeof(mean));
    switch (d->kind) {
    case QR_DIST_EXPONENTIAL:
        snprintf(buf, size, "%s", mean);
        break;
    case QR_DIST_WEIBULL:
    case QR_DIST_LOGNORMAL:
        snprintf(buf, size, "%s (%s, shape %g)", mean, qr_dist_kind_name(d->kind), d->shape);
        break;
    case QR_DIST_FIXED:
        snprintf(buf, size, "%s (fixed)", mean);
        break;
    }
}

static void patch_text(const qr_patch *p, bool rounded, char *buf, size_t size)
{
    if (!p->enabled) {
        snprintf(buf, size, "none");
        return;
    }
    char every[48], reboot[48];
    snprintf(buf, size, "every %s, reboot %s", duration(p->every, rounded, every, sizeof(every)),
             duration(p->reboot, rounded, reboot, sizeof(reboot)));
}

static bool is_switch(qr_setting s)
{
    return s == QR_SET_GRACEFUL_LEAVE || s == QR_SET_PATCH_SKIP ||
           s == QR_SET_VERIFY_AFTER_REBOOT;
}

static void setting_text(double v, qr_setting s, bool rounded, char *buf, size_t size)
{
    if (is_switch(s))
        snprintf(buf, size, "%s", v != 0 ? "true" : "false");
    else if (s == QR_SET_PAIR_PATCH_OFFSET && v == 0)
        snprintf(buf, size, "none"); /* the pools patch on the same nights */
    else
        duration(v, rounded, buf, size);
}

/* Does any component of `kind` take a part of `parts` from its kind? */
static bool kind_used(const qr_topology *t, qr_comp_kind kind, unsigned parts)
{
    for (int i = 0; i < t->n_comps; i++)
        if (t->comps[i].kind == kind && (t->comps[i].own & parts) != parts)
            return true;
    return false;
}

static bool any_patched(const qr_topology *t)
{
    for (int i = 0; i < t->n_comps; i++)
        if (t->comps[i].kind == QR_COMP_SERVER && t->comps[i].patch.enabled)
            return true;
    return false;
}

/* Is setting s used by the behaviour model for pool p of t
 * (docs/assumptions.md)? */
static bool setting_applies_to(const qr_topology *t, const qr_pool *p, qr_setting s)
{
    qr_backend_kind be = p->backend.kind;
    qr_file_store_kind fs = p->file_store.kind;
    switch (s) {
    case QR_SET_SQL_FAILOVER_AFTER: return be == QR_BACKEND_MIRRORING;          /* M3.4 */
    case QR_SET_BACKEND_RESYNC: return be == QR_BACKEND_MIRRORING;              /* M3.3 */
    case QR_SET_BACKEND_FAILOVER:                                               /* M3.3, M4.6 */
        return be == QR_BACKEND_MIRRORING || be == QR_BACKEND_ALWAYSON || be == QR_BACKEND_FCI;
    case QR_SET_FILE_STORE_FAILOVER:                                            /* M5.1 */
        return fs == QR_FILE_STORE_DFS || fs == QR_FILE_STORE_CLUSTER;
    case QR_SET_FORCE_QUORUM_AFTER:                                             /* M4.5 */
    case QR_SET_QUORUM_ADJUST_DELAY:                                            /* M4.2 */
        return t->n_clusters > 0;
    case QR_SET_PATCH_GAP:                                                      /* M7.1 */
    case QR_SET_PATCH_SKIP:                                                     /* M7.2 */
        return any_patched(t);
    case QR_SET_HEALTH_AUDIT:                                                   /* M7.4 */
    case QR_SET_VERIFY_AFTER_REBOOT:                                            /* M7.5 */
        return t->n_latent > 0;
    case QR_SET_PAIR_BACKUP_LAG:                                                /* M10 */
    case QR_SET_PAIR_REGISTRAR_FAILOVER:
    case QR_SET_PAIR_FAILOVER_AFTER:
    case QR_SET_PAIR_FAILOVER_TIME:
    case QR_SET_PAIR_CMS_FAILOVER_TIME:
    case QR_SET_PAIR_FAILBACK_AFTER:
    case QR_SET_PAIR_FAILBACK_TIME:
        return t->n_pools > 0;
    case QR_SET_PAIR_PATCH_OFFSET:                                              /* M7.1, M10 */
        return t->n_pools > 1 && any_patched(t);
    default:
        return true;
    }
}

/* The same for the design: with several pools (M10), when any pool uses it. */
static bool setting_applies(const qr_topology *t, qr_setting s)
{
    if (t->n_pools == 0)
        return setting_applies_to(t, &t->pool, s);
    for (int i = 0; i < t->n_pools; i++)
        if (setting_applies_to(t, &t->pools[i].pool, s))
            return true;
    return false;
}

/* The cluster delay: one value, or each cluster's when they differ. */
static void cluster_delay(const qr_topology *t, qr_assumption_row *r)
{
    r->from = t->setting_given[QR_SET_QUORUM_ADJUST_DELAY].from;
    r->loc = t->setting_given[QR_SET_QUORUM_ADJUST_DELAY].loc;
    setting_text(qr_setting_value(t, QR_SET_QUORUM_ADJUST_DELAY), QR_SET_QUORUM_ADJUST_DELAY,
                 r->uncertain[0] != '\0', r->value, sizeof(r->value));
    bool same = true;
    for (int i = 0; i < t->n_clusters; i++) {
        const qr_cluster *cl = &t->clusters[i];
        if (i == 0 || cl->quorum_adjust_delay_given.from > r->from) {
            r->from = cl->quorum_adjust_delay_given.from;
            r->loc = cl->quorum_adjust_delay_given.loc;
        }
        same &= cl->quorum_adjust_delay == t->clusters[0].quorum_adjust_delay;
    }
    if (same)
        return;
    size_t o = 0;
    r->value[0] = '\0';
    for (int i = 0; i < t->n_clusters && o < sizeof(r->value); i++) {
        char d[48];
        duration(t->clusters[i].quorum_adjust_delay, r->uncertain[0] != '\0', d, sizeof(d));
        int w = snprintf(r->value + o, sizeof(r->value) - o, "%s%s (%s)", i ? ", " : "", d,
                         t->clusters[i].name);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

/* printf into buf at *o, moving *o; stops quietly at the end of buf. */
static void append(char *buf, size_t size, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The uncertain values of a that item i stands for, in words, into
 * r->uncertain, when the design runs with the file's value of it. */
static void uncertain_text(const qr_topology *t, const qr_assumptions *a, int i,
                           qr_assumption_row *r)
{
    const qr_assumption_item *it = qr_assumption_item_at(i);
    size_t o = 0;
    r->uncertain[0] = '\0';
    for (int k = 0; a && k < a->n_uncertain; k++) {
        const qr_uncertain *u = &a->uncertain[k];
        if (u->item != i)
            continue;
        /* Used only where the design takes the file's value. */
        qr_origin from = it->type == QR_ITEM_SETTING ? t->setting_given[it->setting].from
                                                     : t->kinds[it->kind].given[u->part].from;
        if (it->type == QR_ITEM_SETTING && it->setting == QR_SET_QUORUM_ADJUST_DELAY)
            from = QR_FROM_ASSUMPTIONS; /* each cluster's own value is a design choice */
        if (from != QR_FROM_ASSUMPTIONS)
            continue;
        char text[96];
        qr_uncertain_text(u, text, sizeof(text));
        if (u->part == QR_PART_PATCH_EVERY || u->part == QR_PART_PATCH_REBOOT)
            append(r->uncertain, sizeof(r->uncertain), &o, "%s%s: %s", o ? "; " : "",
                   u->part == QR_PART_PATCH_EVERY ? "every" : "reboot", text);
        else
            append(r->uncertain, sizeof(r->uncertain), &o, "%s%s", o ? "; " : "", text);
    }
}

static int make_row(const qr_topology *t, const qr_assumptions *a, bool static_view, int i,
                    qr_assumption_row *r)
{
    const qr_assumption_item *it = qr_assumption_item_at(i);
    uncertain_text(t, a, i, r);
    bool rounded = r->uncertain[0] != '\0';
    if (it->type == QR_ITEM_SETTING) {
        qr_setting s = (qr_setting)it->setting;
        r->applies = !static_view && setting_applies(t, s);
        if (s == QR_SET_QUORUM_ADJUST_DELAY) {
            cluster_delay(t, r);
        } else {
            r->from = t->setting_given[s].from;
            r->loc = t->setting_given[s].loc;
            setting_text(qr_setting_value(t, s), s, rounded, r->value, sizeof(r->value));
        }
    } else {
        const qr_kind_figures *kf = &t->kinds[it->kind];
        unsigned parts = qr_assumption_item_parts(it);
        r->applies = kind_used(t, (qr_comp_kind)it->kind, parts) &&
                     (!static_view || it->type != QR_ITEM_PATCH);
        /* The highest layer that gave a part, at its first such part. */
        r->from = QR_FROM_BUILTIN;
        for (int p = 0; p < QR_PART_COUNT; p++)
            if ((parts & QR_PART_BIT(p)) && kf->given[p].from > r->from) {
                r->from = kf->given[p].from;
                r->loc = kf->given[p].loc;
            }
        if (it->type == QR_ITEM_FAILURE)
            dist_text(&kf->failure, rounded, r->value, sizeof(r->value));
        else if (it->type == QR_ITEM_REPAIR)
            dist_text(&kf->repair, rounded, r->value, sizeof(r->value));
        else
            patch_text(&kf->patch, rounded, r->value, sizeof(r->value));
    }
    const char *src = "assumption";
    if (r->from == QR_FROM_BUILTIN)
        src = it->source;
    else if (r->from == QR_FROM_ASSUMPTIONS && a && a->source[i])
        src = a->source[i];
    r->source = strdup(src);
    return r->source ? 0 : -1;
}

static void append(char *buf, size_t size, size_t *o, const char *fmt, ...)
{
    if (*o >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *o, size - *o, fmt, ap);
    va_end(ap);
    if (w > 0)
        *o = *o + (size_t)w < size ? *o + (size_t)w : size;
}

/* The design choice of component c (its own parts), "" when none. */
static void choice_text(const qr_component *c, bool static_view, char *buf, size_t size)
{
    size_t o = 0;
    char v[96];
    buf[0] = '\0';
    if (c->own & QR_PARTS_FAILURE) {
        dist_text(&c->failure, false, v, sizeof(v));
        append(buf, size, &o, "mtbf %s", v);
    }
    if (c->own & QR_PARTS_REPAIR) {
        dist_text(&c->repair, false, v, sizeof(v));
        append(buf, size, &o, "%smttr %s", o ? ", " : "", v);
    }
    if (!static_view && c->kind == QR_COMP_SERVER && (c->own & QR_PARTS_PATCH)) {
        patch_text(&c->patch, false, v, sizeof(v));
        append(buf, size, &o, "%spatch %s", o ? ", " : "", v);
    }
}

/* One common-cause group in words (docs/assumptions.md, "In every
 * report"); NULL when out of memory. */
static char *ccf_text(const qr_topology *t, const qr_assumptions *a, const qr_ccf_group *g)
{
    static const char *const greek[] = { "beta", "gamma", "delta" };
    char buf[1024];
    size_t o = 0;
#define ADD(...)                                                                  \
    (o += (size_t)snprintf(buf + o, o < sizeof(buf) ? sizeof(buf) - o : 0, __VA_ARGS__))
    ADD("%s: %s", g->name, qr_ccf_model_name(g->model));
    for (int k = 0; k < g->n_factors && o < sizeof(buf); k++) {
        if (g->model == QR_CCF_ALPHA)
            ADD("%s%.4g%%", k ? ", " : ", alpha ", 100 * g->factor[k]);
        else if (k < 3)
            ADD(", %s %.4g%%", greek[k], 100 * g->factor[k]);
    }
    ADD(", members");
    for (int j = 0; j < g->n_members && o < sizeof(buf); j++)
        ADD(" %s", qr_topology_comp_name(t, g->members[j]));
    if (g->role && o < sizeof(buf) && qr_topology_is_paired(t))
        ADD(" (%s, in each pool: its own)", g->role); /* M10: resolved per pool */
    else if (g->role && o < sizeof(buf))
        ADD(" (%s)", g->role);
    if (o < sizeof(buf)) {
        if (g->from == QR_FROM_ASSUMPTIONS)
            ADD("; assumptions file, line %d: %s", g->loc.line,
                g->source ? g->source : "assumption");
        else
            ADD("; design, line %d%s%s", g->loc.line, g->source ? ": " : "",
                g->source ? g->source : "");
    }
    /* A factor the file gives as a range runs at its median (docs/sensitivity.md). */
    for (int k = 0; a && g->from == QR_FROM_ASSUMPTIONS && k < a->n_uncertain; k++) {
        const qr_uncertain *u = &a->uncertain[k];
        if (u->target != QR_UNC_TARGET_CCF || u->index < 0 || u->index >= a->n_ccf ||
            strcmp(a->ccf[u->index].name, g->name) != 0 || o >= sizeof(buf))
            continue;
        char text[96];
        const char *dot = strrchr(u->key, '.');
        ADD("; uncertain: %s %s, the value is its median", dot ? dot + 1 : u->key,
            qr_uncertain_text(u, text, sizeof(text)));
    }
#undef ADD
    return strdup(buf);
}

int qr_assumption_list_make(const qr_topology *t, const qr_assumptions *a, bool static_view,
                            qr_assumption_list *out)
{
    memset(out, 0, sizeof(*out));
    out->static_view = static_view;
    if (!(out->file = strdup(t->file ? t->file : "")))
        goto oom;
    if (a && a->file && !(out->assume_file = strdup(a->file)))
        goto oom;
    if (a && a->name && !(out->assume_name = strdup(a->name)))
        goto oom;
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++)
        if (make_row(t, a, static_view, i, &out->rows[i]) != 0)
            goto oom;
    if (t->n_comps > 0 && !(out->choices = calloc((size_t)t->n_comps, sizeof(*out->choices))))
        goto oom;
    for (int i = 0; i < t->n_comps; i++) {
        const qr_component *c = &t->comps[i];
        qr_design_choice *d = &out->choices[out->n_choices];
        choice_text(c, static_view, d->value, sizeof(d->value));
        if (!d->value[0])
            continue;
        if (!(d->name = strdup(c->name)))
            goto oom;
        d->kind = c->kind;
        d->loc = c->loc;
        out->n_choices++;
    }
    if (t->n_ccf > 0 &&
        !(out->common_causes = calloc((size_t)t->n_ccf, sizeof(*out->common_causes))))
        goto oom;
    for (int g = 0; g < t->n_ccf; g++) {
        if (!(out->common_causes[g] = ccf_text(t, a, &t->ccf[g])))
            goto oom;
        out->n_common_causes++;
    }
    return 0;
oom:
    qr_assumption_list_release(out);
    return -1;
}

void qr_assumption_list_release(qr_assumption_list *l)
{
    if (!l)
        return;
    free(l->file);
    free(l->assume_file);
    free(l->assume_name);
    for (int i = 0; i < QR_ASSUMPTION_ITEM_COUNT; i++)
        free(l->rows[i].source);
    for (int i = 0; i < l->n_choices; i++)
        free(l->choices[i].name);
    free(l->choices);
    for (int i = 0; i < l->n_common_causes; i++)
        free(l->common_causes[i]);
    free(l->common_causes);
    memset(l, 0, sizeof(*l));
}

bool qr_assumption_lists_differ(const qr_assumption_list *lists, int n, int item)
{
    const char *first = NULL;
    for (int k = 0; k < n; k++) {
        const qr_assumption_row *r = &lists[k].rows[item];
        if (!r->applies)
            continue;
        if (!first)
            first = r->value;
        else if (strcmp(first, r->value) != 0)
            return true;
    }
    return false;
}

int qr_assumption_mismatch_origin(const qr_assumption_list *lists, int n, int item)
{
    for (int k = 0; k < n; k++) {
        const qr_assumption_row *r = &lists[k].rows[item];
        if (r->applies && r->from == QR_FROM_DESIGN)
            return k;
    }
    return -1;
}

char *qr_assumption_values_text(const qr_assumption_list *lists, const char *const *labels,
                                int n, int item)
{
    size_t cap = 64;
    for (int k = 0; k < n; k++)
        cap += strlen(labels[k]) + sizeof(lists[k].rows[item].value) + 32;
    char *buf = malloc(cap), *done = calloc((size_t)n + 1, 1);
    if (!buf || !done) {
        free(buf);
        free(done);
        return NULL;
    }
    size_t o = 0;
    buf[0] = '\0';
    /* Each value in order of first appearance; within it, each origin in
     * order of first appearance with its designs. */
    for (int k = 0; k < n; k++) {
        const qr_assumption_row *r = &lists[k].rows[item];
        if (!r->applies || done[k])
            continue;
        append(buf, cap, &o, "%s%s in ", o ? "; " : "", r->value);
        bool first_origin = true;
        for (int g = k; g < n; g++) {
            const qr_assumption_row *q = &lists[g].rows[item];
            if (!q->applies || done[g] || strcmp(q->value, r->value) != 0)
                continue;
            append(buf, cap, &o, "%s", first_origin ? "" : ", ");
            first_origin = false;
            bool first = true;
            for (int j = g; j < n; j++) {
                const qr_assumption_row *x = &lists[j].rows[item];
                if (!x->applies || done[j] || strcmp(x->value, r->value) != 0 || x->from != q->from)
                    continue;
                done[j] = 1;
                append(buf, cap, &o, "%s%s", first ? "" : ", ", labels[j]);
                first = false;
            }
            append(buf, cap, &o, " (%s)", qr_origin_name(q->from));
        }
    }
    free(done);
    return buf;
}
