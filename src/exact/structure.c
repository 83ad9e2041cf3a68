/*
 * structure.c: the static structure function of M9 (src/exact/structure.h).
 *
 * sim_structure_new() turns the topology into flat index arrays: each
 * component's containers, the front ends and seeds, the distinct routing-
 * group replica sets (as component indices, with how many groups share
 * each), the back end's and file store's parts, every cluster's nodes,
 * weights and witness, and the features' needs. Evaluation only reads them,
 * so a structure is shared read-only by every simulator thread, and no call
 * after sim_structure_new() allocates.
 *
 * Invariant: every component index stored here is either -1 (absent, which
 * reads as down) or in [0, n_comps).
 */
#include "exact/structure.h"

#include <stdlib.h>
#include <string.h>

#include "model/placement.h"

/* Containers per component: host, the host's site, own site, and one spare
 * level for unusual nestings (storage on a host). */
#define MAX_ANC 4

/* Up to this many front ends, the writable-group count is tabulated for
 * every front-end state (2^(N+1) ints: 512 KiB at 16), so evaluating the
 * routing groups costs one lookup instead of O(U*R). */
#define TABLE_MAX_FE 16

typedef struct {
    int  first;          /* offset of its nodes in nodes[] / weight[]     */
    int  n;              /* node count                                    */
    int  witness;        /* witness component, -1 for none or absent      */
    int  has_witness;    /* a witness is configured (kind != none)        */
    int  witness_votes;  /* M9: configured voting nodes even -> 1         */
    int  votes;          /* configured votes: node weights + witness_votes*/
    int  dynamic_quorum; /* M4.2: graceful leaves adjust the votes        */
} cluster_info;

struct sim_structure {
    int  n_comps;
    int *anc;             /* n_comps * MAX_ANC containers, -1 padded      */
    int *dep_start;       /* n_comps + 1 offsets into dep[]               */
    int *dep;             /* per component: itself, then what it contains */

    int  n_fe;
    int *fe;              /* front-end component indices, topology order  */
    int  n_seeds;         /* M1.1: the first n_seeds of fe vote           */
    int  seeds_even;      /* M1.2: the back end adds a vote               */
    int  be_votes;        /* M1.2: the Back End can vote at all (not an   */
                          /*   SfB 2019 pool of 13-16, qr_pool_backend_votes) */
    int  graceful_adjusts;/* M1.3: fabric.graceful_leave_adjusts_votes    */

    int  groups;          /* G                                            */
    int  r;               /* replicas per group                           */
    int  n_sets;          /* distinct replica sets                        */
    int *set_comp;        /* n_sets * r component indices                 */
    int *set_count;       /* groups holding each set                      */
    unsigned *set_mask;   /* each set as a bit mask of front-end indices   */
    int *writable_tab;    /* groups writable by (fe_mask << 1 | backend), */
                          /*   when n_fe <= TABLE_MAX_FE, else NULL        */

    qr_backend_kind be_kind;
    int  be_server, be_principal, be_mirror, be_witness;
    int  be_external, be_storage, be_cluster;
    int *be_rep;          /* alwayson replica servers                     */
    int  n_be_rep;

    qr_file_store_kind fs_kind;
    int  fs_server, fs_storage, fs_cluster;
    int *fs_rep;          /* dfs replica servers                          */
    int  n_fs_rep;

    int           n_clusters;
    cluster_info *clusters;
    int          *nodes;  /* all clusters' node components                */
    int          *weight; /* NodeWeight per node (M4.1)                   */

    int       n_features;
    unsigned *needs;      /* OR of qr_need per feature                    */
};

/* A component index of t, or -1 when out of range. */
static int comp_ref(const qr_topology *t, int i)
{
    return (i >= 0 && i < t->n_comps) ? i : -1;
}

static int is_up(const unsigned char *eff, int i)
{
    return i >= 0 && eff[i];
}

