/*
 * rules_store.c: the FS rules, about the file store (a single share or DFS
 * replicas that fail together, DFS across sites: SFB-FILE, M5.1), and the
 * ST rules, about where the pool runs: a host whose loss (M0.2) breaks pool
 * quorum (M1.1, M1.2), and front ends stretched over sites (SFB-CAP).
 */
#include "check/rules_impl.h"

static void check_file_store(const qr_topology *t, qr_diags *d)
{
    const qr_file_store *f = &t->pool.file_store;
    if (f->kind == QR_FILE_STORE_SHARE) {
        rules_emit(d, QR_RULE_FS001, f->loc,
                   "the file store is one share on '%s', a single point of failure",
                   qr_topology_comp_name(t, f->server));
        return;
    }
    if (f->kind != QR_FILE_STORE_DFS || f->n_replicas <= 0)
        return;
    if (f->n_replicas == 1) {
        rules_emit(d, QR_RULE_FS002, f->replica_locs[0],
                   "DFS has one replica, '%s', a single point of failure",
                   qr_topology_comp_name(t, f->replicas[0]));
    } else {
        int h = rules_common_host(t, f->replicas, f->n_replicas);
        if (h >= 0)
            rules_emit(d, QR_RULE_FS002, f->replica_locs[f->n_replicas - 1],
                       "all %d DFS replicas run on host '%s'", f->n_replicas,
                       qr_topology_comp_name(t, h));
    }
    int s0 = rules_site_of(t, f->replicas[0]);
    for (int i = 1; i < f->n_replicas && s0 >= 0; i++) {
        int s = rules_site_of(t, f->replicas[i]);
        if (s >= 0 && s != s0) {
            rules_emit(d, QR_RULE_FS003, f->replica_locs[i],
                       "DFS replica '%s' is in site '%s' and '%s' in site '%s': DFS "
                       "fails over within one data centre only",
                       qr_topology_comp_name(t, f->replicas[i]), qr_topology_comp_name(t, s),
                       qr_topology_comp_name(t, f->replicas[0]), qr_topology_comp_name(t, s0));
            break;
        }
    }
}

/* ST001: M1.2 evaluated right after the unexpected loss of one host (M1.4:
 * the lost seeds stay counted; M1.8: the Back End vote is the primary
 * database's, lost when its server is on that host). */
static void check_hosts(const qr_topology *t, qr_diags *d)
{
    const qr_pool *p = &t->pool;
    if (p->n_frontends < 2)
        return; /* FE006 already says a single front end stops the pool */
    int seeds = qr_pool_seed_count(p->version, p->n_frontends);
    if (seeds > p->n_frontends)
        seeds = p->n_frontends;
    bool even = seeds % 2 == 0 && qr_pool_backend_votes(t); /* M1.2 */
    int primary = rules_backend_primary(t);
    for (int h = 0; h < t->n_comps; h++) {
        if (t->comps[h].kind != QR_COMP_HOST)
            continue;
        int lost = 0;
        for (int i = 0; i < seeds; i++)
            if (rules_host_of(t, p->frontends[i]) == h)
                lost++;
        if (lost == 0)
            continue;
        bool backend_lost = primary >= 0 && rules_host_of(t, primary) == h;
        int counted = seeds + (even ? 1 : 0);
        int present = seeds - lost + ((even && !backend_lost) ? 1 : 0);
        if (2 * present > counted)
            continue;
        if (even && backend_lost)
            rules_emit(d, QR_RULE_ST001, t->comps[h].loc,
                       "losing host '%s' stops the pool: it runs %d of the %d seed "
                       "front ends and the primary database on '%s'",
                       t->comps[h].name, lost, seeds, qr_topology_comp_name(t, primary));
        else
            rules_emit(d, QR_RULE_ST001, t->comps[h].loc,
                       "losing host '%s' stops the pool: it runs %d of the %d seed "
                       "front ends",
                       t->comps[h].name, lost, seeds);
    }
}

static void check_sites(const qr_topology *t, qr_diags *d)
{
    const qr_pool *p = &t->pool;
    if (p->n_frontends < 2)
        return;
    int s0 = rules_site_of(t, p->frontends[0]);
    for (int i = 1; i < p->n_frontends && s0 >= 0; i++) {
        int s = rules_site_of(t, p->frontends[i]);
        if (s >= 0 && s != s0) {
            rules_emit(d, QR_RULE_ST002, p->frontend_locs[i],
                       "front end '%s' is in site '%s' and '%s' in site '%s': "
                       "stretched pools are not supported",
                       qr_topology_comp_name(t, p->frontends[i]), qr_topology_comp_name(t, s),
                       qr_topology_comp_name(t, p->frontends[0]), qr_topology_comp_name(t, s0));
            return;
        }
    }
}

void rules_check_store(const qr_topology *t, qr_diags *d)
{
    check_file_store(t, d);
    check_hosts(t, d);
    check_sites(t, d);
}
