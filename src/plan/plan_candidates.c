/*
 * plan_candidates.c: the candidate designs of `quorate plan`, built in
 * memory from the field templates (2.x to 5.x, the bundled topologies) and
 * their variants:
 *   - combined: every role on the front-end servers, 2 servers (2.x: the
 *     mirroring witness or the cluster's file share witness is one more
 *     part) or 3 (3.0: the third server is the witness), while the users
 *     fit on that many front ends;
 *   - dedicated: N and N+1 front ends (N from the users, SFB-CAP; 2
 *     and 3 by default: 4.x and 5.x) beside their own SQL servers;
 *   - back ends: standalone, mirroring with a witness (M3), AlwaysOn on a
 *     two-node cluster with a file share witness (M4.6), or only the
 *     existing SQL HA service (M3.6) when the requirements have one;
 *   - file stores: DFS on two servers, or one share (M5.1);
 *   - with two sites: the front ends in dc1 or split between dc1 and dc2,
 *     the SQL partners or replicas one in each, the witness in dc3, and
 *     links between the three sites.
 * Components and clusters come from the loader's constructors
 * (ld_add_comp, ld_add_cluster over the built-in templates of
 * loader_components.c), so a candidate is what the loader would make of
 * its topology file; the requirements' failure figures are the templates
 * (a design's `defaults:`), and the assumptions of `plan --assume` are
 * applied over them as to any design. Every candidate goes through `quorate check`'s rules and one
 * with an error is dropped with its reason.
 */
#include "model/loader_internal.h"
#include "plan/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/rules.h"

/* What one candidate is. */
typedef struct {
    qr_plan_family     family;
    qr_plan_placement  placement;
    int                n_fe;
    qr_backend_kind    backend;
    qr_file_store_kind fs;
} spec;

/* The builder: the loader's context over the topology being made. */
typedef struct {
    ld_ctx   c;
    qr_diags d;
    int      sites[3]; /* dc1, dc2, dc3 (-1 when absent) */
} builder;

static const char *backend_word(qr_backend_kind k)
{
    switch (k) {
    case QR_BACKEND_STANDALONE: return "standalone";
    case QR_BACKEND_MIRRORING: return "mirror";
    case QR_BACKEND_ALWAYSON: return "alwayson";
    case QR_BACKEND_FCI: return "fci";
    case QR_BACKEND_EXTERNAL: return "external";
    }
    return "?";
}

static const char *placement_word(qr_plan_placement p)
{
    switch (p) {
    case QR_PLAN_ONE_SITE: return "";
    case QR_PLAN_FE_DC1: return "-fe-dc1";
    case QR_PLAN_SPLIT: return "-split";
    case QR_PLAN_PAIRED: return "";
    }
    return "";
}

static int *ints(builder *b, int n)
{
    return ld_alloc(&b->c, (size_t)n, sizeof(int));
}

static qr_loc *locs(builder *b, int n)
{
    return ld_alloc(&b->c, (size_t)n, sizeof(qr_loc));
}

/* A server in site `site` (0-2 into b->sites, -1 for none). */
static int server(builder *b, const char *name, int site)
{
    static const qr_loc nowhere = { 0, 0 };
    int i = ld_add_comp(&b->c, name, QR_COMP_SERVER, nowhere);
    if (i >= 0)
        b->c.t->comps[i].site = site >= 0 ? b->sites[site] : -1;
    return i;
}

/* The figures of kind `kind` for the components made after this call,
 * given by the requirements (the design's layer, docs/assumptions.md). */
static void set_template(builder *b, qr_comp_kind kind, const qr_dist *failure,
                         const qr_dist *repair)
{
    static const qr_loc nowhere = { 0, 0 };
    ld_template *t = &b->c.defaults[kind];
    t->failure = *failure;
    t->repair = *repair;
    for (int p = QR_PART_FAILURE_MEAN; p <= QR_PART_REPAIR_SHAPE; p++)
        t->given[p] = (qr_given){ QR_FROM_DESIGN, nowhere };
}

