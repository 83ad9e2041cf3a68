/*
 * loader_components.c: the components that fail (M0.1): `defaults:`, then
 * `sites`, `hosts`, `servers`, `storage` and `links`, in that order so that
 * each list may name components of the lists before it. Each component
 * starts from its kind's template (built-in defaults of
 * docs/topology-format.md overridden by `defaults:`), then takes its own
 * values. A component whose name is missing, invalid or taken is not added;
 * the rest of it is still checked so that every error is reported.
 */
#include "model/loader_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/units.h"

static const char *const kind_keys[QR_COMP_KIND_COUNT] = {
    "site", "host", "server", "storage", "link", "cloud_witness", "external",
};

void ld_builtin_defaults(ld_template *d)
{
    memset(d, 0, sizeof(*d) * QR_COMP_KIND_COUNT);
    for (int k = 0; k < QR_COMP_KIND_COUNT; k++) {
        qr_kind_figures f;
        qr_topology_builtin_kind((qr_comp_kind)k, &f);
        d[k].failure = f.failure;
        d[k].repair = f.repair;
        d[k].patch = f.patch;
        memcpy(d[k].given, f.given, sizeof(d[k].given));
    }
}

static const char *const dist_names[] = {
    "exponential", "weibull", "lognormal", "fixed", NULL,
};
static const char *const dist_keys[] = {
    "mean", "distribution", "shape", NULL,
};

/* Parts of one distribution, shifted by the caller to the failure or the
 * repair parts of qr_part. */
#define DIST_MEAN 1u
#define DIST_FAMILY 2u
#define DIST_SHAPE 4u

/* A failure or repair value: a duration (or `never` for mtbf), which keeps
 * the inherited distribution family and shape, or a mapping whose missing
 * keys are inherited too (`mean` is required). Returns the DIST_ parts
 * given. */
static unsigned read_dist(ld_ctx *c, yaml_node_t *v, const char *key,
                          bool allow_never, qr_dist *out)
{
    if (v->type != YAML_MAPPING_NODE || ld_is_range(c, v)) {
        double mean;
        if (ld_mean(c, v, key, allow_never, &mean) != 0)
            return 0;
        out->mean = mean;
        return DIST_MEAN;
    }
    char what[64];
    snprintf(what, sizeof(what), "'%s'", key);
    ld_map m = { .map = v, .what = what, .loc = qr_yaml_loc(v) };
    ld_check_keys(c, &m, dist_keys);
    qr_dist d = *out;
    unsigned parts = 0;
    yaml_node_t *mean = ld_require(c, &m, "mean", NULL);
    if (mean && ld_mean(c, mean, key, allow_never, &d.mean) == 0)
        parts |= DIST_MEAN;
    yaml_node_t *kind = ld_get(c, &m, "distribution", NULL);
    if (kind) {
        int k = ld_enum(c, kind, "distribution", dist_names);
        if (k >= 0) {
            d.kind = (qr_dist_kind)k;
            d.shape = 1.0;
            parts |= DIST_FAMILY | DIST_SHAPE;
        }
    }
    qr_loc shape_loc;
    yaml_node_t *shape = ld_get(c, &m, "shape", &shape_loc);
    if (shape) {
        if (d.kind != QR_DIST_WEIBULL && d.kind != QR_DIST_LOGNORMAL) {
            ld_error(c, shape_loc, QR_RULE_P004,
                     "'shape' applies only to the weibull and lognormal "
                     "distributions, not to %s", qr_dist_kind_name(d.kind));
        } else {
            /* Where the family degenerates (topology.h). */
            bool weibull = d.kind == QR_DIST_WEIBULL;
            double lo = weibull ? QR_DIST_WEIBULL_MIN_SHAPE : 0;
            double hi = weibull ? QR_DIST_MAX_SHAPE : QR_DIST_LOGNORMAL_MAX_SHAPE;
            double s;
            if (ld_nonneg(c, shape, "shape", &s) == 0) {
                if ((weibull ? s >= lo : s > lo) && s <= hi) {
                    d.shape = s;
                    parts |= DIST_SHAPE;
                } else if (weibull) {
                    ld_error(c, qr_yaml_loc(shape), QR_RULE_P004,
                             "'shape' of a weibull must be at least 0.2 and "
                             "at most 100");
                } else {
                    ld_error(c, qr_yaml_loc(shape), QR_RULE_P004,
                             "'shape' (sigma) of a lognormal must be greater "
                             "than 0 and at most 3");
                }
            }
        }
    }
    *out = d;
    return parts;
}

