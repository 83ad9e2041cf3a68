/*
 * loader_extras.c: the parts of a topology that are parameters rather than
 * components: `features` (M6: override a built-in feature's needs or add a
 * feature), `fabric` (M1.3, M1.6, M2.3), `operations` (M1.7, M3.4, M4.5),
 * `patching` (M7.1, M7.2, M7.5), `costs` and `latent_faults` (M7.3,
 * loader_latent.c). Every value has its default from
 * qr_topology_init() and is only replaced when given.
 */
#include "model/loader_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/suggest.h"

static unsigned read_needs(ld_ctx *c, yaml_node_t *seq)
{
    if (ld_expect(c, seq, YAML_SEQUENCE_NODE, "'needs'") != 0)
        return 0;
    const char *const *names = qr_need_words;
    unsigned needs = 0;
    for (yaml_node_item_t *it = seq->data.sequence.items.start;
         it < seq->data.sequence.items.top; it++) {
        yaml_node_t *n = ld_node(c, *it);
        const char *s;
        if (ld_string(c, n, "needs", &s) != 0)
            continue;
        size_t i;
        for (i = 0; i < QR_NEED_COUNT; i++)
            if (strcmp(s, names[i]) == 0)
                break;
        if (i < QR_NEED_COUNT) {
            needs |= 1u << i;
            continue;
        }
        char ex[64];
        ld_excerpt(n, ex, sizeof(ex));
        const char *hint = qr_suggest(ex, names, QR_NEED_COUNT);
        if (hint)
            ld_error(c, qr_yaml_loc(n), QR_RULE_P004, "unknown need '%s' (did you "
                     "mean '%s'?)", ex, hint);
        else
            ld_error(c, qr_yaml_loc(n), QR_RULE_P004, "unknown need '%s': expected "
                     "'pool', 'routing_group', 'routing_group_limited', "
                     "'backend', 'backend_grace' or 'file_store'", ex);
    }
    return needs;
}

static void add_feature(ld_ctx *c, const char *name, unsigned needs,
                        qr_loc loc)
{
    qr_topology *t = c->t;
    int i = qr_topology_find_feature(t, name);
    if (i < 0) {
        qr_feature *f = realloc(t->features,
                                ((size_t)t->n_features + 1) * sizeof(*f));
        if (!f) {
            c->oom = 1;
            return;
        }
        t->features = f;
        char *copy = strdup(name);
        if (!copy) {
            c->oom = 1;
            return;
        }
        i = t->n_features++;
        t->features[i].name = copy;
    }
    t->features[i].needs = needs;
    t->features[i].loc = loc;
}

static void read_features(ld_ctx *c, const ld_map *root)
{
    ld_map m;
    if (ld_sub_map(c, root, "features", &m) <= 0)
        return;
    static const char *const keys[] = { "needs", NULL };
    size_t count = (size_t)(m.map->data.mapping.pairs.top -
                            m.map->data.mapping.pairs.start);
    if (count > LD_MAX_FEATURES) {
        ld_error(c, m.loc, QR_RULE_P010, "more than %d features", LD_MAX_FEATURES);
        return;
    }
    for (yaml_node_pair_t *p = m.map->data.mapping.pairs.start;
         p < m.map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ld_node(c, p->key), *v = ld_node(c, p->value);
        const char *name;
        if (ld_name_value(c, k, "features", &name) != 0)
            continue;
        char what[192];
        snprintf(what, sizeof(what), "feature '%s'", name);
        if (ld_expect(c, v, YAML_MAPPING_NODE, what) != 0)
            continue;
        ld_map f = { .map = v, .what = what, .loc = qr_yaml_loc(k) };
        ld_check_keys(c, &f, keys);
        yaml_node_t *needs = ld_require(c, &f, "needs", NULL);
        if (!needs)
            continue;
        unsigned bits = read_needs(c, needs);
        /* A duplicated feature key is reported as P006; the first wins. */
        int existing = qr_topology_find_feature(c->t, name);
        if (existing >= 0 && c->t->features[existing].loc.line > 0)
            continue;
        add_feature(c, name, bits, qr_yaml_loc(k));
    }
}

static void read_fabric(ld_ctx *c, const ld_map *root)
{
    ld_map m;
    if (ld_sub_map(c, root, "fabric", &m) <= 0)
        return;
    static const char *const keys[] = { "graceful_leave_adjusts_votes",
                                        "restart_time", "replica_rebuild",
                                        "sfb2019_backend_vote", "restart_order",
                                        NULL };
    ld_check_keys(c, &m, keys);
    qr_params *p = &c->t->params;
    qr_given *g = c->t->setting_given;
    ld_opt_bool_given(c, &m, "graceful_leave_adjusts_votes",
                      &p->graceful_leave_adjusts_votes, QR_FROM_DESIGN,
                      &g[QR_SET_GRACEFUL_LEAVE]);                  /* M1.3 */
    ld_opt_duration_given(c, &m, "restart_time", &p->restart_time,
                          QR_FROM_DESIGN, &g[QR_SET_RESTART_TIME]); /* M1.6 */
    ld_opt_duration_given(c, &m, "replica_rebuild", &p->replica_rebuild,
                          QR_FROM_DESIGN, &g[QR_SET_REPLICA_REBUILD]); /* M2.3 */
    ld_opt_bool(c, &m, "sfb2019_backend_vote", &p->sfb2019_backend_vote); /* M1.2 */
    ld_opt_bool(c, &m, "restart_order", &p->restart_order);               /* M1.9 */
}

