/*
 * cluster.c: Windows Server failover cluster quorum (M4.1-M4.5) in
 * the full simulation, and the clustered roles that run on one node with a
 * shared disk (an FCI, M4.7; a file-share cluster, M5.1).
 *
 * Per cluster the module keeps (cluster_data, flat arrays): every node's
 * current vote (its DynamicWeight) and whether it is in the membership,
 * whether the witness votes and is in the membership, and the cluster's
 * state: up (quorum), down (offline after a quorum loss) or forced (M4.5).
 * The module's timers are two per cluster: 2c its dynamic-quorum
 * adjustment (M4.2), 2c + 1 the operator's forced quorum (M4.5).
 *
 * - M4.1 votes: a node votes with its NodeWeight (0 or 1); the witness (a
 *   file share on a server, a disk on storage, a cloud witness component)
 *   adds one. The cluster keeps quorum while the votes present are more
 *   than half of the votes counted, and some node runs.
 * - M4.2 dynamic quorum (cluster.dynamic_quorum): after a membership change
 *   the cluster survives, the votes are recomputed from the members: a
 *   graceful leave leaves the membership at once (before the node stops),
 *   a node or witness coming back joins at once, an unexpected loss is
 *   processed cluster.quorum_adjust_delay after it happened (each loss at
 *   its own time; one timer per cluster set to the earliest), and quorum
 *   is checked meanwhile against the unadjusted votes, so a simultaneous
 *   loss of a majority is not survived. A witness loss is always
 *   unexpected (the cluster only sees it unreachable).
 * - M4.3 dynamic witness (cluster.dynamic_witness): the witness votes only
 *   while the voting nodes are even; then, if the votes are still even (no
 *   witness, or it is gone), the lowest-priority node loses its vote
 *   (cluster.lowest_priority, default the last node listed; when that node
 *   holds no vote, the last voting node listed). Without dynamic witness
 *   the configured witness always votes (the legacy modes).
 * - Without dynamic quorum the votes stay the configured ones: NodeWeights,
 *   and the witness as in M9 (when the voting nodes are even, or always
 *   without dynamic witness).
 * - M4.5 quorum loss: the cluster goes offline and every role stops. It
 *   forms again, at once, when a majority of its configured votes (M9's
 *   count) is present with a node up; the votes are then recomputed from
 *   the nodes up. With operator actions the operator forces quorum
 *   operations.force_quorum.after the loss (as soon as a node runs, when
 *   none does then); in forced mode the cluster runs while any node runs,
 *   ignoring votes, and leaves forced mode when a configured majority
 *   returns. Losing every node in forced mode is another quorum loss.
 * Clustered roles (sim_cluster_role): up while the cluster runs, the disk
 * is up (and, with partitions, in the partition the cluster runs in) and
 * the owner node is up. When the owner is down (gracefully or
 * not) and the cluster runs, the role moves to the next node up after it
 * in topology order, failover_time later (a planned move also restarts the
 * role, so it costs the same).
 *
 * Site partitions: when the topology has links, sites are connected
 * through links that are up between sites that are up; a cluster whose
 * nodes all have a site is then split into the partitions of connected
 * sites. Each partition counts the votes of its own nodes; the witness
 * (reachable from its own site's partition, or from every partition when
 * it has no site, like a cloud witness) votes for one partition only (the
 * one holding the most node votes that reaches it: it takes the witness
 * lock). The cluster runs in the partition that has quorum; nodes outside
 * it are lost to the cluster like crashed nodes (processed after the
 * adjust delay) and rejoin when the link returns. Re-forming needs a
 * configured majority within one partition; forced quorum runs in the
 * partition with the most nodes up. Without links, or when a node has no
 * site, everything is connected.
 */
#include "sim/state.h"

#include <stdlib.h>
#include <string.h>

/* The module's state. Node arrays are flat: cluster c's nodes are
 * [first[c], first[c + 1]). */