/* `patch: none` or `patch: { every: 30d, reboot: 15m }` [M7.1]. Returns
 * the QR_PART_BIT()s of the patch parts given. */
static unsigned read_patch(ld_ctx *c, yaml_node_t *v, qr_patch *patch)
{
    if (v->type == YAML_SCALAR_NODE &&
        strcmp((const char *)v->data.scalar.value, "none") == 0) {
        patch->enabled = false;
        return QR_PART_BIT(QR_PART_PATCH_ENABLED);
    }
    if (ld_expect(c, v, YAML_MAPPING_NODE, "'patch' (or 'none')") != 0)
        return 0;
    static const char *const keys[] = { "every", "reboot", NULL };
    ld_map m = { .map = v, .what = "'patch'", .loc = qr_yaml_loc(v) };
    ld_check_keys(c, &m, keys);
    patch->enabled = true;
    unsigned parts = QR_PART_BIT(QR_PART_PATCH_ENABLED);
    qr_loc every_loc;
    yaml_node_t *every = ld_get(c, &m, "every", &every_loc);
    double e;
    if (every && ld_duration(c, every, "every", false, &e) == 0) {
        if (e >= QR_PATCH_MIN_EVERY) {
            patch->every = e;
            parts |= QR_PART_BIT(QR_PART_PATCH_EVERY);
        } else {
            char ex[64];
            ld_error(c, qr_yaml_loc(every), QR_RULE_P004,
                     "'every' must be at least 1h, got '%s'",
                     ld_excerpt(every, ex, sizeof(ex)));
        }
    }
    qr_given g = { QR_FROM_BUILTIN, { 0, 0 } };
    ld_opt_duration_given(c, &m, "reboot", &patch->reboot, QR_FROM_DESIGN, &g);
    if (g.from != QR_FROM_BUILTIN)
        parts |= QR_PART_BIT(QR_PART_PATCH_REBOOT);
    return parts;
}

/* Mark parts (QR_PART_BIT()s) of fig as given by `from` at loc. */
static void mark(qr_kind_figures *fig, unsigned parts, qr_origin from,
                 qr_loc loc)
{
    for (int p = 0; p < QR_PART_COUNT; p++)
        if (parts & QR_PART_BIT(p))
            fig->given[p] = (qr_given){ from, loc };
}

unsigned ld_figure_keys(ld_ctx *c, const ld_map *m, qr_comp_kind kind,
                        qr_kind_figures *fig, double *cost, qr_origin from)
{
    yaml_node_t *v;
    unsigned parts = 0, got;
    if ((v = ld_get(c, m, "mtbf", NULL))) {
        got = read_dist(c, v, "mtbf", true, &fig->failure) << QR_PART_FAILURE_MEAN;
        mark(fig, got, from, qr_yaml_loc(v));
        parts |= got;
    }
    if ((v = ld_get(c, m, "mttr", NULL))) {
        got = read_dist(c, v, "mttr", false, &fig->repair) << QR_PART_REPAIR_MEAN;
        mark(fig, got, from, qr_yaml_loc(v));
        parts |= got;
    }
    if (cost && (v = ld_get(c, m, "cost", NULL)))
        ld_cost(c, v, "cost", cost);
    if (kind == QR_COMP_SERVER && (v = ld_get(c, m, "patch", NULL))) {
        got = read_patch(c, v, &fig->patch);
        mark(fig, got, from, qr_yaml_loc(v));
        parts |= got;
    }
    return parts;
}

