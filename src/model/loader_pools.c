/*
 * loader_pools.c: `pools:`, several Front End pools in one design, each
 * with the keys of `pool:` plus its name, site, partner (`paired_with`),
 * the Central Management store flag, edition and operating system; and
 * `pairing:`, the timings of pool pairing (M10); then each pool's copy of
 * the features ("pool1.signin_im", topology.h). References between pools
 * (`paired_with`) are resolved once every pool is read. Structural
 * impossibilities (an unknown partner, a pool paired with itself) are
 * errors here; the pairing rules (PP001...) are check/rules_pairing.c's.
 */
#include "model/loader_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const edition_names[] = { "enterprise", "standard", NULL };
static const char *const os_names[] = {
    "2008r2", "2012", "2012r2", "2016", "2019", "2022", NULL,
};
static const qr_windows os_values[] = {
    QR_WINDOWS_2008R2, QR_WINDOWS_2012, QR_WINDOWS_2012R2, QR_WINDOWS_2016,
    QR_WINDOWS_2019, QR_WINDOWS_2022,
};

/* Most entries of `pools:` (Microsoft pairs pools two by two; a design
 * with more than a few dozen is not one quorate can show). */
#define LD_MAX_POOLS 32

/* One entry; partner names are kept in partner[i] (a pointer into the
 * document) until every pool is known. */
static void read_entry(ld_ctx *c, yaml_node_t *v, int i, yaml_node_t **partner)
{
    qr_pool_def *d = &c->t->pools[i];
    d->loc = qr_yaml_loc(v);
    if (ld_expect(c, v, YAML_MAPPING_NODE, "an entry of 'pools'") != 0)
        return;
    static const char *const extra[] = { "name", "site", "paired_with", "cms", "edition", "os" };
    const char *keys[16];
    int k = 0;
    for (; ld_pool_keys[k]; k++)
        keys[k] = ld_pool_keys[k];
    for (size_t e = 0; e < sizeof(extra) / sizeof(extra[0]); e++)
        keys[k++] = extra[e];
    keys[k] = NULL;
    ld_map m = { .map = v, .what = "an entry of 'pools'", .loc = d->loc };
    ld_check_keys(c, &m, keys);
    yaml_node_t *n;
    const char *s;
    qr_loc name_loc;
    if ((n = ld_require(c, &m, "name", &name_loc)) && ld_name_value(c, n, "name", &s) == 0) {
        qr_loc at = qr_yaml_loc(n);
        if (ld_lookup(c, s))
            ld_error(c, at, QR_RULE_P007, "the name '%s' is already taken by a component or "
                     "cluster: name the pool otherwise", s);
        else if (qr_topology_find_pool(c->t, s) >= 0)
            ld_error(c, at, QR_RULE_P007, "two pools are called '%s'", s);
        else if (!(d->name = strdup(s)))
            c->oom = 1;
        d->loc = at;
    }
    if ((n = ld_get(c, &m, "site", NULL)))
        d->site = ld_ref(c, n, QR_COMP_SITE, &d->site_loc);
    if ((n = ld_get(c, &m, "paired_with", &d->paired_loc)) &&
        ld_name_value(c, n, "paired_with", &s) == 0) {
        partner[i] = n;
        d->paired_loc = qr_yaml_loc(n);
    }
    if ((n = ld_get(c, &m, "cms", &d->cms_loc)))
        ld_bool(c, n, "cms", &d->cms);
    if ((n = ld_get(c, &m, "edition", &d->edition_loc))) {
        int e = ld_enum(c, n, "edition", edition_names);
        if (e >= 0)
            d->edition = (qr_edition)e;
    }
    if ((n = ld_get(c, &m, "os", &d->os_loc))) {
        int e = ld_enum(c, n, "os", os_names);
        if (e >= 0)
            d->os = os_values[e];
    }
    ld_pool_body(c, &d->pool, &m);
    d->pool.loc = d->loc;
    /* A pool's site defaults to its first front end's (M10). */
    if (d->site < 0 && d->pool.n_frontends > 0) {
        const qr_component *fe = &c->t->comps[d->pool.frontends[0]];
        int site = fe->site;
        if (site < 0 && fe->host >= 0)
            site = c->t->comps[fe->host].site;
        d->site = site;
        d->site_loc = d->pool.frontend_locs[0];
    }
}