static void add_sites(builder *b, const qr_requirements *r, bool three)
{
    static const qr_loc nowhere = { 0, 0 };
    static const char *const names[3] = { "dc1", "dc2", "dc3" };
    b->sites[0] = b->sites[1] = b->sites[2] = -1;
    /* The requirements' site and link figures are the templates of the
     * sites and links of a two-site candidate (a one-site candidate keeps
     * the built-in site), as `defaults:` would be in a topology file. */
    if (three) {
        set_template(b, QR_COMP_SITE, &r->site_failure, &r->site_repair);
        set_template(b, QR_COMP_LINK, &r->link_failure, &r->link_repair);
    }
    for (int s = 0; s < (three ? 3 : 1); s++)
        b->sites[s] = ld_add_comp(&b->c, names[s], QR_COMP_SITE, nowhere);
    if (!three)
        return;
    static const int ends[3][2] = { { 0, 1 }, { 0, 2 }, { 1, 2 } };
    for (int k = 0; k < 3; k++) {
        char name[16];
        snprintf(name, sizeof(name), "%s-%s", names[ends[k][0]], names[ends[k][1]]);
        int i = ld_add_comp(&b->c, name, QR_COMP_LINK, nowhere);
        if (i < 0)
            continue;
        qr_component *l = &b->c.t->comps[i];
        l->link_a = b->sites[ends[k][0]];
        l->link_b = b->sites[ends[k][1]];
    }
}

/* Site (0-2) of front end i of n under placement p. */
static int fe_site(qr_plan_placement p, int i, int n)
{
    if (p == QR_PLAN_ONE_SITE || p == QR_PLAN_FE_DC1)
        return 0;
    return i < (n + 1) / 2 ? 0 : 1; /* dc1 holds the majority */
}

/* The two-node cluster `name` of AlwaysOn with a file share witness (M4.6)
 * as the back end be. */
static int alwayson_on(builder *b, qr_backend *be, const char *name, int n1, int n2,
                       int witness)
{
    static const qr_loc nowhere = { 0, 0 };
    int ci = ld_add_cluster(&b->c, name, nowhere);
    if (ci < 0)
        return -1;
    qr_cluster *cl = &b->c.t->clusters[ci];
    if (!(cl->nodes = ints(b, 2)) || !(cl->node_locs = locs(b, 2)) || !(cl->weight = ints(b, 2)))
        return -1;
    cl->nodes[0] = n1;
    cl->nodes[1] = n2;
    cl->weight[0] = cl->weight[1] = 1;
    cl->n_nodes = 2;
    cl->lowest_priority = 1; /* the loader's default: the last node */
    cl->witness_kind = QR_WITNESS_FILE_SHARE;
    cl->witness = witness;
    be->kind = QR_BACKEND_ALWAYSON;
    be->cluster = ci;
    if (!(be->replicas = ints(b, 2)) || !(be->replica_locs = locs(b, 2)))
        return -1;
    be->replicas[0] = n1;
    be->replicas[1] = n2;
    be->n_replicas = 2;
    return 0;
}

static int alwayson(builder *b, int n1, int n2, int witness)
{
    return alwayson_on(b, &b->c.t->pool.backend, "wsfc1", n1, n2, witness);
}

/* M3.6: the existing SQL HA service, MTBF from its availability as the
 * loader derives it (loader_pool.c). */
static int external_on(builder *b, qr_backend *be, const char *name, double availability)
{
    static const qr_loc nowhere = { 0, 0 };
    int i = ld_add_comp(&b->c, name, QR_COMP_EXTERNAL_SQL, nowhere);
    if (i < 0)
        return -1;
    qr_component *e = &b->c.t->comps[i];
    /* Whole seconds, so that the written design says "1999h" rather than
     * 17 digits of rounding noise (a relative change below 1e-12). */
    e->failure.mean = round(e->repair.mean * availability / (1.0 - availability));
    e->own |= QR_PART_BIT(QR_PART_FAILURE_MEAN); /* the service's own figure */
    be->kind = QR_BACKEND_EXTERNAL;
    be->external = i;
    return 0;
}

static int external(builder *b, double availability)
{
    return external_on(b, &b->c.t->pool.backend, "external-sql", availability);
}