/* Copy n component references into a new array (NULL when n is 0). */
static int copy_refs(const qr_topology *t, const int *src, int n, int **out)
{
    *out = NULL;
    if (n <= 0 || !src)
        return 0;
    *out = malloc((size_t)n * sizeof(**out));
    if (!*out)
        return -1;
    for (int i = 0; i < n; i++)
        (*out)[i] = comp_ref(t, src[i]);
    return 0;
}

static void fill_containers(sim_structure *s, const qr_topology *t)
{
    for (int i = 0; i < t->n_comps; i++) {
        int *a = &s->anc[(size_t)i * MAX_ANC];
        int n = 0;
        for (int k = 0; k < MAX_ANC; k++)
            a[k] = -1;
        /* Breadth-first over host and site links; bounded, so a malformed
         * cycle cannot loop. */
        int todo[2 * MAX_ANC + 2];
        int nt = 0, head = 0;
        todo[nt++] = comp_ref(t, t->comps[i].host);
        todo[nt++] = comp_ref(t, t->comps[i].site);
        while (head < nt && n < MAX_ANC) {
            int c = todo[head++];
            if (c < 0 || c == i)
                continue;
            int seen = 0;
            for (int k = 0; k < n; k++)
                seen |= (a[k] == c);
            if (seen)
                continue;
            a[n++] = c;
            if (nt + 2 <= (int)(sizeof(todo) / sizeof(todo[0]))) {
                todo[nt++] = comp_ref(t, t->comps[c].host);
                todo[nt++] = comp_ref(t, t->comps[c].site);
            }
        }
    }
}

/* Reverse of anc[]: for each component, itself and every component it
 * contains, as a compressed row list. */
static int fill_dependents(sim_structure *s)
{
    int n = s->n_comps;
    s->dep_start = calloc((size_t)n + 1, sizeof(*s->dep_start));
    if (!s->dep_start)
        return -1;
    for (int i = 0; i < n; i++) {
        s->dep_start[i + 1]++;                        /* itself */
        for (int k = 0; k < MAX_ANC && s->anc[(size_t)i * MAX_ANC + k] >= 0; k++)
            s->dep_start[s->anc[(size_t)i * MAX_ANC + k] + 1]++;
    }
    for (int i = 0; i < n; i++)
        s->dep_start[i + 1] += s->dep_start[i];
    s->dep = malloc((size_t)(s->dep_start[n] > 0 ? s->dep_start[n] : 1) * sizeof(*s->dep));
    int *fill = calloc((size_t)n + 1, sizeof(*fill));
    if (!s->dep || !fill) {
        free(fill);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        s->dep[s->dep_start[i] + fill[i]++] = i;
        for (int k = 0; k < MAX_ANC && s->anc[(size_t)i * MAX_ANC + k] >= 0; k++) {
            int a = s->anc[(size_t)i * MAX_ANC + k];
            s->dep[s->dep_start[a] + fill[a]++] = i;
        }
    }
    free(fill);
    return 0;
}

/* The distinct sets of replica components of the placement (M2.2 is
 * symmetric in a group's replicas, so order within a set is irrelevant). */
static int fill_groups(sim_structure *s, const qr_topology *t)
{
    sim_placement pl;
    sim_replica_sets rs;
    int ret = -1;

    if (sim_placement_init(&pl, t) != 0)
        return -1;
    s->groups = pl.groups;
    s->r = pl.r;
    if (sim_replica_sets_init(&rs, &pl) != 0)
        goto cleanup;
    int r = rs.r, n_sets = rs.n_sets;
    if (n_sets == 0) {
        ret = 0;
        goto cleanup;
    }
    s->set_comp = malloc((size_t)n_sets * (size_t)r * sizeof(*s->set_comp));
    s->set_mask = calloc((size_t)n_sets, sizeof(*s->set_mask));
    if (!s->set_comp || !s->set_mask)
        goto cleanup;
    for (int k = 0; k < n_sets; k++)
        for (int j = 0; j < r; j++) {
            int fe = rs.fe[(size_t)k * r + j];
            s->set_comp[(size_t)k * r + j] = s->fe[fe];
            if (fe < 32)
                s->set_mask[k] |= 1u << fe;
        }
    s->set_count = rs.count; /* taken over */
    rs.count = NULL;
    s->n_sets = n_sets;
    ret = 0;

cleanup:
    sim_replica_sets_release(&rs);
    sim_placement_release(&pl);
    return ret;
}