typedef struct {
    int n;                /* clusters (t->n_clusters)                     */
    int *first;           /* n + 1 offsets                                */
    unsigned char *vote;  /* per node: current vote (DynamicWeight)       */
    unsigned char *member; /* per node: in the membership (an unexpected  */
                          /*   loss not yet processed still is)           */
    double *gone_at;      /* per node: when a member stopped being        */
                          /*   present (loss not processed), else INF     */
    double *wgone_at;     /* per cluster: the same for the witness        */
    unsigned char *state; /* per cluster: sim_cluster_state               */
    unsigned char *wvote; /* per cluster: the witness votes now           */
    unsigned char *wmember; /* per cluster: witness in the membership     */
    unsigned char *dirty; /* per cluster: changed in this event           */
    unsigned char *force_due; /* per cluster: operator ready to force     */
    long *losses;         /* per cluster: quorum losses (M4.5)            */
    long *forced;         /* per cluster: forced quorums (M4.5)           */
    int *key;             /* per cluster: the partition it runs in (the   */
                          /*   lowest site of its connected sites, or     */
                          /*   KEY_ALL when partitions do not apply)      */
    int *node_site;       /* per node: its site component, -1 for none    */
    int *wsite;           /* per cluster: the witness's site, -1: none,   */
                          /*   reachable from every site (cloud)          */
    unsigned char *split; /* per cluster: site partitions apply           */
    int *root;            /* per component: a site's connected-sites      */
                          /*   root (lowest index), scratch               */
    int *sites, n_sites;  /* site components                              */
    int *links, n_links;  /* link components                              */
    int *comp_start;      /* CSR over components: entries                 */
    int *ent_cluster;     /*   [comp_start[i], comp_start[i + 1]) name a  */
    int *ent_pos;         /*   cluster and the node position, or -1 for   */
                          /*   its witness                                */
} cluster_data;

static cluster_data *cl_of(const sim_engine *e)
{
    return sim_module_state(e, SIM_MOD_CLUSTER);
}

static const qr_cluster *cluster_of(const sim_engine *e, int c)
{
    return &e->t->clusters[c];
}

static int weight(const qr_cluster *qc, int j)
{
    return qc->weight ? qc->weight[j] != 0 : 1;
}

static bool witness_configured(const qr_cluster *qc)
{
    return qc->witness_kind != QR_WITNESS_NONE && qc->witness >= 0;
}

/* M4.1, M4.3, as M9 counts them: does the configured witness vote? */
static bool configured_witness_vote(const qr_cluster *qc)
{
    if (!witness_configured(qc))
        return false;
    if (!qc->dynamic_witness)
        return true;
    int voting = 0;
    for (int j = 0; j < qc->n_nodes; j++)
        voting += weight(qc, j);
    return voting % 2 == 0;
}

#define KEY_ALL (-2) /* partitions do not apply: one partition */
#define KEY_NONE (-3)

static bool node_up(const sim_engine *e, int c, int j)
{
    return sim_up(e, cluster_of(e, c)->nodes[j]);
}

static bool witness_up(const sim_engine *e, int c)
{
    const qr_cluster *qc = cluster_of(e, c);
    return witness_configured(qc) && sim_up(e, qc->witness);
}

/* The partition of node j (the root of its site's connected sites). */
static int node_key(const sim_engine *e, int c, int j)
{
    const cluster_data *cl = cl_of(e);
    if (!cl->split[c])
        return KEY_ALL;
    return cl->root[cl->node_site[cl->first[c] + j]];
}

/* The witness reachable from partition key (up, and in it or siteless). */
static bool witness_reaches(const sim_engine *e, int c, int key)
{
    const cluster_data *cl = cl_of(e);
    if (!witness_up(e, c))
        return false;
    if (!cl->split[c] || cl->wsite[c] < 0)
        return true;
    return cl->root[cl->wsite[c]] == key;
}

bool sim_cluster_node_present(const sim_engine *e, int c, int j)
{
    const cluster_data *cl = cl_of(e);
    return node_up(e, c, j) && (!cl->split[c] || node_key(e, c, j) == cl->key[c]);
}

static bool witness_present(const sim_engine *e, int c)
{
    const cluster_data *cl = cl_of(e);
    return witness_reaches(e, c, cl->key[c]);
}

/* Union-find over the sites: links up between sites up join them; every
 * root is the lowest site index of its set (deterministic keys). */
static void build_connectivity(sim_engine *e)
{
    cluster_data *cl = cl_of(e);
    sim_site_roots(e, cl->sites, cl->n_sites, cl->links, cl->n_links, cl->root);
}

/* How votes are counted when choosing a partition. */
enum { COUNT_DYNAMIC, COUNT_CONFIGURED, COUNT_NODES };

typedef struct {
    int key;      /* the partition chosen, KEY_NONE when no node is up */
    int present;  /* its votes present (with the witness when it won it) */
    int counted;  /* the votes counted                                 */
    int nodes_up; /* its nodes up                                       */
} partition_view;

static int vote_of(const sim_engine *e, int c, int j, int mode)
{
    if (mode == COUNT_NODES)
        return 1;
    if (mode == COUNT_CONFIGURED)
        return weight(cluster_of(e, c), j);
    const cluster_data *cl = cl_of(e);
    return cl->vote[cl->first[c] + j];
}