void ld_failure_keys(ld_ctx *c, const ld_map *m, qr_component *comp)
{
    qr_kind_figures fig;
    memset(&fig, 0, sizeof(fig));
    fig.failure = comp->failure;
    fig.repair = comp->repair;
    fig.patch = comp->patch;
    comp->own |= ld_figure_keys(c, m, comp->kind, &fig, &comp->cost,
                                QR_FROM_COMPONENT);
    comp->failure = fig.failure;
    comp->repair = fig.repair;
    if (comp->kind == QR_COMP_SERVER)
        comp->patch = fig.patch;
}

void ld_defaults(ld_ctx *c, const ld_map *root)
{
    ld_builtin_defaults(c->defaults);
    ld_map m;
    if (ld_sub_map(c, root, "defaults", &m) <= 0)
        return;
    static const char *const allowed[] = {
        "site", "host", "server", "storage", "link", "cloud_witness",
        "external", NULL,
    };
    ld_check_keys(c, &m, allowed);
    static const char *const keys[] = { "mtbf", "mttr", "cost", NULL };
    static const char *const server_keys[] = {
        "mtbf", "mttr", "cost", "patch", NULL,
    };
    for (int k = 0; k < QR_COMP_KIND_COUNT; k++) {
        ld_map sub;
        if (ld_sub_map(c, &m, kind_keys[k], &sub) <= 0)
            continue;
        char what[64];
        snprintf(what, sizeof(what), "'defaults.%s'", kind_keys[k]);
        sub.what = what;
        ld_check_keys(c, &sub, k == QR_COMP_SERVER ? server_keys : keys);
        ld_template *t = &c->defaults[k];
        qr_kind_figures fig;
        fig.failure = t->failure;
        fig.repair = t->repair;
        fig.patch = t->patch;
        memcpy(fig.given, t->given, sizeof(fig.given));
        ld_figure_keys(c, &sub, (qr_comp_kind)k, &fig, &t->cost, QR_FROM_DESIGN);
        t->failure = fig.failure;
        t->repair = fig.repair;
        t->patch = fig.patch;
        memcpy(t->given, fig.given, sizeof(t->given));
        if (ld_get(c, &sub, "mtbf", NULL))
            t->has_mtbf = true;
    }
}

void ld_store_kinds(ld_ctx *c)
{
    for (int k = 0; k < QR_COMP_KIND_COUNT; k++) {
        qr_kind_figures *f = &c->t->kinds[k];
        f->failure = c->defaults[k].failure;
        f->repair = c->defaults[k].repair;
        f->patch = c->defaults[k].patch;
        memcpy(f->given, c->defaults[k].given, sizeof(f->given));
    }
}

int ld_add_comp(ld_ctx *c, const char *name, qr_comp_kind kind, qr_loc loc)
{
    qr_topology *t = c->t;
    char *copy = ld_new_name(c, name, loc);
    qr_component *comps =
        copy ? ld_grow(c, t->comps, t->n_comps, &c->comps_cap, sizeof(*comps), 16) : NULL;
    if (!comps) {
        free(copy);
        return -1;
    }
    t->comps = comps;
    const ld_template *d = &c->defaults[kind];
    int i = t->n_comps;
    t->comps[i] = (qr_component){
        .name = copy, .kind = kind, .loc = loc, .site = -1, .host = -1,
        .link_a = -1, .link_b = -1, .failure = d->failure,
        .repair = d->repair, .cost = d->cost,
    };
    if (kind == QR_COMP_SERVER)
        t->comps[i].patch = d->patch;
    t->n_comps++;
    if (ld_register(c, copy, i, -1, loc) != 0)
        return -1; /* OOM: the component stays, the caller stops using it */
    return i;
}

/* One entry of a component list: returns the new index or -1. The name is
 * read first so that messages can say which component they are about. */
