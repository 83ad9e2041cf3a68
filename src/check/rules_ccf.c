/*
 * rules_ccf.c: the CC rules, about `common_cause:` groups (docs/rules.md,
 * docs/topology-format.md): groups that define no common cause (too few
 * members, factors above the member count, no effect), a component in two
 * groups, members whose figures differ from the first member's (whose Q the
 * group uses), a factor far above published generic values, and a common
 * cause that takes enough seed front ends down at once to stop the pool
 * (M1.2, M1.5): the design's redundancy does not cover it.
 */
#include "check/rules_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/ccf.h"

/* Published generic beta factors stop at about 10% (IEC 61508-6 Annex
 * D); above this a warning (CC006). */
#define CC_BETA_HIGH 0.3

/* Where a diagnostic about group grp points: loc in the topology, or the
 * pool for a group an assumptions file gave (by role; its own place is in
 * another file, and the report's assumptions list names it). */
static qr_loc at(const qr_topology *t, const qr_ccf_group *grp, qr_loc loc)
{
    return grp->from == QR_FROM_ASSUMPTIONS ? t->pool.loc : loc;
}

static void check_levels(const qr_topology *t, int g, qr_diags *d)
{
    const qr_ccf_group *grp = &t->ccf[g];
    int m = grp->n_members;
    if (grp->model == QR_CCF_MGL && grp->n_factors + 1 > m)
        rules_emit(d, QR_RULE_CC002, at(t, grp, grp->factor_loc),
                   "MGL group '%s' gives factors up to level %d for %d members", grp->name,
                   grp->n_factors + 1, m);
    if (grp->model == QR_CCF_ALPHA) {
        double sum = 0;
        for (int k = 0; k < grp->n_factors; k++)
            sum += grp->factor[k];
        if (grp->n_factors > m)
            rules_emit(d, QR_RULE_CC002, at(t, grp, grp->factor_loc),
                       "alpha-factor group '%s' gives %d factors for %d members", grp->name,
                       grp->n_factors, m);
        else if (!(sum > 0))
            rules_emit(d, QR_RULE_CC002, at(t, grp, grp->factor_loc),
                       "the alpha factors of group '%s' are all 0", grp->name);
    }
}

/* The share of a member's failures that are common (CC006). */
static double common_share(const qr_ccf_group *g)
{
    if (g->model != QR_CCF_ALPHA)
        return g->n_factors > 0 ? g->factor[0] : 0.0;
    double at = 0;
    for (int k = 1; k <= g->n_factors; k++)
        at += k * g->factor[k - 1];
    return at > 0 ? 1.0 - g->factor[0] / at : 0.0;
}

static double comp_q(const qr_component *c)
{
    if (!qr_component_fails(c) || !(c->repair.mean > 0))
        return 0.0;
    return isinf(c->repair.mean) ? 1.0 : c->repair.mean / (c->failure.mean + c->repair.mean);
}

/* CC005: the largest common event of group g takes down so many seeds (and
 * maybe the server of the primary database, M1.8) that the votes left are
 * not a majority (M1.2, M1.4: they stay counted). */
static void check_pool(const qr_topology *t, int g, qr_diags *d)
{
    const qr_ccf_group *grp = &t->ccf[g];
    const qr_pool *p = &t->pool;
    int seeds = qr_pool_seed_count(p->version, p->n_frontends);
    if (seeds > p->n_frontends)
        seeds = p->n_frontends;
    if (seeds < 2)
        return; /* one front end: FE006 says it */
    int in = 0;
    for (int i = 0; i < seeds; i++)
        for (int j = 0; j < grp->n_members; j++)
            in += grp->members[j] == p->frontends[i];
    int level = qr_ccf_max_level(grp);
    int lost = in < level ? in : level;
    int primary = rules_backend_primary(t);
    bool be_lost = false;
    for (int j = 0; j < grp->n_members && level > lost; j++)
        be_lost |= grp->members[j] == primary;
    bool even = seeds % 2 == 0;
    int counted = seeds + (even ? 1 : 0);
    int present = seeds - lost + ((even && !be_lost) ? 1 : 0);
    if (lost == 0 || 2 * present > counted)
        return;
    rules_emit(d, QR_RULE_CC005, at(t, grp, grp->loc),
               "one failure of common-cause group '%s' takes %d of the %d seed front ends "
               "down at once and stops the pool: its redundancy does not cover this cause",
               grp->name, lost, seeds);
}

void rules_check_ccf(const qr_topology *t, qr_diags *d)
{
    for (int g = 0; g < t->n_ccf; g++) {
        const qr_ccf_group *grp = &t->ccf[g];
        if (grp->n_members < 2) {
            rules_emit(d, QR_RULE_CC001, at(t, grp, grp->loc),
                       "common-cause group '%s' has %d member%s: a common cause needs two "
                       "or more", grp->name, grp->n_members, grp->n_members == 1 ? "" : "s");
            continue;
        }
        check_levels(t, g, d);
        for (int j = 0; j < grp->n_members; j++)
            for (int h = 0; h < g; h++)
                for (int k = 0; k < t->ccf[h].n_members; k++)
                    if (t->ccf[h].members[k] == grp->members[j])
                        rules_emit(d, QR_RULE_CC003, at(t, grp, grp->member_locs[j]),
                                   "'%s' is a member of common-cause groups '%s' and '%s': a "
                                   "component belongs to one group",
                                   qr_topology_comp_name(t, grp->members[j]), t->ccf[h].name,
                                   grp->name);
        const qr_component *first = &t->comps[grp->members[0]];
        double q0 = comp_q(first);
        for (int j = 1; j < grp->n_members; j++) {
            double q = comp_q(&t->comps[grp->members[j]]);
            if (fabs(q - q0) > 1e-9 * fmax(q, q0))
                rules_emit(d, QR_RULE_CC004, at(t, grp, grp->member_locs[j]),
                           "member '%s' of common-cause group '%s' is down %.3g of the time, "
                           "its first member '%s' %.3g: the group uses the first member's "
                           "figure for every member",
                           t->comps[grp->members[j]].name, grp->name, q, first->name, q0);
        }
        qr_ccf_event *ev = NULL;
        int n_ev = 0;
        bool any = false;
        if (qr_ccf_events(t, &ev, &n_ev) == 0)
            for (int k = 0; k < n_ev; k++)
                any |= ev[k].group == g;
        free(ev);
        if (!(q0 > 0))
            rules_emit(d, QR_RULE_CC007, at(t, grp, grp->loc),
                       "common-cause group '%s' has no effect: its first member '%s' never "
                       "fails", grp->name, first->name);
        else if (!any)
            rules_emit(d, QR_RULE_CC007, at(t, grp, grp->factor_loc),
                       "common-cause group '%s' has no effect: its factors give no common "
                       "failure", grp->name);
        double share = common_share(grp);
        if (share > CC_BETA_HIGH)
            rules_emit(d, QR_RULE_CC006, at(t, grp, grp->factor_loc),
                       "%.0f%% of the failures of group '%s' are common: published generic "
                       "beta factors are 0.5%% to 10%%", 100 * share, grp->name);
        check_pool(t, g, d);
    }
}