/* Node votes and nodes up of partition key. */
static void partition_votes(const sim_engine *e, int c, int key, int mode, int *votes, int *up)
{
    *votes = *up = 0;
    for (int j = 0; j < cluster_of(e, c)->n_nodes; j++)
        if (node_up(e, c, j) && node_key(e, c, j) == key) {
            *votes += vote_of(e, c, j, mode);
            (*up)++;
        }
}

/* The first node up of each partition stands for it. */
static bool first_of_partition(const sim_engine *e, int c, int j)
{
    if (!node_up(e, c, j))
        return false;
    for (int i = 0; i < j; i++)
        if (node_up(e, c, i) && node_key(e, c, i) == node_key(e, c, j))
            return false;
    return true;
}

/* M4.1 per partition: the partition with the most votes present, the
 * witness voting for the one with the most node votes that reaches it
 * (first in node order on ties). O(n^2) in the nodes. */
static partition_view choose_partition(const sim_engine *e, int c, int mode)
{
    const cluster_data *cl = cl_of(e);
    const qr_cluster *qc = cluster_of(e, c);
    bool wv = mode == COUNT_DYNAMIC      ? cl->wvote[c] != 0
              : mode == COUNT_CONFIGURED ? configured_witness_vote(qc)
                                         : false;
    partition_view v = { KEY_NONE, -1, wv ? 1 : 0, 0 };
    for (int j = 0; j < qc->n_nodes; j++)
        if (mode != COUNT_NODES)
            v.counted += vote_of(e, c, j, mode);
    int wkey = KEY_NONE, wbest = -1;
    for (int j = 0; wv && j < qc->n_nodes; j++) {
        int key = node_key(e, c, j), votes, up;
        if (!first_of_partition(e, c, j) || !witness_reaches(e, c, key))
            continue;
        partition_votes(e, c, key, mode, &votes, &up);
        if (votes > wbest) {
            wbest = votes;
            wkey = key;
        }
    }
    for (int j = 0; j < qc->n_nodes; j++) {
        int key = node_key(e, c, j), votes, up;
        if (!first_of_partition(e, c, j))
            continue;
        partition_votes(e, c, key, mode, &votes, &up);
        votes += key == wkey;
        if (votes > v.present) {
            v.key = key;
            v.present = votes;
            v.nodes_up = up;
        }
    }
    if (v.present < 0)
        v.present = 0;
    return v;
}

static bool majority(const partition_view *v)
{
    return v->nodes_up > 0 && 2 * v->present > v->counted;
}

/* The site of component i: itself when a site, else up its containers. */
static int site_of(const sim_engine *e, int i)
{
    while (i >= 0 && e->t->comps[i].kind != QR_COMP_SITE)
        i = e->parent[i];
    return i;
}

static void cluster_copy(const sim_engine *src, const void *src_state, void *dst_state)
{
    const cluster_data *a = src_state;
    cluster_data *d = dst_state;
    size_t n = (size_t)a->n, nodes = a->n > 0 ? (size_t)a->first[a->n] : 0;
    if (nodes > 0) {
        memcpy(d->vote, a->vote, nodes);
        memcpy(d->member, a->member, nodes);
        memcpy(d->gone_at, a->gone_at, sizeof(double) * nodes);
    }
    if (n > 0) {
        memcpy(d->wgone_at, a->wgone_at, sizeof(double) * n);
        memcpy(d->state, a->state, n);
        memcpy(d->wvote, a->wvote, n);
        memcpy(d->wmember, a->wmember, n);
        memcpy(d->dirty, a->dirty, n);
        memcpy(d->force_due, a->force_due, n);
        memcpy(d->losses, a->losses, sizeof(long) * n);
        memcpy(d->forced, a->forced, sizeof(long) * n);
        memcpy(d->key, a->key, sizeof(int) * n);
        memcpy(d->split, a->split, n);
    }
    if (a->root)
        memcpy(d->root, a->root, sizeof(int) * (size_t)src->n_comps); /* links move them */
}