static int describe(builder *b, const spec *s, const qr_requirements *r, char *label,
                    size_t size)
{
    qr_topology *t = b->c.t;
    const char *fs = s->fs == QR_FILE_STORE_DFS ? "dfs" : "share";
    if (s->family == QR_PLAN_COMBINED)
        snprintf(label, size, "combined%d-%s-%s%s", s->n_fe, backend_word(s->backend), fs,
                 placement_word(s->placement));
    else
        snprintf(label, size, "fe%d-%s-%s%s", s->n_fe, backend_word(s->backend), fs,
                 placement_word(s->placement));
    char name[256];
    static const char *const be_words[] = {
        [QR_BACKEND_STANDALONE] = "standalone SQL",
        [QR_BACKEND_MIRRORING] = "SQL mirroring with a witness",
        [QR_BACKEND_ALWAYSON] = "AlwaysOn with a file share witness",
        [QR_BACKEND_FCI] = "SQL FCI",
        [QR_BACKEND_EXTERNAL] = "the existing SQL HA service",
    };
    /* Where things are, in the words of the placement. */
    const char *where = "one site";
    bool sql_servers = s->backend != QR_BACKEND_EXTERNAL && s->family == QR_PLAN_DEDICATED;
    bool pair = s->backend == QR_BACKEND_MIRRORING || s->backend == QR_BACKEND_ALWAYSON;
    if (s->placement == QR_PLAN_FE_DC1)
        where = !sql_servers ? "front ends in dc1, sites dc2 and dc3 unused"
                : pair       ? "front ends in dc1, SQL in dc1 and dc2, witness in dc3"
                             : "front ends and SQL in dc1, sites dc2 and dc3 unused";
    else if (s->placement == QR_PLAN_SPLIT && s->family == QR_PLAN_COMBINED && s->n_fe == 3)
        where = "s1 in dc1, s2 in dc2, s3 in dc3";
    else if (s->placement == QR_PLAN_SPLIT)
        where = pair ? "split over dc1 and dc2, witness in dc3" : "split over dc1 and dc2";
    snprintf(name, sizeof(name), "%s%d %s, %s, %s file store, %s (quorate plan, %s)",
             s->family == QR_PLAN_COMBINED ? "all roles on " : "", s->n_fe,
             s->family == QR_PLAN_COMBINED ? "servers" : "front ends", be_words[s->backend],
             s->fs == QR_FILE_STORE_DFS ? "DFS" : "share", where,
             qr_version_name(r->version));
    free(t->name);
    free(t->file);
    t->name = strdup(name);
    t->file = strdup(label);
    if (!t->name || !t->file) {
        b->c.oom = 1;
        return -1;
    }
    return 0;
}

/* Build the candidate of spec s into *out (topology allocated here). */
/* Start a candidate of either kind: *b zeroed, a new empty topology in
 * b->c.t with the built-in defaults, the requirements' server figures as
 * the design's `defaults:` and their soft-reset delay. 0, or -1 out of
 * memory (then builder_end frees what there is). */
static int builder_begin(builder *b, const qr_requirements *r, qr_plan_candidate *out)
{
    memset(b, 0, sizeof(*b));
    memset(out, 0, sizeof(*out));
    qr_topology *t = calloc(1, sizeof(*t));
    b->c.t = t;
    if (!t || qr_topology_init(t) != 0 || qr_diags_init(&b->d, "plan") != 0)
        return -1;
    b->c.d = &b->d;
    ld_builtin_defaults(b->c.defaults);
    set_template(b, QR_COMP_SERVER, &r->server_failure, &r->server_repair);
    t->params.quorum_reset_after = r->quorum_reset_after;
    t->setting_given[QR_SET_QUORUM_RESET_AFTER].from = QR_FROM_DESIGN;
    return 0;
}

/* Finish a candidate built without error: the kinds' figures stored, the
 * requirements' assumptions applied as to a design (an assumptions file
 * replaces the `defaults:`), and the topology handed to *out with its
 * label and spec. 0, or -1 when out of memory. */
static int builder_finish(builder *b, const qr_requirements *r, const spec *s,
                          const char *label, qr_plan_candidate *out)
{
    if (b->c.oom || b->c.errors > 0)
        return -1;
    ld_store_kinds(&b->c);
    if (qr_assumptions_apply(b->c.t, r->assumptions) != 0) /* its latent faults (M7.3) */
        return -1;
    out->topo = b->c.t;
    b->c.t = NULL;
    snprintf(out->label, sizeof(out->label), "%s", label);
    out->family = s->family;
    out->placement = s->placement;
    out->n_frontends = s->n_fe;
    out->backend = s->backend;
    out->file_store = s->fs;
    return 0;
}