/* M2.2 for one replica-set: n_up of its r replicas are up. */
static int set_writable(int r, int n_up, int backend)
{
    if (r == 3)
        return n_up >= 2;
    if (r == 2)
        return n_up == 2 || (n_up == 1 && backend);
    return n_up == 1;
}

/* Tabulate the writable-group count for every front-end state and Back End
 * state. Cost O(2^N * U). */
static int fill_writable_table(sim_structure *s)
{
    if (s->n_fe > TABLE_MAX_FE || s->n_sets == 0)
        return 0;
    size_t n = (size_t)1 << (s->n_fe + 1);
    s->writable_tab = malloc(n * sizeof(*s->writable_tab));
    if (!s->writable_tab)
        return -1;
    for (size_t key = 0; key < n; key++) {
        unsigned mask = (unsigned)(key >> 1);
        int be = (int)(key & 1u), writable = 0;
        for (int k = 0; k < s->n_sets; k++)
            if (set_writable(s->r, __builtin_popcount(mask & s->set_mask[k]), be))
                writable += s->set_count[k];
        s->writable_tab[key] = writable;
    }
    return 0;
}

static int fill_clusters(sim_structure *s, const qr_topology *t)
{
    int total = 0;
    if (t->n_clusters <= 0)
        return 0;
    for (int c = 0; c < t->n_clusters; c++)
        total += t->clusters[c].n_nodes > 0 ? t->clusters[c].n_nodes : 0;
    s->n_clusters = t->n_clusters;
    s->clusters = calloc((size_t)t->n_clusters, sizeof(*s->clusters));
    s->nodes = malloc((size_t)(total > 0 ? total : 1) * sizeof(*s->nodes));
    s->weight = malloc((size_t)(total > 0 ? total : 1) * sizeof(*s->weight));
    if (!s->clusters || !s->nodes || !s->weight)
        return -1;
    int off = 0;
    for (int c = 0; c < t->n_clusters; c++) {
        const qr_cluster *qc = &t->clusters[c];
        cluster_info *ci = &s->clusters[c];
        int n = qc->n_nodes > 0 ? qc->n_nodes : 0;
        int voting = 0;
        ci->first = off;
        ci->n = n;
        for (int j = 0; j < n; j++) {
            s->nodes[off + j] = comp_ref(t, qc->nodes[j]);
            s->weight[off + j] = qc->weight ? (qc->weight[j] != 0) : 1;
            voting += s->weight[off + j];
        }
        off += n;
        ci->has_witness = qc->witness_kind != QR_WITNESS_NONE;
        ci->witness = ci->has_witness ? comp_ref(t, qc->witness) : -1;
        /* M9: the witness votes iff the configured voting-node count is
         * even (dynamic witness on the configured votes, no dynamic
         * quorum). */
        ci->witness_votes = ci->has_witness && voting % 2 == 0;
        ci->votes = voting + ci->witness_votes;
        ci->dynamic_quorum = qc->dynamic_quorum;
    }
    return 0;
}