static int cluster_alloc(sim_engine *e, void **state)
{
    const qr_topology *t = e->t;
    cluster_data *cl = calloc(1, sizeof(*cl));
    if (!cl)
        return -1;
    *state = cl;
    int nc = t->n_clusters > 0 ? t->n_clusters : 0;
    int total = 0, entries = 0;
    cl->n = nc;
    for (int c = 0; c < nc; c++) {
        const qr_cluster *qc = &t->clusters[c];
        total += qc->n_nodes > 0 ? qc->n_nodes : 0;
        entries += (qc->n_nodes > 0 ? qc->n_nodes : 0) + (witness_configured(qc) ? 1 : 0);
    }
    size_t n1 = (size_t)nc + 1, comps1 = (size_t)e->n_comps + 1;
    cl->first = malloc(sizeof(int) * n1);
    cl->vote = calloc((size_t)total + 1, 1);
    cl->member = calloc((size_t)total + 1, 1);
    cl->node_site = malloc(sizeof(int) * ((size_t)total + 1));
    cl->gone_at = malloc(sizeof(double) * ((size_t)total + 1));
    cl->wgone_at = malloc(sizeof(double) * n1);
    cl->state = calloc(n1, 1);
    cl->wvote = calloc(n1, 1);
    cl->wmember = calloc(n1, 1);
    cl->dirty = calloc(n1, 1);
    cl->force_due = calloc(n1, 1);
    cl->split = calloc(n1, 1);
    cl->key = malloc(sizeof(int) * n1);
    cl->wsite = malloc(sizeof(int) * n1);
    cl->losses = calloc(n1, sizeof(long));
    cl->forced = calloc(n1, sizeof(long));
    cl->root = calloc(comps1, sizeof(int));
    cl->sites = malloc(sizeof(int) * comps1);
    cl->links = malloc(sizeof(int) * comps1);
    cl->comp_start = calloc(comps1 + 1, sizeof(int));
    cl->ent_cluster = malloc(sizeof(int) * ((size_t)entries + 1));
    cl->ent_pos = malloc(sizeof(int) * ((size_t)entries + 1));
    if (!cl->first || !cl->vote || !cl->member || !cl->node_site || !cl->gone_at ||
        !cl->wgone_at || !cl->state || !cl->wvote || !cl->wmember || !cl->dirty ||
        !cl->force_due || !cl->split || !cl->key || !cl->wsite || !cl->losses || !cl->forced ||
        !cl->root || !cl->sites || !cl->links || !cl->comp_start || !cl->ent_cluster ||
        !cl->ent_pos)
        return -1;

    /* Sites and links: partitions apply when the topology has links. */
    cl->n_sites = cl->n_links = 0;
    for (int i = 0; i < e->n_comps; i++) {
        if (t->comps[i].kind == QR_COMP_SITE)
            cl->sites[cl->n_sites++] = i;
        else if (t->comps[i].kind == QR_COMP_LINK)
            cl->links[cl->n_links++] = i;
    }

    /* Offsets, sites, then the CSR of memberships per component. */
    int off = 0;
    for (int c = 0; c < nc; c++) {
        const qr_cluster *qc = &t->clusters[c];
        bool split = cl->n_links > 0 && nc > 0;
        cl->first[c] = off;
        for (int j = 0; j < qc->n_nodes; j++) {
            int site = site_of(e, qc->nodes[j]);
            cl->node_site[off + j] = site;
            split = split && site >= 0;
        }
        cl->split[c] = split;
        cl->wsite[c] = witness_configured(qc) ? site_of(e, qc->witness) : -1;
        cl->key[c] = KEY_ALL;
        off += qc->n_nodes > 0 ? qc->n_nodes : 0;
    }
    cl->first[nc] = off;
    for (int c = 0; c < nc; c++) {
        const qr_cluster *qc = &t->clusters[c];
        for (int j = 0; j < qc->n_nodes; j++)
            if (qc->nodes[j] >= 0 && qc->nodes[j] < e->n_comps)
                cl->comp_start[qc->nodes[j] + 1]++;
        if (witness_configured(qc) && qc->witness < e->n_comps)
            cl->comp_start[qc->witness + 1]++;
    }
    for (int i = 0; i < e->n_comps; i++)
        cl->comp_start[i + 1] += cl->comp_start[i];
    int *fill = calloc(comps1, sizeof(int));
    if (!fill)
        return -1;
    for (int c = 0; c < nc; c++) {
        const qr_cluster *qc = &t->clusters[c];
        for (int j = -1; j < qc->n_nodes; j++) {
            int comp = j < 0 ? (witness_configured(qc) ? qc->witness : -1) : qc->nodes[j];
            if (comp < 0 || comp >= e->n_comps)
                continue;
            int k = cl->comp_start[comp] + fill[comp]++;
            cl->ent_cluster[k] = c;
            cl->ent_pos[k] = j;
            e->role[comp] |= SIM_ROLE_CLUSTER;
        }
    }
    free(fill);
    /* Sites and links change the partitions. */
    if (cl->n_links > 0 && nc > 0) {
        for (int k = 0; k < cl->n_sites; k++)
            e->role[cl->sites[k]] |= SIM_ROLE_CLUSTER;
        for (int k = 0; k < cl->n_links; k++)
            e->role[cl->links[k]] |= SIM_ROLE_CLUSTER;
    }
    return 0;
}