/* Free the builder and the topology it still holds (none once finished). */
static void builder_end(builder *b)
{
    free(b->c.names);
    qr_diags_release(&b->d);
    qr_topology_free(b->c.t);
    b->c.t = NULL;
}

static int build(const qr_requirements *r, const spec *s, qr_plan_candidate *out)
{
    builder b;
    int ret = -1;
    if (builder_begin(&b, r, out) != 0)
        goto cleanup;
    qr_topology *t = b.c.t;
    bool two = s->placement != QR_PLAN_ONE_SITE;
    add_sites(&b, r, two);

    qr_pool *p = &t->pool;
    p->version = r->version;
    p->users = r->users;
    int n = s->n_fe;
    if (!(p->frontends = ints(&b, n)) || !(p->frontend_locs = locs(&b, n)))
        goto cleanup;
    char name[16];
    for (int i = 0; i < n; i++) {
        if (s->family == QR_PLAN_COMBINED)
            snprintf(name, sizeof(name), "s%d", i + 1);
        else
            snprintf(name, sizeof(name), "fe%d", i + 1);
        /* Combined across sites: s1 dc1, s2 dc2, s3 (the witness) dc3. */
        int site = s->family == QR_PLAN_COMBINED && two ? (i < 3 ? i : 0)
                                                         : fe_site(s->placement, i, n);
        p->frontends[i] = server(&b, name, site);
    }
    p->n_frontends = n;

    /* The servers that hold data: SQL partners, or the first front ends. */
    int data[2] = { -1, -1 };
    if (s->family == QR_PLAN_COMBINED) {
        data[0] = p->frontends[0];
        data[1] = p->frontends[1];
        int witness = n >= 3 ? p->frontends[2] : -1;
        switch (s->backend) {
        case QR_BACKEND_STANDALONE:
            p->backend.kind = QR_BACKEND_STANDALONE;
            p->backend.server = data[0];
            break;
        case QR_BACKEND_MIRRORING:
            if (witness < 0)
                witness = server(&b, "sqlw", two ? 2 : 0);
            p->backend.kind = QR_BACKEND_MIRRORING;
            p->backend.principal = data[0];
            p->backend.mirror = data[1];
            p->backend.witness = witness;
            break;
        case QR_BACKEND_ALWAYSON:
            if (witness < 0)
                witness = server(&b, "fsw", two ? 2 : 0);
            if (alwayson(&b, data[0], data[1], witness) != 0)
                goto cleanup;
            break;
        default:
            if (external(&b, r->existing_sql_availability) != 0)
                goto cleanup;
            break;
        }
    } else {
        int sql1 = -1, sql2 = -1, w = -1;
        switch (s->backend) {
        case QR_BACKEND_STANDALONE:
            sql1 = server(&b, "sql1", 0);
            p->backend.kind = QR_BACKEND_STANDALONE;
            p->backend.server = sql1;
            break;
        case QR_BACKEND_MIRRORING:
            sql1 = server(&b, "sql1", 0);
            sql2 = server(&b, "sql2", two ? 1 : 0);
            w = server(&b, "sqlw", two ? 2 : 0);
            p->backend.kind = QR_BACKEND_MIRRORING;
            p->backend.principal = sql1;
            p->backend.mirror = sql2;
            p->backend.witness = w;
            break;
        case QR_BACKEND_ALWAYSON:
            sql1 = server(&b, "sql1", 0);
            sql2 = server(&b, "sql2", two ? 1 : 0);
            w = server(&b, "fsw", two ? 2 : 0);
            if (alwayson(&b, sql1, sql2, w) != 0)
                goto cleanup;
            break;
        default:
            if (external(&b, r->existing_sql_availability) != 0)
                goto cleanup;
            break;
        }
        /* Data on the SQL servers first, as the 4.x and 5.x templates do. */
        int pool[4] = { sql1, sql2, p->frontends[0], n > 1 ? p->frontends[1] : -1 };
        for (int k = 0, o = 0; k < 4 && o < 2; k++)
            if (pool[k] >= 0)
                data[o++] = pool[k];
    }
    if (s->fs == QR_FILE_STORE_SHARE) {
        p->file_store.kind = QR_FILE_STORE_SHARE;
        p->file_store.server = data[0];
    } else {
        p->file_store.kind = QR_FILE_STORE_DFS;
        if (!(p->file_store.replicas = ints(&b, 2)) || !(p->file_store.replica_locs = locs(&b, 2)))
            goto cleanup;
        p->file_store.replicas[0] = data[0];
        p->file_store.replicas[1] = data[1];
        p->file_store.n_replicas = 2;
    }
    char label[64];
    if (describe(&b, s, r, label, sizeof(label)) != 0)
        goto cleanup;
    /* The requirements' figures play the design's `defaults:`; an
     * assumptions file replaces them as it would a design's. */
    if (builder_finish(&b, r, s, label, out) != 0)
        goto cleanup;
    ret = 0;
cleanup:
    builder_end(&b);
    return ret;
}