sim_structure *sim_structure_new(const qr_topology *t)
{
    sim_structure *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    const qr_pool *p = &t->pool;
    const qr_backend *b = &p->backend;
    const qr_file_store *f = &p->file_store;

    s->n_comps = t->n_comps;
    s->anc = malloc((size_t)(t->n_comps > 0 ? t->n_comps : 1) * MAX_ANC * sizeof(*s->anc));
    if (!s->anc)
        goto fail;
    fill_containers(s, t);
    if (fill_dependents(s) != 0)
        goto fail;

    s->n_fe = p->n_frontends > 0 ? p->n_frontends : 0;
    if (copy_refs(t, p->frontends, s->n_fe, &s->fe) != 0)
        goto fail;
    s->n_seeds = qr_pool_seed_count(p->version, s->n_fe);
    s->seeds_even = s->n_seeds % 2 == 0 && qr_pool_backend_votes(t);
    s->graceful_adjusts = t->params.graceful_leave_adjusts_votes;
    s->be_votes = qr_pool_backend_votes(t);
    if (s->n_fe > 0 && (fill_groups(s, t) != 0 || fill_writable_table(s) != 0))
        goto fail;

    s->be_kind = b->kind;
    s->be_server = comp_ref(t, b->server);
    s->be_principal = comp_ref(t, b->principal);
    s->be_mirror = comp_ref(t, b->mirror);
    s->be_witness = comp_ref(t, b->witness);
    s->be_external = comp_ref(t, b->external);
    s->be_storage = comp_ref(t, b->storage);
    s->be_cluster = (b->cluster >= 0 && b->cluster < t->n_clusters) ? b->cluster : -1;
    s->n_be_rep = b->n_replicas > 0 ? b->n_replicas : 0;
    if (copy_refs(t, b->replicas, s->n_be_rep, &s->be_rep) != 0)
        goto fail;
    if (!s->be_rep)
        s->n_be_rep = 0;

    s->fs_kind = f->kind;
    s->fs_server = comp_ref(t, f->server);
    s->fs_storage = comp_ref(t, f->storage);
    s->fs_cluster = (f->cluster >= 0 && f->cluster < t->n_clusters) ? f->cluster : -1;
    s->n_fs_rep = f->n_replicas > 0 ? f->n_replicas : 0;
    if (copy_refs(t, f->replicas, s->n_fs_rep, &s->fs_rep) != 0)
        goto fail;
    if (!s->fs_rep)
        s->n_fs_rep = 0;

    if (fill_clusters(s, t) != 0)
        goto fail;

    s->n_features = t->n_features > 0 ? t->n_features : 0;
    if (s->n_features > 0) {
        s->needs = malloc((size_t)s->n_features * sizeof(*s->needs));
        if (!s->needs)
            goto fail;
        for (int i = 0; i < s->n_features; i++)
            s->needs[i] = t->features[i].needs;
    }
    return s;

fail:
    sim_structure_free(s);
    return NULL;
}

void sim_structure_free(sim_structure *s)
{
    if (!s)
        return;
    free(s->anc);
    free(s->dep_start);
    free(s->dep);
    free(s->fe);
    free(s->set_comp);
    free(s->set_count);
    free(s->set_mask);
    free(s->writable_tab);
    free(s->be_rep);
    free(s->fs_rep);
    free(s->clusters);
    free(s->nodes);
    free(s->weight);
    free(s->needs);
    free(s);
}

int sim_structure_n_comps(const sim_structure *s)
{
    return s->n_comps;
}

int sim_structure_n_features(const sim_structure *s)
{
    return s->n_features;
}

/* eff[i] from up[] and i's containers (M0.2). */
static unsigned char effective_one(const sim_structure *s,
                                   const unsigned char *up, int i)
{
    const int *a = &s->anc[(size_t)i * MAX_ANC];
    unsigned char v = up[i] != 0;
    for (int k = 0; k < MAX_ANC && a[k] >= 0; k++)
        v &= (up[a[k]] != 0);
    return v;
}

int sim_structure_comp_up(const sim_structure *s, const unsigned char *up, int i)
{
    return i >= 0 && i < s->n_comps && effective_one(s, up, i);
}

