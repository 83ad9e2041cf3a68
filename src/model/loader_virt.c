/*
 * loader_virt.c: the `virtualization:` key of a topology (docs/topology-format.md):
 * HA restart of a failed host's virtual machines (M0.4), anti-affinity
 * groups (M0.5), and host maintenance by live migration or graceful
 * shutdown (M7.6, M7.7), into t->virt. Hosts' `capacity` is read with the
 * hosts (loader_components.c).
 *
 * An anti-affinity group names servers that run on hosts (virtual
 * machines), at least two, none twice in one group (P009); a physical
 * server in a group is an error (P004): a group is about keeping VMs apart.
 */
#include <math.h>
#include <stdlib.h>

#include "model/loader_internal.h"

/* One group of `anti_affinity`: append its members to v. */
static void read_group(ld_ctx *c, const yaml_node_t *n, int *n_members, int *cap_members)
{
    qr_virtualization *v = &c->t->virt;
    int *idx = NULL;
    qr_loc *locs = NULL;
    int count = ld_server_list(c, n, "anti_affinity", &idx, &locs);
    if (count < 0)
        goto cleanup;
    if (count < 2) {
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "an anti-affinity group needs at least two servers, got %d", count);
        goto cleanup;
    }
    for (int k = 0; k < count; k++)
        if (c->t->comps[idx[k]].host < 0) {
            ld_error(c, locs[k], QR_RULE_P004,
                     "'%s' in 'anti_affinity' is a physical server: a group keeps "
                     "virtual machines (servers with a 'host') apart",
                     c->t->comps[idx[k]].name);
            goto cleanup;
        }
    int old_cap = *cap_members;
    int *members = v->aa_members;
    qr_loc *mlocs = v->aa_locs;
    if (*n_members + count > old_cap) {
        int cap = (*n_members + count) * 2;
        members = realloc(v->aa_members, sizeof(*members) * (size_t)cap);
        if (members)
            v->aa_members = members;
        mlocs = members ? realloc(v->aa_locs, sizeof(*mlocs) * (size_t)cap) : NULL;
        if (mlocs)
            v->aa_locs = mlocs;
        if (!members || !mlocs) {
            c->oom = 1;
            goto cleanup;
        }
        *cap_members = cap;
    }
    int *start = realloc(v->aa_start, sizeof(*start) * (size_t)(v->n_aa_groups + 2));
    if (!start) {
        c->oom = 1;
        goto cleanup;
    }
    v->aa_start = start;
    if (v->n_aa_groups == 0)
        start[0] = 0;
    for (int k = 0; k < count; k++) {
        v->aa_members[*n_members + k] = idx[k];
        v->aa_locs[*n_members + k] = locs[k];
    }
    *n_members += count;
    v->n_aa_groups++;
    start[v->n_aa_groups] = *n_members;
cleanup:
    free(idx);
    free(locs);
}

/* `failback: { after, how }` (M0.4): after an HA restart, the VMs go back
 * to their home host. `how` defaults to live when live migration is on,
 * else restart; `after` to 1h for live, 1d (the next night) for restart. */
static void read_failback(ld_ctx *c, const ld_map *sub)
{
    static const char *const fb_keys[] = { "after", "how", NULL };
    static const char *const hows[] = { "restart", "live", NULL };
    qr_virtualization *v = &c->t->virt;
    ld_check_keys(c, sub, fb_keys);
    v->failback = true;
    v->failback_live = v->live_migration;
    yaml_node_t *how = ld_get(c, sub, "how", NULL);
    if (how) {
        int k = ld_enum(c, how, "how", hows);
        if (k == 1 && !v->live_migration)
            ld_error(c, qr_yaml_loc(how), QR_RULE_P004,
                     "'how: live' needs 'live_migration: true' (Microsoft does not support "
                     "live migration of Skype for Business servers); use 'how: restart'");
        else if (k >= 0)
            v->failback_live = k == 1;
    }
    if (!v->ha)
        ld_error(c, sub->loc, QR_RULE_P004,
                 "'failback' moves virtual machines home after an HA restart: it needs 'ha'");
    v->failback_after = v->failback_live ? 3600.0 : 86400.0;
    ld_opt_duration(c, sub, "after", &v->failback_after);
}

void ld_virtualization(ld_ctx *c, const ld_map *root)
{
    ld_map m;
    if (ld_sub_map(c, root, "virtualization", &m) <= 0)
        return;
    static const char *const keys[] = { "ha", "live_migration", "anti_affinity", "maintenance",
                                        "failback", NULL };
    static const char *const ha_keys[] = { "restart", NULL };
    static const char *const maint_keys[] = { "every", "duration", "gap", NULL };
    ld_check_keys(c, &m, keys);
    qr_virtualization *v = &c->t->virt;
    v->loc = m.loc;
    qr_loc key_loc;
    if (ld_get(c, root, "virtualization", &key_loc))
        v->loc = key_loc;
    ld_map sub;
    if (ld_sub_map(c, &m, "ha", &sub) > 0) { /* M0.4 */
        ld_check_keys(c, &sub, ha_keys);
        v->ha = true;
        ld_opt_duration(c, &sub, "restart", &v->ha_restart);
    }
    ld_opt_bool(c, &m, "live_migration", &v->live_migration); /* M7.6 */
    if (ld_sub_map(c, &m, "maintenance", &sub) > 0) {         /* M7.7 */
        ld_check_keys(c, &sub, maint_keys);
        yaml_node_t *every = ld_require(c, &sub, "every", NULL);
        double e = INFINITY;
        if (every && ld_duration(c, every, "every", false, &e) == 0) {
            if (e < QR_PATCH_MIN_EVERY)
                ld_error(c, qr_yaml_loc(every), QR_RULE_P004,
                         "'every' of host maintenance must be at least 1h");
            else
                v->maint_every = e;
        }
        ld_opt_duration(c, &sub, "duration", &v->maint_duration);
        ld_opt_duration(c, &sub, "gap", &v->maint_gap);
    }
    if (ld_sub_map(c, &m, "failback", &sub) > 0) /* M0.4 */
        read_failback(c, &sub);
    yaml_node_t *aa = ld_get(c, &m, "anti_affinity", NULL); /* M0.5 */
    if (aa && !ld_is_empty(aa) && ld_expect(c, aa, YAML_SEQUENCE_NODE, "'anti_affinity'") == 0) {
        int n_members = 0, cap = 0;
        for (yaml_node_item_t *it = aa->data.sequence.items.start; it < aa->data.sequence.items.top;
             it++) {
            yaml_node_t *g = ld_node(c, *it);
            if (g)
                read_group(c, g, &n_members, &cap);
        }
    }
}