/* ---- two paired pools (M10) ---- */

/* Pool i of a paired candidate: N front ends, its Back End (mirroring with
 * its witness, AlwaysOn with its file share witness, or the existing SQL
 * service) and a DFS file store on its two SQL servers (on its first two
 * front ends beside an external SQL service), all in its own site. */
static int paired_pool(builder *b, const qr_requirements *r, const spec *s, int i, long users)
{
    static const qr_loc nowhere = { 0, 0 };
    qr_topology *t = b->c.t;
    qr_pool_def *d = &t->pools[i];
    qr_pool *p = &d->pool;
    char name[32];
    snprintf(name, sizeof(name), "pool%d", i + 1);
    if (!(d->name = strdup(name))) {
        b->c.oom = 1;
        return -1;
    }
    d->loc = nowhere;
    d->site = b->sites[i];
    d->paired_with = 1 - i;
    d->cms = i == 0; /* the Central Management store's home (M10.4) */
    d->edition = QR_EDITION_ENTERPRISE;
    d->os = QR_WINDOWS_2019;
    p->version = r->version;
    p->users = users;
    int n = s->n_fe;
    if (!(p->frontends = ints(b, n)) || !(p->frontend_locs = locs(b, n)))
        return -1;
    for (int k = 0; k < n; k++) {
        snprintf(name, sizeof(name), "p%d-fe%d", i + 1, k + 1);
        p->frontends[k] = server(b, name, i);
    }
    p->n_frontends = n;
    int data[2] = { -1, -1 };
    char n1[32], n2[32], nw[32], nc[32];
    snprintf(n1, sizeof(n1), "p%d-sql1", i + 1);
    snprintf(n2, sizeof(n2), "p%d-sql2", i + 1);
    switch (s->backend) {
    case QR_BACKEND_MIRRORING:
        snprintf(nw, sizeof(nw), "p%d-sqlw", i + 1);
        p->backend.kind = QR_BACKEND_MIRRORING;
        p->backend.principal = data[0] = server(b, n1, i);
        p->backend.mirror = data[1] = server(b, n2, i);
        p->backend.witness = server(b, nw, i);
        break;
    case QR_BACKEND_ALWAYSON:
        snprintf(nw, sizeof(nw), "p%d-fsw", i + 1);
        snprintf(nc, sizeof(nc), "p%d-wsfc", i + 1);
        data[0] = server(b, n1, i);
        data[1] = server(b, n2, i);
        if (alwayson_on(b, &p->backend, nc, data[0], data[1], server(b, nw, i)) != 0)
            return -1;
        break;
    default:
        snprintf(nc, sizeof(nc), "p%d-external-sql", i + 1);
        if (external_on(b, &p->backend, nc, r->existing_sql_availability) != 0)
            return -1;
        data[0] = p->frontends[0];
        data[1] = n > 1 ? p->frontends[1] : p->frontends[0];
        break;
    }
    p->file_store.kind = QR_FILE_STORE_DFS;
    if (!(p->file_store.replicas = ints(b, 2)) || !(p->file_store.replica_locs = locs(b, 2)))
        return -1;
    p->file_store.replicas[0] = data[0];
    p->file_store.replicas[1] = data[1];
    p->file_store.n_replicas = 2;
    return 0;
}

