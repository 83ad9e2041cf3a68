/*
 * rules_vm.c: the VM rules, about virtual machines on hosts
 * (`virtualization:`, M0.4, M0.5, M7.6). Servers that must not share a
 * host (two seed front ends, the SQL partners, a witness and what it
 * witnesses) are kept apart today by their placement (ST001, BE003, BE005,
 * CL002 judge it); once HA restart moves VMs (M0.4), only an anti-affinity
 * group keeps them apart: VM001-VM003. VM004 plays the M0.4 restart of
 * every host's VMs with the others up and says which find no host; VM005
 * and VM006 check the placement against the groups and the capacities;
 * VM007 is Microsoft's support statement on live migration (SFB-VIRT).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/rules_impl.h"

static bool is_vm(const qr_topology *t, int s)
{
    return s >= 0 && s < t->n_comps && t->comps[s].kind == QR_COMP_SERVER && t->comps[s].host >= 0;
}

/* a and b can end up on one host after an HA restart: both VMs of one
 * site, not kept apart by a common group. */
static bool may_meet(const qr_topology *t, int a, int b)
{
    return t->virt.ha && is_vm(t, a) && is_vm(t, b) &&
           t->comps[t->comps[a].host].site == t->comps[t->comps[b].host].site &&
           qr_virt_common_group(t, a, b) < 0;
}

/* VM001: two seed front ends (M1.1) on one host now, or free to meet
 * there after an HA restart. */
static void check_seeds(const qr_topology *t, qr_diags *d)
{
    const qr_pool *p = &t->pool;
    int seeds = qr_pool_seed_count(p->version, p->n_frontends);
    for (int i = 0; i < seeds && i < p->n_frontends; i++)
        for (int j = i + 1; j < seeds && j < p->n_frontends; j++) {
            int a = p->frontends[i], b = p->frontends[j];
            /* On one host now: judged here for designs that declare
             * `virtualization:` (ST001 judges every design by its votes). */
            if (t->virt.loc.line > 0 && is_vm(t, a) && t->comps[a].host == t->comps[b].host) {
                rules_emit(d, QR_RULE_VM001, p->frontend_locs[j],
                           "seed front ends '%s' and '%s' run on one host, '%s'", t->comps[a].name,
                           t->comps[b].name, t->comps[t->comps[a].host].name);
                return;
            }
            if (may_meet(t, a, b)) {
                rules_emit(d, QR_RULE_VM001, p->frontend_locs[j],
                           "seed front ends '%s' and '%s' share no anti-affinity group: an HA "
                           "restart can put them on one host",
                           t->comps[a].name, t->comps[b].name);
                return;
            }
        }
}

/* VM002: the SQL partners (mirroring, AlwaysOn replicas) free to meet. */
static void check_sql(const qr_topology *t, qr_diags *d)
{
    const qr_backend *b = &t->pool.backend;
    if (b->kind == QR_BACKEND_MIRRORING && may_meet(t, b->principal, b->mirror)) {
        rules_emit(d, QR_RULE_VM002, b->mirror_loc,
                   "SQL partners '%s' and '%s' share no anti-affinity group: an HA restart "
                   "can put them on one host",
                   t->comps[b->principal].name, t->comps[b->mirror].name);
        return;
    }
    if (b->kind != QR_BACKEND_ALWAYSON)
        return;
    for (int i = 0; i < b->n_replicas; i++)
        for (int j = i + 1; j < b->n_replicas; j++)
            if (may_meet(t, b->replicas[i], b->replicas[j])) {
                rules_emit(d, QR_RULE_VM002, b->replica_locs[j],
                           "availability-group replicas '%s' and '%s' share no anti-affinity "
                           "group: an HA restart can put them on one host",
                           t->comps[b->replicas[i]].name, t->comps[b->replicas[j]].name);
                return;
            }
}

/* VM003: a witness and a server it witnesses free to meet. */
static void check_witnesses(const qr_topology *t, qr_diags *d)
{
    const qr_backend *b = &t->pool.backend;
    if (b->kind == QR_BACKEND_MIRRORING && b->witness >= 0) {
        int partners[2] = { b->principal, b->mirror };
        for (int k = 0; k < 2; k++)
            if (may_meet(t, b->witness, partners[k])) {
                rules_emit(d, QR_RULE_VM003, b->witness_loc,
                           "witness '%s' and '%s', which it witnesses, share no anti-affinity "
                           "group: an HA restart can put them on one host",
                           t->comps[b->witness].name, t->comps[partners[k]].name);
                break;
            }
    }
    for (int c = 0; c < t->n_clusters; c++) {
        const qr_cluster *cl = &t->clusters[c];
        if (cl->witness_kind != QR_WITNESS_FILE_SHARE)
            continue;
        for (int k = 0; k < cl->n_nodes; k++)
            if (may_meet(t, cl->witness, cl->nodes[k])) {
                rules_emit(d, QR_RULE_VM003, cl->witness_loc,
                           "file share witness '%s' and node '%s' of cluster '%s' share no "
                           "anti-affinity group: an HA restart can put them on one host",
                           t->comps[cl->witness].name, t->comps[cl->nodes[k]].name, cl->name);
                break;
            }
    }
}

