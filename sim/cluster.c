/*
 * cluster.c: Windows Server failover cluster quorum (model.md M4.1-M4.5) in
 * the full simulation, and the clustered roles that run on one node with a
 * shared disk (an FCI, M4.7; a file-share cluster, M5.1).
 *
 * Per cluster the engine keeps (state.h, flat arrays): every node's current
 * vote (its DynamicWeight) and whether it is in the membership, whether the
 * witness votes and is in the membership, and the cluster's state: up
 * (quorum), down (offline after a quorum loss) or forced (M4.5).
 *
 * - M4.1 votes: a node votes with its NodeWeight (0 or 1); the witness (a
 *   file share on a server, a disk on storage, a cloud witness component)
 *   adds one. The cluster keeps quorum while the votes present are more
 *   than half of the votes counted, and some node runs.
 * - M4.2 dynamic quorum (cluster.dynamic_quorum): after a membership change
 *   the cluster survives, the votes are recomputed from the members: a
 *   graceful leave leaves the membership at once (before the node stops),
 *   a node or witness coming back joins at once, an unexpected loss is
 *   processed cluster.quorum_adjust_delay later (one adjustment timer per
 *   cluster: losses closer together than the delay are processed together,
 *   and quorum is checked meanwhile against the unadjusted votes, so a
 *   simultaneous loss of a majority is not survived). A witness loss is
 *   always unexpected (the cluster only sees it unreachable).
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
 * is up and the owner node is up. When the owner is down (gracefully or
 * not) and the cluster runs, the role moves to the next node up after it
 * in topology order, failover_time later (a planned move also restarts the
 * role, so it costs the same).
 *
 * Site partitions (a broken link splitting the votes) are not modelled:
 * links change no cluster state.
 */
#include "state.h"

#include <stdlib.h>

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

static bool node_up(const sim_engine *e, int c, int j)
{
    return sim_up(e, cluster_of(e, c)->nodes[j]);
}

static bool witness_up(const sim_engine *e, int c)
{
    const qr_cluster *qc = cluster_of(e, c);
    return witness_configured(qc) && sim_up(e, qc->witness);
}

static bool any_node_up(const sim_engine *e, int c)
{
    for (int j = 0; j < cluster_of(e, c)->n_nodes; j++)
        if (node_up(e, c, j))
            return true;
    return false;
}

int sim_cluster_alloc(sim_engine *e)
{
    const qr_topology *t = e->t;
    int nc = t->n_clusters > 0 ? t->n_clusters : 0;
    int total = 0, entries = 0;
    e->n_clusters = nc;
    for (int c = 0; c < nc; c++) {
        const qr_cluster *qc = &t->clusters[c];
        total += qc->n_nodes > 0 ? qc->n_nodes : 0;
        entries += (qc->n_nodes > 0 ? qc->n_nodes : 0) + (witness_configured(qc) ? 1 : 0);
    }
    e->cl_first = malloc(sizeof(int) * ((size_t)nc + 1));
    e->cl_vote = calloc((size_t)total + 1, 1);
    e->cl_member = calloc((size_t)total + 1, 1);
    e->cl_state = calloc((size_t)nc + 1, 1);
    e->cl_wvote = calloc((size_t)nc + 1, 1);
    e->cl_wmember = calloc((size_t)nc + 1, 1);
    e->cl_dirty = calloc((size_t)nc + 1, 1);
    e->cl_force_due = calloc((size_t)nc + 1, 1);
    e->cl_losses = calloc((size_t)nc + 1, sizeof(long));
    e->cl_forced = calloc((size_t)nc + 1, sizeof(long));
    e->cl_comp_start = calloc((size_t)e->n_comps + 2, sizeof(int));
    e->cl_ent_cluster = malloc(sizeof(int) * ((size_t)entries + 1));
    e->cl_ent_pos = malloc(sizeof(int) * ((size_t)entries + 1));
    int nrep = t->pool.backend.n_replicas > 0 ? t->pool.backend.n_replicas : 0;
    e->ag_sync = calloc((size_t)nrep + 1, 1);
    e->ag_resync_at = malloc(sizeof(double) * ((size_t)nrep + 1));
    if (!e->cl_first || !e->cl_vote || !e->cl_member || !e->cl_state || !e->cl_wvote ||
        !e->cl_wmember || !e->cl_dirty || !e->cl_force_due || !e->cl_losses ||
        !e->cl_forced || !e->cl_comp_start || !e->cl_ent_cluster || !e->cl_ent_pos ||
        !e->ag_sync || !e->ag_resync_at)
        return -1;

    /* Offsets, then the CSR of memberships per component (counting sort). */
    int off = 0;
    for (int c = 0; c < nc; c++) {
        e->cl_first[c] = off;
        off += t->clusters[c].n_nodes > 0 ? t->clusters[c].n_nodes : 0;
    }
    e->cl_first[nc] = off;
    for (int c = 0; c < nc; c++) {
        const qr_cluster *qc = &t->clusters[c];
        for (int j = 0; j < qc->n_nodes; j++)
            if (qc->nodes[j] >= 0 && qc->nodes[j] < e->n_comps)
                e->cl_comp_start[qc->nodes[j] + 1]++;
        if (witness_configured(qc) && qc->witness < e->n_comps)
            e->cl_comp_start[qc->witness + 1]++;
    }
    for (int i = 0; i < e->n_comps; i++)
        e->cl_comp_start[i + 1] += e->cl_comp_start[i];
    int *fill = calloc((size_t)e->n_comps + 1, sizeof(int));
    if (!fill)
        return -1;
    for (int c = 0; c < nc; c++) {
        const qr_cluster *qc = &t->clusters[c];
        for (int j = -1; j < qc->n_nodes; j++) {
            int comp = j < 0 ? (witness_configured(qc) ? qc->witness : -1) : qc->nodes[j];
            if (comp < 0 || comp >= e->n_comps)
                continue;
            int k = e->cl_comp_start[comp] + fill[comp]++;
            e->cl_ent_cluster[k] = c;
            e->cl_ent_pos[k] = j;
            e->role[comp] |= SIM_ROLE_CLUSTER;
        }
    }
    free(fill);
    return 0;
}

