/*
 * rules_pool.c: the FE rules, about the Front End pool itself: its size
 * against the product's limits and the users it homes (SFB-CAP, SFB-FEHA), the
 * two-front-end caveats (M1.8) and the Back End as the tie-breaking vote of
 * an even seed count (M1.1, M1.2).
 */
#include "check/rules_impl.h"

static void check_size(const qr_topology *t, qr_diags *d)
{
    const qr_pool *p = &t->pool;
    int max = qr_pool_max_frontends(p->version);
    if (p->n_frontends > max)
        rules_emit(d, QR_RULE_FE001, p->frontend_locs[max],
                   "pool has %d front ends, more than the %d that %s allows",
                   p->n_frontends, max, qr_version_name(p->version));
    if (p->version == QR_VERSION_SFB2019 && p->n_frontends == 2)
        rules_emit(d, QR_RULE_FE002, p->version_loc,
                   "sfb2019 does not allow a pool of two front ends "
                   "(Topology Builder refuses to publish it)");
    if (p->n_frontends == 1)
        rules_emit(d, QR_RULE_FE006, p->frontend_locs[0],
                   "a pool of one front end stops whenever '%s' is down",
                   t->comps[p->frontends[0]].name);
}

static void check_users(const qr_topology *t, qr_diags *d)
{
    const qr_pool *p = &t->pool;
    if (p->users <= 0)
        return;
    if (p->users > QR_USERS_PER_POOL)
        rules_emit(d, QR_RULE_FE003, p->loc,
                   "pool homes %ld users, more than the 80,000 one pool supports",
                   p->users);
    /* N-1 headroom: the pool must carry its users with one front end down. */
    int need = qr_pool_frontends_for_users(p->users); /* SFB-CAP */
    if (p->n_frontends < need) {
        rules_emit(d, QR_RULE_FE004, p->loc,
                   "%ld users need %d front ends to keep one in reserve "
                   "(6,660 users each); the pool has %d",
                   p->users, need, p->n_frontends);
    }
}

static const char *no_failover_reason(const qr_topology *t)
{
    switch (t->pool.backend.kind) {
    case QR_BACKEND_STANDALONE:
        return "standalone SQL cannot fail over";
    case QR_BACKEND_MIRRORING:
        return "SQL mirroring without a witness cannot fail over automatically";
    case QR_BACKEND_ALWAYSON:
        return "an availability group with one replica cannot fail over";
    case QR_BACKEND_FCI:
        return "a failover cluster instance on one node cannot fail over";
    case QR_BACKEND_EXTERNAL:
        break;
    }
    return "the Back End cannot fail over automatically";
}

static void check_tiebreaker(const qr_topology *t, qr_diags *d)
{
    const qr_pool *p = &t->pool;
    int seeds = qr_pool_seed_count(p->version, p->n_frontends);
    int primary = rules_backend_primary(t);
    if (p->n_frontends == 2 && p->version != QR_VERSION_SFB2019) {
        /* M1.8: the field write-up's case, worse when SQL shares a front end. */
        if (primary >= 0 && rules_is_frontend(t, primary))
            rules_emit(d, QR_RULE_FE005, p->frontend_locs[0],
                       "a pool of two front ends is not robust: a Back End outage "
                       "is likely to stop it, and an unexpected loss of '%s', which "
                       "also holds the primary database, stops it until a soft reset",
                       t->comps[primary].name);
        else
            rules_emit(d, QR_RULE_FE005, p->frontend_locs[0],
                       "a pool of two front ends is not robust: the Back End is its "
                       "tie-breaking vote, so a Back End outage is likely to stop it");
    }
    if (seeds <= 0 || seeds % 2 != 0)
        return;
    /* M1.2: an even seed count makes the primary database the extra vote. */
    if (!rules_backend_auto_failover(t))
        rules_emit(d, QR_RULE_FE007, p->backend.loc,
                   "the Back End is the tie-breaking vote of the %d seed front ends, "
                   "and %s", seeds, no_failover_reason(t));
    else if (p->n_frontends != 2) /* FE005 already says it for two */
        rules_emit(d, QR_RULE_FE008, p->frontend_locs[0],
                   "the %d seed front ends are an even count: the Back End's primary "
                   "database is the tie-breaking vote of pool quorum", seeds);
}

void rules_check_pool(const qr_topology *t, qr_diags *d)
{
    if (t->pool.n_frontends <= 0)
        return;
    check_size(t, d);
    check_users(t, d);
    check_tiebreaker(t, d);
}
