/*
 * rules_backend.c: the BE rules, about the Back End SQL: whether it has high
 * availability at all (SFB-BE, L13-BE), whether mirroring can fail over by
 * itself (M3.3, M3.4), where the mirroring witness and the partners run
 * (M0.2 containment against the two-of-three quorum of SQL-MIRQUORUM), and
 * which Back End forms each product version supports.
 */
#include "check/rules_impl.h"

static void check_forms(const qr_topology *t, qr_diags *d)
{
    const qr_pool *p = &t->pool;
    const qr_backend *b = &p->backend;
    if (b->kind == QR_BACKEND_STANDALONE)
        rules_emit(d, QR_RULE_BE001, b->loc,
                   "standalone SQL on '%s' is a single point of failure of the Back End",
                   qr_topology_comp_name(t, b->server));
    if (b->kind == QR_BACKEND_MIRRORING && p->version == QR_VERSION_SFB2019)
        rules_emit(d, QR_RULE_BE006, b->loc, "SQL mirroring is not supported by sfb2019");
    if (b->kind == QR_BACKEND_ALWAYSON && p->version == QR_VERSION_LYNC2013)
        rules_emit(d, QR_RULE_BE007, b->loc,
                   "lync2013 does not support AlwaysOn availability groups");
    if (b->kind == QR_BACKEND_ALWAYSON && b->n_replicas == 1)
        rules_emit(d, QR_RULE_BE008, b->replica_locs[0],
                   "the availability group has one automatic-failover replica, '%s': "
                   "losing its node stops the Back End",
                   qr_topology_comp_name(t, b->replicas[0]));
}

static void check_mirroring(const qr_topology *t, qr_diags *d)
{
    const qr_backend *b = &t->pool.backend;
    if (b->kind != QR_BACKEND_MIRRORING)
        return;
    int hp = rules_host_of(t, b->principal), hm = rules_host_of(t, b->mirror);
    if (hp >= 0 && hp == hm)
        rules_emit(d, QR_RULE_BE005, b->mirror_loc,
                   "principal '%s' and mirror '%s' both run on host '%s'",
                   qr_topology_comp_name(t, b->principal), qr_topology_comp_name(t, b->mirror),
                   qr_topology_comp_name(t, hp));
    if (b->witness < 0) {
        rules_emit(d, QR_RULE_BE002, b->loc,
                   "SQL mirroring between '%s' and '%s' has no witness: losing the "
                   "principal needs a manual failover",
                   qr_topology_comp_name(t, b->principal), qr_topology_comp_name(t, b->mirror));
        return;
    }
    /* Two of the three must see each other (SQL-MIRQUORUM): a host or site
     * holding the witness and one partner is a single point of failure. */
    int hw = rules_host_of(t, b->witness);
    if (hw >= 0 && hp != hm && (hw == hp || hw == hm)) {
        int partner = hw == hp ? b->principal : b->mirror;
        rules_emit(d, QR_RULE_BE003, b->witness_loc,
                   "witness '%s' runs on host '%s' with %s '%s': losing the host "
                   "stops the Back End",
                   qr_topology_comp_name(t, b->witness), qr_topology_comp_name(t, hw),
                   partner == b->principal ? "principal" : "mirror",
                   qr_topology_comp_name(t, partner));
        return;
    }
    int sp = rules_site_of(t, b->principal), sm = rules_site_of(t, b->mirror);
    int sw = rules_site_of(t, b->witness);
    if (sp >= 0 && sm >= 0 && sp != sm && (sw == sp || sw == sm)) {
        int partner = sw == sp ? b->principal : b->mirror;
        rules_emit(d, QR_RULE_BE004, b->witness_loc,
                   "witness '%s' is in site '%s' with %s '%s': losing the site stops "
                   "the Back End instead of failing it over",
                   qr_topology_comp_name(t, b->witness), qr_topology_comp_name(t, sw),
                   partner == b->principal ? "principal" : "mirror",
                   qr_topology_comp_name(t, partner));
    }
}

static void check_replica_hosts(const qr_topology *t, qr_diags *d)
{
    const qr_backend *b = &t->pool.backend;
    if (b->kind != QR_BACKEND_ALWAYSON)
        return;
    int h = rules_common_host(t, b->replicas, b->n_replicas);
    if (h < 0)
        return;
    /* CL006 already reports a cluster whose every node is on this host. */
    if (b->cluster >= 0 && b->cluster < t->n_clusters &&
        rules_common_host(t, t->clusters[b->cluster].nodes,
                          t->clusters[b->cluster].n_nodes) == h)
        return;
    rules_emit(d, QR_RULE_BE005, b->replica_locs[b->n_replicas - 1],
               "all %d availability-group replicas run on host '%s'",
               b->n_replicas, qr_topology_comp_name(t, h));
}

void rules_check_backend(const qr_topology *t, qr_diags *d)
{
    check_forms(t, d);
    check_mirroring(t, d);
    check_replica_hosts(t, d);
}
