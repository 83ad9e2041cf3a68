/*
 * features.c: what each user feature needs (M6), evaluated on the
 * engine's current state. Routing-group needs are user-weighted (M2.5:
 * users are spread evenly over the groups): the value is the fraction of
 * groups that qualify. For `routing_group_limited` a group in quorum loss
 * (limited functionality, M2.4) counts as available, degraded; as in M9
 * (src/exact/structure.h) that holds even for a group with no replica up. Index
 * n_features is the pool itself (M1). A shown latent fault (M7.3) takes out
 * the share of users its front end serves (latent.c). sim_feature_inputs
 * packs everything the values read, and says when latent faults break
 * features (SIM_INPUTS_VOLATILE: then the values follow the replicas'
 * placement), so that the measures can tell when they cannot change.
 */
#include "sim/state.h"

double sim_feature_value(const sim_engine *e, int f)
{
    const qr_topology *t = e->t;
    if (e->cfg.static_mode) {
        if (f == t->n_features)
            return e->static_pool ? 1.0 : 0.0;
        return e->static_feature[f];
    }
    if (f == t->n_features)
        return e->pool == SIM_POOL_UP ? 1.0 : 0.0;
    unsigned needs = t->features[f].needs;
    /* Routing groups live in the pool's fabric: a group need implies the
     * pool, as in M9 (src/exact/structure.c). */
    if ((needs & (QR_NEED_POOL | QR_NEED_GROUP | QR_NEED_GROUP_LIMITED)) &&
        e->pool != SIM_POOL_UP)
        return 0.0;
    if ((needs & QR_NEED_BACKEND) && !e->be_seen)
        return 0.0;
    if ((needs & QR_NEED_BACKEND_GRACE) && !e->be_seen && e->be_grace_expired)
        return 0.0;
    if ((needs & QR_NEED_FILE_STORE) && !e->fs_up)
        return 0.0;
    double v = 1.0;
    if (e->groups > 0 && (needs & QR_NEED_GROUP))
        v = (double)e->groups_writable / e->groups;
    /* M7.3: features a shown latent fault breaks, for the users its front
     * end serves (latent.c; no state, no cost, without latent faults). */
    if (e->n_mods > SIM_MOD_LATENT && sim_module_state(e, SIM_MOD_LATENT))
        v = sim_latent_feature_value(e, f, v);
    return v;
}

uint64_t sim_feature_inputs(const sim_engine *e)
{
    /* M7.3: a shown fault breaking features makes the values follow the
     * replicas' placement and the front ends, which the key leaves out. */
    uint64_t latent = e->n_mods > SIM_MOD_LATENT && sim_module_state(e, SIM_MOD_LATENT) &&
                              sim_latent_breaking(e)
                          ? SIM_INPUTS_VOLATILE
                          : 0;
    return latent | (uint64_t)(uint32_t)e->groups_writable << 32 | (uint64_t)e->pool << 4 |
           (uint64_t)e->be_seen << 3 | (uint64_t)e->be_serving << 2 |
           (uint64_t)e->be_grace_expired << 1 | (uint64_t)e->fs_up;
}
