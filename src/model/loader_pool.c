/*
 * loader_pool.c: `pool:`, the Front End pool: version, the ordered front
 * ends (their order decides the seed nodes, M1.1), routing groups (M2.1),
 * the Back End in exactly one of its forms (standalone, mirroring M3,
 * AlwaysOn M4.6, FCI M4.7, an external SQL HA service M3.6) and the file
 * store in exactly one of its forms (share, DFS, file-share cluster, M5).
 * Structural impossibilities are errors here (a principal that is also the
 * mirror, a replica that is not a node of its cluster); design smells are
 * left to rules.c.
 */
#include "model/loader_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const version_names[] = {
    "lync2013", "sfb2015", "sfb2019", NULL,
};

/* The form key of a backend or file store mapping: exactly one of `forms`
 * must be present. Returns its index and sets *v and *loc, or -1. */
static int one_form(ld_ctx *c, const ld_map *m, const char *const *forms,
                    const char *list, yaml_node_t **v, qr_loc *loc)
{
    int found = -1;
    for (int i = 0; forms[i]; i++) {
        qr_loc kloc;
        yaml_node_t *fv = ld_get(c, m, forms[i], &kloc);
        if (!fv)
            continue;
        if (found >= 0) {
            ld_error(c, kloc, QR_RULE_P004, "%s takes exactly one of %s, got both "
                     "'%s' and '%s'", m->what, list, forms[found], forms[i]);
            continue;
        }
        found = i;
        *v = fv;
        *loc = kloc;
    }
    if (found < 0)
        ld_error(c, m->loc, QR_RULE_P005, "%s needs one of %s", m->what, list);
    return found;
}

/* P009 when one server holds two roles that exclude each other. */
static void distinct(ld_ctx *c, int a, const char *role_a, int b,
                     const char *role_b, qr_loc where)
{
    if (a >= 0 && a == b)
        ld_error(c, where, QR_RULE_P009, "'%s' cannot be both %s and %s",
                 c->t->comps[a].name, role_a, role_b);
}

static void read_mirroring(ld_ctx *c, qr_backend *b, yaml_node_t *v,
                           qr_loc loc)
{
    if (ld_expect(c, v, YAML_MAPPING_NODE, "'mirroring'") != 0)
        return;
    static const char *const keys[] = { "principal", "mirror", "witness",
                                        "synchronous", NULL };
    ld_map m = { .map = v, .what = "'mirroring'", .loc = loc };
    ld_check_keys(c, &m, keys);
    yaml_node_t *n;
    if ((n = ld_require(c, &m, "principal", NULL)))
        b->principal = ld_ref(c, n, QR_COMP_SERVER, &b->principal_loc);
    if ((n = ld_require(c, &m, "mirror", NULL)))
        b->mirror = ld_ref(c, n, QR_COMP_SERVER, &b->mirror_loc);
    if ((n = ld_get(c, &m, "witness", NULL)))
        b->witness = ld_ref(c, n, QR_COMP_SERVER, &b->witness_loc);
    if ((n = ld_get(c, &m, "synchronous", NULL)) &&
        ld_bool(c, n, "synchronous", &b->synchronous) == 0 && !b->synchronous)
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004, "asynchronous mirroring is not "
                 "supported for a Lync/SfB Back End: 'synchronous' must be "
                 "true");
    distinct(c, b->principal, "principal", b->mirror, "mirror", b->mirror_loc);
    distinct(c, b->principal, "principal", b->witness, "witness",
             b->witness_loc);
    distinct(c, b->mirror, "mirror", b->witness, "witness", b->witness_loc);
}

static void read_alwayson(ld_ctx *c, qr_backend *b, yaml_node_t *v,
                          qr_loc loc)
{
    if (ld_expect(c, v, YAML_MAPPING_NODE, "'alwayson'") != 0)
        return;
    static const char *const keys[] = { "cluster", "replicas", NULL };
    ld_map m = { .map = v, .what = "'alwayson'", .loc = loc };
    ld_check_keys(c, &m, keys);
    yaml_node_t *n;
    if ((n = ld_require(c, &m, "cluster", NULL)))
        b->cluster = ld_ref_cluster(c, n);
    if (!(n = ld_require(c, &m, "replicas", NULL)))
        return;
    int count = ld_server_list(c, n, "replicas", &b->replicas,
                               &b->replica_locs);
    if (count == 0)
        ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                 "'replicas' must list at least one server");
    b->n_replicas = count > 0 ? count : 0;
    if (b->cluster < 0)
        return;
    const qr_cluster *cl = &c->t->clusters[b->cluster];
    char *is_node = ld_alloc(c, (size_t)c->t->n_comps, 1);
    if (!is_node)
        return;
    for (int k = 0; k < cl->n_nodes; k++)
        is_node[cl->nodes[k]] = 1;
    for (int i = 0; i < b->n_replicas; i++)
        if (!is_node[b->replicas[i]])
            ld_error(c, b->replica_locs[i], QR_RULE_P008, "'%s' is not a node of "
                     "cluster '%s'", c->t->comps[b->replicas[i]].name,
                     cl->name);
    free(is_node);
}