void sim_structure_effective(const sim_structure *s, const unsigned char *up,
                             unsigned char *eff)
{
    /* M0.2: a component is effectively up only while it and every
     * container are up. */
    for (int i = 0; i < s->n_comps; i++)
        eff[i] = effective_one(s, up, i);
}

void sim_structure_effective_update(const sim_structure *s,
                                    const unsigned char *up,
                                    unsigned char *eff, int comp)
{
    if (comp < 0 || comp >= s->n_comps)
        return;
    for (int k = s->dep_start[comp]; k < s->dep_start[comp + 1]; k++)
        eff[s->dep[k]] = effective_one(s, up, s->dep[k]);
}

int sim_structure_cluster_up(const sim_structure *s, const unsigned char *eff,
                             int c)
{
    if (c < 0 || c >= s->n_clusters)
        return 0;
    const cluster_info *ci = &s->clusters[c];
    int present = 0;
    for (int j = 0; j < ci->n; j++)
        if (is_up(eff, s->nodes[ci->first + j]))
            present += s->weight[ci->first + j];
    if (ci->witness_votes && is_up(eff, ci->witness))
        present++;
    /* M4.1 / M9: more than half of the configured votes. */
    return 2 * present > ci->votes;
}

/* Any node of cluster c up (M4.7, M5.1). */
static int any_node_up(const sim_structure *s, const unsigned char *eff, int c)
{
    if (c < 0)
        return 0;
    const cluster_info *ci = &s->clusters[c];
    for (int j = 0; j < ci->n; j++)
        if (is_up(eff, s->nodes[ci->first + j]))
            return 1;
    return 0;
}

static int any_up(const unsigned char *eff, const int *list, int n)
{
    for (int i = 0; i < n; i++)
        if (is_up(eff, list[i]))
            return 1;
    return 0;
}

/* Cluster c's quorum in the given mode: graceful (M4.2) keeps a cluster
 * with dynamic quorum up while any voting node is up, since every graceful
 * leave is processed before the next one and recomputes the votes down to
 * the last node standing; otherwise, and for every unexpected loss, the
 * static M9 rule. */
static int cluster_up_mode(const sim_structure *s, const unsigned char *eff,
                           int c, int graceful)
{
    if (sim_structure_cluster_up(s, eff, c))
        return 1;
    if (!graceful || c < 0 || c >= s->n_clusters || !s->clusters[c].dynamic_quorum)
        return 0;
    const cluster_info *ci = &s->clusters[c];
    for (int j = 0; j < ci->n; j++)
        if (s->weight[ci->first + j] && is_up(eff, s->nodes[ci->first + j]))
            return 1;
    return 0;
}

static int backend_serving(const sim_structure *s, const unsigned char *eff,
                           int graceful)
{
    switch (s->be_kind) {
    case QR_BACKEND_STANDALONE:
        return is_up(eff, s->be_server);                      /* M3.6 */
    case QR_BACKEND_MIRRORING: {
        int p = is_up(eff, s->be_principal), m = is_up(eff, s->be_mirror);
        if (s->be_witness < 0)
            return p || m;                                    /* M9, M3.4 */
        int w = is_up(eff, s->be_witness);
        return p + m + w >= 2 && (p || m);                    /* M9, M3.2-3 */
    }
    case QR_BACKEND_ALWAYSON:                                 /* M4.6 */
        return cluster_up_mode(s, eff, s->be_cluster, graceful) &&
               any_up(eff, s->be_rep, s->n_be_rep);
    case QR_BACKEND_FCI:                                      /* M4.7 */
        return cluster_up_mode(s, eff, s->be_cluster, graceful) &&
               is_up(eff, s->be_storage) && any_node_up(s, eff, s->be_cluster);
    case QR_BACKEND_EXTERNAL:
        return is_up(eff, s->be_external);                    /* M3.6 */
    }
    return 0;
}