static void cluster_release(sim_engine *e, void *state)
{
    cluster_data *cl = state;
    (void)e;
    if (!cl)
        return;
    free(cl->first);
    free(cl->vote);
    free(cl->member);
    free(cl->node_site);
    free(cl->gone_at);
    free(cl->wgone_at);
    free(cl->state);
    free(cl->wvote);
    free(cl->wmember);
    free(cl->dirty);
    free(cl->force_due);
    free(cl->split);
    free(cl->key);
    free(cl->wsite);
    free(cl->losses);
    free(cl->forced);
    free(cl->root);
    free(cl->sites);
    free(cl->links);
    free(cl->comp_start);
    free(cl->ent_cluster);
    free(cl->ent_pos);
    free(cl);
}

/* The module's timers: two per cluster. */
static int adjust_slot(const sim_engine *e, int c)
{
    return sim_timer_slot(e, SIM_MOD_CLUSTER, 2 * c);
}

static int force_slot(const sim_engine *e, int c)
{
    return sim_timer_slot(e, SIM_MOD_CLUSTER, 2 * c + 1);
}

/* M4.2, M4.3: the votes of cluster c from its membership. */
static void recompute_votes(sim_engine *e, int c)
{
    cluster_data *cl = cl_of(e);
    const qr_cluster *qc = cluster_of(e, c);
    unsigned char *vote = cl->vote + cl->first[c];
    const unsigned char *member = cl->member + cl->first[c];
    int n = qc->n_nodes;
    if (!qc->dynamic_quorum) { /* the configured votes */
        for (int j = 0; j < n; j++)
            vote[j] = (unsigned char)weight(qc, j);
        cl->wvote[c] = configured_witness_vote(qc);
        return;
    }
    int voting = 0;
    for (int j = 0; j < n; j++) {
        vote[j] = (unsigned char)(weight(qc, j) && member[j]);
        voting += vote[j];
    }
    bool wv = witness_configured(qc) && cl->wmember[c];
    if (wv && qc->dynamic_witness)
        wv = voting % 2 == 0; /* M4.3 dynamic witness */
    cl->wvote[c] = wv;
    /* M4.3 tie-break (2012 R2, with dynamic witness): still an even number
     * of votes, so the lowest-priority node gives its vote up. */
    if (qc->dynamic_witness && !wv && voting > 0 && voting % 2 == 0) {
        int k = qc->lowest_priority;
        if (k < 0 || k >= n || !vote[k]) {
            k = -1;
            for (int j = n - 1; j >= 0 && k < 0; j--)
                if (vote[j])
                    k = j;
        }
        vote[k] = 0;
    }
}

/* The nodes present are the members, the others are not (a regroup). */
static void regroup(sim_engine *e, int c)
{
    cluster_data *cl = cl_of(e);
    const qr_cluster *qc = cluster_of(e, c);
    for (int j = 0; j < qc->n_nodes; j++) {
        cl->member[cl->first[c] + j] = sim_cluster_node_present(e, c, j);
        cl->gone_at[cl->first[c] + j] = INFINITY;
    }
    cl->wmember[c] = witness_present(e, c);
    cl->wgone_at[c] = INFINITY;
    recompute_votes(e, c);
}

/* Votes counted and present in the partition the cluster runs in. */
static void count_votes(const sim_engine *e, int c, int *counted, int *present)
{
    const cluster_data *cl = cl_of(e);
    const unsigned char *vote = cl->vote + cl->first[c];
    int n = cluster_of(e, c)->n_nodes;
    *counted = cl->wvote[c];
    *present = cl->wvote[c] && witness_present(e, c);
    for (int j = 0; j < n; j++) {
        *counted += vote[j];
        *present += vote[j] && sim_cluster_node_present(e, c, j);
    }
}

/* M4.2: note when each member stopped being present (an unexpected loss
 * the membership has not processed yet; back in time, it was never lost)
 * and return the time the earliest of them is processed, or INFINITY. */
