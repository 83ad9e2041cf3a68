/*
 * rules_cluster.c: the CL rules, about Windows failover clusters (M4): an
 * odd vote count or a witness (M4.1, M4.3), where the witness lives (not on
 * a node's host, not on DFS, not in one of two node sites: WS-QUORUM, WS-FSW), a cloud
 * witness only from Windows Server 2016, nodes sharing one host, dynamic
 * quorum left on (M4.2) and node votes not removed in place of a witness.
 * (The loader refuses dynamic quorum / witness flags the Windows version
 * lacks.)
 */
#include "check/rules_impl.h"

static const char *windows_name(qr_windows w)
{
    switch (w) {
    case QR_WINDOWS_2008: return "2008";
    case QR_WINDOWS_2008R2: return "2008 R2";
    case QR_WINDOWS_2012: return "2012";
    case QR_WINDOWS_2012R2: return "2012 R2";
    case QR_WINDOWS_2016: return "2016";
    case QR_WINDOWS_2019: return "2019";
    case QR_WINDOWS_2022: return "2022";
    }
    return "?";
}

static void check_votes(const qr_topology *t, const qr_cluster *c, qr_diags *d)
{
    (void)t;
    int votes = 0;
    for (int i = 0; i < c->n_nodes; i++)
        votes += c->weight ? c->weight[i] : 1;
    if (c->witness_kind == QR_WITNESS_NONE && votes % 2 == 0)
        rules_emit(d, QR_RULE_CL001, c->loc,
                   "cluster '%s' has an even number of votes (%d) and no witness",
                   c->name, votes);
}

/* CL002 and CL004; returns nothing, emits at most one of the two. */
static void check_witness_place(const qr_topology *t, const qr_cluster *c,
                                qr_diags *d)
{
    if (c->witness < 0 || c->witness >= t->n_comps)
        return;
    const char *wname = t->comps[c->witness].name;
    if (c->witness_kind == QR_WITNESS_FILE_SHARE) {
        int hw = rules_host_of(t, c->witness);
        for (int i = 0; i < c->n_nodes; i++) {
            bool votes = !c->weight || c->weight[i] != 0;
            if (votes && hw >= 0 && rules_host_of(t, c->nodes[i]) == hw) {
                rules_emit(d, QR_RULE_CL002, c->witness_loc,
                           "file share witness '%s' runs on host '%s' with node '%s' "
                           "of cluster '%s'",
                           wname, t->comps[hw].name, t->comps[c->nodes[i]].name,
                           c->name);
                return;
            }
        }
    }
    /* Voting nodes in exactly two sites: a witness in either makes it the
     * primary site. Nodes without a vote (a DR site, manual failover) do
     * not count: there a witness in the primary site is what Microsoft
     * advises. */
    int s1 = -1, s2 = -1;
    for (int i = 0; i < c->n_nodes; i++) {
        if (c->weight && c->weight[i] == 0)
            continue;
        int s = rules_site_of(t, c->nodes[i]);
        if (s < 0)
            return;
        if (s1 < 0 || s == s1)
            s1 = s;
        else if (s2 < 0 || s == s2)
            s2 = s;
        else
            return; /* three or more sites */
    }
    int sw = rules_site_of(t, c->witness);
    if (s2 >= 0 && sw >= 0 && (sw == s1 || sw == s2))
        rules_emit(d, QR_RULE_CL004, c->witness_loc,
                   "witness '%s' of cluster '%s' is in site '%s', one of the two "
                   "sites of its nodes: losing that site stops the cluster",
                   wname, c->name, t->comps[sw].name);
}

static void check_versions(const qr_cluster *c, qr_diags *d)
{
    if (c->witness_kind == QR_WITNESS_CLOUD && c->windows < QR_WINDOWS_2016)
        rules_emit(d, QR_RULE_CL005, c->witness_loc,
                   "cluster '%s' has a cloud witness, which Windows Server %s does not "
                   "have (it came with 2016)",
                   c->name, windows_name(c->windows));
}

/* CL008: a node without a vote in a one-site cluster with no witness. */
static void check_removed_votes(const qr_topology *t, const qr_cluster *c,
                                qr_diags *d)
{
    if (c->witness_kind != QR_WITNESS_NONE || !c->weight || c->n_nodes == 0)
        return;
    int site = rules_site_of(t, c->nodes[0]);
    for (int i = 1; i < c->n_nodes; i++)
        if (rules_site_of(t, c->nodes[i]) != site)
            return; /* votes removed from a DR site are as Microsoft advises */
    for (int i = 0; i < c->n_nodes; i++) {
        if (c->weight[i] == 0) {
            rules_emit(d, QR_RULE_CL008, c->node_locs[i],
                       "node '%s' of cluster '%s' has no vote, and the cluster has no "
                       "witness",
                       t->comps[c->nodes[i]].name, c->name);
            return;
        }
    }
}

void rules_check_cluster(const qr_topology *t, qr_diags *d)
{
    for (int ci = 0; ci < t->n_clusters; ci++) {
        const qr_cluster *c = &t->clusters[ci];
        check_votes(t, c, d);
        if (c->witness_kind == QR_WITNESS_FILE_SHARE && c->witness_on_dfs)
            rules_emit(d, QR_RULE_CL003, c->witness_loc,
                       "file share witness '%s' of cluster '%s' is on DFS, which is "
                       "not supported for a witness",
                       c->witness >= 0 ? t->comps[c->witness].name : "?", c->name);
        check_witness_place(t, c, d);
        check_versions(c, d);
        if (!c->dynamic_quorum && c->windows >= QR_WINDOWS_2012)
            rules_emit(d, QR_RULE_CL007, c->loc,
                       "cluster '%s' has dynamic quorum turned off", c->name);
        check_removed_votes(t, c, d);
        int h = rules_common_host(t, c->nodes, c->n_nodes);
        if (h >= 0)
            rules_emit(d, QR_RULE_CL006, c->node_locs[c->n_nodes - 1],
                       "all %d nodes of cluster '%s' run on host '%s'",
                       c->n_nodes, c->name, t->comps[h].name);
    }
}
