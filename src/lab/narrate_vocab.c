/*
 * narrate_vocab.c: the vocabulary of scenario expectations and the snapshots of an
 * engine's state (narrate.h; the narrator itself is in narrate.c).
 *
 * The vocabulary is a flat array of keys built once per topology; each
 * key names one quantity (qty) and, for per-feature, per-cluster and
 * per-component keys, an index. A snapshot holds one small integer per
 * key, read only through engine.h's public queries, so a diff of two
 * snapshots is a loop over integers.
 */
#include "lab/narrate_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/suggest.h"

static const char *const pool_words[] = { "up", "down", "starting", NULL };
static const char *const backend_words[] = { "serving", "down", NULL };
static const char *const updown_words[] = { "up", "down", NULL };
static const char *const feature_words[] = { "up", "degraded", "down", NULL };
static const char *const cluster_words[] = { "up", "down", "forced", NULL };
static const char *const comp_words[] = { "up", "crashed", "stopped", NULL };
static const char *const latent_words[] = { "none", "hidden", "shown", NULL };

const char *qr_vocab_cluster_word(int value)
{
    return value >= 0 && value <= 2 ? cluster_words[value] : "?";
}

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

static const char *const dr_words[] = { "home", "registrar_wait", "resiliency", "failed_over",
                                         "failback", NULL };

/* A design with several pools (M10): per pool its state, where its users
 * are served, its copy of every feature ("pool1.signin_im") and its
 * counters; every feature row as "feature.NAME"; the CMS; components. The
 * keys of one pool's engine (fabric, backend, groups ...) are not there. */
static void paired_keys(qr_vocab *v, const qr_topology *t)
{
    v->k_pool = v->k_seeds_up = v->k_voters_up = v->k_voters = v->k_fe_up = -1;
    v->k_backend = v->k_principal = v->k_sync = v->k_resiliency = v->k_file_store = -1;
    v->k_gw = v->k_gl = v->k_gd = v->k_soft_resets = v->k_resets_failed = -1;
    v->k_quorum_losses = -1;
    static const struct {
        sim_px      k;
        const char *name;
    } counts[] = {
        { SIM_PX_REGISTRAR, "registrar_failovers" }, { SIM_PX_FAILOVERS, "pool_failovers" },
        { SIM_PX_CMS_FAILOVERS, "cms_failovers" },  { SIM_PX_FAILBACKS, "failbacks" },
        { SIM_PX_DATA_LOSS_RISK, "data_loss_risk" },
    };
    int nf = t->pairing.n_user_features;
    for (int i = 0; i < t->n_pools; i++) {
        const char *p = t->pools[i].name;
        add_key(v, Q_DR_POOL, i, VT_ENUM, pool_words, "%s.pool", p);
        add_key(v, Q_DR_USERS, i, VT_ENUM, dr_words, "%s.users", p);
        for (int f = 0; f < nf; f++)
            add_key(v, Q_FEATURE, nf * (1 + i) + f, VT_ENUM, feature_words, "%s",
                    t->features[nf * (1 + i) + f].name);
        for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
            add_key(v, Q_DR_COUNT, i * SIM_PX_COUNT + (int)counts[c].k, VT_INT, NULL,
                    "count.%s.%s", p, counts[c].name);
    }
    add_key(v, Q_DR_CMS, -1, VT_POOL, NULL, "cms");
    v->k_feature0 = v->n;
    for (int f = 0; f < t->n_features; f++)
        add_key(v, Q_FEATURE, f, VT_ENUM, feature_words, "feature.%s", t->features[f].name);
    v->k_cluster0 = v->n;
    v->k_comp0 = v->n;
    for (int i = 0; i < t->n_comps; i++)
        add_key(v, Q_COMP, i, VT_ENUM, comp_words, "%s.%s", comp_prefix[t->comps[i].kind],
                t->comps[i].name);
}

