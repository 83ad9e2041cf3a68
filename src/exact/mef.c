/*
 * mef.c: the M9 structure function as fault trees, and their Open-PSA MEF
 * XML (src/exact/mef.h, docs/export.md).
 *
 * The logic is written in failure form: every node is true when the thing
 * it names is down. The rules of src/exact/structure.c turn into gates as
 * follows (each rule is derived in docs/export.md):
 *   containment (M0.2): X lost = OR(X down, its host down, its sites down);
 *   pool (M1.2): counted votes V = seeds (+1, the Back End vote, when the
 *     seed count is even), always odd; lost = atleast((V+1)/2) of the votes
 *     absent;
 *   routing-group set (M2.2): R = 3: atleast 2 of its 3 front ends lost;
 *     R = 2: atleast 2 of {both front ends lost, back end down}; R = 1: its
 *     front end lost;
 *   back end: standalone / external: its component lost; mirroring with a
 *     witness: atleast 2 of {principal, mirror, witness} lost (which covers
 *     "at least one partner up"); without: both partners lost; AlwaysOn:
 *     OR(cluster down, AND(every replica lost)); FCI: OR(cluster down, disk
 *     lost, AND(every node lost));
 *   cluster (M4, M9): V configured votes (node weights, plus the witness
 *     when the voting-node count is even); down = atleast((V+1)/2) absent;
 *   file store: share: its server lost; DFS: AND(every replica lost);
 *   cluster: as FCI;
 *   feature (M6): OR of what it needs; with a routing-group need one top
 *     per distinct replica set, OR(needs, set not writable).
 * Builders fold constants as they go (mk_gate), and every service gate is
 * built once, on first use, and shared by the features that need it.
 *
 * Out of memory while building sets a flag in the builder and yields a
 * constant; qr_mef_build() checks the flag once at the end.
 */
#include "exact/mef.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "model/placement.h"
#include "model/pool_view.h"

/* Containers of one component: host, the host's site, own site, and one
 * spare level, as src/exact/structure.c. */
#define MAX_ANC 4

static const qr_mef_ref REF_FALSE = { QR_MEF_CONST, 0 };
static const qr_mef_ref REF_TRUE = { QR_MEF_CONST, 1 };

static int is_const(qr_mef_ref r, int value)
{
    return r.kind == QR_MEF_CONST && r.index == value;
}

/* ---- the builder ---- */

typedef struct {
    qr_mef_model      *m;
    const qr_topology *t;
    int                oom;
    int                cap_events, cap_gates, cap_tops;
    int               *event_of;   /* per component: event, -1 none yet   */
    qr_mef_ref        *lost;       /* per component: memo of "X lost"     */
    unsigned char     *lost_done;
    int                pool_done, be_done, fs_done;
    qr_mef_ref         pool, be, fs;
    int               *cluster_done;
    qr_mef_ref        *cluster;
    /* distinct routing-group replica sets (front-end indices) */
    int                groups, r, n_sets;
    int               *set_fe;     /* n_sets * r                           */
    int               *set_count;
    qr_mef_ref        *set_ref;
    unsigned char     *set_done;
    /* a paired design (qr_mef_build_pairing): b->t is one pool's view */
    int               *shared_ev;  /* per component of the design: event  */
    const int         *to_t;       /* view component -> design component  */
    const char        *prefix;     /* the pool's name, for gate names     */
} builder;

static void *grow(builder *b, void *p, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return p;
    int n = *cap > 0 ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(p, (size_t)n * size);
    if (!q) {
        b->oom = 1;
        return NULL;
    }
    *cap = n;
    return q;
}