static int read_entry(ld_ctx *c, yaml_node_t *item, const char *list,
                      qr_comp_kind kind, const char *const *keys,
                      ld_map *m, char *what, size_t what_size)
{
    char got_what[64];
    snprintf(got_what, sizeof(got_what), "an entry of '%s'", list);
    if (ld_expect(c, item, YAML_MAPPING_NODE, got_what) != 0)
        return -2;
    *m = (ld_map){ .map = item, .what = what, .loc = qr_yaml_loc(item) };
    snprintf(what, what_size, "%s", got_what);
    const char *name = NULL;
    qr_loc name_loc = qr_yaml_loc(item);
    yaml_node_t *nv = ld_get(c, m, "name", &name_loc);
    if (!nv && kind != QR_COMP_LINK)
        ld_error(c, m->loc, QR_RULE_P005, "missing required key 'name' in %s",
                 what);
    if (nv && ld_name_value(c, nv, "name", &name) == 0)
        snprintf(what, what_size, "%s '%s'", qr_comp_kind_name(kind), name);
    ld_check_keys(c, m, keys);
    if (!name)
        return -1;
    return ld_add_comp(c, name, kind, qr_yaml_loc(nv));
}

/* The site of a component from its `site` key, or -1. */
static int read_site(ld_ctx *c, const ld_map *m)
{
    yaml_node_t *v = ld_get(c, m, "site", NULL);
    return v ? ld_ref(c, v, QR_COMP_SITE, NULL) : -1;
}

static yaml_node_t *list_of(ld_ctx *c, const ld_map *root, const char *key)
{
    yaml_node_t *v = ld_get(c, root, key, NULL);
    if (!v || ld_is_empty(v))
        return NULL;
    char what[64];
    snprintf(what, sizeof(what), "'%s'", key);
    return ld_expect(c, v, YAML_SEQUENCE_NODE, what) == 0 ? v : NULL;
}

#define FOR_ITEMS(c, seq, item)                                              \
    for (yaml_node_item_t *it_ = (seq)->data.sequence.items.start;           \
         it_ < (seq)->data.sequence.items.top &&                             \
         ((item) = ld_node((c), *it_)) != NULL;                              \
         it_++)

static void read_simple(ld_ctx *c, const ld_map *root, const char *list,
                        qr_comp_kind kind, bool has_site)
{
    static const char *const site_keys[] = { "name", "site", "mtbf", "mttr",
                                             "cost", NULL };
    static const char *const plain_keys[] = { "name", "mtbf", "mttr", "cost",
                                              NULL };
    static const char *const host_keys[] = { "name", "site", "mtbf", "mttr",
                                             "cost", "capacity", NULL };
    yaml_node_t *seq = list_of(c, root, list), *item;
    if (!seq)
        return;
    FOR_ITEMS(c, seq, item) {
        ld_map m;
        char what[192];
        int i = read_entry(c, item, list, kind,
                           kind == QR_COMP_HOST ? host_keys
                           : has_site           ? site_keys
                                                : plain_keys,
                           &m, what, sizeof(what));
        if (i == -2)
            continue;
        int site = has_site ? read_site(c, &m) : -1;
        qr_component scratch = { .kind = kind };
        qr_component *comp = i >= 0 ? &c->t->comps[i] : &scratch;
        ld_failure_keys(c, &m, comp);
        comp->site = site;
        yaml_node_t *cap = kind == QR_COMP_HOST ? ld_get(c, &m, "capacity", NULL) : NULL;
        long long n;
        if (cap && ld_integer(c, cap, "capacity", 1, 10000, &n) == 0)
            comp->capacity = (int)n; /* M0.4: VMs the host can run */
    }
}