/* Build the paired candidate of spec s into *out: two pools, pool1 in dc1
 * holding the CMS, pool2 in dc2, each sized for both pools' users. */
static int build_paired(const qr_requirements *r, const spec *s, qr_plan_candidate *out)
{
    static const qr_loc nowhere = { 0, 0 };
    builder b;
    int ret = -1;
    if (builder_begin(&b, r, out) != 0)
        goto cleanup;
    qr_topology *t = b.c.t;
    set_template(&b, QR_COMP_SITE, &r->site_failure, &r->site_repair);
    set_template(&b, QR_COMP_LINK, &r->link_failure, &r->link_repair);
    b.sites[0] = ld_add_comp(&b.c, "dc1", QR_COMP_SITE, nowhere);
    b.sites[1] = ld_add_comp(&b.c, "dc2", QR_COMP_SITE, nowhere);
    b.sites[2] = -1;
    int link = ld_add_comp(&b.c, "dc1-dc2", QR_COMP_LINK, nowhere);
    if (link >= 0) {
        t->comps[link].link_a = b.sites[0];
        t->comps[link].link_b = b.sites[1];
    }
    if (!(t->pools = ld_alloc(&b.c, 2, sizeof(*t->pools))))
        goto cleanup;
    for (int i = 0; i < 2; i++) {
        qr_pool_init(&t->pools[i].pool);
        t->pools[i].site = t->pools[i].paired_with = -1;
        t->n_pools = i + 1;
    }
    /* The users homed half in each pool (pool1 the odd one). */
    long half = r->users / 2;
    for (int i = 0; i < 2; i++)
        if (paired_pool(&b, r, s, i, i == 0 ? r->users - half : half) != 0)
            goto cleanup;
    t->pool.version = r->version; /* what readers of `pool` take (loader_pools.c) */
    char label[64], name[256];
    snprintf(label, sizeof(label), "paired-fe%d-%s-dfs", s->n_fe, backend_word(s->backend));
    static const char *const be_words[] = {
        [QR_BACKEND_STANDALONE] = "standalone SQL",
        [QR_BACKEND_MIRRORING] = "SQL mirroring with its witness",
        [QR_BACKEND_ALWAYSON] = "AlwaysOn with its file share witness",
        [QR_BACKEND_FCI] = "SQL FCI",
        [QR_BACKEND_EXTERNAL] = "the existing SQL HA service",
    };
    snprintf(name, sizeof(name), "two paired pools of %d front ends, one in dc1 and one in "
             "dc2, each with %s and a DFS file store in its own site (quorate plan, %s)",
             s->n_fe, be_words[s->backend], qr_version_name(r->version));
    free(t->name);
    free(t->file);
    t->name = strdup(name);
    t->file = strdup(label);
    if (!t->name || !t->file || b.c.oom || b.c.errors > 0)
        goto cleanup;
    ld_pool_features(&b.c); /* each pool's users' rows (M10) */
    if (builder_finish(&b, r, s, label, out) != 0)
        goto cleanup;
    ret = 0;
cleanup:
    builder_end(&b);
    return ret;
}

/* Run the design rules on c: returns 1 when it has an error (reason set),
 * 0 when not (c's warning count and first warning set), -1 when out of
 * memory. */
static int check(qr_plan_candidate *c, char *reason, size_t size)
{
    qr_diags d;
    if (qr_diags_init(&d, c->label) != 0)
        return -1;
    qr_rules_check(c->topo, &d);
    qr_diags_sort(&d);
    int ret = d.oom ? -1 : 0;
    for (size_t i = 0; i < d.n && ret == 0; i++) {
        const qr_diag *g = &d.items[i];
        if (g->sev == QR_SEV_ERROR) {
            snprintf(reason, size, "%s [%s]", g->message, g->rule);
            ret = 1;
        } else if (g->sev == QR_SEV_WARNING) {
            if (c->n_warnings++ == 0)
                snprintf(c->warning, sizeof(c->warning), "%s [%s]", g->message, g->rule);
            if (qr_rules_unsupported(g->rule) && c->n_unsupported++ == 0)
                snprintf(c->unsupported, sizeof(c->unsupported), "%s [%s]", g->message,
                         g->rule);
        }
    }
    qr_diags_release(&d);
    return ret;
}