static char *dup_printf(builder *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *dup_printf(builder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (!s) {
        b->oom = 1;
        return NULL;
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* A MEF identifier from any text: letters, digits and '_' kept, anything
 * else becomes '_' (no '.', no "--": the schema's Identifier), and a
 * leading digit gets a '_' in front (an NCName starts with a letter or
 * '_'). Written into buf (size >= 2). */
static void sanitize(const char *in, char *buf, size_t size)
{
    size_t n = 0;
    if (in && isdigit((unsigned char)in[0]) && n + 1 < size)
        buf[n++] = '_';
    for (const char *p = in ? in : ""; *p && n + 1 < size; p++)
        buf[n++] = isalnum((unsigned char)*p) ? *p : '_';
    if (n == 0)
        buf[n++] = '_';
    buf[n] = '\0';
}

static int name_taken(const qr_mef_model *m, const char *name)
{
    for (int i = 0; i < m->n_events; i++)
        if (m->events[i].name && strcmp(m->events[i].name, name) == 0)
            return 1;
    for (int i = 0; i < m->n_gates; i++)
        if (m->gates[i].name && strcmp(m->gates[i].name, name) == 0)
            return 1;
    for (int i = 0; i < m->n_tops; i++)
        if (m->tops[i].name && strcmp(m->tops[i].name, name) == 0)
            return 1;
    for (int i = 0; i < m->n_trees; i++)
        if (m->trees[i].name && strcmp(m->trees[i].name, name) == 0)
            return 1;
    return 0;
}

/* A new identifier, unique in the model, from base (sanitized): base, or
 * base_2, base_3, ... */
static char *unique_name(builder *b, const char *base)
{
    char clean[200];
    sanitize(base, clean, sizeof(clean));
    if (!name_taken(b->m, clean))
        return dup_printf(b, "%s", clean);
    for (int k = 2;; k++) {
        char cand[220];
        snprintf(cand, sizeof(cand), "%s_%d", clean, k);
        if (!name_taken(b->m, cand))
            return dup_printf(b, "%s", cand);
    }
}

/* P(down) of a component, MTTR/(MTBF+MTTR) as src/exact/exact.c computes it; 0
 * when it never fails, 1 when it is never repaired. */
static double down_prob(const qr_component *c)
{
    if (!qr_component_fails(c))
        return 0.0;
    double f = c->failure.mean, r = c->repair.mean;
    if (!(r > 0))
        return 0.0;
    if (isinf(r))
        return 1.0;
    return r / (f + r);
}

static int comp_ok(const builder *b, int i)
{
    return i >= 0 && i < b->t->n_comps;
}

/* The basic event "component i is down by itself": TRUE when i does not
 * exist, FALSE when it never fails. */
static qr_mef_ref event_ref(builder *b, int i)
{
    if (!comp_ok(b, i))
        return REF_TRUE;
    /* In a paired design one event per component of the design, shared by
     * the pools' views (a shared site is one basic event). */
    int *slot = b->shared_ev && b->to_t ? &b->shared_ev[b->to_t[i]] : &b->event_of[i];
    if (*slot >= 0)
        return (qr_mef_ref){ QR_MEF_EVENT, *slot };
    double p = down_prob(&b->t->comps[i]);
    if (!(p > 0))
        return REF_FALSE;
    qr_mef_model *m = b->m;
    qr_mef_event *e = grow(b, m->events, &b->cap_events, m->n_events + 1, sizeof(*e));
    if (!e)
        return REF_FALSE;
    m->events = e;
    e = &m->events[m->n_events];
    const qr_component *c = &b->t->comps[i];
    e->comp = b->to_t ? b->to_t[i] : i;
    e->p = p;
    e->name = unique_name(b, c->name);
    e->label = dup_printf(b, "%s (%s) down: MTTR/(MTBF+MTTR), MTBF %.6g s, MTTR %.6g s",
                          c->name, qr_comp_kind_name(c->kind), c->failure.mean,
                          c->repair.mean);
    m->n_events++;   /* counted even on failure, so free() sees it */
    if (!e->name || !e->label)
        return REF_FALSE;
    *slot = m->n_events - 1;
    return (qr_mef_ref){ QR_MEF_EVENT, m->n_events - 1 };
}

/* A gate over args[0..n-1] with constants folded: AND drops TRUE and is
 * FALSE with a FALSE; OR the reverse; ATLEAST k drops FALSE, counts a
 * TRUE as one of the k, and becomes OR at k = 1 and AND at k = n. What is
 * left with fewer than two arguments is returned as it is (no gate). The
 * name and label (printf-style, after `label_fmt`) are used only when a
 * gate is created. args is modified. */
static qr_mef_ref mk_gate(builder *b, qr_mef_op op, int k, qr_mef_ref *args,
                          int n, const char *name, const char *label_fmt, ...)
    __attribute__((format(printf, 7, 8)));

static qr_mef_ref mk_gate(builder *b, qr_mef_op op, int k, qr_mef_ref *args,
                          int n, const char *name, const char *label_fmt, ...)
{
    int kept = 0, trues = 0;
    for (int i = 0; i < n; i++) {
        if (is_const(args[i], 1))
            trues++;
        else if (!is_const(args[i], 0))
            args[kept++] = args[i];
    }
    int falses = n - kept - trues;
    if (op == QR_MEF_AND) {
        if (falses > 0)
            return REF_FALSE;
        k = kept;
    } else if (op == QR_MEF_OR) {
        if (trues > 0)
            return REF_TRUE;
        k = 1;
    } else {
        k -= trues;
    }
    if (k <= 0)
        return REF_TRUE;
    if (k > kept)
        return REF_FALSE;
    if (kept == 1)
        return args[0];
    op = k == 1 ? QR_MEF_OR : k == kept ? QR_MEF_AND : QR_MEF_ATLEAST;

    qr_mef_model *m = b->m;
    qr_mef_gate *g = grow(b, m->gates, &b->cap_gates, m->n_gates + 1, sizeof(*g));
    if (!g)
        return REF_FALSE;
    m->gates = g;
    g = &m->gates[m->n_gates];
    memset(g, 0, sizeof(*g));
    g->op = op;
    g->min = k;
    g->n_args = kept;
    g->args = malloc((size_t)kept * sizeof(*g->args));
    char prefixed[300];
    snprintf(prefixed, sizeof(prefixed), "%s%s%s", b->prefix ? b->prefix : "",
             b->prefix ? "_" : "", name);
    g->name = unique_name(b, prefixed);
    va_list ap;
    va_start(ap, label_fmt);
    char label[512];
    vsnprintf(label, sizeof(label), label_fmt, ap);
    va_end(ap);
    g->label = dup_printf(b, "%s%s%s", b->prefix ? b->prefix : "", b->prefix ? ": " : "",
                          label);
    m->n_gates++;   /* counted even on failure, so free() sees it */
    if (!g->args || !g->name || !g->label) {
        b->oom = 1;
        return REF_FALSE;
    }
    memcpy(g->args, args, (size_t)kept * sizeof(*args));
    return (qr_mef_ref){ QR_MEF_GATE, m->n_gates - 1 };
}

/* Component i lost (M0.2): it or one of its containers down. Containers
 * are found as src/exact/structure.c finds them, breadth first over host and
 * site links, at most MAX_ANC. */
static qr_mef_ref lost_ref(builder *b, int i)
{
    if (!comp_ok(b, i))
        return REF_TRUE;
    if (b->lost_done[i])
        return b->lost[i];
    const qr_topology *t = b->t;
    int anc[MAX_ANC], n_anc = 0;
    int todo[2 * MAX_ANC + 2], nt = 0, head = 0;
    todo[nt++] = t->comps[i].host;
    todo[nt++] = t->comps[i].site;
    while (head < nt && n_anc < MAX_ANC) {
        int c = todo[head++];
        if (!comp_ok(b, c) || c == i)
            continue;
        int seen = 0;
        for (int k = 0; k < n_anc; k++)
            seen |= anc[k] == c;
        if (seen)
            continue;
        anc[n_anc++] = c;
        if (nt + 2 <= (int)(sizeof(todo) / sizeof(todo[0]))) {
            todo[nt++] = t->comps[c].host;
            todo[nt++] = t->comps[c].site;
        }
    }
    qr_mef_ref args[MAX_ANC + 1];
    args[0] = event_ref(b, i);
    for (int k = 0; k < n_anc; k++)
        args[k + 1] = event_ref(b, anc[k]);
    char name[160];
    snprintf(name, sizeof(name), "%s_lost", t->comps[i].name);
    b->lost[i] = mk_gate(b, QR_MEF_OR, 1, args, n_anc + 1, name,
                         "%s lost (M0.2): it or a container (host, site) is down",
                         t->comps[i].name);
    b->lost_done[i] = 1;
    return b->lost[i];
}

/* Cluster c down (M4.1, M9): at least ceil(V/2) of its V configured votes
 * absent; the witness votes iff the voting-node count is even. */
static qr_mef_ref cluster_ref(builder *b, int c)
{
    const qr_topology *t = b->t;
    if (c < 0 || c >= t->n_clusters)
        return REF_TRUE;
    if (b->cluster_done[c])
        return b->cluster[c];
    const qr_cluster *qc = &t->clusters[c];
    int n = qc->n_nodes > 0 ? qc->n_nodes : 0;
    qr_mef_ref *args = malloc(((size_t)n + 1) * sizeof(*args));
    if (!args) {
        b->oom = 1;
        return REF_FALSE;
    }
    int votes = 0;
    for (int j = 0; j < n; j++)
        if (!qc->weight || qc->weight[j] != 0)
            args[votes++] = lost_ref(b, qc->nodes[j]);
    int witness_votes = qc->witness_kind != QR_WITNESS_NONE && votes % 2 == 0;
    if (witness_votes)
        args[votes++] = lost_ref(b, qc->witness);
    char name[160];
    snprintf(name, sizeof(name), "cluster_%s_down", qc->name);
    b->cluster[c] = mk_gate(b, QR_MEF_ATLEAST, (votes + 1) / 2, args, votes, name,
                            "failover cluster %s without quorum (M4.1, M9): at least %d "
                            "of its %d votes absent%s",
                            qc->name, (votes + 1) / 2, votes,
                            witness_votes ? " (the witness votes)" : "");
    free(args);
    b->cluster_done[c] = 1;
    return b->cluster[c];
}

/* Every one of n components lost (AND); TRUE for an empty list. */
static qr_mef_ref all_lost(builder *b, const int *comps, int n, const char *name,
                           const char *what)
{
    qr_mef_ref *args = malloc(((size_t)n + 1) * sizeof(*args));
    if (!args) {
        b->oom = 1;
        return REF_FALSE;
    }
    for (int j = 0; j < n; j++)
        args[j] = lost_ref(b, comps[j]);
    qr_mef_ref r = mk_gate(b, QR_MEF_AND, n, args, n, name, "every %s lost", what);
    free(args);
    return r;
}

/* A cluster role on a shared disk (FCI M4.7, file-share cluster M5.1):
 * down when the cluster is down, the disk is lost, or every node is lost. */
static qr_mef_ref clustered_role(builder *b, int c, int storage,
                                 const char *name, const char *what)
{
    qr_mef_ref args[3];
    args[0] = cluster_ref(b, c);
    args[1] = lost_ref(b, storage);
    if (c >= 0 && c < b->t->n_clusters) {
        const qr_cluster *qc = &b->t->clusters[c];
        char nn[160];
        snprintf(nn, sizeof(nn), "cluster_%s_no_node", qc->name);
        args[2] = all_lost(b, qc->nodes, qc->n_nodes > 0 ? qc->n_nodes : 0, nn,
                           "node of the cluster");
    } else {
        args[2] = REF_TRUE;
    }
    return mk_gate(b, QR_MEF_OR, 1, args, 3, name,
                   "%s down: its cluster without quorum, its disk lost, or no node up",
                   what);
}

/* Back end not serving (M3, M4.6, M4.7 static rules). */
static qr_mef_ref backend_ref(builder *b)
{
    if (b->be_done)
        return b->be;
    const qr_backend *be = &b->t->pool.backend;
    qr_mef_ref r = REF_TRUE, args[3];
    switch (be->kind) {
    case QR_BACKEND_STANDALONE:
        r = lost_ref(b, be->server);
        break;
    case QR_BACKEND_EXTERNAL:
        r = lost_ref(b, be->external);
        break;
    case QR_BACKEND_MIRRORING:
        args[0] = lost_ref(b, be->principal);
        args[1] = lost_ref(b, be->mirror);
        if (comp_ok(b, be->witness)) {
            args[2] = lost_ref(b, be->witness);
            r = mk_gate(b, QR_MEF_ATLEAST, 2, args, 3, "backend_down",
                        "SQL mirroring not serving (M9): at least 2 of principal, "
                        "mirror and witness lost");
        } else {
            r = mk_gate(b, QR_MEF_AND, 2, args, 2, "backend_down",
                        "SQL mirroring without witness not serving (M9): both "
                        "partners lost");
        }
        break;
    case QR_BACKEND_ALWAYSON:
        args[0] = cluster_ref(b, be->cluster);
        args[1] = all_lost(b, be->replicas, be->replicas ? be->n_replicas : 0,
                           "backend_no_replica", "availability-group replica");
        r = mk_gate(b, QR_MEF_OR, 1, args, 2, "backend_down",
                    "availability group not serving (M4.6): cluster without quorum "
                    "or no replica's node up");
        break;
    case QR_BACKEND_FCI:
        r = clustered_role(b, be->cluster, be->storage, "backend_down",
                           "SQL failover cluster instance (M4.7)");
        break;
    }
    b->be = r;
    b->be_done = 1;
    return r;
}

/* File store down (M5). */
static qr_mef_ref file_store_ref(builder *b)
{
    if (b->fs_done)
        return b->fs;
    const qr_file_store *f = &b->t->pool.file_store;
    qr_mef_ref r = REF_TRUE;
    switch (f->kind) {
    case QR_FILE_STORE_SHARE:
        r = lost_ref(b, f->server);
        break;
    case QR_FILE_STORE_DFS:
        r = all_lost(b, f->replicas, f->replicas ? f->n_replicas : 0,
                     "file_store_down", "DFS replica (M5.1)");
        break;
    case QR_FILE_STORE_CLUSTER:
        r = clustered_role(b, f->cluster, f->storage, "file_store_down",
                           "file-share cluster (M5.1)");
        break;
    }
    b->fs = r;
    b->fs_done = 1;
    return r;
}

/* Pool quorum lost (M1.2): at least (V+1)/2 of the V counted votes absent,
 * V = seeds, plus the Back End vote when the seed count is even. */
static qr_mef_ref pool_ref(builder *b)
{
    if (b->pool_done)
        return b->pool;
    const qr_pool *p = &b->t->pool;
    int n_fe = p->n_frontends > 0 && p->frontends ? p->n_frontends : 0;
    int seeds = qr_pool_seed_count(p->version, n_fe);
    if (seeds > n_fe)
        seeds = n_fe;
    qr_mef_ref *args = malloc(((size_t)seeds + 1) * sizeof(*args));
    if (!args) {
        b->oom = 1;
        return REF_FALSE;
    }
    int votes = 0;
    for (int i = 0; i < seeds; i++)
        args[votes++] = lost_ref(b, p->frontends[i]);
    int be_votes = seeds % 2 == 0 && qr_pool_backend_votes(b->t);
    if (be_votes)
        args[votes++] = backend_ref(b);
    b->pool = mk_gate(b, QR_MEF_ATLEAST, (votes + 1) / 2, args, votes, "pool_down",
                      "pool quorum lost (M1.2): at least %d of %d votes absent (%d "
                      "seed front ends%s)",
                      (votes + 1) / 2, votes, seeds,
                      be_votes ? " and the Back End vote" : "");
    free(args);
    b->pool_done = 1;
    return b->pool;
}

/* The distinct replica sets of the M2.1 placement, with how many groups
 * hold each (as src/exact/structure.c reduces them). */
static int fill_sets(builder *b)
{
    sim_placement pl;
    sim_replica_sets rs;
    int ret = -1;
    if (sim_placement_init(&pl, b->t) != 0)
        return -1;
    b->groups = pl.groups;
    b->r = pl.r;
    if (sim_replica_sets_init(&rs, &pl) != 0)
        goto cleanup;
    if (rs.n_sets == 0) {
        ret = 0;
        goto cleanup;
    }
    b->set_ref = calloc((size_t)rs.n_sets, sizeof(*b->set_ref));
    b->set_done = calloc((size_t)rs.n_sets, 1);
    if (!b->set_ref || !b->set_done)
        goto cleanup;
    b->set_fe = rs.fe; /* taken over */
    b->set_count = rs.count;
    b->n_sets = rs.n_sets;
    rs.fe = rs.count = NULL;
    ret = 0;
cleanup:
    sim_replica_sets_release(&rs);
    sim_placement_release(&pl);
    return ret;
}

/* Front-end component of pool front-end index i (-1 when absent). */
static int fe_comp(const builder *b, int i)
{
    const qr_pool *p = &b->t->pool;
    return (p->frontends && i >= 0 && i < p->n_frontends) ? p->frontends[i] : -1;
}

static const char *comp_name(const builder *b, int i)
{
    return comp_ok(b, i) ? b->t->comps[i].name : "(missing)";
}

/* "fe01_fe02_fe03" or "fe01, fe02, fe03" for set k. */
static void set_names(const builder *b, int k, const char *sep, char *buf,
                      size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int j = 0; j < b->r && n < size; j++) {
        int w = snprintf(buf + n, size - n, "%s%s", j ? sep : "",
                         comp_name(b, fe_comp(b, b->set_fe[(size_t)k * b->r + j])));
        if (w < 0)
            break;
        n += (size_t)w;
    }
}

/* Routing groups on set k not writable (M2.2 on the fixed replicas). */
static qr_mef_ref set_ref(builder *b, int k)
{
    if (b->set_done[k])
        return b->set_ref[k];
    qr_mef_ref args[4];
    int n = 0;
    for (int j = 0; j < b->r && j < 3; j++)
        args[n++] = lost_ref(b, fe_comp(b, b->set_fe[(size_t)k * b->r + j]));
    if (b->r == 2)
        args[n++] = backend_ref(b);
    char names[300], under[300], gname[340];
    set_names(b, k, ", ", names, sizeof(names));
    set_names(b, k, "_", under, sizeof(under));
    snprintf(gname, sizeof(gname), "groups_on_%s_not_writable", under);
    qr_mef_ref r;
    if (b->r == 1)
        r = args[0];
    else
        r = mk_gate(b, QR_MEF_ATLEAST, 2, args, n, gname,
                    "%d routing group(s) on %s not writable (M2.2): at least 2 of %s "
                    "lost",
                    b->set_count[k], names,
                    b->r == 3 ? "the 3 replicas" : "the 2 replicas and the back end");
    b->set_ref[k] = r;
    b->set_done[k] = 1;
    return r;
}

/* Append a top event named top_name (owned from here on; NULL: out of
 * memory, nothing added) pointing at r. */
static void push_top(builder *b, char *top_name, qr_mef_ref r, double share, int groups,
                     const char *label)
{
    qr_mef_model *m = b->m;
    qr_mef_top *tp = top_name ? grow(b, m->tops, &b->cap_tops, m->n_tops + 1, sizeof(*tp))
                              : NULL;
    if (!tp) {
        free(top_name);
        return;
    }
    m->tops = tp;
    tp = &m->tops[m->n_tops++];
    tp->name = top_name;
    tp->label = dup_printf(b, "%s", label);
    tp->ref = r;
    tp->share = share;
    tp->groups = groups;
}

/* Add a top event for tree `tree` over args (OR). */
static void add_top(builder *b, const char *name, qr_mef_ref *args, int n,
                    double share, int groups, const char *label)
{
    char *top_name = unique_name(b, name);
    if (!top_name)
        return;
    qr_mef_ref r = mk_gate(b, QR_MEF_OR, 1, args, n, top_name, "%s", label);
    push_top(b, top_name, r, share, groups, label);
}

static void build_feature(builder *b, int f)
{
    const qr_feature *feat = &b->t->features[f];
    qr_mef_model *m = b->m;
    qr_mef_tree *tr = &m->trees[f];
    unsigned need = feat->needs;
    qr_mef_ref args[4];
    int n = 0;

    tr->feature = f;
    tr->first_top = m->n_tops;
    tr->name = unique_name(b, feat->name);
    tr->feature_name = dup_printf(b, "%s", feat->name ? feat->name : "");
    m->n_trees = f + 1;
    /* M6 in M9: routing-group needs imply the pool; the grace is zero. */
    if (need & (QR_NEED_POOL | QR_NEED_GROUP | QR_NEED_GROUP_LIMITED))
        args[n++] = pool_ref(b);
    if (need & (QR_NEED_BACKEND | QR_NEED_BACKEND_GRACE))
        args[n++] = backend_ref(b);
    if (need & QR_NEED_FILE_STORE)
        args[n++] = file_store_ref(b);

    char name[200], label[600];
    snprintf(name, sizeof(name), "%s_down", feat->name);
    if (!(need & QR_NEED_GROUP)) {
        snprintf(label, sizeof(label), "%s down (M6)", feat->name);
        add_top(b, name, args, n, 1.0, 0, label);
    } else if (b->n_sets == 0) {
        /* No routing group: the value (a fraction of none) is 0. */
        qr_mef_ref always = REF_TRUE;
        snprintf(label, sizeof(label), "%s down: the pool has no routing group",
                 feat->name);
        add_top(b, name, &always, 1, 1.0, 0, label);
    } else {
        for (int k = 0; k < b->n_sets && !b->oom; k++) {
            char under[300], names[300], top[560];
            qr_mef_ref a[5];
            memcpy(a, args, (size_t)n * sizeof(*args));
            a[n] = set_ref(b, k);
            set_names(b, k, "_", under, sizeof(under));
            set_names(b, k, ", ", names, sizeof(names));
            snprintf(top, sizeof(top), "%s_on_%s", name, under);
            snprintf(label, sizeof(label),
                     "%s down (M6) for the users of %d of %d routing groups "
                     "(replicas on %s)",
                     feat->name, b->set_count[k], b->groups, names);
            add_top(b, top, a, n + 1, (double)b->set_count[k] / b->groups,
                    b->set_count[k], label);
        }
    }
    tr->n_tops = m->n_tops - tr->first_top;
}

void qr_mef_model_free(qr_mef_model *m)
{
    if (!m)
        return;
    free(m->title);
    for (int i = 0; i < m->n_events; i++) {
        free(m->events[i].name);
        free(m->events[i].label);
    }
    for (int i = 0; i < m->n_gates; i++) {
        free(m->gates[i].name);
        free(m->gates[i].label);
        free(m->gates[i].args);
    }
    for (int i = 0; i < m->n_tops; i++) {
        free(m->tops[i].name);
        free(m->tops[i].label);
    }
    for (int i = 0; i < m->n_trees; i++) {
        free(m->trees[i].name);
        free(m->trees[i].feature_name);
    }
    for (int i = 0; i < m->n_ccf; i++) {
        free(m->ccf[i].name);
        free(m->ccf[i].members);
    }
    free(m->ccf);
    free(m->events);
    free(m->gates);
    free(m->tops);
    free(m->trees);
    free(m);
}

/* The common-cause groups of the topology over the events built so far
 * (and the members' events, built here when no tree used them). A
 * component already in an earlier group stays there only (MEF allows one
 * group per event; CC003 reports it); a group left with fewer than two
 * members that can fail, or whose Q is 0, is not written. */
static void build_ccf(builder *b)
{
    const qr_topology *t = b->t;
    qr_mef_model *m = b->m;
    if (t->n_ccf < 1)
        return;
    m->ccf = calloc((size_t)t->n_ccf, sizeof(*m->ccf));
    unsigned char *used = calloc((size_t)t->n_comps + 1, 1);
    if (!m->ccf || !used) {
        free(used);
        b->oom = 1;
        return;
    }
    for (int g = 0; g < t->n_ccf && !b->oom; g++) {
        const qr_ccf_group *grp = &t->ccf[g];
        double q = qr_ccf_group_q(t, g);
        if (!(q > 0))
            continue;
        qr_mef_ccf *c = &m->ccf[m->n_ccf];
        c->members = malloc(sizeof(int) * ((size_t)grp->n_members + 1));
        if (!c->members) {
            b->oom = 1;
            break;
        }
        for (int j = 0; j < grp->n_members; j++) {
            int comp = grp->members[j];
            if (!comp_ok(b, comp) || used[comp])
                continue;
            qr_mef_ref r = event_ref(b, comp);
            if (r.kind != QR_MEF_EVENT)
                continue;
            used[comp] = 1;
            c->members[c->n_members++] = r.index;
        }
        if (c->n_members < 2) {
            free(c->members);
            memset(c, 0, sizeof(*c));
            continue;
        }
        qr_ccf_group sub = *grp; /* the members written, for the level */
        sub.n_members = c->n_members;
        c->model = grp->model;
        c->q = q;
        c->level = qr_ccf_max_level(&sub);
        c->n_factors = grp->model == QR_CCF_BETA ? 1
                       : grp->model == QR_CCF_MGL ? c->level - 1
                                                  : c->level;
        for (int k = 0; k < c->n_factors; k++)
            c->factor[k] = grp->factor[k];
        char base[160];
        snprintf(base, sizeof(base), "ccf-%s", grp->name);
        c->name = unique_name(b, base);
        m->n_ccf++;
        if (!c->name)
            b->oom = 1;
    }
    free(used);
}

/* Allocate b's memos for its topology b->t (one per component and per
 * cluster; no basic event yet), as qr_mef_build and each pool's view of
 * qr_mef_build_pairing need them. 0, or -1 out of memory. */
static int builder_alloc(builder *b)
{
    size_t nc = (size_t)(b->t->n_comps > 0 ? b->t->n_comps : 0) + 1;
    size_t ncl = (size_t)(b->t->n_clusters > 0 ? b->t->n_clusters : 0) + 1;
    b->event_of = malloc(nc * sizeof(*b->event_of));
    b->lost = malloc(nc * sizeof(*b->lost));
    b->lost_done = calloc(nc, 1);
    b->cluster = malloc(ncl * sizeof(*b->cluster));
    b->cluster_done = calloc(ncl, sizeof(*b->cluster_done));
    if (!b->event_of || !b->lost || !b->lost_done || !b->cluster || !b->cluster_done)
        return -1;
    for (size_t i = 0; i < nc; i++)
        b->event_of[i] = -1;
    return 0;
}

/* Free what builder_alloc and fill_sets allocated (not the model). */
static void builder_release(builder *b)
{
    free(b->event_of);
    free(b->lost);
    free(b->lost_done);
    free(b->cluster);
    free(b->cluster_done);
    free(b->set_fe);
    free(b->set_count);
    free(b->set_ref);
    free(b->set_done);
}

int qr_mef_build(const qr_topology *t, qr_mef_model **out, char *err,
                 size_t errlen)
{
    builder b;
    int ret = -1;
    int nf = t->n_features > 0 ? t->n_features : 0;

    *out = NULL;
    memset(&b, 0, sizeof(b));
    b.t = t;
    b.m = calloc(1, sizeof(*b.m));
    if (!b.m || builder_alloc(&b) != 0)
        goto cleanup;
    b.m->trees = calloc((size_t)nf + 1, sizeof(*b.m->trees));
    b.m->title = dup_printf(&b, "%s", t->name ? t->name : "pool design");
    for (int i = 0; i < t->n_comps; i++)
        if (t->comps[i].kind == QR_COMP_LINK)
            b.m->links_ignored = 1;
    if (!b.m->trees || b.oom)
        goto cleanup;
    if (fill_sets(&b) != 0)
        goto cleanup;
    for (int f = 0; f < nf && !b.oom; f++)
        build_feature(&b, f);
    if (!b.oom)
        build_ccf(&b);
    if (b.oom)
        goto cleanup;
    *out = b.m;
    b.m = NULL;
    ret = 0;

cleanup:
    if (ret != 0)
        qr_err_set(err, errlen, "out of memory");
    qr_mef_model_free(b.m);
    builder_release(&b);
    return ret;
}

/* ---- a design with several pools (M10 in the exact view) ---- */

/* NOT r, folded (a constant flips). */
static qr_mef_ref mk_not(builder *b, qr_mef_ref r, const char *name, const char *label)
{
    if (r.kind == QR_MEF_CONST)
        return r.index ? REF_FALSE : REF_TRUE;
    qr_mef_model *m = b->m;
    qr_mef_gate *g = grow(b, m->gates, &b->cap_gates, m->n_gates + 1, sizeof(*g));
    if (!g)
        return REF_FALSE;
    m->gates = g;
    g = &m->gates[m->n_gates];
    memset(g, 0, sizeof(*g));
    g->op = QR_MEF_NOT;
    g->min = 1;
    g->n_args = 1;
    g->args = malloc(sizeof(*g->args));
    g->name = unique_name(b, name);
    g->label = dup_printf(b, "%s", label);
    m->n_gates++;
    if (!g->args || !g->name || !g->label) {
        b->oom = 1;
        return REF_FALSE;
    }
    g->args[0] = r;
    return (qr_mef_ref){ QR_MEF_GATE, m->n_gates - 1 };
}

/* A top event of the current tree pointing at r. */
static void add_top_ref(builder *b, const char *name, qr_mef_ref r, double share, int groups,
                        const char *label)
{
    push_top(b, unique_name(b, name), r, share, groups, label);
}

/* One pool's view and its builder; the units of each feature: the routing-
 * group replica sets (or one unit) with the feature-down formula and the
 * users' share, as build_feature() makes them. */
typedef struct {
    qr_topology *view;
    int         *map;      /* design comp -> view comp */
    int         *to_t;     /* view comp -> design comp */
    builder      b;
    int          units;    /* per feature: n_sets, or 1 */
    qr_mef_ref  *unit;     /* nf * units */
    double      *share;    /* nf * units */
    int         *groups;   /* nf * units */
} mef_pview;

static void pview_units(mef_pview *v, int nf)
{
    builder *b = &v->b;
    v->units = b->n_sets > 0 ? b->n_sets : 1;
    v->unit = calloc((size_t)(nf * v->units + 1), sizeof(*v->unit));
    v->share = calloc((size_t)(nf * v->units + 1), sizeof(double));
    v->groups = calloc((size_t)(nf * v->units + 1), sizeof(int));
    if (!v->unit || !v->share || !v->groups) {
        b->oom = 1;
        return;
    }
    for (int f = 0; f < nf && !b->oom; f++) {
        const qr_feature *feat = &b->t->features[f];
        unsigned need = feat->needs;
        qr_mef_ref args[5];
        int n = 0;
        if (need & (QR_NEED_POOL | QR_NEED_GROUP | QR_NEED_GROUP_LIMITED))
            args[n++] = pool_ref(b);
        if (need & (QR_NEED_BACKEND | QR_NEED_BACKEND_GRACE))
            args[n++] = backend_ref(b);
        if (need & QR_NEED_FILE_STORE)
            args[n++] = file_store_ref(b);
        char name[200];
        for (int s = 0; s < v->units; s++) {
            if (!(need & QR_NEED_GROUP) && s > 0) { /* one unit only */
                v->unit[f * v->units + s] = REF_FALSE;
                continue;
            }
            qr_mef_ref a[5];
            memcpy(a, args, (size_t)n * sizeof(*args));
            int k = n;
            double share = 1.0;
            int groups = 0;
            if (need & QR_NEED_GROUP) {
                if (b->n_sets == 0) {
                    a[k++] = REF_TRUE;
                } else {
                    a[k++] = set_ref(b, s);
                    share = (double)b->set_count[s] / b->groups;
                    groups = b->set_count[s];
                }
            }
            snprintf(name, sizeof(name), "%s_down_%d", feat->name, s + 1);
            v->unit[f * v->units + s] = mk_gate(b, QR_MEF_OR, 1, a, k, name,
                                                "%s down (M6)%s", feat->name,
                                                groups ? " for these routing groups" : "");
            v->share[f * v->units + s] = share;
            v->groups[f * v->units + s] = groups;
        }
    }
}

static void pview_release(mef_pview *v)
{
    builder *b = &v->b;
    qr_topology_free(v->view);
    free(v->map);
    free(v->to_t);
    free(v->unit);
    free(v->share);
    free(v->groups);
    builder_release(b);
}

/* The builders share one model: hand the capacities on. */
static builder *take(builder *to, const builder *from)
{
    if (from && from != to) {
        to->cap_events = from->cap_events;
        to->cap_gates = from->cap_gates;
        to->cap_tops = from->cap_tops;
        to->oom |= from->oom;
    }
    return to;
}

int qr_mef_build_pairing(const qr_topology *t, qr_mef_model **out, char *err, size_t errlen)
{
    *out = NULL;
    if (!qr_topology_is_paired(t)) {
        qr_err_set(err, errlen, "the design has a single pool");
        return -1;
    }
    const char *missing = qr_pool_view_unsupported(t);
    if (missing) {
        qr_err_set(err, errlen, "%s", missing);
        return -1;
    }
    int np = t->n_pools, nf = t->pairing.n_user_features, nt = t->n_features;
    size_t nc = (size_t)(t->n_comps > 0 ? t->n_comps : 0) + 1;
    qr_mef_model *m = calloc(1, sizeof(*m));
    mef_pview *v = calloc((size_t)np, sizeof(*v));
    int *shared_ev = malloc(nc * sizeof(int));
    double *weight = calloc((size_t)np, sizeof(double));
    builder *cur = NULL;
    int ret = -1;
    if (!m || !v || !shared_ev || !weight)
        goto cleanup;
    for (size_t c = 0; c < nc; c++)
        shared_ev[c] = -1;
    long users = 0;
    for (int i = 0; i < np; i++)
        users += t->pools[i].pool.users;
    for (int i = 0; i < np; i++) {
        weight[i] = users > 0 ? (double)t->pools[i].pool.users / (double)users : 1.0 / np;
        mef_pview *p = &v[i];
        p->map = malloc(nc * sizeof(int));
        if (!p->map || qr_topology_pool_view(t, i, &p->view, p->map) != 0)
            goto cleanup;
        size_t vc = (size_t)(p->view->n_comps > 0 ? p->view->n_comps : 0) + 1;
        p->to_t = malloc(vc * sizeof(int));
        builder *b = take(&p->b, cur);
        b->t = p->view;
        b->m = m;
        b->prefix = t->pools[i].name;
        b->shared_ev = shared_ev;
        b->to_t = p->to_t;
        if (!p->to_t || builder_alloc(b) != 0)
            goto cleanup;
        for (size_t c = 0; c + 1 < nc; c++)
            if (p->map[c] >= 0)
                p->to_t[p->map[c]] = (int)c;
        if (fill_sets(b) != 0)
            goto cleanup;
        pview_units(p, nf);
        cur = b;
        if (b->oom)
            goto cleanup;
    }
    m->title = dup_printf(cur, "%s", t->name ? t->name : "paired design");
    m->trees = calloc((size_t)nt + 1, sizeof(*m->trees));
    if (!m->trees || cur->oom)
        goto cleanup;
    /* Each pool's users (rows nf * (1 + i) + k): served at home while the
     * home pool runs, else by the partner (exact_pairing.h). */
    for (int i = 0; i < np; i++) {
        int q = t->pools[i].paired_with;
        builder *b = take(&v[i].b, cur);
        cur = b;
        b->prefix = NULL;
        qr_mef_ref home_down = pool_ref(b);
        char nm[300], lbl[600];
        snprintf(nm, sizeof(nm), "%s_pool_runs", t->pools[i].name);
        qr_mef_ref home_runs = q >= 0 ? mk_not(b, home_down, nm, "the home pool runs (NOT "
                                               "pool quorum lost)") : REF_TRUE;
        for (int k = 0; k < nf && !b->oom; k++) {
            int r = nf * (1 + i) + k;
            qr_mef_tree *tr = &m->trees[r];
            tr->feature = r;
            tr->first_top = m->n_tops;
            tr->name = unique_name(b, t->features[r].name);
            tr->feature_name = dup_printf(b, "%s", t->features[r].name);
            m->n_trees = r + 1 > m->n_trees ? r + 1 : m->n_trees;
            for (int s = 0; s < v[i].units; s++) {
                if (!(v[i].share[k * v[i].units + s] > 0))
                    continue;
                qr_mef_ref u = v[i].unit[k * v[i].units + s];
                if (u.kind == home_down.kind && u.index == home_down.index && q >= 0)
                    continue; /* down at home only when the pool is: never served there */
                qr_mef_ref a[2] = { home_runs, u };
                snprintf(nm, sizeof(nm), "%s_home_%d", t->features[r].name, s + 1);
                snprintf(lbl, sizeof(lbl), "%s down for %s's users served by their home pool "
                         "(it runs; the feature is down there)%s", t->features[k].name,
                         t->pools[i].name, v[i].groups[k * v[i].units + s] ?
                         " for these routing groups" : "");
                qr_mef_ref ref = mk_gate(b, QR_MEF_AND, 2, a, 2, nm, "%s", lbl);
                add_top_ref(b, nm, ref, v[i].share[k * v[i].units + s],
                            v[i].groups[k * v[i].units + s], lbl);
            }
            for (int s = 0; q >= 0 && s < v[q].units; s++) {
                if (!(v[q].share[k * v[q].units + s] > 0))
                    continue;
                qr_mef_ref inner[2] = { pool_ref(take(&v[q].b, b)), v[q].unit[k * v[q].units + s] };
                take(b, &v[q].b);
                int n_inner = inner[0].kind == inner[1].kind && inner[0].index == inner[1].index
                              ? 1 : 2;
                snprintf(nm, sizeof(nm), "%s_backup_%d_fails", t->features[r].name, s + 1);
                qr_mef_ref fails = mk_gate(b, QR_MEF_OR, 1, inner, n_inner, nm,
                                           "the backup pool %s down, or the feature down "
                                           "there", t->pools[q].name);
                qr_mef_ref a[2] = { home_down, fails };
                snprintf(nm, sizeof(nm), "%s_backup_%d", t->features[r].name, s + 1);
                snprintf(lbl, sizeof(lbl), "%s down for %s's users served by the backup pool "
                         "%s (the home pool is down, the backup fails them)", t->features[k].name,
                         t->pools[i].name, t->pools[q].name);
                qr_mef_ref ref = mk_gate(b, QR_MEF_AND, 2, a, 2, nm, "%s", lbl);
                add_top_ref(b, nm, ref, v[q].share[k * v[q].units + s],
                            v[q].groups[k * v[q].units + s], lbl);
            }
            tr->n_tops = m->n_tops - tr->first_top;
        }
    }
    /* All users: every pool's tops, weighted by its users' share. */
    for (int k = 0; k < nf && !cur->oom; k++) {
        qr_mef_tree *tr = &m->trees[k];
        tr->feature = k;
        tr->first_top = m->n_tops;
        tr->name = unique_name(cur, t->features[k].name);
        tr->feature_name = dup_printf(cur, "%s", t->features[k].name);
        for (int i = 0; i < np; i++) {
            const qr_mef_tree *pt = &m->trees[nf * (1 + i) + k];
            for (int j = 0; j < pt->n_tops; j++) {
                qr_mef_top src = m->tops[pt->first_top + j];
                char nm[300];
                snprintf(nm, sizeof(nm), "%s_all_users", src.name);
                add_top_ref(cur, nm, src.ref, src.share * weight[i], src.groups, src.label);
            }
        }
        tr->n_tops = m->n_tops - tr->first_top;
    }
    if (m->n_trees < nt)
        m->n_trees = nt;
    if (cur->oom)
        goto cleanup;
    *out = m;
    m = NULL;
    ret = 0;
cleanup:
    if (ret != 0)
        qr_err_set(err, errlen, "out of memory");
    qr_mef_model_free(m);
    for (int i = 0; v && i < np; i++)
        pview_release(&v[i]);
    free(v);
    free(shared_ev);
    free(weight);
    return ret;
}

int qr_mef_eval(const qr_mef_model *m, qr_mef_ref r, const unsigned char *down)
{
    switch (r.kind) {
    case QR_MEF_CONST:
        return r.index != 0;
    case QR_MEF_EVENT:
        return down[r.index] != 0;
    case QR_MEF_GATE:
        break;
    }
    const qr_mef_gate *g = &m->gates[r.index];
    int n_true = 0;
    for (int i = 0; i < g->n_args; i++)
        n_true += qr_mef_eval(m, g->args[i], down);
    switch (g->op) {
    case QR_MEF_AND:
        return n_true == g->n_args;
    case QR_MEF_OR:
        return n_true > 0;
    case QR_MEF_ATLEAST:
        return n_true >= g->min;
    case QR_MEF_NOT:
        return n_true == 0;
    }
    return 0;
}

/* ---- writing ---- */

/* XML text with &, <, >, " and ' escaped. */
static void put_escaped(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&apos;", out); break;
        default:
            /* Control characters are not allowed in XML 1.0 text. */
            fputc((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' ? ' ' : *s,
                  out);
        }
    }
}

static void put_label(FILE *out, const char *indent, const char *label)
{
    if (!label || !*label)
        return;
    fprintf(out, "%s<label>", indent);
    put_escaped(out, label);
    fputs("</label>\n", out);
}

static void put_ref(FILE *out, const qr_mef_model *m, qr_mef_ref r,
                    const char *indent)
{
    switch (r.kind) {
    case QR_MEF_CONST:
        fprintf(out, "%s<constant value=\"%s\"/>\n", indent, r.index ? "true" : "false");
        break;
    case QR_MEF_EVENT:
        fprintf(out, "%s<basic-event name=\"%s\"/>\n", indent, m->events[r.index].name);
        break;
    case QR_MEF_GATE:
        fprintf(out, "%s<gate name=\"%s\"/>\n", indent, m->gates[r.index].name);
        break;
    }
}

static void put_formula(FILE *out, const qr_mef_model *m, const qr_mef_gate *g)
{
    static const char *ops[] = { "and", "or", "atleast", "not" };
    if (g->op == QR_MEF_ATLEAST)
        fprintf(out, "      <atleast min=\"%d\">\n", g->min);
    else
        fprintf(out, "      <%s>\n", ops[g->op]);
    for (int i = 0; i < g->n_args; i++)
        put_ref(out, m, g->args[i], "        ");
    fprintf(out, "      </%s>\n", ops[g->op]);
}

/* Mark the gates and events reachable from r. */
static void mark(const qr_mef_model *m, qr_mef_ref r, unsigned char *gate_mark,
                 unsigned char *event_mark)
{
    if (r.kind == QR_MEF_EVENT) {
        event_mark[r.index] = 1;
        return;
    }
    if (r.kind != QR_MEF_GATE || gate_mark[r.index])
        return;
    gate_mark[r.index] = 1;
    const qr_mef_gate *g = &m->gates[r.index];
    for (int i = 0; i < g->n_args; i++)
        mark(m, g->args[i], gate_mark, event_mark);
}

/* The top owns its gate when the gate was made for it (same name). */
static int top_owns(const qr_mef_model *m, const qr_mef_top *tp)
{
    return tp->ref.kind == QR_MEF_GATE &&
           strcmp(m->gates[tp->ref.index].name, tp->name) == 0;
}

/* The common-cause groups, as SCRAM reads them (--ccf true). */
static void write_ccf(FILE *out, const qr_mef_model *m)
{
    for (int i = 0; i < m->n_ccf; i++) {
        const qr_mef_ccf *c = &m->ccf[i];
        fprintf(out, "    <define-CCF-group name=\"%s\" model=\"%s\">\n", c->name,
                qr_ccf_model_name(c->model));
        fputs("      <members>\n", out);
        for (int j = 0; j < c->n_members; j++)
            fprintf(out, "        <basic-event name=\"%s\"/>\n", m->events[c->members[j]].name);
        fputs("      </members>\n", out);
        fprintf(out, "      <distribution><float value=\"%.17g\"/></distribution>\n", c->q);
        fputs("      <factors>\n", out);
        for (int k = 0; k < c->n_factors; k++) {
            int level = c->model == QR_CCF_BETA ? c->level
                        : c->model == QR_CCF_MGL ? k + 2
                                                 : k + 1;
            fprintf(out, "        <factor level=\"%d\"><float value=\"%.17g\"/></factor>\n",
                    level, c->factor[k]);
        }
        fputs("      </factors>\n", out);
        fputs("    </define-CCF-group>\n", out);
    }
}

static void write_tree(FILE *out, const qr_mef_model *m, const qr_mef_tree *tr,
                       const qr_mef_exact *exact, unsigned char *gate_mark,
                       unsigned char *event_mark, const char *feature_name)
{
    fprintf(out, "  <define-fault-tree name=\"%s\">\n", tr->name);
    fputs("    <label>", out);
    put_escaped(out, feature_name);
    fputs(" unavailable: one top event", out);
    if (tr->n_tops > 1)
        fputs(" per routing-group replica set, weighted by users-share", out);
    fputs("</label>\n", out);
    fputs("    <attributes>\n", out);
    fputs("      <attribute name=\"feature\" value=\"", out);
    put_escaped(out, feature_name);
    fputs("\"/>\n", out);
    if (exact) {
        fprintf(out, "      <attribute name=\"availability\" value=\"%.17g\"/>\n",
                exact->availability[tr->feature]);
        fprintf(out, "      <attribute name=\"unavailability\" value=\"%.17g\"/>\n",
                exact->unavailability[tr->feature]);
    }
    fputs("    </attributes>\n", out);

    memset(gate_mark, 0, (size_t)m->n_gates + 1);
    for (int k = 0; k < tr->n_tops; k++) {
        const qr_mef_top *tp = &m->tops[tr->first_top + k];
        mark(m, tp->ref, gate_mark, event_mark);
        if (top_owns(m, tp))
            gate_mark[tp->ref.index] = 0;   /* written as the top itself */
        fprintf(out, "    <define-gate name=\"%s\">\n", tp->name);
        put_label(out, "      ", tp->label);
        fputs("      <attributes>\n", out);
        fprintf(out, "        <attribute name=\"users-share\" value=\"%.17g\"/>\n",
                tp->share);
        if (tp->groups > 0)
            fprintf(out, "        <attribute name=\"routing-groups\" value=\"%d\"/>\n",
                    tp->groups);
        fputs("      </attributes>\n", out);
        if (top_owns(m, tp))
            put_formula(out, m, &m->gates[tp->ref.index]);
        else
            put_ref(out, m, tp->ref, "      ");
        fputs("    </define-gate>\n", out);
    }
    for (int g = 0; g < m->n_gates; g++) {
        if (!gate_mark[g])
            continue;
        fprintf(out, "    <define-gate name=\"%s\" role=\"private\">\n",
                m->gates[g].name);
        put_label(out, "      ", m->gates[g].label);
        put_formula(out, m, &m->gates[g]);
        fputs("    </define-gate>\n", out);
    }
    if (tr == &m->trees[0])
        write_ccf(out, m);
    fputs("  </define-fault-tree>\n", out);
}

int qr_mef_write(const qr_mef_model *m, const qr_mef_exact *exact, FILE *out,
                 char *err, size_t errlen)
{
    unsigned char *gate_mark = malloc((size_t)m->n_gates + 1);
    unsigned char *event_mark = calloc((size_t)m->n_events + 1, 1);
    if (!gate_mark || !event_mark) {
        free(gate_mark);
        free(event_mark);
        qr_err_set(err, errlen, "out of memory");
        return -1;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<!-- quorate export: the M9 structure function as fault trees, one per\n"
          "     user feature, top events = the feature is down (docs/export.md). -->\n",
          out);
    if (m->links_ignored)
        fputs("<!-- The links between sites are not in these trees: the static view (M9)\n"
              "     treats the sites as always connected. quorate simulate splits the pool,\n"
              "     SQL mirroring and the failover clusters at broken links. -->\n",
              out);
    fputs("<opsa-mef>\n", out);
    put_label(out, "  ", m->title);
    for (int i = 0; i < m->n_trees; i++)
        write_tree(out, m, &m->trees[i], exact, gate_mark, event_mark,
                   m->trees[i].feature_name);
    for (int i = 0; i < m->n_ccf; i++) /* defined by their group */
        for (int j = 0; j < m->ccf[i].n_members; j++)
            event_mark[m->ccf[i].members[j]] = 2;
    fputs("  <model-data>\n", out);
    for (int i = 0; i < m->n_events; i++) {
        if (event_mark[i] != 1)
            continue;
        const qr_mef_event *e = &m->events[i];
        fprintf(out, "    <define-basic-event name=\"%s\">\n", e->name);
        put_label(out, "      ", e->label);
        fprintf(out, "      <float value=\"%.17g\"/>\n", e->p);
        fputs("    </define-basic-event>\n", out);
    }
    fputs("  </model-data>\n</opsa-mef>\n", out);
    free(gate_mark);
    free(event_mark);
    if (ferror(out)) {
        qr_err_set(err, errlen, "write error: %s", strerror(errno));
        return -1;
    }
    return 0;
}