static void read_servers(ld_ctx *c, const ld_map *root)
{
    static const char *const keys[] = { "name", "site", "host", "patch",
                                        "mtbf", "mttr", "cost", NULL };
    yaml_node_t *v = ld_get(c, root, "servers", NULL);
    if (!v) {
        ld_error(c, root->loc, QR_RULE_P005, "missing required key 'servers' in %s",
                 root->what);
        return;
    }
    if (ld_is_empty(v)) {
        ld_expect(c, v, YAML_SEQUENCE_NODE, "'servers'");
        return;
    }
    yaml_node_t *seq = list_of(c, root, "servers"), *item;
    if (!seq)
        return;
    FOR_ITEMS(c, seq, item) {
        ld_map m;
        char what[192];
        int i = read_entry(c, item, "servers", QR_COMP_SERVER, keys, &m,
                           what, sizeof(what));
        if (i == -2)
            continue;
        int site = read_site(c, &m), host = -1;
        qr_loc host_loc;
        yaml_node_t *hv = ld_get(c, &m, "host", &host_loc);
        if (hv)
            host = ld_ref(c, hv, QR_COMP_HOST, NULL);
        if (host >= 0) {
            int host_site = c->t->comps[host].site;
            if (site >= 0 && site != host_site) {
                qr_loc sloc;
                ld_get(c, &m, "site", &sloc);
                ld_error(c, sloc, QR_RULE_P004,
                         "%s is on host '%s' in %s%s%s, not in site '%s'",
                         what, c->t->comps[host].name,
                         host_site >= 0 ? "site '" : "no site",
                         host_site >= 0 ? c->t->comps[host_site].name : "",
                         host_site >= 0 ? "'" : "", c->t->comps[site].name);
            }
            site = host_site; /* a server on a host is in the host's site */
        }
        qr_component scratch = { .kind = QR_COMP_SERVER };
        qr_component *comp = i >= 0 ? &c->t->comps[i] : &scratch;
        ld_failure_keys(c, &m, comp);
        comp->site = site;
        comp->host = host;
    }
}

static void read_links(ld_ctx *c, const ld_map *root)
{
    static const char *const keys[] = { "name", "between", "mtbf", "mttr",
                                        "cost", NULL };
    yaml_node_t *seq = list_of(c, root, "links"), *item;
    if (!seq)
        return;
    FOR_ITEMS(c, seq, item) {
        ld_map m;
        char what[192];
        if (ld_expect(c, item, YAML_MAPPING_NODE, "an entry of 'links'") != 0)
            continue;
        m = (ld_map){ .map = item, .what = "an entry of 'links'", .loc = qr_yaml_loc(item) };
        ld_check_keys(c, &m, keys);
        int ends[2] = { -1, -1 };
        yaml_node_t *bv = ld_require(c, &m, "between", NULL);
        if (bv && ld_expect(c, bv, YAML_SEQUENCE_NODE, "'between'") == 0) {
            int n = (int)(bv->data.sequence.items.top -
                          bv->data.sequence.items.start);
            if (n != 2) {
                ld_error(c, qr_yaml_loc(bv), QR_RULE_P004,
                         "'between' must name exactly two sites, got %d", n);
            } else {
                for (int k = 0; k < 2; k++)
                    ends[k] = ld_ref(c, ld_node(c, bv->data.sequence.items.start[k]),
                                     QR_COMP_SITE, NULL);
                if (ends[0] >= 0 && ends[0] == ends[1]) {
                    ld_error(c, qr_yaml_loc(bv), QR_RULE_P004,
                             "a link joins two different sites, got '%s' "
                             "twice", c->t->comps[ends[0]].name);
                    ends[0] = ends[1] = -1;
                }
            }
        }
        const char *name = NULL;
        qr_loc loc = qr_yaml_loc(item);
        yaml_node_t *nv = ld_get(c, &m, "name", &loc);
        if (nv) {
            if (ld_name_value(c, nv, "name", &name) != 0)
                continue;
            loc = qr_yaml_loc(nv);
        }
        snprintf(what, sizeof(what), "%s-%s",
                 ends[0] >= 0 ? c->t->comps[ends[0]].name : "",
                 ends[1] >= 0 ? c->t->comps[ends[1]].name : "");
        if (!name && (ends[0] < 0 || ends[1] < 0))
            continue; /* no name to give it; its errors are reported */
        int i = ld_add_comp(c, name ? name : what, QR_COMP_LINK, loc);
        qr_component scratch = { .kind = QR_COMP_LINK };
        qr_component *comp = i >= 0 ? &c->t->comps[i] : &scratch;
        ld_failure_keys(c, &m, comp);
        comp->link_a = ends[0];
        comp->link_b = ends[1];
    }
}

void ld_components(ld_ctx *c, const ld_map *root)
{
    read_simple(c, root, "sites", QR_COMP_SITE, false);
    read_simple(c, root, "hosts", QR_COMP_HOST, true);
    read_servers(c, root);
    read_simple(c, root, "storage", QR_COMP_STORAGE, true);
    read_links(c, root);
}