void sim_cluster_release(sim_engine *e)
{
    free(e->cl_first);
    free(e->cl_vote);
    free(e->cl_member);
    free(e->cl_state);
    free(e->cl_wvote);
    free(e->cl_wmember);
    free(e->cl_dirty);
    free(e->cl_force_due);
    free(e->cl_losses);
    free(e->cl_forced);
    free(e->cl_comp_start);
    free(e->cl_ent_cluster);
    free(e->cl_ent_pos);
    free(e->ag_sync);
    free(e->ag_resync_at);
}

static int adjust_slot(const sim_engine *e, int c)
{
    return e->cl_timer_base + 2 * c;
}

static int force_slot(const sim_engine *e, int c)
{
    return e->cl_timer_base + 2 * c + 1;
}

/* M4.2, M4.3: the votes of cluster c from its membership. */
static void recompute_votes(sim_engine *e, int c)
{
    const qr_cluster *qc = cluster_of(e, c);
    unsigned char *vote = e->cl_vote + e->cl_first[c];
    const unsigned char *member = e->cl_member + e->cl_first[c];
    int n = qc->n_nodes;
    if (!qc->dynamic_quorum) { /* the configured votes */
        for (int j = 0; j < n; j++)
            vote[j] = (unsigned char)weight(qc, j);
        e->cl_wvote[c] = configured_witness_vote(qc);
        return;
    }
    int voting = 0;
    for (int j = 0; j < n; j++) {
        vote[j] = (unsigned char)(weight(qc, j) && member[j]);
        voting += vote[j];
    }
    bool wv = witness_configured(qc) && e->cl_wmember[c];
    if (wv && qc->dynamic_witness)
        wv = voting % 2 == 0; /* M4.3 dynamic witness */
    e->cl_wvote[c] = wv;
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

/* Everyone up is a member; everyone else is not (a regroup). */
static void regroup(sim_engine *e, int c)
{
    const qr_cluster *qc = cluster_of(e, c);
    for (int j = 0; j < qc->n_nodes; j++)
        e->cl_member[e->cl_first[c] + j] = node_up(e, c, j);
    e->cl_wmember[c] = witness_up(e, c);
    recompute_votes(e, c);
}

static void count_votes(const sim_engine *e, int c, int *counted, int *present)
{
    const unsigned char *vote = e->cl_vote + e->cl_first[c];
    int n = cluster_of(e, c)->n_nodes;
    *counted = e->cl_wvote[c];
    *present = e->cl_wvote[c] && witness_up(e, c);
    for (int j = 0; j < n; j++) {
        *counted += vote[j];
        *present += vote[j] && node_up(e, c, j);
    }
}

/* M4.1: more than half of the votes counted, and some node runs. */
static bool has_quorum(const sim_engine *e, int c)
{
    int counted, present;
    count_votes(e, c, &counted, &present);
    return 2 * present > counted && any_node_up(e, c);
}

/* M4.5: a majority of the configured votes (as M9 counts them). */
static bool configured_majority(const sim_engine *e, int c)
{
    const qr_cluster *qc = cluster_of(e, c);
    int votes = 0, present = 0;
    for (int j = 0; j < qc->n_nodes; j++) {
        votes += weight(qc, j);
        present += weight(qc, j) && node_up(e, c, j);
    }
    if (configured_witness_vote(qc)) {
        votes++;
        present += witness_up(e, c);
    }
    return 2 * present > votes && any_node_up(e, c);
}

/* An unexpected loss the membership has not processed yet (M4.2). */
static bool loss_pending(const sim_engine *e, int c)
{
    const qr_cluster *qc = cluster_of(e, c);
    for (int j = 0; j < qc->n_nodes; j++)
        if (e->cl_member[e->cl_first[c] + j] && !node_up(e, c, j))
            return true;
    return e->cl_wmember[c] && !witness_up(e, c);
}

void sim_cluster_begin(sim_engine *e)
{
    for (int c = 0; c < e->n_clusters; c++) {
        e->cl_state[c] = SIM_CLUSTER_UP;
        e->cl_dirty[c] = 0;
        e->cl_force_due[c] = 0;
        e->cl_losses[c] = 0;
        e->cl_forced[c] = 0;
        regroup(e, c);
    }
}

void sim_cluster_on_change(sim_engine *e, int comp, int old)
{
    int st = e->eff[comp];
    for (int k = e->cl_comp_start[comp]; k < e->cl_comp_start[comp + 1]; k++) {
        int c = e->cl_ent_cluster[k], j = e->cl_ent_pos[k];
        e->cl_dirty[c] = 1;
        if (e->cl_state[c] != SIM_CLUSTER_UP || !cluster_of(e, c)->dynamic_quorum)
            continue; /* votes are recomputed when it forms again */
        if (j < 0) { /* the witness: it joins at once, its loss waits */
            if (st == SIM_UP && !e->cl_wmember[c]) {
                e->cl_wmember[c] = 1;
                recompute_votes(e, c);
            }
            continue;
        }
        unsigned char *member = &e->cl_member[e->cl_first[c] + j];
        if (st == SIM_UP && !*member) { /* M4.2: a node joins at once */
            *member = 1;
            recompute_votes(e, c);
        } else if (st == SIM_DOWN_GRACEFUL && old == SIM_UP && *member) {
            *member = 0; /* M4.2: a graceful leave adjusts before it stops */
            recompute_votes(e, c);
        }
    }
}

static void lose_quorum(sim_engine *e, int c)
{
    e->cl_state[c] = SIM_CLUSTER_DOWN;
    e->cl_losses[c]++;
    e->rep.cluster_quorum_losses++;
    e->cl_force_due[c] = 0;
    sim_timer_cancel(e, adjust_slot(e, c));
    if (e->cfg.operator_actions) /* M4.5 */
        sim_timer_arm(e, force_slot(e, c), e->now + e->t->params.force_quorum_after);
}

static void form(sim_engine *e, int c)
{
    e->cl_state[c] = SIM_CLUSTER_UP;
    e->cl_force_due[c] = 0;
    sim_timer_cancel(e, force_slot(e, c));
    sim_timer_cancel(e, adjust_slot(e, c));
    regroup(e, c);
}

static void settle_cluster(sim_engine *e, int c)
{
    const qr_cluster *qc = cluster_of(e, c);
    switch (e->cl_state[c]) {
    case SIM_CLUSTER_UP:
        if (!has_quorum(e, c)) { /* M4.5 */
            lose_quorum(e, c);
            break;
        }
        /* M4.2: the survived loss is processed after the adjust delay. */
        if (qc->dynamic_quorum && loss_pending(e, c)) {
            if (!sim_timer_armed(e, adjust_slot(e, c)))
                sim_timer_arm(e, adjust_slot(e, c), e->now + qc->quorum_adjust_delay);
        } else {
            sim_timer_cancel(e, adjust_slot(e, c));
        }
        break;
    case SIM_CLUSTER_DOWN:
        if (configured_majority(e, c)) {
            form(e, c);
        } else if (e->cl_force_due[c] && any_node_up(e, c)) {
            e->cl_state[c] = SIM_CLUSTER_FORCED; /* M4.5 */
            e->cl_force_due[c] = 0;
            e->cl_forced[c]++;
            e->rep.forced_quorums++;
        }
        break;
    case SIM_CLUSTER_FORCED:
        if (configured_majority(e, c))
            form(e, c); /* leaves forced mode by itself */
        else if (!any_node_up(e, c))
            lose_quorum(e, c);
        break;
    }
}

void sim_cluster_update(sim_engine *e)
{
    for (int c = 0; c < e->n_clusters; c++) {
        if (!e->cl_dirty[c])
            continue;
        e->cl_dirty[c] = 0;
        settle_cluster(e, c);
    }
}

void sim_cluster_on_timer(sim_engine *e, int slot)
{
    int c = (slot - e->cl_timer_base) / 2;
    if (c < 0 || c >= e->n_clusters)
        return;
    e->cl_dirty[c] = 1;
    if (slot == adjust_slot(e, c)) {
        if (e->cl_state[c] == SIM_CLUSTER_UP)
            regroup(e, c); /* M4.2: the losses are processed */
    } else if (e->cl_state[c] == SIM_CLUSTER_DOWN) {
        e->cl_force_due[c] = 1; /* M4.5: the operator is ready to force */
    }
}

bool sim_cluster_running(const sim_engine *e, int c)
{
    return c >= 0 && c < e->n_clusters && e->cl_state[c] != SIM_CLUSTER_DOWN;
}

int sim_cluster_node_pos(const sim_engine *e, int c, int comp)
{
    if (c < 0 || c >= e->n_clusters)
        return -1;
    const qr_cluster *qc = cluster_of(e, c);
    for (int j = 0; j < qc->n_nodes; j++)
        if (qc->nodes[j] == comp)
            return j;
    return -1;
}

/* ---- queries (engine.h) ---- */

int sim_engine_cluster(const sim_engine *e, int c, sim_cluster_status *out)
{
    if (e->cfg.static_mode || c < 0 || c >= e->n_clusters)
        return -1;
    out->state = (sim_cluster_state)e->cl_state[c];
    out->running = sim_cluster_running(e, c);
    if (e->cl_state[c] == SIM_CLUSTER_UP) {
        count_votes(e, c, &out->votes_counted, &out->votes_present);
        out->witness_votes = e->cl_wvote[c];
    } else {
        const qr_cluster *qc = cluster_of(e, c);
        out->votes_counted = out->votes_present = 0;
        for (int j = 0; j < qc->n_nodes; j++) {
            out->votes_counted += weight(qc, j);
            out->votes_present += weight(qc, j) && node_up(e, c, j);
        }
        out->witness_votes = configured_witness_vote(qc);
        out->votes_counted += out->witness_votes;
        out->votes_present += out->witness_votes && witness_up(e, c);
    }
    out->quorum_losses = e->cl_losses[c];
    out->forced_quorums = e->cl_forced[c];
    return 0;
}

int sim_engine_node_vote(const sim_engine *e, int c, int j)
{
    if (e->cfg.static_mode || c < 0 || c >= e->n_clusters || j < 0 ||
        j >= cluster_of(e, c)->n_nodes)
        return -1;
    return e->cl_vote[e->cl_first[c] + j];
}

/* ---- clustered roles on a shared disk (M4.7, M5.1) ---- */

/* The next node up after the owner, in topology order, wrapping; -1. */
static int next_node_up(const sim_engine *e, const sim_cluster_role *r)
{
    int n = cluster_of(e, r->cluster)->n_nodes;
    for (int k = 1; k <= n; k++) {
        int j = (r->owner + k) % n;
        if (node_up(e, r->cluster, j))
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

static bool role_owner_up(const sim_engine *e, const sim_cluster_role *r)
{
    return r->cluster >= 0 && r->cluster < e->n_clusters &&
           r->owner < cluster_of(e, r->cluster)->n_nodes && node_up(e, r->cluster, r->owner);
}

bool sim_cluster_role_update(sim_engine *e, sim_cluster_role *r)
{
    bool running = sim_cluster_running(e, r->cluster);
    bool owner_up = role_owner_up(e, r);
    /* M4.7: the role moves when its node is down, if the cluster runs. */
    if (running && !owner_up && next_node_up(e, r) >= 0) {
        if (!sim_timer_armed(e, r->timer))
            sim_timer_arm(e, r->timer, e->now + r->failover_time);
    } else {
        sim_timer_cancel(e, r->timer);
    }
    return running && owner_up && sim_up(e, r->storage); /* down with its disk */
}

int sim_cluster_role_on_timer(sim_engine *e, sim_cluster_role *r)
{
    if (!sim_cluster_running(e, r->cluster) || role_owner_up(e, r))
        return 0;
    int j = next_node_up(e, r);
    if (j < 0)
        return 0;
    r->owner = j;
    r->moves++;
    return 1;
}