/* `{ cluster: C, storage: D }` of fci and of a file-share cluster. */
static void read_cluster_disk(ld_ctx *c, yaml_node_t *v, qr_loc loc,
                              const char *what, int *cluster, int *storage)
{
    if (ld_expect(c, v, YAML_MAPPING_NODE, what) != 0)
        return;
    static const char *const keys[] = { "cluster", "storage", NULL };
    ld_map m = { .map = v, .what = what, .loc = loc };
    ld_check_keys(c, &m, keys);
    yaml_node_t *n;
    if ((n = ld_require(c, &m, "cluster", NULL)))
        *cluster = ld_ref_cluster(c, n);
    if ((n = ld_require(c, &m, "storage", NULL)))
        *storage = ld_ref(c, n, QR_COMP_STORAGE, NULL);
}

/* M3.6: an existing SQL HA service, one component of its own whose MTBF is
 * given, or derived from the availability A and the MTTR:
 * A = MTBF / (MTBF + MTTR)  =>  MTBF = MTTR * A / (1 - A). */
static void read_external(ld_ctx *c, qr_backend *b, yaml_node_t *v,
                          qr_loc loc)
{
    if (ld_expect(c, v, YAML_MAPPING_NODE, "'external'") != 0)
        return;
    static const char *const keys[] = { "name", "availability", "mtbf",
                                        "mttr", "cost", NULL };
    ld_map m = { .map = v, .what = "'external'", .loc = loc };
    ld_check_keys(c, &m, keys);
    const char *name = "external-sql";
    qr_loc name_loc = loc;
    yaml_node_t *n;
    if ((n = ld_get(c, &m, "name", NULL))) {
        if (ld_name_value(c, n, "name", &name) != 0)
            return;
        name_loc = qr_yaml_loc(n);
    }
    qr_loc avail_loc, mtbf_loc;
    yaml_node_t *avail = ld_get(c, &m, "availability", &avail_loc);
    yaml_node_t *mtbf = ld_get(c, &m, "mtbf", &mtbf_loc);
    if (avail && mtbf) {
        ld_error(c, mtbf_loc, QR_RULE_P004, "'external' takes 'availability' or "
                 "'mtbf', not both");
        return;
    }
    if (!avail && !mtbf && !c->defaults[QR_COMP_EXTERNAL_SQL].has_mtbf) {
        ld_error(c, loc, QR_RULE_P005, "missing required key 'availability' (or "
                 "'mtbf') in 'external'");
        return;
    }
    int i = ld_add_comp(c, name, QR_COMP_EXTERNAL_SQL, name_loc);
    qr_component scratch = { .kind = QR_COMP_EXTERNAL_SQL };
    qr_component *comp = i >= 0 ? &c->t->comps[i] : &scratch;
    ld_failure_keys(c, &m, comp);
    b->external = i;
    double a;
    double mean;
    if (avail && ld_percent(c, avail, "availability", &a) == 0) {
        if (ld_external_mtbf(c, avail, a, comp->repair.mean, &mean) == 0)
            comp->failure.mean = mean;
        comp->own |= QR_PART_BIT(QR_PART_FAILURE_MEAN); /* the service's own */
    }
}

static void read_backend(ld_ctx *c, qr_pool *p, const ld_map *pool)
{
    qr_backend *b = &p->backend;
    yaml_node_t *v = ld_require(c, pool, "backend", &b->loc);
    if (!v || ld_expect(c, v, YAML_MAPPING_NODE, "'backend'") != 0)
        return;
    static const char *const forms[] = {
        "standalone", "mirroring", "alwayson", "fci", "external", NULL,
    };
    static const char *const keys[] = {
        "standalone", "mirroring", "alwayson", "fci", "external",
        "failover_time", "resync_time", "resiliency_grace", NULL,
    };
    ld_map m = { .map = v, .what = "'backend'", .loc = b->loc };
    ld_check_keys(c, &m, keys);
    yaml_node_t *form = NULL;
    qr_loc form_loc = b->loc;
    int k = one_form(c, &m, forms, "'standalone', 'mirroring', 'alwayson', "
                     "'fci' or 'external'", &form, &form_loc);
    if (k >= 0)
        b->kind = (qr_backend_kind)k; /* forms[] is in enum order */
    switch (k) {
    case 0:
        b->server = ld_ref(c, form, QR_COMP_SERVER, &b->principal_loc);
        break;
    case 1:
        read_mirroring(c, b, form, form_loc);
        break;
    case 2:
        read_alwayson(c, b, form, form_loc);
        break;
    case 3:
        read_cluster_disk(c, form, form_loc, "'fci'", &b->cluster,
                          &b->storage);
        break;
    case 4:
        read_external(c, b, form, form_loc);
        break;
    default:
        break;
    }
    qr_given *g = c->t->setting_given;
    ld_opt_duration_given(c, &m, "failover_time", &b->failover_time,
                          QR_FROM_DESIGN, &g[QR_SET_BACKEND_FAILOVER]);
    ld_opt_duration_given(c, &m, "resync_time", &b->resync_time,
                          QR_FROM_DESIGN, &g[QR_SET_BACKEND_RESYNC]);
    ld_opt_duration_given(c, &m, "resiliency_grace", &b->resiliency_grace,
                          QR_FROM_DESIGN, &g[QR_SET_RESILIENCY_GRACE]);
}