qr_vocab *qr_vocab_new(const qr_topology *t)
{
    qr_vocab *v = calloc(1, sizeof(*v));
    if (!v)
        return NULL;
    v->t = t;
    if (qr_topology_is_paired(t)) {
        paired_keys(v, t);
        if (v->oom) {
            qr_vocab_free(v);
            return NULL;
        }
        return v;
    }
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
    v->k_reachable = add_key(v, Q_REACHABLE, -1, VT_BOOL, NULL, "backend.reachable");
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
    v->k_host0 = v->n;
    for (int i = 0; i < t->n_comps; i++)
        if (t->comps[i].kind == QR_COMP_SERVER && t->comps[i].host >= 0) {
            add_key(v, Q_VM_HOST, i, VT_SERVER, NULL, "host_of.%s", t->comps[i].name);
            v->n_host_keys++;
        }
    /* M7.3-M7.5: only for a design with latent faults. */
    v->k_latent0 = v->n;
    for (int f = 0, p = 0; f < t->n_latent; f++)
        for (int j = 0; j < t->latent[f].n_members; j++, p++)
            add_key(v, Q_LATENT, p, VT_ENUM, latent_words, "latent.%s.%s", t->latent[f].name,
                    t->comps[t->latent[f].members[j]].name);
    v->n_latent_keys = v->n - v->k_latent0;
    if (t->n_latent > 0) {
        add_key(v, Q_COUNT_LATENT_SHOWN, -1, VT_INT, NULL, "count.latent_shown");
        add_key(v, Q_COUNT_LATENT_AUDIT, -1, VT_INT, NULL, "count.latent_found_by_audit");
        add_key(v, Q_COUNT_NIGHTS_STOPPED, -1, VT_INT, NULL, "count.patch_nights_stopped");
    }
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
        if (key->q == Q_VM_HOST) {
            int h = qr_topology_find_kind(v->t, QR_COMP_HOST, value);
            if (h >= 0 && v->t->comps[h].site == v->t->comps[v->t->comps[key->index].host].site)
                return 0;
            snprintf(buf, size, "a host of the site of '%s'", v->t->comps[key->index].name);
            return -1;
        }
        if (strcmp(value, "none") == 0 ||
            qr_topology_find_kind(v->t, QR_COMP_SERVER, value) >= 0 ||
            qr_topology_find_kind(v->t, QR_COMP_EXTERNAL_SQL, value) >= 0)
            return 0;
        snprintf(buf, size, "a server of the topology or 'none'");
        return -1;
    case VT_POOL:
        if (strcmp(value, "none") == 0 || qr_topology_find_pool(v->t, value) >= 0)
            return 0;
        snprintf(buf, size, "a pool of the topology or 'none'");
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
        case Q_REACHABLE: x = st.backend_reachable; break;
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
        case Q_VM_HOST: x = sim_engine_comp_host(e, key->index); break;
        case Q_LATENT: {
            int f = -1, c = -1;
            if (sim_latent_pair_decode(v->t, key->index, &f, &c) == 0)
                x = (int)sim_engine_latent(e, f, c);
            break;
        }
        case Q_COUNT_LATENT_SHOWN:
        case Q_COUNT_LATENT_AUDIT:
        case Q_COUNT_NIGHTS_STOPPED: {
            sim_latent_counts n;
            sim_engine_latent_counts(e, &n);
            x = (int)(key->q == Q_COUNT_LATENT_SHOWN   ? n.shown
                      : key->q == Q_COUNT_LATENT_AUDIT ? n.found_by_audit
                                                       : n.nights_stopped);
            break;
        }
        case Q_DR_POOL: /* designs with pools: qr_snapshot_take_pairing */
        case Q_DR_USERS:
        case Q_DR_CMS:
        case Q_DR_COUNT: break;
        }
        s->val[k] = x;
    }
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
        snprintf(buf, size, "%s", qr_vocab_comp_name(v, x));
        break;
    case VT_POOL:
        snprintf(buf, size, "%s", x >= 0 && x < v->t->n_pools ? v->t->pools[x].name : "none");
        break;
    }
    return buf;
}

/* A feature's word (up, degraded, down) for its value. */
static int feature_word(double value)
{
    return value >= 1.0 ? 0 : value > 0.0 ? 1 : 2;
}

void qr_snapshot_take_pairing(qr_snapshot *s, const qr_vocab *v, const sim_pairing *p)
{
    s->now = sim_pairing_now(p);
    const qr_topology *t = v->t;
    for (int k = 0; k < v->n; k++) {
        const vkey *key = &v->keys[k];
        int x = 0;
        switch (key->q) {
        case Q_DR_POOL: {
            sim_status st;
            sim_engine_status(sim_pairing_engine(p, key->index), &st);
            x = st.pool == SIM_POOL_UP ? 0 : st.pool == SIM_POOL_DOWN ? 1 : 2;
            break;
        }
        case Q_DR_USERS:
            x = (int)sim_pairing_state(p, key->index);
            break;
        case Q_DR_CMS:
            x = sim_pairing_cms_pool(p);
            break;
        case Q_DR_COUNT:
            x = (int)sim_pairing_counter(p, key->index / SIM_PX_COUNT,
                                         (sim_px)(key->index % SIM_PX_COUNT));
            break;
        case Q_FEATURE:
            x = feature_word(sim_pairing_value(p, key->index));
            break;
        case Q_COMP: /* from the first pool whose view holds it */
            for (int i = 0; i < t->n_pools; i++) {
                int c = sim_pairing_view_comp(p, i, key->index);
                if (c >= 0) {
                    x = (int)sim_engine_comp_state(sim_pairing_engine(p, i), c);
                    break;
                }
            }
            break;
        default:
            break;
        }
        s->val[k] = x;
    }
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
