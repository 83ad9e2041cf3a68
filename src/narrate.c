/*
 * narrate.c: the vocabulary of scenario expectations, snapshots of an
 * engine's state, and the narrator of the training-lab timelines
 * (narrate.h).
 *
 * The vocabulary is a flat array of keys built once per topology; each
 * key names one quantity (qty) and, for per-feature, per-cluster and
 * per-component keys, an index. A snapshot holds one small integer per
 * key, read only through engine.h's public queries, so a diff of two
 * snapshots is a loop over integers. The narrator turns such a diff into
 * words in a fixed order (components, pool, Back End, file store, routing
 * groups, clusters, features, then advice), which makes the timeline
 * deterministic.
 */
#include "narrate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

/* The quantities a key can name. */
typedef enum {
    Q_POOL,            /* up, down, starting (M1.5-M1.7)                 */
    Q_VOTERS_UP,       /* fabric votes present (M1.2)                    */
    Q_VOTERS,          /* fabric votes counted                           */
    Q_SEEDS_UP,        /* seeds present                                  */
    Q_SEEDS_COUNTED,   /* seeds in the membership (M1.3, M1.4)           */
    Q_FE_UP,           /* front ends running                             */
    Q_BACKEND,         /* serving, down (M3)                             */
    Q_PRINCIPAL,       /* component index of the principal, -1 none      */
    Q_SYNC,            /* mirror synchronized (M3.3)                     */
    Q_RESILIENCY,      /* resiliency mode (M3.5)                         */
    Q_FILE_STORE,      /* up, down (M5)                                  */
    Q_GROUPS_WRITABLE, /* routing groups (M2)                            */
    Q_GROUPS_LIMITED,
    Q_GROUPS_DOWN,
    Q_FEATURE,         /* up, degraded, down (M6); index: feature        */
    Q_CLUSTER,         /* up, down, forced (M4.5); index: cluster        */
    Q_CL_VOTERS_UP,
    Q_CL_VOTERS,
    Q_CL_WITNESS,      /* the witness votes now (M4.3)                   */
    Q_COMP,            /* up, crashed, stopped; index: component         */
    Q_COUNT_QUORUM_LOSSES,
    Q_COUNT_GROUP_LOSSES,
    Q_COUNT_SOFT_RESETS,
    Q_COUNT_RESETS_FAILED,
    Q_COUNT_FAILOVERS,
    Q_COUNT_FS_FAILOVERS,
    Q_COUNT_DATA_LOSS,
    Q_COUNT_CL_LOSSES, /* index: cluster                                 */
    Q_COUNT_CL_FORCED
} qty;

typedef enum { VT_ENUM, VT_INT, VT_BOOL, VT_SERVER } vtype;

static const char *const pool_words[] = { "up", "down", "starting", NULL };
static const char *const backend_words[] = { "serving", "down", NULL };
static const char *const updown_words[] = { "up", "down", NULL };
static const char *const feature_words[] = { "up", "degraded", "down", NULL };
static const char *const cluster_words[] = { "up", "down", "forced", NULL };
static const char *const comp_words[] = { "up", "crashed", "stopped", NULL };

typedef struct {
    char  *key;
    qty    q;
    int    index;
    vtype  type;
    const char *const *words; /* VT_ENUM */
} vkey;

struct qr_vocab {
    const qr_topology *t;
    vkey  *keys;
    int    n, cap;
    int    oom;
    /* Keys the narrator reads directly. */
    int    k_pool, k_seeds_up, k_voters_up, k_voters, k_fe_up, k_backend, k_principal,
           k_sync, k_resiliency, k_file_store, k_gw, k_gl, k_gd,
           k_soft_resets, k_resets_failed, k_quorum_losses;
    int    k_feature0, k_cluster0, k_comp0; /* first key of each series */
};

/* Prefix of a component key, by kind (qr_comp_kind order). */
static const char *const comp_prefix[QR_COMP_KIND_COUNT] = {
    "site", "host", "server", "storage", "link", "cloud_witness", "external",
};