static void read_operations(ld_ctx *c, const ld_map *root)
{
    ld_map m;
    if (ld_sub_map(c, root, "operations", &m) <= 0)
        return;
    static const char *const keys[] = { "quorum_reset", "sql_failover",
                                        "force_quorum", "health_audit", NULL };
    static const char *const every_keys[] = { "every", NULL };
    static const char *const reset_keys[] = { "after", "retry", NULL };
    static const char *const after_keys[] = { "after", NULL };
    ld_check_keys(c, &m, keys);
    qr_params *p = &c->t->params;
    qr_given *g = c->t->setting_given;
    ld_map sub;
    if (ld_sub_map(c, &m, "quorum_reset", &sub) > 0) { /* M1.7 */
        ld_check_keys(c, &sub, reset_keys);
        ld_opt_duration_given(c, &sub, "after", &p->quorum_reset_after,
                              QR_FROM_DESIGN, &g[QR_SET_QUORUM_RESET_AFTER]);
        ld_opt_duration_given(c, &sub, "retry", &p->quorum_reset_retry,
                              QR_FROM_DESIGN, &g[QR_SET_QUORUM_RESET_RETRY]);
    }
    if (ld_sub_map(c, &m, "sql_failover", &sub) > 0) { /* M3.4 */
        ld_check_keys(c, &sub, after_keys);
        ld_opt_duration_given(c, &sub, "after", &p->sql_failover_after,
                              QR_FROM_DESIGN, &g[QR_SET_SQL_FAILOVER_AFTER]);
    }
    if (ld_sub_map(c, &m, "force_quorum", &sub) > 0) { /* M4.5 */
        ld_check_keys(c, &sub, after_keys);
        ld_opt_duration_given(c, &sub, "after", &p->force_quorum_after,
                              QR_FROM_DESIGN, &g[QR_SET_FORCE_QUORUM_AFTER]);
    }
    if (ld_sub_map(c, &m, "health_audit", &sub) > 0) { /* M7.4 */
        ld_check_keys(c, &sub, every_keys);
        yaml_node_t *v = ld_get(c, &sub, "every", NULL);
        if (v && ld_mean(c, v, "every", true, &c->t->latent_practice.health_audit_every) == 0)
            g[QR_SET_HEALTH_AUDIT] = (qr_given){ QR_FROM_DESIGN, qr_yaml_loc(v) };
    }
}

static void read_patching(ld_ctx *c, const ld_map *root)
{
    ld_map m;
    if (ld_sub_map(c, root, "patching", &m) <= 0)
        return;
    static const char *const keys[] = { "gap", "skip_if_unhealthy", "verify_after_reboot",
                                        NULL };
    ld_check_keys(c, &m, keys);
    qr_given *g = c->t->setting_given;
    ld_opt_bool_given(c, &m, "verify_after_reboot",
                      &c->t->latent_practice.verify_after_reboot, QR_FROM_DESIGN,
                      &g[QR_SET_VERIFY_AFTER_REBOOT]);                /* M7.5 */
    ld_opt_duration_given(c, &m, "gap", &c->t->params.patch_gap,
                          QR_FROM_DESIGN, &g[QR_SET_PATCH_GAP]);      /* M7.1 */
    ld_opt_bool_given(c, &m, "skip_if_unhealthy",
                      &c->t->params.patch_skip_if_unhealthy, QR_FROM_DESIGN,
                      &g[QR_SET_PATCH_SKIP]);                         /* M7.2 */
}

static void read_costs(ld_ctx *c, const ld_map *root)
{
    ld_map m;
    if (ld_sub_map(c, root, "costs", &m) <= 0)
        return;
    static const char *const keys[] = { "witness", NULL };
    ld_check_keys(c, &m, keys);
    yaml_node_t *v = ld_get(c, &m, "witness", NULL);
    if (v)
        ld_cost(c, v, "witness", &c->t->params.witness_cost);
}

void ld_extras(ld_ctx *c, const ld_map *root)
{
    read_features(c, root);
    read_fabric(c, root);
    read_operations(c, root);
    read_patching(c, root);
    read_costs(c, root);
    ld_latent_faults(c, root, QR_FROM_DESIGN, &c->t->latent, &c->t->n_latent); /* M7.3 */
}