static void read_file_store(ld_ctx *c, qr_pool *p, const ld_map *pool)
{
    qr_file_store *f = &p->file_store;
    yaml_node_t *v = ld_require(c, pool, "file_store", &f->loc);
    if (!v || ld_expect(c, v, YAML_MAPPING_NODE, "'file_store'") != 0)
        return;
    static const char *const forms[] = { "share", "dfs", "cluster", NULL };
    static const char *const keys[] = { "share", "dfs", "cluster",
                                        "failover_time", NULL };
    ld_map m = { .map = v, .what = "'file_store'", .loc = f->loc };
    ld_check_keys(c, &m, keys);
    yaml_node_t *form = NULL;
    qr_loc form_loc = f->loc;
    int k = one_form(c, &m, forms, "'share', 'dfs' or 'cluster'", &form,
                     &form_loc);
    if (k >= 0)
        f->kind = (qr_file_store_kind)k; /* forms[] is in enum order */
    if (k == 0) {
        f->server = ld_ref(c, form, QR_COMP_SERVER, NULL);
    } else if (k == 1) {
        int n = ld_server_list(c, form, "dfs", &f->replicas, &f->replica_locs);
        if (n == 0)
            ld_error(c, qr_yaml_loc(form), QR_RULE_P004,
                     "'dfs' must list at least one server");
        f->n_replicas = n > 0 ? n : 0;
    } else if (k == 2) {
        read_cluster_disk(c, form, form_loc, "'cluster'", &f->cluster,
                          &f->storage);
    }
    ld_opt_duration_given(c, &m, "failover_time", &f->failover_time,
                          QR_FROM_DESIGN,
                          &c->t->setting_given[QR_SET_FILE_STORE_FAILOVER]);
}

const char *const ld_pool_keys[] = { "version", "frontends", "backend", "file_store",
                                     "routing_groups", "users", NULL };

void ld_pool_body(ld_ctx *c, qr_pool *p, const ld_map *m)
{
    yaml_node_t *n;
    if ((n = ld_require(c, m, "version", &p->version_loc))) {
        int k = ld_enum(c, n, "version", version_names);
        if (k >= 0)
            p->version = (qr_version)k;
    }
    if ((n = ld_require(c, m, "frontends", NULL))) {
        int count = ld_server_list(c, n, "frontends", &p->frontends,
                                   &p->frontend_locs);
        if (count == 0)
            ld_error(c, qr_yaml_loc(n), QR_RULE_P004,
                     "'frontends' must list at least one server");
        p->n_frontends = count > 0 ? count : 0;
    }
    long long value;
    if ((n = ld_get(c, m, "routing_groups", NULL)) &&
        ld_integer(c, n, "routing_groups", 1, 10000, &value) == 0)
        p->routing_groups = (int)value; /* M2.1 */
    if ((n = ld_get(c, m, "users", NULL)) &&
        ld_integer(c, n, "users", 0, 10000000, &value) == 0)
        p->users = (long)value;
    read_backend(c, p, m);
    read_file_store(c, p, m);
}

void ld_pool(ld_ctx *c, const ld_map *root)
{
    qr_pool *p = &c->t->pool;
    qr_loc pools_loc;
    if (ld_get(c, root, "pools", &pools_loc)) {
        qr_loc pool_loc;
        if (ld_get(c, root, "pool", &pool_loc))
            ld_error(c, pool_loc, QR_RULE_P004, "the topology takes 'pool' (one pool) or "
                     "'pools' (several, M10), not both");
        ld_pools(c, root);
        return;
    }
    yaml_node_t *v = ld_require(c, root, "pool", &p->loc);
    if (!v || ld_expect(c, v, YAML_MAPPING_NODE, "'pool'") != 0)
        return;
    ld_map m = { .map = v, .what = "'pool'", .loc = p->loc };
    ld_check_keys(c, &m, ld_pool_keys);
    ld_pool_body(c, p, &m);
}
