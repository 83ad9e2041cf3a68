/*
 * pool_view_virt.c: the hosts' virtualization (M0.4, M0.5, M7.6, M7.7) of a
 * design with several pools, carried into each pool's view (pool_view.h)
 * when the hosts map cleanly onto the pools, and the check that they do.
 *
 * Clean: every host runs servers of one pool only, and every host in the
 * site of a pool's host is that pool's (HA restarts and moves go to hosts
 * of the same site, M0.4: the view then offers the same hosts the design
 * does), and there are no host maintenance nights (M7.7: the design's
 * nights take all hosts one at a time, which separate pool engines cannot
 * share). An anti-affinity group (M0.5) then splits by pool: VMs of two
 * pools never share a host, so the group's members in one view keep all
 * its constraints.
 */
#include "model/pool_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_host(const qr_topology *t, int i)
{
    return i >= 0 && i < t->n_comps && t->comps[i].kind == QR_COMP_HOST;
}

int qr_pool_view_virt_check(const qr_topology *t, char *const *keeps, char *err, size_t errlen)
{
    if (t->virt.loc.line <= 0)
        return 0;
    if (isfinite(t->virt.maint_every)) {
        snprintf(err, errlen,
                 "`virtualization.maintenance` (host maintenance nights, M7.7) is not built for "
                 "a design with several pools yet: the design's nights take all its hosts one "
                 "at a time, which the pools' separate engines cannot share");
        return -1;
    }
    for (int h = 0; h < t->n_comps; h++) {
        if (!is_host(t, h))
            continue;
        for (int a = 0; a < t->n_pools; a++) {
            if (!keeps[a][h])
                continue;
            for (int b = a + 1; b < t->n_pools; b++)
                if (keeps[b][h]) {
                    snprintf(err, errlen,
                             "host '%s' runs servers of pools '%s' and '%s': with "
                             "`virtualization:` each host must be one pool's, for the pools' "
                             "separate engines to carry it",
                             t->comps[h].name, t->pools[a].name, t->pools[b].name);
                    return -1;
                }
            /* HA restarts and moves (M0.4) go to hosts of the same site. */
            for (int g = 0; g < t->n_comps; g++)
                if (is_host(t, g) && !keeps[a][g] && t->comps[g].site == t->comps[h].site) {
                    snprintf(err, errlen,
                             "host '%s' shares a site with pool '%s''s host '%s' but runs none "
                             "of its servers: an HA restart or a move (M0.4) could take that "
                             "pool's VMs there, which the pool's own engine cannot; with "
                             "`virtualization:` give each pool hosts of its own sites",
                             t->comps[g].name, t->pools[a].name, t->comps[h].name);
                    return -1;
                }
        }
    }
    return 0;
}

int qr_pool_view_carry_virt(const qr_topology *t, qr_topology *v, const int *map)
{
    const qr_virtualization *s = &t->virt;
    if (s->loc.line <= 0)
        return 0;
    qr_virtualization *d = &v->virt;
    *d = *s;
    d->aa_members = NULL;
    d->aa_locs = NULL;
    d->aa_start = NULL;
    d->n_aa_groups = 0;
    int total = s->n_aa_groups > 0 ? s->aa_start[s->n_aa_groups] : 0;
    d->aa_members = malloc(sizeof(int) * ((size_t)total + 1));
    d->aa_locs = malloc(sizeof(qr_loc) * ((size_t)total + 1));
    d->aa_start = malloc(sizeof(int) * ((size_t)s->n_aa_groups + 1));
    if (!d->aa_members || !d->aa_locs || !d->aa_start)
        return -1; /* v owns what was allocated */
    int n = 0;
    d->aa_start[0] = 0;
    for (int g = 0; g < s->n_aa_groups; g++) {
        int from = n;
        for (int k = s->aa_start[g]; k < s->aa_start[g + 1]; k++) {
            int m = s->aa_members[k];
            int x = (m >= 0 && m < t->n_comps) ? map[m] : -1;
            if (x < 0)
                continue;
            d->aa_members[n] = x;
            d->aa_locs[n++] = s->aa_locs ? s->aa_locs[k] : s->loc;
        }
        if (n - from < 2) { /* one member: no constraint in this pool */
            n = from;
            continue;
        }
        d->aa_start[++d->n_aa_groups] = n;
    }
    return 0;
}