static int file_store_up(const sim_structure *s, const unsigned char *eff,
                         int graceful)
{
    switch (s->fs_kind) {
    case QR_FILE_STORE_SHARE:
        return is_up(eff, s->fs_server);
    case QR_FILE_STORE_DFS:
        return any_up(eff, s->fs_rep, s->n_fs_rep);
    case QR_FILE_STORE_CLUSTER:
        return cluster_up_mode(s, eff, s->fs_cluster, graceful) &&
               is_up(eff, s->fs_storage) && any_node_up(s, eff, s->fs_cluster);
    }
    return 0;
}

void sim_structure_services(const sim_structure *s, const unsigned char *eff,
                            sim_services *out)
{
    int be = backend_serving(s, eff, 0);

    /* M1.2 with the configured seeds; every loss counts as unexpected. */
    int present = 0;
    for (int i = 0; i < s->n_seeds; i++)
        present += is_up(eff, s->fe[i]);
    int counted = s->n_seeds;
    if (s->seeds_even) {
        counted++;
        present += be;
    }
    out->pool_up = 2 * present > counted;
    out->backend_serving = be;
    out->file_store_up = file_store_up(s, eff, 0);
    out->groups = s->groups;

    /* M2.2 on the fixed replicas. */
    int writable = 0;
    const int r = s->r;
    if (s->writable_tab) {
        unsigned mask = 0;
        for (int i = 0; i < s->n_fe; i++)
            mask |= (unsigned)is_up(eff, s->fe[i]) << i;
        writable = s->writable_tab[(size_t)mask << 1 | (unsigned)be];
    } else {
        for (int k = 0; k < s->n_sets; k++) {
            const int *set = &s->set_comp[(size_t)k * r];
            int n_up = 0;
            for (int j = 0; j < r; j++)
                n_up += is_up(eff, set[j]);
            if (set_writable(r, n_up, be))
                writable += s->set_count[k];
        }
    }
    out->groups_writable = writable;
}

/* The features of M6 from the services (shared by both modes). */
static void features_from(const sim_structure *s, const sim_services *sv,
                          double *feature_up)
{
    double group_frac =
        sv->groups > 0 ? (double)sv->groups_writable / sv->groups : 0.0;

    for (int f = 0; f < s->n_features; f++) {
        unsigned need = s->needs[f];
        int ok = 1;
        /* M6 in M9: routing_group and routing_group_limited need the pool;
         * limited functionality still counts as available. */
        if (need & (QR_NEED_POOL | QR_NEED_GROUP | QR_NEED_GROUP_LIMITED))
            ok &= sv->pool_up;
        if (need & (QR_NEED_BACKEND | QR_NEED_BACKEND_GRACE))
            ok &= sv->backend_serving;   /* M9: the grace is zero */
        if (need & QR_NEED_FILE_STORE)
            ok &= sv->file_store_up;
        feature_up[f] = !ok ? 0.0 : (need & QR_NEED_GROUP) ? group_frac : 1.0;
    }
}

int sim_structure_eval_services(const sim_structure *s,
                                const unsigned char *eff, double *feature_up,
                                sim_services *out)
{
    sim_structure_services(s, eff, out);
    features_from(s, out, feature_up);
    return out->pool_up;
}