/* VM004: the M0.4 restart of each host's VMs, the other hosts up with the
 * initial placement: which VMs find no host (the rule of
 * sim/behaviour/vmhost.c: another host of the site, room, no member of
 * the VM's groups; the most room first). */
static void check_restart_room(const qr_topology *t, qr_diags *d)
{
    if (!t->virt.ha)
        return;
    int n = t->n_comps;
    int *host = malloc(sizeof(int) * ((size_t)n + 1));
    int *placed = calloc((size_t)n + 1, sizeof(int));
    int first = -1, others = 0;
    char msg[512];
    if (!host || !placed)
        goto cleanup;
    for (int h = 0; h < n; h++) {
        if (t->comps[h].kind != QR_COMP_HOST)
            continue;
        for (int i = 0; i < n; i++) {
            host[i] = is_vm(t, i) ? t->comps[i].host : -1;
            placed[i] = 0;
        }
        for (int i = 0; i < n; i++)
            if (host[i] >= 0)
                placed[host[i]]++;
        char names[256] = "";
        int stuck = 0, total = 0;
        for (int v = 0; v < n; v++) {
            if (host[v] != h)
                continue;
            total++;
            int best = -1;
            long best_room = -1;
            for (int g = 0; g < n; g++) {
                if (g == h || t->comps[g].kind != QR_COMP_HOST ||
                    t->comps[g].site != t->comps[h].site)
                    continue;
                int cap = t->comps[g].capacity;
                if (cap > 0 && placed[g] >= cap)
                    continue;
                bool partner = false;
                for (int u = 0; u < n && !partner; u++)
                    partner = u != v && host[u] == g && qr_virt_common_group(t, u, v) >= 0;
                if (partner)
                    continue;
                long room = cap <= 0 ? LONG_MAX : (long)cap - placed[g];
                if (room > best_room) {
                    best_room = room;
                    best = g;
                }
            }
            if (best >= 0) {
                placed[h]--;
                placed[best]++;
                host[v] = best;
                continue;
            }
            size_t o = strlen(names);
            if (o + 1 < sizeof(names))
                snprintf(names + o, sizeof(names) - o, "%s'%s'", stuck ? ", " : "",
                         t->comps[v].name);
            stuck++;
        }
        if (stuck > 0 && first < 0) {
            first = h;
            snprintf(msg, sizeof(msg),
                     "losing host '%s', %d of its %d VMs (%s) find no other host with room "
                     "outside their anti-affinity groups: they wait for its repair",
                     t->comps[h].name, stuck, total, names);
        } else if (stuck > 0) {
            others++;
        }
    }
    if (first >= 0 && others > 0)
        rules_emit(d, QR_RULE_VM004, t->comps[first].loc, "%s (so do VMs of %d other host%s)", msg,
                   others, others == 1 ? "" : "s");
    else if (first >= 0)
        rules_emit(d, QR_RULE_VM004, t->comps[first].loc, "%s", msg);
cleanup:
    free(host);
    free(placed);
}

/* VM005: a group whose members share a host; VM006: a host over capacity. */
static void check_placement(const qr_topology *t, qr_diags *d)
{
    const qr_virtualization *v = &t->virt;
    for (int g = 0; g < v->n_aa_groups; g++) {
        int x = -1, y = -1;
        for (int a = v->aa_start[g]; a < v->aa_start[g + 1] && y < 0; a++)
            for (int b = a + 1; b < v->aa_start[g + 1] && y < 0; b++)
                if (t->comps[v->aa_members[a]].host == t->comps[v->aa_members[b]].host) {
                    x = a;
                    y = b;
                }
        if (y >= 0) /* once per group */
            rules_emit(d, QR_RULE_VM005, v->aa_locs[y],
                       "'%s' and '%s' of one anti-affinity group run on one host, '%s'",
                       t->comps[v->aa_members[x]].name, t->comps[v->aa_members[y]].name,
                       t->comps[t->comps[v->aa_members[x]].host].name);
    }
    for (int h = 0; h < t->n_comps; h++) {
        if (t->comps[h].kind != QR_COMP_HOST || t->comps[h].capacity <= 0)
            continue;
        int n = 0;
        for (int i = 0; i < t->n_comps; i++)
            n += is_vm(t, i) && t->comps[i].host == h;
        if (n > t->comps[h].capacity)
            rules_emit(d, QR_RULE_VM006, t->comps[h].loc,
                       "host '%s' runs %d VMs, more than its capacity of %d", t->comps[h].name, n,
                       t->comps[h].capacity);
    }
}

void rules_check_vm(const qr_topology *t, qr_diags *d)
{
    check_seeds(t, d);
    check_sql(t, d);
    check_witnesses(t, d);
    check_restart_room(t, d);
    check_placement(t, d);
    if (t->virt.live_migration) /* M7.6 */
        rules_emit(d, QR_RULE_VM007, t->virt.loc,
                   "live migration of Skype for Business servers is not supported by "
                   "Microsoft; the simulation moves running VMs without an outage as asked");
}