static double track_losses(sim_engine *e, int c)
{
    cluster_data *cl = cl_of(e);
    const qr_cluster *qc = cluster_of(e, c);
    double first = INFINITY;
    for (int j = 0; j < qc->n_nodes; j++) {
        int k = cl->first[c] + j;
        if (!cl->member[k] || sim_cluster_node_present(e, c, j)) {
            cl->gone_at[k] = INFINITY;
            continue;
        }
        if (isinf(cl->gone_at[k]))
            cl->gone_at[k] = e->now;
        if (cl->gone_at[k] < first)
            first = cl->gone_at[k];
    }
    if (!cl->wmember[c] || witness_present(e, c)) {
        cl->wgone_at[c] = INFINITY;
    } else {
        if (isinf(cl->wgone_at[c]))
            cl->wgone_at[c] = e->now;
        if (cl->wgone_at[c] < first)
            first = cl->wgone_at[c];
    }
    return isinf(first) ? first : first + qc->quorum_adjust_delay;
}

/* M4.2: the losses at least quorum_adjust_delay old leave the membership;
 * later ones stay counted until their own time comes. */
static void process_losses(sim_engine *e, int c)
{
    cluster_data *cl = cl_of(e);
    const qr_cluster *qc = cluster_of(e, c);
    double due = e->now - qc->quorum_adjust_delay;
    bool changed = false;
    for (int j = 0; j < qc->n_nodes; j++) {
        int k = cl->first[c] + j;
        if (cl->member[k] && cl->gone_at[k] <= due) {
            cl->member[k] = 0;
            cl->gone_at[k] = INFINITY;
            changed = true;
        }
    }
    if (cl->wmember[c] && cl->wgone_at[c] <= due) {
        cl->wmember[c] = 0;
        cl->wgone_at[c] = INFINITY;
        changed = true;
    }
    if (changed)
        recompute_votes(e, c);
}

/* M4.2: nodes (and the witness) present but not members join at once. */
static void join_present(sim_engine *e, int c)
{
    cluster_data *cl = cl_of(e);
    const qr_cluster *qc = cluster_of(e, c);
    bool joined = false;
    for (int j = 0; j < qc->n_nodes; j++) {
        unsigned char *member = &cl->member[cl->first[c] + j];
        if (!*member && sim_cluster_node_present(e, c, j)) {
            *member = 1;
            joined = true;
        }
    }
    if (!cl->wmember[c] && witness_present(e, c)) {
        cl->wmember[c] = 1;
        joined = true;
    }
    if (joined)
        recompute_votes(e, c);
}

static void cluster_begin(sim_engine *e)
{
    cluster_data *cl = cl_of(e);
    if (cl->n > 0 && cl->n_links > 0)
        build_connectivity(e);
    for (int c = 0; c < cl->n; c++) {
        cl->state[c] = SIM_CLUSTER_UP;
        cl->dirty[c] = 0;
        cl->force_due[c] = 0;
        cl->losses[c] = 0;
        cl->forced[c] = 0;
        cl->key[c] = choose_partition(e, c, COUNT_NODES).key;
        regroup(e, c);
    }
}

static void cluster_on_change(sim_engine *e, int comp, int old)
{
    cluster_data *cl = cl_of(e);
    qr_comp_kind kind = e->t->comps[comp].kind;
    if (kind == QR_COMP_LINK || kind == QR_COMP_SITE) /* partitions */
        for (int c = 0; c < cl->n; c++)
            cl->dirty[c] = 1;
    int st = e->eff[comp];
    for (int k = cl->comp_start[comp]; k < cl->comp_start[comp + 1]; k++) {
        int c = cl->ent_cluster[k], j = cl->ent_pos[k];
        cl->dirty[c] = 1;
        /* M4.2: a graceful leave adjusts the votes before the node stops.
         * Joins are the settle phase's (they depend on the partition). */
        if (j >= 0 && cl->state[c] == SIM_CLUSTER_UP && cluster_of(e, c)->dynamic_quorum &&
            st == SIM_DOWN_GRACEFUL && old == SIM_UP && cl->member[cl->first[c] + j]) {
            cl->member[cl->first[c] + j] = 0;
            recompute_votes(e, c);
        }
    }
}

static void lose_quorum(sim_engine *e, int c)
{
    cluster_data *cl = cl_of(e);
    cl->state[c] = SIM_CLUSTER_DOWN;
    cl->losses[c]++;
    e->rep.cluster_quorum_losses++;
    cl->force_due[c] = 0;
    sim_timer_cancel(e, adjust_slot(e, c));
    if (e->cfg.operator_actions) /* M4.5 */
        sim_timer_arm(e, force_slot(e, c), e->now + e->t->params.force_quorum_after);
}