void ld_pools(ld_ctx *c, const ld_map *root)
{
    qr_topology *t = c->t;
    yaml_node_t *v = ld_get(c, root, "pools", &t->pools_loc);
    if (!v || ld_expect(c, v, YAML_SEQUENCE_NODE, "'pools'") != 0)
        return;
    int n = (int)(v->data.sequence.items.top - v->data.sequence.items.start);
    if (n < 1) {
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004, "'pools' must list at least one pool");
        return;
    }
    if (n > LD_MAX_POOLS) {
        ld_error(c, qr_yaml_loc(v), QR_RULE_P004, "'pools' lists %d pools, at most %d are "
                 "allowed", n, LD_MAX_POOLS);
        return;
    }
    t->pools = ld_alloc(c, (size_t)n, sizeof(*t->pools));
    yaml_node_t **partner = ld_alloc(c, (size_t)n, sizeof(*partner));
    if (!t->pools || !partner) {
        free(partner);
        return;
    }
    for (int i = 0; i < n; i++) {
        qr_pool_def *d = &t->pools[i];
        qr_pool_init(&d->pool);
        d->site = -1;
        d->paired_with = -1;
        d->edition = QR_EDITION_ENTERPRISE;
        d->os = QR_WINDOWS_2019;
        t->n_pools = i + 1;
        read_entry(c, ld_node(c, v->data.sequence.items.start[i]), i, partner);
    }
    for (int i = 0; i < n; i++) {
        if (!partner[i])
            continue;
        const char *s = (const char *)partner[i]->data.scalar.value;
        int j = qr_topology_find_pool(t, s);
        if (j < 0)
            ld_error(c, t->pools[i].paired_loc, QR_RULE_P008, "'paired_with' names no pool: "
                     "'%s'", s);
        else if (j == i)
            ld_error(c, t->pools[i].paired_loc, QR_RULE_P004, "pool '%s' cannot be paired "
                     "with itself", s);
        else
            t->pools[i].paired_with = j;
    }
    free(partner);
    /* The shared timings and the defaults that consumers of `pool` read
     * (version) follow the first pool: `pool` itself stays empty. */
    t->pool.version = t->pools[0].pool.version;
    t->pool.loc = t->pools_loc;
}

void ld_pairing(ld_ctx *c, const ld_map *root)
{
    ld_map m;
    if (ld_sub_map(c, root, "pairing", &m) <= 0)
        return;
    static const char *const keys[] = {
        "backup_lag", "registrar_failover", "failover_after", "failover_time",
        "cms_failover_time", "failback_after", "failback_time", "patch_offset", NULL,
    };
    ld_check_keys(c, &m, keys);
    qr_pairing *p = &c->t->pairing;
    qr_given *g = c->t->setting_given;
    p->loc = m.loc;
    /* Each is a statement about the world, like the `operations:` timings:
     * an assumptions file replaces it (QR_FROM_DESIGN). */
    ld_opt_duration_given(c, &m, "backup_lag", &p->backup_lag, QR_FROM_DESIGN,
                          &g[QR_SET_PAIR_BACKUP_LAG]);                 /* M10.1 */
    ld_opt_duration_given(c, &m, "registrar_failover", &p->registrar_failover, QR_FROM_DESIGN,
                          &g[QR_SET_PAIR_REGISTRAR_FAILOVER]);         /* M10.2 */
    ld_opt_duration_given(c, &m, "failover_after", &p->failover_after, QR_FROM_DESIGN,
                          &g[QR_SET_PAIR_FAILOVER_AFTER]);             /* M10.3 */
    ld_opt_duration_given(c, &m, "failover_time", &p->failover_time, QR_FROM_DESIGN,
                          &g[QR_SET_PAIR_FAILOVER_TIME]);              /* M10.3 */
    ld_opt_duration_given(c, &m, "cms_failover_time", &p->cms_failover_time, QR_FROM_DESIGN,
                          &g[QR_SET_PAIR_CMS_FAILOVER_TIME]);          /* M10.4 */
    ld_opt_duration_given(c, &m, "failback_after", &p->failback_after, QR_FROM_DESIGN,
                          &g[QR_SET_PAIR_FAILBACK_AFTER]);             /* M10.5 */
    ld_opt_duration_given(c, &m, "failback_time", &p->failback_time, QR_FROM_DESIGN,
                          &g[QR_SET_PAIR_FAILBACK_TIME]);              /* M10.5 */
    ld_opt_duration_or_none_given(c, &m, "patch_offset", &p->patch_offset, QR_FROM_DESIGN,
                                  &g[QR_SET_PAIR_PATCH_OFFSET]);       /* M7.1 */
    if (!c->t->n_pools)
        ld_error(c, m.loc, QR_RULE_P004, "'pairing' is for a design with 'pools' (several "
                 "pools, M10); this one has a single 'pool'");
}

void ld_pool_features(ld_ctx *c)
{
    qr_topology *t = c->t;
    if (t->n_pools < 1 || c->errors > 0)
        return;
    int nf = t->n_features;
    t->pairing.n_user_features = nf;
    qr_feature *f = realloc(t->features, (size_t)nf * (size_t)(t->n_pools + 1) * sizeof(*f));
    if (!f) {
        c->oom = 1;
        return;
    }
    t->features = f;
    for (int p = 0; p < t->n_pools; p++)
        for (int k = 0; k < nf; k++) {
            qr_feature *row = &t->features[t->n_features];
            *row = t->features[k];
            size_t len = strlen(t->pools[p].name) + strlen(t->features[k].name) + 2;
            if (!(row->name = malloc(len))) {
                c->oom = 1;
                return;
            }
            snprintf(row->name, len, "%s.%s", t->pools[p].name, t->features[k].name);
            t->n_features++;
        }
}