static int add_key(qr_vocab *v, qty q, int index, vtype type, const char *const *words,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int add_key(qr_vocab *v, qty q, int index, vtype type, const char *const *words,
                   const char *fmt, ...)
{
    if (v->n == v->cap) {
        int cap = v->cap ? 2 * v->cap : 64;
        vkey *k = realloc(v->keys, sizeof(*k) * (size_t)cap);
        if (!k) {
            v->oom = 1;
            return -1;
        }
        v->keys = k;
        v->cap = cap;
    }
    char buf[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    char *s = strdup(buf);
    if (!s) {
        v->oom = 1;
        return -1;
    }
    v->keys[v->n] = (vkey){ s, q, index, type, words };
    return v->n++;
}

qr_vocab *qr_vocab_new(const qr_topology *t)
{
    qr_vocab *v = calloc(1, sizeof(*v));
    if (!v)
        return NULL;
    v->t = t;
    v->k_pool = add_key(v, Q_POOL, -1, VT_ENUM, pool_words, "pool");
    v->k_voters_up = add_key(v, Q_VOTERS_UP, -1, VT_INT, NULL, "fabric.voters_up");
    v->k_voters = add_key(v, Q_VOTERS, -1, VT_INT, NULL, "fabric.voters");
    v->k_seeds_up = add_key(v, Q_SEEDS_UP, -1, VT_INT, NULL, "fabric.seeds_up");
    add_key(v, Q_SEEDS_COUNTED, -1, VT_INT, NULL, "fabric.seeds_counted");
    v->k_fe_up = add_key(v, Q_FE_UP, -1, VT_INT, NULL, "fabric.frontends_up");
    v->k_backend = add_key(v, Q_BACKEND, -1, VT_ENUM, backend_words, "backend");
    v->k_principal = add_key(v, Q_PRINCIPAL, -1, VT_SERVER, NULL, "backend.principal");
    v->k_sync = add_key(v, Q_SYNC, -1, VT_BOOL, NULL, "backend.synchronized");
    v->k_resiliency = add_key(v, Q_RESILIENCY, -1, VT_BOOL, NULL, "backend.resiliency_mode");
    v->k_file_store = add_key(v, Q_FILE_STORE, -1, VT_ENUM, updown_words, "file_store");
    v->k_gw = add_key(v, Q_GROUPS_WRITABLE, -1, VT_INT, NULL, "groups.writable");
    v->k_gl = add_key(v, Q_GROUPS_LIMITED, -1, VT_INT, NULL, "groups.limited");
    v->k_gd = add_key(v, Q_GROUPS_DOWN, -1, VT_INT, NULL, "groups.down");
    v->k_quorum_losses = add_key(v, Q_COUNT_QUORUM_LOSSES, -1, VT_INT, NULL, "count.quorum_losses");
    add_key(v, Q_COUNT_GROUP_LOSSES, -1, VT_INT, NULL, "count.group_quorum_losses");
    v->k_soft_resets = add_key(v, Q_COUNT_SOFT_RESETS, -1, VT_INT, NULL, "count.soft_resets");
    v->k_resets_failed =
        add_key(v, Q_COUNT_RESETS_FAILED, -1, VT_INT, NULL, "count.reset_attempts_failed");
    add_key(v, Q_COUNT_FAILOVERS, -1, VT_INT, NULL, "count.failovers");
    add_key(v, Q_COUNT_FS_FAILOVERS, -1, VT_INT, NULL, "count.file_store_failovers");
    add_key(v, Q_COUNT_DATA_LOSS, -1, VT_INT, NULL, "count.data_loss_risk");
    v->k_feature0 = v->n;
    for (int f = 0; f < t->n_features; f++)
        add_key(v, Q_FEATURE, f, VT_ENUM, feature_words, "feature.%s", t->features[f].name);
    v->k_cluster0 = v->n;
    for (int c = 0; c < t->n_clusters; c++) {
        const char *name = t->clusters[c].name;
        add_key(v, Q_CLUSTER, c, VT_ENUM, cluster_words, "cluster.%s", name);
        add_key(v, Q_CL_VOTERS_UP, c, VT_INT, NULL, "cluster.%s.voters_up", name);
        add_key(v, Q_CL_VOTERS, c, VT_INT, NULL, "cluster.%s.voters", name);
        add_key(v, Q_CL_WITNESS, c, VT_BOOL, NULL, "cluster.%s.witness_votes", name);
        add_key(v, Q_COUNT_CL_LOSSES, c, VT_INT, NULL, "count.cluster.%s.quorum_losses", name);
        add_key(v, Q_COUNT_CL_FORCED, c, VT_INT, NULL, "count.cluster.%s.forced_quorums", name);
    }
    v->k_comp0 = v->n;
    for (int i = 0; i < t->n_comps; i++)
        add_key(v, Q_COMP, i, VT_ENUM, comp_words, "%s.%s", comp_prefix[t->comps[i].kind],
                t->comps[i].name);
    if (v->oom) {
        qr_vocab_free(v);
        return NULL;
    }
    return v;
}

void qr_vocab_free(qr_vocab *v)
{
    if (!v)
        return;
    for (int k = 0; k < v->n; k++)
        free(v->keys[k].key);
    free(v->keys);
    free(v);
}

int qr_vocab_count(const qr_vocab *v)
{
    return v->n;
}

const char *qr_vocab_key(const qr_vocab *v, int k)
{
    return (k >= 0 && k < v->n) ? v->keys[k].key : NULL;
}

int qr_vocab_find(const qr_vocab *v, const char *key)
{
    for (int k = 0; k < v->n; k++)
        if (strcmp(v->keys[k].key, key) == 0)
            return k;
    return -1;
}

const char *qr_vocab_suggest(const qr_vocab *v, const char *key)
{
    const char **names = malloc(sizeof(*names) * (size_t)(v->n + 1));
    if (!names)
        return NULL;
    for (int k = 0; k < v->n; k++)
        names[k] = v->keys[k].key;
    const char *hint = qr_suggest(key, names, (size_t)v->n);
    free(names);
    return hint;
}

static int word_index(const char *const *words, const char *s)
{
    for (int i = 0; words[i]; i++)
        if (strcmp(words[i], s) == 0)
            return i;
    return -1;
}

/* "up, down or starting" */
static void word_list(const char *const *words, char *buf, size_t size)
{
    size_t o = 0;
    int n = 0;
    while (words[n])
        n++;
    buf[0] = '\0';
    for (int i = 0; i < n && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s",
                              i == 0 ? "" : i + 1 == n ? " or " : ", ", words[i]);
}

static int parse_int(const char *s, int *out)
{
    char *end;
    if (!*s || !((*s >= '0' && *s <= '9') || *s == '-'))
        return -1;
    long x = strtol(s, &end, 10);
    if (*end || x < -1000000 || x > 1000000)
        return -1;
    *out = (int)x;
    return 0;
}

int qr_vocab_check_value(const qr_vocab *v, int k, const char *value, char *buf,
                         size_t size)
{
    const vkey *key = &v->keys[k];
    int x;
    switch (key->type) {
    case VT_ENUM:
        if (word_index(key->words, value) >= 0 ||
            (key->q == Q_COMP && strcmp(value, "down") == 0))
            return 0;
        if (key->q == Q_COMP)
            snprintf(buf, size, "up, down, crashed or stopped");
        else
            word_list(key->words, buf, size);
        return -1;
    case VT_INT:
        if (parse_int(value, &x) == 0 && x >= 0)
            return 0;
        snprintf(buf, size, "a whole number");
        return -1;
    case VT_BOOL:
        if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
            return 0;
        snprintf(buf, size, "true or false");
        return -1;
    case VT_SERVER:
        if (strcmp(value, "none") == 0 ||
            qr_topology_find_kind(v->t, QR_COMP_SERVER, value) >= 0 ||
            qr_topology_find_kind(v->t, QR_COMP_EXTERNAL_SQL, value) >= 0)
            return 0;
        snprintf(buf, size, "a server of the topology or 'none'");
        return -1;
    }
    return -1;
}

/* ---- snapshots ---- */

int qr_snapshot_init(qr_snapshot *s, const qr_vocab *v)
{
    s->now = 0;
    s->n = v->n;
    s->val = calloc((size_t)v->n + 1, sizeof(int));
    return s->val ? 0 : -1;
}

void qr_snapshot_release(qr_snapshot *s)
{
    if (!s)
        return;
    free(s->val);
    s->val = NULL;
    s->n = 0;
}

void qr_snapshot_copy(qr_snapshot *dst, const qr_snapshot *src)
{
    dst->now = src->now;
    memcpy(dst->val, src->val, sizeof(int) * (size_t)src->n);
}

/* M6: a feature's availability as up (all of it), degraded, down. */
static int feature_code(double a)
{
    if (a >= 1.0 - 1e-12)
        return 0;
    return a <= 1e-12 ? 2 : 1;
}

void qr_snapshot_take(qr_snapshot *s, const qr_vocab *v, const sim_engine *e)
{
    sim_status st;
    sim_engine_status(e, &st);
    s->now = st.now;
    for (int k = 0; k < v->n; k++) {
        const vkey *key = &v->keys[k];
        sim_cluster_status cs;
        int x = 0;
        bool cl = key->q >= Q_CLUSTER && key->q <= Q_CL_WITNESS;
        cl = cl || key->q == Q_COUNT_CL_LOSSES || key->q == Q_COUNT_CL_FORCED;
        if (cl && sim_engine_cluster(e, key->index, &cs) != 0)
            memset(&cs, 0, sizeof(cs));
        switch (key->q) {
        case Q_POOL: x = st.pool == SIM_POOL_UP ? 0 : st.pool == SIM_POOL_DOWN ? 1 : 2; break;
        case Q_VOTERS_UP: x = st.votes_present; break;
        case Q_VOTERS: x = st.votes_counted; break;
        case Q_SEEDS_UP: x = st.seeds_present; break;
        case Q_SEEDS_COUNTED: x = st.seeds_counted; break;
        case Q_FE_UP: x = st.frontends_running; break;
        case Q_BACKEND: x = st.backend_serving ? 0 : 1; break;
        case Q_PRINCIPAL: x = st.backend_principal; break;
        case Q_SYNC: x = st.backend_synchronized; break;
        case Q_RESILIENCY: x = st.resiliency_mode; break;
        case Q_FILE_STORE: x = st.file_store_up ? 0 : 1; break;
        case Q_GROUPS_WRITABLE: x = st.groups_writable; break;
        case Q_GROUPS_LIMITED: x = st.groups_limited; break;
        case Q_GROUPS_DOWN: x = st.groups_down; break;
        case Q_FEATURE: x = feature_code(sim_engine_feature(e, key->index)); break;
        case Q_CLUSTER:
            x = cs.state == SIM_CLUSTER_UP ? 0 : cs.state == SIM_CLUSTER_DOWN ? 1 : 2;
            break;
        case Q_CL_VOTERS_UP: x = cs.votes_present; break;
        case Q_CL_VOTERS: x = cs.votes_counted; break;
        case Q_CL_WITNESS: x = cs.witness_votes; break;
        case Q_COMP: {
            sim_comp_state c = sim_engine_comp_state(e, key->index);
            x = c == SIM_UP ? 0 : c == SIM_DOWN_UNEXPECTED ? 1 : 2;
            break;
        }
        case Q_COUNT_QUORUM_LOSSES: x = (int)st.quorum_losses; break;
        case Q_COUNT_GROUP_LOSSES: x = (int)st.group_quorum_losses; break;
        case Q_COUNT_SOFT_RESETS: x = (int)st.soft_resets; break;
        case Q_COUNT_RESETS_FAILED: x = (int)st.reset_attempts_failed; break;
        case Q_COUNT_FAILOVERS: x = (int)st.failovers; break;
        case Q_COUNT_FS_FAILOVERS: x = (int)st.file_store_failovers; break;
        case Q_COUNT_DATA_LOSS: x = (int)st.data_loss_risk; break;
        case Q_COUNT_CL_LOSSES: x = (int)cs.quorum_losses; break;
        case Q_COUNT_CL_FORCED: x = (int)cs.forced_quorums; break;
        }
        s->val[k] = x;
    }
}

static const char *comp_name(const qr_vocab *v, int i)
{
    return (i >= 0 && i < v->t->n_comps) ? v->t->comps[i].name : "none";
}

const char *qr_snapshot_value(const qr_snapshot *s, const qr_vocab *v, int k, char *buf,
                              size_t size)
{
    const vkey *key = &v->keys[k];
    int x = s->val[k];
    switch (key->type) {
    case VT_ENUM:
        snprintf(buf, size, "%s", key->words[x]);
        break;
    case VT_INT:
        snprintf(buf, size, "%d", x);
        break;
    case VT_BOOL:
        snprintf(buf, size, "%s", x ? "true" : "false");
        break;
    case VT_SERVER:
        snprintf(buf, size, "%s", comp_name(v, x));
        break;
    }
    return buf;
}

bool qr_snapshot_matches(const qr_snapshot *s, const qr_vocab *v, int k, const char *expected)
{
    const vkey *key = &v->keys[k];
    if (key->q == Q_COMP && strcmp(expected, "down") == 0)
        return s->val[k] != 0;
    char buf[160];
    if (key->type == VT_INT) {
        int x;
        return parse_int(expected, &x) == 0 && x == s->val[k];
    }
    return strcmp(qr_snapshot_value(s, v, k, buf, sizeof(buf)), expected) == 0;
}

/* ---- text ---- */

const char *qr_narrate_clock(double seconds, char *buf, size_t size)
{
    if (!(seconds >= 0) || !isfinite(seconds))
        seconds = 0;
    long long ms = llround(seconds * 1000.0);
    long long s = ms / 1000;
    int frac = (int)(ms % 1000);
    if (frac)
        snprintf(buf, size, "%02lld:%02lld:%02lld.%03d", s / 3600, s / 60 % 60, s % 60, frac);
    else
        snprintf(buf, size, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

/* A growing string; on OOM it keeps what it has and sets oom. */
typedef struct {
    char  *s;
    size_t n, cap;
    int    oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0 || b->oom)
        return;
    if (b->n + (size_t)len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 128;
        while (cap < b->n + (size_t)len + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = 1;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
}

static const char *backend_word(const qr_topology *t)
{
    switch (t->pool.backend.kind) {
    case QR_BACKEND_MIRRORING: return "SQL principal";
    case QR_BACKEND_ALWAYSON: return "AlwaysOn primary";
    case QR_BACKEND_FCI: return "SQL instance";
    default: return "SQL server";
    }
}

const char *qr_narrate_cause(const qr_vocab *v, const sim_step_info *info, char *buf,
                             size_t size)
{
    const qr_topology *t = v->t;
    const char *name = comp_name(v, info->index);
    const char *cl = (info->index >= 0 && info->index < t->n_clusters)
                         ? t->clusters[info->index].name : "?";
    switch (info->cause) {
    case SIM_CAUSE_NONE:
        snprintf(buf, size, "nothing");
        break;
    case SIM_CAUSE_FAILURE:
        snprintf(buf, size, "%s failed (random failure)", name);
        break;
    case SIM_CAUSE_REPAIR:
        snprintf(buf, size, "%s repaired (random repair)", name);
        break;
    case SIM_CAUSE_ACTION:
        switch (info->action) {
        case SIM_ACT_CRASH:
            if (info->index >= 0 && t->comps[info->index].kind == QR_COMP_LINK)
                snprintf(buf, size, "link %s cut (unexpected)", name);
            else
                snprintf(buf, size, "%s crashed (unexpected)", name);
            break;
        case SIM_ACT_SHUTDOWN:
            snprintf(buf, size, "%s shut down gracefully (drained first)", name);
            break;
        case SIM_ACT_START: snprintf(buf, size, "%s started", name); break;
        case SIM_ACT_REPAIR:
            if (info->index >= 0 && t->comps[info->index].kind == QR_COMP_LINK)
                snprintf(buf, size, "link %s restored", name);
            else
                snprintf(buf, size, "%s repaired", name);
            break;
        case SIM_ACT_SOFT_RESET:
            snprintf(buf, size, "soft reset run (Reset-CsPoolRegistrarState -ResetType "
                                "QuorumLossRecovery)");
            break;
        case SIM_ACT_SQL_FAILOVER: snprintf(buf, size, "manual SQL failover run"); break;
        }
        break;
    case SIM_CAUSE_POOL_START:
        snprintf(buf, size, "pool restart time elapsed (fabric.restart_time)");
        break;
    case SIM_CAUSE_OPERATOR_RESET:
        snprintf(buf, size, "the operator runs the soft reset (operations.quorum_reset)");
        break;
    case SIM_CAUSE_BACKEND_FAILOVER:
        snprintf(buf, size, "%s failover time elapsed (backend.failover_time)",
                 backend_word(t));
        break;
    case SIM_CAUSE_BACKEND_RESYNC:
        snprintf(buf, size, "%s resynchronized (backend.resync_time)",
                 t->pool.backend.kind == QR_BACKEND_ALWAYSON ? "secondary replica" : "mirror");
        break;
    case SIM_CAUSE_BACKEND_GRACE:
        snprintf(buf, size, "Back End down past its grace (backend.resiliency_grace)");
        break;
    case SIM_CAUSE_FILE_STORE_FAILOVER:
        snprintf(buf, size, "file store failover time elapsed (file_store.failover_time)");
        break;
    case SIM_CAUSE_PATCH:
        snprintf(buf, size, "patch night step (M7)");
        break;
    case SIM_CAUSE_REPLICA_REBUILD: {
        int fe = info->index;
        const char *fen = (fe >= 0 && fe < t->pool.n_frontends)
                              ? t->comps[t->pool.frontends[fe]].name : "?";
        snprintf(buf, size, "replicas lost on %s rebuilt elsewhere (fabric.replica_rebuild)",
                 fen);
        break;
    }
    case SIM_CAUSE_CLUSTER_ADJUST:
        snprintf(buf, size, "cluster %s processed a lost member (cluster.quorum_adjust_delay)",
                 cl);
        break;
    case SIM_CAUSE_CLUSTER_FORCE:
        snprintf(buf, size, "the operator forces quorum on cluster %s (operations.force_quorum)",
                 cl);
        break;
    }
    return buf;
}

const char *qr_narrate_votes(const qr_vocab *v, const qr_snapshot *s, char *buf, size_t size)
{
    size_t o = 0;
    static const char *const pool_state[] = { "quorum", "pool down, quorum lost",
                                                    "pool starting" };
    o += (size_t)snprintf(buf + o, size - o, "pool voters up %d of %d (%s)",
                          s->val[v->k_voters_up], s->val[v->k_voters],
                          pool_state[s->val[v->k_pool]]);
    for (int c = 0; c < v->t->n_clusters && o < size; c++) {
        int k = v->k_cluster0 + 6 * c;
        o += (size_t)snprintf(buf + o, size - o, "; cluster %s voters up %d of %d (%s)",
                              v->t->clusters[c].name, s->val[k + 1], s->val[k + 2],
                              cluster_words[s->val[k]]);
    }
    return buf;
}

/* What a user notices when a feature is down or degraded (M6 built-ins). */
static const char *user_phrase(const char *feature, bool degraded)
{
    static const struct {
        const char *name, *down, *degraded;
    } phrases[] = {
        { "signin_im", "cannot sign in or send IMs", "some users sign in with limited functionality" },
        { "presence", "presence is not published", "presence is stale for some users" },
        { "p2p_calls", "cannot make calls", "some calls fail" },
        { "conferencing", "cannot schedule or join meetings", "some meetings fail" },
        { "address_book", "the address book does not update", "the address book is stale for some users" },
        { "persistent_changes", "contacts and settings cannot be changed",
          "some users cannot change contacts or settings" },
    };
    for (size_t i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++)
        if (strcmp(phrases[i].name, feature) == 0)
            return degraded ? phrases[i].degraded : phrases[i].down;
    return NULL;
}

/* The list of names of features whose code changed to `code`. */
static int list_features(const qr_vocab *v, const qr_snapshot *a, const qr_snapshot *b,
                         int code, sbuf *out)
{
    int n = 0;
    for (int f = 0; f < v->t->n_features; f++) {
        int k = v->k_feature0 + f;
        if (b->val[k] == code && a->val[k] != code) {
            sb_printf(out, "%s%s", n ? ", " : "", v->t->features[f].name);
            n++;
        }
    }
    return n;
}

static void sep(sbuf *b)
{
    sb_printf(b, " — ");
}

static void narrate_components(const qr_vocab *v, const sim_step_info *info,
                               const qr_snapshot *a, const qr_snapshot *b, sbuf *out)
{
    static const char *const what[] = { "back up", "down (unexpected)", "down (graceful)" };
    static const int order[] = { 1, 2, 0 };
    for (int o = 0; o < 3; o++) {
        int sub = order[o], n = 0;
        for (int i = 0; i < v->t->n_comps; i++) {
            int k = v->k_comp0 + i;
            if (a->val[k] == b->val[k] || b->val[k] != sub)
                continue;
            if (i == info->index &&
                (info->cause == SIM_CAUSE_ACTION || info->cause == SIM_CAUSE_FAILURE ||
                 info->cause == SIM_CAUSE_REPAIR))
                continue; /* the cause says it */
            if (n == 0)
                sep(out);
            sb_printf(out, "%s%s", n ? ", " : "", v->t->comps[i].name);
            n++;
        }
        if (n)
            sb_printf(out, " %s", what[sub]);
    }
}

static void narrate_pool(const qr_vocab *v, bool operator_on, const qr_snapshot *a,
                         const qr_snapshot *b, sbuf *out, sbuf *advice)
{
    const qr_topology *t = v->t;
    int p0 = a->val[v->k_pool], p1 = b->val[v->k_pool];
    int up = b->val[v->k_voters_up], all = b->val[v->k_voters];
    bool votes_changed = up != a->val[v->k_voters_up] || all != a->val[v->k_voters];
    /* M1.2, and a seed must run (fabric.c) */
    bool majority = 2 * up > all && b->val[v->k_seeds_up] > 0;
    bool was_majority = 2 * a->val[v->k_voters_up] > a->val[v->k_voters] &&
                        a->val[v->k_seeds_up] > 0;
    if (p0 != p1) {
        sep(out);
        if (p1 == 1) {
            if (b->val[v->k_seeds_up] == 0)
                sb_printf(out, "no seed front end runs, pool DOWN");
            else
                sb_printf(out, "pool voters up %d of %d, quorum LOST", up, all);
            if (operator_on)
                sb_printf(advice, " — the operator will run the soft reset "
                                  "(Reset-CsPoolRegistrarState -ResetType QuorumLossRecovery) "
                                  "in %g min (operations.quorum_reset.after)",
                          t->params.quorum_reset_after / 60.0);
            else
                sb_printf(advice, " — an operator must run the soft reset "
                                  "(Reset-CsPoolRegistrarState -ResetType QuorumLossRecovery)");
            if (!majority)
                sb_printf(advice, "; it succeeds only once more than half the voters are up "
                                  "(M1.7), or the pool restarts by itself once a front end "
                                  "starts and %d of its %d front ends run (M1.6)",
                          qr_pool_start_threshold(t->pool.n_frontends), t->pool.n_frontends);
        } else if (p1 == 2) {
            sb_printf(out, "pool starting, voters up %d of %d (up after fabric.restart_time, "
                           "%g min)",
                      up, all, t->params.restart_time / 60.0);
        } else {
            sb_printf(out, "pool UP, voters up %d of %d", up, all);
        }
        return;
    }
    if (!votes_changed)
        return;
    sep(out);
    if (p1 == 0)
        sb_printf(out, "pool voters up %d of %d, quorum kept", up, all);
    else if (p1 == 1 && majority && !was_majority)
        sb_printf(out, "pool voters up %d of %d: the soft reset can succeed now (M1.7)", up,
                  all);
    else
        sb_printf(out, "pool voters up %d of %d, pool still %s", up, all,
                  p1 == 1 ? "down" : "starting");
}

static void narrate_backend(const qr_vocab *v, bool operator_on, const qr_snapshot *a,
                            const qr_snapshot *b, sbuf *out, sbuf *advice)
{
    const qr_topology *t = v->t;
    const qr_backend *be = &t->pool.backend;
    if (a->val[v->k_principal] != b->val[v->k_principal]) {
        sep(out);
        sb_printf(out, "%s now %s", backend_word(t), comp_name(v, b->val[v->k_principal]));
    }
    if (a->val[v->k_backend] != b->val[v->k_backend]) {
        sep(out);
        if (b->val[v->k_backend] == 0) {
            sb_printf(out, "Back End serving");
        } else {
            sb_printf(out, "Back End DOWN");
            int p = b->val[v->k_principal];
            bool principal_up = p >= 0 && b->val[v->k_comp0 + p] == 0;
            if (be->kind == QR_BACKEND_MIRRORING && be->witness < 0 && !principal_up) {
                if (operator_on)
                    sb_printf(advice, " — no witness: the operator fails SQL over to the "
                                      "mirror in %g min (operations.sql_failover.after, M3.4)",
                              t->params.sql_failover_after / 60.0);
                else
                    sb_printf(advice, " — no witness: an operator must fail SQL over to the "
                                      "mirror by hand (M3.4)");
            } else if (be->kind == QR_BACKEND_MIRRORING && !principal_up) {
                if (a->val[v->k_sync])
                    sb_printf(advice, " — the mirror takes over after %g min if it sees the "
                                      "witness (M3.3)",
                              be->failover_time / 60.0);
                else
                    sb_printf(advice, " — the mirror was not synchronized: no failover, the "
                                      "Back End is down until the principal's server returns "
                                      "(M3.3)");
            } else if (be->kind == QR_BACKEND_ALWAYSON && !principal_up &&
                       be->cluster >= 0 && be->cluster < t->n_clusters &&
                       b->val[v->k_cluster0 + 6 * be->cluster] == 0) {
                sb_printf(advice, " — a synchronized replica takes over after %g min if the "
                                  "cluster keeps quorum (M4.6)",
                          be->failover_time / 60.0);
            }
            if (b->val[v->k_pool] == 0)
                sb_printf(advice, " — users keep working for %g min, then resiliency mode "
                                  "(M3.5)",
                          be->resiliency_grace / 60.0);
        }
    }
    if (a->val[v->k_sync] != b->val[v->k_sync] &&
        (be->kind == QR_BACKEND_MIRRORING || be->kind == QR_BACKEND_ALWAYSON)) {
        bool m = be->kind == QR_BACKEND_MIRRORING;
        sep(out);
        if (b->val[v->k_sync])
            sb_printf(out, m ? "mirror synchronized" : "secondary replica synchronized");
        else
            sb_printf(out, m ? "no synchronized mirror: the principal runs exposed"
                             : "no synchronized secondary replica: the primary runs exposed");
    }
    if (a->val[v->k_resiliency] != b->val[v->k_resiliency]) {
        sep(out);
        sb_printf(out, b->val[v->k_resiliency]
                           ? "users in resiliency mode: no persistent changes (M3.5)"
                           : "resiliency mode over");
    }
    if (a->val[v->k_file_store] != b->val[v->k_file_store]) {
        sep(out);
        sb_printf(out, b->val[v->k_file_store] ? "file store DOWN" : "file store up");
    }
}

static void narrate_groups(const qr_vocab *v, bool operator_on, const qr_snapshot *a,
                           const qr_snapshot *b, sbuf *out, sbuf *advice)
{
    int gw = b->val[v->k_gw], gl = b->val[v->k_gl], gd = b->val[v->k_gd];
    if (gw == a->val[v->k_gw] && gl == a->val[v->k_gl] && gd == a->val[v->k_gd])
        return;
    if (b->val[v->k_pool] != 0)
        return; /* the pool is down: its groups do not matter to users */
    sep(out);
    sb_printf(out, "routing groups %d writable, %d in quorum loss, %d with no replica", gw, gl,
              gd);
    if (gl > a->val[v->k_gl] && b->val[v->k_pool] == 0) {
        if (operator_on)
            sb_printf(advice, " — the operator's soft reset will reload the groups in quorum "
                              "loss from the Back End (M2.4)");
        else
            sb_printf(advice, " — users of the groups in quorum loss are in limited "
                              "functionality until their replicas return or a soft reset "
                              "reloads them (M2.4)");
    }
}

static void narrate_clusters(const qr_vocab *v, bool operator_on, const qr_snapshot *a,
                             const qr_snapshot *b, sbuf *out, sbuf *advice)
{
    for (int c = 0; c < v->t->n_clusters; c++) {
        int k = v->k_cluster0 + 6 * c;
        const char *name = v->t->clusters[c].name;
        int st0 = a->val[k], st1 = b->val[k];
        int up = b->val[k + 1], all = b->val[k + 2];
        bool votes = up != a->val[k + 1] || all != a->val[k + 2] || a->val[k + 3] != b->val[k + 3];
        if (st0 != st1) {
            sep(out);
            if (st1 == 1) {
                sb_printf(out, "cluster %s quorum LOST (voters up %d of %d), its roles stop",
                          name, up, all);
                if (operator_on)
                    sb_printf(advice, " — the operator forces quorum on %s in %g min (M4.5)",
                              name, v->t->params.force_quorum_after / 60.0);
                else
                    sb_printf(advice, " — %s forms again when a majority of its configured "
                                      "votes returns, or an operator forces quorum (M4.5)",
                              name);
            } else if (st1 == 2) {
                sb_printf(out, "cluster %s runs in forced quorum", name);
            } else {
                sb_printf(out, "cluster %s up, voters up %d of %d", name, up, all);
            }
        } else if (votes) {
            sep(out);
            sb_printf(out, "cluster %s voters up %d of %d%s", name, up, all,
                      b->val[k + 3] ? " (witness votes)" : "");
        }
    }
}

static void narrate_features(const qr_vocab *v, const qr_snapshot *a, const qr_snapshot *b,
                             sbuf *out, sbuf *users)
{
    int nf = v->t->n_features, down = 0, up = 0, changed = 0;
    for (int f = 0; f < nf; f++) {
        int k = v->k_feature0 + f;
        down += b->val[k] == 2;
        up += b->val[k] == 0;
        changed += a->val[k] != b->val[k];
    }
    if (!changed)
        return;
    sep(out);
    if (down == nf) {
        sb_printf(out, "all features down");
    } else if (up == nf) {
        sb_printf(out, "all features up");
    } else {
        const char *labels[] = { "up again: ", "degraded: ", "down: " };
        int parts = 0;
        for (int code = 2; code >= 0; code--) {
            sbuf l = { 0 };
            int n = list_features(v, a, b, code, &l);
            if (n) {
                sb_printf(out, "%s%s%s", parts ? "; " : "", labels[code], l.s);
                parts++;
            }
            if (l.oom)
                out->oom = 1;
            free(l.s);
        }
    }
    /* What users notice now: every feature not fully up. */
    int n = 0;
    for (int code = 2; code >= 1; code--)
        for (int f = 0; f < nf; f++) {
            if (b->val[v->k_feature0 + f] != code)
                continue;
            const char *name = v->t->features[f].name;
            const char *p = user_phrase(name, code == 1);
            if (p)
                sb_printf(users, "%s%s", n ? "; " : "", p);
            else
                sb_printf(users, "%s%s %s", n ? "; " : "", name,
                          code == 2 ? "unavailable" : "degraded");
            n++;
        }
    if (n == 0)
        sb_printf(users, "everything works again");
}

static void narrate_counters(const qr_vocab *v, const qr_snapshot *a, const qr_snapshot *b,
                             sbuf *out)
{
    if (b->val[v->k_soft_resets] > a->val[v->k_soft_resets]) {
        sep(out);
        sb_printf(out, "soft reset accepted (data not yet written to the Back End may be "
                       "lost)");
    }
    if (b->val[v->k_resets_failed] > a->val[v->k_resets_failed]) {
        sep(out);
        if (b->val[v->k_pool] == 1)
            sb_printf(out, "soft reset FAILED: voters up %d of %d is not a majority (M1.7)",
                      b->val[v->k_voters_up], b->val[v->k_voters]);
        else
            sb_printf(out, "soft reset FAILED: the Back End is down, the groups cannot be "
                           "reloaded (M2.4)");
    }
}

void qr_tl_entry_release(qr_tl_entry *en)
{
    if (!en)
        return;
    for (int i = 0; i < en->n_changed; i++) {
        if (en->from)
            free(en->from[i]);
        if (en->to)
            free(en->to[i]);
    }
    free(en->from);
    free(en->to);
    free(en->changed);
    free(en->cause);
    free(en->text);
    free(en->users);
    free(en->votes);
    memset(en, 0, sizeof(*en));
}

int qr_narrate(const qr_vocab *v, const sim_step_info *info, const char *note, bool operator_on,
               const qr_snapshot *a, const qr_snapshot *b, qr_tl_entry *out)
{
    memset(out, 0, sizeof(*out));
    out->time = b->now;
    out->step = -1;
    out->info = *info;
    int n = 0;
    for (int k = 0; k < v->n; k++)
        n += a->val[k] != b->val[k];
    out->changed = calloc((size_t)n + 1, sizeof(int));
    out->from = calloc((size_t)n + 1, sizeof(char *));
    out->to = calloc((size_t)n + 1, sizeof(char *));
    if (!out->changed || !out->from || !out->to)
        goto oom;
    for (int k = 0; k < v->n; k++) {
        if (a->val[k] == b->val[k])
            continue;
        char x[160], y[160];
        int i = out->n_changed++;
        out->changed[i] = k;
        out->from[i] = strdup(qr_snapshot_value(a, v, k, x, sizeof(x)));
        out->to[i] = strdup(qr_snapshot_value(b, v, k, y, sizeof(y)));
        if (!out->from[i] || !out->to[i])
            goto oom;
    }
    char cause[512];
    if (note)
        snprintf(cause, sizeof(cause), "%s", note);
    else
        qr_narrate_cause(v, info, cause, sizeof(cause));
    out->cause = strdup(cause);
    sbuf text = { 0 }, advice = { 0 }, users = { 0 };
    sb_printf(&text, "%s", cause);
    if (n == 0 && info->cause == SIM_CAUSE_ACTION)
        sb_printf(&text, " — no change");
    narrate_components(v, info, a, b, &text);
    narrate_pool(v, operator_on, a, b, &text, &advice);
    narrate_backend(v, operator_on, a, b, &text, &advice);
    narrate_groups(v, operator_on, a, b, &text, &advice);
    narrate_clusters(v, operator_on, a, b, &text, &advice);
    narrate_counters(v, a, b, &text);
    narrate_features(v, a, b, &text, &users);
    if (n > 0 && text.n == strlen(cause)) {
        /* Nothing above speaks of it (a counter, a component's state
         * already in the cause): name the keys that changed. */
        int own = info->index >= 0 && info->index < v->t->n_comps &&
                          info->cause != SIM_CAUSE_REPLICA_REBUILD &&
                          info->cause != SIM_CAUSE_CLUSTER_ADJUST &&
                          info->cause != SIM_CAUSE_CLUSTER_FORCE
                      ? v->k_comp0 + info->index : -1;
        int shown = 0;
        for (int i = 0; i < out->n_changed; i++)
            if (out->changed[i] != own)
                sb_printf(&text, "%s%s %s → %s", shown++ ? ", " : " — ",
                          qr_vocab_key(v, out->changed[i]), out->from[i], out->to[i]);
    }
    if (advice.s)
        sb_printf(&text, "%s", advice.s);
    char votes[1024];
    out->votes = strdup(qr_narrate_votes(v, b, votes, sizeof(votes)));
    int oom = text.oom || advice.oom || users.oom || !out->cause || !out->votes;
    out->text = text.s;
    out->users = users.s;
    free(advice.s);
    if (oom || !out->text)
        goto oom;
    return n > 0 ? 1 : 0;
oom:
    qr_tl_entry_release(out);
    return -1;
}