static void form(sim_engine *e, int c, int key)
{
    cluster_data *cl = cl_of(e);
    cl->state[c] = SIM_CLUSTER_UP;
    cl->key[c] = key;
    cl->force_due[c] = 0;
    sim_timer_cancel(e, force_slot(e, c));
    sim_timer_cancel(e, adjust_slot(e, c));
    regroup(e, c);
}

static void settle_cluster(sim_engine *e, int c)
{
    cluster_data *cl = cl_of(e);
    const qr_cluster *qc = cluster_of(e, c);
    partition_view v;
    switch (cl->state[c]) {
    case SIM_CLUSTER_UP:
        v = choose_partition(e, c, COUNT_DYNAMIC);
        if (!majority(&v)) { /* M4.5 */
            lose_quorum(e, c);
            break;
        }
        cl->key[c] = v.key;
        if (!qc->dynamic_quorum)
            break;
        join_present(e, c);
        /* M4.2: each survived loss is processed after the adjust delay. */
        double due = track_losses(e, c);
        if (isinf(due))
            sim_timer_cancel(e, adjust_slot(e, c));
        else if (e->timer_at[adjust_slot(e, c)] != due)
            sim_timer_arm(e, adjust_slot(e, c), due);
        break;
    case SIM_CLUSTER_DOWN:
        v = choose_partition(e, c, COUNT_CONFIGURED);
        if (majority(&v)) {
            form(e, c, v.key);
        } else if (cl->force_due[c]) {
            v = choose_partition(e, c, COUNT_NODES);
            if (v.nodes_up > 0) {
                cl->state[c] = SIM_CLUSTER_FORCED; /* M4.5 */
                cl->key[c] = v.key;
                cl->force_due[c] = 0;
                cl->forced[c]++;
                e->rep.forced_quorums++;
            }
        }
        break;
    case SIM_CLUSTER_FORCED:
        v = choose_partition(e, c, COUNT_CONFIGURED);
        if (majority(&v)) {
            form(e, c, v.key); /* leaves forced mode by itself */
            break;
        }
        v = choose_partition(e, c, COUNT_NODES);
        if (v.nodes_up > 0)
            cl->key[c] = v.key;
        else
            lose_quorum(e, c);
        break;
    }
}

/* Settle every cluster the event touched. (Out of line, so that the check
 * in cluster_settle, which runs at every event, stays a few instructions.) */
__attribute__((noinline)) static void settle_dirty(sim_engine *e)
{
    cluster_data *cl = cl_of(e);
    if (cl->n_links > 0)
        build_connectivity(e);
    for (int c = 0; c < cl->n; c++) {
        if (!cl->dirty[c])
            continue;
        cl->dirty[c] = 0;
        settle_cluster(e, c);
    }
}

/* Settle phase, first: quorum, dynamic votes, re-forming, forced quorum.
 * Most events touch no cluster: this only looks. */
static void cluster_settle(sim_engine *e)
{
    const cluster_data *cl = cl_of(e);
    for (int c = 0; c < cl->n; c++)
        if (cl->dirty[c]) {
            settle_dirty(e);
            return;
        }
}

static void cluster_on_timer(sim_engine *e, int k)
{
    cluster_data *cl = cl_of(e);
    int c = k / 2;
    if (c < 0 || c >= cl->n)
        return;
    cl->dirty[c] = 1;
    if (k % 2 == 0) { /* the adjustment (M4.2); odd: forced quorum */
        if (cl->state[c] == SIM_CLUSTER_UP)
            process_losses(e, c); /* M4.2 */
    } else if (cl->state[c] == SIM_CLUSTER_DOWN) {
        cl->force_due[c] = 1; /* M4.5: the operator is ready to force */
    }
}

bool sim_cluster_running(const sim_engine *e, int c)
{
    const cluster_data *cl = cl_of(e);
    return c >= 0 && c < cl->n && cl->state[c] != SIM_CLUSTER_DOWN;
}

int sim_cluster_node_pos(const sim_engine *e, int c, int comp)
{
    const cluster_data *cl = cl_of(e);
    if (c < 0 || c >= cl->n)
        return -1;
    const qr_cluster *qc = cluster_of(e, c);
    for (int j = 0; j < qc->n_nodes; j++)
        if (qc->nodes[j] == comp)
            return j;
    return -1;
}

bool sim_cluster_server_present(const sim_engine *e, int c, int comp)
{
    int j = sim_cluster_node_pos(e, c, comp);
    return j >= 0 ? sim_cluster_node_present(e, c, j) : sim_up(e, comp);
}