/* Every spec the requirements allow, in generation order, into specs[]
 * (room for `cap`). Returns the count. */
static int list_specs(const qr_requirements *r, spec *specs, int cap)
{
    int need = qr_requirements_frontends(r);
    int max = qr_pool_max_frontends(r->version);
    qr_backend_kind backends[3] = { QR_BACKEND_STANDALONE, QR_BACKEND_MIRRORING,
                                    QR_BACKEND_ALWAYSON };
    int n_backends = 3;
    if (r->existing_sql) {
        backends[0] = QR_BACKEND_EXTERNAL;
        n_backends = 1;
    }
    static const qr_file_store_kind stores[2] = { QR_FILE_STORE_DFS, QR_FILE_STORE_SHARE };
    int n = 0;
    for (int fam = 0; fam < 2; fam++) {
        for (int count = 0; count < 2; count++) {
            int n_fe = fam == QR_PLAN_COMBINED ? 2 + count : need + count;
            if (n_fe < need || n_fe > max)
                continue;
            for (int pl = 0; pl < 3; pl++) {
                if ((r->sites == 1) != (pl == QR_PLAN_ONE_SITE))
                    continue;
                if (fam == QR_PLAN_COMBINED && pl == QR_PLAN_FE_DC1)
                    continue; /* combined servers are the front ends */
                for (int k = 0; k < n_backends; k++)
                    for (int f = 0; f < 2; f++)
                        if (n < cap)
                            specs[n++] = (spec){ (qr_plan_family)fam, (qr_plan_placement)pl,
                                                 n_fe, backends[k], stores[f] };
            }
        }
    }
    /* Two sites: two paired pools (M10), the answer Microsoft supports.
     * Each pool carries both pools' users after a failover (PP007), with
     * three front ends at least (Microsoft's minimum for an Enterprise
     * pool), then one more; each its own HA Back End and DFS. */
    if (r->sites >= 2) {
        int paired = need > 3 ? need : 3;
        qr_backend_kind pb[2] = { QR_BACKEND_MIRRORING, QR_BACKEND_ALWAYSON };
        int n_pb = 2;
        if (r->existing_sql) {
            pb[0] = QR_BACKEND_EXTERNAL;
            n_pb = 1;
        }
        for (int count = 0; count < 2; count++) {
            if (paired + count > max)
                continue;
            for (int k = 0; k < n_pb; k++)
                if (n < cap)
                    specs[n++] = (spec){ QR_PLAN_DEDICATED, QR_PLAN_PAIRED, paired + count, pb[k],
                                         QR_FILE_STORE_DFS };
        }
    }
    return n;
}

#define MAX_SPECS 64

int qr_plan_candidates_generate(const qr_requirements *r, qr_plan_candidates *out)
{
    int ret = -1;
    memset(out, 0, sizeof(*out));
    spec specs[MAX_SPECS];
    int n = list_specs(r, specs, MAX_SPECS);
    out->items = calloc((size_t)n + 1, sizeof(*out->items));
    out->dropped = calloc((size_t)n + 1, sizeof(*out->dropped));
    if (!out->items || !out->dropped)
        goto cleanup;
    for (int k = 0; k < n; k++) {
        qr_plan_candidate c;
        if ((specs[k].placement == QR_PLAN_PAIRED ? build_paired(r, &specs[k], &c)
                                                  : build(r, &specs[k], &c)) != 0)
            goto cleanup;
        out->n_generated++;
        char reason[200];
        int e = check(&c, reason, sizeof(reason));
        if (e != 0) {
            qr_topology_free(c.topo);
            if (e < 0)
                goto cleanup;
            qr_plan_dropped *d = &out->dropped[out->n_dropped++];
            snprintf(d->label, sizeof(d->label), "%s", c.label);
            snprintf(d->reason, sizeof(d->reason), "%s", reason);
            continue;
        }
        out->items[out->n++] = c;
    }
    ret = 0;
cleanup:
    if (ret != 0)
        qr_plan_candidates_release(out);
    return ret;
}

void qr_plan_candidates_release(qr_plan_candidates *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++)
        qr_topology_free(c->items[i].topo);
    free(c->items);
    free(c->dropped);
    memset(c, 0, sizeof(*c));
}