void sim_structure_services_graceful(const sim_structure *s,
                                     const unsigned char *eff,
                                     sim_services *out)
{
    int be = backend_serving(s, eff, 1);
    int seeds_up = 0, fe_up = 0;
    for (int i = 0; i < s->n_seeds; i++)
        seeds_up += is_up(eff, s->fe[i]);
    for (int i = 0; i < s->n_fe; i++)
        fe_up += is_up(eff, s->fe[i]);

    /* M1.3: a seed that left gracefully is no longer counted, and the
     * even/odd Back End rule is recomputed on the seeds still counted
     * (fabric.graceful_leave_adjusts_votes); otherwise M1.2 as configured.
     * Either way no fabric runs without a running seed (sim/behaviour/fabric.c). */
    int counted = s->graceful_adjusts ? seeds_up : s->n_seeds;
    int present = seeds_up;
    if (counted % 2 == 0 && s->be_votes) {
        counted++;
        present += be;
    }
    out->pool_up = seeds_up > 0 && 2 * present > counted;
    out->backend_serving = be;
    out->file_store_up = file_store_up(s, eff, 1);
    out->groups = s->groups;

    /* M2.3: a leaving front end's replicas move first to a running front
     * end holding none of that group. Every group keeps r replicas while at
     * least r front ends run, and then one on each running front end:
     * min(r, fe_up) replicas up, the same for every group, so either every
     * group satisfies M2.2 or none does. */
    int replicas = fe_up < s->r ? fe_up : s->r;
    out->groups_writable =
        (s->r > 0 && set_writable(s->r, replicas, be)) ? s->groups : 0;
}

int sim_structure_eval_graceful(const sim_structure *s,
                                const unsigned char *eff, double *feature_up,
                                sim_services *out)
{
    sim_structure_services_graceful(s, eff, out);
    features_from(s, out, feature_up);
    return out->pool_up;
}

int sim_structure_eval(const sim_structure *s, const unsigned char *eff,
                       double *feature_up)
{
    sim_services sv;
    return sim_structure_eval_services(s, eff, feature_up, &sv);
}

static void mark(unsigned char *rel, int i)
{
    if (i >= 0)
        rel[i] = 1;
}

static void mark_cluster(const sim_structure *s, unsigned char *rel, int c)
{
    if (c < 0)
        return;
    const cluster_info *ci = &s->clusters[c];
    for (int j = 0; j < ci->n; j++)
        mark(rel, s->nodes[ci->first + j]);
    mark(rel, ci->witness);
}

int sim_structure_relevant(const sim_structure *s, unsigned char *rel)
{
    memset(rel, 0, (size_t)s->n_comps);
    for (int i = 0; i < s->n_fe; i++)
        mark(rel, s->fe[i]);
    switch (s->be_kind) {
    case QR_BACKEND_STANDALONE:
        mark(rel, s->be_server);
        break;
    case QR_BACKEND_MIRRORING:
        mark(rel, s->be_principal);
        mark(rel, s->be_mirror);
        mark(rel, s->be_witness);
        break;
    case QR_BACKEND_ALWAYSON:
        mark_cluster(s, rel, s->be_cluster);
        for (int i = 0; i < s->n_be_rep; i++)
            mark(rel, s->be_rep[i]);
        break;
    case QR_BACKEND_FCI:
        mark_cluster(s, rel, s->be_cluster);
        mark(rel, s->be_storage);
        break;
    case QR_BACKEND_EXTERNAL:
        mark(rel, s->be_external);
        break;
    }
    switch (s->fs_kind) {
    case QR_FILE_STORE_SHARE:
        mark(rel, s->fs_server);
        break;
    case QR_FILE_STORE_DFS:
        for (int i = 0; i < s->n_fs_rep; i++)
            mark(rel, s->fs_rep[i]);
        break;
    case QR_FILE_STORE_CLUSTER:
        mark_cluster(s, rel, s->fs_cluster);
        mark(rel, s->fs_storage);
        break;
    }
    /* Containers of anything marked (a site holds no containers, so one
     * pass over the precomputed closure suffices). */
    for (int i = 0; i < s->n_comps; i++)
        if (rel[i] == 1)
            for (int k = 0; k < MAX_ANC; k++) {
                int a = s->anc[(size_t)i * MAX_ANC + k];
                if (a >= 0 && !rel[a])
                    rel[a] = 2;
            }
    int n = 0;
    for (int i = 0; i < s->n_comps; i++) {
        rel[i] = rel[i] != 0;
        n += rel[i];
    }
    return n;
}