bool sim_cluster_reaches(const sim_engine *e, int c, int comp)
{
    const cluster_data *cl = cl_of(e);
    if (!sim_up(e, comp))
        return false;
    if (c < 0 || c >= cl->n || !cl->split[c])
        return true;
    int site = site_of(e, comp);
    return site < 0 || cl->root[site] == cl->key[c];
}

static int cluster_timers(const sim_engine *e)
{
    const cluster_data *cl = cl_of(e);
    return 2 * cl->n;
}

static void cluster_describe(const sim_engine *e, int k, sim_step_info *info)
{
    (void)e;
    info->cause = k % 2 == 0 ? SIM_CAUSE_CLUSTER_ADJUST : SIM_CAUSE_CLUSTER_FORCE;
    info->index = k / 2;
}

const sim_module sim_module_cluster = {
    .name = "cluster",
    .roles = SIM_ROLE_CLUSTER,
    .alloc = cluster_alloc,
    .release = cluster_release,
    .timers = cluster_timers,
    .begin = cluster_begin,
    .on_change = cluster_on_change,
    .settle = cluster_settle,
    .on_timer = cluster_on_timer,
    .describe = cluster_describe,
    .copy = cluster_copy,
    .feature_inputs_keyed = true,
};

/* ---- queries (engine.h) ---- */

int sim_engine_cluster(const sim_engine *e, int c, sim_cluster_status *out)
{
    const cluster_data *cl = cl_of(e);
    if (e->cfg.static_mode || c < 0 || c >= cl->n)
        return -1;
    out->state = (sim_cluster_state)cl->state[c];
    out->running = sim_cluster_running(e, c);
    if (cl->state[c] == SIM_CLUSTER_UP) {
        count_votes(e, c, &out->votes_counted, &out->votes_present);
        out->witness_votes = cl->wvote[c];
    } else {
        partition_view v = choose_partition(e, c, COUNT_CONFIGURED);
        out->votes_counted = v.counted;
        out->votes_present = v.present;
        out->witness_votes = configured_witness_vote(cluster_of(e, c));
    }
    out->quorum_losses = cl->losses[c];
    out->forced_quorums = cl->forced[c];
    return 0;
}

int sim_engine_node_vote(const sim_engine *e, int c, int j)
{
    const cluster_data *cl = cl_of(e);
    if (e->cfg.static_mode || c < 0 || c >= cl->n || j < 0 ||
        j >= cluster_of(e, c)->n_nodes)
        return -1;
    return cl->vote[cl->first[c] + j];
}

/* ---- clustered roles on a shared disk (M4.7, M5.1) ---- */

/* The next node present after the owner, in topology order, wrapping. */
static int next_node_present(const sim_engine *e, const sim_cluster_role *r)
{
    int n = cluster_of(e, r->cluster)->n_nodes;
    for (int k = 1; k <= n; k++) {
        int j = (r->owner + k) % n;
        if (sim_cluster_node_present(e, r->cluster, j))
            return j;
    }
    return -1;
}

void sim_cluster_role_begin(sim_engine *e, sim_cluster_role *r)
{
    (void)e;
    r->owner = 0;
    r->moves = 0;
}

static bool role_owner_present(const sim_engine *e, const sim_cluster_role *r)
{
    const cluster_data *cl = cl_of(e);
    return r->cluster >= 0 && r->cluster < cl->n &&
           r->owner < cluster_of(e, r->cluster)->n_nodes &&
           sim_cluster_node_present(e, r->cluster, r->owner);
}

bool sim_cluster_role_update(sim_engine *e, sim_cluster_role *r)
{
    bool running = sim_cluster_running(e, r->cluster);
    bool owner = running && role_owner_present(e, r);
    /* M4.7: the role moves when its node is lost, if the cluster runs. */
    if (running && !owner && next_node_present(e, r) >= 0) {
        if (!sim_timer_armed(e, r->timer))
            sim_timer_arm(e, r->timer, e->now + r->failover_time);
    } else {
        sim_timer_cancel(e, r->timer);
    }
    return owner && sim_cluster_reaches(e, r->cluster, r->storage); /* down with its disk */
}

int sim_cluster_role_on_timer(sim_engine *e, sim_cluster_role *r)
{
    if (!sim_cluster_running(e, r->cluster) || role_owner_present(e, r))
        return 0;
    int j = next_node_present(e, r);
    if (j < 0)
        return 0;
    r->owner = j;
    r->moves++;
    return 1;
}
